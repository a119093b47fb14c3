/*
 * test_kd.c - the kernel debugger's views (sim/kd): each one's exact text
 * for a machine built here, in every form a PTE takes (valid, demand-zero,
 * zero, decommitted, transition, in the paging file, and a PDE whose page
 * table is in transition or paged out), and the command parser.
 *
 * The machines: 64 frames; a process takes frames 0 (directory), 1
 * (hyperspace table) and 2 (working-set list); the first page table is
 * frame 3 and the first data page frame 4.
 */
#include <stdlib.h>
#include <string.h>

#include "kd.h"
#include "support.h"

/* The text of one command run on m, as a new string. */
static char *run(const struct mm_machine *m, uint32_t pid, const char *line, mm_status want)
{
    struct kd_out o;
    kd_out_buffer(&o);
    mm_status s = kd_execute(&o, m, line, pid);
    cr_assert_eq(s, want, "%s: status 0x%08X, expected 0x%08X; text:\n%s", line, s, want, kd_out_text(&o));
    cr_assert_not(o.failed);
    char *text = strdup(kd_out_text(&o));
    kd_out_free(&o);
    return text;
}

static void expect(const struct mm_machine *m, uint32_t pid, const char *line, const char *want)
{
    char *got = run(m, pid, line, STATUS_SUCCESS);
    cr_assert_str_eq(got, want, "%s:\n--- got ---\n%s--- expected ---\n%s", line, got, want);
    free(got);
}

static void expect_error(const struct mm_machine *m, uint32_t pid, const char *line, mm_status status,
                         const char *want)
{
    char *got = run(m, pid, line, status);
    cr_assert_str_eq(got, want, "%s", line);
    free(got);
}

static void alloc_at(struct mm_machine *m, uint32_t pid, mm_va base, uint32_t size, uint32_t type,
                     uint32_t protect)
{
    mm_va b = base;
    uint32_t s = size;
    cr_assert_eq(mm_allocate(m, pid, &b, &s, type, protect), STATUS_SUCCESS, "allocate at 0x%08X", base);
}

/* 0x10000-0x13FFF committed read/write with 0x10000 written (frame 4);
 * 0x20000-0x2FFFF reserved with 0x21000 committed. */
static struct mm_machine *machine(uint32_t *pid)
{
    struct mm_machine *m = t_machine(64, 256);
    *pid = t_process(m, "app");
    alloc_at(m, *pid, 0x10000, 0x4000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    alloc_at(m, *pid, 0x20000, 0x10000, MEM_RESERVE, PAGE_READWRITE);
    alloc_at(m, *pid, 0x21000, 0x1000, MEM_COMMIT, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, *pid, 0x10000, 0xCAFE), STATUS_SUCCESS);
    return m;
}

/* ---- !pte ---- */

Test(kd, pte_valid)
{
    uint32_t pid;
    struct mm_machine *m = machine(&pid);
    expect(m, pid, "!pte 10000",
           "                    VA 00010000\n"
           "PDE at C0300000        PTE at C0000040\n"
           "contains 00003067      contains 00004067\n"
           "pfn 3     ---DA--UWEV  pfn 4     ---DA--UWEV\n");
    /* a read-only page: R, not W */
    alloc_at(m, pid, 0x400000, 0x1000, MEM_RESERVE | MEM_COMMIT, PAGE_READONLY);
    uint32_t v;
    cr_assert_eq(mm_read32(m, pid, 0x400000, &v), STATUS_SUCCESS);
    expect(m, pid, "!pte 400000",
           "                    VA 00400000\n"
           "PDE at C0300004        PTE at C0001000\n"
           "contains 00005067      contains 00006025\n"
           "pfn 5     ---DA--UWEV  pfn 6     ----A--UREV\n");
    t_check(m);
    mm_destroy(m);
}

Test(kd, pte_demand_zero_zero_and_decommitted)
{
    uint32_t pid;
    struct mm_machine *m = machine(&pid);
    expect(m, pid, "!pte 21000",
           "                    VA 00021000\n"
           "PDE at C0300000        PTE at C0000084\n"
           "contains 00003067      contains 00000080\n"
           "pfn 3     ---DA--UWEV  not valid\n"
           "                        DemandZero\n"
           "                        Protect: 4 - ReadWrite\n");
    /* reserved only: the zero PTE says "ask the VAD" */
    expect(m, pid, "!pte 22000",
           "                    VA 00022000\n"
           "PDE at C0300000        PTE at C0000088\n"
           "contains 00003067      contains 00000000\n"
           "pfn 3     ---DA--UWEV  not valid\n");
    mm_va b = 0x12000;
    uint32_t s = 0x1000;
    cr_assert_eq(mm_free(m, pid, &b, &s, MEM_DECOMMIT), STATUS_SUCCESS);
    expect(m, pid, "!pte 12000",
           "                    VA 00012000\n"
           "PDE at C0300000        PTE at C0000048\n"
           "contains 00003067      contains 00000200\n"
           "pfn 3     ---DA--UWEV  not valid\n"
           "                        Decommitted\n"
           "                        Protect: 10 - Decommitted\n");
    /* no page table for the region at all */
    expect(m, pid, "!pte 800000",
           "                    VA 00800000\n"
           "PDE at C0300008        PTE at C0002000\n"
           "contains 00000000\n"
           "not valid\n");
    t_check(m);
    mm_destroy(m);
}

Test(kd, pte_transition_then_page_file)
{
    uint32_t pid;
    struct mm_machine *m = machine(&pid);
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    expect(m, pid, "!pte 10000",
           "                    VA 00010000\n"
           "PDE at C0300000        PTE at C0000040\n"
           "contains 00003067      contains 00004886\n"
           "pfn 3     ---DA--UWEV  not valid\n"
           "                        Transition: 4\n"
           "                        Protect: 4 - ReadWrite\n");
    cr_assert_eq(t_flush(m), 1u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    expect(m, pid, "!pte 10000",
           "                    VA 00010000\n"
           "PDE at C0300000        PTE at C0000040\n"
           "contains 00003067      contains 00001080\n"
           "pfn 3     ---DA--UWEV  not valid\n"
           "                        PageFile: 0\n"
           "                        Offset: 1\n"
           "                        Protect: 4 - ReadWrite\n");
    t_check(m);
    mm_destroy(m);
}

Test(kd, pte_of_a_paged_out_page_table)
{
    struct mm_machine *m = t_machine(64, 256);
    uint32_t pid = t_process(m, "pt");
    alloc_at(m, pid, 0x400000, 4 * PAGE_SIZE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    for (uint32_t k = 0; k < 4; k++)
        cr_assert_eq(mm_write32(m, pid, 0x400000 + k * PAGE_SIZE, k), STATUS_SUCCESS);
    cr_assert_eq(mm_trim(m, pid, 4), 4u);
    cr_assert_eq(t_flush(m), 4u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    /* the table (frame 3) maps nothing resident: it leaves too */
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    expect(m, pid, "!pte 401000",
           "                    VA 00401000\n"
           "PDE at C0300004        PTE at C0001004\n"
           "contains 00003886\n"
           "not valid\n"
           " Transition: 3\n"
           " Protect: 4 - ReadWrite\n");
    cr_assert_eq(t_flush(m), 1u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    expect(m, pid, "!pte 401000",
           "                    VA 00401000\n"
           "PDE at C0300004        PTE at C0001004\n"
           "contains 00005080\n"
           "not valid\n"
           " PageFile: 0\n"
           " Offset: 5\n"
           " Protect: 4 - ReadWrite\n");
    t_check(m);
    mm_destroy(m);
}

Test(kd, pte_given_a_pte_address_shows_the_va_it_maps)
{
    uint32_t pid;
    struct mm_machine *m = machine(&pid);
    char *by_va = run(m, pid, "!pte 10000", STATUS_SUCCESS);
    char *by_pte = run(m, pid, "!pte c0000040", STATUS_SUCCESS);
    cr_assert_str_eq(by_pte, by_va);
    free(by_va);
    free(by_pte);
    /* the directory through the self-map: its own PDE at 0xC0300C00 */
    expect(m, pid, "!pte c0300000",
           "                    VA c0000000\n"
           "PDE at C0300C00        PTE at C0300000\n"
           "contains 00000063      contains 00003067\n"
           "pfn 0     ---DA--KWEV  pfn 3     ---DA--UWEV\n");
    /* paged pool, where prototype PTEs live, is mapped by no process's tables here */
    expect_error(m, pid, "!pte e1000040", STATUS_INVALID_PARAMETER,
                 "e1000040 is in paged pool, where mmsim keeps prototype PTEs without mapping them in a "
                 "process's tables: walk VA shows the prototype PTE of a page of a view\n");
    mm_destroy(m);
}

/* ---- !pfn ---- */

Test(kd, pfn_active_modified_standby_free)
{
    uint32_t pid;
    struct mm_machine *m = machine(&pid);
    expect(m, pid, "!pfn 4",
           "    PFN 00000004 at address 81000060\n"
           "    flink       00000004  blink / share count 00000001  pteaddress C0000040\n"
           "    reference count 0001   Cached     color 0   Priority 5\n"
           "    restore pte 00000080  containing page 000003  Active     M\n"
           "    Modified\n");
    /* the page table: PteAddress is its PDE, its containing page the directory */
    expect(m, pid, "!pfn 3",
           "    PFN 00000003 at address 81000048\n"
           "    flink       00000003  blink / share count 00000002  pteaddress C0300000\n"
           "    reference count 0001   Cached     color 0   Priority 5\n"
           "    restore pte 00000080  containing page 000000  Active     M\n"
           "    Modified\n");
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    expect(m, pid, "!pfn 4",
           "    PFN 00000004 at address 81000060\n"
           "    flink       FFFFFFFF  blink / share count FFFFFFFF  pteaddress C0000040\n"
           "    reference count 0000   Cached     color 0   Priority 5\n"
           "    restore pte 00000080  containing page 000003  Modified   M\n"
           "    Modified\n");
    cr_assert_eq(t_flush(m), 1u);
    expect(m, pid, "!pfn 4",
           "    PFN 00000004 at address 81000060\n"
           "    flink       FFFFFFFF  blink / share count FFFFFFFF  pteaddress C0000040\n"
           "    reference count 0000   Cached     color 0   Priority 5\n"
           "    restore pte 00001080  containing page 000003  Standby\n");
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    expect(m, pid, "!pfn 0n4",
           "    PFN 00000004 at address 81000060\n"
           "    flink       FFFFFFFF  blink / share count FFFFFFFF  pteaddress 00000000\n"
           "    reference count 0000   Cached     color 0   Priority 5\n"
           "    restore pte 00000000  containing page 000000  Free\n");
    expect_error(m, pid, "!pfn 40", STATUS_INVALID_PARAMETER,
                 "40 is not a page frame of this machine (frames 0 to 3f)\n");
    t_check(m);
    mm_destroy(m);
}

/* ---- !vad ---- */

Test(kd, vad_tree_levels_and_totals)
{
    uint32_t pid;
    struct mm_machine *m = machine(&pid);
    alloc_at(m, pid, 0x400000, 0x4000, MEM_RESERVE | MEM_COMMIT, PAGE_EXECUTE_READ);
    alloc_at(m, pid, 0x500000, 0x10000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD);
    expect(m, pid, "!vad",
           "VAD     level      start      end    commit\n"
           "     n/a ( 1)         10       13         4 Private      READWRITE\n"
           "     n/a ( 0)         20       2f         1 Private      READWRITE\n"
           "     n/a ( 1)        400      403         4 Private      EXECUTE_READ\n"
           "     n/a ( 2)        500      50f        16 Private      READWRITE GUARD\n"
           "\n"
           "Total VADs:     4  average level:    2  maximum depth: 2\n"
           "Total private commit: 0x19 pages (100 KB)\n");
    uint32_t other = t_process(m, "empty");
    expect(m, pid, "!vad empty",
           "VAD     level      start      end    commit\n"
           "\n"
           "Total VADs:     0  average level:    0  maximum depth: 0\n"
           "Total private commit: 0x0 pages (0 KB)\n");
    (void)other;
    mm_destroy(m);
}

/* A view is "Mapped", names what backs it, and is not private commit. */
Test(kd, vad_names_mapped_views_and_their_backing)
{
    uint32_t pid;
    struct mm_machine *m = machine(&pid);
    uint32_t shared, file, mapped;
    struct mm_section_params sp = {.name = "shared", .pages = 16, .file = MM_NO_FILE, .protection = PAGE_READWRITE};
    cr_assert_eq(mm_create_section(m, &sp, &shared), STATUS_SUCCESS);
    cr_assert_eq(mm_file_create(m, "notes.txt", 2, &file), STATUS_SUCCESS);
    struct mm_section_params fp = {.name = "notes", .file = file, .protection = PAGE_READONLY};
    cr_assert_eq(mm_create_section(m, &fp, &mapped), STATUS_SUCCESS);
    mm_va base = 0x400000, fbase = 0x600000;
    uint32_t pages = 0, fpages = 0;
    cr_assert_eq(mm_map_view(m, pid, shared, &base, 0, &pages, PAGE_READWRITE), STATUS_SUCCESS);
    cr_assert_eq(mm_map_view(m, pid, mapped, &fbase, 0, &fpages, PAGE_READONLY), STATUS_SUCCESS);
    expect(m, pid, "!vad",
           "VAD     level      start      end    commit\n"
           "     n/a ( 1)         10       13         4 Private      READWRITE\n"
           "     n/a ( 0)         20       2f         1 Private      READWRITE\n"
           "     n/a ( 1)        400      40f         0 Mapped       READWRITE          Pagefile section, shared commit 0x10\n"
           "     n/a ( 2)        600      601         0 Mapped       READONLY           \\notes.txt\n"
           "\n"
           "Total VADs:     4  average level:    2  maximum depth: 2\n"
           "Total private commit: 0x5 pages (20 KB)\n");
    t_check(m);
    mm_destroy(m);
}

/* ---- !wsle ---- */

Test(kd, wsle_header_entries_totals_and_free)
{
    uint32_t pid;
    struct mm_machine *m = machine(&pid);
    static const char header[] =
        "Working Set @ c0502000\n"
        "    FirstFree:        5  FirstDynamic:          3\n"
        "    LastEntry        4  NextSlot:         3  LastInitialized       3f\n"
        "    NonDirect        0  HashTable:        0  HashTableSize:         0\n";
    static const char entries[] =
        "\n"
        "Virtual Address           Age  Locked  ReferenceCount\n"
        "        c0300203          0        1        1\n"
        "        c0301203          0        1        1\n"
        "        c0502203          0        1        1\n"
        "        c0000201          0        0        1\n"
        "           10201          0        0        1\n";
    static const char totals[] =
        "\n"
        "Valid WSLE entries = 0x5\n"
        "found end @ wsle index 0x3f\n";
    char want[2048];
    snprintf(want, sizeof want, "%s%s%s", header, entries, totals);
    expect(m, pid, "!wsle", want);
    expect(m, pid, "wsle 3 app", want);
    expect(m, pid, "!wsle app", want);
    expect(m, pid, "!wsle 0", header);
    char *free_list = run(m, pid, "!wsle 4", STATUS_SUCCESS);
    cr_assert(strstr(free_list, "\nFree WSLE entries = 0x3b\n"
                                "          5       6       7       8       9       a       b       c\n"),
              "%s", free_list);
    free(free_list);
    mm_destroy(m);
}

/* ---- !memusage ---- */

Test(kd, memusage_counts_every_frame_by_location)
{
    uint32_t pid;
    struct mm_machine *m = machine(&pid);
    /* pages made from now on have priority 2 */
    cr_assert_eq(mm_set_page_priority(m, pid, 2), STATUS_SUCCESS);
    alloc_at(m, pid, 0x400000, 0x4000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    for (uint32_t k = 0; k < 4; k++)
        cr_assert_eq(mm_write32(m, pid, 0x400000 + k * PAGE_SIZE, k), STATUS_SUCCESS);
    cr_assert_eq(mm_trim(m, pid, 3), 3u);
    cr_assert_eq(t_flush(m), 3u);
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(mm_mark_bad(m, 63), STATUS_SUCCESS);
    expect(m, pid, "!memusage",
           "             Zeroed:       53 (     212 kb)\n"
           "               Free:        0 (       0 kb)\n"
           "            Standby:        3 (      12 kb)\n"
           "           Modified:        1 (       4 kb)\n"
           "    ModifiedNoWrite:        0 (       0 kb)\n"
           "       Active/Valid:        6 (      24 kb)\n"
           "         Transition:        0 (       0 kb)\n"
           "         SLIST/Temp:        0 (       0 kb)\n"
           "                Bad:        1 (       4 kb)\n"
           "            Unknown:        0 (       0 kb)\n"
           "              TOTAL:       64 (     256 kb)\n"
           "\n"
           " Standby priority 0:        0 (       0 kb)\n"
           " Standby priority 1:        0 (       0 kb)\n"
           " Standby priority 2:        2 (       8 kb)\n"
           " Standby priority 3:        0 (       0 kb)\n"
           " Standby priority 4:        0 (       0 kb)\n"
           " Standby priority 5:        1 (       4 kb)\n"
           " Standby priority 6:        0 (       0 kb)\n"
           " Standby priority 7:        0 (       0 kb)\n");
    t_check(m);
    mm_destroy(m);
}

/* ---- !process ---- */

Test(kd, process_memory_manager_lines)
{
    uint32_t pid;
    struct mm_machine *m = machine(&pid);
    uint32_t v;
    cr_assert_eq(mm_read32(m, pid, 0x11000, &v), STATUS_SUCCESS);
    expect(m, pid, "!process",
           "PROCESS n/a  SessionId: n/a  Cid: 0001    Peb: n/a  ParentCid: n/a\n"
           "    DirBase: 00000000  ObjectTable: n/a  HandleCount: n/a\n"
           "    Image: app\n"
           "    VadRoot n/a Vads 2 Clone 0 Private 2. Modified n/a. Locked 0.\n"
           "    Working Set Sizes (now,min,max)  (6, 20, 45) (24KB, 80KB, 180KB)\n"
           "    PeakWorkingSetSize                6\n"
           "    VirtualSize                       0 Mb\n"
           "    PeakVirtualSize                   n/a\n"
           "    PageFaultCount                    3\n"
           "    CommitCharge                      5\n");
    /* a 2 MB reservation shows in VirtualSize; a paged-out page still counts as private */
    alloc_at(m, pid, 0x1000000, 0x200000, MEM_RESERVE, PAGE_READWRITE);
    cr_assert_eq(mm_trim(m, pid, 2), 2u);
    cr_assert_eq(t_flush(m), 2u, "a first touch of a read/write page leaves it dirty");
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    uint32_t second = t_process(m, "second");
    expect(m, pid, "!process 1",
           "PROCESS n/a  SessionId: n/a  Cid: 0001    Peb: n/a  ParentCid: n/a\n"
           "    DirBase: 00000000  ObjectTable: n/a  HandleCount: n/a\n"
           "    Image: app\n"
           "    VadRoot n/a Vads 3 Clone 0 Private 2. Modified n/a. Locked 0.\n"
           "    Working Set Sizes (now,min,max)  (4, 20, 45) (16KB, 80KB, 180KB)\n"
           "    PeakWorkingSetSize                6\n"
           "    VirtualSize                       2 Mb\n"
           "    PeakVirtualSize                   n/a\n"
           "    PageFaultCount                    3\n"
           "    CommitCharge                      5\n");
    cr_assert_eq(second, 2u);
    expect(m, pid, "!process 0 0",
           "PROCESS n/a  SessionId: n/a  Cid: 0001    Peb: n/a  ParentCid: n/a\n"
           "    DirBase: 00000000  ObjectTable: n/a  HandleCount: n/a\n"
           "    Image: app\n"
           "\n"
           "PROCESS n/a  SessionId: n/a  Cid: 0002    Peb: n/a  ParentCid: n/a\n"
           "    DirBase: 00006000  ObjectTable: n/a  HandleCount: n/a\n"
           "    Image: second\n"
           "\n");
    expect(m, pid, "process second 0",
           "PROCESS n/a  SessionId: n/a  Cid: 0002    Peb: n/a  ParentCid: n/a\n"
           "    DirBase: 00006000  ObjectTable: n/a  HandleCount: n/a\n"
           "    Image: second\n");
    t_check(m);
    mm_destroy(m);
}

/* ---- commands ---- */

Test(kd, numbers_are_read_as_the_debugger_reads_them)
{
    uint32_t v;
    cr_assert(kd_number("1a3", &v) && v == 0x1a3);
    cr_assert(kd_number("0x1A3", &v) && v == 0x1a3);
    cr_assert(kd_number("0n419", &v) && v == 419);
    cr_assert(kd_number("ffffffff", &v) && v == 0xFFFFFFFFu);
    cr_assert_not(kd_number("100000000", &v), "past 32 bits");
    cr_assert_not(kd_number("0n12a", &v), "a hex digit in a decimal number");
    cr_assert_not(kd_number("0x", &v));
    cr_assert_not(kd_number("", &v));
    cr_assert_not(kd_number("zz", &v));
}

Test(kd, commands_with_and_without_the_bang)
{
    static const char *const ok[] = {"!pte 10000", "!PTE 10000 app", "!pfn 4", "!vad", "!vad app", "!wsle",
                                     "wsle 1", "!wsle 7 app", "!memusage", "memusage 8", "!process",
                                     "process 0 0", "  !pfn   4  "};
    struct kd_cmd cmd;
    char err[200];
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        cr_assert(kd_parse(ok[i], &cmd, err, sizeof err), "%s: %s", ok[i], err);
    cr_assert(kd_parse("!pte 10000 app", &cmd, err, sizeof err));
    cr_assert_eq(cmd.verb, KD_PTE);
    cr_assert_eq(cmd.nargs, 2u);
    cr_assert_str_eq(cmd.arg[1], "app");
    /* pte, pfn and vad without '!' are step mode's own commands */
    cr_assert_not(kd_is_command("pte"));
    cr_assert_not(kd_is_command("pfn"));
    cr_assert_not(kd_is_command("vad"));
    cr_assert(kd_is_command("wsle") && kd_is_command("memusage") && kd_is_command("process"));
    cr_assert(kd_is_command("!pte") && kd_is_command("!Pfn"));

    static const struct {
        const char *line, *err;
    } bad[] = {
        {"!pte", "missing argument: !pte VA [PROCESS]"},
        {"!pfn", "missing argument: !pfn N"},
        {"!pfn 4 5", "too many arguments: !pfn N"},
        {"!pte zz", "'zz' is not a number (hex as in the debugger, or 0n for decimal): !pte VA [PROCESS]"},
        {"!memusage x", "'x' is not a number (hex as in the debugger, or 0n for decimal): !memusage [FLAGS]"},
        {"!process app x",
         "'x' is not a number (hex as in the debugger, or 0n for decimal): !process [PROCESS|0] [FLAGS]"},
        {"!wsle q app", "'q' is not a number (hex as in the debugger, or 0n for decimal): !wsle [FLAGS] [PROCESS]"},
        {"!vad a b", "too many arguments: !vad [PROCESS]"},
        {"!pte 1 2 3", "too many words: !pte VA [PROCESS]"},
        {"!frob", "unknown extension '!frob': the views are !pte, !pfn, !vad, !wsle, !memusage and !process"},
        {"", "no command"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_not(kd_parse(bad[i].line, &cmd, err, sizeof err), "%s", bad[i].line);
        cr_assert_str_eq(err, bad[i].err, "%s", bad[i].line);
    }
    char longword[100];
    memset(longword, 'a', sizeof longword - 1);
    longword[sizeof longword - 1] = '\0';
    char line[120];
    snprintf(line, sizeof line, "!vad %s", longword);
    cr_assert_not(kd_parse(line, &cmd, err, sizeof err));
    cr_assert_str_eq(err, "a word is too long");
}

Test(kd, processes_by_name_or_cid_and_their_errors)
{
    uint32_t pid;
    struct mm_machine *m = machine(&pid);
    char *by_name = run(m, 0, "!vad app", STATUS_SUCCESS);
    char *by_cid = run(m, 0, "!vad 1", STATUS_SUCCESS);
    char *by_default = run(m, pid, "!vad", STATUS_SUCCESS);
    cr_assert_str_eq(by_cid, by_name);
    cr_assert_str_eq(by_default, by_name);
    free(by_name);
    free(by_cid);
    free(by_default);
    expect_error(m, pid, "!vad nobody", STATUS_INVALID_CID, "no running process is named 'nobody'\n");
    expect_error(m, pid, "!process 7", STATUS_INVALID_CID, "no running process is named '7' or has Cid 7\n");
    expect_error(m, 0, "!wsle", STATUS_INVALID_CID, "no process is running\n");
    expect_error(m, 0, "!pte 10000", STATUS_INVALID_CID, "no process is running\n");
    expect_error(m, pid, "!bogus", STATUS_INVALID_PARAMETER,
                 "unknown extension '!bogus': the views are !pte, !pfn, !vad, !wsle, !memusage and !process\n");
    /* views that need no process work with none */
    char *mem = run(m, 0, "!memusage", STATUS_SUCCESS);
    free(mem);
    cr_assert_eq(mm_process_terminate(m, pid), STATUS_SUCCESS);
    expect_error(m, pid, "!process", STATUS_INVALID_CID, "no process is running\n");
    struct kd_out o;
    kd_out_buffer(&o);
    cr_assert_eq(kd_vad(&o, m, pid), STATUS_INVALID_CID);
    cr_assert_str_eq(kd_out_text(&o), "no process with Cid 1\n");
    kd_out_free(&o);
    t_check(m);
    mm_destroy(m);
}

Test(kd, a_file_gets_the_same_text_as_a_buffer)
{
    uint32_t pid;
    struct mm_machine *m = machine(&pid);
    static const char *const lines[] = {"!pte 10000", "!pfn 4", "!vad", "!wsle 7", "!memusage", "!process"};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        char *want = run(m, pid, lines[i], STATUS_SUCCESS);
        FILE *f = tmpfile();
        cr_assert_not_null(f);
        struct kd_out o;
        kd_out_file(&o, f);
        cr_assert_eq(kd_execute(&o, m, lines[i], pid), STATUS_SUCCESS);
        cr_assert_str_eq(kd_out_text(&o), "", "a FILE output keeps no text");
        long n = ftell(f);
        rewind(f);
        char *got = calloc(1, (size_t)n + 1);
        cr_assert_eq(fread(got, 1, (size_t)n, f), (size_t)n);
        fclose(f);
        cr_assert_str_eq(got, want, "%s", lines[i]);
        cr_assert(strlen(want) > 40, "%s printed something", lines[i]);
        free(got);
        free(want);
    }
    mm_destroy(m);
}
