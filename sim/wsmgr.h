/* wsmgr.h - the working-set manager and making pages available. */
#ifndef MMSIM_WSMGR_H
#define MMSIM_WSMGR_H

#include "machine.h"

/* Make sure at least `pages` pages are available (Zeroed + Free + Standby)
 * before taking them, by running the modified page writer and trimming
 * working sets as NT's MiEnsureAvailablePageOrWait waits for them to.
 * STATUS_NO_MEMORY when nothing more can be freed. */
mm_status wsmgr_ensure_available(struct mm_machine *m, uint32_t pages);

/* One pass of the working-set manager (NT: MmWorkingSetManager): age every
 * working set, and when available pages are below the low mark trim sets
 * above their maximum, then above their minimum, oldest pages first,
 * until the plenty mark is reached. Returns pages trimmed. */
uint32_t wsmgr_run(struct mm_machine *m, enum mm_wake_reason why);

#endif
