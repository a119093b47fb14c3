/*
 * seccase.c - the "sections" cases of a lab's checks: read strictly,
 * then run on a machine of their own (seccase.h).
 */
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "seccase.h"

#define SECCASE_PAGEFILE 256u   /* paging-file pages of the case's machine */

static const cJSON *member(const cJSON *n, const char *key) { return cJSON_GetObjectItemCaseSensitive(n, key); }

static bool read_protection(struct jread *j, const cJSON *n, const char *path, uint32_t *out)
{
    const char *s;
    char why[200];
    if (!jread_string(j, n, path, 80, &s))
        return false;
    if (!parse_protection(s, out, why, sizeof why)) {
        jread_error(j, n, false, path, "%s", why);
        return false;
    }
    return true;
}

/* NT's rules for a section's protection and a view's, which NtCreateSection
 * and NtMapViewOfSection enforce whatever engine runs the case: a case that
 * breaks them could only fail, so it is refused when it is read. */
static bool is_exec(uint32_t p) { return p & (PAGE_EXECUTE | PAGE_EXECUTE_READ | PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY); }
static bool is_write(uint32_t p) { return p & (PAGE_READWRITE | PAGE_EXECUTE_READWRITE); }

static bool check_section_protection(struct jread *j, const cJSON *n, const char *path, uint32_t p)
{
    static const uint32_t ok[] = {PAGE_READONLY,     PAGE_READWRITE,         PAGE_WRITECOPY,
                                  PAGE_EXECUTE_READ, PAGE_EXECUTE_READWRITE, PAGE_EXECUTE_WRITECOPY};
    for (unsigned i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (p == ok[i])
            return true;
    char name[80];
    jread_error(j, n, false, path,
                "NtCreateSection refuses a section of %s: expected PAGE_READONLY, PAGE_READWRITE, PAGE_WRITECOPY, "
                "PAGE_EXECUTE_READ, PAGE_EXECUTE_READWRITE or PAGE_EXECUTE_WRITECOPY",
                prot_name(prot_from_win32(p), name, sizeof name));
    return false;
}

static bool check_view_protection(struct jread *j, const cJSON *n, const char *path, uint32_t section, uint32_t view)
{
    char sname[80], vname[80];
    prot_name(prot_from_win32(section), sname, sizeof sname);
    prot_name(prot_from_win32(view), vname, sizeof vname);
    if (!is_exec(view) && !(view & (PAGE_READONLY | PAGE_READWRITE | PAGE_WRITECOPY))) {
        jread_error(j, n, false, path, "NtMapViewOfSection refuses a view of %s: a view gives access (PAGE_READONLY, "
                                       "PAGE_READWRITE, PAGE_WRITECOPY or an execute protection) and no modifier",
                    vname);
        return false;
    }
    if (view & ~0xFFu) {
        jread_error(j, n, false, path, "NtMapViewOfSection refuses a view of %s: a view takes no modifier "
                                       "(PAGE_GUARD, PAGE_NOCACHE)", vname);
        return false;
    }
    if ((is_write(view) && !is_write(section)) || (is_exec(view) && !is_exec(section))) {
        jread_error(j, n, false, path,
                    "NtMapViewOfSection refuses a %s view of a %s section (STATUS_SECTION_PROTECTION): a view may "
                    "write only if the section is writable, and execute only if the section is executable",
                    vname, sname);
        return false;
    }
    return true;
}

/* An array of 1..SECCASE_MAX_PAGES words. */
static bool read_words(struct jread *j, const cJSON *n, const char *path, uint32_t *out, uint32_t *count)
{
    int len = cJSON_IsArray(n) ? cJSON_GetArraySize(n) : -1;
    if (len < 1 || len > (int)SECCASE_MAX_PAGES) {
        jread_error(j, n, false, path, "expected an array of 1 to %u words, one a page", SECCASE_MAX_PAGES);
        return false;
    }
    bool ok = true;
    int i = 0;
    for (const cJSON *w = n->child; w; w = w->next, i++) {
        char sub[200];
        uint64_t v = 0;
        jpath_index(sub, sizeof sub, path, NULL, i);
        ok &= jread_number(j, w, sub, 0, 0xFFFFFFFFu, &v);
        out[i] = (uint32_t)v;
    }
    *count = (uint32_t)len;
    return ok;
}

static bool read_view_name(struct jread *j, const struct section_case *c, const cJSON *n, const char *path,
                           uint32_t *out)
{
    const char *s;
    if (!jread_string(j, n, path, SECCASE_NAME - 1, &s))
        return false;
    for (uint32_t v = 0; v < c->nviews; v++)
        if (strcmp(c->name[v], s) == 0) {
            *out = v;
            return true;
        }
    jread_error(j, n, false, path, "no view is mapped in a process '%s' (\"views\" names them)", s);
    return false;
}

static bool read_fault(struct jread *j, const cJSON *n, const char *path, int *out)
{
    const char *w;
    if (!jread_string(j, n, path, 40, &w))
        return false;
    for (unsigned k = 0; k < MM_FAULT_KIND_COUNT; k++)
        if (strcmp(w, mm_fault_kind_name((enum mm_fault_kind)k)) == 0) {
            *out = (int)k;
            return true;
        }
    char names[400] = "";
    for (unsigned k = 0; k < MM_FAULT_KIND_COUNT; k++)
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", k ? ", " : "",
                 mm_fault_kind_name((enum mm_fault_kind)k));
    jread_error(j, n, false, path, "'%.40s' is not a fault kind (%s)", w, names);
    return false;
}

static bool read_step(struct jread *j, const struct section_case *c, const cJSON *n, const char *path,
                      struct seccase_step *s)
{
    static const char *const keys[] = {"process", "page", "access", "value", "fault", "shared", "trim", "flush",
                                       "unmap", NULL};
    static const char *const ops[] = {"trim", "flush", "unmap"};
    if (!jread_object(j, n, path, keys))
        return false;
    char sub[200];
    s->fault = s->shared = -1;
    for (unsigned k = 0; k < 3; k++) {
        const cJSON *v = member(n, ops[k]);
        if (!v)
            continue;
        if (cJSON_GetArraySize(n) != 1) {
            jread_error(j, n, false, path, "a \"%s\" step has nothing else in it", ops[k]);
            return false;
        }
        s->op = (enum seccase_op)(SEC_TRIM + k);
        jpath(sub, sizeof sub, path, ops[k]);
        return read_view_name(j, c, v, sub, &s->view);
    }
    const cJSON *proc = member(n, "process"), *page = member(n, "page"), *access = member(n, "access"), *v;
    if (!proc || !page || !access) {
        jread_error(j, n, false, path, "a step is an access (\"process\", \"page\", \"access\") or one of "
                                       "\"trim\", \"flush\", \"unmap\"");
        return false;
    }
    s->op = SEC_ACCESS;
    jpath(sub, sizeof sub, path, "process");
    if (!read_view_name(j, c, proc, sub, &s->view))
        return false;
    uint64_t num;
    jpath(sub, sizeof sub, path, "page");
    if (!jread_number(j, page, sub, 0, c->pages - 1, &num))
        return false;
    s->page = (uint32_t)num;
    const char *a;
    jpath(sub, sizeof sub, path, "access");
    if (!jread_string(j, access, sub, 16, &a))
        return false;
    if (!strcmp(a, "read"))
        s->access = MM_ACCESS_READ;
    else if (!strcmp(a, "write"))
        s->access = MM_ACCESS_WRITE;
    else {
        jread_error(j, access, false, sub, "expected read or write");
        return false;
    }
    if ((v = member(n, "value"))) {
        jpath(sub, sizeof sub, path, "value");
        if (!jread_number(j, v, sub, 0, 0xFFFFFFFFu, &num))
            return false;
        s->has_value = true;
        s->value = (uint32_t)num;
    } else if (s->access == MM_ACCESS_WRITE) {
        jread_error(j, n, false, path, "a write needs the \"value\" it stores");
        return false;
    }
    if ((v = member(n, "fault"))) {
        jpath(sub, sizeof sub, path, "fault");
        if (!read_fault(j, v, sub, &s->fault))
            return false;
    }
    if ((v = member(n, "shared"))) {
        bool b;
        jpath(sub, sizeof sub, path, "shared");
        if (!jread_bool(j, v, sub, &b))
            return false;
        s->shared = b;
    }
    return true;
}

bool seccase_read(struct jread *j, const cJSON *n, const char *path, struct section_case *c)
{
    static const char *const keys[] = {"frames", "file", "pages", "protection", "views", "steps", "expect", NULL};
    static const char *const ekeys[] = {"file", "file_writes", NULL};
    memset(c, 0, sizeof *c);
    if (!jread_object(j, n, path, keys))
        return false;
    const cJSON *file = member(n, "file"), *pages = member(n, "pages"), *views = member(n, "views"),
                *steps = member(n, "steps"), *expect = member(n, "expect"), *v;
    char sub[200];
    uint64_t num;
    if (!views || !steps || (!file && !pages) || (file && pages)) {
        jread_error(j, n, false, path, "a sections case needs \"views\", \"steps\", and either \"file\" (its "
                                       "pages) or \"pages\" (a paging-file section)");
        return false;
    }
    c->frames = 64;
    if ((v = member(n, "frames"))) {
        jpath(sub, sizeof sub, path, "frames");
        if (!jread_number(j, v, sub, MM_MIN_FRAMES, 4096, &num))
            return false;
        c->frames = (uint32_t)num;
    }
    if (file) {
        jpath(sub, sizeof sub, path, "file");
        if (!read_words(j, file, sub, c->file_word, &c->pages))
            return false;
        c->has_file = true;
    } else {
        jpath(sub, sizeof sub, path, "pages");
        if (!jread_number(j, pages, sub, 1, SECCASE_MAX_PAGES, &num))
            return false;
        c->pages = (uint32_t)num;
    }
    c->protection = PAGE_WRITECOPY;
    if ((v = member(n, "protection"))) {
        jpath(sub, sizeof sub, path, "protection");
        if (!read_protection(j, v, sub, &c->protection) || !check_section_protection(j, v, sub, c->protection))
            return false;
    }
    jpath(sub, sizeof sub, path, "views");
    int nv = cJSON_IsObject(views) ? cJSON_GetArraySize(views) : -1;
    if (nv < 1 || nv > (int)SECCASE_MAX_VIEWS) {
        jread_error(j, views, false, sub, "expected an object of 1 to %u processes, each with its view's "
                                          "protection", SECCASE_MAX_VIEWS);
        return false;
    }
    const cJSON *dup;
    if (json_duplicates(views, &dup, 1)) {
        /* steps name a view by its process: two of one name could not be told apart */
        jread_error(j, dup, true, sub, "the process '%s' is given twice; each view needs a process of its own",
                    dup->string);
        return false;
    }
    for (const cJSON *w = views->child; w; w = w->next) {
        char vsub[200];
        jpath(vsub, sizeof vsub, sub, w->string);
        if (!w->string[0] || strlen(w->string) >= SECCASE_NAME) {
            jread_error(j, w, true, vsub, "a process name of 1 to %u bytes", SECCASE_NAME - 1);
            return false;
        }
        snprintf(c->name[c->nviews], SECCASE_NAME, "%s", w->string);
        if (!read_protection(j, w, vsub, &c->view_protection[c->nviews]) ||
            !check_view_protection(j, w, vsub, c->protection, c->view_protection[c->nviews]))
            return false;
        c->nviews++;
    }
    jpath(sub, sizeof sub, path, "steps");
    int ns = cJSON_IsArray(steps) ? cJSON_GetArraySize(steps) : -1;
    if (ns < 1 || ns > (int)SECCASE_MAX_STEPS) {
        jread_error(j, steps, false, sub, "expected an array of 1 to %u steps", SECCASE_MAX_STEPS);
        return false;
    }
    for (const cJSON *s = steps->child; s; s = s->next) {
        char ssub[200];
        jpath_index(ssub, sizeof ssub, path, "steps", (int)c->nsteps);
        if (!read_step(j, c, s, ssub, &c->step[c->nsteps]))
            return false;
        c->nsteps++;
    }
    /* a step on a view already unmapped could only fail, whatever the engine */
    for (uint32_t i = 0; i < c->nsteps; i++) {
        if (c->step[i].op != SEC_UNMAP)
            continue;
        for (uint32_t k = i + 1; k < c->nsteps; k++)
            if (c->step[k].view == c->step[i].view) {
                char ssub[200];
                jpath_index(ssub, sizeof ssub, path, "steps", (int)k);
                jread_error(j, cJSON_GetArrayItem(steps, (int)k), false, ssub,
                            "the view of '%s' is unmapped by step %u before it", c->name[c->step[k].view], i + 1);
                return false;
            }
    }
    if (expect) {
        jpath(sub, sizeof sub, path, "expect");
        if (!jread_object(j, expect, sub, ekeys))
            return false;
        if (!expect->child) {
            jread_error(j, expect, false, sub, "an expectation checks something: file or file_writes");
            return false;
        }
        if ((v = member(expect, "file"))) {
            jpath2(sub, sizeof sub, path, "expect", "file");
            if (!c->has_file) {
                jread_error(j, v, true, sub, "a paging-file section has no file to check");
                return false;
            }
            if (!read_words(j, v, sub, c->expect_file, &c->nexpect_file))
                return false;
            if (c->nexpect_file != c->pages) {
                jread_error(j, v, false, sub, "expected %u words, one for each page of the file", c->pages);
                return false;
            }
        }
        if ((v = member(expect, "file_writes"))) {
            jpath2(sub, sizeof sub, path, "expect", "file_writes");
            if (!c->has_file) {
                jread_error(j, v, true, sub, "a paging-file section has no file to check");
                return false;
            }
            if (!jread_range(j, v, sub, UINT32_MAX, &c->file_writes))
                return false;
        }
    }
    return true;
}

/* ---- Running ---- */

struct run {
    struct mm_machine *m;
    uint32_t section, file;
    uint32_t pid[SECCASE_MAX_VIEWS];
    mm_va base[SECCASE_MAX_VIEWS];
    bool mapped[SECCASE_MAX_VIEWS];
};

static bool setup(const struct section_case *c, struct run *r, const char *where)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = c->frames;
    cfg.pagefile_pages[0] = SECCASE_PAGEFILE;
    const char *why = NULL;
    r->m = mm_create(&cfg, &why);
    if (!r->m) {
        printf("%s: no machine of %u frames: %s\n", where, c->frames, why ? why : "?");
        return false;
    }
    mm_status s;
    r->file = MM_NO_FILE;
    if (c->has_file) {
        if ((s = mm_file_create(r->m, "lab.dat", c->pages, &r->file)) != STATUS_SUCCESS) {
            printf("%s: NtCreateFile: %s\n", where, mm_status_name(s));
            return false;
        }
        for (uint32_t i = 0; i < c->pages; i++)
            mm_file_write32(r->m, r->file, i * PAGE_SIZE, c->file_word[i]);
    }
    struct mm_section_params sp = {.name = "lab", .pages = c->has_file ? 0 : c->pages, .file = r->file,
                                   .protection = c->protection};
    if ((s = mm_create_section(r->m, &sp, &r->section)) != STATUS_SUCCESS) {
        printf("%s: NtCreateSection: %s\n", where, mm_status_name(s));
        return false;
    }
    for (uint32_t v = 0; v < c->nviews; v++) {
        uint32_t pages = 0;
        if ((s = mm_process_create(r->m, c->name[v], &r->pid[v])) != STATUS_SUCCESS ||
            (s = mm_map_view(r->m, r->pid[v], r->section, &r->base[v], 0, &pages, c->view_protection[v])) !=
                STATUS_SUCCESS) {
            printf("%s: mapping the view of %s: %s\n", where, c->name[v], mm_status_name(s));
            return false;
        }
        r->mapped[v] = true;
    }
    return true;
}

/* Does the process's page map the frame its prototype PTE names? */
static bool is_shared(const struct run *r, uint32_t view, uint32_t page)
{
    struct mm_walk w;
    mm_va proto_va;
    mm_pte proto;
    if (mm_walk(r->m, r->pid[view], r->base[view] + page * PAGE_SIZE, &w) != STATUS_SUCCESS || !w.valid ||
        !mm_proto_pte(r->m, r->section, page, &proto_va, &proto))
        return false;
    enum pte_form f = pte_classify(proto);
    return (f == PTE_FORM_VALID || f == PTE_FORM_TRANSITION) && pte_frame(proto) == w.frame;
}

static bool run_access(struct run *r, const struct seccase_step *s, const char *at)
{
    mm_va va = r->base[s->view] + s->page * PAGE_SIZE;
    uint32_t value = 0;
    mm_status st = s->access == MM_ACCESS_WRITE ? mm_write32(r->m, r->pid[s->view], va, s->value)
                                                : mm_read32(r->m, r->pid[s->view], va, &value);
    enum mm_fault_kind got = mm_last_fault(r->m)->kind;
    if (st == STATUS_ACCESS_VIOLATION)
        got = MM_FAULT_ACCESS_VIOLATION;
    bool ok = true;
    if (s->fault >= 0 && (int)got != s->fault) {
        printf("%s: fault: expected %s, found %s\n", at, mm_fault_kind_name((enum mm_fault_kind)s->fault),
               mm_fault_kind_name(got));
        ok = false;
    }
    bool refused = s->fault == MM_FAULT_ACCESS_VIOLATION;
    if (st != STATUS_SUCCESS && !refused) {
        printf("%s: the %s failed: %s\n", at, mm_access_name(s->access), mm_status_name(st));
        return false;
    }
    if (st == STATUS_SUCCESS && s->access == MM_ACCESS_READ && s->has_value && value != s->value) {
        printf("%s: read 0x%08X, expected 0x%08X\n", at, value, s->value);
        ok = false;
    }
    if (s->shared >= 0 && is_shared(r, s->view, s->page) != (s->shared == 1)) {
        printf("%s: the page %s the section's frame, expected it %s\n", at,
               is_shared(r, s->view, s->page) ? "maps" : "does not map", s->shared ? "to" : "not to");
        ok = false;
    }
    return ok;
}

static void step_text(const struct section_case *c, const struct seccase_step *s, char *buf, size_t size)
{
    static const char *const ops[] = {"", "trim", "flush", "unmap"};
    if (s->op == SEC_ACCESS)
        snprintf(buf, size, "%s %s page %u", c->name[s->view], s->access == MM_ACCESS_WRITE ? "writes" : "reads",
                 s->page);
    else
        snprintf(buf, size, "%s %s", ops[s->op], c->name[s->view]);
}

bool seccase_run(const struct section_case *c, const char *where)
{
    struct run r = {0};
    bool ok = setup(c, &r, where), ran = ok;   /* ran: to the end, every invariant holding */
    char msg[512], at[300], what[80];
    for (uint32_t i = 0; ran && i < c->nsteps; i++) {
        const struct seccase_step *s = &c->step[i];
        step_text(c, s, what, sizeof what);
        snprintf(at, sizeof at, "%s: step %u (%s)", where, i + 1, what);
        if (!r.mapped[s->view]) {
            printf("%s: the view is unmapped by then\n", at);
            ok = ran = false;
            break;
        }
        mm_status st = STATUS_SUCCESS;
        uint32_t written = 0;
        switch (s->op) {
        case SEC_ACCESS: ok &= run_access(&r, s, at); break;
        case SEC_TRIM: mm_trim(r.m, r.pid[s->view], 0xFFFFFFFFu); break;
        case SEC_FLUSH: st = mm_flush_view(r.m, r.pid[s->view], r.base[s->view], c->pages * PAGE_SIZE, &written); break;
        case SEC_UNMAP:
            st = mm_unmap_view(r.m, r.pid[s->view], r.base[s->view]);
            r.mapped[s->view] = st != STATUS_SUCCESS;
            break;
        }
        if (st != STATUS_SUCCESS) {
            printf("%s: %s\n", at, mm_status_name(st));
            ok = false;
        }
        if (!mm_check(r.m, msg, sizeof msg)) {
            printf("%s: an invariant is broken: %s\n", at, msg);
            ok = ran = false;
            break;
        }
    }
    if (ran && c->file_writes.set) {
        const char *name;
        uint32_t pages;
        uint64_t reads, writes;
        mm_file_info(r.m, r.file, &name, &pages, &reads, &writes);
        if (!jrange_holds(&c->file_writes, writes)) {
            char e[64];
            printf("%s: pages written to the file: expected %s, found %llu\n", where,
                   jrange_text(&c->file_writes, e, sizeof e), (unsigned long long)writes);
            ok = false;
        }
    }
    if (ran && c->nexpect_file) {
        /* what reaches the file: every view flushed (after file_writes is
         * counted), then the file read */
        for (uint32_t v = 0; v < c->nviews; v++) {
            uint32_t written;
            if (r.mapped[v])
                mm_flush_view(r.m, r.pid[v], r.base[v], c->pages * PAGE_SIZE, &written);
        }
        for (uint32_t i = 0; i < c->pages; i++) {
            uint32_t word = 0;
            mm_file_read32(r.m, r.file, i * PAGE_SIZE, &word);
            if (word != c->expect_file[i]) {
                printf("%s: after flushing every view, page %u of the file holds 0x%08X, expected 0x%08X\n", where,
                       i, word, c->expect_file[i]);
                ok = false;
            }
        }
    }
    if (r.m)
        mm_destroy(r.m);
    return ok;
}
