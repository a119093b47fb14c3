/* mpw.h - the modified page writer (NT: MiModifiedPageWriter). */
#ifndef MMSIM_MPW_H
#define MMSIM_MPW_H

#include "machine.h"

/* Write one cluster (up to write_cluster pages) from the head of the
 * Modified list to a paging file; the pages go to the tail of Standby.
 * Returns pages written (0 when the list is empty or the files are full). */
uint32_t mpw_write_cluster(struct mm_machine *m);

/* A run of the writer (NT: MiModifiedPageWriterWorker): clusters while at
 * least a cluster's worth (write_cluster pages) is Modified, or, when
 * `all` (a flush: MemoryFlushModifiedList), until the list is empty. Stops
 * early when no paging-file slot is left. Returns pages written. */
uint32_t mpw_run(struct mm_machine *m, enum mm_wake_reason why, bool all);

#endif
