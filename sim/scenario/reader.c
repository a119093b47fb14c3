/*
 * reader.c - reading one value of a scenario file, and following process
 * names from step to step (see reader.h).
 *
 * Validation walks the known structure of the format only, so how deep it
 * goes is fixed by the format, never by the input.
 */
#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pagetable.h"
#include "parse.h"
#include "reader.h"

struct json_where reader_where(const struct reader *r, const cJSON *node, bool key)
{
    struct json_where w = json_where(&r->doc, node, key);
    if (!r->base.line || !w.line)
        return w;
    /* doc is one item of the file read on its own: shift by where it starts */
    if (w.line == 1)
        return (struct json_where){r->base.line, r->base.col + w.col - 1};
    return (struct json_where){r->base.line + w.line - 1, w.col};
}

void reader_error(struct reader *r, const cJSON *node, bool key, const char *path, const char *fmt, ...)
{
    if (r->errs->count == SCN_MAX_ERRORS) {
        r->errs->truncated = true;
        return;
    }
    struct scn_error *e = &r->errs->e[r->errs->count++];
    struct json_where w = node ? reader_where(r, node, key) : (struct json_where){1, 1};
    e->line = w.line;
    e->col = w.col;
    snprintf(e->path, sizeof e->path, "%s", path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

const char *reader_type_name(const cJSON *n)
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
void reader_join(char *out, size_t size, const char *path, const char *key)
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

const cJSON *reader_member(const cJSON *obj, const char *path, const char *key, char out[READER_PATH])
{
    reader_join(out, READER_PATH, path, key);
    return json_member(obj, key);
}

int reader_field_index(const struct scn_field *fields, const char *name)
{
    for (int i = 0; fields[i].name; i++)
        if (fields[i].name[0] == name[0] && strcmp(fields[i].name, name) == 0)
            return i;
    return -1;
}

bool reader_object(struct reader *r, const cJSON *node, const char *path, const struct scn_field *fields,
                   const char *what)
{
    if (!cJSON_IsObject(node)) {
        reader_error(r, node, false, path, "expected %s (an object), found %s", what, reader_type_name(node));
        return false;
    }
    const char *names[READER_MAX_KEYS];
    size_t n = 0;
    for (; fields[n].name; n++) {
        assert(n < READER_MAX_KEYS);
        names[n] = fields[n].name;
    }
    const cJSON *dup[SCN_MAX_ERRORS];
    size_t ndup = json_duplicates(node, dup, sizeof dup / sizeof dup[0]), k = 0;
    bool ok = ndup == 0;
    for (const cJSON *c = node->child; c; c = c->next) {
        char p[READER_PATH];
        if (k < ndup && k < sizeof dup / sizeof dup[0] && c == dup[k]) {
            reader_join(p, sizeof p, path, c->string);
            reader_error(r, c, true, p, "duplicate key '%s'", c->string);
            k++;
        }
        if (parse_lookup(c->string, names, n) < 0) {
            reader_join(p, sizeof p, path, c->string);
            const char *hint = parse_suggest(c->string, names, n);
            if (hint)
                reader_error(r, c, true, p, "unknown field '%s', did you mean '%s'?", c->string, hint);
            else
                reader_error(r, c, true, p, "unknown field '%s' in %s", c->string, what);
            ok = false;
        }
    }
    return ok;
}

bool reader_string(struct reader *r, const cJSON *n, const char *path, size_t max, const char **out)
{
    if (!cJSON_IsString(n)) {
        reader_error(r, n, false, path, "expected a string, found %s", reader_type_name(n));
        return false;
    }
    if (strlen(n->valuestring) > max) {
        reader_error(r, n, false, path, "text too long (%llu bytes, at most %llu)",   /* not %zu: MinGW refuses it */
                     (unsigned long long)strlen(n->valuestring), (unsigned long long)max);
        return false;
    }
    *out = n->valuestring;
    return true;
}

/* The value of a JSON number's text (RFC 8259 syntax, as the strict
 * scanner let through), read exactly rather than through a double: *whole
 * when it has no fractional part, *neg when it is below zero, and for a
 * whole number not below zero, *v, or *big when it passes UINT64_MAX. */
static void exact_number(const char *t, bool *neg, bool *whole, bool *big, uint64_t *v)
{
    char digits[64];   /* the significant digits: a number's text is shorter */
    size_t nd = 0;
    long long e = 0;   /* the value is digits * 10^e */
    *neg = *t == '-';
    *big = false;
    *v = 0;
    if (*neg)
        t++;
    for (; isdigit((unsigned char)*t); t++)
        if ((nd || *t != '0') && nd < sizeof digits)
            digits[nd++] = *t;
    if (*t == '.')
        for (t++; isdigit((unsigned char)*t); t++, e--)
            if ((nd || *t != '0') && nd < sizeof digits)
                digits[nd++] = *t;
    if (*t == 'e' || *t == 'E') {
        t++;
        bool eneg = *t == '-';
        if (*t == '-' || *t == '+')
            t++;
        long long x = 0;
        for (; isdigit((unsigned char)*t); t++)
            if (x < 1000000000)
                x = x * 10 + (*t - '0');
        e += eneg ? -x : x;
    }
    while (nd && digits[nd - 1] == '0') {
        nd--;
        e++;
    }
    if (nd == 0) {   /* zero, -0 and 0.000e5 alike */
        *neg = false;
        *whole = true;
        return;
    }
    *whole = e >= 0;
    if (!*whole || *neg)
        return;
    if ((long long)nd + e > 20) {
        *big = true;
        return;
    }
    uint64_t x = 0;
    for (size_t i = 0; i < nd + (size_t)e; i++) {
        unsigned d = i < nd ? (unsigned)(digits[i] - '0') : 0;
        if (x > (UINT64_MAX - d) / 10) {
            *big = true;
            return;
        }
        x = x * 10 + d;
    }
    *v = x;
}

/* A JSON number field from its text as written (so "63.99999999999999999"
 * is not 64, and every message quotes the text): whole, not negative, at
 * most 2^53 (beyond is "too large", as for any JSON number), in [min, max].
 * The messages are parse_field_double's, with the text in place of the
 * value. */
static bool number_field(const char *text, bool sized, uint64_t min, uint64_t max, uint64_t *out, char *why,
                         size_t why_size)
{
    bool neg, whole, big;
    uint64_t v;
    exact_number(text, &neg, &whole, &big, &v);
    if (!whole) {
        snprintf(why, why_size, "expected a whole number, found %s", text);
        return false;
    }
    bool huge = big || v > (1ull << 53);
    if (!neg && !huge && v >= min && v <= max) {
        *out = v;
        return true;
    }
    char lo[32], hi[32];
    parse_field_limits(sized, min, max, lo, hi, sizeof lo);
    if (neg)
        snprintf(why, why_size, "%s is out of range: expected %s to %s", text, lo, hi);
    else if (huge)
        snprintf(why, why_size, "%s is too large (at most %s)", text, hi);
    else
        snprintf(why, why_size, "%s (0x%llX) is out of range: expected %s to %s", text, (unsigned long long)v, lo, hi);
    return false;
}

/* A number given as a JSON integer or a string ("0x1F", "16K" when sized),
 * within the field's own range [min, max]. */
bool reader_number(struct reader *r, const cJSON *n, const char *path, uint64_t min, uint64_t max,
                   bool sized, uint64_t *out)
{
    char why[256];   /* a 63-character number, its value in hex and both limits */
    if (!cJSON_IsNumber(n) && !cJSON_IsString(n)) {
        reader_error(r, n, false, path, "expected a number%s, found %s", sized ? " or a size like \"16K\"" : "",
                     reader_type_name(n));
        return false;
    }
    char text[64];
    bool ok;
    if (cJSON_IsNumber(n) && json_number_text(&r->doc, n, text, sizeof text))
        ok = number_field(text, sized, min, max, out, why, sizeof why);
    else if (cJSON_IsNumber(n))
        ok = parse_field_double(n->valuedouble, sized, min, max, out, why, sizeof why);
    else
        ok = parse_field(n->valuestring, sized, min, max, out, why, sizeof why);
    if (!ok)
        reader_error(r, n, false, path, "%s", why);
    return ok;
}

bool reader_u32(struct reader *r, const cJSON *n, const char *path, uint32_t min, uint32_t max,
                uint32_t *out)
{
    uint64_t v;
    if (!reader_number(r, n, path, min, max, false, &v))
        return false;
    *out = (uint32_t)v;
    return true;
}

bool reader_bool(struct reader *r, const cJSON *n, const char *path, bool *out)
{
    if (!cJSON_IsBool(n)) {
        reader_error(r, n, false, path, "expected true or false, found %s", reader_type_name(n));
        return false;
    }
    *out = cJSON_IsTrue(n);
    return true;
}

bool reader_flag(struct reader *r, const cJSON *obj, const char *path, const char *key, int *out)
{
    char p[READER_PATH];
    const cJSON *n = reader_member(obj, path, key, p);
    bool b;
    if (!n)
        return true;
    if (!reader_bool(r, n, p, &b))
        return false;
    *out = b;
    return true;
}

bool reader_enum(struct reader *r, const cJSON *n, const char *path, const char *const *names, size_t count,
                 const char *what, int *out)
{
    if (!cJSON_IsString(n)) {
        reader_error(r, n, false, path, "expected %s name (a string), found %s", what, reader_type_name(n));
        return false;
    }
    int i = parse_lookup(n->valuestring, names, count);
    if (i < 0) {
        const char *hint = parse_suggest(n->valuestring, names, count);
        if (hint)
            reader_error(r, n, false, path, "unknown %s '%s', did you mean '%s'?", what, n->valuestring, hint);
        else {
            char list[400] = "";
            for (size_t k = 0; k < count; k++) {
                strncat(list, names[k], sizeof list - strlen(list) - 1);
                if (k + 1 < count)
                    strncat(list, ", ", sizeof list - strlen(list) - 1);
            }
            reader_error(r, n, false, path, "unknown %s '%s' (expected one of: %s)", what, n->valuestring, list);
        }
        return false;
    }
    *out = i;
    return true;
}

/* A user-space address (user = true) or any 32-bit address. */
bool reader_address(struct reader *r, const cJSON *n, const char *path, bool user, mm_va *out)
{
    uint64_t v;
    if (!reader_number(r, n, path, 0, 0xFFFFFFFFu, false, &v))
        return false;
    if (user && v > MM_HIGHEST_USER_ADDRESS) {
        reader_error(r, n, false, path, "address 0x%08llX is outside user space (0x00000000-0x7FFEFFFF)",
                     (unsigned long long)v);
        return false;
    }
    *out = (mm_va)v;
    return true;
}

bool reader_protection(struct reader *r, const cJSON *n, const char *path, uint32_t *out)
{
    return reader_protection_of(r, n, path, false, out);
}

bool reader_protection_of(struct reader *r, const cJSON *n, const char *path, bool write_copy, uint32_t *out)
{
    char why[160];
    if (!cJSON_IsString(n) && !cJSON_IsNumber(n)) {
        reader_error(r, n, false, path, "expected a protection like \"PAGE_READWRITE\", found %s",
                     reader_type_name(n));
        return false;
    }
    char text[32];
    const char *shown = n->valuestring;
    if (cJSON_IsNumber(n) || isdigit((unsigned char)n->valuestring[0])) {
        /* a number, written as one or in a string: one range, one message */
        if (!reader_u32(r, n, path, 1, 0x7FF, out))
            return false;
        if (cJSON_IsNumber(n)) {
            snprintf(text, sizeof text, "0x%X", *out);
            shown = text;
        }
    } else if (!parse_protection(n->valuestring, out, why, sizeof why)) {
        reader_error(r, n, false, path, "%s", why);
        return false;
    }
    uint32_t mask = prot_from_win32(*out);
    if (mask == MM_INVALID_PROTECTION) {
        reader_error(r, n, false, path, "'%s' is not a valid protection (exactly one base PAGE_* value, at most one "
                     "of PAGE_GUARD, PAGE_NOCACHE, PAGE_WRITECOMBINE, none with PAGE_NOACCESS)", shown);
        return false;
    }
    if (!write_copy && prot_is_write_copy(mask)) {
        reader_error(r, n, false, path, "'%s': write-copy needs a section to copy from; private memory cannot be "
                     "write-copy (NT answers STATUS_INVALID_PAGE_PROTECTION)", shown);
        return false;
    }
    return true;
}

/* A range: a number, or {"min": a, "max": b} with either bound optional. */
bool reader_range(struct reader *r, const cJSON *n, const char *path, uint64_t max, struct scn_range *out)
{
    static const struct scn_field keys[] = {OPT("min"), OPT("max"), FIELDS_END};
    out->set = true;
    if (!cJSON_IsObject(n)) {
        uint64_t v;
        if (!reader_number(r, n, path, 0, max, false, &v))
            return false;
        out->min = out->max = v;
        return true;
    }
    if (!reader_object(r, n, path, keys, "a range {\"min\": ..., \"max\": ...}"))
        return false;
    char p[READER_PATH];
    out->min = 0;
    out->max = max;
    const cJSON *lo = json_member(n, "min");
    const cJSON *hi = json_member(n, "max");
    if (!lo && !hi) {
        reader_error(r, n, false, path, "a range needs \"min\", \"max\" or both");
        return false;
    }
    reader_join(p, sizeof p, path, "min");
    if (lo && !reader_number(r, lo, p, 0, max, false, &out->min))
        return false;
    reader_join(p, sizeof p, path, "max");
    if (hi && !reader_number(r, hi, p, 0, max, false, &out->max))
        return false;
    out->open_max = !hi;
    if (out->min > out->max) {
        reader_error(r, n, false, path, "the range's min (%llu) is above its max (%llu)", (unsigned long long)out->min,
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

/* The index of a process name, or -1: a look-up in r->name_slot, so that
 * reading n steps that name processes takes time linear in n. */
static int find_process(const struct reader *r, const char *name)
{
    if (!r->name_slots)
        return -1;
    for (uint32_t i = (uint32_t)json_hash(name) & (r->name_slots - 1);; i = (i + 1) & (r->name_slots - 1)) {
        uint32_t k = r->name_slot[i];
        if (!k)
            return -1;
        if (strcmp(r->sc->process_names[k - 1], name) == 0)
            return (int)(k - 1);
    }
}

static void hash_insert(uint32_t *slot, uint32_t slots, const char *name, uint32_t index)
{
    uint32_t i = (uint32_t)json_hash(name) & (slots - 1);
    while (slot[i])
        i = (i + 1) & (slots - 1);
    slot[i] = index + 1;
}

/* Room in the hash for one more name (it is kept at most half full). */
static bool hash_room(struct reader *r)
{
    const struct scenario *sc = r->sc;
    if ((sc->nprocess_names + 1) * 2 <= r->name_slots)
        return true;
    uint32_t slots = r->name_slots ? r->name_slots * 2 : 16;
    uint32_t *slot = calloc(slots, sizeof *slot);
    if (!slot)
        return false;
    for (uint32_t i = 0; i < sc->nprocess_names; i++)
        hash_insert(slot, slots, sc->process_names[i], i);
    free(r->name_slot);
    r->name_slot = slot;
    r->name_slots = slots;
    return true;
}

static int add_process(struct reader *r, const char *name)
{
    struct scenario *sc = r->sc;
    if (!hash_room(r))
        return -1;
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
    hash_insert(r->name_slot, r->name_slots, copy, sc->nprocess_names);
    return (int)sc->nprocess_names++;
}

/* A process reference: the name must exist and be running at this step. */
bool reader_process(struct reader *r, const cJSON *n, const char *path, int *out)
{
    const char *name;
    if (!reader_string(r, n, path, SCN_MAX_NAME, &name))
        return false;
    int i = find_process(r, name);
    if (i >= 0 && r->alive[i]) {
        *out = i;
        return true;
    }
    if (i >= 0) {
        reader_error(r, n, false, path, "process '%s' has already been terminated at this step", name);
        return false;
    }
    const char *hint = parse_suggest(name, (const char *const *)r->sc->process_names, r->sc->nprocess_names);
    if (hint)
        reader_error(r, n, false, path, "unknown process '%s', did you mean '%s'?", name, hint);
    else
        reader_error(r, n, false, path, "unknown process '%s' (declare it under \"processes\" or create it with a "
                     "create_process step)", name);
    return false;
}

/* Options shared by "processes" entries and create_process steps. */
bool reader_process_options(struct reader *r, const cJSON *obj, const char *path, struct scn_process_opts *o)
{
    char p[READER_PATH];
    bool ok = true;
    const cJSON *n;
    memset(o, 0, sizeof *o);
    struct json_where w = reader_where(r, obj, false);
    o->line = w.line;
    o->col = w.col;
    o->priority = MM_DEFAULT_PRIORITY;
    o->ws_minimum = r->sc->config.ws_minimum;
    o->ws_maximum = r->sc->config.ws_maximum;
    if ((n = reader_member(obj, path, "priority", p))) {
        ok &= reader_u32(r, n, p, 0, MM_STANDBY_PRIORITIES - 1, &o->priority);
        o->has_priority = true;
    }
    if ((n = reader_member(obj, path, "modified_no_write", p)))
        ok &= reader_bool(r, n, p, &o->modified_no_write);
    bool hard_min = r->sc->ws_hard_minimum, hard_max = r->sc->ws_hard_maximum;
    if ((n = reader_member(obj, path, "ws_hard_minimum", p)))
        ok &= reader_bool(r, n, p, &hard_min);
    if ((n = reader_member(obj, path, "ws_hard_maximum", p)))
        ok &= reader_bool(r, n, p, &hard_max);
    o->hard_flags = (hard_min ? QUOTA_LIMITS_HARDWS_MIN_ENABLE : 0) | (hard_max ? QUOTA_LIMITS_HARDWS_MAX_ENABLE : 0);
    char origin[48];
    if (r->sc->ws_limits_set)
        snprintf(origin, sizeof origin, "from $.machine");
    else
        snprintf(origin, sizeof origin, "the default for this %s machine",
                 mm_system_size_name(mm_system_size(r->sc->config.frames)));
    bool given = false;
    ok &= reader_ws_limits(r, obj, path, &o->ws_minimum, &o->ws_maximum, origin, hard_min, hard_max, &given);
    o->has_limits = given;
    return ok;
}

/* "; 45 is the default for this small machine", or "" for a value given */
static void limit_note(char *out, size_t size, uint32_t value, const char *origin)
{
    if (origin)
        snprintf(out, size, "; %u is %s", value, origin);
    else
        out[0] = '\0';
}

bool reader_ws_limits(struct reader *r, const cJSON *obj, const char *path, uint32_t *min, uint32_t *max,
                      const char *origin, bool hard_min, bool hard_max, bool *given)
{
    char p[READER_PATH], a[96], b[96];
    const cJSON *n;
    bool ok = true, has_min = false, has_max = false;
    uint32_t default_min = *min;
    if ((n = reader_member(obj, path, "ws_minimum", p))) {
        ok &= reader_u32(r, n, p, 1, MM_MAX_FRAMES, min);
        has_min = true;
    }
    if ((n = reader_member(obj, path, "ws_maximum", p))) {
        ok &= reader_u32(r, n, p, 1, MM_MAX_FRAMES, max);
        has_max = true;
    }
    *given = has_min || has_max;
    if (!ok)
        return false;
    const char *min_from = has_min ? NULL : origin, *max_from = has_max ? NULL : origin;
    if (has_max && !has_min) {   /* the minimum follows: at most half the maximum, as the defaults */
        *min = default_min < *max / 2 ? default_min : *max / 2 ? *max / 2 : 1;
        if (*min != default_min)
            min_from = "half of ws_maximum (the minimum follows it)";
    }
    limit_note(a, sizeof a, *min, min_from);
    limit_note(b, sizeof b, *max, max_from);
    if (*min > *max) {
        reader_error(r, obj, false, path, "ws_minimum (%u) is above ws_maximum (%u)%s%s", *min, *max, b,
                     has_max ? "" : "; give ws_maximum too");
        return false;
    }
    if (hard_max && *max < MM_HARD_MAXIMUM_FLOOR) {
        reader_error(r, obj, false, path, "a hard ws_maximum must be at least %u pages (the 3 locked pages and the "
                     "2 page tables and 2 pages one access can need), not %u%s; NT answers "
                     "STATUS_BAD_WORKING_SET_LIMIT", MM_HARD_MAXIMUM_FLOOR, *max, b);
        return false;
    }
    if (hard_min && hard_max && *min + MM_FLUID_WORKING_SET >= *max) {
        reader_error(r, obj, false, path, "hard limits on both sides need ws_minimum + %u below ws_maximum "
                     "(%u + %u >= %u%s%s; NT answers STATUS_BAD_WORKING_SET_LIMIT)", MM_FLUID_WORKING_SET,
                     *min, MM_FLUID_WORKING_SET, *max, a, b);
        return false;
    }
    return true;
}

bool reader_new_process(struct reader *r, const cJSON *n, const char *path, int *index)
{
    const char *name;
    if (!reader_string(r, n, path, 1000, &name))
        return false;
    if (!valid_name(name)) {
        reader_error(r, n, false, path, "process name '%.40s' must be 1 to %u letters, digits, '_', '-' or '.'", name,
                     SCN_MAX_NAME);
        return false;
    }
    int i = find_process(r, name);
    if (i >= 0 && r->alive[i]) {
        reader_error(r, n, false, path, "a process named '%s' is already running", name);
        return false;
    }
    if (r->nalive >= r->sc->config.max_processes) {
        reader_error(r, n, false, path, "more than %u process(es) would run at once (machine.max_processes)",
                     r->sc->config.max_processes);
        return false;
    }
    if (i < 0 && (i = add_process(r, name)) < 0) {
        reader_error(r, n, false, path, "out of memory");
        return false;
    }
    r->alive[i] = true;
    r->nalive++;
    *index = i;
    return true;
}


void reader_end_process(struct reader *r, int process)
{
    r->nalive -= r->alive[process];
    r->alive[process] = false;
}
