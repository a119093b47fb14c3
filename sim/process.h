/*
 * process.h - a process as the memory manager sees it: its page directory,
 * working set, VADs, page-table use counts and commit charge (the memory
 * manager's part of NT's EPROCESS).
 *
 * Creating a process builds three frames, locked in its working set below
 * FirstDynamic as NT does:
 *   WSLE 0  the page directory, which maps itself at PDE 0x300 so page
 *           tables appear at 0xC0000000 and the directory at 0xC0300000;
 *   WSLE 1  the hyperspace page table (PDE 0x301, 0xC0400000-0xC07FFFFF);
 *   WSLE 2  the working-set list page, mapped in hyperspace at 0xC0502000.
 */
#ifndef MMSIM_PROCESS_H
#define MMSIM_PROCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"
#include "vad.h"
#include "ws.h"

#define MM_PROCESS_NAME_MAX 32u
#define MM_MAX_PINS         4u    /* pages one operation keeps in its working set */
#define MM_MAX_STACKS       16u   /* thread stacks per process */

/* A thread's user stack, as its TEB describes it (NT_TIB StackBase and
 * StackLimit, TEB DeallocationStack): the reservation runs from
 * deallocation up to base; pages from limit up to base are committed, and
 * the page just below limit is the guard page.
 * SIMPLIFIED: kept in the process, not in a TEB (mmsim has no threads),
 * and without GuaranteedStackBytes. */
struct mm_stack {
    mm_va deallocation;   /* DeallocationStack: the reservation's base */
    mm_va base;           /* StackBase: one past the highest stack byte */
    mm_va limit;          /* StackLimit: the lowest committed page, guard page excluded */
};

struct mm_process {
    uint32_t pid;                       /* 1.. ; 0 means "no process" */
    bool live;
    char name[MM_PROCESS_NAME_MAX];
    mm_pfn directory;                   /* DirectoryTableBase >> 12 (CR3) */
    mm_pfn hyperspace;                  /* the hyperspace page table */
    mm_pfn wsl_page;                    /* the working-set list's page */
    struct mm_wsl ws;
    struct mm_vad_tree vads;
    uint16_t used_ptes[PTES_PER_PAGE];  /* non-zero PTEs per page table (NT: UsedPageTableEntries) */
    uint32_t commit_charge, commit_peak;/* CommitCharge in pages */
    unsigned page_priority;             /* standby priority of its pages (SIMPLIFIED: per process;
                                           NT sets it per thread and per I/O) */
    bool modified_no_write;             /* its dirty pages go to ModifiedNoWrite */
    uint64_t page_fault_count;          /* faults that put a page in the working set (NT:
                                           Vm.PageFaultCount, counted in MiAllocateWsle) */
    uint64_t faults[MM_FAULT_KIND_COUNT];
    struct mm_stack stack[MM_MAX_STACKS];
    uint32_t stacks;
    /* Pages the operation under way needs to keep (the first page of an
     * access that straddles two): replacement and trimming pass them over.
     * SIMPLIFIED: NT keeps such pages by holding the working-set lock and
     * by its replacement rules; mmsim names them. */
    mm_va pin[MM_MAX_PINS];
    uint32_t pins;
    /* While non-zero, none of the process's page tables may leave its
     * working set: a fault or a virtual-memory service is writing its PTEs. */
    uint32_t hold_tables;
};

struct mm_machine;

#endif
