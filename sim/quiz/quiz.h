/*
 * quiz.h - seeded exercises with worked answers, in the manner of OSTEP's
 * homework simulators: the same seed (and mmsim version) gives the same
 * questions, and every answer is what the engine itself computes on a
 * machine built for the question, never a second model of it.
 *
 * Five kinds of question (OSTEP's words for them):
 *
 *   translate  a virtual address through given PDE and PTE values: the
 *              entries' physical addresses, then the byte's physical
 *              address or the fault the access raises (mm_walk_access)
 *   decode     one PTE value: its form and every field (pte_classify and
 *              the field accessors of pte.h)
 *   fault      the fault an access raises on a machine state, where its
 *              frame comes from and, at a hard working-set maximum, the
 *              page it replaces (the access run, its events recorded)
 *   policy     hits and misses of a reference string under FIFO, LRU,
 *              clock or OPT with a cache of N pages; Belady's anomaly
 *              (the string replayed as mmsim trace replays it)
 *   lists      the list counts after a sequence of memory-list commands
 *              (mm_memory_list_command run, the lists read back)
 *
 * Each question has named parts ("pde_pa", "result", ...), each worth
 * points; an answers file gives one line per part and mmsim grade scores
 * them (sim/grade/). Nothing here prints: the front end renders a quiz with
 * quiz_write_text(), quiz_write_json() or quiz_write_sheet().
 */
#ifndef MMSIM_QUIZ_H
#define MMSIM_QUIZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum quiz_kind { QUIZ_TRANSLATE, QUIZ_DECODE, QUIZ_FAULT, QUIZ_POLICY, QUIZ_LISTS, QUIZ_KIND_COUNT };

#define QUIZ_ALL_KINDS ((1u << QUIZ_KIND_COUNT) - 1u)
#define QUIZ_MAX_COUNT 100u          /* questions in one quiz */
#define QUIZ_MAX_PARTS 8u
#define QUIZ_PART_NAME 16u           /* a part's name, NUL included */
#define QUIZ_ANSWER_SIZE 96u

/* How a part's answer is read and compared (sim/grade/answers.c). */
enum quiz_value {
    QV_NUMBER,      /* a number, decimal or 0x-hex: equal as numbers */
    QV_WORD,        /* one word of a vocabulary: equal ignoring case, spaces, '-' and '_' */
    QV_ADDR_OR_WORD,/* a number (a physical address) or a word (a fault) */
    QV_YESNO,       /* yes/no, y/n, true/false, 1/0 */
    QV_PROTECTION,  /* PAGE_* names joined by '|' (any case), or their Win32 value */
    QV_SET          /* numbers separated by commas or spaces, in any order */
};

struct quiz_part {
    char name[QUIZ_PART_NAME];       /* "pde_pa": the key in an answers file */
    enum quiz_value type;
    unsigned points;
    char answer[QUIZ_ANSWER_SIZE];   /* the expected answer, as the worked answer spells it */
    uint64_t number;                 /* QV_NUMBER, QV_ADDR_OR_WORD with a number: the value */
    bool is_number;                  /* QV_ADDR_OR_WORD: the answer is a number */
    bool none;                       /* the answer is "none" (also "-" or "n/a"): the
                                        question's situation has no such thing */
    uint32_t protection;             /* QV_PROTECTION: Win32 PAGE_* flags */
    const char *const *vocabulary;   /* QV_WORD, QV_ADDR_OR_WORD: the words an answer may use */
};

struct quiz_question {
    uint32_t number;                 /* from 1 */
    enum quiz_kind kind;
    char *text;                      /* the question, lines ending in '\n' */
    char *worked;                    /* the worked answer, lines ending in '\n' */
    uint32_t nparts;
    struct quiz_part part[QUIZ_MAX_PARTS];
};

struct quiz {
    uint64_t seed;
    uint32_t count;
    unsigned kinds;                  /* bit (1 << kind) for each kind asked */
    struct quiz_question *q;         /* count of them */
    bool exam;                       /* the writers withhold the seed (mmsim quiz --exam):
                                        false from quiz_generate */
};

/* The kind's name ("translate"), and the kind of a name (false for none). */
const char *quiz_kind_name(enum quiz_kind k);
bool quiz_kind_from_name(const char *name, enum quiz_kind *out);
/* "translate,decode,..." for a set of kinds, into buf. */
const char *quiz_kinds_text(unsigned kinds, char *buf, size_t size);
/* Read "translate,policy" (names separated by commas) into a set; false
 * with a sentence naming the bad name (and a near one) in why. */
bool quiz_kinds_parse(const char *text, unsigned *kinds, char *why, size_t why_size);

/* Generate `count` (1..QUIZ_MAX_COUNT) questions from `seed` over `kinds`
 * (a non-empty subset of QUIZ_ALL_KINDS). Question i is of the i-th kind
 * in turn (in enum order) and is drawn from the seed and its own number
 * only, so a longer quiz begins with the questions of a shorter one.
 * False with a sentence in err when the host runs out of memory or the
 * engine refuses a step of a question's setup (an internal error). */
bool quiz_generate(struct quiz *qz, uint64_t seed, uint32_t count, unsigned kinds, char *err, size_t err_size);
void quiz_free(struct quiz *qz);

/* The part of question q named `name`, or NULL. */
const struct quiz_part *quiz_find_part(const struct quiz_question *q, const char *name);
unsigned quiz_question_points(const struct quiz_question *q);

/* Render a quiz: OSTEP's layout (the arguments first, each question, and
 * with answers the worked answers); the same as JSON (answers and worked
 * answers only with `answers`); a blank answers file to fill in. With
 * qz->exam none of them shows the seed ("ARG seed withheld", no "seed" in
 * the JSON, no seed line in the sheet). False if writing failed. */
bool quiz_write_text(const struct quiz *qz, bool answers, FILE *out);
bool quiz_write_json(const struct quiz *qz, bool answers, FILE *out);
bool quiz_write_sheet(const struct quiz *qz, FILE *out);

#endif
