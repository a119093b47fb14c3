/*
 * k_translate.c - "translate this address": a process with a few regions
 * in every state (touched, trimmed, written out, purged, decommitted,
 * reserved only), one address in it, and the two-level walk the answer
 * comes from: mm_walk_access, the engine's own walk, which also says what
 * the access would raise. tests/test_quiz.c makes the access afterwards
 * and checks that the engine does raise it.
 */
#include <stdio.h>
#include <string.h>

#include "qutil.h"

#define MAX_REGIONS 4u
#define MAX_CANDIDATES 256u

struct region {
    mm_va base;
    uint32_t pages;
    uint32_t protect;     /* PAGE_* */
    bool committed;
};

/* What the chosen address shows, by the walk's outcome. */
enum category {
    C_VALID, C_WRITE_READONLY, C_TRANSITION, C_PAGEFILE, C_DEMAND_ZERO, C_NO_TABLE, C_NO_VAD, C_RESERVED,
    C_NO_ACCESS, C_DECOMMITTED, C_COUNT
};

struct candidate {
    mm_va va;
    enum mm_access_kind access;
};

static bool make_regions(struct qrng *rng, struct qmachine *qm, struct region *reg, uint32_t *nreg, char *err,
                         size_t err_size)
{
    static const uint32_t prot[] = {PAGE_READWRITE, PAGE_READWRITE, PAGE_READWRITE, PAGE_READONLY,
                                    PAGE_READONLY, PAGE_NOACCESS};
    uint32_t want = 2 + qrng_below(rng, 3);
    *nreg = 0;
    for (uint32_t tries = 0; *nreg < want && tries < 32; tries++) {
        struct region *r = &reg[*nreg];
        r->base = (mm_va)(0x10u + qrng_below(rng, 0x7F00u)) << 16;
        r->pages = 4 + qrng_below(rng, 9);
        r->committed = *nreg == 0 || qrng_chance(rng, 80);
        r->protect = *nreg == 0 ? PAGE_READWRITE : prot[qrng_below(rng, 6)];
        mm_va base = r->base;
        uint32_t size = r->pages * PAGE_SIZE;
        mm_status s = mm_allocate(qm->m, qm->pid, &base, &size, MEM_RESERVE | (r->committed ? MEM_COMMIT : 0),
                                  r->protect);
        if (s == STATUS_CONFLICTING_ADDRESSES)
            continue;
        if (!qm_ok(s, "allocating a region", err, err_size))
            return false;
        (*nreg)++;
    }
    return true;
}

/* Touch, trim, write out and purge, so that every PTE form shows up. */
static bool shape(struct qrng *rng, struct qmachine *qm, const struct region *reg, uint32_t nreg, char *err,
                  size_t err_size)
{
    for (uint32_t i = 0; i < nreg; i++) {
        if (!reg[i].committed || reg[i].protect == PAGE_NOACCESS || qrng_chance(rng, 15))
            continue;   /* some regions stay untouched: no page table yet */
        for (uint32_t k = 0; k < reg[i].pages; k++) {
            if (!qrng_chance(rng, 70))
                continue;
            mm_va va = reg[i].base + k * PAGE_SIZE;
            uint32_t value = (uint32_t)qrng_next(rng);
            mm_status s = reg[i].protect == PAGE_READWRITE ? mm_write32(qm->m, qm->pid, va, value)
                                                           : mm_read32(qm->m, qm->pid, va, &value);
            if (!qm_ok(s, "touching a page", err, err_size))
                return false;
        }
    }
    mm_trim(qm->m, qm->pid, 2 + qrng_below(rng, 6));
    if (qrng_chance(rng, 70)) {
        if (!qm_ok(mm_memory_list_command(qm->m, MemoryFlushModifiedList), "flushing", err, err_size))
            return false;
        if (qrng_chance(rng, 70) &&
            !qm_ok(mm_memory_list_command(qm->m, MemoryPurgeStandbyList), "purging", err, err_size))
            return false;
    }
    mm_trim(qm->m, qm->pid, qrng_below(rng, 4));
    if (qrng_chance(rng, 30) && reg[0].pages > 1) {
        mm_va base = reg[0].base + qrng_below(rng, reg[0].pages) * PAGE_SIZE;
        uint32_t size = PAGE_SIZE;
        if (!qm_ok(mm_free(qm->m, qm->pid, &base, &size, MEM_DECOMMIT), "decommitting", err, err_size))
            return false;
    }
    return true;
}

static const struct region *region_of(const struct region *reg, uint32_t nreg, mm_va va)
{
    for (uint32_t i = 0; i < nreg; i++)
        if (va >= reg[i].base && va < reg[i].base + reg[i].pages * PAGE_SIZE)
            return &reg[i];
    return NULL;
}

static enum category categorize(const struct mm_walk *w, const struct region *r)
{
    if (w->fault == MM_FAULT_ACCESS_VIOLATION) {
        switch (w->av) {
        case MM_AV_WRITE: return C_WRITE_READONLY;
        case MM_AV_NO_VAD: return C_NO_VAD;
        case MM_AV_NO_ACCESS: return C_NO_ACCESS;
        case MM_AV_NOT_COMMITTED: return r && r->committed ? C_DECOMMITTED : C_RESERVED;
        default: return C_COUNT;
        }
    }
    if (w->valid)
        return C_VALID;
    if (!w->pde_valid && w->pde == 0)
        return C_NO_TABLE;
    switch (w->form) {
    case PTE_FORM_TRANSITION: return C_TRANSITION;
    case PTE_FORM_PAGEFILE: return C_PAGEFILE;
    case PTE_FORM_ZERO:
    case PTE_FORM_DEMAND_ZERO: return C_DEMAND_ZERO;
    default: return C_COUNT;
    }
}

/* Every page of every region, and a few free addresses, sorted by what
 * the walk finds; then one category drawn by weight among those found. */
static bool choose(struct qrng *rng, struct qmachine *qm, const struct region *reg, uint32_t nreg,
                   struct candidate *out)
{
    static struct candidate found[C_COUNT][MAX_CANDIDATES];
    uint32_t n[C_COUNT] = {0};
    static const uint32_t weight[C_COUNT] = {30, 8, 12, 12, 8, 6, 6, 4, 4, 4};
    for (uint32_t i = 0; i < nreg; i++)
        for (uint32_t k = 0; k < reg[i].pages; k++) {
            mm_va va = reg[i].base + k * PAGE_SIZE + qrng_below(rng, PAGE_SIZE);
            enum mm_access_kind access = reg[i].protect != PAGE_NOACCESS && qrng_chance(rng, 35)
                                             ? MM_ACCESS_WRITE
                                             : MM_ACCESS_READ;
            struct mm_walk w;
            if (mm_walk_access(qm->m, qm->pid, va, access, &w) != STATUS_SUCCESS)
                return false;
            enum category c = categorize(&w, &reg[i]);
            if (c != C_COUNT && n[c] < MAX_CANDIDATES)
                found[c][n[c]++] = (struct candidate){va, access};
        }
    for (uint32_t tries = 0; tries < 8; tries++) {
        mm_va va = (mm_va)(0x10000u + qrng_below(rng, 0x7FFD0000u));
        if (!region_of(reg, nreg, va) && n[C_NO_VAD] < MAX_CANDIDATES)
            found[C_NO_VAD][n[C_NO_VAD]++] = (struct candidate){va, MM_ACCESS_READ};
    }
    uint32_t w[C_COUNT];
    for (unsigned c = 0; c < C_COUNT; c++)
        w[c] = n[c] ? weight[c] : 0;
    unsigned c = qrng_weighted(rng, w, C_COUNT);
    if (!n[c])
        return false;
    *out = found[c][qrng_below(rng, n[c])];
    return true;
}

static void describe_regions(struct qtext *t, struct qmachine *qm)
{
    char prot[48];
    qt_printf(t, "Its regions (VADs):\n");
    for (const struct mm_vad *v = mm_vad_next(qm->m, qm->pid, NULL); v; v = mm_vad_next(qm->m, qm->pid, v)) {
        mm_va start, end;
        uint32_t protection, charge;
        bool committed;
        mm_vad_range(v, &start, &end, &protection, &committed, &charge);
        qt_printf(t, "  0x%08X-0x%08X  %-9s  %s\n", start, end, committed ? "committed" : "reserved",
                  prot_name(protection, prot, sizeof prot));
    }
}

static void explain(struct qtext *x, const struct mm_walk *w)
{
    char buf[128];
    const char *verb = w->access == MM_ACCESS_WRITE ? "write" : "read";
    qt_printf(x, "0x%08X splits 10/10/12: PDE index 0x%03X (bits 31-22), PTE index 0x%03X\n", w->va, w->pdi,
              w->pti);
    qt_printf(x, "(bits 21-12), byte offset 0x%03X.\n", w->offset);
    qt_printf(x, "pde_pa = CR3 + 4 * 0x%03X = 0x%08X + 0x%03X = 0x%08X.\n", w->pdi, w->directory * PAGE_SIZE,
              w->pdi * 4u, w->pde_pa);
    qt_printf(x, "The PDE 0x%08X is %s.\n", w->pde, quiz_describe_pte(w->pde, buf, sizeof buf));
    if (w->pde_valid) {
        qt_printf(x, "pte_pa = 0x%05X * 4096 + 4 * 0x%03X = 0x%08X.\n", pte_frame(w->pde), w->pti, w->pte_pa);
    } else {
        qt_printf(x, "No page table is in memory for it: pte_pa = none.\n");
        if (w->table_fault == MM_FAULT_PAGE_TABLE)
            qt_printf(x, "The access first faults on the PDE and gets a new zeroed page table\n"
                         "(a page-table fault), then faults on the page itself.\n");
        else if (w->table_fault != MM_FAULT_NONE)
            qt_printf(x, "The table was paged out: the access first brings it back (a %s fault on\n"
                         "the PDE), then looks at the PTE kept in it.\n",
                      mm_fault_kind_name(w->table_fault));
    }
    qt_printf(x, "The PTE 0x%08X is %s.\n", w->pte, quiz_describe_pte(w->pte, buf, sizeof buf));
    if (w->valid && !w->refused) {
        qt_printf(x, "A %s needs V=1 and U=1%s: allowed, no fault.\n", verb,
                  w->access == MM_ACCESS_WRITE ? " and W=1" : "");
        qt_printf(x, "result = 0x%05X * 4096 + 0x%03X = 0x%08X.\n", w->frame, w->offset, w->pa);
        return;
    }
    switch (w->fault) {
    case MM_FAULT_ACCESS_VIOLATION:
        switch (w->av) {
        case MM_AV_WRITE:
            qt_printf(x, "The page does not allow a %s (W=0 or a read-only protection): the processor\n"
                         "faults and MmAccessFault raises an access violation.\n", verb);
            break;
        case MM_AV_NO_VAD:
            qt_printf(x, "No region holds the address: MmAccessFault finds no VAD: access violation.\n");
            break;
        case MM_AV_NOT_COMMITTED:
            qt_printf(x, "The page is reserved but not committed (or was decommitted): access violation.\n");
            break;
        case MM_AV_NO_ACCESS:
            qt_printf(x, "The protection is PAGE_NOACCESS: access violation.\n");
            break;
        default:
            qt_printf(x, "Access violation (%s).\n", mm_av_reason_name(w->av));
            break;
        }
        qt_printf(x, "result = access-violation, reason = %s.\n", quiz_av_word(w->av));
        return;
    case MM_FAULT_DEMAND_ZERO:
        qt_printf(x, "%s allows the %s and no copy of the page exists:\n"
                     "MiResolveDemandZeroFault maps a zeroed frame.\n",
                  w->form == PTE_FORM_ZERO ? "The PTE is zero, so the handler asks the VAD; it" : "The PTE's protection",
                  verb);
        break;
    case MM_FAULT_TRANSITION:
        qt_printf(x, "The frame still holds the page (Standby or Modified): a soft fault,\n"
                     "MiResolveTransitionFault puts it back in the working set.\n");
        break;
    case MM_FAULT_PAGE_FILE:
        qt_printf(x, "The page is only in the paging file: a hard fault, MiResolvePageFileFault\n"
                     "reads it into a frame.\n");
        break;
    case MM_FAULT_GUARD_PAGE:
        qt_printf(x, "A guard page: the first touch raises STATUS_GUARD_PAGE_VIOLATION.\n");
        break;
    default:
        break;
    }
    qt_printf(x, "result = %s, reason = none.\n", mm_fault_kind_name(w->fault));
}

/* The walk predicted the answer without changing anything; now the access
 * runs, and the fault handler must do what the walk said (and a valid
 * translation reach the same frame). A disagreement is an engine bug. */
static bool confirm(struct qmachine *qm, const struct mm_walk *w, char *err, size_t err_size)
{
    struct mm_touch t;
    mm_status s = mm_touch(qm->m, qm->pid, w->va, 1, w->access, &t);
    struct mm_walk after;
    mm_walk_access(qm->m, qm->pid, w->va, w->access, &after);
    bool same = t.fault[0] == w->fault && t.table_fault[0] == w->table_fault &&
                (w->fault != MM_FAULT_NONE || (s == STATUS_SUCCESS && after.pa == w->pa));
    if (!same)
        snprintf(err, err_size, "the walk of 0x%08X predicted %s (table: %s), the access raised %s (table: %s)",
                 w->va, mm_fault_kind_name(w->fault), mm_fault_kind_name(w->table_fault),
                 mm_fault_kind_name(t.fault[0]), mm_fault_kind_name(t.table_fault[0]));
    return same;
}

bool quiz_make_translate(struct qrng *rng, struct quiz_question *q, char *err, size_t err_size)
{
    struct qmachine qm;
    struct region reg[MAX_REGIONS];
    uint32_t nreg;
    struct candidate c;
    bool started = qrng_chance(rng, 60)
                       ? qm_start_after_b(&qm, 256, 512, MM_POLICY_FIFO, qrng_below(rng, 40), err, err_size)
                       : qm_start(&qm, 256, 512, MM_POLICY_FIFO, err, err_size);
    if (!started)
        return false;
    if (!make_regions(rng, &qm, reg, &nreg, err, err_size) || !shape(rng, &qm, reg, nreg, err, err_size)) {
        qm_stop(&qm);
        return false;
    }
    struct mm_walk w;
    if (!choose(rng, &qm, reg, nreg, &c) || mm_walk_access(qm.m, qm.pid, c.va, c.access, &w) != STATUS_SUCCESS) {
        snprintf(err, err_size, "a translate question found no address to ask about");
        qm_stop(&qm);
        return false;
    }

    struct qtext t = {0}, x = {0};
    qt_printf(&t, "Process A runs on an i386 without PAE. Its page directory is frame 0x%05X\n", w.directory);
    qt_printf(&t, "(CR3 = 0x%08X). It %s virtual address 0x%08X.\n", w.directory * PAGE_SIZE,
              c.access == MM_ACCESS_WRITE ? "writes" : "reads", c.va);
    qt_printf(&t, "The PDE for that address holds 0x%08X.\n", w.pde);
    if (w.pde_valid)
        qt_printf(&t, "The PTE for that address holds 0x%08X.\n", w.pte);
    else if (w.table_form == PTE_FORM_TRANSITION || w.table_form == PTE_FORM_PAGEFILE)
        qt_printf(&t, "Its page table is not in memory; the PTE for the address, in the table's\n"
                      "saved contents, holds 0x%08X.\n", w.pte);
    describe_regions(&t, &qm);
    qt_printf(&t, "Give pde_pa (the physical address of the PDE), pte_pa (of the PTE; none when no\n"
                  "page table is in memory for the address), result (the physical address of the\n"
                  "byte, or the fault the access raises: demand-zero, transition, page-file,\n"
                  "guard-page or access-violation) and reason (for an access violation: no-vad,\n"
                  "not-committed, no-access or write; otherwise none).\n");

    quiz_part_number(quiz_add_part(q, "pde_pa", QV_NUMBER, 1), w.pde_pa, true);
    struct quiz_part *p = quiz_add_part(q, "pte_pa", QV_NUMBER, 1);
    if (w.pde_valid)
        quiz_part_number(p, w.pte_pa, true);
    else
        quiz_part_none(p);
    p = quiz_add_part(q, "result", QV_ADDR_OR_WORD, 2);
    if (w.valid && !w.refused)
        quiz_part_number(p, w.pa, true);
    else
        quiz_part_word(p, mm_fault_kind_name(w.fault), quiz_fault_words);
    p = quiz_add_part(q, "reason", QV_WORD, 1);
    if (w.fault == MM_FAULT_ACCESS_VIOLATION)
        quiz_part_word(p, quiz_av_word(w.av), quiz_av_words);
    else
        quiz_part_none(p);

    explain(&x, &w);
    q->text = qt_take(&t);
    q->worked = qt_take(&x);
    bool agree = confirm(&qm, &w, err, err_size);
    qm_stop(&qm);
    return agree;
}
