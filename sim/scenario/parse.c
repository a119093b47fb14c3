/* parse.c - numbers, sizes, protections and near-miss names. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "pte.h"

bool parse_number(const char *s, uint64_t max, uint64_t *out, char *why, size_t why_size)
{
    const char *p = s;
    unsigned base = 10;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    if (!*p) {
        snprintf(why, why_size, "'%s' is not a number", s);
        return false;
    }
    uint64_t v = 0;
    for (; *p; p++) {
        int d = isdigit((unsigned char)*p) ? *p - '0'
                : (base == 16 && isxdigit((unsigned char)*p)) ? tolower((unsigned char)*p) - 'a' + 10
                : -1;
        if (d < 0) {
            if (base == 16)
                snprintf(why, why_size, "'%s' is not a hexadecimal number", s);
            else
                snprintf(why, why_size, "'%s' is not a number (decimal, or hexadecimal with 0x)", s);
            return false;
        }
        if (v > (max - (uint64_t)d) / base) {
            snprintf(why, why_size, "%s is too large (the limit is 0x%llX)", s, (unsigned long long)max);
            return false;
        }
        v = v * base + (uint64_t)d;
    }
    *out = v;
    return true;
}

bool parse_size(const char *s, uint64_t max, uint64_t *out, char *why, size_t why_size)
{
    char digits[64];
    size_t n = strlen(s);
    uint64_t unit = 1;
    if (n == 0 || n >= sizeof digits) {
        snprintf(why, why_size, "'%.40s' is not a size", s);
        return false;
    }
    memcpy(digits, s, n + 1);
    char last = (char)toupper((unsigned char)digits[n - 1]);
    bool hex = n > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X');
    if (!hex && (last == 'K' || last == 'M' || last == 'G')) {
        unit = last == 'K' ? 1024u : last == 'M' ? 1024u * 1024u : 1024u * 1024u * 1024u;
        digits[n - 1] = '\0';
    } else if (!hex && n > 1 && isalpha((unsigned char)last) && isdigit((unsigned char)digits[0])) {
        snprintf(why, why_size, "'%s' is not a size: the unit must be K, M or G", s);
        return false;
    }
    uint64_t v;
    if (!parse_number(digits, max, &v, why, why_size))
        return false;
    if (v > max / unit) {
        snprintf(why, why_size, "%s is too large (the limit is 0x%llX bytes)", s, (unsigned long long)max);
        return false;
    }
    *out = v * unit;
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
    char scratch[8];
    if (isdigit((unsigned char)s[0]) && parse_number(s, 0xFFFF, &v, scratch, sizeof scratch)) {
        *out = (uint32_t)v;
        return true;
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
        if (strcmp(name, names[i]) == 0)
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
