/*
 * fuzz_step.c - the step-mode command parser on arbitrary lines (the
 * debugger's '!' commands included): it must accept or explain, and
 * whatever it accepts must be a known command.
 */
#include <stdlib.h>
#include <string.h>

#include "step.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char line[600];
    if (size >= sizeof line)
        size = sizeof line - 1;
    memcpy(line, data, size);
    line[size] = '\0';
    struct step_cmd cmd;
    char why[200];
    why[0] = '\0';
    if (step_parse(line, &cmd, why, sizeof why)) {
        if ((unsigned)cmd.verb > STEP_QUIT || memchr(cmd.process, '\0', sizeof cmd.process) == NULL)
            abort();
        /* a debugger command: a known extension, its words within bounds */
        if (cmd.verb == STEP_KD && ((unsigned)cmd.kd.verb >= KD_VERB_COUNT || cmd.kd.nargs > KD_MAX_ARGS))
            abort();
        for (unsigned i = 0; cmd.verb == STEP_KD && i < KD_MAX_ARGS; i++)
            if (memchr(cmd.kd.arg[i], '\0', sizeof cmd.kd.arg[i]) == NULL)
                abort();
    } else if (why[0] == '\0') {
        abort();   /* a refusal must say why */
    }
    return 0;
}
