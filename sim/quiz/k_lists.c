/*
 * k_lists.c - "what do the lists hold after these commands?": a process
 * with dirty and clean pages, some already on Standby or Modified, then a
 * sequence of memory-list commands (NtSetSystemInformation with
 * SystemMemoryListInformation) run by the engine; the answer is the list
 * counts it reports afterwards (mm_memory_list_query), the worked answer
 * the page moves each command made.
 */
#include <stdio.h>
#include <string.h>

#include "qutil.h"

static const uint32_t commands[] = {MemoryEmptyWorkingSets, MemoryFlushModifiedList, MemoryPurgeStandbyList,
                                    MemoryPurgeLowPriorityStandbyList};

struct counts {
    uint64_t zeroed, free, standby, modified;
};

static void read_counts(struct mm_machine *m, struct counts *c)
{
    struct mm_memory_list_info info;
    mm_memory_list_query(m, &info);
    c->zeroed = info.zero_page_count;
    c->free = info.free_page_count;
    c->modified = info.modified_page_count;
    c->standby = 0;
    for (unsigned p = 0; p < MM_STANDBY_PRIORITIES; p++)
        c->standby += info.page_count_by_priority[p];
}

static void print_counts(struct qtext *t, const struct counts *c)
{
    qt_printf(t, "Zeroed %llu, Free %llu, Standby %llu, Modified %llu", (unsigned long long)c->zeroed,
              (unsigned long long)c->free, (unsigned long long)c->standby, (unsigned long long)c->modified);
}

static bool build(struct qrng *rng, struct qmachine *qm, mm_va *base, uint32_t *pages, unsigned *priority,
                  char *err, size_t err_size)
{
    *pages = 6 + qrng_below(rng, 7);
    *base = (mm_va)(0x10u + qrng_below(rng, 0x3000u)) << 16;
    *priority = qrng_chance(rng, 30) ? 0 : MM_DEFAULT_PRIORITY;
    uint32_t size = *pages * PAGE_SIZE;
    if (!qm_ok(mm_set_page_priority(qm->m, qm->pid, *priority), "setting the priority", err, err_size) ||
        !qm_ok(mm_allocate(qm->m, qm->pid, base, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE), "allocating",
               err, err_size))
        return false;
    for (uint32_t k = 0; k < *pages; k++)
        if (!qm_ok(mm_write32(qm->m, qm->pid, *base + k * PAGE_SIZE, k + 1), "writing", err, err_size))
            return false;
    mm_trim(qm->m, qm->pid, 2 + qrng_below(rng, *pages / 2));
    if (qrng_chance(rng, 70)) {
        if (!qm_ok(mm_memory_list_command(qm->m, MemoryFlushModifiedList), "flushing", err, err_size))
            return false;
        /* read some back: clean pages with a copy in the paging file */
        for (uint32_t k = 0; k < *pages; k++) {
            uint32_t v;
            if (qrng_chance(rng, 40) && !qm_ok(mm_read32(qm->m, qm->pid, *base + k * PAGE_SIZE, &v), "reading",
                                               err, err_size))
                return false;
        }
    }
    mm_trim(qm->m, qm->pid, qrng_below(rng, 3));
    return true;
}

static void describe_pages(struct qtext *t, struct qmachine *qm, mm_va base, uint32_t pages, unsigned priority)
{
    qt_printf(t, "Process A (memory priority %u) has %u pages of data at 0x%08X:\n", priority, pages, base);
    for (uint32_t k = 0; k < pages; k++) {
        struct mm_walk w;
        mm_walk(qm->m, qm->pid, base + k * PAGE_SIZE, &w);
        const struct mmpfn *pf = w.form == PTE_FORM_VALID || w.form == PTE_FORM_TRANSITION
                                     ? mm_pfn_entry(qm->m, pte_frame(w.pte))
                                     : NULL;
        qt_printf(t, "  0x%08X  ", base + k * PAGE_SIZE);
        if (w.form == PTE_FORM_VALID)
            qt_printf(t, "in the working set, %s\n",
                      (w.pte & PTE_DIRTY) || pfn_flag(pf, PFN_MODIFIED)
                          ? "modified (no copy anywhere else)"
                          : "clean (its copy in the paging file is current)");
        else if (pf)
            qt_printf(t, "in transition, on the %s list\n", pfn_list_name(pfn_location(pf)));
        else
            qt_printf(t, "%s\n", pte_form_name(w.form));
    }
    struct mm_ws_breakdown b;
    mm_ws_breakdown(qm->m, qm->pid, &b);
    qt_printf(t, "Its working set also holds %u locked pages and %u page table%s, which no command\n"
                 "here takes while the table maps pages in memory.\n",
              b.locked, b.page_tables, b.page_tables == 1 ? "" : "s");
}

/* The page moves one command made, each frame counted once by where it
 * was before the command and where it is after (a written page passes
 * through Transition on its way from Modified to Standby). */
static void summarize(struct qtext *x, const struct qmachine *qm)
{
    uint32_t n[MM_LIST_COUNT][MM_LIST_COUNT];
    memset(n, 0, sizeof n);
    uint32_t written = 0;
    for (uint32_t i = 0; i < qm->nevents; i++) {
        const struct mm_event *e = &qm->ev[i];
        if (e->kind == MM_EV_PAGEFILE && e->u.io.write && !e->u.io.freed && !e->u.io.extended)
            written++;
        if (e->kind != MM_EV_PAGE_MOVE)
            continue;
        bool first = true;
        for (uint32_t j = 0; j < i && first; j++)
            first = !(qm->ev[j].kind == MM_EV_PAGE_MOVE && qm->ev[j].u.move.frame == e->u.move.frame);
        if (!first)
            continue;
        enum mm_list to = e->u.move.to;
        for (uint32_t j = i + 1; j < qm->nevents; j++)
            if (qm->ev[j].kind == MM_EV_PAGE_MOVE && qm->ev[j].u.move.frame == e->u.move.frame)
                to = qm->ev[j].u.move.to;
        if (e->u.move.from < MM_LIST_COUNT && to < MM_LIST_COUNT && e->u.move.from != to)
            n[e->u.move.from][to]++;
    }
    bool any = false;
    for (unsigned f = 0; f < MM_LIST_COUNT; f++)
        for (unsigned to = 0; to < MM_LIST_COUNT; to++)
            if (n[f][to]) {
                qt_printf(x, "%s%s -> %s: %u", any ? ", " : "    pages: ", pfn_list_name((enum mm_list)f),
                          pfn_list_name((enum mm_list)to), n[f][to]);
                any = true;
            }
    qt_printf(x, "%s\n", any ? "" : "    nothing moves");
    if (written)
        qt_printf(x, "    the modified page writer wrote %u page%s to the paging file\n", written,
                  written == 1 ? "" : "s");
}

static const char *explain(uint32_t command)
{
    switch (command) {
    case MemoryEmptyWorkingSets:
        return "every page that can leave a working set does: modified ones to Modified, clean ones to Standby";
    case MemoryFlushModifiedList:
        return "every Modified page is written to the paging file and moves to Standby";
    case MemoryPurgeStandbyList:
        return "every Standby page goes to Free; its PTE takes back the paging-file slot";
    default:
        return "only Standby pages of priority 0 go to Free";
    }
}

bool quiz_make_lists(struct qrng *rng, struct quiz_question *q, char *err, size_t err_size)
{
    struct qmachine qm;
    mm_va base;
    uint32_t pages;
    unsigned priority;
    if (!qm_start(&qm, 64 + 32 * qrng_below(rng, 2), 256, MM_POLICY_FIFO, err, err_size))
        return false;
    if (!build(rng, &qm, &base, &pages, &priority, err, err_size)) {
        qm_stop(&qm);
        return false;
    }
    uint32_t seq[3], nseq = 2 + qrng_below(rng, 2);
    for (uint32_t i = 0; i < nseq; i++) {
        do
            seq[i] = commands[qrng_below(rng, 4)];
        while (i > 0 && seq[i] == seq[i - 1]);
    }
    struct counts before, after;
    read_counts(qm.m, &before);
    after = before;
    struct qtext t = {0}, x = {0};
    qt_printf(&t, "A machine of %u frames. The lists hold: ", mm_frame_count(qm.m));
    print_counts(&t, &before);
    qt_printf(&t, ".\n");
    describe_pages(&t, &qm, base, pages, priority);
    qt_printf(&t, "These memory-list commands run, in order:\n");
    for (uint32_t i = 0; i < nseq; i++)
        qt_printf(&t, "  %u. %s\n", i + 1, mm_memory_list_command_name(seq[i]));
    qt_printf(&t, "Give zeroed, free, standby and modified: the pages on each list afterwards.\n");

    qt_printf(&x, "Before: ");
    print_counts(&x, &before);
    qt_printf(&x, ".\n");
    for (uint32_t i = 0; i < nseq; i++) {
        qm_record(&qm);
        mm_status s = mm_memory_list_command(qm.m, seq[i]);
        qm_stop_recording(&qm);
        if (!qm_ok(s, "a memory-list command", err, err_size)) {
            qt_free(&t);
            qt_free(&x);
            qm_stop(&qm);
            return false;
        }
        read_counts(qm.m, &after);
        qt_printf(&x, "%u. %s: %s.\n", i + 1, mm_memory_list_command_name(seq[i]), explain(seq[i]));
        summarize(&x, &qm);
        qt_printf(&x, "    now ");
        print_counts(&x, &after);
        qt_printf(&x, "\n");
    }
    quiz_part_number(quiz_add_part(q, "zeroed", QV_NUMBER, 1), after.zeroed, false);
    quiz_part_number(quiz_add_part(q, "free", QV_NUMBER, 1), after.free, false);
    quiz_part_number(quiz_add_part(q, "standby", QV_NUMBER, 1), after.standby, false);
    quiz_part_number(quiz_add_part(q, "modified", QV_NUMBER, 1), after.modified, false);
    q->text = qt_take(&t);
    q->worked = qt_take(&x);
    qm_stop(&qm);
    return true;
}
