/*
 * test_wsmgr.c - the working-set manager and the wait for an available
 * page (sim/wsmgr.c).
 *
 * Each pass ages every working set (accessed -> age 0 and the bit is
 * cleared, else one step older, up to 3). When available pages (Zeroed +
 * Free + Standby) are below wsmgr_low it trims: sets above their maximum
 * down to it first, then sets above their minimum, oldest pages first,
 * until wsmgr_plenty pages are available. It never goes below a set's
 * minimum and never removes locked entries or page tables. A fault that
 * finds no available page at all trims and writes until one is.
 */
#include <string.h>

#include "support.h"

#include "machine.h"
#include "avail.h"
#include "wsmgr.h"

static uint32_t total(const struct mm_machine *m, enum mm_list l) { return mm_list_head(m, l)->total; }

static void fill(struct mm_machine *m, uint32_t pid, mm_va base, uint32_t pages, uint32_t seed)
{
    static uint8_t buf[4096];
    for (uint32_t k = 0; k < pages; k++) {
        for (uint32_t i = 0; i < 4096; i++)
            buf[i] = (uint8_t)(seed * 29u + k * 13u + i * 7u + (i >> 9) + 1u);
        cr_assert_eq(mm_write(m, pid, base + k * 4096u, buf, 4096), STATUS_SUCCESS);
    }
}

static void expect_contents(struct mm_machine *m, uint32_t pid, mm_va base, uint32_t pages, uint32_t seed)
{
    static uint8_t buf[4096];
    for (uint32_t k = 0; k < pages; k++) {
        cr_assert_eq(mm_read(m, pid, base + k * 4096u, buf, 4096), STATUS_SUCCESS);
        for (uint32_t i = 0; i < 4096; i++)
            cr_assert_eq(buf[i], (uint8_t)(seed * 29u + k * 13u + i * 7u + (i >> 9) + 1u),
                         "page %u byte %u", k, i);
    }
}

static void touch(struct mm_machine *m, uint32_t pid, mm_va base, uint32_t from, uint32_t to)
{
    for (uint32_t k = from; k < to; k++) {
        uint32_t v;
        cr_assert_eq(mm_read32(m, pid, base + k * 4096u, &v), STATUS_SUCCESS);
    }
}

/* Written out, then read back: the pages are in the working set and clean,
 * so trimming them makes them available at once (Standby). */
static void make_clean(struct mm_machine *m, uint32_t pid, mm_va base, uint32_t pages)
{
    cr_assert_eq(mm_set_ws_limits(m, pid, 0xFFFFFFFFu, 0xFFFFFFFFu), STATUS_SUCCESS);
    t_flush(m);
    cr_assert_eq(total(m, ModifiedPageList), 0u);
    touch(m, pid, base, 0, pages);
    for (uint32_t k = 0; k < pages; k++)
        cr_assert_not(t_pte(m, pid, base + k * 4096u) & PTE_DIRTY);
}

static uint32_t age_of(const struct mm_machine *m, uint32_t pid, mm_va va)
{
    const struct mm_wsl *ws = mm_working_set(m, pid);
    for (uint32_t i = ws->first_dynamic; i <= ws->last_entry; i++)
        if (wsle_valid(ws->wsle[i]) && wsle_va(ws->wsle[i]) == PAGE_ALIGN(va))
            return wsle_age(ws->wsle[i]);
    cr_assert_fail("0x%08X is not in the working set of %u", va, pid);
    return 99;
}

static uint32_t ws_size(const struct mm_machine *m, uint32_t pid) { return mm_working_set(m, pid)->size; }

static uint32_t resident(const struct mm_machine *m, uint32_t pid, mm_va base, uint32_t from, uint32_t to)
{
    uint32_t n = 0;
    for (uint32_t k = from; k < to; k++)
        n += mm_ws_contains(m, pid, base + k * 4096u);
    return n;
}

static struct mm_config config(uint32_t frames, uint32_t low, uint32_t plenty)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = frames;
    cfg.pagefile_pages[0] = 2048;
    cfg.ws_minimum = 4;
    cfg.wsmgr_low = low;
    cfg.wsmgr_plenty = plenty;
    return cfg;
}

/* The manager's TRIM events, in order. */
static uint32_t trims(const struct t_events *rec, uint32_t *pid, uint32_t *count, uint32_t max)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < rec->count; i++) {
        const struct mm_event *e = &rec->ev[i];
        if (e->kind == MM_EV_THREAD && e->u.thread.thread == MM_THREAD_WS_MANAGER &&
            e->u.thread.action == MM_THREAD_TRIM) {
            if (n < max) {
                pid[n] = e->pid;
                count[n] = e->u.thread.count;
            }
            n++;
        }
    }
    return n;
}

Test(wsmgr, plenty_of_memory_only_ages)
{
    struct mm_machine *m = t_machine(256, 1024);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 6 * 4096, PAGE_READWRITE);
    fill(m, pid, base, 6, 1);
    uint32_t size = ws_size(m, pid);
    cr_assert_eq(size, 3u + 1u + 6u);
    cr_assert(t_pte(m, pid, base) & PTE_ACCESSED);

    static struct t_events rec;
    t_record(m, &rec);
    /* pass 1: every page was accessed: age 0, bit cleared */
    cr_assert_eq(mm_run_ws_manager(m), 0u);
    for (uint32_t k = 0; k < 6; k++) {
        cr_assert_eq(age_of(m, pid, base + k * 4096u), 0u);
        cr_assert_not(t_pte(m, pid, base + k * 4096u) & PTE_ACCESSED, "the accessed bit is cleared");
    }
    /* passes 2-4 age them to 3; pass 5 keeps them at 3 */
    for (uint32_t pass = 2; pass <= 5; pass++) {
        cr_assert_eq(mm_run_ws_manager(m), 0u);
        uint32_t want = pass - 1 > 3 ? 3 : pass - 1;
        for (uint32_t k = 0; k < 6; k++)
            cr_assert_eq(age_of(m, pid, base + k * 4096u), want, "pass %u page %u", pass, k);
    }
    /* a page touched since the last pass is young again */
    touch(m, pid, base, 4, 5);
    cr_assert_eq(mm_run_ws_manager(m), 0u);
    for (uint32_t k = 0; k < 6; k++)
        cr_assert_eq(age_of(m, pid, base + k * 4096u), k == 4 ? 0u : 3u);
    mm_set_sink(m, NULL, NULL);

    uint32_t tp[4], tc[4];
    cr_assert_eq(trims(&rec, tp, tc, 4), 0u);
    cr_assert_eq(ws_size(m, pid), size);
    cr_assert_eq(total(m, StandbyPageList), 0u);
    cr_assert_eq(total(m, ModifiedPageList), 0u);
    t_check(m);
    mm_destroy(m);
}

Test(wsmgr, trims_oldest_pages_first_and_stops_at_plenty)
{
    struct mm_config cfg = config(128, 20, 35);
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t a = t_process(m, "a");
    mm_va base = t_alloc(m, a, 40 * 4096, PAGE_READWRITE);
    fill(m, a, base, 40, 2);
    make_clean(m, a, base, 40);
    cr_assert_eq(ws_size(m, a), 44u);
    cr_assert_eq(mm_available_pages(m), 128u - 44u);

    /* three passes with memory plentiful: ages 2 / 1 / 0 by group */
    cr_assert_eq(mm_run_ws_manager(m), 0u);
    touch(m, a, base, 20, 40);
    cr_assert_eq(mm_run_ws_manager(m), 0u);
    touch(m, a, base, 30, 40);
    cr_assert_eq(mm_run_ws_manager(m), 0u);
    cr_assert_eq(age_of(m, a, base), 2u);
    cr_assert_eq(age_of(m, a, base + 20 * 4096u), 1u);
    cr_assert_eq(age_of(m, a, base + 30 * 4096u), 0u);

    /* another process, held above nothing (minimum 100), takes memory */
    uint32_t b = t_process(m, "b");
    cr_assert_eq(mm_set_ws_limits(m, b, 100, 345), STATUS_SUCCESS);
    mm_va bb = t_alloc(m, b, 70 * 4096, PAGE_READWRITE);
    fill(m, b, bb, 70, 3);
    cr_assert_eq(mm_available_pages(m), 10u);

    static struct t_events rec;
    t_record(m, &rec);
    cr_assert_eq(mm_run_ws_manager(m), 25u, "it trims until 35 pages are available");
    mm_set_sink(m, NULL, NULL);
    cr_assert_eq(mm_available_pages(m), 35u);
    cr_assert_eq(resident(m, a, base, 0, 20), 0u, "the oldest pages (age 3) go first");
    cr_assert_eq(resident(m, a, base, 20, 30), 5u, "then 5 of the age-2 pages");
    cr_assert_eq(resident(m, a, base, 30, 40), 10u, "the youngest pages stay");
    cr_assert_eq(ws_size(m, a), 19u);
    cr_assert_eq(ws_size(m, b), 74u, "a set at or below its minimum is not trimmed");
    cr_assert_eq(total(m, StandbyPageList), 25u);
    cr_assert_eq(total(m, ModifiedPageList), 0u);
    uint32_t tp[4], tc[4];
    cr_assert_eq(trims(&rec, tp, tc, 4), 2u);
    cr_assert_eq(tp[0], a);
    cr_assert_eq(tc[0], 20u);
    cr_assert_eq(tp[1], a);
    cr_assert_eq(tc[1], 5u);
    expect_contents(m, a, base, 40, 2);
    t_check(m);
    mm_destroy(m);
}

Test(wsmgr, trims_sets_above_their_maximum_first)
{
    struct mm_config cfg = config(160, 45, 50);
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t a = t_process(m, "young");
    uint32_t b = t_process(m, "old");
    mm_va ab = t_alloc(m, a, 40 * 4096, PAGE_READWRITE);
    mm_va bb = t_alloc(m, b, 40 * 4096, PAGE_READWRITE);
    fill(m, a, ab, 40, 4);
    fill(m, b, bb, 40, 5);
    make_clean(m, a, ab, 40);
    make_clean(m, b, bb, 40);
    cr_assert_eq(mm_available_pages(m), 160u - 88u);
    /* a's pages stay young, b's grow old */
    for (int pass = 0; pass < 3; pass++) {
        touch(m, a, ab, 0, 40);
        cr_assert_eq(mm_run_ws_manager(m), 0u);
    }
    cr_assert_eq(age_of(m, b, bb), 2u);
    uint32_t c = t_process(m, "hog");
    cr_assert_eq(mm_set_ws_limits(m, c, 100, 345), STATUS_SUCCESS);
    mm_va cb = t_alloc(m, c, 30 * 4096, PAGE_READWRITE);
    fill(m, c, cb, 30, 6);
    cr_assert_eq(mm_available_pages(m), 38u);
    touch(m, a, ab, 0, 40);
    /* NT's maximum is soft: a set grows past it while memory is plentiful
     * and sits above it until memory is short. Lowered here behind the
     * engine's back (mm_set_ws_limits would trim at once) to put a set
     * above its maximum with simple numbers. */
    m->process[a - 1].ws.maximum = 34;

    static struct t_events rec;
    t_record(m, &rec);
    cr_assert_eq(mm_run_ws_manager(m), 12u);
    mm_set_sink(m, NULL, NULL);
    cr_assert_eq(ws_size(m, a), 34u, "the set above its maximum is trimmed to it first");
    cr_assert_eq(ws_size(m, b), 42u, "then the oldest pages of sets above their minimum");
    cr_assert_eq(ws_size(m, c), 34u);
    cr_assert_eq(mm_available_pages(m), 50u);
    uint32_t tp[4], tc[4];
    cr_assert_eq(trims(&rec, tp, tc, 4), 2u);
    cr_assert_eq(tp[0], a);
    cr_assert_eq(tc[0], 10u);
    cr_assert_eq(tp[1], b);
    cr_assert_eq(tc[1], 2u);
    t_check(m);
    mm_destroy(m);
}

Test(wsmgr, above_maximum_trimming_also_takes_the_oldest_pages)
{
    struct mm_config cfg = config(160, 45, 50);
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t a = t_process(m, "a");
    mm_va ab = t_alloc(m, a, 40 * 4096, PAGE_READWRITE);
    fill(m, a, ab, 40, 13);
    make_clean(m, a, ab, 40);
    /* the 20 pages with the lowest working-set indexes stay young: a
     * trimmer that went by index instead of age would take them first */
    uint32_t index[40];
    bool young[40];
    for (uint32_t k = 0; k < 40; k++) {
        struct mm_walk w;
        mm_walk(m, a, ab + k * 4096u, &w);
        cr_assert(w.valid);
        index[k] = mm_pfn_entry(m, w.frame)->u1.ws_index;
    }
    for (uint32_t k = 0; k < 40; k++) {
        uint32_t lower = 0;
        for (uint32_t j = 0; j < 40; j++)
            lower += index[j] < index[k];
        young[k] = lower < 20;
    }
    for (int pass = 0; pass < 3; pass++) {
        for (uint32_t k = 0; k < 40; k++)
            if (young[k])
                touch(m, a, ab, k, k + 1);
        cr_assert_eq(mm_run_ws_manager(m), 0u);
    }
    uint32_t c = t_process(m, "hog");
    cr_assert_eq(mm_set_ws_limits(m, c, 100, 345), STATUS_SUCCESS);
    mm_va cb = t_alloc(m, c, 70 * 4096, PAGE_READWRITE);
    fill(m, c, cb, 70, 14);
    cr_assert_eq(mm_available_pages(m), 160u - 44u - 74u);
    for (uint32_t k = 0; k < 40; k++)
        if (young[k])
            touch(m, a, ab, k, k + 1);
    m->process[a - 1].ws.maximum = 34;   /* see trims_sets_above_their_maximum_first */

    cr_assert_eq(mm_run_ws_manager(m), 10u, "down to the maximum; then 52 >= plenty 50");
    uint32_t young_left = 0, old_left = 0;
    for (uint32_t k = 0; k < 40; k++) {
        bool in = mm_ws_contains(m, a, ab + k * 4096u);
        young_left += young[k] && in;
        old_left += !young[k] && in;
    }
    cr_assert_eq(young_left, 20u, "pages accessed since the last pass survive (%u of 20 did)", young_left);
    cr_assert_eq(old_left, 10u);
    cr_assert_eq(ws_size(m, a), 34u);
    t_check(m);
    mm_destroy(m);
}

Test(wsmgr, never_trims_below_minimum_or_locked_entries)
{
    /* memory is always "low": the manager trims all it may */
    struct mm_config cfg = config(128, 1000, 2000);
    cfg.wsmgr_period = 0;
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t a = t_process(m, "a");
    uint32_t b = t_process(m, "b");
    cr_assert_eq(mm_set_ws_limits(m, a, 30, 345), STATUS_SUCCESS);
    cr_assert_eq(mm_set_ws_limits(m, b, 1, 345), STATUS_SUCCESS);
    mm_va ab = t_alloc(m, a, 40 * 4096, PAGE_READWRITE);
    mm_va bb = t_alloc(m, b, 20 * 4096, PAGE_READWRITE);
    fill(m, a, ab, 40, 7);
    fill(m, b, bb, 20, 8);
    cr_assert_eq(ws_size(m, a), 44u);
    cr_assert_eq(ws_size(m, b), 24u);

    cr_assert_eq(mm_run_ws_manager(m), 14u + 20u);
    cr_assert_eq(ws_size(m, a), 30u, "down to the minimum, not below");
    cr_assert_eq(ws_size(m, b), 4u, "only the 3 locked entries and the page table stay");
    const struct mm_wsl *ws = mm_working_set(m, b);
    cr_assert_eq(ws->first_dynamic, 3u);
    for (uint32_t i = 0; i < 3; i++)
        cr_assert(wsle_valid(ws->wsle[i]) && wsle_locked(ws->wsle[i]), "locked entry %u", i);
    struct mm_walk w;
    mm_walk(m, b, bb, &w);
    cr_assert(w.pde_valid, "the page table stays");
    cr_assert_eq(w.form, PTE_FORM_TRANSITION);
    cr_assert_eq(total(m, ModifiedPageList), 34u, "dirty pages wait for the writer");

    cr_assert_eq(mm_run_ws_manager(m), 0u, "nothing more may go");
    cr_assert_eq(ws_size(m, a), 30u);
    cr_assert_eq(ws_size(m, b), 4u);
    expect_contents(m, b, bb, 20, 8);
    t_check(m);
    mm_destroy(m);
}

Test(wsmgr, low_memory_wakes_the_writer_for_trimmed_dirty_pages)
{
    struct mm_config cfg = config(64, 40, 50);
    cfg.wsmgr_period = 0;
    cfg.write_cluster = 4;
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t a = t_process(m, "a");
    mm_va ab = t_alloc(m, a, 30 * 4096, PAGE_READWRITE);
    fill(m, a, ab, 30, 9);
    cr_assert_eq(mm_available_pages(m), 64u - 34u);
    static struct t_events rec;
    t_record(m, &rec);
    mm_tick(m, 1);
    mm_set_sink(m, NULL, NULL);
    /* the manager ran (memory low), trimmed dirty pages, and the writer
     * wrote them in the same tick, in whole clusters of 4: it stops once
     * fewer than a cluster's worth remain */
    cr_assert_lt(total(m, ModifiedPageList), 4u);
    cr_assert_geq(mm_available_pages(m), 50u - 3u);
    bool manager = false, writer = false;
    for (uint32_t i = 0; i < rec.count; i++) {
        const struct mm_event *e = &rec.ev[i];
        if (e->kind != MM_EV_THREAD || e->u.thread.action != MM_THREAD_WAKE)
            continue;
        if (e->u.thread.thread == MM_THREAD_WS_MANAGER) {
            cr_assert_eq(e->u.thread.arg, (uint32_t)MM_WAKE_THRESHOLD);
            manager = true;
        }
        if (e->u.thread.thread == MM_THREAD_MODIFIED_WRITER) {
            cr_assert(manager, "the writer runs after the manager");
            cr_assert_eq(e->u.thread.arg, (uint32_t)MM_WAKE_LOW_MEMORY);
            writer = true;
        }
    }
    cr_assert(manager && writer);
    expect_contents(m, a, ab, 30, 9);
    t_check(m);
    mm_destroy(m);
}

Test(wsmgr, runs_on_its_period)
{
    struct mm_config cfg = config(256, 26, 400);
    cfg.wsmgr_period = 3;
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t a = t_process(m, "a");
    mm_va ab = t_alloc(m, a, 4 * 4096, PAGE_READWRITE);
    fill(m, a, ab, 4, 10);
    static struct t_events rec;
    t_record(m, &rec);
    mm_tick(m, 2);
    cr_assert_eq(t_count(&rec, MM_EV_THREAD), 0u, "ticks 1 and 2: not due");
    cr_assert(t_pte(m, a, ab) & PTE_ACCESSED);
    mm_tick(m, 1);
    const struct mm_event *wake = t_find(&rec, MM_EV_THREAD, 0);
    cr_assert_not_null(wake);
    cr_assert_eq(wake->u.thread.thread, MM_THREAD_WS_MANAGER);
    cr_assert_eq(wake->u.thread.arg, (uint32_t)MM_WAKE_PERIOD);
    cr_assert_not(t_pte(m, a, ab) & PTE_ACCESSED, "tick 3 aged the set");
    cr_assert_eq(age_of(m, a, ab), 0u);
    mm_tick(m, 3);
    cr_assert_eq(age_of(m, a, ab), 1u, "tick 6: one step older");
    mm_tick(m, 2);
    cr_assert_eq(age_of(m, a, ab), 1u);
    mm_set_sink(m, NULL, NULL);
    t_check(m);
    mm_destroy(m);
}

/* The same sequence of ticks on two machines leaves the same pages. */
static struct mm_machine *ticking_run(mm_va *base, uint32_t *pid)
{
    struct mm_config cfg = config(96, 30, 45);
    cfg.wsmgr_period = 2;
    cfg.mpw_threshold = 16;
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t a = t_process(m, "a");
    uint32_t b = t_process(m, "b");
    mm_va ab = t_alloc(m, a, 40 * 4096, PAGE_READWRITE);
    mm_va bb = t_alloc(m, b, 40 * 4096, PAGE_READWRITE);
    struct t_rng rng = {0x5EEDu};
    for (int step = 0; step < 400; step++) {
        uint32_t k = t_below(&rng, 40);
        if (t_below(&rng, 2))
            cr_assert_eq(mm_write32(m, a, ab + k * 4096u, (uint32_t)step + 1), STATUS_SUCCESS);
        else
            cr_assert_eq(mm_write32(m, b, bb + k * 4096u, (uint32_t)step + 1), STATUS_SUCCESS);
        if (step % 5 == 0)
            mm_tick(m, 1);
    }
    t_check(m);
    pid[0] = a;
    pid[1] = b;
    base[0] = ab;
    base[1] = bb;
    return m;
}

Test(wsmgr, ticks_are_deterministic)
{
    mm_va b1[2], b2[2];
    uint32_t p1[2], p2[2];
    struct mm_machine *m1 = ticking_run(b1, p1);
    struct mm_machine *m2 = ticking_run(b2, p2);
    struct mm_counters c1, c2;
    mm_counters(m1, 0, &c1);
    mm_counters(m2, 0, &c2);
    cr_assert_gt(c1.pages_trimmed, 0u, "the manager had to trim");
    cr_assert_eq(c1.pages_trimmed, c2.pages_trimmed);
    cr_assert_eq(c1.pages_written, c2.pages_written);
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(ws_size(m1, p1[i]), ws_size(m2, p2[i]));
        for (uint32_t k = 0; k < 40; k++) {
            cr_assert_eq(mm_ws_contains(m1, p1[i], b1[i] + k * 4096u), mm_ws_contains(m2, p2[i], b2[i] + k * 4096u));
            cr_assert_eq(t_pte(m1, p1[i], b1[i] + k * 4096u), t_pte(m2, p2[i], b2[i] + k * 4096u));
        }
    }
    cr_assert_eq(mm_available_pages(m1), mm_available_pages(m2));
    t_check(m1);
    t_check(m2);
    mm_destroy(m1);
    mm_destroy(m2);
}

Test(wsmgr, fault_with_no_page_available_trims_and_writes_one)
{
    /* 16 frames: 3 for the process and 1 page table leave 12 for data */
    struct mm_machine *m = t_machine(16, 256);
    uint32_t a = t_process(m, "a");
    mm_va ab = t_alloc(m, a, 40 * 4096, PAGE_READWRITE);
    fill(m, a, ab, 12, 11);
    cr_assert_eq(mm_available_pages(m), 0u);
    fill(m, a, ab, 40, 11);   /* every later fault must make its own page */
    struct mm_counters c;
    mm_counters(m, 0, &c);
    cr_assert_gt(c.pages_trimmed, 0u);
    cr_assert_gt(c.pages_written, 0u);
    struct mm_memory_list_info info;
    mm_memory_list_query(m, &info);
    cr_assert_gt(info.repurposed_pages_by_priority[MM_DEFAULT_PRIORITY], 0u);
    expect_contents(m, a, ab, 40, 11);
    struct mm_counters after;
    mm_counters(m, 0, &after);
    cr_assert_gt(after.faults[MM_FAULT_PAGE_FILE], c.faults[MM_FAULT_PAGE_FILE]);
    t_check(m);
    mm_destroy(m);
}

Test(wsmgr, ensure_available_trims_then_writes)
{
    struct mm_machine *m = t_machine(16, 256);
    uint32_t a = t_process(m, "a");
    mm_va ab = t_alloc(m, a, 12 * 4096, PAGE_READWRITE);
    fill(m, a, ab, 12, 12);
    cr_assert_eq(mm_available_pages(m), 0u);
    cr_assert_eq(avail_ensure(m, 1), STATUS_SUCCESS);
    /* one dirty page trimmed to Modified, then written to Standby */
    cr_assert_eq(mm_available_pages(m), 1u);
    cr_assert_eq(total(m, StandbyPageList), 1u);
    cr_assert_eq(total(m, ModifiedPageList), 0u);
    cr_assert_eq(ws_size(m, a), 15u);
    struct mm_counters c;
    mm_counters(m, 0, &c);
    cr_assert_eq(c.pages_written, 1u);
    cr_assert_eq(c.pages_trimmed, 1u);
    expect_contents(m, a, ab, 12, 12);
    t_check(m);
    mm_destroy(m);
}

Test(wsmgr, nothing_to_trim_means_no_memory)
{
    struct mm_machine *m = t_machine(16, 256);
    uint32_t pid[5];
    for (int i = 0; i < 5; i++)
        pid[i] = t_process(m, "p");
    cr_assert_eq(mm_available_pages(m), 1u);
    uint32_t extra = 0;
    cr_assert_eq(mm_process_create(m, "one-too-many", &extra), STATUS_NO_MEMORY);
    cr_assert_eq(avail_ensure(m, 2), STATUS_NO_MEMORY);
    /* the page table takes the last frame; the page itself finds none */
    mm_va va = t_alloc(m, pid[0], 4096, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid[0], va, 1), STATUS_NO_MEMORY);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_NO_MEMORY);
    cr_assert_eq(mm_available_pages(m), 1u, "the page table built for nothing is freed again");
    cr_assert_eq(t_pte(m, pid[0], va), 0u);
    t_check(m);
    mm_destroy(m);
}

/* The working-set manager's threshold is strictly below the low mark:
 * with exactly wsmgr_low pages available a tick leaves it asleep, with one
 * fewer it wakes (MmMinimumFreePages is the last page count still fine). */
Test(wsmgr, wakes_below_the_low_mark_not_at_it)
{
    struct mm_config cfg = config(64, 8, 16);
    cfg.wsmgr_period = 0;   /* only the threshold wakes it */
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t a = t_process(m, "a");
    mm_va ab = t_alloc(m, a, 16 * 4096, PAGE_READWRITE);
    touch(m, a, ab, 0, 16);
    uint32_t avail = mm_available(m);
    static struct t_events rec;
    t_record(m, &rec);
    m->cfg.wsmgr_low = avail;
    mm_tick(m, 1);
    cr_assert_eq(t_count(&rec, MM_EV_THREAD), 0u, "%u available, low mark %u: asleep", avail, avail);
    m->cfg.wsmgr_low = avail + 1;
    mm_tick(m, 1);
    const struct mm_event *wake = t_find(&rec, MM_EV_THREAD, 0);
    cr_assert_not_null(wake, "%u available, low mark %u: awake", avail, avail + 1);
    cr_assert_eq(wake->u.thread.thread, MM_THREAD_WS_MANAGER);
    cr_assert_eq(wake->u.thread.arg, (uint32_t)MM_WAKE_THRESHOLD);
    mm_set_sink(m, NULL, NULL);
    t_check(m);
    mm_destroy(m);
}
