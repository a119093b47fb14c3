/*
 * qutil.h - what the question makers share: the seeded generator, text
 * that grows, a small machine with one process, an event recorder, and
 * the words the engine uses for PTEs, lists and faults.
 */
#ifndef MMSIM_QUIZ_QUTIL_H
#define MMSIM_QUIZ_QUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm.h"
#include "quiz.h"

/* ---- The generator: splitmix64, the same numbers on every host ---- */

struct qrng {
    uint64_t s;
};
uint64_t qrng_next(struct qrng *r);
/* A number below n (n >= 1). */
uint32_t qrng_below(struct qrng *r, uint32_t n);
/* True `percent` times in a hundred. */
bool qrng_chance(struct qrng *r, uint32_t percent);
/* A pick among n weights (their sum at least 1): the index drawn. */
uint32_t qrng_weighted(struct qrng *r, const uint32_t *weight, uint32_t n);

/* ---- Text that grows; out of memory sticks and is seen at the end ---- */

struct qtext {
    char *s;
    size_t len, cap;
    bool oom;
};
void qt_printf(struct qtext *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hand the text over (NULL when memory ran out; the caller frees it). */
char *qt_take(struct qtext *t);
void qt_free(struct qtext *t);

/* ---- One question's machine ---- */

#define QM_MAX_EVENTS 4096u

struct qmachine {
    struct mm_machine *m;
    uint32_t pid;
    bool recording;
    uint32_t nevents;
    bool overflow;
    struct mm_event *ev;            /* QM_MAX_EVENTS of them */
};

/* Build a machine of `frames` frames (NT's defaults for that size), one
 * paging file of `pagefile` pages, `policy`, no read clustering, and start
 * process "A". False with a sentence in err. */
bool qm_start(struct qmachine *q, uint32_t frames, uint32_t pagefile, enum mm_policy policy, char *err,
              size_t err_size);
/* The same, with process "B" started first and `pages` pages of it
 * written, so that A's directory and frames are not the first ones. */
bool qm_start_after_b(struct qmachine *q, uint32_t frames, uint32_t pagefile, enum mm_policy policy, uint32_t pages,
                      char *err, size_t err_size);
void qm_stop(struct qmachine *q);
/* Record the engine's events from now on (dropping those recorded). */
void qm_record(struct qmachine *q);
void qm_stop_recording(struct qmachine *q);
/* A setup step that must succeed; false with "what: STATUS_..." in err. */
bool qm_ok(mm_status s, const char *what, char *err, size_t err_size);

/* ---- Words ---- */

/* The vocabulary of fault kinds an answer may use ("none", "demand-zero",
 * ...; mm_fault_kind_name's words), of access-violation reasons, of PTE
 * forms (pte_form_name's), of lists ("zeroed", "free", "standby",
 * "modified", "none"). NULL-terminated. */
extern const char *const quiz_fault_words[];
extern const char *const quiz_av_words[];
extern const char *const quiz_form_words[];
extern const char *const quiz_list_words[];
/* An access-violation reason as an answer word ("write" for MM_AV_WRITE). */
const char *quiz_av_word(enum mm_av_reason r);
/* A list as an answer word ("zeroed"; "active" for ActiveAndValid). */
const char *quiz_list_word(enum mm_list l);

/* A PTE value in words: "valid: frame 0x0BE, W=1 U=1 A=1 D=0",
 * "page-file: file 0, slot 0x12, PAGE_READWRITE", ... (into buf). */
const char *quiz_describe_pte(mm_pte v, char *buf, size_t size);

/* ---- Building parts ---- */

struct quiz_part *quiz_add_part(struct quiz_question *q, const char *name, enum quiz_value type, unsigned points);
void quiz_part_number(struct quiz_part *p, uint64_t value, bool hex);
void quiz_part_word(struct quiz_part *p, const char *word, const char *const *vocabulary);
void quiz_part_yesno(struct quiz_part *p, bool yes);
void quiz_part_protection(struct quiz_part *p, uint32_t protection_mask);
void quiz_part_text(struct quiz_part *p, const char *text);
void quiz_part_none(struct quiz_part *p);

/* The makers, one per kind: fill q (number and kind are set) from rng. */
bool quiz_make_translate(struct qrng *rng, struct quiz_question *q, char *err, size_t err_size);
bool quiz_make_decode(struct qrng *rng, struct quiz_question *q, char *err, size_t err_size);
bool quiz_make_fault(struct qrng *rng, struct quiz_question *q, char *err, size_t err_size);
bool quiz_make_policy(struct qrng *rng, struct quiz_question *q, char *err, size_t err_size);
bool quiz_make_lists(struct qrng *rng, struct quiz_question *q, char *err, size_t err_size);

#endif
