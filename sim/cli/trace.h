/*
 * trace.h - the trace subcommand of mmsim: trace_main takes the arguments
 * after "trace" and returns the exit status (0, 2 bad input, 3 the engine
 * refused a reference).
 */
#ifndef MMSIM_CLI_TRACE_H
#define MMSIM_CLI_TRACE_H

extern const char trace_usage[];

int trace_main(int argc, char **argv);

#endif
