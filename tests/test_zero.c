/*
 * test_zero.c - the zero page thread (sim/zero.c).
 *
 * A page whose PTE is deleted goes to the Free list with its old bytes.
 * The zero page thread fills every Free page with zeros and moves it to the
 * tail of the Zeroed list (giving the host storage back), when asked, when
 * the Free list reaches zero_threshold on a tick, and every zero_period
 * ticks.
 */
#include <string.h>

#include "support.h"

static uint32_t total(const struct mm_machine *m, enum mm_list l) { return mm_list_head(m, l)->total; }

static void fill(struct mm_machine *m, uint32_t pid, mm_va base, uint32_t pages, uint32_t seed)
{
    for (uint32_t k = 0; k < pages; k++)
        for (uint32_t off = 0; off < 4096; off += 4)
            cr_assert_eq(mm_write32(m, pid, base + k * 4096u + off, seed * 0x01000193u + k * 4096u + off + 1),
                         STATUS_SUCCESS);
}

static bool frame_is_zero(const struct mm_machine *m, mm_pfn f)
{
    for (uint32_t off = 0; off < 4096; off += 4)
        if (mm_phys_read32(m, f, off))
            return false;
    return true;
}

static uint32_t materialized(const struct mm_machine *m)
{
    struct mm_counters c;
    mm_counters(m, 0, &c);
    return c.host_frames_materialized;
}

static struct mm_config quiet_config(uint32_t frames)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = frames;
    cfg.pagefile_pages[0] = 256;
    cfg.wsmgr_period = 0;
    return cfg;
}

Test(zero, released_pages_land_on_free_with_their_bytes)
{
    struct mm_machine *m = t_machine(128, 256);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 8 * 4096, PAGE_READWRITE);
    fill(m, pid, base, 8, 1);
    mm_pfn data[8];
    for (uint32_t k = 0; k < 8; k++)
        data[k] = t_valid_frame(m, pid, base + k * 4096u);
    struct mm_walk w;
    mm_walk(m, pid, base, &w);
    mm_pfn table = pte_frame(w.pde);
    cr_assert_eq(total(m, FreePageList), 0u);

    mm_va b = base;
    uint32_t size = 0;
    cr_assert_eq(mm_free(m, pid, &b, &size, MEM_RELEASE), STATUS_SUCCESS);
    /* the 8 data pages and the page table that mapped only them */
    cr_assert_eq(total(m, FreePageList), 9u);
    cr_assert_eq(t_location(m, table), FreePageList);
    for (uint32_t k = 0; k < 8; k++) {
        const struct mmpfn *p = mm_pfn_entry(m, data[k]);
        cr_assert_eq(t_location(m, data[k]), FreePageList);
        cr_assert_eq(p->original_pte, 0u);
        cr_assert_eq(p->pte_address, 0u);
        cr_assert_not(pfn_flag(p, PFN_MODIFIED));
        cr_assert_not(frame_is_zero(m, data[k]), "freed frames keep their bytes until zeroed");
    }
    t_check(m);
    mm_destroy(m);
}

Test(zero, zero_thread_moves_every_free_page_to_zeroed)
{
    struct mm_machine *m = t_machine(128, 256);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 8 * 4096, PAGE_READWRITE);
    fill(m, pid, base, 8, 2);
    mm_va b = base;
    uint32_t size = 0;
    cr_assert_eq(mm_free(m, pid, &b, &size, MEM_RELEASE), STATUS_SUCCESS);
    mm_pfn freed[9];
    cr_assert_eq(mm_list_frames(m, FreePageList, 0, freed, 9), 9u);
    uint32_t zeroed_before = total(m, ZeroedPageList);
    uint32_t host_before = materialized(m);
    struct mm_counters c0, c1;
    mm_counters(m, 0, &c0);

    static struct t_events rec;
    t_record(m, &rec);
    cr_assert_eq(mm_run_zero_thread(m), 9u);
    mm_set_sink(m, NULL, NULL);

    cr_assert_eq(total(m, FreePageList), 0u);
    cr_assert_eq(total(m, ZeroedPageList), zeroed_before + 9);
    cr_assert_eq(host_before - materialized(m), 9u, "zeroing gives each frame's host storage back");
    mm_counters(m, 0, &c1);
    cr_assert_eq(c1.pages_zeroed - c0.pages_zeroed, 9u);
    /* they join the tail of Zeroed in Free-list order */
    static mm_pfn zeroed[256];
    uint32_t nz = mm_list_frames(m, ZeroedPageList, 0, zeroed, 256);
    for (uint32_t k = 0; k < 9; k++) {
        cr_assert_eq(t_location(m, freed[k]), ZeroedPageList);
        cr_assert(frame_is_zero(m, freed[k]), "frame 0x%X still holds data", freed[k]);
        cr_assert_eq(zeroed[nz - 9 + k], freed[k]);
    }
    /* events: one Free -> Zeroed move per page, in order, between WAKE and DONE */
    cr_assert_eq(t_count(&rec, MM_EV_PAGE_MOVE), 9u);
    for (uint32_t k = 0; k < 9; k++) {
        const struct mm_event *e = t_find(&rec, MM_EV_PAGE_MOVE, k);
        cr_assert_eq(e->u.move.frame, freed[k]);
        cr_assert_eq(e->u.move.from, FreePageList);
        cr_assert_eq(e->u.move.to, ZeroedPageList);
        cr_assert_eq(e->u.move.why, MOVE_ZEROED);
    }
    const struct mm_event *wake = t_find(&rec, MM_EV_THREAD, 0);
    const struct mm_event *done = t_find(&rec, MM_EV_THREAD, 1);
    cr_assert_eq(t_count(&rec, MM_EV_THREAD), 2u);
    cr_assert_eq(wake->u.thread.thread, MM_THREAD_ZERO_PAGE);
    cr_assert_eq(wake->u.thread.action, MM_THREAD_WAKE);
    cr_assert_eq(wake->u.thread.arg, (uint32_t)MM_WAKE_ASKED);
    cr_assert_eq(done->u.thread.action, MM_THREAD_DONE);
    cr_assert_eq(done->u.thread.count, 9u);
    t_check(m);
    mm_destroy(m);
}

Test(zero, decommitted_pages_are_zeroed_too)
{
    struct mm_machine *m = t_machine(128, 256);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 4 * 4096, PAGE_READWRITE);
    fill(m, pid, base, 4, 3);
    mm_pfn f = t_valid_frame(m, pid, base + 4096u);
    mm_va b = base + 4096u;
    uint32_t size = 4096;
    cr_assert_eq(mm_free(m, pid, &b, &size, MEM_DECOMMIT), STATUS_SUCCESS);
    cr_assert_eq(t_location(m, f), FreePageList);
    cr_assert_eq(mm_run_zero_thread(m), 1u);
    cr_assert_eq(t_location(m, f), ZeroedPageList);
    cr_assert(frame_is_zero(m, f));
    t_check(m);
    mm_destroy(m);
}

Test(zero, empty_free_list_zeroes_nothing)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t zeroed = total(m, ZeroedPageList);
    cr_assert_eq(mm_run_zero_thread(m), 0u);
    cr_assert_eq(total(m, ZeroedPageList), zeroed);
    t_check(m);
    mm_destroy(m);
}

Test(zero, wakes_on_a_tick_when_free_reaches_the_threshold)
{
    struct mm_config cfg = quiet_config(128);
    cfg.zero_threshold = 4;
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 8 * 4096, PAGE_READWRITE);
    fill(m, pid, base, 8, 4);
    /* decommit page by page: the page table stays (it holds decommitted PTEs) */
    for (uint32_t k = 0; k < 3; k++) {
        mm_va b = base + k * 4096u;
        uint32_t size = 4096;
        cr_assert_eq(mm_free(m, pid, &b, &size, MEM_DECOMMIT), STATUS_SUCCESS);
    }
    cr_assert_eq(total(m, FreePageList), 3u);
    static struct t_events rec;
    t_record(m, &rec);
    mm_tick(m, 1);
    cr_assert_eq(total(m, FreePageList), 3u, "3 < threshold 4: the thread sleeps");
    cr_assert_eq(t_count(&rec, MM_EV_THREAD), 0u);

    mm_va b = base + 3 * 4096u;
    uint32_t size = 4096;
    cr_assert_eq(mm_free(m, pid, &b, &size, MEM_DECOMMIT), STATUS_SUCCESS);
    cr_assert_eq(total(m, FreePageList), 4u);
    uint32_t zeroed = total(m, ZeroedPageList);
    mm_tick(m, 1);
    cr_assert_eq(total(m, FreePageList), 0u);
    cr_assert_eq(total(m, ZeroedPageList), zeroed + 4);
    const struct mm_event *wake = t_find(&rec, MM_EV_THREAD, 0);
    cr_assert_not_null(wake);
    cr_assert_eq(wake->u.thread.thread, MM_THREAD_ZERO_PAGE);
    cr_assert_eq(wake->u.thread.action, MM_THREAD_WAKE);
    cr_assert_eq(wake->u.thread.arg, (uint32_t)MM_WAKE_THRESHOLD);
    uint32_t zeroing = 0;
    for (uint32_t i = 0; i < rec.count; i++)
        zeroing += rec.ev[i].kind == MM_EV_PAGE_MOVE && rec.ev[i].u.move.why == MOVE_ZEROED &&
                   rec.ev[i].u.move.from == FreePageList && rec.ev[i].u.move.to == ZeroedPageList;
    cr_assert_eq(zeroing, 4u);
    mm_set_sink(m, NULL, NULL);
    t_check(m);
    mm_destroy(m);
}

Test(zero, wakes_on_a_tick_every_period)
{
    struct mm_config cfg = quiet_config(128);
    cfg.zero_threshold = 1000;
    cfg.zero_period = 3;
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 4 * 4096, PAGE_READWRITE);
    fill(m, pid, base, 4, 5);
    mm_va b = base;
    uint32_t size = 2 * 4096;
    cr_assert_eq(mm_free(m, pid, &b, &size, MEM_DECOMMIT), STATUS_SUCCESS);
    cr_assert_eq(total(m, FreePageList), 2u);
    mm_tick(m, 2);
    cr_assert_eq(total(m, FreePageList), 2u);
    static struct t_events rec;
    t_record(m, &rec);
    mm_tick(m, 1);
    cr_assert_eq(total(m, FreePageList), 0u);
    const struct mm_event *wake = t_find(&rec, MM_EV_THREAD, 0);
    cr_assert_not_null(wake);
    cr_assert_eq(wake->u.thread.arg, (uint32_t)MM_WAKE_PERIOD);
    mm_set_sink(m, NULL, NULL);
    t_check(m);
    mm_destroy(m);
}

Test(zero, demand_zero_fault_on_a_rezeroed_frame_reads_zeros)
{
    /* 16 frames: 3 for the process, 1 page table, 12 data pages */
    struct mm_machine *m = t_machine(16, 256);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 12 * 4096, PAGE_READWRITE);
    fill(m, pid, base, 12, 6);
    cr_assert_eq(total(m, ZeroedPageList), 0u);
    cr_assert_eq(mm_active_frames(m), 16u);
    mm_va b = base;
    uint32_t size = 0;
    cr_assert_eq(mm_free(m, pid, &b, &size, MEM_RELEASE), STATUS_SUCCESS);
    cr_assert_eq(mm_run_zero_thread(m), 13u);

    /* every frame now handed out once held this process's data */
    mm_va again = t_alloc(m, pid, 12 * 4096, PAGE_READWRITE);
    for (uint32_t k = 0; k < 12; k++) {   /* the 13th frame becomes the page table */
        uint32_t v = 1;
        cr_assert_eq(mm_read32(m, pid, again + k * 4096u + 2048u, &v), STATUS_SUCCESS);
        cr_assert_eq(v, 0u);
        cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_DEMAND_ZERO);
        mm_pfn f = t_valid_frame(m, pid, again + k * 4096u);
        cr_assert(frame_is_zero(m, f), "frame 0x%X was handed out with old bytes", f);
    }
    cr_assert_eq(total(m, ZeroedPageList), 0u);
    t_check(m);
    mm_destroy(m);
}
