/* pagefile.c - paging files: the slot bitmap and the slots' bytes. */
#include <stdlib.h>
#include <string.h>

#include "pagefile.h"

bool pagefile_init(struct mm_pagefile *pf, uint32_t size)
{
    memset(pf, 0, sizeof *pf);
    pf->size = size;
    pf->bitmap = calloc((size + 31) / 32, sizeof *pf->bitmap);
    pf->data = calloc(size, sizeof *pf->data);
    if (!pf->bitmap || !pf->data) {
        pagefile_fini(pf);
        return false;
    }
    pf->bitmap[0] = 1;   /* slot 0 is reserved: offset 0 means demand-zero */
    pf->hint = 1;
    return true;
}

void pagefile_fini(struct mm_pagefile *pf)
{
    if (pf->data)
        for (uint32_t s = 0; s < pf->size; s++)
            free(pf->data[s]);
    free(pf->data);
    free(pf->bitmap);
    pf->data = NULL;
    pf->bitmap = NULL;
}

bool pagefile_slot_used(const struct mm_pagefile *pf, uint32_t slot)
{
    return slot < pf->size && (pf->bitmap[slot / 32] >> (slot % 32) & 1u);
}

uint32_t pagefile_next_used(const struct mm_pagefile *pf, uint32_t from)
{
    if (from >= pf->size)
        return pf->size;
    uint32_t w = from / 32, bits = pf->bitmap[w] & (~0u << (from % 32));
    while (!bits) {
        if (++w >= (pf->size + 31) / 32)
            return pf->size;
        bits = pf->bitmap[w];
    }
    uint32_t slot = w * 32 + (uint32_t)__builtin_ctz(bits);
    return slot < pf->size ? slot : pf->size;
}

uint32_t pagefile_alloc(struct mm_pagefile *pf)
{
    if (pf->used + 1 >= pf->size)
        return PAGEFILE_NO_SLOT;
    /* next fit from the hint, skipping full words; slot 0 is never free */
    uint32_t slot = pf->hint;
    for (uint32_t scanned = 0; scanned < pf->size;) {
        if (slot >= pf->size)
            slot = 1;
        uint32_t word = pf->bitmap[slot / 32];
        if (word == 0xFFFFFFFFu) {
            uint32_t next = (slot / 32 + 1) * 32;
            scanned += next - slot;
            slot = next;
            continue;
        }
        if (!(word >> (slot % 32) & 1u)) {
            pf->bitmap[slot / 32] |= 1u << (slot % 32);
            pf->used++;
            pf->hint = slot + 1;
            return slot;
        }
        slot++;
        scanned++;
    }
    return PAGEFILE_NO_SLOT;
}

void pagefile_free(struct mm_pagefile *pf, uint32_t slot)
{
    pf->bitmap[slot / 32] &= ~(1u << (slot % 32));
    pf->used--;
    free(pf->data[slot]);
    pf->data[slot] = NULL;
}

bool pagefile_store(struct mm_pagefile *pf, uint32_t slot, const uint8_t *page)
{
    bool zero = true;
    if (page)
        for (uint32_t i = 0; i < PAGE_SIZE && zero; i++)
            zero = page[i] == 0;
    if (zero) {
        free(pf->data[slot]);
        pf->data[slot] = NULL;
    } else {
        if (!pf->data[slot] && !(pf->data[slot] = malloc(PAGE_SIZE)))
            return false;
        memcpy(pf->data[slot], page, PAGE_SIZE);
    }
    pf->writes++;
    return true;
}

const uint8_t *pagefile_fetch(const struct mm_pagefile *pf, uint32_t slot)
{
    return pf->data[slot];
}

bool pagefile_grow(struct mm_pagefile *pf, uint32_t size)
{
    if (size <= pf->size)
        return true;
    uint32_t words = (size + 31) / 32, old_words = (pf->size + 31) / 32;
    uint32_t *bitmap = realloc(pf->bitmap, words * sizeof *bitmap);
    if (!bitmap)
        return false;
    pf->bitmap = bitmap;
    memset(bitmap + old_words, 0, (words - old_words) * sizeof *bitmap);
    uint8_t **data = realloc(pf->data, size * sizeof *data);
    if (!data)
        return false;
    pf->data = data;
    memset(data + pf->size, 0, (size - pf->size) * sizeof *data);
    pf->size = size;
    return true;
}
