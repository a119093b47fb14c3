/*
 * soak.c - the long randomized soak (make soak): a million operations over
 * many processes on a machine under memory pressure, with the invariant
 * checker and the content check throughout. Prints what it did and exits
 * non-zero on the first difference from NT's behaviour or any lost byte.
 *
 *   build/soak [OPERATIONS] [SEED] [CHECK_EVERY]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "model.h"

static uint32_t xorshift(void *ctx)
{
    uint64_t *s = ctx;
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return (uint32_t)((*s * 2685821657736338717ull) >> 32);
}

int main(int argc, char **argv)
{
    uint64_t ops = argc > 1 ? strtoull(argv[1], NULL, 0) : 1000000;
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x50A4ull;
    uint64_t every = argc > 3 ? strtoull(argv[3], NULL, 0) : 1;
    if (ops == 0 || seed == 0 || every == 0) {
        fprintf(stderr, "usage: soak [OPERATIONS>0] [SEED!=0] [CHECK_EVERY>0]\n");
        return 2;
    }
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = 160;
    cfg.pagefile_count = 2;
    cfg.pagefile_pages[0] = 4096;
    cfg.pagefile_pages[1] = 1024;
    cfg.read_cluster = 3;
    cfg.write_cluster = 8;
    cfg.mpw_threshold = 24;
    cfg.wsmgr_low = 40;
    cfg.wsmgr_plenty = 60;
    cfg.tlb_entries = 32;
    printf("soak: %" PRIu64 " operations, seed 0x%" PRIX64 ", 8 processes, %u frames, "
           "invariants and contents checked every %" PRIu64 " operation(s)\n",
           ops, seed, cfg.frames, every);
    for (int policy = 0; policy < MM_POLICY_COUNT; policy++) {
        cfg.policy = (enum mm_policy)policy;
        const char *why;
        struct mm_machine *m = mm_create(&cfg, &why);
        char err[600];
        struct model *w = m ? model_new(m, 8, err, sizeof err) : NULL;
        if (!w) {
            fprintf(stderr, "soak: cannot start: %s\n", m ? err : why);
            return 1;
        }
        uint64_t s = seed ^ (0x9E3779B97F4A7C15ull * (unsigned long long)(policy + 1));   /* a stream of its own per policy */
        if (s == 0)
            s = seed;   /* xorshift never leaves 0; seed is not 0 */
        uint64_t share = ops / MM_POLICY_COUNT + (policy == 0 ? ops % MM_POLICY_COUNT : 0);
        for (uint64_t i = 0; i < share; i++) {
            if (!model_step(w, xorshift, &s, err, sizeof err) ||
                ((i + 1) % every == 0 && !model_check(w, err, sizeof err))) {
                fprintf(stderr, "soak: FAILED: %s\n", err);
                return 1;
            }
        }
        if (!model_check(w, err, sizeof err) || !model_finish(w, err, sizeof err)) {
            fprintf(stderr, "soak: FAILED: %s\n", err);
            return 1;
        }
        const struct model_stats *st = model_stats(w);
        struct mm_counters c;
        mm_counters(m, 0, &c);
        printf("  %-5s %" PRIu64 " operations, %" PRIu64 " accesses, %" PRIu64 " full checks; faults: "
               "demand-zero %" PRIu64 ", transition %" PRIu64 ", hard %" PRIu64 ", access violations %" PRIu64
               "; pages written %" PRIu64 ", read %" PRIu64 "; 0 bytes lost\n",
               mm_policy_name(cfg.policy), st->ops, st->accesses, st->checks, c.faults[MM_FAULT_DEMAND_ZERO],
               c.faults[MM_FAULT_TRANSITION], c.faults[MM_FAULT_PAGE_FILE], c.faults[MM_FAULT_ACCESS_VIOLATION],
               c.pages_written, c.pages_read);
        model_free(w);
        mm_destroy(m);
    }
    printf("soak: passed\n");
    return 0;
}
