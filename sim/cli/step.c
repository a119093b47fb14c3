/*
 * step.c - mmsim step: walk through a scenario one step at a time, go back
 * (from a copy of the machine kept every few hundred steps, running the
 * steps after it: the engine is deterministic), and look at the machine
 * between steps.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "narrate.h"
#include "parse.h"
#include "show.h"
#include "step.h"

static const char help_text[] =
    "commands:\n"
    "  Enter, n, next      run the next step\n"
    "  b, back             go back one step\n"
    "  g N, goto N         go to the state after step N (0 = before the first)\n"
    "  walk VA [PROCESS] [read|write|execute]\n"
    "                      the two-level translation of VA for that access (by default\n"
    "                      the last step's, when it accessed VA's page; else a read)\n"
    "  pte VA [PROCESS] [ACCESS]  the PTE of VA, decoded (same as walk)\n"
    "  pfn N               the PFN entry of frame N\n"
    "  lists               the page lists\n"
    "  ws [PROCESS]        a working-set list\n"
    "  vad [PROCESS]       the VADs of a process\n"
    "  tlb                 the TLB's entries, hits and misses\n";
static const char help_end[] =
    "  help                this list\n"
    "  q, quit             leave\n"
    "Numbers may be decimal or 0x-hex; after a '!' they are hex, as in the kernel debugger\n"
    "(0n10 is decimal ten). wsle, memusage and process also work without the '!'.\n"
    "PROCESS defaults to the process of the last step; after a '!' it may also be a Cid.\n";

/* The first word of a line, cut to fit. */
static void first_word(const char *line, char *word, size_t size)
{
    size_t n = 0;
    while (*line == ' ' || *line == '\t' || *line == '\r')
        line++;
    while (*line && !isspace((unsigned char)*line) && n + 1 < size)
        word[n++] = *line++;
    word[n] = '\0';
}

bool step_parse(const char *line, struct step_cmd *cmd, char *err, size_t err_size)
{
    static const char *const verbs[] = {"n", "next", "b", "back", "g", "goto", "walk", "pte", "pfn",
                                        "lists", "ws", "vad", "tlb", "help", "?", "q", "quit"};
    static const enum step_verb meaning[] = {STEP_NEXT, STEP_NEXT, STEP_BACK, STEP_BACK, STEP_GOTO, STEP_GOTO,
                                             STEP_WALK, STEP_PTE, STEP_PFN, STEP_LISTS, STEP_WS, STEP_VAD,
                                             STEP_TLB, STEP_HELP, STEP_HELP, STEP_QUIT, STEP_QUIT};
    static const char *const accesses[] = {"read", "write", "execute"};   /* as enum mm_access_kind */
    char words[4][64] = {"", "", "", ""};
    int n = 0;
    memset(cmd, 0, sizeof *cmd);
    cmd->access = -1;
    first_word(line, words[0], sizeof words[0]);
    if (words[0][0] == '!' || kd_is_command(words[0])) {
        cmd->verb = STEP_KD;
        return kd_parse(line, &cmd->kd, err, err_size);
    }
    for (const char *p = line; *p && *p != '\n';) {
        while (*p == ' ' || *p == '\t' || *p == '\r')
            p++;
        if (!*p || *p == '\n')
            break;
        if (n == 4) {
            snprintf(err, err_size, "too many words; type 'help' for the commands");
            return false;
        }
        size_t len = 0;
        while (*p && !isspace((unsigned char)*p)) {
            if (len + 1 >= sizeof words[0]) {
                snprintf(err, err_size, "a word is too long");
                return false;
            }
            words[n][len++] = *p++;
        }
        n++;
    }
    if (n == 0) {
        cmd->verb = STEP_NEXT;
        return true;
    }
    int v = parse_lookup(words[0], verbs, sizeof verbs / sizeof verbs[0]);
    if (v < 0) {
        const char *hint = parse_suggest(words[0], verbs, sizeof verbs / sizeof verbs[0]);
        if (hint && strlen(hint) > 1)
            snprintf(err, err_size, "unknown command '%s', did you mean '%s'? (type 'help')", words[0], hint);
        else
            snprintf(err, err_size, "unknown command '%s' (type 'help')", words[0]);
        return false;
    }
    cmd->verb = meaning[v];
    if ((cmd->verb == STEP_WALK || cmd->verb == STEP_PTE) && n > 2) {
        int a = parse_lookup(words[n - 1], accesses, 3);
        if (a >= 0) {   /* the access may come last, after the process or in its place */
            cmd->access = a;
            words[--n][0] = '\0';
        }
    }
    bool wants_number = cmd->verb == STEP_GOTO || cmd->verb == STEP_WALK || cmd->verb == STEP_PTE ||
                        cmd->verb == STEP_PFN;
    bool takes_process = cmd->verb == STEP_WALK || cmd->verb == STEP_PTE || cmd->verb == STEP_WS ||
                         cmd->verb == STEP_VAD;
    int first_process = wants_number ? 2 : 1;
    if (wants_number) {
        uint64_t num;
        char why[120];
        if (n < 2) {
            snprintf(err, err_size, "'%s' needs a number", words[0]);
            return false;
        }
        if (!parse_number(words[1], 0xFFFFFFFFu, &num, why, sizeof why)) {
            snprintf(err, err_size, "%s", why);
            return false;
        }
        cmd->number = (uint32_t)num;
    }
    if (n > first_process + (takes_process ? 1 : 0)) {
        snprintf(err, err_size, "'%s' takes %s", words[0],
                 takes_process ? (wants_number ? "a number and a process" : "at most a process")
                 : wants_number ? "only a number" : "no arguments");
        return false;
    }
    if (takes_process && n > first_process)
        snprintf(cmd->process, sizeof cmd->process, "%s", words[first_process]);
    return true;
}

struct session {
    struct scenario *sc;
    struct replay r;
    struct narrator nar;
    FILE *out, *err;
    int last_process;
};

/* Build the machine, start the declared processes, choose when the
 * checker runs and keep copies for going back; false with the reason in
 * why. */
static bool start(struct session *s, enum replay_check check, char *why, size_t why_size)
{
    if (!replay_start(&s->r, s->sc, narrate_event, &s->nar, why, why_size))
        return false;
    if (!replay_set_check(&s->r, check) || !replay_enable_seeking(&s->r)) {
        snprintf(why, why_size, "out of host memory keeping copies of the machine");
        return false;
    }
    s->last_process = s->sc->ninitial ? 0 : -1;
    return true;
}

static void run_one(struct session *s, bool quiet)
{
    struct replay_result res;
    const struct scn_step *st = &s->sc->steps[s->r.next];
    s->nar.quiet_events = quiet;
    if (!quiet)
        narrate_step_begin(&s->nar, st, s->r.next);
    else
        s->nar.step = s->r.next + 1;
    if (!replay_step(&s->r, &res))
        return;
    if (!quiet) {
        narrate_step_end(&s->nar, &res);
    } else {
        narrate_flush(&s->nar);
        /* passing over a step quietly must not hide a failed expectation */
        if (res.nfailures) {
            show_printf(s->out, "  expect (step %u, %s line %u) FAILED:\n", res.index + 1, s->sc->file, st->line);
            for (uint32_t i = 0; i < res.nfailures; i++)
                show_printf(s->out, "    %s\n", res.failure[i]);
        }
        if (s->r.broken)
            show_printf(s->out, "internal error: an invariant of the machine broke after step %u: %s\n", res.index + 1,
                        s->r.broken_msg);
    }
    if (st->process >= 0 && replay_pid(&s->r, st->process))
        s->last_process = st->process;
}

/* The process of the last step before `next` that names a running one. */
static int last_process_before(const struct session *s, uint32_t next)
{
    for (uint32_t i = next; i > 0; i--) {
        const struct scn_step *st = &s->sc->steps[i - 1];
        if (st->process >= 0 && replay_pid(&s->r, st->process))
            return st->process;
    }
    return s->sc->ninitial ? 0 : -1;
}

/* Bring the machine to the state after `target` steps: back from the
 * nearest copy kept at or before it, forward step by step (telling any
 * expectation that fails on the way). */
static void go_to(struct session *s, uint32_t target)
{
    if (target < s->r.next) {
        if (!replay_seek(&s->r, target)) {
            fprintf(s->err, "mmsim step: out of host memory going back to step %u\n", target);
            return;
        }
        s->last_process = last_process_before(s, target);
    }
    while (s->r.next < target && !s->r.broken)
        run_one(s, true);
    fprintf(s->out, "at step %u of %u: ", s->r.next, s->sc->nsteps);
    narrate_lists(s->out, s->r.m);
    fprintf(s->out, "\n");
}

/* The process of the last step, else the first one running, else 0. */
static uint32_t default_pid(const struct session *s)
{
    if (s->last_process >= 0 && replay_pid(&s->r, s->last_process))
        return replay_pid(&s->r, s->last_process);
    for (uint32_t i = 0; i < s->sc->nprocess_names; i++)
        if (s->r.pid[i])
            return s->r.pid[i];
    return 0;
}

static uint32_t process_arg(struct session *s, const char *name)
{
    if (!*name) {
        uint32_t pid = default_pid(s);
        if (!pid)
            fprintf(s->out, "no process is running\n");
        return pid;
    }
    for (uint32_t i = 0; i < s->sc->nprocess_names; i++)
        if (strcmp(s->sc->process_names[i], name) == 0) {
            if (!s->r.pid[i])
                show_printf(s->out, "%s is not running at this step\n", name);
            return s->r.pid[i];
        }
    show_printf(s->out, "unknown process '%s'\n", name);
    return 0;
}

/* The access a walk is for: the one asked, else the last step's when it
 * was an access to VA's page, else a read. */
static enum mm_access_kind walk_access(const struct session *s, const struct step_cmd *cmd)
{
    if (cmd->access >= 0)
        return (enum mm_access_kind)cmd->access;
    if (s->r.next > 0) {
        const struct scn_step *st = &s->sc->steps[s->r.next - 1];
        bool access = st->op == OP_READ || st->op == OP_WRITE || st->op == OP_EXECUTE;
        if (access && PAGE_ALIGN(st->address) == PAGE_ALIGN(cmd->number))
            return st->access;
    }
    return MM_ACCESS_READ;
}

/* One line of `in` into buf without its newline, as at most size - 1
 * bytes. Returns false at the end of the input. A line longer than that,
 * or holding a NUL byte, is read to its end and refused: *why says so, and
 * the next line is the next command. */
static bool read_command(FILE *in, char *buf, size_t size, const char **why)
{
    size_t len = 0;
    bool nul = false, long_line = false;
    int c;
    *why = NULL;
    while ((c = getc(in)) != EOF && c != '\n') {
        if (c == '\0')
            nul = true;
        else if (len + 1 < size)
            buf[len++] = (char)c;
        else
            long_line = true;
    }
    buf[len] = '\0';
    if (c == EOF && len == 0 && !nul && !long_line)
        return false;
    if (nul)
        *why = "the line holds a NUL byte; it is ignored";
    else if (long_line)
        *why = "line too long";
    return true;
}

/* The scenario could not be started (its machine could not be built, a
 * declared process could not start): said with the file's name. */
static int not_started(struct session *s, const char *file, const char *why)
{
    fprintf(s->err, "mmsim step: ");
    show_fputs(s->err, file);
    fprintf(s->err, ": %s\n", why);
    replay_end(&s->r);
    narrate_free(&s->nar);
    scenario_free(s->sc);
    return 2;
}

int step_main(const char *file, bool verbose, bool color, const struct replay_budget *budget,
              enum replay_check check, FILE *in, FILE *out, FILE *err)
{
    struct scn_errors errs;
    struct session s = {.out = out, .err = err};
    s.sc = scenario_load(file, NULL, 0, &errs);
    if (s.sc && !replay_within_budget(s.sc, budget, &errs.e[0])) {
        scenario_free(s.sc);
        s.sc = NULL;
        errs.count = 1;
    }
    if (!s.sc) {
        for (uint32_t i = 0; i < errs.count; i++) {
            char line[SCN_ERROR_TEXT];
            scenario_format_error(file, &errs.e[i], line, sizeof line);
            fprintf(err, "%s\n", line);
        }
        return 2;
    }
    s.nar = (struct narrator){.out = out, .verbose = verbose, .color = color, .replay = &s.r};
    narrate_parameters(&s.nar, s.sc);
    char why_start[256];
    if (!start(&s, check, why_start, sizeof why_start))
        return not_started(&s, file, why_start);
    narrate_setup(&s.nar);
    fprintf(out, "type 'help' for the commands; Enter runs the next step\n");
    bool interactive = isatty(fileno(in));
    char line[512];
    while (!ferror(out)) {   /* a write that failed ends the session (mmsim says so) */
        if (interactive) {
            fprintf(out, "step %u/%u> ", s.r.next, s.sc->nsteps);
            fflush(out);
        }
        const char *refused;
        if (!read_command(in, line, sizeof line, &refused))
            break;
        if (refused) {
            fprintf(out, "%s\n", refused);
            continue;
        }
        struct step_cmd cmd;
        char why[200];
        if (!step_parse(line, &cmd, why, sizeof why)) {
            show_printf(out, "%s\n", why);
            continue;
        }
        uint32_t pid;
        switch (cmd.verb) {
        case STEP_NEXT:
            if (s.r.broken)
                fprintf(out, "the machine broke an invariant; go back or quit\n");
            else if (s.r.next >= s.sc->nsteps)
                fprintf(out, "that was the last step (%u); 'b' goes back, 'q' quits\n", s.sc->nsteps);
            else
                run_one(&s, false);
            break;
        case STEP_BACK:
            if (s.r.next == 0)
                fprintf(out, "already at the start\n");
            else
                go_to(&s, s.r.next - 1);
            break;
        case STEP_GOTO:
            if (cmd.number > s.sc->nsteps)
                fprintf(out, "there are only %u steps\n", s.sc->nsteps);
            else
                go_to(&s, cmd.number);
            break;
        case STEP_WALK:
        case STEP_PTE:
            if ((pid = process_arg(&s, cmd.process)))
                narrate_walk(out, s.r.m, pid, cmd.number, walk_access(&s, &cmd));
            break;
        case STEP_PFN: narrate_pfn(out, s.r.m, cmd.number); break;
        case STEP_LISTS:
            narrate_lists(out, s.r.m);
            fprintf(out, "\n");
            break;
        case STEP_WS:
            if ((pid = process_arg(&s, cmd.process)))
                narrate_ws(out, s.r.m, pid);
            break;
        case STEP_VAD:
            if ((pid = process_arg(&s, cmd.process)))
                narrate_vads(out, s.r.m, pid);
            break;
        case STEP_TLB: narrate_tlb(out, s.r.m); break;
        case STEP_KD: {
            struct kd_out o;
            kd_out_file(&o, out);
            kd_run(&o, s.r.m, &cmd.kd, default_pid(&s));
            break;
        }
        case STEP_HELP:
            fputs(help_text, out);
            fputs(kd_help_text, out);
            fputs(help_end, out);
            break;
        case STEP_QUIT: goto done;
        }
    }
done:
    {
        uint32_t expects = 0;
        for (uint32_t i = 0; i < s.r.next; i++)
            expects += s.sc->steps[i].op == OP_EXPECT;
        show_printf(out, "%s: left at step %u of %u; %u of %u expect steps so far held\n", s.sc->name, s.r.next,
                    s.sc->nsteps, expects - s.r.failed_steps, expects);
    }
    replay_end(&s.r);
    narrate_free(&s.nar);
    scenario_free(s.sc);
    return 0;
}
