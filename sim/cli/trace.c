/*
 * trace.c - mmsim trace: memory-reference traces replayed through the
 * whole engine under a replacement policy (sim/trace/ does the work; this
 * file reads the command line, draws the progress bar and picks the
 * report).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifndef _WIN32
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#endif

#include "args.h"
#include "driver.h"
#include "parse.h"
#include "path.h"
#include "report.h"
#include "show.h"
#include "trace.h"

#define EXIT_BAD_INPUT 2
#define MAX_SWEEP 4096u
#define MAX_JOBS 64u      /* --jobs */
#define DEFAULT_JOBS 8u   /* at most, by default: the processors online */
/* The options that take one value and may be given once (-p may be given
 * again: each adds policies), as indexes of once_long and args.given. */
enum once { ONCE_CACHE, ONCE_FORMAT, ONCE_SWEEP, ONCE_SVG, ONCE_FRAMES, ONCE_TLB, ONCE_TICK, ONCE_JOBS, ONCE_QUANTUM,
            ONCE_OPTIONS };

const char trace_usage[] =
    "usage: mmsim trace [OPTIONS] FILE...\n"
    "\n"
    "Replay memory-reference traces through the whole model: TLB, two-level walk,\n"
    "faults of every kind, working sets, PFN lists, the modified page writer. Each\n"
    "FILE is one process ('-' reads standard input); up to 64 take turns.\n"
    "\n"
    "  -p, --policy P[,P...]  fifo, lru, opt, clock (second chance) or aging (NT's,\n"
    "                         the default); several each have a run (-p fifo,lru or\n"
    "                         -p fifo -p lru), their summaries printed in that order\n"
    "  -C, --cache N          N resident data pages per process, as -C of\n"
    "                         paging-policy.py; page tables and locked pages are\n"
    "                         counted apart. Without it the machine's working-set\n"
    "                         limits apply, as in NT\n"
    "  -c, --compute          a line per reference: hit or miss, the resident pages\n"
    "                         in the policy's order (clock: page:use bit; aging:\n"
    "                         page:use bit:age), the page replaced (as -c of\n"
    "                         paging-policy.py)\n"
    "  -v, --verbose          with -c, what the engine did: TLB, faults, frames,\n"
    "                         lists (--json's records hold it without -v)\n"
    "  -f, --format F         auto (default), pages (OSTEP: a page number per line),\n"
    "                         addrs (an address per line), rw (ADDR R|W), lackey\n"
    "                         (valgrind --tool=lackey --trace-mem=yes)\n"
    "  --sweep A:B[:STEP]     misses for the cache sizes A, A+STEP, ... up to B\n"
    "                         (no -C); prints the miss curve and writes it as an\n"
    "                         SVG plot\n"
    "  --svg FILE             where the sweep's plot goes (default sweep.svg; -:\n"
    "                         standard output, and the table to standard error)\n"
    "  -j, --jobs N           the runs of a sweep, or of several policies without -c,\n"
    "                         go to N processes at once (default: one per processor,\n"
    "                         up to 8)\n"
    "  --frames N             physical memory in 4 KiB frames (default with -C: the\n"
    "                         caches, their page tables, 3 locked pages each and 16,\n"
    "                         and half as much again, at least 64; without: 4096, or\n"
    "                         more when the page tables need it)\n"
    "  --tlb N                TLB entries, a power of two (default 64)\n"
    "  --tick N               page references per clock tick: the system threads'\n"
    "                         chance to run (default 10000; 0: never). Each tick ages\n"
    "                         every working set: a small N is slow\n"
    "  --quantum N            references per turn with several files (default 1000)\n"
    "  --json                 JSON lines: a summary per policy (after -c's lines), or\n"
    "                         the curve\n"
    "  --no-progress          no progress bar (shown on a terminal for long runs)\n"
    "\n"
    "An option that takes a value is given once (-p adds policies each time).\n"
    "Exit status 0, 2 on bad input (the command line or a trace: FILE:LINE: what is\n"
    "wrong; nothing runs), 3 when standard output cannot be written, the engine\n"
    "refuses a reference or the host runs out of memory.\n";

struct args {
    enum mm_policy policy[MM_POLICY_COUNT];
    uint32_t policies;
    struct trace_options o;
    bool compute, verbose, json, no_progress, help, sweep;
    uint32_t sweep_from, sweep_to, sweep_step;
    uint32_t jobs;   /* processes a sweep's or several policies' runs go to; 0: as many as processors, up to
                        DEFAULT_JOBS */
    const char *svg;
    bool policy_given;
    enum trace_format format;
    const char **files;
    uint32_t nfiles;
    const char *given[ONCE_OPTIONS];   /* the value each option given once had; NULL: not given */
};

/* The value of a numeric option, from min to max (parse_field: out of
 * range, negative or too large, the refusal gives the range). */
static bool number(const char *opt, const char *s, uint64_t min, uint64_t max, uint32_t *out)
{
    char why[160];
    uint64_t v;
    if (!s) {
        show_printf(stderr, "mmsim trace: %s needs a value\n", opt);
        return false;
    }
    if (!parse_field(s, false, min, max, &v, why, sizeof why)) {
        show_printf(stderr, "mmsim trace: %s %s: %s\n", opt, s, why);
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

static bool policies(const char *s, struct args *a)
{
    static const char *const names[] = {"fifo", "clock", "lru", "aging", "opt"};
    if (!s) {
        show_printf(stderr, "mmsim trace: --policy needs a value\n");
        return false;
    }
    if (!*s) {
        show_printf(stderr, "mmsim trace: --policy needs a name\n");
        return false;
    }
    if (!a->policy_given)   /* the first -p replaces the default; later ones add to it */
        a->policies = 0;
    a->policy_given = true;
    for (const char *at = s;;) {
        const char *comma = strchr(at, ',');
        size_t n = comma ? (size_t)(comma - at) : strlen(at);
        if (n == 0) {
            size_t len = strlen(s);   /* a long list is shown by its start */
            show_printf(stderr, "mmsim trace: --policy '%.*s%s' has an empty name (names are separated by single "
                        "commas)\n", len > 40 ? 37 : (int)len, s, len > 40 ? "..." : "");
            return false;
        }
        char t[16];
        snprintf(t, sizeof t, "%.*s", n < sizeof t ? (int)n : (int)sizeof t - 1, at);
        if (n >= sizeof t)   /* no policy's name is that long: shown cut, refused below */
            memcpy(t + sizeof t - 4, "...", 4);
        enum mm_policy p;
        if (!mm_policy_from_name(t, &p)) {
            const char *hint = parse_suggest(t, names, sizeof names / sizeof names[0]);
            show_printf(stderr, "mmsim trace: unknown policy '%s'%s%s%s (fifo, lru, opt, clock, aging)\n", t,
                    hint ? ", did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
            return false;
        }
        for (uint32_t i = 0; i < a->policies; i++)
            if (a->policy[i] == p) {
                show_printf(stderr, "mmsim trace: policy '%s' is given twice\n", t);
                return false;
            }
        a->policy[a->policies++] = p;
        if (!comma)
            return true;
        at = comma + 1;
    }
}

static bool sweep_range(const char *s, struct args *a)
{
    char buf[64], *parts[3];
    uint32_t n = 1, v[3] = {0, 0, 1};
    if (!s || strlen(s) >= sizeof buf) {
        show_printf(stderr, "mmsim trace: --sweep needs a range A:B or A:B:STEP\n");
        return false;
    }
    snprintf(buf, sizeof buf, "%s", s);
    parts[0] = buf;
    for (char *c = strchr(buf, ':'); c; c = strchr(c + 1, ':')) {
        if (n == 3) {
            n = 4;
            break;
        }
        *c = '\0';
        parts[n++] = c + 1;
    }
    if (n < 2 || n > 3) {
        show_printf(stderr, "mmsim trace: --sweep %s: give A:B or A:B:STEP\n", s);
        return false;
    }
    static const char *const part_name[] = {"A", "B", "STEP"};
    for (uint32_t i = 0; i < n; i++) {
        char label[96];
        snprintf(label, sizeof label, "--sweep %s: %s", s, part_name[i]);
        if (!*parts[i]) {
            show_printf(stderr, "mmsim trace: %s is missing; give A:B or A:B:STEP\n", label);
            return false;
        }
        if (!number(label, parts[i], 1, TRACE_MAX_CACHE, &v[i]))
            return false;
    }
    if (v[1] < v[0]) {
        show_printf(stderr, "mmsim trace: --sweep %s: sizes run up, A <= B\n", s);
        return false;
    }
    if ((v[1] - v[0]) / v[2] + 1 > MAX_SWEEP) {
        show_printf(stderr, "mmsim trace: --sweep %s: at most %u cache sizes; give a STEP\n", s, MAX_SWEEP);
        return false;
    }
    a->sweep = true;
    a->sweep_from = v[0];
    a->sweep_to = v[1];
    a->sweep_step = v[2];
    return true;
}

/* The long and short names of each option of enum once. */
static const char *const once_long[ONCE_OPTIONS] = {"--cache", "--format", "--sweep", "--svg", "--frames",
                                                   "--tlb", "--tick", "--jobs", "--quantum"};
static const char *const once_short[ONCE_OPTIONS] = {"-C", "-f", NULL, NULL, NULL, NULL, NULL, "-j", NULL};

/* Every option, long and short. */
static const char *const long_options[] = {"--policy", "--cache", "--compute", "--verbose", "--format", "--sweep",
                                           "--svg", "--frames", "--tlb", "--tick", "--quantum", "--json",
                                           "--no-progress", "--jobs", "--help"};
static const char *const short_options[] = {"-p", "-C", "-c", "-v", "-f", "-j", "-h"};

/* Whether s is one of this command's options. */
static bool is_option(const char *s)
{
    for (size_t i = 0; i < sizeof long_options / sizeof long_options[0]; i++)
        if (!strcmp(s, long_options[i]))
            return true;
    for (size_t i = 0; i < sizeof short_options / sizeof short_options[0]; i++)
        if (!strcmp(s, short_options[i]))
            return true;
    return false;
}

/* Which of them s is, or -1. */
static int single_value(const char *s)
{
    for (int i = 0; i < (int)ONCE_OPTIONS; i++)
        if (!strcmp(s, once_long[i]) || (once_short[i] && !strcmp(s, once_short[i])))
            return i;
    return -1;
}

static bool parse_args_words(int argc, char **argv, void *ctx)
{
    struct args *a = ctx;
    memset(a, 0, sizeof *a);
    a->policy[0] = MM_POLICY_AGING;
    a->policies = 1;
    a->o.tick = TRACE_DEFAULT_TICK;
    a->o.quantum = TRACE_DEFAULT_QUANTUM;
    a->svg = "sweep.svg";
    a->files = calloc((size_t)argc + 1, sizeof *a->files);
    if (!a->files)
        mm_host_exhausted(__func__, "the list of trace files");
    bool only_files = false;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool ok = true, takes = true;
        if (only_files || s[0] != '-' || strcmp(s, "-") == 0) {
            a->files[a->nfiles++] = s;
            continue;
        }
        if (strcmp(s, "--") == 0) {
            only_files = true;
            continue;
        }
        int once = single_value(s);
        if (once >= 0 && !args_once("mmsim trace", s, v, &a->given[once]))
            return false;
        if (!strcmp(s, "-p") || !strcmp(s, "--policy"))
            ok = policies(v, a);
        else if (!strcmp(s, "-C") || !strcmp(s, "--cache"))
            ok = number(s, v, 1, TRACE_MAX_CACHE, &a->o.cache);
        else if (!strcmp(s, "-f") || !strcmp(s, "--format")) {
            ok = v && trace_format_from_name(v, &a->format);
            if (!ok)
                show_printf(stderr, "mmsim trace: --format %s: give auto, pages, addrs, rw or lackey\n", v ? v : "");
        } else if (!strcmp(s, "--sweep"))
            ok = sweep_range(v, a);
        else if (!strcmp(s, "--svg")) {
            ok = v != NULL && *v;
            a->svg = v;
            if (!ok)
                show_printf(stderr, "mmsim trace: --svg needs a file name\n");
            else if (is_option(v)) {
                show_printf(stderr, "mmsim trace: --svg %s: the plot's name is an option; give a file name (./%s for "
                            "a file of that name)\n", v, v);
                ok = false;
            }
        } else if (!strcmp(s, "--frames"))
            ok = number(s, v, MM_MIN_FRAMES, MM_MAX_FRAMES, &a->o.frames);
        else if (!strcmp(s, "--tlb"))
            ok = number(s, v, 1, MM_MAX_TLB_ENTRIES, &a->o.tlb_entries) &&
                 (!(a->o.tlb_entries & (a->o.tlb_entries - 1)) ||
                  (show_printf(stderr, "mmsim trace: --tlb %s: not a power of two; give 1, 2, 4, ... up to %u\n", v,
                               MM_MAX_TLB_ENTRIES),
                   false));
        else if (!strcmp(s, "--tick"))
            ok = number(s, v, 0, UINT32_MAX, &a->o.tick);
        else if (!strcmp(s, "-j") || !strcmp(s, "--jobs"))
            ok = number(s, v, 1, MAX_JOBS, &a->jobs);
        else if (!strcmp(s, "--quantum"))
            ok = number(s, v, 1, UINT32_MAX, &a->o.quantum);
        else {
            takes = false;
            if (!strcmp(s, "-c") || !strcmp(s, "--compute"))
                a->compute = true;
            else if (!strcmp(s, "-v") || !strcmp(s, "--verbose"))
                a->verbose = true;
            else if (!strcmp(s, "--json"))
                a->json = true;
            else if (!strcmp(s, "--no-progress"))
                a->no_progress = true;
            else if (!strcmp(s, "-h") || !strcmp(s, "--help"))
                a->help = true;
            else {
                const char *hint = args_suggest_option(s, long_options, sizeof long_options / sizeof long_options[0]);
                show_printf(stderr, "mmsim trace: unknown option '%s'%s%s%s\n", s, hint ? ", did you mean '" : "",
                        hint ? hint : "", hint ? "'?" : "");
                ok = false;
            }
        }
        if (!ok)
            return false;
        if (takes)
            i++;
    }
    return true;
}

/* The options that take a value; each is accepted as --name VALUE,
 * --name=VALUE and (short) -xVALUE. */
static const char *const takes_value[] = {"-p", "--policy", "-C", "--cache", "-f", "--format", "--sweep",
                                          "--svg", "--frames", "--tlb", "--tick", "-j", "--jobs",
                                          "--quantum"};

static bool parse_args(int argc, char **argv, struct args *a)
{
    return args_parse_split(argc, argv, takes_value, sizeof takes_value / sizeof takes_value[0], parse_args_words, a);
}

/* ---- The progress bar: on a terminal, once a run has taken a second ---- */

struct progress {
    bool on, drawn;
    double start;     /* processor seconds at the start */
    double wall;      /* and wall_seconds() */
    uint32_t run, runs;
    int width;        /* columns of the widest line drawn, for erase */
    int columns;      /* the terminal's width: a line must be narrower, or it wraps */
};

/* Processor time of this run: the replay is bound by it, and clock() is
   standard C on every platform mmsim builds for. */
static double seconds(void)
{
    return (double)clock() / CLOCKS_PER_SEC;
}

/* Seconds on a clock that only goes forward (on Windows, the time of day
   in whole seconds). */
static double wall_seconds(void)
{
#ifdef _WIN32
    return (double)time(NULL);
#else
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
#endif
}

/* Whether a second has gone by: of processor time, or on the wall, which
   reading a slow pipe spends waiting (two on Windows, whose clock counts
   whole seconds, so that it is at least one). */
static bool long_enough(const struct progress *p)
{
#ifdef _WIN32
    double wall = 2.0;
#else
    double wall = 1.0;
#endif
    return seconds() - p->start >= 1.0 || wall_seconds() - p->wall >= wall;
}

/* The width of the terminal on standard error; 80 when it cannot be told. */
static int terminal_columns(void)
{
#ifdef TIOCGWINSZ
    struct winsize w;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 0)
        return w.ws_col;
#endif
    return 80;
}

/* Puts `line` (printable ASCII) over the line drawn before. A line as wide
   as the terminal is not drawn: it would wrap, and a carriage return
   would go back to its last row only. */
static void redraw(struct progress *p, const char *line)
{
    int columns = (int)strlen(line);
    if (columns >= p->columns)
        return;
    fprintf(stderr, "\r%s%*s", line, p->width > columns ? p->width - columns : 0, "");
    fflush(stderr);
    if (columns > p->width)
        p->width = columns;
    p->drawn = true;
}

/* A bar of `width` columns, `done` of it full, and the whole percent done
   (rounded down, as the bar is: 100% only when it is full). */
static void bar(char *out, size_t size, double done, int width)
{
    static const char full[] = "########################################";
    int n = (int)(done * width);
    snprintf(out, size, "[%.*s%*s] %3d%%", n, full, width - n, "", (int)(done * 100));
}

static void draw(void *ctx, double done)
{
    struct progress *p = ctx;
    if (!p->on || !long_enough(p))
        return;
    char line[64];
    bar(line, sizeof line, (p->run + done) / p->runs, 40);
    redraw(p, line);
}

/* "reading WHO HOW": WHO is the file's name, after "2 of 3" with several
   files, or with no name "trace 2 of 3". */
static void reading_line(char *line, size_t size, const struct trace_reading *r, const char *name, const char *how)
{
    char which[40] = "";
    if (!*name || r->files > 1)
        snprintf(which, sizeof which, "%s%u of %u%s", *name ? "" : "trace ", r->file + 1, r->files, *name ? " " : "");
    snprintf(line, size, "reading %s%s%s%s", which, name, r->size ? " " : "", how);
}

/* The first pass's line: which file, and how far into it: a bar when its
   size is known, else the references and bytes read so far (standard
   input, a pipe: as much as `yes 1 | mmsim trace -` has given). The
   file's last component, escaped and cut to 27 bytes, is named when it is
   printable ASCII (a wider character's columns cannot be told) and the
   line fits the terminal with it; else the file is named by its number. */
static void draw_reading(void *ctx, const struct trace_reading *r)
{
    struct progress *p = ctx;
    if (!p->on || !long_enough(p))
        return;
    const char *base = r->shown + path_base_offset(r->shown);
    char name[28], how[64], line[160];
    show_text(base, strlen(base), strlen(base), name, sizeof name);
    for (const char *c = name; *c; c++)
        if ((unsigned char)*c >= 0x80) {
            name[0] = '\0';
            break;
        }
    if (r->size) {
        uint64_t size = r->size > r->bytes ? r->size : r->bytes;
        bar(how, sizeof how, (double)r->bytes / (double)size, 20);
    } else {
        double gib = (double)r->bytes / (1024.0 * 1024 * 1024);
        snprintf(how, sizeof how, ": %.1f M references, %.1f %s", (double)r->references / 1e6,
                 gib < 1 ? gib * 1024 : gib, gib < 1 ? "MiB" : "GiB");
    }
    reading_line(line, sizeof line, r, name, how);
    if ((int)strlen(line) >= p->columns)
        reading_line(line, sizeof line, r, "", how);
    redraw(p, line);
}

static void erase(struct progress *p)
{
    if (p->drawn)
        fprintf(stderr, "\r%*s\r", p->width, "");
    p->drawn = false;
    p->width = 0;
}

/* ---- Running ---- */

struct step_ctx {
    const struct trace_set *set;
    enum mm_policy policy;
    bool verbose, json;
};

static void on_step(void *ctx, const struct mm_machine *m, const struct trace_step *s)
{
    struct step_ctx *c = ctx;
    report_step(stdout, m, c->set, s, c->policy, c->verbose, c->json);
}

/* ---- Runs, one after another or in several processes at once ---- */

/* A set of runs, job 0 to count - 1, that may go to several processes at
 * once: a sweep's cache sizes, or the policies of a run without -c. The
 * caller's `ctx` keeps each job's result: `run` makes job k here (its
 * message in err when it fails), `result` gives the result of a job made
 * here as bytes for a child to send, and `take` puts a child's bytes in
 * place in the parent. */
struct jobs {
    uint32_t count;
    struct progress *pg;
    void *ctx;
    enum trace_status (*run)(void *ctx, uint32_t k, char *err, size_t err_size);
    const void *(*result)(void *ctx, uint32_t k, size_t *len);
    bool (*take)(void *ctx, uint32_t k, const void *data, size_t len);
};

enum { JOB_NOT_RUN, JOB_DONE, JOB_FAILED };

/* The jobs one after another, but those `state` (NULL: none) says are
 * done, up to the first that fails: its status (0 when none fails), its
 * index in *failed and its message in err. */
static int jobs_in_turn(const struct jobs *j, const uint8_t *state, uint32_t *failed, char *err, size_t err_size)
{
    j->pg->runs = j->count;
    for (uint32_t k = 0; k < j->count; k++) {
        if (state && state[k] == JOB_DONE)
            continue;
        j->pg->run = k;
        enum trace_status s = j->run(j->ctx, k, err, err_size);
        if (s != TRACE_OK) {
            erase(j->pg);
            *failed = k;
            return (int)s;
        }
    }
    erase(j->pg);
    return 0;
}

#ifndef _WIN32
/* What a process of a parallel set of runs sends back for each of its
 * jobs: this, then `len` bytes of the job's result. */
struct job_record {
    uint32_t k;
    int32_t status;   /* enum trace_status */
    uint64_t len;
};

/* Worker w of `workers` (0 is this process) runs jobs w, w + workers, ...
 * in order, up to the first that fails; so does worker 0 for those of any
 * worker that could not be started (w >= started). */
static bool mine(uint32_t k, uint32_t w, uint32_t workers, uint32_t started)
{
    uint32_t of = k % workers;
    return of == w || (w == 0 && of >= started);
}

static bool put_all(int fd, const void *data, size_t left)
{
    const char *at = data;
    while (left) {
        ssize_t put = write(fd, at, left);
        if (put < 0 && errno == EINTR)
            continue;
        if (put <= 0)
            return false;
        at += put;
        left -= (size_t)put;
    }
    return true;
}

/* A child: its jobs, their records down fd, and _exit without touching
 * the parent's stdio buffers. What it would say on standard error (out of
 * memory, an internal error) goes nowhere: the parent runs again, in
 * order, every job a child did not report, and says it then, once. */
static void jobs_child(const struct jobs *j, uint32_t w, uint32_t workers, int fd)
{
    j->pg->on = false;
    int null = open("/dev/null", O_WRONLY);   /* descriptor 2 is no trace's: main holds it */
    if (null >= 0)
        dup2(null, STDERR_FILENO);
    for (uint32_t k = w; k < j->count; k += workers) {
        char err[512];
        enum trace_status s = j->run(j->ctx, k, err, sizeof err);
        size_t len = 0;
        const void *data = s == TRACE_OK ? j->result(j->ctx, k, &len) : NULL;
        struct job_record rec = {k, (int32_t)s, len};
        if (!put_all(fd, &rec, sizeof rec) || (len && !put_all(fd, data, len)))
            _exit(EXIT_FAILURE);
        if (s != TRACE_OK)
            break;
    }
    _exit(0);
}

/* A child's records, into ctx (take) and state[] once they are all read
 * and the child has exited 0; a child that did not (killed, out of
 * memory, a broken pipe) leaves its jobs JOB_NOT_RUN. */
static void jobs_collect(const struct jobs *j, int fd, pid_t pid, uint8_t *state)
{
    char *buf = NULL;
    size_t have = 0, cap = 0;
    bool whole = true;
    for (;;) {
        if (have == cap) {
            cap = cap ? 2 * cap : 4096;
            char *more = realloc(buf, cap);
            if (!more)
                mm_host_exhausted(__func__, "the results of runs made at once");
            buf = more;
        }
        ssize_t got = read(fd, buf + have, cap - have);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            whole = got == 0;
            break;
        }
        have += (size_t)got;
    }
    close(fd);
    int st = 0;
    pid_t waited;
    while ((waited = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
        ;
    if (whole && waited == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0)
        for (size_t at = 0; have - at >= sizeof(struct job_record);) {
            struct job_record rec;
            memcpy(&rec, buf + at, sizeof rec);
            at += sizeof rec;
            if (rec.k >= j->count || rec.len > have - at)
                break;
            bool ok = rec.status == TRACE_OK && j->take(j->ctx, rec.k, buf + at, (size_t)rec.len);
            state[rec.k] = ok ? JOB_DONE : JOB_FAILED;
            at += (size_t)rec.len;
        }
    free(buf);
}

/* The jobs in `workers` processes at once: this one and workers - 1
 * children (fork), each with its own machines. The results are
 * jobs_in_turn's: every job not done here or by a child (one that failed,
 * one after it in the same process, those of a process that did not
 * finish) is run here again in order, so that the first failure in order
 * is the one said, as jobs_in_turn would say it (a run is deterministic). */
static int jobs_at_once(const struct jobs *j, uint32_t workers, uint32_t *failed, char *err, size_t err_size)
{
    uint8_t *state = calloc(j->count, 1);
    pid_t pid[MAX_JOBS];
    int fd[MAX_JOBS];
    if (!state)
        mm_host_exhausted(__func__, "the state of runs made at once");
    /* children to wait for, even if this program was started with SIGCHLD
       ignored (they would be reaped unseen) */
    struct sigaction dfl = {.sa_handler = SIG_DFL}, old;
    sigemptyset(&dfl.sa_mask);
    bool restore = sigaction(SIGCHLD, &dfl, &old) == 0;
    fflush(stdout);
    fflush(stderr);
#ifdef __linux__
    pid_t parent = getpid();
#endif
    uint32_t started = 1;
    while (started < workers) {
        int pfd[2];
        if (pipe(pfd) != 0)
            break;
        pid_t c = fork();
        if (c < 0) {
            close(pfd[0]);
            close(pfd[1]);
            break;
        }
        if (c == 0) {
            close(pfd[0]);
            for (uint32_t w = 1; w < started; w++)
                close(fd[w]);
#ifdef __linux__
            /* gone with the parent, should it stop (out of memory) */
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != parent)
                _exit(EXIT_FAILURE);
#endif
            jobs_child(j, started, workers, pfd[1]);
        }
        close(pfd[1]);
        pid[started] = c;
        fd[started] = pfd[0];
        started++;
    }
    /* this process's share, with the progress bar */
    uint32_t own = 0, done = 0;
    for (uint32_t k = 0; k < j->count; k++)
        own += mine(k, 0, workers, started);
    j->pg->runs = own;
    for (uint32_t k = 0; k < j->count; k++) {
        if (!mine(k, 0, workers, started))
            continue;
        char why[512];
        j->pg->run = done++;
        enum trace_status s = j->run(j->ctx, k, why, sizeof why);
        state[k] = s == TRACE_OK ? JOB_DONE : JOB_FAILED;
        if (s != TRACE_OK)
            break;
    }
    erase(j->pg);
    for (uint32_t w = 1; w < started; w++)
        jobs_collect(j, fd[w], pid[w], state);
    if (restore)
        sigaction(SIGCHLD, &old, NULL);
    int status = jobs_in_turn(j, state, failed, err, err_size);
    free(state);
    return status;
}

/* How many processes the jobs run in: one unless the traces are read
 * from their copies of page numbers (a run that reads text moves the file
 * position that all processes share). */
static uint32_t jobs_workers(const struct trace_set *set, const struct args *a, uint32_t jobs)
{
    for (uint32_t i = 0; i < set->count; i++)
        if (!set->file[i].copy)
            return 1;
    uint32_t n = a->jobs;
    if (!n) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        n = cpus < 1 ? 1 : cpus > (long)DEFAULT_JOBS ? DEFAULT_JOBS : (uint32_t)cpus;
    }
    return n < jobs ? n : jobs;
}
#endif

/* The jobs, at once where they may be, else in turn: jobs_in_turn's
 * answer either way. */
static int jobs_run(const struct jobs *j, const struct trace_set *set, const struct args *a, uint32_t *failed,
                    char *err, size_t err_size)
{
#ifdef _WIN32
    (void)set, (void)a;   /* no fork */
#else
    uint32_t workers = jobs_workers(set, a, j->count);
    if (workers > 1)
        return jobs_at_once(j, workers, failed, err, err_size);
#endif
    return jobs_in_turn(j, NULL, failed, err, err_size);
}

/* ---- Several policies ---- */

static void print_summary(FILE *out, const struct trace_set *set, const struct args *a,
                          const struct trace_result *res)
{
    if (a->json)
        report_summary_json(out, set, res);
    else
        report_summary(out, set, res);
}

/* The policies one after another, each summary printed as its run ends
 * (after -c's lines, when given). */
static int policies_in_turn(struct trace_set *set, const struct args *a, struct progress *pg)
{
    pg->runs = a->policies;
    for (uint32_t i = 0; i < a->policies; i++) {
        struct trace_options o = a->o;
        o.policy = a->policy[i];
        struct trace_result res;
        struct step_ctx sc = {set, o.policy, a->verbose, a->json};
        char err[512];
        pg->run = i;
        enum trace_status s = trace_run(set, &o, &res, a->compute ? on_step : NULL, &sc, draw, pg, err, sizeof err);
        erase(pg);
        if (s != TRACE_OK) {
            show_printf(stderr, "mmsim trace: %s\n", err);
            return (int)s;
        }
        if (!a->json && (i || a->compute))
            printf("\n");
        print_summary(stdout, set, a, &res);
    }
    return 0;
}

#ifndef _WIN32
/* Several policies without -c as jobs (struct jobs): each one's summary
 * kept as text, printed in order once all are made. */
struct policy_runs {
    struct trace_set *set;
    const struct args *a;
    struct progress *pg;
    char **text;   /* [k]: job k's summary, NULL until made */
    size_t *len;
};

static enum trace_status policy_job(void *ctx, uint32_t k, char *err, size_t err_size)
{
    struct policy_runs *pr = ctx;
    struct trace_options o = pr->a->o;
    o.policy = pr->a->policy[k];
    struct trace_result res;
    enum trace_status s = trace_run(pr->set, &o, &res, NULL, NULL, draw, pr->pg, err, err_size);
    if (s != TRACE_OK)
        return s;
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        mm_host_exhausted(__func__, "a run's summary");
    print_summary(out, pr->set, pr->a, &res);
    if (fclose(out) != 0)
        mm_host_exhausted(__func__, "a run's summary");
    free(pr->text[k]);
    pr->text[k] = text;
    pr->len[k] = len;
    return TRACE_OK;
}

static const void *policy_result(void *ctx, uint32_t k, size_t *len)
{
    struct policy_runs *pr = ctx;
    *len = pr->len[k];
    return pr->text[k];
}

static bool policy_take(void *ctx, uint32_t k, const void *data, size_t len)
{
    struct policy_runs *pr = ctx;
    char *text = malloc(len + 1);
    if (!text)
        mm_host_exhausted(__func__, "a run's summary");
    memcpy(text, data, len);
    text[len] = '\0';
    free(pr->text[k]);
    pr->text[k] = text;
    pr->len[k] = len;
    return true;
}

/* The policies at once: the summaries printed in order as
 * policies_in_turn prints them, up to the first run that fails, which is
 * then said. */
static int policies_at_once(struct trace_set *set, const struct args *a, struct progress *pg)
{
    struct policy_runs pr = {set, a, pg, calloc(a->policies, sizeof *pr.text), calloc(a->policies, sizeof *pr.len)};
    if (!pr.text || !pr.len)
        mm_host_exhausted(__func__, "the summaries of runs made at once");
    struct jobs j = {a->policies, pg, &pr, policy_job, policy_result, policy_take};
    uint32_t failed = a->policies;
    char err[512];
    int status = jobs_run(&j, set, a, &failed, err, sizeof err);
    for (uint32_t k = 0; k < a->policies && k < failed; k++) {
        if (!a->json && k)
            printf("\n");
        fwrite(pr.text[k], 1, pr.len[k], stdout);
    }
    if (status) {
        fflush(stdout);
        show_printf(stderr, "mmsim trace: %s\n", err);
    }
    for (uint32_t k = 0; k < a->policies; k++)
        free(pr.text[k]);
    free(pr.text);
    free(pr.len);
    return status;
}
#endif

/* Each policy's run and its summary: several at once when there are
 * several and no line per reference to print in order. */
static int run_policies(struct trace_set *set, struct args *a, struct progress *pg)
{
#ifndef _WIN32
    if (a->policies > 1 && !a->compute)
        return policies_at_once(set, a, pg);
#endif
    return policies_in_turn(set, a, pg);
}

/* ---- A sweep ---- */

/* A sweep's runs as jobs: job k is policy k / sizes at cache size
 * cache[k % sizes]. */
struct sweep {
    struct trace_set *set;
    const struct args *a;
    struct progress *pg;
    const uint32_t *cache;
    uint32_t sizes, jobs;
    uint64_t *misses;     /* [k] */
    uint64_t touches;     /* page references, the same in every run */
    uint64_t sent[2];     /* a job's result as a child sends it: misses, touches */
};

static enum trace_status sweep_job(void *ctx, uint32_t k, char *err, size_t err_size)
{
    struct sweep *sw = ctx;
    struct trace_options o = sw->a->o;
    o.policy = sw->a->policy[k / sw->sizes];
    o.cache = sw->cache[k % sw->sizes];
    struct trace_result res;
    enum trace_status s = trace_run(sw->set, &o, &res, NULL, NULL, draw, sw->pg, err, err_size);
    if (s == TRACE_OK) {
        sw->misses[k] = res.total.misses;
        sw->touches = res.total.touches;
    }
    return s;
}

static const void *sweep_result(void *ctx, uint32_t k, size_t *len)
{
    struct sweep *sw = ctx;
    sw->sent[0] = sw->misses[k];
    sw->sent[1] = sw->touches;
    *len = sizeof sw->sent;
    return sw->sent;
}

static bool sweep_take(void *ctx, uint32_t k, const void *data, size_t len)
{
    struct sweep *sw = ctx;
    if (len != sizeof sw->sent)
        return false;
    memcpy(sw->sent, data, len);
    sw->misses[k] = sw->sent[0];
    sw->touches = sw->sent[1];
    return true;
}

/* Whether every run of the sweep fits the traces: the need grows with the
 * cache, so the largest size says it for all, before any runs. */
static bool sweep_fits(const struct trace_set *set, const struct args *a, const uint32_t *cache, uint32_t sizes)
{
    struct trace_options o = a->o;
    char err[512];
    o.cache = cache[sizes - 1];
    if (trace_fit(set, &o, err, sizeof err) == TRACE_FITS)
        return true;
    show_printf(stderr, "mmsim trace: cache %u, the sweep's largest: %s\n", o.cache, err);
    return false;
}

/* The plot, to a.svg or (-) standard output: 0, or the exit status when
 * it cannot be written: EXIT_BAD_INPUT for the file, said here; 3 for
 * standard output, said as every command says it when it ends. */
static int write_plot(const struct trace_set *set, const struct args *a, const struct trace_sweep *sw)
{
    errno = 0;
    if (strcmp(a->svg, "-") == 0)
        return report_sweep_svg(stdout, set, sw) && fflush(stdout) == 0 && !ferror(stdout) ? 0 : 3;
    FILE *out = fopen(a->svg, "w");
    bool ok = out && report_sweep_svg(out, set, sw);
    int why = ok ? 0 : errno;
    if (out && fclose(out) != 0 && ok) {
        ok = false;
        why = errno;
    }
    if (!ok) {
        char shown[ARGS_SHOW_SIZE];
        fprintf(stderr, "mmsim trace: cannot write the plot to %s: %s\n", args_show(a->svg, shown, sizeof shown),
                strerror(why ? why : EIO));
    }
    return ok ? 0 : EXIT_BAD_INPUT;
}

static int run_sweep(struct trace_set *set, struct args *a, struct progress *pg)
{
    uint32_t sizes = (a->sweep_to - a->sweep_from) / a->sweep_step + 1;
    uint32_t *cache = malloc(sizes * sizeof *cache);
    uint64_t *misses = malloc((size_t)sizes * a->policies * sizeof *misses);
    if (!cache || !misses)
        mm_host_exhausted(__func__, "the table of a sweep's misses");
    for (uint32_t i = 0; i < sizes; i++)
        cache[i] = a->sweep_from + i * a->sweep_step;
    struct sweep run = {set, a, pg, cache, sizes, sizes * a->policies, misses, 0, {0, 0}};
    struct jobs j = {run.jobs, pg, &run, sweep_job, sweep_result, sweep_take};
    int status = EXIT_BAD_INPUT;
    if (sweep_fits(set, a, cache, sizes)) {
        uint32_t failed = 0;
        char err[512];
        status = jobs_run(&j, set, a, &failed, err, sizeof err);
        if (status)
            show_printf(stderr, "mmsim trace: cache %u: %s\n", cache[failed % sizes], err);
    }
    /* the plot first: a plot that cannot be written leaves nothing half
       done on standard output. With --svg -, the plot is standard output
       and the table goes to standard error. */
    struct trace_sweep sw = {cache, sizes, a->policy, a->policies, misses, run.touches};
    if (!status)
        status = write_plot(set, a, &sw);
    if (!status) {
        bool plot_out = strcmp(a->svg, "-") == 0;
        FILE *table = plot_out ? stderr : stdout;
        if (a->json)
            report_sweep_json(table, set, &sw, a->svg);
        else
            report_sweep(table, set, &sw);
        if (!a->json && !plot_out) {
            printf("\n");
            show_printf(stdout, "plot: %s\n", a->svg);
        }
    }
    free(cache);
    free(misses);
    return status;
}

/* The trace file the plot's path names (the same file by another name
 * too), or NULL. */
static const char *plot_overwrites(const struct args *a)
{
    if (strcmp(a->svg, "-") == 0)
        return NULL;
#ifndef _WIN32
    struct stat plot;
    bool exists = stat(a->svg, &plot) == 0;
#endif
    for (uint32_t i = 0; i < a->nfiles; i++) {
        if (strcmp(a->files[i], a->svg) == 0)
            return a->files[i];
#ifndef _WIN32
        struct stat t;   /* standard input's file too (--svg /dev/stdin with -) */
        if (exists && trace_stat(a->files[i], &t) && t.st_dev == plot.st_dev && t.st_ino == plot.st_ino)
            return strcmp(a->files[i], "-") ? a->files[i] : "- (standard input)";
#endif
    }
    return NULL;
}

int trace_main(int argc, char **argv)
{
    struct args a;
    if (!parse_args(argc, argv, &a)) {
        free(a.files);
        args_usage_hint("trace");
        return EXIT_BAD_INPUT;
    }
    const char *conflict = NULL;
    if (a.help)
        fputs(trace_usage, stdout);
    else if (a.nfiles == 0)
        conflict = "no trace given";
    else if (a.sweep && a.o.cache)
        conflict = "--sweep chooses the cache sizes: leave out --cache";
    else if (a.sweep && a.compute)
        conflict = "--sweep prints the miss curve, not a line per reference: leave out -c";
    else if (a.verbose && !a.compute)
        conflict = "-v adds to the lines of -c: give -c too";
    else if (a.verbose && a.json)
        conflict = "--json's records of -c hold all that -v adds: leave out -v";
    else if (a.given[ONCE_SVG] && !a.sweep)
        conflict = "--svg names the plot of a sweep: give --sweep too";
    else if (a.jobs && !a.sweep && a.policies < 2)
        conflict = "--jobs runs a sweep's cache sizes or several policies at once: give --sweep or more policies";
    else if (a.jobs && a.compute)
        conflict = "-c prints its lines in order, one run after another: leave out --jobs";
    else if (a.sweep && a.json && strcmp(a.svg, "-") == 0)
        conflict = "--json writes the curve to standard output: give --svg a file for the plot";
    else if (a.nfiles > TRACE_MAX_FILES)
        conflict = "at most 64 trace files, one per process";
    else if (args_stdin_count(a.files, a.nfiles) > 1)
        conflict = "standard input ('-') can be given only once";
    if (a.help || conflict) {
        if (conflict) {
            show_printf(stderr, "mmsim trace: %s\n", conflict);
            args_usage_hint("trace");
        }
        free(a.files);
        return conflict ? EXIT_BAD_INPUT : 0;
    }
    char why[128];
    if (a.sweep && strcmp(a.svg, "-") != 0 && !args_can_write(a.svg, why, sizeof why)) {
        char shown[ARGS_SHOW_SIZE];
        fprintf(stderr, "mmsim trace: cannot write the plot to %s: %s\n", args_show(a.svg, shown, sizeof shown), why);
        free(a.files);
        return EXIT_BAD_INPUT;
    }
    const char *overwrites = a.sweep ? plot_overwrites(&a) : NULL;
    if (overwrites) {
        char shown[ARGS_SHOW_SIZE], trace[ARGS_SHOW_SIZE];
        fprintf(stderr, "mmsim trace: --svg %s names the trace %s: the plot would overwrite it; give another file\n",
                args_show(a.svg, shown, sizeof shown), args_show(overwrites, trace, sizeof trace));
        args_usage_hint("trace");
        free(a.files);
        return EXIT_BAD_INPUT;
    }
    bool opt = false;
    for (uint32_t i = 0; i < a.policies; i++)
        opt |= a.policy[i] == MM_POLICY_OPT;
    struct trace_set set;
    char err[600];
    /* no bar between the lines of -c on the same terminal */
    bool lines_here = a.compute && isatty(STDOUT_FILENO);
    struct progress pg = {.on = !a.no_progress && isatty(STDERR_FILENO), .start = seconds(), .wall = wall_seconds(),
                          .runs = 1};
    if (pg.on)
        pg.columns = terminal_columns();
    bool prepared = trace_prepare(&set, a.files, a.nfiles, a.format, opt, draw_reading, &pg, err, sizeof err);
    erase(&pg);
    pg.on = pg.on && !lines_here;   /* the first pass prints nothing on standard output; the runs may */
    if (!prepared) {
        show_printf(stderr, "mmsim trace: %s\n", err);
        free(a.files);
        return EXIT_BAD_INPUT;
    }
    int status = a.sweep ? run_sweep(&set, &a, &pg) : run_policies(&set, &a, &pg);
    trace_set_free(&set);
    free(a.files);
    return status;
}
