/*
 * utf8.h - well-formed UTF-8, for the layers that show or write text from
 * outside (file names, scenario titles, words typed): the terminal escaping
 * of the scenario layer (show.h) and the JSON strings of the trace layer.
 */
#ifndef MMSIM_UTF8_H
#define MMSIM_UTF8_H

#include <stddef.h>

/* The length (2 to 4) of the well-formed UTF-8 sequence at s (at most n
 * bytes) of a character from U+00A0 on, or 0: ASCII, C1 controls,
 * overlong forms, surrogates, and truncated or stray bytes. */
static inline size_t utf8_char(const unsigned char *s, size_t n)
{
    if (n == 0)
        return 0;
    size_t len = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3 : s[0] >= 0xC2 && s[0] < 0xE0 ? 2 : 0;
    if (len == 0 || len > n)
        return 0;
    unsigned long c = s[0] & (0x7Fu >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3Fu);
    }
    static const unsigned long least[5] = {0, 0, 0xA0, 0x800, 0x10000};
    if (c < least[len] || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
        return 0;
    return len;
}

/* How many of the first n bytes of s to keep so that a cut there splits
 * no well-formed character: at most max. */
static inline size_t utf8_prefix(const char *s, size_t n, size_t max)
{
    size_t i = 0;
    while (i < n) {
        size_t u = utf8_char((const unsigned char *)s + i, n - i), step = u ? u : 1;
        if (i + step > max)
            break;
        i += step;
    }
    return i;
}

#endif
