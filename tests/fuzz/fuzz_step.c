/*
 * fuzz_step.c - the step-mode command parser on arbitrary lines: it must
 * accept or explain, and whatever it accepts must be a known command.
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
    } else if (why[0] == '\0') {
        abort();   /* a refusal must say why */
    }
    return 0;
}
