/*
 * fault.c - the page-fault handler. fault_access() is MmAccessFault: it
 * makes the page table present (itself a fault on the PDE when the table
 * is new or paged out), works out what the faulting PTE (or the VAD, when
 * the PTE is zero) says, checks the access against the page's protection
 * (MiAccessCheck), and hands the PTE to one resolver (resolve.c):
 *
 *   PTE form            resolver                       fault kind
 *   zero / demand-zero  resolve_demand_zero            MM_FAULT_DEMAND_ZERO
 *   transition          resolve_transition             MM_FAULT_TRANSITION
 *   page-file           resolve_page_file              MM_FAULT_PAGE_FILE (hard)
 *   valid               (the processor refused)        MM_FAULT_ACCESS_VIOLATION
 *   (guard protection)  guard_page, with the stack     MM_FAULT_GUARD_PAGE
 *                       check for a thread stack
 *
 * The page table comes first (pt_ensure): MM_FAULT_PAGE_TABLE for a new
 * one, MM_FAULT_TRANSITION or MM_FAULT_PAGE_FILE at the table's own
 * address for one that was paged out.
 */
#include "fault.h"

#include "mm.h"
#include "pagetable.h"
#include "protofault.h"
#include "resolve.h"
#include "vad.h"
#include "view.h"
#include "virtual.h"

static mm_status finish(struct mm_machine *m, struct mm_process *p, mm_va va,
                        enum mm_access_kind access, enum mm_fault_kind kind, enum mm_av_reason av,
                        mm_status status, mm_pfn frame, enum mm_list from, mm_va guard)
{
    m->last_fault.kind = kind;
    m->last_fault.av = av;
    m->last_fault.status = status;
    resolve_report(m, p, va, access, kind, av, status, frame, from, guard, m->last_fault.since);
    return status;
}

static mm_status access_violation(struct mm_machine *m, struct mm_process *p, mm_va va,
                                  enum mm_access_kind access, enum mm_av_reason why)
{
    return finish(m, p, va, access, MM_FAULT_ACCESS_VIOLATION, why, STATUS_ACCESS_VIOLATION, 0,
                  MM_LIST_COUNT, 0);
}

static mm_status out_of_memory(struct mm_machine *m, struct mm_process *p, mm_va va,
                               enum mm_access_kind access)
{
    return finish(m, p, va, access, MM_FAULT_NO_MEMORY, MM_AV_NONE, STATUS_NO_MEMORY, 0,
                  MM_LIST_COUNT, 0);
}

/* The access the protection must allow: plain i386 has no no-execute bit,
 * so without the machine's nx option an execute needs only read access.
 * SIMPLIFIED: with nx the PTEs stay in the 32-bit non-PAE format; real
 * no-execute needs PAE's 64-bit entries (bit 63). */
static enum mm_access_kind checked_access(const struct mm_machine *m, enum mm_access_kind access)
{
    return access == MM_ACCESS_EXECUTE && !m->cfg.nx ? MM_ACCESS_READ : access;
}

/* The PTE is valid, so the processor refused the access itself: a write to
 * a page that is not writable, or (with nx) an execute of a page that is
 * not executable. Otherwise the translation works now. */
static mm_status refused(struct mm_machine *m, struct mm_process *p, mm_va va, enum mm_access_kind access,
                         struct pte_loc at, mm_pte pte)
{
    uint32_t protection = pte_protection(m->pfn[pte_frame(pte)].original_pte);
    if (pfn_flag(&m->pfn[pte_frame(pte)], PFN_PROTOTYPE_PTE)) {
        const struct mm_vad *vad = vad_find(&p->vads, VA_VPN(va));
        MM_ASSERT(vad && view_is_mapped(vad));
        protection = view_page_protection(m, vad, va);
    }
    if (access == MM_ACCESS_WRITE && (pte & PTE_COPY_ON_WRITE)) {
        mm_pfn frame;
        if (proto_copy_on_write(m, p, at, va, pte, &frame) != STATUS_SUCCESS)
            return out_of_memory(m, p, va, access);
        return finish(m, p, va, access, MM_FAULT_COPY_ON_WRITE, MM_AV_NONE, STATUS_SUCCESS, frame,
                      MM_LIST_COUNT, 0);
    }
    if (access == MM_ACCESS_WRITE && !(pte & PTE_WRITE))
        return access_violation(m, p, va, access, MM_AV_WRITE);
    if (access == MM_ACCESS_EXECUTE && !prot_allows(protection, checked_access(m, access)))
        return access_violation(m, p, va, access, MM_AV_EXECUTE);
    return finish(m, p, va, access, MM_FAULT_NONE, MM_AV_NONE, STATUS_SUCCESS, pte_frame(pte),
                  MM_LIST_COUNT, 0);
}

/* The thread stack whose reservation holds va, or NULL. */
static struct mm_stack *stack_of(struct mm_process *p, mm_va va)
{
    for (uint32_t i = 0; i < p->stacks; i++)
        if (va >= p->stack[i].deallocation && va < p->stack[i].base)
            return &p->stack[i];
    return NULL;
}

/* NT: MiCheckForUserStackOverflow, after the guard page at va was cleared.
 * While a page of the reservation is left below the next guard page, the
 * page below va is committed as the new guard and the access is retried
 * (STATUS_PAGE_FAULT_GUARD_PAGE). When the new guard would sit just above
 * the last page (the last page always stays reserved), the page below va
 * is committed without a guard instead and the thread gets
 * STATUS_STACK_OVERFLOW. A commit that
 * fails (the commit limit) fails the access with its status. *guard gets
 * the new guard page, 0 when none was made. */
static mm_status check_stack_overflow(struct mm_machine *m, struct mm_process *p, struct mm_stack *st,
                                      mm_va va, mm_va *guard)
{
    mm_va next = PAGE_ALIGN(va) - PAGE_SIZE;
    st->limit = PAGE_ALIGN(va);
    *guard = 0;
    mm_va base = next;
    uint32_t size = PAGE_SIZE;
    if (next - PAGE_SIZE <= st->deallocation) {
        /* No room for a guard above the last page, which stays reserved:
         * the page below the old guard is committed without one, so the
         * overflow handler has stack to run on, and the thread is told. */
        if (next > st->deallocation)
            (void)mm_allocate(m, p->pid, &base, &size, MEM_COMMIT, PAGE_READWRITE);
        return STATUS_STACK_OVERFLOW;
    }
    mm_status s = mm_allocate(m, p->pid, &base, &size, MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD);
    if (s != STATUS_SUCCESS)
        return s;
    *guard = next;
    return STATUS_PAGE_FAULT_GUARD_PAGE;
}

/* NT: the guard-page branch of MiAccessCheck. The first allowed touch
 * clears the guard and raises STATUS_GUARD_PAGE_VIOLATION; the access is
 * not performed. For a thread's stack, MiCheckForUserStackOverflow then
 * moves the guard down and the access is retried. */
static mm_status guard_page(struct mm_machine *m, struct mm_process *p, struct pte_loc at, mm_va va,
                            enum mm_access_kind access, mm_pte pte, uint32_t protection)
{
    uint32_t cleared = protection & ~(uint32_t)MM_GUARD_PAGE;
    mm_pte next;
    if (pte_is_transition(pte)) {
        next = pte_set_protection(pte, cleared);
        struct mmpfn *pf = &m->pfn[pte_frame(pte)];
        pf->original_pte = (pf->original_pte & ~PTE_PROTECTION_MASK) | (cleared << PTE_PROTECTION_SHIFT);
    } else if (pte == 0) {
        next = pte_make_demand_zero(cleared);
        pt_use(p, va);
    } else {
        next = (pte & ~PTE_PROTECTION_MASK) | (cleared << PTE_PROTECTION_SHIFT);
    }
    pt_write(m, at, next, false);
    struct mm_stack *st = stack_of(p, va);
    if (!st)
        return finish(m, p, va, access, MM_FAULT_GUARD_PAGE, MM_AV_NONE, STATUS_GUARD_PAGE_VIOLATION, 0,
                      MM_LIST_COUNT, 0);
    mm_va guard;
    mm_status s = check_stack_overflow(m, p, st, va, &guard);
    finish(m, p, va, access, MM_FAULT_GUARD_PAGE, MM_AV_NONE, s, 0, MM_LIST_COUNT, guard);
    return s == STATUS_PAGE_FAULT_GUARD_PAGE ? STATUS_SUCCESS : s;
}

/* What the PTE (or, for a zero PTE, the VAD) says the page's protection
 * is; STATUS_ACCESS_VIOLATION (already reported) when there is no page. */
static mm_status page_protection(struct mm_machine *m, struct mm_process *p, mm_va va,
                                 enum mm_access_kind access, mm_pte pte, uint32_t *protection)
{
    switch (pte_classify(pte)) {
    case PTE_FORM_ZERO: {   /* MiCheckVirtualAddress: ask the VAD */
        const struct mm_vad *vad = vad_find(&p->vads, VA_VPN(va));
        if (!vad)
            return access_violation(m, p, va, access, MM_AV_NO_VAD);
        if (!vad->mem_commit)
            return access_violation(m, p, va, access, MM_AV_NOT_COMMITTED);
        *protection = view_is_mapped(vad) ? view_page_protection(m, vad, va) : vad->protection;
        return STATUS_SUCCESS;
    }
    case PTE_FORM_DECOMMITTED:
        return access_violation(m, p, va, access, MM_AV_NOT_COMMITTED);
    case PTE_FORM_PROTOTYPE: {   /* trimmed from this view: its VAD gives the protection */
        const struct mm_vad *vad = vad_find(&p->vads, VA_VPN(va));
        MM_ASSERT(vad && view_is_mapped(vad));
        *protection = view_page_protection(m, vad, va);
        return STATUS_SUCCESS;
    }
    default:
        *protection = pte_protection(pte);
        return STATUS_SUCCESS;
    }
}

/* NT: MiAccessCheck. The access must be allowed first; only then does a
 * guard page raise its one-time exception. */
static mm_status access_check(struct mm_machine *m, struct mm_process *p, mm_va va,
                              enum mm_access_kind access, uint32_t protection)
{
    if ((protection & MM_PROTECT_ACCESS) == 0)
        return access_violation(m, p, va, access, MM_AV_NO_ACCESS);
    if (!prot_allows(protection, checked_access(m, access)))
        return access_violation(m, p, va, access,
                                access == MM_ACCESS_EXECUTE ? MM_AV_EXECUTE : MM_AV_WRITE);
    return STATUS_SUCCESS;
}

/* Resolve the page at va once its page table is present (`at`). */
static mm_status dispatch(struct mm_machine *m, struct mm_process *p, mm_va va, enum mm_access_kind access,
                          struct pte_loc at, mm_pte pte, uint32_t protection)
{
    if (prot_is_guard(protection))
        return guard_page(m, p, at, va, access, pte, protection);
    mm_pfn frame;
    mm_status s;
    const struct mm_vad *vad;
    if ((pte == 0 || pte_is_prototype(pte)) && (vad = vad_find(&p->vads, VA_VPN(va))) && view_is_mapped(vad)) {
        enum mm_fault_kind kind;
        enum mm_list from;
        s = proto_resolve(m, p, at, va, access, vad, protection, &frame, &kind, &from);
        if (s != STATUS_SUCCESS)
            return out_of_memory(m, p, va, access);
        return finish(m, p, va, access, kind, MM_AV_NONE, STATUS_SUCCESS, frame, from, 0);
    }
    switch (pte_classify(pte)) {
    case PTE_FORM_TRANSITION: {
        enum mm_list from;
        resolve_transition(m, p, at, va, pte, &frame, &from);
        return finish(m, p, va, access, MM_FAULT_TRANSITION, MM_AV_NONE, STATUS_SUCCESS, frame, from, 0);
    }
    case PTE_FORM_PAGEFILE:
        s = resolve_page_file(m, p, at, va, pte, &frame);
        if (s != STATUS_SUCCESS)
            return out_of_memory(m, p, va, access);
        return finish(m, p, va, access, MM_FAULT_PAGE_FILE, MM_AV_NONE, STATUS_SUCCESS, frame,
                      MM_LIST_COUNT, 0);
    default:
        s = resolve_demand_zero(m, p, at, va, protection, &frame);
        if (s != STATUS_SUCCESS)
            return out_of_memory(m, p, va, access);
        return finish(m, p, va, access, MM_FAULT_DEMAND_ZERO, MM_AV_NONE, STATUS_SUCCESS, frame,
                      MM_LIST_COUNT, 0);
    }
}

/* The page table of va must be present before its PTE can be read; a new
 * one is made only once the VAD says the page exists (checked by the
 * caller), a paged-out one is brought back first. */
static mm_status table_in(struct mm_machine *m, struct mm_process *p, mm_va va, enum mm_access_kind access,
                          struct pte_loc *at)
{
    enum mm_fault_kind how;
    if (pt_ensure(m, p, va, access, true, at, &how) != STATUS_SUCCESS)
        return out_of_memory(m, p, va, access);
    m->last_fault.table_fault = how;
    m->last_fault.page_table_made = how == MM_FAULT_PAGE_TABLE;
    return STATUS_SUCCESS;
}

static mm_status handle(struct mm_machine *m, struct mm_process *p, mm_va va, enum mm_access_kind access)
{
    struct pte_loc at;
    mm_pte pde = pt_read(m, pt_pde_loc(p, va));
    bool have_table = pte_is_valid(pde);
    if (!have_table && pde != 0) {   /* paged out: bring it back first */
        mm_status s = table_in(m, p, va, access, &at);
        if (s != STATUS_SUCCESS)
            return s;
        have_table = true;
    } else if (have_table) {
        pt_pte_loc(m, p, va, &at);
    }
    mm_pte pte = have_table ? pt_read(m, at) : 0;
    if (pte_is_valid(pte))
        return refused(m, p, va, access, at, pte);
    uint32_t protection;
    mm_status s = page_protection(m, p, va, access, pte, &protection);
    if (s == STATUS_SUCCESS)
        s = access_check(m, p, va, access, protection);
    if (s == STATUS_SUCCESS && !have_table)
        s = table_in(m, p, va, access, &at);
    if (s != STATUS_SUCCESS)
        return s;
    s = dispatch(m, p, va, access, at, pte, protection);
    if (s != STATUS_SUCCESS && s != STATUS_STACK_OVERFLOW && m->last_fault.page_table_made)
        pt_delete_if_unused(m, p, va);   /* a table built for nothing goes again */
    return s;
}

/* NT: MmAccessFault. */
mm_status fault_access(struct mm_machine *m, struct mm_process *p, mm_va va, enum mm_access_kind access)
{
    struct mm_fault_info *fi = &m->last_fault;
    fi->pid = p->pid;
    fi->va = va;
    fi->access = access;
    fi->page_table_made = false;
    fi->table_fault = MM_FAULT_NONE;
    fi->since = m->seq + 1;
    if (va > MM_HIGHEST_USER_ADDRESS)
        return access_violation(m, p, va, access, MM_AV_KERNEL_ADDRESS);
    p->hold_tables++;   /* the table must stay while its page comes in */
    mm_status s = handle(m, p, va, access);
    p->hold_tables--;
    return s;
}
