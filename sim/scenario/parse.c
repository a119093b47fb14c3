/* parse.c - numbers, sizes, protections and near-miss names. */
#include <ctype.h>
#include <float.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "pte.h"

/* A limit as the user wrote numbers: 0x-hex after hex input, else decimal. */
static void fmt_limit(uint64_t v, bool hex, char *out, size_t size)
{
    snprintf(out, size, hex ? "0x%llX" : "%llu", (unsigned long long)v);
}

/* A byte count the way sizes are written: "4G", "64K", or plain bytes. */
static void fmt_size(uint64_t v, char *out, size_t size)
{
    static const char units[] = "GMK";
    for (int i = 0; i < 3; i++) {
        uint64_t unit = 1ull << (10 * (3 - i));
        if (v && v % unit == 0) {
            snprintf(out, size, "%llu%c", (unsigned long long)(v / unit), units[i]);
            return;
        }
    }
    snprintf(out, size, "%llu", (unsigned long long)v);
}

static bool is_hex_prefix(const char *s) { return s[0] == '0' && (s[1] == 'x' || s[1] == 'X'); }

/* "-" and a digit: a negative number, refused as such with the range. */
static bool is_negative(const char *s) { return s[0] == '-' && isdigit((unsigned char)s[1]); }

static void say_negative(const char *s, const char *lo, const char *hi, char *why, size_t why_size)
{
    snprintf(why, why_size, "'%s' is negative: give a number from %s to %s", s, lo, hi);
}

bool parse_number(const char *s, uint64_t max, uint64_t *out, char *why, size_t why_size)
{
    bool hex = is_hex_prefix(s);
    const char *p = hex ? s + 2 : s;
    unsigned base = hex ? 16 : 10;
    if (!*s) {
        snprintf(why, why_size, "an empty string is not a number");
        return false;
    }
    if (!*p) {
        snprintf(why, why_size, "'%s' is not a number: hexadecimal digits must follow 0x", s);
        return false;
    }
    if (is_negative(s)) {
        char limit[32];
        fmt_limit(max, false, limit, sizeof limit);
        say_negative(s, "0", limit, why, why_size);
        return false;
    }
    /* v * base + d <= max: v < most, or v == most and d <= rest */
    uint64_t v = 0, most = max / base, rest = max % base;
    bool over = false;
    for (; *p; p++) {
        int d = isdigit((unsigned char)*p) ? *p - '0'
                : (hex && isxdigit((unsigned char)*p)) ? tolower((unsigned char)*p) - 'a' + 10
                : -1;
        if (d < 0) {
            if (hex)
                snprintf(why, why_size, "'%s' is not a hexadecimal number", s);
            else
                snprintf(why, why_size, "'%s' is not a number (decimal, or hexadecimal with 0x)", s);
            return false;
        }
        if (v > most || (v == most && (uint64_t)d > rest))
            over = true;   /* keep reading: a bad digit later is the clearer message */
        else
            v = v * base + (uint64_t)d;
    }
    if (over) {
        char limit[32];
        fmt_limit(max, hex, limit, sizeof limit);
        snprintf(why, why_size, "'%s' is too large (at most %s)", s, limit);
        return false;
    }
    *out = v;
    return true;
}

static const char size_forms[] = "expected a size like \"64K\", \"16M\" or 4096";

bool parse_size(const char *s, uint64_t max, uint64_t *out, char *why, size_t why_size)
{
    size_t n = strlen(s);
    char limit[32];
    if (n == 0) {
        snprintf(why, why_size, "an empty string is not a size: %s", size_forms);
        return false;
    }
    if (is_hex_prefix(s)) {
        char last = (char)toupper((unsigned char)s[n - 1]);
        if (n > 3 && (last == 'K' || last == 'M' || last == 'G') && strspn(s + 2, "0123456789abcdefABCDEF") == n - 3) {
            snprintf(why, why_size, "'%s' is not a size: a hexadecimal size takes no unit (K, M or G)", s);
            return false;
        }
        if (!parse_number(s, max, out, why, why_size)) {
            if (strstr(why, "too large")) {
                fmt_size(max, limit, sizeof limit);
                snprintf(why, why_size, "'%s' is too large (at most %s)", s, limit);
            }
            return false;
        }
        return true;
    }
    size_t digits = strspn(s, "0123456789");
    uint64_t unit = 1;
    if (digits + 1 == n && digits > 0) {
        switch (toupper((unsigned char)s[n - 1])) {
        case 'K': unit = 1ull << 10; break;
        case 'M': unit = 1ull << 20; break;
        case 'G': unit = 1ull << 30; break;
        default:
            if (isalpha((unsigned char)s[n - 1])) {
                snprintf(why, why_size, "'%s' is not a size: the unit must be K, M or G", s);
                return false;
            }
        }
    }
    if (digits == 0 || digits + (unit > 1) != n) {
        snprintf(why, why_size, "'%s' is not a size: %s", s, size_forms);
        return false;
    }
    uint64_t v = 0, cap = max / unit;
    for (size_t i = 0; i < digits; i++) {
        uint64_t d = (uint64_t)(s[i] - '0');
        if (d > cap || v > (cap - d) / 10) {
            fmt_size(max, limit, sizeof limit);
            snprintf(why, why_size, "'%s' is too large (at most %s)", s, limit);
            return false;
        }
        v = v * 10 + d;
    }
    *out = v * unit;
    return true;
}

/* "V (0xV) is out of range: expected MIN to MAX" (sizes as sizes). */
static void out_of_range(const char *shown, uint64_t v, bool sized, uint64_t min, uint64_t max, char *why,
                         size_t why_size)
{
    char lo[32], hi[32], val[64];
    if (sized) {
        fmt_size(min, lo, sizeof lo);
        fmt_size(max, hi, sizeof hi);
    } else {
        fmt_limit(min, false, lo, sizeof lo);
        fmt_limit(max, false, hi, sizeof hi);
    }
    if (shown)
        snprintf(val, sizeof val, "'%.40s'", shown);
    else
        snprintf(val, sizeof val, "%llu (0x%llX)", (unsigned long long)v, (unsigned long long)v);
    snprintf(why, why_size, "%s is out of range: expected %s to %s", val, lo, hi);
}

bool parse_field(const char *s, bool sized, uint64_t min, uint64_t max, uint64_t *out, char *why, size_t why_size)
{
    uint64_t v;
    char limit[32];
    if (!sized && is_negative(s)) {   /* the field's range, not parse_number's 0 to 2^64 - 1 */
        char lo[32];
        parse_field_limits(false, min, max, lo, limit, sizeof lo);
        say_negative(s, lo, limit, why, why_size);
        return false;
    }
    bool ok = sized ? parse_size(s, UINT64_MAX, &v, why, why_size) : parse_number(s, UINT64_MAX, &v, why, why_size);
    if (!ok) {
        if (strstr(why, "too large")) {   /* past 2^64: name the field's limit, not that one */
            if (sized)
                fmt_size(max, limit, sizeof limit);
            else
                fmt_limit(max, is_hex_prefix(s), limit, sizeof limit);
            snprintf(why, why_size, "'%s' is too large (at most %s)", s, limit);
        }
        return false;
    }
    if (v < min || v > max) {
        out_of_range(sized && !is_hex_prefix(s) ? s : NULL, v, sized, min, max, why, why_size);
        return false;
    }
    *out = v;
    return true;
}

void parse_field_limits(bool sized, uint64_t min, uint64_t max, char *lo, char *hi, size_t size)
{
    if (sized) {
        fmt_size(min, lo, size);
        fmt_size(max, hi, size);
    } else {
        fmt_limit(min, false, lo, size);
        fmt_limit(max, false, hi, size);
    }
}

bool parse_field_double(double d, bool sized, uint64_t min, uint64_t max, uint64_t *out, char *why,
                        size_t why_size)
{
    const double exact = 9007199254740992.0;   /* 2^53: every whole number up to here is exact */
    char lo[32], hi[32];
    if (d > exact) {   /* beyond what a double holds exactly (and every field's limit) */
        parse_field_limits(sized, min, max, lo, hi, sizeof lo);
        if (d > DBL_MAX)   /* written larger than a double holds: infinity */
            snprintf(why, why_size, "a number too large for any field (at most %s)", hi);
        else
            snprintf(why, why_size, "%g is too large (at most %s)", d, hi);
        return false;
    }
    if (d != d) {
        snprintf(why, why_size, "expected a whole number, found %g", d);
        return false;
    }
    if (d >= -exact && d != (double)(int64_t)d) {
        snprintf(why, why_size, "expected a whole number, found %g", d);
        return false;
    }
    if (d < 0) {
        parse_field_limits(sized, min, max, lo, hi, sizeof lo);
        snprintf(why, why_size, "%g is out of range: expected %s to %s", d, lo, hi);
        return false;
    }
    uint64_t v = (uint64_t)d;
    if (v < min || v > max) {
        out_of_range(NULL, v, sized, min, max, why, why_size);
        return false;
    }
    *out = v;
    return true;
}

static const char *const page_names[] = {
    "PAGE_NOACCESS", "PAGE_READONLY", "PAGE_READWRITE", "PAGE_WRITECOPY",
    "PAGE_EXECUTE",  "PAGE_EXECUTE_READ", "PAGE_EXECUTE_READWRITE", "PAGE_EXECUTE_WRITECOPY",
    "PAGE_GUARD",    "PAGE_NOCACHE", "PAGE_WRITECOMBINE",
};
static const uint32_t page_values[] = {
    PAGE_NOACCESS, PAGE_READONLY, PAGE_READWRITE, PAGE_WRITECOPY, PAGE_EXECUTE, PAGE_EXECUTE_READ,
    PAGE_EXECUTE_READWRITE, PAGE_EXECUTE_WRITECOPY, PAGE_GUARD, PAGE_NOCACHE, PAGE_WRITECOMBINE,
};

bool parse_protection(const char *s, uint32_t *out, char *why, size_t why_size)
{
    uint64_t v;
    if (isdigit((unsigned char)s[0])) {
        if (parse_number(s, 0xFFFF, &v, why, why_size)) {
            *out = (uint32_t)v;
            return true;
        }
        if (strstr(why, "too large"))
            snprintf(why, why_size, "'%s' is too large for a protection (at most 0xFFFF)", s);
        else
            snprintf(why, why_size, "'%s' is not a protection (expected PAGE_* names joined by '|', or a number)", s);
        return false;
    }
    uint32_t flags = 0;
    const char *p = s;
    for (;;) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        char name[48];
        if (n == 0 || n >= sizeof name) {
            snprintf(why, why_size, "'%s' is not a protection (expected PAGE_* names joined by '|')", s);
            return false;
        }
        memcpy(name, p, n);
        name[n] = '\0';
        int i = parse_lookup(name, page_names, sizeof page_names / sizeof page_names[0]);
        if (i < 0) {
            const char *hint = parse_suggest(name, page_names, sizeof page_names / sizeof page_names[0]);
            if (hint)
                snprintf(why, why_size, "unknown protection '%s', did you mean '%s'?", name, hint);
            else
                snprintf(why, why_size, "unknown protection '%s' (expected PAGE_READONLY, PAGE_READWRITE, ...)",
                         name);
            return false;
        }
        flags |= page_values[i];
        if (!bar)
            break;
        p = bar + 1;
    }
    *out = flags;
    return true;
}

int parse_lookup(const char *name, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (name[0] == names[i][0] && strcmp(name, names[i]) == 0)
            return (int)i;
    return -1;
}

/* Edit distance counting a swap of two neighbours as one edit (optimal
 * string alignment), case-blind: enough to recognise typos. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    size_t d[64][64];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            size_t best = d[i - 1][j - 1] + (ca != cb);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

const char *parse_suggest(const char *name, const char *const *names, size_t n)
{
    const char *best = NULL;
    size_t len = strlen(name);
    /* a typo changes a short word less: 1 edit up to 4 letters, else 2 */
    size_t best_d = len <= 4 ? 2 : 3;
    for (size_t i = 0; i < n; i++) {
        size_t other = strlen(names[i]);
        if ((len > other ? len - other : other - len) >= best_d)
            continue;   /* the lengths alone differ by too many edits */
        size_t d = distance(name, names[i]);
        if (d < best_d && d < strlen(names[i])) {
            best_d = d;
            best = names[i];
        }
    }
    if (!best && len >= 3)
        for (size_t i = 0; i < n; i++)
            if (strncmp(names[i], name, len) == 0)
                return names[i];
    return best;
}
