/*
 * pte.h - i386 (non-PAE) page-table entries as NT uses them.
 *
 * A virtual address splits 10/10/12:
 *
 *    31                22 21                12 11                    0
 *   +--------------------+--------------------+-----------------------+
 *   |  directory index   |   table index      |    byte offset        |
 *   +--------------------+--------------------+-----------------------+
 *        PDE = PD[31:22]      PTE = PT[21:12]       byte in the frame
 *
 * PDEs and PTEs share one 32-bit format. When bit 0 (Valid) is set the
 * processor owns the entry (the hardware format). When it is clear the
 * processor ignores bits 1-31 and NT keeps its own software formats there.
 *
 * Hardware (Valid = 1):
 *   31                         12 11 10  9  8  7  6  5  4  3  2  1  0
 *  +-----------------------------+--+--+--+--+--+--+--+--+--+--+--+--+
 *  |     PageFrameNumber         |rs|Pr|CW|G |L |D |A |CD|WT|O |W |V |
 *  +-----------------------------+--+--+--+--+--+--+--+--+--+--+--+--+
 *   V valid  W write  O owner(user)  WT write-through  CD cache-disable
 *   A accessed  D dirty  L large page  G global
 *   CW copy-on-write (software)  Pr prototype (software)  rs reserved
 *
 * Software, demand-zero or paging file (Valid = 0, Prototype = 0,
 * Transition = 0):
 *   31                         12 11 10  9           5  4        1  0
 *  +-----------------------------+--+--+--------------+-----------+--+
 *  |   PageFileHigh (offset)     |0 |0 |  Protection  |PageFileLow|0 |
 *  +-----------------------------+--+--+--------------+-----------+--+
 *   PageFileHigh = 0 means demand-zero: no copy exists anywhere yet.
 *
 * Transition (Valid = 0, Prototype = 0, Transition = 1): the page is still
 * in a frame, on the Standby or Modified list (or being read or written).
 *   31                         12 11 10  9           5  4  3  2  1  0
 *  +-----------------------------+--+--+--------------+--+--+--+--+--+
 *  |     PageFrameNumber         |1 |0 |  Protection  |CD|WT|O |W |0 |
 *  +-----------------------------+--+--+--------------+--+--+--+--+--+
 *
 * Prototype pointer (Valid = 0, Prototype = 1): the real PTE is a
 * prototype PTE of a section; the address is split around bits 8-10.
 *   31                            11 10  9  8  7                 1  0
 *  +--------------------------------+--+--+--+--------------------+--+
 *  |     ProtoAddressHigh           |1 |WP|RO|  ProtoAddressLow   |0 |
 *  +--------------------------------+--+--+--+--------------------+--+
 *
 * Two special software values: 0 means "nothing here, ask the VAD", and
 * MM_DECOMMIT << 5 (0x200) marks a page decommitted inside a region whose
 * VAD says "committed".
 */
#ifndef MMSIM_PTE_H
#define MMSIM_PTE_H

#include <stdbool.h>
#include <stdint.h>

typedef uint32_t mm_pte;   /* one PDE or PTE, exactly as stored in memory */
typedef uint32_t mm_va;    /* a 32-bit virtual address */
typedef uint32_t mm_pfn;   /* a page frame number */

#define PAGE_SHIFT 12u
#define PAGE_SIZE  4096u
#define PTES_PER_PAGE 1024u

#define VA_PDI(va)    ((uint32_t)(va) >> 22)
#define VA_PTI(va)    (((uint32_t)(va) >> 12) & 0x3FFu)
#define VA_OFFSET(va) ((uint32_t)(va) & 0xFFFu)
#define VA_VPN(va)    ((uint32_t)(va) >> PAGE_SHIFT)
#define VPN_VA(vpn)   ((mm_va)((uint32_t)(vpn) << PAGE_SHIFT))
#define PAGE_ALIGN(va) ((mm_va)((uint32_t)(va) & ~0xFFFu))

/* ---- Hardware bits (Intel SDM vol. 3, "32-bit paging") ---- */
#define PTE_VALID          0x001u
#define PTE_WRITE          0x002u
#define PTE_OWNER          0x004u  /* user-mode access allowed */
#define PTE_WRITE_THROUGH  0x008u
#define PTE_CACHE_DISABLE  0x010u
#define PTE_ACCESSED       0x020u
#define PTE_DIRTY          0x040u
#define PTE_LARGE_PAGE     0x080u
#define PTE_GLOBAL         0x100u
#define PTE_COPY_ON_WRITE  0x200u  /* software bit in a valid PTE */
#define PTE_PROTOTYPE      0x400u  /* bit 10 in every format */
#define PTE_TRANSITION     0x800u  /* bit 11 when Valid = 0 */
#define PTE_FRAME_MASK     0xFFFFF000u

/* ---- Software fields (Valid = 0) ---- */
#define PTE_PROTECTION_SHIFT 5u
#define PTE_PROTECTION_MASK  (0x1Fu << PTE_PROTECTION_SHIFT)
#define PTE_PAGEFILE_LOW_SHIFT 1u
#define PTE_PAGEFILE_LOW_MASK  (0xFu << PTE_PAGEFILE_LOW_SHIFT)
#define PTE_PAGEFILE_HIGH_SHIFT 12u

/* ---- The 5-bit protection mask (NT's MM_* values) ----
 * Low three bits choose the access; 0x08 and 0x10 modify it. */
enum mm_protection {
    MM_ZERO_ACCESS = 0,
    MM_READONLY = 1,
    MM_EXECUTE = 2,
    MM_EXECUTE_READ = 3,
    MM_READWRITE = 4,
    MM_WRITECOPY = 5,
    MM_EXECUTE_READWRITE = 6,
    MM_EXECUTE_WRITECOPY = 7,
    MM_NOCACHE = 0x08,
    MM_GUARD_PAGE = 0x10,
    MM_WRITECOMBINE = 0x18,
    MM_DECOMMIT = 0x10,      /* GUARD with no access bits */
    MM_NOACCESS = 0x18,      /* GUARD|NOCACHE with no access bits */
    MM_PROTECT_ACCESS = 0x07,
    MM_PROTECT_SPECIAL = 0x18,
    MM_INVALID_PROTECTION = 0xFF
};

/* Well-known whole PTE values. */
#define MM_ZERO_PTE              0u
#define MM_DEMAND_ZERO_RW_PTE    ((mm_pte)MM_READWRITE << PTE_PROTECTION_SHIFT)  /* 0x80 */
#define MM_DECOMMITTED_PTE       ((mm_pte)MM_DECOMMIT << PTE_PROTECTION_SHIFT)   /* 0x200 */

/* What kind of entry a PTE value is. */
enum pte_form {
    PTE_FORM_ZERO,          /* 0: consult the VAD */
    PTE_FORM_VALID,         /* hardware format */
    PTE_FORM_DEMAND_ZERO,   /* software, PageFileHigh = 0 */
    PTE_FORM_PAGEFILE,      /* software, PageFileHigh != 0 */
    PTE_FORM_TRANSITION,    /* frame on Standby/Modified or in I/O */
    PTE_FORM_PROTOTYPE,     /* points at a prototype PTE */
    PTE_FORM_DECOMMITTED    /* MM_DECOMMIT protection, nothing else */
};

static inline bool pte_is_valid(mm_pte p) { return (p & PTE_VALID) != 0; }
static inline bool pte_is_transition(mm_pte p)
{
    return (p & (PTE_VALID | PTE_PROTOTYPE | PTE_TRANSITION)) == PTE_TRANSITION;
}
static inline bool pte_is_prototype(mm_pte p)
{
    return (p & (PTE_VALID | PTE_PROTOTYPE)) == PTE_PROTOTYPE;
}
/* A software PTE that is neither transition nor prototype (and not zero). */
static inline bool pte_is_software(mm_pte p)
{
    return p != 0 && (p & (PTE_VALID | PTE_PROTOTYPE | PTE_TRANSITION)) == 0;
}
static inline mm_pfn pte_frame(mm_pte p) { return p >> PAGE_SHIFT; }
static inline uint32_t pte_protection(mm_pte p)
{
    return (p & PTE_PROTECTION_MASK) >> PTE_PROTECTION_SHIFT;
}
static inline uint32_t pte_pagefile_number(mm_pte p)
{
    return (p & PTE_PAGEFILE_LOW_MASK) >> PTE_PAGEFILE_LOW_SHIFT;
}
static inline uint32_t pte_pagefile_offset(mm_pte p) { return p >> PTE_PAGEFILE_HIGH_SHIFT; }

/* Builders of software PTEs, bit for bit as NT lays them out. */
static inline mm_pte pte_make_software(uint32_t protection, uint32_t file, uint32_t offset)
{
    return (offset << PTE_PAGEFILE_HIGH_SHIFT) | ((protection & 0x1Fu) << PTE_PROTECTION_SHIFT) |
           ((file & 0xFu) << PTE_PAGEFILE_LOW_SHIFT);
}
static inline mm_pte pte_make_demand_zero(uint32_t protection)
{
    return pte_make_software(protection, 0, 0);
}
/* A transition PTE built from nothing (a page being read in): Owner set. */
static inline mm_pte pte_make_transition(mm_pfn frame, uint32_t protection)
{
    return (frame << PAGE_SHIFT) | PTE_TRANSITION |
           ((protection & 0x1Fu) << PTE_PROTECTION_SHIFT) | PTE_OWNER;
}
/* A valid PTE turned into a transition PTE in place (NT:
 * MI_MAKE_VALID_PTE_TRANSITION): the frame and the Write, Owner,
 * WriteThrough and CacheDisable bits stay; Accessed and Dirty go. */
static inline mm_pte pte_valid_to_transition(mm_pte valid, uint32_t protection)
{
    return (valid & (PTE_FRAME_MASK | PTE_WRITE | PTE_OWNER | PTE_WRITE_THROUGH | PTE_CACHE_DISABLE)) |
           PTE_TRANSITION | ((protection & 0x1Fu) << PTE_PROTECTION_SHIFT);
}
/* The same transition PTE with another protection (frame and bits kept). */
static inline mm_pte pte_set_protection(mm_pte pte, uint32_t protection)
{
    return (pte & ~PTE_PROTECTION_MASK) | ((protection & 0x1Fu) << PTE_PROTECTION_SHIFT);
}

/* ---- Sections: prototype pointers and subsection PTEs ----
 * A process PTE with Prototype set points at a prototype PTE in paged
 * pool; its address is stored as an offset from MM_PROTO_BASE (NT's
 * MmProtopte_Base, the start of paged pool) in 4-byte units: bits 2-8 of
 * the offset in ProtoAddressLow (bits 1-7), bits 9-29 in ProtoAddressHigh
 * (bits 11-31). A prototype PTE itself, while its page is in a mapped
 * file, is a subsection PTE: Prototype set, the protection in bits 5-9,
 * and the subsection's address (8-byte aligned, from MM_SUBSECTION_BASE)
 * split into SubsectionAddressLow (bits 1-4: address bits 3-6) and
 * SubsectionAddressHigh (bits 11-30: address bits 7-26), WhichPool (bit
 * 31) set for nonpaged pool. */
#define MM_PROTO_BASE        0xE1000000u   /* paged pool (MmPagedPoolStart on x86) */
#define MM_PROTO_LIMIT       0xE3000000u   /* 32 MB of paged pool for prototype PTEs */
#define MM_SUBSECTION_BASE   0x84000000u   /* nonpaged pool, for subsections: above the PFN
                                              database !pfn shows at 0x81000000 (24 MB at most) */
#define PTE_WHICH_POOL_SUBSECTION 0x80000000u

static inline bool pte_is_proto_va(mm_va va) { return va >= MM_PROTO_BASE && va < MM_PROTO_LIMIT; }
static inline mm_pte pte_make_proto_pointer(mm_va proto_va)
{
    uint32_t off = proto_va - MM_PROTO_BASE;
    return (((off >> 2) & 0x7Fu) << 1) | PTE_PROTOTYPE | ((off >> 9) << 11);
}
static inline mm_va pte_proto_address(mm_pte p)
{
    return MM_PROTO_BASE + (((p >> 11) << 9) | (((p >> 1) & 0x7Fu) << 2));
}
/* A process PTE of a view page whose protection is not its prototype
 * PTE's (a read-only or write-copy view of a read/write section), once
 * the page leaves the working set: Prototype set, all of bits 12-31 set
 * ("lookup needed": the VAD locates the prototype PTE, MiCheckVirtualAddress)
 * and the view's protection in bits 5-9, as NT writes it from the WSLE
 * (MiEliminateWorkingSetEntry). */
#define PTE_PROTO_LOOKUP_NEEDED 0xFFFFF000u
static inline mm_pte pte_make_proto_lookup(uint32_t protection)
{
    return PTE_PROTO_LOOKUP_NEEDED | ((protection & 0x1Fu) << PTE_PROTECTION_SHIFT) | PTE_PROTOTYPE;
}
static inline bool pte_proto_lookup_needed(mm_pte p)
{
    return !(p & PTE_VALID) && (p & PTE_PROTOTYPE) && (p & PTE_PROTO_LOOKUP_NEEDED) == PTE_PROTO_LOOKUP_NEEDED;
}
static inline mm_pte pte_make_subsection(mm_va subsection_va, uint32_t protection)
{
    uint32_t off = subsection_va - MM_SUBSECTION_BASE;
    return (((off >> 3) & 0xFu) << 1) | ((protection & 0x1Fu) << PTE_PROTECTION_SHIFT) | PTE_PROTOTYPE |
           (((off >> 7) & 0xFFFFFu) << 11) | PTE_WHICH_POOL_SUBSECTION;
}
static inline mm_va pte_subsection_address(mm_pte p)
{
    return MM_SUBSECTION_BASE + ((((p >> 11) & 0xFFFFFu) << 7) | (((p >> 1) & 0xFu) << 3));
}

/* Win32 page-protection flags (winnt.h values). */
#define PAGE_NOACCESS          0x001u
#define PAGE_READONLY          0x002u
#define PAGE_READWRITE         0x004u
#define PAGE_WRITECOPY         0x008u
#define PAGE_EXECUTE           0x010u
#define PAGE_EXECUTE_READ      0x020u
#define PAGE_EXECUTE_READWRITE 0x040u
#define PAGE_EXECUTE_WRITECOPY 0x080u
#define PAGE_GUARD             0x100u
#define PAGE_NOCACHE           0x200u
#define PAGE_WRITECOMBINE      0x400u

/* ---- Protection rules (pte.c) ---- */
enum mm_access_kind { MM_ACCESS_READ = 0, MM_ACCESS_WRITE = 1, MM_ACCESS_EXECUTE = 2 };

enum pte_form pte_classify(mm_pte p);
const char *pte_form_name(enum pte_form form);

/* Win32 PAGE_* flags to the 5-bit mask, or MM_INVALID_PROTECTION. */
uint32_t prot_from_win32(uint32_t page_flags);
/* The 5-bit mask back to PAGE_* flags (0 for DECOMMIT). */
uint32_t prot_to_win32(uint32_t protection);
/* Does `protection` allow `access`? Write-copy counts as writable. */
bool prot_allows(uint32_t protection, enum mm_access_kind access);
bool prot_is_guard(uint32_t protection);
/* PAGE_WRITECOPY or PAGE_EXECUTE_WRITECOPY: a section's page, copied on the first write. */
bool prot_is_write_copy(uint32_t protection);
bool prot_is_writable(uint32_t protection);
/* The hardware bits of a valid user PTE for this protection. */
mm_pte prot_hardware_bits(uint32_t protection);
/* "PAGE_READWRITE|PAGE_GUARD" style name of a 5-bit mask, into buf. */
const char *prot_name(uint32_t protection, char *buf, unsigned size);

#endif
