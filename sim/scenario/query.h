/*
 * query.h - step mode's questions about the machine (the lists, a PFN
 * entry, a translation walk, a working set, the VADs, the TLB) answered as
 * JSON objects, for tools and graders: the same facts narrate.c puts in
 * words, with numbers as numbers and PTE values as "0x%08X" strings.
 *
 * Each function returns a new object (the caller deletes it), or NULL
 * when out of memory. Its "type" names the question; a process that does
 * not exist gives {"type": ..., "error": "no such process"}.
 */
#ifndef MMSIM_SCENARIO_QUERY_H
#define MMSIM_SCENARIO_QUERY_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "mm.h"

/* {"type":"lists", "zeroed":..., "standby_by_priority":[8], ..., "active":..., "available":...};
 * with frames, also "frames": {"zeroed":[...], "standby":[[...] x 8], ..., "active":[...], "transition":[...]}
 * (every frame, in list order). */
cJSON *query_lists(const struct mm_machine *m, bool frames);
/* {"type":"pfn", "frame", "list", "priority", "share_count" and "ws_index" or "flink" and "blink",
 * "reference_count", "pte_address", "pte_frame", "flags":[...], "original_pte", "original_pte_means"};
 * a frame past the machine: {"type":"pfn","frame":N,"error":...}. */
cJSON *query_pfn(const struct mm_machine *m, mm_pfn frame);
/* The walk of va for `access` (mm_walk_access): indexes, the PDE and PTE with what they mean, and
 * "outcome": "translated" (with "frame" and "physical"), "refused", "fault" (with "fault") or
 * "access-violation" (with "av_reason"). */
cJSON *query_walk(const struct mm_machine *m, uint32_t pid, mm_va va, enum mm_access_kind access);
/* A working set: its counts, limits and every valid entry. */
cJSON *query_ws(const struct mm_machine *m, uint32_t pid);
/* A process's VADs and commit charge. */
cJSON *query_vads(const struct mm_machine *m, uint32_t pid);
/* The TLB: size, hits, misses, flushes and the entries in use. */
cJSON *query_tlb(const struct mm_machine *m);

#endif
