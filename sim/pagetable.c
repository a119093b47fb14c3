/*
 * pagetable.c - PDE/PTE reads and writes, and the life of page-table pages.
 *
 * SIMPLIFIED: NT pages page tables out like any other page once they map
 * nothing valid. mmsim keeps a page table resident (and in its process's
 * working set) from its creation until its last non-zero PTE is cleared
 * (NT: UsedPageTableEntries reaching zero), so a PDE is always either
 * valid or zero.
 */
#include "pagetable.h"

#include "wsmgr.h"

void pt_write(struct mm_machine *m, struct pte_loc at, mm_pte value, bool by_hardware)
{
    uint32_t offset = at.pte_va & 0xFFFu;
    mm_pte old = phys_read32(&m->phys, at.table, offset);
    if (old == value)
        return;
    if (!phys_write32(&m->phys, at.table, offset, value))
        mm_panic(__func__, "host out of memory writing frame 0x%X", at.table);

    bool is_pde = at.pte_va >= PDE_BASE && at.pte_va < PDE_BASE + PAGE_SIZE;
    mm_pfn dir = is_pde ? at.table : pfn_pte_frame(&m->pfn[at.table]);
    if (m->current && m->current->directory == dir && !by_hardware) {
        if (!is_pde)
            tlb_invalidate(&m->tlb, pte_mapped_va(at.pte_va));
        else if (pte_is_valid(old))
            tlb_flush(&m->tlb);   /* a whole page table went away */
    }
    if (ev_on(m)) {
        struct mm_process *owner = process_by_directory(m, dir);
        struct mm_event ev = {.kind = MM_EV_PTE, .pid = owner ? owner->pid : 0};
        ev.u.pte.pte_va = at.pte_va;
        ev.u.pte.va = pte_mapped_va(at.pte_va);
        ev.u.pte.old_value = old;
        ev.u.pte.new_value = value;
        ev.u.pte.is_pde = is_pde;
        ev.u.pte.by_hardware = by_hardware;
        ev_emit(m, &ev);
    }
}

bool pt_pte_loc(const struct mm_machine *m, const struct mm_process *p, mm_va va, struct pte_loc *at)
{
    mm_pte pde = pt_read(m, pt_pde_loc(p, va));
    if (!pte_is_valid(pde))
        return false;
    at->table = pte_frame(pde);
    at->pte_va = pte_address(va);
    return true;
}

struct pte_loc pt_loc_of_frame(const struct mm_machine *m, mm_pfn frame)
{
    struct pte_loc at = {pfn_pte_frame(&m->pfn[frame]), m->pfn[frame].pte_address};
    return at;
}

mm_status pt_ensure(struct mm_machine *m, struct mm_process *p, mm_va va, struct pte_loc *at,
                    bool *created)
{
    if (created)
        *created = false;
    if (pt_pte_loc(m, p, va, at))
        return STATUS_SUCCESS;

    ws_make_room(m, p);
    if (wsmgr_ensure_available(m, 1) != STATUS_SUCCESS)
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

void pt_release_pagefile_space(struct mm_machine *m, mm_pte pte)
{
    if (!pte_is_software(pte) || pte_pagefile_offset(pte) == 0)
        return;
    uint32_t file = pte_pagefile_number(pte), slot = pte_pagefile_offset(pte);
    MM_ASSERT(file < m->pagefile_count && pagefile_slot_used(&m->pagefile[file], slot));
    pagefile_free(&m->pagefile[file], slot);
    if (ev_on(m)) {
        struct mm_event ev = {.kind = MM_EV_PAGEFILE};
        ev.u.io.freed = true;
        ev.u.io.file = file;
        ev.u.io.slot = slot;
        ev.u.io.frame = MM_EMPTY_LIST;
        ev_emit(m, &ev);
    }
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
        pt_release_pagefile_space(m, old);
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
