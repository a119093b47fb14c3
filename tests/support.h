/*
 * support.h - helpers shared by the unit tests: small machines, an event
 * recorder, and the invariant check every test ends with.
 */
#ifndef MMSIM_TEST_SUPPORT_H
#define MMSIM_TEST_SUPPORT_H

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>

#include "mm.h"

/* A slow test's time limit, in seconds: Test(suite, name, SLOW(120)).
 * The sanitizer build (make asan) defines MM_TEST_NO_TIMEOUT and leaves
 * the limit to the make rule instead: Criterion's timeout watchdog frees
 * its request from a detached thread, and when the runner exits first
 * LeakSanitizer reports that request as a 48-byte leak of the runner. */
#ifdef MM_TEST_NO_TIMEOUT
#define SLOW(seconds) .disabled = false
#else
#define SLOW(seconds) .timeout = (seconds)
#endif

/* A machine of `frames` frames and one paging file of `pagefile` pages,
 * default tunables otherwise. Fails the test if it cannot be built. */
struct mm_machine *t_machine(uint32_t frames, uint32_t pagefile);
struct mm_machine *t_machine_cfg(const struct mm_config *cfg);

/* Fail the test, naming the invariant, unless mm_check() passes. */
void t_check(const struct mm_machine *m);

/* Create a process; reserve+commit `size` bytes read/write; return base. */
uint32_t t_process(struct mm_machine *m, const char *name);
mm_va t_alloc(struct mm_machine *m, uint32_t pid, uint32_t size, uint32_t protect);

/* The PTE of va (0 when the page table is absent), via mm_walk. */
mm_pte t_pte(const struct mm_machine *m, uint32_t pid, mm_va va);
/* The frame the PTE of va names (valid or transition), or the frame of a
 * valid translation; each fails the test when there is none. */
mm_pfn t_frame(const struct mm_machine *m, uint32_t pid, mm_va va);
mm_pfn t_valid_frame(const struct mm_machine *m, uint32_t pid, mm_va va);
/* Write every Modified page (MemoryFlushModifiedList, which writes all of
 * them, unlike a run of the modified page writer, which stops below one
 * cluster); returns the pages written. */
uint32_t t_flush(struct mm_machine *m);

/* The list a frame is on. */
enum mm_list t_location(const struct mm_machine *m, mm_pfn frame);

/* An event recorder: attach, run, then count or find events. */
#define T_MAX_EVENTS 65536
struct t_events {
    uint32_t count;
    struct mm_event ev[T_MAX_EVENTS];
};
void t_record(struct mm_machine *m, struct t_events *rec);
uint32_t t_count(const struct t_events *rec, enum mm_event_kind kind);
/* The n-th (from 0) event of a kind, or NULL. */
const struct mm_event *t_find(const struct t_events *rec, enum mm_event_kind kind, uint32_t n);

/* A small deterministic generator (xorshift64*). */
struct t_rng {
    uint64_t s;
};
uint32_t t_rand(struct t_rng *r);
uint32_t t_below(struct t_rng *r, uint32_t n);

#endif
