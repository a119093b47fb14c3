/*
 * pte.c - !pte: the PDE and the PTE of a virtual address, side by side,
 * as the debugger prints them on x86 without PAE:
 *
 *                       VA 00010000
 *   PDE at C0300000        PTE at C0000040
 *   contains 00003067      contains 00004886
 *   pfn 3     ---DA--UWEV  not valid
 *                           Transition: 4
 *                           Protect: 4 - ReadWrite
 *
 * A valid entry is decoded to its frame and one letter (or a dash) per
 * hardware bit; an invalid one to its software form.
 */
#include <string.h>

#include "kd.h"

/* The page tables seen through the self-map (i386 without PAE). */
#define KD_PTE_BASE 0xC0000000u
#define KD_PTE_END  0xC0400000u   /* one past the last PTE */

#define COLUMN 23                 /* width of the PDE column */
#define MAX_LINES 4

/* The hardware bits of a valid entry, highest first: the letter when the
 * bit is set, else the dash (or the second letter). No-execute does not
 * exist without PAE, so E (executable) is always shown. */
static void flag_string(mm_pte p, char out[12])
{
    static const struct { mm_pte bit; char set, clear; } bits[] = {
        {PTE_COPY_ON_WRITE, 'C', '-'}, {PTE_GLOBAL, 'G', '-'},         {PTE_LARGE_PAGE, 'L', '-'},
        {PTE_DIRTY, 'D', '-'},         {PTE_ACCESSED, 'A', '-'},       {PTE_CACHE_DISABLE, 'N', '-'},
        {PTE_WRITE_THROUGH, 'T', '-'}, {PTE_OWNER, 'U', 'K'},          {PTE_WRITE, 'W', 'R'},
        {0, 'E', 'E'},                 {PTE_VALID, 'V', '-'},
    };
    for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++)
        out[i] = (p & bits[i].bit) || bits[i].bit == 0 ? bits[i].set : bits[i].clear;
    out[11] = '\0';
}

/* The 5-bit protection as the debugger's "Protect:" line names it. */
static const char *protect_name(uint32_t protection, char *buf, size_t size)
{
    static const char *const access[8] = {
        "NoAccess", "ReadOnly", "Execute", "ExecuteRead", "ReadWrite", "WriteCopy",
        "ExecuteReadWrite", "ExecuteWriteCopy",
    };
    uint32_t a = protection & MM_PROTECT_ACCESS, special = protection & MM_PROTECT_SPECIAL;
    if (a == 0 && special == MM_DECOMMIT)
        snprintf(buf, size, "Decommitted");
    else if (a == 0 && special == MM_NOACCESS)
        snprintf(buf, size, "NoAccess");
    else
        snprintf(buf, size, "%s%s", access[a],
                 special == MM_GUARD_PAGE ? " Guard" : special == MM_NOCACHE ? " NoCache"
                 : special == MM_WRITECOMBINE ? " WriteCombine" : "");
    return buf;
}

struct column {
    char line[MAX_LINES][40];
    int n;
};

static void add(struct column *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct column *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->line[c->n++], sizeof c->line[0], fmt, ap);
    va_end(ap);
}

static void add_protect(struct column *c, mm_pte p)
{
    char name[40];
    add(c, " Protect: %x - %s", pte_protection(p), protect_name(pte_protection(p), name, sizeof name));
}

/* Decode one entry into the lines under its "contains" line. */
static void decode(mm_pte p, struct column *c)
{
    char flags[12];
    switch (pte_classify(p)) {
    case PTE_FORM_VALID:
        flag_string(p, flags);
        add(c, "pfn %-5x %s", pte_frame(p), flags);
        return;
    case PTE_FORM_ZERO: add(c, "not valid"); return;
    case PTE_FORM_TRANSITION:
        add(c, "not valid");
        add(c, " Transition: %x", pte_frame(p));
        break;
    case PTE_FORM_PAGEFILE:
        add(c, "not valid");
        add(c, " PageFile: %x", pte_pagefile_number(p));
        add(c, " Offset: %x", pte_pagefile_offset(p));
        break;
    case PTE_FORM_DEMAND_ZERO:
        add(c, "not valid");
        add(c, " DemandZero");
        break;
    case PTE_FORM_DECOMMITTED:
        add(c, "not valid");
        add(c, " Decommitted");
        break;
    case PTE_FORM_PROTOTYPE:
        add(c, "not valid");
        if (pte_proto_lookup_needed(p)) {   /* the VAD locates the prototype PTE */
            add(c, " Proto: VAD");
            break;   /* and the protection it keeps */
        }
        if (p & PTE_WHICH_POOL_SUBSECTION) {   /* a prototype PTE whose page is in its file */
            add(c, " Subsection: %08X", pte_subsection_address(p));
            break;
        }
        add(c, " Proto: %08X", pte_proto_address(p));   /* the prototype PTE it points at */
        return;
    }
    add_protect(c, p);
}

/* One line of the two columns; the right one may be empty. */
static void row(struct kd_out *o, const char *left, const char *right)
{
    if (*right)
        kd_printf(o, "%-*s%s\n", COLUMN, left, right);
    else
        kd_printf(o, "%s\n", left);
}

mm_status kd_pte(struct kd_out *o, const struct mm_machine *m, uint32_t pid, mm_va va)
{
    if (va >= KD_PTE_BASE && va < KD_PTE_END)
        va = (mm_va)(((va - KD_PTE_BASE) >> 2) << PAGE_SHIFT);   /* the VA this PTE maps */
    struct mm_walk w;
    if (mm_walk(m, pid, va, &w) != STATUS_SUCCESS) {
        kd_printf(o, "no process with Cid %x\n", pid);
        return STATUS_INVALID_CID;
    }
    if (va >= MM_PROTO_BASE && va < MM_PROTO_LIMIT) {
        /* SIMPLIFIED: paged pool is not mapped by any process's tables */
        kd_printf(o, "%08x is in paged pool, where mmsim keeps prototype PTEs without mapping them in a "
                     "process's tables: walk VA shows the prototype PTE of a page of a view\n", va);
        return STATUS_INVALID_PARAMETER;
    }
    char left[40], right[40];
    kd_printf(o, "                    VA %08x\n", va);
    snprintf(left, sizeof left, "PDE at %08X", w.pde_va);
    snprintf(right, sizeof right, "PTE at %08X", w.pte_va);
    row(o, left, right);
    snprintf(left, sizeof left, "contains %08X", w.pde);
    snprintf(right, sizeof right, "contains %08X", w.pte);
    row(o, left, w.pde_valid ? right : "");
    struct column pde = {.n = 0}, pte = {.n = 0};
    decode(w.pde, &pde);
    if (w.pde_valid)
        decode(w.pte, &pte);
    for (int i = 0; i < pde.n || i < pte.n; i++)
        row(o, i < pde.n ? pde.line[i] : "", i < pte.n ? pte.line[i] : "");
    return STATUS_SUCCESS;
}
