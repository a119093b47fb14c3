/* json.c - cJSON parsing plus the position of every value and key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

struct json_node_pos {
    const cJSON *node;
    struct json_where value, key;
};

/* A cursor over the text that counts lines and columns (in characters,
 * not bytes: UTF-8 continuation bytes do not advance the column). */
struct cursor {
    const char *s;
    size_t i, len;
    struct json_where at;
};

static void advance(struct cursor *c)
{
    if (c->i >= c->len)
        return;   /* never step past the end, whatever the text */
    unsigned char ch = (unsigned char)c->s[c->i++];
    if (ch == '\n') {
        c->at.line++;
        c->at.col = 1;
    } else if ((ch & 0xC0) != 0x80) {
        c->at.col++;
    }
}

/* White space as cJSON counts it: any byte from 1 to 32. */
static bool is_space(char ch) { return ch > 0 && (unsigned char)ch <= 32; }

static void skip_space(struct cursor *c)
{
    while (c->i < c->len && is_space(c->s[c->i]))
        advance(c);
}

static void skip_string(struct cursor *c)
{
    advance(c);   /* opening quote */
    while (c->i < c->len && c->s[c->i] != '"') {
        if (c->s[c->i] == '\\' && c->i + 1 < c->len)
            advance(c);
        advance(c);
    }
    if (c->i < c->len)
        advance(c);
}

static void skip_scalar(struct cursor *c)
{
    while (c->i < c->len && c->s[c->i] && !strchr(",]}", c->s[c->i]) && !is_space(c->s[c->i]))
        advance(c);
}

/* Where the text nests deeper than JSON_MAX_DEPTH, if it does (checked
 * before cJSON, whose parser recurses once per level). */
static bool too_deep(const char *s, size_t len, struct json_where *where)
{
    struct cursor c = {s, 0, len, {1, 1}};
    int depth = 0;
    while (c.i < len) {
        char ch = s[c.i];
        if (ch == '"') {
            skip_string(&c);
            continue;
        }
        if (ch == '{' || ch == '[') {
            if (++depth > JSON_MAX_DEPTH) {
                *where = c.at;
                return true;
            }
        } else if (ch == '}' || ch == ']') {
            depth--;
        }
        advance(&c);
    }
    return false;
}

/* Does the text end inside a string or with brackets still open? */
static bool unclosed(const char *s, size_t len)
{
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (in_string) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                in_string = false;
        } else if (ch == '"') {
            in_string = true;
        } else if (ch == '{' || ch == '[') {
            depth++;
        } else if (ch == '}' || ch == ']') {
            depth--;
        }
    }
    return in_string || depth > 0;
}

/* Document-order list of value and key positions (valid JSON assumed). */
struct marks {
    struct json_where *at;
    bool *is_key;
    size_t n, cap;
};

static bool mark(struct marks *mk, struct json_where at, bool is_key)
{
    if (mk->n == mk->cap) {
        size_t cap = mk->cap ? mk->cap * 2 : 256;
        struct json_where *a = realloc(mk->at, cap * sizeof *a);
        if (!a)
            return false;
        mk->at = a;
        bool *k = realloc(mk->is_key, cap * sizeof *k);
        if (!k)
            return false;
        mk->is_key = k;
        mk->cap = cap;
    }
    mk->at[mk->n] = at;
    mk->is_key[mk->n++] = is_key;
    return true;
}

static bool scan(const char *s, size_t len, struct marks *mk)
{
    struct cursor c = {s, 0, len, {1, 1}};
    char stack[JSON_MAX_DEPTH + 1];
    int depth = 0;
    bool want_value = true;
    for (;;) {
        skip_space(&c);
        if (c.i >= len)
            return true;
        char ch = s[c.i];
        if (want_value) {
            if (!mark(mk, c.at, false))
                return false;
            if (ch == '{' || ch == '[') {
                stack[depth++] = ch;
                advance(&c);
                skip_space(&c);
                if (c.i < len && (s[c.i] == '}' || s[c.i] == ']')) {
                    depth--;
                    advance(&c);
                    want_value = false;
                } else if (ch == '{') {
                    if (!mark(mk, c.at, true))
                        return false;
                    skip_string(&c);
                    skip_space(&c);
                    advance(&c);   /* ':' */
                }
                continue;
            }
            if (ch == '"')
                skip_string(&c);
            else
                skip_scalar(&c);
            want_value = false;
            continue;
        }
        /* after a value: ',' or a closing bracket */
        if (ch == ',') {
            advance(&c);
            if (depth > 0 && stack[depth - 1] == '{') {
                skip_space(&c);
                if (!mark(mk, c.at, true))
                    return false;
                skip_string(&c);
                skip_space(&c);
                advance(&c);   /* ':' */
            }
            want_value = true;
        } else if (ch == '}' || ch == ']') {
            depth--;
            advance(&c);
        } else {
            return true;   /* cJSON accepted it; nothing more to mark */
        }
    }
}

static int by_node(const void *a, const void *b)
{
    const cJSON *x = ((const struct json_node_pos *)a)->node, *y = ((const struct json_node_pos *)b)->node;
    return x < y ? -1 : x > y;
}

/* Assign marks to nodes in pre-order: each value, and for an object's
 * members the key first. An explicit stack of parents replaces recursion. */
static bool assign(struct json_doc *doc, const cJSON *root, const struct marks *mk)
{
    size_t cap = 64, n = 0, next = 0;
    struct json_node_pos *pos = malloc(cap * sizeof *pos);
    const cJSON *parents[JSON_MAX_DEPTH + 2];
    int depth = 0;
    if (!pos)
        return false;
    const cJSON *node = root;
    while (node || depth > 0) {
        if (!node) {   /* a sibling chain ended: back to the parent's next */
            node = parents[--depth]->next;
            continue;
        }
        if (n == cap) {
            struct json_node_pos *p = realloc(pos, (cap *= 2) * sizeof *p);
            if (!p) {
                free(pos);
                return false;
            }
            pos = p;
        }
        struct json_node_pos *np = &pos[n++];
        np->node = node;
        np->key = (struct json_where){0, 0};
        bool member = depth > 0 && cJSON_IsObject(parents[depth - 1]);
        if (member && next < mk->n && mk->is_key[next])
            np->key = mk->at[next++];
        np->value = next < mk->n ? mk->at[next++] : (struct json_where){0, 0};
        if (node->child && depth < JSON_MAX_DEPTH + 1) {
            parents[depth++] = node;
            node = node->child;
        } else {
            node = node->next;
        }
    }
    qsort(pos, n, sizeof *pos, by_node);
    doc->pos = pos;
    doc->npos = n;
    return true;
}

static struct json_where where_of_offset(const char *s, size_t offset)
{
    struct cursor c = {s, 0, offset, {1, 1}};
    while (c.i < offset)
        advance(&c);
    return c.at;
}

bool json_parse(struct json_doc *doc, const char *text, size_t len, struct json_where *where,
                char *msg, size_t msg_size)
{
    memset(doc, 0, sizeof *doc);
    if (memchr(text, '\0', len)) {
        *where = where_of_offset(text, (size_t)((const char *)memchr(text, '\0', len) - text));
        snprintf(msg, msg_size, "the file contains a NUL byte; scenarios are UTF-8 text");
        return false;
    }
    if (too_deep(text, len, where)) {
        snprintf(msg, msg_size, "nesting deeper than %d levels", JSON_MAX_DEPTH);
        return false;
    }
    const char *end = NULL;
    doc->root = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (!doc->root) {
        size_t off = end && end >= text && end <= text + len ? (size_t)(end - text) : len;
        *where = where_of_offset(text, off);
        if (unclosed(text, len)) {
            *where = where_of_offset(text, len);
            snprintf(msg, msg_size, "the JSON ends before every object, array and string is closed");
        } else if (off >= len)
            snprintf(msg, msg_size, "the JSON ends too early (unclosed object, array or string?)");
        else {
            /* a short excerpt, printable ASCII only (the text need not end
             * in a NUL and may not be UTF-8) */
            char near[64];
            size_t k = 0;
            for (size_t i = off; i < len && i < off + 12; i++) {
                unsigned char ch = (unsigned char)text[i];
                if (ch >= 0x20 && ch < 0x7F)
                    near[k++] = (char)ch;
                else
                    k += (size_t)snprintf(near + k, sizeof near - k, "\\x%02X", ch);
            }
            near[k] = '\0';
            snprintf(msg, msg_size, "invalid JSON near '%s'", near);
        }
        return false;
    }
    /* only white space may follow the document */
    size_t off = (size_t)(end - text);
    while (off < len && is_space(text[off]))
        off++;
    if (off < len) {
        *where = where_of_offset(text, off);
        snprintf(msg, msg_size, "unexpected text after the end of the JSON document");
        json_free(doc);
        return false;
    }
    struct marks mk = {0};
    bool ok = scan(text, len, &mk) && assign(doc, doc->root, &mk);
    free(mk.at);
    free(mk.is_key);
    if (!ok) {
        *where = (struct json_where){1, 1};
        snprintf(msg, msg_size, "out of memory");
        json_free(doc);
    }
    return ok;
}

void json_free(struct json_doc *doc)
{
    cJSON_Delete(doc->root);
    free(doc->pos);
    memset(doc, 0, sizeof *doc);
}

struct json_where json_where(const struct json_doc *doc, const cJSON *node, bool key)
{
    struct json_node_pos probe = {.node = node};
    const struct json_node_pos *p = doc->pos ? bsearch(&probe, doc->pos, doc->npos, sizeof probe, by_node) : NULL;
    if (!p)
        return (struct json_where){0, 0};
    return key && p->key.line ? p->key : p->value;
}
