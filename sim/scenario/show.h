/*
 * show.h - showing text that comes from outside (a scenario's name, title,
 * description and notes, a file name, a word typed in step mode, a
 * command-line argument) on a terminal. Such text can hold anything: an
 * ESC that would reach the terminal and move its cursor or change its
 * colours, other control characters, bytes that are not UTF-8. Every
 * place that prints it goes through these functions.
 *
 * Printable ASCII and well-formed UTF-8 from U+00A0 on are shown as they
 * are; every other byte (C0 controls, DEL, the two bytes of a C1 control,
 * stray, overlong, surrogate or truncated sequences) as \xHH.
 */
#ifndef MMSIM_SHOW_H
#define MMSIM_SHOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Most bytes one byte of input becomes: "\xHH". */
#define SHOW_EXPANSION 4u

/* Writes the first `len` bytes of s, escaped, into out (size bytes, always
 * NUL-terminated; size >= 8). Shows at most `max` bytes of s: past them,
 * and wherever out is full, "..." marks the cut, which never splits an
 * escape or a character. Returns out. With max = len and size at least
 * len * SHOW_EXPANSION + 4 nothing is cut. */
const char *show_text(const char *s, size_t len, size_t max, char *out, size_t size);

/* Writes the first `len` bytes of s to f, escaped, whole. Returns the
 * number of columns written (bytes, a UTF-8 character counting one). */
size_t show_write(FILE *f, const char *s, size_t len);

/* The columns show_write would take for s (len bytes), without writing. */
size_t show_columns(const char *s, size_t len);

/* The same for a whole NUL-terminated string. */
size_t show_fputs(FILE *f, const char *s);

/* printf to f with the whole text escaped, but for one newline at its
 * very end: for a message that quotes outside text, of any length.
 * Returns false when it could not be formatted. */
bool show_printf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Whether s (len bytes) would be shown as it is. */
bool show_is_plain(const char *s, size_t len);

#endif
