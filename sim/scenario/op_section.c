/*
 * op_section.c - sections and their views: create_section
 * (NtCreateSection), map_view (NtMapViewOfSection), unmap_view
 * (NtUnmapViewOfSection), flush_view (NtFlushVirtualMemory) and
 * close_section (NtClose of the section's handle). For each: how a step is
 * read, run and described, then its row.
 *
 * A section is named by the "name" its create_section step gives it; the
 * steps after it use that name (files.h says how a name is followed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "ops.h"

/* ---- shared by the ops of this file ---- */

/* "size" as a whole number of pages, from 1 page to `max` pages; into *pages. */
static bool read_pages(struct reader *r, const cJSON *n, const char *path, uint32_t max, uint32_t *pages)
{
    uint64_t bytes;
    if (!reader_number(r, n, path, PAGE_SIZE, (uint64_t)max * PAGE_SIZE, true, &bytes))
        return false;
    if (bytes % PAGE_SIZE) {
        reader_error(r, n, false, path, "0x%llX is not a whole number of 4 KiB pages", (unsigned long long)bytes);
        return false;
    }
    *pages = (uint32_t)(bytes / PAGE_SIZE);
    return true;
}

/* "section": a section created by an earlier step and (with open) whose
 * handle is not closed yet; its index into st->value. */
static bool read_section_field(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool open)
{
    char p[READER_PATH];
    int index;
    if (!ops_require(r, s, path, st->op, "section"))
        return false;
    if (!files_section_ref(r, reader_member(s, path, "section", p), p, open, &index))
        return false;
    st->value = (uint32_t)index;
    return true;
}

static const char *section_name(const struct scenario *sc, const struct scn_step *st)
{
    return st->value < sc->nsections ? sc->sections[st->value].name : "?";
}

/* ---- create_section: NtCreateSection ---- */

/* "name": new among the sections whose handles are open. */
static bool read_new_section_name(struct reader *r, const cJSON *s, const char *path, struct scn_section *sec)
{
    char p[READER_PATH];
    const char *name;
    const struct scenario *sc = r->sc;
    if (!reader_string(r, reader_member(s, path, "name", p), p, SCN_MAX_NAME, &name))
        return false;
    if (!name[0]) {
        reader_error(r, reader_member(s, path, "name", p), false, p, "a section's name cannot be empty");
        return false;
    }
    for (uint32_t i = 0; i < sc->nsections; i++)
        if (!sc->sections[i].closed && strcmp(sc->sections[i].name, name) == 0) {
            reader_error(r, reader_member(s, path, "name", p), false, p,
                         "a section named '%s' is open already (close_section it first, or choose another name)",
                         name);
            return false;
        }
    return (sec->name = strdup(name)) != NULL;
}

/* "file", "size", "image", "code_size", "no_write" and "protect". */
static bool read_section_shape(struct reader *r, const cJSON *s, const char *path, struct scn_section *sec)
{
    char p[READER_PATH];
    const cJSON *n;
    bool ok = true, image = false;
    sec->file = -1;
    if ((n = reader_member(s, path, "file", p)))
        ok &= files_ref(r, n, p, &sec->file);
    if ((n = reader_member(s, path, "size", p)))
        ok &= read_pages(r, n, p, SCN_MAX_FILE_PAGES, &sec->pages);
    else if (!json_member(s, "file")) {
        reader_error(r, s, false, path, "a section backed by the paging file needs \"size\" (or give \"file\")");
        ok = false;
    }
    const cJSON *given = reader_member(s, path, "image", p);
    if (given)
        ok &= reader_bool(r, given, p, &image);
    if ((n = reader_member(s, path, "code_size", p))) {   /* an image's: implies "image" */
        if (given && !image) {
            reader_error(r, n, true, p, "\"code_size\" is for an image section, and \"image\" is false");
            ok = false;
        } else {
            ok &= read_pages(r, n, p, SCN_MAX_FILE_PAGES, &sec->code_pages);
            image = true;
        }
    }
    sec->image = image;
    if ((n = reader_member(s, path, "no_write", p)))
        ok &= reader_bool(r, n, p, &sec->no_write);
    /* an image's pages take the image's protections (code PAGE_EXECUTE_READ,
     * data PAGE_EXECUTE_WRITECOPY): as NtCreateSection with SEC_IMAGE, a
     * "protect" given is checked and then not used */
    sec->protect = PAGE_READWRITE;
    if ((n = reader_member(s, path, "protect", p)))
        ok &= files_read_protection(r, n, p, &sec->protect);
    if (image)
        sec->protect = 0;
    return ok;
}

static bool read_create_section(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok)
{
    struct scenario *sc = r->sc;
    struct scn_section sec = {.file = -1};
    if (!ops_require(r, s, path, st->op, "name"))
        return false;
    if (sc->nsections >= SCN_MAX_SECTIONS) {
        reader_error(r, s, false, path, "too many create_section steps (at most %u)", SCN_MAX_SECTIONS);
        return false;
    }
    bool named = read_new_section_name(r, s, path, &sec);
    ok &= named && read_section_shape(r, s, path, &sec);
    if (!named)
        return false;
    struct scn_section *grown = realloc(sc->sections, (sc->nsections + 1) * sizeof *grown);
    if (!grown) {
        free(sec.name);
        return false;
    }
    sc->sections = grown;
    st->value = sc->nsections;
    sc->sections[sc->nsections++] = sec;   /* kept even when invalid: later steps can name it */
    return ok;
}

static mm_status run_create_section(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    const struct scn_section *sec = &r->sc->sections[st->value];
    struct mm_section_params sp = {
        .name = sec->name,
        .pages = sec->pages,
        .file = sec->file >= 0 ? r->file[sec->file] : MM_NO_FILE,
        .protection = sec->protect,
        .image = sec->image,
        .code_pages = sec->code_pages,
        .no_write = sec->no_write,
    };
    uint32_t handle = MM_MAX_SECTIONS;
    mm_status s = mm_create_section(r->m, &sp, &handle);
    r->section[st->value] = s == STATUS_SUCCESS ? handle : MM_MAX_SECTIONS;
    return s;
}

static void describe_create_section(const struct scenario *sc, const struct scn_step *st, char *out, size_t size)
{
    const struct scn_section *sec = &sc->sections[st->value];
    char prot[96], pages[48] = "", extra[64] = "";
    if (sec->pages)
        snprintf(pages, sizeof pages, "%u page%s ", sec->pages, sec->pages == 1 ? "" : "s");
    if (sec->image)
        snprintf(prot, sizeof prot, "an image (SEC_IMAGE): %u code page%s shared, the rest data copy-on-write",
                 sec->code_pages, sec->code_pages == 1 ? "" : "s");
    else
        prot_name(prot_from_win32(sec->protect), prot, sizeof prot);
    if (sec->no_write)
        snprintf(extra, sizeof extra, ", not written by the writers (ModifiedNoWrite)");
    if (sec->file >= 0)
        snprintf(out, size, "create section '%s', %sof file %s, %s%s (NtCreateSection)", sec->name, pages,
                 sc->files[sec->file].name, prot, extra);
    else
        snprintf(out, size, "create section '%s', %sbacked by the paging file, %s%s (NtCreateSection)", sec->name,
                 pages, prot, extra);
}

const struct op_row op_create_section = {
    .name = "create_section",
    .fields = {REQ("name"), OPT("file"), OPT("size"), OPT("protect"), OPT("image"), OPT("code_size"),
               OPT("no_write")},
    .read = read_create_section, .run = run_create_section, .returns_status = true,
    .describe = describe_create_section,
};

/* ---- map_view: NtMapViewOfSection ---- */

static bool read_map_view(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok)
{
    char p[READER_PATH];
    const cJSON *n;
    ok &= read_section_field(r, s, path, st, true);
    /* an address or offset off the 64 KiB granularity is the engine's to
     * refuse (STATUS_MAPPED_ALIGNMENT), as a scenario may want to show */
    if ((n = reader_member(s, path, "address", p)))
        ok &= reader_address(r, n, p, true, &st->address);
    if ((n = reader_member(s, path, "offset", p)))
        ok &= reader_u32(r, n, p, 0, 0xFFFFFFFFu, &st->minimum);
    if ((n = reader_member(s, path, "size", p))) {
        uint32_t pages;
        if (read_pages(r, n, p, SCN_MAX_FILE_PAGES, &pages))
            st->size = pages * PAGE_SIZE;
        else
            ok = false;
    }
    st->protect = PAGE_READWRITE;
    if ((n = reader_member(s, path, "protect", p)))
        ok &= files_read_protection(r, n, p, &st->protect);
    else if (ok && r->sc->sections[st->value].image)
        st->protect = PAGE_EXECUTE_WRITECOPY;
    else if (ok)
        st->protect = r->sc->sections[st->value].protect;
    return ok;
}

static mm_status run_map_view(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    mm_va base = st->address;
    uint32_t pages = st->size / PAGE_SIZE;
    if (st->minimum % PAGE_SIZE)   /* NtMapViewOfSection's SectionOffset: the engine takes pages */
        return STATUS_MAPPED_ALIGNMENT;
    return mm_map_view(r->m, replay_pid(r, st->process), files_section_handle(r, (int)st->value), &base,
                       st->minimum / PAGE_SIZE, &pages, st->protect);
}

static void describe_map_view(const struct scenario *sc, const struct scn_step *st, char *out, size_t size)
{
    char prot[96], where[48], len[48], off[48] = "";
    prot_name(prot_from_win32(st->protect), prot, sizeof prot);
    if (st->address)
        snprintf(where, sizeof where, "at 0x%08X", st->address);
    else
        snprintf(where, sizeof where, "where there is room");
    if (st->size)
        snprintf(len, sizeof len, "0x%X bytes", st->size);
    else
        snprintf(len, sizeof len, "all");
    if (st->minimum)
        snprintf(off, sizeof off, " from offset 0x%X", st->minimum);
    snprintf(out, size, "map a view of section '%s' (%s%s) into %s %s, %s (NtMapViewOfSection)",
             section_name(sc, st), len, off, ops_process_name(sc, st), where, prot);
}

const struct op_row op_map_view = {
    .name = "map_view",
    .fields = {REQ("process"), REQ("section"), OPT("address"), OPT("offset"), OPT("size"), OPT("protect")},
    .read = read_map_view, .run = run_map_view, .returns_status = true, .describe = describe_map_view,
};

/* ---- unmap_view: NtUnmapViewOfSection ---- */

static bool read_unmap_view(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok)
{
    char p[READER_PATH];
    if (!ops_require(r, s, path, st->op, "address"))
        return false;
    return reader_address(r, reader_member(s, path, "address", p), p, true, &st->address) && ok;
}

static mm_status run_unmap_view(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    return mm_unmap_view(r->m, replay_pid(r, st->process), st->address);
}

static void describe_unmap_view(const struct scenario *sc, const struct scn_step *st, char *out, size_t size)
{
    snprintf(out, size, "unmap the view at 0x%08X from %s (NtUnmapViewOfSection)", st->address,
             ops_process_name(sc, st));
}

const struct op_row op_unmap_view = {
    .name = "unmap_view", .fields = {REQ("process"), REQ("address")},
    .read = read_unmap_view, .run = run_unmap_view, .returns_status = true, .describe = describe_unmap_view,
};

/* ---- flush_view: NtFlushVirtualMemory ---- */

static bool read_flush_view(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok)
{
    ok &= ops_read_region(r, s, path, st, false);   /* "size" absent: 0, to the end of the view */
    return ok;
}

/* The bytes from va to the end of the view holding it; 1 when no view
 * holds it (the engine then answers STATUS_NOT_MAPPED_VIEW). */
static uint32_t to_end_of_view(const struct mm_machine *m, uint32_t pid, mm_va va)
{
    for (const struct mm_vad *v = mm_vad_next(m, pid, NULL); v; v = mm_vad_next(m, pid, v)) {
        mm_va start, end;
        uint32_t prot, charge;
        bool commit;
        mm_vad_range(v, &start, &end, &prot, &commit, &charge);
        if (start <= va && va <= end)
            return end - va + 1;
    }
    return 1;
}

static mm_status run_flush_view(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    uint32_t pid = replay_pid(r, st->process), written;
    uint32_t size = st->size ? st->size : to_end_of_view(r->m, pid, st->address);
    return mm_flush_view(r->m, pid, st->address, size, &written);
}

static void describe_flush_view(const struct scenario *sc, const struct scn_step *st, char *out, size_t size)
{
    if (st->size)
        snprintf(out, size, "flush 0x%X bytes of the view at 0x%08X in %s to its file (NtFlushVirtualMemory)",
                 st->size, st->address, ops_process_name(sc, st));
    else
        snprintf(out, size, "flush the view at 0x%08X in %s to its file, to the end of the view "
                 "(NtFlushVirtualMemory)", st->address, ops_process_name(sc, st));
}

const struct op_row op_flush_view = {
    .name = "flush_view", .fields = {REQ("process"), REQ("address"), OPT("size")},
    .read = read_flush_view, .run = run_flush_view, .returns_status = true, .describe = describe_flush_view,
};

/* ---- close_section: NtClose of the section's handle ---- */

static bool read_close_section(struct reader *r, const cJSON *s, const char *path, struct scn_step *st, bool ok)
{
    if (!read_section_field(r, s, path, st, true))
        return false;
    r->sc->sections[st->value].closed = true;   /* later steps may no longer use the handle */
    return ok;
}

static mm_status run_close_section(struct replay *r, const struct scn_step *st, struct replay_result *res)
{
    (void)res;
    return mm_close_section(r->m, files_section_handle(r, (int)st->value));
}

static void describe_close_section(const struct scenario *sc, const struct scn_step *st, char *out, size_t size)
{
    snprintf(out, size, "close the handle of section '%s' (NtClose)", section_name(sc, st));
}

const struct op_row op_close_section = {
    .name = "close_section", .fields = {REQ("section")},
    .read = read_close_section, .run = run_close_section, .returns_status = true,
    .describe = describe_close_section,
};
