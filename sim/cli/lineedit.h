/*
 * lineedit.h - reading step mode's commands, one line at a time. On a
 * terminal the line can be edited (arrow keys, Home, End, Ctrl-W...) and
 * earlier commands come back with Up and Down, through libedit (see
 * docs/dependencies.md); from a pipe or a file, lines are read as they
 * are, which is how the tests drive step mode. Either way a line never
 * holds an escape sequence (an arrow key typed where no editing is
 * offered) or a NUL byte.
 */
#ifndef MMSIM_CLI_LINEEDIT_H
#define MMSIM_CLI_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct line_reader;

/* A reader of `in`, prompting on `out` when both are a terminal (with
 * editing and history when mmsim was built with libedit). NULL only when
 * out of memory. */
struct line_reader *line_reader_open(FILE *in, FILE *out, FILE *err);
/* Whether the reader prompts (its input is a terminal). */
bool line_reader_interactive(const struct line_reader *lr);
/* Show `prompt` (when interactive) and read one line into buf, without
 * its newline, as at most size - 1 bytes. Returns false at the end of the
 * input. A line longer than that, or holding a NUL byte, is read to its
 * end and refused: *why says so and buf is empty; otherwise *why is NULL.
 * Escape sequences (ESC [ ... final byte, ESC O x) are taken out. */
bool line_reader_get(struct line_reader *lr, const char *prompt, char *buf, size_t size, const char **why);
void line_reader_close(struct line_reader *lr);

/* Take the terminal escape sequences out of s, in place. */
void line_strip_escapes(char *s);

#endif
