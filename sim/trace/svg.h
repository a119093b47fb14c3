/*
 * svg.h - a line plot as an SVG file: axes with round-numbered ticks, one
 * polyline (with a dot per point) for each series, a legend and a title.
 * The output depends on nothing but the arguments: no fonts are measured,
 * no clock or locale is read, so a plot can be compared byte for byte.
 */
#ifndef MMSIM_TRACE_SVG_H
#define MMSIM_TRACE_SVG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct svg_series {
    const char *name;
    const double *y;    /* one value per x */
};

/* Plot the series over x[0..n) (increasing) to out; false on a write error. */
bool svg_plot(FILE *out, const char *title, const char *x_label, const char *y_label, const double *x, uint32_t n,
              const struct svg_series *series, uint32_t count);

/* The tick spacing for a range of `span` with about `want` ticks: 1, 2 or
 * 5 times a power of ten (1 at the least). */
double svg_tick_step(double span, unsigned want);

#endif
