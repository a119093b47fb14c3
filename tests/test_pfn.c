/*
 * test_pfn.c - the PFN database and the page lists (pfn.h, pfn.c): the
 * 24-byte NT i386 entry layout, the boot state, the field accessors, where
 * each kind of fault takes its frame from (demand zero: Zeroed, Free,
 * Standby lowest priority first; page-in: Free, Zeroed), FIFO order on
 * every list, the list walker and bad pages.
 */
#include <stddef.h>
#include <string.h>

#include "support.h"

static uint32_t list_total(struct mm_machine *m, enum mm_list l) { return mm_list_head(m, l)->total; }

static mm_pfn list_first(struct mm_machine *m, enum mm_list l) { return mm_list_head(m, l)->first; }

/* The page mapped by the PTE a frame's PFN entry points at. */
static mm_va mapped_va(const struct mm_machine *m, mm_pfn f)
{
    return (mm_pfn_entry(m, f)->pte_address - 0xC0000000u) << 10;
}

/* ---- layout ---- */

Test(pfn, entry_is_24_bytes_with_nt_i386_offsets)
{
    struct mm_machine *m = t_machine(16, 16);
    cr_assert_eq(sizeof(struct mmpfn), 24u);
    cr_assert_eq(offsetof(struct mmpfn, u1), 0u);
    cr_assert_eq(offsetof(struct mmpfn, pte_address), 4u);
    cr_assert_eq(offsetof(struct mmpfn, u2), 8u);
    cr_assert_eq(offsetof(struct mmpfn, u3), 12u);
    cr_assert_eq(offsetof(struct mmpfn, original_pte), 16u);
    cr_assert_eq(offsetof(struct mmpfn, u4), 20u);
    /* the overlays share their words */
    cr_assert_eq(offsetof(struct mmpfn, u1.flink), offsetof(struct mmpfn, u1.ws_index));
    cr_assert_eq(offsetof(struct mmpfn, u2.blink), offsetof(struct mmpfn, u2.share_count));
    /* u3: ReferenceCount in the low half, the flags in the high half */
    cr_assert_eq(offsetof(struct mmpfn, u3.reference_count), 12u);
    cr_assert_eq(offsetof(struct mmpfn, u3.flags), 14u);

    /* MMPFNENTRY bits and the MMLISTS numbers */
    cr_assert_eq(PFN_MODIFIED, 0x0001u);
    cr_assert_eq(PFN_READ_IN_PROGRESS, 0x0002u);
    cr_assert_eq(PFN_WRITE_IN_PROGRESS, 0x0004u);
    cr_assert_eq(PFN_PROTOTYPE_PTE, 0x0008u);
    cr_assert_eq(PFN_COLOR_MASK, 0x00F0u);
    cr_assert_eq(PFN_LOCATION_MASK, 0x0700u);
    cr_assert_eq(PFN_REMOVAL_REQUESTED, 0x0800u);
    cr_assert_eq(PFN_PARITY_ERROR, 0x8000u);
    cr_assert_eq(ZeroedPageList, 0);
    cr_assert_eq(FreePageList, 1);
    cr_assert_eq(StandbyPageList, 2);
    cr_assert_eq(ModifiedPageList, 3);
    cr_assert_eq(ModifiedNoWritePageList, 4);
    cr_assert_eq(BadPageList, 5);
    cr_assert_eq(ActiveAndValid, 6);
    cr_assert_eq(TransitionPage, 7);
    cr_assert_eq(MM_DEFAULT_PRIORITY, 5);
    cr_assert_eq(MM_EMPTY_LIST, 0xFFFFFFFFu);
    t_check(m);
    mm_destroy(m);
}

Test(pfn, new_machine_has_every_frame_on_zeroed_in_order)
{
    enum { N = 256 };
    struct mm_machine *m = t_machine(N, 64);
    static mm_pfn out[N + 1];
    cr_assert_eq(mm_frame_count(m), (uint32_t)N);
    cr_assert_eq(mm_list_frames(m, ZeroedPageList, 0, out, N), (uint32_t)N);
    for (uint32_t i = 0; i < N; i++)
        cr_assert_eq(out[i], i, "position %u holds frame 0x%X", i, out[i]);
    const struct mm_list_head *z = mm_list_head(m, ZeroedPageList);
    cr_assert_eq(z->total, (uint32_t)N);
    cr_assert_eq(z->name, ZeroedPageList);
    cr_assert_eq(z->first, 0u);
    cr_assert_eq(z->last, (uint32_t)N - 1);
    for (enum mm_list l = FreePageList; l <= BadPageList; l++) {
        const struct mm_list_head *h = mm_list_head(m, l);
        cr_assert_eq(h->total, 0u, "%s", pfn_list_name(l));
        cr_assert_eq(h->name, l);
        cr_assert_eq(h->first, MM_EMPTY_LIST);
        cr_assert_eq(h->last, MM_EMPTY_LIST);
    }
    for (unsigned prio = 0; prio < MM_STANDBY_PRIORITIES; prio++) {
        cr_assert_eq(mm_standby_head(m, prio)->total, 0u);
        cr_assert_eq(mm_standby_head(m, prio)->first, MM_EMPTY_LIST);
    }
    for (mm_pfn f = 0; f < N; f++) {
        const struct mmpfn *p = mm_pfn_entry(m, f);
        cr_assert_eq(pfn_location(p), ZeroedPageList);
        cr_assert_eq(p->u1.flink, f + 1 < N ? f + 1 : MM_EMPTY_LIST);
        cr_assert_eq(p->u2.blink, f ? f - 1 : MM_EMPTY_LIST);
        cr_assert_eq(p->u3.reference_count, 0);
        cr_assert_eq(p->u3.flags, ZeroedPageList << PFN_LOCATION_SHIFT);
        cr_assert_eq(p->pte_address, 0u);
        cr_assert_eq(p->original_pte, 0u);
        cr_assert_eq(pfn_priority(p), (unsigned)MM_DEFAULT_PRIORITY);
        cr_assert_eq(pfn_pte_frame(p), 0u);
    }
    cr_assert_null(mm_pfn_entry(m, N));
    cr_assert_eq(mm_active_frames(m), 0u);
    cr_assert_eq(mm_available_pages(m), (uint32_t)N);
    struct mm_memory_list_info info;
    mm_memory_list_query(m, &info);
    cr_assert_eq(info.zero_page_count, (uint64_t)N);
    cr_assert_eq(info.free_page_count + info.modified_page_count + info.bad_page_count +
                     info.modified_no_write_page_count, 0u);
    t_check(m);
    mm_destroy(m);
}

/* ---- accessors ---- */

Test(pfn, accessors_pack_fields_without_disturbing_neighbours)
{
    struct mm_machine *m = t_machine(64, 64);
    struct mmpfn p;
    memset(&p, 0, sizeof p);
    pfn_set_flag(&p, PFN_MODIFIED);
    pfn_set_flag(&p, PFN_PARITY_ERROR);
    for (enum mm_list l = ZeroedPageList; l < MM_LIST_COUNT; l++) {
        pfn_set_location(&p, l);
        cr_assert_eq(pfn_location(&p), l);
        cr_assert_eq(p.u3.flags, PFN_MODIFIED | PFN_PARITY_ERROR | ((unsigned)l << 8));
    }
    cr_assert(pfn_flag(&p, PFN_MODIFIED));
    pfn_clear_flag(&p, PFN_MODIFIED);
    cr_assert_not(pfn_flag(&p, PFN_MODIFIED));
    cr_assert(pfn_flag(&p, PFN_PARITY_ERROR));
    cr_assert_eq(pfn_location(&p), TransitionPage);

    p.u4 = PFN_IN_PAGE_ERROR | PFN_NO_WRITE;
    pfn_set_pte_frame(&p, 0xFFFFF);
    pfn_set_priority(&p, 7);
    cr_assert_eq(pfn_pte_frame(&p), 0xFFFFFu);
    cr_assert_eq(pfn_priority(&p), 7u);
    cr_assert_eq(p.u4, 0xFFFFFu | PFN_IN_PAGE_ERROR | (7u << 21) | PFN_NO_WRITE);
    pfn_set_priority(&p, 2);
    pfn_set_pte_frame(&p, 0x123);
    cr_assert_eq(p.u4, 0x123u | PFN_IN_PAGE_ERROR | (2u << 21) | PFN_NO_WRITE);
    /* out-of-range values are cut to the field, never spill over */
    pfn_set_pte_frame(&p, 0x123456);
    cr_assert_eq(pfn_pte_frame(&p), 0x23456u);
    pfn_set_priority(&p, 9);
    cr_assert_eq(pfn_priority(&p), 1u);
    cr_assert_eq(p.u4 & ~(PFN_PTE_FRAME_MASK | PFN_PRIORITY_MASK), PFN_IN_PAGE_ERROR | PFN_NO_WRITE);

    cr_assert_str_eq(pfn_list_name(ZeroedPageList), "Zeroed");
    cr_assert_str_eq(pfn_list_name(StandbyPageList), "Standby");
    cr_assert_str_eq(pfn_list_name(ModifiedNoWritePageList), "ModifiedNoWrite");
    cr_assert_str_eq(pfn_list_name(ActiveAndValid), "Active");
    cr_assert_str_eq(pfn_list_name(MM_LIST_COUNT), "?");
    cr_assert_str_eq(pfn_move_reason_name(MOVE_REPURPOSE), "repurpose");
    cr_assert_str_eq(pfn_move_reason_name(MOVE_TRANSITION_FAULT), "transition-fault", "the JSON value: one word per idea");
    cr_assert_str_eq(pfn_move_reason_name(MOVE_REASON_COUNT), "?");

    /* a live entry after a demand-zero fault */
    uint32_t pid = t_process(m, "live");
    cr_assert_eq(mm_set_page_priority(m, pid, 3), STATUS_SUCCESS);
    mm_va va = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, va, 1), STATUS_SUCCESS);
    struct mm_walk w;
    cr_assert_eq(mm_walk(m, pid, va, &w), STATUS_SUCCESS);
    const struct mmpfn *e = mm_pfn_entry(m, w.frame);
    cr_assert_eq(pfn_location(e), ActiveAndValid);
    cr_assert_eq(e->pte_address, 0xC0000000u + (va >> 12) * 4);
    cr_assert_eq(pfn_pte_frame(e), pte_frame(w.pde));
    cr_assert_eq(e->u2.share_count, 1u);
    cr_assert_eq(e->u3.reference_count, 1);
    cr_assert_eq(pfn_priority(e), 3u);
    cr_assert(pfn_flag(e, PFN_MODIFIED), "a demand-zero page exists nowhere else");
    cr_assert_eq(e->original_pte, 0x80u);
    const struct mm_wsl *ws = mm_working_set(m, pid);
    cr_assert_eq(wsle_va(ws->wsle[e->u1.ws_index]), va);
    t_check(m);
    mm_destroy(m);
}

/* ---- where demand-zero frames come from ---- */

Test(pfn, demand_zero_takes_the_head_of_zeroed)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "a");   /* frames 0, 1, 2 */
    mm_va va = t_alloc(m, pid, 2 * PAGE_SIZE, PAGE_READWRITE);
    struct mm_counters before, after;
    mm_counters(m, 0, &before);
    cr_assert_eq(mm_write32(m, pid, va, 5), STATUS_SUCCESS);
    struct mm_walk w;
    cr_assert_eq(mm_walk(m, pid, va, &w), STATUS_SUCCESS);
    cr_assert_eq(pte_frame(w.pde), 3u, "the page table takes the next zeroed frame");
    cr_assert_eq(w.frame, 4u, "then the page");
    cr_assert_eq(list_first(m, ZeroedPageList), 5u);
    cr_assert_eq(list_total(m, ZeroedPageList), 59u);
    mm_counters(m, 0, &after);
    cr_assert_eq(after.pages_zeroed, before.pages_zeroed, "a zeroed frame needs no zeroing");
    t_check(m);
    mm_destroy(m);
}

Test(pfn, demand_zero_takes_free_when_zeroed_is_empty_and_zeroes_it)
{
    struct mm_machine *m = t_machine(32, 64);
    uint32_t pid = t_process(m, "a");                       /* frames 0-2 */
    mm_va r1 = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);   /* 0x10000 */
    mm_va r2 = t_alloc(m, pid, 27 * PAGE_SIZE, PAGE_READWRITE);
    uint8_t junk[PAGE_SIZE];
    memset(junk, 0xA5, sizeof junk);
    cr_assert_eq(mm_write(m, pid, r1, junk, PAGE_SIZE), STATUS_SUCCESS);
    mm_pfn dirty = t_valid_frame(m, pid, r1);
    for (uint32_t i = 0; i < 27; i++)
        cr_assert_eq(mm_write32(m, pid, r2 + i * PAGE_SIZE, i + 1), STATUS_SUCCESS);
    cr_assert_eq(list_total(m, ZeroedPageList), 0u);
    cr_assert_eq(list_total(m, FreePageList), 0u);

    /* release the page full of 0xA5: its frame goes to Free, unzeroed */
    mm_va base = r1;
    uint32_t size = 0;
    cr_assert_eq(mm_free(m, pid, &base, &size, MEM_RELEASE), STATUS_SUCCESS);
    cr_assert_eq(t_location(m, dirty), FreePageList);
    cr_assert_eq(list_total(m, FreePageList), 1u);

    struct mm_counters before, after;
    mm_counters(m, 0, &before);
    mm_va r3 = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    uint8_t page[PAGE_SIZE];
    memset(page, 0x5A, sizeof page);
    cr_assert_eq(mm_read(m, pid, r3, page, PAGE_SIZE), STATUS_SUCCESS);
    cr_assert_eq(t_valid_frame(m, pid, r3), dirty, "the Free frame is taken when Zeroed is empty");
    static const uint8_t zeros[PAGE_SIZE];
    cr_assert(memcmp(page, zeros, PAGE_SIZE) == 0, "a demand-zero page showed another page's bytes");
    mm_counters(m, 0, &after);
    cr_assert_eq(after.pages_zeroed, before.pages_zeroed + 1);
    cr_assert_eq(list_total(m, FreePageList), 0u);
    t_check(m);
    mm_destroy(m);
}

Test(pfn, demand_zero_repurposes_standby_lowest_priority_first)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t a = t_process(m, "low");
    uint32_t b = t_process(m, "high");
    uint32_t c = t_process(m, "filler");
    cr_assert_eq(mm_set_page_priority(m, a, 2), STATUS_SUCCESS);
    cr_assert_eq(mm_set_page_priority(m, b, 6), STATUS_SUCCESS);
    mm_va ra = t_alloc(m, a, 4 * PAGE_SIZE, PAGE_READWRITE);
    mm_va rb = t_alloc(m, b, 4 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t i = 0; i < 4; i++) {
        cr_assert_eq(mm_write32(m, a, ra + i * PAGE_SIZE, 0xA000u + i), STATUS_SUCCESS);
        cr_assert_eq(mm_write32(m, b, rb + i * PAGE_SIZE, 0xB000u + i), STATUS_SUCCESS);
    }
    cr_assert_eq(mm_trim(m, a, 4), 4u);
    cr_assert_eq(mm_trim(m, b, 4), 4u);
    cr_assert_eq(t_flush(m), 8u);
    cr_assert_eq(mm_standby_head(m, 2)->total, 4u);
    cr_assert_eq(mm_standby_head(m, 6)->total, 4u);
    mm_pfn sa[4], sb[4];
    cr_assert_eq(mm_list_frames(m, StandbyPageList, 2, sa, 4), 4u);
    cr_assert_eq(mm_list_frames(m, StandbyPageList, 6, sb, 4), 4u);
    mm_pte orig_a = mm_pfn_entry(m, sa[0])->original_pte;
    mm_va va_a = mapped_va(m, sa[0]);
    cr_assert_eq(pte_classify(orig_a), PTE_FORM_PAGEFILE);
    cr_assert_eq(t_pte(m, a, va_a), pte_make_transition(sa[0], MM_READWRITE) | PTE_WRITE);

    /* use up Zeroed and Free */
    mm_va rc = t_alloc(m, c, 64 * PAGE_SIZE, PAGE_READWRITE);
    uint32_t next = 0;
    while (list_total(m, ZeroedPageList) + list_total(m, FreePageList) > 0) {
        cr_assert_eq(mm_write32(m, c, rc + next * PAGE_SIZE, next), STATUS_SUCCESS);
        next++;
    }
    struct mm_memory_list_info info;
    mm_memory_list_query(m, &info);
    for (unsigned p = 0; p < MM_STANDBY_PRIORITIES; p++)
        cr_assert_eq(info.repurposed_pages_by_priority[p], 0u);

    /* the next demand-zero page repurposes the oldest priority-2 page */
    cr_assert_eq(mm_write32(m, c, rc + next * PAGE_SIZE, next), STATUS_SUCCESS);
    cr_assert_eq(t_valid_frame(m, c, rc + next * PAGE_SIZE), sa[0]);
    next++;
    mm_memory_list_query(m, &info);
    cr_assert_eq(info.repurposed_pages_by_priority[2], 1u);
    cr_assert_eq(info.repurposed_pages_by_priority[6], 0u);
    /* and its old owner's PTE went back to the paging-file form */
    cr_assert_eq(t_pte(m, a, va_a), orig_a);
    cr_assert_eq(pte_classify(t_pte(m, a, va_a)), PTE_FORM_PAGEFILE);

    for (int i = 1; i < 4; i++, next++) {
        cr_assert_eq(mm_write32(m, c, rc + next * PAGE_SIZE, next), STATUS_SUCCESS);
        cr_assert_eq(t_valid_frame(m, c, rc + next * PAGE_SIZE), sa[i], "standby lists are FIFO");
    }
    mm_memory_list_query(m, &info);
    cr_assert_eq(info.repurposed_pages_by_priority[2], 4u);
    cr_assert_eq(info.repurposed_pages_by_priority[6], 0u);
    cr_assert_eq(info.page_count_by_priority[2], 0u);
    cr_assert_eq(info.page_count_by_priority[6], 4u);

    /* only now does priority 6 give up a page */
    cr_assert_eq(mm_write32(m, c, rc + next * PAGE_SIZE, next), STATUS_SUCCESS);
    cr_assert_eq(t_valid_frame(m, c, rc + next * PAGE_SIZE), sb[0]);
    mm_memory_list_query(m, &info);
    cr_assert_eq(info.repurposed_pages_by_priority[6], 1u);
    t_check(m);

    /* nothing was lost: every page comes back from the paging file */
    for (uint32_t i = 0; i < 4; i++) {
        uint32_t v = 0;
        cr_assert_eq(mm_read32(m, a, ra + i * PAGE_SIZE, &v), STATUS_SUCCESS);
        cr_assert_eq(v, 0xA000u + i);
        cr_assert_eq(mm_read32(m, b, rb + i * PAGE_SIZE, &v), STATUS_SUCCESS);
        cr_assert_eq(v, 0xB000u + i);
    }
    t_check(m);
    mm_destroy(m);
}

/* ---- where page-in frames come from ---- */

Test(pfn, page_in_takes_free_before_zeroed)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "a");
    mm_va va = t_alloc(m, pid, 2 * PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, va, 0x1111), STATUS_SUCCESS);
    cr_assert_eq(mm_write32(m, pid, va + PAGE_SIZE, 0x2222), STATUS_SUCCESS);
    cr_assert_eq(mm_trim(m, pid, 2), 2u);
    cr_assert_eq(t_flush(m), 2u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    mm_pfn freed[2];
    cr_assert_eq(mm_list_frames(m, FreePageList, 0, freed, 2), 2u);
    uint32_t zeroed = list_total(m, ZeroedPageList);
    mm_pfn zhead = list_first(m, ZeroedPageList);

    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x1111u);
    cr_assert_eq(t_valid_frame(m, pid, va), freed[0], "a page-in overwrites its frame: Free first");
    cr_assert_eq(list_total(m, ZeroedPageList), zeroed);
    cr_assert_eq(mm_read32(m, pid, va + PAGE_SIZE, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x2222u);
    cr_assert_eq(t_valid_frame(m, pid, va + PAGE_SIZE), freed[1]);
    cr_assert_eq(list_total(m, FreePageList), 0u);
    cr_assert_eq(list_total(m, ZeroedPageList), zeroed);

    /* with Free empty, a page-in takes the head of Zeroed */
    cr_assert_eq(mm_trim(m, pid, 2), 2u);   /* clean: straight to Standby */
    cr_assert_eq(list_total(m, ModifiedPageList), 0u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    cr_assert_eq(mm_run_zero_thread(m), 2u);
    cr_assert_eq(list_total(m, FreePageList), 0u);
    cr_assert_eq(list_first(m, ZeroedPageList), zhead);
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x1111u);
    cr_assert_eq(t_valid_frame(m, pid, va), zhead);
    t_check(m);
    mm_destroy(m);
}

/* ---- FIFO lists ---- */

Test(pfn, lists_are_fifo)
{
    static struct t_events rec;
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "fifo");
    mm_va va = t_alloc(m, pid, 8 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t i = 0; i < 8; i++)
        cr_assert_eq(mm_write32(m, pid, va + i * PAGE_SIZE, 0xF000u + i), STATUS_SUCCESS);

    /* Modified holds trimmed pages in the order they were trimmed */
    t_record(m, &rec);
    cr_assert_eq(mm_trim(m, pid, 3), 3u);
    mm_set_sink(m, NULL, NULL);
    mm_pfn trimmed[3];
    uint32_t n = 0;
    for (uint32_t i = 0; i < rec.count; i++)
        if (rec.ev[i].kind == MM_EV_PAGE_MOVE && rec.ev[i].u.move.to == ModifiedPageList)
            trimmed[n++] = rec.ev[i].u.move.frame;
    cr_assert_eq(n, 3u);
    mm_pfn got[8];
    cr_assert_eq(mm_list_frames(m, ModifiedPageList, 0, got, 8), 3u);
    for (uint32_t i = 0; i < 3; i++)
        cr_assert_eq(got[i], trimmed[i], "Modified position %u", i);

    /* the writer takes the oldest first; Standby receives them in order */
    cr_assert_eq(t_flush(m), 3u);
    cr_assert_eq(mm_list_frames(m, StandbyPageList, MM_DEFAULT_PRIORITY, got, 8), 3u);
    for (uint32_t i = 0; i < 3; i++) {
        cr_assert_eq(got[i], trimmed[i], "Standby position %u", i);
        cr_assert_eq(pte_pagefile_offset(mm_pfn_entry(m, got[i])->original_pte), i + 1,
                     "the oldest page gets the first slot");
    }

    /* purged Standby pages and deleted pages join Free at its tail */
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    mm_pfn expect[5] = {trimmed[0], trimmed[1], trimmed[2], 0, 0};
    uint32_t k = 3;
    for (uint32_t i = 0; i < 8 && k < 5; i++) {
        mm_va p = va + (7 - i) * PAGE_SIZE;
        if (!mm_ws_contains(m, pid, p))
            continue;
        expect[k++] = t_valid_frame(m, pid, p);
        uint32_t size = PAGE_SIZE;
        cr_assert_eq(mm_free(m, pid, &p, &size, MEM_DECOMMIT), STATUS_SUCCESS);
    }
    cr_assert_eq(k, 5u);
    cr_assert_eq(mm_list_frames(m, FreePageList, 0, got, 8), 5u);
    for (uint32_t i = 0; i < 5; i++)
        cr_assert_eq(got[i], expect[i], "Free position %u", i);

    /* and Free gives them out from its head */
    uint32_t taken = 0;
    for (uint32_t i = 0; i < 8; i++) {
        mm_va p = va + i * PAGE_SIZE;
        if (pte_classify(t_pte(m, pid, p)) != PTE_FORM_PAGEFILE)
            continue;
        uint32_t v;
        cr_assert_eq(mm_read32(m, pid, p, &v), STATUS_SUCCESS);
        cr_assert_eq(v, 0xF000u + i);
        cr_assert_eq(t_valid_frame(m, pid, p), expect[taken], "page-in %u", taken);
        taken++;
    }
    cr_assert_eq(taken, 3u);
    t_check(m);
    mm_destroy(m);
}

Test(pfn, list_frames_fills_at_most_max_and_returns_the_total)
{
    struct mm_machine *m = t_machine(64, 64);
    mm_pfn out[4] = {0xAAAA, 0xAAAA, 0xAAAA, 0xAAAA};
    cr_assert_eq(mm_list_frames(m, ZeroedPageList, 0, out, 3), 64u);
    cr_assert_eq(out[0], 0u);
    cr_assert_eq(out[1], 1u);
    cr_assert_eq(out[2], 2u);
    cr_assert_eq(out[3], 0xAAAAu, "wrote past max");
    cr_assert_eq(mm_list_frames(m, ZeroedPageList, 0, NULL, 0), 64u);
    cr_assert_eq(mm_list_frames(m, FreePageList, 0, out, 4), 0u);
    cr_assert_eq(mm_list_frames(m, ActiveAndValid, 0, out, 4), 0u);
    cr_assert_eq(mm_list_frames(m, TransitionPage, 0, out, 4), 0u);
    cr_assert_eq(mm_list_frames(m, StandbyPageList, MM_STANDBY_PRIORITIES, out, 4), 0u);
    cr_assert_null(mm_list_head(m, ActiveAndValid));
    cr_assert_null(mm_standby_head(m, MM_STANDBY_PRIORITIES));
    cr_assert_eq(out[3], 0xAAAAu);
    t_check(m);
    mm_destroy(m);
}

/* ---- bad pages ---- */

Test(pfn, mark_bad_zeroed_frame_is_never_handed_out)
{
    struct mm_machine *m = t_machine(32, 128);
    cr_assert_eq(mm_mark_bad(m, 10), STATUS_SUCCESS);
    cr_assert_eq(t_location(m, 10), BadPageList);
    cr_assert(pfn_flag(mm_pfn_entry(m, 10), PFN_PARITY_ERROR));
    struct mm_memory_list_info info;
    mm_memory_list_query(m, &info);
    cr_assert_eq(info.bad_page_count, 1u);
    cr_assert_eq(info.zero_page_count, 31u);
    cr_assert_eq(mm_available_pages(m), 31u);
    t_check(m);

    /* work through far more pages than there is memory */
    uint32_t pid = t_process(m, "pressure");
    mm_va va = t_alloc(m, pid, 60 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t i = 0; i < 60; i++) {
        cr_assert_eq(mm_write32(m, pid, va + i * PAGE_SIZE, 0xC0DE0000u + i), STATUS_SUCCESS);
        cr_assert_neq(t_valid_frame(m, pid, va + i * PAGE_SIZE), 10u, "page %u got the bad frame", i);
    }
    for (uint32_t i = 0; i < 60; i++) {
        uint32_t v;
        cr_assert_eq(mm_read32(m, pid, va + i * PAGE_SIZE, &v), STATUS_SUCCESS);
        cr_assert_eq(v, 0xC0DE0000u + i);
        cr_assert_neq(t_valid_frame(m, pid, va + i * PAGE_SIZE), 10u);
    }
    mm_pfn bad[2];
    cr_assert_eq(mm_list_frames(m, BadPageList, 0, bad, 2), 1u);
    cr_assert_eq(bad[0], 10u);
    t_check(m);
    cr_assert_eq(mm_process_terminate(m, pid), STATUS_SUCCESS);
    mm_run_zero_thread(m);
    cr_assert_eq(list_total(m, ZeroedPageList), 31u);
    cr_assert_eq(t_location(m, 10), BadPageList);
    t_check(m);
    mm_destroy(m);
}

Test(pfn, mark_bad_free_and_active_frames)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "a");
    mm_va va = t_alloc(m, pid, 3 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t i = 0; i < 3; i++)
        cr_assert_eq(mm_write32(m, pid, va + i * PAGE_SIZE, 0x100u + i), STATUS_SUCCESS);

    /* a Free frame goes to Bad at once; the zero page thread never sees it */
    mm_pfn f0 = t_valid_frame(m, pid, va);
    mm_va p = va;
    uint32_t size = PAGE_SIZE;
    cr_assert_eq(mm_free(m, pid, &p, &size, MEM_DECOMMIT), STATUS_SUCCESS);
    cr_assert_eq(t_location(m, f0), FreePageList);
    cr_assert_eq(mm_mark_bad(m, f0), STATUS_SUCCESS);
    cr_assert_eq(t_location(m, f0), BadPageList);
    cr_assert_eq(list_total(m, FreePageList), 0u);
    cr_assert_eq(mm_run_zero_thread(m), 0u);
    t_check(m);

    /* an active frame stays in use, and is retired when it is freed */
    mm_pfn f1 = t_valid_frame(m, pid, va + PAGE_SIZE);
    cr_assert_eq(mm_mark_bad(m, f1), STATUS_SUCCESS);
    cr_assert_eq(t_location(m, f1), ActiveAndValid);
    uint32_t v;
    cr_assert_eq(mm_read32(m, pid, va + PAGE_SIZE, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x101u);
    t_check(m);
    p = va + PAGE_SIZE;
    size = PAGE_SIZE;
    cr_assert_eq(mm_free(m, pid, &p, &size, MEM_DECOMMIT), STATUS_SUCCESS);
    cr_assert_eq(t_location(m, f1), BadPageList);
    cr_assert_eq(list_total(m, FreePageList), 0u);
    cr_assert_eq(list_total(m, BadPageList), 2u);

    /* out of range */
    cr_assert_eq(mm_mark_bad(m, 64), STATUS_INVALID_PARAMETER);
    cr_assert_eq(mm_mark_bad(m, 0xFFFFFFFFu), STATUS_INVALID_PARAMETER);
    cr_assert_eq(list_total(m, BadPageList), 2u);
    t_check(m);
    mm_destroy(m);
}

Test(pfn, mark_bad_standby_frame_gives_the_owner_its_paging_file_copy)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "a");
    mm_va va = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, va, 0x5151), STATUS_SUCCESS);
    mm_pfn f = t_valid_frame(m, pid, va);
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(t_flush(m), 1u);
    cr_assert_eq(t_location(m, f), StandbyPageList);
    mm_pte copy = mm_pfn_entry(m, f)->original_pte;

    cr_assert_eq(mm_mark_bad(m, f), STATUS_SUCCESS);
    cr_assert_eq(t_location(m, f), BadPageList);
    cr_assert_eq(mm_standby_head(m, MM_DEFAULT_PRIORITY)->total, 0u);
    cr_assert_eq(t_pte(m, pid, va), copy);
    cr_assert_eq(pte_classify(copy), PTE_FORM_PAGEFILE);
    t_check(m);

    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x5151u);
    cr_assert_neq(t_valid_frame(m, pid, va), f);
    cr_assert_eq(t_location(m, f), BadPageList);
    t_check(m);
    mm_destroy(m);
}

Test(pfn, mark_bad_modified_frame_is_retired_after_it_is_written)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "a");
    mm_va va = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, va, 0x7777), STATUS_SUCCESS);
    mm_pfn f = t_valid_frame(m, pid, va);
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(t_location(m, f), ModifiedPageList);

    /* dirty: its contents exist only here, so it stays until written */
    cr_assert_eq(mm_mark_bad(m, f), STATUS_SUCCESS);
    cr_assert_eq(t_location(m, f), ModifiedPageList);
    t_check(m);

    cr_assert_eq(t_flush(m), 1u);
    cr_assert_eq(t_location(m, f), BadPageList);
    mm_pte pte = t_pte(m, pid, va);
    cr_assert_eq(pte_classify(pte), PTE_FORM_PAGEFILE, "PTE 0x%08X", pte);
    t_check(m);
    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x7777u);
    cr_assert_neq(t_valid_frame(m, pid, va), f);
    t_check(m);
    mm_destroy(m);
}

Test(pfn, mark_bad_clean_active_frame_is_retired_when_trimmed)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "a");
    mm_va va = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, va, 0x4242), STATUS_SUCCESS);
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(t_flush(m), 1u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);   /* clean, with a slot */
    mm_pfn f = t_valid_frame(m, pid, va);
    mm_pte copy = mm_pfn_entry(m, f)->original_pte;
    cr_assert_eq(pte_classify(copy), PTE_FORM_PAGEFILE);

    cr_assert_eq(mm_mark_bad(m, f), STATUS_SUCCESS);
    cr_assert_eq(t_location(m, f), ActiveAndValid);
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(t_location(m, f), BadPageList);
    cr_assert_eq(t_pte(m, pid, va), copy, "the owner falls back on its paging-file copy");
    t_check(m);
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x4242u);
    t_check(m);
    mm_destroy(m);
}

/* set_priority changes the priority of pages that enter memory afterwards;
 * the pages already in memory keep theirs, and so does a page that comes
 * back with a transition fault (docs/scenario-format.md, set_priority). */
Test(pfn, a_new_priority_is_for_pages_that_enter_memory_later)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va va = t_alloc(m, pid, 2 * PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, va, 1), STATUS_SUCCESS);
    cr_assert_eq(mm_set_page_priority(m, pid, 1), STATUS_SUCCESS);
    cr_assert_eq(mm_write32(m, pid, va + PAGE_SIZE, 2), STATUS_SUCCESS);
    struct mm_walk old, young;
    cr_assert_eq(mm_walk(m, pid, va, &old), STATUS_SUCCESS);
    cr_assert_eq(mm_walk(m, pid, va + PAGE_SIZE, &young), STATUS_SUCCESS);
    cr_assert_eq(pfn_priority(mm_pfn_entry(m, old.frame)), MM_DEFAULT_PRIORITY, "in memory before: keeps 5");
    cr_assert_eq(pfn_priority(mm_pfn_entry(m, young.frame)), 1u, "entered after: takes 1");
    /* trimmed and faulted back, the older page still keeps its own */
    mm_trim(m, pid, 100);
    uint32_t v;
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_TRANSITION);
    cr_assert_eq(pfn_priority(mm_pfn_entry(m, old.frame)), MM_DEFAULT_PRIORITY);
    t_check(m);
    mm_destroy(m);
}
