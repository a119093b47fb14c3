/*
 * view.c - NtMapViewOfSection, NtUnmapViewOfSection and
 * NtFlushVirtualMemory (NT: MiMapViewOfDataSection / MiMapViewOfImageSection,
 * MiUnmapViewOfSection, MiFlushSectionInternal).
 *
 * Mapping writes no PTE: a view's PTEs are zero, and the first touch of a
 * page finds the VAD, which knows the section and the view's first page,
 * hence the prototype PTE (fault.c, protofault.c).
 */
#include <stdlib.h>

#include "mm.h"
#include "pfn.h"
#include "section.h"
#include "selfmap.h"
#include "view.h"
#include "virtual.h"
#include "ws.h"

mm_va view_proto_va(const struct mm_machine *m, const struct mm_vad *vad, mm_va va)
{
    const struct mm_section *sc = &m->section[vad->section];
    return sc->proto + view_page(vad, va) * 4u;
}

uint32_t view_page_protection(const struct mm_machine *m, const struct mm_vad *vad, mm_va va)
{
    const struct mm_section *sc = &m->section[vad->section];
    if (!sc->image)
        return vad->protection;
    return section_page_protection(sc, view_page(vad, va));
}

/* May a view with protection `view` be mapped from a section created with
 * `section` (NT: MiIsProtectionCompatible)? Reading needs nothing more;
 * writing in place needs a writable section; a private copy on write
 * needs only reading; executing needs an executable section. */
static bool compatible(uint32_t section, uint32_t view)
{
    uint32_t s = section & MM_PROTECT_ACCESS, v = view & MM_PROTECT_ACCESS;
    bool s_exec = s == MM_EXECUTE_READ || s == MM_EXECUTE_READWRITE || s == MM_EXECUTE_WRITECOPY;
    bool s_write = s == MM_READWRITE || s == MM_EXECUTE_READWRITE;
    bool v_exec = v == MM_EXECUTE || v == MM_EXECUTE_READ || v == MM_EXECUTE_READWRITE || v == MM_EXECUTE_WRITECOPY;
    bool v_write = v == MM_READWRITE || v == MM_EXECUTE_READWRITE;
    return (!v_exec || s_exec) && (!v_write || s_write);
}

/* The pages of a view that a copy-on-write may make private, which NT
 * charges to the process's commit when the view is mapped. */
static uint32_t view_charge(const struct mm_section *sc, uint32_t first, uint32_t pages, uint32_t prot)
{
    if (!sc->image)
        return prot_is_write_copy(prot) ? pages : 0;
    uint32_t n = 0;
    for (uint32_t i = first; i < first + pages; i++)
        n += prot_is_write_copy(section_page_protection(sc, i));
    return n;
}

uint32_t view_commit_pages(const struct mm_machine *m, const struct mm_vad *vad)
{
    return view_charge(&m->section[vad->section], vad->first_page, vad->end_vpn - vad->start_vpn + 1, vad->protection);
}

mm_status mm_map_view(struct mm_machine *m, uint32_t pid, uint32_t section, mm_va *base, uint32_t first_page,
                      uint32_t *pages, uint32_t protect)
{
    struct mm_process *p = process_get(m, pid);
    if (!p)
        return STATUS_INVALID_CID;
    if (section >= MM_MAX_SECTIONS || !m->section[section].live || !m->section[section].open)
        return STATUS_INVALID_HANDLE;
    struct mm_section *sc = &m->section[section];
    if (first_page % (MM_ALLOCATION_GRANULARITY / PAGE_SIZE))
        return STATUS_MAPPED_ALIGNMENT;
    if (first_page >= sc->pages)
        return STATUS_INVALID_VIEW_SIZE;
    uint32_t n = *pages ? *pages : sc->pages - first_page;
    if (n > sc->pages - first_page)
        return STATUS_INVALID_VIEW_SIZE;
    uint32_t prot = sc->image ? MM_EXECUTE_WRITECOPY : prot_from_win32(protect);
    if (prot == MM_INVALID_PROTECTION || (prot & MM_PROTECT_SPECIAL) || (prot & MM_PROTECT_ACCESS) == MM_ZERO_ACCESS)
        return STATUS_INVALID_PAGE_PROTECTION;
    if (!sc->image && !compatible(sc->protection, prot))
        return STATUS_SECTION_PROTECTION;
    uint32_t start;
    if (*base) {
        if (*base & (MM_ALLOCATION_GRANULARITY - 1))
            return STATUS_MAPPED_ALIGNMENT;
        if (*base < MM_LOWEST_USER_ADDRESS || (uint64_t)*base + (uint64_t)n * PAGE_SIZE > MM_USER_RESERVE_LIMIT)
            return STATUS_INVALID_PARAMETER;
        start = VA_VPN(*base);
        if (vad_find_overlap(&p->vads, start, start + n - 1))
            return STATUS_CONFLICTING_ADDRESSES;
    } else if (!vad_find_gap(&p->vads, n, VA_VPN(MM_LOWEST_USER_ADDRESS), VA_VPN(MM_USER_RESERVE_LIMIT) - 1,
                             &start)) {
        return STATUS_NO_MEMORY;
    }
    struct mm_vad *vad = calloc(1, sizeof *vad);
    if (!vad)
        return STATUS_NO_MEMORY;
    vad->start_vpn = start;
    vad->end_vpn = start + n - 1;
    vad->protection = prot;
    vad->mem_commit = true;   /* every page of a view is backed by its section */
    vad->section = section;
    vad->first_page = first_page;
    uint32_t charge = view_charge(sc, first_page, n, prot);
    if (charge && virtual_charge(m, p, vad, charge) != STATUS_SUCCESS) {
        free(vad);
        return STATUS_COMMITMENT_LIMIT;
    }
    vad_insert(&p->vads, vad);
    sc->views++;
    *base = VPN_VA(start);
    *pages = n;
    if (ev_on(m)) {
        struct mm_event ev = {.kind = MM_EV_VIEW, .pid = pid};
        ev.u.view.section = section;
        ev.u.view.base = *base;
        ev.u.view.pages = n;
        ev.u.view.first_page = first_page;
        ev.u.view.mapped = true;
        ev_emit(m, &ev);
    }
    return STATUS_SUCCESS;
}

void view_unmapped(struct mm_machine *m, struct mm_process *p, uint32_t section, mm_va base, uint32_t pages,
                   uint32_t first_page)
{
    struct mm_section *sc = &m->section[section];
    MM_ASSERT(sc->live && sc->views > 0);
    sc->views--;
    if (ev_on(m)) {
        struct mm_event ev = {.kind = MM_EV_VIEW, .pid = p->pid};
        ev.u.view.section = section;
        ev.u.view.base = base;
        ev.u.view.pages = pages;
        ev.u.view.first_page = first_page;
        ev.u.view.mapped = false;
        ev_emit(m, &ev);
    }
    section_delete_if_unused(m, section);
}

mm_status mm_unmap_view(struct mm_machine *m, uint32_t pid, mm_va base)
{
    struct mm_process *p = process_get(m, pid);
    if (!p)
        return STATUS_INVALID_CID;
    struct mm_vad *vad = base <= MM_HIGHEST_USER_ADDRESS ? vad_find(&p->vads, VA_VPN(base)) : NULL;
    if (!vad || !view_is_mapped(vad))
        return STATUS_NOT_MAPPED_VIEW;
    return virtual_release_vad(m, p, vad);
}

/* Write one page of a mapped file if its frame holds changes. */
static uint32_t flush_frame(struct mm_machine *m, mm_pfn f)
{
    struct mmpfn *pf = &m->pfn[f];
    if (!pfn_flag(pf, PFN_MODIFIED))
        return 0;
    enum mm_list loc = pfn_location(pf);
    if (loc == ActiveAndValid) {
        section_write_to_file(m, f);
        return 1;
    }
    /* a no_write section's pages wait on ModifiedNoWrite: only the writers
     * pass them by, a flush writes them (NT: MiFlushSectionInternal looks at
     * Modified, not at NoModifiedWriting) */
    if (loc != ModifiedPageList && loc != ModifiedNoWritePageList)
        return 0;
    pfn_unlink(m, f, TransitionPage, MOVE_WRITTEN);
    section_write_to_file(m, f);
    pfn_insert(m, StandbyPageList, f, MOVE_WRITTEN);
    return 1;
}

mm_status mm_flush_view(struct mm_machine *m, uint32_t pid, mm_va base, uint32_t size, uint32_t *written)
{
    struct mm_process *p = process_get(m, pid);
    *written = 0;
    if (!p)
        return STATUS_INVALID_CID;
    if (size == 0 || base > MM_HIGHEST_USER_ADDRESS || (uint64_t)base + size > (uint64_t)MM_HIGHEST_USER_ADDRESS + 1)
        return STATUS_INVALID_PARAMETER;
    struct mm_vad *vad = vad_find(&p->vads, VA_VPN(base));
    uint32_t last = VA_VPN((uint64_t)base + size - 1);
    if (!vad || !view_is_mapped(vad) || last > vad->end_vpn)
        return STATUS_NOT_MAPPED_VIEW;
    const struct mm_section *sc = &m->section[vad->section];
    if (sc->file == MM_NO_FILE)
        return STATUS_SUCCESS;
    for (uint32_t vpn = VA_VPN(base); vpn <= last; vpn++) {
        mm_va va = VPN_VA(vpn);
        struct pte_loc at;
        if (pt_pte_loc(m, p, va, &at)) {
            mm_pte pte = pt_read(m, at);
            /* this process's Dirty bit first (NT: MiFlushDirtyBitsToPfn) */
            if (pte_is_valid(pte) && pfn_flag(&m->pfn[pte_frame(pte)], PFN_PROTOTYPE_PTE) && (pte & PTE_DIRTY)) {
                pt_write(m, at, pte & ~PTE_DIRTY, false);
                pfn_mark_modified(m, pte_frame(pte));
            }
            if (pte_is_valid(pte) && !pfn_flag(&m->pfn[pte_frame(pte)], PFN_PROTOTYPE_PTE))
                continue;   /* a private copy: it belongs to the paging file now */
        }
        mm_va proto_va = view_proto_va(m, vad, va);
        mm_pte proto = pt_read(m, (struct pte_loc){section_pool_frame(m, proto_va), proto_va});
        if (pte_is_valid(proto) || pte_is_transition(proto))
            *written += flush_frame(m, pte_frame(proto));
    }
    return STATUS_SUCCESS;
}
