/*
 * ntcmd.h - the memory-list subcommands of mmsim: lists, purge (ntcmd.c)
 * and compare (compare.c). Each takes the arguments after its name and
 * returns the exit status:
 *
 *   0  done (compare: it printed what could run here: both sides, the
 *      real side read only, or the simulated side alone off Windows)
 *   2  bad arguments, or an operation the simulator cannot run
 *   3  internal error (the simulated machine could not be built)
 *   4  lists/purge --real: no real backend here (not Windows, or the
 *      32-bit mmsim.exe on 64-bit Windows)
 *   5  a real query or operation failed or was not sent (not elevated,
 *      access denied, not supported, Wine...): what and what to do are
 *      printed
 */
#ifndef MMSIM_CLI_NTCMD_H
#define MMSIM_CLI_NTCMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "marshal.h"

#define NTCMD_EXIT_INTERNAL 3
#define NTCMD_EXIT_NO_REAL 4
#define NTCMD_EXIT_REAL_FAILED 5

extern const char ntcmd_usage_lists[];
extern const char ntcmd_usage_purge[];
extern const char ntcmd_usage_compare[];

int ntcmd_lists(int argc, char **argv);
int ntcmd_purge(int argc, char **argv);
int ntcmd_compare(int argc, char **argv);

/* compare's work once its arguments are parsed: `real` is the real
 * backend (NULL when there is none, `why` saying why); the real
 * commands run only when `yes`; the table or JSON goes to out, messages
 * to stderr; the exit status comes back. */
struct nt_backend;
int ntcmd_compare_run(FILE *out, struct nt_backend *real, const char *why, const enum nt_op *ops, size_t n,
                      bool yes, bool json);

#endif
