/*
 * ws.c - working-set lists: inserting and removing entries, the hash, the
 * replacement policies, aging and trimming (NT: wslist.c, wsmanage.c).
 */
#include <stdlib.h>
#include <string.h>

#include "ws.h"

#include "machine.h"
#include "mm.h"
#include "selfmap.h"

#define WS_INITIAL_CAPACITY 64u
#define WS_MAX_CAPACITY     WSLE_NULL_INDEX   /* indexes must fit in 20 bits */

static mm_wsle free_entry(uint32_t next) { return next << PAGE_SHIFT; }
static uint32_t free_next(mm_wsle e) { return e >> PAGE_SHIFT; }

/* Chain entries [from, to) into the free list, ahead of what is there. */
static void chain_free(struct mm_wsl *ws, uint32_t from, uint32_t to)
{
    for (uint32_t i = to; i-- > from;) {
        ws->wsle[i] = free_entry(ws->first_free);
        ws->first_free = i;
    }
}

bool ws_init(struct mm_wsl *ws, uint32_t minimum, uint32_t maximum)
{
    memset(ws, 0, sizeof *ws);
    ws->capacity = WS_INITIAL_CAPACITY;
    ws->wsle = malloc(ws->capacity * sizeof *ws->wsle);
    ws->last_use = calloc(ws->capacity, sizeof *ws->last_use);
    if (!ws->wsle || !ws->last_use) {
        ws_fini(ws);
        return false;
    }
    ws->first_free = WSLE_NULL_INDEX;
    chain_free(ws, 0, ws->capacity);
    ws->last_initialized = ws->capacity - 1;
    ws->minimum = minimum;
    ws->maximum = maximum;
    return true;
}

void ws_fini(struct mm_wsl *ws)
{
    free(ws->wsle);
    free(ws->last_use);
    free(ws->hash);
    ws->wsle = NULL;
    ws->last_use = NULL;
    ws->hash = NULL;
}

/* ---- The VPN -> index hash (open addressing, linear probing) ---- */

static uint32_t hash_of(uint32_t vpn, uint32_t size) { return (vpn * 2654435761u) & (size - 1); }

static void hash_put(struct mm_wsl *ws, uint32_t vpn, uint32_t index)
{
    uint32_t h = hash_of(vpn, ws->hash_size);
    while (ws->hash[h])
        h = (h + 1) & (ws->hash_size - 1);
    ws->hash[h] = index + 1;
    ws->wsle[index] |= WSLE_HASHED;
}

static void hash_del(struct mm_wsl *ws, uint32_t vpn)
{
    uint32_t mask = ws->hash_size - 1, h = hash_of(vpn, ws->hash_size);
    while (ws->hash[h] && VA_VPN(wsle_va(ws->wsle[ws->hash[h] - 1])) != vpn)
        h = (h + 1) & mask;
    if (!ws->hash[h])
        return;
    ws->hash[h] = 0;
    /* backward-shift the cluster after the hole so lookups stay correct */
    for (uint32_t j = (h + 1) & mask; ws->hash[j]; j = (j + 1) & mask) {
        uint32_t index = ws->hash[j] - 1;
        ws->hash[j] = 0;
        hash_put(ws, VA_VPN(wsle_va(ws->wsle[index])), index);
    }
}

static bool hash_rebuild(struct mm_wsl *ws)
{
    uint32_t size = 256;
    while (size < ws->capacity * 2)
        size *= 2;
    uint32_t *table = calloc(size, sizeof *table);
    if (!table)
        return false;
    free(ws->hash);
    ws->hash = table;
    ws->hash_size = size;
    for (uint32_t i = 0; i <= ws->last_entry && i < ws->capacity; i++)
        if (wsle_valid(ws->wsle[i]))
            hash_put(ws, VA_VPN(wsle_va(ws->wsle[i])), i);
    return true;
}

uint32_t ws_lookup(const struct mm_process *p, mm_va va)
{
    const struct mm_wsl *ws = &p->ws;
    uint32_t vpn = VA_VPN(va);
    if (ws->hash) {
        for (uint32_t h = hash_of(vpn, ws->hash_size); ws->hash[h]; h = (h + 1) & (ws->hash_size - 1))
            if (VA_VPN(wsle_va(ws->wsle[ws->hash[h] - 1])) == vpn)
                return ws->hash[h] - 1;
        return WSLE_NULL_INDEX;
    }
    for (uint32_t i = 0; i <= ws->last_entry && i < ws->capacity; i++)
        if (wsle_valid(ws->wsle[i]) && VA_VPN(wsle_va(ws->wsle[i])) == vpn)
            return i;
    return WSLE_NULL_INDEX;
}

/* ---- Inserting and removing ---- */

static bool grow(struct mm_wsl *ws)
{
    if (ws->capacity >= WS_MAX_CAPACITY)
        return false;
    uint32_t cap = ws->capacity * 2 > WS_MAX_CAPACITY ? WS_MAX_CAPACITY : ws->capacity * 2;
    mm_wsle *wsle = realloc(ws->wsle, cap * sizeof *wsle);
    if (!wsle)
        return false;
    ws->wsle = wsle;
    uint64_t *use = realloc(ws->last_use, cap * sizeof *use);
    if (!use)
        return false;
    memset(use + ws->capacity, 0, (cap - ws->capacity) * sizeof *use);
    ws->last_use = use;
    chain_free(ws, ws->capacity, cap);
    ws->capacity = cap;
    ws->last_initialized = cap - 1;
    return !ws->hash || hash_rebuild(ws);
}

/* NT: MiLocateAndReserveWsle + MiUpdateWsle. */
uint32_t ws_insert(struct mm_machine *m, struct mm_process *p, mm_va va, mm_pfn frame, bool locked,
                   enum mm_ws_reason why)
{
    struct mm_wsl *ws = &p->ws;
    if (ws->first_free == WSLE_NULL_INDEX && !grow(ws))
        return WSLE_NULL_INDEX;
    if (!ws->hash && ws->size + 1 > WS_HASH_THRESHOLD && !hash_rebuild(ws))
        return WSLE_NULL_INDEX;   /* nothing has changed yet */
    uint32_t index = ws->first_free;
    ws->first_free = free_next(ws->wsle[index]);
    ws->wsle[index] = PAGE_ALIGN(va) | WSLE_VALID | WSLE_DIRECT | (locked ? WSLE_LOCKED_IN_WS : 0);
    if (index > ws->last_entry)
        ws->last_entry = index;
    ws->last_use[index] = ++m->access_clock;
    m->pfn[frame].u1.ws_index = index;
    if (++ws->size > ws->peak)
        ws->peak = ws->size;
    if (ws->hash)
        hash_put(ws, VA_VPN(va), index);
    if (ev_on(m))
        ev_wsle(m, p->pid, index, PAGE_ALIGN(va), true, why);
    return index;
}

void ws_release_entry(struct mm_machine *m, struct mm_process *p, uint32_t index, enum mm_ws_reason why)
{
    struct mm_wsl *ws = &p->ws;
    mm_wsle e = ws->wsle[index];
    MM_ASSERT(wsle_valid(e));
    if (ws->hash)
        hash_del(ws, VA_VPN(wsle_va(e)));
    ws->wsle[index] = free_entry(ws->first_free);
    ws->first_free = index;
    ws->size--;
    if (ev_on(m))
        ev_wsle(m, p->pid, index, wsle_va(e), false, why);
}

/* Is va pinned by the operation under way (see mm_process.pin)? */
static bool pinned(const struct mm_process *p, mm_va va)
{
    for (uint32_t i = 0; i < p->pins; i++)
        if (p->pin[i] == va)
            return true;
    return false;
}

void ws_pin(struct mm_process *p, mm_va va)
{
    MM_ASSERT(p->pins < MM_MAX_PINS);
    p->pin[p->pins++] = PAGE_ALIGN(va);
}

void ws_unpin(struct mm_process *p)
{
    MM_ASSERT(p->pins > 0);
    p->pins--;
}

/* May this entry leave the working set? Not the locked ones, not a pinned
 * page, and a page table only once it maps nothing valid or in transition
 * (its ShareCount is down to the 1 its own use holds) and no operation of
 * the process holds its tables. */
static bool removable(const struct mm_machine *m, const struct mm_process *p, mm_wsle e)
{
    if (!wsle_valid(e) || wsle_locked(e) || pinned(p, wsle_va(e)))
        return false;
    if (!is_page_table_va(wsle_va(e)))
        return true;
    if (p->hold_tables)
        return false;
    struct pte_loc at;
    if (!pt_pte_loc(m, p, wsle_va(e), &at))
        return false;
    return m->pfn[pte_frame(pt_read(m, at))].u2.share_count == 1;
}

/* NT: MiFreeWsle, with MI_CAPTURE_DIRTY_BIT_TO_PFN. */
bool ws_remove_page(struct mm_machine *m, struct mm_process *p, uint32_t index, enum mm_ws_reason why)
{
    mm_wsle e = p->ws.wsle[index];
    if (!removable(m, p, e))
        return false;
    struct pte_loc at;
    bool present = pt_pte_loc(m, p, wsle_va(e), &at);
    MM_ASSERT(present);
    mm_pte pte = pt_read(m, at);
    MM_ASSERT(pte_is_valid(pte));
    mm_pfn frame = pte_frame(pte);
    if (pte & PTE_DIRTY)
        pfn_mark_modified(m, frame);
    uint32_t protection = pte_protection(m->pfn[frame].original_pte);
    pt_write(m, at, pte_valid_to_transition(pte, protection), false);
    ws_release_entry(m, p, index, why);
    pfn_decrement_share(m, frame, why == MM_WS_REPLACE   ? MOVE_REPLACE
                                  : why == MM_WS_PROTECT ? MOVE_PROTECT
                                                         : MOVE_TRIM);
    if (why == MM_WS_REPLACE)
        p->ws.replacements++;
    else if (why == MM_WS_TRIM) {
        p->ws.trimmed++;
        m->pages_trimmed++;
    }
    return true;
}

/* ---- Choosing a victim ---- */

static mm_pte entry_pte(struct mm_machine *m, struct mm_process *p, mm_wsle e, struct pte_loc *at)
{
    bool present = pt_pte_loc(m, p, wsle_va(e), at);
    MM_ASSERT(present);
    return pt_read(m, *at);
}

static void set_age(struct mm_wsl *ws, uint32_t i, uint32_t age)
{
    ws->wsle[i] = (ws->wsle[i] & ~WSLE_AGE_MASK) | (age << WSLE_AGE_SHIFT);
}

/* One aging step on entry i: accessed -> age 0 and clear the bit (which
 * the TLB must forget), else one step older. Returns the new age. */
static uint32_t age_entry(struct mm_machine *m, struct mm_process *p, uint32_t i)
{
    struct pte_loc at;
    mm_pte pte = entry_pte(m, p, p->ws.wsle[i], &at);
    if (pte & PTE_ACCESSED) {
        pt_write(m, at, pte & ~PTE_ACCESSED, false);
        set_age(&p->ws, i, 0);
        return 0;
    }
    uint32_t age = wsle_age(p->ws.wsle[i]);
    if (age < WSLE_MAX_AGE)
        set_age(&p->ws, i, ++age);
    return age;
}

static uint32_t victim_fifo(const struct mm_machine *m, struct mm_process *p)
{
    struct mm_wsl *ws = &p->ws;
    uint32_t span = ws->last_entry + 1 - ws->first_dynamic;
    for (uint32_t n = 0; n < span; n++) {
        uint32_t i = ws->first_dynamic + (ws->next_slot - ws->first_dynamic + n) % span;
        if (removable(m, p, ws->wsle[i])) {
            ws->next_slot = i + 1 > ws->last_entry ? ws->first_dynamic : i + 1;
            return i;
        }
    }
    return WSLE_NULL_INDEX;
}

/* NT's aging as a clock: the hand sweeps from NextSlot, aging as it goes,
 * and stops at the first entry that reaches the maximum age. Each entry
 * reaches it within four sweeps, which bounds the loop. */
static uint32_t victim_clock(struct mm_machine *m, struct mm_process *p)
{
    struct mm_wsl *ws = &p->ws;
    uint32_t span = ws->last_entry + 1 - ws->first_dynamic;
    for (uint32_t n = 0; n < span * (WSLE_MAX_AGE + 2); n++) {
        uint32_t i = ws->first_dynamic + (ws->next_slot - ws->first_dynamic + n) % span;
        if (removable(m, p, ws->wsle[i]) && age_entry(m, p, i) >= WSLE_MAX_AGE) {
            ws->next_slot = i + 1 > ws->last_entry ? ws->first_dynamic : i + 1;
            return i;
        }
    }
    return WSLE_NULL_INDEX;
}

static uint32_t victim_lru(const struct mm_machine *m, struct mm_process *p)
{
    struct mm_wsl *ws = &p->ws;
    uint32_t best = WSLE_NULL_INDEX;
    for (uint32_t i = ws->first_dynamic; i <= ws->last_entry; i++)
        if (removable(m, p, ws->wsle[i]) && (best == WSLE_NULL_INDEX || ws->last_use[i] < ws->last_use[best]))
            best = i;
    return best;
}

static uint32_t choose_victim(struct mm_machine *m, struct mm_process *p)
{
    if (p->ws.last_entry < p->ws.first_dynamic)
        return WSLE_NULL_INDEX;
    switch (m->cfg.policy) {
    case MM_POLICY_FIFO: return victim_fifo(m, p);
    case MM_POLICY_CLOCK: return victim_clock(m, p);
    case MM_POLICY_LRU: return victim_lru(m, p);
    default: return WSLE_NULL_INDEX;
    }
}

/* NT: MiDoReplacement. Below its maximum a working set grows. At its
 * maximum it gives up a page for the new one when the maximum is hard
 * (MaximumWorkingSetHard), or when available memory is below the plenty
 * mark; otherwise it grows past the maximum and the working-set manager
 * trims it back once memory is no longer plentiful.
 * SIMPLIFIED: NT's test for growing is a growth-rate estimate against the
 * available pages (MI_WS_GROWING_TOO_FAST below MM_VERY_HIGH_LIMIT), not
 * the maximum and a fixed mark. */
void ws_make_room(struct mm_machine *m, struct mm_process *p)
{
    if (p->ws.size < p->ws.maximum)
        return;
    if (!p->ws.hard_maximum && mm_available(m) >= m->cfg.wsmgr_plenty)
        return;
    uint32_t victim = choose_victim(m, p);
    /* with nothing removable (all locked, pinned or busy page tables) the
     * set grows */
    if (victim != WSLE_NULL_INDEX)
        ws_remove_page(m, p, victim, MM_WS_REPLACE);
}

void ws_age(struct mm_machine *m, struct mm_process *p)
{
    for (uint32_t i = p->ws.first_dynamic; i <= p->ws.last_entry; i++)
        if (removable(m, p, p->ws.wsle[i]))
            age_entry(m, p, i);
}

/* Pages that may still be trimmed from p: all that can go, or none below a
 * hard minimum.
 * SIMPLIFIED: a hard minimum stops every trim here, emptying the working
 * set included; what NT's MiEmptyWorkingSet does with one is not confirmed. */
static uint32_t trim_allowance(const struct mm_process *p)
{
    if (!p->ws.hard_minimum)
        return UINT32_MAX;
    return p->ws.size > p->ws.minimum ? p->ws.size - p->ws.minimum : 0;
}

uint32_t ws_trim(struct mm_machine *m, struct mm_process *p, uint32_t count, enum mm_ws_reason why)
{
    uint32_t removed = 0, allowed = trim_allowance(p);
    while (removed < count && removed < allowed) {
        uint32_t victim = choose_victim(m, p);
        if (victim == WSLE_NULL_INDEX || !ws_remove_page(m, p, victim, why))
            break;
        removed++;
    }
    return removed;
}

/* NT: MiEmptyWorkingSet. */
uint32_t ws_empty(struct mm_machine *m, struct mm_process *p)
{
    uint32_t removed = 0, allowed = trim_allowance(p);
    for (uint32_t i = p->ws.first_dynamic; i <= p->ws.last_entry && removed < allowed; i++)
        if (ws_remove_page(m, p, i, MM_WS_TRIM))
            removed++;
    return removed;
}

void ws_note_access(struct mm_machine *m, struct mm_process *p, mm_pfn frame)
{
    p->ws.last_use[m->pfn[frame].u1.ws_index] = ++m->access_clock;
}

uint32_t ws_trim_aged(struct mm_machine *m, struct mm_process *p, uint32_t min_age, uint32_t floor,
                      uint32_t limit)
{
    uint32_t removed = 0;
    if (p->ws.hard_minimum && floor < p->ws.minimum)
        floor = p->ws.minimum;
    for (uint32_t i = p->ws.first_dynamic; i <= p->ws.last_entry; i++) {
        if (removed >= limit || p->ws.size <= floor)
            break;
        mm_wsle e = p->ws.wsle[i];
        if (removable(m, p, e) && wsle_age(e) >= min_age && ws_remove_page(m, p, i, MM_WS_TRIM))
            removed++;
    }
    return removed;
}

uint32_t mm_trim(struct mm_machine *m, uint32_t pid, uint32_t pages)
{
    struct mm_process *p = process_get(m, pid);
    return p ? ws_trim(m, p, pages, MM_WS_TRIM) : 0;
}
