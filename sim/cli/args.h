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

/* The command line with each option's value as a word of its own, for
 * parsers that take a value from the next word: "--cache=4" becomes
 * "--cache" "4" and "-C4" becomes "-C" "4", for the options named in
 * `takes` (those that take a value, long and short), so that every
 * command accepts the three forms. The word after such an option given
 * alone is its value and is never split, whatever it looks like ("--svg
 * -C.svg"). Other words are kept as they are (an unknown "--foo=1", and
 * "--cache=" with no value, are reported whole), and nothing after "--"
 * is split. Returns a new array of *out_argc words (its strings point into
 * argv and into `takes`), to be freed; NULL when memory runs out. */
char **args_split_values(int argc, char **argv, const char *const *takes, size_t ntakes, int *out_argc);
/* parse(argc, argv, ctx) over the command line split by args_split_values;
 * what parse returns. Stops the program if memory runs out. */
bool args_parse_split(int argc, char **argv, const char *const *takes, size_t ntakes,
                      bool (*parse)(int argc, char **argv, void *ctx), void *ctx);

/* The known option an unknown one was probably meant to be, or NULL: a
 * "--name=VALUE" is compared by its name. */
const char *args_suggest_option(const char *arg, const char *const *known, size_t n);

/* An option that takes one value, met on the command line: the first time
 * its value is kept in *seen (the caller's slot for the option, NULL until
 * then, shared by its long and short names); a second time it is refused
 * on standard error as "PROG: OPT is given twice (V1, then V2); give it
 * once" and false is returned. The same value twice is refused too: every
 * command takes an option's value once rather than guess which one was
 * meant. */
bool args_once(const char *prog, const char *opt, const char *value, const char **seen);

/* How many of the n files are '-' (standard input, which can be read
 * only once). */
unsigned args_stdin_count(const char *const *files, size_t n);

/* The line that ends every refusal of a command line, on standard error:
 * "run 'mmsim COMMAND --help' for the options"; with command NULL (a
 * refusal of mmsim's own words: no such command, help of one), "run
 * 'mmsim --help' for the commands". */
void args_usage_hint(const char *command);

#endif
