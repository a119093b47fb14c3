/*
 * mpw.c - the modified page writer. Dirty pages that left their working
 * sets wait on the Modified list; the writer gives each a paging-file slot,
 * writes them out in clusters, records the slot in the page's OriginalPte
 * and moves the page to the tail of Standby: clean now, reusable at once,
 * and still in memory for a transition fault. ModifiedNoWrite pages stay.
 */
#include "mpw.h"

#include "pfn.h"
#include "section.h"
#include "selfmap.h"

/* The paging file for the next cluster: round-robin from the one after
 * the last used, skipping full files; false when all are full. */
static bool choose_file(struct mm_machine *m, uint32_t *file)
{
    for (uint32_t n = 0; n < m->pagefile_count; n++) {
        uint32_t f = (m->pagefile_next + n) % m->pagefile_count;
        if (m->pagefile[f].used + 1 < m->pagefile[f].size) {
            *file = f;
            return true;
        }
    }
    return false;
}

/* SIMPLIFIED: the write completes at once and never fails; NT queues an
 * asynchronous I/O and handles errors. */
static void write_page(struct mm_machine *m, mm_pfn frame, uint32_t file, uint32_t slot)
{
    struct mmpfn *p = &m->pfn[frame];
    pfn_unlink(m, frame, TransitionPage, MOVE_WRITTEN);
    pfn_set_flag(p, PFN_WRITE_IN_PROGRESS);
    p->u3.reference_count = 1;
    /* the frame's bytes as they are (NULL: all zeros, nothing to copy) */
    if (!pagefile_store(&m->pagefile[file], slot, m->phys.page[frame]))
        mm_host_exhausted(__func__, "a page written to a paging file");
    if (ev_on(m)) {
        struct mm_process *owner = process_by_directory(
            m, pfn_pte_frame(&m->pfn[pfn_pte_frame(p)]));
        ev_io(m, owner ? owner->pid : 0, true, file, slot, frame);
    }
    p->original_pte = pte_make_software(pte_protection(p->original_pte), file, slot);
    pfn_clear_flag(p, PFN_WRITE_IN_PROGRESS | PFN_MODIFIED);
    pfn_insert(m, StandbyPageList, frame, MOVE_WRITTEN);
    m->pages_written++;
}

/* The first page on the Modified list from `f` on that goes to a paging
 * file (pages of mapped files are the mapped page writer's). */
static mm_pfn next_for_pagefile(const struct mm_machine *m, mm_pfn f)
{
    while (f != MM_EMPTY_LIST && (m->pfn[f].original_pte & PTE_PROTOTYPE))
        f = m->pfn[f].u1.flink;
    return f;
}

uint32_t mpw_write_cluster(struct mm_machine *m)
{
    uint32_t written = 0, file, first_slot = 0;
    if (m->modified_pagefile == 0 || !choose_file(m, &file))
        return 0;
    /* one cluster goes to one file, in the slots the file hands out */
    while (written < m->cfg.write_cluster) {
        mm_pfn f = next_for_pagefile(m, m->list[ModifiedPageList].first);
        if (f == MM_EMPTY_LIST)
            break;
        uint32_t slot = pagefile_alloc(&m->pagefile[file]);
        if (slot == PAGEFILE_NO_SLOT)
            break;
        if (written == 0)
            first_slot = slot;
        write_page(m, f, file, slot);
        written++;
    }
    m->pagefile_next = (file + 1) % m->pagefile_count;
    if (written && ev_on(m))
        ev_thread(m, MM_THREAD_MODIFIED_WRITER, MM_THREAD_CLUSTER, 0, written, file, first_slot, 0);
    return written;
}

uint32_t mpw_write_mapped(struct mm_machine *m, uint32_t limit)
{
    uint32_t written = 0;
    mm_pfn f = m->list[ModifiedPageList].first;
    while (f != MM_EMPTY_LIST && written < limit) {
        mm_pfn next = m->pfn[f].u1.flink;
        if (m->pfn[f].original_pte & PTE_PROTOTYPE) {
            pfn_unlink(m, f, TransitionPage, MOVE_WRITTEN);
            section_write_to_file(m, f);
            pfn_insert(m, StandbyPageList, f, MOVE_WRITTEN);
            written++;
        }
        f = next;
    }
    return written;
}

uint32_t mpw_mapped_run(struct mm_machine *m, enum mm_wake_reason why)
{
    if (ev_on(m))
        ev_thread(m, MM_THREAD_MAPPED_WRITER, MM_THREAD_WAKE, 0, 0, 0, 0, why);
    uint32_t total = mpw_write_mapped(m, UINT32_MAX);
    m->wake[MM_THREAD_MAPPED_WRITER] = false;
    if (ev_on(m))
        ev_thread(m, MM_THREAD_MAPPED_WRITER, MM_THREAD_DONE, 0, total, 0, 0, why);
    return total;
}

uint32_t mpw_run(struct mm_machine *m, enum mm_wake_reason why, bool all)
{
    uint32_t total = 0, n;
    if (ev_on(m))
        ev_thread(m, MM_THREAD_MODIFIED_WRITER, MM_THREAD_WAKE, 0, 0, 0, 0, why);
    while ((all || m->modified_pagefile >= m->cfg.write_cluster) && (n = mpw_write_cluster(m)) > 0)
        total += n;
    m->wake[MM_THREAD_MODIFIED_WRITER] = false;
    if (ev_on(m))
        ev_thread(m, MM_THREAD_MODIFIED_WRITER, MM_THREAD_DONE, 0, total, 0, 0, why);
    /* pages of mapped files go to the mapped page writer, which the
     * modified page writer hands them to (SIMPLIFIED: at once, all of them) */
    if (m->list[ModifiedPageList].total > m->modified_pagefile)
        total += mpw_mapped_run(m, why);
    return total;
}
