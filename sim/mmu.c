/*
 * mmu.c - the simulated processor's side of memory: look the page up in
 * the TLB, else walk the two-level tables from CR3 (setting Accessed and
 * Dirty as the hardware does) and fill the TLB, else raise a page fault and
 * retry once it is resolved. Then move the bytes.
 *
 * i386 without PAE has no no-execute bit: any page the processor can read
 * it can execute. The machine's nx option models a PAE processor with the
 * bit, where an execute of a page whose protection forbids it faults.
 */
#include <string.h>

#include "fault.h"
#include "mm.h"
#include "pagetable.h"

#define MAX_FAULTS_PER_ACCESS 4   /* a resolved fault must make the walk succeed */

/* LAB walk: begin walk */
/* The PTE bits an access needs, and those the processor sets when it
 * goes ahead, by kind of access. Tables and not tests: in a trace, reads
 * and writes mix with no pattern a branch predictor could learn. */
static const mm_pte walk_needs[] = {
    [MM_ACCESS_READ] = PTE_VALID | PTE_OWNER,
    [MM_ACCESS_WRITE] = PTE_VALID | PTE_OWNER | PTE_WRITE,
    [MM_ACCESS_EXECUTE] = PTE_VALID | PTE_OWNER,
};
static const mm_pte walk_sets[] = {
    [MM_ACCESS_READ] = PTE_ACCESSED,
    [MM_ACCESS_WRITE] = PTE_ACCESSED | PTE_DIRTY,
    [MM_ACCESS_EXECUTE] = PTE_ACCESSED,
};

/* Set Accessed/Dirty in the entry at `word` (in the table frame at `at`)
 * as the processor does. With no sink attached nothing needs telling and
 * the TLB is not involved (the hardware only adds bits), so the bits are
 * stored directly: this is the common case of the walk, and pt_write's
 * bookkeeping would double its cost. */
static void set_hw_bits(struct mm_machine *m, struct pte_loc at, uint8_t *word, mm_pte value)
{
    if (ev_on(m))
        pt_write(m, at, value, true);
    else
        phys_store_le32(word, value);
}

/* The hardware walk (no side effects but A/D bits). Returns false when
 * the processor would raise a page fault. The directory frame always has
 * host storage (its self-map PDE is not zero); a table frame may not
 * (a table of zero PTEs reads as zeros). */
static inline __attribute__((always_inline)) bool walk(struct mm_machine *m, struct mm_process *p, mm_va va,
                                                      enum mm_access_kind access, mm_pte *out)
{
    if (va > MM_HIGHEST_USER_ADDRESS)
        return false;
    uint8_t *pde_word = m->phys.page[p->directory] + VA_PDI(va) * 4u;
    mm_pte pde = phys_load_le32(pde_word);
    if ((pde & (PTE_VALID | PTE_OWNER)) != (PTE_VALID | PTE_OWNER))
        return false;
    uint8_t *table = m->phys.page[pte_frame(pde)];
    if (!table)
        return false;
    uint8_t *pte_word = table + VA_PTI(va) * 4u;
    mm_pte pte = phys_load_le32(pte_word);
    if ((pte & walk_needs[access]) != walk_needs[access])
        return false;
    if (!(pde & PTE_ACCESSED))
        set_hw_bits(m, pt_pde_loc(p, va), pde_word, pde | PTE_ACCESSED);
    mm_pte set = walk_sets[access];
    if ((pte & set) != set) {
        pte |= set;
        set_hw_bits(m, (struct pte_loc){pte_frame(pde), pte_address(va)}, pte_word, pte);
    }
    *out = pte;
    return true;
}
/* LAB walk: end walk */

static bool executable(const struct mm_machine *m, mm_pfn frame)
{
    return !m->cfg.nx || prot_allows(pte_protection(m->pfn[frame].original_pte), MM_ACCESS_EXECUTE);
}

static void tlb_event(struct mm_machine *m, struct mm_process *p, mm_va va, bool hit, uint32_t old_vpn,
                      mm_pfn frame)
{
    struct mm_event ev = {.kind = MM_EV_TLB, .pid = p->pid};
    ev.u.tlb.va = va;
    ev.u.tlb.hit = hit;
    ev.u.tlb.slot = VA_VPN(va) & m->tlb.mask;
    ev.u.tlb.old_vpn = old_vpn;
    ev.u.tlb.frame = frame;
    ev_emit(m, &ev);
}

/* The cached PTE bits a TLB hit needs, by kind of access: a write hits
 * only an entry that is writable and already Dirty (else it walks, to set
 * Dirty in the PTE); a table, as walk_needs is. */
static const mm_pte tlb_needs[] = {
    [MM_ACCESS_READ] = 0,
    [MM_ACCESS_WRITE] = PTE_WRITE | PTE_DIRTY,
    [MM_ACCESS_EXECUTE] = 0,
};

/* One lookup as the processor makes it: the TLB, else the walk and a TLB
 * fill. True with *frame set when the access may go ahead; false when it
 * raises a page fault. Counts the hit or miss and tells it. With `known`
 * the caller knows that no sink is attached, and `lru` says whether the
 * policy is LRU, so neither is asked (constants: lookup is inline). */
static inline __attribute__((always_inline)) bool lookup(struct mm_machine *m, struct mm_process *p, mm_va va,
                                                        enum mm_access_kind access, mm_pfn *frame, bool known,
                                                        bool lru)
{
    uint32_t vpn = VA_VPN(va);
    struct tlb_entry *e = tlb_slot(&m->tlb, vpn);
    bool ok = false;
    if (e->vpn == vpn && (e->pte & tlb_needs[access]) == tlb_needs[access]) {
        m->tlb.hits++;
        ok = true;
        if (!known && ev_on(m))
            tlb_event(m, p, va, true, vpn, e->frame);
    } else {
        mm_pte pte;
        uint32_t old_vpn = e->vpn;
        m->tlb.misses++;
        if (walk(m, p, va, access, &pte)) {
            tlb_fill_slot(e, vpn, pte);
            ok = true;
        } else if (old_vpn == vpn) {
            /* the entry maps the page but refuses this access: the page
             * fault drops it (Intel SDM 4.10.4.1), so the retry walks */
            tlb_invalidate(&m->tlb, va);
        } else {
            old_vpn = TLB_INVALID_TAG;   /* nothing filled: the entry keeps its page */
        }
        if (!known && ev_on(m))
            tlb_event(m, p, va, false, old_vpn, ok ? e->frame : MM_EMPTY_LIST);
    }
    if (!ok || (access == MM_ACCESS_EXECUTE && !executable(m, e->frame)))
        return false;
    *frame = e->frame;
    if (known ? lru : m->cfg.policy == MM_POLICY_LRU)
        ws_note_access(&p->ws, va, &m->pfn[e->frame]);
    return true;
}

/* The lookups that fault: the fault handler, and the lookup again, until
 * the access may go ahead or fails. Out of line, so that the common case
 * (a lookup that succeeds) keeps few registers. */
static __attribute__((noinline)) mm_status translate_faulting(struct mm_machine *m, struct mm_process *p,
                                                              mm_va va, enum mm_access_kind access,
                                                              mm_pfn *frame)
{
    for (int faults = 0;; faults++) {
        mm_status s = fault_access(m, p, va, access);
        if (s != STATUS_SUCCESS)
            return s;
        if (lookup(m, p, va, access, frame, false, false))
            return STATUS_SUCCESS;
        if (faults + 1 == MAX_FAULTS_PER_ACCESS)
            mm_panic(__func__, "fault at 0x%08X resolved %d times but still fails", va, faults + 1);
    }
}

/* The fault state of an access that raises no fault: "no fault" until one
 * is raised; fault_access() fills in the rest. */
static inline void no_fault_yet(struct mm_machine *m)
{
    m->last_fault.kind = MM_FAULT_NONE;
    m->last_fault.av = MM_AV_NONE;
    m->last_fault.status = STATUS_SUCCESS;
    m->last_fault.table_fault = MM_FAULT_NONE;
    m->last_fault.page_table_made = false;
}

/* Translate va to a frame for `access`, faulting as needed. */
static inline __attribute__((always_inline)) mm_status translate(struct mm_machine *m, struct mm_process *p,
                                                               mm_va va, enum mm_access_kind access,
                                                               mm_pfn *frame)
{
    no_fault_yet(m);
    if (lookup(m, p, va, access, frame, false, false))
        return STATUS_SUCCESS;
    return translate_faulting(m, p, va, access, frame);
}

static inline struct mm_process *enter(struct mm_machine *m, uint32_t pid)
{
    struct mm_process *p = process_get(m, pid);
    if (p && m->current != p)
        process_attach(m, p);
    return p;
}

static bool all_zero(const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

/* Move n bytes between the caller's buffer and `frame` at `offset`. */
static void move(struct mm_machine *m, mm_pfn frame, uint32_t offset, uint32_t n, enum mm_access_kind access,
                 uint8_t *out, const uint8_t *in)
{
    if (access == MM_ACCESS_WRITE) {
        if (!m->phys.page[frame] && all_zero(in, n))
            return;   /* zeros into a frame that holds only zeros: nothing to store */
        uint8_t *dst = phys_materialize(&m->phys, frame);
        if (!dst)
            mm_host_exhausted(__func__, "the bytes of a frame");
        memcpy(dst + offset, in, n);
    } else {
        const uint8_t *src = m->phys.page[frame];
        if (src)
            memcpy(out, src + offset, n);
        else
            memset(out, 0, n);
    }
}

#define MAX_OPERAND 8u   /* bytes one instruction reads or writes */

/* One instruction's operand (at most 8 bytes, so at most two pages): both
 * pages are translated, faulting as needed, before any byte moves (i386
 * faults are precise). The first page stays pinned in the working set
 * while the second comes in. */
static mm_status operand(struct mm_machine *m, struct mm_process *p, mm_va va, uint32_t len,
                         enum mm_access_kind access, uint8_t *out, const uint8_t *in)
{
    uint32_t offset = VA_OFFSET(va);
    uint32_t first = len < PAGE_SIZE - offset ? len : PAGE_SIZE - offset;
    mm_pfn f1, f2 = 0;
    mm_status s = translate(m, p, va, access, &f1);
    if (s != STATUS_SUCCESS)
        return s;
    if (first < len) {
        ws_pin(p, va);
        s = translate(m, p, PAGE_ALIGN(va) + PAGE_SIZE, access, &f2);
        ws_unpin(p);
        if (s != STATUS_SUCCESS)
            return s;
    }
    move(m, f1, offset, first, access, out, in);
    if (first < len)
        move(m, f2, 0, len - first, access, out ? out + first : NULL, in ? in + first : NULL);
    return STATUS_SUCCESS;
}

/* Copy len bytes between buf and the process's memory at va; `out` is the
 * destination for reads, `in` the source for writes. */
static mm_status copy(struct mm_machine *m, uint32_t pid, mm_va va, uint32_t len,
                      enum mm_access_kind access, uint8_t *out, const uint8_t *in)
{
    struct mm_process *p = enter(m, pid);
    if (!p)
        return STATUS_INVALID_CID;
    if (len == 0)
        return STATUS_SUCCESS;
    if (len <= MAX_OPERAND)
        return operand(m, p, va, len, access, out, in);
    /* a string instruction: page by page, each page done before the next */
    uint64_t end = (uint64_t)va + len;
    for (uint64_t at = va; at < end;) {
        uint32_t offset = VA_OFFSET(at);
        uint32_t n = (uint32_t)(end - at < PAGE_SIZE - offset ? end - at : PAGE_SIZE - offset);
        mm_pfn frame;
        mm_status s = translate(m, p, (mm_va)at, access, &frame);
        if (s != STATUS_SUCCESS)
            return s;
        move(m, frame, offset, n, access, out, in);
        out = out ? out + n : NULL;
        in = in ? in + n : NULL;
        at += n;
    }
    return STATUS_SUCCESS;
}

mm_status mm_touch(struct mm_machine *m, uint32_t pid, mm_va va, uint32_t len, enum mm_access_kind access,
                   struct mm_touch *out)
{
    struct mm_process *p = enter(m, pid);
    if (!p)
        return STATUS_INVALID_CID;
    if (len == 0 || len > PAGE_SIZE || (unsigned)access > MM_ACCESS_EXECUTE)
        return STATUS_INVALID_PARAMETER;
    mm_pfn frame;
    out->pages = 1;
    mm_status s = translate(m, p, va, access, &frame);
    out->fault[0] = m->last_fault.kind;
    out->table_fault[0] = m->last_fault.table_fault;
    if (s != STATUS_SUCCESS || VA_OFFSET(va) + len <= PAGE_SIZE)
        return s;
    out->pages = 2;
    ws_pin(p, va);
    s = translate(m, p, PAGE_ALIGN(va) + PAGE_SIZE, access, &frame);
    ws_unpin(p);
    out->fault[1] = m->last_fault.kind;
    out->table_fault[1] = m->last_fault.table_fault;
    return s;
}

_Static_assert(MM_FAULT_NONE == 0, "touch_batch marks a run of hits with memset");

/* References [from, to) of a batch were hits: no fault kinds. */
static inline void mark_hits(uint8_t *fault, uint8_t *table_fault, uint32_t from, uint32_t to)
{
    memset(fault + from, MM_FAULT_NONE, to - from);
    memset(table_fault + from, MM_FAULT_NONE, to - from);
}

/* mm_touch_pages' loop over a batch: each reference is translate()'s,
 * with its fault state reset only after a fault (a lookup that succeeds
 * leaves it as it found it). A hit writes no fault kinds: each run of
 * hits is marked at once, before the fault that ends it and at the end.
 * Inline four times: with no sink attached (`known`), a batch of reads
 * (access NULL), as a page-number trace gives, has a loop of its own
 * under LRU and one under the other policies, and a batch of mixed
 * accesses one more; with a sink, the general loop. */
static inline __attribute__((always_inline)) mm_status touch_batch(struct mm_machine *m, struct mm_process *p,
                                                                   const mm_va *va, const uint8_t *access,
                                                                   uint32_t n, uint8_t *fault,
                                                                   uint8_t *table_fault, uint32_t *done, bool known,
                                                                   bool lru)
{
    no_fault_yet(m);
    uint32_t hits = 0;   /* where the run of hits before i began */
    for (uint32_t i = 0; i < n; i++) {
        mm_pfn frame;
        enum mm_access_kind kind = access ? (enum mm_access_kind)access[i] : MM_ACCESS_READ;
        if ((unsigned)kind > MM_ACCESS_EXECUTE) {   /* not a kind: the tables above have no entry for it */
            mark_hits(fault, table_fault, hits, i);
            *done = i;
            return STATUS_INVALID_PARAMETER;
        }
        if (lookup(m, p, va[i], kind, &frame, known, lru))
            continue;
        mark_hits(fault, table_fault, hits, i);
        hits = i + 1;
        mm_status s = translate_faulting(m, p, va[i], kind, &frame);
        fault[i] = (uint8_t)m->last_fault.kind;
        table_fault[i] = (uint8_t)m->last_fault.table_fault;
        if (s != STATUS_SUCCESS) {
            *done = i;
            return s;
        }
        if (i + 1 < n)
            no_fault_yet(m);
    }
    mark_hits(fault, table_fault, hits, n);
    *done = n;
    return STATUS_SUCCESS;
}

mm_status mm_touch_pages(struct mm_machine *m, uint32_t pid, const mm_va *va, const uint8_t *access, uint32_t n,
                         uint8_t *fault, uint8_t *table_fault, uint32_t *done)
{
    struct mm_process *p = enter(m, pid);
    *done = 0;
    if (!p)
        return STATUS_INVALID_CID;
    if (n == 0)
        return STATUS_SUCCESS;   /* no access: the fault state stays the last one's */
    /* one enter() serves the batch: the address space changes only when a
       call enters another process or a process exits, never in a fault.
       Nor is a sink attached or the policy changed during a batch: the
       engine calls out only to the sink. */
    if (!ev_on(m)) {
        bool lru = m->cfg.policy == MM_POLICY_LRU;
        if (access)
            return touch_batch(m, p, va, access, n, fault, table_fault, done, true, lru);
        if (lru)
            return touch_batch(m, p, va, NULL, n, fault, table_fault, done, true, true);
        return touch_batch(m, p, va, NULL, n, fault, table_fault, done, true, false);
    }
    return touch_batch(m, p, va, access, n, fault, table_fault, done, false, false);
}

mm_status mm_read(struct mm_machine *m, uint32_t pid, mm_va va, void *buf, uint32_t len)
{
    return copy(m, pid, va, len, MM_ACCESS_READ, buf, NULL);
}

mm_status mm_write(struct mm_machine *m, uint32_t pid, mm_va va, const void *buf, uint32_t len)
{
    return copy(m, pid, va, len, MM_ACCESS_WRITE, NULL, buf);
}

mm_status mm_execute(struct mm_machine *m, uint32_t pid, mm_va va)
{
    struct mm_process *p = enter(m, pid);
    if (!p)
        return STATUS_INVALID_CID;
    mm_pfn frame;
    return translate(m, p, va, MM_ACCESS_EXECUTE, &frame);
}

mm_status mm_read32(struct mm_machine *m, uint32_t pid, mm_va va, uint32_t *value)
{
    if (va & 3u)
        return mm_read(m, pid, va, value, 4);
    struct mm_process *p = enter(m, pid);
    if (!p)
        return STATUS_INVALID_CID;
    mm_pfn frame;
    mm_status s = translate(m, p, va, MM_ACCESS_READ, &frame);
    if (s == STATUS_SUCCESS)
        *value = phys_read32(&m->phys, frame, VA_OFFSET(va));
    return s;
}

mm_status mm_write32(struct mm_machine *m, uint32_t pid, mm_va va, uint32_t value)
{
    if (va & 3u)
        return mm_write(m, pid, va, &value, 4);
    struct mm_process *p = enter(m, pid);
    if (!p)
        return STATUS_INVALID_CID;
    mm_pfn frame;
    mm_status s = translate(m, p, va, MM_ACCESS_WRITE, &frame);
    if (s == STATUS_SUCCESS && !phys_write32(&m->phys, frame, VA_OFFSET(va), value))
        mm_host_exhausted(__func__, "the bytes of a frame");
    return s;
}

const struct mm_fault_info *mm_last_fault(const struct mm_machine *m) { return &m->last_fault; }
