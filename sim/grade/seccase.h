/*
 * seccase.h - a lab check on sections, run on the engine directly (the
 * "sections" cases of a checks file, lab.h): a file or a paging-file
 * section, views of it in a few processes, accesses to its pages with the
 * fault each must take, the value each read must see and whether the page
 * is still shared, and at the end what the file holds. Every invariant is
 * checked after every step.
 *
 *   { "frames": 64,                          machine size (default 64)
 *     "file": ["0xF11E0000", "0xF11E0001"],  a file of these pages: word 0 of
 *                                            each (absent: a paging-file section)
 *     "pages": 2,                            a paging-file section's size
 *     "protection": "PAGE_READONLY",         NtCreateSection's (default
 *                                            PAGE_WRITECOPY)
 *     "views": { "A": "PAGE_WRITECOPY", "B": "PAGE_READONLY" },
 *     "steps": [
 *       { "process": "A", "page": 0, "access": "read", "value": "0xF11E0000",
 *         "fault": "mapped-file", "shared": true },
 *       { "process": "A", "page": 0, "access": "write", "value": "0xC0C0",
 *         "fault": "copy-on-write", "shared": false },
 *       { "trim": "A" }, { "flush": "B" }, { "unmap": "A" } ],
 *     "expect": { "file": ["0xF11E0000", "0xF11E0001"], "file_writes": 0 } }
 *
 * A case that could only fail, whatever engine runs it, is refused when it
 * is read: a section or view protection NtCreateSection or
 * NtMapViewOfSection refuses, a view named twice, a step on a view already
 * unmapped, an "expect" that names nothing.
 *
 * A read's "value" is the word it must see at the page's first byte; a
 * write's is the word it stores there. "fault" is the fault the access
 * takes (access-violation when it is refused); "shared" whether the
 * process's page then maps the frame the prototype PTE names.
 */
#ifndef MMSIM_GRADE_SECCASE_H
#define MMSIM_GRADE_SECCASE_H

#include <stdbool.h>
#include <stdint.h>

#include "jread.h"
#include "mm.h"

#define SECCASE_MAX_VIEWS 4u
#define SECCASE_MAX_STEPS 64u
#define SECCASE_MAX_PAGES 64u
#define SECCASE_NAME 16u

enum seccase_op { SEC_ACCESS, SEC_TRIM, SEC_FLUSH, SEC_UNMAP };

struct seccase_step {
    enum seccase_op op;
    uint32_t view;                   /* the process, by its index in views */
    uint32_t page;
    enum mm_access_kind access;
    bool has_value;
    uint32_t value;
    int fault;                       /* enum mm_fault_kind, -1 not checked */
    int shared;                      /* -1 not checked */
};

struct section_case {
    uint32_t frames;
    bool has_file;
    uint32_t pages;
    uint32_t file_word[SECCASE_MAX_PAGES];
    uint32_t protection;             /* Win32 PAGE_* */
    uint32_t nviews;
    char name[SECCASE_MAX_VIEWS][SECCASE_NAME];
    uint32_t view_protection[SECCASE_MAX_VIEWS];
    uint32_t nsteps;
    struct seccase_step step[SECCASE_MAX_STEPS];
    uint32_t nexpect_file;           /* 0: the file is not checked */
    uint32_t expect_file[SECCASE_MAX_PAGES];
    struct jrange file_writes;
};

/* Read one case at `path` of the checks file. False with an error (naming
 * the line and the JSON path) added to j. */
bool seccase_read(struct jread *j, const cJSON *n, const char *path, struct section_case *c);

/* Run the case on a machine of its own; print each check that fails (one
 * line each, beginning with `where`) and return whether all held. */
bool seccase_run(const struct section_case *c, const char *where);

#endif
