/*
 * op_process.c - the ops on processes and their working sets:
 * create_process, terminate, trim, set_ws_limits, set_priority.
 * For each: how a step is read, run and described, then its row.
 */
#include <stdio.h>

#include "ops.h"
#include "selfmap.h"

/* ---- create_process: process creation ---- */

static bool read_create_process(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok)
{
    char p[READER_PATH];
    struct scn_process_opts o;
    int index;
    if (!ops_require(r, s, path, st->op, "name"))
        return false;
    ok &= reader_process_options(r, s, path, &o);
    /* known by name even when an option is wrong: later steps naming it
     * raise no error of their own */
    if (!reader_new_process(r, reader_member(s, path, "name", p), p, &index) || !ok)
        return false;
    st->process = index;
    st->minimum = o.ws_minimum;
    st->maximum = o.ws_maximum;
    st->value = o.priority;
    st->no_write = o.modified_no_write;
    st->flags = o.hard_flags;
    return ok;
}

static mm_status run_create_process(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    uint32_t *pid = &r->pid[st->process];
    mm_status s = mm_process_create(r->m, r->sc->process_names[st->process], pid);
    if (s == STATUS_SUCCESS)
        s = mm_set_ws_limits_ex(r->m, *pid, st->minimum, st->maximum, st->flags);
    if (s == STATUS_SUCCESS)
        s = mm_set_page_priority(r->m, *pid, st->value);
    if (s == STATUS_SUCCESS && st->no_write)
        s = mm_set_modified_no_write(r->m, *pid, true);
    return s;
}

static void describe_create_process(const struct scenario *sc, const struct scn_step *st, char *out, size_t size)
{
    snprintf(out, size, "create process %s", ops_process_name(sc, st));
}

const struct op_row op_create_process = {
    .name = "create_process",
    .fields = {REQ("name"), OPT("ws_minimum"), OPT("ws_maximum"), OPT("priority"), OPT("modified_no_write"),
               OPT("ws_hard_minimum"), OPT("ws_hard_maximum")},
    .read = read_create_process, .run = run_create_process, .returns_status = true,
    .describe = describe_create_process,
};

/* ---- terminate: process exit ---- */

static bool read_terminate(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok)
{
    (void)s;
    (void)path;
    if (ok)
        reader_end_process(r, st->process);
    return ok;
}

static mm_status run_terminate(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    mm_status s = mm_process_terminate(r->m, replay_pid(r, st->process));
    r->pid[st->process] = 0;
    return s;
}

static void describe_terminate(const struct scenario *sc, const struct scn_step *st, char *out, size_t size)
{
    snprintf(out, size, "terminate %s", ops_process_name(sc, st));
}

const struct op_row op_terminate = {
    .name = "terminate", .fields = {REQ("process")},
    .read = read_terminate, .run = run_terminate, .returns_status = true, .describe = describe_terminate,
};

/* ---- trim: taking pages out of a working set ---- */

#define TRIM_ALL 0xFFFFFFFFu   /* no "pages": all that can go */

static bool read_trim(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok)
{
    char p[READER_PATH];
    const cJSON *n;
    st->value = TRIM_ALL;
    if ((n = reader_member(s, path, "pages", p)))
        ok &= reader_u32(r, n, p, 1, MM_MAX_FRAMES, &st->value);
    return ok;
}

static mm_status run_trim(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    mm_trim(r->m, replay_pid(r, st->process), st->value);
    return STATUS_SUCCESS;
}

static void describe_trim(const struct scenario *sc, const struct scn_step *st, char *out, size_t size)
{
    if (st->value == TRIM_ALL)
        snprintf(out, size, "trim the working set of %s as far as it goes", ops_process_name(sc, st));
    else
        snprintf(out, size, "trim %u page%s from the working set of %s", st->value, st->value == 1 ? "" : "s",
                 ops_process_name(sc, st));
}

const struct op_row op_trim = {
    .name = "trim", .fields = {REQ("process"), OPT("pages")},
    .read = read_trim, .run = run_trim, .returns_status = false, .describe = describe_trim,
};

/* ---- set_ws_limits: NtSetInformationProcess(ProcessQuotaLimits), Win32 SetProcessWorkingSetSize(Ex) ---- */

/* "hard_minimum"/"hard_maximum": true enables the hard limit, false
 * disables it, absent leaves it as it is (SetProcessWorkingSetSizeEx's
 * QUOTA_LIMITS_HARDWS_* flags). */
static bool read_hard_flag(struct reader *r, const cJSON *s, const char *path, const char *key, uint32_t enable,
                           uint32_t disable, uint32_t *flags)
{
    int on = -1;
    if (!reader_flag(r, s, path, key, &on))
        return false;
    if (on >= 0)
        *flags |= on ? enable : disable;
    return true;
}

/* A minimum of 0: none given, the process's own follows the maximum. */
#define MINIMUM_FOLLOWS 0u

static bool read_set_ws_limits(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok)
{
    char p[READER_PATH];
    const cJSON *n;
    ok &= ops_require(r, s, path, st->op, "maximum");
    if (!ok)
        return false;
    st->minimum = MINIMUM_FOLLOWS;
    if ((n = reader_member(s, path, "minimum", p)))
        ok &= reader_u32(r, n, p, 1, MM_MAX_FRAMES, &st->minimum);
    ok &= reader_u32(r, reader_member(s, path, "maximum", p), p, 1, MM_MAX_FRAMES, &st->maximum);
    if (ok && st->minimum > st->maximum) {
        reader_error(r, s, false, path, "minimum (%u) is above maximum (%u)", st->minimum, st->maximum);
        ok = false;
    }
    ok &= read_hard_flag(r, s, path, "hard_minimum", QUOTA_LIMITS_HARDWS_MIN_ENABLE,
                         QUOTA_LIMITS_HARDWS_MIN_DISABLE, &st->flags);
    ok &= read_hard_flag(r, s, path, "hard_maximum", QUOTA_LIMITS_HARDWS_MAX_ENABLE,
                         QUOTA_LIMITS_HARDWS_MAX_DISABLE, &st->flags);
    if (ok && (st->flags & QUOTA_LIMITS_HARDWS_MAX_ENABLE) && st->maximum < MM_HARD_MAXIMUM_FLOOR) {
        reader_error(r, s, false, path, "a hard maximum must be at least %u pages (the 3 locked pages and the 2 "
                     "page tables and 2 pages one access can need), not %u; NT answers "
                     "STATUS_BAD_WORKING_SET_LIMIT", MM_HARD_MAXIMUM_FLOOR, st->maximum);
        ok = false;
    }
    return ok;
}

/* The minimum a step sets: its own, or the process's present one when it
 * fits under half the new maximum, else that half (at least 1). */
static uint32_t minimum_for(const struct replay *r, const struct scn_step *st)
{
    if (st->minimum != MINIMUM_FOLLOWS)
        return st->minimum;
    const struct mm_wsl *ws = mm_working_set(r->m, replay_pid(r, st->process));
    uint32_t now = ws ? ws->minimum : 1, half = st->maximum / 2 ? st->maximum / 2 : 1;
    return now < half ? now : half;
}

static mm_status run_set_ws_limits(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    return mm_set_ws_limits_ex(r->m, replay_pid(r, st->process), minimum_for(r, st), st->maximum, st->flags);
}

static void describe_set_ws_limits(const struct scenario *sc, const struct scn_step *st, char *out, size_t size)
{
    const char *min = st->flags & QUOTA_LIMITS_HARDWS_MIN_ENABLE    ? " hard"
                      : st->flags & QUOTA_LIMITS_HARDWS_MIN_DISABLE ? " soft" : "";
    const char *max = st->flags & QUOTA_LIMITS_HARDWS_MAX_ENABLE    ? " hard"
                      : st->flags & QUOTA_LIMITS_HARDWS_MAX_DISABLE ? " soft" : "";
    if (st->minimum == MINIMUM_FOLLOWS)
        snprintf(out, size, "set the working-set limits of %s to%s maximum %u pages, the%s minimum following "
                 "(NtSetInformationProcess, ProcessQuotaLimits)", ops_process_name(sc, st), max, st->maximum, min);
    else
        snprintf(out, size, "set the working-set limits of %s to%s minimum %u,%s maximum %u pages "
                 "(NtSetInformationProcess, ProcessQuotaLimits)", ops_process_name(sc, st), min, st->minimum, max,
                 st->maximum);
}

const struct op_row op_set_ws_limits = {
    .name = "set_ws_limits",
    .fields = {REQ("process"), OPT("minimum"), REQ("maximum"), OPT("hard_minimum"), OPT("hard_maximum")},
    .read = read_set_ws_limits, .run = run_set_ws_limits, .returns_status = true, .describe = describe_set_ws_limits,
};

/* ---- set_priority: a process's memory priority ---- */

static bool read_set_priority(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok)
{
    char p[READER_PATH];
    if (!ops_require(r, s, path, st->op, "priority"))
        return false;
    ok &= reader_u32(r, reader_member(s, path, "priority", p), p, 0, MM_STANDBY_PRIORITIES - 1, &st->value);
    return ok;
}

static mm_status run_set_priority(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    return mm_set_page_priority(r->m, replay_pid(r, st->process), st->value);
}

static void describe_set_priority(const struct scenario *sc, const struct scn_step *st, char *out, size_t size)
{
    snprintf(out, size, "set the page priority of %s to %u", ops_process_name(sc, st), st->value);
}

const struct op_row op_set_priority = {
    .name = "set_priority", .fields = {REQ("process"), REQ("priority")},
    .read = read_set_priority, .run = run_set_priority, .returns_status = true, .describe = describe_set_priority,
};

/* ---- create_thread: a thread's user stack (RtlCreateUserStack) ---- */

static bool read_create_thread(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok)
{
    char p[READER_PATH];
    const cJSON *n;
    uint64_t v;
    st->address = 0;
    st->size = 0;       /* the reservation: 0 for NT's default of 1 MiB */
    st->value = 0;      /* the commit: 0 for one page */
    if ((n = reader_member(s, path, "address", p))) {
        ok &= reader_address(r, n, p, true, &st->address);
        if (ok && (st->address < MM_LOWEST_USER_ADDRESS || st->address % MM_ALLOCATION_GRANULARITY)) {
            reader_error(r, n, false, p, "a stack is reserved at a 64 KiB boundary from 0x%08X up",
                         MM_LOWEST_USER_ADDRESS);
            ok = false;
        }
    }
    if ((n = reader_member(s, path, "stack_reserve", p)) && reader_number(r, n, p, 3 * PAGE_SIZE, 0x7FF00000u, true, &v))
        st->size = (uint32_t)v;
    else if (n)
        ok = false;
    if ((n = reader_member(s, path, "stack_commit", p)) && reader_number(r, n, p, 1, 0x7FF00000u, true, &v))
        st->value = (uint32_t)v;
    else if (n)
        ok = false;
    uint64_t reserve = st->size ? ((uint64_t)st->size + 0xFFFFu) & ~(uint64_t)0xFFFFu : 0x100000u;
    uint64_t commit = st->value ? ((uint64_t)st->value + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1) : PAGE_SIZE;
    if (ok && commit + 2 * PAGE_SIZE > reserve) {
        reader_error(r, s, false, path, "the stack's commit (%llu bytes) and its guard page must leave the last page "
                     "of the reservation (%llu bytes) free", (unsigned long long)commit,
                     (unsigned long long)reserve);
        ok = false;
    }
    return ok;
}

static mm_status run_create_thread(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    mm_va base = st->address, top;
    return mm_create_thread_stack(r->m, replay_pid(r, st->process), st->size, st->value, &base, &top);
}

static void describe_create_thread(const struct scenario *sc, const struct scn_step *st, char *out, size_t size)
{
    char at[40] = "";
    uint32_t reserve = st->size ? (st->size + 0xFFFFu) & ~0xFFFFu : 0x100000u;
    uint32_t commit = st->value ? (st->value + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1) : PAGE_SIZE;
    if (st->address)
        snprintf(at, sizeof at, " at 0x%08X", st->address);
    snprintf(out, size, "create a thread in %s: its stack reserves 0x%X bytes%s, commits the top 0x%X with a "
             "guard page below (RtlCreateUserStack)", ops_process_name(sc, st), reserve, at, commit);
}

const struct op_row op_create_thread = {
    .name = "create_thread",
    .fields = {REQ("process"), OPT("address"), OPT("stack_reserve"), OPT("stack_commit")},
    .read = read_create_thread, .run = run_create_thread, .returns_status = true,
    .describe = describe_create_thread,
};
