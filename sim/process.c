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
    pt_write(m, self, (p->directory << PAGE_SHIFT) | PTE_VALID | PTE_WRITE | PTE_ACCESSED | PTE_DIRTY,
             false);

    /* Hyperspace: a page table of its own under PDE 0x301. */
    struct pte_loc hyper_pde = {p->directory, PDE_BASE + HYPERSPACE_PDI * 4u};
    p->hyperspace = system_page(m, hyper_pde.pte_va, p->directory);
    m->pfn[p->directory].u2.share_count++;
    pt_write(m, hyper_pde, (p->hyperspace << PAGE_SHIFT) | PTE_VALID | PTE_WRITE, false);

    /* The working-set list's page, mapped in hyperspace. */
    struct pte_loc wsl_pte = {p->hyperspace, pte_address(WSL_VA)};
    p->wsl_page = system_page(m, wsl_pte.pte_va, p->hyperspace);
    m->pfn[p->hyperspace].u2.share_count++;
    pt_write(m, wsl_pte, (p->wsl_page << PAGE_SHIFT) | PTE_VALID | PTE_WRITE, false);

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

/* NT: MmCleanProcessAddressSpace + MmDeleteProcessAddressSpace. Dirty
 * pages are simply freed: nobody will read them again. */
mm_status mm_process_terminate(struct mm_machine *m, uint32_t pid)
{
    struct mm_process *p = process_get(m, pid);
    if (!p)
        return STATUS_INVALID_CID;
    while (p->vads.root)
        virtual_release_vad(m, p, p->vads.root);
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
    p->ws.minimum = minimum;
    p->ws.maximum = maximum;
    if (p->ws.size > maximum)
        ws_trim(m, p, p->ws.size - maximum, MM_WS_TRIM);
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
     * read back from the paging file take the new one (a soft fault keeps
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
