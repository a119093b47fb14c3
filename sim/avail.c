/*
 * avail.c - waiting for an available page (NT: MiEnsureAvailablePageOrWait).
 * A fault or a new page table needs a frame; when Zeroed, Free and Standby
 * are all empty, pages are made available by writing modified pages and
 * trimming working sets.
 */
#include "avail.h"

#include "mpw.h"

/* The live process with the largest working set, lowest pid on a tie. */
static struct mm_process *largest_set(struct mm_machine *m)
{
    struct mm_process *best = NULL;
    for (uint32_t i = 0; i < m->process_slots; i++) {
        struct mm_process *p = &m->process[i];
        if (p->live && p->ws.size > p->ws.first_dynamic && (!best || p->ws.size > best->ws.size))
            best = p;
    }
    return best;
}

/* SIMPLIFIED: NT blocks the faulting thread until the writer and the
 * manager have made pages available; mmsim runs them on the spot. */
mm_status avail_ensure(struct mm_machine *m, uint32_t pages)
{
    while (mm_available(m) < pages) {
        if (m->list[ModifiedPageList].total && (mpw_write_cluster(m) > 0 || mpw_write_mapped(m, 1) > 0))
            continue;
        struct mm_process *p = largest_set(m);
        if (!p || ws_trim(m, p, 1, MM_WS_TRIM) == 0) {
            /* ask the others too: the largest may hold only page tables
             * (a search that found nothing to remove would find nothing
             * again, so the largest is not asked twice) */
            bool trimmed = false;
            for (uint32_t i = 0; i < m->process_slots && !trimmed; i++)
                if (m->process[i].live && &m->process[i] != p && ws_trim(m, &m->process[i], 1, MM_WS_TRIM))
                    trimmed = true;
            if (!trimmed)
                return STATUS_NO_MEMORY;
        }
    }
    if (mm_available(m) - pages < m->cfg.wsmgr_low)
        m->wake[MM_THREAD_WS_MANAGER] = true;
    return STATUS_SUCCESS;
}
