/*
 * pagetable.h - reading and writing PDEs and PTEs, the self-map, and the
 * life of page-table pages.
 *
 * Each process's page directory maps itself at PDE 0x300 (the self-map),
 * so every page table of the process is visible at
 *     PTE address of va = 0xC0000000 + (va >> 12) * 4
 * and the directory itself at 0xC0300000 (its own PDE at 0xC0300C00).
 * SIMPLIFIED: only user space (below 0x80000000) is mapped, plus the
 * self-map and hyperspace; there is no system space.
 *
 * The PFN entry of a mapped frame records that PTE address (PteAddress)
 * and the frame of the table that holds it (PteFrame); together they name
 * the PTE's physical location, whichever process is current.
 */
#ifndef MMSIM_PAGETABLE_H
#define MMSIM_PAGETABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"

#define PTE_BASE          0xC0000000u
#define PDE_BASE          0xC0300000u
#define PDE_SELFMAP_INDEX 0x300u
#define PDE_SELFMAP_VA    0xC0300C00u
#define HYPERSPACE_BASE   0xC0400000u
#define HYPERSPACE_PDI    0x301u
#define WSL_VA            0xC0502000u   /* the working-set list, inside hyperspace (NT 4) */
#define MM_LOWEST_USER_ADDRESS  0x00010000u
#define MM_HIGHEST_USER_ADDRESS 0x7FFEFFFFu
#define MM_USER_RESERVE_LIMIT   0x7FFE0000u   /* the shared user data page starts here */
#define MM_ALLOCATION_GRANULARITY 0x10000u

static inline mm_va pte_address(mm_va va) { return PTE_BASE + (va >> 12) * 4u; }
static inline mm_va pde_address(mm_va va) { return PDE_BASE + (va >> 22) * 4u; }
/* The address a PTE at pte_va maps (MiGetVirtualAddressMappedByPte). */
static inline mm_va pte_mapped_va(mm_va pte_va) { return (pte_va - PTE_BASE) << 10; }
/* The self-map address of page table pdi (the "VA" of a page-table page). */
static inline mm_va page_table_va(uint32_t pdi) { return PTE_BASE + pdi * PAGE_SIZE; }
static inline bool is_page_table_va(mm_va va) { return va >= PTE_BASE && va < PDE_BASE + PAGE_SIZE; }

/* Where one entry lives: the table frame holding it and its self-map VA. */
struct pte_loc {
    mm_pfn table;
    mm_va pte_va;
};

static inline mm_pte pt_read(const struct mm_machine *m, struct pte_loc at)
{
    return phys_read32(&m->phys, at.table, at.pte_va & 0xFFFu);
}
/* Write an entry (the only place page-table memory changes): emits the
 * PTE event and invalidates the TLB when the table is in the current
 * address space. */
void pt_write(struct mm_machine *m, struct pte_loc at, mm_pte value, bool by_hardware);

struct mm_process;
static inline struct pte_loc pt_pde_loc(const struct mm_process *p, mm_va va)
{
    struct pte_loc at = {p->directory, pde_address(va)};
    return at;
}
/* The PTE of va, if its page table is present. */
bool pt_pte_loc(const struct mm_machine *m, const struct mm_process *p, mm_va va, struct pte_loc *at);
/* The PTE of a frame's mapping, from its PFN entry (PteFrame + PteAddress). */
struct pte_loc pt_loc_of_frame(const struct mm_machine *m, mm_pfn frame);

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

/* Release the paging-file slot recorded in a software PTE, if any. */
void pt_release_pagefile_space(struct mm_machine *m, mm_pte software_pte);

#endif
