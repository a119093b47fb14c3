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

#define NT_MEMLIST_FIELDS 22u

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
/* The privilege an operation needs ("SeProfileSingleProcessPrivilege"). */
const char *nt_op_privilege(enum nt_op op);

#define NT_MAX_SEQUENCE 16u
/* Parse "all" (the three-step purge: empty-working-sets, flush-modified,
 * purge-standby) or a comma-separated list of names into ops[]; returns
 * the count, or 0 with the offending word in *bad (a pointer into a
 * static copy, valid until the next call) when a name is unknown or the
 * list is empty or longer than NT_MAX_SEQUENCE. */
size_t nt_sequence_parse(const char *text, enum nt_op ops[NT_MAX_SEQUENCE], const char **bad);

/* ---- Structure layouts ---- */

/* Size of SYSTEM_MEMORY_LIST_INFORMATION for a pointer size of 4 or 8. */
size_t nt_memlist_size(unsigned ptr_bytes);
/* Offset of field `index` (0 ZeroPageCount ... 21 ModifiedPageCountPageFile). */
size_t nt_memlist_offset(unsigned index, unsigned ptr_bytes);
/* The name of field `index` as NT spells it ("PageCountByPriority[3]"). */
const char *nt_memlist_field_name(unsigned index, char *buf, size_t size);
/* Decode a little-endian SYSTEM_MEMORY_LIST_INFORMATION of `len` bytes;
 * false when len is not nt_memlist_size(ptr_bytes). */
bool nt_memlist_decode(const unsigned char *buf, size_t len, unsigned ptr_bytes,
                       struct mm_memory_list_info *out);

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

/* ---- Status codes ---- */

/* The context a status is explained in. */
enum nt_context { NT_CTX_QUERY, NT_CTX_COMMAND, NT_CTX_PRIVILEGE };

/* "STATUS_PRIVILEGE_NOT_HELD"; NULL for a code not in the table. */
const char *nt_status_name(uint32_t status);
/* A sentence the user can act on; `wine` selects the Wine explanation.
 * Never NULL: an unknown code gets a generic sentence. */
const char *nt_status_advice(uint32_t status, enum nt_context ctx, bool wine);

#endif
