/* wsmgr.h - the working-set manager (NT: MmWorkingSetManager). */
#ifndef MMSIM_WSMGR_H
#define MMSIM_WSMGR_H

#include "machine.h"

/* One pass of the working-set manager (NT: MmWorkingSetManager): age every
 * working set, and when available pages are below the low mark trim sets
 * above their maximum, then above their minimum, oldest pages first,
 * until the plenty mark is reached. Returns pages trimmed. */
uint32_t wsmgr_run(struct mm_machine *m, enum mm_wake_reason why);

#endif
