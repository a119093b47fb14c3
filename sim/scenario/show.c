/*
 * show.c - text from outside, escaped for a terminal (show.h).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "show.h"
#include "utf8.h"

/* How the character at s (n bytes left) is shown: its bytes as they are
 * (returns their count, *escape false) or one byte as \xHH (returns 1,
 * *escape true). */
static size_t next_char(const unsigned char *s, size_t n, bool *escape)
{
    if (s[0] >= 0x20 && s[0] < 0x7F) {
        *escape = false;
        return 1;
    }
    size_t u = s[0] >= 0x80 ? utf8_char(s, n) : 0;
    *escape = u == 0;
    return u ? u : 1;
}

static const char hex[] = "0123456789ABCDEF";

const char *show_text(const char *str, size_t len, size_t max, char *out, size_t size)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t shown = len < max ? len : max, o = 0, i = 0;
    bool cut = shown < len;
    while (i < shown) {
        bool escape;
        size_t u = next_char(s + i, shown - i, &escape);
        size_t need = escape ? 4 : u;
        if (o + need + 4 > size) {   /* room for this, "..." and the NUL */
            cut = true;
            break;
        }
        if (escape) {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[s[i] >> 4];
            out[o++] = hex[s[i] & 15];
        } else {
            memcpy(out + o, s + i, u);
            o += u;
        }
        i += u;
    }
    if (cut && o + 4 <= size) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
    return out;
}

size_t show_write(FILE *f, const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t cols = 0, i = 0;
    while (i < len) {
        size_t plain = i;   /* a run shown as it is, written at once */
        bool escape = false;
        while (plain < len) {
            size_t u = next_char(s + plain, len - plain, &escape);
            if (escape)
                break;
            plain += u;
            cols++;
        }
        fwrite(s + i, 1, plain - i, f);
        i = plain;
        if (i < len && escape) {
            char e[4] = {'\\', 'x', hex[s[i] >> 4], hex[s[i] & 15]};
            fwrite(e, 1, 4, f);
            cols += 4;
            i++;
        }
    }
    return cols;
}

size_t show_columns(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t cols = 0;
    for (size_t i = 0; i < len;) {
        bool escape;
        i += next_char(s + i, len - i, &escape);
        cols += escape ? 4 : 1;
    }
    return cols;
}

size_t show_fputs(FILE *f, const char *s) { return show_write(f, s, strlen(s)); }

bool show_printf(FILE *f, const char *fmt, ...)
{
    char small[1024], *text = small;
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (len < 0)
        return false;
    if ((size_t)len >= sizeof small && (text = malloc((size_t)len + 1))) {
        va_start(ap, fmt);
        vsnprintf(text, (size_t)len + 1, fmt, ap);
        va_end(ap);
    } else if ((size_t)len >= sizeof small) {
        text = small;   /* no memory for all of it: what fitted */
        len = (int)sizeof small - 1;
    }
    bool newline = len > 0 && text[len - 1] == '\n';
    show_write(f, text, (size_t)len - newline);
    if (newline)
        fputc('\n', f);
    if (text != small)
        free(text);
    return true;
}

bool show_is_plain(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    for (size_t i = 0; i < len;) {
        bool escape;
        i += next_char(s + i, len - i, &escape);
        if (escape)
            return false;
    }
    return true;
}
