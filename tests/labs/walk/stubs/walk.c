/*
 * LAB walk, part 3: the processor's two-level walk. From CR3 (the
 * process's directory frame, pt_pde_loc gives the PDE's place) read the
 * PDE of va; it must be Valid and allow user mode (Owner), else the
 * processor faults (return false). Its frame is the page table: read the
 * PTE of va there (at the self-map address pte_address(va); pt_read reads
 * an entry at a struct pte_loc). The PTE must be Valid and Owner, and for
 * a write also Write. Then do what the hardware does on the way: set
 * Accessed in the PDE if clear, set Accessed (and for a write Dirty) in
 * the PTE if not already set, writing each with pt_write(..., true) (true:
 * the hardware wrote it, so the TLB is not flushed for it). Give the PTE
 * as it now is in *out and return true. Intel SDM vol. 3, "32-bit paging";
 * docs/pte-formats.md.
 */
static bool walk(struct mm_machine *m, struct mm_process *p, mm_va va, enum mm_access_kind access,
                 mm_pte *out)
{
    (void)m;
    (void)p;
    (void)va;
    (void)access;
    (void)out;
    return false;   /* TODO: your code. Until then every access faults, again and again. */
}
