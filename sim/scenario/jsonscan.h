/*
 * jsonscan.h - the JSON grammar of RFC 8259, read one token at a time.
 *
 * This scanner is the gate of every scenario file: json_parse() runs it over
 * the whole text and hands cJSON only text it accepted, so cJSON never sees
 * anything the scanner would not have read the same way; json_where() runs
 * it again to find where a node was. It is stricter than cJSON in the ways
 * listed under JSON_LAX_*, and every refusal says what was wrong and at
 * which byte.
 *
 * With every JSON_LAX_* flag set, the scanner accepts exactly the texts that
 * cJSON 1.7 accepts and decodes their strings as cJSON does: the fuzz target
 * tests/fuzz/fuzz_json.c holds it to that, so that the strict grammar is
 * known to differ from cJSON's by the listed rules and nothing else.
 */
#ifndef MMSIM_SCENARIO_JSONSCAN_H
#define MMSIM_SCENARIO_JSONSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 32          /* scenarios are shallow; deeper is an error */
#define JSON_MAX_NUMBER 63         /* characters in a number: cJSON 1.7.15 as released reads no more */
#define JSON_CJSON_DEPTH 1000      /* cJSON's own nesting limit (CJSON_NESTING_LIMIT) */

/* Relaxations that turn the strict grammar into cJSON's (for the fuzz
 * target; json_parse() uses none). */
#define JSON_LAX_NUL     0x01u     /* NUL bytes are not refused up front */
#define JSON_LAX_SPACE   0x02u     /* any byte 0x00-0x20 separates tokens, not only the four of RFC 8259 */
#define JSON_LAX_STRINGS 0x04u     /* raw control characters, invalid UTF-8, \u0000 and "\u" with
                                    * bad digits (read as 0) inside strings */
#define JSON_LAX_NUMBERS 0x08u     /* numbers as strtod() reads them: 0064, 64., -.5, 1.e5 */
#define JSON_LAX_DEPTH   0x10u     /* nesting up to JSON_CJSON_DEPTH */
#define JSON_LAX_BOM     0x20u     /* a second byte-order mark after the first, as cJSON skips one */
#define JSON_LAX_ALL     0x3Fu

/* A place in the text: line and column count from 1, the column in
 * characters (UTF-8 continuation bytes do not count), and a byte-order mark
 * at the start takes no column. {0, 0} means unknown. */
struct json_where {
    uint32_t line, col;
};

enum json_token {
    JSON_TOKEN_ERROR,              /* the text is not JSON: see fault, fault_at, msg */
    JSON_TOKEN_EOF,                /* the document ended well (only white space followed) */
    JSON_TOKEN_OBJECT,             /* '{': members follow, each a KEY then a value */
    JSON_TOKEN_ARRAY,              /* '[' */
    JSON_TOKEN_END,                /* '}' or ']' closed the innermost object or array */
    JSON_TOKEN_KEY,                /* a member's name (and the ':' after it) */
    JSON_TOKEN_STRING,
    JSON_TOKEN_NUMBER,
    JSON_TOKEN_TRUE,
    JSON_TOKEN_FALSE,
    JSON_TOKEN_NULL,
};

/* Which rule the text broke. Each strict-only rule names the JSON_LAX_*
 * flag that lifts it. */
enum json_fault {
    JSON_FAULT_NONE,
    JSON_FAULT_EMPTY,              /* no value at all: empty, white space, or a lone byte-order mark */
    JSON_FAULT_UNCLOSED,           /* the text ends inside an object, an array or a string */
    JSON_FAULT_SYNTAX,             /* something other than what the grammar allows here */
    JSON_FAULT_TRAILING,           /* more than white space after the document */
    JSON_FAULT_NUL,                /* a NUL byte anywhere (JSON_LAX_NUL) */
    JSON_FAULT_SPACE,              /* a control character between tokens (JSON_LAX_SPACE) */
    JSON_FAULT_CONTROL,            /* a raw control character in a string (JSON_LAX_STRINGS) */
    JSON_FAULT_UTF8,               /* invalid UTF-8 in a string (JSON_LAX_STRINGS) */
    JSON_FAULT_ESCAPE,             /* an escape JSON does not have, e.g. \x */
    JSON_FAULT_HEX,                /* "\u" without four hexadecimal digits (JSON_LAX_STRINGS) */
    JSON_FAULT_U0000,              /* \u0000 (JSON_LAX_STRINGS) */
    JSON_FAULT_SURROGATE,          /* a \uD800-\uDFFF escape not in a high-low pair */
    JSON_FAULT_NUMBER,             /* a number outside the grammar: 0064, 64., -, 1e (JSON_LAX_NUMBERS) */
    JSON_FAULT_NUMBER_LONG,        /* more than JSON_MAX_NUMBER characters */
    JSON_FAULT_DEPTH,              /* nested deeper than JSON_MAX_DEPTH (JSON_LAX_DEPTH) */
    JSON_FAULT_BOM,                /* a byte-order mark after the start (JSON_LAX_BOM) */
    JSON_FAULT_MEMORY,             /* decoding a string ran out of memory */
};

/* A scanner over one text. Fields above the line are the results callers
 * read; the rest is private. */
struct json_scan {
    size_t start;                  /* where the last token began (byte offset) */
    const char *str;               /* KEY, STRING: the decoded bytes (when decoding), NUMBER: its text */
    size_t str_len;
    enum json_fault fault;         /* after JSON_TOKEN_ERROR */
    size_t fault_at;               /* the offending byte's offset (the text's length: at the end) */
    char msg[240];                 /* a sentence saying what was wrong */
    /* ---- private ---- */
    const unsigned char *s;
    size_t len, pos, body;
    unsigned lax;
    bool decode;
    uint8_t state;
    char *buf;
    size_t blen, cap;
    uint32_t depth, max_depth;
    uint8_t is_object[JSON_CJSON_DEPTH / 8 + 1];
};

/* Start scanning text[0..len) (need not end in a NUL) under the given
 * JSON_LAX_* flags; with decode, KEY and STRING tokens carry their decoded
 * bytes. A byte-order mark at the start is skipped here, once. The text must
 * outlive the scanner. */
void json_scan_init(struct json_scan *sc, const char *text, size_t len, unsigned lax, bool decode);
/* The next token. After JSON_TOKEN_ERROR or JSON_TOKEN_EOF every call
 * returns the same again. */
enum json_token json_scan_next(struct json_scan *sc);
/* Decode the strings of the tokens that follow, or not (a caller that needs
 * only some strings, say the keys of one object, saves the copies). */
void json_scan_decode(struct json_scan *sc, bool decode);
/* Free what decoding allocated. */
void json_scan_free(struct json_scan *sc);
/* Scan the whole text under `lax`: true if it is one JSON document; if not,
 * *fault (when not NULL) holds the scanner with the fault and message. */
bool json_scan_text(const char *text, size_t len, unsigned lax, struct json_scan *fault);

/* 3 when text starts with a UTF-8 byte-order mark (EF BB BF), else 0. */
size_t json_bom_length(const char *text, size_t len);
/* The line and column of byte `offset` of text (clamped to len). */
struct json_where json_locate(const char *text, size_t len, size_t offset);

#define JSON_UTF8_INVALID 0xFFFFFFFFu
/* The UTF-8 character at s[0..n) (n >= 1): returns its length (1 to 4) and
 * sets *cp to its code point; if the bytes are not well-formed UTF-8
 * (overlong, a surrogate, beyond U+10FFFF, a stray continuation byte, cut
 * short), sets *cp = JSON_UTF8_INVALID and returns the length of the
 * ill-formed part (at least 1: Unicode's "maximal subpart", the bytes that
 * one U+FFFD replaces). */
size_t json_utf8_next(const unsigned char *s, size_t n, uint32_t *cp);

#endif
