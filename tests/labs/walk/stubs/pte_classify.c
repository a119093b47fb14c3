/*
 * LAB walk, part 2: what kind of entry a PTE value is (pte.h draws each
 * format). Decide in this order: zero; Valid (bit 0) set: the hardware
 * format; Prototype (bit 10) set; Transition (bit 11) set; exactly the
 * decommitted value (MM_DECOMMITTED_PTE); and otherwise a software PTE,
 * page-file when PageFileHigh (bits 31-12, pte_pagefile_offset) is not 0,
 * demand-zero when it is.
 */
enum pte_form pte_classify(mm_pte p)
{
    (void)p;
    return PTE_FORM_ZERO;   /* TODO: your code */
}
