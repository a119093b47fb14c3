/*
 * ws.c - working-set lists: inserting and removing entries, the hash, the
 * queues and the heap the replacement policies use, choosing a victim,
 * aging and trimming (NT: wslist.c, wsmanage.c).
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
    ws->link = malloc(ws->capacity * sizeof *ws->link);
    if (!ws->wsle || !ws->link) {
        ws_fini(ws);
        return false;
    }
    ws->first_free = WSLE_NULL_INDEX;
    for (unsigned q = 0; q < WS_QUEUES; q++)
        ws->queue[q].head = ws->queue[q].tail = WSLE_NULL_INDEX;
    chain_free(ws, 0, ws->capacity);
    ws->last_initialized = ws->capacity - 1;
    ws->minimum = minimum;
    ws->maximum = maximum;
    return true;
}

void ws_fini(struct mm_wsl *ws)
{
    free(ws->wsle);
    free(ws->link);
    free(ws->hash);
    if (ws->opt) {
        free(ws->opt->heap);
        free(ws->opt->pos);
        free(ws->opt->next_use);
        free(ws->opt->seq);
        free(ws->opt);
    }
    ws->wsle = NULL;
    ws->link = NULL;
    ws->hash = NULL;
    ws->opt = NULL;
}

/* ---- The queues (doubly linked through link[], by index) ---- */

/* Which queue a valid entry is on; WS_QUEUES for a locked one (none). */
static unsigned queue_of(mm_wsle e)
{
    if (wsle_locked(e))
        return WS_QUEUES;
    return is_page_table_va(wsle_va(e)) ? WS_QUEUE_TABLES : WS_QUEUE_DATA;
}

static void queue_append(struct mm_wsl *ws, unsigned q, uint32_t i)
{
    struct ws_queue *k = &ws->queue[q];
    ws->link[i].prev = k->tail;
    ws->link[i].next = WSLE_NULL_INDEX;
    if (k->tail == WSLE_NULL_INDEX)
        k->head = i;
    else
        ws->link[k->tail].next = i;
    k->tail = i;
}

static void queue_unlink(struct mm_wsl *ws, unsigned q, uint32_t i)
{
    struct ws_queue *k = &ws->queue[q];
    uint32_t prev = ws->link[i].prev, next = ws->link[i].next;
    if (prev == WSLE_NULL_INDEX)
        k->head = next;
    else
        ws->link[prev].next = next;
    if (next == WSLE_NULL_INDEX)
        k->tail = prev;
    else
        ws->link[next].prev = prev;
}

/* ---- OPT's heap: the data page used farthest in the future on top ---- */

static bool opt_above(const struct ws_opt *o, uint32_t a, uint32_t b)
{
    return o->next_use[a] > o->next_use[b] || (o->next_use[a] == o->next_use[b] && o->seq[a] < o->seq[b]);
}

static void opt_place(struct ws_opt *o, uint32_t at, uint32_t index)
{
    o->heap[at] = index;
    o->pos[index] = at;
}

static void opt_sift_up(struct ws_opt *o, uint32_t at)
{
    uint32_t index = o->heap[at];
    while (at > 0 && opt_above(o, index, o->heap[(at - 1) / 2])) {
        opt_place(o, at, o->heap[(at - 1) / 2]);
        at = (at - 1) / 2;
    }
    opt_place(o, at, index);
}

static void opt_sift_down(struct ws_opt *o, uint32_t at)
{
    uint32_t index = o->heap[at];
    for (;;) {
        uint32_t child = 2 * at + 1;
        if (child >= o->count)
            break;
        if (child + 1 < o->count && opt_above(o, o->heap[child + 1], o->heap[child]))
            child++;
        if (!opt_above(o, o->heap[child], index))
            break;
        opt_place(o, at, o->heap[child]);
        at = child;
    }
    opt_place(o, at, index);
}

static void opt_push(struct ws_opt *o, uint32_t index)
{
    opt_place(o, o->count++, index);
    opt_sift_up(o, o->count - 1);
}

static void opt_remove(struct ws_opt *o, uint32_t index)
{
    uint32_t at = o->pos[index], last = o->heap[--o->count];
    if (at == o->count)
        return;
    opt_place(o, at, last);
    opt_sift_up(o, at);
    opt_sift_down(o, o->pos[last]);
}

/* Size OPT's arrays for `capacity` entries (allocating them the first time). */
static bool opt_reserve(struct mm_wsl *ws, uint32_t capacity)
{
    if (!ws->opt && !(ws->opt = calloc(1, sizeof *ws->opt)))
        return false;
    struct ws_opt *o = ws->opt;
    uint32_t *heap = realloc(o->heap, capacity * sizeof *heap);
    if (heap)
        o->heap = heap;
    uint32_t *pos = realloc(o->pos, capacity * sizeof *pos);
    if (pos)
        o->pos = pos;
    uint64_t *next = realloc(o->next_use, capacity * sizeof *next);
    if (next)
        o->next_use = next;
    uint64_t *seq = realloc(o->seq, capacity * sizeof *seq);
    if (seq)
        o->seq = seq;
    return heap && pos && next && seq;
}

/* ---- The VPN -> index hash (open addressing, linear probing) ---- */

/* The home slot of page vpn: the top bits of vpn times 2^32 / phi
 * (Knuth's multiplicative hashing). The top bits depend on every bit of
 * the page number; the low bits of the product depend only on its low
 * bits, so pages a power of two apart (one per 64 KiB allocation, one per
 * page table's 4 MiB) would all share a home slot and a probe would run
 * through all of them. */
static inline uint32_t hash_of(const struct mm_wsl *ws, uint32_t vpn)
{
    return (vpn * 2654435761u) >> (__builtin_clz(ws->hash_size) + 1);   /* hash_size is 2^(32 - that) */
}

static inline void hash_put(struct mm_wsl *ws, uint32_t vpn, uint32_t index)
{
    uint32_t h = hash_of(ws, vpn);
    while (ws->hash[h])
        h = (h + 1) & (ws->hash_size - 1);
    ws->hash[h] = index + 1;
    ws->wsle[index] |= WSLE_HASHED;
}

/* Take entry `index`, the page vpn's, out of the hash. Deletion by
 * backward shift: after the hole, each entry of the cluster whose home
 * slot is not between the hole and itself moves back into the hole and
 * leaves its own slot as the next one, so that every lookup still meets
 * its entry before an empty slot. */
static inline void hash_del(struct mm_wsl *ws, uint32_t vpn, uint32_t index)
{
    uint32_t mask = ws->hash_size - 1, h = hash_of(ws, vpn);
    while (ws->hash[h] && ws->hash[h] != index + 1)
        h = (h + 1) & mask;
    if (!ws->hash[h])
        return;
    for (uint32_t j = (h + 1) & mask; ws->hash[j]; j = (j + 1) & mask) {
        uint32_t home = hash_of(ws, VA_VPN(wsle_va(ws->wsle[ws->hash[j] - 1])));
        if (((j - home) & mask) >= ((j - h) & mask)) {
            ws->hash[h] = ws->hash[j];
            h = j;
        }
    }
    ws->hash[h] = 0;
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

uint32_t ws_lookup(const struct mm_process *p, mm_va va) { return ws_find(&p->ws, va); }

uint32_t ws_find(const struct mm_wsl *ws, mm_va va)
{
    uint32_t vpn = VA_VPN(va);
    if (ws->hash) {
        for (uint32_t h = hash_of(ws, vpn); ws->hash[h]; h = (h + 1) & (ws->hash_size - 1))
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
    struct ws_link *link = realloc(ws->link, cap * sizeof *link);
    if (!link)
        return false;
    ws->link = link;
    if (ws->opt && !opt_reserve(ws, cap))
        return false;
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
    if (m->cfg.policy == MM_POLICY_OPT && !ws->opt && !opt_reserve(ws, ws->capacity))
        return WSLE_NULL_INDEX;
    uint32_t index = ws->first_free;
    ws->first_free = free_next(ws->wsle[index]);
    ws->wsle[index] = PAGE_ALIGN(va) | WSLE_VALID | WSLE_DIRECT | (locked ? WSLE_LOCKED_IN_WS : 0);
    if (index > ws->last_entry)
        ws->last_entry = index;
    unsigned q = queue_of(ws->wsle[index]);
    if (q != WS_QUEUES)
        queue_append(ws, q, index);
    if (q == WS_QUEUE_DATA) {
        ws->data_pages++;
        if (ws->opt) {
            ws->opt->next_use[index] = UINT64_MAX;
            ws->opt->seq[index] = ws->opt->entered++;
            opt_push(ws->opt, index);
        }
    }
    m->pfn[frame].u1.ws_index = index;
    if (++ws->size > ws->peak)
        ws->peak = ws->size;
    if (ws->hash)
        hash_put(ws, VA_VPN(va), index);
    if (why == MM_WS_FAULT) {   /* NT counts a fault where it takes a WSLE (MiAllocateWsle) */
        p->page_fault_count++;
        m->page_fault_count++;
    }
    if (ev_on(m))
        ev_wsle(m, p->pid, index, PAGE_ALIGN(va), true, why);
    return index;
}

void ws_set_protection(struct mm_process *p, uint32_t index, uint32_t protection)
{
    mm_wsle *e = &p->ws.wsle[index];
    *e = (*e & ~(0x1Fu << WSLE_PROT_SHIFT)) | ((protection & 0x1Fu) << WSLE_PROT_SHIFT);
}

/* ws_release_entry's work, inline in ws_remove_page (every replacement
 * and trim). */
static inline __attribute__((always_inline)) void release_entry(struct mm_machine *m, struct mm_process *p,
                                                                uint32_t index, enum mm_ws_reason why)
{
    struct mm_wsl *ws = &p->ws;
    mm_wsle e = ws->wsle[index];
    MM_ASSERT(wsle_valid(e));
    unsigned q = queue_of(e);
    if (q != WS_QUEUES)
        queue_unlink(ws, q, index);
    if (q == WS_QUEUE_DATA) {
        ws->data_pages--;
        if (ws->opt)
            opt_remove(ws->opt, index);
    }
    if (ws->hash)
        hash_del(ws, VA_VPN(wsle_va(e)), index);
    ws->wsle[index] = free_entry(ws->first_free);
    ws->first_free = index;
    ws->size--;
    if (ev_on(m))
        ev_wsle(m, p->pid, index, wsle_va(e), false, why);
}

void ws_release_entry(struct mm_machine *m, struct mm_process *p, uint32_t index, enum mm_ws_reason why)
{
    release_entry(m, p, index, why);
}

/* ---- Compacting the list ---- */

/* Move valid entry `from` to free entry `to` (to < from): the queues, the
 * OPT heap, the hash and the frame's WsIndex follow it. */
static void move_entry(struct mm_machine *m, struct mm_process *p, uint32_t from, uint32_t to)
{
    struct mm_wsl *ws = &p->ws;
    mm_wsle e = ws->wsle[from];
    mm_va va = wsle_va(e);
    if (ws->hash)
        hash_del(ws, VA_VPN(va), from);
    ws->wsle[to] = e & ~WSLE_HASHED;
    ws->wsle[from] = free_entry(WSLE_NULL_INDEX);
    if (ws->hash)
        hash_put(ws, VA_VPN(va), to);
    unsigned q = queue_of(e);
    if (q != WS_QUEUES) {
        struct ws_link l = ws->link[from];
        ws->link[to] = l;
        if (l.prev == WSLE_NULL_INDEX)
            ws->queue[q].head = to;
        else
            ws->link[l.prev].next = to;
        if (l.next == WSLE_NULL_INDEX)
            ws->queue[q].tail = to;
        else
            ws->link[l.next].prev = to;
    }
    if (q == WS_QUEUE_DATA && ws->opt) {
        struct ws_opt *o = ws->opt;
        opt_place(o, o->pos[from], to);
        o->next_use[to] = o->next_use[from];
        o->seq[to] = o->seq[from];
    }
    struct pte_loc at;
    bool present = pt_pte_loc(m, p, va, &at);
    MM_ASSERT(present);
    struct mmpfn *pf = &m->pfn[pte_frame(pt_read(m, at))];
    /* a shared page's WsIndex is only a hint, and may be another process's */
    if (pf->u1.ws_index == from)
        pf->u1.ws_index = to;
    if (ev_on(m)) {
        ev_wsle(m, p->pid, from, va, false, MM_WS_COMPACT);
        ev_wsle(m, p->pid, to, va, true, MM_WS_COMPACT);
    }
}

/* NT: MiRemoveWorkingSetPages. Two fingers close in: the lowest free
 * dynamic entry takes the highest valid one until they meet. LastEntry
 * comes down to the last valid entry, the free list is rebuilt in index
 * order above it and NextSlot goes back to FirstDynamic. */
uint32_t ws_compact(struct mm_machine *m, struct mm_process *p)
{
    struct mm_wsl *ws = &p->ws;
    uint32_t moved = 0, low = ws->first_dynamic, high = ws->last_entry;
    if (high >= ws->capacity)
        high = ws->capacity - 1;
    while (low < high) {
        if (wsle_valid(ws->wsle[low]))
            low++;
        else if (!wsle_valid(ws->wsle[high]))
            high--;
        else {
            move_entry(m, p, high--, low++);
            moved++;
        }
    }
    uint32_t last = low < ws->capacity && wsle_valid(ws->wsle[low]) ? low : low - 1;
    if (last + 1 < ws->first_dynamic)
        last = ws->first_dynamic - 1;   /* no dynamic entry left */
    /* the entries above LastEntry have never been used since the list was
     * last chained, so they are the free list's tail already, in order
     * (I6): only the ones between the new LastEntry and the old need it */
    uint32_t above = ws->last_entry + 1 < ws->capacity ? ws->last_entry + 1 : WSLE_NULL_INDEX;
    ws->first_free = above;
    chain_free(ws, last + 1, above == WSLE_NULL_INDEX ? ws->capacity : above);
    ws->last_entry = last;
    ws->next_slot = ws->first_dynamic;
    return moved;
}

/* NT's test after a trim (MiTrimWorkingSet): compact when only the locked
 * entries are left, or when LastEntry is more than a page of entries (and
 * 15) above both the size and the maximum. */
void ws_compact_if_sparse(struct mm_machine *m, struct mm_process *p)
{
    const struct mm_wsl *ws = &p->ws;
    if (ws->last_entry < ws->first_dynamic)
        return;
    if (ws->size <= ws->first_dynamic ||
        (ws->size + WS_COMPACT_SLACK < ws->last_entry && ws->maximum + WS_COMPACT_SLACK < ws->last_entry))
        ws_compact(m, p);
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

/* removable()'s question for a page table's entry, out of line. */
static bool table_removable(const struct mm_machine *m, const struct mm_process *p, mm_wsle e)
{
    if (p->hold_tables)
        return false;
    struct pte_loc at;
    if (!pt_pte_loc(m, p, wsle_va(e), &at))
        return false;
    return m->pfn[pte_frame(pt_read(m, at))].u2.share_count == 1;
}

/* May this entry leave the working set? Not the locked ones, not a pinned
 * page, and a page table only once it maps nothing valid or in transition
 * (its ShareCount is down to the 1 its own use holds) and no operation of
 * the process holds its tables. Inline: the replacement's and the aging's
 * scans ask it of every entry they pass, nearly all of them data pages. */
static inline bool removable(const struct mm_machine *m, const struct mm_process *p, mm_wsle e)
{
    if (!wsle_valid(e) || wsle_locked(e) || pinned(p, wsle_va(e)))
        return false;
    return !is_page_table_va(wsle_va(e)) || table_removable(m, p, e);
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
    enum mm_move_reason move = why == MM_WS_REPLACE   ? MOVE_REPLACE
                               : why == MM_WS_PROTECT ? MOVE_PROTECT
                                                      : MOVE_TRIM;
    if (pte & PTE_DIRTY)
        pfn_mark_modified(m, frame);
    if (pfn_flag(&m->pfn[frame], PFN_PROTOTYPE_PTE)) {
        /* a shared page: this process's PTE points back at the prototype
         * PTE (or, when its protection here is its own, says "look it up
         * through the VAD" and keeps that protection), and the page leaves
         * memory only with its last share */
        uint32_t own = wsle_protection(p->ws.wsle[index]);
        pt_write(m, at, own ? pte_make_proto_lookup(own) : pte_make_proto_pointer(m->pfn[frame].pte_address),
                 false);
        release_entry(m, p, index, why);
        pfn_decrement_share(m, at.table, move);
        pfn_decrement_share(m, frame, move);
    } else {
        uint32_t protection = pte_protection(m->pfn[frame].original_pte);
        pt_write(m, at, pte_valid_to_transition(pte, protection), false);
        release_entry(m, p, index, why);
        pfn_decrement_share(m, frame, move);
    }
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
/* LAB ws: begin age_entry */
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
/* LAB ws: end age_entry */

/* May entry i go to make room for a data page (data_only) or any page? */
static bool candidate(const struct mm_machine *m, const struct mm_process *p, uint32_t i, bool data_only)
{
    mm_wsle e = p->ws.wsle[i];
    return (!data_only || queue_of(e) == WS_QUEUE_DATA) && removable(m, p, e);
}

/* FIFO and LRU: the first entry of a queue that may leave. On the data
 * queue only a pinned page (at most MM_MAX_PINS) is ever passed over; a
 * page table may leave only once it maps nothing resident, so the tables'
 * queue is searched only when no data page can go. */
static uint32_t victim_queue(const struct mm_machine *m, const struct mm_process *p, unsigned q)
{
    const struct mm_wsl *ws = &p->ws;
    for (uint32_t i = ws->queue[q].head; i != WSLE_NULL_INDEX; i = ws->link[i].next)
        if (removable(m, p, ws->wsle[i]))
            return i;
    return WSLE_NULL_INDEX;
}

/* The hand's next position after entry i. */
static uint32_t after(const struct mm_wsl *ws, uint32_t i)
{
    return i + 1 > ws->last_entry ? ws->first_dynamic : i + 1;
}

static uint32_t hand(const struct mm_wsl *ws)
{
    return ws->next_slot < ws->first_dynamic || ws->next_slot > ws->last_entry ? ws->first_dynamic
                                                                               : ws->next_slot;
}

/* Second chance: the hand sweeps from NextSlot; a page whose Accessed bit
 * is set has it cleared (and its TLB entry dropped, so the next access sets
 * it again) and is passed over; the first page with the bit clear goes.
 * Within two sweeps every bit is clear, which bounds the loop. */
/* LAB ws: begin victim_clock */
static uint32_t victim_clock(struct mm_machine *m, struct mm_process *p, bool data_only)
{
    struct mm_wsl *ws = &p->ws;
    uint32_t span = ws->last_entry + 1 - ws->first_dynamic, i = hand(ws);
    for (uint32_t n = 0; n <= 2 * span; n++, i = after(ws, i)) {
        if (!candidate(m, p, i, data_only))
            continue;
        struct pte_loc at;
        mm_pte pte = entry_pte(m, p, ws->wsle[i], &at);
        if (pte & PTE_ACCESSED) {
            pt_write(m, at, pte & ~PTE_ACCESSED, false);
            continue;
        }
        ws->next_slot = after(ws, i);
        return i;
    }
    return WSLE_NULL_INDEX;
}
/* LAB ws: end victim_clock */

/* NT's aging as a clock: the hand sweeps from NextSlot, aging as it goes,
 * and stops at the first entry that reaches the maximum age. Each entry
 * reaches it within four sweeps, which bounds the loop. */
/* LAB ws: begin victim_aging */
static uint32_t victim_aging(struct mm_machine *m, struct mm_process *p, bool data_only)
{
    struct mm_wsl *ws = &p->ws;
    uint32_t span = ws->last_entry + 1 - ws->first_dynamic, i = hand(ws);
    for (uint32_t n = 0; n < span * (WSLE_MAX_AGE + 2); n++, i = after(ws, i)) {
        if (candidate(m, p, i, data_only) && age_entry(m, p, i) >= WSLE_MAX_AGE) {
            ws->next_slot = after(ws, i);
            return i;
        }
    }
    return WSLE_NULL_INDEX;
}
/* LAB ws: end victim_aging */

/* OPT: the top of the heap, passing over pinned pages (at most
 * MM_MAX_PINS, taken off and put back). */
static uint32_t victim_opt(const struct mm_machine *m, struct mm_process *p)
{
    struct ws_opt *o = p->ws.opt;
    uint32_t held[MM_MAX_PINS], n = 0, victim = WSLE_NULL_INDEX;
    if (!o)
        return WSLE_NULL_INDEX;
    while (o->count > 0 && n < MM_MAX_PINS && !removable(m, p, p->ws.wsle[o->heap[0]])) {
        held[n++] = o->heap[0];
        opt_remove(o, o->heap[0]);
    }
    if (o->count > 0 && removable(m, p, p->ws.wsle[o->heap[0]]))
        victim = o->heap[0];
    while (n > 0)
        opt_push(o, held[--n]);
    return victim;
}

/* The page the machine's policy gives up: a data page, or with data_only
 * false a page table once no data page can go (FIFO, LRU, OPT) or where
 * the hand finds one (clock, aging). */
static inline uint32_t choose_victim(struct mm_machine *m, struct mm_process *p, bool data_only)
{
    uint32_t victim = WSLE_NULL_INDEX;
    if (p->ws.last_entry < p->ws.first_dynamic)
        return WSLE_NULL_INDEX;
    switch (m->cfg.policy) {
    case MM_POLICY_CLOCK: return victim_clock(m, p, data_only);
    case MM_POLICY_AGING: return victim_aging(m, p, data_only);
    case MM_POLICY_OPT: victim = victim_opt(m, p); break;
    default: victim = victim_queue(m, p, WS_QUEUE_DATA); break;
    }
    if (victim == WSLE_NULL_INDEX && !data_only)
        victim = victim_queue(m, p, WS_QUEUE_TABLES);
    return victim;
}

/* mmsim's: the hands of clock and aging step over every free entry below
 * LastEntry, so before a fault's, a trim's or the data-page limit's
 * searches would pass more than WS_COMPACT_SLACK + 1 of them, the list is
 * compacted (once per call: a trim's own removals are passed by a hand
 * that goes on, and compacted after it). */
static void compact_before_search(struct mm_machine *m, struct mm_process *p)
{
    if ((m->cfg.policy == MM_POLICY_CLOCK || m->cfg.policy == MM_POLICY_AGING) &&
        p->ws.size + WS_COMPACT_SLACK < p->ws.last_entry)
        ws_compact(m, p);
}

/* Must a data page coming in at va replace data pages first? */
static bool over_data_limit(const struct mm_wsl *ws, mm_va va)
{
    return ws->data_limit && ws->data_pages >= ws->data_limit && !is_page_table_va(va);
}

/* Must a page coming in replace one (at the maximum, and it is hard or
 * memory is below the plenty mark)? */
static bool at_maximum(const struct mm_machine *m, const struct mm_wsl *ws)
{
    return ws->size >= ws->maximum && (ws->hard_maximum || mm_available(m) < m->cfg.wsmgr_plenty);
}

/* NT: MiDoReplacement. Below its maximum a working set grows. At its
 * maximum it gives up a page for the new one when the maximum is hard
 * (MaximumWorkingSetHard), or when available memory is below the plenty
 * mark; otherwise it grows past the maximum and the working-set manager
 * trims it back once memory is no longer plentiful. A data page at the
 * data-page limit (mmsim's, for traces) first replaces data pages.
 * SIMPLIFIED: NT's test for growing is a growth-rate estimate against the
 * available pages (MI_WS_GROWING_TOO_FAST below MM_VERY_HIGH_LIMIT), not
 * the maximum and a fixed mark. */
void ws_make_room(struct mm_machine *m, struct mm_process *p, mm_va va)
{
    struct mm_wsl *ws = &p->ws;
    if (ws->size + WS_COMPACT_SLACK < ws->last_entry && (over_data_limit(ws, va) || at_maximum(m, ws)))
        compact_before_search(m, p);   /* the sparse test first: a fault on a dense list asks nothing more */
    while (over_data_limit(ws, va)) {
        uint32_t victim = choose_victim(m, p, true);
        if (victim == WSLE_NULL_INDEX || !ws_remove_page(m, p, victim, MM_WS_REPLACE))
            break;   /* only pinned pages: the set goes over the limit for now */
    }
    if (!at_maximum(m, ws))
        return;
    /* One page goes for the one coming in; a hard maximum is brought back
     * under the limit whatever put the set above it. With nothing
     * removable (all locked, pinned or busy page tables) the set grows. */
    do {
        uint32_t victim = choose_victim(m, p, false);
        if (victim == WSLE_NULL_INDEX || !ws_remove_page(m, p, victim, MM_WS_REPLACE))
            break;
    } while (ws->hard_maximum && ws->size >= ws->maximum);
}

/* LAB ws: begin ws_age */
void ws_age(struct mm_machine *m, struct mm_process *p)
{
    for (uint32_t i = p->ws.first_dynamic; i <= p->ws.last_entry; i++)
        if (removable(m, p, p->ws.wsle[i]))
            age_entry(m, p, i);
}
/* LAB ws: end ws_age */

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
    if (count && allowed)
        compact_before_search(m, p);
    while (removed < count && removed < allowed) {
        uint32_t victim = choose_victim(m, p, false);
        if (victim == WSLE_NULL_INDEX || !ws_remove_page(m, p, victim, why))
            break;
        removed++;
    }
    ws_compact_if_sparse(m, p);
    return removed;
}

/* NT: MiEmptyWorkingSet. */
uint32_t ws_empty(struct mm_machine *m, struct mm_process *p)
{
    uint32_t removed = 0, allowed = trim_allowance(p);
    for (uint32_t i = p->ws.first_dynamic; i <= p->ws.last_entry && removed < allowed; i++)
        if (ws_remove_page(m, p, i, MM_WS_TRIM))
            removed++;
    ws_compact(m, p);
    return removed;
}

uint32_t ws_index_of(const struct mm_machine *m, const struct mm_process *p, mm_va va, mm_pfn frame)
{
    return ws_entry_of(&p->ws, va, &m->pfn[frame]);
}

/* LAB ws: begin ws_trim_aged */
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
/* LAB ws: end ws_trim_aged */

uint32_t mm_trim(struct mm_machine *m, uint32_t pid, uint32_t pages)
{
    struct mm_process *p = process_get(m, pid);
    return p ? ws_trim(m, p, pages, MM_WS_TRIM) : 0;
}

mm_status mm_set_data_page_limit(struct mm_machine *m, uint32_t pid, uint32_t limit)
{
    struct mm_process *p = process_get(m, pid);
    if (!p)
        return STATUS_INVALID_CID;
    if (limit > MM_MAX_FRAMES)
        return STATUS_INVALID_PARAMETER;
    p->ws.data_limit = limit;
    if (limit && p->ws.data_pages > limit)
        compact_before_search(m, p);
    while (limit && p->ws.data_pages > limit) {
        uint32_t victim = choose_victim(m, p, true);
        if (victim == WSLE_NULL_INDEX || !ws_remove_page(m, p, victim, MM_WS_TRIM))
            break;
    }
    ws_compact_if_sparse(m, p);
    return STATUS_SUCCESS;
}

mm_status mm_set_next_use(struct mm_machine *m, uint32_t pid, mm_va va, uint64_t when)
{
    struct mm_process *p = process_get(m, pid);
    if (!p)
        return STATUS_INVALID_CID;
    uint32_t i = ws_lookup(p, va);
    if (!p->ws.opt || i == WSLE_NULL_INDEX || queue_of(p->ws.wsle[i]) != WS_QUEUE_DATA)
        return STATUS_INVALID_PARAMETER;
    struct ws_opt *o = p->ws.opt;
    uint64_t was = o->next_use[i];
    o->next_use[i] = when;
    if (when > was)
        opt_sift_up(o, o->pos[i]);
    else if (when < was)
        opt_sift_down(o, o->pos[i]);
    return STATUS_SUCCESS;
}

/* OPT's order: pop a copy of the heap, farthest next use first (ties:
 * entered first). O(n log n); for inspection, never on a fault. */
static uint32_t opt_order(const struct mm_wsl *ws, mm_va *out, uint32_t max)
{
    /* the first `max` of the heap in order, without touching it: the next
     * one is always the best of a frontier that starts at the top and
     * gains the children of each one taken (at most max + 1 places) */
    const struct ws_opt *o = ws->opt;
    if (max > o->count)
        max = o->count;
    uint32_t *frontier = malloc(((size_t)max + 2) * sizeof *frontier), nf = 0;
    if (!frontier)
        return 0;   /* out of host memory: nothing listed */
    if (o->count > 0)
        frontier[nf++] = 0;
    for (uint32_t n = 0; n < max && nf > 0; n++) {
        uint32_t best = 0;
        for (uint32_t k = 1; k < nf; k++)
            if (opt_above(o, o->heap[frontier[k]], o->heap[frontier[best]]))
                best = k;
        uint32_t at = frontier[best];
        out[n] = wsle_va(ws->wsle[o->heap[at]]);
        frontier[best] = frontier[--nf];
        for (uint32_t c = 2 * at + 1; c <= 2 * at + 2; c++)
            if (c < o->count)
                frontier[nf++] = c;
    }
    free(frontier);
    return o->count;
}

uint32_t ws_policy_order(const struct mm_machine *m, const struct mm_process *p, mm_va *out, uint32_t max)
{
    const struct mm_wsl *ws = &p->ws;
    uint32_t n = 0;
    switch (m->cfg.policy) {
    case MM_POLICY_CLOCK:
    case MM_POLICY_AGING:
        if (ws->last_entry < ws->first_dynamic)
            return 0;
        for (uint32_t k = 0, i = hand(ws); k <= ws->last_entry - ws->first_dynamic && n < max; k++, i = after(ws, i))
            if (wsle_valid(ws->wsle[i]) && queue_of(ws->wsle[i]) == WS_QUEUE_DATA)
                out[n++] = wsle_va(ws->wsle[i]);
        return ws->data_pages;
    case MM_POLICY_OPT:
        return ws->opt ? opt_order(ws, out, max) : 0;
    default:
        for (uint32_t i = ws->queue[WS_QUEUE_DATA].head; i != WSLE_NULL_INDEX && n < max; i = ws->link[i].next)
            out[n++] = wsle_va(ws->wsle[i]);
        return ws->data_pages;
    }
}

uint32_t mm_ws_policy_order(const struct mm_machine *m, uint32_t pid, mm_va *out, uint32_t max)
{
    if (!mm_process_exists(m, pid))
        return 0;
    return ws_policy_order(m, &m->process[pid - 1], out, max);
}

bool mm_ws_page_bits(const struct mm_machine *m, uint32_t pid, mm_va va, bool *accessed, uint32_t *age)
{
    if (!mm_process_exists(m, pid))
        return false;
    const struct mm_process *p = &m->process[pid - 1];
    uint32_t i = ws_lookup(p, va);
    struct pte_loc at;
    if (i == WSLE_NULL_INDEX || !pt_pte_loc(m, p, va, &at))
        return false;
    *accessed = (pt_read(m, at) & PTE_ACCESSED) != 0;
    *age = wsle_age(p->ws.wsle[i]);
    return true;
}
