/*
 * replay.c - building the machine of a scenario and running its steps,
 * each through its row of the op table (ops.h): the row's run function
 * applies an op to the engine, or judges an expect step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "ops.h"
#include "replay.h"

bool replay_start(struct replay *r, const struct scenario *sc, mm_event_fn fn, void *ctx,
                  char *err, size_t err_size)
{
    memset(r, 0, sizeof *r);
    r->sc = sc;
    if (err_size)
        *err = '\0';
    const char *why = NULL;
    r->m = mm_create(&sc->config, &why);
    if (!r->m && mm_config_check(&sc->config)) {   /* a machine NT could not be */
        snprintf(err, err_size, "cannot build the machine: %s", why ? why : mm_config_check(&sc->config));
        return false;
    }
    r->pid = calloc(sc->nprocess_names + 1, sizeof *r->pid);
    if (!r->m || !r->pid)   /* a valid machine the host has no room for */
        mm_host_exhausted(__func__, "building the machine");
    if (!replay_files_start(r, err, err_size)) {   /* the scenario's files, in the file store */
        replay_end(r);
        return false;
    }
    mm_set_sink(r->m, fn, ctx);
    for (uint32_t i = 0; i < sc->ninitial; i++) {
        const struct scn_process_opts *o = &sc->initial[i];
        mm_status s = mm_process_create(r->m, sc->process_names[i], &r->pid[i]);
        if (s == STATUS_SUCCESS && (o->has_limits || o->hard_flags))
            s = mm_set_ws_limits_ex(r->m, r->pid[i], o->ws_minimum, o->ws_maximum, o->hard_flags);
        if (s == STATUS_SUCCESS && o->has_priority)
            s = mm_set_page_priority(r->m, r->pid[i], o->priority);
        if (s == STATUS_SUCCESS && o->modified_no_write)
            s = mm_set_modified_no_write(r->m, r->pid[i], true);
        if (s != STATUS_SUCCESS) {
            snprintf(err, err_size, "cannot start process %s: %s", sc->process_names[i],
                     mm_status_name(s) ? mm_status_name(s) : "error");
            replay_end(r);
            return false;
        }
    }
    return true;
}

void replay_end(struct replay *r)
{
    mm_destroy(r->m);
    free(r->pid);
    free(r->file);
    free(r->section);
    r->m = NULL;
    r->pid = NULL;
    r->file = r->section = NULL;
}

uint32_t replay_pid(const struct replay *r, int process)
{
    return process >= 0 ? r->pid[process] : 0;
}

bool replay_step(struct replay *r, struct replay_result *res)
{
    memset(res, 0, sizeof *res);
    if (r->broken || r->next >= r->sc->nsteps)
        return false;
    const struct scn_step *st = &r->sc->steps[r->next];
    const struct op_row *op = op_table[st->op];
    res->step = st;
    res->index = r->next++;
    if (op->run) {
        res->status = op->run(r, st, res);
        res->returns_status = op->returns_status;
        if (op->returns_status) {
            r->last_status = res->status;
            r->has_status = true;
        }
    }
    if (!mm_check(r->m, r->broken_msg, sizeof r->broken_msg))
        r->broken = true;
    return true;
}

/* What the machine costs per step before anything is reserved: its frames
 * and its paging-file slots at their largest. */
static uint64_t machine_units(const struct mm_config *c)
{
    uint64_t u = c->frames;
    for (uint32_t f = 0; f < c->pagefile_count && f < MM_MAX_PAGEFILES; f++)
        u += c->pagefile_maximum[f] > c->pagefile_pages[f] ? c->pagefile_maximum[f] : c->pagefile_pages[f];
    return u;
}

bool replay_within_budget(const struct scenario *sc, const struct replay_budget *b, struct scn_error *e)
{
    const struct replay_budget dflt = {REPLAY_MAX_TICKS, REPLAY_MAX_WORK};
    if (!b)
        b = &dflt;
    const uint64_t frames = sc->config.frames, base = machine_units(&sc->config);
    uint64_t ranges = sc->ninitial, reserved = 0, ticks = 0, work = base;
    for (uint32_t i = 0; i < sc->nsteps; i++) {
        const struct scn_step *st = &sc->steps[i];
        switch (st->op) {
        case OP_RESERVE:
        case OP_ALLOCATE:
        case OP_CREATE_THREAD:
            ranges++;
            reserved += ((uint64_t)st->size + PAGE_SIZE - 1) / PAGE_SIZE;
            break;
        case OP_CREATE_PROCESS:
            ranges++;
            break;
        case OP_TICK:
            ticks += st->value;
            work += (uint64_t)st->value * (frames + 16);
            break;
        case OP_TOUCH:
            work += ((uint64_t)st->size + PAGE_SIZE - 1) / PAGE_SIZE;
            break;
        default:
            break;
        }
        uint64_t walk = reserved < frames * PTES_PER_PAGE ? reserved : frames * PTES_PER_PAGE;
        work += base + 32 * ranges + 2 * walk;
        const char *over = NULL;
        char msg[sizeof e->message];
        if (ticks > b->max_ticks) {
            over = "ticks";
            snprintf(msg, sizeof msg, "time advances %llu ticks by this step, more than the budget of %llu "
                     "(--max-ticks raises it)", (unsigned long long)ticks, (unsigned long long)b->max_ticks);
        } else if (work > b->max_work) {
            over = "work";
            snprintf(msg, sizeof msg, "the replay's work reaches %llu units by this step (a unit is about one "
                     "frame checked), more than the budget of %llu (--max-work raises "
                     "it; fewer steps, ticks or frames lower it)", (unsigned long long)work,
                     (unsigned long long)b->max_work);
        }
        if (over) {
            memset(e, 0, sizeof *e);
            e->line = st->line;
            e->col = st->col;
            snprintf(e->path, sizeof e->path, "$.steps[%u]", i);
            snprintf(e->message, sizeof e->message, "%s", msg);
            return false;
        }
    }
    return true;
}
