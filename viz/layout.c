/*
 * layout.c - panel geometry (see the picture in layout.h).
 */
#include "layout.h"

#define PAD 6   /* pixels between a panel's edge and its text */

/* Fit `frames` square cells into a w x h area: the largest cell size
 * that fits, down to 1 pixel, then several frames per pixel. */
static void fit_cells(struct viz_layout *l, int w, int h)
{
    uint32_t n = l->frames ? l->frames : 1;
    l->per_pixel = 1;
    for (int c = 32; c >= 1; c--) {
        int cols = w / c;
        if (cols < 1)
            continue;
        uint32_t rows = (n + (uint32_t)cols - 1) / (uint32_t)cols;
        if ((uint64_t)rows * (uint64_t)c <= (uint64_t)h) {
            l->cell = c;
            l->cols = cols;
            l->rows = (int)rows;
            return;
        }
    }
    /* 1-pixel cells do not fit: group frames so the groups fill the area */
    uint64_t pixels = (uint64_t)(w > 0 ? w : 1) * (uint64_t)(h > 0 ? h : 1);
    l->per_pixel = (uint32_t)((n + pixels - 1) / pixels);
    uint32_t groups = (n + l->per_pixel - 1) / l->per_pixel;
    l->cell = 1;
    l->cols = w > 0 ? w : 1;
    l->rows = (int)((groups + (uint32_t)l->cols - 1) / (uint32_t)l->cols);
}

static SDL_Rect rect(int x, int y, int w, int h)
{
    SDL_Rect r = {x, y, w, h};
    return r;
}

void viz_layout_compute(struct viz_layout *l, int w, int h, uint32_t frames, int line_h, int char_w)
{
    l->w = w;
    l->h = h;
    l->line_h = line_h;
    l->char_w = char_w;
    l->frames = frames;
    int top_h = 2 * line_h + 2 * PAD;
    int left_w = w * 52 / 100;
    int right_w = w - left_w;
    int body_h = h - top_h;
    int grid_h = body_h * 44 / 100;
    int mid_h = 12 * line_h + 2 * PAD;
    /* a small machine needs less than its share: give the rest to the text */
    fit_cells(l, left_w - 2 * PAD, grid_h - line_h - 2 * PAD);
    int used = l->rows * l->cell + line_h + 2 * PAD + 1;
    if (used < grid_h)
        grid_h = used > body_h * 28 / 100 ? used : body_h * 28 / 100;
    l->top = rect(0, 0, w, top_h);
    l->grid = rect(0, top_h, left_w, grid_h);
    int legend_w = left_w * 46 / 100;
    l->legend = rect(0, top_h + grid_h, legend_w, mid_h);
    l->pfn = rect(legend_w, top_h + grid_h, left_w - legend_w, mid_h);
    l->story = rect(0, top_h + grid_h + mid_h, left_w, body_h - grid_h - mid_h);
    l->ws = rect(left_w, top_h, right_w, grid_h);
    l->vads = rect(left_w, top_h + grid_h, right_w, mid_h);
    l->walk = rect(left_w, top_h + grid_h + mid_h, right_w, body_h - grid_h - mid_h);
    fit_cells(l, l->grid.w - 2 * PAD, l->grid.h - line_h - 2 * PAD);
}

/* The top-left pixel of the grid's cells (below the panel's title line). */
static void grid_origin(const struct viz_layout *l, int *x, int *y)
{
    *x = l->grid.x + PAD;
    *y = l->grid.y + PAD + l->line_h;
}

bool viz_frame_rect(const struct viz_layout *l, uint32_t frame, SDL_Rect *r)
{
    if (frame >= l->frames)
        return false;
    uint32_t slot = frame / l->per_pixel;
    int x0, y0;
    grid_origin(l, &x0, &y0);
    int gap = l->cell >= 4 ? 1 : 0;
    r->x = x0 + (int)(slot % (uint32_t)l->cols) * l->cell;
    r->y = y0 + (int)(slot / (uint32_t)l->cols) * l->cell;
    r->w = l->cell - gap;
    r->h = l->cell - gap;
    return true;
}

bool viz_frame_at(const struct viz_layout *l, int x, int y, uint32_t *frame)
{
    int x0, y0;
    grid_origin(l, &x0, &y0);
    if (x < x0 || y < y0 || l->cell <= 0)
        return false;
    int col = (x - x0) / l->cell, row = (y - y0) / l->cell;
    if (col >= l->cols || row >= l->rows)
        return false;
    uint64_t f = ((uint64_t)row * (uint64_t)l->cols + (uint64_t)col) * l->per_pixel;
    if (f >= l->frames)
        return false;
    *frame = (uint32_t)f;
    return true;
}

/* Hex digits of the largest frame number. */
static int label_digits(const struct viz_layout *l)
{
    int d = 1;
    for (uint32_t f = l->frames ? l->frames - 1 : 0; f >= 16; f >>= 4)
        d++;
    return d;
}

bool viz_frame_label_fits(const struct viz_layout *l)
{
    int inside = l->cell - 1, edge = 3;   /* less the gap; past a page table's edge */
    return l->per_pixel == 1 && l->cell >= 8 && edge + label_digits(l) * l->char_w <= inside * 3 / 4 - 1 &&
           1 + l->line_h <= inside * 3 / 4;
}

bool viz_frame_sample(const struct viz_layout *l, uint32_t frame, int *x, int *y)
{
    SDL_Rect r;
    if (!viz_frame_rect(l, frame, &r))
        return false;
    *x = r.x + r.w * 3 / 4;
    *y = r.y + r.h * 3 / 4;
    return true;
}

int viz_panel_lines(const struct viz_layout *l, const SDL_Rect *panel)
{
    return l->line_h > 0 ? (panel->h - 2 * PAD) / l->line_h : 0;
}
