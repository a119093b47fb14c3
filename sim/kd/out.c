/*
 * out.c - where the views' text goes: a FILE, or a buffer that grows.
 */
#include <stdlib.h>
#include <string.h>

#include "kd.h"

void kd_out_file(struct kd_out *o, FILE *f)
{
    memset(o, 0, sizeof *o);
    o->file = f;
}

void kd_out_buffer(struct kd_out *o)
{
    memset(o, 0, sizeof *o);
}

const char *kd_out_text(const struct kd_out *o)
{
    return o->text ? o->text : "";
}

void kd_out_free(struct kd_out *o)
{
    free(o->text);
    o->text = NULL;
    o->len = o->cap = 0;
}

/* Make room for `more` bytes and the NUL; false when the host is out of memory. */
static bool reserve(struct kd_out *o, size_t more)
{
    if (o->len + more + 1 <= o->cap)
        return true;
    size_t cap = o->cap ? o->cap : 256;
    while (cap < o->len + more + 1)
        cap *= 2;
    char *t = realloc(o->text, cap);
    if (!t)
        return false;
    o->text = t;
    o->cap = cap;
    return true;
}

void kd_printf(struct kd_out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (o->file) {
        vfprintf(o->file, fmt, ap);
        va_end(ap);
        return;
    }
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n >= 0 && !o->failed && !reserve(o, (size_t)n))
        o->failed = true;
    if (n < 0 || o->failed) {
        va_end(again);
        return;
    }
    vsnprintf(o->text + o->len, o->cap - o->len, fmt, again);
    va_end(again);
    o->len += (size_t)n;
}
