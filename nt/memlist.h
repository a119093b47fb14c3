/*
 * memlist.h - one interface to the memory lists, two backends.
 *
 * A backend reads the SYSTEM_MEMORY_LIST_INFORMATION counts and runs the
 * memory-list operations (marshal.h's enum nt_op). The simulated backend
 * (sim_backend.c) runs them on an mmsim machine; the Windows backend
 * (win_backend.c, on winapi.h's calls) runs them on the machine mmsim runs
 * on. nt_real_open() gives the Windows backend on Windows and says why
 * there is none elsewhere (real_open.c).
 *
 * Every query and operation fills a struct nt_result that says what
 * happened, truthfully: whether an NT call was made at all, the NTSTATUS
 * it returned, and the privilege step before it with each Win32 call's
 * error. A result whose outcome is not NT_DONE changed nothing that the
 * caller may report as done; a status is only ever one an NT call (or the
 * simulator's model of it) returned.
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
    unsigned fields;         /* SYSTEM_MEMORY_LIST_INFORMATION fields the query
                                filled: 22, or 21 before Windows 8 (then
                                ModifiedPageCountPageFile is unknown) */
};

/* What became of one query or operation. */
enum nt_outcome {
    NT_DONE,          /* the call was made and returned an NT_SUCCESS status */
    NT_FAILED,        /* the call was made and returned a failure status */
    NT_NO_PRIVILEGE,  /* the privilege the kernel checks could not be enabled;
                         the call was not made */
    NT_NOT_SENT,      /* not sent: it could not be done truthfully here
                         (Wine's stub, an operation the simulator lacks) */
    NT_BAD_REPLY      /* the call succeeded but its answer has a layout
                         mmsim does not know; nothing was read */
};

struct nt_result {
    enum nt_outcome outcome;
    const char *call;           /* the NT call, as nt_op_call() names it */
    mm_status status;           /* what it returned (NT_DONE, NT_FAILED) */
    const char *privilege;      /* the privilege enabled first; NULL: none tried */
    bool privilege_enabled;
    struct nt_priv_steps priv;  /* each step of enabling it */
    char why[200];              /* NT_NOT_SENT, NT_BAD_REPLY: what and why */
};

struct nt_backend {
    char description[80];    /* "simulated", "Windows 11 (10.0.22631)", "Wine 8.0" */
    bool real;               /* the machine mmsim runs on */
    bool wine;               /* real, but Wine: nothing can be purged */
    /* The operations; each fills *r and returns whether the outcome is
     * NT_DONE. ctx is the backend's own state. */
    bool (*query)(struct nt_backend *b, struct nt_counts *out, struct nt_result *r);
    bool (*run)(struct nt_backend *b, enum nt_op op, uint64_t *pages_combined, struct nt_result *r);
    void (*close)(struct nt_backend *b);
    /* RtlNtStatusToDosError: the Win32 error for a status; NULL if none */
    uint32_t (*win32_error)(struct nt_backend *b, mm_status status);
    void *ctx;
};

/* The simulated backend on machine m (which stays the caller's). NULL
 * only when the host is out of memory. */
struct nt_backend *nt_sim_open(struct mm_machine *m);

/* The backend for this machine. NULL when there is none (not Windows, the
 * 32-bit build under WOW64, ntdll lacks the functions); the reason is
 * written to why. */
struct nt_backend *nt_real_open(char *why, size_t why_size);
/* The Windows backend itself, built on winapi.h (nt_real_open calls it
 * on Windows; the tests call it over a stand-in for winapi.h). */
struct nt_backend *nt_win_open(char *why, size_t why_size);

/* Read the counts (NtQuerySystemInformation(SystemMemoryListInformation)). */
static inline bool nt_query(struct nt_backend *b, struct nt_counts *out, struct nt_result *r)
{
    return b->query(b, out, r);
}
/* Run one operation; *pages_combined is set for NT_OP_COMBINE_PAGES. */
static inline bool nt_run(struct nt_backend *b, enum nt_op op, uint64_t *pages_combined, struct nt_result *r)
{
    return b->run(b, op, pages_combined, r);
}
void nt_close(struct nt_backend *b);

/* A result for `call` with nothing happened yet (outcome NT_NOT_SENT). */
void nt_result_init(struct nt_result *r, const char *call);

#endif
