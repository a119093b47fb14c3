/*
 * k_fault.c - "what does this access do?": a process whose pages are in
 * every state (valid, on Standby, on Modified, in the paging file, never
 * touched), sometimes at a hard working-set maximum under FIFO; one access;
 * and its answer read from the events the engine reports while it runs the
 * access: the fault's kind, the list the page's frame came from, and the
 * page the working set gave up for it.
 */
#include <stdio.h>
#include <string.h>

#include "qutil.h"

#define MAX_PAGES 16u

enum category { C_NONE, C_STANDBY, C_MODIFIED, C_PAGEFILE, C_DEMAND_ZERO, C_WRITE_READONLY, C_COUNT };

struct setup {
    mm_va data, readonly;   /* a read/write region and a read-only page */
    uint32_t pages;         /* of the read/write region */
    uint32_t written;       /* the first `written` pages were written */
    bool at_maximum;
};

static bool build(struct qrng *rng, struct qmachine *qm, struct setup *s, char *err, size_t err_size)
{
    s->pages = 8 + qrng_below(rng, 6);
    s->written = s->pages - 1 - qrng_below(rng, 2);
    s->data = (mm_va)(0x10u + qrng_below(rng, 0x3000u)) << 16;
    uint32_t size = s->pages * PAGE_SIZE;
    if (!qm_ok(mm_allocate(qm->m, qm->pid, &s->data, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE),
               "allocating", err, err_size))
        return false;
    s->readonly = s->data + 0x100000u;
    size = PAGE_SIZE;
    if (!qm_ok(mm_allocate(qm->m, qm->pid, &s->readonly, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READONLY),
               "allocating", err, err_size))
        return false;
    uint32_t value;
    if (!qm_ok(mm_read32(qm->m, qm->pid, s->readonly, &value), "reading", err, err_size))
        return false;
    for (uint32_t k = 0; k < s->written; k++)
        if (!qm_ok(mm_write32(qm->m, qm->pid, s->data + k * PAGE_SIZE, k + 1), "writing", err, err_size))
            return false;
    /* FIFO trims the oldest first: the first pages written */
    mm_trim(qm->m, qm->pid, 2 + qrng_below(rng, 4));
    if (qrng_chance(rng, 75)) {
        if (!qm_ok(mm_memory_list_command(qm->m, MemoryFlushModifiedList), "flushing", err, err_size))
            return false;
        if (qrng_chance(rng, 60) &&
            !qm_ok(mm_memory_list_command(qm->m, MemoryPurgeStandbyList), "purging", err, err_size))
            return false;
    }
    mm_trim(qm->m, qm->pid, qrng_below(rng, 3));
    const struct mm_wsl *ws = mm_working_set(qm->m, qm->pid);
    if (qrng_chance(rng, 40) && ws->size >= MM_HARD_MAXIMUM_FLOOR) {   /* a smaller one is refused */
        uint32_t max = ws->size;
        if (!qm_ok(mm_set_ws_limits_ex(qm->m, qm->pid, max / 2, max, QUOTA_LIMITS_HARDWS_MAX_ENABLE),
                   "setting a hard maximum", err, err_size))
            return false;
        s->at_maximum = true;
    }
    return true;
}

static enum category categorize(const struct qmachine *qm, const struct mm_walk *w)
{
    if (w->fault == MM_FAULT_ACCESS_VIOLATION)
        return w->av == MM_AV_WRITE ? C_WRITE_READONLY : C_COUNT;
    if (w->fault == MM_FAULT_NONE)
        return C_NONE;
    if (w->fault == MM_FAULT_DEMAND_ZERO)
        return C_DEMAND_ZERO;
    if (w->fault == MM_FAULT_PAGE_FILE)
        return C_PAGEFILE;
    if (w->fault == MM_FAULT_TRANSITION) {
        const struct mmpfn *pf = mm_pfn_entry(qm->m, pte_frame(w->pte));
        return pf && pfn_location(pf) == ModifiedPageList ? C_MODIFIED : C_STANDBY;
    }
    return C_COUNT;
}

static bool choose(struct qrng *rng, struct qmachine *qm, const struct setup *s, mm_va *va,
                   enum mm_access_kind *access)
{
    mm_va found[C_COUNT][MAX_PAGES + 1];
    enum mm_access_kind how[C_COUNT][MAX_PAGES + 1];
    uint32_t n[C_COUNT] = {0};
    static const uint32_t weight[C_COUNT] = {10, 20, 20, 20, 15, 8};
    for (uint32_t k = 0; k <= s->pages; k++) {
        mm_va at = k < s->pages ? s->data + k * PAGE_SIZE : s->readonly;
        enum mm_access_kind a = qrng_chance(rng, 50) ? MM_ACCESS_WRITE : MM_ACCESS_READ;
        struct mm_walk w;
        if (mm_walk_access(qm->m, qm->pid, at + 4u * qrng_below(rng, 1024), a, &w) != STATUS_SUCCESS)
            return false;
        enum category c = categorize(qm, &w);
        if (c == C_COUNT)
            continue;
        found[c][n[c]] = w.va;
        how[c][n[c]++] = a;
    }
    uint32_t wt[C_COUNT];
    for (unsigned c = 0; c < C_COUNT; c++)
        wt[c] = n[c] ? weight[c] : 0;
    unsigned c = qrng_weighted(rng, wt, C_COUNT);
    if (!n[c])
        return false;
    uint32_t i = qrng_below(rng, n[c]);
    *va = found[c][i];
    *access = how[c][i];
    return true;
}

static void describe_state(struct qtext *t, struct qmachine *qm, const struct setup *s, mm_va va)
{
    struct mm_memory_list_info info;
    mm_memory_list_query(qm->m, &info);
    uint64_t standby = 0;
    for (unsigned p = 0; p < MM_STANDBY_PRIORITIES; p++)
        standby += info.page_count_by_priority[p];
    qt_printf(t, "The machine has %u frames: Zeroed %llu, Free %llu, Standby %llu, Modified %llu.\n",
              mm_frame_count(qm->m), (unsigned long long)info.zero_page_count,
              (unsigned long long)info.free_page_count, (unsigned long long)standby,
              (unsigned long long)info.modified_page_count);
    struct mm_walk w;
    mm_walk(qm->m, qm->pid, va, &w);
    qt_printf(t, "The PTE for 0x%08X holds 0x%08X", va, w.pte);
    if (pte_classify(w.pte) == PTE_FORM_ZERO) {
        qt_printf(t, " (its region is committed PAGE_READWRITE).\n");
    } else if (pte_classify(w.pte) == PTE_FORM_TRANSITION) {
        const struct mmpfn *pf = mm_pfn_entry(qm->m, pte_frame(w.pte));
        qt_printf(t, ";\nthe PFN entry of frame 0x%03X says it is on the %s list.\n", pte_frame(w.pte),
                  pfn_list_name(pfn_location(pf)));
    } else {
        qt_printf(t, ".\n");
    }
    const struct mm_wsl *ws = mm_working_set(qm->m, qm->pid);
    struct mm_ws_breakdown b;
    mm_ws_breakdown(qm->m, qm->pid, &b);
    if (!s->at_maximum) {
        qt_printf(t, "A's working set holds %u pages, well below its maximum of %u.\n", ws->size, ws->maximum);
        return;
    }
    qt_printf(t, "A's working set is at its hard maximum of %u pages (%u locked, %u page table%s, %u\n",
              ws->maximum, b.locked, b.page_tables, b.page_tables == 1 ? "" : "s", b.data);
    qt_printf(t, "data). The policy is FIFO; its data pages, first in first:");
    mm_va order[64];
    uint32_t n = mm_ws_policy_order(qm->m, qm->pid, order, 64);
    for (uint32_t i = 0; i < n && i < 64; i++)
        qt_printf(t, "%s0x%08X", i % 4 == 0 ? "\n  " : " ", order[i]);
    qt_printf(t, "\n");
}

/* The events of the access, as lines of the worked answer; the answers. */
struct outcome {
    enum mm_fault_kind kind;
    enum mm_list from;   /* MM_LIST_COUNT: no frame was taken */
    mm_va victim;
    bool has_victim;
    enum mm_list victim_to;
};

static void read_events(const struct qmachine *qm, mm_va va, struct outcome *o, struct qtext *x)
{
    mm_pfn frame = MM_EMPTY_LIST, victim_frame = MM_EMPTY_LIST;
    o->kind = MM_FAULT_NONE;
    o->from = MM_LIST_COUNT;
    o->has_victim = false;
    for (uint32_t i = 0; i < qm->nevents; i++) {
        const struct mm_event *e = &qm->ev[i];
        if (e->kind == MM_EV_FAULT && PAGE_ALIGN(e->u.fault.va) == PAGE_ALIGN(va)) {
            o->kind = e->u.fault.kind;
            frame = e->u.fault.kind == MM_FAULT_ACCESS_VIOLATION ? MM_EMPTY_LIST : e->u.fault.frame;
        }
    }
    for (uint32_t i = 0; i < qm->nevents; i++) {
        const struct mm_event *e = &qm->ev[i];
        switch (e->kind) {
        case MM_EV_FAULT:
            qt_printf(x, "  fault at 0x%08X (%s): %s\n", e->u.fault.va, mm_access_name(e->u.fault.access),
                      mm_fault_kind_name(e->u.fault.kind));
            break;
        case MM_EV_WSLE:
            if (!e->u.wsle.inserted && e->u.wsle.why == MM_WS_REPLACE) {
                o->has_victim = true;
                o->victim = e->u.wsle.va;
                qt_printf(x, "  working set: 0x%08X leaves (replaced by FIFO at the hard maximum)\n",
                          e->u.wsle.va);
            } else if (e->u.wsle.inserted && e->u.wsle.why != MM_WS_COMPACT) {
                qt_printf(x, "  working set: 0x%08X enters\n", e->u.wsle.va);
            }
            break;
        case MM_EV_PAGE_MOVE: {
            enum mm_list from = e->u.move.from, to = e->u.move.to;
            qt_printf(x, "  frame 0x%03X: %s -> %s (%s)\n", e->u.move.frame, pfn_list_name(from), pfn_list_name(to),
                      pfn_move_reason_name(e->u.move.why));
            if (e->u.move.frame == frame && o->from == MM_LIST_COUNT && from != ActiveAndValid &&
                from != TransitionPage && (to == ActiveAndValid || to == TransitionPage))
                o->from = from;
            if (from == ActiveAndValid && e->u.move.why == MOVE_REPLACE) {
                victim_frame = e->u.move.frame;
                o->victim_to = to;
            }
            break;
        }
        case MM_EV_PAGEFILE:
            if (!e->u.io.freed && !e->u.io.extended)
                qt_printf(x, "  paging file %u slot 0x%X %s frame 0x%03X\n", e->u.io.file, e->u.io.slot,
                          e->u.io.write ? "written from" : "read into", e->u.io.frame);
            break;
        default:
            break;
        }
    }
    (void)victim_frame;
}

bool quiz_make_fault(struct qrng *rng, struct quiz_question *q, char *err, size_t err_size)
{
    struct qmachine qm;
    struct setup s;
    memset(&s, 0, sizeof s);
    if (!qm_start(&qm, 64 + 16 * qrng_below(rng, 3), 256, MM_POLICY_FIFO, err, err_size))
        return false;
    mm_va va;
    enum mm_access_kind access;
    if (!build(rng, &qm, &s, err, err_size)) {
        qm_stop(&qm);
        return false;
    }
    if (!choose(rng, &qm, &s, &va, &access)) {
        snprintf(err, err_size, "a fault question found no page to ask about");
        qm_stop(&qm);
        return false;
    }
    struct qtext t = {0}, x = {0};
    qt_printf(&t, "Process A %s 0x%08X.\n", access == MM_ACCESS_WRITE ? "writes to" : "reads", va);
    describe_state(&t, &qm, &s, va);
    qt_printf(&t, "Give fault (none, demand-zero, transition, page-file or access-violation), from\n"
                  "(the list the frame that ends up holding the page came from: zeroed, free,\n"
                  "standby, modified; none when no frame is taken) and victim (the address of the\n"
                  "page the working set gives up for it, or none).\n");

    struct mm_walk predicted;
    mm_walk_access(qm.m, qm.pid, va, access, &predicted);
    qm_record(&qm);
    uint8_t buf[4] = {1, 2, 3, 4};
    if (access == MM_ACCESS_WRITE)
        (void)mm_write(qm.m, qm.pid, va, buf, 4);
    else
        (void)mm_read(qm.m, qm.pid, va, buf, 4);
    qm_stop_recording(&qm);

    struct outcome o;
    qt_printf(&x, "What the engine did:\n");
    read_events(&qm, va, &o, &x);
    if (qm.nevents == 0)
        qt_printf(&x, "  nothing: the TLB or the page tables translate it\n");
    if (qm.overflow)
        qt_printf(&x, "  (more events followed)\n");
    switch (o.kind) {
    case MM_FAULT_NONE:
        qt_printf(&x, "The PTE is valid and allows the access: no fault, nothing moves.\n");
        break;
    case MM_FAULT_DEMAND_ZERO:
        qt_printf(&x, "No copy of the page exists: a demand-zero fault takes a zeroed frame (the\n"
                      "Zeroed list first, then Free, zeroing it, then Standby, repurposed).\n");
        break;
    case MM_FAULT_TRANSITION:
        qt_printf(&x, "The PTE is in transition: the page is still in its frame, which leaves the\n"
                      "list it is on and goes back into the working set (a soft fault).\n");
        break;
    case MM_FAULT_PAGE_FILE:
        qt_printf(&x, "The page is only in the paging file: a hard fault. Its frame will be\n"
                      "overwritten by the read, so any frame does: Free first, then Zeroed, then\n"
                      "Standby (MiRemoveAnyPage).\n");
        break;
    case MM_FAULT_ACCESS_VIOLATION:
        qt_printf(&x, "The page does not allow the access: an access violation; nothing moves.\n");
        break;
    default:
        break;
    }
    if (s.at_maximum && o.kind != MM_FAULT_NONE && o.kind != MM_FAULT_ACCESS_VIOLATION)
        qt_printf(&x, "At its hard maximum the set must give up a page first: FIFO takes the\n"
                      "first one in.%s\n", o.has_victim ? "" : " (None could go.)");
    quiz_part_word(quiz_add_part(q, "fault", QV_WORD, 2), mm_fault_kind_name(o.kind), quiz_fault_words);
    struct quiz_part *p = quiz_add_part(q, "from", QV_WORD, 1);
    if (o.from == MM_LIST_COUNT)
        quiz_part_none(p);
    else
        quiz_part_word(p, quiz_list_word(o.from), quiz_list_words);
    p = quiz_add_part(q, "victim", QV_ADDR_OR_WORD, 1);
    if (o.has_victim)
        quiz_part_number(p, o.victim, true);
    else
        quiz_part_none(p);
    qt_printf(&x, "fault = %s, from = %s, victim = %s.\n", q->part[0].answer, q->part[1].answer,
              q->part[2].answer);
    q->text = qt_take(&t);
    q->worked = qt_take(&x);
    qm_stop(&qm);
    /* the walk's prediction and the access's events are two paths through
     * the engine: they must agree */
    if (predicted.fault != o.kind) {
        snprintf(err, err_size, "the walk of 0x%08X predicted %s, the access raised %s", va,
                 mm_fault_kind_name(predicted.fault), mm_fault_kind_name(o.kind));
        return false;
    }
    return true;
}
