/*
 * test_random.c - the seeded randomized workout (model.c) under each
 * replacement policy: after every operation the invariants hold, every
 * status is NT's, and every byte written is still where it should be.
 */
#include "model.h"
#include "support.h"

static uint32_t rng_next(void *ctx) { return t_rand(ctx); }

/* Page tables brought back from Standby/Modified or a paging file. */
static void count_table_faults(void *ctx, const struct mm_event *ev)
{
    if (ev->kind == MM_EV_FAULT && ev->u.fault.va >= 0xC0000000u && ev->u.fault.va < 0xC0200000u &&
        (ev->u.fault.kind == MM_FAULT_TRANSITION || ev->u.fault.kind == MM_FAULT_PAGE_FILE))
        ++*(uint64_t *)ctx;
}

static void run(uint64_t seed, uint32_t ops, uint32_t frames, enum mm_policy policy, bool nx)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    mm_config_for_memory(&cfg, frames);
    cfg.nx = nx;
    cfg.pagefile_pages[0] = 2048;
    cfg.policy = policy;
    cfg.read_cluster = 3;
    cfg.write_cluster = 4;
    cfg.mpw_threshold = 16;
    cfg.wsmgr_low = frames / 4;
    cfg.wsmgr_plenty = frames / 3;
    cfg.tlb_entries = 16;
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint64_t table_faults = 0;
    struct t_rng rng = {seed};
    char err[600];
    struct model *w = model_new(m, 4, err, sizeof err);
    cr_assert_not_null(w, "%s", err);
    model_set_sink(w, count_table_faults, &table_faults);
    for (uint32_t i = 0; i < ops; i++) {
        cr_assert(model_step(w, rng_next, &rng, err, sizeof err), "%s", err);
        cr_assert(model_check(w, err, sizeof err), "%s", err);
    }
    struct mm_counters c;
    mm_counters(m, 0, &c);
    cr_assert_gt(c.faults[MM_FAULT_DEMAND_ZERO], 0);
    cr_assert_gt(c.faults[MM_FAULT_TRANSITION], 0);
    cr_assert_gt(c.faults[MM_FAULT_PAGE_FILE], 0);
    cr_assert_gt(c.faults[MM_FAULT_GUARD_PAGE], 0);
    cr_assert_gt(c.faults[MM_FAULT_ACCESS_VIOLATION], 0);
    cr_assert_gt(table_faults, 0, "page tables were paged out and brought back");
    const struct model_stats *st = model_stats(w);
    cr_log_info("seed 0x%llX: %llu operations, %llu accesses, %llu checks; faults dz %llu transition %llu hard %llu; "
                "%llu page tables brought back",
                (unsigned long long)seed, (unsigned long long)st->ops, (unsigned long long)st->accesses,
                (unsigned long long)st->checks, (unsigned long long)c.faults[MM_FAULT_DEMAND_ZERO],
                (unsigned long long)c.faults[MM_FAULT_TRANSITION], (unsigned long long)c.faults[MM_FAULT_PAGE_FILE],
                (unsigned long long)table_faults);
    cr_assert(model_finish(w, err, sizeof err), "%s", err);
    model_free(w);
    t_check(m);
    mm_destroy(m);
}

Test(random, aging_policy_100k_operations, SLOW(600))
{
    run(0x5EED0001ull, 100000, 96, MM_POLICY_AGING, false);
}

Test(random, clock_policy, SLOW(600))
{
    run(0x5EED0004ull, 25000, 96, MM_POLICY_CLOCK, false);
}

Test(random, opt_policy, SLOW(600))
{
    run(0x5EED0005ull, 25000, 64, MM_POLICY_OPT, false);
}

Test(random, fifo_policy, SLOW(600))
{
    run(0x5EED0002ull, 25000, 64, MM_POLICY_FIFO, true);
}

Test(random, lru_policy, SLOW(600))
{
    run(0x5EED0003ull, 25000, 128, MM_POLICY_LRU, false);
}
