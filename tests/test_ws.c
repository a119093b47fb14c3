/*
 * test_ws.c - working sets (ws.c): growth to the maximum, the five
 * replacement policies with exact victims, the data-page limit, what an
 * evicted page becomes,
 * the WSLE <-> PFN link, locked entries and page tables, the hash,
 * trimming, emptying and aging.
 *
 * Layout of a new process's list: entries 0..2 are locked (directory at
 * 0xC0300000, hyperspace table at 0xC0301000, the list page at 0xC0502000);
 * FirstDynamic = NextSlot = 3. The first touch of a 4 MB region puts its
 * page table (0xC0000000 + pdi * 4096) in the next free entry, then the page.
 */
#include <string.h>

#include "support.h"

#include "machine.h"
#include "ws.h"

#define RW_WRITTEN(f)    (((mm_pte)(f) << 12) | 0x67u)
#define RW_READ(f)       (((mm_pte)(f) << 12) | 0x27u)
#define RW_TRANSITION(f) (((mm_pte)(f) << 12) | 0x886u)   /* Write kept from the valid PTE */

static struct t_events rec;

static struct mm_machine *small_ws_machine(enum mm_policy policy)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = 256;
    cfg.pagefile_pages[0] = 256;
    cfg.policy = policy;
    cfg.ws_minimum = 4;
    cfg.ws_maximum = 8;
    return t_machine_cfg(&cfg);
}

static void touch(struct mm_machine *m, uint32_t pid, mm_va va)
{
    mm_status s = mm_write32(m, pid, va, va ^ 0x5A5A5A5Au);
    cr_assert_eq(s, STATUS_SUCCESS, "write 0x%08X: 0x%08X", va, s);
}

static void look(struct mm_machine *m, uint32_t pid, mm_va va)
{
    uint32_t v = 0;
    mm_status s = mm_read32(m, pid, va, &v);
    cr_assert_eq(s, STATUS_SUCCESS, "read 0x%08X: 0x%08X", va, s);
}

/* The index of va's entry, by a scan of the public list. */
static uint32_t index_of(const struct mm_wsl *ws, mm_va va)
{
    for (uint32_t i = 0; i <= ws->last_entry; i++)
        if (wsle_valid(ws->wsle[i]) && wsle_va(ws->wsle[i]) == PAGE_ALIGN(va))
            return i;
    return WSLE_NULL_INDEX;
}

/* The n-th working-set removal recorded with reason `why`. */
static const struct mm_event *removal(const struct t_events *r, enum mm_ws_reason why, uint32_t n)
{
    for (uint32_t i = 0; i < r->count; i++) {
        const struct mm_event *e = &r->ev[i];
        if (e->kind == MM_EV_WSLE && !e->u.wsle.inserted && e->u.wsle.why == why && n-- == 0)
            return e;
    }
    return NULL;
}

static uint32_t removals(const struct t_events *r, enum mm_ws_reason why)
{
    uint32_t n = 0;
    while (removal(r, why, n))
        n++;
    return n;
}

/* Every valid entry's page maps a frame whose PFN WsIndex is that entry. */
static void check_ws_index(const struct mm_machine *m, uint32_t pid)
{
    const struct mm_wsl *ws = mm_working_set(m, pid);
    uint32_t valid = 0;
    for (uint32_t i = 0; i <= ws->last_entry; i++) {
        if (!wsle_valid(ws->wsle[i]))
            continue;
        valid++;
        struct mm_walk w;
        cr_assert_eq(mm_walk(m, pid, wsle_va(ws->wsle[i]), &w), STATUS_SUCCESS);
        cr_assert(w.valid, "entry %u (0x%08X) is not mapped", i, wsle_va(ws->wsle[i]));
        cr_assert_eq(mm_pfn_entry(m, w.frame)->u1.ws_index, i, "entry %u (0x%08X): frame 0x%X says %u", i,
                     wsle_va(ws->wsle[i]), w.frame, mm_pfn_entry(m, w.frame)->u1.ws_index);
        cr_assert_eq(t_location(m, w.frame), ActiveAndValid);
    }
    cr_assert_eq(valid, ws->size);
}

static void check_locked(const struct mm_machine *m, uint32_t pid)
{
    static const mm_va locked[3] = {0xC0300000u, 0xC0301000u, 0xC0502000u};
    const struct mm_wsl *ws = mm_working_set(m, pid);
    cr_assert_eq(ws->first_dynamic, 3u);
    for (uint32_t i = 0; i < 3; i++) {
        cr_assert(wsle_valid(ws->wsle[i]), "locked entry %u left", i);
        cr_assert(wsle_locked(ws->wsle[i]));
        cr_assert_eq(wsle_va(ws->wsle[i]), locked[i]);
        cr_assert(mm_ws_contains(m, pid, locked[i]));
    }
}

/* ---- Growth and replacement ---- */

Test(ws, grows_to_the_maximum_then_replaces)
{
    struct mm_machine *m = small_ws_machine(MM_POLICY_AGING);
    uint32_t pid = t_process(m, "p");
    const struct mm_wsl *ws = mm_working_set(m, pid);
    cr_assert_eq(ws->minimum, 4u);
    cr_assert_eq(ws->maximum, 8u);
    cr_assert_eq(ws->size, 3u);
    mm_va base = t_alloc(m, pid, 16 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t k = 0; k < 4; k++) {
        touch(m, pid, base + k * PAGE_SIZE);
        cr_assert_eq(ws->size, 5u + k, "3 locked + page table + %u pages", k + 1);
    }
    cr_assert_eq(ws->replacements, 0u);
    t_record(m, &rec);
    for (uint32_t k = 4; k < 12; k++) {
        touch(m, pid, base + k * PAGE_SIZE);
        cr_assert_eq(ws->size, 8u, "page %u: size %u", k, ws->size);
    }
    mm_set_sink(m, NULL, NULL);
    cr_assert_eq(ws->peak, 8u);
    cr_assert_eq(ws->replacements, 8u);
    cr_assert_eq(removals(&rec, MM_WS_REPLACE), 8u);
    cr_assert_eq(removals(&rec, MM_WS_TRIM), 0u);
    cr_assert_eq(mm_active_frames(m), 8u);
    check_ws_index(m, pid);
    t_check(m);
    mm_destroy(m);
}

Test(ws, fifo_evicts_in_arrival_order)
{
    struct mm_machine *m = small_ws_machine(MM_POLICY_FIFO);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 16 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t k = 0; k < 4; k++)
        touch(m, pid, base + k * PAGE_SIZE);
    const struct mm_wsl *ws = mm_working_set(m, pid);
    cr_assert_eq(index_of(ws, 0xC0000000u), 3u);
    for (uint32_t k = 0; k < 4; k++)
        cr_assert_eq(index_of(ws, base + k * PAGE_SIZE), 4u + k);
    /* access order does not matter to FIFO */
    look(m, pid, base);
    look(m, pid, base + PAGE_SIZE);

    t_record(m, &rec);
    for (uint32_t k = 4; k < 10; k++)
        touch(m, pid, base + k * PAGE_SIZE);
    mm_set_sink(m, NULL, NULL);
    static const uint32_t victim_page[6] = {0, 1, 2, 3, 4, 5};
    static const uint32_t victim_index[6] = {4, 5, 6, 7, 4, 5};
    cr_assert_eq(removals(&rec, MM_WS_REPLACE), 6u);
    for (uint32_t n = 0; n < 6; n++) {
        const struct mm_event *e = removal(&rec, MM_WS_REPLACE, n);
        cr_assert_eq(e->u.wsle.va, base + victim_page[n] * PAGE_SIZE, "victim %u is 0x%08X", n, e->u.wsle.va);
        cr_assert_eq(e->u.wsle.index, victim_index[n]);
        cr_assert_eq(e->pid, pid);
    }
    mm_va order[8];
    cr_assert_eq(mm_ws_policy_order(m, pid, order, 8), 4u);
    for (uint32_t k = 0; k < 4; k++)
        cr_assert_eq(order[k], base + (6 + k) * PAGE_SIZE, "place %u: 0x%08X", k, order[k]);
    cr_assert_eq(index_of(ws, 0xC0000000u), 3u, "the page table never moved");
    check_ws_index(m, pid);
    t_check(m);
    mm_destroy(m);
}

Test(ws, aging_spares_a_recently_accessed_page)
{
    struct mm_machine *m = small_ws_machine(MM_POLICY_AGING);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 16 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t k = 0; k < 4; k++)
        touch(m, pid, base + k * PAGE_SIZE);
    const struct mm_wsl *ws = mm_working_set(m, pid);
    /* two aging passes: accessed -> age 0 (bit cleared), then age 1 */
    mm_run_ws_manager(m);
    for (uint32_t k = 0; k < 4; k++) {
        cr_assert_eq(wsle_age(ws->wsle[4 + k]), 0u);
        cr_assert_eq(t_pte(m, pid, base + k * PAGE_SIZE) & PTE_ACCESSED, 0u, "aging clears Accessed");
    }
    mm_run_ws_manager(m);
    for (uint32_t k = 0; k < 4; k++)
        cr_assert_eq(wsle_age(ws->wsle[4 + k]), 1u);
    cr_assert_eq(ws->size, 8u, "plenty of memory: the manager only ages");

    look(m, pid, base);   /* page 0, first in the sweep, is referenced again */
    cr_assert_neq(t_pte(m, pid, base) & PTE_ACCESSED, 0u);
    /* what mm_ws_page_bits tells of them: the use bit and the age */
    bool used;
    uint32_t age;
    cr_assert(mm_ws_page_bits(m, pid, base, &used, &age));
    cr_assert(used && age == 1u, "page 0: used %d, age %u", used, age);
    cr_assert(mm_ws_page_bits(m, pid, base + PAGE_SIZE, &used, &age));
    cr_assert(!used && age == 1u, "page 1: used %d, age %u", used, age);
    cr_assert_not(mm_ws_page_bits(m, pid, base + 9 * PAGE_SIZE, &used, &age), "not in the set");
    cr_assert_not(mm_ws_page_bits(m, pid + 1, base, &used, &age), "no such process");

    t_record(m, &rec);
    touch(m, pid, base + 4 * PAGE_SIZE);
    mm_set_sink(m, NULL, NULL);
    cr_assert_eq(removals(&rec, MM_WS_REPLACE), 1u);
    const struct mm_event *e = removal(&rec, MM_WS_REPLACE, 0);
    cr_assert_eq(e->u.wsle.va, base + PAGE_SIZE, "victim 0x%08X, expected page 1", e->u.wsle.va);
    cr_assert_eq(e->u.wsle.index, 5u);
    cr_assert(mm_ws_contains(m, pid, base), "the referenced page is spared");
    /* sweep: page 0 age reset to 0 then one step, the others two steps */
    cr_assert_eq(wsle_age(ws->wsle[4]), 1u);
    cr_assert_eq(wsle_age(ws->wsle[6]), 2u);
    cr_assert_eq(wsle_age(ws->wsle[7]), 2u);
    cr_assert_eq(ws->next_slot, 6u);
    t_check(m);
    mm_destroy(m);
}

Test(ws, lru_evicts_exactly_the_least_recently_used)
{
    struct mm_machine *m = small_ws_machine(MM_POLICY_LRU);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 16 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t k = 0; k < 4; k++)
        touch(m, pid, base + k * PAGE_SIZE);
    look(m, pid, base + 1 * PAGE_SIZE);
    look(m, pid, base + 0 * PAGE_SIZE);
    look(m, pid, base + 3 * PAGE_SIZE);
    /* least recent now: page 2 */
    t_record(m, &rec);
    touch(m, pid, base + 4 * PAGE_SIZE);
    cr_assert_eq(removals(&rec, MM_WS_REPLACE), 1u);
    cr_assert_eq(removal(&rec, MM_WS_REPLACE, 0)->u.wsle.va, base + 2 * PAGE_SIZE);
    /* order now 1, 0, 3, 4; touch 0 again -> 1 is least recent */
    look(m, pid, base);
    touch(m, pid, base + 5 * PAGE_SIZE);
    mm_set_sink(m, NULL, NULL);
    cr_assert_eq(removals(&rec, MM_WS_REPLACE), 2u);
    cr_assert_eq(removal(&rec, MM_WS_REPLACE, 1)->u.wsle.va, base + 1 * PAGE_SIZE);
    cr_assert(mm_ws_contains(m, pid, base));
    cr_assert(mm_ws_contains(m, pid, base + 3 * PAGE_SIZE));
    cr_assert(mm_ws_contains(m, pid, base + 4 * PAGE_SIZE));
    cr_assert(mm_ws_contains(m, pid, base + 5 * PAGE_SIZE));
    t_check(m);
    mm_destroy(m);
}

/* ---- What an evicted page becomes ---- */

Test(ws, evicted_pages_go_to_the_tail_of_their_list_at_the_process_priority)
{
    struct mm_machine *m = small_ws_machine(MM_POLICY_FIFO);
    uint32_t pid = t_process(m, "p");
    cr_assert_eq(mm_set_page_priority(m, pid, 3), STATUS_SUCCESS);
    mm_va base = t_alloc(m, pid, 16 * PAGE_SIZE, PAGE_READWRITE);
    mm_va pg[8];
    mm_pfn fr[8];
    for (uint32_t k = 0; k < 8; k++)
        pg[k] = base + k * PAGE_SIZE;
    for (uint32_t k = 0; k < 4; k++) {
        touch(m, pid, pg[k]);
        fr[k] = t_frame(m, pid, pg[k]);
    }
    /* write pages 0..3 out; a new dirty page 4 comes first, then 0..2
     * come back clean (transition faults): FIFO order 4, 0, 1, 2 */
    cr_assert_eq(mm_set_ws_limits(m, pid, 0xFFFFFFFFu, 0xFFFFFFFFu), STATUS_SUCCESS);
    cr_assert_eq(t_flush(m), 4u);
    cr_assert_eq(mm_standby_head(m, 3)->total, 4u, "written pages stand by at priority 3");
    touch(m, pid, pg[4]);
    fr[4] = t_frame(m, pid, pg[4]);
    for (uint32_t k = 0; k < 3; k++) {
        look(m, pid, pg[k]);
        cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_TRANSITION);
        cr_assert_eq(t_pte(m, pid, pg[k]), RW_READ(fr[k]));
    }
    const struct mm_wsl *ws = mm_working_set(m, pid);
    cr_assert_eq(ws->size, 8u);
    /* emptying the set compacted its list (MiEmptyWorkingSet): only the
     * page table, still mapping pages in transition, stayed, at entry 3,
     * and the free entries above it are taken in index order */
    cr_assert_eq(ws->last_entry, 7u);
    cr_assert_eq(index_of(ws, pg[4]), 4u, "after compaction the free entries are taken in index order");
    cr_assert_eq(index_of(ws, pg[0]), 5u);
    mm_pfn sb[8];
    cr_assert_eq(mm_list_frames(m, StandbyPageList, 3, sb, 8), 1u);
    cr_assert_eq(sb[0], fr[3]);

    /* page 4 (dirty) is the FIFO victim: Modified, transition PTE */
    t_record(m, &rec);
    touch(m, pid, pg[5]);
    mm_set_sink(m, NULL, NULL);
    const struct mm_event *e = removal(&rec, MM_WS_REPLACE, 0);
    cr_assert_not_null(e);
    cr_assert_eq(e->u.wsle.va, pg[4]);
    cr_assert_eq(t_pte(m, pid, pg[4]), RW_TRANSITION(fr[4]));
    cr_assert_eq(t_location(m, fr[4]), ModifiedPageList);
    cr_assert_eq(mm_list_head(m, ModifiedPageList)->last, fr[4]);
    cr_assert_eq(pfn_priority(mm_pfn_entry(m, fr[4])), 3u);
    const struct mm_event *mv = NULL;
    for (uint32_t i = 0; i < rec.count; i++)
        if (rec.ev[i].kind == MM_EV_PAGE_MOVE && rec.ev[i].u.move.frame == fr[4])
            mv = &rec.ev[i];
    cr_assert_not_null(mv);
    cr_assert_eq(mv->u.move.from, ActiveAndValid);
    cr_assert_eq(mv->u.move.to, ModifiedPageList);
    cr_assert_eq(mv->u.move.why, MOVE_REPLACE);

    /* page 0 (clean, its copy in slot 1) is next: tail of Standby[3] */
    t_record(m, &rec);
    touch(m, pid, pg[6]);
    mm_set_sink(m, NULL, NULL);
    e = removal(&rec, MM_WS_REPLACE, 0);
    cr_assert_not_null(e);
    cr_assert_eq(e->u.wsle.va, pg[0]);
    cr_assert_eq(t_pte(m, pid, pg[0]), RW_TRANSITION(fr[0]));
    cr_assert_eq(mm_list_frames(m, StandbyPageList, 3, sb, 8), 2u);
    cr_assert_eq(sb[0], fr[3]);
    cr_assert_eq(sb[1], fr[0], "appended at the tail");
    cr_assert_eq(mm_standby_head(m, MM_DEFAULT_PRIORITY)->total, 0u);
    cr_assert_eq(mm_pfn_entry(m, fr[0])->original_pte, (1u << 12) | 0x80u);
    mv = NULL;
    for (uint32_t i = 0; i < rec.count; i++)
        if (rec.ev[i].kind == MM_EV_PAGE_MOVE && rec.ev[i].u.move.frame == fr[0])
            mv = &rec.ev[i];
    cr_assert_not_null(mv);
    cr_assert_eq(mv->u.move.to, StandbyPageList);
    cr_assert_eq(mv->u.move.to_priority, 3u);
    t_check(m);

    /* faulting it back is a transition fault on the same frame */
    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, pid, pg[0], &v), STATUS_SUCCESS);
    cr_assert_eq(v, pg[0] ^ 0x5A5A5A5Au);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_TRANSITION);
    cr_assert_eq(t_frame(m, pid, pg[0]), fr[0]);
    check_ws_index(m, pid);
    t_check(m);
    mm_destroy(m);
}

/* ---- Structure ---- */

Test(ws, pfn_ws_index_matches_the_entry)
{
    struct mm_machine *m = small_ws_machine(MM_POLICY_AGING);
    uint32_t pid = t_process(m, "p");
    check_ws_index(m, pid);
    mm_va a = t_alloc(m, pid, 8 * PAGE_SIZE, PAGE_READWRITE);
    mm_va b = 0x00400000u;
    uint32_t size = 8 * PAGE_SIZE;
    cr_assert_eq(mm_allocate(m, pid, &b, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    for (uint32_t k = 0; k < 8; k++) {
        touch(m, pid, a + k * PAGE_SIZE);
        touch(m, pid, b + k * PAGE_SIZE);
        check_ws_index(m, pid);
    }
    cr_assert_eq(mm_trim(m, pid, 2), 2u);
    check_ws_index(m, pid);
    look(m, pid, a);
    look(m, pid, b + 7 * PAGE_SIZE);
    check_ws_index(m, pid);
    check_locked(m, pid);
    t_check(m);
    mm_destroy(m);
}

Test(ws, locked_entries_never_leave)
{
    struct mm_machine *m = small_ws_machine(MM_POLICY_FIFO);
    uint32_t pid = t_process(m, "p");
    check_locked(m, pid);
    mm_va base = t_alloc(m, pid, 32 * PAGE_SIZE, PAGE_READWRITE);
    t_record(m, &rec);
    for (uint32_t k = 0; k < 32; k++)
        touch(m, pid, base + k * PAGE_SIZE);
    check_locked(m, pid);
    cr_assert_eq(mm_trim(m, pid, 1000), 4u, "only the four data pages can go");
    check_locked(m, pid);
    cr_assert_eq(mm_memory_list_command(m, MemoryEmptyWorkingSets), STATUS_SUCCESS);
    cr_assert_eq(mm_set_ws_limits(m, pid, 0xFFFFFFFFu, 0xFFFFFFFFu), STATUS_SUCCESS);
    cr_assert_eq(mm_set_ws_limits(m, pid, 1, 1), STATUS_SUCCESS);
    mm_run_ws_manager(m);
    mm_set_sink(m, NULL, NULL);
    check_locked(m, pid);
    for (uint32_t i = 0; i < rec.count; i++)
        if (rec.ev[i].kind == MM_EV_WSLE && !rec.ev[i].u.wsle.inserted)
            cr_assert_geq(rec.ev[i].u.wsle.index, 3u, "locked entry %u removed", rec.ev[i].u.wsle.index);
    t_check(m);
    mm_destroy(m);
}

Test(ws, page_tables_stay_while_they_map_pages_valid_or_in_transition)
{
    struct mm_machine *m = small_ws_machine(MM_POLICY_FIFO);
    uint32_t pid = t_process(m, "p");
    mm_va a = t_alloc(m, pid, 16 * PAGE_SIZE, PAGE_READWRITE);
    mm_va b = 0x00400000u;
    uint32_t size = 16 * PAGE_SIZE;
    cr_assert_eq(mm_allocate(m, pid, &b, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    t_record(m, &rec);
    for (uint32_t k = 0; k < 16; k++) {
        touch(m, pid, a + k * PAGE_SIZE);
        touch(m, pid, b + k * PAGE_SIZE);
        cr_assert(mm_ws_contains(m, pid, 0xC0000000u));
        cr_assert(mm_ws_contains(m, pid, 0xC0001000u));
        cr_assert_eq(mm_working_set(m, pid)->size, k == 0 ? 7u : 8u, "round %u", k);
    }
    cr_assert_eq(mm_trim(m, pid, 100), 3u, "3 locked + 2 tables stay");
    mm_set_sink(m, NULL, NULL);
    cr_assert(removals(&rec, MM_WS_REPLACE) > 20u);
    for (uint32_t i = 0; i < rec.count; i++)
        if (rec.ev[i].kind == MM_EV_WSLE && !rec.ev[i].u.wsle.inserted)
            cr_assert_lt(rec.ev[i].u.wsle.va, 0x80000000u, "a page table (0x%08X) was removed",
                         rec.ev[i].u.wsle.va);
    cr_assert_eq(mm_working_set(m, pid)->size, 5u);
    t_check(m);
    mm_destroy(m);
}

Test(ws, hash_is_built_past_the_threshold_and_finds_both_ways)
{
    struct mm_machine *m = t_machine(1024, 1024);   /* default limits 50..345 */
    uint32_t pid = t_process(m, "p");
    const struct mm_wsl *ws = mm_working_set(m, pid);
    mm_va base = t_alloc(m, pid, 200 * PAGE_SIZE, PAGE_READWRITE);
    uint32_t k;
    for (k = 0; ws->size < WS_HASH_THRESHOLD; k++)
        touch(m, pid, base + k * PAGE_SIZE);
    cr_assert_eq(ws->size, WS_HASH_THRESHOLD);
    cr_assert_null(ws->hash, "no hash at %u entries", ws->size);
    /* a linear search answers both ways while small */
    cr_assert(mm_ws_contains(m, pid, base + (k - 1) * PAGE_SIZE + 123));
    cr_assert_not(mm_ws_contains(m, pid, base + k * PAGE_SIZE));
    touch(m, pid, base + k * PAGE_SIZE);
    k++;
    cr_assert_eq(ws->size, WS_HASH_THRESHOLD + 1);
    cr_assert_not_null(ws->hash, "the hash appears past %u entries", WS_HASH_THRESHOLD);
    for (uint32_t i = 0; i <= ws->last_entry; i++)
        if (wsle_valid(ws->wsle[i]))
            cr_assert(ws->wsle[i] & WSLE_HASHED, "entry %u is not hashed", i);
    for (; k < 170; k++)
        touch(m, pid, base + k * PAGE_SIZE);
    for (uint32_t j = 0; j < 200; j++)
        cr_assert_eq(mm_ws_contains(m, pid, base + j * PAGE_SIZE), j < 170, "page %u", j);
    cr_assert(mm_ws_contains(m, pid, 0xC0000000u));
    cr_assert(mm_ws_contains(m, pid, 0xC0502000u));
    cr_assert_not(mm_ws_contains(m, pid, 0x00500000u));
    /* removals keep the hash right (deleted entries vanish, others stay) */
    cr_assert_eq(mm_trim(m, pid, 60), 60u);
    uint32_t present = 0;
    for (uint32_t j = 0; j < 200; j++) {
        bool valid = pte_is_valid(t_pte(m, pid, base + j * PAGE_SIZE));
        cr_assert_eq(mm_ws_contains(m, pid, base + j * PAGE_SIZE), valid, "page %u", j);
        present += valid;
    }
    cr_assert_eq(present, 110u);
    for (uint32_t j = 0; j < 200; j += 3)
        look(m, pid, base + j * PAGE_SIZE);
    for (uint32_t j = 0; j < 200; j++)
        cr_assert_eq(mm_ws_contains(m, pid, base + j * PAGE_SIZE),
                     pte_is_valid(t_pte(m, pid, base + j * PAGE_SIZE)), "page %u", j);
    check_ws_index(m, pid);
    t_check(m);
    mm_destroy(m);
}

/* ---- Trimming and emptying ---- */

Test(ws, trim_removes_the_requested_count)
{
    struct mm_machine *m = t_machine(256, 256);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 10 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t k = 0; k < 10; k++)
        touch(m, pid, base + k * PAGE_SIZE);
    const struct mm_wsl *ws = mm_working_set(m, pid);
    cr_assert_eq(ws->size, 14u);
    t_record(m, &rec);
    cr_assert_eq(mm_trim(m, pid, 4), 4u);
    cr_assert_eq(ws->size, 10u);
    cr_assert_eq(ws->trimmed, 4u);
    cr_assert_eq(removals(&rec, MM_WS_TRIM), 4u);
    struct mm_counters c;
    mm_counters(m, 0, &c);
    cr_assert_eq(c.pages_trimmed, 4u);
    cr_assert_eq(mm_list_head(m, ModifiedPageList)->total, 4u, "dirty pages go to Modified");
    cr_assert_eq(mm_trim(m, pid, 0), 0u);
    cr_assert_eq(ws->size, 10u);
    cr_assert_eq(mm_trim(m, pid, 100), 6u, "only what can leave");
    mm_set_sink(m, NULL, NULL);
    cr_assert_eq(ws->size, 4u);
    cr_assert_eq(ws->trimmed, 10u);
    mm_counters(m, 0, &c);
    cr_assert_eq(c.pages_trimmed, 10u);
    for (uint32_t k = 0; k < 10; k++) {
        mm_pte pte = t_pte(m, pid, base + k * PAGE_SIZE);
        cr_assert_eq(pte, RW_TRANSITION(pte_frame(pte)), "page %u: 0x%08X", k, pte);
    }
    cr_assert_eq(mm_trim(m, 99, 5), 0u, "no such process");
    t_check(m);
    mm_destroy(m);
}

Test(ws, set_limits_all_ones_empties_down_to_locked_and_tables)
{
    struct mm_machine *m = t_machine(256, 256);
    uint32_t pid = t_process(m, "p");
    mm_va a = t_alloc(m, pid, 4 * PAGE_SIZE, PAGE_READWRITE);
    mm_va b = 0x00400000u;
    uint32_t size = 4 * PAGE_SIZE;
    cr_assert_eq(mm_allocate(m, pid, &b, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    for (uint32_t k = 0; k < 4; k++) {
        touch(m, pid, a + k * PAGE_SIZE);
        look(m, pid, b + k * PAGE_SIZE);
    }
    const struct mm_wsl *ws = mm_working_set(m, pid);
    cr_assert_eq(ws->size, 13u);
    cr_assert_eq(mm_set_ws_limits(m, pid, 0xFFFFFFFFu, 0xFFFFFFFFu), STATUS_SUCCESS);
    cr_assert_eq(ws->size, 5u, "3 locked + 2 page tables");
    cr_assert(mm_ws_contains(m, pid, 0xC0000000u));
    cr_assert(mm_ws_contains(m, pid, 0xC0001000u));
    check_locked(m, pid);
    cr_assert_eq(ws->minimum, mm_get_config(m)->ws_minimum, "emptying keeps the limits");
    cr_assert_eq(ws->maximum, mm_get_config(m)->ws_maximum);
    for (uint32_t k = 0; k < 4; k++) {
        cr_assert(pte_is_transition(t_pte(m, pid, a + k * PAGE_SIZE)));
        cr_assert(pte_is_transition(t_pte(m, pid, b + k * PAGE_SIZE)));
    }
    cr_assert_eq(mm_list_head(m, ModifiedPageList)->total, 8u);
    /* ordinary limits: shrinking the maximum trims down to it */
    for (uint32_t k = 0; k < 4; k++)
        look(m, pid, a + k * PAGE_SIZE);
    cr_assert_eq(ws->size, 9u);
    cr_assert_eq(mm_set_ws_limits(m, pid, 2, 6), STATUS_SUCCESS);
    cr_assert_eq(ws->size, 6u);
    cr_assert_eq(ws->maximum, 6u);
    cr_assert_eq(mm_set_ws_limits(m, pid, 0, 6), STATUS_INVALID_PARAMETER);
    cr_assert_eq(mm_set_ws_limits(m, pid, 7, 6), STATUS_INVALID_PARAMETER);
    cr_assert_eq(ws->maximum, 6u);
    t_check(m);
    mm_destroy(m);
}

Test(ws, aging_counts_up_to_three_and_resets_on_access)
{
    struct mm_machine *m = t_machine(256, 256);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 2 * PAGE_SIZE, PAGE_READWRITE);
    touch(m, pid, base);
    touch(m, pid, base + PAGE_SIZE);
    mm_pfn f0 = t_frame(m, pid, base), f1 = t_frame(m, pid, base + PAGE_SIZE);
    struct mm_process *p = process_get(m, pid);
    cr_assert_not_null(p);
    const struct mm_wsl *ws = mm_working_set(m, pid);
    uint32_t i0 = index_of(ws, base), i1 = index_of(ws, base + PAGE_SIZE), it = index_of(ws, 0xC0000000u);
    cr_assert_eq(i0, 4u);
    cr_assert_eq(i1, 5u);

    ws_age(m, p);
    cr_assert_eq(wsle_age(ws->wsle[i0]), 0u);
    cr_assert_eq(wsle_age(ws->wsle[i1]), 0u);
    cr_assert_eq(t_pte(m, pid, base), ((mm_pte)f0 << 12) | 0x47u, "Accessed cleared, Dirty kept");
    cr_assert_eq(t_pte(m, pid, base + PAGE_SIZE), ((mm_pte)f1 << 12) | 0x47u);
    for (uint32_t n = 1; n <= 5; n++) {
        ws_age(m, p);
        uint32_t want = n < WSLE_MAX_AGE ? n : WSLE_MAX_AGE;
        cr_assert_eq(wsle_age(ws->wsle[i0]), want, "pass %u", n);
        cr_assert_eq(wsle_age(ws->wsle[i1]), want, "pass %u", n);
    }
    look(m, pid, base);   /* the TLB forgot the entry: the walk sets Accessed */
    cr_assert_eq(t_pte(m, pid, base), RW_WRITTEN(f0));
    ws_age(m, p);
    cr_assert_eq(wsle_age(ws->wsle[i0]), 0u, "a referenced page is young again");
    cr_assert_eq(wsle_age(ws->wsle[i1]), 3u);
    cr_assert_eq(t_pte(m, pid, base), ((mm_pte)f0 << 12) | 0x47u);
    /* locked entries and page tables are not aged */
    for (uint32_t i = 0; i < 3; i++)
        cr_assert_eq(wsle_age(ws->wsle[i]), 0u);
    cr_assert_eq(wsle_age(ws->wsle[it]), 0u);
    cr_assert_eq(ws->size, 6u, "aging removes nothing");
    t_check(m);
    mm_destroy(m);
}

/* ---- Soft and hard limits ---- */

/* A machine of `frames` frames (and as many paging-file pages) whose sets,
 * of minimum 4 and a soft `maximum`, grow past it while at least 64 pages
 * are available (the plenty mark; low mark 16). */
static struct mm_machine *plenty_machine(uint32_t frames, enum mm_policy policy, uint32_t maximum)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    mm_config_for_memory(&cfg, frames);
    cfg.pagefile_pages[0] = frames;
    cfg.policy = policy;
    cfg.ws_minimum = 4;
    cfg.ws_maximum = maximum;
    cfg.wsmgr_low = 16;
    cfg.wsmgr_plenty = 64;
    return t_machine_cfg(&cfg);
}

/* 512 frames, FIFO, a maximum of 8. */
static struct mm_machine *roomy_machine(void) { return plenty_machine(512, MM_POLICY_FIFO, 8); }

Test(ws, soft_maximum_grows_while_memory_is_plentiful)
{
    struct mm_machine *m = roomy_machine();
    uint32_t pid = t_process(m, "p");
    const struct mm_wsl *ws = mm_working_set(m, pid);
    mm_va base = t_alloc(m, pid, 20 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t k = 0; k < 20; k++)
        touch(m, pid, base + k * PAGE_SIZE);
    cr_assert_eq(ws->maximum, 8u);
    cr_assert_eq(ws->size, 24u, "3 locked + table + 20 pages: past the maximum, nothing replaced");
    cr_assert_eq(ws->replacements, 0u);
    struct mm_ws_breakdown b;
    cr_assert_eq(mm_ws_breakdown(m, pid, &b), STATUS_SUCCESS);
    cr_assert_eq(b.locked, 3u);
    cr_assert_eq(b.page_tables, 1u);
    cr_assert_eq(b.data, 20u);
    /* plenty of memory: the manager leaves it */
    cr_assert_eq(mm_run_ws_manager(m), 0u);
    cr_assert_eq(ws->size, 24u);
    t_check(m);
    mm_destroy(m);
}

Test(ws, soft_maximum_replaces_and_is_trimmed_back_when_memory_is_short)
{
    struct mm_machine *m = roomy_machine();
    uint32_t pid = t_process(m, "p"), hog = t_process(m, "hog");
    const struct mm_wsl *ws = mm_working_set(m, pid);
    mm_va base = t_alloc(m, pid, 20 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t k = 0; k < 12; k++)
        touch(m, pid, base + k * PAGE_SIZE);
    cr_assert_eq(ws->size, 16u);
    /* another process takes memory until fewer than 64 pages are available */
    cr_assert_eq(mm_set_ws_limits(m, hog, 4, 1000), STATUS_SUCCESS);
    mm_va h = t_alloc(m, hog, 440 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t k = 0; mm_available_pages(m) >= 64; k++)
        touch(m, hog, h + k * PAGE_SIZE);
    /* now a fault at the maximum replaces within the set */
    touch(m, pid, base + 12 * PAGE_SIZE);
    cr_assert_eq(ws->size, 16u, "no growth: a page was replaced");
    cr_assert_eq(ws->replacements, 1u);
    /* and the working-set manager trims the set back to its maximum */
    cr_assert_geq(mm_run_ws_manager(m), 8u);
    cr_assert_eq(ws->size, 8u);
    t_check(m);
    mm_destroy(m);
}

Test(ws, hard_maximum_replaces_even_with_memory_to_spare)
{
    struct mm_machine *m = roomy_machine();
    uint32_t pid = t_process(m, "p");
    const struct mm_wsl *ws = mm_working_set(m, pid);
    cr_assert_eq(mm_set_ws_limits_ex(m, pid, 4, 8, QUOTA_LIMITS_HARDWS_MAX_ENABLE), STATUS_SUCCESS);
    cr_assert(ws->hard_maximum);
    cr_assert_not(ws->hard_minimum);
    mm_va base = t_alloc(m, pid, 20 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t k = 0; k < 20; k++) {
        touch(m, pid, base + k * PAGE_SIZE);
        cr_assert_leq(ws->size, 8u);
    }
    cr_assert_eq(ws->replacements, 16u, "20 pages through 4 data slots");
    cr_assert_gt(mm_available_pages(m), 400u);
    /* disabled again, the set grows */
    cr_assert_eq(mm_set_ws_limits_ex(m, pid, 4, 8, QUOTA_LIMITS_HARDWS_MAX_DISABLE), STATUS_SUCCESS);
    touch(m, pid, base);
    cr_assert_eq(ws->size, 9u);
    t_check(m);
    mm_destroy(m);
}

Test(ws, hard_minimum_stops_every_trim_at_the_minimum)
{
    struct mm_machine *m = roomy_machine();
    uint32_t pid = t_process(m, "p");
    const struct mm_wsl *ws = mm_working_set(m, pid);
    cr_assert_eq(mm_set_ws_limits_ex(m, pid, 10, 40, QUOTA_LIMITS_HARDWS_MIN_ENABLE), STATUS_SUCCESS);
    mm_va base = t_alloc(m, pid, 20 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t k = 0; k < 20; k++)
        touch(m, pid, base + k * PAGE_SIZE);
    cr_assert_eq(ws->size, 24u);
    cr_assert_eq(mm_trim(m, pid, 100), 14u, "down to the minimum of 10");
    cr_assert_eq(ws->size, 10u);
    cr_assert_eq(mm_memory_list_command(m, MemoryEmptyWorkingSets), STATUS_SUCCESS);
    cr_assert_eq(ws->size, 10u);
    cr_assert_eq(mm_set_ws_limits_ex(m, pid, 10, 40, QUOTA_LIMITS_HARDWS_MIN_DISABLE), STATUS_SUCCESS);
    cr_assert_eq(mm_trim(m, pid, 100), 6u, "soft again: all but the locked entries and the table");
    t_check(m);
    mm_destroy(m);
}

Test(ws, hard_limits_need_room_between_them)
{
    struct mm_machine *m = roomy_machine();
    uint32_t pid = t_process(m, "p");
    const struct mm_wsl *ws = mm_working_set(m, pid);
    /* MmEnforceWorkingSetLimit: both hard needs minimum + 8 < maximum */
    cr_assert_eq(mm_set_ws_limits_ex(m, pid, 4, 12,
                                     QUOTA_LIMITS_HARDWS_MIN_ENABLE | QUOTA_LIMITS_HARDWS_MAX_ENABLE),
                 STATUS_BAD_WORKING_SET_LIMIT);
    cr_assert_not(ws->hard_minimum || ws->hard_maximum, "nothing changed");
    cr_assert_eq(ws->maximum, 8u);
    cr_assert_eq(mm_set_ws_limits_ex(m, pid, 4, 13,
                                     QUOTA_LIMITS_HARDWS_MIN_ENABLE | QUOTA_LIMITS_HARDWS_MAX_ENABLE),
                 STATUS_SUCCESS);
    cr_assert(ws->hard_minimum && ws->hard_maximum);
    cr_assert_eq(mm_set_ws_limits(m, pid, 6, 13), STATUS_BAD_WORKING_SET_LIMIT,
                 "new limits are checked against the hard flags");
    cr_assert_eq(mm_set_ws_limits_ex(m, pid, 4, 13,
                                     QUOTA_LIMITS_HARDWS_MAX_ENABLE | QUOTA_LIMITS_HARDWS_MAX_DISABLE),
                 STATUS_INVALID_PARAMETER);
    t_check(m);
    mm_destroy(m);
}

/* A hard maximum too small for what one access can need (the 3 locked
 * pages, 2 page tables, 2 pages) is refused; at the floor, accesses that
 * cross pages and page tables keep the set within it. */
Test(ws, a_hard_maximum_holds_what_one_access_needs)
{
    struct mm_machine *m = roomy_machine();
    uint32_t pid = t_process(m, "p");
    const struct mm_wsl *ws = mm_working_set(m, pid);
    cr_assert_eq(mm_set_ws_limits_ex(m, pid, 1, MM_HARD_MAXIMUM_FLOOR - 1, QUOTA_LIMITS_HARDWS_MAX_ENABLE),
                 STATUS_BAD_WORKING_SET_LIMIT);
    cr_assert_not(ws->hard_maximum, "nothing changed");
    cr_assert_eq(mm_set_ws_limits_ex(m, pid, 1, MM_HARD_MAXIMUM_FLOOR, QUOTA_LIMITS_HARDWS_MAX_ENABLE),
                 STATUS_SUCCESS);
    cr_assert_eq(mm_set_ws_limits(m, pid, 1, MM_HARD_MAXIMUM_FLOOR - 1), STATUS_BAD_WORKING_SET_LIMIT,
                 "new limits are checked against the hard maximum");
    /* 16 pages on each side of a 4 MB boundary, each written across its end */
    mm_va base = 0x3F0000u;
    uint32_t size = 32 * PAGE_SIZE;
    cr_assert_eq(mm_allocate(m, pid, &base, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    cr_assert_eq(base, 0x3F0000u);
    for (uint32_t k = 0; k + 1 < 32; k++) {
        cr_assert_eq(mm_write32(m, pid, base + k * PAGE_SIZE + PAGE_SIZE - 2, 0x01020304u + k), STATUS_SUCCESS);
        cr_assert_leq(ws->size, MM_HARD_MAXIMUM_FLOOR, "after page %u", k);
    }
    uint32_t v;
    cr_assert_eq(mm_read32(m, pid, base + 15 * PAGE_SIZE + PAGE_SIZE - 2, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x01020304u + 15, "the write across the 4 MB boundary");
    t_check(m);
    mm_destroy(m);
}

/* ---- Second chance, O(1) LRU, OPT and the data-page limit ---- */

Test(ws, clock_gives_each_accessed_page_a_second_chance)
{
    struct mm_machine *m = small_ws_machine(MM_POLICY_CLOCK);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 16 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t k = 0; k < 4; k++)
        touch(m, pid, base + k * PAGE_SIZE);
    /* every page has Accessed set: the hand clears all four bits, comes
     * round to page 0 and takes it */
    t_record(m, &rec);
    touch(m, pid, base + 4 * PAGE_SIZE);
    cr_assert_eq(removal(&rec, MM_WS_REPLACE, 0)->u.wsle.va, base);
    for (uint32_t k = 1; k < 4; k++)
        cr_assert_eq(t_pte(m, pid, base + k * PAGE_SIZE) & PTE_ACCESSED, 0u, "page %u keeps its bit", k);
    /* page 1 is referenced again (its TLB entry went with the bit, so the
     * walk sets it again); the hand passes it and takes page 2 */
    look(m, pid, base + PAGE_SIZE);
    cr_assert_neq(t_pte(m, pid, base + PAGE_SIZE) & PTE_ACCESSED, 0u);
    touch(m, pid, base + 5 * PAGE_SIZE);
    mm_set_sink(m, NULL, NULL);
    cr_assert_eq(removals(&rec, MM_WS_REPLACE), 2u);
    cr_assert_eq(removal(&rec, MM_WS_REPLACE, 1)->u.wsle.va, base + 2 * PAGE_SIZE);
    cr_assert(mm_ws_contains(m, pid, base + PAGE_SIZE), "the referenced page is spared");
    cr_assert_eq(t_pte(m, pid, base + PAGE_SIZE) & PTE_ACCESSED, 0u, "its chance is used up");
    t_check(m);
    mm_destroy(m);
}

Test(ws, lru_order_follows_every_access_tlb_hits_included)
{
    struct mm_machine *m = small_ws_machine(MM_POLICY_LRU);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 16 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t k = 0; k < 4; k++)
        touch(m, pid, base + k * PAGE_SIZE);
    struct mm_counters c0, c1;
    mm_counters(m, 0, &c0);
    look(m, pid, base + 2 * PAGE_SIZE);   /* all four are in the TLB: hits */
    look(m, pid, base);
    mm_counters(m, 0, &c1);
    cr_assert_eq(c1.tlb_hits - c0.tlb_hits, 2u);
    static const uint32_t expect[4] = {1, 3, 2, 0};
    mm_va order[4];
    cr_assert_eq(mm_ws_policy_order(m, pid, order, 4), 4u);
    for (uint32_t k = 0; k < 4; k++)
        cr_assert_eq(order[k], base + expect[k] * PAGE_SIZE, "place %u: 0x%08X", k, order[k]);
    t_check(m);
    mm_destroy(m);
}

/* A shared page has one WsIndex for all its processes (the last to take it
 * in); LRU must still move each process's own entry, found by address when
 * WsIndex is the other's. Both processes take the section's page into
 * different slots of their lists, then each reads it again. */
Test(ws, lru_order_follows_a_shared_page_in_each_process)
{
    struct mm_machine *m = small_ws_machine(MM_POLICY_LRU);
    uint32_t a = t_process(m, "a"), b = t_process(m, "b");
    struct mm_section_params sp = {.name = "s", .pages = 16, .file = MM_NO_FILE, .protection = PAGE_READWRITE};
    uint32_t s;
    cr_assert_eq(mm_create_section(m, &sp, &s), STATUS_SUCCESS);
    mm_va view[2] = {0, 0}, own[2];
    uint32_t pid[2] = {a, b}, pages = 0;
    for (uint32_t k = 0; k < 2; k++) {
        cr_assert_eq(mm_map_view(m, pid[k], s, &view[k], 0, &pages, PAGE_READWRITE), STATUS_SUCCESS);
        own[k] = t_alloc(m, pid[k], 16 * PAGE_SIZE, PAGE_READWRITE);
        for (uint32_t n = 0; n <= k; n++)   /* b's entry for the shared page lands one slot later */
            touch(m, pid[k], own[k] + n * PAGE_SIZE);
        touch(m, pid[k], view[k]);
        touch(m, pid[k], own[k] + 8 * PAGE_SIZE);
    }
    mm_pfn shared = pte_frame(t_pte(m, a, view[0]));
    uint32_t a_index = ws_lookup(&m->process[a - 1], view[0]);
    cr_assert_neq(mm_pfn_entry(m, shared)->u1.ws_index, a_index, "WsIndex must be b's for this test");
    cr_assert_eq(mm_pfn_entry(m, shared)->u1.ws_index, ws_lookup(&m->process[b - 1], view[1]));
    for (uint32_t k = 0; k < 2; k++) {
        look(m, pid[k], view[k]);
        mm_va order[8];
        uint32_t n = mm_ws_policy_order(m, pid[k], order, 8);
        cr_assert_eq(n, 3u + k, "process %u: %u data pages", pid[k], n);
        cr_assert_eq(order[n - 1], view[k], "process %u: the shared page is not the most recent", pid[k]);
        cr_assert_eq(order[n - 2], own[k] + 8 * PAGE_SIZE, "process %u", pid[k]);
    }
    t_check(m);
    mm_destroy(m);
}

Test(ws, opt_replaces_the_page_used_farthest_in_the_future)
{
    struct mm_machine *m = small_ws_machine(MM_POLICY_OPT);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 16 * PAGE_SIZE, PAGE_READWRITE);
    static const uint64_t next[4] = {40, 90, 10, UINT64_MAX - 1};
    for (uint32_t k = 0; k < 4; k++) {
        touch(m, pid, base + k * PAGE_SIZE);
        cr_assert_eq(mm_set_next_use(m, pid, base + k * PAGE_SIZE, next[k]), STATUS_SUCCESS);
    }
    static const uint32_t expect[4] = {3, 1, 0, 2};
    mm_va order[4];
    cr_assert_eq(mm_ws_policy_order(m, pid, order, 4), 4u);
    for (uint32_t k = 0; k < 4; k++)
        cr_assert_eq(order[k], base + expect[k] * PAGE_SIZE, "place %u: 0x%08X", k, order[k]);
    t_record(m, &rec);
    touch(m, pid, base + 4 * PAGE_SIZE);
    cr_assert_eq(mm_set_next_use(m, pid, base + 4 * PAGE_SIZE, 20), STATUS_SUCCESS);
    cr_assert_eq(mm_set_next_use(m, pid, base + 2 * PAGE_SIZE, 95), STATUS_SUCCESS);   /* page 2 used */
    touch(m, pid, base + 5 * PAGE_SIZE);
    mm_set_sink(m, NULL, NULL);
    cr_assert_eq(removal(&rec, MM_WS_REPLACE, 0)->u.wsle.va, base + 3 * PAGE_SIZE);
    cr_assert_eq(removal(&rec, MM_WS_REPLACE, 1)->u.wsle.va, base + 2 * PAGE_SIZE);
    /* the hook's refusals */
    cr_assert_eq(mm_set_next_use(m, pid, base + 3 * PAGE_SIZE, 5), STATUS_INVALID_PARAMETER, "not in the set");
    cr_assert_eq(mm_set_next_use(m, pid, 0xC0000000u, 5), STATUS_INVALID_PARAMETER, "a page table");
    cr_assert_eq(mm_set_next_use(m, 99, base, 5), STATUS_INVALID_CID);
    t_check(m);
    mm_destroy(m);

    m = small_ws_machine(MM_POLICY_LRU);
    pid = t_process(m, "p");
    base = t_alloc(m, pid, 16 * PAGE_SIZE, PAGE_READWRITE);
    touch(m, pid, base);
    cr_assert_eq(mm_set_next_use(m, pid, base, 5), STATUS_INVALID_PARAMETER, "only under OPT");
    mm_destroy(m);
}

Test(ws, data_page_limit_counts_and_replaces_data_pages_only)
{
    const enum mm_policy policies[] = {MM_POLICY_FIFO, MM_POLICY_CLOCK, MM_POLICY_LRU, MM_POLICY_AGING,
                                       MM_POLICY_OPT};
    for (size_t n = 0; n < sizeof policies / sizeof policies[0]; n++) {
        struct mm_config cfg;
        mm_config_default(&cfg);
        cfg.frames = 256;
        cfg.policy = policies[n];
        struct mm_machine *m = t_machine_cfg(&cfg);
        uint32_t pid = t_process(m, "p");
        cr_assert_eq(mm_set_data_page_limit(m, pid, 3), STATUS_SUCCESS);
        mm_va a = t_alloc(m, pid, 16 * PAGE_SIZE, PAGE_READWRITE);
        mm_va b = 0x00800000u;
        uint32_t size = 16 * PAGE_SIZE;
        cr_assert_eq(mm_allocate(m, pid, &b, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
        t_record(m, &rec);
        for (uint32_t k = 0; k < 8; k++) {
            touch(m, pid, (k & 1 ? b : a) + k * PAGE_SIZE);
            struct mm_ws_breakdown bd;
            cr_assert_eq(mm_ws_breakdown(m, pid, &bd), STATUS_SUCCESS);
            cr_assert_eq(bd.data, k < 3 ? k + 1 : 3u, "%s, reference %u", mm_policy_name(policies[n]), k);
            cr_assert_eq(bd.page_tables, k == 0 ? 1u : 2u);
            cr_assert_eq(bd.locked, 3u);
        }
        mm_set_sink(m, NULL, NULL);
        cr_assert_eq(removals(&rec, MM_WS_REPLACE), 5u, "%s", mm_policy_name(policies[n]));
        for (uint32_t i = 0; i < rec.count; i++)
            if (rec.ev[i].kind == MM_EV_WSLE && !rec.ev[i].u.wsle.inserted)
                cr_assert_lt(rec.ev[i].u.wsle.va, 0x80000000u, "%s took 0x%08X", mm_policy_name(policies[n]),
                             rec.ev[i].u.wsle.va);
        cr_assert_eq(mm_working_set(m, pid)->replacements, 5u);
        /* lowering the limit trims to it at once; 0 lifts it */
        cr_assert_eq(mm_set_data_page_limit(m, pid, 1), STATUS_SUCCESS);
        cr_assert_eq(mm_working_set(m, pid)->data_pages, 1u);
        cr_assert_eq(mm_set_data_page_limit(m, pid, 0), STATUS_SUCCESS);
        touch(m, pid, a);
        touch(m, pid, a + PAGE_SIZE);
        cr_assert_eq(mm_working_set(m, pid)->data_pages, 3u);
        cr_assert_eq(mm_set_data_page_limit(m, pid, 1048577u), STATUS_INVALID_PARAMETER);
        cr_assert_eq(mm_set_data_page_limit(m, 99, 1), STATUS_INVALID_CID);
        t_check(m);
        mm_destroy(m);
    }
}

Test(ws, policy_names_round_trip)
{
    for (unsigned p = 0; p < MM_POLICY_COUNT; p++) {
        enum mm_policy back;
        cr_assert(mm_policy_from_name(mm_policy_name((enum mm_policy)p), &back));
        cr_assert_eq(back, (enum mm_policy)p);
    }
    enum mm_policy q = MM_POLICY_FIFO;
    cr_assert_not(mm_policy_from_name("CLOCK", &q), "names are lower case");
    cr_assert_str_eq(mm_policy_name(MM_POLICY_CLOCK), "clock");
    cr_assert_str_eq(mm_policy_name(MM_POLICY_AGING), "aging");
    cr_assert_str_eq(mm_policy_name(MM_POLICY_COUNT), "?");
    struct mm_config cfg;
    mm_config_default(&cfg);
    cr_assert_eq(cfg.policy, MM_POLICY_AGING, "NT's aging is the default");
}

Test(ws, the_checker_notices_a_broken_replacement_queue)
{
    struct mm_machine *m = small_ws_machine(MM_POLICY_LRU);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 16 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t k = 0; k < 3; k++)
        touch(m, pid, base + k * PAGE_SIZE);
    struct mm_wsl *ws = &m->process[pid - 1].ws;
    char msg[256];
    uint32_t second = ws->link[ws->queue[WS_QUEUE_DATA].head].next;
    ws->link[second].prev = WSLE_NULL_INDEX;
    cr_assert_not(mm_check(m, msg, sizeof msg));
    cr_assert(strstr(msg, "replacement queue 0 is broken"), "%s", msg);
    ws->link[second].prev = ws->queue[WS_QUEUE_DATA].head;
    ws->data_pages++;
    cr_assert_not(mm_check(m, msg, sizeof msg));
    cr_assert(strstr(msg, "data_pages 4"), "%s", msg);
    ws->data_pages--;
    t_check(m);
    mm_destroy(m);
}

/* The policy's order, first victims first, read without walking the whole
 * set: OPT's first pages taken from its heap in order (next use farthest
 * first, ties first in first), FIFO's from its queue; the count is always
 * every data page of the set. */
Test(ws, the_policy_order_lists_the_first_victims_and_counts_them_all)
{
    for (int pol = 0; pol < 2; pol++) {
        struct mm_config cfg;
        mm_config_default(&cfg);
        cfg.frames = 1024;
        cfg.pagefile_pages[0] = 1024;
        cfg.policy = pol ? MM_POLICY_OPT : MM_POLICY_FIFO;
        cfg.ws_minimum = 4;
        cfg.ws_maximum = 600;
        struct mm_machine *m = t_machine_cfg(&cfg);
        uint32_t pid = t_process(m, "p");
        mm_va base = t_alloc(m, pid, 300 * PAGE_SIZE, PAGE_READWRITE);
        static uint64_t next[300];
        struct t_rng rng = {0x9E3779B97F4A7C15ull};
        for (uint32_t k = 0; k < 300; k++) {
            touch(m, pid, base + k * PAGE_SIZE);
            next[k] = k % 7 == 0 ? UINT64_MAX - 1 : t_below(&rng, 50);   /* many ties */
            if (pol)
                cr_assert_eq(mm_set_next_use(m, pid, base + k * PAGE_SIZE, next[k]), STATUS_SUCCESS);
        }
        mm_va order[16];
        cr_assert_eq(mm_ws_policy_order(m, pid, order, 16), 300u);
        /* the expected first 16: a selection over every page */
        bool taken[300] = {false};
        for (uint32_t n = 0; n < 16; n++) {
            uint32_t best = 300;
            for (uint32_t k = 0; k < 300; k++)
                if (!taken[k] && (best == 300 || (pol && next[k] > next[best])))
                    best = k;   /* FIFO: the first not taken; OPT: farthest, the earliest of a tie */
            taken[best] = true;
            cr_assert_eq(order[n], base + best * PAGE_SIZE, "%s place %u: 0x%08X, expected page %u",
                         pol ? "opt" : "fifo", n, order[n], best);
        }
        t_check(m);
        mm_destroy(m);
    }
}

/* ---- Compacting the list (MiRemoveWorkingSetPages) ---- */

static const enum mm_policy every_policy[5] = {MM_POLICY_FIFO, MM_POLICY_LRU, MM_POLICY_CLOCK, MM_POLICY_AGING,
                                               MM_POLICY_OPT};

static void decommit(struct mm_machine *m, uint32_t pid, mm_va va)
{
    uint32_t size = PAGE_SIZE;
    cr_assert_eq(mm_free(m, pid, &va, &size, MEM_DECOMMIT), STATUS_SUCCESS);
}

/* Entries >= FirstDynamic up to LastEntry are all valid. */
static void check_dense(const struct mm_wsl *ws)
{
    for (uint32_t i = ws->first_dynamic; i <= ws->last_entry; i++)
        cr_assert(wsle_valid(ws->wsle[i]), "entry %u below LastEntry %u is free", i, ws->last_entry);
}

/* After a compaction: dense, every frame's WsIndex its entry, and the
 * whole check (hash, queues, the free list's order). */
static void check_compacted(const struct mm_machine *m, uint32_t pid)
{
    check_dense(mm_working_set(m, pid));
    check_ws_index(m, pid);
    t_check(m);
}

Test(ws, compaction_moves_the_highest_entries_into_the_lowest_free_ones)
{
    struct mm_machine *m = t_machine(256, 256);
    uint32_t pid = t_process(m, "p");
    mm_va base = t_alloc(m, pid, 16 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t k = 0; k < 12; k++)
        touch(m, pid, base + k * PAGE_SIZE);   /* the table at 3, page k at 4 + k */
    const struct mm_wsl *ws = mm_working_set(m, pid);
    cr_assert_eq(ws->last_entry, 15u);
    for (uint32_t k = 1; k <= 5; k += 2)
        decommit(m, pid, base + k * PAGE_SIZE);   /* entries 5, 7 and 9 go */
    cr_assert_eq(ws->last_entry, 15u, "freeing leaves LastEntry where it was");
    t_record(m, &rec);
    cr_assert_eq(ws_compact(m, process_get(m, pid)), 3u);
    mm_set_sink(m, NULL, NULL);
    /* 15 -> 5, 14 -> 7, 13 -> 9: pages 11, 10 and 9 */
    static const uint32_t from[3] = {15, 14, 13}, to[3] = {5, 7, 9}, page[3] = {11, 10, 9};
    cr_assert_eq(t_count(&rec, MM_EV_WSLE), 6u, "one pair of events a move");
    for (uint32_t k = 0; k < 3; k++) {
        const struct mm_event *out = t_find(&rec, MM_EV_WSLE, 2 * k), *in = t_find(&rec, MM_EV_WSLE, 2 * k + 1);
        cr_assert(!out->u.wsle.inserted && in->u.wsle.inserted);
        cr_assert_eq(out->u.wsle.why, MM_WS_COMPACT);
        cr_assert_eq(in->u.wsle.why, MM_WS_COMPACT);
        cr_assert_eq(out->u.wsle.index, from[k]);
        cr_assert_eq(in->u.wsle.index, to[k]);
        cr_assert_eq(in->u.wsle.va, base + page[k] * PAGE_SIZE);
        cr_assert_eq(index_of(ws, base + page[k] * PAGE_SIZE), to[k]);
    }
    cr_assert_eq(ws->last_entry, 12u);
    cr_assert_eq(ws->next_slot, 3u);
    cr_assert_eq(ws->size, 13u);
    check_dense(ws);
    check_ws_index(m, pid);   /* every frame's WsIndex followed its entry */
    t_check(m);               /* hash, queues and the free list's order (I6) */
    /* the free entries above are taken in index order */
    touch(m, pid, base + 12 * PAGE_SIZE);
    cr_assert_eq(index_of(ws, base + 12 * PAGE_SIZE), 13u);
    decommit(m, pid, base);
    touch(m, pid, base + 13 * PAGE_SIZE);
    cr_assert_eq(index_of(ws, base + 13 * PAGE_SIZE), 4u, "the entry just freed first");
    touch(m, pid, base + 14 * PAGE_SIZE);
    cr_assert_eq(index_of(ws, base + 14 * PAGE_SIZE), 14u);
    cr_assert_eq(ws->last_entry, 14u);
    cr_assert_eq(ws_compact(m, process_get(m, pid)), 0u, "a dense list stays as it is");
    cr_assert_eq(ws->last_entry, 14u);
    t_check(m);
    mm_destroy(m);
}

/* Compaction changes indexes, never the order FIFO, LRU and OPT replace in. */
Test(ws, compaction_keeps_the_replacement_order)
{
    static const enum mm_policy policies[3] = {MM_POLICY_FIFO, MM_POLICY_LRU, MM_POLICY_OPT};
    for (uint32_t k = 0; k < 3; k++) {
        struct mm_config cfg;
        mm_config_default(&cfg);
        cfg.frames = 512;
        cfg.pagefile_pages[0] = 512;
        cfg.policy = policies[k];
        struct mm_machine *m = t_machine_cfg(&cfg);
        uint32_t pid = t_process(m, "p");
        cr_assert_eq(mm_set_ws_limits(m, pid, 4, 300), STATUS_SUCCESS);
        mm_va base = t_alloc(m, pid, 200 * PAGE_SIZE, PAGE_READWRITE);
        for (uint32_t i = 0; i < 200; i++) {
            touch(m, pid, base + (i * 37 % 200) * PAGE_SIZE);
            if (policies[k] == MM_POLICY_OPT)
                cr_assert_eq(mm_set_next_use(m, pid, base + (i * 37 % 200) * PAGE_SIZE, (i * 7919u) % 1000u),
                             STATUS_SUCCESS);
        }
        for (uint32_t i = 0; i < 200; i += 3)
            look(m, pid, base + i * PAGE_SIZE);   /* LRU order moves */
        for (uint32_t i = 0; i < 200; i += 2)
            decommit(m, pid, base + i * PAGE_SIZE);
        mm_va before[100], after[100];
        cr_assert_eq(mm_ws_policy_order(m, pid, before, 100), 100u);
        cr_assert_gt(ws_compact(m, process_get(m, pid)), 0u);
        cr_assert_eq(mm_ws_policy_order(m, pid, after, 100), 100u);
        cr_assert_arr_eq(before, after, sizeof before, "%s", mm_policy_name(policies[k]));
        check_compacted(m, pid);
        mm_destroy(m);
    }
}

/* 4,096 frames, a soft maximum of 300. */
static struct mm_machine *big_ws_machine(enum mm_policy policy) { return plenty_machine(4096, policy, 300); }

/* NT's test at the end of a trim (ws_compact_if_sparse): compact once
 * LastEntry is more than a page of entries and 15 above both the size and
 * the maximum, or only the locked entries are left. */
Test(ws, the_test_after_a_trim_compacts_a_list_a_page_above_size_and_maximum)
{
    struct mm_machine *m = big_ws_machine(MM_POLICY_FIFO);
    uint32_t pid = t_process(m, "p");
    struct mm_process *p = process_get(m, pid);
    const struct mm_wsl *ws = mm_working_set(m, pid);
    mm_va base = t_alloc(m, pid, 2500 * PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_set_ws_limits(m, pid, 4, 3000), STATUS_SUCCESS);
    for (uint32_t k = 0; k < 2500; k++)
        touch(m, pid, base + k * PAGE_SIZE);
    cr_assert_eq(ws->size, 2506u, "3 locked, 3 page tables, 2,500 pages");
    uint32_t last = ws->last_entry;
    cr_assert_eq(last, 2505u);
    ws_compact_if_sparse(m, p);
    cr_assert_eq(ws->last_entry, last, "dense: nothing to do");
    /* the limit: LastEntry must be more than 1,039 above both */
    for (uint32_t k = 0; k < 1040; k++)
        decommit(m, pid, base + k * PAGE_SIZE);
    cr_assert_eq(ws->size, 1466u);
    p->ws.maximum = 1000;   /* set directly: mm_set_ws_limits would trim */
    ws_compact_if_sparse(m, p);
    cr_assert_eq(ws->last_entry, last, "1,466 + 1,039 is LastEntry");
    decommit(m, pid, base + 1040 * PAGE_SIZE);
    p->ws.maximum = 1466;
    ws_compact_if_sparse(m, p);
    cr_assert_eq(ws->last_entry, last, "the maximum: 1,466 + 1,039 is LastEntry");
    p->ws.maximum = 1465;
    ws_compact_if_sparse(m, p);
    cr_assert_eq(ws->last_entry, 1464u, "1,465 + 1,039 < 2,505 for both: compacted");
    check_compacted(m, pid);
    mm_destroy(m);

    /* with only the locked entries left, whatever the numbers */
    m = t_machine(256, 256);
    pid = t_process(m, "p");
    p = process_get(m, pid);
    ws = mm_working_set(m, pid);
    base = t_alloc(m, pid, 8 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t k = 0; k < 8; k++)
        touch(m, pid, base + k * PAGE_SIZE);
    uint32_t size = 0;
    mm_va at = base;
    cr_assert_eq(mm_free(m, pid, &at, &size, MEM_RELEASE), STATUS_SUCCESS);   /* the table goes too */
    cr_assert_eq(ws->size, 3u);
    cr_assert_eq(ws->last_entry, 11u);
    ws_compact_if_sparse(m, p);
    cr_assert_eq(ws->last_entry, 2u, "below FirstDynamic: no dynamic entry");
    cr_assert_eq(ws->first_free, 3u);
    t_check(m);
    touch(m, pid, t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE));
    cr_assert_eq(ws->last_entry, 4u, "the next table and page take entries 3 and 4");
    t_check(m);
    mm_destroy(m);
}

/* The working-set manager compacts the sets it trimmed. */
Test(ws, the_working_set_manager_compacts_a_set_it_trimmed_back)
{
    struct mm_machine *m = big_ws_machine(MM_POLICY_AGING);
    uint32_t pid = t_process(m, "p"), hog = t_process(m, "hog");
    const struct mm_wsl *ws = mm_working_set(m, pid);
    mm_va base = t_alloc(m, pid, 1500 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t i = 0; i < 1500; i++)
        touch(m, pid, base + i * PAGE_SIZE);
    cr_assert_eq(ws->last_entry, 1504u, "past the soft maximum while memory is plentiful");
    cr_assert_eq(mm_set_ws_limits(m, hog, 4, 4000), STATUS_SUCCESS);
    mm_va h = t_alloc(m, hog, 4000 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t i = 0; mm_available_pages(m) >= 64; i++)
        touch(m, hog, h + i * PAGE_SIZE);
    t_record(m, &rec);
    cr_assert_geq(mm_run_ws_manager(m), 1205u);
    mm_set_sink(m, NULL, NULL);
    cr_assert_eq(ws->size, 300u, "trimmed back to its maximum");
    cr_assert_gt(removals(&rec, MM_WS_COMPACT), 0u);
    cr_assert_eq(ws->last_entry, 299u, "and compacted: 300 + 1,039 < 1,504");
    check_compacted(m, pid);
    mm_destroy(m);
}

/* A trim compacts once, at its end, whatever it removed on the way and
 * whatever the policy. */
Test(ws, a_large_trim_compacts_the_list_once_at_its_end)
{
    const enum mm_policy *policies = every_policy;
    for (uint32_t k = 0; k < 5; k++) {
        struct mm_machine *m = big_ws_machine(policies[k]);
        uint32_t pid = t_process(m, "p");
        const struct mm_wsl *ws = mm_working_set(m, pid);
        cr_assert_eq(mm_set_ws_limits(m, pid, 4, 4000), STATUS_SUCCESS);
        mm_va base = t_alloc(m, pid, 3000 * PAGE_SIZE, PAGE_READWRITE);
        for (uint32_t i = 0; i < 3000; i++)
            touch(m, pid, base + i * PAGE_SIZE);
        t_record(m, &rec);
        cr_assert_eq(mm_set_ws_limits(m, pid, 4, 10), STATUS_SUCCESS);
        mm_set_sink(m, NULL, NULL);
        cr_assert_eq(ws->size, 10u);
        cr_assert_eq(ws->last_entry, 9u, "%s", mm_policy_name(policies[k]));
        cr_assert_leq(removals(&rec, MM_WS_COMPACT), 10u - 3u, "%s: only the entries left move, once",
                      mm_policy_name(policies[k]));
        t_check(m);
        mm_destroy(m);
    }
}

/* Pages freed from a set above its soft maximum leave free entries below
 * LastEntry; once memory is short a fault replaces, and its victim search
 * would pass them all. The list is compacted first. */
Test(ws, a_victim_search_passes_at_most_a_page_of_free_entries)
{
    static const enum mm_policy policies[2] = {MM_POLICY_CLOCK, MM_POLICY_AGING};
    for (uint32_t k = 0; k < 2; k++) {
        struct mm_machine *m = big_ws_machine(policies[k]);
        uint32_t pid = t_process(m, "p"), hog = t_process(m, "hog");
        const struct mm_wsl *ws = mm_working_set(m, pid);
        mm_va base = t_alloc(m, pid, 2000 * PAGE_SIZE, PAGE_READWRITE);
        for (uint32_t i = 0; i < 1900; i++)
            touch(m, pid, base + i * PAGE_SIZE);
        for (uint32_t i = 0; i < 1500; i++)
            decommit(m, pid, base + i * PAGE_SIZE);
        uint32_t last = ws->last_entry;
        cr_assert_gt(last, ws->size + WS_COMPACT_SLACK);
        cr_assert_gt(ws->size, ws->maximum);
        cr_assert_eq(mm_set_ws_limits(m, hog, 4, 4000), STATUS_SUCCESS);
        mm_va h = t_alloc(m, hog, 4000 * PAGE_SIZE, PAGE_READWRITE);
        for (uint32_t i = 0; mm_available_pages(m) >= 64; i++)
            touch(m, hog, h + i * PAGE_SIZE);
        cr_assert_eq(ws->last_entry, last, "nothing compacted the list yet");
        uint32_t size = ws->size;
        t_record(m, &rec);
        touch(m, pid, base + 1999 * PAGE_SIZE);
        mm_set_sink(m, NULL, NULL);
        cr_assert_eq(ws->size, size, "%s: a page was replaced", mm_policy_name(policies[k]));
        cr_assert_eq(removals(&rec, MM_WS_REPLACE), 1u);
        cr_assert_gt(removals(&rec, MM_WS_COMPACT), 0u, "compacted before the search");
        cr_assert_leq(ws->last_entry, ws->size, "%s: LastEntry %u, size %u", mm_policy_name(policies[k]),
                      ws->last_entry, ws->size);
        check_ws_index(m, pid);
        t_check(m);
        mm_destroy(m);
    }
}

/* Compaction at any moment, amid faults, frees, trims and replacement
 * under each policy, keeps every invariant and the order the policy
 * replaces in (FIFO, LRU, OPT; clock and aging restart their hand). */
Test(ws, compaction_at_any_moment_keeps_the_invariants)
{
    const enum mm_policy *policies = every_policy;
    for (uint32_t k = 0; k < 5; k++) {
        struct mm_config cfg;
        mm_config_default(&cfg);
        cfg.frames = 512;
        cfg.pagefile_pages[0] = 1024;
        cfg.policy = policies[k];
        struct mm_machine *m = t_machine_cfg(&cfg);
        uint32_t pid = t_process(m, "p");
        struct mm_process *p = process_get(m, pid);
        cr_assert_eq(mm_set_ws_limits(m, pid, 4, 120), STATUS_SUCCESS);
        enum { PAGES = 400 };
        mm_va base = t_alloc(m, pid, PAGES * PAGE_SIZE, PAGE_READWRITE);
        bool committed[PAGES];
        for (uint32_t i = 0; i < PAGES; i++)
            committed[i] = true;
        uint32_t seed = 12345u + k, compactions = 0, moved = 0;
        for (uint32_t step = 0; step < 3000; step++) {
            seed = seed * 1103515245u + 12345u;
            uint32_t r = seed >> 8, page = r % PAGES;
            mm_va va = base + page * PAGE_SIZE;
            switch ((r >> 12) % 20) {
            case 0: case 1: case 3: case 4:
                if (committed[page]) {
                    decommit(m, pid, va);
                    committed[page] = false;
                }
                break;
            case 5: (void)mm_trim(m, pid, (r >> 16) % 40); break;
            case 2: {
                mm_va order[64], again[64];
                uint32_t n = mm_ws_policy_order(m, pid, order, 64);
                moved += ws_compact(m, p);
                compactions++;
                cr_assert_eq(mm_ws_policy_order(m, pid, again, 64), n);
                if (policies[k] != MM_POLICY_CLOCK && policies[k] != MM_POLICY_AGING)
                    cr_assert_arr_eq(order, again, (n < 64 ? n : 64) * sizeof order[0], "%s, step %u",
                                     mm_policy_name(policies[k]), step);
                check_compacted(m, pid);
                break;
            }
            default:
                if (!committed[page]) {
                    uint32_t size = PAGE_SIZE;
                    cr_assert_eq(mm_allocate(m, pid, &va, &size, MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
                    committed[page] = true;
                }
                touch(m, pid, va);
                if (policies[k] == MM_POLICY_OPT)
                    cr_assert_eq(mm_set_next_use(m, pid, va, (r >> 4) % 5000u), STATUS_SUCCESS);
                break;
            }
            if (step % 100 == 0)
                t_check(m);
        }
        cr_assert_gt(compactions, 100u);
        cr_assert_gt(moved, 300u, "%s: the compactions moved %u entries", mm_policy_name(policies[k]), moved);
        t_check(m);
        mm_destroy(m);
    }
}
