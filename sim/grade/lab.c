/*
 * lab.c - a lab's checks: reading and validating them all first, then
 * running each test in a child process with a time limit (lab.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef _WIN32
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#include "driver.h"
#include "jread.h"
#include "lab.h"
#include "parse.h"
#include "replay.h"
#include "scenario.h"
#include "seccase.h"

#define PATH_MAX_LEN 4096u
#define LAB_SHOWN_FAILURES 6u   /* failed checks shown per scenario: the first ones say the most */
#define NAME_MAX_LEN 120u

struct trace_case {
    char *shown;                     /* the first file, as the checks file names it */
    char **files;
    uint32_t nfiles;
    enum trace_format format;
    struct trace_options o;
    struct jrange hits, misses, evictions, pages_written, pages_read;
    struct jrange fault[MM_FAULT_KIND_COUNT];
};

struct walk_case {
    struct scenario *sc;
    int process;
    mm_va va;
    enum mm_access_kind access;
    struct jrange pde, pte, pde_pa, pte_pa, pa, frame;
    int fault, table_fault;          /* enum mm_fault_kind, -1 not checked */
    int valid;                       /* -1 not checked */
};

struct lab_test {
    char *name;
    const char *file;                /* the checks file it is in, and its index there */
    int index;
    unsigned points;
    char *visibility;
    uint32_t timeout;
    struct scenario **sc;
    uint32_t nsc;
    struct trace_case *tr;
    uint32_t ntr;
    struct walk_case *wk;
    uint32_t nwk;
    struct section_case *sec;
    uint32_t nsec;
};

struct lab_checks {
    char title[NAME_MAX_LEN + 1];
    struct lab_test *test;
    uint32_t count, cap;
};

/* ---- Reading ---- */

struct ctx {
    struct jread j;
    const char *dir;                 /* the checks file's directory ("" for the current one) */
    struct lab_checks *c;
    uint32_t timeout;
    const char *visibility;
};

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* A path in the checks file, relative to the file's directory. */
static char *resolve(const struct ctx *x, const char *rel)
{
    char buf[PATH_MAX_LEN];
    if (rel[0] == '/' || !x->dir[0])
        snprintf(buf, sizeof buf, "%s", rel);
    else
        snprintf(buf, sizeof buf, "%s/%s", x->dir, rel);
    return dup_str(buf);
}

static const cJSON *member(const cJSON *n, const char *key) { return cJSON_GetObjectItemCaseSensitive(n, key); }

static bool read_path(struct ctx *x, const cJSON *n, const char *path, char **out)
{
    const char *rel;
    if (!jread_string(&x->j, n, path, PATH_MAX_LEN - 256, &rel))
        return false;
    if (strcmp(rel, "-") == 0) {   /* a test runs with no input of its own to read */
        jread_error(&x->j, n, false, path, "'-' is standard input, which a lab's tests never read: give the path "
                    "of a file (relative to the checks file)");
        return false;
    }
    *out = resolve(x, rel);
    if (!*out)
        jread_error(&x->j, n, false, path, "out of memory");
    return *out != NULL;
}

static bool load_scenario(struct ctx *x, const cJSON *n, const char *path, struct scenario **out)
{
    char *file;
    if (!read_path(x, n, path, &file))
        return false;
    struct scn_errors errs;
    *out = scenario_load(file, NULL, 0, &errs);
    if (!*out) {
        char line[600];
        scenario_format_error(file, &errs.e[0], line, sizeof line);
        jread_error(&x->j, n, false, path, "the scenario is not valid: %s", line);
    }
    free(file);
    return *out != NULL;
}

static bool read_fault_word(struct ctx *x, const cJSON *n, const char *path, int *out)
{
    const char *w;
    if (!jread_string(&x->j, n, path, 40, &w))
        return false;
    for (unsigned k = 0; k < MM_FAULT_KIND_COUNT; k++)
        if (strcmp(w, mm_fault_kind_name((enum mm_fault_kind)k)) == 0) {
            *out = (int)k;
            return true;
        }
    char names[400] = "";
    for (unsigned k = 0; k < MM_FAULT_KIND_COUNT; k++)
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", k ? ", " : "",
                 mm_fault_kind_name((enum mm_fault_kind)k));
    jread_error(&x->j, n, false, path, "'%.40s' is not a fault kind (%s)", w, names);
    return false;
}

/* The expectation of a trace case. The counts of references (hits, misses,
 * evictions, faults) are bounded by the page references the traces make,
 * `touches`; an expectation that names nothing would hold whatever the
 * student's code does. */
static bool read_trace_expect(struct ctx *x, const cJSON *n, const char *path, uint64_t touches, struct trace_case *t)
{
    static const char *const keys[] = {"hits", "misses", "evictions", "pages_written", "pages_read", "faults", NULL};
    if (!jread_object(&x->j, n, path, keys))
        return false;
    struct jrange *r[] = {&t->hits, &t->misses, &t->evictions, &t->pages_written, &t->pages_read};
    char bound[120];
    snprintf(bound, sizeof bound, "the traces make %llu page reference%s", (unsigned long long)touches,
             touches == 1 ? "" : "s");
    bool ok = true, any = false;
    char sub[200];
    for (unsigned k = 0; k < 5; k++) {
        const cJSON *v = member(n, keys[k]);
        jpath(sub, sizeof sub, path, keys[k]);
        /* each page read and each page written follows a reference */
        if (v)
            ok &= jread_count(&x->j, v, sub, k < 3 ? touches : UINT32_MAX,
                              k < 3 ? bound : "the most pages a trace case can count", r[k]);
        any |= v != NULL;
    }
    const cJSON *f = member(n, "faults");
    if (f) {
        const char *names[MM_FAULT_KIND_COUNT + 1];
        for (unsigned k = 0; k < MM_FAULT_KIND_COUNT; k++)
            names[k] = mm_fault_kind_name((enum mm_fault_kind)k);
        names[MM_FAULT_KIND_COUNT] = NULL;
        jpath(sub, sizeof sub, path, "faults");
        if (!jread_object(&x->j, f, sub, names))
            return false;
        if (!f->child) {
            jread_error(&x->j, f, false, sub, "checks nothing: name at least one kind of fault (demand-zero, "
                                              "transition, page-file, ...)");
            return false;
        }
        for (unsigned k = 0; k < MM_FAULT_KIND_COUNT; k++) {
            const cJSON *v = member(f, names[k]);
            jpath2(sub, sizeof sub, path, "faults", names[k]);
            if (v)
                ok &= jread_count(&x->j, v, sub, touches, bound, &t->fault[k]);
        }
        any = true;
    }
    if (ok && !any) {
        jread_error(&x->j, n, false, path, "an expectation checks something: hits, misses, evictions, "
                                           "pages_written, pages_read or faults");
        ok = false;
    }
    return ok;
}

static bool read_trace(struct ctx *x, const cJSON *n, const char *path, struct trace_case *t)
{
    static const char *const keys[] = {"files", "format", "policy", "cache", "frames", "tlb", "tick", "quantum",
                                       "expect", NULL};
    if (!jread_object(&x->j, n, path, keys))
        return false;
    char sub[200];
    const cJSON *files = member(n, "files"), *expect = member(n, "expect");
    if (!cJSON_IsArray(files) || cJSON_GetArraySize(files) < 1 || cJSON_GetArraySize(files) > (int)TRACE_MAX_FILES ||
        !expect) {
        jread_error(&x->j, n, false, path, "a trace case needs \"files\" (1 to %u paths) and \"expect\"",
                    TRACE_MAX_FILES);
        return false;
    }
    t->files = calloc((size_t)cJSON_GetArraySize(files), sizeof *t->files);
    if (!t->files)
        return false;
    bool ok = true;
    int i = 0;
    for (const cJSON *f = files->child; f; f = f->next, i++) {
        jpath_index(sub, sizeof sub, path, "files", i);
        if (!read_path(x, f, sub, &t->files[t->nfiles]))
            return false;
        if (t->nfiles++ == 0)
            t->shown = dup_str(f->valuestring);
    }
    t->o.policy = MM_POLICY_AGING;   /* mmsim trace's defaults, so that its figures are the expectations */
    t->o.tick = TRACE_DEFAULT_TICK;
    t->o.quantum = TRACE_DEFAULT_QUANTUM;
    const cJSON *v;
    const char *w;
    if ((v = member(n, "format"))) {
        jpath(sub, sizeof sub, path, "format");
        if (!jread_string(&x->j, v, sub, 16, &w) || !trace_format_from_name(w, &t->format)) {
            if (cJSON_IsString(v))
                jread_error(&x->j, v, false, sub, "expected auto, pages, addrs, rw or lackey");
            ok = false;
        }
    }
    if ((v = member(n, "policy"))) {
        jpath(sub, sizeof sub, path, "policy");
        if (!jread_string(&x->j, v, sub, 16, &w) || !mm_policy_from_name(w, &t->o.policy)) {
            if (cJSON_IsString(v))
                jread_error(&x->j, v, false, sub, "expected fifo, lru, opt, clock or aging");
            ok = false;
        }
    }
    uint64_t num;
    struct {
        const char *key;
        uint64_t min, max;
        uint32_t *to;
    } nums[] = {{"cache", 1, TRACE_MAX_CACHE, &t->o.cache},
                {"frames", MM_MIN_FRAMES, MM_MAX_FRAMES, &t->o.frames},
                {"tlb", 1, MM_MAX_TLB_ENTRIES, &t->o.tlb_entries},
                {"tick", 0, 1000000000u, &t->o.tick},
                {"quantum", 1, 1000000000u, &t->o.quantum}};
    for (unsigned k = 0; k < sizeof nums / sizeof nums[0]; k++)
        if ((v = member(n, nums[k].key))) {
            jpath(sub, sizeof sub, path, nums[k].key);
            if (jread_number(&x->j, v, sub, nums[k].min, nums[k].max, &num))
                *nums[k].to = (uint32_t)num;
            else
                ok = false;
        }
    if (t->o.tlb_entries & (t->o.tlb_entries - 1)) {
        jpath(sub, sizeof sub, path, "tlb");
        jread_error(&x->j, member(n, "tlb"), false, sub,
                    "%u TLB entries: expected a power of two from 1 to %u (1, 2, 4, 8, ..., %u)", t->o.tlb_entries,
                    MM_MAX_TLB_ENTRIES, MM_MAX_TLB_ENTRIES);
        ok = false;
    }
    if (!ok)
        return false;
    /* the traces must read, and the machine must fit them: a bad line or
     * too few frames is the instructor's error, never the student's zero */
    struct trace_set set;
    char err[600];
    if (!trace_prepare(&set, (const char *const *)t->files, t->nfiles, t->format, t->o.policy == MM_POLICY_OPT,
                       NULL, NULL, err, sizeof err)) {
        jread_error(&x->j, files, false, path, "%s", err);
        return false;
    }
    uint64_t touches = 0;
    for (uint32_t f = 0; f < set.count; f++)
        touches += set.file[f].touches;
    enum trace_fit fit = trace_fit(&set, &t->o, err, sizeof err);
    trace_set_free(&set);
    if (fit != TRACE_FITS) {
        /* blamed on what to change: the frames given, else the cache, else
         * the traces (which commit more than memory and the paging file hold) */
        const char *key = fit == TRACE_TOO_FEW_FRAMES ? "frames" : t->o.cache ? "cache" : "files";
        jpath(sub, sizeof sub, path, key);
        jread_error(&x->j, member(n, key), false, sub, "%s%s", err,
                    fit == TRACE_TOO_FEW_FRAMES ? " (or leave \"frames\" out: the machine is then sized to fit)" : "");
        return false;
    }
    jpath(sub, sizeof sub, path, "expect");
    return read_trace_expect(x, expect, sub, touches, t);
}

static bool read_walk(struct ctx *x, const cJSON *n, const char *path, struct walk_case *w)
{
    static const char *const keys[] = {"scenario", "process", "address", "access", "expect", NULL};
    static const char *const ekeys[] = {"pde", "pte", "pde_pa", "pte_pa", "pa", "frame", "valid", "fault",
                                        "table_fault", NULL};
    w->fault = w->table_fault = w->valid = -1;
    if (!jread_object(&x->j, n, path, keys))
        return false;
    const cJSON *sc = member(n, "scenario"), *proc = member(n, "process"), *addr = member(n, "address"),
                *expect = member(n, "expect"), *access = member(n, "access");
    if (!sc || !proc || !addr || !expect) {
        jread_error(&x->j, n, false, path, "a walk needs \"scenario\", \"process\", \"address\" and \"expect\"");
        return false;
    }
    char sub[200];
    jpath(sub, sizeof sub, path, "scenario");
    if (!load_scenario(x, sc, sub, &w->sc))
        return false;
    const char *name;
    jpath(sub, sizeof sub, path, "process");
    if (!jread_string(&x->j, proc, sub, SCN_MAX_NAME, &name))
        return false;
    w->process = -1;
    for (uint32_t i = 0; i < w->sc->nprocess_names; i++)
        if (strcmp(w->sc->process_names[i], name) == 0)
            w->process = (int)i;
    if (w->process < 0) {
        jread_error(&x->j, proc, false, sub, "the scenario has no process '%s'", name);
        return false;
    }
    uint64_t va;
    jpath(sub, sizeof sub, path, "address");
    if (!jread_number(&x->j, addr, sub, 0, 0xFFFFFFFFu, &va))
        return false;
    w->va = (mm_va)va;
    w->access = MM_ACCESS_READ;
    if (access) {
        const char *a;
        jpath(sub, sizeof sub, path, "access");
        if (!jread_string(&x->j, access, sub, 16, &a))
            return false;
        if (!strcmp(a, "write"))
            w->access = MM_ACCESS_WRITE;
        else if (!strcmp(a, "execute"))
            w->access = MM_ACCESS_EXECUTE;
        else if (strcmp(a, "read")) {
            jread_error(&x->j, access, false, sub, "expected read, write or execute");
            return false;
        }
    }
    /* the walk is made at the end: a process the scenario terminates is gone */
    int last = -1;
    for (uint32_t k = 0; k < w->sc->nsteps; k++)
        if (w->sc->steps[k].process == w->process &&
            (w->sc->steps[k].op == OP_CREATE_PROCESS || w->sc->steps[k].op == OP_TERMINATE))
            last = (int)k;
    if (last >= 0 && w->sc->steps[last].op == OP_TERMINATE) {
        jpath(sub, sizeof sub, path, "process");
        jread_error(&x->j, proc, false, sub,
                    "step %d of the scenario terminates '%s', and the walk is made after the last step", last + 1,
                    name);
        return false;
    }
    jpath(sub, sizeof sub, path, "expect");
    if (!jread_object(&x->j, expect, sub, ekeys))
        return false;
    if (!expect->child) {
        jread_error(&x->j, expect, false, sub, "an expectation checks something: pde, pte, pde_pa, pte_pa, pa, "
                                               "frame, valid, fault or table_fault");
        return false;
    }
    struct jrange *r[] = {&w->pde, &w->pte, &w->pde_pa, &w->pte_pa, &w->pa, &w->frame};
    bool ok = true;
    for (unsigned k = 0; k < 6; k++) {
        const cJSON *v = member(expect, ekeys[k]);
        jpath2(sub, sizeof sub, path, "expect", ekeys[k]);
        if (v)
            ok &= jread_range(&x->j, v, sub, 0xFFFFFFFFu, r[k]);
    }
    const cJSON *v;
    bool b;
    if ((v = member(expect, "valid"))) {
        jpath(sub, sizeof sub, path, "expect.valid");
        if (jread_bool(&x->j, v, sub, &b))
            w->valid = b;
        else
            ok = false;
    }
    if ((v = member(expect, "fault"))) {
        jpath(sub, sizeof sub, path, "expect.fault");
        ok &= read_fault_word(x, v, sub, &w->fault);
    }
    if ((v = member(expect, "table_fault"))) {
        jpath(sub, sizeof sub, path, "expect.table_fault");
        ok &= read_fault_word(x, v, sub, &w->table_fault);
    }
    return ok;
}

/* An array of at most LAB_MAX_CASES cases, each read by `one`. */
static bool read_cases(struct ctx *x, const cJSON *n, const char *path, size_t size, void **out, uint32_t *count,
                       bool (*one)(struct ctx *, const cJSON *, const char *, void *))
{
    int len = cJSON_IsArray(n) ? cJSON_GetArraySize(n) : -1;
    if (len < 1 || len > (int)LAB_MAX_CASES) {
        jread_error(&x->j, n, false, path, "expected an array of 1 to %u cases", LAB_MAX_CASES);
        return false;
    }
    char *cases = calloc((size_t)len, size);
    if (!cases)
        return false;
    *out = cases;
    bool ok = true;
    int i = 0;
    for (const cJSON *c = n->child; c; c = c->next, i++) {
        char sub[200];
        jpath_index(sub, sizeof sub, path, NULL, i);
        ok &= one(x, c, sub, cases + (size_t)i * size);
        *count = (uint32_t)i + 1;
    }
    return ok;
}

static bool one_scenario(struct ctx *x, const cJSON *n, const char *path, void *out)
{
    return load_scenario(x, n, path, (struct scenario **)out);
}
static bool one_trace(struct ctx *x, const cJSON *n, const char *path, void *out)
{
    return read_trace(x, n, path, out);
}
static bool one_walk(struct ctx *x, const cJSON *n, const char *path, void *out)
{
    return read_walk(x, n, path, out);
}
static bool one_section(struct ctx *x, const cJSON *n, const char *path, void *out)
{
    return seccase_read(&x->j, n, path, out);
}

/* Gradescope's visibility of a test's result. */
static bool read_visibility(struct ctx *x, const cJSON *v, const char *path, const char **out)
{
    static const char *const names[] = {"visible", "hidden", "after_due_date", "after_published"};
    if (!jread_string(&x->j, v, path, 20, out))
        return false;
    if (parse_lookup(*out, names, 4) < 0) {
        jread_error(&x->j, v, false, path, "expected visible, hidden, after_due_date or after_published");
        return false;
    }
    return true;
}

static bool read_test(struct ctx *x, const cJSON *n, const char *path, struct lab_test *t)
{
    static const char *const keys[] = {"name", "points", "visibility", "timeout", "scenarios", "traces", "walks",
                                       "sections", NULL};
    if (!jread_object(&x->j, n, path, keys))
        return false;
    char sub[200];
    const cJSON *name = member(n, "name"), *points = member(n, "points"), *v;
    if (!name || !points) {
        jread_error(&x->j, n, false, path, "a test needs \"name\" and \"points\"");
        return false;
    }
    const char *s;
    uint64_t num;
    jpath(sub, sizeof sub, path, "name");
    if (!jread_string(&x->j, name, sub, NAME_MAX_LEN, &s) || !(t->name = dup_str(s)))
        return false;
    jpath(sub, sizeof sub, path, "points");
    if (!jread_number(&x->j, points, sub, 1, 1000, &num))
        return false;
    t->points = (unsigned)num;
    t->timeout = x->timeout;
    if ((v = member(n, "timeout"))) {
        jpath(sub, sizeof sub, path, "timeout");
        if (!jread_number(&x->j, v, sub, 1, LAB_MAX_TIMEOUT, &num))
            return false;
        t->timeout = (uint32_t)num;
    }
    const char *vis = x->visibility;
    if ((v = member(n, "visibility"))) {
        jpath(sub, sizeof sub, path, "visibility");
        if (!read_visibility(x, v, sub, &vis))
            return false;
    }
    if (vis && !(t->visibility = dup_str(vis)))
        return false;
    bool ok = true, any = false;
    if ((v = member(n, "scenarios"))) {
        jpath(sub, sizeof sub, path, "scenarios");
        ok &= read_cases(x, v, sub, sizeof *t->sc, (void **)&t->sc, &t->nsc, one_scenario);
        any = true;
    }
    if ((v = member(n, "traces"))) {
        jpath(sub, sizeof sub, path, "traces");
        ok &= read_cases(x, v, sub, sizeof *t->tr, (void **)&t->tr, &t->ntr, one_trace);
        any = true;
    }
    if ((v = member(n, "walks"))) {
        jpath(sub, sizeof sub, path, "walks");
        ok &= read_cases(x, v, sub, sizeof *t->wk, (void **)&t->wk, &t->nwk, one_walk);
        any = true;
    }
    if ((v = member(n, "sections"))) {
        jpath(sub, sizeof sub, path, "sections");
        ok &= read_cases(x, v, sub, sizeof *t->sec, (void **)&t->sec, &t->nsec, one_section);
        any = true;
    }
    if (ok && !any) {
        jread_error(&x->j, n, false, path, "a test runs something: scenarios, traces, walks or sections");
        ok = false;
    }
    return ok;
}

static bool read_file(struct lab_checks *c, const char *path, struct grade_errors *errs)
{
    static const char *const keys[] = {"lab", "title", "timeout", "visibility", "tests", NULL};
    size_t len;
    char *text = jread_file(path, path, &len, errs);
    if (!text)
        return false;
    char dir[PATH_MAX_LEN];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        dir[0] = '\0';
    struct ctx x = {.dir = dir, .c = c, .timeout = LAB_DEFAULT_TIMEOUT};
    bool ok = jread_begin(&x.j, path, "a checks file", text, len, errs) && jread_object(&x.j, x.j.doc.root, "$", keys);
    const cJSON *root = ok ? x.j.doc.root : NULL, *v;
    uint64_t num;
    const char *s;
    if (ok && (v = member(root, "title"))) {
        ok = jread_string(&x.j, v, "$.title", NAME_MAX_LEN, &s);
        if (ok && !c->title[0])
            snprintf(c->title, sizeof c->title, "%s", s);
    }
    if (ok && (v = member(root, "lab")))
        ok = jread_string(&x.j, v, "$.lab", 40, &s);
    if (ok && (v = member(root, "timeout"))) {
        ok = jread_number(&x.j, v, "$.timeout", 1, LAB_MAX_TIMEOUT, &num);
        x.timeout = (uint32_t)num;
    }
    if (ok && (v = member(root, "visibility")))
        ok = read_visibility(&x, v, "$.visibility", &x.visibility);
    const cJSON *tests = ok ? member(root, "tests") : NULL;
    int n = cJSON_IsArray(tests) ? cJSON_GetArraySize(tests) : -1;
    if (ok && (n < 1 || c->count + (uint32_t)n > LAB_MAX_TESTS)) {
        jread_error(&x.j, tests ? tests : root, false, tests ? "$.tests" : "$",
                    "needs \"tests\": an array of 1 to %u tests", LAB_MAX_TESTS);
        ok = false;
    }
    if (ok && c->count + (uint32_t)n > c->cap) {
        struct lab_test *t = realloc(c->test, (c->count + (uint32_t)n) * sizeof *t);
        ok = t != NULL;
        if (t) {
            c->test = t;
            c->cap = c->count + (uint32_t)n;
        }
    }
    int i = 0;
    for (const cJSON *t = ok ? tests->child : NULL; t; t = t->next, i++) {
        char sub[64];
        snprintf(sub, sizeof sub, "$.tests[%d]", i);
        struct lab_test *lt = &c->test[c->count++];
        memset(lt, 0, sizeof *lt);
        lt->file = path;
        lt->index = i;
        if (!read_test(&x, t, sub, lt)) {
            ok = false;
            continue;
        }
        /* the report names each test: two of one name could not be told apart */
        for (uint32_t k = 0; k + 1 < c->count; k++)
            if (c->test[k].name && strcmp(c->test[k].name, lt->name) == 0) {
                char first[300] = "";
                if (c->test[k].file != path)
                    snprintf(first, sizeof first, "%s: ", c->test[k].file);
                snprintf(sub, sizeof sub, "$.tests[%d].name", i);
                jread_error(&x.j, member(t, "name"), false, sub,
                            "a second test named '%s' (the first is %s$.tests[%d]); each test needs a name of its own",
                            lt->name, first, c->test[k].index);
                ok = false;
                break;
            }
    }
    jread_end(&x.j);
    free(text);
    return ok;
}

struct lab_checks *lab_load(const char *const *paths, uint32_t n, struct grade_errors *errs)
{
    struct lab_checks *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    bool ok = true;
    for (uint32_t i = 0; i < n; i++)
        ok &= read_file(c, paths[i], errs);
    if (!ok) {
        lab_free(c);
        return NULL;
    }
    return c;
}

void lab_free(struct lab_checks *c)
{
    if (!c)
        return;
    for (uint32_t i = 0; i < c->count; i++) {
        struct lab_test *t = &c->test[i];
        for (uint32_t k = 0; t->sc && k < t->nsc; k++)
            scenario_free(t->sc[k]);
        for (uint32_t k = 0; t->tr && k < t->ntr; k++) {
            for (uint32_t f = 0; f < t->tr[k].nfiles; f++)
                free(t->tr[k].files[f]);
            free(t->tr[k].files);
            free(t->tr[k].shown);
        }
        for (uint32_t k = 0; t->wk && k < t->nwk; k++)
            scenario_free(t->wk[k].sc);
        free(t->sc);
        free(t->tr);
        free(t->wk);
        free(t->sec);
        free(t->name);
        free(t->visibility);
    }
    free(c->test);
    free(c);
}

const char *lab_title(const struct lab_checks *c) { return c->title; }
uint32_t lab_test_count(const struct lab_checks *c) { return c->count; }

/* ---- Running one test (in the child) ---- */

static bool run_scenario(const struct scenario *sc)
{
    struct replay r;
    char err[300];
    if (!replay_start(&r, sc, NULL, NULL, err, sizeof err)) {
        printf("%s: %s\n", sc->file, err);
        return false;
    }
    bool ok = true;
    uint32_t failures = 0;
    struct replay_result res;
    while (r.next < sc->nsteps && replay_step(&r, &res))
        for (uint32_t i = 0; i < res.nfailures; i++, failures++) {
            if (failures < LAB_SHOWN_FAILURES)
                printf("%s: step %u: %s\n", sc->file, res.index + 1, res.failure[i]);
            ok = false;
        }
    if (failures > LAB_SHOWN_FAILURES)
        printf("%s: %u more failed checks\n", sc->file, failures - LAB_SHOWN_FAILURES);
    if (r.broken) {
        printf("%s: step %u: an invariant is broken: %s\n", sc->file, r.next, r.broken_msg);
        ok = false;
    }
    replay_end(&r);
    return ok;
}

static bool expect(const struct jrange *want, uint64_t v, const char *where, const char *what)
{
    if (!want->set || jrange_holds(want, v))
        return true;
    char e[64];
    printf("%s: %s: expected %s, found %llu\n", where, what, jrange_text(want, e, sizeof e), (unsigned long long)v);
    return false;
}

static bool expect_hex(const struct jrange *want, uint64_t v, const char *where, const char *what)
{
    if (!want->set || jrange_holds(want, v))
        return true;
    printf("%s: %s: expected 0x%08llX, found 0x%08llX\n", where, what, (unsigned long long)want->min,
           (unsigned long long)v);
    return false;
}

static bool run_trace(const struct trace_case *t)
{
    struct trace_set set;
    struct trace_result res;
    char err[600], where[300];
    snprintf(where, sizeof where, "trace %s (%s%s%u)", t->shown, mm_policy_name(t->o.policy),
             t->o.cache ? ", cache " : "", t->o.cache);
    if (!t->o.cache)
        snprintf(where, sizeof where, "trace %s (%s)", t->shown, mm_policy_name(t->o.policy));
    if (!trace_prepare(&set, (const char *const *)t->files, t->nfiles, t->format, t->o.policy == MM_POLICY_OPT,
                       NULL, NULL, err, sizeof err)) {
        printf("%s: %s\n", where, err);
        return false;
    }
    enum trace_status s = trace_run(&set, &t->o, &res, NULL, NULL, NULL, NULL, err, sizeof err);
    trace_set_free(&set);
    if (s != TRACE_OK) {
        printf("%s: %s\n", where, err);
        return false;
    }
    bool ok = expect(&t->hits, res.total.hits, where, "hits");
    ok &= expect(&t->misses, res.total.misses, where, "misses");
    ok &= expect(&t->evictions, res.total.evictions, where, "evictions");
    ok &= expect(&t->pages_written, res.pages_written, where, "pages written");
    ok &= expect(&t->pages_read, res.pages_read, where, "pages read");
    for (unsigned k = 0; k < MM_FAULT_KIND_COUNT; k++) {
        char what[64];
        snprintf(what, sizeof what, "%s faults", mm_fault_kind_name((enum mm_fault_kind)k));
        ok &= expect(&t->fault[k], res.total.fault[k], where, what);
    }
    return ok;
}

static bool run_walk(const struct walk_case *w)
{
    struct replay r;
    char err[300], where[300];
    snprintf(where, sizeof where, "walk of 0x%08X (%s) in %s after %s", w->va, mm_access_name(w->access),
             w->sc->process_names[w->process], w->sc->file);
    if (!replay_start(&r, w->sc, NULL, NULL, err, sizeof err)) {
        printf("%s: %s\n", where, err);
        return false;
    }
    struct replay_result res;
    while (r.next < w->sc->nsteps && replay_step(&r, &res))
        ;
    bool ok = !r.broken;
    if (r.broken)
        printf("%s: an invariant is broken: %s\n", where, r.broken_msg);
    struct mm_walk wk;
    uint32_t pid = replay_pid(&r, w->process);
    if (ok && (!pid || mm_walk_access(r.m, pid, w->va, w->access, &wk) != STATUS_SUCCESS)) {
        printf("%s: the process is not running at the end\n", where);
        ok = false;
    }
    if (ok) {
        ok &= expect_hex(&w->pde, wk.pde, where, "PDE");
        ok &= expect_hex(&w->pte, wk.pte, where, "PTE");
        ok &= expect_hex(&w->pde_pa, wk.pde_pa, where, "physical address of the PDE");
        ok &= expect_hex(&w->pte_pa, wk.pte_pa, where, "physical address of the PTE");
        ok &= expect_hex(&w->pa, wk.pa, where, "physical address");
        ok &= expect_hex(&w->frame, wk.frame, where, "frame");
        if (w->valid >= 0 && wk.valid != (w->valid == 1)) {
            printf("%s: valid: expected %s, found %s\n", where, w->valid ? "true" : "false",
                   wk.valid ? "true" : "false");
            ok = false;
        }
        if (w->fault >= 0 && (int)wk.fault != w->fault) {
            printf("%s: fault: expected %s, found %s\n", where, mm_fault_kind_name((enum mm_fault_kind)w->fault),
                   mm_fault_kind_name(wk.fault));
            ok = false;
        }
        if (w->table_fault >= 0 && (int)wk.table_fault != w->table_fault) {
            printf("%s: table fault: expected %s, found %s\n", where,
                   mm_fault_kind_name((enum mm_fault_kind)w->table_fault), mm_fault_kind_name(wk.table_fault));
            ok = false;
        }
    }
    replay_end(&r);
    return ok;
}

static bool run_test(const struct lab_test *t)
{
    bool ok = true;
    for (uint32_t k = 0; k < t->nsc; k++)
        ok &= run_scenario(t->sc[k]);
    for (uint32_t k = 0; k < t->ntr; k++)
        ok &= run_trace(&t->tr[k]);
    for (uint32_t k = 0; k < t->nwk; k++)
        ok &= run_walk(&t->wk[k]);
    for (uint32_t k = 0; k < t->nsec; k++) {
        char where[40];
        snprintf(where, sizeof where, "sections[%u]", k);
        ok &= seccase_run(&t->sec[k], where);
    }
    return ok;
}

/* ---- The children ---- */

#ifdef _WIN32
bool lab_run(const struct lab_checks *c, uint32_t timeout_override, struct grade_report *r, char *err,
             size_t err_size)
{
    (void)c;
    (void)timeout_override;
    (void)r;
    (void)run_test;
    snprintf(err, err_size, "runs each test in a child process (fork), which Windows does not have; "
                            "grade on Linux or macOS");
    return false;
}
#else
static const char *signal_text(int sig)
{
    switch (sig) {
    case SIGABRT: return "aborted (an assertion or an internal error)";
    case SIGSEGV: return "crashed with a segmentation fault";
    case SIGBUS: return "crashed with a bus error";
    case SIGFPE: return "crashed with an arithmetic error";
    case SIGILL: return "crashed with an illegal instruction";
    case SIGKILL: return "was killed";
    default: return "was stopped by a signal";
    }
}

/* Read everything the child writes, keeping the first `size` - 1 bytes. */
static void drain(int fd, char *buf, size_t size)
{
    size_t n = 0;
    char scratch[4096];
    for (;;) {
        char *to = n + 1 < size ? buf + n : scratch;
        size_t room = n + 1 < size ? size - 1 - n : sizeof scratch;
        ssize_t got = read(fd, to, room);
        if (got <= 0)
            break;
        if (to != scratch)
            n += (size_t)got;
    }
    buf[n] = '\0';
}

static bool run_child(const struct lab_test *t, uint32_t timeout, char *out, size_t out_size, bool *passed, char *err,
                      size_t err_size)
{
    int fd[2];
    if (pipe(fd) != 0) {
        snprintf(err, err_size, "cannot make a pipe for a test");
        return false;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(fd[0]);
        close(fd[1]);
        snprintf(err, err_size, "cannot start a process for a test");
        return false;
    }
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], STDOUT_FILENO);
        dup2(fd[1], STDERR_FILENO);
        close(fd[1]);
        setvbuf(stdout, NULL, _IOLBF, 0);
        alarm(timeout);
        bool ok = run_test(t);
        fflush(stdout);
        fflush(stderr);
        _exit(ok ? 0 : 1);
    }
    close(fd[1]);
    size_t keep = out_size - 200;
    drain(fd[0], out, keep);
    close(fd[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        ;
    size_t n = strlen(out);
    *passed = false;
    if (WIFEXITED(status)) {
        *passed = WEXITSTATUS(status) == 0;
        if (!*passed && WEXITSTATUS(status) != 1)
            snprintf(out + n, out_size - n, "%sthe test exited with status %d\n", n && out[n - 1] != '\n' ? "\n" : "",
                     WEXITSTATUS(status));
    } else if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        if (sig == SIGALRM)
            snprintf(out + n, out_size - n, "%stimed out after %u s (an endless loop?)\n",
                     n && out[n - 1] != '\n' ? "\n" : "", timeout);
        else
            snprintf(out + n, out_size - n, "%sthe engine %s (signal %d)\n", n && out[n - 1] != '\n' ? "\n" : "",
                     signal_text(sig), sig);
    }
    return true;
}

bool lab_run(const struct lab_checks *c, uint32_t timeout_override, struct grade_report *r, char *err,
             size_t err_size)
{
    static char out[2 * GRADE_MAX_OUTPUT];
    for (uint32_t i = 0; i < c->count; i++) {
        const struct lab_test *t = &c->test[i];
        bool passed;
        out[0] = '\0';
        if (!run_child(t, timeout_override ? timeout_override : t->timeout, out, sizeof out, &passed, err, err_size))
            return false;
        grade_report_add(r, t->name, passed ? t->points : 0, t->points, passed ? "" : out, t->visibility);
    }
    return true;
}
#endif
