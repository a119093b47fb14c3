/*
 * test_memlist.c - the memory-list commands and query (sim/memlist.c):
 * NtSetSystemInformation / NtQuerySystemInformation with
 * SystemMemoryListInformation (class 80).
 *
 * Commands, by NT's SYSTEM_MEMORY_LIST_COMMAND number:
 *   0 MemoryCaptureAccessedBits           accessed pages' ages reset, bits kept
 *   1 MemoryCaptureAndResetAccessedBits   the same, and the bits cleared
 *   2 MemoryEmptyWorkingSets              every set down to what cannot leave
 *   3 MemoryFlushModifiedList             the modified page writer, to the end
 *   4 MemoryPurgeStandbyList              Standby -> Free, owners' PTEs to page-file form
 *   5 MemoryPurgeLowPriorityStandbyList   the same for priority 0 only
 *   6 MemoryCommandMax and above          STATUS_INVALID_PARAMETER
 */
#include <string.h>

#include "support.h"

#define RW_PROT 0x80u   /* MM_READWRITE << 5 */
#define RO_PROT 0x20u   /* MM_READONLY << 5 */

static uint32_t total(const struct mm_machine *m, enum mm_list l) { return mm_list_head(m, l)->total; }
static uint32_t standby(const struct mm_machine *m, unsigned prio) { return mm_standby_head(m, prio)->total; }

static uint8_t pattern(uint32_t seed, uint32_t page, uint32_t gen, uint32_t i)
{
    return (uint8_t)(seed * 53u + page * 17u + gen * 101u + i * 5u + (i >> 7) + 1u);
}

static void fill_gen(struct mm_machine *m, uint32_t pid, mm_va base, uint32_t from, uint32_t to,
                     uint32_t seed, uint32_t gen)
{
    static uint8_t buf[4096];
    for (uint32_t k = from; k < to; k++) {
        for (uint32_t i = 0; i < 4096; i++)
            buf[i] = pattern(seed, k, gen, i);
        cr_assert_eq(mm_write(m, pid, base + k * 4096u, buf, 4096), STATUS_SUCCESS);
    }
}

static void fill(struct mm_machine *m, uint32_t pid, mm_va base, uint32_t pages, uint32_t seed)
{
    fill_gen(m, pid, base, 0, pages, seed, 0);
}

static void expect_contents(struct mm_machine *m, uint32_t pid, mm_va base, uint32_t pages, uint32_t seed)
{
    static uint8_t buf[4096];
    for (uint32_t k = 0; k < pages; k++) {
        cr_assert_eq(mm_read(m, pid, base + k * 4096u, buf, 4096), STATUS_SUCCESS);
        for (uint32_t i = 0; i < 4096; i++)
            cr_assert_eq(buf[i], pattern(seed, k, 0, i), "page %u byte %u", k, i);
    }
}

static void touch(struct mm_machine *m, uint32_t pid, mm_va base, uint32_t from, uint32_t to)
{
    for (uint32_t k = from; k < to; k++) {
        uint32_t v;
        cr_assert_eq(mm_read32(m, pid, base + k * 4096u, &v), STATUS_SUCCESS);
    }
}

static uint32_t age_of(const struct mm_machine *m, uint32_t pid, mm_va va)
{
    const struct mm_wsl *ws = mm_working_set(m, pid);
    for (uint32_t i = ws->first_dynamic; i <= ws->last_entry; i++)
        if (wsle_valid(ws->wsle[i]) && wsle_va(ws->wsle[i]) == PAGE_ALIGN(va))
            return wsle_age(ws->wsle[i]);
    cr_assert_fail("0x%08X is not in the working set", va);
    return 99;
}

/* Dirty pages written out: they sit on Standby, their PTEs in transition. */
static void to_standby(struct mm_machine *m, uint32_t pid, mm_va base, uint32_t pages, uint32_t seed)
{
    fill(m, pid, base, pages, seed);
    cr_assert_eq(mm_set_ws_limits(m, pid, 0xFFFFFFFFu, 0xFFFFFFFFu), STATUS_SUCCESS);
    t_flush(m);
    for (uint32_t k = 0; k < pages; k++)
        cr_assert_eq(t_location(m, t_frame(m, pid, base + k * 4096u)), StandbyPageList);
}

static uint32_t frames_sum(const struct mm_machine *m)
{
    return total(m, ZeroedPageList) + total(m, FreePageList) + total(m, StandbyPageList) +
           total(m, ModifiedPageList) + total(m, ModifiedNoWritePageList) + total(m, BadPageList) +
           mm_active_frames(m);
}

/* ---- 0 and 1: accessed bits ---- */

static struct mm_machine *aged_machine(uint32_t *pid, mm_va *base)
{
    struct mm_machine *m = t_machine(256, 1024);
    *pid = t_process(m, "p");
    *base = t_alloc(m, *pid, 6 * 4096, PAGE_READWRITE);
    fill(m, *pid, *base, 6, 1);
    for (int pass = 0; pass < 3; pass++)   /* ages 0, 1, 2 */
        cr_assert_eq(mm_run_ws_manager(m), 0u);
    for (uint32_t k = 0; k < 6; k++)
        cr_assert_eq(age_of(m, *pid, *base + k * 4096u), 2u);
    touch(m, *pid, *base, 0, 3);
    return m;
}

Test(memlist, capture_accessed_bits_resets_ages_and_keeps_the_bits)
{
    uint32_t pid;
    mm_va base;
    struct mm_machine *m = aged_machine(&pid, &base);
    cr_assert_eq(mm_memory_list_command(m, 0), STATUS_SUCCESS);
    for (uint32_t k = 0; k < 6; k++) {
        mm_va va = base + k * 4096u;
        if (k < 3) {
            cr_assert_eq(age_of(m, pid, va), 0u, "page %u was accessed", k);
            cr_assert(t_pte(m, pid, va) & PTE_ACCESSED, "command 0 keeps the accessed bit");
        } else {
            cr_assert_eq(age_of(m, pid, va), 2u);
            cr_assert_not(t_pte(m, pid, va) & PTE_ACCESSED);
        }
    }
    cr_assert_eq(mm_working_set(m, pid)->size, 10u);
    t_check(m);
    mm_destroy(m);
}

Test(memlist, capture_and_reset_clears_the_accessed_bits)
{
    uint32_t pid;
    mm_va base;
    struct mm_machine *m = aged_machine(&pid, &base);
    cr_assert_eq(mm_memory_list_command(m, 1), STATUS_SUCCESS);
    for (uint32_t k = 0; k < 6; k++) {
        mm_va va = base + k * 4096u;
        cr_assert_eq(age_of(m, pid, va), k < 3 ? 0u : 2u);
        cr_assert_not(t_pte(m, pid, va) & PTE_ACCESSED, "command 1 clears the accessed bit");
        cr_assert(t_pte(m, pid, va) & PTE_VALID);
    }
    /* the next access sets the bit again (the TLB forgot the old PTE) */
    touch(m, pid, base, 5, 6);
    cr_assert(t_pte(m, pid, base + 5 * 4096u) & PTE_ACCESSED);
    cr_assert_eq(mm_working_set(m, pid)->size, 10u);
    t_check(m);
    mm_destroy(m);
}

/* ---- 2, 3, 4, 5 ---- */

Test(memlist, empty_working_sets_leaves_locked_entries_and_page_tables)
{
    struct mm_machine *m = t_machine(256, 1024);
    uint32_t dirty = t_process(m, "dirty");
    uint32_t clean = t_process(m, "clean");
    mm_va db = t_alloc(m, dirty, 10 * 4096, PAGE_READWRITE);
    mm_va cb = t_alloc(m, clean, 10 * 4096, PAGE_READWRITE);
    fill(m, dirty, db, 10, 2);
    to_standby(m, clean, cb, 10, 3);
    touch(m, clean, cb, 0, 10);   /* back in, clean */
    cr_assert_eq(total(m, StandbyPageList), 0u);

    cr_assert_eq(mm_memory_list_command(m, MemoryEmptyWorkingSets), STATUS_SUCCESS);
    uint32_t pids[2] = {dirty, clean};
    for (int i = 0; i < 2; i++) {
        const struct mm_wsl *ws = mm_working_set(m, pids[i]);
        cr_assert_eq(ws->size, 4u, "3 locked entries + 1 page table");
        for (uint32_t e = 0; e < ws->first_dynamic; e++)
            cr_assert(wsle_valid(ws->wsle[e]) && wsle_locked(ws->wsle[e]));
    }
    cr_assert_eq(mm_active_frames(m), 8u);
    cr_assert_eq(total(m, ModifiedPageList), 10u, "dirty pages go to Modified");
    cr_assert_eq(total(m, StandbyPageList), 10u, "clean pages go to Standby");
    for (uint32_t k = 0; k < 10; k++) {
        mm_pfn f = t_frame(m, dirty, db + k * 4096u);
        cr_assert_eq(t_location(m, f), ModifiedPageList);
        cr_assert_eq(t_pte(m, dirty, db + k * 4096u), (f << 12) | 0x886u);
        f = t_frame(m, clean, cb + k * 4096u);
        cr_assert_eq(t_location(m, f), StandbyPageList);
        cr_assert_eq(t_pte(m, clean, cb + k * 4096u), (f << 12) | 0x886u);
    }
    cr_assert_eq(frames_sum(m), 256u);
    t_check(m);
    mm_destroy(m);
}

Test(memlist, flush_modified_list_writes_every_page)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = 256;
    cfg.pagefile_pages[0] = 1024;
    cfg.write_cluster = 3;
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 10 * 4096, PAGE_READWRITE);
    fill(m, pid, base, 10, 4);
    cr_assert_eq(mm_memory_list_command(m, MemoryEmptyWorkingSets), STATUS_SUCCESS);
    cr_assert_eq(total(m, ModifiedPageList), 10u);
    cr_assert_eq(mm_memory_list_command(m, MemoryFlushModifiedList), STATUS_SUCCESS);
    cr_assert_eq(total(m, ModifiedPageList), 0u, "every cluster is written, not just one");
    cr_assert_eq(total(m, StandbyPageList), 10u);
    uint32_t size, used;
    cr_assert(mm_pagefile_usage(m, 0, &size, &used));
    cr_assert_eq(used, 10u);
    for (uint32_t k = 0; k < 10; k++) {
        mm_pfn f = t_frame(m, pid, base + k * 4096u);
        const struct mmpfn *p = mm_pfn_entry(m, f);
        cr_assert_eq(t_location(m, f), StandbyPageList);
        cr_assert_not(pfn_flag(p, PFN_MODIFIED));
        cr_assert_eq(p->original_pte & 0xFFFu, RW_PROT);
        cr_assert_neq(pte_pagefile_offset(p->original_pte), 0u);
    }
    t_check(m);
    mm_destroy(m);
}

Test(memlist, purge_standby_puts_exact_page_file_ptes_back)
{
    struct mm_machine *m = t_machine(256, 1024);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 8 * 4096, PAGE_READWRITE);
    fill(m, pid, base, 8, 5);
    /* one page read-only: its page-file PTE keeps that protection */
    mm_va ro = base + 7 * 4096u;
    uint32_t sz = 4096, old;
    cr_assert_eq(mm_protect(m, pid, &ro, &sz, PAGE_READONLY, &old), STATUS_SUCCESS);
    cr_assert_eq(mm_memory_list_command(m, MemoryEmptyWorkingSets), STATUS_SUCCESS);
    cr_assert_eq(mm_memory_list_command(m, MemoryFlushModifiedList), STATUS_SUCCESS);
    mm_pfn frame[8];
    uint32_t slot[8];
    for (uint32_t k = 0; k < 8; k++) {
        frame[k] = t_frame(m, pid, base + k * 4096u);
        slot[k] = pte_pagefile_offset(mm_pfn_entry(m, frame[k])->original_pte);
        cr_assert_neq(slot[k], 0u);
    }
    uint32_t free_before = total(m, FreePageList);
    struct mm_memory_list_info before;
    mm_memory_list_query(m, &before);

    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    cr_assert_eq(total(m, StandbyPageList), 0u);
    for (unsigned prio = 0; prio < MM_STANDBY_PRIORITIES; prio++)
        cr_assert_eq(standby(m, prio), 0u);
    cr_assert_eq(total(m, FreePageList), free_before + 8);
    for (uint32_t k = 0; k < 8; k++) {
        mm_pte want = (slot[k] << 12) | (k == 7 ? RO_PROT : RW_PROT);   /* file 0 */
        cr_assert_eq(t_pte(m, pid, base + k * 4096u), want, "page %u: PTE 0x%08X, want 0x%08X", k,
                     t_pte(m, pid, base + k * 4096u), want);
        cr_assert_eq(t_location(m, frame[k]), FreePageList);
        cr_assert_eq(mm_pfn_entry(m, frame[k])->original_pte, 0u);
    }
    struct mm_memory_list_info after;
    mm_memory_list_query(m, &after);
    cr_assert_eq(after.page_count_by_priority[MM_DEFAULT_PRIORITY], 0u);
    cr_assert_eq(after.free_page_count, before.free_page_count + 8);
    uint32_t size, used;
    mm_pagefile_usage(m, 0, &size, &used);
    cr_assert_eq(used, 8u, "the slots stay: they hold the only copies");
    expect_contents(m, pid, base, 8, 5);
    t_check(m);
    mm_destroy(m);
}

Test(memlist, purge_low_priority_standby_takes_only_priority_0)
{
    struct mm_machine *m = t_machine(256, 1024);
    uint32_t low = t_process(m, "low");
    uint32_t normal = t_process(m, "normal");
    cr_assert_eq(mm_set_page_priority(m, low, 0), STATUS_SUCCESS);
    mm_va lb = t_alloc(m, low, 6 * 4096, PAGE_READWRITE);
    mm_va nb = t_alloc(m, normal, 6 * 4096, PAGE_READWRITE);
    to_standby(m, low, lb, 6, 6);
    to_standby(m, normal, nb, 6, 7);
    cr_assert_eq(standby(m, 0), 6u);
    cr_assert_eq(standby(m, MM_DEFAULT_PRIORITY), 6u);
    uint32_t free_before = total(m, FreePageList);

    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeLowPriorityStandbyList), STATUS_SUCCESS);
    cr_assert_eq(standby(m, 0), 0u);
    cr_assert_eq(standby(m, MM_DEFAULT_PRIORITY), 6u);
    cr_assert_eq(total(m, StandbyPageList), 6u);
    cr_assert_eq(total(m, FreePageList), free_before + 6);
    for (uint32_t k = 0; k < 6; k++) {
        struct mm_walk w;
        mm_walk(m, low, lb + k * 4096u, &w);
        cr_assert_eq(w.form, PTE_FORM_PAGEFILE);
        cr_assert_eq(w.pte & 0xFFFu, RW_PROT);
        mm_walk(m, normal, nb + k * 4096u, &w);
        cr_assert_eq(w.form, PTE_FORM_TRANSITION);
    }
    expect_contents(m, low, lb, 6, 6);
    expect_contents(m, normal, nb, 6, 7);
    t_check(m);
    mm_destroy(m);
}

Test(memlist, unknown_commands_are_invalid_parameters)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 4 * 4096, PAGE_READWRITE);
    fill(m, pid, base, 4, 8);
    struct mm_memory_list_info before, after;
    mm_memory_list_query(m, &before);
    cr_assert_eq(mm_memory_list_command(m, MemoryCommandMax), STATUS_INVALID_PARAMETER);
    cr_assert_eq(mm_memory_list_command(m, 6), STATUS_INVALID_PARAMETER);
    cr_assert_eq(mm_memory_list_command(m, 7), STATUS_INVALID_PARAMETER);
    cr_assert_eq(mm_memory_list_command(m, 0xFFFFFFFFu), STATUS_INVALID_PARAMETER);
    mm_memory_list_query(m, &after);
    cr_assert(memcmp(&before, &after, sizeof before) == 0, "a rejected command changes nothing");
    cr_assert_eq(mm_working_set(m, pid)->size, 8u);
    static const char *const names[] = {
        "MemoryCaptureAccessedBits", "MemoryCaptureAndResetAccessedBits", "MemoryEmptyWorkingSets",
        "MemoryFlushModifiedList",   "MemoryPurgeStandbyList",            "MemoryPurgeLowPriorityStandbyList",
    };
    for (uint32_t c = 0; c < 6; c++)
        cr_assert_str_eq(mm_memory_list_command_name(c), names[c]);
    cr_assert_null(mm_memory_list_command_name(6));
    t_check(m);
    mm_destroy(m);
}

Test(memlist, query_reports_every_list)
{
    struct mm_machine *m = t_machine(128, 1024);
    uint32_t low = t_process(m, "low");
    uint32_t normal = t_process(m, "normal");
    uint32_t nowrite = t_process(m, "nowrite");
    uint32_t dirty = t_process(m, "dirty");
    cr_assert_eq(mm_set_page_priority(m, low, 0), STATUS_SUCCESS);
    cr_assert_eq(mm_set_modified_no_write(m, nowrite, true), STATUS_SUCCESS);
    mm_va lb = t_alloc(m, low, 10 * 4096, PAGE_READWRITE);
    mm_va nb = t_alloc(m, normal, 10 * 4096, PAGE_READWRITE);
    mm_va wb = t_alloc(m, nowrite, 3 * 4096, PAGE_READWRITE);
    mm_va db = t_alloc(m, dirty, 6 * 4096, PAGE_READWRITE);
    to_standby(m, low, lb, 10, 9);
    to_standby(m, normal, nb, 10, 10);
    fill(m, nowrite, wb, 3, 11);
    cr_assert_eq(mm_set_ws_limits(m, nowrite, 0xFFFFFFFFu, 0xFFFFFFFFu), STATUS_SUCCESS);
    fill(m, dirty, db, 6, 12);
    mm_va gone = db + 4 * 4096u;
    uint32_t sz = 2 * 4096;
    cr_assert_eq(mm_free(m, dirty, &gone, &sz, MEM_DECOMMIT), STATUS_SUCCESS);
    cr_assert_eq(mm_trim(m, dirty, 4), 4u);
    mm_pfn bad = mm_list_head(m, ZeroedPageList)->first;
    cr_assert_eq(mm_mark_bad(m, bad), STATUS_SUCCESS);

    struct mm_memory_list_info info;
    mm_memory_list_query(m, &info);
    cr_assert_eq(info.zero_page_count, total(m, ZeroedPageList));
    cr_assert_eq(info.free_page_count, 2u);
    cr_assert_eq(info.modified_page_count, 4u);
    cr_assert_eq(info.modified_no_write_page_count, 3u);
    cr_assert_eq(info.bad_page_count, 1u);
    cr_assert_eq(info.page_count_by_priority[0], 10u);
    cr_assert_eq(info.page_count_by_priority[MM_DEFAULT_PRIORITY], 10u);
    for (unsigned prio = 0; prio < MM_STANDBY_PRIORITIES; prio++) {
        cr_assert_eq(info.page_count_by_priority[prio], standby(m, prio));
        cr_assert_eq(info.repurposed_pages_by_priority[prio], 0u);
    }
    cr_assert_eq(info.modified_page_count_page_file, 4u, "ModifiedNoWrite pages are not bound for the paging file");
    uint64_t sum = info.zero_page_count + info.free_page_count + info.modified_page_count +
                   info.modified_no_write_page_count + info.bad_page_count + mm_active_frames(m);
    for (unsigned prio = 0; prio < MM_STANDBY_PRIORITIES; prio++)
        sum += info.page_count_by_priority[prio];
    cr_assert_eq(sum, 128u);

    /* a hungry process uses Zeroed and Free, then repurposes Standby, lowest
     * priority first: 4 pages beyond Zeroed + Free come from priority 0 */
    uint32_t eater = t_process(m, "eater");
    uint32_t zf = total(m, ZeroedPageList) + total(m, FreePageList);
    uint32_t pages = zf + 3;   /* + 1 frame for the page table */
    mm_va eb = t_alloc(m, eater, pages * 4096, PAGE_READWRITE);
    fill(m, eater, eb, pages, 13);
    mm_memory_list_query(m, &info);
    cr_assert_eq(info.repurposed_pages_by_priority[0], 4u);
    for (unsigned prio = 1; prio < MM_STANDBY_PRIORITIES; prio++)
        cr_assert_eq(info.repurposed_pages_by_priority[prio], 0u);
    cr_assert_eq(info.page_count_by_priority[0], 6u);
    cr_assert_eq(info.page_count_by_priority[MM_DEFAULT_PRIORITY], 10u);
    cr_assert_eq(info.zero_page_count, 0u);
    cr_assert_eq(info.free_page_count, 0u);
    expect_contents(m, low, lb, 10, 9);
    t_check(m);
    mm_destroy(m);
}

/* ---- The seed 000 sequence: empty, flush, purge on a busy machine ---- */

#define S0_PROCS 5
#define S0_PAGES 48

Test(memlist, seed_000_empty_flush_purge_loses_nothing, SLOW(120))
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = 192;
    cfg.pagefile_pages[0] = 4096;
    cfg.ws_minimum = 8;
    cfg.wsmgr_low = 30;
    cfg.wsmgr_plenty = 60;
    cfg.write_cluster = 8;
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t pid[S0_PROCS];
    mm_va base[S0_PROCS];
    uint32_t gen[S0_PROCS][S0_PAGES];
    memset(gen, 0, sizeof gen);
    for (uint32_t i = 0; i < S0_PROCS; i++) {
        pid[i] = t_process(m, "seed000");
        base[i] = t_alloc(m, pid[i], S0_PAGES * 4096, PAGE_READWRITE);
    }
    /* every process writes its own pattern over every page, interleaved,
     * with time passing: 5 x 52 frames do not fit in 192 */
    for (uint32_t k = 0; k < S0_PAGES; k++) {
        for (uint32_t i = 0; i < S0_PROCS; i++)
            fill_gen(m, pid[i], base[i], k, k + 1, 100 + i, 0);
        if (k % 4 == 3)
            mm_tick(m, 1);
    }
    /* the first half read again (clean once written out), the last quarter
     * written again (dirty); then trimming, aging and the working-set
     * manager under low memory fill both Standby and Modified */
    for (uint32_t i = 0; i < S0_PROCS; i++)
        touch(m, pid[i], base[i], 0, S0_PAGES / 2);
    for (uint32_t i = 0; i < S0_PROCS; i++) {
        fill_gen(m, pid[i], base[i], S0_PAGES * 3 / 4, S0_PAGES, 100 + i, 1);
        for (uint32_t k = S0_PAGES * 3 / 4; k < S0_PAGES; k++)
            gen[i][k] = 1;
    }
    for (uint32_t i = 0; i < S0_PROCS; i++)
        mm_trim(m, pid[i], 10);
    for (int pass = 0; pass < 3; pass++)
        mm_run_ws_manager(m);
    for (uint32_t i = 0; i < S0_PROCS; i++)
        touch(m, pid[i], base[i], 0, S0_PAGES / 2);
    for (uint32_t i = 0; i < S0_PROCS; i++)
        mm_trim(m, pid[i], 10);
    mm_run_ws_manager(m);
    t_check(m);
    struct mm_counters c;
    mm_counters(m, 0, &c);
    cr_assert_gt(c.pages_written, 0u, "memory was under pressure");
    cr_assert_gt(total(m, StandbyPageList), 0u);
    cr_assert_gt(total(m, ModifiedPageList), 0u);
    cr_log_info("seed 000 before the commands: zeroed %u free %u standby %u modified %u active %u",
                total(m, ZeroedPageList), total(m, FreePageList), total(m, StandbyPageList),
                total(m, ModifiedPageList), mm_active_frames(m));

    /* 2: every working set down to its 3 locked entries and 1 page table */
    cr_assert_eq(mm_memory_list_command(m, MemoryEmptyWorkingSets), STATUS_SUCCESS);
    t_check(m);
    for (uint32_t i = 0; i < S0_PROCS; i++)
        cr_assert_eq(mm_working_set(m, pid[i])->size, 4u);
    cr_assert_eq(mm_active_frames(m), S0_PROCS * 4u);
    cr_assert_eq(frames_sum(m), 192u);

    /* 3: the Modified list is written out */
    cr_assert_eq(mm_memory_list_command(m, MemoryFlushModifiedList), STATUS_SUCCESS);
    t_check(m);
    cr_assert_eq(total(m, ModifiedPageList), 0u);
    cr_assert_eq(total(m, ModifiedNoWritePageList), 0u);
    uint32_t transition = 0;
    for (uint32_t i = 0; i < S0_PROCS; i++)
        for (uint32_t k = 0; k < S0_PAGES; k++) {
            struct mm_walk w;
            mm_walk(m, pid[i], base[i] + k * 4096u, &w);
            cr_assert(w.form == PTE_FORM_TRANSITION || w.form == PTE_FORM_PAGEFILE,
                      "process %u page %u: PTE 0x%08X", i, k, w.pte);
            if (w.form == PTE_FORM_TRANSITION) {
                transition++;
                cr_assert_eq(t_location(m, pte_frame(w.pte)), StandbyPageList);
            }
        }
    cr_assert_eq(total(m, StandbyPageList), transition);

    /* 4: Standby is purged; every frame not in use is Free or Zeroed */
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    t_check(m);
    cr_assert_eq(total(m, StandbyPageList), 0u);
    cr_assert_eq(total(m, ZeroedPageList) + total(m, FreePageList) + mm_active_frames(m) +
                     total(m, BadPageList),
                 192u);
    for (uint32_t i = 0; i < S0_PROCS; i++)
        for (uint32_t k = 0; k < S0_PAGES; k++) {
            struct mm_walk w;
            mm_walk(m, pid[i], base[i] + k * 4096u, &w);
            cr_assert_eq(w.form, PTE_FORM_PAGEFILE);
            cr_assert_eq(w.pte & 0xFFFu, RW_PROT);
        }

    /* every byte every process wrote comes back from the paging file */
    struct mm_counters before, after, pbefore[S0_PROCS];
    mm_counters(m, 0, &before);
    for (uint32_t i = 0; i < S0_PROCS; i++)
        mm_counters(m, pid[i], &pbefore[i]);
    static uint8_t buf[4096];
    for (uint32_t i = 0; i < S0_PROCS; i++)
        for (uint32_t k = 0; k < S0_PAGES; k++) {
            cr_assert_eq(mm_read(m, pid[i], base[i] + k * 4096u, buf, 4096), STATUS_SUCCESS);
            for (uint32_t b = 0; b < 4096; b++)
                cr_assert_eq(buf[b], pattern(100 + i, k, gen[i][k], b), "process %u page %u byte %u", i, k, b);
        }
    mm_counters(m, 0, &after);
    cr_assert_eq(after.faults[MM_FAULT_PAGE_FILE] - before.faults[MM_FAULT_PAGE_FILE],
                 (uint64_t)S0_PROCS * S0_PAGES, "one hard fault per page");
    cr_assert_eq(after.faults[MM_FAULT_DEMAND_ZERO], before.faults[MM_FAULT_DEMAND_ZERO]);
    for (uint32_t i = 0; i < S0_PROCS; i++) {
        struct mm_counters pc;
        mm_counters(m, pid[i], &pc);
        cr_assert_eq(pc.faults[MM_FAULT_PAGE_FILE] - pbefore[i].faults[MM_FAULT_PAGE_FILE], (uint64_t)S0_PAGES);
    }
    t_check(m);
    mm_destroy(m);
}
