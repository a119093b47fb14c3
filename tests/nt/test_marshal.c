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
    cr_expect_str_eq(nt_op_privilege(NT_OP_PURGE_STANDBY), "SeProfileSingleProcessPrivilege");
    cr_expect_str_eq(nt_op_privilege(NT_OP_EMPTY_FILE_CACHE), "SeIncreaseQuotaPrivilege");
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
    cr_assert(nt_memlist_decode(buf, sizeof buf, 4, &d));
    expect_decoded(&d, v32);
}

Test(nt_layout, decode_x64)
{
    unsigned char buf[176];
    struct mm_memory_list_info d;
    fill(buf, 8, v64);
    cr_assert(nt_memlist_decode(buf, sizeof buf, 8, &d));
    expect_decoded(&d, v64);
}

Test(nt_layout, decode_refuses_wrong_length)
{
    unsigned char buf[176] = {0};
    struct mm_memory_list_info d;
    cr_expect_not(nt_memlist_decode(buf, 88, 8, &d));
    cr_expect_not(nt_memlist_decode(buf, 176, 4, &d));
    cr_expect_not(nt_memlist_decode(buf, 174, 8, &d));
    cr_expect_not(nt_memlist_decode(buf, 88, 2, &d));
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
    const char *bad;
    cr_assert_eq(nt_sequence_parse("all", ops, &bad), 3);
    cr_expect_eq(ops[0], REC_MemoryEmptyWorkingSets);
    cr_expect_eq(ops[1], REC_MemoryFlushModifiedList);
    cr_expect_eq(ops[2], REC_MemoryPurgeStandbyList);
}

Test(nt_ops, sequences)
{
    enum nt_op ops[NT_MAX_SEQUENCE];
    const char *bad;
    cr_assert_eq(nt_sequence_parse("flush-modified,purge-low-priority-standby", ops, &bad), 2);
    cr_expect_eq(ops[0], NT_OP_FLUSH_MODIFIED);
    cr_expect_eq(ops[1], NT_OP_PURGE_LOW_PRIORITY_STANDBY);
    cr_expect_eq(nt_sequence_parse("flush-modified,frob", ops, &bad), 0);
    cr_expect_str_eq(bad, "frob");
    cr_expect_eq(nt_sequence_parse("", ops, &bad), 0);
    cr_expect_eq(nt_sequence_parse("purge-standby,", ops, &bad), 0);
    cr_expect_str_eq(bad, "");
    char many[512] = "purge-standby";
    for (int i = 0; i < 16; i++)
        strcat(many, ",flush-modified");
    cr_expect_eq(nt_sequence_parse(many, ops, &bad), 0);
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
    cr_expect(strstr(nt_status_advice(REC_STATUS_INFO_LENGTH_MISMATCH, NT_CTX_QUERY, false), "32-bit"));
    cr_expect_not_null(nt_status_advice(0xC0001234u, NT_CTX_COMMAND, false));
}

Test(nt_status, wine_never_claims_a_purge)
{
    const char *a = nt_status_advice(REC_STATUS_INVALID_INFO_CLASS, NT_CTX_COMMAND, true);
    cr_expect_str_eq(a, "Wine does not implement the memory lists; nothing was purged.");
    cr_expect(strstr(nt_status_advice(REC_STATUS_NOT_IMPLEMENTED, NT_CTX_QUERY, true), "Wine does not implement"));
}

/* ---- The privilege decision ---- */

Test(nt_priv, adjust_true_but_not_all_assigned_is_not_enabled)
{
    struct nt_priv_steps s = {true, true, true, REC_ERROR_NOT_ALL_ASSIGNED};
    cr_expect_eq(nt_priv_decide(&s), NT_PRIV_NOT_HELD);
    cr_expect_eq(nt_priv_status(NT_PRIV_NOT_HELD), REC_STATUS_PRIVILEGE_NOT_HELD);
}

Test(nt_priv, enabled_only_when_every_step_succeeds)
{
    struct nt_priv_steps ok = {true, true, true, REC_ERROR_SUCCESS};
    cr_expect_eq(nt_priv_decide(&ok), NT_PRIV_ENABLED);
    cr_expect_eq(nt_priv_status(NT_PRIV_ENABLED), REC_STATUS_SUCCESS);
    struct nt_priv_steps no_token = {false, true, true, 0};
    cr_expect_eq(nt_priv_decide(&no_token), NT_PRIV_NO_TOKEN);
    struct nt_priv_steps no_name = {true, false, false, 0};
    cr_expect_eq(nt_priv_decide(&no_name), NT_PRIV_UNKNOWN_NAME);
    struct nt_priv_steps failed = {true, true, false, 6};
    cr_expect_eq(nt_priv_decide(&failed), NT_PRIV_FAILED);
    cr_expect_eq(nt_priv_status(NT_PRIV_FAILED), REC_STATUS_ACCESS_DENIED);
    cr_expect_eq(nt_priv_status(NT_PRIV_NO_TOKEN), REC_STATUS_ACCESS_DENIED);
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
    cr_assert_eq(nt_query(b, &before), STATUS_SUCCESS);
    cr_expect_gt(before.lists.page_count_by_priority[5], 1000);
    cr_expect_gt(before.lists.modified_page_count, 400);
    enum nt_op ops[NT_MAX_SEQUENCE];
    const char *bad;
    size_t n = nt_sequence_parse("all", ops, &bad);
    for (size_t i = 0; i < n; i++)
        cr_expect_eq(nt_run(b, ops[i], NULL), STATUS_SUCCESS);
    cr_assert_eq(nt_query(b, &after), STATUS_SUCCESS);
    cr_expect_eq(after.lists.modified_page_count, 0);
    for (unsigned p = 0; p < 8; p++)
        cr_expect_eq(after.lists.page_count_by_priority[p], 0);
    cr_expect_eq(nt_run(b, NT_OP_EMPTY_FILE_CACHE, NULL), REC_STATUS_NOT_IMPLEMENTED);
    char msg[256];
    cr_expect(mm_check(m, msg, sizeof msg), "%s", msg);
    nt_close(b);
    mm_destroy(m);
}
