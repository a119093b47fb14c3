/*
 * test_compare.c - mmsim compare with a real side, on any host: a test
 * double stands in for this Windows machine (a 16 GiB machine whose
 * standby list refills while the purge runs, as the prefetcher makes a
 * real one do), so the scaling, the table and the notes can be checked.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntcmd.h"
#include "memlist.h"

struct fake {
    int queries;
    int runs;
    int fail_at;           /* the run (1, 2...) that fails; 0: none */
    mm_status fail_run;
};

static mm_status fake_query(struct nt_backend *b, struct nt_counts *out)
{
    struct fake *f = b->ctx;
    memset(out, 0, sizeof *out);
    out->total_pages = 4194304;   /* 16 GiB */
    if (f->queries++ == 0) {
        out->lists.zero_page_count = 300000;
        out->lists.free_page_count = 20000;
        out->lists.modified_page_count = 60000;
        out->lists.page_count_by_priority[5] = 1200000;
        out->lists.page_count_by_priority[2] = 400000;
    } else {   /* after: most memory free, but standby already growing back */
        out->lists.zero_page_count = 1500000;
        out->lists.free_page_count = 400000;
        out->lists.modified_page_count = 30000;
        out->lists.page_count_by_priority[5] = 250000;
    }
    return STATUS_SUCCESS;
}

static mm_status fake_run(struct nt_backend *b, enum nt_op op, uint64_t *pages)
{
    struct fake *f = b->ctx;
    (void)op;
    if (pages)
        *pages = 0;
    return ++f->runs == f->fail_at ? f->fail_run : STATUS_SUCCESS;
}

static void fake_close(struct nt_backend *b) { (void)b; }

static char *capture(struct nt_backend *b, bool json, int *rc)
{
    enum nt_op ops[NT_MAX_SEQUENCE];
    const char *bad;
    size_t n = nt_sequence_parse("all", ops, &bad);
    FILE *out = tmpfile();
    cr_assert_not_null(out);
    *rc = ntcmd_compare_run(out, b, "", ops, n, json);
    long size = ftell(out);
    char *text = calloc(1, (size_t)size + 1);
    rewind(out);
    cr_assert_eq(fread(text, 1, (size_t)size, out), (size_t)size);
    fclose(out);
    return text;
}

static struct nt_backend fake_backend(struct fake *f)
{
    struct nt_backend b = {.real = true, .query = fake_query, .run = fake_run, .close = fake_close, .ctx = f};
    strcpy(b.description, "Windows 10.0.19045 (test double)");
    return b;
}

Test(nt_compare, both_sides_scaled_with_notes)
{
    struct fake f = {0};
    struct nt_backend b = fake_backend(&f);
    int rc;
    char *t = capture(&b, false, &rc);
    cr_expect_eq(rc, 0);
    cr_expect_eq(f.runs, 3);
    cr_expect(strstr(t, "real:      Windows 10.0.19045 (test double)"), "%s", t);
    cr_expect(strstr(t, "65536 frames (256 MiB) holding the real lists' proportions, scaled down"), "%s", t);
    cr_expect(strstr(t, "Real standby refilled at once"), "%s", t);
    cr_expect(strstr(t, "Real purged pages reached the Zeroed list"), "%s", t);
    cr_expect(strstr(t, "Standby                |    1600000     250000   -1350000 |"), "%s", t);
    free(t);
}

Test(nt_compare, json_has_both_sides)
{
    struct fake f = {0};
    struct nt_backend b = fake_backend(&f);
    int rc;
    char *t = capture(&b, true, &rc);
    cr_expect_eq(rc, 0);
    cr_expect(strstr(t, "\"real\":{\"backend\":\"Windows 10.0.19045 (test double)\",\"ran\":true"), "%s", t);
    cr_expect(strstr(t, "\"standby\":1600000"), "%s", t);
    cr_expect(strstr(t, "\"notes\":[\"The simulated machine is scaled"), "%s", t);
    free(t);
}

Test(nt_compare, a_failed_real_command_is_not_shown_as_run)
{
    struct fake f = {.fail_at = 2, .fail_run = STATUS_PRIVILEGE_NOT_HELD};
    struct nt_backend b = fake_backend(&f);
    int rc;
    cr_redirect_stderr();
    char *t = capture(&b, false, &rc);
    cr_expect_eq(rc, NTCMD_EXIT_REAL_FAILED);
    cr_expect_eq(f.runs, 2, "the sequence stops at the first failure");
    cr_expect(strstr(t, "real:      did not run"), "%s", t);
    cr_expect_null(strstr(t, "What differs"));
    fflush(stderr);
    cr_expect_stderr_eq_str("mmsim compare: flush-modified on Windows 10.0.19045 (test double) failed: "
                            "STATUS_PRIVILEGE_NOT_HELD (0xC0000061).\n"
                            "The process does not hold the privilege this call needs: run mmsim from an elevated "
                            "prompt (Run as administrator).\n"
                            "The first 1 step(s) did run on Windows 10.0.19045 (test double); the rest did not.\n");
    cr_expect(strstr(t, "65536 frames (256 MiB) holding the real lists' proportions"), "%s", t);
    free(t);
}
