/*
 * fault.c - the page-fault handler. fault_access() is MmAccessFault: it
 * works out what the faulting PTE (or the VAD, when the PTE is zero) says,
 * checks the access against the page's protection, makes the page table
 * present if needed, and hands the PTE to one resolver:
 *
 *   PTE form            resolver                       fault kind
 *   zero / demand-zero  resolve_demand_zero            MM_FAULT_DEMAND_ZERO
 *   transition          resolve_transition             MM_FAULT_TRANSITION (soft)
 *   page-file           resolve_page_file              MM_FAULT_PAGE_FILE (hard)
 *   valid               resolve_protection             MM_FAULT_ACCESS_VIOLATION
 *   (guard protection)  resolve_guard_page             MM_FAULT_GUARD_PAGE
 *   (no table)          resolve_page_table, then above MM_FAULT_PAGE_TABLE
 */
#include "fault.h"

#include "avail.h"
#include "pagetable.h"
#include "pfn.h"
#include "vad.h"

static void count(struct mm_machine *m, struct mm_process *p, enum mm_fault_kind kind)
{
    m->faults[kind]++;
    p->faults[kind]++;
}

static void report(struct mm_machine *m, struct mm_process *p, mm_va va, enum mm_access_kind access,
                   enum mm_fault_kind kind, enum mm_av_reason av, mm_status status, mm_pfn frame,
                   enum mm_list from)
{
    count(m, p, kind);
    if (!ev_on(m))
        return;
    struct mm_event ev = {.kind = MM_EV_FAULT, .pid = p->pid};
    ev.u.fault.va = va;
    ev.u.fault.access = access;
    ev.u.fault.kind = kind;
    ev.u.fault.av = av;
    ev.u.fault.status = status;
    ev.u.fault.frame = frame;
    ev.u.fault.from = from;
    ev_emit(m, &ev);
}

static mm_status finish(struct mm_machine *m, struct mm_process *p, mm_va va,
                        enum mm_access_kind access, enum mm_fault_kind kind, enum mm_av_reason av,
                        mm_status status, mm_pfn frame, enum mm_list from)
{
    m->last_fault.kind = kind;
    m->last_fault.av = av;
    m->last_fault.status = status;
    report(m, p, va, access, kind, av, status, frame, from);
    return status;
}

static mm_status access_violation(struct mm_machine *m, struct mm_process *p, mm_va va,
                                  enum mm_access_kind access, enum mm_av_reason why)
{
    return finish(m, p, va, access, MM_FAULT_ACCESS_VIOLATION, why, STATUS_ACCESS_VIOLATION, 0,
                  MM_LIST_COUNT);
}

static mm_status out_of_memory(struct mm_machine *m, struct mm_process *p, mm_va va,
                               enum mm_access_kind access)
{
    return finish(m, p, va, access, MM_FAULT_NO_MEMORY, MM_AV_NONE, STATUS_NO_MEMORY, 0,
                  MM_LIST_COUNT);
}

static void add_to_working_set(struct mm_machine *m, struct mm_process *p, mm_va va, mm_pfn frame)
{
    if (ws_insert(m, p, va, frame, false, MM_WS_FAULT) == WSLE_NULL_INDEX)
        mm_panic(__func__, "host out of memory growing a working-set list");
}

static mm_pte valid_pte(mm_pfn frame, uint32_t protection)
{
    return (frame << PAGE_SHIFT) | prot_hardware_bits(protection);
}

/* NT: MiResolveDemandZeroFault. A zeroed frame becomes the page. Nothing
 * else holds its contents, so it is born Modified. */
static mm_status resolve_demand_zero(struct mm_machine *m, struct mm_process *p, struct pte_loc at,
                                     mm_va va, enum mm_access_kind access, uint32_t protection)
{
    ws_make_room(m, p);
    if (avail_ensure(m, 1) != STATUS_SUCCESS)
        return out_of_memory(m, p, va, access);
    mm_pfn frame = pfn_take_zeroed(m, MOVE_DEMAND_ZERO);
    struct mmpfn *pf = &m->pfn[frame];
    pfn_make_active(m, frame, at.pte_va, at.table, pte_make_demand_zero(protection));
    pfn_set_priority(pf, p->page_priority);
    if (p->modified_no_write)
        pf->u4 |= PFN_NO_WRITE;
    pfn_set_flag(pf, PFN_MODIFIED);
    m->pfn[at.table].u2.share_count++;
    if (pt_read(m, at) == 0)
        pt_use(p, va);
    pt_write(m, at, valid_pte(frame, protection), false);
    add_to_working_set(m, p, va, frame);
    return finish(m, p, va, access, MM_FAULT_DEMAND_ZERO, MM_AV_NONE, STATUS_SUCCESS, frame,
                  MM_LIST_COUNT);
}

/* NT: MiResolveTransitionFault. The page never left memory: take it off
 * Standby or Modified and make it valid again (a soft fault). */
static mm_status resolve_transition(struct mm_machine *m, struct mm_process *p, struct pte_loc at,
                                    mm_va va, enum mm_access_kind access, mm_pte pte)
{
    mm_pfn frame = pte_frame(pte);
    struct mmpfn *pf = &m->pfn[frame];
    enum mm_list from = pfn_location(pf);
    pfn_unlink(m, frame, ActiveAndValid, MOVE_SOFT_FAULT);
    pf->u2.share_count = 1;
    pf->u3.reference_count = 1;
    ws_make_room(m, p);
    pt_write(m, at, valid_pte(frame, pte_protection(pte)), false);
    add_to_working_set(m, p, va, frame);
    return finish(m, p, va, access, MM_FAULT_TRANSITION, MM_AV_NONE, STATUS_SUCCESS, frame, from);
}

/* Read one page from its paging-file slot into `frame`, which the PTE at
 * `at` now names in transition form while the read is in progress.
 * SIMPLIFIED: the read completes at once and never fails (no in-page error). */
static void read_page(struct mm_machine *m, struct mm_process *p, struct pte_loc at, mm_pte pte,
                      mm_pfn frame)
{
    struct mmpfn *pf = &m->pfn[frame];
    uint32_t file = pte_pagefile_number(pte), slot = pte_pagefile_offset(pte);
    pf->pte_address = at.pte_va;
    pfn_set_pte_frame(pf, at.table);
    pf->original_pte = pte;   /* keeps the slot: the page is clean */
    pfn_set_priority(pf, p->page_priority);
    pf->u4 = p->modified_no_write ? (pf->u4 | PFN_NO_WRITE) : (pf->u4 & ~PFN_NO_WRITE);
    pfn_clear_flag(pf, PFN_MODIFIED);
    pfn_set_flag(pf, PFN_READ_IN_PROGRESS);
    pf->u3.reference_count = 1;
    m->pfn[at.table].u2.share_count++;
    pt_write(m, at, pte_make_transition(frame, pte_protection(pte)), false);
    if (!phys_copy_in(&m->phys, frame, pagefile_fetch(&m->pagefile[file], slot)))
        mm_panic(__func__, "host out of memory reading paging file %u", file);
    m->pagefile[file].reads++;
    m->pages_read++;
    if (ev_on(m))
        ev_io(m, p->pid, false, file, slot, frame);
    pfn_clear_flag(pf, PFN_READ_IN_PROGRESS);
}

/* Read ahead: following PTEs of the same table whose pages sit in the
 * following slots of the same file come in too, onto Standby (NT's
 * in-page clustering). Only free memory is used for them.
 * SIMPLIFIED: forward only, and one read per page; NT also reads pages
 * before the fault and issues one I/O for the cluster. */
static void read_cluster(struct mm_machine *m, struct mm_process *p, mm_va va, mm_pte pte)
{
    for (uint32_t k = 1; k <= m->cfg.read_cluster; k++) {
        mm_va next = va + k * PAGE_SIZE;
        struct pte_loc at;
        if (next < va || VA_PDI(next) != VA_PDI(va) || !pt_pte_loc(m, p, next, &at))
            return;
        mm_pte npte = pt_read(m, at);
        if (pte_classify(npte) != PTE_FORM_PAGEFILE ||
            pte_pagefile_number(npte) != pte_pagefile_number(pte) ||
            pte_pagefile_offset(npte) != pte_pagefile_offset(pte) + k)
            return;
        if (m->list[FreePageList].total + m->list[ZeroedPageList].total == 0)
            return;
        mm_pfn frame = pfn_take_any(m, MOVE_CLUSTER);
        read_page(m, p, at, npte, frame);
        pfn_insert(m, StandbyPageList, frame, MOVE_CLUSTER);
    }
}

/* NT: MiResolvePageFileFault. A hard fault: the page is read back from its
 * slot. The slot stays allocated and recorded in OriginalPte, so the page
 * is clean until written again. */
static mm_status resolve_page_file(struct mm_machine *m, struct mm_process *p, struct pte_loc at,
                                   mm_va va, enum mm_access_kind access, mm_pte pte)
{
    ws_make_room(m, p);
    if (avail_ensure(m, 1) != STATUS_SUCCESS)
        return out_of_memory(m, p, va, access);
    mm_pfn frame = pfn_take_any(m, MOVE_PAGE_IN);
    read_page(m, p, at, pte, frame);
    pfn_make_active(m, frame, at.pte_va, at.table, pte);
    pt_write(m, at, valid_pte(frame, pte_protection(pte)), false);
    add_to_working_set(m, p, va, frame);
    read_cluster(m, p, va, pte);
    return finish(m, p, va, access, MM_FAULT_PAGE_FILE, MM_AV_NONE, STATUS_SUCCESS, frame,
                  MM_LIST_COUNT);
}

/* The PTE is valid, so the hardware refused the access itself: a write to
 * a read-only page, or (checked in software, see mmu.c) an execute. */
static mm_status resolve_protection(struct mm_machine *m, struct mm_process *p, mm_va va,
                                    enum mm_access_kind access, mm_pte pte)
{
    uint32_t protection = pte_protection(m->pfn[pte_frame(pte)].original_pte);
    if (access == MM_ACCESS_WRITE && !(pte & PTE_WRITE))
        return access_violation(m, p, va, access, MM_AV_WRITE);
    if (access == MM_ACCESS_EXECUTE && !prot_allows(protection, MM_ACCESS_EXECUTE))
        return access_violation(m, p, va, access, MM_AV_EXECUTE);
    /* the translation works now (another path already fixed it) */
    return finish(m, p, va, access, MM_FAULT_NONE, MM_AV_NONE, STATUS_SUCCESS, pte_frame(pte),
                  MM_LIST_COUNT);
}

/* NT: the guard-page branch of MiAccessCheck: the first allowed touch
 * clears the guard and raises STATUS_GUARD_PAGE_VIOLATION; the access is
 * not performed. (MiCheckForUserStackOverflow then grows a thread's stack,
 * which mmsim does not model.) */
static mm_status resolve_guard_page(struct mm_machine *m, struct mm_process *p, struct pte_loc at,
                                    mm_va va, enum mm_access_kind access, mm_pte pte,
                                    uint32_t protection)
{
    uint32_t cleared = protection & ~(uint32_t)MM_GUARD_PAGE;
    mm_pte next;
    if (pte_is_transition(pte)) {
        next = pte_set_protection(pte, cleared);
        struct mmpfn *pf = &m->pfn[pte_frame(pte)];
        pf->original_pte = (pf->original_pte & ~PTE_PROTECTION_MASK) | (cleared << PTE_PROTECTION_SHIFT);
    } else if (pte == 0) {
        next = pte_make_demand_zero(cleared);
        pt_use(p, va);
    } else {
        next = (pte & ~PTE_PROTECTION_MASK) | (cleared << PTE_PROTECTION_SHIFT);
    }
    pt_write(m, at, next, false);
    return finish(m, p, va, access, MM_FAULT_GUARD_PAGE, MM_AV_NONE, STATUS_GUARD_PAGE_VIOLATION,
                  0, MM_LIST_COUNT);
}

/* The page table of va is absent: build it (NT: MiMakePdeExistAndMakeValid
 * on the user fault path). Counted as a fault of its own kind. */
static mm_status resolve_page_table(struct mm_machine *m, struct mm_process *p, mm_va va,
                                    enum mm_access_kind access, struct pte_loc *at)
{
    bool created;
    if (pt_ensure(m, p, va, at, &created) != STATUS_SUCCESS)
        return out_of_memory(m, p, va, access);
    if (created) {
        m->last_fault.page_table_made = true;
        report(m, p, va, access, MM_FAULT_PAGE_TABLE, MM_AV_NONE, STATUS_SUCCESS, at->table,
               MM_LIST_COUNT);
    }
    return STATUS_SUCCESS;
}

/* NT: MmAccessFault. */
mm_status fault_access(struct mm_machine *m, struct mm_process *p, mm_va va, enum mm_access_kind access)
{
    struct mm_fault_info *fi = &m->last_fault;
    fi->pid = p->pid;
    fi->va = va;
    fi->access = access;
    fi->page_table_made = false;
    p->page_fault_count++;
    m->page_fault_count++;

    if (va > MM_HIGHEST_USER_ADDRESS)
        return access_violation(m, p, va, access, MM_AV_KERNEL_ADDRESS);

    struct pte_loc at;
    bool have_table = pt_pte_loc(m, p, va, &at);
    mm_pte pte = have_table ? pt_read(m, at) : 0;
    uint32_t protection;
    switch (pte_classify(pte)) {
    case PTE_FORM_VALID:
        return resolve_protection(m, p, va, access, pte);
    case PTE_FORM_ZERO: {   /* MiCheckVirtualAddress: ask the VAD */
        const struct mm_vad *vad = vad_find(&p->vads, VA_VPN(va));
        if (!vad)
            return access_violation(m, p, va, access, MM_AV_NO_VAD);
        if (!vad->mem_commit)
            return access_violation(m, p, va, access, MM_AV_NOT_COMMITTED);
        protection = vad->protection;
        break;
    }
    case PTE_FORM_DECOMMITTED:
        return access_violation(m, p, va, access, MM_AV_NOT_COMMITTED);
    case PTE_FORM_PROTOTYPE:   /* SIMPLIFIED: no sections, so no prototype PTEs */
        mm_panic(__func__, "prototype PTE 0x%08X at 0x%08X: mmsim has no sections", pte, va);
    default:
        protection = pte_protection(pte);
        break;
    }

    if ((protection & MM_PROTECT_ACCESS) == 0)
        return access_violation(m, p, va, access, MM_AV_NO_ACCESS);
    /* NT: MiAccessCheck. The access must be allowed first; only then does
     * a guard page raise its one-time exception. */
    bool guard = prot_is_guard(protection);
    if (!prot_allows(protection, access))
        return access_violation(m, p, va, access,
                                access == MM_ACCESS_EXECUTE ? MM_AV_EXECUTE : MM_AV_WRITE);
    if (!have_table) {
        mm_status s = resolve_page_table(m, p, va, access, &at);
        if (s != STATUS_SUCCESS)
            return s;
    }
    if (guard)
        return resolve_guard_page(m, p, at, va, access, pte, protection);

    mm_status s;
    switch (pte_classify(pte)) {
    case PTE_FORM_TRANSITION:
        return resolve_transition(m, p, at, va, access, pte);
    case PTE_FORM_PAGEFILE:
        s = resolve_page_file(m, p, at, va, access, pte);
        break;
    default:
        s = resolve_demand_zero(m, p, at, va, access, protection);
        break;
    }
    if (s != STATUS_SUCCESS)
        pt_delete_if_unused(m, p, va);   /* a table built for nothing goes again */
    return s;
}
