/*
 * check.h - the invariant checker's parts, shared by the whole-machine
 * check (check.c, mm_check) and the check of what a step touched
 * (checktouch.c, mm_check_touched). Internal to sim/.
 *
 * A checker reads and never writes the machine. The whole-machine check
 * also counts, per frame and per paging-file slot, how often each is named
 * (seen, named, slot_refs), which finds a frame on two lists or a slot
 * named twice; the touched check has no such arrays (they would cost
 * O(frames) per step) and relies on the back pointers instead: a frame
 * names the one PTE that maps it, so a second PTE naming it fails its own
 * check.
 */
#ifndef MMSIM_CHECK_H
#define MMSIM_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine.h"

struct checker {
    const struct mm_machine *m;
    char *msg;
    size_t size;
    uint8_t *seen;                          /* frame already on a list (whole check only) */
    uint8_t *named;                         /* frame already named by a PTE (whole check only) */
    uint32_t *mapped;                       /* shared frame: process PTEs that map it valid (whole check only) */
    uint8_t *dirty;                         /* shared frame: one of those PTEs has Dirty set (whole check only) */
    uint8_t *slot_refs[MM_MAX_PAGEFILES];   /* references to each slot (whole check only) */
    uint32_t transition_ptes;
    /* NULL: every PTE of a table is checked in full; else only those whose
     * bit is set, the rest counted (I5) and tested for residence */
    const uint32_t *pte_mask;
};

/* Write the broken invariant to c->msg; returns false. */
bool check_fail(struct checker *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The directory maps itself; hyperspace and the working-set list page are
 * locked in the working set (I3, I5, I6). */
bool check_system_pages(struct checker *c, const struct mm_process *p);
/* Directory entry pdi and the page table it leads to, wherever the table
 * is, every PTE in it (I3-I5, I7-I9). *names_frame: the PDE names a frame
 * (valid or in transition). */
bool check_pde(struct checker *c, const struct mm_process *p, uint32_t pdi, bool *names_frame);
/* The directory's ShareCount against its PDEs (I5). */
bool check_directory_shares(struct checker *c, const struct mm_process *p);
/* Working-set entry i: valid entries inside LastEntry, locked below
 * FirstDynamic, found by the hash, on their policy's queue (and OPT heap)
 * with links both ways (I6). */
bool check_ws_entry(struct checker *c, const struct mm_process *p, uint32_t i);
/* The VAD tree is balanced, and the VADs' charges add up to the process's (I9). */
bool check_vad_charges(struct checker *c, const struct mm_process *p);
/* I10 for one TLB entry. */
bool check_tlb_entry(struct checker *c, uint32_t slot);

#endif
