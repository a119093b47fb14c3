/*
 * mmpfn.h - the PFN database entry: one 24-byte record per physical
 * frame (NT: MMPFN), the list names and heads (MMLISTS, MMPFNLIST), and
 * why a frame moves. A record format only: the lists' operations are
 * pfn.h's.
 *
 * An entry (NT i386 layout, 6 x 32 bits):
 *
 *   +0  u1  Flink (next frame)   | WsIndex (working-set list index)
 *   +4      PteAddress (VA of the PTE that maps this frame, via the self-map)
 *   +8  u2  Blink (previous)     | ShareCount
 *   +12 u3  ReferenceCount (16)  + flags (16): Modified, ReadInProgress,
 *           WriteInProgress, PrototypePte, PageColor, PageLocation, ...
 *   +16     OriginalPte (the software PTE to restore when the page leaves)
 *   +20 u4  PteFrame (20) | InPageError | Priority (3) | spare
 *
 * The overlays are the point: a page on a list has no working-set index and
 * no sharers, so the list links reuse those words. A page in use by a working
 * set has no list links. Which member of each union is meaningful is decided
 * by PageLocation: the Flink/Blink members on Zeroed, Free, Standby, Modified,
 * ModifiedNoWrite and Bad; WsIndex/ShareCount when ActiveAndValid or
 * Transition (I/O in progress).
 */
#ifndef MMSIM_MMPFN_H
#define MMSIM_MMPFN_H

#include <stdbool.h>
#include <stdint.h>

#include "pte.h"

#define MM_EMPTY_LIST 0xFFFFFFFFu  /* end of a list (NT: MM_EMPTY_LIST) */

/* PageLocation: which list the frame is on (NT: MMLISTS). */
enum mm_list {
    ZeroedPageList = 0,
    FreePageList = 1,
    StandbyPageList = 2,
    ModifiedPageList = 3,
    ModifiedNoWritePageList = 4,
    BadPageList = 5,
    ActiveAndValid = 6,
    TransitionPage = 7,     /* I/O in progress, on no list */
    MM_LIST_COUNT = 8
};

#define MM_STANDBY_PRIORITIES 8
#define MM_DEFAULT_PRIORITY   5   /* MEMORY_PRIORITY_NORMAL */

struct mmpfn {
    union {
        uint32_t flink;      /* on a list: next frame or MM_EMPTY_LIST */
        uint32_t ws_index;   /* active: index of its WSLE in the owner's list */
    } u1;
    uint32_t pte_address;    /* VA of the mapping PTE (0xC0000000 + vpn*4) */
    union {
        uint32_t blink;      /* on a list: previous frame or MM_EMPTY_LIST */
        uint32_t share_count;/* active: mappings (for a table: live entries + 1) */
    } u2;
    struct {
        uint16_t reference_count; /* 1 while ShareCount > 0, +1 per I/O */
        uint16_t flags;           /* PFN_* bits below */
    } u3;
    mm_pte original_pte;     /* software PTE to put back when the frame is reused */
    uint32_t u4;             /* PteFrame | InPageError | Priority, see below */
};

_Static_assert(sizeof(struct mmpfn) == 24, "the PFN entry is 24 bytes, as in NT i386");

/* u3 flag bits (NT: MMPFNENTRY) */
#define PFN_MODIFIED          0x0001u
#define PFN_READ_IN_PROGRESS  0x0002u
#define PFN_WRITE_IN_PROGRESS 0x0004u
#define PFN_PROTOTYPE_PTE     0x0008u
#define PFN_COLOR_MASK        0x00F0u   /* SIMPLIFIED: no page colours, always 0 */
#define PFN_LOCATION_SHIFT    8u
#define PFN_LOCATION_MASK     0x0700u
#define PFN_REMOVAL_REQUESTED 0x0800u
#define PFN_PARITY_ERROR      0x8000u

/* u4 fields */
#define PFN_PTE_FRAME_MASK    0x000FFFFFu
#define MM_SYSTEM_PTE_FRAME   0x000FFFFFu  /* PteFrame of a paged-pool page: mapped by the
                                              system's tables, which mmsim does not model */
#define PFN_IN_PAGE_ERROR     0x00100000u
#define PFN_PRIORITY_SHIFT    21u
#define PFN_PRIORITY_MASK     (7u << PFN_PRIORITY_SHIFT)
#define PFN_NO_WRITE          0x01000000u  /* SIMPLIFIED: dirty -> ModifiedNoWrite */

static inline enum mm_list pfn_location(const struct mmpfn *p)
{
    return (enum mm_list)((p->u3.flags & PFN_LOCATION_MASK) >> PFN_LOCATION_SHIFT);
}
static inline void pfn_set_location(struct mmpfn *p, enum mm_list loc)
{
    p->u3.flags = (uint16_t)((p->u3.flags & ~PFN_LOCATION_MASK) |
                             (((unsigned)loc << PFN_LOCATION_SHIFT) & PFN_LOCATION_MASK));
}
static inline bool pfn_flag(const struct mmpfn *p, unsigned flag) { return (p->u3.flags & flag) != 0; }
static inline void pfn_set_flag(struct mmpfn *p, unsigned flag) { p->u3.flags = (uint16_t)(p->u3.flags | flag); }
static inline void pfn_clear_flag(struct mmpfn *p, unsigned flag) { p->u3.flags = (uint16_t)(p->u3.flags & ~flag); }
static inline mm_pfn pfn_pte_frame(const struct mmpfn *p) { return p->u4 & PFN_PTE_FRAME_MASK; }
static inline void pfn_set_pte_frame(struct mmpfn *p, mm_pfn f)
{
    p->u4 = (p->u4 & ~PFN_PTE_FRAME_MASK) | (f & PFN_PTE_FRAME_MASK);
}
static inline unsigned pfn_priority(const struct mmpfn *p)
{
    return (p->u4 & PFN_PRIORITY_MASK) >> PFN_PRIORITY_SHIFT;
}
static inline void pfn_set_priority(struct mmpfn *p, unsigned prio)
{
    p->u4 = (p->u4 & ~PFN_PRIORITY_MASK) | ((prio << PFN_PRIORITY_SHIFT) & PFN_PRIORITY_MASK);
}

/* A list head (NT: MMPFNLIST). */
struct mm_list_head {
    uint32_t total;
    enum mm_list name;
    mm_pfn first;   /* Flink */
    mm_pfn last;    /* Blink */
};

/* Why a frame moved; carried in the page-move event. */
enum mm_move_reason {
    MOVE_BOOT,
    MOVE_DEMAND_ZERO,      /* taken for a demand-zero fault */
    MOVE_PAGE_TABLE,       /* taken for a new page table or directory */
    MOVE_PAGE_IN,          /* taken to read a page from the paging file */
    MOVE_SOFT_FAULT,       /* transition page returned to a working set */
    MOVE_REPURPOSE,        /* standby page taken for another use */
    MOVE_TRIM,             /* left its working set */
    MOVE_WRITTEN,          /* the modified page writer wrote it */
    MOVE_ZEROED,           /* the zero page thread zeroed it */
    MOVE_DELETED,          /* its PTE was deleted (free, release, exit) */
    MOVE_PURGED,           /* memory-list command purged it */
    MOVE_CLUSTER,          /* read ahead as part of an in-page cluster */
    MOVE_BAD,              /* marked bad */
    MOVE_REPLACE,          /* replaced at its working set's maximum */
    MOVE_PROTECT,          /* left its working set for PAGE_NOACCESS/PAGE_GUARD */
    MOVE_PROCESS,          /* taken for a process's directory, hyperspace or list */
    MOVE_POOL,             /* taken for paged pool: a page of a section's prototype PTEs */
    MOVE_COPY_ON_WRITE,    /* taken for a private copy of a copy-on-write page */
    MOVE_REASON_COUNT
};

#endif
