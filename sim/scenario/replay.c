/*
 * replay.c - building the machine of a scenario and running its steps,
 * each through its row of the op table (ops.h): the row's run function
 * applies an op to the engine, or judges an expect step. After each step
 * the invariant checker runs as the check mode says; with seeking on, a
 * copy of the machine is kept every few steps so that going back costs a
 * copy and a few steps, not a replay from the start.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "ops.h"
#include "replay.h"
#include "show.h"

/* What a copy restores: the machine and the replay's own state then. */
struct replay_snapshot {
    uint32_t step;                  /* steps run when it was taken */
    struct mm_machine *m;
    uint32_t *pid;
    uint32_t *section;              /* the scenario's section handles then (files do not change) */
    mm_status last_status;
    bool has_status, has_value;
    uint32_t last_value;
    struct mm_fault_info last_fault;
    uint32_t failed_steps;
    size_t bytes;
};

static const char *const check_names[REPLAY_CHECK_COUNT] = {"touched", "full", "end"};

const char *replay_check_name(enum replay_check mode)
{
    return (unsigned)mode < REPLAY_CHECK_COUNT ? check_names[mode] : "?";
}

int replay_check_parse(const char *name)
{
    for (int i = 0; i < REPLAY_CHECK_COUNT; i++)
        if (strcmp(name, check_names[i]) == 0)
            return i;
    return -1;
}

static uint32_t full_every_of(uint32_t frames)
{
    uint32_t scaled = frames / REPLAY_FULL_CHECK_FRAMES;
    return scaled > REPLAY_FULL_CHECK_STEPS ? scaled : REPLAY_FULL_CHECK_STEPS;
}

uint32_t replay_full_every(const struct mm_machine *m) { return full_every_of(mm_frame_count(m)); }

/* Every event goes to the checker (touched mode) and to the caller. */
static void replay_sink(void *ctx, const struct mm_event *ev)
{
    struct replay *r = ctx;
    if (r->checker)
        mm_checker_note(r->checker, ev);
    if (r->fn && !r->silent)
        r->fn(r->ctx, ev);
}

/* Attach the sink when someone listens, and none otherwise: with no sink
 * the engine builds no event at all (narration off and checks off cost
 * nothing per event). */
static void attach(struct replay *r, bool listen)
{
    if (listen)
        mm_set_sink(r->m, replay_sink, r);
    else
        mm_set_sink(r->m, NULL, NULL);
}

static void attach_for_next(struct replay *r)
{
    bool checking = r->checker && r->next >= r->checked;
    attach(r, checking || (r->fn && !r->silent));
}

bool replay_start(struct replay *r, const struct scenario *sc, mm_event_fn fn, void *ctx,
                  char *err, size_t err_size)
{
    memset(r, 0, sizeof *r);
    r->sc = sc;
    r->fn = fn;
    r->ctx = ctx;
    if (err_size)
        *err = '\0';
    const char *why = NULL;
    r->m = mm_create(&sc->config, &why);
    if (!r->m && mm_config_check(&sc->config)) {   /* a machine NT could not be */
        snprintf(err, err_size, "cannot build the machine: %s", why ? why : mm_config_check(&sc->config));
        return false;
    }
    r->pid = calloc(sc->nprocess_names + 1, sizeof *r->pid);
    r->checker = r->m ? mm_checker_create(r->m) : NULL;
    if (!r->m || !r->pid || !r->checker)   /* a valid machine the host has no room for */
        mm_host_exhausted(__func__, "building the machine");
    if (!replay_files_start(r, err, err_size)) {   /* the scenario's files, in the file store */
        replay_end(r);
        return false;
    }
    r->check = REPLAY_CHECK_TOUCHED;
    r->full_every = replay_full_every(r->m);
    attach_for_next(r);
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
        r->started = i + 1;
    }
    return true;
}

bool replay_machine_builds(const struct scenario *sc, struct scn_error *e)
{
    struct replay r;
    char err[sizeof e->message];
    if (replay_start(&r, sc, NULL, NULL, err, sizeof err)) {
        replay_end(&r);
        return true;
    }
    memset(e, 0, sizeof *e);
    if (r.started < sc->ninitial && strncmp(err, "cannot start process ", 21) == 0) {
        const struct scn_process_opts *o = &sc->initial[r.started];
        e->line = o->line;
        e->col = o->col;
        snprintf(e->path, sizeof e->path, "$.processes[%u]", r.started);
        snprintf(e->message, sizeof e->message, "%.200s (%u frames start only the first %u of the %u processes; "
                 "give more frames or fewer processes)", err, sc->config.frames, r.started, sc->ninitial);
    } else {
        snprintf(e->path, sizeof e->path, "$");
        snprintf(e->message, sizeof e->message, "%s", err);
    }
    return false;
}

bool replay_set_check(struct replay *r, enum replay_check mode)
{
    r->check = mode;
    if (mode != REPLAY_CHECK_TOUCHED && r->checker) {
        mm_checker_destroy(r->checker);
        r->checker = NULL;
    }
    attach_for_next(r);
    return true;
}

static void free_snapshot(struct replay_snapshot *s)
{
    mm_destroy(s->m);
    free(s->pid);
    free(s->section);
    s->m = NULL;
    s->pid = NULL;
    s->section = NULL;
}

/* Keep every other copy (those at multiples of twice the interval). */
static void thin_snapshots(struct replay *r)
{
    uint32_t kept = 0;
    r->snapshot_every *= 2;
    for (uint32_t i = 0; i < r->nsnap; i++) {
        if (r->snap[i].step % r->snapshot_every == 0) {
            r->snap[kept++] = r->snap[i];
        } else {
            r->snap_bytes -= r->snap[i].bytes;
            free_snapshot(&r->snap[i]);
        }
    }
    r->nsnap = kept;
}

/* A copy of the machine and the replay's state now. */
static bool take_snapshot(struct replay *r)
{
    if (r->nsnap == r->snap_cap) {
        uint32_t cap = r->snap_cap ? r->snap_cap * 2 : 16;
        struct replay_snapshot *p = realloc(r->snap, cap * sizeof *p);
        if (!p)
            return false;
        r->snap = p;
        r->snap_cap = cap;
    }
    struct replay_snapshot s = {
        .step = r->next, .last_status = r->last_status, .has_status = r->has_status,
        .has_value = r->has_value, .last_value = r->last_value, .last_fault = r->last_fault,
        .failed_steps = r->failed_steps,
    };
    s.m = mm_clone(r->m);
    s.pid = malloc((r->sc->nprocess_names + 1) * sizeof *s.pid);
    s.section = malloc((r->sc->nsections + 1) * sizeof *s.section);
    if (!s.m || !s.pid || !s.section) {
        free_snapshot(&s);
        return false;
    }
    memcpy(s.pid, r->pid, (r->sc->nprocess_names + 1) * sizeof *s.pid);
    memcpy(s.section, r->section, (r->sc->nsections + 1) * sizeof *s.section);
    s.bytes = mm_host_bytes(s.m);
    r->snap[r->nsnap++] = s;
    r->snap_bytes += s.bytes;
    while (r->snap_bytes > REPLAY_SNAPSHOT_BUDGET && r->nsnap > 1)
        thin_snapshots(r);
    return true;
}

bool replay_enable_seeking(struct replay *r)
{
    r->snapshot_every = REPLAY_SNAPSHOT_EVERY;
    return take_snapshot(r);
}

void replay_end(struct replay *r)
{
    mm_destroy(r->m);
    mm_checker_destroy(r->checker);
    free(r->pid);
    free(r->file);
    free(r->section);
    for (uint32_t i = 0; i < r->nsnap; i++)
        free_snapshot(&r->snap[i]);
    free(r->snap);
    r->m = NULL;
    r->pid = NULL;
    r->file = r->section = NULL;
    r->checker = NULL;
    r->snap = NULL;
    r->nsnap = r->snap_cap = 0;
}

uint32_t replay_pid(const struct replay *r, int process)
{
    return process >= 0 ? r->pid[process] : 0;
}

/* The invariant checks after step `index` (0-based), as the mode says. */
static void check_step(struct replay *r, const struct scn_step *st, uint32_t index)
{
    bool last = index + 1 == r->sc->nsteps;
    bool ok = true;
    switch (r->check) {
    case REPLAY_CHECK_FULL:
        ok = mm_check(r->m, r->broken_msg, sizeof r->broken_msg);
        break;
    case REPLAY_CHECK_TOUCHED:
        if (st->process >= 0 && r->pid[st->process])
            mm_checker_note_process(r->checker, r->pid[st->process]);
        if (last || ++r->since_full >= r->full_every) {
            r->since_full = 0;
            mm_checker_forget(r->checker);
            ok = mm_check(r->m, r->broken_msg, sizeof r->broken_msg);
        } else {
            ok = mm_check_touched(r->checker, r->m, r->broken_msg, sizeof r->broken_msg);
        }
        break;
    case REPLAY_CHECK_END:
    default:
        if (last)
            ok = mm_check(r->m, r->broken_msg, sizeof r->broken_msg);
        break;
    }
    if (!ok)
        r->broken = true;
}

/* A result with nothing in it. Only the counts and the first entries are
 * cleared: the arrays (24 KiB) are read up to the counts, and clearing them
 * whole cost more than most steps do. */
static void clear_result(struct replay_result *res)
{
    memset(res, 0, offsetof(struct replay_result, check));
    memset(&res->check[0], 0, sizeof res->check[0]);
    res->nfailures = 0;
    res->failure[0][0] = '\0';
}

bool replay_step(struct replay *r, struct replay_result *res)
{
    clear_result(res);
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
    if (res->index >= r->checked) {
        check_step(r, st, res->index);
        r->checked = res->index + 1;
    } else if (r->checker) {
        mm_checker_forget(r->checker);
    }
    if (!r->silent)
        attach_for_next(r);
    if (r->snapshot_every && r->next % r->snapshot_every == 0 && !r->broken &&
        (r->nsnap == 0 || r->snap[r->nsnap - 1].step < r->next))
        take_snapshot(r);   /* out of host memory: seeking back will just run more steps */
    return true;
}

/* Put the machine back to copy s. */
static bool restore(struct replay *r, const struct replay_snapshot *s)
{
    struct mm_machine *m = mm_clone(s->m);
    if (!m)
        return false;
    mm_destroy(r->m);
    r->m = m;
    memcpy(r->pid, s->pid, (r->sc->nprocess_names + 1) * sizeof *r->pid);
    memcpy(r->section, s->section, (r->sc->nsections + 1) * sizeof *r->section);
    r->next = s->step;
    r->last_status = s->last_status;
    r->has_status = s->has_status;
    r->has_value = s->has_value;
    r->last_value = s->last_value;
    r->last_fault = s->last_fault;
    r->failed_steps = s->failed_steps;
    r->broken = false;
    r->broken_msg[0] = '\0';
    if (r->checker)
        mm_checker_forget(r->checker);
    return true;
}

bool replay_seek(struct replay *r, uint32_t target)
{
    if (target > r->sc->nsteps)
        target = r->sc->nsteps;
    if (target < r->next) {
        const struct replay_snapshot *best = NULL;
        for (uint32_t i = 0; i < r->nsnap && r->snap[i].step <= target; i++)
            best = &r->snap[i];
        if (!best || !restore(r, best))
            return false;
    }
    /* silent: the caller is told nothing; steps checked before run with no
     * sink at all, so no event is built */
    r->silent = true;
    struct replay_result res;
    for (bool ran = true; ran && r->next < target;) {
        attach_for_next(r);
        ran = replay_step(r, &res);
    }
    r->silent = false;
    attach_for_next(r);
    return r->next == target;
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

/* The pages a range op walks at most, failing or not: its size, or for an
 * op on a whole range (release, unmap_view, flush_view without a size, a
 * view of a whole section) `whole`, the largest range made before it. A
 * section's are its own pages, or all the files' pages for a whole file. */
static uint64_t scanned_pages(const struct scenario *sc, const struct scn_step *st, uint64_t whole)
{
    if (st->op == OP_CREATE_SECTION) {
        const struct scn_section *sec = st->value < sc->nsections ? &sc->sections[st->value] : NULL;
        return sec && sec->pages ? sec->pages : SCN_MAX_FILE_PAGES;
    }
    if (st->op == OP_RELEASE || st->op == OP_UNMAP_VIEW || !st->size)
        return whole;
    return ((uint64_t)st->size + PAGE_SIZE - 1) / PAGE_SIZE;
}

/* A range a step reserved at an address it names. */
struct range_made {
    int process;
    mm_va base;
    uint64_t pages;
};

/* The pages of the range a release at st's address in its process would
 * release: the largest reserved there by a step (one may have failed, so
 * any of them may be the one that exists; their entries go), else 0 (not
 * known). The range stays among those reserved: a release can fail (a
 * paged-out page table that cannot come back), and the bound must hold
 * whatever happens. */
static uint64_t released_range(const struct scn_step *st, struct range_made *made, uint32_t *n)
{
    uint64_t pages = 0;
    for (uint32_t k = *n; k-- > 0;)
        if (made[k].process == st->process && made[k].base == st->address) {
            pages = made[k].pages > pages ? made[k].pages : pages;
            made[k] = made[--*n];
        }
    return pages;
}

/* The pages a release of a range of `pages` walks at most: the engine
 * skips a page table that does not exist in one step, and no more tables
 * can exist than the machine has frames and paging-file slots to hold. */
static uint64_t release_walk(uint64_t pages, uint64_t units)
{
    uint64_t tabled = units * PTES_PER_PAGE;
    return (pages < tabled ? pages : tabled) + pages / PTES_PER_PAGE + 1;
}

/* An access, a note, a trim or new limits of one working set: a step
 * charged by what a process can hold (see replay.h), not by the machine's
 * size. */
static bool step_is_small(enum scn_op op)
{
    return op == OP_READ || op == OP_WRITE || op == OP_EXECUTE || op == OP_NOTE || op == OP_TRIM ||
           op == OP_SET_WS_LIMITS;
}

bool replay_within_budget(const struct scenario *sc, const struct replay_budget *b, struct scn_error *e)
{
    const struct replay_budget dflt = {REPLAY_MAX_TICKS, REPLAY_MAX_WORK, REPLAY_CHECK_TOUCHED};
    if (!b)
        b = &dflt;
    const uint64_t frames = sc->config.frames, base = machine_units(&sc->config);
    const uint32_t full_every = full_every_of(sc->config.frames);   /* touched mode's whole check */
    uint64_t ranges = sc->ninitial, processes = sc->ninitial, reserved = 0, ticks = 0, work = base;
    uint64_t held = 0, mapped = 0;   /* pages committed, and mapped in views, so far */
    uint64_t largest = 0;   /* the largest range made so far, in pages */
    uint64_t unnamed = 0;   /* the largest reserved where the engine chose (a release may meet it) */
    struct range_made *made = malloc((sc->nsteps + 1) * sizeof *made);
    uint32_t nmade = 0;
    if (!made)
        mm_host_exhausted(__func__, "the budget's list of ranges");
    for (uint32_t i = 0; i < sc->nsteps; i++) {
        const struct scn_step *st = &sc->steps[i];
        switch (st->op) {
        case OP_RESERVE:
        case OP_ALLOCATE:
        case OP_CREATE_THREAD: {
            uint64_t pages = scanned_pages(sc, st, 0);
            ranges++;
            reserved += pages;
            if (st->address && st->op != OP_CREATE_THREAD)
                made[nmade++] = (struct range_made){st->process, st->address & ~0xFFFFu, pages};
            else if (pages > unnamed)
                unnamed = pages;
            break;
        }
        case OP_CREATE_PROCESS:
            ranges++;
            processes++;   /* one that exits is still counted: an upper bound */
            break;
        case OP_TICK:
            ticks += st->value;
            work += (uint64_t)st->value * (frames + 16);
            break;
        case OP_TOUCH:
            work += ((uint64_t)st->size + PAGE_SIZE - 1) / PAGE_SIZE;
            break;
        case OP_COMMIT:
        case OP_DECOMMIT:
        case OP_PROTECT:
        case OP_RELEASE:
        case OP_CREATE_SECTION:
        case OP_MAP_VIEW:
        case OP_UNMAP_VIEW:
        case OP_FLUSH_VIEW:
            if (st->op == OP_RELEASE) {
                uint64_t pages = released_range(st, made, &nmade);
                if (pages && unnamed > pages)   /* where the engine chose may be this very address */
                    pages = unnamed;
                work += REPLAY_SCAN_UNITS * release_walk(pages ? pages : largest, base);
            } else {
                work += REPLAY_SCAN_UNITS * scanned_pages(sc, st, largest);
            }
            break;
        default:
            break;
        }
        if (st->op == OP_ALLOCATE || st->op == OP_COMMIT || st->op == OP_CREATE_THREAD)
            held += scanned_pages(sc, st, largest);
        if (st->op == OP_MAP_VIEW) {
            mapped += scanned_pages(sc, st, largest);
            ranges++;   /* a view is a VAD the checks walk, too */
        }
        if (st->op == OP_RESERVE || st->op == OP_ALLOCATE || st->op == OP_CREATE_THREAD ||
            st->op == OP_CREATE_SECTION || st->op == OP_MAP_VIEW) {
            uint64_t pages = scanned_pages(sc, st, 0);
            largest = pages > largest ? pages : largest;
        }
        uint64_t walk = reserved < frames * PTES_PER_PAGE ? reserved : frames * PTES_PER_PAGE;
        uint64_t bound = base + 32 * ranges + 2 * walk;   /* a large op's own work and its touched check */
        uint64_t whole = bound + REPLAY_PROCESS_UNITS * processes;   /* the whole check */
        /* a small step: the touched check walks the process's VADs, and a
           fault's search for a victim may pass every working-set entry of
           every process (with no page available, a fault trims them all):
           the valid ones, each a frame (a private page, a page table, a
           locked page) or a view's page at one of the addresses it is
           mapped at, and the free ones below LastEntry, of which a search
           starts with at most WS_COMPACT_SLACK + 1 (ws_compact). The
           private entries are also at most the pages committed so far,
           their page tables and 4 per process (the three locked pages and
           one to spare), and what each process can commit at once. */
        uint64_t private = held + held / PTES_PER_PAGE + 4 * processes, most = processes * base,
                 live = frames + (WS_COMPACT_SLACK + 1) * processes;
        private = private < most ? private : most;
        uint64_t entries = (private < live ? private : live) + mapped;
        uint64_t small = REPLAY_STEP_UNITS + REPLAY_RANGE_UNITS * ranges + REPLAY_WS_UNITS * entries;
        bool last = i + 1 == sc->nsteps;
        bool whole_check = b->check == REPLAY_CHECK_FULL ||
                           (b->check == REPLAY_CHECK_TOUCHED && ((i + 1) % full_every == 0 || last)) ||
                           (b->check == REPLAY_CHECK_END && last);
        if (whole_check)
            work += whole + (step_is_small(st->op) ? small : 0);   /* whole holds a large op's bound */
        else
            work += step_is_small(st->op) ? small : bound;
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
            free(made);
            return false;
        }
    }
    free(made);
    return replay_machine_builds(sc, e);
}

struct scenario *replay_load(const char *file, const struct replay_budget *b, FILE *err)
{
    struct scn_errors errs;
    struct scenario *sc = scenario_load(file, NULL, 0, &errs);
    if (sc && replay_within_budget(sc, b, &errs.e[0]))
        return sc;
    if (sc) {
        scenario_free(sc);
        errs.count = 1;
        errs.truncated = false;
    }
    for (uint32_t k = 0; k < errs.count; k++) {
        char line[SCN_ERROR_TEXT];
        scenario_format_error(file, &errs.e[k], line, sizeof line);
        fprintf(err, "%s\n", line);
    }
    if (errs.truncated) {
        show_fputs(err, file);
        fprintf(err, ": more errors follow; fix these first\n");
    }
    return NULL;
}
