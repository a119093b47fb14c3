/*
 * step.h - the interactive step mode: commands read one per line, parsed
 * by step_parse() (kept apart so it can be tested and fuzzed on its own).
 */
#ifndef MMSIM_STEP_H
#define MMSIM_STEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kd.h"
#include "replay.h"

enum step_verb {
    STEP_NEXT, STEP_BACK, STEP_GOTO, STEP_WALK, STEP_PTE, STEP_PFN, STEP_LISTS, STEP_WS, STEP_VAD, STEP_TLB,
    STEP_KD,                 /* a kernel debugger view: !pte, !pfn, !vad, !wsle, !memusage, !process */
    STEP_HELP, STEP_QUIT
};

struct step_cmd {
    enum step_verb verb;
    uint32_t number;         /* goto N, pfn N, walk/pte VA */
    char process[32];        /* ws/vad/walk/pte: a process name, "" for the default */
    int access;              /* walk/pte: enum mm_access_kind, or -1 for the default */
    bool verbose;            /* lists -v: the frames on each list */
    bool json;               /* a query answered as one JSON object (--json) */
    struct kd_cmd kd;        /* STEP_KD: the debugger command (kd.h) */
};

/* Parse one line. False with a message in err for anything else. A line
 * whose first word is a debugger command (kd_is_command, or any word
 * starting with '!') is parsed by kd_parse into cmd->kd. */
bool step_parse(const char *line, struct step_cmd *cmd, char *err, size_t err_size);

/* Run step mode over `file`, reading commands from in (a terminal gets
 * line editing, lineedit.h). With json, the steps are told as JSON lines
 * (as mmsim run --json) and every answer is one JSON object. A scenario
 * beyond `budget` (replay.h; NULL: the defaults) is refused before it
 * starts; its `check` says when the invariant checker runs (replay.h).
 * Returns the exit status (0, or 2 when the file is bad). */
int step_main(const char *file, bool verbose, bool color, bool json, const struct replay_budget *budget, FILE *in,
              FILE *out, FILE *err);

#endif
