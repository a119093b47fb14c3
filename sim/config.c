/* config.c - default tunables and their ranges. */
#include <string.h>

#include "config.h"

enum mm_system_size mm_system_size(uint32_t frames)
{
    uint64_t bytes = (uint64_t)frames * 4096u;
    if (bytes < 19u * 1024 * 1024)
        return MmSmallSystem;
    if (bytes < 32u * 1024 * 1024)
        return MmMediumSystem;
    return MmLargeSystem;
}

const char *mm_system_size_name(enum mm_system_size s)
{
    static const char *const names[] = {"small", "medium", "large"};
    return (unsigned)s < 3 ? names[s] : "?";
}

static const char *const policy_names[MM_POLICY_COUNT] = {"fifo", "clock", "lru", "aging", "opt"};

const char *mm_policy_name(enum mm_policy p)
{
    return (unsigned)p < MM_POLICY_COUNT ? policy_names[p] : "?";
}

bool mm_policy_from_name(const char *name, enum mm_policy *out)
{
    for (unsigned i = 0; i < MM_POLICY_COUNT; i++) {
        if (strcmp(name, policy_names[i]) == 0) {
            *out = (enum mm_policy)i;
            return true;
        }
    }
    return false;
}

static uint32_t at_most(uint32_t value, uint32_t cap) { return value < cap ? value : cap; }

/* SIMPLIFIED: NT's smallest class starts at machines of a few megabytes;
 * below what its values fit, mmsim scales them down by its own rule. */

void mm_config_nt_values(struct mm_config *c, uint32_t frames)
{
    static const uint32_t ws_min[] = {20, 30, 50}, ws_max[] = {45, 145, 345};
    static const uint32_t modified_maximum[] = {100, 150, 300};
    enum mm_system_size size = mm_system_size(frames);
    uint64_t bytes = (uint64_t)frames * 4096u;
    c->frames = frames;
    c->ws_minimum = ws_min[size];
    c->ws_maximum = ws_max[size];
    c->wsmgr_low = 26;                                           /* MmMinimumFreePages */
    c->wsmgr_plenty = bytes >= 63u * 1024 * 1024 ? 800 : 400;    /* MmPlentyFreePages */
    c->mpw_threshold = bytes > 33u * 1024 * 1024 ? 600 : modified_maximum[size];   /* MmModifiedPageMaximum */
    c->zero_threshold = 8;                                       /* MmMinimumFreePagesToZero */
}

void mm_config_for_memory(struct mm_config *c, uint32_t frames)
{
    mm_config_nt_values(c, frames);
    c->ws_maximum = at_most(c->ws_maximum, frames / 4 * 3);
    c->ws_minimum = at_most(c->ws_minimum, c->ws_maximum / 2);
    if (c->ws_minimum == 0)
        c->ws_minimum = 1;
    c->wsmgr_low = at_most(c->wsmgr_low, frames / 8);
    c->wsmgr_plenty = at_most(c->wsmgr_plenty, frames / 4);
    c->mpw_threshold = at_most(c->mpw_threshold, frames / 4);
    c->zero_threshold = at_most(c->zero_threshold, frames / 2);
}

void mm_config_default(struct mm_config *c)
{
    memset(c, 0, sizeof *c);
    c->pagefile_count = 1;
    c->pagefile_pages[0] = 8192;      /* 32 MiB */
    c->policy = MM_POLICY_AGING;     /* what NT does */
    c->tlb_entries = 64;
    c->read_cluster = 0;
    c->write_cluster = MM_MAX_CLUSTER;
    c->zero_period = 0;
    c->mpw_period = 0;
    c->wsmgr_period = 1;              /* the balance set manager runs each "second" */
    c->max_processes = 64;
    mm_config_for_memory(c, 4096);    /* 16 MiB */
}

const char *mm_config_check(const struct mm_config *c)
{
    if (c->frames < MM_MIN_FRAMES || c->frames > MM_MAX_FRAMES)
        return "frames must be between 16 and 1048576 (4 GiB)";
    if (c->pagefile_count < 1 || c->pagefile_count > MM_MAX_PAGEFILES)
        return "there must be between 1 and 16 paging files";
    for (uint32_t i = 0; i < c->pagefile_count; i++) {
        if (c->pagefile_pages[i] < 2 || c->pagefile_pages[i] > MM_MAX_PAGEFILE_PAGES)
            return "each paging file must hold between 2 and 1048576 pages";
        if (c->pagefile_maximum[i] && (c->pagefile_maximum[i] < c->pagefile_pages[i] ||
                                       c->pagefile_maximum[i] > MM_MAX_PAGEFILE_PAGES))
            return "a paging file's maximum must be between its initial size and 1048576 pages";
    }
    if (c->ws_minimum < 1 || c->ws_maximum < c->ws_minimum)
        return "the working-set minimum must be at least 1 and not above the maximum";
    if (c->ws_maximum > MM_MAX_FRAMES)
        return "the working-set maximum may not exceed 1048576 pages";
    if ((unsigned)c->policy >= MM_POLICY_COUNT)
        return "the replacement policy must be fifo, clock, lru, aging or opt";
    if (c->tlb_entries < 1 || c->tlb_entries > MM_MAX_TLB_ENTRIES ||
        (c->tlb_entries & (c->tlb_entries - 1)))
        return "the TLB must have a power-of-two number of entries from 1 to 4096";
    if (c->read_cluster > MM_MAX_CLUSTER - 1)
        return "the read cluster may add at most 15 pages";
    if (c->write_cluster < 1 || c->write_cluster > MM_MAX_CLUSTER)
        return "the write cluster must be between 1 and 16 pages";
    if (c->max_processes < 1 || c->max_processes > MM_MAX_PROCESSES)
        return "max_processes must be between 1 and 256";
    return NULL;
}
