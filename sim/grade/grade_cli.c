/*
 * grade_cli.c - mmsim grade: quiz answers against their seed, a scenario
 * against a lab's goals, a lab's checks in a student's tree; one report,
 * written as xv6-style lines, TAP or Gradescope's results.json.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "answers.h"
#include "cli/args.h"
#include "goals.h"
#include "grade_cli.h"
#include "lab.h"
#include "parse.h"
#include "replay.h"
#include "show.h"

#define EXIT_BAD_INPUT 2
#define EXIT_INTERNAL 3
#define MAX_FILES 16

/* A refusal of the command line: the message (printf's format), then the
 * line that says where the options are. Returns EXIT_BAD_INPUT. */
static int __attribute__((format(printf, 1, 2))) refuse(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    args_usage_hint("grade");
    return EXIT_BAD_INPUT;
}

const char grade_usage[] =
    "usage: mmsim grade quiz -s SEED [-n COUNT] [-k KINDS] [OPTIONS] ANSWERS\n"
    "       mmsim grade scenario --goals GOALS [OPTIONS] SCENARIO\n"
    "       mmsim grade lab [--timeout S] [OPTIONS] CHECKS...\n"
    "\n"
    "  quiz      score an answers file (mmsim quiz --sheet makes a blank one) against\n"
    "            the quiz of SEED: each part of each question earns its points\n"
    "  scenario  replay a student's scenario and score it against a lab's goals\n"
    "            (counts of faults by kind, pages written, lists, working sets, ...)\n"
    "  lab       run a lab's checks (what make grade runs in a lab kit): each test in\n"
    "            a process of its own, limited to its timeout (--timeout S: all)\n"
    "\n"
    "  --format F      human (the default: lines like\n"
    "                  'faults: demand-zero: OK (10/10)' and a score), tap, or\n"
    "                  gradescope (Gradescope's results.json)\n"
    "  --results FILE  also write Gradescope's results.json to FILE\n"
    "\n"
    "Exit status 0 full marks, 1 points were lost, 2 bad input (the command line,\n"
    "an answers, goals, checks or scenario file: FILE:LINE: what is wrong), 3 an\n"
    "internal error. An answers file or scenario that cannot be graded still gets the\n"
    "results.json asked for, with no points and the reason.\n";

struct grade_args {
    const char *mode;
    bool has_seed, has_count, has_kinds;
    uint64_t seed;
    uint32_t count;
    unsigned kinds;
    const char *goals, *results;
    uint32_t timeout;
    enum grade_format format;
    const char *files[MAX_FILES];
    int nfiles;
    bool help;
    const char *given[7];   /* the values of -s, -n, -k, --goals, --results, --timeout and --format, each taken once */
};

static bool option_value(const char *opt, int *i, int argc, char **argv, const char **out)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "mmsim grade: %s needs a value\n", opt);
        return false;
    }
    *out = argv[++*i];
    return true;
}

static bool number(const char *opt, const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    char why[160], shown[ARGS_SHOW_SIZE];
    if (parse_field(s, false, min, max, out, why, sizeof why))
        return true;
    fprintf(stderr, "mmsim grade: %s %s: %s\n", opt, args_show(s, shown, sizeof shown), why);
    return false;
}

/* A word that is not an option: what to grade, then its files. */
static bool take_word(struct grade_args *a, const char *o)
{
    if (!a->mode) {
        a->mode = o;
    } else if (a->nfiles == MAX_FILES) {
        fprintf(stderr, "mmsim grade: at most %d files\n", MAX_FILES);
        return false;
    } else {
        a->files[a->nfiles++] = o;
    }
    return true;
}

static bool parse_words(int argc, char **argv, void *ctx)
{
    struct grade_args *a = ctx;
    static const char *const known[] = {"--seed", "--count", "--kinds", "--goals", "--format", "--results",
                                        "--timeout", "--help"};
    char shown[ARGS_SHOW_SIZE], why[200];
    bool only_files = false;   /* after "--": a file named like an option */
    for (int i = 0; i < argc; i++) {
        const char *o = argv[i], *v;
        uint64_t n;
        if (!*o) {
            fprintf(stderr, "mmsim grade: an empty argument\n");
            return false;
        } else if (!only_files && strcmp(o, "--") == 0) {
            only_files = true;
            continue;
        } else if (only_files) {
            if (!take_word(a, o))
                return false;
            continue;
        }
        if (strcmp(o, "-s") == 0 || strcmp(o, "--seed") == 0) {
            if (!option_value(o, &i, argc, argv, &v) ||
                !args_once("mmsim grade", o, v, &a->given[0]) || !number(o, v, 0, UINT64_MAX, &a->seed))
                return false;
            a->has_seed = true;
        } else if (strcmp(o, "-n") == 0 || strcmp(o, "--count") == 0) {
            if (!option_value(o, &i, argc, argv, &v) ||
                !args_once("mmsim grade", o, v, &a->given[1]) || !number(o, v, 1, QUIZ_MAX_COUNT, &n))
                return false;
            a->count = (uint32_t)n;
            a->has_count = true;
        } else if (strcmp(o, "-k") == 0 || strcmp(o, "--kinds") == 0) {
            if (!option_value(o, &i, argc, argv, &v) || !args_once("mmsim grade", o, v, &a->given[2]))
                return false;
            if (!quiz_kinds_parse(v, &a->kinds, why, sizeof why)) {
                fprintf(stderr, "mmsim grade: %s %s: %s\n", o, args_show(v, shown, sizeof shown), why);
                return false;
            }
            a->has_kinds = true;
        } else if (strcmp(o, "--goals") == 0) {
            if (!option_value(o, &i, argc, argv, &a->goals) || !args_once("mmsim grade", o, a->goals, &a->given[3]))
                return false;
        } else if (strcmp(o, "--results") == 0) {
            if (!option_value(o, &i, argc, argv, &a->results) || !args_once("mmsim grade", o, a->results, &a->given[4]))
                return false;
        } else if (strcmp(o, "--timeout") == 0) {
            if (!option_value(o, &i, argc, argv, &v) ||
                !args_once("mmsim grade", o, v, &a->given[5]) || !number(o, v, 1, LAB_MAX_TIMEOUT, &n))
                return false;
            a->timeout = (uint32_t)n;
        } else if (strcmp(o, "--format") == 0) {
            if (!option_value(o, &i, argc, argv, &v) || !args_once("mmsim grade", o, v, &a->given[6]))
                return false;
            if (!grade_format_from_name(v, &a->format)) {
                fprintf(stderr, "mmsim grade: --format %s: expected human, tap or gradescope\n",
                        args_show(v, shown, sizeof shown));
                return false;
            }
        } else if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0) {
            a->help = true;
        } else if (o[0] == '-' && strcmp(o, "-") != 0) {
            const char *hint = args_suggest_option(o, known, sizeof known / sizeof known[0]);
            fprintf(stderr, "mmsim grade: unknown option '%s'%s%s%s\n", args_show(o, shown, sizeof shown),
                    hint ? ", did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
            return false;
        } else if (!take_word(a, o)) {
            return false;
        }
    }
    return true;
}

/* The options that take a value; each is accepted as --name VALUE,
 * --name=VALUE and (short) -xVALUE. */
static const char *const takes_value[] = {"-s", "--seed", "-n", "--count", "-k", "--kinds", "--goals",
                                          "--format", "--results", "--timeout"};

static bool parse(int argc, char **argv, struct grade_args *a)
{
    return args_parse_split(argc, argv, takes_value, sizeof takes_value / sizeof takes_value[0], parse_words, a);
}

/* Write results.json to --results FILE when it was given; false after
 * saying why when it cannot be written. */
static bool write_results(const struct grade_args *a, const struct grade_report *r)
{
    if (a->results) {
        FILE *f = fopen(a->results, "w");
        char shown[ARGS_SHOW_SIZE];
        bool ok = f && grade_report_write(r, GRADE_GRADESCOPE, f);
        if (f && fclose(f) != 0)
            ok = false;
        if (!ok) {
            fprintf(stderr, "mmsim grade: cannot write %s: %s\n", args_show(a->results, shown, sizeof shown),
                    strerror(errno));
            return false;
        }
    }
    return true;
}

/* Print the report, and write results.json when asked. */
static int finish(const struct grade_args *a, const struct grade_report *r)
{
    if (!grade_report_write(r, a->format, stdout) || fflush(stdout) != 0)
        return EXIT_INTERNAL;   /* mmsim's main says why, once, for every command */
    return write_results(a, r) ? grade_report_status(r) : EXIT_INTERNAL;
}

/* A submission that cannot be graded (an answers file or a scenario that
 * cannot be read, or that answers another quiz): the messages are on
 * standard error already. Where Gradescope's results.json was asked for
 * (--results, --format gradescope) it is written all the same, worth no
 * points out of `max_score`, with the messages as the reason, so that the
 * student sees why and no results.json of an earlier run stays behind.
 * Returns EXIT_BAD_INPUT (EXIT_INTERNAL when results.json cannot be
 * written). */
static int refused(const struct grade_args *a, const char *title, const char *what, double max_score, const char *why)
{
    if (!a->results && a->format != GRADE_GRADESCOPE)
        return EXIT_BAD_INPUT;
    char output[GRADE_MAX_OUTPUT];
    snprintf(output, sizeof output, "The submission could not be graded:\n%s",
             *why ? why : "(the reason went to standard error only)\n");
    struct grade_report r;
    grade_report_init(&r, title);
    grade_report_add(&r, what, 0, max_score, output, NULL);
    bool ok = (a->format != GRADE_GRADESCOPE ||
               (grade_report_write(&r, GRADE_GRADESCOPE, stdout) && fflush(stdout) == 0)) &&
              write_results(a, &r);
    grade_report_free(&r);
    return ok ? EXIT_BAD_INPUT : EXIT_INTERNAL;
}

/* The messages of errs as one text, for a refused submission's report. */
static void errors_text(const struct grade_errors *errs, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    for (uint32_t i = 0; i < errs->count && n + 1 < size; i++) {
        int k = snprintf(out + n, size - n, "%s\n", errs->line[i]);
        if (k < 0)
            break;
        n += (size_t)k < size - n ? (size_t)k : size - n - 1;
    }
}

/* What was written to `cap` (a temporary file standing in for standard
 * error), copied to standard error and into out. */
static void drain(FILE *cap, char *out, size_t size)
{
    rewind(cap);
    size_t n = fread(out, 1, size - 1, cap);
    out[n] = '\0';
    fputs(out, stderr);
    char rest[512];
    while ((n = fread(rest, 1, sizeof rest, cap)) > 0)
        fwrite(rest, 1, n, stderr);
}

/* The whole of a file ("-": standard input), at most `max` bytes; NULL
 * with the reason in why (naming the file as `shown`). */
static char *slurp(const char *path, size_t max, size_t *len, const char *shown, char *why, size_t why_size)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        snprintf(why, why_size, "%s: cannot open: %s", shown, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(why, why_size, "%s: is a directory, not a file", shown);
        if (f != stdin)
            fclose(f);
        return NULL;
    }
    char *buf = malloc(max + 2);
    size_t n = buf ? fread(buf, 1, max + 1, f) : 0;
    bool failed = !buf || ferror(f);
    if (f != stdin)
        fclose(f);
    if (failed || n > max) {
        if (failed)
            snprintf(why, why_size, "%s: cannot read it", shown);
        else
            snprintf(why, why_size, "%s: larger than %llu bytes", shown, (unsigned long long)max);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* The points a quiz is worth. */
static double quiz_points(const struct quiz *qz)
{
    double points = 0;
    for (uint32_t i = 0; i < qz->count; i++)
        points += quiz_question_points(&qz->q[i]);
    return points;
}

/* What an answers file that cannot be read is worth: the quiz the command
 * line names (5 questions of every kind where it names none); 0 when that
 * quiz cannot be made. */
static double named_quiz_points(const struct grade_args *a)
{
    struct quiz qz;
    char err[256];
    if (!quiz_generate(&qz, a->seed, a->has_count ? a->count : 5, a->has_kinds ? a->kinds : QUIZ_ALL_KINDS, err,
                       sizeof err))
        return 0;
    double points = quiz_points(&qz);
    quiz_free(&qz);
    return points;
}

static int grade_quiz(struct grade_args *a)
{
    char shown[ARGS_SHOW_SIZE], title[200], err[256];
    if (a->nfiles != 1)
        return refuse("mmsim grade quiz: give one answers file\n");
    if (!a->has_seed)
        return refuse("mmsim grade quiz: give the seed of the quiz with -s (the answers are checked against it)\n");
    args_show(a->files[0], shown, sizeof shown);
    snprintf(title, sizeof title, "mmsim quiz -s %llu: %.150s", (unsigned long long)a->seed, shown);
    size_t len;
    char why[GRADE_MAX_OUTPUT];
    char *text = slurp(a->files[0], ANSWERS_MAX_BYTES, &len, shown, why, sizeof why);
    if (!text) {
        fprintf(stderr, "%s\n", why);
        return refused(a, title, "the answers file", named_quiz_points(a), why);
    }
    struct answers ans;
    struct grade_errors errs;
    bool ok = answers_read(strcmp(a->files[0], "-") ? a->files[0] : "(standard input)", text, len, &ans, &errs);
    free(text);
    if (!ok) {
        grade_errors_print(&errs, stderr);
        errors_text(&errs, why, sizeof why);
        answers_free(&ans);
        return refused(a, title, "the answers file", named_quiz_points(a), why);
    }
    uint32_t count = a->has_count ? a->count : ans.has_count ? ans.count : 5;
    unsigned kinds = a->has_kinds ? a->kinds : ans.has_kinds ? ans.kinds : QUIZ_ALL_KINDS;
    struct quiz qz;
    if (!quiz_generate(&qz, a->seed, count, kinds, err, sizeof err)) {
        fprintf(stderr, "mmsim grade quiz: %s\n", err);
        answers_free(&ans);
        return EXIT_INTERNAL;
    }
    if (!answers_match(&ans, &qz, &errs)) {
        grade_errors_print(&errs, stderr);
        errors_text(&errs, why, sizeof why);
        double worth = quiz_points(&qz);
        answers_free(&ans);
        quiz_free(&qz);
        return refused(a, title, "the answers file", worth, why);
    }
    if (ans.has_version && strcmp(ans.version, MMSIM_VERSION) != 0)
        show_printf(stderr, "%s:%u: note: written for mmsim %s; this is %s, whose questions may differ\n", ans.file,
                ans.version_line, ans.version, MMSIM_VERSION);
    snprintf(title, sizeof title, "mmsim quiz -s %llu -n %u: %.150s", (unsigned long long)a->seed, count, ans.file);
    struct grade_report r;
    grade_report_init(&r, title);
    answers_grade(&ans, &qz, &r);
    int status = finish(a, &r);
    grade_report_free(&r);
    answers_free(&ans);
    quiz_free(&qz);
    return status;
}

static int grade_scenario(struct grade_args *a)
{
    char shown[ARGS_SHOW_SIZE], gshown[ARGS_SHOW_SIZE], title[300], err[300];
    if (a->nfiles != 1 || !a->goals)
        return refuse("mmsim grade scenario: give the goals with --goals FILE and one scenario\n");
    struct goals g;
    struct grade_errors errs = {.count = 0};
    if (!goals_load(a->goals, args_show(a->goals, gshown, sizeof gshown), &g, &errs)) {
        grade_errors_print(&errs, stderr);
        return EXIT_BAD_INPUT;
    }
    /* as mmsim run reads it: within the default work budget, its machine
     * buildable, so a file run refuses is never half graded */
    snprintf(title, sizeof title, "%s: %s", g.title[0] ? g.title : gshown, args_show(a->files[0], shown, sizeof shown));
    FILE *cap = a->results || a->format == GRADE_GRADESCOPE ? tmpfile() : NULL;
    struct scenario *sc = replay_load(a->files[0], NULL, cap ? cap : stderr);
    if (!sc) {
        char why[GRADE_MAX_OUTPUT] = "";
        if (cap)
            drain(cap, why, sizeof why);
        double worth = 0;
        for (uint32_t i = 0; i < g.count; i++)
            worth += g.goal[i].points;
        goals_free(&g);
        if (cap)
            fclose(cap);
        return refused(a, title, "the scenario", worth, why);
    }
    if (cap)
        fclose(cap);
    struct grade_report r;
    grade_report_init(&r, title);
    int status;
    if (!goals_grade(&g, sc, &r, err, sizeof err)) {
        show_printf(stderr, "mmsim grade scenario: %s: %s\n", shown, err);
        status = EXIT_BAD_INPUT;
    } else {
        status = finish(a, &r);
    }
    grade_report_free(&r);
    scenario_free(sc);
    goals_free(&g);
    return status;
}

static int grade_lab(struct grade_args *a)
{
    char title[200], err[300];
    if (a->nfiles < 1)
        return refuse("mmsim grade lab: give the lab's checks file(s)\n");
    struct grade_errors errs = {.count = 0};
    struct lab_checks *c = lab_load(a->files, (uint32_t)a->nfiles, &errs);
    if (!c) {
        if (errs.count == 0)
            fprintf(stderr, "mmsim grade lab: out of memory\n");
        grade_errors_print(&errs, stderr);
        return errs.count ? EXIT_BAD_INPUT : EXIT_INTERNAL;
    }
    snprintf(title, sizeof title, "%s", lab_title(c)[0] ? lab_title(c) : "mmsim grade lab");
    struct grade_report r;
    grade_report_init(&r, title);
    int status;
    if (!lab_run(c, a->timeout, &r, err, sizeof err)) {
        fprintf(stderr, "mmsim grade lab: %s\n", err);
        status = EXIT_INTERNAL;
    } else {
        status = finish(a, &r);
    }
    grade_report_free(&r);
    lab_free(c);
    return status;
}

int grade_main(int argc, char **argv)
{
    struct grade_args a;
    memset(&a, 0, sizeof a);
    if (!parse(argc, argv, &a)) {
        args_usage_hint("grade");
        return EXIT_BAD_INPUT;
    }
    if (a.help) {
        fputs(grade_usage, stdout);
        return 0;
    }
    static const char *const modes[] = {"quiz", "scenario", "lab"};
    char shown[ARGS_SHOW_SIZE], why[128];
    if (a.results && !*a.results)
        return refuse("mmsim grade: --results needs a file name\n");
    if (a.results && !args_can_write(a.results, why, sizeof why)) {   /* before any test runs */
        fprintf(stderr, "mmsim grade: cannot write the results to %s: %s\n", args_show(a.results, shown, sizeof shown),
                why);
        return EXIT_BAD_INPUT;
    }
    if (!a.mode) {
        fprintf(stderr, "mmsim grade: what to grade? quiz, scenario or lab\n%s", grade_usage);
        return EXIT_BAD_INPUT;
    }
    bool quiz_opts = a.has_seed || a.has_count || a.has_kinds;
    if (strcmp(a.mode, "quiz") == 0) {
        if (a.goals || a.timeout)
            return refuse("mmsim grade quiz: %s is not an option of quiz grading\n", a.goals ? "--goals" : "--timeout");
        return grade_quiz(&a);
    }
    if (strcmp(a.mode, "scenario") == 0) {
        if (quiz_opts || a.timeout)
            return refuse("mmsim grade scenario: -s, -n, -k and --timeout are not options of scenario grading\n");
        return grade_scenario(&a);
    }
    if (strcmp(a.mode, "lab") == 0) {
        if (quiz_opts || a.goals)
            return refuse("mmsim grade lab: -s, -n, -k and --goals are not options of lab grading\n");
        return grade_lab(&a);
    }
    const char *hint = parse_suggest(a.mode, modes, 3);
    return refuse("mmsim grade: cannot grade '%s'%s%s%s: quiz, scenario or lab\n", args_show(a.mode, shown, sizeof shown),
                  hint ? ", did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
}
