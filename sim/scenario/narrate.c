/*
 * narrate.c - the words (and JSON lines) of a replay.
 */
#include <inttypes.h>
#include <string.h>

#include "json.h"
#include "narrate.h"
#include "narrate_section.h"
#include "ops.h"
#include "pagetable.h"
#include "show.h"

#define BOLD(n) ((n)->color ? "\033[1m" : "")
#define RED(n) ((n)->color ? "\033[31m" : "")
#define GREEN(n) ((n)->color ? "\033[32m" : "")
#define DIM(n) ((n)->color ? "\033[2m" : "")
#define RESET(n) ((n)->color ? "\033[0m" : "")

#include <stdarg.h>
#include <stdlib.h>

/* Print one line of an event: held back until the fault that it belongs
 * to has been told (see narrate_event), or straight out. */
static void say(struct narrator *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct narrator *n, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (len < 0)
        return;
    size_t need = n->held_len + strlen(line) + 1;
    if (need > n->held_cap) {
        size_t cap = need * 2;
        char *p = realloc(n->held, cap);
        if (!p) {
            fputs(line, n->out);
            return;
        }
        n->held = p;
        n->held_cap = cap;
    }
    memcpy(n->held + n->held_len, line, strlen(line) + 1);
    n->held_len += strlen(line);
}

void narrate_flush(struct narrator *n)
{
    if (n->held_len)
        fputs(n->held, n->out);
    n->held_len = 0;
    if (n->held)
        n->held[0] = '\0';
}

void narrate_free(struct narrator *n)
{
    free(n->held);
    n->held = NULL;
    n->held_len = n->held_cap = 0;
}

static const char *pname(const struct mm_machine *m, uint32_t pid)
{
    const char *name = mm_process_name(m, pid);
    return name ? name : "?";
}

static void list_name(char *out, size_t size, enum mm_list list, unsigned prio)
{
    if (list == StandbyPageList)
        snprintf(out, size, "Standby[%u]", prio);
    else
        snprintf(out, size, "%s", pfn_list_name(list));
}

void narrate_pte_value(char *out, size_t size, mm_pte v)
{
    char prot[64];
    switch (pte_classify(v)) {
    case PTE_FORM_ZERO: snprintf(out, size, "zero: ask the VAD"); break;
    case PTE_FORM_VALID:
        snprintf(out, size, "valid, frame 0x%X%s%s%s", pte_frame(v), v & PTE_WRITE ? ", writable" : ", read-only",
                 v & PTE_ACCESSED ? ", accessed" : "", v & PTE_DIRTY ? ", dirty" : "");
        break;
    case PTE_FORM_DEMAND_ZERO:
        snprintf(out, size, "demand-zero, %s", prot_name(pte_protection(v), prot, sizeof prot));
        break;
    case PTE_FORM_PAGEFILE:
        snprintf(out, size, "in paging file %u at offset 0x%X, %s", pte_pagefile_number(v), pte_pagefile_offset(v),
                 prot_name(pte_protection(v), prot, sizeof prot));
        break;
    case PTE_FORM_TRANSITION:
        snprintf(out, size, "transition, frame 0x%X, %s", pte_frame(v), prot_name(pte_protection(v), prot, sizeof prot));
        break;
    case PTE_FORM_PROTOTYPE:
        if (v & PTE_WHICH_POOL_SUBSECTION)   /* a prototype PTE whose page is in its file */
            snprintf(out, size, "subsection: in the mapped file (subsection at 0x%08X), %s",
                     pte_subsection_address(v), prot_name(pte_protection(v), prot, sizeof prot));
        else
            snprintf(out, size, "prototype pointer -> prototype PTE 0x%08X", pte_proto_address(v));
        break;
    case PTE_FORM_DECOMMITTED: snprintf(out, size, "decommitted"); break;
    }
}

/* Print text wrapped at 88 columns, every line after the first indented
 * by `indent` spaces (the first line continues what is already printed).
 * The text is the scenario's: control characters are shown escaped. */
static void wrap(FILE *f, const char *text, size_t used, size_t indent)
{
    const size_t width = 88;
    const char *p = text;
    size_t col = used;
    bool first_word = true;   /* on this line */
    for (;;) {
        while (*p == ' ')
            p++;
        size_t len = strcspn(p, " ");
        if (!len)
            break;
        size_t cols = show_columns(p, len);
        if (!first_word && col + 1 + cols > width) {
            fprintf(f, "\n%*s", (int)indent, "");
            col = indent;
            first_word = true;
        }
        if (!first_word) {
            fputc(' ', f);
            col++;
        }
        col += show_write(f, p, len);
        p += len;
        first_word = false;
    }
    fputc('\n', f);
}

/* ---- parameters ---- */

/* Where a group of defaults comes from, for the header. */
static const char *defaults_source(bool defaults, bool unscaled, const char *size)
{
    static char text[80];
    if (!defaults)
        return "set by the scenario";
    snprintf(text, sizeof text, unscaled ? "NT's values for a %s system" : "NT's values for a %s system, scaled down "
             "to fit this one", size);
    return text;
}

void narrate_parameters(struct narrator *n, const struct scenario *sc)
{
    const struct mm_config *c = &sc->config;
    if (n->json) {
        fprintf(n->out, "{\"type\":\"scenario\",\"name\":");
        json_write_string(n->out, sc->name);
        fprintf(n->out, ",\"file\":");
        json_write_string(n->out, sc->file);
        fprintf(n->out, ",\"frames\":%u,\"steps\":%u}\n", c->frames, sc->nsteps);
        return;
    }
    fprintf(n->out, "%sscenario ", BOLD(n));
    show_fputs(n->out, sc->name);
    if (sc->title) {
        fprintf(n->out, ": ");
        show_fputs(n->out, sc->title);
    }
    fprintf(n->out, "%s\n", RESET(n));
    fprintf(n->out, "  ");
    wrap(n->out, sc->description, 2, 2);
    struct mm_config nt, scaled;
    mm_config_default(&nt);
    scaled = nt;
    mm_config_nt_values(&nt, c->frames);
    mm_config_for_memory(&scaled, c->frames);
    const char *size = mm_system_size_name(mm_system_size(c->frames));
    fprintf(n->out, "parameters:\n");
    fprintf(n->out, "  memory          %u frames of 4 KiB (%u KiB): a %s system by NT's measure\n", c->frames,
            c->frames * 4u, size);
    for (uint32_t i = 0; i < c->pagefile_count; i++) {
        fprintf(n->out, "  paging file %-3u %u pages (slot 0 reserved)", i, c->pagefile_pages[i]);
        if (c->pagefile_maximum[i] > c->pagefile_pages[i])
            fprintf(n->out, ", may grow to %u", c->pagefile_maximum[i]);
        fputc('\n', n->out);
    }
    fprintf(n->out, "  working sets    minimum %u pages%s, maximum %u pages%s\n                  (%s)\n",
            c->ws_minimum, sc->ws_hard_minimum ? " (hard)" : "", c->ws_maximum,
            sc->ws_hard_maximum ? " (hard)" : " (soft)",
            defaults_source(c->ws_minimum == scaled.ws_minimum && c->ws_maximum == scaled.ws_maximum,
                            scaled.ws_minimum == nt.ws_minimum && scaled.ws_maximum == nt.ws_maximum, size));
    fprintf(n->out, "                  3 entries of each set are locked system pages and one is taken per page\n"
                    "                  table in use: a maximum of %u leaves %u data pages with one table\n",
            c->ws_maximum, c->ws_maximum > 4 ? c->ws_maximum - 4 : 0);
    if (sc->ws_hard_maximum)
        fprintf(n->out, "  replacement     %s; at its hard maximum a set replaces one of its own pages\n",
                mm_policy_name(c->policy));
    else
        fprintf(n->out, "  replacement     %s; at a soft maximum a set still grows while %u pages or more are\n"
                        "                  available, and is trimmed back later\n",
                mm_policy_name(c->policy), c->wsmgr_plenty);
    fprintf(n->out, "  processor       TLB of %u entr%s; %s\n", c->tlb_entries, c->tlb_entries == 1 ? "y" : "ies",
            c->nx ? "no-execute enforced (a PAE processor with NX)" : "no no-execute bit (i386 without PAE)");
    fprintf(n->out, "  I/O             read cluster %u, write cluster %u pages\n", c->read_cluster, c->write_cluster);
    fprintf(n->out, "  threads         zero page at %u free pages%s; modified writer at %u modified pages%s,\n"
                    "                  in whole clusters; working-set manager every %u tick(s): below %u\n"
                    "                  available pages it trims enough pages to bring them back to %u\n"
                    "                  (%s)\n",
            c->zero_threshold, c->zero_period ? " or on its period" : "", c->mpw_threshold,
            c->mpw_period ? " or on its period" : "", c->wsmgr_period, c->wsmgr_low, c->wsmgr_plenty,
            defaults_source(c->wsmgr_low == scaled.wsmgr_low && c->wsmgr_plenty == scaled.wsmgr_plenty &&
                                c->mpw_threshold == scaled.mpw_threshold && c->zero_threshold == scaled.zero_threshold,
                            scaled.wsmgr_low == nt.wsmgr_low && scaled.wsmgr_plenty == nt.wsmgr_plenty &&
                                scaled.mpw_threshold == nt.mpw_threshold && scaled.zero_threshold == nt.zero_threshold,
                            size));
    fprintf(n->out, "  processes       ");
    if (sc->ninitial == 0)
        fprintf(n->out, "none at the start");
    for (uint32_t i = 0; i < sc->ninitial; i++)
        fprintf(n->out, "%s%s", i ? ", " : "", sc->process_names[i]);
    fprintf(n->out, "\n  steps           %u\n", sc->nsteps);
}

void narrate_setup(struct narrator *n)
{
    if (!n->json && n->held_len) {
        fprintf(n->out, "\n%ssetup: the scenario's processes start%s\n", BOLD(n), RESET(n));
        narrate_flush(n);
    }
    narrate_flush(n);
}

/* ---- steps ---- */

static void describe_step(const struct narrator *n, const struct scn_step *st, char *out, size_t size)
{
    if ((unsigned)st->op < OP_COUNT)
        op_table[st->op]->describe(n->replay->sc, st, out, size);
    else
        snprintf(out, size, "?");
}

void narrate_step_begin(struct narrator *n, const struct scn_step *st, uint32_t index)
{
    n->step = index + 1;
    char what[200];
    describe_step(n, st, what, sizeof what);
    if (n->json) {
        fprintf(n->out, "{\"type\":\"step\",\"step\":%u,\"op\":\"%s\",\"line\":%u}\n", n->step,
                scenario_op_name(st->op), st->line);
        return;
    }
    if (st->op == OP_NOTE) {
        char head[32];
        int len = snprintf(head, sizeof head, "step %u", n->step);
        fprintf(n->out, "\n%s%s%s  ", BOLD(n), head, RESET(n));
        wrap(n->out, st->text, (size_t)len + 2, 2);
        return;
    }
    if (st->op == OP_EXPECT)
        return;   /* told at the end of the step */
    fprintf(n->out, "\n%sstep %u: %s%s\n", BOLD(n), n->step, what, RESET(n));
}

/* ---- events ---- */

static void json_event(struct narrator *n, const struct mm_event *ev)
{
    FILE *o = n->out;
    fprintf(o, "{\"type\":\"event\",\"step\":%u,\"seq\":%" PRIu64 ",\"kind\":\"%s\",\"pid\":%u", n->step, ev->seq,
            mm_event_kind_name(ev->kind), ev->pid);
    switch (ev->kind) {
    case MM_EV_FAULT:
        fprintf(o, ",\"va\":\"0x%08X\",\"access\":\"%s\",\"fault\":\"%s\",\"status\":\"0x%08X\",\"frame\":%u",
                ev->u.fault.va, mm_access_name(ev->u.fault.access), mm_fault_kind_name(ev->u.fault.kind),
                ev->u.fault.status, ev->u.fault.frame);
        if (ev->u.fault.kind == MM_FAULT_ACCESS_VIOLATION)
            fprintf(o, ",\"reason\":\"%s\"", mm_av_reason_name(ev->u.fault.av));
        if (ev->u.fault.kind == MM_FAULT_TRANSITION)
            fprintf(o, ",\"from\":\"%s\"", pfn_list_name(ev->u.fault.from));
        if (ev->u.fault.guard)
            fprintf(o, ",\"new_guard\":\"0x%08X\"", ev->u.fault.guard);
        if (is_user_table_va(ev->u.fault.va))
            fprintf(o, ",\"page_table\":true");
        break;
    case MM_EV_TLB:
        fprintf(o, ",\"va\":\"0x%08X\",\"hit\":%s,\"entry\":%u", ev->u.tlb.va, ev->u.tlb.hit ? "true" : "false",
                ev->u.tlb.slot);
        if (ev->u.tlb.frame != MM_EMPTY_LIST)
            fprintf(o, ",\"frame\":%u", ev->u.tlb.frame);
        if (!ev->u.tlb.hit && ev->u.tlb.old_vpn != TLB_INVALID_TAG)
            fprintf(o, ",\"replaced\":\"0x%08X\"", VPN_VA(ev->u.tlb.old_vpn));
        break;
    case MM_EV_PAGE_MOVE:
        fprintf(o, ",\"frame\":%u,\"from\":\"%s\",\"to\":\"%s\",\"priority\":%u,\"why\":\"%s\"", ev->u.move.frame,
                pfn_list_name(ev->u.move.from), pfn_list_name(ev->u.move.to), ev->u.move.to_priority,
                pfn_move_reason_name(ev->u.move.why));
        break;
    case MM_EV_PTE:
        fprintf(o, ",\"pte_va\":\"0x%08X\",\"va\":\"0x%08X\",\"old\":\"0x%08X\",\"new\":\"0x%08X\",\"pde\":%s,"
                   "\"hardware\":%s",
                ev->u.pte.pte_va, ev->u.pte.va, ev->u.pte.old_value, ev->u.pte.new_value,
                ev->u.pte.is_pde ? "true" : "false", ev->u.pte.by_hardware ? "true" : "false");
        if (ev->u.pte.proto)
            fprintf(o, ",\"proto\":true");
        break;
    case MM_EV_WSLE:
        fprintf(o, ",\"index\":%u,\"va\":\"0x%08X\",\"inserted\":%s,\"why\":\"%s\"", ev->u.wsle.index, ev->u.wsle.va,
                ev->u.wsle.inserted ? "true" : "false", mm_ws_reason_name(ev->u.wsle.why));
        break;
    case MM_EV_PAGEFILE:
        if (ev->u.io.extended) {
            fprintf(o, ",\"op\":\"extend\",\"file\":%u,\"size\":%u", ev->u.io.file, ev->u.io.slot);
            break;
        }
        fprintf(o, ",\"op\":\"%s\",\"file\":%u,\"slot\":%u", ev->u.io.freed ? "free" : ev->u.io.write ? "write" : "read",
                ev->u.io.file, ev->u.io.slot);
        if (!ev->u.io.freed)
            fprintf(o, ",\"frame\":%u", ev->u.io.frame);
        break;
    case MM_EV_THREAD: {
        static const char *const actions[] = {"wake", "cluster", "trim", "done"};
        fprintf(o, ",\"thread\":\"%s\",\"action\":\"%s\",\"count\":%u",
                scenario_thread_names[ev->u.thread.thread],
                actions[ev->u.thread.action], ev->u.thread.count);
        if (ev->u.thread.action == MM_THREAD_CLUSTER)
            fprintf(o, ",\"file\":%u,\"slot\":%u", ev->u.thread.file, ev->u.thread.slot);
        break;
    }
    case MM_EV_PROCESS:
        fprintf(o, ",\"created\":%s", ev->u.process.created ? "true" : "false");
        break;
    case MM_EV_FILE_IO:
    case MM_EV_SECTION:
    case MM_EV_VIEW:
        narrate_section_json(o, ev);
        break;
    default:
        break;
    }
    fprintf(o, "}\n");
}

/* A fault on a page table itself: made (the demand-zero fault on its
 * PDE) or brought back, at the table's address through the self-map. */
static void table_fault_words(struct narrator *n, const struct mm_event *ev)
{
    FILE *o = n->out;
    mm_va first = pte_mapped_va(ev->u.fault.va);
    fprintf(o, "  %spage fault%s at 0x%08X, the page table for 0x%08X-0x%08X (%s by %s): ", BOLD(n), RESET(n),
            ev->u.fault.va, first, first + 0x3FFFFFu, mm_access_name(ev->u.fault.access),
            pname(n->replay->m, ev->pid));
    switch (ev->u.fault.kind) {
    case MM_FAULT_PAGE_TABLE:
        fprintf(o, "no page table yet; the demand-zero fault on its PDE makes frame 0x%X the table "
                   "(MiResolveDemandZeroFault, for MiMakePdeExistAndMakeValid)\n", ev->u.fault.frame);
        break;
    case MM_FAULT_TRANSITION:
        fprintf(o, "the table was trimmed; a soft fault brings it back from the %s list in frame 0x%X "
                   "(MiResolveTransitionFault)\n", pfn_list_name(ev->u.fault.from), ev->u.fault.frame);
        break;
    default:
        fprintf(o, "the table was paged out; a hard fault reads it back from the paging file into frame 0x%X "
                   "(MiResolvePageFileFault)\n", ev->u.fault.frame);
        break;
    }
    narrate_flush(n);
}

static void guard_words(FILE *o, const struct mm_event *ev)
{
    if (ev->u.fault.status == STATUS_PAGE_FAULT_GUARD_PAGE)
        fprintf(o, "guard page of a thread stack: the guard is removed and MiCheckForUserStackOverflow commits "
                   "0x%08X below it as the new guard page (STATUS_PAGE_FAULT_GUARD_PAGE); the access is retried\n",
                ev->u.fault.guard);
    else if (ev->u.fault.status == STATUS_STACK_OVERFLOW)
        fprintf(o, "guard page at the end of a thread stack's reservation: the guard is removed, no page is left "
                   "for a new one, STATUS_STACK_OVERFLOW (MiCheckForUserStackOverflow)\n");
    else
        fprintf(o, "guard page: the guard is removed and STATUS_GUARD_PAGE_VIOLATION raised; the access is not "
                   "performed\n");
}

static void fault_words(struct narrator *n, const struct mm_event *ev)
{
    const struct mm_machine *m = n->replay->m;
    FILE *o = n->out;
    if (is_user_table_va(ev->u.fault.va) &&
        (ev->u.fault.kind == MM_FAULT_PAGE_TABLE || ev->u.fault.kind == MM_FAULT_TRANSITION ||
         ev->u.fault.kind == MM_FAULT_PAGE_FILE)) {
        table_fault_words(n, ev);
        return;
    }
    fprintf(o, "  %spage fault%s at 0x%08X (%s by %s): ", BOLD(n), RESET(n), ev->u.fault.va,
            mm_access_name(ev->u.fault.access), pname(m, ev->pid));
    char words[400];
    if (narrate_section_fault(n->replay, ev, words, sizeof words)) {   /* through a prototype PTE */
        fprintf(o, "%s\n", words);
        narrate_flush(n);
        return;
    }
    switch (ev->u.fault.kind) {
    case MM_FAULT_DEMAND_ZERO:
        fprintf(o, "demand-zero, frame 0x%X becomes the page (MiResolveDemandZeroFault)\n", ev->u.fault.frame);
        break;
    case MM_FAULT_TRANSITION:
        fprintf(o, "soft fault, frame 0x%X comes back from the %s list (MiResolveTransitionFault)\n",
                ev->u.fault.frame, pfn_list_name(ev->u.fault.from));
        break;
    case MM_FAULT_PAGE_FILE:
        fprintf(o, "hard fault, the page is read from the paging file into frame 0x%X (MiResolvePageFileFault)\n",
                ev->u.fault.frame);
        break;
    case MM_FAULT_GUARD_PAGE:
        guard_words(o, ev);
        break;
    case MM_FAULT_ACCESS_VIOLATION:
        fprintf(o, "%saccess violation (%s), STATUS_ACCESS_VIOLATION%s\n", RED(n), mm_av_reason_name(ev->u.fault.av),
                RESET(n));
        break;
    case MM_FAULT_NO_MEMORY:
        fprintf(o, "no frame can be found, STATUS_NO_MEMORY\n");
        break;
    default:
        fprintf(o, "already resolved\n");
        break;
    }
    narrate_flush(n);   /* then how it was resolved, step by step */
}

/* -v: every lookup of the TLB, hit or miss, and what a miss replaced. */
static void tlb_words(struct narrator *n, const struct mm_event *ev)
{
    if (ev->u.tlb.hit)
        say(n, "  TLB hit: entry %u maps 0x%08X to frame 0x%X\n", ev->u.tlb.slot, PAGE_ALIGN(ev->u.tlb.va),
            ev->u.tlb.frame);
    else if (ev->u.tlb.frame == MM_EMPTY_LIST)
        say(n, "  TLB miss for 0x%08X (entry %u): the walk finds no usable translation, a page fault\n",
            PAGE_ALIGN(ev->u.tlb.va), ev->u.tlb.slot);
    else if (ev->u.tlb.old_vpn == TLB_INVALID_TAG || ev->u.tlb.old_vpn == VA_VPN(ev->u.tlb.va))
        say(n, "  TLB miss for 0x%08X: the walk fills entry %u (frame 0x%X)\n", PAGE_ALIGN(ev->u.tlb.va),
            ev->u.tlb.slot, ev->u.tlb.frame);
    else
        say(n, "  TLB miss for 0x%08X: the walk fills entry %u (frame 0x%X), replacing 0x%08X\n",
            PAGE_ALIGN(ev->u.tlb.va), ev->u.tlb.slot, ev->u.tlb.frame, VPN_VA(ev->u.tlb.old_vpn));
}

void narrate_event(void *ctx, const struct mm_event *ev)
{
    struct narrator *n = ctx;
    if (n->json) {
        json_event(n, ev);
        return;
    }
    if (n->quiet_events)
        return;
    const struct mm_machine *m = n->replay->m;
    char a[64], b[64], va[96], vb[96], line[480];
    if (narrate_section_event(n->replay, ev, n->verbose, line, sizeof line)) {
        say(n, "  %s\n", line);
        return;
    }
    switch (ev->kind) {
    case MM_EV_FAULT:
        fault_words(n, ev);
        break;
    case MM_EV_PAGE_MOVE:
        list_name(a, sizeof a, ev->u.move.from, ev->u.move.from_priority);
        list_name(b, sizeof b, ev->u.move.to, ev->u.move.to_priority);
        say(n, "  frame 0x%X: %s -> %s (%s)\n", ev->u.move.frame, a, b, pfn_move_reason_name(ev->u.move.why));
        break;
    case MM_EV_PTE:
        if ((ev->u.pte.by_hardware || ev->u.pte.proto) && !n->verbose)
            break;
        narrate_pte_value(va, sizeof va, ev->u.pte.old_value);
        narrate_pte_value(vb, sizeof vb, ev->u.pte.new_value);
        if (ev->u.pte.is_pde && ev->u.pte.new_value == 0)
            snprintf(vb, sizeof vb, "no page table");
        if (ev->u.pte.pte_va == PDE_SELFMAP_VA)
            say(n, "  PDE 0x%08X of %s (the self-map: the directory is its own page table for 0xC0000000): "
                   "0x%08X -> 0x%08X (%s)\n", ev->u.pte.pte_va, pname(m, ev->pid), ev->u.pte.old_value,
                ev->u.pte.new_value, vb);
        else if (ev->u.pte.is_pde)
            say(n, "  %sPDE 0x%08X of %s (tables for 0x%08X): 0x%08X -> 0x%08X (%s)\n",
                    ev->u.pte.by_hardware ? "hardware: " : "", ev->u.pte.pte_va, pname(m, ev->pid),
                    (ev->u.pte.pte_va - PDE_BASE) << 20, ev->u.pte.old_value, ev->u.pte.new_value, vb);
        else
            say(n, "  %sPTE 0x%08X of %s (maps 0x%08X): 0x%08X -> 0x%08X (%s)\n",
                    ev->u.pte.by_hardware ? "hardware: " : "", ev->u.pte.pte_va, pname(m, ev->pid), ev->u.pte.va,
                    ev->u.pte.old_value, ev->u.pte.new_value, vb);
        break;
    case MM_EV_WSLE:
        if (ev->u.wsle.inserted)
            say(n, "  working set of %s: 0x%08X enters at entry %u\n", pname(m, ev->pid), ev->u.wsle.va,
                    ev->u.wsle.index);
        else
            say(n, "  working set of %s: 0x%08X leaves entry %u (%s)\n", pname(m, ev->pid), ev->u.wsle.va,
                    ev->u.wsle.index, mm_ws_reason_name(ev->u.wsle.why));
        break;
    case MM_EV_PAGEFILE:
        if (ev->u.io.extended)
            say(n, "  paging file %u grows to %u pages, and the commit limit with it (MiExtendPagingFiles)\n",
                ev->u.io.file, ev->u.io.slot);
        else if (ev->u.io.freed)
            say(n, "  paging file %u: slot %u is free again (its copy is no longer needed)\n", ev->u.io.file,
                ev->u.io.slot);
        else if (ev->u.io.write)
            say(n, "  paging file %u: frame 0x%X written to slot %u\n", ev->u.io.file, ev->u.io.frame, ev->u.io.slot);
        else
            say(n, "  paging file %u: slot %u read into frame 0x%X\n", ev->u.io.file, ev->u.io.slot, ev->u.io.frame);
        break;
    case MM_EV_THREAD: {
        const char *t = mm_thread_name(ev->u.thread.thread);
        static const char *const why[] = {"asked", "its period came round", "its threshold was crossed",
                                          "memory is low"};
        switch (ev->u.thread.action) {
        case MM_THREAD_WAKE: say(n, "  %s wakes (%s)\n", t, why[ev->u.thread.arg & 3]); break;
        case MM_THREAD_CLUSTER:
            say(n, "  %s: one write of %u page%s to paging file %u from slot %u\n", t, ev->u.thread.count,
                ev->u.thread.count == 1 ? "" : "s", ev->u.thread.file, ev->u.thread.slot);
            break;
        case MM_THREAD_TRIM:
            say(n, "  %s: trimmed %u page%s from %s\n", t, ev->u.thread.count, ev->u.thread.count == 1 ? "" : "s",
                pname(m, ev->pid));
            break;
        case MM_THREAD_DONE:
            say(n, "  %s done: %u page%s\n", t, ev->u.thread.count, ev->u.thread.count == 1 ? "" : "s");
            break;
        }
        break;
    }
    case MM_EV_PROCESS:
        say(n, "  process %s (pid %u) %s\n", pname(m, ev->pid), ev->pid,
                ev->u.process.created ? "created: page directory, hyperspace table and working-set list page"
                                      : "terminated: every frame it held is free again");
        break;
    case MM_EV_TLB_FLUSH:
        if (n->verbose)
            say(n, "  address space of %s loaded (CR3): the TLB is flushed\n", pname(m, ev->pid));
        break;
    case MM_EV_TLB:
        if (n->verbose)
            tlb_words(n, ev);
        break;
    default:
        break;
    }
}

/* ---- state ---- */

void narrate_lists(FILE *out, const struct mm_machine *m)
{
    struct mm_memory_list_info info;
    mm_memory_list_query(m, &info);
    fprintf(out, "zeroed %" PRIu64 ", free %" PRIu64 ", standby %u, modified %" PRIu64 ", modified-no-write %" PRIu64
                 ", bad %" PRIu64 "; active %u",
            info.zero_page_count, info.free_page_count, mm_list_head(m, StandbyPageList)->total,
            info.modified_page_count, info.modified_no_write_page_count, info.bad_page_count, mm_active_frames(m));
}

/* What the access raises for the page itself, once its table is present. */
static void walk_outcome(FILE *out, const struct mm_walk *w)
{
    if (w->valid && w->fault == MM_FAULT_COPY_ON_WRITE)
        fprintf(out, "    -> refused: the page is read-only until written (CopyOnWrite, bit 9), a copy-on-write fault "
                     "gives this process its own copy (MiCopyOnWrite)\n");
    else if (w->valid && w->refused)
        fprintf(out, "    -> refused: %s, an access violation (%s); nothing is translated\n",
                w->av == MM_AV_WRITE ? "the page is not writable" : "the page is not executable",
                mm_av_reason_name(w->av));
    else if (w->valid)
        fprintf(out, "    -> frame 0x%X + offset 0x%03X = physical 0x%08X\n", w->frame, w->offset, w->pa);
    else if (w->fault == MM_FAULT_ACCESS_VIOLATION)
        fprintf(out, "    -> the %s raises an access violation (%s)\n", mm_access_name(w->access),
                mm_av_reason_name(w->av));
    else
        fprintf(out, "    -> the %s raises a %s fault\n", mm_access_name(w->access), mm_fault_kind_name(w->fault));
}

void narrate_walk(FILE *out, const struct mm_machine *m, uint32_t pid, mm_va va, enum mm_access_kind access)
{
    struct mm_walk w;
    if (mm_walk_access(m, pid, va, access, &w) != STATUS_SUCCESS) {
        fprintf(out, "no such process\n");
        return;
    }
    char d[96];
    fprintf(out, "walk of 0x%08X in %s for a %s: directory index 0x%03X, table index 0x%03X, offset 0x%03X\n", va,
            pname(m, pid), mm_access_name(access), w.pdi, w.pti, w.offset);
    fprintf(out, "    CR3 -> directory in frame 0x%X\n", w.directory);
    narrate_pte_value(d, sizeof d, w.pde);
    fprintf(out, "    PDE at 0x%08X (physical 0x%08X) = 0x%08X (%s)\n", w.pde_va, w.pde_pa, w.pde, d);
    if (w.va > MM_HIGHEST_USER_ADDRESS) {
        walk_outcome(out, &w);
        return;
    }
    if (!w.pde_valid && w.pde == 0) {
        if (w.fault == MM_FAULT_ACCESS_VIOLATION)
            fprintf(out, "    no page table; the %s raises an access violation (%s)\n", mm_access_name(access),
                    mm_av_reason_name(w.av));
        else
            fprintf(out, "    no page table; the %s first makes one (page-table fault), then raises a %s fault\n",
                    mm_access_name(access), mm_fault_kind_name(w.fault));
        return;
    }
    narrate_pte_value(d, sizeof d, w.pte);
    if (!w.pde_valid) {
        fprintf(out, "    the page table is paged out (%s); the %s first brings it back (a %s fault on the PDE)\n",
                w.table_form == PTE_FORM_TRANSITION ? "its frame is on a list" : "it is in a paging file",
                mm_access_name(access), mm_fault_kind_name(w.table_fault));
        fprintf(out, "    PTE at 0x%08X, read where the table is = 0x%08X (%s)\n", w.pte_va, w.pte, d);
    } else {
        fprintf(out, "    PTE at 0x%08X (physical 0x%08X) = 0x%08X (%s)\n", w.pte_va, w.pte_pa, w.pte, d);
    }
    narrate_section_walk(out, m, pid, va, w.pte);   /* a prototype pointer, or zero in a view */
    walk_outcome(out, &w);
}

void narrate_tlb(FILE *out, const struct mm_machine *m)
{
    uint32_t size = mm_tlb_size(m), used = 0;
    struct mm_counters c;
    mm_counters(m, 0, &c);
    fprintf(out, "TLB: %u entries, direct-mapped by the low bits of the page number; %llu hits, %llu misses, "
                 "%llu flushes\n", size, (unsigned long long)c.tlb_hits, (unsigned long long)c.tlb_misses,
            (unsigned long long)c.tlb_flushes);
    for (uint32_t i = 0; i < size; i++) {
        mm_va va;
        mm_pfn f;
        mm_pte pte;
        if (!mm_tlb_entry(m, i, &va, &f, &pte))
            continue;
        used++;
        fprintf(out, "    [%3u] 0x%08X -> frame 0x%X%s%s\n", i, va, f, pte & PTE_WRITE ? ", writable" : ", read-only",
                pte & PTE_DIRTY ? ", dirty" : "");
    }
    if (used == 0)
        fprintf(out, "    (empty)\n");
}

void narrate_pfn(FILE *out, const struct mm_machine *m, mm_pfn frame)
{
    const struct mmpfn *p = mm_pfn_entry(m, frame);
    if (!p) {
        fprintf(out, "no frame 0x%X (the machine has %u frames)\n", frame, mm_frame_count(m));
        return;
    }
    enum mm_list loc = pfn_location(p);
    char list[32], orig[96];
    list_name(list, sizeof list, loc, pfn_priority(p));
    narrate_pte_value(orig, sizeof orig, p->original_pte);
    fprintf(out, "PFN entry of frame 0x%X: %s\n", frame, list);
    if (loc <= BadPageList)
        fprintf(out, "    Flink 0x%X, Blink 0x%X\n", p->u1.flink, p->u2.blink);
    else
        fprintf(out, "    WsIndex %u, ShareCount %u\n", p->u1.ws_index, p->u2.share_count);
    fprintf(out, "    PteAddress 0x%08X in table frame 0x%X, ReferenceCount %u, priority %u\n", p->pte_address,
            pfn_pte_frame(p), p->u3.reference_count, pfn_priority(p));
    fprintf(out, "    flags:%s%s%s%s%s\n", pfn_flag(p, PFN_MODIFIED) ? " Modified" : "",
            pfn_flag(p, PFN_READ_IN_PROGRESS) ? " ReadInProgress" : "",
            pfn_flag(p, PFN_WRITE_IN_PROGRESS) ? " WriteInProgress" : "",
            pfn_flag(p, PFN_PARITY_ERROR) ? " ParityError" : "",
            p->u3.flags & (PFN_MODIFIED | PFN_READ_IN_PROGRESS | PFN_WRITE_IN_PROGRESS | PFN_PARITY_ERROR) ? "" : " none");
    fprintf(out, "    OriginalPte 0x%08X (%s)\n", p->original_pte, orig);
}

void narrate_ws(FILE *out, const struct mm_machine *m, uint32_t pid)
{
    const struct mm_wsl *ws = mm_working_set(m, pid);
    if (!ws) {
        fprintf(out, "no such process\n");
        return;
    }
    struct mm_ws_breakdown b;
    mm_ws_breakdown(m, pid, &b);
    fprintf(out, "working set of %s: %u page%s: %u locked system page%s, %u page table%s, %u data page%s\n",
            pname(m, pid), ws->size, ws->size == 1 ? "" : "s", b.locked, b.locked == 1 ? "" : "s", b.page_tables,
            b.page_tables == 1 ? "" : "s", b.data, b.data == 1 ? "" : "s");
    fprintf(out, "    minimum %u%s, maximum %u%s, peak %u\n", ws->minimum, ws->hard_minimum ? " (hard)" : "",
            ws->maximum, ws->hard_maximum ? " (hard)" : " (soft)", ws->peak);
    fprintf(out, "    FirstDynamic %u, LastEntry %u, NextSlot %u, FirstFree %d\n", ws->first_dynamic, ws->last_entry,
            ws->next_slot, ws->first_free == WSLE_NULL_INDEX ? -1 : (int)ws->first_free);
    for (uint32_t i = 0; i <= ws->last_entry && i < ws->capacity; i++) {
        mm_wsle e = ws->wsle[i];
        if (!wsle_valid(e))
            continue;
        mm_va va = wsle_va(e);
        const char *what = va == PDE_BASE                         ? " (page directory)"
                           : va == page_table_va(HYPERSPACE_PDI) ? " (hyperspace page table)"
                           : va == WSL_VA                        ? " (working-set list)"
                           : is_page_table_va(va)                ? " (page table)"
                                                                 : "";
        fprintf(out, "    [%3u] 0x%08X age %u%s%s\n", i, va, wsle_age(e), wsle_locked(e) ? " locked" : "", what);
    }
}

void narrate_vads(FILE *out, const struct mm_machine *m, uint32_t pid)
{
    if (!mm_process_exists(m, pid)) {
        fprintf(out, "no such process\n");
        return;
    }
    struct mm_commit_info ci;
    mm_commit(m, pid, &ci);
    fprintf(out, "VADs of %s (commit charge %u pages):\n", pname(m, pid), ci.process_charge);
    int n = 0;
    for (const struct mm_vad *v = mm_vad_next(m, pid, NULL); v; v = mm_vad_next(m, pid, v), n++) {
        mm_va start, end;
        uint32_t prot, charge;
        bool mem_commit;
        char p[64];
        mm_vad_range(v, &start, &end, &prot, &mem_commit, &charge);
        fprintf(out, "    0x%08X-0x%08X %s%s, %u pages committed\n", start, end, prot_name(prot, p, sizeof p),
                mem_commit ? ", committed at reservation" : "", charge);
    }
    if (n == 0)
        fprintf(out, "    none\n");
}

void narrate_step_end(struct narrator *n, const struct replay_result *res)
{
    const struct scn_step *st = res->step;
    const struct replay *r = n->replay;
    narrate_flush(n);
    if (n->json) {
        fprintf(n->out, "{\"type\":\"result\",\"step\":%u", n->step);
        if (res->returns_status)
            fprintf(n->out, ",\"status\":\"%s\"", mm_status_name(res->status) ? mm_status_name(res->status) : "?");
        if (st->op == OP_EXPECT) {
            fprintf(n->out, ",\"passed\":%s,\"failures\":[", res->nfailures ? "false" : "true");
            for (uint32_t i = 0; i < res->nfailures; i++) {
                json_write_string(n->out, res->failure[i]);
                fprintf(n->out, "%s", i + 1 < res->nfailures ? "," : "");
            }
            fprintf(n->out, "]");
        }
        fprintf(n->out, "}\n");
        if (r->broken) {
            fprintf(n->out, "{\"type\":\"invariant\",\"step\":%u,\"message\":", n->step);
            json_write_string(n->out, r->broken_msg);
            fprintf(n->out, "}\n");
        }
        return;
    }
    if (st->op == OP_EXPECT) {
        if (res->nfailures == 0) {
            fprintf(n->out, "  %sexpect (step %u): ok%s\n", GREEN(n), n->step, RESET(n));
        } else {
            fprintf(n->out, "  %sexpect (step %u, ", RED(n), n->step);
            show_fputs(n->out, r->sc->file);
            fprintf(n->out, " line %u) FAILED:%s\n", st->line, RESET(n));
            for (uint32_t i = 0; i < res->nfailures; i++)
                show_printf(n->out, "    %s\n", res->failure[i]);
        }
    } else if (st->op != OP_NOTE) {
        if (res->returns_status && res->status != STATUS_SUCCESS)
            fprintf(n->out, "  -> %s\n", mm_status_name(res->status) ? mm_status_name(res->status) : "error");
        if (r->has_value && st->op == OP_READ && res->status == STATUS_SUCCESS)
            fprintf(n->out, "  -> read 0x%08X\n", r->last_value);
        if (n->verbose && (st->op == OP_READ || st->op == OP_WRITE || st->op == OP_EXECUTE) &&
            replay_pid(r, st->process)) {
            fprintf(n->out, "  ");
            narrate_walk(n->out, r->m, replay_pid(r, st->process), st->address, st->access);
        }
        fprintf(n->out, "  %s", DIM(n));
        narrate_lists(n->out, r->m);
        for (uint32_t i = 0; i < r->sc->nprocess_names; i++) {
            uint32_t pid = r->pid[i];
            const struct mm_wsl *ws = pid ? mm_working_set(r->m, pid) : NULL;
            if (ws)
                fprintf(n->out, "; %s ws %u", r->sc->process_names[i], ws->size);
        }
        fprintf(n->out, "%s\n", RESET(n));
    }
    if (r->broken) {
        fprintf(n->out, "%sinternal error: an invariant of the machine broke after step %u: ", RED(n), n->step);
        show_fputs(n->out, r->broken_msg);
        fprintf(n->out, "%s\n", RESET(n));
    }
}

void narrate_step_quiet(struct narrator *n, const struct replay_result *res)
{
    const struct replay *r = n->replay;
    n->step = res->index + 1;
    if (!res->nfailures && !r->broken)
        return;
    if (n->json) {
        narrate_step_end(n, res);
        return;
    }
    if (res->nfailures) {
        fprintf(n->out, "  %sexpect (step %u, %s line %u) FAILED:%s\n", RED(n), n->step, r->sc->file, res->step->line,
                RESET(n));
        for (uint32_t i = 0; i < res->nfailures; i++)
            fprintf(n->out, "    %s\n", res->failure[i]);
    }
    if (r->broken)
        fprintf(n->out, "%sinternal error: an invariant of the machine broke after step %u: %s%s\n", RED(n), n->step,
                r->broken_msg, RESET(n));
}

int narrate_summary(struct narrator *n)
{
    const struct replay *r = n->replay;
    uint32_t expects = 0;
    for (uint32_t i = 0; i < r->next; i++)
        expects += r->sc->steps[i].op == OP_EXPECT;
    int status = r->broken ? 3 : r->failed_steps ? 1 : 0;
    if (n->json) {
        fprintf(n->out, "{\"type\":\"summary\",\"steps\":%u,\"expectations\":%u,\"failed\":%u,\"passed\":%s}\n",
                r->next, expects, r->failed_steps, status == 0 ? "true" : "false");
        return status;
    }
    fprintf(n->out, "\n%s", status ? RED(n) : GREEN(n));
    show_fputs(n->out, r->sc->name);
    fprintf(n->out, ": %u steps, %u of %u expect steps held%s%s\n", r->next, expects - r->failed_steps, expects,
            status == 3 ? ", stopped by an internal error" : "", RESET(n));
    return status;
}
