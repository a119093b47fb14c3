/*
 * test_stack.c - thread stacks as RtlCreateUserStack lays them out, and
 * their growth through the guard page (MiCheckForUserStackOverflow).
 */
#include "support.h"

static struct t_events rec;

static struct mm_basic_info query(struct mm_machine *m, uint32_t pid, mm_va va)
{
    struct mm_basic_info mbi;
    cr_assert_eq(mm_query(m, pid, va, &mbi), STATUS_SUCCESS);
    return mbi;
}

Test(stack, layout_reserve_commit_and_a_guard_page_below)
{
    struct mm_machine *m = t_machine(256, 512);
    uint32_t pid = t_process(m, "t");
    mm_va base = 0, top = 0;
    cr_assert_eq(mm_create_thread_stack(m, pid, 0, 0, &base, &top), STATUS_SUCCESS);
    cr_assert_eq(base, 0x10000u, "the lowest free 64 KiB");
    cr_assert_eq(top, base + 0x100000u, "1 MiB reserved by default");
    struct mm_basic_info mbi = query(m, pid, top - PAGE_SIZE);
    cr_assert_eq(mbi.state, MEM_COMMIT);
    cr_assert_eq(mbi.protect, PAGE_READWRITE);
    cr_assert_eq(mbi.region_size, PAGE_SIZE, "one page committed by default");
    mbi = query(m, pid, top - 2 * PAGE_SIZE);
    cr_assert_eq(mbi.protect, PAGE_READWRITE | PAGE_GUARD, "the guard page below it");
    mbi = query(m, pid, base);
    cr_assert_eq(mbi.state, MEM_RESERVE);
    cr_assert_eq(mbi.region_size, 0x100000u - 2 * PAGE_SIZE);
    struct mm_commit_info ci;
    cr_assert_eq(mm_commit(m, pid, &ci), STATUS_SUCCESS);
    cr_assert_eq(ci.process_charge, 2u);
    /* a larger commit, at a chosen address */
    mm_va b2 = 0x00400000u, t2;
    cr_assert_eq(mm_create_thread_stack(m, pid, 0x20000, 3 * PAGE_SIZE, &b2, &t2), STATUS_SUCCESS);
    cr_assert_eq(b2, 0x00400000u);
    cr_assert_eq(query(m, pid, t2 - 3 * PAGE_SIZE).region_size, 3 * PAGE_SIZE);
    cr_assert_eq(query(m, pid, t2 - 4 * PAGE_SIZE).protect, PAGE_READWRITE | PAGE_GUARD);
    /* commit and guard must leave the last page */
    mm_va b3 = 0;
    cr_assert_eq(mm_create_thread_stack(m, pid, 0x10000, 15 * PAGE_SIZE, &b3, &t2), STATUS_INVALID_PARAMETER);
    t_check(m);
    mm_destroy(m);
}

Test(stack, touching_the_guard_page_moves_it_down_and_the_access_completes)
{
    struct mm_machine *m = t_machine(256, 512);
    uint32_t pid = t_process(m, "t");
    mm_va base = 0, top = 0;
    cr_assert_eq(mm_create_thread_stack(m, pid, 0x10000, PAGE_SIZE, &base, &top), STATUS_SUCCESS);
    mm_va guard = top - 2 * PAGE_SIZE;
    t_record(m, &rec);
    cr_assert_eq(mm_write32(m, pid, guard + 0xFFC, 0xABCD), STATUS_SUCCESS,
                 "the thread never sees the guard: the stack grows and the write is done");
    mm_set_sink(m, NULL, NULL);
    /* the guard-page fault, reported with the status MmAccessFault returns */
    const struct mm_event *g = NULL;
    for (uint32_t i = 0; i < t_count(&rec, MM_EV_FAULT); i++)
        if (t_find(&rec, MM_EV_FAULT, i)->u.fault.kind == MM_FAULT_GUARD_PAGE)
            g = t_find(&rec, MM_EV_FAULT, i);
    cr_assert_not_null(g);
    cr_assert_eq(g->u.fault.status, STATUS_PAGE_FAULT_GUARD_PAGE);
    cr_assert_eq(g->u.fault.guard, guard - PAGE_SIZE, "the next page down is the new guard");
    cr_assert_eq(query(m, pid, guard).protect, PAGE_READWRITE);
    cr_assert_eq(query(m, pid, guard - PAGE_SIZE).protect, PAGE_READWRITE | PAGE_GUARD);
    uint32_t v;
    cr_assert_eq(mm_read32(m, pid, guard + 0xFFC, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0xABCDu);
    struct mm_counters c;
    mm_counters(m, pid, &c);
    cr_assert_eq(c.faults[MM_FAULT_GUARD_PAGE], 1u);
    t_check(m);
    mm_destroy(m);
}

Test(stack, the_end_of_the_reservation_is_a_stack_overflow)
{
    struct mm_machine *m = t_machine(256, 512);
    uint32_t pid = t_process(m, "t");
    mm_va base = 0, top = 0;
    /* 16 pages: one committed, guard below, 14 left to grow into */
    cr_assert_eq(mm_create_thread_stack(m, pid, 0x10000, PAGE_SIZE, &base, &top), STATUS_SUCCESS);
    mm_va sp = top - PAGE_SIZE;
    uint32_t grew = 0;
    mm_status s;
    for (;;) {
        sp -= PAGE_SIZE;
        s = mm_write32(m, pid, sp, sp);
        if (s != STATUS_SUCCESS)
            break;
        grew++;
    }
    cr_assert_eq(s, STATUS_STACK_OVERFLOW);
    /* NT (MiCheckForUserStackOverflow): the guard that would sit just above
     * the last page is never made; touching the guard two pages above the
     * last one overflows, and the page between is committed without a guard */
    cr_assert_eq(sp, base + 2 * PAGE_SIZE, "the guard two pages above the last one overflowed");
    cr_assert_eq(grew, 12u);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_GUARD_PAGE);
    cr_assert_eq(mm_last_fault(m)->status, STATUS_STACK_OVERFLOW);
    cr_assert_eq(query(m, pid, sp).protect, PAGE_READWRITE, "the overflowing page lost its guard");
    /* the page below it is committed now, without a guard; the last stays reserved */
    cr_assert_eq(query(m, pid, base + PAGE_SIZE).protect, PAGE_READWRITE);
    cr_assert_eq(query(m, pid, base).state, MEM_RESERVE);
    cr_assert_eq(mm_write32(m, pid, base + PAGE_SIZE, 1), STATUS_SUCCESS, "the handler may use it");
    cr_assert_eq(mm_write32(m, pid, base, 1), STATUS_ACCESS_VIOLATION);
    cr_assert_eq(mm_last_fault(m)->av, MM_AV_NOT_COMMITTED);
    t_check(m);
    mm_destroy(m);
}

Test(stack, a_guard_page_outside_a_stack_raises_the_exception)
{
    struct mm_machine *m = t_machine(256, 512);
    uint32_t pid = t_process(m, "t");
    mm_va g = t_alloc(m, pid, 2 * PAGE_SIZE, PAGE_READWRITE | PAGE_GUARD);
    cr_assert_eq(mm_write32(m, pid, g + PAGE_SIZE, 1), STATUS_GUARD_PAGE_VIOLATION);
    cr_assert_eq(query(m, pid, g).protect, PAGE_READWRITE | PAGE_GUARD, "no guard moves outside a stack");
    /* a released stack is no stack any more */
    mm_va base = 0, top = 0;
    cr_assert_eq(mm_create_thread_stack(m, pid, 0x10000, PAGE_SIZE, &base, &top), STATUS_SUCCESS);
    mm_va b = base;
    uint32_t zero = 0;
    cr_assert_eq(mm_free(m, pid, &b, &zero, MEM_RELEASE), STATUS_SUCCESS);
    b = base;
    uint32_t size = 0x10000;
    cr_assert_eq(mm_allocate(m, pid, &b, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD),
                 STATUS_SUCCESS);
    cr_assert_eq(mm_write32(m, pid, top - 2 * PAGE_SIZE, 1), STATUS_GUARD_PAGE_VIOLATION);
    t_check(m);
    mm_destroy(m);
}
