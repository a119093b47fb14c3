/*
 * lines.c - a panel's text as lines (see render.h): paragraphs wrapped at
 * the panel's width, or kept whole and cut with the mark; drawn from a
 * first line, with a marker row wherever lines are hidden.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

#define MIN_COLS 8   /* a wrapped line is never narrower than this */

void viz_lines_init(struct viz_lines *ls, int width_px, int char_w)
{
    memset(ls, 0, sizeof *ls);
    ls->cols = char_w > 0 && width_px > 0 ? width_px / char_w : 0;
}

void viz_lines_free(struct viz_lines *ls)
{
    free(ls->line);
    free(ls->text);
    memset(ls, 0, sizeof *ls);
}

/* Keep n characters of s in the arena and add a line for them. Out of
 * host memory the line is left out. */
static void push(struct viz_lines *ls, int tag, uint32_t rgb, int indent, const char *s, size_t n)
{
    if (ls->len + n + 1 > ls->text_cap) {
        size_t cap = (ls->len + n + 1) * 2;
        char *t = realloc(ls->text, cap);
        if (!t)
            return;
        ls->text = t;
        ls->text_cap = cap;
    }
    if (ls->n == ls->cap) {
        size_t cap = ls->cap ? ls->cap * 2 : 32;
        struct viz_line *l = realloc(ls->line, cap * sizeof *l);
        if (!l)
            return;
        ls->line = l;
        ls->cap = cap;
    }
    memcpy(ls->text + ls->len, s, n);
    ls->text[ls->len + n] = '\0';
    ls->line[ls->n++] = (struct viz_line){ls->len, (int)n, indent, rgb, tag};
    ls->len += n + 1;
}

/* The length of the next piece of at most cols characters of a line that
 * ends at `end`, broken after the last space that fits (or mid-word when
 * a word is longer than the line); *skip: the spaces to drop after it. */
static size_t piece(const char *s, const char *end, size_t cols, size_t *skip)
{
    size_t n = (size_t)(end - s);
    *skip = 0;
    if (n <= cols)
        return n;
    size_t cut = cols;
    while (cut > 0 && s[cut] != ' ')
        cut--;
    if (cut == 0)
        return cols;
    size_t keep = cut;
    while (keep > 0 && s[keep - 1] == ' ')
        keep--;
    while (s + cut + *skip < end && s[cut + *skip] == ' ')
        (*skip)++;
    return keep ? keep : cols;
}

void viz_lines_add(struct viz_lines *ls, int tag, uint32_t rgb, int indent, int hang, const char *s)
{
    while (*s) {
        const char *end = strchr(s, '\n');
        if (!end)
            end = s + strlen(s);
        int in = indent;
        do {
            int room = ls->cols - in;
            size_t skip, n = piece(s, end, (size_t)(room < MIN_COLS ? MIN_COLS : room), &skip);
            push(ls, tag, rgb, in, s, n);
            s += n + skip;
            in = indent + hang;
        } while (s < end);
        s = *end ? end + 1 : end;
    }
}

void viz_lines_addf(struct viz_lines *ls, int tag, uint32_t rgb, int indent, int hang, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    viz_lines_add(ls, tag, rgb, indent, hang, buf);
}

void viz_lines_add_cut(struct viz_lines *ls, int tag, uint32_t rgb, const char *s)
{
    while (*s) {
        const char *end = strchr(s, '\n');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        push(ls, tag, rgb, 0, s, n);
        s += n + (end ? 1 : 0);
    }
}

void viz_lines_view(const struct viz_lines *ls, int rows, size_t first, struct viz_lines_view *v)
{
    memset(v, 0, sizeof *v);
    if (rows <= 0 || ls->n == 0)
        return;
    if (ls->n <= (size_t)rows) {
        v->count = ls->n;
        return;
    }
    size_t max = viz_lines_max_first(ls, rows);
    v->first = first > max ? max : first;
    bool top = v->first > 0 && rows > 1;
    size_t room = (size_t)rows - (top ? 1 : 0);
    bool bottom = v->first + room < ls->n && room > 1;
    if (bottom)
        room--;
    v->count = v->first + room < ls->n ? room : ls->n - v->first;
    v->above = top ? v->first : 0;
    v->below = bottom ? ls->n - v->first - v->count : 0;
}

size_t viz_lines_max_first(const struct viz_lines *ls, int rows)
{
    if (rows <= 0 || ls->n <= (size_t)rows)
        return 0;
    /* at the end: a marker above and rows - 1 lines */
    return rows > 1 ? ls->n - (size_t)(rows - 1) : ls->n - 1;
}

void viz_lines_draw_line(struct viz_gfx *g, const struct viz_lines *ls, size_t i, int x, int y, int max_w)
{
    const struct viz_line *l = &ls->line[i];
    int dx = l->indent * g->char_w;
    viz_text(g, x + dx, y, max_w - dx, l->rgb, ls->text + l->at);
}

void viz_lines_marker(struct viz_gfx *g, int x, int y, int max_w, size_t hidden, bool above, const char *hint)
{
    char text[160];
    int n = snprintf(text, sizeof text, "%s %zu more line%s %s", above ? "^" : "v", hidden, hidden == 1 ? "" : "s",
                     above ? "above" : "below");
    /* the hint only when it fits: the count matters more */
    if (hint && *hint && n > 0 && (size_t)n + 1 + strlen(hint) <= (size_t)(max_w / g->char_w))
        snprintf(text + n, sizeof text - (size_t)n, " %s", hint);
    viz_text(g, x, y, max_w, VIZ_HILITE, text);
}

int viz_lines_draw(struct viz_gfx *g, const struct viz_lines *ls, int x, int y, int max_w, int bottom,
                   size_t first, const char *hint)
{
    int rows = g->line_h > 0 ? (bottom - y) / g->line_h : 0;
    struct viz_lines_view v;
    viz_lines_view(ls, rows, first, &v);
    if (v.above) {
        viz_lines_marker(g, x, y, max_w, v.above, true, hint);
        y += g->line_h;
    }
    for (size_t i = v.first; i < v.first + v.count; i++, y += g->line_h)
        viz_lines_draw_line(g, ls, i, x, y, max_w);
    if (v.below) {
        viz_lines_marker(g, x, y, max_w, v.below, false, hint);
        y += g->line_h;
    }
    return y;
}
