/*
 * files.c - the files a scenario declares ("files"), made in the simulated
 * file system before step 1, and the names by which steps and
 * expectations reach files and sections (see files.h).
 *
 *   "files": [{"name": "data.bin", "size": "16K", "pattern": "offset",
 *              "words": [{"offset": "0x1004", "value": "0xC0FFEE"}]}]
 *
 * A file's contents are built in three layers: zeros; then a fill word
 * ("fill") or a generated pattern ("pattern": "offset", each word holds
 * its own byte offset in the file; "page", each word holds its page
 * number); then the literal words.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "parse.h"

static const struct scn_field file_fields[] = {
    REQ("name"), REQ("size"), OPT("fill"), OPT("pattern"), OPT("words"), FIELDS_END,
};
static const struct scn_field word_fields[] = {REQ("offset"), REQ("value"), FIELDS_END};
static const char *const pattern_names[] = {"offset", "page"};   /* SCN_FILL_OFFSET, SCN_FILL_PAGE */

/* ---- reading "files" ---- */

static bool valid_file_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > SCN_FILE_NAME_MAX)
        return false;
    for (; *s; s++)
        if (!(('a' <= *s && *s <= 'z') || ('A' <= *s && *s <= 'Z') || ('0' <= *s && *s <= '9') || *s == '_' ||
              *s == '-' || *s == '.' || *s == '$'))
            return false;
    return true;
}

static int find_file(const struct scenario *sc, const char *name)
{
    for (uint32_t i = 0; i < sc->nfiles; i++)
        if (strcmp(sc->files[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* "name": new, well formed and not declared before. */
static bool read_file_name(struct reader *r, const cJSON *e, const char *path, struct scn_file *f)
{
    char p[READER_PATH];
    const char *name;
    const cJSON *n = reader_member(e, path, "name", p);
    if (!n) {
        reader_error(r, e, false, path, "a file needs \"name\"");
        return false;
    }
    if (!reader_string(r, n, p, 1000, &name))
        return false;
    if (!valid_file_name(name)) {
        reader_error(r, n, false, p, "file name '%.60s' must be 1 to %u letters, digits, '_', '-', '.' or '$'", name,
                     SCN_FILE_NAME_MAX);
        return false;
    }
    int other = find_file(r->sc, name);
    if (other >= 0) {
        reader_error(r, n, false, p, "a file named '%s' is declared twice (also $.files[%d])", name, other);
        return false;
    }
    return (f->name = strdup(name)) != NULL;
}

/* "size": whole pages, within what the machine's file system and the
 * scenario's limit on all files together allow. */
static bool read_file_size(struct reader *r, const cJSON *e, const char *path, uint32_t total,
                           struct scn_file *f)
{
    char p[READER_PATH];
    uint64_t bytes;
    const cJSON *n = reader_member(e, path, "size", p);
    if (!n) {
        reader_error(r, e, false, path, "a file needs \"size\"");
        return false;
    }
    if (!reader_number(r, n, p, PAGE_SIZE, (uint64_t)SCN_MAX_FILE_PAGES * PAGE_SIZE, true, &bytes))
        return false;
    if (bytes % PAGE_SIZE) {
        reader_error(r, n, false, p, "a file must be a whole number of 4 KiB pages");
        return false;
    }
    f->pages = (uint32_t)(bytes / PAGE_SIZE);
    uint64_t most = (uint64_t)r->sc->config.frames * 16u;
    if (f->pages > most) {
        reader_error(r, n, false, p, "a file of %u pages is larger than the file system allows on this machine "
                     "(16 times its %u frames: %llu pages)", f->pages, r->sc->config.frames, (unsigned long long)most);
        return false;
    }
    if (total + f->pages > SCN_MAX_FILE_PAGES) {
        reader_error(r, n, false, p, "the files would hold %u pages together, more than %u (16 MiB)", total + f->pages,
                     SCN_MAX_FILE_PAGES);
        return false;
    }
    return true;
}

/* "fill" or "pattern" (not both). */
static bool read_fill(struct reader *r, const cJSON *e, const char *path, struct scn_file *f)
{
    char p[READER_PATH];
    const cJSON *fill = reader_member(e, path, "fill", p), *pattern = json_member(e, "pattern");
    bool ok = true;
    if (fill && pattern) {
        reader_join(p, sizeof p, path, "pattern");
        reader_error(r, pattern, true, p, "give \"fill\" or \"pattern\", not both: each sets every word");
        return false;
    }
    if (fill && (ok = reader_u32(r, fill, p, 0, 0xFFFFFFFFu, &f->fill_word)))
        f->fill = SCN_FILL_WORD;
    if (pattern) {
        int k;
        reader_join(p, sizeof p, path, "pattern");
        if ((ok = reader_enum(r, pattern, p, pattern_names, 2, "pattern", &k)))
            f->fill = k == 0 ? SCN_FILL_OFFSET : SCN_FILL_PAGE;
    }
    return ok;
}

/* One literal word: {"offset": ..., "value": ...}, aligned, inside the
 * file (size_ok: the file's size is known), at an offset not given before. */
static bool read_word(struct reader *r, const cJSON *e, const char *path, const struct scn_file *f, bool size_ok,
                      struct scn_word *w)
{
    char p[READER_PATH];
    if (!reader_object(r, e, path, word_fields, "a word {\"offset\": ..., \"value\": ...}"))
        return false;
    const cJSON *off = reader_member(e, path, "offset", p), *val = json_member(e, "value");
    if (!off || !val) {
        reader_error(r, e, false, path, "a word needs \"offset\" and \"value\"");
        return false;
    }
    bool ok = reader_u32(r, off, p, 0, 0xFFFFFFFFu, &w->offset);
    if (ok && w->offset % 4) {
        reader_error(r, off, false, p, "offset 0x%X is not a multiple of 4 (words are 4-byte aligned)", w->offset);
        ok = false;
    } else if (ok && size_ok && (uint64_t)w->offset + 4 > (uint64_t)f->pages * PAGE_SIZE) {
        reader_error(r, off, false, p, "offset 0x%X is past the end of the file (0x%X bytes)", w->offset,
                     f->pages * PAGE_SIZE);
        ok = false;
    }
    for (uint32_t i = 0; ok && i < f->nwords; i++)
        if (f->words[i].offset == w->offset) {
            reader_error(r, off, false, p, "offset 0x%X is given twice (also at words[%u])", w->offset, i);
            ok = false;
        }
    reader_join(p, sizeof p, path, "value");
    return reader_u32(r, val, p, 0, 0xFFFFFFFFu, &w->value) && ok;
}

static bool read_words(struct reader *r, const cJSON *e, const char *path, struct scn_file *f, bool size_ok)
{
    char p[READER_PATH];
    const cJSON *n = reader_member(e, path, "words", p);
    if (!n)
        return true;
    if (!cJSON_IsArray(n)) {
        reader_error(r, n, false, p, "expected an array of words {\"offset\": ..., \"value\": ...}, found %s",
                     reader_type_name(n));
        return false;
    }
    int count = cJSON_GetArraySize(n);
    if (count > (int)SCN_MAX_FILE_WORDS) {
        reader_error(r, n, false, p, "too many words (%d, at most %u)", count, SCN_MAX_FILE_WORDS);
        return false;
    }
    if (!(f->words = calloc((size_t)count + 1, sizeof *f->words)))
        return false;
    bool ok = true;
    int i = 0;
    for (const cJSON *w = n->child; w; w = w->next, i++) {
        char q[READER_PATH + 16];   /* p is at most READER_PATH - 1 */
        snprintf(q, sizeof q, "%.*s[%d]", READER_PATH - 1, p, i);
        if (read_word(r, w, q, f, size_ok, &f->words[f->nwords]))
            f->nwords++;
        else
            ok = false;
    }
    return ok;
}

/* One entry of "files"; a file with a problem is left out of the table. */
static void read_file(struct reader *r, const cJSON *e, const char *path, uint32_t *total)
{
    struct scenario *sc = r->sc;
    struct scn_file f = {.fill = SCN_FILL_ZERO};
    if (!reader_object(r, e, path, file_fields, "a file"))
        return;
    bool ok = read_file_name(r, e, path, &f);
    bool size_ok = read_file_size(r, e, path, *total, &f);
    ok &= size_ok;
    ok &= read_fill(r, e, path, &f);
    ok &= read_words(r, e, path, &f, size_ok);
    if (!ok) {
        free(f.name);
        free(f.words);
        return;
    }
    *total += f.pages;
    sc->files[sc->nfiles++] = f;
}

bool files_read(struct reader *r, const cJSON *n)
{
    struct scenario *sc = r->sc;
    if (!cJSON_IsArray(n)) {
        reader_error(r, n, false, "$.files", "expected an array of files, found %s", reader_type_name(n));
        return false;
    }
    int count = cJSON_GetArraySize(n);
    if (count > (int)SCN_MAX_FILES) {
        reader_error(r, n, false, "$.files", "there may be at most %u files (the file system's limit), found %d",
                     SCN_MAX_FILES, count);
        return false;
    }
    if (!(sc->files = calloc((size_t)count + 1, sizeof *sc->files)))
        return false;
    uint32_t total = 0;
    int i = 0;
    for (const cJSON *e = n->child; e; e = e->next, i++) {
        char p[READER_PATH];
        snprintf(p, sizeof p, "$.files[%d]", i);
        read_file(r, e, p, &total);
    }
    return true;
}

void files_free(struct scenario *sc)
{
    for (uint32_t i = 0; i < sc->nfiles; i++) {
        free(sc->files[i].name);
        free(sc->files[i].words);
    }
    for (uint32_t i = 0; i < sc->nsections; i++)
        free(sc->sections[i].name);
    free(sc->files);
    free(sc->sections);
    sc->files = NULL;
    sc->sections = NULL;
    sc->nfiles = sc->nsections = 0;
}

/* ---- names of files and sections in steps and expectations ---- */

bool files_ref(struct reader *r, const cJSON *n, const char *path, int *out)
{
    const struct scenario *sc = r->sc;
    const char *name;
    if (!reader_string(r, n, path, SCN_FILE_NAME_MAX, &name))
        return false;
    if ((*out = find_file(sc, name)) >= 0)
        return true;
    const char *names[SCN_MAX_FILES];
    for (uint32_t i = 0; i < sc->nfiles; i++)
        names[i] = sc->files[i].name;
    const char *hint = parse_suggest(name, names, sc->nfiles);
    if (hint)
        reader_error(r, n, false, path, "unknown file '%s', did you mean '%s'?", name, hint);
    else
        reader_error(r, n, false, path, "unknown file '%s' (declare it under \"files\")", name);
    return false;
}

bool files_section_ref(struct reader *r, const cJSON *n, const char *path, bool open, int *out)
{
    const struct scenario *sc = r->sc;
    const char *name;
    if (!reader_string(r, n, path, SCN_MAX_NAME, &name))
        return false;
    for (uint32_t i = sc->nsections; i-- > 0;)
        if (strcmp(sc->sections[i].name, name) == 0) {
            if (open && sc->sections[i].closed) {
                reader_error(r, n, false, path, "the handle of section '%s' is closed by then (an earlier "
                             "close_section step); create it again to use the name", name);
                return false;
            }
            *out = (int)i;
            return true;
        }
    const char **names = malloc((sc->nsections + 1) * sizeof *names);
    const char *hint = NULL;
    if (names) {
        for (uint32_t i = 0; i < sc->nsections; i++)
            names[i] = sc->sections[i].name;
        hint = parse_suggest(name, names, sc->nsections);
    }
    if (hint)
        reader_error(r, n, false, path, "unknown section '%s', did you mean '%s'?", name, hint);
    else
        reader_error(r, n, false, path, "unknown section '%s' (create it with a create_section step first)", name);
    free(names);
    return false;
}

uint32_t files_section_pages(const struct scenario *sc, int section)
{
    const struct scn_section *s = &sc->sections[section];
    return s->pages ? s->pages : s->file >= 0 ? sc->files[s->file].pages : 0;
}

bool files_read_protection(struct reader *r, const cJSON *n, const char *path, uint32_t *out)
{
    return reader_protection_of(r, n, path, true, out);
}

/* ---- the replay: the files made, the sections' handles ---- */

/* The word at byte `offset` of file f before its literal words. */
static uint32_t fill_value(const struct scn_file *f, uint32_t offset)
{
    switch (f->fill) {
    case SCN_FILL_WORD: return f->fill_word;
    case SCN_FILL_OFFSET: return offset;
    case SCN_FILL_PAGE: return offset / PAGE_SIZE;
    default: return 0;
    }
}

static mm_status make_file(struct mm_machine *m, const struct scn_file *f, uint32_t *file)
{
    mm_status s = mm_file_create(m, f->name, f->pages, file);
    for (uint32_t off = 0; s == STATUS_SUCCESS && f->fill != SCN_FILL_ZERO && off < f->pages * PAGE_SIZE; off += 4)
        s = mm_file_write32(m, *file, off, fill_value(f, off));
    for (uint32_t i = 0; s == STATUS_SUCCESS && i < f->nwords; i++)
        s = mm_file_write32(m, *file, f->words[i].offset, f->words[i].value);
    return s;
}

bool replay_files_start(struct replay *r, char *err, size_t err_size)
{
    const struct scenario *sc = r->sc;
    r->file = calloc(sc->nfiles + 1, sizeof *r->file);
    r->section = calloc(sc->nsections + 1, sizeof *r->section);
    if (!r->file || !r->section)
        mm_host_exhausted(__func__, "the scenario's files");
    for (uint32_t i = 0; i < sc->nsections; i++)
        r->section[i] = MM_MAX_SECTIONS;
    for (uint32_t i = 0; i < sc->nfiles; i++) {
        mm_status s = make_file(r->m, &sc->files[i], &r->file[i]);
        if (s != STATUS_SUCCESS) {
            snprintf(err, err_size, "cannot make file %s: %s", sc->files[i].name,
                     mm_status_name(s) ? mm_status_name(s) : "error");
            return false;
        }
    }
    return true;
}

uint32_t files_section_handle(const struct replay *r, int section)
{
    struct mm_section_info info;
    uint32_t h = section >= 0 ? r->section[section] : MM_MAX_SECTIONS;
    /* the engine reuses a deleted section's handle: it is still this
     * section's only while the live one there has its name */
    if (h < MM_MAX_SECTIONS && mm_section_info(r->m, h, &info) &&
        strcmp(info.name, r->sc->sections[section].name) == 0)
        return h;
    return MM_MAX_SECTIONS;
}

int files_section_of_handle(const struct replay *r, uint32_t handle)
{
    for (uint32_t i = r->sc->nsections; i-- > 0;)
        if (r->section[i] == handle)
            return (int)i;
    return -1;
}
