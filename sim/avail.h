/* avail.h - making pages available (NT: MiEnsureAvailablePageOrWait). */
#ifndef MMSIM_AVAIL_H
#define MMSIM_AVAIL_H

#include "machine.h"

/* Make sure at least `pages` pages are available (Zeroed + Free + Standby)
 * before taking them, by running the modified page writer and trimming
 * working sets as NT's MiEnsureAvailablePageOrWait waits for them to.
 * Wakes the working-set manager (a flag read by the clock) when available
 * memory falls below its low mark. STATUS_NO_MEMORY when nothing more can
 * be freed. */
mm_status avail_ensure(struct mm_machine *m, uint32_t pages);

#endif
