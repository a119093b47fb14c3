/*
 * scenario.h - a scenario: the machine to build, the processes to start,
 * and the steps to replay, each step an engine operation, a note, or an
 * expectation about the state after it. scenario_load() validates the
 * whole file before anything runs; nothing is half-loaded.
 */
#ifndef MMSIM_SCENARIO_H
#define MMSIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm.h"

/* A scenario may be as long as the host can hold: a file of at most 1 GiB
 * and at most 10,000,000 steps. The file is read whole; a scenario of 64
 * steps or more is then read a step at a time (each step's own small JSON
 * tree, freed at once), and a step is kept in 72 bytes (struct scn_step;
 * an expectation's details apart, shared with an equal one just before).
 * A host without the memory gets "out of memory" with the sizes asked for. */
#define SCN_MAX_FILE_BYTES   (1u << 30)   /* 1 GiB */
#define SCN_MAX_STEPS        10000000u
#define SCN_MAX_PROCESSES    MM_MAX_PROCESSES
#define SCN_MAX_TEXT         4000u        /* notes and descriptions */
#define SCN_MAX_NAME         31u
#define SCN_MAX_LIST_ITEMS   1024u        /* addresses in contains/excludes */
#define SCN_MAX_ERRORS       20u
#define SCN_MAX_TOUCH_PAGES  65536u

enum scn_op {
    OP_NOTE,
    OP_CREATE_PROCESS,
    OP_TERMINATE,
    OP_RESERVE,
    OP_COMMIT,
    OP_ALLOCATE,          /* reserve and commit in one call */
    OP_DECOMMIT,
    OP_RELEASE,
    OP_PROTECT,
    OP_READ,
    OP_WRITE,
    OP_EXECUTE,
    OP_TOUCH,
    OP_TRIM,
    OP_RUN,
    OP_TICK,
    OP_MEMORY_LIST,
    OP_SET_WS_LIMITS,
    OP_SET_PRIORITY,
    OP_MARK_BAD,
    OP_CREATE_THREAD,     /* a thread's stack: reserve, commit the top, guard page below */
    OP_CREATE_SECTION,    /* NtCreateSection */
    OP_MAP_VIEW,          /* NtMapViewOfSection */
    OP_UNMAP_VIEW,        /* NtUnmapViewOfSection */
    OP_FLUSH_VIEW,        /* NtFlushVirtualMemory */
    OP_CLOSE_SECTION,     /* NtClose of a section's handle */
    OP_EXPECT,
    OP_COUNT
};

/* An expected number: exact (min == max) or a range. */
struct scn_range {
    bool set;
    bool open_max;          /* {"min": n} only: "at least n" */
    uint64_t min, max;
};

enum scn_list_key {
    LK_ZEROED, LK_FREE, LK_STANDBY, LK_MODIFIED, LK_MODIFIED_NO_WRITE, LK_BAD, LK_ACTIVE,
    LK_AVAILABLE, LK_MODIFIED_PAGEFILE, LK_COUNT
};

struct scn_expect_pte {
    bool set;
    int process;            /* index into scenario.process_names */
    mm_va address;
    bool pde;               /* about the PDE rather than the PTE */
    int form;               /* enum pte_form, or -1 */
    struct scn_range frame, value, pagefile, offset;
    uint32_t protection;    /* PAGE_* flags; 0 = not checked */
    int accessed, dirty;    /* -1 not checked, else 0/1 */
};

struct scn_expect_pfn {
    bool set;
    mm_pfn frame;
    int list;               /* enum mm_list, or -1 */
    struct scn_range share_count, reference_count, priority, original_pte, pte_address;
    int modified;           /* -1 not checked */
    int prototype;          /* the PrototypePte flag: -1 not checked */
};

/* A prototype PTE of a section (expect_section.c). */
struct scn_expect_proto {
    bool set;
    int section;            /* index into scenario.sections */
    uint32_t page;
    int form;               /* enum pte_form, or -1 */
    struct scn_range value, frame;
    uint32_t protection;    /* PAGE_* flags; 0 = not checked */
};

/* A file of the simulated file system: words of it, and its I/O counts. */
#define SCN_MAX_EXPECT_WORDS 16u
struct scn_expect_file {
    bool set;
    int file;               /* index into scenario.files */
    struct scn_expect_word { uint32_t offset; struct scn_range value; } words[SCN_MAX_EXPECT_WORDS];
    uint32_t nwords;
    struct scn_range reads, writes;
};

/* A section: whether it exists, its handle, views and resident pages. */
struct scn_expect_section {
    bool set;
    int section;            /* index into scenario.sections */
    int exists, open;       /* -1 not checked, else 0/1 */
    struct scn_range views, resident;
};

struct scn_expect_ws {
    bool set;
    int process;
    struct scn_range size, locked, page_tables, data;
    mm_va *contains, *excludes;
    uint32_t ncontains, nexcludes;
};

struct scn_expect_tlb {
    bool set;
    struct scn_range hits, misses, flushes;
    mm_va *contains, *excludes;   /* pages with (without) an entry now */
    uint32_t ncontains, nexcludes;
};

struct scn_expect {
    mm_status status;  bool has_status;
    int fault;         /* enum mm_fault_kind, or -1 */
    int table_fault;   /* enum mm_fault_kind of the last access's page-table fault, or -1 */
    int av;            /* enum mm_av_reason, or -1 */
    struct scn_range value;
    struct scn_range list[LK_COUNT];
    struct scn_range standby_priority[MM_STANDBY_PRIORITIES];
    struct scn_range repurposed[MM_STANDBY_PRIORITIES];
    struct scn_expect_pte pte;
    struct scn_expect_pfn pfn;
    struct scn_expect_ws ws;
    struct scn_expect_tlb tlb;
    int pagefile_file;      /* which file "pagefile" speaks of */
    struct scn_range pagefile_used, pagefile_size;
    int commit_process;     /* -1: none */
    struct scn_range commit_charge, commit_total, commit_limit, commit_peak;
    int faults_process;     /* -1: system-wide */
    struct scn_range faults[MM_FAULT_KIND_COUNT];
    struct scn_expect_proto proto;
    struct scn_expect_file file;
    struct scn_expect_section section;
};

struct scn_step {
    enum scn_op op;
    uint32_t line, col;     /* where the step's object starts */
    int process;            /* index into process_names, -1 if none */
    mm_va address;
    uint32_t size;
    uint32_t protect;       /* PAGE_* */
    uint32_t value;         /* write value, tick count, trim pages, priority, frame, command;
                               the section (index into scenario.sections) of create_section,
                               map_view and close_section */
    uint32_t minimum, maximum;   /* map_view: minimum is the offset into the section, in bytes */
    uint32_t flags;         /* set_ws_limits, create_process: QUOTA_LIMITS_HARDWS_* */
    enum mm_access_kind access;
    int thread;             /* enum mm_thread */
    bool no_write;          /* create_process: modified_no_write */
    bool shared_expect;     /* expect is an earlier step's (equal), freed with that one */
    char *text;             /* note text, or the created process's name */
    struct scn_expect *expect;
    uint32_t number;        /* the numbered step it belongs to (struct scenario, "numbered steps") */
};

struct scenario {
    char *file;
    char *name, *title, *description;
    struct mm_config config;
    /* every process name the scenario uses, in order of first appearance:
     * those declared under "processes" first, then those created by steps */
    char **process_names;
    uint32_t nprocess_names;
    uint32_t ninitial;              /* the first ninitial are started before step 1 */
    struct scn_process_opts {
        uint32_t ws_minimum, ws_maximum, priority;
        uint32_t hard_flags;        /* QUOTA_LIMITS_HARDWS_*_ENABLE for the hard limits */
        bool modified_no_write, has_limits, has_priority;
        uint32_t line, col;         /* where its object starts in the file */
    } *initial;
    bool ws_hard_minimum, ws_hard_maximum;   /* the machine's defaults for new processes */
    bool ws_limits_set;                      /* the machine gave ws_minimum or ws_maximum */
    /* the files declared under "files", made before step 1 (op_section.c) */
    struct scn_file {
        char *name;
        uint32_t pages;
        enum scn_fill { SCN_FILL_ZERO, SCN_FILL_WORD, SCN_FILL_OFFSET, SCN_FILL_PAGE } fill;
        uint32_t fill_word;         /* SCN_FILL_WORD: every word holds it */
        struct scn_word { uint32_t offset, value; } *words;   /* written last, over the fill */
        uint32_t nwords;
    } *files;
    uint32_t nfiles;
    /* one per create_section step, in step order; a step names a section
     * by its index here: the latest created with that name (op_section.c) */
    struct scn_section {
        char *name;
        int file;                   /* index into files, or -1: backed by the paging file */
        uint32_t pages;             /* 0: the whole file */
        uint32_t protect;           /* PAGE_*; 0 for an image */
        uint32_t code_pages;        /* an image's code pages */
        bool image, no_write;
        bool closed;                /* a close_section step has been read (while loading) */
    } *sections;
    uint32_t nsections;
    struct scn_step *steps;         /* the entries of the file's "steps" array, in order */
    uint32_t nsteps;
    /* Numbered steps, as a person counts them: one per operation (any op
     * but note and expect), from 1 to nops. An expectation belongs to the
     * operation before it; a note to the operation after it, unless an
     * expectation or the end of the file comes first: then to the step
     * before, like the expectation it introduces. Step 0 holds what comes
     * before the first operation and is reached by starting the scenario.
     * Being "at step n" means every entry of steps 0..n has run. */
    uint32_t nops;
    uint32_t *op_entry;             /* [n] for n = 1..nops: index in steps[] of step n's operation */
    uint32_t *step_end;             /* [n] for n = 0..nops: index of the first entry after step n */
};

/* One problem found while loading: file:line:col: path: message. */
struct scn_error {
    uint32_t line, col;
    char path[128];
    char message[320];
};

struct scn_errors {
    struct scn_error e[SCN_MAX_ERRORS];
    uint32_t count;
    bool truncated;
};

/* Load and validate a file (or, with text != NULL, that text under the
 * name `file`). Returns NULL and fills errs when anything is wrong. */
struct scenario *scenario_load(const char *file, const char *text, size_t len, struct scn_errors *errs);
void scenario_free(struct scenario *sc);
/* Whether an op is an operation, which starts a numbered step (every op
 * but note and expect). */
bool scenario_op_is_operation(enum scn_op op);
/* "file:line:col: $.steps[3].op: unknown op 'comit', did you mean 'commit'?"
 * into out, with control characters and bytes that are not UTF-8 escaped
 * as \xHH (show.h): a file name or a key may hold anything. A buffer of
 * SCN_ERROR_TEXT bytes holds any line whole. */
#define SCN_ERROR_LINE 1024u
#define SCN_ERROR_TEXT (SCN_ERROR_LINE * 4u + 8u)
void scenario_format_error(const char *file, const struct scn_error *e, char *out, size_t size);

/* ---- the format, as the tables of ops and expectations hold it ---- */

/* A field of a step, or of an expectation written as an object: its key
 * and whether it must be given. Lists of fields end at a NULL name. */
struct scn_field {
    const char *name;
    bool required;
};

/* "write" for OP_WRITE; "?" past the last op. */
const char *scenario_op_name(enum scn_op op);
/* The fields an op takes besides "op" (none for expect: its keys are the
 * expectation kinds below); NULL past the last op. */
const struct scn_field *scenario_op_fields(enum scn_op op);
/* Whether the op returns an NTSTATUS, the one an expectation of "status"
 * checks (trim, run and tick do not; notes and expectations neither). */
bool scenario_op_returns_status(enum scn_op op);

/* The expectation kinds an expect step may hold ("status", "pte", ...),
 * numbered from 0 in the order they are read and checked. */
uint32_t scenario_expect_count(void);
/* The kind's key; NULL past the last kind. */
const char *scenario_expect_name(uint32_t kind);
/* The fields of a kind written as an object (those of "pte": process,
 * address, form, ...); NULL for a kind that is one value ("status") or
 * whose keys come from the engine (the fault kinds of "faults"). */
const struct scn_field *scenario_expect_fields(uint32_t kind);

const char *scenario_list_key_name(enum scn_list_key k);
/* "modified_writer", "zero_page", "ws_manager", "mapped_writer": the thread
 * names of "run" */
extern const char *const scenario_thread_names[MM_THREAD_COUNT];

#endif
