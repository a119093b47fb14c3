/*
 * win_backend.c - the memory-list interface (memlist.h) on the Windows
 * machine mmsim runs on (the calls themselves are in winapi.c):
 *
 *   query      enable SeProfileSingleProcessPrivilege, then
 *              NtQuerySystemInformation(80) -> SYSTEM_MEMORY_LIST_INFORMATION
 *   ops 0-5    enable SeProfileSingleProcessPrivilege, then
 *              NtSetSystemInformation(80, &command, sizeof(ULONG))
 *   file cache enable SeIncreaseQuotaPrivilege, then
 *              NtSetSystemInformation(81, SYSTEM_FILECACHE_INFORMATION
 *              with both working-set limits (SIZE_T)-1)
 *   combine    NtSetSystemInformation(130, MEMORY_COMBINE_INFORMATION_EX)
 *
 * Under Wine (ntdll exports wine_get_version) no operation is ever sent:
 * Wine's NtSetSystemInformation returns success without doing anything,
 * and a purge must never be reported that did not happen.
 *
 * Built only for _WIN32; real_none.c's nt_real_open() answers elsewhere.
 */
#ifdef _WIN32

#include <stdio.h>
#include <stdlib.h>

#include "memlist.h"
#include "winapi.h"

static mm_status enable(const char *privilege)
{
    struct nt_priv_steps steps;
    winapi_enable_privilege(privilege, &steps);
    return nt_priv_status(nt_priv_decide(&steps));
}

static mm_status win_query(struct nt_backend *b, struct nt_counts *out)
{
    (void)b;
    mm_status s = enable(NT_SE_PROF_SINGLE_PROCESS_NAME);
    if (s != STATUS_SUCCESS)
        return s;
    size_t raw[NT_MEMLIST_FIELDS];   /* SIZE_T */
    s = winapi_query(NT_CLASS_MEMORY_LIST, raw, (uint32_t)sizeof raw);
    if (s != STATUS_SUCCESS)
        return s;
    if (!nt_memlist_decode((const unsigned char *)raw, sizeof raw, (unsigned)sizeof(size_t), &out->lists))
        return NT_STATUS_INFO_LENGTH_MISMATCH;
    out->total_pages = winapi_total_pages();
    return STATUS_SUCCESS;
}

static mm_status win_run(struct nt_backend *b, enum nt_op op, uint64_t *pages_combined)
{
    if (pages_combined)
        *pages_combined = 0;
    if (b->wine)
        return NT_STATUS_NOT_IMPLEMENTED;   /* never trust Wine's success */
    mm_status s = enable(nt_op_privilege(op));
    if (s != STATUS_SUCCESS)
        return s;
    unsigned ptr = (unsigned)sizeof(void *);
    if (op == NT_OP_EMPTY_FILE_CACHE) {
        _Alignas(8) unsigned char buf[64];
        nt_filecache_encode_empty(buf, ptr);
        return winapi_set(NT_CLASS_FILECACHE_EX, buf, (uint32_t)nt_filecache_size(ptr));
    }
    if (op == NT_OP_COMBINE_PAGES) {
        _Alignas(8) unsigned char buf[24] = {0};
        s = winapi_set(NT_CLASS_COMBINE_PHYSICAL, buf, (uint32_t)nt_combine_size(ptr));
        if (s == STATUS_SUCCESS && pages_combined)
            *pages_combined = nt_combine_decode_pages(buf, ptr);
        return s;
    }
    uint32_t command = (uint32_t)op;   /* a ULONG */
    return winapi_set(NT_CLASS_MEMORY_LIST, &command, (uint32_t)sizeof command);
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

struct nt_backend *nt_real_open(char *why, size_t why_size)
{
    if (!winapi_open(why, why_size))
        return NULL;
    struct nt_backend *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(why, why_size, "out of memory");
        return NULL;
    }
    b->wine = winapi_describe(b->description, sizeof b->description);
    b->real = true;
    b->query = win_query;
    b->run = win_run;
    b->close = win_close;
    b->win32_error = win_win32_error;
    return b;
}

#endif
