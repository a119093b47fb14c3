/*
 * marshal.c - layouts, names, status explanations and the privilege
 * decision for the real memory-list calls (see marshal.h). Pure functions:
 * no Windows header, no I/O.
 */
#include <stdio.h>
#include <string.h>

#include "marshal.h"

/* ---- Operations ---- */

static const struct op_info {
    const char *name;
    const char *summary;
    uint32_t info_class;
    const char *privilege;
} op_table[NT_OP_COUNT] = {
    [NT_OP_CAPTURE_ACCESSED_BITS] = {"capture-accessed-bits", "record which pages were accessed",
                                     NT_CLASS_MEMORY_LIST, NT_SE_PROF_SINGLE_PROCESS_NAME},
    [NT_OP_CAPTURE_AND_RESET_ACCESSED_BITS] = {"capture-and-reset-accessed-bits",
                                               "record accessed pages and clear their accessed bits",
                                               NT_CLASS_MEMORY_LIST, NT_SE_PROF_SINGLE_PROCESS_NAME},
    [NT_OP_EMPTY_WORKING_SETS] = {"empty-working-sets", "remove every page that can leave every working set",
                                  NT_CLASS_MEMORY_LIST, NT_SE_PROF_SINGLE_PROCESS_NAME},
    [NT_OP_FLUSH_MODIFIED] = {"flush-modified", "write the modified list out; its pages go to standby",
                              NT_CLASS_MEMORY_LIST, NT_SE_PROF_SINGLE_PROCESS_NAME},
    [NT_OP_PURGE_STANDBY] = {"purge-standby", "move every standby page to the free list", NT_CLASS_MEMORY_LIST,
                             NT_SE_PROF_SINGLE_PROCESS_NAME},
    [NT_OP_PURGE_LOW_PRIORITY_STANDBY] = {"purge-low-priority-standby",
                                          "move priority-0 standby pages to the free list",
                                          NT_CLASS_MEMORY_LIST, NT_SE_PROF_SINGLE_PROCESS_NAME},
    [NT_OP_EMPTY_FILE_CACHE] = {"empty-file-cache", "empty the system file cache's working set",
                                NT_CLASS_FILECACHE_EX, NT_SE_INCREASE_QUOTA_NAME},
    [NT_OP_COMBINE_PAGES] = {"combine-pages", "share identical pages (Windows 10 and later)",
                             NT_CLASS_COMBINE_PHYSICAL, NT_SE_PROF_SINGLE_PROCESS_NAME},
};

const char *nt_op_name(enum nt_op op)
{
    return (unsigned)op < NT_OP_COUNT ? op_table[op].name : NULL;
}

const char *nt_op_summary(enum nt_op op)
{
    return (unsigned)op < NT_OP_COUNT ? op_table[op].summary : NULL;
}

uint32_t nt_op_class(enum nt_op op)
{
    return (unsigned)op < NT_OP_COUNT ? op_table[op].info_class : 0;
}

const char *nt_op_privilege(enum nt_op op)
{
    return (unsigned)op < NT_OP_COUNT ? op_table[op].privilege : NULL;
}

bool nt_op_from_name(const char *name, enum nt_op *op)
{
    for (unsigned i = 0; i < NT_OP_COUNT; i++)
        if (strcmp(name, op_table[i].name) == 0) {
            *op = (enum nt_op)i;
            return true;
        }
    return false;
}

size_t nt_sequence_parse(const char *text, enum nt_op ops[NT_MAX_SEQUENCE], const char **bad)
{
    static char copy[256];
    *bad = text;
    if (strcmp(text, "all") == 0) {   /* seed 000: working sets -> modified -> standby */
        ops[0] = NT_OP_EMPTY_WORKING_SETS;
        ops[1] = NT_OP_FLUSH_MODIFIED;
        ops[2] = NT_OP_PURGE_STANDBY;
        return 3;
    }
    if (strlen(text) >= sizeof copy)
        return 0;
    memcpy(copy, text, strlen(text) + 1);
    size_t n = 0;
    char *word = copy;
    for (;;) {
        char *comma = strchr(word, ',');
        if (comma)
            *comma = '\0';
        *bad = word;
        if (n == NT_MAX_SEQUENCE || !nt_op_from_name(word, &ops[n]))
            return 0;
        n++;
        if (!comma)
            return n;
        word = comma + 1;
    }
}

/* ---- Layouts ---- */

size_t nt_memlist_size(unsigned ptr_bytes)
{
    return NT_MEMLIST_FIELDS * ptr_bytes;
}

size_t nt_memlist_offset(unsigned index, unsigned ptr_bytes)
{
    return (size_t)index * ptr_bytes;
}

const char *nt_memlist_field_name(unsigned index, char *buf, size_t size)
{
    static const char *const fixed[] = {"ZeroPageCount", "FreePageCount", "ModifiedPageCount",
                                        "ModifiedNoWritePageCount", "BadPageCount"};
    if (index < 5)
        snprintf(buf, size, "%s", fixed[index]);
    else if (index < 13)
        snprintf(buf, size, "PageCountByPriority[%u]", index - 5);
    else if (index < 21)
        snprintf(buf, size, "RepurposedPagesByPriority[%u]", index - 13);
    else
        snprintf(buf, size, "ModifiedPageCountPageFile");
    return buf;
}

/* One little-endian unsigned value of `bytes` bytes. */
static uint64_t get_le(const unsigned char *p, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = bytes; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

static void put_le(unsigned char *p, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++, v >>= 8)
        p[i] = (unsigned char)(v & 0xFF);
}

bool nt_memlist_decode(const unsigned char *buf, size_t len, unsigned ptr_bytes, struct mm_memory_list_info *out)
{
    if ((ptr_bytes != 4 && ptr_bytes != 8) || len != nt_memlist_size(ptr_bytes))
        return false;
    uint64_t v[NT_MEMLIST_FIELDS];
    for (unsigned i = 0; i < NT_MEMLIST_FIELDS; i++)
        v[i] = get_le(buf + nt_memlist_offset(i, ptr_bytes), ptr_bytes);
    out->zero_page_count = v[0];
    out->free_page_count = v[1];
    out->modified_page_count = v[2];
    out->modified_no_write_page_count = v[3];
    out->bad_page_count = v[4];
    for (unsigned p = 0; p < MM_STANDBY_PRIORITIES; p++) {
        out->page_count_by_priority[p] = v[5 + p];
        out->repurposed_pages_by_priority[p] = v[13 + p];
    }
    out->modified_page_count_page_file = v[21];
    return true;
}

/* Round `off` up to a multiple of `align`. */
static size_t align_up(size_t off, size_t align)
{
    return (off + align - 1) / align * align;
}

/* SYSTEM_FILECACHE_INFORMATION: two SIZE_T, a ULONG, four SIZE_T, two
 * ULONG; on x64 the ULONG after PeakSize is padded to 8 and the whole
 * rounded up to 8. */
size_t nt_filecache_min_offset(unsigned ptr_bytes)
{
    return align_up(2 * (size_t)ptr_bytes + 4, ptr_bytes);
}

size_t nt_filecache_max_offset(unsigned ptr_bytes)
{
    return nt_filecache_min_offset(ptr_bytes) + ptr_bytes;
}

size_t nt_filecache_size(unsigned ptr_bytes)
{
    return align_up(nt_filecache_min_offset(ptr_bytes) + 4 * (size_t)ptr_bytes + 8, ptr_bytes);
}

void nt_filecache_encode_empty(unsigned char *buf, unsigned ptr_bytes)
{
    memset(buf, 0, nt_filecache_size(ptr_bytes));
    put_le(buf + nt_filecache_min_offset(ptr_bytes), UINT64_MAX, ptr_bytes);
    put_le(buf + nt_filecache_max_offset(ptr_bytes), UINT64_MAX, ptr_bytes);
}

size_t nt_combine_pages_offset(unsigned ptr_bytes)
{
    return ptr_bytes;   /* after the HANDLE */
}

size_t nt_combine_size(unsigned ptr_bytes)
{
    return align_up(2 * (size_t)ptr_bytes + 4, ptr_bytes);
}

uint64_t nt_combine_decode_pages(const unsigned char *buf, unsigned ptr_bytes)
{
    return get_le(buf + nt_combine_pages_offset(ptr_bytes), ptr_bytes);
}

/* ---- Status codes ---- */

static const struct status_info {
    uint32_t code;
    const char *name;
    const char *advice;
} status_table[] = {
    {STATUS_SUCCESS, "STATUS_SUCCESS", "The call succeeded."},
    {NT_STATUS_NOT_IMPLEMENTED, "STATUS_NOT_IMPLEMENTED",
     "This system does not implement the call; nothing was changed."},
    {STATUS_INVALID_INFO_CLASS, "STATUS_INVALID_INFO_CLASS",
     "This version of Windows does not know this information class (the memory lists need "
     "Windows Vista or later, combining pages Windows 10 or later); nothing was changed."},
    {NT_STATUS_INFO_LENGTH_MISMATCH, "STATUS_INFO_LENGTH_MISMATCH",
     "The structure size does not match this Windows version (a 32-bit mmsim.exe on 64-bit "
     "Windows?); use the build that matches the system."},
    {STATUS_INVALID_PARAMETER, "STATUS_INVALID_PARAMETER",
     "Windows refused the command value or its buffer; nothing was changed."},
    {STATUS_ACCESS_DENIED, "STATUS_ACCESS_DENIED",
     "Access was denied: run mmsim from an elevated prompt (Run as administrator)."},
    {STATUS_PRIVILEGE_NOT_HELD, "STATUS_PRIVILEGE_NOT_HELD",
     "The process does not hold the privilege this call needs: run mmsim from an elevated "
     "prompt (Run as administrator)."},
    {NT_STATUS_PROCEDURE_NOT_FOUND, "STATUS_PROCEDURE_NOT_FOUND",
     "ntdll.dll does not export a function mmsim needs; this system cannot run the real commands."},
    {NT_STATUS_NOT_SUPPORTED, "STATUS_NOT_SUPPORTED",
     "This system does not support the operation (32-bit Windows, or too old a version); nothing "
     "was changed."},
    {STATUS_INSUFFICIENT_RESOURCES, "STATUS_INSUFFICIENT_RESOURCES",
     "Windows lacked the resources to finish; close some programs and try again."},
    {STATUS_NO_MEMORY, "STATUS_NO_MEMORY", "Windows ran out of memory for the call; try again."},
};

static const struct status_info *status_find(uint32_t status)
{
    for (size_t i = 0; i < sizeof status_table / sizeof status_table[0]; i++)
        if (status_table[i].code == status)
            return &status_table[i];
    return NULL;
}

const char *nt_status_name(uint32_t status)
{
    const struct status_info *s = status_find(status);
    return s ? s->name : NULL;
}

const char *nt_status_advice(uint32_t status, enum nt_context ctx, bool wine)
{
    if (wine && status != STATUS_SUCCESS)
        return ctx == NT_CTX_QUERY ? "Wine does not implement the memory lists; there are no real counts to show."
                                   : "Wine does not implement the memory lists; nothing was purged.";
    const struct status_info *s = status_find(status);
    if (s)
        return s->advice;
    return ctx == NT_CTX_QUERY ? "Windows refused the query; no counts were read."
                               : "Windows refused the call; assume nothing was changed.";
}

/* ---- The privilege dance ---- */

enum nt_priv_outcome nt_priv_decide(const struct nt_priv_steps *s)
{
    if (!s->open_ok)
        return NT_PRIV_NO_TOKEN;
    if (!s->lookup_ok)
        return NT_PRIV_UNKNOWN_NAME;
    if (!s->adjust_ok)
        return NT_PRIV_FAILED;
    /* TRUE from AdjustTokenPrivileges is not success by itself. */
    if (s->adjust_error == NT_ERROR_NOT_ALL_ASSIGNED)
        return NT_PRIV_NOT_HELD;
    return NT_PRIV_ENABLED;
}

uint32_t nt_priv_status(enum nt_priv_outcome o)
{
    switch (o) {
    case NT_PRIV_ENABLED:
        return STATUS_SUCCESS;
    case NT_PRIV_NOT_HELD:
        return STATUS_PRIVILEGE_NOT_HELD;
    case NT_PRIV_UNKNOWN_NAME:
        return NT_STATUS_NOT_SUPPORTED;
    case NT_PRIV_NO_TOKEN:
    case NT_PRIV_FAILED:
        return STATUS_ACCESS_DENIED;
    }
    return STATUS_ACCESS_DENIED;
}
