/*
 * layout.h - where each panel goes for a window size, and where each
 * physical frame's cell sits in the memory grid. Pure geometry: the same
 * numbers serve drawing, mouse hit-testing and the tests that sample
 * pixels of a rendered picture.
 *
 *  +---------------------------------------------------------------+
 *  | top bar: scenario, step k/N, op, status, fault, speed         |
 *  +--------------------------------+------------------------------+
 *  | physical memory grid           | working-set list             |
 *  |                                |                              |
 *  +----------------+---------------+------------------------------+
 *  | legend, counts | PFN entry     | VADs                         |
 *  +----------------+---------------+------------------------------+
 *  | note, narration of the step    | two-level walk of a VA       |
 *  +--------------------------------+------------------------------+
 */
#ifndef MMVIZ_LAYOUT_H
#define MMVIZ_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>

struct viz_layout {
    int w, h;                   /* the whole picture */
    int line_h, char_w;         /* text metrics of the font in use */
    SDL_Rect top, grid, legend, pfn, story, ws, vads, walk;
    /* the memory grid: frame f sits at column f % cols, row f / cols,
     * each cell `cell` pixels square (with a 1-pixel gap from 4 up); when
     * even 1-pixel cells do not fit, one pixel stands for per_pixel frames */
    uint32_t frames;
    int cell, cols, rows;
    uint32_t per_pixel;
};

/* Compute every panel for a w x h picture of a machine with `frames`
 * frames, given the font's line height and character width. */
void viz_layout_compute(struct viz_layout *l, int w, int h, uint32_t frames, int line_h, int char_w);
/* The cell of a frame, in picture coordinates (false if out of range).
 * With per_pixel > 1 this is the pixel shared by a group of frames. */
bool viz_frame_rect(const struct viz_layout *l, uint32_t frame, SDL_Rect *r);
/* The frame under a point of the grid (the first of its group), if any. */
bool viz_frame_at(const struct viz_layout *l, int x, int y, uint32_t *frame);
/* Does a frame's number (hex, the machine's last frame's digits) fit in
 * the top left of a cell, clear of the point viz_frame_sample gives? */
bool viz_frame_label_fits(const struct viz_layout *l);
/* A pixel of a frame's cell that shows only the cell's colour: right of
 * and below its number and its page-table edge. */
bool viz_frame_sample(const struct viz_layout *l, uint32_t frame, int *x, int *y);
/* The number of text lines and columns that fit in a panel. */
int viz_panel_lines(const struct viz_layout *l, const SDL_Rect *panel);

#endif
