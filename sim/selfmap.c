/* selfmap.c - reading and writing PDEs and PTEs through the self-map. */
#include "selfmap.h"

/* Software writes PTEs through the self-map, so the processor sets Dirty
 * in the PTE that maps the page table, which is its PDE: a page table
 * written since it was last read back from the paging file must be
 * written again before its frame is reused. */
/* LAB walk: begin mark_table_dirty */
static void mark_table_dirty(struct mm_machine *m, mm_pfn dir, mm_va pte_va)
{
    struct pte_loc pde = {dir, PDE_BASE + ((pte_va - PTE_BASE) >> PAGE_SHIFT) * 4u};
    mm_pte v = pt_read(m, pde);
    if (pte_is_valid(v) && !(v & PTE_DIRTY))
        pt_write(m, pde, v | PTE_ACCESSED | PTE_DIRTY, true);
}
/* LAB walk: end mark_table_dirty */

/* The MM_EV_PTE event of a write, out of line: with no sink attached
 * (every trace replay) pt_write keeps few registers. */
static __attribute__((noinline, cold)) void pte_event(struct mm_machine *m, struct pte_loc at, mm_pte old,
                                                      mm_pte value, bool by_hardware)
{
    struct mm_event ev = {.kind = MM_EV_PTE};
    ev.u.pte.pte_va = at.pte_va;
    ev.u.pte.old_value = old;
    ev.u.pte.new_value = value;
    if (pte_is_proto_va(at.pte_va)) {
        ev.u.pte.proto = true;
    } else {
        bool is_pde = at.pte_va >= PDE_BASE && at.pte_va < PDE_BASE + PAGE_SIZE;
        struct mm_process *owner = process_by_directory(m, is_pde ? at.table : pfn_pte_frame(&m->pfn[at.table]));
        ev.pid = owner ? owner->pid : 0;
        ev.u.pte.va = pte_mapped_va(at.pte_va);
        ev.u.pte.is_pde = is_pde;
        ev.u.pte.by_hardware = by_hardware;
    }
    ev_emit(m, &ev);
}

/* What follows a change of the entry at `at` from old to value: INVLPG
 * when the entry is in the current address space (a flush for a PDE that
 * was valid), the event when `tell`, and the table's PDE made Dirty (see
 * mark_table_dirty). */
static inline __attribute__((always_inline)) void after_write(struct mm_machine *m, struct pte_loc at, mm_pte old,
                                                              mm_pte value, bool by_hardware, bool tell)
{
    if (pte_is_proto_va(at.pte_va)) {
        /* a prototype PTE, in paged pool: in no address space, so no TLB
         * entry and no PDE to dirty */
        if (tell)
            pte_event(m, at, old, value, by_hardware);
        return;
    }
    bool is_pde = at.pte_va >= PDE_BASE && at.pte_va < PDE_BASE + PAGE_SIZE;
    mm_pfn dir = is_pde ? at.table : pfn_pte_frame(&m->pfn[at.table]);
    if (m->current && m->current->directory == dir && !by_hardware) {
        if (!is_pde)
            tlb_invalidate(&m->tlb, pte_mapped_va(at.pte_va));
        else if (pte_is_valid(old))
            tlb_flush(&m->tlb);   /* a whole page table went away */
    }
    if (tell)
        pte_event(m, at, old, value, by_hardware);
    if (!is_pde && !by_hardware && at.table != dir)
        mark_table_dirty(m, dir, at.pte_va);
}

/* after_write with a sink attached, out of line. */
static __attribute__((noinline)) void after_write_told(struct mm_machine *m, struct pte_loc at, mm_pte old,
                                                      mm_pte value, bool by_hardware)
{
    after_write(m, at, old, value, by_hardware, true);
}

/* pt_write into a table of zero PTEs that has no storage yet. */
static __attribute__((noinline)) void write_fresh_table(struct mm_machine *m, struct pte_loc at, mm_pte value,
                                                        bool by_hardware)
{
    if (value == 0)
        return;   /* a zero changes nothing */
    if (!phys_materialize(&m->phys, at.table))
        mm_host_exhausted("pt_write", "the bytes of a frame");
    pt_write(m, at, value, by_hardware);
}

/* Every call pt_write makes is its last act, so that with no sink (every
 * trace replay) it needs no registers saved. */
void pt_write(struct mm_machine *m, struct pte_loc at, mm_pte value, bool by_hardware)
{
    uint8_t *word = m->phys.page[at.table];
    if (!word) {
        write_fresh_table(m, at, value, by_hardware);
        return;
    }
    word += at.pte_va & 0xFFFu;
    mm_pte old = phys_load_le32(word);
    if (old == value)
        return;
    phys_store_le32(word, value);
    if (ev_on(m))
        after_write_told(m, at, old, value, by_hardware);
    else
        after_write(m, at, old, value, by_hardware, false);
}

/* LAB walk: begin pt_pte_loc */
bool pt_pte_loc(const struct mm_machine *m, const struct mm_process *p, mm_va va, struct pte_loc *at)
{
    mm_pte pde = pt_read(m, pt_pde_loc(p, va));
    if (!pte_is_valid(pde))
        return false;
    at->table = pte_frame(pde);
    at->pte_va = pte_address(va);
    return true;
}
/* LAB walk: end pt_pte_loc */

struct pte_loc pt_loc_of_frame(const struct mm_machine *m, mm_pfn frame)
{
    struct pte_loc at = {pfn_pte_frame(&m->pfn[frame]), m->pfn[frame].pte_address};
    return at;
}

mm_pte pt_peek(const struct mm_machine *m, const struct mm_process *p, mm_va va, mm_pte *pde_out)
{
    mm_pte pde = pt_read(m, pt_pde_loc(p, va));
    if (pde_out)
        *pde_out = pde;
    uint32_t offset = VA_PTI(va) * 4u;
    switch (pte_classify(pde)) {
    case PTE_FORM_VALID:
    case PTE_FORM_TRANSITION:
        return phys_read32(&m->phys, pte_frame(pde), offset);
    case PTE_FORM_PAGEFILE: {
        const uint8_t *b = pagefile_fetch(&m->pagefile[pte_pagefile_number(pde)], pte_pagefile_offset(pde));
        if (!b)
            return 0;
        return (mm_pte)b[offset] | (mm_pte)b[offset + 1] << 8 | (mm_pte)b[offset + 2] << 16 |
               (mm_pte)b[offset + 3] << 24;
    }
    default:
        return 0;
    }
}
