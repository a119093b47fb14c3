/*
 * json.c - strict parsing into a cJSON tree, positions on demand, duplicate
 * keys, and JSON string output.
 *
 * Positions. The scanner and cJSON read the same accepted text, so the n-th
 * value token the scanner returns is the n-th node of the tree in pre-order
 * (a member's KEY token comes just before its value). A cursor walks both
 * together: the scanner through the text, and the tree with a stack of the
 * open containers. json_where() moves the cursor forward to the node asked
 * for and counts lines only over the bytes it passed.
 */
#include <stdlib.h>
#include <string.h>

#include "json.h"

#define RECENT 8            /* answers json_where() remembers */
#define NO_KEY SIZE_MAX

struct json_answer {
    const cJSON *node;
    struct json_where key, value;
    size_t start;                   /* the value's first byte */
};

struct json_cursor {
    struct json_scan sc;
    const cJSON *open[JSON_MAX_DEPTH];   /* the containers the scanner is inside */
    uint32_t depth;
    const cJSON *last;                   /* the last value finished at this depth (NULL: none yet) */
    bool begun;                          /* the root has been read */
    size_t key_at;                       /* the key just read, for the value that follows */
    size_t counted;                      /* lines and columns are counted up to this byte */
    struct json_where at;
    struct json_answer recent[RECENT];
    unsigned next_recent;
};

static void rewind_cursor(const struct json_doc *doc)
{
    struct json_cursor *c = doc->cursor;
    json_scan_free(&c->sc);
    json_scan_init(&c->sc, doc->text, doc->len, 0, false);
    c->depth = 0;
    c->last = NULL;
    c->begun = false;
    c->key_at = NO_KEY;
    c->counted = json_bom_length(doc->text, doc->len);
    c->at = (struct json_where){1, 1};
}

/* Advance the line and column count to byte `offset` (never backwards). */
static struct json_where count_to(const struct json_doc *doc, size_t offset)
{
    struct json_cursor *c = doc->cursor;
    const unsigned char *s = (const unsigned char *)doc->text;
    for (; c->counted < offset; c->counted++) {
        if (s[c->counted] == '\n') {
            c->at.line++;
            c->at.col = 1;
        } else if ((s[c->counted] & 0xC0) != 0x80) {
            c->at.col++;
        }
    }
    return c->at;
}

/* The tree node the value token just read stands for. */
static const cJSON *node_of_value(struct json_cursor *c, const cJSON *root)
{
    if (c->last)
        return c->last->next;
    if (c->depth)
        return c->open[c->depth - 1]->child;
    if (c->begun)
        return NULL;   /* a second top-level value: the scanner forbids it */
    c->begun = true;
    return root;
}

/* Read on until `target`'s value token; fill *a. False at the end of the
 * text (or if the tree and the text ever disagreed). */
static bool walk_to(const struct json_doc *doc, const cJSON *target, struct json_answer *a)
{
    struct json_cursor *c = doc->cursor;
    for (;;) {
        enum json_token t = json_scan_next(&c->sc);
        switch (t) {
        case JSON_TOKEN_EOF:
        case JSON_TOKEN_ERROR:
            return false;
        case JSON_TOKEN_KEY:
            c->key_at = c->sc.start;
            continue;
        case JSON_TOKEN_END:
            if (!c->depth)
                return false;
            c->last = c->open[--c->depth];
            continue;
        default:
            break;
        }
        const cJSON *node = node_of_value(c, doc->root);
        size_t key_at = c->key_at;
        c->key_at = NO_KEY;
        if (!node)
            return false;
        if (t == JSON_TOKEN_OBJECT || t == JSON_TOKEN_ARRAY) {
            if (c->depth == JSON_MAX_DEPTH)
                return false;
            c->open[c->depth++] = node;
            c->last = NULL;
        } else {
            c->last = node;
        }
        if (node == target) {
            a->node = node;
            a->key = key_at == NO_KEY ? (struct json_where){0, 0} : count_to(doc, key_at);
            a->value = count_to(doc, c->sc.start);
            a->start = c->sc.start;
            return true;
        }
    }
}

struct json_where json_where(const struct json_doc *doc, const cJSON *node, bool key)
{
    struct json_cursor *c = doc->cursor;
    struct json_answer a = {0};
    if (!c || !node)
        return (struct json_where){0, 0};
    for (unsigned i = 0; i < RECENT && !a.node; i++)
        if (c->recent[i].node == node)
            a = c->recent[i];
    if (!a.node) {
        if (!walk_to(doc, node, &a)) {
            rewind_cursor(doc);
            if (!walk_to(doc, node, &a)) {
                rewind_cursor(doc);
                return (struct json_where){0, 0};
            }
        }
        c->recent[c->next_recent++ % RECENT] = a;
    }
    return key && a.key.line ? a.key : a.value;
}

bool json_number_text(const struct json_doc *doc, const cJSON *node, char *out, size_t size)
{
    struct json_cursor *c = doc->cursor;
    if (!cJSON_IsNumber(node) || !size || !json_where(doc, node, false).line)
        return false;
    size_t start = 0;
    for (unsigned i = 0; i < RECENT; i++)
        if (c->recent[i].node == node)
            start = c->recent[i].start;
    size_t n = 0;
    while (start + n < doc->len && strchr("+-.0123456789eE", doc->text[start + n]) && doc->text[start + n])
        n++;
    if (n == 0 || n >= size)
        return false;
    memcpy(out, doc->text + start, n);
    out[n] = '\0';
    return true;
}

/* The tree of a text the strict scanner has accepted. */
static bool build_tree(struct json_doc *doc, const char *text, size_t len, struct json_where *where, char *msg,
                       size_t msg_size)
{
    size_t bom = json_bom_length(text, len);
    doc->root = cJSON_ParseWithLengthOpts(text + bom, len - bom, NULL, false);
    doc->cursor = calloc(1, sizeof *doc->cursor);
    if (!doc->root || !doc->cursor) {
        /* the scanner accepted the text, so only memory can be short */
        *where = (struct json_where){1, 1};
        snprintf(msg, msg_size, "out of memory");
        cJSON_Delete(doc->root);
        free(doc->cursor);
        memset(doc, 0, sizeof *doc);
        return false;
    }
    doc->text = text;
    doc->len = len;
    rewind_cursor(doc);
    return true;
}

bool json_parse(struct json_doc *doc, const char *text, size_t len, struct json_where *where,
                char *msg, size_t msg_size)
{
    memset(doc, 0, sizeof *doc);
    struct json_scan sc;
    if (!json_scan_text(text, len, 0, &sc)) {
        *where = json_locate(text, len, sc.fault_at);
        snprintf(msg, msg_size, "%s", sc.msg);
        return false;
    }
    return build_tree(doc, text, len, where, msg, msg_size);
}

bool json_parse_scanned(struct json_doc *doc, const char *text, size_t len, struct json_where *where, char *msg,
                        size_t msg_size)
{
    memset(doc, 0, sizeof *doc);
    return build_tree(doc, text, len, where, msg, msg_size);
}

void json_free(struct json_doc *doc)
{
    cJSON_Delete(doc->root);
    if (doc->cursor)
        json_scan_free(&doc->cursor->sc);
    free(doc->cursor);
    memset(doc, 0, sizeof *doc);
}

/* ---- duplicate keys ---------------------------------------------------------- */

static uint64_t hash_key(const char *s)
{
    uint64_t h = 0xCBF29CE484222325u;   /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001B3u;
    return h;
}

static size_t note_duplicate(const cJSON *m, const cJSON **out, size_t max, size_t count)
{
    if (count < max)
        out[count] = m;
    return count + 1;
}

size_t json_duplicates(const cJSON *object, const cJSON **out, size_t max)
{
    size_t n = 0, count = 0;
    for (const cJSON *m = object ? object->child : NULL; m; m = m->next)
        n++;
    size_t size = 16;
    while (size < 2 * n)
        size *= 2;
    const cJSON **table = n > 8 ? calloc(size, sizeof *table) : NULL;
    for (const cJSON *m = object ? object->child : NULL; m; m = m->next) {
        const char *k = m->string ? m->string : "";
        if (!table) {   /* few members (or no memory): compare with each earlier one */
            for (const cJSON *e = object->child; e != m; e = e->next)
                if (strcmp(e->string ? e->string : "", k) == 0) {
                    count = note_duplicate(m, out, max, count);
                    break;
                }
            continue;
        }
        size_t i = (size_t)hash_key(k) & (size - 1);
        while (table[i] && strcmp(table[i]->string ? table[i]->string : "", k) != 0)
            i = (i + 1) & (size - 1);
        if (table[i])
            count = note_duplicate(m, out, max, count);
        else
            table[i] = m;
    }
    free(table);
    return count;
}

/* ---- writing strings ---------------------------------------------------------- */

bool json_write_string(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    bool ok = putc('"', f) != EOF;
    while (n) {
        uint32_t cp;
        size_t k = json_utf8_next(p, n, &cp);
        if (cp == '"' || cp == '\\')
            ok &= putc('\\', f) != EOF && putc((int)cp, f) != EOF;
        else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029)
            ok &= fprintf(f, "\\u%04x", (unsigned)cp) > 0;
        else if (cp == JSON_UTF8_INVALID)
            ok &= fputs("\\ufffd", f) != EOF;
        else
            ok &= fwrite(p, 1, k, f) == k;
        p += k;
        n -= k;
    }
    return putc('"', f) != EOF && ok;
}

/* ---- the items of a top-level array, for reading them one at a time ---- */

/* The end of the value before `next` (the next token's start): back over
 * white space and the comma between them. */
static size_t value_end(const char *text, size_t next)
{
    size_t e = next;
    while (e > 0 && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\n' || text[e - 1] == '\r'))
        e--;
    if (e > 0 && text[e - 1] == ',') {
        e--;
        while (e > 0 && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\n' || text[e - 1] == '\r'))
            e--;
    }
    return e;
}

bool json_array_items(const char *text, size_t len, const char *key, size_t max, struct json_span **items,
                      size_t *count, struct json_span *array)
{
    struct json_scan sc;
    json_scan_init(&sc, text, len, 0, true);
    struct json_span *v = NULL;
    size_t n = 0, cap = 0;
    uint32_t depth = 0;
    bool in_array = false, found = false, next_is_it = false, ok = true;
    for (enum json_token t; ok && (t = json_scan_next(&sc)) != JSON_TOKEN_EOF;) {
        if (t == JSON_TOKEN_ERROR || (depth == 0 && t != JSON_TOKEN_OBJECT)) {
            ok = false;
            break;
        }
        if (t == JSON_TOKEN_KEY) {
            next_is_it = depth == 1 && !found && sc.str_len == strlen(key) && memcmp(sc.str, key, sc.str_len) == 0;
            continue;
        }
        if (next_is_it) {   /* the member's value */
            next_is_it = false;
            found = true;
            if (t != JSON_TOKEN_ARRAY) {
                ok = false;
                break;
            }
            in_array = true;
            array->start = sc.start;
            depth++;
            continue;
        }
        if (in_array && depth == 2 && t == JSON_TOKEN_END) {   /* the array closes */
            if (n && n <= max)
                v[n - 1].end = value_end(text, sc.start);
            array->end = sc.start + 1;
            in_array = false;
            depth--;
            continue;
        }
        if (in_array && depth == 2 && n >= max) {   /* past the limit: counted only */
            if (n == max && n)
                v[n - 1].end = value_end(text, sc.start);
            n++;
        } else if (in_array && depth == 2) {   /* an item starts */
            if (n)
                v[n - 1].end = value_end(text, sc.start);
            if (n == cap) {
                size_t c2 = cap ? cap * 2 : 1024;
                struct json_span *p = realloc(v, c2 * sizeof *p);
                if (!p) {
                    free(v);
                    v = NULL;
                    json_scan_free(&sc);
                    *items = NULL;
                    *count = n;
                    return false;
                }
                v = p;
                cap = c2;
            }
            v[n++] = (struct json_span){sc.start, 0};
        }
        if (t == JSON_TOKEN_OBJECT || t == JSON_TOKEN_ARRAY)
            depth++;
        else if (t == JSON_TOKEN_END)
            depth--;
    }
    json_scan_free(&sc);
    if (!ok || !found) {
        free(v);
        return false;
    }
    *items = v;
    *count = n;
    return true;
}
