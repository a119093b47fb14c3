/*
 * mm.h - the public interface of the mmsim engine.
 *
 * A machine is built from a configuration, driven by calls that model the
 * NT system services (NtAllocateVirtualMemory, NtFreeVirtualMemory,
 * NtProtectVirtualMemory, NtQueryVirtualMemory, NtSetSystemInformation
 * with SystemMemoryListInformation) and by accesses that go through the
 * simulated MMU, and inspected read-only. The engine does no I/O: it tells
 * what happens through events (event.h). Every call is deterministic.
 */
#ifndef MMSIM_MM_H
#define MMSIM_MM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "event.h"
#include "pfn.h"
#include "pte.h"
#include "status.h"
#include "ws.h"

struct mm_machine;
struct mm_vad;

#define MMSIM_VERSION "0.1.0"

/* ---- The machine ---- */

/* Build a machine; NULL if the configuration is invalid (the reason is
 * written to *why when why is not NULL) or the host is out of memory. */
struct mm_machine *mm_create(const struct mm_config *cfg, const char **why);
/* The host has no memory left for `what` (a frame's bytes, a paging-file
 * page, a working-set list...), found in function `fn`: the simulated
 * machine cannot go on, and it is not the simulator's fault. Whatever standard output holds is
 * flushed (it holds whole lines: the narration writes a line at a time),
 * then one line names it on standard error, and the program exits with
 * status 3 (no abort, no core). */
_Noreturn void mm_host_exhausted(const char *fn, const char *what);

void mm_destroy(struct mm_machine *m);
const struct mm_config *mm_get_config(const struct mm_machine *m);
void mm_set_sink(struct mm_machine *m, mm_event_fn fn, void *ctx);
/* Advance time: each tick runs the system threads that are due. */
void mm_tick(struct mm_machine *m, uint32_t ticks);
uint64_t mm_now(const struct mm_machine *m);

/* ---- Processes ---- */

/* A new address space (NT: MmCreateProcessAddressSpace and
 * MmInitializeProcessAddressSpace): a page directory that maps itself, the
 * hyperspace page table and the working-set list page, three frames locked
 * in its working set. `name` (NULL or empty: "process") is for the
 * narration; *pid receives the new process id, counted from 1. Errors:
 * STATUS_INSUFFICIENT_RESOURCES when every process slot is taken,
 * STATUS_NO_MEMORY when the three frames cannot be had. */
mm_status mm_process_create(struct mm_machine *m, const char *name, uint32_t *pid);
/* Delete process pid's address space (NT: MmCleanProcessAddressSpace and
 * MmDeleteProcessAddressSpace): every region is released, dirty pages are
 * freed unwritten, and every frame and paging-file slot it held comes
 * back. A region whose paged-out page table cannot come back for want of a
 * frame waits while the others go; STATUS_NO_MEMORY only when none can go,
 * the process then living on with the regions left. STATUS_INVALID_CID
 * for no such process. */
mm_status mm_process_terminate(struct mm_machine *m, uint32_t pid);
/* NtSetInformationProcess(ProcessQuotaLimits) -> MmAdjustWorkingSetSize
 * (what Win32's SetProcessWorkingSetSize calls): new limits in pages,
 * 1 <= minimum <= maximum <= 1048576; a set above the new maximum is
 * trimmed to it now. Both 0xFFFFFFFF empties the working set instead.
 * STATUS_INVALID_CID, STATUS_INVALID_PARAMETER. */
mm_status mm_set_ws_limits(struct mm_machine *m, uint32_t pid, uint32_t minimum, uint32_t maximum);

/* SetProcessWorkingSetSizeEx's flags (Win32 values), as
 * NtSetInformationProcess(ProcessQuotaLimits) passes them to
 * MmEnforceWorkingSetLimit. */
#define QUOTA_LIMITS_HARDWS_MIN_ENABLE  0x00000001u
#define QUOTA_LIMITS_HARDWS_MIN_DISABLE 0x00000002u
#define QUOTA_LIMITS_HARDWS_MAX_ENABLE  0x00000004u
#define QUOTA_LIMITS_HARDWS_MAX_DISABLE 0x00000008u
#define MM_FLUID_WORKING_SET 8u   /* pages a hard minimum must leave below a hard maximum */
#define MM_HARD_MAXIMUM_FLOOR 7u  /* the least hard maximum: the 3 locked pages of a process
                                     (directory, hyperspace table, working-set list) and the
                                     2 page tables and 2 pages one access can need at once */

/* mm_set_ws_limits, then the hard-limit flags: a hard maximum makes a fault
 * at the maximum replace within the set whatever memory is free; a hard
 * minimum stops every trim at the minimum. Both hard need
 * minimum + MM_FLUID_WORKING_SET < maximum, and a hard maximum at least
 * MM_HARD_MAXIMUM_FLOOR (a smaller one could not hold what one access needs),
 * else STATUS_BAD_WORKING_SET_LIMIT and nothing changes; ENABLE and DISABLE of one limit together is
 * STATUS_INVALID_PARAMETER. */
mm_status mm_set_ws_limits_ex(struct mm_machine *m, uint32_t pid, uint32_t minimum, uint32_t maximum,
                              uint32_t flags);
mm_status mm_set_page_priority(struct mm_machine *m, uint32_t pid, unsigned priority);
mm_status mm_set_modified_no_write(struct mm_machine *m, uint32_t pid, bool on);
bool mm_process_exists(const struct mm_machine *m, uint32_t pid);

/* A thread's user stack, as RtlCreateUserStack lays it out: `reserve` bytes
 * reserved (rounded up to 64 KiB; 0: 1 MiB), the top `commit` bytes
 * committed read/write (rounded up to pages; 0: one page), and the page
 * below them committed PAGE_READWRITE|PAGE_GUARD. *base in: the address to
 * reserve at, 0 to let the engine choose; out: the reservation's base
 * (DeallocationStack). *top gets StackBase (one past the highest byte).
 * Touching the guard page moves it down one page (MiCheckForUserStackOverflow,
 * reported as a guard-page fault with STATUS_PAGE_FAULT_GUARD_PAGE, and the
 * access completes); when only the last page of the reservation is left
 * below, the access fails with STATUS_STACK_OVERFLOW. Errors as
 * mm_allocate's, and STATUS_INVALID_PARAMETER when commit plus the guard
 * page does not fit in reserve less one page, or the process has
 * MM_MAX_STACKS stacks. */
mm_status mm_create_thread_stack(struct mm_machine *m, uint32_t pid, uint32_t reserve, uint32_t commit,
                                 mm_va *base, mm_va *top);
const char *mm_process_name(const struct mm_machine *m, uint32_t pid);

/* ---- Files and sections (NtCreateSection, NtMapViewOfSection, ...) ---- */

#ifndef MM_NO_FILE
#define MM_NO_FILE 0xFFFFFFFFu
#endif

/* Make a file of `pages` pages (all zeros) in the simulated file system,
 * named `name` (1 to 47 bytes); *file gets its number. STATUS_INVALID_PARAMETER
 * (bad name or size: 1 page to 16 times the machine's frames),
 * STATUS_OBJECT_NAME_COLLISION (the name is taken), STATUS_INSUFFICIENT_RESOURCES
 * (32 files already), STATUS_NO_MEMORY (host). Models the file a real
 * program would open with NtCreateFile before NtCreateSection. */
mm_status mm_file_create(struct mm_machine *m, const char *name, uint32_t pages, uint32_t *file);
/* Write / read the 32-bit word at byte `offset` (4-byte aligned) of a file
 * directly, as the file system would (not through any section).
 * STATUS_INVALID_HANDLE (no such file), STATUS_INVALID_PARAMETER (offset). */
mm_status mm_file_write32(struct mm_machine *m, uint32_t file, uint32_t offset, uint32_t value);
mm_status mm_file_read32(const struct mm_machine *m, uint32_t file, uint32_t offset, uint32_t *value);
/* The file named `name`, if there is one. */
bool mm_file_lookup(const struct mm_machine *m, const char *name, uint32_t *file);

/* What NtCreateSection is asked for. */
struct mm_section_params {
    const char *name;        /* for narration only (NT: the object's name) */
    uint32_t pages;          /* size in pages; 0 with a file: the whole file */
    uint32_t file;           /* the file to map, or MM_NO_FILE: backed by the paging file */
    uint32_t protection;     /* PAGE_READONLY, PAGE_READWRITE, PAGE_WRITECOPY or an
                                EXECUTE_ form; ignored for an image */
    bool image;              /* SEC_IMAGE: the file is a program: its first code_pages
                                pages are code (PAGE_EXECUTE_READ, shared), the rest data
                                (PAGE_EXECUTE_WRITECOPY, copy-on-write) */
    uint32_t code_pages;
    bool no_write;           /* the mapped page writer never writes its dirty pages
                                (NT: MmDisableModifiedWriteOfSection): they wait on
                                ModifiedNoWrite until a flush or the section's
                                deletion writes them */
};
/* NtCreateSection (MmCreateSection): a section object with its segment of
 * prototype PTEs, in pages of paged pool taken now (one frame per 1024
 * pages of section). A paging-file section charges its whole size to the
 * commit limit now (SEC_COMMIT); its pages start as demand-zero prototype
 * PTEs. A file section's prototype PTEs are subsection PTEs: its pages
 * are in the file. *section gets its handle. STATUS_INVALID_PAGE_PROTECTION,
 * STATUS_INVALID_HANDLE (no such file), STATUS_SECTION_TOO_BIG (larger than
 * the file, or than mmsim allows), STATUS_NOT_SUPPORTED (the file is mapped
 * by another section that still exists: mmsim gives each section its own
 * pages), STATUS_INVALID_FILE_FOR_SECTION (an
 * image without a file), STATUS_INVALID_PARAMETER (0 pages, code_pages past
 * the end), STATUS_COMMITMENT_LIMIT, STATUS_INSUFFICIENT_RESOURCES (64
 * sections, or paged pool full), STATUS_NO_MEMORY. */
mm_status mm_create_section(struct mm_machine *m, const struct mm_section_params *params, uint32_t *section);
/* NtClose of the section's handle: the section goes once no view maps it
 * either (MiCheckControlArea): dirty pages of a mapped file are written to
 * it first. STATUS_INVALID_HANDLE. */
mm_status mm_close_section(struct mm_machine *m, uint32_t section);
/* NtMapViewOfSection: map `*pages` pages of the section (0: to its end)
 * from page `first_page` (a multiple of 16: 64 KiB, the allocation
 * granularity) into the process at *base (0: the lowest free place; else a
 * 64 KiB boundary), with `protect` (PAGE_*: no more than the section
 * allows; PAGE_WRITECOPY for a private copy on the first write). No PTE is
 * written: the view's PTEs stay zero and the first touch of each page finds
 * its prototype PTE through the VAD. A copy-on-write view charges its
 * pages to the process's commit now. *base and *pages get the view.
 * STATUS_INVALID_CID, STATUS_INVALID_HANDLE, STATUS_MAPPED_ALIGNMENT,
 * STATUS_INVALID_VIEW_SIZE, STATUS_SECTION_PROTECTION,
 * STATUS_INVALID_PAGE_PROTECTION, STATUS_CONFLICTING_ADDRESSES,
 * STATUS_INVALID_PARAMETER, STATUS_COMMITMENT_LIMIT, STATUS_NO_MEMORY. */
mm_status mm_map_view(struct mm_machine *m, uint32_t pid, uint32_t section, mm_va *base, uint32_t first_page,
                      uint32_t *pages, uint32_t protect);
/* NtUnmapViewOfSection: every page of the view at `base` (its first
 * address) leaves the process: a shared page loses a share (the Dirty bit
 * goes to its PFN, so a written page of a file reaches the file later), a
 * private copy is freed. STATUS_INVALID_CID, STATUS_NOT_MAPPED_VIEW,
 * STATUS_NO_MEMORY (a paged-out page table could not come back). */
mm_status mm_unmap_view(struct mm_machine *m, uint32_t pid, mm_va base);
/* NtFlushVirtualMemory: write the dirty pages of a mapped file in
 * [base, base + size) to the file now, the valid ones included (their
 * Dirty bit moves to the PFN and is cleared); *written gets how many.
 * Nothing to do for a paging-file section. STATUS_INVALID_CID,
 * STATUS_NOT_MAPPED_VIEW (not inside one view), STATUS_INVALID_PARAMETER. */
mm_status mm_flush_view(struct mm_machine *m, uint32_t pid, mm_va base, uint32_t size, uint32_t *written);

/* What a section is, for inspection. */
struct mm_section_info {
    const char *name;
    uint32_t pages;          /* prototype PTEs */
    uint32_t file;           /* MM_NO_FILE: a paging-file section */
    uint32_t protection;     /* 5-bit mask (SectionPageProtection) */
    bool image, no_write;
    bool open;               /* its handle is not closed */
    uint32_t views;          /* views mapped now (NumberOfMappedViews) */
    uint32_t charge;         /* commit charged at creation */
    mm_va proto;             /* address of prototype PTE 0, in paged pool */
    uint32_t pool_pages;     /* pages of paged pool (frames) holding them */
    uint32_t resident;       /* pages in memory: valid or in transition */
};
/* A live section (one created and not yet deleted): false otherwise. */
bool mm_section_info(const struct mm_machine *m, uint32_t section, struct mm_section_info *out);
/* The name of live section `section` (its handle), in O(1); NULL when no
 * live section has that handle. A handle is reused once its section is
 * deleted, so this, not a table kept beside the machine, names the
 * section an event is about. */
const char *mm_section_name(const struct mm_machine *m, uint32_t section);
/* Prototype PTE `page` of a live section: its address and value; false
 * when there is no such section or page. */
bool mm_proto_pte(const struct mm_machine *m, uint32_t section, uint32_t page, mm_va *va, mm_pte *value);
/* The frame of paged pool that holds the prototype PTE at `proto_va`, and
 * the section and page it describes; false if no live section's does. */
bool mm_proto_lookup(const struct mm_machine *m, mm_va proto_va, uint32_t *section, uint32_t *page, mm_pfn *pool);
/* Is the frame a page of paged pool holding prototype PTEs? */
bool mm_frame_is_pool(const struct mm_machine *m, mm_pfn frame);
/* A file: its name, size in pages, and the pages read by faults and
 * written back; false when there is no such file. */
bool mm_file_info(const struct mm_machine *m, uint32_t file, const char **name, uint32_t *pages, uint64_t *reads,
                  uint64_t *writes);

/* ---- Virtual memory services ---- */

#define MEM_COMMIT   0x00001000u
#define MEM_RESERVE  0x00002000u
#define MEM_DECOMMIT 0x00004000u
#define MEM_RELEASE  0x00008000u

#define MEM_FREE     0x00010000u   /* states reported by mm_query */
#define MEM_PRIVATE  0x00020000u
#define MEM_MAPPED   0x00040000u
#define MEM_IMAGE    0x01000000u

/* NtAllocateVirtualMemory: reserve and/or commit `*size` bytes at *base
 * of process pid with `protect` (PAGE_*), `type` MEM_RESERVE, MEM_COMMIT
 * or both. *base and *size are rounded as NT rounds them (64 KiB and pages
 * for a reservation, pages for a commit) and written back; *base = 0 lets
 * the engine choose the address (a reservation). Errors:
 * STATUS_INVALID_CID (no such process), STATUS_INVALID_PARAMETER (type,
 * range), STATUS_INVALID_PAGE_PROTECTION (write-copy for private memory,
 * no-cache or write-combine for a view's pages, among them),
 * STATUS_CONFLICTING_ADDRESSES (a reservation over another, a commit
 * outside one reservation or view), STATUS_COMMITMENT_LIMIT,
 * STATUS_NO_MEMORY (no frame for a page table). A commit inside a mapped
 * view: STATUS_ALREADY_COMMITTED for a file's or an image's; success,
 * charging nothing, for a paging-file section's pages with the protection
 * they have, STATUS_NOT_SUPPORTED for another (mmsim cannot change a
 * view's protection). */
mm_status mm_allocate(struct mm_machine *m, uint32_t pid, mm_va *base, uint32_t *size,
                      uint32_t type, uint32_t protect);
/* NtFreeVirtualMemory with MEM_DECOMMIT or MEM_RELEASE (`type`): *base
 * and *size (bytes; 0 with MEM_RELEASE: the whole region, from its base)
 * are rounded to pages and written back. Decommit writes the decommitted
 * PTE (0x200) over the range and frees its pages and commit; release also
 * removes the VAD and frees the page tables it alone used. Errors:
 * STATUS_INVALID_CID, STATUS_INVALID_PARAMETER (another type, a range
 * outside user space), STATUS_MEMORY_NOT_ALLOCATED (no region there),
 * STATUS_FREE_VM_NOT_AT_BASE, STATUS_UNABLE_TO_FREE_VM (past the region's
 * end, or a release of part of it), STATUS_UNABLE_TO_DELETE_SECTION (a
 * mapped view, with either type: it goes with mm_unmap_view). */
mm_status mm_free(struct mm_machine *m, uint32_t pid, mm_va *base, uint32_t *size, uint32_t type);
/* NtProtectVirtualMemory: the old protection (of the first page) comes back. */
mm_status mm_protect(struct mm_machine *m, uint32_t pid, mm_va *base, uint32_t *size,
                     uint32_t protect, uint32_t *old_protect);

/* MEMORY_BASIC_INFORMATION */
struct mm_basic_info {
    mm_va base_address, allocation_base;
    uint32_t allocation_protect;
    uint32_t region_size;
    uint32_t state;      /* MEM_COMMIT, MEM_RESERVE or MEM_FREE */
    uint32_t protect;    /* PAGE_* (0 unless committed) */
    uint32_t type;       /* MEM_PRIVATE, MEM_MAPPED (a view), MEM_IMAGE, or 0 (free) */
};
mm_status mm_query(struct mm_machine *m, uint32_t pid, mm_va va, struct mm_basic_info *info);

/* ---- Accesses through the MMU ---- */

/* Read or write len bytes at va as user-mode code of the process would;
 * faults are raised and resolved on the way.
 * An access of up to 8 bytes is one instruction's operand, and i386
 * faults are precise: every page it touches is checked (and faulted in)
 * before any byte moves, so an access that fails moves nothing. A longer
 * one is a string instruction (rep movs): it moves the bytes of each page
 * in turn and stops at the first page that fails, the pages before it done.
 * Returns the failing page's status (STATUS_ACCESS_VIOLATION, also for an
 * address above MmHighestUserAddress or past 4 GiB;
 * STATUS_GUARD_PAGE_VIOLATION; STATUS_STACK_OVERFLOW; STATUS_NO_MEMORY);
 * STATUS_INVALID_CID for no such process. */
mm_status mm_read(struct mm_machine *m, uint32_t pid, mm_va va, void *buf, uint32_t len);
mm_status mm_write(struct mm_machine *m, uint32_t pid, mm_va va, const void *buf, uint32_t len);
/* Fetch one instruction byte at va. Without nx (plain i386) any readable
 * page can be executed; with the machine's nx option the protection must
 * allow execute. */
mm_status mm_execute(struct mm_machine *m, uint32_t pid, mm_va va);
/* Fast paths for one aligned 32-bit value. */
mm_status mm_read32(struct mm_machine *m, uint32_t pid, mm_va va, uint32_t *value);
mm_status mm_write32(struct mm_machine *m, uint32_t pid, mm_va va, uint32_t value);
/* What one reference did to each page it touched (at most two). */
struct mm_touch {
    uint32_t pages;                        /* pages the reference touched: 1 or 2 */
    enum mm_fault_kind fault[2];           /* the page's own fault (MM_FAULT_NONE: a hit) */
    enum mm_fault_kind table_fault[2];     /* a fault on its page table first, if any */
};
/* One reference by user-mode code of the process to [va, va + len), as a
 * trace records it: the pages are translated (TLB, walk, faults, as for
 * mm_read, with a second page translated while the first stays pinned) and
 * no byte moves. len is 1..4096. Returns what mm_read would, and
 * STATUS_INVALID_PARAMETER for a bad len or an access that is none of the
 * three kinds; *out tells each page's fault. */
mm_status mm_touch(struct mm_machine *m, uint32_t pid, mm_va va, uint32_t len, enum mm_access_kind access,
                   struct mm_touch *out);
/* n one-byte references by the process, one page each, made in order as n
 * calls of mm_touch(m, pid, va[i], 1, access[i], ...) would make them (the
 * processor's loads and stores: TLB, walk, MmAccessFault on a miss), without
 * a call per reference: for replaying a trace. access is NULL for n reads,
 * else n enum mm_access_kind values. fault[i] and table_fault[i] (n bytes
 * each) receive reference i's enum mm_fault_kind values, as struct
 * mm_touch's fault[0] and table_fault[0]: MM_FAULT_NONE in fault[i] is a hit.
 * Returns STATUS_SUCCESS with *done = n when all went ahead; else the status
 * mm_touch would return for the first that did not, with *done its index:
 * the references before it were made, and its own fault kinds are written.
 * STATUS_INVALID_PARAMETER with *done its index for an access[i] that is
 * none of the three kinds (nothing made for it, its fault kinds not
 * written); STATUS_INVALID_CID with *done = 0 for a pid that is not a
 * process. */
mm_status mm_touch_pages(struct mm_machine *m, uint32_t pid, const mm_va *va, const uint8_t *access, uint32_t n,
                         uint8_t *fault, uint8_t *table_fault, uint32_t *done);
/* The last fault raised by the last access (MM_FAULT_NONE if it took none),
 * with the page-table fault that came first, if any. */
const struct mm_fault_info *mm_last_fault(const struct mm_machine *m);

/* ---- Working sets and system threads ---- */

/* Hold the process to at most `limit` data pages (0: no limit): at the
 * limit, a fault on a data page first replaces one, chosen by the policy
 * among data pages only; page tables and the locked system pages neither
 * count nor are chosen (what a trace's cache size means, OSTEP's -C). A
 * set above a new limit is trimmed to it now. mmsim's own, for traces:
 * NT has no such limit. STATUS_INVALID_CID, STATUS_INVALID_PARAMETER
 * (limit above 1048576). */
mm_status mm_set_data_page_limit(struct mm_machine *m, uint32_t pid, uint32_t limit);
/* OPT's knowledge of the future: va's page, in the process's working set,
 * will next be referenced at `when` (any increasing count the caller keeps;
 * UINT64_MAX: never). Under MM_POLICY_OPT the page used farthest in the
 * future is replaced first. STATUS_INVALID_CID; STATUS_INVALID_PARAMETER
 * when the policy is not OPT or va is not a data page in the set. */
mm_status mm_set_next_use(struct mm_machine *m, uint32_t pid, mm_va va, uint64_t when);
/* The process's data pages in the order its policy would give them up,
 * first victim first; fills up to max and returns how many there are. */
uint32_t mm_ws_policy_order(const struct mm_machine *m, uint32_t pid, mm_va *out, uint32_t max);
/* What clock and aging read of va's page in the process's working set:
 * *accessed, its PTE's Accessed bit (the use bit), and *age, its entry's
 * age (0 to WSLE_MAX_AGE; NT: MMWSLENTRY.Age). False, nothing set, when
 * there is no such process or va is not in its working set. */
bool mm_ws_page_bits(const struct mm_machine *m, uint32_t pid, mm_va va, bool *accessed, uint32_t *age);

/* Trim up to `pages` pages from the process's working set, oldest first. */
uint32_t mm_trim(struct mm_machine *m, uint32_t pid, uint32_t pages);
uint32_t mm_run_modified_writer(struct mm_machine *m);   /* pages written */
uint32_t mm_run_zero_thread(struct mm_machine *m);       /* pages zeroed */
uint32_t mm_run_ws_manager(struct mm_machine *m);        /* pages trimmed */
/* Run the mapped page writer now (NT: MiMappedPageWriter): every dirty
 * page of a mapped file on the Modified list goes back to its file and to
 * Standby. Returns pages written. (The modified page writer's runs end
 * with one of these whenever such pages wait.) */
uint32_t mm_run_mapped_writer(struct mm_machine *m);

/* Mark a frame bad (a parity error): it goes to the Bad list when free. */
mm_status mm_mark_bad(struct mm_machine *m, mm_pfn frame);

/* ---- Memory lists (SystemMemoryListInformation, class 80) ---- */

enum mm_memory_list_command {
    MemoryCaptureAccessedBits = 0,
    MemoryCaptureAndResetAccessedBits = 1,
    MemoryEmptyWorkingSets = 2,
    MemoryFlushModifiedList = 3,
    MemoryPurgeStandbyList = 4,
    MemoryPurgeLowPriorityStandbyList = 5,
    MemoryCommandMax = 6
};

/* SYSTEM_MEMORY_LIST_INFORMATION, in pages. */
struct mm_memory_list_info {
    uint64_t zero_page_count;
    uint64_t free_page_count;
    uint64_t modified_page_count;
    uint64_t modified_no_write_page_count;
    uint64_t bad_page_count;
    uint64_t page_count_by_priority[MM_STANDBY_PRIORITIES];
    uint64_t repurposed_pages_by_priority[MM_STANDBY_PRIORITIES];
    uint64_t modified_page_count_page_file;
};

/* NtSetSystemInformation(SystemMemoryListInformation, &command): an
 * unknown command gives STATUS_INVALID_PARAMETER. */
mm_status mm_memory_list_command(struct mm_machine *m, uint32_t command);
void mm_memory_list_query(const struct mm_machine *m, struct mm_memory_list_info *info);
/* NT's name of a command ("MemoryPurgeStandbyList"); NULL past the last. */
const char *mm_memory_list_command_name(uint32_t command);
/* The commands' names as scenarios write them ("purge_standby_list"), by
 * command; mmsim purge takes them too. */
extern const char *const mm_memory_list_command_keys[MemoryCommandMax];
/* The command named `name`, by its key or NT's name; -1 for neither. */
int mm_memory_list_command_from_name(const char *name);

/* ---- Inspection (read-only) ---- */

/* The full two-level walk of va in a process, without side effects. */
struct mm_walk {
    enum mm_access_kind access;  /* the access the walk is for */
    mm_va va;
    uint32_t pdi, pti, offset;
    mm_pfn directory;            /* CR3 >> 12 */
    mm_va pde_va;                /* 0xC0300000 + pdi * 4 */
    uint32_t pde_pa;             /* physical address of the PDE */
    mm_pte pde;
    bool pde_valid;
    mm_va pte_va;                /* 0xC0000000 + (va >> 12) * 4 */
    uint32_t pte_pa;             /* valid only when pde_valid */
    mm_pte pte;
    enum pte_form form;          /* of the PTE (PTE_FORM_ZERO when no table) */
    enum pte_form table_form;    /* of the PDE: valid, zero, transition or page-file */
    bool valid;                  /* the PTE is valid: a frame is mapped */
    bool refused;                /* valid, but the processor refuses this access
                                    (a write to a read-only page; with nx, an execute) */
    mm_pfn frame;
    uint32_t pa;                 /* physical address of the byte (valid only) */
    enum mm_fault_kind table_fault; /* the fault the access raises on the page table first:
                                       MM_FAULT_PAGE_TABLE, TRANSITION, PAGE_FILE or NONE */
    enum mm_fault_kind fault;    /* what the access raises for the page itself now */
    enum mm_av_reason av;
    uint32_t protection;         /* the page's protection (5-bit mask) as the fault handler
                                    finds it: of a valid page its frame's OriginalPte, or in
                                    a view the view's (PAGE_WRITECOPY until copied); of a
                                    software PTE its own; of a zero PTE the VAD's or, in a
                                    view, the view's; 0 where nothing is committed and in
                                    system space */
};
/* The walk for a read (mm_walk) or for `access` (mm_walk_access). PTE
 * values of a paged-out page table are read from wherever it is.
 * STATUS_INVALID_CID for no such process. */
mm_status mm_walk(const struct mm_machine *m, uint32_t pid, mm_va va, struct mm_walk *w);
mm_status mm_walk_access(const struct mm_machine *m, uint32_t pid, mm_va va, enum mm_access_kind access,
                         struct mm_walk *w);

/* The TLB: its size in entries, and entry `slot` (false when empty). */
uint32_t mm_tlb_size(const struct mm_machine *m);
bool mm_tlb_entry(const struct mm_machine *m, uint32_t slot, mm_va *va, mm_pfn *frame, mm_pte *pte);

/* A working set's entries by kind: locked system pages (page directory,
 * hyperspace, working-set list), page tables, and data pages. */
struct mm_ws_breakdown {
    uint32_t locked, page_tables, data;
};
mm_status mm_ws_breakdown(const struct mm_machine *m, uint32_t pid, struct mm_ws_breakdown *out);

uint32_t mm_frame_count(const struct mm_machine *m);
/* The PFN entry of a frame, or NULL when out of range. */
const struct mmpfn *mm_pfn_entry(const struct mm_machine *m, mm_pfn frame);
/* The list head. For StandbyPageList only the total is meaningful (all
 * priorities together); its first/last are empty: walk mm_standby_head. */
const struct mm_list_head *mm_list_head(const struct mm_machine *m, enum mm_list list);
const struct mm_list_head *mm_standby_head(const struct mm_machine *m, unsigned priority);
/* The frames on a list in order; returns the total and fills up to max. */
uint32_t mm_list_frames(const struct mm_machine *m, enum mm_list list, unsigned priority,
                        mm_pfn *out, uint32_t max);
uint32_t mm_active_frames(const struct mm_machine *m);
uint32_t mm_available_pages(const struct mm_machine *m);

/* The working-set list of a process, or NULL. */
const struct mm_wsl *mm_working_set(const struct mm_machine *m, uint32_t pid);
/* Is va (page) in the process's working set? */
bool mm_ws_contains(const struct mm_machine *m, uint32_t pid, mm_va va);

/* VADs in address order: pass NULL for the first. */
const struct mm_vad *mm_vad_next(const struct mm_machine *m, uint32_t pid, const struct mm_vad *v);
void mm_vad_range(const struct mm_vad *v, mm_va *start, mm_va *end, uint32_t *protection,
                  bool *mem_commit, uint32_t *commit_charge);
/* Is VAD v a mapped view of a section (NT: u.VadFlags.PrivateMemory
 * clear, the VAD's ControlArea and FirstPrototypePte)? If so, stores the
 * section's handle in *section and, in *first_page, the section page (a
 * prototype PTE index) that the view's first page maps. False for private
 * memory, with the outputs left alone. */
bool mm_vad_view(const struct mm_vad *v, uint32_t *section, uint32_t *first_page);
/* The depth of VAD v in the process's VAD tree (NT: the AVL tree under
 * EPROCESS.VadRoot): 0 for the root, 1 for its children, ...; -1 when v is
 * not a node of pid's tree or there is no such process. */
int mm_vad_level(const struct mm_machine *m, uint32_t pid, const struct mm_vad *v);

struct mm_commit_info {
    uint32_t process_charge, process_peak;   /* for the pid asked */
    uint32_t total, limit, peak;             /* system-wide, pages */
};
mm_status mm_commit(const struct mm_machine *m, uint32_t pid, struct mm_commit_info *out);

struct mm_counters {
    uint64_t page_fault_count;                /* faults that put a page in a working set, as
                                                 NT's PageFaultCount (MiAllocateWsle): not an
                                                 access violation, a guard page or the copy of
                                                 a copy-on-write page (its entry stays) */
    uint64_t faults[MM_FAULT_KIND_COUNT];     /* every fault raised, by how it ended */
    uint64_t tlb_hits, tlb_misses, tlb_flushes;
    uint64_t pages_written, pages_read, pages_zeroed, pages_trimmed;
    uint32_t pagefile_used, pagefile_size;
    uint32_t host_frames_materialized;
};
/* System-wide when pid is 0, else the process's fault counts. */
mm_status mm_counters(const struct mm_machine *m, uint32_t pid, struct mm_counters *out);

/* Paging file `file`: size and used slots, in pages (slot 0 included in
 * the size); false when there is no such file. */
bool mm_pagefile_usage(const struct mm_machine *m, uint32_t file, uint32_t *size, uint32_t *used);

/* The current contents of the page holding va, wherever they are: in a
 * frame (valid or transition), in a paging-file slot, or nowhere yet
 * (zeros). Nothing changes: no fault, no A/D bit, no TLB fill. Returns
 * STATUS_ACCESS_VIOLATION when va has no committed page. */
mm_status mm_peek_page(const struct mm_machine *m, uint32_t pid, mm_va va, uint8_t page[4096]);

/* Read physical memory (for front ends showing frames and page tables). */
uint32_t mm_phys_read32(const struct mm_machine *m, mm_pfn frame, uint32_t offset);

/* ---- Copies, for seeking ---- */

/* A copy of the whole machine (snapshot.c): physical memory, the PFN
 * database, paging files, the TLB, every process, the counters. The copy
 * has no sink; it and the original are independent. Run forward, the copy
 * reaches the same states the original does: the engine is deterministic.
 * NULL when the host is out of memory. */
struct mm_machine *mm_clone(const struct mm_machine *m);
/* About how many bytes of host memory the machine holds (what mm_clone
 * allocates). */
size_t mm_host_bytes(const struct mm_machine *m);

/* ---- Checking ---- */

/* Check every invariant of the machine (check.c). Returns true when all
 * hold; otherwise writes the first broken one to msg. */
bool mm_check(const struct mm_machine *m, char *msg, size_t msg_size);

/* Checking what changed. A checker is fed every event of the machine
 * (mm_checker_note, from the sink) and mm_check_touched() checks the
 * invariants of what those events touched since the last check: the
 * frames, page tables, working-set entries, TLB slots and processes they
 * name, and the machine's counters, in time that grows with what was
 * touched, not with the machine (checktouch.c lists what it covers). When
 * more was touched than a whole check costs, it runs mm_check instead.
 * The machine may be a copy of the one the checker was made for
 * (mm_clone); it must have the same frames, process slots and TLB size. */
struct mm_checker;
/* NULL when the host is out of memory. */
struct mm_checker *mm_checker_create(const struct mm_machine *m);
void mm_checker_destroy(struct mm_checker *c);
void mm_checker_note(struct mm_checker *c, const struct mm_event *ev);
/* Also check process pid's own structures (an operation on its VADs or
 * commit charge that raised no event). */
void mm_checker_note_process(struct mm_checker *c, uint32_t pid);
/* Check what was touched, and forget it. Returns true when every
 * invariant checked holds; otherwise writes the first broken one to msg. */
bool mm_check_touched(struct mm_checker *c, const struct mm_machine *m, char *msg, size_t msg_size);
/* Forget what was touched without checking it. */
void mm_checker_forget(struct mm_checker *c);

#endif
