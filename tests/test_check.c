/*
 * test_check.c - the invariant checker (sim/check.c) catches corruption.
 *
 * A busy machine (pages on every list, paging-file slots in use, a loaded
 * TLB) passes mm_check. Then, in a fresh busy machine each time, exactly
 * one thing is broken behind the engine's back and mm_check must fail
 * naming the right invariant (docs/invariants.md numbering). These
 * machines are broken on purpose, so the tests end with mm_destroy only.
 */
#include <stdio.h>
#include <string.h>

#include "support.h"

#include "machine.h"
#include "pagetable.h"

struct busy {
    struct mm_machine *m;
    uint32_t pid[3];
    mm_va base[3];
};

#define BUSY_PAGES 20

static void fill(struct mm_machine *m, uint32_t pid, mm_va base, uint32_t pages, uint32_t seed)
{
    for (uint32_t k = 0; k < pages; k++)
        for (uint32_t off = 0; off < 4096; off += 256)
            cr_assert_eq(mm_write32(m, pid, base + k * 4096u + off, seed * 0x9E3779B9u + k * 4096u + off + 1),
                         STATUS_SUCCESS);
}

static uint32_t total(const struct mm_machine *m, enum mm_list l) { return m->list[l].total; }

/* Three processes on 64 frames (they need 72), some pages trimmed dirty,
 * some written, some purged to the paging file, some freed and zeroed. */
static void build_busy(struct busy *b)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = 64;
    cfg.pagefile_pages[0] = 512;
    cfg.ws_minimum = 4;
    cfg.write_cluster = 4;
    cfg.tlb_entries = 16;
    b->m = t_machine_cfg(&cfg);
    struct mm_machine *m = b->m;
    for (int i = 0; i < 3; i++) {
        b->pid[i] = t_process(m, "busy");
        b->base[i] = t_alloc(m, b->pid[i], BUSY_PAGES * 4096, PAGE_READWRITE);
    }
    for (int i = 0; i < 3; i++)
        fill(m, b->pid[i], b->base[i], BUSY_PAGES, (uint32_t)i + 1);
    /* pages left in the paging file only: purge every standby page */
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    /* some freed and zeroed, some freed and not */
    mm_va va = b->base[2] + 16 * 4096u;
    uint32_t size = 2 * 4096;
    cr_assert_eq(mm_free(m, b->pid[2], &va, &size, MEM_DECOMMIT), STATUS_SUCCESS);
    mm_run_zero_thread(m);
    va = b->base[2] + 18 * 4096u;
    size = 2 * 4096;
    cr_assert_eq(mm_free(m, b->pid[2], &va, &size, MEM_DECOMMIT), STATUS_SUCCESS);
    /* clean pages on Standby, dirty ones on Modified */
    cr_assert_eq(mm_trim(m, b->pid[1], 4), 4u);
    t_flush(m);
    for (uint32_t off = 0; off < 4096; off += 512)
        cr_assert_eq(mm_write32(m, b->pid[0], b->base[0] + 4 * 4096u + off, 7), STATUS_SUCCESS);
    cr_assert_eq(mm_trim(m, b->pid[0], 3), 3u);
    /* process 1 is current, with translations in the TLB */
    for (uint32_t k = 0; k < 4; k++) {
        uint32_t v;
        cr_assert_eq(mm_read32(m, b->pid[1], b->base[1] + (BUSY_PAGES - 1 - k) * 4096u, &v), STATUS_SUCCESS);
    }

    char msg[512];
    cr_assert(mm_check(m, msg, sizeof msg), "the busy machine must be sound: %s", msg);
    cr_assert_gt(total(m, ZeroedPageList), 0u);
    cr_assert_gt(total(m, FreePageList), 0u);
    cr_assert_gt(total(m, StandbyPageList), 1u);
    cr_assert_gt(total(m, ModifiedPageList), 0u);
    cr_assert_gt(m->pagefile[0].used, 0u);
}

static void expect_broken(const struct mm_machine *m, const char *invariant)
{
    char msg[512];
    msg[0] = '\0';
    bool ok = mm_check(m, msg, sizeof msg);
    cr_assert_not(ok, "the corruption went unnoticed (expected %s)", invariant);
    size_t n = strlen(invariant);
    cr_assert(strncmp(msg, invariant, n) == 0, "expected %s, got \"%s\"", invariant, msg);
}

/* A valid data page of the current process and where its PTE lives. */
static mm_pfn valid_page(struct busy *b, uint32_t *pid, mm_va *va, struct mm_walk *w)
{
    for (uint32_t k = BUSY_PAGES; k-- > 0;) {
        *pid = b->pid[1];
        *va = b->base[1] + k * 4096u;
        cr_assert_eq(mm_walk(b->m, *pid, *va, w), STATUS_SUCCESS);
        if (w->valid)
            return w->frame;
    }
    cr_assert_fail("no valid page");
    return 0;
}

/* A page of any process whose PTE is in transition form. */
static mm_pfn transition_page(struct busy *b, struct mm_walk *w)
{
    for (int i = 0; i < 3; i++)
        for (uint32_t k = 0; k < BUSY_PAGES; k++) {
            cr_assert_eq(mm_walk(b->m, b->pid[i], b->base[i] + k * 4096u, w), STATUS_SUCCESS);
            if (w->form == PTE_FORM_TRANSITION && t_location(b->m, pte_frame(w->pte)) == StandbyPageList)
                return pte_frame(w->pte);
        }
    cr_assert_fail("no standby page");
    return 0;
}

Test(check, busy_machine_passes)
{
    struct busy b;
    build_busy(&b);
    /* and it stays sound through more work */
    for (int i = 0; i < 3; i++) {
        fill(b.m, b.pid[i], b.base[i], 12, (uint32_t)i + 10);
        t_check(b.m);
    }
    mm_tick(b.m, 5);
    t_check(b.m);
    mm_destroy(b.m);
}

Test(check, i1_list_total)
{
    struct busy b;
    build_busy(&b);
    b.m->list[ModifiedPageList].total++;
    expect_broken(b.m, "I1:");
    mm_destroy(b.m);
}

Test(check, i1_standby_total_across_priorities)
{
    struct busy b;
    build_busy(&b);
    b.m->list[StandbyPageList].total--;
    expect_broken(b.m, "I1:");
    mm_destroy(b.m);
}

Test(check, i1_blink)
{
    struct busy b;
    build_busy(&b);
    struct mm_list_head *h = &b.m->standby[MM_DEFAULT_PRIORITY];
    cr_assert_geq(h->total, 2u);
    mm_pfn second = b.m->pfn[h->first].u1.flink;
    b.m->pfn[second].u2.blink = MM_EMPTY_LIST;
    expect_broken(b.m, "I1:");
    mm_destroy(b.m);
}

Test(check, i1_location_disagrees_with_list)
{
    struct busy b;
    build_busy(&b);
    mm_pfn f = b.m->list[FreePageList].first;
    pfn_set_location(&b.m->pfn[f], ZeroedPageList);
    expect_broken(b.m, "I1:");
    mm_destroy(b.m);
}

Test(check, i2_data_in_a_zeroed_frame)
{
    struct busy b;
    build_busy(&b);
    mm_pfn f = b.m->list[ZeroedPageList].first;
    cr_assert(phys_write32(&b.m->phys, f, 100, 0xDEADBEEFu));
    expect_broken(b.m, "I2:");
    mm_destroy(b.m);
}

Test(check, i3_pte_address)
{
    struct busy b;
    build_busy(&b);
    uint32_t pid;
    mm_va va;
    struct mm_walk w;
    mm_pfn f = valid_page(&b, &pid, &va, &w);
    b.m->pfn[f].pte_address += 4;
    expect_broken(b.m, "I3:");
    mm_destroy(b.m);
}

Test(check, i3_share_count_of_a_data_page)
{
    struct busy b;
    build_busy(&b);
    uint32_t pid;
    mm_va va;
    struct mm_walk w;
    mm_pfn f = valid_page(&b, &pid, &va, &w);
    b.m->pfn[f].u2.share_count = 2;
    expect_broken(b.m, "I3:");
    mm_destroy(b.m);
}

Test(check, i3_valid_pte_names_a_free_frame)
{
    struct busy b;
    build_busy(&b);
    uint32_t pid;
    mm_va va;
    struct mm_walk w;
    valid_page(&b, &pid, &va, &w);
    mm_pfn free_frame = b.m->list[ZeroedPageList].first;
    mm_pte forged = (free_frame << PAGE_SHIFT) | (w.pte & 0xFFFu);
    cr_assert(phys_write32(&b.m->phys, w.pte_pa >> PAGE_SHIFT, w.pte_pa & 0xFFFu, forged));
    cr_assert_eq(t_pte(b.m, pid, va), forged);
    expect_broken(b.m, "I3:");
    mm_destroy(b.m);
}

Test(check, i4_transition_frame_points_elsewhere)
{
    struct busy b;
    build_busy(&b);
    struct mm_walk w;
    mm_pfn f = transition_page(&b, &w);
    b.m->pfn[f].pte_address += 4;
    expect_broken(b.m, "I4:");
    mm_destroy(b.m);
}

Test(check, i5_share_count_of_a_page_table)
{
    struct busy b;
    build_busy(&b);
    struct mm_walk w;
    cr_assert_eq(mm_walk(b.m, b.pid[2], b.base[2], &w), STATUS_SUCCESS);
    cr_assert(w.pde_valid);
    b.m->pfn[pte_frame(w.pde)].u2.share_count++;
    expect_broken(b.m, "I5:");
    mm_destroy(b.m);
}

Test(check, i5_used_pte_count)
{
    struct busy b;
    build_busy(&b);
    b.m->process[b.pid[2] - 1].used_ptes[VA_PDI(b.base[2])]--;
    expect_broken(b.m, "I5:");
    mm_destroy(b.m);
}

Test(check, i6_wsle_names_another_page)
{
    struct busy b;
    build_busy(&b);
    uint32_t pid;
    mm_va va;
    struct mm_walk w;
    mm_pfn f = valid_page(&b, &pid, &va, &w);
    struct mm_wsl *ws = &b.m->process[pid - 1].ws;
    uint32_t i = b.m->pfn[f].u1.ws_index;
    cr_assert_eq(wsle_va(ws->wsle[i]), va);
    ws->wsle[i] = (ws->wsle[i] & 0xFFFu) | (va + 0x100000u);
    expect_broken(b.m, "I6:");
    mm_destroy(b.m);
}

Test(check, i6_working_set_size)
{
    struct busy b;
    build_busy(&b);
    b.m->process[b.pid[0] - 1].ws.size++;
    char want[64];   /* the count itself is named, not a symptom further on */
    snprintf(want, sizeof want, "I6: process %u: ", b.pid[0]);
    expect_broken(b.m, want);
    mm_destroy(b.m);
}

Test(check, i7_standby_page_marked_modified)
{
    struct busy b;
    build_busy(&b);
    struct mm_walk w;
    mm_pfn f = transition_page(&b, &w);
    pfn_set_flag(&b.m->pfn[f], PFN_MODIFIED);
    expect_broken(b.m, "I7:");
    mm_destroy(b.m);
}

Test(check, i8_slot_in_use_that_nothing_names)
{
    struct busy b;
    build_busy(&b);
    struct mm_pagefile *pf = &b.m->pagefile[0];
    uint32_t s = 1;
    while (pagefile_slot_used(pf, s))
        s++;
    cr_assert_lt(s, pf->size);
    pf->bitmap[s / 32] |= 1u << (s % 32);
    pf->used++;
    expect_broken(b.m, "I8:");
    mm_destroy(b.m);
}

Test(check, i8_pte_names_a_free_slot)
{
    struct busy b;
    build_busy(&b);
    struct mm_walk w;
    bool found = false;
    for (uint32_t k = 0; k < BUSY_PAGES && !found; k++) {
        cr_assert_eq(mm_walk(b.m, b.pid[0], b.base[0] + k * 4096u, &w), STATUS_SUCCESS);
        found = w.form == PTE_FORM_PAGEFILE;
    }
    cr_assert(found, "the busy machine has a page in the paging file only");
    struct mm_pagefile *pf = &b.m->pagefile[0];
    uint32_t s = pte_pagefile_offset(w.pte);
    cr_assert(pagefile_slot_used(pf, s));
    pf->bitmap[s / 32] &= ~(1u << (s % 32));
    pf->used--;
    expect_broken(b.m, "I8:");
    mm_destroy(b.m);
}

Test(check, i8_slot_named_by_two_ptes)
{
    struct busy b;
    build_busy(&b);
    /* two pages of process 0 in the paging file only: the second's PTE is
     * made to name the first's slot (its own slot stays in use) */
    struct mm_process *p = &b.m->process[b.pid[0] - 1];
    mm_pte first = 0;
    struct pte_loc second = {0, 0};
    for (uint32_t k = 0; k < BUSY_PAGES && !second.pte_va; k++) {
        struct mm_walk w;
        mm_va va = b.base[0] + k * 4096u;
        cr_assert_eq(mm_walk(b.m, b.pid[0], va, &w), STATUS_SUCCESS);
        if (w.form != PTE_FORM_PAGEFILE)
            continue;
        if (!first)
            first = w.pte;
        else
            cr_assert(pt_pte_loc(b.m, p, va, &second));
    }
    cr_assert(first && second.pte_va, "the busy machine has two pages in the paging file only");
    cr_assert(phys_write32(&b.m->phys, second.table, second.pte_va & 0xFFFu, first));
    char want[64];   /* named twice, found before the slot the second one left unnamed */
    snprintf(want, sizeof want, "I8: paging file 0 slot %u is named twice", pte_pagefile_offset(first));
    expect_broken(b.m, want);
    mm_destroy(b.m);
}

Test(check, i9_process_commit_charge)
{
    struct busy b;
    build_busy(&b);
    b.m->process[b.pid[1] - 1].commit_charge++;
    expect_broken(b.m, "I9:");
    mm_destroy(b.m);
}

Test(check, i9_system_commit_total)
{
    struct busy b;
    build_busy(&b);
    b.m->commit_total--;
    expect_broken(b.m, "I9:");
    mm_destroy(b.m);
}

Test(check, i10_tlb_entry_names_the_wrong_frame)
{
    struct busy b;
    build_busy(&b);
    struct tlb_entry *hit = NULL;
    for (uint32_t i = 0; i < b.m->tlb.size && !hit; i++)
        if (b.m->tlb.entry[i].vpn != TLB_INVALID_TAG)
            hit = &b.m->tlb.entry[i];
    cr_assert_not_null(hit, "the TLB holds translations");
    hit->frame = hit->frame + 1 < b.m->frames ? hit->frame + 1 : 0;
    expect_broken(b.m, "I10:");
    mm_destroy(b.m);
}

Test(check, i10_tlb_entry_for_an_unmapped_page)
{
    struct busy b;
    build_busy(&b);
    /* a stale translation: the page was purged to the paging file */
    struct mm_walk w;
    bool found = false;
    mm_va va = 0;
    for (uint32_t k = 0; k < BUSY_PAGES && !found; k++) {
        va = b.base[1] + k * 4096u;
        cr_assert_eq(mm_walk(b.m, b.pid[1], va, &w), STATUS_SUCCESS);
        found = !w.valid;
    }
    cr_assert(found);
    tlb_fill(&b.m->tlb, va, (5u << PAGE_SHIFT) | PTE_VALID | PTE_OWNER | PTE_WRITE);
    expect_broken(b.m, "I10:");
    mm_destroy(b.m);
}

Test(check, message_is_empty_when_sound)
{
    struct busy b;
    build_busy(&b);
    char msg[64];
    memset(msg, 'x', sizeof msg);
    cr_assert(mm_check(b.m, msg, sizeof msg));
    cr_assert_eq(msg[0], '\0');
    cr_assert(mm_check(b.m, NULL, 0), "a NULL buffer is allowed");
    /* a tiny buffer still gets a terminated prefix */
    b.m->commit_total--;
    char tiny[4];
    cr_assert_not(mm_check(b.m, tiny, sizeof tiny));
    cr_assert_str_eq(tiny, "I9:");
    b.m->commit_total++;
    t_check(b.m);
    mm_destroy(b.m);
}

/* ---- I11: sections ---- */

/* Two processes map a 4-page file read-only and read every page: shared
 * clean frames, each named by its prototype PTE and mapped twice. */
static struct mm_machine *shared_file(uint32_t *section, mm_pfn *frame)
{
    struct mm_machine *m = t_machine(64, 256);
    uint32_t file, pid[2] = {t_process(m, "a"), t_process(m, "b")};
    cr_assert_eq(mm_file_create(m, "data.bin", 4, &file), STATUS_SUCCESS);
    for (uint32_t off = 0; off < 4 * PAGE_SIZE; off += PAGE_SIZE)
        cr_assert_eq(mm_file_write32(m, file, off, 0xF11E0000u | off >> 12), STATUS_SUCCESS);
    struct mm_section_params sp = {.name = "s", .pages = 4, .file = file, .protection = PAGE_READONLY};
    cr_assert_eq(mm_create_section(m, &sp, section), STATUS_SUCCESS);
    mm_va base[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        uint32_t pages = 0, v;
        cr_assert_eq(mm_map_view(m, pid[i], *section, &base[i], 0, &pages, PAGE_READONLY), STATUS_SUCCESS);
        for (uint32_t k = 0; k < 4; k++)
            cr_assert_eq(mm_read32(m, pid[i], base[i] + k * PAGE_SIZE, &v), STATUS_SUCCESS);
    }
    struct mm_walk w;
    cr_assert_eq(mm_walk(m, pid[0], base[0], &w), STATUS_SUCCESS);
    cr_assert(w.valid);
    *frame = w.frame;
    t_check(m);
    return m;
}

Test(check, i11_section_counts_a_view_nobody_maps)
{
    uint32_t s;
    mm_pfn f;
    struct mm_machine *m = shared_file(&s, &f);
    m->section[s].views++;
    expect_broken(m, "I11:");
    mm_destroy(m);
}

Test(check, i11_clean_page_of_a_file_differs_from_the_file)
{
    uint32_t s;
    mm_pfn f;
    struct mm_machine *m = shared_file(&s, &f);
    cr_assert_not_null(m->phys.page[f]);
    m->phys.page[f][100] ^= 0x40;   /* a byte the file does not hold, in a page nobody wrote */
    expect_broken(m, "I11:");
    mm_destroy(m);
}

Test(check, i11_shared_frame_names_another_pool_page)
{
    uint32_t s;
    mm_pfn f;
    struct mm_machine *m = shared_file(&s, &f);
    /* the frame's PteFrame names another page than the pool page holding
     * its prototype PTE (the PTE address itself still agrees with the view) */
    pfn_set_pte_frame(&m->pfn[f], pfn_pte_frame(&m->pfn[f]) + 1);
    char want[80];
    snprintf(want, sizeof want, "I11: frame 0x%X of section %u page 0 points at", f, s);
    expect_broken(m, want);
    mm_destroy(m);
}
