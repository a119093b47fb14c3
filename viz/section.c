/*
 * section.c - sections in the picture: which view of a section a VA of a
 * process lies in, the words for a prototype PTE in each of its forms,
 * and the segment panel: the prototype PTEs of one section, one row each,
 * drawn under the VADs (in the lower part of their panel) while the
 * machine has a live section: the VAD of a view is what leads a fault to
 * the prototype PTE.
 *
 * The section shown follows the selected process: the section of the view
 * holding the walked VA, else of the process's first view, else the
 * machine's first live section. The rows of the pages the process's view
 * maps are in the text colour (the others dim), and the walked page's row
 * is marked and highlighted.
 */
#include <stdio.h>
#include <string.h>

#include "render.h"
#include "section.h"

#define PAD 6

/* A file's name, or "?" for none. */
static const char *file_name(const struct viz_model *vm, uint32_t file)
{
    const char *name = "?";
    uint32_t pages;
    uint64_t reads, writes;
    return mm_file_info(vm->r.m, file, &name, &pages, &reads, &writes) ? name : "?";
}

bool viz_view_of(const struct viz_model *vm, uint32_t pid, mm_va va, struct viz_view *out)
{
    if (!pid)
        return false;
    for (const struct mm_vad *v = mm_vad_next(vm->r.m, pid, NULL); v; v = mm_vad_next(vm->r.m, pid, v)) {
        uint32_t section, first_page, protection, charge;
        mm_va start, end;
        bool mem_commit;
        mm_vad_range(v, &start, &end, &protection, &mem_commit, &charge);
        if (va < start || va > end || !mm_vad_view(v, &section, &first_page))
            continue;
        out->section = section;
        out->base = start;
        out->first_page = first_page;
        out->pages = (end - start + 1) / PAGE_SIZE;
        out->page = first_page + (VA_VPN(va) - VA_VPN(start));
        return true;
    }
    return false;
}

/* The process's first view, if it has one. */
static bool first_view(const struct viz_model *vm, uint32_t pid, struct viz_view *out)
{
    for (const struct mm_vad *v = pid ? mm_vad_next(vm->r.m, pid, NULL) : NULL; v; v = mm_vad_next(vm->r.m, pid, v)) {
        uint32_t section, first_page, protection, charge;
        mm_va start, end;
        bool mem_commit;
        if (mm_vad_view(v, &section, &first_page)) {
            mm_vad_range(v, &start, &end, &protection, &mem_commit, &charge);
            return viz_view_of(vm, pid, start, out);
        }
    }
    return false;
}

bool viz_shown_section(const struct viz_model *vm, const struct viz_ui *ui, uint32_t *section,
                       struct viz_view *view, bool *has_view, bool *walked)
{
    uint32_t pid = viz_ui_pid(vm, ui);
    *has_view = *walked = false;
    if (viz_view_of(vm, pid, ui->walk_va, view)) {
        *has_view = *walked = true;
    } else if (first_view(vm, pid, view)) {
        *has_view = true;
    }
    struct mm_section_info si;
    if (*has_view && mm_section_info(vm->r.m, view->section, &si)) {
        *section = view->section;
        return true;
    }
    *has_view = *walked = false;
    for (uint32_t s = 0; s < MM_MAX_SECTIONS; s++)
        if (mm_section_info(vm->r.m, s, &si)) {
            *section = s;
            return true;
        }
    return false;
}

void viz_proto_words(const struct viz_model *vm, mm_pte proto, bool fields, char *out, size_t size)
{
    const struct mmpfn *p;
    uint32_t section, k;
    switch (pte_classify(proto)) {
    case PTE_FORM_VALID:
        p = mm_pfn_entry(vm->r.m, pte_frame(proto));
        snprintf(out, size, "valid: frame 0x%X, ShareCount %u", pte_frame(proto), p ? p->u2.share_count : 0);
        break;
    case PTE_FORM_TRANSITION:
        p = mm_pfn_entry(vm->r.m, pte_frame(proto));
        snprintf(out, size, "transition: frame 0x%X on %s", pte_frame(proto),
                 p ? pfn_list_name(pfn_location(p)) : "?");
        break;
    case PTE_FORM_DEMAND_ZERO: snprintf(out, size, "demand zero: no page yet"); break;
    case PTE_FORM_PAGEFILE:
        snprintf(out, size, "paging file %u, slot 0x%X", pte_pagefile_number(proto), pte_pagefile_offset(proto));
        break;
    case PTE_FORM_PROTOTYPE: {   /* in a prototype PTE: a subsection PTE */
        const char *name = "?";
        struct mm_section_info si;
        k = 0;
        if (section_of_subsection(vm->r.m, pte_subsection_address(proto), &section, &k) &&
            mm_section_info(vm->r.m, section, &si) && si.file != MM_NO_FILE)
            name = file_name(vm, si.file);
        if (fields) {
            char prot[48];
            prot_name(pte_protection(proto), prot, sizeof prot);
            snprintf(out, size, "subsection PTE: P=1 Prot=0x%X (%s) subsection %u at 0x%08X: in the file %s",
                     pte_protection(proto), prot, k, pte_subsection_address(proto), name);
        } else {
            snprintf(out, size, "in the file %s, subsection %u", name, k);
        }
        break;
    }
    case PTE_FORM_ZERO: snprintf(out, size, "zero"); break;
    case PTE_FORM_DECOMMITTED: snprintf(out, size, "decommitted"); break;
    }
}

/* ---- the segment panel ---- */

bool viz_vads_split(const struct viz_layout *l, const struct viz_model *vm, const struct viz_ui *ui, SDL_Rect *vads,
                    SDL_Rect *segment)
{
    *vads = l->vads;
    uint32_t section;
    struct viz_view view;
    bool has_view, walked;
    struct mm_section_info si;
    /* the VADs keep a title, a header and two rows; the segment gets a
     * title, a header and two rows */
    int lh = l->line_h, min_vads = 4 * lh + 2 * PAD, min_seg = 4 * lh + 2 * PAD;
    if (lh <= 0 || l->vads.h < min_vads + min_seg ||
        !viz_shown_section(vm, ui, &section, &view, &has_view, &walked) || !mm_section_info(vm->r.m, section, &si))
        return false;
    /* the VADs get their rows (the segment the rest), down to the minimum */
    uint32_t pid = viz_ui_pid(vm, ui), n = 0;
    for (const struct mm_vad *v = pid ? mm_vad_next(vm->r.m, pid, NULL) : NULL; v && n < 64;
         v = mm_vad_next(vm->r.m, pid, v))
        n++;
    int top = ((int)n + 2) * lh + PAD + 2;
    if (top < min_vads)
        top = min_vads;
    if (top > l->vads.h - min_seg)
        top = l->vads.h - min_seg;
    vads->h = top;
    *segment = (SDL_Rect){l->vads.x, l->vads.y + top, l->vads.w, l->vads.h - top};
    return true;
}

/* The names of the processes mapping a frame: "a b" (at most size). */
static void mappers(const struct viz_shares *sh, const struct viz_model *vm, mm_pfn frame, char *out, size_t size)
{
    size_t first, n = viz_shares_of(sh, frame, &first), len = 0;
    out[0] = '\0';
    for (size_t i = first; i < first + n && len < size; i++) {
        if (i > first && sh->s[i].process == sh->s[i - 1].process)
            continue;
        int w = snprintf(out + len, size - len, "%s%s", len ? " " : "", vm->sc->process_names[sh->s[i].process]);
        len = w < 0 ? size : len + (size_t)w;
    }
}

/* Where the segment panel's rows go: the y of the first, how many fit,
 * and the first page shown (a window that keeps the walked page in view). */
static void row_window(const SDL_Rect *r, int line_h, uint32_t pages, bool walked, uint32_t walked_page, int *y0,
                       int *rows, uint32_t *first)
{
    *y0 = r->y + PAD + 2 * line_h;   /* under the title and the column heads */
    *rows = line_h > 0 ? (r->y + r->h - PAD - *y0) / line_h : 0;
    *first = 0;
    if (*rows <= 0)
        return;
    if (pages > (uint32_t)*rows && walked)
        *first = walked_page > (uint32_t)*rows / 2 ? walked_page - (uint32_t)*rows / 2 : 0;
    if (*first + (uint32_t)*rows > pages)
        *first = pages > (uint32_t)*rows ? pages - (uint32_t)*rows : 0;
}

void viz_draw_segment(struct viz_gfx *g, const SDL_Rect *r, const struct viz_model *vm, const struct viz_ui *ui)
{
    uint32_t section;
    struct viz_view view;
    bool has_view, walked;
    struct mm_section_info si;
    if (!viz_shown_section(vm, ui, &section, &view, &has_view, &walked) ||
        !mm_section_info(vm->r.m, section, &si))
        return;
    const char *file = si.file != MM_NO_FILE ? file_name(vm, si.file) : NULL;
    char title[200];
    snprintf(title, sizeof title, "Segment of section %u '%s' (%s%s%s, %u pages, %u view%s): prototype PTEs", section,
             si.name ? si.name : "", file ? "file " : "paging file", file ? file : "", si.image ? ", image" : "",
             si.pages, si.views, si.views == 1 ? "" : "s");
    int y = viz_panel(g, r, title), x = r->x + PAD, w = r->w - 2 * PAD, bottom = r->y + r->h - PAD;
    uint32_t pid = viz_ui_pid(vm, ui);
    const char *who = pid ? mm_process_name(vm->r.m, pid) : "";
    /* the column heads, then whose view the rows follow */
    if (has_view)
        viz_textf(g, x, y, w, VIZ_DIM, "  page address    value       form   (%s's view at 0x%08X: pages %u-%u)", who,
                  view.base, view.first_page, view.first_page + view.pages - 1);
    else
        viz_textf(g, x, y, w, VIZ_DIM, "  page address    value       form   (%s maps no view of it)",
                  pid ? who : "no process");
    int rows;
    uint32_t first;
    row_window(r, g->line_h, si.pages, walked, view.page, &y, &rows, &first);
    if (rows <= 0)
        return;
    struct viz_shares sh;
    viz_shares_build(vm, &sh);
    for (uint32_t page = first; page < si.pages && y + g->line_h <= bottom; page++, y += g->line_h) {
        if (page > first && page == first + (uint32_t)rows - 1 && page + 1 < si.pages) {
            viz_textf(g, x, y, w, VIZ_DIM, "  ... %u more", si.pages - page);
            break;
        }
        mm_va at;
        mm_pte proto;
        if (!mm_proto_pte(vm->r.m, section, page, &at, &proto))
            break;
        char words[120], who_maps[96] = "";
        viz_proto_words(vm, proto, false, words, sizeof words);
        if (pte_is_valid(proto))
            mappers(&sh, vm, pte_frame(proto), who_maps, sizeof who_maps);
        bool mine = has_view && page >= view.first_page && page < view.first_page + view.pages;
        bool here = walked && page == view.page;
        viz_textf(g, x, y, w, here ? VIZ_HILITE : mine ? VIZ_TEXT : VIZ_DIM, "%s%5u 0x%08X 0x%08X  %s%s%s",
                  here ? ">" : " ", page, at, proto, words, who_maps[0] ? ": " : "", who_maps);
    }
    viz_shares_free(&sh);
}

bool viz_segment_page_at(const struct viz_layout *l, const struct viz_model *vm, const struct viz_ui *ui, int x, int y,
                         uint32_t *section, uint32_t *page)
{
    SDL_Rect vads, r;
    struct viz_view view;
    bool has_view, walked;
    struct mm_section_info si;
    if (!viz_vads_split(l, vm, ui, &vads, &r) || x < r.x || x >= r.x + r.w ||
        !viz_shown_section(vm, ui, section, &view, &has_view, &walked) || !mm_section_info(vm->r.m, *section, &si))
        return false;
    int y0, rows;
    uint32_t first;
    row_window(&r, l->line_h, si.pages, walked, view.page, &y0, &rows, &first);
    if (y < y0 || (y - y0) / l->line_h >= rows)
        return false;
    uint32_t row = (uint32_t)((y - y0) / l->line_h);
    /* the last row of a cut list says how many more there are */
    if (row > 0 && row == (uint32_t)rows - 1 && first + row + 1 < si.pages)
        return false;
    if (first + row >= si.pages)
        return false;
    *page = first + row;
    return true;
}
