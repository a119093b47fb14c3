/*
 * selfmap.h - where every PDE and PTE lives, and the one place their
 * memory is read and written.
 *
 * Each process's page directory maps itself at PDE 0x300 (the self-map),
 * so every page table of the process is visible at
 *     PTE address of va = 0xC0000000 + (va >> 12) * 4
 * and the directory itself at 0xC0300000 (its own PDE at 0xC0300C00).
 * A page table is itself a page at 0xC0000000 + pdi * 4096, and its "PTE"
 * is the PDE: the same formula gives 0xC0300000 + pdi * 4.
 * SIMPLIFIED: only user space (below 0x80000000) is mapped, plus the
 * self-map and hyperspace; there is no system space.
 *
 * The PFN entry of a mapped frame records that PTE address (PteAddress)
 * and the frame of the table that holds it (PteFrame); together they name
 * the PTE's physical location, whichever process is current.
 */
#ifndef MMSIM_SELFMAP_H
#define MMSIM_SELFMAP_H

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

/* LAB walk: begin self_map_addresses */
static inline mm_va pte_address(mm_va va) { return PTE_BASE + (va >> 12) * 4u; }
static inline mm_va pde_address(mm_va va) { return PDE_BASE + (va >> 22) * 4u; }
/* LAB walk: end self_map_addresses */
/* The address a PTE at pte_va maps (MiGetVirtualAddressMappedByPte). */
static inline mm_va pte_mapped_va(mm_va pte_va) { return (pte_va - PTE_BASE) << 10; }
/* The self-map address of page table pdi (the "VA" of a page-table page). */
static inline mm_va page_table_va(uint32_t pdi) { return PTE_BASE + pdi * PAGE_SIZE; }
static inline bool is_page_table_va(mm_va va) { return va >= PTE_BASE && va < PDE_BASE + PAGE_SIZE; }
/* The user page tables: self-map addresses of tables for user space. */
static inline bool is_user_table_va(mm_va va)
{
    return va >= PTE_BASE && va < page_table_va(VA_PDI(MM_HIGHEST_USER_ADDRESS) + 1);
}

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

static inline struct pte_loc pt_pde_loc(const struct mm_process *p, mm_va va)
{
    struct pte_loc at = {p->directory, pde_address(va)};
    return at;
}
/* The PTE of va, if its page table is present (its PDE valid). */
bool pt_pte_loc(const struct mm_machine *m, const struct mm_process *p, mm_va va, struct pte_loc *at);
/* The PTE of a frame's mapping, from its PFN entry (PteFrame + PteAddress). */
struct pte_loc pt_loc_of_frame(const struct mm_machine *m, mm_pfn frame);

/* The PTE of va wherever its page table is: in memory (its PDE valid or in
 * transition), in a paging-file slot (its PDE in page-file form), or
 * nowhere (0). *pde gets the PDE when pde is not NULL. Changes nothing: no
 * fault, no Accessed bit. For inspection and for decisions that must not
 * bring a table back. */
mm_pte pt_peek(const struct mm_machine *m, const struct mm_process *p, mm_va va, mm_pte *pde);

/* One more non-zero PTE in va's page table (NT: UsedPageTableEntries);
 * pagetable.h's pt_unuse takes it back and frees the table at zero. */
static inline void pt_use(struct mm_process *p, mm_va va) { p->used_ptes[VA_PDI(va)]++; }

#endif
