/*
 * narrate.h - telling a replay in words (or as JSON lines). The narrator
 * is an event sink: it prints each engine event as it happens, in plain
 * words with the NT routine alongside, between a header for each step and
 * a summary of the state after it.
 */
#ifndef MMSIM_NARRATE_H
#define MMSIM_NARRATE_H

#include <stdbool.h>
#include <stdio.h>

#include "replay.h"

struct narrator {
    FILE *out;
    bool verbose;         /* also hardware A/D bits, TLB flushes, translation walks */
    bool color;
    bool json;            /* JSON lines instead of words */
    bool quiet_events;    /* step headers and summaries only */
    struct replay *replay;
    uint32_t step;        /* 1-based number of the step being run */
    /* Lines of the fault being resolved, held back so the fault's own line
     * (whose event comes once it is resolved) is told first. */
    char *held;
    size_t held_len, held_cap;
};

void narrate_parameters(struct narrator *n, const struct scenario *sc);
/* Between parameters and step 1: the declared processes are created. */
void narrate_setup(struct narrator *n);
/* Print what is held back; call at the end of a step and before freeing. */
void narrate_flush(struct narrator *n);
void narrate_free(struct narrator *n);
void narrate_step_begin(struct narrator *n, const struct scn_step *st, uint32_t index);
void narrate_event(void *narrator, const struct mm_event *ev);
void narrate_step_end(struct narrator *n, const struct replay_result *res);
/* Narration off (--quiet): after a step run with no narrator attached,
 * only a failed expectation or a broken invariant is told. */
void narrate_step_quiet(struct narrator *n, const struct replay_result *res);
/* The final line: how many expectations held; returns the exit status. */
int narrate_summary(struct narrator *n);

/* One-line descriptions the step mode reuses. */
/* The walk of va for `access`: a refused access stops at the PTE. */
void narrate_walk(FILE *out, const struct mm_machine *m, uint32_t pid, mm_va va, enum mm_access_kind access);
/* The TLB's entries and counters. */
void narrate_tlb(FILE *out, const struct mm_machine *m);
void narrate_lists(FILE *out, const struct mm_machine *m);
void narrate_pfn(FILE *out, const struct mm_machine *m, mm_pfn frame);
void narrate_ws(FILE *out, const struct mm_machine *m, uint32_t pid);
void narrate_vads(FILE *out, const struct mm_machine *m, uint32_t pid);
void narrate_pte_value(char *out, size_t size, mm_pte v);

#endif
