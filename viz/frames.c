/*
 * frames.c - the physical-memory grid: one cell per frame, coloured by the
 * frame's PageLocation (Standby shaded by priority, Active by the process
 * owning the page), page tables and directories marked with an edge on
 * their top and left. A page of a section (PFN PrototypePte) carries an
 * edge at its bottom; while processes map it, its cell is split into one
 * stripe per process, in each one's colour. Paged-pool frames holding
 * prototype PTEs have a colour of their own.
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

/* ---- pages of sections: who maps them ---- */

static int by_frame(const void *a, const void *b)
{
    const struct viz_share *x = a, *y = b;
    if (x->frame != y->frame)
        return x->frame < y->frame ? -1 : 1;
    if (x->process != y->process)
        return x->process < y->process ? -1 : 1;
    return x->va < y->va ? -1 : x->va > y->va;
}

void viz_shares_build(const struct viz_model *vm, struct viz_shares *sh)
{
    memset(sh, 0, sizeof *sh);
    const struct mm_machine *m = vm->r.m;
    for (uint32_t i = 0; i < vm->sc->nprocess_names && i < SCN_MAX_PROCESSES; i++) {
        uint32_t pid = replay_pid(&vm->r, (int)i);
        const struct mm_wsl *ws = pid && mm_process_exists(m, pid) ? mm_working_set(m, pid) : NULL;
        for (uint32_t k = 0; ws && ws->size && k <= ws->last_entry; k++) {
            mm_wsle e = ws->wsle[k];
            struct mm_walk w;
            /* views are user memory (below 2 GiB): tables and system pages are not asked */
            if (!wsle_valid(e) || wsle_va(e) >= 0x80000000u ||
                mm_walk(m, pid, wsle_va(e), &w) != STATUS_SUCCESS || !w.valid)
                continue;
            const struct mmpfn *p = mm_pfn_entry(m, w.frame);
            if (!p || !pfn_flag(p, PFN_PROTOTYPE_PTE))
                continue;
            if (sh->n == sh->cap) {
                size_t cap = sh->cap ? sh->cap * 2 : 32;
                struct viz_share *q = realloc(sh->s, cap * sizeof *q);
                if (!q)
                    break;   /* out of host memory: fewer stripes */
                sh->s = q;
                sh->cap = cap;
            }
            sh->s[sh->n++] = (struct viz_share){w.frame, (int)i, wsle_va(e)};
        }
    }
    if (sh->n)
        qsort(sh->s, sh->n, sizeof sh->s[0], by_frame);
}

void viz_shares_free(struct viz_shares *sh)
{
    free(sh->s);
    memset(sh, 0, sizeof *sh);
}

size_t viz_shares_of(const struct viz_shares *sh, mm_pfn frame, size_t *first)
{
    size_t lo = 0, hi = sh->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sh->s[mid].frame < frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t n = 0;
    while (lo + n < sh->n && sh->s[lo + n].frame == frame)
        n++;
    *first = lo;
    return n;
}

/* The processes mapping a frame, each once, in index order. */
static int sharers(const struct viz_shares *sh, mm_pfn frame, int *process, int max)
{
    size_t first, n = viz_shares_of(sh, frame, &first);
    int k = 0;
    for (size_t i = first; i < first + n && k < max; i++)
        if (k == 0 || process[k - 1] != sh->s[i].process)
            process[k++] = sh->s[i].process;
    return k;
}

bool viz_frame_is_section_page(const struct viz_model *vm, mm_pfn frame)
{
    const struct mmpfn *p = mm_pfn_entry(vm->r.m, frame);
    if (!p || !pfn_flag(p, PFN_PROTOTYPE_PTE))
        return false;
    enum mm_list loc = pfn_location(p);
    return loc != ZeroedPageList && loc != FreePageList && loc != BadPageList;
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

/* The colours of a frame's cell, left to right: one, or for a page of a
 * section that several processes map, one stripe per process. */
#define MAX_STRIPES 16

static int cell_colors(const struct viz_model *vm, const struct owners *o, const struct viz_shares *sh,
                       mm_pfn frame, uint32_t *rgb)
{
    const struct mmpfn *p = mm_pfn_entry(vm->r.m, frame);
    if (!p) {
        rgb[0] = VIZ_BG;
        return 1;
    }
    enum mm_list loc = pfn_location(p);
    if (loc == ActiveAndValid && pfn_flag(p, PFN_PROTOTYPE_PTE)) {
        int who[MAX_STRIPES], k = sharers(sh, frame, who, MAX_STRIPES);
        for (int i = 0; i < k; i++)
            rgb[i] = viz_location_color(ActiveAndValid, 0, who[i]);
        if (k)
            return k;
    }
    if (loc == ActiveAndValid && mm_frame_is_pool(vm->r.m, frame)) {
        rgb[0] = viz_palette()->proto_pool;
        return 1;
    }
    int owner = loc == ActiveAndValid ? owner_of(vm, o, frame) : -1;
    rgb[0] = viz_location_color(loc, pfn_priority(p), owner);
    return 1;
}

/* Stripe i of k across a cell `size` pixels wide: [x0, x1). */
static void stripe_span(int size, int i, int k, int *x0, int *x1)
{
    *x0 = i * size / k;
    *x1 = (i + 1) * size / k;
}

uint32_t viz_frame_color(const struct viz_layout *l, const struct viz_model *vm, mm_pfn frame)
{
    struct owners o;
    struct viz_shares sh;
    find_owners(vm, &o);
    viz_shares_build(vm, &sh);
    uint32_t rgb[MAX_STRIPES];
    int k = cell_colors(vm, &o, &sh, frame, rgb);
    viz_shares_free(&sh);
    SDL_Rect r;
    int x, y, x0, x1;
    if (k == 1 || !viz_frame_rect(l, frame, &r) || !viz_frame_sample(l, frame, &x, &y))
        return rgb[0];
    for (int i = 0; i < k; i++) {
        stripe_span(r.w, i, k, &x0, &x1);
        if (x - r.x >= x0 && x - r.x < x1)
            return rgb[i];
    }
    return rgb[k - 1];
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

/* Paint one cell (cell x cell pixels, less the gap) into the buffer: k
 * stripes of colour, the table edge (top and left) or the section edge
 * (bottom) in the mark colour. */
static void paint_cell(struct viz_gfx *g, const struct viz_layout *l, uint32_t slot, const uint32_t *rgb, int k,
                       bool table, bool section)
{
    int gap = l->cell >= 4 ? 1 : 0, size = l->cell - gap;
    int x0 = (int)(slot % (uint32_t)l->cols) * l->cell, y0 = (int)(slot / (uint32_t)l->cols) * l->cell;
    int edge = l->cell >= 12 ? 2 : 1;
    bool marks = l->cell >= 5;
    for (int i = 0; i < k; i++) {
        int sx0, sx1;
        stripe_span(size, i, k, &sx0, &sx1);
        for (int y = 0; y < size; y++) {
            uint32_t *row = g->pixels + (size_t)(y0 + y) * (size_t)g->grid_tw + (size_t)x0;
            for (int x = sx0; x < sx1; x++) {
                bool mark = marks && ((table && (y < edge || x < edge)) || (section && y >= size - edge));
                row[x] = 0xFF000000u | (mark ? VIZ_MARK : rgb[i]);
            }
        }
    }
}

/* Each frame's number in hex at the top left of its cell, in black or
 * white, whichever contrasts more with the cell's colour. */
static void draw_labels(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
                        const struct owners *o, const struct viz_shares *sh)
{
    for (mm_pfn f = 0; f < l->frames; f++) {
        SDL_Rect r;
        if (!viz_frame_rect(l, f, &r))
            break;
        char label[12];
        snprintf(label, sizeof label, "%X", f);
        uint32_t rgb[MAX_STRIPES];
        if (cell_colors(vm, o, sh, f, rgb) > 1) {
            /* no one colour reads on every stripe: the number sits on a
             * tab of the first stripe's colour (clear of the sample point) */
            SDL_Rect tab = {r.x + 3, r.y + 1, (int)strlen(label) * g->char_w, g->glyph_h};
            viz_fill(g, &tab, rgb[0]);
        }
        viz_text(g, r.x + 3, r.y + 1, r.w - 3, viz_label_color(rgb[0]), label);
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
    struct viz_shares sh;
    find_owners(vm, &o);
    viz_shares_build(vm, &sh);
    uint32_t slots = (l->frames + l->per_pixel - 1) / l->per_pixel;
    for (uint32_t s = 0; s < slots; s++) {
        mm_pfn f = s * l->per_pixel;
        if (l->per_pixel > 1)
            f = group_pick(vm, f, l->per_pixel);
        uint32_t rgb[MAX_STRIPES];
        int k = cell_colors(vm, &o, &sh, f, rgb);
        paint_cell(g, l, s, rgb, k, viz_frame_is_table(vm, f), viz_frame_is_section_page(vm, f));
    }
    SDL_UpdateTexture(g->grid_tex, NULL, g->pixels, w * (int)sizeof *g->pixels);
    SDL_Rect first;
    viz_frame_rect(l, 0, &first);
    SDL_Rect dst = {first.x, first.y, w, h};
    SDL_RenderCopy(g->ren, g->grid_tex, NULL, &dst);
    if (viz_frame_label_fits(l))
        draw_labels(g, l, vm, &o, &sh);
    viz_shares_free(&sh);
    SDL_Rect sel;
    if (ui->has_frame && viz_frame_rect(l, ui->frame, &sel) && l->cell >= 4) {
        SDL_Rect ring = {sel.x - 1, sel.y - 1, sel.w + 2, sel.h + 2};
        viz_outline(g, &ring, VIZ_HILITE);
    }
}
