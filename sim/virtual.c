/*
 * virtual.c - the virtual memory services (NT: NtAllocateVirtualMemory,
 * NtFreeVirtualMemory, NtProtectVirtualMemory, NtQueryVirtualMemory) and
 * commit charge.
 *
 * Whether a page is committed is read the way NT reads it:
 *   PTE zero          -> committed if the VAD was committed whole (MemCommit)
 *   PTE decommitted   -> not committed (0x200, only inside MemCommit VADs)
 *   any other PTE     -> committed, with the protection in the PTE (or, for
 *                        a valid PTE, in its frame's OriginalPte)
 */
#include <stdlib.h>

#include "mm.h"
#include "pagetable.h"
#include "pfn.h"
#include "resolve.h"
#include "view.h"
#include "virtual.h"
#include "ws.h"

/* SIMPLIFIED: the PTE of a paged-out page table is read where it is
 * (pt_peek); NT's query makes the table valid first (a fault). */
bool virtual_page_state(const struct mm_machine *m, const struct mm_process *p,
                        const struct mm_vad *vad, mm_va va, uint32_t *protection)
{
    mm_pte pte = pt_peek(m, p, va, NULL);
    switch (pte_classify(pte)) {
    case PTE_FORM_ZERO:
    case PTE_FORM_PROTOTYPE:
        *protection = view_is_mapped(vad) ? view_page_protection(m, vad, va) : vad->protection;
        return vad->mem_commit;
    case PTE_FORM_DECOMMITTED:
        *protection = 0;
        return false;
    case PTE_FORM_VALID:
        *protection = pfn_flag(&m->pfn[pte_frame(pte)], PFN_PROTOTYPE_PTE)
                          ? view_page_protection(m, vad, va)
                          : pte_protection(m->pfn[pte_frame(pte)].original_pte);
        return true;
    default:
        *protection = pte_protection(pte);
        return true;
    }
}

/* NT: MiExtendPagingFiles. Grow paging files that are below their maximum
 * so the commit limit covers `short_by` more pages: each file in turn by
 * what is still missing, at least MM_MAX_PAGEFILE_EXTENSION pages (never
 * past its maximum). Nothing grows unless together they can cover it.
 * SIMPLIFIED: the 1 MiB minimum step is mmsim's; NT sizes its extensions
 * from the shortfall and its own minimum, and extends asynchronously. */
static bool extend_paging_files(struct mm_machine *m, uint32_t short_by)
{
    uint64_t room = 0;
    for (uint32_t i = 0; i < m->pagefile_count; i++)
        if (m->cfg.pagefile_maximum[i] > m->pagefile[i].size)
            room += m->cfg.pagefile_maximum[i] - m->pagefile[i].size;
    if (room < short_by)
        return false;
    for (uint32_t i = 0; i < m->pagefile_count && short_by > 0; i++) {
        uint32_t size = m->pagefile[i].size, max = m->cfg.pagefile_maximum[i];
        if (max <= size)
            continue;
        uint32_t grow = short_by > MM_MAX_PAGEFILE_EXTENSION ? short_by : MM_MAX_PAGEFILE_EXTENSION;
        if (grow > max - size)
            grow = max - size;
        if (!pagefile_grow(&m->pagefile[i], size + grow))
            return false;
        m->commit_limit += grow;
        short_by = grow >= short_by ? 0 : short_by - grow;
        if (ev_on(m)) {
            struct mm_event ev = {.kind = MM_EV_PAGEFILE};
            ev.u.io.extended = true;
            ev.u.io.file = i;
            ev.u.io.slot = size + grow;
            ev.u.io.frame = MM_EMPTY_LIST;
            ev_emit(m, &ev);
        }
    }
    return short_by == 0;
}

/* SIMPLIFIED: only private committed pages are charged; NT also charges
 * page tables and other process overhead. When the charge would pass the
 * commit limit, paging files grow first (up to their maximum sizes);
 * STATUS_COMMITMENT_LIMIT only when they cannot. */
mm_status virtual_charge_system(struct mm_machine *m, uint32_t pages)
{
    if ((uint64_t)m->commit_total + pages > m->commit_limit &&
        !extend_paging_files(m, (uint32_t)((uint64_t)m->commit_total + pages - m->commit_limit)))
        return STATUS_COMMITMENT_LIMIT;
    m->commit_total += pages;
    if (m->commit_total > m->commit_peak)
        m->commit_peak = m->commit_total;
    return STATUS_SUCCESS;
}

static mm_status charge(struct mm_machine *m, struct mm_process *p, struct mm_vad *vad, uint32_t pages)
{
    if (virtual_charge_system(m, pages) != STATUS_SUCCESS)
        return STATUS_COMMITMENT_LIMIT;
    p->commit_charge += pages;
    if (p->commit_charge > p->commit_peak)
        p->commit_peak = p->commit_charge;
    if (vad)
        vad->commit_charge += pages;
    return STATUS_SUCCESS;
}

mm_status virtual_charge(struct mm_machine *m, struct mm_process *p, struct mm_vad *vad, uint32_t pages)
{
    return charge(m, p, vad, pages);
}

static void uncharge(struct mm_machine *m, struct mm_process *p, struct mm_vad *vad, uint32_t pages)
{
    MM_ASSERT(m->commit_total >= pages && p->commit_charge >= pages && vad->commit_charge >= pages);
    m->commit_total -= pages;
    p->commit_charge -= pages;
    vad->commit_charge -= pages;
}

/* Protections that private memory may carry. */
static uint32_t private_protection(uint32_t win32)
{
    uint32_t prot = prot_from_win32(win32);
    if (prot == MM_INVALID_PROTECTION)
        return prot;
    /* as in NT: write-copy needs a section to copy from (a view may have it) */
    if (prot_is_write_copy(prot))
        return MM_INVALID_PROTECTION;
    return prot;
}

/* [start, end) in pages from a base and a size, rejecting wrap-around. */
static bool page_range(mm_va base, uint32_t size, uint32_t *start_vpn, uint32_t *end_vpn)
{
    uint64_t end = (uint64_t)base + size;
    if (size == 0 || end > (uint64_t)MM_HIGHEST_USER_ADDRESS + 1)
        return false;
    *start_vpn = VA_VPN(base);
    *end_vpn = (uint32_t)((end + PAGE_SIZE - 1) >> PAGE_SHIFT) - 1;
    return true;
}

static mm_status reserve(struct mm_machine *m, struct mm_process *p, mm_va *base, uint32_t *size,
                         bool commit, uint32_t prot)
{
    uint32_t pages = (uint32_t)(((uint64_t)*size + PAGE_SIZE - 1) >> PAGE_SHIFT);
    uint32_t start, end;
    if (*size == 0)
        return STATUS_INVALID_PARAMETER;
    if (*base) {
        mm_va aligned = *base & ~(MM_ALLOCATION_GRANULARITY - 1);
        uint64_t limit = (uint64_t)*base + *size;
        if (aligned < MM_LOWEST_USER_ADDRESS || limit > MM_USER_RESERVE_LIMIT)
            return STATUS_INVALID_PARAMETER;
        start = VA_VPN(aligned);
        end = (uint32_t)((limit + PAGE_SIZE - 1) >> PAGE_SHIFT) - 1;
        if (vad_find_overlap(&p->vads, start, end))
            return STATUS_CONFLICTING_ADDRESSES;
    } else {
        if (!vad_find_gap(&p->vads, pages, VA_VPN(MM_LOWEST_USER_ADDRESS),
                          VA_VPN(MM_USER_RESERVE_LIMIT) - 1, &start))
            return STATUS_NO_MEMORY;
        end = start + pages - 1;
    }
    struct mm_vad *vad = calloc(1, sizeof *vad);
    if (!vad)
        return STATUS_NO_MEMORY;
    vad->start_vpn = start;
    vad->end_vpn = end;
    vad->protection = prot;
    vad->mem_commit = commit;
    vad->section = MM_NO_SECTION;
    if (commit && charge(m, p, vad, end - start + 1) != STATUS_SUCCESS) {
        free(vad);
        return STATUS_COMMITMENT_LIMIT;
    }
    vad_insert(&p->vads, vad);
    *base = VPN_VA(start);
    *size = (end - start + 1) * PAGE_SIZE;
    return STATUS_SUCCESS;
}

static mm_status protect_page(struct mm_machine *m, struct mm_process *p, mm_va va, uint32_t prot);

/* The PTE of va, its page table made present first (a new one, or one
 * brought back from a paging file), for a service about to write it. */
static mm_status table_for_write(struct mm_machine *m, struct mm_process *p, mm_va va, struct pte_loc *at)
{
    enum mm_fault_kind how;
    return pt_ensure(m, p, va, MM_ACCESS_WRITE, true, at, &how);
}

/* Commit pages of an existing reservation: uncommitted PTEs become
 * demand-zero PTEs with the protection (the page table is made present
 * if need be), and pages already committed take the new protection
 * without a new charge (NT commits over committed pages this way). */
static mm_status commit(struct mm_machine *m, struct mm_process *p, mm_va *base, uint32_t *size,
                        uint32_t prot)
{
    uint32_t start, end;
    if (!page_range(*base, *size, &start, &end))
        return STATUS_INVALID_PARAMETER;
    struct mm_vad *vad = vad_find(&p->vads, start);
    if (!vad || end > vad->end_vpn)
        return STATUS_CONFLICTING_ADDRESSES;
    uint32_t needed = 0, unused;
    for (uint32_t vpn = start; vpn <= end; vpn++)
        if (!virtual_page_state(m, p, vad, VPN_VA(vpn), &unused))
            needed++;
    if (charge(m, p, vad, needed) != STATUS_SUCCESS)
        return STATUS_COMMITMENT_LIMIT;
    mm_status s = STATUS_SUCCESS;
    p->hold_tables++;
    uint32_t vpn = start;
    for (; vpn <= end; vpn++) {
        if (virtual_page_state(m, p, vad, VPN_VA(vpn), &unused)) {
            if ((s = protect_page(m, p, VPN_VA(vpn), prot)) != STATUS_SUCCESS)
                break;
            continue;
        }
        struct pte_loc at;
        if (table_for_write(m, p, VPN_VA(vpn), &at) != STATUS_SUCCESS) {
            s = STATUS_NO_MEMORY;
            break;
        }
        if (pt_read(m, at) == 0)
            pt_use(p, VPN_VA(vpn));
        pt_write(m, at, pte_make_demand_zero(prot), false);
    }
    p->hold_tables--;
    if (s != STATUS_SUCCESS) {
        /* no page table for vpn: the pages before it are committed and
         * keep their charge, the ones not committed from it on give theirs
         * back (whichever kind of page the table was needed for) */
        uint32_t left = 0;
        for (uint32_t v = vpn; v <= end; v++)
            if (!virtual_page_state(m, p, vad, VPN_VA(v), &unused))
                left++;
        uncharge(m, p, vad, left);
        return s;
    }
    *base = VPN_VA(start);
    *size = (end - start + 1) * PAGE_SIZE;
    return STATUS_SUCCESS;
}

/* MEM_COMMIT of pages inside a mapped view (NtAllocateVirtualMemory's
 * commit path for a VAD that is not private memory): the section's pages
 * are its own to commit. A file's or an image's are in the file, so
 * STATUS_ALREADY_COMMITTED; a paging-file section's are committed already
 * (mmsim's are all SEC_COMMIT), so NT only applies the protection and
 * succeeds. SIMPLIFIED: a view's protection cannot change in mmsim
 * (sections.md), so that succeeds only for the protection the pages have,
 * and is STATUS_NOT_SUPPORTED otherwise, as protect on a view is. */
static mm_status commit_in_view(struct mm_machine *m, const struct mm_vad *vad, mm_va *base, uint32_t *size,
                                uint32_t protect)
{
    uint32_t start, end, prot = prot_from_win32(protect);
    if (prot == MM_INVALID_PROTECTION || (prot & MM_NOCACHE))   /* a section's pages are cached */
        return STATUS_INVALID_PAGE_PROTECTION;
    if (!page_range(*base, *size, &start, &end))
        return STATUS_INVALID_PARAMETER;
    if (end > vad->end_vpn)
        return STATUS_CONFLICTING_ADDRESSES;
    const struct mm_section *sc = &m->section[vad->section];
    if (sc->file != MM_NO_FILE || sc->image)
        return STATUS_ALREADY_COMMITTED;
    for (uint32_t vpn = start; vpn <= end; vpn++)
        if (view_page_protection(m, vad, VPN_VA(vpn)) != prot)
            return STATUS_NOT_SUPPORTED;
    *base = VPN_VA(start);
    *size = (end - start + 1) * PAGE_SIZE;
    return STATUS_SUCCESS;
}

mm_status mm_allocate(struct mm_machine *m, uint32_t pid, mm_va *base, uint32_t *size,
                      uint32_t type, uint32_t protect)
{
    struct mm_process *p = process_get(m, pid);
    if (!p)
        return STATUS_INVALID_CID;
    if (type == 0 || (type & ~(MEM_COMMIT | MEM_RESERVE)))
        return STATUS_INVALID_PARAMETER;
    if (!(type & MEM_RESERVE) && *base != 0) {   /* a commit: of a view's pages? (write-copy allowed there) */
        const struct mm_vad *vad = vad_find(&p->vads, VA_VPN(*base));
        if (vad && view_is_mapped(vad))
            return commit_in_view(m, vad, base, size, protect);
    }
    uint32_t prot = private_protection(protect);
    if (prot == MM_INVALID_PROTECTION)
        return STATUS_INVALID_PAGE_PROTECTION;
    if ((uint64_t)*base + *size > 0x100000000ull)
        return STATUS_INVALID_PARAMETER;
    /* no base address: this must be a reservation (NtAllocateVirtualMemory) */
    if ((type & MEM_RESERVE) || *base == 0)
        return reserve(m, p, base, size, (type & MEM_COMMIT) != 0, prot);
    return commit(m, p, base, size, prot);
}

/* Make every page table of [start, end] present (NT's MiDecommitPages
 * builds missing tables first): all or nothing, so on failure the tables
 * made here go again and STATUS_NO_MEMORY comes back with nothing else
 * changed. The caller holds the process's tables (hold_tables), so none
 * made here can leave before it is written. */
static mm_status tables_for(struct mm_machine *m, struct mm_process *p, uint32_t start, uint32_t end)
{
    for (uint32_t vpn = start; vpn <= end; vpn = (vpn | (PTES_PER_PAGE - 1)) + 1) {
        struct pte_loc at;
        if (table_for_write(m, p, VPN_VA(vpn), &at) != STATUS_SUCCESS) {
            for (uint32_t v = start; v <= end; v = (v | (PTES_PER_PAGE - 1)) + 1) {
                pt_delete_if_unused(m, p, VPN_VA(v));
                if ((v | (PTES_PER_PAGE - 1)) >= end)
                    break;
            }
            return STATUS_NO_MEMORY;
        }
        if ((vpn | (PTES_PER_PAGE - 1)) >= end)
            break;
    }
    return STATUS_SUCCESS;
}

/* Delete the pages [start, end] of a VAD, leaving `replacement` in their
 * PTEs; returns how many were committed. Decommitting (replacement 0x200)
 * writes every PTE, its table made present by tables_for(); releasing
 * (replacement 0) skips tables that do not exist and brings back those
 * that were paged out, since their PTEs may hold paging-file slots. */
static uint32_t delete_pages(struct mm_machine *m, struct mm_process *p, struct mm_vad *vad,
                             uint32_t start, uint32_t end, mm_pte replacement)
{
    uint32_t committed = 0, unused;
    p->hold_tables++;
    for (uint32_t vpn = start; vpn <= end; vpn++) {
        mm_va va = VPN_VA(vpn);
        committed += virtual_page_state(m, p, vad, va, &unused);
        struct pte_loc at;
        enum mm_fault_kind how;
        if (pt_ensure(m, p, va, MM_ACCESS_WRITE, replacement != 0, &at, &how) != STATUS_SUCCESS) {
            MM_ASSERT(replacement == 0);   /* tables_for() made every table present */
            uint32_t last = vpn | (PTES_PER_PAGE - 1);   /* a whole absent table */
            for (uint32_t v = vpn + 1; v <= last && v <= end; v++)
                committed += vad->mem_commit;
            vpn = last < end ? last : end;
            continue;
        }
        if (pt_read(m, at) != replacement)
            pt_delete_pte(m, p, at, replacement);
    }
    p->hold_tables--;
    return committed;
}

/* Bring back every paged-out page table of [start, end] (their PTEs may
 * name paging-file slots that releasing must give back); tables that do
 * not exist stay so. STATUS_NO_MEMORY when one cannot come back. The
 * caller holds the process's tables. */
static mm_status tables_back(struct mm_machine *m, struct mm_process *p, uint32_t start, uint32_t end)
{
    for (uint32_t vpn = start; vpn <= end; vpn = (vpn | (PTES_PER_PAGE - 1)) + 1) {
        struct pte_loc at;
        enum mm_fault_kind how;
        if (pt_ensure(m, p, VPN_VA(vpn), MM_ACCESS_WRITE, false, &at, &how) == STATUS_NO_MEMORY)
            return STATUS_NO_MEMORY;
        if ((vpn | (PTES_PER_PAGE - 1)) >= end)
            break;
    }
    return STATUS_SUCCESS;
}

mm_status virtual_release_vad(struct mm_machine *m, struct mm_process *p, struct mm_vad *vad)
{
    p->hold_tables++;
    mm_status s = tables_back(m, p, vad->start_vpn, vad->end_vpn);
    if (s == STATUS_SUCCESS) {
        uint32_t section = vad->section, first_page = vad->first_page, pages = vad->end_vpn - vad->start_vpn + 1;
        mm_va base = VPN_VA(vad->start_vpn);
        delete_pages(m, p, vad, vad->start_vpn, vad->end_vpn, 0);
        uncharge(m, p, vad, vad->commit_charge);
        for (uint32_t i = 0; i < p->stacks; i++)   /* a thread stack goes with its region */
            if (p->stack[i].deallocation == base)
                p->stack[i--] = p->stack[--p->stacks];
        vad_remove(&p->vads, vad);
        if (section != MM_NO_SECTION)
            view_unmapped(m, p, section, base, pages, first_page);
    }
    p->hold_tables--;
    return s;
}

mm_status mm_free(struct mm_machine *m, uint32_t pid, mm_va *base, uint32_t *size, uint32_t type)
{
    struct mm_process *p = process_get(m, pid);
    if (!p)
        return STATUS_INVALID_CID;
    if (type != MEM_DECOMMIT && type != MEM_RELEASE)
        return STATUS_INVALID_PARAMETER;
    if (*base > MM_HIGHEST_USER_ADDRESS || (uint64_t)*base + *size > (uint64_t)MM_HIGHEST_USER_ADDRESS + 1)
        return STATUS_INVALID_PARAMETER;
    struct mm_vad *vad = vad_find(&p->vads, VA_VPN(*base));
    if (!vad)
        return STATUS_MEMORY_NOT_ALLOCATED;
    if (view_is_mapped(vad))   /* a view goes with NtUnmapViewOfSection: NtFreeVirtualMemory
                                  refuses it before looking at MEM_DECOMMIT or MEM_RELEASE */
        return STATUS_UNABLE_TO_DELETE_SECTION;
    uint32_t start = VA_VPN(*base), end;
    if (*size == 0) {
        if (start != vad->start_vpn)
            return STATUS_FREE_VM_NOT_AT_BASE;
        end = vad->end_vpn;
    } else if (!page_range(*base, *size, &start, &end)) {
        return STATUS_INVALID_PARAMETER;
    }
    if (end > vad->end_vpn)
        return STATUS_UNABLE_TO_FREE_VM;
    if (type == MEM_RELEASE) {
        if (start != vad->start_vpn)
            return STATUS_FREE_VM_NOT_AT_BASE;
        if (end != vad->end_vpn)
            return STATUS_UNABLE_TO_FREE_VM;   /* SIMPLIFIED: NT can split a VAD here */
        mm_status s = virtual_release_vad(m, p, vad);
        if (s == STATUS_SUCCESS) {
            *base = VPN_VA(start);
            *size = (end - start + 1) * PAGE_SIZE;
        }
        return s;
    }
    p->hold_tables++;
    mm_status s = tables_for(m, p, start, end);
    uint32_t was = s == STATUS_SUCCESS ? delete_pages(m, p, vad, start, end, MM_DECOMMITTED_PTE) : 0;
    p->hold_tables--;
    if (s != STATUS_SUCCESS)
        return s;
    uncharge(m, p, vad, was);
    *base = VPN_VA(start);
    *size = (end - start + 1) * PAGE_SIZE;
    return STATUS_SUCCESS;
}

/* Give one committed page a new protection, whatever form its PTE has
 * (its page table made present first). */
static mm_status protect_page(struct mm_machine *m, struct mm_process *p, mm_va va, uint32_t prot)
{
    struct pte_loc at;
    if (table_for_write(m, p, va, &at) != STATUS_SUCCESS)
        return STATUS_NO_MEMORY;
    mm_pte pte = pt_read(m, at);
    bool stays_valid = (prot & MM_PROTECT_ACCESS) != 0 && !prot_is_guard(prot);
    if (pte_is_valid(pte) && !stays_valid) {
        /* no-access and guard pages must fault: take the page out */
        ws_remove_page(m, p, m->pfn[pte_frame(pte)].u1.ws_index, MM_WS_PROTECT);
        pte = pt_read(m, at);
    }
    if (pte_is_valid(pte)) {
        struct mmpfn *pf = &m->pfn[pte_frame(pte)];
        pf->original_pte = (pf->original_pte & ~PTE_PROTECTION_MASK) | (prot << PTE_PROTECTION_SHIFT);
        mm_pte keep = pte & (PTE_FRAME_MASK | PTE_ACCESSED | PTE_DIRTY);
        pt_write(m, at, keep | prot_hardware_bits(prot), false);
    } else if (pte_is_transition(pte)) {
        struct mmpfn *pf = &m->pfn[pte_frame(pte)];
        pf->original_pte = (pf->original_pte & ~PTE_PROTECTION_MASK) | (prot << PTE_PROTECTION_SHIFT);
        mm_pte next = pte_set_protection(pte, prot) & ~PTE_WRITE;
        pt_write(m, at, next | (prot_is_writable(prot) ? PTE_WRITE : 0), false);
    } else if (pte == 0) {
        pt_use(p, va);
        pt_write(m, at, pte_make_demand_zero(prot), false);
    } else {
        pt_write(m, at, (pte & ~PTE_PROTECTION_MASK) | (prot << PTE_PROTECTION_SHIFT), false);
    }
    return STATUS_SUCCESS;
}

mm_status mm_protect(struct mm_machine *m, uint32_t pid, mm_va *base, uint32_t *size,
                     uint32_t protect, uint32_t *old_protect)
{
    struct mm_process *p = process_get(m, pid);
    if (!p)
        return STATUS_INVALID_CID;
    uint32_t prot = private_protection(protect);
    if (prot == MM_INVALID_PROTECTION)
        return STATUS_INVALID_PAGE_PROTECTION;
    uint32_t start, end, old = 0, cur;
    if (!page_range(*base, *size, &start, &end))
        return STATUS_INVALID_PARAMETER;
    struct mm_vad *vad = vad_find(&p->vads, start);
    if (!vad || end > vad->end_vpn)
        return STATUS_CONFLICTING_ADDRESSES;
    if (view_is_mapped(vad))
        return STATUS_NOT_SUPPORTED;   /* SIMPLIFIED: NT can change a view's protection too */
    for (uint32_t vpn = start; vpn <= end; vpn++) {
        if (!virtual_page_state(m, p, vad, VPN_VA(vpn), &cur))
            return STATUS_NOT_COMMITTED;
        if (vpn == start)
            old = cur;
    }
    p->hold_tables++;
    mm_status s = tables_for(m, p, start, end);
    for (uint32_t vpn = start; vpn <= end && s == STATUS_SUCCESS; vpn++)
        s = protect_page(m, p, VPN_VA(vpn), prot);
    p->hold_tables--;
    if (s != STATUS_SUCCESS)
        return s;
    if (old_protect)
        *old_protect = prot_to_win32(old);
    *base = VPN_VA(start);
    *size = (end - start + 1) * PAGE_SIZE;
    return STATUS_SUCCESS;
}

mm_status mm_query(struct mm_machine *m, uint32_t pid, mm_va va, struct mm_basic_info *info)
{
    struct mm_process *p = process_get(m, pid);
    if (!p)
        return STATUS_INVALID_CID;
    if (va > MM_HIGHEST_USER_ADDRESS)
        return STATUS_INVALID_PARAMETER;
    uint32_t vpn = VA_VPN(va);
    struct mm_vad *vad = vad_find(&p->vads, vpn);
    info->base_address = PAGE_ALIGN(va);
    if (!vad) {
        const struct mm_vad *next = vad_find_overlap(&p->vads, vpn, VA_VPN(MM_HIGHEST_USER_ADDRESS));
        uint32_t stop = next ? next->start_vpn : VA_VPN(MM_HIGHEST_USER_ADDRESS) + 1;
        info->allocation_base = 0;
        info->allocation_protect = 0;
        info->region_size = (stop - vpn) * PAGE_SIZE;
        info->state = MEM_FREE;
        info->protect = PAGE_NOACCESS;
        info->type = 0;
        return STATUS_SUCCESS;
    }
    uint32_t prot, first_prot;
    bool committed = virtual_page_state(m, p, vad, VPN_VA(vpn), &first_prot);
    uint32_t stop = vpn + 1;
    while (stop <= vad->end_vpn && virtual_page_state(m, p, vad, VPN_VA(stop), &prot) == committed &&
           (!committed || prot == first_prot))
        stop++;
    info->allocation_base = VPN_VA(vad->start_vpn);
    info->allocation_protect = prot_to_win32(vad->protection);
    info->region_size = (stop - vpn) * PAGE_SIZE;
    info->state = committed ? MEM_COMMIT : MEM_RESERVE;
    info->protect = committed ? prot_to_win32(first_prot) : 0;
    info->type = !view_is_mapped(vad)                 ? MEM_PRIVATE
                 : m->section[vad->section].image ? MEM_IMAGE
                                                  : MEM_MAPPED;
    return STATUS_SUCCESS;
}
