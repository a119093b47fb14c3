/*
 * goals.h - a lab's goals for a scenario the student writes, and grading
 * a scenario against them ("process A takes exactly 3 hard faults and the
 * writer writes 5 pages").
 *
 * A goals file is JSON (docs/labs/grading.md has the reference):
 *
 *   { "title": "...",
 *     "goals": [
 *       { "name": "A takes exactly 3 hard faults", "points": 5,
 *         "faults": { "process": "A", "page-file": 3 } },
 *       { "name": "the writer writes 5 pages", "points": 5,
 *         "counters": { "pages_written": 5 } } ] }
 *
 * A goal holds when every check in it holds when the scenario has run to
 * its end: faults (by kind, of one process or of all), counters (pages
 * written, read, zeroed, trimmed), lists, working_set (of a process still
 * running), operations (how many steps are operations), expectations (the
 * scenario's own expect steps: that they hold, how many there are). Each
 * number is exact or a range {"min": n, "max": n}.
 */
#ifndef MMSIM_GRADE_GOALS_H
#define MMSIM_GRADE_GOALS_H

#include <stdbool.h>
#include <stdint.h>

#include "gerr.h"
#include "jread.h"
#include "mm.h"
#include "report.h"
#include "scenario.h"

#define GOALS_MAX 100u
#define GOAL_NAME_MAX 120u

enum goal_counter { GC_WRITTEN, GC_READ, GC_ZEROED, GC_TRIMMED, GC_COUNT };
enum goal_ws { GW_SIZE, GW_LOCKED, GW_TABLES, GW_DATA, GW_COUNT };

struct goal {
    char name[GOAL_NAME_MAX + 1];
    unsigned points;
    bool has_faults;
    char faults_process[SCN_MAX_NAME + 1];   /* "" for every process together */
    struct jrange faults[MM_FAULT_KIND_COUNT];
    struct jrange counter[GC_COUNT];
    struct jrange list[LK_COUNT];
    bool has_ws;
    char ws_process[SCN_MAX_NAME + 1];
    struct jrange ws[GW_COUNT];
    struct jrange operations;
    bool has_hold, hold;                     /* expectations.hold */
    struct jrange expect_steps;              /* expectations.count */
};

struct goals {
    char title[GOAL_NAME_MAX + 1];
    struct goal *goal;
    uint32_t count;
};

/* Read a goals file (path; `shown` is its name in messages). False with
 * the errors, each naming FILE:LINE:COLUMN and the JSON path. */
bool goals_load(const char *path, const char *shown, struct goals *g, struct grade_errors *errs);
void goals_free(struct goals *g);

/* Replay the scenario (already loaded and valid) against the reference
 * engine and add one test per goal to r. False (with a sentence in err)
 * only when the machine cannot be built. */
bool goals_grade(const struct goals *g, const struct scenario *sc, struct grade_report *r, char *err,
                 size_t err_size);

#endif
