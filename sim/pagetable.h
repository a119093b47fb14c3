/*
 * pagetable.h - the life of page-table pages: made when a PTE is first
 * needed, counted by their non-zero entries, freed when the last goes.
 * Reading and writing entries is selfmap.h's.
 */
#ifndef MMSIM_PAGETABLE_H
#define MMSIM_PAGETABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "selfmap.h"

/* Make the page table for va present, creating a zeroed one when the PDE
 * is empty (NT: MiMakePdeExistAndMakeValid). Fails only for lack of a frame. */
mm_status pt_ensure(struct mm_machine *m, struct mm_process *p, mm_va va, struct pte_loc *at,
                    bool *created);
/* Count one more / one fewer non-zero PTE in va's table; the table is
 * freed when the count reaches zero (NT: UsedPageTableEntries). */
void pt_use(struct mm_process *p, mm_va va);
void pt_unuse(struct mm_machine *m, struct mm_process *p, mm_va va);

/* Free va's page table if it maps nothing (a fault built it, then failed). */
void pt_delete_if_unused(struct mm_machine *m, struct mm_process *p, mm_va va);

/* Delete whatever the PTE refers to and write `replacement` (0 or the
 * decommit PTE): a valid page leaves the working set and is freed, a
 * transition page is taken off its list and freed, a paging-file slot is
 * released (NT: MiDeletePte / MiDeleteVirtualAddresses). Commit accounting
 * is the caller's. */
void pt_delete_pte(struct mm_machine *m, struct mm_process *p, struct pte_loc at, mm_pte replacement);

#endif
