/* fault.h - the page-fault handler (NT: MmAccessFault). */
#ifndef MMSIM_FAULT_H
#define MMSIM_FAULT_H

#include "machine.h"

/* The MMU could not translate va for `access`: classify the fault and
 * resolve it. STATUS_SUCCESS means "retry the access". Fills m->last_fault. */
mm_status fault_access(struct mm_machine *m, struct mm_process *p, mm_va va,
                       enum mm_access_kind access);

#endif
