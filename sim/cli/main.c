/*
 * main.c - the mmsim command.
 *
 *   mmsim run [-v] [--json] FILE...   replay scenarios, narrating each step
 *   mmsim check FILE...               validate scenarios without running them
 *   mmsim step [-v] FILE              step through a scenario interactively
 *   mmsim trace [OPTIONS] FILE...     replay memory-reference traces (trace.c)
 *   mmsim quiz, mmsim grade           exercises and grading (sim/quiz/, sim/grade/)
 *
 * Exit status: 0 every expectation held, 1 an expectation failed, 2 bad
 * input (a scenario or the command line), 3 an internal error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "narrate.h"
#include "ntcmd.h"
#include "grade/grade_cli.h"
#include "parse.h"
#include "quiz/quiz_cli.h"
#include "scenario.h"
#include "show.h"
#include "step.h"
#include "trace.h"

#define EXIT_EXPECTATION 1
#define EXIT_BAD_INPUT 2
#define EXIT_INTERNAL 3

static const char usage_main[] =
    "usage: mmsim COMMAND [OPTIONS] [FILE...]\n"
    "\n"
    "An educational simulator of the Windows NT memory manager on i386.\n"
    "\n"
    "commands:\n"
    "  run FILE...    replay scenarios, narrating every step (exit 1: an expectation\n"
    "                 failed)\n"
    "  check FILE...  validate scenarios without running them\n"
    "  step FILE      step through a scenario: next, back, goto, look at the machine\n"
    "  lists          the memory lists (--real: this Windows machine's)\n"
    "  purge OP       run memory-list commands (empty-working-sets, ..., all)\n"
    "  compare [SEQ]  this Windows machine's lists beside the simulated effect\n"
    "                 (--yes: run it here too)\n"
    "  trace FILE...  replay memory-reference traces under a replacement policy\n"
    "  quiz           exercises with worked answers (-s SEED, -c for the answers)\n"
    "  grade          grade quiz answers, a scenario against goals, or a lab's checks\n"
    "  help COMMAND   help for one command\n"
    "\n"
    "options: --help, --version. Colour is used on a terminal unless NO_COLOR is set.\n"
    "An option's value may be the next word or follow '=' (--check full,\n"
    "--check=full), and a one-letter option's may follow it directly (-n 8, -n8);\n"
    "it is given once.\n"
    "Exit status: 0 all expectations held, 1 one failed, 2 bad input, 3 internal\n"
    "error.\n";

static const char usage_run[] =
    "usage: mmsim run [-v|--verbose] [--json] [--no-color] [-q|--quiet]\n"
    "                 [--check=MODE] [--max-ticks N] [--max-work N] FILE...\n"
    "\n"
    "Replay each scenario and narrate it: the parameters first, then every step with\n"
    "what the memory manager did (faults, frames moving between lists, PTE changes,\n"
    "working-set entries, paging-file I/O, system threads) and the lists after it.\n"
    "\n"
    "  -v, --verbose  also the two-level translation walk of every access, the\n"
    "                 Accessed/Dirty bits the hardware sets and TLB flushes\n"
    "  --json         the engine's events as JSON lines, for tools and graders\n"
    "  --no-color     never use colour\n"
    "  -q, --quiet    no narration: only failed expectations, broken invariants and\n"
    "                 the summary line\n"
    "  --check=MODE   when the invariant checker runs: touched (the default: what\n"
    "                 each step touched, the whole machine every 1,000 steps or more\n"
    "                 and after the last), full (the whole machine after every step),\n"
    "                 end (the whole machine after the last step only)\n"
    "  --max-ticks N  refuse a scenario whose ticks add up to more than N (1000000)\n"
    "  --max-work N   refuse a scenario whose work adds up to more than N units\n"
    "                 (1000000000, about 5 seconds; a unit is about a frame checked)\n"
    "\n"
    "A FILE of '-' is standard input. Every file is validated before any runs. Exit\n"
    "status 0 when every expectation held, 1 when one failed, 2 on bad input, 3 on an\n"
    "internal error.\n";

static const char usage_check[] =
    "usage: mmsim check [--check=MODE] [--max-ticks N] [--max-work N] FILE...\n"
    "\n"
    "Validate scenarios without running them: JSON syntax, every field's type and\n"
    "range, names of ops, processes and protections, and the work budget\n"
    "(--max-ticks, --max-work: see 'mmsim help run'). Each problem is reported as\n"
    "FILE:LINE:COLUMN: JSON-PATH: message ('-' reads standard input). Exit status 0\n"
    "when all are valid, 2 if not.\n"
    "\n"
    "  --check=MODE   also replay each valid scenario silently with the invariant\n"
    "                 checker in MODE (touched, full or end, as for run); exit\n"
    "                 status 3 when an invariant breaks. Expectations are run's\n"
    "                 business.\n";

static const char usage_step[] =
    "usage: mmsim step [-v|--verbose] [--json] [--no-color] [--check=MODE]\n"
    "                  [--max-ticks N] [--max-work N] FILE\n"
    "\n"
    "Step through a scenario, one operation at a time. Commands are read from\n"
    "standard input, one per line (on a terminal with line editing and history):\n"
    "Enter or n (next step), b (back), g N (go to step N),\n"
    "walk VA [PROCESS] [ACCESS], pte VA [PROCESS] [ACCESS], pfn N, lists [-v],\n"
    "ws [PROCESS], vad [PROCESS], tlb, the kernel debugger's !pte, !pfn, !vad,\n"
    "!wsle, !memusage, !process, help, q.\n"
    "Going back starts from a copy of the machine kept every few hundred steps and\n"
    "runs the steps after it: the engine is deterministic.\n"
    "\n"
    "  -v, --verbose  also the translation walk of every access (as mmsim run -v)\n"
    "  --json         the steps as JSON lines (as mmsim run --json) and every\n"
    "                 answer as one JSON object; a single answer takes --json too\n"
    "  --no-color     never use colour\n"
    "  --check=MODE, --max-ticks N, --max-work N   as for run\n";

struct options {
    bool verbose, json, no_color, help, quiet;
    struct replay_budget budget;
    bool checked;           /* --check given */
    const char *given[3];   /* the values of --check, --max-ticks and --max-work, each taken once */
    const char **files;
    int nfiles;
};

/* The value of --max-ticks or --max-work: a whole number from 1 to
 * REPLAY_BUDGET_LIMIT; false (with a message) otherwise. */
static bool budget_value(const char *command, const char *option, const char *v, uint64_t *out)
{
    char why[160];
    if (!v) {
        fprintf(stderr, "mmsim %s: %s needs a number\n", command, option);
        return false;
    }
    if (!parse_number(v, REPLAY_BUDGET_LIMIT, out, why, sizeof why)) {
        show_printf(stderr, "mmsim %s: %s: %s\n", command, option, why);   /* why quotes v */
        return false;
    }
    if (*out == 0) {
        fprintf(stderr, "mmsim %s: %s must be at least 1\n", command, option);
        return false;
    }
    return true;
}

/* What parse_words needs besides the words: the command and its options. */
struct parse_ctx {
    const char *command;
    bool allow_verbose, allow_json;
    struct options *o;
};

/* Options and files after the command word, each option's value a word
 * of its own (args_split_values); false (with a message) on a bad option. */
static bool parse_words(int argc, char **argv, void *ctx)
{
    const struct parse_ctx *c = ctx;
    const char *command = c->command;
    bool allow_verbose = c->allow_verbose, allow_json = c->allow_json;
    struct options *o = c->o;
    const char *known[11] = {"--help", "-h", "--max-ticks", "--max-work", "--check"};
    size_t nknown = 5;
    bool allow_quiet = strcmp(command, "run") == 0;
    if (allow_quiet) {
        known[nknown++] = "-q";
        known[nknown++] = "--quiet";
    }
    if (allow_verbose) {
        known[nknown++] = "-v";
        known[nknown++] = "--verbose";
        known[nknown++] = "--no-color";
    }
    if (allow_json)
        known[nknown++] = "--json";
    memset(o, 0, sizeof *o);
    char prog[32];   /* "mmsim run": how messages name the command */
    snprintf(prog, sizeof prog, "mmsim %s", command);
    o->budget = (struct replay_budget){REPLAY_MAX_TICKS, REPLAY_MAX_WORK, REPLAY_CHECK_TOUCHED};
    o->files = calloc((size_t)argc + 1, sizeof *o->files);
    if (!o->files)
        return false;
    bool only_files = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!*a) {
            fprintf(stderr, "mmsim %s: an empty file name\n", command);
            free(o->files);
            o->files = NULL;
            return false;
        } else if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
            o->files[o->nfiles++] = a;
        } else if (strcmp(a, "--") == 0) {
            only_files = true;
        } else if ((strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) && allow_verbose) {
            o->verbose = true;
        } else if (strcmp(a, "--json") == 0 && allow_json) {
            o->json = true;
        } else if ((strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) && allow_quiet) {
            o->quiet = true;
        } else if (strcmp(a, "--check") == 0) {
            const char *v = i + 1 < argc ? argv[++i] : NULL;
            if (v && !args_once(prog, a, v, &o->given[0])) {
                free(o->files);
                o->files = NULL;
                return false;
            }
            if (!v) {
                fprintf(stderr, "mmsim %s: --check needs a mode (touched, full or end)\n", command);
                free(o->files);
                o->files = NULL;
                return false;
            }
            int mode = replay_check_parse(v);
            if (mode < 0) {
                char shown[ARGS_SHOW_SIZE];
                fprintf(stderr, "mmsim %s: unknown check mode '%s' (touched, full or end)\n", command,
                        args_show(v, shown, sizeof shown));
                free(o->files);
                o->files = NULL;
                return false;
            }
            o->budget.check = (enum replay_check)mode;   /* the budget charges the checks run */
            o->checked = true;
        } else if (strcmp(a, "--no-color") == 0 && allow_verbose) {
            o->no_color = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            o->help = true;
        } else if (strcmp(a, "--max-ticks") == 0 || strcmp(a, "--max-work") == 0) {
            const char *v = i + 1 < argc ? argv[++i] : NULL;
            bool ticks = strcmp(a, "--max-ticks") == 0;
            uint64_t *to = ticks ? &o->budget.max_ticks : &o->budget.max_work;
            if ((v && !args_once(prog, a, v, &o->given[ticks ? 1 : 2])) || !budget_value(command, a, v, to)) {
                free(o->files);
                o->files = NULL;
                return false;
            }
        } else {
            const char *hint = args_suggest_option(a, known, nknown);
            char shown[ARGS_SHOW_SIZE];
            fprintf(stderr, "mmsim %s: unknown option '%s'%s%s%s\n", command, args_show(a, shown, sizeof shown),
                    hint ? ", did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
            free(o->files);
            o->files = NULL;
            return false;
        }
    }
    return true;
}

static bool parse_options(int argc, char **argv, const char *command, bool allow_verbose, bool allow_json,
                          struct options *o)
{
    static const char *const takes_value[] = {"--check", "--max-ticks", "--max-work"};
    struct parse_ctx c = {command, allow_verbose, allow_json, o};
    return args_parse_split(argc, argv, takes_value, sizeof takes_value / sizeof takes_value[0], parse_words, &c);
}

static bool use_color(const struct options *o)
{
    const char *no = getenv("NO_COLOR");
    return !o->no_color && !o->json && !(no && *no) && isatty(STDOUT_FILENO);
}

/* Load one file: NULL, with every error reported, when it is bad or
 * beyond the budget. */
static struct scenario *load_one(const char *file, const struct replay_budget *budget)
{
    return replay_load(file, budget, stderr);
}

/* errno when standard output first failed, 0 while it has not. */
static int out_errno;

/* Whether standard output still works; false once a write to it failed
 * (a full disk, a pipe whose reader left while SIGPIPE is ignored). */
static bool out_ok(void)
{
    if (!out_errno && ferror(stdout))
        out_errno = errno ? errno : EIO;
    return out_errno == 0;
}

static int run_one(const struct scenario *sc, const struct options *o)
{
    struct replay r;
    struct narrator n = {.out = stdout, .verbose = o->verbose, .color = use_color(o), .json = o->json,
                         .summary_only = o->quiet, .replay = &r};
    char why[256];
    if (!o->quiet)
        narrate_parameters(&n, sc);
    /* quiet: no narrator attached, so the engine builds no event for it */
    if (!replay_start(&r, sc, o->quiet ? NULL : narrate_event, &n, why, sizeof why) ||
        !replay_set_check(&r, o->budget.check)) {
        narrate_free(&n);
        fprintf(stderr, "mmsim run: ");
        show_fputs(stderr, sc->file);
        fprintf(stderr, ": %s\n", why);
        return EXIT_BAD_INPUT;
    }
    if (!o->quiet)
        narrate_setup(&n);
    struct replay_result res;
    while (r.next < sc->nsteps && !r.broken && out_ok()) {
        if (!o->quiet)
            narrate_step_begin(&n, &sc->steps[r.next], r.next);
        if (!replay_step(&r, &res))
            break;
        if (o->quiet)
            narrate_step_quiet(&n, &res);
        else
            narrate_step_end(&n, &res);
    }
    int status = narrate_summary(&n);
    narrate_free(&n);
    replay_end(&r);
    return status;
}

/* mmsim check --check=MODE: replay silently; 0, or 3 with a message when
 * an invariant breaks. */
static int replay_silently(const struct scenario *sc, const char *file, enum replay_check mode)
{
    struct replay r;
    char why[256];
    if (!replay_start(&r, sc, NULL, NULL, why, sizeof why) || !replay_set_check(&r, mode)) {
        fprintf(stderr, "%s: %s\n", file, why);
        return EXIT_BAD_INPUT;
    }
    struct replay_result res;
    while (replay_step(&r, &res))
        ;
    int status = 0;
    if (r.broken) {
        fprintf(stderr, "%s: an invariant of the machine broke after step %u: %s\n", file, r.next, r.broken_msg);
#ifdef MMSIM_LAB_KIT
        fprintf(stderr, "(in this lab kit, the likeliest cause is a lab function not written yet or not right)\n");
#endif
        status = 3;
    }
    replay_end(&r);
    return status;
}

/* Options and files of a command that takes scenario files: the exit
 * status when there is nothing to run (--help, a bad option, no file),
 * else -1 with o filled in. */
static int begin(int argc, char **argv, const char *cmd, const char *usage, bool full, struct options *o)
{
    if (!parse_options(argc, argv, cmd, full, full, o)) {
        args_usage_hint(cmd);
        return EXIT_BAD_INPUT;
    }
    if (o->help) {
        fputs(usage, stdout);
        free(o->files);
        return 0;
    }
    if (o->nfiles == 0) {
        fprintf(stderr, "mmsim %s: no scenario given\n%s", cmd, usage);
        free(o->files);
        return EXIT_BAD_INPUT;
    }
    if (args_stdin_count(o->files, (size_t)o->nfiles) > 1) {
        fprintf(stderr, "mmsim %s: standard input ('-') can be given only once\n", cmd);
        args_usage_hint(cmd);
        free(o->files);
        return EXIT_BAD_INPUT;
    }
    return -1;
}

/* Can the file be read a second time (a regular file, not a pipe)? */
static bool rereadable(const char *file)
{
    struct stat st;
    return strcmp(file, "-") != 0 && stat(file, &st) == 0 && S_ISREG(st.st_mode);   /* "-": standard input */
}

/* Every file is validated before any runs, then each is run. The first,
 * and any that cannot be read twice (a pipe, /dev/stdin), run as the
 * validation read them; the other regular files are read again, so that
 * few scenarios are in memory at once, however many files. */
static int cmd_run(int argc, char **argv)
{
    struct options o;
    int done = begin(argc, argv, "run", usage_run, true, &o);
    if (done >= 0)
        return done;
    int status = 0;
    struct scenario **kept = calloc((size_t)o.nfiles, sizeof *kept);
    if (!kept) {
        fprintf(stderr, "mmsim: out of host memory\n");
        free(o.files);
        return EXIT_INTERNAL;
    }
    for (int i = 0; i < o.nfiles; i++) {
        struct scenario *sc = load_one(o.files[i], &o.budget);
        status = sc ? status : EXIT_BAD_INPUT;
        if (i == 0 || !rereadable(o.files[i]))
            kept[i] = sc;
        else
            scenario_free(sc);
    }
    for (int i = 0; status == 0 && i < o.nfiles && out_ok(); i++) {
        struct scenario *sc = kept[i] ? kept[i] : load_one(o.files[i], &o.budget);   /* changed since: refused now */
        kept[i] = NULL;
        if (!sc) {
            status = EXIT_BAD_INPUT;
            break;
        }
        if (i && !o.json && !o.quiet)
            printf("\n");   /* between narrations; quiet summaries are one line each */
        int s = run_one(sc, &o);
        scenario_free(sc);
        if (s > status)
            status = s;
    }
    for (int i = 0; i < o.nfiles; i++)
        scenario_free(kept[i]);   /* not run: another file was refused */
    free(kept);
    free(o.files);
    return status;
}

/* Each file is read, reported and let go before the next. */
static int cmd_check(int argc, char **argv)
{
    struct options o;
    int done = begin(argc, argv, "check", usage_check, false, &o);
    if (done >= 0)
        return done;
    int bad = 0, status = 0;
    for (int i = 0; i < o.nfiles && out_ok(); i++) {
        struct scenario *sc = load_one(o.files[i], &o.budget);
        if (!sc) {
            bad++;
            continue;
        }
        int s = o.checked ? replay_silently(sc, o.files[i], o.budget.check) : 0;
        if (s == 0) {
            show_fputs(stdout, o.files[i]);
            printf(": ok (");
            show_fputs(stdout, sc->name);
            if (o.checked)
                printf(", %u steps; replayed, every invariant held with --check=%s)\n", sc->nops,
                       replay_check_name(o.budget.check));
            else
                printf(", %u steps)\n", sc->nops);
        }
        if (s > status)
            status = s;
        scenario_free(sc);
    }
    free(o.files);
    if (bad && status < EXIT_BAD_INPUT)
        status = EXIT_BAD_INPUT;
    return status;
}

static int cmd_step(int argc, char **argv)
{
    struct options o;
    if (!parse_options(argc, argv, "step", true, true, &o)) {
        args_usage_hint("step");
        return EXIT_BAD_INPUT;
    }
    int status;
    if (o.help) {
        fputs(usage_step, stdout);
        status = 0;
    } else if (o.nfiles != 1) {
        fprintf(stderr, "mmsim step: give exactly one scenario\n%s", usage_step);
        status = EXIT_BAD_INPUT;
    } else if (strcmp(o.files[0], "-") == 0) {
        fprintf(stderr, "mmsim step: the commands come from standard input, so the scenario must be a file, "
                        "not '-'\n");
        args_usage_hint("step");
        status = EXIT_BAD_INPUT;
    } else {
        status = step_main(o.files[0], o.verbose, use_color(&o), o.json, &o.budget, stdin, stdout, stderr);
    }
    free(o.files);
    return status;
}

/* mmsim help [COMMAND] (also mmsim --help [COMMAND]). */
static int cmd_help(int argc, char **argv)
{
    static const struct {
        const char *name, *usage;
    } pages[] = {{"run", usage_run}, {"check", usage_check}, {"step", usage_step},
                 {"lists", ntcmd_usage_lists}, {"purge", ntcmd_usage_purge}, {"compare", ntcmd_usage_compare},
                 {"trace", trace_usage}, {"quiz", quiz_usage}, {"grade", grade_usage}};
    if (argc == 0 || (argc == 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0 ||
                                     strcmp(argv[0], "help") == 0))) {
        fputs(usage_main, stdout);
        return 0;
    }
    char shown[ARGS_SHOW_SIZE];
    if (argc > 1) {
        fprintf(stderr, "mmsim help: one command at a time, got '%s' and more\n", args_show(argv[0], shown, sizeof shown));
        args_usage_hint(NULL);
        return EXIT_BAD_INPUT;
    }
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
        if (strcmp(argv[0], pages[i].name) == 0) {
            fputs(pages[i].usage, stdout);
            return 0;
        }
    fprintf(stderr, "mmsim help: no command '%s' (commands: run, check, step, lists, purge, compare, trace, quiz, grade)\n",
            args_show(argv[0], shown, sizeof shown));
    args_usage_hint(NULL);
    return EXIT_BAD_INPUT;
}

/* The exit status of a command once its output is out: a write to
 * standard output that failed (now or earlier) is an error of its own,
 * status 3, whatever the command found. */
static int finish(const char *cmd, int status)
{
    if (fflush(stdout) != 0 && !out_errno)
        out_errno = errno ? errno : EIO;
    if (!out_ok()) {
        fprintf(stderr, "mmsim %s: cannot write the output: %s\n", cmd, strerror(out_errno));
        return EXIT_INTERNAL;
    }
    return status;
}

/* Started with standard output or error closed, the program would have
 * the next file it opens (a trace, the copy of its page numbers, a
 * temporary file) take descriptor 1 or 2, and what it prints, or what a
 * process of a parallel sweep says, would be written into that file. Each
 * is given /dev/null opened for reading instead: writing to it fails with
 * EBADF, as writing to a closed descriptor does, so the program behaves as
 * before (exit 3, "cannot write the output: Bad file descriptor"). Standard
 * input is left as it is: '-' on a closed one is refused, and nothing
 * writes to descriptor 0. */
static void hold_standard_outputs(void)
{
#ifndef _WIN32
    for (int fd = STDOUT_FILENO; fd <= STDERR_FILENO; fd++) {
        struct stat st;
        if (fstat(fd, &st) != 0 && errno == EBADF) {
            int null = open("/dev/null", O_RDONLY);
            if (null >= 0 && null != fd) {
                dup2(null, fd);
                close(null);
            }
        }
    }
#endif
}

int main(int argc, char **argv)
{
    hold_standard_outputs();
    static const char *const commands[] = {"run",   "check", "step", "lists", "purge",
                                           "compare", "trace", "quiz", "grade", "help"};
    static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
    } table[] = {{"run", cmd_run},          {"check", cmd_check},     {"step", cmd_step},
                 {"lists", ntcmd_lists},    {"purge", ntcmd_purge},   {"compare", ntcmd_compare},
                 {"trace", trace_main},     {"quiz", quiz_main},      {"grade", grade_main},
                 {"help", cmd_help},        {"--help", cmd_help},
                 {"-h", cmd_help}};
    if (argc < 2) {
        fputs(usage_main, stderr);
        return EXIT_BAD_INPUT;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0) {
        if (argc > 2) {
            fprintf(stderr, "mmsim: --version takes no arguments\n");
            args_usage_hint(NULL);
            return EXIT_BAD_INPUT;
        }
        printf("mmsim %s\n", MMSIM_VERSION);
        return finish("--version", 0);
    }
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(cmd, table[i].name) == 0)
            return finish(table[i].name[0] == '-' ? "help" : table[i].name, table[i].run(argc - 2, argv + 2));
    const char *hint = parse_suggest(cmd, commands, sizeof commands / sizeof commands[0]);
    char shown[ARGS_SHOW_SIZE];
    fprintf(stderr, "mmsim: unknown command '%s'%s%s%s\n", args_show(cmd, shown, sizeof shown),
            hint ? ", did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
    args_usage_hint(NULL);
    return EXIT_BAD_INPUT;
}
