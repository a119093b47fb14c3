/*
 * test_scenario.c - loading scenarios: every field lands where it should,
 * errors point at the right line and column with the JSON path, several
 * errors are reported at once, and nothing is half-loaded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"
#include "scenario.h"
#include "support.h"

static struct scenario *load(const char *text, struct scn_errors *errs)
{
    return scenario_load("t.json", text, strlen(text), errs);
}

static void expect_error(const char *text, const char *message)
{
    struct scn_errors errs;
    struct scenario *sc = load(text, &errs);
    cr_assert_null(sc, "loaded a bad scenario");
    cr_assert_geq(errs.count, 1u);
    char line[SCN_ERROR_TEXT];
    scenario_format_error("t.json", &errs.e[0], line, sizeof line);
    cr_assert_str_eq(line, message);
}

Test(scenario, a_full_scenario_loads)
{
    const char *text =
        "{\n"
        "  \"name\": \"full\", \"title\": \"T\", \"description\": \"D\",\n"
        "  \"machine\": {\"memory\": \"1M\", \"pagefiles\": [\"64K\", 32768], \"policy\": \"lru\",\n"
        "              \"ws_minimum\": 4, \"ws_maximum\": 9, \"tlb_entries\": 8, \"read_cluster\": 2},\n"
        "  \"processes\": [{\"name\": \"a\", \"priority\": 2, \"ws_minimum\": 5, \"ws_maximum\": 6}],\n"
        "  \"steps\": [\n"
        "    {\"op\": \"reserve\", \"process\": \"a\", \"address\": \"0x10000\", \"size\": \"64K\"},\n"
        "    {\"op\": \"commit\", \"process\": \"a\", \"address\": 69632, \"size\": 4096, \"protect\": \"PAGE_READONLY\"},\n"
        "    {\"op\": \"create_process\", \"name\": \"b\", \"modified_no_write\": true},\n"
        "    {\"op\": \"write\", \"process\": \"b\", \"address\": \"0x20000\", \"value\": \"0xFFFFFFFF\"},\n"
        "    {\"op\": \"memory_list\", \"command\": \"MemoryPurgeStandbyList\"},\n"
        "    {\"op\": \"memory_list\", \"command\": 2},\n"
        "    {\"op\": \"terminate\", \"process\": \"a\"},\n"
        "    {\"op\": \"expect\", \"lists\": {\"free\": {\"min\": 1}}, \"status\": \"ACCESS_VIOLATION\"}\n"
        "  ]\n"
        "}\n";
    struct scn_errors errs;
    struct scenario *sc = load(text, &errs);
    cr_assert_not_null(sc, "%s", errs.count ? errs.e[0].message : "?");
    cr_assert_str_eq(sc->name, "full");
    cr_assert_eq(sc->config.frames, 256u);
    cr_assert_eq(sc->config.pagefile_count, 2u);
    cr_assert_eq(sc->config.pagefile_pages[0], 16u);
    cr_assert_eq(sc->config.pagefile_pages[1], 8u);
    cr_assert_eq(sc->config.policy, MM_POLICY_LRU);
    cr_assert_eq(sc->ninitial, 1u);
    cr_assert_eq(sc->initial[0].priority, 2u);
    cr_assert_eq(sc->nprocess_names, 2u);
    cr_assert_str_eq(sc->process_names[1], "b");
    cr_assert_eq(sc->nsteps, 8u);
    cr_assert_eq(sc->steps[0].op, OP_RESERVE);
    cr_assert_eq(sc->steps[0].size, 0x10000u);
    cr_assert_eq(sc->steps[0].protect, PAGE_READWRITE, "protect defaults to PAGE_READWRITE");
    cr_assert_eq(sc->steps[1].address, 0x11000u);
    cr_assert_eq(sc->steps[1].protect, PAGE_READONLY);
    cr_assert_eq(sc->steps[2].process, 1);
    cr_assert(sc->steps[2].no_write);
    cr_assert_eq(sc->steps[3].value, 0xFFFFFFFFu);
    cr_assert_eq(sc->steps[4].value, (uint32_t)MemoryPurgeStandbyList);
    cr_assert_eq(sc->steps[5].value, (uint32_t)MemoryEmptyWorkingSets);
    cr_assert_eq(sc->steps[7].line, 14u);
    cr_assert_eq(sc->steps[7].col, 5u);
    cr_assert(sc->steps[7].expect->has_status);
    cr_assert_eq(sc->steps[7].expect->status, STATUS_ACCESS_VIOLATION);
    cr_assert(sc->steps[7].expect->list[LK_FREE].set);
    cr_assert_eq(sc->steps[7].expect->list[LK_FREE].min, 1u);
    scenario_free(sc);
}

Test(scenario, errors_point_at_line_and_column)
{
    expect_error("{\"name\": \"x\",\n \"description\": \"d\",\n \"steps\": [\n   {\"op\": \"tick\", \"cuont\": 2}\n ]}",
                 "t.json:4:19: $.steps[0].cuont: unknown field 'cuont', did you mean 'count'?");
    expect_error("{\"name\": \"x\", \"description\": \"d\", \"steps\": [],\n\n   \"machine\": {\"frames\": true}}",
                 "t.json:3:26: $.machine.frames: expected a number, found a boolean");
    /* columns count characters, not bytes */
    expect_error("{\"name\": \"\xc3\xa9\xc3\xa9\", \"description\": \"d\", \"steps\": [ 7 ]}",
                 "t.json:1:47: $.steps[0]: expected a step (an object with \"op\"), found a number");
}

Test(scenario, every_error_is_reported_at_once)
{
    struct scn_errors errs;
    struct scenario *sc = load("{\"name\": 1, \"steps\": [{\"op\": \"x\"}, {\"op\": \"tick\", \"count\": 0}]}", &errs);
    cr_assert_null(sc);
    cr_assert_eq(errs.count, 4u);
    cr_assert_str_eq(errs.e[0].path, "$.name");
    cr_assert_str_eq(errs.e[1].message, "a scenario needs \"description\": what it teaches");
    cr_assert_str_eq(errs.e[2].path, "$.steps[0].op");
    cr_assert_str_eq(errs.e[3].path, "$.steps[1].count");
}

Test(scenario, errors_are_capped)
{
    char text[8192] = "{\"name\": \"x\", \"description\": \"d\", \"steps\": [";
    for (int i = 0; i < 40; i++)
        strcat(text, i ? ",{\"op\": \"nope\"}" : "{\"op\": \"nope\"}");
    strcat(text, "]}");
    struct scn_errors errs;
    cr_assert_null(load(text, &errs));
    cr_assert_eq(errs.count, SCN_MAX_ERRORS);
    cr_assert(errs.truncated);
}

Test(scenario, processes_are_followed_through_the_steps)
{
    expect_error("{\"name\": \"x\", \"description\": \"d\", \"steps\": [{\"op\": \"create_process\", \"name\": \"a\"},"
                 "{\"op\": \"create_process\", \"name\": \"a\"}]}",
                 "t.json:1:116: $.steps[1].name: a process named 'a' is already running");
    struct scn_errors errs;
    struct scenario *sc = load("{\"name\": \"x\", \"description\": \"d\", \"processes\": [{\"name\": \"a\"}], \"steps\": ["
                               "{\"op\": \"terminate\", \"process\": \"a\"}, {\"op\": \"create_process\", \"name\": \"a\"},"
                               "{\"op\": \"read\", \"process\": \"a\", \"address\": 65536}]}",
                               &errs);
    cr_assert_not_null(sc, "a name may be used again after its process ended");
    cr_assert_eq(sc->nprocess_names, 1u);
    scenario_free(sc);
}

Test(scenario, replay_reports_expected_and_actual)
{
    const char *text =
        "{\"name\": \"x\", \"description\": \"d\", \"machine\": {\"frames\": 32, \"pagefiles\": [\"64K\"]},"
        " \"processes\": [{\"name\": \"a\"}], \"steps\": ["
        "{\"op\": \"allocate\", \"process\": \"a\", \"address\": \"0x10000\", \"size\": \"4K\"},"
        "{\"op\": \"read\", \"process\": \"a\", \"address\": \"0x10000\"},"
        "{\"op\": \"expect\", \"fault\": \"page-file\", \"value\": 1, \"lists\": {\"zeroed\": {\"min\": 30}},"
        " \"pte\": {\"process\": \"a\", \"address\": \"0x10000\", \"form\": \"transition\"}},"
        "{\"op\": \"expect\", \"fault\": \"demand-zero\", \"value\": 0, \"working_set\": {\"process\": \"a\", \"size\": 5}}]}";
    struct scn_errors errs;
    struct scenario *sc = load(text, &errs);
    cr_assert_not_null(sc);
    struct replay r;
    char why[200];
    cr_assert(replay_start(&r, sc, NULL, NULL, why, sizeof why));
    struct replay_result res;
    cr_assert(replay_step(&r, &res));
    cr_assert(res.returns_status);
    cr_assert_eq(res.status, STATUS_SUCCESS);
    cr_assert(replay_step(&r, &res));
    cr_assert(replay_step(&r, &res));
    cr_assert_eq(res.nfailures, 4u);
    cr_assert_str_eq(res.failure[0], "fault: expected page-file, actual demand-zero");
    cr_assert_str_eq(res.failure[1], "value: expected 0x00000001, actual 0x00000000");
    cr_assert_str_eq(res.failure[2], "zeroed: expected at least 30, actual 27");
    cr_assert_str_eq(res.failure[3], "PTE of 0x00010000 in a form: expected transition, actual valid (0x00004067)");
    cr_assert_eq(res.nchecks, 4u, "every check is recorded, held or not");
    cr_assert_str_eq(res.check[3].subject, "PTE of 0x00010000 in a");
    cr_assert_str_eq(res.check[3].what, "form");
    cr_assert_str_eq(res.check[3].expected, "transition");
    cr_assert_not(res.check[3].held);
    cr_assert(replay_step(&r, &res));
    cr_assert_eq(res.nfailures, 0u);
    cr_assert_eq(res.nchecks, 3u);
    cr_assert_str_eq(res.check[0].what, "fault");
    cr_assert_str_eq(res.check[0].actual, "demand-zero");
    cr_assert_str_eq(res.check[1].expected, "0x00000000", "a value is checked in hexadecimal");
    cr_assert_str_eq(res.check[2].subject, "working set of a");
    cr_assert_str_eq(res.check[2].what, "size");
    cr_assert_str_eq(res.check[2].actual, "5");
    cr_assert(res.check[2].held);
    cr_assert_not(replay_step(&r, &res), "no step left");
    cr_assert_eq(r.failed_steps, 1u);
    cr_assert_not(r.broken);
    t_check(r.m);
    replay_end(&r);
    scenario_free(sc);
}

Test(scenario, empty_and_garbage_input)
{
    struct scn_errors errs;
    cr_assert_null(scenario_load("t.json", "", 0, &errs));
    cr_assert_str_eq(errs.e[0].message, "empty document: the file is empty");
    cr_assert_null(scenario_load("t.json", "\xff\xfe", 2, &errs));
    cr_assert_null(scenario_load("t.json", "{\"name\": \"x\"", 12, &errs));
    cr_assert_str_eq(errs.e[0].message, "the JSON ends before every object, array and string is closed");
    cr_assert_null(scenario_load("/no/such/dir/x.json", NULL, 0, &errs));
    cr_assert_str_eq(errs.e[0].message, "cannot open the file: No such file or directory");
}

/* One number per operation: a note belongs to the operation after it (or,
 * when an expectation or the end comes first, to the step before), an
 * expectation to the operation before it; step 0 holds what comes first. */
Test(scenario, steps_are_numbered_by_operation)
{
    const char *text =
        "{\"name\": \"x\", \"description\": \"d\", \"processes\": [{\"name\": \"a\"}], \"steps\": ["
        "{\"op\": \"note\", \"text\": \"about the start\"},"           /* 0: step 0 */
        "{\"op\": \"expect\", \"lists\": {\"active\": 3}},"             /* 1: step 0 */
        "{\"op\": \"note\", \"text\": \"about the allocation\"},"      /* 2: step 1 */
        "{\"op\": \"note\", \"text\": \"more about it\"},"             /* 3: step 1 */
        "{\"op\": \"allocate\", \"process\": \"a\", \"address\": \"0x10000\", \"size\": \"4K\"},"
        "{\"op\": \"expect\", \"status\": \"STATUS_SUCCESS\"},"         /* 5: step 1 */
        "{\"op\": \"write\", \"process\": \"a\", \"address\": \"0x10000\", \"value\": 1},"   /* 6: step 2 */
        "{\"op\": \"note\", \"text\": \"about what the write did\"},"  /* 7: step 2 */
        "{\"op\": \"expect\", \"fault\": \"demand-zero\"},"             /* 8: step 2 */
        "{\"op\": \"trim\", \"process\": \"a\"},"                       /* 9: step 3 */
        "{\"op\": \"note\", \"text\": \"the end\"}]}";                 /* 10: step 3 */
    struct scn_errors errs;
    struct scenario *sc = load(text, &errs);
    cr_assert_not_null(sc, "%s", errs.count ? errs.e[0].message : "?");
    static const uint32_t number[] = {0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 3};
    cr_assert_eq(sc->nsteps, 11u);
    for (uint32_t i = 0; i < sc->nsteps; i++)
        cr_assert_eq(sc->steps[i].number, number[i], "entry %u belongs to step %u, not %u", i, number[i],
                     sc->steps[i].number);
    cr_assert_eq(sc->nops, 3u);
    cr_assert_eq(sc->op_entry[1], 4u);
    cr_assert_eq(sc->op_entry[2], 6u);
    cr_assert_eq(sc->op_entry[3], 9u);
    static const uint32_t end[] = {2, 6, 9, 11};
    for (uint32_t k = 0; k <= 3; k++)
        cr_assert_eq(sc->step_end[k], end[k], "step %u ends before entry %u, not %u", k, end[k], sc->step_end[k]);
    scenario_free(sc);

    /* no entry before the first operation: step 0 is empty */
    sc = load("{\"name\": \"x\", \"description\": \"d\", \"steps\": [{\"op\": \"tick\"},"
              "{\"op\": \"expect\", \"lists\": {\"bad\": 0}}]}", &errs);
    cr_assert_not_null(sc);
    cr_assert_eq(sc->nops, 1u);
    cr_assert_eq(sc->step_end[0], 0u);
    cr_assert_eq(sc->step_end[1], 2u);
    scenario_free(sc);
}

/* Only a maximum: the minimum follows it (at most half of it, as the
 * defaults are made), in the machine, a process and set_ws_limits. */
Test(scenario, a_maximum_alone_takes_the_minimum_along)
{
    const char *text =
        "{\"name\": \"x\", \"description\": \"d\", \"machine\": {\"frames\": 64, \"ws_maximum\": 10},"
        " \"processes\": [{\"name\": \"a\"}, {\"name\": \"b\", \"ws_maximum\": 30}],"
        " \"steps\": [{\"op\": \"set_ws_limits\", \"process\": \"b\", \"maximum\": 12}]}";
    struct scn_errors errs;
    struct scenario *sc = load(text, &errs);
    cr_assert_not_null(sc, "%s", errs.count ? errs.e[0].message : "?");
    cr_assert_eq(sc->config.ws_maximum, 10u);
    cr_assert_eq(sc->config.ws_minimum, 5u, "the default 20 follows the maximum down to half of it");
    cr_assert_eq(sc->initial[0].ws_minimum, 5u);
    cr_assert_eq(sc->initial[1].ws_maximum, 30u);
    cr_assert_eq(sc->initial[1].ws_minimum, 5u, "the machine's 5 is below half of 30: kept");
    struct replay r;
    char why[200];
    cr_assert(replay_start(&r, sc, NULL, NULL, why, sizeof why), "%s", why);
    struct replay_result res;
    cr_assert(replay_step(&r, &res));
    cr_assert_eq(res.status, STATUS_SUCCESS);
    const struct mm_wsl *ws = mm_working_set(r.m, replay_pid(&r, 1));
    cr_assert_eq(ws->maximum, 12u);
    cr_assert_eq(ws->minimum, 5u);
    t_check(r.m);
    replay_end(&r);
    scenario_free(sc);
    /* a minimum that the maximum's default cannot hold is refused, naming that default */
    expect_error("{\"name\": \"x\", \"description\": \"d\", \"machine\": {\"frames\": 64, \"ws_minimum\": 50},"
                 " \"steps\": []}",
                 "t.json:1:46: $.machine: ws_minimum (50) is above ws_maximum (45); 45 is the default for this small "
                 "machine; give ws_maximum too");
}

Test(scenario, section_expectations_report_expected_and_actual)
{
    const char *text =
        "{\"name\": \"x\", \"description\": \"d\", \"machine\": {\"frames\": 64, \"pagefiles\": [\"64K\"]},"
        " \"processes\": [{\"name\": \"a\"}], \"files\": [{\"name\": \"f.dat\", \"size\": \"8K\", \"fill\": 7}],"
        " \"steps\": ["
        "{\"op\": \"create_section\", \"name\": \"s\", \"file\": \"f.dat\"},"
        "{\"op\": \"map_view\", \"process\": \"a\", \"section\": \"s\", \"address\": \"0x00400000\"},"
        "{\"op\": \"write\", \"process\": \"a\", \"address\": \"0x00401000\", \"value\": 9},"
        "{\"op\": \"expect\", \"fault\": \"mapped-file\", \"proto\": {\"section\": \"s\", \"page\": 1, \"form\": \"transition\"},"
        " \"section\": {\"section\": \"s\", \"views\": 2, \"open\": false},"
        " \"file\": {\"file\": \"f.dat\", \"words\": [{\"offset\": \"0x1000\", \"value\": 9}], \"reads\": 0},"
        " \"lists\": {\"modified_pagefile\": 5}},"
        "{\"op\": \"expect\", \"pfn\": {\"frame\": 5, \"prototype\": false}, \"proto\": {\"section\": \"s\", \"page\": 0,"
        " \"frame\": 3}},"
        "{\"op\": \"unmap_view\", \"process\": \"a\", \"address\": \"0x00400000\"},"
        "{\"op\": \"close_section\", \"section\": \"s\"},"
        "{\"op\": \"expect\", \"status\": \"STATUS_SUCCESS\", \"section\": {\"section\": \"s\", \"exists\": false},"
        " \"file\": {\"file\": \"f.dat\", \"words\": [{\"offset\": \"0x1000\", \"value\": 9}], \"writes\": 1}},"
        "{\"op\": \"expect\", \"proto\": {\"section\": \"s\", \"page\": 0}, \"section\": {\"section\": \"s\", \"views\": 0}}]}";
    struct scn_errors errs;
    struct scenario *sc = load(text, &errs);
    cr_assert_not_null(sc, "%s", errs.count ? errs.e[0].message : "");
    struct replay r;
    char why[200];
    cr_assert(replay_start(&r, sc, NULL, NULL, why, sizeof why), "%s", why);
    struct replay_result res;
    for (int i = 0; i < 4; i++)
        cr_assert(replay_step(&r, &res));
    cr_assert_eq(res.nfailures, 6u);
    cr_assert_str_eq(res.failure[0], "modified_pagefile: expected 5, actual 0");
    cr_assert_str_eq(res.failure[1], "prototype PTE 1 of section s form: expected transition, actual valid (0x00005023)");
    cr_assert_str_eq(res.failure[2], "section s handle: expected closed, actual open");
    cr_assert_str_eq(res.failure[3], "section s NumberOfMappedViews: expected 2, actual 1");
    cr_assert_str_eq(res.failure[4], "file f.dat word at 0x1000: expected 0x00000009, actual 0x00000007");
    cr_assert_str_eq(res.failure[5], "file f.dat pages read by faults: expected 0, actual 1");
    cr_assert(replay_step(&r, &res));
    cr_assert_eq(res.nfailures, 2u, "%u: %s / %s / %s", res.nfailures, res.failure[0], res.failure[1], res.failure[2]);
    cr_assert_str_eq(res.failure[0], "frame 0x5 PrototypePte: expected clear, actual set");
    cr_assert_str_eq(res.failure[1], "prototype PTE 0 of section s frame: expected a frame, actual none: subsection "
                                     "(0x80000480)");
    for (int i = 0; i < 3; i++)
        cr_assert(replay_step(&r, &res));
    cr_assert_eq(res.nfailures, 0u, "%s", res.failure[0]);   /* written back on deletion */
    cr_assert(replay_step(&r, &res));
    cr_assert_eq(res.nfailures, 2u);
    cr_assert_str_eq(res.failure[0], "prototype PTE 0 of section s page: expected in the section, actual none: no "
                                     "such section (now) or page");
    cr_assert_str_eq(res.failure[1], "section s handle, views, pages: expected a section, actual none: it does not "
                                     "exist");
    t_check(r.m);
    replay_end(&r);
    scenario_free(sc);
}

Test(scenario, a_file_backs_one_live_section_at_a_time)
{
    const char *text =
        "{\"name\": \"x\", \"description\": \"d\", \"processes\": [{\"name\": \"a\"}],"
        " \"files\": [{\"name\": \"f\", \"size\": \"4K\"}], \"steps\": ["
        "{\"op\": \"create_section\", \"name\": \"s1\", \"file\": \"f\"},"
        "{\"op\": \"create_section\", \"name\": \"s2\", \"file\": \"f\"},"
        "{\"op\": \"expect\", \"status\": \"STATUS_NOT_SUPPORTED\", \"section\": {\"section\": \"s2\", \"exists\": false}},"
        "{\"op\": \"map_view\", \"process\": \"a\", \"section\": \"s2\"},"
        "{\"op\": \"expect\", \"status\": \"STATUS_INVALID_HANDLE\"},"
        "{\"op\": \"close_section\", \"section\": \"s1\"},"
        "{\"op\": \"create_section\", \"name\": \"s3\", \"file\": \"f\"},"
        "{\"op\": \"expect\", \"status\": \"STATUS_SUCCESS\", \"section\": {\"section\": \"s3\", \"exists\": true}}]}";
    struct scn_errors errs;
    struct scenario *sc = load(text, &errs);
    cr_assert_not_null(sc, "%s", errs.count ? errs.e[0].message : "");
    struct replay r;
    char why[200];
    cr_assert(replay_start(&r, sc, NULL, NULL, why, sizeof why), "%s", why);
    struct replay_result res;
    while (replay_step(&r, &res))
        cr_assert_eq(res.nfailures, 0u, "step %u: %s", res.index + 1, res.failure[0]);
    cr_assert_eq(r.failed_steps, 0u);
    cr_assert_not(r.broken, "%s", r.broken_msg);
    replay_end(&r);
    scenario_free(sc);
}

/* A scenario of `steps` steps, one a line: a write, then notes, with an
 * expectation every tenth step. */
static char *long_text(uint32_t steps, size_t *len)
{
    size_t cap = 300 + (size_t)steps * 64, n = 0;
    char *t = malloc(cap);
    cr_assert_not_null(t);
    n += (size_t)snprintf(t + n, cap - n, "{\"name\": \"long\", \"description\": \"d\",\n \"processes\": [{\"name\": \"a\"}],\n"
                                          " \"steps\": [\n  {\"op\": \"allocate\", \"process\": \"a\", \"size\": \"4K\", "
                                          "\"address\": \"0x10000\"}");
    for (uint32_t i = 1; i < steps; i++)
        n += (size_t)snprintf(t + n, cap - n, i % 10 ? ",\n  {\"op\": \"note\", \"text\": \"step %u\"}"
                                                     : ",\n    {\"op\": \"expect\", \"status\": \"STATUS_SUCCESS\"}", i);
    n += (size_t)snprintf(t + n, cap - n, "\n ]\n}\n");
    *len = n;
    return t;
}

Test(scenario, a_long_scenario_is_read_a_step_at_a_time_with_the_files_positions)
{
    size_t len;
    char *t = long_text(500, &len);
    struct scn_errors errs;
    struct scenario *sc = scenario_load("long.json", t, len, &errs);
    cr_assert_not_null(sc, "%s", errs.count ? errs.e[0].message : "?");
    cr_assert_eq(sc->nsteps, 500u);
    cr_assert_eq(sc->steps[0].line, 4u);
    cr_assert_eq(sc->steps[0].col, 3u);
    cr_assert_eq(sc->steps[0].op, OP_ALLOCATE);
    cr_assert_eq(sc->steps[123].line, 127u);
    cr_assert_eq(sc->steps[123].col, 3u);
    cr_assert_str_eq(sc->steps[123].text, "step 123");
    cr_assert_eq(sc->steps[490].op, OP_EXPECT);
    cr_assert_eq(sc->steps[490].col, 5u);
    /* equal expectations are kept once */
    cr_assert_eq(sc->steps[480].expect, sc->steps[490].expect);
    scenario_free(sc);
    /* a mistake in step 301: where a short file would put it */
    char *at = strstr(t, "\"step 301\"");
    cr_assert_not_null(at);
    memcpy(at - 7, "tixt", 4);
    sc = scenario_load("long.json", t, len, &errs);
    cr_assert_null(sc);
    char msg[600];
    scenario_format_error("long.json", &errs.e[0], msg, sizeof msg);
    cr_assert_str_eq(msg, "long.json:305:18: $.steps[301].tixt: unknown field 'tixt', did you mean 'text'?");
    free(t);
}

/* step `i` of a long text (one step a line) replaced by `step`, which must
 * be no longer than the step it replaces, padded with spaces */
static void put_step(char *t, uint32_t i, const char *step)
{
    char was[64];
    snprintf(was, sizeof was, "{\"op\": \"note\", \"text\": \"step %u\"}", i);
    char *at = strstr(t, was);
    cr_assert_not_null(at, "step %u", i);
    size_t n = strlen(step), room = strlen(was);
    cr_assert(n <= room, "%s is longer than %s", step, was);
    memcpy(at, step, n);
    memset(at + n, ' ', room - n);
}

Test(scenario, a_long_scenarios_steps_decode_escapes_and_count_characters)
{
    size_t len;
    char *t = long_text(500, &len);
    put_step(t, 251, "{\"op\":\"note\",\"text\":\"\\u00e9\\\"\\n\"}");
    put_step(t, 252, "{\"text\":\"caf\xc3\xa9\",\"op\":\"note\"}");
    struct scn_errors errs;
    struct scenario *sc = scenario_load("long.json", t, len, &errs);
    cr_assert_not_null(sc, "%s", errs.count ? errs.e[0].message : "?");
    cr_assert_str_eq(sc->steps[251].text, "\xc3\xa9\"\n", "escapes decoded as in a short file");
    cr_assert_str_eq(sc->steps[252].text, "caf\xc3\xa9");
    cr_assert_str_eq(sc->steps[253].text, "step 253");
    cr_assert_eq(sc->steps[253].line, 257u);
    scenario_free(sc);
    /* a mistake after a two-byte character: its column counts characters (27, not byte 28) */
    put_step(t, 301, "{\"op\":\"note\",\"text\":\"\xc3\xa9\",\"txet\":1}");
    cr_assert_null(scenario_load("long.json", t, len, &errs));
    char msg[600];
    scenario_format_error("long.json", &errs.e[0], msg, sizeof msg);
    cr_assert_str_eq(msg, "long.json:305:27: $.steps[301].txet: unknown field 'txet', did you mean 'text'?");
    free(t);
}

Test(scenario, the_step_limit_is_told_before_any_step_is_read, SLOW(120))
{
    /* 10,000,001 empty steps: each would be an error, but the count comes first */
    const char *head = "{\"name\": \"n\", \"description\": \"d\", \"steps\": [";
    size_t hl = strlen(head), items = (size_t)SCN_MAX_STEPS + 1, len = hl + items * 3 + 1;
    char *t = malloc(len);
    cr_assert_not_null(t);
    memcpy(t, head, hl);
    for (size_t i = 0; i < items; i++)
        memcpy(t + hl + i * 3, "{},", 3);
    t[len - 2] = ']';
    t[len - 1] = '}';
    struct scn_errors errs;
    struct scenario *sc = scenario_load("many.json", t, len, &errs);
    cr_assert_null(sc);
    cr_assert_eq(errs.count, 1u);
    char msg[600];
    scenario_format_error("many.json", &errs.e[0], msg, sizeof msg);
    cr_assert_str_eq(msg, "many.json:1:44: $.steps: too many steps (10000001, at most 10000000)");
    free(t);
}

/* Reading steps is linear in their count: 200,000 notes (each note's number
 * needs the end of its run of notes) and 50,000 processes created and
 * terminated (each name looked up, the running ones counted) took 27 s and
 * 10 s when each step walked the steps or names before it. */
static char *many_steps_text(uint32_t notes, uint32_t processes, size_t *len)
{
    size_t cap = (size_t)notes * 24 + (size_t)processes * 96 + 256, n = 0;
    char *t = malloc(cap);
    cr_assert_not_null(t);
    n += (size_t)snprintf(t + n, cap - n, "{\"name\":\"m\",\"description\":\"d\",\"machine\":{\"frames\":64},"
                          "\"processes\":[{\"name\":\"p\"}],\"steps\":[");
    for (uint32_t i = 0; i < notes; i++)
        n += (size_t)snprintf(t + n, cap - n, "%s{\"op\":\"note\",\"text\":\"x\"}", n && t[n - 1] == '}' ? "," : "");
    for (uint32_t i = 0; i < processes; i++)
        n += (size_t)snprintf(t + n, cap - n, "%s{\"op\":\"create_process\",\"name\":\"q%u\"},"
                              "{\"op\":\"terminate\",\"process\":\"q%u\"}", t[n - 1] == '}' ? "," : "", i, i);
    n += (size_t)snprintf(t + n, cap - n, "]}");
    *len = n;
    return t;
}

Test(scenario, many_notes_and_processes_are_read_in_linear_time, SLOW(15))
{
    size_t len;
    char *text = many_steps_text(200000, 50000, &len);
    struct scn_errors errs;
    struct scenario *sc = scenario_load("t.json", text, len, &errs);
    cr_assert_not_null(sc, "%s", errs.count ? errs.e[0].message : "");
    cr_assert_eq(sc->nsteps, 300000u);
    cr_assert_eq(sc->nprocess_names, 50001u);
    cr_assert_str_eq(sc->process_names[50000], "q49999");
    cr_assert_eq(sc->steps[0].number, 1u, "the run of notes introduces the first operation");
    cr_assert_eq(sc->steps[199999].number, 1u);
    cr_assert_eq(sc->steps[200000].number, 1u);
    cr_assert_eq(sc->steps[299999].number, 100000u);
    scenario_free(sc);
    free(text);
}

Test(scenario, a_name_used_again_after_terminate_is_the_same_process)
{
    struct scn_errors errs;
    struct scenario *sc = load("{\"name\":\"m\",\"description\":\"d\",\"machine\":{\"frames\":64,\"max_processes\":2},"
                               "\"processes\":[{\"name\":\"p\"}],\"steps\":["
                               "{\"op\":\"create_process\",\"name\":\"q\"},{\"op\":\"terminate\",\"process\":\"q\"},"
                               "{\"op\":\"create_process\",\"name\":\"q\"},{\"op\":\"terminate\",\"process\":\"p\"},"
                               "{\"op\":\"create_process\",\"name\":\"r\"}]}", &errs);
    cr_assert_not_null(sc, "%s", errs.count ? errs.e[0].message : "");
    cr_assert_eq(sc->nprocess_names, 3u, "p, q once, r");
    cr_assert_eq(sc->steps[2].process, sc->steps[0].process);
    scenario_free(sc);
    expect_error("{\"name\":\"m\",\"description\":\"d\",\"machine\":{\"frames\":64,\"max_processes\":2},"
                 "\"processes\":[{\"name\":\"p\"}],\"steps\":["
                 "{\"op\":\"create_process\",\"name\":\"q\"},{\"op\":\"create_process\",\"name\":\"r\"}]}",
                 "t.json:1:174: $.steps[1].name: more than 2 process(es) would run at once (machine.max_processes)");
}

/* A JSON number is read from its text, exactly: a whole number however
 * written is taken, anything else is refused quoting the text. */
Test(scenario, a_json_number_is_read_as_written)
{
    const char *whole[] = {"64", "64.0", "6400e-2", "0.64e2", "64.000000000000000000000", "640000000000000000000e-19"};
    for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++) {
        char text[300];
        snprintf(text, sizeof text, "{\"name\":\"m\",\"description\":\"d\",\"machine\":{\"frames\":%s},"
                 "\"processes\":[{\"name\":\"p\"}],\"steps\":[]}", whole[i]);
        struct scn_errors errs;
        struct scenario *sc = load(text, &errs);
        cr_assert_not_null(sc, "%s: %s", whole[i], errs.count ? errs.e[0].message : "");
        cr_assert_eq(sc->config.frames, 64u, "%s", whole[i]);
        scenario_free(sc);
    }
    expect_error("{\"name\":\"m\",\"description\":\"d\",\"machine\":{\"frames\":64.5},"
                 "\"processes\":[{\"name\":\"p\"}],\"steps\":[]}",
                 "t.json:1:51: $.machine.frames: expected a whole number, found 64.5");
    expect_error("{\"name\":\"m\",\"description\":\"d\",\"machine\":{\"frames\":2E+6},"
                 "\"processes\":[{\"name\":\"p\"}],\"steps\":[]}",
                 "t.json:1:51: $.machine.frames: 2E+6 (0x1E8480) is out of range: expected 16 to 1048576");
    expect_error("{\"name\":\"m\",\"description\":\"d\",\"machine\":{\"frames\":-5},"
                 "\"processes\":[{\"name\":\"p\"}],\"steps\":[]}",
                 "t.json:1:51: $.machine.frames: -5 is out of range: expected 16 to 1048576");
}
