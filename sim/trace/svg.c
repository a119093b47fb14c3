/*
 * svg.c - the miss-curve plot. A few dozen SVG elements written by hand:
 * see docs/trace.md for why no plotting library is used.
 */
#include "svg.h"

#define WIDTH 720.0
#define HEIGHT 440.0
#define LEFT 80.0
#define RIGHT 170.0     /* room for the legend */
#define TOP 50.0
#define BOTTOM 60.0

static const char *const colors[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

double svg_tick_step(double span, unsigned want)
{
    if (span <= 0 || want == 0)
        return 1;
    double raw = span / want, p = 1;
    while (p * 10 <= raw)
        p *= 10;
    double step = raw <= p ? p : raw <= 2 * p ? 2 * p : raw <= 5 * p ? 5 * p : 10 * p;
    return step < 1 ? 1 : step;
}

/* The smallest multiple of step at or above v (v >= 0). */
static double round_up(double v, double step)
{
    double k = (double)(uint64_t)(v / step);
    return k * step < v - 1e-9 ? (k + 1) * step : k * step;
}

static void text(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s >= 0x20 && *s < 0x7F ? *s : '?', out); break;
        }
    }
}

struct frame {
    double x0, x1, y0, y1;   /* data range */
};

static double px(const struct frame *f, double x)
{
    return LEFT + (f->x1 > f->x0 ? (x - f->x0) / (f->x1 - f->x0) : 0.5) * (WIDTH - LEFT - RIGHT);
}

static double py(const struct frame *f, double y)
{
    return HEIGHT - BOTTOM - (f->y1 > f->y0 ? (y - f->y0) / (f->y1 - f->y0) : 0.5) * (HEIGHT - TOP - BOTTOM);
}

static void axes(FILE *out, const struct frame *f, const char *x_label, const char *y_label)
{
    double xs = svg_tick_step(f->x1 - f->x0, 8), ys = svg_tick_step(f->y1 - f->y0, 6);
    fprintf(out, "<g stroke=\"#ccc\" stroke-width=\"1\">\n");
    for (double y = round_up(f->y0, ys); y <= f->y1 + 1e-9; y += ys)
        fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", LEFT, py(f, y), WIDTH - RIGHT,
                py(f, y));
    fprintf(out, "</g>\n<g stroke=\"#000\" stroke-width=\"1\">\n");
    fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", LEFT, HEIGHT - BOTTOM,
            WIDTH - RIGHT, HEIGHT - BOTTOM);
    fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", LEFT, TOP, LEFT, HEIGHT - BOTTOM);
    fprintf(out, "</g>\n<g font-family=\"sans-serif\" font-size=\"12\" fill=\"#000\">\n");
    for (double x = round_up(f->x0, xs); x <= f->x1 + 1e-9; x += xs)
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.0f</text>\n", px(f, x),
                HEIGHT - BOTTOM + 18, x);
    for (double y = round_up(f->y0, ys); y <= f->y1 + 1e-9; y += ys)
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>\n", LEFT - 6, py(f, y) + 4, y);
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", (LEFT + WIDTH - RIGHT) / 2,
            HEIGHT - 18);
    text(out, x_label);
    fprintf(out, "</text>\n<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 18 %.1f)\">",
            (TOP + HEIGHT - BOTTOM) / 2, (TOP + HEIGHT - BOTTOM) / 2);
    text(out, y_label);
    fprintf(out, "</text>\n</g>\n");
}

bool svg_plot(FILE *out, const char *title, const char *x_label, const char *y_label, const double *x, uint32_t n,
              const struct svg_series *series, uint32_t count)
{
    struct frame f = {x[0], x[n - 1], 0, 1};
    for (uint32_t s = 0; s < count; s++)
        for (uint32_t i = 0; i < n; i++)
            if (series[s].y[i] > f.y1)
                f.y1 = series[s].y[i];
    f.y1 = round_up(f.y1, svg_tick_step(f.y1, 6));
    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n",
            WIDTH, HEIGHT, WIDTH, HEIGHT);
    fprintf(out, "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n");
    fprintf(out, "<text x=\"%.1f\" y=\"28\" font-family=\"sans-serif\" font-size=\"15\" text-anchor=\"middle\">",
            (LEFT + WIDTH - RIGHT) / 2);
    text(out, title);
    fprintf(out, "</text>\n");
    axes(out, &f, x_label, y_label);
    for (uint32_t s = 0; s < count; s++) {
        const char *color = colors[s % (sizeof colors / sizeof colors[0])];
        fprintf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", color);
        for (uint32_t i = 0; i < n; i++)
            fprintf(out, "%s%.1f,%.1f", i ? " " : "", px(&f, x[i]), py(&f, series[s].y[i]));
        fprintf(out, "\"/>\n");
        if (n <= 128) {
            fprintf(out, "<g fill=\"%s\">\n", color);
            for (uint32_t i = 0; i < n; i++)
                fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\"/>\n", px(&f, x[i]), py(&f, series[s].y[i]));
            fprintf(out, "</g>\n");
        }
        double ly = TOP + 10 + 22.0 * s;
        fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>\n",
                WIDTH - RIGHT + 20, ly, WIDTH - RIGHT + 45, ly, color);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-family=\"sans-serif\" font-size=\"12\">", WIDTH - RIGHT + 52,
                ly + 4);
        text(out, series[s].name);
        fprintf(out, "</text>\n");
    }
    fprintf(out, "</svg>\n");
    return !ferror(out);
}
