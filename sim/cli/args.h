/*
 * args.h - showing a command-line argument in a message. An argument can
 * hold anything: control characters (an ESC would reach the terminal),
 * bytes that are not UTF-8, thousands of characters. Messages show it
 * through args_show, never raw.
 */
#ifndef MMSIM_CLI_ARGS_H
#define MMSIM_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>

/* Longest argument shown in full, in bytes of the original. */
#define ARGS_SHOW_MAX 64u
/* A buffer that holds any args_show result. */
#define ARGS_SHOW_SIZE (ARGS_SHOW_MAX * 4u + 8u)

/* Write `arg` (its first `len` bytes) into buf as a message may show it:
 * printable ASCII and well-formed UTF-8 from U+00A0 on as they are,
 * every other byte as \xHH, and past ARGS_SHOW_MAX bytes a "..." at the
 * cut. size should be ARGS_SHOW_SIZE. Returns buf. */
const char *args_show_n(const char *arg, size_t len, char *buf, size_t size);
/* The same for a whole NUL-terminated argument. */
const char *args_show(const char *arg, char *buf, size_t size);

/* Whether an output file named on the command line can be written, asked
 * before any work is done, so that a long run is not wasted on a path
 * that leads nowhere: an existing file must be writable and not a
 * directory, a new one's directory writable. False with the reason
 * ("is a directory", strerror's) in why. */
bool args_can_write(const char *path, char *why, size_t size);

#endif
