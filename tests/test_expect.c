/*
 * test_expect.c - the expectations are what grades a scenario, so each is
 * shown to fail: for every kind and every field, an expected value below
 * and above the actual one, both bounds of a range, and the values that
 * hold. Each case is an expect step appended to a scenario that builds a
 * known state; the test asserts each step's failures word for word, how
 * many expect steps held, and the exit status mmsim run gives (1).
 *
 * Also here: a per-process expectation about a process that is not
 * running fails with "expected running, actual not running"; a process made by a create_process
 * step gets the default page priority like one declared up front; equal
 * working-set limits are accepted.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "narrate.h"
#include "replay.h"
#include "scenario.h"
#include "support.h"

#include "machine.h"

#define MAX_CASES 96

/* The expect steps of one scenario and what each must give. */
struct cases {
    uint32_t n;
    char expect[MAX_CASES][200];    /* the expectations, as the keys of an expect step */
    char failure[MAX_CASES][400];   /* its failures joined by " | ", or "" when it holds */
};

/* TMPL with its one '@' replaced by VALUE (TMPL itself when VALUE is NULL),
 * into buf. */
static const char *fill(char *buf, size_t size, const char *tmpl, const char *value)
{
    const char *at = value ? strchr(tmpl, '@') : NULL;
    if (!at)
        snprintf(buf, size, "%s", tmpl);
    else
        snprintf(buf, size, "%.*s%s%s", (int)(at - tmpl), tmpl, value, at + 1);
    return buf;
}

/* One expect step {"op": "expect", TMPL with '@' replaced by VALUE} that
 * must hold (failure NULL) or fail with exactly these lines (joined by
 * " | "). */
static void add(struct cases *c, const char *failure, const char *tmpl, const char *value)
{
    cr_assert_lt(c->n, MAX_CASES);
    fill(c->expect[c->n], sizeof c->expect[0], tmpl, value);
    snprintf(c->failure[c->n], sizeof c->failure[0], "%s", failure ? failure : "");
    c->n++;
}

/* A number as a failure shows it. */
static const char *num(char *buf, uint64_t v, bool hex)
{
    snprintf(buf, 24, hex ? "0x%08llX" : "%llu", (unsigned long long)v);
    return buf;
}

/* The expectations of one number field whose value is `actual`: FMT holds
 * the field with @ for the expected value ("\"lists\": {\"zeroed\": @}"),
 * WHAT is how a failure names it. Exact values below and above the actual
 * one; "min" at and above it; "max" at and below it; a range around it,
 * one wholly above (its lower bound fails) and one wholly below (its
 * upper bound fails). */
static void number_cases(struct cases *c, const char *tmpl, const char *what, uint64_t actual, bool hex)
{
    char v[96], f[400], a[24], b[24], got[24];
    num(got, actual, hex);
#define CASE(failure, ...) do { snprintf(v, sizeof v, __VA_ARGS__); add(c, failure, tmpl, v); } while (0)
    CASE(NULL, "%llu", (unsigned long long)actual);
    snprintf(f, sizeof f, "%s: expected %s, actual %s", what, num(a, actual + 1, hex), got);
    CASE(f, "%llu", (unsigned long long)actual + 1);
    CASE(NULL, "{\"min\": %llu}", (unsigned long long)actual);
    snprintf(f, sizeof f, "%s: expected at least %s, actual %s", what, num(a, actual + 1, hex), got);
    CASE(f, "{\"min\": %llu}", (unsigned long long)actual + 1);
    CASE(NULL, "{\"max\": %llu}", (unsigned long long)actual);
    CASE(NULL, "{\"min\": %llu, \"max\": %llu}", (unsigned long long)actual, (unsigned long long)actual + 2);
    snprintf(f, sizeof f, "%s: expected %s..%s, actual %s", what, num(a, actual + 1, hex), num(b, actual + 2, hex),
             got);
    CASE(f, "{\"min\": %llu, \"max\": %llu}", (unsigned long long)actual + 1, (unsigned long long)actual + 2);
    if (actual == 0)
        return;
    snprintf(f, sizeof f, "%s: expected %s, actual %s", what, num(a, actual - 1, hex), got);
    CASE(f, "%llu", (unsigned long long)actual - 1);
    snprintf(f, sizeof f, "%s: expected %s%s, actual %s", what, actual > 1 ? "at most " : "", num(a, actual - 1, hex),
             got);   /* {"max": 0} is 0..0, shown as 0 */
    CASE(f, "{\"max\": %llu}", (unsigned long long)actual - 1);
    if (actual >= 3) {
        snprintf(f, sizeof f, "%s: expected %s..%s, actual %s", what, num(a, actual - 2, hex), num(b, actual - 1, hex),
                 got);
        CASE(f, "{\"min\": %llu, \"max\": %llu}", (unsigned long long)actual - 2, (unsigned long long)actual - 1);
    }
#undef CASE
}

/* Replays PRELUDE (a scenario whose "steps" array is left open after its
 * last step) with every case appended as an expect step, and asserts each
 * step's outcome, the count of expect steps held and the exit status. */
static void run_cases(const char *prelude, const struct cases *c)
{
    size_t cap = strlen(prelude) + (size_t)c->n * 240 + 16, len = 0;
    char *text = malloc(cap);
    cr_assert_not_null(text);
    len += (size_t)snprintf(text, cap, "%s", prelude);
    for (uint32_t i = 0; i < c->n; i++)
        len += (size_t)snprintf(text + len, cap - len, ",\n{\"op\": \"expect\", %s}", c->expect[i]);
    snprintf(text + len, cap - len, "]}\n");

    struct scn_errors errs;
    struct scenario *sc = scenario_load("t.json", text, strlen(text), &errs);
    char line[SCN_ERROR_TEXT] = "";
    if (!sc)
        scenario_format_error("t.json", &errs.e[0], line, sizeof line);
    cr_assert_not_null(sc, "%s", line);
    struct replay r;
    char why[256];
    cr_assert(replay_start(&r, sc, NULL, NULL, why, sizeof why), "%s", why);
    uint32_t first = sc->nsteps - c->n, holds = 0;
    struct replay_result res;
    while (replay_step(&r, &res)) {
        if (res.index < first) {
            cr_assert_eq(res.step->op == OP_EXPECT ? res.nfailures : 0u, 0u, "the prelude's own expect step %u",
                         res.index + 1);
            continue;
        }
        char got[400] = "";
        size_t g = 0;
        for (uint32_t k = 0; k < res.nfailures; k++)
            g += (size_t)snprintf(got + g, sizeof got - g, "%s%s", k ? " | " : "", res.failure[k]);
        const uint32_t i = res.index - first;
        cr_expect_str_eq(got, c->failure[i], "{\"op\": \"expect\", %s}", c->expect[i]);
        holds += c->failure[i][0] == '\0';
    }
    cr_assert_not(r.broken, "%s", r.broken_msg);
    uint32_t prelude_expects = 0;
    for (uint32_t i = 0; i < first; i++)
        prelude_expects += sc->steps[i].op == OP_EXPECT;

    /* what mmsim run prints last, and its exit status */
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    cr_assert_not_null(f);
    struct narrator n = {.out = f, .replay = &r};
    int status = narrate_summary(&n);
    fclose(f);
    char summary[200];
    snprintf(summary, sizeof summary, "\nt: %u step%s, %u of %u expect%s held\n", sc->nops, sc->nops == 1 ? "" : "s",
             prelude_expects + holds, prelude_expects + c->n, prelude_expects + c->n == 1 ? "" : "s");
    cr_assert_str_eq(out, summary);
    cr_assert_eq(r.failed_steps, c->n - holds);
    cr_assert_eq(status, holds < c->n ? 1 : 0, "exit 1 when an expectation fails");
    free(out);
    replay_end(&r);
    scenario_free(sc);
    free(text);
}

/* A 64-frame machine in a known state. a wrote 8 pages; 3 went to the
 * paging file and left memory (0x10000-0x12000 in slots 1-3), 2 are on
 * Standby (0x13000 in frame 0xA, 0x14000), 1 on Modified (0x15000 in frame
 * 0xC), 2 in its working set (0x16000, and 0x17000 in frame 0xE). b's one
 * page is on the Modified-no-write list; c's frames were freed when it
 * ended; frame 63 is bad. The last two steps read a's 0x17004 (a TLB
 * miss) and 0x17000 (a hit; it holds 0x00017000, as touch wrote it). */
static const char known[] =
    "{\"name\": \"t\", \"description\": \"d\", \"machine\": {\"frames\": 64, \"pagefiles\": [\"256K\"]},\n"
    " \"processes\": [{\"name\": \"a\"}, {\"name\": \"b\", \"modified_no_write\": true, \"priority\": 2}],\n"
    " \"steps\": [\n"
    "{\"op\": \"allocate\", \"process\": \"a\", \"address\": \"0x10000\", \"size\": \"32K\"},\n"
    "{\"op\": \"touch\", \"process\": \"a\", \"address\": \"0x10000\", \"size\": \"32K\"},\n"
    "{\"op\": \"trim\", \"process\": \"a\", \"pages\": 3},\n"
    "{\"op\": \"memory_list\", \"command\": \"flush_modified_list\"},\n"
    "{\"op\": \"memory_list\", \"command\": \"purge_standby_list\"},\n"
    "{\"op\": \"trim\", \"process\": \"a\", \"pages\": 2},\n"
    "{\"op\": \"memory_list\", \"command\": \"flush_modified_list\"},\n"
    "{\"op\": \"trim\", \"process\": \"a\", \"pages\": 1},\n"
    "{\"op\": \"allocate\", \"process\": \"b\", \"address\": \"0x10000\", \"size\": \"4K\"},\n"
    "{\"op\": \"write\", \"process\": \"b\", \"address\": \"0x10000\", \"value\": 7},\n"
    "{\"op\": \"trim\", \"process\": \"b\"},\n"
    "{\"op\": \"create_process\", \"name\": \"c\"},\n"
    "{\"op\": \"allocate\", \"process\": \"c\", \"address\": \"0x20000\", \"size\": \"8K\"},\n"
    "{\"op\": \"write\", \"process\": \"c\", \"address\": \"0x20000\", \"value\": 7},\n"
    "{\"op\": \"write\", \"process\": \"c\", \"address\": \"0x10000\", \"value\": 7},\n"
    "{\"op\": \"terminate\", \"process\": \"c\"},\n"
    "{\"op\": \"mark_bad\", \"frame\": 63},\n"
    "{\"op\": \"read\", \"process\": \"a\", \"address\": \"0x17004\"},\n"
    "{\"op\": \"read\", \"process\": \"a\", \"address\": \"0x17000\"}";

Test(expect, lists_fail_below_and_above)
{
    static const struct { const char *key; uint64_t actual; } lists[] = {
        {"zeroed", 41}, {"free", 8}, {"standby", 2}, {"modified", 1}, {"modified_no_write", 1}, {"bad", 1},
        {"active", 10}, {"available", 51},
    };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        struct cases c = {0};
        char fmt[80], what[64];
        snprintf(fmt, sizeof fmt, "\"lists\": {\"%s\": @}", lists[i].key);
        snprintf(what, sizeof what, "%s", lists[i].key);
        number_cases(&c, fmt, what, lists[i].actual, false);
        run_cases(known, &c);
    }
}

Test(expect, standby_priority_and_repurposed)
{
    /* a's pages are at priority 5, the default; one write lands 8 pages on
     * Standby, and 6 new pages need 2 of them once Zeroed runs out */
    static const char repurpose[] =
        "{\"name\": \"t\", \"description\": \"d\", \"machine\": {\"frames\": 16, \"pagefiles\": [\"256K\"]},\n"
        " \"processes\": [{\"name\": \"a\"}], \"steps\": [\n"
        "{\"op\": \"allocate\", \"process\": \"a\", \"address\": \"0x10000\", \"size\": \"64K\"},\n"
        "{\"op\": \"touch\", \"process\": \"a\", \"address\": \"0x10000\", \"size\": \"32K\"},\n"
        "{\"op\": \"trim\", \"process\": \"a\"},\n"
        "{\"op\": \"memory_list\", \"command\": \"flush_modified_list\"},\n"
        "{\"op\": \"touch\", \"process\": \"a\", \"address\": \"0x18000\", \"size\": \"24K\"}";
    struct cases c = {0};
    number_cases(&c, "\"standby_priority\": {\"5\": @}", "standby[5]", 6, false);
    number_cases(&c, "\"repurposed\": {\"5\": @}", "repurposed[5]", 2, false);
    add(&c, "standby[2]: expected 1, actual 0", "\"standby_priority\": {\"2\": 1}", NULL);
    add(&c, "repurposed[0]: expected at least 1, actual 0", "\"repurposed\": {\"0\": {\"min\": 1}}", NULL);
    add(&c, NULL, "\"standby_priority\": {\"0\": 0, \"7\": 0}, \"repurposed\": {\"7\": 0}", NULL);
    run_cases(repurpose, &c);
}

Test(expect, the_last_step_status_fault_and_value)
{
    struct cases c = {0};
    /* the last read: no fault, STATUS_SUCCESS, 0x00017000 */
    add(&c, NULL, "\"status\": \"STATUS_SUCCESS\", \"fault\": \"none\", \"table_fault\": \"none\", \"av_reason\": \"none\"", NULL);
    add(&c, "status: expected STATUS_ACCESS_VIOLATION, actual STATUS_SUCCESS", "\"status\": \"STATUS_ACCESS_VIOLATION\"", NULL);
    add(&c, "fault: expected transition, actual none", "\"fault\": \"transition\"", NULL);
    add(&c, "table_fault: expected page-table, actual none", "\"table_fault\": \"page-table\"", NULL);
    add(&c, "av_reason: expected no-vad, actual none", "\"av_reason\": \"no-vad\"", NULL);
    number_cases(&c, "\"value\": @", "value", 0x17000, true);
    run_cases(known, &c);

    /* a first write: a demand-zero fault after a page-table fault */
    static const char first_write[] =
        "{\"name\": \"t\", \"description\": \"d\", \"machine\": {\"frames\": 32},\n"
        " \"processes\": [{\"name\": \"a\"}], \"steps\": [\n"
        "{\"op\": \"allocate\", \"process\": \"a\", \"address\": \"0x10000\", \"size\": \"4K\"},\n"
        "{\"op\": \"write\", \"process\": \"a\", \"address\": \"0x10000\", \"value\": 1}";
    memset(&c, 0, sizeof c);
    add(&c, NULL, "\"fault\": \"demand-zero\", \"table_fault\": \"page-table\"", NULL);
    add(&c, "fault: expected none, actual demand-zero", "\"fault\": \"none\"", NULL);
    add(&c, "table_fault: expected none, actual page-table", "\"table_fault\": \"none\"", NULL);
    add(&c, "value: expected 0x00000001, actual none (the last read did not succeed)", "\"value\": 1", NULL);
    run_cases(first_write, &c);

    /* a read where nothing is reserved */
    static const char violation[] =
        "{\"name\": \"t\", \"description\": \"d\", \"machine\": {\"frames\": 32},\n"
        " \"processes\": [{\"name\": \"a\"}], \"steps\": [\n"
        "{\"op\": \"read\", \"process\": \"a\", \"address\": \"0x10000\"}";
    memset(&c, 0, sizeof c);
    add(&c, NULL, "\"status\": \"STATUS_ACCESS_VIOLATION\", \"fault\": \"access-violation\", \"av_reason\": \"no-vad\"", NULL);
    add(&c, "status: expected STATUS_SUCCESS, actual STATUS_ACCESS_VIOLATION", "\"status\": \"STATUS_SUCCESS\"", NULL);
    add(&c, "av_reason: expected not-committed, actual no-vad", "\"av_reason\": \"not-committed\"", NULL);
    add(&c, "fault: expected none, actual access-violation", "\"fault\": \"none\"", NULL);
    add(&c, "value: expected a value, actual none (the last read did not succeed)", "\"value\": {\"min\": 0}", NULL);
    run_cases(violation, &c);

    /* nothing has returned a status yet */
    static const char nothing[] =
        "{\"name\": \"t\", \"description\": \"d\", \"machine\": {\"frames\": 32}, \"steps\": [\n"
        "{\"op\": \"note\", \"text\": \"n\"}";
    memset(&c, 0, sizeof c);
    add(&c, "status: expected STATUS_SUCCESS, actual none (no step returned one yet)", "\"status\": \"STATUS_SUCCESS\"", NULL);
    run_cases(nothing, &c);
}

Test(expect, pte_fields)
{
    struct cases c = {0};
    const char *valid = "\"pte\": {\"process\": \"a\", \"address\": \"0x17000\", @}";
    char fmt[160];
    add(&c, NULL, "\"pte\": {\"process\": \"a\", \"address\": \"0x17000\", \"form\": \"valid\", \"protection\": "
                  "\"PAGE_READWRITE\", \"accessed\": true, \"dirty\": true}", NULL);
    add(&c, "PTE of 0x00017000 in a form: expected transition, actual valid (0x0000E067)",
        valid, "\"form\": \"transition\"");
    add(&c, "PTE of 0x00017000 in a protection: expected PAGE_READONLY, actual PAGE_READWRITE",
        valid, "\"protection\": \"PAGE_READONLY\"");
    add(&c, "PTE of 0x00017000 in a Accessed: expected clear, actual set", valid, "\"accessed\": false");
    add(&c, "PTE of 0x00017000 in a Dirty: expected clear, actual set", valid, "\"dirty\": false");
    add(&c, "PTE of 0x00017000 in a form: expected page-file, actual valid (0x0000E067)", valid, "\"offset\": 1");
    fill(fmt, sizeof fmt, valid, "\"frame\": @");
    number_cases(&c, fmt, "PTE of 0x00017000 in a frame", 0xE, false);
    fill(fmt, sizeof fmt, valid, "\"value\": @");
    number_cases(&c, fmt, "PTE of 0x00017000 in a value", 0xE067, true);
    run_cases(known, &c);

    memset(&c, 0, sizeof c);
    const char *paged = "\"pte\": {\"process\": \"a\", \"address\": \"0x10000\", @}";
    add(&c, NULL, "\"pte\": {\"process\": \"a\", \"address\": \"0x10000\", \"form\": \"page-file\", \"pagefile\": 0, "
                  "\"offset\": 1, \"protection\": \"PAGE_READWRITE\"}", NULL);
    add(&c, "PTE of 0x00010000 in a frame: expected a frame, actual none: page-file (0x00001080)", paged, "\"frame\": 3");
    add(&c, "PTE of 0x00010000 in a Accessed: expected set, actual no such bit: page-file (0x00001080)", paged, "\"accessed\": true");
    add(&c, "PTE of 0x00010000 in a Dirty: expected clear, actual no such bit: page-file (0x00001080)", paged, "\"dirty\": false");
    fill(fmt, sizeof fmt, paged, "\"offset\": @");
    number_cases(&c, fmt, "PTE of 0x00010000 in a offset", 1, false);
    fill(fmt, sizeof fmt, paged, "\"pagefile\": @");
    number_cases(&c, fmt, "PTE of 0x00010000 in a paging file", 0, false);
    run_cases(known, &c);

    memset(&c, 0, sizeof c);
    const char *transition = "\"pte\": {\"process\": \"a\", \"address\": \"0x15000\", @}";
    add(&c, NULL, "\"pte\": {\"process\": \"a\", \"address\": \"0x15000\", \"form\": \"transition\", \"frame\": 12}", NULL);
    add(&c, "PTE of 0x00015000 in a form: expected page-file, actual transition (0x0000C886)", transition,
        "\"form\": \"page-file\"");
    add(&c, "PTE of 0x00015000 in a protection: expected PAGE_NOACCESS, actual PAGE_READWRITE", transition,
        "\"protection\": \"PAGE_NOACCESS\"");
    fill(fmt, sizeof fmt, transition, "\"frame\": @");
    number_cases(&c, fmt, "PTE of 0x00015000 in a frame", 0xC, false);
    run_cases(known, &c);
}

Test(expect, pde_fields)
{
    struct cases c = {0};
    const char *pde = "\"pde\": {\"process\": \"a\", \"address\": \"0x10000\", @}";
    char fmt[160];
    add(&c, NULL, "\"pde\": {\"process\": \"a\", \"address\": \"0x10000\", \"form\": \"valid\", \"frame\": 6, "
                  "\"accessed\": true, \"dirty\": true}", NULL);
    add(&c, "PDE of 0x00010000 in a form: expected zero, actual valid (0x00006067)", pde, "\"form\": \"zero\"");
    add(&c, "PDE of 0x00010000 in a Dirty: expected clear, actual set", pde, "\"dirty\": false");
    add(&c, "PDE of 0x00010000 in a Accessed: expected clear, actual set", pde, "\"accessed\": false");
    fill(fmt, sizeof fmt, pde, "\"value\": @");
    number_cases(&c, fmt, "PDE of 0x00010000 in a value", 0x6067, true);
    fill(fmt, sizeof fmt, pde, "\"frame\": @");
    number_cases(&c, fmt, "PDE of 0x00010000 in a frame", 6, false);
    /* no page table for 0x00400000 yet */
    add(&c, NULL, "\"pde\": {\"process\": \"a\", \"address\": \"0x400000\", \"form\": \"zero\", \"value\": 0}", NULL);
    add(&c, "PDE of 0x00400000 in a form: expected valid, actual zero (0x00000000)",
        "\"pde\": {\"process\": \"a\", \"address\": \"0x400000\", \"form\": \"valid\"}", NULL);
    run_cases(known, &c);
}

Test(expect, pfn_fields)
{
    struct cases c = {0};
    const char *active = "\"pfn\": {\"frame\": 14, @}";
    char fmt[160];
    add(&c, NULL, "\"pfn\": {\"frame\": 14, \"list\": \"active\", \"modified\": true}", NULL);
    add(&c, "frame 0xE list: expected standby, actual active", active, "\"list\": \"standby\"");
    add(&c, "frame 0xE Modified: expected clear, actual set", active, "\"modified\": false");
    fill(fmt, sizeof fmt, active, "\"share_count\": @");
    number_cases(&c, fmt, "frame 0xE ShareCount", 1, false);
    fill(fmt, sizeof fmt, active, "\"reference_count\": @");
    number_cases(&c, fmt, "frame 0xE ReferenceCount", 1, false);
    fill(fmt, sizeof fmt, active, "\"priority\": @");
    number_cases(&c, fmt, "frame 0xE priority", 5, false);
    fill(fmt, sizeof fmt, active, "\"original_pte\": @");
    number_cases(&c, fmt, "frame 0xE OriginalPte", 0x80, true);
    fill(fmt, sizeof fmt, active, "\"pte_address\": @");
    number_cases(&c, fmt, "frame 0xE PteAddress", 0xC000005C, true);
    run_cases(known, &c);

    memset(&c, 0, sizeof c);
    const char *standby = "\"pfn\": {\"frame\": 10, @}";
    add(&c, NULL, "\"pfn\": {\"frame\": 10, \"list\": \"standby\", \"modified\": false, \"share_count\": 0, "
                  "\"reference_count\": 0, \"original_pte\": \"0x4080\"}", NULL);
    add(&c, "frame 0xA list: expected modified, actual standby", standby, "\"list\": \"modified\"");
    add(&c, "frame 0xA Modified: expected set, actual clear", standby, "\"modified\": true");
    add(&c, "frame 0xA ShareCount: expected 1, actual 0", standby, "\"share_count\": 1");
    add(&c, "frame 0x3F list: expected zeroed, actual bad", "\"pfn\": {\"frame\": 63, \"list\": \"zeroed\"}", NULL);
    add(&c, "frame 0xC list: expected modified_no_write, actual modified",
        "\"pfn\": {\"frame\": 12, \"list\": \"modified_no_write\"}", NULL);
    run_cases(known, &c);
}

Test(expect, working_set_fields)
{
    struct cases c = {0};
    const char *ws = "\"working_set\": {\"process\": \"a\", @}";
    char fmt[160];
    add(&c, NULL, "\"working_set\": {\"process\": \"a\", \"contains\": [\"0x16000\", \"0x17FFF\"], "
                  "\"excludes\": [\"0x10000\", \"0x15000\"]}", NULL);
    add(&c, "working set of a contains: expected 0x00017000, 0x00015000, actual missing 0x00015000", ws, "\"contains\": [\"0x17000\", \"0x15000\"]");
    add(&c, "working set of a excludes: expected 0x00010000, 0x00016000, actual holds 0x00016000", ws, "\"excludes\": [\"0x10000\", \"0x16000\"]");
    fill(fmt, sizeof fmt, ws, "\"size\": @");
    number_cases(&c, fmt, "working set of a size", 6, false);
    fill(fmt, sizeof fmt, ws, "\"locked\": @");
    number_cases(&c, fmt, "working set of a locked", 3, false);
    fill(fmt, sizeof fmt, ws, "\"page_tables\": @");
    number_cases(&c, fmt, "working set of a page_tables", 1, false);
    fill(fmt, sizeof fmt, ws, "\"data\": @");
    number_cases(&c, fmt, "working set of a data", 2, false);
    run_cases(known, &c);
}

Test(expect, tlb_fields)
{
    struct cases c = {0};
    add(&c, NULL, "\"tlb\": {\"contains\": [\"0x17000\"], \"excludes\": [\"0x16000\", \"0x10000\"]}", NULL);
    add(&c, "TLB contains: expected 0x00016000, actual missing 0x00016000", "\"tlb\": {\"contains\": [\"0x16abc\"]}", NULL);
    add(&c, "TLB excludes: expected 0x00017000, actual holds 0x00017000", "\"tlb\": {\"excludes\": [\"0x17004\"]}", NULL);
    number_cases(&c, "\"tlb\": {\"hits\": @}", "TLB hits", 1, false);
    number_cases(&c, "\"tlb\": {\"misses\": @}", "TLB misses", 22, false);
    number_cases(&c, "\"tlb\": {\"flushes\": @}", "TLB flushes", 8, false);
    run_cases(known, &c);
}

Test(expect, pagefile_and_commit_fields)
{
    struct cases c = {0};
    number_cases(&c, "\"pagefile\": {\"used\": @}", "paging file 0 used", 5, false);
    number_cases(&c, "\"pagefile\": {\"file\": 0, \"size\": @}", "paging file 0 size", 64, false);
    number_cases(&c, "\"commit\": {\"process\": \"a\", \"charge\": @}", "commit (pages) charge of a", 8, false);
    number_cases(&c, "\"commit\": {\"total\": @}", "commit (pages) total", 9, false);
    run_cases(known, &c);

    memset(&c, 0, sizeof c);
    number_cases(&c, "\"commit\": {\"limit\": @}", "commit (pages) limit", 127, false);
    number_cases(&c, "\"commit\": {\"peak\": @}", "commit (pages) peak", 11, false);
    run_cases(known, &c);
}

Test(expect, fault_counts)
{
    struct cases c = {0};
    number_cases(&c, "\"faults\": {\"process\": \"a\", \"demand-zero\": @}", "faults of a demand-zero", 8, false);
    number_cases(&c, "\"faults\": {\"process\": \"a\", \"page-table\": @}", "faults of a page-table", 1, false);
    number_cases(&c, "\"faults\": {\"process\": \"a\", \"access-violation\": @}", "faults of a access-violation", 0,
                 false);
    number_cases(&c, "\"faults\": {\"demand-zero\": @}", "faults demand-zero", 10, false);
    number_cases(&c, "\"faults\": {\"access-violation\": @}", "faults access-violation", 1, false);
    run_cases(known, &c);

    memset(&c, 0, sizeof c);
    number_cases(&c, "\"faults\": {\"page-table\": @}", "faults page-table", 3, false);
    static const char *const zero[] = {"none", "transition", "page-file", "guard-page", "no-memory"};
    for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++) {
        char f[200];
        snprintf(f, sizeof f, "faults of b %s: expected 1, actual 0", zero[i]);
        char e[100];
        snprintf(e, sizeof e, "\"faults\": {\"process\": \"b\", \"%s\": 1}", zero[i]);
        add(&c, f, e, NULL);
        snprintf(e, sizeof e, "\"faults\": {\"process\": \"b\", \"%s\": 0}", zero[i]);
        add(&c, NULL, e, NULL);
    }
    run_cases(known, &c);
}

Test(expect, several_failures_in_one_step_are_listed_in_table_order)
{
    struct cases c = {0};
    add(&c, "status: expected STATUS_NO_MEMORY, actual STATUS_SUCCESS | zeroed: expected 1, actual 41 | "
            "working set of a size: expected 7, actual 6 | faults demand-zero: expected 0, actual 10",
        "\"faults\": {\"demand-zero\": 0}, \"working_set\": {\"process\": \"a\", \"size\": 7}, \"lists\": {\"zeroed\": 1}, "
        "\"status\": \"STATUS_NO_MEMORY\"", NULL);
    add(&c, NULL, "\"lists\": {\"zeroed\": 41}, \"working_set\": {\"process\": \"a\", \"size\": 6}", NULL);
    run_cases(known, &c);
}

/* Six processes of three frames each do not fit in 16 frames: the sixth,
 * made by a create_process step, fails, and every expectation about it
 * says it is not running instead of comparing other counts. */
Test(expect, a_process_that_never_started_is_not_running)
{
    static const char crowded[] =
        "{\"name\": \"t\", \"description\": \"d\", \"machine\": {\"frames\": 16},\n"
        " \"processes\": [{\"name\": \"a\"}, {\"name\": \"b\"}, {\"name\": \"c\"}, {\"name\": \"d\"}, {\"name\": \"e\"}],\n"
        " \"steps\": [\n"
        "{\"op\": \"create_process\", \"name\": \"f\"},\n"
        "{\"op\": \"expect\", \"status\": \"STATUS_NO_MEMORY\"},\n"
        "{\"op\": \"read\", \"process\": \"a\", \"address\": \"0x10000\"}";
    struct cases c = {0};
    add(&c, "faults of f process: expected running, actual not running", "\"faults\": {\"process\": \"f\", \"access-violation\": 1}", NULL);
    add(&c, "faults of f process: expected running, actual not running", "\"faults\": {\"process\": \"f\", \"demand-zero\": 0}", NULL);
    add(&c, NULL, "\"faults\": {\"access-violation\": 1}", NULL);
    add(&c, "working set of f process: expected running, actual not running", "\"working_set\": {\"process\": \"f\", \"size\": 0}", NULL);
    add(&c, "working set of f process: expected running, actual not running", "\"working_set\": {\"process\": \"f\", \"excludes\": [65536]}", NULL);
    add(&c, "commit of f process: expected running, actual not running", "\"commit\": {\"process\": \"f\", \"charge\": 0}", NULL);
    add(&c, "PTE of 0x00010000 in f process: expected running, actual not running",
        "\"pte\": {\"process\": \"f\", \"address\": \"0x10000\", \"form\": \"zero\"}", NULL);
    add(&c, "PDE of 0x00010000 in f process: expected running, actual not running",
        "\"pde\": {\"process\": \"f\", \"address\": \"0x10000\", \"value\": 0}", NULL);
    run_cases(crowded, &c);
}

/* The page priority of a's first page, made by a write. */
static uint32_t first_page_priority(const char *text)
{
    struct scn_errors errs;
    struct scenario *sc = scenario_load("t.json", text, strlen(text), &errs);
    cr_assert_not_null(sc, "%s", errs.e[0].message);
    struct replay r;
    char why[256];
    cr_assert(replay_start(&r, sc, NULL, NULL, why, sizeof why), "%s", why);
    struct replay_result res;
    while (replay_step(&r, &res))
        cr_assert(res.status == STATUS_SUCCESS, "step %u: %s", res.index + 1, mm_status_name(res.status));
    struct mm_walk w;
    cr_assert_eq(mm_walk(r.m, replay_pid(&r, 0), 0x10000, &w), STATUS_SUCCESS);
    cr_assert(w.valid);
    uint32_t prio = pfn_priority(mm_pfn_entry(r.m, w.frame));
    t_check(r.m);
    replay_end(&r);
    scenario_free(sc);
    return prio;
}

Test(expect, create_process_gets_the_default_priority)
{
    static const char *const texts[] = {
        /* declared up front */
        "{\"name\": \"t\", \"description\": \"d\", \"processes\": [{\"name\": \"a\"}], \"steps\": ["
        "{\"op\": \"allocate\", \"process\": \"a\", \"address\": \"0x10000\", \"size\": \"4K\"},"
        "{\"op\": \"write\", \"process\": \"a\", \"address\": \"0x10000\", \"value\": 1}]}",
        /* made by a step */
        "{\"name\": \"t\", \"description\": \"d\", \"steps\": [{\"op\": \"create_process\", \"name\": \"a\"},"
        "{\"op\": \"allocate\", \"process\": \"a\", \"address\": \"0x10000\", \"size\": \"4K\"},"
        "{\"op\": \"write\", \"process\": \"a\", \"address\": \"0x10000\", \"value\": 1}]}",
        /* made by a step with other options given */
        "{\"name\": \"t\", \"description\": \"d\", \"steps\": [{\"op\": \"create_process\", \"name\": \"a\", "
        "\"ws_minimum\": 20, \"ws_maximum\": 40, \"modified_no_write\": true},"
        "{\"op\": \"allocate\", \"process\": \"a\", \"address\": \"0x10000\", \"size\": \"4K\"},"
        "{\"op\": \"write\", \"process\": \"a\", \"address\": \"0x10000\", \"value\": 1}]}",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        cr_assert_eq(first_page_priority(texts[i]), 5u, "case %zu: MEMORY_PRIORITY_NORMAL", i);
    cr_assert_eq(first_page_priority(
                     "{\"name\": \"t\", \"description\": \"d\", \"steps\": [{\"op\": \"create_process\", \"name\": "
                     "\"a\", \"priority\": 3}, {\"op\": \"allocate\", \"process\": \"a\", \"address\": \"0x10000\", "
                     "\"size\": \"4K\"}, {\"op\": \"write\", \"process\": \"a\", \"address\": \"0x10000\", \"value\": 1}]}"),
                 3u, "a priority given is kept");
}

Test(expect, equal_working_set_limits_are_accepted)
{
    static const char equal[] =
        "{\"name\": \"t\", \"description\": \"d\", \"machine\": {\"frames\": 256, \"ws_minimum\": 30, \"ws_maximum\": 30},\n"
        " \"processes\": [{\"name\": \"a\", \"ws_minimum\": 25, \"ws_maximum\": 25}], \"steps\": [\n"
        "{\"op\": \"create_process\", \"name\": \"b\", \"ws_minimum\": 40, \"ws_maximum\": 40},\n"
        "{\"op\": \"expect\", \"status\": \"STATUS_SUCCESS\"},\n"
        "{\"op\": \"create_process\", \"name\": \"c\"},\n"
        "{\"op\": \"expect\", \"status\": \"STATUS_SUCCESS\"},\n"
        "{\"op\": \"set_ws_limits\", \"process\": \"a\", \"minimum\": 50, \"maximum\": 50}";
    struct cases c = {0};
    add(&c, NULL, "\"status\": \"STATUS_SUCCESS\"", NULL);
    run_cases(equal, &c);

    struct scn_errors errs;
    char text[sizeof equal + 8];
    snprintf(text, sizeof text, "%s]}", equal);
    struct scenario *sc = scenario_load("t.json", text, strlen(text), &errs);
    cr_assert_not_null(sc);
    struct replay r;
    char why[256];
    cr_assert(replay_start(&r, sc, NULL, NULL, why, sizeof why), "%s", why);
    struct replay_result res;
    while (replay_step(&r, &res))
        ;
    static const uint32_t want[] = {50, 40, 30};   /* a after set_ws_limits, b, c from the machine */
    for (int p = 0; p < 3; p++) {
        const struct mm_wsl *ws = mm_working_set(r.m, replay_pid(&r, p));
        cr_assert_not_null(ws);
        cr_assert_eq(ws->minimum, want[p], "process %d minimum", p);
        cr_assert_eq(ws->maximum, want[p], "process %d maximum", p);
    }
    replay_end(&r);
    scenario_free(sc);
}

/* Under pressure the working-set manager takes the oldest pages of the
 * sets above their minimum: idle's pages have aged two ticks, busy's were
 * read after each tick, hog is below its minimum. Idle goes down to its
 * minimum of 4 (three locked pages and its page table); busy and hog lose
 * nothing. */
Test(expect, pressure_takes_pages_from_the_idle_process)
{
    static const char pressure[] =
        "{\"name\": \"t\", \"description\": \"d\", \"machine\": {\"frames\": 96, \"ws_minimum\": 4, \"ws_maximum\": 60},\n"
        " \"processes\": [{\"name\": \"idle\"}, {\"name\": \"busy\"}, {\"name\": \"hog\", \"ws_minimum\": 60,"
        " \"ws_maximum\": 80}],\n"
        " \"steps\": [\n"
        "{\"op\": \"allocate\", \"process\": \"idle\", \"address\": \"0x10000\", \"size\": \"80K\"},\n"
        "{\"op\": \"touch\", \"process\": \"idle\", \"address\": \"0x10000\", \"size\": \"80K\"},\n"
        "{\"op\": \"allocate\", \"process\": \"busy\", \"address\": \"0x10000\", \"size\": \"80K\"},\n"
        "{\"op\": \"touch\", \"process\": \"busy\", \"address\": \"0x10000\", \"size\": \"80K\"},\n"
        "{\"op\": \"tick\"},\n"
        "{\"op\": \"touch\", \"process\": \"busy\", \"address\": \"0x10000\", \"size\": \"80K\", \"access\": \"read\"},\n"
        "{\"op\": \"tick\"},\n"
        "{\"op\": \"touch\", \"process\": \"busy\", \"address\": \"0x10000\", \"size\": \"80K\", \"access\": \"read\"},\n"
        "{\"op\": \"allocate\", \"process\": \"hog\", \"address\": \"0x10000\", \"size\": \"160K\"},\n"
        "{\"op\": \"touch\", \"process\": \"hog\", \"address\": \"0x10000\", \"size\": \"160K\"},\n"
        "{\"op\": \"expect\", \"lists\": {\"available\": 4}},\n"
        "{\"op\": \"tick\"}";
    struct cases c = {0};
    add(&c, NULL, "\"working_set\": {\"process\": \"idle\", \"size\": 4, \"data\": 0, \"excludes\": [\"0x10000\", "
                  "\"0x23000\"]}", NULL);
    add(&c, NULL, "\"working_set\": {\"process\": \"busy\", \"size\": 24, \"data\": 20, \"contains\": [\"0x10000\", "
                  "\"0x23000\"]}", NULL);
    add(&c, NULL, "\"working_set\": {\"process\": \"hog\", \"size\": 44}, \"lists\": {\"available\": 20}", NULL);
    add(&c, "working set of busy excludes: expected 0x00010000, actual holds 0x00010000",
        "\"working_set\": {\"process\": \"busy\", \"excludes\": [\"0x10000\"]}", NULL);
    add(&c, "working set of idle contains: expected 0x00010000, actual missing 0x00010000",
        "\"working_set\": {\"process\": \"idle\", \"contains\": [\"0x10000\"]}", NULL);
    add(&c, "working set of busy size: expected at most 23, actual 24",
        "\"working_set\": {\"process\": \"busy\", \"size\": {\"max\": 23}}", NULL);
    run_cases(pressure, &c);
}

/* ---- the replayer checks the machine after every step ---- */

static const char corrupt_scn[] =
    "{\"name\": \"c\", \"title\": \"t\", \"description\": \"d\", \"machine\": {\"frames\": 32},"
    " \"processes\": [{\"name\": \"p\"}], \"steps\": ["
    "{\"op\": \"allocate\", \"process\": \"p\", \"address\": \"0x00010000\", \"size\": \"16K\","
    " \"protect\": \"PAGE_READWRITE\"},"
    "{\"op\": \"write\", \"process\": \"p\", \"address\": \"0x00010000\", \"value\": 1},"
    "{\"op\": \"write\", \"process\": \"p\", \"address\": \"0x00011000\", \"value\": 2},"
    "{\"op\": \"write\", \"process\": \"p\", \"address\": \"0x00012000\", \"value\": 3},"
    "{\"op\": \"expect\", \"lists\": {\"active\": {\"min\": 1}}}]}";

/* A scenario replayed with its narration written into a buffer. */
struct narrated_run {
    struct scenario *sc;
    struct replay r;
    struct narrator n;
    FILE *out;
    char *buf;
    size_t len;
};

/* Load text as `file` and start its replay, narrated into x->buf. */
static void narrated_start(struct narrated_run *x, const char *file, const char *text)
{
    struct scn_errors errs;
    memset(x, 0, sizeof *x);
    x->sc = scenario_load(file, text, strlen(text), &errs);
    cr_assert_not_null(x->sc, "%s", errs.count ? errs.e[0].message : "?");
    x->out = open_memstream(&x->buf, &x->len);
    cr_assert_not_null(x->out);
    x->n = (struct narrator){.out = x->out, .replay = &x->r};
    char why[256];
    cr_assert(replay_start(&x->r, x->sc, narrate_event, &x->n, why, sizeof why), "%s", why);
}

/* Run the next step, narrated. */
static void narrated_step(struct narrated_run *x)
{
    struct replay_result res;
    narrate_step_begin(&x->n, &x->sc->steps[x->r.next], x->r.next);
    cr_assert(replay_step(&x->r, &res));
    narrate_step_end(&x->n, &res);
}

/* The summary: the exit status, and x->buf holds the whole narration. */
static int narrated_finish(struct narrated_run *x)
{
    int status = narrate_summary(&x->n);
    narrate_free(&x->n);
    fclose(x->out);
    return status;
}

static void narrated_free(struct narrated_run *x)
{
    replay_end(&x->r);
    scenario_free(x->sc);
    free(x->buf);
}

/* Replays corrupt_scn, narrated into a buffer; after step `after` (1-based)
 * runs, corrupt() breaks the machine behind the engine's back. The replay
 * must stop at the next step, with that step's narration saying which
 * invariant broke, no step after it run, and exit status 3. */
static void corrupted_mid_replay(uint32_t after, void (*corrupt)(struct mm_machine *), const char *invariant)
{
    struct narrated_run x;
    narrated_start(&x, "c.json", corrupt_scn);
    uint32_t ran = 0;
    while (x.r.next < x.sc->nsteps && !x.r.broken) {
        if (x.r.next == after)
            corrupt(x.r.m);
        narrated_step(&x);
        ran++;
    }
    int status = narrated_finish(&x);
    cr_assert(x.r.broken, "the corruption after step %u went unnoticed", after);
    cr_assert_eq(ran, after + 1, "the replay stops at step %u, not %u", after + 1, ran);
    cr_assert_eq(x.r.next, after + 1);
    struct replay_result res;
    cr_assert_not(replay_step(&x.r, &res), "no step runs once the machine is broken");
    cr_assert_eq(strncmp(x.r.broken_msg, invariant, strlen(invariant)), 0, "expected %s, got %s", invariant,
                 x.r.broken_msg);
    char want[128];
    snprintf(want, sizeof want, "internal error: an invariant of the machine broke in step %u (%s line %u): %s",
             x.sc->steps[after].number, x.sc->file, x.sc->steps[after].line, invariant);
    cr_assert_not_null(strstr(x.buf, want), "the narration says \"%s\":\n%s", want, x.buf);
    cr_assert_eq(status, 3);
    narrated_free(&x);
}

static void lose_commit(struct mm_machine *m) { m->commit_total--; }
static void miscount_zeroed(struct mm_machine *m) { m->list[ZeroedPageList].total++; }

Test(replay, a_machine_corrupted_mid_replay_stops_at_that_step)
{
    corrupted_mid_replay(2, lose_commit, "I9:");
    corrupted_mid_replay(1, miscount_zeroed, "I1:");
    corrupted_mid_replay(3, lose_commit, "I9:");
}

/* ---- the work budget (replay_within_budget) ---- */

Test(replay, the_budget_charges_each_step_its_bound)
{
    /* 16 frames and a paging file of 16 slots: 32 units a step; one
     * process: 32 more; a tick of 10: 10 * (16 + 16); building: 32 */
    static const char text[] =
        "{\"name\": \"b\", \"title\": \"t\", \"description\": \"d\","
        " \"machine\": {\"frames\": 16, \"pagefiles\": [\"64K\"]}, \"processes\": [{\"name\": \"p\"}],"
        " \"steps\": [{\"op\": \"tick\", \"count\": 10},\n"
        " {\"op\": \"reserve\", \"process\": \"p\", \"address\": \"0x00010000\", \"size\": \"64K\"}]}";
    struct scn_errors errs;
    struct scenario *sc = scenario_load("b.json", text, strlen(text), &errs);
    cr_assert_not_null(sc);
    /* the last step also pays for the whole check after it (touched mode):
     * its bound and one process */
    const uint64_t step0 = 32 + 10 * 32 + 32 + 32,
                   step1 = step0 + 32 + 2 * 32 + 2 * 16 + REPLAY_PROCESS_UNITS;
    struct scn_error e;
    struct replay_budget b = {10, step1, REPLAY_CHECK_TOUCHED};
    cr_assert(replay_within_budget(sc, &b, &e), "%s", e.message);
    b.max_work = step1 - 1;
    cr_assert_not(replay_within_budget(sc, &b, &e));
    cr_assert_str_eq(e.path, "$.steps[1]");
    cr_assert_eq(e.line, 2);
    char want[320];
    snprintf(want, sizeof want, "the replay's work reaches %llu units by this step (a unit is about one frame "
             "checked), more than the budget of %llu (--max-work raises it; fewer steps, ticks or frames lower it)",
             (unsigned long long)step1, (unsigned long long)step1 - 1);
    cr_assert_str_eq(e.message, want);
    b.max_work = step0 - 1;
    cr_assert_not(replay_within_budget(sc, &b, &e));
    cr_assert_str_eq(e.path, "$.steps[0]");
    b = (struct replay_budget){9, step1, REPLAY_CHECK_TOUCHED};
    cr_assert_not(replay_within_budget(sc, &b, &e));
    cr_assert_str_eq(e.message, "time advances 10 ticks by this step, more than the budget of 9 (--max-ticks raises it)");
    cr_assert(replay_within_budget(sc, NULL, &e), "the defaults take it");
    scenario_free(sc);
}

/* A scenario of one process p on `frames` frames with a paging file of
 * `pagefile`: an allocation of `size` at 0x10000 (none when NULL), then
 * `reads` reads there. */
static struct scenario *reads_scenario(uint32_t frames, const char *pagefile, const char *size, uint32_t reads)
{
    size_t cap = 600 + (size_t)reads * 80, n = 0;
    char *text = malloc(cap);
    cr_assert_not_null(text);
    n += (size_t)snprintf(text + n, cap - n, "{\"name\": \"w\", \"description\": \"d\", \"machine\": {\"frames\": %u,"
                          " \"pagefiles\": [\"%s\"]}, \"processes\": [{\"name\": \"p\"}], \"steps\": [",
                          frames, pagefile);
    if (size)
        n += (size_t)snprintf(text + n, cap - n, "{\"op\": \"allocate\", \"process\": \"p\", \"address\": \"0x10000\","
                              " \"size\": \"%s\"}", size);
    for (uint32_t i = 0; i < reads; i++)
        n += (size_t)snprintf(text + n, cap - n, "%s{\"op\": \"read\", \"process\": \"p\", \"address\": \"0x10000\"}",
                              size || i ? ",\n" : "");
    n += (size_t)snprintf(text + n, cap - n, "]}");
    struct scn_errors errs;
    struct scenario *sc = scenario_load("w.json", text, n, &errs);
    cr_assert_not_null(sc, "%s", errs.count ? errs.e[0].message : "");
    free(text);
    return sc;
}

Test(replay, the_budget_charges_small_steps_by_the_check_mode)
{
    /* 2,001 reads on 16 frames with a paging file of 16 slots and one
     * process: the bound of a step is 16 + 16 + 32, the whole check that
     * and REPLAY_PROCESS_UNITS; building the machine costs 32. A read
     * costs REPLAY_STEP_UNITS, a range's VAD walk (the process's) and the
     * working-set entries there can have been: none committed, 4 for the
     * process */
    enum { READS = 2001 };
    struct scenario *sc = reads_scenario(16, "64K", NULL, READS);
    const uint64_t small = REPLAY_STEP_UNITS + REPLAY_RANGE_UNITS + 4 * REPLAY_WS_UNITS,
                   whole = 64 + REPLAY_PROCESS_UNITS + small;
    /* full: the whole check after every step; touched: after steps 1,000,
     * 2,000 and the last (REPLAY_FULL_CHECK_STEPS on a small machine);
     * end: after the last only */
    const uint64_t want[REPLAY_CHECK_COUNT] = {
        [REPLAY_CHECK_FULL] = 32 + READS * whole,
        [REPLAY_CHECK_TOUCHED] = 32 + (READS - 3) * small + 3 * whole,
        [REPLAY_CHECK_END] = 32 + (READS - 1) * small + whole,
    };
    for (int mode = 0; mode < REPLAY_CHECK_COUNT; mode++) {
        struct scn_error e;
        struct replay_budget b = {REPLAY_MAX_TICKS, want[mode], (enum replay_check)mode};
        cr_assert(replay_within_budget(sc, &b, &e), "%s: %s", replay_check_name(b.check), e.message);
        b.max_work = want[mode] - 1;
        cr_assert_not(replay_within_budget(sc, &b, &e), "%s", replay_check_name(b.check));
        cr_assert_str_eq(e.path, "$.steps[2000]", "%s", replay_check_name(b.check));
    }
    cr_assert_lt(want[REPLAY_CHECK_TOUCHED], want[REPLAY_CHECK_FULL] / 10, "touched costs far less than full");
    scenario_free(sc);
}

/* The work replay_within_budget charges a scenario of `reads` reads after
 * an allocation of `size` on `frames` frames: the least max_work it takes. */
static uint64_t work_of(uint32_t frames, const char *pagefile, const char *size, uint32_t reads)
{
    struct scenario *sc = reads_scenario(frames, pagefile, size, reads);
    uint64_t lo = 1, hi = REPLAY_BUDGET_LIMIT;   /* the least that passes, by halves */
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        struct replay_budget b = {REPLAY_MAX_TICKS, mid, REPLAY_CHECK_TOUCHED};
        struct scn_error e;
        if (replay_within_budget(sc, &b, &e))
            hi = mid;
        else
            lo = mid + 1;
    }
    scenario_free(sc);
    return lo;
}

Test(replay, a_read_is_charged_the_working_set_entries_there_can_have_been)
{
    /* a read more: its own charge (the last step's whole check moves to
     * it). The allocation's pages, their page tables and 4 for the
     * process are the entries a victim search may pass, at most the
     * frames and paging-file slots; the two ranges' VADs (the process and
     * the allocation) the touched check walks */
    const uint64_t vads = REPLAY_STEP_UNITS + 2 * REPLAY_RANGE_UNITS;
    cr_assert_eq(work_of(4096, "32M", "1M", 11) - work_of(4096, "32M", "1M", 10), vads + REPLAY_WS_UNITS * (256 + 0 + 4));
    cr_assert_eq(work_of(4096, "32M", "8M", 11) - work_of(4096, "32M", "8M", 10), vads + REPLAY_WS_UNITS * (2048 + 2 + 4));
    cr_assert_eq(work_of(64, "64K", "8M", 11) - work_of(64, "64K", "8M", 10), vads + REPLAY_WS_UNITS * (64 + 16),
                 "at most what one process can commit");
    cr_assert_eq(work_of(64, "32M", "8M", 11) - work_of(64, "32M", "8M", 10),
                 vads + REPLAY_WS_UNITS * (64 + WS_COMPACT_SLACK + 1),
                 "at most a valid entry per frame and the free entries a search can meet");
}

/* The whole narration of a scenario given as text (malloc'd); every
 * expectation must hold. */
static char *narrated_as(const char *file, const char *text)
{
    struct narrated_run x;
    narrated_start(&x, file, text);
    while (x.r.next < x.sc->nsteps)
        narrated_step(&x);
    cr_assert_eq(narrated_finish(&x), 0, "%s", x.buf);
    char *buf = x.buf;
    x.buf = NULL;
    narrated_free(&x);
    return buf;
}

static char *narrated(const char *text) { return narrated_as("n.json", text); }

/* The text of tests/expect/NAME (the scenarios of the regressions below,
 * which mmsim can also run by hand). */
static char *expect_file(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "tests/expect/%s", name);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s: cannot open (the unit tests run from the top folder)", path);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    cr_assert_not_null(out);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, out);
    fclose(f);
    fclose(out);
    return text;
}

/* A scenario of tests/expect/, narrated: every expectation must hold. */
static char *narrated_file(const char *name)
{
    char *text = expect_file(name);
    char *out = narrated_as(name, text);
    free(text);
    return out;
}

/* Once a copy-on-write made a page of a view private, its faults are a
 * private page's: through its own transition and paging-file PTEs, never
 * through the prototype PTE. */
Test(expect, a_copied_page_faults_as_private_memory_in_the_narration)
{
    char *text = narrated(
        "{\"name\": \"cow\", \"description\": \"d\", \"machine\": {\"frames\": 96, \"pagefiles\": [\"512K\"]},"
        "\"files\": [{\"name\": \"d.bin\", \"size\": \"64K\", \"pattern\": \"page\"}],"
        "\"processes\": [{\"name\": \"a\"}], \"steps\": ["
        "{\"op\": \"create_section\", \"name\": \"f\", \"file\": \"d.bin\"},"
        "{\"op\": \"map_view\", \"process\": \"a\", \"section\": \"f\", \"address\": \"0x400000\", \"protect\": \"PAGE_WRITECOPY\"},"
        "{\"op\": \"write\", \"process\": \"a\", \"address\": \"0x405000\", \"value\": \"0x77\"},"
        "{\"op\": \"trim\", \"process\": \"a\"},"
        "{\"op\": \"read\", \"process\": \"a\", \"address\": \"0x405000\"},"
        "{\"op\": \"trim\", \"process\": \"a\"},"
        "{\"op\": \"memory_list\", \"command\": \"flush_modified_list\"},"
        "{\"op\": \"memory_list\", \"command\": \"purge_standby_list\"},"
        "{\"op\": \"read\", \"process\": \"a\", \"address\": \"0x405000\"},"
        "{\"op\": \"expect\", \"value\": \"0x77\", \"fault\": \"page-file\"}]}");
    /* the write: first the page is read in through the prototype PTE and
     * mapped read-only, then the retried write copies it (two faults) */
    const char *in = strstr(text, "hard fault through the prototype PTE of page 5 of section 'f'");
    const char *copy = strstr(text, "copy-on-write on page 5 of section 'f'");
    cr_assert(in && copy && in < copy, "%s", text);
    cr_assert_not_null(strstr(copy, "transition fault, frame 0x6 comes back from the Modified list "
                                    "(MiResolveTransitionFault)"), "%s", text);
    cr_assert_not_null(strstr(copy, "hard fault, the page is read from the paging file into frame 0x5 "
                                    "(MiResolvePageFileFault)"), "%s", text);
    cr_assert_null(strstr(copy, "through the prototype PTE"), "%s", text);
    free(text);
}

/* A fault's line comes before the lines of its resolution, and after the
 * lines of what came before it was raised: a commit across a 4 MiB
 * boundary builds two page tables, and the PTEs written in the first are
 * told before the second table's fault. */
Test(expect, a_fault_is_told_after_what_came_before_it)
{
    char *text = narrated(
        "{\"name\": \"t\", \"description\": \"d\", \"machine\": {\"frames\": 64, \"pagefiles\": [\"256K\"]},"
        "\"processes\": [{\"name\": \"a\"}], \"steps\": ["
        "{\"op\": \"reserve\", \"process\": \"a\", \"address\": \"0x003F0000\", \"size\": \"128K\"},"
        "{\"op\": \"commit\", \"process\": \"a\", \"address\": \"0x003FE000\", \"size\": \"16K\"}]}");
    const char *first = strstr(text, "page fault at 0xC0000000");
    const char *pte = strstr(text, "PTE 0xC0000FFC of a (maps 0x003FF000)");
    const char *second = strstr(text, "page fault at 0xC0001000");
    const char *pte2 = strstr(text, "PTE 0xC0001000 of a (maps 0x00400000)");
    cr_assert(first && pte && second && pte2, "%s", text);
    cr_assert(first < pte && pte < second && second < pte2, "%s", text);
    free(text);
}

/* A valid PTE of a view has the view's protection, not the section's:
 * read-only in a PAGE_READONLY view of a read/write file section,
 * PAGE_WRITECOPY in a write-copy view until the copy, then PAGE_READWRITE. */
Test(expect, a_view_pte_has_the_views_protection)
{
    char *text = narrated(
        "{\"name\": \"p\", \"description\": \"d\", \"machine\": {\"frames\": 96, \"pagefiles\": [\"512K\"]},"
        "\"files\": [{\"name\": \"d.bin\", \"size\": \"64K\", \"pattern\": \"page\"}],"
        "\"processes\": [{\"name\": \"b\"}], \"steps\": ["
        "{\"op\": \"create_section\", \"name\": \"f\", \"file\": \"d.bin\"},"
        "{\"op\": \"map_view\", \"process\": \"b\", \"section\": \"f\", \"address\": \"0x500000\", \"protect\": \"PAGE_READONLY\"},"
        "{\"op\": \"map_view\", \"process\": \"b\", \"section\": \"f\", \"address\": \"0x600000\", \"protect\": \"PAGE_WRITECOPY\"},"
        "{\"op\": \"read\", \"process\": \"b\", \"address\": \"0x501000\"},"
        "{\"op\": \"expect\", \"pte\": {\"process\": \"b\", \"address\": \"0x501000\", \"protection\": \"PAGE_READONLY\"}},"
        "{\"op\": \"read\", \"process\": \"b\", \"address\": \"0x601000\"},"
        "{\"op\": \"expect\", \"pte\": {\"process\": \"b\", \"address\": \"0x601000\", \"protection\": \"PAGE_WRITECOPY\"}},"
        "{\"op\": \"write\", \"process\": \"b\", \"address\": \"0x601000\", \"value\": 5},"
        "{\"op\": \"expect\", \"pte\": {\"process\": \"b\", \"address\": \"0x601000\", \"protection\": \"PAGE_READWRITE\"}}]}");
    cr_assert_not_null(strstr(text, "protection PAGE_WRITECOPY = PAGE_WRITECOPY"), "%s", text);
    free(text);
}

/* A commit that stops for want of a page table (every frame is held by a
 * set with a hard minimum, and p1's table is in the paging file) gives
 * back the charge of every page it did not commit. It stopped at its
 * first page, already committed (its new protection needs the table):
 * that path kept the charge of the 71 others, and the whole check found
 * 104 pages committed against 175 charged (I9). */
Test(expect, a_commit_stopped_for_a_page_table_keeps_only_the_charge_of_what_it_committed)
{
    free(narrated_file("commit-stopped-for-a-table.json"));
}

/* One process maps a section twice. A fault through the second view finds
 * the page valid in its prototype PTE, but making room for it replaces the
 * first view's mapping, the page's last other share: the page goes to the
 * Modified list and its prototype PTE into transition, so it must come
 * back from there (a transition fault), not be mapped from the list. */
Test(expect, a_fault_that_replaces_the_other_mapping_of_its_own_page_takes_it_back_from_its_list)
{
    /* the second view read/write as in the file, then copy-on-write */
    char *text = expect_file("two-views-replace-each-other.json");
    for (int k = 0; k < 2; k++) {
        char *at = strstr(text, "\"protect\": \"PAGE_");
        cr_assert_not_null(at);
        if (k == 1)
            memcpy(at + strlen("\"protect\": \"PAGE_"), "WRITECOPY", 9);   /* as long as READWRITE */
        char *out = narrated_as(k ? "two-views (PAGE_WRITECOPY)" : "two-views", text);
        cr_assert_not_null(strstr(out, "leaves entry"), "%s", out);
        free(out);
    }
    free(text);
}

/* A dirty page of a mapped file whose frame is marked bad while in use:
 * when the last view goes, deleting the section writes the page to its
 * file, and the frame, with its parity error, is retired to Bad instead of
 * Standby. That put the prototype PTE back and gave up the pool page's
 * share already; freeing the frame again stopped mmsim on an assertion. */
Test(expect, deleting_a_section_retires_its_written_page_on_a_bad_frame_once)
{
    free(narrated_file("bad-frame-section-delete.json"));
}

/* A process ends while no frame can be had (both sets hold a hard
 * minimum and every frame is theirs) and the page table of its first
 * region, the tree's root, is in the paging file. Its second region's
 * table and page are resident: released first, they give back the two
 * frames that bring the first table in, and the exit completes. It used
 * to stop at the root with STATUS_NO_MEMORY and leave the process running
 * with nothing able to name it. */
Test(expect, an_exit_that_needs_a_paged_out_table_releases_the_other_regions_first)
{
    char *text = narrated_file("exit-needs-a-paged-out-table.json");
    const char *table_in = strstr(text, "the page table for 0x00400000-0x007FFFFF (write by b): the table was paged out");
    const char *second = strstr(text, "PDE 0xC0300100 of b (tables for 0x10000000): 0x00007067 -> 0x00000000");
    cr_assert(table_in && second && second < table_in, "the second region goes first:\n%s", text);
    free(text);
}
