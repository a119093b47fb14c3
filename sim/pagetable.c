/*
 * pagetable.c - the life of page-table pages.
 *
 * SIMPLIFIED: NT pages page tables out like any other page once they map
 * nothing valid. mmsim keeps a page table resident (and in its process's
 * working set) from its creation until its last non-zero PTE is cleared
 * (NT: UsedPageTableEntries reaching zero), so a PDE is always either
 * valid or zero.
 */
#include "pagetable.h"

#include "avail.h"
#include "pfn.h"

mm_status pt_ensure(struct mm_machine *m, struct mm_process *p, mm_va va, struct pte_loc *at,
                    bool *created)
{
    if (created)
        *created = false;
    if (pt_pte_loc(m, p, va, at))
        return STATUS_SUCCESS;

    ws_make_room(m, p);
    if (avail_ensure(m, 1) != STATUS_SUCCESS)
        return STATUS_NO_MEMORY;
    /* making room may have trimmed; the table is still absent (tables are
     * never trimmed), so build it now */
    mm_pfn frame = pfn_take_zeroed(m, MOVE_PAGE_TABLE);
    MM_ASSERT(frame != MM_EMPTY_LIST);
    struct pte_loc pde = pt_pde_loc(p, va);
    pfn_make_active(m, frame, pde.pte_va, p->directory, 0);
    m->pfn[p->directory].u2.share_count++;
    pt_write(m, pde, (frame << PAGE_SHIFT) | PTE_VALID | PTE_WRITE | PTE_OWNER, false);
    if (ws_insert(m, p, page_table_va(VA_PDI(va)), frame, false, MM_WS_SYSTEM) == WSLE_NULL_INDEX)
        mm_panic(__func__, "host out of memory growing a working-set list");
    if (created)
        *created = true;
    at->table = frame;
    at->pte_va = pte_address(va);
    return STATUS_SUCCESS;
}

void pt_use(struct mm_process *p, mm_va va)
{
    p->used_ptes[VA_PDI(va)]++;
}

/* The last non-zero PTE of a table was cleared: the table goes back to the
 * free list (NT: MiDeleteVirtualAddresses frees a page table when its
 * UsedPageTableEntries count reaches zero). */
static void delete_page_table(struct mm_machine *m, struct mm_process *p, uint32_t pdi)
{
    struct pte_loc pde = {p->directory, PDE_BASE + pdi * 4u};
    mm_pfn frame = pte_frame(pt_read(m, pde));
    MM_ASSERT(m->pfn[frame].u2.share_count == 1);
    ws_release_entry(m, p, m->pfn[frame].u1.ws_index, MM_WS_DELETE);
    pt_write(m, pde, 0, false);
    pfn_delete(m, frame, MOVE_DELETED);
    pfn_decrement_share(m, p->directory, MOVE_DELETED);
}

void pt_unuse(struct mm_machine *m, struct mm_process *p, mm_va va)
{
    uint32_t pdi = VA_PDI(va);
    MM_ASSERT(p->used_ptes[pdi] > 0);
    if (--p->used_ptes[pdi] == 0)
        delete_page_table(m, p, pdi);
}

void pt_delete_if_unused(struct mm_machine *m, struct mm_process *p, mm_va va)
{
    struct pte_loc at;
    if (pt_pte_loc(m, p, va, &at) && p->used_ptes[VA_PDI(va)] == 0)
        delete_page_table(m, p, VA_PDI(va));
}

void pt_delete_pte(struct mm_machine *m, struct mm_process *p, struct pte_loc at, mm_pte replacement)
{
    mm_pte old = pt_read(m, at);
    mm_va va = pte_mapped_va(at.pte_va);
    switch (pte_classify(old)) {
    case PTE_FORM_VALID: {
        mm_pfn frame = pte_frame(old);
        ws_release_entry(m, p, m->pfn[frame].u1.ws_index, MM_WS_DELETE);
        pt_write(m, at, replacement, false);
        pfn_delete(m, frame, MOVE_DELETED);
        pfn_decrement_share(m, at.table, MOVE_DELETED);
        break;
    }
    case PTE_FORM_TRANSITION: {
        mm_pfn frame = pte_frame(old);
        pt_write(m, at, replacement, false);
        pfn_delete(m, frame, MOVE_DELETED);
        pfn_decrement_share(m, at.table, MOVE_DELETED);
        break;
    }
    case PTE_FORM_PAGEFILE:
        pfn_release_pagefile_space(m, old);
        pt_write(m, at, replacement, false);
        break;
    default:
        pt_write(m, at, replacement, false);
        break;
    }
    if (old == 0 && replacement != 0)
        pt_use(p, va);
    else if (old != 0 && replacement == 0)
        pt_unuse(m, p, va);   /* may free the table: `at` is dead after this */
}
