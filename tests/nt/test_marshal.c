/*
 * test_marshal.c - nt/marshal.c and nt/simbuild.c on any host: structure
 * sizes and field order for x86 and x64, the operation table, the
 * status-to-message table, the privilege decision, and the simulated
 * machine built to given proportions. Expected values come from
 * recorded.h, not from nt/.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "marshal.h"
#include "recorded.h"
#include "simbuild.h"

/* ---- Numbers ---- */

Test(nt_numbers, information_classes)
{
    cr_expect_eq(NT_CLASS_MEMORY_LIST, REC_SystemMemoryListInformation);
    cr_expect_eq(NT_CLASS_FILECACHE_EX, REC_SystemFileCacheInformationEx);
    cr_expect_eq(NT_CLASS_COMBINE_PHYSICAL, REC_SystemCombinePhysicalMemoryInformation);
    cr_expect_eq(nt_op_class(NT_OP_PURGE_STANDBY), REC_SystemMemoryListInformation);
    cr_expect_eq(nt_op_class(NT_OP_EMPTY_FILE_CACHE), REC_SystemFileCacheInformationEx);
    cr_expect_eq(nt_op_class(NT_OP_COMBINE_PAGES), REC_SystemCombinePhysicalMemoryInformation);
}

Test(nt_numbers, command_values)
{
    cr_expect_eq(NT_OP_CAPTURE_ACCESSED_BITS, REC_MemoryCaptureAccessedBits);
    cr_expect_eq(NT_OP_CAPTURE_AND_RESET_ACCESSED_BITS, REC_MemoryCaptureAndResetAccessedBits);
    cr_expect_eq(NT_OP_EMPTY_WORKING_SETS, REC_MemoryEmptyWorkingSets);
    cr_expect_eq(NT_OP_FLUSH_MODIFIED, REC_MemoryFlushModifiedList);
    cr_expect_eq(NT_OP_PURGE_STANDBY, REC_MemoryPurgeStandbyList);
    cr_expect_eq(NT_OP_PURGE_LOW_PRIORITY_STANDBY, REC_MemoryPurgeLowPriorityStandbyList);
    cr_expect_eq(MemoryCommandMax, REC_MemoryCommandMax);
}

Test(nt_numbers, privileges)
{
    cr_expect_eq(NT_SE_PROF_SINGLE_PROCESS_LUID, REC_SE_PROF_SINGLE_PROCESS_PRIVILEGE);
    cr_expect_eq(NT_SE_INCREASE_QUOTA_LUID, REC_SE_INCREASE_QUOTA_PRIVILEGE);
    /* what the kernel checks per command (MmIssueMemoryListCommand): all
     * but MemoryFlushModifiedList need SeProfileSingleProcessPrivilege */
    cr_expect_str_eq(nt_op_privilege(NT_OP_CAPTURE_ACCESSED_BITS), "SeProfileSingleProcessPrivilege");
    cr_expect_str_eq(nt_op_privilege(NT_OP_CAPTURE_AND_RESET_ACCESSED_BITS), "SeProfileSingleProcessPrivilege");
    cr_expect_str_eq(nt_op_privilege(NT_OP_EMPTY_WORKING_SETS), "SeProfileSingleProcessPrivilege");
    cr_expect_null(nt_op_privilege(NT_OP_FLUSH_MODIFIED));
    cr_expect_str_eq(nt_op_privilege(NT_OP_PURGE_STANDBY), "SeProfileSingleProcessPrivilege");
    cr_expect_str_eq(nt_op_privilege(NT_OP_PURGE_LOW_PRIORITY_STANDBY), "SeProfileSingleProcessPrivilege");
    cr_expect_str_eq(nt_op_privilege(NT_OP_EMPTY_FILE_CACHE), "SeIncreaseQuotaPrivilege");
    cr_expect_str_eq(nt_op_privilege(NT_OP_COMBINE_PAGES), "SeProfileSingleProcessPrivilege");
    cr_expect_eq(NT_ERROR_NOT_ALL_ASSIGNED, REC_ERROR_NOT_ALL_ASSIGNED);
}

/* ---- Layouts ---- */

Test(nt_layout, memory_list_sizes)
{
    cr_expect_eq(nt_memlist_size(4), REC_SYSTEM_MEMORY_LIST_INFORMATION_X86);
    cr_expect_eq(nt_memlist_size(8), REC_SYSTEM_MEMORY_LIST_INFORMATION_X64);
}

Test(nt_layout, memory_list_field_order)
{
    char name[64];
    for (unsigned i = 0; i < 22; i++) {
        cr_expect_str_eq(nt_memlist_field_name(i, name, sizeof name), rec_memlist_fields[i], "field %u", i);
        cr_expect_eq(nt_memlist_offset(i, 4), i * 4);
        cr_expect_eq(nt_memlist_offset(i, 8), i * 8);
    }
}

/* A buffer whose field i holds a value unique to i (with high bits on x64,
 * so a 4-byte read of an 8-byte field is caught). */
static void fill(unsigned char *buf, unsigned ptr, uint64_t (*value)(unsigned))
{
    for (unsigned i = 0; i < 22; i++)
        for (unsigned b = 0; b < ptr; b++)
            buf[i * ptr + b] = (unsigned char)(value(i) >> (8 * b));
}
static uint64_t v32(unsigned i) { return 0x01000000u * (i + 1) + i; }
static uint64_t v64(unsigned i) { return 0x0000000100000000ull * (i + 1) + 7 * i; }

static void expect_decoded(const struct mm_memory_list_info *d, uint64_t (*value)(unsigned))
{
    cr_expect_eq(d->zero_page_count, value(0));
    cr_expect_eq(d->free_page_count, value(1));
    cr_expect_eq(d->modified_page_count, value(2));
    cr_expect_eq(d->modified_no_write_page_count, value(3));
    cr_expect_eq(d->bad_page_count, value(4));
    for (unsigned p = 0; p < 8; p++) {
        cr_expect_eq(d->page_count_by_priority[p], value(5 + p), "standby %u", p);
        cr_expect_eq(d->repurposed_pages_by_priority[p], value(13 + p), "repurposed %u", p);
    }
    cr_expect_eq(d->modified_page_count_page_file, value(21));
}

Test(nt_layout, decode_x86)
{
    unsigned char buf[88];
    struct mm_memory_list_info d;
    fill(buf, 4, v32);
    unsigned fields;
    cr_assert(nt_memlist_decode(buf, sizeof buf, 4, &d, &fields));
    cr_expect_eq(fields, 22);
    expect_decoded(&d, v32);
}

Test(nt_layout, decode_x64)
{
    unsigned char buf[176];
    struct mm_memory_list_info d;
    fill(buf, 8, v64);
    unsigned fields;
    cr_assert(nt_memlist_decode(buf, sizeof buf, 8, &d, &fields));
    cr_expect_eq(fields, 22);
    expect_decoded(&d, v64);
}

/* Before Windows 8 the structure ends before ModifiedPageCountPageFile:
 * ReturnLength says 21 fields, and the 22nd must not be read. */
Test(nt_layout, decode_what_return_length_covers)
{
    unsigned char buf[176];
    struct mm_memory_list_info d;
    unsigned fields;
    fill(buf, 8, v64);
    cr_assert(nt_memlist_decode(buf, 168, 8, &d, &fields));
    cr_expect_eq(fields, 21);
    cr_expect_eq(d.repurposed_pages_by_priority[7], v64(20));
    cr_expect_eq(d.modified_page_count_page_file, 0, "past ReturnLength: not read");
    fill(buf, 4, v32);
    cr_assert(nt_memlist_decode(buf, 84, 4, &d, &fields));
    cr_expect_eq(fields, 21);
    cr_expect_eq(d.modified_page_count_page_file, 0);
}

Test(nt_layout, decode_refuses_unknown_lengths)
{
    unsigned char buf[176] = {0};
    struct mm_memory_list_info d;
    unsigned fields;
    cr_expect_not(nt_memlist_decode(buf, 0, 8, &d, &fields), "ReturnLength 0");
    cr_expect_not(nt_memlist_decode(buf, 88, 8, &d, &fields), "11 fields: no known layout");
    cr_expect_not(nt_memlist_decode(buf, 160, 8, &d, &fields), "20 fields");
    cr_expect_not(nt_memlist_decode(buf, 174, 8, &d, &fields), "not a whole field");
    cr_expect_not(nt_memlist_decode(buf, 176, 4, &d, &fields), "more than the x86 structure");
    cr_expect_not(nt_memlist_decode(buf, 184, 8, &d, &fields), "more than the x64 structure");
    cr_expect_not(nt_memlist_decode(buf, 88, 2, &d, &fields), "pointer size 2");
}

Test(nt_layout, filecache)
{
    cr_expect_eq(nt_filecache_size(4), REC_SYSTEM_FILECACHE_INFORMATION_X86);
    cr_expect_eq(nt_filecache_size(8), REC_SYSTEM_FILECACHE_INFORMATION_X64);
    cr_expect_eq(nt_filecache_min_offset(4), REC_FILECACHE_MIN_X86);
    cr_expect_eq(nt_filecache_max_offset(4), REC_FILECACHE_MAX_X86);
    cr_expect_eq(nt_filecache_min_offset(8), REC_FILECACHE_MIN_X64);
    cr_expect_eq(nt_filecache_max_offset(8), REC_FILECACHE_MAX_X64);
    for (unsigned ptr = 4; ptr <= 8; ptr += 4) {
        unsigned char buf[64];
        memset(buf, 0x55, sizeof buf);
        nt_filecache_encode_empty(buf, ptr);
        size_t lo = nt_filecache_min_offset(ptr), hi = nt_filecache_max_offset(ptr) + ptr;
        for (size_t i = 0; i < nt_filecache_size(ptr); i++)
            cr_expect_eq(buf[i], i >= lo && i < hi ? 0xFF : 0x00, "ptr %u byte %zu", ptr, i);
    }
}

Test(nt_layout, combine)
{
    cr_expect_eq(nt_combine_size(4), REC_MEMORY_COMBINE_INFORMATION_EX_X86);
    cr_expect_eq(nt_combine_size(8), REC_MEMORY_COMBINE_INFORMATION_EX_X64);
    unsigned char buf[24] = {0};
    buf[8] = 0x34, buf[9] = 0x12, buf[12] = 0x01;   /* PagesCombined on x64 */
    cr_expect_eq(nt_combine_decode_pages(buf, 8), 0x100001234ull);
    unsigned char b32[12] = {0xFF, 0xFF, 0xFF, 0xFF, 0x78, 0x56, 0, 0, 0xAA, 0, 0, 0};
    cr_expect_eq(nt_combine_decode_pages(b32, 4), 0x5678u);
}

/* ---- Operations and sequences ---- */

Test(nt_ops, names_round_trip)
{
    for (unsigned i = 0; i < NT_OP_COUNT; i++) {
        enum nt_op op;
        cr_assert(nt_op_from_name(nt_op_name((enum nt_op)i), &op));
        cr_expect_eq(op, i);
        cr_expect_not_null(nt_op_summary((enum nt_op)i));
    }
    enum nt_op op;
    cr_expect_not(nt_op_from_name("purge", &op));
    cr_expect_null(nt_op_name(NT_OP_COUNT));
}

Test(nt_ops, all_is_the_three_step_purge)
{
    enum nt_op ops[NT_MAX_SEQUENCE];
    struct nt_seq_error e;
    cr_assert_eq(nt_sequence_parse("all", ops, &e), 3);
    cr_expect_eq(ops[0], REC_MemoryEmptyWorkingSets);
    cr_expect_eq(ops[1], REC_MemoryFlushModifiedList);
    cr_expect_eq(ops[2], REC_MemoryPurgeStandbyList);
}

/* parse `text`, expecting refusal `problem` at the word `word` */
static void expect_refused(const char *text, enum nt_seq_problem problem, const char *word)
{
    enum nt_op ops[NT_MAX_SEQUENCE];
    struct nt_seq_error e = {0};
    cr_assert_eq(nt_sequence_parse(text, ops, &e), 0, "'%s' accepted", text);
    cr_expect_eq(e.problem, problem, "'%s': problem %d", text, (int)e.problem);
    cr_expect_eq(e.len, strlen(word), "'%s': word of %zu bytes", text, e.len);
    cr_expect(strncmp(e.word, word, e.len) == 0, "'%s': word '%.*s'", text, (int)e.len, e.word);
}

Test(nt_ops, sequences)
{
    enum nt_op ops[NT_MAX_SEQUENCE];
    struct nt_seq_error e;
    cr_assert_eq(nt_sequence_parse("flush-modified,purge-low-priority-standby", ops, &e), 2);
    cr_expect_eq(ops[0], NT_OP_FLUSH_MODIFIED);
    cr_expect_eq(ops[1], NT_OP_PURGE_LOW_PRIORITY_STANDBY);
    expect_refused("flush-modified,frob", NT_SEQ_UNKNOWN, "frob");
    expect_refused("", NT_SEQ_EMPTY, "");
    expect_refused("purge-standby,", NT_SEQ_EMPTY_NAME, "");
    expect_refused(",purge-standby", NT_SEQ_EMPTY_NAME, "");
    expect_refused("purge-standby,,flush-modified", NT_SEQ_EMPTY_NAME, "");
    expect_refused("all,purge-standby", NT_SEQ_ALL_NOT_ALONE, "all");
    expect_refused("purge-standby,all", NT_SEQ_ALL_NOT_ALONE, "all");
    expect_refused("--real --yes", NT_SEQ_UNKNOWN, "--real --yes");
    expect_refused("purge-standby\n", NT_SEQ_UNKNOWN, "purge-standby\n");
}

/* Sixteen of the longest name (31 bytes) fit; a seventeenth is refused
 * as one too many, whatever the text's length. */
Test(nt_ops, sixteen_at_most)
{
    enum nt_op ops[NT_MAX_SEQUENCE];
    struct nt_seq_error e;
    char text[1024] = "capture-and-reset-accessed-bits";
    for (int i = 1; i < 16; i++)
        strcat(text, ",capture-and-reset-accessed-bits");
    cr_assert_eq(nt_sequence_parse(text, ops, &e), 16);
    for (int i = 0; i < 16; i++)
        cr_expect_eq(ops[i], NT_OP_CAPTURE_AND_RESET_ACCESSED_BITS);
    strcat(text, ",flush-modified");
    expect_refused(text, NT_SEQ_TOO_MANY, "flush-modified");
}

Test(nt_ops, what_the_simulator_runs)
{
    for (unsigned i = 0; i < NT_OP_COUNT; i++)
        cr_expect_eq(nt_op_simulated((enum nt_op)i), i < NT_OP_EMPTY_FILE_CACHE, "op %u", i);
    cr_expect_str_eq(nt_op_call(NT_OP_FLUSH_MODIFIED),
                     "NtSetSystemInformation(SystemMemoryListInformation, MemoryFlushModifiedList)");
    cr_expect_str_eq(nt_op_call(NT_OP_EMPTY_FILE_CACHE), "NtSetSystemInformation(SystemFileCacheInformationEx)");
}

/* ---- Status codes ---- */

Test(nt_status, names)
{
    cr_expect_str_eq(nt_status_name(REC_STATUS_PRIVILEGE_NOT_HELD), "STATUS_PRIVILEGE_NOT_HELD");
    cr_expect_str_eq(nt_status_name(REC_STATUS_ACCESS_DENIED), "STATUS_ACCESS_DENIED");
    cr_expect_str_eq(nt_status_name(REC_STATUS_INVALID_INFO_CLASS), "STATUS_INVALID_INFO_CLASS");
    cr_expect_str_eq(nt_status_name(REC_STATUS_INFO_LENGTH_MISMATCH), "STATUS_INFO_LENGTH_MISMATCH");
    cr_expect_str_eq(nt_status_name(REC_STATUS_NOT_SUPPORTED), "STATUS_NOT_SUPPORTED");
    cr_expect_str_eq(nt_status_name(REC_STATUS_NOT_IMPLEMENTED), "STATUS_NOT_IMPLEMENTED");
    cr_expect_str_eq(nt_status_name(REC_STATUS_INVALID_PARAMETER), "STATUS_INVALID_PARAMETER");
    cr_expect_null(nt_status_name(0xC0001234u));
}

Test(nt_status, advice_says_what_to_do)
{
    cr_expect(strstr(nt_status_advice(REC_STATUS_PRIVILEGE_NOT_HELD, NT_CTX_COMMAND, false), "elevated prompt"));
    cr_expect(strstr(nt_status_advice(REC_STATUS_ACCESS_DENIED, NT_CTX_QUERY, false), "elevated prompt"));
    cr_expect(strstr(nt_status_advice(REC_STATUS_INVALID_INFO_CLASS, NT_CTX_COMMAND, false), "version of Windows"));
    cr_expect(strstr(nt_status_advice(REC_STATUS_INFO_LENGTH_MISMATCH, NT_CTX_QUERY, false), "structure size"));
    cr_expect_not_null(nt_status_advice(0xC0001234u, NT_CTX_COMMAND, false));
}

Test(nt_status, wine_never_claims_a_purge)
{
    const char *a = nt_status_advice(REC_STATUS_INVALID_INFO_CLASS, NT_CTX_COMMAND, true);
    cr_expect_str_eq(a, "Wine does not implement the memory lists; nothing was purged.");
    cr_expect(strstr(nt_status_advice(REC_STATUS_NOT_IMPLEMENTED, NT_CTX_QUERY, true), "Wine does not implement"));
}

Test(nt_status, success_is_nt_success)
{
    cr_expect(nt_success(REC_STATUS_SUCCESS));
    cr_expect(nt_success(0x00000103u), "STATUS_PENDING");
    cr_expect(nt_success(0x40000000u), "an informational status");
    cr_expect_not(nt_success(0x80000005u), "STATUS_BUFFER_OVERFLOW, a warning");
    cr_expect_not(nt_success(REC_STATUS_PRIVILEGE_NOT_HELD));
}

Test(nt_status, win32_errors)
{
    cr_expect_str_eq(nt_win32_error_name(REC_ERROR_NOT_ALL_ASSIGNED), "ERROR_NOT_ALL_ASSIGNED");
    cr_expect_str_eq(nt_win32_error_name(REC_ERROR_PRIVILEGE_NOT_HELD), "ERROR_PRIVILEGE_NOT_HELD");
    cr_expect_str_eq(nt_win32_error_name(REC_ERROR_ACCESS_DENIED), "ERROR_ACCESS_DENIED");
    cr_expect_str_eq(nt_win32_error_name(REC_ERROR_INVALID_PARAMETER), "ERROR_INVALID_PARAMETER");
    cr_expect_str_eq(nt_win32_error_name(REC_ERROR_NO_SUCH_PRIVILEGE), "ERROR_NO_SUCH_PRIVILEGE");
    cr_expect_str_eq(nt_win32_error_name(317), "ERROR_MR_MID_NOT_FOUND", "what RtlNtStatusToDosError gives "
                     "for a status it cannot map");
    cr_expect_null(nt_win32_error_name(99999));
}

/* ---- The privilege decision and how it is told ---- */

Test(nt_priv, adjust_true_but_not_all_assigned_is_not_enabled)
{
    struct nt_priv_steps s = {.open_ok = true, .lookup_ok = true, .adjust_ok = true,
                              .adjust_error = REC_ERROR_NOT_ALL_ASSIGNED};
    char buf[300];
    cr_expect_eq(nt_priv_decide(&s), NT_PRIV_NOT_HELD);
    cr_expect_str_eq(nt_priv_explain(&s, "SeProfileSingleProcessPrivilege", buf, sizeof buf),
                     "AdjustTokenPrivileges could not enable SeProfileSingleProcessPrivilege: "
                     "ERROR_NOT_ALL_ASSIGNED (Win32 error 1300): this prompt is not elevated");
}

Test(nt_priv, each_failed_call_is_named_with_its_error)
{
    char buf[300];
    struct nt_priv_steps ok = {.open_ok = true, .lookup_ok = true, .adjust_ok = true};
    cr_expect_eq(nt_priv_decide(&ok), NT_PRIV_ENABLED);
    cr_expect_str_eq(nt_priv_explain(&ok, "SeIncreaseQuotaPrivilege", buf, sizeof buf), "");
    struct nt_priv_steps no_token = {.open_ok = false, .open_error = REC_ERROR_ACCESS_DENIED};
    cr_expect_eq(nt_priv_decide(&no_token), NT_PRIV_NO_TOKEN);
    cr_expect_str_eq(nt_priv_explain(&no_token, "SeIncreaseQuotaPrivilege", buf, sizeof buf),
                     "OpenProcessToken failed before SeIncreaseQuotaPrivilege could be enabled: "
                     "ERROR_ACCESS_DENIED (Win32 error 5)");
    struct nt_priv_steps no_name = {.open_ok = true, .lookup_error = REC_ERROR_NO_SUCH_PRIVILEGE};
    cr_expect_eq(nt_priv_decide(&no_name), NT_PRIV_UNKNOWN_NAME);
    cr_expect_str_eq(nt_priv_explain(&no_name, "SeProfileSingleProcessPrivilege", buf, sizeof buf),
                     "LookupPrivilegeValue does not know SeProfileSingleProcessPrivilege: "
                     "ERROR_NO_SUCH_PRIVILEGE (Win32 error 1313)");
    struct nt_priv_steps failed = {.open_ok = true, .lookup_ok = true, .adjust_error = 6};
    cr_expect_eq(nt_priv_decide(&failed), NT_PRIV_FAILED);
    cr_expect_str_eq(nt_priv_explain(&failed, "SeProfileSingleProcessPrivilege", buf, sizeof buf),
                     "AdjustTokenPrivileges failed to enable SeProfileSingleProcessPrivilege: "
                     "ERROR_INVALID_HANDLE (Win32 error 6)");
    struct nt_priv_steps odd = {.open_ok = true, .lookup_ok = true, .adjust_error = 4242};
    cr_expect_str_eq(nt_priv_explain(&odd, "X", buf, sizeof buf),
                     "AdjustTokenPrivileges failed to enable X: Win32 error 4242");
}

/* ---- Windows versions ---- */

Test(nt_version, windows_11_is_named_from_build_22000)
{
    char buf[80];
    nt_windows_name(10, 0, 22000, false, buf, sizeof buf);
    cr_expect_str_eq(buf, "Windows 11 (10.0.22000)");
    nt_windows_name(10, 0, 26100, false, buf, sizeof buf);
    cr_expect_str_eq(buf, "Windows 11 (10.0.26100)");
    nt_windows_name(10, 0, 19045, false, buf, sizeof buf);
    cr_expect_str_eq(buf, "Windows 10 (10.0.19045)");
    nt_windows_name(10, 0, 21999, false, buf, sizeof buf);
    cr_expect_str_eq(buf, "Windows 10 (10.0.21999)");
}

Test(nt_version, older_and_server_versions)
{
    char buf[80];
    nt_windows_name(6, 1, 7601, false, buf, sizeof buf);
    cr_expect_str_eq(buf, "Windows 7 (6.1.7601)");
    nt_windows_name(6, 3, 9600, false, buf, sizeof buf);
    cr_expect_str_eq(buf, "Windows 8.1 (6.3.9600)");
    nt_windows_name(10, 0, 20348, true, buf, sizeof buf);
    cr_expect_str_eq(buf, "Windows Server 2022 (10.0.20348)");
    nt_windows_name(10, 0, 17763, true, buf, sizeof buf);
    cr_expect_str_eq(buf, "Windows Server 2019 (10.0.17763)");
    nt_windows_name(5, 1, 2600, false, buf, sizeof buf);
    cr_expect_str_eq(buf, "Windows (5.1.2600)");
}

Test(nt_version, the_32_bit_build_refuses_wow64)
{
    const char *why = nt_wow64_refusal(4, true);
    cr_assert_not_null(why);
    cr_expect(strstr(why, "use the 64-bit mmsim.exe"), "%s", why);
    cr_expect_null(nt_wow64_refusal(4, false), "32-bit Windows runs the 32-bit build");
    cr_expect_null(nt_wow64_refusal(8, false));
}

/* ---- The simulated machine built to proportions ---- */

static void expect_near(uint64_t got, uint64_t want, uint64_t slack, const char *what)
{
    cr_expect(got + slack >= want && got <= want + slack, "%s: %llu, expected %llu +- %llu", what,
              (unsigned long long)got, (unsigned long long)want, (unsigned long long)slack);
}

Test(nt_simbuild, proportions_of_a_real_looking_machine)
{
    /* a 16 GiB machine as Windows reports it: big standby, small free */
    struct nt_counts real = {.total_pages = 4194304};
    real.lists.zero_page_count = 300000;
    real.lists.free_page_count = 20000;
    real.lists.modified_page_count = 60000;
    real.lists.page_count_by_priority[2] = 400000;
    real.lists.page_count_by_priority[5] = 1200000;
    real.lists.page_count_by_priority[7] = 50000;
    const char *why = NULL;
    struct mm_machine *m = nt_sim_build(&real, 16384, &why);
    cr_assert_not_null(m, "%s", why ? why : "");
    struct mm_memory_list_info l;
    mm_memory_list_query(m, &l);
    uint64_t scale = 4194304 / 16384;
    expect_near(l.page_count_by_priority[5], 1200000 / scale, 2, "standby 5");
    expect_near(l.page_count_by_priority[2], 400000 / scale, 2, "standby 2");
    expect_near(l.page_count_by_priority[7], 50000 / scale, 2, "standby 7");
    expect_near(l.modified_page_count, 60000 / scale, 2, "modified");
    expect_near(l.free_page_count, 20000 / scale, 2, "free");
    expect_near(l.zero_page_count, 300000 / scale, 64, "zeroed");
    char msg[256];
    cr_expect(mm_check(m, msg, sizeof msg), "%s", msg);
    mm_destroy(m);
}

Test(nt_simbuild, busy_profile_then_purge_all)
{
    const char *why = NULL;
    struct mm_machine *m = nt_sim_build(&nt_busy_profile, 4096, &why);
    cr_assert_not_null(m);
    struct nt_backend *b = nt_sim_open(m);
    struct nt_counts before, after;
    struct nt_result r;
    cr_assert(nt_query(b, &before, &r));
    cr_expect_eq(before.fields, 22);
    cr_expect_gt(before.lists.page_count_by_priority[5], 1000);
    cr_expect_gt(before.lists.modified_page_count, 400);
    enum nt_op ops[NT_MAX_SEQUENCE];
    struct nt_seq_error e;
    size_t n = nt_sequence_parse("all", ops, &e);
    for (size_t i = 0; i < n; i++) {
        cr_expect(nt_run(b, ops[i], NULL, &r));
        cr_expect_eq(r.outcome, NT_DONE);
        cr_expect_eq(r.status, REC_STATUS_SUCCESS);
    }
    cr_assert(nt_query(b, &after, &r));
    cr_expect_eq(after.lists.modified_page_count, 0);
    for (unsigned p = 0; p < 8; p++)
        cr_expect_eq(after.lists.page_count_by_priority[p], 0);
    /* the simulator has no file cache: not sent, no status invented */
    cr_expect_not(nt_run(b, NT_OP_EMPTY_FILE_CACHE, NULL, &r));
    cr_expect_eq(r.outcome, NT_NOT_SENT);
    cr_expect_str_eq(r.why, "the simulator has no system file cache");
    cr_expect_not(nt_run(b, NT_OP_COMBINE_PAGES, NULL, &r));
    cr_expect_str_eq(r.why, "the simulator does not combine pages");
    char msg[256];
    cr_expect(mm_check(m, msg, sizeof msg), "%s", msg);
    nt_close(b);
    mm_destroy(m);
}
