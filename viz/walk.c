/*
 * walk.c - the two-level walk panel: CR3 -> PDE -> PTE -> frame -> byte
 * for one VA of the selected process, each entry shown bit by bit (bits
 * changed by the current step highlighted) and decoded in its format:
 * hardware when Valid, else NT's software formats (demand-zero, paging
 * file, transition, prototype, decommitted). A page of a view goes one
 * step further: from a prototype-pointer PTE (or a zero PTE, through the
 * view's VAD) to the section's prototype PTE in paged pool, shown the
 * same way, then to its frame; a prototype pointer no live section holds
 * is shown unresolved, and a write the view refuses is said to be.
 */
#include <stdio.h>
#include <string.h>

#include "render.h"

#define PAD 6

/* The 32 bits, 31 on the left; changed bits on a highlighted background;
 * the frame field (bits 12-31) in one colour, the low bits in another. */
static void bit_strip(struct viz_gfx *g, int x, int y, mm_pte v, mm_pte changed)
{
    int cw = g->char_w;
    for (int b = 31; b >= 0; b--) {
        int bx = x + (31 - b) * cw + (b < 12 ? cw : 0);
        if (changed & (1u << b)) {
            SDL_Rect r = {bx, y, cw, g->line_h};
            viz_fill(g, &r, viz_palette()->changed);
        }
        viz_text(g, bx, y, VIZ_NO_LIMIT, b >= 12 ? VIZ_TITLE : VIZ_TEXT, (v >> b) & 1u ? "1" : "0");
    }
}

static void decode_valid(char *out, size_t size, mm_pte v)
{
    snprintf(out, size, "PFN 0x%X V=1 W=%u O=%u WT=%u CD=%u A=%u D=%u L=%u G=%u CoW=%u Proto=%u", pte_frame(v),
             !!(v & PTE_WRITE), !!(v & PTE_OWNER), !!(v & PTE_WRITE_THROUGH), !!(v & PTE_CACHE_DISABLE),
             !!(v & PTE_ACCESSED), !!(v & PTE_DIRTY), !!(v & PTE_LARGE_PAGE), !!(v & PTE_GLOBAL),
             !!(v & PTE_COPY_ON_WRITE), !!(v & PTE_PROTOTYPE));
}

/* One line naming every field of a PTE in its own format. */
static void decode(char *out, size_t size, mm_pte v)
{
    char prot[48];
    prot_name(pte_protection(v), prot, sizeof prot);
    switch (pte_classify(v)) {
    case PTE_FORM_ZERO: snprintf(out, size, "zero: nothing here, the VAD decides"); break;
    case PTE_FORM_VALID: decode_valid(out, size, v); break;
    case PTE_FORM_DEMAND_ZERO:
        snprintf(out, size, "software V=0 T=0 P=0 Prot=0x%X (%s) PageFileHigh=0: demand zero",
                 pte_protection(v), prot);
        break;
    case PTE_FORM_PAGEFILE:
        snprintf(out, size, "paging file: PageFileHigh=0x%X Prot=0x%X (%s) PageFileLow=%u",
                 pte_pagefile_offset(v), pte_protection(v), prot, pte_pagefile_number(v));
        break;
    case PTE_FORM_TRANSITION:
        snprintf(out, size, "transition: PFN 0x%X T=1 P=0 Prot=0x%X (%s) CD=%u WT=%u O=%u W=%u",
                 pte_frame(v), pte_protection(v), prot, !!(v & PTE_CACHE_DISABLE),
                 !!(v & PTE_WRITE_THROUGH), !!(v & PTE_OWNER), !!(v & PTE_WRITE));
        break;
    case PTE_FORM_PROTOTYPE: snprintf(out, size, "prototype pointer P=1: the real PTE is a section's"); break;
    case PTE_FORM_DECOMMITTED: snprintf(out, size, "decommitted: Protection=MM_DECOMMIT (0x10)"); break;
    }
}

/* The walk as lines (lines.c), tagged with what they show, so the bit
 * strips can be drawn in place and a click can tell the PDE's lines from
 * the PTE's. */
enum {
    TAG_TEXT = 0,
    TAG_PDE = 0x10, TAG_PTE = 0x20, TAG_PROTO = 0x30,   /* which entry a line belongs to */
    TAG_HEAD = 1, TAG_BITS = 2, TAG_WAS = 3, TAG_DECODE = 4,
};
#define ENTRY_OF(tag) ((tag) & 0x30)
#define INDEX_OF(tag) (ENTRY_OF(tag) / 0x10 - 1)   /* 0 PDE, 1 PTE, 2 prototype PTE */
#define PART_OF(tag) ((tag) & 0x0F)
#define STRIP_COLS 35   /* two spaces, 20 frame bits, a gap, 12 low bits */
#define WAS_COL 36      /* "was 0x........" after the strip */
#define WALK_ROWS 9     /* VA, CR3, and three lines each for the PDE and the PTE, and the result */

/* What the walk panel shows: the walk and, per entry, the value before
 * the step when the step changed it. */
struct walk_info {
    struct mm_walk wk;
    mm_pte value[3];            /* [0] PDE, [1] PTE, [2] prototype PTE */
    mm_pte old[3];
    bool changed[3];
};

/* Did the step change the prototype PTE at proto_va? Its old value in *old. */
static bool proto_changed(const struct viz_model *vm, mm_va proto_va, mm_pte *old)
{
    for (uint32_t i = 0; i < vm->nev; i++) {
        const struct mm_event *e = &vm->ev[i];
        if (e->kind == MM_EV_PTE && e->u.pte.proto && e->u.pte.pte_va == proto_va) {
            *old = e->u.pte.old_value;
            return true;
        }
    }
    return false;
}

/* An entry: header, bit strip (with the old value beside it, or under it
 * when the panel is narrow), decoded fields. */
static void entry(struct viz_lines *ls, int which, const char *head, mm_pte v, mm_va at, const struct viz_model *vm,
                  uint32_t pid, struct walk_info *wi)
{
    int k = INDEX_OF(which);
    mm_pte old = v;
    bool changed = (which == TAG_PROTO ? proto_changed(vm, at, &old) : viz_pte_changed(vm, pid, at, &old)) &&
                   old != v;
    wi->value[k] = v;
    wi->old[k] = old;
    wi->changed[k] = changed;
    viz_lines_addf(ls, which | TAG_HEAD, changed ? VIZ_HILITE : VIZ_TEXT, 0, 2, "%s = 0x%08X%s", head, v,
                   changed ? "  (changed this step)" : "");
    /* the strip's line holds spaces where walk_draw puts the bits, then
     * the old value when there is room for it beside them */
    bool beside = changed && ls->cols >= WAS_COL + 14;
    if (beside)
        viz_lines_addf(ls, which | TAG_BITS, VIZ_DIM, 0, 0, "%*s was 0x%08X", STRIP_COLS, "", old);
    else
        viz_lines_addf(ls, which | TAG_BITS, VIZ_DIM, 0, 0, "%*s", STRIP_COLS, "");
    if (changed && !beside)
        viz_lines_addf(ls, which | TAG_WAS, VIZ_DIM, 2, 0, "was 0x%08X", old);
    char buf[200];
    if (which == TAG_PROTO && pte_classify(v) == PTE_FORM_PROTOTYPE)
        viz_proto_words(vm, v, true, buf, sizeof buf);   /* a subsection PTE, not a pointer */
    else
        decode(buf, sizeof buf, v);
    viz_lines_add(ls, which | TAG_DECODE, VIZ_DIM, 2, 2, buf);
}

/* The step through the section for a page of a view: the prototype PTE
 * the process PTE points at (or, for a zero PTE, the one the view's VAD
 * leads to), as an entry of its own; for a valid page of a section, the
 * prototype PTE its frame belongs to. */
static void proto_step(struct viz_lines *ls, const struct viz_model *vm, uint32_t pid, struct walk_info *wi)
{
    const struct mm_walk *wk = &wi->wk;
    const struct mm_machine *m = vm->r.m;
    struct viz_view view;
    bool in_view = viz_view_of(vm, pid, wk->va, &view);
    uint32_t section, page;
    mm_pfn pool;
    mm_va proto_va;
    mm_pte proto;
    struct mm_section_info si;
    if (wk->valid) {
        const struct mmpfn *p = mm_pfn_entry(m, wk->frame);
        if (p && pfn_flag(p, PFN_PROTOTYPE_PTE) && mm_proto_lookup(m, p->pte_address, &section, &page, &pool) &&
            mm_section_info(m, section, &si))
            viz_lines_addf(ls, TAG_TEXT, VIZ_TEXT, 0, 2,
                           "a page of section %u '%s' (page %u): its frame's PteAddress is the prototype PTE at "
                           "0x%08X, ShareCount %u", section, si.name ? si.name : "", page, p->pte_address,
                           p->u2.share_count);
        return;
    }
    if (wk->form == PTE_FORM_PROTOTYPE && pte_proto_lookup_needed(wk->pte) && in_view &&
        mm_proto_pte(m, view.section, view.page, &proto_va, &proto)) {
        viz_lines_addf(ls, TAG_TEXT, VIZ_TEXT, 0, 2,
                       "Prototype=1, lookup needed: its VAD leads to section %u page %u, the prototype PTE at 0x%08X",
                       view.section, view.page, proto_va);
    } else if (wk->form == PTE_FORM_PROTOTYPE && !pte_proto_lookup_needed(wk->pte)) {
        proto_va = pte_proto_address(wk->pte);
        viz_lines_addf(ls, TAG_TEXT, VIZ_TEXT, 0, 2, "Prototype=1: the PTE points at the prototype PTE at 0x%08X",
                       proto_va);
    } else if (wk->form == PTE_FORM_ZERO && in_view && mm_proto_pte(m, view.section, view.page, &proto_va, &proto)) {
        viz_lines_addf(ls, TAG_TEXT, VIZ_TEXT, 0, 2,
                       "zero in a view: its VAD leads to section %u page %u, the prototype PTE at 0x%08X",
                       view.section, view.page, proto_va);
    } else {
        return;
    }
    if (!mm_proto_lookup(m, proto_va, &section, &page, &pool) || !mm_proto_pte(m, section, page, &proto_va, &proto) ||
        !mm_section_info(m, section, &si)) {
        viz_lines_addf(ls, TAG_TEXT, viz_palette()->failure, 0, 2,
                       "unresolved: no live section has a prototype PTE at 0x%08X", proto_va);
        return;
    }
    char head[120];
    snprintf(head, sizeof head, "Prototype PTE at 0x%08X (PA 0x%08X): section %u '%s' page %u", proto_va,
             pool * PAGE_SIZE + (proto_va & 0xFFFu), section, si.name ? si.name : "", page);
    entry(ls, TAG_PROTO, head, proto, proto_va, vm, pid, wi);
    if (pte_is_valid(proto))
        viz_lines_addf(ls, TAG_TEXT, VIZ_HILITE, 0, 3, "-> frame 0x%X, already in memory (shared)", pte_frame(proto));
}

/* For a page of a view: what a write would do now (a view may refuse it,
 * or copy the page). */
static void write_line(struct viz_lines *ls, const struct viz_model *vm, uint32_t pid, const struct mm_walk *wk)
{
    struct viz_view view;
    struct mm_walk ww;
    if (!viz_view_of(vm, pid, wk->va, &view) || mm_walk_access(vm->r.m, pid, wk->va, MM_ACCESS_WRITE, &ww) != STATUS_SUCCESS)
        return;
    if (ww.fault == MM_FAULT_ACCESS_VIOLATION)
        viz_lines_addf(ls, TAG_TEXT, viz_palette()->failure, 0, 2, "refused: a write now raises access-violation (%s)",
                       ww.av != MM_AV_NONE ? mm_av_reason_name(ww.av) : "the view's protection");
    else if (ww.fault == MM_FAULT_COPY_ON_WRITE)
        viz_lines_add(ls, TAG_TEXT, VIZ_DIM, 0, 2, "a write now: copy-on-write, a private copy for this process");
    else if (!ww.valid && prot_is_write_copy(ww.protection))
        viz_lines_addf(ls, TAG_TEXT, VIZ_DIM, 0, 2,
                       ww.fault == MM_FAULT_DEMAND_ZERO ? "a write now: %s, a private zero page"
                                                        : "a write now: %s, then a private copy",
                       mm_fault_kind_name(ww.fault));
    else if (ww.fault == MM_FAULT_NONE)
        viz_lines_add(ls, TAG_TEXT, VIZ_DIM, 0, 2, "a write now: allowed, seen by every process mapping the page");
    else
        viz_lines_addf(ls, TAG_TEXT, VIZ_DIM, 0, 2, "a write now would raise %s", mm_fault_kind_name(ww.fault));
}

/* The walk's lines for the selected process and VA; false (and a line
 * saying so) when no process is running. */
static bool walk_lines(const struct viz_layout *l, const struct viz_model *vm, const struct viz_ui *ui,
                       struct viz_lines *ls, struct walk_info *wi)
{
    viz_lines_init(ls, l->walk.w - 2 * PAD, l->char_w);
    memset(wi, 0, sizeof *wi);
    uint32_t pid = viz_ui_pid(vm, ui);
    struct mm_walk *wk = &wi->wk;
    if (!pid || mm_walk(vm->r.m, pid, ui->walk_va, wk) != STATUS_SUCCESS) {
        viz_lines_add(ls, TAG_TEXT, VIZ_DIM, 0, 2, "no running process selected (Tab)");
        return false;
    }
    viz_lines_addf(ls, TAG_TEXT, VIZ_TEXT, 0, 2, "VA 0x%08X = PDI %u | PTI %u | offset 0x%03X   (10/10/12)", wk->va,
                   wk->pdi, wk->pti, wk->offset);
    viz_lines_addf(ls, TAG_TEXT, VIZ_TEXT, 0, 2, "CR3 -> page directory in frame 0x%X (PA 0x%08X)", wk->directory,
                   wk->directory << 12);
    char head[96];
    snprintf(head, sizeof head, "PDE[%u] at 0x%08X (PA 0x%08X)", wk->pdi, wk->pde_va, wk->pde_pa);
    entry(ls, TAG_PDE, head, wk->pde, wk->pde_va, vm, pid, wi);
    if (wk->pde_valid) {
        snprintf(head, sizeof head, "PTE[%u] at 0x%08X (PA 0x%08X)", wk->pti, wk->pte_va, wk->pte_pa);
        entry(ls, TAG_PTE, head, wk->pte, wk->pte_va, vm, pid, wi);
    } else if (wk->pde == 0) {
        viz_lines_add(ls, TAG_TEXT, VIZ_DIM, 0, 2, "no page table: the PDE is zero");
    } else {
        viz_lines_addf(ls, TAG_TEXT, VIZ_DIM, 0, 2, "the page table is paged out (%s); its PTE, read where it is:",
                       wk->table_form == PTE_FORM_TRANSITION ? "its frame is on a list" : "in a paging file");
        snprintf(head, sizeof head, "PTE[%u] at 0x%08X", wk->pti, wk->pte_va);
        entry(ls, TAG_PTE, head, wk->pte, wk->pte_va, vm, pid, wi);
    }
    proto_step(ls, vm, pid, wi);
    if (wk->valid) {
        viz_lines_addf(ls, TAG_TEXT, VIZ_HILITE, 0, 3, "-> frame 0x%X -> byte at PA 0x%08X", wk->frame, wk->pa);
    } else {
        char first[96] = "";
        if (wk->table_fault != MM_FAULT_NONE)
            snprintf(first, sizeof first, " (after a %s fault for its page table)",
                     mm_fault_kind_name(wk->table_fault));
        viz_lines_addf(ls, TAG_TEXT, VIZ_DIM, 0, 2, "not valid: a read now would raise %s%s%s%s",
                       mm_fault_kind_name(wk->fault), wk->av != MM_AV_NONE ? ", " : "",
                       wk->av != MM_AV_NONE ? mm_av_reason_name(wk->av) : "", first);
    }
    write_line(ls, vm, pid, wk);
    return true;
}

/* Where the TLB strip sits: the text line's y, and the cell of entry i
 * (false when the panel is too small or entry i does not fit). */
static bool tlb_geometry(const struct viz_layout *l, uint32_t size, uint32_t i, int *text_y, SDL_Rect *cell)
{
    int x = l->walk.x + PAD, w = l->walk.w - 2 * PAD;
    /* cells shrink to fit every entry on one line, down to 3 pixels; past
     * that the strip shows the first entries that fit */
    int per = size ? w / (int)size : w;
    if (per > l->line_h - 2)
        per = l->line_h - 2;
    if (per < 5)
        per = 5;
    int side = per - 2;
    int y = l->walk.y + l->walk.h - PAD - 2 * l->line_h - 2;
    if (y < l->walk.y + PAD + (WALK_ROWS + 1) * l->line_h)
        return false;   /* too small a panel: the walk comes first */
    if (text_y)
        *text_y = y;
    if (i >= size || (int)(i + 1) * per > w)
        return false;
    *cell = (SDL_Rect){x + (int)i * per, y + l->line_h + 1, side, side};
    return true;
}

bool viz_tlb_cell(const struct viz_layout *l, const struct viz_model *vm, uint32_t i, SDL_Rect *cell)
{
    return tlb_geometry(l, mm_tlb_size(vm->r.m), i, NULL, cell);
}

/* The TLB at the foot of the walk panel: its counters, what this step's
 * lookups did, and a strip of cells, one per entry (as many as fit),
 * filled when the entry holds a translation, outlined in the highlight
 * colour for the entry the walked VA maps to. */
static void draw_tlb(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm, mm_va walk_va)
{
    const struct mm_machine *m = vm->r.m;
    uint32_t size = mm_tlb_size(m);
    struct mm_counters c;
    int y;
    SDL_Rect r;
    if (!size || mm_counters(m, 0, &c) != STATUS_SUCCESS || !tlb_geometry(l, size, 0, &y, &r))
        return;
    uint32_t hits = 0, misses = 0;
    const struct mm_event *last = NULL;
    for (uint32_t i = 0; i < vm->nev; i++)
        if (vm->ev[i].kind == MM_EV_TLB) {
            if (vm->ev[i].u.tlb.hit)
                hits++;
            else
                misses++;
            last = &vm->ev[i];
        }
    char now[64] = "";
    if (last)
        snprintf(now, sizeof now, ", last %s in entry %u", last->u.tlb.hit ? "a hit" : "a miss", last->u.tlb.slot);
    char line[160];
    int n = snprintf(line, sizeof line, "TLB (%u): %llu hits, %llu misses; step %u/%u", size,
                     (unsigned long long)c.tlb_hits, (unsigned long long)c.tlb_misses, hits, misses);
    if (n > 0 && (size_t)n + strlen(now) <= (size_t)((l->walk.w - 2 * PAD) / g->char_w))
        snprintf(line + n, sizeof line - (size_t)n, "%s", now);   /* the last lookup when it fits */
    viz_text(g, r.x, y, l->walk.w - 2 * PAD, VIZ_TEXT, line);
    uint32_t mine = (walk_va >> 12) & (size - 1);
    for (uint32_t i = 0; tlb_geometry(l, size, i, NULL, &r); i++) {
        mm_va va;
        mm_pfn f;
        mm_pte pte;
        if (i == mine) {
            SDL_Rect o = {r.x - 1, r.y - 1, r.w + 2, r.h + 2};
            viz_fill(g, &o, VIZ_HILITE);
        }
        viz_fill(g, &r, mm_tlb_entry(m, i, &va, &f, &pte) ? VIZ_TLB_FULL : VIZ_TLB_EMPTY);
    }
}

/* The bottom of the walk's text: above the TLB strip when there is one. */
static int walk_bottom(const struct viz_layout *l, const struct viz_model *vm)
{
    int y;
    SDL_Rect r;
    if (mm_tlb_size(vm->r.m) && tlb_geometry(l, mm_tlb_size(vm->r.m), 0, &y, &r))
        return y;
    return l->walk.y + l->walk.h - PAD;
}

static int walk_top(const struct viz_layout *l)
{
    return l->walk.y + PAD + l->line_h;
}

void viz_draw_walk(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
                   const struct viz_ui *ui)
{
    char title[96];
    snprintf(title, sizeof title, "Walk of 0x%08X (w: another VA; click the PTE)", ui->walk_va);
    viz_panel(g, &l->walk, title);
    int x = l->walk.x + PAD, w = l->walk.w - 2 * PAD, y = walk_top(l);
    struct viz_lines ls;
    struct walk_info wi;
    bool ok = walk_lines(l, vm, ui, &ls, &wi);
    int rows = (walk_bottom(l, vm) - y) / g->line_h;
    struct viz_lines_view v;
    viz_lines_view(&ls, rows, 0, &v);
    for (size_t i = v.first; i < v.first + v.count; i++, y += g->line_h) {
        int tag = ls.line[i].tag, k = INDEX_OF(tag);
        if (ENTRY_OF(tag) && PART_OF(tag) == TAG_BITS)
            bit_strip(g, x + 2 * g->char_w, y, wi.value[k], wi.changed[k] ? wi.old[k] ^ wi.value[k] : 0);
        viz_lines_draw_line(g, &ls, i, x, y, w);
    }
    if (v.below)
        viz_lines_marker(g, x, y, w, v.below, false, "(a larger window shows them)");
    viz_lines_free(&ls);
    if (ok)
        draw_tlb(g, l, vm, ui->walk_va);
}

bool viz_walk_frame_at(const struct viz_layout *l, const struct viz_model *vm, const struct viz_ui *ui,
                       int x, int y, mm_pfn *frame)
{
    if (x < l->walk.x || x >= l->walk.x + l->walk.w || y < walk_top(l) || l->line_h <= 0)
        return false;
    struct viz_lines ls;
    struct walk_info wi;
    bool ok = walk_lines(l, vm, ui, &ls, &wi);
    int rows = (walk_bottom(l, vm) - walk_top(l)) / l->line_h;
    struct viz_lines_view v;
    viz_lines_view(&ls, rows, 0, &v);
    size_t row = (size_t)((y - walk_top(l)) / l->line_h);
    int tag = ok && row < v.count ? ls.line[v.first + row].tag : TAG_TEXT;
    viz_lines_free(&ls);
    if (ENTRY_OF(tag) == 0)
        return false;
    mm_pte e = wi.value[INDEX_OF(tag)];
    if (!pte_is_valid(e) && !pte_is_transition(e))
        return false;
    *frame = pte_frame(e);
    return true;
}
