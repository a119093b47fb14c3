/*
 * pfn.h - the page lists threaded through the PFN database (NT:
 * MmPfnDatabase and its list heads): the one insert/unlink pair every list
 * change goes through, taking frames for new uses, and giving them back.
 * The entry's format is mmpfn.h's.
 */
#ifndef MMSIM_PFN_H
#define MMSIM_PFN_H

#include <stdbool.h>
#include <stdint.h>

#include "mmpfn.h"

struct mm_machine;

const char *pfn_list_name(enum mm_list list);
const char *pfn_move_reason_name(enum mm_move_reason why);

/* The one list primitive pair: every list change in mmsim goes through
 * these (NT: MiInsertPageInList, MiUnlinkPageFromList). */
void pfn_insert(struct mm_machine *m, enum mm_list list, mm_pfn frame, enum mm_move_reason why);
/* Take a frame off its list into `to` (ActiveAndValid, or TransitionPage
 * while I/O is in progress). */
void pfn_unlink(struct mm_machine *m, mm_pfn frame, enum mm_list to, enum mm_move_reason why);

/* Move a frame from one list straight to another. */
void pfn_move(struct mm_machine *m, mm_pfn frame, enum mm_list to, enum mm_move_reason why);


/* Take a frame for a demand-zero fault: Zeroed, Free (zeroed now), Standby
 * lowest priority first (repurposed, zeroed). MM_EMPTY_LIST if none. */
mm_pfn pfn_take_zeroed(struct mm_machine *m, enum mm_move_reason why);
/* Take a frame that will be overwritten anyway: Free, Zeroed, Standby
 * (NT: MiRemoveAnyPage). A frame for a read (MOVE_PAGE_IN, MOVE_CLUSTER)
 * waits in Transition while the I/O is in flight; one for a copy-on-write
 * copy (MOVE_COPY_ON_WRITE) has no I/O and goes straight to Active. */
mm_pfn pfn_take_any(struct mm_machine *m, enum mm_move_reason why);

/* Make an unlinked frame active: ShareCount 1, ReferenceCount 1, mapped by
 * the PTE at pte_va in table frame pte_frame (NT: MiInitializePfn). */
void pfn_make_active(struct mm_machine *m, mm_pfn frame, mm_va pte_va, mm_pfn pte_frame,
                     mm_pte original_pte);

/* A mapping of `frame` went away (NT: MiDecrementShareCount). At zero the
 * page goes to Modified when dirty, else to Standby at its priority. */
void pfn_decrement_share(struct mm_machine *m, mm_pfn frame, enum mm_move_reason why);

/* The page's contents now exist only in this frame: set Modified and give
 * back any paging-file copy, which is stale (NT: MI_CAPTURE_DIRTY_BIT_TO_PFN with
 * MiReleasePageFileSpace). */
void pfn_mark_modified(struct mm_machine *m, mm_pfn frame);

/* The PTE mapping `frame` was deleted: free it, from a list or from
 * ActiveAndValid with its last share (NT: MiDeletePte's end). */
void pfn_delete(struct mm_machine *m, mm_pfn frame, enum mm_move_reason why);

/* Give a Standby frame's owner back its PTE in page-file form (NT:
 * MiRestoreTransitionPte). Taking the frame for another use counts as a
 * repurpose (pfn_take_*); a purge does not. */
void pfn_restore_transition_pte(struct mm_machine *m, mm_pfn frame);

/* Give back the paging-file slot named by a software PTE, if it names one
 * (NT: MiReleasePageFileSpace); emits the slot-freed event. */
void pfn_release_pagefile_space(struct mm_machine *m, mm_pte software_pte);

#endif
