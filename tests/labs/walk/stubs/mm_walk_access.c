/*
 * LAB walk, part 6: the walk a debugger or a student does by hand, with no
 * side effect (mm.h has the contract and struct mm_walk every field). Fill
 * in, for va in process pid: the three parts of va (pdi, pti, offset); the
 * directory frame; the PDE's self-map address and physical address
 * (directory * 4096 + pdi * 4); the PTE's self-map address; the PDE and
 * the PTE as they are wherever the table is (pt_peek, which reads a
 * paged-out table too); whether the PDE is valid, its form (table_form)
 * and the PTE's form; for a valid PDE the PTE's physical address; for a
 * paged-out table (PDE in transition or page-file form) the table_fault it
 * raises; for a valid PTE under a valid PDE the frame and the byte's
 * physical address. Then predict() (above) works out the fault; finally a
 * missing table (PDE zero) of an access that does not violate raises a
 * page-table fault first. STATUS_INVALID_CID for no such process.
 */
mm_status mm_walk_access(const struct mm_machine *m, uint32_t pid, mm_va va, enum mm_access_kind access,
                         struct mm_walk *w)
{
    (void)m;
    (void)pid;
    (void)va;
    (void)access;
    (void)predict;   /* yours to call */
    memset(w, 0, sizeof *w);
    return STATUS_SUCCESS;   /* TODO: your code */
}
