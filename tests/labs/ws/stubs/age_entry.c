/*
 * LAB ws, part 1: one aging step on working-set entry i (NT's working-set
 * manager ages every entry on each pass). Read the entry's PTE
 * (entry_pte). Accessed set: the page was used since the last look, so
 * clear the bit (pt_write(..., false): software clears it, which also
 * drops the page's TLB entry, so the next use sets it again) and the age
 * goes back to 0. Accessed clear: one step older (set_age), but never past
 * WSLE_MAX_AGE. Return the entry's new age. ws.h draws the WSLE and its
 * age bits; docs/working-sets.md, "aging".
 */
static uint32_t age_entry(struct mm_machine *m, struct mm_process *p, uint32_t i)
{
    /* the helpers above are yours to use */
    (void)entry_pte;
    (void)set_age;
    (void)m;
    (void)p;
    (void)i;
    return 0;   /* TODO: your code */
}
