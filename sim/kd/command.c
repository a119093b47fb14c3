/*
 * command.c - the debugger commands as typed: one table row per
 * extension (its name, whether it may be typed without '!', how many words
 * it takes), a parser that checks the words, and kd_run, which resolves
 * processes and calls the view.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "kd.h"

/* A word typed by the user as output shows it: control characters (C0,
 * DEL and the two bytes of a C1 control) as \xHH, so none reaches the
 * terminal. */
static const char *plain(const char *s, char *buf, size_t size)
{
    size_t o = 0;
    bool second = false;   /* the byte after 0xC2 of a C1 control */
    for (const unsigned char *p = (const unsigned char *)s; *p && o + 5 < size; p++) {
        bool c1 = p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F;
        if (*p < 0x20 || *p == 0x7F || c1 || second)
            o += (size_t)snprintf(buf + o, size - o, "\\x%02X", *p);
        else
            buf[o++] = (char)*p;
        second = c1;
    }
    buf[o] = '\0';
    return buf;
}

const char kd_help_text[] =
    "  !pte VA [PROCESS]   the PDE and PTE of VA, as the kernel debugger shows them\n"
    "  !pfn N              the PFN database entry of frame N\n"
    "  !vad [PROCESS]      the VAD tree of a process\n"
    "  !wsle [FLAGS] [PROCESS]\n"
    "                      the working-set list (flags: 1 entries, 2 totals, 4 free; default 3)\n"
    "  !memusage [FLAGS]   the PFN database counted by list (mmsim prints the summary for every FLAGS)\n"
    "  !process [PROCESS|0] [FLAGS]\n"
    "                      the memory manager's part of a process (0: every process; flags 0: brief)\n";

static const struct {
    const char *name;    /* with the '!' */
    bool bare;           /* may be typed without the '!' */
    uint32_t min, max;   /* words after the name */
    const char *usage;
} verbs[KD_VERB_COUNT] = {
    [KD_PTE] = {"!pte", false, 1, 2, "!pte VA [PROCESS]"},
    [KD_PFN] = {"!pfn", false, 1, 1, "!pfn N"},
    [KD_VAD] = {"!vad", false, 0, 1, "!vad [PROCESS]"},
    [KD_WSLE] = {"!wsle", true, 0, 2, "!wsle [FLAGS] [PROCESS]"},
    [KD_MEMUSAGE] = {"!memusage", true, 0, 1, "!memusage [FLAGS]"},
    [KD_PROCESS] = {"!process", true, 0, 2, "!process [PROCESS|0] [FLAGS]"},
};

bool kd_number(const char *s, uint32_t *out)
{
    unsigned base = 16;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
    } else if (s[0] == '0' && (s[1] == 'n' || s[1] == 'N')) {
        base = 10;
        s += 2;
    }
    if (!*s)
        return false;
    uint64_t v = 0;
    for (; *s; s++) {
        int c = tolower((unsigned char)*s);
        unsigned d = isdigit(c) ? (unsigned)(c - '0') : (c >= 'a' && c <= 'f') ? (unsigned)(c - 'a' + 10) : 99;
        if (d >= base)
            return false;
        v = v * base + d;
        if (v > 0xFFFFFFFFu)
            return false;
    }
    *out = (uint32_t)v;
    return true;
}

/* The verb `word` names (with or without '!'), or -1. */
static int lookup(const char *word)
{
    char low[KD_ARG_SIZE];
    size_t n = 0;
    for (; word[n] && n + 1 < sizeof low; n++)
        low[n] = (char)tolower((unsigned char)word[n]);
    low[n] = '\0';
    for (int v = 0; v < KD_VERB_COUNT; v++)
        if (!strcmp(low, verbs[v].name) || (verbs[v].bare && !strcmp(low, verbs[v].name + 1)))
            return v;
    return -1;
}

bool kd_is_command(const char *word)
{
    return lookup(word) >= 0;
}

bool kd_parse(const char *line, struct kd_cmd *cmd, char *err, size_t err_size)
{
    char words[1 + KD_MAX_ARGS][KD_ARG_SIZE];
    uint32_t n = 0;
    memset(cmd, 0, sizeof *cmd);
    for (const char *p = line; *p && *p != '\n';) {
        while (*p == ' ' || *p == '\t' || *p == '\r')
            p++;
        if (!*p || *p == '\n')
            break;
        if (n == 1 + KD_MAX_ARGS) {
            int v = lookup(words[0]);
            snprintf(err, err_size, "too many words: %s", v >= 0 ? verbs[v].usage : "type 'help'");
            return false;
        }
        size_t len = 0;
        while (*p && !isspace((unsigned char)*p)) {
            if (len + 1 >= KD_ARG_SIZE) {
                snprintf(err, err_size, "a word is too long");
                return false;
            }
            words[n][len++] = *p++;
        }
        words[n++][len] = '\0';
    }
    if (n == 0) {
        snprintf(err, err_size, "no command");
        return false;
    }
    int v = lookup(words[0]);
    if (v < 0) {
        char shown[sizeof words[0] * 4 + 8];
        snprintf(err, err_size, "unknown extension '%s': the views are !pte, !pfn, !vad, !wsle, !memusage and !process",
                 plain(words[0], shown, sizeof shown));
        return false;
    }
    cmd->verb = (enum kd_verb)v;
    cmd->nargs = n - 1;
    if (cmd->nargs < verbs[v].min || cmd->nargs > verbs[v].max) {
        snprintf(err, err_size, "%s: %s", cmd->nargs < verbs[v].min ? "missing argument" : "too many arguments",
                 verbs[v].usage);
        return false;
    }
    for (uint32_t i = 0; i < cmd->nargs; i++)
        memcpy(cmd->arg[i], words[i + 1], KD_ARG_SIZE);
    /* the arguments that can only be numbers are checked now */
    uint32_t num;
    bool number_first = cmd->verb == KD_PTE || cmd->verb == KD_PFN || cmd->verb == KD_MEMUSAGE;
    if ((number_first && cmd->nargs >= 1 && !kd_number(cmd->arg[0], &num)) ||
        (cmd->verb == KD_PROCESS && cmd->nargs == 2 && !kd_number(cmd->arg[1], &num)) ||
        (cmd->verb == KD_WSLE && cmd->nargs == 2 && !kd_number(cmd->arg[0], &num))) {
        const char *bad = cmd->verb == KD_PROCESS ? cmd->arg[1] : cmd->arg[0];
        char shown[KD_ARG_SIZE * 4 + 8];
        snprintf(err, err_size, "'%s' is not a number (hex as in the debugger, or 0n for decimal): %s",
                 plain(bad, shown, sizeof shown), verbs[v].usage);
        return false;
    }
    return true;
}

/* The pid of a running process named `name`, or 0. */
static uint32_t by_name(const struct mm_machine *m, const char *name)
{
    for (uint32_t pid = 1; pid <= MM_MAX_PROCESSES; pid++) {
        const char *n = mm_process_name(m, pid);
        if (n && !strcmp(n, name))
            return pid;
    }
    return 0;
}

/* A process argument: a name, a Cid, or "" for the default. 0 after
 * writing why when there is none. */
static uint32_t resolve(struct kd_out *o, const struct mm_machine *m, const char *arg, uint32_t default_pid)
{
    uint32_t pid;
    if (!*arg) {
        if (!mm_process_exists(m, default_pid))
            kd_printf(o, "no process is running\n");
        return mm_process_exists(m, default_pid) ? default_pid : 0;
    }
    if ((pid = by_name(m, arg)))
        return pid;
    if (kd_number(arg, &pid) && mm_process_exists(m, pid))
        return pid;
    char shown[KD_ARG_SIZE * 4 + 8];
    if (kd_number(arg, &pid))
        kd_printf(o, "no running process is named '%s' or has Cid %x\n", plain(arg, shown, sizeof shown), pid);
    else
        kd_printf(o, "no running process is named '%s'\n", plain(arg, shown, sizeof shown));
    return 0;
}

static mm_status run_process(struct kd_out *o, const struct mm_machine *m, const struct kd_cmd *cmd,
                             uint32_t default_pid)
{
    uint32_t flags = 1, pid;
    if (cmd->nargs == 2)
        kd_number(cmd->arg[1], &flags);
    bool brief = flags == 0;
    if (cmd->nargs >= 1 && !strcmp(cmd->arg[0], "0") && !by_name(m, "0")) {
        mm_status s = STATUS_SUCCESS;
        for (pid = 1; pid <= MM_MAX_PROCESSES; pid++)
            if (mm_process_exists(m, pid)) {
                s = kd_process(o, m, pid, brief);
                kd_printf(o, "\n");
            }
        return s;
    }
    if (!(pid = resolve(o, m, cmd->nargs ? cmd->arg[0] : "", default_pid)))
        return STATUS_INVALID_CID;
    return kd_process(o, m, pid, brief);
}

static mm_status run_wsle(struct kd_out *o, const struct mm_machine *m, const struct kd_cmd *cmd,
                          uint32_t default_pid)
{
    uint32_t flags = KD_WSLE_DEFAULT, pid;
    const char *process = "";
    if (cmd->nargs == 2) {
        kd_number(cmd->arg[0], &flags);
        process = cmd->arg[1];
    } else if (cmd->nargs == 1) {
        /* one word: a running process's name, else the flags */
        if (by_name(m, cmd->arg[0]) || !kd_number(cmd->arg[0], &flags))
            process = cmd->arg[0];
    }
    if (!(pid = resolve(o, m, process, default_pid)))
        return STATUS_INVALID_CID;
    return kd_wsle(o, m, pid, flags);
}

mm_status kd_run(struct kd_out *o, const struct mm_machine *m, const struct kd_cmd *cmd, uint32_t default_pid)
{
    uint32_t num = 0, pid;
    switch (cmd->verb) {
    case KD_PTE:
        kd_number(cmd->arg[0], &num);
        if (!(pid = resolve(o, m, cmd->nargs > 1 ? cmd->arg[1] : "", default_pid)))
            return STATUS_INVALID_CID;
        return kd_pte(o, m, pid, num);
    case KD_PFN:
        kd_number(cmd->arg[0], &num);
        return kd_pfn(o, m, num);
    case KD_VAD:
        if (!(pid = resolve(o, m, cmd->nargs ? cmd->arg[0] : "", default_pid)))
            return STATUS_INVALID_CID;
        return kd_vad(o, m, pid);
    case KD_WSLE: return run_wsle(o, m, cmd, default_pid);
    case KD_MEMUSAGE: return kd_memusage(o, m);
    case KD_PROCESS: return run_process(o, m, cmd, default_pid);
    case KD_VERB_COUNT: break;
    }
    kd_printf(o, "not a debugger command\n");
    return STATUS_INVALID_PARAMETER;
}

mm_status kd_execute(struct kd_out *o, const struct mm_machine *m, const char *line, uint32_t default_pid)
{
    struct kd_cmd cmd;
    char err[200];
    if (!kd_parse(line, &cmd, err, sizeof err)) {
        kd_printf(o, "%s\n", err);
        return STATUS_INVALID_PARAMETER;
    }
    return kd_run(o, m, &cmd, default_pid);
}
