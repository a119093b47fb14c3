/*
 * fuzz_engine.c - the engine on operation sequences decoded from the
 * fuzzer's bytes (model.c chooses each operation and its arguments from
 * them). After every operation: the invariant checker, NT's expected
 * status for every call, and the contents of every page. Any difference
 * aborts, which the fuzzer records as a crash.
 */
#include <stdio.h>
#include <stdlib.h>

#include "model.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

struct bytes {
    const unsigned char *p;
    size_t left;
    bool done;
};

/* Two bytes a choice; zeros once the input is used up. */
static uint32_t take(void *ctx)
{
    struct bytes *b = ctx;
    uint32_t v = 0;
    for (int i = 0; i < 2; i++) {
        v <<= 8;
        if (b->left) {
            v |= *b->p++;
            b->left--;
        } else {
            b->done = true;
        }
    }
    return v;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    struct bytes b = {data, size, false};
    struct mm_config cfg;
    model_config(&cfg, take, &b);
    const char *why;
    struct mm_machine *m = mm_create(&cfg, &why);
    if (!m)
        abort();
    char err[600];
    struct model *w = model_new(m, 1 + (int)(take(&b) % 4), err, sizeof err);
    if (!w) {
        fprintf(stderr, "%s\n", err);
        abort();
    }
    for (int ops = 0; !b.done && ops < 120; ops++) {
        if (!model_step(w, take, &b, err, sizeof err) || !model_check(w, err, sizeof err)) {
            fprintf(stderr, "%s\n", err);
            abort();
        }
    }
    if (!model_finish(w, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        abort();
    }
    model_free(w);
    mm_destroy(m);
    return 0;
}
