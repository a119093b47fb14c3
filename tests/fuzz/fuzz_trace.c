/*
 * fuzz_trace.c - arbitrary bytes as a trace file, in each format. The
 * reader must give each reference with its line, or refuse with a message
 * naming the file and the line, and read the same whether its common lines
 * are taken one at a time (trace_next) or a batch at a time
 * (trace_next_pages, the first pass's way). A small trace the first pass
 * accepts must run to its end, alone or taking turns with a second one
 * (the same text from its second third on), and give each process the same
 * counts from the copy of its page numbers (run_copied) as from its text.
 * The Makefile builds the fuzz targets with a copy buffer of 5 page
 * numbers (COPY_WORDS), so that turns and refills cross.
 *
 * The first three bytes choose the run; the rest is the file:
 *   byte 0: format (bits 0-2, modulo 5: auto, pages, addrs, rw, lackey),
 *           policy (bits 3-5, modulo 5), two processes (bit 6)
 *   byte 1: cache, 1 to 32 data pages
 *   byte 2: batch size for the second reading (1 to 64), quantum (1 to 4)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver.h"
#include "reader.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

#define MOST_REFS 4096u   /* references compared by the reader's check */
#define MOST_RUN 20000u   /* references a run may have */

static char path[64], second[64];

struct seen {
    struct trace_ref ref[MOST_REFS];
    uint64_t line[MOST_REFS];
    uint32_t n;
    int end;                       /* 0 the end, -1 a refusal, 1 MOST_REFS reached */
    char error[sizeof ((struct trace_reader *)0)->error];
};

static void keep(struct seen *s, const struct trace_ref *ref, uint64_t line)
{
    s->ref[s->n] = *ref;
    s->line[s->n++] = line;
}

/* Every reference of the file, one line at a time or in batches of `batch`. */
static void read_all(enum trace_format format, uint32_t batch, struct seen *s)
{
    struct trace_reader r;
    char err[512];
    s->n = 0;
    s->end = 1;
    s->error[0] = '\0';
    if (!trace_open(&r, path, format, err, sizeof err))
        abort();   /* the file was just written */
    while (s->n < MOST_REFS) {
        uint32_t pages[64];
        uint32_t want = batch && batch < MOST_REFS - s->n ? batch : 0;
        uint32_t n = want ? trace_next_pages(&r, pages, want) : 0;
        if (n > want)
            abort();
        for (uint32_t i = 0; i < n; i++) {
            struct trace_ref ref = {.addr = (uint64_t)pages[i] << 12, .size = 1, .access = TRACE_LOAD};
            keep(s, &ref, r.line - (n - 1 - i));
        }
        if (n == want && n > 0)
            continue;
        if (s->n == MOST_REFS)
            break;
        struct trace_ref ref;
        int got = trace_next(&r, &ref);
        if (got <= 0) {
            s->end = got;
            if (got < 0) {
                if (!strstr(r.error, path))
                    abort();   /* a refusal names the file */
                snprintf(s->error, sizeof s->error, "%s", r.error);
            }
            break;
        }
        if (ref.size < 1 || ref.size > 4096 || ref.addr > TRACE_MAX_ADDRESS)
            abort();
        keep(s, &ref, r.line);
    }
    trace_close(&r);
}

static void no_step(void *ctx, const struct mm_machine *m, const struct trace_step *step)
{
    (void)m;
    (void)step;
    ++*(uint64_t *)ctx;
}

static struct seen one, batched;

static void remove_files(void)
{
    unlink(path);
    unlink(second);
}

static void write_file(const char *name, const unsigned char *data, size_t size)
{
    FILE *f = fopen(name, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
}

/* The same figures for one process from two runs. */
static bool same_process(const struct trace_process_result *a, const struct trace_process_result *b)
{
    return a->records == b->records && a->touches == b->touches && a->hits == b->hits && a->misses == b->misses &&
           memcmp(a->fault, b->fault, sizeof a->fault) == 0 &&
           memcmp(a->table_fault, b->table_fault, sizeof a->table_fault) == 0 && a->evictions == b->evictions &&
           a->trimmed == b->trimmed && a->peak == b->peak && a->touches == a->hits + a->misses;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size < 3)
        return 0;
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/mmsim-fuzz-trace-%ld.txt", (long)getpid());
        snprintf(second, sizeof second, "/tmp/mmsim-fuzz-trace-%ld-2.txt", (long)getpid());
        atexit(remove_files);
    }
    const unsigned char *text = data + 3;
    size_t len = size - 3, from = len / 3;
    while (from > 0 && from < len && text[from - 1] != '\n')
        from++;   /* from a line's start */
    write_file(path, text, len);
    write_file(second, text + from, len - from);
    enum trace_format format = (enum trace_format)(data[0] & 7u) % 5u;
    enum mm_policy policy = (enum mm_policy)((data[0] >> 3 & 7u) % 5u);
    uint32_t files = data[0] & 0x40u ? 2 : 1, cache = 1u + data[1] % 32u;
    uint32_t batch = 1u + data[2] % 64u, quantum = 1u + (data[2] >> 6);

    /* the reader: one line at a time and a batch at a time agree */
    read_all(format, 0, &one);
    read_all(format, batch, &batched);
    if (one.n != batched.n || one.end != batched.end || strcmp(one.error, batched.error) != 0)
        abort();
    for (uint32_t i = 0; i < one.n; i++)
        if (memcmp(&one.ref[i], &batched.ref[i], sizeof one.ref[i]) != 0 || one.line[i] != batched.line[i])
            abort();

    /* the driver: a run from the copy and a run from the text agree */
    struct trace_set set;
    char err[600], err2[600];
    const char *paths[2] = {path, second};
    bool opt = policy == MM_POLICY_OPT;
    if (!trace_prepare(&set, paths, files, format, opt, NULL, NULL, err, sizeof err)) {
        if (!err[0])
            abort();   /* a refusal says why */
        return 0;
    }
    if (set.file[0].records + (files == 2 ? set.file[1].records : 0) <= MOST_RUN) {
        struct trace_options o = {.policy = policy, .cache = cache, .quantum = quantum, .tick = 100};
        struct trace_result copy, text;
        uint64_t steps = 0;
        enum trace_status a = trace_run(&set, &o, &copy, NULL, NULL, NULL, NULL, err, sizeof err);
        enum trace_status b = trace_run(&set, &o, &text, no_step, &steps, NULL, NULL, err2, sizeof err2);
        if (a != b || (a != TRACE_OK && strcmp(err, err2) != 0))
            abort();
        if (a == TRACE_OK) {
            if (steps != text.total.records || copy.pages_written != text.pages_written ||
                copy.pages_read != text.pages_read || copy.tlb_misses != text.tlb_misses || copy.ticks != text.ticks)
                abort();
            for (uint32_t i = 0; i < files; i++)
                if (copy.proc[i].records != set.file[i].records || !same_process(&copy.proc[i], &text.proc[i]))
                    abort();
        } else if (!err[0]) {
            abort();
        }
    }
    trace_set_free(&set);
    return 0;
}
