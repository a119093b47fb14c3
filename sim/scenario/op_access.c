/*
 * op_access.c - accesses by user-mode code, through the simulated MMU:
 * read, write, execute, and touch (one access to every page of a range).
 * For each: how a step is read, run and described, then its row.
 *
 * Running one sets what later expectations call the last access ("fault",
 * "av_reason"); read also sets the last read ("value").
 */
#include <stdio.h>

#include "ops.h"

/* ---- read, write, execute: one 4-byte access, any 32-bit address ---- */

static bool read_access(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok)
{
    char p[READER_PATH];
    if (!ops_require(r, s, path, st->op, "address"))
        return false;
    ok &= reader_address(r, reader_member(s, path, "address", p), p, false, &st->address);
    st->access = st->op == OP_READ ? MM_ACCESS_READ : st->op == OP_WRITE ? MM_ACCESS_WRITE : MM_ACCESS_EXECUTE;
    if (st->op == OP_WRITE) {
        if (!ops_require(r, s, path, st->op, "value"))
            return false;
        ok &= reader_u32(r, reader_member(s, path, "value", p), p, 0, 0xFFFFFFFFu, &st->value);
    }
    return ok;
}

static mm_status run_read(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    uint32_t v = 0;
    mm_status s = mm_read32(r->m, replay_pid(r, st->process), st->address, &v);
    r->last_fault = *mm_last_fault(r->m);
    r->has_value = s == STATUS_SUCCESS;
    r->last_value = v;
    return s;
}

static mm_status run_write(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    mm_status s = mm_write32(r->m, replay_pid(r, st->process), st->address, st->value);
    r->last_fault = *mm_last_fault(r->m);
    return s;
}

static mm_status run_execute(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    mm_status s = mm_execute(r->m, replay_pid(r, st->process), st->address);
    r->last_fault = *mm_last_fault(r->m);
    return s;
}

static void describe_read(const struct scenario *sc, const struct scn_step *st, char *out, size_t size)
{
    snprintf(out, size, "read 4 bytes at 0x%08X in %s", st->address, ops_process_name(sc, st));
}

static void describe_write(const struct scenario *sc, const struct scn_step *st, char *out, size_t size)
{
    snprintf(out, size, "write 0x%08X at 0x%08X in %s", st->value, st->address, ops_process_name(sc, st));
}

static void describe_execute(const struct scenario *sc, const struct scn_step *st, char *out, size_t size)
{
    snprintf(out, size, "execute at 0x%08X in %s", st->address, ops_process_name(sc, st));
}

const struct op_row op_read = {
    .name = "read", .fields = {REQ("process"), REQ("address")},
    .read = read_access, .run = run_read, .returns_status = true, .describe = describe_read,
};

const struct op_row op_write = {
    .name = "write", .fields = {REQ("process"), REQ("address"), REQ("value")},
    .read = read_access, .run = run_write, .returns_status = true, .describe = describe_write,
};

const struct op_row op_execute = {
    .name = "execute", .fields = {REQ("process"), REQ("address")},
    .read = read_access, .run = run_execute, .returns_status = true, .describe = describe_execute,
};

/* ---- touch: every page of a user region, in address order ---- */

static const char *const access_names[] = {"read", "write"};   /* as enum mm_access_kind */

static bool read_touch(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok)
{
    char p[READER_PATH];
    const cJSON *n;
    int access = MM_ACCESS_WRITE;
    ok &= ops_read_region(r, s, path, st, true);
    if ((n = reader_member(s, path, "access", p)))
        ok &= reader_enum(r, n, p, access_names, 2, "access", &access);
    st->access = (enum mm_access_kind)access;
    if (ok && (st->size + PAGE_SIZE - 1) / PAGE_SIZE > SCN_MAX_TOUCH_PAGES) {
        reader_error(r, reader_member(s, path, "size", p), false, path, "touch at most %u pages in one step",
                     SCN_MAX_TOUCH_PAGES);
        ok = false;
    }
    return ok;
}

/* One 4-byte access at the start of each page; a write stores the page's
 * own address. Stops at the first access that fails, with its status. */
static mm_status run_touch(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    uint32_t pid = replay_pid(r, st->process);
    uint64_t end = (uint64_t)st->address + st->size;
    for (uint64_t va = PAGE_ALIGN(st->address); va < end; va += PAGE_SIZE) {
        mm_status s;
        uint32_t v;
        if (st->access == MM_ACCESS_WRITE)
            s = mm_write32(r->m, pid, (mm_va)va, (mm_va)va);
        else
            s = mm_read32(r->m, pid, (mm_va)va, &v);
        r->last_fault = *mm_last_fault(r->m);
        if (s != STATUS_SUCCESS)
            return s;
    }
    return STATUS_SUCCESS;
}

static void describe_touch(const struct scenario *sc, const struct scn_step *st, char *out, size_t size)
{
    snprintf(out, size, "%s every page of 0x%08X-0x%08X in %s", st->access == MM_ACCESS_WRITE ? "write" : "read",
             st->address, st->address + st->size - 1, ops_process_name(sc, st));
}

const struct op_row op_touch = {
    .name = "touch", .fields = {REQ("process"), REQ("address"), REQ("size"), OPT("access")},
    .read = read_touch, .run = run_touch, .returns_status = true, .describe = describe_touch,
};
