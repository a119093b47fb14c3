/*
 * memlist.c - the memory-list commands and query behind
 * NtSetSystemInformation / NtQuerySystemInformation with
 * SystemMemoryListInformation (class 80). The numbers are NT's
 * SYSTEM_MEMORY_LIST_COMMAND values.
 */
#include <string.h>

#include "mm.h"
#include "mpw.h"
#include "selfmap.h"

/* SIMPLIFIED: NT documents these commands as capturing the accessed bits
 * of file-backed working-set entries, recorded in the PFN database for
 * the prefetcher's page-use tracking; what they do to private pages is not
 * confirmed. mmsim has only private pages, so it applies them to those and
 * records the bits the way trimming uses them: an accessed page's
 * working-set age becomes 0. Page tables are left alone. */
static void capture_accessed_bits(struct mm_machine *m, bool reset)
{
    for (uint32_t i = 0; i < m->process_slots; i++) {
        struct mm_process *p = &m->process[i];
        if (!p->live)
            continue;
        for (uint32_t w = p->ws.first_dynamic; w <= p->ws.last_entry; w++) {
            mm_wsle e = p->ws.wsle[w];
            struct pte_loc at;
            if (!wsle_valid(e) || is_page_table_va(wsle_va(e)) || !pt_pte_loc(m, p, wsle_va(e), &at))
                continue;
            mm_pte pte = pt_read(m, at);
            if (!(pte & PTE_ACCESSED))
                continue;
            p->ws.wsle[w] = e & ~WSLE_AGE_MASK;
            if (reset)
                pt_write(m, at, pte & ~PTE_ACCESSED, false);
        }
    }
}

/* MemoryEmptyWorkingSets: every working set down to what cannot leave. */
static void empty_working_sets(struct mm_machine *m)
{
    for (uint32_t i = 0; i < m->process_slots; i++)
        if (m->process[i].live)
            ws_empty(m, &m->process[i]);
}

/* MemoryPurgeStandbyList / MemoryPurgeLowPriorityStandbyList: standby
 * pages go to Free and their owners' PTEs back to paging-file form. */
static void purge_standby(struct mm_machine *m, unsigned highest_priority)
{
    for (unsigned prio = 0; prio <= highest_priority; prio++) {
        mm_pfn f;
        while ((f = m->standby[prio].first) != MM_EMPTY_LIST) {
            pfn_restore_transition_pte(m, f);
            m->pfn[f].original_pte = 0;
            m->pfn[f].pte_address = 0;
            pfn_set_pte_frame(&m->pfn[f], 0);
            pfn_move(m, f, FreePageList, MOVE_PURGED);
        }
    }
}

mm_status mm_memory_list_command(struct mm_machine *m, uint32_t command)
{
    switch (command) {
    case MemoryCaptureAccessedBits:
        capture_accessed_bits(m, false);
        break;
    case MemoryCaptureAndResetAccessedBits:
        capture_accessed_bits(m, true);
        break;
    case MemoryEmptyWorkingSets:
        empty_working_sets(m);
        break;
    case MemoryFlushModifiedList:
        mpw_run(m, MM_WAKE_ASKED, true);
        break;
    case MemoryPurgeStandbyList:
        purge_standby(m, MM_STANDBY_PRIORITIES - 1);
        break;
    case MemoryPurgeLowPriorityStandbyList:
        purge_standby(m, 0);
        break;
    default:
        return STATUS_INVALID_PARAMETER;
    }
    return STATUS_SUCCESS;
}

void mm_memory_list_query(const struct mm_machine *m, struct mm_memory_list_info *info)
{
    info->zero_page_count = m->list[ZeroedPageList].total;
    info->free_page_count = m->list[FreePageList].total;
    info->modified_page_count = m->list[ModifiedPageList].total;
    info->modified_no_write_page_count = m->list[ModifiedNoWritePageList].total;
    info->bad_page_count = m->list[BadPageList].total;
    for (unsigned i = 0; i < MM_STANDBY_PRIORITIES; i++) {
        info->page_count_by_priority[i] = m->standby[i].total;
        info->repurposed_pages_by_priority[i] = m->repurposed[i];
    }
    /* every modified page of private memory is bound for a paging file */
    info->modified_page_count_page_file = m->modified_pagefile;   /* pages of mapped files go elsewhere */
}

const char *mm_memory_list_command_name(uint32_t command)
{
    static const char *const names[] = {
        "MemoryCaptureAccessedBits", "MemoryCaptureAndResetAccessedBits", "MemoryEmptyWorkingSets",
        "MemoryFlushModifiedList",   "MemoryPurgeStandbyList",            "MemoryPurgeLowPriorityStandbyList",
    };
    return command < MemoryCommandMax ? names[command] : NULL;
}

const char *const mm_memory_list_command_keys[MemoryCommandMax] = {
    "capture_accessed_bits", "capture_and_reset_accessed_bits", "empty_working_sets",
    "flush_modified_list",   "purge_standby_list",              "purge_low_priority_standby_list",
};

int mm_memory_list_command_from_name(const char *name)
{
    for (uint32_t c = 0; c < MemoryCommandMax; c++)
        if (strcmp(name, mm_memory_list_command_keys[c]) == 0 || strcmp(name, mm_memory_list_command_name(c)) == 0)
            return (int)c;
    return -1;
}
