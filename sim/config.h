/*
 * config.h - the machine's tunables: memory size, paging files, working-set
 * limits, the replacement policy and when the system threads run.
 * mm_config_default() fills in NT's defaults; mm_config_check() says what
 * is out of range before a machine is built.
 */
#ifndef MMSIM_CONFIG_H
#define MMSIM_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#define MM_MIN_FRAMES        16u
#define MM_MAX_FRAMES        1048576u     /* 4 GiB: the i386 non-PAE limit */
#define MM_MAX_PAGEFILES     16u
#define MM_MAX_PAGEFILE_PAGES 1048576u    /* 4 GiB: PageFileHigh has 20 bits */
#define MM_MAX_PROCESSES     256u
#define MM_MAX_TLB_ENTRIES   4096u
#define MM_MAX_CLUSTER       16u          /* pages in one paging-file I/O */

#define MM_MAX_PAGEFILE_EXTENSION 256u   /* pages a paging file grows by at least (1 MiB) */

/* NT sizes its defaults by the amount of physical memory
 * (MmQuerySystemSize): under 19 MB small, under 32 MB medium, else large
 * (the workstation boundaries of NT 5.x's MmInitSystem). */
enum mm_system_size { MmSmallSystem, MmMediumSystem, MmLargeSystem };

/* How a working set at its maximum (or at its data-page limit) picks the
 * page to give up. The first three keep the values scenario files have
 * always named "fifo", "clock" and "lru"; mm_policy_name() has every name.
 * None scans the working set per fault: FIFO and LRU take the head of a
 * list, clock and aging advance a hand, OPT takes the top of a heap. */
enum mm_policy {
    MM_POLICY_FIFO,    /* first in, first out: the page that entered the set first */
    MM_POLICY_CLOCK,   /* second chance: the hand clears a set Accessed bit and moves on,
                          and takes the first page whose bit is clear */
    MM_POLICY_LRU,     /* exact least-recently-used (every access noted), for comparison */
    MM_POLICY_AGING,   /* NT's aging: accessed -> age 0, else age + 1, the first page to
                          reach age 3 goes (the working-set manager's ages); the default */
    MM_POLICY_OPT,     /* Belady's: the page whose next use is farthest, as told by
                          mm_set_next_use; pages never told tie, and go first in first out */
    MM_POLICY_COUNT
};

struct mm_config {
    uint32_t frames;                       /* physical memory in 4 KiB frames */
    uint32_t pagefile_count;               /* 1..16 */
    uint32_t pagefile_pages[MM_MAX_PAGEFILES];   /* initial size, slot 0 included */
    uint32_t pagefile_maximum[MM_MAX_PAGEFILES]; /* it may grow to this (MiExtendPagingFiles);
                                                    0 or the initial size: it never grows */
    uint32_t ws_minimum, ws_maximum;       /* defaults for new processes */
    enum mm_policy policy;
    uint32_t tlb_entries;                  /* a power of two, direct-mapped */
    uint32_t read_cluster;                 /* extra pages read after a hard fault (0..15) */
    uint32_t write_cluster;                /* pages per modified-writer I/O (1..16) */
    bool nx;                               /* model a PAE processor with the no-execute bit:
                                              execute is checked against the protection. Plain
                                              i386 cannot refuse an execute of a readable page. */

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

/* The defaults of a 4096-frame (16 MiB) machine: mm_config_for_memory(c, 4096). */
void mm_config_default(struct mm_config *c);

/* Set the machine's size and every default NT derives from it: the
 * working-set minimum and maximum (SetProcessWorkingSetSize's defaults:
 * 20/45 small, 30/145 medium, 50/345 large), MmMinimumFreePages (26),
 * MmPlentyFreePages (400, doubled from 63 MB), MmModifiedPageMaximum (100,
 * 150, 300; 600 above 33 MB) as the writer's threshold, and
 * MmMinimumFreePagesToZero (8). On machines too small for NT's values they
 * are scaled down (mmsim's own rule, documented in docs/working-sets.md):
 * maximum at most 3/4 of memory, minimum at most half the maximum, the low
 * mark at most 1/8 and the plenty mark and writer threshold at most 1/4 of
 * memory. Everything else is as mm_config_default leaves it. */
void mm_config_for_memory(struct mm_config *c, uint32_t frames);
/* NT's own values of the same fields for `frames` frames, unscaled (for a
 * front end to say which defaults were scaled down). */
void mm_config_nt_values(struct mm_config *c, uint32_t frames);
/* The size class of a machine of `frames` frames (NT: MmQuerySystemSize). */
enum mm_system_size mm_system_size(uint32_t frames);
const char *mm_system_size_name(enum mm_system_size s);

/* The policy's name ("fifo", "clock", "lru", "aging", "opt"), "?" when out
 * of range; and the policy of a name, false for none. One table for every
 * reader and printer of policy names. */
const char *mm_policy_name(enum mm_policy p);
bool mm_policy_from_name(const char *name, enum mm_policy *out);

/* NULL when the configuration is usable; otherwise a sentence naming the
 * field and its allowed range. */
const char *mm_config_check(const struct mm_config *c);

#endif
