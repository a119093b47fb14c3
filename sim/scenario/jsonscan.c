/*
 * jsonscan.c - the JSON grammar (RFC 8259), one token at a time, with a
 * sentence for every way a text can break it.
 *
 * The scanner is a small state machine over the bytes, with the kinds of
 * the open containers kept as bits (no recursion: the depth the input
 * controls costs no stack). States say what may come next:
 *
 *   VALUE ---{ [--> FIRST_KEY / FIRST_ELEMENT --> ... --> AFTER
 *   AFTER --','--> KEY (in an object) or ELEMENT (in an array)
 *   AFTER --'}' ']'--> AFTER (one level up);  at depth 0: end of text
 *
 * The lax paths (JSON_LAX_*) mirror cJSON 1.7.15's parse_string(),
 * parse_number(), buffer_skip_whitespace() and skip_utf8_bom() so that the
 * fuzz target can compare the two grammars; json_parse() never sets them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonscan.h"

enum state { S_VALUE, S_ELEMENT, S_FIRST_ELEMENT, S_FIRST_KEY, S_KEY, S_AFTER, S_DONE, S_FAILED };

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

size_t json_bom_length(const char *text, size_t len)
{
    return len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/* ---- UTF-8 ------------------------------------------------------------- */

/* The range the second byte of a sequence must fall in, by lead byte
 * (Unicode Table 3-7); later bytes are 0x80-0xBF. */
static bool utf8_lead(unsigned char c, size_t *need, unsigned char *lo, unsigned char *hi)
{
    *lo = 0x80;
    *hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        *need = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
        *need = 2;
        if (c == 0xE0)
            *lo = 0xA0;       /* below: overlong */
        if (c == 0xED)
            *hi = 0x9F;       /* above: surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        *need = 3;
        if (c == 0xF0)
            *lo = 0x90;       /* below: overlong */
        if (c == 0xF4)
            *hi = 0x8F;       /* above: beyond U+10FFFF */
    } else
        return false;
    return true;
}

size_t json_utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t need;
    unsigned char lo, hi;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    *cp = JSON_UTF8_INVALID;
    if (!utf8_lead(s[0], &need, &lo, &hi))
        return 1;
    uint32_t v = s[0] & (need == 1 ? 0x1Fu : need == 2 ? 0x0Fu : 0x07u);
    for (size_t i = 1; i <= need; i++) {
        if (i >= n || s[i] < (i == 1 ? lo : 0x80) || s[i] > (i == 1 ? hi : 0xBF))
            return i;   /* the lead and the continuation bytes that fitted */
        v = v << 6 | (s[i] & 0x3Fu);
    }
    *cp = v;
    return need + 1;
}

/* Why the bytes at s are not UTF-8, for a message. */
static const char *utf8_problem(const unsigned char *s, size_t n)
{
    size_t need;
    unsigned char lo, hi;
    unsigned char c = s[0];
    if (c >= 0x80 && c <= 0xBF)
        return "a continuation byte with no lead byte before it";
    if (c == 0xC0 || c == 0xC1)
        return "an overlong encoding (0xC0 and 0xC1 start no character)";
    if (c >= 0xF5)
        return c <= 0xF7 ? "a code point beyond U+10FFFF" : "a byte that never occurs in UTF-8";
    utf8_lead(c, &need, &lo, &hi);
    if (n < 2 || s[1] < 0x80 || s[1] > 0xBF)
        return "a sequence cut short";
    if (s[1] < lo)
        return "an overlong encoding";
    if (s[1] > hi)
        return c == 0xED ? "a surrogate (U+D800-U+DFFF), which is not a character" : "a code point beyond U+10FFFF";
    return "a sequence cut short";
}

/* ---- messages ------------------------------------------------------------ */

static enum json_token fail(struct json_scan *sc, enum json_fault f, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static enum json_token fail(struct json_scan *sc, enum json_fault f, size_t at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sc->msg, sizeof sc->msg, fmt, ap);
    va_end(ap);
    sc->fault = f;
    sc->fault_at = at;
    sc->state = S_FAILED;
    return JSON_TOKEN_ERROR;
}

static enum json_token unclosed(struct json_scan *sc)
{
    return fail(sc, JSON_FAULT_UNCLOSED, sc->len, "the JSON ends before every object, array and string is closed");
}

/* Up to `max` bytes from `at`, printable ASCII kept and the rest as \xHH,
 * stopping at the end, at white space and at any byte in `stop`; "..." if
 * cut at `max` and `more`. */
static void excerpt(const struct json_scan *sc, size_t at, size_t max, bool more, const char *stop, char *out,
                    size_t size)
{
    size_t k = 0, i = at;
    for (; i < sc->len && i < at + max && k + 5 < size; i++) {
        unsigned char c = sc->s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || (c && strchr(stop, c)))
            break;
        if (c > 0x20 && c < 0x7F)
            out[k++] = (char)c;
        else
            k += (size_t)snprintf(out + k, size - k, "\\x%02X", c);
    }
    if (more && i < sc->len && i == at + max && k + 4 < size)
        k += (size_t)snprintf(out + k, size - k, "...");
    out[k] = '\0';
}

/* The bytes of an ill-formed UTF-8 sequence, as "0xE2 0x82". */
static void utf8_bytes(const struct json_scan *sc, size_t at, size_t n, char *out, size_t size)
{
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && at + i < sc->len && k + 6 < size; i++)
        k += (size_t)snprintf(out + k, size - k, "%s0x%02X", i ? " " : "", sc->s[at + i]);
}

static enum json_token bad_utf8(struct json_scan *sc, enum json_fault f, const char *where)
{
    uint32_t cp;
    size_t at = sc->pos, n = json_utf8_next(sc->s + at, sc->len - at, &cp);
    unsigned char c = sc->s[at];
    /* a valid lead byte refused for the byte after it: show that one too */
    if (n == 1 && c >= 0xC2 && c <= 0xF4 && at + 1 < sc->len && sc->s[at + 1] >= 0x80)
        n = 2;
    char bytes[40];
    utf8_bytes(sc, at, n, bytes, sizeof bytes);
    return fail(sc, f, at, "invalid UTF-8 %s (%s): %s; scenarios are UTF-8 text", where, bytes,
                utf8_problem(sc->s + at, sc->len - at));
}

/* What is at sc->pos, for "expected X, found Y". Non-UTF-8 bytes and a
 * stray byte-order mark get a fault of their own. */
static enum json_token unexpected(struct json_scan *sc, const char *expected)
{
    char what[80];
    size_t at = sc->pos;
    if (at >= sc->len)
        return unclosed(sc);
    unsigned char c = sc->s[at];
    if (c >= 0x80) {
        uint32_t cp;
        json_utf8_next(sc->s + at, sc->len - at, &cp);
        if (cp == JSON_UTF8_INVALID)
            return bad_utf8(sc, JSON_FAULT_SYNTAX, "outside a string");
        if (cp == 0xFEFF)
            return fail(sc, JSON_FAULT_BOM, at, "a byte-order mark (U+FEFF) may only begin the file");
        snprintf(what, sizeof what, "the character U+%04X", (unsigned)cp);
    } else if (c < 0x20 || c == 0x7F) {
        snprintf(what, sizeof what, "control character U+%04X", c);
    } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
        char word[48];
        excerpt(sc, at, 16, true, ",:[]{}\"'", word, sizeof word);
        snprintf(what, sizeof what, "'%s'", word);
    } else {
        snprintf(what, sizeof what, "'%c'", c);
    }
    return fail(sc, JSON_FAULT_SYNTAX, at, "expected %s, found %s", expected, what);
}

/* ---- decoding ---------------------------------------------------------------- */

/* Room for n more bytes and the NUL after them. */
static bool grow(struct json_scan *sc, size_t n)
{
    size_t cap = sc->cap ? sc->cap : 64;
    while (cap < sc->blen + n + 1)
        cap *= 2;
    char *b = realloc(sc->buf, cap);
    if (!b) {
        fail(sc, JSON_FAULT_MEMORY, sc->pos, "out of memory");
        return false;
    }
    sc->buf = b;
    sc->cap = cap;
    return true;
}

static bool put(struct json_scan *sc, const unsigned char *p, size_t n)
{
    if (!sc->decode)
        return true;
    if (sc->blen + n + 1 > sc->cap && !grow(sc, n))
        return false;
    memcpy(sc->buf + sc->blen, p, n);
    sc->blen += n;
    sc->buf[sc->blen] = '\0';
    return true;
}

static bool put_code_point(struct json_scan *sc, uint32_t cp)
{
    unsigned char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (unsigned char)(0xC0 | cp >> 6);
        u[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (unsigned char)(0xE0 | cp >> 12);
        u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (unsigned char)(0xF0 | cp >> 18);
        u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        u[3] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return put(sc, u, n);
}

static bool put_byte(struct json_scan *sc, unsigned char c) { return put(sc, &c, 1); }

/* ---- strings ------------------------------------------------------------------- */

/* The four hex digits at p; -1 if one is not a hex digit, -2 if the text
 * ends before the fourth (and none before was wrong). */
static long hex4(const struct json_scan *sc, size_t p)
{
    long v = 0;
    for (size_t i = 0; i < 4; i++) {
        if (p + i >= sc->len)
            return -2;
        int d = hex_value(sc->s[p + i]);
        if (d < 0)
            return -1;
        v = v << 4 | d;
    }
    return v;
}

static enum json_token bad_hex(struct json_scan *sc, size_t at)
{
    char digits[40];
    excerpt(sc, at + 2, 4, false, "\"\\", digits, sizeof digits);
    return fail(sc, JSON_FAULT_HEX, at, "'\\u%s' is not an escape: \\u takes four hexadecimal digits", digits);
}

/* A \uXXXX escape at sc->pos (a surrogate pair takes two). */
static enum json_token unicode_escape(struct json_scan *sc)
{
    size_t at = sc->pos, q = at + 6;
    long hi = hex4(sc, at + 2), lo = -1;
    if (hi < 0)
        return hi == -2 ? unclosed(sc) : bad_hex(sc, at);
    if (hi == 0)
        return fail(sc, JSON_FAULT_U0000, at, "'\\u0000' (the NUL character) is not allowed: a C string cannot hold it");
    if (hi >= 0xDC00 && hi <= 0xDFFF)
        return fail(sc, JSON_FAULT_SURROGATE, at,
                    "unpaired surrogate '\\u%04lX': a low surrogate must follow a high one (\\uD800-\\uDBFF)", hi);
    uint32_t cp = (uint32_t)hi;
    size_t n = 6;
    if (hi >= 0xD800 && hi <= 0xDBFF) {
        if (q >= sc->len || (sc->s[q] == '\\' && q + 1 >= sc->len))
            return unclosed(sc);
        if (sc->s[q] == '\\' && sc->s[q + 1] == 'u') {
            lo = hex4(sc, q + 2);
            if (lo < 0)
                return lo == -2 ? unclosed(sc) : bad_hex(sc, q);
        }
        if (lo < 0xDC00 || lo > 0xDFFF)
            return fail(sc, JSON_FAULT_SURROGATE, at,
                        "unpaired surrogate '\\u%04lX': a high surrogate must be followed by a low one "
                        "(\\uDC00-\\uDFFF)", hi);
        cp = 0x10000u + (((uint32_t)hi & 0x3FFu) << 10 | ((uint32_t)lo & 0x3FFu));
        n = 12;
    }
    sc->pos += n;
    return put_code_point(sc, cp) ? JSON_TOKEN_STRING : JSON_TOKEN_ERROR;
}

static enum json_token escape(struct json_scan *sc)
{
    if (sc->pos + 1 >= sc->len)
        return unclosed(sc);
    unsigned char e = sc->s[sc->pos + 1];
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *k = e ? strchr(from, e) : NULL;
    if (k) {
        sc->pos += 2;
        return put_byte(sc, (unsigned char)to[k - from]) ? JSON_TOKEN_STRING : JSON_TOKEN_ERROR;
    }
    if (e == 'u')
        return unicode_escape(sc);
    char what[40];
    if (e > 0x20 && e < 0x7F)
        snprintf(what, sizeof what, "'\\%c'", e);
    else
        snprintf(what, sizeof what, "'\\' then byte 0x%02X", e);
    return fail(sc, JSON_FAULT_ESCAPE, sc->pos,
                "invalid escape %s: JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX", what);
}

static enum json_token control_in_string(struct json_scan *sc, unsigned char c)
{
    if (c == '\n' || c == '\r')
        return fail(sc, JSON_FAULT_CONTROL, sc->pos,
                    "a line break inside a string: close the string on the same line, or write \\n");
    if (c == '\t')
        return fail(sc, JSON_FAULT_CONTROL, sc->pos, "a tab inside a string: write it as \\t");
    return fail(sc, JSON_FAULT_CONTROL, sc->pos, "control character U+%04X inside a string: write it as \\u%04X", c,
                c);
}

/* The bytes a string holds as they are: printable ASCII but '"' and '\\'
 * (a byte outside them ends the run, to be looked at on its own). */
static const uint8_t plain[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* 0x00 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* 0x10 */
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,   /* 0x20 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,   /* 0x30 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,   /* 0x40 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,   /* 0x50 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,   /* 0x60 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,   /* 0x70 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* 0x80 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* 0x90 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* 0xA0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* 0xB0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* 0xC0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* 0xD0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* 0xE0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* 0xF0 */
};

/* A string at sc->pos (its opening quote), strictly. */
static enum json_token strict_string(struct json_scan *sc)
{
    sc->pos++;
    for (;;) {
        size_t run = sc->pos;
        while (run < sc->len && plain[sc->s[run]])
            run++;
        if (sc->decode && !put(sc, sc->s + sc->pos, run - sc->pos))
            return JSON_TOKEN_ERROR;
        sc->pos = run;
        if (sc->pos >= sc->len)
            return unclosed(sc);
        unsigned char c = sc->s[sc->pos];
        if (c == '"') {
            sc->pos++;
            return JSON_TOKEN_STRING;
        }
        if (c == '\\') {
            if (escape(sc) == JSON_TOKEN_ERROR)
                return JSON_TOKEN_ERROR;
        } else if (c < 0x20) {
            return control_in_string(sc, c);
        } else {
            uint32_t cp;
            size_t n = json_utf8_next(sc->s + sc->pos, sc->len - sc->pos, &cp);
            if (cp == JSON_UTF8_INVALID)
                return bad_utf8(sc, JSON_FAULT_UTF8, "in a string");
            if (!put(sc, sc->s + sc->pos, n))
                return JSON_TOKEN_ERROR;
            sc->pos += n;
        }
    }
}

/* cJSON's parse_hex4(): four hex digits, or 0 if any is not one. */
static uint32_t lax_hex4(const unsigned char *p)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_value(p[i]);
        if (d < 0)
            return 0;
        v = v << 4 | (uint32_t)d;
    }
    return v;
}

/* A string as cJSON's parse_string() reads it: the end is the first quote
 * not after a backslash; then escapes are decoded, "\u" taking the next four
 * bytes whatever they are. */
static enum json_token lax_string(struct json_scan *sc)
{
    const unsigned char *s = sc->s;
    size_t p = sc->pos + 1, end = p;
    while (end < sc->len && s[end] != '"') {
        if (s[end] == '\\' && ++end >= sc->len)
            return unclosed(sc);
        end++;
    }
    if (end >= sc->len)
        return unclosed(sc);
    while (p < end) {
        if (s[p] != '\\') {
            if (!put_byte(sc, s[p++]))
                return JSON_TOKEN_ERROR;
            continue;
        }
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        const char *k = s[p + 1] ? strchr(from, s[p + 1]) : NULL;   /* s[end] is the quote */
        if (k) {
            if (!put_byte(sc, (unsigned char)to[k - from]))
                return JSON_TOKEN_ERROR;
            p += 2;
            continue;
        }
        if (s[p + 1] != 'u' || end - p < 6)
            return fail(sc, JSON_FAULT_ESCAPE, p, "invalid escape");
        uint32_t cp = lax_hex4(s + p + 2);
        size_t n = 6;
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return fail(sc, JSON_FAULT_SURROGATE, p, "unpaired low surrogate");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t lo = end - (p + 6) >= 6 && s[p + 6] == '\\' && s[p + 7] == 'u' ? lax_hex4(s + p + 8) : 0;
            if (lo < 0xDC00 || lo > 0xDFFF)
                return fail(sc, JSON_FAULT_SURROGATE, p, "unpaired high surrogate");
            cp = 0x10000u + ((cp & 0x3FFu) << 10 | (lo & 0x3FFu));
            n = 12;
        }
        if (!put_code_point(sc, cp))
            return JSON_TOKEN_ERROR;
        p += n;
    }
    sc->pos = end + 1;
    return JSON_TOKEN_STRING;
}

static enum json_token string(struct json_scan *sc, enum json_token kind)
{
    sc->blen = 0;
    /* an empty string is decoded as "" (the strict reading puts its first
     * run, empty or not, before anything else) */
    if (sc->decode && (sc->lax & JSON_LAX_STRINGS) && !put(sc, (const unsigned char *)"", 0))
        return JSON_TOKEN_ERROR;
    enum json_token t = sc->lax & JSON_LAX_STRINGS ? lax_string(sc) : strict_string(sc);
    if (t == JSON_TOKEN_ERROR)
        return t;
    sc->str = sc->decode ? sc->buf : NULL;
    sc->str_len = sc->blen;
    return kind;
}

/* ---- numbers ------------------------------------------------------------------- */

static enum json_token bad_number(struct json_scan *sc, const char *why)
{
    char text[64];
    excerpt(sc, sc->pos, 24, true, ",:[]{}\"", text, sizeof text);
    return fail(sc, JSON_FAULT_NUMBER, sc->pos, "'%s' is not a JSON number: %s", text, why);
}

static size_t digits(const struct json_scan *sc, size_t p)
{
    while (p < sc->len && is_digit(sc->s[p]))
        p++;
    return p;
}

static enum json_token strict_number(struct json_scan *sc)
{
    size_t p = sc->pos;
    if (sc->s[p] == '-')
        p++;
    if (p >= sc->len || !is_digit(sc->s[p]))
        return bad_number(sc, p < sc->len && sc->s[p] == '.' ? "a digit must come before the decimal point (-0.5)"
                                                                : "a minus sign must be followed by a digit");
    if (sc->s[p] == '0' && p + 1 < sc->len && is_digit(sc->s[p + 1]))
        return bad_number(sc, "no leading zeros (write 64, not 0064)");
    p = digits(sc, p);
    if (p < sc->len && sc->s[p] == '.') {
        if (++p >= sc->len || !is_digit(sc->s[p]))
            return bad_number(sc, "a decimal point must be followed by a digit (64 or 64.0, not 64.)");
        p = digits(sc, p);
    }
    if (p < sc->len && (sc->s[p] == 'e' || sc->s[p] == 'E')) {
        if (++p < sc->len && (sc->s[p] == '+' || sc->s[p] == '-'))
            p++;
        if (p >= sc->len || !is_digit(sc->s[p]))
            return bad_number(sc, "an exponent needs digits (1e3, 2E-2)");
        p = digits(sc, p);
    }
    if (p < sc->len) {
        unsigned char c = sc->s[p];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '.' || c == '_' || c == '+' ||
            c == '-')
            return bad_number(sc, "hexadecimal numbers and sizes are written as strings (\"0x1000\", \"16K\")");
    }
    if (p - sc->pos > JSON_MAX_NUMBER)
        return fail(sc, JSON_FAULT_NUMBER_LONG, sc->pos, "a number of %u characters (at most %d)",
                    (unsigned)(p - sc->pos), JSON_MAX_NUMBER);   /* %u: MinGW's printf check knows no %zu */
    sc->str = (const char *)sc->s + sc->pos;
    sc->str_len = p - sc->pos;
    sc->pos = p;
    return JSON_TOKEN_NUMBER;
}

/* How much of s[0..n) strtod() reads as a decimal number (0: none). */
static size_t strtod_length(const unsigned char *s, size_t n)
{
    size_t i = 0, d = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    for (; i < n && is_digit(s[i]); i++)
        d++;
    if (i < n && s[i] == '.')
        for (i++; i < n && is_digit(s[i]); i++)
            d++;
    if (!d)
        return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < n && (s[j] == '+' || s[j] == '-'))
            j++;
        if (j < n && is_digit(s[j])) {
            while (j < n && is_digit(s[j]))
                j++;
            i = j;
        }
    }
    return i;
}

/* A number as cJSON's parse_number() reads it: strtod() over the run of
 * [0-9+-.eE] bytes. (cJSON 1.7.15 as released cut the run at 63 bytes;
 * 1.7.19, and the 1.7.15 of distributions with the CVE-2023-26819 fix,
 * read it whole, as here. The strict JSON_MAX_NUMBER suits both.) */
static enum json_token lax_number(struct json_scan *sc)
{
    size_t run = 0;
    while (sc->pos + run < sc->len && sc->s[sc->pos + run] && strchr("0123456789+-.eE", sc->s[sc->pos + run]))
        run++;
    size_t n = strtod_length(sc->s + sc->pos, run);
    if (!n)
        return bad_number(sc, "not a number");
    sc->str = (const char *)sc->s + sc->pos;
    sc->str_len = n;
    sc->pos += n;
    return JSON_TOKEN_NUMBER;
}

/* ---- the state machine ---------------------------------------------------------- */

void json_scan_init(struct json_scan *sc, const char *text, size_t len, unsigned lax, bool decode)
{
    memset(sc, 0, offsetof(struct json_scan, is_object));
    sc->s = (const unsigned char *)text;
    sc->len = len;
    sc->lax = lax;
    sc->decode = decode;
    sc->max_depth = lax & JSON_LAX_DEPTH ? JSON_CJSON_DEPTH : JSON_MAX_DEPTH;
    sc->pos = sc->body = json_bom_length(text, len);
    /* cJSON skips one byte-order mark of its own in what follows ours */
    if ((lax & JSON_LAX_BOM) && len - sc->pos >= 5 && json_bom_length(text + sc->pos, len - sc->pos))
        sc->pos += 3;
    sc->state = S_VALUE;
    const unsigned char *nul = lax & JSON_LAX_NUL ? NULL : memchr(text, '\0', len);
    if (nul)
        fail(sc, JSON_FAULT_NUL, (size_t)(nul - sc->s), "the file contains a NUL byte; scenarios are UTF-8 text");
}

void json_scan_decode(struct json_scan *sc, bool decode) { sc->decode = decode; }

void json_scan_free(struct json_scan *sc)
{
    free(sc->buf);
    sc->buf = NULL;
    sc->cap = sc->blen = 0;
}

static bool skip_space(struct json_scan *sc)
{
    while (sc->pos < sc->len) {
        unsigned char c = sc->s[sc->pos];
        if (c > ' ')
            break;
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || (c <= 0x20 && (sc->lax & JSON_LAX_SPACE)))
            sc->pos++;
        else if (c < 0x20) {
            fail(sc, JSON_FAULT_SPACE, sc->pos,
                 "control character U+%04X between values: only spaces, tabs and line breaks may separate them", c);
            return false;
        } else
            break;
    }
    return true;
}

static enum json_token open_container(struct json_scan *sc, bool object)
{
    if (sc->depth >= sc->max_depth)
        return fail(sc, JSON_FAULT_DEPTH, sc->pos, "nesting deeper than %u levels", sc->max_depth);
    uint8_t bit = (uint8_t)(1u << (sc->depth % 8));
    if (object)
        sc->is_object[sc->depth / 8] |= bit;
    else
        sc->is_object[sc->depth / 8] &= (uint8_t)~bit;
    sc->depth++;
    sc->pos++;
    sc->state = object ? S_FIRST_KEY : S_FIRST_ELEMENT;
    return object ? JSON_TOKEN_OBJECT : JSON_TOKEN_ARRAY;
}

static bool in_object(const struct json_scan *sc)
{
    uint32_t d = sc->depth - 1;
    return sc->is_object[d / 8] >> (d % 8) & 1;
}

static enum json_token close_container(struct json_scan *sc)
{
    sc->depth--;
    sc->pos++;
    sc->state = S_AFTER;
    return JSON_TOKEN_END;
}

static enum json_token literal(struct json_scan *sc, const char *word, enum json_token t)
{
    size_t n = strlen(word);
    if (sc->len - sc->pos < n || memcmp(sc->s + sc->pos, word, n) != 0)
        return unexpected(sc, "a value (an object, array, string, number, true, false or null)");
    sc->pos += n;
    return t;
}

static enum json_token value(struct json_scan *sc)
{
    unsigned char c = sc->s[sc->pos];
    enum json_token t;
    switch (c) {
    case '{': return open_container(sc, true);
    case '[': return open_container(sc, false);
    case '"': t = string(sc, JSON_TOKEN_STRING); break;
    case 't': t = literal(sc, "true", JSON_TOKEN_TRUE); break;
    case 'f': t = literal(sc, "false", JSON_TOKEN_FALSE); break;
    case 'n': t = literal(sc, "null", JSON_TOKEN_NULL); break;
    case '+': return bad_number(sc, "a number cannot start with '+'");
    case '\'': return fail(sc, JSON_FAULT_SYNTAX, sc->pos, "strings take double quotes (\"), not single quotes");
    default:
        if (c == '-' || is_digit(c)) {
            t = sc->lax & JSON_LAX_NUMBERS ? lax_number(sc) : strict_number(sc);
            break;
        }
        if (c == '.' && sc->pos + 1 < sc->len && is_digit(sc->s[sc->pos + 1]))
            return bad_number(sc, "a digit must come before the decimal point (0.5)");
        return unexpected(sc, "a value (an object, array, string, number, true, false or null)");
    }
    if (t != JSON_TOKEN_ERROR)
        sc->state = S_AFTER;
    return t;
}

static enum json_token key(struct json_scan *sc)
{
    enum json_token t = string(sc, JSON_TOKEN_KEY);
    if (t == JSON_TOKEN_ERROR || !skip_space(sc))
        return JSON_TOKEN_ERROR;
    if (sc->pos >= sc->len)
        return unclosed(sc);
    if (sc->s[sc->pos] != ':')
        return unexpected(sc, "':' after the key");
    sc->pos++;
    sc->state = S_VALUE;
    return t;
}

/* After a value inside an object or array, anything but ',' (which the
 * caller takes): the closing bracket, or an error. */
static enum json_token after_value(struct json_scan *sc)
{
    bool object = in_object(sc);
    unsigned char c = sc->s[sc->pos];
    if (c == (object ? '}' : ']'))
        return close_container(sc);
    const char *expected = object ? "',' or '}' after an object member" : "',' or ']' after an array element";
    if (c == '"' || c == '{' || c == '[' || c == '-' || is_digit(c))
        return fail(sc, JSON_FAULT_SYNTAX, sc->pos, "expected %s, found the start of another value (a comma missing?)",
                    expected);
    return unexpected(sc, expected);
}

enum json_token json_scan_next(struct json_scan *sc)
{
    for (;;) {
        if (sc->state == S_FAILED)
            return JSON_TOKEN_ERROR;
        if (sc->state == S_DONE)
            return JSON_TOKEN_EOF;
        if ((sc->pos >= sc->len || sc->s[sc->pos] <= ' ') && !skip_space(sc))   /* white space, or the end, to look at */
            return JSON_TOKEN_ERROR;
        sc->start = sc->pos;
        bool end = sc->pos >= sc->len;
        unsigned char c = end ? 0 : sc->s[sc->pos];
        switch ((enum state)sc->state) {
        case S_VALUE:
            if (end && sc->depth == 0) {
                const char *why = sc->len == 0 ? "the file is empty"
                                  : sc->body == sc->len ? "the file holds only a byte-order mark"
                                  : "the file holds only white space";
                return fail(sc, JSON_FAULT_EMPTY, sc->body, "empty document: %s", why);
            }
            return end ? unclosed(sc) : value(sc);
        case S_ELEMENT:
            if (end)
                return unclosed(sc);
            if (c == ']')
                return fail(sc, JSON_FAULT_SYNTAX, sc->pos, "expected a value after ',', found ']' "
                            "(JSON allows no comma before ']')");
            return value(sc);
        case S_FIRST_ELEMENT:
            if (end)
                return unclosed(sc);
            return c == ']' ? close_container(sc) : value(sc);
        case S_FIRST_KEY:
        case S_KEY:
            if (end)
                return unclosed(sc);
            if (c == '"')
                return key(sc);
            if (c == '}' && sc->state == S_FIRST_KEY)
                return close_container(sc);
            if (c == '}')
                return fail(sc, JSON_FAULT_SYNTAX, sc->pos, "expected a key after ',', found '}' "
                            "(JSON allows no comma before '}')");
            if (c == '\'')
                return fail(sc, JSON_FAULT_SYNTAX, sc->pos, "keys take double quotes (\"), not single quotes");
            return unexpected(sc, sc->state == S_KEY ? "a key (a string in double quotes)"
                                                     : "a key (a string in double quotes) or '}'");
        case S_AFTER:
            if (sc->depth == 0) {
                if (end) {
                    sc->state = S_DONE;
                    return JSON_TOKEN_EOF;
                }
                return fail(sc, JSON_FAULT_TRAILING, sc->pos, "unexpected text after the end of the JSON document");
            }
            if (end)
                return unclosed(sc);
            if (c != ',')
                return after_value(sc);
            sc->pos++;
            sc->state = in_object(sc) ? S_KEY : S_ELEMENT;
            continue;   /* read the next member or element */
        case S_DONE:
        case S_FAILED:
            break;
        }
        return JSON_TOKEN_ERROR;
    }
}

bool json_scan_text(const char *text, size_t len, unsigned lax, struct json_scan *fault)
{
    struct json_scan local, *sc = fault ? fault : &local;
    json_scan_init(sc, text, len, lax, false);
    enum json_token t;
    do
        t = json_scan_next(sc);
    while (t != JSON_TOKEN_EOF && t != JSON_TOKEN_ERROR);
    json_scan_free(sc);
    return t == JSON_TOKEN_EOF;
}

struct json_where json_locate(const char *text, size_t len, size_t offset)
{
    struct json_where w = {1, 1};
    if (offset > len)
        offset = len;
    for (size_t i = json_bom_length(text, len); i < offset; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n') {
            w.line++;
            w.col = 1;
        } else if ((c & 0xC0) != 0x80) {
            w.col++;
        }
    }
    return w;
}
