/*
 * report.h - a graded result, whatever was graded (quiz answers, a
 * scenario against goals, a lab's checks): named tests, each with a score,
 * the points it was worth and what was found; written three ways.
 *
 *   human       xv6's make grade: "faults: demand-zero: OK (10/10)", what
 *               went wrong indented under a test that lost points, and
 *               "Score: 35/40" at the end
 *   tap         TAP version 13, a YAML block with the score and the output
 *               under each test
 *   gradescope  results.json as Gradescope's autograder reads it: "score",
 *               "output" and "tests", each test with "name", "number",
 *               "score", "max_score", "status" (passed when it scored all
 *               its points) and "output", and "visibility" when the test
 *               set one ("hidden", "after_due_date", "after_published",
 *               "visible")
 */
#ifndef MMSIM_GRADE_REPORT_H
#define MMSIM_GRADE_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum grade_format { GRADE_HUMAN, GRADE_TAP, GRADE_GRADESCOPE, GRADE_FORMAT_COUNT };

#define GRADE_MAX_OUTPUT 8192u   /* bytes of one test's output kept (student code may print a lot) */

struct grade_test {
    char *name;
    double score, max_score;
    char *output;               /* "" when there is nothing to say */
    char *visibility;           /* NULL: Gradescope's default (visible) */
};

struct grade_report {
    char *title;                /* the first line of the human form, the top-level output */
    struct grade_test *test;
    uint32_t count, cap;
    bool oom;                   /* a test could not be added: the report is incomplete */
};

/* "human", "tap", "gradescope"; false for another name. */
bool grade_format_from_name(const char *name, enum grade_format *out);

void grade_report_init(struct grade_report *r, const char *title);
/* Add a test; output may be NULL, visibility NULL for the default. The
 * output is cut at GRADE_MAX_OUTPUT bytes (a line says so). False when the
 * host ran out of memory (r->oom is set). */
bool grade_report_add(struct grade_report *r, const char *name, double score, double max_score,
                      const char *output, const char *visibility);
double grade_report_score(const struct grade_report *r);
double grade_report_max(const struct grade_report *r);
/* Write the report; false if writing failed. */
bool grade_report_write(const struct grade_report *r, enum grade_format f, FILE *out);
void grade_report_free(struct grade_report *r);

/* The exit status a grading command returns for a report: 0 full marks,
 * 1 points were lost. */
int grade_report_status(const struct grade_report *r);

#endif
