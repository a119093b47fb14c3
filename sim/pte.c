/*
 * pte.c - decoding PTEs and the protection rules: the 5-bit mask, its
 * PAGE_* spelling, which accesses it allows and what a valid PTE for it
 * looks like (NT: MmProtectToPteMask, MiMakeProtectionMask).
 */
#include <stdio.h>
#include <string.h>

#include "pte.h"

/* LAB walk: begin pte_classify */
enum pte_form pte_classify(mm_pte p)
{
    if (p == 0)
        return PTE_FORM_ZERO;
    if (p & PTE_VALID)
        return PTE_FORM_VALID;
    if (p & PTE_PROTOTYPE)
        return PTE_FORM_PROTOTYPE;
    if (p & PTE_TRANSITION)
        return PTE_FORM_TRANSITION;
    if (p == MM_DECOMMITTED_PTE)
        return PTE_FORM_DECOMMITTED;
    return pte_pagefile_offset(p) ? PTE_FORM_PAGEFILE : PTE_FORM_DEMAND_ZERO;
}
/* LAB walk: end pte_classify */

const char *pte_form_name(enum pte_form form)
{
    static const char *const names[] = {
        [PTE_FORM_ZERO] = "zero",           [PTE_FORM_VALID] = "valid",
        [PTE_FORM_DEMAND_ZERO] = "demand-zero", [PTE_FORM_PAGEFILE] = "page-file",
        [PTE_FORM_TRANSITION] = "transition", [PTE_FORM_PROTOTYPE] = "prototype",
        [PTE_FORM_DECOMMITTED] = "decommitted",
    };
    return (unsigned)form < sizeof names / sizeof names[0] ? names[form] : "?";
}

/* PAGE_* base values in the order of the 3-bit access codes. */
static const uint32_t win32_of_access[8] = {
    PAGE_NOACCESS,  PAGE_READONLY,          PAGE_EXECUTE,   PAGE_EXECUTE_READ,
    PAGE_READWRITE, PAGE_WRITECOPY,         PAGE_EXECUTE_READWRITE, PAGE_EXECUTE_WRITECOPY,
};

uint32_t prot_from_win32(uint32_t flags)
{
    uint32_t base = flags & 0xFFu;
    uint32_t modifiers = flags & ~0xFFu;
    if (modifiers & ~(PAGE_GUARD | PAGE_NOCACHE | PAGE_WRITECOMBINE))
        return MM_INVALID_PROTECTION;
    /* exactly one base protection */
    if (base == 0 || (base & (base - 1)) != 0)
        return MM_INVALID_PROTECTION;
    int nmod = !!(modifiers & PAGE_GUARD) + !!(modifiers & PAGE_NOCACHE) +
               !!(modifiers & PAGE_WRITECOMBINE);
    if (nmod > 1)
        return MM_INVALID_PROTECTION;
    if (base == PAGE_NOACCESS)
        return modifiers ? MM_INVALID_PROTECTION : MM_NOACCESS;
    uint32_t access = 0;
    while (win32_of_access[access] != base)
        access++;
    if (modifiers & PAGE_GUARD)
        return access | MM_GUARD_PAGE;
    if (modifiers & PAGE_NOCACHE)
        return access | MM_NOCACHE;
    if (modifiers & PAGE_WRITECOMBINE)
        return access | MM_WRITECOMBINE;
    return access;
}

uint32_t prot_to_win32(uint32_t protection)
{
    uint32_t access = protection & MM_PROTECT_ACCESS;
    uint32_t special = protection & MM_PROTECT_SPECIAL;
    if (access == 0) {
        if (special == MM_NOACCESS)
            return PAGE_NOACCESS;
        return 0;   /* zero access or decommitted: no PAGE_* value */
    }
    uint32_t flags = win32_of_access[access];
    if (special == MM_GUARD_PAGE)
        flags |= PAGE_GUARD;
    else if (special == MM_NOCACHE)
        flags |= PAGE_NOCACHE;
    else if (special == MM_WRITECOMBINE)
        flags |= PAGE_WRITECOMBINE;
    return flags;
}

bool prot_allows(uint32_t protection, enum mm_access_kind access)
{
    /*                      access code: 0  1  2  3  4  5  6  7 */
    static const uint8_t can_read[8]  = {0, 1, 1, 1, 1, 1, 1, 1};
    static const uint8_t can_exec[8]  = {0, 0, 1, 1, 0, 0, 1, 1};
    static const uint8_t can_write[8] = {0, 0, 0, 0, 1, 1, 1, 1};
    uint32_t a = protection & MM_PROTECT_ACCESS;
    switch (access) {
    case MM_ACCESS_READ: return can_read[a];
    case MM_ACCESS_WRITE: return can_write[a];
    case MM_ACCESS_EXECUTE: return can_exec[a];
    }
    return false;
}

bool prot_is_guard(uint32_t protection)
{
    return (protection & MM_PROTECT_SPECIAL) == MM_GUARD_PAGE && (protection & MM_PROTECT_ACCESS);
}

bool prot_is_write_copy(uint32_t protection)
{
    uint32_t a = protection & MM_PROTECT_ACCESS;
    return a == MM_WRITECOPY || a == MM_EXECUTE_WRITECOPY;
}

bool prot_is_writable(uint32_t protection) { return prot_allows(protection, MM_ACCESS_WRITE); }

mm_pte prot_hardware_bits(uint32_t protection)
{
    uint32_t a = protection & MM_PROTECT_ACCESS;
    mm_pte bits = PTE_VALID | PTE_OWNER;
    if (a == MM_READWRITE || a == MM_EXECUTE_READWRITE)
        bits |= PTE_WRITE;
    else if (a == MM_WRITECOPY || a == MM_EXECUTE_WRITECOPY)
        bits |= PTE_COPY_ON_WRITE;   /* read-only until the copy is made */
    uint32_t special = protection & MM_PROTECT_SPECIAL;
    if (special == MM_NOCACHE)
        bits |= PTE_CACHE_DISABLE;
    else if (special == MM_WRITECOMBINE)
        bits |= PTE_WRITE_THROUGH;   /* SIMPLIFIED: real write-combining needs the PAT */
    return bits;
}

const char *prot_name(uint32_t protection, char *buf, unsigned size)
{
    static const char *const base[8] = {
        "PAGE_NOACCESS", "PAGE_READONLY", "PAGE_EXECUTE", "PAGE_EXECUTE_READ",
        "PAGE_READWRITE", "PAGE_WRITECOPY", "PAGE_EXECUTE_READWRITE", "PAGE_EXECUTE_WRITECOPY",
    };
    uint32_t a = protection & MM_PROTECT_ACCESS;
    uint32_t special = protection & MM_PROTECT_SPECIAL;
    if (protection > 0x1F)
        snprintf(buf, size, "invalid(0x%X)", protection);
    else if (a == 0 && special == MM_DECOMMIT)
        snprintf(buf, size, "MM_DECOMMIT");
    else if (a == 0 && special == MM_NOACCESS)
        snprintf(buf, size, "PAGE_NOACCESS");
    else if (a == 0)
        snprintf(buf, size, "MM_ZERO_ACCESS%s", special ? "|?" : "");
    else
        snprintf(buf, size, "%s%s", base[a],
                 special == MM_GUARD_PAGE ? "|PAGE_GUARD"
                 : special == MM_NOCACHE  ? "|PAGE_NOCACHE"
                 : special == MM_WRITECOMBINE ? "|PAGE_WRITECOMBINE" : "");
    return buf;
}
