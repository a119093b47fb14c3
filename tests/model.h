/*
 * model.h - a model of what NT must answer, for randomized workouts of the
 * engine (test_random.c, the engine fuzzer, the soak). Several processes
 * allocate, commit, decommit, release, protect, read, write and execute
 * while the system threads and memory-list commands run among them; the
 * model predicts the status of every call and keeps a shadow copy of every
 * byte written. model_check() compares the machine with it without
 * disturbing anything (mm_peek_page) and runs the invariant checker, both
 * on what the operations touched (mm_check_touched) and on the whole machine.
 */
#ifndef MMSIM_TEST_MODEL_H
#define MMSIM_TEST_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm.h"

/* Where the model's choices come from: a seeded generator or fuzz bytes. */
typedef uint32_t (*model_source)(void *ctx);

struct model;

struct model_stats {
    uint64_t ops, accesses, checks;
};

/* A model over machine m with `processes` processes (1..8). The model is
 * m's event sink (it feeds an mm_checker); model_set_sink chains another. */
struct model *model_new(struct mm_machine *m, int processes, char *err, size_t err_size);
void model_free(struct model *w);
void model_set_sink(struct model *w, mm_event_fn fn, void *ctx);
/* Perform one operation chosen by `next`; false (with a message) when the
 * machine answers otherwise than NT would. */
bool model_step(struct model *w, model_source next, void *ctx, char *err, size_t err_size);
/* Invariants and every page's contents; false with a message on a loss. */
bool model_check(struct model *w, char *err, size_t err_size);
/* Terminate every process and check that every frame came back. */
bool model_finish(struct model *w, char *err, size_t err_size);
const struct model_stats *model_stats(const struct model *w);

/* A machine configuration drawn from the source (small, under pressure). */
void model_config(struct mm_config *cfg, model_source next, void *ctx);

#endif
