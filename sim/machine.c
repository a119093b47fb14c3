/*
 * machine.c - building and tearing down a machine, time, and the
 * read-only inspection API.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm.h"
#include "mpw.h"
#include "pagetable.h"
#include "vad.h"
#include "virtual.h"
#include "wsmgr.h"
#include "zero.h"

_Noreturn void mm_panic(const char *fn, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "mmsim: internal error in %s: ", fn);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

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

uint64_t mm_now(const struct mm_machine *m) { return m->tick; }

/* Is a thread due this tick: woken, its period came round, or its
 * threshold is crossed? */
static enum mm_wake_reason due(const struct mm_machine *m, enum mm_thread t, bool threshold,
                               uint32_t period, bool *run)
{
    *run = true;
    if (m->wake[t])
        return threshold ? MM_WAKE_THRESHOLD : MM_WAKE_LOW_MEMORY;
    if (threshold)
        return MM_WAKE_THRESHOLD;
    if (period && m->tick % period == 0)
        return MM_WAKE_PERIOD;
    *run = false;
    return MM_WAKE_PERIOD;
}

/* SIMPLIFIED: the threads run only on ticks (or when asked), in a fixed
 * order, on simple marks; NT wakes them on events and timers. */
void mm_tick(struct mm_machine *m, uint32_t ticks)
{
    for (uint32_t i = 0; i < ticks; i++) {
        m->tick++;
        bool run;
        enum mm_wake_reason why;
        why = due(m, MM_THREAD_WS_MANAGER, mm_available(m) < m->cfg.wsmgr_low, m->cfg.wsmgr_period, &run);
        if (run)
            wsmgr_run(m, why);
        why = due(m, MM_THREAD_MODIFIED_WRITER, m->list[ModifiedPageList].total >= m->cfg.mpw_threshold &&
                  m->list[ModifiedPageList].total > 0, m->cfg.mpw_period, &run);
        if (run)
            mpw_run(m, why);
        why = due(m, MM_THREAD_ZERO_PAGE, m->list[FreePageList].total >= m->cfg.zero_threshold &&
                  m->list[FreePageList].total > 0, m->cfg.zero_period, &run);
        if (run)
            zero_run(m, why);
    }
}

uint32_t mm_trim(struct mm_machine *m, uint32_t pid, uint32_t pages)
{
    struct mm_process *p = process_get(m, pid);
    return p ? ws_trim(m, p, pages, MM_WS_TRIM) : 0;
}

uint32_t mm_run_modified_writer(struct mm_machine *m) { return mpw_run(m, MM_WAKE_ASKED); }
uint32_t mm_run_zero_thread(struct mm_machine *m) { return zero_run(m, MM_WAKE_ASKED); }
uint32_t mm_run_ws_manager(struct mm_machine *m) { return wsmgr_run(m, MM_WAKE_ASKED); }

mm_status mm_mark_bad(struct mm_machine *m, mm_pfn frame)
{
    if (frame >= m->frames)
        return STATUS_INVALID_PARAMETER;
    struct mmpfn *p = &m->pfn[frame];
    pfn_set_flag(p, PFN_PARITY_ERROR);
    switch (pfn_location(p)) {
    case ZeroedPageList:
    case FreePageList:
        pfn_move(m, frame, BadPageList, MOVE_BAD);
        break;
    case StandbyPageList:
        pfn_restore_transition_pte(m, frame);
        p->original_pte = 0;
        p->pte_address = 0;
        pfn_set_pte_frame(p, 0);
        pfn_move(m, frame, BadPageList, MOVE_BAD);
        break;
    default:
        /* in use or dirty: retired when it is next freed or written */
        break;
    }
    return STATUS_SUCCESS;
}

/* ---- Inspection ---- */

mm_status mm_walk(const struct mm_machine *m, uint32_t pid, mm_va va, struct mm_walk *w)
{
    if (!mm_process_exists(m, pid))
        return STATUS_INVALID_CID;
    const struct mm_process *p = &m->process[pid - 1];
    memset(w, 0, sizeof *w);
    w->va = va;
    w->pdi = VA_PDI(va);
    w->pti = VA_PTI(va);
    w->offset = VA_OFFSET(va);
    w->directory = p->directory;
    w->pde_va = pde_address(va);
    w->pde_pa = p->directory * PAGE_SIZE + w->pdi * 4u;
    w->pde = pt_read(m, pt_pde_loc(p, va));
    w->pde_valid = pte_is_valid(w->pde);
    w->pte_va = pte_address(va);
    if (w->pde_valid) {
        w->pte_pa = pte_frame(w->pde) * PAGE_SIZE + w->pti * 4u;
        w->pte = phys_read32(&m->phys, pte_frame(w->pde), w->pti * 4u);
    }
    w->form = pte_classify(w->pte);
    if (w->pde_valid && pte_is_valid(w->pte)) {
        w->valid = true;
        w->frame = pte_frame(w->pte);
        w->pa = w->frame * PAGE_SIZE + w->offset;
        return STATUS_SUCCESS;
    }
    /* what a read would raise now */
    const struct mm_vad *vad = va <= MM_HIGHEST_USER_ADDRESS ? vad_find(&p->vads, VA_VPN(va)) : NULL;
    uint32_t prot = pte_protection(w->pte);
    if (va > MM_HIGHEST_USER_ADDRESS) {
        w->fault = MM_FAULT_ACCESS_VIOLATION;
        w->av = MM_AV_KERNEL_ADDRESS;
        return STATUS_SUCCESS;
    }
    switch (w->form) {
    case PTE_FORM_ZERO:
        if (!vad || !vad->mem_commit) {
            w->fault = MM_FAULT_ACCESS_VIOLATION;
            w->av = vad ? MM_AV_NOT_COMMITTED : MM_AV_NO_VAD;
            return STATUS_SUCCESS;
        }
        prot = vad->protection;
        w->fault = w->pde_valid ? MM_FAULT_DEMAND_ZERO : MM_FAULT_PAGE_TABLE;
        break;
    case PTE_FORM_DECOMMITTED:
        w->fault = MM_FAULT_ACCESS_VIOLATION;
        w->av = MM_AV_NOT_COMMITTED;
        return STATUS_SUCCESS;
    case PTE_FORM_TRANSITION: w->fault = MM_FAULT_TRANSITION; break;
    case PTE_FORM_PAGEFILE: w->fault = MM_FAULT_PAGE_FILE; break;
    default: w->fault = MM_FAULT_DEMAND_ZERO; break;
    }
    if ((prot & MM_PROTECT_ACCESS) == 0) {
        w->fault = MM_FAULT_ACCESS_VIOLATION;
        w->av = MM_AV_NO_ACCESS;
    } else if (prot_is_guard(prot)) {
        w->fault = MM_FAULT_GUARD_PAGE;
    }
    return STATUS_SUCCESS;
}

uint32_t mm_frame_count(const struct mm_machine *m) { return m->frames; }

const struct mmpfn *mm_pfn_entry(const struct mm_machine *m, mm_pfn frame)
{
    return frame < m->frames ? &m->pfn[frame] : NULL;
}

const struct mm_list_head *mm_list_head(const struct mm_machine *m, enum mm_list list)
{
    return (unsigned)list <= BadPageList ? &m->list[list] : NULL;
}

const struct mm_list_head *mm_standby_head(const struct mm_machine *m, unsigned priority)
{
    return priority < MM_STANDBY_PRIORITIES ? &m->standby[priority] : NULL;
}

uint32_t mm_list_frames(const struct mm_machine *m, enum mm_list list, unsigned priority,
                        mm_pfn *out, uint32_t max)
{
    const struct mm_list_head *h;
    if (list == StandbyPageList)
        h = mm_standby_head(m, priority);
    else
        h = mm_list_head(m, list);
    if (!h)
        return 0;
    uint32_t n = 0;
    for (mm_pfn f = h->first; f != MM_EMPTY_LIST && n < h->total; f = m->pfn[f].u1.flink, n++)
        if (n < max)
            out[n] = f;
    return h->total;
}

uint32_t mm_active_frames(const struct mm_machine *m) { return m->active_frames; }
uint32_t mm_available_pages(const struct mm_machine *m) { return mm_available(m); }

const struct mm_wsl *mm_working_set(const struct mm_machine *m, uint32_t pid)
{
    return mm_process_exists(m, pid) ? &m->process[pid - 1].ws : NULL;
}

bool mm_ws_contains(const struct mm_machine *m, uint32_t pid, mm_va va)
{
    return mm_process_exists(m, pid) && ws_lookup(&m->process[pid - 1], va) != WSLE_NULL_INDEX;
}

const struct mm_vad *mm_vad_next(const struct mm_machine *m, uint32_t pid, const struct mm_vad *v)
{
    return mm_process_exists(m, pid) ? vad_next(&m->process[pid - 1].vads, v) : NULL;
}

void mm_vad_range(const struct mm_vad *v, mm_va *start, mm_va *end, uint32_t *protection,
                  bool *mem_commit, uint32_t *commit_charge)
{
    *start = VPN_VA(v->start_vpn);
    *end = VPN_VA(v->end_vpn) + PAGE_SIZE - 1;
    *protection = v->protection;
    *mem_commit = v->mem_commit;
    *commit_charge = v->commit_charge;
}

mm_status mm_commit(const struct mm_machine *m, uint32_t pid, struct mm_commit_info *out)
{
    memset(out, 0, sizeof *out);
    if (pid) {
        if (!mm_process_exists(m, pid))
            return STATUS_INVALID_CID;
        out->process_charge = m->process[pid - 1].commit_charge;
        out->process_peak = m->process[pid - 1].commit_peak;
    }
    out->total = m->commit_total;
    out->limit = m->commit_limit;
    out->peak = m->commit_peak;
    return STATUS_SUCCESS;
}

mm_status mm_counters(const struct mm_machine *m, uint32_t pid, struct mm_counters *out)
{
    memset(out, 0, sizeof *out);
    if (pid) {
        if (!mm_process_exists(m, pid))
            return STATUS_INVALID_CID;
        const struct mm_process *p = &m->process[pid - 1];
        out->page_fault_count = p->page_fault_count;
        memcpy(out->faults, p->faults, sizeof out->faults);
    } else {
        out->page_fault_count = m->page_fault_count;
        memcpy(out->faults, m->faults, sizeof out->faults);
    }
    out->tlb_hits = m->tlb.hits;
    out->tlb_misses = m->tlb.misses;
    out->tlb_flushes = m->tlb.flushes;
    out->pages_written = m->pages_written;
    out->pages_read = m->pages_read;
    out->pages_zeroed = m->pages_zeroed;
    out->pages_trimmed = m->pages_trimmed;
    for (uint32_t i = 0; i < m->pagefile_count; i++) {
        out->pagefile_used += m->pagefile[i].used;
        out->pagefile_size += m->pagefile[i].size;
    }
    out->host_frames_materialized = m->phys.materialized;
    return STATUS_SUCCESS;
}

bool mm_pagefile_usage(const struct mm_machine *m, uint32_t file, uint32_t *size, uint32_t *used)
{
    if (file >= m->pagefile_count)
        return false;
    *size = m->pagefile[file].size;
    *used = m->pagefile[file].used;
    return true;
}

mm_status mm_peek_page(const struct mm_machine *m, uint32_t pid, mm_va va, uint8_t page[4096])
{
    if (!mm_process_exists(m, pid))
        return STATUS_INVALID_CID;
    const struct mm_process *p = &m->process[pid - 1];
    const struct mm_vad *vad = va <= MM_HIGHEST_USER_ADDRESS ? vad_find(&p->vads, VA_VPN(va)) : NULL;
    uint32_t prot;
    if (!vad || !virtual_page_state(m, p, vad, va, &prot))
        return STATUS_ACCESS_VIOLATION;
    struct pte_loc at;
    mm_pte pte = pt_pte_loc(m, p, va, &at) ? pt_read(m, at) : 0;
    switch (pte_classify(pte)) {
    case PTE_FORM_VALID:
    case PTE_FORM_TRANSITION:
        phys_copy_out(&m->phys, pte_frame(pte), page);
        break;
    case PTE_FORM_PAGEFILE: {
        const uint8_t *src = pagefile_fetch(&m->pagefile[pte_pagefile_number(pte)], pte_pagefile_offset(pte));
        if (src)
            memcpy(page, src, PAGE_SIZE);
        else
            memset(page, 0, PAGE_SIZE);
        break;
    }
    default:
        memset(page, 0, PAGE_SIZE);
        break;
    }
    return STATUS_SUCCESS;
}

uint32_t mm_phys_read32(const struct mm_machine *m, mm_pfn frame, uint32_t offset)
{
    return frame < m->frames && offset <= PAGE_SIZE - 4 ? phys_read32(&m->phys, frame, offset) : 0;
}
