/*
 * reader.h - reading the values inside a scenario file: numbers, sizes,
 * addresses, protections, ranges, names from a list, objects with known
 * keys, and references to processes followed step by step.
 *
 * The readers of the document (scenario.c), of each op (ops.c, op_*.c)
 * and of each expectation (expect*.c) are built from these. Every reader
 * takes the JSON node to read and the JSON path to name in a message
 * ("$.steps[3].size"). On bad input it reports one error (file, line,
 * column, path, what was wrong), leaves *out as it was and returns false;
 * the caller may read on to find more errors, since a scenario with any
 * error is discarded as a whole.
 */
#ifndef MMSIM_SCENARIO_READER_H
#define MMSIM_SCENARIO_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "scenario.h"

/* Entries of a list of fields (struct scn_field), which ends at FIELDS_END:
 * {REQ("process"), REQ("address"), OPT("protect"), FIELDS_END}. */
#define REQ(name) {name, true}
#define OPT(name) {name, false}
#define FIELDS_END {NULL, false}

#define READER_PATH 128          /* room for a JSON path; longer ones are cut */
#define READER_MAX_KEYS 32       /* most keys one object may take */

/* The state of one scenario_load(). */
struct reader {
    const char *file;
    struct json_doc doc;
    struct json_where base;   /* where doc's text starts in the file ({0, 0}: doc is the whole file) */
    /* a long "steps" array is read one step at a time from the file's text */
    const char *text;
    size_t len;
    struct json_span *items;  /* each step's bytes; NULL: the steps are in doc */
    size_t nitems;
    struct json_doc step;     /* the step being read, in the memory of the one before */
    struct scn_errors *errs;
    struct scenario *sc;  /* what has been read so far */
    bool *alive;          /* per process name: running at the step being read */
    uint32_t alive_cap;
    uint32_t nalive;      /* how many are running */
    uint32_t *name_slot;  /* hash of the process names: index + 1, 0 empty */
    uint32_t name_slots;  /* a power of two, at least twice the names */
};

/* Where node (its key with key = true) is in the file. */
struct json_where reader_where(const struct reader *r, const cJSON *node, bool key);

/* Report an error at node (its key with key = true; 1:1 when node is NULL).
 * After SCN_MAX_ERRORS errors the rest are counted as truncated. */
void reader_error(struct reader *r, const cJSON *node, bool key, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* "an object", "a string", ...: what a node is, for messages. */
const char *reader_type_name(const cJSON *n);
/* path + "." + key into out (size bytes), cut to fit. */
void reader_join(char *out, size_t size, const char *path, const char *key);
/* obj's member named key, or NULL; its path (path.key) goes to out. */
const cJSON *reader_member(const cJSON *obj, const char *path, const char *key, char out[READER_PATH]);
/* The index of name in fields (which end at a NULL name), or -1. */
int reader_field_index(const struct scn_field *fields, const char *name);

/* An object whose keys all come from fields (ending at a NULL name), none
 * twice; an unknown key gets a "did you mean" hint. `what` names the object
 * in messages ("a PFN expectation"). Required fields are not checked here:
 * each reader says in its own words what is missing. */
bool reader_object(struct reader *r, const cJSON *node, const char *path, const struct scn_field *fields,
                   const char *what);

/* A string of at most max bytes; *out points into the document. */
bool reader_string(struct reader *r, const cJSON *n, const char *path, size_t max, const char **out);
/* A whole number from min to max, given as a JSON number or a string
 * ("4096", "0x1000"; with sized = true also "16K", "4M", "1G"). */
bool reader_number(struct reader *r, const cJSON *n, const char *path, uint64_t min, uint64_t max, bool sized,
                   uint64_t *out);
bool reader_u32(struct reader *r, const cJSON *n, const char *path, uint32_t min, uint32_t max, uint32_t *out);
bool reader_bool(struct reader *r, const cJSON *n, const char *path, bool *out);
/* obj's optional member key as an expected flag: *out is 1 for true, 0 for
 * false, and left as it was (-1: not checked) when the key is absent. */
bool reader_flag(struct reader *r, const cJSON *obj, const char *path, const char *key, int *out);
/* One of names[0..count), as its index; `what` names the kind ("thread"). */
bool reader_enum(struct reader *r, const cJSON *n, const char *path, const char *const *names, size_t count,
                 const char *what, int *out);
/* A 32-bit address; with user = true, at most MM_HIGHEST_USER_ADDRESS. */
bool reader_address(struct reader *r, const cJSON *n, const char *path, bool user, mm_va *out);
/* PAGE_* flags that the engine accepts for private memory (a name list
 * like "PAGE_READWRITE|PAGE_GUARD", or the number). */
bool reader_protection(struct reader *r, const cJSON *n, const char *path, uint32_t *out);
/* The same, write-copy allowed when write_copy is true (a section's or a
 * view's protection, or a commit, which may be in a view). */
bool reader_protection_of(struct reader *r, const cJSON *n, const char *path, bool write_copy, uint32_t *out);
/* An expected number: exact, or {"min": a, "max": b} with either bound
 * optional; bounds from 0 to max. */
bool reader_range(struct reader *r, const cJSON *n, const char *path, uint64_t max, struct scn_range *out);

/* ---- processes, followed step by step ----
 * A process name is known once declared under "processes" or created by a
 * step; it is running from then until a terminate step. Process indexes
 * are positions in scenario.process_names. */

/* A reference to a process running at this step: its index into *out. */
bool reader_process(struct reader *r, const cJSON *n, const char *path, int *out);
/* The name of a process that starts now: valid, not running already, and
 * within machine.max_processes. It is running from here on. */
bool reader_new_process(struct reader *r, const cJSON *n, const char *path, int *index);
/* The options of a process (ws_minimum, ws_maximum, priority,
 * modified_no_write) in obj, with the machine's defaults. */
bool reader_process_options(struct reader *r, const cJSON *obj, const char *path, struct scn_process_opts *o);
/* The working-set limits of obj (the machine, or a process): "ws_minimum"
 * and "ws_maximum" into *min and *max, which hold what they default to
 * (`origin` says where those come from, for messages: "from $.machine").
 * With ws_maximum alone the minimum follows it: at most half of it, as
 * the defaults are made. Refuses a minimum above the maximum and, with
 * hard limits on both sides, a minimum within MM_FLUID_WORKING_SET of the
 * maximum, each message naming the value it collided with and where that
 * came from. *given says whether either key was there. */
bool reader_ws_limits(struct reader *r, const cJSON *obj, const char *path, uint32_t *min, uint32_t *max,
                      const char *origin, bool hard_min, bool hard_max, bool *given);
/* The process stops running here (a terminate step). */
void reader_end_process(struct reader *r, int process);

#endif
