/*
 * replay.h - running a validated scenario against a machine, one step at
 * a time, and checking its expectations. Replaying is deterministic, so
 * "go back to step N" is "start again and run N steps".
 */
#ifndef MMSIM_REPLAY_H
#define MMSIM_REPLAY_H

#include "scenario.h"

#define REPLAY_MAX_FAILURES 16

struct replay {
    const struct scenario *sc;
    struct mm_machine *m;
    uint32_t *pid;                  /* per process name: its pid while running */
    uint32_t *file;                 /* per scenario file: the engine's file number */
    uint32_t *section;              /* per section (scenario.sections): the engine's handle,
                                       MM_MAX_SECTIONS until made (or when creating it failed) */
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
    uint32_t nfailures;
    char failure[REPLAY_MAX_FAILURES][320];
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
