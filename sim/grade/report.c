/*
 * report.c - a graded result and its three written forms (report.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "report.h"
#include "show.h"

bool grade_format_from_name(const char *name, enum grade_format *out)
{
    static const char *const names[GRADE_FORMAT_COUNT] = {"human", "tap", "gradescope"};
    for (unsigned i = 0; i < GRADE_FORMAT_COUNT; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (enum grade_format)i;
            return true;
        }
    return false;
}

static char *copy(const char *s)
{
    size_t n = strlen(s);
    char *c = malloc(n + 1);
    if (c)
        memcpy(c, s, n + 1);
    return c;
}

void grade_report_init(struct grade_report *r, const char *title)
{
    memset(r, 0, sizeof *r);
    r->title = copy(title ? title : "");
    if (!r->title)
        r->oom = true;
}

/* The output kept: cut at GRADE_MAX_OUTPUT bytes, at a line's end if one
 * is near, with a line that says so. */
static char *keep_output(const char *s)
{
    static const char note[] = "[the output goes on; the rest is cut]\n";
    size_t n = strlen(s);
    if (n <= GRADE_MAX_OUTPUT)
        return copy(s);
    size_t keep = GRADE_MAX_OUTPUT;
    while (keep > GRADE_MAX_OUTPUT - 200 && s[keep - 1] != '\n')
        keep--;
    if (s[keep - 1] != '\n')
        keep = GRADE_MAX_OUTPUT;
    bool newline = s[keep - 1] != '\n';
    char *c = malloc(keep + newline + sizeof note);
    if (c) {
        memcpy(c, s, keep);
        if (newline)
            c[keep] = '\n';
        memcpy(c + keep + newline, note, sizeof note);
    }
    return c;
}

bool grade_report_add(struct grade_report *r, const char *name, double score, double max_score,
                      const char *output, const char *visibility)
{
    if (r->count == r->cap) {
        uint32_t cap = r->cap ? r->cap * 2 : 16;
        struct grade_test *t = realloc(r->test, cap * sizeof *t);
        if (!t) {
            r->oom = true;
            return false;
        }
        r->test = t;
        r->cap = cap;
    }
    struct grade_test *t = &r->test[r->count];
    t->name = copy(name);
    t->output = keep_output(output ? output : "");
    t->visibility = visibility ? copy(visibility) : NULL;
    t->score = score;
    t->max_score = max_score;
    if (!t->name || !t->output || (visibility && !t->visibility)) {
        free(t->name);
        free(t->output);
        free(t->visibility);
        r->oom = true;
        return false;
    }
    r->count++;
    return true;
}

double grade_report_score(const struct grade_report *r)
{
    double s = 0;
    for (uint32_t i = 0; i < r->count; i++)
        s += r->test[i].score;
    return s;
}

double grade_report_max(const struct grade_report *r)
{
    double s = 0;
    for (uint32_t i = 0; i < r->count; i++)
        s += r->test[i].max_score;
    return s;
}

int grade_report_status(const struct grade_report *r)
{
    return grade_report_score(r) >= grade_report_max(r) && !r->oom ? 0 : 1;
}

void grade_report_free(struct grade_report *r)
{
    for (uint32_t i = 0; i < r->count; i++) {
        free(r->test[i].name);
        free(r->test[i].output);
        free(r->test[i].visibility);
    }
    free(r->test);
    free(r->title);
    memset(r, 0, sizeof *r);
}

/* A score as people write it: "10", "2.5", "0.33". */
static const char *points(double v, char *buf, size_t size)
{
    double rounded = (double)(long long)(v * 100.0 + (v < 0 ? -0.5 : 0.5)) / 100.0;
    if (rounded == (double)(long long)rounded)
        snprintf(buf, size, "%lld", (long long)rounded);
    else
        snprintf(buf, size, "%.2f", rounded);
    size_t n = strlen(buf);
    if (strchr(buf, '.') && buf[n - 1] == '0')
        buf[n - 1] = '\0';
    return buf;
}

/* Each line of text with a prefix, escaped (show.h): the text comes from
 * files and from the code under test, and an ESC or a carriage return in
 * it must not reach the terminal or forge a line of the report. */
static void lines(FILE *out, const char *prefix, const char *text)
{
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        fputs(prefix, out);
        show_write(out, p, len);
        fputc('\n', out);
        p += len + (nl ? 1 : 0);
    }
}

static void write_human(const struct grade_report *r, FILE *out)
{
    char a[32], b[32];
    if (r->title[0]) {
        fputs("== ", out);
        show_fputs(out, r->title);
        fputs(" ==\n", out);
    }
    for (uint32_t i = 0; i < r->count; i++) {
        const struct grade_test *t = &r->test[i];
        const char *verdict = t->score >= t->max_score ? "OK" : t->score > 0 ? "PARTIAL" : "FAIL";
        show_fputs(out, t->name);
        fprintf(out, ": %s (%s/%s)\n", verdict, points(t->score, a, sizeof a), points(t->max_score, b, sizeof b));
        if (t->score < t->max_score)
            lines(out, "    ", t->output);
    }
    fprintf(out, "Score: %s/%s\n", points(grade_report_score(r), a, sizeof a), points(grade_report_max(r), b, sizeof b));
    if (r->oom)
        fprintf(out, "(out of memory: some tests are missing from this report)\n");
}

/* A TAP description: escaped, and without '#' (it would start a
 * directive such as "# SKIP"). */
static void tap_text(FILE *out, const char *s)
{
    for (const char *p = s; *p;) {
        size_t len = strcspn(p, "#");
        show_write(out, p, len);
        p += len;
        if (*p == '#') {
            fputc(' ', out);
            p++;
        }
    }
}

static void write_tap(const struct grade_report *r, FILE *out)
{
    char a[32], b[32];
    fprintf(out, "TAP version 13\n1..%u\n", r->count);
    for (uint32_t i = 0; i < r->count; i++) {
        const struct grade_test *t = &r->test[i];
        fprintf(out, "%s %u - ", t->score >= t->max_score ? "ok" : "not ok", i + 1);
        tap_text(out, t->name);
        fprintf(out, "\n  ---\n  score: %s\n  max_score: %s\n", points(t->score, a, sizeof a),
                points(t->max_score, b, sizeof b));
        if (t->output[0]) {
            fprintf(out, "  output: |\n");
            lines(out, "    ", t->output);
        }
        fprintf(out, "  ...\n");
    }
    fputs("# ", out);
    show_fputs(out, r->title);
    fprintf(out, "\n# score %s/%s\n", points(grade_report_score(r), a, sizeof a), points(grade_report_max(r), b, sizeof b));
}

static void write_gradescope(const struct grade_report *r, FILE *out)
{
    char a[32], b[32];
    fprintf(out, "{\n  \"score\": %s,\n  \"output\": ", points(grade_report_score(r), a, sizeof a));
    char summary[512];
    snprintf(summary, sizeof summary, "%s: %s of %s points", r->title, points(grade_report_score(r), a, sizeof a),
             points(grade_report_max(r), b, sizeof b));
    json_write_string(out, summary);
    fprintf(out, ",\n  \"tests\": [");
    for (uint32_t i = 0; i < r->count; i++) {
        const struct grade_test *t = &r->test[i];
        fprintf(out, "%s\n    {\"number\": \"%u\", \"name\": ", i ? "," : "", i + 1);
        json_write_string(out, t->name);
        fprintf(out, ", \"score\": %s, \"max_score\": %s, \"status\": \"%s\", \"output\": ",
                points(t->score, a, sizeof a), points(t->max_score, b, sizeof b),
                t->score >= t->max_score ? "passed" : "failed");
        json_write_string(out, t->output);
        if (t->visibility) {
            fprintf(out, ", \"visibility\": ");
            json_write_string(out, t->visibility);
        }
        fprintf(out, "}");
    }
    fprintf(out, "%s]\n}\n", r->count ? "\n  " : "");
}

bool grade_report_write(const struct grade_report *r, enum grade_format f, FILE *out)
{
    switch (f) {
    case GRADE_TAP: write_tap(r, out); break;
    case GRADE_GRADESCOPE: write_gradescope(r, out); break;
    default: write_human(r, out); break;
    }
    return !ferror(out);
}
