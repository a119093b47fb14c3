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
#include "virtual.h"
#include "ws.h"

bool virtual_page_state(const struct mm_machine *m, const struct mm_process *p,
                        const struct mm_vad *vad, mm_va va, uint32_t *protection)
{
    struct pte_loc at;
    mm_pte pte = pt_pte_loc(m, p, va, &at) ? pt_read(m, at) : 0;
    switch (pte_classify(pte)) {
    case PTE_FORM_ZERO:
        *protection = vad->protection;
        return vad->mem_commit;
    case PTE_FORM_DECOMMITTED:
        *protection = 0;
        return false;
    case PTE_FORM_VALID:
        *protection = pte_protection(m->pfn[pte_frame(pte)].original_pte);
        return true;
    default:
        *protection = pte_protection(pte);
        return true;
    }
}

/* SIMPLIFIED: only private committed pages are charged; NT also charges
 * page tables and other process overhead. */
static mm_status charge(struct mm_machine *m, struct mm_process *p, struct mm_vad *vad, uint32_t pages)
{
    if ((uint64_t)m->commit_total + pages > m->commit_limit)
        return STATUS_COMMITMENT_LIMIT;
    m->commit_total += pages;
    if (m->commit_total > m->commit_peak)
        m->commit_peak = m->commit_total;
    p->commit_charge += pages;
    if (p->commit_charge > p->commit_peak)
        p->commit_peak = p->commit_charge;
    if (vad)
        vad->commit_charge += pages;
    return STATUS_SUCCESS;
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
    uint32_t access = prot & MM_PROTECT_ACCESS;
    /* SIMPLIFIED: write-copy needs a section to copy from; mmsim has none */
    if (access == MM_WRITECOPY || access == MM_EXECUTE_WRITECOPY)
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
    if (commit && charge(m, p, vad, end - start + 1) != STATUS_SUCCESS) {
        free(vad);
        return STATUS_COMMITMENT_LIMIT;
    }
    vad_insert(&p->vads, vad);
    *base = VPN_VA(start);
    *size = (end - start + 1) * PAGE_SIZE;
    return STATUS_SUCCESS;
}

/* Commit pages of an existing reservation: uncommitted PTEs become
 * demand-zero PTEs with the protection (the page table is built if need be). */
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
    for (uint32_t vpn = start; vpn <= end; vpn++) {
        if (virtual_page_state(m, p, vad, VPN_VA(vpn), &unused))
            continue;
        struct pte_loc at;
        if (pt_ensure(m, p, VPN_VA(vpn), &at, NULL) != STATUS_SUCCESS) {
            uint32_t left = 0;
            for (uint32_t v = vpn; v <= end; v++)
                if (!virtual_page_state(m, p, vad, VPN_VA(v), &unused))
                    left++;
            uncharge(m, p, vad, left);
            return STATUS_NO_MEMORY;
        }
        if (pt_read(m, at) == 0)
            pt_use(p, VPN_VA(vpn));
        pt_write(m, at, pte_make_demand_zero(prot), false);
    }
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

/* Make sure the page tables for [start, end] exist where a PTE will have
 * to be written (pages committed only through the VAD, which have no table
 * yet). All or nothing: on failure the tables built here go again and
 * STATUS_NO_MEMORY comes back with nothing else changed. */
static mm_status tables_for(struct mm_machine *m, struct mm_process *p, const struct mm_vad *vad,
                            uint32_t start, uint32_t end)
{
    if (!vad->mem_commit)
        return STATUS_SUCCESS;   /* only MemCommit regions have committed pages without PTEs */
    for (uint32_t vpn = start; vpn <= end; vpn = (vpn | (PTES_PER_PAGE - 1)) + 1) {
        struct pte_loc at;
        if (pt_ensure(m, p, VPN_VA(vpn), &at, NULL) != STATUS_SUCCESS) {
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
 * PTEs; returns how many were committed. */
static uint32_t delete_pages(struct mm_machine *m, struct mm_process *p, struct mm_vad *vad,
                             uint32_t start, uint32_t end, mm_pte replacement)
{
    uint32_t committed = 0, unused;
    for (uint32_t vpn = start; vpn <= end; vpn++) {
        mm_va va = VPN_VA(vpn);
        bool was = virtual_page_state(m, p, vad, va, &unused);
        committed += was;
        struct pte_loc at;
        if (!pt_pte_loc(m, p, va, &at)) {
            if (replacement == 0) {   /* a whole absent table: skip it */
                uint32_t last = vpn | (PTES_PER_PAGE - 1);
                for (uint32_t v = vpn + 1; v <= last && v <= end; v++)
                    committed += vad->mem_commit;
                vpn = last < end ? last : end;
                continue;
            }
            if (!was)
                continue;
            /* tables_for() built it; a table cannot have gone since */
            if (!pt_pte_loc(m, p, va, &at))
                mm_panic(__func__, "page table for 0x%08X vanished while decommitting", va);
        }
        if (pt_read(m, at) != replacement)
            pt_delete_pte(m, p, at, replacement);
    }
    return committed;
}

void virtual_release_vad(struct mm_machine *m, struct mm_process *p, struct mm_vad *vad)
{
    delete_pages(m, p, vad, vad->start_vpn, vad->end_vpn, 0);
    uncharge(m, p, vad, vad->commit_charge);
    vad_remove(&p->vads, vad);
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
        *base = VPN_VA(start);
        *size = (end - start + 1) * PAGE_SIZE;
        virtual_release_vad(m, p, vad);
        return STATUS_SUCCESS;
    }
    mm_pte replacement = vad->mem_commit ? MM_DECOMMITTED_PTE : 0;
    if (tables_for(m, p, vad, start, end) != STATUS_SUCCESS)
        return STATUS_NO_MEMORY;
    uint32_t was = delete_pages(m, p, vad, start, end, replacement);
    uncharge(m, p, vad, was);
    *base = VPN_VA(start);
    *size = (end - start + 1) * PAGE_SIZE;
    return STATUS_SUCCESS;
}

/* Give one committed page a new protection, whatever form its PTE has. */
static void protect_page(struct mm_machine *m, struct mm_process *p, mm_va va, uint32_t prot)
{
    struct pte_loc at;
    if (!pt_pte_loc(m, p, va, &at))   /* tables_for() built it */
        mm_panic(__func__, "page table for 0x%08X vanished while protecting", va);
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
    for (uint32_t vpn = start; vpn <= end; vpn++) {
        if (!virtual_page_state(m, p, vad, VPN_VA(vpn), &cur))
            return STATUS_NOT_COMMITTED;
        if (vpn == start)
            old = cur;
    }
    if (tables_for(m, p, vad, start, end) != STATUS_SUCCESS)
        return STATUS_NO_MEMORY;
    for (uint32_t vpn = start; vpn <= end; vpn++)
        protect_page(m, p, VPN_VA(vpn), prot);
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
    info->type = MEM_PRIVATE;
    return STATUS_SUCCESS;
}
