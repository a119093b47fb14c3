/*
 * protofault.c - faults on pages of sections (NT: MiResolveProtoPteFault,
 * MiCompleteProtoPteFault, MiCopyOnWrite).
 *
 * The process PTE of a view page is zero (never touched: the VAD leads to
 * the prototype PTE) or a prototype pointer (the page was trimmed from
 * this process). Either way the prototype PTE decides:
 *
 *   prototype PTE   what happens                             fault kind
 *   valid           another process has the page: share it   MM_FAULT_SHARED
 *   transition      transition fault off Standby/Modified          MM_FAULT_TRANSITION
 *   demand-zero     a zeroed frame (paging-file section)     MM_FAULT_DEMAND_ZERO
 *                   (in a copy-on-write view: a private one)
 *   page-file       read back from the paging file           MM_FAULT_PAGE_FILE
 *   subsection      read from the mapped file                MM_FAULT_MAPPED_FILE
 *
 * and then the process PTE becomes valid, naming the same frame as the
 * prototype PTE; the frame's ShareCount counts the processes that map it.
 * A write to a copy-on-write page makes a private copy instead.
 */
#include "protofault.h"

#include "avail.h"
#include "pfn.h"
#include "resolve.h"
#include "section.h"
#include "view.h"
#include "ws.h"

/* LAB cow: begin copied_protection */
/* What a page of a copy-on-write view becomes once copied. */
static uint32_t copied_protection(uint32_t protection)
{
    uint32_t a = protection & MM_PROTECT_ACCESS;
    return (protection & ~(uint32_t)MM_PROTECT_ACCESS) | (a == MM_EXECUTE_WRITECOPY ? (uint32_t)MM_EXECUTE_READWRITE : (uint32_t)MM_READWRITE);
}
/* LAB cow: end copied_protection */

/* Bring page `page` of the section into a frame, as its prototype PTE
 * says, and make the prototype PTE valid. */
static mm_status page_in(struct mm_machine *m, struct mm_process *p, uint32_t section, uint32_t page,
                         struct pte_loc pat, mm_pte proto, mm_pfn *frame, enum mm_fault_kind *kind,
                         enum mm_list *from)
{
    struct mm_section *sc = &m->section[section];
    uint32_t protection = section_page_protection(sc, page);
    mm_pfn f;
    switch (pte_classify(proto)) {
    case PTE_FORM_TRANSITION:
        f = pte_frame(proto);
        *from = pfn_location(&m->pfn[f]);
        pfn_unlink(m, f, ActiveAndValid, MOVE_TRANSITION_FAULT);
        m->pfn[f].u2.share_count = 0;   /* the caller adds this process's share */
        m->pfn[f].u3.reference_count = 1;
        *kind = MM_FAULT_TRANSITION;
        break;
    case PTE_FORM_DEMAND_ZERO:
        if (avail_ensure(m, 1) != STATUS_SUCCESS)
            return STATUS_NO_MEMORY;
        f = pfn_take_zeroed(m, MOVE_DEMAND_ZERO);
        pfn_make_active(m, f, pat.pte_va, pat.table, proto);
        pfn_set_flag(&m->pfn[f], PFN_MODIFIED);   /* nothing else holds its contents */
        m->pfn[pat.table].u2.share_count++;
        *kind = MM_FAULT_DEMAND_ZERO;
        break;
    case PTE_FORM_PAGEFILE: {
        if (avail_ensure(m, 1) != STATUS_SUCCESS)
            return STATUS_NO_MEMORY;
        uint32_t file = pte_pagefile_number(proto), slot = pte_pagefile_offset(proto);
        f = pfn_take_any(m, MOVE_PAGE_IN);
        if (!phys_copy_in(&m->phys, f, pagefile_fetch(&m->pagefile[file], slot)))
            mm_host_exhausted(__func__, "a page read from a paging file");
        m->pagefile[file].reads++;
        m->pages_read++;
        if (ev_on(m))
            ev_io(m, p->pid, false, file, slot, f);
        pfn_make_active(m, f, pat.pte_va, pat.table, proto);   /* keeps the slot: clean */
        m->pfn[pat.table].u2.share_count++;
        *kind = MM_FAULT_PAGE_FILE;
        break;
    }
    case PTE_FORM_PROTOTYPE: {   /* a subsection PTE: the page is in the file */
        if (avail_ensure(m, 1) != STATUS_SUCCESS)
            return STATUS_NO_MEMORY;
        f = pfn_take_any(m, MOVE_PAGE_IN);
        uint32_t fp = section_file_page(sc, page);
        section_read_from_file(m, sc->file, fp, f);
        m->pages_read++;
        if (ev_on(m)) {
            struct mm_event ev = {.kind = MM_EV_FILE_IO, .pid = p->pid};
            ev.u.file_io.file = sc->file;
            ev.u.file_io.file_page = fp;
            ev.u.file_io.section = section;
            ev.u.file_io.frame = f;
            ev_emit(m, &ev);
        }
        pfn_make_active(m, f, pat.pte_va, pat.table, proto);
        m->pfn[pat.table].u2.share_count++;
        *kind = MM_FAULT_MAPPED_FILE;
        break;
    }
    default:
        mm_panic(__func__, "prototype PTE 0x%08X at 0x%08X has no page", proto, pat.pte_va);
    }
    struct mmpfn *pf = &m->pfn[f];
    if (*kind == MM_FAULT_PAGE_FILE || *kind == MM_FAULT_MAPPED_FILE)
        pfn_clear_flag(pf, PFN_MODIFIED);   /* read from its backing store: clean */
    if (*kind != MM_FAULT_TRANSITION) {
        pf->u2.share_count = 0;
        pfn_set_priority(pf, p->page_priority);
        if (sc->no_write)
            pf->u4 |= PFN_NO_WRITE;
        else
            pf->u4 &= ~PFN_NO_WRITE;
    }
    pfn_set_flag(pf, PFN_PROTOTYPE_PTE);
    /* The resolvers run on the prototype PTE itself: a demand-zero page,
     * or one back from the Modified list, is dirty in it when writable
     * (as MiResolveDemandZeroFault and MiResolveTransitionFault build a
     * PTE); a page just read is clean. It lives in paged pool, so it is
     * the kernel's: Owner clear (MI_DETERMINE_OWNER). */
    bool dirty = resolve_can_dirty(protection) &&
                 (*kind == MM_FAULT_DEMAND_ZERO || (*kind == MM_FAULT_TRANSITION && pfn_flag(pf, PFN_MODIFIED)));
    pt_write(m, pat, resolve_valid_pte(f, protection, dirty) & ~PTE_OWNER, false);
    *frame = f;
    return STATUS_SUCCESS;
}

mm_status proto_resolve(struct mm_machine *m, struct mm_process *p, struct pte_loc at, mm_va va,
                        enum mm_access_kind access, const struct mm_vad *vad, uint32_t protection,
                        mm_pfn *frame, enum mm_fault_kind *kind, enum mm_list *from)
{
    mm_va proto_va = view_proto_va(m, vad, va);
    struct pte_loc pat = {section_pool_frame(m, proto_va), proto_va};
    mm_pte proto = pt_read(m, pat);
    *from = MM_LIST_COUNT;
    if (pte_classify(proto) == PTE_FORM_DEMAND_ZERO && prot_is_write_copy(protection)) {
        /* MiResolveProtoPteFault: a page of a copy-on-write view that the
         * section has never filled is not shared at all. This process gets
         * a private demand-zero page, read/write (execute kept), for a read
         * as for a write; the prototype PTE stays demand-zero. */
        *kind = MM_FAULT_DEMAND_ZERO;
        return resolve_demand_zero(m, p, at, va, copied_protection(protection), frame);
    }
    ws_make_room(m, p, va);
    /* making room may have taken this frame's last other mapping (another
     * view of the section in this process): its prototype PTE is then in
     * transition, and the page comes back from its list */
    proto = pt_read(m, pat);
    mm_pfn f;
    if (pte_is_valid(proto)) {
        f = pte_frame(proto);
        *kind = MM_FAULT_SHARED;
    } else {
        mm_status s = page_in(m, p, vad->section, view_page(vad, va), pat, proto, &f,
                              kind, from);
        if (s != STATUS_SUCCESS)
            return s;
    }
    /* MiCompleteProtoPteFault: this process's PTE names the frame too */
    m->pfn[f].u2.share_count++;
    bool cow = prot_is_write_copy(protection);
    bool dirty = access == MM_ACCESS_WRITE && !cow && resolve_can_dirty(protection);
    if (pt_read(m, at) == 0)
        pt_use(p, va);
    m->pfn[at.table].u2.share_count++;
    pt_write(m, at, resolve_valid_pte(f, protection, dirty), false);
    uint32_t index = ws_insert(m, p, va, f, false, MM_WS_FAULT);
    if (index == WSLE_NULL_INDEX)
        mm_host_exhausted(__func__, "a working-set list");
    if (protection != section_page_protection(&m->section[vad->section], view_page(vad, va)))
        ws_set_protection(p, index, protection);   /* SameProtectAsProto clear */
    *frame = f;
    /* A write to a copy-on-write page ends here too, with the shared page
     * mapped read-only: the access is retried, the processor refuses the
     * write, and the second fault copies the page (MiCopyOnWrite). Two
     * faults, each counted as what it did, as in NT. */
    return STATUS_SUCCESS;
}

/* LAB cow: begin proto_copy_on_write */
mm_status proto_copy_on_write(struct mm_machine *m, struct mm_process *p, struct pte_loc at, mm_va va, mm_pte pte,
                              mm_pfn *frame)
{
    mm_pfn shared = pte_frame(pte);
    ws_pin(p, va);   /* finding a frame must not trim the page being copied */
    mm_status s = avail_ensure(m, 1);
    ws_unpin(p);
    if (s != STATUS_SUCCESS)
        return STATUS_NO_MEMORY;
    uint32_t protection = copied_protection(pte_protection(m->pfn[shared].original_pte));
    if (pfn_flag(&m->pfn[shared], PFN_PROTOTYPE_PTE)) {
        uint32_t sid, page;
        if (section_of_proto(m, m->pfn[shared].pte_address, &sid, &page))
            protection = copied_protection(section_page_protection(&m->section[sid], page));
    }
    mm_pfn f = pfn_take_any(m, MOVE_COPY_ON_WRITE);
    if (!phys_copy_in(&m->phys, f, m->phys.page[shared]))
        mm_host_exhausted(__func__, "a copy-on-write copy of a frame");
    pfn_make_active(m, f, at.pte_va, at.table, pte_make_demand_zero(protection));
    struct mmpfn *pf = &m->pfn[f];
    pfn_set_priority(pf, p->page_priority);
    pf->u4 = p->modified_no_write ? pf->u4 | PFN_NO_WRITE : pf->u4 & ~PFN_NO_WRITE;
    pfn_set_flag(pf, PFN_MODIFIED);   /* the copy exists only here */
    uint32_t index = ws_index_of(m, p, va, shared);
    MM_ASSERT(index != WSLE_NULL_INDEX);
    pf->u1.ws_index = index;
    ws_set_protection(p, index, 0);   /* private now: its OriginalPte has the protection */
    pt_write(m, at, resolve_valid_pte(f, protection, true), false);
    /* the page table still holds one valid PTE here: its share is unchanged */
    pfn_decrement_share(m, shared, MOVE_COPY_ON_WRITE);
    *frame = f;
    return STATUS_SUCCESS;
}
/* LAB cow: end proto_copy_on_write */
