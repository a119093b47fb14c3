/*
 * event.h - what the engine tells the world. Every change of state is
 * reported as one typed event to the sink the caller attached; front ends
 * (narrator, JSON lines, mmviz, tests) all render the same stream. With no
 * sink attached nothing is built.
 */
#ifndef MMSIM_EVENT_H
#define MMSIM_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "mmpfn.h"
#include "pte.h"
#include "status.h"

/* How a page fault was resolved (one kind per resolver in fault.c). */
enum mm_fault_kind {
    MM_FAULT_NONE,              /* no fault: the translation was valid */
    MM_FAULT_DEMAND_ZERO,       /* MiResolveDemandZeroFault */
    MM_FAULT_TRANSITION,        /* MiResolveTransitionFault */
    MM_FAULT_PAGE_FILE,         /* MiResolvePageFileFault (hard) */
    MM_FAULT_PAGE_TABLE,        /* page-table page made present */
    MM_FAULT_GUARD_PAGE,        /* STATUS_GUARD_PAGE_VIOLATION */
    MM_FAULT_ACCESS_VIOLATION,  /* STATUS_ACCESS_VIOLATION */
    MM_FAULT_NO_MEMORY,         /* no frame could be found */
    MM_FAULT_SHARED,            /* MiResolveProtoPteFault, the prototype PTE valid: the page
                                   is in memory for another process, only a mapping is added */
    MM_FAULT_MAPPED_FILE,       /* MiResolveProtoPteFault -> in-page from the mapped file (hard) */
    MM_FAULT_COPY_ON_WRITE,     /* MiCopyOnWrite: a private copy of a shared page */
    MM_FAULT_KIND_COUNT
};

/* Why an access violation was raised. */
enum mm_av_reason {
    MM_AV_NONE,
    MM_AV_NO_VAD,           /* the address is not reserved */
    MM_AV_NOT_COMMITTED,    /* reserved, or decommitted, but not committed */
    MM_AV_NO_ACCESS,        /* PAGE_NOACCESS */
    MM_AV_WRITE,            /* write to a page that is not writable */
    MM_AV_EXECUTE,          /* execute from a page that is not executable */
    MM_AV_KERNEL_ADDRESS,   /* user access above MmHighestUserAddress */
    MM_AV_REASON_COUNT
};

enum mm_thread {
    MM_THREAD_MODIFIED_WRITER,
    MM_THREAD_ZERO_PAGE,
    MM_THREAD_WS_MANAGER,
    MM_THREAD_MAPPED_WRITER,
    MM_THREAD_COUNT
};

enum mm_thread_action {
    MM_THREAD_WAKE,       /* started; arg = why (MM_WAKE_*) */
    MM_THREAD_CLUSTER,    /* writer: one cluster write; file, slot, count */
    MM_THREAD_TRIM,       /* working-set manager trimmed pid by count pages */
    MM_THREAD_DONE        /* finished; count = pages it handled */
};

enum mm_wake_reason { MM_WAKE_ASKED, MM_WAKE_PERIOD, MM_WAKE_THRESHOLD, MM_WAKE_LOW_MEMORY };

/* Why a working-set entry came or went. */
enum mm_ws_reason {
    MM_WS_FAULT,        /* inserted by a fault */
    MM_WS_SYSTEM,       /* directory, hyperspace, list page, page table */
    MM_WS_REPLACE,      /* removed by the replacement policy at the maximum */
    MM_WS_TRIM,         /* removed by trimming (manager, caller, command) */
    MM_WS_PROTECT,      /* removed because the page became no-access/guard */
    MM_WS_DELETE,       /* removed because the page was freed */
    MM_WS_COMPACT,      /* moved down when the list was compacted (a pair: out, in) */
    MM_WS_REASON_COUNT
};

enum mm_event_kind {
    MM_EV_FAULT,        /* a fault was raised and resolved (or not) */
    MM_EV_PAGE_MOVE,    /* a frame moved between lists */
    MM_EV_PTE,          /* a PDE or PTE changed value */
    MM_EV_WSLE,         /* a working-set entry was inserted or removed */
    MM_EV_PAGEFILE,     /* a paging-file slot was read or written */
    MM_EV_THREAD,       /* a system thread acted */
    MM_EV_PROCESS,      /* a process was created or terminated */
    MM_EV_TLB_FLUSH,    /* the whole TLB was flushed (address-space switch) */
    MM_EV_TLB,          /* one translation looked up in the TLB: a hit, or a miss and a fill */
    MM_EV_FILE_IO,      /* a page of a mapped file was read or written */
    MM_EV_SECTION,      /* a section was created or deleted */
    MM_EV_VIEW,         /* a view of a section was mapped or unmapped */
    MM_EV_KIND_COUNT
};

struct mm_event {
    enum mm_event_kind kind;
    uint32_t pid;           /* the process concerned, 0 for none */
    uint64_t seq;           /* position in the machine's stream, from 1 */
    union {
        struct {
            mm_va va;
            enum mm_access_kind access;
            enum mm_fault_kind kind;
            enum mm_av_reason av;
            mm_status status;
            mm_pfn frame;             /* the frame that resolved it, if any */
            enum mm_list from;        /* transition: the list it came from */
            mm_va guard;              /* guard page of a thread stack: the new guard
                                         page (MiCheckForUserStackOverflow), else 0 */
            uint64_t since;           /* the seq the fault's first event would have:
                                         the events from there to this one are its
                                         resolution (a fault's event comes last) */
        } fault;
        struct {
            mm_pfn frame;
            enum mm_list from, to;
            uint8_t from_priority, to_priority;
            enum mm_move_reason why;
        } move;
        struct {
            mm_va pte_va;        /* where the entry lives (self-map address) */
            mm_va va;            /* the address it maps */
            mm_pte old_value, new_value;
            bool is_pde;
            bool by_hardware;    /* accessed/dirty bits set by the MMU */
            bool proto;          /* a prototype PTE (pte_va in paged pool; va and pid 0) */
        } pte;
        struct {
            uint32_t index;
            mm_va va;
            bool inserted;
            enum mm_ws_reason why;
        } wsle;
        struct {
            bool write;
            bool freed;       /* the slot was given back (its copy is stale or gone) */
            bool extended;    /* the file grew (MiExtendPagingFiles): slot = its new size */
            uint32_t file, slot;
            mm_pfn frame;
        } io;
        struct {
            mm_va va;
            bool hit;
            uint32_t slot;        /* the entry looked in (direct-mapped by VPN) */
            uint32_t old_vpn;     /* on a fill: the VPN the entry held, TLB_INVALID_TAG if none;
                                     on a miss that faults: the VPN looked up when the
                                     entry held it and was dropped, else TLB_INVALID_TAG */
            mm_pfn frame;
        } tlb;
        struct {
            enum mm_thread thread;
            enum mm_thread_action action;
            uint32_t count;
            uint32_t file, slot;  /* cluster writes */
            uint32_t arg;         /* wake reason */
        } thread;
        struct {
            bool created;
        } process;
        struct {
            bool write;
            uint32_t file, file_page, section;
            mm_pfn frame;
        } file_io;
        struct {
            uint32_t section;
            bool created;
        } section;
        struct {
            uint32_t section;
            mm_va base;
            uint32_t pages, first_page;
            bool mapped;
        } view;
    } u;
};

/* The last fault raised by an access (for the inspection API). */
struct mm_fault_info {
    uint32_t pid;
    mm_va va;
    enum mm_access_kind access;
    enum mm_fault_kind kind;          /* how the final PTE fault was resolved */
    enum mm_av_reason av;
    mm_status status;
    bool page_table_made;             /* a new page table was made first */
    enum mm_fault_kind table_fault;   /* how the page table was made present first:
                                         MM_FAULT_PAGE_TABLE (new), MM_FAULT_TRANSITION or
                                         MM_FAULT_PAGE_FILE (paged out), or MM_FAULT_NONE */
    uint64_t since;                   /* the event stream's position when it was raised */
};

typedef void (*mm_event_fn)(void *ctx, const struct mm_event *ev);

const char *mm_fault_kind_name(enum mm_fault_kind k);
const char *mm_av_reason_name(enum mm_av_reason r);
const char *mm_thread_name(enum mm_thread t);
const char *mm_event_kind_name(enum mm_event_kind k);
const char *mm_ws_reason_name(enum mm_ws_reason r);
const char *mm_access_name(enum mm_access_kind a);

#endif
