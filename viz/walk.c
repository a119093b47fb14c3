/*
 * walk.c - the two-level walk panel: CR3 -> PDE -> PTE -> frame -> byte
 * for one VA of the selected process, each entry shown bit by bit (bits
 * changed by the current step highlighted) and decoded in its format:
 * hardware when Valid, else NT's software formats (demand-zero, paging
 * file, transition, prototype, decommitted).
 */
#include <stdio.h>

#include "render.h"

#define PAD 6
#define ROW_PTE 5   /* the clickable PTE line (rows counted from the title) */

/* The 32 bits, 31 on the left; changed bits on a highlighted background;
 * the frame field (bits 12-31) in one colour, the low bits in another. */
static void bit_strip(struct viz_gfx *g, int x, int y, mm_pte v, mm_pte changed)
{
    int cw = g->char_w;
    for (int b = 31; b >= 0; b--) {
        int bx = x + (31 - b) * cw + (b < 12 ? cw : 0);
        if (changed & (1u << b)) {
            SDL_Rect r = {bx, y, cw, g->line_h};
            viz_fill(g, &r, 0x6D5A00u);
        }
        viz_text(g, bx, y, 0, b >= 12 ? VIZ_TITLE : VIZ_TEXT, (v >> b) & 1u ? "1" : "0");
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

/* An entry: header, bit strip, decoded fields. Returns the next y. */
static int entry(struct viz_gfx *g, int x, int y, int w, const char *head, mm_pte v, mm_va at,
                 const struct viz_model *vm, uint32_t pid)
{
    mm_pte old = v;
    bool changed = viz_pte_changed(vm, pid, at, &old) && old != v;
    viz_textf(g, x, y, w, changed ? VIZ_HILITE : VIZ_TEXT, "%s = 0x%08X%s", head, v,
              changed ? "  (changed this step)" : "");
    y += g->line_h;
    bit_strip(g, x + 2 * g->char_w, y, v, changed ? old ^ v : 0);
    if (changed)
        viz_textf(g, x + 36 * g->char_w, y, w - 36 * g->char_w, VIZ_DIM, "was 0x%08X", old);
    y += g->line_h;
    char buf[200];
    decode(buf, sizeof buf, v);
    viz_text(g, x + 2 * g->char_w, y, w - 2 * g->char_w, VIZ_DIM, buf);
    return y + g->line_h;
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
    if (y < l->walk.y + (ROW_PTE + 4) * l->line_h)
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
    viz_textf(g, r.x, y, l->walk.w - 2 * PAD, VIZ_TEXT, "TLB (%u): %llu hits, %llu misses; step %u/%u%s", size,
              (unsigned long long)c.tlb_hits, (unsigned long long)c.tlb_misses, hits, misses, now);
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

void viz_draw_walk(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
                   const struct viz_ui *ui)
{
    uint32_t pid = viz_ui_pid(vm, ui);
    char title[96];
    snprintf(title, sizeof title, "Walk of 0x%08X (w: another VA; click the PTE)", ui->walk_va);
    int y = viz_panel(g, &l->walk, title);
    int x = l->walk.x + PAD, w = l->walk.w - 2 * PAD;
    struct mm_walk wk;
    if (!pid || mm_walk(vm->r.m, pid, ui->walk_va, &wk) != STATUS_SUCCESS) {
        viz_text(g, x, y, w, VIZ_DIM, "no running process selected (Tab)");
        return;
    }
    viz_textf(g, x, y, w, VIZ_TEXT, "VA 0x%08X = PDI %u | PTI %u | offset 0x%03X   (10/10/12)", wk.va, wk.pdi,
              wk.pti, wk.offset);
    y += g->line_h;
    viz_textf(g, x, y, w, VIZ_TEXT, "CR3 -> page directory in frame 0x%X (PA 0x%08X)", wk.directory,
              wk.directory << 12);
    y += g->line_h;
    char head[96];
    snprintf(head, sizeof head, "PDE[%u] at 0x%08X (PA 0x%08X)", wk.pdi, wk.pde_va, wk.pde_pa);
    y = entry(g, x, y, w, head, wk.pde, wk.pde_va, vm, pid);
    if (!wk.pde_valid) {
        viz_text(g, x, y, w, VIZ_DIM, "no page table: the PDE is not valid");
    } else {
        snprintf(head, sizeof head, "PTE[%u] at 0x%08X (PA 0x%08X)", wk.pti, wk.pte_va, wk.pte_pa);
        y = entry(g, x, y, w, head, wk.pte, wk.pte_va, vm, pid);
    }
    if (wk.valid)
        viz_textf(g, x, y, w, VIZ_HILITE, "-> frame 0x%X -> byte at PA 0x%08X", wk.frame, wk.pa);
    else
        viz_textf(g, x, y, w, VIZ_DIM, "not valid: a read now would raise %s%s%s", mm_fault_kind_name(wk.fault),
                  wk.av != MM_AV_NONE ? ", " : "", wk.av != MM_AV_NONE ? mm_av_reason_name(wk.av) : "");
    draw_tlb(g, l, vm, ui->walk_va);
}

bool viz_walk_frame_at(const struct viz_layout *l, const struct viz_model *vm, const struct viz_ui *ui,
                       int x, int y, mm_pfn *frame)
{
    uint32_t pid = viz_ui_pid(vm, ui);
    struct mm_walk wk;
    if (x < l->walk.x || x >= l->walk.x + l->walk.w || !pid ||
        mm_walk(vm->r.m, pid, ui->walk_va, &wk) != STATUS_SUCCESS || !wk.pde_valid)
        return false;
    int row = (y - (l->walk.y + 6 + l->line_h)) / l->line_h;
    if (row < 2 || row > ROW_PTE + 2)
        return false;
    mm_pte v = row < ROW_PTE ? wk.pde : wk.pte;
    if (!pte_is_valid(v) && !pte_is_transition(v))
        return false;
    *frame = pte_frame(v);
    return true;
}
