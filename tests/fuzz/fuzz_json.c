/*
 * fuzz_json.c - the strict JSON scanner against cJSON on the same bytes.
 *
 * json_parse() builds a tree of cJSON's nodes from the strict scanner's
 * tokens, and finds positions by scanning again; both are sound only if
 * the scanner reads JSON as cJSON does. For every input this target checks:
 *
 *  1. The scanner with every JSON_LAX_* flag accepts exactly what cJSON
 *     accepts, and then yields the same tree: the same shape, keys, strings
 *     (as C strings, as cJSON keeps them) and numbers (bit for bit).
 *  2. The strict scanner accepts only text cJSON accepts, with the same tree
 *     (strings byte for byte, valid UTF-8 with no NUL).
 *  3. Where cJSON accepts and the strict scanner refuses, the refusal is one
 *     of the stricter rules, and exactly so: lifting the JSON_LAX_* flag
 *     that the rule names moves past it, repeatedly, until the text is
 *     accepted. Any other refusal of a text cJSON takes is a finding.
 *  4. json_parse() agrees with the strict scanner, and builds the tree
 *     cJSON's parser builds, node for node (type, key, string, number bit
 *     for bit and its valueint, the prev links), as json_parse_scanned()
 *     does from the same text once scanned; on success json_where()
 *     gives every node's and key's position as counted from the token
 *     offsets, asked in document order and then out of order; and
 *     json_duplicates() finds what comparing every pair of keys finds.
 *  5. json_write_string() of every string and key cJSON produced (which may
 *     hold control characters and invalid UTF-8) is one strictly valid JSON
 *     string that decodes to the original when that was valid UTF-8.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

#define MAX_NODES 4096

static void finding(const char *what, const unsigned char *data, size_t size)
{
    fprintf(stderr, "fuzz_json: %s\ninput (%zu bytes):", what, size);
    for (size_t i = 0; i < size && i < 200; i++)
        fprintf(stderr, " %02X", data[i]);
    fprintf(stderr, "\n");
    abort();
}

/* The rule a strict-only fault breaks: the flag that lifts it, 0 for
 * faults cJSON shares (it refuses those texts too). */
static unsigned relaxation(enum json_fault f)
{
    switch (f) {
    case JSON_FAULT_NUL: return JSON_LAX_NUL;
    case JSON_FAULT_SPACE: return JSON_LAX_SPACE;
    case JSON_FAULT_CONTROL:
    case JSON_FAULT_UTF8:
    case JSON_FAULT_HEX:
    case JSON_FAULT_U0000: return JSON_LAX_STRINGS;
    case JSON_FAULT_NUMBER:
    case JSON_FAULT_NUMBER_LONG: return JSON_LAX_NUMBERS;
    case JSON_FAULT_DEPTH: return JSON_LAX_DEPTH;
    case JSON_FAULT_BOM: return JSON_LAX_BOM;
    default: return 0;
    }
}

enum verdict { AGREE, REFUSED, DIFFER };

/* Token offsets in pre-order, from the strict pass, for json_where(). */
struct marks {
    const cJSON *node[MAX_NODES];
    size_t value[MAX_NODES], key[MAX_NODES];
    size_t n;
};

static bool same_string(const char *cj, const char *dec, size_t dec_len, bool c_strings)
{
    if (!cj)
        return false;
    if (c_strings)
        return strcmp(cj, dec) == 0;   /* dec ends in a NUL; cJSON stops at the first */
    return strlen(cj) == dec_len && memcmp(cj, dec, dec_len) == 0;
}

/* Walk the scanner's tokens and cJSON's tree together (with no tree, only
 * whether the scanner accepts the text). */
static enum verdict compare(const char *text, size_t len, unsigned lax, const cJSON *root, bool c_strings,
                            struct marks *mk, char *why, size_t why_size)
{
    if (!root) {
        struct json_scan sc;
        if (json_scan_text(text, len, lax, &sc))
            return AGREE;
        snprintf(why, why_size, "%s", sc.msg);
        return REFUSED;
    }
    static const cJSON *open[JSON_CJSON_DEPTH];
    struct json_scan sc;
    json_scan_init(&sc, text, len, lax, true);
    uint32_t depth = 0;
    const cJSON *last = NULL;
    bool begun = false, has_key = false;
    char *key = NULL;
    size_t key_len = 0, key_at = 0;
    enum verdict v = AGREE;
    for (;;) {
        enum json_token t = json_scan_next(&sc);
        if (t == JSON_TOKEN_ERROR) {
            snprintf(why, why_size, "%s", sc.msg);
            v = REFUSED;
            break;
        }
        if (t == JSON_TOKEN_EOF) {
            if (depth || last != root) {
                snprintf(why, why_size, "the document ends differently");
                v = DIFFER;
            }
            break;
        }
        if (t == JSON_TOKEN_KEY) {
            free(key);
            key = malloc(sc.str_len + 1);
            if (!key)
                abort();
            memcpy(key, sc.str, sc.str_len + 1);
            key_len = sc.str_len;
            key_at = sc.start;
            has_key = true;
            continue;
        }
        if (t == JSON_TOKEN_END) {
            const cJSON *c = open[--depth];
            if (last ? last->next : c->child) {
                snprintf(why, why_size, "cJSON has more members or elements");
                v = DIFFER;
                break;
            }
            last = c;
            continue;
        }
        const cJSON *node = last ? last->next : depth ? open[depth - 1]->child : begun ? NULL : root;
        begun = true;
        if (!node) {
            snprintf(why, why_size, "cJSON has fewer values");
            v = DIFFER;
            break;
        }
        bool member = depth && cJSON_IsObject(open[depth - 1]);
        if (member != has_key || (member && !same_string(node->string, key, key_len, c_strings))) {
            snprintf(why, why_size, "a key differs");
            v = DIFFER;
            break;
        }
        bool same;
        switch (t) {
        case JSON_TOKEN_OBJECT: same = cJSON_IsObject(node); break;
        case JSON_TOKEN_ARRAY: same = cJSON_IsArray(node); break;
        case JSON_TOKEN_TRUE: same = cJSON_IsTrue(node); break;
        case JSON_TOKEN_FALSE: same = cJSON_IsFalse(node); break;
        case JSON_TOKEN_NULL: same = cJSON_IsNull(node); break;
        case JSON_TOKEN_STRING:
            same = cJSON_IsString(node) && same_string(node->valuestring, sc.str, sc.str_len, c_strings);
            break;
        case JSON_TOKEN_NUMBER: {
            if (!lax && sc.str_len > JSON_MAX_NUMBER)
                abort();   /* the strict limit keeps within what any cJSON 1.7 reads */
            char *num = malloc(sc.str_len + 1);
            if (!num)
                abort();
            memcpy(num, sc.str, sc.str_len);
            num[sc.str_len] = '\0';
            double d = strtod(num, NULL);
            free(num);
            same = cJSON_IsNumber(node) && memcmp(&d, &node->valuedouble, sizeof d) == 0;
            break;
        }
        default: same = false; break;
        }
        if (!same) {
            snprintf(why, why_size, "a value differs (token %d)", (int)t);
            v = DIFFER;
            break;
        }
        if (mk && mk->n < MAX_NODES) {
            mk->node[mk->n] = node;
            mk->value[mk->n] = sc.start;
            mk->key[mk->n++] = has_key ? key_at : SIZE_MAX;
        }
        has_key = false;
        if (t == JSON_TOKEN_OBJECT || t == JSON_TOKEN_ARRAY) {
            open[depth++] = node;
            last = NULL;
        } else {
            last = node;
        }
    }
    free(key);
    json_scan_free(&sc);
    return v;
}

/* Two trees alike node for node, as cJSON's own parser links them: the
 * same types, keys, strings, numbers (bit for bit, valueint too), and each
 * node's prev (the previous item, or for a first item the last one). */
static bool same_tree(const cJSON *a, const cJSON *b)
{
    for (; a && b; a = a->next, b = b->next) {
        if (a->type != b->type || !a->string != !b->string || (a->string && strcmp(a->string, b->string) != 0) ||
            !a->valuestring != !b->valuestring || (a->valuestring && strcmp(a->valuestring, b->valuestring) != 0) ||
            memcmp(&a->valuedouble, &b->valuedouble, sizeof a->valuedouble) != 0 || a->valueint != b->valueint ||
            !a->prev != !b->prev || !a->child != !b->child)
            return false;
        if (a->child && (a->child->prev == a->child) != (b->child->prev == b->child))
            return false;
        if (a->child && !same_tree(a->child, b->child))
            return false;
        if (a->child) {   /* the last item, which the first item's prev names */
            const cJSON *la = a->child, *lb = b->child;
            while (la->next)
                la = la->next;
            while (lb->next)
                lb = lb->next;
            if ((a->child->prev == la) != (b->child->prev == lb))
                return false;
        }
    }
    return !a && !b;
}

static bool same_where(struct json_where a, struct json_where b) { return a.line == b.line && a.col == b.col; }

static void check_positions(const struct json_doc *doc, const struct marks *mk, const unsigned char *data,
                            size_t size)
{
    const char *text = doc->text;
    size_t len = doc->len;
    size_t n = mk->n, asked = 0;
    for (size_t pass = 0; pass < 2; pass++)
        for (size_t j = 0; j < n && asked < 3 * n + 64; j++, asked++) {
            /* first in document order; then backwards, every 7th node */
            size_t i = pass == 0 ? j : n - 1 - (j * 7) % n;
            struct json_where v = json_where(doc, mk->node[i], false);
            struct json_where k = json_where(doc, mk->node[i], true);
            struct json_where want_k = json_locate(text, len, mk->key[i] == SIZE_MAX ? mk->value[i] : mk->key[i]);
            if (!same_where(v, json_locate(text, len, mk->value[i])) || !same_where(k, want_k))
                finding("json_where gives a wrong position", data, size);
            if (pass == 1 && j >= 16)
                break;
        }
    cJSON stray = {0};
    if (json_where(doc, &stray, false).line != 0)
        finding("json_where places a node that is not in the document", data, size);
}

static void check_duplicates(const struct marks *mk, const unsigned char *data, size_t size)
{
    for (size_t i = 0; i < mk->n; i++) {
        const cJSON *o = mk->node[i];
        if (!cJSON_IsObject(o))
            continue;
        const cJSON *first = NULL;
        size_t count = 0;
        for (const cJSON *m = o->child; m; m = m->next)
            for (const cJSON *e = o->child; e != m; e = e->next)
                if (strcmp(e->string, m->string) == 0) {
                    if (!count++)
                        first = m;
                    break;
                }
        const cJSON *got = NULL;
        if (json_duplicates(o, &got, 1) != count || got != first)
            finding("json_duplicates differs from comparing every pair", data, size);
    }
}

/* Every string and key of a cJSON tree through json_write_string(). */
static void check_writer(const cJSON *root, const unsigned char *data, size_t size)
{
    const cJSON *stack[JSON_CJSON_DEPTH + 1];
    size_t depth = 0;
    const cJSON *node = root;
    while (node || depth) {
        if (!node) {
            node = stack[--depth]->next;
            continue;
        }
        const char *strings[2] = {node->string, cJSON_IsString(node) ? node->valuestring : NULL};
        for (int k = 0; k < 2; k++) {
            if (!strings[k])
                continue;
            char *out = NULL;
            size_t out_len = 0;
            FILE *f = open_memstream(&out, &out_len);
            if (!f || !json_write_string(f, strings[k]) || fclose(f) != 0)
                abort();
            struct json_scan sc;
            json_scan_init(&sc, out, out_len, 0, true);
            if (json_scan_next(&sc) != JSON_TOKEN_STRING || json_scan_next(&sc) != JSON_TOKEN_EOF)
                finding("json_write_string wrote invalid JSON", data, size);
            size_t n = strlen(strings[k]);
            bool valid = true;
            for (size_t i = 0; i < n && valid;) {
                uint32_t cp;
                i += json_utf8_next((const unsigned char *)strings[k] + i, n - i, &cp);
                valid = cp != JSON_UTF8_INVALID;
            }
            if (valid && (sc.str_len != n || memcmp(sc.str, strings[k], n) != 0))
                finding("json_write_string changed a valid string", data, size);
            json_scan_free(&sc);
            free(out);
        }
        if (node->child && depth < JSON_CJSON_DEPTH) {
            stack[depth++] = node;
            node = node->child;
        } else {
            node = node->next;
        }
    }
}

/* cJSON 1.7.15 as released reads at most 63 bytes of a number; later
 * releases, and distributions' 1.7.15 with the CVE-2023-26819 fix, read the
 * whole run as the lax scanner does. With an old cJSON, texts holding a run
 * of 64 or more number bytes are left out of check 1 (the strict limit of
 * 63 characters keeps checks 2 and 3 sound with either). */
static bool cjson_cuts_numbers(void)
{
    static int cuts = -1;
    if (cuts < 0) {
        char probe[70];
        memset(probe, '1', sizeof probe);
        probe[0] = '[';
        probe[sizeof probe - 1] = ']';
        cJSON *t = cJSON_ParseWithLength(probe, sizeof probe);
        cuts = t == NULL;
        cJSON_Delete(t);
    }
    return cuts;
}

static bool long_number_run(const unsigned char *data, size_t size)
{
    size_t run = 0;
    for (size_t i = 0; i < size; i++) {
        run = data[i] && strchr("0123456789+-.eE", data[i]) ? run + 1 : 0;
        if (run > JSON_MAX_NUMBER)
            return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static struct marks mk;
    const char *text = (const char *)data;
    char why[300];
    size_t bom = json_bom_length(text, size);

    /* cJSON reads what json_parse() gives it: the text after the mark */
    const char *end = NULL;
    cJSON *cj = cJSON_ParseWithLengthOpts(text + bom, size - bom, &end, false);
    bool cj_ok = cj != NULL;
    for (const char *p = end; cj_ok && p < text + size; p++)
        cj_ok = (unsigned char)*p <= 32;   /* cJSON's white space */

    /* 1. the lax scanner is cJSON */
    enum verdict lax = compare(text, size, JSON_LAX_ALL, cj_ok ? cj : NULL, true, NULL, why, sizeof why);
    bool out_of_scope = cjson_cuts_numbers() && long_number_run(data, size);
    if (((lax == REFUSED) == cj_ok || lax == DIFFER) && !out_of_scope) {
        fprintf(stderr, "lax scanner: %s; cJSON %s\n", lax == REFUSED ? why : lax == DIFFER ? why : "accepts",
                cj_ok ? "accepts" : "refuses");
        finding("the lax scanner and cJSON disagree", data, size);
    }

    /* 2. the strict scanner accepts less, with the same tree */
    enum verdict strict = compare(text, size, 0, cj_ok ? cj : NULL, false, NULL, why, sizeof why);
    if (strict == DIFFER || (strict == AGREE && !cj_ok)) {
        fprintf(stderr, "strict scanner: %s\n", strict == DIFFER ? why : "accepts what cJSON refuses");
        finding("the strict scanner and cJSON disagree", data, size);
    }

    /* 3. each strict refusal of a text cJSON takes is a known stricter rule */
    if (strict == REFUSED && cj_ok) {
        unsigned flags = 0;
        struct json_scan sc;
        while (!json_scan_text(text, size, flags, &sc)) {
            unsigned f = relaxation(sc.fault);
            if (!f || (flags & f)) {
                fprintf(stderr, "strict refusal (flags 0x%X): %s\n", flags, sc.msg);
                finding("cJSON accepts a text the scanner refuses for no stricter rule", data, size);
            }
            flags |= f;
        }
    }

    /* 4. json_parse(), json_where(), json_duplicates() */
    struct json_doc doc;
    struct json_where where;
    char msg[300];
    bool parsed = json_parse(&doc, text, size, &where, msg, sizeof msg);
    if (parsed != (strict == AGREE) || (!parsed && (!msg[0] || where.line == 0)))
        finding("json_parse and the strict scanner disagree", data, size);
    if (parsed) {
        mk.n = 0;
        if (compare(text, size, 0, doc.root, false, &mk, why, sizeof why) != AGREE)
            finding("json_parse built a tree that differs from the text", data, size);
        if (!cj_ok || !same_tree(doc.root, cj))
            finding("json_parse built a tree that differs from cJSON's", data, size);
        check_positions(&doc, &mk, data, size);
        check_duplicates(&mk, data, size);
        /* the same text as already scanned, into the memory of that tree */
        if (!json_parse_scanned(&doc, text, size, &where, msg, sizeof msg) || !same_tree(doc.root, cj))
            finding("json_parse_scanned built a tree that differs from cJSON's", data, size);
        json_free(&doc);
    }

    /* 5. json_write_string() */
    if (cj)
        check_writer(cj, data, size);
    cJSON_Delete(cj);
    return 0;
}
