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
    r->pid = calloc(sc->nprocess_names + 1, sizeof *r->pid);
    if (!r->m || !r->pid || !replay_files_start(r, err, err_size)) {
        if (!*err)
            snprintf(err, err_size, "cannot build the machine: %s", why ? why : "out of memory");
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
