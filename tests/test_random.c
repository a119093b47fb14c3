/*
 * test_random.c - a seeded randomized workout of the whole engine: several
 * processes allocate, commit, decommit, release, protect, read, write and
 * execute under memory pressure while every system thread and every
 * memory-list command runs among them. After every operation the machine's
 * invariants are checked, the status of every access is compared with a
 * model of what NT must answer, and the contents of every committed page
 * are compared, without disturbing anything (mm_peek_page), with a shadow
 * copy of what the processes wrote. No byte may ever be lost.
 */
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define PROCS 4
#define REGIONS 4
#define MAX_PAGES 12

struct page_model {
    bool committed;
    uint32_t protect;          /* PAGE_* */
    bool guard;
    uint8_t bytes[4096];
};

struct region {
    bool used;
    mm_va base;
    uint32_t pages;
    struct page_model page[MAX_PAGES];
};

struct proc_model {
    uint32_t pid;
    struct region region[REGIONS];
};

struct world {
    struct mm_machine *m;
    struct t_rng rng;
    struct proc_model proc[PROCS];
    uint64_t ops, checks, accesses;
};

static const uint32_t protections[] = {PAGE_READWRITE, PAGE_READWRITE, PAGE_READONLY,
                                       PAGE_EXECUTE_READWRITE, PAGE_NOACCESS, PAGE_EXECUTE_READ};

static mm_status expected(struct page_model *pg, enum mm_access_kind access, bool consume_guard)
{
    if (!pg || !pg->committed || pg->protect == PAGE_NOACCESS)
        return STATUS_ACCESS_VIOLATION;
    if (pg->guard) {
        if (consume_guard)
            pg->guard = false;
        return STATUS_GUARD_PAGE_VIOLATION;
    }
    bool ok = access == MM_ACCESS_READ ||
              (access == MM_ACCESS_WRITE &&
               (pg->protect == PAGE_READWRITE || pg->protect == PAGE_EXECUTE_READWRITE)) ||
              (access == MM_ACCESS_EXECUTE &&
               (pg->protect == PAGE_EXECUTE_READWRITE || pg->protect == PAGE_EXECUTE_READ));
    return ok ? STATUS_SUCCESS : STATUS_ACCESS_VIOLATION;
}

static void check_contents(struct world *w)
{
    static uint8_t page[4096];
    for (int i = 0; i < PROCS; i++)
        for (int r = 0; r < REGIONS; r++) {
            struct region *rg = &w->proc[i].region[r];
            if (!rg->used)
                continue;
            for (uint32_t k = 0; k < rg->pages; k++) {
                mm_va va = rg->base + k * 4096u;
                mm_status s = mm_peek_page(w->m, w->proc[i].pid, va, page);
                if (!rg->page[k].committed) {
                    cr_assert_eq(s, STATUS_ACCESS_VIOLATION, "op %llu: page 0x%08X should be uncommitted",
                                 (unsigned long long)w->ops, va);
                    continue;
                }
                cr_assert_eq(s, STATUS_SUCCESS, "op %llu: peek 0x%08X: 0x%08X", (unsigned long long)w->ops, va, s);
                cr_assert(memcmp(page, rg->page[k].bytes, 4096) == 0,
                          "op %llu: process %u page 0x%08X lost its contents", (unsigned long long)w->ops,
                          w->proc[i].pid, va);
            }
        }
}

static void new_process(struct world *w, int i)
{
    memset(&w->proc[i], 0, sizeof w->proc[i]);
    w->proc[i].pid = t_process(w->m, "p");
    if (t_below(&w->rng, 2))
        cr_assert_eq(mm_set_ws_limits(w->m, w->proc[i].pid, 4, 8 + t_below(&w->rng, 24)), STATUS_SUCCESS);
}

static void op_allocate(struct world *w, struct proc_model *pm)
{
    int r = (int)t_below(&w->rng, REGIONS);
    struct region *rg = &pm->region[r];
    if (rg->used)
        return;
    uint32_t pages = 1 + t_below(&w->rng, MAX_PAGES);
    uint32_t protect = protections[t_below(&w->rng, 4)];
    bool commit_now = t_below(&w->rng, 2);
    mm_va base = 0;
    uint32_t size = pages * 4096u;
    mm_status s = mm_allocate(w->m, pm->pid, &base, &size,
                              MEM_RESERVE | (commit_now ? MEM_COMMIT : 0), protect);
    if (s == STATUS_COMMITMENT_LIMIT)
        return;
    cr_assert_eq(s, STATUS_SUCCESS, "allocate: 0x%08X", s);
    cr_assert_eq(base % 0x10000u, 0u);
    cr_assert_eq(size, pages * 4096u);
    memset(rg, 0, sizeof *rg);
    rg->used = true;
    rg->base = base;
    rg->pages = pages;
    for (uint32_t k = 0; k < pages; k++) {
        rg->page[k].committed = commit_now;
        rg->page[k].protect = protect;
    }
}

static struct region *pick_region(struct world *w, struct proc_model *pm)
{
    struct region *rg = &pm->region[t_below(&w->rng, REGIONS)];
    return rg->used ? rg : NULL;
}

static void op_commit_or_decommit(struct world *w, struct proc_model *pm, bool commit)
{
    struct region *rg = pick_region(w, pm);
    if (!rg)
        return;
    uint32_t first = t_below(&w->rng, rg->pages);
    uint32_t count = 1 + t_below(&w->rng, rg->pages - first);
    mm_va base = rg->base + first * 4096u + t_below(&w->rng, 4096);
    uint32_t size = count * 4096u - (base & 0xFFFu);
    if (size == 0)
        size = 1;
    uint32_t protect = protections[t_below(&w->rng, 4)];
    mm_status s = commit ? mm_allocate(w->m, pm->pid, &base, &size, MEM_COMMIT, protect)
                         : mm_free(w->m, pm->pid, &base, &size, MEM_DECOMMIT);
    if (s == STATUS_COMMITMENT_LIMIT)
        return;
    cr_assert_eq(s, STATUS_SUCCESS, "%s: 0x%08X", commit ? "commit" : "decommit", s);
    for (uint32_t k = first; k < first + count; k++) {
        struct page_model *pg = &rg->page[k];
        if (commit && !pg->committed) {
            pg->committed = true;
            pg->protect = protect;
            pg->guard = false;
            memset(pg->bytes, 0, sizeof pg->bytes);
        } else if (!commit && pg->committed) {
            pg->committed = false;
            memset(pg->bytes, 0, sizeof pg->bytes);
        }
    }
}

static void op_release(struct world *w, struct proc_model *pm)
{
    struct region *rg = pick_region(w, pm);
    if (!rg)
        return;
    mm_va base = rg->base;
    uint32_t size = 0;
    cr_assert_eq(mm_free(w->m, pm->pid, &base, &size, MEM_RELEASE), STATUS_SUCCESS);
    rg->used = false;
}

static void op_protect(struct world *w, struct proc_model *pm)
{
    struct region *rg = pick_region(w, pm);
    if (!rg)
        return;
    uint32_t k = t_below(&w->rng, rg->pages);
    uint32_t protect = protections[t_below(&w->rng, sizeof protections / sizeof protections[0])];
    bool guard = protect != PAGE_NOACCESS && t_below(&w->rng, 4) == 0;
    mm_va base = rg->base + k * 4096u;
    uint32_t size = 4096, old = 0;
    mm_status s = mm_protect(w->m, pm->pid, &base, &size, protect | (guard ? PAGE_GUARD : 0), &old);
    if (!rg->page[k].committed) {
        cr_assert_eq(s, STATUS_NOT_COMMITTED, "protect of an uncommitted page: 0x%08X", s);
        return;
    }
    cr_assert_eq(s, STATUS_SUCCESS, "protect: 0x%08X", s);
    uint32_t old_expected = rg->page[k].protect | (rg->page[k].guard ? PAGE_GUARD : 0);
    cr_assert_eq(old, old_expected, "old protection 0x%X, expected 0x%X", old, old_expected);
    rg->page[k].protect = protect;
    rg->page[k].guard = guard;
}

static void op_access(struct world *w, struct proc_model *pm)
{
    struct region *rg = pick_region(w, pm);
    if (!rg)
        return;
    uint32_t k = t_below(&w->rng, rg->pages + 1);   /* sometimes one page past the end */
    struct page_model *pg = k < rg->pages ? &rg->page[k] : NULL;
    uint32_t offset = t_below(&w->rng, 1024) * 4u;
    mm_va va = rg->base + k * 4096u + offset;
    enum mm_access_kind kind = (enum mm_access_kind)t_below(&w->rng, 3);
    if (kind == MM_ACCESS_EXECUTE && t_below(&w->rng, 2))
        kind = MM_ACCESS_WRITE;
    mm_status want = expected(pg, kind, true);
    mm_status got;
    w->accesses++;
    if (kind == MM_ACCESS_READ) {
        uint32_t v = 0;
        got = mm_read32(w->m, pm->pid, va, &v);
        if (got == STATUS_SUCCESS) {
            uint32_t model;
            memcpy(&model, pg->bytes + offset, 4);
            cr_assert_eq(v, model, "read 0x%08X: 0x%08X, wrote 0x%08X", va, v, model);
        }
    } else if (kind == MM_ACCESS_WRITE) {
        uint32_t v = t_rand(&w->rng) | 1u;
        got = mm_write32(w->m, pm->pid, va, v);
        if (got == STATUS_SUCCESS)
            memcpy(pg->bytes + offset, &v, 4);
    } else {
        got = mm_execute(w->m, pm->pid, va);
    }
    cr_assert_eq(got, want, "op %llu: %s at 0x%08X gave 0x%08X, NT gives 0x%08X",
                 (unsigned long long)w->ops, mm_access_name(kind), va, got, want);
}

static void one_op(struct world *w)
{
    int i = (int)t_below(&w->rng, PROCS);
    struct proc_model *pm = &w->proc[i];
    uint32_t pick = t_below(&w->rng, 100);
    if (pick < 50)
        op_access(w, pm);
    else if (pick < 57)
        op_allocate(w, pm);
    else if (pick < 62)
        op_commit_or_decommit(w, pm, true);
    else if (pick < 66)
        op_commit_or_decommit(w, pm, false);
    else if (pick < 69)
        op_release(w, pm);
    else if (pick < 76)
        op_protect(w, pm);
    else if (pick < 81)
        mm_trim(w->m, pm->pid, 1 + t_below(&w->rng, 8));
    else if (pick < 84)
        mm_run_modified_writer(w->m);
    else if (pick < 86)
        mm_run_zero_thread(w->m);
    else if (pick < 88)
        mm_run_ws_manager(w->m);
    else if (pick < 92)
        mm_tick(w->m, 1 + t_below(&w->rng, 3));
    else if (pick < 98)
        cr_assert_eq(mm_memory_list_command(w->m, t_below(&w->rng, MemoryCommandMax)), STATUS_SUCCESS);
    else if (pick < 99)
        cr_assert_eq(mm_set_ws_limits(w->m, pm->pid, 2 + t_below(&w->rng, 8), 10 + t_below(&w->rng, 40)),
                     STATUS_SUCCESS);
    else {
        cr_assert_eq(mm_process_terminate(w->m, pm->pid), STATUS_SUCCESS);
        new_process(w, i);
    }
}

static void run(uint64_t seed, uint32_t ops, uint32_t frames, enum mm_policy policy)
{
    static struct world w;
    memset(&w, 0, sizeof w);
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = frames;
    cfg.pagefile_pages[0] = 2048;
    cfg.policy = policy;
    cfg.read_cluster = 3;
    cfg.write_cluster = 4;
    cfg.mpw_threshold = 16;
    cfg.wsmgr_low = frames / 4;
    cfg.wsmgr_plenty = frames / 3;
    cfg.tlb_entries = 16;
    w.m = t_machine_cfg(&cfg);
    w.rng.s = seed;
    for (int i = 0; i < PROCS; i++)
        new_process(&w, i);
    for (w.ops = 0; w.ops < ops; w.ops++) {
        one_op(&w);
        t_check(w.m);
        check_contents(&w);
        w.checks++;
    }
    struct mm_counters c;
    mm_counters(w.m, 0, &c);
    cr_assert_gt(c.faults[MM_FAULT_DEMAND_ZERO], 0);
    cr_assert_gt(c.faults[MM_FAULT_TRANSITION], 0);
    cr_assert_gt(c.faults[MM_FAULT_PAGE_FILE], 0);
    cr_assert_gt(c.faults[MM_FAULT_GUARD_PAGE], 0);
    cr_assert_gt(c.faults[MM_FAULT_ACCESS_VIOLATION], 0);
    cr_log_info("seed %llu: %llu operations, %llu accesses, %llu invariant checks; faults dz %llu "
                "soft %llu hard %llu; pages written %llu read %llu",
                (unsigned long long)seed, (unsigned long long)w.ops, (unsigned long long)w.accesses,
                (unsigned long long)w.checks, (unsigned long long)c.faults[MM_FAULT_DEMAND_ZERO],
                (unsigned long long)c.faults[MM_FAULT_TRANSITION], (unsigned long long)c.faults[MM_FAULT_PAGE_FILE],
                (unsigned long long)c.pages_written, (unsigned long long)c.pages_read);
    for (int i = 0; i < PROCS; i++)
        cr_assert_eq(mm_process_terminate(w.m, w.proc[i].pid), STATUS_SUCCESS);
    t_check(w.m);
    cr_assert_eq(mm_active_frames(w.m), 0u, "frames left active after every process ended");
    mm_destroy(w.m);
}

Test(random, clock_policy_100k_operations, .timeout = 600)
{
    run(0x5EED0001ull, 100000, 96, MM_POLICY_CLOCK);
}

Test(random, fifo_policy, .timeout = 600)
{
    run(0x5EED0002ull, 25000, 64, MM_POLICY_FIFO);
}

Test(random, lru_policy, .timeout = 600)
{
    run(0x5EED0003ull, 25000, 128, MM_POLICY_LRU);
}
