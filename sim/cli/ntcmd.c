/*
 * ntcmd.c - mmsim lists, mmsim purge and mmsim compare: the memory-list
 * commands of NtSetSystemInformation(SystemMemoryListInformation) on the
 * simulated machine, on this Windows machine (--real), or on both side by
 * side. The backends are nt/memlist.h's; this file parses arguments and
 * prints tables.
 *
 * The simulated machine is the "busy default machine": the default
 * configuration (4096 frames) filled to nt_busy_profile by nt_sim_build,
 * so every list has pages in it and the effect of a command shows.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "memlist.h"
#include "ntcmd.h"
#include "simbuild.h"

#define EXIT_BAD_ARGS 2

const char ntcmd_usage_lists[] =
    "usage: mmsim lists [--real]\n"
    "\n"
    "Show the memory lists (SYSTEM_MEMORY_LIST_INFORMATION) in pages and MiB: zeroed,\n"
    "free, modified, modified no-write, bad, standby by priority 0-7, repurposed by\n"
    "priority. By default those of the busy default machine (4096 frames filled\n"
    "deterministically: 30% in working sets, 40% standby, 10% modified, 5% free).\n"
    "  --real   this Windows machine's lists (NtQuerySystemInformation class 80;\n"
    "           needs an elevated prompt)\n"
    "Exit status: 0 shown, 2 bad arguments, 4 not Windows, 5 the query failed.\n";

const char ntcmd_usage_purge[] =
    "usage: mmsim purge [--real --yes] OPERATION[,OPERATION...]|all\n"
    "\n"
    "Run memory-list operations and show the lists before and after. Operations:\n"
    "  empty-working-sets, flush-modified, purge-standby, purge-low-priority-standby,\n"
    "  capture-accessed-bits, capture-and-reset-accessed-bits (class 80 commands 0-5),\n"
    "  empty-file-cache (class 81, real only), combine-pages (class 130, real only),\n"
    "  all = empty-working-sets,flush-modified,purge-standby.\n"
    "By default on the busy default machine (see 'mmsim help lists').\n"
    "  --real   on this Windows machine: it affects every process, so --yes is required;\n"
    "           needs an elevated prompt\n"
    "  --yes    confirm --real\n"
    "Exit status: 0 done, 2 bad arguments, 4 not Windows, 5 an operation failed.\n";

const char ntcmd_usage_compare[] =
    "usage: mmsim compare [--json] [OPERATION[,OPERATION...]|all]\n"
    "\n"
    "Read this Windows machine's memory lists, build a simulated machine whose lists hold\n"
    "the same proportions (scaled down to 65536 frames when larger), run the sequence\n"
    "(default all) on both and print a side-by-side table with what differs and why.\n"
    "This runs the real commands: it needs an elevated prompt.\n"
    "  --json   the same as one JSON object\n"
    "Off Windows, or when the real lists cannot be read, only the simulated side (on the\n"
    "busy default machine) is shown.\n"
    "Exit status: 0 both sides ran, 2 bad arguments, 3 internal error, 4 not Windows,\n"
    "5 a real query or operation failed.\n";

/* ---- Arguments ---- */

struct args {
    bool real, yes, json, help;
    const char *operand;
};

/* Is `word` one of the space-separated words of `list`? */
static bool listed(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

/* Parse [--real] [--yes] [--json] [--help] [OPERAND]; prints the error and
 * returns false on anything else. `allowed` lists the options taken. */
static bool parse_args(const char *cmd, int argc, char **argv, const char *allowed, struct args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0)
            a->help = true;
        else if (listed(allowed, s)) {
            a->real |= strcmp(s, "--real") == 0;
            a->yes |= strcmp(s, "--yes") == 0;
            a->json |= strcmp(s, "--json") == 0;
        } else if (s[0] == '-' && s[1]) {
            fprintf(stderr, "mmsim %s: unknown option '%s' (options: %s --help)\n", cmd, s, allowed);
            return false;
        } else if (a->operand) {
            fprintf(stderr, "mmsim %s: one operand expected, got '%s' and '%s'\n", cmd, a->operand, s);
            return false;
        } else {
            a->operand = s;
        }
    }
    return true;
}

/* The sequence named by `text`, or an error (exit 2) naming the bad word. */
static size_t sequence(const char *cmd, const char *text, enum nt_op ops[NT_MAX_SEQUENCE])
{
    const char *bad;
    size_t n = nt_sequence_parse(text, ops, &bad);
    if (n == 0) {
        fprintf(stderr, "mmsim %s: no operation '%s'\n", cmd, bad);
        fprintf(stderr, "operations: all");
        for (unsigned i = 0; i < NT_OP_COUNT; i++)
            fprintf(stderr, ", %s", nt_op_name((enum nt_op)i));
        fprintf(stderr, " (several: separate with commas)\n");
    }
    return n;
}

/* ---- Rows of the tables ---- */

enum row {
    ROW_ZEROED, ROW_FREE, ROW_MODIFIED, ROW_MODIFIED_NO_WRITE, ROW_BAD, ROW_STANDBY,
    ROW_STANDBY_0, ROW_REPURPOSED = ROW_STANDBY_0 + MM_STANDBY_PRIORITIES, ROW_REPURPOSED_0,
    ROW_MODIFIED_PAGEFILE = ROW_REPURPOSED_0 + MM_STANDBY_PRIORITIES, ROW_WORKING_SETS, ROW_TOTAL, ROW_COUNT
};

static uint64_t standby_total(const struct mm_memory_list_info *l)
{
    uint64_t t = 0;
    for (unsigned p = 0; p < MM_STANDBY_PRIORITIES; p++)
        t += l->page_count_by_priority[p];
    return t;
}

static uint64_t row_value(const struct nt_counts *c, unsigned row)
{
    const struct mm_memory_list_info *l = &c->lists;
    uint64_t listed = l->zero_page_count + l->free_page_count + l->modified_page_count +
                      l->modified_no_write_page_count + l->bad_page_count + standby_total(l);
    uint64_t repurposed = 0;
    for (unsigned p = 0; p < MM_STANDBY_PRIORITIES; p++)
        repurposed += l->repurposed_pages_by_priority[p];
    switch (row) {
    case ROW_ZEROED: return l->zero_page_count;
    case ROW_FREE: return l->free_page_count;
    case ROW_MODIFIED: return l->modified_page_count;
    case ROW_MODIFIED_NO_WRITE: return l->modified_no_write_page_count;
    case ROW_BAD: return l->bad_page_count;
    case ROW_STANDBY: return standby_total(l);
    case ROW_REPURPOSED: return repurposed;
    case ROW_MODIFIED_PAGEFILE: return l->modified_page_count_page_file;
    case ROW_WORKING_SETS: return c->total_pages > listed ? c->total_pages - listed : 0;
    case ROW_TOTAL: return c->total_pages;
    default:
        if (row < ROW_REPURPOSED)
            return l->page_count_by_priority[row - ROW_STANDBY_0];
        return l->repurposed_pages_by_priority[row - ROW_REPURPOSED_0];
    }
}

static const char *row_label(unsigned row, char *buf, size_t size)
{
    static const char *const fixed[ROW_COUNT] = {
        [ROW_ZEROED] = "Zeroed", [ROW_FREE] = "Free", [ROW_MODIFIED] = "Modified",
        [ROW_MODIFIED_NO_WRITE] = "Modified no-write", [ROW_BAD] = "Bad", [ROW_STANDBY] = "Standby",
        [ROW_REPURPOSED] = "Repurposed", [ROW_MODIFIED_PAGEFILE] = "Modified to page file",
        [ROW_WORKING_SETS] = "In working sets (rest)", [ROW_TOTAL] = "Total"};
    if (fixed[row])
        return fixed[row];
    snprintf(buf, size, "  priority %u", row < ROW_REPURPOSED ? row - ROW_STANDBY_0 : row - ROW_REPURPOSED_0);
    return buf;
}

/* The JSON key of a row ("standby_5"). */
static const char *row_key(unsigned row, char *buf, size_t size)
{
    static const char *const fixed[ROW_COUNT] = {
        [ROW_ZEROED] = "zeroed", [ROW_FREE] = "free", [ROW_MODIFIED] = "modified",
        [ROW_MODIFIED_NO_WRITE] = "modified_no_write", [ROW_BAD] = "bad", [ROW_STANDBY] = "standby",
        [ROW_REPURPOSED] = "repurposed", [ROW_MODIFIED_PAGEFILE] = "modified_page_file",
        [ROW_WORKING_SETS] = "working_sets", [ROW_TOTAL] = "total"};
    if (fixed[row])
        return fixed[row];
    if (row < ROW_REPURPOSED)
        snprintf(buf, size, "standby_%u", row - ROW_STANDBY_0);
    else
        snprintf(buf, size, "repurposed_%u", row - ROW_REPURPOSED_0);
    return buf;
}

/* Rows of the compare table: the lists the commands move pages between. */
static bool compare_row(unsigned row)
{
    return row <= ROW_STANDBY + MM_STANDBY_PRIORITIES || row == ROW_WORKING_SETS || row == ROW_TOTAL;
}

static double mib(uint64_t pages)
{
    return (double)pages / 256.0;
}

static void print_lists(const struct nt_counts *c)
{
    char buf[32];
    printf("%-24s %12s %12s\n", "list", "pages", "MiB");
    for (unsigned r = 0; r < ROW_COUNT; r++)
        printf("%-24s %12" PRIu64 " %12.1f\n", row_label(r, buf, sizeof buf), row_value(c, r),
               mib(row_value(c, r)));
}

static void print_before_after(const struct nt_counts *before, const struct nt_counts *after)
{
    char buf[32];
    printf("%-24s %12s %12s %12s\n", "list (pages)", "before", "after", "delta");
    for (unsigned r = 0; r < ROW_COUNT; r++) {
        uint64_t b = row_value(before, r), a = row_value(after, r);
        printf("%-24s %12" PRIu64 " %12" PRIu64 " %+12" PRId64 "\n", row_label(r, buf, sizeof buf), b, a,
               (int64_t)(a - b));
    }
}

/* ---- Failures of the real side ---- */

static void report_status(const char *cmd, struct nt_backend *b, const char *what, mm_status s,
                          enum nt_context ctx)
{
    const char *name = nt_status_name(s);
    fprintf(stderr, "mmsim %s: %s on %s failed: %s (0x%08" PRIX32 ")", cmd, what, b->description,
            name ? name : "an NTSTATUS mmsim does not know", s);
    uint32_t win32 = b->win32_error ? b->win32_error(b, s) : 0;
    if (win32)
        fprintf(stderr, ", Win32 error %" PRIu32, win32);
    if (!b->real && s == NT_STATUS_NOT_IMPLEMENTED)   /* simbuild.c / sim_backend.c */
        fprintf(stderr, ".\nThe simulator has no system file cache and does not combine pages; nothing was "
                        "changed. These run only with --real on Windows.\n");
    else
        fprintf(stderr, ".\n%s\n", nt_status_advice(s, ctx, b->wine));
}

/* The real backend, or NULL after saying why there is none. */
static struct nt_backend *open_real(const char *cmd)
{
    char why[256];
    struct nt_backend *b = nt_real_open(why, sizeof why);
    if (!b)
        fprintf(stderr, "mmsim %s: %s.\n", cmd, why);
    return b;
}

/* The busy default machine, or NULL after saying why. */
static struct mm_machine *busy_machine(const char *cmd)
{
    struct mm_config c;
    mm_config_default(&c);
    const char *why = NULL;
    struct mm_machine *m = nt_sim_build(&nt_busy_profile, c.frames, &why);
    if (!m)
        fprintf(stderr, "mmsim %s: internal error: %s\n", cmd, why ? why : "out of memory");
    return m;
}

/* ---- mmsim lists ---- */

static int lists_real(void)
{
    struct nt_backend *b = open_real("lists --real");
    if (!b)
        return NTCMD_EXIT_NO_REAL;
    struct nt_counts c;
    mm_status s = nt_query(b, &c);
    int rc = 0;
    if (s != STATUS_SUCCESS) {
        report_status("lists", b, "reading the memory lists", s, NT_CTX_QUERY);
        rc = NTCMD_EXIT_REAL_FAILED;
    } else {
        printf("Memory lists of this machine: %s, %" PRIu64 " pages of 4 KiB\n", b->description, c.total_pages);
        print_lists(&c);
    }
    nt_close(b);
    return rc;
}

int ntcmd_lists(int argc, char **argv)
{
    struct args a;
    if (!parse_args("lists", argc, argv, "--real", &a) || (a.operand && !a.help)) {
        if (a.operand)
            fprintf(stderr, "mmsim lists: no operand expected, got '%s'\n", a.operand);
        fprintf(stderr, "run 'mmsim lists --help' for the options\n");
        return EXIT_BAD_ARGS;
    }
    if (a.help) {
        fputs(ntcmd_usage_lists, stdout);
        return 0;
    }
    if (a.real)
        return lists_real();
    struct mm_machine *m = busy_machine("lists");
    struct nt_backend *b = m ? nt_sim_open(m) : NULL;
    struct nt_counts c;
    if (!b) {
        mm_destroy(m);
        return NTCMD_EXIT_INTERNAL;
    }
    nt_query(b, &c);
    printf("Memory lists of the busy default machine (simulated), %" PRIu64 " pages of 4 KiB\n", c.total_pages);
    print_lists(&c);
    nt_close(b);
    mm_destroy(m);
    return 0;
}

/* ---- mmsim purge ---- */

/* Run ops[] in order on b, one line per step; stops at the first failure.
 * Returns the status of the failed step or STATUS_SUCCESS. */
static mm_status run_sequence(const char *cmd, struct nt_backend *b, const enum nt_op *ops, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t combined = 0;
        mm_status s = nt_run(b, ops[i], &combined);
        if (s != STATUS_SUCCESS) {
            char what[96];
            snprintf(what, sizeof what, "step %zu, %s,", i + 1, nt_op_name(ops[i]));
            report_status(cmd, b, what, s, NT_CTX_COMMAND);
            if (i + 1 < n)
                fprintf(stderr, "The remaining %zu step(s) were not run.\n", n - i - 1);
            return s;
        }
        printf("%zu. %s: done (%s)\n", i + 1, nt_op_name(ops[i]), nt_op_summary(ops[i]));
        if (ops[i] == NT_OP_COMBINE_PAGES)
            printf("   %" PRIu64 " pages combined\n", combined);
    }
    return STATUS_SUCCESS;
}

/* Query, run, query again, print; the exit status. */
static int purge_on(const char *cmd, struct nt_backend *b, const enum nt_op *ops, size_t n)
{
    struct nt_counts before, after;
    mm_status s = nt_query(b, &before);
    if (s != STATUS_SUCCESS) {
        report_status(cmd, b, "reading the memory lists", s, NT_CTX_COMMAND);
        if (!b->wine)
            fprintf(stderr, "Nothing was purged.\n");
        return NTCMD_EXIT_REAL_FAILED;
    }
    mm_status run = run_sequence(cmd, b, ops, n);
    s = nt_query(b, &after);
    if (s != STATUS_SUCCESS) {
        report_status(cmd, b, "reading the memory lists afterwards", s, NT_CTX_QUERY);
        return NTCMD_EXIT_REAL_FAILED;
    }
    print_before_after(&before, &after);
    return run == STATUS_SUCCESS ? 0 : NTCMD_EXIT_REAL_FAILED;
}

int ntcmd_purge(int argc, char **argv)
{
    struct args a;
    enum nt_op ops[NT_MAX_SEQUENCE];
    if (!parse_args("purge", argc, argv, "--real --yes", &a)) {
        fprintf(stderr, "run 'mmsim purge --help' for the options\n");
        return EXIT_BAD_ARGS;
    }
    if (a.help) {
        fputs(ntcmd_usage_purge, stdout);
        return 0;
    }
    if (!a.operand) {
        fprintf(stderr, "mmsim purge: which operation? (e.g. 'mmsim purge all'; 'mmsim purge --help' lists them)\n");
        return EXIT_BAD_ARGS;
    }
    size_t n = sequence("purge", a.operand, ops);
    if (n == 0)
        return EXIT_BAD_ARGS;
    if (a.yes && !a.real) {
        fprintf(stderr, "mmsim purge: --yes confirms --real; the simulated machine needs no confirmation\n");
        return EXIT_BAD_ARGS;
    }
    if (a.real && !a.yes) {
        fprintf(stderr, "mmsim purge --real acts on every process of this machine: add --yes to confirm\n");
        return EXIT_BAD_ARGS;
    }
    if (a.real) {
        struct nt_backend *b = open_real("purge --real");
        if (!b)
            return NTCMD_EXIT_NO_REAL;
        printf("mmsim purge %s on this machine: %s\n", a.operand, b->description);
        int rc = purge_on("purge", b, ops, n);
        nt_close(b);
        return rc;
    }
    struct mm_machine *m = busy_machine("purge");
    struct nt_backend *b = m ? nt_sim_open(m) : NULL;
    if (!b) {
        mm_destroy(m);
        return NTCMD_EXIT_INTERNAL;
    }
    printf("mmsim purge %s on the busy default machine (simulated)\n", a.operand);
    int rc = purge_on("purge", b, ops, n);
    nt_close(b);
    mm_destroy(m);
    return rc;
}

/* ---- mmsim compare ---- */

/* One side of the comparison: before and after, or why it did not run. */
struct side {
    bool read;                 /* the "before" counts were read */
    bool ran;
    struct nt_counts before, after;
    char description[96];
    mm_status status;          /* the failure when !ran (0: no backend) */
};

/* Query, run ops[] (stopping at the first failure, saying what was and
 * was not done), query again. s->ran only when all of it succeeded. */
static void run_side(struct nt_backend *b, const enum nt_op *ops, size_t n, struct side *s)
{
    snprintf(s->description, sizeof s->description, "%s", b->description);
    s->status = nt_query(b, &s->before);
    if (s->status != STATUS_SUCCESS) {
        report_status("compare", b, "reading the memory lists", s->status, NT_CTX_COMMAND);
        return;
    }
    s->read = true;
    for (size_t i = 0; i < n; i++) {
        uint64_t combined;
        s->status = nt_run(b, ops[i], &combined);
        if (s->status != STATUS_SUCCESS) {
            report_status("compare", b, nt_op_name(ops[i]), s->status, NT_CTX_COMMAND);
            if (i > 0)
                fprintf(stderr, "The first %zu step(s) did run on %s; the rest did not.\n", i, b->description);
            return;
        }
    }
    s->status = nt_query(b, &s->after);
    if (s->status != STATUS_SUCCESS)
        report_status("compare", b, "reading the memory lists afterwards", s->status, NT_CTX_QUERY);
    else
        s->ran = true;
}

static double share(const struct nt_counts *c, unsigned row)
{
    return c->total_pages ? (double)row_value(c, row) / (double)c->total_pages : 0.0;
}

/* What differs between the two sides after the sequence, and the likely
 * reason; at most one note per list. Notes go to out[], count returned. */
static size_t explain(const struct side *real, const struct side *sim, const char *out[8])
{
    size_t n = 0;
    out[n++] = "The simulated machine is scaled: compare shares of memory, not page counts.";
    if (share(&real->after, ROW_STANDBY) > share(&sim->after, ROW_STANDBY) + 0.01)
        out[n++] = "Real standby refilled at once: the prefetcher (SysMain) and running programs read "
                   "pages back while the commands ran; the simulator has no prefetcher and nothing else runs.";
    if (share(&real->after, ROW_WORKING_SETS) > share(&sim->after, ROW_WORKING_SETS) + 0.01)
        out[n++] = "Real working sets did not empty as far: locked pages, nonpaged pool, driver and kernel "
                   "memory never leave, and busy processes fault pages straight back in; in the simulator "
                   "only page directories and page tables stay.";
    if (share(&real->after, ROW_MODIFIED) > share(&sim->after, ROW_MODIFIED) + 0.005)
        out[n++] = "Real modified pages remain: processes kept writing, and mapped-file pages go to their "
                   "files on the mapped page writer's schedule; the simulator's flush writes every modified page.";
    if (share(&real->after, ROW_ZEROED) > share(&sim->after, ROW_ZEROED) + 0.01)
        out[n++] = "Real purged pages reached the Zeroed list quickly: Windows's zero page thread ran at "
                   "once; the simulator runs no system thread without a tick, so they stay Free.";
    if (share(&real->after, ROW_FREE) + 0.01 < share(&sim->after, ROW_FREE))
        out[n++] = "Real free pages were taken again immediately (zeroing, new allocations, prefetching).";
    return n;
}

static cJSON *counts_json(const struct nt_counts *c)
{
    cJSON *o = cJSON_CreateObject();
    char key[32];
    for (unsigned r = 0; r < ROW_COUNT; r++)
        cJSON_AddNumberToObject(o, row_key(r, key, sizeof key), (double)row_value(c, r));
    return o;
}

static cJSON *side_json(const struct side *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "backend", s->description);
    cJSON_AddBoolToObject(o, "ran", s->ran);
    if (!s->ran) {
        const char *name = s->status ? nt_status_name(s->status) : NULL;
        cJSON_AddItemToObject(o, "status", name ? cJSON_CreateString(name) : cJSON_CreateNull());
        return o;
    }
    cJSON_AddItemToObject(o, "before", counts_json(&s->before));
    cJSON_AddItemToObject(o, "after", counts_json(&s->after));
    return o;
}

static void print_json(FILE *out, const enum nt_op *ops, size_t n, const struct side *real, const struct side *sim,
                       const char *scale)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *seq = cJSON_AddArrayToObject(root, "sequence");
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(seq, cJSON_CreateString(nt_op_name(ops[i])));
    cJSON_AddItemToObject(root, "real", side_json(real));
    cJSON_AddItemToObject(root, "simulated", side_json(sim));
    cJSON_AddStringToObject(root, "scale", scale);
    cJSON *notes = cJSON_AddArrayToObject(root, "notes");
    const char *text[8];
    size_t k = real->ran && sim->ran ? explain(real, sim, text) : 0;
    for (size_t i = 0; i < k; i++)
        cJSON_AddItemToArray(notes, cJSON_CreateString(text[i]));
    char *s = cJSON_PrintUnformatted(root);
    if (s)
        fprintf(out, "%s\n", s);
    cJSON_free(s);
    cJSON_Delete(root);
}

static void print_half(FILE *out, const struct side *s, unsigned r)
{
    if (!s->ran) {
        fprintf(out, " | %10s %10s %10s", "-", "-", "-");
        return;
    }
    uint64_t b = row_value(&s->before, r), a = row_value(&s->after, r);
    fprintf(out, " | %10" PRIu64 " %10" PRIu64 " %+10" PRId64, b, a, (int64_t)(a - b));
}

static void print_table(FILE *out, const struct side *real, const struct side *sim, const char *scale)
{
    char buf[32];
    fprintf(out, "real:      %s\n", real->ran ? real->description : "did not run (see above)");
    fprintf(out, "simulated: %s\n\n", scale);
    fprintf(out, "%-22s | %10s %10s %10s | %10s %10s %10s\n", "list (pages)", "real", "after", "delta", "simulated",
           "after", "delta");
    for (unsigned r = 0; r < ROW_COUNT; r++) {
        if (!compare_row(r))
            continue;
        fprintf(out, "%-22s", row_label(r, buf, sizeof buf));
        print_half(out, real, r);
        print_half(out, sim, r);
        fputc('\n', out);
    }
    const char *text[8];
    if (real->ran && sim->ran) {
        size_t k = explain(real, sim, text);
        fprintf(out, "\nWhat differs, and the likely reason:\n");
        for (size_t i = 0; i < k; i++)
            fprintf(out, "- %s\n", text[i]);
    }
}

/* The simulated side: `target`'s proportions on `frames` frames. */
static bool sim_side(const struct nt_counts *target, uint32_t frames, const enum nt_op *ops, size_t n,
                     struct side *s)
{
    const char *why = NULL;
    struct mm_machine *m = nt_sim_build(target, frames, &why);
    struct nt_backend *b = m ? nt_sim_open(m) : NULL;
    if (!b) {
        fprintf(stderr, "mmsim compare: internal error: %s\n", why ? why : "out of memory");
        mm_destroy(m);
        return false;
    }
    run_side(b, ops, n, s);
    nt_close(b);
    mm_destroy(m);
    return true;
}

int ntcmd_compare(int argc, char **argv)
{
    struct args a;
    enum nt_op ops[NT_MAX_SEQUENCE];
    if (!parse_args("compare", argc, argv, "--json", &a)) {
        fprintf(stderr, "run 'mmsim compare --help' for the options\n");
        return EXIT_BAD_ARGS;
    }
    if (a.help) {
        fputs(ntcmd_usage_compare, stdout);
        return 0;
    }
    size_t n = sequence("compare", a.operand ? a.operand : "all", ops);
    if (n == 0)
        return EXIT_BAD_ARGS;
    char why[256];
    struct nt_backend *rb = nt_real_open(why, sizeof why);
    int rc = ntcmd_compare_run(stdout, rb, why, ops, n, a.json);
    nt_close(rb);
    return rc;
}

/* What the simulated side is built from: the real counts read before the
 * sequence when there are any (scaled to at most NT_COMPARE_FRAMES
 * frames), else the busy default machine. Says which in `scale`. */
static const struct nt_counts *sim_target(const struct side *real, uint32_t *frames, char *scale, size_t size)
{
    struct mm_config c;
    mm_config_default(&c);
    *frames = c.frames;
    if (!real->read) {
        fprintf(stderr, "mmsim compare: only the simulated side can run; it is shown on the busy default machine.\n");
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

int ntcmd_compare_run(FILE *out, struct nt_backend *rb, const char *why, const enum nt_op *ops, size_t n, bool json)
{
    struct side real = {0}, sim = {0};
    int rc = 0;
    if (rb) {
        run_side(rb, ops, n, &real);
        if (!real.ran)
            rc = NTCMD_EXIT_REAL_FAILED;
    } else {
        fprintf(stderr, "mmsim compare: %s.\n", why);
        snprintf(real.description, sizeof real.description, "not Windows");
        rc = NTCMD_EXIT_NO_REAL;
    }
    char scale[200];
    uint32_t frames;
    const struct nt_counts *target = sim_target(&real, &frames, scale, sizeof scale);
    if (!sim_side(target, frames, ops, n, &sim))
        return NTCMD_EXIT_INTERNAL;
    if (json)
        print_json(out, ops, n, &real, &sim, scale);
    else
        print_table(out, &real, &sim, scale);
    return rc;
}
