/*
 * checktouch.c - checking what a step touched. The engine reports every
 * change as an event; a checker fed those events (mm_checker_note) keeps
 * the frames, page tables, working-set entries, TLB slots and processes
 * they name, and mm_check_touched() checks the invariants of those only,
 * plus the machine's counters, in time proportional to what was touched
 * rather than to the machine's size. A change that breaks an invariant is
 * made by a step, and that step's events name what it changed, so the
 * check after the step finds it; the whole-machine check (check.c) backs
 * it up at intervals and at the end (docs/invariants.md, "When the
 * invariants are checked").
 *
 * What the touched check covers, per thing touched:
 *   frame         I1 its list links and head, I2, I7, I4/I3 the PTE it names
 *                 points back at it, its working-set entry (I6)
 *   page table    every PTE in it against its frames and slots (I3-I5, I7-I9)
 *   WS entry      I6 for the entry: LastEntry, FirstDynamic, hash, queue links
 *   TLB slot      I10
 *   process       its system pages, the directory's ShareCount, VAD balance
 *                 and charges (I5, I9)
 *   always        the list counts against the frame count, working-set
 *                 sizes against active frames, commit totals (I1, I6, I9)
 *   shared frame  its prototype PTE names it, ShareCount, OriginalPte (I11, I7)
 * Left to the whole check: a frame on two lists or a slot named twice when
 * nothing else is wrong, each VAD's page-by-page commit count, the free-entry
 * list of a working set and its paging-file bitmap counts; with sections, a
 * shared frame's ShareCount against the process PTEs that map it, the
 * working-set total exactly (shared pages count once per process), and the
 * prototype PTEs no event touched.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mm.h"
#include "pagetable.h"
#include "section.h"

struct table_ref {
    uint32_t slot, pdi;     /* process slot (pid - 1), directory index */
    uint32_t pte[PTES_PER_PAGE / 32];   /* the PTEs to check in full, a bit each (all after a PDE change) */
};
struct entry_ref {
    uint32_t slot, index;   /* process slot, working-set entry */
};

/* A growable array of fixed-size items. */
struct vec {
    void *items;
    uint32_t count, cap;
};

struct mm_checker {
    uint32_t frames, process_slots, tlb_size;
    uint8_t *frame_mark;       /* per frame: already in frames */
    uint32_t *table_mark;      /* per process slot and pdi: 1 + its index in tables, 0 if not there */
    uint8_t *tlb_mark;         /* per TLB slot */
    uint8_t *process_mark;     /* per process slot: 1 touched, 2 its directory too */
    struct vec frame, table, entry, tlb, process;
    bool overflow;             /* more was touched than is worth checking piecemeal */
};

static bool vec_push(struct vec *v, const void *item, size_t size)
{
    if (v->count == v->cap) {
        uint32_t cap = v->cap ? v->cap * 2 : 64;
        void *p = realloc(v->items, (size_t)cap * size);
        if (!p)
            return false;
        v->items = p;
        v->cap = cap;
    }
    memcpy((char *)v->items + (size_t)v->count * size, item, size);
    v->count++;
    return true;
}

struct mm_checker *mm_checker_create(const struct mm_machine *m)
{
    struct mm_checker *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->frames = m->frames;
    c->process_slots = m->process_slots;
    c->tlb_size = m->tlb.size;
    c->frame_mark = calloc(m->frames, 1);
    c->table_mark = calloc((size_t)m->process_slots * PTES_PER_PAGE, sizeof *c->table_mark);
    c->tlb_mark = calloc(m->tlb.size, 1);
    c->process_mark = calloc(m->process_slots, 1);
    if (!c->frame_mark || !c->table_mark || !c->tlb_mark || !c->process_mark) {
        mm_checker_destroy(c);
        return NULL;
    }
    return c;
}

void mm_checker_destroy(struct mm_checker *c)
{
    if (!c)
        return;
    free(c->frame_mark);
    free(c->table_mark);
    free(c->tlb_mark);
    free(c->process_mark);
    free(c->frame.items);
    free(c->table.items);
    free(c->entry.items);
    free(c->tlb.items);
    free(c->process.items);
    free(c);
}

void mm_checker_forget(struct mm_checker *c)
{
    const mm_pfn *f = c->frame.items;
    for (uint32_t i = 0; i < c->frame.count; i++)
        c->frame_mark[f[i]] = 0;
    const struct table_ref *t = c->table.items;
    for (uint32_t i = 0; i < c->table.count; i++)
        c->table_mark[(size_t)t[i].slot * PTES_PER_PAGE + t[i].pdi] = 0;
    const uint32_t *s = c->tlb.items;
    for (uint32_t i = 0; i < c->tlb.count; i++)
        c->tlb_mark[s[i]] = 0;
    const uint32_t *p = c->process.items;
    for (uint32_t i = 0; i < c->process.count; i++)
        c->process_mark[p[i]] = 0;
    c->frame.count = c->table.count = c->entry.count = c->tlb.count = c->process.count = 0;
    c->overflow = false;
}

/* ---- noting what an event touched ---- */

static void note_frame(struct mm_checker *c, mm_pfn f)
{
    if (f >= c->frames || c->frame_mark[f])
        return;
    c->frame_mark[f] = 1;
    c->overflow |= !vec_push(&c->frame, &f, sizeof f);
}

static void note_process(struct mm_checker *c, uint32_t pid, uint8_t how)
{
    if (pid == 0 || pid > c->process_slots)
        return;
    uint32_t slot = pid - 1;
    if (!c->process_mark[slot])
        c->overflow |= !vec_push(&c->process, &slot, sizeof slot);
    c->process_mark[slot] |= how;
}

/* Table pdi of process pid, and in it PTE pti in full (all of them with
 * pti = PTES_PER_PAGE: the PDE changed). */
static void note_table(struct mm_checker *c, uint32_t pid, uint32_t pdi, uint32_t pti)
{
    if (pid == 0 || pid > c->process_slots || pdi >= PTES_PER_PAGE)
        return;
    uint32_t *mark = &c->table_mark[(size_t)(pid - 1) * PTES_PER_PAGE + pdi];
    if (!*mark) {
        struct table_ref t = {.slot = pid - 1, .pdi = pdi};
        if (!vec_push(&c->table, &t, sizeof t)) {
            c->overflow = true;
            return;
        }
        *mark = c->table.count;
    }
    struct table_ref *t = (struct table_ref *)c->table.items + (*mark - 1);
    if (pti < PTES_PER_PAGE)
        t->pte[pti / 32] |= 1u << (pti % 32);
    else
        memset(t->pte, 0xFF, sizeof t->pte);
}

static void note_tlb(struct mm_checker *c, uint32_t slot)
{
    if (slot >= c->tlb_size || c->tlb_mark[slot])
        return;
    c->tlb_mark[slot] = 1;
    c->overflow |= !vec_push(&c->tlb, &slot, sizeof slot);
}

static void note_pte_frame(struct mm_checker *c, mm_pte v)
{
    if (pte_is_valid(v) || pte_is_transition(v))
        note_frame(c, pte_frame(v));
}

void mm_checker_note(struct mm_checker *c, const struct mm_event *ev)
{
    switch (ev->kind) {
    case MM_EV_FAULT:
        note_process(c, ev->pid, 1);
        note_frame(c, ev->u.fault.frame);
        break;
    case MM_EV_PAGE_MOVE:
        note_frame(c, ev->u.move.frame);
        break;
    case MM_EV_PTE: {
        mm_va at = ev->u.pte.pte_va;
        bool pde = ev->u.pte.is_pde;
        note_process(c, ev->pid, pde ? 3 : 1);
        if (pde)
            note_table(c, ev->pid, (at - PDE_BASE) / 4u, PTES_PER_PAGE);
        else
            note_table(c, ev->pid, (at - PTE_BASE) >> PAGE_SHIFT, ((at - PTE_BASE) >> 2) & (PTES_PER_PAGE - 1));
        note_pte_frame(c, ev->u.pte.old_value);
        note_pte_frame(c, ev->u.pte.new_value);
        if (!pde)
            note_tlb(c, VA_VPN(ev->u.pte.va) & (c->tlb_size - 1));
        break;
    }
    case MM_EV_WSLE: {
        note_process(c, ev->pid, 1);
        if (ev->pid >= 1 && ev->pid <= c->process_slots) {
            struct entry_ref e = {ev->pid - 1, ev->u.wsle.index};
            c->overflow |= !vec_push(&c->entry, &e, sizeof e);
        }
        break;
    }
    case MM_EV_PAGEFILE:
        note_frame(c, ev->u.io.frame);
        break;
    case MM_EV_PROCESS:
        note_process(c, ev->pid, 3);
        break;
    case MM_EV_TLB:
        note_tlb(c, ev->u.tlb.slot);
        break;
    default:
        break;
    }
}

void mm_checker_note_process(struct mm_checker *c, uint32_t pid) { note_process(c, pid, 1); }

/* ---- the checks ---- */

static const struct mm_process *live_process(const struct mm_machine *m, uint32_t slot)
{
    return slot < m->process_slots && m->process[slot].live ? &m->process[slot] : NULL;
}

static const struct mm_process *owner_of_directory(const struct mm_machine *m, mm_pfn dir)
{
    for (uint32_t i = 0; i < m->process_slots; i++)
        if (m->process[i].live && m->process[i].directory == dir)
            return &m->process[i];
    return NULL;
}

/* The counters that tie everything together (O(processes)). */
static bool check_counts(struct checker *k)
{
    const struct mm_machine *m = k->m;
    static const enum mm_list listed[] = {ZeroedPageList, FreePageList, StandbyPageList, ModifiedPageList,
                                          ModifiedNoWritePageList, BadPageList};
    uint64_t total = (uint64_t)m->active_frames + m->transition_frames, standby = 0;
    for (size_t i = 0; i < sizeof listed / sizeof listed[0]; i++)
        total += m->list[listed[i]].total;
    for (int prio = 0; prio < MM_STANDBY_PRIORITIES; prio++)
        standby += m->standby[prio].total;
    if (total != m->frames || m->transition_frames != 0)
        return check_fail(k, "I1: the lists and %u active frames count %llu frames of %u (%u in transition)",
                          m->active_frames, (unsigned long long)total, m->frames, m->transition_frames);
    if (standby != m->list[StandbyPageList].total)
        return check_fail(k, "I1: standby lists hold %llu frames, the total says %u", (unsigned long long)standby,
                          m->list[StandbyPageList].total);
    /* paged pool holds the prototype PTEs in frames of no working set; the
     * sections charge their commit themselves */
    uint64_t ws_total = 0, commit = 0, pool = 0;
    bool sections = false;
    for (uint32_t s = 0; s < MM_MAX_SECTIONS; s++)
        if (m->section[s].live) {
            sections = true;
            pool += m->section[s].pool_pages;
            commit += m->section[s].charge;
        }
    for (uint32_t i = 0; i < m->process_slots; i++) {
        const struct mm_process *p = live_process(m, i);
        if (!p)
            continue;
        ws_total += p->ws.size;
        commit += p->commit_charge;
        if (p->ws.size > p->ws.capacity || p->ws.peak < p->ws.size || p->ws.data_pages > p->ws.size)
            return check_fail(k, "I6: process %u: size %u, capacity %u, peak %u, data pages %u", p->pid,
                              p->ws.size, p->ws.capacity, p->ws.peak, p->ws.data_pages);
    }
    /* Every active frame outside the pool is in a working set; a shared page
     * is in one per process that maps it, so with sections the working sets
     * may hold more (the whole check counts those exactly). */
    if (sections ? ws_total + pool < m->active_frames : ws_total != m->active_frames)
        return check_fail(k, "I6: working sets hold %llu pages but %u frames are active (%llu of them paged pool)",
                          (unsigned long long)ws_total, m->active_frames, (unsigned long long)pool);
    if (commit != m->commit_total || m->commit_total > m->commit_limit)
        return check_fail(k, "I9: system commit %u, processes charge %llu, limit %u", m->commit_total,
                          (unsigned long long)commit, m->commit_limit);
    for (uint32_t f = 0; f < m->pagefile_count; f++)
        if (m->pagefile[f].used >= m->pagefile[f].size || !pagefile_slot_used(&m->pagefile[f], 0))
            return check_fail(k, "I8: paging file %u counts %u slots used of %u", f, m->pagefile[f].used,
                              m->pagefile[f].size);
    return true;
}

static bool has_slot(mm_pte pte) { return pte_is_software(pte) && pte_pagefile_offset(pte) != 0; }

static bool slot_in_use(const struct mm_machine *m, mm_pte pte)
{
    uint32_t file = pte_pagefile_number(pte);
    return file < m->pagefile_count && pagefile_slot_used(&m->pagefile[file], pte_pagefile_offset(pte));
}

/* A listed frame's neighbours point back at it, or its list head does (I1). */
static bool check_links(struct checker *k, mm_pfn f, enum mm_list list)
{
    const struct mm_machine *m = k->m;
    const struct mmpfn *p = &m->pfn[f];
    const struct mm_list_head *h = list == StandbyPageList ? &m->standby[pfn_priority(p)] : &m->list[list];
    mm_pfn prev = p->u2.blink, next = p->u1.flink;
    bool ok = prev == MM_EMPTY_LIST ? h->first == f
                                    : prev < m->frames && m->pfn[prev].u1.flink == f &&
                                          pfn_location(&m->pfn[prev]) == list;
    ok = ok && (next == MM_EMPTY_LIST ? h->last == f
                                      : next < m->frames && m->pfn[next].u2.blink == f &&
                                            pfn_location(&m->pfn[next]) == list);
    if (!ok)
        return check_fail(k, "I1: frame 0x%X on %s has Blink 0x%X and Flink 0x%X that do not lead back to it", f,
                          pfn_list_name(list), prev, next);
    return true;
}

/* The PTE a frame's PFN entry names (PteFrame + PteAddress). */
static mm_pte named_pte(const struct mm_machine *m, const struct mmpfn *p)
{
    mm_pfn table = pfn_pte_frame(p);
    return table < m->frames ? phys_read32(&m->phys, table, p->pte_address & 0xFFFu) : 0;
}

static bool check_listed_frame(struct checker *k, mm_pfn f, enum mm_list list)
{
    const struct mm_machine *m = k->m;
    const struct mmpfn *p = &m->pfn[f];
    if (!check_links(k, f, list))
        return false;
    if (p->u3.reference_count != 0)
        return check_fail(k, "I1: listed frame 0x%X has ReferenceCount %u", f, p->u3.reference_count);
    if (list == ZeroedPageList && !phys_is_zero(&m->phys, f))
        return check_fail(k, "I2: frame 0x%X is on the Zeroed list but holds data", f);
    if ((list == ZeroedPageList || list == FreePageList || list == BadPageList) && p->original_pte)
        return check_fail(k, "I2: free frame 0x%X still has OriginalPte 0x%08X", f, p->original_pte);
    bool in_file = (p->original_pte & PTE_PROTOTYPE) != 0;   /* a page of a mapped file: no slot */
    if (list == StandbyPageList &&
        (pfn_flag(p, PFN_MODIFIED) || (!in_file && (!has_slot(p->original_pte) || !slot_in_use(m, p->original_pte)))))
        return check_fail(k, "I7: standby frame 0x%X: Modified %d, OriginalPte 0x%08X (its slot must be in use)", f,
                          pfn_flag(p, PFN_MODIFIED), p->original_pte);
    if ((list == ModifiedPageList || list == ModifiedNoWritePageList) &&
        (!pfn_flag(p, PFN_MODIFIED) || has_slot(p->original_pte)))
        return check_fail(k, "I7: modified frame 0x%X: Modified flag %d, OriginalPte 0x%08X", f,
                          pfn_flag(p, PFN_MODIFIED), p->original_pte);
    if (list == StandbyPageList || list == ModifiedPageList || list == ModifiedNoWritePageList) {
        mm_pte pte = named_pte(m, p);
        if (!pte_is_transition(pte) || pte_frame(pte) != f)
            return check_fail(k, "I4: %s frame 0x%X: its PTE 0x%08X in 0x%X is 0x%08X, not a transition PTE "
                              "naming it", pfn_list_name(list), f, p->pte_address, pfn_pte_frame(p), pte);
    }
    return true;
}

/* A page of paged pool (prototype PTEs) or a page of a section: no one
 * process owns it. The process PTEs that map a shared page are checked
 * with their page tables (I11 there); the count of them against ShareCount
 * is left to the whole check. */
static bool check_section_frame(struct checker *k, mm_pfn f)
{
    const struct mm_machine *m = k->m;
    const struct mmpfn *p = &m->pfn[f];
    if (p->u2.share_count == 0 || p->u3.reference_count != 1)
        return check_fail(k, "I11: %s frame 0x%X has ShareCount %u ReferenceCount %u",
                          pfn_flag(p, PFN_PROTOTYPE_PTE) ? "shared" : "pool", f, p->u2.share_count,
                          p->u3.reference_count);
    if (!pfn_flag(p, PFN_PROTOTYPE_PTE) || (p->original_pte & PTE_PROTOTYPE))
        return true;
    if (pfn_flag(p, PFN_MODIFIED) == has_slot(p->original_pte))
        return check_fail(k, "I7: shared frame 0x%X: Modified %d but OriginalPte 0x%08X", f,
                          pfn_flag(p, PFN_MODIFIED), p->original_pte);
    if (has_slot(p->original_pte) && !slot_in_use(m, p->original_pte))
        return check_fail(k, "I8: shared frame 0x%X names paging-file slot 0x%08X, which is not in use", f,
                          p->original_pte);
    return true;
}

static bool check_active_frame(struct checker *k, mm_pfn f)
{
    const struct mm_machine *m = k->m;
    const struct mmpfn *p = &m->pfn[f];
    if (section_is_pool_frame(m, f))
        return check_section_frame(k, f);
    mm_pte pte = named_pte(m, p);
    if (!pte_is_valid(pte) || pte_frame(pte) != f)
        return check_fail(k, "I3: active frame 0x%X: its PTE 0x%08X in 0x%X is 0x%08X, not a valid PTE naming it",
                          f, p->pte_address, pfn_pte_frame(p), pte);
    if (pfn_flag(p, PFN_PROTOTYPE_PTE))
        return check_section_frame(k, f);
    bool is_pde = p->pte_address >= PDE_BASE && p->pte_address < PDE_BASE + PAGE_SIZE;
    mm_pfn table = pfn_pte_frame(p);
    mm_pfn dir = is_pde ? table : pfn_pte_frame(&m->pfn[table]);
    const struct mm_process *owner = owner_of_directory(m, dir);
    if (!owner)
        return check_fail(k, "I3: active frame 0x%X belongs to no process (directory 0x%X)", f, dir);
    mm_va va = pte_mapped_va(p->pte_address);
    uint32_t i = p->u1.ws_index;
    if (i > owner->ws.last_entry || i >= owner->ws.capacity || !wsle_valid(owner->ws.wsle[i]) ||
        wsle_va(owner->ws.wsle[i]) != va)
        return check_fail(k, "I6: frame 0x%X of 0x%08X: WsIndex %u is not its entry", f, va, i);
    bool pageable = va <= MM_HIGHEST_USER_ADDRESS || is_user_table_va(va);   /* not a system page */
    if (pageable && pfn_flag(p, PFN_MODIFIED) == has_slot(p->original_pte))
        return check_fail(k, "I7: active frame 0x%X: Modified %d but OriginalPte 0x%08X", f,
                          pfn_flag(p, PFN_MODIFIED), p->original_pte);
    if (has_slot(p->original_pte) && !slot_in_use(m, p->original_pte))
        return check_fail(k, "I8: active frame 0x%X names paging-file slot 0x%08X, which is not in use", f,
                          p->original_pte);
    if (va <= MM_HIGHEST_USER_ADDRESS && (p->u2.share_count != 1 || p->u3.reference_count != 1))
        return check_fail(k, "I3: frame 0x%X has ShareCount %u ReferenceCount %u", f, p->u2.share_count,
                          p->u3.reference_count);
    return true;
}

static bool check_frame(struct checker *k, mm_pfn f)
{
    enum mm_list loc = pfn_location(&k->m->pfn[f]);
    switch (loc) {
    case ZeroedPageList:
    case FreePageList:
    case StandbyPageList:
    case ModifiedPageList:
    case ModifiedNoWritePageList:
    case BadPageList:
        return check_listed_frame(k, f, loc);
    case ActiveAndValid:
        return check_active_frame(k, f);
    default:
        return check_fail(k, "I1: frame 0x%X is %s between steps", f, pfn_list_name(loc));
    }
}

static bool check_process(struct checker *k, const struct mm_process *p, bool directory)
{
    return check_system_pages(k, p) && check_vad_charges(k, p) && (!directory || check_directory_shares(k, p));
}

/* Is checking piece by piece cheaper than checking the whole machine? A
 * page table costs its 1,024 PTEs, a frame or an entry a few reads; the
 * whole check reads every frame, every paging-file slot, every
 * working-set entry and every resident page table. */
static bool worth_it(const struct mm_checker *c, const struct mm_machine *m)
{
    if (c->overflow)
        return false;
    uint64_t piecemeal = (uint64_t)c->table.count * PTES_PER_PAGE + c->frame.count + c->entry.count;
    uint64_t whole = m->frames;
    for (uint32_t f = 0; f < m->pagefile_count; f++)
        whole += m->pagefile[f].size;
    for (uint32_t i = 0; i < m->process_slots; i++) {
        const struct mm_process *p = live_process(m, i);
        if (p)
            whole += p->ws.capacity + (uint64_t)(p->ws.size - p->ws.data_pages + 1) * PTES_PER_PAGE;
    }
    return piecemeal < whole;
}

static bool check_touched(struct mm_checker *c, struct checker *k)
{
    const struct mm_machine *m = k->m;
    if (!check_counts(k))
        return false;
    const mm_pfn *f = c->frame.items;
    for (uint32_t i = 0; i < c->frame.count; i++)
        if (!check_frame(k, f[i]))
            return false;
    const uint32_t *ps = c->process.items;
    for (uint32_t i = 0; i < c->process.count; i++) {
        const struct mm_process *p = live_process(m, ps[i]);
        if (p && !check_process(k, p, c->process_mark[ps[i]] & 2))
            return false;
    }
    const struct table_ref *t = c->table.items;
    for (uint32_t i = 0; i < c->table.count; i++) {
        const struct mm_process *p = live_process(m, t[i].slot);
        bool names_frame;
        k->pte_mask = t[i].pte;
        bool ok = !p || check_pde(k, p, t[i].pdi, &names_frame);
        k->pte_mask = NULL;
        if (!ok)
            return false;
    }
    const struct entry_ref *e = c->entry.items;
    for (uint32_t i = 0; i < c->entry.count; i++) {
        const struct mm_process *p = live_process(m, e[i].slot);
        if (p && !check_ws_entry(k, p, e[i].index))
            return false;
    }
    const uint32_t *s = c->tlb.items;
    for (uint32_t i = 0; i < c->tlb.count; i++)
        if (s[i] < m->tlb.size && !check_tlb_entry(k, s[i]))
            return false;
    return true;
}

bool mm_check_touched(struct mm_checker *c, const struct mm_machine *m, char *msg, size_t msg_size)
{
    char scratch[8];
    struct checker k = {.m = m, .msg = msg ? msg : scratch, .size = msg ? msg_size : sizeof scratch};
    bool ok;
    if (m->frames != c->frames || m->process_slots != c->process_slots || m->tlb.size != c->tlb_size)
        ok = check_fail(&k, "the checker was made for another machine");
    else if (!worth_it(c, m))
        ok = mm_check(m, msg, msg_size);
    else
        ok = check_touched(c, &k);
    if (ok && k.size)
        k.msg[0] = '\0';
    mm_checker_forget(c);
    return ok;
}
