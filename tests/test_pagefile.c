/*
 * test_pagefile.c - paging files (pagefile.h, pagefile.c, and their use by
 * the modified page writer in mpw.c): slot 0 is reserved so PageFileHigh 0
 * means demand zero, slots are counted as they are taken and given back,
 * a full paging file stops the writer without losing a page, and several
 * paging files share the writing.
 */
#include <string.h>

#include "pagefile.h"
#include "support.h"

static struct mm_machine *machine_with_files(uint32_t frames, uint32_t count, const uint32_t *pages,
                                             uint32_t write_cluster)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = frames;
    cfg.pagefile_count = count;
    for (uint32_t i = 0; i < count; i++)
        cfg.pagefile_pages[i] = pages[i];
    cfg.write_cluster = write_cluster;
    return t_machine_cfg(&cfg);
}

static uint32_t used(const struct mm_machine *m, uint32_t file)
{
    uint32_t size, n;
    cr_assert(mm_pagefile_usage(m, file, &size, &n), "no paging file %u", file);
    return n;
}

/* Write `pages` pages of a fresh region with 0xF000 + i, trim them all. */
static mm_va dirty_pages(struct mm_machine *m, uint32_t pid, uint32_t pages)
{
    mm_va va = t_alloc(m, pid, pages * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t i = 0; i < pages; i++)
        cr_assert_eq(mm_write32(m, pid, va + i * PAGE_SIZE, 0xF000u + i), STATUS_SUCCESS);
    cr_assert_eq(mm_trim(m, pid, pages), pages);
    return va;
}

static void check_values(struct mm_machine *m, uint32_t pid, mm_va va, uint32_t first, uint32_t pages)
{
    for (uint32_t i = first; i < pages; i++) {
        uint32_t v = 0;
        cr_assert_eq(mm_read32(m, pid, va + i * PAGE_SIZE, &v), STATUS_SUCCESS);
        cr_assert_eq(v, 0xF000u + i, "page %u lost its contents", i);
    }
}

Test(pagefile, slot_0_is_reserved)
{
    struct mm_machine *m = t_machine(64, 8);
    uint32_t size = 0, n = 99;
    cr_assert(mm_pagefile_usage(m, 0, &size, &n));
    cr_assert_eq(size, 8u);
    cr_assert_eq(n, 0u, "slot 0 is reserved, not counted as used");
    cr_assert_not(mm_pagefile_usage(m, 1, &size, &n));
    struct mm_commit_info ci;
    cr_assert_eq(mm_commit(m, 0, &ci), STATUS_SUCCESS);
    cr_assert_eq(ci.limit, 64u + 7u, "RAM plus the usable slots");

    uint32_t pid = t_process(m, "a");
    mm_va va = dirty_pages(m, pid, 1);
    cr_assert_eq(t_flush(m), 1u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    mm_pte pte = t_pte(m, pid, va);
    cr_assert_eq(pte_pagefile_offset(pte), 1u, "the first slot handed out is 1");
    cr_assert_eq(pte, 0x00001080u);

    /* 8 pages of file hold 7 pages */
    mm_va more = dirty_pages(m, pid, 9);
    cr_assert_eq(t_flush(m), 6u);
    cr_assert_eq(used(m, 0), 7u);
    cr_assert_eq(mm_list_head(m, ModifiedPageList)->total, 3u);
    for (uint32_t i = 0; i < 9; i++) {
        mm_pte p = t_pte(m, pid, more + i * PAGE_SIZE);
        mm_pte copy = pte_is_transition(p) ? mm_pfn_entry(m, pte_frame(p))->original_pte : p;
        if (pte_classify(copy) == PTE_FORM_PAGEFILE)
            cr_assert_neq(pte_pagefile_offset(copy), 0u);
    }
    check_values(m, pid, more, 0, 9);
    check_values(m, pid, va, 0, 1);
    t_check(m);
    mm_destroy(m);
}

Test(pagefile, slots_are_counted_as_taken_and_given_back)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "a");
    mm_va va = dirty_pages(m, pid, 5);
    cr_assert_eq(used(m, 0), 0u, "trimmed dirty pages have no slot yet");
    cr_assert_eq(t_flush(m), 5u);
    cr_assert_eq(used(m, 0), 5u);
    struct mm_counters c;
    mm_counters(m, 0, &c);
    cr_assert_eq(c.pages_written, 5u);
    cr_assert_eq(c.pagefile_used, 5u);
    cr_assert_eq(c.pagefile_size, 64u);

    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    cr_assert_eq(used(m, 0), 5u, "page-file PTEs own their slots");

    /* read back: the page is clean and keeps its slot */
    uint32_t v;
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    cr_assert_eq(mm_read32(m, pid, va + PAGE_SIZE, &v), STATUS_SUCCESS);
    cr_assert_eq(used(m, 0), 5u);
    mm_counters(m, 0, &c);
    cr_assert_eq(c.pages_read, 2u);

    /* written again, its copy is stale: given back when it leaves */
    cr_assert_eq(mm_write32(m, pid, va, 0xF000u), STATUS_SUCCESS);
    cr_assert_eq(mm_trim(m, pid, 2), 2u);
    cr_assert_eq(used(m, 0), 4u);

    /* decommitting a paged-out page frees its slot */
    mm_va base = va + 2 * PAGE_SIZE;
    uint32_t size = PAGE_SIZE;
    cr_assert_eq(pte_classify(t_pte(m, pid, base)), PTE_FORM_PAGEFILE);
    cr_assert_eq(mm_free(m, pid, &base, &size, MEM_DECOMMIT), STATUS_SUCCESS);
    cr_assert_eq(used(m, 0), 3u);

    /* releasing the region frees the rest, whatever form they are in */
    base = va;
    size = 0;
    cr_assert_eq(mm_free(m, pid, &base, &size, MEM_RELEASE), STATUS_SUCCESS);
    cr_assert_eq(used(m, 0), 0u);
    mm_counters(m, 0, &c);
    cr_assert_eq(c.pagefile_used, 0u);
    t_check(m);
    mm_destroy(m);
}

Test(pagefile, full_paging_file_stops_the_writer_and_loses_nothing)
{
    struct mm_machine *m = t_machine(64, 4);   /* 3 usable slots */
    uint32_t pid = t_process(m, "a");
    mm_va va = dirty_pages(m, pid, 6);
    cr_assert_eq(mm_list_head(m, ModifiedPageList)->total, 6u);
    cr_assert_eq(t_flush(m), 3u);
    cr_assert_eq(used(m, 0), 3u);
    cr_assert_eq(mm_list_head(m, ModifiedPageList)->total, 3u, "the rest stay Modified");
    cr_assert_eq(mm_list_head(m, StandbyPageList)->total, 3u);
    cr_assert_eq(t_flush(m), 0u, "no slot: nothing more is written");
    cr_assert_eq(mm_memory_list_command(m, MemoryFlushModifiedList), STATUS_SUCCESS);
    cr_assert_eq(mm_list_head(m, ModifiedPageList)->total, 3u);
    cr_assert_eq(used(m, 0), 3u);
    t_check(m);

    /* the ticking system threads do not lose them either */
    mm_tick(m, 5);
    cr_assert_eq(mm_list_head(m, ModifiedPageList)->total, 3u);
    check_values(m, pid, va, 0, 6);
    t_check(m);

    /* once a slot is given back the writer goes on */
    mm_va base = va;
    uint32_t size = PAGE_SIZE;
    cr_assert_eq(mm_trim(m, pid, 6), 6u);
    cr_assert_eq(mm_free(m, pid, &base, &size, MEM_DECOMMIT), STATUS_SUCCESS);
    cr_assert_lt(used(m, 0), 3u);
    cr_assert_gt(t_flush(m), 0u);
    check_values(m, pid, va, 1, 6);
    t_check(m);
    mm_destroy(m);
}

Test(pagefile, several_paging_files_are_used_round_robin)
{
    static const uint32_t sizes[] = {64, 64};
    struct mm_machine *m = machine_with_files(64, 2, sizes, 1);
    uint32_t pid = t_process(m, "a");
    mm_va va = dirty_pages(m, pid, 4);
    mm_pfn order[4];
    cr_assert_eq(mm_list_frames(m, ModifiedPageList, 0, order, 4), 4u);
    cr_assert_eq(t_flush(m), 4u);
    uint32_t file[4];
    for (int i = 0; i < 4; i++)
        file[i] = pte_pagefile_number(mm_pfn_entry(m, order[i])->original_pte);
    cr_assert_eq(used(m, 0), 2u, "files %u %u %u %u", file[0], file[1], file[2], file[3]);
    cr_assert_eq(used(m, 1), 2u);
    for (int i = 1; i < 4; i++)
        cr_assert_neq(file[i], file[i - 1], "consecutive writes went to the same file %u", file[i]);
    struct mm_counters c;
    mm_counters(m, 0, &c);
    cr_assert_eq(c.pagefile_size, 128u);
    cr_assert_eq(c.pagefile_used, 4u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    check_values(m, pid, va, 0, 4);
    t_check(m);
    mm_destroy(m);
}

Test(pagefile, a_full_file_spills_into_the_next)
{
    static const uint32_t sizes[] = {2, 64};
    struct mm_machine *m = machine_with_files(64, 2, sizes, 1);
    uint32_t pid = t_process(m, "a");
    mm_va va = dirty_pages(m, pid, 3);
    cr_assert_eq(t_flush(m), 3u);
    cr_assert_eq(used(m, 0), 1u);
    cr_assert_eq(used(m, 1), 2u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    uint32_t in_file1 = 0;
    for (uint32_t i = 0; i < 3; i++) {
        mm_pte p = t_pte(m, pid, va + i * PAGE_SIZE);
        cr_assert_eq(pte_classify(p), PTE_FORM_PAGEFILE);
        if (pte_pagefile_number(p) == 1) {
            in_file1++;
            cr_assert_eq(p, pte_make_software(MM_READWRITE, 1, pte_pagefile_offset(p)));
            cr_assert(p & 0x2u, "PageFileLow bit 1 names file 1");
        }
    }
    cr_assert_eq(in_file1, 2u);
    check_values(m, pid, va, 0, 3);
    t_check(m);
    mm_destroy(m);
}

Test(pagefile, page_file_pte_names_file_3)
{
    static const uint32_t sizes[] = {2, 2, 2, 64};
    struct mm_machine *m = machine_with_files(64, 4, sizes, 1);
    struct mm_commit_info ci;
    cr_assert_eq(mm_commit(m, 0, &ci), STATUS_SUCCESS);
    cr_assert_eq(ci.limit, 64u + 1 + 1 + 1 + 63);
    uint32_t pid = t_process(m, "a");
    mm_va va = dirty_pages(m, pid, 4);
    cr_assert_eq(t_flush(m), 4u);
    for (uint32_t f = 0; f < 4; f++)
        cr_assert_eq(used(m, f), 1u, "file %u", f);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    mm_va in3 = 0;
    uint32_t seen = 0;
    for (uint32_t i = 0; i < 4; i++) {
        mm_pte p = t_pte(m, pid, va + i * PAGE_SIZE);
        seen |= 1u << pte_pagefile_number(p);
        if (pte_pagefile_number(p) == 3) {
            cr_assert_eq(p, 0x00001086u, "file 3, slot 1, read/write");
            in3 = va + i * PAGE_SIZE;
        }
    }
    cr_assert_eq(seen, 0xFu);
    cr_assert_neq(in3, 0u);
    struct mm_counters c0, c1;
    mm_counters(m, 0, &c0);
    uint32_t v;
    cr_assert_eq(mm_read32(m, pid, in3, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0xF000u + (in3 - va) / PAGE_SIZE);
    mm_counters(m, 0, &c1);
    cr_assert_eq(c1.pages_read - c0.pages_read, 1u);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_PAGE_FILE);
    check_values(m, pid, va, 0, 4);
    t_check(m);
    mm_destroy(m);
}

/* pagefile_next_used, which the whole check walks the used slots with:
 * slot 0 (reserved) is found from 0, runs of free slots and whole free
 * words are passed over, a slot in the last, partly used word is found,
 * and past the last used slot the answer is the file's size, also after
 * the file grows. */
Test(pagefile, the_next_used_slot_skips_free_runs_and_stops_at_the_size)
{
    struct mm_pagefile pf;
    cr_assert(pagefile_init(&pf, 100));
    cr_assert_eq(pagefile_next_used(&pf, 0), 0);
    cr_assert_eq(pagefile_next_used(&pf, 1), 100, "only slot 0 is taken");
    uint32_t taken[70];
    for (uint32_t i = 0; i < 70; i++)
        taken[i] = pagefile_alloc(&pf);
    cr_assert_eq(taken[0], 1);
    cr_assert_eq(taken[69], 70);
    for (uint32_t i = 0; i < 70; i++)
        if (taken[i] != 31 && taken[i] != 32 && taken[i] != 64 && taken[i] != 70)
            pagefile_free(&pf, taken[i]);
    cr_assert_eq(pagefile_next_used(&pf, 1), 31);
    cr_assert_eq(pagefile_next_used(&pf, 31), 31);
    cr_assert_eq(pagefile_next_used(&pf, 32), 32, "the first slot of a word");
    cr_assert_eq(pagefile_next_used(&pf, 33), 64, "a whole free word passed over");
    cr_assert_eq(pagefile_next_used(&pf, 65), 70, "in the last word, which is partly the file's");
    cr_assert_eq(pagefile_next_used(&pf, 71), 100);
    cr_assert_eq(pagefile_next_used(&pf, 100), 100);
    cr_assert_eq(pagefile_next_used(&pf, 5000), 100);
    cr_assert(pagefile_grow(&pf, 200));
    cr_assert_eq(pagefile_next_used(&pf, 71), 200, "the grown part is free");
    pagefile_fini(&pf);
}
