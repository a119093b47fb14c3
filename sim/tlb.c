/* tlb.c - the translation lookaside buffer (direct-mapped). */
#include <stdlib.h>

#include "tlb.h"

bool tlb_init(struct mm_tlb *t, uint32_t entries)
{
    t->size = entries;
    t->mask = entries - 1;
    t->hits = t->misses = t->flushes = t->invalidations = 0;
    t->entry = malloc(entries * sizeof *t->entry);
    if (!t->entry)
        return false;
    for (uint32_t i = 0; i < entries; i++)
        t->entry[i].vpn = TLB_INVALID_TAG;
    return true;
}

void tlb_fini(struct mm_tlb *t)
{
    free(t->entry);
    t->entry = NULL;
}

void tlb_flush(struct mm_tlb *t)
{
    for (uint32_t i = 0; i < t->size; i++)
        t->entry[i].vpn = TLB_INVALID_TAG;
    t->flushes++;
}

