/*
 * space.h - where a trace's addresses land in a simulated i386 process.
 *
 * A trace may come from a 64-bit program (valgrind on x86-64 puts the
 * stack near 0x1FFF000000) or name page 0. So addresses are folded by 16
 * MiB regions: the first time a reference falls in a region of the trace's
 * address space, the region gets a 16 MiB region of user space, 0x01000000
 * to 0x7EFFFFFF: the same one when it is free (a 32-bit trace keeps its
 * addresses), else the lowest free one. Offsets within a region are kept,
 * so pages that share a page table (4 MiB) in the trace share one in the
 * simulation. 126 regions fit; a trace that touches more is refused.
 *
 * The driver commits memory 64 KiB at a time (one allocation granule) when
 * a reference first touches it, as a program's allocator would; `seen`
 * records which granules and which page tables a trace touches.
 */
#ifndef MMSIM_TRACE_SPACE_H
#define MMSIM_TRACE_SPACE_H

#include <stdbool.h>
#include <stdint.h>

#define SPACE_REGION_SHIFT 24u                   /* 16 MiB */
#define SPACE_FIRST_REGION 1u                    /* 0x01000000 */
#define SPACE_REGIONS      126u                  /* up to 0x7EFFFFFF */
#define SPACE_CHUNKS       (0x80000000u >> 16)   /* 64 KiB granules of user space */
#define SPACE_TABLES       512u                  /* page tables of user space */
#define SPACE_HINTS        8u                    /* regions remembered, by their low bits */

struct trace_space {
    uint64_t from[SPACE_FIRST_REGION + SPACE_REGIONS];   /* trace region of each simulated one */
    bool used[SPACE_FIRST_REGION + SPACE_REGIONS];
    uint32_t regions;                                    /* in use */
    uint64_t last_from;                                  /* one-entry cache of the last lookup */
    uint32_t last_to;
    uint64_t hint_from[SPACE_HINTS];                     /* a region placed, at its number's low bits */
    uint32_t hint_to[SPACE_HINTS];                       /* where it landed; 0: none there */
    uint8_t chunk[SPACE_CHUNKS / 8];                     /* 64 KiB granules touched */
    uint8_t table[SPACE_TABLES / 8];                     /* page tables touched */
    uint32_t chunks, tables;                             /* how many of each */
};

void space_init(struct trace_space *s);

static inline bool space_bit(const uint8_t *bits, uint32_t i) { return ((uint32_t)bits[i >> 3] >> (i & 7u) & 1u) != 0; }

/* space_map and space_note for a region or a granule not seen just before. */
bool space_map_new(struct trace_space *s, uint64_t addr, uint32_t *va);
bool space_note_new(struct trace_space *s, uint32_t va);

/* Trace address addr in the simulated region `to`: its offset kept. */
static inline uint32_t space_landed(uint32_t to, uint64_t addr)
{
    return to << SPACE_REGION_SHIFT | (uint32_t)(addr & ((1u << SPACE_REGION_SHIFT) - 1));
}

/* space_map's answer from its cache of the last lookup (last_from,
 * last_to, which a caller may keep in locals): false when addr is not in
 * that region. */
static inline bool space_cached(uint64_t last_from, uint32_t last_to, uint64_t addr, uint32_t *va)
{
    if (!last_to || addr >> SPACE_REGION_SHIFT != last_from)
        return false;
    *va = space_landed(last_to, addr);
    return true;
}

#define SPACE_REGION_PAGES (1u << (SPACE_REGION_SHIFT - 12))

/* The regions remembered by their numbers' low bits: a real program's
 * references go back and forth between its code, its data and its stack,
 * each a region of its own, and seldom two with the same low bits.
 * space_hint gives the place of `region` when it is the one remembered
 * in its slot, else 0; space_hinted the simulated address of trace
 * address `addr` when its region is, else false (space_map then finds
 * its place or gives it one). */
static inline uint32_t space_hint(const struct trace_space *s, uint64_t region)
{
    unsigned k = (unsigned)region & (SPACE_HINTS - 1);
    return s->hint_from[k] == region ? s->hint_to[k] : 0;   /* 0: an empty slot, or another region's */
}

static inline bool space_hinted(const struct trace_space *s, uint64_t addr, uint32_t *va)
{
    uint32_t to = space_hint(s, addr >> SPACE_REGION_SHIFT);
    if (!to)
        return false;
    *va = space_landed(to, addr);
    return true;
}

/* space_cached in page numbers, for a loop over page numbers: returns the
 * trace's page number where the cached region starts, and puts in *base
 * the simulated page number it lands at. Page p (below 2^63) is in the
 * region when p - start < SPACE_REGION_PAGES, and lands at base + (p -
 * start). With nothing cached, start is 2^63, which no such p is in. */
static inline uint64_t space_cached_pages(const struct trace_space *s, uint32_t *base)
{
    *base = s->last_to << (SPACE_REGION_SHIFT - 12);
    return s->last_to ? s->last_from << (SPACE_REGION_SHIFT - 12) : UINT64_C(1) << 63;
}

/* The simulated address of trace address `addr`, giving its region a
 * place if it has none; false when all 126 places are taken. Inline: it
 * runs for every reference, nearly always in the region of the last;
 * space_map_new looks among the remembered regions (space_hinted's)
 * before it searches every place. */
static inline bool space_map(struct trace_space *s, uint64_t addr, uint32_t *va)
{
    return space_cached(s->last_from, s->last_to, addr, va) || space_map_new(s, addr, va);
}

/* The trace address a simulated address came from (it must be mapped). */
uint64_t space_unmap(const struct trace_space *s, uint32_t va);

/* Note that va's 64 KiB granule and page table are touched; true the
 * first time its granule is. (A granule's table is noted with it.) */
static inline bool space_note(struct trace_space *s, uint32_t va)
{
    return space_bit(s->chunk, va >> 16) ? false : space_note_new(s, va);
}

#endif
