/*
 * op_memory.c - the virtual-memory services: reserve, commit, allocate
 * (NtAllocateVirtualMemory), decommit, release (NtFreeVirtualMemory) and
 * protect (NtProtectVirtualMemory). For each: how a step is read, run
 * and described, then its row.
 */
#include <stdio.h>

#include "ops.h"
#include "pagetable.h"

/* ---- shared by the ops of this file ---- */

/* The protection of a step: "protect", PAGE_READWRITE when absent. */
static bool read_protect_field(struct reader *r, const cJSON *s, const char *path, struct scn_step *st,
                               bool required)
{
    char p[READER_PATH];
    const cJSON *n = reader_member(s, path, "protect", p);
    st->protect = PAGE_READWRITE;
    if (n)   /* a commit may be in a view, whose pages may be write-copy: the engine answers */
        return reader_protection_of(r, n, p, st->op == OP_COMMIT, &st->protect);
    return !required || ops_require(r, s, path, st->op, "protect");
}

/* NtAllocateVirtualMemory with allocation type `type`. */
static mm_status allocate(struct replay *r, const struct scn_step *st, uint32_t type)
{
    mm_va base = st->address;
    uint32_t size = st->size;
    return mm_allocate(r->m, replay_pid(r, st->process), &base, &size, type, st->protect);
}

/* reserve, commit, allocate and protect: "commit 0x2000 bytes at ..., PAGE_READONLY" */
static void describe_region(const struct scenario *sc, const struct scn_step *st, char *out, size_t size)
{
    char prot[96];
    prot_name(prot_from_win32(st->protect), prot, sizeof prot);
    snprintf(out, size, "%s 0x%X bytes at 0x%08X in %s, %s", scenario_op_name(st->op), st->size, st->address,
             ops_process_name(sc, st), prot);
}

#define REGION_FIELDS REQ("process"), REQ("address"), REQ("size")

/* ---- reserve and allocate: a new region (a VAD), committed or not ---- */

/* The region must lie where a reservation may. */
static bool read_reservation(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok)
{
    ok &= ops_read_region(r, s, path, st, true);
    if (ok && (st->address < MM_LOWEST_USER_ADDRESS || (uint64_t)st->address + st->size > MM_USER_RESERVE_LIMIT)) {
        char p[READER_PATH];
        reader_error(r, reader_member(s, path, "address", p), false, p, "a reservation must lie within "
                     "0x%08X-0x%08X (below is never mapped; above is the shared user data page)",
                     MM_LOWEST_USER_ADDRESS, MM_USER_RESERVE_LIMIT - 1);
        ok = false;
    }
    return read_protect_field(r, s, path, st, false) && ok;
}

static mm_status run_reserve(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    return allocate(r, st, MEM_RESERVE);
}

static mm_status run_allocate(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    return allocate(r, st, MEM_RESERVE | MEM_COMMIT);
}

const struct op_row op_reserve = {
    .name = "reserve", .fields = {REGION_FIELDS, OPT("protect")},
    .read = read_reservation, .run = run_reserve, .returns_status = true, .describe = describe_region,
};

const struct op_row op_allocate = {
    .name = "allocate", .fields = {REGION_FIELDS, OPT("protect")},
    .read = read_reservation, .run = run_allocate, .returns_status = true, .describe = describe_region,
};

/* ---- commit: pages inside a reservation ---- */

/* Address 0 lets the engine choose, so any user region will do. */
static bool read_commit(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok)
{
    ok &= ops_read_region(r, s, path, st, true);
    return read_protect_field(r, s, path, st, false) && ok;
}

static mm_status run_commit(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    return allocate(r, st, MEM_COMMIT);
}

const struct op_row op_commit = {
    .name = "commit", .fields = {REGION_FIELDS, OPT("protect")},
    .read = read_commit, .run = run_commit, .returns_status = true, .describe = describe_region,
};

/* ---- decommit: pages go, the reservation stays ---- */

static bool read_decommit(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok)
{
    return ops_read_region(r, s, path, st, true) && ok;
}

static mm_status run_decommit(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    mm_va base = st->address;
    uint32_t size = st->size;
    return mm_free(r->m, replay_pid(r, st->process), &base, &size, MEM_DECOMMIT);
}

static void describe_decommit(const struct scenario *sc, const struct scn_step *st, char *out, size_t size)
{
    snprintf(out, size, "decommit 0x%X bytes at 0x%08X in %s", st->size, st->address, ops_process_name(sc, st));
}

const struct op_row op_decommit = {
    .name = "decommit", .fields = {REGION_FIELDS},
    .read = read_decommit, .run = run_decommit, .returns_status = true, .describe = describe_decommit,
};

/* ---- release: a whole reservation, so no size (NT's size 0) ---- */

static bool read_release(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok)
{
    return ops_read_region(r, s, path, st, false) && ok;
}

static mm_status run_release(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    mm_va base = st->address;
    uint32_t size = 0;
    return mm_free(r->m, replay_pid(r, st->process), &base, &size, MEM_RELEASE);
}

static void describe_release(const struct scenario *sc, const struct scn_step *st, char *out, size_t size)
{
    snprintf(out, size, "release the region at 0x%08X in %s", st->address, ops_process_name(sc, st));
}

const struct op_row op_release = {
    .name = "release", .fields = {REQ("process"), REQ("address")},
    .read = read_release, .run = run_release, .returns_status = true, .describe = describe_release,
};

/* ---- protect: a new protection for committed pages ---- */

static bool read_protect(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok)
{
    ok &= ops_read_region(r, s, path, st, true);
    return read_protect_field(r, s, path, st, true) && ok;
}

static mm_status run_protect(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    mm_va base = st->address;
    uint32_t size = st->size, old;
    return mm_protect(r->m, replay_pid(r, st->process), &base, &size, st->protect, &old);
}

const struct op_row op_protect = {
    .name = "protect", .fields = {REGION_FIELDS, REQ("protect")},
    .read = read_protect, .run = run_protect, .returns_status = true, .describe = describe_region,
};
