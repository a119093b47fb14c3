/*
 * frames.c - the physical-memory grid: one cell per frame, coloured by the
 * frame's PageLocation (Standby shaded by priority, Active by the process
 * owning the page), page tables and directories marked with a white edge.
 *
 * The grid is drawn into a pixel buffer and uploaded as one streaming
 * texture, so a 1,048,576-frame machine costs one pass over the PFN
 * database and one texture copy, not a million rectangles.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

uint32_t viz_location_color(enum mm_list loc, unsigned priority, int owner)
{
    const struct viz_palette *p = viz_palette();
    switch (loc) {
    case ZeroedPageList: return p->zeroed;
    case FreePageList: return p->free;
    case StandbyPageList: return p->standby[priority > 7 ? 7 : priority];
    case ModifiedPageList: return p->modified;
    case ModifiedNoWritePageList: return p->modified_no_write;
    case BadPageList: return p->bad;
    case ActiveAndValid: return owner >= 0 ? p->owner[owner % 8] : p->system_active;
    case TransitionPage: return p->in_io;
    default: return p->unknown;
    }
}

/* The directory frame of every running process, by process index. */
struct owners {
    mm_pfn dir[SCN_MAX_PROCESSES];
    int n;
};

static void find_owners(const struct viz_model *vm, struct owners *o)
{
    o->n = 0;
    for (uint32_t i = 0; i < vm->sc->nprocess_names && i < SCN_MAX_PROCESSES; i++) {
        uint32_t pid = replay_pid(&vm->r, (int)i);
        struct mm_walk w;
        o->dir[i] = MM_EMPTY_LIST;
        if (pid && mm_process_exists(vm->r.m, pid) && mm_walk(vm->r.m, pid, 0, &w) == STATUS_SUCCESS)
            o->dir[i] = w.directory;
        o->n = (int)i + 1;
    }
}

/* Up the PteFrame chain (page -> table -> directory) to a known directory. */
static int owner_of(const struct viz_model *vm, const struct owners *o, mm_pfn frame)
{
    mm_pfn f = frame;
    for (int hop = 0; hop < 3; hop++) {
        for (int i = 0; i < o->n; i++)
            if (o->dir[i] == f)
                return i;
        const struct mmpfn *p = mm_pfn_entry(vm->r.m, f);
        if (!p)
            return -1;
        f = pfn_pte_frame(p);
    }
    return -1;
}

int viz_frame_owner(const struct viz_model *vm, mm_pfn frame)
{
    struct owners o;
    find_owners(vm, &o);
    return owner_of(vm, &o, frame);
}

bool viz_frame_is_table(const struct viz_model *vm, mm_pfn frame)
{
    const struct mmpfn *p = mm_pfn_entry(vm->r.m, frame);
    if (!p)
        return false;
    enum mm_list loc = pfn_location(p);
    /* a table's PTE lies in the directory page: 0xC0300000..0xC0300FFF */
    return (loc == ActiveAndValid || loc == TransitionPage) &&
           (p->pte_address & 0xFFFFF000u) == 0xC0300000u;
}

static uint32_t color_with(const struct viz_model *vm, const struct owners *o, mm_pfn frame)
{
    const struct mmpfn *p = mm_pfn_entry(vm->r.m, frame);
    if (!p)
        return VIZ_BG;
    enum mm_list loc = pfn_location(p);
    int owner = loc == ActiveAndValid ? owner_of(vm, o, frame) : -1;
    return viz_location_color(loc, pfn_priority(p), owner);
}

uint32_t viz_frame_color(const struct viz_model *vm, mm_pfn frame)
{
    struct owners o;
    find_owners(vm, &o);
    return color_with(vm, &o, frame);
}

/* When a pixel stands for many frames, show the most telling one. */
static int interest(enum mm_list loc)
{
    static const int rank[MM_LIST_COUNT] = {0, 1, 3, 5, 5, 4, 6, 7};
    return loc < MM_LIST_COUNT ? rank[loc] : 0;
}

static mm_pfn group_pick(const struct viz_model *vm, mm_pfn first, uint32_t count)
{
    mm_pfn best = first;
    int best_rank = -1;
    for (uint32_t k = 0; k < count; k++) {
        const struct mmpfn *p = mm_pfn_entry(vm->r.m, first + k);
        if (!p)
            break;
        int r = interest(pfn_location(p));
        if (r > best_rank) {
            best_rank = r;
            best = first + k;
        }
    }
    return best;
}

static bool ensure_texture(struct viz_gfx *g, int w, int h)
{
    if (g->grid_tex && g->grid_tw == w && g->grid_th == h)
        return true;
    if (g->grid_tex)
        SDL_DestroyTexture(g->grid_tex);
    free(g->pixels);
    g->grid_tex = SDL_CreateTexture(g->ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, w, h);
    g->pixels = malloc((size_t)w * (size_t)h * sizeof *g->pixels);
    g->grid_tw = w;
    g->grid_th = h;
    return g->grid_tex && g->pixels;
}

/* Paint one cell (cell x cell pixels, less the gap) into the buffer. */
static void paint_cell(struct viz_gfx *g, const struct viz_layout *l, uint32_t slot, uint32_t rgb,
                       bool table)
{
    int gap = l->cell >= 4 ? 1 : 0, size = l->cell - gap;
    int x0 = (int)(slot % (uint32_t)l->cols) * l->cell, y0 = (int)(slot / (uint32_t)l->cols) * l->cell;
    int edge = l->cell >= 12 ? 2 : 1;
    for (int y = 0; y < size; y++) {
        uint32_t *row = g->pixels + (size_t)(y0 + y) * (size_t)g->grid_tw + (size_t)x0;
        for (int x = 0; x < size; x++)
            row[x] = 0xFF000000u | ((table && l->cell >= 5 && (y < edge || x < edge)) ? VIZ_MARK : rgb);
    }
}

/* Each frame's number in hex at the top left of its cell, in black or
 * white, whichever contrasts more with the cell's colour. */
static void draw_labels(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
                        const struct owners *o)
{
    for (mm_pfn f = 0; f < l->frames; f++) {
        SDL_Rect r;
        if (!viz_frame_rect(l, f, &r))
            break;
        char label[12];
        snprintf(label, sizeof label, "%X", f);
        viz_text(g, r.x + 3, r.y + 1, r.w - 3, viz_label_color(color_with(vm, o, f)), label);
    }
}

void viz_draw_frames(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
                     const struct viz_ui *ui)
{
    char title[96];
    snprintf(title, sizeof title, "Physical memory: %u frames%s", l->frames,
             l->per_pixel > 1 ? " (one pixel = several frames)" : "");
    viz_panel(g, &l->grid, title);
    int w = l->cols * l->cell, h = l->rows * l->cell;
    if (w <= 0 || h <= 0 || !ensure_texture(g, w, h))
        return;
    for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
        g->pixels[i] = 0xFF000000u | VIZ_PANEL;
    struct owners o;
    find_owners(vm, &o);
    uint32_t slots = (l->frames + l->per_pixel - 1) / l->per_pixel;
    for (uint32_t s = 0; s < slots; s++) {
        mm_pfn f = s * l->per_pixel;
        if (l->per_pixel > 1)
            f = group_pick(vm, f, l->per_pixel);
        paint_cell(g, l, s, color_with(vm, &o, f), viz_frame_is_table(vm, f));
    }
    SDL_UpdateTexture(g->grid_tex, NULL, g->pixels, w * (int)sizeof *g->pixels);
    SDL_Rect first;
    viz_frame_rect(l, 0, &first);
    SDL_Rect dst = {first.x, first.y, w, h};
    SDL_RenderCopy(g->ren, g->grid_tex, NULL, &dst);
    if (viz_frame_label_fits(l))
        draw_labels(g, l, vm, &o);
    SDL_Rect sel;
    if (ui->has_frame && viz_frame_rect(l, ui->frame, &sel) && l->cell >= 4) {
        SDL_Rect ring = {sel.x - 1, sel.y - 1, sel.w + 2, sel.h + 2};
        viz_outline(g, &ring, VIZ_HILITE);
    }
}
