/*
 * test_tables.c - the tables of ops and expectation kinds agree with their
 * readers: a step or an expectation with every field of its row loads; one
 * without an optional field loads too; one without a required field is
 * refused, with the message that names the field. (tests/check_format.py
 * holds the same tables against the schema and the format doc.)
 */
#include <stdio.h>
#include <string.h>

#include "scenario.h"
#include "support.h"

/* A value that the field of this name accepts wherever it appears, unless
 * "kind.field" gives one for that kind. A new field needs one here. */
static const struct { const char *field, *value; } samples[] = {
    {"process", "\"p\""}, {"address", "\"0x10000\""}, {"size", "4096"}, {"protect", "\"PAGE_READWRITE\""},
    {"value", "1"}, {"text", "\"t\""}, {"name", "\"q\""}, {"ws_minimum", "1"}, {"ws_maximum", "100"},
    {"priority", "1"}, {"modified_no_write", "false"}, {"access", "\"read\""}, {"pages", "1"},
    {"thread", "\"zero_page\""}, {"count", "1"}, {"command", "0"}, {"minimum", "1"}, {"maximum", "2"},
    {"frame", "1"}, {"form", "\"valid\""}, {"protection", "\"PAGE_READWRITE\""}, {"pagefile", "0"},
    {"offset", "1"}, {"accessed", "true"}, {"dirty", "true"}, {"list", "\"active\""}, {"share_count", "1"},
    {"reference_count", "1"}, {"original_pte", "0"}, {"pte_address", "0"}, {"modified", "false"},
    {"contains", "[\"0x10000\"]"}, {"excludes", "[\"0x20000\"]"}, {"file", "0"}, {"used", "0"},
    {"charge", "0"}, {"total", "0"}, {"limit", "0"}, {"peak", "0"}, {"ws_hard_minimum", "false"},
    {"ws_hard_maximum", "false"}, {"hard_minimum", "true"}, {"hard_maximum", "false"}, {"stack_reserve", "\"64K\""},
    {"stack_commit", "4096"}, {"locked", "3"}, {"page_tables", "1"}, {"data", "1"}, {"hits", "1"},
    {"misses", "1"}, {"flushes", "1"}, {"section", "\"s\""}, {"image", "true"}, {"code_size", "4096"},
    {"no_write", "false"}, {"page", "0"}, {"exists", "true"}, {"open", "true"}, {"views", "1"}, {"resident", "1"},
    {"reads", "0"}, {"writes", "0"}, {"prototype", "true"},
    {"create_section.file", "\"f\""}, {"file.file", "\"f\""}, {"file.words", "[{\"offset\": 4, \"value\": 1}]"}, {"proto.form", "\"subsection\""},
    {"create_thread.address", "\"0x20000\""}, {"pagefile.size", "64"},
    /* where a name means something else: "kind.field" */
    {"lists.zeroed", "1"}, {"lists.free", "1"}, {"lists.standby", "1"}, {"lists.modified", "1"},
    {"lists.modified_no_write", "1"}, {"lists.bad", "1"}, {"lists.active", "1"}, {"lists.available", "1"},
    {"lists.modified_pagefile", "1"},
};

static const char *sample(const char *kind, const char *field)
{
    char scoped[64];
    snprintf(scoped, sizeof scoped, "%s.%s", kind, field);
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++)
        if (strcmp(samples[i].field, scoped) == 0)
            return samples[i].value;
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++)
        if (strcmp(samples[i].field, field) == 0)
            return samples[i].value;
    if (field[0] >= '0' && field[0] <= '9' && !field[1])
        return "1";   /* a count at a standby priority */
    cr_assert_fail("no sample value for the field '%s': add one to samples[]", field);
    return "0";
}

/* The fields as the members of a JSON object, leaving out fields[skip]:
 * "\"a\": 1, \"b\": 2". */
static void members(char *out, size_t size, const char *kind, const struct scn_field *fields, int skip)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; fields[i].name; i++)
        if (i != skip)
            len += (size_t)snprintf(out + len, size - len, "%s\"%s\": %s", len ? ", " : "", fields[i].name,
                                    sample(kind, fields[i].name));
}

/* Load a scenario of one step after a create_section of "s" (a file "f"
 * declared); its first error message, or "" when it loads. */
static void load_step(const char *step, char *message, size_t size)
{
    char text[2048];
    snprintf(text, sizeof text, "{\"name\": \"t\", \"description\": \"d\", \"machine\": {\"frames\": 64}, "
                                "\"processes\": [{\"name\": \"p\"}], \"files\": [{\"name\": \"f\", \"size\": \"8K\"}], "
                                "\"steps\": [{\"op\": \"create_section\", \"name\": \"s\", \"size\": \"8K\"}, %s]}", step);
    struct scn_errors errs;
    struct scenario *sc = scenario_load("t.json", text, strlen(text), &errs);
    snprintf(message, size, "%s", sc ? "" : errs.e[0].message);
    scenario_free(sc);
}

Test(tables, every_op_reads_the_fields_of_its_row)
{
    for (int op = 0; op < OP_COUNT; op++) {
        const char *name = scenario_op_name((enum scn_op)op);
        const struct scn_field *f = scenario_op_fields((enum scn_op)op);
        if (op == OP_EXPECT)
            continue;   /* its keys are the expectation kinds, below */
        for (int skip = -1; skip < 0 || f[skip].name; skip++) {
            char fields[900], step[1024], message[400];
            members(fields, sizeof fields, name, f, skip);
            snprintf(step, sizeof step, "{\"op\": \"%s\"%s%s}", name, fields[0] ? ", " : "", fields);
            load_step(step, message, sizeof message);
            if (skip < 0 || !f[skip].required) {
                cr_expect_str_empty(message, "%s: %s", step, message);
            } else {
                char needs[100];
                snprintf(needs, sizeof needs, "%s needs \"%s\"", name, f[skip].name);
                cr_expect_str_eq(message, needs, "%s", step);
            }
        }
    }
}

Test(tables, every_expectation_reads_the_fields_of_its_row)
{
    for (uint32_t k = 0; k < scenario_expect_count(); k++) {
        const char *name = scenario_expect_name(k);
        const struct scn_field *f = scenario_expect_fields(k);
        if (!f)
            continue;
        for (int skip = -1; skip < 0 || f[skip].name; skip++) {
            char fields[900], step[1024], message[400], quoted[40];
            members(fields, sizeof fields, name, f, skip);
            snprintf(step, sizeof step, "{\"op\": \"expect\", \"%s\": {%s}}", name, fields);
            load_step(step, message, sizeof message);
            snprintf(quoted, sizeof quoted, "\"%s\"", skip >= 0 ? f[skip].name : "");
            if (skip >= 0 && strcmp(name, "commit") == 0 && strcmp(f[skip].name, "process") == 0)
                cr_expect_str_eq(message, "\"charge\" is a process's: add \"process\"", "%s", step);
            else if (skip < 0 || !f[skip].required)
                cr_expect_str_empty(message, "%s: %s", step, message);
            else   /* "needs \"process\" and \"address\"", "needs \"frame\"", ... */
                cr_expect(strstr(message, "needs") && strstr(message, quoted), "%s: %s", step, message);
        }
    }
}

Test(tables, names_are_unique_and_the_accessors_stop_at_the_end)
{
    for (int a = 0; a < OP_COUNT; a++)
        for (int b = a + 1; b < OP_COUNT; b++)
            cr_expect_str_neq(scenario_op_name((enum scn_op)a), scenario_op_name((enum scn_op)b));
    for (uint32_t a = 0; a < scenario_expect_count(); a++)
        for (uint32_t b = a + 1; b < scenario_expect_count(); b++)
            cr_expect_str_neq(scenario_expect_name(a), scenario_expect_name(b));
    cr_expect_str_eq(scenario_op_name(OP_COUNT), "?");
    cr_expect_null(scenario_op_fields(OP_COUNT));
    cr_expect_not(scenario_op_returns_status(OP_COUNT));
    cr_expect_null(scenario_expect_name(scenario_expect_count()));
    cr_expect_null(scenario_expect_fields(scenario_expect_count()));
    cr_expect_str_eq(scenario_expect_name(0), "status", "expectations are checked in the order of the table");
    cr_expect(scenario_op_returns_status(OP_WRITE));
    cr_expect_not(scenario_op_returns_status(OP_TICK));
}
