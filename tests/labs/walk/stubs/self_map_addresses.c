/*
 * LAB walk, part 1: the self-map. The page directory's entry 0x300 maps
 * the directory itself, so every PTE of the process has a virtual address:
 * the PTEs of user space form one array of 32-bit entries from PTE_BASE
 * (0xC0000000), one entry per virtual page, and the PDEs one array from
 * PDE_BASE (0xC0300000), one entry per 4 MiB. Return the self-map address
 * of the PTE that maps va, and of the PDE that maps va. (The diagrams at
 * the top of this file and of pte.h; docs/pte-formats.md, "the self-map".)
 */
static inline mm_va pte_address(mm_va va)
{
    (void)va;
    return 0;   /* TODO: your code */
}
static inline mm_va pde_address(mm_va va)
{
    (void)va;
    return 0;   /* TODO: your code */
}
