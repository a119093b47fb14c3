/*
 * LAB fault, part 3: the hard fault (NT: MiResolvePageFileFault). The
 * page-file PTE names a paging file and a slot. resolve.h has the
 * contract. In order:
 *   1. make room in p's working set (ws_make_room) and make sure a frame
 *      can be had (avail_ensure); STATUS_NO_MEMORY if not;
 *   2. take any frame (pfn_take_any, MOVE_PAGE_IN): its contents are about
 *      to be overwritten, so Free is as good as Zeroed. It comes back in
 *      TransitionPage: the read is in progress;
 *   3. read the page: the frame's PFN entry names the PTE (PteAddress,
 *      PteFrame) and keeps the page-file PTE as its OriginalPte (the page
 *      is clean: the slot stays allocated), takes p's marks, clears
 *      PFN_MODIFIED and sets PFN_READ_IN_PROGRESS, ReferenceCount 1; the
 *      table's ShareCount goes up; the PTE becomes a transition PTE for
 *      the frame while the read runs (pte_make_transition); the bytes come
 *      from pagefile_fetch into the frame (phys_copy_in); count the read
 *      (the file's reads and m->pages_read) and report it (ev_io); clear
 *      PFN_READ_IN_PROGRESS;
 *   4. make the frame active (pfn_make_active), write the valid PTE (never
 *      Dirty: the page equals its copy), enter the working set;
 *   5. for a data page (not a page table), read ahead: the next PTEs of
 *      the same table whose pages sit in the next slots of the same file
 *      come in too, up to m->cfg.read_cluster of them, onto the Standby
 *      list (MOVE_CLUSTER), while free or zeroed frames last.
 * Write steps 3 and 5 as helpers of your own (static, above this
 * function). docs/page-states.md has the path a page takes.
 */
mm_status resolve_page_file(struct mm_machine *m, struct mm_process *p, struct pte_loc at, mm_va va,
                            mm_pte pte, mm_pfn *frame)
{
    (void)m;
    (void)p;
    (void)at;
    (void)va;
    (void)pte;
    (void)frame;
    return STATUS_NO_MEMORY;   /* TODO: your code */
}
