/*
 * k_policy.c - "count the hits and misses": a reference string of page
 * numbers replayed through the engine exactly as `mmsim trace --format
 * pages -C N` replays it (sim/trace/driver.c): page p is the address
 * 0x01000000 + p * 4096 of one process, committed 64 KiB at a time, whose
 * data pages are held to N (mm_set_data_page_limit) under a hard minimum
 * that covers them, so only the policy takes pages; OPT is told each
 * page's next use. tests/test_quiz.c checks the counts against trace_run.
 *
 * Two forms: one policy (hits, misses, the pages resident at the end), or
 * FIFO with two cache sizes, where Belady's anomaly may show.
 */
#include <stdio.h>
#include <string.h>

#include "qutil.h"

#define MAX_REFS 24u
#define MAX_PAGES 8u
#define REF_BASE 0x01000000u   /* where the trace driver folds page 0 */

struct refrun {
    uint32_t hits, misses;
    bool hit[MAX_REFS];
    int victim[MAX_REFS];             /* the page replaced for reference i, -1 for none */
    uint32_t resident[MAX_REFS][MAX_PAGES];   /* after reference i, first victim first */
    uint32_t nresident[MAX_REFS];
};

static uint32_t page_of(mm_va va) { return (va - REF_BASE) >> PAGE_SHIFT; }

struct watch {
    int victim;
};

static void on_event(void *ctx, const struct mm_event *ev)
{
    struct watch *w = ctx;
    if (ev->kind == MM_EV_WSLE && !ev->u.wsle.inserted && ev->u.wsle.why == MM_WS_REPLACE &&
        ev->u.wsle.va < 0x80000000u)   /* a data page, not a page table */
        w->victim = (int)page_of(ev->u.wsle.va);
}

/* Replay refs[0..n) with `cache` pages under `policy`. */
static bool replay(enum mm_policy policy, uint32_t cache, const uint32_t *refs, uint32_t n, struct refrun *out,
                   char *err, size_t err_size)
{
    memset(out, 0, sizeof *out);
    uint32_t pages = 0;   /* distinct pages, as the driver's first pass counts them */
    bool seen[MAX_PAGES] = {false};
    for (uint32_t i = 0; i < n; i++)
        if (!seen[refs[i]]) {
            seen[refs[i]] = true;
            pages++;
        }
    /* the driver's sizing: the cache, one page table, three locked pages,
     * sixteen to spare, and half again (at least 64 more) */
    uint32_t own = (cache < pages ? cache : pages) + 1 + 3, need = 16 + own;
    uint32_t frames = need + (need / 2 > 64 ? need / 2 : 64);
    struct mm_config cfg;
    mm_config_default(&cfg);
    mm_config_for_memory(&cfg, frames);
    cfg.policy = policy;
    cfg.pagefile_pages[0] = 16 + 256;
    cfg.pagefile_maximum[0] = MM_MAX_PAGEFILE_PAGES;
    const char *why = NULL;
    struct mm_machine *m = mm_create(&cfg, &why);
    if (!m) {
        snprintf(err, err_size, "cannot build the machine: %s", why ? why : "out of memory");
        return false;
    }
    uint32_t pid;
    mm_va base = REF_BASE;
    uint32_t size = 0x10000u;
    bool ok = qm_ok(mm_process_create(m, "A", &pid), "creating A", err, err_size) &&
              qm_ok(mm_set_data_page_limit(m, pid, cache), "limiting data pages", err, err_size) &&
              qm_ok(mm_set_ws_limits_ex(m, pid, own, MM_MAX_FRAMES, QUOTA_LIMITS_HARDWS_MIN_ENABLE),
                    "setting a hard minimum", err, err_size) &&
              qm_ok(mm_allocate(m, pid, &base, &size, MEM_RESERVE | MEM_COMMIT, PAGE_EXECUTE_READWRITE),
                    "committing", err, err_size);
    struct watch w;
    mm_set_sink(m, on_event, &w);
    for (uint32_t i = 0; ok && i < n; i++) {
        struct mm_touch t;
        mm_va va = REF_BASE + refs[i] * PAGE_SIZE;
        w.victim = -1;
        ok = qm_ok(mm_touch(m, pid, va, 1, MM_ACCESS_READ, &t), "a reference", err, err_size);
        if (!ok)
            break;
        out->hit[i] = t.fault[0] == MM_FAULT_NONE;
        out->hits += out->hit[i];
        out->misses += !out->hit[i];
        out->victim[i] = w.victim;
        if (policy == MM_POLICY_OPT) {
            uint64_t next = UINT64_MAX;
            for (uint32_t j = i + 1; j < n && next == UINT64_MAX; j++)
                if (refs[j] == refs[i])
                    next = j;
            ok = qm_ok(mm_set_next_use(m, pid, va, next), "telling OPT", err, err_size);
        }
        mm_va order[MAX_PAGES];
        uint32_t k = mm_ws_policy_order(m, pid, order, MAX_PAGES);
        out->nresident[i] = k < MAX_PAGES ? k : MAX_PAGES;
        for (uint32_t j = 0; j < out->nresident[i]; j++)
            out->resident[i][j] = page_of(order[j]);
    }
    mm_set_sink(m, NULL, NULL);
    mm_destroy(m);
    return ok;
}

static void draw_string(struct qrng *rng, uint32_t *refs, uint32_t n, uint32_t npages)
{
    for (uint32_t i = 0; i < n; i++) {
        /* some locality: often a page seen lately */
        if (i >= 2 && qrng_chance(rng, 35))
            refs[i] = refs[i - 1 - qrng_below(rng, i < 4 ? i : 4)];
        else
            refs[i] = qrng_below(rng, npages);
    }
}

static void print_string(struct qtext *t, const uint32_t *refs, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        qt_printf(t, "%s%u", i ? "," : "", refs[i]);
}

static void print_run(struct qtext *x, const char *policy, uint32_t cache, const uint32_t *refs, uint32_t n,
                      const struct refrun *r)
{
    qt_printf(x, "%s with a cache of %u pages (resident pages listed first victim first):\n", policy, cache);
    for (uint32_t i = 0; i < n; i++) {
        qt_printf(x, "  ref %2u: page %u %-4s", i + 1, refs[i], r->hit[i] ? "hit" : "miss");
        if (r->victim[i] >= 0)
            qt_printf(x, " replaces %d", r->victim[i]);
        else
            qt_printf(x, "%11s", "");
        qt_printf(x, "  [");
        for (uint32_t j = 0; j < r->nresident[i]; j++)
            qt_printf(x, "%s%u", j ? " " : "", r->resident[i][j]);
        qt_printf(x, "]\n");
    }
    qt_printf(x, "  %u hits, %u misses.\n", r->hits, r->misses);
}

static const char *policy_title(enum mm_policy p)
{
    switch (p) {
    case MM_POLICY_FIFO: return "FIFO";
    case MM_POLICY_LRU: return "LRU";
    case MM_POLICY_CLOCK: return "Clock";
    default: return "OPT";
    }
}

static void set_of(const struct refrun *r, uint32_t last, char *buf, size_t size)
{
    bool in[MAX_PAGES] = {false};
    for (uint32_t j = 0; j < r->nresident[last]; j++)
        in[r->resident[last][j]] = true;
    size_t at = 0;
    buf[0] = '\0';
    for (uint32_t p = 0; p < MAX_PAGES; p++)
        if (in[p]) {
            int k = snprintf(buf + at, size - at, "%s%u", at ? "," : "", p);
            if (k > 0 && (size_t)k < size - at)
                at += (size_t)k;
        }
}

static bool one_policy(struct qrng *rng, struct quiz_question *q, struct qtext *t, struct qtext *x, char *err,
                       size_t err_size)
{
    static const enum mm_policy policies[] = {MM_POLICY_FIFO, MM_POLICY_LRU, MM_POLICY_CLOCK, MM_POLICY_OPT};
    enum mm_policy policy = policies[qrng_below(rng, 4)];
    uint32_t n = 10 + qrng_below(rng, 5), npages = 4 + qrng_below(rng, 3), cache = 3 + qrng_below(rng, 2);
    uint32_t refs[MAX_REFS] = {0};
    draw_string(rng, refs, n, npages);
    struct refrun r;
    if (!replay(policy, cache, refs, n, &r, err, err_size))
        return false;
    qt_printf(t, "A process references these pages, in this order:\n  ");
    print_string(t, refs, n);
    qt_printf(t, "\nThe cache holds %u pages and starts empty; the policy is %s%s.\n", cache, policy_title(policy),
              policy == MM_POLICY_CLOCK ? " (second chance: a page's use bit is set when it comes in\n"
                                          "and on every reference; the hand starts at the first page)"
                                        : "");
    qt_printf(t, "Give hits, misses, and resident (the pages in the cache at the end, e.g. 1,3,4).\n");
    char set[64];
    set_of(&r, n - 1, set, sizeof set);
    quiz_part_number(quiz_add_part(q, "hits", QV_NUMBER, 1), r.hits, false);
    quiz_part_number(quiz_add_part(q, "misses", QV_NUMBER, 2), r.misses, false);
    quiz_part_text(quiz_add_part(q, "resident", QV_SET, 1), set);
    print_run(x, policy_title(policy), cache, refs, n, &r);
    qt_printf(x, "resident = %s (as mmsim trace -p %s -C %u -c shows, page p at 0x%08X + p * 4096).\n", set,
              mm_policy_name(policy), cache, REF_BASE);
    return true;
}

/* Belady's string (1,2,3,4,1,2,5,1,2,3,4,5) with its five pages renamed
 * at random: renaming pages changes no count, so the anomaly stays. */
static void anomalous_string(struct qrng *rng, uint32_t *refs)
{
    static const uint32_t belady[12] = {0, 1, 2, 3, 0, 1, 4, 0, 1, 2, 3, 4};
    uint32_t name[5] = {0, 1, 2, 3, 4};
    for (uint32_t i = 4; i > 0; i--) {
        uint32_t j = qrng_below(rng, i + 1), t = name[i];
        name[i] = name[j];
        name[j] = t;
    }
    for (uint32_t i = 0; i < 12; i++)
        refs[i] = name[belady[i]];
}

/* FIFO with caches C and C + 1: half the time a string drawn at random
 * (the anomaly is rare there), half the time Belady's own, renamed. The
 * engine counts both either way. */
static bool belady(struct qrng *rng, struct quiz_question *q, struct qtext *t, struct qtext *x, char *err,
                   size_t err_size)
{
    uint32_t cache = 3, n = 12, refs[MAX_REFS] = {0};
    struct refrun small, large;
    if (qrng_chance(rng, 50))
        anomalous_string(rng, refs);
    else
        draw_string(rng, refs, n, 5);
    if (!replay(MM_POLICY_FIFO, cache, refs, n, &small, err, err_size) ||
        !replay(MM_POLICY_FIFO, cache + 1, refs, n, &large, err, err_size))
        return false;
    qt_printf(t, "A process references these pages, in this order:\n  ");
    print_string(t, refs, n);
    qt_printf(t, "\nThe policy is FIFO and the cache starts empty. Give misses_3 (the misses with a\n"
                 "cache of 3 pages), misses_4 (with 4 pages) and anomaly (yes when the larger cache\n"
                 "misses more: Belady's anomaly).\n");
    quiz_part_number(quiz_add_part(q, "misses_3", QV_NUMBER, 2), small.misses, false);
    quiz_part_number(quiz_add_part(q, "misses_4", QV_NUMBER, 2), large.misses, false);
    quiz_part_yesno(quiz_add_part(q, "anomaly", QV_YESNO, 1), large.misses > small.misses);
    print_run(x, "FIFO", cache, refs, n, &small);
    print_run(x, "FIFO", cache + 1, refs, n, &large);
    qt_printf(x, "%s\n", large.misses > small.misses
                             ? "More memory, more misses: Belady's anomaly. FIFO is not a stack algorithm: the\n"
                               "pages a larger cache holds need not include those a smaller one holds."
                             : "No anomaly here: the larger cache misses no more than the smaller one.");
    return true;
}

bool quiz_make_policy(struct qrng *rng, struct quiz_question *q, char *err, size_t err_size)
{
    struct qtext t = {0}, x = {0};
    bool ok = qrng_chance(rng, 30) ? belady(rng, q, &t, &x, err, err_size) : one_policy(rng, q, &t, &x, err, err_size);
    if (!ok) {
        qt_free(&t);
        qt_free(&x);
        return false;
    }
    q->text = qt_take(&t);
    q->worked = qt_take(&x);
    return true;
}
