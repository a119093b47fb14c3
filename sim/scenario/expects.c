/*
 * expects.c - the expect op, the table of expectation kinds (see
 * expects.h), and the kinds about the last step: status, fault,
 * av_reason and value.
 *
 * The other kinds live with their families:
 *   expect_counts.c   lists, standby_priority, repurposed, pagefile, commit, faults
 *   expect_entries.c  pte, pde, pfn, working_set
 *   expect_section.c  proto, section, file
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "expects.h"
#include "ops.h"

const struct expect_row *const expect_table[] = {
    &expect_status, &expect_fault, &expect_table_fault, &expect_av_reason, &expect_value,
    &expect_lists, &expect_standby_priority, &expect_repurposed,
    &expect_pte, &expect_pde, &expect_pfn, &expect_working_set, &expect_tlb,
    &expect_proto, &expect_section, &expect_file,
    &expect_pagefile, &expect_commit, &expect_faults,
};
const uint32_t expect_kinds = sizeof expect_table / sizeof expect_table[0];

uint32_t scenario_expect_count(void) { return expect_kinds; }

const char *scenario_expect_name(uint32_t kind) { return kind < expect_kinds ? expect_table[kind]->name : NULL; }

const struct scn_field *scenario_expect_fields(uint32_t kind)
{
    return kind < expect_kinds ? expect_table[kind]->fields : NULL;
}

void expects_check(struct replay_result *res, const char *subject, const char *what, bool held, const char *expected,
                   const char *actual)
{
    if (res->nchecks < REPLAY_MAX_CHECKS) {
        struct expect_check *c = &res->check[res->nchecks];
        snprintf(c->subject, sizeof c->subject, "%s", subject);
        snprintf(c->what, sizeof c->what, "%s", what);
        snprintf(c->expected, sizeof c->expected, "%s", expected);
        snprintf(c->actual, sizeof c->actual, "%s", actual);
        c->held = held;
        c->listing = false;
    }
    res->nchecks++;
    if (held || res->nfailures == REPLAY_MAX_FAILURES)
        return;
    snprintf(res->failure[res->nfailures++], sizeof res->failure[0], "%s%s%s: expected %s, actual %s", subject,
             *subject ? " " : "", what, expected, actual);
}

void expects_checkf(struct replay_result *res, const char *subject, const char *what, bool held, const char *expected,
                    const char *fmt, ...)
{
    char actual[96];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(actual, sizeof actual, fmt, ap);
    va_end(ap);
    expects_check(res, subject, what, held, expected, actual);
}

void expects_listing(struct replay_result *res, const char *subject, const char *what, bool held,
                     const char *expected, const char *actual)
{
    expects_check(res, subject, what, held, expected, actual);
    if (res->nchecks <= REPLAY_MAX_CHECKS)
        res->check[res->nchecks - 1].listing = true;
}

uint32_t expects_running(struct replay *r, int process, const char *subject, struct replay_result *res)
{
    uint32_t pid = replay_pid(r, process);
    if (pid && mm_process_exists(r->m, pid))
        return pid;
    expects_check(res, subject, "process", false, "running", "not running");
    return 0;
}

/* A number as a check shows it: decimal, or 0x%08X for addresses, PTE
 * values and read values. */
static void number_text(uint64_t v, bool hex, char *out, size_t size)
{
    snprintf(out, size, hex ? "0x%08llX" : "%llu", (unsigned long long)v);
}

/* "5", "at least 1", "at most 8", "2..4" */
static void range_text(const struct scn_range *x, bool hex, char *out, size_t size)
{
    char lo[24], hi[24];
    number_text(x->min, hex, lo, sizeof lo);
    number_text(x->max, hex, hi, sizeof hi);
    if (x->min == x->max)
        snprintf(out, size, "%s", lo);
    else if (x->open_max)
        snprintf(out, size, "at least %s", lo);
    else if (x->min == 0)
        snprintf(out, size, "at most %s", hi);
    else
        snprintf(out, size, "%s..%s", lo, hi);
}

void expects_range(struct replay_result *res, const char *subject, const char *what, const struct scn_range *x,
                   uint64_t actual, bool hex)
{
    if (!x->set)
        return;
    char want[64], got[24];
    range_text(x, hex, want, sizeof want);
    number_text(actual, hex, got, sizeof got);
    expects_check(res, subject, what, actual >= x->min && actual <= x->max, want, got);
}

/* ---- the expect op: the kinds in the order of expect_table ---- */

static bool read_expect_step(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok)
{
    if (!s->child || !s->child->next) {
        reader_error(r, s, false, path, "an expect step needs at least one expectation");
        return false;
    }
    struct scn_expect *x = st->expect = calloc(1, sizeof *st->expect);
    if (!x)
        return false;
    x->fault = x->table_fault = x->av = -1;      /* -1: not checked */
    x->commit_process = x->faults_process = -1;   /* -1: none named */
    for (uint32_t k = 0; k < expect_kinds; k++) {
        char p[READER_PATH];
        const cJSON *n = reader_member(s, path, expect_table[k]->name, p);
        if (n)
            ok &= expect_table[k]->read(r, n, p, x);
    }
    return ok;
}

static mm_status run_expect_step(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    for (uint32_t k = 0; k < expect_kinds; k++)
        if (expect_table[k]->check)
            expect_table[k]->check(r, st->expect, res);
    if (res->nfailures)
        r->failed_steps++;
    return STATUS_SUCCESS;
}

static void describe_expect_step(const struct scenario *sc, const struct scn_step *st, char *out, size_t size)
{
    (void)sc;
    (void)st;
    snprintf(out, size, "expect");
}

const struct op_row op_expect = {
    .name = "expect", .fields = {FIELDS_END},   /* its keys are the expectation kinds */
    .read = read_expect_step, .run = run_expect_step, .returns_status = false, .describe = describe_expect_step,
};

/* ---- status: the NTSTATUS of the last step that returned one ---- */

static bool read_status(struct reader *r, const cJSON *n, const char *path, struct scn_expect *x)
{
    const char *name;
    if (!reader_string(r, n, path, 64, &name))
        return false;
    if (!mm_status_from_name(name, &x->status)) {
        reader_error(r, n, false, path, "unknown status '%s' (e.g. STATUS_SUCCESS, STATUS_ACCESS_VIOLATION)", name);
        return false;
    }
    x->has_status = true;
    return true;
}

/* NT's name of a status, or its number. */
static const char *status_text(mm_status s, char *buf, size_t size)
{
    const char *name = mm_status_name(s);
    if (name)
        return name;
    snprintf(buf, size, "0x%08X", s);
    return buf;
}

static void check_status(struct replay *r, const struct scn_expect *x, struct replay_result *res)
{
    char a[48], b[48];
    if (!x->has_status)
        return;
    if (!r->has_status)
        expects_check(res, "", "status", false, status_text(x->status, a, sizeof a), "none (no step returned one yet)");
    else
        expects_check(res, "", "status", r->last_status == x->status, status_text(x->status, a, sizeof a),
                      status_text(r->last_status, b, sizeof b));
}

const struct expect_row expect_status = {.name = "status", .read = read_status, .check = check_status};

/* ---- fault: how the last access ended ---- */

static bool read_fault(struct reader *r, const cJSON *n, const char *path, struct scn_expect *x)
{
    const char *names[MM_FAULT_KIND_COUNT];
    for (int i = 0; i < MM_FAULT_KIND_COUNT; i++)
        names[i] = mm_fault_kind_name((enum mm_fault_kind)i);
    return reader_enum(r, n, path, names, MM_FAULT_KIND_COUNT, "fault kind", &x->fault);
}

static void check_fault(struct replay *r, const struct scn_expect *x, struct replay_result *res)
{
    if (x->fault >= 0)
        expects_check(res, "", "fault", (int)r->last_fault.kind == x->fault,
                      mm_fault_kind_name((enum mm_fault_kind)x->fault), mm_fault_kind_name(r->last_fault.kind));
}

const struct expect_row expect_fault = {.name = "fault", .read = read_fault, .check = check_fault};

/* ---- table_fault: how the last access's page table was made present ---- */

static bool read_table_fault(struct reader *r, const cJSON *n, const char *path, struct scn_expect *x)
{
    static const enum mm_fault_kind kinds[] = {MM_FAULT_NONE, MM_FAULT_PAGE_TABLE, MM_FAULT_TRANSITION,
                                               MM_FAULT_PAGE_FILE};
    const char *names[4];
    for (int i = 0; i < 4; i++)
        names[i] = mm_fault_kind_name(kinds[i]);
    int k;
    if (!reader_enum(r, n, path, names, 4, "page-table fault (none, page-table, transition or page-file)", &k))
        return false;
    x->table_fault = (int)kinds[k];
    return true;
}

static void check_table_fault(struct replay *r, const struct scn_expect *x, struct replay_result *res)
{
    if (x->table_fault >= 0)
        expects_check(res, "", "table_fault", (int)r->last_fault.table_fault == x->table_fault,
                      mm_fault_kind_name((enum mm_fault_kind)x->table_fault),
                      mm_fault_kind_name(r->last_fault.table_fault));
}

const struct expect_row expect_table_fault = {
    .name = "table_fault", .read = read_table_fault, .check = check_table_fault,
};

/* ---- av_reason: why the last access violation happened ---- */

static bool read_av_reason(struct reader *r, const cJSON *n, const char *path, struct scn_expect *x)
{
    const char *names[MM_AV_REASON_COUNT];
    for (int i = 0; i < MM_AV_REASON_COUNT; i++)
        names[i] = mm_av_reason_name((enum mm_av_reason)i);
    return reader_enum(r, n, path, names, MM_AV_REASON_COUNT, "access-violation reason", &x->av);
}

static void check_av_reason(struct replay *r, const struct scn_expect *x, struct replay_result *res)
{
    if (x->av >= 0)
        expects_check(res, "", "av_reason", (int)r->last_fault.av == x->av, mm_av_reason_name((enum mm_av_reason)x->av),
                      mm_av_reason_name(r->last_fault.av));
}

const struct expect_row expect_av_reason = {.name = "av_reason", .read = read_av_reason, .check = check_av_reason};

/* ---- value: what the last read returned ---- */

static bool read_value(struct reader *r, const cJSON *n, const char *path, struct scn_expect *x)
{
    return reader_range(r, n, path, 0xFFFFFFFFu, &x->value);
}

static void check_value(struct replay *r, const struct scn_expect *x, struct replay_result *res)
{
    if (!x->value.set)
        return;
    if (!r->has_value) {
        char want[64];
        snprintf(want, sizeof want, "0x%08llX", (unsigned long long)x->value.min);
        expects_check(res, "", "value", false, x->value.min == x->value.max ? want : "a value",
                      "none (the last read did not succeed)");
    } else {
        expects_range(res, "", "value", &x->value, r->last_value, true);
    }
}

const struct expect_row expect_value = {.name = "value", .read = read_value, .check = check_value};
