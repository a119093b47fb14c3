/*
 * scenario.c - reading and validating a scenario file: the document, its
 * machine and its processes; the steps are read through the table of ops
 * (ops.c), and expect steps through the table of expectation kinds
 * (expects.c).
 *
 * The whole file is checked before a scenario may run: JSON syntax, then
 * every field's type and range, unknown and duplicate keys (with the
 * nearest valid name as a hint), addresses, sizes that would wrap past
 * 4 GiB, and process names followed step by step (a process must exist
 * when a step names it). Errors carry file:line:column and the JSON path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "ops.h"
#include "reader.h"
#include "show.h"

/* The policies a scenario may name, in enum mm_policy's order (OPT needs a
 * trace's future, so only mmsim trace offers it). */
static const char *const policy_names[] = {"fifo", "clock", "lru", "aging"};

/* ---- the machine ---- */

static const struct scn_field machine_fields[] = {
    OPT("frames"),        OPT("memory"),          OPT("pagefiles"),       OPT("ws_minimum"),
    OPT("ws_maximum"),    OPT("ws_hard_minimum"), OPT("ws_hard_maximum"), OPT("policy"),
    OPT("tlb_entries"),   OPT("nx"),              OPT("read_cluster"),    OPT("write_cluster"),
    OPT("zero_threshold"), OPT("mpw_threshold"),  OPT("wsmgr_low"),       OPT("wsmgr_plenty"),
    OPT("zero_period"),   OPT("mpw_period"),      OPT("wsmgr_period"),    OPT("max_processes"),
    FIELDS_END,
};

/* The keys of the machine that hold one number each. */
static bool read_machine_numbers(struct reader *r, const cJSON *m, struct mm_config *c)
{
    struct { const char *key; uint32_t *dst; uint32_t min, max; } nums[] = {
        {"ws_minimum", &c->ws_minimum, 1, MM_MAX_FRAMES},
        {"ws_maximum", &c->ws_maximum, 1, MM_MAX_FRAMES},
        {"tlb_entries", &c->tlb_entries, 1, MM_MAX_TLB_ENTRIES},
        {"read_cluster", &c->read_cluster, 0, MM_MAX_CLUSTER - 1},
        {"write_cluster", &c->write_cluster, 1, MM_MAX_CLUSTER},
        {"zero_threshold", &c->zero_threshold, 0, MM_MAX_FRAMES},
        {"mpw_threshold", &c->mpw_threshold, 0, MM_MAX_FRAMES},
        {"wsmgr_low", &c->wsmgr_low, 0, MM_MAX_FRAMES},
        {"wsmgr_plenty", &c->wsmgr_plenty, 0, MM_MAX_FRAMES},
        {"zero_period", &c->zero_period, 0, 1000000},
        {"mpw_period", &c->mpw_period, 0, 1000000},
        {"wsmgr_period", &c->wsmgr_period, 0, 1000000},
        {"max_processes", &c->max_processes, 1, MM_MAX_PROCESSES},
    };
    bool ok = true;
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        char p[READER_PATH];
        const cJSON *n = reader_member(m, "$.machine", nums[i].key, p);
        if (n)
            ok &= reader_u32(r, n, p, nums[i].min, nums[i].max, nums[i].dst);
    }
    return ok;
}

/* "memory": the size of physical memory, instead of "frames". */
static bool read_memory(struct reader *r, const cJSON *m, const cJSON *n, uint32_t *frames)
{
    uint64_t bytes;
    if (cJSON_GetObjectItemCaseSensitive(m, "frames")) {
        reader_error(r, n, true, "$.machine.memory", "give \"frames\" or \"memory\", not both");
        return false;
    }
    if (!reader_number(r, n, "$.machine.memory", (uint64_t)MM_MIN_FRAMES * PAGE_SIZE,
                       (uint64_t)MM_MAX_FRAMES * PAGE_SIZE, true, &bytes))
        return false;
    *frames = (uint32_t)(bytes / PAGE_SIZE);
    if (bytes % PAGE_SIZE) {
        reader_error(r, n, false, "$.machine.memory", "memory must be a whole number of 4 KiB pages");
        return false;
    }
    return true;
}

/* "frames" or "memory": the machine's size, read first, since the defaults
 * of most other keys follow it as NT's do (mm_config_for_memory). */
static bool read_size(struct reader *r, const cJSON *m, struct mm_config *c)
{
    char p[READER_PATH];
    const cJSON *n;
    uint32_t frames = c->frames;
    bool ok = true;
    if ((n = reader_member(m, "$.machine", "frames", p)))
        ok &= reader_u32(r, n, p, MM_MIN_FRAMES, MM_MAX_FRAMES, &frames);
    if ((n = cJSON_GetObjectItemCaseSensitive(m, "memory")))
        ok &= read_memory(r, m, n, &frames);
    if (ok)
        mm_config_for_memory(c, frames);
    return ok;
}

/* One size of a paging file, in pages (path: for messages). */
static bool read_pagefile_size(struct reader *r, const cJSON *n, const char *path, uint32_t *pages)
{
    uint64_t bytes;
    if (!reader_number(r, n, path, 2 * PAGE_SIZE, (uint64_t)MM_MAX_PAGEFILE_PAGES * PAGE_SIZE, true, &bytes))
        return false;
    if (bytes % PAGE_SIZE) {
        reader_error(r, n, false, path, "a paging file must be a whole number of 4 KiB pages");
        return false;
    }
    *pages = (uint32_t)(bytes / PAGE_SIZE);
    return true;
}

static const struct scn_field pagefile_fields[] = {REQ("initial"), OPT("maximum"), FIELDS_END};

/* One paging file: a size, or {"initial": size, "maximum": size} for a file
 * that may grow (MiExtendPagingFiles). */
static bool read_pagefile(struct reader *r, const cJSON *e, const char *path, struct mm_config *c, int i)
{
    char p[READER_PATH];
    c->pagefile_maximum[i] = 0;
    if (!cJSON_IsObject(e))
        return read_pagefile_size(r, e, path, &c->pagefile_pages[i]);
    if (!reader_object(r, e, path, pagefile_fields, "a paging file {\"initial\": ..., \"maximum\": ...}"))
        return false;
    const cJSON *n = reader_member(e, path, "initial", p);
    if (!n) {
        reader_error(r, e, false, path, "a paging file needs \"initial\"");
        return false;
    }
    bool ok = read_pagefile_size(r, n, p, &c->pagefile_pages[i]);
    if ((n = reader_member(e, path, "maximum", p))) {
        ok &= read_pagefile_size(r, n, p, &c->pagefile_maximum[i]);
        if (ok && c->pagefile_maximum[i] < c->pagefile_pages[i]) {
            reader_error(r, n, false, p, "the maximum (%u pages) is below the initial size (%u pages)",
                         c->pagefile_maximum[i], c->pagefile_pages[i]);
            ok = false;
        }
    }
    return ok;
}

/* "pagefiles": each paging file, a size or an initial and a maximum size. */
static bool read_pagefiles(struct reader *r, const cJSON *n, struct mm_config *c)
{
    if (!cJSON_IsArray(n)) {
        reader_error(r, n, false, "$.machine.pagefiles", "expected an array of paging-file sizes, found %s",
                     reader_type_name(n));
        return false;
    }
    int count = cJSON_GetArraySize(n);
    if (count < 1 || count > (int)MM_MAX_PAGEFILES) {
        reader_error(r, n, false, "$.machine.pagefiles", "there must be 1 to 16 paging files, found %d", count);
        return false;
    }
    c->pagefile_count = (uint32_t)count;
    bool ok = true;
    int i = 0;
    for (const cJSON *e = n->child; e; e = e->next, i++) {
        char p[READER_PATH];
        snprintf(p, sizeof p, "$.machine.pagefiles[%d]", i);
        ok &= read_pagefile(r, e, p, c, i);
    }
    return ok;
}

/* The machine's boolean keys. */
static bool read_machine_flags(struct reader *r, const cJSON *m, struct scenario *sc)
{
    struct { const char *key; bool *dst; } flags[] = {
        {"nx", &sc->config.nx},
        {"ws_hard_minimum", &sc->ws_hard_minimum},
        {"ws_hard_maximum", &sc->ws_hard_maximum},
    };
    bool ok = true;
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        char p[READER_PATH];
        const cJSON *n = reader_member(m, "$.machine", flags[i].key, p);
        if (n)
            ok &= reader_bool(r, n, p, flags[i].dst);
    }
    if (ok && sc->ws_hard_minimum && sc->ws_hard_maximum &&
        sc->config.ws_minimum + MM_FLUID_WORKING_SET >= sc->config.ws_maximum) {
        reader_error(r, m, false, "$.machine", "hard limits on both sides need ws_minimum + %u below ws_maximum "
                     "(%u + %u >= %u; NT answers STATUS_BAD_WORKING_SET_LIMIT)", MM_FLUID_WORKING_SET,
                     sc->config.ws_minimum, MM_FLUID_WORKING_SET, sc->config.ws_maximum);
        ok = false;
    }
    return ok;
}

static bool read_machine(struct reader *r, const cJSON *m)
{
    struct mm_config *c = &r->sc->config;
    const cJSON *n;
    if (!reader_object(r, m, "$.machine", machine_fields, "the machine"))
        return false;
    bool ok = read_size(r, m, c);
    ok &= read_machine_numbers(r, m, c);
    if ((n = cJSON_GetObjectItemCaseSensitive(m, "policy"))) {
        int v;
        ok &= reader_enum(r, n, "$.machine.policy", policy_names, sizeof policy_names / sizeof policy_names[0],
                          "policy", &v);
        if (ok)
            c->policy = (enum mm_policy)v;
    }
    if ((n = cJSON_GetObjectItemCaseSensitive(m, "pagefiles")))
        ok &= read_pagefiles(r, n, c);
    ok &= read_machine_flags(r, m, r->sc);
    if (ok) {   /* what needs the whole machine: a power-of-two TLB, ... */
        const char *bad = mm_config_check(c);
        if (bad) {
            reader_error(r, m, false, "$.machine", "%s", bad);
            ok = false;
        }
    }
    return ok;
}

/* ---- the document ---- */

static const struct scn_field document_fields[] = {
    REQ("name"), OPT("title"), REQ("description"), OPT("machine"), OPT("processes"),
    OPT("files"), REQ("steps"), FIELDS_END,
};

/* A copy of the string at key into *out; false only when out of memory. */
static bool read_text(struct reader *r, const cJSON *root, const char *key, size_t max, const char *missing,
                      char **out)
{
    char p[READER_PATH];
    const char *s;
    const cJSON *n = reader_member(root, "$", key, p);
    if (!n) {
        if (missing)
            reader_error(r, root, false, "$", "%s", missing);
        return true;
    }
    return !reader_string(r, n, p, max, &s) || (*out = strdup(s));
}

/* "processes": those started before step 1. Each takes the fields of a
 * create_process step. */
static bool read_processes(struct reader *r, const cJSON *n)
{
    struct scenario *sc = r->sc;
    if (!cJSON_IsArray(n)) {
        reader_error(r, n, false, "$.processes", "expected an array of processes, found %s", reader_type_name(n));
        return false;
    }
    if (!(sc->initial = calloc((size_t)cJSON_GetArraySize(n) + 1, sizeof *sc->initial)))
        return false;
    int i = 0;
    for (const cJSON *e = n->child; e; e = e->next, i++) {
        char p[READER_PATH], q[READER_PATH];
        struct scn_process_opts o;
        int index;
        snprintf(p, sizeof p, "$.processes[%d]", i);
        if (!reader_object(r, e, p, op_create_process.fields, "a process"))
            continue;
        const cJSON *name = reader_member(e, p, "name", q);
        if (!name) {
            reader_error(r, e, false, p, "a process needs \"name\"");
            continue;
        }
        if (reader_process_options(r, e, p, &o) && reader_new_process(r, name, q, &index))
            sc->initial[sc->ninitial++] = o;
    }
    return true;
}

static void read_steps(struct reader *r, const cJSON *root)
{
    struct scenario *sc = r->sc;
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(root, "steps");
    if (!n) {
        reader_error(r, root, false, "$", "a scenario needs \"steps\"");
        return;
    }
    if (!cJSON_IsArray(n)) {
        reader_error(r, n, false, "$.steps", "expected an array of steps, found %s", reader_type_name(n));
        return;
    }
    int count = cJSON_GetArraySize(n);
    if (count > (int)SCN_MAX_STEPS) {
        reader_error(r, n, false, "$.steps", "too many steps (%d, at most %u)", count, SCN_MAX_STEPS);
        return;
    }
    if (!(sc->steps = calloc((size_t)count + 1, sizeof *sc->steps)))
        return;
    int i = 0;
    for (const cJSON *e = n->child; e; e = e->next, i++) {
        char p[READER_PATH];
        snprintf(p, sizeof p, "$.steps[%d]", i);
        ops_read_step(r, e, p, &sc->steps[i]);
        sc->nsteps = (uint32_t)i + 1;
    }
}

static void read_document(struct reader *r, const cJSON *root)
{
    struct scenario *sc = r->sc;
    const cJSON *n;
    mm_config_default(&sc->config);
    if (!reader_object(r, root, "$", document_fields, "a scenario"))
        return;
    if (!read_text(r, root, "name", 80, "a scenario needs \"name\"", &sc->name) ||
        !read_text(r, root, "title", 200, NULL, &sc->title) ||
        !read_text(r, root, "description", SCN_MAX_TEXT, "a scenario needs \"description\": what it teaches",
                   &sc->description))
        return;
    if ((n = cJSON_GetObjectItemCaseSensitive(root, "machine")) && !read_machine(r, n))
        return;
    if ((n = cJSON_GetObjectItemCaseSensitive(root, "processes")) && !read_processes(r, n))
        return;
    if ((n = cJSON_GetObjectItemCaseSensitive(root, "files")) && !files_read(r, n))   /* files.c */
        return;
    read_steps(r, root);
}

static char *read_file(const char *file, size_t *len, struct scn_errors *errs)
{
    struct scn_error *e = &errs->e[errs->count];
    FILE *f = fopen(file, "rb");
    if (!f) {
        snprintf(e->message, sizeof e->message, "cannot open the file");
        errs->count++;
        return NULL;
    }
    char *buf = malloc(SCN_MAX_FILE_BYTES + 1);
    size_t n = buf ? fread(buf, 1, SCN_MAX_FILE_BYTES + 1, f) : 0;
    bool error = ferror(f);
    fclose(f);
    if (!buf || error) {
        snprintf(e->message, sizeof e->message, buf ? "cannot read the file" : "out of memory");
        errs->count++;
        free(buf);
        return NULL;
    }
    if (n > SCN_MAX_FILE_BYTES) {
        snprintf(e->message, sizeof e->message, "the file is larger than %u bytes; scenarios are small",
                 SCN_MAX_FILE_BYTES);
        errs->count++;
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

struct scenario *scenario_load(const char *file, const char *text, size_t len, struct scn_errors *errs)
{
    memset(errs, 0, sizeof *errs);
    char *owned = NULL;
    if (!text) {
        if (!(owned = read_file(file, &len, errs)))
            return NULL;
        text = owned;
    }
    struct reader r = {.file = file, .errs = errs};
    struct json_where where;
    char msg[300];
    struct scenario *sc = calloc(1, sizeof *sc);
    if (!sc || !(sc->file = strdup(file))) {
        free(sc);
        free(owned);
        snprintf(errs->e[0].message, sizeof errs->e[0].message, "out of memory");
        errs->count = 1;
        return NULL;
    }
    r.sc = sc;
    if (!json_parse(&r.doc, text, len, &where, msg, sizeof msg)) {
        errs->e[0].line = where.line;
        errs->e[0].col = where.col;
        snprintf(errs->e[0].path, sizeof errs->e[0].path, "$");
        snprintf(errs->e[0].message, sizeof errs->e[0].message, "%s", msg);
        errs->count = 1;
    } else {
        read_document(&r, r.doc.root);
        if (errs->count == 0 && (!sc->name || !sc->steps))
            errs->count = 1;   /* an allocation failed: already reported or out of memory */
    }
    json_free(&r.doc);
    free(r.alive);
    free(owned);
    if (errs->count) {
        scenario_free(sc);
        return NULL;
    }
    return sc;
}

void scenario_free(struct scenario *sc)
{
    if (!sc)
        return;
    for (uint32_t i = 0; i < sc->nsteps; i++) {
        free(sc->steps[i].text);
        if (sc->steps[i].expect) {
            free(sc->steps[i].expect->ws.contains);
            free(sc->steps[i].expect->ws.excludes);
            free(sc->steps[i].expect->tlb.contains);
            free(sc->steps[i].expect->tlb.excludes);
            free(sc->steps[i].expect);
        }
    }
    for (uint32_t i = 0; i < sc->nprocess_names; i++)
        free(sc->process_names[i]);
    free(sc->process_names);
    free(sc->initial);
    files_free(sc);
    free(sc->steps);
    free(sc->file);
    free(sc->name);
    free(sc->title);
    free(sc->description);
    free(sc);
}

void scenario_format_error(const char *file, const struct scn_error *e, char *out, size_t size)
{
    char raw[SCN_ERROR_LINE];
    if (e->line)
        snprintf(raw, sizeof raw, "%s:%u:%u: %s: %s", file, e->line, e->col, e->path, e->message);
    else
        snprintf(raw, sizeof raw, "%s: %s", file, e->message);
    show_text(raw, strlen(raw), sizeof raw, out, size);
}
