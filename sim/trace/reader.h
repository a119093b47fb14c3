/*
 * reader.h - memory-reference traces, read as a stream: a buffer of the
 * file at a time, never the whole trace. Four line formats:
 *
 *   pages   one page number per line, decimal or 0x-hex: OSTEP's
 *           paging-policy.py -f files ("3", "0x1f")
 *   addrs   one byte address per line, decimal or 0x-hex
 *   rw      an address in hex ("0x" optional) and R or W ("7ffe1000 W")
 *   lackey  valgrind --tool=lackey --trace-mem=yes: "I  0400a3c0,3",
 *           " L 1ffefff8,8", " S ...", " M ..." (load and store); lines
 *           from valgrind itself ("==123== ...") are skipped
 *
 * In every format blank lines and lines starting with '#' are skipped and
 * a line may end in CR LF. TRACE_AUTO decides from the first record line
 * (pages for a lone number). Errors name the file and line.
 */
#ifndef MMSIM_TRACE_READER_H
#define MMSIM_TRACE_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

enum trace_format { TRACE_AUTO, TRACE_PAGES, TRACE_ADDRS, TRACE_RW, TRACE_LACKEY, TRACE_FORMAT_COUNT };

/* The format's name ("auto", "pages", "addrs", "rw", "lackey"), and the
 * format of a name (false for none). */
const char *trace_format_name(enum trace_format f);
bool trace_format_from_name(const char *name, enum trace_format *out);

enum trace_access {
    TRACE_LOAD,      /* a read (pages, addrs, R, lackey L) */
    TRACE_STORE,     /* a write (W, lackey S) */
    TRACE_MODIFY,    /* lackey M: a load and a store of the same bytes */
    TRACE_FETCH      /* lackey I: an instruction fetch */
};

/* One reference: bytes [addr, addr + size) of a 64-bit address space. */
struct trace_ref {
    uint64_t addr;
    uint32_t size;            /* 1..4096 */
    enum trace_access access;
};

#define TRACE_MAX_LINE 4096u      /* longest line accepted */
#define TRACE_NAME_SHOWN 200u     /* a longer path is shown as "..." and its last characters */
#define TRACE_MAX_ADDRESS 0xFFFFFFFFFFFFFull   /* 52 bits: x86-64's physical and 5-level virtual reach */

struct trace_reader {
    const char *name;          /* as given; "-" is standard input */
    char shown[TRACE_NAME_SHOWN + 1];   /* name as messages show it: a longer one as "..." and
                                           its end (the file's own name), so that a line number
                                           and a reason always fit after it */
    FILE *in;
    bool is_stdin;
    FILE *spool;               /* the copy of standard input or of a pipe (a FIFO, a
                                  /dev/fd of the shell's <(...)), which cannot be read
                                  twice, for the second pass; NULL for a regular file,
                                  standard input redirected from one included */
    uint64_t start;            /* where in the file the trace begins: standard input's
                                  position when it was opened (a file redirected in may
                                  have been read partly before), else 0 */
    bool in_place;             /* read with pread at `at`, so that the file position, which
                                  others may share, never moves: standard input redirected
                                  from a regular file (other processes, /dev/fd/0), and a
                                  reader over a spool (trace_open_spooled: the runs) */
    uint64_t at;               /* in_place: where the next read begins */
    enum trace_format format;  /* TRACE_AUTO until the first record decides */
    enum trace_format asked;
    char *buf;
    size_t len, pos;           /* bytes in buf, and where the next line starts */
    bool eof;
    uint64_t line;             /* of the last line returned */
    uint64_t offset;           /* bytes consumed so far, for progress */
    uint64_t size;             /* the file's size when known (0: not known) */
    bool io_error;             /* the error in `error` is the system's (reading, or writing
                                  the copy aside), not the text's */
    char error[TRACE_MAX_LINE / 8 + 256];
};

/* Open `path` ("-" for standard input: read in place from its position
 * when it is a regular file redirected in, else copied aside as it is read
 * so that trace_rewind can read it again; descriptor 0 must be open, which
 * trace_prepare checks before it opens any file, since a file opened
 * while it is closed would take its place). False with a message in err (a file
 * that cannot be opened or copied); without memory for its buffer, the
 * program exits with status 3 (mm_host_exhausted). */
bool trace_open(struct trace_reader *r, const char *path, enum trace_format format, char *err,
                size_t err_size);
/* The next reference: 1 one was read, 0 the end, -1 bad input (r->error
 * holds "FILE:LINE: what is wrong"). trace_next reads the commonest line,
 * a page number of up to 7 digits, itself (inline: it runs for every
 * reference of both passes) and leaves every other line, and a line at the
 * end of the buffer, to trace_next_line, which reads any line. */
int trace_next_line(struct trace_reader *r, struct trace_ref *out);

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TRACE_SHORT_PAGES 1
/* The commonest line at s (8 bytes readable there): 1 to 7 decimal digits
 * and '\n'. Returns its length with the '\n', its number in *page; 0 for
 * any other line. */
static inline unsigned trace_short_page(const char *s, uint32_t *page)
{
    uint64_t w;
    memcpy(&w, s, sizeof w);
    /* each byte: '0'..'9' becomes 0..9; any other byte gets bit 7 set in
       `other` (a carry out of a byte only reaches the bytes above the
       first such one, which are not looked at) */
    uint64_t t = w ^ 0x3030303030303030u;
    uint64_t other = ((t + 0x7676767676767676u) | t) & 0x8080808080808080u;
    /* b: bit 7 of byte n, the first that is not a digit (all eight are
       digits: 63, and byte 7 is no '\n') */
    unsigned b = other ? (unsigned)__builtin_ctzll(other) : 63, n = b >> 3;
    if (__builtin_expect(n == 0 || s[n] != '\n', 0))   /* n is at most 7 */
        return 0;
    /* the n digits to the top bytes (the zeros below are leading zeros),
       then pairs, fours and eights of digits combined by multiplying */
    t <<= (7 - b) & 63;   /* 64 - 8n */
    t = (t * (10 * 256 + 1)) >> 8 & 0x00FF00FF00FF00FFu;
    t = (t * (100 * 65536 + 1)) >> 16 & 0x0000FFFF0000FFFFu;
    t = (t * (10000 * 4294967296u + 1)) >> 32;
    *page = (uint32_t)t;
    return n + 1;
}
#endif

#ifdef TRACE_SHORT_PAGES
/* Where the commonest lines of a page-number trace may be taken from at
 * the reader's position, in a loop of the caller's own: from the
 * returned pointer, a line each trace_short_page call, while the line
 * starts at or before *last (8 bytes readable there); NULL when none may
 * (another format, the buffer's end). The loop ends with
 * trace_short_pages_taken. */
static inline const char *trace_short_pages_at(const struct trace_reader *r, const char **last)
{
    if (r->format != TRACE_PAGES || r->len - r->pos < 8)
        return NULL;
    *last = r->buf + r->len - 8;
    return r->buf + r->pos;
}

/* The reader past the n lines taken up to s (trace_short_pages_at's loop). */
static inline void trace_short_pages_taken(struct trace_reader *r, const char *s, uint32_t n)
{
    size_t used = (size_t)(s - (r->buf + r->pos));
    r->offset += used;
    r->pos += used;
    r->line += n;
}
#endif

/* Up to `most` page numbers of a page-number trace into pages[], from its
 * commonest lines (trace_short_page's) and no others, its state in locals: one
 * line each, so the i-th of n read is line r->line - (n - 1 - i). Returns
 * how many; fewer than `most` (0 too) where a line needs trace_next (any
 * other line, the buffer's end, the end of the file, another format). */
static inline uint32_t trace_next_pages(struct trace_reader *r, uint32_t *pages, uint32_t most)
{
    uint32_t n = 0;
#ifdef TRACE_SHORT_PAGES
    const char *last, *s = trace_short_pages_at(r, &last);
    if (!s)
        return 0;
    unsigned used;
    while (n < most && s <= last && (used = trace_short_page(s, &pages[n]))) {
        s += used;
        n++;
    }
    trace_short_pages_taken(r, s, n);
#else
    (void)r;
    (void)pages;
    (void)most;
#endif
    return n;
}

/* Up to `most` references of an rw or a lackey trace into refs[], from
 * the lines its quick readers take (those as tools write them, whole in
 * the buffer) and no others: one line each, so the i-th of n read is line
 * r->line - (n - 1 - i). Returns how many; fewer than `most` (0 too)
 * where a line needs trace_next, and 0 for the other formats. One call
 * for a batch: the first pass's loop over rw and lackey traces. */
uint32_t trace_next_refs(struct trace_reader *r, struct trace_ref *refs, uint32_t most);

static inline int trace_next(struct trace_reader *r, struct trace_ref *out)
{
    uint32_t page;
    if (trace_next_pages(r, &page, 1)) {
        *out = (struct trace_ref){.addr = (uint64_t)page << 12, .size = 1, .access = TRACE_LOAD};
        return 1;
    }
    return trace_next_line(r, out);
}

/* Back to the first line (standard input: its copy). False with a
 * message in r->error when that is impossible. */
bool trace_rewind(struct trace_reader *r);
void trace_close(struct trace_reader *r);

/* A second reader, r, over the text `was` copied aside as it read it (a
 * pipe, standard input not redirected from a file), once the copy is
 * whole (trace_rewind has run): from its first line, at offsets of its
 * own (pread on a descriptor of its own), so that `was`'s position, which
 * a run may be reading, never moves; closed with trace_close. False when
 * `was` has no such copy, and always in the Windows build (no pread). */
bool trace_open_spooled(struct trace_reader *r, const struct trace_reader *was);

/* A temporary file for a trace's copies, open for reading and writing,
 * removed when it is closed (as tmpfile's), in the directory TMPDIR names,
 * else /tmp (tmpfile's own on Windows). NULL with errno set when it cannot
 * be made (no such directory, a full disk...). */
FILE *trace_tmpfile(void);
/* The directory trace_tmpfile makes its files in, for messages. */
const char *trace_tmpdir(void);

/* stat of a trace named on the command line, '-' being standard input's
 * file (fstat); false with errno set, as stat's. */
bool trace_stat(const char *path, struct stat *st);

#endif
