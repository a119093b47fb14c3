/*
 * driver.h - replaying memory-reference traces through the whole engine.
 *
 * Each trace file is one process. The files are read twice: a first pass
 * checks every line (so bad input is refused before anything runs), folds
 * the addresses into i386 user space (space.h), counts the page tables and
 * memory the run will need and, for OPT, works out when each reference's
 * page is next used; the second pass runs. The first pass cannot be left
 * out: the machine is sized by what it finds (the pages, the page tables).
 * A file of page numbers (OSTEP's format) is parsed once: the first pass
 * copies its page numbers aside, folded, 2 or 4 bytes each, into a temporary file, and
 * a run without per-reference output reads them from there. With several
 * files the processes take turns, `quantum` references each, the TLB
 * flushed at each switch as a CR3 load does.
 *
 * Every reference is made as one mm_touch makes it (from the copy, a
 * batch at a time through mm_touch_pages): the TLB, the two-level walk in simulated
 * frames, the fault handler with every kind of fault, the working set, the
 * PFN lists; the clock ticks every `tick` page references, running the
 * working-set manager, the modified page writer and the zero page thread
 * as their marks say. A reference that straddles two pages touches both.
 *
 * With `cache` set, each process may hold that many data pages and no more
 * (mm_set_data_page_limit), OSTEP's -C: at the limit a miss replaces one
 * data page chosen by the policy. Page tables and the three locked pages
 * of each process take no place in it and are never chosen; its working
 * set gets a hard minimum that covers them all, so that neither the
 * working-set manager nor a shortage of memory takes a page the policy did
 * not choose. Without `cache` the process runs under the machine's
 * working-set limits, as NT would run it.
 */
#ifndef MMSIM_TRACE_DRIVER_H
#define MMSIM_TRACE_DRIVER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "mm.h"
#include "reader.h"
#include "space.h"

#define TRACE_MAX_FILES 64u
#define TRACE_MAX_CACHE 1000000u   /* data pages per process */
#define TRACE_NAME_MAX 32u

/* One trace file and what its checking pass found. */
struct trace_file {
    struct trace_reader reader;
    char name[TRACE_NAME_MAX];   /* the process's name: the file's base name, with "#N" (N: the
                                    file's place, from 1) when an earlier file has it too */
    struct trace_space space;         /* the folding, fixed by the first pass */
    uint64_t records;                 /* references (lines that are not blank or comments) */
    uint64_t touches;                 /* page references: a straddling reference makes two */
    uint32_t pages;                   /* distinct pages */
    uint8_t *seen;                    /* a byte per simulated user page: 1 for each one the
                                         first pass saw */
    uint64_t bytes;                   /* the file's size when the first pass ended (0: not a
                                         regular file) */
    uint32_t *next;                   /* OPT: per page reference, the index of the next
                                         reference to the same page (UINT32_MAX: none) */
    FILE *copy;                       /* the page numbers folded (simulated, va >> 12), for a
                                         trace of a file, a pipe or standard input; NULL: none,
                                         as when it could not be written (the run parses the
                                         text again) */
    bool copy_wide;                   /* as uint32_t; else as uint16_t (all below 65536) */
    bool copy_kinds;                  /* rw and lackey: as uint32_t, each with its reference's
                                         enum mm_access_kind in bits 30-31 and bit 29 set when
                                         it spans into a second page: the next one, or, with
                                         bit 28 set too (across a 16 MiB fold whose regions
                                         landed apart), the page of the word that follows,
                                         which is no reference of its own */
    uint64_t digest;                  /* of the references in order (trace_ref_digest's terms
                                         summed): a run that reads the text again must find
                                         the same */
};

/* Reference number `record` (from 0) of a trace as a term of its digest
 * (trace_ref_digest; trace_ref_term with `odd` = 2 * record + 1, which a
 * loop over records may carry along, adding 2 each time):
 * its address, size and kind of access mixed (a multiply, then the high
 * bits folded into the low ones, so that references a power of two apart
 * differ in the low bits too), times an odd number for its place, so that
 * references swapped, changed or moved change the sum. The terms are
 * summed modulo 2^64, each independent of the others (no chain of
 * multiplications through the first pass). */
static inline uint64_t trace_ref_term(uint64_t addr, uint32_t size, unsigned access, uint64_t odd)
{
    uint64_t x = (addr ^ (uint64_t)size << 52 ^ (uint64_t)access << 62) * 0x9E3779B97F4A7C15u;
    x ^= x >> 29;
    return x * odd;
}

static inline uint64_t trace_ref_digest(uint64_t addr, uint32_t size, unsigned access, uint64_t record)
{
    return trace_ref_term(addr, size, access, 2 * record + 1);
}

struct trace_set {
    struct trace_file *file;
    uint32_t count;
    bool lookahead;                   /* next[] was worked out */
};

/* How far the first pass has read, for a progress display. */
struct trace_reading {
    const char *shown;        /* the file, as messages name it */
    uint32_t file, files;     /* which one (from 0), of how many */
    uint64_t bytes;           /* of its text read so far */
    uint64_t size;            /* its size in bytes (as it is now, if it grew while read);
                                 0 when not known (standard input, a pipe) */
    uint64_t references;      /* its references (records) read so far */
};
/* Called every 65,536 references of the first pass. */
typedef void (*trace_reading_fn)(void *ctx, const struct trace_reading *r);

/* Open and check every file (the first pass); with lookahead also work out
 * next[] (4 bytes per page reference; at most 2^32 - 2 of them). reading
 * (may be NULL) is told how far it has got now and then. False with
 * "FILE:LINE: what is wrong" (or another sentence) in err. When the host
 * has no memory left for its tables, it does not return: the program
 * exits with status 3 (mm_host_exhausted). */
bool trace_prepare(struct trace_set *set, const char *const *paths, uint32_t count, enum trace_format format,
                   bool lookahead, trace_reading_fn reading, void *reading_ctx, char *err, size_t err_size);
void trace_set_free(struct trace_set *set);

/* The defaults of mmsim trace and of a lab's trace cases alike. */
#define TRACE_DEFAULT_TICK 10000u    /* page references between clock ticks */
#define TRACE_DEFAULT_QUANTUM 1000u  /* references per turn */

struct trace_options {
    enum mm_policy policy;
    uint32_t cache;          /* data pages per process; 0: the machine's working-set limits */
    uint32_t frames;         /* 0: sized by trace_frames_default */
    uint32_t tlb_entries;    /* 0: the machine's default */
    uint32_t quantum;        /* references per turn with several processes (0: TRACE_DEFAULT_QUANTUM) */
    uint32_t tick;           /* page references between clock ticks (0: the clock never ticks) */
};

/* What one reference did, for per-reference output. */
struct trace_step {
    uint32_t file;                       /* which process */
    uint32_t pid;
    uint64_t record;                     /* 1-based, within its file */
    uint64_t line;
    struct trace_ref ref;
    uint32_t pages;                      /* 1 or 2 */
    mm_va va[2];
    enum mm_fault_kind fault[2];         /* MM_FAULT_NONE: a hit */
    enum mm_fault_kind table_fault[2];
    bool tlb_hit[2];
    mm_pfn frame[2];
    uint32_t victims;                    /* pages the policy gave up for it */
    mm_va victim[4];
    enum mm_list victim_to[4];           /* the list each went to */
    uint32_t written;                    /* pages the writer wrote meanwhile */
    uint64_t hits, misses;               /* the process's, so far */
};

typedef void (*trace_step_fn)(void *ctx, const struct mm_machine *m, const struct trace_step *step);
/* Called every 65,536 references with the fraction of the run done. */
typedef void (*trace_progress_fn)(void *ctx, double done);

struct trace_process_result {
    char name[TRACE_NAME_MAX];
    uint64_t records, touches, hits, misses;
    uint64_t fault[MM_FAULT_KIND_COUNT];       /* data pages' own faults (the misses) by kind */
    uint64_t table_fault[MM_FAULT_KIND_COUNT]; /* faults on page tables by kind */
    uint64_t evictions;                        /* pages the policy replaced */
    uint64_t trimmed;                          /* pages taken by trimming, not by the policy */
    uint32_t pages;                            /* distinct pages */
    struct mm_ws_breakdown ws;                 /* at the end */
    uint32_t peak;                             /* peak working set, every kind of page */
};

struct trace_result {
    enum mm_policy policy;
    uint32_t cache, frames, tlb_entries, quantum, tick;
    uint32_t processes;
    struct trace_process_result total;   /* name "total" */
    struct trace_process_result proc[TRACE_MAX_FILES];
    uint64_t pages_written, pages_read;  /* paging-file I/O */
    uint64_t tlb_hits, tlb_misses;
    uint64_t ticks;
};

/* Frames a run needs at the least, and at least MM_MIN_FRAMES: with a
 * cache (pages per process), the sum over processes of the cache (or the
 * trace's pages if fewer), its page tables and 3 locked pages, plus 16 to
 * spare; without one (cache 0), the page tables and locked pages of every
 * process plus 2, the pages of one reference that straddles two (the
 * engine trims data pages to make room, not page tables that still map
 * something). The default size: with a cache, the minimum plus half again
 * (at least 64 more), so evicted pages wait on Standby for a while before
 * their frames are reused; without one, 4,096 frames (NT's working sets
 * on a 16 MiB machine), or the minimum if larger. */
uint32_t trace_frames_needed(const struct trace_set *set, uint32_t cache);
uint32_t trace_frames_default(const struct trace_set *set, uint32_t cache);

/* Whether a run with options o fits the traces: TRACE_FITS, or a sentence
 * in err and TRACE_NEEDS_TOO_MANY (the cache is over TRACE_MAX_CACHE, or
 * the minimum is over MM_MAX_FRAMES) or TRACE_TOO_FEW_FRAMES (o->frames is
 * below the minimum, trace_frames_needed). trace_run refuses a run that
 * does not fit with the same sentence, before building anything; a reader
 * of options (a lab's checks) calls it to refuse them where they are
 * written. */
enum trace_fit { TRACE_FITS, TRACE_NEEDS_TOO_MANY, TRACE_TOO_FEW_FRAMES };
enum trace_fit trace_fit(const struct trace_set *set, const struct trace_options *o, char *err, size_t err_size);

enum trace_status {
    TRACE_OK = 0,
    TRACE_BAD_INPUT = 2,     /* the options do not fit the traces (too few frames, cache too large),
                                or a trace changed after the first pass checked it */
    TRACE_FAILED = 3         /* the engine refused a reference, or setting up a process */
};

/* Run every trace through a new machine. step (may be NULL) is called
 * after each reference, progress (may be NULL) now and then. Anything but
 * TRACE_OK comes with a sentence in err (naming the file and line of a
 * refused reference). When the host has no memory for the machine or for
 * a frame's bytes, mm_host_exhausted ends the program (exit 3). */
enum trace_status trace_run(struct trace_set *set, const struct trace_options *o, struct trace_result *res,
               trace_step_fn step, void *step_ctx, trace_progress_fn progress, void *progress_ctx, char *err,
               size_t err_size);

/* The line of file `file` that holds its reference number `record`
 * (0-based; a line of the trace as read, blank lines and comments counted),
 * read again from the file, or from the copy of a pipe's text; 0 when it
 * cannot be read (such a copy in the Windows build). For messages about
 * a run that replayed the copy of the page numbers, not the text. */
uint64_t trace_line_of(const struct trace_set *set, uint32_t file, uint64_t record);

/* The trace address of a simulated one in file `file`'s process. */
uint64_t trace_address(const struct trace_set *set, uint32_t file, mm_va va);

#endif
