/*
 * ws.h - working sets: the list of pages a process has valid, with its
 * limits and its replacement policy (NT: MMSUPPORT, MMWSL, MMWSLE).
 *
 * The list is an array of 32-bit entries (MMWSLE, x86 layout):
 *
 *   31                          12 11 10  9  8  7        3  2  1  0
 *  +------------------------------+-----+--+--+-----------+--+--+--+
 *  |     VirtualPageNumber        | Age |Di|Ha| Protection|LM|LW|V |
 *  +------------------------------+-----+--+--+-----------+--+--+--+
 *   V Valid  LW LockedInWs  LM LockedInMemory  Ha Hashed  Di Direct
 *
 * A free entry has V = 0 and holds the index of the next free entry in
 * bits 12-31, so the free entries form a list from FirstFree.
 *
 *   0 ............ FirstDynamic-1 | FirstDynamic ........ LastEntry | ...
 *   locked: directory, hyperspace,|  dynamic: data pages and page    | free, unused
 *   the list's own page           |  tables, replaced and trimmed    | since the list
 *                                 |  (and free entries between them) | was chained
 *
 * SIMPLIFIED: the array lives in host memory; NT keeps it in the
 * process's hyperspace, in the list page(s) mmsim only accounts for.
 *
 * The PFN entry of an active page holds its WSLE index (u1.ws_index), so
 * going from a frame to its entry is direct; once the list is large a hash
 * from VPN to index also finds entries by address.
 *
 * Replacement never scans the list per fault. Every dynamic entry is also
 * on one of two queues threaded through link[] by index, data pages and
 * page tables apart, each oldest first: in insertion order (FIFO), or in
 * order of last use, an access moving its page to the tail (LRU). Clock and
 * aging advance a hand (NextSlot) over the array; OPT keeps the data pages
 * in a max-heap of their next use. A data-page limit, when set, counts and
 * replaces data pages only: page tables and locked entries neither take a
 * place under it nor are chosen to make room.
 *
 * SIMPLIFIED: NT has one policy (aging, with the Accessed bit); the queues,
 * the heap and the data-page limit are mmsim's, for comparing policies.
 */
#ifndef MMSIM_WS_H
#define MMSIM_WS_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"
#include "mmpfn.h"
#include "pte.h"

typedef uint32_t mm_wsle;

#define WSLE_VALID          0x001u
#define WSLE_LOCKED_IN_WS   0x002u
#define WSLE_LOCKED_IN_MEM  0x004u
#define WSLE_PROT_SHIFT     3u
#define WSLE_HASHED         0x100u
#define WSLE_DIRECT         0x200u
#define WSLE_AGE_SHIFT      10u
#define WSLE_AGE_MASK       0xC00u
#define WSLE_MAX_AGE        3u
#define WSLE_NULL_INDEX     0xFFFFFu   /* end of the free list (20 bits) */

#define WS_HASH_THRESHOLD   128u       /* build the hash past this many entries */
#define WS_ENTRIES_PER_PAGE 1024u      /* MMWSLEs in a page of the list (4096 / 4) */
#define WS_COMPACT_SLACK    (WS_ENTRIES_PER_PAGE + 15u)   /* see ws_compact */

static inline bool wsle_valid(mm_wsle e) { return (e & WSLE_VALID) != 0; }
static inline mm_va wsle_va(mm_wsle e) { return e & PTE_FRAME_MASK; }
static inline uint32_t wsle_age(mm_wsle e) { return (e & WSLE_AGE_MASK) >> WSLE_AGE_SHIFT; }
static inline bool wsle_locked(mm_wsle e) { return (e & WSLE_LOCKED_IN_WS) != 0; }
/* The protection an entry of a shared page keeps when it is not its
 * prototype PTE's (MMWSLENTRY.Protection); 0: the same as the prototype's. */
static inline uint32_t wsle_protection(mm_wsle e) { return (e >> WSLE_PROT_SHIFT) & 0x1Fu; }

/* A place on a queue: the neighbours' indexes (WSLE_NULL_INDEX at the ends). */
struct ws_link {
    uint32_t prev, next;
};

enum ws_queue_kind { WS_QUEUE_DATA, WS_QUEUE_TABLES, WS_QUEUES };

struct ws_queue {
    uint32_t head, tail;        /* oldest / least recently used first; WSLE_NULL_INDEX when empty */
};

/* OPT's heap of data pages, farthest next use on top (ties: entered first). */
struct ws_opt {
    uint32_t *heap;             /* entry indexes */
    uint32_t *pos;              /* per entry: its place in heap[] */
    uint64_t *next_use;         /* per entry: when it is next used (UINT64_MAX: never told) */
    uint64_t *seq;              /* per entry: when it entered, for ties */
    uint32_t count;
    uint64_t entered;           /* entries inserted so far */
};

/* The working-set list (NT: MMWSL) and its owner's counters (MMSUPPORT). */
struct mm_wsl {
    uint32_t first_free;        /* head of the free-entry list */
    uint32_t first_dynamic;     /* entries below are locked */
    uint32_t last_entry;        /* highest index that may be valid */
    uint32_t next_slot;         /* where replacement looks next */
    uint32_t last_initialized;  /* entries [0, last_initialized] exist */
    uint32_t capacity;          /* entries allocated in wsle[] */
    mm_wsle *wsle;
    struct ws_link *link;       /* per entry: its place on its queue */
    struct ws_queue queue[WS_QUEUES];
    struct ws_opt *opt;         /* under MM_POLICY_OPT only, else NULL */

    uint32_t *hash;             /* VPN -> index + 1 (0 = empty); NULL while small */
    uint32_t hash_size;         /* slots, a power of two, at least 256 */

    uint32_t size;              /* WorkingSetSize: valid entries */
    uint32_t peak;              /* PeakWorkingSetSize */
    uint32_t minimum, maximum;  /* MinimumWorkingSetSize, MaximumWorkingSetSize */
    bool hard_minimum;          /* MinimumWorkingSetHard: trimming stops at the minimum */
    bool hard_maximum;          /* MaximumWorkingSetHard: at the maximum a fault replaces */
    uint32_t data_pages;        /* valid entries that are neither locked nor page tables */
    uint32_t data_limit;        /* 0, or at most this many data pages (mm_set_data_page_limit) */
    uint64_t replacements;      /* pages given up at the maximum or the data-page limit */
    uint64_t trimmed;           /* pages removed by trimming */
};

struct mm_machine;
struct mm_process;

bool ws_init(struct mm_wsl *ws, uint32_t minimum, uint32_t maximum);
void ws_fini(struct mm_wsl *ws);

/* Add va (whose frame is `frame`) to the list; returns its index or
 * WSLE_NULL_INDEX if the host is out of memory (NT: MiLocateAndReserveWsle
 * + MiUpdateWsle). Locked entries are for the process's own structures. */
uint32_t ws_insert(struct mm_machine *m, struct mm_process *p, mm_va va, mm_pfn frame,
                   bool locked, enum mm_ws_reason why);
/* Keep `protection` (5-bit mask) in entry `index` of a shared page whose
 * protection here differs from its prototype PTE's; 0 clears it (NT:
 * MiAddValidPageToWorkingSet clearing SameProtectAsProto). */
void ws_set_protection(struct mm_process *p, uint32_t index, uint32_t protection);
/* Free entry `index` (the page's PTE is the caller's business). */
void ws_release_entry(struct mm_machine *m, struct mm_process *p, uint32_t index,
                      enum mm_ws_reason why);
/* The index of va's entry, or WSLE_NULL_INDEX. */
uint32_t ws_lookup(const struct mm_process *p, mm_va va);

/* Take a page out of the working set: PTE (or, for a page table, PDE) ->
 * transition, its Dirty bit captured into the PFN (MI_CAPTURE_DIRTY_BIT_TO_PFN),
 * share count down (NT: MiFreeWsle + MiEliminateWorkingSetEntry). False if
 * the entry cannot be removed (locked, pinned, or a page table that still
 * maps pages valid or in transition). */
bool ws_remove_page(struct mm_machine *m, struct mm_process *p, uint32_t index,
                    enum mm_ws_reason why);

/* Compact the list (NT: MiRemoveWorkingSetPages): valid dynamic entries
 * move down into the free entries below them, highest first into lowest,
 * each move an MM_EV_WSLE pair with reason MM_WS_COMPACT; LastEntry comes
 * down to the last valid entry and NextSlot goes back to FirstDynamic.
 * Called after trimming (ws_compact_if_sparse), after emptying the set
 * (MiEmptyWorkingSet) and, mmsim's own, under clock and aging before the
 * searches for a victim of a fault, a trim or the data-page limit when
 * LastEntry is more than WS_COMPACT_SLACK above the size, so that a search
 * starts with at most WS_COMPACT_SLACK + 1 free entries in the list.
 * Returns the number of entries moved. O(LastEntry - FirstDynamic).
 * SIMPLIFIED: the list's host memory is kept; NT frees the list pages
 * above the new LastEntry and shrinks the hash. */
uint32_t ws_compact(struct mm_machine *m, struct mm_process *p);
/* ws_compact if only the locked entries are left, or LastEntry is more
 * than WS_COMPACT_SLACK above both the size and the maximum (NT's test at
 * the end of MiTrimWorkingSet); ws_trim and mm_set_data_page_limit call it
 * after trimming, wsmgr_run for each set its trimming pass took from. */
void ws_compact_if_sparse(struct mm_machine *m, struct mm_process *p);

/* Before inserting va's page (NT: MiDoReplacement): a data page at the
 * data-page limit first replaces data pages until it is below it; then, at
 * its maximum, a set gives up one page chosen by the machine's policy when
 * the maximum is hard or available memory is below the plenty mark;
 * otherwise it may grow. */
void ws_make_room(struct mm_machine *m, struct mm_process *p, mm_va va);

/* Keep va's page in p's working set until ws_unpin: replacement and
 * trimming pass it over (at most MM_MAX_PINS at once, released last in
 * first out). */
void ws_pin(struct mm_process *p, mm_va va);
void ws_unpin(struct mm_process *p);

/* One aging pass (NT's trimming scan): accessed -> age 0 and clear the bit,
 * else age + 1 up to 3. */
void ws_age(struct mm_machine *m, struct mm_process *p);
/* Remove up to `count` dynamic pages, oldest first, never below a hard
 * minimum; returns how many went. */
uint32_t ws_trim(struct mm_machine *m, struct mm_process *p, uint32_t count, enum mm_ws_reason why);
/* Remove up to `limit` pages of age >= min_age while the set is above
 * `floor` pages (the working-set manager's oldest-first trimming). */
uint32_t ws_trim_aged(struct mm_machine *m, struct mm_process *p, uint32_t min_age, uint32_t floor,
                      uint32_t limit);
/* Remove every page that can go, down to a hard minimum (NT:
 * MiEmptyWorkingSet). */
uint32_t ws_empty(struct mm_machine *m, struct mm_process *p);

/* The index of va's entry, or WSLE_NULL_INDEX (ws_lookup's, by the list). */
uint32_t ws_find(const struct mm_wsl *ws, mm_va va);

/* Is entry i of ws the valid entry of va's page? (A PFN's WsIndex names
 * it, except for a shared page, whose one WsIndex may be another
 * process's.) */
static inline bool ws_entry_maps(const struct mm_wsl *ws, uint32_t i, mm_va va)
{
    return i <= ws->last_entry && i < ws->capacity &&
           (ws->wsle[i] & (PTE_FRAME_MASK | WSLE_VALID)) == (PAGE_ALIGN(va) | WSLE_VALID);
}

/* Move entry i, on queue q and not its tail, to the tail: an unlink and an
 * append in one splice. */
static inline void ws_queue_to_tail(struct mm_wsl *ws, unsigned q, uint32_t i)
{
    struct ws_queue *k = &ws->queue[q];
    struct ws_link *link = ws->link;
    uint32_t prev = link[i].prev, next = link[i].next;
    if (prev == WSLE_NULL_INDEX)
        k->head = next;
    else
        link[prev].next = next;
    link[next].prev = prev;
    link[i].prev = k->tail;
    link[i].next = WSLE_NULL_INDEX;
    link[k->tail].next = i;
    k->tail = i;
}

/* The index of va's entry in ws, `pf` being its frame's PFN entry: the
 * WsIndex, which for a private page always names its entry in the one list
 * that maps it (invariant I6); a shared page's is only a hint (a page of a
 * section has one WsIndex for all its processes), so it is checked, and
 * the entry found by address when it is another process's (NT:
 * MiLocateWsle). */
static inline uint32_t ws_entry_of(const struct mm_wsl *ws, mm_va va, const struct mmpfn *pf)
{
    uint32_t i = pf->u1.ws_index;
    if (pfn_flag(pf, PFN_PROTOTYPE_PTE) && !ws_entry_maps(ws, i, va))
        i = ws_find(ws, va);
    return i;
}

/* LRU bookkeeping on an access to the valid user page at va (so a data
 * page, never a page table), `pf` being its frame's PFN entry: its entry
 * goes to the tail of the data pages' queue; a locked entry (below
 * FirstDynamic) is on no queue. O(1), and inline: under LRU every
 * reference makes it. */
static inline void ws_note_access(struct mm_wsl *ws, mm_va va, const struct mmpfn *pf)
{
    uint32_t i = ws_entry_of(ws, va, pf);
    if (i >= ws->first_dynamic && ws->queue[WS_QUEUE_DATA].tail != i)
        ws_queue_to_tail(ws, WS_QUEUE_DATA, i);
}
/* ws_entry_of for p's page at va, its frame being `frame`. */
uint32_t ws_index_of(const struct mm_machine *m, const struct mm_process *p, mm_va va, mm_pfn frame);

/* The data pages of p in the order the policy would take them, first
 * victim first (read-only: no hand moves, no bit changes); fills up to max
 * and returns how many there are. */
uint32_t ws_policy_order(const struct mm_machine *m, const struct mm_process *p, mm_va *out, uint32_t max);

#endif
