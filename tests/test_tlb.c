/*
 * test_tlb.c - the translation lookaside buffer (tlb.h, tlb.c, its use in
 * mmu.c and pagetable.c): hit and miss counting, the flush on an
 * address-space switch, INVLPG on a PTE change of the current process (and
 * only of the current process), the Dirty bit on the first write to a page
 * cached clean, the Accessed bit after aging, and direct mapping.
 */
#include <string.h>

#include "machine.h"
#include "support.h"

static struct mm_counters counters(const struct mm_machine *m)
{
    struct mm_counters c;
    cr_assert_eq(mm_counters(m, 0, &c), STATUS_SUCCESS);
    return c;
}

Test(tlb, second_read_of_a_page_is_a_hit)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "a");
    mm_va va = t_alloc(m, pid, 2 * PAGE_SIZE, PAGE_READWRITE);
    struct mm_counters c0 = counters(m), c1, c2;
    uint32_t v;

    /* first touch: miss, page fault, and the retried access misses again */
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    c1 = counters(m);
    cr_assert_eq(c1.tlb_misses - c0.tlb_misses, 2u);
    cr_assert_eq(c1.tlb_hits, c0.tlb_hits);
    cr_assert_eq(c1.page_fault_count - c0.page_fault_count, 2u, "the page table and the page");
    cr_assert_eq(c1.tlb_flushes - c0.tlb_flushes, 1u, "loading the process's CR3");

    cr_assert_eq(mm_read32(m, pid, va + 4, &v), STATUS_SUCCESS);
    c2 = counters(m);
    cr_assert_eq(c2.tlb_hits - c1.tlb_hits, 1u);
    cr_assert_eq(c2.tlb_misses, c1.tlb_misses);
    cr_assert_eq(c2.page_fault_count, c1.page_fault_count);
    cr_assert_eq(c2.tlb_flushes, c1.tlb_flushes, "same process: no reload");

    /* one lookup per page an access touches */
    uint8_t buf[8];
    cr_assert_eq(mm_read(m, pid, va + PAGE_SIZE - 4, buf, 8), STATUS_SUCCESS);
    c1 = counters(m);
    cr_assert_eq(c1.tlb_hits - c2.tlb_hits, 1u);
    cr_assert_eq(c1.tlb_misses - c2.tlb_misses, 2u);
    cr_assert_eq(mm_read(m, pid, va + PAGE_SIZE - 4, buf, 8), STATUS_SUCCESS);
    c2 = counters(m);
    cr_assert_eq(c2.tlb_hits - c1.tlb_hits, 2u);
    cr_assert_eq(c2.tlb_misses, c1.tlb_misses);

    /* inspection leaves the TLB alone */
    struct mm_walk w;
    static uint8_t page[PAGE_SIZE];
    cr_assert_eq(mm_walk(m, pid, va, &w), STATUS_SUCCESS);
    cr_assert_eq(mm_peek_page(m, pid, va, page), STATUS_SUCCESS);
    c1 = counters(m);
    cr_assert_eq(c1.tlb_hits, c2.tlb_hits);
    cr_assert_eq(c1.tlb_misses, c2.tlb_misses);
    t_check(m);
    mm_destroy(m);
}

Test(tlb, address_space_switch_flushes)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t a = t_process(m, "a"), b = t_process(m, "b");
    mm_va va = t_alloc(m, a, PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(t_alloc(m, b, PAGE_SIZE, PAGE_READWRITE), va, "both at the same address");
    cr_assert_eq(mm_write32(m, a, va, 0xAAAA), STATUS_SUCCESS);
    cr_assert_eq(mm_write32(m, b, va, 0xBBBB), STATUS_SUCCESS);

    /* B's translation of va is cached; switching to A must not use it */
    struct mm_counters c0 = counters(m), c1, c2;
    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, a, va, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0xAAAAu, "A read B's page through a stale TLB entry");
    c1 = counters(m);
    cr_assert_eq(c1.tlb_flushes - c0.tlb_flushes, 1u);
    cr_assert_eq(c1.tlb_misses - c0.tlb_misses, 1u);
    cr_assert_eq(c1.tlb_hits, c0.tlb_hits);
    cr_assert_eq(c1.page_fault_count, c0.page_fault_count, "resident: a miss, not a fault");

    cr_assert_eq(mm_read32(m, a, va, &v), STATUS_SUCCESS);
    c2 = counters(m);
    cr_assert_eq(c2.tlb_hits - c1.tlb_hits, 1u);
    cr_assert_eq(c2.tlb_flushes, c1.tlb_flushes);

    cr_assert_eq(mm_read32(m, b, va, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0xBBBBu);
    c1 = counters(m);
    cr_assert_eq(c1.tlb_flushes - c2.tlb_flushes, 1u);
    cr_assert_eq(c1.tlb_misses - c2.tlb_misses, 1u);

    cr_assert_eq(mm_read32(m, a, va, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0xAAAAu);
    c2 = counters(m);
    cr_assert_eq(c2.tlb_flushes - c1.tlb_flushes, 1u);
    cr_assert_eq(c2.tlb_misses - c1.tlb_misses, 1u);
    cr_assert_eq(c2.tlb_hits, c1.tlb_hits);
    t_check(m);
    mm_destroy(m);
}

Test(tlb, trimming_a_cached_page_makes_the_next_access_fault)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "a");
    mm_va va = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    uint32_t v = 0;
    cr_assert_eq(mm_write32(m, pid, va, 0x7E57), STATUS_SUCCESS);
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    uint64_t inval = m->tlb.invalidations;
    struct mm_counters c0 = counters(m), c1;

    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(pte_classify(t_pte(m, pid, va)), PTE_FORM_TRANSITION);
    cr_assert_gt(m->tlb.invalidations, inval, "the PTE changed: INVLPG");
    c1 = counters(m);
    cr_assert_eq(c1.tlb_flushes, c0.tlb_flushes, "one page, not a flush");

    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x7E57u);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_TRANSITION, "a stale hit instead of a transition fault");
    c1 = counters(m);
    cr_assert_eq(c1.faults[MM_FAULT_TRANSITION] - c0.faults[MM_FAULT_TRANSITION], 1u);
    cr_assert_eq(c1.tlb_hits, c0.tlb_hits);
    cr_assert(mm_ws_contains(m, pid, va));
    t_check(m);
    mm_destroy(m);
}

Test(tlb, protection_change_and_decommit_are_seen_at_once)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "a");
    mm_va va = t_alloc(m, pid, 2 * PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, va, 1), STATUS_SUCCESS);
    cr_assert_eq(mm_write32(m, pid, va, 2), STATUS_SUCCESS);   /* cached writable and dirty */
    mm_va base = va;
    uint32_t size = PAGE_SIZE, old;
    cr_assert_eq(mm_protect(m, pid, &base, &size, PAGE_READONLY, &old), STATUS_SUCCESS);
    cr_assert_eq(mm_write32(m, pid, va, 3), STATUS_ACCESS_VIOLATION);
    cr_assert_eq(mm_last_fault(m)->av, MM_AV_WRITE);
    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 2u);

    cr_assert_eq(mm_write32(m, pid, va + PAGE_SIZE, 4), STATUS_SUCCESS);
    cr_assert_eq(mm_read32(m, pid, va + PAGE_SIZE, &v), STATUS_SUCCESS);
    base = va + PAGE_SIZE;
    size = PAGE_SIZE;
    cr_assert_eq(mm_free(m, pid, &base, &size, MEM_DECOMMIT), STATUS_SUCCESS);
    cr_assert_eq(mm_read32(m, pid, va + PAGE_SIZE, &v), STATUS_ACCESS_VIOLATION);
    cr_assert_eq(mm_last_fault(m)->av, MM_AV_NOT_COMMITTED);
    t_check(m);
    mm_destroy(m);
}

Test(tlb, pte_change_in_another_address_space_keeps_current_entries)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t a = t_process(m, "a"), b = t_process(m, "b");
    mm_va va = t_alloc(m, a, PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(t_alloc(m, b, PAGE_SIZE, PAGE_READWRITE), va);
    cr_assert_eq(mm_write32(m, b, va, 0xB), STATUS_SUCCESS);
    cr_assert_eq(mm_write32(m, a, va, 0xA), STATUS_SUCCESS);   /* A is current */
    uint64_t inval = m->tlb.invalidations;
    struct mm_counters c0 = counters(m), c1;

    cr_assert_eq(mm_trim(m, b, 1), 1u);   /* B's PTE for the same va changes */
    cr_assert_eq(pte_classify(t_pte(m, b, va)), PTE_FORM_TRANSITION);
    cr_assert_eq(m->tlb.invalidations, inval, "B's PTE is not in A's TLB");
    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, a, va, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0xAu);
    c1 = counters(m);
    cr_assert_eq(c1.tlb_hits - c0.tlb_hits, 1u);
    cr_assert_eq(c1.tlb_misses, c0.tlb_misses);
    cr_assert_eq(c1.tlb_flushes, c0.tlb_flushes);
    t_check(m);
    mm_destroy(m);
}

Test(tlb, write_to_a_page_cached_clean_sets_the_dirty_bit)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "a");
    mm_va va = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    uint32_t v = 0;
    /* a page read back from the paging file is clean: Accessed, not Dirty */
    cr_assert_eq(mm_write32(m, pid, va, 0x0101), STATUS_SUCCESS);
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(t_flush(m), 1u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    mm_pfn f = t_valid_frame(m, pid, va);
    cr_assert_eq(t_pte(m, pid, va), (f << 12) | 0x27u, "read: Accessed, not Dirty");

    struct mm_counters c0 = counters(m), c1;
    cr_assert_eq(mm_write32(m, pid, va, 0xD1D1), STATUS_SUCCESS);
    c1 = counters(m);
    cr_assert_eq(c1.tlb_misses - c0.tlb_misses, 1u, "a clean entry cannot take a write");
    cr_assert_eq(c1.tlb_hits, c0.tlb_hits);
    cr_assert_eq(c1.page_fault_count, c0.page_fault_count, "writable: no fault, just the walk");
    struct mm_walk w;
    cr_assert_eq(mm_walk(m, pid, va, &w), STATUS_SUCCESS);
    cr_assert(w.pte & PTE_DIRTY, "PTE 0x%08X", w.pte);
    cr_assert_eq(w.pte, (f << 12) | 0x67u);
    cr_assert_eq(mm_write32(m, pid, va, 0xD2D2), STATUS_SUCCESS);
    c0 = counters(m);
    cr_assert_eq(c0.tlb_hits - c1.tlb_hits, 1u, "now the entry is dirty: a hit");

    /* why it matters: a clean page from the paging file, written through a
     * clean TLB entry, must leave as Modified, not as a clean Standby page */
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(t_flush(m), 1u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);   /* hard fault, clean */
    cr_assert_eq(v, 0xD2D2u);
    f = t_valid_frame(m, pid, va);
    cr_assert_eq(t_pte(m, pid, va) & PTE_DIRTY, 0u);
    cr_assert_eq(mm_write32(m, pid, va, 0xD3D3), STATUS_SUCCESS);
    cr_assert(t_pte(m, pid, va) & PTE_DIRTY);
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(t_location(m, f), ModifiedPageList);
    uint32_t size, used;
    cr_assert(mm_pagefile_usage(m, 0, &size, &used));
    cr_assert_eq(used, 0u, "the stale paging-file copy is given back");
    cr_assert_eq(t_flush(m), 1u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0xD3D3u);
    t_check(m);
    mm_destroy(m);
}

Test(tlb, aging_clears_accessed_and_the_next_access_sets_it_again)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "a");
    mm_va va = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    uint32_t v;
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    cr_assert(t_pte(m, pid, va) & PTE_ACCESSED);
    mm_run_ws_manager(m);
    cr_assert_eq(t_pte(m, pid, va) & PTE_ACCESSED, 0u, "the working-set manager's aging pass");
    struct mm_counters c0 = counters(m), c1;
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    c1 = counters(m);
    cr_assert_eq(c1.tlb_misses - c0.tlb_misses, 1u, "the entry went with the bit");
    cr_assert(t_pte(m, pid, va) & PTE_ACCESSED, "a stale hit would leave the page looking unused");
    t_check(m);
    mm_destroy(m);
}

Test(tlb, one_entry_tlb_misses_on_every_alternate_access)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = 64;
    cfg.pagefile_pages[0] = 64;
    cfg.tlb_entries = 1;
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t pid = t_process(m, "a");
    mm_va va = t_alloc(m, pid, 2 * PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, va, 1), STATUS_SUCCESS);
    cr_assert_eq(mm_write32(m, pid, va + PAGE_SIZE, 2), STATUS_SUCCESS);
    struct mm_counters c0 = counters(m), c1;
    uint32_t v;
    for (int i = 0; i < 10; i++) {
        cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
        cr_assert_eq(v, 1u);
        cr_assert_eq(mm_read32(m, pid, va + PAGE_SIZE, &v), STATUS_SUCCESS);
        cr_assert_eq(v, 2u);
    }
    c1 = counters(m);
    cr_assert_eq(c1.tlb_misses - c0.tlb_misses, 20u);
    cr_assert_eq(c1.tlb_hits, c0.tlb_hits);
    cr_assert_eq(c1.page_fault_count, c0.page_fault_count);
    cr_assert_eq(mm_read32(m, pid, va + PAGE_SIZE, &v), STATUS_SUCCESS);
    c0 = counters(m);
    cr_assert_eq(c0.tlb_hits - c1.tlb_hits, 1u, "the same page twice in a row still hits");
    t_check(m);
    mm_destroy(m);
}

Test(tlb, direct_mapped_by_virtual_page_number)
{
    struct mm_machine *m = t_machine(128, 64);   /* 64 entries */
    uint32_t pid = t_process(m, "a");
    mm_va va = t_alloc(m, pid, 66 * PAGE_SIZE, PAGE_READWRITE);
    static const uint32_t pages[] = {0, 1, 64};
    for (size_t i = 0; i < 3; i++)
        cr_assert_eq(mm_write32(m, pid, va + pages[i] * PAGE_SIZE, pages[i]), STATUS_SUCCESS);
    uint32_t v;
    /* pages 0 and 64 share an entry */
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    struct mm_counters c0 = counters(m), c1;
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(mm_read32(m, pid, va + 64 * PAGE_SIZE, &v), STATUS_SUCCESS);
        cr_assert_eq(v, 64u);
        cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
        cr_assert_eq(v, 0u);
    }
    c1 = counters(m);
    cr_assert_eq(c1.tlb_misses - c0.tlb_misses, 8u);
    cr_assert_eq(c1.tlb_hits, c0.tlb_hits);
    /* pages 0 and 1 do not */
    cr_assert_eq(mm_read32(m, pid, va + PAGE_SIZE, &v), STATUS_SUCCESS);
    c0 = counters(m);
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(mm_read32(m, pid, va + PAGE_SIZE, &v), STATUS_SUCCESS);
        cr_assert_eq(v, 1u);
        cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    }
    c1 = counters(m);
    cr_assert_eq(c1.tlb_misses, c0.tlb_misses);
    cr_assert_eq(c1.tlb_hits - c0.tlb_hits, 8u);
    t_check(m);
    mm_destroy(m);
}

/* ---- The TLB a student can see: one event per lookup ---- */

static void alternate(uint32_t entries, uint32_t *hits, uint32_t *misses, uint32_t *replaced)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    mm_config_for_memory(&cfg, 64);
    cfg.pagefile_pages[0] = 64;
    cfg.tlb_entries = entries;
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t pid = t_process(m, "a");
    mm_va va = t_alloc(m, pid, 2 * PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, va, 1), STATUS_SUCCESS);
    cr_assert_eq(mm_write32(m, pid, va + PAGE_SIZE, 2), STATUS_SUCCESS);
    static struct t_events rec;
    t_record(m, &rec);
    uint32_t v;
    for (int i = 0; i < 10; i++)
        cr_assert_eq(mm_read32(m, pid, va + (uint32_t)(i % 2) * PAGE_SIZE, &v), STATUS_SUCCESS);
    mm_set_sink(m, NULL, NULL);
    *hits = *misses = *replaced = 0;
    for (uint32_t i = 0; i < t_count(&rec, MM_EV_TLB); i++) {
        const struct mm_event *e = t_find(&rec, MM_EV_TLB, i);
        cr_assert_eq(e->u.tlb.va, va + (i % 2) * PAGE_SIZE);
        cr_assert_eq(e->u.tlb.slot, VA_VPN(e->u.tlb.va) & (entries - 1));
        if (e->u.tlb.hit) {
            (*hits)++;
        } else {
            (*misses)++;
            if (e->u.tlb.old_vpn != 0xFFFFFFFFu) {
                (*replaced)++;
                cr_assert_eq(e->u.tlb.old_vpn, VA_VPN(va + ((i + 1) % 2) * PAGE_SIZE),
                             "the other page was thrown out");
            }
        }
    }
    cr_assert_eq(t_count(&rec, MM_EV_TLB), 10u, "one lookup per access");
    /* the inspection API shows the same entries */
    mm_va tva;
    mm_pfn tf;
    mm_pte tp;
    cr_assert_eq(mm_tlb_size(m), entries);
    cr_assert(mm_tlb_entry(m, VA_VPN(va + PAGE_SIZE) & (entries - 1), &tva, &tf, &tp));
    cr_assert_eq(tva, va + PAGE_SIZE);
    cr_assert_eq(tf, t_valid_frame(m, pid, va + PAGE_SIZE));
    t_check(m);
    mm_destroy(m);
}

Test(tlb, one_entry_and_sixty_four_entries_differ_on_two_alternating_pages)
{
    uint32_t hits, misses, replaced;
    alternate(1, &hits, &misses, &replaced);
    cr_assert_eq(hits, 0u, "one entry: the two pages keep throwing each other out");
    cr_assert_eq(misses, 10u);
    cr_assert_eq(replaced, 10u);
    alternate(64, &hits, &misses, &replaced);
    cr_assert_eq(misses, 0u, "64 entries: both stay cached (the writes filled them)");
    cr_assert_eq(hits, 10u);
    cr_assert_eq(replaced, 0u);
}

/* A page table that goes away (its region released, or the table trimmed
 * once it maps nothing resident) takes its PDE with it: the whole TLB is
 * flushed, the translations made through other tables too, and the next
 * access to any page misses. */
Test(tlb, a_page_table_going_away_flushes_the_tlb)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t a = t_process(m, "a");
    mm_va low = 0x10000, high = 0x400000;   /* under page tables 0 and 1 */
    uint32_t size = PAGE_SIZE;
    cr_assert_eq(mm_allocate(m, a, &low, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    size = PAGE_SIZE;
    cr_assert_eq(mm_allocate(m, a, &high, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    uint32_t v;
    cr_assert_eq(mm_write32(m, a, low, 1), STATUS_SUCCESS);
    cr_assert_eq(mm_write32(m, a, high, 2), STATUS_SUCCESS);
    cr_assert_eq(mm_read32(m, a, low, &v), STATUS_SUCCESS);
    struct mm_counters c0 = counters(m), c1;
    cr_assert_eq(mm_read32(m, a, low, &v), STATUS_SUCCESS);
    c1 = counters(m);
    cr_assert_eq(c1.tlb_hits - c0.tlb_hits, 1u, "the low page is cached");

    /* releasing the high region frees table 1: one flush */
    mm_va base = high;
    size = 0;
    cr_assert_eq(mm_free(m, a, &base, &size, MEM_RELEASE), STATUS_SUCCESS);
    struct mm_walk w;
    cr_assert_eq(mm_walk(m, a, high, &w), STATUS_SUCCESS);
    cr_assert_eq(w.pde, 0u, "the table is gone");
    c0 = counters(m);
    cr_assert_eq(c0.tlb_flushes - c1.tlb_flushes, 1u, "the PDE went: the TLB is flushed");
    for (uint32_t i = 0; i < mm_tlb_size(m); i++) {
        mm_va tva;
        mm_pfn f;
        mm_pte pte;
        cr_assert_not(mm_tlb_entry(m, i, &tva, &f, &pte), "entry %u (0x%08X) survived the flush", i, tva);
    }
    cr_assert_eq(mm_read32(m, a, low, &v), STATUS_SUCCESS);
    c1 = counters(m);
    cr_assert_eq(c1.tlb_misses - c0.tlb_misses, 1u, "the low page misses after the flush");
    cr_assert_eq(c1.tlb_hits, c0.tlb_hits);
    cr_assert_eq(v, 1u);

    /* the low page leaves (an INVLPG, no flush), is written and purged;
     * then its table, mapping nothing resident, is trimmed. The trim ages
     * the table first, clearing Accessed in its PDE, and the PDE then goes
     * transition: each is a change to a valid PDE, and each flushes */
    cr_assert_eq(mm_trim(m, a, 0xFFFFFFFFu), 1u, "the data page only: its table still maps it");
    c0 = counters(m);
    cr_assert_eq(c0.tlb_flushes, c1.tlb_flushes);
    cr_assert_eq(t_flush(m), 1u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    cr_assert_eq(mm_read32(m, a, high - PAGE_SIZE, &v), STATUS_ACCESS_VIOLATION, "loads CR3, no TLB change");
    c0 = counters(m);
    cr_assert_eq(mm_trim(m, a, 0xFFFFFFFFu), 1u, "the table");
    cr_assert_eq(mm_walk(m, a, low, &w), STATUS_SUCCESS);
    cr_assert_not(w.pde_valid, "the table was trimmed");
    c1 = counters(m);
    cr_assert_eq(c1.tlb_flushes - c0.tlb_flushes, 2u);
    cr_assert_eq(mm_read32(m, a, low, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 1u);
    t_check(m);
    mm_destroy(m);
}

/* A lookup that faults changes the TLB only by dropping the entry of the
 * page it looked up (Intel SDM 4.10.4.1: a page fault invalidates the
 * faulting address's entry); an entry of another page stays, and no event
 * claims it was replaced. */
Test(tlb, a_fault_drops_only_the_faulting_pages_entry)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    mm_config_for_memory(&cfg, 64);
    cfg.pagefile_pages[0] = 64;
    cfg.tlb_entries = 1;
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t pid = t_process(m, "a");
    mm_va ro = t_alloc(m, pid, PAGE_SIZE, PAGE_READONLY);
    uint32_t v;
    cr_assert_eq(mm_read32(m, pid, ro, &v), STATUS_SUCCESS);
    static struct t_events rec;
    t_record(m, &rec);

    /* a kernel address misses without filling: the entry keeps ro */
    cr_assert_eq(mm_read32(m, pid, 0x90000000u, &v), STATUS_ACCESS_VIOLATION);
    const struct mm_event *ev = t_find(&rec, MM_EV_TLB, 0);
    cr_assert_not_null(ev);
    cr_assert_not(ev->u.tlb.hit);
    cr_assert_eq(ev->u.tlb.old_vpn, TLB_INVALID_TAG, "nothing was replaced");
    mm_va va;
    mm_pfn f;
    mm_pte pte;
    cr_assert(mm_tlb_entry(m, 0, &va, &f, &pte));
    cr_assert_eq(va, ro);

    /* a write the cached read-only entry refuses faults and drops it */
    cr_assert_eq(mm_write32(m, pid, ro, 1), STATUS_ACCESS_VIOLATION);
    ev = t_find(&rec, MM_EV_TLB, 1);
    cr_assert_not_null(ev);
    cr_assert_eq(ev->u.tlb.old_vpn, VA_VPN(ro), "the dropped entry is named");
    cr_assert_eq(ev->u.tlb.frame, MM_EMPTY_LIST);
    cr_assert_not(mm_tlb_entry(m, 0, &va, &f, &pte), "the entry is gone");
    struct mm_counters c0 = counters(m), c1;
    cr_assert_eq(mm_read32(m, pid, ro, &v), STATUS_SUCCESS);
    c1 = counters(m);
    cr_assert_eq(c1.tlb_misses - c0.tlb_misses, 1u, "the next read walks again");
    mm_set_sink(m, NULL, NULL);
    t_check(m);
    mm_destroy(m);
}
