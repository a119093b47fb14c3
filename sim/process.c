/*
 * process.c - creating and ending address spaces (NT:
 * MmCreateProcessAddressSpace, MmInitializeProcessAddressSpace,
 * MmCleanProcessAddressSpace, MmDeleteProcessAddressSpace), and CR3.
 */
#include <stdio.h>
#include <string.h>

#include "mm.h"
#include "pagetable.h"
#include "virtual.h"
#include "avail.h"

static void process_event(struct mm_machine *m, uint32_t pid, bool created)
{
    if (ev_on(m)) {
        struct mm_event ev = {.kind = MM_EV_PROCESS, .pid = pid};
        ev.u.process.created = created;
        ev_emit(m, &ev);
    }
}

/* Kernel-only entries of the process's own structures: valid, writable,
 * accessed and dirty, no Owner bit (user mode cannot reach them). */
#define KERNEL_PDE_BITS (PTE_VALID | PTE_WRITE | PTE_ACCESSED | PTE_DIRTY)

/* Take a zeroed frame for one of the process's own structures. */
static mm_pfn system_page(struct mm_machine *m, mm_va pte_va, mm_pfn table)
{
    mm_pfn f = pfn_take_zeroed(m, MOVE_PROCESS);
    MM_ASSERT(f != MM_EMPTY_LIST);
    pfn_make_active(m, f, pte_va, table, 0);
    return f;
}

mm_status mm_process_create(struct mm_machine *m, const char *name, uint32_t *pid)
{
    uint32_t slot = 0;
    while (slot < m->process_slots && m->process[slot].live)
        slot++;
    if (slot == m->process_slots)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (avail_ensure(m, 3) != STATUS_SUCCESS)
        return STATUS_NO_MEMORY;

    struct mm_process *p = &m->process[slot];
    memset(p, 0, sizeof *p);
    if (!ws_init(&p->ws, m->cfg.ws_minimum, m->cfg.ws_maximum))
        return STATUS_NO_MEMORY;
    p->pid = slot + 1;
    snprintf(p->name, sizeof p->name, "%s", name && *name ? name : "process");
    p->page_priority = MM_DEFAULT_PRIORITY;

    p->directory = MM_EMPTY_LIST;   /* no frame yet: matches no table */
    p->live = true;
    process_event(m, p->pid, true);

    /* The directory maps itself: PDE 0x300 holds its own frame. */
    p->directory = system_page(m, PDE_SELFMAP_VA, 0);
    pfn_set_pte_frame(&m->pfn[p->directory], p->directory);
    struct pte_loc self = {p->directory, PDE_SELFMAP_VA};
    pt_write(m, self, (p->directory << PAGE_SHIFT) | KERNEL_PDE_BITS, false);

    /* Hyperspace: a page table of its own under PDE 0x301. */
    struct pte_loc hyper_pde = {p->directory, PDE_BASE + HYPERSPACE_PDI * 4u};
    p->hyperspace = system_page(m, hyper_pde.pte_va, p->directory);
    m->pfn[p->directory].u2.share_count++;
    pt_write(m, hyper_pde, (p->hyperspace << PAGE_SHIFT) | KERNEL_PDE_BITS, false);

    /* The working-set list's page, mapped in hyperspace. */
    struct pte_loc wsl_pte = {p->hyperspace, pte_address(WSL_VA)};
    p->wsl_page = system_page(m, wsl_pte.pte_va, p->hyperspace);
    m->pfn[p->hyperspace].u2.share_count++;
    pt_write(m, wsl_pte, (p->wsl_page << PAGE_SHIFT) | KERNEL_PDE_BITS, false);

    ws_insert(m, p, PDE_BASE, p->directory, true, MM_WS_SYSTEM);
    ws_insert(m, p, page_table_va(HYPERSPACE_PDI), p->hyperspace, true, MM_WS_SYSTEM);
    ws_insert(m, p, WSL_VA, p->wsl_page, true, MM_WS_SYSTEM);
    p->ws.first_dynamic = p->ws.next_slot = p->ws.size;
    *pid = p->pid;
    return STATUS_SUCCESS;
}

/* Free one of the process's own pages, mapped at `at`. */
static void free_system_page(struct mm_machine *m, struct mm_process *p, struct pte_loc at, mm_pfn f)
{
    ws_release_entry(m, p, m->pfn[f].u1.ws_index, MM_WS_DELETE);
    pt_write(m, at, 0, false);
    if (at.table != f)
        pfn_decrement_share(m, at.table, MOVE_DELETED);
    pfn_delete(m, f, MOVE_DELETED);
}

/* Release every region (NT: MmCleanProcessAddressSpace deleting the
 * VADs). They go from the tree's root down. A region whose paged-out page
 * table cannot come back for want of a frame waits: every other region is
 * released first, in address order, and the frames they give back may let
 * the table in. Only a pass that releases nothing ends in STATUS_NO_MEMORY,
 * the regions released so far staying released. */
static mm_status release_regions(struct mm_machine *m, struct mm_process *p)
{
    while (p->vads.root) {
        mm_status s = virtual_release_vad(m, p, p->vads.root);
        if (s == STATUS_SUCCESS)
            continue;
        bool released = false;
        for (const struct mm_vad *v = vad_next(&p->vads, NULL); v;) {
            struct mm_vad after = {.start_vpn = v->start_vpn};
            if (virtual_release_vad(m, p, vad_find(&p->vads, v->start_vpn)) == STATUS_SUCCESS)
                released = true;
            v = vad_next(&p->vads, &after);
        }
        if (!released)
            return s;
    }
    return STATUS_SUCCESS;
}

/* NT: MmCleanProcessAddressSpace + MmDeleteProcessAddressSpace. Dirty
 * pages are simply freed: nobody will read them again. */
mm_status mm_process_terminate(struct mm_machine *m, uint32_t pid)
{
    struct mm_process *p = process_get(m, pid);
    if (!p)
        return STATUS_INVALID_CID;
    mm_status s = release_regions(m, p);
    if (s != STATUS_SUCCESS)
        return s;   /* a page table could not come back: the process lives on, smaller */
    struct pte_loc wsl_pte = {p->hyperspace, pte_address(WSL_VA)};
    struct pte_loc hyper_pde = {p->directory, PDE_BASE + HYPERSPACE_PDI * 4u};
    struct pte_loc self = {p->directory, PDE_SELFMAP_VA};
    free_system_page(m, p, wsl_pte, p->wsl_page);
    free_system_page(m, p, hyper_pde, p->hyperspace);
    free_system_page(m, p, self, p->directory);
    MM_ASSERT(p->ws.size == 0 && p->commit_charge == 0);
    if (m->current == p)
        process_attach(m, NULL);
    process_event(m, pid, false);
    ws_fini(&p->ws);
    p->live = false;
    return STATUS_SUCCESS;
}

mm_status mm_set_ws_limits(struct mm_machine *m, uint32_t pid, uint32_t minimum, uint32_t maximum)
{
    struct mm_process *p = process_get(m, pid);
    if (!p)
        return STATUS_INVALID_CID;
    if (minimum == 0xFFFFFFFFu && maximum == 0xFFFFFFFFu) {   /* "empty the working set" */
        ws_empty(m, p);
        return STATUS_SUCCESS;
    }
    if (minimum < 1 || maximum < minimum || maximum > MM_MAX_FRAMES)
        return STATUS_INVALID_PARAMETER;
    if (p->ws.hard_minimum && p->ws.hard_maximum && minimum + MM_FLUID_WORKING_SET >= maximum)
        return STATUS_BAD_WORKING_SET_LIMIT;
    if (p->ws.hard_maximum && maximum < MM_HARD_MAXIMUM_FLOOR)
        return STATUS_BAD_WORKING_SET_LIMIT;
    p->ws.minimum = minimum;
    p->ws.maximum = maximum;
    if (p->ws.size > maximum)
        ws_trim(m, p, p->ws.size - maximum, MM_WS_TRIM);
    return STATUS_SUCCESS;
}

/* NT: MmEnforceWorkingSetLimit. */
static mm_status enforce_limits(struct mm_process *p, uint32_t flags)
{
    if ((flags & ~0xFu) ||
        (flags & (QUOTA_LIMITS_HARDWS_MIN_ENABLE | QUOTA_LIMITS_HARDWS_MIN_DISABLE)) ==
            (QUOTA_LIMITS_HARDWS_MIN_ENABLE | QUOTA_LIMITS_HARDWS_MIN_DISABLE) ||
        (flags & (QUOTA_LIMITS_HARDWS_MAX_ENABLE | QUOTA_LIMITS_HARDWS_MAX_DISABLE)) ==
            (QUOTA_LIMITS_HARDWS_MAX_ENABLE | QUOTA_LIMITS_HARDWS_MAX_DISABLE))
        return STATUS_INVALID_PARAMETER;
    bool hard_min = p->ws.hard_minimum, hard_max = p->ws.hard_maximum;
    if (flags & QUOTA_LIMITS_HARDWS_MIN_ENABLE) hard_min = true;
    if (flags & QUOTA_LIMITS_HARDWS_MIN_DISABLE) hard_min = false;
    if (flags & QUOTA_LIMITS_HARDWS_MAX_ENABLE) hard_max = true;
    if (flags & QUOTA_LIMITS_HARDWS_MAX_DISABLE) hard_max = false;
    if (hard_min && hard_max && p->ws.minimum + MM_FLUID_WORKING_SET >= p->ws.maximum)
        return STATUS_BAD_WORKING_SET_LIMIT;
    if (hard_max && p->ws.maximum < MM_HARD_MAXIMUM_FLOOR)
        return STATUS_BAD_WORKING_SET_LIMIT;
    p->ws.hard_minimum = hard_min;
    p->ws.hard_maximum = hard_max;
    return STATUS_SUCCESS;
}

mm_status mm_set_ws_limits_ex(struct mm_machine *m, uint32_t pid, uint32_t minimum, uint32_t maximum,
                              uint32_t flags)
{
    struct mm_process *p = process_get(m, pid);
    if (!p)
        return STATUS_INVALID_CID;
    if (minimum < 1 || maximum < minimum || maximum > MM_MAX_FRAMES || (flags & ~0xFu))
        return STATUS_INVALID_PARAMETER;
    uint32_t old_min = p->ws.minimum, old_max = p->ws.maximum;
    bool old_hmin = p->ws.hard_minimum, old_hmax = p->ws.hard_maximum;
    p->ws.minimum = minimum;
    p->ws.maximum = maximum;
    mm_status s = enforce_limits(p, flags);
    p->ws.minimum = old_min;
    p->ws.maximum = old_max;
    if (s != STATUS_SUCCESS)
        return s;
    bool new_hmin = p->ws.hard_minimum, new_hmax = p->ws.hard_maximum;
    p->ws.hard_minimum = false;   /* the limits first, checked against the new flags above */
    p->ws.hard_maximum = false;
    s = mm_set_ws_limits(m, pid, minimum, maximum);
    p->ws.hard_minimum = s == STATUS_SUCCESS ? new_hmin : old_hmin;
    p->ws.hard_maximum = s == STATUS_SUCCESS ? new_hmax : old_hmax;
    return s;
}

/* NT: RtlCreateUserStack (its memory half). */
mm_status mm_create_thread_stack(struct mm_machine *m, uint32_t pid, uint32_t reserve, uint32_t commit,
                                 mm_va *base, mm_va *top)
{
    struct mm_process *p = process_get(m, pid);
    if (!p)
        return STATUS_INVALID_CID;
    if (p->stacks == MM_MAX_STACKS)
        return STATUS_INVALID_PARAMETER;
    uint64_t res = reserve ? ((uint64_t)reserve + MM_ALLOCATION_GRANULARITY - 1) & ~(uint64_t)(MM_ALLOCATION_GRANULARITY - 1)
                           : 0x100000u;
    uint64_t com = commit ? ((uint64_t)commit + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1) : PAGE_SIZE;
    if (res > 0x7FFF0000u || com + 2 * PAGE_SIZE > res)
        return STATUS_INVALID_PARAMETER;   /* the guard page and the last page must fit below */
    mm_va at = *base;
    uint32_t size = (uint32_t)res;
    mm_status s = mm_allocate(m, pid, &at, &size, MEM_RESERVE, PAGE_READWRITE);
    if (s != STATUS_SUCCESS)
        return s;
    mm_va stack_base = at + size;
    mm_va c = stack_base - (uint32_t)com, g = c - PAGE_SIZE;
    uint32_t csize = (uint32_t)com, gsize = PAGE_SIZE;
    s = mm_allocate(m, pid, &c, &csize, MEM_COMMIT, PAGE_READWRITE);
    if (s == STATUS_SUCCESS)
        s = mm_allocate(m, pid, &g, &gsize, MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD);
    if (s != STATUS_SUCCESS) {
        uint32_t zero = 0;
        mm_free(m, pid, &at, &zero, MEM_RELEASE);
        return s;
    }
    p->stack[p->stacks++] = (struct mm_stack){at, stack_base, stack_base - (uint32_t)com};
    *base = at;
    *top = stack_base;
    return STATUS_SUCCESS;
}

mm_status mm_set_page_priority(struct mm_machine *m, uint32_t pid, unsigned priority)
{
    struct mm_process *p = process_get(m, pid);
    if (!p)
        return STATUS_INVALID_CID;
    if (priority >= MM_STANDBY_PRIORITIES)
        return STATUS_INVALID_PARAMETER;
    p->page_priority = priority;
    /* pages already in memory keep theirs; new demand-zero pages and pages
     * read back from the paging file take the new one (a transition fault keeps
     * the frame's priority) */
    return STATUS_SUCCESS;
}

mm_status mm_set_modified_no_write(struct mm_machine *m, uint32_t pid, bool on)
{
    struct mm_process *p = process_get(m, pid);
    if (!p)
        return STATUS_INVALID_CID;
    p->modified_no_write = on;
    return STATUS_SUCCESS;
}

bool mm_process_exists(const struct mm_machine *m, uint32_t pid)
{
    return pid != 0 && pid <= m->process_slots && m->process[pid - 1].live;
}

const char *mm_process_name(const struct mm_machine *m, uint32_t pid)
{
    return mm_process_exists(m, pid) ? m->process[pid - 1].name : NULL;
}
