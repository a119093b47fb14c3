/*
 * jread.c - strict reading of grading files in JSON (jread.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jread.h"
#include "parse.h"

char *jread_file(const char *path, const char *shown, size_t *len, struct grade_errors *errs)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        grade_error_at(errs, shown, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        grade_error_at(errs, shown, 0, "is a directory, not a file");
        fclose(f);
        return NULL;
    }
    char *buf = malloc(JREAD_MAX_BYTES + 2);
    size_t n = buf ? fread(buf, 1, JREAD_MAX_BYTES + 1, f) : 0;
    int read_errno = errno;
    bool failed = !buf || ferror(f);
    fclose(f);
    if (failed) {
        if (buf)
            grade_error_at(errs, shown, 0, "cannot read it: %s", strerror(read_errno));
        else
            grade_error_at(errs, shown, 0, "out of memory");
        free(buf);
        return NULL;
    }
    if (n > JREAD_MAX_BYTES) {
        grade_error_at(errs, shown, 0, "larger than %u bytes", JREAD_MAX_BYTES);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* ---- Where a syntax error is: the JSON path the scanner had reached ---- */

struct level {
    bool object;
    bool open;                       /* a member's or an element's value is being read */
    uint32_t count;                  /* elements begun (an array) */
    char key[68];                    /* the member being read (an object) */
};

static void level_key(struct level *l, const char *s, size_t n)
{
    if (n > 60)
        snprintf(l->key, sizeof l->key, "%.60s...", s);
    else
        snprintf(l->key, sizeof l->key, "%.*s", (int)n, s);
    l->open = true;
}

/* The path of the value being read when the scanner stopped. */
static void level_path(const struct level *lv, uint32_t depth, char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "$");
    for (uint32_t d = 0; d < depth && n < size; d++) {
        if (!lv[d].open)
            break;
        n += lv[d].object ? (size_t)snprintf(buf + n, size - n, ".%s", lv[d].key)
                          : (size_t)snprintf(buf + n, size - n, "[%u]", lv[d].count - 1);
    }
}

/* The token at text[at...] as the user wrote it, up to a delimiter. */
static void token_text(const char *text, size_t len, size_t at, char *buf, size_t size)
{
    size_t n = 0;
    while (at + n < len && n + 1 < size && !strchr(",:[]{}\" \t\r\n", text[at + n]))
        n++;
    memcpy(buf, text + at, n);
    buf[n] = '\0';
}

/* The scanner's sentence, said of this kind of file: the scanner speaks
 * of scenarios, and its examples of numbers are a scenario's. */
static void reword(const struct json_scan *sc, const char *text, size_t len, const char *kind, char *msg,
                   size_t size)
{
    static const char scn[] = "scenarios are UTF-8 text";
    const char *at = strstr(sc->msg, scn);
    if (sc->fault == JSON_FAULT_NUL) {
        snprintf(msg, size, "the file contains a NUL byte; %s is UTF-8 text", kind);
        return;
    }
    if (at) {
        snprintf(msg, size, "%.*s%s is UTF-8 text%s", (int)(at - sc->msg), sc->msg, kind, at + sizeof scn - 1);
        return;
    }
    snprintf(msg, size, "%s", sc->msg);
    if (sc->fault != JSON_FAULT_NUMBER)
        return;
    char tok[40], example[120] = "";
    token_text(text, len, sc->fault_at, tok, sizeof tok);
    size_t n = strlen(tok);
    const char *digits = tok + (tok[0] == '-');
    if (n > 1 && tok[n - 1] == '.')
        snprintf(example, sizeof example, "(%.*s or %.*s.0, not %s)", (int)(n - 1), tok, (int)(n - 1), tok, tok);
    else if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
        snprintf(msg, size, "'%s' is not a JSON number: a hexadecimal number is written as a string (\"%s\")", tok,
                 tok);
        return;
    }
    else if (digits[0] == '0' && digits[1] >= '0' && digits[1] <= '9') {
        const char *d = digits;
        while (d[0] == '0' && d[1] >= '0' && d[1] <= '9')
            d++;
        snprintf(example, sizeof example, "(write %s%s, not %s)", tok[0] == '-' ? "-" : "", d, tok);
    } else if (digits[0] == '.')
        snprintf(example, sizeof example, "(%s0%s, not %s)", tok[0] == '-' ? "-" : "", digits, tok);
    char *paren = strrchr(msg, '(');
    if (example[0] && paren && paren > msg && paren[-1] == ' ' && msg[strlen(msg) - 1] == ')')
        snprintf(paren, size - (size_t)(paren - msg), "%s", example);
}

/* Scan the text as json_parse does, keeping the path; false with the
 * error (FILE:LINE:COLUMN: PATH: what) when it is not JSON. */
static bool scan(const char *file, const char *kind, const char *text, size_t len, struct grade_errors *errs)
{
    struct json_scan sc;
    struct level lv[JSON_MAX_DEPTH + 1];
    uint32_t depth = 0;
    json_scan_init(&sc, text, len, 0, true);
    for (;;) {
        enum json_token t = json_scan_next(&sc);
        if (t == JSON_TOKEN_EOF) {
            json_scan_free(&sc);
            return true;
        }
        if (t == JSON_TOKEN_ERROR)
            break;
        struct level *top = depth ? &lv[depth - 1] : NULL;
        if (t == JSON_TOKEN_KEY && top) {
            level_key(top, sc.str, sc.str_len);
            continue;
        }
        if (t == JSON_TOKEN_END) {
            depth--;
            if (depth)
                lv[depth - 1].open = false;
            continue;
        }
        if (top && !top->object) {   /* a value begins an element */
            top->count++;
            top->open = true;
        }
        if ((t == JSON_TOKEN_OBJECT || t == JSON_TOKEN_ARRAY) && depth < JSON_MAX_DEPTH + 1) {
            memset(&lv[depth], 0, sizeof lv[depth]);
            lv[depth++].object = t == JSON_TOKEN_OBJECT;
        } else if (top) {
            top->open = false;   /* a scalar: read whole */
        }
    }
    char path[300], msg[400];
    level_path(lv, depth, path, sizeof path);
    reword(&sc, text, len, kind, msg, sizeof msg);
    struct json_where w = json_locate(text, len, sc.fault_at);
    grade_error_json(errs, file, w.line, w.col, path, "%s", msg);
    json_scan_free(&sc);
    return false;
}

bool jread_begin(struct jread *j, const char *file, const char *kind, const char *text, size_t len,
                 struct grade_errors *errs)
{
    memset(j, 0, sizeof *j);
    j->file = file;
    j->errs = errs;
    if (!scan(file, kind, text, len, errs))
        return false;
    struct json_where w;
    char msg[320];
    if (!json_parse(&j->doc, text, len, &w, msg, sizeof msg)) {
        grade_error_json(errs, file, w.line, w.col, "$", "%s", msg);   /* out of memory */
        return false;
    }
    j->parsed = true;
    return true;
}

void jread_end(struct jread *j)
{
    if (j->parsed)
        json_free(&j->doc);
    j->parsed = false;
}

void jread_error(struct jread *j, const cJSON *node, bool key, const char *path, const char *fmt, ...)
{
    struct json_where w = json_where(&j->doc, node, key);
    char msg[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    grade_error_json(j->errs, j->file, w.line, w.col, path, "%s", msg);
}

static const char *type_name(const cJSON *n)
{
    if (cJSON_IsObject(n))
        return "an object";
    if (cJSON_IsArray(n))
        return "an array";
    if (cJSON_IsString(n))
        return "a string";
    if (cJSON_IsNumber(n))
        return "a number";
    if (cJSON_IsBool(n))
        return "a boolean";
    return "null";
}

bool jread_object(struct jread *j, const cJSON *node, const char *path, const char *const *allowed)
{
    if (!cJSON_IsObject(node)) {
        jread_error(j, node, false, path, "expected an object, found %s", type_name(node));
        return false;
    }
    bool ok = true;
    const cJSON *dup[4];
    size_t ndup = json_duplicates(node, dup, 4);
    for (size_t i = 0; i < ndup && i < 4; i++) {
        jread_error(j, dup[i], true, path, "the key '%s' is given twice", dup[i]->string);
        ok = false;
    }
    size_t nallowed = 0;
    while (allowed[nallowed])
        nallowed++;
    for (const cJSON *c = node->child; c; c = c->next) {
        if (parse_lookup(c->string, allowed, nallowed) >= 0)
            continue;
        const char *hint = parse_suggest(c->string, allowed, nallowed);
        char shown[96];
        snprintf(shown, sizeof shown, "%.60s%s", c->string, strlen(c->string) > 60 ? "..." : "");
        jread_error(j, c, true, path, "unknown key '%s'%s%s%s", shown, hint ? ", did you mean '" : "",
                    hint ? hint : "", hint ? "'?" : "");
        ok = false;
    }
    return ok;
}

bool jread_string(struct jread *j, const cJSON *node, const char *path, size_t max, const char **out)
{
    if (!cJSON_IsString(node)) {
        jread_error(j, node, false, path, "expected a string, found %s", type_name(node));
        return false;
    }
    size_t n = strlen(node->valuestring);
    if (n == 0) {
        jread_error(j, node, false, path, "an empty string");
        return false;
    }
    if (n > max) {
        jread_error(j, node, false, path, "too long (%llu bytes, at most %llu)", (unsigned long long)n,
                    (unsigned long long)max);
        return false;
    }
    *out = node->valuestring;
    return true;
}

bool jread_number(struct jread *j, const cJSON *node, const char *path, uint64_t min, uint64_t max,
                  uint64_t *out)
{
    char why[200];
    bool ok;
    if (cJSON_IsNumber(node))
        ok = parse_field_double(node->valuedouble, false, min, max, out, why, sizeof why);
    else if (cJSON_IsString(node))
        ok = parse_field(node->valuestring, false, min, max, out, why, sizeof why);
    else {
        snprintf(why, sizeof why, "expected a number, found %s", type_name(node));
        ok = false;
    }
    if (!ok)
        jread_error(j, node, false, path, "%s", why);
    return ok;
}

/* Is node a negative number, or a string that writes one? */
static bool negative(const cJSON *node)
{
    if (cJSON_IsNumber(node))
        return node->valuedouble < 0;
    if (!cJSON_IsString(node))
        return false;
    const char *s = node->valuestring;
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '-';
}

/* One number of a range. A count (bound not NULL) says so when it is
 * negative, and names what bounds it when it is too large. */
static bool range_number(struct jread *j, const cJSON *node, const char *path, uint64_t max, const char *bound,
                         uint64_t *out)
{
    if (!bound)
        return jread_number(j, node, path, 0, max, out);
    char shown[64];
    if (negative(node)) {
        if (cJSON_IsNumber(node))
            snprintf(shown, sizeof shown, "%g", node->valuedouble);
        else
            snprintf(shown, sizeof shown, "'%.40s'", node->valuestring);
        jread_error(j, node, false, path, "%s is not a count: a count is 0 or more", shown);
        return false;
    }
    if (!jread_number(j, node, path, 0, UINT64_MAX, out))
        return false;
    if (*out > max) {
        jread_error(j, node, false, path, "%llu is out of range: expected 0 to %llu (%s)", (unsigned long long)*out,
                    (unsigned long long)max, bound);
        return false;
    }
    return true;
}

static bool range(struct jread *j, const cJSON *node, const char *path, uint64_t max, const char *bound,
                  struct jrange *out)
{
    static const char *const keys[] = {"min", "max", NULL};
    out->set = true;
    out->open_max = false;
    out->min = 0;
    out->max = max;
    if (!cJSON_IsObject(node)) {
        if (!range_number(j, node, path, max, bound, &out->min))
            return false;
        out->max = out->min;
        return true;
    }
    if (!jread_object(j, node, path, keys))
        return false;
    const cJSON *lo = cJSON_GetObjectItemCaseSensitive(node, "min");
    const cJSON *hi = cJSON_GetObjectItemCaseSensitive(node, "max");
    char sub[160];
    if (!lo && !hi) {
        jread_error(j, node, false, path, "a range needs \"min\", \"max\" or both");
        return false;
    }
    snprintf(sub, sizeof sub, "%s.min", path);
    if (lo && !range_number(j, lo, sub, max, bound, &out->min))
        return false;
    snprintf(sub, sizeof sub, "%s.max", path);
    if (hi && !range_number(j, hi, sub, max, bound, &out->max))
        return false;
    out->open_max = !hi;
    if (out->min > out->max) {
        jread_error(j, node, false, path, "min %llu is above max %llu", (unsigned long long)out->min,
                    (unsigned long long)out->max);
        return false;
    }
    return true;
}

bool jread_range(struct jread *j, const cJSON *node, const char *path, uint64_t max, struct jrange *out)
{
    return range(j, node, path, max, NULL, out);
}

bool jread_count(struct jread *j, const cJSON *node, const char *path, uint64_t max, const char *bound,
                 struct jrange *out)
{
    return range(j, node, path, max, bound, out);
}

bool jread_bool(struct jread *j, const cJSON *node, const char *path, bool *out)
{
    if (!cJSON_IsBool(node)) {
        jread_error(j, node, false, path, "expected true or false, found %s", type_name(node));
        return false;
    }
    *out = cJSON_IsTrue(node);
    return true;
}

bool jrange_holds(const struct jrange *r, uint64_t v) { return !r->set || (v >= r->min && v <= r->max); }

const char *jrange_text(const struct jrange *r, char *buf, size_t size)
{
    if (r->open_max)
        snprintf(buf, size, "at least %llu", (unsigned long long)r->min);
    else if (r->min == r->max)
        snprintf(buf, size, "%llu", (unsigned long long)r->min);
    else if (r->min == 0)
        snprintf(buf, size, "at most %llu", (unsigned long long)r->max);
    else
        snprintf(buf, size, "%llu..%llu", (unsigned long long)r->min, (unsigned long long)r->max);
    return buf;
}

/* snprintf, and a path cut short ends in "..." rather than wrongly. */
static const char *fit(char *buf, size_t size, int n)
{
    if (n < 0)
        buf[0] = '\0';
    else if ((size_t)n >= size && size > 4)
        memcpy(buf + size - 4, "...", 4);
    return buf;
}

const char *jpath(char *buf, size_t size, const char *path, const char *key)
{
    return fit(buf, size, snprintf(buf, size, "%s.%s", path, key));
}

const char *jpath2(char *buf, size_t size, const char *path, const char *a, const char *b)
{
    return fit(buf, size, snprintf(buf, size, "%s.%s.%s", path, a, b));
}

const char *jpath_index(char *buf, size_t size, const char *path, const char *key, int index)
{
    return fit(buf, size, key ? snprintf(buf, size, "%s.%s[%d]", path, key, index)
                              : snprintf(buf, size, "%s[%d]", path, index));
}
