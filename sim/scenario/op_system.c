/*
 * op_system.c - the ops on the whole machine: run (one pass of a system
 * thread), tick (time passing), memory_list (NtSetSystemInformation with
 * SystemMemoryListInformation) and mark_bad (a parity error in a frame).
 * For each: how a step is read, run and described, then its row.
 */
#include <stdio.h>
#include <string.h>

#include "ops.h"
#include "parse.h"

const char *const scenario_thread_names[MM_THREAD_COUNT] = {"modified_writer", "zero_page", "ws_manager",
                                                             "mapped_writer"};

/* ---- run: one pass of a system thread, now ---- */

static bool read_run(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok)
{
    char p[READER_PATH];
    if (!ops_require(r, s, path, st->op, "thread"))
        return false;
    ok &= reader_enum(r, reader_member(s, path, "thread", p), p, scenario_thread_names, MM_THREAD_COUNT, "thread",
                      &st->thread);
    return ok;
}

static mm_status run_run(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    if (st->thread == MM_THREAD_MODIFIED_WRITER)
        mm_run_modified_writer(r->m);
    else if (st->thread == MM_THREAD_ZERO_PAGE)
        mm_run_zero_thread(r->m);
    else if (st->thread == MM_THREAD_MAPPED_WRITER)
        mm_run_mapped_writer(r->m);
    else
        mm_run_ws_manager(r->m);
    return STATUS_SUCCESS;
}

static void describe_run(const struct scenario *sc, const struct scn_step *st, char *out, size_t size)
{
    (void)sc;
    snprintf(out, size, "run the %s", mm_thread_name((enum mm_thread)st->thread));
}

const struct op_row op_run = {
    .name = "run", .fields = {REQ("thread")},
    .read = read_run, .run = run_run, .returns_status = false, .describe = describe_run,
};

/* ---- tick: the clock advances; due system threads run ---- */

static bool read_tick(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok)
{
    char p[READER_PATH];
    const cJSON *n;
    st->value = 1;
    if ((n = reader_member(s, path, "count", p)))
        ok &= reader_u32(r, n, p, 1, 100000, &st->value);
    return ok;
}

static mm_status run_tick(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    mm_tick(r->m, st->value);
    return STATUS_SUCCESS;
}

static void describe_tick(const struct scenario *sc, const struct scn_step *st, char *out, size_t size)
{
    (void)sc;
    snprintf(out, size, "advance time by %u tick%s", st->value, st->value == 1 ? "" : "s");
}

const struct op_row op_tick = {
    .name = "tick", .fields = {OPT("count")},
    .read = read_tick, .run = run_tick, .returns_status = false, .describe = describe_tick,
};

/* ---- memory_list: a memory-list command, by name, NT's name or number ---- */

/* The command `name` is mmsim purge's name for ("flush-modified" for
 * flush_modified_list: dashes, no "_list"), or -1. */
static int purge_name(const char *name)
{
    for (int c = 0; c < (int)MemoryCommandMax; c++) {
        char dashed[64];
        snprintf(dashed, sizeof dashed, "%s", mm_memory_list_command_keys[c]);
        size_t len = strlen(dashed);
        if (len > 5 && strcmp(dashed + len - 5, "_list") == 0)
            dashed[len - 5] = '\0';
        for (char *q = dashed; *q; q++)
            if (*q == '_')
                *q = '-';
        if (strcmp(name, dashed) == 0)
            return c;
    }
    return -1;
}

static bool read_memory_list(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok)
{
    char p[READER_PATH];
    if (!ops_require(r, s, path, st->op, "command"))
        return false;
    const cJSON *n = reader_member(s, path, "command", p);
    int c;
    if (cJSON_IsNumber(n) || (cJSON_IsString(n) && n->valuestring[0] >= '0' && n->valuestring[0] <= '9'))
        ok &= reader_u32(r, n, p, 0, MemoryCommandMax - 1, &st->value);
    else if (cJSON_IsString(n) && (c = mm_memory_list_command_from_name(n->valuestring)) >= 0)
        st->value = (uint32_t)c;
    else if (cJSON_IsString(n) && (c = purge_name(n->valuestring)) >= 0) {
        reader_error(r, n, false, p, "'%s' is mmsim purge's name; a scenario names the command '%s' (or %s)",
                     n->valuestring, mm_memory_list_command_keys[c], mm_memory_list_command_name((uint32_t)c));
        ok = false;
    } else   /* refused, with the names to choose from */
        ok &= reader_enum(r, n, p, mm_memory_list_command_keys, MemoryCommandMax, "memory-list command", &c);
    return ok;
}

static mm_status run_memory_list(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    return mm_memory_list_command(r->m, st->value);
}

static void describe_memory_list(const struct scenario *sc, const struct scn_step *st, char *out, size_t size)
{
    (void)sc;
    snprintf(out, size, "memory-list command %u, %s (NtSetSystemInformation, SystemMemoryListInformation)",
             st->value, mm_memory_list_command_name(st->value));
}

const struct op_row op_memory_list = {
    .name = "memory_list", .fields = {REQ("command")},
    .read = read_memory_list, .run = run_memory_list, .returns_status = true, .describe = describe_memory_list,
};

/* ---- mark_bad: a frame of this machine goes bad ---- */

static bool read_mark_bad(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok)
{
    char p[READER_PATH];
    if (!ops_require(r, s, path, st->op, "frame"))
        return false;
    ok &= reader_u32(r, reader_member(s, path, "frame", p), p, 0, r->sc->config.frames - 1, &st->value);
    return ok;
}

static mm_status run_mark_bad(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    return mm_mark_bad(r->m, st->value);
}

static void describe_mark_bad(const struct scenario *sc, const struct scn_step *st, char *out, size_t size)
{
    (void)sc;
    snprintf(out, size, "mark frame 0x%X bad", st->value);
}

const struct op_row op_mark_bad = {
    .name = "mark_bad", .fields = {REQ("frame")},
    .read = read_mark_bad, .run = run_mark_bad, .returns_status = true, .describe = describe_mark_bad,
};
