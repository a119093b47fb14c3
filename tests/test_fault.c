/*
 * test_fault.c - the page-fault handler (fault.c): each kind of fault, the
 * frame it takes, the exact PTE values it leaves, the events it reports and
 * how it is counted, per process and system-wide.
 *
 * PTE values used below (i386, NT formats):
 *   valid RW, fault-built    frame<<12 | 0x67  (Valid|Write|Owner|Accessed|Dirty):
 *                            NT sets Accessed and Dirty at fault time for a
 *                            writable page born or found modified, read or write
 *   valid RW, read back clean frame<<12 | 0x27 (Valid|Write|Owner|Accessed)
 *   valid RO, fault-built    frame<<12 | 0x25  (Valid|Owner|Accessed)
 *   transition, RW (trimmed) frame<<12 | 0x886 (Transition | MM_READWRITE<<5 | Owner | Write)
 *   transition, RW (read in) frame<<12 | 0x884 (built from nothing: Owner, no Write)
 *   page file 0 slot s, RW   s<<12     | 0x080 (MM_READWRITE<<5, PageFileLow 0)
 *   demand-zero RW           0x80,  decommitted 0x200
 */
#include <string.h>

#include "support.h"

#include "machine.h"

#define RW_WRITTEN(f)    (((mm_pte)(f) << 12) | 0x67u)
#define RW_READ(f)       (((mm_pte)(f) << 12) | 0x27u)
#define RW_TRANSITION(f) (((mm_pte)(f) << 12) | 0x886u)
#define RW_TRANSITION_READ_IN(f) (((mm_pte)(f) << 12) | 0x884u)
#define RW_SLOT(s)       (((mm_pte)(s) << 12) | 0x080u)

static struct t_events rec;

/* The frame named by va's PTE (valid or transition). */
static struct mm_counters counters(const struct mm_machine *m, uint32_t pid)
{
    struct mm_counters c;
    cr_assert_eq(mm_counters(m, pid, &c), STATUS_SUCCESS);
    return c;
}

/* The PTE events (not PDE) for va, in order; returns how many. */
static uint32_t pte_events(const struct t_events *r, mm_va va, const struct mm_event **out, uint32_t max)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < r->count; i++) {
        const struct mm_event *e = &r->ev[i];
        if (e->kind == MM_EV_PTE && !e->u.pte.is_pde && e->u.pte.va == PAGE_ALIGN(va)) {
            if (n < max)
                out[n] = e;
            n++;
        }
    }
    return n;
}

static mm_status do_access(struct mm_machine *m, uint32_t pid, enum mm_access_kind kind, mm_va va)
{
    uint32_t v = 0;
    switch (kind) {
    case MM_ACCESS_READ: return mm_read32(m, pid, va, &v);
    case MM_ACCESS_WRITE: return mm_write32(m, pid, va, 0x5A5A5A5Au);
    case MM_ACCESS_EXECUTE: return mm_execute(m, pid, va);
    }
    return STATUS_SUCCESS;
}

/* The access raises exactly one access violation for `why`, changes no
 * PTE, list or working set, and is counted once as an AV. */
static void expect_av(struct mm_machine *m, uint32_t pid, enum mm_access_kind kind, mm_va va,
                      enum mm_av_reason why)
{
    struct mm_counters before = counters(m, pid), sys_before = counters(m, 0);
    t_record(m, &rec);
    mm_status s = do_access(m, pid, kind, va);
    mm_set_sink(m, NULL, NULL);
    cr_assert_eq(s, STATUS_ACCESS_VIOLATION, "%s at 0x%08X: status 0x%08X", mm_access_name(kind), va, s);
    const struct mm_fault_info *fi = mm_last_fault(m);
    cr_assert_eq(fi->kind, MM_FAULT_ACCESS_VIOLATION);
    cr_assert_eq(fi->av, why, "%s at 0x%08X: reason %s, expected %s", mm_access_name(kind), va,
                 mm_av_reason_name(fi->av), mm_av_reason_name(why));
    cr_assert_eq(fi->status, STATUS_ACCESS_VIOLATION);
    cr_assert_eq(fi->va, va);
    cr_assert_eq(fi->access, kind);
    cr_assert_eq(fi->pid, pid);
    cr_assert_not(fi->page_table_made);
    cr_assert_eq(t_count(&rec, MM_EV_FAULT), 1u);
    const struct mm_event *e = t_find(&rec, MM_EV_FAULT, 0);
    cr_assert_eq(e->pid, pid);
    cr_assert_eq(e->u.fault.kind, MM_FAULT_ACCESS_VIOLATION);
    cr_assert_eq(e->u.fault.av, why);
    cr_assert_eq(e->u.fault.status, STATUS_ACCESS_VIOLATION);
    cr_assert_eq(e->u.fault.va, va);
    cr_assert_eq(t_count(&rec, MM_EV_PTE), 0u, "an access violation changed a PTE");
    cr_assert_eq(t_count(&rec, MM_EV_PAGE_MOVE), 0u, "an access violation moved a frame");
    cr_assert_eq(t_count(&rec, MM_EV_WSLE), 0u, "an access violation changed the working set");
    struct mm_counters after = counters(m, pid), sys_after = counters(m, 0);
    cr_assert_eq(after.faults[MM_FAULT_ACCESS_VIOLATION], before.faults[MM_FAULT_ACCESS_VIOLATION] + 1);
    cr_assert_eq(sys_after.faults[MM_FAULT_ACCESS_VIOLATION],
                 sys_before.faults[MM_FAULT_ACCESS_VIOLATION] + 1);
    /* no page entered the working set: NT's PageFaultCount (MiAllocateWsle) stays */
    cr_assert_eq(after.page_fault_count, before.page_fault_count);
    cr_assert_eq(after.faults[MM_FAULT_DEMAND_ZERO], before.faults[MM_FAULT_DEMAND_ZERO]);
    cr_assert_eq(after.faults[MM_FAULT_PAGE_TABLE], before.faults[MM_FAULT_PAGE_TABLE]);
}

/* ---- Demand zero ---- */

Test(fault, demand_zero_write_takes_zeroed_frames_for_table_and_page)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 4 * PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(base, 0x10000u);
    cr_assert_eq(t_pte(m, pid, base), 0u, "reserve+commit builds no page table");

    mm_pfn zeroed[64];
    uint32_t nzero = mm_list_frames(m, ZeroedPageList, 0, zeroed, 64);
    cr_assert_geq(nzero, 2u);

    t_record(m, &rec);
    cr_assert_eq(mm_write32(m, pid, base + 8, 0xCAFEBABEu), STATUS_SUCCESS);
    mm_set_sink(m, NULL, NULL);

    const struct mm_fault_info *fi = mm_last_fault(m);
    cr_assert_eq(fi->kind, MM_FAULT_DEMAND_ZERO);
    cr_assert_eq(fi->status, STATUS_SUCCESS);
    cr_assert_eq(fi->av, MM_AV_NONE);
    cr_assert(fi->page_table_made, "first touch in a new 4 MB region makes its page table");
    cr_assert_eq(fi->va, base + 8);
    cr_assert_eq(fi->access, MM_ACCESS_WRITE);
    cr_assert_eq(fi->pid, pid);

    /* table from the head of Zeroed, then the page from the next one */
    mm_pfn table = zeroed[0], f = zeroed[1];
    struct mm_walk w;
    cr_assert_eq(mm_walk(m, pid, base, &w), STATUS_SUCCESS);
    cr_assert_eq(w.pde, ((mm_pte)table << 12) | 0x67u, "PDE 0x%08X: V W U A D", w.pde);
    cr_assert_eq(w.pte, RW_WRITTEN(f), "PTE 0x%08X, expected 0x%08X", w.pte, RW_WRITTEN(f));
    cr_assert_eq(w.pte_va, 0xC0000040u);
    cr_assert_eq(mm_list_head(m, ZeroedPageList)->total, nzero - 2);
    cr_assert_eq(t_location(m, f), ActiveAndValid);
    cr_assert_eq(t_location(m, table), ActiveAndValid);

    const struct mmpfn *pf = mm_pfn_entry(m, f);
    cr_assert_eq(pf->pte_address, 0xC0000040u);
    cr_assert_eq(pfn_pte_frame(pf), table);
    cr_assert_eq(pf->u2.share_count, 1u);
    cr_assert_eq(pf->u3.reference_count, 1u);
    cr_assert_eq(pf->original_pte, 0x80u, "OriginalPte is the demand-zero RW PTE");
    cr_assert(pfn_flag(pf, PFN_MODIFIED), "a demand-zero page exists nowhere else: Modified");
    cr_assert_eq(pfn_priority(pf), MM_DEFAULT_PRIORITY);
    /* the table counts itself + one PTE that names a frame */
    cr_assert_eq(mm_pfn_entry(m, table)->u2.share_count, 2u);

    /* events: a page-table fault (the demand-zero fault on the PDE, at the
     * table's own address through the self-map), then the page's */
    cr_assert_eq(t_count(&rec, MM_EV_FAULT), 2u);
    const struct mm_event *e0 = t_find(&rec, MM_EV_FAULT, 0), *e1 = t_find(&rec, MM_EV_FAULT, 1);
    cr_assert_eq(e0->u.fault.kind, MM_FAULT_PAGE_TABLE);
    cr_assert_eq(e0->u.fault.frame, table);
    cr_assert_eq(e0->u.fault.va, 0xC0000000u);
    cr_assert_eq(fi->table_fault, MM_FAULT_PAGE_TABLE);
    cr_assert_eq(e1->u.fault.kind, MM_FAULT_DEMAND_ZERO);
    cr_assert_eq(e1->u.fault.frame, f);
    cr_assert_eq(e1->u.fault.status, STATUS_SUCCESS);
    cr_assert_eq(e1->u.fault.access, MM_ACCESS_WRITE);
    cr_assert_eq(t_count(&rec, MM_EV_PAGE_MOVE), 2u);
    const struct mm_event *mv0 = t_find(&rec, MM_EV_PAGE_MOVE, 0), *mv1 = t_find(&rec, MM_EV_PAGE_MOVE, 1);
    cr_assert_eq(mv0->u.move.frame, table);
    cr_assert_eq(mv0->u.move.from, ZeroedPageList);
    cr_assert_eq(mv0->u.move.to, ActiveAndValid);
    cr_assert_eq(mv0->u.move.why, MOVE_PAGE_TABLE);
    cr_assert_eq(mv1->u.move.frame, f);
    cr_assert_eq(mv1->u.move.from, ZeroedPageList);
    cr_assert_eq(mv1->u.move.to, ActiveAndValid);
    cr_assert_eq(mv1->u.move.why, MOVE_DEMAND_ZERO);
    cr_assert_eq(t_count(&rec, MM_EV_WSLE), 2u);
    const struct mm_event *w0 = t_find(&rec, MM_EV_WSLE, 0), *w1 = t_find(&rec, MM_EV_WSLE, 1);
    cr_assert_eq(w0->u.wsle.va, 0xC0000000u);
    cr_assert_eq(w0->u.wsle.index, 3u);
    cr_assert_eq(w0->u.wsle.why, MM_WS_FAULT);
    cr_assert_eq(w1->u.wsle.va, base);
    cr_assert_eq(w1->u.wsle.index, 4u);
    cr_assert_eq(w1->u.wsle.why, MM_WS_FAULT);
    cr_assert_eq(t_count(&rec, MM_EV_PAGEFILE), 0u);

    /* PTE history: 0 -> valid with Accessed and Dirty, set by the fault:
     * the processor has nothing left to set on the write */
    const struct mm_event *pe[4];
    cr_assert_eq(pte_events(&rec, base, pe, 4), 1u);
    cr_assert_eq(pe[0]->u.pte.old_value, 0u);
    cr_assert_eq(pe[0]->u.pte.new_value, RW_WRITTEN(f));
    cr_assert_not(pe[0]->u.pte.by_hardware);

    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, pid, base + 8, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0xCAFEBABEu);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_NONE, "a resident page does not fault");

    /* two pages entered the working set, the table and the page: two in
     * PageFaultCount, for one access */
    struct mm_counters c = counters(m, pid), s = counters(m, 0);
    cr_assert_eq(c.page_fault_count, 2u);
    cr_assert_eq(c.faults[MM_FAULT_DEMAND_ZERO], 1u);
    cr_assert_eq(c.faults[MM_FAULT_PAGE_TABLE], 1u);
    cr_assert_eq(s.page_fault_count, 2u);
    cr_assert_eq(s.faults[MM_FAULT_DEMAND_ZERO], 1u);
    cr_assert_eq(s.faults[MM_FAULT_PAGE_TABLE], 1u);
    t_check(m);
    mm_destroy(m);
}

Test(fault, demand_zero_read_maps_a_clean_looking_zero_page)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 4 * PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, base, 1), STATUS_SUCCESS);   /* table exists now */

    mm_pfn head = mm_list_head(m, ZeroedPageList)->first;
    uint32_t v = 0xFFFFFFFFu;
    cr_assert_eq(mm_read32(m, pid, base + PAGE_SIZE + 16, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0u, "a demand-zero page reads as zeros");
    const struct mm_fault_info *fi = mm_last_fault(m);
    cr_assert_eq(fi->kind, MM_FAULT_DEMAND_ZERO);
    cr_assert_not(fi->page_table_made, "the table was already present");
    cr_assert_eq(fi->access, MM_ACCESS_READ);
    cr_assert_eq(t_frame(m, pid, base + PAGE_SIZE), head, "taken from the head of Zeroed");
    cr_assert_eq(t_pte(m, pid, base + PAGE_SIZE), RW_WRITTEN(head),
                 "a read of a writable page still leaves Accessed and Dirty set");

    struct mm_counters c = counters(m, pid);
    cr_assert_eq(c.faults[MM_FAULT_DEMAND_ZERO], 2u);
    cr_assert_eq(c.faults[MM_FAULT_PAGE_TABLE], 1u);
    cr_assert_eq(c.page_fault_count, 3u, "the table and two pages entered the working set");
    t_check(m);
    mm_destroy(m);
}

Test(fault, first_touch_of_each_4mb_region_makes_a_page_table)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va a = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    mm_va b = 0x00400000u;
    uint32_t size = PAGE_SIZE;
    cr_assert_eq(mm_allocate(m, pid, &b, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    cr_assert_eq(b, 0x00400000u);

    cr_assert_eq(mm_write32(m, pid, a, 1), STATUS_SUCCESS);
    cr_assert(mm_last_fault(m)->page_table_made);
    cr_assert_eq(mm_write32(m, pid, b, 2), STATUS_SUCCESS);
    cr_assert(mm_last_fault(m)->page_table_made);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_DEMAND_ZERO);
    struct mm_walk w;
    cr_assert_eq(mm_walk(m, pid, b, &w), STATUS_SUCCESS);
    cr_assert_eq(w.pde_va, 0xC0300004u);
    cr_assert(w.pde_valid);
    cr_assert(mm_ws_contains(m, pid, 0xC0001000u), "table 1 is in the working set");

    /* a commit of a reserved range makes its table then (the demand-zero
     * fault on the PDE, counted): the access takes no page-table fault */
    mm_va c = 0x00800000u;
    size = PAGE_SIZE;
    cr_assert_eq(mm_allocate(m, pid, &c, &size, MEM_RESERVE, PAGE_READWRITE), STATUS_SUCCESS);
    cr_assert_eq(mm_allocate(m, pid, &c, &size, MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    cr_assert_eq(t_pte(m, pid, c), 0x80u);
    cr_assert_eq(mm_walk(m, pid, c, &w), STATUS_SUCCESS);
    cr_assert_eq(w.pde & 0xFFFu, 0x067u);
    cr_assert_eq(mm_write32(m, pid, c, 3), STATUS_SUCCESS);
    cr_assert_not(mm_last_fault(m)->page_table_made);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_DEMAND_ZERO);

    struct mm_counters cnt = counters(m, pid);
    cr_assert_eq(cnt.faults[MM_FAULT_PAGE_TABLE], 3u);
    cr_assert_eq(cnt.faults[MM_FAULT_DEMAND_ZERO], 3u);
    cr_assert_eq(cnt.page_fault_count, 6u, "three tables (one made by the commit) and three pages");
    t_check(m);
    mm_destroy(m);
}

/* ---- Transition (soft) faults ---- */

Test(fault, soft_fault_from_standby_gets_the_same_frame_without_io)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va va = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, va + 64, 0x12345678u), STATUS_SUCCESS);
    mm_pfn f = t_frame(m, pid, va);

    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(t_pte(m, pid, va), RW_TRANSITION(f));
    cr_assert_eq(t_location(m, f), ModifiedPageList);
    cr_assert_eq(t_flush(m), 1u);
    cr_assert_eq(t_location(m, f), StandbyPageList);
    cr_assert_eq(t_pte(m, pid, va), RW_TRANSITION(f), "writing does not change the PTE");
    cr_assert_eq(mm_pfn_entry(m, f)->original_pte, RW_SLOT(1));

    uint64_t reads = counters(m, 0).pages_read;
    t_record(m, &rec);
    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, pid, va + 64, &v), STATUS_SUCCESS);
    mm_set_sink(m, NULL, NULL);
    cr_assert_eq(v, 0x12345678u);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_TRANSITION);
    cr_assert_eq(t_count(&rec, MM_EV_FAULT), 1u);
    const struct mm_event *e = t_find(&rec, MM_EV_FAULT, 0);
    cr_assert_eq(e->u.fault.kind, MM_FAULT_TRANSITION);
    cr_assert_eq(e->u.fault.from, StandbyPageList);
    cr_assert_eq(e->u.fault.frame, f);
    cr_assert_eq(t_count(&rec, MM_EV_PAGEFILE), 0u, "a transition fault reads nothing");
    cr_assert_eq(counters(m, 0).pages_read, reads);
    const struct mm_event *mv = t_find(&rec, MM_EV_PAGE_MOVE, 0);
    cr_assert_not_null(mv);
    cr_assert_eq(mv->u.move.frame, f);
    cr_assert_eq(mv->u.move.from, StandbyPageList);
    cr_assert_eq(mv->u.move.to, ActiveAndValid);
    cr_assert_eq(mv->u.move.why, MOVE_TRANSITION_FAULT);

    cr_assert_eq(t_pte(m, pid, va), RW_READ(f));
    const struct mmpfn *pf = mm_pfn_entry(m, f);
    cr_assert_eq(t_location(m, f), ActiveAndValid);
    cr_assert_not(pfn_flag(pf, PFN_MODIFIED), "the page is clean: its copy is in slot 1");
    cr_assert_eq(pf->original_pte, RW_SLOT(1));
    uint32_t size, used;
    cr_assert(mm_pagefile_usage(m, 0, &size, &used));
    cr_assert_eq(used, 1u);

    struct mm_counters c = counters(m, pid), s = counters(m, 0);
    cr_assert_eq(c.faults[MM_FAULT_TRANSITION], 1u);
    cr_assert_eq(s.faults[MM_FAULT_TRANSITION], 1u);
    cr_assert_eq(c.faults[MM_FAULT_PAGE_FILE], 0u);
    t_check(m);
    mm_destroy(m);
}

Test(fault, soft_fault_from_modified_keeps_the_page_dirty)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va va = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, va, 0xA1B2C3D4u), STATUS_SUCCESS);
    mm_pfn f = t_frame(m, pid, va);
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(t_location(m, f), ModifiedPageList);
    cr_assert_eq(t_pte(m, pid, va), RW_TRANSITION(f));

    t_record(m, &rec);
    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    mm_set_sink(m, NULL, NULL);
    cr_assert_eq(v, 0xA1B2C3D4u);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_TRANSITION);
    const struct mm_event *e = t_find(&rec, MM_EV_FAULT, 0);
    cr_assert_not_null(e);
    cr_assert_eq(e->u.fault.from, ModifiedPageList);
    cr_assert_eq(e->u.fault.frame, f);
    cr_assert_eq(t_count(&rec, MM_EV_PAGEFILE), 0u);
    cr_assert_eq(t_pte(m, pid, va), RW_WRITTEN(f),
                 "off Modified, a writable page comes back Dirty (MiResolveTransitionFault), even on a read");
    cr_assert(pfn_flag(mm_pfn_entry(m, f), PFN_MODIFIED), "still the only copy");
    cr_assert_eq(mm_pfn_entry(m, f)->original_pte, 0x80u);
    cr_assert_eq(counters(m, 0).pages_written, 0u);
    cr_assert_eq(mm_list_head(m, ModifiedPageList)->total, 0u);
    t_check(m);
    mm_destroy(m);
}

/* ---- Page-file (hard) faults ---- */

Test(fault, hard_fault_reads_the_slot_through_a_transition_pte)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va va = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    static uint8_t page[PAGE_SIZE], back[PAGE_SIZE];
    for (uint32_t i = 0; i < PAGE_SIZE; i++)
        page[i] = (uint8_t)(i * 7u + 3u);
    cr_assert_eq(mm_write(m, pid, va, page, PAGE_SIZE), STATUS_SUCCESS);

    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(t_flush(m), 1u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    cr_assert_eq(t_pte(m, pid, va), RW_SLOT(1), "after the purge the PTE names file 0 slot 1");
    cr_assert_eq(mm_list_head(m, StandbyPageList)->total, 0u);
    uint32_t size, used;
    cr_assert(mm_pagefile_usage(m, 0, &size, &used));
    cr_assert_eq(used, 1u);

    t_record(m, &rec);
    cr_assert_eq(mm_read(m, pid, va, back, PAGE_SIZE), STATUS_SUCCESS);
    mm_set_sink(m, NULL, NULL);
    cr_assert(memcmp(page, back, PAGE_SIZE) == 0, "the page came back intact");
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_PAGE_FILE);
    mm_pfn f = t_frame(m, pid, va);

    cr_assert_eq(t_count(&rec, MM_EV_PAGEFILE), 1u);
    const struct mm_event *io = t_find(&rec, MM_EV_PAGEFILE, 0);
    cr_assert_not(io->u.io.write);
    cr_assert_eq(io->u.io.file, 0u);
    cr_assert_eq(io->u.io.slot, 1u);
    cr_assert_eq(io->u.io.frame, f);
    cr_assert_eq(io->pid, pid);
    const struct mm_event *fe = t_find(&rec, MM_EV_FAULT, 0);
    cr_assert_eq(fe->u.fault.kind, MM_FAULT_PAGE_FILE);
    cr_assert_eq(fe->u.fault.frame, f);

    /* page-file -> transition (read in progress) -> valid, Accessed set by
     * the fault, clean: a page read back has its copy in the slot */
    const struct mm_event *pe[8];
    cr_assert_eq(pte_events(&rec, va, pe, 8), 2u);
    cr_assert_eq(pe[0]->u.pte.old_value, RW_SLOT(1));
    cr_assert_eq(pe[0]->u.pte.new_value, RW_TRANSITION_READ_IN(f));
    cr_assert_eq(pe[1]->u.pte.old_value, RW_TRANSITION_READ_IN(f));
    cr_assert_eq(pe[1]->u.pte.new_value, RW_READ(f));
    cr_assert_not(pe[1]->u.pte.by_hardware);
    cr_assert_lt(pe[0]->seq, io->seq, "the PTE is in transition before the read");
    cr_assert_lt(io->seq, pe[1]->seq, "the PTE is valid only after the read");

    /* clean, and the slot still holds its copy */
    const struct mmpfn *pf = mm_pfn_entry(m, f);
    cr_assert_not(pfn_flag(pf, PFN_MODIFIED));
    cr_assert_not(pfn_flag(pf, PFN_READ_IN_PROGRESS));
    cr_assert_eq(pf->original_pte, RW_SLOT(1));
    cr_assert(mm_pagefile_usage(m, 0, &size, &used));
    cr_assert_eq(used, 1u);
    struct mm_counters c = counters(m, pid), s = counters(m, 0);
    cr_assert_eq(c.faults[MM_FAULT_PAGE_FILE], 1u);
    cr_assert_eq(s.faults[MM_FAULT_PAGE_FILE], 1u);
    cr_assert_eq(s.pages_read, 1u);
    t_check(m);

    /* a clean trim keeps the slot; a write makes the copy stale and the
     * next trim gives the slot back */
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(t_location(m, f), StandbyPageList);
    cr_assert(mm_pagefile_usage(m, 0, &size, &used));
    cr_assert_eq(used, 1u);
    cr_assert_eq(mm_write32(m, pid, va, 0xFEEDFACEu), STATUS_SUCCESS);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_TRANSITION);
    cr_assert_eq(t_pte(m, pid, va), RW_WRITTEN(f));
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert(mm_pagefile_usage(m, 0, &size, &used));
    cr_assert_eq(used, 0u, "a dirty page's old slot is released");
    cr_assert_eq(t_location(m, f), ModifiedPageList);
    cr_assert_eq(mm_pfn_entry(m, f)->original_pte, 0x80u);
    cr_assert_eq(t_pte(m, pid, va), RW_TRANSITION(f));
    t_check(m);
    mm_destroy(m);
}

Test(fault, read_cluster_brings_following_slots_onto_standby)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = 128;
    cfg.pagefile_pages[0] = 128;
    cfg.read_cluster = 3;
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 8 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t k = 0; k < 5; k++)
        cr_assert_eq(mm_write32(m, pid, base + k * PAGE_SIZE, 0x1000u + k), STATUS_SUCCESS);
    cr_assert_eq(mm_set_ws_limits(m, pid, 0xFFFFFFFFu, 0xFFFFFFFFu), STATUS_SUCCESS);
    cr_assert_eq(t_flush(m), 5u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    for (uint32_t k = 0; k < 5; k++)
        cr_assert_eq(t_pte(m, pid, base + k * PAGE_SIZE), RW_SLOT(k + 1),
                     "page %u: PTE 0x%08X", k, t_pte(m, pid, base + k * PAGE_SIZE));

    t_record(m, &rec);
    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, pid, base, &v), STATUS_SUCCESS);
    mm_set_sink(m, NULL, NULL);
    cr_assert_eq(v, 0x1000u);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_PAGE_FILE);

    cr_assert_eq(t_count(&rec, MM_EV_PAGEFILE), 4u, "the faulting page and three neighbours");
    for (uint32_t k = 0; k < 4; k++) {
        const struct mm_event *io = t_find(&rec, MM_EV_PAGEFILE, k);
        cr_assert_not(io->u.io.write);
        cr_assert_eq(io->u.io.slot, k + 1);
        mm_pfn f = io->u.io.frame;
        cr_assert_eq(t_frame(m, pid, base + k * PAGE_SIZE), f);
        if (k == 0) {
            cr_assert_eq(t_pte(m, pid, base), RW_READ(f));
            continue;
        }
        cr_assert_eq(t_pte(m, pid, base + k * PAGE_SIZE), RW_TRANSITION_READ_IN(f), "neighbour %u", k);
        cr_assert_eq(t_location(m, f), StandbyPageList);
        cr_assert_eq(pfn_priority(mm_pfn_entry(m, f)), MM_DEFAULT_PRIORITY);
        cr_assert_eq(mm_pfn_entry(m, f)->original_pte, RW_SLOT(k + 1));
        cr_assert_not(mm_ws_contains(m, pid, base + k * PAGE_SIZE));
    }
    cr_assert_eq(t_pte(m, pid, base + 4 * PAGE_SIZE), RW_SLOT(5), "beyond the cluster");
    cr_assert_eq(mm_list_head(m, StandbyPageList)->total, 3u);
    cr_assert_eq(counters(m, pid).faults[MM_FAULT_PAGE_FILE], 1u);
    t_check(m);

    /* the neighbours are now transition faults, the one beyond a hard fault */
    cr_assert_eq(mm_read32(m, pid, base + 2 * PAGE_SIZE, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x1002u);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_TRANSITION);
    cr_assert_eq(mm_read32(m, pid, base + 4 * PAGE_SIZE, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x1004u);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_PAGE_FILE);
    t_check(m);
    mm_destroy(m);
}

/* ---- Access violations ---- */

Test(fault, av_no_vad)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    expect_av(m, pid, MM_ACCESS_READ, 0x00500000u, MM_AV_NO_VAD);
    expect_av(m, pid, MM_ACCESS_WRITE, 0x00500000u, MM_AV_NO_VAD);
    expect_av(m, pid, MM_ACCESS_EXECUTE, 0x00500000u, MM_AV_NO_VAD);
    expect_av(m, pid, MM_ACCESS_READ, 0x00000000u, MM_AV_NO_VAD);
    expect_av(m, pid, MM_ACCESS_READ, base + PAGE_SIZE, MM_AV_NO_VAD);   /* just past the region */
    expect_av(m, pid, MM_ACCESS_READ, 0x7FFEFFFCu, MM_AV_NO_VAD);        /* highest user page */
    t_check(m);
    mm_destroy(m);
}

Test(fault, av_reserved_not_committed)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va base = 0;
    uint32_t size = 4 * PAGE_SIZE;
    cr_assert_eq(mm_allocate(m, pid, &base, &size, MEM_RESERVE, PAGE_READWRITE), STATUS_SUCCESS);
    expect_av(m, pid, MM_ACCESS_READ, base, MM_AV_NOT_COMMITTED);
    expect_av(m, pid, MM_ACCESS_WRITE, base + 3 * PAGE_SIZE, MM_AV_NOT_COMMITTED);
    expect_av(m, pid, MM_ACCESS_EXECUTE, base, MM_AV_NOT_COMMITTED);
    /* a neighbour committed later does not commit this one */
    mm_va c = base + PAGE_SIZE;
    size = PAGE_SIZE;
    cr_assert_eq(mm_allocate(m, pid, &c, &size, MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    cr_assert_eq(mm_write32(m, pid, c, 1), STATUS_SUCCESS);
    expect_av(m, pid, MM_ACCESS_READ, base, MM_AV_NOT_COMMITTED);
    expect_av(m, pid, MM_ACCESS_READ, base + 2 * PAGE_SIZE, MM_AV_NOT_COMMITTED);
    t_check(m);
    mm_destroy(m);
}

Test(fault, av_decommitted)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 2 * PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, base, 1), STATUS_SUCCESS);
    cr_assert_eq(mm_write32(m, pid, base + PAGE_SIZE, 2), STATUS_SUCCESS);
    mm_va d = base + PAGE_SIZE;
    uint32_t size = PAGE_SIZE;
    cr_assert_eq(mm_free(m, pid, &d, &size, MEM_DECOMMIT), STATUS_SUCCESS);
    cr_assert_eq(t_pte(m, pid, base + PAGE_SIZE), 0x200u);
    expect_av(m, pid, MM_ACCESS_READ, base + PAGE_SIZE, MM_AV_NOT_COMMITTED);
    expect_av(m, pid, MM_ACCESS_WRITE, base + PAGE_SIZE, MM_AV_NOT_COMMITTED);

    /* in a region reserved first, a decommitted page reads 0x200 too */
    mm_va r = 0;
    size = 2 * PAGE_SIZE;
    cr_assert_eq(mm_allocate(m, pid, &r, &size, MEM_RESERVE, PAGE_READWRITE), STATUS_SUCCESS);
    cr_assert_eq(mm_allocate(m, pid, &r, &size, MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    cr_assert_eq(mm_write32(m, pid, r, 3), STATUS_SUCCESS);
    size = PAGE_SIZE;
    cr_assert_eq(mm_free(m, pid, &r, &size, MEM_DECOMMIT), STATUS_SUCCESS);
    cr_assert_eq(t_pte(m, pid, r), 0x200u);
    expect_av(m, pid, MM_ACCESS_READ, r, MM_AV_NOT_COMMITTED);
    t_check(m);
    mm_destroy(m);
}

Test(fault, av_noaccess)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 2 * PAGE_SIZE, PAGE_NOACCESS);
    expect_av(m, pid, MM_ACCESS_READ, base, MM_AV_NO_ACCESS);
    expect_av(m, pid, MM_ACCESS_WRITE, base, MM_AV_NO_ACCESS);
    expect_av(m, pid, MM_ACCESS_EXECUTE, base + PAGE_SIZE, MM_AV_NO_ACCESS);

    /* a demand-zero PTE protected no-access: 0x18 << 5 */
    mm_va rw = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    mm_va p = rw;
    uint32_t size = PAGE_SIZE, old = 0;
    cr_assert_eq(mm_protect(m, pid, &p, &size, PAGE_NOACCESS, &old), STATUS_SUCCESS);
    cr_assert_eq(old, PAGE_READWRITE);
    cr_assert_eq(t_pte(m, pid, rw), 0x300u);
    expect_av(m, pid, MM_ACCESS_READ, rw, MM_AV_NO_ACCESS);
    t_check(m);
    mm_destroy(m);
}

Test(fault, av_write_to_readonly)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 2 * PAGE_SIZE, PAGE_READONLY);
    /* not resident: refused before anything is built */
    expect_av(m, pid, MM_ACCESS_WRITE, base, MM_AV_WRITE);
    cr_assert_eq(t_pte(m, pid, base), 0u);
    cr_assert_eq(counters(m, pid).faults[MM_FAULT_PAGE_TABLE], 0u);
    /* resident: the read works, the write does not */
    uint32_t v = 1;
    cr_assert_eq(mm_read32(m, pid, base + PAGE_SIZE, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0u);
    mm_pfn f = t_frame(m, pid, base + PAGE_SIZE);
    cr_assert_eq(t_pte(m, pid, base + PAGE_SIZE), ((mm_pte)f << 12) | 0x25u);
    expect_av(m, pid, MM_ACCESS_WRITE, base + PAGE_SIZE, MM_AV_WRITE);
    cr_assert_eq(t_pte(m, pid, base + PAGE_SIZE), ((mm_pte)f << 12) | 0x25u, "no Dirty bit");
    /* i386 without PAE cannot refuse an execute of a readable page */
    cr_assert_eq(mm_execute(m, pid, base + PAGE_SIZE), STATUS_SUCCESS);
    t_check(m);
    mm_destroy(m);
}

Test(fault, without_nx_every_readable_page_executes)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va rw = t_alloc(m, pid, 2 * PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_execute(m, pid, rw), STATUS_SUCCESS, "not resident: demand-zero, then it runs");
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_DEMAND_ZERO);
    cr_assert_eq(mm_write32(m, pid, rw + PAGE_SIZE, 0x90909090u), STATUS_SUCCESS);
    cr_assert_eq(mm_execute(m, pid, rw + PAGE_SIZE), STATUS_SUCCESS);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_NONE);
    mm_va ro = t_alloc(m, pid, PAGE_SIZE, PAGE_READONLY);
    cr_assert_eq(mm_execute(m, pid, ro), STATUS_SUCCESS);
    mm_va none = t_alloc(m, pid, PAGE_SIZE, PAGE_NOACCESS);
    expect_av(m, pid, MM_ACCESS_EXECUTE, none, MM_AV_NO_ACCESS);
    struct mm_walk w;
    cr_assert_eq(mm_walk_access(m, pid, rw + PAGE_SIZE, MM_ACCESS_EXECUTE, &w), STATUS_SUCCESS);
    cr_assert(w.valid);
    cr_assert_not(w.refused);
    t_check(m);
    mm_destroy(m);
}

/* A machine that models a PAE processor with the no-execute bit. */
static struct mm_machine *nx_machine(void)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    mm_config_for_memory(&cfg, 64);
    cfg.pagefile_pages[0] = 64;
    cfg.nx = true;
    return t_machine_cfg(&cfg);
}

Test(fault, nx_av_execute_of_readwrite_but_execute_read_runs)
{
    struct mm_machine *m = nx_machine();
    uint32_t pid = t_process(m, "p");
    mm_va rw = t_alloc(m, pid, 2 * PAGE_SIZE, PAGE_READWRITE);
    expect_av(m, pid, MM_ACCESS_EXECUTE, rw, MM_AV_EXECUTE);           /* not resident */
    cr_assert_eq(mm_write32(m, pid, rw + PAGE_SIZE, 0x90909090u), STATUS_SUCCESS);
    expect_av(m, pid, MM_ACCESS_EXECUTE, rw + PAGE_SIZE, MM_AV_EXECUTE); /* resident */

    mm_va rx = t_alloc(m, pid, PAGE_SIZE, PAGE_EXECUTE_READ);
    cr_assert_eq(mm_execute(m, pid, rx), STATUS_SUCCESS);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_DEMAND_ZERO);
    mm_pfn f = t_frame(m, pid, rx);
    cr_assert_eq(t_pte(m, pid, rx), ((mm_pte)f << 12) | 0x25u, "execute-read: no Write bit");
    cr_assert_eq(mm_execute(m, pid, rx + 100), STATUS_SUCCESS);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_NONE);
    expect_av(m, pid, MM_ACCESS_WRITE, rx, MM_AV_WRITE);

    mm_va rwx = t_alloc(m, pid, PAGE_SIZE, PAGE_EXECUTE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, rwx, 0xC3u), STATUS_SUCCESS);
    cr_assert_eq(mm_execute(m, pid, rwx), STATUS_SUCCESS);
    mm_va ro = t_alloc(m, pid, PAGE_SIZE, PAGE_READONLY);
    uint32_t v;
    cr_assert_eq(mm_read32(m, pid, ro, &v), STATUS_SUCCESS);
    expect_av(m, pid, MM_ACCESS_EXECUTE, ro, MM_AV_EXECUTE);
    struct mm_walk w;
    cr_assert_eq(mm_walk_access(m, pid, ro, MM_ACCESS_EXECUTE, &w), STATUS_SUCCESS);
    cr_assert(w.valid && w.refused, "the walk shows the execute refused at the PTE");
    cr_assert_eq(w.fault, MM_FAULT_ACCESS_VIOLATION);
    cr_assert_eq(w.av, MM_AV_EXECUTE);
    t_check(m);
    mm_destroy(m);
}

Test(fault, av_kernel_address)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, base, 1), STATUS_SUCCESS);
    expect_av(m, pid, MM_ACCESS_READ, 0xC0000000u, MM_AV_KERNEL_ADDRESS);   /* the self-map */
    expect_av(m, pid, MM_ACCESS_WRITE, 0xC0000000u, MM_AV_KERNEL_ADDRESS);
    expect_av(m, pid, MM_ACCESS_READ, 0xC0300C00u, MM_AV_KERNEL_ADDRESS);
    expect_av(m, pid, MM_ACCESS_READ, 0x80000000u, MM_AV_KERNEL_ADDRESS);
    expect_av(m, pid, MM_ACCESS_READ, 0x7FFF0000u, MM_AV_KERNEL_ADDRESS);
    expect_av(m, pid, MM_ACCESS_EXECUTE, 0xFFFFF000u, MM_AV_KERNEL_ADDRESS);
    t_check(m);
    mm_destroy(m);
}

/* ---- Guard pages ---- */

Test(fault, guard_page_from_allocate_fires_once_without_the_access)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 2 * PAGE_SIZE, PAGE_READWRITE | PAGE_GUARD);
    struct mm_basic_info mbi;
    cr_assert_eq(mm_query(m, pid, base, &mbi), STATUS_SUCCESS);
    cr_assert_eq(mbi.protect, PAGE_READWRITE | PAGE_GUARD);

    t_record(m, &rec);
    cr_assert_eq(mm_write32(m, pid, base + 4, 0x11111111u), STATUS_GUARD_PAGE_VIOLATION);
    mm_set_sink(m, NULL, NULL);
    const struct mm_fault_info *fi = mm_last_fault(m);
    cr_assert_eq(fi->kind, MM_FAULT_GUARD_PAGE);
    cr_assert_eq(fi->status, STATUS_GUARD_PAGE_VIOLATION);
    cr_assert_eq(fi->av, MM_AV_NONE);
    const struct mm_event *e = t_find(&rec, MM_EV_FAULT, t_count(&rec, MM_EV_FAULT) - 1);
    cr_assert_eq(e->u.fault.kind, MM_FAULT_GUARD_PAGE);
    cr_assert_eq(e->u.fault.status, STATUS_GUARD_PAGE_VIOLATION);
    cr_assert_eq(t_count(&rec, MM_EV_WSLE), 1u, "only the page table entered the working set");
    cr_assert_not(mm_ws_contains(m, pid, base), "the access was not performed");
    cr_assert_eq(t_pte(m, pid, base), 0x80u, "guard cleared: demand-zero read/write");
    cr_assert_eq(mm_query(m, pid, base, &mbi), STATUS_SUCCESS);
    cr_assert_eq(mbi.protect, PAGE_READWRITE);
    cr_assert_eq(mbi.region_size, PAGE_SIZE);
    cr_assert_eq(mm_query(m, pid, base + PAGE_SIZE, &mbi), STATUS_SUCCESS);
    cr_assert_eq(mbi.protect, PAGE_READWRITE | PAGE_GUARD, "the other page keeps its guard");

    uint32_t v = 0xFFFFFFFFu;
    cr_assert_eq(mm_read32(m, pid, base + 4, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0u, "the guarded write never happened");
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_DEMAND_ZERO);
    cr_assert_eq(mm_write32(m, pid, base + 4, 0x22222222u), STATUS_SUCCESS);
    cr_assert_eq(mm_read32(m, pid, base + 4, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x22222222u);

    /* the second page: a read fires it too */
    cr_assert_eq(mm_read32(m, pid, base + PAGE_SIZE, &v), STATUS_GUARD_PAGE_VIOLATION);
    cr_assert_eq(mm_read32(m, pid, base + PAGE_SIZE, &v), STATUS_SUCCESS);
    struct mm_counters c = counters(m, pid);
    cr_assert_eq(c.faults[MM_FAULT_GUARD_PAGE], 2u);
    cr_assert_eq(counters(m, 0).faults[MM_FAULT_GUARD_PAGE], 2u);
    t_check(m);
    mm_destroy(m);
}

Test(fault, guard_page_set_by_protect_on_a_resident_page)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va va = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, va, 0x00001234u), STATUS_SUCCESS);
    mm_pfn f = t_frame(m, pid, va);
    mm_va b = va;
    uint32_t size = PAGE_SIZE, old = 0;
    cr_assert_eq(mm_protect(m, pid, &b, &size, PAGE_READWRITE | PAGE_GUARD, &old), STATUS_SUCCESS);
    cr_assert_eq(old, PAGE_READWRITE);
    cr_assert_not(mm_ws_contains(m, pid, va), "a guard page must fault: out of the working set");
    /* transition, protection READWRITE|GUARD = 0x14 */
    cr_assert_eq(t_pte(m, pid, va), ((mm_pte)f << 12) | 0x800u | (0x14u << 5) | 0x4u | 0x2u);

    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_GUARD_PAGE_VIOLATION);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_GUARD_PAGE);
    cr_assert_eq(t_pte(m, pid, va), RW_TRANSITION(f), "guard cleared, still in transition");
    cr_assert_not(mm_ws_contains(m, pid, va));

    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x1234u);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_TRANSITION);
    cr_assert_eq(t_frame(m, pid, va), f);
    cr_assert_eq(t_pte(m, pid, va), RW_WRITTEN(f), "back from Modified: Dirty");
    t_check(m);
    mm_destroy(m);
}

/* ---- Counting ---- */

Test(fault, faults_are_counted_by_kind_per_process_and_system_wide)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t a = t_process(m, "a"), b = t_process(m, "b");
    mm_va pa = t_alloc(m, a, 2 * PAGE_SIZE, PAGE_READWRITE);
    mm_va pb = t_alloc(m, b, PAGE_SIZE, PAGE_READWRITE);
    mm_va gb = t_alloc(m, b, PAGE_SIZE, PAGE_READWRITE | PAGE_GUARD);

    cr_assert_eq(mm_write32(m, a, pa, 1), STATUS_SUCCESS);               /* PT + DZ */
    cr_assert_eq(mm_write32(m, a, pa + PAGE_SIZE, 2), STATUS_SUCCESS);   /* DZ */
    cr_assert_eq(mm_write32(m, a, 0x00700000u, 3), STATUS_ACCESS_VIOLATION);
    cr_assert_eq(mm_write32(m, b, pb, 4), STATUS_SUCCESS);               /* PT + DZ */
    cr_assert_eq(mm_write32(m, b, gb, 5), STATUS_GUARD_PAGE_VIOLATION);
    cr_assert_eq(mm_write32(m, b, gb, 6), STATUS_SUCCESS);               /* DZ */
    cr_assert_eq(mm_trim(m, b, 1), 1u);
    uint32_t v;
    cr_assert_eq(mm_read32(m, b, pb, &v), STATUS_SUCCESS);
    cr_assert_eq(mm_read32(m, b, gb, &v), STATUS_SUCCESS);
    /* one of b's pages was trimmed: one transition fault between the two reads */

    struct mm_counters ca = counters(m, a), cb = counters(m, b), cs = counters(m, 0);
    cr_assert_eq(ca.page_fault_count, 3u);
    cr_assert_eq(ca.faults[MM_FAULT_DEMAND_ZERO], 2u);
    cr_assert_eq(ca.faults[MM_FAULT_PAGE_TABLE], 1u);
    cr_assert_eq(ca.faults[MM_FAULT_ACCESS_VIOLATION], 1u);
    cr_assert_eq(ca.faults[MM_FAULT_GUARD_PAGE], 0u);
    cr_assert_eq(ca.faults[MM_FAULT_TRANSITION], 0u);
    cr_assert_eq(cb.page_fault_count, 4u);
    cr_assert_eq(cb.faults[MM_FAULT_DEMAND_ZERO], 2u);
    cr_assert_eq(cb.faults[MM_FAULT_PAGE_TABLE], 1u);
    cr_assert_eq(cb.faults[MM_FAULT_GUARD_PAGE], 1u);
    cr_assert_eq(cb.faults[MM_FAULT_TRANSITION], 1u);
    cr_assert_eq(cb.faults[MM_FAULT_ACCESS_VIOLATION], 0u);
    cr_assert_eq(cs.page_fault_count, 7u);
    for (int k = 0; k < MM_FAULT_KIND_COUNT; k++)
        cr_assert_eq(cs.faults[k], ca.faults[k] + cb.faults[k], "kind %s",
                     mm_fault_kind_name((enum mm_fault_kind)k));
    t_check(m);
    mm_destroy(m);
}

/* ---- Out of memory ---- */

Test(fault, no_memory_when_nothing_can_be_freed)
{
    /* 16 frames: 3 for the process, 1 page table, 12 for data; the paging
     * file has one usable slot. */
    struct mm_machine *m = t_machine(16, 2);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 16 * PAGE_SIZE, PAGE_READWRITE);
    uint32_t k;
    mm_status s = STATUS_SUCCESS;
    for (k = 0; k < 16; k++) {
        s = mm_write32(m, pid, base + k * PAGE_SIZE, 0xAB000000u + k);
        if (s != STATUS_SUCCESS)
            break;
        t_check(m);
    }
    cr_assert_eq(s, STATUS_NO_MEMORY, "page %u: status 0x%08X", k, s);
    cr_assert_eq(k, 13u, "12 free frames plus one made by the single paging-file slot");
    const struct mm_fault_info *fi = mm_last_fault(m);
    cr_assert_eq(fi->kind, MM_FAULT_NO_MEMORY);
    cr_assert_eq(fi->status, STATUS_NO_MEMORY);
    cr_assert_eq(t_pte(m, pid, base + k * PAGE_SIZE), 0u, "the failed page stays untouched");
    cr_assert_eq(counters(m, pid).faults[MM_FAULT_NO_MEMORY], 1u);
    cr_assert_eq(counters(m, 0).faults[MM_FAULT_NO_MEMORY], 1u);
    t_check(m);

    /* nothing was lost */
    static uint8_t page[PAGE_SIZE];
    for (uint32_t i = 0; i < k; i++) {
        cr_assert_eq(mm_peek_page(m, pid, base + i * PAGE_SIZE, page), STATUS_SUCCESS);
        uint32_t v;
        memcpy(&v, page, 4);
        cr_assert_eq(v, 0xAB000000u + i, "page %u lost its contents", i);
    }

    /* a new page table cannot be had either */
    mm_va far = 0x00400000u;
    uint32_t size = PAGE_SIZE;
    cr_assert_eq(mm_allocate(m, pid, &far, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    cr_assert_eq(mm_write32(m, pid, far, 1), STATUS_NO_MEMORY);
    cr_assert_not(mm_last_fault(m)->page_table_made);
    struct mm_walk w;
    cr_assert_eq(mm_walk(m, pid, far, &w), STATUS_SUCCESS);
    cr_assert_not(w.pde_valid);
    t_check(m);

    /* a page still in memory can come back without a new frame */
    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, pid, base + 5 * PAGE_SIZE, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0xAB000005u);
    t_check(m);
    mm_destroy(m);
}
