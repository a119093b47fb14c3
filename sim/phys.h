/*
 * phys.h - the bytes of physical memory. A frame's 4 KiB are allocated on
 * the host only when something non-zero is first written to it; a frame
 * without storage reads as zeros. Zeroing a frame gives its storage back,
 * so a 4 GiB machine costs one pointer per frame until it is touched.
 */
#ifndef MMSIM_PHYS_H
#define MMSIM_PHYS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "pte.h"

struct mm_phys {
    uint32_t frames;
    uint8_t **page;          /* page[f] is NULL while frame f is all zeros */
    uint32_t materialized;   /* frames with host storage */
};

bool phys_init(struct mm_phys *ph, uint32_t frames);
void phys_fini(struct mm_phys *ph);

/* Frames hold little-endian 32-bit words, as on i386. On a little-endian
 * host a word is one load (memcpy: the offset need not be aligned); the
 * page-table walk does two of these per TLB miss, so this is hot. */
static inline uint32_t phys_load_le32(const uint8_t *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
#else
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
#endif
}
static inline void phys_store_le32(uint8_t *p, uint32_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(p, &v, sizeof v);
#else
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
#endif
}

static inline uint32_t phys_read32(const struct mm_phys *ph, mm_pfn f, uint32_t offset)
{
    const uint8_t *p = ph->page[f];
    return p ? phys_load_le32(p + offset) : 0;
}
static inline uint8_t phys_read8(const struct mm_phys *ph, mm_pfn f, uint32_t offset)
{
    return ph->page[f] ? ph->page[f][offset] : 0;
}
/* Host storage for frame f, allocated (zeroed) on first use. NULL only if
 * the host is out of memory. */
uint8_t *phys_materialize(struct mm_phys *ph, mm_pfn f);
/* Store a word; a zero into a frame without storage stores nothing. False
 * only if the host is out of memory. Inline: every PTE write comes here,
 * and the frame nearly always has its storage already. */
static inline bool phys_write32(struct mm_phys *ph, mm_pfn f, uint32_t offset, uint32_t v)
{
    uint8_t *p = ph->page[f];
    if (!p) {
        if (v == 0)
            return true;
        if (!(p = phys_materialize(ph, f)))
            return false;
    }
    phys_store_le32(p + offset, v);
    return true;
}
bool phys_write8(struct mm_phys *ph, mm_pfn f, uint32_t offset, uint8_t v);
/* Fill the frame with zeros (gives its storage back). */
void phys_zero(struct mm_phys *ph, mm_pfn f);
bool phys_is_zero(const struct mm_phys *ph, mm_pfn f);
/* Copy a whole frame out to / in from a 4 KiB buffer (NULL buffer = zeros). */
void phys_copy_out(const struct mm_phys *ph, mm_pfn f, uint8_t *dst);
bool phys_copy_in(struct mm_phys *ph, mm_pfn f, const uint8_t *src);

#endif
