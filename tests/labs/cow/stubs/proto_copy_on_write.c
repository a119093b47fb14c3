/*
 * LAB cow, part 2: the write fault on a copy-on-write page (NT:
 * MiCopyOnWrite). The PTE `pte` at `at` is valid and names the shared
 * frame (a page of a section, its ShareCount counting the processes that
 * map it); the write must go to a copy of the page that only p has.
 * protofault.h has the contract. In order:
 *   1. make sure a frame is available (avail_ensure), with va's page
 *      pinned in p's working set meanwhile (ws_pin, ws_unpin) so that
 *      finding a frame does not trim the very page being copied; none:
 *      STATUS_NO_MEMORY;
 *   2. the copy's protection: copied_protection of the protection the page
 *      has; for a page of a section (PFN_PROTOTYPE_PTE set on the shared
 *      frame) that is section_page_protection of the page its PteAddress
 *      names (section_of_proto), else the shared frame's OriginalPte's;
 *   3. take any frame (pfn_take_any, MOVE_COPY_ON_WRITE) and copy the
 *      page's bytes into it (phys_copy_in);
 *   4. make it active for this PTE (pfn_make_active): its OriginalPte a
 *      demand-zero PTE of the copied protection, since the copy belongs to
 *      no section; the process's page priority and ModifiedNoWrite;
 *      Modified (the copy exists only in memory); and the working-set
 *      index of the entry that maps va (ws_index_of the shared frame);
 *   5. write the valid PTE (resolve_valid_pte): writable, Dirty;
 *   6. the shared frame loses this process's share (pfn_decrement_share,
 *      MOVE_COPY_ON_WRITE); the page table's share does not change (it
 *      still holds one valid PTE here). *frame gets the copy.
 */
mm_status proto_copy_on_write(struct mm_machine *m, struct mm_process *p, struct pte_loc at, mm_va va, mm_pte pte,
                              mm_pfn *frame)
{
    (void)m;
    (void)p;
    (void)at;
    (void)va;
    (void)pte;
    (void)frame;
    (void)copied_protection;
    /* TODO: your code. Until then a write to a copy-on-write page fails as
     * if no frame could be found. */
    return STATUS_NO_MEMORY;
}
