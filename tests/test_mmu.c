/*
 * test_mmu.c - accesses through the simulated MMU: bytes move across page
 * boundaries, an access stops at the first page that fails, the hardware
 * sets Accessed and Dirty, and mm_peek_page sees without touching.
 */
#include <string.h>

#include "support.h"

Test(mmu, read_write_across_pages)
{
    struct mm_machine *m = t_machine(256, 512);
    uint32_t pid = t_process(m, "a");
    mm_va base = t_alloc(m, pid, 3 * 4096, PAGE_READWRITE);
    char msg[6000], back[6000];
    for (unsigned i = 0; i < sizeof msg; i++)
        msg[i] = (char)('a' + i % 26);
    cr_assert_eq(mm_write(m, pid, base + 4000, msg, sizeof msg), STATUS_SUCCESS);
    cr_assert_eq(mm_read(m, pid, base + 4000, back, sizeof back), STATUS_SUCCESS);
    cr_assert(memcmp(msg, back, sizeof msg) == 0);
    /* the bytes landed in two frames: 96 in the first page, the rest after */
    uint8_t page[4096];
    cr_assert_eq(mm_peek_page(m, pid, base, page), STATUS_SUCCESS);
    cr_assert(memcmp(page + 4000, msg, 96) == 0);
    cr_assert_eq(mm_peek_page(m, pid, base + 4096, page), STATUS_SUCCESS);
    cr_assert(memcmp(page, msg + 96, 4096) == 0);
    t_check(m);
    mm_destroy(m);
}

Test(mmu, unaligned_32_bit_access_spans_pages)
{
    struct mm_machine *m = t_machine(256, 512);
    uint32_t pid = t_process(m, "a");
    mm_va base = t_alloc(m, pid, 2 * 4096, PAGE_READWRITE);
    uint32_t v = 0;
    cr_assert_eq(mm_write32(m, pid, base + 4094, 0xA1B2C3D4u), STATUS_SUCCESS);
    cr_assert_eq(mm_read32(m, pid, base + 4094, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0xA1B2C3D4u);
    uint8_t b = 0;
    cr_assert_eq(mm_read(m, pid, base + 4096, &b, 1), STATUS_SUCCESS);
    cr_assert_eq(b, 0xB2, "little-endian: the high half lives in the second page");
    t_check(m);
    mm_destroy(m);
}

Test(mmu, access_stops_at_the_first_failing_page)
{
    struct mm_machine *m = t_machine(256, 512);
    uint32_t pid = t_process(m, "a");
    mm_va base = 0x00400000;
    uint32_t size = 2 * 4096;
    cr_assert_eq(mm_allocate(m, pid, &base, &size, MEM_RESERVE, PAGE_READWRITE), STATUS_SUCCESS);
    mm_va one = base;
    uint32_t page = 4096;
    cr_assert_eq(mm_allocate(m, pid, &one, &page, MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    uint8_t buf[8192];
    memset(buf, 0x5A, sizeof buf);
    cr_assert_eq(mm_write(m, pid, base, buf, sizeof buf), STATUS_ACCESS_VIOLATION);
    cr_assert_eq(mm_last_fault(m)->av, MM_AV_NOT_COMMITTED);
    cr_assert_eq(mm_last_fault(m)->va, base + 4096);
    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, pid, base + 4092, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x5A5A5A5Au, "the first page was written before the fault");
    t_check(m);
    mm_destroy(m);
}

Test(mmu, hardware_sets_accessed_then_dirty)
{
    struct mm_machine *m = t_machine(256, 512);
    uint32_t pid = t_process(m, "a");
    mm_va base = t_alloc(m, pid, 4096, PAGE_READWRITE);
    uint32_t v;
    cr_assert_eq(mm_read32(m, pid, base, &v), STATUS_SUCCESS);
    mm_pte pte = t_pte(m, pid, base);
    cr_assert(pte & PTE_ACCESSED);
    cr_assert_not(pte & PTE_DIRTY, "a read does not dirty the page");
    cr_assert_eq(pte & 0xFFFu, 0x027u, "Valid|Write|Owner|Accessed");
    cr_assert_eq(mm_write32(m, pid, base, 7), STATUS_SUCCESS);
    cr_assert_eq(t_pte(m, pid, base) & 0xFFFu, 0x067u, "Valid|Write|Owner|Accessed|Dirty");
    t_check(m);
    mm_destroy(m);
}

Test(mmu, peek_changes_nothing)
{
    struct mm_machine *m = t_machine(256, 512);
    uint32_t pid = t_process(m, "a");
    mm_va base = t_alloc(m, pid, 4096, PAGE_READWRITE);
    uint8_t page[4096];
    struct t_events rec;
    t_record(m, &rec);
    cr_assert_eq(mm_peek_page(m, pid, base, page), STATUS_SUCCESS);
    cr_assert_eq(rec.count, 0u, "peeking raised %u events", rec.count);
    cr_assert_eq(t_pte(m, pid, base), 0u, "no page table or PTE appeared");
    cr_assert_eq(mm_peek_page(m, pid, 0x7FFF0000, page), STATUS_ACCESS_VIOLATION);
    mm_set_sink(m, NULL, NULL);
    t_check(m);
    mm_destroy(m);
}

Test(mmu, unknown_process)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t v;
    cr_assert_eq(mm_read32(m, 9, 0x10000, &v), STATUS_INVALID_CID);
    cr_assert_eq(mm_write32(m, 9, 0x10000, 1), STATUS_INVALID_CID);
    cr_assert_eq(mm_execute(m, 9, 0x10000), STATUS_INVALID_CID);
    t_check(m);
    mm_destroy(m);
}

Test(mmu, range_past_4_gib_is_refused)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "a");
    uint8_t buf[16];
    cr_assert_eq(mm_read(m, pid, 0xFFFFFFF8u, buf, 16), STATUS_ACCESS_VIOLATION);
    t_check(m);
    mm_destroy(m);
}
