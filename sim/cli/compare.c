/*
 * compare.c - mmsim compare: the same memory-list sequence on this
 * Windows machine and on a simulated machine that holds the real lists'
 * proportions, side by side, with what differs and why.
 *
 * The real machine is only read unless the user confirms with --yes:
 * the commands act on every process. Read only, the simulated columns are
 * the prediction next to the real counts. Off Windows there is no real
 * side; the simulated one runs on the busy default machine. An operation
 * the simulator cannot run (file cache, combining) is refused before
 * anything real runs.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntcmd.h"
#include "ntcommon.h"
#include "simbuild.h"

const char ntcmd_usage_compare[] =
    "usage: mmsim compare [--yes] [--json] [OPERATION[,OPERATION...]|all]\n"
    "\n"
    "Read this Windows machine's memory lists, build a simulated machine whose lists\n"
    "hold the same proportions (scaled down to 65536 frames when larger), run the\n"
    "sequence (default all) on it and print a side-by-side table. The real machine\n"
    "is only read: the simulated columns predict what the sequence would do to it.\n"
    "  --yes    also run the sequence on this machine (it acts on every process;\n"
    "           every operation but flush-modified needs an elevated prompt) and\n"
    "           explain what differs\n"
    "  --json   the same as one JSON object\n"
    "Off Windows only the simulated side runs, on the busy default machine. The\n"
    "simulator has no file cache and does not combine pages: empty-file-cache and\n"
    "combine-pages cannot be compared.\n"
    "Exit status: 0 shown, 2 bad arguments, 3 internal error, 5 a real query or\n"
    "operation failed.\n";

/* One side of the comparison. */
struct side {
    struct nt_backend *b;      /* NULL: no real backend here */
    struct mm_machine *m;      /* the simulated side's machine */
    const char *why;           /* ... and why */
    bool read;                 /* the "before" counts were read */
    bool read_after;
    bool ran;                  /* every step done and the "after" counts read */
    size_t done, reached;      /* steps done, steps attempted */
    struct nt_counts before, after;
    struct nt_result query;    /* the first query's result */
    struct ntc_step steps[NT_MAX_SEQUENCE];
};

/* Read the lists, and when `run`, run ops[] (stopping at the first step
 * not done) and read them again. Failures are reported as they happen. */
static void run_side(struct side *s, const enum nt_op *ops, size_t n, bool run)
{
    s->read = nt_query(s->b, &s->before, &s->query);
    if (!s->read) {
        ntc_report("compare", "reading the memory lists", s->b, &s->query, run ? NT_CTX_COMMAND : NT_CTX_QUERY);
        return;
    }
    if (!run)
        return;
    s->done = ntc_run_sequence("compare", s->b, ops, n, s->steps, NULL);
    s->reached = s->done < n ? s->done + 1 : n;
    struct nt_result r;
    s->read_after = nt_query(s->b, &s->after, &r);
    if (!s->read_after)
        ntc_report("compare", "reading the memory lists afterwards", s->b, &r, NT_CTX_QUERY);
    s->ran = s->done == n && s->read_after;
}

static double mib(uint64_t pages)
{
    return (double)pages / 256.0;
}

static double share(const struct nt_counts *c, unsigned row)
{
    uint64_t v = 0;
    ntc_row_value(c, row, &v);
    return c->total_pages ? (double)v / (double)c->total_pages : 0.0;
}

/* What differs between the two sides after the sequence, and the likely
 * reason; at most one note per list. Notes go to out[], count returned. */
static size_t explain(const struct side *real, const struct side *sim, const char *out[8])
{
    size_t n = 0;
    out[n++] = "The simulated machine is scaled: compare shares of memory, not page counts.";
    if (share(&real->after, NTC_ROW_STANDBY) > share(&sim->after, NTC_ROW_STANDBY) + 0.01)
        out[n++] = "Real standby refilled at once: the prefetcher (SysMain) and running programs read "
                   "pages back while the commands ran; the simulator has no prefetcher and nothing else runs.";
    if (share(&real->after, NTC_ROW_ACTIVE) > share(&sim->after, NTC_ROW_ACTIVE) + 0.01)
        out[n++] = "Real active pages on no list did not fall as far: locked pages, nonpaged pool, drivers, "
                   "page tables and kernel memory never leave, and busy processes fault pages straight back in; "
                   "in the simulator only page directories and page tables stay.";
    if (share(&real->after, NTC_ROW_MODIFIED) > share(&sim->after, NTC_ROW_MODIFIED) + 0.005)
        out[n++] = "Real modified pages remain: processes kept writing, and mapped-file pages go to their "
                   "files on the mapped page writer's schedule; the simulator's flush writes every modified page.";
    if (share(&real->after, NTC_ROW_ZEROED) > share(&sim->after, NTC_ROW_ZEROED) + 0.01)
        out[n++] = "Real purged pages reached the Zeroed list quickly: Windows's zero page thread ran at "
                   "once; the simulator runs no system thread without a tick, so they stay Free.";
    if (share(&real->after, NTC_ROW_FREE) + 0.01 < share(&sim->after, NTC_ROW_FREE))
        out[n++] = "Real free pages were taken again immediately (zeroing, new allocations, prefetching).";
    return n;
}

/* ---- JSON ---- */

static cJSON *counts_or_null(const struct nt_counts *c, bool read)
{
    return read ? ntc_counts_json(c) : cJSON_CreateNull();
}

/* One side; `confirmed` (--yes) only for the real one, NULL for the other. */
static cJSON *side_json(const struct side *s, size_t n, const bool *confirmed)
{
    cJSON *o = cJSON_CreateObject();
    if (confirmed)
        cJSON_AddBoolToObject(o, "available", s->b != NULL);
    if (!s->b) {
        cJSON_AddNullToObject(o, "backend");
        cJSON_AddStringToObject(o, "why", s->why);
    } else {
        cJSON_AddStringToObject(o, "backend", s->b->description);
    }
    if (confirmed)
        cJSON_AddBoolToObject(o, "confirmed", *confirmed);
    cJSON_AddBoolToObject(o, "read", s->read);
    cJSON_AddBoolToObject(o, "ran", s->ran);
    if (s->b && !s->read)
        cJSON_AddItemToObject(o, "query", ntc_result_json(s->b, &s->query, NT_CTX_QUERY));
    if (s->b && s->read && (!confirmed || *confirmed))
        cJSON_AddItemToObject(o, "steps", ntc_steps_json(s->b, s->steps, n, s->reached));
    cJSON_AddItemToObject(o, "before", counts_or_null(&s->before, s->read));
    cJSON_AddItemToObject(o, "after", counts_or_null(&s->after, s->read_after));
    return o;
}

static bool print_json(FILE *out, const enum nt_op *ops, size_t n, const struct side *real, const struct side *sim,
                       bool yes, const char *scale)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "command", "compare");
    cJSON *seq = cJSON_AddArrayToObject(root, "sequence");
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(seq, cJSON_CreateString(nt_op_name(ops[i])));
    cJSON_AddItemToObject(root, "real", side_json(real, n, &yes));
    cJSON_AddItemToObject(root, "simulated", side_json(sim, n, NULL));
    cJSON_AddStringToObject(root, "scale", scale);
    cJSON *notes = cJSON_AddArrayToObject(root, "notes");
    const char *text[8];
    size_t k = real->ran && sim->ran ? explain(real, sim, text) : 0;
    for (size_t i = 0; i < k; i++)
        cJSON_AddItemToArray(notes, cJSON_CreateString(text[i]));
    return ntc_print_json(out, "compare", root);
}

/* ---- The table ---- */

/* Rows of the compare table: the lists the commands move pages between. */
static bool compare_row(unsigned row)
{
    return row <= NTC_ROW_STANDBY + MM_STANDBY_PRIORITIES || row == NTC_ROW_ACTIVE || row == NTC_ROW_TOTAL;
}

static void cell(FILE *out, bool known, uint64_t v)
{
    if (known)
        fprintf(out, " %10" PRIu64, v);
    else
        fprintf(out, " %10s", "-");
}

static void print_half(FILE *out, const struct side *s, unsigned r)
{
    uint64_t b = 0, a = 0;
    bool kb = s->read && ntc_row_value(&s->before, r, &b), ka = s->read_after && ntc_row_value(&s->after, r, &a);
    fprintf(out, " |");
    cell(out, kb, b);
    cell(out, ka, a);
    if (kb && ka)
        fprintf(out, " %+10" PRId64, (int64_t)(a - b));
    else
        fprintf(out, " %10s", "-");
}

/* The "real:" line: what became of the real side. */
static void print_real_line(FILE *out, const struct side *real, size_t n, bool yes)
{
    fprintf(out, "real:      ");
    if (!real->b)
        fprintf(out, "not shown: %s\n", real->why);
    else if (!real->read)
        fprintf(out, "%s: the lists could not be read (see the messages above)\n", real->b->description);
    else if (!yes)
        fprintf(out, "%s, read only: the commands were not run (--yes runs them; they act on every process)\n",
                real->b->description);
    else if (real->ran)
        fprintf(out, "%s, before and after the commands\n", real->b->description);
    else if (real->done == n)
        fprintf(out, "%s: the commands ran, but the lists could not be read afterwards (see the messages above)\n",
                real->b->description);
    else
        fprintf(out, "%s: stopped after %zu of %zu operations (see the messages above)\n", real->b->description,
                real->done, n);
}

static void print_table(FILE *out, const struct side *real, const struct side *sim, size_t n, bool yes,
                        const char *scale)
{
    char buf[32];
    print_real_line(out, real, n, yes);
    fprintf(out, "simulated: %s\n\n", scale);
    fprintf(out, "%-22s | %10s %10s %10s | %10s %10s %10s\n", "list (pages)", "real", "after", "delta", "simulated",
            "after", "delta");
    for (unsigned r = 0; r < NTC_ROW_COUNT; r++) {
        if (!compare_row(r))
            continue;
        fprintf(out, "%-22s", ntc_row_label(r, buf, sizeof buf));
        print_half(out, real, r);
        print_half(out, sim, r);
        fputc('\n', out);
    }
    fputc('\n', out);
    ntc_active_note(out, real->read);
    if (real->ran && sim->ran) {
        const char *text[8];
        size_t k = explain(real, sim, text);
        fprintf(out, "\nWhat differs, and the likely reason:\n");
        for (size_t i = 0; i < k; i++)
            fprintf(out, "- %s\n", text[i]);
    } else if (real->read && !yes) {
        fprintf(out, "\nThe simulated columns predict what the sequence would do to these proportions;\n"
                     "'mmsim compare --yes' runs it on this machine too and explains what differs.\n");
    } else if (!real->read) {
        fprintf(out, "\nOnly the simulated side ran, on the busy default machine.\n");
    }
}

/* ---- Running it ---- */

/* What the simulated side is built from: the real counts read before the
 * sequence when there are any (scaled to at most NT_COMPARE_FRAMES
 * frames), else the busy default machine. Says which in `scale`. */
static const struct nt_counts *sim_target(const struct side *real, uint32_t *frames, char *scale, size_t size)
{
    struct mm_config c;
    mm_config_default(&c);
    *frames = c.frames;
    if (!real->read) {
        snprintf(scale, size, "the busy default machine, %" PRIu32 " frames (%.0f MiB)", *frames, mib(*frames));
        return &nt_busy_profile;
    }
    uint64_t total = real->before.total_pages;
    if (total > *frames)   /* smaller machines are scaled up to the default */
        *frames = total > NT_COMPARE_FRAMES ? NT_COMPARE_FRAMES : (uint32_t)total;
    snprintf(scale, size, "%" PRIu32 " frames (%.0f MiB) holding the real lists' proportions%s", *frames,
             mib(*frames),
             *frames < total ? ", scaled down (i386 allows at most 4 GiB; this size builds in a moment)" : "");
    return &real->before;
}

/* The simulated side: `target`'s proportions on `frames` frames. */
static bool sim_side(const struct nt_counts *target, uint32_t frames, const enum nt_op *ops, size_t n,
                     struct side *s)
{
    const char *why = NULL;
    s->m = nt_sim_build(target, frames, &why);
    s->b = s->m ? nt_sim_open(s->m) : NULL;
    if (!s->b) {
        fprintf(stderr, "mmsim compare: internal error: %s\n", why ? why : "out of memory");
        mm_destroy(s->m);
        return false;
    }
    run_side(s, ops, n, true);
    return true;
}

int ntcmd_compare_run(FILE *out, struct nt_backend *rb, const char *why, const enum nt_op *ops, size_t n, bool yes,
                      bool json)
{
    struct side real = {0}, sim = {0};
    int rc = 0;
    real.b = rb;
    real.why = why;
    if (rb) {
        run_side(&real, ops, n, yes);
        if (!real.read || (yes && !real.ran))
            rc = NTCMD_EXIT_REAL_FAILED;
        if (!real.read)
            fprintf(stderr, "mmsim compare: the simulated side is shown on the busy default machine.\n");
    }
    char scale[200];
    uint32_t frames;
    const struct nt_counts *target = sim_target(&real, &frames, scale, sizeof scale);
    if (!sim_side(target, frames, ops, n, &sim))
        return NTCMD_EXIT_INTERNAL;
    bool printed = json ? print_json(out, ops, n, &real, &sim, yes, scale)
                        : (print_table(out, &real, &sim, n, yes, scale), true);
    nt_close(sim.b);
    mm_destroy(sim.m);
    return printed ? rc : NTCMD_EXIT_INTERNAL;
}

int ntcmd_compare(int argc, char **argv)
{
    static const char *const allowed[] = {"--yes", "--json", NULL};
    struct ntc_args a;
    enum nt_op ops[NT_MAX_SEQUENCE];
    if (!ntc_parse_args("compare", argc, argv, allowed, true, &a))
        return NTC_EXIT_BAD_ARGS;
    if (a.help) {
        fputs(ntcmd_usage_compare, stdout);
        return 0;
    }
    size_t n = ntc_sequence("compare", a.operand ? a.operand : "all", ops);
    if (n == 0)
        return NTC_EXIT_BAD_ARGS;
    int rc = ntc_require_simulated("compare", ops, n, "run it alone with 'mmsim purge --real --yes'");
    if (rc)
        return rc;
    char why[300];
    struct nt_backend *rb = nt_real_open(why, sizeof why);
    rc = ntcmd_compare_run(stdout, rb, why, ops, n, a.yes, a.json);
    nt_close(rb);
    return rc;
}
