/*
 * test_pagetable.c - the two-level i386 tables and the self-map
 * (pagetable.h, pagetable.c): PDE and PTE addresses, the directory mapping
 * itself at index 0x300, hyperspace and the working-set list page, page
 * tables in the working set, their share counts and used-entry counts, and
 * a page table going away with the last page it maps.
 */
#include <string.h>

#include "machine.h"
#include "support.h"

static struct mm_walk walk(struct mm_machine *m, uint32_t pid, mm_va va)
{
    struct mm_walk w;
    cr_assert_eq(mm_walk(m, pid, va, &w), STATUS_SUCCESS);
    return w;
}

static mm_va alloc_at(struct mm_machine *m, uint32_t pid, mm_va base, uint32_t size, uint32_t type)
{
    mm_va b = base;
    uint32_t s = size;
    mm_status st = mm_allocate(m, pid, &b, &s, type, PAGE_READWRITE);
    cr_assert_eq(st, STATUS_SUCCESS, "allocate at 0x%08X: 0x%08X", base, st);
    cr_assert_eq(b, base);
    return b;
}

static uint16_t used_ptes(const struct mm_machine *m, uint32_t pid, mm_va va)
{
    return m->process[pid - 1].used_ptes[va >> 22];
}

static uint32_t share(const struct mm_machine *m, mm_pfn f) { return mm_pfn_entry(m, f)->u2.share_count; }

Test(pagetable, first_touch_makes_the_pde_valid)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "a");
    mm_va va = t_alloc(m, pid, 4 * PAGE_SIZE, PAGE_READWRITE);
    struct mm_walk w = walk(m, pid, va);
    mm_pfn dir = w.directory;
    cr_assert_eq(w.pde_va, 0xC0300000u + (va >> 22) * 4);
    cr_assert_eq(w.pde_pa, dir * PAGE_SIZE + (va >> 22) * 4);
    cr_assert_not(w.pde_valid);
    cr_assert_eq(w.pde, 0u);
    cr_assert_eq(w.pte, 0u);
    cr_assert_eq(w.form, PTE_FORM_ZERO);
    cr_assert_eq(w.table_fault, MM_FAULT_PAGE_TABLE, "a read makes the table first");
    cr_assert_eq(w.fault, MM_FAULT_DEMAND_ZERO, "then the page");

    cr_assert_eq(mm_write32(m, pid, va, 0xABCD), STATUS_SUCCESS);
    cr_assert(mm_last_fault(m)->page_table_made);
    struct mm_counters c;
    cr_assert_eq(mm_counters(m, pid, &c), STATUS_SUCCESS);
    cr_assert_eq(c.faults[MM_FAULT_PAGE_TABLE], 1u);
    cr_assert_eq(c.faults[MM_FAULT_DEMAND_ZERO], 1u);

    w = walk(m, pid, va);
    cr_assert(w.pde_valid);
    mm_pfn table = pte_frame(w.pde);
    /* Valid | Write | Owner | Accessed | Dirty: made by the demand-zero
     * fault on the PDE */
    cr_assert_eq(w.pde, (table << 12) | 0x67u);
    cr_assert_eq(mm_phys_read32(m, dir, (va >> 22) * 4), w.pde);
    const struct mmpfn *pt = mm_pfn_entry(m, table);
    cr_assert_eq(pfn_location(pt), ActiveAndValid);
    cr_assert_eq(pt->pte_address, w.pde_va, "a page table's PteAddress is its PDE");
    cr_assert_eq(pfn_pte_frame(pt), dir, "a page table's PteFrame is the directory");
    cr_assert_eq(pt->u2.share_count, 2u);

    /* a second 4 MB region gets a table of its own */
    mm_va far = alloc_at(m, pid, 0x00800000u, 0x10000u, MEM_RESERVE | MEM_COMMIT);
    cr_assert_eq(mm_write32(m, pid, far, 1), STATUS_SUCCESS);
    struct mm_walk w2 = walk(m, pid, far);
    cr_assert_eq(w2.pde_va, 0xC0300008u);
    cr_assert(w2.pde_valid);
    cr_assert_neq(pte_frame(w2.pde), table);
    cr_assert_eq(mm_pfn_entry(m, pte_frame(w2.pde))->pte_address, 0xC0300008u);
    cr_assert_eq(pfn_pte_frame(mm_pfn_entry(m, pte_frame(w2.pde))), dir);
    t_check(m);
    mm_destroy(m);
}

Test(pagetable, pte_addresses_for_several_vas)
{
    struct mm_machine *m = t_machine(128, 64);
    uint32_t pid = t_process(m, "a");
    static const struct {
        mm_va region, va, pte_va;
        uint32_t pdi, pti;
    } cases[] = {
        {0x00010000u, 0x00010000u, 0xC0000040u, 0x000, 0x010},
        {0x00400000u, 0x00401123u, 0xC0001004u, 0x001, 0x001},
        {0x12340000u, 0x12345678u, 0xC0048D14u, 0x048, 0x345},
        {0x7FFD0000u, 0x7FFDFFFCu, 0xC01FFF7Cu, 0x1FF, 0x3DF},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        alloc_at(m, pid, cases[i].region, 0x10000u, MEM_RESERVE | MEM_COMMIT);
        mm_va va = cases[i].va;
        cr_assert_eq(mm_write32(m, pid, va, 0x1000u + (uint32_t)i), STATUS_SUCCESS);
        struct mm_walk w = walk(m, pid, va);
        cr_assert_eq(w.pdi, cases[i].pdi);
        cr_assert_eq(w.pti, cases[i].pti);
        cr_assert_eq(w.offset, va & 0xFFFu);
        cr_assert_eq(w.pte_va, cases[i].pte_va, "0x%08X: PTE at 0x%08X", va, w.pte_va);
        cr_assert_eq(w.pte_va, 0xC0000000u + (va >> 12) * 4);
        cr_assert_eq(w.pde_va, 0xC0300000u + (va >> 22) * 4);
        cr_assert(w.pde_valid);
        mm_pfn table = pte_frame(w.pde);
        cr_assert_eq(w.pte_pa, table * PAGE_SIZE + cases[i].pti * 4);
        cr_assert_eq(mm_phys_read32(m, table, cases[i].pti * 4), w.pte);
        cr_assert(w.valid);
        cr_assert_eq(w.frame, pte_frame(w.pte));
        cr_assert_eq(w.pa, w.frame * PAGE_SIZE + (va & 0xFFFu));
        cr_assert_eq(mm_phys_read32(m, w.frame, va & 0xFFFu), 0x1000u + (uint32_t)i);
        const struct mmpfn *e = mm_pfn_entry(m, w.frame);
        cr_assert_eq(e->pte_address, w.pte_va);
        cr_assert_eq(pfn_pte_frame(e), table);
    }
    /* no table: no PTE address in physical memory */
    struct mm_walk w = walk(m, pid, 0x20000000u);
    cr_assert_eq(w.pte_va, 0xC0080000u);
    cr_assert_not(w.pde_valid);
    cr_assert_eq(w.pte_pa, 0u);
    cr_assert_eq(w.form, PTE_FORM_ZERO);
    cr_assert_eq(w.fault, MM_FAULT_ACCESS_VIOLATION);
    cr_assert_eq(w.av, MM_AV_NO_VAD);
    t_check(m);
    mm_destroy(m);
}

Test(pagetable, directory_maps_itself_at_index_0x300)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "self");
    mm_va va = alloc_at(m, pid, 0x00C30000u, 0x10000u, MEM_RESERVE | MEM_COMMIT);
    va += 0x5000u;
    cr_assert_eq(mm_write32(m, pid, va + 8, 0x600D), STATUS_SUCCESS);
    struct mm_walk w = walk(m, pid, va + 8);
    mm_pfn dir = w.directory;

    /* PDE 0x300 (at 0xC0300C00) names the directory itself */
    mm_pte self = mm_phys_read32(m, dir, 0xC00);
    cr_assert_eq(self, (dir << 12) | 0x63u, "self-map PDE 0x%08X", self);
    cr_assert_eq(mm_pfn_entry(m, dir)->pte_address, 0xC0300C00u);
    cr_assert_eq(pfn_pte_frame(mm_pfn_entry(m, dir)), dir);
    struct mm_walk d = walk(m, pid, 0xC0300000u);
    cr_assert_eq(d.pde_va, 0xC0300C00u);
    cr_assert(d.valid);
    cr_assert_eq(d.frame, dir);

    /* by hand: resolve the PTE's address 0xC0000000 + (va >> 12) * 4
     * through the directory like the processor does */
    mm_va pte_va = 0xC0000000u + (va >> 12) * 4;
    cr_assert_eq(pte_va >> 22, 0x300u);
    mm_pte e1 = mm_phys_read32(m, dir, (pte_va >> 22) * 4);
    cr_assert(e1 & PTE_VALID);
    cr_assert_eq(pte_frame(e1), dir, "the first step lands on the directory again");
    uint32_t pti1 = (pte_va >> 12) & 0x3FFu;
    cr_assert_eq(pti1, va >> 22);
    mm_pte e2 = mm_phys_read32(m, pte_frame(e1), pti1 * 4);
    cr_assert_eq(e2, w.pde, "the second step reads va's PDE");
    uint32_t pa = pte_frame(e2) * PAGE_SIZE + (pte_va & 0xFFFu);
    cr_assert_eq(pa, w.pte_pa, "the self-map lands on the PTE's physical address");
    cr_assert_eq(mm_phys_read32(m, pte_frame(e2), pte_va & 0xFFFu), w.pte);

    /* the same through the engine's own walk of the PTE address */
    struct mm_walk p = walk(m, pid, pte_va);
    cr_assert(p.valid);
    cr_assert_eq(p.frame, pte_frame(w.pde));
    cr_assert_eq(p.pa, w.pte_pa);

    /* and the PDE's address resolves through the directory twice */
    mm_va pde_va = 0xC0300000u + (va >> 22) * 4;
    cr_assert_eq(pte_frame(mm_phys_read32(m, dir, ((pde_va >> 22) & 0x3FFu) * 4)), dir);
    cr_assert_eq(pte_frame(mm_phys_read32(m, dir, ((pde_va >> 12) & 0x3FFu) * 4)), dir);
    struct mm_walk q = walk(m, pid, pde_va);
    cr_assert(q.valid);
    cr_assert_eq(q.pa, w.pde_pa);

    /* user mode cannot read its own page tables */
    uint32_t v;
    cr_assert_eq(mm_read32(m, pid, pte_va, &v), STATUS_ACCESS_VIOLATION);
    cr_assert_eq(mm_last_fault(m)->av, MM_AV_KERNEL_ADDRESS);
    t_check(m);
    mm_destroy(m);
}

Test(pagetable, hyperspace_and_the_working_set_list_page)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "hyper");
    mm_pfn dir = walk(m, pid, 0).directory;
    cr_assert_eq(dir, 0u);

    mm_pte hpde = mm_phys_read32(m, dir, 0x301 * 4);
    cr_assert(hpde & PTE_VALID);
    mm_pfn hyper = pte_frame(hpde);
    cr_assert_eq(hyper, 1u);
    cr_assert_eq(hpde, (hyper << 12) | PTE_VALID | PTE_WRITE | PTE_ACCESSED | PTE_DIRTY,
                 "kernel-only, writable, accessed, dirty");
    cr_assert_eq(mm_pfn_entry(m, hyper)->pte_address, 0xC0300C04u);
    cr_assert_eq(pfn_pte_frame(mm_pfn_entry(m, hyper)), dir);
    cr_assert_eq(share(m, hyper), 2u, "1 + the working-set list page");

    /* the working-set list page at 0xC0502000: hyperspace entry 0x102 */
    mm_pte wpte = mm_phys_read32(m, hyper, 0x102 * 4);
    mm_pfn wsl = pte_frame(wpte);
    cr_assert_eq(wsl, 2u);
    cr_assert_eq(wpte, (wsl << 12) | PTE_VALID | PTE_WRITE | PTE_ACCESSED | PTE_DIRTY);
    cr_assert_eq(mm_pfn_entry(m, wsl)->pte_address, 0xC0301408u);
    cr_assert_eq(pfn_pte_frame(mm_pfn_entry(m, wsl)), hyper);
    struct mm_walk w = walk(m, pid, 0xC0502000u);
    cr_assert_eq(w.pde_va, 0xC0300C04u);
    cr_assert(w.pde_valid);
    cr_assert_eq(w.pte_va, 0xC0301408u);
    cr_assert_eq(w.pte_pa, hyper * PAGE_SIZE + 0x102 * 4);
    cr_assert(w.valid);
    cr_assert_eq(w.frame, wsl);

    cr_assert(mm_ws_contains(m, pid, 0xC0300000u));
    cr_assert(mm_ws_contains(m, pid, 0xC0301000u));
    cr_assert(mm_ws_contains(m, pid, 0xC0502000u));
    uint32_t v;
    cr_assert_eq(mm_read32(m, pid, 0xC0502000u, &v), STATUS_ACCESS_VIOLATION);

    /* every process has its own */
    uint32_t pid2 = t_process(m, "other");
    mm_pfn dir2 = walk(m, pid2, 0).directory;
    cr_assert_eq(dir2, 3u);
    cr_assert_eq(pte_frame(mm_phys_read32(m, dir2, 0xC00)), dir2);
    cr_assert_eq(pte_frame(mm_phys_read32(m, dir2, 0x301 * 4)), 4u);
    cr_assert_eq(walk(m, pid2, 0xC0502000u).frame, 5u);
    t_check(m);
    mm_destroy(m);
}

Test(pagetable, page_tables_are_in_the_working_set)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "ws");
    const struct mm_wsl *ws = mm_working_set(m, pid);
    mm_va lo = t_alloc(m, pid, 4 * PAGE_SIZE, PAGE_READWRITE);
    mm_va hi = alloc_at(m, pid, 0x00400000u, 0x10000u, MEM_RESERVE | MEM_COMMIT);
    cr_assert_eq(ws->size, 3u);
    cr_assert_eq(mm_write32(m, pid, lo, 1), STATUS_SUCCESS);
    cr_assert_eq(ws->size, 5u, "first touch in a 4 MB region: the page table and the page");
    cr_assert(mm_ws_contains(m, pid, 0xC0000000u));
    cr_assert_eq(mm_write32(m, pid, lo + PAGE_SIZE, 1), STATUS_SUCCESS);
    cr_assert_eq(ws->size, 6u);
    cr_assert_eq(mm_write32(m, pid, hi, 1), STATUS_SUCCESS);
    cr_assert_eq(ws->size, 8u);
    cr_assert(mm_ws_contains(m, pid, 0xC0001000u));
    cr_assert_eq(ws->peak, 8u);
    cr_assert_eq(mm_active_frames(m), 8u);

    /* trimming takes the data pages; tables stay while they map something */
    cr_assert_eq(mm_trim(m, pid, 100), 3u);
    cr_assert_eq(ws->size, 5u);
    cr_assert(mm_ws_contains(m, pid, 0xC0000000u));
    cr_assert(mm_ws_contains(m, pid, 0xC0001000u));
    t_check(m);
    mm_destroy(m);
}

Test(pagetable, share_counts_follow_valid_and_transition_ptes)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "share");
    mm_va r1 = t_alloc(m, pid, 8 * PAGE_SIZE, PAGE_READWRITE);
    mm_pfn dir = walk(m, pid, r1).directory;
    cr_assert_eq(share(m, dir), 2u, "1 + the hyperspace PDE");
    for (uint32_t i = 0; i < 3; i++)
        cr_assert_eq(mm_write32(m, pid, r1 + i * PAGE_SIZE, 0x300u + i), STATUS_SUCCESS);
    mm_pfn table = pte_frame(walk(m, pid, r1).pde);
    cr_assert_eq(share(m, table), 4u);
    cr_assert_eq(share(m, dir), 3u);
    cr_assert_eq(used_ptes(m, pid, r1), 3u);

    /* demand-zero PTEs name no frame: counted as used, not as shares */
    mm_va r2 = alloc_at(m, pid, 0x00020000u, 0x10000u, MEM_RESERVE);
    alloc_at(m, pid, r2, 2 * PAGE_SIZE, MEM_COMMIT);
    cr_assert_eq(t_pte(m, pid, r2), 0x80u);
    cr_assert_eq(share(m, table), 4u);
    cr_assert_eq(used_ptes(m, pid, r1), 5u);

    /* transition PTEs still name their frames */
    cr_assert_eq(mm_trim(m, pid, 3), 3u);
    cr_assert_eq(share(m, table), 4u);
    cr_assert_eq(t_flush(m), 3u);
    cr_assert_eq(share(m, table), 4u);
    /* paging-file PTEs do not */
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    cr_assert_eq(share(m, table), 1u);
    cr_assert_eq(used_ptes(m, pid, r1), 5u);
    t_check(m);

    uint32_t v;
    cr_assert_eq(mm_read32(m, pid, r1, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x300u);
    cr_assert_eq(share(m, table), 2u);
    /* decommitted: 0x200 stays in the table, non-zero but naming nothing */
    mm_va d = r1;
    uint32_t size = PAGE_SIZE;
    cr_assert_eq(mm_free(m, pid, &d, &size, MEM_DECOMMIT), STATUS_SUCCESS);
    cr_assert_eq(t_pte(m, pid, r1), 0x200u);
    cr_assert_eq(share(m, table), 1u);
    cr_assert_eq(used_ptes(m, pid, r1), 5u);

    /* releasing r2 clears its two PTEs */
    d = r2;
    size = 0;
    cr_assert_eq(mm_free(m, pid, &d, &size, MEM_RELEASE), STATUS_SUCCESS);
    cr_assert_eq(used_ptes(m, pid, r1), 3u);
    cr_assert(walk(m, pid, r1).pde_valid);
    t_check(m);
    mm_destroy(m);
}

Test(pagetable, table_is_freed_with_the_last_page_it_maps)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "free");
    const struct mm_wsl *ws = mm_working_set(m, pid);
    mm_va va = alloc_at(m, pid, 0x00400000u, 2 * PAGE_SIZE, MEM_RESERVE | MEM_COMMIT);
    cr_assert_eq(mm_write32(m, pid, va, 1), STATUS_SUCCESS);
    cr_assert_eq(mm_write32(m, pid, va + PAGE_SIZE, 2), STATUS_SUCCESS);
    struct mm_walk w = walk(m, pid, va);
    mm_pfn dir = w.directory, table = pte_frame(w.pde);
    mm_pfn f0 = w.frame, f1 = walk(m, pid, va + PAGE_SIZE).frame;
    cr_assert_eq(ws->size, 6u);
    cr_assert_eq(share(m, dir), 3u);

    mm_va base = va;
    uint32_t size = 0;
    cr_assert_eq(mm_free(m, pid, &base, &size, MEM_RELEASE), STATUS_SUCCESS);
    cr_assert_eq(mm_phys_read32(m, dir, 1 * 4), 0u, "the PDE is zero again");
    cr_assert_not(walk(m, pid, va).pde_valid);
    cr_assert_eq(t_location(m, table), FreePageList);
    mm_pfn free_list[4];
    cr_assert_eq(mm_list_frames(m, FreePageList, 0, free_list, 4), 3u);
    cr_assert_eq(free_list[0], f0);
    cr_assert_eq(free_list[1], f1);
    cr_assert_eq(free_list[2], table, "the table goes after the pages it mapped");
    cr_assert_eq(mm_pfn_entry(m, table)->pte_address, 0u);
    cr_assert_eq(ws->size, 3u);
    cr_assert_not(mm_ws_contains(m, pid, 0xC0001000u));
    cr_assert_eq(share(m, dir), 2u);
    cr_assert_eq(used_ptes(m, pid, va), 0u);
    cr_assert_eq(mm_active_frames(m), 3u);
    t_check(m);

    /* decommitting the last committed pages of a reserved region keeps the
     * table: its PTEs read 0x200 (MiDecommitPages); the VAD stays */
    mm_va r = alloc_at(m, pid, 0x00800000u, 0x10000u, MEM_RESERVE);
    alloc_at(m, pid, r, 2 * PAGE_SIZE, MEM_COMMIT);
    cr_assert_eq(mm_write32(m, pid, r, 3), STATUS_SUCCESS);
    cr_assert_eq(used_ptes(m, pid, r), 2u);
    mm_pfn t2 = pte_frame(walk(m, pid, r).pde);
    base = r;
    size = 2 * PAGE_SIZE;
    cr_assert_eq(mm_free(m, pid, &base, &size, MEM_DECOMMIT), STATUS_SUCCESS);
    cr_assert(walk(m, pid, r).pde_valid);
    cr_assert_eq(t_pte(m, pid, r), 0x200u);
    cr_assert_eq(t_pte(m, pid, r + PAGE_SIZE), 0x200u);
    cr_assert_eq(t_location(m, t2), ActiveAndValid);
    cr_assert_eq(used_ptes(m, pid, r), 2u);
    struct mm_basic_info info;
    cr_assert_eq(mm_query(m, pid, r, &info), STATUS_SUCCESS);
    cr_assert_eq(info.state, MEM_RESERVE);
    cr_assert_eq(ws->size, 4u);

    /* a commit over them makes them demand-zero again, in the same table */
    alloc_at(m, pid, r, PAGE_SIZE, MEM_COMMIT);
    cr_assert_eq(t_pte(m, pid, r), 0x80u);
    uint32_t v = 1;
    cr_assert_eq(mm_read32(m, pid, r, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0u);
    cr_assert_eq(pte_frame(walk(m, pid, r).pde), t2);
    cr_assert_eq(ws->size, 5u);
    /* only releasing the region frees the table */
    base = r;
    size = 0;
    cr_assert_eq(mm_free(m, pid, &base, &size, MEM_RELEASE), STATUS_SUCCESS);
    cr_assert_not(walk(m, pid, r).pde_valid);
    cr_assert_eq(t_location(m, t2), FreePageList);
    cr_assert_eq(ws->size, 3u);
    t_check(m);
    mm_destroy(m);
}

Test(pagetable, decommit_in_a_committed_region_keeps_the_table)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "keep");
    mm_va va = alloc_at(m, pid, 0x00400000u, 2 * PAGE_SIZE, MEM_RESERVE | MEM_COMMIT);
    cr_assert_eq(mm_write32(m, pid, va, 1), STATUS_SUCCESS);
    mm_pfn table = pte_frame(walk(m, pid, va).pde);
    mm_va base = va;
    uint32_t size = 2 * PAGE_SIZE;
    cr_assert_eq(mm_free(m, pid, &base, &size, MEM_DECOMMIT), STATUS_SUCCESS);
    /* both PTEs now hold 0x200 (the untouched one too) so the table stays */
    cr_assert_eq(t_pte(m, pid, va), 0x200u);
    cr_assert_eq(t_pte(m, pid, va + PAGE_SIZE), 0x200u);
    cr_assert_eq(used_ptes(m, pid, va), 2u);
    cr_assert_eq(t_location(m, table), ActiveAndValid);
    cr_assert_eq(share(m, table), 1u);
    uint32_t v;
    cr_assert_eq(mm_read32(m, pid, va + PAGE_SIZE, &v), STATUS_ACCESS_VIOLATION);
    cr_assert_eq(mm_last_fault(m)->av, MM_AV_NOT_COMMITTED);
    /* releasing clears them and the table with them */
    base = va;
    size = 0;
    cr_assert_eq(mm_free(m, pid, &base, &size, MEM_RELEASE), STATUS_SUCCESS);
    cr_assert_eq(t_location(m, table), FreePageList);
    cr_assert_eq(used_ptes(m, pid, va), 0u);
    t_check(m);
    mm_destroy(m);
}

/* ---- Page tables page like any page ---- */

/* A table whose pages are all in the paging file: ShareCount 1, so a trim
 * may take it; its PDE goes transition, then page-file once written and
 * its frame reused; an access brings it back first, then the page. */
Test(pagetable, a_table_that_maps_nothing_resident_pages_out_and_back)
{
    struct mm_machine *m = t_machine(64, 256);
    uint32_t pid = t_process(m, "pt");
    mm_va va = alloc_at(m, pid, 0x00400000u, 4 * PAGE_SIZE, MEM_RESERVE | MEM_COMMIT);
    for (uint32_t k = 0; k < 4; k++)
        cr_assert_eq(mm_write32(m, pid, va + k * PAGE_SIZE, 0x1000u + k), STATUS_SUCCESS);
    mm_pfn table = pte_frame(walk(m, pid, va).pde);
    cr_assert_eq(share(m, table), 5u);
    /* the pages leave: transition pages still hold shares on the table */
    cr_assert_eq(mm_trim(m, pid, 4), 4u);
    cr_assert_eq(share(m, table), 5u);
    cr_assert(mm_ws_contains(m, pid, 0xC0001000u), "a table that maps pages in transition stays");
    /* written and purged: page-file PTEs hold no share */
    cr_assert_eq(t_flush(m), 4u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    cr_assert_eq(share(m, table), 1u);
    mm_pfn dir = walk(m, pid, va).directory;
    uint32_t dir_share = share(m, dir);

    /* now the table can go: its PDE becomes a transition PTE, the table
     * (written by software through the self-map: dirty) goes to Modified */
    static struct t_events rec;
    t_record(m, &rec);
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    mm_set_sink(m, NULL, NULL);
    cr_assert_not(mm_ws_contains(m, pid, 0xC0001000u));
    struct mm_walk w = walk(m, pid, va);
    cr_assert_not(w.pde_valid);
    cr_assert_eq(w.table_form, PTE_FORM_TRANSITION);
    cr_assert_eq(pte_frame(w.pde), table);
    cr_assert_eq(w.pde & 0xFFFu, 0x886u, "transition, PAGE_READWRITE, Write and Owner kept");
    cr_assert_eq(t_location(m, table), ModifiedPageList);
    cr_assert_eq(share(m, dir), dir_share, "a transition PDE still holds its share of the directory");
    cr_assert_eq(w.pte, pte_make_software(MM_READWRITE, 0, 1), "the PTE is read from the table's frame");
    cr_assert_eq(w.table_fault, MM_FAULT_TRANSITION);
    cr_assert_eq(w.fault, MM_FAULT_PAGE_FILE);
    cr_assert_eq(t_count(&rec, MM_EV_TLB_FLUSH) + t_count(&rec, MM_EV_PTE) >= 1u, true);
    t_check(m);

    /* written and its frame reused: the PDE holds the table's slot */
    cr_assert_eq(t_flush(m), 1u);
    cr_assert_eq(t_location(m, table), StandbyPageList);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    w = walk(m, pid, va);
    cr_assert_eq(w.table_form, PTE_FORM_PAGEFILE);
    cr_assert_eq(w.pde, pte_make_software(MM_READWRITE, 0, 5));
    cr_assert_eq(share(m, dir), dir_share - 1);
    cr_assert_eq(w.pte, pte_make_software(MM_READWRITE, 0, 1), "read from the table's slot");
    cr_assert_eq(w.table_fault, MM_FAULT_PAGE_FILE);
    t_check(m);

    /* an access: the hard fault on the PDE first, then the page's own */
    t_record(m, &rec);
    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, pid, va + 2 * PAGE_SIZE, &v), STATUS_SUCCESS);
    mm_set_sink(m, NULL, NULL);
    cr_assert_eq(v, 0x1002u);
    cr_assert_eq(t_count(&rec, MM_EV_FAULT), 2u);
    const struct mm_event *f0 = t_find(&rec, MM_EV_FAULT, 0), *f1 = t_find(&rec, MM_EV_FAULT, 1);
    cr_assert_eq(f0->u.fault.kind, MM_FAULT_PAGE_FILE);
    cr_assert_eq(f0->u.fault.va, 0xC0001000u, "the fault on the table, at its self-map address");
    cr_assert_eq(f1->u.fault.kind, MM_FAULT_PAGE_FILE);
    cr_assert_eq(f1->u.fault.va, va + 2 * PAGE_SIZE);
    cr_assert_eq(mm_last_fault(m)->table_fault, MM_FAULT_PAGE_FILE);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_PAGE_FILE);
    cr_assert_not(mm_last_fault(m)->page_table_made);
    w = walk(m, pid, va);
    cr_assert(w.pde_valid);
    cr_assert_eq(w.pde & 0xFFFu, 0x067u,
                 "read back clean, then Dirty: the page's fault wrote a PTE in it through the self-map");
    const struct mmpfn *tp = mm_pfn_entry(m, pte_frame(w.pde));
    cr_assert_not(pfn_flag(tp, PFN_MODIFIED), "captured into the PFN only when the table leaves");
    cr_assert_eq(tp->original_pte, pte_make_software(MM_READWRITE, 0, 5));
    cr_assert(mm_ws_contains(m, pid, 0xC0001000u));
    for (uint32_t k = 0; k < 4; k++) {
        cr_assert_eq(mm_read32(m, pid, va + k * PAGE_SIZE, &v), STATUS_SUCCESS);
        cr_assert_eq(v, 0x1000u + k, "page %u", k);
    }
    t_check(m);
    mm_destroy(m);
}

Test(pagetable, a_table_in_transition_comes_back_with_a_soft_fault)
{
    struct mm_machine *m = t_machine(64, 256);
    uint32_t pid = t_process(m, "pt");
    mm_va va = alloc_at(m, pid, 0x00400000u, 2 * PAGE_SIZE, MEM_RESERVE | MEM_COMMIT);
    cr_assert_eq(mm_write32(m, pid, va, 7), STATUS_SUCCESS);
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(t_flush(m), 1u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    cr_assert_eq(mm_memory_list_command(m, MemoryEmptyWorkingSets), STATUS_SUCCESS);
    mm_pfn table = pte_frame(walk(m, pid, va).pde);
    cr_assert_eq(walk(m, pid, va).table_form, PTE_FORM_TRANSITION);
    /* a write under it: transition fault on the PDE (the table was never written:
     * it comes back Dirty since its frame is Modified), then the page */
    cr_assert_eq(mm_write32(m, pid, va + PAGE_SIZE, 9), STATUS_SUCCESS);
    cr_assert_eq(mm_last_fault(m)->table_fault, MM_FAULT_TRANSITION);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_DEMAND_ZERO);
    struct mm_walk w = walk(m, pid, va);
    cr_assert_eq(pte_frame(w.pde), table, "the same frame");
    cr_assert_eq(w.pde & 0xFFFu, 0x067u);
    struct mm_counters c;
    mm_counters(m, pid, &c);
    cr_assert_eq(c.faults[MM_FAULT_TRANSITION], 1u, "the table's transition fault");
    uint32_t v;
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 7u);
    t_check(m);
    mm_destroy(m);
}

Test(pagetable, releasing_a_region_brings_its_paged_out_table_back_to_free_its_slots)
{
    struct mm_machine *m = t_machine(64, 256);
    uint32_t pid = t_process(m, "pt");
    mm_va va = alloc_at(m, pid, 0x00400000u, 3 * PAGE_SIZE, MEM_RESERVE | MEM_COMMIT);
    for (uint32_t k = 0; k < 3; k++)
        cr_assert_eq(mm_write32(m, pid, va + k * PAGE_SIZE, 1 + k), STATUS_SUCCESS);
    cr_assert_eq(mm_trim(m, pid, 3), 3u);
    cr_assert_eq(t_flush(m), 3u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(t_flush(m), 1u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    cr_assert_eq(walk(m, pid, va).table_form, PTE_FORM_PAGEFILE);
    uint32_t size, used;
    cr_assert(mm_pagefile_usage(m, 0, &size, &used));
    cr_assert_eq(used, 4u, "3 pages and the table");
    mm_va base = va;
    uint32_t sz = 0;
    cr_assert_eq(mm_free(m, pid, &base, &sz, MEM_RELEASE), STATUS_SUCCESS);
    cr_assert(mm_pagefile_usage(m, 0, &size, &used));
    cr_assert_eq(used, 0u, "every slot given back");
    cr_assert_eq(walk(m, pid, va).pde, 0u);
    t_check(m);
    cr_assert_eq(mm_process_terminate(m, pid), STATUS_SUCCESS);
    t_check(m);
    mm_destroy(m);
}
