/*
 * replay.c - applying scenario steps to the engine and judging "expect"
 * steps. Each expectation that fails is described with what was expected
 * and what the machine actually holds.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pte.h"
#include "replay.h"

bool replay_start(struct replay *r, const struct scenario *sc, mm_event_fn fn, void *ctx,
                  char *err, size_t err_size)
{
    memset(r, 0, sizeof *r);
    r->sc = sc;
    const char *why = NULL;
    r->m = mm_create(&sc->config, &why);
    r->pid = calloc(sc->nprocess_names + 1, sizeof *r->pid);
    if (!r->m || !r->pid) {
        snprintf(err, err_size, "cannot build the machine: %s", why ? why : "out of memory");
        replay_end(r);
        return false;
    }
    mm_set_sink(r->m, fn, ctx);
    for (uint32_t i = 0; i < sc->ninitial; i++) {
        const struct scn_process_opts *o = &sc->initial[i];
        mm_status s = mm_process_create(r->m, sc->process_names[i], &r->pid[i]);
        if (s == STATUS_SUCCESS && o->has_limits)
            s = mm_set_ws_limits(r->m, r->pid[i], o->ws_minimum, o->ws_maximum);
        if (s == STATUS_SUCCESS && o->has_priority)
            s = mm_set_page_priority(r->m, r->pid[i], o->priority);
        if (s == STATUS_SUCCESS && o->modified_no_write)
            s = mm_set_modified_no_write(r->m, r->pid[i], true);
        if (s != STATUS_SUCCESS) {
            snprintf(err, err_size, "cannot start process %s: %s", sc->process_names[i],
                     mm_status_name(s) ? mm_status_name(s) : "error");
            replay_end(r);
            return false;
        }
    }
    return true;
}

void replay_end(struct replay *r)
{
    mm_destroy(r->m);
    free(r->pid);
    r->m = NULL;
    r->pid = NULL;
}

uint32_t replay_pid(const struct replay *r, int process)
{
    return process >= 0 ? r->pid[process] : 0;
}

/* ---- operations ---- */

static mm_status touch(struct replay *r, const struct scn_step *st, uint32_t pid)
{
    mm_va first = PAGE_ALIGN(st->address);
    uint64_t end = (uint64_t)st->address + st->size;
    for (uint64_t va = first; va < end; va += PAGE_SIZE) {
        mm_status s;
        if (st->access == MM_ACCESS_WRITE) {
            s = mm_write32(r->m, pid, (mm_va)va, (mm_va)va);   /* each page holds its own address */
        } else {
            uint32_t v;
            s = mm_read32(r->m, pid, (mm_va)va, &v);
        }
        r->last_fault = *mm_last_fault(r->m);
        if (s != STATUS_SUCCESS)
            return s;
    }
    return STATUS_SUCCESS;
}

static mm_status run_op(struct replay *r, const struct scn_step *st, bool *returns_status)
{
    uint32_t pid = replay_pid(r, st->process);
    mm_va base = st->address;
    uint32_t size = st->size, old;
    mm_status s = STATUS_SUCCESS;
    *returns_status = true;
    switch (st->op) {
    case OP_CREATE_PROCESS:
        s = mm_process_create(r->m, r->sc->process_names[st->process], &r->pid[st->process]);
        if (s == STATUS_SUCCESS)
            s = mm_set_ws_limits(r->m, r->pid[st->process], st->minimum, st->maximum);
        if (s == STATUS_SUCCESS)
            s = mm_set_page_priority(r->m, r->pid[st->process], st->value);
        if (s == STATUS_SUCCESS && st->no_write)
            s = mm_set_modified_no_write(r->m, r->pid[st->process], true);
        break;
    case OP_TERMINATE:
        s = mm_process_terminate(r->m, pid);
        r->pid[st->process] = 0;
        break;
    case OP_RESERVE: s = mm_allocate(r->m, pid, &base, &size, MEM_RESERVE, st->protect); break;
    case OP_COMMIT: s = mm_allocate(r->m, pid, &base, &size, MEM_COMMIT, st->protect); break;
    case OP_ALLOCATE: s = mm_allocate(r->m, pid, &base, &size, MEM_RESERVE | MEM_COMMIT, st->protect); break;
    case OP_DECOMMIT: s = mm_free(r->m, pid, &base, &size, MEM_DECOMMIT); break;
    case OP_RELEASE: size = 0; s = mm_free(r->m, pid, &base, &size, MEM_RELEASE); break;
    case OP_PROTECT: s = mm_protect(r->m, pid, &base, &size, st->protect, &old); break;
    case OP_READ: {
        uint32_t v = 0;
        s = mm_read32(r->m, pid, st->address, &v);
        r->last_fault = *mm_last_fault(r->m);
        r->has_value = s == STATUS_SUCCESS;
        r->last_value = v;
        break;
    }
    case OP_WRITE:
        s = mm_write32(r->m, pid, st->address, st->value);
        r->last_fault = *mm_last_fault(r->m);
        break;
    case OP_EXECUTE:
        s = mm_execute(r->m, pid, st->address);
        r->last_fault = *mm_last_fault(r->m);
        break;
    case OP_TOUCH: s = touch(r, st, pid); break;
    case OP_SET_WS_LIMITS: s = mm_set_ws_limits(r->m, pid, st->minimum, st->maximum); break;
    case OP_SET_PRIORITY: s = mm_set_page_priority(r->m, pid, st->value); break;
    case OP_MARK_BAD: s = mm_mark_bad(r->m, st->value); break;
    case OP_MEMORY_LIST: s = mm_memory_list_command(r->m, st->value); break;
    default:
        *returns_status = false;
        switch (st->op) {
        case OP_TRIM: mm_trim(r->m, pid, st->value); break;
        case OP_TICK: mm_tick(r->m, st->value); break;
        case OP_RUN:
            if (st->thread == MM_THREAD_MODIFIED_WRITER)
                mm_run_modified_writer(r->m);
            else if (st->thread == MM_THREAD_ZERO_PAGE)
                mm_run_zero_thread(r->m);
            else
                mm_run_ws_manager(r->m);
            break;
        default: break;
        }
        break;
    }
    if (*returns_status) {
        r->last_status = s;
        r->has_status = true;
    }
    return s;
}

/* ---- expectations ---- */

static void fail(struct replay_result *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct replay_result *res, const char *fmt, ...)
{
    if (res->nfailures == REPLAY_MAX_FAILURES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->failure[res->nfailures++], sizeof res->failure[0], fmt, ap);
    va_end(ap);
}

static void range_text(const struct scn_range *x, char *out, size_t size)
{
    if (x->min == x->max)
        snprintf(out, size, "%llu", (unsigned long long)x->min);
    else if (x->open_max)
        snprintf(out, size, "at least %llu", (unsigned long long)x->min);
    else if (x->min == 0)
        snprintf(out, size, "at most %llu", (unsigned long long)x->max);
    else
        snprintf(out, size, "%llu..%llu", (unsigned long long)x->min, (unsigned long long)x->max);
}

static void check_range(struct replay_result *res, const char *what, const struct scn_range *x, uint64_t actual,
                        bool hex)
{
    if (!x->set || (actual >= x->min && actual <= x->max))
        return;
    char want[64];
    if (hex && x->min == x->max)
        snprintf(want, sizeof want, "0x%08llX", (unsigned long long)x->min);
    else
        range_text(x, want, sizeof want);
    if (hex)
        fail(res, "%s: expected %s, actual 0x%08llX", what, want, (unsigned long long)actual);
    else
        fail(res, "%s: expected %s, actual %llu", what, want, (unsigned long long)actual);
}

static const char *status_text(mm_status s, char *buf, size_t size)
{
    const char *name = mm_status_name(s);
    if (name)
        return name;
    snprintf(buf, size, "0x%08X", s);
    return buf;
}

static void check_pte(struct replay *r, const struct scn_expect_pte *x, struct replay_result *res)
{
    const char *proc = r->sc->process_names[x->process];
    struct mm_walk w;
    if (mm_walk(r->m, replay_pid(r, x->process), x->address, &w) != STATUS_SUCCESS) {
        fail(res, "%s of 0x%08X in %s: the process is not running", x->pde ? "PDE" : "PTE", x->address, proc);
        return;
    }
    mm_pte v = x->pde ? w.pde : w.pte;
    enum pte_form form = pte_classify(v);
    char what[96];
    snprintf(what, sizeof what, "%s of 0x%08X in %s", x->pde ? "PDE" : "PTE", x->address, proc);
    if (x->form >= 0 && (int)form != x->form)
        fail(res, "%s: expected form %s, actual %s (0x%08X)", what, pte_form_name((enum pte_form)x->form),
             pte_form_name(form), v);
    char sub[140];
    snprintf(sub, sizeof sub, "%s value", what);
    check_range(res, sub, &x->value, v, true);
    if (x->frame.set) {
        snprintf(sub, sizeof sub, "%s frame", what);
        if (form == PTE_FORM_VALID || form == PTE_FORM_TRANSITION)
            check_range(res, sub, &x->frame, pte_frame(v), false);
        else
            fail(res, "%s: expected a frame, but the entry is %s (0x%08X)", what, pte_form_name(form), v);
    }
    if (x->pagefile.set || x->offset.set) {
        if (form != PTE_FORM_PAGEFILE) {
            fail(res, "%s: expected a page-file entry, actual %s (0x%08X)", what, pte_form_name(form), v);
        } else {
            snprintf(sub, sizeof sub, "%s paging file", what);
            check_range(res, sub, &x->pagefile, pte_pagefile_number(v), false);
            snprintf(sub, sizeof sub, "%s paging-file offset", what);
            check_range(res, sub, &x->offset, pte_pagefile_offset(v), false);
        }
    }
    if (x->protection) {
        uint32_t prot = form == PTE_FORM_VALID ? pte_protection(mm_pfn_entry(r->m, pte_frame(v))->original_pte)
                                               : pte_protection(v);
        if (prot_to_win32(prot) != x->protection) {
            char a[64], b[64];
            fail(res, "%s: expected protection %s, actual %s", what, prot_name(prot_from_win32(x->protection), a, 64),
                 prot_name(prot, b, 64));
        }
    }
    if (x->accessed >= 0 && (form != PTE_FORM_VALID || !!(v & PTE_ACCESSED) != x->accessed))
        fail(res, "%s: expected Accessed %s, actual 0x%08X", what, x->accessed ? "set" : "clear", v);
    if (x->dirty >= 0 && (form != PTE_FORM_VALID || !!(v & PTE_DIRTY) != x->dirty))
        fail(res, "%s: expected Dirty %s, actual 0x%08X", what, x->dirty ? "set" : "clear", v);
}

static void check_pfn(struct replay *r, const struct scn_expect_pfn *x, struct replay_result *res)
{
    const struct mmpfn *p = mm_pfn_entry(r->m, x->frame);
    char what[64];
    snprintf(what, sizeof what, "frame 0x%X", x->frame);
    enum mm_list loc = pfn_location(p);
    static const char *const names[MM_LIST_COUNT] = {"zeroed", "free", "standby", "modified",
                                                     "modified_no_write", "bad", "active", "transition"};
    if (x->list >= 0 && (int)loc != x->list)
        fail(res, "%s: expected on %s, actual %s", what, names[x->list], names[loc]);
    bool listed = loc <= BadPageList;
    char sub[96];
    if (x->share_count.set) {
        snprintf(sub, sizeof sub, "%s ShareCount", what);
        check_range(res, sub, &x->share_count, listed ? 0 : p->u2.share_count, false);
    }
    snprintf(sub, sizeof sub, "%s ReferenceCount", what);
    check_range(res, sub, &x->reference_count, p->u3.reference_count, false);
    snprintf(sub, sizeof sub, "%s priority", what);
    check_range(res, sub, &x->priority, pfn_priority(p), false);
    snprintf(sub, sizeof sub, "%s OriginalPte", what);
    check_range(res, sub, &x->original_pte, p->original_pte, true);
    snprintf(sub, sizeof sub, "%s PteAddress", what);
    check_range(res, sub, &x->pte_address, p->pte_address, true);
    if (x->modified >= 0 && pfn_flag(p, PFN_MODIFIED) != (bool)x->modified)
        fail(res, "%s: expected Modified %s, actual %s", what, x->modified ? "set" : "clear",
             pfn_flag(p, PFN_MODIFIED) ? "set" : "clear");
}

static uint64_t list_count(const struct mm_machine *m, enum scn_list_key k)
{
    switch (k) {
    case LK_ZEROED: return mm_list_head(m, ZeroedPageList)->total;
    case LK_FREE: return mm_list_head(m, FreePageList)->total;
    case LK_STANDBY: return mm_list_head(m, StandbyPageList)->total;
    case LK_MODIFIED: return mm_list_head(m, ModifiedPageList)->total;
    case LK_MODIFIED_NO_WRITE: return mm_list_head(m, ModifiedNoWritePageList)->total;
    case LK_BAD: return mm_list_head(m, BadPageList)->total;
    case LK_ACTIVE: return mm_active_frames(m);
    case LK_AVAILABLE: return mm_available_pages(m);
    default: return 0;
    }
}

static void check_expect(struct replay *r, const struct scn_expect *x, struct replay_result *res)
{
    char a[48], b[48];
    if (x->has_status) {
        if (!r->has_status)
            fail(res, "status: expected %s, but no step has returned a status yet", status_text(x->status, a, 48));
        else if (r->last_status != x->status)
            fail(res, "status: expected %s, actual %s", status_text(x->status, a, 48),
                 status_text(r->last_status, b, 48));
    }
    if (x->fault >= 0 && (int)r->last_fault.kind != x->fault)
        fail(res, "fault of the last access: expected %s, actual %s", mm_fault_kind_name((enum mm_fault_kind)x->fault),
             mm_fault_kind_name(r->last_fault.kind));
    if (x->av >= 0 && (int)r->last_fault.av != x->av)
        fail(res, "access-violation reason: expected %s, actual %s", mm_av_reason_name((enum mm_av_reason)x->av),
             mm_av_reason_name(r->last_fault.av));
    if (x->value.set) {
        if (!r->has_value)
            fail(res, "value: expected a value, but the last read did not succeed");
        else
            check_range(res, "value of the last read", &x->value, r->last_value, true);
    }
    for (int k = 0; k < LK_COUNT; k++) {
        char what[64];
        snprintf(what, sizeof what, "%s pages", scenario_list_key_name((enum scn_list_key)k));
        check_range(res, what, &x->list[k], list_count(r->m, (enum scn_list_key)k), false);
    }
    struct mm_memory_list_info info;
    mm_memory_list_query(r->m, &info);
    for (unsigned prio = 0; prio < MM_STANDBY_PRIORITIES; prio++) {
        char what[64];
        snprintf(what, sizeof what, "standby pages at priority %u", prio);
        check_range(res, what, &x->standby_priority[prio], info.page_count_by_priority[prio], false);
        snprintf(what, sizeof what, "pages repurposed at priority %u", prio);
        check_range(res, what, &x->repurposed[prio], info.repurposed_pages_by_priority[prio], false);
    }
    if (x->pte.set)
        check_pte(r, &x->pte, res);
    if (x->pfn.set)
        check_pfn(r, &x->pfn, res);
    if (x->ws.set) {
        const char *proc = r->sc->process_names[x->ws.process];
        uint32_t pid = replay_pid(r, x->ws.process);
        const struct mm_wsl *ws = mm_working_set(r->m, pid);
        char what[96];
        snprintf(what, sizeof what, "working-set size of %s", proc);
        check_range(res, what, &x->ws.size, ws ? ws->size : 0, false);
        for (uint32_t i = 0; i < x->ws.ncontains; i++)
            if (!mm_ws_contains(r->m, pid, x->ws.contains[i]))
                fail(res, "working set of %s: expected to contain 0x%08X, it does not", proc, x->ws.contains[i]);
        for (uint32_t i = 0; i < x->ws.nexcludes; i++)
            if (mm_ws_contains(r->m, pid, x->ws.excludes[i]))
                fail(res, "working set of %s: expected not to contain 0x%08X, it does", proc, x->ws.excludes[i]);
    }
    if (x->pagefile_used.set) {
        uint32_t size = 0, used = 0;
        mm_pagefile_usage(r->m, (uint32_t)x->pagefile_file, &size, &used);
        char what[64];
        snprintf(what, sizeof what, "slots used in paging file %d", x->pagefile_file);
        check_range(res, what, &x->pagefile_used, used, false);
    }
    if (x->commit_charge.set || x->commit_total.set || x->commit_limit.set || x->commit_peak.set) {
        struct mm_commit_info ci;
        mm_commit(r->m, replay_pid(r, x->commit_process), &ci);
        char what[96];
        if (x->commit_process >= 0) {
            snprintf(what, sizeof what, "commit charge of %s (pages)", r->sc->process_names[x->commit_process]);
            check_range(res, what, &x->commit_charge, ci.process_charge, false);
        }
        check_range(res, "system commit total (pages)", &x->commit_total, ci.total, false);
        check_range(res, "commit limit (pages)", &x->commit_limit, ci.limit, false);
        check_range(res, "system commit peak (pages)", &x->commit_peak, ci.peak, false);
    }
    struct mm_counters c;
    mm_counters(r->m, replay_pid(r, x->faults_process), &c);
    for (int k = 0; k < MM_FAULT_KIND_COUNT; k++) {
        char what[96];
        snprintf(what, sizeof what, "%s faults%s%s", mm_fault_kind_name((enum mm_fault_kind)k),
                 x->faults_process >= 0 ? " of " : "",
                 x->faults_process >= 0 ? r->sc->process_names[x->faults_process] : "");
        check_range(res, what, &x->faults[k], c.faults[k], false);
    }
}

bool replay_step(struct replay *r, struct replay_result *res)
{
    memset(res, 0, sizeof *res);
    if (r->broken || r->next >= r->sc->nsteps)
        return false;
    const struct scn_step *st = &r->sc->steps[r->next];
    res->step = st;
    res->index = r->next++;
    if (st->op == OP_EXPECT) {
        check_expect(r, st->expect, res);
        if (res->nfailures)
            r->failed_steps++;
    } else if (st->op != OP_NOTE) {
        res->status = run_op(r, st, &res->returns_status);
    }
    if (!mm_check(r->m, r->broken_msg, sizeof r->broken_msg))
        r->broken = true;
    return true;
}
