/*
 * test_mpw.c - the modified page writer (sim/mpw.c).
 *
 * A dirty page that leaves its working set waits on the Modified list with
 * its owner's PTE in transition form. The writer takes pages from the head
 * of the Modified list in clusters of at most write_cluster pages, gives
 * each a paging-file slot, records the slot in the page's OriginalPte
 * (page-file form, same protection), clears Modified and puts the page at
 * the tail of Standby at its priority. ModifiedNoWrite pages are never
 * written. The writer also wakes by itself on a tick, at mpw_threshold
 * Modified pages and every mpw_period ticks.
 */
#include <string.h>

#include "support.h"

#define RW_PROT 0x80u   /* MM_READWRITE (4) << 5 */

/* The exact i386 values NT stores (nt-facts.md). */
static mm_pte transition_rw(mm_pfn f) { return (f << 12) | 0x800u | RW_PROT | 0x4u | 0x2u; }
static mm_pte pagefile_rw(uint32_t file, uint32_t slot) { return (slot << 12) | RW_PROT | (file << 1); }

static uint8_t pattern(uint32_t seed, uint32_t page, uint32_t i)
{
    return (uint8_t)(seed * 37u + page * 11u + i * 3u + (i >> 8) + 1u);
}

static void fill(struct mm_machine *m, uint32_t pid, mm_va base, uint32_t pages, uint32_t seed)
{
    static uint8_t buf[4096];
    for (uint32_t k = 0; k < pages; k++) {
        for (uint32_t i = 0; i < 4096; i++)
            buf[i] = pattern(seed, k, i);
        cr_assert_eq(mm_write(m, pid, base + k * 4096u, buf, 4096), STATUS_SUCCESS);
    }
}

/* Compare without disturbing anything (no fault, no A/D bit). */
static void expect_peek(const struct mm_machine *m, uint32_t pid, mm_va base, uint32_t pages,
                        uint32_t seed)
{
    static uint8_t page[4096];
    for (uint32_t k = 0; k < pages; k++) {
        cr_assert_eq(mm_peek_page(m, pid, base + k * 4096u, page), STATUS_SUCCESS);
        for (uint32_t i = 0; i < 4096; i++)
            cr_assert_eq(page[i], pattern(seed, k, i), "page %u byte %u", k, i);
    }
}

/* Read through the MMU (faults as needed). */
static void expect_read(struct mm_machine *m, uint32_t pid, mm_va base, uint32_t pages, uint32_t seed)
{
    static uint8_t page[4096];
    for (uint32_t k = 0; k < pages; k++) {
        cr_assert_eq(mm_read(m, pid, base + k * 4096u, page, 4096), STATUS_SUCCESS);
        for (uint32_t i = 0; i < 4096; i++)
            cr_assert_eq(page[i], pattern(seed, k, i), "page %u byte %u", k, i);
    }
}

/* The frame holding va's page: valid or transition PTE. */
static struct mm_config config(uint32_t frames, uint32_t pagefile)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = frames;
    cfg.pagefile_pages[0] = pagefile;
    return cfg;
}

static uint32_t total(const struct mm_machine *m, enum mm_list l) { return mm_list_head(m, l)->total; }

static uint32_t pagefile_used(const struct mm_machine *m, uint32_t file)
{
    uint32_t size = 0, used = 0;
    cr_assert(mm_pagefile_usage(m, file, &size, &used));
    return used;
}

/* Thread events of the modified page writer with a given action. */
static uint32_t writer_events(const struct t_events *rec, enum mm_thread_action action,
                              const struct mm_event **out, uint32_t max)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < rec->count; i++) {
        const struct mm_event *e = &rec->ev[i];
        if (e->kind == MM_EV_THREAD && e->u.thread.thread == MM_THREAD_MODIFIED_WRITER &&
            e->u.thread.action == action) {
            if (n < max)
                out[n] = e;
            n++;
        }
    }
    return n;
}

Test(mpw, trimmed_dirty_pages_wait_on_modified_in_transition)
{
    struct mm_machine *m = t_machine(256, 1024);
    uint32_t pid = t_process(m, "dirty");
    mm_va base = t_alloc(m, pid, 4 * 4096, PAGE_READWRITE);
    fill(m, pid, base, 4, 1);
    mm_pfn f[4];
    for (uint32_t k = 0; k < 4; k++) {
        f[k] = t_frame(m, pid, base + k * 4096u);
        cr_assert(t_pte(m, pid, base + k * 4096u) & PTE_DIRTY);
    }
    cr_assert_eq(mm_trim(m, pid, 4), 4u);
    cr_assert_eq(total(m, ModifiedPageList), 4u);
    cr_assert_eq(total(m, StandbyPageList), 0u);
    for (uint32_t k = 0; k < 4; k++) {
        const struct mmpfn *p = mm_pfn_entry(m, f[k]);
        cr_assert_eq(t_location(m, f[k]), ModifiedPageList);
        cr_assert(pfn_flag(p, PFN_MODIFIED));
        cr_assert_eq(p->original_pte, RW_PROT, "no slot yet: OriginalPte 0x%08X", p->original_pte);
        cr_assert_eq(t_pte(m, pid, base + k * 4096u), transition_rw(f[k]));
        cr_assert_not(mm_ws_contains(m, pid, base + k * 4096u));
    }
    cr_assert_eq(pagefile_used(m, 0), 0u);
    expect_peek(m, pid, base, 4, 1);
    t_check(m);
    mm_destroy(m);
}

Test(mpw, writes_in_clusters_of_write_cluster_pages)
{
    struct mm_config cfg = config(256, 1024);
    cfg.write_cluster = 4;
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t pid = t_process(m, "clusters");
    mm_va base = t_alloc(m, pid, 10 * 4096, PAGE_READWRITE);
    fill(m, pid, base, 10, 2);
    cr_assert_eq(mm_trim(m, pid, 10), 10u);
    mm_pfn order[10];
    cr_assert_eq(mm_list_frames(m, ModifiedPageList, 0, order, 10), 10u);

    static struct t_events rec;
    t_record(m, &rec);
    /* a run of the writer writes whole clusters and stops once fewer than
     * a cluster's worth remain; a flush (MemoryFlushModifiedList) writes
     * the rest */
    cr_assert_eq(mm_run_modified_writer(m), 8u);
    cr_assert_eq(total(m, ModifiedPageList), 2u);
    cr_assert_eq(mm_run_modified_writer(m), 0u, "2 pages: less than a cluster of 4");
    cr_assert_eq(t_flush(m), 2u);
    mm_set_sink(m, NULL, NULL);

    const struct mm_event *cl[8];
    cr_assert_eq(writer_events(&rec, MM_THREAD_CLUSTER, cl, 8), 3u);
    const uint32_t counts[3] = {4, 4, 2}, slots[3] = {1, 5, 9};
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(cl[i]->u.thread.count, counts[i], "cluster %d wrote %u pages", i, cl[i]->u.thread.count);
        cr_assert_eq(cl[i]->u.thread.file, 0u);
        cr_assert_eq(cl[i]->u.thread.slot, slots[i], "cluster %d starts at slot %u", i, cl[i]->u.thread.slot);
    }
    const struct mm_event *wake[4], *done[4];
    cr_assert_eq(writer_events(&rec, MM_THREAD_WAKE, wake, 4), 3u);
    cr_assert_eq(wake[0]->u.thread.arg, (uint32_t)MM_WAKE_ASKED);
    cr_assert_eq(writer_events(&rec, MM_THREAD_DONE, done, 4), 3u);
    cr_assert_eq(done[0]->u.thread.count, 8u);
    cr_assert_eq(done[1]->u.thread.count, 0u);
    cr_assert_eq(done[2]->u.thread.count, 2u);
    cr_assert(wake[0]->seq < cl[0]->seq && cl[1]->seq < done[0]->seq);
    cr_assert(wake[2]->seq < cl[2]->seq && cl[2]->seq < done[2]->seq);

    /* one paging-file write per page, oldest Modified page first, slots in order */
    cr_assert_eq(t_count(&rec, MM_EV_PAGEFILE), 10u);
    for (uint32_t i = 0; i < 10; i++) {
        const struct mm_event *io = t_find(&rec, MM_EV_PAGEFILE, i);
        cr_assert(io->u.io.write);
        cr_assert_eq(io->pid, pid);
        cr_assert_eq(io->u.io.file, 0u);
        cr_assert_eq(io->u.io.slot, i + 1);
        cr_assert_eq(io->u.io.frame, order[i]);
    }
    /* each page goes Modified -> (write in progress) -> Standby */
    uint32_t to_standby = 0, from_modified = 0;
    for (uint32_t i = 0; i < rec.count; i++) {
        const struct mm_event *e = &rec.ev[i];
        if (e->kind != MM_EV_PAGE_MOVE)
            continue;
        cr_assert_eq(e->u.move.why, MOVE_WRITTEN);
        from_modified += e->u.move.from == ModifiedPageList && e->u.move.to == TransitionPage;
        to_standby += e->u.move.from == TransitionPage && e->u.move.to == StandbyPageList &&
                      e->u.move.to_priority == MM_DEFAULT_PRIORITY;
    }
    cr_assert_eq(from_modified, 10u);
    cr_assert_eq(to_standby, 10u);

    struct mm_counters c;
    mm_counters(m, 0, &c);
    cr_assert_eq(c.pages_written, 10u);
    cr_assert_eq(pagefile_used(m, 0), 10u);
    cr_assert_eq(total(m, ModifiedPageList), 0u);
    t_check(m);
    mm_destroy(m);
}

Test(mpw, written_page_records_its_slot_and_joins_the_standby_tail)
{
    struct mm_machine *m = t_machine(256, 1024);
    uint32_t pid = t_process(m, "tail");
    /* one page already on Standby */
    mm_va first = t_alloc(m, pid, 4096, PAGE_READWRITE);
    fill(m, pid, first, 1, 3);
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(t_flush(m), 1u);
    mm_pfn a = t_frame(m, pid, first);
    cr_assert_eq(t_location(m, a), StandbyPageList);

    mm_va base = t_alloc(m, pid, 10 * 4096, PAGE_READWRITE);
    fill(m, pid, base, 10, 4);
    cr_assert_eq(mm_trim(m, pid, 10), 10u);
    mm_pfn order[10];
    cr_assert_eq(mm_list_frames(m, ModifiedPageList, 0, order, 10), 10u);
    cr_assert_eq(t_flush(m), 10u);

    mm_pfn standby[16];
    cr_assert_eq(mm_list_frames(m, StandbyPageList, MM_DEFAULT_PRIORITY, standby, 16), 11u);
    cr_assert_eq(standby[0], a, "the page already on Standby stays at its head");
    cr_assert_eq(mm_pfn_entry(m, a)->original_pte, pagefile_rw(0, 1));
    for (uint32_t i = 0; i < 10; i++) {
        mm_pfn f = order[i];
        const struct mmpfn *p = mm_pfn_entry(m, f);
        cr_assert_eq(standby[i + 1], f, "written pages join the tail in write order");
        cr_assert_eq(t_location(m, f), StandbyPageList);
        cr_assert_eq(pfn_priority(p), (unsigned)MM_DEFAULT_PRIORITY);
        cr_assert_not(pfn_flag(p, PFN_MODIFIED));
        cr_assert_not(pfn_flag(p, PFN_WRITE_IN_PROGRESS));
        cr_assert_eq(p->original_pte, pagefile_rw(0, i + 2), "OriginalPte 0x%08X", p->original_pte);
        cr_assert_eq(p->u3.reference_count, 0);
    }
    /* the owners' PTEs stay in transition form: a transition fault still finds them */
    for (uint32_t k = 0; k < 10; k++) {
        mm_pfn f = t_frame(m, pid, base + k * 4096u);
        cr_assert_eq(t_pte(m, pid, base + k * 4096u), transition_rw(f));
        cr_assert_eq(t_location(m, f), StandbyPageList);
    }
    cr_assert_eq(total(m, StandbyPageList), 11u);
    cr_assert_eq(mm_standby_head(m, MM_DEFAULT_PRIORITY)->total, 11u);
    expect_peek(m, pid, base, 10, 4);
    t_check(m);
    mm_destroy(m);
}

Test(mpw, written_page_joins_standby_at_its_priority)
{
    struct mm_machine *m = t_machine(256, 1024);
    uint32_t pid = t_process(m, "low");
    cr_assert_eq(mm_set_page_priority(m, pid, 2), STATUS_SUCCESS);
    mm_va base = t_alloc(m, pid, 3 * 4096, PAGE_READWRITE);
    fill(m, pid, base, 3, 5);
    cr_assert_eq(mm_trim(m, pid, 3), 3u);
    cr_assert_eq(t_flush(m), 3u);
    cr_assert_eq(mm_standby_head(m, 2)->total, 3u);
    cr_assert_eq(mm_standby_head(m, MM_DEFAULT_PRIORITY)->total, 0u);
    cr_assert_eq(total(m, StandbyPageList), 3u);
    for (uint32_t k = 0; k < 3; k++)
        cr_assert_eq(pfn_priority(mm_pfn_entry(m, t_frame(m, pid, base + k * 4096u))), 2u);
    t_check(m);
    mm_destroy(m);
}

Test(mpw, written_bytes_come_back_from_the_paging_file)
{
    struct mm_machine *m = t_machine(256, 1024);
    uint32_t pid = t_process(m, "roundtrip");
    mm_va base = t_alloc(m, pid, 6 * 4096, PAGE_READWRITE);
    fill(m, pid, base, 6, 6);
    cr_assert_eq(mm_trim(m, pid, 6), 6u);
    cr_assert_eq(t_flush(m), 6u);
    mm_pte slot_of[6];
    for (uint32_t k = 0; k < 6; k++)
        slot_of[k] = mm_pfn_entry(m, t_frame(m, pid, base + k * 4096u))->original_pte;
    /* drop the frames: only the paging-file copies are left */
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    for (uint32_t k = 0; k < 6; k++)
        cr_assert_eq(t_pte(m, pid, base + k * 4096u), slot_of[k]);
    struct mm_counters before, after;
    mm_counters(m, pid, &before);
    expect_read(m, pid, base, 6, 6);
    mm_counters(m, pid, &after);
    cr_assert_eq(after.faults[MM_FAULT_PAGE_FILE] - before.faults[MM_FAULT_PAGE_FILE], 6u);
    t_check(m);
    mm_destroy(m);
}

Test(mpw, modified_no_write_pages_are_never_written)
{
    struct mm_machine *m = t_machine(256, 1024);
    uint32_t held = t_process(m, "nowrite");
    uint32_t other = t_process(m, "normal");
    cr_assert_eq(mm_set_modified_no_write(m, held, true), STATUS_SUCCESS);
    mm_va hb = t_alloc(m, held, 5 * 4096, PAGE_READWRITE);
    mm_va ob = t_alloc(m, other, 5 * 4096, PAGE_READWRITE);
    fill(m, held, hb, 5, 7);
    fill(m, other, ob, 5, 8);
    cr_assert_eq(mm_trim(m, held, 5), 5u);
    cr_assert_eq(mm_trim(m, other, 5), 5u);
    cr_assert_eq(total(m, ModifiedNoWritePageList), 5u);
    cr_assert_eq(total(m, ModifiedPageList), 5u);

    cr_assert_eq(t_flush(m), 5u);
    cr_assert_eq(total(m, ModifiedNoWritePageList), 5u);
    cr_assert_eq(total(m, ModifiedPageList), 0u);
    cr_assert_eq(total(m, StandbyPageList), 5u);
    cr_assert_eq(pagefile_used(m, 0), 5u);
    for (uint32_t k = 0; k < 5; k++) {
        mm_pfn f = t_frame(m, held, hb + k * 4096u);
        const struct mmpfn *p = mm_pfn_entry(m, f);
        cr_assert_eq(t_location(m, f), ModifiedNoWritePageList);
        cr_assert(pfn_flag(p, PFN_MODIFIED));
        cr_assert_eq(p->original_pte, RW_PROT);
        cr_assert_eq(t_pte(m, held, hb + k * 4096u), transition_rw(f));
        cr_assert_eq(t_location(m, t_frame(m, other, ob + k * 4096u)), StandbyPageList);
    }
    /* the writer runs again: still nothing to do for them */
    cr_assert_eq(mm_run_modified_writer(m), 0u);
    cr_assert_eq(total(m, ModifiedNoWritePageList), 5u);
    expect_peek(m, held, hb, 5, 7);
    t_check(m);
    mm_destroy(m);
}

Test(mpw, wakes_on_a_tick_when_modified_reaches_the_threshold)
{
    struct mm_config cfg = config(256, 1024);
    cfg.mpw_threshold = 8;
    cfg.write_cluster = 4;
    cfg.mpw_period = 0;
    cfg.wsmgr_period = 0;
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t pid = t_process(m, "threshold");
    mm_va base = t_alloc(m, pid, 8 * 4096, PAGE_READWRITE);
    fill(m, pid, base, 8, 9);
    cr_assert_eq(mm_trim(m, pid, 7), 7u);
    static struct t_events rec;
    t_record(m, &rec);
    mm_tick(m, 1);
    cr_assert_eq(total(m, ModifiedPageList), 7u, "7 < threshold 8: the writer sleeps");
    const struct mm_event *ev[4];
    cr_assert_eq(writer_events(&rec, MM_THREAD_WAKE, ev, 4), 0u);

    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(total(m, ModifiedPageList), 8u);
    mm_tick(m, 1);
    cr_assert_eq(total(m, ModifiedPageList), 0u);
    cr_assert_eq(total(m, StandbyPageList), 8u);
    cr_assert_eq(writer_events(&rec, MM_THREAD_WAKE, ev, 4), 1u);
    cr_assert_eq(ev[0]->u.thread.arg, (uint32_t)MM_WAKE_THRESHOLD);
    cr_assert_eq(pagefile_used(m, 0), 8u);
    mm_set_sink(m, NULL, NULL);
    t_check(m);
    mm_destroy(m);
}

Test(mpw, wakes_on_a_tick_every_period)
{
    struct mm_config cfg = config(256, 1024);
    cfg.mpw_threshold = 1000;
    cfg.write_cluster = 1;
    cfg.mpw_period = 5;
    cfg.wsmgr_period = 0;
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t pid = t_process(m, "period");
    mm_va base = t_alloc(m, pid, 3 * 4096, PAGE_READWRITE);
    fill(m, pid, base, 3, 10);
    cr_assert_eq(mm_trim(m, pid, 3), 3u);
    static struct t_events rec;
    t_record(m, &rec);
    mm_tick(m, 4);
    cr_assert_eq(mm_now(m), 4u);
    cr_assert_eq(total(m, ModifiedPageList), 3u, "the period has not come round yet");
    mm_tick(m, 1);
    cr_assert_eq(total(m, ModifiedPageList), 0u);
    cr_assert_eq(total(m, StandbyPageList), 3u);
    const struct mm_event *ev[4];
    cr_assert_eq(writer_events(&rec, MM_THREAD_WAKE, ev, 4), 1u);
    cr_assert_eq(ev[0]->u.thread.arg, (uint32_t)MM_WAKE_PERIOD);
    mm_set_sink(m, NULL, NULL);
    t_check(m);
    mm_destroy(m);
}

Test(mpw, page_dirtied_again_gives_back_its_slot_when_trimmed)
{
    struct mm_machine *m = t_machine(256, 1024);
    uint32_t pid = t_process(m, "redirty");
    mm_va va = t_alloc(m, pid, 4096, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, va, 0x11111111u), STATUS_SUCCESS);
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(t_flush(m), 1u);
    mm_pfn f = t_frame(m, pid, va);
    cr_assert_eq(mm_pfn_entry(m, f)->original_pte, pagefile_rw(0, 1));
    cr_assert_eq(pagefile_used(m, 0), 1u);

    /* transition fault back and write: the frame is the same, the copy is now stale */
    struct mm_counters c0, c1;
    mm_counters(m, 0, &c0);
    cr_assert_eq(mm_write32(m, pid, va, 0x22222222u), STATUS_SUCCESS);
    mm_counters(m, 0, &c1);
    cr_assert_eq(c1.faults[MM_FAULT_TRANSITION] - c0.faults[MM_FAULT_TRANSITION], 1u);
    cr_assert_eq(t_frame(m, pid, va), f);
    cr_assert(t_pte(m, pid, va) & PTE_DIRTY);

    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    const struct mmpfn *p = mm_pfn_entry(m, f);
    cr_assert_eq(t_location(m, f), ModifiedPageList);
    cr_assert(pfn_flag(p, PFN_MODIFIED));
    cr_assert_eq(p->original_pte, RW_PROT, "the stale slot must be released: OriginalPte 0x%08X",
                 p->original_pte);
    cr_assert_eq(pagefile_used(m, 0), 0u);
    cr_assert_eq(t_pte(m, pid, va), transition_rw(f));

    cr_assert_eq(t_flush(m), 1u);
    cr_assert_eq(pagefile_used(m, 0), 1u);
    cr_assert_eq(t_location(m, f), StandbyPageList);
    cr_assert_neq(pte_pagefile_offset(mm_pfn_entry(m, f)->original_pte), 0u);
    uint8_t page[4096];
    cr_assert_eq(mm_peek_page(m, pid, va, page), STATUS_SUCCESS);
    uint32_t v;
    memcpy(&v, page, 4);
    cr_assert_eq(v, 0x22222222u);
    t_check(m);
    mm_destroy(m);
}

Test(mpw, page_only_read_again_keeps_its_slot_and_skips_modified)
{
    struct mm_machine *m = t_machine(256, 1024);
    uint32_t pid = t_process(m, "reread");
    mm_va va = t_alloc(m, pid, 4096, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, va, 0x33333333u), STATUS_SUCCESS);
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(t_flush(m), 1u);
    mm_pfn f = t_frame(m, pid, va);
    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x33333333u);
    cr_assert_eq(t_location(m, f), ActiveAndValid);
    cr_assert_not(t_pte(m, pid, va) & PTE_DIRTY);

    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(t_location(m, f), StandbyPageList, "a clean page goes straight to Standby");
    cr_assert_eq(total(m, ModifiedPageList), 0u);
    cr_assert_eq(mm_pfn_entry(m, f)->original_pte, pagefile_rw(0, 1));
    cr_assert_eq(pagefile_used(m, 0), 1u);
    struct mm_counters c;
    mm_counters(m, 0, &c);
    cr_assert_eq(c.pages_written, 1u);
    t_check(m);
    mm_destroy(m);
}

Test(mpw, page_soft_faulted_back_from_modified_stays_modified)
{
    struct mm_machine *m = t_machine(256, 1024);
    uint32_t pid = t_process(m, "back");
    mm_va va = t_alloc(m, pid, 4096, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, va, 0x44444444u), STATUS_SUCCESS);
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    mm_pfn f = t_frame(m, pid, va);
    cr_assert_eq(t_location(m, f), ModifiedPageList);
    /* read it back before the writer ran: no copy exists anywhere else */
    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x44444444u);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_TRANSITION);
    cr_assert_eq(t_location(m, f), ActiveAndValid);
    cr_assert(pfn_flag(mm_pfn_entry(m, f), PFN_MODIFIED));
    cr_assert(t_pte(m, pid, va) & PTE_DIRTY, "MiResolveTransitionFault sets Dirty: Modified and writable");
    /* trimmed again without a write: still only in this frame */
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(t_location(m, f), ModifiedPageList, "the page must not be lost to Standby");
    cr_assert_eq(t_flush(m), 1u);
    cr_assert_eq(mm_pfn_entry(m, f)->original_pte, pagefile_rw(0, 1));
    t_check(m);
    mm_destroy(m);
}

Test(mpw, bad_modified_page_is_retired_once_written)
{
    struct mm_machine *m = t_machine(64, 256);
    uint32_t pid = t_process(m, "parity");
    mm_va base = t_alloc(m, pid, 2 * 4096, PAGE_READWRITE);
    fill(m, pid, base, 2, 13);
    cr_assert_eq(mm_trim(m, pid, 2), 2u);
    mm_pfn f = t_frame(m, pid, base);
    cr_assert_eq(mm_mark_bad(m, f), STATUS_SUCCESS);
    cr_assert_eq(t_location(m, f), ModifiedPageList, "a dirty page keeps its frame until written");
    cr_assert_eq(t_flush(m), 2u);
    /* written, so the frame can be retired: the owner gets the paging-file PTE */
    cr_assert_eq(t_location(m, f), BadPageList);
    cr_assert_eq(total(m, BadPageList), 1u);
    struct mm_walk w;
    mm_walk(m, pid, base, &w);
    cr_assert_eq(w.form, PTE_FORM_PAGEFILE);
    cr_assert_eq(w.pte & 0xFFFu, RW_PROT);
    cr_assert_eq(mm_pfn_entry(m, f)->original_pte, 0u, "a retired frame keeps no OriginalPte");
    t_check(m);
    expect_read(m, pid, base, 2, 13);
    t_check(m);
    mm_destroy(m);
}

Test(mpw, full_paging_file_leaves_pages_on_modified)
{
    /* a 2-page paging file has one usable slot: slot 0 is reserved */
    struct mm_machine *m = t_machine(64, 2);
    uint32_t pid = t_process(m, "full");
    mm_va base = t_alloc(m, pid, 3 * 4096, PAGE_READWRITE);
    fill(m, pid, base, 3, 11);
    cr_assert_eq(mm_trim(m, pid, 3), 3u);
    mm_pfn order[3];
    mm_list_frames(m, ModifiedPageList, 0, order, 3);
    cr_assert_eq(t_flush(m), 1u);
    cr_assert_eq(pagefile_used(m, 0), 1u);
    cr_assert_eq(total(m, ModifiedPageList), 2u);
    cr_assert_eq(total(m, StandbyPageList), 1u);
    cr_assert_eq(mm_pfn_entry(m, order[0])->original_pte, pagefile_rw(0, 1));
    cr_assert_eq(t_location(m, order[1]), ModifiedPageList);
    cr_assert_eq(t_location(m, order[2]), ModifiedPageList);
    cr_assert_eq(t_flush(m), 0u);
    expect_peek(m, pid, base, 3, 11);
    t_check(m);
    mm_destroy(m);
}

Test(mpw, second_paging_file_takes_over_when_the_first_is_full)
{
    /* file 0 has one usable slot, file 1 two: 3 of 5 dirty pages fit */
    struct mm_config cfg = config(64, 2);
    cfg.pagefile_count = 2;
    cfg.pagefile_pages[1] = 3;
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t pid = t_process(m, "twofiles");
    mm_va base = t_alloc(m, pid, 5 * 4096, PAGE_READWRITE);
    fill(m, pid, base, 5, 12);
    cr_assert_eq(mm_trim(m, pid, 5), 5u);
    cr_assert_eq(t_flush(m), 3u);
    cr_assert_eq(pagefile_used(m, 0), 1u);
    cr_assert_eq(pagefile_used(m, 1), 2u);
    cr_assert_eq(total(m, ModifiedPageList), 2u);
    cr_assert_eq(total(m, StandbyPageList), 3u);
    /* whatever the order, the three slots are file 0 slot 1, file 1 slots 1
     * and 2, each recorded exactly once (paging file 1 slot 1 RW = 0x1082) */
    const mm_pte want[3] = {pagefile_rw(0, 1), pagefile_rw(1, 1), pagefile_rw(1, 2)};
    cr_assert_eq(want[1], 0x1082u);
    uint32_t seen[3] = {0, 0, 0};
    for (uint32_t k = 0; k < 5; k++) {
        mm_pfn f = t_frame(m, pid, base + k * 4096u);
        if (t_location(m, f) != StandbyPageList)
            continue;
        for (int i = 0; i < 3; i++)
            seen[i] += mm_pfn_entry(m, f)->original_pte == want[i];
    }
    for (int i = 0; i < 3; i++)
        cr_assert_eq(seen[i], 1u, "OriginalPte 0x%08X recorded %u times", want[i], seen[i]);
    /* purge: the owners' PTEs name file and slot exactly */
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    memset(seen, 0, sizeof seen);
    for (uint32_t k = 0; k < 5; k++) {
        mm_pte pte = t_pte(m, pid, base + k * 4096u);
        for (int i = 0; i < 3; i++)
            seen[i] += pte == want[i];
    }
    for (int i = 0; i < 3; i++)
        cr_assert_eq(seen[i], 1u, "PTE 0x%08X found %u times", want[i], seen[i]);
    expect_read(m, pid, base, 5, 12);
    t_check(m);
    mm_destroy(m);
}

Test(mpw, empty_modified_list_writes_nothing)
{
    struct mm_machine *m = t_machine(64, 64);
    static struct t_events rec;
    t_record(m, &rec);
    cr_assert_eq(mm_run_modified_writer(m), 0u);
    const struct mm_event *ev[4];
    cr_assert_eq(writer_events(&rec, MM_THREAD_CLUSTER, ev, 4), 0u);
    cr_assert_eq(writer_events(&rec, MM_THREAD_DONE, ev, 4), 1u);
    cr_assert_eq(ev[0]->u.thread.count, 0u);
    cr_assert_eq(t_count(&rec, MM_EV_PAGEFILE), 0u);
    mm_set_sink(m, NULL, NULL);
    t_check(m);
    mm_destroy(m);
}
