/* zero.h - the zero page thread (NT: MmZeroPageThread). */
#ifndef MMSIM_ZERO_H
#define MMSIM_ZERO_H

#include "machine.h"

/* Zero every page on the Free list and move it to the Zeroed list. */
uint32_t zero_run(struct mm_machine *m, enum mm_wake_reason why);

#endif
