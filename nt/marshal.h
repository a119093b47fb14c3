/*
 * marshal.h - the byte layouts, numbers and decisions behind the real NT
 * memory-list calls, as pure functions that run (and are tested) on any
 * host. The Windows backend (win_backend.c) only moves bytes between these
 * functions and ntdll; everything that can be wrong about a structure's
 * size, a field's offset, an NTSTATUS's meaning or the privilege dance is
 * decided here.
 *
 * Layouts are given for both pointer sizes (4 = x86, 8 = x64) because a
 * SIZE_T, HANDLE or ULONG_PTR has the pointer's size and the structures
 * are laid out with natural alignment:
 *
 *   SYSTEM_MEMORY_LIST_INFORMATION (query, class 80): 22 SIZE_T
 *     ZeroPageCount FreePageCount ModifiedPageCount ModifiedNoWritePageCount
 *     BadPageCount PageCountByPriority[8] RepurposedPagesByPriority[8]
 *     ModifiedPageCountPageFile                    88 bytes x86, 176 x64
 *   SYSTEM_MEMORY_LIST_COMMAND (set, class 80): one ULONG, 0..5
 *   SYSTEM_FILECACHE_INFORMATION (set, class 81)
 *     SIZE_T CurrentSize, PeakSize; ULONG PageFaultCount;
 *     SIZE_T MinimumWorkingSet, MaximumWorkingSet,
 *            CurrentSizeIncludingTransitionInPages,
 *            PeakSizeIncludingTransitionInPages;
 *     ULONG TransitionRePurposeCount, Flags     36 bytes x86, 64 x64
 *   MEMORY_COMBINE_INFORMATION_EX (set, class 130)
 *     HANDLE Handle; ULONG_PTR PagesCombined; ULONG Flags
 *                                               12 bytes x86, 24 x64
 */
#ifndef MMSIM_NT_MARSHAL_H
#define MMSIM_NT_MARSHAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm.h"
#include "privilege.h"

/* SYSTEM_INFORMATION_CLASS values used here. */
#define NT_CLASS_MEMORY_LIST      80u    /* SystemMemoryListInformation */
#define NT_CLASS_FILECACHE_EX     81u    /* SystemFileCacheInformationEx */
#define NT_CLASS_COMBINE_PHYSICAL 130u   /* SystemCombinePhysicalMemoryInformation */

/* Status codes beyond those of sim/status.h that these calls return. */
#define NT_STATUS_NOT_IMPLEMENTED      0xC0000002u
#define NT_STATUS_INFO_LENGTH_MISMATCH 0xC0000004u
#define NT_STATUS_NOT_SUPPORTED        0xC00000BBu
#define NT_STATUS_PROCEDURE_NOT_FOUND  0xC000007Au
#define NT_STATUS_BUFFER_TOO_SMALL     0xC0000023u

#define NT_MEMLIST_FIELDS 22u   /* from Windows 8 on; 21 before */

/* ---- The operations mmsim offers ---- */

/* 0..5 are SYSTEM_MEMORY_LIST_COMMAND values (mm_memory_list_command);
 * the last two are the neighbouring operations of other classes. */
enum nt_op {
    NT_OP_CAPTURE_ACCESSED_BITS = MemoryCaptureAccessedBits,
    NT_OP_CAPTURE_AND_RESET_ACCESSED_BITS = MemoryCaptureAndResetAccessedBits,
    NT_OP_EMPTY_WORKING_SETS = MemoryEmptyWorkingSets,
    NT_OP_FLUSH_MODIFIED = MemoryFlushModifiedList,
    NT_OP_PURGE_STANDBY = MemoryPurgeStandbyList,
    NT_OP_PURGE_LOW_PRIORITY_STANDBY = MemoryPurgeLowPriorityStandbyList,
    NT_OP_EMPTY_FILE_CACHE = 6,     /* class 81 */
    NT_OP_COMBINE_PAGES = 7,        /* class 130 */
    NT_OP_COUNT = 8
};

/* The command-line name ("purge-standby") of an operation; NULL if none. */
const char *nt_op_name(enum nt_op op);
/* What the operation does, in a few words. */
const char *nt_op_summary(enum nt_op op);
/* The operation named `name`; false when there is none. */
bool nt_op_from_name(const char *name, enum nt_op *op);
/* The information class an operation is sent with. */
uint32_t nt_op_class(enum nt_op op);
/* The NT call an operation is, as messages name it:
 * "NtSetSystemInformation(SystemMemoryListInformation, MemoryPurgeStandbyList)". */
const char *nt_op_call(enum nt_op op);
/* The privilege the kernel checks before it runs the operation
 * ("SeProfileSingleProcessPrivilege"); NULL when it checks none
 * (MemoryFlushModifiedList). */
const char *nt_op_privilege(enum nt_op op);
/* Whether the simulator runs the operation (it has no system file cache
 * and does not combine pages). */
bool nt_op_simulated(enum nt_op op);

#define NT_MAX_SEQUENCE 16u

/* Why a sequence was refused; word/len locate the offending name in the
 * text parsed (not NUL-terminated; len 0 for an empty name). */
enum nt_seq_problem {
    NT_SEQ_EMPTY,          /* the whole text is empty */
    NT_SEQ_EMPTY_NAME,     /* two commas in a row, or one at either end */
    NT_SEQ_UNKNOWN,        /* a name that is no operation */
    NT_SEQ_ALL_NOT_ALONE,  /* "all" among other names */
    NT_SEQ_TOO_MANY        /* more than NT_MAX_SEQUENCE operations */
};
struct nt_seq_error {
    enum nt_seq_problem problem;
    const char *word;
    size_t len;
};
/* Parse "all" (the three-step purge: empty-working-sets, flush-modified,
 * purge-standby) or a comma-separated list of names into ops[]; returns
 * the count, or 0 with the problem in *err. Any length of text is safe. */
size_t nt_sequence_parse(const char *text, enum nt_op ops[NT_MAX_SEQUENCE], struct nt_seq_error *err);

/* ---- Structure layouts ---- */

/* Size of SYSTEM_MEMORY_LIST_INFORMATION for a pointer size of 4 or 8. */
size_t nt_memlist_size(unsigned ptr_bytes);
/* Offset of field `index` (0 ZeroPageCount ... 21 ModifiedPageCountPageFile). */
size_t nt_memlist_offset(unsigned index, unsigned ptr_bytes);
/* The name of field `index` as NT spells it ("PageCountByPriority[3]"). */
const char *nt_memlist_field_name(unsigned index, char *buf, size_t size);
/* The fewest fields a successful query fills: before Windows 8 the
 * structure ends before ModifiedPageCountPageFile. */
#define NT_MEMLIST_MIN_FIELDS 21u
/* Decode a little-endian SYSTEM_MEMORY_LIST_INFORMATION of which the
 * kernel filled `len` bytes (its ReturnLength). Fields past `len` read 0
 * and *fields says how many were filled. False when len is not a whole
 * number of fields from NT_MEMLIST_MIN_FIELDS to NT_MEMLIST_FIELDS, or
 * ptr_bytes is not 4 or 8. */
bool nt_memlist_decode(const unsigned char *buf, size_t len, unsigned ptr_bytes,
                       struct mm_memory_list_info *out, unsigned *fields);

/* SYSTEM_FILECACHE_INFORMATION: size, the offsets of Minimum/
 * MaximumWorkingSet, and the buffer that asks the cache manager to empty
 * the system file cache (both working-set limits (SIZE_T)-1). */
size_t nt_filecache_size(unsigned ptr_bytes);
size_t nt_filecache_min_offset(unsigned ptr_bytes);
size_t nt_filecache_max_offset(unsigned ptr_bytes);
void nt_filecache_encode_empty(unsigned char *buf, unsigned ptr_bytes);

/* MEMORY_COMBINE_INFORMATION_EX: size, offset of PagesCombined, and a
 * decoder for the count that comes back. */
size_t nt_combine_size(unsigned ptr_bytes);
size_t nt_combine_pages_offset(unsigned ptr_bytes);
uint64_t nt_combine_decode_pages(const unsigned char *buf, unsigned ptr_bytes);

/* ---- Status codes and Win32 errors ---- */

/* The context a status is explained in. */
enum nt_context { NT_CTX_QUERY, NT_CTX_COMMAND };

/* NT_SUCCESS: a success or informational status (severity 0 or 1). */
static inline bool nt_success(uint32_t status) { return mm_success(status); }
/* "STATUS_PRIVILEGE_NOT_HELD"; NULL for a code not in the table. */
const char *nt_status_name(uint32_t status);
/* A sentence the user can act on; `wine` selects the Wine explanation.
 * Never NULL: an unknown code gets a generic sentence. */
const char *nt_status_advice(uint32_t status, enum nt_context ctx, bool wine);
/* "ERROR_NOT_ALL_ASSIGNED"; NULL for a Win32 error not in the table. */
const char *nt_win32_error_name(uint32_t error);

/* ---- Privileges ---- */

/* What one attempt to enable `privilege` came to, in a sentence without
 * a final stop: the call that failed, its Win32 error (name and number)
 * and, for ERROR_NOT_ALL_ASSIGNED, "this prompt is not elevated". Empty
 * when the privilege was enabled. */
const char *nt_priv_explain(const struct nt_priv_steps *s, const char *privilege, char *buf, size_t size);

/* ---- The Windows mmsim runs on ---- */

/* "Windows 11 (10.0.22631)", "Windows Server 2022 (10.0.20348)",
 * "Windows 7 (6.1.7601)" from RtlGetVersion's numbers; Windows 11 is
 * 10.0 from build 22000 on. `server` when wProductType is not
 * VER_NT_WORKSTATION. */
void nt_windows_name(uint32_t major, uint32_t minor, uint32_t build, bool server, char *buf, size_t size);
/* Why this build must not send the memory-list calls, or NULL when it
 * may: a program with 4-byte pointers under WOW64 (32-bit mmsim.exe on
 * 64-bit Windows) would send x86-sized structures to the x64 kernel. */
const char *nt_wow64_refusal(unsigned ptr_bytes, bool wow64);

#endif
