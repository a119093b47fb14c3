/*
 * step.c - mmsim step: walk through a scenario one step at a time, go back
 * (from a copy of the machine kept every few hundred steps, running the
 * steps after it: the engine is deterministic), and look at the machine
 * between steps.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "lineedit.h"
#include "narrate.h"
#include "parse.h"
#include "query.h"
#include "show.h"
#include "step.h"

static const char help_text[] =
    "commands:\n"
    "  Enter, n, next      run the next step\n"
    "  b, back             go back one step, and show it again\n"
    "  g N, goto N         go to step N, and show it again (0: the start)\n"
    "  walk VA [PROCESS] [read|write|execute]\n"
    "                      the two-level translation of VA for that access (by default\n"
    "                      the last step's, when it accessed VA's page; else a read)\n"
    "  pte VA [PROCESS] [ACCESS]  the PTE of VA, decoded (same as walk)\n"
    "  pfn N               the PFN entry of frame N\n"
    "  lists [-v]          the page lists (-v: the frames on each, in order)\n"
    "  ws [PROCESS]        a working-set list\n"
    "  vad [PROCESS]       the VADs of a process\n"
    "  tlb                 the TLB's entries, hits and misses\n"
    "  walk, pte, pfn, lists, ws, vad and tlb answer as one JSON object with --json\n";
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

/* The options among a command's words ("-v" of lists, "--json" of the
 * questions about the machine), taken out of words[]. */
static bool take_options(struct step_cmd *cmd, char (*words)[64], int *n, char *err, size_t err_size)
{
    bool query = cmd->verb == STEP_WALK || cmd->verb == STEP_PTE || cmd->verb == STEP_PFN ||
                 cmd->verb == STEP_LISTS || cmd->verb == STEP_WS || cmd->verb == STEP_VAD || cmd->verb == STEP_TLB;
    int kept = 1;
    for (int i = 1; i < *n; i++) {
        const char *w = words[i];
        if (w[0] != '-' || strcmp(w, "-") == 0 || (w[1] >= '0' && w[1] <= '9')) {
            memmove(words[kept++], w, strlen(w) + 1);
        } else if ((strcmp(w, "-v") == 0 || strcmp(w, "--verbose") == 0) && cmd->verb == STEP_LISTS) {
            cmd->verbose = true;
        } else if (strcmp(w, "--json") == 0 && query) {
            cmd->json = true;
        } else {
            snprintf(err, err_size, "'%s' takes no option '%s'%s", words[0], w,
                     cmd->verb == STEP_LISTS ? " (only -v and --json)" : query ? " (only --json)" : "");
            return false;
        }
    }
    for (int i = kept; i < *n; i++)
        words[i][0] = '\0';
    *n = kept;
    return true;
}

bool step_parse(const char *line, struct step_cmd *cmd, char *err, size_t err_size)
{
    static const char *const verbs[] = {"n", "next", "b", "back", "g", "goto", "walk", "pte", "pfn",
                                        "lists", "ws", "vad", "tlb", "help", "?", "q", "quit"};
    static const enum step_verb meaning[] = {STEP_NEXT, STEP_NEXT, STEP_BACK, STEP_BACK, STEP_GOTO, STEP_GOTO,
                                             STEP_WALK, STEP_PTE, STEP_PFN, STEP_LISTS, STEP_WS, STEP_VAD,
                                             STEP_TLB, STEP_HELP, STEP_HELP, STEP_QUIT, STEP_QUIT};
    static const char *const accesses[] = {"read", "write", "execute"};   /* as enum mm_access_kind */
    char words[6][64] = {"", "", "", "", "", ""};
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
        if (n == 6) {
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
    if (!take_options(cmd, words, &n, err, err_size))
        return false;
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
    uint32_t at;             /* the numbered step the machine is at (scenario.h) */
    bool json;               /* every answer a JSON line (mmsim step --json) */
    enum replay_check check; /* when the invariant checker runs (mmsim step --check) */
};

/* Run the entries up to the end of numbered step `n`, told in full or,
 * quietly, only what must not pass unseen: a failed expectation, a
 * broken invariant. */
static void run_to(struct session *s, uint32_t n, bool quiet)
{
    s->nar.quiet_events = quiet;
    while (s->r.next < s->sc->step_end[n] && !s->r.broken) {
        struct replay_result res;
        const struct scn_step *st = &s->sc->steps[s->r.next];
        if (!quiet)
            narrate_step_begin(&s->nar, st, s->r.next);
        else
            s->nar.step = st->number;
        if (!replay_step(&s->r, &res))
            break;
        if (!quiet) {
            narrate_step_end(&s->nar, &res);
        } else {
            narrate_flush(&s->nar);
            if (res.nfailures)
                narrate_expect(&s->nar, &res);
            if (s->r.broken)
                narrate_broken(&s->nar, &res);
        }
        if (scenario_op_is_operation(st->op) && st->process >= 0 && replay_pid(&s->r, st->process))
            s->last_process = st->process;
    }
    s->nar.quiet_events = false;
    s->at = s->r.next ? s->sc->steps[s->r.next - 1].number : 0;
}

/* (Re)build the machine, start the declared processes, choose when the
 * checker runs, keep copies of the machine for going back (replay_seek),
 * and run step 0, told in full (`quiet` false) or quietly. False with the
 * reason in why. */
static bool restart(struct session *s, bool quiet, char *why, size_t why_size)
{
    replay_end(&s->r);
    s->nar.quiet_events = quiet;
    s->nar.step = 0;
    bool ok = replay_start(&s->r, s->sc, narrate_event, &s->nar, why, why_size);
    s->nar.quiet_events = false;
    if (!ok)
        return false;
    if (!replay_set_check(&s->r, s->check) || !replay_enable_seeking(&s->r)) {
        snprintf(why, why_size, "out of host memory keeping copies of the machine");
        return false;
    }
    s->last_process = s->sc->ninitial ? 0 : -1;
    if (!quiet)
        narrate_setup(&s->nar);
    else
        narrate_flush(&s->nar);
    run_to(s, 0, quiet);
    return true;
}

/* The process of the last operation before entry `next` that names a
 * running one. */
static int last_process_before(const struct session *s, uint32_t next)
{
    for (uint32_t i = next; i > 0; i--) {
        const struct scn_step *st = &s->sc->steps[i - 1];
        if (scenario_op_is_operation(st->op) && st->process >= 0 && replay_pid(&s->r, st->process))
            return st->process;
    }
    return s->sc->ninitial ? 0 : -1;
}

/* Bring the machine to numbered step `target` and tell that step again.
 * Going back starts from the nearest copy of the machine kept at or before
 * the end of step target - 1 (replay_seek: the engine is deterministic);
 * going forward passes the steps between quietly, telling any expectation
 * that fails on the way. Step 0 is told again from a new machine. */
static void go_to(struct session *s, uint32_t target)
{
    if (target == 0) {
        char why[256];
        if (!restart(s, false, why, sizeof why))
            fprintf(s->err, "mmsim step: %s\n", why);
        return;
    }
    if (target <= s->at) {
        uint32_t entry = s->sc->step_end[target - 1];
        if (!replay_seek(&s->r, entry)) {
            fprintf(s->err, "mmsim step: out of host memory going back to step %u\n", target);
            return;
        }
        s->last_process = last_process_before(s, entry);
        s->at = target - 1;
    }
    run_to(s, target - 1, true);
    if (s->at == target - 1 && !s->r.broken)
        run_to(s, target, false);
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

/* A message to the user: a line, or {"type":"message",...} in a JSON session. */
static void say(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct session *s, const char *fmt, ...)
{
    char text[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (!s->json) {
        show_printf(s->out, "%s\n", text);
        return;
    }
    fprintf(s->out, "{\"type\":\"message\",\"step\":%u,\"text\":", s->at);
    json_write_string(s->out, text);
    fprintf(s->out, "}\n");
}

/* An answer as one JSON line, with the step it describes. */
static void answer(struct session *s, cJSON *o)
{
    char *text = NULL;
    if (o) {
        cJSON_AddNumberToObject(o, "step", s->at);
        text = cJSON_PrintUnformatted(o);
    }
    if (text)
        fprintf(s->out, "%s\n", text);
    else
        say(s, "out of memory");
    cJSON_free(text);
    cJSON_Delete(o);
}

/* A block of text: as it is, or {"type": TYPE, "text": ...}. */
static void text_block(struct session *s, const char *type, const char *command, const char *text)
{
    if (!s->json) {
        fputs(text, s->out);
        return;
    }
    fprintf(s->out, "{\"type\":\"%s\",\"step\":%u,", type, s->at);
    if (command) {
        fprintf(s->out, "\"command\":");
        json_write_string(s->out, command);
        fputc(',', s->out);
    }
    fprintf(s->out, "\"text\":");
    json_write_string(s->out, text);
    fprintf(s->out, "}\n");
}

static uint32_t process_arg(struct session *s, const char *name)
{
    if (!*name) {
        uint32_t pid = default_pid(s);
        if (!pid)
            say(s, "no process is running");
        return pid;
    }
    for (uint32_t i = 0; i < s->sc->nprocess_names; i++)
        if (strcmp(s->sc->process_names[i], name) == 0) {
            if (!s->r.pid[i])
                say(s, "%s is not running at this step", name);
            return s->r.pid[i];
        }
    say(s, "unknown process '%s'", name);
    return 0;
}

/* The access a walk is for: the one asked, else the last step's when it
 * was an access to VA's page, else a read. */
static enum mm_access_kind walk_access(const struct session *s, const struct step_cmd *cmd)
{
    if (cmd->access >= 0)
        return (enum mm_access_kind)cmd->access;
    if (s->at > 0) {
        const struct scn_step *st = &s->sc->steps[s->sc->op_entry[s->at]];
        bool access = st->op == OP_READ || st->op == OP_WRITE || st->op == OP_EXECUTE;
        if (access && PAGE_ALIGN(st->address) == PAGE_ALIGN(cmd->number))
            return st->access;
    }
    return MM_ACCESS_READ;
}

/* A question about the machine: in words, or as JSON (the session's, or
 * the command's --json). */
static void query(struct session *s, const struct step_cmd *cmd)
{
    bool json = s->json || cmd->json;
    FILE *out = s->out;
    uint32_t pid = 0;
    bool per_process = cmd->verb == STEP_WALK || cmd->verb == STEP_PTE || cmd->verb == STEP_WS ||
                       cmd->verb == STEP_VAD;
    if (per_process && !(pid = process_arg(s, cmd->process)))
        return;
    switch (cmd->verb) {
    case STEP_WALK:
    case STEP_PTE:
        if (json)
            answer(s, query_walk(s->r.m, pid, cmd->number, walk_access(s, cmd)));
        else
            narrate_walk(out, s->r.m, pid, cmd->number, walk_access(s, cmd));
        break;
    case STEP_PFN:
        if (json)
            answer(s, query_pfn(s->r.m, cmd->number));
        else
            narrate_pfn(out, s->r.m, cmd->number);
        break;
    case STEP_LISTS:
        if (json) {
            answer(s, query_lists(s->r.m, cmd->verbose));
            break;
        }
        narrate_lists(out, s->r.m);
        fprintf(out, "\n");
        if (cmd->verbose)
            narrate_list_frames(out, s->r.m);
        break;
    case STEP_WS:
        if (json)
            answer(s, query_ws(s->r.m, pid));
        else
            narrate_ws(out, s->r.m, pid);
        break;
    case STEP_VAD:
        if (json)
            answer(s, query_vads(s->r.m, pid));
        else
            narrate_vads(out, s->r.m, pid);
        break;
    case STEP_TLB:
        if (json)
            answer(s, query_tlb(s->r.m));
        else
            narrate_tlb(out, s->r.m);
        break;
    default:
        break;
    }
}

/* A kernel debugger command: its text as the debugger prints it. */
static void debugger(struct session *s, const struct step_cmd *cmd, const char *line)
{
    struct kd_out o;
    if (!s->json) {
        kd_out_file(&o, s->out);
        kd_run(&o, s->r.m, &cmd->kd, default_pid(s));
        return;
    }
    kd_out_buffer(&o);
    kd_run(&o, s->r.m, &cmd->kd, default_pid(s));
    line += strspn(line, " \t");
    text_block(s, "kd", line, kd_out_text(&o));
    kd_out_free(&o);
}

/* Where the session was left, when it ends. */
static void summary(struct session *s)
{
    uint32_t expects = narrate_expects_run(&s->r);
    if (s->json)
        fprintf(s->out, "{\"type\":\"summary\",\"left_at\":%u,\"steps\":%u,\"expectations\":%u,\"failed\":%u}\n",
                s->at, s->sc->nops, expects, s->r.failed_steps);
    else
        show_printf(s->out, "%s: left at step %u of %u; %u of %u expects so far held\n", s->sc->name, s->at,
                    s->sc->nops, expects - s->r.failed_steps, expects);
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

int step_main(const char *file, bool verbose, bool color, bool json, const struct replay_budget *budget, FILE *in,
              FILE *out, FILE *err)
{
    struct session s = {.out = out, .err = err, .json = json, .check = budget ? budget->check : REPLAY_CHECK_TOUCHED};
    s.sc = replay_load(file, budget, err);
    if (!s.sc)
        return 2;
    s.nar = (struct narrator){.out = out, .verbose = verbose, .color = color && !json, .json = json, .replay = &s.r};
    narrate_parameters(&s.nar, s.sc);
    char why_start[256];
    if (!restart(&s, false, why_start, sizeof why_start))
        return not_started(&s, file, why_start);
    if (!json)
        fprintf(out, "type 'help' for the commands; Enter runs the next step\n");
    struct line_reader *lr = line_reader_open(in, out, err);
    char line[512];
    if (!lr)
        fprintf(err, "mmsim step: out of memory\n");
    while (lr && !ferror(out)) {   /* a write that failed ends the session (mmsim says so) */
        char prompt[48];
        const char *refused;
        snprintf(prompt, sizeof prompt, "step %u/%u> ", s.at, s.sc->nops);
        if (!line_reader_get(lr, prompt, line, sizeof line, &refused))
            break;
        if (refused) {
            say(&s, "%s", refused);
            continue;
        }
        struct step_cmd cmd;
        char why[200];
        if (!step_parse(line, &cmd, why, sizeof why)) {
            say(&s, "%s", why);
            continue;
        }
        switch (cmd.verb) {
        case STEP_NEXT:
            if (s.r.broken)
                say(&s, "the machine broke an invariant; go back or quit");
            else if (s.at >= s.sc->nops)
                say(&s, "that was the last step (%u); 'b' goes back, 'q' quits", s.sc->nops);
            else
                run_to(&s, s.at + 1, false);
            break;
        case STEP_BACK:
            if (s.at == 0)
                say(&s, "already at the start");
            else
                go_to(&s, s.at - 1);
            break;
        case STEP_GOTO:
            if (cmd.number > s.sc->nops)
                say(&s, "there are only %u steps", s.sc->nops);
            else
                go_to(&s, cmd.number);
            break;
        case STEP_WALK: case STEP_PTE: case STEP_PFN: case STEP_LISTS: case STEP_WS: case STEP_VAD: case STEP_TLB:
            query(&s, &cmd);
            break;
        case STEP_KD:
            debugger(&s, &cmd, line);
            break;
        case STEP_HELP: {
            size_t size = sizeof help_text + strlen(kd_help_text) + sizeof help_end;
            char *text = malloc(size);
            if (text) {
                snprintf(text, size, "%s%s%s", help_text, kd_help_text, help_end);
                text_block(&s, "help", NULL, text);
            }
            free(text);
            break;
        }
        case STEP_QUIT: goto done;
        }
    }
done:
    line_reader_close(lr);
    summary(&s);
    replay_end(&s.r);
    narrate_free(&s.nar);
    scenario_free(s.sc);
    return 0;
}
