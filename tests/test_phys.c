/*
 * test_phys.c - physical memory (phys.h, phys.c): a frame has host storage
 * only once something non-zero is written to it, zeroing gives the storage
 * back, and so a 4 GiB machine (1,048,576 frames) builds and runs, with its
 * highest frame number carried through PTEs without truncation.
 */
#include <string.h>

#include "support.h"

static uint32_t materialized(const struct mm_machine *m)
{
    struct mm_counters c;
    cr_assert_eq(mm_counters(m, 0, &c), STATUS_SUCCESS);
    return c.host_frames_materialized;
}

Test(phys, storage_appears_only_for_non_zero_bytes)
{
    struct mm_machine *m = t_machine(4096, 64);
    cr_assert_eq(materialized(m), 0u, "a new machine is all zeros");
    uint32_t pid = t_process(m, "a");
    /* the directory (PDEs 0x300, 0x301) and the hyperspace table (the
     * list page's PTE) hold entries; the list page itself holds none */
    cr_assert_eq(materialized(m), 2u);
    mm_va va = t_alloc(m, pid, 4 * PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(materialized(m), 2u);

    uint8_t page[PAGE_SIZE];
    memset(page, 0xEE, sizeof page);
    cr_assert_eq(mm_read(m, pid, va, page, PAGE_SIZE), STATUS_SUCCESS);
    static const uint8_t zeros[PAGE_SIZE];
    cr_assert(memcmp(page, zeros, PAGE_SIZE) == 0);
    cr_assert_eq(materialized(m), 3u, "the new page table holds a PTE; the page is still zeros");
    cr_assert_eq(mm_write32(m, pid, va, 0), STATUS_SUCCESS);
    cr_assert_eq(materialized(m), 3u, "a zero word needs no storage");

    cr_assert_eq(mm_write32(m, pid, va + 100, 0x01000000u), STATUS_SUCCESS);
    cr_assert_eq(materialized(m), 4u);
    cr_assert_eq(mm_write32(m, pid, va + 200, 5), STATUS_SUCCESS);
    cr_assert_eq(materialized(m), 4u);
    t_check(m);
    mm_destroy(m);
}

Test(phys, writing_zero_bytes_does_not_materialize)
{
    struct mm_machine *m = t_machine(4096, 64);
    uint32_t pid = t_process(m, "a");
    mm_va va = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    uint32_t v;
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    uint32_t before = materialized(m);
    uint8_t zeros[64];
    memset(zeros, 0, sizeof zeros);
    cr_assert_eq(mm_write(m, pid, va + 32, zeros, sizeof zeros), STATUS_SUCCESS);
    /* phys.h: "A frame's 4 KiB are allocated on the host only when
     * something non-zero is first written to it" */
    cr_assert_eq(materialized(m), before, "writing zeros allocated host storage");
    t_check(m);
    mm_destroy(m);
}

Test(phys, zeroing_gives_storage_back)
{
    struct mm_machine *m = t_machine(4096, 64);
    uint32_t pid = t_process(m, "a");
    mm_va va = t_alloc(m, pid, 4 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t i = 0; i < 4; i++)
        cr_assert_eq(mm_write32(m, pid, va + i * PAGE_SIZE, 0xFF00u + i), STATUS_SUCCESS);
    cr_assert_eq(materialized(m), 7u);

    /* a freed page keeps its bytes until the zero page thread runs */
    mm_va base = va;
    uint32_t size = PAGE_SIZE;
    cr_assert_eq(mm_free(m, pid, &base, &size, MEM_DECOMMIT), STATUS_SUCCESS);
    cr_assert_eq(materialized(m), 7u);
    cr_assert_eq(mm_run_zero_thread(m), 1u);
    cr_assert_eq(materialized(m), 6u);

    /* the process ends: every frame is freed, then zeroed */
    cr_assert_eq(mm_process_terminate(m, pid), STATUS_SUCCESS);
    mm_run_zero_thread(m);
    cr_assert_eq(materialized(m), 0u);
    cr_assert_eq(mm_list_head(m, ZeroedPageList)->total, 4096u);
    t_check(m);
    mm_destroy(m);
}

Test(phys, a_page_of_zeros_goes_through_the_paging_file_without_storage)
{
    struct mm_machine *m = t_machine(4096, 64);
    uint32_t pid = t_process(m, "a");
    mm_va va = t_alloc(m, pid, 2 * PAGE_SIZE, PAGE_READWRITE);
    uint32_t v = 1;
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    cr_assert_eq(mm_write32(m, pid, va + PAGE_SIZE, 0x99), STATUS_SUCCESS);
    cr_assert_eq(materialized(m), 4u);
    cr_assert_eq(mm_trim(m, pid, 2), 2u);
    cr_assert_eq(t_flush(m), 2u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    cr_assert_eq(mm_run_zero_thread(m), 2u);
    cr_assert_eq(materialized(m), 3u);
    cr_assert_eq(pte_classify(t_pte(m, pid, va)), PTE_FORM_PAGEFILE);

    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0u);
    cr_assert_eq(materialized(m), 3u, "zeros read back from the paging file need no storage");
    cr_assert_eq(mm_read32(m, pid, va + PAGE_SIZE, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x99u);
    cr_assert_eq(materialized(m), 4u);
    t_check(m);
    mm_destroy(m);
}

Test(phys, bytes_are_little_endian_and_reads_are_bounded)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "a");
    mm_va va = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    static const uint8_t bytes[] = {0x78, 0x56, 0x34, 0x12};
    cr_assert_eq(mm_write(m, pid, va + 8, bytes, 4), STATUS_SUCCESS);
    mm_pfn f = t_valid_frame(m, pid, va);
    cr_assert_eq(mm_phys_read32(m, f, 8), 0x12345678u);
    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, pid, va + 8, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x12345678u);
    cr_assert_eq(mm_write32(m, pid, va + 4092, 0xCAFEF00Du), STATUS_SUCCESS);
    cr_assert_eq(mm_phys_read32(m, f, 4092), 0xCAFEF00Du);
    cr_assert_eq(mm_phys_read32(m, f, 4093), 0u, "past the end of the frame");
    cr_assert_eq(mm_phys_read32(m, 64, 0), 0u, "past the last frame");
    cr_assert_eq(mm_phys_read32(m, 0xFFFFFFFFu, 0), 0u);
    t_check(m);
    mm_destroy(m);
}

Test(phys, config_frame_limits)
{
    struct mm_machine *m = t_machine(16, 2);   /* the smallest machine */
    struct mm_config cfg;
    mm_config_default(&cfg);
    const char *why = NULL;
    cfg.frames = MM_MAX_FRAMES + 1;
    cr_assert_null(mm_create(&cfg, &why));
    cr_assert_str_eq(why, "frames must be between 16 and 1048576 (4 GiB)");
    cfg.frames = 15;
    why = NULL;
    cr_assert_null(mm_create(&cfg, &why));
    cr_assert_not_null(why);
    cr_assert_eq(mm_frame_count(m), 16u);
    t_check(m);
    mm_destroy(m);
}

Test(phys, machine_of_1048576_frames_builds, SLOW(120))
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = MM_MAX_FRAMES;
    cfg.pagefile_pages[0] = 256;
    struct mm_machine *m = t_machine_cfg(&cfg);
    cr_assert_eq(mm_frame_count(m), 1048576u);
    cr_assert_eq(mm_available_pages(m), 1048576u);
    cr_assert_eq(materialized(m), 0u);
    const struct mmpfn *last = mm_pfn_entry(m, 0xFFFFF);
    cr_assert_not_null(last);
    cr_assert_eq(pfn_location(last), ZeroedPageList);
    cr_assert_eq(last->u1.flink, MM_EMPTY_LIST);
    cr_assert_eq(mm_list_head(m, ZeroedPageList)->last, 0xFFFFFu);
    cr_assert_null(mm_pfn_entry(m, 0x100000));

    /* push the process onto the two highest frames: frame 0xFFFFF must
     * survive every trip through a 20-bit PageFrameNumber */
    uint32_t pid = t_process(m, "top");
    for (mm_pfn f = 3; f < 0xFFFFEu; f++)
        cr_assert_eq(mm_mark_bad(m, f), STATUS_SUCCESS);
    mm_va va = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, va + 0xFFC, 0x70707070u), STATUS_SUCCESS);
    struct mm_walk w;
    cr_assert_eq(mm_walk(m, pid, va + 0xFFC, &w), STATUS_SUCCESS);
    cr_assert_eq(pte_frame(w.pde), 0xFFFFEu);
    cr_assert_eq(w.frame, 0xFFFFFu);
    cr_assert_eq(w.pte, 0xFFFFF067u);
    cr_assert_eq(w.pa, 0xFFFFFFFCu);
    cr_assert_eq(w.pte_pa, 0xFFFFE000u + (va >> 12 & 0x3FFu) * 4);
    cr_assert_eq(mm_phys_read32(m, 0xFFFFF, 0xFFC), 0x70707070u);
    cr_assert_eq(mm_pfn_entry(m, 0xFFFFF)->pte_address, 0xC0000000u + (va >> 12) * 4);
    t_check(m);

    /* out and back in through the paging file */
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(t_pte(m, pid, va), pte_make_transition(0xFFFFF, MM_READWRITE) | PTE_WRITE);
    cr_assert_eq(t_flush(m), 1u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, pid, va + 0xFFC, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x70707070u);
    cr_assert_eq(t_valid_frame(m, pid, va), 0xFFFFFu);
    t_check(m);
    cr_assert_eq(mm_process_terminate(m, pid), STATUS_SUCCESS);
    mm_run_zero_thread(m);
    cr_assert_eq(materialized(m), 0u);
    t_check(m);
    mm_destroy(m);
}
