/*
 * fuzz_parse.c - the number, size and protection parsers and the name
 * suggester on arbitrary text. Accepted values must respect their limits
 * and round-trip where they can; refusals must say why, and a field's
 * refusal must name the field's limits, never an internal one.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "pte.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* Does a message give 2^64 - 1 (the parsers' own limit) as a limit,
 * without the input having said it? */
static bool internal_limit(const char *why, const char *input)
{
    static const char *const limits[] = {"at most 18446744073709551615", "at most 0xFFFFFFFFFFFFFFFF",
                                         "at most 16777215T", "to 18446744073709551615", "at most 16383P"};
    for (int i = 0; i < 5; i++)
        if (strstr(why, limits[i]) && !strstr(input, limits[i]))
            return true;
    return false;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char s[128];
    if (size >= sizeof s)
        size = sizeof s - 1;
    memcpy(s, data, size);
    s[size] = '\0';
    char why[200];
    uint64_t v;
    uint32_t p;

    why[0] = '\0';
    if (parse_number(s, 0xFFFFFFFFu, &v, why, sizeof why)) {
        if (v > 0xFFFFFFFFu)
            abort();
        char back[32];
        snprintf(back, sizeof back, "%" PRIu64, v);
        uint64_t again;
        if (!parse_number(back, 0xFFFFFFFFu, &again, why, sizeof why) || again != v)
            abort();
    } else if (!why[0]) {
        abort();
    }
    why[0] = '\0';
    if (parse_size(s, 1ull << 32, &v, why, sizeof why)) {
        if (v > 1ull << 32)
            abort();
    } else if (!why[0]) {
        abort();
    }
    why[0] = '\0';
    if (parse_protection(s, &p, why, sizeof why)) {
        uint32_t mask = prot_from_win32(p);
        if (mask != MM_INVALID_PROTECTION && mask > 0x1F)
            abort();
    } else if (!why[0]) {
        abort();
    }
    /* a field from 16 to 1048576 (frames), as text and as a JSON number */
    for (int sized = 0; sized < 2; sized++) {
        why[0] = '\0';
        if (parse_field(s, sized, 16, 1048576, &v, why, sizeof why)) {
            if (v < 16 || v > 1048576)
                abort();
        } else if (!why[0] || internal_limit(why, s)) {
            abort();
        }
    }
    if (size >= sizeof(double)) {
        double d;
        memcpy(&d, data, sizeof d);
        why[0] = '\0';
        if (parse_field_double(d, false, 16, 1048576, &v, why, sizeof why)) {
            if (v < 16 || v > 1048576 || (double)v != d)
                abort();
        } else if (!why[0] || internal_limit(why, "")) {
            abort();
        }
    }
    static const char *const names[] = {"commit", "decommit", "reserve", "release", "PAGE_READWRITE"};
    const char *hint = parse_suggest(s, names, 5);
    if (hint && parse_lookup(hint, names, 5) < 0)
        abort();
    return 0;
}
