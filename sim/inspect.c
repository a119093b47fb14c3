/*
 * inspect.c - the read-only inspection API: translation walks, PFN
 * entries, lists, working sets, VADs, commit, counters and page contents.
 * Nothing here changes the machine.
 */
#include <string.h>

#include "mm.h"
#include "pagetable.h"
#include "vad.h"
#include "view.h"
#include "virtual.h"

/* For a page of a mapped view whose PTE is zero or a prototype pointer:
 * the fault its prototype PTE leads to (MiResolveProtoPteFault), and the
 * page's protection. A write to a copy-on-write page raises this fault
 * first too: it maps the page read-only, and the retried write raises the
 * copy-on-write fault (MiCompleteProtoPteFault does not copy). */
static enum mm_fault_kind predict_proto(const struct mm_machine *m, const struct mm_vad *vad, struct mm_walk *w,
                                        uint32_t *prot)
{
    mm_va proto_va = view_proto_va(m, vad, w->va);
    mm_pte proto = phys_read32(&m->phys, section_pool_frame(m, proto_va), proto_va & 0xFFFu);
    *prot = view_page_protection(m, vad, w->va);
    switch (pte_classify(proto)) {
    case PTE_FORM_VALID: return MM_FAULT_SHARED;
    case PTE_FORM_TRANSITION: return MM_FAULT_TRANSITION;
    case PTE_FORM_PAGEFILE: return MM_FAULT_PAGE_FILE;
    case PTE_FORM_PROTOTYPE: return MM_FAULT_MAPPED_FILE;   /* a subsection PTE: in the file */
    default: return MM_FAULT_DEMAND_ZERO;
    }
}

/* What the access raises for a page whose PTE is not valid (or refused):
 * the checks of MmAccessFault, made without changing anything. */
static void predict(const struct mm_machine *m, const struct mm_process *p, struct mm_walk *w)
{
    enum mm_access_kind checked = w->access == MM_ACCESS_EXECUTE && !m->cfg.nx ? MM_ACCESS_READ : w->access;
    if (w->va > MM_HIGHEST_USER_ADDRESS) {
        w->fault = MM_FAULT_ACCESS_VIOLATION;
        w->av = MM_AV_KERNEL_ADDRESS;
        return;
    }
    const struct mm_vad *vad = vad_find(&p->vads, VA_VPN(w->va));
    if (w->valid) {
        uint32_t prot = pte_protection(m->pfn[w->frame].original_pte);
        if (pfn_flag(&m->pfn[w->frame], PFN_PROTOTYPE_PTE) && vad && view_is_mapped(vad))
            prot = view_page_protection(m, vad, w->va);   /* a section page's OriginalPte is no protection */
        w->protection = prot;
        if (w->access == MM_ACCESS_WRITE && !(w->pte & PTE_WRITE) && (w->pte & PTE_COPY_ON_WRITE) &&
            pfn_flag(&m->pfn[w->frame], PFN_PROTOTYPE_PTE)) {
            w->fault = MM_FAULT_COPY_ON_WRITE;   /* read-only until the first write copies it */
            return;
        }
        if (w->access == MM_ACCESS_WRITE && !(w->pte & PTE_WRITE)) {
            w->refused = true;
            w->av = MM_AV_WRITE;
        } else if (w->access == MM_ACCESS_EXECUTE && !prot_allows(prot, checked)) {
            w->refused = true;
            w->av = MM_AV_EXECUTE;
        }
        w->fault = w->refused ? MM_FAULT_ACCESS_VIOLATION : MM_FAULT_NONE;
        return;
    }
    uint32_t prot = pte_protection(w->pte);
    switch (w->form) {
    case PTE_FORM_ZERO:
    case PTE_FORM_PROTOTYPE:
        if (vad && view_is_mapped(vad)) {   /* through the prototype PTE */
            w->fault = predict_proto(m, vad, w, &prot);
            break;
        }
        if (w->form == PTE_FORM_PROTOTYPE) {
            w->fault = MM_FAULT_DEMAND_ZERO;
            break;
        }
        if (!vad || !vad->mem_commit) {
            w->fault = MM_FAULT_ACCESS_VIOLATION;
            w->av = vad ? MM_AV_NOT_COMMITTED : MM_AV_NO_VAD;
            return;
        }
        prot = vad->protection;
        w->fault = MM_FAULT_DEMAND_ZERO;
        break;
    case PTE_FORM_DECOMMITTED:
        w->protection = prot;
        w->fault = MM_FAULT_ACCESS_VIOLATION;
        w->av = MM_AV_NOT_COMMITTED;
        return;
    case PTE_FORM_TRANSITION: w->fault = MM_FAULT_TRANSITION; break;
    case PTE_FORM_PAGEFILE: w->fault = MM_FAULT_PAGE_FILE; break;
    default: w->fault = MM_FAULT_DEMAND_ZERO; break;
    }
    w->protection = prot;
    if ((prot & MM_PROTECT_ACCESS) == 0) {
        w->fault = MM_FAULT_ACCESS_VIOLATION;
        w->av = MM_AV_NO_ACCESS;
    } else if (!prot_allows(prot, checked)) {
        w->fault = MM_FAULT_ACCESS_VIOLATION;
        w->av = w->access == MM_ACCESS_EXECUTE ? MM_AV_EXECUTE : MM_AV_WRITE;
    } else if (prot_is_guard(prot)) {
        w->fault = MM_FAULT_GUARD_PAGE;
    }
}

/* LAB walk: begin mm_walk_access */
mm_status mm_walk_access(const struct mm_machine *m, uint32_t pid, mm_va va, enum mm_access_kind access,
                         struct mm_walk *w)
{
    if (!mm_process_exists(m, pid))
        return STATUS_INVALID_CID;
    const struct mm_process *p = &m->process[pid - 1];
    memset(w, 0, sizeof *w);
    w->access = access;
    w->va = va;
    w->pdi = VA_PDI(va);
    w->pti = VA_PTI(va);
    w->offset = VA_OFFSET(va);
    w->directory = p->directory;
    w->pde_va = pde_address(va);
    w->pde_pa = p->directory * PAGE_SIZE + w->pdi * 4u;
    w->pte_va = pte_address(va);
    w->pte = pt_peek(m, p, va, &w->pde);
    w->pde_valid = pte_is_valid(w->pde);
    w->table_form = pte_classify(w->pde);
    if (w->pde_valid)
        w->pte_pa = pte_frame(w->pde) * PAGE_SIZE + w->pti * 4u;
    w->form = pte_classify(w->pte);
    if (va <= MM_HIGHEST_USER_ADDRESS) {
        if (w->table_form == PTE_FORM_TRANSITION)
            w->table_fault = MM_FAULT_TRANSITION;
        else if (w->table_form == PTE_FORM_PAGEFILE)
            w->table_fault = MM_FAULT_PAGE_FILE;
    }
    if (w->pde_valid && pte_is_valid(w->pte)) {
        w->valid = true;
        w->frame = pte_frame(w->pte);
        w->pa = w->frame * PAGE_SIZE + w->offset;
    }
    predict(m, p, w);
    if (!w->pde_valid && w->pde == 0 && w->fault != MM_FAULT_ACCESS_VIOLATION && va <= MM_HIGHEST_USER_ADDRESS)
        w->table_fault = MM_FAULT_PAGE_TABLE;
    return STATUS_SUCCESS;
}
/* LAB walk: end mm_walk_access */

mm_status mm_walk(const struct mm_machine *m, uint32_t pid, mm_va va, struct mm_walk *w)
{
    return mm_walk_access(m, pid, va, MM_ACCESS_READ, w);
}

uint32_t mm_tlb_size(const struct mm_machine *m) { return m->tlb.size; }

bool mm_tlb_entry(const struct mm_machine *m, uint32_t slot, mm_va *va, mm_pfn *frame, mm_pte *pte)
{
    if (slot >= m->tlb.size || m->tlb.entry[slot].vpn == TLB_INVALID_TAG)
        return false;
    *va = VPN_VA(m->tlb.entry[slot].vpn);
    *frame = m->tlb.entry[slot].frame;
    *pte = m->tlb.entry[slot].pte;
    return true;
}

mm_status mm_ws_breakdown(const struct mm_machine *m, uint32_t pid, struct mm_ws_breakdown *out)
{
    memset(out, 0, sizeof *out);
    if (!mm_process_exists(m, pid))
        return STATUS_INVALID_CID;
    const struct mm_wsl *ws = &m->process[pid - 1].ws;
    for (uint32_t i = 0; i <= ws->last_entry && i < ws->capacity; i++) {
        mm_wsle e = ws->wsle[i];
        if (!wsle_valid(e))
            continue;
        if (wsle_locked(e))
            out->locked++;
        else if (is_page_table_va(wsle_va(e)))
            out->page_tables++;
        else
            out->data++;
    }
    return STATUS_SUCCESS;
}

uint32_t mm_frame_count(const struct mm_machine *m) { return m->frames; }

const struct mmpfn *mm_pfn_entry(const struct mm_machine *m, mm_pfn frame)
{
    return frame < m->frames ? &m->pfn[frame] : NULL;
}

const struct mm_list_head *mm_list_head(const struct mm_machine *m, enum mm_list list)
{
    return (unsigned)list <= BadPageList ? &m->list[list] : NULL;
}

const struct mm_list_head *mm_standby_head(const struct mm_machine *m, unsigned priority)
{
    return priority < MM_STANDBY_PRIORITIES ? &m->standby[priority] : NULL;
}

uint32_t mm_list_frames(const struct mm_machine *m, enum mm_list list, unsigned priority,
                        mm_pfn *out, uint32_t max)
{
    const struct mm_list_head *h;
    if (list == StandbyPageList)
        h = mm_standby_head(m, priority);
    else
        h = mm_list_head(m, list);
    if (!h)
        return 0;
    uint32_t n = 0;
    for (mm_pfn f = h->first; f != MM_EMPTY_LIST && n < h->total; f = m->pfn[f].u1.flink, n++)
        if (n < max)
            out[n] = f;
    return h->total;
}

uint32_t mm_active_frames(const struct mm_machine *m) { return m->active_frames; }
uint32_t mm_available_pages(const struct mm_machine *m) { return mm_available(m); }

const struct mm_wsl *mm_working_set(const struct mm_machine *m, uint32_t pid)
{
    return mm_process_exists(m, pid) ? &m->process[pid - 1].ws : NULL;
}

bool mm_ws_contains(const struct mm_machine *m, uint32_t pid, mm_va va)
{
    return mm_process_exists(m, pid) && ws_lookup(&m->process[pid - 1], va) != WSLE_NULL_INDEX;
}

const struct mm_vad *mm_vad_next(const struct mm_machine *m, uint32_t pid, const struct mm_vad *v)
{
    return mm_process_exists(m, pid) ? vad_next(&m->process[pid - 1].vads, v) : NULL;
}

void mm_vad_range(const struct mm_vad *v, mm_va *start, mm_va *end, uint32_t *protection,
                  bool *mem_commit, uint32_t *commit_charge)
{
    *start = VPN_VA(v->start_vpn);
    *end = VPN_VA(v->end_vpn) + PAGE_SIZE - 1;
    *protection = v->protection;
    *mem_commit = v->mem_commit;
    *commit_charge = v->commit_charge;
}

bool mm_vad_view(const struct mm_vad *v, uint32_t *section, uint32_t *first_page)
{
    if (v->section == MM_NO_SECTION)
        return false;
    *section = v->section;
    *first_page = v->first_page;
    return true;
}

int mm_vad_level(const struct mm_machine *m, uint32_t pid, const struct mm_vad *v)
{
    if (!v || !mm_process_exists(m, pid))
        return -1;
    int level = 0;
    for (const struct mm_vad *n = m->process[pid - 1].vads.root; n; level++) {
        if (n == v)
            return level;
        n = v->start_vpn < n->start_vpn ? n->left : n->right;
    }
    return -1;
}

mm_status mm_commit(const struct mm_machine *m, uint32_t pid, struct mm_commit_info *out)
{
    memset(out, 0, sizeof *out);
    if (pid) {
        if (!mm_process_exists(m, pid))
            return STATUS_INVALID_CID;
        out->process_charge = m->process[pid - 1].commit_charge;
        out->process_peak = m->process[pid - 1].commit_peak;
    }
    out->total = m->commit_total;
    out->limit = m->commit_limit;
    out->peak = m->commit_peak;
    return STATUS_SUCCESS;
}

mm_status mm_counters(const struct mm_machine *m, uint32_t pid, struct mm_counters *out)
{
    memset(out, 0, sizeof *out);
    if (pid) {
        if (!mm_process_exists(m, pid))
            return STATUS_INVALID_CID;
        const struct mm_process *p = &m->process[pid - 1];
        out->page_fault_count = p->page_fault_count;
        memcpy(out->faults, p->faults, sizeof out->faults);
    } else {
        out->page_fault_count = m->page_fault_count;
        memcpy(out->faults, m->faults, sizeof out->faults);
    }
    out->tlb_hits = m->tlb.hits;
    out->tlb_misses = m->tlb.misses;
    out->tlb_flushes = m->tlb.flushes;
    out->pages_written = m->pages_written;
    out->pages_read = m->pages_read;
    out->pages_zeroed = m->pages_zeroed;
    out->pages_trimmed = m->pages_trimmed;
    for (uint32_t i = 0; i < m->pagefile_count; i++) {
        out->pagefile_used += m->pagefile[i].used;
        out->pagefile_size += m->pagefile[i].size;
    }
    out->host_frames_materialized = m->phys.materialized;
    return STATUS_SUCCESS;
}

bool mm_pagefile_usage(const struct mm_machine *m, uint32_t file, uint32_t *size, uint32_t *used)
{
    if (file >= m->pagefile_count)
        return false;
    *size = m->pagefile[file].size;
    *used = m->pagefile[file].used;
    return true;
}

mm_status mm_peek_page(const struct mm_machine *m, uint32_t pid, mm_va va, uint8_t page[4096])
{
    if (!mm_process_exists(m, pid))
        return STATUS_INVALID_CID;
    const struct mm_process *p = &m->process[pid - 1];
    const struct mm_vad *vad = va <= MM_HIGHEST_USER_ADDRESS ? vad_find(&p->vads, VA_VPN(va)) : NULL;
    uint32_t prot;
    if (!vad || !virtual_page_state(m, p, vad, va, &prot))
        return STATUS_ACCESS_VIOLATION;
    mm_pte pte = pt_peek(m, p, va, NULL);
    if (view_is_mapped(vad) && (pte == 0 || pte_is_prototype(pte))) {
        /* the page is what its prototype PTE says: in a frame, in a
         * paging-file slot, in the file, or not yet made (zeros) */
        mm_va proto_va = view_proto_va(m, vad, va);
        pte = phys_read32(&m->phys, section_pool_frame(m, proto_va), proto_va & 0xFFFu);
        if (pte_is_prototype(pte)) {
            const struct mm_section *sc = &m->section[vad->section];
            const uint8_t *src = m->file[sc->file].data[section_file_page(sc, (proto_va - sc->proto) / 4u)];
            if (src)
                memcpy(page, src, PAGE_SIZE);
            else
                memset(page, 0, PAGE_SIZE);
            return STATUS_SUCCESS;
        }
    }
    switch (pte_classify(pte)) {
    case PTE_FORM_VALID:
    case PTE_FORM_TRANSITION:
        phys_copy_out(&m->phys, pte_frame(pte), page);
        break;
    case PTE_FORM_PAGEFILE: {
        const uint8_t *src = pagefile_fetch(&m->pagefile[pte_pagefile_number(pte)], pte_pagefile_offset(pte));
        if (src)
            memcpy(page, src, PAGE_SIZE);
        else
            memset(page, 0, PAGE_SIZE);
        break;
    }
    default:
        memset(page, 0, PAGE_SIZE);
        break;
    }
    return STATUS_SUCCESS;
}

uint32_t mm_phys_read32(const struct mm_machine *m, mm_pfn frame, uint32_t offset)
{
    return frame < m->frames && offset <= PAGE_SIZE - 4 ? phys_read32(&m->phys, frame, offset) : 0;
}
