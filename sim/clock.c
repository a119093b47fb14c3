/*
 * clock.c - time, and the system threads it runs: the working-set manager,
 * the modified page writer and the zero page thread. Lower floors never
 * call a thread; they set its wake flag (m->wake), as NT sets an event,
 * and the next tick runs it.
 */
#include "machine.h"
#include "mm.h"
#include "mpw.h"
#include "wsmgr.h"
#include "zero.h"

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
            mpw_run(m, why, false);
        why = due(m, MM_THREAD_ZERO_PAGE, m->list[FreePageList].total >= m->cfg.zero_threshold &&
                  m->list[FreePageList].total > 0, m->cfg.zero_period, &run);
        if (run)
            zero_run(m, why);
    }
}

uint32_t mm_run_modified_writer(struct mm_machine *m) { return mpw_run(m, MM_WAKE_ASKED, false); }
uint32_t mm_run_zero_thread(struct mm_machine *m) { return zero_run(m, MM_WAKE_ASKED); }
uint32_t mm_run_ws_manager(struct mm_machine *m) { return wsmgr_run(m, MM_WAKE_ASKED); }
uint32_t mm_run_mapped_writer(struct mm_machine *m) { return mpw_mapped_run(m, MM_WAKE_ASKED); }

