/*
 * vad.c - !vad: a process's VAD tree in address order, one line per VAD
 * (its depth in the tree, first and last page number, committed pages,
 * kind and protection; a mapped view also names what backs it, the paging
 * file with the section's shared commit or the file), then totals:
 *
 *   VAD     level      start      end    commit
 *        n/a ( 0)         10       13         4 Private      READWRITE
 *        n/a ( 1)        100      10f         0 Mapped       READWRITE          Pagefile section, shared commit 0x10
 *
 *   Total VADs:     2  average level:    1  maximum depth: 1
 *   Total private commit: 0x4 pages (16 KB)
 */
#include "kd.h"

/* The VAD's protection as the debugger names it (its low three bits),
 * with the modifier mmsim keeps in the same mask. */
static void vad_protect_name(uint32_t protection, char *buf, size_t size)
{
    static const char *const access[8] = {
        "NO_ACCESS", "READONLY", "EXECUTE", "EXECUTE_READ", "READWRITE", "WRITECOPY",
        "EXECUTE_READWRITE", "EXECUTE_WRITECOPY",
    };
    uint32_t a = protection & MM_PROTECT_ACCESS, special = protection & MM_PROTECT_SPECIAL;
    snprintf(buf, size, "%s%s", access[a],
             a == 0 ? "" : special == MM_GUARD_PAGE ? " GUARD" : special == MM_NOCACHE ? " NOCACHE"
                         : special == MM_WRITECOMBINE ? " WRITECOMBINE" : "");
}

mm_status kd_vad(struct kd_out *o, const struct mm_machine *m, uint32_t pid)
{
    if (!mm_process_exists(m, pid)) {
        kd_printf(o, "no process with Cid %x\n", pid);
        return STATUS_INVALID_CID;
    }
    uint32_t count = 0, level_sum = 0, depth = 0, commit = 0;
    kd_printf(o, "VAD     level      start      end    commit\n");
    for (const struct mm_vad *v = mm_vad_next(m, pid, NULL); v; v = mm_vad_next(m, pid, v)) {
        mm_va start, end;
        uint32_t prot, charge;
        bool mem_commit;
        char name[40];
        mm_vad_range(v, &start, &end, &prot, &mem_commit, &charge);
        int level = mm_vad_level(m, pid, v);
        vad_protect_name(prot, name, sizeof name);
        uint32_t section, first_page;
        struct mm_section_info si;
        /* SIMPLIFIED: a VAD has no kernel address in mmsim: "n/a" */
        if (!mm_vad_view(v, &section, &first_page)) {
            kd_printf(o, "%8s (%2d) %10x %8x %9u %-7s %-4s %s\n", "n/a", level, VA_VPN(start), VA_VPN(end), charge,
                      "Private", "", name);
            commit += charge;
        } else {
            /* a view: the debugger names the backing (the file, or the
             * paging file with the section's shared commit); a view keeps
             * its section alive, so the section is always found */
            bool found = mm_section_info(m, section, &si);
            kd_printf(o, "%8s (%2d) %10x %8x %9u %-7s %-4s %-18s ", "n/a", level, VA_VPN(start), VA_VPN(end),
                      charge, "Mapped", found && si.image ? "Exe" : "", name);
            if (!found) {
                kd_printf(o, "section %u\n", section);
            } else if (si.file == MM_NO_FILE) {
                kd_printf(o, "Pagefile section, shared commit 0x%x\n", si.charge);
            } else {
                const char *file = "?";
                uint32_t pages;
                uint64_t reads, writes;
                mm_file_info(m, si.file, &file, &pages, &reads, &writes);
                kd_printf(o, "\\%s\n", file);
            }
        }
        count++;
        level_sum += (uint32_t)level;
        depth = (uint32_t)level > depth ? (uint32_t)level : depth;
    }
    /* the debugger's average counts levels from 1: 1 + sum / count */
    kd_printf(o, "\nTotal VADs: %5u  average level: %4u  maximum depth: %u\n", count,
              count ? 1 + level_sum / count : 0, depth);
    kd_printf(o, "Total private commit: 0x%x pages (%u KB)\n", commit, commit * 4);
    return STATUS_SUCCESS;
}
