/* config.c - default tunables and their ranges. */
#include <string.h>

#include "config.h"

void mm_config_default(struct mm_config *c)
{
    memset(c, 0, sizeof *c);
    c->frames = 4096;                 /* 16 MiB */
    c->pagefile_count = 1;
    c->pagefile_pages[0] = 8192;      /* 32 MiB */
    c->ws_minimum = MM_DEFAULT_WS_MINIMUM;
    c->ws_maximum = MM_DEFAULT_WS_MAXIMUM;
    c->policy = MM_POLICY_CLOCK;
    c->tlb_entries = 64;
    c->read_cluster = 0;
    c->write_cluster = MM_MAX_CLUSTER;
    c->zero_threshold = 8;            /* ReactOS: MmMinimumFreePagesToZero */
    c->mpw_threshold = 400;
    c->wsmgr_low = 26;                /* ReactOS: MmMinimumFreePages */
    c->wsmgr_plenty = 400;            /* ReactOS: MmPlentyFreePages */
    c->zero_period = 0;
    c->mpw_period = 0;
    c->wsmgr_period = 1;              /* the balance set manager runs each "second" */
    c->max_processes = 64;
}

const char *mm_config_check(const struct mm_config *c)
{
    if (c->frames < MM_MIN_FRAMES || c->frames > MM_MAX_FRAMES)
        return "frames must be between 16 and 1048576 (4 GiB)";
    if (c->pagefile_count < 1 || c->pagefile_count > MM_MAX_PAGEFILES)
        return "there must be between 1 and 16 paging files";
    for (uint32_t i = 0; i < c->pagefile_count; i++)
        if (c->pagefile_pages[i] < 2 || c->pagefile_pages[i] > MM_MAX_PAGEFILE_PAGES)
            return "each paging file must hold between 2 and 1048576 pages";
    if (c->ws_minimum < 1 || c->ws_maximum < c->ws_minimum)
        return "the working-set minimum must be at least 1 and not above the maximum";
    if (c->ws_maximum > MM_MAX_FRAMES)
        return "the working-set maximum may not exceed 1048576 pages";
    if ((unsigned)c->policy >= MM_POLICY_COUNT)
        return "the replacement policy must be fifo, clock or lru";
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
