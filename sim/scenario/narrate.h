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
    bool skip_notes;      /* a note's text is shown elsewhere (mmviz) */
    bool summary_only;    /* run -q: only failures come before the summary */
    struct replay *replay;
    uint32_t step;        /* the numbered step being run (scenario.h), 0 during the setup */
    uint32_t compact_from;  /* the entry a compacted page left, told with the entry it enters */
    /* Lines of the fault being resolved, held back so the fault's own line
     * (whose event comes once it is resolved) is told first. */
    char *held;
    size_t held_len, held_cap;
    /* Where each event's lines begin in held (its seq, their offset), so
     * that the lines of events before a fault was raised are told before
     * the fault's line, not after it. */
    struct narrate_mark { uint64_t seq; size_t off; } *marks;
    size_t nmarks, marks_cap;
};

void narrate_parameters(struct narrator *n, const struct scenario *sc);
/* Between parameters and step 1: the header of step 0 (the declared
 * processes start) and their events. */
void narrate_setup(struct narrator *n);
/* Print what is held back; call at the end of a step and before freeing. */
void narrate_flush(struct narrator *n);
void narrate_free(struct narrator *n);
/* Before and after running the entry st (steps[index]) of the scenario:
 * the first entry of a numbered step prints its header ("step 3: write
 * ..."), a note its text, an operation what happened and the lists after
 * it, an expectation what it checked. */
void narrate_step_begin(struct narrator *n, const struct scn_step *st, uint32_t index);
void narrate_event(void *narrator, const struct mm_event *ev);
void narrate_step_end(struct narrator *n, const struct replay_result *res);
/* An expect step's outcome: "expect: zeroed 59 = 59, active 5 = 5", or,
 * when a check failed, the failed checks' expected and actual values side
 * by side and then those that held. */
void narrate_expect(struct narrator *n, const struct replay_result *res);
/* "internal error: an invariant of the machine broke in step N ..." */
void narrate_broken(struct narrator *n, const struct replay_result *res);
/* The expect steps run so far. */
uint32_t narrate_expects_run(const struct replay *r);
/* Narration off (--quiet): after a step run with no narrator attached,
 * only a failed expectation or a broken invariant is told. */
void narrate_step_quiet(struct narrator *n, const struct replay_result *res);
/* The final line: how many expect steps held; returns the exit status. */
int narrate_summary(struct narrator *n);

/* One-line descriptions the step mode reuses. */
/* The walk of va for `access`: a refused access stops at the PTE. */
void narrate_walk(FILE *out, const struct mm_machine *m, uint32_t pid, mm_va va, enum mm_access_kind access);
/* The TLB's entries and counters. */
void narrate_tlb(FILE *out, const struct mm_machine *m);
void narrate_lists(FILE *out, const struct mm_machine *m);
/* Every list's frames in order (Standby by priority), then the Active
 * frames and those in I/O (Transition); at most 128 of each. */
void narrate_list_frames(FILE *out, const struct mm_machine *m);
void narrate_pfn(FILE *out, const struct mm_machine *m, mm_pfn frame);
void narrate_ws(FILE *out, const struct mm_machine *m, uint32_t pid);
/* What a working-set entry's page is: "page directory", "hyperspace page
 * table", "working-set list", "page table", or NULL for a data page. */
const char *narrate_ws_role(mm_va va);
void narrate_vads(FILE *out, const struct mm_machine *m, uint32_t pid);
/* What an entry's value means ("valid, frame 0x4, writable, ..."), into
 * out. `va` is the address the entry decides (a page, or for a PDE the
 * page table's self-map address): a zero entry there is "ask the VAD" in
 * user space and "nothing mapped" in system space, which has no VADs;
 * NARRATE_ANY_VA when unknown. narrate_pte_value() is the latter. */
#define NARRATE_ANY_VA 0xFFFFFFFFu
void narrate_entry_value(char *out, size_t size, mm_pte v, mm_va va);
void narrate_pte_value(char *out, size_t size, mm_pte v);

#endif
