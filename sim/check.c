/*
 * check.c - the whole-machine invariant checker. It reads everything and
 * changes nothing; mm_check() is called after every operation by the tests,
 * by the replayer after every step, and by the visualizer.
 *
 * The invariants (numbered as in docs/invariants.md):
 *  I1  every frame is on exactly one list or is active; each list's count,
 *      links and locations agree with a walk of it; standby priorities match
 *  I2  a Zeroed frame holds only zeros; a free frame keeps no PTE or copy
 *  I3  every valid PTE names an active frame whose PteAddress/PteFrame point
 *      back at it, whose ShareCount and ReferenceCount are 1, and which is
 *      in the working set at the index its PFN entry holds
 *  I4  every transition PTE names a Standby/Modified/ModifiedNoWrite frame
 *      that points back at it; every such frame is named by exactly one
 *  I5  a page-table page's ShareCount is 1 + the PTEs in it that name a
 *      frame; the directory's is 1 + its valid PDEs other than the self-map;
 *      used-entry counts match
 *  I6  working-set entries and active frames correspond one to one; the
 *      list's size, free list, locked prefix and hash agree
 *  I7  Modified is set exactly on pages whose contents exist nowhere else:
 *      Standby pages and clean active pages own a paging-file slot
 *  I8  every page-file PTE and every OriginalPte slot names a used slot,
 *      and every used slot is named exactly once
 *  I9  each VAD's commit charge counts its committed pages; process and
 *      system charges add up and stay within the commit limit; the VAD
 *      tree is balanced and non-zero PTEs lie inside VADs
 *  I10 every TLB entry agrees with the current address space's PTE
 *  I11 sections: each prototype PTE and its frame point at each other; a
 *      shared frame's ShareCount is the number of process PTEs that map it
 *      valid, each through the prototype PTE its view's VAD names; a pool
 *      page's ShareCount is 1 + its prototype PTEs that name a frame; every
 *      view is counted by its section; a clean page of a mapped file holds
 *      exactly what the file holds
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mm.h"
#include "pagetable.h"
#include "section.h"
#include "vad.h"
#include "view.h"
#include "virtual.h"

bool check_fail(struct checker *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->msg, c->size, fmt, ap);
    va_end(ap);
    return false;
}

/* Note a reference to the slot in a software PTE (OriginalPte or PTE). */
static bool ref_slot(struct checker *c, mm_pte pte, const char *what, uint32_t where)
{
    uint32_t file = pte_pagefile_number(pte), slot = pte_pagefile_offset(pte);
    if (file >= c->m->pagefile_count || !pagefile_slot_used(&c->m->pagefile[file], slot))
        return check_fail(c, "I8: %s 0x%X names paging file %u slot %u, which is not in use", what, where,
                    file, slot);
    if (c->slot_refs[file] && c->slot_refs[file][slot]++)
        return check_fail(c, "I8: paging file %u slot %u is named twice (again by %s 0x%X)", file, slot,
                    what, where);
    return true;
}

static bool has_slot(mm_pte pte) { return pte_is_software(pte) && pte_pagefile_offset(pte) != 0; }

static bool check_list(struct checker *c, const struct mm_list_head *h, enum mm_list list, int prio)
{
    const struct mm_machine *m = c->m;
    mm_pfn prev = MM_EMPTY_LIST;
    uint32_t n = 0;
    for (mm_pfn f = h->first; f != MM_EMPTY_LIST; f = m->pfn[f].u1.flink) {
        const struct mmpfn *p = &m->pfn[f];
        if (f >= m->frames || n >= h->total)
            return check_fail(c, "I1: %s list runs past its count %u (frame 0x%X)", pfn_list_name(list),
                        h->total, f);
        if (c->seen[f]++)
            return check_fail(c, "I1: frame 0x%X is on two lists", f);
        if (pfn_location(p) != list)
            return check_fail(c, "I1: frame 0x%X is on the %s list but says %s", f, pfn_list_name(list),
                        pfn_list_name(pfn_location(p)));
        if (p->u2.blink != prev)
            return check_fail(c, "I1: frame 0x%X on %s has Blink 0x%X, expected 0x%X", f,
                        pfn_list_name(list), p->u2.blink, prev);
        if (prio >= 0 && pfn_priority(p) != (unsigned)prio)
            return check_fail(c, "I1: frame 0x%X has priority %u on standby list %d", f, pfn_priority(p), prio);
        if (p->u3.reference_count != 0)
            return check_fail(c, "I1: listed frame 0x%X has ReferenceCount %u", f, p->u3.reference_count);
        if (list == ZeroedPageList && !phys_is_zero(&m->phys, f))
            return check_fail(c, "I2: frame 0x%X is on the Zeroed list but holds data", f);
        if ((list == ZeroedPageList || list == FreePageList || list == BadPageList) && p->original_pte)
            return check_fail(c, "I2: free frame 0x%X still has OriginalPte 0x%08X", f, p->original_pte);
        if (list == StandbyPageList) {
            if (pfn_flag(p, PFN_MODIFIED))
                return check_fail(c, "I7: standby frame 0x%X is marked Modified", f);
            bool in_file = (p->original_pte & PTE_PROTOTYPE) != 0;   /* a page of a mapped file */
            if (!in_file && !has_slot(p->original_pte))
                return check_fail(c, "I7: standby frame 0x%X has no paging-file copy", f);
            /* a shared frame's slot is counted with its prototype PTE (I11) */
            if (!in_file && !pfn_flag(p, PFN_PROTOTYPE_PTE) && !ref_slot(c, p->original_pte, "standby frame", f))
                return false;
        }
        if ((list == ModifiedPageList || list == ModifiedNoWritePageList) &&
            (!pfn_flag(p, PFN_MODIFIED) || has_slot(p->original_pte)))
            return check_fail(c, "I7: modified frame 0x%X: Modified flag %d, OriginalPte 0x%08X", f,
                        pfn_flag(p, PFN_MODIFIED), p->original_pte);
        prev = f;
        n++;
    }
    if (n != h->total)
        return check_fail(c, "I1: %s list holds %u frames but counts %u", pfn_list_name(list), n, h->total);
    if (h->last != prev)
        return check_fail(c, "I1: %s list's last is 0x%X, the walk ended at 0x%X", pfn_list_name(list),
                    h->last, prev);
    return true;
}

static bool check_lists(struct checker *c)
{
    const struct mm_machine *m = c->m;
    static const enum mm_list plain[] = {ZeroedPageList, FreePageList, ModifiedPageList,
                                         ModifiedNoWritePageList, BadPageList};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (!check_list(c, &m->list[plain[i]], plain[i], -1))
            return false;
    uint32_t standby = 0;
    for (int prio = 0; prio < MM_STANDBY_PRIORITIES; prio++) {
        if (!check_list(c, &m->standby[prio], StandbyPageList, prio))
            return false;
        standby += m->standby[prio].total;
    }
    if (standby != m->list[StandbyPageList].total)
        return check_fail(c, "I1: standby lists hold %u frames, the total says %u", standby,
                    m->list[StandbyPageList].total);
    uint32_t active = 0;
    for (mm_pfn f = 0; f < m->frames; f++) {
        if (c->seen[f])
            continue;
        enum mm_list loc = pfn_location(&m->pfn[f]);
        if (loc != ActiveAndValid)
            return check_fail(c, "I1: frame 0x%X is on no list but says %s", f, pfn_list_name(loc));
        active++;
    }
    if (active != m->active_frames || m->transition_frames != 0)
        return check_fail(c, "I1: %u frames are active, the count says %u (%u in transition)", active,
                    m->active_frames, m->transition_frames);
    return true;
}

/* The frame of the process's own page at `va` through its structures. */
static bool check_system_page(struct checker *c, const struct mm_process *p, mm_va va, mm_pfn f)
{
    const struct mmpfn *pf = &c->m->pfn[f];
    uint32_t i = pf->u1.ws_index;
    if (pfn_location(pf) != ActiveAndValid)
        return check_fail(c, "I3: process %u page 0x%08X (frame 0x%X) is not active", p->pid, va, f);
    if (i > p->ws.last_entry || p->ws.wsle[i] != (va | WSLE_VALID | WSLE_DIRECT | WSLE_LOCKED_IN_WS |
                                                  (p->ws.wsle[i] & WSLE_HASHED)) ||
        i >= p->ws.first_dynamic)
        return check_fail(c, "I6: process %u page 0x%08X is not locked in its working set at %u", p->pid, va, i);
    if (c->named && c->named[f]++)
        return check_fail(c, "I3: frame 0x%X is mapped twice", f);
    return true;
}

static bool check_pte(struct checker *c, const struct mm_process *p, mm_pfn table, uint32_t pdi,
                      uint32_t pti, mm_pte pte, uint32_t *share)
{
    const struct mm_machine *m = c->m;
    mm_va va = (pdi << 22) | (pti << 12);
    mm_va pte_va = pte_address(va);
    switch (pte_classify(pte)) {
    case PTE_FORM_VALID: {
        mm_pfn f = pte_frame(pte);
        const struct mmpfn *pf = &m->pfn[f];
        if (f >= m->frames || pfn_location(pf) != ActiveAndValid)
            return check_fail(c, "I3: process %u va 0x%08X: valid PTE names frame 0x%X, not active", p->pid, va, f);
        if (pfn_flag(pf, PFN_PROTOTYPE_PTE)) {   /* a page of a section: I11 */
            const struct mm_vad *vad = vad_find(&p->vads, VA_VPN(va));
            if (!vad || !view_is_mapped(vad) || pf->pte_address != view_proto_va(m, vad, va))
                return check_fail(c, "I11: process %u va 0x%08X maps shared frame 0x%X, whose prototype PTE 0x%08X "
                            "is not the one its view names", p->pid, va, f, pf->pte_address);
            if (!(pte & PTE_OWNER))
                return check_fail(c, "I3: user PTE for 0x%08X lacks the Owner bit", va);
            if (ws_index_of(m, p, va, f) == WSLE_NULL_INDEX)
                return check_fail(c, "I6: shared frame 0x%X of 0x%08X is not in process %u's working set", f, va,
                            p->pid);
            if (c->mapped) {   /* whole check: ShareCount is compared with these counts (I11) */
                c->mapped[f]++;
                c->dirty[f] |= (pte & PTE_DIRTY) != 0;
            }
            (*share)++;
            break;
        }
        if (pf->pte_address != pte_va || pfn_pte_frame(pf) != table)
            return check_fail(c, "I3: frame 0x%X points at PTE 0x%08X in 0x%X, not 0x%08X in 0x%X", f,
                        pf->pte_address, pfn_pte_frame(pf), pte_va, table);
        if (pf->u2.share_count != 1 || pf->u3.reference_count != 1)
            return check_fail(c, "I3: frame 0x%X has ShareCount %u ReferenceCount %u", f, pf->u2.share_count,
                        pf->u3.reference_count);
        if (!(pte & PTE_OWNER))
            return check_fail(c, "I3: user PTE for 0x%08X lacks the Owner bit", va);
        uint32_t i = pf->u1.ws_index;
        if (i > p->ws.last_entry || !wsle_valid(p->ws.wsle[i]) || wsle_va(p->ws.wsle[i]) != va)
            return check_fail(c, "I6: frame 0x%X of 0x%08X: WsIndex %u is not its entry", f, va, i);
        if (c->named && c->named[f]++)
            return check_fail(c, "I3: frame 0x%X is mapped twice", f);
        if (pfn_flag(pf, PFN_MODIFIED) == has_slot(pf->original_pte))
            return check_fail(c, "I7: active frame 0x%X: Modified %d but OriginalPte 0x%08X", f,
                        pfn_flag(pf, PFN_MODIFIED), pf->original_pte);
        if (has_slot(pf->original_pte) && !ref_slot(c, pf->original_pte, "active frame", f))
            return false;
        (*share)++;
        break;
    }
    case PTE_FORM_TRANSITION: {
        mm_pfn f = pte_frame(pte);
        const struct mmpfn *pf = &m->pfn[f];
        enum mm_list loc = f < m->frames ? pfn_location(pf) : MM_LIST_COUNT;
        if (loc != StandbyPageList && loc != ModifiedPageList && loc != ModifiedNoWritePageList)
            return check_fail(c, "I4: process %u va 0x%08X: transition PTE names frame 0x%X on %s", p->pid,
                        va, f, pfn_list_name(loc));
        if (pf->pte_address != pte_va || pfn_pte_frame(pf) != table)
            return check_fail(c, "I4: frame 0x%X points at PTE 0x%08X in 0x%X, not 0x%08X in 0x%X", f,
                        pf->pte_address, pfn_pte_frame(pf), pte_va, table);
        if (pte_protection(pte) != pte_protection(pf->original_pte))
            return check_fail(c, "I4: transition PTE of 0x%08X and its frame disagree on protection", va);
        if (c->named && c->named[f]++)
            return check_fail(c, "I4: frame 0x%X is named by two PTEs", f);
        c->transition_ptes++;
        (*share)++;
        break;
    }
    case PTE_FORM_PAGEFILE:
        if (!ref_slot(c, pte, "PTE of va", va))
            return false;
        break;
    case PTE_FORM_PROTOTYPE: {
        const struct mm_vad *vad = vad_find(&p->vads, VA_VPN(va));
        if (pte_proto_lookup_needed(pte)) {   /* the VAD locates it; the protection must be the view's */
            if (!vad || !view_is_mapped(vad) || pte_protection(pte) != view_page_protection(m, vad, va))
                return check_fail(c, "I11: process %u va 0x%08X has a lookup-needed PTE 0x%08X outside a view or "
                                  "with another protection than its view's", p->pid, va, pte);
            break;
        }
        if (!vad || !view_is_mapped(vad) || pte_proto_address(pte) != view_proto_va(m, vad, va))
            return check_fail(c, "I11: process %u va 0x%08X points at prototype PTE 0x%08X, not the one its view names",
                        p->pid, va, pte_proto_address(pte));
        break;
    }
    default:
        break;
    }
    if (pte && !vad_find(&p->vads, VA_VPN(va)))
        return check_fail(c, "I9: process %u va 0x%08X has PTE 0x%08X outside every VAD", p->pid, va, pte);
    return true;
}

/* The PTEs of page table pdi, held in `entries` (a frame's bytes or a
 * paging-file slot's; NULL: all zero), against the used count. A table that
 * is not resident maps nothing valid or in transition. */
/* The counts of a table's PTEs in one tight pass: non-zero ones, and those
 * that name a frame (valid or in transition). Most of a table is zero, so
 * each run of 32 PTEs (128 bytes) is first tested for zero as a whole. */
static void count_entries(const uint8_t *entries, uint32_t *used, uint32_t *named)
{
    uint32_t u = 0, n = 0;
    for (uint32_t run = 0; entries && run < PTES_PER_PAGE; run += 32) {
        const uint8_t *b = entries + run * 4u;
        uint32_t any = 0;
        for (uint32_t k = 0; k < 128; k += 4)
            any |= phys_load_le32(b + k);
        if (!any)
            continue;
        for (uint32_t pti = 0; pti < 32; pti++) {
            mm_pte pte = phys_load_le32(b + pti * 4u);
            u += pte != 0;
            n += (pte & PTE_VALID) || (pte & (PTE_PROTOTYPE | PTE_TRANSITION)) == PTE_TRANSITION;
        }
    }
    *used = u;
    *named = n;
}

static bool check_used_count(struct checker *c, const struct mm_process *p, uint32_t pdi, uint32_t used)
{
    if (used != p->used_ptes[pdi] || used == 0)
        return check_fail(c, "I5: process %u table %u has %u non-zero PTEs, counted %u", p->pid, pdi, used,
                    p->used_ptes[pdi]);
    return true;
}

/* Only the PTEs in c->pte_mask in full, the rest counted in one pass. */
static bool check_touched_entries(struct checker *c, const struct mm_process *p, uint32_t pdi, mm_pfn table,
                                  const uint8_t *entries, uint32_t used, uint32_t named, uint32_t *share)
{
    for (uint32_t w = 0; w < PTES_PER_PAGE / 32; w++)
        for (uint32_t bits = c->pte_mask[w]; bits; bits &= bits - 1) {
            uint32_t pti = w * 32 + (uint32_t)__builtin_ctz(bits), ignored = 0;
            if (!check_pte(c, p, table, pdi, pti, entries ? phys_load_le32(entries + pti * 4u) : 0, &ignored))
                return false;
        }
    *share += named;
    return check_used_count(c, p, pdi, used);
}

static bool check_table_entries(struct checker *c, const struct mm_process *p, uint32_t pdi, mm_pfn table,
                                const uint8_t *entries, bool resident, uint32_t *share)
{
    uint32_t used = 0, named;
    if (c->pte_mask) {
        count_entries(entries, &used, &named);
        if (resident || named == 0)   /* else the loop below finds the PTE that is wrong */
            return check_touched_entries(c, p, pdi, table, entries, used, named, share);
        used = 0;
    }
    for (uint32_t pti = 0; pti < PTES_PER_PAGE; pti++) {
        const uint8_t *b = entries ? entries + pti * 4u : NULL;
        mm_pte pte = b ? phys_load_le32(b) : 0;
        used += pte != 0;
        if (!resident && (pte_is_valid(pte) || pte_is_transition(pte)))
            return check_fail(c, "I5: process %u table %u is paged out but its PTE %u is 0x%08X", p->pid, pdi,
                        pti, pte);
        if (!check_pte(c, p, table, pdi, pti, pte, share))
            return false;
    }
    return check_used_count(c, p, pdi, used);
}

static bool check_table_frame(struct checker *c, const struct mm_process *p, uint32_t pdi, mm_pfn table)
{
    const struct mmpfn *pt = &c->m->pfn[table];
    if (table >= c->m->frames || pt->pte_address != PDE_BASE + pdi * 4u || pfn_pte_frame(pt) != p->directory)
        return check_fail(c, "I5: process %u page table %u (frame 0x%X) does not point back at its PDE",
                    p->pid, pdi, table);
    if (c->named && c->named[table]++)
        return check_fail(c, "I5: frame 0x%X is used as two page tables", table);
    return true;
}

static bool check_resident_table(struct checker *c, const struct mm_process *p, uint32_t pdi, mm_pfn table)
{
    const struct mm_machine *m = c->m;
    const struct mmpfn *pt = &m->pfn[table];
    if (!check_table_frame(c, p, pdi, table))
        return false;
    if (pfn_location(pt) != ActiveAndValid)
        return check_fail(c, "I5: process %u page table %u (frame 0x%X) is valid but not active", p->pid, pdi, table);
    uint32_t i = pt->u1.ws_index;
    if (i > p->ws.last_entry || !wsle_valid(p->ws.wsle[i]) || wsle_va(p->ws.wsle[i]) != page_table_va(pdi))
        return check_fail(c, "I6: page table %u of process %u is not in its working set", pdi, p->pid);
    if (pfn_flag(pt, PFN_MODIFIED) == has_slot(pt->original_pte))
        return check_fail(c, "I7: page table frame 0x%X: Modified %d but OriginalPte 0x%08X", table,
                    pfn_flag(pt, PFN_MODIFIED), pt->original_pte);
    if (has_slot(pt->original_pte) && !ref_slot(c, pt->original_pte, "page table frame", table))
        return false;
    uint32_t share = 1;
    if (!check_table_entries(c, p, pdi, table, m->phys.page[table], true, &share))
        return false;
    if (pt->u2.share_count != share)
        return check_fail(c, "I5: page table 0x%X has ShareCount %u, expected %u", table, pt->u2.share_count, share);
    return true;
}

static bool check_table_in_transition(struct checker *c, const struct mm_process *p, uint32_t pdi, mm_pte pde)
{
    mm_pfn table = pte_frame(pde);
    const struct mmpfn *pt = &c->m->pfn[table];
    if (!check_table_frame(c, p, pdi, table))
        return false;
    enum mm_list loc = pfn_location(pt);
    if (loc != StandbyPageList && loc != ModifiedPageList)
        return check_fail(c, "I4: process %u PDE %u is in transition but frame 0x%X is on %s", p->pid, pdi, table,
                    pfn_list_name(loc));
    c->transition_ptes++;
    uint32_t share = 1;
    return check_table_entries(c, p, pdi, table, c->m->phys.page[table], false, &share);
}

static bool check_table_in_pagefile(struct checker *c, const struct mm_process *p, uint32_t pdi, mm_pte pde)
{
    if (!ref_slot(c, pde, "PDE of table", pdi))
        return false;
    const uint8_t *entries = pagefile_fetch(&c->m->pagefile[pte_pagefile_number(pde)], pte_pagefile_offset(pde));
    uint32_t share = 1;
    return check_table_entries(c, p, pdi, 0, entries, false, &share);
}

/* The process's directory maps itself, and its three system pages are
 * locked in its working set. */
bool check_system_pages(struct checker *c, const struct mm_process *p)
{
    const struct mm_machine *m = c->m;
    mm_pte self = phys_read32(&m->phys, p->directory, PDE_SELFMAP_INDEX * 4u);
    if (!pte_is_valid(self) || pte_frame(self) != p->directory)
        return check_fail(c, "I5: process %u directory 0x%X does not map itself (PDE 0x300 = 0x%08X)",
                          p->pid, p->directory, self);
    if (m->pfn[p->hyperspace].u2.share_count != 2)
        return check_fail(c, "I5: hyperspace table 0x%X has ShareCount %u, expected 2", p->hyperspace,
                          m->pfn[p->hyperspace].u2.share_count);
    return check_system_page(c, p, PDE_BASE, p->directory) &&
           check_system_page(c, p, page_table_va(HYPERSPACE_PDI), p->hyperspace) &&
           check_system_page(c, p, WSL_VA, p->wsl_page);
}

bool check_pde(struct checker *c, const struct mm_process *p, uint32_t pdi, bool *names_frame)
{
    const struct mm_machine *m = c->m;
    mm_pte pde = phys_read32(&m->phys, p->directory, pdi * 4u);
    *names_frame = false;
    if (pdi == PDE_SELFMAP_INDEX)
        return true;
    if (pdi == HYPERSPACE_PDI) {
        if (!pte_is_valid(pde) || pte_frame(pde) != p->hyperspace)
            return check_fail(c, "I5: process %u hyperspace PDE is 0x%08X", p->pid, pde);
        *names_frame = true;
        return true;
    }
    if (pde != 0 && pdi >= PTES_PER_PAGE / 2)
        return check_fail(c, "I5: process %u has system PDE %u", p->pid, pdi);
    switch (pte_classify(pde)) {
    case PTE_FORM_ZERO:
        if (p->used_ptes[pdi])
            return check_fail(c, "I5: process %u table %u is absent but counts %u used PTEs", p->pid, pdi,
                              p->used_ptes[pdi]);
        return true;
    case PTE_FORM_VALID: *names_frame = true; return check_resident_table(c, p, pdi, pte_frame(pde));
    case PTE_FORM_TRANSITION: *names_frame = true; return check_table_in_transition(c, p, pdi, pde);
    case PTE_FORM_PAGEFILE: return check_table_in_pagefile(c, p, pdi, pde);
    default:
        return check_fail(c, "I5: process %u PDE %u is 0x%08X, not a table", p->pid, pdi, pde);
    }
}

/* Whether a PDE adds to its directory's ShareCount: it names a frame
 * (valid or in transition), and it is not the self-map. */
static bool pde_shares(uint32_t pdi, mm_pte pde)
{
    return pdi != PDE_SELFMAP_INDEX && (pte_is_valid(pde) || pte_is_transition(pde));
}

static bool directory_shares_are(struct checker *c, const struct mm_process *p, uint32_t shares)
{
    if (c->m->pfn[p->directory].u2.share_count != 1 + shares)
        return check_fail(c, "I5: directory 0x%X has ShareCount %u, expected %u", p->directory,
                          c->m->pfn[p->directory].u2.share_count, 1 + shares);
    return true;
}

/* The directory's ShareCount: 1 + its PDEs that name a frame (valid or in
 * transition), the self-map excepted. Reads the directory only. */
bool check_directory_shares(struct checker *c, const struct mm_process *p)
{
    const uint8_t *dir = c->m->phys.page[p->directory];   /* never without storage: it maps itself */
    uint32_t shares = 0;
    for (uint32_t pdi = 0; dir && pdi < PTES_PER_PAGE; pdi++)
        shares += pde_shares(pdi, phys_load_le32(dir + pdi * 4u));
    return directory_shares_are(c, p, shares);
}

/* Every PDE and the table it names, and the directory's ShareCount, in one
 * pass over the directory. */
static bool check_tables(struct checker *c, const struct mm_process *p)
{
    if (!check_system_pages(c, p))
        return false;
    const uint8_t *dir = c->m->phys.page[p->directory];
    uint32_t shares = 0;
    for (uint32_t pdi = 0; pdi < PTES_PER_PAGE; pdi++) {
        mm_pte pde = dir ? phys_load_le32(dir + pdi * 4u) : 0;
        if (pde == 0 && !p->used_ptes[pdi] && pdi != HYPERSPACE_PDI)
            continue;   /* no table and none counted, as check_pde finds: most of the directory */
        bool names_frame;
        if (!check_pde(c, p, pdi, &names_frame))
            return false;
        shares += pde_shares(pdi, pde);
    }
    return directory_shares_are(c, p, shares);
}

/* The policy's structures (I6): every dynamic entry on the queue of its
 * kind once, links both ways, data_pages counted; under OPT every data page
 * in the heap once, in heap order. */
static bool check_policy(struct checker *c, const struct mm_process *p, uint32_t dynamic)
{
    const struct mm_wsl *ws = &p->ws;
    uint32_t queued[WS_QUEUES] = {0, 0};
    for (unsigned q = 0; q < WS_QUEUES; q++) {
        uint32_t prev = WSLE_NULL_INDEX;
        for (uint32_t i = ws->queue[q].head; i != WSLE_NULL_INDEX; prev = i, i = ws->link[i].next) {
            if (i >= ws->capacity || !wsle_valid(ws->wsle[i]) || wsle_locked(ws->wsle[i]) ||
                is_page_table_va(wsle_va(ws->wsle[i])) != (q == WS_QUEUE_TABLES) || ws->link[i].prev != prev ||
                ++queued[q] > ws->size)
                return check_fail(c, "I6: process %u replacement queue %u is broken at entry %u", p->pid, q, i);
        }
        if (ws->queue[q].tail != prev)
            return check_fail(c, "I6: process %u replacement queue %u ends at %u, tail says %u", p->pid, q, prev,
                        ws->queue[q].tail);
    }
    if (queued[WS_QUEUE_DATA] + queued[WS_QUEUE_TABLES] != dynamic || queued[WS_QUEUE_DATA] != ws->data_pages)
        return check_fail(c, "I6: process %u queues hold %u data pages and %u tables; %u dynamic entries, "
                    "data_pages %u", p->pid, queued[WS_QUEUE_DATA], queued[WS_QUEUE_TABLES], dynamic,
                    ws->data_pages);
    const struct ws_opt *o = ws->opt;
    if (!o)
        return true;
    if (o->count != ws->data_pages)
        return check_fail(c, "I6: process %u OPT heap holds %u pages, data_pages %u", p->pid, o->count, ws->data_pages);
    for (uint32_t k = 0; k < o->count; k++) {
        uint32_t i = o->heap[k], up = o->heap[k > 0 ? (k - 1) / 2 : 0];
        if (o->pos[i] != k || o->next_use[i] > o->next_use[up] ||
            (k > 0 && o->next_use[i] == o->next_use[up] && o->seq[i] < o->seq[up]))
            return check_fail(c, "I6: process %u OPT heap is out of order at place %u (entry %u)", p->pid, k, i);
    }
    return true;
}

bool check_ws_entry(struct checker *c, const struct mm_process *p, uint32_t i)
{
    const struct mm_wsl *ws = &p->ws;
    if (i >= ws->capacity)
        return true;
    mm_wsle e = ws->wsle[i];
    if (!wsle_valid(e))
        return true;
    if (i > ws->last_entry)
        return check_fail(c, "I6: process %u entry %u is valid beyond LastEntry %u", p->pid, i, ws->last_entry);
    if (wsle_locked(e) != (i < ws->first_dynamic))
        return check_fail(c, "I6: process %u entry %u: locked %d but FirstDynamic is %u", p->pid, i,
                          wsle_locked(e), ws->first_dynamic);
    if (ws->hash && ws_lookup(p, wsle_va(e)) != i)
        return check_fail(c, "I6: process %u hash does not find entry %u", p->pid, i);
    if (wsle_locked(e))
        return true;
    unsigned q = is_page_table_va(wsle_va(e)) ? WS_QUEUE_TABLES : WS_QUEUE_DATA;
    uint32_t prev = ws->link[i].prev, next = ws->link[i].next;
    if ((prev == WSLE_NULL_INDEX ? ws->queue[q].head != i : prev >= ws->capacity || ws->link[prev].next != i) ||
        (next == WSLE_NULL_INDEX ? ws->queue[q].tail != i : next >= ws->capacity || ws->link[next].prev != i))
        return check_fail(c, "I6: process %u replacement queue %u is broken at entry %u", p->pid, q, i);
    const struct ws_opt *o = ws->opt;
    if (o && q == WS_QUEUE_DATA) {
        uint32_t k = o->pos[i];
        if (k >= o->count || o->heap[k] != i)
            return check_fail(c, "I6: process %u entry %u is not in the OPT heap", p->pid, i);
        uint32_t up = o->heap[k > 0 ? (k - 1) / 2 : 0];
        if (o->next_use[i] > o->next_use[up] ||
            (k > 0 && o->next_use[i] == o->next_use[up] && o->seq[i] < o->seq[up]))
            return check_fail(c, "I6: process %u OPT heap is out of order at place %u (entry %u)", p->pid, k, i);
    }
    return true;
}

static bool check_ws(struct checker *c, const struct mm_process *p)
{
    const struct mm_wsl *ws = &p->ws;
    uint32_t valid = 0, dynamic = 0, free_count = 0;
    for (uint32_t i = 0; i < ws->capacity; i++) {
        mm_wsle e = ws->wsle[i];
        if (!wsle_valid(e))
            continue;
        valid++;
        dynamic += !wsle_locked(e);
        if (i > ws->last_entry)
            return check_fail(c, "I6: process %u entry %u is valid beyond LastEntry %u", p->pid, i, ws->last_entry);
        if (wsle_locked(e) != (i < ws->first_dynamic))
            return check_fail(c, "I6: process %u entry %u: locked %d but FirstDynamic is %u", p->pid, i,
                        wsle_locked(e), ws->first_dynamic);
        if (ws->hash && ws_lookup(p, wsle_va(e)) != i)
            return check_fail(c, "I6: process %u hash does not find entry %u", p->pid, i);
    }
    for (uint32_t i = ws->first_free; i != WSLE_NULL_INDEX; i = ws->wsle[i] >> PAGE_SHIFT) {
        if (i >= ws->capacity || wsle_valid(ws->wsle[i]) || ++free_count > ws->capacity)
            return check_fail(c, "I6: process %u free-entry list is broken at %u", p->pid, i);
    }
    /* above LastEntry nothing has been used since the list was last
     * chained: the free list's tail, in index order (ws_compact relies on it) */
    for (uint32_t i = ws->last_entry + 1; i < ws->capacity; i++)
        if (ws->wsle[i] >> PAGE_SHIFT != (i + 1 < ws->capacity ? i + 1 : WSLE_NULL_INDEX) ||
            wsle_valid(ws->wsle[i]))
            return check_fail(c, "I6: process %u entry %u above LastEntry %u is not the free list's tail in order",
                              p->pid, i, ws->last_entry);
    if (valid != ws->size || valid + free_count != ws->capacity)
        return check_fail(c, "I6: process %u: %u valid + %u free entries, size %u, capacity %u", p->pid,
                    valid, free_count, ws->size, ws->capacity);
    if (ws->peak < ws->size)
        return check_fail(c, "I6: process %u peak %u below size %u", p->pid, ws->peak, ws->size);
    return check_policy(c, p, dynamic);
}

bool check_vad_charges(struct checker *c, const struct mm_process *p)
{
    if (vad_check_balanced(p->vads.root) < 0)
        return check_fail(c, "I9: process %u VAD tree is unbalanced or out of order", p->pid);
    uint32_t charged = 0, count = 0;
    for (const struct mm_vad *v = vad_next(&p->vads, NULL); v; v = vad_next(&p->vads, v)) {
        charged += v->commit_charge;
        count++;
    }
    if (count != p->vads.count || charged != p->commit_charge)
        return check_fail(c, "I9: process %u charges %u pages, its VADs hold %u", p->pid, p->commit_charge,
                          charged);
    return true;
}

static bool check_commit(struct checker *c, const struct mm_process *p, uint32_t *total)
{
    const struct mm_machine *m = c->m;
    if (vad_check_balanced(p->vads.root) < 0)
        return check_fail(c, "I9: process %u VAD tree is unbalanced or out of order", p->pid);
    uint32_t charged = 0, count = 0;
    for (const struct mm_vad *v = vad_next(&p->vads, NULL); v; v = vad_next(&p->vads, v)) {
        uint32_t committed = 0, prot;
        count++;
        if (view_is_mapped(v)) {   /* a view charges only what copy-on-write may make private */
            committed = view_commit_pages(m, v);
            if (committed != v->commit_charge)
                return check_fail(c, "I9: process %u view 0x%08X charges %u pages, its copy-on-write pages are %u",
                            p->pid, VPN_VA(v->start_vpn), v->commit_charge, committed);
            charged += committed;
            continue;
        }
        for (uint32_t vpn = v->start_vpn; vpn <= v->end_vpn; vpn++) {
            if (pt_read(m, pt_pde_loc(p, VPN_VA(vpn))) == 0) {   /* a whole absent table */
                uint32_t last = vpn | (PTES_PER_PAGE - 1);
                if (last > v->end_vpn)
                    last = v->end_vpn;
                committed += v->mem_commit ? last - vpn + 1 : 0;
                vpn = last;
                continue;
            }
            committed += virtual_page_state(m, p, v, VPN_VA(vpn), &prot);
        }
        if (committed != v->commit_charge)
            return check_fail(c, "I9: process %u VAD 0x%08X has %u pages committed, charged %u", p->pid,
                        VPN_VA(v->start_vpn), committed, v->commit_charge);
        charged += committed;
    }
    if (count != p->vads.count || charged != p->commit_charge)
        return check_fail(c, "I9: process %u charges %u pages, its VADs hold %u", p->pid, p->commit_charge,
                    charged);
    *total += charged;
    return true;
}

/* Two pages' bytes, NULL meaning all zeros. */
static bool same_bytes(const uint8_t *a, const uint8_t *b)
{
    if (a && b)
        return memcmp(a, b, PAGE_SIZE) == 0;
    const uint8_t *x = a ? a : b;
    for (uint32_t i = 0; x && i < PAGE_SIZE; i++)
        if (x[i])
            return false;
    return true;
}

/* Page `page` of a section: its prototype PTE and frame (I11, with I4, I7
 * and I8 for what they name). *share counts the pool page's sharers. */
static bool check_proto(struct checker *c, uint32_t sid, uint32_t page, uint32_t *share, uint32_t *extra)
{
    const struct mm_machine *m = c->m;
    const struct mm_section *sc = &m->section[sid];
    mm_va va = sc->proto + page * 4u;
    mm_pfn pool = section_pool_frame(m, va);
    mm_pte pte = pt_read(m, (struct pte_loc){pool, va});
    switch (pte_classify(pte)) {
    case PTE_FORM_VALID:
    case PTE_FORM_TRANSITION: {
        mm_pfn f = pte_frame(pte);
        const struct mmpfn *pf = &m->pfn[f];
        enum mm_list loc = f < m->frames ? pfn_location(pf) : MM_LIST_COUNT;
        bool valid = pte_is_valid(pte);
        if (valid ? loc != ActiveAndValid
                  : loc != StandbyPageList && loc != ModifiedPageList && loc != ModifiedNoWritePageList)
            return check_fail(c, "I11: section %u page %u: prototype PTE 0x%08X names frame 0x%X on %s", sid, page, pte,
                        f, pfn_list_name(loc));
        if (!pfn_flag(pf, PFN_PROTOTYPE_PTE) || pf->pte_address != va || pfn_pte_frame(pf) != pool)
            return check_fail(c, "I11: frame 0x%X of section %u page %u points at 0x%08X in 0x%X, not its prototype "
                        "PTE 0x%08X in 0x%X", f, sid, page, pf->pte_address, pfn_pte_frame(pf), va, pool);
        if (c->named[f]++)
            return check_fail(c, "I11: frame 0x%X is named twice", f);
        if (valid) {
            if (pf->u2.share_count != c->mapped[f] || pf->u2.share_count == 0 || pf->u3.reference_count != 1)
                return check_fail(c, "I11: shared frame 0x%X has ShareCount %u ReferenceCount %u; %u process PTEs map it",
                            f, pf->u2.share_count, pf->u3.reference_count, c->mapped[f]);
            *extra += pf->u2.share_count - 1;
        } else {
            c->transition_ptes++;
        }
        bool file = sc->file != MM_NO_FILE;
        if (file != ((pf->original_pte & PTE_PROTOTYPE) != 0))
            return check_fail(c, "I11: frame 0x%X of section %u has OriginalPte 0x%08X", f, sid, pf->original_pte);
        if (!file && pfn_flag(pf, PFN_MODIFIED) == has_slot(pf->original_pte))
            return check_fail(c, "I7: shared frame 0x%X: Modified %d but OriginalPte 0x%08X", f,
                        pfn_flag(pf, PFN_MODIFIED), pf->original_pte);
        if (has_slot(pf->original_pte) && !ref_slot(c, pf->original_pte, "shared frame", f))
            return false;
        if (file && !pfn_flag(pf, PFN_MODIFIED) && !c->dirty[f]) {   /* clean everywhere */
            const struct mm_file *fl = &m->file[sc->file];
            const uint8_t *want = fl->data[section_file_page(sc, page)];
            if (!same_bytes(want, m->phys.page[f]))
                return check_fail(c, "I11: clean frame 0x%X of %s page %u differs from the file", f, fl->name,
                            section_file_page(sc, page));
        }
        (*share)++;
        break;
    }
    case PTE_FORM_PAGEFILE:
        if (sc->file != MM_NO_FILE)
            return check_fail(c, "I11: section %u page %u of a mapped file has a paging-file PTE", sid, page);
        return ref_slot(c, pte, "prototype PTE", va);
    case PTE_FORM_DEMAND_ZERO:
        if (sc->file != MM_NO_FILE)
            return check_fail(c, "I11: section %u page %u of a mapped file is demand-zero", sid, page);
        break;
    case PTE_FORM_PROTOTYPE: {
        uint32_t s, k;
        if (sc->file == MM_NO_FILE || !section_of_subsection(m, pte_subsection_address(pte), &s, &k) || s != sid ||
            page < sc->sub[k].first_page || page >= sc->sub[k].first_page + sc->sub[k].pages)
            return check_fail(c, "I11: section %u page %u: subsection PTE 0x%08X names another run", sid, page, pte);
        break;
    }
    default:
        return check_fail(c, "I11: section %u page %u has prototype PTE 0x%08X", sid, page, pte);
    }
    return true;
}

/* Sections (I11): after the processes, whose PTEs counted each shared
 * frame's mappings. *pool gets the pool frames, *extra the working-set
 * entries beyond one per shared frame, *charge the sections' commit. */
static bool check_sections(struct checker *c, uint32_t *pool, uint32_t *extra, uint32_t *charge)
{
    const struct mm_machine *m = c->m;
    uint32_t views[MM_MAX_SECTIONS] = {0};
    for (uint32_t i = 0; i < m->process_slots; i++)
        if (m->process[i].live)
            for (const struct mm_vad *v = vad_next(&m->process[i].vads, NULL); v; v = vad_next(&m->process[i].vads, v))
                if (view_is_mapped(v)) {
                    if (v->section >= MM_MAX_SECTIONS || !m->section[v->section].live)
                        return check_fail(c, "I11: process %u maps a view of section %u, which does not exist",
                                    m->process[i].pid, v->section);
                    views[v->section]++;
                }
    for (uint32_t sid = 0; sid < MM_MAX_SECTIONS; sid++) {
        const struct mm_section *sc = &m->section[sid];
        if (!sc->live)
            continue;
        if (views[sid] != sc->views || (!sc->open && !sc->views))
            return check_fail(c, "I11: section %u counts %u views, %u map it (handle %s)", sid, sc->views, views[sid],
                        sc->open ? "open" : "closed");
        *charge += sc->charge;
        for (uint32_t k = 0; k < sc->pool_pages; k++) {
            mm_pfn pf = m->pool_frame[sc->pool_first + k];
            uint32_t share = 1;
            if (pf >= m->frames || pfn_location(&m->pfn[pf]) != ActiveAndValid || !section_is_pool_frame(m, pf))
                return check_fail(c, "I11: pool page %u of section %u (frame 0x%X) is not an active pool frame",
                            sc->pool_first + k, sid, pf);
            if (c->named[pf]++)
                return check_fail(c, "I11: pool frame 0x%X is named twice", pf);
            for (uint32_t page = k * PTES_PER_PAGE; page < sc->pages && page < (k + 1) * PTES_PER_PAGE; page++)
                if (!check_proto(c, sid, page, &share, extra))
                    return false;
            if (m->pfn[pf].u2.share_count != share)
                return check_fail(c, "I11: pool frame 0x%X has ShareCount %u, expected %u", pf, m->pfn[pf].u2.share_count,
                            share);
            (*pool)++;
        }
    }
    for (mm_pfn f = 0; f < m->frames; f++)
        if (c->mapped[f] && !c->named[f])
            return check_fail(c, "I11: frame 0x%X is mapped as a shared page, but no prototype PTE names it", f);
    return true;
}

bool check_tlb_entry(struct checker *c, uint32_t slot)
{
    const struct mm_machine *m = c->m;
    const struct tlb_entry *e = &m->tlb.entry[slot];
    if (e->vpn == TLB_INVALID_TAG)
        return true;
    if (!m->current)
        return check_fail(c, "I10: TLB entry for 0x%08X with no address space loaded", VPN_VA(e->vpn));
    struct pte_loc at;
    mm_pte pte = pt_pte_loc(m, m->current, VPN_VA(e->vpn), &at) ? pt_read(m, at) : 0;
    if (!pte_is_valid(pte) || pte_frame(pte) != e->frame ||
        ((e->pte & PTE_WRITE) && !(pte & PTE_WRITE)) || ((e->pte & PTE_DIRTY) && !(pte & PTE_DIRTY)))
        return check_fail(c, "I10: TLB maps 0x%08X to frame 0x%X (0x%08X) but the PTE is 0x%08X",
                          VPN_VA(e->vpn), e->frame, e->pte, pte);
    return true;
}

static bool check_tlb(struct checker *c)
{
    for (uint32_t i = 0; i < c->m->tlb.size; i++)
        if (!check_tlb_entry(c, i))
            return false;
    return true;
}

static bool check_all(struct checker *c)
{
    const struct mm_machine *m = c->m;
    if (!check_lists(c))
        return false;
    uint32_t ws_total = 0, commit = 0;
    for (uint32_t i = 0; i < m->process_slots; i++) {
        const struct mm_process *p = &m->process[i];
        if (!p->live)
            continue;
        if (!check_ws(c, p) || !check_tables(c, p) || !check_commit(c, p, &commit))
            return false;
        ws_total += p->ws.size;
    }
    uint32_t pool = 0, extra = 0, section_charge = 0;
    if (!check_sections(c, &pool, &extra, &section_charge))
        return false;
    commit += section_charge;
    if (ws_total != m->active_frames - pool + extra)
        return check_fail(c, "I6: working sets hold %u pages but %u frames are active (%u of them paged pool, %u more "
                    "entries for shared pages)", ws_total, m->active_frames, pool, extra);
    uint32_t listed_transition = m->list[StandbyPageList].total + m->list[ModifiedPageList].total +
                                 m->list[ModifiedNoWritePageList].total;
    if (c->transition_ptes != listed_transition)
        return check_fail(c, "I4: %u transition PTEs for %u Standby/Modified frames", c->transition_ptes,
                    listed_transition);
    for (uint32_t f = 0; f < m->pagefile_count; f++) {
        const struct mm_pagefile *pf = &m->pagefile[f];
        uint32_t used = 0;
        for (uint32_t s = pagefile_next_used(pf, 1); s < pf->size; s = pagefile_next_used(pf, s + 1)) {
            used++;
            if (!c->slot_refs[f][s])
                return check_fail(c, "I8: paging file %u slot %u is in use but nothing names it", f, s);
        }
        if (used != pf->used || !pagefile_slot_used(pf, 0))
            return check_fail(c, "I8: paging file %u has %u slots in use, counts %u", f, used, pf->used);
    }
    if (commit != m->commit_total || m->commit_total > m->commit_limit)
        return check_fail(c, "I9: system commit %u, processes charge %u, limit %u", m->commit_total,
                    commit, m->commit_limit);
    return check_tlb(c);
}

bool mm_check(const struct mm_machine *m, char *msg, size_t msg_size)
{
    char scratch[8];
    struct checker c = {.m = m, .msg = msg ? msg : scratch, .size = msg ? msg_size : sizeof scratch};
    c.seen = calloc(m->frames, 1);
    c.named = calloc(m->frames, 1);
    c.mapped = calloc(m->frames, sizeof *c.mapped);
    c.dirty = calloc(m->frames, 1);
    bool ok = c.seen && c.named && c.mapped && c.dirty;
    for (uint32_t f = 0; ok && f < m->pagefile_count; f++)
        ok = (c.slot_refs[f] = calloc(m->pagefile[f].size, 1)) != NULL;
    if (!ok)
        mm_host_exhausted(__func__, "the invariant checker's tables");
    else
        ok = check_all(&c);
    if (ok && c.size)
        c.msg[0] = '\0';
    free(c.seen);
    free(c.named);
    free(c.mapped);
    free(c.dirty);
    for (uint32_t f = 0; f < m->pagefile_count; f++)
        free(c.slot_refs[f]);
    return ok;
}
