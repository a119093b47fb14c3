/*
 * simbuild.h - build a simulated machine whose page lists hold given
 * proportions, through the public engine API only (allocate, write,
 * empty working sets, flush, release). Used for `mmsim purge`/`lists` (a
 * documented busy profile) and for `mmsim compare` (the real machine's
 * proportions, scaled down).
 */
#ifndef MMSIM_NT_SIMBUILD_H
#define MMSIM_NT_SIMBUILD_H

#include "memlist.h"

/* The busy default machine: percentages of its frames (total_pages 100).
 * Active (in working sets) 30, Standby 40 (priority 5: 25, 2: 10, 0: 5),
 * Modified 10, Free 5, Zeroed the rest (about 15, less the page tables). */
extern const struct nt_counts nt_busy_profile;

/* Frames of the simulated side of `mmsim compare` when the real machine
 * is larger: 65,536 (256 MiB), well inside i386's 4 GiB, small enough to
 * build in a moment. */
#define NT_COMPARE_FRAMES 65536u

/* A machine of `frames` frames (default configuration otherwise) whose
 * lists hold the proportions of `target` (counts out of
 * target->total_pages; pages in no list are taken to be in working sets).
 * Bad pages and repurpose counters are not reproduced. NULL with a reason
 * in *why on failure. */
struct mm_machine *nt_sim_build(const struct nt_counts *target, uint32_t frames, const char **why);

#endif
