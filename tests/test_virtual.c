/*
 * test_virtual.c - the virtual memory services (virtual.c): reserve and
 * commit with NT's rounding, the statuses for bad requests, commit charge
 * and the commit limit, decommit and release, protection changes and
 * NtQueryVirtualMemory's MEMORY_BASIC_INFORMATION.
 */
#include <string.h>

#include "support.h"

#include "machine.h"

#define RW_WRITTEN(f) (((mm_pte)(f) << 12) | 0x67u)

static mm_status alloc(struct mm_machine *m, uint32_t pid, mm_va base, uint32_t size, uint32_t type,
                       uint32_t protect, mm_va *out_base, uint32_t *out_size)
{
    mm_va b = base;
    uint32_t s = size;
    mm_status st = mm_allocate(m, pid, &b, &s, type, protect);
    if (out_base)
        *out_base = b;
    if (out_size)
        *out_size = s;
    return st;
}

static mm_status free_vm(struct mm_machine *m, uint32_t pid, mm_va base, uint32_t size, uint32_t type)
{
    mm_va b = base;
    uint32_t s = size;
    return mm_free(m, pid, &b, &s, type);
}

static mm_status protect(struct mm_machine *m, uint32_t pid, mm_va base, uint32_t size, uint32_t prot,
                         uint32_t *old)
{
    mm_va b = base;
    uint32_t s = size;
    return mm_protect(m, pid, &b, &s, prot, old);
}

static struct mm_commit_info commit_of(const struct mm_machine *m, uint32_t pid)
{
    struct mm_commit_info ci;
    cr_assert_eq(mm_commit(m, pid, &ci), STATUS_SUCCESS);
    return ci;
}

static uint32_t vad_count(const struct mm_machine *m, uint32_t pid)
{
    uint32_t n = 0;
    for (const struct mm_vad *v = mm_vad_next(m, pid, NULL); v; v = mm_vad_next(m, pid, v))
        n++;
    return n;
}

static struct mm_basic_info query(struct mm_machine *m, uint32_t pid, mm_va va)
{
    struct mm_basic_info mbi;
    memset(&mbi, 0xCC, sizeof mbi);
    mm_status s = mm_query(m, pid, va, &mbi);
    cr_assert_eq(s, STATUS_SUCCESS, "query 0x%08X: 0x%08X", va, s);
    return mbi;
}

static void expect_info(struct mm_machine *m, uint32_t pid, mm_va va, mm_va base, mm_va alloc_base,
                        uint32_t alloc_protect, uint32_t region, uint32_t state, uint32_t prot,
                        uint32_t type)
{
    struct mm_basic_info i = query(m, pid, va);
    cr_assert_eq(i.base_address, base, "0x%08X: base 0x%08X", va, i.base_address);
    cr_assert_eq(i.allocation_base, alloc_base, "0x%08X: allocation base 0x%08X", va, i.allocation_base);
    cr_assert_eq(i.allocation_protect, alloc_protect, "0x%08X: allocation protect 0x%X", va,
                 i.allocation_protect);
    cr_assert_eq(i.region_size, region, "0x%08X: region size 0x%X, expected 0x%X", va, i.region_size, region);
    cr_assert_eq(i.state, state, "0x%08X: state 0x%X", va, i.state);
    cr_assert_eq(i.protect, prot, "0x%08X: protect 0x%X", va, i.protect);
    cr_assert_eq(i.type, type, "0x%08X: type 0x%X", va, i.type);
}

/* ---- Reserve and commit ---- */

Test(virtual, reserve_rounds_base_down_to_64k_and_size_up_to_pages)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va b;
    uint32_t s;
    cr_assert_eq(alloc(m, pid, 0x00123456u, 0x2000u, MEM_RESERVE, PAGE_READWRITE, &b, &s), STATUS_SUCCESS);
    cr_assert_eq(b, 0x00120000u);
    cr_assert_eq(s, 0x6000u, "0x120000 .. end of the page holding 0x125455");
    const struct mm_vad *v = mm_vad_next(m, pid, NULL);
    cr_assert_not_null(v);
    mm_va start, end;
    uint32_t prot, charge;
    bool mc;
    mm_vad_range(v, &start, &end, &prot, &mc, &charge);
    cr_assert_eq(start, 0x00120000u);
    cr_assert_eq(end, 0x00125FFFu);
    cr_assert_eq(prot, (uint32_t)MM_READWRITE);
    cr_assert_not(mc);
    cr_assert_eq(charge, 0u);
    cr_assert_eq(commit_of(m, pid).process_charge, 0u, "reserving charges nothing");

    cr_assert_eq(alloc(m, pid, 0x00200000u, 1, MEM_RESERVE | MEM_COMMIT, PAGE_READONLY, &b, &s),
                 STATUS_SUCCESS);
    cr_assert_eq(b, 0x00200000u);
    cr_assert_eq(s, 0x1000u);
    cr_assert_eq(commit_of(m, pid).process_charge, 1u);

    /* overlapping an existing reservation */
    cr_assert_eq(alloc(m, pid, 0x00125000u, 0x1000u, MEM_RESERVE, PAGE_READWRITE, &b, &s),
                 STATUS_CONFLICTING_ADDRESSES);
    cr_assert_eq(alloc(m, pid, 0x0011F000u, 0x2000u, MEM_RESERVE, PAGE_READWRITE, &b, &s),
                 STATUS_CONFLICTING_ADDRESSES);
    cr_assert_eq(vad_count(m, pid), 2u);
    t_check(m);
    mm_destroy(m);
}

Test(virtual, reserve_at_zero_picks_the_lowest_free_64k_slot)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va a, b, c, d;
    uint32_t s;
    cr_assert_eq(alloc(m, pid, 0, PAGE_SIZE, MEM_RESERVE, PAGE_READWRITE, &a, &s), STATUS_SUCCESS);
    cr_assert_eq(a, 0x00010000u);
    cr_assert_eq(s, PAGE_SIZE);
    cr_assert_eq(alloc(m, pid, 0, 0x11000u, MEM_RESERVE, PAGE_READWRITE, &b, &s), STATUS_SUCCESS);
    cr_assert_eq(b, 0x00020000u);
    cr_assert_eq(s, 0x11000u);
    cr_assert_eq(alloc(m, pid, 0, 100, MEM_RESERVE, PAGE_READWRITE, &c, &s), STATUS_SUCCESS);
    cr_assert_eq(c, 0x00040000u, "0x20000..0x30FFF is taken: next 64 KiB boundary is 0x40000");
    cr_assert_eq(s, PAGE_SIZE);
    cr_assert_eq(free_vm(m, pid, a, 0, MEM_RELEASE), STATUS_SUCCESS);
    cr_assert_eq(alloc(m, pid, 0, 0x10000u, MEM_RESERVE, PAGE_READWRITE, &d, &s), STATUS_SUCCESS);
    cr_assert_eq(d, 0x00010000u, "the freed slot is lowest again");
    cr_assert_eq(alloc(m, pid, 0, 0x1000u, MEM_RESERVE, PAGE_READWRITE, &d, &s), STATUS_SUCCESS);
    cr_assert_eq(d, 0x00050000u);
    t_check(m);
    mm_destroy(m);
}

Test(virtual, commit_inside_a_reservation)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va r, b;
    uint32_t s;
    cr_assert_eq(alloc(m, pid, 0, 0x10000u, MEM_RESERVE, PAGE_READWRITE, &r, &s), STATUS_SUCCESS);
    cr_assert_eq(alloc(m, pid, r + 0x2345u, 0x10u, MEM_COMMIT, PAGE_READWRITE, &b, &s), STATUS_SUCCESS);
    cr_assert_eq(b, r + 0x2000u);
    cr_assert_eq(s, 0x1000u);
    cr_assert_eq(t_pte(m, pid, r + 0x2000u), 0x80u, "a demand-zero read/write PTE");
    cr_assert_eq(commit_of(m, pid).process_charge, 1u);
    /* straddling two pages commits both */
    cr_assert_eq(alloc(m, pid, r + 0x4FFFu, 2, MEM_COMMIT, PAGE_READONLY, &b, &s), STATUS_SUCCESS);
    cr_assert_eq(b, r + 0x4000u);
    cr_assert_eq(s, 0x2000u);
    cr_assert_eq(t_pte(m, pid, r + 0x4000u), (mm_pte)MM_READONLY << 5);
    cr_assert_eq(t_pte(m, pid, r + 0x5000u), (mm_pte)MM_READONLY << 5);
    cr_assert_eq(commit_of(m, pid).process_charge, 3u);
    uint32_t v = 1;
    cr_assert_eq(mm_read32(m, pid, r + 0x2345u, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0u);
    cr_assert_eq(mm_read32(m, pid, r + 0x3000u, &v), STATUS_ACCESS_VIOLATION);
    cr_assert_eq(mm_write32(m, pid, r + 0x4000u, 1), STATUS_ACCESS_VIOLATION);
    t_check(m);
    mm_destroy(m);
}

Test(virtual, commit_outside_any_reservation_conflicts)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va r, b;
    uint32_t s;
    cr_assert_eq(alloc(m, pid, 0x00500000u, PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE, &b, &s),
                 STATUS_CONFLICTING_ADDRESSES);
    cr_assert_eq(alloc(m, pid, 0, 0x4000u, MEM_RESERVE, PAGE_READWRITE, &r, &s), STATUS_SUCCESS);
    /* running past the reservation's end */
    cr_assert_eq(alloc(m, pid, r + 0x3000u, 0x2000u, MEM_COMMIT, PAGE_READWRITE, &b, &s),
                 STATUS_CONFLICTING_ADDRESSES);
    cr_assert_eq(t_pte(m, pid, r + 0x3000u), 0u, "nothing was committed");
    cr_assert_eq(alloc(m, pid, r + 0x4000u, PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE, &b, &s),
                 STATUS_CONFLICTING_ADDRESSES);
    cr_assert_eq(commit_of(m, pid).process_charge, 0u);
    cr_assert_eq(commit_of(m, 0).total, 0u);
    t_check(m);
    mm_destroy(m);
}

Test(virtual, commit_with_a_null_base_reserves_too)
{
    /* NtAllocateVirtualMemory reserves whenever the base is NULL, so
     * VirtualAlloc(NULL, n, MEM_COMMIT, ...) gets fresh committed memory. */
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va b;
    uint32_t s;
    cr_assert_eq(alloc(m, pid, 0, 0x2000u, MEM_COMMIT, PAGE_READWRITE, &b, &s), STATUS_SUCCESS);
    cr_assert_eq(b, 0x00010000u);
    cr_assert_eq(s, 0x2000u);
    cr_assert_eq(commit_of(m, pid).process_charge, 2u);
    cr_assert_eq(mm_write32(m, pid, b + 0x1000u, 7), STATUS_SUCCESS);
    t_check(m);
    mm_destroy(m);
}

Test(virtual, invalid_protections_are_refused)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    static const uint32_t bad[] = {
        PAGE_WRITECOPY,                      /* private memory has nothing to copy */
        PAGE_EXECUTE_WRITECOPY,
        PAGE_READONLY | PAGE_READWRITE,      /* two bases */
        PAGE_EXECUTE | PAGE_EXECUTE_READ,
        0,
        PAGE_GUARD,                          /* a modifier alone */
        PAGE_NOACCESS | PAGE_GUARD,
        PAGE_NOACCESS | PAGE_NOCACHE,
        PAGE_READWRITE | PAGE_GUARD | PAGE_NOCACHE,
        0x800u | PAGE_READWRITE,             /* unknown bit */
    };
    mm_va b;
    uint32_t s;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(alloc(m, pid, 0, PAGE_SIZE, MEM_RESERVE | MEM_COMMIT, bad[i], &b, &s),
                     STATUS_INVALID_PAGE_PROTECTION, "protection 0x%X", bad[i]);
        cr_assert_eq(alloc(m, pid, 0, PAGE_SIZE, MEM_RESERVE, bad[i], &b, &s),
                     STATUS_INVALID_PAGE_PROTECTION, "protection 0x%X", bad[i]);
    }
    cr_assert_eq(vad_count(m, pid), 0u);
    mm_va r = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    uint32_t old = 0xDEADu;
    cr_assert_eq(protect(m, pid, r, PAGE_SIZE, PAGE_WRITECOPY, &old), STATUS_INVALID_PAGE_PROTECTION);
    cr_assert_eq(protect(m, pid, r, PAGE_SIZE, 0, &old), STATUS_INVALID_PAGE_PROTECTION);
    cr_assert_eq(protect(m, pid, r, PAGE_SIZE, PAGE_READONLY | PAGE_READWRITE, &old),
                 STATUS_INVALID_PAGE_PROTECTION);
    cr_assert_eq(query(m, pid, r).protect, PAGE_READWRITE);
    t_check(m);
    mm_destroy(m);
}

Test(virtual, bad_allocation_type_is_an_invalid_parameter)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    static const uint32_t bad[] = {0, MEM_DECOMMIT, MEM_RELEASE, MEM_COMMIT | MEM_RELEASE,
                                   MEM_RESERVE | MEM_DECOMMIT, 0x80000000u | MEM_COMMIT};
    mm_va b;
    uint32_t s;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(alloc(m, pid, 0, PAGE_SIZE, bad[i], PAGE_READWRITE, &b, &s), STATUS_INVALID_PARAMETER,
                     "type 0x%X", bad[i]);
    cr_assert_eq(vad_count(m, pid), 0u);
    cr_assert_eq(free_vm(m, pid, 0x10000u, 0, MEM_COMMIT), STATUS_INVALID_PARAMETER);
    cr_assert_eq(free_vm(m, pid, 0x10000u, 0, MEM_DECOMMIT | MEM_RELEASE), STATUS_INVALID_PARAMETER);
    t_check(m);
    mm_destroy(m);
}

Test(virtual, base_plus_size_never_wraps)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va b;
    uint32_t s;
    cr_assert_eq(alloc(m, pid, 0x7FFF0000u, 0xFFFFFFFFu, MEM_RESERVE, PAGE_READWRITE, &b, &s),
                 STATUS_INVALID_PARAMETER);
    cr_assert_eq(alloc(m, pid, 0x00010000u, 0xFFFFF000u, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, &b, &s),
                 STATUS_INVALID_PARAMETER);
    cr_assert_eq(alloc(m, pid, 0x00010000u, 0xFFFF0000u, MEM_RESERVE, PAGE_READWRITE, &b, &s),
                 STATUS_INVALID_PARAMETER, "ends at 4 GiB, far above user space");
    cr_assert_eq(alloc(m, pid, 0x7FFD0000u, 0x20000u, MEM_RESERVE, PAGE_READWRITE, &b, &s),
                 STATUS_INVALID_PARAMETER, "runs into the shared user data page");
    cr_assert_eq(vad_count(m, pid), 0u);
    mm_va r = t_alloc(m, pid, 0x10000u, PAGE_READWRITE);
    cr_assert_eq(alloc(m, pid, r + 0x1000u, 0xFFFFF000u, MEM_COMMIT, PAGE_READWRITE, &b, &s),
                 STATUS_INVALID_PARAMETER);
    cr_assert_eq(free_vm(m, pid, r + 0x1000u, 0xFFFFF000u, MEM_DECOMMIT), STATUS_INVALID_PARAMETER);
    uint32_t old;
    cr_assert_eq(protect(m, pid, r + 0x1000u, 0xFFFFF000u, PAGE_READONLY, &old), STATUS_INVALID_PARAMETER);
    cr_assert_eq(vad_count(m, pid), 1u);
    cr_assert_eq(commit_of(m, pid).process_charge, 16u);
    /* the highest usable reservation still works */
    cr_assert_eq(alloc(m, pid, 0x7FFD0000u, 0x10000u, MEM_RESERVE, PAGE_READWRITE, &b, &s), STATUS_SUCCESS);
    cr_assert_eq(b, 0x7FFD0000u);
    cr_assert_eq(s, 0x10000u);
    t_check(m);
    mm_destroy(m);
}

/* ---- Commit charge ---- */

Test(virtual, commit_limit_is_frames_plus_pagefile_pages_less_one_per_file)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = 64;
    cfg.pagefile_count = 2;
    cfg.pagefile_pages[0] = 100;
    cfg.pagefile_pages[1] = 50;
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t pid = t_process(m, "p");
    struct mm_commit_info ci = commit_of(m, 0);
    cr_assert_eq(ci.limit, 64u + 99u + 49u);
    cr_assert_eq(ci.total, 0u);
    uint32_t limit = ci.limit;

    /* one page too many: refused, nothing reserved, nothing charged */
    mm_va b = 0;
    uint32_t s = (limit + 1) * PAGE_SIZE;
    cr_assert_eq(mm_allocate(m, pid, &b, &s, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE), STATUS_COMMITMENT_LIMIT);
    cr_assert_eq(b, 0u, "base not written back on failure");
    cr_assert_eq(s, (limit + 1) * PAGE_SIZE, "size not written back on failure");
    cr_assert_eq(vad_count(m, pid), 0u);
    cr_assert_eq(commit_of(m, pid).process_charge, 0u);
    cr_assert_eq(commit_of(m, 0).total, 0u);

    /* inside a reservation: up to the limit exactly */
    mm_va r;
    cr_assert_eq(alloc(m, pid, 0, (limit + 10) * PAGE_SIZE, MEM_RESERVE, PAGE_READWRITE, &r, &s), STATUS_SUCCESS);
    cr_assert_eq(alloc(m, pid, r, (limit - 5) * PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE, NULL, NULL), STATUS_SUCCESS);
    mm_va over = r + (limit - 5) * PAGE_SIZE;
    cr_assert_eq(alloc(m, pid, over, 10 * PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE, NULL, NULL),
                 STATUS_COMMITMENT_LIMIT);
    cr_assert_eq(commit_of(m, 0).total, limit - 5);
    cr_assert_eq(t_pte(m, pid, over), 0u, "no page of the refused range was committed");
    cr_assert_eq(query(m, pid, over).state, MEM_RESERVE);
    cr_assert_eq(query(m, pid, over).region_size, 15u * PAGE_SIZE);
    cr_assert_eq(alloc(m, pid, over, 5 * PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE, NULL, NULL), STATUS_SUCCESS);
    ci = commit_of(m, pid);
    cr_assert_eq(ci.total, limit);
    cr_assert_eq(ci.process_charge, limit);
    cr_assert_eq(ci.peak, limit);
    cr_assert_eq(alloc(m, pid, over + 5 * PAGE_SIZE, PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE, NULL, NULL),
                 STATUS_COMMITMENT_LIMIT);
    /* recommitting what is committed needs no new charge */
    cr_assert_eq(alloc(m, pid, r, 8 * PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE, NULL, NULL), STATUS_SUCCESS);
    cr_assert_eq(commit_of(m, 0).total, limit);
    t_check(m);
    mm_destroy(m);
}

Test(virtual, commit_charge_follows_commit_decommit_and_release)
{
    struct mm_machine *m = t_machine(256, 256);
    uint32_t a = t_process(m, "a"), b = t_process(m, "b");
    mm_va ra, rb;
    uint32_t s;
    cr_assert_eq(alloc(m, a, 0, 16 * PAGE_SIZE, MEM_RESERVE, PAGE_READWRITE, &ra, &s), STATUS_SUCCESS);
    cr_assert_eq(commit_of(m, a).process_charge, 0u);
    cr_assert_eq(alloc(m, a, ra, 4 * PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE, NULL, NULL), STATUS_SUCCESS);
    cr_assert_eq(commit_of(m, a).process_charge, 4u);
    cr_assert_eq(commit_of(m, 0).total, 4u);
    cr_assert_eq(alloc(m, a, ra + 2 * PAGE_SIZE, 4 * PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE, NULL, NULL),
                 STATUS_SUCCESS);
    cr_assert_eq(commit_of(m, a).process_charge, 6u, "pages 2-3 were already charged");
    cr_assert_eq(alloc(m, b, 0, 3 * PAGE_SIZE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, &rb, &s),
                 STATUS_SUCCESS);
    cr_assert_eq(commit_of(m, b).process_charge, 3u);
    cr_assert_eq(commit_of(m, 0).total, 9u);
    /* touching pages does not change the charge */
    for (uint32_t k = 0; k < 6; k++)
        cr_assert_eq(mm_write32(m, a, ra + k * PAGE_SIZE, k), STATUS_SUCCESS);
    cr_assert_eq(alloc(m, b, rb, 3 * PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE, NULL, NULL), STATUS_SUCCESS);
    cr_assert_eq(commit_of(m, b).process_charge, 3u, "committed at reservation: no new charge");
    cr_assert_eq(commit_of(m, 0).total, 9u);

    cr_assert_eq(free_vm(m, a, ra, 2 * PAGE_SIZE, MEM_DECOMMIT), STATUS_SUCCESS);
    cr_assert_eq(commit_of(m, a).process_charge, 4u);
    cr_assert_eq(commit_of(m, 0).total, 7u);
    cr_assert_eq(free_vm(m, a, ra, 2 * PAGE_SIZE, MEM_DECOMMIT), STATUS_SUCCESS);
    cr_assert_eq(commit_of(m, a).process_charge, 4u, "decommitting twice frees nothing twice");
    cr_assert_eq(free_vm(m, b, rb + PAGE_SIZE, PAGE_SIZE, MEM_DECOMMIT), STATUS_SUCCESS);
    cr_assert_eq(commit_of(m, b).process_charge, 2u);
    cr_assert_eq(free_vm(m, b, rb + PAGE_SIZE, PAGE_SIZE, MEM_DECOMMIT), STATUS_SUCCESS);
    cr_assert_eq(commit_of(m, b).process_charge, 2u);
    cr_assert_eq(commit_of(m, 0).total, 6u);

    cr_assert_eq(free_vm(m, a, ra, 0, MEM_RELEASE), STATUS_SUCCESS);
    struct mm_commit_info ci = commit_of(m, a);
    cr_assert_eq(ci.process_charge, 0u);
    cr_assert_eq(ci.process_peak, 6u);
    cr_assert_eq(ci.total, 2u);
    cr_assert_eq(ci.peak, 9u);
    cr_assert_eq(free_vm(m, b, rb, 0, MEM_RELEASE), STATUS_SUCCESS);
    cr_assert_eq(commit_of(m, 0).total, 0u);
    cr_assert_eq(mm_process_terminate(m, a), STATUS_SUCCESS);
    t_check(m);
    mm_destroy(m);
}

/* ---- Decommit and release ---- */

Test(virtual, decommit_in_a_committed_region_writes_the_decommit_pte)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va r = t_alloc(m, pid, 4 * PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, r + PAGE_SIZE, 0xDEADBEEFu), STATUS_SUCCESS);
    mm_pfn f = pte_frame(t_pte(m, pid, r + PAGE_SIZE));
    cr_assert_eq(t_pte(m, pid, r + PAGE_SIZE), RW_WRITTEN(f));

    mm_va b = r + PAGE_SIZE + 0x800u;
    uint32_t s = 0x1000u;
    cr_assert_eq(mm_free(m, pid, &b, &s, MEM_DECOMMIT), STATUS_SUCCESS);
    cr_assert_eq(b, r + PAGE_SIZE, "rounded down to the page");
    cr_assert_eq(s, 0x2000u, "two pages touched by [0x800, 0x1800)");
    cr_assert_eq(t_pte(m, pid, r + PAGE_SIZE), 0x200u);
    cr_assert_eq(t_pte(m, pid, r + 2 * PAGE_SIZE), 0x200u, "an untouched page is marked too");
    cr_assert_eq(t_pte(m, pid, r), 0u, "its neighbour is still committed by the VAD");
    cr_assert_eq(t_location(m, f), FreePageList, "a decommitted page's frame is free");
    cr_assert_not(mm_ws_contains(m, pid, r + PAGE_SIZE));
    cr_assert_eq(commit_of(m, pid).process_charge, 2u);
    expect_info(m, pid, r, r, r, PAGE_READWRITE, PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE, MEM_PRIVATE);
    expect_info(m, pid, r + PAGE_SIZE, r + PAGE_SIZE, r, PAGE_READWRITE, 2 * PAGE_SIZE, MEM_RESERVE, 0,
                MEM_PRIVATE);
    expect_info(m, pid, r + 3 * PAGE_SIZE, r + 3 * PAGE_SIZE, r, PAGE_READWRITE, PAGE_SIZE, MEM_COMMIT,
                PAGE_READWRITE, MEM_PRIVATE);
    uint32_t v;
    cr_assert_eq(mm_read32(m, pid, r + PAGE_SIZE, &v), STATUS_ACCESS_VIOLATION);
    cr_assert_eq(mm_last_fault(m)->av, MM_AV_NOT_COMMITTED);
    t_check(m);

    /* without a page table yet: the table is built to hold the mark */
    mm_va far = 0x00400000u;
    s = 4 * PAGE_SIZE;
    cr_assert_eq(mm_allocate(m, pid, &far, &s, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    cr_assert_eq(free_vm(m, pid, far + 2 * PAGE_SIZE, PAGE_SIZE, MEM_DECOMMIT), STATUS_SUCCESS);
    cr_assert_eq(t_pte(m, pid, far + 2 * PAGE_SIZE), 0x200u);
    cr_assert_eq(commit_of(m, pid).process_charge, 5u);
    cr_assert_eq(mm_read32(m, pid, far + 2 * PAGE_SIZE, &v), STATUS_ACCESS_VIOLATION);
    cr_assert_eq(mm_read32(m, pid, far + 3 * PAGE_SIZE, &v), STATUS_SUCCESS);
    t_check(m);
    mm_destroy(m);
}

Test(virtual, decommit_then_recommit_reads_zeros)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va r = t_alloc(m, pid, 2 * PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, r, 0x11111111u), STATUS_SUCCESS);
    cr_assert_eq(mm_write32(m, pid, r + PAGE_SIZE, 0x22222222u), STATUS_SUCCESS);
    /* page 1 goes out to the paging file first: its slot must be freed too */
    cr_assert_eq(mm_set_ws_limits(m, pid, 0xFFFFFFFFu, 0xFFFFFFFFu), STATUS_SUCCESS);
    cr_assert_eq(t_flush(m), 2u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    uint32_t size, used;
    cr_assert(mm_pagefile_usage(m, 0, &size, &used));
    cr_assert_eq(used, 2u);
    cr_assert_eq(free_vm(m, pid, r, 2 * PAGE_SIZE, MEM_DECOMMIT), STATUS_SUCCESS);
    cr_assert(mm_pagefile_usage(m, 0, &size, &used));
    cr_assert_eq(used, 0u, "decommitting gives the slots back");
    cr_assert_eq(alloc(m, pid, r, 2 * PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE, NULL, NULL), STATUS_SUCCESS);
    cr_assert_eq(t_pte(m, pid, r), 0x80u);
    cr_assert_eq(t_pte(m, pid, r + PAGE_SIZE), 0x80u);
    uint32_t v = 0xFFFFFFFFu;
    cr_assert_eq(mm_read32(m, pid, r, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0u);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_DEMAND_ZERO);
    cr_assert_eq(mm_read32(m, pid, r + PAGE_SIZE, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0u);
    cr_assert_eq(commit_of(m, pid).process_charge, 2u);

    /* resident page, decommitted and recommitted at once */
    cr_assert_eq(mm_write32(m, pid, r, 0x33333333u), STATUS_SUCCESS);
    cr_assert_eq(free_vm(m, pid, r, PAGE_SIZE, MEM_DECOMMIT), STATUS_SUCCESS);
    cr_assert_eq(alloc(m, pid, r, PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE, NULL, NULL), STATUS_SUCCESS);
    cr_assert_eq(mm_read32(m, pid, r, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0u);
    t_check(m);
    mm_destroy(m);
}

Test(virtual, release_must_name_the_whole_region_from_its_base)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va r = t_alloc(m, pid, 4 * PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, r + PAGE_SIZE, 1), STATUS_SUCCESS);
    cr_assert_eq(free_vm(m, pid, r + PAGE_SIZE, 0, MEM_RELEASE), STATUS_FREE_VM_NOT_AT_BASE);
    cr_assert_eq(free_vm(m, pid, r + PAGE_SIZE, 3 * PAGE_SIZE, MEM_RELEASE), STATUS_FREE_VM_NOT_AT_BASE);
    cr_assert_eq(free_vm(m, pid, r, 2 * PAGE_SIZE, MEM_RELEASE), STATUS_UNABLE_TO_FREE_VM,
                 "the engine does not split a VAD");
    cr_assert_eq(free_vm(m, pid, r, 5 * PAGE_SIZE, MEM_RELEASE), STATUS_UNABLE_TO_FREE_VM);
    cr_assert_eq(free_vm(m, pid, r + 3 * PAGE_SIZE, 2 * PAGE_SIZE, MEM_DECOMMIT), STATUS_UNABLE_TO_FREE_VM);
    cr_assert_eq(free_vm(m, pid, r + PAGE_SIZE, 0, MEM_DECOMMIT), STATUS_FREE_VM_NOT_AT_BASE);
    cr_assert_eq(vad_count(m, pid), 1u, "every refusal changed nothing");
    cr_assert_eq(commit_of(m, pid).process_charge, 4u);
    cr_assert(mm_ws_contains(m, pid, r + PAGE_SIZE));

    mm_va b = r;
    uint32_t s = 4 * PAGE_SIZE;
    cr_assert_eq(mm_free(m, pid, &b, &s, MEM_RELEASE), STATUS_SUCCESS);
    cr_assert_eq(b, r);
    cr_assert_eq(s, 4 * PAGE_SIZE);
    cr_assert_eq(vad_count(m, pid), 0u);
    cr_assert_eq(commit_of(m, pid).process_charge, 0u);
    cr_assert_not(mm_ws_contains(m, pid, 0xC0000000u), "the empty page table went too");

    mm_va r2 = t_alloc(m, pid, 3 * PAGE_SIZE, PAGE_READWRITE);
    b = r2;
    s = 0;
    cr_assert_eq(mm_free(m, pid, &b, &s, MEM_RELEASE), STATUS_SUCCESS);
    cr_assert_eq(b, r2);
    cr_assert_eq(s, 3 * PAGE_SIZE, "size 0 releases the whole region and says how much");
    t_check(m);
    mm_destroy(m);
}

Test(virtual, freeing_unreserved_memory_is_not_allocated)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    cr_assert_eq(free_vm(m, pid, 0x00010000u, 0, MEM_RELEASE), STATUS_MEMORY_NOT_ALLOCATED);
    cr_assert_eq(free_vm(m, pid, 0x00010000u, PAGE_SIZE, MEM_DECOMMIT), STATUS_MEMORY_NOT_ALLOCATED);
    mm_va r = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(free_vm(m, pid, r + PAGE_SIZE, 0, MEM_RELEASE), STATUS_MEMORY_NOT_ALLOCATED);
    cr_assert_eq(free_vm(m, pid, r, 0, MEM_RELEASE), STATUS_SUCCESS);
    cr_assert_eq(free_vm(m, pid, r, 0, MEM_RELEASE), STATUS_MEMORY_NOT_ALLOCATED, "released twice");
    t_check(m);
    mm_destroy(m);
}

/* ---- Protection ---- */

Test(virtual, protect_returns_the_old_protection_and_rewrites_the_pte)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va r = t_alloc(m, pid, 2 * PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, r, 0x0BADF00Du), STATUS_SUCCESS);
    mm_pfn f = pte_frame(t_pte(m, pid, r));
    cr_assert_eq(t_pte(m, pid, r), RW_WRITTEN(f));

    uint32_t old = 0;
    mm_va b = r + 0x10u;
    uint32_t s = 4;
    cr_assert_eq(mm_protect(m, pid, &b, &s, PAGE_READONLY, &old), STATUS_SUCCESS);
    cr_assert_eq(old, PAGE_READWRITE);
    cr_assert_eq(b, r);
    cr_assert_eq(s, PAGE_SIZE);
    cr_assert_eq(t_pte(m, pid, r), ((mm_pte)f << 12) | 0x65u, "Write cleared, Accessed+Dirty kept");
    cr_assert(mm_ws_contains(m, pid, r), "still resident");
    cr_assert_eq(mm_write32(m, pid, r, 1), STATUS_ACCESS_VIOLATION, "the TLB forgot the writable entry");
    cr_assert_eq(mm_last_fault(m)->av, MM_AV_WRITE);
    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, pid, r, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x0BADF00Du);
    expect_info(m, pid, r, r, r, PAGE_READWRITE, PAGE_SIZE, MEM_COMMIT, PAGE_READONLY, MEM_PRIVATE);

    cr_assert_eq(protect(m, pid, r, PAGE_SIZE, PAGE_EXECUTE_READWRITE, &old), STATUS_SUCCESS);
    cr_assert_eq(old, PAGE_READONLY);
    cr_assert_eq(t_pte(m, pid, r), RW_WRITTEN(f));
    cr_assert_eq(mm_write32(m, pid, r, 2), STATUS_SUCCESS);
    cr_assert_eq(mm_execute(m, pid, r), STATUS_SUCCESS);

    /* a page not yet touched: the demand-zero PTE carries the protection */
    cr_assert_eq(protect(m, pid, r + PAGE_SIZE, PAGE_SIZE, PAGE_EXECUTE_READ, &old), STATUS_SUCCESS);
    cr_assert_eq(old, PAGE_READWRITE);
    cr_assert_eq(t_pte(m, pid, r + PAGE_SIZE), (mm_pte)MM_EXECUTE_READ << 5);
    /* old protection is the first page's */
    cr_assert_eq(protect(m, pid, r, 2 * PAGE_SIZE, PAGE_READWRITE, &old), STATUS_SUCCESS);
    cr_assert_eq(old, PAGE_EXECUTE_READWRITE);
    expect_info(m, pid, r, r, r, PAGE_READWRITE, 2 * PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE, MEM_PRIVATE);
    t_check(m);
    mm_destroy(m);
}

Test(virtual, protect_of_uncommitted_pages_is_refused)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va r, b;
    uint32_t s, old = 0x1234u;
    cr_assert_eq(alloc(m, pid, 0, 4 * PAGE_SIZE, MEM_RESERVE, PAGE_READWRITE, &r, &s), STATUS_SUCCESS);
    cr_assert_eq(protect(m, pid, r, PAGE_SIZE, PAGE_READONLY, &old), STATUS_NOT_COMMITTED);
    cr_assert_eq(alloc(m, pid, r, PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE, &b, &s), STATUS_SUCCESS);
    /* committed first page, reserved second: all or nothing */
    cr_assert_eq(protect(m, pid, r, 2 * PAGE_SIZE, PAGE_READONLY, &old), STATUS_NOT_COMMITTED);
    cr_assert_eq(t_pte(m, pid, r), 0x80u, "the committed page kept its protection");
    cr_assert_eq(query(m, pid, r).protect, PAGE_READWRITE);
    cr_assert_eq(protect(m, pid, 0x00600000u, PAGE_SIZE, PAGE_READONLY, &old), STATUS_CONFLICTING_ADDRESSES);
    cr_assert_eq(protect(m, pid, r + 3 * PAGE_SIZE, 2 * PAGE_SIZE, PAGE_READONLY, &old),
                 STATUS_CONFLICTING_ADDRESSES, "runs past the region");
    t_check(m);
    mm_destroy(m);
}

Test(virtual, protect_noaccess_takes_a_resident_page_out)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va r = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, r, 0x77777777u), STATUS_SUCCESS);
    mm_pfn f = pte_frame(t_pte(m, pid, r));
    uint32_t old = 0;
    cr_assert_eq(protect(m, pid, r, PAGE_SIZE, PAGE_NOACCESS, &old), STATUS_SUCCESS);
    cr_assert_eq(old, PAGE_READWRITE);
    cr_assert_not(mm_ws_contains(m, pid, r));
    /* transition, protection MM_NOACCESS (0x18) */
    cr_assert_eq(t_pte(m, pid, r), ((mm_pte)f << 12) | 0x800u | (0x18u << 5) | 0x4u);
    cr_assert_eq(t_location(m, f), ModifiedPageList);
    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, pid, r, &v), STATUS_ACCESS_VIOLATION);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_ACCESS_VIOLATION);
    cr_assert_eq(mm_last_fault(m)->av, MM_AV_NO_ACCESS);
    expect_info(m, pid, r, r, r, PAGE_READWRITE, PAGE_SIZE, MEM_COMMIT, PAGE_NOACCESS, MEM_PRIVATE);

    cr_assert_eq(protect(m, pid, r, PAGE_SIZE, PAGE_READWRITE, &old), STATUS_SUCCESS);
    cr_assert_eq(old, PAGE_NOACCESS);
    cr_assert_eq(t_pte(m, pid, r), ((mm_pte)f << 12) | 0x886u);
    cr_assert_eq(mm_read32(m, pid, r, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x77777777u, "contents survive");
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_TRANSITION);
    t_check(m);
    mm_destroy(m);
}

/* ---- Query ---- */

Test(virtual, query_free_reserved_and_committed_regions)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    /* nothing at all: one free region up to the top of user space */
    expect_info(m, pid, 0x00010000u, 0x00010000u, 0, 0, 0x7FFE0000u, MEM_FREE, PAGE_NOACCESS, 0);
    expect_info(m, pid, 0x00012345u, 0x00012000u, 0, 0, 0x7FFF0000u - 0x12000u, MEM_FREE, PAGE_NOACCESS, 0);

    mm_va r;
    uint32_t s;
    cr_assert_eq(alloc(m, pid, 0x00030000u, 16 * PAGE_SIZE, MEM_RESERVE, PAGE_READWRITE, &r, &s), STATUS_SUCCESS);
    cr_assert_eq(alloc(m, pid, r + 2 * PAGE_SIZE, 4 * PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE, NULL, NULL),
                 STATUS_SUCCESS);
    uint32_t old;
    cr_assert_eq(protect(m, pid, r + 4 * PAGE_SIZE, 2 * PAGE_SIZE, PAGE_READONLY, &old), STATUS_SUCCESS);
    cr_assert_eq(mm_write32(m, pid, r + 2 * PAGE_SIZE, 1), STATUS_SUCCESS);   /* resident or not, same answer */

    /* free space below and above */
    expect_info(m, pid, 0x00012345u, 0x00012000u, 0, 0, 0x1E000u, MEM_FREE, PAGE_NOACCESS, 0);
    expect_info(m, pid, r + 16 * PAGE_SIZE, r + 16 * PAGE_SIZE, 0, 0, 0x7FFF0000u - (r + 16 * PAGE_SIZE),
                MEM_FREE, PAGE_NOACCESS, 0);
    /* reserved | committed RW | committed RO | reserved */
    expect_info(m, pid, r, r, r, PAGE_READWRITE, 2 * PAGE_SIZE, MEM_RESERVE, 0, MEM_PRIVATE);
    expect_info(m, pid, r + 0x1FFFu, r + PAGE_SIZE, r, PAGE_READWRITE, PAGE_SIZE, MEM_RESERVE, 0, MEM_PRIVATE);
    expect_info(m, pid, r + 2 * PAGE_SIZE, r + 2 * PAGE_SIZE, r, PAGE_READWRITE, 2 * PAGE_SIZE, MEM_COMMIT,
                PAGE_READWRITE, MEM_PRIVATE);
    expect_info(m, pid, r + 4 * PAGE_SIZE, r + 4 * PAGE_SIZE, r, PAGE_READWRITE, 2 * PAGE_SIZE, MEM_COMMIT,
                PAGE_READONLY, MEM_PRIVATE);
    expect_info(m, pid, r + 5 * PAGE_SIZE + 0x800u, r + 5 * PAGE_SIZE, r, PAGE_READWRITE, PAGE_SIZE,
                MEM_COMMIT, PAGE_READONLY, MEM_PRIVATE);
    expect_info(m, pid, r + 6 * PAGE_SIZE, r + 6 * PAGE_SIZE, r, PAGE_READWRITE, 10 * PAGE_SIZE, MEM_RESERVE,
                0, MEM_PRIVATE);

    /* a region committed at reservation, with its own allocation protection */
    mm_va c = t_alloc(m, pid, 3 * PAGE_SIZE, PAGE_EXECUTE_READ);
    cr_assert_eq(c, 0x00010000u);
    expect_info(m, pid, c, c, c, PAGE_EXECUTE_READ, 3 * PAGE_SIZE, MEM_COMMIT, PAGE_EXECUTE_READ, MEM_PRIVATE);
    expect_info(m, pid, c + 3 * PAGE_SIZE, c + 3 * PAGE_SIZE, 0, 0, r - (c + 3 * PAGE_SIZE), MEM_FREE,
                PAGE_NOACCESS, 0);
    mm_va g = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE | PAGE_GUARD);
    expect_info(m, pid, g, g, g, PAGE_READWRITE | PAGE_GUARD, PAGE_SIZE, MEM_COMMIT,
                PAGE_READWRITE | PAGE_GUARD, MEM_PRIVATE);

    struct mm_basic_info mbi;
    cr_assert_eq(mm_query(m, pid, 0x80000000u, &mbi), STATUS_INVALID_PARAMETER);
    cr_assert_eq(mm_query(m, 77, r, &mbi), STATUS_INVALID_CID);
    t_check(m);
    mm_destroy(m);
}

/* ---- Decommit and commit as NT does them ---- */

Test(virtual, decommit_writes_0x200_into_every_pte_and_keeps_the_table)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va base;
    cr_assert_eq(alloc(m, pid, 0x10000, 0x10000, MEM_RESERVE, PAGE_READWRITE, &base, NULL), STATUS_SUCCESS);
    cr_assert_eq(alloc(m, pid, 0x10000, PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE, NULL, NULL), STATUS_SUCCESS);
    cr_assert_eq(free_vm(m, pid, 0x10000, PAGE_SIZE, MEM_DECOMMIT), STATUS_SUCCESS);
    struct mm_walk w;
    cr_assert_eq(mm_walk(m, pid, 0x10000, &w), STATUS_SUCCESS);
    cr_assert_eq(w.pte, 0x200u, "the decommitted PTE");
    cr_assert(w.pde_valid, "decommit never frees a page table");
    cr_assert_eq(w.pde & 0xFFFu, 0x067u);
    /* a zero PTE in a region never committed, its table not even made yet */
    mm_va far;
    cr_assert_eq(alloc(m, pid, 0x00800000, 0x10000, MEM_RESERVE, PAGE_READWRITE, &far, NULL), STATUS_SUCCESS);
    cr_assert_eq(mm_walk(m, pid, far + PAGE_SIZE, &w), STATUS_SUCCESS);
    cr_assert_not(w.pde_valid);
    cr_assert_eq(free_vm(m, pid, far + PAGE_SIZE, 2 * PAGE_SIZE, MEM_DECOMMIT), STATUS_SUCCESS);
    cr_assert_eq(mm_walk(m, pid, far + PAGE_SIZE, &w), STATUS_SUCCESS);
    cr_assert(w.pde_valid, "the table is built first");
    cr_assert_eq(w.pte, 0x200u);
    cr_assert_eq(mm_walk(m, pid, far + 2 * PAGE_SIZE, &w), STATUS_SUCCESS);
    cr_assert_eq(w.pte, 0x200u);
    cr_assert_eq(mm_walk(m, pid, far, &w), STATUS_SUCCESS);
    cr_assert_eq(w.pte, 0u, "outside the range, untouched");
    cr_assert_eq(commit_of(m, pid).process_charge, 0u);
    struct mm_basic_info mbi = query(m, pid, far + PAGE_SIZE);
    cr_assert_eq(mbi.state, MEM_RESERVE);
    /* release frees the tables */
    cr_assert_eq(free_vm(m, pid, far, 0, MEM_RELEASE), STATUS_SUCCESS);
    cr_assert_eq(mm_walk(m, pid, far + PAGE_SIZE, &w), STATUS_SUCCESS);
    cr_assert_not(w.pde_valid);
    t_check(m);
    mm_destroy(m);
}

Test(virtual, commit_over_committed_pages_applies_the_new_protection_without_a_new_charge)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    mm_va base;
    cr_assert_eq(alloc(m, pid, 0x10000, PAGE_SIZE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, &base, NULL),
                 STATUS_SUCCESS);
    cr_assert_eq(mm_write32(m, pid, base, 0x5151), STATUS_SUCCESS);
    uint32_t charge = commit_of(m, pid).process_charge;
    cr_assert_eq(alloc(m, pid, base, PAGE_SIZE, MEM_COMMIT, PAGE_READONLY, NULL, NULL), STATUS_SUCCESS);
    cr_assert_eq(commit_of(m, pid).process_charge, charge, "no new charge");
    cr_assert_eq(mm_write32(m, pid, base, 1), STATUS_ACCESS_VIOLATION);
    cr_assert_eq(mm_last_fault(m)->av, MM_AV_WRITE);
    uint32_t v;
    cr_assert_eq(mm_read32(m, pid, base, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x5151u, "the contents stay");
    cr_assert_eq(query(m, pid, base).protect, PAGE_READONLY);
    /* a not-resident committed page takes it too, in its PTE */
    mm_va two;
    cr_assert_eq(alloc(m, pid, 0x20000, 2 * PAGE_SIZE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, &two, NULL),
                 STATUS_SUCCESS);
    cr_assert_eq(alloc(m, pid, two, 2 * PAGE_SIZE, MEM_COMMIT, PAGE_EXECUTE_READ, NULL, NULL), STATUS_SUCCESS);
    cr_assert_eq(t_pte(m, pid, two), (mm_pte)MM_EXECUTE_READ << 5);
    cr_assert_eq(commit_of(m, pid).process_charge, charge + 2);
    t_check(m);
    mm_destroy(m);
}

/* ---- Paging files that grow ---- */

Test(virtual, paging_file_grows_to_its_maximum_before_the_commit_limit_refuses)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    mm_config_for_memory(&cfg, 64);
    cfg.pagefile_pages[0] = 64;
    cfg.pagefile_maximum[0] = 1024;
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t pid = t_process(m, "p");
    struct mm_commit_info ci = commit_of(m, pid);
    cr_assert_eq(ci.limit, 64u + 63u, "physical pages + the file less its reserved slot");
    static struct t_events rec;
    t_record(m, &rec);
    /* 200 pages: more than the limit, so the file grows (MiExtendPagingFiles) */
    cr_assert_eq(alloc(m, pid, 0, 200 * PAGE_SIZE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, NULL, NULL),
                 STATUS_SUCCESS);
    mm_set_sink(m, NULL, NULL);
    uint32_t size, used;
    cr_assert(mm_pagefile_usage(m, 0, &size, &used));
    cr_assert_eq(size, 64u + 256u, "grown by what was missing, at least 1 MiB");
    ci = commit_of(m, pid);
    cr_assert_eq(ci.limit, 64u + 63u + 256u, "the commit limit grows with the file");
    cr_assert_eq(ci.total, 200u);
    const struct mm_event *e = t_find(&rec, MM_EV_PAGEFILE, 0);
    cr_assert_not_null(e);
    cr_assert(e->u.io.extended);
    cr_assert_eq(e->u.io.slot, 320u);
    /* 700 more: short by 517, so it grows by 517 */
    cr_assert_eq(alloc(m, pid, 0, 700 * PAGE_SIZE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, NULL, NULL),
                 STATUS_SUCCESS);
    cr_assert(mm_pagefile_usage(m, 0, &size, &used));
    cr_assert_eq(size, 837u);
    cr_assert_eq(commit_of(m, pid).limit, 900u);
    /* 200 more would need 200 pages of growth, only 187 are left below the
     * maximum: refused, and nothing grows */
    cr_assert_eq(alloc(m, pid, 0, 200 * PAGE_SIZE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, NULL, NULL),
                 STATUS_COMMITMENT_LIMIT);
    cr_assert(mm_pagefile_usage(m, 0, &size, &used));
    cr_assert_eq(size, 837u);
    /* 180 fits: the file grows by at least 1 MiB, capped at its maximum */
    cr_assert_eq(alloc(m, pid, 0, 180 * PAGE_SIZE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, NULL, NULL),
                 STATUS_SUCCESS);
    cr_assert(mm_pagefile_usage(m, 0, &size, &used));
    cr_assert_eq(size, 1024u);
    cr_assert_eq(commit_of(m, pid).limit, 64u + 1023u);
    cr_assert_eq(alloc(m, pid, 0, 8 * PAGE_SIZE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, NULL, NULL),
                 STATUS_COMMITMENT_LIMIT, "nothing can grow any more");
    t_check(m);
    mm_destroy(m);
}

Test(virtual, a_file_without_a_larger_maximum_never_grows)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "p");
    cr_assert_eq(alloc(m, pid, 0, 200 * PAGE_SIZE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, NULL, NULL),
                 STATUS_COMMITMENT_LIMIT);
    uint32_t size, used;
    cr_assert(mm_pagefile_usage(m, 0, &size, &used));
    cr_assert_eq(size, 64u);
    t_check(m);
    mm_destroy(m);
}
