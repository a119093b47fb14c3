/*
 * model.h - what mmviz shows: a scenario replayed to step N, the events of
 * that step (for the animation), its notes and narration, and the
 * invariant check after it. Steps are numbered as everywhere else: one
 * per operation, with the notes and expectations that belong to it. Going
 * back starts from a copy of the machine the replayer kept and runs the
 * entries after it: the engine is deterministic, so step N always looks
 * the same however it was reached.
 */
#ifndef MMVIZ_MODEL_H
#define MMVIZ_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "narrate.h"
#include "replay.h"

struct viz_model {
    struct scenario *sc;
    struct replay r;
    bool running;               /* r holds a machine */
    uint32_t step;              /* the numbered step shown: 0..sc->nops (scenario.h) */
    bool fresh;                 /* just restarted: not even step 0 has run */
    /* that step */
    struct replay_result res;   /* its operation's result, with its expectations' failures */
    char *note;                 /* its notes, a blank line apart (NULL: none) */
    struct mm_event *ev;        /* its engine events, in order */
    uint32_t nev, ev_cap;
    bool recording;             /* the sink keeps events only for the last step */
    char *narration;            /* what the narrator said about it (NUL-terminated) */
    struct narrator narr;
    FILE *narr_out;
    size_t narr_len;
    /* the invariant checker after the last step */
    bool check_ok;
    char check_msg[512];
};

/* Start on a loaded scenario (the model owns it from now on). False and
 * a sentence in err if the machine cannot be built. */
bool viz_model_open(struct viz_model *vm, struct scenario *sc, char *err, size_t err_size);
/* The same with the invariant checker in `check` mode (mmviz --check=MODE). */
bool viz_model_open_checked(struct viz_model *vm, struct scenario *sc, enum replay_check check, char *err,
                            size_t err_size);
void viz_model_close(struct viz_model *vm);
/* Be at step n (clamped to the scenario's length): run forward, or go back
 * from the replayer's nearest copy of the machine (replay_seek). Returns
 * the step reached (a broken machine stops early). */
uint32_t viz_model_goto(struct viz_model *vm, uint32_t n);
/* The machine was changed through the engine's API outside the scenario
 * (tests of sections drive it so): check its invariants again; the last
 * step's events and narration no longer describe it and are dropped.
 * Going to another step replays the scenario and forgets the change. */
void viz_model_machine_changed(struct viz_model *vm);
/* The notes of the current step, or "". */
const char *viz_model_note(const struct viz_model *vm);
/* The operation of the current step; NULL at step 0. */
const struct scn_step *viz_model_op(const struct viz_model *vm);
/* The address the current step is about (for the walk panel), 0 if none. */
bool viz_model_step_va(const struct viz_model *vm, mm_va *va, int *process);

#endif
