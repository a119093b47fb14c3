/*
 * quiz_cli.c - mmsim quiz: the command line of the exercise generator.
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "parse.h"
#include "quiz_cli.h"

#define EXIT_BAD_INPUT 2
#define EXIT_INTERNAL 3
#define DEFAULT_COUNT 5u

const char quiz_usage[] =
    "usage: mmsim quiz [-s SEED] [-n COUNT] [-k KINDS] [-c] [--json | --sheet]\n"
    "                  [--exam]\n"
    "\n"
    "Exercises on the memory manager with worked answers, as OSTEP's homework\n"
    "simulators make them: the same seed gives the same questions, and every\n"
    "answer is what the engine computes on a machine built for the question.\n"
    "\n"
    "  -s, --seed N      the random seed (default 0)\n"
    "  -n, --count N     how many questions, 1 to 100 (default 5)\n"
    "  -k, --kinds LIST  which kinds, in turn, separated by commas (default all):\n"
    "                      translate  a virtual address through given PDE and PTE\n"
    "                                 values\n"
    "                      decode     one PTE value: its form and every field\n"
    "                      fault      what an access does: fault kind, frame, victim\n"
    "                      policy     hits and misses of a reference string (FIFO,\n"
    "                                 LRU, clock, OPT), Belady's anomaly\n"
    "                      lists      list counts after memory-list commands\n"
    "  -c, --answers     also print the worked answers\n"
    "  --json            the quiz as JSON (with -c, the answers too)\n"
    "  --sheet           a blank answers file for mmsim grade quiz\n"
    "  --exam            withhold the seed from the questions and the sheet, for a\n"
    "                    quiz that counts: whoever has the seed can print the answers\n"
    "\n"
    "Exit status 0, 2 on a bad command line, 3 on an internal error.\n";

struct quiz_args {
    uint64_t seed;
    uint32_t count;
    unsigned kinds;
    bool answers, json, sheet, exam, help;
    const char *given[3];   /* the values of -s, -n and -k, each taken once */
};

static bool value(const char *opt, int *i, int argc, char **argv, const char **out)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "mmsim quiz: %s needs a value\n", opt);
        return false;
    }
    *out = argv[++*i];
    return true;
}

static bool number(const char *opt, const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    char why[160], shown[ARGS_SHOW_SIZE];
    if (!parse_field(s, false, min, max, out, why, sizeof why)) {
        fprintf(stderr, "mmsim quiz: %s %s: %s\n", opt, args_show(s, shown, sizeof shown), why);
        return false;
    }
    return true;
}

static bool parse_words(int argc, char **argv, void *ctx)
{
    struct quiz_args *a = ctx;
    static const char *const known[] = {"--seed", "--count", "--kinds", "--answers", "--json", "--sheet", "--exam",
                                        "--help"};
    memset(a, 0, sizeof *a);
    a->count = DEFAULT_COUNT;
    a->kinds = QUIZ_ALL_KINDS;
    char shown[ARGS_SHOW_SIZE], why[200];
    for (int i = 0; i < argc; i++) {
        const char *o = argv[i], *v;
        uint64_t n;
        if (strcmp(o, "-s") == 0 || strcmp(o, "--seed") == 0) {
            if (!value(o, &i, argc, argv, &v) ||
                !args_once("mmsim quiz", o, v, &a->given[0]) || !number(o, v, 0, UINT64_MAX, &a->seed))
                return false;
        } else if (strcmp(o, "-n") == 0 || strcmp(o, "--count") == 0) {
            if (!value(o, &i, argc, argv, &v) ||
                !args_once("mmsim quiz", o, v, &a->given[1]) || !number(o, v, 1, QUIZ_MAX_COUNT, &n))
                return false;
            a->count = (uint32_t)n;
        } else if (strcmp(o, "-k") == 0 || strcmp(o, "--kinds") == 0) {
            if (!value(o, &i, argc, argv, &v) || !args_once("mmsim quiz", o, v, &a->given[2]))
                return false;
            if (!quiz_kinds_parse(v, &a->kinds, why, sizeof why)) {
                fprintf(stderr, "mmsim quiz: %s %s: %s\n", o, args_show(v, shown, sizeof shown), why);
                return false;
            }
        } else if (strcmp(o, "-c") == 0 || strcmp(o, "--answers") == 0) {
            a->answers = true;
        } else if (strcmp(o, "--json") == 0) {
            a->json = true;
        } else if (strcmp(o, "--sheet") == 0) {
            a->sheet = true;
        } else if (strcmp(o, "--exam") == 0) {
            a->exam = true;
        } else if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0) {
            a->help = true;
        } else {
            const char *hint = o[0] == '-' ? args_suggest_option(o, known, sizeof known / sizeof known[0]) : NULL;
            if (o[0] == '-')
                fprintf(stderr, "mmsim quiz: unknown option '%s'%s%s%s\n", args_show(o, shown, sizeof shown),
                        hint ? ", did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
            else
                fprintf(stderr, "mmsim quiz: takes no file, got '%s'\n", args_show(o, shown, sizeof shown));
            return false;
        }
    }
    if (a->json && a->sheet) {
        fprintf(stderr, "mmsim quiz: --json and --sheet are two outputs; give one\n");
        return false;
    }
    if (a->exam && a->answers) {
        fprintf(stderr, "mmsim quiz: --exam withholds the seed from what students see; print the answers "
                        "without it (mmsim quiz -s SEED ... -c)\n");
        return false;
    }
    if (a->sheet && a->answers) {
        fprintf(stderr, "mmsim quiz: --sheet is a blank answers file; it takes no -c\n");
        return false;
    }
    return true;
}

/* The options that take a value; each is accepted as --name VALUE,
 * --name=VALUE and (short) -xVALUE. */
static const char *const takes_value[] = {"-s", "--seed", "-n", "--count", "-k", "--kinds"};

static bool parse(int argc, char **argv, struct quiz_args *a)
{
    return args_parse_split(argc, argv, takes_value, sizeof takes_value / sizeof takes_value[0], parse_words, a);
}

int quiz_main(int argc, char **argv)
{
    struct quiz_args a;
    if (!parse(argc, argv, &a)) {
        args_usage_hint("quiz");
        return EXIT_BAD_INPUT;
    }
    if (a.help) {
        fputs(quiz_usage, stdout);
        return 0;
    }
    struct quiz qz;
    char err[256];
    if (!quiz_generate(&qz, a.seed, a.count, a.kinds, err, sizeof err)) {
        fprintf(stderr, "mmsim quiz: %s\n", err);
        return EXIT_INTERNAL;
    }
    qz.exam = a.exam;
    bool ok = a.sheet  ? quiz_write_sheet(&qz, stdout)
              : a.json ? quiz_write_json(&qz, a.answers, stdout)
                       : quiz_write_text(&qz, a.answers, stdout);
    quiz_free(&qz);
    if (!ok || fflush(stdout) != 0) {
        fprintf(stderr, "mmsim quiz: cannot write the quiz to standard output\n");
        return EXIT_INTERNAL;
    }
    return 0;
}
