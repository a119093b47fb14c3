/*
 * test_replay.c - the replayer's check modes and seeking (replay.c), and
 * the machine copy seeking is built on (mm_clone, sim/snapshot.c).
 *
 * Seeking back restores a copy kept every few hundred steps and runs the
 * steps after it; the machine it gives must equal, byte for byte and field
 * for field, the machine of a fresh replay run to the same step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#include "machine.h"
#include "replay.h"

/* A scenario of `steps` steps that keeps the machine busy: writes and reads
 * over 64 pages on 48 frames, trims, the modified page writer, ticks and
 * expectations. */
static char *busy_text(uint32_t steps)
{
    size_t cap = 200 + (size_t)steps * 110, n = 0;
    char *t = malloc(cap);
    cr_assert_not_null(t);
    n += (size_t)snprintf(t + n, cap - n,
                          "{\"name\": \"busy\", \"description\": \"d\", \"machine\": {\"frames\": 48, \"pagefiles\": [\"1M\"],"
                          " \"write_cluster\": 4}, \"processes\": [{\"name\": \"a\"}], \"steps\": ["
                          "{\"op\": \"allocate\", \"process\": \"a\", \"address\": \"0x10000\", \"size\": \"256K\"}");
    for (uint32_t i = 1; i < steps; i++) {
        uint32_t page = (i * 7) % 64;
        if (i % 50 == 0)
            n += (size_t)snprintf(t + n, cap - n, ",{\"op\": \"trim\", \"process\": \"a\", \"pages\": 8}");
        else if (i % 97 == 0)
            n += (size_t)snprintf(t + n, cap - n, ",{\"op\": \"run\", \"thread\": \"modified_writer\"}");
        else if (i % 31 == 0)
            n += (size_t)snprintf(t + n, cap - n, ",{\"op\": \"tick\"}");
        else if (i % 3 == 0)
            n += (size_t)snprintf(t + n, cap - n, ",{\"op\": \"read\", \"process\": \"a\", \"address\": %u}",
                                  0x10000u + ((i * 13) % 64) * 4096u);
        else if (i % 11 == 0)
            n += (size_t)snprintf(t + n, cap - n, ",{\"op\": \"expect\", \"status\": \"STATUS_SUCCESS\"}");
        else
            n += (size_t)snprintf(t + n, cap - n, ",{\"op\": \"write\", \"process\": \"a\", \"address\": %u, \"value\": %u}",
                                  0x10000u + page * 4096u, i);
    }
    snprintf(t + n, cap - n, "]}");
    return t;
}

static struct scenario *busy(uint32_t steps)
{
    char *text = busy_text(steps);
    struct scn_errors errs;
    struct scenario *sc = scenario_load("busy.json", text, strlen(text), &errs);
    free(text);
    cr_assert_not_null(sc, "%s", errs.count ? errs.e[0].message : "?");
    return sc;
}

/* Two machines in the same state: every PFN entry, every frame's bytes,
 * the lists, the TLB, each working set and the counters. */
static void assert_same(const struct mm_machine *a, const struct mm_machine *b, uint32_t step)
{
    cr_assert_eq(a->frames, b->frames);
    cr_assert(memcmp(a->pfn, b->pfn, a->frames * sizeof *a->pfn) == 0, "PFN database differs at step %u", step);
    for (uint32_t f = 0; f < a->frames; f++) {
        const uint8_t *x = a->phys.page[f], *y = b->phys.page[f];
        cr_assert((!x && !y) || (x && y && memcmp(x, y, 4096) == 0) ||
                      (x && !y && phys_is_zero(&a->phys, f)) || (!x && y && phys_is_zero(&b->phys, f)),
                  "frame 0x%X differs at step %u", f, step);
    }
    cr_assert(memcmp(a->list, b->list, sizeof a->list) == 0 && memcmp(a->standby, b->standby, sizeof a->standby) == 0,
              "list heads differ at step %u", step);
    for (uint32_t i = 0; i < a->tlb.size; i++) {
        const struct tlb_entry *x = &a->tlb.entry[i], *y = &b->tlb.entry[i];
        cr_assert(x->vpn == y->vpn && (x->vpn == TLB_INVALID_TAG || (x->frame == y->frame && x->pte == y->pte)),
                  "TLB entry %u differs at step %u", i, step);
    }
    cr_assert_eq(a->tick, b->tick);
    cr_assert_eq(a->pages_written, b->pages_written);
    cr_assert_eq(a->pagefile[0].used, b->pagefile[0].used);
    for (uint32_t i = 0; i < a->process_slots; i++) {
        const struct mm_process *p = &a->process[i], *q = &b->process[i];
        cr_assert_eq(p->live, q->live);
        if (!p->live)
            continue;
        cr_assert_eq(p->ws.size, q->ws.size, "working set size differs at step %u", step);
        cr_assert(memcmp(p->ws.wsle, q->ws.wsle, p->ws.capacity * sizeof *p->ws.wsle) == 0, "WSLEs differ at step %u",
                  step);
        cr_assert_eq(p->commit_charge, q->commit_charge);
    }
}

static void fresh_to(const struct scenario *sc, uint32_t target, struct replay *r)
{
    char why[200];
    cr_assert(replay_start(r, sc, NULL, NULL, why, sizeof why), "%s", why);
    struct replay_result res;
    while (r->next < target)
        cr_assert(replay_step(r, &res));
}

Test(replay, seeking_back_gives_the_machine_of_a_fresh_replay, SLOW(120))
{
    struct scenario *sc = busy(2000);
    struct replay r;
    char why[200];
    cr_assert(replay_start(&r, sc, NULL, NULL, why, sizeof why));
    cr_assert(replay_enable_seeking(&r));
    struct replay_result res;
    while (replay_step(&r, &res))
        ;
    cr_assert_eq(r.next, 2000u);
    cr_assert_not(r.broken, "%s", r.broken_msg);
    cr_assert_gt(r.nsnap, 5u, "copies were kept on the way");
    uint32_t failed_at_end = r.failed_steps;
    static const uint32_t targets[] = {1999, 1998, 0, 1, 255, 256, 257, 1024, 700, 1500, 2000};
    for (size_t k = 0; k < sizeof targets / sizeof targets[0]; k++) {
        cr_assert(replay_seek(&r, targets[k]), "seek to %u", targets[k]);
        cr_assert_eq(r.next, targets[k]);
        struct replay fresh;
        fresh_to(sc, targets[k], &fresh);
        assert_same(r.m, fresh.m, targets[k]);
        cr_assert_eq(r.failed_steps, fresh.failed_steps);
        t_check(r.m);
        replay_end(&fresh);
    }
    cr_assert_eq(r.failed_steps, failed_at_end);
    replay_end(&r);
    scenario_free(sc);
}

Test(replay, a_copy_runs_on_as_the_original_does)
{
    struct scenario *sc = busy(600);
    struct replay a, b;
    fresh_to(sc, 300, &a);
    fresh_to(sc, 300, &b);
    struct mm_machine *copy = mm_clone(a.m);
    cr_assert_not_null(copy);
    assert_same(copy, a.m, 300);
    cr_assert_gt(mm_host_bytes(copy), 48u * 24u);
    /* the copy carries on in a's place; b is run the same way without one */
    mm_destroy(a.m);
    a.m = copy;
    struct replay_result res;
    while (replay_step(&a, &res) && replay_step(&b, &res))
        ;
    cr_assert_eq(a.next, 600u);
    assert_same(a.m, b.m, 600);
    t_check(a.m);
    replay_end(&a);
    replay_end(&b);
    scenario_free(sc);
}

Test(replay, every_check_mode_replays_to_the_same_end)
{
    struct scenario *sc = busy(1500);
    struct replay r[REPLAY_CHECK_COUNT];
    char why[200];
    for (int mode = 0; mode < REPLAY_CHECK_COUNT; mode++) {
        cr_assert(replay_start(&r[mode], sc, NULL, NULL, why, sizeof why));
        cr_assert(replay_set_check(&r[mode], (enum replay_check)mode));
        struct replay_result res;
        while (replay_step(&r[mode], &res))
            ;
        cr_assert_eq(r[mode].next, 1500u);
        cr_assert_not(r[mode].broken, "%s: %s", replay_check_name((enum replay_check)mode), r[mode].broken_msg);
    }
    for (int mode = 1; mode < REPLAY_CHECK_COUNT; mode++)
        assert_same(r[0].m, r[mode].m, 1500);
    for (int mode = 0; mode < REPLAY_CHECK_COUNT; mode++)
        replay_end(&r[mode]);
    scenario_free(sc);
}

Test(replay, check_mode_names)
{
    cr_assert_eq(replay_check_parse("touched"), REPLAY_CHECK_TOUCHED);
    cr_assert_eq(replay_check_parse("full"), REPLAY_CHECK_FULL);
    cr_assert_eq(replay_check_parse("end"), REPLAY_CHECK_END);
    cr_assert_eq(replay_check_parse("Full"), -1);
    cr_assert_str_eq(replay_check_name(REPLAY_CHECK_END), "end");
    struct mm_machine *small = t_machine(256, 64), *big = t_machine(1u << 20, 64);
    cr_assert_eq(replay_full_every(small), REPLAY_FULL_CHECK_STEPS);
    cr_assert_eq(replay_full_every(big), (1u << 20) / REPLAY_FULL_CHECK_FRAMES);
    cr_assert_eq(replay_full_every(big), 65536u, "every 65,536 steps on 1,048,576 frames, as docs/invariants.md says");
    mm_destroy(small);
    mm_destroy(big);
}

/* The same section work on two machines: a file mapped by both processes,
 * a paging-file section, writes through the views, a flush. */
static void section_work(struct mm_machine *m, uint32_t a, uint32_t b, mm_va va_a, mm_va va_b, uint32_t round)
{
    for (uint32_t k = 0; k < 4; k++) {
        cr_assert_eq(mm_write32(m, a, va_a + k * PAGE_SIZE, round * 100 + k), STATUS_SUCCESS);
        uint32_t v = 0;
        cr_assert_eq(mm_read32(m, b, va_b + k * PAGE_SIZE, &v), STATUS_SUCCESS);
        cr_assert_eq(v, round * 100 + k, "the other view sees the write");
    }
    uint32_t written = 0;
    cr_assert_eq(mm_flush_view(m, a, va_a, 4 * PAGE_SIZE, &written), STATUS_SUCCESS);
    mm_trim(m, b, 2);
}

Test(replay, a_copy_of_a_machine_with_sections_owns_its_files_and_pool)
{
    struct mm_machine *m = t_machine(64, 256);
    uint32_t a = t_process(m, "a"), b = t_process(m, "b"), file, fs, ps;
    cr_assert_eq(mm_file_create(m, "data.bin", 8, &file), STATUS_SUCCESS);
    cr_assert_eq(mm_file_write32(m, file, 0, 0xF11E0000u), STATUS_SUCCESS);
    struct mm_section_params sp = {.name = "f", .pages = 8, .file = file, .protection = PAGE_READWRITE};
    cr_assert_eq(mm_create_section(m, &sp, &fs), STATUS_SUCCESS);
    struct mm_section_params pp = {.name = "p", .pages = 8, .file = MM_NO_FILE, .protection = PAGE_READWRITE};
    cr_assert_eq(mm_create_section(m, &pp, &ps), STATUS_SUCCESS);
    mm_va va_a = 0, va_b = 0, pa = 0, pb = 0;
    uint32_t pages = 0;
    cr_assert_eq(mm_map_view(m, a, fs, &va_a, 0, &pages, PAGE_READWRITE), STATUS_SUCCESS);
    pages = 0;
    cr_assert_eq(mm_map_view(m, b, fs, &va_b, 0, &pages, PAGE_READWRITE), STATUS_SUCCESS);
    pages = 0;
    cr_assert_eq(mm_map_view(m, a, ps, &pa, 0, &pages, PAGE_READWRITE), STATUS_SUCCESS);
    pages = 0;
    cr_assert_eq(mm_map_view(m, b, ps, &pb, 0, &pages, PAGE_READWRITE), STATUS_SUCCESS);
    section_work(m, a, b, va_a, va_b, 1);
    section_work(m, a, b, pa, pb, 1);

    struct mm_machine *copy = mm_clone(m);
    cr_assert_not_null(copy);
    assert_same(copy, m, 0);
    t_check(copy);
    /* both go on the same way; then the copy alone writes its file */
    for (uint32_t round = 2; round < 4; round++) {
        section_work(m, a, b, va_a, va_b, round);
        section_work(copy, a, b, va_a, va_b, round);
        section_work(m, a, b, pa, pb, round);
        section_work(copy, a, b, pa, pb, round);
    }
    assert_same(copy, m, 1);
    cr_assert_eq(mm_write32(copy, a, va_a, 0xC0FFEEu), STATUS_SUCCESS);
    uint32_t written = 0, in_m = 0, in_copy = 0;
    cr_assert_eq(mm_flush_view(copy, a, va_a, PAGE_SIZE, &written), STATUS_SUCCESS);
    cr_assert_eq(written, 1u);
    cr_assert_eq(mm_file_read32(copy, file, 0, &in_copy), STATUS_SUCCESS);
    cr_assert_eq(mm_file_read32(m, file, 0, &in_m), STATUS_SUCCESS);
    cr_assert_eq(in_copy, 0xC0FFEEu);
    cr_assert_eq(in_m, 300u, "the original's file is its own");
    /* closing and unmapping on one leaves the other's sections whole */
    cr_assert_eq(mm_unmap_view(m, a, va_a), STATUS_SUCCESS);
    cr_assert_eq(mm_unmap_view(m, b, va_b), STATUS_SUCCESS);
    cr_assert_eq(mm_close_section(m, fs), STATUS_SUCCESS);
    t_check(m);
    t_check(copy);
    mm_destroy(m);
    section_work(copy, a, b, pa, pb, 9);
    t_check(copy);
    mm_destroy(copy);
}
