/*
 * ntcommon.h - what mmsim lists, purge and compare share: their options,
 * the operation sequence, running it step by step, the rows of their
 * tables (text and JSON) and the report of what a backend did.
 *
 * Messages go to stderr and name the command ("mmsim purge: ..."); tables
 * and JSON go to the FILE the caller gives.
 */
#ifndef MMSIM_CLI_NTCOMMON_H
#define MMSIM_CLI_NTCOMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "memlist.h"

#define NTC_EXIT_BAD_ARGS 2

/* ---- Arguments ---- */

struct ntc_args {
    bool real, yes, json, help;
    const char *operand;   /* at most one */
};

/* Parse options from `allowed` (a NULL-terminated list such as
 * {"--real", "--yes", NULL}; --help and -h always) and at most one
 * operand (none unless `operand`). On anything else prints what was
 * wrong and a pointer to 'mmsim CMD --help' and returns false. */
bool ntc_parse_args(const char *cmd, int argc, char **argv, const char *const *allowed, bool operand,
                    struct ntc_args *a);

/* The operations named by `text` into ops[]; the count, or 0 after
 * printing what was wrong (an empty text or name, an unknown name, 'all'
 * among others, more than NT_MAX_SEQUENCE). */
size_t ntc_sequence(const char *cmd, const char *text, enum nt_op ops[NT_MAX_SEQUENCE]);

/* 0 when the simulator runs every operation of ops[], else the exit
 * status 2 after saying which one it cannot run and what to do (`hint`). */
int ntc_require_simulated(const char *cmd, const enum nt_op *ops, size_t n, const char *hint);

/* ---- Running a sequence ---- */

struct ntc_step {
    enum nt_op op;
    struct nt_result r;        /* outcome NT_NOT_SENT with an empty why: not reached */
    uint64_t pages_combined;
};

/* Run ops[0..n) on b in order into steps[], stopping at the first step
 * that is not done (reported on stderr with what was and was not done);
 * `progress`, when not NULL, gets "1. OP: done (...)" per step. Returns
 * the number of steps done. */
size_t ntc_run_sequence(const char *cmd, struct nt_backend *b, const enum nt_op *ops, size_t n,
                        struct ntc_step *steps, FILE *progress);

/* ---- Rows ---- */

enum ntc_row {
    NTC_ROW_ZEROED, NTC_ROW_FREE, NTC_ROW_MODIFIED, NTC_ROW_MODIFIED_NO_WRITE, NTC_ROW_BAD, NTC_ROW_STANDBY,
    NTC_ROW_STANDBY_0, NTC_ROW_REPURPOSED = NTC_ROW_STANDBY_0 + MM_STANDBY_PRIORITIES, NTC_ROW_REPURPOSED_0,
    NTC_ROW_MODIFIED_PAGEFILE = NTC_ROW_REPURPOSED_0 + MM_STANDBY_PRIORITIES,
    NTC_ROW_ACTIVE,   /* the total less every list: pages in use, on no list */
    NTC_ROW_TOTAL, NTC_ROW_COUNT
};

/* A row's value in pages; false when the query did not report it. */
bool ntc_row_value(const struct nt_counts *c, unsigned row, uint64_t *value);
const char *ntc_row_label(unsigned row, char *buf, size_t size);
/* The JSON key of a row ("standby_5"). */
const char *ntc_row_key(unsigned row, char *buf, size_t size);
/* The footnote that says what the Active row holds. */
void ntc_active_note(FILE *out, bool real);

/* ---- Tables and JSON ---- */

void ntc_print_lists(FILE *out, const struct nt_counts *c);
void ntc_print_before_after(FILE *out, const struct nt_counts *before, const struct nt_counts *after);
cJSON *ntc_counts_json(const struct nt_counts *c);

/* ---- Reports of what a backend did ---- */

/* On stderr: "mmsim CMD: WHAT: ..." for a result that is not NT_DONE:
 * the call and the NTSTATUS it returned (with the Win32 error), or the
 * privilege step that failed, or why nothing was sent; then what to do. */
void ntc_report(const char *cmd, const char *what, struct nt_backend *b, const struct nt_result *r,
                enum nt_context ctx);
/* The same as a JSON object: outcome, call, status, ntstatus,
 * win32_error, privilege, privilege_enabled, privilege_error, message. */
cJSON *ntc_result_json(struct nt_backend *b, const struct nt_result *r, enum nt_context ctx);
/* The steps of a sequence as a JSON array: {"op", then the result's
 * fields} for the first `reached`, {"op", "outcome": "not_run"} after. */
cJSON *ntc_steps_json(struct nt_backend *b, const struct ntc_step *steps, size_t n, size_t reached);

/* Print a JSON document on one line; false (after a message) when the
 * host ran out of memory. */
bool ntc_print_json(FILE *out, const char *cmd, cJSON *root);

#endif
