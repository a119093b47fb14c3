/*
 * test_pte.c - the i386 PTE formats and the protection rules (pte.h, pte.c):
 * every form pte_classify() recognizes, with the exact 32-bit values NT
 * stores; the builders; PAGE_* <-> 5-bit mask conversion including the
 * invalid combinations; which accesses a mask allows; the hardware bits of
 * a valid PTE; and the names. Each rule is also checked where the engine
 * applies it: in the PTEs it writes and in the status of real accesses.
 */
#include <string.h>

#include "support.h"

/* Reserve `pages` pages (64 KiB aligned) without committing them. */
static mm_va reserve(struct mm_machine *m, uint32_t pid, uint32_t pages, uint32_t protect)
{
    mm_va base = 0;
    uint32_t size = pages * PAGE_SIZE;
    cr_assert_eq(mm_allocate(m, pid, &base, &size, MEM_RESERVE, protect), STATUS_SUCCESS);
    return base;
}

static void commit(struct mm_machine *m, uint32_t pid, mm_va va, uint32_t pages, uint32_t protect)
{
    uint32_t size = pages * PAGE_SIZE;
    mm_status s = mm_allocate(m, pid, &va, &size, MEM_COMMIT, protect);
    cr_assert_eq(s, STATUS_SUCCESS, "commit 0x%08X with 0x%X: 0x%08X", va, protect, s);
}

/* ---- pte_classify ---- */

Test(pte, classify_every_form_with_exact_values)
{
    struct mm_machine *m = t_machine(64, 64);

    cr_assert_eq(MM_ZERO_PTE, 0u);
    cr_assert_eq(pte_classify(0), PTE_FORM_ZERO);

    cr_assert_eq(MM_DEMAND_ZERO_RW_PTE, 0x80u);
    cr_assert_eq(pte_classify(0x80), PTE_FORM_DEMAND_ZERO);
    cr_assert_eq(pte_protection(0x80), (uint32_t)MM_READWRITE);
    cr_assert(pte_is_software(0x80));

    cr_assert_eq(MM_DECOMMITTED_PTE, 0x200u);
    cr_assert_eq(pte_classify(0x200), PTE_FORM_DECOMMITTED);
    /* only MM_DECOMMIT alone is "decommitted": a no-access demand-zero PTE
     * (MM_NOACCESS = 0x18 << 5) is an ordinary software PTE */
    cr_assert_eq(pte_classify(0x300), PTE_FORM_DEMAND_ZERO);

    /* paging file 3, offset 0x123, read/write: 0x123 << 12 | 4 << 5 | 3 << 1 */
    mm_pte pf = pte_make_software(MM_READWRITE, 3, 0x123);
    cr_assert_eq(pf, 0x00123086u);
    cr_assert_eq(pte_classify(pf), PTE_FORM_PAGEFILE);
    cr_assert_eq(pte_pagefile_number(pf), 3u);
    cr_assert_eq(pte_pagefile_offset(pf), 0x123u);
    cr_assert_eq(pte_protection(pf), (uint32_t)MM_READWRITE);
    cr_assert(pte_is_software(pf));
    cr_assert_not(pte_is_transition(pf));
    /* PageFileHigh = 0 means demand zero, whatever PageFileLow says */
    cr_assert_eq(pte_classify(pte_make_software(MM_READWRITE, 3, 0)), PTE_FORM_DEMAND_ZERO);

    /* transition, frame 0x1F3, read/write: frame | Transition | 4 << 5 | Owner */
    mm_pte tr = pte_make_transition(0x1F3, MM_READWRITE);
    cr_assert_eq(tr, 0x001F3884u);
    cr_assert_eq(pte_classify(tr), PTE_FORM_TRANSITION);
    cr_assert(pte_is_transition(tr));
    cr_assert_not(pte_is_software(tr));
    cr_assert_not(pte_is_valid(tr));
    cr_assert_eq(pte_frame(tr), 0x1F3u);
    cr_assert_eq(pte_protection(tr), (uint32_t)MM_READWRITE);

    /* valid: the hardware format wins whatever bits 9-11 hold */
    cr_assert_eq(pte_classify(0x00ABC067u), PTE_FORM_VALID);
    cr_assert_eq(pte_frame(0x00ABC067u), 0xABCu);
    cr_assert(pte_is_valid(0x00ABC067u));
    cr_assert_eq(pte_classify(0x00ABC467u), PTE_FORM_VALID);   /* bit 10 is software here */
    cr_assert_eq(pte_classify(0x00ABCE67u), PTE_FORM_VALID);
    cr_assert_not(pte_is_prototype(0x00ABC467u));
    cr_assert_not(pte_is_transition(0x00ABCE67u));

    /* prototype bit, Valid clear: a prototype pointer, even with bit 11 set */
    cr_assert_eq(pte_classify(PTE_PROTOTYPE), PTE_FORM_PROTOTYPE);
    cr_assert_eq(pte_classify(0xFFFFF480u), PTE_FORM_PROTOTYPE);   /* "lookup needed" */
    cr_assert_eq(pte_classify(PTE_PROTOTYPE | PTE_TRANSITION), PTE_FORM_PROTOTYPE);
    cr_assert(pte_is_prototype(0xFFFFF480u));
    cr_assert_not(pte_is_software(0xFFFFF480u));
    cr_assert_not(pte_is_transition(PTE_PROTOTYPE | PTE_TRANSITION));

    t_check(m);
    mm_destroy(m);
}

Test(pte, engine_writes_each_form_exactly)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "forms");

    /* committing a reserved page writes a demand-zero PTE; its neighbour
     * in the same table stays zero */
    mm_va r = reserve(m, pid, 16, PAGE_READWRITE);
    commit(m, pid, r, 1, PAGE_READWRITE);
    commit(m, pid, r + PAGE_SIZE, 1, PAGE_READONLY);
    cr_assert_eq(t_pte(m, pid, r), 0x80u);
    cr_assert_eq(t_pte(m, pid, r + PAGE_SIZE), 0x20u);
    cr_assert_eq(t_pte(m, pid, r + 2 * PAGE_SIZE), 0u);

    /* a MEM_COMMIT region: zero PTEs until touched; decommit writes 0x200 */
    mm_va c = t_alloc(m, pid, 4 * PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(t_pte(m, pid, c + PAGE_SIZE), 0u);
    cr_assert_eq(mm_write32(m, pid, c, 0x11111111u), STATUS_SUCCESS);
    mm_va d = c + PAGE_SIZE;
    uint32_t dsize = PAGE_SIZE;
    cr_assert_eq(mm_free(m, pid, &d, &dsize, MEM_DECOMMIT), STATUS_SUCCESS);
    struct mm_walk w;
    cr_assert_eq(mm_walk(m, pid, c + PAGE_SIZE, &w), STATUS_SUCCESS);
    cr_assert_eq(w.pte, 0x200u);
    cr_assert_eq(w.form, PTE_FORM_DECOMMITTED);

    /* written: frame | Valid Write Owner Accessed Dirty */
    mm_pfn f = t_valid_frame(m, pid, c);
    cr_assert_eq(t_pte(m, pid, c), (f << 12) | 0x67u);

    /* trimmed: a transition PTE naming the same frame */
    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(mm_walk(m, pid, c, &w), STATUS_SUCCESS);
    cr_assert_eq(w.pte, (f << 12) | 0x886u, "the Write bit stays from the valid PTE");
    cr_assert_eq(w.pte, pte_valid_to_transition((f << 12) | 0x67u, MM_READWRITE));
    cr_assert_eq(w.form, PTE_FORM_TRANSITION);

    /* written out and the frame purged: paging file 0, slot 1 (slot 0 is reserved) */
    cr_assert_eq(t_flush(m), 1u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    cr_assert_eq(mm_walk(m, pid, c, &w), STATUS_SUCCESS);
    cr_assert_eq(w.pte, 0x00001080u);
    cr_assert_eq(w.form, PTE_FORM_PAGEFILE);
    cr_assert_eq(w.fault, MM_FAULT_PAGE_FILE);

    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, pid, c, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x11111111u);

    t_check(m);
    mm_destroy(m);
}

/* ---- builders ---- */

Test(pte, builders_give_exact_values)
{
    struct mm_machine *m = t_machine(16, 16);
    static const struct {
        uint32_t protection;
        mm_pte value;
    } dz[] = {
        {MM_ZERO_ACCESS, 0x000}, {MM_READONLY, 0x020},          {MM_EXECUTE, 0x040},
        {MM_EXECUTE_READ, 0x060}, {MM_READWRITE, 0x080},        {MM_WRITECOPY, 0x0A0},
        {MM_EXECUTE_READWRITE, 0x0C0}, {MM_EXECUTE_WRITECOPY, 0x0E0},
        {MM_READWRITE | MM_NOCACHE, 0x180}, {MM_DECOMMIT, 0x200},
        {MM_READWRITE | MM_GUARD_PAGE, 0x280}, {MM_NOACCESS, 0x300},
    };
    for (size_t i = 0; i < sizeof dz / sizeof dz[0]; i++)
        cr_assert_eq(pte_make_demand_zero(dz[i].protection), dz[i].value,
                     "demand zero 0x%X: 0x%08X, expected 0x%08X", dz[i].protection,
                     pte_make_demand_zero(dz[i].protection), dz[i].value);

    cr_assert_eq(pte_make_software(MM_READONLY, 0, 1), 0x00001020u);
    cr_assert_eq(pte_make_software(MM_READWRITE, 1, 1), 0x00001082u);
    cr_assert_eq(pte_make_software(MM_EXECUTE_READWRITE, 15, 0xFFFFF), 0xFFFFF0DEu);
    mm_pte big = pte_make_software(MM_EXECUTE_READWRITE, 15, 0xFFFFF);
    cr_assert_eq(pte_pagefile_number(big), 15u);
    cr_assert_eq(pte_pagefile_offset(big), 0xFFFFFu);
    cr_assert_eq(pte_protection(big), (uint32_t)MM_EXECUTE_READWRITE);
    /* fields are masked to their widths: protection 5 bits, file 4 bits */
    cr_assert_eq(pte_make_software(0x24, 0x13, 1), 0x00001086u);

    cr_assert_eq(pte_make_transition(0, MM_READONLY), 0x00000824u);
    cr_assert_eq(pte_make_transition(0xFFFFF, MM_EXECUTE_READWRITE), 0xFFFFF8C4u);
    for (mm_pfn f = 1; f < 0x100000u; f = f * 3 + 1) {
        mm_pte t = pte_make_transition(f, MM_EXECUTE_READ);
        cr_assert_eq(pte_frame(t), f);
        cr_assert_eq(pte_protection(t), (uint32_t)MM_EXECUTE_READ);
        cr_assert_eq(pte_classify(t), PTE_FORM_TRANSITION);
    }
    t_check(m);
    mm_destroy(m);
}

/* ---- PAGE_* to the 5-bit mask ---- */

static const struct {
    uint32_t win32, mask;
} base_protections[] = {
    {PAGE_NOACCESS, MM_NOACCESS},       {PAGE_READONLY, MM_READONLY},
    {PAGE_EXECUTE, MM_EXECUTE},         {PAGE_EXECUTE_READ, MM_EXECUTE_READ},
    {PAGE_READWRITE, MM_READWRITE},     {PAGE_WRITECOPY, MM_WRITECOPY},
    {PAGE_EXECUTE_READWRITE, MM_EXECUTE_READWRITE}, {PAGE_EXECUTE_WRITECOPY, MM_EXECUTE_WRITECOPY},
};
#define N_BASE (sizeof base_protections / sizeof base_protections[0])

static const uint32_t invalid_flags[] = {
    0,
    PAGE_READONLY | PAGE_READWRITE,              /* two bases */
    PAGE_EXECUTE | PAGE_EXECUTE_READ,
    PAGE_NOACCESS | PAGE_READONLY,
    PAGE_GUARD,                                  /* a modifier alone */
    PAGE_NOCACHE,
    PAGE_WRITECOMBINE,
    PAGE_GUARD | PAGE_NOACCESS,                  /* modifiers on no access */
    PAGE_NOCACHE | PAGE_NOACCESS,
    PAGE_WRITECOMBINE | PAGE_NOACCESS,
    PAGE_READWRITE | PAGE_NOCACHE | PAGE_GUARD,  /* two modifiers */
    PAGE_READWRITE | PAGE_GUARD | PAGE_WRITECOMBINE,
    PAGE_READWRITE | PAGE_NOCACHE | PAGE_WRITECOMBINE,
    PAGE_READWRITE | 0x800u,                     /* unknown bits */
    PAGE_READONLY | 0x40000000u,
    0xFFFFFFFFu,
};
#define N_INVALID (sizeof invalid_flags / sizeof invalid_flags[0])

Test(pte, prot_from_win32_every_page_value)
{
    struct mm_machine *m = t_machine(16, 16);
    for (size_t i = 0; i < N_BASE; i++) {
        uint32_t w32 = base_protections[i].win32, mask = base_protections[i].mask;
        cr_assert_eq(prot_from_win32(w32), mask, "0x%X -> 0x%X, expected 0x%X", w32,
                     prot_from_win32(w32), mask);
        if (w32 == PAGE_NOACCESS)
            continue;
        cr_assert_eq(prot_from_win32(w32 | PAGE_GUARD), mask | MM_GUARD_PAGE);
        cr_assert_eq(prot_from_win32(w32 | PAGE_NOCACHE), mask | MM_NOCACHE);
        cr_assert_eq(prot_from_win32(w32 | PAGE_WRITECOMBINE), mask | MM_WRITECOMBINE);
    }
    cr_assert_eq(prot_from_win32(PAGE_READWRITE | PAGE_GUARD), 0x14u);
    cr_assert_eq(prot_from_win32(PAGE_READWRITE | PAGE_NOCACHE), 0x0Cu);
    cr_assert_eq(prot_from_win32(PAGE_READWRITE | PAGE_WRITECOMBINE), 0x1Cu);
    cr_assert_eq(prot_from_win32(PAGE_NOACCESS), 0x18u);
    t_check(m);
    mm_destroy(m);
}

Test(pte, prot_from_win32_rejects_invalid_combinations)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "invalid");
    mm_va rw = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    for (size_t i = 0; i < N_INVALID; i++) {
        uint32_t f = invalid_flags[i];
        cr_assert_eq(prot_from_win32(f), (uint32_t)MM_INVALID_PROTECTION, "0x%X -> 0x%X", f,
                     prot_from_win32(f));
        /* the services refuse it the same way, creating nothing */
        mm_va base = 0;
        uint32_t size = PAGE_SIZE;
        cr_assert_eq(mm_allocate(m, pid, &base, &size, MEM_RESERVE | MEM_COMMIT, f),
                     STATUS_INVALID_PAGE_PROTECTION, "allocate with 0x%X", f);
        base = rw;
        size = PAGE_SIZE;
        uint32_t old = 0xDEADu;
        cr_assert_eq(mm_protect(m, pid, &base, &size, f, &old), STATUS_INVALID_PAGE_PROTECTION,
                     "protect with 0x%X", f);
    }
    /* only the first region exists, and it is still read/write */
    const struct mm_vad *v = mm_vad_next(m, pid, NULL);
    cr_assert_not_null(v);
    cr_assert_null(mm_vad_next(m, pid, v));
    struct mm_basic_info info;
    cr_assert_eq(mm_query(m, pid, rw, &info), STATUS_SUCCESS);
    cr_assert_eq(info.protect, PAGE_READWRITE);
    struct mm_commit_info ci;
    cr_assert_eq(mm_commit(m, pid, &ci), STATUS_SUCCESS);
    cr_assert_eq(ci.process_charge, 1u);
    t_check(m);
    mm_destroy(m);
}

/* ---- the mask back to PAGE_* ---- */

Test(pte, prot_to_win32_round_trips)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "round trip");
    static const uint32_t modifiers[] = {0, PAGE_GUARD, PAGE_NOCACHE, PAGE_WRITECOMBINE};
    for (size_t i = 0; i < N_BASE; i++)
        for (size_t k = 0; k < 4; k++) {
            uint32_t f = base_protections[i].win32 | modifiers[k];
            if (base_protections[i].win32 == PAGE_NOACCESS && modifiers[k])
                continue;
            cr_assert_eq(prot_to_win32(prot_from_win32(f)), f, "0x%X -> 0x%X -> 0x%X", f,
                         prot_from_win32(f), prot_to_win32(prot_from_win32(f)));
            /* a private region reports back the protection it was given
             * (write-copy needs a section: refused for private memory) */
            uint32_t access = prot_from_win32(f) & MM_PROTECT_ACCESS;
            mm_va base = 0;
            uint32_t size = PAGE_SIZE;
            mm_status s = mm_allocate(m, pid, &base, &size, MEM_RESERVE | MEM_COMMIT, f);
            if (access == MM_WRITECOPY || access == MM_EXECUTE_WRITECOPY) {
                cr_assert_eq(s, STATUS_INVALID_PAGE_PROTECTION, "private 0x%X", f);
                continue;
            }
            cr_assert_eq(s, STATUS_SUCCESS, "allocate 0x%X: 0x%08X", f, s);
            struct mm_basic_info info;
            cr_assert_eq(mm_query(m, pid, base, &info), STATUS_SUCCESS);
            cr_assert_eq(info.protect, f, "query gives 0x%X for 0x%X", info.protect, f);
            cr_assert_eq(info.allocation_protect, f);
        }
    /* no PAGE_* value for zero access or a decommitted page */
    cr_assert_eq(prot_to_win32(MM_ZERO_ACCESS), 0u);
    cr_assert_eq(prot_to_win32(MM_DECOMMIT), 0u);
    /* every mask with an access code survives the trip the other way */
    for (uint32_t p = 1; p < 0x20u; p++) {
        if ((p & MM_PROTECT_ACCESS) == 0)
            continue;
        cr_assert_eq(prot_from_win32(prot_to_win32(p)), p, "mask 0x%X", p);
    }
    cr_assert_eq(prot_from_win32(prot_to_win32(MM_NOACCESS)), (uint32_t)MM_NOACCESS);

    /* NtProtectVirtualMemory hands back the old value in PAGE_* form */
    mm_va base = t_alloc(m, pid, PAGE_SIZE, PAGE_EXECUTE_READ);
    uint32_t size = PAGE_SIZE, old = 0;
    cr_assert_eq(mm_protect(m, pid, &base, &size, PAGE_READWRITE | PAGE_GUARD, &old), STATUS_SUCCESS);
    cr_assert_eq(old, PAGE_EXECUTE_READ);
    cr_assert_eq(mm_protect(m, pid, &base, &size, PAGE_NOACCESS, &old), STATUS_SUCCESS);
    cr_assert_eq(old, PAGE_READWRITE | PAGE_GUARD);
    cr_assert_eq(mm_protect(m, pid, &base, &size, PAGE_READONLY, &old), STATUS_SUCCESS);
    cr_assert_eq(old, PAGE_NOACCESS);
    t_check(m);
    mm_destroy(m);
}

/* ---- which accesses a mask allows ---- */

Test(pte, prot_allows_table)
{
    struct mm_machine *m = t_machine(128, 64);
    /* nt-facts: read 0,1,1,1,1,1,1,1; execute 0,0,1,1,0,0,1,1; write 0,0,0,0,1,1,1,1 */
    static const bool rd[8] = {0, 1, 1, 1, 1, 1, 1, 1};
    static const bool ex[8] = {0, 0, 1, 1, 0, 0, 1, 1};
    static const bool wr[8] = {0, 0, 0, 0, 1, 1, 1, 1};
    static const uint32_t specials[] = {0, MM_NOCACHE, MM_GUARD_PAGE, MM_WRITECOMBINE};
    for (uint32_t a = 0; a < 8; a++)
        for (size_t s = 0; s < 4; s++) {
            uint32_t p = a | specials[s];
            cr_assert_eq(prot_allows(p, MM_ACCESS_READ), rd[a], "read 0x%X", p);
            cr_assert_eq(prot_allows(p, MM_ACCESS_WRITE), wr[a], "write 0x%X", p);
            cr_assert_eq(prot_allows(p, MM_ACCESS_EXECUTE), ex[a], "execute 0x%X", p);
            cr_assert_eq(prot_is_writable(p), wr[a], "writable 0x%X", p);
            cr_assert_eq(prot_is_guard(p), a != 0 && specials[s] == MM_GUARD_PAGE, "guard 0x%X", p);
        }
    cr_assert_not(prot_is_guard(MM_DECOMMIT));

    /* the same table decides real accesses (a fresh page per access), with
     * one difference plain i386 makes: without the no-execute bit any
     * readable page executes; the nx machine option enforces the table */
    for (int nx = 0; nx < 2; nx++) {
        struct mm_config cfg;
        mm_config_default(&cfg);
        mm_config_for_memory(&cfg, 64);
        cfg.pagefile_pages[0] = 64;
        cfg.nx = nx;
        struct mm_machine *x = t_machine_cfg(&cfg);
        uint32_t pid = t_process(x, "allows");
        static const uint32_t privates[] = {PAGE_NOACCESS, PAGE_READONLY, PAGE_EXECUTE, PAGE_EXECUTE_READ,
                                            PAGE_READWRITE, PAGE_EXECUTE_READWRITE};
        for (size_t i = 0; i < sizeof privates / sizeof privates[0]; i++) {
            uint32_t mask = prot_from_win32(privates[i]);
            mm_va base = t_alloc(x, pid, 3 * PAGE_SIZE, privates[i]);
            uint32_t v;
            mm_status want_r = prot_allows(mask, MM_ACCESS_READ) ? STATUS_SUCCESS : STATUS_ACCESS_VIOLATION;
            mm_status want_w = prot_allows(mask, MM_ACCESS_WRITE) ? STATUS_SUCCESS : STATUS_ACCESS_VIOLATION;
            mm_status want_x = prot_allows(mask, nx ? MM_ACCESS_EXECUTE : MM_ACCESS_READ) ? STATUS_SUCCESS
                                                                                             : STATUS_ACCESS_VIOLATION;
            cr_assert_eq(mm_read32(x, pid, base, &v), want_r, "read of 0x%X", privates[i]);
            cr_assert_eq(mm_write32(x, pid, base + PAGE_SIZE, 1), want_w, "write to 0x%X", privates[i]);
            cr_assert_eq(mm_execute(x, pid, base + 2 * PAGE_SIZE), want_x, "execute of 0x%X (nx %d)", privates[i],
                         nx);
            /* and once the page is resident the answers do not change */
            if (want_r == STATUS_SUCCESS) {
                cr_assert_eq(mm_write32(x, pid, base, 1), want_w, "write to resident 0x%X", privates[i]);
                cr_assert_eq(mm_execute(x, pid, base), want_x, "execute of resident 0x%X", privates[i]);
            }
        }
        t_check(x);
        mm_destroy(x);
    }
    t_check(m);
    mm_destroy(m);
}

/* ---- the hardware bits of a valid PTE ---- */

Test(pte, prot_hardware_bits_exact)
{
    struct mm_machine *m = t_machine(64, 64);
    cr_assert_eq(prot_hardware_bits(MM_READWRITE), PTE_VALID | PTE_WRITE | PTE_OWNER);
    cr_assert_eq(prot_hardware_bits(MM_READWRITE), 0x7u);
    cr_assert_eq(prot_hardware_bits(MM_EXECUTE_READWRITE), 0x7u);
    cr_assert_eq(prot_hardware_bits(MM_READONLY), PTE_VALID | PTE_OWNER);
    cr_assert_eq(prot_hardware_bits(MM_READONLY), 0x5u);
    cr_assert_eq(prot_hardware_bits(MM_EXECUTE), 0x5u);
    cr_assert_eq(prot_hardware_bits(MM_EXECUTE_READ), 0x5u);
    /* write-copy: read-only in hardware until the copy is made */
    cr_assert_eq(prot_hardware_bits(MM_WRITECOPY), PTE_VALID | PTE_OWNER | PTE_COPY_ON_WRITE);
    cr_assert_eq(prot_hardware_bits(MM_EXECUTE_WRITECOPY), 0x205u);
    cr_assert_eq(prot_hardware_bits(MM_READWRITE | MM_NOCACHE),
                 PTE_VALID | PTE_WRITE | PTE_OWNER | PTE_CACHE_DISABLE);
    cr_assert_eq(prot_hardware_bits(MM_READONLY | MM_NOCACHE), 0x15u);
    cr_assert_eq(prot_hardware_bits(MM_READWRITE | MM_GUARD_PAGE) & PTE_CACHE_DISABLE, 0u);

    /* the PTEs the engine builds: frame | bits | Accessed (| Dirty on a write) */
    uint32_t pid = t_process(m, "bits");
    mm_va rw = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    mm_va ro = t_alloc(m, pid, PAGE_SIZE, PAGE_READONLY);
    mm_va nc = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE | PAGE_NOCACHE);
    mm_va xr = t_alloc(m, pid, PAGE_SIZE, PAGE_EXECUTE_READ);
    uint32_t v;
    cr_assert_eq(mm_write32(m, pid, rw, 7), STATUS_SUCCESS);
    cr_assert_eq(mm_read32(m, pid, ro, &v), STATUS_SUCCESS);
    cr_assert_eq(mm_write32(m, pid, nc, 7), STATUS_SUCCESS);
    cr_assert_eq(mm_read32(m, pid, xr, &v), STATUS_SUCCESS);
    cr_assert_eq(t_pte(m, pid, rw), (t_valid_frame(m, pid, rw) << 12) | 0x67u);
    cr_assert_eq(t_pte(m, pid, ro), (t_valid_frame(m, pid, ro) << 12) | 0x25u);
    cr_assert_eq(t_pte(m, pid, nc), (t_valid_frame(m, pid, nc) << 12) | 0x77u);
    cr_assert_eq(t_pte(m, pid, xr), (t_valid_frame(m, pid, xr) << 12) | 0x25u);
    t_check(m);
    mm_destroy(m);
}

/* ---- names ---- */

Test(pte, prot_name_strings)
{
    struct mm_machine *m = t_machine(64, 64);
    char buf[64];
    static const struct {
        uint32_t p;
        const char *name;
    } names[] = {
        {0x00, "MM_ZERO_ACCESS"},
        {0x01, "PAGE_READONLY"},
        {0x02, "PAGE_EXECUTE"},
        {0x03, "PAGE_EXECUTE_READ"},
        {0x04, "PAGE_READWRITE"},
        {0x05, "PAGE_WRITECOPY"},
        {0x06, "PAGE_EXECUTE_READWRITE"},
        {0x07, "PAGE_EXECUTE_WRITECOPY"},
        {0x0C, "PAGE_READWRITE|PAGE_NOCACHE"},
        {0x14, "PAGE_READWRITE|PAGE_GUARD"},
        {0x1C, "PAGE_READWRITE|PAGE_WRITECOMBINE"},
        {0x13, "PAGE_EXECUTE_READ|PAGE_GUARD"},
        {0x10, "MM_DECOMMIT"},
        {0x18, "PAGE_NOACCESS"},
        {0x08, "MM_ZERO_ACCESS|?"},
        {0x20, "invalid(0x20)"},
        {0xFF, "invalid(0xFF)"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        memset(buf, 'x', sizeof buf);
        const char *got = prot_name(names[i].p, buf, sizeof buf);
        cr_assert_eq(got, buf);
        cr_assert_str_eq(got, names[i].name, "0x%X", names[i].p);
    }
    /* a short buffer is cut, never overrun */
    char small[8];
    memset(small, 'x', sizeof small);
    prot_name(MM_READWRITE, small, 7);
    cr_assert_str_eq(small, "PAGE_R");
    cr_assert_eq(small[7], 'x');

    cr_assert_str_eq(pte_form_name(PTE_FORM_ZERO), "zero");
    cr_assert_str_eq(pte_form_name(PTE_FORM_VALID), "valid");
    cr_assert_str_eq(pte_form_name(PTE_FORM_DEMAND_ZERO), "demand-zero");
    cr_assert_str_eq(pte_form_name(PTE_FORM_PAGEFILE), "page-file");
    cr_assert_str_eq(pte_form_name(PTE_FORM_TRANSITION), "transition");
    cr_assert_str_eq(pte_form_name(PTE_FORM_PROTOTYPE), "prototype");
    cr_assert_str_eq(pte_form_name(PTE_FORM_DECOMMITTED), "decommitted");
    cr_assert_str_eq(pte_form_name((enum pte_form)99), "?");

    /* the name of what a live PTE says: a committed guard page, then the
     * guard gone after its first touch */
    uint32_t pid = t_process(m, "names");
    mm_va g = reserve(m, pid, 1, PAGE_READWRITE);
    commit(m, pid, g, 1, PAGE_READWRITE | PAGE_GUARD);
    cr_assert_eq(t_pte(m, pid, g), 0x280u);
    cr_assert_str_eq(prot_name(pte_protection(t_pte(m, pid, g)), buf, sizeof buf),
                     "PAGE_READWRITE|PAGE_GUARD");
    uint32_t v;
    cr_assert_eq(mm_read32(m, pid, g, &v), STATUS_GUARD_PAGE_VIOLATION);
    cr_assert_eq(t_pte(m, pid, g), 0x80u);
    cr_assert_str_eq(prot_name(pte_protection(t_pte(m, pid, g)), buf, sizeof buf), "PAGE_READWRITE");
    t_check(m);
    mm_destroy(m);
}

Test(pte, protection_survives_every_form)
{
    struct mm_machine *m = t_machine(64, 64);
    uint32_t pid = t_process(m, "prot");
    mm_va va = t_alloc(m, pid, PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, pid, va, 0xC3), STATUS_SUCCESS);
    mm_va base = va;
    uint32_t size = PAGE_SIZE, old = 0;
    cr_assert_eq(mm_protect(m, pid, &base, &size, PAGE_EXECUTE_READ, &old), STATUS_SUCCESS);
    cr_assert_eq(old, PAGE_READWRITE);
    mm_pfn f = t_valid_frame(m, pid, va);
    /* valid: Valid | Owner, Write gone, Dirty kept (the data exists only here) */
    cr_assert_eq(t_pte(m, pid, va) & ~PTE_ACCESSED, (f << 12) | 0x45u);
    struct mm_basic_info info;

    cr_assert_eq(mm_trim(m, pid, 1), 1u);
    cr_assert_eq(t_pte(m, pid, va), (f << 12) | 0x800u | (MM_EXECUTE_READ << 5) | PTE_OWNER);
    cr_assert_eq(mm_query(m, pid, va, &info), STATUS_SUCCESS);
    cr_assert_eq(info.protect, PAGE_EXECUTE_READ);

    cr_assert_eq(t_flush(m), 1u);
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    cr_assert_eq(t_pte(m, pid, va), pte_make_software(MM_EXECUTE_READ, 0, 1));
    cr_assert_eq(t_pte(m, pid, va), 0x00001060u);
    cr_assert_eq(mm_query(m, pid, va, &info), STATUS_SUCCESS);
    cr_assert_eq(info.protect, PAGE_EXECUTE_READ);

    /* back in by an execute: the page-file copy carries the protection */
    cr_assert_eq(mm_execute(m, pid, va), STATUS_SUCCESS);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_PAGE_FILE);
    f = t_valid_frame(m, pid, va);
    cr_assert_eq(t_pte(m, pid, va), (f << 12) | 0x25u);
    cr_assert_eq(mm_write32(m, pid, va, 1), STATUS_ACCESS_VIOLATION);
    uint32_t v = 0;
    cr_assert_eq(mm_read32(m, pid, va, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0xC3u);
    t_check(m);
    mm_destroy(m);
}
