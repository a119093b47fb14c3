/*
 * marshal.c - layouts, names, status explanations and the privilege
 * decision for the real memory-list calls (see marshal.h). Pure functions:
 * no Windows header, no I/O.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "marshal.h"

/* ---- Operations ---- */

#define SET_MEMLIST(cmd) "NtSetSystemInformation(SystemMemoryListInformation, " cmd ")"

static const struct op_info {
    const char *name;
    const char *summary;
    uint32_t info_class;
    const char *call;
    const char *privilege;   /* checked by the kernel; NULL: none */
    bool simulated;
} op_table[NT_OP_COUNT] = {
    [NT_OP_CAPTURE_ACCESSED_BITS] = {"capture-accessed-bits", "record which pages were accessed",
                                     NT_CLASS_MEMORY_LIST, SET_MEMLIST("MemoryCaptureAccessedBits"),
                                     NT_SE_PROF_SINGLE_PROCESS_NAME, true},
    [NT_OP_CAPTURE_AND_RESET_ACCESSED_BITS] = {"capture-and-reset-accessed-bits",
                                               "record accessed pages and clear their accessed bits",
                                               NT_CLASS_MEMORY_LIST,
                                               SET_MEMLIST("MemoryCaptureAndResetAccessedBits"),
                                               NT_SE_PROF_SINGLE_PROCESS_NAME, true},
    [NT_OP_EMPTY_WORKING_SETS] = {"empty-working-sets", "remove every page that can leave every working set",
                                  NT_CLASS_MEMORY_LIST, SET_MEMLIST("MemoryEmptyWorkingSets"),
                                  NT_SE_PROF_SINGLE_PROCESS_NAME, true},
    /* the one command the kernel runs without checking a privilege */
    [NT_OP_FLUSH_MODIFIED] = {"flush-modified", "write the modified list out; its pages go to standby",
                              NT_CLASS_MEMORY_LIST, SET_MEMLIST("MemoryFlushModifiedList"), NULL, true},
    [NT_OP_PURGE_STANDBY] = {"purge-standby", "move every standby page to the free list", NT_CLASS_MEMORY_LIST,
                             SET_MEMLIST("MemoryPurgeStandbyList"), NT_SE_PROF_SINGLE_PROCESS_NAME, true},
    [NT_OP_PURGE_LOW_PRIORITY_STANDBY] = {"purge-low-priority-standby",
                                          "move priority-0 standby pages to the free list",
                                          NT_CLASS_MEMORY_LIST, SET_MEMLIST("MemoryPurgeLowPriorityStandbyList"),
                                          NT_SE_PROF_SINGLE_PROCESS_NAME, true},
    [NT_OP_EMPTY_FILE_CACHE] = {"empty-file-cache", "empty the system file cache's working set",
                                NT_CLASS_FILECACHE_EX, "NtSetSystemInformation(SystemFileCacheInformationEx)",
                                NT_SE_INCREASE_QUOTA_NAME, false},
    [NT_OP_COMBINE_PAGES] = {"combine-pages", "share identical pages (Windows 10 and later)",
                             NT_CLASS_COMBINE_PHYSICAL,
                             "NtSetSystemInformation(SystemCombinePhysicalMemoryInformation)",
                             NT_SE_PROF_SINGLE_PROCESS_NAME, false},
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

const char *nt_op_call(enum nt_op op)
{
    return (unsigned)op < NT_OP_COUNT ? op_table[op].call : NULL;
}

const char *nt_op_privilege(enum nt_op op)
{
    return (unsigned)op < NT_OP_COUNT ? op_table[op].privilege : NULL;
}

bool nt_op_simulated(enum nt_op op)
{
    return (unsigned)op < NT_OP_COUNT && op_table[op].simulated;
}

/* The operation whose name is the `len` bytes at `name`. */
static bool op_from_word(const char *name, size_t len, enum nt_op *op)
{
    for (unsigned i = 0; i < NT_OP_COUNT; i++)
        if (strlen(op_table[i].name) == len && memcmp(name, op_table[i].name, len) == 0) {
            *op = (enum nt_op)i;
            return true;
        }
    /* a memory-list command also by a scenario's name or NT's (the
       operations 0..5 are the commands) */
    char word[64];
    if (len >= sizeof word || memchr(name, '\0', len))
        return false;
    memcpy(word, name, len);
    word[len] = '\0';
    int c = mm_memory_list_command_from_name(word);
    if (c < 0)
        return false;
    *op = (enum nt_op)c;
    return true;
}

bool nt_op_from_name(const char *name, enum nt_op *op)
{
    return op_from_word(name, strlen(name), op);
}

static size_t refuse(struct nt_seq_error *err, enum nt_seq_problem problem, const char *word, size_t len)
{
    err->problem = problem;
    err->word = word;
    err->len = len;
    return 0;
}

size_t nt_sequence_parse(const char *text, enum nt_op ops[NT_MAX_SEQUENCE], struct nt_seq_error *err)
{
    if (strcmp(text, "all") == 0) {   /* seed 000: working sets -> modified -> standby */
        ops[0] = NT_OP_EMPTY_WORKING_SETS;
        ops[1] = NT_OP_FLUSH_MODIFIED;
        ops[2] = NT_OP_PURGE_STANDBY;
        return 3;
    }
    if (!*text)
        return refuse(err, NT_SEQ_EMPTY, text, 0);
    size_t n = 0;
    for (const char *word = text;; word++) {
        size_t len = strcspn(word, ",");
        if (len == 0)
            return refuse(err, NT_SEQ_EMPTY_NAME, word, 0);
        if (len == 3 && memcmp(word, "all", 3) == 0)
            return refuse(err, NT_SEQ_ALL_NOT_ALONE, word, len);
        if (n == NT_MAX_SEQUENCE)
            return refuse(err, NT_SEQ_TOO_MANY, word, len);
        if (!op_from_word(word, len, &ops[n]))
            return refuse(err, NT_SEQ_UNKNOWN, word, len);
        n++;
        word += len;
        if (!*word)
            return n;
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

bool nt_memlist_decode(const unsigned char *buf, size_t len, unsigned ptr_bytes, struct mm_memory_list_info *out,
                       unsigned *fields)
{
    if ((ptr_bytes != 4 && ptr_bytes != 8) || len % ptr_bytes != 0 || len < NT_MEMLIST_MIN_FIELDS * ptr_bytes ||
        len > nt_memlist_size(ptr_bytes))
        return false;
    *fields = (unsigned)(len / ptr_bytes);
    uint64_t v[NT_MEMLIST_FIELDS] = {0};
    for (unsigned i = 0; i < *fields; i++)
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
     "Windows Vista or later, combining pages Windows 8 or later); nothing was changed."},
    {NT_STATUS_INFO_LENGTH_MISMATCH, "STATUS_INFO_LENGTH_MISMATCH",
     "The structure size mmsim sent does not match what this Windows expects; nothing was changed. "
     "Please report the Windows version with this message."},
    {NT_STATUS_BUFFER_TOO_SMALL, "STATUS_BUFFER_TOO_SMALL",
     "The buffer mmsim sent is smaller than this Windows expects; nothing was changed."},
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
     "This system does not support the operation; nothing was changed."},
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
    if (wine && !nt_success(status))
        return ctx == NT_CTX_QUERY ? "Wine does not implement the memory lists; there are no real counts to show."
                                   : "Wine does not implement the memory lists; nothing was purged.";
    const struct status_info *s = status_find(status);
    if (s)
        return s->advice;
    return ctx == NT_CTX_QUERY ? "Windows refused the query; no counts were read."
                               : "Windows refused the call; assume nothing was changed.";
}

/* Win32 errors (winerror.h) that the calls here can leave in GetLastError
 * or that RtlNtStatusToDosError gives for the statuses above. */
static const struct win32_info {
    uint32_t code;
    const char *name;
} win32_table[] = {
    {0, "ERROR_SUCCESS"},
    {1, "ERROR_INVALID_FUNCTION"},
    {5, "ERROR_ACCESS_DENIED"},
    {6, "ERROR_INVALID_HANDLE"},
    {8, "ERROR_NOT_ENOUGH_MEMORY"},
    {14, "ERROR_OUTOFMEMORY"},
    {24, "ERROR_BAD_LENGTH"},
    {50, "ERROR_NOT_SUPPORTED"},
    {87, "ERROR_INVALID_PARAMETER"},
    {122, "ERROR_INSUFFICIENT_BUFFER"},
    {127, "ERROR_PROC_NOT_FOUND"},
    {234, "ERROR_MORE_DATA"},
    {317, "ERROR_MR_MID_NOT_FOUND"},
    {1300, "ERROR_NOT_ALL_ASSIGNED"},
    {1313, "ERROR_NO_SUCH_PRIVILEGE"},
    {1314, "ERROR_PRIVILEGE_NOT_HELD"},
    {1450, "ERROR_NO_SYSTEM_RESOURCES"},
};

const char *nt_win32_error_name(uint32_t error)
{
    for (size_t i = 0; i < sizeof win32_table / sizeof win32_table[0]; i++)
        if (win32_table[i].code == error)
            return win32_table[i].name;
    return NULL;
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

/* "ERROR_ACCESS_DENIED (Win32 error 5)", or "Win32 error 1234". */
static const char *win32_text(uint32_t error, char *buf, size_t size)
{
    const char *name = nt_win32_error_name(error);
    if (name)
        snprintf(buf, size, "%s (Win32 error %" PRIu32 ")", name, error);
    else
        snprintf(buf, size, "Win32 error %" PRIu32, error);
    return buf;
}

const char *nt_priv_explain(const struct nt_priv_steps *s, const char *privilege, char *buf, size_t size)
{
    char err[64];
    switch (nt_priv_decide(s)) {
    case NT_PRIV_ENABLED:
        snprintf(buf, size, "%s", "");
        break;
    case NT_PRIV_NOT_HELD:
        snprintf(buf, size, "AdjustTokenPrivileges could not enable %s: %s: this prompt is not elevated", privilege,
                 win32_text(s->adjust_error, err, sizeof err));
        break;
    case NT_PRIV_UNKNOWN_NAME:
        snprintf(buf, size, "LookupPrivilegeValue does not know %s: %s", privilege,
                 win32_text(s->lookup_error, err, sizeof err));
        break;
    case NT_PRIV_NO_TOKEN:
        snprintf(buf, size, "OpenProcessToken failed before %s could be enabled: %s", privilege,
                 win32_text(s->open_error, err, sizeof err));
        break;
    case NT_PRIV_FAILED:
        snprintf(buf, size, "AdjustTokenPrivileges failed to enable %s: %s", privilege,
                 win32_text(s->adjust_error, err, sizeof err));
        break;
    }
    return buf;
}

/* ---- The Windows mmsim runs on ---- */

/* Client and server names by version, newest first within a version;
 * a row applies from its build on. */
static const struct windows_name {
    uint32_t major, minor, build;
    bool server;
    const char *name;
} windows_table[] = {
    {10, 0, 22000, false, "Windows 11"},
    {10, 0, 0, false, "Windows 10"},
    {10, 0, 26100, true, "Windows Server 2025"},
    {10, 0, 20348, true, "Windows Server 2022"},
    {10, 0, 17763, true, "Windows Server 2019"},
    {10, 0, 0, true, "Windows Server 2016"},
    {6, 3, 0, false, "Windows 8.1"},
    {6, 3, 0, true, "Windows Server 2012 R2"},
    {6, 2, 0, false, "Windows 8"},
    {6, 2, 0, true, "Windows Server 2012"},
    {6, 1, 0, false, "Windows 7"},
    {6, 1, 0, true, "Windows Server 2008 R2"},
    {6, 0, 0, false, "Windows Vista"},
    {6, 0, 0, true, "Windows Server 2008"},
};

void nt_windows_name(uint32_t major, uint32_t minor, uint32_t build, bool server, char *buf, size_t size)
{
    const char *name = "Windows";
    for (size_t i = 0; i < sizeof windows_table / sizeof windows_table[0]; i++) {
        const struct windows_name *w = &windows_table[i];
        if (w->major == major && w->minor == minor && w->server == server && build >= w->build) {
            name = w->name;
            break;
        }
    }
    snprintf(buf, size, "%s (%" PRIu32 ".%" PRIu32 ".%" PRIu32 ")", name, major, minor, build);
}

const char *nt_wow64_refusal(unsigned ptr_bytes, bool wow64)
{
    if (ptr_bytes == 4 && wow64)
        return "this is the 32-bit mmsim.exe on 64-bit Windows: the memory-list structures it would send "
               "have x86 sizes, which the 64-bit kernel refuses; use the 64-bit mmsim.exe (make windows builds it)";
    return NULL;
}
