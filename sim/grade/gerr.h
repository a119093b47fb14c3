/*
 * gerr.h - the errors found in a grading input (an answers file, a goals
 * file, a lab's checks): each a line "FILE:LINE: what" or
 * "FILE:LINE:COLUMN: $.path: what", at most GRADE_MAX_ERRORS of them.
 */
#ifndef MMSIM_GRADE_GERR_H
#define MMSIM_GRADE_GERR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define GRADE_MAX_ERRORS 10u

struct grade_errors {
    char line[GRADE_MAX_ERRORS][480];
    uint32_t count;
    bool more;                 /* more than GRADE_MAX_ERRORS were found */
};

/* Add "FILE:LINE: message" ("FILE: message" when line is 0). */
void grade_error_at(struct grade_errors *errs, const char *file, uint32_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Add "FILE:LINE:COLUMN: PATH: message". */
void grade_error_json(struct grade_errors *errs, const char *file, uint32_t line, uint32_t col, const char *path,
                      const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Print them, one a line, each escaped as show.h does (a line may quote
 * the file: an ESC in it must not reach the terminal), and a last line
 * when some were left out. */
void grade_errors_print(const struct grade_errors *errs, FILE *out);

#endif
