/*
 * driver.c - the two passes over a set of traces: trace_prepare checks,
 * folds and looks ahead; trace_run builds a machine and sends every
 * reference through it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <sys/stat.h>
#include <unistd.h>

#include "driver.h"
#include "path.h"
#include "utf8.h"

#define USER_PAGES (0x80000000u >> 12)
#define NEVER UINT32_MAX
#define PROGRESS_EVERY 65536u

static void set_err(char *err, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
}

/* ---- The first pass ---- */

/* A name cut to fit at most `max` bytes, between characters (utf8_prefix),
 * into out. */
static void cut_name(char *out, const char *name, size_t max)
{
    size_t n = utf8_prefix(name, strlen(name), max);
    memcpy(out, name, n);
    out[n] = '\0';
}

static void base_name(const char *path, char *out, size_t size)
{
    cut_name(out, strcmp(path, "-") == 0 ? "stdin" : path + path_base_offset(path), size - 1);
}

/* Process `i`'s name: its file's base name, or, when an earlier process
 * has that name already (a/t.txt and b/t.txt, or two long names alike in
 * their first 31 characters), that name and "#N", N from i + 1 on. */
static void process_name(struct trace_set *set, uint32_t i, const char *path)
{
    char base[TRACE_NAME_MAX], *out = set->file[i].name;
    base_name(path, base, sizeof base);
    snprintf(out, TRACE_NAME_MAX, "%s", base);
    for (uint32_t n = i + 1;; n++) {
        bool taken = false;
        for (uint32_t k = 0; k < i && !taken; k++)
            taken = strcmp(set->file[k].name, out) == 0;
        if (!taken)
            return;
        char tag[16];
        int len = snprintf(tag, sizeof tag, "#%u", n);
        cut_name(out, base, TRACE_NAME_MAX - 1 - (size_t)len);   /* room left for the tag */
        memcpy(out + strlen(out), tag, (size_t)len + 1);
    }
}

/* The pages [addr, addr + size) touches, folded: 1 or 2, in va[]. False
 * when the trace needs a 127th region. */
static inline bool fold(struct trace_space *s, const struct trace_ref *ref, mm_va va[2], uint32_t *pages)
{
    uint64_t last = ref->addr + ref->size - 1;
    if (!space_map(s, ref->addr, &va[0]))
        return false;
    *pages = 1;
    if ((last >> 12) != (ref->addr >> 12)) {
        if (!space_map(s, last & ~0xFFFull, &va[1]))
            return false;
        *pages = 2;
    }
    return true;
}

struct lookahead {
    uint32_t *last;      /* per user page: index + 1 of its last reference, 0 for none */
    uint32_t *next;
    uint64_t capacity;
};

static bool look(struct lookahead *la, mm_va va, uint64_t index)
{
    if (index >= la->capacity) {
        uint64_t cap = la->capacity ? la->capacity * 2 : 1u << 16;
        if (cap > NEVER - 1)
            cap = NEVER - 1;
        if (index >= cap || cap > SIZE_MAX / sizeof *la->next)
            return false;           /* more references than this host can look ahead over */
        uint32_t *n = realloc(la->next, (size_t)cap * sizeof *n);
        if (!n)
            mm_host_exhausted(__func__, "OPT's look-ahead over the trace");
        la->next = n;
        la->capacity = cap;
    }
    uint32_t vpn = va >> 12;
    if (la->last[vpn])
        la->next[la->last[vpn] - 1] = (uint32_t)index;
    la->last[vpn] = (uint32_t)index + 1;
    la->next[index] = NEVER;
    return true;
}

/* The kind of access the engine is asked for: a modify (a load and a
 * store of the same bytes) is a write, an instruction fetch an execute. */
static enum mm_access_kind access_of(enum trace_access a)
{
    switch (a) {
    case TRACE_STORE:
    case TRACE_MODIFY: return MM_ACCESS_WRITE;
    case TRACE_FETCH: return MM_ACCESS_EXECUTE;
    default: return MM_ACCESS_READ;
    }
}

/* The copy of a trace's page numbers, folded (struct trace_file's copy),
 * collected a buffer at a time and written as 2 bytes each while they all
 * fit, else 4; always 4 for a trace whose references have kinds of access,
 * each word then as below. Any failure only drops the copy: the run then
 * reads the text again. */

/* A copy's word for a trace whose references are of several kinds (rw,
 * lackey): the folded page number in the low bits, the reference's enum
 * mm_access_kind in bits 30-31, and bit 29 set when it spans into a
 * second page too (a lackey reference across a page boundary): the next
 * page, or, with bit 28 set as well (a reference across a 16 MiB fold
 * whose two regions landed apart), the page of the word that follows,
 * which is no reference of its own. */
#define COPY_KIND_SHIFT 30u
#define COPY_SPANS      0x20000000u
#define COPY_APART      0x10000000u
#define COPY_PAGE       0x0FFFFFFFu   /* a folded page number is below 2^19 */
#ifndef COPY_WORDS
#define COPY_WORDS 16384u   /* a fuzz build makes it small, so that turns cross refills */
#endif

struct copier {
    FILE *out;
    uint32_t *buf;          /* the page numbers collected, 4 bytes each (wide) */
    uint16_t *half;         /* or 2 bytes each, while they fit */
    uint32_t n;
    bool wide;              /* 4 bytes each: a page number above 65535 was met, or kinds */
    bool kinds;             /* rw, lackey: words with the kind of access (COPY_KIND_SHIFT), 4 bytes each */
    bool off;               /* the copy was given up: a write failed */
};

static void copy_drop(struct copier *c)
{
    if (c->out)
        fclose(c->out);
    free(c->buf);
    free(c->half);
    c->out = NULL;
    c->buf = NULL;
    c->half = NULL;
    c->off = true;
}

static void copy_flush(struct copier *c)
{
    if (c->out && c->n) {
        size_t put = c->wide ? fwrite(c->buf, sizeof *c->buf, c->n, c->out)
                             : fwrite(c->half, sizeof *c->half, c->n, c->out);
        if (put != c->n)
            copy_drop(c);
    }
    c->n = 0;
}

/* From 2 bytes a page number to 4: what was written so far is read back
 * into a new copy. */
static void copy_widen(struct copier *c)
{
    copy_flush(c);
    FILE *wide = c->off ? NULL : trace_tmpfile();
    if (!wide || fflush(c->out) != 0 || fseek(c->out, 0, SEEK_SET) != 0) {
        if (wide)
            fclose(wide);
        copy_drop(c);
        return;
    }
    size_t got;
    while ((got = fread(c->half, sizeof *c->half, COPY_WORDS, c->out)) > 0) {
        for (size_t i = 0; i < got; i++)
            c->buf[i] = c->half[i];
        if (fwrite(c->buf, sizeof *c->buf, got, wide) != got)
            break;
    }
    bool ok = !ferror(c->out) && !ferror(wide) && feof(c->out);
    fclose(c->out);
    c->out = wide;
    c->wide = true;
    if (!ok)
        copy_drop(c);
}

/* At the first reference, when the format is known: false when there is
 * to be no copy. Page numbers and addresses (loads) are copied as page
 * numbers; rw and lackey references with their kinds of access. */
static bool copy_start(struct copier *c, const struct trace_reader *r)
{
    if (c->off)
        return false;
    if (!c->out && (!(c->buf = malloc(COPY_WORDS * sizeof *c->buf)) ||
                    !(c->half = malloc(COPY_WORDS * sizeof *c->half)) || !(c->out = trace_tmpfile())))
        copy_drop(c);
    c->kinds = c->wide = !c->off && (r->format == TRACE_RW || r->format == TRACE_LACKEY);
    return !c->off;
}

/* One word onto the copy. */
static inline void copy_word(struct copier *c, uint32_t word)
{
    c->buf[c->n++] = word;
    if (c->n == COPY_WORDS)
        copy_flush(c);
}

/* A reference onto the copy: folded to va[0], and to va[1] too when it
 * spans two pages (`pages`), its kind of access `access`. The copy holds
 * folded pages, so a trace's address anywhere in its 2^52 bytes is
 * copied; so is a reference across a 16 MiB fold whose second page is
 * not the one after its first (two words: see COPY_APART). Only a trace
 * with kinds spans pages, so only its copy holds such words. */
static inline void copy_page(struct copier *c, const struct trace_reader *r, const mm_va va[2], uint32_t pages,
                             enum mm_access_kind access)
{
    if (!c->out && !copy_start(c, r))   /* a copy given up has no out either */
        return;
    uint32_t vpn = va[0] >> 12;
    if (pages == 2 && !c->kinds) {   /* not met: page numbers and addrs are single bytes */
        copy_drop(c);
        return;
    }
    if (vpn > UINT16_MAX && !c->wide) {
        copy_widen(c);
        if (c->off)
            return;
    }
    uint32_t kind = (uint32_t)access << COPY_KIND_SHIFT;
    if (pages == 2 && va[1] != PAGE_ALIGN(va[0]) + PAGE_SIZE) {
        copy_word(c, vpn | kind | COPY_SPANS | COPY_APART);
        if (c->out)   /* the flush may have given the copy up */
            copy_word(c, va[1] >> 12 | kind);
        return;
    }
    if (c->wide)
        copy_word(c, c->kinds ? vpn | kind | (pages == 2 ? COPY_SPANS : 0) : vpn);
    else {
        c->half[c->n++] = (uint16_t)vpn;
        if (c->n == COPY_WORDS)
            copy_flush(c);
    }
}

/* copy_page for n folded page numbers of a batch at once. `half` is the
 * same page numbers narrowed to 2 bytes when all of them are below 65536,
 * else NULL: then the copy is widened first (its file holds one width). */
static void copy_pages(struct copier *c, const struct trace_reader *r, const uint32_t *pages, const uint16_t *half,
                       uint32_t n)
{
    if (!c->out && !copy_start(c, r))
        return;
    if (!half && !c->wide) {
        copy_widen(c);
        if (c->off)
            return;
    }
    while (n > 0) {
        uint32_t k = COPY_WORDS - c->n < n ? COPY_WORDS - c->n : n;
        if (c->wide)
            memcpy(c->buf + c->n, pages, k * sizeof *pages);
        else
            memcpy(c->half + c->n, half, k * sizeof *half);
        c->n += k;
        pages += k;
        half = half ? half + k : NULL;
        n -= k;
        if (c->n == COPY_WORDS) {
            copy_flush(c);
            if (c->off)   /* the write failed: the copy and its buffer are gone */
                return;
        }
    }
}

/* What the first pass keeps while it reads one trace. */
struct checker {
    struct trace_file *f;
    uint8_t *seen;            /* the pages met, a byte each (1: met) */
    struct lookahead la;      /* OPT's next uses, when asked */
    bool lookahead;
    struct copier copy;
    uint64_t touches, records;
    uint64_t digest;          /* trace_ref_digest's terms, so far */
    uint32_t distinct;
    char *err;
    size_t err_size;
};

/* One reference of the first pass, read from line `line`: folded (its
 * pages' addresses in va[0..*pages_out), one or two), its pages noted and
 * looked ahead. False with a message in c->err. */
static inline __attribute__((always_inline)) bool note_ref(struct checker *c, const struct trace_ref *ref,
                                                           uint64_t line, mm_va va[2], uint32_t *pages_out)
{
    struct trace_reader *r = &c->f->reader;
    uint32_t pages;
    if (!fold(&c->f->space, ref, va, &pages)) {
        char what[64];   /* a page-number trace's reference as its line gives it */
        if (r->format == TRACE_PAGES)
            snprintf(what, sizeof what, "page %llu (address 0x%llx)", (unsigned long long)(ref->addr >> 12),
                     (unsigned long long)ref->addr);
        else
            snprintf(what, sizeof what, "address 0x%llx", (unsigned long long)ref->addr);
        set_err(c->err, c->err_size,
                "%s:%llu: %s is in a 127th distinct 16 MiB region of the trace; an i386 process has room for 126",
                r->shown, (unsigned long long)line, what);
        return false;
    }
    for (uint32_t k = 0; k < pages; k++) {
        uint32_t vpn = va[k] >> 12;
        if (!c->seen[vpn]) {   /* a page seen before had its granule and table noted */
            c->seen[vpn] = 1;
            c->distinct++;
            space_note(&c->f->space, va[k]);
        }
        if (c->lookahead && !look(&c->la, va[k], c->touches)) {
            set_err(c->err, c->err_size, "%s:%llu: OPT looks ahead over at most %u page references",
                    r->shown, (unsigned long long)line, NEVER - 2);
            return false;
        }
        c->touches++;
    }
    *pages_out = pages;
    return true;
}

/* note_ref, and the reference copied and counted. Inline in both of
 * check_file's loops (a call would keep c in memory). */
static inline __attribute__((always_inline)) bool check_ref(struct checker *c, const struct trace_ref *ref,
                                                            uint64_t line)
{
    mm_va va[2];
    uint32_t pages;
    if (!note_ref(c, ref, line, va, &pages))
        return false;
    copy_page(&c->copy, &c->f->reader, va, pages, access_of(ref->access));
    c->digest += trace_ref_digest(ref->addr, ref->size, ref->access, c->records);
    c->records++;
    return true;
}

#define CHECK_BATCH 256u   /* lines read and checked at a time */

/* check_page_lines for a page it cannot count alone, batch[i] (from line
 * line + i): note_ref, and the page number folded in place. Not inline:
 * it is rare, and the loop keeps its own state in registers without it. */
static __attribute__((noinline)) bool check_new_page(struct checker *c, uint32_t *batch, uint32_t i, uint64_t line)
{
    struct trace_ref ref = {.addr = (uint64_t)batch[i] << 12, .size = 1, .access = TRACE_LOAD};
    mm_va va[2];
    uint32_t pages;
    if (!note_ref(c, &ref, line + i, va, &pages))
        return false;
    batch[i] = va[0] >> 12;
    return true;
}

/* check_ref for up to CHECK_BATCH of a page-number trace's commonest
 * lines (trace_short_page's), read where they lie in the reader's buffer,
 * when OPT does not look ahead: a page in the region of the last lookup,
 * seen before, needs nothing but counting (the commonest case by far), and
 * any other goes through note_ref; the folded page numbers are copied at
 * once. One loop reads and checks each line, its state in locals.
 * Returns how many lines it took (0: the next line needs trace_next), or
 * -1 with a message in c->err. */
static __attribute__((noinline)) int check_page_lines(struct checker *c, struct trace_reader *r)
{
#ifdef TRACE_SHORT_PAGES
    const char *last, *start = trace_short_pages_at(r, &last), *at = start;
    if (!start)
        return 0;
    const struct trace_space *s = &c->f->space;
    const uint8_t *seen = c->seen;
    uint32_t n = 0, noted = 0, base, any = 0, page;   /* space_map's cache, in locals: note_ref alone changes it */
    uint64_t from = space_cached_pages(s, &base);
    uint32_t batch[CHECK_BATCH];   /* the folded page numbers, for the copy */
    uint16_t half[CHECK_BATCH];    /* and narrowed */
    uint64_t digest = 0, odd = 2 * c->records + 1;   /* trace_ref_term's, for reference n */
    unsigned used;
    while (n < CHECK_BATCH && at <= last && (used = trace_short_page(at, &page))) {
        at += used;
        digest += trace_ref_term((uint64_t)page << 12, 1, TRACE_LOAD, odd);
        odd += 2;
        uint64_t off = page - from;
        uint32_t vpn = base + (uint32_t)off;
        if (!(off < SPACE_REGION_PAGES && seen[vpn])) {
            batch[n] = page;
            if (!check_new_page(c, batch, n, r->line + 1))
                return -1;
            noted++;
            from = space_cached_pages(s, &base);
            vpn = batch[n];
        }
        batch[n] = vpn;
        half[n] = (uint16_t)vpn;
        any |= vpn;
        n++;
    }
    trace_short_pages_taken(r, at, n);
    c->touches += n - noted;   /* note_ref counted its own */
    c->digest += digest;
    copy_pages(&c->copy, r, batch, any > UINT16_MAX ? NULL : half, n);
    c->records += n;
    return (int)n;
#else
    (void)c;
    (void)r;
    return 0;
#endif
}

/* check_ref for a batch of n rw or lackey references, the first from
 * line `line`, when OPT does not look ahead: a reference within one page,
 * in a region placed before (space_hinted), to a page seen before, while the copy
 * with kinds is being written, needs only its copy word, its digest term
 * and counting (the commonest case by far); any other goes through
 * check_ref. */
static __attribute__((noinline)) bool check_refs(struct checker *c, const struct trace_ref *refs, uint32_t n,
                                                 uint64_t line)
{
    const struct trace_space *s = &c->f->space;
    const uint8_t *seen = c->seen;
    struct copier *cp = &c->copy;
    /* the copier's state in locals: only check_ref and copy_flush change it */
    uint32_t *buf = cp->buf, at = cp->n;
    uint64_t first = c->records, digest = 0, quick = 0;
    bool copying = cp->out && cp->kinds;
    for (uint32_t i = 0; i < n; i++) {
        const struct trace_ref *ref = &refs[i];
        mm_va va;
        if (copying && ((ref->addr ^ (ref->addr + ref->size - 1)) >> 12) == 0 &&
            space_hinted(s, ref->addr, &va) && seen[va >> 12]) {
            buf[at++] = va >> 12 | (uint32_t)access_of(ref->access) << COPY_KIND_SHIFT;
            digest += trace_ref_digest(ref->addr, ref->size, ref->access, first + i);
            quick++;
            if (at == COPY_WORDS) {
                cp->n = at;
                copy_flush(cp);
                at = cp->n;
                copying = cp->out != NULL;
            }
            continue;
        }
        cp->n = at;
        c->records = first + i;
        if (!check_ref(c, ref, line + i)) {
            c->touches += quick;   /* the counts kept whole, though the pass ends here */
            c->digest += digest;
            return false;
        }
        buf = cp->buf;
        at = cp->n;
        copying = cp->out && cp->kinds;
    }
    cp->n = at;
    c->records = first + n;
    c->touches += quick;
    c->digest += digest;
    return true;
}

/* Who is told how far check_file has read (trace_prepare's reading). */
struct watch {
    trace_reading_fn fn;
    void *ctx;
    uint32_t file, files;
};

static void tell_reading(const struct watch *w, const struct trace_reader *r, uint64_t records)
{
    struct trace_reading at = {.shown = r->shown, .file = w->file, .files = w->files, .bytes = r->offset,
                               .size = r->spool ? 0 : r->size, .references = records};
    struct stat st;   /* a file that grew since it was opened: its size now */
    if (at.size && at.bytes >= at.size && fstat(fileno(r->in), &st) == 0 &&
        (uint64_t)st.st_size > r->start + at.size)
        at.size = (uint64_t)st.st_size - r->start;
    w->fn(w->ctx, &at);
}

static bool check_file(struct trace_file *f, bool lookahead, const struct watch *w, char *err, size_t err_size)
{
    struct trace_reader *r = &f->reader;
    /* counted in a local: the stores to seen[] (bytes) cannot alias it */
    struct checker c = {.f = f, .lookahead = lookahead, .err = err, .err_size = err_size};
    c.seen = calloc(USER_PAGES, 1);   /* untouched, the host's zero pages */
    if (!c.seen)
        mm_host_exhausted(__func__, "the bitmap of a trace's pages");
    if (lookahead && !(c.la.last = calloc(USER_PAGES, sizeof *c.la.last)))
        mm_host_exhausted(__func__, "OPT's look-ahead over the trace");
    space_init(&f->space);
    struct trace_ref ref;
    int got = 1;
    bool ok = true;
    uint32_t batch[CHECK_BATCH];
    struct trace_ref refs[CHECK_BATCH];
    uint64_t tell_at = PROGRESS_EVERY;   /* the next multiple of it that c.records reaches */
    while (ok) {
        if (c.records >= tell_at && w->fn) {
            tell_reading(w, r, c.records);
            tell_at = (c.records / PROGRESS_EVERY + 1) * PROGRESS_EVERY;
        }
        /* the common lines of a page-number trace a batch at a time, the
           others (and those at the buffer's end) one at a time */
        uint32_t n = 0;
        if (!lookahead) {
            int k = check_page_lines(&c, r);
            ok = k >= 0;
            n = k > 0 ? (uint32_t)k : 0;
        } else {
            n = trace_next_pages(r, batch, CHECK_BATCH);
        }
        for (uint32_t i = 0; ok && lookahead && i < n; i++) {
            ref = (struct trace_ref){.addr = (uint64_t)batch[i] << 12, .size = 1, .access = TRACE_LOAD};
            ok = check_ref(&c, &ref, r->line - (n - 1 - i));
        }
        /* and an rw or lackey trace's likewise */
        uint32_t m = n ? 0 : trace_next_refs(r, refs, CHECK_BATCH);
        if (m > 0 && !lookahead)
            ok = check_refs(&c, refs, m, r->line - (m - 1));
        for (uint32_t i = 0; ok && lookahead && i < m; i++)
            ok = check_ref(&c, &refs[i], r->line - (m - 1 - i));
        if (!ok || n == CHECK_BATCH || m == CHECK_BATCH)
            continue;
        if ((got = trace_next(r, &ref)) <= 0)
            break;
        ok = check_ref(&c, &ref, r->line);
    }
    f->touches = c.touches;
    f->records = c.records;
    f->digest = c.digest;
    f->pages = c.distinct;
    if (ok && got < 0) {
        set_err(err, err_size, "%s", r->error);
        ok = false;
    }
    if (ok && f->records == 0) {
        set_err(err, err_size, "%s: the trace holds no references", r->shown);
        ok = false;
    }
    struct stat st;
    if (ok && !r->spool && fstat(fileno(r->in), &st) == 0 && S_ISREG(st.st_mode))
        f->bytes = (uint64_t)st.st_size;
    if (ok && !trace_rewind(r)) {
        set_err(err, err_size, "%s", r->error);
        ok = false;
    }
    f->seen = c.seen;   /* the run checks each page against it */
    free(c.la.last);
    f->next = c.la.next;
    copy_flush(&c.copy);
    if (ok && c.copy.out && fflush(c.copy.out) == 0) {
        f->copy = c.copy.out;
        f->copy_wide = c.copy.wide;
        f->copy_kinds = c.copy.kinds;
        c.copy.out = NULL;
    }
    copy_drop(&c.copy);
    return ok;
}

/* A pipe or a device can be read once: named twice (a FIFO, or /dev/stdin
 * beside '-'), the second open would wait for a writer that never comes,
 * or find nothing left. False with a sentence for the first such pair. A
 * regular file may be given twice: two processes run the same trace. */
static bool distinct_streams(const char *const *paths, uint32_t count, char *err, size_t err_size)
{
#ifndef _WIN32   /* its stat has no inode numbers to compare */
    for (uint32_t i = 0; i < count; i++) {
        struct stat a;
        if (!trace_stat(paths[i], &a) || !(S_ISFIFO(a.st_mode) || S_ISCHR(a.st_mode) || S_ISSOCK(a.st_mode)))
            continue;   /* a regular file, a directory (refused when opened), a name not there */
        for (uint32_t j = i + 1; j < count; j++) {
            struct stat b;
            if (trace_stat(paths[j], &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
                set_err(err, err_size, "%s and %s are the same %s, which can be read only once",
                        strcmp(paths[i], "-") ? paths[i] : "standard input ('-')",
                        strcmp(paths[j], "-") ? paths[j] : "standard input ('-')",
                        S_ISFIFO(a.st_mode) ? "pipe" : S_ISCHR(a.st_mode) ? "device" : "socket");
                return false;
            }
        }
    }
#else
    (void)paths, (void)count, (void)err, (void)err_size;
#endif
    return true;
}

bool trace_prepare(struct trace_set *set, const char *const *paths, uint32_t count, enum trace_format format,
                   bool lookahead, trace_reading_fn reading, void *reading_ctx, char *err, size_t err_size)
{
    memset(set, 0, sizeof *set);
    if (count == 0 || count > TRACE_MAX_FILES) {
        set_err(err, err_size, "give 1 to %u trace files", TRACE_MAX_FILES);
        return false;
    }
    uint32_t stdin_uses = 0;
    for (uint32_t i = 0; i < count; i++)
        stdin_uses += strcmp(paths[i], "-") == 0;
    if (stdin_uses > 1) {
        set_err(err, err_size, "standard input ('-') can be given only once");
        return false;
    }
    struct stat st;
    if (stdin_uses && fstat(STDIN_FILENO, &st) != 0) {   /* before a file opened takes its descriptor */
        set_err(err, err_size, "-: cannot read standard input: %s", strerror(errno));
        return false;
    }
    if (!distinct_streams(paths, count, err, err_size))
        return false;
    set->file = calloc(count, sizeof *set->file);
    if (!set->file)
        mm_host_exhausted(__func__, "the list of traces");
    set->lookahead = lookahead;
    for (uint32_t i = 0; i < count; i++) {
        struct trace_file *f = &set->file[i];
        if (!trace_open(&f->reader, paths[i], format, err, err_size)) {
            trace_set_free(set);
            return false;
        }
        set->count = i + 1;
        process_name(set, i, paths[i]);
        struct watch w = {reading, reading_ctx, i, count};
        if (!check_file(f, lookahead, &w, err, err_size)) {
            trace_set_free(set);
            return false;
        }
    }
    return true;
}

void trace_set_free(struct trace_set *set)
{
    for (uint32_t i = 0; set->file && i < set->count; i++) {
        trace_close(&set->file[i].reader);
        free(set->file[i].next);
        free(set->file[i].seen);
        if (set->file[i].copy)
            fclose(set->file[i].copy);
    }
    free(set->file);
    memset(set, 0, sizeof *set);
}

uint64_t trace_line_of(const struct trace_set *set, uint32_t file, uint64_t record)
{
    const struct trace_reader *was = &set->file[file].reader;
    struct trace_reader r;
    char err[64];
    if (was->spool ? !trace_open_spooled(&r, was) : !trace_open(&r, was->name, was->asked, err, sizeof err))
        return 0;
    struct trace_ref ref;
    uint64_t line = 0;
    for (uint64_t i = 0; i <= record; i++)
        if (trace_next(&r, &ref) <= 0)
            break;
        else if (i == record)
            line = r.line;
    trace_close(&r);
    return line;
}

uint64_t trace_address(const struct trace_set *set, uint32_t file, mm_va va)
{
    return space_unmap(&set->file[file].space, va);
}

/* ---- Sizing the machine ---- */

static uint32_t own_pages(const struct trace_file *f, uint32_t cache)
{
    return (cache < f->pages ? cache : f->pages) + f->space.tables + 3u;
}

uint32_t trace_frames_needed(const struct trace_set *set, uint32_t cache)
{
    /* Without a cache the engine trims any data page to make room, but a
     * page table stays while a PTE in it is valid or in transition, so all
     * of them may be resident at once; then the two pages of a reference
     * that straddles a page boundary need frames. */
    uint64_t need = cache ? 16 : 2;
    for (uint32_t i = 0; i < set->count; i++)
        need += own_pages(&set->file[i], cache);
    if (need < MM_MIN_FRAMES)
        need = MM_MIN_FRAMES;
    return need > UINT32_MAX ? UINT32_MAX : (uint32_t)need;
}

/* Every page the traces commit (64 KiB at a time) and every page table:
 * all of them may be written to the paging file. */
static uint64_t pages_to_back(const struct trace_set *set)
{
    uint64_t pages = 0;
    for (uint32_t i = 0; i < set->count; i++)
        pages += (uint64_t)set->file[i].space.chunks * 16u + set->file[i].space.tables;
    return pages;
}

/* The paging file: room for every page to back, and 256 to spare, up to the
 * largest one a machine may have. */
static uint32_t pagefile_size(const struct trace_set *set)
{
    uint64_t pf = pages_to_back(set) + 256;
    return pf > MM_MAX_PAGEFILE_PAGES ? MM_MAX_PAGEFILE_PAGES : (uint32_t)pf;
}

/* The fewest frames with which memory and the paging file together hold
 * every page to back (its slot 0 is never used), beside what must stay
 * resident; below trace_frames_needed when the paging file holds them all. */
static uint64_t frames_to_back(const struct trace_set *set, uint32_t cache)
{
    uint64_t pages = pages_to_back(set), pf = pagefile_size(set) - 1u;
    return pages > pf ? pages - pf + trace_frames_needed(set, cache) : 0;
}

uint32_t trace_frames_default(const struct trace_set *set, uint32_t cache)
{
    uint64_t need = trace_frames_needed(set, cache);
    uint64_t frames = cache ? need + (need / 2 > 64 ? need / 2 : 64) : need > 4096 ? need : 4096;
    if (frames < frames_to_back(set, cache))
        frames = frames_to_back(set, cache);
    return frames > MM_MAX_FRAMES ? MM_MAX_FRAMES : (uint32_t)frames;
}

enum trace_fit trace_fit(const struct trace_set *set, const struct trace_options *o, char *err, size_t err_size)
{
    if (o->cache > TRACE_MAX_CACHE) {
        set_err(err, err_size, "the cache may hold at most %u pages", TRACE_MAX_CACHE);
        return TRACE_NEEDS_TOO_MANY;
    }
    uint32_t need = trace_frames_needed(set, o->cache);
    uint32_t frames = o->frames ? o->frames : trace_frames_default(set, o->cache);
    char what[64] = "these traces";
    if (o->cache)
        snprintf(what, sizeof what, "a cache of %u page%s over these traces", o->cache, o->cache == 1 ? "" : "s");
    if (need > MM_MAX_FRAMES) {
        set_err(err, err_size, "%s needs %u frames; a machine has at most %u", what, need, MM_MAX_FRAMES);
        return TRACE_NEEDS_TOO_MANY;
    }
    uint64_t back = frames_to_back(set, o->cache);
    if (frames < need && back <= need) {   /* else the paging file's minimum, below, is the larger */
        set_err(err, err_size, "%u frames are too few for %s: with their page tables, 3 locked pages per process "
                "and %s they need at least %u", frames, what,
                o->cache ? "16 frames to spare" : "2 for a reference that straddles two pages", need);
        return TRACE_TOO_FEW_FRAMES;
    }
    if (frames < back) {
        set_err(err, err_size, "these traces commit %llu pages with their page tables, more than the largest paging "
                "file (%u pages) holds: %s needs at least %llu frames beside it%s",
                (unsigned long long)pages_to_back(set), MM_MAX_PAGEFILE_PAGES, o->cache ? what : "the run",
                (unsigned long long)back, back > MM_MAX_FRAMES ? ", more than a machine has" : "");
        return back > MM_MAX_FRAMES ? TRACE_NEEDS_TOO_MANY : TRACE_TOO_FEW_FRAMES;
    }
    return TRACE_FITS;
}

/* ---- The second pass ---- */

struct proc {
    struct trace_file *f;
    uint32_t file;
    uint32_t pid;
    bool copied;              /* runs from f->copy, not the text */
    uint32_t *pages;          /* a buffer of the copy's page numbers, 4 bytes each (f->copy_wide) */
    uint16_t *half;           /* or 2 bytes each (!f->copy_wide) */
    size_t have, at;
    uint64_t copy_at;         /* bytes of f->copy read so far */
    uint64_t touch;           /* page references so far, the index into f->next */
    uint64_t digest;          /* of the references read from the text again, so far */
    bool done;
    uint8_t committed[SPACE_CHUNKS / 8];
    uint32_t commits;         /* granules committed: all of them at f->space.chunks */
    struct trace_process_result *res;
};

/* What the event sink gathers for one reference (per-reference output only). */
struct detail {
    struct trace_step step;
    bool tlb_seen[2];
};

struct run {
    struct trace_set *set;
    struct mm_machine *m;
    const struct trace_options *o;
    bool opt;
    uint32_t since_tick;
    uint64_t ticks;
    struct detail d;
    bool changed;   /* a trace read again is not what the first pass read */
    char *err;
    size_t err_size;
};

static void sink(void *ctx, const struct mm_event *ev)
{
    struct detail *d = ctx;
    struct trace_step *s = &d->step;
    switch (ev->kind) {
    case MM_EV_TLB:
        for (uint32_t k = 0; k < s->pages; k++)
            if (!d->tlb_seen[k] && PAGE_ALIGN(ev->u.tlb.va) == s->va[k]) {
                d->tlb_seen[k] = true;
                s->tlb_hit[k] = ev->u.tlb.hit;
            }
        break;
    case MM_EV_WSLE:
        if (!ev->u.wsle.inserted && ev->u.wsle.why == MM_WS_REPLACE && s->victims < 4) {
            s->victim[s->victims] = ev->u.wsle.va;
            s->victim_to[s->victims++] = MM_LIST_COUNT;
        }
        break;
    case MM_EV_PAGE_MOVE:
        if (ev->u.move.from == ActiveAndValid && ev->u.move.why == MOVE_REPLACE && s->victims > 0)
            s->victim_to[s->victims - 1] = ev->u.move.to;
        break;
    case MM_EV_PAGEFILE:
        if (ev->u.io.write && !ev->u.io.freed && !ev->u.io.extended)
            s->written++;
        break;
    default:
        break;
    }
}

/* The line of the reference being run, for a message. */
static unsigned long long line_now(const struct run *r, const struct proc *p)
{
    if (p->copied)
        return (unsigned long long)trace_line_of(r->set, p->file, p->res->records);
    return (unsigned long long)p->f->reader.line;
}

static bool commit(struct run *r, struct proc *p, mm_va va)
{
    uint32_t c = va >> 16;
    if (space_bit(p->committed, c))
        return true;
    mm_va base = va & ~0xFFFFu;
    uint32_t size = 0x10000u;
    mm_status s = mm_allocate(r->m, p->pid, &base, &size, MEM_RESERVE | MEM_COMMIT, PAGE_EXECUTE_READWRITE);
    if (s != STATUS_SUCCESS) {
        set_err(r->err, r->err_size, "%s:%llu: committing 64 KiB at 0x%llx (simulated at 0x%08X) for the "
                "reference failed: %s", p->f->reader.shown, line_now(r, p),
                (unsigned long long)space_unmap(&p->f->space, base), base, mm_status_name(s));
        return false;
    }
    p->committed[c >> 3] = (uint8_t)(p->committed[c >> 3] | 1u << (c & 7u));
    p->commits++;
    return true;
}

/* Count one page reference's outcome. */
static inline void count(struct run *r, struct proc *p, mm_va va, enum mm_fault_kind fault,
                         enum mm_fault_kind table)
{
    struct trace_process_result *res = p->res;
    if (fault == MM_FAULT_NONE) {
        res->hits++;
    } else {
        res->misses++;
        res->fault[fault]++;
    }
    res->table_fault[table]++;
    if (r->opt) {
        uint32_t next = p->f->next[p->touch];
        mm_set_next_use(r->m, p->pid, va, next == NEVER ? UINT64_MAX : next);
    }
    p->touch++;
    res->touches++;
    if (r->o->tick && ++r->since_tick >= r->o->tick) {
        r->since_tick = 0;
        r->ticks++;
        mm_tick(r->m, 1);
    }
}

static bool refused(struct run *r, struct proc *p, mm_va va, mm_status s)
{
    set_err(r->err, r->err_size, "%s:%llu: the engine refused the reference to 0x%llx (simulated at 0x%08X): %s",
            p->f->reader.shown, line_now(r, p),
            (unsigned long long)space_unmap(&p->f->space, va), va, mm_status_name(s));
    return false;
}

/* The text read again holds a reference the first pass did not read (the
 * file changed in between): the machine was sized, and OPT's next uses
 * worked out, for what the first pass read, so the run stops. */
static bool changed(struct run *r, struct proc *p)
{
    set_err(r->err, r->err_size, "%s:%llu: the trace changed while it was read: this reference is not one the "
            "first pass checked; run again on a file that stays as it is",
            p->f->reader.shown, line_now(r, p));
    r->changed = true;
    return false;
}

/* A reference across a 16 MiB fold whose regions landed apart, its pages
 * at va[0] and va[1], as the text's reference() and the copy's run_apart
 * both run it. SIMPLIFIED: two references, one to each page, so that the
 * first is not pinned while the second comes in (mm_touch keeps it only
 * for pages side by side); no byte moves, so one byte of each page does.
 * *t gets both pages' faults, as an mm_touch over two pages gives them. */
static mm_status touch_apart(struct run *r, const struct proc *p, const mm_va va[2], enum mm_access_kind access,
                             struct mm_touch *t)
{
    struct mm_touch second;
    mm_status s = mm_touch(r->m, p->pid, va[0], 1, access, t);
    if (s == STATUS_SUCCESS)
        s = mm_touch(r->m, p->pid, va[1], 1, access, &second);
    if (s == STATUS_SUCCESS) {
        t->pages = 2;
        t->fault[1] = second.fault[0];
        t->table_fault[1] = second.table_fault[0];
    }
    return s;
}

/* Pages va[0..pages) of p's next reference are among those the first pass
 * saw, and no more page references than it counted. */
static bool as_checked(const struct proc *p, const mm_va *va, uint32_t pages)
{
    if (p->touch + pages > p->f->touches)
        return false;
    for (uint32_t k = 0; k < pages; k++)
        if (!p->f->seen[va[k] >> 12])
            return false;
    return true;
}

static bool reference(struct run *r, struct proc *p, const struct trace_ref *ref, bool detail)
{
    mm_va va[2];
    uint32_t pages;
    if (!fold(&p->f->space, ref, va, &pages))
        return changed(r, p);
    if (!as_checked(p, va, pages))   /* the text read again (the copy runs in run_copied) */
        return changed(r, p);
    for (uint32_t k = 0; k < pages; k++)
        if (!commit(r, p, va[k]))
            return false;
    enum mm_access_kind access = access_of(ref->access);
    struct mm_touch t;
    if (detail) {
        memset(&r->d, 0, sizeof r->d);
        r->d.step.pages = pages;
        r->d.step.va[0] = PAGE_ALIGN(va[0]);
        r->d.step.va[1] = pages == 2 ? PAGE_ALIGN(va[1]) : 0;
    }
    if (pages == 1 || va[1] == PAGE_ALIGN(va[0]) + PAGE_SIZE) {
        mm_status s = mm_touch(r->m, p->pid, va[0], ref->size, access, &t);
        if (s != STATUS_SUCCESS)
            return refused(r, p, va[0], s);
    } else {
        mm_status s = touch_apart(r, p, va, access, &t);
        if (s != STATUS_SUCCESS)
            return refused(r, p, va[0], s);
    }
    for (uint32_t k = 0; k < pages; k++)
        count(r, p, PAGE_ALIGN(va[k]), t.fault[k], t.table_fault[k]);
    p->res->records++;
    if (detail) {
        struct trace_step *s = &r->d.step;
        s->pid = p->pid;
        s->record = p->res->records;
        s->line = p->f->reader.line;
        s->ref = *ref;
        for (uint32_t k = 0; k < pages; k++) {
            s->fault[k] = t.fault[k];
            s->table_fault[k] = t.table_fault[k];
            struct mm_walk w;
            if (mm_walk(r->m, p->pid, s->va[k], &w) == STATUS_SUCCESS && w.valid)
                s->frame[k] = w.frame;
        }
        s->hits = p->res->hits;
        s->misses = p->res->misses;
    }
    return true;
}

/* The next reference of p from its text, read again: what the first pass
 * read and no more (a file may grow meanwhile). A line bad now, or an end
 * before the references the first pass read, means the file changed. As
 * trace_next, with the message in r->err. */
static int next_text(struct run *r, struct proc *p, struct trace_ref *ref)
{
    struct trace_reader *rd = &p->f->reader;
    if (p->res->records == p->f->records) {
        if (p->digest == p->f->digest)
            return 0;
        /* as many references, each of a page the first pass saw, but not
           the same ones in the same order */
        set_err(r->err, r->err_size, "%s: the trace changed while it was read: its %llu references are not the "
                "ones the first pass checked, in the same order; run again on a file that stays as it is",
                rd->shown, (unsigned long long)p->f->records);
        r->changed = true;
        return -1;
    }
    int got = trace_next(rd, ref);
    if (got > 0) {
        p->digest += trace_ref_digest(ref->addr, ref->size, ref->access, p->res->records);
        return got;
    }
    if (got < 0 && rd->io_error) {
        set_err(r->err, r->err_size, "%s", rd->error);
        return -1;
    }
    if (got < 0)
        set_err(r->err, r->err_size, "%s (the trace changed while it was read: the first pass read this line "
                "without fault)", rd->error);
    else
        set_err(r->err, r->err_size, "%s: the trace changed while it was read: it ended after %llu of the %llu "
                "references the first pass read", rd->shown, (unsigned long long)p->res->records,
                (unsigned long long)p->f->records);
    r->changed = true;
    return -1;
}

/* Refill p's buffer from its copy of page numbers: 1 when it holds some,
 * 0 at the copy's end, -1 when the copy cannot be read (message in
 * r->err). */
static int refill(struct run *r, struct proc *p)
{
    void *to = p->f->copy_wide ? (void *)p->pages : (void *)p->half;
    size_t word = p->f->copy_wide ? sizeof *p->pages : sizeof *p->half, want = COPY_WORDS * word, got = 0;
    bool failed = false;
#ifdef _WIN32
    got = fread(to, 1, want, p->f->copy);
    failed = got < want && ferror(p->f->copy);
#else
    /* at an offset of its own: the copy's file position is shared with
       the processes of a parallel sweep (fork), and never moved here */
    while (got < want) {
        ssize_t k = pread(fileno(p->f->copy), (char *)to + got, want - got, (off_t)(p->copy_at + got));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            failed = k < 0;
            break;
        }
        got += (size_t)k;
    }
    p->copy_at += got;
#endif
    p->have = got / word;   /* the copy holds whole words */
    p->at = 0;
    if (p->have > 0)
        return 1;
    if (!failed && p->res->records == p->f->records)
        return 0;
    if (failed)
        set_err(r->err, r->err_size, "%s: cannot read the copy of its page numbers", p->f->reader.shown);
    else
        set_err(r->err, r->err_size, "%s: the copy of its page numbers ended after %llu of its %llu reference%s",
                p->f->reader.shown, (unsigned long long)p->res->records, (unsigned long long)p->f->records,
                p->f->records == 1 ? "" : "s");
    return -1;
}

#define BATCH 256u   /* references handed to the engine at once (mm_touch_pages) */

/* The references a batch may hold from here: it ends where the clock
 * ticks (after the reference that reaches the tick), and OPT is told each
 * page's next use before the next reference, so it runs them one by one. */
static uint32_t batch_room(const struct run *r)
{
    uint32_t room = r->opt ? 1u : BATCH;
    if (r->o->tick && r->o->tick - r->since_tick < room)
        room = r->o->tick - r->since_tick;
    return room;
}

_Static_assert(MM_FAULT_NONE == 0, "count_batch tells a hit from a fault by a zero");

/* Of the eight references from fault and table, those that were not
 * hits whose page tables were resident (MM_FAULT_NONE, a zero byte, in
 * both): one bit each, the lowest of its byte (bit 8k for reference k),
 * so that the count of trailing zeros over 8 is the next one's place.
 * Zero for eight such hits. */
static inline uint64_t not_hits(const uint8_t *fault, const uint8_t *table)
{
    uint64_t f, t;
    memcpy(&f, fault, sizeof f);
    memcpy(&t, table, sizeof t);
    uint64_t x = f | t;
    /* a byte's bit 7 set when the byte is not zero, without a carry
       between bytes: its low seven bits added to 0x7F, or'ed with itself */
    x = ((x & 0x7F7F7F7F7F7F7F7Fu) + 0x7F7F7F7F7F7F7F7Fu) | x;
    return (x & 0x8080808080808080u) >> 7;
}

/* Count reference i's fault and its table's, one of which is not
 * MM_FAULT_NONE, into res and the batch's misses and table faults. */
static inline void tally(struct trace_process_result *res, const uint8_t *fault, const uint8_t *table, uint32_t i,
                         uint64_t *misses, uint64_t *table_faults)
{
    if (fault[i] != MM_FAULT_NONE) {
        ++*misses;
        res->fault[fault[i]]++;
    }
    if (table[i] != MM_FAULT_NONE) {
        ++*table_faults;
        res->table_fault[table[i]]++;
    }
}

/* Count one batch's outcomes: n references of p that ran, with the fault
 * kinds mm_touch_pages gave them; as count() would, one by one, eight at
 * a time where they are all hits. */
static void count_batch(struct run *r, struct proc *p, const mm_va *va, const uint8_t *fault,
                        const uint8_t *table, uint32_t n)
{
    if (r->opt) {
        for (uint32_t i = 0; i < n; i++) {
            count(r, p, PAGE_ALIGN(va[i]), (enum mm_fault_kind)fault[i], (enum mm_fault_kind)table[i]);
            p->res->records++;
        }
        return;
    }
    struct trace_process_result *res = p->res;
    uint64_t misses = 0, table_faults = 0;
    uint32_t at = 0;
    for (; n - at >= 8; at += 8) {
        /* the commonest case by far, eight hits, is counted below; else
           only the references that faulted are looked at, by the
           bytes that are not zero */
        for (uint64_t other = not_hits(fault + at, table + at); other; other &= other - 1)
            tally(res, fault, table, at + (uint32_t)__builtin_ctzll(other) / 8, &misses, &table_faults);
    }
    for (; at < n; at++)
        if ((fault[at] | table[at]) != 0)   /* else a hit, its table resident: counted below */
            tally(res, fault, table, at, &misses, &table_faults);
    res->hits += n - misses;
    res->misses += misses;
    res->table_fault[MM_FAULT_NONE] += n - table_faults;
    res->touches += n;
    res->records += n;
    p->touch += n;
    if (r->o->tick && (r->since_tick += n) >= r->o->tick) {   /* batch_room ended the batch at the tick */
        r->since_tick = 0;
        r->ticks++;
        mm_tick(r->m, 1);
    }
}

/* The reference of a COPY_APART word, across a 16 MiB fold whose regions
 * landed apart, run as reference() runs it from the text (touch_apart)
 * and counted as one. Its second page is the next word, read in from the
 * copy when the word was the buffer's last (this reference is not run
 * yet, so refill finds more or says the copy ended early). */
static bool run_apart(struct run *r, struct proc *p, uint32_t word)
{
    if (++p->at == p->have && refill(r, p) < 0)
        return false;
    mm_va va[2] = {(mm_va)(word & COPY_PAGE) << 12, (mm_va)(p->pages[p->at] & COPY_PAGE) << 12};
    if (!commit(r, p, va[0]) || !commit(r, p, va[1]))
        return false;
    struct mm_touch t;
    mm_status s = touch_apart(r, p, va, (enum mm_access_kind)(word >> COPY_KIND_SHIFT), &t);
    if (s != STATUS_SUCCESS)
        return refused(r, p, va[0], s);
    count(r, p, va[0], t.fault[0], t.table_fault[0]);
    count(r, p, va[1], t.fault[1], t.table_fault[1]);
    p->res->records++;
    p->at++;
    return true;
}

/* A reference of a copy with kinds that spans into the next page (a
 * lackey reference across a page boundary): run alone, as the text's
 * reference() runs it (both pages committed, then one mm_touch over the
 * two, which keeps the first in the working set while the second comes
 * in; no byte moves, so any offset and size across the boundary give the
 * same), and counted page by page; one whose pages landed apart is
 * run_apart's. False on an error (message in r->err). */
static bool run_spanning(struct run *r, struct proc *p, uint32_t word)
{
    if (word & COPY_APART)
        return run_apart(r, p, word);
    mm_va va = (mm_va)(word & COPY_PAGE) << 12;
    if (!commit(r, p, va) || !commit(r, p, va + PAGE_SIZE))
        return false;
    struct mm_touch t;
    mm_status s = mm_touch(r->m, p->pid, va + PAGE_SIZE - 1, 2, (enum mm_access_kind)(word >> COPY_KIND_SHIFT), &t);
    if (s != STATUS_SUCCESS)
        return refused(r, p, va, s);
    count(r, p, va, t.fault[0], t.table_fault[0]);
    count(r, p, va + PAGE_SIZE, t.fault[1], t.table_fault[1]);
    p->res->records++;
    p->at++;
    return true;
}

/* va[k] = the address of page half[k], for k below n: with SSE2, eight
 * at a time (two stores), which compilers at -O2 do not find themselves. */
static inline void widen_pages(mm_va *va, const uint16_t *half, uint32_t n)
{
    uint32_t k = 0;
#ifdef __SSE2__
    const __m128i zero = _mm_setzero_si128();
    for (; n - k >= 8; k += 8) {
        __m128i h = _mm_loadu_si128((const __m128i *)(const void *)(half + k));
        _mm_storeu_si128((__m128i *)(void *)(va + k), _mm_slli_epi32(_mm_unpacklo_epi16(h, zero), 12));
        _mm_storeu_si128((__m128i *)(void *)(va + k + 4), _mm_slli_epi32(_mm_unpackhi_epi16(h, zero), 12));
    }
#endif
    for (; k < n; k++)
        va[k] = (mm_va)half[k] << 12;
}

/* From the copy's words with kinds (or wide page numbers) wide[k], for k
 * below n or up to the first that spans two pages, whichever comes first:
 * va[k] the page's address, access[k] its kind. Returns where it stopped.
 * With SSE2 four at a time. */
static inline uint32_t widen_words(mm_va *va, uint8_t *access, const uint32_t *wide, uint32_t n)
{
    uint32_t k = 0;
#ifdef __SSE2__
    const __m128i page = _mm_set1_epi32((int)COPY_PAGE), spans = _mm_set1_epi32((int)COPY_SPANS);
    for (; n - k >= 4; k += 4) {
        __m128i w = _mm_loadu_si128((const __m128i *)(const void *)(wide + k));
        if (_mm_movemask_epi8(_mm_cmpeq_epi32(_mm_and_si128(w, spans), _mm_setzero_si128())) != 0xFFFF)
            break;   /* one of the four spans: the loop below stops at it */
        _mm_storeu_si128((__m128i *)(void *)(va + k), _mm_slli_epi32(_mm_and_si128(w, page), 12));
        __m128i kinds = _mm_srli_epi32(w, COPY_KIND_SHIFT);   /* 0 to 3 in each word */
        kinds = _mm_packus_epi16(_mm_packs_epi32(kinds, kinds), kinds);   /* to the low four bytes */
        uint32_t four = (uint32_t)_mm_cvtsi128_si32(kinds);
        memcpy(access + k, &four, sizeof four);
    }
#endif
    for (; k < n && !(wide[k] & COPY_SPANS); k++) {
        va[k] = (mm_va)(wide[k] & COPY_PAGE) << 12;
        access[k] = (uint8_t)(wide[k] >> COPY_KIND_SHIFT);
    }
    return k;
}

/* Up to `most` references of p from its copy of page numbers, without
 * per-reference output: the copy holds folded page numbers, so none of
 * the text path's checks and folding arise, and the references go to the
 * engine a batch at a time (with their kinds of access, for a copy with
 * kinds), but for one that spans two pages, which runs alone
 * (run_spanning). A batch also ends before a reference whose 64 KiB are
 * not committed yet (they are committed first, as the reference comes).
 * Returns how many references ran; sets p->done at the copy's end, and
 * *ok to false on an error (message in r->err). */
static uint32_t run_copied(struct run *r, struct proc *p, uint32_t most, bool *ok)
{
    const uint64_t first = p->res->records;
    mm_va va[BATCH];
    uint8_t fault[BATCH], table[BATCH], access[BATCH];
    while (p->res->records - first < most && *ok) {
        if (p->at == p->have) {
            int got = refill(r, p);
            if (got <= 0) {
                *ok = got == 0;
                p->done = true;
                break;
            }
        }
        const uint16_t *half = p->half ? p->half + p->at : NULL;   /* the page numbers as read */
        const uint32_t *wide = p->pages ? p->pages + p->at : NULL;
        if (wide && wide[0] & COPY_SPANS) {
            *ok = run_spanning(r, p, wide[0]);
            continue;
        }
        uint32_t want = most - (uint32_t)(p->res->records - first);   /* of this turn; below most */
        uint32_t room = batch_room(r), n = 0;
        if (want < room)
            room = want;
        if (p->have - p->at < room)
            room = (uint32_t)(p->have - p->at);
        if (p->commits == p->f->space.chunks) {   /* every granule the trace touches is committed */
            if (half) {   /* folded by the first pass: the commonest case */
                widen_pages(va, half, room);
                n = room;
            } else {
                n = widen_words(va, access, wide, room);
            }
        }
        for (; n < room; n++) {
            if (wide && wide[n] & COPY_SPANS)
                break;   /* it runs alone, next */
            va[n] = (mm_va)(half ? half[n] : wide[n] & COPY_PAGE) << 12;
            if (wide)
                access[n] = (uint8_t)(wide[n] >> COPY_KIND_SHIFT);
            if (!space_bit(p->committed, va[n] >> 16)) {   /* the granule's first reference */
                if (n == 0 && !commit(r, p, va[n]))
                    *ok = false;
                if (n > 0 || !*ok)
                    break;
            }
        }
        if (!*ok)
            break;
        uint32_t ran;
        mm_status s = mm_touch_pages(r->m, p->pid, va, p->f->copy_kinds ? access : NULL, n, fault, table, &ran);
        p->at += ran;
        count_batch(r, p, va, fault, table, ran);
        if (s != STATUS_SUCCESS) {
            *ok = refused(r, p, va[ran], s);
            break;
        }
    }
    return (uint32_t)(p->res->records - first);
}

static bool setup(struct run *r, struct trace_set *set, struct proc *procs, struct trace_result *res, bool detail)
{
    const struct trace_options *o = r->o;
    for (uint32_t i = 0; i < set->count; i++) {
        struct proc *p = &procs[i];
        p->f = &set->file[i];
        p->file = i;
        p->res = &res->proc[i];
        snprintf(p->res->name, sizeof p->res->name, "%s", p->f->name);
        p->res->pages = p->f->pages;
        /* per-reference output names lines and prints what each says: the
           text. Never the text in place of the copy: in a parallel sweep
           the text's file position is shared with other processes. */
        if (p->f->copy && !detail) {
            p->copied = true;
            if (p->f->copy_wide)
                p->pages = malloc(COPY_WORDS * sizeof *p->pages);
            else
                p->half = malloc(COPY_WORDS * sizeof *p->half);
            if (!p->pages && !p->half)
                mm_host_exhausted(__func__, "the buffer of a trace's page numbers");
#ifdef _WIN32
            if (fseek(p->f->copy, 0, SEEK_SET) != 0) {   /* refill reads it with fread */
                set_err(r->err, r->err_size, "%s: cannot read the copy of its page numbers", p->f->reader.shown);
                return false;
            }
            clearerr(p->f->copy);
#endif
        } else if (!trace_rewind(&p->f->reader)) {
            set_err(r->err, r->err_size, "%s", p->f->reader.error);
            return false;
        }
        /* a file that grew (a log still being written) is read as far as
           it was checked; one that shrank cannot be */
        struct stat st;
        if (!p->copied && p->f->bytes && fstat(fileno(p->f->reader.in), &st) == 0 &&
            (uint64_t)st.st_size < p->f->bytes) {
            set_err(r->err, r->err_size, "%s: the trace is shorter than when it was checked (%llu byte%s then, %llu "
                    "now); the run was not made", p->f->reader.shown, (unsigned long long)p->f->bytes,
                    p->f->bytes == 1 ? "" : "s", (unsigned long long)st.st_size);
            r->changed = true;
            return false;
        }
        mm_status s = mm_process_create(r->m, p->f->name, &p->pid);
        if (s == STATUS_SUCCESS && o->cache) {
            s = mm_set_data_page_limit(r->m, p->pid, o->cache);
            /* a hard minimum over all it may hold: only the policy takes its pages */
            if (s == STATUS_SUCCESS)
                s = mm_set_ws_limits_ex(r->m, p->pid, own_pages(p->f, o->cache), MM_MAX_FRAMES,
                                        QUOTA_LIMITS_HARDWS_MIN_ENABLE);
        }
        if (s != STATUS_SUCCESS) {
            set_err(r->err, r->err_size, "%s: setting up its process failed: %s",
                    p->f->reader.shown, mm_status_name(s));
            return false;
        }
    }
    return true;
}

static bool configure(const struct trace_set *set, const struct trace_options *o, struct mm_config *cfg,
                      char *err, size_t err_size)
{
    if (trace_fit(set, o, err, err_size) != TRACE_FITS)
        return false;
    uint32_t frames = o->frames ? o->frames : trace_frames_default(set, o->cache);
    mm_config_default(cfg);
    mm_config_for_memory(cfg, frames);
    cfg->policy = o->policy;
    if (o->tlb_entries)
        cfg->tlb_entries = o->tlb_entries;
    /* every committed page, and every page table (trimmed too when there is
     * no cache), may be written to the paging file; what it cannot hold,
     * memory does (trace_fit) */
    cfg->pagefile_pages[0] = pagefile_size(set);
    cfg->pagefile_maximum[0] = MM_MAX_PAGEFILE_PAGES;
    cfg->max_processes = set->count;   /* a slot per trace and no more: the engine scans the slots */
    const char *bad = mm_config_check(cfg);
    if (bad) {
        set_err(err, err_size, "%s", bad);
        return false;
    }
    return true;
}

static void finish(struct mm_machine *m, struct proc *procs, uint32_t count, struct trace_result *res)
{
    struct trace_process_result *t = &res->total;
    snprintf(t->name, sizeof t->name, "total");
    for (uint32_t i = 0; i < count; i++) {
        struct trace_process_result *p = &res->proc[i];
        const struct mm_wsl *ws = mm_working_set(m, procs[i].pid);
        p->evictions = ws->replacements;
        p->trimmed = ws->trimmed;
        p->peak = ws->peak;
        mm_ws_breakdown(m, procs[i].pid, &p->ws);
        t->records += p->records;
        t->touches += p->touches;
        t->hits += p->hits;
        t->misses += p->misses;
        for (unsigned k = 0; k < MM_FAULT_KIND_COUNT; k++) {
            t->fault[k] += p->fault[k];
            t->table_fault[k] += p->table_fault[k];
        }
        t->evictions += p->evictions;
        t->trimmed += p->trimmed;
        t->pages += p->pages;
        t->ws.locked += p->ws.locked;
        t->ws.page_tables += p->ws.page_tables;
        t->ws.data += p->ws.data;
        t->peak += p->peak;
    }
    struct mm_counters c;
    mm_counters(m, 0, &c);
    res->pages_written = c.pages_written;
    res->pages_read = c.pages_read;
    res->tlb_hits = c.tlb_hits;
    res->tlb_misses = c.tlb_misses;
}

enum trace_status trace_run(struct trace_set *set, const struct trace_options *o, struct trace_result *res,
                            trace_step_fn step, void *step_ctx, trace_progress_fn progress, void *progress_ctx,
                            char *err, size_t err_size)
{
    memset(res, 0, sizeof *res);
    struct mm_config cfg;
    if (!configure(set, o, &cfg, err, err_size))
        return TRACE_BAD_INPUT;
    struct run r = {.set = set, .o = o, .err = err, .err_size = err_size};
    r.m = mm_create(&cfg, NULL);
    struct proc *procs = calloc(set->count, sizeof *procs);
    if (!r.m || !procs)   /* configure checked the machine: only the host can refuse it */
        mm_host_exhausted(__func__, "building the machine");
    res->policy = o->policy;
    res->cache = o->cache;
    res->frames = cfg.frames;
    res->tlb_entries = cfg.tlb_entries;
    res->quantum = o->quantum ? o->quantum : TRACE_DEFAULT_QUANTUM;
    res->tick = o->tick;
    res->processes = set->count;
    r.opt = o->policy == MM_POLICY_OPT && set->lookahead;
    bool ok = setup(&r, set, procs, res, step != NULL);
    if (ok && step)
        mm_set_sink(r.m, sink, &r.d);
    uint64_t total = 0, done = 0;
    for (uint32_t i = 0; i < set->count; i++)
        total += set->file[i].records;
    uint32_t live = set->count;
    while (ok && live > 0) {
        for (uint32_t i = 0; ok && i < set->count; i++) {
            struct proc *p = &procs[i];
            if (p->done)
                continue;
            if (p->copied) {   /* from the copy of its page numbers: no per-reference output */
                /* a turn (all of it for a single trace) in pieces that end
                   where progress is told, every PROGRESS_EVERY references */
                uint64_t turn = set->count == 1 ? UINT64_MAX : res->quantum;
                while (ok && !p->done && turn > 0) {
                    uint64_t piece = PROGRESS_EVERY - done % PROGRESS_EVERY;
                    uint32_t ran = run_copied(&r, p, (uint32_t)(piece < turn ? piece : turn), &ok);
                    if (ran == 0)
                        break;   /* run_copied ended the process or the run */
                    done += ran;
                    turn -= ran;
                    if (done % PROGRESS_EVERY == 0 && progress)
                        progress(progress_ctx, (double)done / (double)total);
                }
                if (p->done)
                    live--;
                continue;
            }
            struct trace_ref ref;
            for (uint32_t q = 0; ok && (set->count == 1 || q < res->quantum); q++) {
                int got = next_text(&r, p, &ref);   /* sets err when it fails */
                if (got <= 0) {
                    if (got < 0)
                        ok = false;
                    p->done = true;
                    live--;
                    break;
                }
                ok = reference(&r, p, &ref, step != NULL);
                if (ok && step) {
                    r.d.step.file = i;
                    step(step_ctx, r.m, &r.d.step);
                }
                if (++done % PROGRESS_EVERY == 0 && progress)
                    progress(progress_ctx, (double)done / (double)total);
            }
        }
    }
    mm_set_sink(r.m, NULL, NULL);
    if (ok)
        finish(r.m, procs, set->count, res);
    res->ticks = r.ticks;
    mm_destroy(r.m);
    for (uint32_t i = 0; i < set->count; i++) {
        free(procs[i].pages);
        free(procs[i].half);
    }
    free(procs);
    return ok ? TRACE_OK : r.changed ? TRACE_BAD_INPUT : TRACE_FAILED;
}
