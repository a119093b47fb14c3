/*
 * machine.h - the whole simulated machine: physical memory, the PFN
 * database and its list heads, paging files, the TLB, processes, commit
 * accounting, the event sink and the system threads' wake flags.
 * SIMPLIFIED: one processor and no concurrency, so there are no locks (NT
 * holds the PFN lock and working-set locks for all of this).
 * Internal to sim/: front ends use mm.h.
 */
#ifndef MMSIM_MACHINE_H
#define MMSIM_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "event.h"
#include "pagefile.h"
#include "mmpfn.h"
#include "phys.h"
#include "process.h"
#include "section.h"
#include "tlb.h"

struct mm_machine {
    struct mm_config cfg;
    struct mm_phys phys;
    struct mmpfn *pfn;                       /* MmPfnDatabase */
    uint32_t frames;
    struct mm_list_head list[MM_LIST_COUNT]; /* indexed by enum mm_list; [StandbyPageList] totals all priorities */
    struct mm_list_head standby[MM_STANDBY_PRIORITIES];
    uint32_t active_frames;                  /* ActiveAndValid */
    uint32_t transition_frames;              /* in I/O */
    uint64_t repurposed[MM_STANDBY_PRIORITIES];

    struct mm_pagefile pagefile[MM_MAX_PAGEFILES];
    uint32_t pagefile_count;
    uint32_t pagefile_next;                  /* round-robin start for new slots */

    struct mm_tlb tlb;
    struct mm_process *process;              /* slots; pid = index + 1 */
    uint32_t process_slots;
    struct mm_process *current;              /* whose directory is in CR3 */

    uint32_t commit_total, commit_limit, commit_peak;

    /* Sections (section.h): the files, the sections, and paged pool's
     * pages of prototype PTEs (pool page i is in pool_frame[i], or
     * MM_EMPTY_LIST; NULL until the first section). */
    struct mm_file file[MM_MAX_FILES];
    struct mm_section section[MM_MAX_SECTIONS];
    mm_pfn *pool_frame;
    uint32_t modified_pagefile;              /* Modified pages bound for a paging file
                                                (MmModifiedPageListHead's ModifiedPageCountPageFile) */

    mm_event_fn sink;
    void *sink_ctx;
    uint64_t seq;

    uint64_t tick;
    bool wake[MM_THREAD_COUNT];              /* signalled: runs at the next tick (a thread woken
                                                by one that runs before it in a tick runs in that tick) */

    uint64_t page_fault_count;               /* as process.h's, for all processes */
    uint64_t faults[MM_FAULT_KIND_COUNT];
    uint64_t pages_written, pages_read, pages_zeroed, pages_trimmed;
    struct mm_fault_info last_fault;
};

/* The live process `pid`, or NULL. */
static inline struct mm_process *process_get(struct mm_machine *m, uint32_t pid)
{
    if (pid == 0 || pid > m->process_slots || !m->process[pid - 1].live)
        return NULL;
    return &m->process[pid - 1];
}
/* The process whose page directory is `dir`, or NULL. */
struct mm_process *process_by_directory(struct mm_machine *m, mm_pfn dir);
/* Load CR3 (NT: KiSwapProcess): flushes the TLB when the space changes. */
void process_attach(struct mm_machine *m, struct mm_process *p);

/* Panic on a broken internal invariant: names the function and reason and
 * aborts (never used for bad input). */
_Noreturn void mm_panic(const char *fn, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The host is out of memory: mm.h's contract (declared there for the
 * layers above, here for the engine's files that do not include mm.h). */
_Noreturn void mm_host_exhausted(const char *fn, const char *what);

#define MM_ASSERT(cond)                                                                  \
    do {                                                                                 \
        if (!(cond))                                                                     \
            mm_panic(__func__, "assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__); \
    } while (0)

/* Events: the inline test keeps the cost near zero with no sink. */
void ev_emit(struct mm_machine *m, struct mm_event *ev);
static inline bool ev_on(const struct mm_machine *m) { return m->sink != 0; }

void ev_page_move(struct mm_machine *m, mm_pfn frame, enum mm_list from, unsigned from_prio,
                  enum mm_list to, unsigned to_prio, enum mm_move_reason why);
void ev_wsle(struct mm_machine *m, uint32_t pid, uint32_t index, mm_va va, bool inserted,
             enum mm_ws_reason why);
void ev_io(struct mm_machine *m, uint32_t pid, bool write, uint32_t file, uint32_t slot, mm_pfn frame);
void ev_thread(struct mm_machine *m, enum mm_thread t, enum mm_thread_action a, uint32_t pid,
               uint32_t count, uint32_t file, uint32_t slot, uint32_t arg);

/* Available pages: Zeroed + Free + Standby (MmAvailablePages). */
static inline uint32_t mm_available(const struct mm_machine *m)
{
    return m->list[ZeroedPageList].total + m->list[FreePageList].total +
           m->list[StandbyPageList].total;
}

#endif
