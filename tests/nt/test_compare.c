/*
 * test_compare.c - mmsim compare with a real side, on any host: a test
 * double stands in for this Windows machine's backend (a 16 GiB machine
 * whose standby list refills while the purge runs, as the prefetcher makes
 * a real one do), so the scaling, the table, the notes, the read-only
 * prediction and the reports of a failed step can be checked.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memlist.h"
#include "ntcmd.h"

struct fake {
    int queries;
    int runs;
    int fail_at;           /* the run (1, 2...) that fails; 0: none */
    mm_status fail_run;
};

static bool fake_query(struct nt_backend *b, struct nt_counts *out, struct nt_result *r)
{
    struct fake *f = b->ctx;
    nt_result_init(r, "NtQuerySystemInformation(SystemMemoryListInformation)");
    memset(out, 0, sizeof *out);
    out->total_pages = 4194304;   /* 16 GiB */
    out->fields = 22;
    if (f->queries++ == 0 || f->runs == 0) {
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
    r->outcome = NT_DONE;
    return true;
}

static bool fake_run(struct nt_backend *b, enum nt_op op, uint64_t *pages, struct nt_result *r)
{
    struct fake *f = b->ctx;
    nt_result_init(r, nt_op_call(op));
    if (pages)
        *pages = 0;
    r->status = ++f->runs == f->fail_at ? f->fail_run : STATUS_SUCCESS;
    r->outcome = nt_success(r->status) ? NT_DONE : NT_FAILED;
    return r->outcome == NT_DONE;
}

static void fake_close(struct nt_backend *b) { (void)b; }

static uint32_t fake_win32(struct nt_backend *b, mm_status s)
{
    (void)b;
    return s == STATUS_PRIVILEGE_NOT_HELD ? 1314 : 0;
}

static struct nt_backend fake_backend(struct fake *f)
{
    struct nt_backend b = {.real = true, .query = fake_query, .run = fake_run, .close = fake_close,
                           .win32_error = fake_win32, .ctx = f};
    strcpy(b.description, "Windows 10 (10.0.19045) (test double)");
    return b;
}

/* Run compare (sequence "all") into a string; stderr to *err when not NULL. */
static char *capture_compare(struct nt_backend *b, bool yes, bool json, int *rc, char **err)
{
    enum nt_op ops[NT_MAX_SEQUENCE];
    struct nt_seq_error e;
    size_t n = nt_sequence_parse("all", ops, &e);
    FILE *out = tmpfile(), *errf = tmpfile();
    cr_assert(out && errf);
    fflush(stderr);
    int saved = dup(2);
    dup2(fileno(errf), 2);
    *rc = ntcmd_compare_run(out, b, "", ops, n, yes, json);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char *texts[2];
    FILE *files[2] = {out, errf};
    for (int i = 0; i < 2; i++) {
        long size = ftell(files[i]);
        texts[i] = calloc(1, (size_t)size + 1);
        rewind(files[i]);
        cr_assert_eq(fread(texts[i], 1, (size_t)size, files[i]), (size_t)size);
        fclose(files[i]);
    }
    if (err)
        *err = texts[1];
    else
        free(texts[1]);
    return texts[0];
}

Test(nt_compare, both_sides_scaled_with_notes)
{
    struct fake f = {0};
    struct nt_backend b = fake_backend(&f);
    int rc;
    char *t = capture_compare(&b, true, false, &rc, NULL);
    cr_expect_eq(rc, 0);
    cr_expect_eq(f.runs, 3);
    cr_expect(strstr(t, "real:      Windows 10 (10.0.19045) (test double), before and after the commands\n"), "%s", t);
    cr_expect(strstr(t, "65536 frames (256 MiB) holding the real lists' proportions, scaled down"), "%s", t);
    cr_expect(strstr(t, "Real standby refilled at once"), "%s", t);
    cr_expect(strstr(t, "Real purged pages reached the Zeroed list"), "%s", t);
    cr_expect(strstr(t, "Standby                |    1600000     250000   -1350000 |"), "%s", t);
    cr_expect(strstr(t, "Active (on no list)    |    2214304    2014304    -200000 |"), "%s", t);
    cr_expect_null(strstr(t, "In working sets"), "the row is not working sets on Windows");
    free(t);
}

Test(nt_compare, json_has_both_sides)
{
    struct fake f = {0};
    struct nt_backend b = fake_backend(&f);
    int rc;
    char *t = capture_compare(&b, true, true, &rc, NULL);
    cr_expect_eq(rc, 0);
    cr_expect(strstr(t, "\"real\":{\"available\":true,\"backend\":\"Windows 10 (10.0.19045) (test double)\","
                        "\"confirmed\":true,\"read\":true,\"ran\":true"), "%s", t);
    cr_expect(strstr(t, "\"standby\":1600000"), "%s", t);
    cr_expect(strstr(t, "\"active\":2214304"), "%s", t);
    cr_expect(strstr(t, "\"notes\":[\"The simulated machine is scaled"), "%s", t);
    free(t);
}

/* Without --yes the real machine is only read: no command is sent, the
 * simulated columns are the prediction beside the real counts. */
Test(nt_compare, without_yes_the_real_machine_is_only_read)
{
    struct fake f = {0};
    struct nt_backend b = fake_backend(&f);
    int rc;
    char *err;
    char *t = capture_compare(&b, false, false, &rc, &err);
    cr_expect_eq(rc, 0);
    cr_expect_eq(f.runs, 0, "no real command without --yes");
    cr_expect_eq(f.queries, 1);
    cr_expect(strstr(t, "real:      Windows 10 (10.0.19045) (test double), read only: the commands were not run "
                        "(--yes runs them; they act on every process)\n"), "%s", t);
    cr_expect(strstr(t, "Standby                |    1600000          -          - |"), "%s", t);
    cr_expect(strstr(t, "65536 frames (256 MiB) holding the real lists' proportions"), "%s", t);
    cr_expect(strstr(t, "The simulated columns predict what the sequence would do"), "%s", t);
    cr_expect_null(strstr(t, "What differs"));
    cr_expect_str_eq(err, "");
    free(t);
    free(err);
}

Test(nt_compare, a_failed_real_command_is_reported_as_what_it_was)
{
    struct fake f = {.fail_at = 2, .fail_run = STATUS_PRIVILEGE_NOT_HELD};
    struct nt_backend b = fake_backend(&f);
    int rc;
    char *err;
    char *t = capture_compare(&b, true, false, &rc, &err);
    cr_expect_eq(rc, NTCMD_EXIT_REAL_FAILED);
    cr_expect_eq(f.runs, 2, "the sequence stops at the first failure");
    cr_expect(strstr(t, "real:      Windows 10 (10.0.19045) (test double): stopped after 1 of 3 operations (see the "
                        "messages above)\n"), "%s", t);
    cr_expect_null(strstr(t, "did not run"), "a command did run: %s", t);
    cr_expect_null(strstr(t, "What differs"));
    cr_expect_str_eq(err, "mmsim compare: step 2 of 3 (flush-modified): NtSetSystemInformation(SystemMemoryListInformation, "
                          "MemoryFlushModifiedList) on Windows 10 (10.0.19045) (test double) returned "
                          "STATUS_PRIVILEGE_NOT_HELD (0xC0000061; Win32 error 1314, ERROR_PRIVILEGE_NOT_HELD).\n"
                          "The process does not hold the privilege this call needs: run mmsim from an elevated "
                          "prompt (Run as administrator).\n"
                          "The 1 operation(s) before it were done on Windows 10 (10.0.19045) (test double); the 1 "
                          "after it were not run.\n");
    cr_expect(strstr(t, "65536 frames (256 MiB) holding the real lists' proportions"), "%s", t);
    free(t);
    free(err);
}
