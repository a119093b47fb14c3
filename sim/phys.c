/* phys.c - physical memory bytes, allocated lazily per frame. */
#include <stdlib.h>
#include <string.h>

#include "phys.h"

bool phys_init(struct mm_phys *ph, uint32_t frames)
{
    ph->frames = frames;
    ph->materialized = 0;
    /* calloc of a large array maps zero pages: untouched, it costs nothing */
    ph->page = calloc(frames, sizeof *ph->page);
    return ph->page != NULL;
}

void phys_fini(struct mm_phys *ph)
{
    if (!ph->page)
        return;
    for (uint32_t f = 0; f < ph->frames; f++)
        free(ph->page[f]);
    free(ph->page);
    ph->page = NULL;
}

uint8_t *phys_materialize(struct mm_phys *ph, mm_pfn f)
{
    if (!ph->page[f]) {
        ph->page[f] = calloc(1, PAGE_SIZE);
        if (ph->page[f])
            ph->materialized++;
    }
    return ph->page[f];
}

bool phys_write8(struct mm_phys *ph, mm_pfn f, uint32_t offset, uint8_t v)
{
    if (v == 0 && !ph->page[f])
        return true;
    uint8_t *p = phys_materialize(ph, f);
    if (!p)
        return false;
    p[offset] = v;
    return true;
}

void phys_zero(struct mm_phys *ph, mm_pfn f)
{
    if (ph->page[f]) {
        free(ph->page[f]);
        ph->page[f] = NULL;
        ph->materialized--;
    }
}

bool phys_is_zero(const struct mm_phys *ph, mm_pfn f)
{
    const uint8_t *p = ph->page[f];
    if (!p)
        return true;
    for (uint32_t i = 0; i < PAGE_SIZE; i++)
        if (p[i])
            return false;
    return true;
}

void phys_copy_out(const struct mm_phys *ph, mm_pfn f, uint8_t *dst)
{
    if (ph->page[f])
        memcpy(dst, ph->page[f], PAGE_SIZE);
    else
        memset(dst, 0, PAGE_SIZE);
}

bool phys_copy_in(struct mm_phys *ph, mm_pfn f, const uint8_t *src)
{
    if (!src) {
        phys_zero(ph, f);
        return true;
    }
    uint8_t *p = phys_materialize(ph, f);
    if (!p)
        return false;
    memcpy(p, src, PAGE_SIZE);
    return true;
}
