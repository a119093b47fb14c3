/* space.c - folding a trace's address space into an i386 process's. */
#include <string.h>

#include "space.h"

void space_init(struct trace_space *s)
{
    memset(s, 0, sizeof *s);
    s->last_to = 0;   /* no region is 0: the cache starts empty */
}

static uint32_t place(struct trace_space *s, uint64_t region)
{
    for (uint32_t r = SPACE_FIRST_REGION; r < SPACE_FIRST_REGION + SPACE_REGIONS; r++)
        if (s->used[r] && s->from[r] == region)
            return r;
    if (s->regions == SPACE_REGIONS)
        return 0;
    uint32_t to = SPACE_FIRST_REGION;
    if (region >= SPACE_FIRST_REGION && region < SPACE_FIRST_REGION + SPACE_REGIONS && !s->used[region])
        to = (uint32_t)region;
    else
        while (s->used[to])
            to++;
    s->used[to] = true;
    s->from[to] = region;
    s->regions++;
    return to;
}

bool space_map_new(struct trace_space *s, uint64_t addr, uint32_t *va)
{
    uint64_t region = addr >> SPACE_REGION_SHIFT;
    if (!s->last_to || region != s->last_from) {
        uint32_t to = space_hint(s, region);
        if (!to && !(to = place(s, region)))
            return false;
        unsigned k = (unsigned)region & (SPACE_HINTS - 1);
        s->hint_from[k] = region;
        s->hint_to[k] = to;
        s->last_from = region;
        s->last_to = to;
    }
    *va = space_landed(s->last_to, addr);
    return true;
}

uint64_t space_unmap(const struct trace_space *s, uint32_t va)
{
    return s->from[va >> SPACE_REGION_SHIFT] << SPACE_REGION_SHIFT | (va & ((1u << SPACE_REGION_SHIFT) - 1));
}

bool space_note_new(struct trace_space *s, uint32_t va)
{
    uint32_t c = va >> 16, t = va >> 22;
    if (!space_bit(s->table, t)) {
        s->table[t >> 3] = (uint8_t)(s->table[t >> 3] | 1u << (t & 7u));
        s->tables++;
    }
    if (space_bit(s->chunk, c))
        return false;
    s->chunk[c >> 3] = (uint8_t)(s->chunk[c >> 3] | 1u << (c & 7u));
    s->chunks++;
    return true;
}
