/*
 * section.h - section objects and the files they map (NT: SECTION,
 * CONTROL_AREA, SEGMENT, SUBSECTION, and the file system underneath).
 *
 * A section is memory that several address spaces can share. Its pages
 * are described once, by the segment's prototype PTEs, one per page; the
 * processes that map a view of it point their own PTEs at those:
 *
 *   process A PTE ---+                          +--> frame (ShareCount 2,
 *                    +--> prototype PTE (pool) -+     PrototypePte set,
 *   process B PTE ---+    valid / transition /        PteAddress = the
 *                         demand-zero / page-file /   prototype PTE)
 *                         subsection (in the file)
 *
 * The prototype PTEs live in paged pool (0xE1000000 up), in frames taken
 * for the purpose: each pool page holds 1024 of them, and its PFN entry
 * counts, like a page table's, 1 + the prototype PTEs in it that name a
 * frame (valid or in transition). A page of a section backed by a file
 * that is not in memory has a subsection PTE, which names the subsection
 * (the run of the file the section maps) in nonpaged pool; a page of a
 * section backed by the paging file starts as a demand-zero PTE.
 *
 * SIMPLIFIED: paged pool is never paged (its frames are locked, in no
 * working set); the subsections live in host memory at made-up nonpaged
 * pool addresses; a file is a run of pages in host memory, read and
 * written a page at a time, with no cache manager in between.
 */
#ifndef MMSIM_SECTION_H
#define MMSIM_SECTION_H

#include <stdbool.h>
#include <stdint.h>

#include "pte.h"

#define MM_MAX_FILES       32
#define MM_MAX_SECTIONS    64
#define MM_FILE_NAME_MAX   48
#ifndef MM_NO_FILE
#define MM_NO_FILE         0xFFFFFFFFu
#endif
#define MM_POOL_PAGES      ((MM_PROTO_LIMIT - MM_PROTO_BASE) / PAGE_SIZE)
#define MM_SUBSECTIONS     2                /* an image: code, then data */
#define MM_SUBSECTION_SIZE 32u              /* bytes each takes in nonpaged pool */

/* A file of the simulated file system. */
struct mm_file {
    bool live;
    char name[MM_FILE_NAME_MAX];
    uint32_t pages;
    uint8_t **data;           /* data[i]: page i, NULL while all zeros */
    uint64_t reads, writes;   /* pages read by faults, written by the mapped page writer */
};

/* A run of the file that the section maps, with one protection (NT:
 * SUBSECTION: PtesInSubsection, StartingSector, u.SubsectionFlags.Protection). */
struct mm_subsection {
    uint32_t first_page;      /* first page of the section it describes */
    uint32_t pages;
    uint32_t file_page;       /* where that run starts in the file */
    uint32_t protection;      /* 5-bit mask its pages get */
};

/* One section with its control area and segment. */
struct mm_section {
    bool live;                /* the control area exists */
    bool open;                /* its handle is not closed yet */
    char name[MM_FILE_NAME_MAX];
    uint32_t pages;           /* Segment->TotalNumberOfPtes */
    uint32_t file;            /* the file it maps, or MM_NO_FILE (backed by the paging file) */
    uint32_t protection;      /* SectionPageProtection, 5-bit mask */
    bool image;               /* SEC_IMAGE: code shared, data copy-on-write */
    bool no_write;            /* NoModifiedWriting: dirty pages go to ModifiedNoWrite */
    uint32_t views;           /* NumberOfMappedViews */
    uint32_t charge;          /* commit charged at creation (paging-file sections) */
    mm_va proto;              /* Segment->PrototypePte: the address of prototype PTE 0 */
    uint32_t pool_first, pool_pages;   /* the pool pages holding the prototype PTEs */
    struct mm_subsection sub[MM_SUBSECTIONS];
    uint32_t subsections;
};

struct mm_machine;
struct mm_process;

/* The address in nonpaged pool of subsection k of section s. */
mm_va section_subsection_va(uint32_t section, uint32_t k);
/* The section and subsection a subsection address names; false if none. */
bool section_of_subsection(const struct mm_machine *m, mm_va sub_va, uint32_t *section, uint32_t *k);
/* The live section whose prototype PTEs include proto_va, and the page it
 * describes; false if none. */
bool section_of_proto(const struct mm_machine *m, mm_va proto_va, uint32_t *section, uint32_t *page);
/* The pool frame holding the prototype PTE at proto_va. */
mm_pfn section_pool_frame(const struct mm_machine *m, mm_va proto_va);
/* Is frame f a paged-pool page of prototype PTEs? */
bool section_is_pool_frame(const struct mm_machine *m, mm_pfn f);
/* The file page behind page `page` of a file-backed section. */
uint32_t section_file_page(const struct mm_section *s, uint32_t page);
/* The protection page `page` of the section has (its subsection's, or the
 * section's for a paging-file section). */
uint32_t section_page_protection(const struct mm_section *s, uint32_t page);

/* The mapped page writer's one write: a dirty page of a mapped file goes
 * back to its file (NT: MiMappedPageWriter); the frame becomes clean. The
 * frame is on no list and stays where it is. */
void section_write_to_file(struct mm_machine *m, mm_pfn frame);
/* Read page `file_page` of `file` into frame. */
void section_read_from_file(struct mm_machine *m, uint32_t file, uint32_t file_page, mm_pfn frame);
/* Is this frame a page of a mapped file (its OriginalPte a subsection PTE)? */
bool section_frame_is_file(const struct mm_machine *m, mm_pfn frame);
/* Delete the section once its handle is closed and no view maps it (NT:
 * MiCheckControlArea -> MiSegmentDelete): dirty pages of a mapped file are
 * written to it first, every frame and paging-file slot is freed, the
 * pool pages go, and the commit charge returns. */
void section_delete_if_unused(struct mm_machine *m, uint32_t section);
void section_free_all(struct mm_machine *m);

#endif
