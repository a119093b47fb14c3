/*
 * fuzz_scenario.c - the scenario reader on arbitrary bytes. Whatever the
 * input, scenario_load() must return a scenario or errors, never crash or
 * hang; a loaded scenario's steps are numbered one per operation, in
 * order; a small valid scenario is also replayed to its end, and the
 * replayer checks every invariant after every step (a broken one aborts).
 */
#include <stdio.h>
#include <stdlib.h>

#include "replay.h"
#include "scenario.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    struct scn_errors errs;
    struct scenario *sc = scenario_load("fuzz.json", (const char *)data, size, &errs);
    if (!sc) {
        if (errs.count == 0)
            abort();   /* a refusal must say why */
        for (uint32_t i = 0; i < errs.count; i++) {
            char line[SCN_ERROR_TEXT];
            scenario_format_error("fuzz.json", &errs.e[i], line, sizeof line);
            for (const unsigned char *c = (const unsigned char *)line; *c; c++)
                if (*c < 0x20 || *c == 0x7F)
                    abort();   /* a control character would reach the terminal */
        }
        return 0;
    }
    /* numbered steps: one per operation, in order, each a run of entries */
    uint32_t ops = 0;
    for (uint32_t i = 0; i < sc->nsteps; i++) {
        const struct scn_step *st = &sc->steps[i];
        bool op = scenario_op_is_operation(st->op);
        ops += op;
        if ((op && (st->number != ops || sc->op_entry[ops] != i)) || (!op && st->number > ops + 1) ||
            (i > 0 && st->number < sc->steps[i - 1].number) || st->number > sc->nops ||
            sc->step_end[st->number] <= i || (st->number > 0 && sc->step_end[st->number - 1] > i))
            abort();
    }
    if (ops != sc->nops || (sc->nsteps && sc->step_end[sc->nops] != sc->nsteps))
        abort();
    /* keep runs short: small machines and few steps only */
    if (sc->config.frames <= 4096 && sc->nsteps <= 256 && sc->config.pagefile_count <= 4) {
        uint64_t pages = 0;
        for (uint32_t i = 0; i < sc->config.pagefile_count; i++)
            pages += sc->config.pagefile_pages[i];
        struct replay r;
        char why[256];
        if (pages <= 65536 && replay_start(&r, sc, NULL, NULL, why, sizeof why)) {
            struct replay_result res;
            uint64_t touched = 0;
            while (r.next < sc->nsteps) {
                const struct scn_step *st = &sc->steps[r.next];
                if (st->op == OP_TOUCH)
                    touched += st->size / 4096u + 1;
                if (st->op == OP_TICK)
                    touched += st->value;
                if (touched > 200000)
                    break;
                replay_step(&r, &res);
                if (r.broken) {
                    fprintf(stderr, "invariant broken: %s\n", r.broken_msg);
                    abort();
                }
            }
            replay_end(&r);
        }
    }
    scenario_free(sc);
    return 0;
}
