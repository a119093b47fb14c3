/*
 * answers.h - a student's answers to a quiz, and their grading.
 *
 * An answers file is text (mmsim quiz --sheet prints a blank one):
 *
 *   # comments and blank lines are skipped
 *   seed 7                  the quiz it answers (each header line at most once)
 *   count 5
 *   kinds translate,decode,fault,policy,lists
 *   version 0.1.0
 *   1.pde_pa = 0x0001F004   QUESTION.PART = ANSWER; an empty answer is no answer
 *
 * It is hostile input: every refusal names the file and line and says what
 * is wrong; nothing in it can crash or hang the reader. Answers that are
 * well formed but wrong (a word where a number goes) are not errors: they
 * score nothing, with the reason in the report.
 */
#ifndef MMSIM_GRADE_ANSWERS_H
#define MMSIM_GRADE_ANSWERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "quiz/quiz.h"
#include "gerr.h"
#include "report.h"

#define ANSWERS_MAX_BYTES (1u << 20)   /* 1 MiB */
#define ANSWERS_MAX_LINE 1000u          /* bytes in one line */
#define ANSWERS_MAX_ENTRIES 2000u

struct answer_entry {
    uint32_t question;                 /* from 1 */
    char part[QUIZ_PART_NAME];
    char value[QUIZ_ANSWER_SIZE];      /* trimmed; "" when left blank */
    uint32_t line;
};

struct answers {
    char file[256];                    /* the name errors use */
    bool has_seed, has_count, has_kinds, has_version;
    uint64_t seed;
    uint32_t count;
    unsigned kinds;
    char version[32];
    uint32_t seed_line, count_line, kinds_line, version_line;
    struct answer_entry *entry;
    uint32_t nentries;
};

/* Read text[0..len) under the name `file`. False with the errors when the
 * file is not an answers file (each error names its line). */
bool answers_read(const char *file, const char *text, size_t len, struct answers *a, struct grade_errors *errs);
void answers_free(struct answers *a);

/* Check the answers against the quiz they must answer: the header's seed,
 * count and kinds agree with it, every QUESTION.PART exists and is given
 * once. False with the errors. */
bool answers_match(const struct answers *a, const struct quiz *qz, struct grade_errors *errs);

/* One test per question in r: the points of the parts answered right,
 * and for each part that is not, the answer, the expected one and why. */
void answers_grade(const struct answers *a, const struct quiz *qz, struct grade_report *r);

/* Is `answer` right for part p? why (may be NULL) says what is wrong. */
bool answers_part_correct(const struct quiz_part *p, const char *answer, char *why, size_t why_size);

#endif
