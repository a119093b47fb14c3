/*
 * zero.c - the zero page thread: takes pages from the Free list, fills
 * them with zeros and puts them on the Zeroed list, so demand-zero faults
 * find ready pages (NT: MmZeroPageThread, priority 0, woken when the Free
 * list reaches MmMinimumFreePagesToZero).
 */
#include "zero.h"

#include "pfn.h"

uint32_t zero_run(struct mm_machine *m, enum mm_wake_reason why)
{
    uint32_t zeroed = 0;
    if (ev_on(m))
        ev_thread(m, MM_THREAD_ZERO_PAGE, MM_THREAD_WAKE, 0, 0, 0, 0, why);
    mm_pfn f;
    while ((f = m->list[FreePageList].first) != MM_EMPTY_LIST) {
        phys_zero(&m->phys, f);   /* NT maps it in hyperspace and memsets it */
        pfn_move(m, f, ZeroedPageList, MOVE_ZEROED);
        zeroed++;
    }
    m->pages_zeroed += zeroed;
    m->wake[MM_THREAD_ZERO_PAGE] = false;
    if (ev_on(m))
        ev_thread(m, MM_THREAD_ZERO_PAGE, MM_THREAD_DONE, 0, zeroed, 0, 0, why);
    return zeroed;
}
