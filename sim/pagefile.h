/*
 * pagefile.h - paging files: a size in pages, a bitmap of used slots and
 * the slots' bytes (allocated only for slots that hold a non-zero page).
 * Slot 0 of every file is reserved when the file is created, so that a
 * software PTE with PageFileHigh = 0 can only mean demand-zero.
 */
#ifndef MMSIM_PAGEFILE_H
#define MMSIM_PAGEFILE_H

#include <stdbool.h>
#include <stdint.h>

#include "pte.h"

#define PAGEFILE_NO_SLOT 0u

struct mm_pagefile {
    uint32_t size;          /* slots, including the reserved slot 0 */
    uint32_t used;          /* slots in use, not counting slot 0 */
    uint32_t hint;          /* where the next search for a free slot starts */
    uint32_t *bitmap;       /* bit set = slot in use */
    uint8_t **data;         /* data[s] is NULL when the slot's page is all zeros */
    uint64_t reads, writes;
};

bool pagefile_init(struct mm_pagefile *pf, uint32_t size);
void pagefile_fini(struct mm_pagefile *pf);
bool pagefile_slot_used(const struct mm_pagefile *pf, uint32_t slot);
/* The first slot in use at or after `from`; pf->size when none is. A run
 * of free slots costs one word of the bitmap per 32 slots. */
uint32_t pagefile_next_used(const struct mm_pagefile *pf, uint32_t from);
/* Find and mark a free slot in the file's bitmap, next fit from the last
 * one handed out (NT takes slots this way inside MiGatherPagefilePages);
 * PAGEFILE_NO_SLOT (0) when the file is full. */
uint32_t pagefile_alloc(struct mm_pagefile *pf);
void pagefile_free(struct mm_pagefile *pf, uint32_t slot);
/* Make the file `size` slots long (it only grows: the file's half of NT's
 * MiExtendPagingFiles). False if the host is out of memory, the file unchanged in size. */
bool pagefile_grow(struct mm_pagefile *pf, uint32_t size);
/* Store / fetch a slot's page; a NULL page stores zeros. */
bool pagefile_store(struct mm_pagefile *pf, uint32_t slot, const uint8_t *page);
const uint8_t *pagefile_fetch(const struct mm_pagefile *pf, uint32_t slot);

#endif
