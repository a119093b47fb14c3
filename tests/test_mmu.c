/*
 * test_mmu.c - accesses through the simulated MMU: bytes move across page
 * boundaries, an access stops at the first page that fails, the hardware
 * sets Accessed and Dirty, and mm_peek_page sees without touching.
 */
#include <string.h>

#include "support.h"

Test(mmu, read_write_across_pages)
{
    struct mm_machine *m = t_machine(256, 512);
    uint32_t pid = t_process(m, "a");
    mm_va base = t_alloc(m, pid, 3 * 4096, PAGE_READWRITE);
    char msg[6000], back[6000];
    for (unsigned i = 0; i < sizeof msg; i++)
        msg[i] = (char)('a' + i % 26);
    cr_assert_eq(mm_write(m, pid, base + 4000, msg, sizeof msg), STATUS_SUCCESS);
    cr_assert_eq(mm_read(m, pid, base + 4000, back, sizeof back), STATUS_SUCCESS);
    cr_assert(memcmp(msg, back, sizeof msg) == 0);
    /* the bytes landed in two frames: 96 in the first page, the rest after */
    uint8_t page[4096];
    cr_assert_eq(mm_peek_page(m, pid, base, page), STATUS_SUCCESS);
    cr_assert(memcmp(page + 4000, msg, 96) == 0);
    cr_assert_eq(mm_peek_page(m, pid, base + 4096, page), STATUS_SUCCESS);
    cr_assert(memcmp(page, msg + 96, 4096) == 0);
    t_check(m);
    mm_destroy(m);
}

Test(mmu, unaligned_32_bit_access_spans_pages)
{
    struct mm_machine *m = t_machine(256, 512);
    uint32_t pid = t_process(m, "a");
    mm_va base = t_alloc(m, pid, 2 * 4096, PAGE_READWRITE);
    uint32_t v = 0;
    cr_assert_eq(mm_write32(m, pid, base + 4094, 0xA1B2C3D4u), STATUS_SUCCESS);
    cr_assert_eq(mm_read32(m, pid, base + 4094, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0xA1B2C3D4u);
    uint8_t b = 0;
    cr_assert_eq(mm_read(m, pid, base + 4096, &b, 1), STATUS_SUCCESS);
    cr_assert_eq(b, 0xB2, "little-endian: the high half lives in the second page");
    t_check(m);
    mm_destroy(m);
}

Test(mmu, access_stops_at_the_first_failing_page)
{
    struct mm_machine *m = t_machine(256, 512);
    uint32_t pid = t_process(m, "a");
    mm_va base = 0x00400000;
    uint32_t size = 2 * 4096;
    cr_assert_eq(mm_allocate(m, pid, &base, &size, MEM_RESERVE, PAGE_READWRITE), STATUS_SUCCESS);
    mm_va one = base;
    uint32_t page = 4096;
    cr_assert_eq(mm_allocate(m, pid, &one, &page, MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    uint8_t buf[8192];
    memset(buf, 0x5A, sizeof buf);
    cr_assert_eq(mm_write(m, pid, base, buf, sizeof buf), STATUS_ACCESS_VIOLATION);
    cr_assert_eq(mm_last_fault(m)->av, MM_AV_NOT_COMMITTED);
    cr_assert_eq(mm_last_fault(m)->va, base + 4096);
    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, pid, base + 4092, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x5A5A5A5Au, "the first page was written before the fault");
    t_check(m);
    mm_destroy(m);
}

Test(mmu, hardware_sets_dirty_on_a_clean_page)
{
    struct mm_machine *m = t_machine(256, 512);
    uint32_t pid = t_process(m, "a");
    mm_va base = t_alloc(m, pid, 4096, PAGE_READWRITE);
    uint32_t v;
    cr_assert_eq(mm_read32(m, pid, base, &v), STATUS_SUCCESS);
    cr_assert_eq(t_pte(m, pid, base) & 0xFFFu, 0x067u,
                 "a demand-zero read of a writable page: Valid|Write|Owner|Accessed|Dirty");
    cr_assert_eq(mm_write32(m, pid, base, 7), STATUS_SUCCESS);
    /* written out and read back, the page is clean: the processor sets Dirty */
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(t_flush(m), 1u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    cr_assert_eq(mm_read32(m, pid, base, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 7u);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_PAGE_FILE);
    cr_assert_eq(t_pte(m, pid, base) & 0xFFFu, 0x027u, "read back: Valid|Write|Owner|Accessed, clean");
    static struct t_events rec;
    t_record(m, &rec);
    cr_assert_eq(mm_write32(m, pid, base, 8), STATUS_SUCCESS);
    mm_set_sink(m, NULL, NULL);
    cr_assert_eq(t_pte(m, pid, base) & 0xFFFu, 0x067u, "Valid|Write|Owner|Accessed|Dirty");
    const struct mm_event *e = t_find(&rec, MM_EV_PTE, 0);
    cr_assert_not_null(e);
    cr_assert(e->u.pte.by_hardware, "the processor set it, no fault");
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_NONE);
    t_check(m);
    mm_destroy(m);
}

/* Aging clears the Accessed bit of a page table that maps nothing
 * resident, in its PDE; the walk that follows the fault bringing a page
 * of that table back sets it again, as the processor does. (Every other
 * path makes a PDE with Accessed already set.) */
Test(mmu, the_walk_sets_accessed_in_a_pde_that_aging_cleared)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    mm_config_for_memory(&cfg, 64);
    cfg.policy = MM_POLICY_AGING;
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t pid = t_process(m, "a");
    mm_va base = t_alloc(m, pid, 4096, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, base, 7), STATUS_SUCCESS);
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(t_flush(m), 1u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    mm_run_ws_manager(m);
    struct mm_walk w;
    cr_assert_eq(mm_walk(m, pid, base, &w), STATUS_SUCCESS);
    cr_assert(w.pde_valid && !(w.pde & PTE_ACCESSED), "aging cleared the table's Accessed bit: PDE 0x%08X", w.pde);
    uint32_t v;
    cr_assert_eq(mm_read32(m, pid, base, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 7u);
    cr_assert_eq(mm_walk(m, pid, base, &w), STATUS_SUCCESS);
    cr_assert(w.pde & PTE_ACCESSED, "the walk set it again: PDE 0x%08X", w.pde);
    t_check(m);
    mm_destroy(m);
}

/* ---- Precise faults: an access that faults moves no byte ---- */

Test(mmu, write_straddling_into_an_uncommitted_page_stores_nothing)
{
    struct mm_machine *m = t_machine(256, 512);
    uint32_t pid = t_process(m, "a");
    mm_va base = 0x10000, at = base;
    uint32_t size = 0x10000, page = 4096;
    cr_assert_eq(mm_allocate(m, pid, &at, &size, MEM_RESERVE, PAGE_READWRITE), STATUS_SUCCESS);
    at = base;
    cr_assert_eq(mm_allocate(m, pid, &at, &page, MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    cr_assert_eq(mm_write32(m, pid, base + 0xFFE, 0xA1B2C3D4u), STATUS_ACCESS_VIOLATION);
    cr_assert_eq(mm_last_fault(m)->va, base + 0x1000, "the second page refused");
    cr_assert_eq(mm_last_fault(m)->av, MM_AV_NOT_COMMITTED);
    uint32_t v = 0xFFFFFFFFu;
    cr_assert_eq(mm_read32(m, pid, base + 0xFFC, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0u, "no byte was stored (0x%08X)", v);
    uint16_t h = 0x7777;
    cr_assert_eq(mm_write(m, pid, base + 0xFFF, &h, 2), STATUS_ACCESS_VIOLATION);
    cr_assert_eq(mm_read32(m, pid, base + 0xFFC, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0u, "a 2-byte write stores nothing either");
    t_check(m);
    mm_destroy(m);
}

Test(mmu, write_straddling_into_a_read_only_or_guard_page_stores_nothing)
{
    struct mm_machine *m = t_machine(256, 512);
    uint32_t pid = t_process(m, "a");
    mm_va base = t_alloc(m, pid, 3 * 4096, PAGE_READWRITE);
    mm_va p = base + 4096;
    uint32_t size = 4096, old;
    cr_assert_eq(mm_protect(m, pid, &p, &size, PAGE_READWRITE | PAGE_GUARD, &old), STATUS_SUCCESS);
    p = base + 2 * 4096;
    cr_assert_eq(mm_protect(m, pid, &p, &size, PAGE_READONLY, &old), STATUS_SUCCESS);
    uint32_t v = 1;
    /* into the guard page: the guard fires, nothing is stored in the first page */
    cr_assert_eq(mm_write32(m, pid, base + 4094, 0x11223344u), STATUS_GUARD_PAGE_VIOLATION);
    cr_assert_eq(mm_read32(m, pid, base + 4092, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0u);
    /* into the read-only page: refused, nothing stored in the (former) guard page */
    cr_assert_eq(mm_write32(m, pid, base + 2 * 4096 - 1, 0x55667788u), STATUS_ACCESS_VIOLATION);
    cr_assert_eq(mm_last_fault(m)->av, MM_AV_WRITE);
    cr_assert_eq(mm_last_fault(m)->va, base + 2 * 4096);
    cr_assert_eq(mm_read32(m, pid, base + 2 * 4096 - 4, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0u);
    /* the same straddles as reads work */
    cr_assert_eq(mm_read(m, pid, base + 2 * 4096 - 1, &v, 4), STATUS_SUCCESS);
    cr_assert_eq(mm_write32(m, pid, base + 4094, 0x11223344u), STATUS_SUCCESS);
    cr_assert_eq(mm_read(m, pid, base + 4094, &v, 4), STATUS_SUCCESS);
    cr_assert_eq(v, 0x11223344u);
    t_check(m);
    mm_destroy(m);
}

Test(mmu, access_past_the_top_of_the_address_space_is_an_av_reported_as_a_fault)
{
    struct mm_machine *m = t_machine(256, 512);
    uint32_t pid = t_process(m, "a");
    static struct t_events rec;
    uint32_t v;
    t_record(m, &rec);
    cr_assert_eq(mm_read(m, pid, 0xFFFFFFFDu, &v, 4), STATUS_ACCESS_VIOLATION);
    mm_set_sink(m, NULL, NULL);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_ACCESS_VIOLATION);
    cr_assert_eq(mm_last_fault(m)->av, MM_AV_KERNEL_ADDRESS);
    cr_assert_eq(t_count(&rec, MM_EV_FAULT), 1u);
    cr_assert_eq(t_find(&rec, MM_EV_FAULT, 0)->u.fault.av, MM_AV_KERNEL_ADDRESS);
    struct mm_counters c;
    mm_counters(m, pid, &c);
    cr_assert_eq(c.faults[MM_FAULT_ACCESS_VIOLATION], 1u);
    /* the last user page straddling into the no-access area above it */
    mm_va top = 0x7FFE0000u - 0x10000u;
    uint32_t size = 0x10000u;
    cr_assert_eq(mm_allocate(m, pid, &top, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    cr_assert_eq(mm_write32(m, pid, 0x7FFDFFF0u, 0xDEADBEEFu), STATUS_SUCCESS);
    mm_counters(m, pid, &c);
    cr_assert_eq(mm_write(m, pid, 0x7FFEFFFEu, &v, 4), STATUS_ACCESS_VIOLATION);
    cr_assert_eq(mm_last_fault(m)->av, MM_AV_NO_VAD, "0x7FFE0000 is the shared user data page, no VAD here");
    t_check(m);
    mm_destroy(m);
}

Test(mmu, peek_changes_nothing)
{
    struct mm_machine *m = t_machine(256, 512);
    uint32_t pid = t_process(m, "a");
    mm_va base = t_alloc(m, pid, 4096, PAGE_READWRITE);
    uint8_t page[4096];
    struct t_events rec;
    t_record(m, &rec);
    cr_assert_eq(mm_peek_page(m, pid, base, page), STATUS_SUCCESS);
    cr_assert_eq(rec.count, 0u, "peeking raised %u events", rec.count);
    cr_assert_eq(t_pte(m, pid, base), 0u, "no page table or PTE appeared");
    cr_assert_eq(mm_peek_page(m, pid, 0x7FFF0000, page), STATUS_ACCESS_VIOLATION);
    mm_set_sink(m, NULL, NULL);
    t_check(m);
    mm_destroy(m);
}

Test(mmu, unknown_process)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t v;
    cr_assert_eq(mm_read32(m, 9, 0x10000, &v), STATUS_INVALID_CID);
    cr_assert_eq(mm_write32(m, 9, 0x10000, 1), STATUS_INVALID_CID);
    cr_assert_eq(mm_execute(m, 9, 0x10000), STATUS_INVALID_CID);
    t_check(m);
    mm_destroy(m);
}

Test(mmu, range_past_4_gib_is_refused)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "a");
    uint8_t buf[16];
    cr_assert_eq(mm_read(m, pid, 0xFFFFFFF8u, buf, 16), STATUS_ACCESS_VIOLATION);
    t_check(m);
    mm_destroy(m);
}

/* Two processes on one machine, each with a data-page limit so that
 * references replace pages, and pages enough to need two page tables. */
static struct mm_machine *touch_machine(enum mm_policy policy, uint32_t pid[2], mm_va base[2])
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = 256;
    cfg.pagefile_pages[0] = 1024;
    cfg.policy = policy;
    struct mm_machine *m = t_machine_cfg(&cfg);
    for (int k = 0; k < 2; k++) {
        pid[k] = t_process(m, k ? "b" : "a");
        cr_assert_eq(mm_set_data_page_limit(m, pid[k], 24), STATUS_SUCCESS);
        base[k] = 0x003F0000u;   /* 96 pages across the 4 MiB line: two page tables */
        uint32_t size = 96 * PAGE_SIZE;
        cr_assert_eq(mm_allocate(m, pid[k], &base[k], &size, MEM_RESERVE | MEM_COMMIT, PAGE_EXECUTE_READWRITE),
                     STATUS_SUCCESS);
    }
    return m;
}

/* mm_touch_pages makes each reference as mm_touch would: the same faults,
 * reference by reference, and the same machine after, whatever the batch
 * size, with the other process's references and clock ticks in between
 * (each batch of one process starts with the other attached). */
Test(mmu, touch_pages_is_mm_touch_reference_by_reference)
{
    static const enum mm_policy policies[] = {MM_POLICY_FIFO, MM_POLICY_LRU, MM_POLICY_CLOCK, MM_POLICY_AGING};
    for (size_t k = 0; k < sizeof policies / sizeof policies[0]; k++) {
        uint32_t pa[2], pb[2];
        mm_va ba[2], bb[2];
        struct mm_machine *one = touch_machine(policies[k], pa, ba), *batched = touch_machine(policies[k], pb, bb);
        struct t_rng rng = {0x9E3779B97F4A7C15ull + k};
        mm_va va[37];
        uint8_t access[37], fault[37], table[37];
        for (uint32_t round = 0; round < 300; round++) {
            uint32_t who = round % 2, n = 1 + t_below(&rng, 37), done = 99;
            for (uint32_t i = 0; i < n; i++) {
                uint32_t page = t_below(&rng, 8) ? t_below(&rng, 40) : t_below(&rng, 96);
                va[i] = ba[who] + page * PAGE_SIZE + t_below(&rng, PAGE_SIZE);
                uint32_t kind = t_below(&rng, 8);
                access[i] = (uint8_t)(kind < 5 ? MM_ACCESS_READ : kind < 7 ? MM_ACCESS_WRITE : MM_ACCESS_EXECUTE);
            }
            cr_assert_eq(mm_touch_pages(batched, pb[who], va, access, n, fault, table, &done), STATUS_SUCCESS);
            cr_assert_eq(done, n);
            for (uint32_t i = 0; i < n; i++) {
                struct mm_touch t;
                cr_assert_eq(mm_touch(one, pa[who], va[i], 1, (enum mm_access_kind)access[i], &t), STATUS_SUCCESS);
                cr_assert_eq(fault[i], (uint8_t)t.fault[0], "policy %d, round %u, reference %u", (int)policies[k],
                             round, i);
                cr_assert_eq(table[i], (uint8_t)t.table_fault[0], "policy %d, round %u, reference %u",
                             (int)policies[k], round, i);
            }
            if (round % 7 == 6) {
                mm_tick(one, 1);
                mm_tick(batched, 1);
            }
        }
        struct mm_counters a, b;
        cr_assert_eq(mm_counters(one, 0, &a), STATUS_SUCCESS);
        cr_assert_eq(mm_counters(batched, 0, &b), STATUS_SUCCESS);
        cr_assert(memcmp(&a, &b, sizeof a) == 0, "the two machines' counters differ");
        cr_assert_gt(a.faults[MM_FAULT_TRANSITION] + a.faults[MM_FAULT_PAGE_FILE], 0, "no page was ever replaced");
        for (int who = 0; who < 2; who++) {   /* each process's counts, and its working set entry by entry */
            cr_assert_eq(mm_counters(one, pa[who], &a), STATUS_SUCCESS);
            cr_assert_eq(mm_counters(batched, pb[who], &b), STATUS_SUCCESS);
            cr_assert(memcmp(&a, &b, sizeof a) == 0, "process %d's counters differ", who);
            const struct mm_wsl *x = mm_working_set(one, pa[who]), *y = mm_working_set(batched, pb[who]);
            cr_assert_eq(x->size, y->size);
            cr_assert_eq(x->last_entry, y->last_entry);
            cr_assert_eq(x->replacements, y->replacements);
            cr_assert(memcmp(x->wsle, y->wsle, (x->last_entry + 1) * sizeof *x->wsle) == 0,
                      "process %d's working set lists differ", who);
        }
        t_check(one);
        t_check(batched);
        mm_destroy(one);
        mm_destroy(batched);
    }
}

/* Three pages reserved at 0x00400000, the first two committed. */
static struct mm_machine *refusing_machine(uint32_t *pid)
{
    struct mm_machine *m = t_machine(256, 512);
    *pid = t_process(m, "a");
    mm_va base = 0x00400000;
    uint32_t size = 3 * PAGE_SIZE;
    cr_assert_eq(mm_allocate(m, *pid, &base, &size, MEM_RESERVE, PAGE_READWRITE), STATUS_SUCCESS);
    size = 2 * PAGE_SIZE;
    cr_assert_eq(mm_allocate(m, *pid, &base, &size, MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    return m;
}

/* A batch stops at the first reference the engine refuses: those before it
 * were made, its fault kinds are written (as mm_touch gives them), nothing
 * after it runs. */
Test(mmu, touch_pages_stops_at_the_first_refused_reference)
{
    uint32_t pid, twin_pid;
    struct mm_machine *m = refusing_machine(&pid), *twin = refusing_machine(&twin_pid);
    const mm_va base = 0x00400000;
    mm_va va[4] = {base, base + PAGE_SIZE, base + 2 * PAGE_SIZE, base + 5};   /* the third is only reserved */
    uint8_t fault[4], table[4];
    memset(fault, 0xEE, sizeof fault);
    memset(table, 0xEE, sizeof table);
    uint32_t done = 99;
    cr_assert_eq(mm_touch_pages(m, pid, va, NULL, 4, fault, table, &done), STATUS_ACCESS_VIOLATION);
    cr_assert_eq(done, 2);
    cr_assert_eq(mm_last_fault(m)->av, MM_AV_NOT_COMMITTED);
    static const mm_status expected[3] = {STATUS_SUCCESS, STATUS_SUCCESS, STATUS_ACCESS_VIOLATION};
    for (uint32_t i = 0; i < 3; i++) {
        struct mm_touch t;
        cr_assert_eq(mm_touch(twin, twin_pid, va[i], 1, MM_ACCESS_READ, &t), expected[i]);
        cr_assert_eq(fault[i], (uint8_t)t.fault[0], "reference %u", i);
        cr_assert_eq(table[i], (uint8_t)t.table_fault[0], "reference %u", i);
    }
    cr_assert_eq(fault[0], MM_FAULT_DEMAND_ZERO);
    cr_assert_eq(fault[2], MM_FAULT_ACCESS_VIOLATION);
    cr_assert(fault[3] == 0xEE && table[3] == 0xEE, "the reference after the refused one was not made");
    struct mm_counters c;
    cr_assert_eq(mm_counters(m, pid, &c), STATUS_SUCCESS);
    cr_assert_eq(c.faults[MM_FAULT_DEMAND_ZERO], 2);
    cr_assert_eq(mm_touch_pages(m, 999, va, NULL, 4, fault, table, &done), STATUS_INVALID_CID);
    cr_assert_eq(done, 0);
    t_check(m);
    mm_destroy(m);
    mm_destroy(twin);
}

static void count_events(void *ctx, const struct mm_event *ev)
{
    (void)ev;
    ++*(uint32_t *)ctx;
}

/* An access that is none of the three kinds is refused, in a batch as for
 * one reference, with a sink attached or not: the references before it
 * were made, it and those after it were not. */
Test(mmu, touch_pages_refuses_an_access_that_is_no_kind)
{
    for (int with_sink = 0; with_sink < 2; with_sink++) {
        uint32_t pid, events = 0;
        struct mm_machine *m = refusing_machine(&pid);
        if (with_sink)
            mm_set_sink(m, count_events, &events);
        const mm_va base = 0x00400000;
        mm_va va[4] = {base, base + PAGE_SIZE, base, base + PAGE_SIZE};
        uint8_t access[4] = {MM_ACCESS_READ, MM_ACCESS_WRITE, MM_ACCESS_EXECUTE + 1, MM_ACCESS_READ};
        uint8_t fault[4], table[4];
        memset(fault, 0xEE, sizeof fault);
        memset(table, 0xEE, sizeof table);
        uint32_t done = 99;
        cr_assert_eq(mm_touch_pages(m, pid, va, access, 4, fault, table, &done), STATUS_INVALID_PARAMETER);
        cr_assert_eq(done, 2);
        cr_assert(fault[0] == MM_FAULT_DEMAND_ZERO && fault[1] == MM_FAULT_DEMAND_ZERO);
        cr_assert(table[0] == MM_FAULT_NONE && table[1] == MM_FAULT_NONE);
        cr_assert(fault[2] == 0xEE && table[2] == 0xEE, "the refused reference's fault kinds were written");
        cr_assert(fault[3] == 0xEE && table[3] == 0xEE, "the reference after the refused one was made");
        access[2] = 0xFF;   /* a hit run before it: the hits' kinds are written */
        cr_assert_eq(mm_touch_pages(m, pid, va, access, 4, fault, table, &done), STATUS_INVALID_PARAMETER);
        cr_assert_eq(done, 2);
        cr_assert(fault[0] == MM_FAULT_NONE && fault[1] == MM_FAULT_NONE);
        struct mm_touch t;
        cr_assert_eq(mm_touch(m, pid, base, 1, (enum mm_access_kind)(MM_ACCESS_EXECUTE + 1), &t),
                     STATUS_INVALID_PARAMETER);
        struct mm_counters c;
        cr_assert_eq(mm_counters(m, pid, &c), STATUS_SUCCESS);
        cr_assert_eq(c.faults[MM_FAULT_DEMAND_ZERO], 2, "only the two first references faulted");
        cr_assert_eq(events > 0, with_sink == 1);
        t_check(m);
        mm_destroy(m);
    }
}

/* After a batch, mm_last_fault is what the same references made one by
 * one with mm_touch leave: the last reference's fault, none after a hit;
 * an empty batch makes no access and changes nothing. */
Test(mmu, touch_pages_leaves_the_last_reference_s_fault)
{
    uint32_t pid;
    struct mm_machine *m = refusing_machine(&pid);
    const mm_va base = 0x00400000;
    mm_va va[2] = {base, base + 2 * PAGE_SIZE};   /* demand-zero, then refused: only reserved */
    uint8_t fault[2], table[2];
    uint32_t done;
    cr_assert_eq(mm_touch_pages(m, pid, va, NULL, 2, fault, table, &done), STATUS_ACCESS_VIOLATION);
    cr_assert_eq(mm_touch_pages(m, pid, va, NULL, 0, fault, table, &done), STATUS_SUCCESS);
    cr_assert_eq(done, 0);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_ACCESS_VIOLATION, "an empty batch changed the last fault");
    cr_assert_eq(mm_last_fault(m)->av, MM_AV_NOT_COMMITTED);
    cr_assert_eq(mm_touch_pages(m, pid, va, NULL, 1, fault, table, &done), STATUS_SUCCESS);
    cr_assert_eq(fault[0], MM_FAULT_NONE);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_NONE, "a hit leaves no fault");
    cr_assert_eq(mm_last_fault(m)->av, MM_AV_NONE);
    cr_assert_eq(mm_last_fault(m)->status, STATUS_SUCCESS);
    mm_va next[3] = {base, base + PAGE_SIZE, base};   /* a hit, a demand-zero fault, a hit */
    cr_assert_eq(mm_touch_pages(m, pid, next, NULL, 2, fault, table, &done), STATUS_SUCCESS);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_DEMAND_ZERO, "the last reference's fault");
    cr_assert_eq(mm_touch_pages(m, pid, next + 1, NULL, 2, fault, table, &done), STATUS_SUCCESS);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_NONE, "a fault before the last reference is not reported");
    t_check(m);
    mm_destroy(m);
}
