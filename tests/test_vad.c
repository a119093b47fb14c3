/*
 * test_vad.c - virtual address descriptors (vad.h, vad.c, and reservation
 * in virtual.c): 64 KiB aligned, page-rounded reservations, conflicts,
 * the lowest-gap search, and the AVL tree staying balanced and in address
 * order through many inserts and removes.
 */
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "vad.h"

static mm_status reserve_at(struct mm_machine *m, uint32_t pid, mm_va *base, uint32_t *size)
{
    return mm_allocate(m, pid, base, size, MEM_RESERVE, PAGE_READWRITE);
}

static mm_va reserve_any(struct mm_machine *m, uint32_t pid, uint32_t size)
{
    mm_va base = 0;
    uint32_t s = size;
    cr_assert_eq(reserve_at(m, pid, &base, &s), STATUS_SUCCESS);
    return base;
}

static void release(struct mm_machine *m, uint32_t pid, mm_va base)
{
    uint32_t size = 0;
    cr_assert_eq(mm_free(m, pid, &base, &size, MEM_RELEASE), STATUS_SUCCESS);
}

/* Walk the process's VADs in order: count them, check they ascend and
 * do not overlap. */
static uint32_t walk_vads(struct mm_machine *m, uint32_t pid)
{
    uint32_t n = 0;
    mm_va prev_end = 0;
    for (const struct mm_vad *v = mm_vad_next(m, pid, NULL); v; v = mm_vad_next(m, pid, v)) {
        mm_va start, end;
        uint32_t prot, charge;
        bool commit;
        mm_vad_range(v, &start, &end, &prot, &commit, &charge);
        cr_assert_eq(start % 0x10000u, 0u, "VAD at 0x%08X is not 64 KiB aligned", start);
        cr_assert_eq(end & 0xFFFu, 0xFFFu);
        if (n)
            cr_assert_gt(start, prev_end, "VADs out of order or overlapping at 0x%08X", start);
        prev_end = end;
        n++;
    }
    return n;
}

Test(vad, reservations_are_64k_aligned_and_page_rounded)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "a");

    /* NT: the base rounds down to 64 KiB, the end up to a page */
    mm_va base = 0x12345678u;
    uint32_t size = 0x1000u;
    cr_assert_eq(reserve_at(m, pid, &base, &size), STATUS_SUCCESS);
    cr_assert_eq(base, 0x12340000u);
    cr_assert_eq(size, 0x7000u, "0x12340000 .. 0x12346FFF");

    /* the engine picks: lowest 64 KiB boundary, size in whole pages */
    base = 0;
    size = 1;
    cr_assert_eq(reserve_at(m, pid, &base, &size), STATUS_SUCCESS);
    cr_assert_eq(base, 0x00010000u);
    cr_assert_eq(size, 0x1000u);
    base = 0;
    size = 0x1001u;
    cr_assert_eq(reserve_at(m, pid, &base, &size), STATUS_SUCCESS);
    cr_assert_eq(base, 0x00020000u, "the next reservation starts on the next boundary");
    cr_assert_eq(size, 0x2000u);

    const struct mm_vad *v = mm_vad_next(m, pid, NULL);
    mm_va start, end;
    uint32_t prot, charge;
    bool commit;
    mm_vad_range(v, &start, &end, &prot, &commit, &charge);
    cr_assert_eq(start, 0x00010000u);
    cr_assert_eq(end, 0x00010FFFu);
    cr_assert_eq(prot, (uint32_t)MM_READWRITE);
    cr_assert_not(commit);
    cr_assert_eq(charge, 0u);

    /* reserve+commit charges the whole region */
    base = 0;
    size = 3 * PAGE_SIZE;
    cr_assert_eq(mm_allocate(m, pid, &base, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READONLY),
                 STATUS_SUCCESS);
    cr_assert_eq(base, 0x00030000u);
    for (v = mm_vad_next(m, pid, NULL); v; v = mm_vad_next(m, pid, v)) {
        mm_vad_range(v, &start, &end, &prot, &commit, &charge);
        if (start == base)
            break;
    }
    cr_assert_not_null(v);
    cr_assert_eq(end, 0x00032FFFu);
    cr_assert_eq(prot, (uint32_t)MM_READONLY);
    cr_assert(commit);
    cr_assert_eq(charge, 3u);
    cr_assert_eq(walk_vads(m, pid), 4u);
    t_check(m);
    mm_destroy(m);
}

Test(vad, overlapping_reserve_conflicts)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "a");
    mm_va base = 0x00400000u;
    uint32_t size = 0x20000u;
    cr_assert_eq(reserve_at(m, pid, &base, &size), STATUS_SUCCESS);

    static const struct {
        mm_va base;
        uint32_t size;
    } clash[] = {
        {0x00400000u, 0x1000u},    /* same start */
        {0x00410000u, 0x10000u},   /* inside */
        {0x0041F000u, 0x1000u},    /* rounds down into it */
        {0x003F0000u, 0x20000u},   /* overlaps the start */
        {0x0041FFFFu, 0x2u},       /* its last byte */
        {0x003F0000u, 0x40000u},   /* covers it */
    };
    for (size_t i = 0; i < sizeof clash / sizeof clash[0]; i++) {
        mm_va b = clash[i].base;
        uint32_t s = clash[i].size;
        cr_assert_eq(reserve_at(m, pid, &b, &s), STATUS_CONFLICTING_ADDRESSES, "0x%08X + 0x%X",
                     clash[i].base, clash[i].size);
        cr_assert_eq(b, clash[i].base, "a failed call leaves the base alone");
    }
    cr_assert_eq(walk_vads(m, pid), 1u);

    /* the neighbours on both sides are free */
    base = 0x003F0000u;
    size = 0x10000u;
    cr_assert_eq(reserve_at(m, pid, &base, &size), STATUS_SUCCESS);
    base = 0x00420000u;
    size = 0x10000u;
    cr_assert_eq(reserve_at(m, pid, &base, &size), STATUS_SUCCESS);
    cr_assert_eq(walk_vads(m, pid), 3u);

    /* the query sees each one where it is */
    struct mm_basic_info info;
    cr_assert_eq(mm_query(m, pid, 0x00415000u, &info), STATUS_SUCCESS);
    cr_assert_eq(info.allocation_base, 0x00400000u);
    cr_assert_eq(info.state, MEM_RESERVE);
    cr_assert_eq(info.region_size, 0x0B000u);
    cr_assert_eq(mm_query(m, pid, 0x00430000u, &info), STATUS_SUCCESS);
    cr_assert_eq(info.state, MEM_FREE);
    t_check(m);
    mm_destroy(m);
}

Test(vad, the_lowest_gap_is_found)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "a");
    mm_va a = 0x00010000u, b = 0x00030000u;
    uint32_t s = 0x10000u;
    cr_assert_eq(reserve_at(m, pid, &a, &s), STATUS_SUCCESS);
    s = 0x10000u;
    cr_assert_eq(reserve_at(m, pid, &b, &s), STATUS_SUCCESS);
    /* 64 KiB fits between them; 128 KiB does not */
    cr_assert_eq(reserve_any(m, pid, 0x20000u), 0x00040000u);
    cr_assert_eq(reserve_any(m, pid, 0x10000u), 0x00020000u);
    cr_assert_eq(reserve_any(m, pid, 0x1000u), 0x00060000u);
    release(m, pid, 0x00020000u);
    cr_assert_eq(reserve_any(m, pid, 0x1000u), 0x00020000u, "a freed hole is the lowest gap");
    cr_assert_eq(walk_vads(m, pid), 5u);
    t_check(m);

    /* the tree's own search, directly */
    struct mm_vad_tree t = {0};
    struct mm_vad *v1 = calloc(1, sizeof *v1), *v2 = calloc(1, sizeof *v2);
    cr_assert(v1 && v2);
    v1->start_vpn = 0x10;
    v1->end_vpn = 0x10;   /* one page at 0x10000 */
    v2->start_vpn = 0x30;
    v2->end_vpn = 0x3F;
    vad_insert(&t, v1);
    vad_insert(&t, v2);
    uint32_t start = 0;
    cr_assert(vad_find_gap(&t, 1, 0x10, 0x7FFDF, &start));
    cr_assert_eq(start, 0x20u, "a granule holding one page is not free");
    cr_assert(vad_find_gap(&t, 16, 0x10, 0x7FFDF, &start));
    cr_assert_eq(start, 0x20u);
    cr_assert(vad_find_gap(&t, 17, 0x10, 0x7FFDF, &start));
    cr_assert_eq(start, 0x40u);
    cr_assert(vad_find_gap(&t, 1, 0x11, 0x7FFDF, &start));
    cr_assert_eq(start, 0x20u, "the low bound rounds up to a granule");
    cr_assert(vad_find_gap(&t, 16, 0x10, 0x4F, &start));
    cr_assert_eq(start, 0x20u);
    cr_assert_not(vad_find_gap(&t, 17, 0x10, 0x4F, &start), "the high bound is respected");
    cr_assert(vad_find_gap(&t, 16, 0x10, 0x2F, &start));
    cr_assert_not(vad_find_gap(&t, 16, 0x10, 0x2E, &start));
    vad_free_all(&t);
    cr_assert_null(t.root);
    cr_assert_eq(t.count, 0u);
    t_check(m);
    mm_destroy(m);
}

Test(vad, address_space_runs_out)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "a");
    /* user space for reservations: 0x00010000 up to 0x7FFE0000 */
    mm_va base = 0;
    uint32_t size = 0x7FFD0000u;
    cr_assert_eq(reserve_at(m, pid, &base, &size), STATUS_SUCCESS);
    cr_assert_eq(base, 0x00010000u);
    base = 0;
    size = 0x1000u;
    cr_assert_eq(reserve_at(m, pid, &base, &size), STATUS_NO_MEMORY);
    release(m, pid, 0x00010000u);
    base = 0;
    size = 0x7FFD0001u;
    cr_assert_eq(reserve_at(m, pid, &base, &size), STATUS_NO_MEMORY);
    cr_assert_eq(walk_vads(m, pid), 0u);
    t_check(m);
    mm_destroy(m);
}

/* ---- the AVL tree ---- */

static int height_bound(uint32_t n)
{
    /* an AVL tree of n nodes is at most ~1.44 log2(n + 2) high */
    int lg = 0;
    while ((1u << lg) < n + 2)
        lg++;
    return (int)(1.45 * lg) + 1;
}

Test(vad, tree_stays_balanced_and_ordered_through_1000_random_changes)
{
    struct mm_machine *m = t_machine(64, 64);
    enum { SLOTS = 1000 };
    static struct mm_vad *slot[SLOTS];
    memset(slot, 0, sizeof slot);
    struct mm_vad_tree t = {0};
    struct t_rng rng = {0x0AD5EEDull};
    uint32_t live = 0;
    for (int op = 0; op < 4000; op++) {
        uint32_t i = t_below(&rng, SLOTS);
        if (!slot[i]) {
            struct mm_vad *v = calloc(1, sizeof *v);
            cr_assert_not_null(v);
            v->start_vpn = 0x10 + i * 16;
            v->end_vpn = v->start_vpn + t_below(&rng, 16);
            slot[i] = v;
            vad_insert(&t, v);
            live++;
        } else if (t_below(&rng, 3) != 0) {
            vad_remove(&t, slot[i]);
            slot[i] = NULL;
            live--;
        }
        int h = vad_check_balanced(t.root);
        cr_assert_geq(h, 0, "op %d: the tree is unbalanced or out of order", op);
        cr_assert_leq(h, height_bound(live), "op %d: height %d for %u nodes", op, h, live);
        cr_assert_eq(t.count, live);
        if (op % 97 == 0 || op > 3990) {
            uint32_t n = 0, prev = 0;
            for (const struct mm_vad *v = vad_next(&t, NULL); v; v = vad_next(&t, v)) {
                if (n)
                    cr_assert_gt(v->start_vpn, prev);
                prev = v->end_vpn;
                n++;
            }
            cr_assert_eq(n, live);
            for (uint32_t k = 0; k < SLOTS; k++) {
                uint32_t vpn = 0x10 + k * 16;
                cr_assert_eq(vad_find(&t, vpn), slot[k], "slot %u", k);
                cr_assert_eq(vad_find_overlap(&t, vpn, vpn + 15), slot[k]);
                if (slot[k])
                    cr_assert_eq(vad_find(&t, slot[k]->end_vpn), slot[k]);
            }
        }
    }
    cr_assert_gt(live, 100u);
    vad_free_all(&t);
    t_check(m);
    mm_destroy(m);
}

Test(vad, process_vads_stay_ordered_through_random_reserve_and_release)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "many");
    enum { SLOTS = 300 };
    static bool used[SLOTS];
    memset(used, 0, sizeof used);
    struct t_rng rng = {0xBADC0FFEEull};
    uint32_t live = 0;
    for (int op = 0; op < 1000; op++) {
        uint32_t i = t_below(&rng, SLOTS);
        mm_va base = 0x01000000u + i * 0x20000u;
        if (!used[i]) {
            uint32_t size = (1 + t_below(&rng, 32)) * PAGE_SIZE;
            cr_assert_eq(reserve_at(m, pid, &base, &size), STATUS_SUCCESS);
            used[i] = true;
            live++;
        } else {
            release(m, pid, base);
            used[i] = false;
            live--;
        }
        if (op % 50 == 0) {
            cr_assert_eq(walk_vads(m, pid), live);
            t_check(m);
        }
    }
    cr_assert_eq(walk_vads(m, pid), live);
    /* the lowest gap is below all of them */
    cr_assert_eq(reserve_any(m, pid, 0x10000u), 0x00010000u);
    t_check(m);
    mm_destroy(m);
}
