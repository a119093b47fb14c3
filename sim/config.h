/*
 * config.h - the machine's tunables: memory size, paging files, working-set
 * limits, the replacement policy and when the system threads run.
 * mm_config_default() fills in NT's defaults; mm_config_check() says what
 * is out of range before a machine is built.
 */
#ifndef MMSIM_CONFIG_H
#define MMSIM_CONFIG_H

#include <stdint.h>

#define MM_MIN_FRAMES        16u
#define MM_MAX_FRAMES        1048576u     /* 4 GiB: the i386 non-PAE limit */
#define MM_MAX_PAGEFILES     16u
#define MM_MAX_PAGEFILE_PAGES 1048576u    /* 4 GiB: PageFileHigh has 20 bits */
#define MM_MAX_PROCESSES     256u
#define MM_MAX_TLB_ENTRIES   4096u
#define MM_MAX_CLUSTER       16u          /* pages in one paging-file I/O */

#define MM_DEFAULT_WS_MINIMUM 50u         /* SetProcessWorkingSetSize defaults */
#define MM_DEFAULT_WS_MAXIMUM 345u

/* How a working set at its maximum picks the page to give up. */
enum mm_policy {
    MM_POLICY_FIFO,    /* NextSlot order: the slot after the last one replaced */
    MM_POLICY_CLOCK,   /* NT's aging: accessed -> age 0, else age++, remove at 3 */
    MM_POLICY_LRU,     /* exact least-recently-used, for comparison in class */
    MM_POLICY_COUNT
};

struct mm_config {
    uint32_t frames;                       /* physical memory in 4 KiB frames */
    uint32_t pagefile_count;               /* 1..16 */
    uint32_t pagefile_pages[MM_MAX_PAGEFILES];
    uint32_t ws_minimum, ws_maximum;       /* defaults for new processes */
    enum mm_policy policy;
    uint32_t tlb_entries;                  /* a power of two, direct-mapped */
    uint32_t read_cluster;                 /* extra pages read after a hard fault (0..15) */
    uint32_t write_cluster;                /* pages per modified-writer I/O (1..16) */

    /* When the system threads wake by themselves (checked on each tick). */
    uint32_t zero_threshold;      /* Free pages that wake the zero page thread */
    uint32_t mpw_threshold;       /* Modified pages that wake the modified page writer */
    uint32_t wsmgr_low;           /* available pages below which working sets are trimmed */
    uint32_t wsmgr_plenty;        /* ...until this many are available again */
    uint32_t zero_period;         /* also run every N ticks (0: only when woken) */
    uint32_t mpw_period;
    uint32_t wsmgr_period;

    uint32_t max_processes;
};

void mm_config_default(struct mm_config *c);

/* NULL when the configuration is usable; otherwise a sentence naming the
 * field and its allowed range. */
const char *mm_config_check(const struct mm_config *c);

#endif
