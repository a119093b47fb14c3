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
    vm->fresh = true;
    vm->nev = 0;
    free(vm->narration);
    vm->narration = NULL;
    free(vm->note);
    vm->note = NULL;
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
    return start(vm, check, err, err_size) && viz_model_goto(vm, 0) == 0;
}

void viz_model_close(struct viz_model *vm)
{
    if (vm->running)
        replay_end(&vm->r);
    vm->running = false;
    free(vm->ev);
    free(vm->narration);
    free(vm->note);
    scenario_free(vm->sc);
    memset(vm, 0, sizeof *vm);
}

/* Add a step's note to the shown notes, a blank line after the one before. */
static void add_note(struct viz_model *vm, const char *text)
{
    size_t old = vm->note ? strlen(vm->note) : 0, len = strlen(text);
    char *p = realloc(vm->note, old + len + 3);
    if (!p)
        return;
    if (old)
        memcpy(p + old, "\n\n", 2);
    memcpy(p + old + (old ? 2 : 0), text, len + 1);
    vm->note = p;
}

/* The failed checks of an expect step, added to the step's result. */
static void add_failures(struct viz_model *vm, const struct replay_result *res)
{
    for (uint32_t i = 0; i < res->nfailures && vm->res.nfailures < REPLAY_MAX_FAILURES; i++)
        memcpy(vm->res.failure[vm->res.nfailures++], res->failure[i], sizeof res->failure[i]);
}

/* Run numbered step n (every entry of it), keeping its operation's events
 * and result, its notes and the narration of it all. */
static void step_recorded(struct viz_model *vm, uint32_t n)
{
    free(vm->narration);
    vm->narration = NULL;
    free(vm->note);
    vm->note = NULL;
    vm->nev = 0;
    memset(&vm->res, 0, sizeof vm->res);
    vm->narr_out = open_memstream(&vm->narration, &vm->narr_len);
    memset(&vm->narr, 0, sizeof vm->narr);
    vm->narr.out = vm->narr_out;
    vm->narr.replay = &vm->r;
    vm->narr.skip_notes = true;   /* the notes have a place of their own */
    while (vm->r.next < vm->sc->step_end[n] && !vm->r.broken) {
        const struct scn_step *st = &vm->sc->steps[vm->r.next];
        struct replay_result res;
        if (vm->narr_out)
            narrate_step_begin(&vm->narr, st, vm->r.next);
        vm->recording = vm->narr_out != NULL;
        bool ran = replay_step(&vm->r, &res);
        vm->recording = false;
        if (!ran)
            break;
        if (vm->narr_out)
            narrate_step_end(&vm->narr, &res);
        if (st->op == OP_NOTE && st->text)
            add_note(vm, st->text);
        else if (st->op == OP_EXPECT)
            add_failures(vm, &res);
        else
            vm->res = res;
    }
    if (vm->narr_out) {
        narrate_flush(&vm->narr);
        narrate_free(&vm->narr);
        fclose(vm->narr_out);
        vm->narr_out = NULL;
    }
}

uint32_t viz_model_goto(struct viz_model *vm, uint32_t n)
{
    if (n > vm->sc->nops)
        n = vm->sc->nops;
    if (!vm->running)
        return 0;
    if (n == vm->step && !vm->fresh)
        return n;
    uint32_t before = n > 0 ? vm->sc->step_end[n - 1] : 0;   /* the entry step n starts at */
    /* back: from the replayer's nearest copy at or before `before`; forward:
     * silently (checked) to it. When that fails (out of host memory, or the
     * machine broke on the way) the model shows where the replayer is. */
    if (vm->r.next != before)
        replay_seek(&vm->r, before);
    if (!vm->r.broken && vm->r.next == before)
        step_recorded(vm, n);
    vm->fresh = false;
    vm->step = vm->r.next ? vm->sc->steps[vm->r.next - 1].number : 0;
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
    return vm->note ? vm->note : "";
}

const struct scn_step *viz_model_op(const struct viz_model *vm)
{
    return vm->step > 0 ? &vm->sc->steps[vm->sc->op_entry[vm->step]] : NULL;
}

bool viz_model_step_va(const struct viz_model *vm, mm_va *va, int *process)
{
    const struct scn_step *st = viz_model_op(vm);
    if (!st)
        return false;
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
