/*
 * ntcmd.c - mmsim lists and mmsim purge: the memory lists and the
 * commands of NtSetSystemInformation(SystemMemoryListInformation) on the
 * simulated machine or, with --real, on this Windows machine. The
 * backends are nt/memlist.h's; ntcommon.c parses, runs and prints.
 *
 * The simulated machine is the "busy default machine": the default
 * configuration (4096 frames) filled to nt_busy_profile by nt_sim_build,
 * so every list has pages in it and the effect of a command shows.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "ntcmd.h"
#include "ntcommon.h"
#include "simbuild.h"

const char ntcmd_usage_lists[] =
    "usage: mmsim lists [--real] [--json]\n"
    "\n"
    "Show the memory lists (SYSTEM_MEMORY_LIST_INFORMATION) in pages and MiB: zeroed,\n"
    "free, modified, modified no-write, bad, standby by priority 0-7, repurposed by\n"
    "priority, and the active pages on no list. By default those of the busy default\n"
    "machine (4096 frames filled deterministically: 30% in working sets, 40% standby,\n"
    "10% modified, 5% free).\n"
    "  --real   this Windows machine's lists (NtQuerySystemInformation class 80; an\n"
    "           ordinary prompt will do)\n"
    "  --json   the same as one JSON object\n"
    "Exit status: 0 shown, 2 bad arguments, 4 no real lists here (not Windows, or the\n"
    "32-bit mmsim.exe on 64-bit Windows), 5 the query failed.\n";

const char ntcmd_usage_purge[] =
    "usage: mmsim purge [--real --yes] [--json] OPERATION[,OPERATION...]|all\n"
    "\n"
    "Run memory-list operations and show the lists before and after. Operations:\n"
    "  empty-working-sets, flush-modified, purge-standby, purge-low-priority-standby,\n"
    "  capture-accessed-bits, capture-and-reset-accessed-bits (class 80 commands\n"
    "  0-5), empty-file-cache (class 81, real only), combine-pages (class 130, real\n"
    "  only), all = empty-working-sets,flush-modified,purge-standby; at most 16 in a\n"
    "  sequence.\n"
    "  Commands 0-5 also go by a scenario's names (flush_modified_list) and NT's\n"
    "  (MemoryFlushModifiedList).\n"
    "By default on the busy default machine (see 'mmsim help lists').\n"
    "  --real   on this Windows machine: it affects every process, so --yes is\n"
    "           required; every operation but flush-modified needs an elevated prompt\n"
    "  --yes    confirm --real\n"
    "  --json   the steps and the lists before and after as one JSON object\n"
    "Exit status: 0 done, 2 bad arguments, 4 no real lists here, 5 an operation\n"
    "failed or was not sent.\n";

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

/* The real backend, or NULL after saying why there is none. */
static struct nt_backend *open_real(const char *cmd)
{
    char why[300];
    struct nt_backend *b = nt_real_open(why, sizeof why);
    if (!b)
        fprintf(stderr, "mmsim %s --real: %s.\n", cmd, why);
    return b;
}

/* {"command", "machine", "backend"}: the start of every document. */
static cJSON *document(const char *cmd, struct nt_backend *b)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "command", cmd);
    cJSON_AddStringToObject(root, "machine", b->real ? "real" : "simulated");
    cJSON_AddStringToObject(root, "backend", b->description);
    return root;
}

static cJSON *counts_or_null(const struct nt_counts *c, bool read)
{
    return read ? ntc_counts_json(c) : cJSON_CreateNull();
}

/* ---- mmsim lists ---- */

static int lists_on(struct nt_backend *b, bool json)
{
    struct nt_counts c;
    struct nt_result r;
    bool ok = nt_query(b, &c, &r);
    if (!ok)
        ntc_report("lists", "reading the memory lists", b, &r, NT_CTX_QUERY);
    if (json) {
        cJSON *root = document("lists", b);
        cJSON_AddNumberToObject(root, "page_size", 4096);
        cJSON_AddItemToObject(root, "query", ntc_result_json(b, &r, NT_CTX_QUERY));
        cJSON_AddItemToObject(root, "lists", counts_or_null(&c, ok));
        if (!ntc_print_json(stdout, "lists", root))
            return NTCMD_EXIT_INTERNAL;
    } else if (ok) {
        if (b->real)
            printf("Memory lists of this machine: %s, %" PRIu64 " pages of 4 KiB\n", b->description, c.total_pages);
        else
            printf("Memory lists of the busy default machine (simulated), %" PRIu64 " pages of 4 KiB\n",
                   c.total_pages);
        ntc_print_lists(stdout, &c);
        putchar('\n');
        ntc_active_note(stdout, b->real);
    }
    return ok ? 0 : NTCMD_EXIT_REAL_FAILED;
}

int ntcmd_lists(int argc, char **argv)
{
    static const char *const allowed[] = {"--real", "--json", NULL};
    struct ntc_args a;
    if (!ntc_parse_args("lists", argc, argv, allowed, false, &a))
        return NTC_EXIT_BAD_ARGS;
    if (a.help) {
        fputs(ntcmd_usage_lists, stdout);
        return 0;
    }
    if (a.real) {
        struct nt_backend *b = open_real("lists");
        if (!b)
            return NTCMD_EXIT_NO_REAL;
        int rc = lists_on(b, a.json);
        nt_close(b);
        return rc;
    }
    struct mm_machine *m = busy_machine("lists");
    struct nt_backend *b = m ? nt_sim_open(m) : NULL;
    int rc = b ? lists_on(b, a.json) : NTCMD_EXIT_INTERNAL;
    nt_close(b);
    mm_destroy(m);
    return rc;
}

/* ---- mmsim purge ---- */

/* Query, run, query again, print; the exit status. */
static int purge_on(struct nt_backend *b, const char *operand, const enum nt_op *ops, size_t n, bool json)
{
    struct nt_counts before, after;
    struct nt_result before_r, after_r;
    struct ntc_step steps[NT_MAX_SEQUENCE];
    size_t done = 0;
    if (!json)
        printf("mmsim purge %s on %s%s\n", operand, b->real ? "this machine: " : "the busy default machine ",
               b->real ? b->description : "(simulated)");
    bool read = nt_query(b, &before, &before_r), read_after = false;
    if (!read) {
        ntc_report("purge", "reading the memory lists", b, &before_r, NT_CTX_COMMAND);
        if (!b->wine)
            fprintf(stderr, "Nothing was purged.\n");
        for (size_t i = 0; i < n; i++) {
            steps[i].op = ops[i];
            nt_result_init(&steps[i].r, nt_op_call(ops[i]));
        }
    } else {
        done = ntc_run_sequence("purge", b, ops, n, steps, json ? NULL : stdout);
        read_after = nt_query(b, &after, &after_r);
        if (!read_after)
            ntc_report("purge", "reading the memory lists afterwards", b, &after_r, NT_CTX_QUERY);
    }
    if (json) {
        cJSON *root = document("purge", b);
        cJSON *seq = cJSON_AddArrayToObject(root, "sequence");
        for (size_t i = 0; i < n; i++)
            cJSON_AddItemToArray(seq, cJSON_CreateString(nt_op_name(ops[i])));
        cJSON_AddBoolToObject(root, "done", read && done == n);
        cJSON_AddItemToObject(root, "steps", ntc_steps_json(b, steps, n, !read ? 0 : done < n ? done + 1 : n));
        if (!read)
            cJSON_AddItemToObject(root, "query", ntc_result_json(b, &before_r, NT_CTX_COMMAND));
        cJSON_AddItemToObject(root, "before", counts_or_null(&before, read));
        cJSON_AddItemToObject(root, "after", counts_or_null(&after, read_after));
        if (!ntc_print_json(stdout, "purge", root))
            return NTCMD_EXIT_INTERNAL;
    } else if (read_after) {
        ntc_print_before_after(stdout, &before, &after);
        putchar('\n');
        ntc_active_note(stdout, b->real);
    }
    return read && read_after && done == n ? 0 : NTCMD_EXIT_REAL_FAILED;
}

int ntcmd_purge(int argc, char **argv)
{
    static const char *const allowed[] = {"--real", "--yes", "--json", NULL};
    struct ntc_args a;
    enum nt_op ops[NT_MAX_SEQUENCE];
    if (!ntc_parse_args("purge", argc, argv, allowed, true, &a))
        return NTC_EXIT_BAD_ARGS;
    if (a.help) {
        fputs(ntcmd_usage_purge, stdout);
        return 0;
    }
    if (!a.operand) {
        fprintf(stderr, "mmsim purge: which operation? (e.g. 'mmsim purge all')\n");
        args_usage_hint("purge");
        return NTC_EXIT_BAD_ARGS;
    }
    size_t n = ntc_sequence("purge", a.operand, ops);
    if (n == 0)
        return NTC_EXIT_BAD_ARGS;
    if (a.yes && !a.real) {
        fprintf(stderr, "mmsim purge: --yes confirms --real; the simulated machine needs no confirmation\n");
        args_usage_hint("purge");
        return NTC_EXIT_BAD_ARGS;
    }
    if (a.real && !a.yes) {
        fprintf(stderr, "mmsim purge --real acts on every process of this machine: add --yes to confirm\n");
        args_usage_hint("purge");
        return NTC_EXIT_BAD_ARGS;
    }
    if (a.real) {
        struct nt_backend *b = open_real("purge");
        if (!b)
            return NTCMD_EXIT_NO_REAL;
        int rc = purge_on(b, a.operand, ops, n, a.json);
        nt_close(b);
        return rc;
    }
    int rc = ntc_require_simulated("purge", ops, n, "it runs only on Windows, with --real --yes");
    if (rc)
        return rc;
    struct mm_machine *m = busy_machine("purge");
    struct nt_backend *b = m ? nt_sim_open(m) : NULL;
    rc = b ? purge_on(b, a.operand, ops, n, a.json) : NTCMD_EXIT_INTERNAL;
    nt_close(b);
    mm_destroy(m);
    return rc;
}
