/*
 * ops.h - the table of scenario ops.
 *
 * One row per op, as Lua keeps one row per opcode: the op's name in a
 * file, the fields it takes (and which of them are required), and the
 * three functions that give it meaning:
 *
 *   read      validate the step's fields and fill struct scn_step
 *             (at load time, before anything runs)
 *   run       apply the step to the engine during the replay
 *   describe  say in words what the step does ("write 0x... at 0x...")
 *
 * The validator takes each step's allowed keys from the row, `mmsim`'s
 * narrator and replayer call the row's functions, and
 * tests/check_format.py holds the rows against docs/scenario.schema.json
 * and docs/scenario-format.md, so the four cannot drift apart.
 *
 * To add an op: a value in enum scn_op (scenario.h), a row and its
 * functions (in the op_*.c file of its family, or a new one), its line in
 * op_table (ops.c) and its declaration below; then the schema and the
 * format doc, which tests/check_format.py compares with the row.
 */
#ifndef MMSIM_SCENARIO_OPS_H
#define MMSIM_SCENARIO_OPS_H

#include "reader.h"
#include "replay.h"

#define OP_MAX_FIELDS 8     /* fields of one op besides "op", with room for the NULL end */

/* Reads the op's own fields of step s (at JSON path `path`) into st. The
 * "process" field, when the op takes one, has been read already: `ok` says
 * whether it was valid. Returns whether every field was; cross-field checks
 * are made only when the fields they relate are valid. */
typedef bool op_read_fn(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok);
/* Applies the step to r's machine and returns its NTSTATUS (STATUS_SUCCESS
 * for an op that returns none). Only an expect step writes to res. */
typedef mm_status op_run_fn(struct replay *r, const struct scn_step *st, struct replay_result *res);
/* One line saying what the step does, for the narration. */
typedef void op_describe_fn(const struct scenario *sc, const struct scn_step *st, char *out, size_t size);

struct op_row {
    const char *name;
    struct scn_field fields[OP_MAX_FIELDS];  /* besides "op"; end at a NULL name */
    op_read_fn *read;
    op_run_fn *run;                          /* NULL: the step changes nothing */
    bool returns_status;                     /* run's status is what "status" expects */
    op_describe_fn *describe;
};

/* Indexed by enum scn_op. */
extern const struct op_row *const op_table[OP_COUNT];

/* The rows, by family. */
extern const struct op_row op_note;                                          /* ops.c */
extern const struct op_row op_expect;                                        /* expects.c */
extern const struct op_row op_create_process, op_terminate, op_trim,         /* op_process.c */
    op_set_ws_limits, op_set_priority, op_create_thread;
extern const struct op_row op_reserve, op_commit, op_allocate, op_decommit,  /* op_memory.c */
    op_release, op_protect;
extern const struct op_row op_read, op_write, op_execute, op_touch;          /* op_access.c */
extern const struct op_row op_run, op_tick, op_memory_list, op_mark_bad;     /* op_system.c */
extern const struct op_row op_create_section, op_map_view, op_unmap_view,    /* op_section.c */
    op_flush_view, op_close_section;

/* Reads step s, the whole object, into st: its op, then the fields of the
 * op's row. Returns whether it was valid. */
bool ops_read_step(struct reader *r, const cJSON *s, const char *path, struct scn_step *st);
/* Whether step s has `key`; if not, reports "OP needs "KEY"" at the step.
 * The row of op must list key as required. */
bool ops_require(struct reader *r, const cJSON *s, const char *path, enum scn_op op, const char *key);
/* The region fields of a step: "address" (user space) and, with need_size,
 * "size" (not running past the end of user space); both required. */
bool ops_read_region(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool need_size);
/* The name of the step's process, "" for a step without one. */
const char *ops_process_name(const struct scenario *sc, const struct scn_step *st);

#endif
