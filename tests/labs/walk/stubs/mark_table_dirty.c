/*
 * LAB walk, part 4: software writes a PTE through the self-map, at the
 * virtual address pte_va inside the page table's own page, so the
 * processor sets Accessed and Dirty in the entry that maps that page: the
 * page table's PDE. Find that PDE (the PTE address of pte_va, in the
 * directory `dir`) and, when it is valid and not yet dirty, write it with
 * both bits set (pt_write(..., true): the hardware does this). A dirty
 * table must be written to the paging file again before its frame is
 * reused.
 */
static void mark_table_dirty(struct mm_machine *m, mm_pfn dir, mm_va pte_va)
{
    (void)m;
    (void)dir;
    (void)pte_va;
    /* TODO: your code */
}
