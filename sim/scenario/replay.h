/*
 * replay.h - running a validated scenario against a machine, one step at
 * a time, and checking its expectations. Replaying is deterministic, so
 * "go back to step N" is "start again and run N steps".
 */
#ifndef MMSIM_REPLAY_H
#define MMSIM_REPLAY_H

#include "scenario.h"

#define REPLAY_MAX_FAILURES 16
#define REPLAY_MAX_CHECKS 96

/* One thing an expect step checked, with what it expected and what it
 * found, both as text ("PTE of 0x00010000 in a", "form", "valid",
 * "transition (0x00004886)"). */
struct replay_check {
    char subject[48];       /* what the check is about; "" for the last access and the lists */
    char what[32];          /* the field checked ("zeroed", "form", "contains") */
    char expected[48];
    char actual[64];
    bool held;
    bool listing;           /* held, it reads as what and expected only ("contains 0x00010000") */
};

struct replay {
    const struct scenario *sc;
    struct mm_machine *m;
    uint32_t *pid;                  /* per process name: its pid while running */
    uint32_t next;                  /* the next step to run (0-based) */
    mm_status last_status;          /* of the last step that returns one */
    bool has_status;
    uint32_t last_value;            /* of the last read */
    bool has_value;
    struct mm_fault_info last_fault;/* of the last access */
    uint32_t failed_steps;          /* expect steps with a failure */
    bool broken;                    /* an invariant failed: stop */
    char broken_msg[512];
};

/* The outcome of one step. */
struct replay_result {
    const struct scn_step *step;
    uint32_t index;                 /* 0-based */
    mm_status status;               /* for operations; STATUS_SUCCESS otherwise */
    bool returns_status;
    /* an expect step's checks, in the order of the expectation kinds */
    uint32_t nchecks;                       /* checks made; the first REPLAY_MAX_CHECKS are kept */
    struct replay_check check[REPLAY_MAX_CHECKS];
    uint32_t nfailures;                     /* checks that failed; the first REPLAY_MAX_FAILURES ... */
    char failure[REPLAY_MAX_FAILURES][320]; /* ... as "subject what: expected X, actual Y" */
};

/* Build the machine and start the declared processes. Events go to fn. */
bool replay_start(struct replay *r, const struct scenario *sc, mm_event_fn fn, void *ctx,
                  char *err, size_t err_size);
/* Run the next step; false when there is none left or the machine broke. */
bool replay_step(struct replay *r, struct replay_result *res);
void replay_end(struct replay *r);

/* The pid of a process name index, 0 when it is not running. */
uint32_t replay_pid(const struct replay *r, int process);

#endif
