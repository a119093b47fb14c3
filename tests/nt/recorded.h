/*
 * recorded.h - the real values the nt/ marshalling must reproduce,
 * recorded from the public headers and documentation summarised in
 * ../shared/reference/nt-facts.md (phnt / System Informer headers, the
 * Windows SDK, Microsoft Learn). The tests compare nt/ against this table,
 * never against nt/'s own constants.
 */
#ifndef MMSIM_TESTS_NT_RECORDED_H
#define MMSIM_TESTS_NT_RECORDED_H

/* SYSTEM_INFORMATION_CLASS */
#define REC_SystemMemoryListInformation          80
#define REC_SystemFileCacheInformationEx         81
#define REC_SystemCombinePhysicalMemoryInformation 130

/* SYSTEM_MEMORY_LIST_COMMAND */
#define REC_MemoryCaptureAccessedBits          0
#define REC_MemoryCaptureAndResetAccessedBits  1
#define REC_MemoryEmptyWorkingSets             2
#define REC_MemoryFlushModifiedList            3
#define REC_MemoryPurgeStandbyList             4
#define REC_MemoryPurgeLowPriorityStandbyList  5
#define REC_MemoryCommandMax                   6

/* sizeof, per architecture */
#define REC_SYSTEM_MEMORY_LIST_INFORMATION_X86 88
#define REC_SYSTEM_MEMORY_LIST_INFORMATION_X64 176
#define REC_SYSTEM_FILECACHE_INFORMATION_X86   36
#define REC_SYSTEM_FILECACHE_INFORMATION_X64   64
#define REC_MEMORY_COMBINE_INFORMATION_EX_X86  12
#define REC_MEMORY_COMBINE_INFORMATION_EX_X64  24

/* SYSTEM_FILECACHE_INFORMATION offsets of MinimumWorkingSet/MaximumWorkingSet */
#define REC_FILECACHE_MIN_X86 12
#define REC_FILECACHE_MAX_X86 16
#define REC_FILECACHE_MIN_X64 24
#define REC_FILECACHE_MAX_X64 32

/* SYSTEM_MEMORY_LIST_INFORMATION field order */
static const char *const rec_memlist_fields[22] = {
    "ZeroPageCount", "FreePageCount", "ModifiedPageCount", "ModifiedNoWritePageCount", "BadPageCount",
    "PageCountByPriority[0]", "PageCountByPriority[1]", "PageCountByPriority[2]", "PageCountByPriority[3]",
    "PageCountByPriority[4]", "PageCountByPriority[5]", "PageCountByPriority[6]", "PageCountByPriority[7]",
    "RepurposedPagesByPriority[0]", "RepurposedPagesByPriority[1]", "RepurposedPagesByPriority[2]",
    "RepurposedPagesByPriority[3]", "RepurposedPagesByPriority[4]", "RepurposedPagesByPriority[5]",
    "RepurposedPagesByPriority[6]", "RepurposedPagesByPriority[7]", "ModifiedPageCountPageFile",
};

/* NTSTATUS values (ntstatus.h) */
#define REC_STATUS_SUCCESS              0x00000000u
#define REC_STATUS_NOT_IMPLEMENTED      0xC0000002u
#define REC_STATUS_INVALID_INFO_CLASS   0xC0000003u
#define REC_STATUS_INFO_LENGTH_MISMATCH 0xC0000004u
#define REC_STATUS_INVALID_PARAMETER    0xC000000Du
#define REC_STATUS_ACCESS_DENIED        0xC0000022u
#define REC_STATUS_PRIVILEGE_NOT_HELD   0xC0000061u
#define REC_STATUS_NOT_SUPPORTED        0xC00000BBu
#define REC_STATUS_INSUFFICIENT_RESOURCES 0xC000009Au

/* Privileges: LUID low parts (winnt.h SE_*_PRIVILEGE) and names */
#define REC_SE_INCREASE_QUOTA_PRIVILEGE       5
#define REC_SE_PROF_SINGLE_PROCESS_PRIVILEGE 13

/* Win32 errors (winerror.h) */
#define REC_ERROR_SUCCESS           0
#define REC_ERROR_ACCESS_DENIED     5
#define REC_ERROR_INVALID_PARAMETER 87
#define REC_ERROR_NOT_ALL_ASSIGNED  1300
#define REC_ERROR_NO_SUCH_PRIVILEGE 1313
#define REC_ERROR_PRIVILEGE_NOT_HELD 1314

#endif
