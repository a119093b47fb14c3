/*
 * protofault.h - resolving faults on the pages of mapped views: through
 * the prototype PTE (NT: MiResolveProtoPteFault), and copy-on-write (NT:
 * MiCopyOnWrite).
 */
#ifndef MMSIM_PROTOFAULT_H
#define MMSIM_PROTOFAULT_H

#include "selfmap.h"
#include "vad.h"

/* The page at va, in the view `vad`, whose process PTE at `at` is zero or
 * a prototype pointer: bring it in as its prototype PTE says (*kind: how),
 * then make the process PTE valid with `protection` (the view's), add a
 * share and a working-set entry. A write to a copy-on-write page goes on
 * to make the private copy (*kind MM_FAULT_COPY_ON_WRITE). *from: the list
 * a soft fault took the frame from. STATUS_NO_MEMORY when no frame can be
 * found. */
mm_status proto_resolve(struct mm_machine *m, struct mm_process *p, struct pte_loc at, mm_va va,
                        enum mm_access_kind access, const struct mm_vad *vad, uint32_t protection,
                        mm_pfn *frame, enum mm_fault_kind *kind, enum mm_list *from);
/* A write to a valid copy-on-write PTE (`pte`, at `at`): a new frame gets a
 * copy of the page and becomes the process's private, writable, dirty
 * page; the shared frame loses this share. STATUS_NO_MEMORY. */
mm_status proto_copy_on_write(struct mm_machine *m, struct mm_process *p, struct pte_loc at, mm_va va, mm_pte pte,
                              mm_pfn *frame);

#endif
