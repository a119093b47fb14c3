/*
 * resolve.h - the fault resolvers: each makes one not-valid PTE valid.
 * The PTE may map a data page or, when it is a PDE, a page table (a page
 * table is the page at 0xC0000000 + pdi * 4096 and its PDE is its PTE), so
 * fault.c uses them for user pages and pagetable.c for page tables that
 * were paged out. Deciding which resolver applies, and checking the access
 * first, is fault.c's (NT: MmAccessFault, MiDispatchFault).
 */
#ifndef MMSIM_RESOLVE_H
#define MMSIM_RESOLVE_H

#include "selfmap.h"

/* The valid PTE a fault builds for `frame`: the hardware bits of the
 * protection with Accessed set (a fault-built PTE is never unaccessed),
 * and Dirty when `dirty` (NT sets it at fault time for a writable page born
 * or found modified). */
mm_pte resolve_valid_pte(mm_pfn frame, uint32_t protection, bool dirty);

/* May a fault set Dirty in the valid PTE it builds? Only for a page that
 * is writable and not copy-on-write. */
bool resolve_can_dirty(uint32_t protection);

/* NT: MiResolveDemandZeroFault. A zeroed frame becomes the page mapped by
 * the PTE at `at` (va: the page's address), valid with Accessed, and Dirty
 * when writable; born Modified, it enters p's working set. *frame gets the
 * frame. STATUS_NO_MEMORY when no frame can be found. */
mm_status resolve_demand_zero(struct mm_machine *m, struct mm_process *p, struct pte_loc at, mm_va va,
                              uint32_t protection, mm_pfn *frame);

/* NT: MiResolveTransitionFault. The transition PTE's frame leaves Standby
 * or Modified (*from says which) and becomes valid again in p's working
 * set, Dirty when the frame is Modified and the page writable. */
void resolve_transition(struct mm_machine *m, struct mm_process *p, struct pte_loc at, mm_va va,
                        mm_pte pte, mm_pfn *frame, enum mm_list *from);

/* NT: MiResolvePageFileFault. The page is read back from its slot into a
 * frame (clean: the slot stays, recorded in OriginalPte) and becomes valid
 * with Accessed set; for a data page the following slots of the file come
 * in too when the read cluster allows. STATUS_NO_MEMORY when no frame. */
mm_status resolve_page_file(struct mm_machine *m, struct mm_process *p, struct pte_loc at, mm_va va,
                            mm_pte pte, mm_pfn *frame);

/* Count a fault of p and tell the sink (the MM_EV_FAULT event). `guard` is
 * the new guard page of a thread stack, else 0; `since` the seq the
 * machine's next event had when the fault was raised (m->seq + 1 then). */
void resolve_report(struct mm_machine *m, struct mm_process *p, mm_va va, enum mm_access_kind access,
                    enum mm_fault_kind kind, enum mm_av_reason av, mm_status status, mm_pfn frame,
                    enum mm_list from, mm_va guard, uint64_t since);

#endif
