/*
 * render.c - a quiz as text (OSTEP's layout: the arguments, the questions,
 * and with -c the worked answers), as JSON for tools, and as a blank
 * answers file.
 */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "mm.h"
#include "quiz.h"

static const char *value_name(enum quiz_value v)
{
    static const char *const names[] = {"number", "word", "address-or-word", "yes-no", "protection", "set"};
    return (unsigned)v < sizeof names / sizeof names[0] ? names[v] : "?";
}

/* "-s 7 -n 5" and "-k ..." when not every kind: the options that make this quiz. */
static void options(const struct quiz *qz, char *buf, size_t size)
{
    char kinds[96];
    int n = snprintf(buf, size, "-s %llu -n %u", (unsigned long long)qz->seed, qz->count);
    if (qz->kinds != QUIZ_ALL_KINDS && n > 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, " -k %s", quiz_kinds_text(qz->kinds, kinds, sizeof kinds));
}

static void indent(FILE *out, const char *text)
{
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        fprintf(out, "  %.*s\n", (int)len, p);
        p += len + (nl ? 1 : 0);
    }
}

bool quiz_write_text(const struct quiz *qz, bool answers, FILE *out)
{
    char kinds[96], opts[160];
    options(qz, opts, sizeof opts);
    if (qz->exam)
        fprintf(out, "ARG seed withheld\n");
    else
        fprintf(out, "ARG seed %llu\n", (unsigned long long)qz->seed);
    fprintf(out, "ARG count %u\nARG kinds %s\nARG answers %s\nARG version %s\n", qz->count,
            quiz_kinds_text(qz->kinds, kinds, sizeof kinds), answers ? "yes" : "no", MMSIM_VERSION);
    for (uint32_t i = 0; i < qz->count; i++) {
        const struct quiz_question *q = &qz->q[i];
        unsigned points = quiz_question_points(q);
        fprintf(out, "\nQuestion %u (%s, %u point%s)\n", q->number, quiz_kind_name(q->kind), points,
                points == 1 ? "" : "s");
        indent(out, q->text);
        if (!answers)
            continue;
        fprintf(out, "Answer %u\n", q->number);
        indent(out, q->worked);
        for (uint32_t k = 0; k < q->nparts; k++)
            fprintf(out, "  %u.%s = %s  (%u point%s)\n", q->number, q->part[k].name, q->part[k].answer,
                    q->part[k].points, q->part[k].points == 1 ? "" : "s");
    }
    if (qz->exam) {
        fprintf(out, "\nWrite your answers in the answers file handed out with these questions.\n");
    } else if (!answers) {
        fprintf(out, "\nThe worked answers: mmsim quiz %s -c\n", opts);
        fprintf(out, "An answers file to fill in: mmsim quiz %s --sheet > answers.txt\n", opts);
    }
    return !ferror(out);
}

bool quiz_write_json(const struct quiz *qz, bool answers, FILE *out)
{
    char kinds[96];
    if (qz->exam)
        fprintf(out, "{\"count\": %u, \"kinds\": ", qz->count);   /* the seed withheld */
    else
        fprintf(out, "{\"seed\": %llu, \"count\": %u, \"kinds\": ", (unsigned long long)qz->seed, qz->count);
    json_write_string(out, quiz_kinds_text(qz->kinds, kinds, sizeof kinds));
    fprintf(out, ", \"version\": ");
    json_write_string(out, MMSIM_VERSION);
    fprintf(out, ", \"questions\": [");
    for (uint32_t i = 0; i < qz->count; i++) {
        const struct quiz_question *q = &qz->q[i];
        fprintf(out, "%s\n  {\"number\": %u, \"kind\": ", i ? "," : "", q->number);
        json_write_string(out, quiz_kind_name(q->kind));
        fprintf(out, ", \"points\": %u, \"text\": ", quiz_question_points(q));
        json_write_string(out, q->text);
        if (answers) {
            fprintf(out, ", \"worked\": ");
            json_write_string(out, q->worked);
        }
        fprintf(out, ", \"parts\": [");
        for (uint32_t k = 0; k < q->nparts; k++) {
            const struct quiz_part *p = &q->part[k];
            fprintf(out, "%s{\"name\": ", k ? ", " : "");
            json_write_string(out, p->name);
            fprintf(out, ", \"type\": ");
            json_write_string(out, value_name(p->type));
            fprintf(out, ", \"points\": %u", p->points);
            if (answers) {
                fprintf(out, ", \"answer\": ");
                json_write_string(out, p->answer);
            }
            fprintf(out, "}");
        }
        fprintf(out, "]}");
    }
    fprintf(out, "\n]}\n");
    return !ferror(out);
}

bool quiz_write_sheet(const struct quiz *qz, FILE *out)
{
    char kinds[96], opts[160];
    options(qz, opts, sizeof opts);
    if (qz->exam)
        fprintf(out, "# Answers to an mmsim quiz of %u question%s\n", qz->count, qz->count == 1 ? "" : "s");
    else
        fprintf(out, "# Answers to mmsim quiz %s\n", opts);
    fprintf(out, "# Write each answer after its '='. Numbers in decimal or 0x-hex; yes or no;\n");
    fprintf(out, "# words as the questions spell them; none where there is no such thing.\n");
    if (qz->exam)
        fprintf(out, "# Lines starting with '#' are comments. Hand it in as it is.\n");
    else
        fprintf(out, "# Lines starting with '#' are comments. Check it with: mmsim grade quiz %s FILE\n", opts);
    if (!qz->exam)
        fprintf(out, "seed %llu\n", (unsigned long long)qz->seed);
    fprintf(out, "count %u\nkinds %s\nversion %s\n", qz->count, quiz_kinds_text(qz->kinds, kinds, sizeof kinds),
            MMSIM_VERSION);
    for (uint32_t i = 0; i < qz->count; i++) {
        const struct quiz_question *q = &qz->q[i];
        fprintf(out, "\n# question %u (%s)\n", q->number, quiz_kind_name(q->kind));
        for (uint32_t k = 0; k < q->nparts; k++)
            fprintf(out, "%u.%s =\n", q->number, q->part[k].name);
    }
    return !ferror(out);
}
