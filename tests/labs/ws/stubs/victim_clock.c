/*
 * LAB ws, part 2: the clock (second chance). The hand starts at NextSlot
 * (hand() gives it, within the dynamic entries) and moves one entry at a
 * time (after() wraps round). An entry that may not go (candidate: valid,
 * not locked, not pinned, a data page when data_only) is passed over. A
 * candidate whose PTE has Accessed set gets a second chance: clear the bit
 * (pt_write(..., false)) and move on. The first candidate with the bit
 * clear is the victim: leave the hand just after it and return its index.
 * Two sweeps clear every bit, so stop after 2 * span + 1 entries and
 * return WSLE_NULL_INDEX when none could go. docs/working-sets.md.
 */
static uint32_t victim_clock(struct mm_machine *m, struct mm_process *p, bool data_only)
{
    (void)candidate;   /* yours to use, with hand(), after() and entry_pte() */
    (void)m;
    (void)p;
    (void)data_only;
    return WSLE_NULL_INDEX;   /* TODO: your code. Until then nothing is ever replaced. */
}
