/*
 * kd.h - the kernel debugger's memory-manager views of a simulated machine:
 * the text of WinDbg's !pte, !pfn, !vad, !wsle, !memusage and !process
 * extensions (kdexts.dll) for 32-bit x86 without PAE, built from the
 * engine's read-only inspection API (mm.h) only, so a student can follow
 * Windows Internals' experiments on the simulator value for value.
 *
 * Where the real debugger shows something mmsim does not model (the kernel
 * address of a VAD or an EPROCESS, a file name, a thread), the view prints
 * "n/a" in its place; every such difference is listed in docs/windbg.md.
 *
 * Numbers typed into a command are read as the debugger reads them: hex by
 * default ("!pfn 1a3"), "0x" for hex too, "0n" for decimal.
 *
 * Text goes to a struct kd_out: a FILE, or a growing buffer (for mmviz).
 * The views never change the machine.
 */
#ifndef MMSIM_KD_H
#define MMSIM_KD_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mm.h"

/* ---- Where the text goes ---- */

struct kd_out {
    FILE *file;       /* when not NULL the text goes here */
    char *text;       /* otherwise it is appended here: NUL-terminated, malloc'd */
    size_t len, cap;
    bool failed;      /* the host ran out of memory: text holds what fitted */
};

/* Send text to f. */
void kd_out_file(struct kd_out *o, FILE *f);
/* Collect text in o->text (empty, never NULL once something was written;
 * kd_out_text gives "" before that). */
void kd_out_buffer(struct kd_out *o);
const char *kd_out_text(const struct kd_out *o);
/* Give back the buffer (a FILE is not closed). */
void kd_out_free(struct kd_out *o);
void kd_printf(struct kd_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- The views ----
 * Each writes the view to o and returns STATUS_SUCCESS, or writes one line
 * saying what was wrong and returns the status named. */

/* !pte VA: the PDE and PTE that map va in process pid, their self-map
 * addresses and contents, and each decoded: "pfn 1a3 ---DA--UWEV" for a
 * valid entry, else "not valid" and the software form (DemandZero,
 * Transition, PageFile and Offset, Decommitted) with its protection. A va
 * inside the page tables (0xC0000000-0xC03FFFFF) is taken as the address
 * of a PTE, as the debugger takes it, and the VA that PTE maps is shown.
 * When the PDE is not valid the PTE is not read (the debugger cannot read
 * a page table that is not in memory). STATUS_INVALID_CID. */
mm_status kd_pte(struct kd_out *o, const struct mm_machine *m, uint32_t pid, mm_va va);

/* !pfn N: PFN database entry `frame` (MMPFN): its address in the
 * database, Flink (WsIndex when active), Blink or ShareCount, PteAddress,
 * ReferenceCount, colour, Priority, OriginalPte ("restore pte"), PteFrame
 * ("containing page"), PageLocation and the flags. STATUS_INVALID_PARAMETER
 * when the machine has no such frame. */
mm_status kd_pfn(struct kd_out *o, const struct mm_machine *m, mm_pfn frame);

/* !vad: the VAD tree of process pid in address order, one line per VAD:
 * level in the tree, start and end VPN, commit charge, Private, protection;
 * then the count, average level and depth, and the private commit.
 * STATUS_INVALID_CID. */
mm_status kd_vad(struct kd_out *o, const struct mm_machine *m, uint32_t pid);

/* !wsle [Flags]: the working-set list (MMWSL) of process pid: FirstFree,
 * FirstDynamic, LastEntry, NextSlot, LastInitialized, NonDirect and the
 * hash table; with flag 0x1 every valid entry (the WSLE as stored: VA and
 * flag bits, Age, Locked, the frame's ReferenceCount); with 0x2 the count
 * of valid entries and the last index; with 0x4 the free entries.
 * STATUS_INVALID_CID. */
#define KD_WSLE_ENTRIES 0x1u
#define KD_WSLE_TOTALS  0x2u
#define KD_WSLE_FREE    0x4u
#define KD_WSLE_DEFAULT 0x3u   /* what "!wsle" alone shows in mmsim */
mm_status kd_wsle(struct kd_out *o, const struct mm_machine *m, uint32_t pid, uint32_t flags);

/* !memusage: the PFN database counted by PageLocation (Zeroed, Free,
 * Standby, Modified, ModifiedNoWrite, Active/Valid, Transition, Bad), in
 * pages and KB, with TOTAL; then Standby by priority 0-7 (mmsim's
 * addition). Always succeeds. */
mm_status kd_memusage(struct kd_out *o, const struct mm_machine *m);

/* !process: the memory manager's part of process pid's EPROCESS: Cid,
 * DirBase, image name, VAD count and private pages, working-set sizes
 * (now, min, max, in pages and KB), peak, virtual size, page faults and
 * commit charge. brief: only the first three lines (as "!process 0 0").
 * STATUS_INVALID_CID. */
mm_status kd_process(struct kd_out *o, const struct mm_machine *m, uint32_t pid, bool brief);

/* ---- Commands ---- */

enum kd_verb { KD_PTE, KD_PFN, KD_VAD, KD_WSLE, KD_MEMUSAGE, KD_PROCESS, KD_VERB_COUNT };

#define KD_MAX_ARGS 2
#define KD_ARG_SIZE 64

/* A command as typed: its extension and up to two words after it. */
struct kd_cmd {
    enum kd_verb verb;
    uint32_t nargs;
    char arg[KD_MAX_ARGS][KD_ARG_SIZE];
};

/* Is `word` one of the commands: "!pte", "!pfn", "!vad", "!wsle",
 * "!memusage", "!process", or "wsle", "memusage", "process" without the
 * '!' (pte, pfn and vad without it are step mode's own commands)? */
bool kd_is_command(const char *word);

/* Parse a command line (the forms are in kd_help_text). False with a
 * sentence in err for an unknown extension, a missing or extra argument, a
 * word too long, or a number the debugger would not read. */
bool kd_parse(const char *line, struct kd_cmd *cmd, char *err, size_t err_size);

/* Run a parsed command on m. Process arguments name a process (as the
 * scenario does) or give its Cid (a number); none means default_pid (0:
 * none running). Returns the view's status; an unknown process is
 * STATUS_INVALID_CID, with the reason written to o. */
mm_status kd_run(struct kd_out *o, const struct mm_machine *m, const struct kd_cmd *cmd, uint32_t default_pid);

/* kd_parse then kd_run; a line that does not parse writes the reason. */
mm_status kd_execute(struct kd_out *o, const struct mm_machine *m, const char *line, uint32_t default_pid);

/* The commands' forms, one per line, for help texts. */
extern const char kd_help_text[];

/* Read a number as the debugger does: hex, "0x" hex, or "0n" decimal, at
 * most 0xFFFFFFFF. False when it is not one. */
bool kd_number(const char *s, uint32_t *out);

#endif
