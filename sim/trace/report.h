/*
 * report.h - what mmsim trace prints: the summary (text, ending with
 * OSTEP's FINALSTATS line, or one JSON object), a line per reference in
 * the manner of paging-policy.py -c (and with -v what the engine did for
 * it), and the miss curve of a sweep over cache sizes.
 */
#ifndef MMSIM_TRACE_REPORT_H
#define MMSIM_TRACE_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "driver.h"

void report_summary(FILE *out, const struct trace_set *set, const struct trace_result *res);
void report_summary_json(FILE *out, const struct trace_set *set, const struct trace_result *res);

/* One reference: "Access: 7  MISS FirstIn ->    [3, 5, 7] <- Lastin  Replaced:1
 * [Hits:3 Misses:5]" with pages as the trace names them, for FIFO and LRU
 * the very line paging-policy.py -c prints (verbose adds lines of what the
 * engine did); or one JSON object. */
void report_step(FILE *out, const struct mm_machine *m, const struct trace_set *set, const struct trace_step *s,
                 enum mm_policy policy, bool verbose, bool json);

/* Misses for each policy at each cache size: misses[p * sizes + i]. */
struct trace_sweep {
    const uint32_t *cache;
    uint32_t sizes;
    const enum mm_policy *policy;
    uint32_t policies;
    const uint64_t *misses;
    uint64_t touches;   /* page references, the same at every size */
};

void report_sweep(FILE *out, const struct trace_set *set, const struct trace_sweep *sw);
/* plot: the file the SVG plot was written to. */
void report_sweep_json(FILE *out, const struct trace_set *set, const struct trace_sweep *sw, const char *plot);
/* The miss curve as an SVG plot; false on a write error (without host
 * memory for its points, the program exits with status 3). */
bool report_sweep_svg(FILE *out, const struct trace_set *set, const struct trace_sweep *sw);

#endif
