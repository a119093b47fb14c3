/*
 * LAB fault, part 2: the soft fault (NT: MiResolveTransitionFault). The
 * transition PTE names the frame that still holds the page, on the Standby
 * or the Modified list. resolve.h has the contract. In order:
 *   1. note the list the frame is on (*from: pfn_location) and take it off
 *      that list into ActiveAndValid (pfn_unlink, MOVE_SOFT_FAULT); one
 *      mapping uses it again: ShareCount 1, ReferenceCount 1;
 *   2. make room in p's working set (ws_make_room);
 *   3. write the valid PTE with the protection the transition PTE keeps:
 *      Dirty only when the frame is still modified (PFN_MODIFIED) and the
 *      protection lets a fault set it (resolve_can_dirty);
 *   4. enter the page in the working set and give back the frame.
 */
void resolve_transition(struct mm_machine *m, struct mm_process *p, struct pte_loc at, mm_va va,
                        mm_pte pte, mm_pfn *frame, enum mm_list *from)
{
    (void)m;
    (void)p;
    (void)at;
    (void)va;
    (void)pte;
    (void)frame;
    (void)from;
    /* TODO: your code. Until then the fault "resolves" nothing and the
     * processor faults again on the same page. */
}
