/*
 * pagetable.c - the life of page-table pages.
 *
 * A user page table is made by the demand-zero fault on its PDE, which
 * leaves the PDE valid, writable, user, accessed and dirty (0x067 in the
 * low bits). It is in its process's working set like any page, and once it
 * maps nothing valid or in transition (its ShareCount is 1) trimming may
 * take it: its PDE becomes a transition PTE and the table goes to Modified
 * (software changes it through the self-map, so it is dirty), is written
 * out, and its frame may be reused, leaving the PDE in page-file form. The
 * next access under it faults the table back first, then its own page.
 * It is freed when its last non-zero PTE is cleared (NT: its
 * UsedPageTableEntries count reaches zero).
 */
#include "pagetable.h"

#include "pfn.h"
#include "resolve.h"

mm_status pt_ensure(struct mm_machine *m, struct mm_process *p, mm_va va, enum mm_access_kind access,
                    bool create, struct pte_loc *at, enum mm_fault_kind *how)
{
    struct pte_loc pde = pt_pde_loc(p, va);
    mm_pte v = pt_read(m, pde);
    mm_va table_va = page_table_va(VA_PDI(va));
    mm_pfn frame = 0;
    enum mm_list from = MM_LIST_COUNT;
    mm_status s = STATUS_SUCCESS;
    uint64_t since = m->seq + 1;   /* the table fault's events begin here */
    *how = MM_FAULT_NONE;
    switch (pte_classify(v)) {
    case PTE_FORM_VALID:
        break;
    case PTE_FORM_TRANSITION:
        resolve_transition(m, p, pde, table_va, v, &frame, &from);
        *how = MM_FAULT_TRANSITION;
        break;
    case PTE_FORM_PAGEFILE:
        s = resolve_page_file(m, p, pde, table_va, v, &frame);
        *how = MM_FAULT_PAGE_FILE;
        break;
    default:
        if (!create)
            return STATUS_NOT_COMMITTED;
        s = resolve_demand_zero(m, p, pde, table_va, MM_READWRITE, &frame);
        *how = MM_FAULT_PAGE_TABLE;
        break;
    }
    if (s != STATUS_SUCCESS) {
        *how = MM_FAULT_NONE;
        return STATUS_NO_MEMORY;
    }
    if (*how != MM_FAULT_NONE)
        resolve_report(m, p, table_va, access, *how, MM_AV_NONE, STATUS_SUCCESS, frame, from, 0, since);
    at->table = pte_frame(pt_read(m, pde));
    at->pte_va = pte_address(va);
    return STATUS_SUCCESS;
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
        ws_release_entry(m, p, ws_index_of(m, p, va, frame), MM_WS_DELETE);
        pt_write(m, at, replacement, false);
        if (pfn_flag(&m->pfn[frame], PFN_PROTOTYPE_PTE)) {
            /* a shared page loses this mapping; its Dirty bit must not be lost */
            if (old & PTE_DIRTY)
                pfn_mark_modified(m, frame);
            pfn_decrement_share(m, frame, MOVE_DELETED);
        } else {
            pfn_delete(m, frame, MOVE_DELETED);
        }
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
