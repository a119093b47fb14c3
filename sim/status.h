/* status.h - NT status codes returned by the engine (ntstatus.h values). */
#ifndef MMSIM_STATUS_H
#define MMSIM_STATUS_H

#include <stdbool.h>
#include <stdint.h>

typedef uint32_t mm_status;   /* an NTSTATUS, kept unsigned to avoid sign games */

#define STATUS_SUCCESS                 0x00000000u
#define STATUS_PAGE_FAULT_GUARD_PAGE   0x00000114u   /* a stack guard page moved down: retry */
#define STATUS_GUARD_PAGE_VIOLATION    0x80000001u
#define STATUS_INVALID_INFO_CLASS      0xC0000003u
#define STATUS_ACCESS_VIOLATION        0xC0000005u
#define STATUS_IN_PAGE_ERROR           0xC0000006u
#define STATUS_INVALID_CID             0xC000000Bu
#define STATUS_INVALID_PARAMETER       0xC000000Du
#define STATUS_NO_MEMORY               0xC0000017u
#define STATUS_CONFLICTING_ADDRESSES   0xC0000018u
#define STATUS_UNABLE_TO_FREE_VM       0xC000001Au
#define STATUS_ALREADY_COMMITTED       0xC0000021u
#define STATUS_ACCESS_DENIED           0xC0000022u
#define STATUS_NOT_COMMITTED           0xC000002Du
#define STATUS_INVALID_PAGE_PROTECTION 0xC0000045u
#define STATUS_BAD_WORKING_SET_LIMIT   0xC000004Cu
#define STATUS_PRIVILEGE_NOT_HELD      0xC0000061u
#define STATUS_FREE_VM_NOT_AT_BASE     0xC000009Fu
#define STATUS_MEMORY_NOT_ALLOCATED    0xC00000A0u
#define STATUS_INSUFFICIENT_RESOURCES  0xC000009Au
#define STATUS_STACK_OVERFLOW          0xC00000FDu
#define STATUS_COMMITMENT_LIMIT        0xC000012Du
#define STATUS_INVALID_HANDLE          0xC0000008u
#define STATUS_NOT_MAPPED_VIEW         0xC0000019u
#define STATUS_UNABLE_TO_DELETE_SECTION 0xC000001Bu
#define STATUS_INVALID_VIEW_SIZE       0xC000001Fu
#define STATUS_INVALID_FILE_FOR_SECTION 0xC0000020u
#define STATUS_UNABLE_TO_DECOMMIT_VM   0xC000002Cu
#define STATUS_OBJECT_NAME_COLLISION   0xC0000035u
#define STATUS_SECTION_TOO_BIG         0xC0000040u
#define STATUS_SECTION_PROTECTION      0xC000004Eu
#define STATUS_NOT_SUPPORTED           0xC00000BBu
#define STATUS_MAPPED_ALIGNMENT        0xC0000220u

/* NT_SUCCESS: severity bits 00 or 01. */
static inline bool mm_success(mm_status s) { return s < 0x80000000u; }
/* "STATUS_ACCESS_VIOLATION", or NULL for a code mmsim does not know. */
const char *mm_status_name(mm_status s);
/* The i-th name mmsim knows (0-based, in the table's order), or NULL past
 * the last: what a scenario's `status` may name, for the schema's drift check. */
const char *mm_status_nth_name(uint32_t i);
/* The value for a name (with or without the STATUS_ prefix); false if unknown. */
bool mm_status_from_name(const char *name, mm_status *out);

#endif
