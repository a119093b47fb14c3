/*
 * resolve.c - the fault resolvers (NT: MiResolveDemandZeroFault,
 * MiResolveTransitionFault, MiResolvePageFileFault). Each takes the
 * location of a not-valid PTE and leaves it valid, its frame active and in
 * the process's working set. The bits of the valid PTE are NT's: Accessed
 * always, Dirty at once for a writable page that is (or is born) modified.
 */
#include "resolve.h"

#include "avail.h"
#include "pfn.h"

bool resolve_can_dirty(uint32_t protection)
{
    uint32_t a = protection & MM_PROTECT_ACCESS;
    return a == MM_READWRITE || a == MM_EXECUTE_READWRITE;
}

mm_pte resolve_valid_pte(mm_pfn frame, uint32_t protection, bool dirty)
{
    return (frame << PAGE_SHIFT) | prot_hardware_bits(protection) | PTE_ACCESSED | (dirty ? PTE_DIRTY : 0);
}

/* Is the entry at `at` a PDE, i.e. is the page it maps a page table? */
static bool maps_table(struct pte_loc at) { return at.pte_va >= PDE_BASE; }

static void add_to_working_set(struct mm_machine *m, struct mm_process *p, mm_va va, mm_pfn frame)
{
    if (ws_insert(m, p, va, frame, false, MM_WS_FAULT) == WSLE_NULL_INDEX)
        mm_host_exhausted(__func__, "a working-set list");
}

/* The standby priority and ModifiedNoWrite mark a page of p takes when it
 * comes into memory. A page table is never ModifiedNoWrite. */
static void take_owner_marks(struct mmpfn *pf, const struct mm_process *p, bool table)
{
    pfn_set_priority(pf, p->page_priority);
    if (p->modified_no_write && !table)
        pf->u4 |= PFN_NO_WRITE;
    else
        pf->u4 &= ~PFN_NO_WRITE;
}

/* LAB fault: begin resolve_demand_zero */
mm_status resolve_demand_zero(struct mm_machine *m, struct mm_process *p, struct pte_loc at, mm_va va,
                              uint32_t protection, mm_pfn *frame)
{
    bool table = maps_table(at);
    ws_make_room(m, p, va);
    if (avail_ensure(m, 1) != STATUS_SUCCESS)
        return STATUS_NO_MEMORY;
    mm_pfn f = pfn_take_zeroed(m, table ? MOVE_PAGE_TABLE : MOVE_DEMAND_ZERO);
    MM_ASSERT(f != MM_EMPTY_LIST);
    struct mmpfn *pf = &m->pfn[f];
    pfn_make_active(m, f, at.pte_va, at.table, pte_make_demand_zero(protection));
    take_owner_marks(pf, p, table);
    pfn_set_flag(pf, PFN_MODIFIED);   /* nothing else holds its contents */
    m->pfn[at.table].u2.share_count++;
    if (!table && pt_read(m, at) == 0)
        pt_use(p, va);
    pt_write(m, at, resolve_valid_pte(f, protection, resolve_can_dirty(protection)), false);
    add_to_working_set(m, p, va, f);
    *frame = f;
    return STATUS_SUCCESS;
}
/* LAB fault: end resolve_demand_zero */

/* LAB fault: begin resolve_transition */
void resolve_transition(struct mm_machine *m, struct mm_process *p, struct pte_loc at, mm_va va,
                        mm_pte pte, mm_pfn *frame, enum mm_list *from)
{
    mm_pfn f = pte_frame(pte);
    struct mmpfn *pf = &m->pfn[f];
    uint32_t protection = pte_protection(pte);
    *from = pfn_location(pf);
    pfn_unlink(m, f, ActiveAndValid, MOVE_TRANSITION_FAULT);
    pf->u2.share_count = 1;
    pf->u3.reference_count = 1;
    ws_make_room(m, p, va);
    bool dirty = pfn_flag(pf, PFN_MODIFIED) && resolve_can_dirty(protection);
    pt_write(m, at, resolve_valid_pte(f, protection, dirty), false);
    add_to_working_set(m, p, va, f);
    *frame = f;
}
/* LAB fault: end resolve_transition */

/* LAB fault: begin resolve_page_file */
/* Read one page from its paging-file slot into `frame`, which the PTE at
 * `at` names in transition form while the read is in progress.
 * SIMPLIFIED: the read completes at once and never fails (no in-page error). */
static void read_page(struct mm_machine *m, struct mm_process *p, struct pte_loc at, mm_pte pte,
                      mm_pfn frame)
{
    struct mmpfn *pf = &m->pfn[frame];
    uint32_t file = pte_pagefile_number(pte), slot = pte_pagefile_offset(pte);
    pf->pte_address = at.pte_va;
    pfn_set_pte_frame(pf, at.table);
    pf->original_pte = pte;   /* keeps the slot: the page is clean */
    take_owner_marks(pf, p, maps_table(at));
    pfn_clear_flag(pf, PFN_MODIFIED);
    pfn_set_flag(pf, PFN_READ_IN_PROGRESS);
    pf->u3.reference_count = 1;
    m->pfn[at.table].u2.share_count++;
    pt_write(m, at, pte_make_transition(frame, pte_protection(pte)), false);
    if (!phys_copy_in(&m->phys, frame, pagefile_fetch(&m->pagefile[file], slot)))
        mm_host_exhausted(__func__, "a page read from a paging file");
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

mm_status resolve_page_file(struct mm_machine *m, struct mm_process *p, struct pte_loc at, mm_va va,
                            mm_pte pte, mm_pfn *frame)
{
    ws_make_room(m, p, va);
    if (avail_ensure(m, 1) != STATUS_SUCCESS)
        return STATUS_NO_MEMORY;
    mm_pfn f = pfn_take_any(m, MOVE_PAGE_IN);
    read_page(m, p, at, pte, f);
    pfn_make_active(m, f, at.pte_va, at.table, pte);
    pt_write(m, at, resolve_valid_pte(f, pte_protection(pte), false), false);
    add_to_working_set(m, p, va, f);
    if (!maps_table(at))
        read_cluster(m, p, va, pte);
    *frame = f;
    return STATUS_SUCCESS;
}
/* LAB fault: end resolve_page_file */

void resolve_report(struct mm_machine *m, struct mm_process *p, mm_va va, enum mm_access_kind access,
                    enum mm_fault_kind kind, enum mm_av_reason av, mm_status status, mm_pfn frame,
                    enum mm_list from, mm_va guard, uint64_t since)
{
    m->faults[kind]++;
    p->faults[kind]++;
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
    ev.u.fault.guard = guard;
    ev.u.fault.since = since;
    ev_emit(m, &ev);
}
