/*
 * wsle.c - !wsle: a process's working-set list (MMWSL): its header, then
 * with flag 0x1 each valid entry as stored (the page's VA with the entry's
 * flag bits in the low twelve: Valid 0x1, LockedInWs 0x2, Direct 0x200,
 * Age in 0xC00), its age, whether it is locked and the ReferenceCount of
 * the frame it maps; with 0x2 the totals; with 0x4 the free entries.
 *
 *   Working Set @ c0502000
 *       FirstFree:        5  FirstDynamic:          3
 *       LastEntry         4  NextSlot:         3  LastInitialized       ff
 *       NonDirect         0  HashTable:        0  HashTableSize:         0
 *
 *   Virtual Address           Age  Locked  ReferenceCount
 *           c0300203          0        1        1
 */
#include "kd.h"

/* Where the list is mapped: hyperspace, as NT 4 and 5 put it (the page
 * mmsim's process creation maps there). */
#define KD_WSL_VA 0xC0502000u

/* The ReferenceCount of the frame that backs va in pid, or -1. */
static int reference_count(const struct mm_machine *m, uint32_t pid, mm_va va)
{
    struct mm_walk w;
    if (mm_walk(m, pid, va, &w) != STATUS_SUCCESS || !w.valid)
        return -1;
    const struct mmpfn *p = mm_pfn_entry(m, w.frame);
    return p ? p->u3.reference_count : -1;
}

static void entries(struct kd_out *o, const struct mm_machine *m, uint32_t pid, const struct mm_wsl *ws)
{
    kd_printf(o, "\nVirtual Address           Age  Locked  ReferenceCount\n");
    for (uint32_t i = 0; i <= ws->last_entry && i < ws->capacity; i++) {
        mm_wsle e = ws->wsle[i];
        if (!wsle_valid(e))
            continue;
        int refs = reference_count(m, pid, wsle_va(e));
        if (refs < 0)
            kd_printf(o, "%16x %10u %8u        ?\n", e, wsle_age(e), wsle_locked(e) ? 1u : 0u);
        else
            kd_printf(o, "%16x %10u %8u %8d\n", e, wsle_age(e), wsle_locked(e) ? 1u : 0u, refs);
    }
}

static void free_entries(struct kd_out *o, const struct mm_wsl *ws)
{
    uint32_t n = 0;
    for (uint32_t i = ws->first_free; i != WSLE_NULL_INDEX && i < ws->capacity && n <= ws->capacity;
         i = ws->wsle[i] >> PAGE_SHIFT)
        n++;
    kd_printf(o, "\nFree WSLE entries = 0x%x\n", n);
    uint32_t col = 0;
    for (uint32_t i = ws->first_free, k = 0; i != WSLE_NULL_INDEX && i < ws->capacity && k < n;
         i = ws->wsle[i] >> PAGE_SHIFT, k++) {
        kd_printf(o, "%s%8x", col == 0 ? "   " : "", i);
        if (++col == 8) {
            kd_printf(o, "\n");
            col = 0;
        }
    }
    if (col)
        kd_printf(o, "\n");
}

mm_status kd_wsle(struct kd_out *o, const struct mm_machine *m, uint32_t pid, uint32_t flags)
{
    const struct mm_wsl *ws = mm_working_set(m, pid);
    if (!ws) {
        kd_printf(o, "no process with Cid %x\n", pid);
        return STATUS_INVALID_CID;
    }
    uint32_t valid = 0, non_direct = 0;
    for (uint32_t i = 0; i <= ws->last_entry && i < ws->capacity; i++)
        if (wsle_valid(ws->wsle[i])) {
            valid++;
            non_direct += (ws->wsle[i] & WSLE_DIRECT) == 0;
        }
    kd_printf(o, "Working Set @ %08x\n", KD_WSL_VA);
    kd_printf(o, "    FirstFree: %8x  FirstDynamic: %10x\n", ws->first_free, ws->first_dynamic);
    kd_printf(o, "    LastEntry %8x  NextSlot: %9x  LastInitialized %8x\n", ws->last_entry, ws->next_slot,
              ws->last_initialized);
    /* SIMPLIFIED: the hash table lives in host memory, at no simulated address */
    kd_printf(o, "    NonDirect %8x  HashTable: %8s  HashTableSize: %9x\n", non_direct, ws->hash ? "n/a" : "0",
              ws->hash ? ws->hash_size : 0);
    if (flags & KD_WSLE_ENTRIES)
        entries(o, m, pid, ws);
    if (flags & KD_WSLE_TOTALS) {
        kd_printf(o, "\nValid WSLE entries = 0x%x\n", valid);
        kd_printf(o, "found end @ wsle index 0x%x\n", ws->last_initialized);
    }
    if (flags & KD_WSLE_FREE)
        free_entries(o, ws);
    return STATUS_SUCCESS;
}
