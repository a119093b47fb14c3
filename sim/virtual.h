/* virtual.h - reserve, commit, decommit, release, protect, query. */
#ifndef MMSIM_VIRTUAL_H
#define MMSIM_VIRTUAL_H

#include "machine.h"

/* Delete every page of the VAD and the VAD itself, returning its commit
 * (NT: MiDeleteVirtualAddresses, MiRemoveVad). Paged-out page tables of the
 * range come back first; STATUS_NO_MEMORY, with nothing deleted, when one
 * cannot. */
mm_status virtual_release_vad(struct mm_machine *m, struct mm_process *p, struct mm_vad *vad);

/* Charge `pages` of commit to the system (growing a paging file if it
 * must, MiExtendPagingFiles), and also to p and its VAD; STATUS_COMMITMENT_LIMIT. */
mm_status virtual_charge_system(struct mm_machine *m, uint32_t pages);
mm_status virtual_charge(struct mm_machine *m, struct mm_process *p, struct mm_vad *vad, uint32_t pages);

/* Is the page at va committed, and with what 5-bit protection? */
bool virtual_page_state(const struct mm_machine *m, const struct mm_process *p,
                        const struct mm_vad *vad, mm_va va, uint32_t *protection);

#endif
