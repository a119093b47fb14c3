/*
 * test_trace.c - mmsim trace's layer (sim/trace/): miss counts of FIFO, LRU
 * and OPT through the whole engine equal those of a deliberately simple
 * reference written here from OSTEP's definitions (what paging-policy.py
 * computes), on traces these tests generate; Belady's anomaly; page tables
 * and locked pages outside the cache; every format, straddling references,
 * several processes, a real valgrind lackey trace; bad input refused with
 * FILE:LINE messages before anything runs; the plot's ticks.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

#include "driver.h"
#include "reader.h"
#include "svg.h"

/* ---- The reference: a cache of pages as OSTEP defines the policies ---- */

/* Misses of `policy` (FIFO, LRU or OPT) with `cache` pages over refs[0..n):
 * memory is a plain array, searched from the start on every reference.
 * FIFO evicts the page that came in first, LRU the one used longest ago,
 * OPT the one whose next use is farthest (never: farthest of all). */
static uint64_t reference_misses(enum mm_policy policy, const uint64_t *refs, uint32_t n, uint32_t cache)
{
    uint64_t *mem = calloc(cache, sizeof *mem);
    uint32_t count = 0;
    uint64_t misses = 0;
    cr_assert_not_null(mem);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t at = count;
        for (uint32_t k = 0; k < count; k++)
            if (mem[k] == refs[i])
                at = k;
        if (at < count) {
            if (policy == MM_POLICY_LRU) {   /* to the most recently used end */
                memmove(mem + at, mem + at + 1, (count - at - 1) * sizeof *mem);
                mem[count - 1] = refs[i];
            }
            continue;
        }
        misses++;
        if (count == cache) {
            uint32_t victim = 0;
            if (policy == MM_POLICY_OPT) {
                uint32_t farthest = 0;
                for (uint32_t k = 0; k < count; k++) {
                    uint32_t when = n;
                    for (uint32_t j = i + 1; j < n; j++)
                        if (refs[j] == mem[k]) {
                            when = j;
                            break;
                        }
                    if (when >= farthest) {
                        farthest = when;
                        victim = k;
                    }
                }
            }
            memmove(mem + victim, mem + victim + 1, (count - victim - 1) * sizeof *mem);
            count--;
        }
        mem[count++] = refs[i];
    }
    free(mem);
    return misses;
}

/* ---- Traces made here ---- */

static char *write_pages(const char *tag, const uint64_t *refs, uint32_t n)
{
    static char path[8][64];
    static unsigned next;
    char *p = path[next++ % 8];
    snprintf(p, 64, "build/tests/trace-%s-%d.txt", tag, (int)getpid());
    FILE *f = fopen(p, "w");
    cr_assert_not_null(f, "cannot write %s", p);
    fprintf(f, "# %s: %u page numbers\n", tag, n);
    for (uint32_t i = 0; i < n; i++)
        fprintf(f, "%llu\n", (unsigned long long)refs[i]);
    fclose(f);
    return p;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

/* n references of pages refs[] to path, a line each as `line` writes
 * reference i of page `page`. */
static void write_refs(const char *path, const uint64_t *refs, uint32_t n,
                       void (*line)(FILE *f, uint32_t i, uint64_t page))
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    for (uint32_t i = 0; i < n; i++)
        line(f, i, refs[i]);
    fclose(f);
}

/* A FIFO named after `tag` into fifo (size bytes), and a child process
 * that writes n references of refs[] into it as write_refs would, for the
 * caller to read as a pipe. Returns the child, for writer_done. */
static pid_t fifo_writer(char *fifo, size_t size, const char *tag, const uint64_t *refs, uint32_t n,
                         void (*line)(FILE *f, uint32_t i, uint64_t page))
{
    snprintf(fifo, size, "build/tests/trace-%s-%d", tag, (int)getpid());
    unlink(fifo);
    cr_assert_eq(mkfifo(fifo, 0600), 0, "mkfifo: %s", strerror(errno));
    pid_t child = fork();
    cr_assert_neq(child, -1);
    if (child == 0) {
        FILE *w = fopen(fifo, "w");
        for (uint32_t i = 0; w && i < n; i++)
            line(w, i, refs[i]);
        _exit(w && fclose(w) == 0 ? 0 : 1);
    }
    return child;
}

/* The FIFO's writer wrote all it had to. */
static void writer_done(pid_t child)
{
    int status;
    cr_assert_eq(waitpid(child, &status, 0), child);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the writer failed");
}

static void page_line(FILE *f, uint32_t i, uint64_t page)
{
    (void)i;
    fprintf(f, "%llu\n", (unsigned long long)page);
}

/* trace_prepare of the one file at path, which must succeed. */
static void prepare_one(struct trace_set *set, const char *path, enum trace_format format)
{
    char err[600];
    const char *paths[1] = {path};
    cr_assert(trace_prepare(set, paths, 1, format, false, NULL, NULL, err, sizeof err), "%s: %s", path, err);
}

/* Pages with locality: mostly a sliding window, now and then anywhere. */
static uint64_t *local_trace(uint64_t seed, uint32_t n, uint32_t pages, uint32_t window)
{
    struct t_rng r = {seed};
    uint64_t *refs = malloc(n * sizeof *refs);
    cr_assert_not_null(refs);
    uint32_t base = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (i % 50 == 49)
            base = (base + 1) % pages;
        refs[i] = t_below(&r, 10) ? (base + t_below(&r, window)) % pages : t_below(&r, pages);
    }
    return refs;
}

static struct trace_result run_one(const char *path, enum mm_policy policy, uint32_t cache)
{
    struct trace_set set;
    char err[600];
    const char *paths[1] = {path};
    cr_assert(trace_prepare(&set, paths, 1, TRACE_AUTO, policy == MM_POLICY_OPT, NULL, NULL, err, sizeof err), "%s", err);
    struct trace_options o = {.policy = policy, .cache = cache, .tick = 1000};
    struct trace_result res;
    cr_assert_eq(trace_run(&set, &o, &res, NULL, NULL, NULL, NULL, err, sizeof err), TRACE_OK, "%s", err);
    trace_set_free(&set);
    return res;
}

/* A progress call that moves the file position of the copy of the page
 * numbers, as another process of a parallel sweep does (they share it). */
static void move_copy(void *ctx, double done)
{
    (void)done;
    struct trace_set *set = ctx;
    lseek(fileno(set->file[0].copy), 0, SEEK_END);
}

Test(trace, a_run_reads_its_copy_at_its_own_offset_and_notices_one_cut_short)
{
    enum { N = 200000 };   /* refills of the copy's buffer, and progress calls between */
    uint64_t *refs = local_trace(0x0FF5, N, 2000, 80);
    char *path = write_pages("offset", refs, N);
    struct trace_set set;
    char err[600];
    const char *paths[1] = {path};
    cr_assert(trace_prepare(&set, paths, 1, TRACE_AUTO, false, NULL, NULL, err, sizeof err), "%s", err);
    cr_assert_not_null(set.file[0].copy);
    struct trace_options o = {.policy = MM_POLICY_FIFO, .cache = 100, .tick = 1000};
    struct trace_result alone, moved;
    cr_assert_eq(trace_run(&set, &o, &alone, NULL, NULL, NULL, NULL, err, sizeof err), TRACE_OK, "%s", err);
    cr_assert_eq(trace_run(&set, &o, &moved, NULL, NULL, move_copy, &set, err, sizeof err), TRACE_OK, "%s", err);
    cr_assert_eq(moved.total.touches, N);
    cr_assert_eq(moved.total.misses, alone.total.misses);
    cr_assert_eq(moved.total.misses, reference_misses(MM_POLICY_FIFO, refs, N, 100));
    /* a copy that ends before the references the first pass counted is an
       error, not a shorter run */
    cr_assert_eq(ftruncate(fileno(set.file[0].copy), N), 0);
    struct trace_result cut;
    cr_assert_neq(trace_run(&set, &o, &cut, NULL, NULL, NULL, NULL, err, sizeof err), TRACE_OK);
    cr_assert(strstr(err, "the copy of its page numbers ended after 100000 of its 200000 references"), "%s", err);
    trace_set_free(&set);
    unlink(path);
    free(refs);
}

/* A copy of the page numbers that cannot be written (a full disk, here a
 * limit on the size of any file this process writes) is given up, and the
 * run reads the text instead: the same result, no crash. The trace is
 * long enough that the copy fails after whole buffers were written, as
 * more of the trace's batches come. */
Test(trace, a_copy_that_cannot_be_written_is_given_up_for_the_text)
{
    enum { N = 300000 };
    uint64_t *refs = local_trace(0xF511, N, 60000, 80);   /* pages above 65535: the copy widens too */
    char *path = write_pages("full", refs, N);
    struct trace_result whole = run_one(path, MM_POLICY_FIFO, 50);
    signal(SIGXFSZ, SIG_IGN);   /* a write past the limit fails with EFBIG instead */
    struct rlimit small = {64 * 1024, 64 * 1024};
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
    struct trace_set set;
    char err[600];
    const char *paths[1] = {path};
    cr_assert(trace_prepare(&set, paths, 1, TRACE_AUTO, false, NULL, NULL, err, sizeof err), "%s", err);
    cr_assert_null(set.file[0].copy, "the copy outgrew the limit and was given up");
    struct trace_options o = {.policy = MM_POLICY_FIFO, .cache = 50, .tick = 1000};
    struct trace_result res;
    cr_assert_eq(trace_run(&set, &o, &res, NULL, NULL, NULL, NULL, err, sizeof err), TRACE_OK, "%s", err);
    cr_assert_eq(res.total.touches, N);
    cr_assert_eq(res.total.misses, whole.total.misses);
    cr_assert_eq(res.total.misses, reference_misses(MM_POLICY_FIFO, refs, N, 50));
    trace_set_free(&set);
    unlink(path);
    free(refs);
}

/* The engine's misses equal the reference's for every cache size given,
 * and only the policy took pages (no trimming). */
static void compare(const char *tag, const uint64_t *refs, uint32_t n, const uint32_t *sizes, uint32_t nsizes)
{
    const char *path = write_pages(tag, refs, n);
    const enum mm_policy policies[] = {MM_POLICY_FIFO, MM_POLICY_LRU, MM_POLICY_OPT};
    for (uint32_t p = 0; p < 3; p++)
        for (uint32_t s = 0; s < nsizes; s++) {
            struct trace_result res = run_one(path, policies[p], sizes[s]);
            uint64_t want = reference_misses(policies[p], refs, n, sizes[s]);
            cr_assert_eq(res.total.misses, want, "%s, %s, cache %u: engine %llu misses, reference %llu", tag,
                         mm_policy_name(policies[p]), sizes[s], (unsigned long long)res.total.misses,
                         (unsigned long long)want);
            cr_assert_eq(res.total.hits + res.total.misses, n);
            cr_assert_eq(res.total.trimmed, 0u, "%s: pages were trimmed", tag);
            cr_assert_leq(res.total.ws.data, sizes[s]);
            cr_assert_eq(res.total.ws.locked, 3u);
        }
    unlink(path);
}

Test(trace, belady_anomaly_fifo_misses_more_with_more_memory)
{
    static const uint64_t refs[] = {1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5};
    const char *path = write_pages("belady", refs, 12);
    cr_assert_eq(run_one(path, MM_POLICY_FIFO, 3).total.misses, 9u);
    cr_assert_eq(run_one(path, MM_POLICY_FIFO, 4).total.misses, 10u);
    cr_assert_eq(run_one(path, MM_POLICY_LRU, 3).total.misses, 10u);
    cr_assert_eq(run_one(path, MM_POLICY_LRU, 4).total.misses, 8u, "LRU is a stack algorithm");
    cr_assert_eq(run_one(path, MM_POLICY_OPT, 3).total.misses, 7u);
    cr_assert_eq(run_one(path, MM_POLICY_OPT, 4).total.misses, 6u);
    unlink(path);
}

Test(trace, fifo_lru_opt_equal_the_reference_on_random_pages)
{
    struct t_rng r = {0x7A11};
    uint64_t refs[400];
    for (uint32_t i = 0; i < 400; i++)
        refs[i] = t_below(&r, 12);
    static const uint32_t sizes[] = {1, 2, 3, 4, 5, 7, 11, 12, 20};
    compare("random", refs, 400, sizes, 9);
}

Test(trace, fifo_lru_opt_equal_the_reference_on_a_loop_and_far_pages)
{
    /* a loop one page longer than the cache (LRU and FIFO always miss), and
     * pages far apart: several page tables, which take no place in the cache */
    uint64_t refs[600];
    for (uint32_t i = 0; i < 600; i++)
        refs[i] = i % 3 == 2 ? (uint64_t)(i / 3 % 9) * 1024 + 5 : i % 17;
    static const uint32_t sizes[] = {4, 16, 17, 25};
    compare("loop", refs, 600, sizes, 4);
    struct trace_result res = run_one(write_pages("loop", refs, 600), MM_POLICY_LRU, 16);
    cr_assert_eq(res.total.ws.page_tables, 9u, "pages 0 to 8 * 1024 + 5 need 9 page tables");
    cr_assert_eq(res.total.table_fault[MM_FAULT_PAGE_TABLE], 9u);
    cr_assert_eq(res.total.ws.data, 16u, "a full cache of data pages beside the tables");
}

Test(trace, fifo_lru_opt_equal_the_reference_with_locality_and_memory_pressure, SLOW(120))
{
    uint64_t *refs = local_trace(0x10CA1, 6000, 600, 40);
    static const uint32_t sizes[] = {8, 30, 64, 200};
    compare("local", refs, 6000, sizes, 4);
    /* the misses came in every kind: the default machine has room for half
     * the cache again, so pages are written out and read back */
    const char *path = write_pages("local", refs, 6000);
    struct trace_result res = run_one(path, MM_POLICY_LRU, 64);
    cr_assert_gt(res.total.fault[MM_FAULT_DEMAND_ZERO], 0);
    cr_assert_gt(res.total.fault[MM_FAULT_TRANSITION], 0);
    cr_assert_gt(res.total.fault[MM_FAULT_PAGE_FILE], 0);
    cr_assert_gt(res.pages_written, 0);
    cr_assert_eq(res.total.fault[MM_FAULT_DEMAND_ZERO], res.total.pages, "one first touch per page");
    unlink(path);
    free(refs);
}

Test(trace, clock_and_aging_run_within_the_cache)
{
    uint64_t *refs = local_trace(0xC10C, 3000, 300, 30);
    const char *path = write_pages("clock", refs, 3000);
    const enum mm_policy policies[] = {MM_POLICY_CLOCK, MM_POLICY_AGING};
    for (uint32_t k = 0; k < 2; k++) {
        enum mm_policy p = policies[k];
        struct trace_result res = run_one(path, p, 32);
        uint64_t lru = reference_misses(MM_POLICY_LRU, refs, 3000, 32);
        uint64_t opt = reference_misses(MM_POLICY_OPT, refs, 3000, 32);
        cr_assert_geq(res.total.misses, opt, "%s beat OPT", mm_policy_name(p));
        cr_assert_lt(res.total.misses, lru * 2, "%s: %llu misses, LRU %llu", mm_policy_name(p),
                     (unsigned long long)res.total.misses, (unsigned long long)lru);
        cr_assert_eq(res.total.ws.data, 32u);
        cr_assert_eq(res.total.trimmed, 0u);
        cr_assert_eq(res.total.evictions, res.total.misses - 32u, "every miss past the first 32 replaces one");
    }
    unlink(path);
    free(refs);
}

/* What the summary's TLB line says: the processor looks up each page
 * reference once and, after the fault a miss raises, once more, whatever
 * the policy, the cache or the page-table faults on the way. */
Test(trace, tlb_lookups_are_one_per_page_reference_and_one_more_per_miss)
{
    uint64_t *refs = local_trace(0x71B, 4000, 2000, 60);
    const char *path = write_pages("tlb", refs, 4000);
    const enum mm_policy policies[] = {MM_POLICY_FIFO, MM_POLICY_LRU, MM_POLICY_CLOCK, MM_POLICY_AGING,
                                       MM_POLICY_OPT};
    const uint32_t caches[] = {1, 16, 300, 0};
    for (uint32_t k = 0; k < 5; k++)
        for (uint32_t c = 0; c < 4; c++) {
            struct trace_result res = run_one(path, policies[k], caches[c]);
            cr_assert_gt(res.total.misses, 0);
            cr_assert_eq(res.tlb_hits + res.tlb_misses, res.total.touches + res.total.misses,
                         "%s, cache %u: %llu hits + %llu misses, %llu page references, %llu misses",
                         mm_policy_name(policies[k]), caches[c], (unsigned long long)res.tlb_hits,
                         (unsigned long long)res.tlb_misses, (unsigned long long)res.total.touches,
                         (unsigned long long)res.total.misses);
        }
    unlink(path);
    free(refs);
}

/* ---- Per-reference steps ---- */

struct seen {
    uint32_t steps, victims;
    mm_va last_victim;
    enum mm_list last_to;
    uint64_t hits, misses;
    uint32_t order[8];
};

static void on_step(void *ctx, const struct mm_machine *m, const struct trace_step *s)
{
    struct seen *w = ctx;
    w->steps++;
    w->victims += s->victims;
    if (s->victims) {
        w->last_victim = s->victim[0];
        w->last_to = s->victim_to[0];
    }
    w->hits = s->hits;
    w->misses = s->misses;
    mm_va order[8];
    uint32_t n = mm_ws_policy_order(m, s->pid, order, 8);
    for (uint32_t i = 0; i < n && i < 8; i++)
        w->order[i] = order[i] >> 12;
}

Test(trace, steps_report_each_reference_and_its_victim)
{
    static const uint64_t refs[] = {0, 1, 2, 0, 1, 3, 0, 3, 1, 2, 1};
    const char *path = write_pages("steps", refs, 11);
    struct trace_set set;
    char err[600];
    const char *paths[1] = {path};
    cr_assert(trace_prepare(&set, paths, 1, TRACE_AUTO, false, NULL, NULL, err, sizeof err), "%s", err);
    struct trace_options o = {.policy = MM_POLICY_LRU, .cache = 3};
    struct trace_result res;
    struct seen w = {0};
    cr_assert_eq(trace_run(&set, &o, &res, on_step, &w, NULL, NULL, err, sizeof err), TRACE_OK, "%s", err);
    cr_assert_eq(w.steps, 11u);
    cr_assert_eq(w.victims, 2u);
    cr_assert_eq(trace_address(&set, 0, w.last_victim), 0u, "the last page replaced is page 0");
    cr_assert_eq(w.last_to, ModifiedPageList, "a page made by a demand-zero fault is dirty");
    cr_assert_eq(w.hits, 6u);
    cr_assert_eq(w.misses, 5u);
    /* LRU order at the end: 3, 2, 1 (pages fold to 0x01000000 + n * 4096) */
    cr_assert_eq(w.order[0], 0x1003u);
    cr_assert_eq(w.order[1], 0x1002u);
    cr_assert_eq(w.order[2], 0x1001u);
    trace_set_free(&set);
    unlink(path);
}

/* ---- Formats, straddles, processes ---- */

Test(trace, every_format_reads_the_same_pages)
{
    write_text("build/tests/fmt-pages.txt", "# pages\n5\n0x6\n\n  7 \r\n5\n");
    write_text("build/tests/fmt-addrs.txt", "20480\n0x6010\n0x7fff\n20481\n");
    write_text("build/tests/fmt-rw.txt", "5000 R\n0x6010 w\n7fff W\n5001 r\n");
    write_text("build/tests/fmt-lackey.txt",
               "==1== Lackey\nI  00005000,3\n S 00006010,8\n L 00007ffc,8\n M 00005001,4\n");
    static const char *const files[] = {"build/tests/fmt-pages.txt", "build/tests/fmt-addrs.txt",
                                        "build/tests/fmt-rw.txt", "build/tests/fmt-lackey.txt"};
    static const enum trace_format formats[] = {TRACE_PAGES, TRACE_PAGES, TRACE_RW, TRACE_LACKEY};
    static const enum trace_format given[] = {TRACE_AUTO, TRACE_ADDRS, TRACE_AUTO, TRACE_AUTO};
    static const uint64_t expect[] = {0x5000, 0x6010, 0x7ffc, 0x5001};
    for (uint32_t f = 0; f < 4; f++) {
        struct trace_reader r;
        char err[300];
        cr_assert(trace_open(&r, files[f], given[f], err, sizeof err), "%s", err);
        struct trace_ref ref;
        for (uint32_t i = 0; i < 4; i++) {
            cr_assert_eq(trace_next(&r, &ref), 1, "%s: %s", files[f], r.error);
            cr_assert_eq(ref.addr >> 12, expect[i] >> 12, "%s ref %u: 0x%llx", files[f], i,
                         (unsigned long long)ref.addr);
        }
        cr_assert_eq(trace_next(&r, &ref), 0);
        cr_assert_eq(r.format, given[f] == TRACE_AUTO ? formats[f] : given[f]);
        cr_assert(trace_rewind(&r));
        cr_assert_eq(trace_next(&r, &ref), 1, "readable again");
        trace_close(&r);
    }
    struct trace_result res = run_one("build/tests/fmt-lackey.txt", MM_POLICY_LRU, 8);
    cr_assert_eq(res.total.records, 4u);
    cr_assert_eq(res.total.touches, 5u, "the load at 0x7ffc of 8 bytes touches pages 7 and 8");
    cr_assert_eq(res.total.misses, 4u);
    for (uint32_t f = 0; f < 4; f++)
        unlink(files[f]);
}

/* Page numbers of every length, some with leading zeros, among lines only
 * the general reader reads (hex, blanks, CR LF, comments, blank lines), in
 * a file many times the reader's buffer, so that lines fall across its
 * refills: every value and every line number is the one written. */
Test(trace, page_numbers_of_every_length_read_exactly_across_buffers)
{
    const char *path = "build/tests/trace-lengths.txt";
    enum { N = 300000 };
    uint64_t *want = malloc(N * sizeof *want), *line = malloc(N * sizeof *line);
    cr_assert(want && line);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    struct t_rng rng = {0x5EED};
    uint64_t at = 0;
    for (uint32_t i = 0; i < N; i++) {
        uint32_t digits = 1 + t_below(&rng, 12), form = t_below(&rng, 40);
        uint64_t v = t_below(&rng, 10);
        for (uint32_t d = 1; d < digits; d++)
            v = v * 10 + t_below(&rng, 10);
        if (form == 0) {
            fprintf(f, "# comment %u\n\n", i);
            at += 2;
        }
        want[i] = v;
        line[i] = ++at;
        switch (form) {
        case 1: fprintf(f, "0x%llx\n", (unsigned long long)v); break;
        case 2: fprintf(f, "  %llu \n", (unsigned long long)v); break;
        case 3: fprintf(f, "%llu\r\n", (unsigned long long)v); break;
        case 4: fprintf(f, "000%llu\n", (unsigned long long)v); break;
        default: fprintf(f, "%llu\n", (unsigned long long)v); break;
        }
    }
    fprintf(f, "1099511627775");   /* the last page of the 52-bit space, and no '\n' */
    fclose(f);
    struct trace_reader r;
    char err[300];
    cr_assert(trace_open(&r, path, TRACE_PAGES, err, sizeof err), "%s", err);
    struct trace_ref ref;
    for (uint32_t i = 0; i < N; i++) {
        cr_assert_eq(trace_next(&r, &ref), 1, "%s", r.error);
        cr_assert_eq(ref.addr, want[i] << 12, "reference %u, line %llu: page %llu read as %llu", i,
                     (unsigned long long)line[i], (unsigned long long)want[i],
                     (unsigned long long)(ref.addr >> 12));
        cr_assert_eq(r.line, line[i], "reference %u", i);
        cr_assert_eq(ref.size, 1u);
        cr_assert_eq(ref.access, TRACE_LOAD);
    }
    cr_assert_eq(trace_next(&r, &ref), 1, "%s", r.error);
    cr_assert_eq(ref.addr, 1099511627775ull << 12);
    cr_assert_eq(trace_next(&r, &ref), 0);
    /* read again in batches of every size (the first pass's way): the
       lines the batch reads, then one by trace_next, give the same pages
       and lines */
    cr_assert(trace_rewind(&r), "%s", r.error);
    uint32_t batch[64], i = 0, batches = 0, in_batches = 0;
    while (i < N) {
        uint32_t n = trace_next_pages(&r, batch, 1 + i % 64);
        for (uint32_t k = 0; k < n; k++, i++) {
            cr_assert_eq(batch[k], want[i], "reference %u, line %llu: page %llu read as %u in a batch", i,
                         (unsigned long long)line[i], (unsigned long long)want[i], batch[k]);
            cr_assert_eq(r.line - (n - 1 - k), line[i], "reference %u", i);
        }
        batches += n > 0;
        in_batches += n;
        if (i == N)
            break;
        cr_assert_eq(trace_next(&r, &ref), 1, "%s", r.error);
        cr_assert_eq(ref.addr, want[i] << 12, "reference %u", i);
        cr_assert_eq(r.line, line[i], "reference %u", i);
        i++;
    }
#ifdef TRACE_SHORT_PAGES
    cr_assert_gt(in_batches, N / 2, "most lines are read in batches (%u of %u, %u batches)", in_batches, N, batches);
#endif
    cr_assert_eq(trace_next_pages(&r, batch, 64), 0u, "the last line has no '\\n'");
    cr_assert_eq(trace_next(&r, &ref), 1, "%s", r.error);
    cr_assert_eq(ref.addr, 1099511627775ull << 12);
    cr_assert_eq(trace_next_pages(&r, batch, 64), 0u);
    cr_assert_eq(trace_next(&r, &ref), 0);
    trace_close(&r);
    unlink(path);
    free(want);
    free(line);
}

static void count_step(void *ctx, const struct mm_machine *m, const struct trace_step *s)
{
    (void)m;
    (void)s;
    ++*(uint32_t *)ctx;
}

/* One policy, cache 40, over a prepared trace of n references: the run
 * from the copy of the page numbers and the run from the text (which
 * reads every line) agree in every count, and, given the page numbers
 * (refs, one page a reference), FIFO's and LRU's misses equal the
 * reference's. */
static void copy_runs_as_text(struct trace_set *set, enum mm_policy policy, const uint64_t *refs, uint32_t n)
{
    char err[600];
    struct trace_options o = {.policy = policy, .cache = 40, .tick = 1000};
    struct trace_result copy, text;
    uint32_t steps = 0;
    cr_assert_eq(trace_run(set, &o, &copy, NULL, NULL, NULL, NULL, err, sizeof err), TRACE_OK, "%s", err);
    cr_assert_eq(trace_run(set, &o, &text, count_step, &steps, NULL, NULL, err, sizeof err), TRACE_OK, "%s", err);
    cr_assert_eq(steps, n, "the text was read");
    cr_assert_eq(copy.total.records, n);
    cr_assert_eq(copy.total.misses, text.total.misses, "%s", mm_policy_name(policy));
    cr_assert_eq(copy.total.hits, text.total.hits);
    cr_assert_eq(memcmp(copy.total.fault, text.total.fault, sizeof copy.total.fault), 0);
    cr_assert_eq(memcmp(copy.total.table_fault, text.total.table_fault, sizeof copy.total.table_fault), 0);
    cr_assert_eq(copy.ticks, text.ticks);
    cr_assert_eq(copy.pages_written, text.pages_written);
    cr_assert_eq(copy.tlb_misses, text.tlb_misses);
    cr_assert_eq(copy.total.touches, text.total.touches);
    cr_assert_eq(copy.total.evictions, text.total.evictions);
    cr_assert_eq(copy.total.trimmed, text.total.trimmed);
    cr_assert_eq(copy.total.pages, text.total.pages);
    cr_assert_eq(copy.total.peak, text.total.peak);
    cr_assert_eq(memcmp(&copy.total.ws, &text.total.ws, sizeof copy.total.ws), 0, "the working set at the end");
    cr_assert_eq(copy.pages_read, text.pages_read);
    cr_assert_eq(copy.tlb_hits, text.tlb_hits);
    if (refs && policy != MM_POLICY_CLOCK && policy != MM_POLICY_AGING)
        cr_assert_eq(copy.total.misses, reference_misses(policy, refs, n, 40));
}

/* A page-number trace is parsed once: a run without per-reference output
 * replays the copy of its page numbers, one with it the text; both run the
 * same references. Lines are still found for messages. */
Test(trace, the_copy_of_the_page_numbers_runs_as_the_text_does)
{
    uint64_t *refs = local_trace(0xC0B1, 20000, 900, 60);
    const char *path = "build/tests/trace-copy.txt";
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f, "# made by the test\n\n");
    for (uint32_t i = 0; i < 20000; i++)
        fprintf(f, i % 1000 == 7 ? "0x%llx\n\n" : "%llu\n", (unsigned long long)refs[i]);
    fclose(f);
    struct trace_set set;
    char err[600];
    const char *paths[1] = {path};
    cr_assert(trace_prepare(&set, paths, 1, TRACE_AUTO, false, NULL, NULL, err, sizeof err), "%s", err);
    cr_assert_not_null(set.file[0].copy, "a page-number file gets a copy");
    cr_assert_not(set.file[0].copy_wide, "pages below 65536: 2 bytes each");
    const enum mm_policy policies[] = {MM_POLICY_FIFO, MM_POLICY_LRU, MM_POLICY_CLOCK, MM_POLICY_AGING};
    for (uint32_t p = 0; p < 4; p++)
        copy_runs_as_text(&set, policies[p], refs, 20000);
    /* lines as read: 2 lines of header, a blank line after every 0x line */
    cr_assert_eq(trace_line_of(&set, 0, 0), 3u);
    cr_assert_eq(trace_line_of(&set, 0, 7), 10u);
    cr_assert_eq(trace_line_of(&set, 0, 8), 12u);
    cr_assert_eq(trace_line_of(&set, 0, 19999), 20000u + 2u + 20u);
    cr_assert_eq(trace_line_of(&set, 0, 20000), 0u, "no such reference");
    trace_set_free(&set);
    /* 2 bytes a page number until one above 65535 comes, far into the
       trace: the copy is widened to 4 bytes and runs as the text does */
    enum { W = 40000 };
    uint64_t *wide = malloc(W * sizeof *wide);
    cr_assert_not_null(wide);
    f = fopen(path, "w");
    cr_assert_not_null(f);
    for (uint32_t i = 0; i < W; i++) {
        wide[i] = i == 30000 ? 70000 : i == 30001 ? 0xFFFFFFFFu : refs[i % 20000] + (i > 35000 ? 65530 : 0);
        fprintf(f, "%llu\n", (unsigned long long)wide[i]);
    }
    fclose(f);
    cr_assert(trace_prepare(&set, paths, 1, TRACE_AUTO, false, NULL, NULL, err, sizeof err), "%s", err);
    cr_assert_not_null(set.file[0].copy);
    cr_assert(set.file[0].copy_wide);
    for (uint32_t p = 0; p < 2; p++)
        copy_runs_as_text(&set, policies[p], wide, W);
    trace_set_free(&set);
    /* the same when the first page number above 65535 is on a line read in
       a batch, and such pages come back (2 bytes each would make them
       others: p + 65530 would read as p - 6) */
    f = fopen(path, "w");
    cr_assert_not_null(f);
    for (uint32_t i = 0; i < W; i++) {
        wide[i] = refs[i % 20000] + (i >= 10000 && i % 3 == 0 ? 65530 : 0);
        fprintf(f, "%llu\n", (unsigned long long)wide[i]);
    }
    fclose(f);
    cr_assert(trace_prepare(&set, paths, 1, TRACE_AUTO, false, NULL, NULL, err, sizeof err), "%s", err);
    cr_assert(set.file[0].copy_wide);
    for (uint32_t p = 0; p < 2; p++)
        copy_runs_as_text(&set, policies[p], wide, W);
    trace_set_free(&set);
    free(wide);
    /* a page number beyond 32 bits: the copy holds it folded, and runs as
       the text does */
    write_text(path, "1\n2\n0x100000000\n2\n");
    cr_assert(trace_prepare(&set, paths, 1, TRACE_AUTO, false, NULL, NULL, err, sizeof err), "%s", err);
    cr_assert_not_null(set.file[0].copy, "a page beyond 32 bits is copied, folded");
    struct trace_options o = {.policy = MM_POLICY_LRU, .cache = 2};
    struct trace_result res;
    cr_assert_eq(trace_run(&set, &o, &res, NULL, NULL, NULL, NULL, err, sizeof err), TRACE_OK, "%s", err);
    cr_assert_eq(res.total.misses, 3u);
    cr_assert_eq(res.total.hits, 1u);
    for (uint32_t p = 0; p < 4; p++)
        copy_runs_as_text(&set, policies[p], NULL, 4);
    trace_set_free(&set);
    /* a lackey reference across 2^44, its second page's region placed
       beside the first's, then many in that region read a batch at a
       time: copied too */
    FILE *high = fopen(path, "w");
    cr_assert_not_null(high);
    fputs(" L ffffffffffe,4\n", high);
    for (int i = 0; i < 300; i++)
        fputs(" L 100000000010,4\n S 100000000020,8\n", high);
    fclose(high);
    cr_assert(trace_prepare(&set, paths, 1, TRACE_AUTO, false, NULL, NULL, err, sizeof err), "%s", err);
    cr_assert_not_null(set.file[0].copy, "pages beyond 32 bits are copied, folded");
    cr_assert_eq(trace_run(&set, &o, &res, NULL, NULL, NULL, NULL, err, sizeof err), TRACE_OK, "%s", err);
    cr_assert_eq(res.total.records, 601u);
    cr_assert_eq(res.total.misses, 2u, "the pages at 0xffffffffff000 and 0x100000000000");
    for (uint32_t p = 0; p < 4; p++)
        copy_runs_as_text(&set, policies[p], NULL, 601);
    trace_set_free(&set);
    /* a 64-bit program's stack as Linux places it, near 2^47, beside its
       code and heap: every reference copied, a batch at a time, and the
       run from the copy is the run from the text */
    high = fopen(path, "w");
    cr_assert_not_null(high);
    for (uint32_t i = 0; i < 3000; i++)
        fprintf(high, "%llx %c\n",
                (unsigned long long)(i % 3 ? 0x7ffd12340000ull - (i * 7919u % 90u) * 4096u + i % 4000u
                                           : 0x555555554000ull + (i * 104729u % 300u) * 4096u),
                i % 4 ? 'R' : 'W');
    fclose(high);
    cr_assert(trace_prepare(&set, paths, 1, TRACE_AUTO, false, NULL, NULL, err, sizeof err), "%s", err);
    cr_assert_not_null(set.file[0].copy, "a stack near 2^47 is copied");
    for (uint32_t p = 0; p < 4; p++)
        copy_runs_as_text(&set, policies[p], NULL, 3000);
    trace_set_free(&set);
    /* a reference across a 16 MiB fold (its two pages in regions that
       landed apart): two words of the copy, run as the text runs it */
    write_text(path, " L 5000000000,4\n L 3000000000,4\n L 5000fffffe,4\n S 5000fffffe,4\n");
    cr_assert(trace_prepare(&set, paths, 1, TRACE_AUTO, false, NULL, NULL, err, sizeof err), "%s", err);
    cr_assert_not_null(set.file[0].copy, "a reference across a fold is copied");
    cr_assert_eq(trace_run(&set, &o, &res, NULL, NULL, NULL, NULL, err, sizeof err), TRACE_OK, "%s", err);
    cr_assert_eq(res.total.records, 4u);
    cr_assert_eq(res.total.touches, 6u);
    cr_assert_eq(res.total.misses, 4u, "the pages at 0x5000000000, 0x3000000000, 0x5000fff000, 0x5001000000");
    for (uint32_t p = 0; p < 4; p++)
        copy_runs_as_text(&set, policies[p], NULL, 4);
    trace_set_free(&set);
    /* as valgrind's stack top gives it (a 16-byte store across
       0x1fff000000, whose region a reference met first), between
       references of every kind, with the first of its two words of the
       copy inside a buffer of 16,384 words, at its last word (the second
       read in with the next buffer) and at its first */
    high = fopen(path, "w");
    cr_assert_not_null(high);
    fputs(" L 1fff000100,8\n", high);
    const uint32_t firsts[] = {16382, 2 * 16384 - 1, 3 * 16384, 4 * 16384 - 1};
    uint32_t lines = 1, words = 1;
    for (uint32_t k = 0; k < 4; k++) {
        for (; words < firsts[k]; words++, lines++) {
            uint64_t page = lines % 3 == 0 ? 0x1ffeffe000ull : 0x4000000ull + lines % 300 * 4096;
            fprintf(high, "%s %llx,4\n", lines % 2 ? " S" : "I ", (unsigned long long)(page + lines % 1000));
        }
        fputs(k % 2 ? " M 1ffefffffc,8\n" : " S 1ffefffff1,16\n", high);
        lines++;
        words += 2;
    }
    fclose(high);
    cr_assert(trace_prepare(&set, paths, 1, TRACE_AUTO, false, NULL, NULL, err, sizeof err), "%s", err);
    cr_assert_not_null(set.file[0].copy, "valgrind's stack top is copied");
    for (uint32_t p = 0; p < 4; p++)
        copy_runs_as_text(&set, policies[p], NULL, lines);
    trace_set_free(&set);
    unlink(path);
    free(refs);
}

/* An rw trace is parsed once too: its copy holds each reference's page
 * and whether it is a store, and a run from it is the run from the text
 * in every count, the pages the stores dirtied and the writer wrote
 * included. So are lackey and addrs traces. */
/* One line of the test's rw, lackey and addrs traces: reference i, of
 * page `page`. The lackey one spans two pages now and then. */
static void rw_line(FILE *f, uint32_t i, uint64_t page)
{
    fprintf(f, i % 4 == 1 ? "%llx W\n" : "0x%llx r\n", (unsigned long long)(page << 12 | (i * 37u % 4096u)));
}

static void lackey_line(FILE *f, uint32_t i, uint64_t page)
{
    uint32_t size = 1 + i * 7u % 16u, offset = i % 5 == 0 ? 4096u - size / 2u : i * 37u % 4000u;
    fprintf(f, "%s %llx,%u\n", (const char *[]){"I ", " L", " S", " M"}[i * 13u % 4u],
            (unsigned long long)(page << 12 | offset), size);
}

static void addrs_line(FILE *f, uint32_t i, uint64_t page)
{
    (void)i;
    fprintf(f, "%llu\n", (unsigned long long)(page << 12 | 5u));
}

Test(trace, rw_lackey_and_addrs_traces_run_from_their_copies_as_from_their_text)
{
    uint64_t *refs = local_trace(0xB0C1, 20000, 900, 60);
    const char *path = "build/tests/trace-copy-rw.txt";
    write_refs(path, refs, 20000, rw_line);
    struct trace_set set;
    char err[600];
    prepare_one(&set, path, TRACE_AUTO);
    cr_assert_not_null(set.file[0].copy, "an rw file gets a copy");
    cr_assert(set.file[0].copy_kinds && set.file[0].copy_wide);
    const enum mm_policy policies[] = {MM_POLICY_FIFO, MM_POLICY_LRU, MM_POLICY_CLOCK, MM_POLICY_AGING};
    for (uint32_t p = 0; p < 4; p++)
        copy_runs_as_text(&set, policies[p], refs, 20000);
    struct trace_options o = {.policy = MM_POLICY_FIFO, .cache = 40, .tick = 1000};
    struct trace_result res;
    cr_assert_eq(trace_run(&set, &o, &res, NULL, NULL, NULL, NULL, err, sizeof err), TRACE_OK, "%s", err);
    cr_assert_gt(res.pages_written, 0u, "the stores dirtied pages that the writer wrote");
    cr_assert_eq(trace_line_of(&set, 0, 19999), 20000u);
    trace_set_free(&set);
    /* a lackey trace too, with its fetches, loads, stores and modifies,
       some across a page boundary (two pages, run alone) */
    write_refs(path, refs, 20000, lackey_line);
    prepare_one(&set, path, TRACE_AUTO);
    cr_assert_not_null(set.file[0].copy, "a lackey file gets a copy");
    cr_assert(set.file[0].copy_kinds);
    cr_assert_gt(set.file[0].touches, 20000u, "some references span two pages");
    for (uint32_t p = 0; p < 4; p++)
        copy_runs_as_text(&set, policies[p], NULL, 20000);
    struct trace_options two = {.policy = MM_POLICY_LRU, .cache = 40, .tick = 1000, .quantum = 777};
    const char *twice[2] = {path, path};
    trace_set_free(&set);
    cr_assert(trace_prepare(&set, twice, 2, TRACE_AUTO, false, NULL, NULL, err, sizeof err), "%s", err);
    struct trace_result copy, text;
    uint32_t steps = 0;
    cr_assert_eq(trace_run(&set, &two, &copy, NULL, NULL, NULL, NULL, err, sizeof err), TRACE_OK, "%s", err);
    cr_assert_eq(trace_run(&set, &two, &text, count_step, &steps, NULL, NULL, err, sizeof err), TRACE_OK, "%s", err);
    cr_assert_eq(steps, 40000u);
    cr_assert(copy.total.misses == text.total.misses && copy.total.touches == text.total.touches &&
              copy.pages_written == text.pages_written && copy.ticks == text.ticks,
              "two processes taking turns of 777 references: the copy runs as the text");
    trace_set_free(&set);
    /* an addrs trace (loads at addresses) has a copy of page numbers */
    write_refs(path, refs, 20000, addrs_line);
    prepare_one(&set, path, TRACE_ADDRS);
    cr_assert_not_null(set.file[0].copy);
    cr_assert_not(set.file[0].copy_kinds);
    for (uint32_t p = 0; p < 2; p++)
        copy_runs_as_text(&set, policies[p], refs, 20000);
    trace_set_free(&set);
    unlink(path);
    free(refs);
}

static void note_progress(void *ctx, double done)
{
    double *seen = ctx;
    cr_assert_gt(done, seen[1], "progress goes forward");
    seen[0]++;
    seen[1] = done;
}

/* What the first pass told, call by call. */
struct told {
    uint32_t calls;
    struct trace_reading at[8];
    char shown[8][TRACE_NAME_SHOWN + 1];
};

static void note_reading(void *ctx, const struct trace_reading *r)
{
    struct told *t = ctx;
    cr_assert_lt(t->calls, 8u, "told too often");
    t->at[t->calls] = *r;
    snprintf(t->shown[t->calls], sizeof t->shown[0], "%s", r->shown);
    t->calls++;
}

/* The first pass tells how far it has read every 65,536 references of
 * each file: which file of how many, by the name messages give it, the
 * bytes read of the file's size, the references read so far. */
Test(trace, the_first_pass_tells_how_far_it_has_read, SLOW(30))
{
    uint64_t *a = local_trace(0xC3, 140000, 600, 40), *b = local_trace(0xD4, 70000, 900, 25);
    const char *paths[2] = {write_pages("read-a", a, 140000), write_pages("read-b", b, 70000)};
    struct trace_set set;
    char err[600];
    struct told t = {0};
    cr_assert(trace_prepare(&set, paths, 2, TRACE_AUTO, false, note_reading, &t, err, sizeof err), "%s", err);
    cr_assert_eq(t.calls, 3u, "140,000 references are told twice, 70,000 once: %u", t.calls);
    const uint32_t file[3] = {0, 0, 1};
    const uint64_t refs[3] = {65536, 131072, 65536};
    for (uint32_t k = 0; k < 3; k++) {
        const struct trace_reading *r = &t.at[k];
        struct stat st;
        cr_assert_eq(stat(paths[file[k]], &st), 0);
        cr_assert_eq(r->file, file[k], "call %u", k);
        cr_assert_eq(r->files, 2u);
        cr_assert_str_eq(t.shown[k], set.file[file[k]].reader.shown);
        cr_assert_eq(r->size, (uint64_t)st.st_size, "call %u: the file's size", k);
        cr_assert(r->references >= refs[k] && r->references < refs[k] + 256, "call %u: %llu references", k,
                  (unsigned long long)r->references);
        /* each line of a page number is its digits and a newline */
        cr_assert(r->bytes > r->references * 2 && r->bytes < r->size, "call %u: %llu bytes", k,
                  (unsigned long long)r->bytes);
    }
    cr_assert_gt(t.at[1].bytes, t.at[0].bytes);
    trace_set_free(&set);
    unlink(paths[0]);
    unlink(paths[1]);

    /* a pipe's size is not known: 0, and the references still counted */
    char fifo[64];
    pid_t child = fifo_writer(fifo, sizeof fifo, "read-fifo", b, 70000, page_line);
    const char *pipe_path[1] = {fifo};
    t.calls = 0;
    cr_assert(trace_prepare(&set, pipe_path, 1, TRACE_AUTO, false, note_reading, &t, err, sizeof err), "%s", err);
    writer_done(child);
    cr_assert_eq(t.calls, 1u);
    cr_assert_eq(t.at[0].size, 0u, "a pipe's size is not known");
    cr_assert_eq(t.at[0].files, 1u);
    cr_assert(t.at[0].references >= 65536 && t.at[0].references < 65536 + 256);
    cr_assert_gt(t.at[0].bytes, t.at[0].references * 2);
    cr_assert_eq(set.file[0].records, 70000u);
    trace_set_free(&set);
    unlink(fifo);
    free(a);
    free(b);
}

/* A pipe's text is copied aside as it is read, and its references are
 * copied too, as a file's are: a run without per-reference output replays
 * them, one with it reads the text's copy, and both run the same; a
 * message's line is found in the text's copy. */
/* A lackey line, and valgrind's note after every 1,000th. */
static void noted_lackey_line(FILE *f, uint32_t i, uint64_t page)
{
    uint32_t size = 1 + i % 8u, offset = i % 7 == 0 ? 4093u : i * 64u % 4032u;
    fprintf(f, "%s %llx,%u\n%s", (const char *[]){"I ", " L", " S", " M"}[i % 4u],
            (unsigned long long)(page << 12 | offset), size, i % 1000 == 999 ? "==1== note\n" : "");
}

Test(trace, a_pipe_s_references_are_copied_as_a_file_s_are, SLOW(30))
{
    uint64_t *refs = local_trace(0xF1F0, 20000, 900, 60);
    char fifo[64];
    pid_t child = fifo_writer(fifo, sizeof fifo, "copy-fifo", refs, 20000, noted_lackey_line);
    struct trace_set set;
    prepare_one(&set, fifo, TRACE_AUTO);
    writer_done(child);
    cr_assert_not_null(set.file[0].reader.spool, "the text copied aside");
    cr_assert_not_null(set.file[0].copy, "and its references");
    cr_assert_gt(set.file[0].touches, 20000u, "some references span two pages");
    cr_assert_eq(trace_line_of(&set, 0, 0), 1u);
    cr_assert_eq(trace_line_of(&set, 0, 999), 1000u);
    cr_assert_eq(trace_line_of(&set, 0, 1000), 1002u, "after the note");
    cr_assert_eq(trace_line_of(&set, 0, 19999), 20000u + 19u);
    const enum mm_policy policies[] = {MM_POLICY_FIFO, MM_POLICY_LRU, MM_POLICY_CLOCK};
    for (uint32_t p = 0; p < 3; p++)
        copy_runs_as_text(&set, policies[p], NULL, 20000);
    cr_assert_eq(trace_line_of(&set, 0, 1000), 1002u, "the runs left the text's copy readable");
    trace_set_free(&set);
    unlink(fifo);
    free(refs);
}

/* Standard input redirected from a file ("mmsim trace - < FILE") is read
 * in place, as a named file is: its size is known (the reading is told it,
 * so a bar can be drawn), nothing is copied aside (TMPDIR may not exist),
 * and the trace begins where standard input stood when it was opened (a
 * file read partly before), for both passes. */
Test(trace, standard_input_from_a_file_is_read_in_place_from_its_position, SLOW(30))
{
    uint64_t *b = local_trace(0xD5, 70000, 900, 25);
    const char *path = write_pages("read-stdin", b, 70000);
    int fd = open(path, O_RDONLY);
    cr_assert_geq(fd, 0);
    cr_assert_eq(dup2(fd, STDIN_FILENO), STDIN_FILENO);
    close(fd);
    char line[128];
    off_t skipped = 0;
    for (int k = 0; k < 2; k++) {   /* the comment and the first reference, read before: skipped */
        cr_assert(fgets(line, sizeof line, stdin), "line %d", k + 1);
        skipped += (off_t)strlen(line);
    }
    cr_assert_eq(fseeko(stdin, skipped, SEEK_SET), 0);   /* where a shell's read would leave it */
    cr_assert_eq(setenv("TMPDIR", "/nonexistent", 1), 0);
    const char *paths[1] = {"-"};
    struct trace_set set;
    char err[600];
    struct told t = {0};
    cr_assert(trace_prepare(&set, paths, 1, TRACE_AUTO, false, note_reading, &t, err, sizeof err), "%s", err);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_null(set.file[0].reader.spool, "copied aside");
    cr_assert_eq(set.file[0].records, 69999u, "the first reference was read before: %llu",
                 (unsigned long long)set.file[0].records);
    cr_assert_eq(t.calls, 1u);
    cr_assert_eq(t.at[0].size, (uint64_t)(st.st_size - skipped), "the size from where it stood");
    cr_assert(t.at[0].bytes > 0 && t.at[0].bytes < t.at[0].size);
    /* the second pass reads the same references again, from the same place */
    struct trace_ref ref;
    cr_assert_eq(trace_next(&set.file[0].reader, &ref), 1);
    cr_assert_eq(ref.addr >> 12, b[1], "the run starts at the second reference");
    trace_set_free(&set);
    /* it is read at offsets of its own: standard input's position, which
       other processes and other names of it (/dev/fd/0) may share, stays */
    cr_assert_eq(ftello(stdin), skipped, "standard input's position moved");
    /* where TMPDIR exists, its page numbers are copied aside as a named
       file's are, and a run's message still finds a reference's line */
    cr_assert_eq(setenv("TMPDIR", "build/tests", 1), 0);
    cr_assert(trace_prepare(&set, paths, 1, TRACE_AUTO, false, NULL, NULL, err, sizeof err), "%s", err);
    cr_assert_not_null(set.file[0].copy, "no copy of its page numbers");
    cr_assert_eq(trace_line_of(&set, 0, 0), 1u, "lines are counted from where standard input stood");
    cr_assert_eq(trace_line_of(&set, 0, 5), 6u);
    cr_assert_eq(ftello(stdin), skipped, "standard input's position moved");
    trace_set_free(&set);
    unlink(path);
    free(b);
}

/* The same process's figures from two runs. */
static void same_process(const struct trace_process_result *a, const struct trace_process_result *b, const char *what)
{
    cr_assert_eq(a->records, b->records, "%s: %s", a->name, what);
    cr_assert_eq(a->touches, b->touches, "%s: %s", a->name, what);
    cr_assert_eq(a->hits, b->hits, "%s: %s", a->name, what);
    cr_assert_eq(a->misses, b->misses, "%s: %s", a->name, what);
    cr_assert_eq(memcmp(a->fault, b->fault, sizeof a->fault), 0, "%s: %s", a->name, what);
    cr_assert_eq(memcmp(a->table_fault, b->table_fault, sizeof a->table_fault), 0, "%s: %s", a->name, what);
    cr_assert_eq(a->evictions, b->evictions, "%s: %s", a->name, what);
    cr_assert_eq(a->peak, b->peak, "%s: %s", a->name, what);
}

/* Traces longer than the copy's buffer (16,384 page numbers), taking
 * turns: turns end in the middle of a buffer and buffers are refilled in
 * the middle of a turn, and each process's figures from the copy are
 * those from its text. Progress is told every 65,536 references, also
 * when a turn is longer. */
Test(trace, long_traces_taking_turns_run_from_the_copy_as_from_the_text, SLOW(60))
{
    uint64_t *a = local_trace(0xA1, 40000, 600, 40), *b = local_trace(0xB2, 70000, 900, 25);
    const char *paths[2] = {write_pages("turns-a", a, 40000), write_pages("turns-b", b, 70000)};
    struct trace_set set;
    char err[600];
    cr_assert(trace_prepare(&set, paths, 2, TRACE_AUTO, false, NULL, NULL, err, sizeof err), "%s", err);
    cr_assert(set.file[0].copy && set.file[1].copy);
    const uint32_t quanta[] = {1000, 7, 100000};
    for (uint32_t q = 0; q < 3; q++) {
        struct trace_options o = {.policy = MM_POLICY_FIFO, .cache = 50, .tick = 1000, .quantum = quanta[q]};
        struct trace_result copy, text;
        uint64_t steps = 0;
        double progress[2] = {0, 0};
        cr_assert_eq(trace_run(&set, &o, &copy, NULL, NULL, note_progress, progress, err, sizeof err), TRACE_OK,
                     "%s", err);
        cr_assert_eq(trace_run(&set, &o, &text, count_step, &steps, NULL, NULL, err, sizeof err), TRACE_OK, "%s",
                     err);
        cr_assert_eq(steps, 110000u, "the text was read");
        char what[64];
        snprintf(what, sizeof what, "quantum %u: the copy against the text", quanta[q]);
        for (uint32_t i = 0; i < 2; i++)
            same_process(&copy.proc[i], &text.proc[i], what);
        cr_assert_eq(copy.proc[0].records, 40000u);
        cr_assert_eq(copy.proc[1].records, 70000u);
        cr_assert_eq(copy.tlb_misses, text.tlb_misses, "%s", what);
        cr_assert_eq(copy.ticks, text.ticks, "%s", what);
        cr_assert_eq(copy.ticks, 110000u / 1000u, "a tick every 1,000 references, counted across processes");
        cr_assert_eq(copy.pages_written, text.pages_written, "%s", what);
        cr_assert_eq(progress[0], 110000 / 65536, "quantum %u: progress told %g times", quanta[q], progress[0]);
        cr_assert_float_eq(progress[1], 65536.0 / 110000, 1e-9, "quantum %u", quanta[q]);
    }
    trace_set_free(&set);
    unlink(paths[0]);
    unlink(paths[1]);
    free(a);
    free(b);
}

Test(trace, several_processes_each_keep_their_own_cache)
{
    uint64_t *a = local_trace(0xA, 2000, 200, 20), *b = local_trace(0xB, 3000, 100, 30);
    const char *pa = write_pages("procA", a, 2000), *pb = write_pages("procB", b, 3000);
    const char *paths[2] = {pa, pb};
    struct trace_set set;
    char err[600];
    cr_assert(trace_prepare(&set, paths, 2, TRACE_AUTO, true, NULL, NULL, err, sizeof err), "%s", err);
    const enum mm_policy policies[] = {MM_POLICY_FIFO, MM_POLICY_LRU, MM_POLICY_OPT};
    for (uint32_t p = 0; p < 3; p++) {
        struct trace_options o = {.policy = policies[p], .cache = 16, .quantum = 7, .tick = 500};
        struct trace_result res;
        cr_assert_eq(trace_run(&set, &o, &res, NULL, NULL, NULL, NULL, err, sizeof err), TRACE_OK, "%s", err);
        cr_assert_eq(res.processes, 2u);
        cr_assert_eq(res.proc[0].misses, reference_misses(policies[p], a, 2000, 16), "%s, A",
                     mm_policy_name(policies[p]));
        cr_assert_eq(res.proc[1].misses, reference_misses(policies[p], b, 3000, 16), "%s, B",
                     mm_policy_name(policies[p]));
        cr_assert_eq(res.total.misses, res.proc[0].misses + res.proc[1].misses);
        cr_assert_eq(res.total.ws.locked, 6u, "three locked pages each");
        cr_assert_gt(res.tlb_misses, 0);
    }
    trace_set_free(&set);
    unlink(pa);
    unlink(pb);
    free(a);
    free(b);
}

Test(trace, a_real_lackey_trace_replays_and_lru_matches_the_reference, SLOW(120))
{
    /* made by the Makefile: valgrind --tool=lackey --trace-mem=yes of a real program */
    const char *path = "build/tests/lackey.trace";
    struct trace_set set;
    char err[600];
    const char *paths[1] = {path};
    cr_assert(trace_prepare(&set, paths, 1, TRACE_AUTO, false, NULL, NULL, err, sizeof err), "%s", err);
    cr_assert_eq(set.file[0].reader.format, TRACE_LACKEY);
    cr_assert_gt(set.file[0].records, 10000u);
    cr_assert_gt(set.file[0].space.regions, 1u, "code, stack and libraries fold into several regions");
    /* the page sequence as the driver folds it, for the reference */
    uint64_t *pages = malloc(set.file[0].touches * sizeof *pages);
    cr_assert_not_null(pages);
    struct trace_reader *r = &set.file[0].reader;
    struct trace_ref ref;
    uint32_t n = 0;
    while (trace_next(r, &ref) > 0) {
        pages[n++] = ref.addr >> 12;
        if ((ref.addr + ref.size - 1) >> 12 != ref.addr >> 12)
            pages[n++] = (ref.addr >> 12) + 1;
    }
    cr_assert_eq(n, set.file[0].touches);
    cr_assert(trace_rewind(r));
    struct trace_options o = {.policy = MM_POLICY_LRU, .cache = 24, .tick = 10000};
    struct trace_result res;
    cr_assert_eq(trace_run(&set, &o, &res, NULL, NULL, NULL, NULL, err, sizeof err), TRACE_OK, "%s", err);
    cr_assert_eq(res.total.misses, reference_misses(MM_POLICY_LRU, pages, n, 24));
    cr_assert_gt(res.total.touches, res.total.records, "some references straddle two pages");
    cr_assert_eq(res.total.trimmed, 0u);
    /* the run reads the copy, even when a store at the top of valgrind's
       stack reaches a region placed apart, and as it reads the text */
    cr_assert_not_null(set.file[0].copy, "a real program's trace is copied");
    copy_runs_as_text(&set, MM_POLICY_FIFO, NULL, (uint32_t)set.file[0].records);
    trace_set_free(&set);
    free(pages);
}

/* ---- Bad input: refused before anything runs ---- */

/* The trace is refused with the message, whether OPT looks ahead or not
 * (the first pass reads batches of page numbers in two ways). */
static void refused(const char *text, enum trace_format format, const char *message)
{
    const char *path = "build/tests/bad-trace.txt";
    write_text(path, text);
    struct trace_set set;
    char err[600];
    const char *paths[1] = {path};
    for (int lookahead = 0; lookahead < 2; lookahead++) {
        cr_assert_not(trace_prepare(&set, paths, 1, format, lookahead, NULL, NULL, err, sizeof err), "accepted: %s", text);
        cr_assert_str_eq(err, message, "%s look-ahead", lookahead ? "with" : "without");
    }
    unlink(path);
}

/* Addresses and sizes in every spelling a trace may use read to their
 * exact values and kinds of access, on the lines as valgrind and most
 * tools write them (read by a quick path) and on others (tabs, CR LF, 0x
 * sizes: the general one): hex digits of either case, 0x and 0X, leading
 * zeros past 64 bits' worth, the largest address there is; and one digit
 * more than that, or many more, is refused as beyond reach. */
Test(trace, numbers_in_every_spelling_read_exactly)
{
    write_text("build/tests/num-rw.txt", "0XABCDEF R\nabcdef W\naBcDeF r\n0x00000000000000000000000000001 R\n"
               "FFFFFFFFFFFFF w\n0 R\n1234567890 R\n");
    write_text("build/tests/num-lackey.txt",
               " L 0009fA0c,0x10\n S 7,0010\n M ff,4096\nI  0400a3c0,3\n S\t12,4\n L 0x12,8\r\n");
    static const uint64_t rw[] = {0xABCDEF, 0xABCDEF, 0xABCDEF, 1, 0xFFFFFFFFFFFFF, 0, 0x1234567890};
    static const enum trace_access rw_kind[] = {TRACE_LOAD, TRACE_STORE, TRACE_LOAD, TRACE_LOAD,
                                                TRACE_STORE, TRACE_LOAD, TRACE_LOAD};
    static const uint64_t lackey[][2] = {{0x9FA0C, 16}, {7, 10}, {0xFF, 4096}, {0x400a3c0, 3}, {0x12, 4}, {0x12, 8}};
    static const enum trace_access lackey_kind[] = {TRACE_LOAD, TRACE_STORE, TRACE_MODIFY,
                                                    TRACE_FETCH, TRACE_STORE, TRACE_LOAD};
    struct trace_reader r;
    struct trace_ref ref;
    char err[300];
    cr_assert(trace_open(&r, "build/tests/num-rw.txt", TRACE_AUTO, err, sizeof err), "%s", err);
    for (uint32_t i = 0; i < sizeof rw / sizeof rw[0]; i++) {
        cr_assert_eq(trace_next(&r, &ref), 1, "line %u: %s", i + 1, r.error);
        cr_assert_eq(ref.addr, rw[i], "line %u: 0x%llx", i + 1, (unsigned long long)ref.addr);
        cr_assert_eq(ref.access, rw_kind[i], "line %u", i + 1);
        cr_assert_eq(ref.size, 1u);
    }
    cr_assert_eq(trace_next(&r, &ref), 0);
    trace_close(&r);
    cr_assert(trace_open(&r, "build/tests/num-lackey.txt", TRACE_AUTO, err, sizeof err), "%s", err);
    for (uint32_t i = 0; i < 6; i++) {
        cr_assert_eq(trace_next(&r, &ref), 1, "line %u: %s", i + 1, r.error);
        cr_assert(ref.addr == lackey[i][0] && ref.size == lackey[i][1], "line %u: 0x%llx,%u", i + 1,
                  (unsigned long long)ref.addr, ref.size);
        cr_assert_eq(ref.access, lackey_kind[i], "line %u", i + 1);
        cr_assert_eq(r.line, i + 1u);
    }
    cr_assert_eq(trace_next(&r, &ref), 0);
    trace_close(&r);
    unlink("build/tests/num-rw.txt");
    unlink("build/tests/num-lackey.txt");
    refused("0x10000000000000 R\n", TRACE_AUTO,
            "build/tests/bad-trace.txt:1: address 0x10000000000000 is beyond the 52-bit address space");
    refused("1 R\nFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF W\n", TRACE_AUTO,
            "build/tests/bad-trace.txt:2: address FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF is beyond the 52-bit "
            "address space");
    refused("99999999999999999999999999999999\n", TRACE_AUTO,
            "build/tests/bad-trace.txt:1: page number 99999999999999999999999999999999 is beyond the 52-bit "
            "address space");
}

/* An address of 1 to 13 hex digits, in either case, written into buf;
 * its value in *v. */
static void random_hex(struct t_rng *seed, char *buf, uint64_t *v)
{
    static const char lower[] = "0123456789abcdef", upper[] = "0123456789ABCDEF";
    uint32_t n = 1 + t_rand(seed) % 13;
    *v = 0;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t d = t_rand(seed) % 16;
        buf[k] = (t_rand(seed) & 1 ? upper : lower)[d];
        *v = *v << 4 | d;
    }
    buf[n] = '\0';
}

/* rw and lackey lines read as they are written, addresses of every length
 * and case, 8 bytes at a time where the buffer allows (most lines here),
 * and a line whose address runs into a byte next to the hex digits in
 * the character set (or one with bit 7 set) is refused at its line. */
Test(trace, hex_addresses_of_every_length_and_case_read_exactly)
{
    const char *path = "build/tests/hex-lines.txt";
    static const char near_hex[] = {'/', ':', '@', 'G', '`', 'g', 'Z', 'z', '\x10', '\x90', '\xB0', '\xC1', '\xE6'};
    struct t_rng seed = {0x9E3779B97F4A7C15u};
    enum { LINES = 3000 };
    static uint64_t want[LINES];
    static uint32_t size[LINES];
    for (int lackey = 0; lackey < 2; lackey++)
        for (uint32_t bad = 0; bad <= sizeof near_hex; bad++) {   /* the last round: no bad line */
            FILE *f = fopen(path, "w");
            cr_assert_not_null(f);
            uint32_t lines = bad < sizeof near_hex ? 40 + t_rand(&seed) % 40 : LINES;
            for (uint32_t i = 0; i < lines; i++) {
                char hex[16];
                random_hex(&seed, hex, &want[i]);
                size[i] = lackey ? 1 + t_rand(&seed) % (t_rand(&seed) & 1 ? 8 : 4096) : 1;
                if (want[i] + size[i] - 1 > TRACE_MAX_ADDRESS)
                    want[i] = TRACE_MAX_ADDRESS - 4095, snprintf(hex, sizeof hex, "%llx", (unsigned long long)want[i]);
                if (lackey)
                    fprintf(f, "%s %s,%u\n", i % 2 ? " L" : "I ", hex, size[i]);
                else
                    fprintf(f, "%s%s %c\n", i % 3 ? "" : "0x", hex, i % 2 ? 'W' : 'R');
            }
            if (bad < sizeof near_hex) {   /* a full line's 8-byte read sees the byte */
                if (lackey)
                    fprintf(f, " S 0040%c123,4\n L 1,1\n", near_hex[bad]);
                else
                    fprintf(f, "40%c12345 R\n1 R\n", near_hex[bad]);
            }
            fclose(f);
            struct trace_reader r;
            struct trace_ref ref;
            char err[300];
            cr_assert(trace_open(&r, path, lackey ? TRACE_LACKEY : TRACE_RW, err, sizeof err), "%s", err);
            for (uint32_t i = 0; i < lines; i++) {
                cr_assert_eq(trace_next(&r, &ref), 1, "line %u: %s", i + 1, r.error);
                cr_assert(ref.addr == want[i] && ref.size == size[i], "line %u: 0x%llx,%u, not 0x%llx,%u", i + 1,
                          (unsigned long long)ref.addr, ref.size, (unsigned long long)want[i], size[i]);
                cr_assert_eq(ref.access, lackey ? (i % 2 ? TRACE_LOAD : TRACE_FETCH)
                                                : (i % 2 ? TRACE_STORE : TRACE_LOAD), "line %u", i + 1);
            }
            if (bad < sizeof near_hex) {
                char at[64];
                snprintf(at, sizeof at, "%s:%u: ", path, lines + 1);
                cr_assert_eq(trace_next(&r, &ref), -1, "byte 0x%02x taken for a hex digit: 0x%llx",
                             (unsigned)(unsigned char)near_hex[bad], (unsigned long long)ref.addr);
                cr_assert(strncmp(r.error, at, strlen(at)) == 0, "%s", r.error);
            } else {
                cr_assert_eq(trace_next(&r, &ref), 0);
            }
            trace_close(&r);
        }
    unlink(path);
}

/* What trace_next makes of `line`, the second of the file at path (the
 * first, `before`, fills the buffer: the first line of a file is read
 * before there is one), with `after` behind it: its return, reference and
 * message. */
struct first_read {
    int got;
    struct trace_ref ref;
    char error[sizeof ((struct trace_reader *)0)->error];
};

static struct first_read read_second(const char *path, const char *before, const char *line, const char *after,
                                     enum trace_format format)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f, "%s%s\n%s", before, line, after);
    fclose(f);
    struct trace_reader r;
    struct first_read out = {0};
    char err[300];
    cr_assert(trace_open(&r, path, format, err, sizeof err), "%s", err);
    cr_assert_eq(trace_next(&r, &out.ref), 1, "%s", r.error);
    out.got = trace_next(&r, &out.ref);
    if (out.got < 0)
        memcpy(out.error, r.error, sizeof out.error);
    trace_close(&r);
    return out;
}

/* A line is read the same whether the buffer holds much after it (the
 * quick readers' words) or nothing (the bounded readers): lines as tools
 * write them, and lines a byte away from them. The messages name line 2
 * alike. */
Test(trace, rw_and_lackey_lines_read_alike_far_from_and_at_the_buffer_s_end)
{
    static const char *const rw[] = {"12 R", "12 W", "12 r", "12 w", "12 X", "12  R", "12\tR", "0x12 R", "0X12 W",
                                     "0x R", "0xg R", "12 R ", "12 RW", "fffffffffffff R", "10000000000000 R",
                                     " 12 R", "12R", "0 W", "0x0 R", "1234abcd R", "1234abcd9 W", "12 R\r"};
    static const char *const lackey[] = {
        " L 12,4", "IL 12,4", "I L 12,4", " L  12,4", " l 12,4", " L 12,0", " L 12,10", " L 12,:", " L 12,9",
        " L 12,4 ", " L 12,4\r", " L 12;4", " L ,4", " L 0x12,4", " L fffffffffffff,8", " L fffffffffffff,1",
        " L 1234567890abcd,1", " S 12,4", " M 12,4", "I  12,4", "I 12,4", " X 12,4", "\tL 12,4", "LL 12,4",
        "I  0400ddc8,2", " S 1ffefffd88,8", " L 1ffefffd88,16", "I  04001090,4096", " L 04001090,4097"};
    const char *path = "build/tests/alike.txt";
    char after[2048] = "";
    for (int lackey_format = 0; lackey_format < 2; lackey_format++) {
        after[0] = '\0';
        for (int i = 0; i < 40; i++)
            strcat(after, lackey_format ? " L 1,1\n" : "1 R\n");
        const char *const *lines = lackey_format ? lackey : rw;
        size_t count = lackey_format ? sizeof lackey / sizeof lackey[0] : sizeof rw / sizeof rw[0];
        for (size_t i = 0; i < count; i++) {
            enum trace_format format = lackey_format ? TRACE_LACKEY : TRACE_RW;
            const char *before = lackey_format ? " L 1,1\n" : "1 R\n";
            struct first_read far = read_second(path, before, lines[i], after, format);
            struct first_read end = read_second(path, before, lines[i], "", format);
            cr_assert_eq(far.got, end.got, "'%s': %d far from the end, %d at it", lines[i], far.got, end.got);
            cr_assert(far.ref.addr == end.ref.addr && far.ref.size == end.ref.size &&
                          far.ref.access == end.ref.access,
                      "'%s': 0x%llx,%u,%d far from the end, 0x%llx,%u,%d at it", lines[i],
                      (unsigned long long)far.ref.addr, far.ref.size, far.ref.access,
                      (unsigned long long)end.ref.addr, end.ref.size, end.ref.access);
            cr_assert_str_eq(far.error, end.error, "'%s'", lines[i]);
        }
    }
    unlink(path);
}

Test(trace, bad_lines_are_refused_with_file_and_line)
{
    refused("1\n2\nabc\n", TRACE_AUTO,
            "build/tests/bad-trace.txt:3: expected a page number (decimal or 0x-hex), found 'abc'");
    refused("1\n-2\n", TRACE_PAGES,
            "build/tests/bad-trace.txt:2: expected a page number (decimal or 0x-hex), found '-2'");
    refused("10 R\n20 X\n", TRACE_AUTO, "build/tests/bad-trace.txt:2: expected R or W after the address, found 'X'");
    refused("I  0400,3\n L 12,x\n", TRACE_AUTO,
            "build/tests/bad-trace.txt:2: expected a size after the comma (decimal, or 0x-hex), found 'x'");
    /* an address beyond reach is quoted alone, not with the rest of its line */
    refused("10000000000000 W\n", TRACE_RW,
            "build/tests/bad-trace.txt:1: address 10000000000000 is beyond the 52-bit address space");
    refused(" L 10000000000000,4\n", TRACE_LACKEY,
            "build/tests/bad-trace.txt:1: address 10000000000000 is beyond the 52-bit address space");
    /* a line with no R or W is quoted */
    refused("0x1000 R\n5\n", TRACE_RW, "build/tests/bad-trace.txt:2: expected R or W after the address in '5'");
    refused(" L 12,0\n", TRACE_LACKEY, "build/tests/bad-trace.txt:1: size 0 is out of range: 1 to 4096 bytes");
    refused(" L 12,100000000\n", TRACE_LACKEY,
            "build/tests/bad-trace.txt:1: size 100000000 is out of range: 1 to 4096 bytes");
    refused(" S 12,4294967296\n", TRACE_AUTO,
            "build/tests/bad-trace.txt:1: size 4294967296 is out of range: 1 to 4096 bytes");
    /* a byte-order mark is no part of the text: the next mistake is still found on its line */
    refused("\xEF\xBB\xBF" "1\n2\nabc\n", TRACE_AUTO,
            "build/tests/bad-trace.txt:3: expected a page number (decimal or 0x-hex), found 'abc'");
    refused(" Q 12,4\n", TRACE_LACKEY,
            "build/tests/bad-trace.txt:1: expected a lackey record (I, L, S or M, an address and a size), "
            "found 'Q 12,4'");
    refused("# nothing\n\n", TRACE_AUTO, "build/tests/bad-trace.txt: the trace holds no references");
    refused("hello world again\n", TRACE_AUTO,
            "build/tests/bad-trace.txt:1: cannot tell the trace's format from 'hello world again'; give "
            "--format pages, addrs, rw or lackey");
    refused("4503599627370496\n", TRACE_AUTO,
            "build/tests/bad-trace.txt:1: page number 4503599627370496 is beyond the 52-bit address space");
    refused("1\n\001\002\n", TRACE_AUTO,
            "build/tests/bad-trace.txt:2: expected a page number (decimal or 0x-hex), found '?" "?'");
    /* bytes next to the digits' codes, and digits' codes with bit 7 set, on
       lines followed by others (so they are read where the buffer holds 8
       bytes and more) */
    refused("1\n12:\n3\n4\n5\n", TRACE_AUTO,
            "build/tests/bad-trace.txt:2: expected a page number (decimal or 0x-hex), found '12:'");
    refused("1\n1/2\n3\n4\n5\n", TRACE_AUTO,
            "build/tests/bad-trace.txt:2: expected a page number (decimal or 0x-hex), found '1/2'");
    refused("1\n4\xb5\n3\n4\n5\n", TRACE_AUTO,
            "build/tests/bad-trace.txt:2: expected a page number (decimal or 0x-hex), found '4?'");
    refused("1\n1099511627776\n3\n4\n5\n", TRACE_AUTO,
            "build/tests/bad-trace.txt:2: page number 1099511627776 is beyond the 52-bit address space");
    /* 127 regions of 16 MiB: one too many */
    char *many = malloc(127 * 24);
    size_t len = 0;
    for (uint32_t i = 0; i < 127; i++)
        len += (size_t)sprintf(many + len, "0x%llx R\n", (unsigned long long)(i + 200) << 24);
    refused(many, TRACE_AUTO,
            "build/tests/bad-trace.txt:127: address 0x146000000 is in a 127th distinct 16 MiB region of the "
            "trace; an i386 process has room for 126");
    free(many);
    /* the same in page numbers read a batch at a time: the line is still the one at fault */
    many = malloc(8 + 200 * 2 + 127 * 12 + 20 * 2);
    len = (size_t)sprintf(many, "# pages\n");
    for (uint32_t i = 0; i < 200; i++)
        len += (size_t)sprintf(many + len, "1\n");
    for (uint32_t i = 1; i <= 127; i++)
        len += (size_t)sprintf(many + len, "%u\n", i * 4096);
    for (uint32_t i = 0; i < 20; i++)
        len += (size_t)sprintf(many + len, "2\n");
    refused(many, TRACE_AUTO,
            "build/tests/bad-trace.txt:327: page 516096 (address 0x7e000000) is in a 127th distinct 16 MiB "
            "region of the trace; an i386 process has room for 126");
    free(many);
    char *longline = malloc(TRACE_MAX_LINE + 10);
    memset(longline, '1', TRACE_MAX_LINE + 5);
    strcpy(longline + TRACE_MAX_LINE + 5, "\n");
    refused(longline, TRACE_AUTO, "build/tests/bad-trace.txt:1: line longer than 4096 characters");
    free(longline);
    /* a directory is not read as an empty trace */
    struct trace_set set;
    char err[600];
    const char *dir[1] = {"build/tests"};
    cr_assert_not(trace_prepare(&set, dir, 1, TRACE_AUTO, false, NULL, NULL, err, sizeof err));
    cr_assert_str_eq(err, "build/tests: is a directory, not a trace");
}

Test(trace, options_that_do_not_fit_are_refused)
{
    static const uint64_t refs[] = {1, 2, 3};
    const char *path = write_pages("fit", refs, 3);
    struct trace_set set;
    char err[600];
    const char *paths[1] = {path};
    cr_assert(trace_prepare(&set, paths, 1, TRACE_AUTO, false, NULL, NULL, err, sizeof err));
    struct trace_options o = {.policy = MM_POLICY_FIFO, .cache = 2, .frames = 20};
    struct trace_result res;
    cr_assert_eq(trace_run(&set, &o, &res, NULL, NULL, NULL, NULL, err, sizeof err), TRACE_BAD_INPUT);
    cr_assert_str_eq(err, "20 frames are too few for a cache of 2 pages over these traces: with their page tables, "
                          "3 locked pages per process and 16 frames to spare they need at least 22");
    o.frames = 22;
    cr_assert_eq(trace_run(&set, &o, &res, NULL, NULL, NULL, NULL, err, sizeof err), TRACE_OK, "%s", err);
    cr_assert_eq(res.total.misses, 3u);
    trace_set_free(&set);
    const char *twice[2] = {"-", "-"};
    cr_assert_not(trace_prepare(&set, twice, 2, TRACE_AUTO, false, NULL, NULL, err, sizeof err));
    cr_assert_str_eq(err, "standard input ('-') can be given only once");
    unlink(path);
}

static void ignore_step(void *ctx, const struct mm_machine *m, const struct trace_step *s)
{
    (void)ctx;
    (void)m;
    (void)s;
}

static void append_on_first_step(void *ctx, const struct mm_machine *m, const struct trace_step *s)
{
    (void)m;
    if (s->record == 1) {
        FILE *f = fopen(ctx, "a");
        cr_assert_not_null(f);
        fputs("0x9000 W\n0xA000 W\n", f);
        fclose(f);
    }
}

/* The run reads a text trace again (an ADDR R|W trace always does): what
 * it reads must be what the first pass checked, which sized the machine
 * and worked out OPT's next uses. A file that changed before the run
 * starts is refused then; a reference the first pass did not read is
 * refused where it is met; a file that grows during the run (a log still
 * being written) is replayed as it was checked. */
Test(trace, a_trace_that_changes_after_the_first_pass_is_refused_or_read_as_checked)
{
    char path[64], err[600], want[300];
    snprintf(path, sizeof path, "build/tests/trace-changes-%d.txt", (int)getpid());
    const char *paths[1] = {path};
    struct trace_set set;
    struct trace_result res;
    struct trace_options o = {.policy = MM_POLICY_OPT, .cache = 2, .tick = 10};
    /* runs that read the text again (here, with per-reference output;
       so do pipes and traces with no copy): a file that grew after the check (a
       log still written) runs as far as it was checked, every run of it;
       one that shrank is refused */
    write_text(path, "0x1000 R\n0x2000 W\n0x1000 R\n");
    cr_assert(trace_prepare(&set, paths, 1, TRACE_AUTO, true, NULL, NULL, err, sizeof err), "%s", err);
    write_text(path, "0x1000 R\n0x2000 W\n0x1000 R\n0x9000 W\n");
    for (int run = 0; run < 2; run++) {
        cr_assert_eq(trace_run(&set, &o, &res, ignore_step, NULL, NULL, NULL, err, sizeof err), TRACE_OK, "%s", err);
        cr_assert_eq(res.total.records, 3u);
        cr_assert_eq(res.total.misses, 2u);
    }
    write_text(path, "0x1000 R\n0x2000 W\n");
    cr_assert_eq(trace_run(&set, &o, &res, ignore_step, NULL, NULL, NULL, err, sizeof err), TRACE_BAD_INPUT);
    snprintf(want, sizeof want, "%s: the trace is shorter than when it was checked (27 bytes then, 18 now); the run "
             "was not made", path);
    cr_assert_str_eq(err, want);
    trace_set_free(&set);

    write_text(path, "0x1000 R\n0x2000 W\n0x1000 R\n");
    cr_assert(trace_prepare(&set, paths, 1, TRACE_AUTO, true, NULL, NULL, err, sizeof err), "%s", err);
    write_text(path, "0x1000 R\n0x3000 W\n0x1000 R\n");   /* the same size */
    cr_assert_eq(trace_run(&set, &o, &res, ignore_step, NULL, NULL, NULL, err, sizeof err), TRACE_BAD_INPUT);
    snprintf(want, sizeof want, "%s:2: the trace changed while it was read: this reference is not one the first "
             "pass checked; run again on a file that stays as it is", path);
    cr_assert_str_eq(err, want);
    trace_set_free(&set);

    /* the same size, a line the first pass read is unreadable now, or a
     * reference became a comment: refused, exit 2, not a bad line (3) or a
     * shorter run (0) */
    write_text(path, "0x1000 R\n0x2000 W\n0x1000 R\n");
    cr_assert(trace_prepare(&set, paths, 1, TRACE_AUTO, true, NULL, NULL, err, sizeof err), "%s", err);
    write_text(path, "0x1000 R\n0x2000 Q\n0x1000 R\n");
    cr_assert_eq(trace_run(&set, &o, &res, ignore_step, NULL, NULL, NULL, err, sizeof err), TRACE_BAD_INPUT);
    snprintf(want, sizeof want, "%s:2: expected R or W after the address, found 'Q' (the trace changed while it was "
             "read: the first pass read this line without fault)", path);
    cr_assert_str_eq(err, want);
    write_text(path, "0x1000 R\n0x2000 W\n#x1000 R\n");
    cr_assert_eq(trace_run(&set, &o, &res, ignore_step, NULL, NULL, NULL, err, sizeof err), TRACE_BAD_INPUT);
    snprintf(want, sizeof want, "%s: the trace changed while it was read: it ended after 2 of the 3 references the "
             "first pass read", path);
    cr_assert_str_eq(err, want);
    trace_set_free(&set);

    /* the same size, the same pages, as many references, every line good:
       only the order (or a kind of access) changed, which the run would
       replay with other results; the digest of the references says so */
    static const char *const same_pages[2] = {"0x2000 W\n0x1000 R\n0x1000 R\n", "0x1000 W\n0x2000 W\n0x1000 R\n"};
    for (int k = 0; k < 2; k++) {
        write_text(path, "0x1000 R\n0x2000 W\n0x1000 R\n");
        cr_assert(trace_prepare(&set, paths, 1, TRACE_AUTO, true, NULL, NULL, err, sizeof err), "%s", err);
        write_text(path, same_pages[k]);
        cr_assert_eq(trace_run(&set, &o, &res, ignore_step, NULL, NULL, NULL, err, sizeof err), TRACE_BAD_INPUT, "%d", k);
        snprintf(want, sizeof want, "%s: the trace changed while it was read: its 3 references are not the ones "
                 "the first pass checked, in the same order; run again on a file that stays as it is", path);
        cr_assert_str_eq(err, want);
        trace_set_free(&set);
    }

    /* without per-reference output an rw trace runs from the copy of its
       references the first pass made, as checked, whatever became of the
       file: with its stores where they were */
    write_text(path, "0x1000 R\n0x2000 W\n0x1000 R\n0x2000 R\n");
    cr_assert(trace_prepare(&set, paths, 1, TRACE_AUTO, false, NULL, NULL, err, sizeof err), "%s", err);
    cr_assert(set.file[0].copy_kinds);
    struct trace_options fifo1 = {.policy = MM_POLICY_FIFO, .cache = 1, .tick = 10};
    struct trace_result before;
    cr_assert_eq(trace_run(&set, &fifo1, &before, NULL, NULL, NULL, NULL, err, sizeof err), TRACE_OK, "%s", err);
    write_text(path, "0x1000 W\n0x2000 R\n");
    cr_assert_eq(trace_run(&set, &fifo1, &res, NULL, NULL, NULL, NULL, err, sizeof err), TRACE_OK, "%s", err);
    cr_assert_eq(res.total.records, 4u);
    cr_assert_eq(res.total.misses, before.total.misses);
    cr_assert_eq(memcmp(res.total.fault, before.total.fault, sizeof res.total.fault), 0);
    cr_assert_eq(res.pages_written, before.pages_written);
    trace_set_free(&set);

    /* a page-number trace read with per-reference output reads its text
       again, not its copy: a permutation of it is refused too */
    char pages_path[80];
    snprintf(pages_path, sizeof pages_path, "build/tests/trace-changes-%d.pages", (int)getpid());
    const char *page_paths[1] = {pages_path};
    struct trace_options fifo = {.policy = MM_POLICY_FIFO, .cache = 2, .tick = 10};
    write_text(pages_path, "1\n2\n3\n1\n4\n");
    cr_assert(trace_prepare(&set, page_paths, 1, TRACE_AUTO, false, NULL, NULL, err, sizeof err), "%s", err);
    cr_assert_eq(trace_run(&set, &fifo, &res, ignore_step, NULL, NULL, NULL, err, sizeof err), TRACE_OK, "%s", err);
    write_text(pages_path, "1\n3\n2\n1\n4\n");
    cr_assert_eq(trace_run(&set, &fifo, &res, NULL, NULL, NULL, NULL, err, sizeof err), TRACE_OK,
                 "without per-reference output the run reads the copy the first pass made: %s", err);
    cr_assert_eq(trace_run(&set, &fifo, &res, ignore_step, NULL, NULL, NULL, err, sizeof err), TRACE_BAD_INPUT);
    snprintf(want, sizeof want, "%s: the trace changed while it was read: its 5 references are not the ones the "
             "first pass checked, in the same order; run again on a file that stays as it is", pages_path);
    cr_assert_str_eq(err, want);
    trace_set_free(&set);
    unlink(pages_path);

    write_text(path, "0x1000 R\n0x2000 W\n0x1000 R\n");
    cr_assert(trace_prepare(&set, paths, 1, TRACE_AUTO, true, NULL, NULL, err, sizeof err), "%s", err);
    cr_assert_eq(trace_run(&set, &o, &res, append_on_first_step, path, NULL, NULL, err, sizeof err), TRACE_OK,
                 "%s", err);
    cr_assert_eq(res.total.records, 3u);
    cr_assert_eq(res.total.misses, 2u);
    cr_assert_eq(res.total.hits, 1u);
    trace_set_free(&set);
    unlink(path);
}

/* Without a cache the engine trims data pages to make room, so the
 * fewest frames are every process's page tables and locked pages, and the
 * two pages of a reference that straddles a page-table boundary. At that
 * many frames every policy runs eight such processes through, and one
 * process that writes through 280 page tables (trimmed page tables go to
 * the paging file too, which must have room for them); one fewer is
 * refused before anything is built, with the number. */
Test(trace, without_a_cache_the_fewest_frames_the_traces_need_are_enough)
{
    enum { PROCS = 8 };
    const char *paths[PROCS];
    char names[PROCS][64];
    for (uint32_t i = 0; i < PROCS; i++) {
        snprintf(names[i], sizeof names[i], "build/tests/trace-nocache-%u-%d.lk", i, (int)getpid());
        char text[400];
        /* each reference straddles one page table's last page and the next's first */
        snprintf(text, sizeof text, " L 003ffffc,8\n S 007ffffc,8\n L 00bffffc,8\n M 0%x3ffffc,8\n L 003ffffc,8\n"
                 " S 00400000,4\n", 0x1 + i % 2);
        write_text(names[i], text);
        paths[i] = names[i];
    }
    struct trace_set set;
    char err[600];
    cr_assert(trace_prepare(&set, paths, PROCS, TRACE_LACKEY, true, NULL, NULL, err, sizeof err), "%s", err);
    uint32_t need = 2;
    for (uint32_t i = 0; i < PROCS; i++)
        need += set.file[i].space.tables + 3;
    cr_assert_eq(trace_frames_needed(&set, 0), need);
    cr_assert_eq(need, 2 + PROCS * (6 + 3), "six page tables each (two are the region's, four the traces')");
    struct trace_options o = {.policy = MM_POLICY_FIFO, .frames = need - 1, .tick = 1};
    cr_assert_eq(trace_fit(&set, &o, err, sizeof err), TRACE_TOO_FEW_FRAMES);
    char want[300];
    snprintf(want, sizeof want, "%u frames are too few for these traces: with their page tables, 3 locked pages per "
             "process and 2 for a reference that straddles two pages they need at least %u", need - 1, need);
    cr_assert_str_eq(err, want);
    struct trace_result res;
    cr_assert_eq(trace_run(&set, &o, &res, NULL, NULL, NULL, NULL, err, sizeof err), TRACE_BAD_INPUT);
    cr_assert_str_eq(err, want);
    static const enum mm_policy policies[] = {MM_POLICY_FIFO, MM_POLICY_LRU, MM_POLICY_CLOCK, MM_POLICY_AGING,
                                              MM_POLICY_OPT};
    for (uint32_t p = 0; p < 5; p++) {
        o.policy = policies[p];
        o.frames = need;
        cr_assert_eq(trace_fit(&set, &o, err, sizeof err), TRACE_FITS);
        cr_assert_eq(trace_run(&set, &o, &res, NULL, NULL, NULL, NULL, err, sizeof err), TRACE_OK, "%s: %s",
                     mm_policy_name(policies[p]), err);
        cr_assert_eq(res.total.records, 6u * PROCS);
    }
    o.frames = 0;   /* the default machine */
    cr_assert_eq(trace_fit(&set, &o, err, sizeof err), TRACE_FITS);
    trace_set_free(&set);
    /* stores through 280 page tables, four times over */
    FILE *f = fopen(names[0], "w");
    cr_assert_not_null(f);
    for (uint32_t pass = 0; pass < 4; pass++)
        for (uint32_t t = 0; t < 280; t++)
            for (uint32_t g = 0; g < 16; g++)
                fprintf(f, " S %08x,4\n", 0x01000000u + t * 0x400000u + g * 4096u);
    fclose(f);
    cr_assert(trace_prepare(&set, paths, 1, TRACE_LACKEY, true, NULL, NULL, err, sizeof err), "%s", err);
    need = trace_frames_needed(&set, 0);
    cr_assert_eq(need, 2 + set.file[0].space.tables + 3);
    cr_assert_geq(set.file[0].space.tables, 280u);
    for (uint32_t p = 0; p < 5; p++) {
        o = (struct trace_options){.policy = policies[p], .frames = need, .tick = 10000, .quantum = 1000};
        cr_assert_eq(trace_run(&set, &o, &res, NULL, NULL, NULL, NULL, err, sizeof err), TRACE_OK, "%s: %s",
                     mm_policy_name(policies[p]), err);
        cr_assert_eq(res.total.records, 4u * 280 * 16);
    }
    trace_set_free(&set);
    for (uint32_t i = 0; i < PROCS; i++)
        unlink(names[i]);
}

/* ---- The plot ---- */

/* Where a trace's regions land: each where it was first placed (its own
 * place for a 32-bit region that is free, else the lowest free), however
 * the lookups go back and forth between them, whether the last lookup or
 * the remembered regions (space_hinted: by their numbers' low bits, so
 * several here share a slot) answer; and back again by space_unmap. */
Test(trace, regions_land_where_first_placed_whatever_the_order_of_lookups)
{
    static struct trace_space s;
    space_init(&s);
    enum { R = 40 };
    uint64_t region[R];
    uint32_t landed[R];
    for (uint32_t i = 0; i < R; i++)   /* 8 apart: every fifth shares a slot with the one before */
        region[i] = i < 5 ? 2 + 8 * i : (0x1FFEull << 4) + 8 * i + i % 3;
    uint32_t next_free = 1;
    for (uint32_t i = 0; i < R; i++) {
        uint32_t va;
        uint64_t addr = region[i] << SPACE_REGION_SHIFT | (i * 4099u & 0xFFFFFFu);
        cr_assert_not(space_hinted(&s, addr, &va), "region %u not placed yet", i);
        cr_assert(space_map(&s, addr, &va));
        landed[i] = va >> SPACE_REGION_SHIFT;
        if (region[i] < SPACE_FIRST_REGION + SPACE_REGIONS) {
            cr_assert_eq(landed[i], region[i], "a free 32-bit region keeps its place");
        } else {
            while (next_free == 2 || next_free == 10 || next_free == 18 || next_free == 26 || next_free == 34)
                next_free++;   /* the 32-bit regions' own places */
            cr_assert_eq(landed[i], next_free++, "region %u: the lowest free place", i);
        }
        cr_assert_eq(va & 0xFFFFFFu, i * 4099u & 0xFFFFFFu, "the offset is kept");
    }
    uint64_t x = 12345;
    for (uint32_t k = 0; k < 20000; k++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        uint32_t i = (uint32_t)(x >> 33) % R, offset = (uint32_t)(x >> 8) & 0xFFFFFFu, va;
        uint64_t addr = region[i] << SPACE_REGION_SHIFT | offset;
        if (space_hinted(&s, addr, &va))
            cr_assert_eq(va, landed[i] << SPACE_REGION_SHIFT | offset, "the hint for region %u", i);
        cr_assert(space_map(&s, addr, &va));
        cr_assert_eq(va, landed[i] << SPACE_REGION_SHIFT | offset, "region %u at lookup %u", i, k);
        cr_assert(space_hinted(&s, addr, &va), "region %u just looked up is remembered", i);
        cr_assert_eq(space_unmap(&s, va), addr);
    }
    cr_assert_eq(s.regions, (uint32_t)R, "no region placed twice");
}

Test(trace, svg_ticks_are_round_numbers)
{
    cr_assert_float_eq(svg_tick_step(64, 8), 10, 1e-9);
    cr_assert_float_eq(svg_tick_step(10, 8), 2, 1e-9);
    cr_assert_float_eq(svg_tick_step(3, 8), 1, 1e-9);
    cr_assert_float_eq(svg_tick_step(1200, 6), 200, 1e-9);
    cr_assert_float_eq(svg_tick_step(45000, 6), 10000, 1e-9);
    double x[3] = {1, 2, 3}, y[3] = {9, 10, 8};
    struct svg_series s = {"fifo <&>", y};
    char *buf = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&buf, &size);
    cr_assert(svg_plot(out, "t", "x", "y", x, 3, &s, 1));
    fclose(out);
    cr_assert(strstr(buf, "<polyline"));
    cr_assert(strstr(buf, "fifo &lt;&amp;&gt;"), "text is escaped");
    cr_assert(strstr(buf, "</svg>\n"));
    free(buf);
}
