/*
 * parse.h - the small languages inside scenario files and command lines:
 * numbers ("4096", "0x1000"), sizes ("16K", "4M", "0x2000"), protections
 * ("PAGE_READWRITE|PAGE_GUARD") and names with "did you mean" hints.
 * Every parser says exactly what was wrong in `why`.
 */
#ifndef MMSIM_SCENARIO_PARSE_H
#define MMSIM_SCENARIO_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A non-negative integer: decimal or 0x-hex, at most `max` ("'0x1F0000'
 * is too large (at most 0xFFFF)", the limit in the base the text used; a
 * negative one: "'-1' is negative: give a number from 0 to 4096"). */
bool parse_number(const char *s, uint64_t max, uint64_t *out, char *why, size_t why_size);
/* A byte count: decimal with an optional K, M or G suffix (powers of 1024,
 * either case), or 0x-hex without one; at most `max` bytes ("'5G' is too
 * large (at most 4G)"). Anything else says what a size looks like. */
bool parse_size(const char *s, uint64_t max, uint64_t *out, char *why, size_t why_size);

/* A field's value from min to max, written as text (a number, or with
 * sized a size). Every refusal names the field's own limits: "70000
 * (0x11170) is out of range: expected 0 to 65535", "'4M' is out of range:
 * expected 64K to 1M", and for a value past 2^64 "'99999999999999999999' is
 * too large (at most 65535)". */
bool parse_field(const char *s, bool sized, uint64_t min, uint64_t max, uint64_t *out, char *why, size_t why_size);
/* The same for a JSON number (cJSON's double): "expected a whole number,
 * found 64.5", "-3 is out of range: expected 1 to 100000", "1e+20 is too
 * large (at most 1048576)". */
bool parse_field_double(double d, bool sized, uint64_t min, uint64_t max, uint64_t *out, char *why,
                        size_t why_size);
/* A field's bounds [min, max] as its messages show them ("64K", "0x7FF",
 * "1048576"), into lo and hi (size bytes each): only a message needs them. */
void parse_field_limits(bool sized, uint64_t min, uint64_t max, char *lo, char *hi, size_t size);
/* PAGE_* names joined by '|' (or a number), to the Win32 flags. */
bool parse_protection(const char *s, uint32_t *out, char *why, size_t why_size);

/* The index of `name` in names[0..n), or -1. */
int parse_lookup(const char *name, const char *const *names, size_t n);
/* The closest of names[0..n) to `name` when close enough to be a typo
 * (edit distance at most 2, or a prefix), else NULL. */
const char *parse_suggest(const char *name, const char *const *names, size_t n);

#endif
