/*
 * expects.h - the table of expectation kinds.
 *
 * An expect step holds one or more expectations, each under the key of its
 * kind ("status", "pte", "lists", ...). One row per kind: its key, its
 * fields when it is written as an object, and two functions:
 *
 *   read   validate the expectation and fill struct scn_expect
 *   check  compare it with the machine after the steps before it, and
 *          record each check, what it expected and what it found
 *
 * Kinds are read and checked in the order of expect_table, so failures
 * are listed in that order whatever the order of the keys in the file.
 * tests/check_format.py holds the rows against docs/scenario.schema.json
 * and docs/scenario-format.md.
 *
 * To add a kind: the fields it needs in struct scn_expect (scenario.h), a
 * row and its two functions (in the expect_*.c file of its family, or a
 * new one), its place in expect_table (expects.c) and its declaration
 * below; then the schema and the format doc.
 */
#ifndef MMSIM_SCENARIO_EXPECTS_H
#define MMSIM_SCENARIO_EXPECTS_H

#include "reader.h"
#include "replay.h"

/* Reads the expectation n (at JSON path `path`, already "....KIND") into x. */
typedef bool expect_read_fn(struct reader *r, const cJSON *n, const char *path, struct scn_expect *x);
/* Checks what x holds of this kind against r's machine; each check that
 * fails adds a line to res (expects_fail). Checks nothing when x holds
 * nothing of this kind. */
typedef void expect_check_fn(struct replay *r, const struct scn_expect *x, struct replay_result *res);

struct expect_row {
    const char *name;
    const struct scn_field *fields;   /* an object's fields, ending at a NULL name; NULL: see
                                         scenario_expect_fields() */
    expect_read_fn *read;
    expect_check_fn *check;           /* NULL: checked with another kind (see its row) */
};

extern const struct expect_row *const expect_table[];
extern const uint32_t expect_kinds;   /* rows in expect_table */

/* The rows, by family. */
extern const struct expect_row expect_status, expect_fault, expect_table_fault, /* expects.c */
    expect_av_reason, expect_value;
extern const struct expect_row expect_lists, expect_standby_priority,           /* expect_counts.c */
    expect_repurposed, expect_pagefile, expect_commit, expect_faults;
extern const struct expect_row expect_pte, expect_pde, expect_pfn,              /* expect_entries.c */
    expect_working_set, expect_tlb;
extern const struct expect_row expect_proto, expect_section, expect_file;       /* expect_section.c */

/* An array of at most SCN_MAX_LIST_ITEMS addresses, into a new *out
 * (freed with the scenario). */
bool expects_read_addresses(struct reader *r, const cJSON *n, const char *path, mm_va **out, uint32_t *count);

/* Record one check of res: what it is about (`subject`, "" for the last
 * access and the lists) and which field (`what`), whether it held, and
 * what was expected and found, as text. A failed check also adds the line
 * "subject what: expected X, actual Y" to res's failures. */
void expects_check(struct replay_result *res, const char *subject, const char *what, bool held, const char *expected,
                   const char *actual);
/* The same with the actual value formatted, as printf. */
void expects_checkf(struct replay_result *res, const char *subject, const char *what, bool held, const char *expected,
                    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* A check that held reads as what and expected only ("contains 0x00010000"). */
void expects_listing(struct replay_result *res, const char *subject, const char *what, bool held,
                     const char *expected, const char *actual);
/* Check a number against an expected range, when one was given: exact
 * ("59"), or "at least 1", "at most 8", "2..4"; in hexadecimal with hex. */
void expects_range(struct replay_result *res, const char *subject, const char *what, const struct scn_range *x,
                   uint64_t actual, bool hex);
/* The pid of the process an expectation names, when it is running now;
 * else 0, and a failed check "SUBJECT process: expected running, actual
 * not running" (a process whose create_process step failed never ran). */
uint32_t expects_running(struct replay *r, int process, const char *subject, struct replay_result *res);

#endif
