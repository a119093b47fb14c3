/*
 * machine.c - the bottom of the engine: panic, and the address space in
 * CR3. Building a machine is init.c's; time is clock.c's; the read-only
 * inspection API is inspect.c's.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "machine.h"
#include "mm.h"

_Noreturn void mm_panic(const char *fn, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "mmsim: internal error in %s: ", fn);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

_Noreturn void mm_host_exhausted(const char *fn, const char *what)
{
    fflush(stdout);
    fprintf(stderr, "mmsim: the host is out of memory (%s, in %s); the simulation stops here\n", what, fn);
    exit(3);
}

void process_attach(struct mm_machine *m, struct mm_process *p)
{
    m->current = p;
    tlb_flush(&m->tlb);
    if (ev_on(m)) {
        struct mm_event ev = {.kind = MM_EV_TLB_FLUSH, .pid = p ? p->pid : 0};
        ev_emit(m, &ev);
    }
}

struct mm_process *process_by_directory(struct mm_machine *m, mm_pfn dir)
{
    for (uint32_t i = 0; i < m->process_slots; i++)
        if (m->process[i].live && m->process[i].directory == dir)
            return &m->process[i];
    return NULL;
}

