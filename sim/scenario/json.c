/*
 * json.c - strict parsing into a cJSON tree, positions on demand, duplicate
 * keys, and JSON string output.
 *
 * Positions. The tree is built from the scanner's tokens, so the n-th
 * value token the scanner returns is the n-th node of the tree in pre-order
 * (a member's KEY token comes just before its value). A cursor walks both
 * together: the scanner through the text, and the tree with a stack of the
 * open containers. json_where() moves the cursor forward to the node asked
 * for and counts lines only over the bytes it passed.
 */
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#define RECENT 8            /* answers json_where() remembers */
#define NO_KEY SIZE_MAX

struct json_answer {
    const cJSON *node;
    struct json_where key, value;
};

/* A number whose text the double may not tell: where it is written. */
struct json_odd {
    const cJSON *node;
    size_t at, len;
};

struct json_cursor {
    struct json_scan sc;
    const cJSON *open[JSON_MAX_DEPTH];   /* the containers the scanner is inside */
    uint32_t depth;
    const cJSON *last;                   /* the last value finished at this depth (NULL: none yet) */
    bool begun;                          /* the root has been read */
    bool stale;                          /* nothing asked since the parse: rewind first */
    size_t key_at;                       /* the key just read, for the value that follows */
    size_t counted;                      /* lines and columns are counted up to this byte */
    struct json_where at;
    struct json_answer recent[RECENT];
    unsigned next_recent;
    size_t odd_next;                     /* json_number_text's next place to look */
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
    c->stale = false;
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
            return true;
        }
    }
}

struct json_where json_where(const struct json_doc *doc, const cJSON *node, bool key)
{
    struct json_answer a = {0};
    struct json_cursor *c = doc->cursor;
    if (!c || !node)
        return (struct json_where){0, 0};
    if (node == doc->root)   /* asked of every step: found without reading on */
        return json_locate(doc->text, doc->len, doc->root_at);
    if (c->stale)   /* the first question since the parse */
        rewind_cursor(doc);
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
    /* readers ask in document order, so the search starts after the
     * number found last */
    for (size_t k = 0; k < doc->nodd; k++) {
        size_t i = (doc->cursor->odd_next + k) % doc->nodd;
        const struct json_odd *o = &doc->odd[i];
        if (o->node != node)
            continue;
        doc->cursor->odd_next = i + 1;
        if (o->len >= size)
            return false;
        memcpy(out, doc->text + o->at, o->len);
        out[o->len] = '\0';
        return true;
    }
    return false;
}

/* ---- building the tree ----------------------------------------------------
 *
 * The tree is built from the strict scanner's tokens as it reads the text,
 * in one pass: the scanner decodes every string as cJSON does (the fuzz
 * target tests/fuzz/fuzz_json.c holds the two to the same tree), so the
 * nodes are cJSON's own structs, linked as cJSON links them (a container's
 * child->prev is its last item), and every cJSON function that reads a tree
 * reads this one. The nodes and their strings live in blocks owned by the
 * document and go all at once: a document is never changed, and never given
 * to cJSON_Delete. */

struct json_block {
    struct json_block *next;
    size_t used, size;
    size_t pad;                          /* keeps data 16-byte aligned */
    unsigned char data[];
};
_Static_assert(offsetof(struct json_block, data) % 16 == 0, "block data is aligned for any node");

#define BLOCK_FIRST 4096u
#define PARSE_SCAN_FIRST (64u * 1024u)   /* bytes of text past which json_parse scans before building */

/* n bytes aligned to `align` (a power of two) from the document's blocks;
 * NULL when out of memory. */
static void *doc_alloc(struct json_doc *doc, size_t n, size_t align)
{
    struct json_block *b = doc->block;
    for (; b; b = b->next) {
        size_t at = (b->used + align - 1) & ~(align - 1);
        if (at <= b->size && b->size - at >= n) {
            b->used = at + n;
            doc->block = b;
            return b->data + at;
        }
        if (!b->next)
            break;
    }
    size_t size = b ? 2 * b->size : BLOCK_FIRST;
    while (size < n)
        size *= 2;
    struct json_block *nb = malloc(sizeof *nb + size);
    if (!nb)
        return NULL;
    nb->next = NULL;
    nb->used = n;
    nb->size = size;
    if (b)
        b->next = nb;
    else
        doc->blocks = nb;
    doc->block = nb;
    return nb->data;
}

static char *doc_string(struct json_doc *doc, const char *s, size_t n)
{
    char *p = doc_alloc(doc, n + 1, 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static bool is_digit_char(char c) { return c >= '0' && c <= '9'; }

/* Plain digits: an optional '-' and at most 15 digits, which a double
 * holds exactly. */
static bool plain_number(const char *text, size_t n)
{
    size_t i = n && text[0] == '-';
    if (n - i == 0 || n - i > 15)
        return false;
    for (; i < n; i++)
        if (!is_digit_char(text[i]))
            return false;
    return true;
}

/* A number node's value, as cJSON's parse_number() sets it, from its text
 * in doc->text; a text that is not plain digits is noted for
 * json_number_text. False when out of memory. */
static bool set_number(struct json_doc *doc, cJSON *node, const char *text, size_t n)
{
    char buf[JSON_MAX_NUMBER + 1];   /* the strict grammar allows no longer number */
    memcpy(buf, text, n);
    buf[n] = '\0';
    double d = strtod(buf, NULL);
    node->valuedouble = d;
    node->valueint = d >= INT_MAX ? INT_MAX : d <= (double)INT_MIN ? INT_MIN : (int)d;
    if (plain_number(text, n))
        return true;
    if (doc->nodd == doc->odd_cap) {
        size_t cap = doc->odd_cap ? doc->odd_cap * 2 : 16;
        struct json_odd *odd = realloc(doc->odd, cap * sizeof *odd);
        if (!odd)
            return false;
        doc->odd = odd;
        doc->odd_cap = cap;
    }
    doc->odd[doc->nodd++] = (struct json_odd){node, (size_t)(text - doc->text), n};
    return true;
}

/* The node for value token t (not KEY or END) just scanned; NULL when out of
 * memory. */
static cJSON *new_node(struct json_doc *doc, const struct json_scan *sc, enum json_token t)
{
    cJSON *node = doc_alloc(doc, sizeof *node, _Alignof(cJSON));
    if (!node)
        return NULL;
    memset(node, 0, sizeof *node);
    switch (t) {
    case JSON_TOKEN_OBJECT: node->type = cJSON_Object; break;
    case JSON_TOKEN_ARRAY: node->type = cJSON_Array; break;
    case JSON_TOKEN_TRUE: node->type = cJSON_True; node->valueint = 1; break;
    case JSON_TOKEN_FALSE: node->type = cJSON_False; break;
    case JSON_TOKEN_NULL: node->type = cJSON_NULL; break;
    case JSON_TOKEN_NUMBER:
        node->type = cJSON_Number;
        if (!set_number(doc, node, sc->str, sc->str_len))
            return NULL;
        break;
    case JSON_TOKEN_STRING:
        node->type = cJSON_String;
        if (!(node->valuestring = doc_string(doc, sc->str, sc->str_len)))
            return NULL;
        break;
    default: break;
    }
    return node;
}

/* Link node (starting at byte `at`) into the tree as the root (depth 0) or
 * as the next item of open[depth - 1], whose last item so far is
 * last[depth - 1], as cJSON links a parsed item. */
static void attach(struct json_doc *doc, cJSON **open, cJSON **last, uint32_t depth, cJSON *node, size_t at)
{
    if (depth == 0) {
        doc->root = node;
        doc->root_at = at;
        return;
    }
    if (last[depth - 1]) {
        last[depth - 1]->next = node;
        node->prev = last[depth - 1];
    } else {
        open[depth - 1]->child = node;
    }
    last[depth - 1] = node;
}

/* Scan doc->text strictly and build its tree. False with *where and msg
 * on a fault of the text or when out of memory. */
static bool build(struct json_doc *doc, struct json_where *where, char *msg, size_t msg_size)
{
    struct json_scan sc;
    cJSON *open[JSON_MAX_DEPTH], *last[JSON_MAX_DEPTH];
    uint32_t depth = 0;
    char *key = NULL;
    bool memory = false;
    json_scan_init(&sc, doc->text, doc->len, 0, true);
    for (enum json_token t; !memory && (t = json_scan_next(&sc)) != JSON_TOKEN_EOF;) {
        if (t == JSON_TOKEN_ERROR) {
            *where = json_locate(doc->text, doc->len, sc.fault_at);
            snprintf(msg, msg_size, "%s", sc.msg);
            json_scan_free(&sc);
            return false;
        }
        if (t == JSON_TOKEN_KEY) {
            memory = !(key = doc_string(doc, sc.str, sc.str_len));
            continue;
        }
        if (t == JSON_TOKEN_END) {
            cJSON *c = open[--depth];
            if (c->child)
                c->child->prev = last[depth];
            continue;
        }
        cJSON *node = new_node(doc, &sc, t);
        if (!node) {
            memory = true;
            break;
        }
        node->string = key;
        key = NULL;
        attach(doc, open, last, depth, node, sc.start);
        if (t == JSON_TOKEN_OBJECT || t == JSON_TOKEN_ARRAY) {
            open[depth] = node;   /* the strict scanner nests no deeper than JSON_MAX_DEPTH */
            last[depth++] = NULL;
        }
    }
    json_scan_free(&sc);
    if (memory) {
        *where = (struct json_where){1, 1};
        snprintf(msg, msg_size, "out of memory");
        return false;
    }
    return true;
}

/* ---- building the tree of a text already scanned ----
 *
 * A text the strict scanner has accepted needs no second judgement: its
 * tree is built by a plain walk over the bytes, which knows the grammar
 * holds (every string closed, every number well formed, nesting within
 * JSON_MAX_DEPTH). A string with an escape in it is decoded by the scanner
 * itself, so that there is one decoder of escapes; the fuzz target holds
 * this tree, too, to cJSON's. */


static bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

/* The string whose opening quote is at *p: a copy of its decoded bytes
 * (NULL when out of memory); *p moves past the closing quote. */
static char *trusted_string(struct json_doc *doc, const char **p, const char *end)
{
    const char *q = *p + 1;
    bool escaped = false;
    while (*q != '"') {   /* the scanner accepted the text: the quote is there */
        if (*q == '\\') {
            escaped = true;
            q++;   /* the escaped byte, a quote perhaps */
        }
        q++;
    }
    const char *open = *p;
    *p = q + 1;
    if (!escaped)
        return doc_string(doc, open + 1, (size_t)(q - open - 1));
    struct json_scan sc;
    json_scan_init(&sc, open, (size_t)(end - open), 0, true);
    char *out = json_scan_next(&sc) == JSON_TOKEN_STRING ? doc_string(doc, sc.str, sc.str_len) : NULL;
    json_scan_free(&sc);
    return out;
}

static bool build_scanned(struct json_doc *doc)
{
    const char *p = doc->text + json_bom_length(doc->text, doc->len), *end = doc->text + doc->len;
    cJSON *open[JSON_MAX_DEPTH], *last[JSON_MAX_DEPTH];
    uint32_t depth = 0;
    char *key = NULL;
    bool want_key = false;   /* a string here is a member's key */
    for (;;) {
        while (p < end && is_space(*p))
            p++;
        if (p >= end)
            return true;
        char c = *p;
        if (c == ',' || c == ':') {
            want_key = c == ',' && depth && cJSON_IsObject(open[depth - 1]);
            p++;
            continue;
        }
        if (c == '}' || c == ']') {
            cJSON *o = open[--depth];
            if (o->child)
                o->child->prev = last[depth];
            want_key = false;
            p++;
            continue;
        }
        if (c == '"' && want_key) {
            if (!(key = trusted_string(doc, &p, end)))
                return false;
            want_key = false;
            continue;
        }
        cJSON *node = doc_alloc(doc, sizeof *node, _Alignof(cJSON));
        if (!node)
            return false;
        memset(node, 0, sizeof *node);
        const char *at = p;
        switch (c) {
        case '{': node->type = cJSON_Object; p++; break;
        case '[': node->type = cJSON_Array; p++; break;
        case 't': node->type = cJSON_True; node->valueint = 1; p += 4; break;
        case 'f': node->type = cJSON_False; p += 5; break;
        case 'n': node->type = cJSON_NULL; p += 4; break;
        case '"':
            node->type = cJSON_String;
            if (!(node->valuestring = trusted_string(doc, &p, end)))
                return false;
            break;
        default:   /* a number */
            while (p < end && (is_digit_char(*p) || *p == '-' || *p == '+' || *p == '.' || *p == 'e' || *p == 'E'))
                p++;
            node->type = cJSON_Number;
            if (!set_number(doc, node, at, (size_t)(p - at)))
                return false;
            break;
        }
        node->string = key;
        key = NULL;
        attach(doc, open, last, depth, node, (size_t)(at - doc->text));
        if (c == '{' || c == '[') {
            open[depth] = node;
            last[depth++] = NULL;
            want_key = c == '{';
        }
    }
}

/* Parse into doc, whose blocks (if any) are reused; with `scanned`, the
 * text was accepted by the strict scanner already. */
static bool parse_into(struct json_doc *doc, const char *text, size_t len, bool scanned, struct json_where *where,
                       char *msg, size_t msg_size)
{
    for (struct json_block *b = doc->blocks; b; b = b->next)
        b->used = 0;
    doc->block = doc->blocks;
    doc->root = NULL;
    doc->nodd = 0;
    doc->text = text;
    doc->len = len;
    struct json_cursor *c = doc->cursor ? doc->cursor : calloc(1, sizeof *c);
    if (c) {   /* the scanner of json_where() starts when first asked */
        doc->cursor = c;
        memset(c->recent, 0, sizeof c->recent);
        c->odd_next = 0;
        c->stale = true;
    }
    if (c && (scanned ? build_scanned(doc) : build(doc, where, msg, msg_size)))
        return true;
    if (!c || scanned) {   /* only memory can fail a text already scanned */
        *where = (struct json_where){1, 1};
        snprintf(msg, msg_size, "out of memory");
    }
    json_free(doc);
    return false;
}

bool json_parse(struct json_doc *doc, const char *text, size_t len, struct json_where *where,
                char *msg, size_t msg_size)
{
    memset(doc, 0, sizeof *doc);
    /* a long text is scanned whole first, so that a mistake near its end
     * costs no tree of all that comes before */
    struct json_scan sc;
    if (len > PARSE_SCAN_FIRST && !json_scan_text(text, len, 0, &sc)) {
        *where = json_locate(text, len, sc.fault_at);
        snprintf(msg, msg_size, "%s", sc.msg);
        return false;
    }
    return parse_into(doc, text, len, false, where, msg, msg_size);
}

bool json_parse_scanned(struct json_doc *doc, const char *text, size_t len, struct json_where *where, char *msg,
                        size_t msg_size)
{
    return parse_into(doc, text, len, true, where, msg, msg_size);
}

void json_free(struct json_doc *doc)
{
    for (struct json_block *b = doc->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    if (doc->cursor)
        json_scan_free(&doc->cursor->sc);
    free(doc->cursor);
    free(doc->odd);
    memset(doc, 0, sizeof *doc);
}

const cJSON *json_member(const cJSON *object, const char *key)
{
    if (!object || !key)
        return NULL;
    for (const cJSON *m = object->child; m; m = m->next)
        if (m->string && m->string[0] == key[0] && strcmp(m->string, key) == 0)
            return m;
    return NULL;
}

/* ---- duplicate keys ---------------------------------------------------------- */

uint64_t json_hash(const char *s)
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
                if ((e->string ? e->string[0] : '\0') == k[0] && strcmp(e->string ? e->string : "", k) == 0) {
                    count = note_duplicate(m, out, max, count);
                    break;
                }
            continue;
        }
        size_t i = (size_t)json_hash(k) & (size - 1);
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
    for (enum json_token t; ok && (json_scan_decode(&sc, depth == 1), t = json_scan_next(&sc)) != JSON_TOKEN_EOF;) {
        /* only the top object's keys are decoded: the items are only scanned */
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
