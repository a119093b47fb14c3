/*
 * ops.c - the table of ops (see ops.h), reading a step through it, and
 * the note op.
 *
 * Each op's row and functions live with its family:
 *   op_process.c  create_process, terminate, trim, set_ws_limits, set_priority
 *   op_memory.c   reserve, commit, allocate, decommit, release, protect
 *   op_access.c   read, write, execute, touch
 *   op_system.c   run, tick, memory_list, mark_bad
 *   op_section.c  create_section, map_view, unmap_view, flush_view, close_section
 *   expects.c     expect (and the table of expectation kinds)
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "pagetable.h"

const struct op_row *const op_table[OP_COUNT] = {
    [OP_NOTE] = &op_note,
    [OP_CREATE_PROCESS] = &op_create_process,
    [OP_TERMINATE] = &op_terminate,
    [OP_RESERVE] = &op_reserve,
    [OP_COMMIT] = &op_commit,
    [OP_ALLOCATE] = &op_allocate,
    [OP_DECOMMIT] = &op_decommit,
    [OP_RELEASE] = &op_release,
    [OP_PROTECT] = &op_protect,
    [OP_READ] = &op_read,
    [OP_WRITE] = &op_write,
    [OP_EXECUTE] = &op_execute,
    [OP_TOUCH] = &op_touch,
    [OP_TRIM] = &op_trim,
    [OP_RUN] = &op_run,
    [OP_TICK] = &op_tick,
    [OP_MEMORY_LIST] = &op_memory_list,
    [OP_SET_WS_LIMITS] = &op_set_ws_limits,
    [OP_SET_PRIORITY] = &op_set_priority,
    [OP_MARK_BAD] = &op_mark_bad,
    [OP_CREATE_THREAD] = &op_create_thread,
    [OP_CREATE_SECTION] = &op_create_section,
    [OP_MAP_VIEW] = &op_map_view,
    [OP_UNMAP_VIEW] = &op_unmap_view,
    [OP_FLUSH_VIEW] = &op_flush_view,
    [OP_CLOSE_SECTION] = &op_close_section,
    [OP_EXPECT] = &op_expect,
};

const char *scenario_op_name(enum scn_op op) { return (unsigned)op < OP_COUNT ? op_table[op]->name : "?"; }

const struct scn_field *scenario_op_fields(enum scn_op op)
{
    return (unsigned)op < OP_COUNT ? op_table[op]->fields : NULL;
}

bool scenario_op_returns_status(enum scn_op op) { return (unsigned)op < OP_COUNT && op_table[op]->returns_status; }

const char *ops_process_name(const struct scenario *sc, const struct scn_step *st)
{
    return st->process >= 0 ? sc->process_names[st->process] : "";
}

/* ---- reading a step ---- */

bool ops_require(struct reader *r, const cJSON *s, const char *path, enum scn_op op, const char *key)
{
    const struct scn_field *fields = op_table[op]->fields;
    int i = reader_field_index(fields, key);
    assert(i >= 0 && fields[i].required);   /* the row and its reader agree */
    (void)i;
    if (json_member(s, key))
        return true;
    reader_error(r, s, false, path, "%s needs \"%s\"", op_table[op]->name, key);
    return false;
}

bool ops_read_region(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool need_size)
{
    char p[READER_PATH];
    bool ok = ops_require(r, s, path, st->op, "address");
    if (need_size)
        ok &= ops_require(r, s, path, st->op, "size");
    if (!ok)
        return false;
    ok &= reader_address(r, reader_member(s, path, "address", p), p, true, &st->address);
    const cJSON *n = reader_member(s, path, "size", p);
    if (!n)
        return ok;
    uint64_t size;
    if (!reader_number(r, n, p, 1, 0x80000000u, true, &size))
        return false;
    st->size = (uint32_t)size;
    if (ok && (uint64_t)st->address + size > (uint64_t)MM_HIGHEST_USER_ADDRESS + 1) {
        reader_error(r, n, false, p, "0x%08X + 0x%llX runs past the end of user space (0x7FFEFFFF)", st->address,
                     (unsigned long long)size);
        return false;
    }
    return ok;
}

/* The keys step s may have: "op" and the row's fields, or, for an expect
 * step, the expectation kinds. */
static void allowed_keys(enum scn_op op, struct scn_field *keys)
{
    size_t n = 0;
    keys[n++] = (struct scn_field)REQ("op");
    if (op == OP_EXPECT)
        for (uint32_t k = 0; k < scenario_expect_count(); k++)
            keys[n++] = (struct scn_field){scenario_expect_name(k), false};
    else
        for (const struct scn_field *f = op_table[op]->fields; f->name; f++)
            keys[n++] = *f;
    assert(n < READER_MAX_KEYS);
    keys[n] = (struct scn_field)FIELDS_END;
}

/* The op of step s, its index into *op. */
static bool read_op(struct reader *r, const cJSON *s, const char *path, int *op)
{
    char p[READER_PATH];
    const cJSON *n = reader_member(s, path, "op", p);
    if (!n) {
        reader_error(r, s, false, path, "a step needs \"op\"");
        return false;
    }
    const char *name = cJSON_IsString(n) ? n->valuestring : NULL;
    for (int i = 0; name && i < OP_COUNT; i++)   /* the usual case, before building any message */
        if (name[0] == op_table[i]->name[0] && strcmp(name, op_table[i]->name) == 0) {
            *op = i;
            return true;
        }
    const char *names[OP_COUNT];
    for (int i = 0; i < OP_COUNT; i++)
        names[i] = op_table[i]->name;
    return reader_enum(r, n, p, names, OP_COUNT, "op", op);
}

/* "a read step", "an expect step": what a step is, for messages (built
 * without snprintf, which would cost more than reading the step). */
static void step_what(const char *op, char *out, size_t size)
{
    const char *article = strchr("aeiou", op[0]) ? "an " : "a ";
    size_t a = strlen(article), n = strlen(op);
    if (a + n + sizeof " step" > size)
        n = size - a - sizeof " step";
    memcpy(out, article, a);
    memcpy(out + a, op, n);
    memcpy(out + a + n, " step", sizeof " step");
}

bool ops_read_step(struct reader *r, const cJSON *s, const char *path, struct scn_step *st)
{
    struct json_where w = reader_where(r, s, false);
    st->line = w.line;
    st->col = w.col;
    st->process = -1;
    if (!cJSON_IsObject(s)) {
        reader_error(r, s, false, path, "expected a step (an object with \"op\"), found %s", reader_type_name(s));
        return false;
    }
    int op;
    if (!read_op(r, s, path, &op))
        return false;
    st->op = (enum scn_op)op;
    const struct op_row *row = op_table[op];

    struct scn_field keys[READER_MAX_KEYS];
    char what[64];
    allowed_keys(st->op, keys);
    step_what(row->name, what, sizeof what);
    if (!reader_object(r, s, path, keys, what))
        return false;

    bool ok = true;
    if (reader_field_index(row->fields, "process") >= 0) {
        char p[READER_PATH];
        if (!ops_require(r, s, path, st->op, "process"))
            return false;
        ok &= reader_process(r, reader_member(s, path, "process", p), p, &st->process);
    }
    return row->read(r, s, path, st, ok);
}

/* ---- note: a line of explanation; changes nothing ---- */

static bool read_note(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok)
{
    char p[READER_PATH];
    const char *text;
    if (!ops_require(r, s, path, st->op, "text"))
        return false;
    if (!reader_string(r, reader_member(s, path, "text", p), p, SCN_MAX_TEXT, &text) || !(st->text = strdup(text)))
        return false;
    return ok;
}

static void describe_note(const struct scenario *sc, const struct scn_step *st, char *out, size_t size)
{
    (void)sc;
    (void)st;
    snprintf(out, size, "note");
}

const struct op_row op_note = {
    .name = "note", .fields = {REQ("text")},
    .read = read_note, .run = NULL, .returns_status = false, .describe = describe_note,
};
