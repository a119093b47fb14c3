/*
 * test_win_backend.c - the Windows backend (nt/win_backend.c) and the
 * lists/purge/compare commands on it, over the stand-in for winapi.h
 * (fake_winapi.c): what is sent for each operation, which privilege is
 * enabled first, what an unelevated prompt can and cannot do, how a
 * short ReturnLength, an informational status, Wine and Windows 11 are
 * handled, and the exact messages a user reads. On Linux this is where
 * the real backend's decisions are tested; the Wine run adds that the
 * .exe links and reports errors, nothing about a real purge.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "fake_winapi.h"
#include "memlist.h"
#include "ntcmd.h"
#include "recorded.h"

static const struct nt_priv_steps unelevated = {.open_ok = true, .lookup_ok = true, .adjust_ok = true,
                                                 .adjust_error = REC_ERROR_NOT_ALL_ASSIGNED};

static struct nt_backend *open_fake(void)
{
    char why[300] = "";
    struct nt_backend *b = nt_win_open(why, sizeof why);
    cr_assert_not_null(b, "%s", why);
    return b;
}

TestSuite(nt_win, .init = fake_reset);

/* ---- What the backend is ---- */

Test(nt_win, describes_the_windows_it_runs_on)
{
    struct nt_backend *b = open_fake();
    cr_expect_str_eq(b->description, "Windows 10 (10.0.19045)");
    cr_expect(b->real);
    cr_expect_not(b->wine);
    nt_close(b);
    fake.build = 22631;
    b = open_fake();
    cr_expect_str_eq(b->description, "Windows 11 (10.0.22631)");
    nt_close(b);
    fake.version_fails = true;
    b = open_fake();
    cr_expect_str_eq(b->description, "Windows (version unknown: RtlGetVersion failed)");
    nt_close(b);
    fake.wine = "8.0";
    b = open_fake();
    cr_expect_str_eq(b->description, "Wine 8.0");
    cr_expect(b->wine);
    nt_close(b);
}

Test(nt_win, no_backend_without_the_ntdll_functions)
{
    char why[300];
    fake.exports = false;
    cr_expect_null(nt_win_open(why, sizeof why));
    cr_expect_str_eq(why, "ntdll.dll does not export NtQuerySystemInformation and NtSetSystemInformation");
}

/* ---- The query ---- */

Test(nt_win, the_query_works_unelevated)
{
    fake.priv = unelevated;
    struct nt_backend *b = open_fake();
    struct nt_counts c;
    struct nt_result r;
    cr_assert(nt_query(b, &c, &r));
    cr_expect_eq(r.outcome, NT_DONE);
    cr_expect_str_eq(r.privilege, "SeProfileSingleProcessPrivilege", "tried first");
    cr_expect_not(r.privilege_enabled);
    cr_expect_eq(fake.queries, 1);
    cr_expect_eq(fake.query_length, REC_SYSTEM_MEMORY_LIST_INFORMATION_X64);
    cr_expect(fake.query_buffer_was_zeroed);
    cr_expect_eq(c.fields, 22);
    cr_expect_eq(c.lists.zero_page_count, 300000);
    cr_expect_eq(c.lists.page_count_by_priority[5], 1200000);
    cr_expect_eq(c.lists.modified_page_count_page_file, 55000);
    cr_expect_eq(c.total_pages, 4194304);
    nt_close(b);
}

Test(nt_win, the_query_reads_what_return_length_covers)
{
    fake.query_filled = 21 * 8;   /* Windows 7: no ModifiedPageCountPageFile */
    struct nt_backend *b = open_fake();
    struct nt_counts c;
    struct nt_result r;
    cr_assert(nt_query(b, &c, &r));
    cr_expect_eq(c.fields, 21);
    cr_expect_eq(c.lists.modified_page_count_page_file, 0);
    nt_close(b);
}

Test(nt_win, an_unknown_layout_is_not_read)
{
    fake.query_filled = 40;
    struct nt_backend *b = open_fake();
    struct nt_counts c;
    struct nt_result r;
    cr_expect_not(nt_query(b, &c, &r));
    cr_expect_eq(r.outcome, NT_BAD_REPLY);
    cr_expect_str_eq(r.why, "it reported 40 bytes filled, and the layouts mmsim knows fill 168 (before Windows 8) or 176");
    nt_close(b);
}

Test(nt_win, success_is_nt_success)
{
    fake.query_status = 0x40000000u;   /* informational: still a success */
    struct nt_backend *b = open_fake();
    struct nt_counts c;
    struct nt_result r;
    cr_expect(nt_query(b, &c, &r));
    cr_expect_eq(r.status, 0x40000000u);
    fake.query_status = 0x80000005u;   /* a warning is not */
    cr_expect_not(nt_query(b, &c, &r));
    cr_expect_eq(r.outcome, NT_FAILED);
    cr_expect_eq(r.status, 0x80000005u);
    nt_close(b);
}

/* ---- The operations ---- */

Test(nt_win, each_operation_sends_its_class_and_buffer_after_its_privilege)
{
    static const struct {
        enum nt_op op;
        uint32_t cls, length, command;
        const char *privilege;
    } want[] = {
        {NT_OP_CAPTURE_ACCESSED_BITS, 80, 4, 0, "SeProfileSingleProcessPrivilege"},
        {NT_OP_CAPTURE_AND_RESET_ACCESSED_BITS, 80, 4, 1, "SeProfileSingleProcessPrivilege"},
        {NT_OP_EMPTY_WORKING_SETS, 80, 4, 2, "SeProfileSingleProcessPrivilege"},
        {NT_OP_FLUSH_MODIFIED, 80, 4, 3, NULL},
        {NT_OP_PURGE_STANDBY, 80, 4, 4, "SeProfileSingleProcessPrivilege"},
        {NT_OP_PURGE_LOW_PRIORITY_STANDBY, 80, 4, 5, "SeProfileSingleProcessPrivilege"},
        {NT_OP_EMPTY_FILE_CACHE, 81, REC_SYSTEM_FILECACHE_INFORMATION_X64, 0, "SeIncreaseQuotaPrivilege"},
        {NT_OP_COMBINE_PAGES, 130, REC_MEMORY_COMBINE_INFORMATION_EX_X64, 0, "SeProfileSingleProcessPrivilege"},
    };
    fake.pages_combined = 1234;
    struct nt_backend *b = open_fake();
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        struct nt_result r;
        uint64_t combined = 0;
        int privileges = fake.privileges;
        cr_expect(nt_run(b, want[i].op, &combined, &r), "%s", nt_op_name(want[i].op));
        cr_expect_eq(r.outcome, NT_DONE);
        cr_expect_eq(fake.sets, (int)i + 1);
        cr_expect_eq(fake.set_class[i], want[i].cls, "%s", nt_op_name(want[i].op));
        cr_expect_eq(fake.set_length[i], want[i].length, "%s", nt_op_name(want[i].op));
        if (want[i].cls == 80)
            cr_expect_eq(fake.set_command[i], want[i].command);
        if (want[i].privilege) {
            cr_expect_eq(fake.privileges, privileges + 1);
            cr_expect_str_eq(fake.privilege[privileges], want[i].privilege);
        } else {
            cr_expect_eq(fake.privileges, privileges, "flush-modified needs no privilege");
        }
        if (want[i].op == NT_OP_COMBINE_PAGES)
            cr_expect_eq(combined, 1234);
    }
    nt_close(b);
}

Test(nt_win, unelevated_a_command_that_needs_the_privilege_is_not_sent)
{
    fake.priv = unelevated;
    struct nt_backend *b = open_fake();
    struct nt_result r;
    cr_expect_not(nt_run(b, NT_OP_PURGE_STANDBY, NULL, &r));
    cr_expect_eq(r.outcome, NT_NO_PRIVILEGE);
    cr_expect_eq(fake.sets, 0);
    cr_expect_eq(r.priv.adjust_error, REC_ERROR_NOT_ALL_ASSIGNED);
    /* flush-modified needs none: it goes */
    cr_expect(nt_run(b, NT_OP_FLUSH_MODIFIED, NULL, &r));
    cr_expect_eq(fake.sets, 1);
    cr_expect_eq(fake.set_command[0], REC_MemoryFlushModifiedList);
    nt_close(b);
}

Test(nt_win, a_failed_call_keeps_its_status)
{
    fake.set_status[0] = REC_STATUS_INVALID_PARAMETER;
    struct nt_backend *b = open_fake();
    struct nt_result r;
    cr_expect_not(nt_run(b, NT_OP_PURGE_STANDBY, NULL, &r));
    cr_expect_eq(r.outcome, NT_FAILED);
    cr_expect_eq(r.status, REC_STATUS_INVALID_PARAMETER);
    cr_expect(r.privilege_enabled);
    nt_close(b);
}

Test(nt_win, wine_is_never_sent_a_command)
{
    fake.wine = "8.0";
    struct nt_backend *b = open_fake();
    for (unsigned op = 0; op < NT_OP_COUNT; op++) {
        struct nt_result r;
        cr_expect_not(nt_run(b, (enum nt_op)op, NULL, &r));
        cr_expect_eq(r.outcome, NT_NOT_SENT);
        cr_expect_str_eq(r.why, "Wine's NtSetSystemInformation reports success for every class and does nothing");
    }
    cr_expect_eq(fake.sets, 0);
    nt_close(b);
}

/* ---- The commands over it ---- */

/* Run an mmsim subcommand; checks the exit status, returns stdout and
 * stderr in *out and *err. */
static void run(int (*fn)(int, char **), int want, const char *const *argv, char **out, char **err)
{
    int rc = capture(fn, argv, out, err);
    cr_expect_eq(rc, want, "exit %d, expected %d; stderr: %s", rc, want, *err);
}

Test(nt_win, lists_real_unelevated)
{
    fake.priv = unelevated;
    char *out, *err;
    run(ntcmd_lists, 0, (const char *const[]){"--real", NULL}, &out, &err);
    cr_expect(strncmp(out, "Memory lists of this machine: Windows 10 (10.0.19045), 4194304 pages of 4 KiB\n",
                      strlen("Memory lists of this machine: Windows 10 (10.0.19045), 4194304 pages of 4 KiB\n")) == 0,
              "%s", out);
    cr_expect(strstr(out, "Modified to page file           55000        214.8\n"), "%s", out);
    cr_expect(strstr(out, "Active (on no list)           2214304       8649.6\n"), "%s", out);
    cr_expect(strstr(out, "nonpaged pool"), "%s", out);
    cr_expect_str_eq(err, "");
    free(out);
    free(err);
}

Test(nt_win, lists_real_before_windows_8)
{
    fake.query_filled = 21 * 8;
    char *out, *err;
    run(ntcmd_lists, 0, (const char *const[]){"--real", NULL}, &out, &err);
    cr_expect(strstr(out, "Modified to page file               -            -\n"), "%s", out);
    cr_expect(strstr(out, "-: not reported by this Windows (ModifiedPageCountPageFile exists from Windows 8 on).\n"),
              "%s", out);
    free(out);
    free(err);
}

Test(nt_win, lists_real_json_under_wine)
{
    fake.wine = "8.0";
    fake.query_status = REC_STATUS_INVALID_INFO_CLASS;
    char *out, *err;
    run(ntcmd_lists, NTCMD_EXIT_REAL_FAILED, (const char *const[]){"--real", "--json", NULL}, &out, &err);
    cr_expect_str_eq(out, "{\"command\":\"lists\",\"machine\":\"real\",\"backend\":\"Wine 8.0\",\"page_size\":4096,"
                          "\"query\":{\"outcome\":\"failed\",\"call\":\"NtQuerySystemInformation("
                          "SystemMemoryListInformation)\",\"status\":\"STATUS_INVALID_INFO_CLASS\",\"ntstatus\":"
                          "\"0xC0000003\",\"win32_error\":87,\"privilege\":\"SeProfileSingleProcessPrivilege\","
                          "\"privilege_enabled\":true,\"advice\":\"Wine does not implement the memory lists; there are "
                          "no real counts to show.\"},\"lists\":null}\n");
    cr_expect_str_eq(err, "mmsim lists: reading the memory lists: NtQuerySystemInformation(SystemMemoryListInformation) "
                          "on Wine 8.0 returned STATUS_INVALID_INFO_CLASS (0xC0000003; Win32 error 87, "
                          "ERROR_INVALID_PARAMETER).\n"
                          "Wine does not implement the memory lists; there are no real counts to show.\n");
    free(out);
    free(err);
}

Test(nt_win, a_failed_query_names_the_privilege_step_too)
{
    fake.priv = unelevated;
    fake.query_status = REC_STATUS_ACCESS_DENIED;
    char *out, *err;
    run(ntcmd_lists, NTCMD_EXIT_REAL_FAILED, (const char *const[]){"--real", NULL}, &out, &err);
    cr_expect_str_eq(out, "");
    cr_expect_str_eq(err, "mmsim lists: reading the memory lists: NtQuerySystemInformation(SystemMemoryListInformation) "
                          "on Windows 10 (10.0.19045) returned STATUS_ACCESS_DENIED (0xC0000022; Win32 error 5, "
                          "ERROR_ACCESS_DENIED).\n"
                          "(Before the call, AdjustTokenPrivileges could not enable SeProfileSingleProcessPrivilege: "
                          "ERROR_NOT_ALL_ASSIGNED (Win32 error 1300): this prompt is not elevated.)\n"
                          "Access was denied: run mmsim from an elevated prompt (Run as administrator).\n");
    free(out);
    free(err);
}

Test(nt_win, purge_real_unelevated_reports_the_privilege_step)
{
    fake.priv = unelevated;
    char *out, *err;
    run(ntcmd_purge, NTCMD_EXIT_REAL_FAILED, (const char *const[]){"--real", "--yes", "all", NULL}, &out, &err);
    cr_expect_eq(fake.sets, 0, "nothing was sent");
    cr_expect_str_eq(err, "mmsim purge: step 1 of 3 (empty-working-sets) was not sent to Windows 10 (10.0.19045): "
                          "AdjustTokenPrivileges could not enable SeProfileSingleProcessPrivilege: "
                          "ERROR_NOT_ALL_ASSIGNED (Win32 error 1300): this prompt is not elevated.\n"
                          "Run mmsim from an elevated prompt (right-click the terminal, Run as administrator); this "
                          "step changed nothing.\n"
                          "The 2 operation(s) after it were not run.\n");
    cr_expect_null(strstr(err, "STATUS_"), "no NTSTATUS that no NT call returned");
    const char *head = "mmsim purge all on this machine: Windows 10 (10.0.19045)\nlist (pages)";
    cr_expect(strncmp(out, head, strlen(head)) == 0, "%s", out);
    cr_expect_null(strstr(out, ": done"), "%s", out);
    free(out);
    free(err);
}

Test(nt_win, purge_real_unelevated_flush_modified_runs)
{
    fake.priv = unelevated;
    char *out, *err;
    run(ntcmd_purge, 0, (const char *const[]){"--real", "--yes", "flush-modified", NULL}, &out, &err);
    cr_expect_eq(fake.sets, 1);
    cr_expect_eq(fake.set_command[0], REC_MemoryFlushModifiedList);
    cr_expect(strstr(out, "1. flush-modified: done (write the modified list out; its pages go to standby)\n"), "%s",
              out);
    cr_expect_str_eq(err, "");
    free(out);
    free(err);
}

Test(nt_win, purge_real_needs_yes_before_anything_runs)
{
    char *out, *err;
    run(ntcmd_purge, 2, (const char *const[]){"--real", "all", NULL}, &out, &err);
    cr_expect_eq(fake.queries, 0);
    cr_expect_eq(fake.sets, 0);
    cr_expect_str_eq(err, "mmsim purge --real acts on every process of this machine: add --yes to confirm\n"
                          "run 'mmsim purge --help' for the options\n");
    free(out);
    free(err);
}

Test(nt_win, purge_real_json_steps)
{
    fake.set_status[1] = REC_STATUS_INVALID_PARAMETER;
    char *out, *err;
    run(ntcmd_purge, NTCMD_EXIT_REAL_FAILED, (const char *const[]){"--real", "--yes", "--json", "all", NULL}, &out,
        &err);
    cr_expect(strstr(out, "\"done\":false,\"steps\":[{\"op\":\"empty-working-sets\",\"outcome\":\"done\""), "%s", out);
    cr_expect(strstr(out, "{\"op\":\"flush-modified\",\"outcome\":\"failed\",\"call\":\"NtSetSystemInformation("
                          "SystemMemoryListInformation, MemoryFlushModifiedList)\",\"status\":"
                          "\"STATUS_INVALID_PARAMETER\",\"ntstatus\":\"0xC000000D\",\"win32_error\":87,"),
              "%s", out);
    cr_expect(strstr(out, "{\"op\":\"purge-standby\",\"outcome\":\"not_run\"}]"), "%s", out);
    free(out);
    free(err);
}

Test(nt_win, compare_reads_only_without_yes)
{
    fake.priv = unelevated;
    char *out, *err;
    run(ntcmd_compare, 0, (const char *const[]){NULL}, &out, &err);
    cr_expect_eq(fake.sets, 0);
    cr_expect_eq(fake.queries, 1);
    cr_expect(strstr(out, "real:      Windows 10 (10.0.19045), read only: the commands were not run"), "%s", out);
    cr_expect_str_eq(err, "");
    free(out);
    free(err);
}

Test(nt_win, compare_yes_runs_and_stops_truthfully)
{
    fake.set_status[2] = REC_STATUS_INSUFFICIENT_RESOURCES;
    char *out, *err;
    run(ntcmd_compare, NTCMD_EXIT_REAL_FAILED, (const char *const[]){"--yes", NULL}, &out, &err);
    cr_expect_eq(fake.sets, 3);
    cr_expect(strstr(out, "real:      Windows 10 (10.0.19045): stopped after 2 of 3 operations (see the messages "
                          "above)\n"), "%s", out);
    cr_expect_null(strstr(out, "did not run"), "%s", out);
    cr_expect(strstr(err, "The 2 operation(s) before it were done on Windows 10 (10.0.19045).\n"), "%s", err);
    free(out);
    free(err);
}

Test(nt_win, compare_refuses_what_the_simulator_cannot_run_before_anything_real)
{
    char *out, *err;
    run(ntcmd_compare, 2, (const char *const[]){"--yes", "empty-working-sets,empty-file-cache", NULL}, &out, &err);
    cr_expect_eq(fake.queries, 0);
    cr_expect_eq(fake.sets, 0);
    cr_expect_str_eq(out, "");
    cr_expect_str_eq(err, "mmsim compare: the simulator cannot run empty-file-cache: it has no system file cache; run "
                          "it alone with 'mmsim purge --real --yes'\n"
                          "run 'mmsim compare --help' for the options\n");
    free(out);
    free(err);
}

Test(nt_win, compare_yes_under_wine_sends_nothing)
{
    fake.wine = "8.0";   /* a Wine that could read the lists */
    char *out, *err;
    run(ntcmd_compare, NTCMD_EXIT_REAL_FAILED, (const char *const[]){"--yes", "purge-standby", NULL}, &out, &err);
    cr_expect_eq(fake.sets, 0);
    cr_expect_str_eq(err, "mmsim compare: step 1 of 1 (purge-standby) was not sent to Wine 8.0: Wine's "
                          "NtSetSystemInformation reports success for every class and does nothing.\n"
                          "Wine does not implement the memory lists; nothing was purged.\n");
    cr_expect(strstr(out, "real:      Wine 8.0: stopped after 0 of 1 operations"), "%s", out);
    free(out);
    free(err);
}
