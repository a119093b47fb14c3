/*
 * test_process.c - creating and ending address spaces (process.h,
 * process.c): exactly three locked frames per process, everything given
 * back at termination (frames, paging-file slots, commit), pid reuse, the
 * process limit, and STATUS_INVALID_CID for a pid that names no process.
 */
#include <string.h>

#include "support.h"

static uint32_t list_total(const struct mm_machine *m, enum mm_list l) { return mm_list_head(m, l)->total; }

static uint32_t pagefile_used(const struct mm_machine *m)
{
    struct mm_counters c;
    cr_assert_eq(mm_counters(m, 0, &c), STATUS_SUCCESS);
    return c.pagefile_used;
}

static uint32_t commit_total(const struct mm_machine *m)
{
    struct mm_commit_info ci;
    cr_assert_eq(mm_commit(m, 0, &ci), STATUS_SUCCESS);
    return ci.total;
}

static mm_va alloc_at(struct mm_machine *m, uint32_t pid, mm_va base, uint32_t size, uint32_t type)
{
    mm_va b = base;
    uint32_t s = size;
    cr_assert_eq(mm_allocate(m, pid, &b, &s, type, PAGE_READWRITE), STATUS_SUCCESS);
    return b;
}

Test(process, creation_takes_three_locked_frames)
{
    static struct t_events rec;
    struct mm_machine *m = t_machine(64, 64);
    t_record(m, &rec);
    uint32_t pid = 0;
    cr_assert_eq(mm_process_create(m, "first", &pid), STATUS_SUCCESS);
    cr_assert_eq(pid, 1u);
    cr_assert(mm_process_exists(m, pid));
    cr_assert_str_eq(mm_process_name(m, pid), "first");
    cr_assert_eq(mm_active_frames(m), 3u);
    cr_assert_eq(list_total(m, ZeroedPageList), 61u);
    for (mm_pfn f = 0; f < 3; f++)
        cr_assert_eq(t_location(m, f), ActiveAndValid, "frame %u", f);

    const struct mm_wsl *ws = mm_working_set(m, pid);
    cr_assert_not_null(ws);
    cr_assert_eq(ws->size, 3u);
    cr_assert_eq(ws->peak, 3u);
    cr_assert_eq(ws->first_dynamic, 3u);
    cr_assert_eq(ws->last_entry, 2u);
    cr_assert_eq(ws->next_slot, 3u);
    cr_assert_eq(ws->minimum, mm_get_config(m)->ws_minimum, "the machine's default limits");
    cr_assert_eq(ws->maximum, mm_get_config(m)->ws_maximum);
    cr_assert_not(ws->hard_minimum || ws->hard_maximum, "limits are soft unless asked");
    /* directory, hyperspace table, list page: Valid | LockedInWs | Direct */
    cr_assert_eq(ws->wsle[0], 0xC0300000u | WSLE_VALID | WSLE_LOCKED_IN_WS | WSLE_DIRECT);
    cr_assert_eq(ws->wsle[1], 0xC0301000u | WSLE_VALID | WSLE_LOCKED_IN_WS | WSLE_DIRECT);
    cr_assert_eq(ws->wsle[2], 0xC0502000u | WSLE_VALID | WSLE_LOCKED_IN_WS | WSLE_DIRECT);
    struct mm_walk w;
    cr_assert_eq(mm_walk(m, pid, 0, &w), STATUS_SUCCESS);
    mm_pfn dir = w.directory;
    mm_pfn hyper = pte_frame(mm_phys_read32(m, dir, 0x301 * 4));
    mm_pfn wsl = pte_frame(mm_phys_read32(m, hyper, 0x102 * 4));
    cr_assert_eq(mm_pfn_entry(m, dir)->u1.ws_index, 0u);
    cr_assert_eq(mm_pfn_entry(m, hyper)->u1.ws_index, 1u);
    cr_assert_eq(mm_pfn_entry(m, wsl)->u1.ws_index, 2u);
    cr_assert_eq(mm_pfn_entry(m, wsl)->u2.share_count, 1u);

    struct mm_commit_info ci;
    cr_assert_eq(mm_commit(m, pid, &ci), STATUS_SUCCESS);
    cr_assert_eq(ci.process_charge, 0u);
    cr_assert_eq(ci.total, 0u, "the process's own pages are not commit");

    const struct mm_event *ev = t_find(&rec, MM_EV_PROCESS, 0);
    cr_assert_not_null(ev);
    cr_assert_eq(ev->pid, pid);
    cr_assert(ev->u.process.created);
    cr_assert_eq(t_count(&rec, MM_EV_WSLE), 3u);
    for (uint32_t i = 0; i < 3; i++) {
        const struct mm_event *e = t_find(&rec, MM_EV_WSLE, i);
        cr_assert_eq(e->u.wsle.index, i);
        cr_assert(e->u.wsle.inserted);
        cr_assert_eq(e->u.wsle.why, MM_WS_SYSTEM);
    }
    mm_set_sink(m, NULL, NULL);

    /* the locked entries never leave, however hard the set is emptied */
    mm_va va = t_alloc(m, pid, 4 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t i = 0; i < 4; i++)
        cr_assert_eq(mm_write32(m, pid, va + i * PAGE_SIZE, i), STATUS_SUCCESS);
    cr_assert_eq(mm_set_ws_limits(m, pid, 0xFFFFFFFFu, 0xFFFFFFFFu), STATUS_SUCCESS);
    cr_assert_eq(mm_memory_list_command(m, MemoryEmptyWorkingSets), STATUS_SUCCESS);
    cr_assert_eq(mm_trim(m, pid, 1000), 0u);
    cr_assert_eq(ws->size, 4u, "three locked pages and the page table");
    cr_assert_eq(ws->wsle[0], 0xC0300000u | WSLE_VALID | WSLE_LOCKED_IN_WS | WSLE_DIRECT);
    cr_assert_eq(ws->wsle[1], 0xC0301000u | WSLE_VALID | WSLE_LOCKED_IN_WS | WSLE_DIRECT);
    cr_assert_eq(ws->wsle[2], 0xC0502000u | WSLE_VALID | WSLE_LOCKED_IN_WS | WSLE_DIRECT);
    t_check(m);
    mm_destroy(m);
}

Test(process, termination_gives_everything_back)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t keep = t_process(m, "keeper");
    mm_va kva = t_alloc(m, keep, PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, keep, kva, 0x4B454550u), STATUS_SUCCESS);
    uint32_t keep_active = mm_active_frames(m);
    uint32_t keep_commit = commit_total(m);

    uint32_t pid = t_process(m, "doomed");
    /* pages in every state: valid dirty, valid clean with a slot,
     * Standby, Modified, page-file, demand-zero, decommitted, reserved */
    mm_va r1 = t_alloc(m, pid, 10 * PAGE_SIZE, PAGE_READWRITE);
    mm_va r2 = alloc_at(m, pid, 0x00800000u, 3 * PAGE_SIZE, MEM_RESERVE | MEM_COMMIT);
    for (uint32_t i = 0; i < 10; i++)
        cr_assert_eq(mm_write32(m, pid, r1 + i * PAGE_SIZE, 0xD0000000u + i), STATUS_SUCCESS);
    for (uint32_t i = 0; i < 3; i++)
        cr_assert_eq(mm_write32(m, pid, r2 + i * PAGE_SIZE, 0xE0000000u + i), STATUS_SUCCESS);
    cr_assert_eq(mm_trim(m, pid, 6), 6u);
    cr_assert_eq(t_flush(m), 6u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    uint32_t v;
    for (uint32_t i = 0; i < 10; i++)
        if (pte_classify(t_pte(m, pid, r1 + i * PAGE_SIZE)) == PTE_FORM_PAGEFILE) {
            cr_assert_eq(mm_read32(m, pid, r1 + i * PAGE_SIZE, &v), STATUS_SUCCESS);
            break;
        }
    cr_assert_eq(mm_trim(m, pid, 4), 4u);
    cr_assert_geq(t_flush(m), 3u);
    cr_assert_eq(mm_trim(m, pid, 2), 2u);
    mm_va r3 = alloc_at(m, pid, 0x00C00000u, 0x10000u, MEM_RESERVE);
    alloc_at(m, pid, r3, 2 * PAGE_SIZE, MEM_COMMIT);
    mm_va d = r2;
    uint32_t size = PAGE_SIZE;
    cr_assert_eq(mm_free(m, pid, &d, &size, MEM_DECOMMIT), STATUS_SUCCESS);
    alloc_at(m, pid, 0x01000000u, 0x10000u, MEM_RESERVE);
    cr_assert_gt(pagefile_used(m), 0u);
    cr_assert_gt(list_total(m, StandbyPageList), 0u);
    cr_assert_gt(list_total(m, ModifiedPageList), 0u);
    cr_assert_gt(commit_total(m), keep_commit);
    t_check(m);

    cr_assert_eq(mm_process_terminate(m, pid), STATUS_SUCCESS);
    cr_assert_not(mm_process_exists(m, pid));
    cr_assert_null(mm_working_set(m, pid));
    cr_assert_eq(mm_active_frames(m), keep_active);
    cr_assert_eq(pagefile_used(m), 0u, "every paging-file slot it used is free");
    uint32_t pf_size = 0, pf_used = 99;
    cr_assert(mm_pagefile_usage(m, 0, &pf_size, &pf_used));
    cr_assert_eq(pf_used, 0u);
    cr_assert_eq(pf_size, 64u);
    cr_assert_eq(commit_total(m), keep_commit, "its commit charge is gone");
    cr_assert_eq(list_total(m, StandbyPageList), 0u);
    cr_assert_eq(list_total(m, ModifiedPageList), 0u);
    cr_assert_eq(list_total(m, ZeroedPageList) + list_total(m, FreePageList), 64u - keep_active);
    t_check(m);

    /* the other process did not notice */
    cr_assert_eq(mm_read32(m, keep, kva, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x4B454550u);
    cr_assert_eq(mm_process_terminate(m, keep), STATUS_SUCCESS);
    cr_assert_eq(mm_active_frames(m), 0u);
    cr_assert_eq(list_total(m, ZeroedPageList) + list_total(m, FreePageList), 64u);
    cr_assert_eq(commit_total(m), 0u);
    for (mm_pfn f = 0; f < 64; f++) {
        enum mm_list l = t_location(m, f);
        cr_assert(l == ZeroedPageList || l == FreePageList, "frame %u on %s", f, pfn_list_name(l));
    }
    t_check(m);
    mm_destroy(m);
}

Test(process, termination_frees_modified_no_write_pages)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "nowrite");
    cr_assert_eq(mm_set_modified_no_write(m, pid, true), STATUS_SUCCESS);
    mm_va va = t_alloc(m, pid, 3 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t i = 0; i < 3; i++)
        cr_assert_eq(mm_write32(m, pid, va + i * PAGE_SIZE, 1), STATUS_SUCCESS);
    cr_assert_eq(mm_trim(m, pid, 3), 3u);
    cr_assert_eq(list_total(m, ModifiedNoWritePageList), 3u);
    cr_assert_eq(t_flush(m), 0u);
    cr_assert_eq(mm_process_terminate(m, pid), STATUS_SUCCESS);
    cr_assert_eq(list_total(m, ModifiedNoWritePageList), 0u);
    cr_assert_eq(mm_active_frames(m), 0u);
    cr_assert_eq(list_total(m, ZeroedPageList) + list_total(m, FreePageList), 64u);
    t_check(m);
    mm_destroy(m);
}

Test(process, pids_are_reused_with_a_fresh_address_space)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t a = t_process(m, "a"), b = t_process(m, "b"), c = t_process(m, "c");
    cr_assert_eq(a, 1u);
    cr_assert_eq(b, 2u);
    cr_assert_eq(c, 3u);
    mm_va va = t_alloc(m, a, PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, a, va, 0xABABABABu), STATUS_SUCCESS);

    cr_assert_eq(mm_process_terminate(m, b), STATUS_SUCCESS);
    cr_assert_null(mm_process_name(m, b));
    uint32_t d = t_process(m, "d");
    cr_assert_eq(d, 2u, "the lowest free pid");
    cr_assert_str_eq(mm_process_name(m, d), "d");

    cr_assert_eq(mm_process_terminate(m, a), STATUS_SUCCESS);   /* a was current */
    t_check(m);
    uint32_t e = t_process(m, "e");
    cr_assert_eq(e, 1u);
    cr_assert_str_eq(mm_process_name(m, e), "e");
    cr_assert_null(mm_vad_next(m, e, NULL), "no VADs of the old process");
    struct mm_commit_info ci;
    cr_assert_eq(mm_commit(m, e, &ci), STATUS_SUCCESS);
    cr_assert_eq(ci.process_charge, 0u);
    cr_assert_eq(ci.process_peak, 0u);
    struct mm_counters cnt;
    cr_assert_eq(mm_counters(m, e, &cnt), STATUS_SUCCESS);
    cr_assert_eq(cnt.page_fault_count, 0u);
    cr_assert_eq(mm_working_set(m, e)->size, 3u);
    cr_assert_eq(mm_working_set(m, e)->peak, 3u);

    /* the same address in the new process is new memory */
    cr_assert_eq(t_alloc(m, e, PAGE_SIZE, PAGE_READWRITE), va);
    uint32_t v = 1;
    cr_assert_eq(mm_read32(m, e, va, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0u, "the old process's data showed through");
    t_check(m);
    mm_destroy(m);
}

Test(process, too_many_processes)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = 64;
    cfg.pagefile_pages[0] = 64;
    cfg.max_processes = 2;
    struct mm_machine *m = t_machine_cfg(&cfg);
    t_process(m, "one");
    uint32_t two = t_process(m, "two");
    uint32_t pid = 0xDEADu;
    cr_assert_eq(mm_process_create(m, "three", &pid), STATUS_INSUFFICIENT_RESOURCES);
    cr_assert_eq(pid, 0xDEADu);
    cr_assert_eq(mm_active_frames(m), 6u, "a refused process takes no frames");
    cr_assert_not(mm_process_exists(m, 3));
    cr_assert_eq(mm_process_terminate(m, two), STATUS_SUCCESS);
    cr_assert_eq(mm_process_create(m, "three", &pid), STATUS_SUCCESS);
    cr_assert_eq(pid, 2u);
    t_check(m);

    const char *why = NULL;
    cfg.max_processes = 0;
    cr_assert_null(mm_create(&cfg, &why));
    cr_assert_not_null(why);
    cfg.max_processes = MM_MAX_PROCESSES + 1;
    cr_assert_null(mm_create(&cfg, &why));
    mm_destroy(m);
}

Test(process, creation_without_memory_fails_cleanly)
{
    struct mm_machine *m = t_machine(16, 16);
    uint32_t pids[5];
    for (int i = 0; i < 5; i++)
        pids[i] = t_process(m, "p");
    cr_assert_eq(mm_active_frames(m), 15u);
    uint32_t pid = 0xDEADu;
    cr_assert_eq(mm_process_create(m, "sixth", &pid), STATUS_NO_MEMORY);
    cr_assert_eq(pid, 0xDEADu);
    cr_assert_eq(mm_active_frames(m), 15u);
    cr_assert_eq(mm_available_pages(m), 1u);
    cr_assert_not(mm_process_exists(m, 6));
    t_check(m);
    cr_assert_eq(mm_process_terminate(m, pids[2]), STATUS_SUCCESS);
    cr_assert_eq(mm_process_create(m, "sixth", &pid), STATUS_SUCCESS);
    cr_assert_eq(pid, pids[2]);
    t_check(m);
    mm_destroy(m);
}

Test(process, a_process_built_from_dirty_frames_starts_clean)
{
    struct mm_machine *m = t_machine(32, 64);
    uint32_t a = t_process(m, "dirty");
    mm_va va = t_alloc(m, a, 28 * PAGE_SIZE, PAGE_READWRITE);
    uint8_t junk[PAGE_SIZE];
    memset(junk, 0xC3, sizeof junk);
    for (uint32_t i = 0; i < 28; i++)
        cr_assert_eq(mm_write(m, a, va + i * PAGE_SIZE, junk, PAGE_SIZE), STATUS_SUCCESS);
    cr_assert_eq(list_total(m, ZeroedPageList), 0u);
    cr_assert_eq(mm_process_terminate(m, a), STATUS_SUCCESS);
    cr_assert_eq(list_total(m, FreePageList), 32u);

    uint32_t b = t_process(m, "clean");
    struct mm_walk w;
    cr_assert_eq(mm_walk(m, b, 0, &w), STATUS_SUCCESS);
    mm_pfn dir = w.directory;
    mm_pfn hyper = pte_frame(mm_phys_read32(m, dir, 0x301 * 4));
    mm_pfn wsl = pte_frame(mm_phys_read32(m, hyper, 0x102 * 4));
    uint32_t nonzero_dir = 0, nonzero_hyper = 0, nonzero_wsl = 0;
    for (uint32_t off = 0; off < PAGE_SIZE; off += 4) {
        nonzero_dir += mm_phys_read32(m, dir, off) != 0;
        nonzero_hyper += mm_phys_read32(m, hyper, off) != 0;
        nonzero_wsl += mm_phys_read32(m, wsl, off) != 0;
    }
    cr_assert_eq(nonzero_dir, 2u, "only PDEs 0x300 and 0x301");
    cr_assert_eq(nonzero_hyper, 1u, "only the list page's PTE");
    cr_assert_eq(nonzero_wsl, 0u);
    mm_va vb = t_alloc(m, b, PAGE_SIZE, PAGE_READWRITE);
    uint32_t v = 1;
    cr_assert_eq(mm_read32(m, b, vb + 40, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0u);
    t_check(m);
    mm_destroy(m);
}

static void expect_invalid_cid(struct mm_machine *m, uint32_t pid)
{
    mm_va base = 0x00010000u;
    uint32_t size = PAGE_SIZE, old = 0x1234u, v = 0x5678u;
    uint8_t buf[8] = {0};
    static uint8_t page[PAGE_SIZE];
    struct mm_walk w;
    struct mm_basic_info info;
    cr_assert_eq(mm_process_terminate(m, pid), STATUS_INVALID_CID, "terminate %u", pid);
    cr_assert_eq(mm_set_ws_limits(m, pid, 10, 20), STATUS_INVALID_CID);
    cr_assert_eq(mm_set_ws_limits(m, pid, 0xFFFFFFFFu, 0xFFFFFFFFu), STATUS_INVALID_CID);
    cr_assert_eq(mm_set_page_priority(m, pid, 1), STATUS_INVALID_CID);
    cr_assert_eq(mm_set_modified_no_write(m, pid, true), STATUS_INVALID_CID);
    cr_assert_eq(mm_allocate(m, pid, &base, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE),
                 STATUS_INVALID_CID);
    cr_assert_eq(base, 0x00010000u);
    cr_assert_eq(size, PAGE_SIZE);
    cr_assert_eq(mm_free(m, pid, &base, &size, MEM_RELEASE), STATUS_INVALID_CID);
    cr_assert_eq(mm_protect(m, pid, &base, &size, PAGE_READONLY, &old), STATUS_INVALID_CID);
    cr_assert_eq(old, 0x1234u);
    cr_assert_eq(mm_query(m, pid, base, &info), STATUS_INVALID_CID);
    cr_assert_eq(mm_read(m, pid, base, buf, 8), STATUS_INVALID_CID);
    cr_assert_eq(mm_write(m, pid, base, buf, 8), STATUS_INVALID_CID);
    cr_assert_eq(mm_execute(m, pid, base), STATUS_INVALID_CID);
    cr_assert_eq(mm_read32(m, pid, base, &v), STATUS_INVALID_CID);
    cr_assert_eq(v, 0x5678u);
    cr_assert_eq(mm_read32(m, pid, base + 1, &v), STATUS_INVALID_CID);
    cr_assert_eq(mm_write32(m, pid, base, 1), STATUS_INVALID_CID);
    cr_assert_eq(mm_write32(m, pid, base + 2, 1), STATUS_INVALID_CID);
    cr_assert_eq(mm_walk(m, pid, base, &w), STATUS_INVALID_CID);
    cr_assert_eq(mm_peek_page(m, pid, base, page), STATUS_INVALID_CID);
    cr_assert_eq(mm_trim(m, pid, 10), 0u);
    cr_assert_null(mm_working_set(m, pid));
    cr_assert_not(mm_ws_contains(m, pid, base));
    cr_assert_null(mm_vad_next(m, pid, NULL));
    cr_assert_not(mm_process_exists(m, pid));
    cr_assert_null(mm_process_name(m, pid));
    if (pid != 0) {   /* pid 0 asks for the system-wide figures */
        struct mm_commit_info ci;
        struct mm_counters c;
        cr_assert_eq(mm_commit(m, pid, &ci), STATUS_INVALID_CID);
        cr_assert_eq(mm_counters(m, pid, &c), STATUS_INVALID_CID);
    }
}

Test(process, unknown_pid_is_invalid_cid_everywhere)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t live = t_process(m, "live");
    uint32_t gone = t_process(m, "gone");
    mm_va va = t_alloc(m, live, PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, live, va, 0x11FE), STATUS_SUCCESS);
    cr_assert_eq(mm_process_terminate(m, gone), STATUS_SUCCESS);
    struct mm_counters before, after;
    mm_counters(m, 0, &before);
    uint32_t active = mm_active_frames(m);

    static const uint32_t bad[] = {0, 2, 7, 64, 65, 1000, 0xFFFFFFFFu};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_invalid_cid(m, bad[i]);

    /* nothing happened: no CR3 load, no fault, no frame */
    mm_counters(m, 0, &after);
    cr_assert_eq(after.tlb_flushes, before.tlb_flushes);
    cr_assert_eq(after.tlb_hits + after.tlb_misses, before.tlb_hits + before.tlb_misses);
    cr_assert_eq(after.page_fault_count, before.page_fault_count);
    cr_assert_eq(mm_active_frames(m), active);
    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, live, va, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x11FEu);
    t_check(m);
    mm_destroy(m);
}
