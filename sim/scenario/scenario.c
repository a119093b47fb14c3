/*
 * scenario.c - reading and validating scenario files.
 *
 * The whole file is checked before a scenario may run: JSON syntax, then
 * every field's type and range, unknown and duplicate keys (with the
 * nearest valid name as a hint), addresses, sizes that would wrap past
 * 4 GiB, and process names followed step by step (a process must exist
 * when a step names it). Errors carry file:line:column and the JSON path.
 * Validation walks the known structure only, so its depth is fixed by the
 * format, never by the input.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "pagetable.h"
#include "parse.h"
#include "scenario.h"

static const char *const op_names[OP_COUNT] = {
    [OP_NOTE] = "note",           [OP_CREATE_PROCESS] = "create_process", [OP_TERMINATE] = "terminate",
    [OP_RESERVE] = "reserve",     [OP_COMMIT] = "commit",                 [OP_ALLOCATE] = "allocate",
    [OP_DECOMMIT] = "decommit",   [OP_RELEASE] = "release",               [OP_PROTECT] = "protect",
    [OP_READ] = "read",           [OP_WRITE] = "write",                   [OP_EXECUTE] = "execute",
    [OP_TOUCH] = "touch",         [OP_TRIM] = "trim",                     [OP_RUN] = "run",
    [OP_TICK] = "tick",           [OP_MEMORY_LIST] = "memory_list",       [OP_SET_WS_LIMITS] = "set_ws_limits",
    [OP_SET_PRIORITY] = "set_priority", [OP_MARK_BAD] = "mark_bad",       [OP_EXPECT] = "expect",
};

/* The fields each op takes besides "op" (NULL-terminated; expect's are
 * in expect_fields). */
#define MAX_OP_FIELDS 8
static const char *const op_fields[OP_COUNT][MAX_OP_FIELDS] = {
    [OP_NOTE] = {"text"},
    [OP_CREATE_PROCESS] = {"name", "ws_minimum", "ws_maximum", "priority", "modified_no_write"},
    [OP_TERMINATE] = {"process"},
    [OP_RESERVE] = {"process", "address", "size", "protect"},
    [OP_COMMIT] = {"process", "address", "size", "protect"},
    [OP_ALLOCATE] = {"process", "address", "size", "protect"},
    [OP_DECOMMIT] = {"process", "address", "size"},
    [OP_RELEASE] = {"process", "address"},
    [OP_PROTECT] = {"process", "address", "size", "protect"},
    [OP_READ] = {"process", "address"},
    [OP_WRITE] = {"process", "address", "value"},
    [OP_EXECUTE] = {"process", "address"},
    [OP_TOUCH] = {"process", "address", "size", "access"},
    [OP_TRIM] = {"process", "pages"},
    [OP_RUN] = {"thread"},
    [OP_TICK] = {"count"},
    [OP_MEMORY_LIST] = {"command"},
    [OP_SET_WS_LIMITS] = {"process", "minimum", "maximum"},
    [OP_SET_PRIORITY] = {"process", "priority"},
    [OP_MARK_BAD] = {"frame"},
    [OP_EXPECT] = {NULL},
};
static const char *const expect_fields[] = {
    "status", "fault", "av_reason", "value", "lists", "standby_priority", "repurposed", "pte", "pde",
    "pfn", "working_set", "pagefile", "commit", "faults",
};

static const char *const list_keys[LK_COUNT] = {
    "zeroed", "free", "standby", "modified", "modified_no_write", "bad", "active", "available",
};

const char *const scenario_memory_command_names[MemoryCommandMax] = {
    "capture_accessed_bits", "capture_and_reset_accessed_bits", "empty_working_sets",
    "flush_modified_list",   "purge_standby_list",              "purge_low_priority_standby_list",
};

const char *const scenario_thread_names[MM_THREAD_COUNT] = {"modified_writer", "zero_page", "ws_manager"};
static const char *const policy_names[] = {"fifo", "clock", "lru"};   /* MM_POLICY_FIFO.. */
static const char *const access_names[] = {"read", "write"};
static const char *const form_names[] = {"zero", "valid", "demand-zero", "page-file", "transition",
                                         "prototype", "decommitted"};
static const char *const pfn_list_names[MM_LIST_COUNT] = {
    "zeroed", "free", "standby", "modified", "modified_no_write", "bad", "active", "transition",
};

const char *scenario_op_name(enum scn_op op) { return (unsigned)op < OP_COUNT ? op_names[op] : "?"; }
const char *scenario_list_key_name(enum scn_list_key k) { return (unsigned)k < LK_COUNT ? list_keys[k] : "?"; }

int scenario_memory_command(const char *name)
{
    int i = parse_lookup(name, scenario_memory_command_names, MemoryCommandMax);
    for (uint32_t c = 0; i < 0 && c < MemoryCommandMax; c++)
        if (strcmp(name, mm_memory_list_command_name(c)) == 0)
            i = (int)c;
    return i;
}

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

struct reader {
    const char *file;
    struct json_doc doc;
    struct scn_errors *errs;
    struct scenario *sc;
    bool *alive;          /* per process name: exists at this point of the steps */
    uint32_t alive_cap;
};

static void error_at(struct reader *r, const cJSON *node, bool key, const char *path, const char *fmt, ...)
{
    if (r->errs->count == SCN_MAX_ERRORS) {
        r->errs->truncated = true;
        return;
    }
    struct scn_error *e = &r->errs->e[r->errs->count++];
    struct json_where w = node ? json_where(&r->doc, node, key) : (struct json_where){1, 1};
    e->line = w.line;
    e->col = w.col;
    snprintf(e->path, sizeof e->path, "%s", path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

static const char *type_name(const cJSON *n)
{
    if (cJSON_IsObject(n)) return "an object";
    if (cJSON_IsArray(n)) return "an array";
    if (cJSON_IsString(n)) return "a string";
    if (cJSON_IsNumber(n)) return "a number";
    if (cJSON_IsBool(n)) return "a boolean";
    if (cJSON_IsNull(n)) return "null";
    return "something else";
}

/* path + "." + key, cut to fit (paths are for messages only). */
static void join(char *out, size_t size, const char *path, const char *key)
{
    size_t a = strlen(path), b = strlen(key);
    if (a > size - 2)
        a = size - 2;
    if (a + 1 + b > size - 1)
        b = size - 1 - a - 1;
    memcpy(out, path, a);
    out[a] = '.';
    memcpy(out + a + 1, key, b);
    out[a + 1 + b] = '\0';
}

/* An object whose keys all come from allowed[], none twice. */
static bool check_object(struct reader *r, const cJSON *node, const char *path, const char *const *allowed,
                         size_t n, const char *what)
{
    if (!cJSON_IsObject(node)) {
        error_at(r, node, false, path, "expected %s (an object), found %s", what, type_name(node));
        return false;
    }
    bool ok = true;
    for (const cJSON *c = node->child; c; c = c->next) {
        char p[128];
        join(p, sizeof p, path, c->string);
        for (const cJSON *d = node->child; d != c; d = d->next)
            if (strcmp(d->string, c->string) == 0) {
                error_at(r, c, true, p, "duplicate key '%s'", c->string);
                ok = false;
                break;
            }
        if (parse_lookup(c->string, allowed, n) < 0) {
            const char *hint = parse_suggest(c->string, allowed, n);
            if (hint)
                error_at(r, c, true, p, "unknown field '%s', did you mean '%s'?", c->string, hint);
            else
                error_at(r, c, true, p, "unknown field '%s' in %s", c->string, what);
            ok = false;
        }
    }
    return ok;
}

static const cJSON *field(const cJSON *obj, const char *key) { return cJSON_GetObjectItemCaseSensitive(obj, key); }

static bool read_string(struct reader *r, const cJSON *n, const char *path, size_t max, const char **out)
{
    if (!cJSON_IsString(n)) {
        error_at(r, n, false, path, "expected a string, found %s", type_name(n));
        return false;
    }
    if (strlen(n->valuestring) > max) {
        error_at(r, n, false, path, "text too long (%zu bytes, at most %zu)", strlen(n->valuestring), max);
        return false;
    }
    *out = n->valuestring;
    return true;
}

/* A number given as a JSON integer or a string ("0x1F", "16K" when sized). */
static bool read_number(struct reader *r, const cJSON *n, const char *path, uint64_t min, uint64_t max,
                        bool sized, uint64_t *out)
{
    char why[160];
    uint64_t v;
    if (cJSON_IsNumber(n)) {
        double d = n->valuedouble;
        /* range first: converting a double beyond 2^64 is undefined */
        if (!(d >= 0) || d > 9007199254740992.0 || d != (double)(uint64_t)d) {
            error_at(r, n, false, path, "expected a whole number, found %g", d);
            return false;
        }
        v = (uint64_t)d;
    } else if (cJSON_IsString(n)) {
        if (!(sized ? parse_size(n->valuestring, UINT64_MAX / 2, &v, why, sizeof why)
                    : parse_number(n->valuestring, UINT64_MAX / 2, &v, why, sizeof why))) {
            error_at(r, n, false, path, "%s", why);
            return false;
        }
    } else {
        error_at(r, n, false, path, "expected a number%s, found %s", sized ? " or a size like \"16K\"" : "",
                 type_name(n));
        return false;
    }
    if (v < min || v > max) {
        error_at(r, n, false, path, "%llu (0x%llX) is out of range: expected %llu to %llu", (unsigned long long)v,
                 (unsigned long long)v, (unsigned long long)min, (unsigned long long)max);
        return false;
    }
    *out = v;
    return true;
}

static bool read_u32(struct reader *r, const cJSON *n, const char *path, uint32_t min, uint32_t max,
                     uint32_t *out)
{
    uint64_t v;
    if (!read_number(r, n, path, min, max, false, &v))
        return false;
    *out = (uint32_t)v;
    return true;
}

static bool read_bool(struct reader *r, const cJSON *n, const char *path, bool *out)
{
    if (!cJSON_IsBool(n)) {
        error_at(r, n, false, path, "expected true or false, found %s", type_name(n));
        return false;
    }
    *out = cJSON_IsTrue(n);
    return true;
}

static bool read_enum(struct reader *r, const cJSON *n, const char *path, const char *const *names, size_t count,
                      const char *what, int *out)
{
    if (!cJSON_IsString(n)) {
        error_at(r, n, false, path, "expected %s name (a string), found %s", what, type_name(n));
        return false;
    }
    int i = parse_lookup(n->valuestring, names, count);
    if (i < 0) {
        const char *hint = parse_suggest(n->valuestring, names, count);
        if (hint)
            error_at(r, n, false, path, "unknown %s '%s', did you mean '%s'?", what, n->valuestring, hint);
        else {
            char list[400] = "";
            for (size_t k = 0; k < count; k++) {
                strncat(list, names[k], sizeof list - strlen(list) - 1);
                if (k + 1 < count)
                    strncat(list, ", ", sizeof list - strlen(list) - 1);
            }
            error_at(r, n, false, path, "unknown %s '%s' (expected one of: %s)", what, n->valuestring, list);
        }
        return false;
    }
    *out = i;
    return true;
}

/* A user-space address (user = true) or any 32-bit address. */
static bool read_address(struct reader *r, const cJSON *n, const char *path, bool user, mm_va *out)
{
    uint64_t v;
    if (!read_number(r, n, path, 0, 0xFFFFFFFFu, false, &v))
        return false;
    if (user && v > MM_HIGHEST_USER_ADDRESS) {
        error_at(r, n, false, path, "address 0x%08llX is outside user space (0x00000000-0x7FFEFFFF)",
                 (unsigned long long)v);
        return false;
    }
    *out = (mm_va)v;
    return true;
}

static bool read_protection(struct reader *r, const cJSON *n, const char *path, uint32_t *out)
{
    char why[160];
    if (!cJSON_IsString(n) && !cJSON_IsNumber(n)) {
        error_at(r, n, false, path, "expected a protection like \"PAGE_READWRITE\", found %s", type_name(n));
        return false;
    }
    char text[32];
    const char *shown = n->valuestring;
    if (cJSON_IsNumber(n)) {
        if (!read_u32(r, n, path, 1, 0x7FF, out))
            return false;
        snprintf(text, sizeof text, "0x%X", *out);
        shown = text;
    } else if (!parse_protection(n->valuestring, out, why, sizeof why)) {
        error_at(r, n, false, path, "%s", why);
        return false;
    }
    uint32_t mask = prot_from_win32(*out);
    if (mask == MM_INVALID_PROTECTION) {
        error_at(r, n, false, path, "'%s' is not a valid protection (exactly one base PAGE_* value, at most one "
                 "of PAGE_GUARD, PAGE_NOCACHE, PAGE_WRITECOMBINE, none with PAGE_NOACCESS)", shown);
        return false;
    }
    if ((mask & MM_PROTECT_ACCESS) == MM_WRITECOPY || (mask & MM_PROTECT_ACCESS) == MM_EXECUTE_WRITECOPY) {
        error_at(r, n, false, path, "'%s': write-copy needs a section to copy from; private memory cannot be "
                 "write-copy (NT answers STATUS_INVALID_PAGE_PROTECTION)", shown);
        return false;
    }
    return true;
}

/* A range: a number, or {"min": a, "max": b} with either bound optional. */
static bool read_range(struct reader *r, const cJSON *n, const char *path, uint64_t max, struct scn_range *out)
{
    static const char *const keys[] = {"min", "max"};
    out->set = true;
    if (!cJSON_IsObject(n)) {
        uint64_t v;
        if (!read_number(r, n, path, 0, max, false, &v))
            return false;
        out->min = out->max = v;
        return true;
    }
    if (!check_object(r, n, path, keys, 2, "a range {\"min\": ..., \"max\": ...}"))
        return false;
    char p[128];
    out->min = 0;
    out->max = max;
    const cJSON *lo = field(n, "min"), *hi = field(n, "max");
    if (!lo && !hi) {
        error_at(r, n, false, path, "a range needs \"min\", \"max\" or both");
        return false;
    }
    join(p, sizeof p, path, "min");
    if (lo && !read_number(r, lo, p, 0, max, false, &out->min))
        return false;
    join(p, sizeof p, path, "max");
    if (hi && !read_number(r, hi, p, 0, max, false, &out->max))
        return false;
    out->open_max = !hi;
    if (out->min > out->max) {
        error_at(r, n, false, path, "the range's min (%llu) is above its max (%llu)", (unsigned long long)out->min,
                 (unsigned long long)out->max);
        return false;
    }
    return true;
}

/* ---- processes ---- */

static bool valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > SCN_MAX_NAME)
        return false;
    for (; *s; s++)
        if (!(('a' <= *s && *s <= 'z') || ('A' <= *s && *s <= 'Z') || ('0' <= *s && *s <= '9') ||
              *s == '_' || *s == '-' || *s == '.'))
            return false;
    return true;
}

static int find_process(const struct scenario *sc, const char *name)
{
    for (uint32_t i = 0; i < sc->nprocess_names; i++)
        if (strcmp(sc->process_names[i], name) == 0)
            return (int)i;
    return -1;
}

static int add_process(struct reader *r, const char *name)
{
    struct scenario *sc = r->sc;
    if (sc->nprocess_names == r->alive_cap) {
        uint32_t cap = r->alive_cap ? r->alive_cap * 2 : 8;
        char **names = realloc(sc->process_names, cap * sizeof *names);
        bool *alive = names ? realloc(r->alive, cap * sizeof *alive) : NULL;
        if (names)
            sc->process_names = names;
        if (!names || !alive)
            return -1;
        r->alive = alive;
        r->alive_cap = cap;
    }
    char *copy = strdup(name);
    if (!copy)
        return -1;
    sc->process_names[sc->nprocess_names] = copy;
    r->alive[sc->nprocess_names] = false;
    return (int)sc->nprocess_names++;
}

static uint32_t alive_count(const struct reader *r)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < r->sc->nprocess_names; i++)
        n += r->alive[i];
    return n;
}

/* A process reference: the name must exist and be running at this step. */
static bool read_process(struct reader *r, const cJSON *n, const char *path, int *out)
{
    const char *name;
    if (!read_string(r, n, path, SCN_MAX_NAME, &name))
        return false;
    int i = find_process(r->sc, name);
    if (i >= 0 && r->alive[i]) {
        *out = i;
        return true;
    }
    if (i >= 0) {
        error_at(r, n, false, path, "process '%s' has already been terminated at this step", name);
        return false;
    }
    const char *hint = parse_suggest(name, (const char *const *)r->sc->process_names, r->sc->nprocess_names);
    if (hint)
        error_at(r, n, false, path, "unknown process '%s', did you mean '%s'?", name, hint);
    else
        error_at(r, n, false, path, "unknown process '%s' (declare it under \"processes\" or create it with a "
                 "create_process step)", name);
    return false;
}

/* Options shared by "processes" entries and create_process steps. */
static bool read_process_opts(struct reader *r, const cJSON *obj, const char *path, struct scn_process_opts *o)
{
    char p[128];
    bool ok = true;
    const cJSON *n;
    memset(o, 0, sizeof *o);
    o->priority = MM_DEFAULT_PRIORITY;
    o->ws_minimum = r->sc->config.ws_minimum;
    o->ws_maximum = r->sc->config.ws_maximum;
    if ((n = field(obj, "ws_minimum"))) {
        join(p, sizeof p, path, "ws_minimum");
        ok &= read_u32(r, n, p, 1, MM_MAX_FRAMES, &o->ws_minimum);
        o->has_limits = true;
    }
    if ((n = field(obj, "ws_maximum"))) {
        join(p, sizeof p, path, "ws_maximum");
        ok &= read_u32(r, n, p, 1, MM_MAX_FRAMES, &o->ws_maximum);
        o->has_limits = true;
    }
    if (ok && o->ws_minimum > o->ws_maximum) {
        error_at(r, obj, false, path, "ws_minimum (%u) is above ws_maximum (%u)", o->ws_minimum, o->ws_maximum);
        ok = false;
    }
    if ((n = field(obj, "priority"))) {
        join(p, sizeof p, path, "priority");
        ok &= read_u32(r, n, p, 0, MM_STANDBY_PRIORITIES - 1, &o->priority);
        o->has_priority = true;
    }
    if ((n = field(obj, "modified_no_write"))) {
        join(p, sizeof p, path, "modified_no_write");
        ok &= read_bool(r, n, p, &o->modified_no_write);
    }
    return ok;
}

static bool read_new_process_name(struct reader *r, const cJSON *n, const char *path, int *index)
{
    const char *name;
    if (!read_string(r, n, path, 1000, &name))
        return false;
    if (!valid_name(name)) {
        error_at(r, n, false, path, "process name '%.40s' must be 1 to %u letters, digits, '_', '-' or '.'", name,
                 SCN_MAX_NAME);
        return false;
    }
    int i = find_process(r->sc, name);
    if (i >= 0 && r->alive[i]) {
        error_at(r, n, false, path, "a process named '%s' is already running", name);
        return false;
    }
    if (alive_count(r) >= r->sc->config.max_processes) {
        error_at(r, n, false, path, "more than %u process(es) would run at once (machine.max_processes)",
                 r->sc->config.max_processes);
        return false;
    }
    if (i < 0 && (i = add_process(r, name)) < 0) {
        error_at(r, n, false, path, "out of memory");
        return false;
    }
    r->alive[i] = true;
    *index = i;
    return true;
}

/* ---- the machine ---- */

static bool read_machine(struct reader *r, const cJSON *m)
{
    static const char *const keys[] = {
        "frames", "memory", "pagefiles", "ws_minimum", "ws_maximum", "policy", "tlb_entries",
        "read_cluster", "write_cluster", "zero_threshold", "mpw_threshold", "wsmgr_low", "wsmgr_plenty",
        "zero_period", "mpw_period", "wsmgr_period", "max_processes",
    };
    struct mm_config *c = &r->sc->config;
    if (!check_object(r, m, "$.machine", keys, COUNT_OF(keys), "the machine"))
        return false;
    bool ok = true;
    char p[128];
    const cJSON *n;
    struct { const char *key; uint32_t *dst; uint32_t min, max; } nums[] = {
        {"frames", &c->frames, MM_MIN_FRAMES, MM_MAX_FRAMES},
        {"ws_minimum", &c->ws_minimum, 1, MM_MAX_FRAMES},
        {"ws_maximum", &c->ws_maximum, 1, MM_MAX_FRAMES},
        {"tlb_entries", &c->tlb_entries, 1, MM_MAX_TLB_ENTRIES},
        {"read_cluster", &c->read_cluster, 0, MM_MAX_CLUSTER - 1},
        {"write_cluster", &c->write_cluster, 1, MM_MAX_CLUSTER},
        {"zero_threshold", &c->zero_threshold, 0, MM_MAX_FRAMES},
        {"mpw_threshold", &c->mpw_threshold, 0, MM_MAX_FRAMES},
        {"wsmgr_low", &c->wsmgr_low, 0, MM_MAX_FRAMES},
        {"wsmgr_plenty", &c->wsmgr_plenty, 0, MM_MAX_FRAMES},
        {"zero_period", &c->zero_period, 0, 1000000},
        {"mpw_period", &c->mpw_period, 0, 1000000},
        {"wsmgr_period", &c->wsmgr_period, 0, 1000000},
        {"max_processes", &c->max_processes, 1, MM_MAX_PROCESSES},
    };
    for (size_t i = 0; i < COUNT_OF(nums); i++)
        if ((n = field(m, nums[i].key))) {
            snprintf(p, sizeof p, "$.machine.%s", nums[i].key);
            ok &= read_u32(r, n, p, nums[i].min, nums[i].max, nums[i].dst);
        }
    if ((n = field(m, "memory"))) {
        uint64_t bytes;
        if (field(m, "frames")) {
            error_at(r, n, true, "$.machine.memory", "give \"frames\" or \"memory\", not both");
            ok = false;
        } else if (read_number(r, n, "$.machine.memory", (uint64_t)MM_MIN_FRAMES * PAGE_SIZE,
                               (uint64_t)MM_MAX_FRAMES * PAGE_SIZE, true, &bytes)) {
            if (bytes % PAGE_SIZE) {
                error_at(r, n, false, "$.machine.memory", "memory must be a whole number of 4 KiB pages");
                ok = false;
            }
            c->frames = (uint32_t)(bytes / PAGE_SIZE);
        } else {
            ok = false;
        }
    }
    if ((n = field(m, "policy"))) {
        int v;
        ok &= read_enum(r, n, "$.machine.policy", policy_names, COUNT_OF(policy_names), "policy", &v);
        if (ok)
            c->policy = (enum mm_policy)v;
    }
    if ((n = field(m, "pagefiles"))) {
        if (!cJSON_IsArray(n)) {
            error_at(r, n, false, "$.machine.pagefiles", "expected an array of paging-file sizes, found %s",
                     type_name(n));
            return false;
        }
        int count = cJSON_GetArraySize(n);
        if (count < 1 || count > (int)MM_MAX_PAGEFILES) {
            error_at(r, n, false, "$.machine.pagefiles", "there must be 1 to 16 paging files, found %d", count);
            return false;
        }
        c->pagefile_count = (uint32_t)count;
        int i = 0;
        for (const cJSON *e = n->child; e; e = e->next, i++) {
            uint64_t bytes;
            snprintf(p, sizeof p, "$.machine.pagefiles[%d]", i);
            if (!read_number(r, e, p, 2 * PAGE_SIZE, (uint64_t)MM_MAX_PAGEFILE_PAGES * PAGE_SIZE, true, &bytes)) {
                ok = false;
                continue;
            }
            if (bytes % PAGE_SIZE) {
                error_at(r, e, false, p, "a paging file must be a whole number of 4 KiB pages");
                ok = false;
            }
            c->pagefile_pages[i] = (uint32_t)(bytes / PAGE_SIZE);
        }
    }
    if (ok) {
        const char *bad = mm_config_check(c);
        if (bad) {
            error_at(r, m, false, "$.machine", "%s", bad);
            ok = false;
        }
    }
    return ok;
}

/* ---- expectations ---- */

static bool read_addresses(struct reader *r, const cJSON *n, const char *path, mm_va **out, uint32_t *count)
{
    if (!cJSON_IsArray(n)) {
        error_at(r, n, false, path, "expected an array of addresses, found %s", type_name(n));
        return false;
    }
    int size = cJSON_GetArraySize(n);
    if (size > (int)SCN_MAX_LIST_ITEMS) {
        error_at(r, n, false, path, "too many addresses (%d, at most %u)", size, SCN_MAX_LIST_ITEMS);
        return false;
    }
    *out = calloc((size_t)size + 1, sizeof **out);
    if (!*out)
        return false;
    bool ok = true;
    int i = 0;
    for (const cJSON *e = n->child; e; e = e->next, i++) {
        char p[128];
        snprintf(p, sizeof p, "%s[%d]", path, i);
        ok &= read_address(r, e, p, false, &(*out)[i]);
    }
    *count = (uint32_t)size;
    return ok;
}

static bool read_expect_pte(struct reader *r, const cJSON *n, const char *path, bool pde, struct scn_expect_pte *x)
{
    static const char *const keys[] = {"process", "address", "form", "frame", "value", "protection",
                                       "pagefile", "offset", "accessed", "dirty"};
    if (!check_object(r, n, path, keys, COUNT_OF(keys), pde ? "a PDE expectation" : "a PTE expectation"))
        return false;
    bool ok = true;
    char p[128];
    const cJSON *f;
    x->set = true;
    x->pde = pde;
    x->form = -1;
    x->accessed = x->dirty = -1;
    x->process = -1;
    if (!field(n, "process") || !field(n, "address")) {
        error_at(r, n, false, path, "needs \"process\" and \"address\"");
        return false;
    }
    join(p, sizeof p, path, "process");
    ok &= read_process(r, field(n, "process"), p, &x->process);
    join(p, sizeof p, path, "address");
    ok &= read_address(r, field(n, "address"), p, false, &x->address);   /* the self-map too */
    if ((f = field(n, "form"))) {
        join(p, sizeof p, path, "form");
        ok &= read_enum(r, f, p, form_names, COUNT_OF(form_names), "PTE form", &x->form);
    }
    struct { const char *key; struct scn_range *dst; uint64_t max; } ranges[] = {
        {"frame", &x->frame, MM_MAX_FRAMES - 1}, {"value", &x->value, 0xFFFFFFFFu},
        {"pagefile", &x->pagefile, MM_MAX_PAGEFILES - 1}, {"offset", &x->offset, MM_MAX_PAGEFILE_PAGES - 1},
    };
    for (size_t i = 0; i < COUNT_OF(ranges); i++)
        if ((f = field(n, ranges[i].key))) {
            join(p, sizeof p, path, ranges[i].key);
            ok &= read_range(r, f, p, ranges[i].max, ranges[i].dst);
        }
    if ((f = field(n, "protection"))) {
        join(p, sizeof p, path, "protection");
        ok &= read_protection(r, f, p, &x->protection);
    }
    bool b;
    if ((f = field(n, "accessed"))) {
        join(p, sizeof p, path, "accessed");
        if (read_bool(r, f, p, &b)) x->accessed = b; else ok = false;
    }
    if ((f = field(n, "dirty"))) {
        join(p, sizeof p, path, "dirty");
        if (read_bool(r, f, p, &b)) x->dirty = b; else ok = false;
    }
    return ok;
}

static bool read_expect_pfn(struct reader *r, const cJSON *n, const char *path, struct scn_expect_pfn *x)
{
    static const char *const keys[] = {"frame", "list", "share_count", "reference_count", "priority", "modified",
                                       "original_pte", "pte_address"};
    if (!check_object(r, n, path, keys, COUNT_OF(keys), "a PFN expectation"))
        return false;
    bool ok = true;
    char p[128];
    const cJSON *f;
    x->set = true;
    x->list = -1;
    x->modified = -1;
    if (!(f = field(n, "frame"))) {
        error_at(r, n, false, path, "needs \"frame\"");
        return false;
    }
    join(p, sizeof p, path, "frame");
    ok &= read_u32(r, f, p, 0, r->sc->config.frames - 1, &x->frame);
    if ((f = field(n, "list"))) {
        join(p, sizeof p, path, "list");
        ok &= read_enum(r, f, p, pfn_list_names, MM_LIST_COUNT, "list", &x->list);
    }
    struct { const char *key; struct scn_range *dst; uint64_t max; } ranges[] = {
        {"share_count", &x->share_count, 0xFFFFFFFFu}, {"reference_count", &x->reference_count, 0xFFFF},
        {"priority", &x->priority, 7}, {"original_pte", &x->original_pte, 0xFFFFFFFFu},
        {"pte_address", &x->pte_address, 0xFFFFFFFFu},
    };
    for (size_t i = 0; i < COUNT_OF(ranges); i++)
        if ((f = field(n, ranges[i].key))) {
            join(p, sizeof p, path, ranges[i].key);
            ok &= read_range(r, f, p, ranges[i].max, ranges[i].dst);
        }
    bool b;
    if ((f = field(n, "modified"))) {
        join(p, sizeof p, path, "modified");
        if (read_bool(r, f, p, &b)) x->modified = b; else ok = false;
    }
    return ok;
}

/* {"0": 3, "5": {"min": 1}} keyed by standby priority */
static bool read_by_priority(struct reader *r, const cJSON *n, const char *path, struct scn_range *out)
{
    static const char *const keys[] = {"0", "1", "2", "3", "4", "5", "6", "7"};
    if (!check_object(r, n, path, keys, COUNT_OF(keys), "counts by priority (keys \"0\" to \"7\")"))
        return false;
    bool ok = true;
    for (const cJSON *c = n->child; c; c = c->next) {
        char p[128];
        join(p, sizeof p, path, c->string);
        ok &= read_range(r, c, p, MM_MAX_FRAMES, &out[c->string[0] - '0']);
    }
    return ok;
}

static bool read_expect(struct reader *r, const cJSON *s, const char *path, struct scn_expect *x)
{
    bool ok = true;
    char p[128];
    const cJSON *n;
    x->fault = x->av = -1;
    x->commit_process = x->faults_process = -1;
    if ((n = field(s, "status"))) {
        join(p, sizeof p, path, "status");
        const char *name;
        if (read_string(r, n, p, 64, &name)) {
            if (mm_status_from_name(name, &x->status))
                x->has_status = true;
            else {
                error_at(r, n, false, p, "unknown status '%s' (e.g. STATUS_SUCCESS, STATUS_ACCESS_VIOLATION)", name);
                ok = false;
            }
        } else {
            ok = false;
        }
    }
    const char *fault_names[MM_FAULT_KIND_COUNT], *av_names[MM_AV_REASON_COUNT];
    for (int i = 0; i < MM_FAULT_KIND_COUNT; i++)
        fault_names[i] = mm_fault_kind_name((enum mm_fault_kind)i);
    for (int i = 0; i < MM_AV_REASON_COUNT; i++)
        av_names[i] = mm_av_reason_name((enum mm_av_reason)i);
    if ((n = field(s, "fault"))) {
        join(p, sizeof p, path, "fault");
        ok &= read_enum(r, n, p, fault_names, MM_FAULT_KIND_COUNT, "fault kind", &x->fault);
    }
    if ((n = field(s, "av_reason"))) {
        join(p, sizeof p, path, "av_reason");
        ok &= read_enum(r, n, p, av_names, MM_AV_REASON_COUNT, "access-violation reason", &x->av);
    }
    if ((n = field(s, "value"))) {
        join(p, sizeof p, path, "value");
        ok &= read_range(r, n, p, 0xFFFFFFFFu, &x->value);
    }
    if ((n = field(s, "lists"))) {
        join(p, sizeof p, path, "lists");
        if (check_object(r, n, p, list_keys, LK_COUNT, "list counts")) {
            for (const cJSON *c = n->child; c; c = c->next) {
                char q[128];
                join(q, sizeof q, p, c->string);
                ok &= read_range(r, c, q, MM_MAX_FRAMES, &x->list[parse_lookup(c->string, list_keys, LK_COUNT)]);
            }
        } else {
            ok = false;
        }
    }
    if ((n = field(s, "standby_priority"))) {
        join(p, sizeof p, path, "standby_priority");
        ok &= read_by_priority(r, n, p, x->standby_priority);
    }
    if ((n = field(s, "repurposed"))) {
        join(p, sizeof p, path, "repurposed");
        ok &= read_by_priority(r, n, p, x->repurposed);
    }
    if ((n = field(s, "pte"))) {
        join(p, sizeof p, path, "pte");
        ok &= read_expect_pte(r, n, p, false, &x->pte);
    }
    if ((n = field(s, "pde"))) {
        join(p, sizeof p, path, "pde");
        if (x->pte.set) {
            error_at(r, n, true, p, "one expect step checks a PTE or a PDE, not both: use two steps");
            ok = false;
        } else {
            ok &= read_expect_pte(r, n, p, true, &x->pte);
        }
    }
    if ((n = field(s, "pfn"))) {
        join(p, sizeof p, path, "pfn");
        ok &= read_expect_pfn(r, n, p, &x->pfn);
    }
    if ((n = field(s, "working_set"))) {
        static const char *const keys[] = {"process", "size", "contains", "excludes"};
        join(p, sizeof p, path, "working_set");
        if (check_object(r, n, p, keys, COUNT_OF(keys), "a working-set expectation")) {
            const cJSON *f;
            char q[128];
            x->ws.set = true;
            if (!(f = field(n, "process"))) {
                error_at(r, n, false, p, "needs \"process\"");
                ok = false;
            } else {
                join(q, sizeof q, p, "process");
                ok &= read_process(r, f, q, &x->ws.process);
            }
            if ((f = field(n, "size"))) {
                join(q, sizeof q, p, "size");
                ok &= read_range(r, f, q, MM_MAX_FRAMES, &x->ws.size);
            }
            if ((f = field(n, "contains"))) {
                join(q, sizeof q, p, "contains");
                ok &= read_addresses(r, f, q, &x->ws.contains, &x->ws.ncontains);
            }
            if ((f = field(n, "excludes"))) {
                join(q, sizeof q, p, "excludes");
                ok &= read_addresses(r, f, q, &x->ws.excludes, &x->ws.nexcludes);
            }
        } else {
            ok = false;
        }
    }
    if ((n = field(s, "pagefile"))) {
        static const char *const keys[] = {"file", "used"};
        join(p, sizeof p, path, "pagefile");
        if (check_object(r, n, p, keys, COUNT_OF(keys), "a paging-file expectation")) {
            const cJSON *f;
            char q[128];
            uint32_t file = 0;
            if ((f = field(n, "file"))) {
                join(q, sizeof q, p, "file");
                ok &= read_u32(r, f, q, 0, r->sc->config.pagefile_count - 1, &file);
            }
            x->pagefile_file = (int)file;
            if ((f = field(n, "used"))) {
                join(q, sizeof q, p, "used");
                ok &= read_range(r, f, q, MM_MAX_PAGEFILE_PAGES, &x->pagefile_used);
            }
        } else {
            ok = false;
        }
    }
    if ((n = field(s, "commit"))) {
        static const char *const keys[] = {"process", "charge", "total", "limit", "peak"};
        join(p, sizeof p, path, "commit");
        if (check_object(r, n, p, keys, COUNT_OF(keys), "a commit expectation")) {
            const cJSON *f;
            char q[128];
            if ((f = field(n, "process"))) {
                join(q, sizeof q, p, "process");
                ok &= read_process(r, f, q, &x->commit_process);
            }
            if ((f = field(n, "charge"))) {
                join(q, sizeof q, p, "charge");
                if (x->commit_process < 0 && !field(n, "process")) {
                    error_at(r, f, true, q, "\"charge\" is a process's: add \"process\"");
                    ok = false;
                }
                ok &= read_range(r, f, q, 0xFFFFFFFFu, &x->commit_charge);
            }
            if ((f = field(n, "total"))) {
                join(q, sizeof q, p, "total");
                ok &= read_range(r, f, q, 0xFFFFFFFFu, &x->commit_total);
            }
            if ((f = field(n, "limit"))) {
                join(q, sizeof q, p, "limit");
                ok &= read_range(r, f, q, 0xFFFFFFFFu, &x->commit_limit);
            }
            if ((f = field(n, "peak"))) {
                join(q, sizeof q, p, "peak");
                ok &= read_range(r, f, q, 0xFFFFFFFFu, &x->commit_peak);
            }
        } else {
            ok = false;
        }
    }
    if ((n = field(s, "faults"))) {
        const char *keys[MM_FAULT_KIND_COUNT + 1];
        keys[0] = "process";
        for (int i = 0; i < MM_FAULT_KIND_COUNT; i++)
            keys[i + 1] = fault_names[i];
        join(p, sizeof p, path, "faults");
        if (check_object(r, n, p, keys, COUNT_OF(keys), "fault counts")) {
            for (const cJSON *c = n->child; c; c = c->next) {
                char q[128];
                join(q, sizeof q, p, c->string);
                if (strcmp(c->string, "process") == 0)
                    ok &= read_process(r, c, q, &x->faults_process);
                else
                    ok &= read_range(r, c, q, UINT64_MAX / 2,
                                     &x->faults[parse_lookup(c->string, fault_names, MM_FAULT_KIND_COUNT)]);
            }
        } else {
            ok = false;
        }
    }
    return ok;
}

/* ---- steps ---- */

static bool require(struct reader *r, const cJSON *s, const char *path, enum scn_op op, const char *key)
{
    if (field(s, key))
        return true;
    error_at(r, s, false, path, "%s needs \"%s\"", op_names[op], key);
    return false;
}

static bool read_range_fields(struct reader *r, const cJSON *s, const char *path, struct scn_step *st,
                              bool need_size)
{
    char p[128];
    bool ok = require(r, s, path, st->op, "address");
    if (need_size)
        ok &= require(r, s, path, st->op, "size");
    if (!ok)
        return false;
    join(p, sizeof p, path, "address");
    ok &= read_address(r, field(s, "address"), p, true, &st->address);
    const cJSON *n = field(s, "size");
    if (n) {
        uint64_t size;
        join(p, sizeof p, path, "size");
        if (read_number(r, n, p, 1, 0x80000000u, true, &size)) {
            st->size = (uint32_t)size;
            if (ok && (uint64_t)st->address + size > (uint64_t)MM_HIGHEST_USER_ADDRESS + 1) {
                error_at(r, n, false, p, "0x%08X + 0x%llX runs past the end of user space (0x7FFEFFFF)",
                         st->address, (unsigned long long)size);
                ok = false;
            }
        } else {
            ok = false;
        }
    }
    return ok;
}

static bool read_step(struct reader *r, const cJSON *s, const char *path, struct scn_step *st)
{
    char p[128];
    const cJSON *n;
    struct json_where w = json_where(&r->doc, s, false);
    st->line = w.line;
    st->col = w.col;
    st->process = -1;
    if (!cJSON_IsObject(s)) {
        error_at(r, s, false, path, "expected a step (an object with \"op\"), found %s", type_name(s));
        return false;
    }
    join(p, sizeof p, path, "op");
    if (!(n = field(s, "op"))) {
        error_at(r, s, false, path, "a step needs \"op\"");
        return false;
    }
    int op;
    if (!read_enum(r, n, p, op_names, OP_COUNT, "op", &op))
        return false;
    st->op = (enum scn_op)op;

    const char *allowed[24] = {"op"};
    size_t nallowed = 1;
    if (st->op == OP_EXPECT)
        for (size_t i = 0; i < COUNT_OF(expect_fields); i++)
            allowed[nallowed++] = expect_fields[i];
    else
        for (size_t i = 0; i < MAX_OP_FIELDS && op_fields[op][i]; i++)
            allowed[nallowed++] = op_fields[op][i];
    char what[64];
    snprintf(what, sizeof what, "%s %s step", strchr("aeiou", op_names[op][0]) ? "an" : "a", op_names[op]);
    if (!check_object(r, s, path, allowed, nallowed, what))
        return false;

    bool ok = true;
    bool has_process = false;
    for (size_t i = 0; i < MAX_OP_FIELDS && op_fields[op][i]; i++)
        has_process |= strcmp(op_fields[op][i], "process") == 0;
    if (has_process && st->op != OP_EXPECT) {
        if (!require(r, s, path, st->op, "process"))
            return false;
        join(p, sizeof p, path, "process");
        ok &= read_process(r, field(s, "process"), p, &st->process);
    }
    const char *text;
    switch (st->op) {
    case OP_NOTE:
        if (!require(r, s, path, st->op, "text"))
            return false;
        join(p, sizeof p, path, "text");
        if (!read_string(r, field(s, "text"), p, SCN_MAX_TEXT, &text) || !(st->text = strdup(text)))
            return false;
        break;
    case OP_CREATE_PROCESS: {
        if (!require(r, s, path, st->op, "name"))
            return false;
        join(p, sizeof p, path, "name");
        struct scn_process_opts o;
        int index;
        ok &= read_process_opts(r, s, path, &o);
        if (!ok || !read_new_process_name(r, field(s, "name"), p, &index))
            return false;
        st->process = index;
        st->minimum = o.ws_minimum;
        st->maximum = o.ws_maximum;
        st->value = o.priority;
        st->no_write = o.modified_no_write;
        break;
    }
    case OP_TERMINATE:
        if (ok)
            r->alive[st->process] = false;
        break;
    case OP_RESERVE:
    case OP_COMMIT:
    case OP_ALLOCATE:
    case OP_PROTECT:
        ok &= read_range_fields(r, s, path, st, true);
        if (ok && st->op != OP_COMMIT && st->op != OP_PROTECT &&
            (st->address < MM_LOWEST_USER_ADDRESS || (uint64_t)st->address + st->size > MM_USER_RESERVE_LIMIT)) {
            join(p, sizeof p, path, "address");
            error_at(r, field(s, "address"), false, p, "a reservation must lie within 0x%08X-0x%08X (below is "
                     "never mapped; above is the shared user data page)", MM_LOWEST_USER_ADDRESS,
                     MM_USER_RESERVE_LIMIT - 1);
            ok = false;
        }
        st->protect = PAGE_READWRITE;
        if ((n = field(s, "protect"))) {
            join(p, sizeof p, path, "protect");
            ok &= read_protection(r, n, p, &st->protect);
        } else if (st->op == OP_PROTECT) {
            ok &= require(r, s, path, st->op, "protect");
        }
        break;
    case OP_DECOMMIT:
        ok &= read_range_fields(r, s, path, st, true);
        break;
    case OP_RELEASE:
        ok &= read_range_fields(r, s, path, st, false);
        break;
    case OP_READ:
    case OP_EXECUTE:
    case OP_WRITE:
        if (!require(r, s, path, st->op, "address"))
            return false;
        join(p, sizeof p, path, "address");
        ok &= read_address(r, field(s, "address"), p, false, &st->address);
        st->access = st->op == OP_READ ? MM_ACCESS_READ : st->op == OP_WRITE ? MM_ACCESS_WRITE : MM_ACCESS_EXECUTE;
        if (st->op == OP_WRITE) {
            if (!require(r, s, path, st->op, "value"))
                return false;
            join(p, sizeof p, path, "value");
            ok &= read_u32(r, field(s, "value"), p, 0, 0xFFFFFFFFu, &st->value);
        }
        break;
    case OP_TOUCH: {
        ok &= read_range_fields(r, s, path, st, true);
        int a = 1;
        if ((n = field(s, "access"))) {
            join(p, sizeof p, path, "access");
            ok &= read_enum(r, n, p, access_names, COUNT_OF(access_names), "access", &a);
        }
        st->access = (enum mm_access_kind)a;
        if (ok && (st->size + PAGE_SIZE - 1) / PAGE_SIZE > SCN_MAX_TOUCH_PAGES) {
            error_at(r, field(s, "size"), false, path, "touch at most %u pages in one step", SCN_MAX_TOUCH_PAGES);
            ok = false;
        }
        break;
    }
    case OP_TRIM:
        st->value = 0xFFFFFFFFu;   /* all that can go */
        if ((n = field(s, "pages"))) {
            join(p, sizeof p, path, "pages");
            ok &= read_u32(r, n, p, 1, MM_MAX_FRAMES, &st->value);
        }
        break;
    case OP_RUN:
        if (!require(r, s, path, st->op, "thread"))
            return false;
        join(p, sizeof p, path, "thread");
        ok &= read_enum(r, field(s, "thread"), p, scenario_thread_names, MM_THREAD_COUNT, "thread", &st->thread);
        break;
    case OP_TICK:
        st->value = 1;
        if ((n = field(s, "count"))) {
            join(p, sizeof p, path, "count");
            ok &= read_u32(r, n, p, 1, 100000, &st->value);
        }
        break;
    case OP_MEMORY_LIST:
        if (!require(r, s, path, st->op, "command"))
            return false;
        join(p, sizeof p, path, "command");
        n = field(s, "command");
        if (cJSON_IsNumber(n) || (cJSON_IsString(n) && n->valuestring[0] >= '0' && n->valuestring[0] <= '9')) {
            ok &= read_u32(r, n, p, 0, MemoryCommandMax - 1, &st->value);
        } else if (cJSON_IsString(n) && scenario_memory_command(n->valuestring) >= 0) {
            st->value = (uint32_t)scenario_memory_command(n->valuestring);
        } else {
            int c;
            ok &= read_enum(r, n, p, scenario_memory_command_names, MemoryCommandMax, "memory-list command", &c);
        }
        break;
    case OP_SET_WS_LIMITS:
        ok &= require(r, s, path, st->op, "minimum") && require(r, s, path, st->op, "maximum");
        if (!ok)
            return false;
        join(p, sizeof p, path, "minimum");
        ok &= read_u32(r, field(s, "minimum"), p, 1, MM_MAX_FRAMES, &st->minimum);
        join(p, sizeof p, path, "maximum");
        ok &= read_u32(r, field(s, "maximum"), p, 1, MM_MAX_FRAMES, &st->maximum);
        if (ok && st->minimum > st->maximum) {
            error_at(r, s, false, path, "minimum (%u) is above maximum (%u)", st->minimum, st->maximum);
            ok = false;
        }
        break;
    case OP_SET_PRIORITY:
        if (!require(r, s, path, st->op, "priority"))
            return false;
        join(p, sizeof p, path, "priority");
        ok &= read_u32(r, field(s, "priority"), p, 0, MM_STANDBY_PRIORITIES - 1, &st->value);
        break;
    case OP_MARK_BAD:
        if (!require(r, s, path, st->op, "frame"))
            return false;
        join(p, sizeof p, path, "frame");
        ok &= read_u32(r, field(s, "frame"), p, 0, r->sc->config.frames - 1, &st->value);
        break;
    case OP_EXPECT:
        if (!s->child || !s->child->next) {
            error_at(r, s, false, path, "an expect step needs at least one expectation");
            return false;
        }
        if (!(st->expect = calloc(1, sizeof *st->expect)))
            return false;
        ok &= read_expect(r, s, path, st->expect);
        break;
    case OP_COUNT:
        break;
    }
    return ok;
}

/* ---- the document ---- */

static void read_document(struct reader *r, const cJSON *root)
{
    static const char *const keys[] = {"name", "title", "description", "machine", "processes", "steps"};
    struct scenario *sc = r->sc;
    mm_config_default(&sc->config);
    if (!check_object(r, root, "$", keys, COUNT_OF(keys), "a scenario"))
        return;
    const cJSON *n;
    const char *s;
    if (!(n = field(root, "name")))
        error_at(r, root, false, "$", "a scenario needs \"name\"");
    else if (read_string(r, n, "$.name", 80, &s) && !(sc->name = strdup(s)))
        return;
    if ((n = field(root, "title")) && read_string(r, n, "$.title", 200, &s) && !(sc->title = strdup(s)))
        return;
    if (!(n = field(root, "description")))
        error_at(r, root, false, "$", "a scenario needs \"description\": what it teaches");
    else if (read_string(r, n, "$.description", SCN_MAX_TEXT, &s) && !(sc->description = strdup(s)))
        return;
    if ((n = field(root, "machine")) && !read_machine(r, n))
        return;

    if ((n = field(root, "processes"))) {
        if (!cJSON_IsArray(n)) {
            error_at(r, n, false, "$.processes", "expected an array of processes, found %s", type_name(n));
            return;
        }
        int count = cJSON_GetArraySize(n);
        sc->initial = calloc((size_t)count + 1, sizeof *sc->initial);
        if (!sc->initial)
            return;
        int i = 0;
        for (const cJSON *e = n->child; e; e = e->next, i++) {
            static const char *const pkeys[] = {"name", "ws_minimum", "ws_maximum", "priority", "modified_no_write"};
            char p[128];
            snprintf(p, sizeof p, "$.processes[%d]", i);
            if (!check_object(r, e, p, pkeys, COUNT_OF(pkeys), "a process"))
                continue;
            if (!field(e, "name")) {
                error_at(r, e, false, p, "a process needs \"name\"");
                continue;
            }
            struct scn_process_opts o;
            int index;
            char q[128];
            join(q, sizeof q, p, "name");
            if (read_process_opts(r, e, p, &o) && read_new_process_name(r, field(e, "name"), q, &index))
                sc->initial[sc->ninitial++] = o;
        }
    }

    if (!(n = field(root, "steps"))) {
        error_at(r, root, false, "$", "a scenario needs \"steps\"");
        return;
    }
    if (!cJSON_IsArray(n)) {
        error_at(r, n, false, "$.steps", "expected an array of steps, found %s", type_name(n));
        return;
    }
    int count = cJSON_GetArraySize(n);
    if (count > (int)SCN_MAX_STEPS) {
        error_at(r, n, false, "$.steps", "too many steps (%d, at most %u)", count, SCN_MAX_STEPS);
        return;
    }
    sc->steps = calloc((size_t)count + 1, sizeof *sc->steps);
    if (!sc->steps)
        return;
    int i = 0;
    for (const cJSON *e = n->child; e; e = e->next, i++) {
        char p[128];
        snprintf(p, sizeof p, "$.steps[%d]", i);
        read_step(r, e, p, &sc->steps[i]);
        sc->nsteps = (uint32_t)i + 1;
    }
}

static char *read_file(const char *file, size_t *len, struct scn_errors *errs)
{
    struct scn_error *e = &errs->e[errs->count];
    FILE *f = fopen(file, "rb");
    if (!f) {
        snprintf(e->message, sizeof e->message, "cannot open the file");
        errs->count++;
        return NULL;
    }
    char *buf = malloc(SCN_MAX_FILE_BYTES + 1);
    size_t n = buf ? fread(buf, 1, SCN_MAX_FILE_BYTES + 1, f) : 0;
    bool error = ferror(f);
    fclose(f);
    if (!buf || error) {
        snprintf(e->message, sizeof e->message, buf ? "cannot read the file" : "out of memory");
        errs->count++;
        free(buf);
        return NULL;
    }
    if (n > SCN_MAX_FILE_BYTES) {
        snprintf(e->message, sizeof e->message, "the file is larger than %u bytes; scenarios are small",
                 SCN_MAX_FILE_BYTES);
        errs->count++;
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

struct scenario *scenario_load(const char *file, const char *text, size_t len, struct scn_errors *errs)
{
    memset(errs, 0, sizeof *errs);
    char *owned = NULL;
    if (!text) {
        if (!(owned = read_file(file, &len, errs)))
            return NULL;
        text = owned;
    }
    struct reader r = {.file = file, .errs = errs};
    struct json_where where;
    char msg[300];
    struct scenario *sc = calloc(1, sizeof *sc);
    if (!sc || !(sc->file = strdup(file))) {
        free(sc);
        free(owned);
        snprintf(errs->e[0].message, sizeof errs->e[0].message, "out of memory");
        errs->count = 1;
        return NULL;
    }
    r.sc = sc;
    if (len == 0) {
        errs->e[0] = (struct scn_error){1, 1, "$", "the file is empty"};
        errs->count = 1;
    } else if (!json_parse(&r.doc, text, len, &where, msg, sizeof msg)) {
        errs->e[0].line = where.line;
        errs->e[0].col = where.col;
        snprintf(errs->e[0].path, sizeof errs->e[0].path, "$");
        snprintf(errs->e[0].message, sizeof errs->e[0].message, "%s", msg);
        errs->count = 1;
    } else {
        read_document(&r, r.doc.root);
        if (errs->count == 0 && (!sc->name || !sc->steps))
            errs->count = 1;   /* an allocation failed: already reported or out of memory */
    }
    json_free(&r.doc);
    free(r.alive);
    free(owned);
    if (errs->count) {
        scenario_free(sc);
        return NULL;
    }
    return sc;
}

void scenario_free(struct scenario *sc)
{
    if (!sc)
        return;
    for (uint32_t i = 0; i < sc->nsteps; i++) {
        free(sc->steps[i].text);
        if (sc->steps[i].expect) {
            free(sc->steps[i].expect->ws.contains);
            free(sc->steps[i].expect->ws.excludes);
            free(sc->steps[i].expect);
        }
    }
    for (uint32_t i = 0; i < sc->nprocess_names; i++)
        free(sc->process_names[i]);
    free(sc->process_names);
    free(sc->initial);
    free(sc->steps);
    free(sc->file);
    free(sc->name);
    free(sc->title);
    free(sc->description);
    free(sc);
}

void scenario_format_error(const char *file, const struct scn_error *e, char *out, size_t size)
{
    if (e->line)
        snprintf(out, size, "%s:%u:%u: %s: %s", file, e->line, e->col, e->path, e->message);
    else
        snprintf(out, size, "%s: %s", file, e->message);
}
