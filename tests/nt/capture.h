/*
 * capture.h - run an mmsim subcommand in the test process with its
 * standard output and standard error captured to strings.
 */
#ifndef MMSIM_TESTS_NT_CAPTURE_H
#define MMSIM_TESTS_NT_CAPTURE_H

/* Run fn(argc, argv) (argv NULL-terminated, counted by capture) with
 * stdout and stderr going to temporary files; *out and *err (malloc'd,
 * the caller frees) get what was written. Returns fn's exit status. */
int capture(int (*fn)(int argc, char **argv), const char *const *argv, char **out, char **err);

#endif
