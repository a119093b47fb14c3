/*
 * simbuild.c - fill a fresh machine's page lists to given proportions.
 *
 * Every page is made the way a real one gets there, through the public
 * engine API, in an order that only ever takes pages from the Zeroed list
 * (so nothing already placed is repurposed):
 *
 *   standby, priority p   a process at page priority p writes its pages,
 *                         its working set is emptied (-> Modified), the
 *                         modified list is flushed (-> Standby p)
 *   modified              written, working set emptied, not flushed
 *   modified no-write     the same in a process marked modified-no-write
 *   free                  written, then released (-> Free)
 *   active                written and left in a large working set
 *   zeroed                what is left, less page tables and directories
 *
 * No tick is run, so no system thread moves anything afterwards.
 */
#include "simbuild.h"

const struct nt_counts nt_busy_profile = {
    .lists = {.zero_page_count = 15,
              .free_page_count = 5,
              .modified_page_count = 10,
              .page_count_by_priority = {[0] = 5, [2] = 10, [5] = 25}},
    .total_pages = 100,
};

/* Frames kept back for page directories, page tables and hyperspace. */
#define OVERHEAD_PER_PROCESS 8u

static uint32_t scaled(uint64_t count, uint64_t total, uint32_t frames)
{
    return total ? (uint32_t)(count * frames / total) : 0;
}

/* A process at page priority `priority` (modified-no-write if asked)
 * that writes `pages` pages of fresh private memory and keeps them in its
 * working set; pid and base come back. */
static mm_status writer(struct mm_machine *m, const char *name, uint32_t pages, unsigned priority, bool no_write,
                        uint32_t *pid, mm_va *base)
{
    mm_status s = mm_process_create(m, name, pid);
    if (s == STATUS_SUCCESS)
        s = mm_set_ws_limits(m, *pid, mm_get_config(m)->ws_minimum, mm_frame_count(m));
    if (s == STATUS_SUCCESS)
        s = mm_set_page_priority(m, *pid, priority);
    if (s == STATUS_SUCCESS)
        s = mm_set_modified_no_write(m, *pid, no_write);
    *base = 0;
    uint32_t size = pages * 4096u;
    if (s == STATUS_SUCCESS && pages > 0)
        s = mm_allocate(m, *pid, base, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    for (uint32_t i = 0; s == STATUS_SUCCESS && i < pages; i++)
        s = mm_write32(m, *pid, *base + i * 4096u, 0x6D6D0000u | i);
    return s;
}

/* Written pages that leave the working set at once: to Modified (or
 * Modified no-write). */
static mm_status trimmed(struct mm_machine *m, const char *name, uint32_t pages, bool no_write,
                         unsigned priority)
{
    uint32_t pid;
    mm_va base;
    mm_status s = writer(m, name, pages, priority, no_write, &pid, &base);
    if (s == STATUS_SUCCESS)
        s = mm_set_ws_limits(m, pid, 0xFFFFFFFFu, 0xFFFFFFFFu);
    return s;
}

static mm_status fill(struct mm_machine *m, const struct nt_counts *t, uint32_t frames)
{
    const struct mm_memory_list_info *l = &t->lists;
    static const char *const names[MM_STANDBY_PRIORITIES] = {"standby-0", "standby-1", "standby-2", "standby-3",
                                                             "standby-4", "standby-5", "standby-6", "standby-7"};
    mm_status s = STATUS_SUCCESS;
    for (unsigned p = 0; s == STATUS_SUCCESS && p < MM_STANDBY_PRIORITIES; p++) {
        uint32_t n = scaled(l->page_count_by_priority[p], t->total_pages, frames);
        if (n)
            s = trimmed(m, names[p], n, false, p);
    }
    if (s == STATUS_SUCCESS)
        s = mm_memory_list_command(m, MemoryFlushModifiedList);
    uint32_t n = scaled(l->modified_page_count, t->total_pages, frames);
    if (s == STATUS_SUCCESS && n)
        s = trimmed(m, "modified", n, false, 5);
    n = scaled(l->modified_no_write_page_count, t->total_pages, frames);
    if (s == STATUS_SUCCESS && n)
        s = trimmed(m, "modified-no-write", n, true, 5);
    uint32_t pid;
    mm_va base;
    n = scaled(l->free_page_count, t->total_pages, frames);
    if (s == STATUS_SUCCESS && n) {
        s = writer(m, "freed", n, 5, false, &pid, &base);
        uint32_t size = 0;
        if (s == STATUS_SUCCESS)
            s = mm_free(m, pid, &base, &size, MEM_RELEASE);
    }
    /* Active: whatever of Zeroed the target does not keep. */
    uint32_t zeroed = mm_list_head(m, ZeroedPageList)->total;
    uint32_t keep = scaled(l->zero_page_count, t->total_pages, frames) + 2 * OVERHEAD_PER_PROCESS + frames / 1024;
    if (s == STATUS_SUCCESS && zeroed > keep)
        s = writer(m, "active", zeroed - keep, 5, false, &pid, &base);
    return s;
}

struct mm_machine *nt_sim_build(const struct nt_counts *target, uint32_t frames, const char **why)
{
    struct mm_config c;
    mm_config_default(&c);
    c.frames = frames;
    c.pagefile_pages[0] = frames + frames / 2 < MM_MAX_PAGEFILE_PAGES ? frames + frames / 2 : MM_MAX_PAGEFILE_PAGES;
    struct mm_machine *m = mm_create(&c, why);
    if (!m)
        return NULL;
    mm_status s = fill(m, target, frames);
    if (s != STATUS_SUCCESS) {
        *why = "the simulated machine could not be filled to the real proportions";
        mm_destroy(m);
        return NULL;
    }
    return m;
}
