/*
 * json.h - a parsed JSON document that remembers where everything was.
 * cJSON does the parsing; a second, non-recursive pass over the same text
 * records the line and column of every value and every object key, so that
 * errors can point at the exact place in the file.
 */
#ifndef MMSIM_SCENARIO_JSON_H
#define MMSIM_SCENARIO_JSON_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 32          /* scenarios are shallow; deeper is an error */

struct json_where {
    uint32_t line, col;
};

struct json_doc {
    cJSON *root;
    struct json_node_pos *pos;     /* sorted by node, for lookup */
    size_t npos;
};

/* Parse text (len bytes, need not be NUL-terminated). On failure returns
 * false and fills *where and msg with the place and a sentence. */
bool json_parse(struct json_doc *doc, const char *text, size_t len, struct json_where *where,
                char *msg, size_t msg_size);
void json_free(struct json_doc *doc);

/* Where a node's value starts, or (key = true) where its key starts. */
struct json_where json_where(const struct json_doc *doc, const cJSON *node, bool key);

#endif
