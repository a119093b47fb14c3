/*
 * test_event.c - the event stream: one demand-zero write tells the whole
 * story in order, and every event kind has a name.
 */
#include <string.h>

#include "support.h"

Test(event, demand_zero_write_tells_its_story_in_order)
{
    struct mm_machine *m = t_machine(256, 512);
    uint32_t pid = t_process(m, "a");
    mm_va base = t_alloc(m, pid, 4096, PAGE_READWRITE);
    static struct t_events rec;
    t_record(m, &rec);
    cr_assert_eq(mm_write32(m, pid, base, 42), STATUS_SUCCESS);
    mm_set_sink(m, NULL, NULL);

    /* page table first: a zeroed frame, the PDE, its working-set entry */
    const struct mm_event *f0 = t_find(&rec, MM_EV_FAULT, 0);
    cr_assert_not_null(f0);
    cr_assert_eq(f0->u.fault.kind, MM_FAULT_PAGE_TABLE);
    const struct mm_event *f1 = t_find(&rec, MM_EV_FAULT, 1);
    cr_assert_not_null(f1);
    cr_assert_eq(f1->u.fault.kind, MM_FAULT_DEMAND_ZERO);
    cr_assert_eq(f1->u.fault.va, base);
    cr_assert_eq(f1->u.fault.access, MM_ACCESS_WRITE);
    cr_assert_eq(f1->pid, pid);

    const struct mm_event *mv = t_find(&rec, MM_EV_PAGE_MOVE, 1);   /* 0 is the page table's */
    cr_assert_not_null(mv);
    cr_assert_eq(mv->u.move.from, ZeroedPageList);
    cr_assert_eq(mv->u.move.to, ActiveAndValid);
    cr_assert_eq(mv->u.move.why, MOVE_DEMAND_ZERO);
    cr_assert_eq(mv->u.move.frame, f1->u.fault.frame);

    /* the data PTE went 0 -> valid with Accessed and Dirty in one write by
     * the fault handler (MiResolveDemandZeroFault): nothing by hardware */
    uint32_t ptes = 0;
    for (uint32_t i = 0; i < rec.count; i++) {
        const struct mm_event *e = &rec.ev[i];
        if (e->kind != MM_EV_PTE || e->u.pte.va != base)
            continue;
        cr_assert_eq(e->u.pte.old_value, 0u);
        cr_assert_eq(e->u.pte.new_value, (f1->u.fault.frame << 12) | 0x67u);
        cr_assert_not(e->u.pte.by_hardware);
        cr_assert_eq(e->u.pte.pte_va, 0xC0000000u + (base >> 12) * 4u);
        ptes++;
    }
    cr_assert_eq(ptes, 1u);
    cr_assert_eq(t_count(&rec, MM_EV_WSLE), 2u, "page table and page entered the working set");
    for (uint32_t i = 1; i < rec.count; i++)
        cr_assert_eq(rec.ev[i].seq, rec.ev[i - 1].seq + 1, "events are numbered in order");
    t_check(m);
    mm_destroy(m);
}

Test(event, every_kind_and_value_has_a_name)
{
    for (int k = 0; k < MM_EV_KIND_COUNT; k++)
        cr_assert_str_neq(mm_event_kind_name((enum mm_event_kind)k), "?");
    for (int k = 0; k < MM_FAULT_KIND_COUNT; k++)
        cr_assert_str_neq(mm_fault_kind_name((enum mm_fault_kind)k), "?");
    for (int k = 0; k < MM_AV_REASON_COUNT; k++)
        cr_assert_str_neq(mm_av_reason_name((enum mm_av_reason)k), "?");
    for (int k = 0; k < MM_THREAD_COUNT; k++)
        cr_assert_str_neq(mm_thread_name((enum mm_thread)k), "?");
    for (int k = 0; k < MM_WS_REASON_COUNT; k++)
        cr_assert_str_neq(mm_ws_reason_name((enum mm_ws_reason)k), "?");
    for (int k = 0; k < MOVE_REASON_COUNT; k++)
        cr_assert_str_neq(pfn_move_reason_name((enum mm_move_reason)k), "?");
    for (int k = 0; k < MM_LIST_COUNT; k++)
        cr_assert_str_neq(pfn_list_name((enum mm_list)k), "?");
    cr_assert_str_eq(mm_event_kind_name(MM_EV_KIND_COUNT), "?");
}

Test(event, process_switch_flushes_the_tlb_and_says_so)
{
    struct mm_machine *m = t_machine(256, 512);
    uint32_t a = t_process(m, "a"), b = t_process(m, "b");
    mm_va va = t_alloc(m, a, 4096, PAGE_READWRITE);
    mm_va vb = t_alloc(m, b, 4096, PAGE_READWRITE);
    uint32_t v;
    cr_assert_eq(mm_read32(m, a, va, &v), STATUS_SUCCESS);
    static struct t_events rec;
    t_record(m, &rec);
    cr_assert_eq(mm_read32(m, b, vb, &v), STATUS_SUCCESS);
    const struct mm_event *f = t_find(&rec, MM_EV_TLB_FLUSH, 0);
    cr_assert_not_null(f);
    cr_assert_eq(f->pid, b);
    mm_set_sink(m, NULL, NULL);
    t_check(m);
    mm_destroy(m);
}
