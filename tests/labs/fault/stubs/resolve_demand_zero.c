/*
 * LAB fault, part 1: the demand-zero fault (NT: MiResolveDemandZeroFault).
 * resolve.h has the contract. In order:
 *   1. make room in p's working set first (ws_make_room), then make sure a
 *      frame can be had (avail_ensure); STATUS_NO_MEMORY if not;
 *   2. take a zeroed frame (pfn_take_zeroed), with MOVE_PAGE_TABLE when
 *      `at` is a PDE (maps_table: the page is a page table) and
 *      MOVE_DEMAND_ZERO otherwise;
 *   3. make it active for the PTE at `at` (pfn_make_active) with a
 *      demand-zero OriginalPte of `protection`, give it p's priority and
 *      ModifiedNoWrite mark (take_owner_marks), and set PFN_MODIFIED: no
 *      copy of its contents exists anywhere else;
 *   4. the table that holds the PTE gains a user: its ShareCount goes up,
 *      and a data page's PTE that was zero counts as a new non-zero entry
 *      of its table (pt_use);
 *   5. write the valid PTE (resolve_valid_pte: Accessed always, Dirty when
 *      resolve_can_dirty says a fault may set it) and enter the page in the
 *      working set (add_to_working_set).
 * docs/page-states.md and docs/pte-formats.md tell what each step means.
 */
mm_status resolve_demand_zero(struct mm_machine *m, struct mm_process *p, struct pte_loc at, mm_va va,
                              uint32_t protection, mm_pfn *frame)
{
    /* the helpers above are yours to use */
    (void)maps_table;
    (void)take_owner_marks;
    (void)add_to_working_set;
    (void)m;
    (void)p;
    (void)at;
    (void)va;
    (void)protection;
    (void)frame;
    return STATUS_NO_MEMORY;   /* TODO: your code */
}
