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
    n->nmarks = 0;
}

void narrate_free(struct narrator *n)
{
    free(n->held);
    n->held = NULL;
    n->held_len = n->held_cap = 0;
    free(n->marks);
    n->marks = NULL;
    n->nmarks = n->marks_cap = 0;
}

/* Event `seq`'s lines, if any, begin where held ends now. */
static void mark(struct narrator *n, uint64_t seq)
{
    if (n->nmarks == n->marks_cap) {
        size_t cap = n->marks_cap ? n->marks_cap * 2 : 64;
        struct narrate_mark *p = realloc(n->marks, cap * sizeof *p);
        if (!p)
            return;   /* told a little out of order, never lost */
        n->marks = p;
        n->marks_cap = cap;
    }
    n->marks[n->nmarks++] = (struct narrate_mark){seq, n->held_len};
}

/* Before a fault's line: tell the held lines of events that came before
 * the fault was raised (seq below `since`); keep its own. A straddling
 * access's second fault, or a commit's second page table, would otherwise
 * be told ahead of the first one's last lines. */
static void tell_before(struct narrator *n, uint64_t since)
{
    size_t i = 0;
    while (i < n->nmarks && n->marks[i].seq < since)
        i++;
    size_t off = i < n->nmarks ? n->marks[i].off : n->held_len;
    if (off == 0)
        return;
    fwrite(n->held, 1, off, n->out);
    memmove(n->held, n->held + off, n->held_len - off + 1);
    n->held_len -= off;
    for (size_t k = i; k < n->nmarks; k++)
        n->marks[k - i] = (struct narrate_mark){n->marks[k].seq, n->marks[k].off - off};
    n->nmarks -= i;
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

/* Whether a zero entry deciding `va` leaves it to the VADs: user space,
 * and the page tables of user space. System space has no VADs. */
static bool vad_decides(mm_va va)
{
    return va <= MM_HIGHEST_USER_ADDRESS || is_user_table_va(va);
}

void narrate_pte_value(char *out, size_t size, mm_pte v)
{
    narrate_entry_value(out, size, v, NARRATE_ANY_VA);
}

void narrate_entry_value(char *out, size_t size, mm_pte v, mm_va va)
{
    char prot[64];
    switch (pte_classify(v)) {
    case PTE_FORM_ZERO:
        snprintf(out, size, va == NARRATE_ANY_VA ? "zero: nothing recorded"
                            : vad_decides(va) ? "zero: ask the VAD" : "zero: nothing mapped; system space has no VADs");
        break;
    case PTE_FORM_VALID:
        snprintf(out, size, "valid, frame 0x%X%s%s%s%s", pte_frame(v), v & PTE_WRITE ? ", writable" : ", read-only",
                 v & PTE_COPY_ON_WRITE ? ", copy-on-write" : "", v & PTE_ACCESSED ? ", accessed" : "",
                 v & PTE_DIRTY ? ", dirty" : "");
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
        if (pte_proto_lookup_needed(v))
            snprintf(out, size, "prototype PTE through the VAD (lookup needed), %s",
                     prot_name(pte_protection(v), prot, sizeof prot));
        else if (v & PTE_WHICH_POOL_SUBSECTION)   /* a prototype PTE whose page is in its file */
            snprintf(out, size, "subsection: in the mapped file (subsection at 0x%08X), %s",
                     pte_subsection_address(v), prot_name(pte_protection(v), prot, sizeof prot));
        else
            snprintf(out, size, "prototype pointer -> prototype PTE 0x%08X", pte_proto_address(v));
        break;
    case PTE_FORM_DECOMMITTED: snprintf(out, size, "decommitted"); break;
    }
}

/* A space that wrap() never breaks a line at (it prints as a space). */
#define NBSP '\x1f'

/* Print text wrapped at 88 columns, every line after the first indented
 * by `indent` spaces (the first line continues what is already printed).
 * Lines break at spaces, never at NBSP. The text may be the scenario's:
 * control characters other than NBSP are shown escaped (show.h). */
/* Write a word (to f, or only measure it when f is NULL): NBSP as a
 * space, the rest as show_write shows it. Returns its width in columns. */
static size_t word_text(FILE *f, const char *p, size_t len)
{
    size_t cols = 0;
    while (len) {
        size_t run = 0;
        while (run < len && p[run] != NBSP)
            run++;
        cols += f ? show_write(f, p, run) : show_columns(p, run);
        if (run < len) {
            if (f)
                fputc(' ', f);
            cols++;
            run++;
        }
        p += run;
        len -= run;
    }
    return cols;
}

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
        size_t cols = word_text(NULL, p, len);
        if (!first_word && col + 1 + cols > width) {
            fprintf(f, "\n%*s", (int)indent, "");
            col = indent;
            first_word = true;
        }
        if (!first_word) {
            fputc(' ', f);
            col++;
        }
        col += word_text(f, p, len);
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
        fprintf(n->out, ",\"frames\":%u,\"steps\":%u}\n", c->frames, sc->nops);
        return;
    }
    fprintf(n->out, "%sscenario ", BOLD(n));
    show_fputs(n->out, sc->name);
    if (sc->title && sc->title[0]) {
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
    fprintf(n->out, "  I/O             read cluster %u page%s, write cluster %u page%s\n", c->read_cluster,
            c->read_cluster == 1 ? "" : "s", c->write_cluster, c->write_cluster == 1 ? "" : "s");
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
    fprintf(n->out, "\n  steps           %u\n", sc->nops);
}

void narrate_setup(struct narrator *n)
{
    const struct scenario *sc = n->replay->sc;
    n->step = 0;
    if (!n->json && (n->held_len || sc->step_end[0] > 0))
        fprintf(n->out, "\n%sstep 0: %s%s\n", BOLD(n),
                sc->ninitial ? "the scenario's processes start" : "the machine before the first operation", RESET(n));
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

/* A note: its own paragraph, apart from what comes before it in the step
 * (unless it is the first thing after the step's header) and after it. */
static void note_words(struct narrator *n, const struct scn_step *st, uint32_t index)
{
    const struct scenario *sc = n->replay->sc;
    bool first = index == 0 || sc->steps[index - 1].number != st->number;
    if (!first || st->number == 0)
        fputc('\n', n->out);
    fprintf(n->out, "  ");
    wrap(n->out, st->text, 2, 2);
    if (index + 1 < sc->nsteps && sc->steps[index + 1].number == st->number && sc->steps[index + 1].op != OP_NOTE)
        fputc('\n', n->out);
}

void narrate_step_begin(struct narrator *n, const struct scn_step *st, uint32_t index)
{
    const struct scenario *sc = n->replay->sc;
    n->step = st->number;
    if (n->json) {
        if (st->op == OP_NOTE) {
            fprintf(n->out, "{\"type\":\"note\",\"step\":%u,\"line\":%u,\"text\":", n->step, st->line);
            json_write_string(n->out, st->text);
            fprintf(n->out, "}\n");
        } else if (st->op != OP_EXPECT) {
            fprintf(n->out, "{\"type\":\"step\",\"step\":%u,\"op\":\"%s\",\"line\":%u}\n", n->step,
                    scenario_op_name(st->op), st->line);
        }
        return;
    }
    bool first = index == 0 || sc->steps[index - 1].number != st->number;
    if (first && st->number > 0) {   /* step 0's header is narrate_setup's */
        char what[200];
        describe_step(n, &sc->steps[sc->op_entry[st->number]], what, sizeof what);
        fprintf(n->out, "\n%sstep %u: %s%s\n", BOLD(n), n->step, what, RESET(n));
    }
    if (st->op == OP_NOTE && !n->skip_notes)
        note_words(n, st, index);
}

/* ---- events ---- */

static void json_event(struct narrator *n, const struct mm_event *ev)
{
    FILE *o = n->out;
    fprintf(o, "{\"type\":\"event\",\"step\":%u,\"seq\":%" PRIu64 ",\"kind\":\"%s\",\"pid\":%u", n->step, ev->seq,
            mm_event_kind_name(ev->kind), ev->pid);
    switch (ev->kind) {
    case MM_EV_FAULT:
        fprintf(o, ",\"va\":\"0x%08X\",\"access\":\"%s\",\"fault\":\"%s\",\"status\":\"0x%08X\",\"frame\":%u,"
                   "\"since\":%" PRIu64,
                ev->u.fault.va, mm_access_name(ev->u.fault.access), mm_fault_kind_name(ev->u.fault.kind),
                ev->u.fault.status, ev->u.fault.frame, ev->u.fault.since);
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
            fprintf(o, ",\"%s\":\"0x%08X\"", ev->u.tlb.frame == MM_EMPTY_LIST ? "dropped" : "replaced",
                    VPN_VA(ev->u.tlb.old_vpn));
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
        fprintf(o, "the table was trimmed; a transition fault brings it back from the %s list in frame 0x%X "
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
    tell_before(n, ev->u.fault.since);
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
        fprintf(o, "transition fault, frame 0x%X comes back from the %s list (MiResolveTransitionFault)\n",
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
    else if (ev->u.tlb.frame == MM_EMPTY_LIST && ev->u.tlb.old_vpn != TLB_INVALID_TAG)
        say(n, "  TLB entry %u maps 0x%08X but refuses this access, and so does the walk: a page fault, which "
               "drops the entry\n", ev->u.tlb.slot, PAGE_ALIGN(ev->u.tlb.va));
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
    if (n->quiet_events)
        return;
    if (n->json) {
        json_event(n, ev);
        return;
    }
    if (ev->kind != MM_EV_FAULT)
        mark(n, ev->seq);
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
        narrate_entry_value(va, sizeof va, ev->u.pte.old_value, ev->u.pte.va);
        narrate_entry_value(vb, sizeof vb, ev->u.pte.new_value, ev->u.pte.va);
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
        if (ev->u.wsle.why == MM_WS_COMPACT && !ev->u.wsle.inserted)
            n->compact_from = ev->u.wsle.index;   /* a move is one line: see the pair's second event */
        else if (ev->u.wsle.why == MM_WS_COMPACT)
            say(n, "  working set of %s: 0x%08X moves from entry %u down to entry %u (compact)\n", pname(m, ev->pid),
                ev->u.wsle.va, n->compact_from, ev->u.wsle.index);
        else if (ev->u.wsle.inserted)
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

/* Frames in a list, wrapped, at most LIST_SHOWN of them. */
#define LIST_SHOWN 128

static void frame_row(FILE *out, const char *name, uint32_t total, const mm_pfn *f, uint32_t shown)
{
    int col = fprintf(out, "  %-16s %5u", name, total);
    if (total == 0)
        fputs("  -", out);
    for (uint32_t i = 0; i < shown; i++) {
        if (col > 80) {
            fprintf(out, "\n%24s", "");
            col = 24;
        }
        col += fprintf(out, " 0x%X", f[i]);
    }
    if (total > shown)
        fprintf(out, " ... and %u more", total - shown);
    fputc('\n', out);
}

void narrate_list_frames(FILE *out, const struct mm_machine *m)
{
    static const enum mm_list lists[] = {ZeroedPageList, FreePageList, StandbyPageList, ModifiedPageList,
                                         ModifiedNoWritePageList, BadPageList};
    mm_pfn f[LIST_SHOWN];
    fprintf(out, "the page lists, each from its head (the next frame taken) to its tail:\n");
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        for (unsigned prio = 0; prio < (lists[i] == StandbyPageList ? MM_STANDBY_PRIORITIES : 1u); prio++) {
            char name[32];
            list_name(name, sizeof name, lists[i], prio);
            uint32_t total = mm_list_frames(m, lists[i], prio, f, LIST_SHOWN);
            if (lists[i] != StandbyPageList || total)
                frame_row(out, name, total, f, total < LIST_SHOWN ? total : LIST_SHOWN);
        }
        if (lists[i] == StandbyPageList && mm_list_head(m, StandbyPageList)->total == 0)
            frame_row(out, "Standby", 0, f, 0);
    }
    /* on no list: in a working set (or a page table's, a process's own pages), or in I/O */
    static const enum mm_list states[] = {ActiveAndValid, TransitionPage};
    for (size_t i = 0; i < 2; i++) {
        uint32_t total = 0;
        for (mm_pfn frame = 0; frame < mm_frame_count(m); frame++)
            if (pfn_location(mm_pfn_entry(m, frame)) == states[i] && total++ < LIST_SHOWN)
                f[total - 1] = frame;
        frame_row(out, pfn_list_name(states[i]), total, f, total < LIST_SHOWN ? total : LIST_SHOWN);
    }
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
    else {   /* a write-copy page's first fault maps it; what then happens to it */
        const char *then = "";
        if (prot_is_write_copy(w->protection) && w->fault == MM_FAULT_DEMAND_ZERO)
            then = ": the section never filled the page, so it becomes this process's own, no copy";
        else if (prot_is_write_copy(w->protection) && w->access == MM_ACCESS_WRITE)
            then = ", which maps the page read-only; the write, tried again, raises a copy-on-write fault "
                   "(MiCopyOnWrite)";
        fprintf(out, "    -> the %s raises a %s fault%s\n", mm_access_name(w->access), mm_fault_kind_name(w->fault),
                then);
    }
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
    narrate_entry_value(d, sizeof d, w.pde, w.va);
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
    narrate_entry_value(d, sizeof d, w.pte, w.va);
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
    fprintf(out, "TLB: %u entr%s, direct-mapped by the low bits of the page number; %llu hit%s, %llu miss%s, "
                 "%llu flush%s\n", size, size == 1 ? "y" : "ies", (unsigned long long)c.tlb_hits,
            c.tlb_hits == 1 ? "" : "s", (unsigned long long)c.tlb_misses, c.tlb_misses == 1 ? "" : "es",
            (unsigned long long)c.tlb_flushes, c.tlb_flushes == 1 ? "" : "es");
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
    narrate_entry_value(orig, sizeof orig, p->original_pte, pte_mapped_va(p->pte_address));
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

const char *narrate_ws_role(mm_va va)
{
    return va == PDE_BASE                         ? "page directory"
           : va == page_table_va(HYPERSPACE_PDI) ? "hyperspace page table"
           : va == WSL_VA                        ? "working-set list"
           : is_page_table_va(va)                ? "page table"
                                                 : NULL;
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
        const char *role = narrate_ws_role(va);
        fprintf(out, "    [%3u] 0x%08X age %u%s%s%s%s\n", i, va, wsle_age(e), wsle_locked(e) ? " locked" : "",
                role ? " (" : "", role ? role : "", role ? ")" : "");
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
    fprintf(out, "VADs of %s (commit charge %u page%s):\n", pname(m, pid), ci.process_charge,
            ci.process_charge == 1 ? "" : "s");
    int n = 0;
    for (const struct mm_vad *v = mm_vad_next(m, pid, NULL); v; v = mm_vad_next(m, pid, v), n++) {
        mm_va start, end;
        uint32_t prot, charge;
        bool mem_commit;
        char p[64];
        uint32_t section, first_page;
        mm_vad_range(v, &start, &end, &prot, &mem_commit, &charge);
        if (mm_vad_view(v, &section, &first_page)) {
            struct mm_section_info si;
            uint32_t pages = (end - start + 1) / PAGE_SIZE;
            fprintf(out, "    0x%08X-0x%08X %s, view of section '%s' (pages %u to %u), %u page%s committed\n",
                    start, end, prot_name(prot, p, sizeof p), mm_section_info(m, section, &si) ? si.name : "?",
                    first_page, first_page + pages - 1, charge, charge == 1 ? "" : "s");
            continue;
        }
        fprintf(out, "    0x%08X-0x%08X %s%s, %u page%s committed\n", start, end, prot_name(prot, p, sizeof p),
                mem_commit ? ", committed at reservation" : "", charge, charge == 1 ? "" : "s");
    }
    if (n == 0)
        fprintf(out, "    none\n");
}

/* ---- expectations ---- */

/* "zeroed 59 = 59", "free 5 (expected at least 1)", "contains 0x00010000" */
static void held_words(char *out, size_t size, const struct expect_check *c)
{
    if (c->listing)
        snprintf(out, size, "%s %s", c->what, c->expected);
    else if (strcmp(c->expected, c->actual) == 0)
        snprintf(out, size, "%s %s = %s", c->what, c->actual, c->expected);
    else
        snprintf(out, size, "%s %s (expected %s)", c->what, c->actual, c->expected);
}

/* The checks that held, in one paragraph after `lead`: those about one
 * subject together after it ("PTE of 0x00010000 in a: form valid = valid,
 * frame 4 = 4"), groups apart by "; ". */
static void held_paragraph(struct narrator *n, const char *lead, const struct replay_result *res)
{
    uint32_t kept = res->nchecks < REPLAY_MAX_CHECKS ? res->nchecks : REPLAY_MAX_CHECKS;
    size_t cap = 64, len = 0;
    char *text = malloc(cap);
    const char *subject = NULL;
    if (!text)
        return;
    text[0] = '\0';
    for (uint32_t i = 0; i < kept; i++) {
        const struct expect_check *c = &res->check[i];
        if (!c->held)
            continue;
        char item[256];
        held_words(item, sizeof item, c);
        bool same = subject && strcmp(subject, c->subject) == 0;
        char piece[320];
        snprintf(piece, sizeof piece, "%s%s%s", same ? "" : c->subject, !same && c->subject[0] ? ": " : "", item);
        for (char *q = piece; *q; q++)   /* a line may break between checks, not inside one */
            if (*q == ' ' && !(q > piece && q[-1] == ':' && !same))
                *q = NBSP;
        if (len) {   /* the separator before it */
            memmove(piece + 2, piece, strlen(piece) + 1);
            memcpy(piece, same ? ", " : "; ", 2);
        }
        subject = c->subject;
        size_t plen = strlen(piece);
        if (len + plen + 1 > cap) {
            char *p = realloc(text, (len + plen + 1) * 2);
            if (!p)
                break;
            text = p;
            cap = (len + plen + 1) * 2;
        }
        memcpy(text + len, piece, plen + 1);
        len += plen;
    }
    if (len) {
        fprintf(n->out, "  %s%s", GREEN(n), lead);
        wrap(n->out, text, 2 + strlen(lead), 4);
        if (n->color)
            fputs(RESET(n), n->out);
    }
    free(text);
}

/* The checks that failed, as a table: the check, what was expected and
 * what was found, side by side. */
static void failure_table(struct narrator *n, const struct replay_result *res)
{
    uint32_t kept = res->nchecks < REPLAY_MAX_CHECKS ? res->nchecks : REPLAY_MAX_CHECKS;
    int wcheck = (int)strlen("check"), wexp = (int)strlen("expected");
    for (uint32_t i = 0; i < kept; i++) {
        const struct expect_check *c = &res->check[i];
        if (c->held)
            continue;
        int w = (int)(strlen(c->subject) + (c->subject[0] ? 1 : 0) + strlen(c->what));
        wcheck = w > wcheck ? w : wcheck;
        wexp = (int)strlen(c->expected) > wexp ? (int)strlen(c->expected) : wexp;
    }
    fprintf(n->out, "    %-*s  %-*s  %s\n", wcheck, "check", wexp, "expected", "actual");
    for (uint32_t i = 0; i < kept; i++) {
        const struct expect_check *c = &res->check[i];
        if (c->held)
            continue;
        char check[96];
        snprintf(check, sizeof check, "%s%s%s", c->subject, c->subject[0] ? " " : "", c->what);
        fprintf(n->out, "    %s%-*s  %-*s  %s%s\n", RED(n), wcheck, check, wexp, c->expected, c->actual, RESET(n));
    }
}

static void json_expect(struct narrator *n, const struct replay_result *res)
{
    uint32_t kept = res->nchecks < REPLAY_MAX_CHECKS ? res->nchecks : REPLAY_MAX_CHECKS;
    fprintf(n->out, "{\"type\":\"expect\",\"step\":%u,\"line\":%u,\"passed\":%s,\"checks\":[", n->step,
            res->step->line, res->nfailures ? "false" : "true");
    for (uint32_t i = 0; i < kept; i++) {
        const struct expect_check *c = &res->check[i];
        char check[96];
        snprintf(check, sizeof check, "%s%s%s", c->subject, c->subject[0] ? " " : "", c->what);
        fprintf(n->out, "%s{\"check\":", i ? "," : "");
        json_write_string(n->out, check);
        fprintf(n->out, ",\"expected\":");
        json_write_string(n->out, c->expected);
        fprintf(n->out, ",\"actual\":");
        json_write_string(n->out, c->actual);
        fprintf(n->out, ",\"held\":%s}", c->held ? "true" : "false");
    }
    fprintf(n->out, "],\"failures\":[");
    for (uint32_t i = 0; i < res->nfailures; i++) {
        json_write_string(n->out, res->failure[i]);
        fprintf(n->out, "%s", i + 1 < res->nfailures ? "," : "");
    }
    fprintf(n->out, "]}\n");
}

void narrate_expect(struct narrator *n, const struct replay_result *res)
{
    const struct replay *r = n->replay;
    if (n->json) {
        json_expect(n, res);
        return;
    }
    if (res->nfailures == 0) {
        held_paragraph(n, "expect: ", res);
        return;
    }
    fprintf(n->out, "  %sexpect of step %u FAILED (", RED(n), res->step->number);
    show_fputs(n->out, r->sc->file);
    fprintf(n->out, " line %u): %u of %u check%s%s\n", res->step->line, res->nfailures, res->nchecks,
            res->nchecks == 1 ? "" : "s", RESET(n));
    failure_table(n, res);
    held_paragraph(n, "held: ", res);
}

void narrate_step_end(struct narrator *n, const struct replay_result *res)
{
    const struct scn_step *st = res->step;
    const struct replay *r = n->replay;
    narrate_flush(n);
    if (n->json) {
        if (st->op == OP_EXPECT)
            json_expect(n, res);
        else if (st->op != OP_NOTE) {
            fprintf(n->out, "{\"type\":\"result\",\"step\":%u", n->step);
            if (res->returns_status)
                fprintf(n->out, ",\"status\":\"%s\"",
                        mm_status_name(res->status) ? mm_status_name(res->status) : "?");
            fprintf(n->out, "}\n");
        }
        if (r->broken)
            narrate_broken(n, res);
        return;
    }
    if (st->op == OP_EXPECT) {
        narrate_expect(n, res);
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
    if (r->broken)
        narrate_broken(n, res);
}

void narrate_step_quiet(struct narrator *n, const struct replay_result *res)
{
    const struct replay *r = n->replay;
    n->step = res->step->number;
    if (!res->nfailures && !r->broken)
        return;
    if (n->json) {
        narrate_step_end(n, res);
        return;
    }
    if (res->nfailures)
        narrate_expect(n, res);
    if (r->broken)
        narrate_broken(n, res);
}

void narrate_broken(struct narrator *n, const struct replay_result *res)
{
    const struct replay *r = n->replay;
    if (n->json) {
        fprintf(n->out, "{\"type\":\"invariant\",\"step\":%u,\"line\":%u,\"message\":", res->step->number,
                res->step->line);
        json_write_string(n->out, r->broken_msg);
        fprintf(n->out, "}\n");
        return;
    }
    fprintf(n->out, "%sinternal error: an invariant of the machine broke in step %u (", RED(n), res->step->number);
    show_fputs(n->out, r->sc->file);
    fprintf(n->out, " line %u): ", res->step->line);
    show_fputs(n->out, r->broken_msg);
    fprintf(n->out, "%s\n", RESET(n));
#ifdef MMSIM_LAB_KIT
    /* in a lab kit the engine's own checks catch what an unfinished lab
       function did: not a bug of mmsim to report */
    fprintf(n->out, "  (in this lab kit, the likeliest cause is a lab function not written yet or not right:\n"
                    "   the check above says what it found; README.md says what each function must do)\n");
#endif
}

uint32_t narrate_expects_run(const struct replay *r)
{
    uint32_t expects = 0;
    for (uint32_t i = 0; i < r->next; i++)
        expects += r->sc->steps[i].op == OP_EXPECT;
    return expects;
}

int narrate_summary(struct narrator *n)
{
    const struct replay *r = n->replay;
    uint32_t expects = narrate_expects_run(r);
    uint32_t steps = r->next ? r->sc->steps[r->next - 1].number : 0;
    int status = r->broken ? 3 : r->failed_steps ? 1 : 0;
    if (n->json) {
        fprintf(n->out, "{\"type\":\"summary\",\"steps\":%u,\"expectations\":%u,\"failed\":%u,\"passed\":%s}\n",
                steps, expects, r->failed_steps, status == 0 ? "true" : "false");
        return status;
    }
    if (!n->summary_only || status)   /* a blank line after the narration or the failures */
        fputc('\n', n->out);
    fputs(status ? RED(n) : GREEN(n), n->out);
    show_fputs(n->out, r->sc->name);
    fprintf(n->out, ": %u step%s, %u of %u expect%s held%s%s\n", steps, steps == 1 ? "" : "s",
            expects - r->failed_steps, expects, expects == 1 ? "" : "s",
            status == 3 ? ", stopped by an internal error" : "", RESET(n));
    return status;
}
