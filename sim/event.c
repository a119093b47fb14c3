/*
 * event.c - building events and handing them to the sink. Callers test
 * ev_on() first, so with no sink attached none of this runs.
 */
#include <string.h>

#include "machine.h"

void ev_emit(struct mm_machine *m, struct mm_event *ev)
{
    if (!m->sink)
        return;
    ev->seq = ++m->seq;
    m->sink(m->sink_ctx, ev);
}

void ev_page_move(struct mm_machine *m, mm_pfn frame, enum mm_list from, unsigned from_prio,
                  enum mm_list to, unsigned to_prio, enum mm_move_reason why)
{
    struct mm_event ev = {.kind = MM_EV_PAGE_MOVE};
    ev.u.move.frame = frame;
    ev.u.move.from = from;
    ev.u.move.to = to;
    ev.u.move.from_priority = (uint8_t)from_prio;
    ev.u.move.to_priority = (uint8_t)to_prio;
    ev.u.move.why = why;
    ev_emit(m, &ev);
}

void ev_wsle(struct mm_machine *m, uint32_t pid, uint32_t index, mm_va va, bool inserted,
             enum mm_ws_reason why)
{
    struct mm_event ev = {.kind = MM_EV_WSLE, .pid = pid};
    ev.u.wsle.index = index;
    ev.u.wsle.va = va;
    ev.u.wsle.inserted = inserted;
    ev.u.wsle.why = why;
    ev_emit(m, &ev);
}

void ev_io(struct mm_machine *m, uint32_t pid, bool write, uint32_t file, uint32_t slot, mm_pfn frame)
{
    struct mm_event ev = {.kind = MM_EV_PAGEFILE, .pid = pid};
    ev.u.io.write = write;
    ev.u.io.file = file;
    ev.u.io.slot = slot;
    ev.u.io.frame = frame;
    ev_emit(m, &ev);
}

void ev_thread(struct mm_machine *m, enum mm_thread t, enum mm_thread_action a, uint32_t pid,
               uint32_t count, uint32_t file, uint32_t slot, uint32_t arg)
{
    struct mm_event ev = {.kind = MM_EV_THREAD, .pid = pid};
    ev.u.thread.thread = t;
    ev.u.thread.action = a;
    ev.u.thread.count = count;
    ev.u.thread.file = file;
    ev.u.thread.slot = slot;
    ev.u.thread.arg = arg;
    ev_emit(m, &ev);
}

#define NAME_OF(table, i) ((unsigned)(i) < sizeof(table) / sizeof(table)[0] && (table)[i] ? (table)[i] : "?")

const char *mm_fault_kind_name(enum mm_fault_kind k)
{
    static const char *const n[] = {
        [MM_FAULT_NONE] = "none",
        [MM_FAULT_DEMAND_ZERO] = "demand-zero",
        [MM_FAULT_TRANSITION] = "transition",
        [MM_FAULT_PAGE_FILE] = "page-file",
        [MM_FAULT_PAGE_TABLE] = "page-table",
        [MM_FAULT_GUARD_PAGE] = "guard-page",
        [MM_FAULT_ACCESS_VIOLATION] = "access-violation",
        [MM_FAULT_NO_MEMORY] = "no-memory",
        [MM_FAULT_SHARED] = "shared",
        [MM_FAULT_MAPPED_FILE] = "mapped-file",
        [MM_FAULT_COPY_ON_WRITE] = "copy-on-write",
    };
    return NAME_OF(n, k);
}

const char *mm_av_reason_name(enum mm_av_reason r)
{
    static const char *const n[] = {
        [MM_AV_NONE] = "none",
        [MM_AV_NO_VAD] = "no-vad",
        [MM_AV_NOT_COMMITTED] = "not-committed",
        [MM_AV_NO_ACCESS] = "no-access",
        [MM_AV_WRITE] = "write-to-readonly",
        [MM_AV_EXECUTE] = "execute-non-executable",
        [MM_AV_KERNEL_ADDRESS] = "kernel-address",
    };
    return NAME_OF(n, r);
}

const char *mm_thread_name(enum mm_thread t)
{
    static const char *const n[] = {
        [MM_THREAD_MODIFIED_WRITER] = "modified page writer",
        [MM_THREAD_ZERO_PAGE] = "zero page thread",
        [MM_THREAD_WS_MANAGER] = "working-set manager",
        [MM_THREAD_MAPPED_WRITER] = "mapped page writer",
    };
    return NAME_OF(n, t);
}

const char *mm_event_kind_name(enum mm_event_kind k)
{
    static const char *const n[] = {
        [MM_EV_FAULT] = "fault",       [MM_EV_PAGE_MOVE] = "page-move", [MM_EV_PTE] = "pte",
        [MM_EV_WSLE] = "wsle",         [MM_EV_PAGEFILE] = "pagefile",   [MM_EV_THREAD] = "thread",
        [MM_EV_PROCESS] = "process",   [MM_EV_TLB_FLUSH] = "tlb-flush", [MM_EV_TLB] = "tlb",
        [MM_EV_FILE_IO] = "file-io",   [MM_EV_SECTION] = "section",     [MM_EV_VIEW] = "view",
    };
    return NAME_OF(n, k);
}

const char *mm_ws_reason_name(enum mm_ws_reason r)
{
    static const char *const n[] = {
        [MM_WS_FAULT] = "fault",   [MM_WS_SYSTEM] = "system", [MM_WS_REPLACE] = "replace",
        [MM_WS_TRIM] = "trim",     [MM_WS_PROTECT] = "protect", [MM_WS_DELETE] = "delete",
        [MM_WS_COMPACT] = "compact",
    };
    return NAME_OF(n, r);
}

const char *mm_access_name(enum mm_access_kind a)
{
    static const char *const n[] = {[MM_ACCESS_READ] = "read", [MM_ACCESS_WRITE] = "write",
                                    [MM_ACCESS_EXECUTE] = "execute"};
    return NAME_OF(n, a);
}
