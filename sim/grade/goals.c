/*
 * goals.c - reading a goals file and grading a scenario against it
 * (goals.h): the scenario is replayed with its invariant checks, the
 * faults counted per process from the engine's events as they happen
 * (a process may have ended by the last step), the rest read at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "goals.h"
#include "replay.h"

static const char *const counter_keys[GC_COUNT] = {"pages_written", "pages_read", "pages_zeroed", "pages_trimmed"};
static const char *const ws_keys[GW_COUNT] = {"size", "locked", "page_tables", "data"};

#define MAX_COUNT 0xFFFFFFFFull
/* What bounds each count a goal names. */
#define EVENTS_BOUND "the most events of a kind a goal can count"
#define STEPS_BOUND "the most steps a scenario may have"
#define PAGES_BOUND "pages of a machine, which has at most 1048576 frames"

/* ---- Reading ---- */

static bool read_faults(struct jread *j, const cJSON *n, const char *path, struct goal *g)
{
    const char *keys[MM_FAULT_KIND_COUNT + 2];
    unsigned nk = 0;
    keys[nk++] = "process";
    for (unsigned k = 1; k < MM_FAULT_KIND_COUNT; k++)
        keys[nk++] = mm_fault_kind_name((enum mm_fault_kind)k);
    keys[nk] = NULL;
    if (!jread_object(j, n, path, keys))
        return false;
    bool ok = true, any = false;
    char sub[200];
    for (const cJSON *c = n->child; c; c = c->next) {
        jpath(sub, sizeof sub, path, c->string);
        if (strcmp(c->string, "process") == 0) {
            const char *name;
            if (!jread_string(j, c, sub, SCN_MAX_NAME, &name))
                ok = false;
            else
                snprintf(g->faults_process, sizeof g->faults_process, "%s", name);
            continue;
        }
        for (unsigned k = 1; k < MM_FAULT_KIND_COUNT; k++)
            if (strcmp(c->string, mm_fault_kind_name((enum mm_fault_kind)k)) == 0) {
                ok &= jread_count(j, c, sub, MAX_COUNT, EVENTS_BOUND, &g->faults[k]);
                any = true;
            }
    }
    if (ok && !any) {
        jread_error(j, n, false, path, "name at least one kind of fault (demand-zero, transition, page-file, ...)");
        ok = false;
    }
    g->has_faults = true;
    return ok;
}

static bool read_keyed(struct jread *j, const cJSON *n, const char *path, const char *const *names, unsigned count,
                       uint64_t max, const char *bound, struct jrange *out, const char *process_key, char *process,
                       size_t process_size)
{
    const char *keys[16];
    unsigned nk = 0;
    if (process_key)
        keys[nk++] = process_key;
    for (unsigned k = 0; k < count; k++)
        keys[nk++] = names[k];
    keys[nk] = NULL;
    if (!jread_object(j, n, path, keys))
        return false;
    bool ok = true, any = false;
    char sub[200];
    for (const cJSON *c = n->child; c; c = c->next) {
        jpath(sub, sizeof sub, path, c->string);
        if (process_key && strcmp(c->string, process_key) == 0) {
            const char *name;
            if (!jread_string(j, c, sub, SCN_MAX_NAME, &name))
                ok = false;
            else
                snprintf(process, process_size, "%s", name);
            continue;
        }
        for (unsigned k = 0; k < count; k++)
            if (strcmp(c->string, names[k]) == 0) {
                ok &= jread_count(j, c, sub, max, bound, &out[k]);
                any = true;
            }
    }
    if (ok && !any) {
        /* an empty check would hold whatever the scenario does */
        char list[200] = "";
        for (unsigned k = 0; k < count; k++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", k ? ", " : "", names[k]);
        jread_error(j, n, false, path, "checks nothing: name at least one of %s", list);
        return false;
    }
    if (ok && process_key && !process[0]) {
        jread_error(j, n, false, path, "needs \"%s\": which process", process_key);
        ok = false;
    }
    return ok;
}

static bool read_expectations(struct jread *j, const cJSON *n, const char *path, struct goal *g)
{
    static const char *const keys[] = {"hold", "count", NULL};
    if (!jread_object(j, n, path, keys))
        return false;
    bool ok = true;
    char sub[200];
    const cJSON *hold = cJSON_GetObjectItemCaseSensitive(n, "hold");
    const cJSON *count = cJSON_GetObjectItemCaseSensitive(n, "count");
    if (!hold && !count) {
        jread_error(j, n, false, path, "needs \"hold\", \"count\" or both");
        return false;
    }
    jpath(sub, sizeof sub, path, "hold");
    if (hold) {
        g->has_hold = true;
        ok &= jread_bool(j, hold, sub, &g->hold);
    }
    jpath(sub, sizeof sub, path, "count");
    if (count)
        ok &= jread_count(j, count, sub, SCN_MAX_STEPS, STEPS_BOUND, &g->expect_steps);
    return ok;
}

static bool read_goal(struct jread *j, const cJSON *n, const char *path, struct goal *g)
{
    static const char *const keys[] = {"name",        "points",     "faults",      "counters", "lists",
                                       "working_set", "operations", "expectations", NULL};
    if (!jread_object(j, n, path, keys))
        return false;
    const char *lists[LK_COUNT];
    for (unsigned k = 0; k < LK_COUNT; k++)
        lists[k] = scenario_list_key_name((enum scn_list_key)k);
    bool ok = true, checks = false;
    char sub[200];
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(n, "name");
    const cJSON *points = cJSON_GetObjectItemCaseSensitive(n, "points");
    if (!name || !points) {
        jread_error(j, n, false, path, "a goal needs \"name\" and \"points\"");
        return false;
    }
    const char *text;
    uint64_t p;
    jpath(sub, sizeof sub, path, "name");
    if (jread_string(j, name, sub, GOAL_NAME_MAX, &text))
        snprintf(g->name, sizeof g->name, "%s", text);
    else
        ok = false;
    jpath(sub, sizeof sub, path, "points");
    if (jread_number(j, points, sub, 1, 1000, &p))
        g->points = (unsigned)p;
    else
        ok = false;
    for (const cJSON *c = n->child; c; c = c->next) {
        jpath(sub, sizeof sub, path, c->string);
        if (!strcmp(c->string, "faults"))
            ok &= read_faults(j, c, sub, g);
        else if (!strcmp(c->string, "counters"))
            ok &= read_keyed(j, c, sub, counter_keys, GC_COUNT, MAX_COUNT, EVENTS_BOUND, g->counter, NULL, NULL, 0);
        else if (!strcmp(c->string, "lists"))
            ok &= read_keyed(j, c, sub, lists, LK_COUNT, MM_MAX_FRAMES, PAGES_BOUND, g->list, NULL, NULL, 0);
        else if (!strcmp(c->string, "working_set")) {
            g->has_ws = true;
            ok &= read_keyed(j, c, sub, ws_keys, GW_COUNT, MM_MAX_FRAMES, PAGES_BOUND, g->ws, "process", g->ws_process,
                             sizeof g->ws_process);
        } else if (!strcmp(c->string, "operations"))
            ok &= jread_count(j, c, sub, SCN_MAX_STEPS, STEPS_BOUND, &g->operations);
        else if (!strcmp(c->string, "expectations"))
            ok &= read_expectations(j, c, sub, g);
        else
            continue;
        checks = true;
    }
    if (ok && !checks) {
        jread_error(j, n, false, path,
                    "a goal checks something: faults, counters, lists, working_set, operations or expectations");
        ok = false;
    }
    return ok;
}

bool goals_load(const char *path, const char *shown, struct goals *g, struct grade_errors *errs)
{
    static const char *const keys[] = {"title", "goals", NULL};
    memset(g, 0, sizeof *g);
    size_t len;
    char *text = jread_file(path, shown, &len, errs);
    if (!text)
        return false;
    struct jread j;
    bool ok = jread_begin(&j, shown, "a goals file", text, len, errs);
    const cJSON *root = ok ? j.doc.root : NULL;
    ok = ok && jread_object(&j, root, "$", keys);
    const cJSON *title = ok ? cJSON_GetObjectItemCaseSensitive(root, "title") : NULL;
    const cJSON *list = ok ? cJSON_GetObjectItemCaseSensitive(root, "goals") : NULL;
    const char *t;
    if (ok && title) {
        if (jread_string(&j, title, "$.title", GOAL_NAME_MAX, &t))
            snprintf(g->title, sizeof g->title, "%s", t);
        else
            ok = false;
    }
    if (ok && !cJSON_IsArray(list)) {
        jread_error(&j, list ? list : root, false, list ? "$.goals" : "$",
                    list ? "expected an array of goals" : "needs \"goals\": an array of goals");
        ok = false;
    }
    int n = ok ? cJSON_GetArraySize(list) : 0;
    if (ok && (n < 1 || (unsigned)n > GOALS_MAX)) {
        jread_error(&j, list, false, "$.goals", "give 1 to %u goals, found %d", GOALS_MAX, n);
        ok = false;
    }
    if (ok && !(g->goal = calloc((size_t)n, sizeof *g->goal))) {
        grade_error_at(errs, shown, 0, "out of memory");
        ok = false;
    }
    int i = 0;
    for (const cJSON *c = ok ? list->child : NULL; c; c = c->next, i++) {
        char sub[64];
        snprintf(sub, sizeof sub, "$.goals[%d]", i);
        if (!read_goal(&j, c, sub, &g->goal[i])) {
            ok = false;
            continue;
        }
        /* the report names each goal: two of one name could not be told apart */
        for (int k = 0; k < i; k++)
            if (g->goal[k].name[0] && strcmp(g->goal[k].name, g->goal[i].name) == 0) {
                snprintf(sub, sizeof sub, "$.goals[%d].name", i);
                jread_error(&j, cJSON_GetObjectItemCaseSensitive(c, "name"), false, sub,
                            "a second goal named '%s' (the first is $.goals[%d]); each goal needs a name of its own",
                            g->goal[i].name, k);
                ok = false;
                break;
            }
    }
    g->count = (uint32_t)i;
    jread_end(&j);
    free(text);
    if (!ok)
        goals_free(g);
    return ok;
}

void goals_free(struct goals *g)
{
    free(g->goal);
    g->goal = NULL;
    g->count = 0;
}

/* ---- Grading ---- */

struct tally {
    const struct replay *r;
    uint32_t nnames;
    uint64_t (*faults)[MM_FAULT_KIND_COUNT];   /* per process name */
    uint64_t all[MM_FAULT_KIND_COUNT];
};

static void count_fault(void *ctx, const struct mm_event *ev)
{
    struct tally *t = ctx;
    if (ev->kind != MM_EV_FAULT || (unsigned)ev->u.fault.kind >= MM_FAULT_KIND_COUNT)
        return;
    t->all[ev->u.fault.kind]++;
    for (uint32_t i = 0; i < t->nnames; i++)
        if (t->r->pid && replay_pid(t->r, (int)i) == ev->pid) {
            t->faults[i][ev->u.fault.kind]++;
            break;
        }
}

struct outcome {
    const struct scenario *sc;
    struct replay *r;
    struct tally *t;
    uint32_t failed_steps, expect_steps, operations;
    char failures[1024];
    size_t nfail;
    bool broken;
    char broken_msg[600];
};

static int name_index(const struct scenario *sc, const char *name)
{
    for (uint32_t i = 0; i < sc->nprocess_names; i++)
        if (strcmp(sc->process_names[i], name) == 0)
            return (int)i;
    return -1;
}

/* Append "what: expected E, found V" when v is outside the range. */
static bool check(const struct jrange *want, uint64_t v, const char *what, char *out, size_t size, size_t *n)
{
    if (!want->set || jrange_holds(want, v))
        return true;
    char e[64];
    int k = snprintf(out + *n, size - *n, "%s: expected %s, found %llu\n", what, jrange_text(want, e, sizeof e),
                     (unsigned long long)v);
    if (k > 0 && (size_t)k < size - *n)
        *n += (size_t)k;
    return false;
}

static void note(char *out, size_t size, size_t *n, const char *text)
{
    int k = snprintf(out + *n, size - *n, "%s\n", text);
    if (k > 0 && (size_t)k < size - *n)
        *n += (size_t)k;
}

static uint64_t list_count(struct mm_machine *m, enum scn_list_key k)
{
    struct mm_memory_list_info info;
    mm_memory_list_query(m, &info);
    uint64_t standby = 0;
    for (unsigned p = 0; p < MM_STANDBY_PRIORITIES; p++)
        standby += info.page_count_by_priority[p];
    switch (k) {
    case LK_ZEROED: return info.zero_page_count;
    case LK_FREE: return info.free_page_count;
    case LK_STANDBY: return standby;
    case LK_MODIFIED: return info.modified_page_count;
    case LK_MODIFIED_NO_WRITE: return info.modified_no_write_page_count;
    case LK_BAD: return info.bad_page_count;
    case LK_ACTIVE: return mm_active_frames(m);
    default: return mm_available_pages(m);
    }
}

static bool judge(const struct goal *g, const struct outcome *o, char *out, size_t size)
{
    size_t n = 0;
    bool ok = true;
    char what[96];
    struct mm_machine *m = o->r->m;
    out[0] = '\0';
    if (o->broken) {
        note(out, size, &n, o->broken_msg);
        return false;
    }
    if (g->has_faults) {
        const uint64_t *have = o->t->all;
        int idx = g->faults_process[0] ? name_index(o->sc, g->faults_process) : -1;
        if (g->faults_process[0] && idx < 0) {
            snprintf(what, sizeof what, "the scenario has no process '%s'", g->faults_process);
            note(out, size, &n, what);
            return false;
        }
        if (idx >= 0)
            have = o->t->faults[idx];
        for (unsigned k = 1; k < MM_FAULT_KIND_COUNT; k++) {
            snprintf(what, sizeof what, "%s faults%s%s", mm_fault_kind_name((enum mm_fault_kind)k),
                     idx >= 0 ? " of " : "", idx >= 0 ? g->faults_process : "");
            ok &= check(&g->faults[k], have[k], what, out, size, &n);
        }
    }
    struct mm_counters c;
    mm_counters(m, 0, &c);
    const uint64_t counters[GC_COUNT] = {c.pages_written, c.pages_read, c.pages_zeroed, c.pages_trimmed};
    for (unsigned k = 0; k < GC_COUNT; k++)
        ok &= check(&g->counter[k], counters[k], counter_keys[k], out, size, &n);
    for (unsigned k = 0; k < LK_COUNT; k++) {
        if (!g->list[k].set)
            continue;
        snprintf(what, sizeof what, "%s pages at the end", scenario_list_key_name((enum scn_list_key)k));
        ok &= check(&g->list[k], list_count(m, (enum scn_list_key)k), what, out, size, &n);
    }
    if (g->has_ws) {
        int idx = name_index(o->sc, g->ws_process);
        uint32_t pid = idx >= 0 ? replay_pid(o->r, idx) : 0;
        struct mm_ws_breakdown b;
        if (!pid || mm_ws_breakdown(m, pid, &b) != STATUS_SUCCESS) {
            snprintf(what, sizeof what, "process '%s' is not running at the end", g->ws_process);
            note(out, size, &n, what);
            ok = false;
        } else {
            const uint64_t v[GW_COUNT] = {mm_working_set(m, pid)->size, b.locked, b.page_tables, b.data};
            for (unsigned k = 0; k < GW_COUNT; k++) {
                snprintf(what, sizeof what, "working set of %s: %s", g->ws_process, ws_keys[k]);
                ok &= check(&g->ws[k], v[k], what, out, size, &n);
            }
        }
    }
    ok &= check(&g->operations, o->operations, "operations (steps that are not notes or expectations)", out, size, &n);
    ok &= check(&g->expect_steps, o->expect_steps, "expect steps", out, size, &n);
    if (g->has_hold && g->hold && o->failed_steps) {
        snprintf(what, sizeof what, "%u expect step%s of the scenario failed:", o->failed_steps,
                 o->failed_steps == 1 ? "" : "s");
        note(out, size, &n, what);
        note(out, size, &n, o->failures);
        ok = false;
    }
    if (g->has_hold && !g->hold && !o->failed_steps) {
        note(out, size, &n, "every expect step held, but the goal asks for one that fails");
        ok = false;
    }
    return ok;
}

static void run(struct outcome *o, struct replay *r)
{
    struct replay_result res;
    while (r->next < o->sc->nsteps && !r->broken) {
        if (!replay_step(r, &res))
            break;
        enum scn_op op = res.step->op;
        if (op == OP_EXPECT) {
            o->expect_steps++;
            if (res.nfailures) {
                o->failed_steps++;
                for (uint32_t i = 0; i < res.nfailures; i++) {
                    int k = snprintf(o->failures + o->nfail, sizeof o->failures - o->nfail, "%s  step %u: %s",
                                     o->nfail ? "\n" : "", res.index + 1, res.failure[i]);
                    if (k > 0 && (size_t)k < sizeof o->failures - o->nfail)
                        o->nfail += (size_t)k;
                }
            }
        } else if (op != OP_NOTE) {
            o->operations++;
        }
    }
    if (r->broken) {
        o->broken = true;
        snprintf(o->broken_msg, sizeof o->broken_msg, "the engine broke an invariant at step %u: %s", r->next,
                 r->broken_msg);
    }
}

bool goals_grade(const struct goals *g, const struct scenario *sc, struct grade_report *rep, char *err,
                 size_t err_size)
{
    struct replay r;
    struct tally t = {.r = &r, .nnames = sc->nprocess_names};
    t.faults = calloc(sc->nprocess_names + 1, sizeof *t.faults);
    if (!t.faults) {
        snprintf(err, err_size, "out of memory");
        return false;
    }
    memset(&r, 0, sizeof r);
    if (!replay_start(&r, sc, count_fault, &t, err, err_size)) {
        free(t.faults);
        return false;
    }
    struct outcome o = {.sc = sc, .r = &r, .t = &t};
    run(&o, &r);
    char out[4096];
    for (uint32_t i = 0; i < g->count; i++) {
        bool ok = judge(&g->goal[i], &o, out, sizeof out);
        grade_report_add(rep, g->goal[i].name, ok ? g->goal[i].points : 0, g->goal[i].points, out, NULL);
    }
    replay_end(&r);
    free(t.faults);
    return true;
}
