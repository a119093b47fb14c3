/*
 * memlist.h - one interface to the memory lists, two backends.
 *
 * A backend reads the SYSTEM_MEMORY_LIST_INFORMATION counts and runs the
 * memory-list operations (marshal.h's enum nt_op). The simulated backend
 * (sim_backend.c) runs them on an mmsim machine; the Windows backend
 * (win_backend.c, built only for _WIN32) calls ntdll on the machine mmsim
 * runs on. Off Windows, nt_real_open() says why there is no real backend.
 *
 * Contract: a call that returns a failure status changed nothing that the
 * caller may report as done. Under Wine the Windows backend never calls
 * NtSetSystemInformation (Wine's is a stub that returns success and does
 * nothing) and fails every operation with STATUS_NOT_IMPLEMENTED.
 */
#ifndef MMSIM_NT_MEMLIST_H
#define MMSIM_NT_MEMLIST_H

#include <stdbool.h>
#include <stdint.h>

#include "marshal.h"
#include "mm.h"

/* What a query brings back: the lists plus the machine's physical size. */
struct nt_counts {
    struct mm_memory_list_info lists;
    uint64_t total_pages;    /* physical memory in pages */
};

struct nt_backend {
    char description[80];    /* "simulated", "Windows 10.0.19045", "Wine 8.0" */
    bool real;               /* the machine mmsim runs on */
    bool wine;               /* real, but Wine: nothing can be purged */
    /* the operations; ctx is the backend's own state */
    mm_status (*query)(struct nt_backend *b, struct nt_counts *out);
    mm_status (*run)(struct nt_backend *b, enum nt_op op, uint64_t *pages_combined);
    void (*close)(struct nt_backend *b);
    /* RtlNtStatusToDosError: the Win32 error for a status; NULL if none */
    uint32_t (*win32_error)(struct nt_backend *b, mm_status status);
    void *ctx;
};

/* The simulated backend on machine m (which stays the caller's). NULL
 * only when the host is out of memory. */
struct nt_backend *nt_sim_open(struct mm_machine *m);

/* The backend for this machine. NULL when there is none (not Windows,
 * ntdll lacks the functions); the reason is written to why. */
struct nt_backend *nt_real_open(char *why, size_t why_size);

/* Read the counts; STATUS_SUCCESS or the NTSTATUS of the failure. */
static inline mm_status nt_query(struct nt_backend *b, struct nt_counts *out) { return b->query(b, out); }
/* Run one operation; *pages_combined is set for NT_OP_COMBINE_PAGES. */
static inline mm_status nt_run(struct nt_backend *b, enum nt_op op, uint64_t *pages_combined)
{
    return b->run(b, op, pages_combined);
}
void nt_close(struct nt_backend *b);

#endif
