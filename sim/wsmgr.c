/*
 * wsmgr.c - the working-set manager (NT: MmWorkingSetManager, run by the
 * balance set manager about once a second).
 */
#include <stddef.h>

#include "wsmgr.h"


/* Trim every set above its maximum back to it, oldest pages first. */
/* LAB ws: begin trim_to_maximum */
static uint32_t trim_to_maximum(struct mm_machine *m)
{
    uint32_t total = 0;
    for (uint32_t i = 0; i < m->process_slots; i++) {
        struct mm_process *p = &m->process[i];
        if (!p->live || p->ws.size <= p->ws.maximum)
            continue;
        uint32_t n = 0;
        for (uint32_t age = WSLE_MAX_AGE + 1; age-- > 0 && p->ws.size > p->ws.maximum;)
            n += ws_trim_aged(m, p, age, p->ws.maximum, p->ws.size - p->ws.maximum);
        total += n;
        if (n && ev_on(m))
            ev_thread(m, MM_THREAD_WS_MANAGER, MM_THREAD_TRIM, p->pid, n, 0, 0, 0);
    }
    return total;
}
/* LAB ws: end trim_to_maximum */

/* Trim sets above their minimum, oldest pages first across all sets, until
 * the goal is met. The goal is a number of pages to take, set once: a
 * dirty page taken counts too, though it reaches Standby only after the
 * modified page writer has written it. */
/* LAB ws: begin trim_to_goal */
static uint32_t trim_to_goal(struct mm_machine *m, uint32_t goal)
{
    uint32_t taken = 0;
    for (uint32_t age = WSLE_MAX_AGE + 1; age-- > 0 && taken < goal;) {
        for (uint32_t i = 0; i < m->process_slots && taken < goal; i++) {
            struct mm_process *p = &m->process[i];
            if (!p->live || p->ws.size <= p->ws.minimum)
                continue;
            uint32_t n = ws_trim_aged(m, p, age, p->ws.minimum, goal - taken);
            taken += n;
            if (n && ev_on(m))
                ev_thread(m, MM_THREAD_WS_MANAGER, MM_THREAD_TRIM, p->pid, n, 0, 0, 0);
        }
    }
    return taken;
}
/* LAB ws: end trim_to_goal */

/* SIMPLIFIED: one pass with fixed marks; NT's balance set manager also
 * estimates how many pages each set could lose and adjusts its pace.
 * Sets that grew past a soft maximum while memory was plentiful are
 * trimmed back once it no longer is; below the low mark, sets above their
 * minimum give up their oldest pages until the plenty mark is in reach. */
uint32_t wsmgr_run(struct mm_machine *m, enum mm_wake_reason why)
{
    uint32_t total = 0;
    uint64_t trimmed_before[MM_MAX_PROCESSES];
    for (uint32_t i = 0; i < m->process_slots; i++)
        trimmed_before[i] = m->process[i].ws.trimmed;
    if (ev_on(m))
        ev_thread(m, MM_THREAD_WS_MANAGER, MM_THREAD_WAKE, 0, 0, 0, 0, why);
    for (uint32_t i = 0; i < m->process_slots; i++)
        if (m->process[i].live)
            ws_age(m, &m->process[i]);
    uint32_t available = mm_available(m);   /* as the manager found memory when it woke */
    if (available < m->cfg.wsmgr_plenty)
        total += trim_to_maximum(m);
    if (available < m->cfg.wsmgr_low && m->cfg.wsmgr_plenty > mm_available(m))
        total += trim_to_goal(m, m->cfg.wsmgr_plenty - mm_available(m));
    for (uint32_t i = 0; total && i < m->process_slots; i++)
        if (m->process[i].live && m->process[i].ws.trimmed != trimmed_before[i])
            ws_compact_if_sparse(m, &m->process[i]);   /* NT: at the end of MiTrimWorkingSet */
    if (total && m->list[ModifiedPageList].total)
        m->wake[MM_THREAD_MODIFIED_WRITER] = true;
    m->wake[MM_THREAD_WS_MANAGER] = false;
    if (ev_on(m))
        ev_thread(m, MM_THREAD_WS_MANAGER, MM_THREAD_DONE, 0, total, 0, 0, why);
    return total;
}
