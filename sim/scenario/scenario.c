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
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

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
    if (json_member(m, "frames")) {
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
    if ((n = json_member(m, "memory")))
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
    if (ok) {   /* the limits, checked against each other and the hard flags */
        char origin[48];
        snprintf(origin, sizeof origin, "the default for this %s machine",
                 mm_system_size_name(mm_system_size(sc->config.frames)));
        ok = reader_ws_limits(r, m, "$.machine", &sc->config.ws_minimum, &sc->config.ws_maximum, origin,
                              sc->ws_hard_minimum, sc->ws_hard_maximum, &sc->ws_limits_set);
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
    if ((n = json_member(m, "policy"))) {
        int v;
        ok &= reader_enum(r, n, "$.machine.policy", policy_names, sizeof policy_names / sizeof policy_names[0],
                          "policy", &v);
        if (ok)
            c->policy = (enum mm_policy)v;
    }
    if ((n = json_member(m, "pagefiles")))
        ok &= read_pagefiles(r, n, c);
    ok &= read_machine_flags(r, m, r->sc);
    if (ok) {   /* what needs the whole machine: a power-of-two TLB, ... */
        const char *bad = mm_config_check(c);
        const cJSON *tlb = cJSON_GetObjectItemCaseSensitive(m, "tlb_entries");
        if (bad && tlb && (c->tlb_entries & (c->tlb_entries - 1))) {   /* the one field at fault */
            reader_error(r, tlb, false, "$.machine.tlb_entries", "%s", bad);
            ok = false;
        } else if (bad) {
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
        /* the name is known even when an option is wrong, so that the
         * steps naming the process raise no error of their own */
        bool opts = reader_process_options(r, e, p, &o);
        if (reader_new_process(r, name, q, &index) && opts)
            sc->initial[sc->ninitial++] = o;
    }
    return true;
}

/* Line and column of increasing byte offsets, counted as json_where
 * counts them (columns in characters; a byte-order mark takes none). */
struct line_counter {
    size_t at;
    struct json_where w;
};

static struct json_where count_to(struct line_counter *lc, const char *text, size_t offset)
{
    const char *nl;
    while (lc->at < offset && (nl = memchr(text + lc->at, '\n', offset - lc->at)) != NULL) {
        lc->w.line++;
        lc->w.col = 1;
        lc->at = (size_t)(nl - text) + 1;
    }
    for (; lc->at < offset; lc->at++)
        lc->w.col += ((unsigned char)text[lc->at] & 0xC0) != 0x80;
    return lc->w;
}

/* Two expectations alike, list pointers aside (those are never shared). */
static bool same_expect(const struct scn_expect *a, const struct scn_expect *b)
{
    return !a->ws.contains && !a->ws.excludes && !a->tlb.contains && !a->tlb.excludes && !b->ws.contains &&
           !b->ws.excludes && !b->tlb.contains && !b->tlb.excludes && memcmp(a, b, sizeof *a) == 0;
}

/* Expectations are large (struct scn_expect) and long scenarios repeat
 * them: a step whose expectation equals one of the last few shares it. */
#define SHARE_WINDOW 8

static void share_expect(struct scenario *sc, uint32_t i, uint32_t *recent, uint32_t *nrecent)
{
    struct scn_step *st = &sc->steps[i];
    if (st->op != OP_EXPECT || !st->expect)
        return;
    for (uint32_t k = 0; k < *nrecent && k < SHARE_WINDOW; k++) {
        struct scn_step *other = &sc->steps[recent[k]];
        if (same_expect(st->expect, other->expect)) {
            free(st->expect);
            st->expect = other->expect;
            st->shared_expect = true;
            return;
        }
    }
    recent[(*nrecent)++ % SHARE_WINDOW] = i;
}

/* "$.steps[i]" into p, as snprintf would write it (this runs for every
 * step of a long scenario, and snprintf costs more than reading an access). */
static void step_path(char p[READER_PATH], uint32_t i)
{
    char digits[10];
    size_t n = 0;
    do
        digits[n++] = (char)('0' + i % 10);
    while ((i /= 10) != 0);
    memcpy(p, "$.steps[", 8);
    for (size_t k = 0; k < n; k++)
        p[8 + k] = digits[n - 1 - k];
    p[8 + n] = ']';
    p[9 + n] = '\0';
}

/* Step i from its own bytes: a tree of one step at a time, however long
 * the scenario, each in the memory of the one before. Positions in
 * messages are the file's. */
static void read_step_item(struct reader *r, uint32_t i, struct line_counter *lc)
{
    const struct json_span *it = &r->items[i];
    struct json_doc whole = r->doc;
    struct json_where where;
    char msg[300], p[READER_PATH];
    step_path(p, i);
    if (!json_parse_scanned(&r->step, r->text + it->start, it->end - it->start, &where, msg, sizeof msg)) {
        r->base = count_to(lc, r->text, it->start);
        reader_error(r, NULL, false, p, "%s", msg);   /* only memory can fail here: the text was scanned */
        r->base = (struct json_where){0, 0};
        return;
    }
    r->doc = r->step;
    r->base = count_to(lc, r->text, it->start);
    ops_read_step(r, r->doc.root, p, &r->sc->steps[i]);
    r->step = r->doc;
    r->doc = whole;
    r->base = (struct json_where){0, 0};
}

static void read_steps(struct reader *r, const cJSON *root)
{
    struct scenario *sc = r->sc;
    const cJSON *n = json_member(root, "steps");
    if (!n) {
        reader_error(r, root, false, "$", "a scenario needs \"steps\"");
        return;
    }
    if (!cJSON_IsArray(n)) {
        reader_error(r, n, false, "$.steps", "expected an array of steps, found %s", reader_type_name(n));
        return;
    }
    size_t count = r->items ? r->nitems : (size_t)cJSON_GetArraySize(n);
    if (count > SCN_MAX_STEPS) {
        reader_error(r, n, false, "$.steps", "too many steps (%llu, at most %u)", (unsigned long long)count,
                     SCN_MAX_STEPS);
        return;
    }
    if (!(sc->steps = calloc(count + 1, sizeof *sc->steps))) {
        reader_error(r, n, false, "$.steps", "out of memory for %llu steps (%llu MiB)", (unsigned long long)count,
                     (unsigned long long)((count + 1) * sizeof *sc->steps >> 20));
        return;
    }
    uint32_t recent[SHARE_WINDOW], nrecent = 0;
    if (r->items) {
        struct line_counter lc = {json_bom_length(r->text, r->len), {1, 1}};
        for (uint32_t i = 0; i < count && !r->errs->truncated; i++) {
            read_step_item(r, i, &lc);
            sc->nsteps = i + 1;
            share_expect(sc, i, recent, &nrecent);
        }
        return;
    }
    uint32_t i = 0;
    for (const cJSON *e = n->child; e; e = e->next, i++) {
        char p[READER_PATH];
        step_path(p, i);
        ops_read_step(r, e, p, &sc->steps[i]);
        sc->nsteps = i + 1;
        share_expect(sc, i, recent, &nrecent);
    }
}

bool scenario_op_is_operation(enum scn_op op) { return op != OP_NOTE && op != OP_EXPECT; }

/* Give every entry of a valid scenario its numbered step (see
 * scenario.h); false when out of memory. */
static bool number_steps(struct scenario *sc)
{
    uint32_t ops = 0;
    for (uint32_t i = 0; i < sc->nsteps; i++)
        ops += scenario_op_is_operation(sc->steps[i].op);
    sc->nops = ops;
    sc->op_entry = calloc((size_t)ops + 1, sizeof *sc->op_entry);
    sc->step_end = calloc((size_t)ops + 1, sizeof *sc->step_end);
    if (!sc->op_entry || !sc->step_end)
        return false;
    uint32_t n = 0, run_end = 0;   /* run_end: the first step after the current run of notes */
    for (uint32_t i = 0; i < sc->nsteps; i++) {
        struct scn_step *st = &sc->steps[i];
        if (scenario_op_is_operation(st->op)) {
            sc->op_entry[++n] = i;
        } else if (st->op == OP_NOTE) {
            if (run_end <= i) {   /* the note introduces what follows its run of notes */
                run_end = i + 1;
                while (run_end < sc->nsteps && sc->steps[run_end].op == OP_NOTE)
                    run_end++;
            }
            uint32_t j = run_end;
            st->number = j < sc->nsteps && scenario_op_is_operation(sc->steps[j].op) ? n + 1 : n;
            continue;
        }
        st->number = n;
    }
    for (uint32_t i = 0; i < sc->nsteps; i++)   /* numbers never go down: each step is one run */
        sc->step_end[sc->steps[i].number] = i + 1;
    return true;
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
    if ((n = json_member(root, "machine")) && !read_machine(r, n))
        return;
    if ((n = json_member(root, "processes")) && !read_processes(r, n))
        return;
    if ((n = json_member(root, "files")) && !files_read(r, n))   /* files.c */
        return;
    read_steps(r, root);
}

/* The whole file. A regular file larger than the limit is refused before
 * any of it is read; anything else (a pipe, a device) is read in growing
 * pieces up to the limit and one byte more, and no further than a piece
 * holding a NUL byte (the scanner refuses the text at the first one, so
 * what follows could change nothing: /dev/zero is not read for 1 GiB). */
#define READ_PIECE (64u * 1024u)

static void file_error(struct scn_errors *errs, const char *what)
{
    snprintf(errs->e[errs->count].message, sizeof errs->e[errs->count].message, "%s", what);
    errs->count++;
}

static void too_large(struct scn_errors *errs)
{
    snprintf(errs->e[errs->count].message, sizeof errs->e[errs->count].message,
             "the file is larger than %u bytes (1 GiB), more than mmsim reads", SCN_MAX_FILE_BYTES);
    errs->count++;
}

static void no_memory(struct scn_errors *errs, size_t bytes)
{
    snprintf(errs->e[errs->count].message, sizeof errs->e[errs->count].message,
             "out of memory reading the file (%llu bytes)", (unsigned long long)bytes);
    errs->count++;
}

static char *read_stream(FILE *f, size_t *len, struct scn_errors *errs)
{
    size_t cap = 0, n = 0;
    char *buf = NULL;
    for (;;) {
        if (n == cap) {
            size_t c2 = cap ? cap * 2 : READ_PIECE;
            c2 = c2 > (size_t)SCN_MAX_FILE_BYTES + 1 ? (size_t)SCN_MAX_FILE_BYTES + 1 : c2;
            char *p = c2 > cap ? realloc(buf, c2) : NULL;
            if (!p) {
                free(buf);
                if (c2 > cap)
                    no_memory(errs, c2);
                else
                    too_large(errs);
                return NULL;
            }
            buf = p;
            cap = c2;
        }
        size_t want = cap - n < READ_PIECE ? cap - n : READ_PIECE;
        size_t got = fread(buf + n, 1, want, f);
        bool nul = memchr(buf + n, '\0', got) != NULL;
        n += got;
        if (ferror(f)) {
            free(buf);
            file_error(errs, "cannot read the file");
            return NULL;
        }
        if (got < want || nul)
            break;
    }
    if (n > SCN_MAX_FILE_BYTES) {
        free(buf);
        too_large(errs);
        return NULL;
    }
    *len = n;
    return buf;
}

static char *read_file(const char *file, size_t *len, struct scn_errors *errs)
{
    if (strcmp(file, "-") == 0)   /* standard input */
        return read_stream(stdin, len, errs);
    FILE *f = fopen(file, "rb");
    if (!f) {
        char what[160];
        snprintf(what, sizeof what, "cannot open the file: %s", strerror(errno));
        file_error(errs, what);
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || S_ISDIR(st.st_mode)) {
        fclose(f);
        file_error(errs, "cannot read the file");
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        char *buf = read_stream(f, len, errs);
        fclose(f);
        return buf;
    }
    if ((unsigned long long)st.st_size > SCN_MAX_FILE_BYTES) {
        fclose(f);
        too_large(errs);
        return NULL;
    }
    size_t size = (size_t)st.st_size;
    char *buf = malloc(size + 1);   /* one byte more: a file that grew meanwhile is seen */
    if (!buf) {
        fclose(f);
        no_memory(errs, size);
        return NULL;
    }
    size_t n = fread(buf, 1, size + 1, f);
    bool error = ferror(f);
    fclose(f);
    if (error || n != size) {
        free(buf);
        file_error(errs, error ? "cannot read the file" : "the file changed while it was read");
        return NULL;
    }
    *len = n;
    return buf;
}

/* Long scenarios are read a step at a time: the document is read with its
 * "steps" array emptied (the head, returned: lines and columns kept as in
 * the file), and each step from its own bytes (r->items). NULL when the
 * steps are few or the text is not strictly valid (the whole text is then
 * read as one tree, and its errors told as usual). */
#define STEPS_READ_ONE_AT_A_TIME 64u

/* the memory a long scenario costs per step (make bench prints it) */
_Static_assert(sizeof(struct scn_step) <= 80, "a step is kept in 80 bytes");

static char *split_steps(struct reader *r, const char *text, size_t len)
{
    struct json_span array;
    if (!json_array_items(text, len, "steps", SCN_MAX_STEPS, &r->items, &r->nitems, &array) || !r->items)
        return NULL;
    if (r->nitems < STEPS_READ_ONE_AT_A_TIME) {
        free(r->items);
        r->items = NULL;
        return NULL;
    }
    /* head = text up to '[', a newline for each inside, spaces for the
     * characters of the last line inside, then ']' and the rest */
    size_t lines = 0, last_cols = 0, i = array.start + 1;
    for (const char *nl; i + 1 < array.end && (nl = memchr(text + i, '\n', array.end - 1 - i)) != NULL;) {
        lines++;
        i = (size_t)(nl - text) + 1;
    }
    for (; i + 1 < array.end; i++)
        last_cols += ((unsigned char)text[i] & 0xC0) != 0x80;
    size_t before = array.start + 1, after = len - (array.end - 1);
    char *head = malloc(before + lines + last_cols + after + 1);
    if (!head) {
        free(r->items);
        r->items = NULL;
        return NULL;
    }
    memcpy(head, text, before);
    memset(head + before, '\n', lines);
    memset(head + before + lines, ' ', last_cols);
    memcpy(head + before + lines + last_cols, text + array.end - 1, after);
    head[before + lines + last_cols + after] = '\0';
    r->text = text;
    r->len = len;
    return head;
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
    char *head = split_steps(&r, text, len);
    const char *doc_text = head ? head : text;
    size_t doc_len = head ? strlen(head) : len;
    if (!json_parse(&r.doc, doc_text, doc_len, &where, msg, sizeof msg)) {
        errs->e[0].line = where.line;
        errs->e[0].col = where.col;
        snprintf(errs->e[0].path, sizeof errs->e[0].path, "$");
        snprintf(errs->e[0].message, sizeof errs->e[0].message, "%s", msg);
        errs->count = 1;
    } else {
        read_document(&r, r.doc.root);
        if (errs->count == 0 && (!sc->name || !sc->steps || !number_steps(sc)))
            errs->count = 1;   /* an allocation failed: already reported or out of memory */
    }
    json_free(&r.doc);
    json_free(&r.step);
    free(r.alive);
    free(r.name_slot);
    free(r.items);
    free(head);
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
        if (sc->steps[i].expect && !sc->steps[i].shared_expect) {
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
    free(sc->op_entry);
    free(sc->step_end);
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
