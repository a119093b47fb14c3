/* support.c - see support.h. */
#include <stdlib.h>
#include <string.h>

#include "support.h"

struct mm_machine *t_machine_cfg(const struct mm_config *cfg)
{
    const char *why = NULL;
    struct mm_machine *m = mm_create(cfg, &why);
    cr_assert_not_null(m, "mm_create failed: %s", why ? why : "?");
    t_check(m);
    return m;
}

struct mm_machine *t_machine(uint32_t frames, uint32_t pagefile)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = frames;
    cfg.pagefile_pages[0] = pagefile;
    return t_machine_cfg(&cfg);
}

void t_check(const struct mm_machine *m)
{
    char msg[512];
    bool ok = mm_check(m, msg, sizeof msg);
    cr_assert(ok, "invariant broken: %s", msg);
}

uint32_t t_process(struct mm_machine *m, const char *name)
{
    uint32_t pid = 0;
    mm_status s = mm_process_create(m, name, &pid);
    cr_assert_eq(s, STATUS_SUCCESS, "process create: 0x%08X", s);
    return pid;
}

mm_va t_alloc(struct mm_machine *m, uint32_t pid, uint32_t size, uint32_t protect)
{
    mm_va base = 0;
    uint32_t sz = size;
    mm_status s = mm_allocate(m, pid, &base, &sz, MEM_RESERVE | MEM_COMMIT, protect);
    cr_assert_eq(s, STATUS_SUCCESS, "allocate %u bytes: 0x%08X", size, s);
    return base;
}

mm_pte t_pte(const struct mm_machine *m, uint32_t pid, mm_va va)
{
    struct mm_walk w;
    cr_assert_eq(mm_walk(m, pid, va, &w), STATUS_SUCCESS);
    return w.pte;
}

mm_pfn t_frame(const struct mm_machine *m, uint32_t pid, mm_va va)
{
    struct mm_walk w;
    cr_assert_eq(mm_walk(m, pid, va, &w), STATUS_SUCCESS);
    cr_assert(w.pde_valid && (w.form == PTE_FORM_VALID || w.form == PTE_FORM_TRANSITION),
              "0x%08X: PTE 0x%08X names no frame", va, w.pte);
    return pte_frame(w.pte);
}

mm_pfn t_valid_frame(const struct mm_machine *m, uint32_t pid, mm_va va)
{
    struct mm_walk w;
    cr_assert_eq(mm_walk(m, pid, va, &w), STATUS_SUCCESS);
    cr_assert(w.valid, "0x%08X is not valid (PTE 0x%08X)", va, w.pte);
    return w.frame;
}

enum mm_list t_location(const struct mm_machine *m, mm_pfn frame)
{
    return pfn_location(mm_pfn_entry(m, frame));
}

static void record(void *ctx, const struct mm_event *ev)
{
    struct t_events *rec = ctx;
    if (rec->count < T_MAX_EVENTS)
        rec->ev[rec->count++] = *ev;
}

void t_record(struct mm_machine *m, struct t_events *rec)
{
    rec->count = 0;
    mm_set_sink(m, record, rec);
}

uint32_t t_count(const struct t_events *rec, enum mm_event_kind kind)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < rec->count; i++)
        n += rec->ev[i].kind == kind;
    return n;
}

const struct mm_event *t_find(const struct t_events *rec, enum mm_event_kind kind, uint32_t n)
{
    for (uint32_t i = 0; i < rec->count; i++)
        if (rec->ev[i].kind == kind && n-- == 0)
            return &rec->ev[i];
    return NULL;
}

uint32_t t_rand(struct t_rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return (uint32_t)((r->s * 2685821657736338717ull) >> 32);
}

uint32_t t_below(struct t_rng *r, uint32_t n) { return n ? t_rand(r) % n : 0; }

uint32_t t_flush(struct mm_machine *m)
{
    struct mm_counters before, after;
    mm_counters(m, 0, &before);
    cr_assert_eq(mm_memory_list_command(m, MemoryFlushModifiedList), STATUS_SUCCESS);
    mm_counters(m, 0, &after);
    return (uint32_t)(after.pages_written - before.pages_written);
}
