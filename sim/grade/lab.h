/*
 * lab.h - a lab's graded checks and the runner make grade uses in a
 * student's tree (mmsim grade lab).
 *
 * A checks file is JSON (docs/labs/grading.md has the reference):
 *
 *   { "lab": "fault", "title": "Lab 2: page faults", "timeout": 10,
 *     "tests": [
 *       { "name": "faults: demand-zero", "points": 10,
 *         "scenarios": ["demand-zero.json"],
 *         "traces": [ { "files": ["loop.txt"], "policy": "fifo", "cache": 4,
 *                       "expect": { "misses": 12 } } ],
 *         "walks": [ { "scenario": "walk.json", "process": "A", "address": "0x00401234",
 *                      "expect": { "pde_pa": "0x00FAC004", "fault": "none" } } ],
 *         "sections": [ { "file": ["0xF11E0000"], "views": { "A": "PAGE_WRITECOPY" },
 *                         "steps": [ { "process": "A", "page": 0, "access": "write",
 *                                      "value": "0xC0C0", "fault": "copy-on-write" } ] } ] } ] }
 *
 * Paths are relative to the checks file. A test holds when every case in
 * it does: a scenario replays with all its expectations and every
 * invariant holding; a trace run gives the expected counts; a walk (after
 * its scenario has run) gives the expected entries, addresses and fault; a
 * sections case (seccase.h) runs its accesses to a section's views on the
 * engine directly, each with the fault, value and sharing it expects.
 * Each test runs in a child process of its own with a time limit, so a
 * student's engine that crashes, asserts or loops loses that test only.
 * Everything is read and checked before any test runs: a bad checks file
 * is the instructor's error (exit 2), never a student's zero.
 */
#ifndef MMSIM_GRADE_LAB_H
#define MMSIM_GRADE_LAB_H

#include <stdbool.h>
#include <stdint.h>

#include "gerr.h"
#include "report.h"

#define LAB_MAX_TESTS 200u
#define LAB_MAX_CASES 64u          /* of each kind in one test */
#define LAB_DEFAULT_TIMEOUT 10u    /* seconds per test */
#define LAB_MAX_TIMEOUT 600u

struct lab_checks;

/* Read checks files (paths[0..n); each path as given is its name in
 * messages) into one list of tests. NULL with the errors. */
struct lab_checks *lab_load(const char *const *paths, uint32_t n, struct grade_errors *errs);
void lab_free(struct lab_checks *c);
/* The title of the first file ("" when it has none). */
const char *lab_title(const struct lab_checks *c);
uint32_t lab_test_count(const struct lab_checks *c);

/* Run every test, each in a child process limited to its timeout (or
 * timeout_override seconds when not 0), and add one test each to r. False
 * with a sentence in err when the runner itself cannot run (no fork on
 * this system, out of processes). */
bool lab_run(const struct lab_checks *c, uint32_t timeout_override, struct grade_report *r, char *err,
             size_t err_size);

#endif
