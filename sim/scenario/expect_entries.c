/*
 * expect_entries.c - expectations about one entry of the machine's
 * structures: pte and pde (a page-table or page-directory entry, decoded),
 * pfn (a PFN database entry) and working_set (a process's working set).
 * For each: how it is read and checked, then its row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expects.h"
#include "files.h"

/* ---- pte and pde: the entry that maps an address, decoded ---- */

static const struct scn_field entry_fields[] = {
    REQ("process"), REQ("address"), OPT("form"), OPT("frame"), OPT("value"), OPT("protection"),
    OPT("pagefile"), OPT("offset"), OPT("accessed"), OPT("dirty"), FIELDS_END,
};
static const char *const form_names[] = {"zero", "valid", "demand-zero", "page-file", "transition",   /* enum */
                                         "prototype", "decommitted"};                                /* pte_form */

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
        ok &= files_read_protection(r, f, p, &x->protection);   /* PAGE_WRITECOPY too: a view's page */
    ok &= reader_flag(r, n, path, "accessed", &x->accessed);
    ok &= reader_flag(r, n, path, "dirty", &x->dirty);
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
    if (!json_member(n, "process") || !json_member(n, "address")) {
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

/* The protection an entry gives its page. Of a valid PTE, the page's as
 * the walk finds it (the hardware bits hold only part of it): its frame's
 * OriginalPte, or in a view the view's, so a page of a PAGE_WRITECOPY view
 * reads PAGE_WRITECOPY until the copy; of a valid PDE, its frame's
 * OriginalPte; of a software entry, its own bits. */
static void check_entry_protection(struct replay *r, const struct scn_expect_pte *x, const struct mm_walk *w,
                                   mm_pte v, const char *subject, struct replay_result *res)
{
    uint32_t prot = pte_classify(v) != PTE_FORM_VALID ? pte_protection(v)
                    : x->pde ? pte_protection(mm_pfn_entry(r->m, pte_frame(v))->original_pte)
                             : w->protection;
    char a[64], b[64];
    expects_check(res, subject, "protection", prot_to_win32(prot) == x->protection,
                  prot_name(prot_from_win32(x->protection), a, 64), prot_name(prot, b, 64));
}

/* Accessed or Dirty, which only a valid entry holds. */
static void check_entry_bit(struct replay_result *res, const char *subject, const char *what, int want, mm_pte v,
                            mm_pte bit)
{
    if (want < 0)
        return;
    bool valid = pte_classify(v) == PTE_FORM_VALID;
    if (valid)
        expects_check(res, subject, what, !!(v & bit) == want, want ? "set" : "clear", v & bit ? "set" : "clear");
    else
        expects_checkf(res, subject, what, false, want ? "set" : "clear", "no such bit: %s (0x%08X)",
                       pte_form_name(pte_classify(v)), v);
}

static void check_entry(struct replay *r, const struct scn_expect_pte *x, struct replay_result *res)
{
    const char *proc = r->sc->process_names[x->process];
    char subject[48];
    snprintf(subject, sizeof subject, "%s of 0x%08X in %s", x->pde ? "PDE" : "PTE", x->address, proc);
    struct mm_walk w;
    uint32_t pid = expects_running(r, x->process, subject, res);
    if (!pid || mm_walk(r->m, pid, x->address, &w) != STATUS_SUCCESS)
        return;
    mm_pte v = x->pde ? w.pde : w.pte;
    enum pte_form form = pte_classify(v);
    if (x->form >= 0)
        expects_checkf(res, subject, "form", (int)form == x->form, pte_form_name((enum pte_form)x->form),
                       (int)form == x->form ? "%s" : "%s (0x%08X)", pte_form_name(form), v);
    expects_range(res, subject, "value", &x->value, v, true);
    bool has_frame = form == PTE_FORM_VALID || form == PTE_FORM_TRANSITION;
    if (x->frame.set && has_frame)
        expects_range(res, subject, "frame", &x->frame, pte_frame(v), false);
    else if (x->frame.set)
        expects_checkf(res, subject, "frame", false, "a frame", "none: %s (0x%08X)", pte_form_name(form), v);
    if ((x->pagefile.set || x->offset.set) && form != PTE_FORM_PAGEFILE) {
        expects_checkf(res, subject, "form", false, "page-file", "%s (0x%08X)", pte_form_name(form), v);
    } else {
        expects_range(res, subject, "paging file", &x->pagefile, pte_pagefile_number(v), false);
        expects_range(res, subject, "offset", &x->offset, pte_pagefile_offset(v), false);
    }
    if (x->protection)
        check_entry_protection(r, x, &w, v, subject, res);
    check_entry_bit(res, subject, "Accessed", x->accessed, v, PTE_ACCESSED);
    check_entry_bit(res, subject, "Dirty", x->dirty, v, PTE_DIRTY);
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
    ok &= reader_flag(r, n, path, "prototype", &x->prototype);
    return reader_flag(r, n, path, "modified", &x->modified) && ok;
}

static void check_pfn(struct replay *r, const struct scn_expect *all, struct replay_result *res)
{
    const struct scn_expect_pfn *x = &all->pfn;
    if (!x->set)
        return;
    const struct mmpfn *p = mm_pfn_entry(r->m, x->frame);
    enum mm_list loc = pfn_location(p);
    char subject[48];
    snprintf(subject, sizeof subject, "frame 0x%X", x->frame);
    if (x->list >= 0)
        expects_check(res, subject, "list", (int)loc == x->list, pfn_list_names[x->list], pfn_list_names[loc]);
    /* a frame on a list has no ShareCount: the field holds a link */
    expects_range(res, subject, "ShareCount", &x->share_count, loc <= BadPageList ? 0 : p->u2.share_count, false);
    expects_range(res, subject, "ReferenceCount", &x->reference_count, p->u3.reference_count, false);
    expects_range(res, subject, "priority", &x->priority, pfn_priority(p), false);
    expects_range(res, subject, "OriginalPte", &x->original_pte, p->original_pte, true);
    expects_range(res, subject, "PteAddress", &x->pte_address, p->pte_address, true);
    if (x->modified >= 0)
        expects_check(res, subject, "Modified", pfn_flag(p, PFN_MODIFIED) == (bool)x->modified,
                      x->modified ? "set" : "clear", pfn_flag(p, PFN_MODIFIED) ? "set" : "clear");
    if (x->prototype >= 0)
        expects_check(res, subject, "PrototypePte", pfn_flag(p, PFN_PROTOTYPE_PTE) == (bool)x->prototype,
                      x->prototype ? "set" : "clear", pfn_flag(p, PFN_PROTOTYPE_PTE) ? "set" : "clear");
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

/* Append ", 0x00010000" to a list of addresses in buf (after `lead` for
 * the first), or "..." once the next one would not fit. */
static void append_address(char *buf, size_t size, const char *lead, mm_va va)
{
    size_t len = strlen(buf);
    if (len >= 3 && strcmp(buf + len - 3, "...") == 0)
        return;
    char item[40];
    snprintf(item, sizeof item, "%s0x%08X", len ? ", " : lead, va);
    if (len + strlen(item) + sizeof ", ..." <= size)   /* room kept for ", ..." after it */
        memcpy(buf + len, item, strlen(item) + 1);
    else
        memcpy(buf + len, ", ...", sizeof ", ...");
}

/* "contains" or "excludes": addresses that must (must not) be present,
 * one check for the whole list. `present` says whether one is (in the
 * working set of `process`, or in the TLB). */
static void check_addresses(const struct replay *r, struct replay_result *res, const char *subject, const char *what,
                            const mm_va *list, uint32_t n, bool want, bool (*present)(const struct replay *, int, mm_va),
                            int process)
{
    if (n == 0)
        return;
    char expected[48] = "", actual[64] = "";
    for (uint32_t i = 0; i < n; i++) {
        append_address(expected, sizeof expected, "", PAGE_ALIGN(list[i]));
        if (present(r, process, list[i]) != want)
            append_address(actual, sizeof actual, want ? "missing " : "holds ", PAGE_ALIGN(list[i]));
    }
    expects_listing(res, subject, what, actual[0] == '\0', expected,
                    actual[0] ? actual : want ? "all of them" : "none of them");
}

static bool ws_holds(const struct replay *r, int process, mm_va va)
{
    return mm_ws_contains(r->m, replay_pid(r, process), va);
}

static void check_working_set(struct replay *r, const struct scn_expect *all, struct replay_result *res)
{
    const struct scn_expect_ws *x = &all->ws;
    if (!x->set)
        return;
    char subject[48];
    snprintf(subject, sizeof subject, "working set of %s", r->sc->process_names[x->process]);
    uint32_t pid = expects_running(r, x->process, subject, res);
    if (!pid)
        return;
    const struct mm_wsl *ws = mm_working_set(r->m, pid);
    struct mm_ws_breakdown b;
    mm_ws_breakdown(r->m, pid, &b);
    expects_range(res, subject, "size", &x->size, ws ? ws->size : 0, false);
    expects_range(res, subject, "locked", &x->locked, b.locked, false);
    expects_range(res, subject, "page_tables", &x->page_tables, b.page_tables, false);
    expects_range(res, subject, "data", &x->data, b.data, false);
    check_addresses(r, res, subject, "contains", x->contains, x->ncontains, true, ws_holds, x->process);
    check_addresses(r, res, subject, "excludes", x->excludes, x->nexcludes, false, ws_holds, x->process);
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
static bool tlb_holds(const struct replay *r, int process, mm_va va)
{
    (void)process;   /* one TLB, flushed when the address space changes */
    mm_va tva;
    mm_pfn f;
    mm_pte pte;
    uint32_t slot = VA_VPN(va) & (mm_tlb_size(r->m) - 1);
    return mm_tlb_entry(r->m, slot, &tva, &f, &pte) && tva == PAGE_ALIGN(va);
}

static void check_tlb(struct replay *r, const struct scn_expect *all, struct replay_result *res)
{
    const struct scn_expect_tlb *x = &all->tlb;
    if (!x->set)
        return;
    struct mm_counters c;
    mm_counters(r->m, 0, &c);
    expects_range(res, "TLB", "hits", &x->hits, c.tlb_hits, false);
    expects_range(res, "TLB", "misses", &x->misses, c.tlb_misses, false);
    expects_range(res, "TLB", "flushes", &x->flushes, c.tlb_flushes, false);
    check_addresses(r, res, "TLB", "contains", x->contains, x->ncontains, true, tlb_holds, -1);
    check_addresses(r, res, "TLB", "excludes", x->excludes, x->nexcludes, false, tlb_holds, -1);
}

const struct expect_row expect_tlb = {
    .name = "tlb", .fields = tlb_fields, .read = read_tlb, .check = check_tlb,
};
