/*
 * pagetable.h - the life of page-table pages: made when a PTE is first
 * needed, counted by their non-zero entries, paged out and back like any
 * page once they map nothing valid or in transition, freed when the last
 * non-zero entry goes. Reading and writing entries is selfmap.h's.
 */
#ifndef MMSIM_PAGETABLE_H
#define MMSIM_PAGETABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "selfmap.h"

/* Make the page table for va present (NT: MiMakePdeExistAndMakeValid):
 * a PDE in transition or in page-file form brings the table back with a
 * soft or hard fault on the PDE; an empty PDE makes a new zeroed table
 * through the demand-zero fault on the PDE, unless `create` is false.
 * Each is counted and reported as a fault at the table's self-map address
 * (0xC0000000 + pdi * 4096) for `access`. *how says what was done
 * (MM_FAULT_NONE: the table was present; MM_FAULT_PAGE_TABLE: made;
 * MM_FAULT_TRANSITION or MM_FAULT_PAGE_FILE: brought back). Returns
 * STATUS_SUCCESS with *at set; STATUS_NO_MEMORY when no frame can be had;
 * STATUS_NOT_COMMITTED when the PDE is empty and `create` is false. */
mm_status pt_ensure(struct mm_machine *m, struct mm_process *p, mm_va va, enum mm_access_kind access,
                    bool create, struct pte_loc *at, enum mm_fault_kind *how);
/* One fewer non-zero PTE in va's table; the table is freed when the count
 * reaches zero (NT: UsedPageTableEntries). */
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
