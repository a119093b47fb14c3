/* model.c - see model.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

#define MAX_PROCS 8
#define REGIONS 4
#define MAX_PAGES 12

struct page_model {
    bool committed;
    bool copied;        /* a view page: a private copy was made (copy-on-write) */
    uint32_t protect;   /* PAGE_* without PAGE_GUARD */
    bool guard;
    uint8_t bytes[4096];
};

struct region {
    bool used;
    int section;        /* -1: private memory; else a view of sections[section] */
    uint32_t view_protect;
    mm_va base;
    uint32_t pages;
    struct page_model page[MAX_PAGES];
};

struct proc_model {
    uint32_t pid;
    struct region region[REGIONS];
};

#define SECTIONS 2
#define SECTION_PAGES 8

/* Two sections every process may map: one backed by the paging file, one
 * by a file. shared[] is what a view shows where no private copy exists.
 * filled[] says the section holds the page: always for the file; for the
 * paging file once a view that is not copy-on-write touched it (until
 * then a copy-on-write view's touch gets a private zero page instead). */
struct section_model {
    uint32_t handle, file;
    bool filled[SECTION_PAGES];
    uint8_t shared[SECTION_PAGES][4096];
};

struct model {
    struct mm_machine *m;
    struct mm_checker *checker;     /* fed every event: mm_check_touched beside mm_check */
    mm_event_fn chained;            /* the caller's sink, told every event too */
    void *chained_ctx;
    int nprocs;
    int limits_drawn;               /* processes model_new made whose limits are drawn */
    struct section_model sec[SECTIONS];
    struct proc_model proc[MAX_PROCS];
    struct model_stats stats;
    model_source next;
    void *ctx;
    char *err;
    size_t err_size;
};

static const uint32_t protections[] = {PAGE_READWRITE, PAGE_READWRITE, PAGE_READONLY,
                                       PAGE_EXECUTE_READWRITE, PAGE_NOACCESS, PAGE_EXECUTE_READ};

static bool fail(struct model *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(struct model *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = snprintf(w->err, w->err_size, "op %llu: ", (unsigned long long)w->stats.ops);
    if (n >= 0 && (size_t)n < w->err_size)
        vsnprintf(w->err + n, w->err_size - (size_t)n, fmt, ap);
    va_end(ap);
    return false;
}

static uint32_t below(struct model *w, uint32_t n) { return n ? w->next(w->ctx) % n : 0; }

/* A hard maximum from the least NT allows to `spread` pages above it: a
 * fault at it replaces within the set, whatever memory is free. */
static mm_status hard_maximum(struct model *w, uint32_t pid, uint32_t spread)
{
    return mm_set_ws_limits_ex(w->m, pid, 2, MM_HARD_MAXIMUM_FLOOR + below(w, spread), QUOTA_LIMITS_HARDWS_MAX_ENABLE);
}

/* A new process's limits: half keep the defaults, a quarter get small
 * soft ones, a quarter a hard maximum near the least NT allows, so that
 * its faults replace within its own set (views of one section mapped
 * twice there give up each other's pages). */
static bool draw_limits(struct model *w, int i)
{
    mm_status s = STATUS_SUCCESS;
    switch (below(w, 4)) {
    case 0:
        s = mm_set_ws_limits(w->m, w->proc[i].pid, 4, 8 + below(w, 24));
        break;
    case 1:
        s = hard_maximum(w, w->proc[i].pid, 8);
        break;
    default:
        break;
    }
    return s == STATUS_SUCCESS ? true : fail(w, "new limits for process %u refused: 0x%08X", w->proc[i].pid, s);
}

static bool start_process(struct model *w, int i)
{
    memset(&w->proc[i], 0, sizeof w->proc[i]);
    mm_status s = mm_process_create(w->m, "p", &w->proc[i].pid);
    if (s != STATUS_SUCCESS)
        return fail(w, "process create: 0x%08X", s);
    return draw_limits(w, i);
}

/* New working-set limits: soft ones, a hard maximum, or the end of one.
 * Every such call succeeds. */
static bool op_limits(struct model *w, struct proc_model *pm)
{
    mm_status s;
    switch (below(w, 3)) {
    case 0:
        s = mm_set_ws_limits(w->m, pm->pid, 2 + below(w, 8), 10 + below(w, 40));
        break;
    case 1:
        s = hard_maximum(w, pm->pid, 12);
        break;
    default:
        s = mm_set_ws_limits_ex(w->m, pm->pid, 2 + below(w, 8), 10 + below(w, 40), QUOTA_LIMITS_HARDWS_MAX_DISABLE);
        break;
    }
    return s == STATUS_SUCCESS ? true : fail(w, "set ws limits refused: 0x%08X", s);
}

static void model_sink(void *ctx, const struct mm_event *ev)
{
    struct model *w = ctx;
    mm_checker_note(w->checker, ev);
    if (w->chained)
        w->chained(w->chained_ctx, ev);
}

void model_set_sink(struct model *w, mm_event_fn fn, void *ctx)
{
    w->chained = fn;
    w->chained_ctx = ctx;
}

struct model *model_new(struct mm_machine *m, int processes, char *err, size_t err_size)
{
    struct model *w = calloc(1, sizeof *w);
    if (!w || !(w->checker = mm_checker_create(m))) {
        free(w);
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    w->m = m;
    mm_set_sink(m, model_sink, w);
    w->nprocs = processes < 1 ? 1 : processes > MAX_PROCS ? MAX_PROCS : processes;
    for (int k = 0; k < SECTIONS; k++) {
        struct mm_section_params sp = {.name = k ? "file" : "shared", .pages = SECTION_PAGES,
                                       .file = MM_NO_FILE, .protection = PAGE_READWRITE};
        mm_status s = STATUS_SUCCESS;
        if (k == 1) {
            s = mm_file_create(m, "mapped.dat", SECTION_PAGES, &w->sec[k].file);
            for (uint32_t pg = 0; s == STATUS_SUCCESS && pg < SECTION_PAGES; pg++) {
                uint32_t v = 0xF00D0000u | pg;
                s = mm_file_write32(m, w->sec[k].file, pg * 4096u + 8, v);
                memcpy(w->sec[k].shared[pg] + 8, &v, 4);
            }
            sp.file = w->sec[k].file;
            for (uint32_t pg = 0; pg < SECTION_PAGES; pg++)
                w->sec[k].filled[pg] = true;
        }
        if (s == STATUS_SUCCESS)
            s = mm_create_section(m, &sp, &w->sec[k].handle);
        if (s != STATUS_SUCCESS) {
            snprintf(err, err_size, "section %d: 0x%08X", k, s);
            free(w);
            return NULL;
        }
    }
    for (int i = 0; i < w->nprocs; i++) {
        mm_status s = mm_process_create(m, "p", &w->proc[i].pid);
        if (s != STATUS_SUCCESS) {
            snprintf(err, err_size, "process create: 0x%08X", s);
            model_free(w);
            return NULL;
        }
    }
    return w;
}

void model_free(struct model *w)
{
    if (!w)
        return;
    mm_set_sink(w->m, NULL, NULL);
    mm_checker_destroy(w->checker);
    free(w);
}

const struct model_stats *model_stats(const struct model *w) { return &w->stats; }

void model_config(struct mm_config *cfg, model_source next, void *ctx)
{
    mm_config_default(cfg);
    mm_config_for_memory(cfg, 48 + next(ctx) % 160);
    cfg->nx = next(ctx) % 2;
    cfg->pagefile_count = 1 + next(ctx) % 2;
    cfg->pagefile_pages[0] = 2048;
    cfg->pagefile_pages[1] = 64 + next(ctx) % 512;
    cfg->policy = (enum mm_policy)(next(ctx) % MM_POLICY_COUNT);
    cfg->read_cluster = next(ctx) % 4;
    cfg->write_cluster = 1 + next(ctx) % MM_MAX_CLUSTER;
    cfg->mpw_threshold = 4 + next(ctx) % 32;
    cfg->wsmgr_low = cfg->frames / 4;
    cfg->wsmgr_plenty = cfg->frames / 3;
    cfg->tlb_entries = 1u << (next(ctx) % 7);
    cfg->zero_period = next(ctx) % 3;
    cfg->mpw_period = next(ctx) % 4;
}

/* What NT answers for an access to a page. Without nx (plain i386) an
 * execute needs only read access. */
static mm_status expected(const struct model *w, struct page_model *pg, enum mm_access_kind access,
                          bool consume_guard)
{
    if (!pg || !pg->committed || pg->protect == PAGE_NOACCESS)
        return STATUS_ACCESS_VIOLATION;
    if (access == MM_ACCESS_EXECUTE && !mm_get_config(w->m)->nx)
        access = MM_ACCESS_READ;
    bool ok = access == MM_ACCESS_READ ||
              (access == MM_ACCESS_WRITE && (pg->protect == PAGE_READWRITE || pg->protect == PAGE_EXECUTE_READWRITE)) ||
              (access == MM_ACCESS_EXECUTE &&
               (pg->protect == PAGE_EXECUTE_READWRITE || pg->protect == PAGE_EXECUTE_READ));
    if (!ok)
        return STATUS_ACCESS_VIOLATION;   /* checked before the guard */
    if (pg->guard) {
        if (consume_guard)
            pg->guard = false;
        return STATUS_GUARD_PAGE_VIOLATION;
    }
    return STATUS_SUCCESS;
}

bool model_check(struct model *w, char *err, size_t err_size)
{
    static uint8_t page[4096];
    w->err = err;
    w->err_size = err_size;
    char msg[512], touched[512];
    /* the check of what the operations touched must never find a broken
     * invariant that the whole check does not */
    bool touched_ok = mm_check_touched(w->checker, w->m, touched, sizeof touched);
    if (!mm_check(w->m, msg, sizeof msg))
        return fail(w, "invariant broken: %s", msg);
    if (!touched_ok)
        return fail(w, "the touched check found what the whole check does not: %s", touched);
    for (int i = 0; i < w->nprocs; i++)
        for (int r = 0; r < REGIONS; r++) {
            struct region *rg = &w->proc[i].region[r];
            if (!rg->used)
                continue;
            for (uint32_t k = 0; k < rg->pages; k++) {
                mm_va va = rg->base + k * 4096u;
                mm_status s = mm_peek_page(w->m, w->proc[i].pid, va, page);
                if (!rg->page[k].committed) {
                    if (s != STATUS_ACCESS_VIOLATION)
                        return fail(w, "page 0x%08X should be uncommitted", va);
                    continue;
                }
                if (s != STATUS_SUCCESS)
                    return fail(w, "peek 0x%08X: 0x%08X", va, s);
                const uint8_t *want = rg->section >= 0 && !rg->page[k].copied ? w->sec[rg->section].shared[k]
                                                                                : rg->page[k].bytes;
                if (memcmp(page, want, 4096) != 0) {
                    uint32_t at = 0;
                    while (page[at] == want[at])
                        at++;
                    return fail(w, "process %u page 0x%08X lost its contents (%s%s, byte 0x%X: 0x%02X, expected 0x%02X)",
                                w->proc[i].pid, va, rg->section < 0 ? "private" : rg->section ? "view of a file" : "view",
                                rg->section >= 0 && rg->page[k].copied ? ", copied" : "", at, page[at], want[at]);
                }
            }
        }
    w->stats.checks++;
    return true;
}

static bool op_allocate(struct model *w, struct proc_model *pm)
{
    struct region *rg = &pm->region[below(w, REGIONS)];
    if (rg->used)
        return true;
    uint32_t pages = 1 + below(w, MAX_PAGES);
    uint32_t protect = protections[below(w, 4)];
    bool commit_now = below(w, 2);
    mm_va base = 0;
    uint32_t size = pages * 4096u;
    mm_status s = mm_allocate(w->m, pm->pid, &base, &size, MEM_RESERVE | (commit_now ? MEM_COMMIT : 0), protect);
    if (s == STATUS_COMMITMENT_LIMIT)
        return true;
    if (s != STATUS_SUCCESS || base % 0x10000u || size != pages * 4096u)
        return fail(w, "allocate %u pages: 0x%08X base 0x%08X size 0x%X", pages, s, base, size);
    memset(rg, 0, sizeof *rg);
    rg->used = true;
    rg->section = -1;
    rg->base = base;
    rg->pages = pages;
    for (uint32_t k = 0; k < pages; k++) {
        rg->page[k].committed = commit_now;
        rg->page[k].protect = protect;
    }
    return true;
}

static struct region *pick_region(struct model *w, struct proc_model *pm)
{
    struct region *rg = &pm->region[below(w, REGIONS)];
    return rg->used ? rg : NULL;
}

static bool op_commit_or_decommit(struct model *w, struct proc_model *pm, bool commit)
{
    struct region *rg = pick_region(w, pm);
    if (!rg)
        return true;
    uint32_t first = below(w, rg->pages);
    uint32_t count = 1 + below(w, rg->pages - first);
    mm_va base = rg->base + first * 4096u + below(w, 4096);
    uint32_t size = count * 4096u - (base & 0xFFFu);
    if (size == 0)
        size = 1;
    uint32_t protect = protections[below(w, 4)];
    mm_status s = commit ? mm_allocate(w->m, pm->pid, &base, &size, MEM_COMMIT, protect)
                         : mm_free(w->m, pm->pid, &base, &size, MEM_DECOMMIT);
    if (rg->section >= 0) {   /* a view's pages come and go with the view */
        /* a commit: a file's pages are in the file; a paging-file section's
         * are committed, and only the protection they have is accepted */
        mm_status want = !commit ? STATUS_UNABLE_TO_DELETE_SECTION
                         : rg->section == 1 ? STATUS_ALREADY_COMMITTED
                         : protect == rg->view_protect ? STATUS_SUCCESS : STATUS_NOT_SUPPORTED;
        return s == want ? true : fail(w, "%s in a view: 0x%08X", commit ? "commit" : "decommit", s);
    }
    if (s == STATUS_COMMITMENT_LIMIT)
        return true;
    if (s != STATUS_SUCCESS)
        return fail(w, "%s: 0x%08X", commit ? "commit" : "decommit", s);
    for (uint32_t k = first; k < first + count; k++) {
        struct page_model *pg = &rg->page[k];
        if (commit && !pg->committed) {
            pg->committed = true;
            pg->protect = protect;
            pg->guard = false;
            memset(pg->bytes, 0, sizeof pg->bytes);
        } else if (commit) {   /* committing a committed page gives it the new protection */
            pg->protect = protect;
            pg->guard = false;
        } else if (!commit && pg->committed) {
            pg->committed = false;
            memset(pg->bytes, 0, sizeof pg->bytes);
        }
    }
    return true;
}

static bool op_release(struct model *w, struct proc_model *pm)
{
    struct region *rg = pick_region(w, pm);
    if (!rg)
        return true;
    mm_va base = rg->base;
    uint32_t size = 0;
    mm_status s = mm_free(w->m, pm->pid, &base, &size, MEM_RELEASE);
    if (rg->section >= 0) {
        if (s != STATUS_UNABLE_TO_DELETE_SECTION)
            return fail(w, "release of a view 0x%08X: 0x%08X", rg->base, s);
        s = mm_unmap_view(w->m, pm->pid, rg->base + below(w, rg->pages) * 4096u);
    }
    if (s != STATUS_SUCCESS)
        return fail(w, "release 0x%08X: 0x%08X", rg->base, s);
    rg->used = false;
    return true;
}

static bool op_protect(struct model *w, struct proc_model *pm)
{
    struct region *rg = pick_region(w, pm);
    if (!rg)
        return true;
    uint32_t k = below(w, rg->pages);
    uint32_t protect = protections[below(w, sizeof protections / sizeof protections[0])];
    bool guard = protect != PAGE_NOACCESS && below(w, 4) == 0;
    mm_va base = rg->base + k * 4096u;
    uint32_t size = 4096, old = 0;
    mm_status s = mm_protect(w->m, pm->pid, &base, &size, protect | (guard ? PAGE_GUARD : 0), &old);
    if (rg->section >= 0)
        return s == STATUS_NOT_SUPPORTED ? true : fail(w, "protect in a view: 0x%08X", s);
    if (!rg->page[k].committed)
        return s == STATUS_NOT_COMMITTED ? true : fail(w, "protect of an uncommitted page: 0x%08X", s);
    if (s != STATUS_SUCCESS)
        return fail(w, "protect: 0x%08X", s);
    uint32_t want = rg->page[k].protect | (rg->page[k].guard ? PAGE_GUARD : 0);
    if (old != want)
        return fail(w, "old protection 0x%X, expected 0x%X", old, want);
    rg->page[k].protect = protect;
    rg->page[k].guard = guard;
    return true;
}

static bool op_access(struct model *w, struct proc_model *pm)
{
    struct region *rg = pick_region(w, pm);
    if (!rg)
        return true;
    uint32_t k = below(w, rg->pages + 1);   /* sometimes one page past the end */
    struct page_model *pg = k < rg->pages ? &rg->page[k] : NULL;
    uint32_t offset = below(w, 1024) * 4u;
    mm_va va = rg->base + k * 4096u + offset;
    enum mm_access_kind kind = (enum mm_access_kind)below(w, 3);
    if (kind == MM_ACCESS_EXECUTE && below(w, 2))
        kind = MM_ACCESS_WRITE;
    mm_status want = expected(w, pg, kind, true), got;
    bool view = rg->section >= 0 && pg;
    if (view) {
        bool cow = rg->view_protect == PAGE_WRITECOPY;
        if (kind == MM_ACCESS_WRITE && (rg->view_protect == PAGE_READWRITE || cow))
            want = STATUS_SUCCESS;
    }
    uint8_t *bytes = !pg ? NULL : view && !pg->copied ? w->sec[rg->section].shared[k] : pg->bytes;
    w->stats.accesses++;
    if (kind == MM_ACCESS_READ) {
        uint32_t v = 0, model;
        got = mm_read32(w->m, pm->pid, va, &v);
        if (got == STATUS_SUCCESS && pg) {
            memcpy(&model, bytes + offset, 4);
            if (v != model)
                return fail(w, "read 0x%08X: 0x%08X, wrote 0x%08X", va, v, model);
        }
    } else if (kind == MM_ACCESS_WRITE) {
        uint32_t v = w->next(w->ctx) | 1u;
        got = mm_write32(w->m, pm->pid, va, v);
        if (got == STATUS_SUCCESS && pg) {
            if (view && rg->view_protect == PAGE_WRITECOPY && !pg->copied) {
                memcpy(pg->bytes, w->sec[rg->section].shared[k], 4096);   /* the private copy */
                pg->copied = true;
                bytes = pg->bytes;
            }
            memcpy(bytes + offset, &v, 4);
        }
    } else {
        got = mm_execute(w->m, pm->pid, va);
    }
    if (got != want)
        return fail(w, "%s at 0x%08X gave 0x%08X, NT gives 0x%08X", mm_access_name(kind), va, got, want);
    if (got == STATUS_SUCCESS && view) {
        struct section_model *sm = &w->sec[rg->section];
        if (rg->view_protect != PAGE_WRITECOPY)
            sm->filled[k] = true;
        else if (!pg->copied && !sm->filled[k]) {   /* a private zero page (a write copied already) */
            memcpy(pg->bytes, sm->shared[k], 4096);
            pg->copied = true;
        }
    }
    return true;
}

/* A 4-byte access that straddles two pages: i386 faults are precise, so
 * both pages are checked (the first first) before a byte moves, and a
 * failure on either moves nothing. */
static bool op_straddle(struct model *w, struct proc_model *pm)
{
    struct region *rg = pick_region(w, pm);
    if (!rg || rg->section >= 0)
        return true;
    uint32_t k = below(w, rg->pages);
    struct page_model *p1 = &rg->page[k], *p2 = k + 1 < rg->pages ? &rg->page[k + 1] : NULL;
    uint32_t first = 1 + below(w, 3);   /* bytes in the first page */
    mm_va va = rg->base + (k + 1) * 4096u - first;
    enum mm_access_kind kind = below(w, 2) ? MM_ACCESS_WRITE : MM_ACCESS_READ;
    mm_status want = expected(w, p1, kind, true), got;
    if (want == STATUS_SUCCESS)
        want = expected(w, p2, kind, true);
    uint8_t v[4], was[4];
    w->stats.accesses++;
    if (kind == MM_ACCESS_WRITE) {
        uint32_t x = w->next(w->ctx) | 0x01010101u;
        memcpy(v, &x, 4);
        got = mm_write(w->m, pm->pid, va, v, 4);
        if (got == STATUS_SUCCESS) {
            memcpy(p1->bytes + 4096 - first, v, first);
            memcpy(p2->bytes, v + first, 4 - first);
        }
    } else {
        got = mm_read(w->m, pm->pid, va, v, 4);
        if (got == STATUS_SUCCESS) {
            memcpy(was, p1->bytes + 4096 - first, first);
            memcpy(was + first, p2->bytes, 4 - first);
            if (memcmp(v, was, 4) != 0)
                return fail(w, "straddling read at 0x%08X differs from what was written", va);
        }
    }
    if (got != want)
        return fail(w, "straddling %s at 0x%08X gave 0x%08X, NT gives 0x%08X", mm_access_name(kind), va, got,
                    want);
    return true;
}

/* NtMapViewOfSection of one of the two sections, read/write, read-only or
 * copy-on-write. */
static bool op_map(struct model *w, struct proc_model *pm)
{
    struct region *rg = &pm->region[below(w, REGIONS)];
    if (rg->used)
        return true;
    static const uint32_t views[] = {PAGE_READWRITE, PAGE_READONLY, PAGE_WRITECOPY};
    int k = (int)below(w, SECTIONS);
    uint32_t protect = views[below(w, 3)], pages = 1 + below(w, SECTION_PAGES);
    mm_va base = 0;
    mm_status s = mm_map_view(w->m, pm->pid, w->sec[k].handle, &base, 0, &pages, protect);
    if (s == STATUS_COMMITMENT_LIMIT)
        return true;
    if (s != STATUS_SUCCESS || base % 0x10000u)
        return fail(w, "map a view of section %d: 0x%08X base 0x%08X", k, s, base);
    memset(rg, 0, sizeof *rg);
    rg->used = true;
    rg->section = k;
    rg->view_protect = protect;
    rg->base = base;
    rg->pages = pages;
    for (uint32_t p = 0; p < pages; p++) {
        rg->page[p].committed = true;
        rg->page[p].protect = protect == PAGE_READWRITE ? PAGE_READWRITE : PAGE_READONLY;
    }
    return true;
}

/* NtFlushVirtualMemory of a whole view of the mapped file: afterwards the
 * file holds what the view shows, for every page no private copy hides. */
static bool op_flush(struct model *w, struct proc_model *pm)
{
    struct region *rg = pick_region(w, pm);
    if (!rg || rg->section != 1)
        return true;
    uint32_t written;
    mm_status s = mm_flush_view(w->m, pm->pid, rg->base, rg->pages * 4096u, &written);
    if (s != STATUS_SUCCESS)
        return fail(w, "flush of view 0x%08X: 0x%08X", rg->base, s);
    /* a flush takes the Dirty bits of the flushed view's PTEs only (NT:
     * MiFlushDirtyBitsToPfn over the range): changes made through another
     * view, in another process or in this one, may still be in its PTEs, so
     * the file is checked only when no other view can write */
    for (int i = 0; i < w->nprocs; i++)
        for (int r = 0; r < REGIONS; r++)
            if (&w->proc[i].region[r] != rg && w->proc[i].region[r].used && w->proc[i].region[r].section == 1 &&
                w->proc[i].region[r].view_protect == PAGE_READWRITE)
                return true;
    for (uint32_t k = 0; k < rg->pages; k++) {
        if (rg->page[k].copied)
            continue;
        for (uint32_t off = 0; off < 4096; off += 4) {
            uint32_t v, want;
            mm_file_read32(w->m, w->sec[1].file, k * 4096u + off, &v);
            memcpy(&want, w->sec[1].shared[k] + off, 4);
            if (v != want)
                return fail(w, "after the flush, file page %u offset 0x%X holds 0x%08X, the view 0x%08X", k, off, v,
                            want);
        }
    }
    return true;
}

bool model_step(struct model *w, model_source next, void *ctx, char *err, size_t err_size)
{
    w->next = next;
    w->ctx = ctx;
    w->err = err;
    w->err_size = err_size;
    for (; w->limits_drawn < w->nprocs; w->limits_drawn++)   /* the first processes' limits */
        if (!draw_limits(w, w->limits_drawn))
            return false;
    int i = (int)below(w, (uint32_t)w->nprocs);
    struct proc_model *pm = &w->proc[i];
    uint32_t pick = below(w, 100);
    bool ok = true;
    w->stats.ops++;
    if (pick < 45)
        ok = op_access(w, pm);
    else if (pick < 50)
        ok = op_straddle(w, pm);
    else if (pick < 54)
        ok = op_allocate(w, pm);
    else if (pick < 56)
        ok = op_map(w, pm);
    else if (pick < 57)
        ok = op_flush(w, pm);
    else if (pick < 62)
        ok = op_commit_or_decommit(w, pm, true);
    else if (pick < 66)
        ok = op_commit_or_decommit(w, pm, false);
    else if (pick < 69)
        ok = op_release(w, pm);
    else if (pick < 76)
        ok = op_protect(w, pm);
    else if (pick < 81)
        mm_trim(w->m, pm->pid, 1 + below(w, 8));
    else if (pick < 84)
        mm_run_modified_writer(w->m);
    else if (pick < 86)
        mm_run_zero_thread(w->m);
    else if (pick < 88)
        mm_run_ws_manager(w->m);
    else if (pick < 92)
        mm_tick(w->m, 1 + below(w, 3));
    else if (pick < 98) {
        uint32_t cmd = below(w, MemoryCommandMax);
        if (mm_memory_list_command(w->m, cmd) != STATUS_SUCCESS)
            ok = fail(w, "memory-list command %u refused", cmd);
    } else if (pick < 99) {
        ok = op_limits(w, pm);
    } else {
        if (mm_process_terminate(w->m, pm->pid) != STATUS_SUCCESS)
            ok = fail(w, "terminate refused");
        else
            ok = start_process(w, i);
    }
    return ok;
}

bool model_finish(struct model *w, char *err, size_t err_size)
{
    w->err = err;
    w->err_size = err_size;
    for (int i = 0; i < w->nprocs; i++)
        if (mm_process_terminate(w->m, w->proc[i].pid) != STATUS_SUCCESS)
            return fail(w, "terminate %u refused", w->proc[i].pid);
    w->nprocs = 0;
    for (int k = 0; k < SECTIONS; k++)
        if (mm_close_section(w->m, w->sec[k].handle) != STATUS_SUCCESS)
            return fail(w, "close section %d refused", k);
    char msg[512];
    if (!mm_check(w->m, msg, sizeof msg))
        return fail(w, "after every process ended: %s", msg);
    if (mm_active_frames(w->m) != 0)
        return fail(w, "%u frames still active after every process ended", mm_active_frames(w->m));
    struct mm_counters c;
    mm_counters(w->m, 0, &c);
    if (c.pagefile_used != 0)
        return fail(w, "%u paging-file slots still used after every process ended", c.pagefile_used);
    return true;
}
