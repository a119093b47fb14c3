/*
 * files.h - the files and sections a scenario names.
 *
 * Files are declared under the document's "files" key and made in the
 * simulated file system before step 1, with their contents (a fill word or
 * a pattern, then literal words). Sections are made by create_section
 * steps; a step or an expectation names one by the name it was created
 * with, which then means the section most recently created under that
 * name. Both are held in tables of struct scenario (scenario.h), and the
 * replay keeps the engine's number for each entry (struct replay).
 */
#ifndef MMSIM_SCENARIO_FILES_H
#define MMSIM_SCENARIO_FILES_H

#include "reader.h"
#include "replay.h"
#include "section.h"

#define SCN_MAX_FILES       MM_MAX_FILES   /* files one scenario may declare */
#define SCN_MAX_FILE_PAGES  4096u          /* pages of all files together: 16 MiB */
#define SCN_MAX_FILE_WORDS  1024u          /* literal words of one file */
#define SCN_FILE_NAME_MAX   (MM_FILE_NAME_MAX - 1)
#define SCN_MAX_SECTIONS    1024u          /* create_section steps in one scenario */

/* "files" (at $.files): every file, into r->sc->files. Reports each
 * problem; returns false when the key itself is unusable (not an array,
 * too many files) or out of memory. */
bool files_read(struct reader *r, const cJSON *n);
/* The files and sections tables of sc (scenario_free calls it). */
void files_free(struct scenario *sc);

/* A declared file, by name: its index into sc->files. */
bool files_ref(struct reader *r, const cJSON *n, const char *path, int *out);
/* A section created by an earlier step, by name: its index into
 * sc->sections (the latest of that name). With open, a section whose
 * handle a close_section step has closed is refused. */
bool files_section_ref(struct reader *r, const cJSON *n, const char *path, bool open, int *out);
/* The pages of a section as the scenario declares it (its size, or its
 * file's). */
uint32_t files_section_pages(const struct scenario *sc, int section);

/* PAGE_* flags for a section or a view: those of private memory
 * (reader_protection) and the write-copy ones, PAGE_WRITECOPY and
 * PAGE_EXECUTE_WRITECOPY. */
bool files_read_protection(struct reader *r, const cJSON *n, const char *path, uint32_t *out);

/* Make the declared files in r's machine with their contents, and the
 * tables of engine numbers in r (before step 1). False, with a message in
 * err, when a file cannot be made; out of memory leaves err empty. */
bool replay_files_start(struct replay *r, char *err, size_t err_size);
/* The engine's handle of a section while it exists: MM_MAX_SECTIONS when
 * its create_section has not run or failed, or the section has been
 * deleted since (its handle closed and its last view gone). */
uint32_t files_section_handle(const struct replay *r, int section);
/* The section (index into sc->sections) the engine's handle was last given
 * to, even if it has been deleted since; -1 if none. */
int files_section_of_handle(const struct replay *r, uint32_t handle);

#endif
