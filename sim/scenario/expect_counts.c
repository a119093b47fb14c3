/*
 * expect_counts.c - expectations about counters of the whole machine:
 * lists (pages on each list), standby_priority and repurposed (Standby
 * pages by priority), pagefile (slots in use), commit (charge, total,
 * limit, peak) and faults (page faults by kind). For each: how it is read
 * and checked, then its row.
 */
#include <stdio.h>
#include <string.h>

#include "expects.h"

/* ---- lists: pages on each list ---- */

static const struct scn_field lists_fields[LK_COUNT + 1] = {   /* as enum scn_list_key */
    OPT("zeroed"), OPT("free"), OPT("standby"), OPT("modified"), OPT("modified_no_write"),
    OPT("bad"), OPT("active"), OPT("available"), OPT("modified_pagefile"), FIELDS_END,
};

const char *scenario_list_key_name(enum scn_list_key k)
{
    return (unsigned)k < LK_COUNT ? lists_fields[k].name : "?";
}

static bool read_lists(struct reader *r, const cJSON *n, const char *path, struct scn_expect *x)
{
    if (!reader_object(r, n, path, lists_fields, "list counts"))
        return false;
    bool ok = true;
    for (const cJSON *c = n->child; c; c = c->next) {
        char p[READER_PATH];
        reader_join(p, sizeof p, path, c->string);
        ok &= reader_range(r, c, p, MM_MAX_FRAMES, &x->list[reader_field_index(lists_fields, c->string)]);
    }
    return ok;
}

static uint64_t list_count(const struct mm_machine *m, enum scn_list_key k)
{
    switch (k) {
    case LK_ZEROED: return mm_list_head(m, ZeroedPageList)->total;
    case LK_FREE: return mm_list_head(m, FreePageList)->total;
    case LK_STANDBY: return mm_list_head(m, StandbyPageList)->total;
    case LK_MODIFIED: return mm_list_head(m, ModifiedPageList)->total;
    case LK_MODIFIED_NO_WRITE: return mm_list_head(m, ModifiedNoWritePageList)->total;
    case LK_BAD: return mm_list_head(m, BadPageList)->total;
    case LK_ACTIVE: return mm_active_frames(m);
    case LK_AVAILABLE: return mm_available_pages(m);
    case LK_MODIFIED_PAGEFILE: {   /* Modified pages bound for the paging file, not a mapped file */
        struct mm_memory_list_info info;
        mm_memory_list_query(m, &info);
        return info.modified_page_count_page_file;
    }
    default: return 0;
    }
}

static void check_lists(struct replay *r, const struct scn_expect *x, struct replay_result *res)
{
    for (int k = 0; k < LK_COUNT; k++)
        expects_range(res, "", scenario_list_key_name((enum scn_list_key)k), &x->list[k],
                      list_count(r->m, (enum scn_list_key)k), false);
}

const struct expect_row expect_lists = {
    .name = "lists", .fields = lists_fields, .read = read_lists, .check = check_lists,
};

/* ---- standby_priority and repurposed: Standby pages by priority ---- */

static const struct scn_field priority_fields[] = {
    OPT("0"), OPT("1"), OPT("2"), OPT("3"), OPT("4"), OPT("5"), OPT("6"), OPT("7"),
    FIELDS_END,
};

/* {"0": 3, "5": {"min": 1}}: a range per priority */
static bool read_by_priority(struct reader *r, const cJSON *n, const char *path, struct scn_range *out)
{
    if (!reader_object(r, n, path, priority_fields, "counts by priority (keys \"0\" to \"7\")"))
        return false;
    bool ok = true;
    for (const cJSON *c = n->child; c; c = c->next) {
        char p[READER_PATH];
        reader_join(p, sizeof p, path, c->string);
        ok &= reader_range(r, c, p, MM_MAX_FRAMES, &out[c->string[0] - '0']);
    }
    return ok;
}

static bool read_standby_priority(struct reader *r, const cJSON *n, const char *path, struct scn_expect *x)
{
    return read_by_priority(r, n, path, x->standby_priority);
}

static bool read_repurposed(struct reader *r, const cJSON *n, const char *path, struct scn_expect *x)
{
    return read_by_priority(r, n, path, x->repurposed);
}

/* Both kinds, priority by priority (NtQuerySystemInformation's
 * SYSTEM_MEMORY_LIST_INFORMATION holds both arrays). */
static void check_by_priority(struct replay *r, const struct scn_expect *x, struct replay_result *res)
{
    struct mm_memory_list_info info;
    mm_memory_list_query(r->m, &info);
    for (unsigned prio = 0; prio < MM_STANDBY_PRIORITIES; prio++) {
        char what[32];
        snprintf(what, sizeof what, "standby[%u]", prio);
        expects_range(res, "", what, &x->standby_priority[prio], info.page_count_by_priority[prio], false);
        snprintf(what, sizeof what, "repurposed[%u]", prio);
        expects_range(res, "", what, &x->repurposed[prio], info.repurposed_pages_by_priority[prio], false);
    }
}

const struct expect_row expect_standby_priority = {
    .name = "standby_priority", .fields = priority_fields, .read = read_standby_priority,
    .check = check_by_priority,
};
const struct expect_row expect_repurposed = {
    .name = "repurposed", .fields = priority_fields, .read = read_repurposed,
    .check = NULL,   /* checked with standby_priority, priority by priority */
};

/* ---- pagefile: slots used in one paging file ---- */

static const struct scn_field pagefile_fields[] = {OPT("file"), OPT("used"), OPT("size"), FIELDS_END};

static bool read_pagefile(struct reader *r, const cJSON *n, const char *path, struct scn_expect *x)
{
    if (!reader_object(r, n, path, pagefile_fields, "a paging-file expectation"))
        return false;
    bool ok = true;
    char p[READER_PATH];
    const cJSON *f;
    uint32_t file = 0;
    if ((f = reader_member(n, path, "file", p)))
        ok &= reader_u32(r, f, p, 0, r->sc->config.pagefile_count - 1, &file);
    x->pagefile_file = (int)file;
    if ((f = reader_member(n, path, "used", p)))
        ok &= reader_range(r, f, p, MM_MAX_PAGEFILE_PAGES, &x->pagefile_used);
    if ((f = reader_member(n, path, "size", p)))
        ok &= reader_range(r, f, p, MM_MAX_PAGEFILE_PAGES, &x->pagefile_size);
    return ok;
}

static void check_pagefile(struct replay *r, const struct scn_expect *x, struct replay_result *res)
{
    if (!x->pagefile_used.set && !x->pagefile_size.set)
        return;
    uint32_t size = 0, used = 0;
    mm_pagefile_usage(r->m, (uint32_t)x->pagefile_file, &size, &used);
    char subject[48];
    snprintf(subject, sizeof subject, "paging file %d", x->pagefile_file);
    expects_range(res, subject, "used", &x->pagefile_used, used, false);
    expects_range(res, subject, "size", &x->pagefile_size, size, false);
}

const struct expect_row expect_pagefile = {
    .name = "pagefile", .fields = pagefile_fields, .read = read_pagefile, .check = check_pagefile,
};

/* ---- commit: commit charge, in pages ---- */

/* "process" is required with "charge" only (read_commit says so). */
static const struct scn_field commit_fields[] = {
    OPT("process"), OPT("charge"), OPT("total"), OPT("limit"), OPT("peak"), FIELDS_END,
};

static bool read_commit(struct reader *r, const cJSON *n, const char *path, struct scn_expect *x)
{
    static const char *const totals[] = {"total", "limit", "peak"};
    struct scn_range *const dst[] = {&x->commit_total, &x->commit_limit, &x->commit_peak};
    if (!reader_object(r, n, path, commit_fields, "a commit expectation"))
        return false;
    bool ok = true;
    char p[READER_PATH];
    const cJSON *f;
    if ((f = reader_member(n, path, "process", p)))
        ok &= reader_process(r, f, p, &x->commit_process);
    if ((f = reader_member(n, path, "charge", p))) {
        if (x->commit_process < 0 && !json_member(n, "process")) {
            reader_error(r, f, true, p, "\"charge\" is a process's: add \"process\"");
            ok = false;
        }
        ok &= reader_range(r, f, p, 0xFFFFFFFFu, &x->commit_charge);
    }
    for (size_t i = 0; i < 3; i++)
        if ((f = reader_member(n, path, totals[i], p)))
            ok &= reader_range(r, f, p, 0xFFFFFFFFu, dst[i]);
    return ok;
}

static void check_commit(struct replay *r, const struct scn_expect *x, struct replay_result *res)
{
    if (!x->commit_charge.set && !x->commit_total.set && !x->commit_limit.set && !x->commit_peak.set)
        return;
    struct mm_commit_info ci;
    uint32_t pid = 0;
    char what[96];
    if (x->commit_process >= 0) {
        snprintf(what, sizeof what, "commit of %s", r->sc->process_names[x->commit_process]);
        pid = expects_running(r, x->commit_process, what, res);
    }
    mm_commit(r->m, pid, &ci);
    if (pid) {
        snprintf(what, sizeof what, "charge of %s", r->sc->process_names[x->commit_process]);
        expects_range(res, "commit (pages)", what, &x->commit_charge, ci.process_charge, false);
    }
    expects_range(res, "commit (pages)", "total", &x->commit_total, ci.total, false);
    expects_range(res, "commit (pages)", "limit", &x->commit_limit, ci.limit, false);
    expects_range(res, "commit (pages)", "peak", &x->commit_peak, ci.peak, false);
}

const struct expect_row expect_commit = {
    .name = "commit", .fields = commit_fields, .read = read_commit, .check = check_commit,
};

/* ---- faults: page faults by kind, of one process or the whole system ---- */

static bool read_faults(struct reader *r, const cJSON *n, const char *path, struct scn_expect *x)
{
    struct scn_field keys[MM_FAULT_KIND_COUNT + 2] = {OPT("process")};
    for (int i = 0; i < MM_FAULT_KIND_COUNT; i++)
        keys[i + 1] = (struct scn_field){mm_fault_kind_name((enum mm_fault_kind)i), false};
    if (!reader_object(r, n, path, keys, "fault counts"))
        return false;
    bool ok = true;
    for (const cJSON *c = n->child; c; c = c->next) {
        char p[READER_PATH];
        reader_join(p, sizeof p, path, c->string);
        if (strcmp(c->string, "process") == 0)
            ok &= reader_process(r, c, p, &x->faults_process);
        else   /* keys[0] is "process" */
            ok &= reader_range(r, c, p, UINT64_MAX / 2, &x->faults[reader_field_index(keys, c->string) - 1]);
    }
    return ok;
}

static void check_faults(struct replay *r, const struct scn_expect *x, struct replay_result *res)
{
    struct mm_counters c;
    char subject[48];
    snprintf(subject, sizeof subject, "faults%s%s", x->faults_process >= 0 ? " of " : "",
             x->faults_process >= 0 ? r->sc->process_names[x->faults_process] : "");
    uint32_t pid = 0;
    if (x->faults_process >= 0 && !(pid = expects_running(r, x->faults_process, subject, res)))
        return;
    mm_counters(r->m, pid, &c);
    for (int k = 0; k < MM_FAULT_KIND_COUNT; k++)
        expects_range(res, subject, mm_fault_kind_name((enum mm_fault_kind)k), &x->faults[k], c.faults[k], false);
}

/* Its keys are "process" and the fault kinds (mm_fault_kind_name). */
const struct expect_row expect_faults = {.name = "faults", .read = read_faults, .check = check_faults};
