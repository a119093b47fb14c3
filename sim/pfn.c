/*
 * pfn.c - the PFN database and the page lists.
 *
 * The life of a frame. Each edge names the function in this file that
 * performs it (docs/page-states.md names their callers):
 *
 *   Zeroed --pfn_take_zeroed--------------------------------> Active
 *     ^      (demand-zero fault, new page table)                 |
 *     |                                                          | pfn_decrement_share
 *   pfn_move (zero page thread)                                  | (last mapping gone:
 *     |                                                          |  trim, replacement)
 *   Free --pfn_take_any--> Transition (read in progress)         v
 *     ^                       |  pfn_make_active          clean: Standby[priority]
 *     |                       +--------------------> Active  dirty: Modified
 *     |                                                        (or ModifiedNoWrite)
 *     |   pfn_unlink (transition fault): Standby or Modified ----> Active
 *     |   pfn_unlink + pfn_insert (modified page writer):
 *     |        Modified --> Transition (write in progress) --> Standby
 *     |   pfn_take_zeroed / pfn_take_any, when Zeroed and Free are empty:
 *     |        Standby --pfn_restore_transition_pte--> Active or Transition
 *     |        (the old owner's PTE goes back to its paging-file form)
 *     +-- pfn_delete: any page whose PTE is deleted (free, release, exit)
 *     +-- pfn_move: purge of the Standby list (memlist.c)
 *
 * Bad frames sit on the Bad list and are never handed out.
 */
#include "pfn.h"

#include "machine.h"
#include "mm.h"
#include "selfmap.h"

const char *pfn_list_name(enum mm_list list)
{
    static const char *const names[MM_LIST_COUNT] = {
        "Zeroed", "Free", "Standby", "Modified", "ModifiedNoWrite", "Bad", "Active", "Transition",
    };
    return (unsigned)list < MM_LIST_COUNT ? names[list] : "?";
}

const char *pfn_move_reason_name(enum mm_move_reason why)
{
    static const char *const names[MOVE_REASON_COUNT] = {
        "boot",    "demand-zero", "page-table", "page-in", "transition-fault", "repurpose", "trim",
        "written", "zeroed",      "deleted",    "purged",  "cluster",    "bad",
        "replace", "protect",     "process",    "paged-pool", "copy-on-write",
    };
    return (unsigned)why < MOVE_REASON_COUNT ? names[why] : "?";
}

static struct mm_list_head *head_for(struct mm_machine *m, enum mm_list list, unsigned prio)
{
    return list == StandbyPageList ? &m->standby[prio] : &m->list[list];
}

static bool is_list(enum mm_list l) { return l <= BadPageList; }

/* Leaving ActiveAndValid or TransitionPage: keep the counters right. */
static void leave_state(struct mm_machine *m, enum mm_list from)
{
    if (from == ActiveAndValid)
        m->active_frames--;
    else if (from == TransitionPage)
        m->transition_frames--;
}

static void enter_state(struct mm_machine *m, enum mm_list to)
{
    if (to == ActiveAndValid)
        m->active_frames++;
    else if (to == TransitionPage)
        m->transition_frames++;
}

/* ---- The list primitive pair: all list surgery in mmsim is here. ---- */

/* Link at the tail of a list: lists are FIFO, so Standby repurposes its
 * oldest page first and the writer writes the oldest Modified page first. */
static inline void link_tail(struct mm_machine *m, enum mm_list list, mm_pfn frame)
{
    struct mmpfn *p = &m->pfn[frame];
    struct mm_list_head *h = head_for(m, list, pfn_priority(p));
    p->u3.reference_count = 0;
    p->u1.flink = MM_EMPTY_LIST;
    p->u2.blink = h->last;
    if (h->last == MM_EMPTY_LIST)
        h->first = frame;
    else
        m->pfn[h->last].u1.flink = frame;
    h->last = frame;
    h->total++;
    if (list == StandbyPageList)
        m->list[StandbyPageList].total++;
    else if (list == ModifiedPageList && !(p->original_pte & PTE_PROTOTYPE))
        m->modified_pagefile++;
    pfn_set_location(p, list);
}

static inline void unlink_from(struct mm_machine *m, mm_pfn frame)
{
    struct mmpfn *p = &m->pfn[frame];
    enum mm_list from = pfn_location(p);
    struct mm_list_head *h = head_for(m, from, pfn_priority(p));
    mm_pfn next = p->u1.flink, prev = p->u2.blink;
    if (prev == MM_EMPTY_LIST)
        h->first = next;
    else
        m->pfn[prev].u1.flink = next;
    if (next == MM_EMPTY_LIST)
        h->last = prev;
    else
        m->pfn[next].u2.blink = prev;
    h->total--;
    if (from == StandbyPageList)
        m->list[StandbyPageList].total--;
    else if (from == ModifiedPageList && !(p->original_pte & PTE_PROTOTYPE))
        m->modified_pagefile--;
    p->u1.ws_index = 0;
    p->u2.share_count = 0;
}

/* pfn_insert's work, inline in pfn_decrement_share (every page that
 * leaves its last working set). */
static inline __attribute__((always_inline)) void insert_page(struct mm_machine *m, enum mm_list list, mm_pfn frame,
                                                              enum mm_move_reason why)
{
    struct mmpfn *p = &m->pfn[frame];
    enum mm_list from = pfn_location(p);
    MM_ASSERT(is_list(list) && !is_list(from));
    if (pfn_flag(p, PFN_PARITY_ERROR) && list != ModifiedPageList &&
        list != ModifiedNoWritePageList) {
        /* never reuse a frame with a parity error: a clean page gives its
         * owner back the paging-file copy and the frame is retired */
        if (list == StandbyPageList)
            pfn_restore_transition_pte(m, frame);
        p->original_pte = 0;
        p->pte_address = 0;
        pfn_set_pte_frame(p, 0);
        list = BadPageList;
    }
    leave_state(m, from);
    link_tail(m, list, frame);
    if (ev_on(m))
        ev_page_move(m, frame, from, pfn_priority(p), list, pfn_priority(p), why);
}

/* NT: MiInsertPageInList. The frame comes from ActiveAndValid (its last
 * share gone) or TransitionPage (I/O done). */
void pfn_insert(struct mm_machine *m, enum mm_list list, mm_pfn frame, enum mm_move_reason why)
{
    insert_page(m, list, frame, why);
}

/* NT: MiUnlinkPageFromList. */
void pfn_unlink(struct mm_machine *m, mm_pfn frame, enum mm_list to, enum mm_move_reason why)
{
    struct mmpfn *p = &m->pfn[frame];
    enum mm_list from = pfn_location(p);
    MM_ASSERT(is_list(from) && !is_list(to));
    unlink_from(m, frame);
    pfn_set_location(p, to);
    enter_state(m, to);
    if (ev_on(m))
        ev_page_move(m, frame, from, pfn_priority(p), to, pfn_priority(p), why);
}

/* List to list in one step (zero page thread, purges). */
void pfn_move(struct mm_machine *m, mm_pfn frame, enum mm_list to, enum mm_move_reason why)
{
    struct mmpfn *p = &m->pfn[frame];
    enum mm_list from = pfn_location(p);
    unsigned prio = pfn_priority(p);
    MM_ASSERT(is_list(from) && is_list(to));
    unlink_from(m, frame);
    link_tail(m, to, frame);
    if (ev_on(m))
        ev_page_move(m, frame, from, prio, to, pfn_priority(p), why);
}

/* Take a standby frame from its owner (NT: MiRestoreTransitionPte): the
 * owner's PTE goes back to the software form saved in OriginalPte. */
void pfn_restore_transition_pte(struct mm_machine *m, mm_pfn frame)
{
    struct mmpfn *p = &m->pfn[frame];
    struct pte_loc at = pt_loc_of_frame(m, frame);
    MM_ASSERT(pte_is_transition(pt_read(m, at)) && pte_frame(pt_read(m, at)) == frame);
    pt_write(m, at, p->original_pte, false);
    pfn_decrement_share(m, at.table, MOVE_DELETED);
    pfn_clear_flag(p, PFN_PROTOTYPE_PTE);   /* the frame belongs to nobody now */
}

/* Take the first frame of a standby list, lowest priority first. */
static mm_pfn take_standby(struct mm_machine *m, enum mm_list to)
{
    for (unsigned prio = 0; prio < MM_STANDBY_PRIORITIES; prio++) {
        mm_pfn f = m->standby[prio].first;
        if (f == MM_EMPTY_LIST)
            continue;
        pfn_restore_transition_pte(m, f);
        m->repurposed[prio]++;
        pfn_unlink(m, f, to, MOVE_REPURPOSE);
        m->pfn[f].original_pte = 0;
        return f;
    }
    return MM_EMPTY_LIST;
}

static mm_pfn take_head(struct mm_machine *m, enum mm_list list, enum mm_list to,
                        enum mm_move_reason why)
{
    mm_pfn f = m->list[list].first;
    if (f != MM_EMPTY_LIST)
        pfn_unlink(m, f, to, why);
    return f;
}

/* NT: MiRemoveZeroPage. */
mm_pfn pfn_take_zeroed(struct mm_machine *m, enum mm_move_reason why)
{
    mm_pfn f = take_head(m, ZeroedPageList, ActiveAndValid, why);
    if (f == MM_EMPTY_LIST) {
        f = take_head(m, FreePageList, ActiveAndValid, why);
        if (f == MM_EMPTY_LIST)
            f = take_standby(m, ActiveAndValid);
        if (f != MM_EMPTY_LIST) {
            phys_zero(&m->phys, f);   /* never hand out another page's bytes */
            m->pages_zeroed++;
        }
    }
    return f;
}

/* NT: MiRemoveAnyPage. The frame is left in TransitionPage (I/O pending). */
mm_pfn pfn_take_any(struct mm_machine *m, enum mm_move_reason why)
{
    enum mm_list to = why == MOVE_COPY_ON_WRITE ? ActiveAndValid : TransitionPage;
    mm_pfn f = take_head(m, FreePageList, to, why);
    if (f == MM_EMPTY_LIST)
        f = take_head(m, ZeroedPageList, to, why);
    if (f == MM_EMPTY_LIST)
        f = take_standby(m, to);
    return f;
}

/* NT: MiInitializePfn. */
void pfn_make_active(struct mm_machine *m, mm_pfn frame, mm_va pte_va, mm_pfn pte_frame,
                     mm_pte original_pte)
{
    struct mmpfn *p = &m->pfn[frame];
    enum mm_list from = pfn_location(p);
    MM_ASSERT(from == ActiveAndValid || from == TransitionPage);
    if (from == TransitionPage) {
        leave_state(m, from);
        enter_state(m, ActiveAndValid);
        pfn_set_location(p, ActiveAndValid);
        if (ev_on(m))
            ev_page_move(m, frame, TransitionPage, pfn_priority(p), ActiveAndValid,
                         pfn_priority(p), MOVE_PAGE_IN);
    }
    p->u1.ws_index = 0;
    p->pte_address = pte_va;
    p->u2.share_count = 1;
    p->u3.reference_count = 1;
    p->original_pte = original_pte;
    pfn_clear_flag(p, PFN_PROTOTYPE_PTE);
    pfn_set_pte_frame(p, pte_frame);
}

/* NT: MiDecrementShareCount. At zero the frame goes to a list: Modified
 * (or ModifiedNoWrite) when its contents exist nowhere else, else Standby. */
void pfn_decrement_share(struct mm_machine *m, mm_pfn frame, enum mm_move_reason why)
{
    struct mmpfn *p = &m->pfn[frame];
    MM_ASSERT(pfn_location(p) == ActiveAndValid && p->u2.share_count > 0);
    if (--p->u2.share_count > 0)
        return;
    if (pfn_flag(p, PFN_PROTOTYPE_PTE)) {
        /* the last process let go of a shared page: its prototype PTE
         * becomes a transition PTE, and the page waits on a list */
        struct pte_loc at = pt_loc_of_frame(m, frame);
        pt_write(m, at, pte_make_transition(frame, pte_protection(p->original_pte)), false);
    }
    if (!pfn_flag(p, PFN_MODIFIED))
        insert_page(m, StandbyPageList, frame, why);
    else if (p->u4 & PFN_NO_WRITE)
        insert_page(m, ModifiedNoWritePageList, frame, why);
    else
        insert_page(m, ModifiedPageList, frame, why);
}

void pfn_mark_modified(struct mm_machine *m, mm_pfn frame)
{
    struct mmpfn *p = &m->pfn[frame];
    pfn_set_flag(p, PFN_MODIFIED);
    if (pte_is_software(p->original_pte) && pte_pagefile_offset(p->original_pte)) {
        pfn_release_pagefile_space(m, p->original_pte);
        p->original_pte = pte_make_demand_zero(pte_protection(p->original_pte));
    }
}

/* The PTE mapping this frame is gone for good: the frame is free, and any
 * paging-file copy of it is released (NT: MiDeletePte's last step). */
void pfn_delete(struct mm_machine *m, mm_pfn frame, enum mm_move_reason why)
{
    struct mmpfn *p = &m->pfn[frame];
    enum mm_list from = pfn_location(p);
    unsigned prio = pfn_priority(p);
    if (is_list(from)) {
        unlink_from(m, frame);
    } else {
        MM_ASSERT(from == ActiveAndValid && p->u2.share_count == 1);
        leave_state(m, from);
    }
    pfn_release_pagefile_space(m, p->original_pte);
    p->original_pte = 0;
    pfn_clear_flag(p, PFN_MODIFIED | PFN_PROTOTYPE_PTE);
    p->u4 &= ~PFN_NO_WRITE;
    p->pte_address = 0;
    pfn_set_pte_frame(p, 0);
    enum mm_list to = pfn_flag(p, PFN_PARITY_ERROR) ? BadPageList : FreePageList;
    link_tail(m, to, frame);
    if (ev_on(m))
        ev_page_move(m, frame, from, prio, to, pfn_priority(p), why);
}

/* NT: MiReleasePageFileSpace. */
void pfn_release_pagefile_space(struct mm_machine *m, mm_pte pte)
{
    if (!pte_is_software(pte) || pte_pagefile_offset(pte) == 0)
        return;
    uint32_t file = pte_pagefile_number(pte), slot = pte_pagefile_offset(pte);
    MM_ASSERT(file < m->pagefile_count && pagefile_slot_used(&m->pagefile[file], slot));
    pagefile_free(&m->pagefile[file], slot);
    if (ev_on(m)) {
        struct mm_event ev = {.kind = MM_EV_PAGEFILE};
        ev.u.io.freed = true;
        ev.u.io.file = file;
        ev.u.io.slot = slot;
        ev.u.io.frame = MM_EMPTY_LIST;
        ev_emit(m, &ev);
    }
}

/* A parity error: the frame is retired to the Bad list now if nothing
 * holds it, else when it is next freed or written. */
mm_status mm_mark_bad(struct mm_machine *m, mm_pfn frame)
{
    if (frame >= m->frames)
        return STATUS_INVALID_PARAMETER;
    struct mmpfn *p = &m->pfn[frame];
    pfn_set_flag(p, PFN_PARITY_ERROR);
    switch (pfn_location(p)) {
    case ZeroedPageList:
    case FreePageList:
        pfn_move(m, frame, BadPageList, MOVE_BAD);
        break;
    case StandbyPageList:
        pfn_restore_transition_pte(m, frame);
        p->original_pte = 0;
        p->pte_address = 0;
        pfn_set_pte_frame(p, 0);
        pfn_move(m, frame, BadPageList, MOVE_BAD);
        break;
    default:
        /* in use or dirty: retired when it is next freed or written */
        break;
    }
    return STATUS_SUCCESS;
}
