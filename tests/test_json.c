/*
 * test_json.c - the JSON layer: the strict grammar and its messages, the
 * byte-order mark, positions found on demand, duplicate keys, and JSON
 * string output that stays valid whatever the bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "support.h"

/* json_parse() must refuse text with this message at line:col. */
static void refused(const char *text, size_t len, uint32_t line, uint32_t col, const char *message)
{
    struct json_doc doc;
    struct json_where w;
    char msg[300];
    cr_assert_not(json_parse(&doc, text, len, &w, msg, sizeof msg), "accepted: %s", text);
    cr_assert_str_eq(msg, message, "for %s", text);
    cr_assert(w.line == line && w.col == col, "for %s: at %u:%u, expected %u:%u", text, w.line, w.col, line, col);
}

#define REFUSED(text, line, col, message) refused(text, sizeof(text) - 1, line, col, message)

static cJSON *parsed(struct json_doc *doc, const char *text)
{
    struct json_where w;
    char msg[300];
    cr_assert(json_parse(doc, text, strlen(text), &w, msg, sizeof msg), "refused %s: %u:%u: %s", text, w.line,
              w.col, msg);
    return doc->root;
}

Test(json, accepts_rfc8259_documents)
{
    struct json_doc doc;
    cJSON *r = parsed(&doc, " {\"a\": [1, -0, 0.5, 1e3, 2E-2, -12.5e+7, true, false, null], \"b\": {}, \"c\": []}\r\n");
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r, "a")), 9);
    cr_assert_float_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(r, "a"), 5)->valuedouble, -12.5e7, 1);
    json_free(&doc);

    r = parsed(&doc, "\"\\u00e9\\ud83d\\ude00\\n\\t\\\"\\\\\\/\\b\\f\\r caf\xc3\xa9 \xe2\x82\xac \x7f\"");
    cr_assert_str_eq(r->valuestring, "\xc3\xa9\xf0\x9f\x98\x80\n\t\"\\/\b\f\r caf\xc3\xa9 \xe2\x82\xac \x7f");
    json_free(&doc);

    r = parsed(&doc, "42");   /* any value may be the document */
    cr_assert_eq(r->valuedouble, 42);
    json_free(&doc);
}

Test(json, strings_are_strict)
{
    REFUSED("{\"name\": \"\\uZZZZ\"}", 1, 11, "'\\uZZZZ' is not an escape: \\u takes four hexadecimal digits");
    REFUSED("[\"\\u12\"]", 1, 3, "'\\u12' is not an escape: \\u takes four hexadecimal digits");
    REFUSED("[\"a\\u0000b\"]", 1, 4, "'\\u0000' (the NUL character) is not allowed: a C string cannot hold it");
    REFUSED("[\"\\uD800\"]", 1, 3,
            "unpaired surrogate '\\uD800': a high surrogate must be followed by a low one (\\uDC00-\\uDFFF)");
    REFUSED("[\"\\ud800\\u0041\"]", 1, 3,
            "unpaired surrogate '\\uD800': a high surrogate must be followed by a low one (\\uDC00-\\uDFFF)");
    REFUSED("[\"\\uDC00\"]", 1, 3,
            "unpaired surrogate '\\uDC00': a low surrogate must follow a high one (\\uD800-\\uDBFF)");
    REFUSED("[\"\\uD800\\uZZZZ\"]", 1, 9, "'\\uZZZZ' is not an escape: \\u takes four hexadecimal digits");
    /* cut off inside an escape: the text ends too early */
    REFUSED("[\"\\u12", 1, 7, "the JSON ends before every object, array and string is closed");
    REFUSED("[\"\\uD800", 1, 9, "the JSON ends before every object, array and string is closed");
    REFUSED("[\"\\uD800\\", 1, 10, "the JSON ends before every object, array and string is closed");
    REFUSED("[\"\\uD800\\uDC", 1, 13, "the JSON ends before every object, array and string is closed");
    REFUSED("[\"\\uZZ", 1, 3, "'\\uZZ' is not an escape: \\u takes four hexadecimal digits");
    REFUSED("[\"\\x41\"]", 1, 3, "invalid escape '\\x': JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX");
    REFUSED("[\"a\tb\"]", 1, 4, "a tab inside a string: write it as \\t");
    REFUSED("[\"a\nb\"]", 1, 4, "a line break inside a string: close the string on the same line, or write \\n");
    REFUSED("[\"a\x01\"]", 1, 4, "control character U+0001 inside a string: write it as \\u0001");
    REFUSED("['a']", 1, 2, "strings take double quotes (\"), not single quotes");
    REFUSED("{'a': 1}", 1, 2, "keys take double quotes (\"), not single quotes");
}

Test(json, invalid_utf8_anywhere)
{
    REFUSED("[\"\xc0\xaf\"]", 1, 3,
            "invalid UTF-8 in a string (0xC0): an overlong encoding (0xC0 and 0xC1 start no character); "
            "scenarios are UTF-8 text");
    REFUSED("[\"\xe0\x80\xaf\"]", 1, 3,
            "invalid UTF-8 in a string (0xE0 0x80): an overlong encoding; scenarios are UTF-8 text");
    REFUSED("[\"\xed\xa0\x80\"]", 1, 3,
            "invalid UTF-8 in a string (0xED 0xA0): a surrogate (U+D800-U+DFFF), which is not a character; "
            "scenarios are UTF-8 text");
    REFUSED("[\"ab\xe2\x82\"]", 1, 5, "invalid UTF-8 in a string (0xE2 0x82): a sequence cut short; "
            "scenarios are UTF-8 text");
    REFUSED("[\"\x80\"]", 1, 3, "invalid UTF-8 in a string (0x80): a continuation byte with no lead byte before it; "
            "scenarios are UTF-8 text");
    REFUSED("[\"\xf4\x90\x80\x80\"]", 1, 3,
            "invalid UTF-8 in a string (0xF4 0x90): a code point beyond U+10FFFF; scenarios are UTF-8 text");
    REFUSED("[\"\xff\"]", 1, 3, "invalid UTF-8 in a string (0xFF): a byte that never occurs in UTF-8; "
            "scenarios are UTF-8 text");
    REFUSED("[1, \xff]", 1, 5, "invalid UTF-8 outside a string (0xFF): a byte that never occurs in UTF-8; "
            "scenarios are UTF-8 text");
    REFUSED("[\xc3\xa9]", 1, 2, "expected a value (an object, array, string, number, true, false or null), "
            "found the character U+00E9");
    /* the column counts characters: two before the bad byte here */
    REFUSED("[\"\xc3\xa9\xe2\x82\xac\xc0\"]", 1, 5, "invalid UTF-8 in a string (0xC0): an overlong encoding "
            "(0xC0 and 0xC1 start no character); scenarios are UTF-8 text");
}

Test(json, numbers_are_strict)
{
    REFUSED("{\"frames\": 0064}", 1, 12, "'0064' is not a JSON number: no leading zeros (write 64, not 0064)");
    REFUSED("[64.]", 1, 2, "'64.' is not a JSON number: a decimal point must be followed by a digit "
            "(64 or 64.0, not 64.)");
    REFUSED("[.5]", 1, 2, "'.5' is not a JSON number: a digit must come before the decimal point (0.5)");
    REFUSED("[-.5]", 1, 2, "'-.5' is not a JSON number: a digit must come before the decimal point (-0.5)");
    REFUSED("[+1]", 1, 2, "'+1' is not a JSON number: a number cannot start with '+'");
    REFUSED("[1e]", 1, 2, "'1e' is not a JSON number: an exponent needs digits (1e3, 2E-2)");
    REFUSED("[1e+]", 1, 2, "'1e+' is not a JSON number: an exponent needs digits (1e3, 2E-2)");
    REFUSED("[-]", 1, 2, "'-' is not a JSON number: a minus sign must be followed by a digit");
    REFUSED("-", 1, 1, "'-' is not a JSON number: a minus sign must be followed by a digit");
    REFUSED("[0x1000]", 1, 2, "'0x1000' is not a JSON number: hexadecimal numbers and sizes are written as strings "
            "(\"0x1000\", \"16K\")");
    REFUSED("[16K]", 1, 2, "'16K' is not a JSON number: hexadecimal numbers and sizes are written as strings "
            "(\"0x1000\", \"16K\")");
    REFUSED("[1.2.3]", 1, 2, "'1.2.3' is not a JSON number: hexadecimal numbers and sizes are written as strings "
            "(\"0x1000\", \"16K\")");
    /* 63 characters is the most any cJSON 1.7 reads whole */
    char text[80] = "[";
    memset(text + 1, '7', 63);
    strcpy(text + 64, "]");
    struct json_doc doc;
    parsed(&doc, text);
    json_free(&doc);
    strcpy(text + 64, "7]");
    refused(text, strlen(text), 1, 2, "a number of 64 characters (at most 63)");
}

Test(json, structure_errors_point_at_the_place)
{
    REFUSED("{\"a\": 1 \"b\": 2}", 1, 9, "expected ',' or '}' after an object member, found the start of another "
            "value (a comma missing?)");
    REFUSED("[1 2]", 1, 4, "expected ',' or ']' after an array element, found the start of another value "
            "(a comma missing?)");
    REFUSED("[1,]", 1, 4, "expected a value after ',', found ']' (JSON allows no comma before ']')");
    REFUSED("{\"a\": 1,}", 1, 9, "expected a key after ',', found '}' (JSON allows no comma before '}')");
    REFUSED("{a: 1}", 1, 2, "expected a key (a string in double quotes) or '}', found 'a'");
    REFUSED("{\"a\" 1}", 1, 6, "expected ':' after the key, found '1'");
    REFUSED("[1}", 1, 3, "expected ',' or ']' after an array element, found '}'");
    REFUSED("[True]", 1, 2, "expected a value (an object, array, string, number, true, false or null), "
            "found 'True'");
    REFUSED("[nul]", 1, 2, "expected a value (an object, array, string, number, true, false or null), "
            "found 'nul'");
    REFUSED("{} extra", 1, 4, "unexpected text after the end of the JSON document");
    REFUSED("{}\n{}", 2, 1, "unexpected text after the end of the JSON document");
    REFUSED("{\"a\": [1, 2", 1, 12, "the JSON ends before every object, array and string is closed");
    REFUSED("[\"abc", 1, 6, "the JSON ends before every object, array and string is closed");
    REFUSED("[\"abc\\", 1, 7, "the JSON ends before every object, array and string is closed");
    REFUSED("[1,\x0b 2]", 1, 4,
            "control character U+000B between values: only spaces, tabs and line breaks may separate them");
    REFUSED("\x0c[]", 1, 1,
            "control character U+000C between values: only spaces, tabs and line breaks may separate them");
    REFUSED("[1,\n 2\x00]", 2, 3, "the file contains a NUL byte; scenarios are UTF-8 text");
}

Test(json, empty_documents)
{
    REFUSED("", 1, 1, "empty document: the file is empty");
    REFUSED("  \n\t \r\n", 1, 1, "empty document: the file holds only white space");
    REFUSED("\xef\xbb\xbf", 1, 1, "empty document: the file holds only a byte-order mark");
    REFUSED("\xef\xbb\xbf \n ", 1, 1, "empty document: the file holds only white space");
}

Test(json, byte_order_mark_is_skipped_once)
{
    struct json_doc doc;
    cJSON *r = parsed(&doc, "\xef\xbb\xbf[[],[]]");
    cr_assert(cJSON_IsArray(r) && cJSON_GetArraySize(r) == 2);
    struct json_where w = json_where(&doc, r->child->next, false);
    cr_assert(w.line == 1 && w.col == 5, "after the mark, columns count as without it: %u:%u", w.line, w.col);
    json_free(&doc);

    /* every error keeps its place */
    REFUSED("\xef\xbb\xbf{\"a\": 0064}", 1, 7, "'0064' is not a JSON number: no leading zeros (write 64, not 0064)");
    REFUSED("\xef\xbb\xbf\n [1 2]", 2, 5, "expected ',' or ']' after an array element, found the start of another "
            "value (a comma missing?)");
    /* only one mark, and only at the start */
    REFUSED("\xef\xbb\xbf\xef\xbb\xbf[]", 1, 1, "a byte-order mark (U+FEFF) may only begin the file");
    REFUSED("[1, \xef\xbb\xbf 2]", 1, 5, "a byte-order mark (U+FEFF) may only begin the file");
    /* inside a string it is a character like any other */
    r = parsed(&doc, "[\"\xef\xbb\xbf\"]");
    cr_assert_str_eq(r->child->valuestring, "\xef\xbb\xbf");
    json_free(&doc);
}

Test(json, nesting_is_limited_before_cjson_recurses)
{
    char text[2 * (JSON_MAX_DEPTH + 1) + 1];
    memset(text, '[', JSON_MAX_DEPTH);
    memset(text + JSON_MAX_DEPTH, ']', JSON_MAX_DEPTH);
    text[2 * JSON_MAX_DEPTH] = '\0';
    struct json_doc doc;
    parsed(&doc, text);
    json_free(&doc);
    memset(text, '[', JSON_MAX_DEPTH + 1);
    memset(text + JSON_MAX_DEPTH + 1, ']', JSON_MAX_DEPTH + 1);
    refused(text, sizeof text - 1, 1, JSON_MAX_DEPTH + 1, "nesting deeper than 32 levels");
}

Test(json, positions_are_found_on_demand)
{
    const char *text = "{\n"
                       "  \"name\": \"caf\xc3\xa9\",\n"
                       "  \"steps\": [ {\"op\": \"note\"},\n"
                       "\t{\"op\": \"read\", \"address\": \"0x10000\"} ],\n"
                       "  \"\xc3\xa9t\xc3\xa9\": [1, [2, {\"deep\": null}]]\n"
                       "}";
    struct json_doc doc;
    cJSON *r = parsed(&doc, text);
    const cJSON *name = cJSON_GetObjectItem(r, "name"), *steps = cJSON_GetObjectItem(r, "steps");
    const cJSON *s1 = cJSON_GetArrayItem(steps, 1), *addr = cJSON_GetObjectItem(s1, "address");
    const cJSON *ete = cJSON_GetObjectItem(r, "\xc3\xa9t\xc3\xa9");
    const cJSON *deep = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetArrayItem(ete, 1), 1), "deep");
    struct {
        const cJSON *node;
        bool key;
        uint32_t line, col;
    } want[] = {
        {r, false, 1, 1},     {name, true, 2, 3},   {name, false, 2, 11}, {steps, true, 3, 3},
        {steps, false, 3, 12}, {s1, false, 4, 2},   {addr, true, 4, 17},  {addr, false, 4, 28},
        {ete, true, 5, 3},    {ete, false, 5, 10},  {deep, true, 5, 19},  {deep, false, 5, 27},
    };
    size_t n = sizeof want / sizeof want[0];
    /* in document order, then backwards, then the same again */
    for (int pass = 0; pass < 3; pass++)
        for (size_t j = 0; j < n; j++) {
            size_t i = pass == 1 ? n - 1 - j : j;
            struct json_where w = json_where(&doc, want[i].node, want[i].key);
            cr_assert(w.line == want[i].line && w.col == want[i].col, "entry %zu (pass %d): %u:%u, expected %u:%u", i,
                      pass, w.line, w.col, want[i].line, want[i].col);
        }
    /* a value that is not a member has no key: its own place */
    struct json_where w = json_where(&doc, s1, true);
    cr_assert(w.line == 4 && w.col == 2);
    /* a node from elsewhere has no place */
    cJSON *other = cJSON_CreateNull();
    w = json_where(&doc, other, false);
    cr_assert(w.line == 0 && w.col == 0);
    cJSON_Delete(other);
    w = json_where(&doc, deep, false);
    cr_assert(w.line == 5 && w.col == 27, "found again after a miss");
    json_free(&doc);
}

Test(json, positions_of_every_step_of_a_long_file)
{
    enum { STEPS = 20000 };
    size_t cap = STEPS * 40 + 64, len = 0;
    char *text = malloc(cap);
    cr_assert_not_null(text);
    len += (size_t)snprintf(text + len, cap - len, "{\"steps\": [\n");
    for (int i = 0; i < STEPS; i++)
        len += (size_t)snprintf(text + len, cap - len, "  {\"op\": \"note\", \"text\": \"%d\"}%s\n", i,
                                i + 1 < STEPS ? "," : "");
    len += (size_t)snprintf(text + len, cap - len, "]}\n");
    struct json_doc doc;
    struct json_where w;
    char msg[300];
    cr_assert(json_parse(&doc, text, len, &w, msg, sizeof msg));
    int i = 0;
    for (const cJSON *s = cJSON_GetObjectItem(doc.root, "steps")->child; s; s = s->next, i++) {
        w = json_where(&doc, s, false);
        cr_assert(w.line == (uint32_t)i + 2 && w.col == 3, "step %d at %u:%u", i, w.line, w.col);
        w = json_where(&doc, cJSON_GetObjectItem(s, "text"), true);
        cr_assert(w.line == (uint32_t)i + 2 && w.col == 18, "step %d's text key at %u:%u", i, w.line, w.col);
    }
    cr_assert_eq(i, STEPS);
    json_free(&doc);
    free(text);
}

Test(json, duplicate_keys)
{
    struct json_doc doc;
    const cJSON *dup[4];
    cJSON *r = parsed(&doc, "{\"a\": 1, \"b\": 2, \"c\": 3}");
    cr_assert_eq(json_duplicates(r, dup, 4), 0u);
    json_free(&doc);

    r = parsed(&doc, "{\"a\": 1, \"b\": 2, \"a\": 3, \"a\": 4, \"b\": 5, \"A\": 6}");
    cr_assert_eq(json_duplicates(r, dup, 2), 3u, "three members repeat a key");
    cr_assert_eq(dup[0], cJSON_GetArrayItem(r, 2), "the second 'a'");
    cr_assert_eq(dup[1], cJSON_GetArrayItem(r, 3), "the third 'a'");
    cr_assert_eq(json_duplicates(r, NULL, 0), 3u, "counting alone");
    json_free(&doc);

    cr_assert_eq(json_duplicates(NULL, dup, 4), 0u);
    r = parsed(&doc, "{}");
    cr_assert_eq(json_duplicates(r, dup, 4), 0u);
    json_free(&doc);
}

Test(json, duplicate_keys_in_a_large_object)
{
    enum { KEYS = 100000 };
    size_t cap = (size_t)KEYS * 16 + 64, len = 1;
    char *text = malloc(cap);
    cr_assert_not_null(text);
    text[0] = '{';
    for (int i = 0; i < KEYS; i++)
        len += (size_t)snprintf(text + len, cap - len, "%s\"k%d\":%d", i ? "," : "", i, i);
    len += (size_t)snprintf(text + len, cap - len, ",\"k77777\":0}");
    struct json_doc doc;
    struct json_where w;
    char msg[300];
    cr_assert(json_parse(&doc, text, len, &w, msg, sizeof msg));
    const cJSON *dup;
    cr_assert_eq(json_duplicates(doc.root, &dup, 1), 1u);
    cr_assert_str_eq(dup->string, "k77777");
    cr_assert_null(dup->next, "the last member, not the first k77777");
    w = json_where(&doc, dup, true);
    cr_assert_eq(w.col, len - strlen("\"k77777\":0}") + 1);
    json_free(&doc);
    free(text);
}

/* json_write_string(s) as a string. */
static char *written(const char *s)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    cr_assert_not_null(f);
    cr_assert(json_write_string(f, s));
    cr_assert_eq(fclose(f), 0);
    return out;
}

Test(json, write_string_escapes)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"plain", "\"plain\""},
        {"say \"hi\" \\o/", "\"say \\\"hi\\\" \\\\o/\""},
        {"\x01\x1b[31m\n\t\x7f", "\"\\u0001\\u001b[31m\\u000a\\u0009\\u007f\""},
        {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""},
        {"C1 \xc2\x80 \xc2\x9b \xc2\x9f \xc2\xa0", "\"C1 \\u0080 \\u009b \\u009f \xc2\xa0\""},
        {"sep \xe2\x80\xa8 \xe2\x80\xa9", "\"sep \\u2028 \\u2029\""},
        {"bad \xff \xc0\xaf \xed\xa0\x80 \xe2\x82", "\"bad \\ufffd \\ufffd\\ufffd \\ufffd\\ufffd\\ufffd \\ufffd\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = written(cases[i].in);
        cr_assert_str_eq(out, cases[i].out, "case %zu", i);
        free(out);
    }
}

Test(json, write_string_output_is_always_valid_json)
{
    /* every byte value, in every position of short runs, and the
     * hostile strings a scenario could hold */
    char s[600];
    size_t k = 0;
    for (int b = 1; b < 256; b++) {
        s[k++] = (char)b;
        if (b % 3 == 0)
            s[k++] = '"';
    }
    s[k] = '\0';
    const char *hostile[] = {s, "\xe2\x82", "\xf0\x9f\x98", "\\", "\"", "\\u0000", "\x1b]0;title\x07",
                             "\xef\xbb\xbf", "\xc2", "a\xf5\x80\x80\x80z"};
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        char *out = written(hostile[i]);
        cJSON *back = cJSON_Parse(out);
        cr_assert_not_null(back, "cJSON reads it back (%zu)", i);
        cr_assert(cJSON_IsString(back));
        struct json_doc doc;
        struct json_where w;
        char msg[300];
        cr_assert(json_parse(&doc, out, strlen(out), &w, msg, sizeof msg), "strict JSON (%zu): %s", i, msg);
        cr_assert_str_eq(doc.root->valuestring, back->valuestring);
        json_free(&doc);
        /* valid UTF-8 comes back unchanged */
        bool valid = true;
        size_t n = strlen(hostile[i]);
        for (size_t j = 0; j < n && valid;) {
            uint32_t cp;
            j += json_utf8_next((const unsigned char *)hostile[i] + j, n - j, &cp);
            valid = cp != JSON_UTF8_INVALID;
        }
        if (valid)
            cr_assert_str_eq(back->valuestring, hostile[i]);
        cJSON_Delete(back);
        free(out);
    }
}

Test(json, utf8_maximal_subparts)
{
    static const struct {
        const char *s;
        size_t len;
        uint32_t cp;
    } cases[] = {
        {"A", 1, 'A'},
        {"\xc3\xa9", 2, 0xE9},
        {"\xe2\x82\xac", 3, 0x20AC},
        {"\xf0\x9f\x98\x80", 4, 0x1F600},
        {"\xf4\x8f\xbf\xbf", 4, 0x10FFFF},
        {"\xef\xbb\xbf", 3, 0xFEFF},
        {"\x80", 1, JSON_UTF8_INVALID},           /* lone continuation */
        {"\xc0\xaf", 1, JSON_UTF8_INVALID},       /* overlong lead */
        {"\xe0\x80\x80", 1, JSON_UTF8_INVALID},   /* overlong: second byte out of range */
        {"\xed\xa0\x80", 1, JSON_UTF8_INVALID},   /* surrogate */
        {"\xf4\x90\x80\x80", 1, JSON_UTF8_INVALID},
        {"\xe2\x82", 2, JSON_UTF8_INVALID},       /* cut short: both bytes are one subpart */
        {"\xe2\x82z", 2, JSON_UTF8_INVALID},
        {"\xf0\x9f\x98", 3, JSON_UTF8_INVALID},
        {"\xf8\x88\x80\x80\x80", 1, JSON_UTF8_INVALID},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t cp;
        size_t n = json_utf8_next((const unsigned char *)cases[i].s, strlen(cases[i].s), &cp);
        cr_assert(n == cases[i].len && cp == cases[i].cp, "case %zu: %zu bytes, U+%X", i, n, (unsigned)cp);
    }
}

Test(json, scanner_tokens_and_offsets)
{
    const char *text = "{\"k\": [\"a\\u00e9\", 12.5, true, null, {}], \"z\": false}";
    struct json_scan sc;
    json_scan_init(&sc, text, strlen(text), 0, true);
    static const struct {
        enum json_token t;
        size_t at;
        const char *str;
    } want[] = {
        {JSON_TOKEN_OBJECT, 0, NULL}, {JSON_TOKEN_KEY, 1, "k"},      {JSON_TOKEN_ARRAY, 6, NULL},
        {JSON_TOKEN_STRING, 7, "a\xc3\xa9"}, {JSON_TOKEN_NUMBER, 18, "12.5"}, {JSON_TOKEN_TRUE, 24, NULL},
        {JSON_TOKEN_NULL, 30, NULL},  {JSON_TOKEN_OBJECT, 36, NULL}, {JSON_TOKEN_END, 37, NULL},
        {JSON_TOKEN_END, 38, NULL},   {JSON_TOKEN_KEY, 41, "z"},      {JSON_TOKEN_FALSE, 46, NULL},
        {JSON_TOKEN_END, 51, NULL},   {JSON_TOKEN_EOF, 52, NULL},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        enum json_token t = json_scan_next(&sc);
        cr_assert(t == want[i].t && sc.start == want[i].at, "token %zu: %d at %zu", i, (int)t, sc.start);
        if (want[i].str) {
            cr_assert_eq(sc.str_len, strlen(want[i].str));
            cr_assert(memcmp(sc.str, want[i].str, sc.str_len) == 0, "token %zu's text", i);
        }
    }
    cr_assert_eq(json_scan_next(&sc), JSON_TOKEN_EOF, "and stays at the end");
    json_scan_free(&sc);
}

/* The relaxations are cJSON's: each lets through what cJSON takes. */
Test(json, lax_flags_are_what_cjson_accepts)
{
    static const struct {
        const char *text;
        unsigned flag;
        enum json_fault strict;
    } cases[] = {
        {"[0064]", JSON_LAX_NUMBERS, JSON_FAULT_NUMBER},
        {"[64.]", JSON_LAX_NUMBERS, JSON_FAULT_NUMBER},
        {"[-.5]", JSON_LAX_NUMBERS, JSON_FAULT_NUMBER},
        {"[1,\x0b 2]", JSON_LAX_SPACE, JSON_FAULT_SPACE},
        {"[\"\\uZZZZ\"]", JSON_LAX_STRINGS, JSON_FAULT_HEX},
        {"[\"a\\u0000b\"]", JSON_LAX_STRINGS, JSON_FAULT_U0000},
        {"[\"a\tb\"]", JSON_LAX_STRINGS, JSON_FAULT_CONTROL},
        {"[\"\xc0\xaf\"]", JSON_LAX_STRINGS, JSON_FAULT_UTF8},
        {"\xef\xbb\xbf\xef\xbb\xbf[1]", JSON_LAX_BOM, JSON_FAULT_BOM},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *t = cases[i].text;
        size_t len = strlen(t), bom = json_bom_length(t, len);
        struct json_scan sc;
        cr_assert_not(json_scan_text(t, len, 0, &sc), "strict refuses %zu", i);
        cr_assert_eq(sc.fault, cases[i].strict, "case %zu: fault %d", i, (int)sc.fault);
        cr_assert(json_scan_text(t, len, cases[i].flag, NULL), "the flag lets %zu through", i);
        cJSON *c = cJSON_ParseWithLength(t + bom, len - bom);
        cr_assert_not_null(c, "and cJSON takes %zu", i);
        cJSON_Delete(c);
    }
    /* 33 levels: past ours, within cJSON's */
    char deep[67];
    memset(deep, '[', 33);
    memset(deep + 33, ']', 33);
    cr_assert_not(json_scan_text(deep, 66, 0, NULL));
    cr_assert(json_scan_text(deep, 66, JSON_LAX_DEPTH, NULL));
    /* what cJSON refuses, the lax scanner refuses too */
    cr_assert_not(json_scan_text("[1,]", 4, JSON_LAX_ALL, NULL));
    cr_assert_not(json_scan_text("[\"\\x\"]", 6, JSON_LAX_ALL, NULL));
    cr_assert_not(json_scan_text("[\"\\uDC00\"]", 10, JSON_LAX_ALL, NULL));
    cr_assert_not(json_scan_text("[+1]", 4, JSON_LAX_ALL, NULL));
}

Test(json, the_items_of_a_top_level_array_member)
{
    const char *t = "{\"a\": [9], \"steps\": [ {\"op\": 1} ,\n\t[2, 3], \"x\" ], \"z\": {\"steps\": []}}";
    struct json_span *items = NULL, array;
    size_t n = 0;
    cr_assert(json_array_items(t, strlen(t), "steps", 100, &items, &n, &array));
    cr_assert_eq(n, 3u);
    cr_assert_eq(t[array.start], '[');
    cr_assert_eq(t[array.end - 1], ']');
    static const char *const want[] = {"{\"op\": 1}", "[2, 3]", "\"x\""};
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(items[i].end - items[i].start, strlen(want[i]), "item %zu", i);
        cr_assert(memcmp(t + items[i].start, want[i], strlen(want[i])) == 0, "item %zu", i);
    }
    free(items);
    /* past max the items are counted, not kept; the last kept one ends right */
    cr_assert(json_array_items(t, strlen(t), "steps", 2, &items, &n, &array));
    cr_assert_eq(n, 3u);
    cr_assert_eq(items[1].end - items[1].start, 6u);
    free(items);
    /* not there, not an array, not strict JSON, not an object: false */
    cr_assert_not(json_array_items(t, strlen(t), "nope", 100, &items, &n, &array));
    cr_assert_not(json_array_items("{\"steps\": 1}", 12, "steps", 100, &items, &n, &array));
    cr_assert_not(json_array_items("{\"steps\": [1,]}", 15, "steps", 100, &items, &n, &array));
    cr_assert_not(json_array_items("[{\"steps\": []}]", 15, "steps", 100, &items, &n, &array));
}

/* The tree json_parse and json_parse_scanned build is cJSON's own, node for
 * node, so that every cJSON function reads it as it reads its own. */
static void same_as_cjson(const cJSON *mine, const cJSON *theirs, const char *text)
{
    for (; mine || theirs; mine = mine->next, theirs = theirs->next) {
        cr_assert(mine && theirs, "as many items, for %s", text);
        cr_assert_eq(mine->type, theirs->type, "for %s", text);
        cr_assert_str_eq(mine->string ? mine->string : "(none)", theirs->string ? theirs->string : "(none)",
                         "key, for %s", text);
        cr_assert_str_eq(mine->valuestring ? mine->valuestring : "(none)",
                         theirs->valuestring ? theirs->valuestring : "(none)", "string, for %s", text);
        cr_assert(memcmp(&mine->valuedouble, &theirs->valuedouble, sizeof mine->valuedouble) == 0,
                  "number %g, not %g, for %s", mine->valuedouble, theirs->valuedouble, text);
        cr_assert_eq(mine->valueint, theirs->valueint, "valueint, for %s", text);
        cr_assert_eq(!mine->child, !theirs->child, "for %s", text);
        if (mine->child) {
            const cJSON *a = mine->child, *b = theirs->child;
            while (a->next && b->next) {
                a = a->next;
                b = b->next;
            }
            cr_assert_eq(mine->child->prev == a, theirs->child->prev == b, "the first item's prev, for %s", text);
            same_as_cjson(mine->child, theirs->child, text);
        }
    }
}

Test(json, trees_are_cjsons_and_scanned_text_builds_the_same)
{
    static const char *const texts[] = {
        "{\"op\": \"write\", \"process\": \"a\", \"address\": \"0x01000000\", \"value\": 12}",
        " {\"a\": [1, -0, 0.5, 1e3, 2E-2, -12.5e+7, 3000000000, -3000000000, true, false, null], \"b\": {}, \"c\": []}",
        "{\"k\\u00e9y\": \"\\\"quoted\\\" \\\\ \\/ \\ud83d\\ude00 caf\xc3\xa9\", \"\": \"\", \"x\": [[], [{}], \"\\n\"]}",
        "\xef\xbb\xbf[\"after the mark\", {\"a\": 1, \"a\": 2}]",
        "42",
    };
    struct json_doc doc = {0};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        cJSON *theirs = cJSON_Parse(texts[i] + json_bom_length(texts[i], strlen(texts[i])));
        cr_assert(theirs, "cJSON refuses %s", texts[i]);
        struct json_doc fresh;
        same_as_cjson(parsed(&fresh, texts[i]), theirs, texts[i]);
        json_free(&fresh);
        /* the same text, known to be valid, into the memory of the one before */
        struct json_where w;
        char msg[300];
        cr_assert(json_parse_scanned(&doc, texts[i], strlen(texts[i]), &w, msg, sizeof msg), "%s", msg);
        same_as_cjson(doc.root, theirs, texts[i]);
        w = json_where(&doc, doc.root, false);
        cr_assert(w.line == 1 && w.col == (i == 1 ? 2u : 1u), "the root of %s at %u:%u", texts[i], w.line, w.col);
        cJSON_Delete(theirs);
    }
    /* positions inside a tree read into reused memory are its own */
    const char *two = "{\"a\": 1,\n \"bb\": [2]}";
    struct json_where w;
    char msg[300];
    cr_assert(json_parse_scanned(&doc, two, strlen(two), &w, msg, sizeof msg));
    w = json_where(&doc, json_member(doc.root, "bb"), true);
    cr_assert(w.line == 2 && w.col == 2, "at %u:%u", w.line, w.col);
    w = json_where(&doc, json_member(doc.root, "bb")->child, false);
    cr_assert(w.line == 2 && w.col == 9, "at %u:%u", w.line, w.col);
    json_free(&doc);
}

Test(json, members_are_found_as_cjson_finds_them)
{
    struct json_doc doc;
    cJSON *r = parsed(&doc, "{\"ab\": 1, \"a\": 2, \"b\": 3, \"a\": 4, \"\": 5, \"B\": 6}");
    static const char *const keys[] = {"a", "ab", "b", "B", "", "c", "A"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        cr_assert_eq(json_member(r, keys[i]), cJSON_GetObjectItemCaseSensitive(r, keys[i]), "key '%s'", keys[i]);
    cr_assert_null(json_member(r->child, "a"), "a number has no members");
    cr_assert_null(json_member(NULL, "a"));
    json_free(&doc);
}
