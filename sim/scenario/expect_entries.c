/*
 * expect_entries.c - expectations about one entry of the machine's
 * structures: pte and pde (a page-table or page-directory entry, decoded),
 * pfn (a PFN database entry) and working_set (a process's working set).
 * For each: how it is read and checked, then its row.
 */
#include <stdio.h>
#include <stdlib.h>

#include "expects.h"

/* ---- pte and pde: the entry that maps an address, decoded ---- */

static const struct scn_field entry_fields[] = {
    REQ("process"), REQ("address"), OPT("form"), OPT("frame"), OPT("value"), OPT("protection"),
    OPT("pagefile"), OPT("offset"), OPT("accessed"), OPT("dirty"), FIELDS_END,
};
static const char *const form_names[] = {"zero", "valid", "demand-zero", "page-file", "transition",   /* enum */
                                         "prototype", "decommitted"};                                /* pte_form */

/* A boolean that may be left out: -1, 0 or 1 into *out. */
static bool read_flag(struct reader *r, const cJSON *obj, const char *path, const char *key, int *out)
{
    char p[READER_PATH];
    const cJSON *n = reader_member(obj, path, key, p);
    bool b;
    if (!n)
        return true;
    if (!reader_bool(r, n, p, &b))
        return false;
    *out = b;
    return true;
}

/* The fields of a pte or pde expectation after process and address. */
static bool read_entry_checks(struct reader *r, const cJSON *n, const char *path, struct scn_expect_pte *x)
{
    bool ok = true;
    char p[READER_PATH];
    const cJSON *f;
    if ((f = reader_member(n, path, "form", p)))
        ok &= reader_enum(r, f, p, form_names, sizeof form_names / sizeof form_names[0], "PTE form", &x->form);
    struct { const char *key; struct scn_range *dst; uint64_t max; } ranges[] = {
        {"frame", &x->frame, MM_MAX_FRAMES - 1}, {"value", &x->value, 0xFFFFFFFFu},
        {"pagefile", &x->pagefile, MM_MAX_PAGEFILES - 1}, {"offset", &x->offset, MM_MAX_PAGEFILE_PAGES - 1},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if ((f = reader_member(n, path, ranges[i].key, p)))
            ok &= reader_range(r, f, p, ranges[i].max, ranges[i].dst);
    if ((f = reader_member(n, path, "protection", p)))
        ok &= reader_protection(r, f, p, &x->protection);
    ok &= read_flag(r, n, path, "accessed", &x->accessed);
    ok &= read_flag(r, n, path, "dirty", &x->dirty);
    return ok;
}

static bool read_entry(struct reader *r, const cJSON *n, const char *path, bool pde, struct scn_expect_pte *x)
{
    if (!reader_object(r, n, path, entry_fields, pde ? "a PDE expectation" : "a PTE expectation"))
        return false;
    char p[READER_PATH];
    bool ok = true;
    x->set = true;
    x->pde = pde;
    x->form = -1;
    x->accessed = x->dirty = -1;
    x->process = -1;
    if (!cJSON_GetObjectItemCaseSensitive(n, "process") || !cJSON_GetObjectItemCaseSensitive(n, "address")) {
        reader_error(r, n, false, path, "needs \"process\" and \"address\"");
        return false;
    }
    ok &= reader_process(r, reader_member(n, path, "process", p), p, &x->process);
    ok &= reader_address(r, reader_member(n, path, "address", p), p, false, &x->address);   /* the self-map too */
    return read_entry_checks(r, n, path, x) && ok;
}

static bool read_pte(struct reader *r, const cJSON *n, const char *path, struct scn_expect *x)
{
    return read_entry(r, n, path, false, &x->pte);
}

static bool read_pde(struct reader *r, const cJSON *n, const char *path, struct scn_expect *x)
{
    if (x->pte.set) {
        reader_error(r, n, true, path, "one expect step checks a PTE or a PDE, not both: use two steps");
        return false;
    }
    return read_entry(r, n, path, true, &x->pte);
}

/* The protection an entry gives its page: of a valid entry, the one in its
 * frame's OriginalPte (the hardware bits hold only part of it). */
static void check_entry_protection(struct replay *r, const struct scn_expect_pte *x, mm_pte v, const char *what,
                                   struct replay_result *res)
{
    uint32_t prot = pte_classify(v) == PTE_FORM_VALID
                        ? pte_protection(mm_pfn_entry(r->m, pte_frame(v))->original_pte)
                        : pte_protection(v);
    if (prot_to_win32(prot) != x->protection) {
        char a[64], b[64];
        expects_fail(res, "%s: expected protection %s, actual %s", what,
                     prot_name(prot_from_win32(x->protection), a, 64), prot_name(prot, b, 64));
    }
}

static void check_entry(struct replay *r, const struct scn_expect_pte *x, struct replay_result *res)
{
    const char *proc = r->sc->process_names[x->process];
    struct mm_walk w;
    char what[96], sub[140];
    snprintf(what, sizeof what, "%s of 0x%08X in %s", x->pde ? "PDE" : "PTE", x->address, proc);
    uint32_t pid = expects_running(r, x->process, what, res);
    if (!pid || mm_walk(r->m, pid, x->address, &w) != STATUS_SUCCESS)
        return;
    mm_pte v = x->pde ? w.pde : w.pte;
    enum pte_form form = pte_classify(v);
    if (x->form >= 0 && (int)form != x->form)
        expects_fail(res, "%s: expected form %s, actual %s (0x%08X)", what, pte_form_name((enum pte_form)x->form),
                     pte_form_name(form), v);
    snprintf(sub, sizeof sub, "%s value", what);
    expects_range(res, sub, &x->value, v, true);
    if (x->frame.set) {
        snprintf(sub, sizeof sub, "%s frame", what);
        if (form == PTE_FORM_VALID || form == PTE_FORM_TRANSITION)
            expects_range(res, sub, &x->frame, pte_frame(v), false);
        else
            expects_fail(res, "%s: expected a frame, but the entry is %s (0x%08X)", what, pte_form_name(form), v);
    }
    if ((x->pagefile.set || x->offset.set) && form != PTE_FORM_PAGEFILE) {
        expects_fail(res, "%s: expected a page-file entry, actual %s (0x%08X)", what, pte_form_name(form), v);
    } else if (x->pagefile.set || x->offset.set) {
        snprintf(sub, sizeof sub, "%s paging file", what);
        expects_range(res, sub, &x->pagefile, pte_pagefile_number(v), false);
        snprintf(sub, sizeof sub, "%s paging-file offset", what);
        expects_range(res, sub, &x->offset, pte_pagefile_offset(v), false);
    }
    if (x->protection)
        check_entry_protection(r, x, v, what, res);
    if (x->accessed >= 0 && (form != PTE_FORM_VALID || !!(v & PTE_ACCESSED) != x->accessed))
        expects_fail(res, "%s: expected Accessed %s, actual 0x%08X", what, x->accessed ? "set" : "clear", v);
    if (x->dirty >= 0 && (form != PTE_FORM_VALID || !!(v & PTE_DIRTY) != x->dirty))
        expects_fail(res, "%s: expected Dirty %s, actual 0x%08X", what, x->dirty ? "set" : "clear", v);
}

/* One step holds a pte or a pde expectation (read_pde refuses both). */
static void check_pte(struct replay *r, const struct scn_expect *x, struct replay_result *res)
{
    if (x->pte.set && !x->pte.pde)
        check_entry(r, &x->pte, res);
}

static void check_pde(struct replay *r, const struct scn_expect *x, struct replay_result *res)
{
    if (x->pte.set && x->pte.pde)
        check_entry(r, &x->pte, res);
}

const struct expect_row expect_pte = {.name = "pte", .fields = entry_fields, .read = read_pte, .check = check_pte};
const struct expect_row expect_pde = {.name = "pde", .fields = entry_fields, .read = read_pde, .check = check_pde};

/* ---- pfn: one PFN database entry ---- */

static const struct scn_field pfn_fields[] = {
    REQ("frame"), OPT("list"), OPT("share_count"), OPT("reference_count"), OPT("priority"),
    OPT("modified"), OPT("original_pte"), OPT("pte_address"), OPT("prototype"), FIELDS_END,
};
static const char *const pfn_list_names[MM_LIST_COUNT] = {   /* as enum mm_list */
    "zeroed", "free", "standby", "modified", "modified_no_write", "bad", "active", "transition",
};

static bool read_pfn(struct reader *r, const cJSON *n, const char *path, struct scn_expect *all)
{
    struct scn_expect_pfn *x = &all->pfn;
    if (!reader_object(r, n, path, pfn_fields, "a PFN expectation"))
        return false;
    bool ok = true;
    char p[READER_PATH];
    const cJSON *f;
    x->set = true;
    x->list = -1;
    x->modified = -1;
    x->prototype = -1;
    if (!(f = reader_member(n, path, "frame", p))) {
        reader_error(r, n, false, path, "needs \"frame\"");
        return false;
    }
    ok &= reader_u32(r, f, p, 0, r->sc->config.frames - 1, &x->frame);
    if ((f = reader_member(n, path, "list", p)))
        ok &= reader_enum(r, f, p, pfn_list_names, MM_LIST_COUNT, "list", &x->list);
    struct { const char *key; struct scn_range *dst; uint64_t max; } ranges[] = {
        {"share_count", &x->share_count, 0xFFFFFFFFu}, {"reference_count", &x->reference_count, 0xFFFF},
        {"priority", &x->priority, 7}, {"original_pte", &x->original_pte, 0xFFFFFFFFu},
        {"pte_address", &x->pte_address, 0xFFFFFFFFu},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if ((f = reader_member(n, path, ranges[i].key, p)))
            ok &= reader_range(r, f, p, ranges[i].max, ranges[i].dst);
    ok &= read_flag(r, n, path, "prototype", &x->prototype);
    return read_flag(r, n, path, "modified", &x->modified) && ok;
}

static void check_pfn(struct replay *r, const struct scn_expect *all, struct replay_result *res)
{
    const struct scn_expect_pfn *x = &all->pfn;
    if (!x->set)
        return;
    const struct mmpfn *p = mm_pfn_entry(r->m, x->frame);
    enum mm_list loc = pfn_location(p);
    char what[64], sub[96];
    snprintf(what, sizeof what, "frame 0x%X", x->frame);
    if (x->list >= 0 && (int)loc != x->list)
        expects_fail(res, "%s: expected on %s, actual %s", what, pfn_list_names[x->list], pfn_list_names[loc]);
    if (x->share_count.set) {   /* a frame on a list has no ShareCount: the field holds a link */
        snprintf(sub, sizeof sub, "%s ShareCount", what);
        expects_range(res, sub, &x->share_count, loc <= BadPageList ? 0 : p->u2.share_count, false);
    }
    snprintf(sub, sizeof sub, "%s ReferenceCount", what);
    expects_range(res, sub, &x->reference_count, p->u3.reference_count, false);
    snprintf(sub, sizeof sub, "%s priority", what);
    expects_range(res, sub, &x->priority, pfn_priority(p), false);
    snprintf(sub, sizeof sub, "%s OriginalPte", what);
    expects_range(res, sub, &x->original_pte, p->original_pte, true);
    snprintf(sub, sizeof sub, "%s PteAddress", what);
    expects_range(res, sub, &x->pte_address, p->pte_address, true);
    if (x->modified >= 0 && pfn_flag(p, PFN_MODIFIED) != (bool)x->modified)
        expects_fail(res, "%s: expected Modified %s, actual %s", what, x->modified ? "set" : "clear",
                     pfn_flag(p, PFN_MODIFIED) ? "set" : "clear");
    if (x->prototype >= 0 && pfn_flag(p, PFN_PROTOTYPE_PTE) != (bool)x->prototype)
        expects_fail(res, "%s: expected PrototypePte %s, actual %s", what, x->prototype ? "set" : "clear",
                     pfn_flag(p, PFN_PROTOTYPE_PTE) ? "set" : "clear");
}

const struct expect_row expect_pfn = {.name = "pfn", .fields = pfn_fields, .read = read_pfn, .check = check_pfn};

/* ---- working_set: a process's working set ---- */

static const struct scn_field working_set_fields[] = {
    REQ("process"), OPT("size"), OPT("locked"), OPT("page_tables"), OPT("data"), OPT("contains"), OPT("excludes"),
    FIELDS_END,
};

bool expects_read_addresses(struct reader *r, const cJSON *n, const char *path, mm_va **out, uint32_t *count)
{
    if (!cJSON_IsArray(n)) {
        reader_error(r, n, false, path, "expected an array of addresses, found %s", reader_type_name(n));
        return false;
    }
    int size = cJSON_GetArraySize(n);
    if (size > (int)SCN_MAX_LIST_ITEMS) {
        reader_error(r, n, false, path, "too many addresses (%d, at most %u)", size, SCN_MAX_LIST_ITEMS);
        return false;
    }
    *out = calloc((size_t)size + 1, sizeof **out);
    if (!*out)
        return false;
    bool ok = true;
    int i = 0;
    for (const cJSON *e = n->child; e; e = e->next, i++) {
        char p[READER_PATH];
        snprintf(p, sizeof p, "%s[%d]", path, i);
        ok &= reader_address(r, e, p, false, &(*out)[i]);
    }
    *count = (uint32_t)size;
    return ok;
}

static bool read_working_set(struct reader *r, const cJSON *n, const char *path, struct scn_expect *all)
{
    struct scn_expect_ws *x = &all->ws;
    if (!reader_object(r, n, path, working_set_fields, "a working-set expectation"))
        return false;
    bool ok = true;
    char p[READER_PATH];
    const cJSON *f;
    x->set = true;
    if (!(f = reader_member(n, path, "process", p))) {
        reader_error(r, n, false, path, "needs \"process\"");
        ok = false;
    } else {
        ok &= reader_process(r, f, p, &x->process);
    }
    struct { const char *key; struct scn_range *dst; } ranges[] = {
        {"size", &x->size}, {"locked", &x->locked}, {"page_tables", &x->page_tables}, {"data", &x->data},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if ((f = reader_member(n, path, ranges[i].key, p)))
            ok &= reader_range(r, f, p, MM_MAX_FRAMES, ranges[i].dst);
    if ((f = reader_member(n, path, "contains", p)))
        ok &= expects_read_addresses(r, f, p, &x->contains, &x->ncontains);
    if ((f = reader_member(n, path, "excludes", p)))
        ok &= expects_read_addresses(r, f, p, &x->excludes, &x->nexcludes);
    return ok;
}

static void check_working_set(struct replay *r, const struct scn_expect *all, struct replay_result *res)
{
    const struct scn_expect_ws *x = &all->ws;
    if (!x->set)
        return;
    const char *proc = r->sc->process_names[x->process];
    char what[96];
    snprintf(what, sizeof what, "working set of %s", proc);
    uint32_t pid = expects_running(r, x->process, what, res);
    if (!pid)
        return;
    const struct mm_wsl *ws = mm_working_set(r->m, pid);
    struct mm_ws_breakdown b;
    mm_ws_breakdown(r->m, pid, &b);
    snprintf(what, sizeof what, "working-set size of %s", proc);
    expects_range(res, what, &x->size, ws ? ws->size : 0, false);
    snprintf(what, sizeof what, "locked system pages in the working set of %s", proc);
    expects_range(res, what, &x->locked, b.locked, false);
    snprintf(what, sizeof what, "page tables in the working set of %s", proc);
    expects_range(res, what, &x->page_tables, b.page_tables, false);
    snprintf(what, sizeof what, "data pages in the working set of %s", proc);
    expects_range(res, what, &x->data, b.data, false);
    for (uint32_t i = 0; i < x->ncontains; i++)
        if (!mm_ws_contains(r->m, pid, x->contains[i]))
            expects_fail(res, "working set of %s: expected to contain 0x%08X, it does not", proc, x->contains[i]);
    for (uint32_t i = 0; i < x->nexcludes; i++)
        if (mm_ws_contains(r->m, pid, x->excludes[i]))
            expects_fail(res, "working set of %s: expected not to contain 0x%08X, it does", proc, x->excludes[i]);
}

const struct expect_row expect_working_set = {
    .name = "working_set", .fields = working_set_fields, .read = read_working_set, .check = check_working_set,
};

/* ---- tlb: the translation lookaside buffer ---- */

static const struct scn_field tlb_fields[] = {
    OPT("hits"), OPT("misses"), OPT("flushes"), OPT("contains"), OPT("excludes"), FIELDS_END,
};

static bool read_tlb(struct reader *r, const cJSON *n, const char *path, struct scn_expect *all)
{
    struct scn_expect_tlb *x = &all->tlb;
    if (!reader_object(r, n, path, tlb_fields, "a TLB expectation"))
        return false;
    bool ok = true;
    char p[READER_PATH];
    const cJSON *f;
    x->set = true;
    struct { const char *key; struct scn_range *dst; } ranges[] = {
        {"hits", &x->hits}, {"misses", &x->misses}, {"flushes", &x->flushes},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if ((f = reader_member(n, path, ranges[i].key, p)))
            ok &= reader_range(r, f, p, UINT64_MAX / 2, ranges[i].dst);
    if ((f = reader_member(n, path, "contains", p)))
        ok &= expects_read_addresses(r, f, p, &x->contains, &x->ncontains);
    if ((f = reader_member(n, path, "excludes", p)))
        ok &= expects_read_addresses(r, f, p, &x->excludes, &x->nexcludes);
    return ok;
}

/* Does the TLB hold an entry for va's page? */
static bool tlb_holds(const struct mm_machine *m, mm_va va)
{
    mm_va tva;
    mm_pfn f;
    mm_pte pte;
    uint32_t slot = VA_VPN(va) & (mm_tlb_size(m) - 1);
    return mm_tlb_entry(m, slot, &tva, &f, &pte) && tva == PAGE_ALIGN(va);
}

static void check_tlb(struct replay *r, const struct scn_expect *all, struct replay_result *res)
{
    const struct scn_expect_tlb *x = &all->tlb;
    if (!x->set)
        return;
    struct mm_counters c;
    mm_counters(r->m, 0, &c);
    expects_range(res, "TLB hits", &x->hits, c.tlb_hits, false);
    expects_range(res, "TLB misses", &x->misses, c.tlb_misses, false);
    expects_range(res, "TLB flushes", &x->flushes, c.tlb_flushes, false);
    for (uint32_t i = 0; i < x->ncontains; i++)
        if (!tlb_holds(r->m, x->contains[i]))
            expects_fail(res, "TLB: expected an entry for 0x%08X, there is none", PAGE_ALIGN(x->contains[i]));
    for (uint32_t i = 0; i < x->nexcludes; i++)
        if (tlb_holds(r->m, x->excludes[i]))
            expects_fail(res, "TLB: expected no entry for 0x%08X, there is one", PAGE_ALIGN(x->excludes[i]));
}

const struct expect_row expect_tlb = {
    .name = "tlb", .fields = tlb_fields, .read = read_tlb, .check = check_tlb,
};
