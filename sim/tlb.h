/*
 * tlb.h - a translation lookaside buffer: a fixed number of entries,
 * direct-mapped by virtual page number, holding only translations of the
 * current address space. Loading CR3 flushes it; changing a PTE of the
 * current address space invalidates that page (INVLPG).
 * SIMPLIFIED: direct-mapped and small, with no global pages; real TLBs are
 * set-associative and keep global entries across CR3 loads.
 */
#ifndef MMSIM_TLB_H
#define MMSIM_TLB_H

#include <stdbool.h>
#include <stdint.h>

#include "pte.h"

#define TLB_INVALID_TAG 0xFFFFFFFFu   /* no VPN is that large */

struct tlb_entry {
    uint32_t vpn;      /* tag, or TLB_INVALID_TAG */
    mm_pfn frame;
    mm_pte pte;        /* the PTE as cached: W and D decide if a write may hit */
};

struct mm_tlb {
    uint32_t size, mask;
    struct tlb_entry *entry;
    uint64_t hits, misses, flushes, invalidations;
};

bool tlb_init(struct mm_tlb *t, uint32_t entries);
void tlb_fini(struct mm_tlb *t);
void tlb_flush(struct mm_tlb *t);

static inline struct tlb_entry *tlb_slot(struct mm_tlb *t, uint32_t vpn)
{
    return &t->entry[vpn & t->mask];
}

/* Forget the translation of va, if the TLB holds it (INVLPG). Inline:
 * every PTE a fault, a trim or the aging changes comes here. */
static inline void tlb_invalidate(struct mm_tlb *t, mm_va va)
{
    struct tlb_entry *e = tlb_slot(t, VA_VPN(va));
    if (e->vpn == VA_VPN(va)) {
        e->vpn = TLB_INVALID_TAG;
        t->invalidations++;
    }
}

/* Cache the translation of page vpn (a valid PTE) in its slot e, which
 * tlb_slot gave. */
static inline void tlb_fill_slot(struct tlb_entry *e, uint32_t vpn, mm_pte pte)
{
    e->vpn = vpn;
    e->frame = pte_frame(pte);
    e->pte = pte;
}

/* Cache the translation of va (a valid PTE). */
static inline void tlb_fill(struct mm_tlb *t, mm_va va, mm_pte pte)
{
    tlb_fill_slot(tlb_slot(t, VA_VPN(va)), VA_VPN(va), pte);
}

#endif
