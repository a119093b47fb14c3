/*
 * json.h - a JSON document read strictly, whose nodes can say where they
 * were in the text.
 *
 * The strict scanner (jsonscan.h) is the gate: it refuses anything RFC 8259
 * does not allow, and a few things it does that a scenario cannot use (see
 * docs/scenario-format.md, "The JSON itself"), and the tree is built from
 * its tokens as it reads, in one pass, out of cJSON's nodes (the fuzz target
 * tests/fuzz/fuzz_json.c holds the tree to the one cJSON's own parser
 * builds). No position is stored per node: json_where() finds a node's line
 * and column when asked, by reading the text again up to it.
 */
#ifndef MMSIM_SCENARIO_JSON_H
#define MMSIM_SCENARIO_JSON_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jsonscan.h"

struct json_cursor;
struct json_block;

/* A document: its tree is made of cJSON's nodes, read with cJSON's
 * functions, but owned by the document (json_free), never changed and
 * never given to cJSON_Delete. */
struct json_odd;

struct json_doc {
    cJSON *root;
    const char *text;              /* the caller's text (not copied) */
    size_t len;
    size_t root_at;                /* where the root value starts */
    struct json_cursor *cursor;    /* where json_where() stopped reading */
    struct json_block *blocks, *block;   /* the nodes and strings; the block in use */
    struct json_odd *odd;          /* the numbers not written as plain digits, in order */
    size_t nodd, odd_cap;
};

/* Parse text[0..len) (need not end in a NUL; a UTF-8 byte-order mark at the
 * start is skipped). The text must stay unchanged until json_free(): the
 * document reads it again to answer json_where(). On failure returns false
 * and fills *where (line and column, from 1) and msg (a sentence, cut to
 * msg_size) with the first problem; an empty or white-space-only text is
 * "empty document: ...". The document needs json_free() only on success. */
bool json_parse(struct json_doc *doc, const char *text, size_t len, struct json_where *where,
                char *msg, size_t msg_size);
/* json_parse for a span of a text that json_scan_text (or json_array_items)
 * has already accepted whole, say one item of its array: the tree is built
 * without judging the text again, so only memory can fail ("out of memory"
 * at 1:1). doc is zeroed, or a document parsed before, whose memory is
 * reused (its old tree is gone): reading the items of a long array one
 * after another allocates nothing once the largest has been read. On
 * failure the document is freed, as by json_free(). */
bool json_parse_scanned(struct json_doc *doc, const char *text, size_t len, struct json_where *where, char *msg,
                        size_t msg_size);
void json_free(struct json_doc *doc);

/* Where node's value starts, or (key = true, node a member of an object)
 * where its key starts; {0, 0} for a node that is not in the document.
 * Each call reads on from where the previous one stopped, so asking in
 * document order (as a reader of the tree does) costs one reading of the
 * text in all; a node before the last one asked costs a reading from the
 * start, unless it is one of the last few asked. */
struct json_where json_where(const struct json_doc *doc, const cJSON *node, bool key);

/* object's first member named key (compared byte for byte), or NULL: what
 * cJSON_GetObjectItemCaseSensitive finds, a little faster, since readers
 * look up every field of every step. */
const cJSON *json_member(const cJSON *object, const char *key);

/* The text of number node as the document writes it ("64.0", "1e400",
 * "9007199254740993"), into out (size bytes, NUL-terminated), when it is
 * not plain digits: an optional '-' and at most 15 digits, which
 * valuedouble holds exactly. False for a plain number (read valuedouble),
 * a node that is not a number of the document, or a text that does not
 * fit. Found in a table the parse keeps of such numbers: no re-reading. */
bool json_number_text(const struct json_doc *doc, const cJSON *node, char *out, size_t size);

/* FNV-1a of a NUL-terminated string: the hash of the readers' tables
 * (duplicate keys here, process names in the scenario reader). */
uint64_t json_hash(const char *s);

/* The members of object whose key repeats an earlier member's key, in
 * document order (the second occurrence, and any later one): the first
 * `max` of them go to out[], and the count of all is returned (0: every key
 * is distinct). Linear time (a hash of the keys). */
size_t json_duplicates(const cJSON *object, const cJSON **out, size_t max);

/* Where one value lies in a text: bytes [start, end). */
struct json_span {
    size_t start, end;
};

/* In a text the strict scanner accepts whose top-level value is an object,
 * the items of the array that is the object's first member named `key`:
 * each item's span (filling *items, malloc'ed, *count of them) and the
 * span of the array from '[' to ']' inclusive. False (nothing allocated)
 * when the text is not strictly valid, the top level is not an object, it
 * has no such member, or the member is not an array; false with *items NULL
 * and *count the item count when out of memory. Past `max` items the rest
 * are counted, not kept: *count may exceed max, with max spans. A long array
 * of small items can then be read an item at a time (json_parse_scanned on
 * each span) instead of as one tree. */
bool json_array_items(const char *text, size_t len, const char *key, size_t max, struct json_span **items,
                      size_t *count, struct json_span *array);

/* Write s as a JSON string literal, quotes included: '"' and '\' escaped,
 * control characters (U+0001-U+001F, DEL and the C1 controls
 * U+0080-U+009F) and the separators U+2028/U+2029 as \uXXXX (JavaScript
 * reads those two as line breaks), and each ill-formed UTF-8
 * sequence replaced by \ufffd, so the output is always valid JSON and valid
 * UTF-8. Returns false if writing to f failed. */
bool json_write_string(FILE *f, const char *s);

#endif
