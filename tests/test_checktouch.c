/*
 * test_checktouch.c - the check of what a step touched (sim/checktouch.c).
 *
 * A checker is fed the machine's events. A saboteur between the engine and
 * the checker breaks one thing the moment the engine has changed it, as a
 * bug in that step would; the touched check after the step must name the
 * broken invariant, with the same words the whole check uses. The
 * randomized workout (test_random.c, through model.c) shows the other side:
 * on a sound machine the touched check never finds anything.
 */
#include <stdio.h>
#include <string.h>

#include "support.h"

#include "machine.h"
#include "pagetable.h"

struct rig {
    struct mm_machine *m;
    struct mm_checker *c;
    uint32_t pid;
    mm_va base;
    /* the sabotage: on the first event of `kind` about `va`, call `act` */
    enum mm_event_kind kind;
    mm_va va;
    void (*act)(struct rig *r, const struct mm_event *ev);
    bool done;
};

static void sink(void *ctx, const struct mm_event *ev)
{
    struct rig *r = ctx;
    mm_checker_note(r->c, ev);
    if (r->act && !r->done && ev->kind == r->kind) {
        mm_va va = ev->kind == MM_EV_FAULT ? ev->u.fault.va : ev->kind == MM_EV_PTE ? ev->u.pte.va
                 : ev->kind == MM_EV_WSLE ? ev->u.wsle.va : ev->kind == MM_EV_TLB ? ev->u.tlb.va : 0;
        if (ev->kind == MM_EV_PAGE_MOVE || PAGE_ALIGN(va) == PAGE_ALIGN(r->va)) {
            r->done = true;
            r->act(r, ev);
        }
    }
}

static void rig_up(struct rig *r, uint32_t frames)
{
    memset(r, 0, sizeof *r);
    r->m = t_machine(frames, 1024);
    r->c = mm_checker_create(r->m);
    cr_assert_not_null(r->c);
    mm_set_sink(r->m, sink, r);
    r->pid = t_process(r->m, "p");
    r->base = t_alloc(r->m, r->pid, 16 * 4096, PAGE_READWRITE);
    for (uint32_t k = 0; k < 4; k++)
        cr_assert_eq(mm_write32(r->m, r->pid, r->base + k * 4096u, k + 1), STATUS_SUCCESS);
    char msg[512];
    cr_assert(mm_check_touched(r->c, r->m, msg, sizeof msg), "the setup is sound: %s", msg);
}

static void rig_down(struct rig *r)
{
    mm_checker_destroy(r->c);
    mm_destroy(r->m);   /* broken on purpose: no final check */
}

/* Arm the saboteur, run one step (a write to va), and give the touched
 * check's verdict. */
static bool step_write(struct rig *r, mm_va va, char *msg, size_t size)
{
    cr_assert_eq(mm_write32(r->m, r->pid, va, 0x5A5A5A5Au), STATUS_SUCCESS);
    return mm_check_touched(r->c, r->m, msg, size);
}

static void expect_caught(struct rig *r, bool ok, const char *msg, const char *prefix)
{
    cr_assert(r->done, "the sabotage ran");
    cr_assert_not(ok, "the touched check must fail at the step that broke the machine");
    cr_assert(strncmp(msg, prefix, strlen(prefix)) == 0, "expected '%s...', got '%s'", prefix, msg);
    char whole[512];
    cr_assert_not(mm_check(r->m, whole, sizeof whole), "the whole check agrees");
}

static void bump_share(struct rig *r, const struct mm_event *ev)
{
    r->m->pfn[ev->u.fault.frame].u3.reference_count = 2;
}

Test(checktouch, a_fault_that_breaks_its_frame_is_caught_at_its_step)
{
    struct rig r;
    rig_up(&r, 64);
    char msg[512];
    /* a sound step first */
    cr_assert(step_write(&r, r.base + 4 * 4096u, msg, sizeof msg), "%s", msg);
    r.kind = MM_EV_FAULT;
    r.va = r.base + 5 * 4096u;
    r.act = bump_share;
    bool ok = step_write(&r, r.va, msg, sizeof msg);
    char want[128];
    snprintf(want, sizeof want, "I3: frame 0x%X has ShareCount 1 ReferenceCount 2", t_valid_frame(r.m, r.pid, r.va));
    expect_caught(&r, ok, msg, want);
    rig_down(&r);
}

static void miscount_table(struct rig *r, const struct mm_event *ev)
{
    (void)ev;
    r->m->process[r->pid - 1].used_ptes[VA_PDI(r->va)]++;
}

Test(checktouch, a_miscounted_page_table_is_caught)
{
    struct rig r;
    rig_up(&r, 64);
    r.kind = MM_EV_FAULT;
    r.va = r.base + 6 * 4096u;
    r.act = miscount_table;
    char msg[512];
    bool ok = step_write(&r, r.va, msg, sizeof msg);
    expect_caught(&r, ok, msg, "I5: process 1 table");
    rig_down(&r);
}

static void unlink_back(struct rig *r, const struct mm_event *ev)
{
    /* the trimmed frame's Blink goes astray as it reaches its list */
    r->m->pfn[ev->u.move.frame].u2.blink = ev->u.move.frame;
}

Test(checktouch, a_trimmed_frame_with_broken_links_is_caught)
{
    struct rig r;
    rig_up(&r, 64);
    r.kind = MM_EV_PAGE_MOVE;      /* the trimmed page's frame reaches its list */
    r.va = r.base;
    r.act = unlink_back;
    cr_assert_eq(mm_trim(r.m, r.pid, 1), 1u);
    char msg[512];
    bool ok = mm_check_touched(r.c, r.m, msg, sizeof msg);
    expect_caught(&r, ok, msg, "I1: frame 0x");
    cr_assert(strstr(msg, "do not lead back to it"), "%s", msg);
    rig_down(&r);
}

static void stale_tlb(struct rig *r, const struct mm_event *ev)
{
    r->m->tlb.entry[ev->u.tlb.slot].frame ^= 1;
}

Test(checktouch, a_stale_tlb_entry_is_caught)
{
    struct rig r;
    rig_up(&r, 64);
    r.kind = MM_EV_TLB;
    r.va = r.base + 2 * 4096u;
    r.act = stale_tlb;
    uint32_t v;
    cr_assert_eq(mm_read32(r.m, r.pid, r.va, &v), STATUS_SUCCESS);
    char msg[512];
    bool ok = mm_check_touched(r.c, r.m, msg, sizeof msg);
    expect_caught(&r, ok, msg, "I10: TLB maps");
    rig_down(&r);
}

Test(checktouch, a_commit_charge_changed_without_events_is_caught_for_the_noted_process)
{
    struct rig r;
    rig_up(&r, 64);
    mm_va va = 0;
    uint32_t size = 4 * 4096;
    cr_assert_eq(mm_allocate(r.m, r.pid, &va, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    r.m->process[r.pid - 1].commit_charge++;
    r.m->commit_total++;
    mm_checker_note_process(r.c, r.pid);   /* what the replayer does for a step's process */
    char msg[512];
    bool ok = mm_check_touched(r.c, r.m, msg, sizeof msg);
    cr_assert_not(ok);
    cr_assert_str_eq(msg, "I9: process 1 charges 21 pages, its VADs hold 20");
    rig_down(&r);
}

Test(checktouch, a_sound_step_passes_and_clears_the_message)
{
    struct rig r;
    rig_up(&r, 64);
    char msg[512] = "stale";
    cr_assert(step_write(&r, r.base + 7 * 4096u, msg, sizeof msg), "%s", msg);
    cr_assert_str_eq(msg, "");
    /* and a step on a 1,048,576-frame machine: the same few things touched */
    rig_down(&r);
    rig_up(&r, 1u << 20);
    cr_assert(step_write(&r, r.base + 7 * 4096u, msg, sizeof msg), "%s", msg);
    mm_checker_destroy(r.c);
    t_check(r.m);
    mm_destroy(r.m);
}

Test(checktouch, what_no_step_touched_is_left_to_the_whole_check)
{
    struct rig r;
    rig_up(&r, 64);
    /* behind every step's back: a free frame keeps an OriginalPte */
    mm_pfn f = r.m->list[ZeroedPageList].last;   /* frames are taken from the head */
    r.m->pfn[f].original_pte = 0x00000080u;
    char msg[512];
    cr_assert(step_write(&r, r.base + 8 * 4096u, msg, sizeof msg), "not touched, so not seen: %s", msg);
    cr_assert_not(mm_check(r.m, msg, sizeof msg));
    char want[128];
    snprintf(want, sizeof want, "I2: free frame 0x%X still has OriginalPte 0x00000080", f);
    cr_assert_str_eq(msg, want);
    rig_down(&r);
}

Test(checktouch, a_checker_for_another_machine_refuses)
{
    struct rig r;
    rig_up(&r, 64);
    struct mm_machine *other = t_machine(128, 256);
    char msg[512];
    cr_assert_not(mm_check_touched(r.c, other, msg, sizeof msg));
    cr_assert_str_eq(msg, "the checker was made for another machine");
    mm_destroy(other);
    rig_down(&r);
}

Test(checktouch, a_shared_page_broken_at_its_fault_is_caught)
{
    struct rig r;
    rig_up(&r, 64);
    struct mm_section_params sp = {.name = "s", .pages = 4, .file = MM_NO_FILE, .protection = PAGE_READWRITE};
    uint32_t s, pages = 0;
    mm_va view = 0;
    cr_assert_eq(mm_create_section(r.m, &sp, &s), STATUS_SUCCESS);
    cr_assert_eq(mm_map_view(r.m, r.pid, s, &view, 0, &pages, PAGE_READWRITE), STATUS_SUCCESS);
    char msg[512];
    /* a sound step first: the touched check knows shared pages and paged pool */
    cr_assert(step_write(&r, view, msg, sizeof msg), "%s", msg);
    r.kind = MM_EV_FAULT;
    r.va = view + 4096u;
    r.act = bump_share;
    bool ok = step_write(&r, r.va, msg, sizeof msg);
    char want[128];
    snprintf(want, sizeof want, "I11: shared frame 0x%X has ShareCount 1 ReferenceCount 2",
             t_valid_frame(r.m, r.pid, r.va));
    expect_caught(&r, ok, msg, want);
    rig_down(&r);
}

/*
 * What each kind of event names is checked. The events are made by hand,
 * one at a time, after a piece of the machine has been broken behind the
 * engine's back: the touched check misses the damage until an event names
 * it, and then reports it. A step's real events name most things twice
 * (a fault's frame is also in the PTE it made valid), so only events fed
 * one by one show that each kind is read.
 */
static void rig_up_large(struct rig *r)
{
    rig_up(r, 4096);   /* large enough that one page table is cheaper than the whole check */
}

/* The damage is not seen before the event, and is seen after it. */
static void expect_seen_through(struct rig *r, struct mm_event ev, const char *prefix)
{
    char msg[512];
    cr_assert(mm_check_touched(r->c, r->m, msg, sizeof msg), "nothing named it, nothing saw it: %s", msg);
    mm_checker_note(r->c, &ev);
    bool ok = mm_check_touched(r->c, r->m, msg, sizeof msg);
    cr_assert_not(ok, "an event of kind %d names the damage", (int)ev.kind);
    cr_assert(strncmp(msg, prefix, strlen(prefix)) == 0, "expected '%s...', got '%s'", prefix, msg);
    char whole[512];
    cr_assert_not(mm_check(r->m, whole, sizeof whole), "the whole check agrees");
}

/* A zeroed frame that keeps an OriginalPte: wrong whatever names it. */
static mm_pfn spoil_zeroed_frame(struct rig *r, char *want, size_t size)
{
    mm_pfn f = r->m->list[ZeroedPageList].last;
    r->m->pfn[f].original_pte = 0x00000080u;
    snprintf(want, size, "I2: free frame 0x%X still has OriginalPte 0x00000080", f);
    return f;
}

Test(checktouch, a_faults_frame_is_checked)
{
    struct rig r;
    rig_up_large(&r);
    mm_pfn f = t_valid_frame(r.m, r.pid, r.base);
    r.m->pfn[f].u3.reference_count = 2;
    char want[128];
    snprintf(want, sizeof want, "I3: frame 0x%X has ShareCount 1 ReferenceCount 2", f);
    expect_seen_through(&r, (struct mm_event){.kind = MM_EV_FAULT, .pid = r.pid, .u.fault = {.va = r.base, .frame = f}},
                        want);
    rig_down(&r);
}

Test(checktouch, a_moved_frame_is_checked)
{
    struct rig r;
    rig_up_large(&r);
    char want[128];
    mm_pfn f = spoil_zeroed_frame(&r, want, sizeof want);
    expect_seen_through(&r, (struct mm_event){.kind = MM_EV_PAGE_MOVE, .u.move = {.frame = f, .from = FreePageList,
                                                                                  .to = ZeroedPageList}},
                        want);
    rig_down(&r);
}

Test(checktouch, a_paging_io_frame_is_checked)
{
    struct rig r;
    rig_up_large(&r);
    char want[128];
    mm_pfn f = spoil_zeroed_frame(&r, want, sizeof want);
    expect_seen_through(&r, (struct mm_event){.kind = MM_EV_PAGEFILE, .u.io = {.slot = 1, .frame = f}}, want);
    rig_down(&r);
}

/* A PTE event: the PTE of va went from old_value to new_value. */
static struct mm_event pte_event(const struct rig *r, mm_va va, mm_pte old_value, mm_pte new_value)
{
    return (struct mm_event){.kind = MM_EV_PTE, .pid = r->pid,
                             .u.pte = {.pte_va = pte_address(va), .va = va, .old_value = old_value,
                                       .new_value = new_value}};
}

Test(checktouch, the_frames_a_changed_pte_named_and_names_are_checked)
{
    struct rig r;
    rig_up_large(&r);
    char want[128];
    mm_pfn f = spoil_zeroed_frame(&r, want, sizeof want);
    mm_pte naming_f = (mm_pte)f << PAGE_SHIFT | PTE_VALID;
    mm_va va = r.base + 8 * 4096u;   /* not resident: its PTE is zero */
    expect_seen_through(&r, pte_event(&r, va, naming_f, 0), want);
    expect_seen_through(&r, pte_event(&r, va, 0, naming_f), want);
    rig_down(&r);
}

/* base's translation in the TLB goes wrong; its slot. */
static uint32_t spoil_tlb_slot_of_base(struct rig *r)
{
    uint32_t slot = VA_VPN(r->base) & r->m->tlb.mask;
    cr_assert_eq(r->m->tlb.entry[slot].vpn, VA_VPN(r->base), "the setup: base is in the TLB");
    r->m->tlb.entry[slot].frame ^= 1;
    return slot;
}

Test(checktouch, a_changed_ptes_tlb_slot_is_checked)
{
    struct rig r;
    rig_up_large(&r);
    /* a PTE event about base, which leaves its PTE as it was, names the slot */
    spoil_tlb_slot_of_base(&r);
    mm_pte pte = t_pte(r.m, r.pid, r.base);
    expect_seen_through(&r, pte_event(&r, r.base, pte, pte), "I10: TLB maps");
    rig_down(&r);
}

Test(checktouch, a_changed_tlb_slot_is_checked)
{
    struct rig r;
    rig_up_large(&r);
    uint32_t slot = spoil_tlb_slot_of_base(&r);
    expect_seen_through(&r, (struct mm_event){.kind = MM_EV_TLB, .pid = r.pid,
                                              .u.tlb = {.va = r.base, .hit = true, .slot = slot}},
                        "I10: TLB maps");
    rig_down(&r);
}

Test(checktouch, a_changed_pde_has_its_whole_table_checked)
{
    struct rig r;
    rig_up_large(&r);
    /* a PTE the PDE event does not name: base's, made to name a free frame */
    mm_pfn table = pfn_pte_frame(&r.m->pfn[t_valid_frame(r.m, r.pid, r.base)]);
    mm_pfn f = r.m->list[ZeroedPageList].last;
    uint32_t at = pte_address(r.base) & 0xFFFu;
    phys_write32(&r.m->phys, table, at, (phys_read32(&r.m->phys, table, at) & 0xFFFu) | (mm_pte)f << PAGE_SHIFT);
    uint32_t pdi = VA_PDI(r.base);
    mm_pte pde = phys_read32(&r.m->phys, r.m->process[r.pid - 1].directory, pdi * 4u);
    expect_seen_through(&r, (struct mm_event){.kind = MM_EV_PTE, .pid = r.pid,
                                              .u.pte = {.pte_va = PDE_BASE + pdi * 4u, .va = page_table_va(pdi),
                                                        .old_value = pde, .new_value = pde, .is_pde = true}},
                        "I3: ");
    rig_down(&r);
}

Test(checktouch, a_changed_working_set_entry_is_checked)
{
    struct rig r;
    rig_up_large(&r);
    struct mm_wsl *ws = &r.m->process[r.pid - 1].ws;
    uint32_t i = r.m->pfn[t_valid_frame(r.m, r.pid, r.base + 4096u)].u1.ws_index;
    ws->link[i].next = i;   /* the replacement queue loops at base + 1 page */
    char want[128];
    snprintf(want, sizeof want, "I6: process %u replacement queue", r.pid);
    expect_seen_through(&r, (struct mm_event){.kind = MM_EV_WSLE, .pid = r.pid,
                                              .u.wsle = {.index = i, .va = r.base + 4096u, .inserted = true}},
                        want);
    rig_down(&r);
}

Test(checktouch, a_process_whose_directory_changed_has_its_directory_checked)
{
    struct rig r;
    rig_up_large(&r);
    mm_pfn dir = r.m->process[r.pid - 1].directory;
    r.m->pfn[dir].u2.share_count++;
    char want[128];
    snprintf(want, sizeof want, "I5: directory 0x%X has ShareCount", dir);
    expect_seen_through(&r, (struct mm_event){.kind = MM_EV_PROCESS, .pid = r.pid, .u.process = {.created = true}},
                        want);
    rig_down(&r);
}
