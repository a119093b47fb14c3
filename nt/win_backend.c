/*
 * win_backend.c - the memory-list interface (memlist.h) on the Windows
 * machine mmsim runs on, built on winapi.h's calls:
 *
 *   query      try to enable SeProfileSingleProcessPrivilege (the query
 *              needs none; a failure is kept and the query goes ahead),
 *              then NtQuerySystemInformation(80) into a zeroed buffer,
 *              decoding the ReturnLength bytes the kernel filled
 *   ops 0-5    enable the privilege the kernel checks for the command
 *              (SeProfileSingleProcessPrivilege; none for 3, flush
 *              modified), then NtSetSystemInformation(80, &command, 4)
 *   file cache enable SeIncreaseQuotaPrivilege, then
 *              NtSetSystemInformation(81, SYSTEM_FILECACHE_INFORMATION
 *              with both working-set limits (SIZE_T)-1)
 *   combine    enable SeProfileSingleProcessPrivilege, then
 *              NtSetSystemInformation(130, MEMORY_COMBINE_INFORMATION_EX)
 *
 * When a privilege the kernel checks cannot be enabled the command is not
 * sent (the kernel would refuse it) and the result names the Win32 call
 * that failed and its error. Under Wine (ntdll exports wine_get_version)
 * no operation is ever sent: Wine's NtSetSystemInformation returns
 * success without doing anything, and a purge must never be reported that
 * did not happen. A 32-bit build under WOW64 gets no backend at all.
 *
 * No windows.h here: on Windows winapi.c answers the calls, in the tests
 * tests/nt/fake_winapi.c does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memlist.h"
#include "winapi.h"

/* Enable `privilege` for the call in r, recording each step. */
static bool enable(struct nt_result *r, const char *privilege)
{
    r->privilege = privilege;
    winapi_enable_privilege(privilege, &r->priv);
    r->privilege_enabled = nt_priv_decide(&r->priv) == NT_PRIV_ENABLED;
    return r->privilege_enabled;
}

static bool win_query(struct nt_backend *b, struct nt_counts *out, struct nt_result *r)
{
    (void)b;
    nt_result_init(r, "NtQuerySystemInformation(SystemMemoryListInformation)");
    enable(r, NT_SE_PROF_SINGLE_PROCESS_NAME);   /* not required: go on either way */
    size_t raw[NT_MEMLIST_FIELDS];   /* SIZE_T; zeroed: Windows 7 leaves the last one unset */
    memset(raw, 0, sizeof raw);
    uint32_t filled = 0;
    r->status = winapi_query(NT_CLASS_MEMORY_LIST, raw, (uint32_t)sizeof raw, &filled);
    if (!nt_success(r->status)) {
        r->outcome = NT_FAILED;
        return false;
    }
    unsigned ptr = (unsigned)sizeof(size_t);
    memset(out, 0, sizeof *out);
    if (!nt_memlist_decode((const unsigned char *)raw, filled, ptr, &out->lists, &out->fields)) {
        r->outcome = NT_BAD_REPLY;
        snprintf(r->why, sizeof r->why,
                 "it reported %lu bytes filled, and the layouts mmsim knows fill %lu (before Windows 8) or %lu",
                 (unsigned long)filled, (unsigned long)(NT_MEMLIST_MIN_FIELDS * ptr),
                 (unsigned long)nt_memlist_size(ptr));
        return false;
    }
    out->total_pages = winapi_total_pages();
    r->outcome = NT_DONE;
    return true;
}

/* Send the operation's buffer; the NTSTATUS. */
static mm_status send(enum nt_op op, uint64_t *pages_combined)
{
    unsigned ptr = (unsigned)sizeof(void *);
    if (op == NT_OP_EMPTY_FILE_CACHE) {
        _Alignas(8) unsigned char buf[64];
        nt_filecache_encode_empty(buf, ptr);
        return winapi_set(NT_CLASS_FILECACHE_EX, buf, (uint32_t)nt_filecache_size(ptr));
    }
    if (op == NT_OP_COMBINE_PAGES) {
        _Alignas(8) unsigned char buf[24] = {0};
        mm_status s = winapi_set(NT_CLASS_COMBINE_PHYSICAL, buf, (uint32_t)nt_combine_size(ptr));
        if (nt_success(s) && pages_combined)
            *pages_combined = nt_combine_decode_pages(buf, ptr);
        return s;
    }
    uint32_t command = (uint32_t)op;   /* a ULONG */
    return winapi_set(NT_CLASS_MEMORY_LIST, &command, (uint32_t)sizeof command);
}

static bool win_run(struct nt_backend *b, enum nt_op op, uint64_t *pages_combined, struct nt_result *r)
{
    nt_result_init(r, nt_op_call(op));
    if (pages_combined)
        *pages_combined = 0;
    if (b->wine) {   /* never trust Wine's success */
        snprintf(r->why, sizeof r->why,
                 "Wine's NtSetSystemInformation reports success for every class and does nothing");
        return false;
    }
    const char *privilege = nt_op_privilege(op);
    if (privilege && !enable(r, privilege)) {
        r->outcome = NT_NO_PRIVILEGE;
        return false;
    }
    r->status = send(op, pages_combined);
    r->outcome = nt_success(r->status) ? NT_DONE : NT_FAILED;
    return r->outcome == NT_DONE;
}

static uint32_t win_win32_error(struct nt_backend *b, mm_status status)
{
    (void)b;
    return winapi_win32_error(status);
}

static void win_close(struct nt_backend *b)
{
    free(b);
}

/* "Wine 8.0", "Windows 11 (10.0.22631)"; true under Wine. */
static bool describe(char *buf, size_t size)
{
    char wine[40];
    if (winapi_wine_version(wine, sizeof wine)) {
        snprintf(buf, size, "Wine %s", wine);
        return true;
    }
    uint32_t major, minor, build;
    bool server;
    if (winapi_version(&major, &minor, &build, &server))
        nt_windows_name(major, minor, build, server, buf, size);
    else
        snprintf(buf, size, "Windows (version unknown: RtlGetVersion failed)");
    return false;
}

struct nt_backend *nt_win_open(char *why, size_t why_size)
{
    if (!winapi_open(why, why_size))
        return NULL;
    const char *refusal = nt_wow64_refusal((unsigned)sizeof(void *), winapi_is_wow64());
    if (refusal) {
        snprintf(why, why_size, "%s", refusal);
        return NULL;
    }
    struct nt_backend *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(why, why_size, "out of memory");
        return NULL;
    }
    b->wine = describe(b->description, sizeof b->description);
    b->real = true;
    b->query = win_query;
    b->run = win_run;
    b->close = win_close;
    b->win32_error = win_win32_error;
    return b;
}
