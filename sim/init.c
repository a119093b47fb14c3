/*
 * init.c - building and tearing down a machine (NT: MmInitSystem,
 * MmCreateProcessAddressSpace's system half is process.c's).
 */
#include <stdlib.h>

#include "machine.h"
#include "mm.h"
#include "vad.h"

struct mm_machine *mm_create(const struct mm_config *cfg, const char **why)
{
    const char *bad = mm_config_check(cfg);
    if (bad) {
        if (why)
            *why = bad;
        return NULL;
    }
    if (why)
        *why = "out of host memory";
    struct mm_machine *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->cfg = *cfg;
    m->frames = cfg->frames;
    m->pfn = malloc((size_t)cfg->frames * sizeof *m->pfn);
    m->process_slots = cfg->max_processes;
    m->process = calloc(m->process_slots, sizeof *m->process);
    if (!m->pfn || !m->process || !phys_init(&m->phys, cfg->frames) ||
        !tlb_init(&m->tlb, cfg->tlb_entries)) {
        mm_destroy(m);
        return NULL;
    }
    for (uint32_t i = 0; i < cfg->pagefile_count; i++) {
        if (!pagefile_init(&m->pagefile[i], cfg->pagefile_pages[i])) {
            mm_destroy(m);
            return NULL;
        }
        m->pagefile_count = i + 1;
        m->commit_limit += cfg->pagefile_pages[i] - 1;
    }
    m->commit_limit += cfg->frames;

    for (unsigned l = 0; l < MM_LIST_COUNT; l++)
        m->list[l] = (struct mm_list_head){0, (enum mm_list)l, MM_EMPTY_LIST, MM_EMPTY_LIST};
    for (unsigned prio = 0; prio < MM_STANDBY_PRIORITIES; prio++)
        m->standby[prio] = (struct mm_list_head){0, StandbyPageList, MM_EMPTY_LIST, MM_EMPTY_LIST};

    /* SIMPLIFIED: NT boots with pages on the Free list for the zero page
     * thread; mmsim's memory starts out all zeros, so it starts Zeroed.
     * Linking the frames in one sweep keeps a 4 GiB machine fast to build. */
    struct mm_list_head *z = &m->list[ZeroedPageList];
    for (uint32_t f = 0; f < cfg->frames; f++) {
        struct mmpfn *p = &m->pfn[f];
        p->u1.flink = f + 1 < cfg->frames ? f + 1 : MM_EMPTY_LIST;
        p->pte_address = 0;
        p->u2.blink = f ? f - 1 : MM_EMPTY_LIST;
        p->u3.reference_count = 0;
        p->u3.flags = (uint16_t)(ZeroedPageList << PFN_LOCATION_SHIFT);
        p->original_pte = 0;
        p->u4 = MM_DEFAULT_PRIORITY << PFN_PRIORITY_SHIFT;
    }
    z->first = 0;
    z->last = cfg->frames - 1;
    z->total = cfg->frames;
    if (why)
        *why = NULL;
    return m;
}

void mm_destroy(struct mm_machine *m)
{
    if (!m)
        return;
    for (uint32_t i = 0; m->process && i < m->process_slots; i++)
        if (m->process[i].live) {
            ws_fini(&m->process[i].ws);
            vad_free_all(&m->process[i].vads);
        }
    for (uint32_t i = 0; i < m->pagefile_count; i++)
        pagefile_fini(&m->pagefile[i]);
    section_free_all(m);
    phys_fini(&m->phys);
    tlb_fini(&m->tlb);
    free(m->process);
    free(m->pfn);
    free(m);
}

const struct mm_config *mm_get_config(const struct mm_machine *m) { return &m->cfg; }

void mm_set_sink(struct mm_machine *m, mm_event_fn fn, void *ctx)
{
    m->sink = fn;
    m->sink_ctx = ctx;
}

