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

/* A non-negative integer: decimal or 0x-hex, at most `max`. */
bool parse_number(const char *s, uint64_t max, uint64_t *out, char *why, size_t why_size);
/* A byte count: a number with an optional K, M or G suffix (powers of 1024). */
bool parse_size(const char *s, uint64_t max, uint64_t *out, char *why, size_t why_size);
/* PAGE_* names joined by '|' (or a number), to the Win32 flags. */
bool parse_protection(const char *s, uint32_t *out, char *why, size_t why_size);

/* The index of `name` in names[0..n), or -1. */
int parse_lookup(const char *name, const char *const *names, size_t n);
/* The closest of names[0..n) to `name` when close enough to be a typo
 * (edit distance at most 2, or a prefix), else NULL. */
const char *parse_suggest(const char *name, const char *const *names, size_t n);

#endif
