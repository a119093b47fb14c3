/*
 * scenario_tables.c - print the tables of scenario ops and expectation
 * kinds, as the validator holds them, as one JSON object:
 *
 *   {"ops": [{"name": "write", "returns_status": true,
 *             "fields": [{"name": "process", "required": true}, ...]}, ...],
 *    "expectations": [{"name": "pte", "fields": [...]},
 *                     {"name": "status", "fields": null}, ...]}
 *
 * tests/check_format.py compares it with docs/scenario.schema.json and
 * docs/scenario-format.md. Names in the tables are identifiers, so they
 * are printed without escaping; one that is not fails here.
 */
#include <stdio.h>
#include <string.h>

#include "status.h"
#include "scenario.h"

static int print_name(const char *name)
{
    if (strpbrk(name, "\"\\") || strlen(name) == 0) {
        fprintf(stderr, "scenario-tables: a name needs escaping: %s\n", name);
        return 1;
    }
    printf("\"%s\"", name);
    return 0;
}

static int print_fields(const struct scn_field *f)
{
    int bad = 0;
    if (!f) {
        printf("null");
        return 0;
    }
    printf("[");
    for (int i = 0; f[i].name; i++) {
        printf("%s{\"name\": ", i ? ", " : "");
        bad |= print_name(f[i].name);
        printf(", \"required\": %s}", f[i].required ? "true" : "false");
    }
    printf("]");
    return bad;
}

int main(void)
{
    int bad = 0;
    printf("{\"ops\": [\n");
    for (int op = 0; op < OP_COUNT; op++) {
        printf("  {\"name\": ");
        bad |= print_name(scenario_op_name((enum scn_op)op));
        printf(", \"returns_status\": %s, \"fields\": ",
               scenario_op_returns_status((enum scn_op)op) ? "true" : "false");
        bad |= print_fields(scenario_op_fields((enum scn_op)op));
        printf("}%s\n", op + 1 < OP_COUNT ? "," : "");
    }
    printf("], \"expectations\": [\n");
    for (uint32_t k = 0; k < scenario_expect_count(); k++) {
        printf("  {\"name\": ");
        bad |= print_name(scenario_expect_name(k));
        printf(", \"fields\": ");
        bad |= print_fields(scenario_expect_fields(k));
        printf("}%s\n", k + 1 < scenario_expect_count() ? "," : "");
    }
    printf("], \"statuses\": [");
    for (uint32_t i = 0; mm_status_nth_name(i); i++) {
        printf("%s", i ? ", " : "");
        bad |= print_name(mm_status_nth_name(i));
    }
    printf("]}\n");
    return bad;
}
