/*
 * lines.h - a panel's text as a list of lines: paragraphs wrapped at the
 * panel's width (continuation lines indented), or lines kept whole and cut
 * with the mark, for output whose columns matter. Drawn from a first line,
 * with a marker line where lines are hidden above or below, so nothing is
 * lost without saying so. The walk, PFN and narration panels use it; the
 * walk tags its lines to draw bit strips in place and to hit-test clicks.
 */
#ifndef MMVIZ_LINES_H
#define MMVIZ_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct viz_gfx;

struct viz_line {
    size_t at;                  /* its text: offset into the arena */
    int len;                    /* characters */
    int indent;                 /* characters from the panel's text edge */
    uint32_t rgb;
    int tag;                    /* the caller's: what the line shows */
};

struct viz_lines {
    int cols;                   /* characters that fit on a line */
    struct viz_line *line;
    size_t n, cap;
    char *text;                 /* the arena */
    size_t len, text_cap;
};

/* Lines for a text area width_px wide in a font char_w wide. */
void viz_lines_init(struct viz_lines *ls, int width_px, int char_w);
void viz_lines_free(struct viz_lines *ls);
/* Add s (one paragraph per newline) word-wrapped: the first line at
 * `indent` characters, the lines it wraps onto at indent + hang. */
void viz_lines_add(struct viz_lines *ls, int tag, uint32_t rgb, int indent, int hang, const char *s);
void viz_lines_addf(struct viz_lines *ls, int tag, uint32_t rgb, int indent, int hang, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Add s line by line, each kept whole (cut with the mark when drawn). */
void viz_lines_add_cut(struct viz_lines *ls, int tag, uint32_t rgb, const char *s);

/* Which lines a panel of `rows` rows shows from line `first`: lines
 * [first, first + count), a marker row above when above > 0 lines are
 * hidden there, one below for below > 0. first is clamped so the panel
 * is as full as it can be. */
struct viz_lines_view {
    size_t first, count, above, below;
};
void viz_lines_view(const struct viz_lines *ls, int rows, size_t first, struct viz_lines_view *v);
/* The largest useful first line for `rows` rows. */
size_t viz_lines_max_first(const struct viz_lines *ls, int rows);
/* Draw one line at (x, y): x is the panel's text edge. */
void viz_lines_draw_line(struct viz_gfx *g, const struct viz_lines *ls, size_t i, int x, int y, int max_w);
/* Draw the lines from `first` between y and bottom, x to x + max_w; the
 * marker rows say how many lines are hidden, and `hint` how to see them.
 * Returns the y after the last row drawn. */
int viz_lines_draw(struct viz_gfx *g, const struct viz_lines *ls, int x, int y, int max_w, int bottom,
                   size_t first, const char *hint);
/* A marker row: "N more lines above/below", with a hint. */
void viz_lines_marker(struct viz_gfx *g, int x, int y, int max_w, size_t hidden, bool above, const char *hint);

#endif
