/*
 * model.c - replaying the scenario for the visualizer. The engine reports
 * every change through the sink below; only the events of the step being
 * shown are kept (the steps before it run silently; going back starts from
 * the replayer's nearest copy of the machine).
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* The engine's sink: keep the event for the animation and tell it to the
 * narrator, while recording the shown step. */
static void model_sink(void *ctx, const struct mm_event *ev)
{
    struct viz_model *vm = ctx;
    if (!vm->recording)
        return;
    if (vm->nev == vm->ev_cap) {
        uint32_t cap = vm->ev_cap ? vm->ev_cap * 2 : 64;
        struct mm_event *p = realloc(vm->ev, cap * sizeof *p);
        if (!p)
            return;   /* out of host memory: the animation shows less */
        vm->ev = p;
        vm->ev_cap = cap;
    }
    vm->ev[vm->nev++] = *ev;
    narrate_event(&vm->narr, ev);
}

/* The checker's verdict on the step shown: the replayer checks every step
 * in its mode (what the step touched, by default); before the first step
 * the whole machine is checked. */
static void check_now(struct viz_model *vm)
{
    if (vm->step == 0)
        vm->check_ok = mm_check(vm->r.m, vm->check_msg, sizeof vm->check_msg);
    else
        vm->check_ok = true;
    if (vm->r.broken) {
        vm->check_ok = false;
        snprintf(vm->check_msg, sizeof vm->check_msg, "%s", vm->r.broken_msg);
    }
}

static bool start(struct viz_model *vm, enum replay_check check, char *err, size_t err_size)
{
    vm->running = replay_start(&vm->r, vm->sc, model_sink, vm, err, err_size);
    if (vm->running && (!replay_set_check(&vm->r, check) || !replay_enable_seeking(&vm->r))) {
        snprintf(err, err_size, "out of host memory");
        replay_end(&vm->r);
        vm->running = false;
    }
    vm->step = 0;
    vm->nev = 0;
    if (vm->running)
        check_now(vm);
    return vm->running;
}

bool viz_model_open(struct viz_model *vm, struct scenario *sc, char *err, size_t err_size)
{
    return viz_model_open_checked(vm, sc, REPLAY_CHECK_TOUCHED, err, err_size);
}

bool viz_model_open_checked(struct viz_model *vm, struct scenario *sc, enum replay_check check, char *err,
                            size_t err_size)
{
    memset(vm, 0, sizeof *vm);
    vm->sc = sc;
    return start(vm, check, err, err_size);
}

void viz_model_close(struct viz_model *vm)
{
    if (vm->running)
        replay_end(&vm->r);
    vm->running = false;
    free(vm->ev);
    free(vm->narration);
    scenario_free(vm->sc);
    memset(vm, 0, sizeof *vm);
}

/* Run one step silently (on the way to the shown one). */
static bool step_quietly(struct viz_model *vm)
{
    struct replay_result res;
    if (!replay_step(&vm->r, &res))
        return false;
    vm->step++;
    return true;
}

/* Run one step, keeping its events and narration. */
static bool step_recorded(struct viz_model *vm)
{
    free(vm->narration);
    vm->narration = NULL;
    vm->nev = 0;
    vm->narr_out = open_memstream(&vm->narration, &vm->narr_len);
    if (!vm->narr_out)
        return step_quietly(vm);
    memset(&vm->narr, 0, sizeof vm->narr);
    vm->narr.out = vm->narr_out;
    vm->narr.replay = &vm->r;
    narrate_step_begin(&vm->narr, &vm->sc->steps[vm->r.next], vm->r.next);
    vm->recording = true;
    bool ran = replay_step(&vm->r, &vm->res);
    vm->recording = false;
    if (ran)
        narrate_step_end(&vm->narr, &vm->res);
    narrate_flush(&vm->narr);
    narrate_free(&vm->narr);
    fclose(vm->narr_out);
    vm->narr_out = NULL;
    if (ran)
        vm->step++;
    return ran;
}

uint32_t viz_model_goto(struct viz_model *vm, uint32_t n)
{
    if (n > vm->sc->nsteps)
        n = vm->sc->nsteps;
    if (!vm->running)
        return 0;
    if (n == vm->step)
        return n;
    if (n < vm->step) {
        /* back: from the nearest copy at or before step n - 1 (or 0) */
        uint32_t to = n ? n - 1 : 0;
        if (!replay_seek(&vm->r, to))
            return vm->step;
        vm->step = vm->r.next;
        vm->nev = 0;
        free(vm->narration);
        vm->narration = NULL;
        if (n == 0) {
            check_now(vm);
            return 0;
        }
    }
    if (vm->step + 1 < n) {   /* silently to the step before the shown one */
        replay_seek(&vm->r, n - 1);
        vm->step = vm->r.next;
    }
    if (vm->step + 1 == n && !vm->r.broken)
        step_recorded(vm);
    check_now(vm);
    return vm->step;
}

void viz_model_machine_changed(struct viz_model *vm)
{
    vm->nev = 0;
    free(vm->narration);
    vm->narration = NULL;
    if (vm->running)
        check_now(vm);
}

const char *viz_model_note(const struct viz_model *vm)
{
    for (uint32_t i = vm->step; i > 0; i--)
        if (vm->sc->steps[i - 1].op == OP_NOTE)
            return vm->sc->steps[i - 1].text ? vm->sc->steps[i - 1].text : "";
    return "";
}

bool viz_model_step_va(const struct viz_model *vm, mm_va *va, int *process)
{
    if (vm->step == 0)
        return false;
    const struct scn_step *st = &vm->sc->steps[vm->step - 1];
    switch (st->op) {
    case OP_RESERVE: case OP_COMMIT: case OP_ALLOCATE: case OP_DECOMMIT: case OP_RELEASE:
    case OP_PROTECT: case OP_READ: case OP_WRITE: case OP_EXECUTE: case OP_TOUCH:
        *va = st->address;
        *process = st->process;
        return true;
    case OP_MAP_VIEW:          /* the view's first page, when the scenario placed it */
    case OP_UNMAP_VIEW:
    case OP_FLUSH_VIEW:
        if (!st->address)
            return false;
        *va = st->address;
        *process = st->process;
        return true;
    default:
        return false;
    }
}
