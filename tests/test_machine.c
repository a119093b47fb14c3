/*
 * test_machine.c - building a machine, its configuration, time,
 * determinism and the names of things (sim/machine.c, sim/config.c,
 * sim/status.c, sim/event.c).
 */
#include <string.h>

#include "support.h"

/* ---- mm_config_check and mm_create ---- */

static void expect_rejected(const struct mm_config *cfg, const char *names)
{
    const char *why = mm_config_check(cfg);
    cr_assert_not_null(why, "configuration accepted; expected a complaint about %s", names);
    cr_assert_not_null(strstr(why, names), "message \"%s\" does not name %s", why, names);
    const char *create_why = NULL;
    struct mm_machine *m = mm_create(cfg, &create_why);
    cr_assert_null(m);
    cr_assert_not_null(create_why);
    cr_assert_str_eq(create_why, why);
    cr_assert_null(mm_create(cfg, NULL), "a NULL why is allowed");
}

static struct mm_config base_config(void)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = 64;
    cfg.pagefile_pages[0] = 64;
    return cfg;
}

/* The defaults NT derives from the memory size, and mmsim's scaling on
 * machines too small for NT's values. */
static void expect_sized(uint32_t frames, enum mm_system_size size, uint32_t min, uint32_t max, uint32_t low,
                         uint32_t plenty, uint32_t mpw, uint32_t zero)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    mm_config_for_memory(&cfg, frames);
    cr_assert_null(mm_config_check(&cfg), "%u frames", frames);
    cr_assert_eq(mm_system_size(frames), size, "%u frames: %s", frames, mm_system_size_name(mm_system_size(frames)));
    cr_assert_eq(cfg.frames, frames);
    cr_assert_eq(cfg.ws_minimum, min, "%u frames: minimum %u", frames, cfg.ws_minimum);
    cr_assert_eq(cfg.ws_maximum, max, "%u frames: maximum %u", frames, cfg.ws_maximum);
    cr_assert_eq(cfg.wsmgr_low, low, "%u frames: MmMinimumFreePages %u", frames, cfg.wsmgr_low);
    cr_assert_eq(cfg.wsmgr_plenty, plenty, "%u frames: MmPlentyFreePages %u", frames, cfg.wsmgr_plenty);
    cr_assert_eq(cfg.mpw_threshold, mpw, "%u frames: writer threshold %u", frames, cfg.mpw_threshold);
    cr_assert_eq(cfg.zero_threshold, zero, "%u frames: MmMinimumFreePagesToZero %u", frames, cfg.zero_threshold);
}

Test(machine, defaults_follow_the_memory_size_as_nt_does)
{
    expect_sized(4096, MmSmallSystem, 20, 45, 26, 400, 100, 8);      /* 16 MiB */
    expect_sized(4863, MmSmallSystem, 20, 45, 26, 400, 100, 8);      /* just under 19 MB */
    expect_sized(4864, MmMediumSystem, 30, 145, 26, 400, 150, 8);    /* 19 MB */
    expect_sized(8191, MmMediumSystem, 30, 145, 26, 400, 150, 8);
    expect_sized(8192, MmLargeSystem, 50, 345, 26, 400, 300, 8);     /* 32 MB */
    expect_sized(8449, MmLargeSystem, 50, 345, 26, 400, 600, 8);     /* above 33 MB */
    expect_sized(16128, MmLargeSystem, 50, 345, 26, 800, 600, 8);    /* 63 MB: MmPlentyFreePages doubles */
    expect_sized(1048576, MmLargeSystem, 50, 345, 26, 800, 600, 8);
    /* too small for NT's values: scaled so each can exist on the machine */
    expect_sized(64, MmSmallSystem, 20, 45, 8, 16, 16, 8);
    expect_sized(32, MmSmallSystem, 12, 24, 4, 8, 8, 8);
    expect_sized(16, MmSmallSystem, 6, 12, 2, 4, 4, 8);
}

Test(machine, defaults_are_nt_values)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cr_assert_null(mm_config_check(&cfg));
    cr_assert_eq(cfg.frames, 4096u);
    cr_assert_eq(cfg.ws_minimum, 20u, "a 16 MiB machine is small: 20/45");
    cr_assert_eq(cfg.ws_maximum, 45u);
    cr_assert_eq(cfg.zero_threshold, 8u);
    cr_assert_eq(cfg.wsmgr_low, 26u);
    cr_assert_eq(cfg.wsmgr_plenty, 400u);
    cr_assert_eq(cfg.pagefile_count, 1u);
    cr_assert_not(cfg.nx, "plain i386: no no-execute bit");
    struct mm_machine *m = t_machine_cfg(&cfg);
    const struct mm_config *got = mm_get_config(m);
    cr_assert(memcmp(got, &cfg, sizeof cfg) == 0, "mm_get_config returns the configuration given");
    cr_assert_eq(mm_frame_count(m), cfg.frames);
    t_check(m);
    mm_destroy(m);
}

Test(machine, frames_out_of_range)
{
    struct mm_config cfg = base_config();
    cfg.frames = 15;
    expect_rejected(&cfg, "frames");
    cfg.frames = 1048577;
    expect_rejected(&cfg, "frames");
    cfg.frames = 0;
    expect_rejected(&cfg, "frames");
    cfg.frames = 16;
    struct mm_machine *m = t_machine_cfg(&cfg);
    cr_assert_eq(mm_frame_count(m), 16u);
    t_check(m);
    mm_destroy(m);
}

Test(machine, paging_file_count_out_of_range)
{
    struct mm_config cfg = base_config();
    cfg.pagefile_count = 0;
    expect_rejected(&cfg, "paging files");
    cfg.pagefile_count = 17;
    expect_rejected(&cfg, "paging files");
    cfg.pagefile_count = 16;
    for (int i = 0; i < 16; i++)
        cfg.pagefile_pages[i] = 2;
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t size, used;
    cr_assert(mm_pagefile_usage(m, 15, &size, &used));
    cr_assert_eq(size, 2u);
    cr_assert_eq(used, 0u);
    cr_assert_not(mm_pagefile_usage(m, 16, &size, &used));
    t_check(m);
    mm_destroy(m);
}

Test(machine, paging_file_size_out_of_range)
{
    struct mm_config cfg = base_config();
    cfg.pagefile_pages[0] = 1;   /* slot 0 is reserved: nothing would be left */
    expect_rejected(&cfg, "paging file");
    cfg.pagefile_pages[0] = 0;
    expect_rejected(&cfg, "paging file");
    cfg.pagefile_pages[0] = 1048577;
    expect_rejected(&cfg, "paging file");
    cfg.pagefile_pages[0] = 64;
    cfg.pagefile_count = 2;
    cfg.pagefile_pages[1] = 1;   /* the second one too */
    expect_rejected(&cfg, "paging file");
    cfg.pagefile_pages[1] = 2;
    struct mm_machine *m = t_machine_cfg(&cfg);
    struct mm_commit_info ci;
    cr_assert_eq(mm_commit(m, 0, &ci), STATUS_SUCCESS);
    cr_assert_eq(ci.limit, 64u + 63u + 1u, "commit limit = frames + usable paging-file slots");
    t_check(m);
    mm_destroy(m);
}

Test(machine, working_set_limits_out_of_range)
{
    struct mm_config cfg = base_config();
    cfg.ws_minimum = 60;
    cfg.ws_maximum = 59;
    expect_rejected(&cfg, "working-set minimum");
    cfg.ws_minimum = 0;
    cfg.ws_maximum = 10;
    expect_rejected(&cfg, "working-set minimum");
    cfg.ws_minimum = 60;
    cfg.ws_maximum = 60;
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t pid = t_process(m, "p");
    cr_assert_eq(mm_working_set(m, pid)->minimum, 60u);
    cr_assert_eq(mm_working_set(m, pid)->maximum, 60u);
    t_check(m);
    mm_destroy(m);
}

Test(machine, tlb_must_be_a_power_of_two)
{
    struct mm_config cfg = base_config();
    const uint32_t bad[] = {0, 3, 48, 100, 8192};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cfg.tlb_entries = bad[i];
        expect_rejected(&cfg, "TLB");
    }
    cfg.tlb_entries = 1;
    cr_assert_null(mm_config_check(&cfg));
    cfg.tlb_entries = 4096;
    struct mm_machine *m = t_machine_cfg(&cfg);
    t_check(m);
    mm_destroy(m);
}

Test(machine, clusters_out_of_range)
{
    struct mm_config cfg = base_config();
    cfg.read_cluster = 16;
    expect_rejected(&cfg, "read cluster");
    cfg.read_cluster = 15;
    cr_assert_null(mm_config_check(&cfg));
    cfg.write_cluster = 0;
    expect_rejected(&cfg, "write cluster");
    cfg.write_cluster = 17;
    expect_rejected(&cfg, "write cluster");
    cfg.write_cluster = 1;
    cr_assert_null(mm_config_check(&cfg));
    cfg.write_cluster = 16;
    struct mm_machine *m = t_machine_cfg(&cfg);
    t_check(m);
    mm_destroy(m);
}

Test(machine, max_processes_out_of_range)
{
    struct mm_config cfg = base_config();
    cfg.max_processes = 0;
    expect_rejected(&cfg, "max_processes");
    cfg.max_processes = 257;
    expect_rejected(&cfg, "max_processes");
    cfg.max_processes = 2;
    struct mm_machine *m = t_machine_cfg(&cfg);
    t_process(m, "one");
    t_process(m, "two");
    uint32_t pid = 0;
    cr_assert_eq(mm_process_create(m, "three", &pid), STATUS_INSUFFICIENT_RESOURCES);
    t_check(m);
    mm_destroy(m);
}

Test(machine, policy_out_of_range)
{
    struct mm_config cfg = base_config();
    cfg.policy = MM_POLICY_COUNT;
    expect_rejected(&cfg, "policy");
    cfg.policy = MM_POLICY_LRU;
    struct mm_machine *m = t_machine_cfg(&cfg);
    t_check(m);
    mm_destroy(m);
}

/* ---- A fresh machine and time ---- */

Test(machine, fresh_machine_has_every_frame_zeroed)
{
    struct mm_machine *m = t_machine(64, 64);
    cr_assert_eq(mm_list_head(m, ZeroedPageList)->total, 64u);
    for (unsigned l = FreePageList; l <= BadPageList; l++)
        cr_assert_eq(mm_list_head(m, (enum mm_list)l)->total, 0u, "%s list", pfn_list_name((enum mm_list)l));
    cr_assert_eq(mm_active_frames(m), 0u);
    cr_assert_eq(mm_available_pages(m), 64u);
    for (mm_pfn f = 0; f < 64; f++)
        cr_assert_eq(t_location(m, f), ZeroedPageList);
    cr_assert_null(mm_pfn_entry(m, 64));
    cr_assert_eq(mm_now(m), 0u);
    t_check(m);
    mm_destroy(m);
}

Test(machine, tick_advances_time)
{
    struct mm_machine *m = t_machine(64, 64);
    cr_assert_eq(mm_now(m), 0u);
    mm_tick(m, 1);
    cr_assert_eq(mm_now(m), 1u);
    mm_tick(m, 10);
    cr_assert_eq(mm_now(m), 11u);
    mm_tick(m, 0);
    cr_assert_eq(mm_now(m), 11u);
    t_check(m);
    mm_destroy(m);
}

Test(machine, four_gib_machine_builds_with_every_frame_zeroed, SLOW(120))
{
    struct mm_machine *m = t_machine(MM_MAX_FRAMES, 1024);
    cr_assert_eq(mm_frame_count(m), 1048576u);
    cr_assert_eq(mm_list_head(m, ZeroedPageList)->total, 1048576u);
    cr_assert_eq(mm_list_head(m, ZeroedPageList)->first, 0u);
    cr_assert_eq(mm_list_head(m, ZeroedPageList)->last, 1048575u);
    cr_assert_eq(mm_active_frames(m), 0u);
    for (mm_pfn f = 0; f < MM_MAX_FRAMES; f += 4099)
        cr_assert_eq(t_location(m, f), ZeroedPageList);
    cr_assert_eq(t_location(m, 1048575u), ZeroedPageList);
    struct mm_counters c;
    mm_counters(m, 0, &c);
    cr_assert_eq(c.host_frames_materialized, 0u, "no frame costs host memory until written");
    uint32_t pid = t_process(m, "big");
    mm_va va = t_alloc(m, pid, 4 * 4096, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, va + 4096, 0xABCD1234u), STATUS_SUCCESS);
    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, pid, va + 4096, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0xABCD1234u);
    cr_assert_eq(mm_available_pages(m), 1048576u - 5u);
    t_check(m);
    mm_destroy(m);
}

/* ---- Determinism ---- */

#define DET_PROCS 3
#define DET_PAGES 24

/* A fixed script driven by a seeded generator: faults of every kind, the
 * system threads, memory-list commands, protection and decommit. */
static void drive(struct mm_machine *m, uint64_t seed)
{
    struct t_rng rng = {seed};
    uint32_t pid[DET_PROCS];
    mm_va base[DET_PROCS];
    for (int i = 0; i < DET_PROCS; i++) {
        pid[i] = t_process(m, "det");
        base[i] = t_alloc(m, pid[i], DET_PAGES * 4096, PAGE_READWRITE);
    }
    cr_assert_eq(mm_set_page_priority(m, pid[1], 1), STATUS_SUCCESS);
    /* a mapped file every process maps: two write it in place, one copies on write */
    uint32_t file, sec;
    cr_assert_eq(mm_file_create(m, "det.dat", 8, &file), STATUS_SUCCESS);
    struct mm_section_params sp = {.name = "det", .file = file, .protection = PAGE_READWRITE};
    cr_assert_eq(mm_create_section(m, &sp, &sec), STATUS_SUCCESS);
    mm_va view[DET_PROCS];
    for (int i = 0; i < DET_PROCS; i++) {
        uint32_t pages = 0;
        view[i] = 0;
        cr_assert_eq(mm_map_view(m, pid[i], sec, &view[i], 0, &pages, i == 2 ? PAGE_WRITECOPY : PAGE_READWRITE),
                     STATUS_SUCCESS);
    }
    for (int step = 0; step < 1500; step++) {
        int i = (int)t_below(&rng, DET_PROCS);
        mm_va va = base[i] + t_below(&rng, DET_PAGES) * 4096u + t_below(&rng, 1024) * 4u;
        mm_va acc = t_below(&rng, 4) ? va : view[i] + t_below(&rng, 8) * 4096u + t_below(&rng, 1024) * 4u;
        uint32_t pick = t_below(&rng, 100), v = 0;
        if (pick < 2) {
            uint32_t written;
            cr_assert_eq(mm_flush_view(m, pid[i], view[i], 8 * 4096u, &written), STATUS_SUCCESS);
        } else if (pick < 40)
            cr_assert_eq(mm_write32(m, pid[i], acc, t_rand(&rng)), STATUS_SUCCESS);
        else if (pick < 70)
            cr_assert_eq(mm_read32(m, pid[i], acc, &v), STATUS_SUCCESS);
        else if (pick < 78)
            mm_trim(m, pid[i], 1 + t_below(&rng, 6));
        else if (pick < 86)
            mm_tick(m, 1 + t_below(&rng, 3));
        else if (pick < 90)
            t_flush(m);
        else if (pick < 92)
            mm_run_zero_thread(m);
        else if (pick < 94)
            mm_run_ws_manager(m);
        else if (pick < 97)
            cr_assert_eq(mm_memory_list_command(m, t_below(&rng, MemoryCommandMax)), STATUS_SUCCESS);
        else if (pick < 98) {
            mm_va b = PAGE_ALIGN(va);
            uint32_t size = 4096;
            cr_assert_eq(mm_free(m, pid[i], &b, &size, MEM_DECOMMIT), STATUS_SUCCESS);
            b = PAGE_ALIGN(va);
            size = 4096;
            cr_assert_eq(mm_allocate(m, pid[i], &b, &size, MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
        } else {
            mm_va b = PAGE_ALIGN(va);
            uint32_t size = 4096, old;
            cr_assert_eq(mm_protect(m, pid[i], &b, &size, PAGE_READWRITE, &old), STATUS_SUCCESS);
        }
    }
}

static struct mm_machine *det_machine(void)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = 48;
    cfg.pagefile_pages[0] = 512;
    cfg.ws_minimum = 4;
    cfg.ws_maximum = 20;
    cfg.write_cluster = 4;
    cfg.read_cluster = 2;
    cfg.mpw_threshold = 8;
    cfg.wsmgr_low = 10;
    cfg.wsmgr_plenty = 16;
    cfg.tlb_entries = 8;
    return t_machine_cfg(&cfg);
}

static void expect_same_state(const struct mm_machine *a, const struct mm_machine *b)
{
    for (unsigned l = ZeroedPageList; l <= BadPageList; l++)
        cr_assert_eq(mm_list_head(a, (enum mm_list)l)->total, mm_list_head(b, (enum mm_list)l)->total);
    for (unsigned prio = 0; prio < MM_STANDBY_PRIORITIES; prio++)
        cr_assert_eq(mm_standby_head(a, prio)->total, mm_standby_head(b, prio)->total);
    cr_assert_eq(mm_active_frames(a), mm_active_frames(b));
    cr_assert(memcmp(mm_pfn_entry(a, 0), mm_pfn_entry(b, 0), mm_frame_count(a) * sizeof(struct mmpfn)) == 0,
              "the PFN databases differ");
    for (mm_pfn f = 0; f < mm_frame_count(a); f++)
        for (uint32_t off = 0; off < 4096; off += 4)
            cr_assert_eq(mm_phys_read32(a, f, off), mm_phys_read32(b, f, off));
    struct mm_counters ca, cb;
    mm_counters(a, 0, &ca);
    mm_counters(b, 0, &cb);
    cr_assert(memcmp(&ca, &cb, sizeof ca) == 0, "the counters differ");
    struct mm_memory_list_info ia, ib;
    mm_memory_list_query(a, &ia);
    mm_memory_list_query(b, &ib);
    cr_assert(memcmp(&ia, &ib, sizeof ia) == 0);
    for (uint32_t pid = 1; pid <= DET_PROCS; pid++)
        cr_assert_eq(mm_working_set(a, pid)->size, mm_working_set(b, pid)->size);
    cr_assert_eq(mm_now(a), mm_now(b));
}

static struct t_events rec_a, rec_b;

Test(machine, same_calls_give_the_same_events_and_state, SLOW(120))
{
    struct mm_machine *a = det_machine();
    struct mm_machine *b = det_machine();
    t_record(a, &rec_a);
    t_record(b, &rec_b);
    drive(a, 0x5EED0000ull);
    drive(b, 0x5EED0000ull);
    cr_assert_lt(rec_a.count, (uint32_t)T_MAX_EVENTS, "the recorder overflowed");
    cr_assert_gt(rec_a.count, 1000u);
    cr_assert_eq(rec_a.count, rec_b.count);
    cr_assert(memcmp(rec_a.ev, rec_b.ev, rec_a.count * sizeof rec_a.ev[0]) == 0,
              "the event streams differ byte for byte");
    for (uint32_t i = 0; i < rec_a.count; i++)
        cr_assert_eq(rec_a.ev[i].seq, (uint64_t)i + 1, "event %u carries seq %llu", i,
                     (unsigned long long)rec_a.ev[i].seq);
    /* every kind of event happened */
    for (unsigned k = 0; k < MM_EV_KIND_COUNT; k++)
        cr_assert_gt(t_count(&rec_a, (enum mm_event_kind)k), 0u, "no %s event", mm_event_kind_name((enum mm_event_kind)k));
    struct mm_counters c;
    mm_counters(a, 0, &c);
    cr_assert_gt(c.faults[MM_FAULT_PAGE_FILE], 0u);
    cr_assert_gt(c.faults[MM_FAULT_TRANSITION], 0u);
    expect_same_state(a, b);
    mm_set_sink(a, NULL, NULL);
    mm_set_sink(b, NULL, NULL);
    t_check(a);
    t_check(b);
    mm_destroy(a);
    mm_destroy(b);
}

Test(machine, no_sink_gives_the_same_state, SLOW(120))
{
    struct mm_machine *a = det_machine();
    struct mm_machine *b = det_machine();
    t_record(a, &rec_a);
    drive(a, 0x5EED0007ull);
    drive(b, 0x5EED0007ull);
    expect_same_state(a, b);
    mm_set_sink(a, NULL, NULL);
    t_check(a);
    t_check(b);
    mm_destroy(a);
    mm_destroy(b);
}

Test(machine, a_different_seed_gives_a_different_run)
{
    /* guards the two tests above against a script that does nothing */
    struct mm_machine *a = det_machine();
    struct mm_machine *b = det_machine();
    t_record(a, &rec_a);
    t_record(b, &rec_b);
    drive(a, 1);
    drive(b, 2);
    cr_assert(rec_a.count != rec_b.count ||
              memcmp(rec_a.ev, rec_b.ev, rec_a.count * sizeof rec_a.ev[0]) != 0);
    mm_set_sink(a, NULL, NULL);
    mm_set_sink(b, NULL, NULL);
    t_check(a);
    t_check(b);
    mm_destroy(a);
    mm_destroy(b);
}

/* ---- Names ---- */

static void expect_names(const char *(*name)(int), int count, const char *what)
{
    for (int i = 0; i < count; i++) {
        const char *n = name(i);
        cr_assert_not_null(n, "%s %d has no name", what, i);
        cr_assert(n[0] != '\0' && strcmp(n, "?") != 0, "%s %d has no name", what, i);
        for (int j = 0; j < i; j++)
            cr_assert_str_neq(n, name(j), "%s %d and %d share the name %s", what, i, j, n);
    }
    cr_assert_str_eq(name(count), "?", "%s %d is out of range", what, count);
    cr_assert_str_eq(name(-1), "?");
}

static const char *fault_kind(int i) { return mm_fault_kind_name((enum mm_fault_kind)i); }
static const char *av_reason(int i) { return mm_av_reason_name((enum mm_av_reason)i); }
static const char *thread(int i) { return mm_thread_name((enum mm_thread)i); }
static const char *event_kind(int i) { return mm_event_kind_name((enum mm_event_kind)i); }
static const char *ws_reason(int i) { return mm_ws_reason_name((enum mm_ws_reason)i); }
static const char *access_kind(int i) { return mm_access_name((enum mm_access_kind)i); }
static const char *list(int i) { return pfn_list_name((enum mm_list)i); }
static const char *move_reason(int i) { return pfn_move_reason_name((enum mm_move_reason)i); }
static const char *pte_form(int i) { return pte_form_name((enum pte_form)i); }

Test(machine, every_value_has_a_name)
{
    expect_names(fault_kind, MM_FAULT_KIND_COUNT, "fault kind");
    expect_names(av_reason, MM_AV_REASON_COUNT, "access-violation reason");
    expect_names(thread, MM_THREAD_COUNT, "thread");
    expect_names(event_kind, MM_EV_KIND_COUNT, "event kind");
    expect_names(ws_reason, MM_WS_REASON_COUNT, "working-set reason");
    expect_names(access_kind, 3, "access");
    expect_names(list, MM_LIST_COUNT, "list");
    expect_names(move_reason, MOVE_REASON_COUNT, "move reason");
    expect_names(pte_form, PTE_FORM_DECOMMITTED + 1, "PTE form");
    struct mm_machine *m = t_machine(16, 16);
    t_check(m);
    mm_destroy(m);
}

Test(machine, status_names_round_trip)
{
    static const mm_status known[] = {
        STATUS_SUCCESS,           STATUS_GUARD_PAGE_VIOLATION, STATUS_INVALID_INFO_CLASS,
        STATUS_ACCESS_VIOLATION,  STATUS_IN_PAGE_ERROR,        STATUS_INVALID_CID,
        STATUS_INVALID_PARAMETER, STATUS_NO_MEMORY,            STATUS_CONFLICTING_ADDRESSES,
        STATUS_UNABLE_TO_FREE_VM, STATUS_ALREADY_COMMITTED,    STATUS_ACCESS_DENIED,
        STATUS_NOT_COMMITTED,     STATUS_INVALID_PAGE_PROTECTION, STATUS_PRIVILEGE_NOT_HELD,
        STATUS_FREE_VM_NOT_AT_BASE, STATUS_MEMORY_NOT_ALLOCATED, STATUS_INSUFFICIENT_RESOURCES,
        STATUS_COMMITMENT_LIMIT,
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        const char *name = mm_status_name(known[i]);
        cr_assert_not_null(name, "0x%08X has no name", known[i]);
        cr_assert_eq(strncmp(name, "STATUS_", 7), 0, "%s", name);
        mm_status back = 0xFFFFFFFFu;
        cr_assert(mm_status_from_name(name, &back), "%s", name);
        cr_assert_eq(back, known[i], "%s", name);
        back = 0xFFFFFFFFu;
        cr_assert(mm_status_from_name(name + 7, &back), "%s without the prefix", name);
        cr_assert_eq(back, known[i]);
    }
    cr_assert_str_eq(mm_status_name(0xC0000005u), "STATUS_ACCESS_VIOLATION");
    cr_assert_str_eq(mm_status_name(0xC000012Du), "STATUS_COMMITMENT_LIMIT");
    cr_assert_str_eq(mm_status_name(0x80000001u), "STATUS_GUARD_PAGE_VIOLATION");
    cr_assert_null(mm_status_name(0xC0000001u));
    mm_status out = 0x1234u;
    cr_assert_not(mm_status_from_name("STATUS_NOT_A_STATUS", &out));
    cr_assert_not(mm_status_from_name("", &out));
    cr_assert_eq(out, 0x1234u, "an unknown name leaves the output alone");
    cr_assert(mm_success(STATUS_SUCCESS));
    cr_assert(mm_success(0x40000000u));
    cr_assert_not(mm_success(STATUS_GUARD_PAGE_VIOLATION));
    cr_assert_not(mm_success(STATUS_ACCESS_VIOLATION));
    struct mm_machine *m = t_machine(16, 16);
    t_check(m);
    mm_destroy(m);
}
