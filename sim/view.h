/*
 * view.h - views of sections in an address space: the VAD of a mapped
 * view leads from a virtual address to its prototype PTE.
 */
#ifndef MMSIM_VIEW_H
#define MMSIM_VIEW_H

#include "machine.h"
#include "vad.h"

static inline bool view_is_mapped(const struct mm_vad *vad) { return vad->section != MM_NO_SECTION; }
/* The section page that va's page maps in the view `vad`. */
static inline uint32_t view_page(const struct mm_vad *vad, mm_va va)
{
    return vad->first_page + VA_VPN(va) - vad->start_vpn;
}
/* The address of the prototype PTE behind va in the view `vad` (NT:
 * MiGetProtoPteAddress from the VAD's FirstPrototypePte). */
mm_va view_proto_va(const struct mm_machine *m, const struct mm_vad *vad, mm_va va);
/* The 5-bit protection of va's page in the view: the view's, or for an
 * image the page's own (its subsection's). */
uint32_t view_page_protection(const struct mm_machine *m, const struct mm_vad *vad, mm_va va);
/* The pages of the view charged to its process's commit: those a
 * copy-on-write may make private (NT charges them when the view is mapped). */
uint32_t view_commit_pages(const struct mm_machine *m, const struct mm_vad *vad);
/* After a view's VAD was removed: the section loses a view, and goes if
 * that was the last reference. */
void view_unmapped(struct mm_machine *m, struct mm_process *p, uint32_t section, mm_va base, uint32_t pages,
                   uint32_t first_page);

#endif
