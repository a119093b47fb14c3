/*
 * expect_section.c - expectations about sections and files: proto (a
 * prototype PTE of a section, decoded), section (whether it exists, its
 * handle, views and resident pages) and file (a word of a file and the
 * pages read from and written to it). For each: how it is read and
 * checked, then its row.
 */
#include <stdio.h>
#include <string.h>

#include "expects.h"
#include "files.h"

/* ---- proto: prototype PTE `page` of a section ---- */

static const struct scn_field proto_fields[] = {
    REQ("section"), REQ("page"), OPT("form"), OPT("value"), OPT("frame"), OPT("protection"), FIELDS_END,
};
/* The forms a prototype PTE takes, as enum proto_form. */
static const char *const proto_form_names[] = {"valid", "transition", "demand-zero", "page-file", "subsection"};
enum proto_form { PF_VALID, PF_TRANSITION, PF_DEMAND_ZERO, PF_PAGEFILE, PF_SUBSECTION, PF_OTHER };

static enum proto_form proto_form(mm_pte v)
{
    switch (pte_classify(v)) {
    case PTE_FORM_VALID: return PF_VALID;
    case PTE_FORM_TRANSITION: return PF_TRANSITION;
    case PTE_FORM_DEMAND_ZERO: return PF_DEMAND_ZERO;
    case PTE_FORM_PAGEFILE: return PF_PAGEFILE;
    case PTE_FORM_PROTOTYPE: return v & PTE_WHICH_POOL_SUBSECTION ? PF_SUBSECTION : PF_OTHER;
    default: return PF_OTHER;
    }
}

static bool read_proto(struct reader *r, const cJSON *n, const char *path, struct scn_expect *all)
{
    struct scn_expect_proto *x = &all->proto;
    if (!reader_object(r, n, path, proto_fields, "a prototype-PTE expectation"))
        return false;
    char p[READER_PATH];
    const cJSON *f;
    bool ok = true;
    x->set = true;
    x->form = -1;
    if (!json_member(n, "section") || !json_member(n, "page")) {
        reader_error(r, n, false, path, "needs \"section\" and \"page\"");
        return false;
    }
    if (files_section_ref(r, reader_member(n, path, "section", p), p, false, &x->section)) {
        uint32_t pages = files_section_pages(r->sc, x->section);
        f = reader_member(n, path, "page", p);
        if (pages == 0)
            ok &= reader_u32(r, f, p, 0, SCN_MAX_FILE_PAGES - 1, &x->page);
        else
            ok &= reader_u32(r, f, p, 0, pages - 1, &x->page);
    } else {
        ok = false;
    }
    if ((f = reader_member(n, path, "form", p)))
        ok &= reader_enum(r, f, p, proto_form_names, sizeof proto_form_names / sizeof proto_form_names[0],
                          "prototype-PTE form", &x->form);
    if ((f = reader_member(n, path, "value", p)))
        ok &= reader_range(r, f, p, 0xFFFFFFFFu, &x->value);
    if ((f = reader_member(n, path, "frame", p)))
        ok &= reader_range(r, f, p, MM_MAX_FRAMES - 1, &x->frame);
    if ((f = reader_member(n, path, "protection", p)))
        ok &= files_read_protection(r, f, p, &x->protection);
    return ok;
}

static void check_proto(struct replay *r, const struct scn_expect *all, struct replay_result *res)
{
    const struct scn_expect_proto *x = &all->proto;
    if (!x->set)
        return;
    const char *name = r->sc->sections[x->section].name;
    char subject[48], a[64], b[64];
    mm_va va;
    mm_pte v;
    snprintf(subject, sizeof subject, "prototype PTE %u of section %s", x->page, name);
    if (!mm_proto_pte(r->m, files_section_handle(r, x->section), x->page, &va, &v)) {
        expects_check(res, subject, "page", false, "in the section", "none: no such section (now) or page");
        return;
    }
    enum proto_form form = proto_form(v);
    const char *form_name = form == PF_OTHER ? pte_form_name(pte_classify(v)) : proto_form_names[form];
    if (x->form >= 0)
        expects_checkf(res, subject, "form", (int)form == x->form, proto_form_names[x->form],
                       (int)form == x->form ? "%s" : "%s (0x%08X)", form_name, v);
    expects_range(res, subject, "value", &x->value, v, true);
    if (x->frame.set && (form == PF_VALID || form == PF_TRANSITION))
        expects_range(res, subject, "frame", &x->frame, pte_frame(v), false);
    else if (x->frame.set)
        expects_checkf(res, subject, "frame", false, "a frame", "none: %s (0x%08X)", form_name, v);
    if (x->protection) {   /* of a valid entry: its frame's OriginalPte has it */
        uint32_t prot = form == PF_VALID ? pte_protection(mm_pfn_entry(r->m, pte_frame(v))->original_pte)
                                         : pte_protection(v);
        expects_check(res, subject, "protection", prot_to_win32(prot) == x->protection,
                      prot_name(prot_from_win32(x->protection), a, sizeof a), prot_name(prot, b, sizeof b));
    }
}

const struct expect_row expect_proto = {
    .name = "proto", .fields = proto_fields, .read = read_proto, .check = check_proto,
};

/* ---- section: a section object ---- */

static const struct scn_field section_fields[] = {
    REQ("section"), OPT("exists"), OPT("open"), OPT("views"), OPT("resident"), FIELDS_END,
};

static bool read_section(struct reader *r, const cJSON *n, const char *path, struct scn_expect *all)
{
    struct scn_expect_section *x = &all->section;
    if (!reader_object(r, n, path, section_fields, "a section expectation"))
        return false;
    char p[READER_PATH];
    const cJSON *f;
    bool ok = true;
    x->set = true;
    x->exists = x->open = -1;
    if (!(f = reader_member(n, path, "section", p))) {
        reader_error(r, n, false, path, "needs \"section\"");
        return false;
    }
    ok &= files_section_ref(r, f, p, false, &x->section);
    ok &= reader_flag(r, n, path, "exists", &x->exists);
    ok &= reader_flag(r, n, path, "open", &x->open);
    if ((f = reader_member(n, path, "views", p)))
        ok &= reader_range(r, f, p, 0xFFFFu, &x->views);
    if ((f = reader_member(n, path, "resident", p)))
        ok &= reader_range(r, f, p, MM_MAX_FRAMES, &x->resident);
    return ok;
}

static void check_section(struct replay *r, const struct scn_expect *all, struct replay_result *res)
{
    const struct scn_expect_section *x = &all->section;
    if (!x->set)
        return;
    char subject[48];
    struct mm_section_info info;
    bool exists = mm_section_info(r->m, files_section_handle(r, x->section), &info);
    snprintf(subject, sizeof subject, "section %s", r->sc->sections[x->section].name);
    if (x->exists >= 0)
        expects_check(res, subject, "exists", exists == (bool)x->exists, x->exists ? "yes" : "no (deleted)",
                      exists ? "yes" : "no (deleted)");
    if (!exists) {
        if (x->open >= 0 || x->views.set || x->resident.set)
            expects_check(res, subject, "handle, views, pages", false, "a section", "none: it does not exist");
        return;
    }
    if (x->open >= 0)
        expects_check(res, subject, "handle", info.open == (bool)x->open, x->open ? "open" : "closed",
                      info.open ? "open" : "closed");
    expects_range(res, subject, "NumberOfMappedViews", &x->views, info.views, false);
    expects_range(res, subject, "pages in memory", &x->resident, info.resident, false);
}

const struct expect_row expect_section = {
    .name = "section", .fields = section_fields, .read = read_section, .check = check_section,
};

/* ---- file: a file of the simulated file system ---- */

static const struct scn_field file_fields[] = {
    REQ("file"), OPT("words"), OPT("reads"), OPT("writes"), FIELDS_END,
};
static const struct scn_field word_fields[] = {REQ("offset"), REQ("value"), FIELDS_END};

/* One word {"offset": ..., "value": ...}: a 4-byte aligned offset inside
 * the file (pages: its size, 0 when the file is unknown) and a range. */
static bool read_word(struct reader *r, const cJSON *e, const char *path, uint32_t pages,
                      struct scn_expect_word *w)
{
    char p[READER_PATH];
    if (!reader_object(r, e, path, word_fields, "a word {\"offset\": ..., \"value\": ...}"))
        return false;
    const cJSON *off = reader_member(e, path, "offset", p), *val = json_member(e, "value");
    if (!off || !val) {
        reader_error(r, e, false, path, "a word needs \"offset\" and \"value\"");
        return false;
    }
    bool ok = reader_u32(r, off, p, 0, pages ? pages * PAGE_SIZE - 4 : 0xFFFFFFFCu, &w->offset);
    if (ok && w->offset % 4) {
        reader_error(r, off, false, p, "offset 0x%X is not a multiple of 4 (words are 4-byte aligned)", w->offset);
        ok = false;
    }
    reader_join(p, sizeof p, path, "value");
    return reader_range(r, val, p, 0xFFFFFFFFu, &w->value) && ok;
}

static bool read_words(struct reader *r, const cJSON *n, const char *path, uint32_t pages,
                       struct scn_expect_file *x)
{
    if (!cJSON_IsArray(n)) {
        reader_error(r, n, false, path, "expected an array of words {\"offset\": ..., \"value\": ...}, found %s",
                     reader_type_name(n));
        return false;
    }
    if (cJSON_GetArraySize(n) > (int)SCN_MAX_EXPECT_WORDS) {
        reader_error(r, n, false, path, "too many words (%d, at most %u in one expectation)",
                     cJSON_GetArraySize(n), SCN_MAX_EXPECT_WORDS);
        return false;
    }
    bool ok = true;
    int i = 0;
    for (const cJSON *e = n->child; e; e = e->next, i++) {
        char p[READER_PATH + 16];
        snprintf(p, sizeof p, "%.*s[%d]", READER_PATH - 1, path, i);
        ok &= read_word(r, e, p, pages, &x->words[x->nwords++]);
    }
    return ok;
}

static bool read_file(struct reader *r, const cJSON *n, const char *path, struct scn_expect *all)
{
    struct scn_expect_file *x = &all->file;
    if (!reader_object(r, n, path, file_fields, "a file expectation"))
        return false;
    char p[READER_PATH];
    const cJSON *f;
    bool ok = true;
    x->set = true;
    if (!(f = reader_member(n, path, "file", p))) {
        reader_error(r, n, false, path, "needs \"file\"");
        return false;
    }
    bool named = files_ref(r, f, p, &x->file);
    ok &= named;
    if ((f = reader_member(n, path, "words", p)))
        ok &= read_words(r, f, p, named ? r->sc->files[x->file].pages : 0, x);
    if ((f = reader_member(n, path, "reads", p)))
        ok &= reader_range(r, f, p, UINT64_MAX / 2, &x->reads);
    if ((f = reader_member(n, path, "writes", p)))
        ok &= reader_range(r, f, p, UINT64_MAX / 2, &x->writes);
    return ok;
}

static void check_file(struct replay *r, const struct scn_expect *all, struct replay_result *res)
{
    const struct scn_expect_file *x = &all->file;
    if (!x->set)
        return;
    const char *name;
    uint32_t pages, v;
    uint64_t reads, writes;
    char subject[48], what[32];
    snprintf(subject, sizeof subject, "file %s", r->sc->files[x->file].name);
    if (!mm_file_info(r->m, r->file[x->file], &name, &pages, &reads, &writes)) {
        expects_check(res, subject, "exists", false, "yes", "no");
        return;
    }
    for (uint32_t i = 0; i < x->nwords; i++) {
        mm_file_read32(r->m, r->file[x->file], x->words[i].offset, &v);
        snprintf(what, sizeof what, "word at 0x%X", x->words[i].offset);
        expects_range(res, subject, what, &x->words[i].value, v, true);
    }
    expects_range(res, subject, "pages read by faults", &x->reads, reads, false);
    expects_range(res, subject, "pages written", &x->writes, writes, false);
}

const struct expect_row expect_file = {.name = "file", .fields = file_fields, .read = read_file, .check = check_file};
