/*
 * args.c - showing a command-line argument in a message (args.h).
 */
#include <stdio.h>
#include <string.h>

#include "args.h"

/* The length of the well-formed UTF-8 sequence at s (at most n bytes) for
 * a character from U+00A0 on, or 0: C1 controls, overlong forms,
 * surrogates and truncated or stray bytes are not shown as they are. */
static size_t utf8_char(const unsigned char *s, size_t n)
{
    size_t len = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 && s[0] < 0xE0 ? 2 : 0;
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

const char *args_show_n(const char *arg, size_t len, char *buf, size_t size)
{
    const unsigned char *s = (const unsigned char *)arg;
    size_t shown = len < ARGS_SHOW_MAX ? len : ARGS_SHOW_MAX, o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < shown && o + 8 < size;) {
        size_t u = s[i] >= 0x80 ? utf8_char(s + i, shown - i) : 0;
        if (u) {
            memcpy(buf + o, s + i, u);
            o += u;
            i += u;
        } else if (s[i] >= 0x20 && s[i] < 0x7F) {
            buf[o++] = (char)s[i++];
        } else {
            o += (size_t)snprintf(buf + o, size - o, "\\x%02X", s[i++]);
        }
    }
    if (shown < len && o + 4 <= size)
        memcpy(buf + o, "...", 3), o += 3;
    buf[o < size ? o : size - 1] = '\0';
    return buf;
}

const char *args_show(const char *arg, char *buf, size_t size)
{
    return args_show_n(arg, strlen(arg), buf, size);
}
