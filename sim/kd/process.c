/*
 * process.c - !process: the memory manager's lines of the debugger's
 * process summary (EPROCESS and its MMSUPPORT):
 *
 *   PROCESS n/a  SessionId: n/a  Cid: 0001    Peb: n/a  ParentCid: n/a
 *       DirBase: 00000000  ObjectTable: n/a  HandleCount: n/a
 *       Image: a
 *       VadRoot n/a Vads 1 Clone 0 Private 1. Modified n/a. Locked 0.
 *       Working Set Sizes (now,min,max)  (5, 4, 8) (20KB, 16KB, 32KB)
 *       PeakWorkingSetSize                5
 *       VirtualSize                       0 Mb
 *       PeakVirtualSize                   n/a
 *       PageFaultCount                    2
 *       CommitCharge                      4
 *
 * The lines about handles, tokens, times, pool quotas, priorities and
 * threads are left out: mmsim has none of them.
 */
#include "kd.h"

/* Private pages that exist (NT: EPROCESS.NumberOfPrivatePages, counted up
 * by demand-zero faults and down by deletes): every page of every VAD
 * whose PTE holds a frame or a paging-file slot. The VAD's size in bytes
 * is added to *virtual_size. */
static uint32_t private_pages(const struct mm_machine *m, uint32_t pid, uint64_t *virtual_size)
{
    uint32_t pages = 0;
    for (const struct mm_vad *v = mm_vad_next(m, pid, NULL); v; v = mm_vad_next(m, pid, v)) {
        mm_va start, end;
        uint32_t prot, charge;
        bool mem_commit;
        mm_vad_range(v, &start, &end, &prot, &mem_commit, &charge);
        *virtual_size += (uint64_t)end - start + 1;
        for (uint64_t va = start; va < end; va += PAGE_SIZE) {
            struct mm_walk w;
            if (mm_walk(m, pid, (mm_va)va, &w) != STATUS_SUCCESS)
                continue;
            if (w.pde == 0) {
                va = (va | 0x3FFFFFu) + 1 - PAGE_SIZE;   /* no table: nothing here up to the next 4 MB */
                continue;
            }
            pages += w.form == PTE_FORM_VALID || w.form == PTE_FORM_TRANSITION || w.form == PTE_FORM_PAGEFILE;
        }
    }
    return pages;
}

mm_status kd_process(struct kd_out *o, const struct mm_machine *m, uint32_t pid, bool brief)
{
    struct mm_walk w;
    const struct mm_wsl *ws = mm_working_set(m, pid);
    if (!ws || mm_walk(m, pid, 0, &w) != STATUS_SUCCESS) {
        kd_printf(o, "no process with Cid %x\n", pid);
        return STATUS_INVALID_CID;
    }
    /* SIMPLIFIED: no EPROCESS, session, PEB or handle table: "n/a" */
    kd_printf(o, "PROCESS n/a  SessionId: n/a  Cid: %04x    Peb: n/a  ParentCid: n/a\n", pid);
    kd_printf(o, "    DirBase: %08x  ObjectTable: n/a  HandleCount: n/a\n", w.directory << PAGE_SHIFT);
    kd_printf(o, "    Image: %s\n", mm_process_name(m, pid));
    if (brief)
        return STATUS_SUCCESS;
    uint32_t vads = 0;
    for (const struct mm_vad *v = mm_vad_next(m, pid, NULL); v; v = mm_vad_next(m, pid, v))
        vads++;
    uint64_t virtual_size = 0;
    uint32_t private = private_pages(m, pid, &virtual_size);
    struct mm_commit_info commit;
    struct mm_counters counters;
    mm_commit(m, pid, &commit);
    mm_counters(m, pid, &counters);
    kd_printf(o, "    VadRoot n/a Vads %u Clone 0 Private %u. Modified n/a. Locked 0.\n", vads, private);
    kd_printf(o, "    Working Set Sizes (now,min,max)  (%u, %u, %u) (%uKB, %uKB, %uKB)\n", ws->size, ws->minimum,
              ws->maximum, ws->size * 4, ws->minimum * 4, ws->maximum * 4);
    kd_printf(o, "    PeakWorkingSetSize                %u\n", ws->peak);
    kd_printf(o, "    VirtualSize                       %llu Mb\n", (unsigned long long)(virtual_size >> 20));
    kd_printf(o, "    PeakVirtualSize                   n/a\n");
    kd_printf(o, "    PageFaultCount                    %llu\n", (unsigned long long)counters.page_fault_count);
    kd_printf(o, "    CommitCharge                      %u\n", commit.process_charge);
    return STATUS_SUCCESS;
}
