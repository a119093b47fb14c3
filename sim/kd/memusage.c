/*
 * memusage.c - !memusage: every PFN entry counted by its PageLocation, as
 * the debugger's summary prints them, in pages and KB:
 *
 *                Zeroed:       27 (     108 kb)
 *                  Free:        0 (       0 kb)
 *               ...
 *                 TOTAL:       32 (     128 kb)
 *
 * then Standby by priority, which the real extension does not print
 * (Process Explorer and RAMMap show it; mmsim adds it here).
 */
#include "kd.h"

static void line(struct kd_out *o, const char *name, uint32_t pages)
{
    kd_printf(o, "%19s: %8u (%8u kb)\n", name, pages, pages * 4);
}

mm_status kd_memusage(struct kd_out *o, const struct mm_machine *m)
{
    /* the debugger scans the database rather than trusting the list heads */
    uint32_t count[MM_LIST_COUNT] = {0}, unknown = 0, frames = mm_frame_count(m);
    for (mm_pfn f = 0; f < frames; f++) {
        enum mm_list loc = pfn_location(mm_pfn_entry(m, f));
        if ((unsigned)loc < MM_LIST_COUNT)
            count[loc]++;
        else
            unknown++;
    }
    line(o, "Zeroed", count[ZeroedPageList]);
    line(o, "Free", count[FreePageList]);
    line(o, "Standby", count[StandbyPageList]);
    line(o, "Modified", count[ModifiedPageList]);
    line(o, "ModifiedNoWrite", count[ModifiedNoWritePageList]);
    line(o, "Active/Valid", count[ActiveAndValid]);
    line(o, "Transition", count[TransitionPage]);
    line(o, "SLIST/Temp", 0);   /* mmsim keeps no pages on SLISTs */
    line(o, "Bad", count[BadPageList]);
    line(o, "Unknown", unknown);
    line(o, "TOTAL", frames);
    kd_printf(o, "\n");
    for (unsigned p = 0; p < MM_STANDBY_PRIORITIES; p++) {
        char name[24];
        snprintf(name, sizeof name, "Standby priority %u", p);
        line(o, name, mm_standby_head(m, p)->total);
    }
    return STATUS_SUCCESS;
}
