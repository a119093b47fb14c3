/* mpw.h - the modified page writer (NT: MiModifiedPageWriter). */
#ifndef MMSIM_MPW_H
#define MMSIM_MPW_H

#include "machine.h"

/* Write one cluster (up to write_cluster pages) of the pages on the
 * Modified list bound for a paging file, oldest first; the pages go to the
 * tail of Standby. Returns pages written (0 when there are none or the
 * files are full). */
uint32_t mpw_write_cluster(struct mm_machine *m);

/* A run of the writer (NT: MiModifiedPageWriterWorker): clusters while at
 * least a cluster's worth (write_cluster pages) bound for a paging file is
 * Modified (ModifiedPageCountPageFile), or, when
 * `all` (a flush: MemoryFlushModifiedList), until the list is empty. Stops
 * early when no paging-file slot is left. Returns pages written. */
uint32_t mpw_run(struct mm_machine *m, enum mm_wake_reason why, bool all);
/* The mapped page writer's part (NT: MiMappedPageWriter): write up to
 * `limit` pages of mapped files from the Modified list back to their files,
 * oldest first; they go to Standby, clean. Returns pages written. */
uint32_t mpw_write_mapped(struct mm_machine *m, uint32_t limit);
/* A run of the mapped page writer: every page of a mapped file on the
 * Modified list. The modified page writer's run ends with one whenever
 * such pages wait. Returns pages written. */
uint32_t mpw_mapped_run(struct mm_machine *m, enum mm_wake_reason why);

#endif
