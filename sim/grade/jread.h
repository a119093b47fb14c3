/*
 * jread.h - reading a grading file written in JSON (a goals file, a lab's
 * checks) strictly, with every refusal naming the file, line, column and
 * JSON path: the scenario reader's strict JSON layer (json.h) underneath,
 * and the same kinds of messages (unknown keys with "did you mean",
 * duplicate keys, wrong types, numbers out of range).
 */
#ifndef MMSIM_GRADE_JREAD_H
#define MMSIM_GRADE_JREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gerr.h"
#include "json.h"

#define JREAD_MAX_BYTES (1u << 20)   /* 1 MiB */

struct jread {
    const char *file;                /* as errors show it */
    struct json_doc doc;
    bool parsed;
    struct grade_errors *errs;
};

/* A number the file gives: exact (min == max) or a range. */
struct jrange {
    bool set;
    bool open_max;                   /* {"min": n} alone: at least n */
    uint64_t min, max;
};

/* Read a whole file into memory (NUL-terminated; at most JREAD_MAX_BYTES).
 * NULL with an error added. */
char *jread_file(const char *path, const char *shown, size_t *len, struct grade_errors *errs);

/* Parse text (kept by the caller until jread_end). False with an error:
 * FILE:LINE:COLUMN, the JSON path the reading had reached ("$.goals[0].
 * points") and what is wrong, said of `kind` ("a goals file": "...; a
 * goals file is UTF-8 text") with the value the file holds as the
 * example ("(5 or 5.0, not 5.)"). */
bool jread_begin(struct jread *j, const char *file, const char *kind, const char *text, size_t len,
                 struct grade_errors *errs);
void jread_end(struct jread *j);

/* An error about node (its key when key is true) at `path`. */
void jread_error(struct jread *j, const cJSON *node, bool key, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* node must be an object whose keys are among allowed[] (NULL-ended):
 * unknown keys (with a hint) and repeated keys are errors. */
bool jread_object(struct jread *j, const cJSON *node, const char *path, const char *const *allowed);
/* A string of 1..max bytes. */
bool jread_string(struct jread *j, const cJSON *node, const char *path, size_t max, const char **out);
/* A whole number from min to max, as a JSON number or a decimal/0x string. */
bool jread_number(struct jread *j, const cJSON *node, const char *path, uint64_t min, uint64_t max,
                  uint64_t *out);
/* A number (exact) or {"min": n, "max": n} (either or both), at most max. */
bool jread_range(struct jread *j, const cJSON *node, const char *path, uint64_t max, struct jrange *out);
/* jread_range for a count of something: a negative value is "-1 is not a
 * count: a count is 0 or more", and one above max says what bounds it,
 * `bound` ("the page references these traces make"). */
bool jread_count(struct jread *j, const cJSON *node, const char *path, uint64_t max, const char *bound,
                 struct jrange *out);
bool jread_bool(struct jread *j, const cJSON *node, const char *path, bool *out);

/* JSON paths for messages: "PATH.KEY", "PATH.A.B", "PATH.KEY[I]" (or
 * "PATH[I]" with key NULL), cut to size. Return buf. */
const char *jpath(char *buf, size_t size, const char *path, const char *key);
const char *jpath2(char *buf, size_t size, const char *path, const char *a, const char *b);
const char *jpath_index(char *buf, size_t size, const char *path, const char *key, int index);

/* Does v lie in r? And r written as "exactly 3", "at least 2", "2..4". */
bool jrange_holds(const struct jrange *r, uint64_t v);
const char *jrange_text(const struct jrange *r, char *buf, size_t size);

#endif
