/*
 * narrate_section.h - the words (and JSON fields) of sections for the
 * narrator (narrate.c): faults through prototype PTEs, prototype PTEs
 * changing, files read and written, sections made and deleted, views
 * mapped and unmapped, and walks that pass through a prototype pointer.
 */
#ifndef MMSIM_SCENARIO_NARRATE_SECTION_H
#define MMSIM_SCENARIO_NARRATE_SECTION_H

#include <stdbool.h>
#include <stdio.h>

#include "replay.h"

/* The name of section `handle`: the live section's, else (after the engine
 * deleted it) the one the scenario last created with that handle, else "?". */
const char *narrate_section_name(const struct replay *r, uint32_t handle);
/* The fault words of a fault event on a page of a view (MiResolveProtoPteFault
 * and what it called) into out; false when the fault is not on a view's page
 * and the narrator's own words apply. */
bool narrate_section_fault(const struct replay *r, const struct mm_event *ev, char *out, size_t size);
/* One line (without the leading two spaces and the newline) for a
 * FILE_IO, SECTION or VIEW event, or a PTE event of a prototype PTE; false
 * for other events, or when the line is only for verbose narration. */
bool narrate_section_event(const struct replay *r, const struct mm_event *ev, bool verbose, char *out,
                           size_t size);
/* The JSON fields of a FILE_IO, SECTION or VIEW event (after "pid"). */
void narrate_section_json(FILE *o, const struct mm_event *ev);
/* For a walk: the lines after the PTE when it is a prototype pointer, or
 * zero in a mapped view: the prototype PTE it leads to, decoded. */
void narrate_section_walk(FILE *out, const struct mm_machine *m, uint32_t pid, mm_va va, mm_pte pte);

#endif
