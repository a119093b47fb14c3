/*
 * pfn.c - !pfn: one entry of the PFN database (MMPFN), word by word as the
 * debugger prints it on x86:
 *
 *       PFN 00000004 at address 81000060
 *       flink       00000004  blink / share count 00000001  pteaddress C0000040
 *       reference count 0001   Cached     color 0   Priority 5
 *       restore pte 00000080  containing page 000003  Active     M
 *       Modified
 *
 * The flink word is the WsIndex and the blink word the ShareCount while
 * the page is active (NT overlays them); both are printed raw, as there.
 */
#include "kd.h"

/* Where the PFN database starts in system space. SIMPLIFIED: mmsim's
 * database has no virtual address; this is a value real x86 systems
 * without PAE have used, so "at address" reads like the debugger's. */
#define KD_PFN_DATABASE 0x81000000u

static const char *location_name(enum mm_list loc)
{
    static const char *const names[MM_LIST_COUNT] = {
        [ZeroedPageList] = "Zeroed",   [FreePageList] = "Free",
        [StandbyPageList] = "Standby", [ModifiedPageList] = "Modified",
        [ModifiedNoWritePageList] = "ModifiedNoWrite", [BadPageList] = "Bad",
        [ActiveAndValid] = "Active",   [TransitionPage] = "Transition",
    };
    return (unsigned)loc < MM_LIST_COUNT ? names[loc] : "?";
}

/* The flags: one letter each after the location, and their names below. */
static const struct {
    unsigned bit;
    char letter;
    const char *name;
} pfn_flags[] = {
    {PFN_MODIFIED, 'M', "Modified"},
    {PFN_PROTOTYPE_PTE, 'P', "Shared"},
    {PFN_READ_IN_PROGRESS, 'R', "ReadInProgress"},
    {PFN_WRITE_IN_PROGRESS, 'W', "WriteInProgress"},
    {PFN_REMOVAL_REQUESTED, 0, "RemovalRequested"},
    {PFN_PARITY_ERROR, 0, "ParityError"},
};

mm_status kd_pfn(struct kd_out *o, const struct mm_machine *m, mm_pfn frame)
{
    const struct mmpfn *p = mm_pfn_entry(m, frame);
    if (!p) {
        kd_printf(o, "%x is not a page frame of this machine (frames 0 to %x)\n", frame, mm_frame_count(m) - 1);
        return STATUS_INVALID_PARAMETER;
    }
    char letters[8] = "";
    size_t n = 0;
    for (size_t i = 0; i < sizeof pfn_flags / sizeof pfn_flags[0]; i++)
        if (pfn_flag(p, pfn_flags[i].bit) && pfn_flags[i].letter)
            letters[n++] = pfn_flags[i].letter;
    letters[n] = '\0';

    kd_printf(o, "    PFN %08X at address %08X\n", frame, KD_PFN_DATABASE + frame * (uint32_t)sizeof *p);
    kd_printf(o, "    flink       %08X  blink / share count %08X  pteaddress %08X\n", p->u1.flink, p->u2.blink,
              p->pte_address);
    kd_printf(o, "    reference count %04X   Cached     color %u   Priority %u\n", p->u3.reference_count,
              (p->u3.flags & PFN_COLOR_MASK) >> 4, pfn_priority(p));
    kd_printf(o, "    restore pte %08X  containing page %06X  %-*s%s\n", p->original_pte, pfn_pte_frame(p),
              n ? 11 : 0, location_name(pfn_location(p)), letters);
    const char *sep = "    ";
    bool any = false;
    for (size_t i = 0; i < sizeof pfn_flags / sizeof pfn_flags[0]; i++)
        if (pfn_flag(p, pfn_flags[i].bit)) {
            kd_printf(o, "%s%s", sep, pfn_flags[i].name);
            sep = " ";
            any = true;
        }
    if (p->u4 & PFN_IN_PAGE_ERROR) {
        kd_printf(o, "%sInPageError", sep);
        any = true;
    }
    if (any)
        kd_printf(o, "\n");
    return STATUS_SUCCESS;
}
