/*
 * reader.c - streaming trace readers: a 64 KiB buffer refilled as lines
 * are consumed (small enough to stay in the processor's cache between the
 * read and the parse), a hand-written parser per format (the hot path of a
 * long trace; the commonest page-number lines are read by trace_next in
 * reader.h), and standard input copied to a temporary file so that it can
 * be read twice (once to check and look ahead, once to run).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mm.h"
#include "reader.h"

#define BUF_SIZE (1u << 16)

static const char *const format_names[TRACE_FORMAT_COUNT] = {"auto", "pages", "addrs", "rw", "lackey"};

const char *trace_format_name(enum trace_format f)
{
    return (unsigned)f < TRACE_FORMAT_COUNT ? format_names[f] : "?";
}

bool trace_format_from_name(const char *name, enum trace_format *out)
{
    for (unsigned i = 0; i < TRACE_FORMAT_COUNT; i++)
        if (strcmp(name, format_names[i]) == 0) {
            *out = (enum trace_format)i;
            return true;
        }
    return false;
}

/* path as a message shows it, into out: whole when it has at most
 * TRACE_NAME_SHOWN characters, else "..." and its last characters (the
 * file's own name), so that a line number and a reason always fit after it. */
static void name_shown(const char *path, char out[TRACE_NAME_SHOWN + 1])
{
    size_t len = strlen(path);
    snprintf(out, TRACE_NAME_SHOWN + 1, "%s%s", len > TRACE_NAME_SHOWN ? "..." : "",
             len > TRACE_NAME_SHOWN ? path + len - (TRACE_NAME_SHOWN - 3) : path);
}

const char *trace_tmpdir(void)
{
#ifdef _WIN32
    return "the temporary folder";
#else
    const char *dir = getenv("TMPDIR");
    return dir && *dir ? dir : "/tmp";
#endif
}

bool trace_stat(const char *path, struct stat *st)
{
    return (strcmp(path, "-") == 0 ? fstat(STDIN_FILENO, st) : stat(path, st)) == 0;
}

FILE *trace_tmpfile(void)
{
#ifdef _WIN32
    return tmpfile();
#else
    const char *dir = trace_tmpdir();
    size_t n = strlen(dir) + sizeof "/mmsim-trace-XXXXXX";
    char *path = malloc(n);
    if (!path)
        mm_host_exhausted(__func__, "a temporary file's name");
    snprintf(path, n, "%s/mmsim-trace-XXXXXX", dir);
    int fd = mkstemp(path);
    FILE *f = NULL;
    if (fd >= 0) {
        unlink(path);   /* gone with the last descriptor, as tmpfile's */
        if (!(f = fdopen(fd, "w+b"))) {
            int e = errno;
            close(fd);
            errno = e;
        }
    }
    free(path);
    return f;
#endif
}

/* A reader of `path` with nothing open yet, and its buffer. */
static void reader_init(struct trace_reader *r, const char *path, enum trace_format format)
{
    memset(r, 0, sizeof *r);
    r->name = path;
    name_shown(path, r->shown);
    r->asked = r->format = format;
    r->is_stdin = strcmp(path, "-") == 0;
    r->buf = malloc(BUF_SIZE);
    if (!r->buf)
        mm_host_exhausted(__func__, "a trace's read buffer");
}

bool trace_open(struct trace_reader *r, const char *path, enum trace_format format, char *err, size_t err_size)
{
    reader_init(r, path, format);
    if (r->is_stdin) {
        r->in = stdin;
#ifndef _WIN32
        /* a file redirected in (mmsim trace - < FILE): read in place, from
           where standard input stands, as a named file is; no copy aside */
        struct stat st;
        off_t at;
        if (fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode) && (at = ftello(stdin)) >= 0 &&
            at <= st.st_size) {
            r->start = r->at = (uint64_t)at;
            r->size = (uint64_t)(st.st_size - at);
            r->in_place = true;
            return true;
        }
#endif
        r->spool = trace_tmpfile();
        if (!r->spool) {
            snprintf(err, err_size, "-: cannot make a temporary copy of standard input in %.200s: %s", trace_tmpdir(),
                     strerror(errno));
            trace_close(r);
            return false;
        }
        return true;
    }
    r->in = fopen(path, "rb");
    struct stat st;
    if (!r->in || fstat(fileno(r->in), &st) != 0) {
        snprintf(err, err_size, "%s: %s", r->shown, strerror(errno));
        trace_close(r);
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, err_size, "%s: is a directory, not a trace", r->shown);
        trace_close(r);
        return false;
    }
    if (S_ISREG(st.st_mode))
        r->size = (uint64_t)st.st_size;
    else if (!(r->spool = trace_tmpfile())) {   /* a pipe: read once, copied aside as it is read */
        snprintf(err, err_size, "%s: cannot make a temporary copy of it in %.200s: %s", r->shown, trace_tmpdir(),
                 strerror(errno));
        trace_close(r);
        return false;
    }
    return true;
}

bool trace_open_spooled(struct trace_reader *r, const struct trace_reader *was)
{
#ifdef _WIN32
    (void)r;
    (void)was;
    return false;
#else
    if (!was->spool || was->in != was->spool)
        return false;
    int fd = dup(fileno(was->spool));
    FILE *in = fd < 0 ? NULL : fdopen(fd, "rb");
    if (!in) {
        if (fd >= 0)
            close(fd);
        return false;
    }
    reader_init(r, was->name, was->asked);
    r->format = was->format;   /* decided by the same lines */
    r->in = in;
    r->in_place = true;   /* start and at 0: the copy holds the text from its first byte */
    r->size = was->size;
    return true;
#endif
}

void trace_close(struct trace_reader *r)
{
    if (r->in && r->in != stdin)
        fclose(r->in);
    if (r->spool && r->spool != r->in)
        fclose(r->spool);
    free(r->buf);
    r->in = r->spool = NULL;
    r->buf = NULL;
}

static int fail(struct trace_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct trace_reader *r, const char *fmt, ...)
{
    int n = snprintf(r->error, sizeof r->error, "%s:%llu: ", r->shown,
                     (unsigned long long)r->line);
    if (n < 0 || (size_t)n >= sizeof r->error)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->error + n, sizeof r->error - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

/* The text of [p, e) for a message: at most 40 characters, anything but
 * printable ASCII shown as '?'. */
static const char *excerpt(const char *p, const char *e, char *out, size_t size)
{
    size_t n = 0;
    for (; p < e && n + 4 < size && n < 40; p++)
        out[n++] = *p >= 0x20 && *p < 0x7F ? *p : '?';
    if (p < e)
        out[n++] = '.', out[n++] = '.', out[n++] = '.';
    out[n] = '\0';
    return out;
}

/* The system refused a read or the write of the copy aside: the message,
 * with its reason. */
static bool io_failed(struct trace_reader *r, const char *what)
{
    snprintf(r->error, sizeof r->error, "%s: %s: %s", r->shown, what, strerror(errno));
    r->io_error = true;
    return false;
}

/* Refill the buffer: keep the unread tail, read more. False, with the
 * message, when reading or copying it aside fails. */
static bool refill(struct trace_reader *r)
{
    size_t keep = r->len - r->pos;
    memmove(r->buf, r->buf + r->pos, keep);
    r->len = keep;
    r->pos = 0;
    size_t got = 0;
#ifndef _WIN32
    if (r->in_place) {
        while (got < BUF_SIZE - keep) {
            ssize_t k = pread(fileno(r->in), r->buf + keep + got, BUF_SIZE - keep - got, (off_t)(r->at + got));
            if (k < 0 && errno == EINTR)
                continue;
            if (k < 0)
                return io_failed(r, "read error");
            if (k == 0)
                break;
            got += (size_t)k;
        }
        r->at += got;
        r->eof = got < BUF_SIZE - keep;
    } else
#endif
    {
        got = fread(r->buf + keep, 1, BUF_SIZE - keep, r->in);
        if (got < BUF_SIZE - keep) {
            if (ferror(r->in))
                return io_failed(r, "read error");
            r->eof = true;
        }
    }
    if (got && r->spool && r->in != r->spool && fwrite(r->buf + keep, 1, got, r->spool) != got)
        return io_failed(r, "cannot write the copy aside (the trace is read twice)");
    r->len += got;
    /* a UTF-8 byte-order mark at the start of the text is no part of it,
     * as for every other file mmsim reads */
    if (keep == 0 && r->line == 0 && r->offset == 0 && r->len >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) {
        r->pos = 3;
        r->offset = 3;
    }
    return true;
}

/* The next line as [*b, *e) without its end of line; 1, 0 at the end, -1 on error. */
static int next_line(struct trace_reader *r, const char **b, const char **e)
{
    for (;;) {
        char *start = r->buf + r->pos;
        char *nl = memchr(start, '\n', r->len - r->pos);
        if (nl || (r->eof && r->pos < r->len)) {
            char *end = nl ? nl : r->buf + r->len;
            bool cr = end > start && end[-1] == '\r';   /* CR LF: the CR is no character of the line */
            r->line++;
            if ((size_t)(end - start) - cr > TRACE_MAX_LINE)
                return fail(r, "line longer than %u characters", TRACE_MAX_LINE);
            r->pos = (size_t)(end - r->buf) + (nl ? 1 : 0);
            r->offset += (uint64_t)(end - start) + (nl ? 1 : 0);
            if (cr)
                end--;
            *b = start;
            *e = end;
            return 1;
        }
        if (r->eof)
            return 0;
        if (r->len - r->pos > TRACE_MAX_LINE + 1) {   /* + 1: a CR before the LF */
            r->line++;
            return fail(r, "line longer than %u characters", TRACE_MAX_LINE);
        }
        if (!refill(r))
            return -1;
    }
}

static bool blank(char c) { return c == ' ' || c == '\t'; }

/* Each byte's value as a hex digit, plus one: 0 for a byte that is no
 * digit. A table, not tests: a trace's addresses are most of its bytes. */
static const uint8_t digit_plus_one[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,  ['7'] = 8,
    ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
    ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/* c's value as a hex digit (0 to 15), or UINT_MAX-like: at least 16 for
 * any other byte, so that `digit(c) < base` tests a digit of the base. */
static unsigned digit(char c) { return (unsigned)digit_plus_one[(unsigned char)c] - 1u; }

/* A number at *p: hex when `hex` or when it starts with 0x, else decimal;
 * at most max (at most TRACE_MAX_ADDRESS, so that v * 16 + 15 never
 * overflows while v is at most max). Advances *p past all its digits, too
 * many or not. False when there is none or it is too large (*too_big
 * tells which). */
static bool number(const char **p, const char *e, bool hex, uint64_t max, uint64_t *out, bool *too_big)
{
    const char *s = *p;
    if (e - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && digit(s[2]) < 16) {
        s += 2;
        hex = true;
    }
    _Static_assert(TRACE_MAX_ADDRESS < UINT64_MAX / 16 - 15, "number() holds v at max, then multiplies it by 16");
    const unsigned base = hex ? 16u : 10u;
    const char *first = s;
    uint64_t v = 0;
    bool big = false;
    for (unsigned d; s < e && (d = digit(*s)) < base; s++) {
        v = v * base + d;
        if (v > max) {   /* too large: held at max, the digits still read */
            big = true;
            v = max;
        }
    }
    *p = s;
    *out = v;
    *too_big = big;
    return s > first && !big;
}

/* The end of the word at p: the first blank, or e. */
static const char *token_end(const char *p, const char *e)
{
    while (p < e && !blank(*p))
        p++;
    return p;
}

static const char *skip_blanks(const char *p, const char *e)
{
    while (p < e && blank(*p))
        p++;
    return p;
}

/* Decide the format from the first record line (already trimmed at b). */
static int detect(struct trace_reader *r, const char *b, const char *e)
{
    char ex[64];
    if ((*b == 'I' || *b == 'L' || *b == 'S' || *b == 'M') && b + 1 < e && blank(b[1])) {
        r->format = TRACE_LACKEY;
        return 0;
    }
    const char *p = b;
    while (p < e && !blank(*p))
        p++;
    const char *q = skip_blanks(p, e);
    if (q == e) {
        r->format = TRACE_PAGES;
        return 0;
    }
    const char *t = q;
    while (t < e && !blank(*t))
        t++;
    if (t - q == 1 && (*q == 'R' || *q == 'W' || *q == 'r' || *q == 'w') && skip_blanks(t, e) == e) {
        r->format = TRACE_RW;
        return 0;
    }
    return fail(r, "cannot tell the trace's format from '%s'; give --format pages, addrs, rw or lackey",
                excerpt(b, e, ex, sizeof ex));
}

static int parse_pages(struct trace_reader *r, const char *p, const char *e, struct trace_ref *out, bool pages)
{
    char ex[64];
    const char *s = p;
    uint64_t v;
    bool big;
    uint64_t max = pages ? TRACE_MAX_ADDRESS >> 12 : TRACE_MAX_ADDRESS;
    if (!number(&s, e, false, max, &v, &big) || skip_blanks(s, e) != e) {
        if (big)
            return fail(r, "%s %s is beyond the 52-bit address space", pages ? "page number" : "address",
                        excerpt(p, e, ex, sizeof ex));
        return fail(r, "expected %s (decimal or 0x-hex), found '%s'", pages ? "a page number" : "an address",
                    excerpt(p, e, ex, sizeof ex));
    }
    out->addr = pages ? v << 12 : v;
    out->size = 1;
    out->access = TRACE_LOAD;
    return 1;
}

static int parse_rw(struct trace_reader *r, const char *p, const char *e, struct trace_ref *out)
{
    char ex[64];
    const char *s = p;
    uint64_t v;
    bool big;
    if (!number(&s, e, true, TRACE_MAX_ADDRESS, &v, &big) || (s < e && !blank(*s))) {
        if (big)
            return fail(r, "address %s is beyond the 52-bit address space", excerpt(p, token_end(p, e), ex, sizeof ex));
        return fail(r, "expected a hex address and R or W, found '%s'", excerpt(p, e, ex, sizeof ex));
    }
    s = skip_blanks(s, e);
    if (s == e)
        return fail(r, "expected R or W after the address in '%s'", excerpt(p, e, ex, sizeof ex));
    if ((s + 1 < e && !blank(s[1])) || skip_blanks(s + 1, e) != e || (*s != 'R' && *s != 'W' && *s != 'r' && *s != 'w'))
        return fail(r, "expected R or W after the address, found '%s'", excerpt(s, e, ex, sizeof ex));
    out->addr = v;
    out->size = 1;
    out->access = *s == 'W' || *s == 'w' ? TRACE_STORE : TRACE_LOAD;
    return 1;
}

static int parse_lackey(struct trace_reader *r, const char *p, const char *e, struct trace_ref *out)
{
    char ex[64];
    switch (*p) {
    case 'I': out->access = TRACE_FETCH; break;
    case 'L': out->access = TRACE_LOAD; break;
    case 'S': out->access = TRACE_STORE; break;
    case 'M': out->access = TRACE_MODIFY; break;
    default:
        return fail(r, "expected a lackey record (I, L, S or M, an address and a size), found '%s'",
                    excerpt(p, e, ex, sizeof ex));
    }
    const char *s = skip_blanks(p + 1, e);
    if (s == p + 1)
        return fail(r, "expected a blank after '%c', found '%s'", *p, excerpt(p, e, ex, sizeof ex));
    uint64_t addr, size;
    bool big;
    const char *a = s;
    if (!number(&s, e, true, TRACE_MAX_ADDRESS, &addr, &big)) {
        const char *comma = memchr(a, ',', (size_t)(e - a));
        if (big)
            return fail(r, "address %s is beyond the 52-bit address space", excerpt(a, comma ? comma : e, ex, sizeof ex));
        return fail(r, "expected a hex address after '%c', found '%s'", *p, excerpt(a, e, ex, sizeof ex));
    }
    if (s == e || *s != ',')
        return fail(r, "expected ',' and a size after the address, found '%s'", excerpt(a, e, ex, sizeof ex));
    const char *z = ++s;
    if (!number(&s, e, false, 1u << 20, &size, &big) || skip_blanks(s, e) != e) {
        if (big && skip_blanks(s, e) == e)   /* digits, only too many of them */
            return fail(r, "size %s is out of range: 1 to 4096 bytes", excerpt(z, e, ex, sizeof ex));
        return fail(r, "expected a size after the comma (decimal, or 0x-hex), found '%s'", excerpt(z, e, ex, sizeof ex));
    }
    if (size < 1 || size > 4096)
        return fail(r, "size %llu is out of range: 1 to 4096 bytes", (unsigned long long)size);
    if (addr + size - 1 > TRACE_MAX_ADDRESS)
        return fail(r, "the access at %s runs past the 52-bit address space", excerpt(a, e, ex, sizeof ex));
    out->addr = addr;
    out->size = (uint32_t)size;
    return 1;
}

/* A page-number line of 1 to 12 decimal digits and '\n' at s, with `end`
 * bytes of the buffer from there, a byte at a time (trace_next has read
 * those of up to 7 digits 8 bytes at a time): its length with the '\n',
 * the reference in *out; 0 for anything else (hex, blanks, CR LF, a
 * comment, a line cut by the end of the buffer, an error), which the
 * general reader below reads the same way. Twelve digits are never beyond
 * the 52-bit address space (2^40 pages). */
static size_t page_line(const char *s, size_t end, struct trace_ref *out)
{
    size_t most = end < 13 ? end : 13, n = 0;
    uint64_t v = 0;
    for (; n < most; n++) {
        unsigned d = (unsigned)(unsigned char)s[n] - '0';
        if (d > 9)
            break;
        v = v * 10 + d;
    }
    if (n == 0 || n == most || s[n] != '\n')
        return 0;
    *out = (struct trace_ref){.addr = v << 12, .size = 1, .access = TRACE_LOAD};
    return n + 1;
}

#ifdef TRACE_SHORT_PAGES
/* The hex digits that begin the 8 bytes at s, up to 8 of them: returns
 * how many (0 to 8), their value in *v. Eight bytes at a time: a trace's
 * addresses are most of its bytes, and a byte at a time each digit is a
 * load, a test and a branch. Each byte is classed by adding constants
 * that carry into its bit 7 exactly when it is at least a bound (every
 * byte below 0x80 first, so that no carry leaves it; one at or above it
 * is no digit anyway): a digit is at least '0' and not beyond '9', a
 * letter (case folded by bit 5) at least 'a' and not beyond 'f'. */
static inline unsigned hex8(const char *s, uint64_t *v)
{
    uint64_t w;
    memcpy(&w, s, sizeof w);
    const uint64_t ones = 0x0101010101010101u, top = 0x8080808080808080u;
    uint64_t x = w & ~top, y = x | 0x20 * ones;
    uint64_t is_digit = (x + 0x50 * ones) & ~(x + 0x46 * ones);   /* 0x30 <= x <= 0x39 */
    uint64_t is_letter = (y + 0x1F * ones) & ~(y + 0x19 * ones);  /* 0x61 <= y <= 0x66 */
    uint64_t other = ~((is_digit | is_letter) & ~w) & top;
    unsigned n = other ? (unsigned)__builtin_ctzll(other) >> 3 : 8;
    if (n == 0)
        return 0;
    /* each byte's value: its low four bits, and 9 more for a letter */
    uint64_t t = (w & 0x0F * ones) + (is_letter >> 7 & ones) * 9;
    /* the n digits to the top bytes (the others shifted out), then in
       order of significance, the last digit in the lowest byte; then
       pairs, fours and eights of nibbles put together */
    t = __builtin_bswap64(t << (8 - n) * 8);
    t = (t | t >> 4) & 0x00FF00FF00FF00FFu;
    t = (t | t >> 8) & 0x0000FFFF0000FFFFu;
    t = (t | t >> 16) & 0x00000000FFFFFFFFu;
    *v = t;
    return n;
}
#endif

/* Up to 13 hex digits (never beyond the 52-bit address space) at s[*n],
 * before s[end], into *v, *n past them; false when there are none. More
 * than 13 stop at the 13th (the caller then finds no separator after
 * them and leaves the line to the general reader). */
static inline __attribute__((always_inline)) bool quick_hex(const char *s, size_t *n, size_t end, uint64_t *v)
{
    size_t first = *n, last = first + 13 < end ? first + 13 : end;
#ifdef TRACE_SHORT_PAGES
    if (end - first >= 16) {   /* both reads of 8 bytes within the buffer */
        uint64_t high = 0, low = 0;
        unsigned k = hex8(s + first, &high), more = 0;
        if (k == 8 && digit(s[first + 8]) < 16) {   /* a 64-bit program's address, as a stack's */
            more = hex8(s + first + 8, &low);
            if (more > 5) {   /* a 14th digit: stop at the 13th, as the loop below does */
                low >>= 4 * (more - 5);
                more = 5;
            }
            high = high << 4 * more | low;
        }
        *v = high;
        *n = first + k + more;
        return k > 0;
    }
#endif
    uint64_t x = 0;
    unsigned d;
    for (; *n < last && (d = digit(s[*n])) < 16; ++*n)
        x = x << 4 | d;
    *v = x;
    return *n > first;
}

/* The lines of an rw and of a lackey trace as they are written, at s
 * with `end` bytes of the buffer from there: "ADDR R" ("0x" before ADDR,
 * w and r too) and valgrind's "I  ADDR,SIZE" and " L|S|M ADDR,SIZE", ADDR
 * 1 to 13 hex digits, SIZE 1 to 4 decimal digits, 1 to 4096, each line
 * ending in '\n'. Each returns the line's length with its '\n', the
 * reference in *out; 0 for anything else (other blanks, CR LF, longer
 * numbers, a comment, valgrind's messages, a line cut by the end of the
 * buffer, an error), which the general reader below reads the same way
 * or refuses with its message. The reader's position is left to the
 * caller, so that a batch keeps it in a register. A byte at a time, each
 * byte's place tested against `end`: rw_line and lackey_line below read
 * most lines faster and leave the rest to these. */
static size_t rw_line_bounded(const char *s, size_t end, struct trace_ref *out)
{
    size_t n = 0;
    uint64_t addr;
    if (end > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        n = 2;
    if (!quick_hex(s, &n, end, &addr) || end - n < 3 || s[n] != ' ' || s[n + 2] != '\n')
        return 0;
    char k = s[n + 1];
    if (k != 'R' && k != 'W' && k != 'r' && k != 'w')
        return 0;
    *out = (struct trace_ref){.addr = addr, .size = 1, .access = k == 'W' || k == 'w' ? TRACE_STORE : TRACE_LOAD};
    return n + 3;
}

static size_t lackey_line_bounded(const char *s, size_t end, struct trace_ref *out)
{
    size_t n = 3;
    enum trace_access kind;
    if (end < 7)   /* " L 0,1\n" */
        return 0;
    if (s[0] == 'I' && s[1] == ' ' && s[2] == ' ')
        kind = TRACE_FETCH;
    else if (s[0] == ' ' && s[2] == ' ' && (s[1] == 'L' || s[1] == 'S' || s[1] == 'M'))
        kind = s[1] == 'L' ? TRACE_LOAD : s[1] == 'S' ? TRACE_STORE : TRACE_MODIFY;
    else
        return 0;
    uint64_t addr;
    if (!quick_hex(s, &n, end, &addr) || n >= end || s[n] != ',')
        return 0;
    size_t first = ++n, last = first + 4 < end ? first + 4 : end;
    uint32_t size = 0;
    if (last - first >= 2 && s[first + 1] == '\n') {   /* one digit, the commonest size (1, 2, 4, 8) */
        size = (unsigned)(unsigned char)s[first] - '0';
        n = size <= 9 ? first + 1 : first;
    } else {
        for (unsigned d; n < last && (d = (unsigned)(unsigned char)s[n] - '0') <= 9; n++)
            size = size * 10 + d;
    }
    if (n == first || n >= end || s[n] != '\n' || size < 1 || size > 4096 || addr + size - 1 > TRACE_MAX_ADDRESS)
        return 0;
    *out = (struct trace_ref){.addr = addr, .size = size, .access = kind};
    return n + 1;
}

#define QUICK_ROOM 32u   /* bytes from a line's start that make any quick line whole in the buffer */

#ifdef TRACE_SHORT_PAGES
/* The kind of a lackey record by its second byte, plus one (0: none);
 * "I  " is a fetch, " L ", " S " and " M " the others. */
static const uint8_t lackey_kind_plus_one[256] = {
    [' '] = TRACE_FETCH + 1, ['L'] = TRACE_LOAD + 1, ['S'] = TRACE_STORE + 1, ['M'] = TRACE_MODIFY + 1};
#endif

/* rw_line_bounded and lackey_line_bounded where QUICK_ROOM bytes can be
 * read: the commonest lines (an address of 1 to 8 digits, or 9 to 13,
 * then " R", " W", or a one-digit size) read with whole words and no
 * bounds to test; any other line by the bounded reader. */
static inline __attribute__((always_inline)) size_t rw_line(const char *s, size_t end, struct trace_ref *out)
{
#ifdef TRACE_SHORT_PAGES
    if (end >= QUICK_ROOM) {
        size_t n = s[0] == '0' && (s[1] | 0x20) == 'x' ? 2 : 0;   /* "0x" or "0X" */
        uint64_t addr;
        if (!quick_hex(s, &n, end, &addr))
            return 0;
        uint32_t tail;
        memcpy(&tail, s + n, sizeof tail);   /* " R\n" */
        char k = (char)(tail >> 8);
        if ((tail & 0xFF00FFu) == (' ' | '\n' << 16) && (k == 'R' || k == 'W')) {
            *out = (struct trace_ref){.addr = addr, .size = 1, .access = k == 'W' ? TRACE_STORE : TRACE_LOAD};
            return n + 3;
        }
    }
#endif
    return rw_line_bounded(s, end, out);
}

static inline __attribute__((always_inline)) size_t lackey_line(const char *s, size_t end, struct trace_ref *out)
{
#ifdef TRACE_SHORT_PAGES
    if (end >= QUICK_ROOM) {
        uint32_t head, tail;
        memcpy(&head, s, sizeof head);
        unsigned second = (unsigned char)s[1], kind = lackey_kind_plus_one[second];
        /* "I  " for a fetch, " X " for the others */
        uint32_t frame = second == ' ' ? ('I' | ' ' << 16) : (' ' | ' ' << 16);
        size_t n = 3;
        uint64_t addr;
        if (!kind || (head & 0xFF00FFu) != frame || !quick_hex(s, &n, end, &addr))
            return 0;
        memcpy(&tail, s + n, sizeof tail);   /* ",D\n" */
        unsigned size = (tail >> 8 & 0xFFu) - '0';
        if ((tail & 0xFF00FFu) == (',' | '\n' << 16) && size - 1u < 9u && addr + size - 1 <= TRACE_MAX_ADDRESS) {
            *out = (struct trace_ref){.addr = addr, .size = size, .access = (enum trace_access)(kind - 1)};
            return n + 3;
        }
    }
#endif
    return lackey_line_bounded(s, end, out);
}

/* The line at r->pos, read by `line` (page_line, rw_line, lackey_line),
 * taken. */
static inline __attribute__((always_inline)) bool quick_line(struct trace_reader *r, struct trace_ref *out,
                                                           size_t (*line)(const char *, size_t, struct trace_ref *))
{
    size_t n = line(r->buf + r->pos, r->len - r->pos, out);
    if (!n)
        return false;
    r->pos += n;
    r->offset += n;
    r->line++;
    return true;
}

/* Up to `most` lines read by `line` into refs[], the position in locals
 * until the end. */
static inline __attribute__((always_inline)) uint32_t quick_lines(struct trace_reader *r, struct trace_ref *refs,
                                                                 uint32_t most,
                                                                 size_t (*line)(const char *, size_t,
                                                                                struct trace_ref *))
{
    const char *s = r->buf + r->pos;
    size_t left = r->len - r->pos, used = 0, k;
    uint32_t n = 0;
    while (n < most && (k = line(s + used, left - used, &refs[n])) > 0) {
        used += k;
        n++;
    }
    r->pos += used;
    r->offset += used;
    r->line += n;
    return n;
}

/* trace_next_line for any line: out of line, so that the quick readers'
 * calls keep a small frame. */
static __attribute__((noinline)) int next_line_general(struct trace_reader *r, struct trace_ref *out)
{
    for (;;) {
        const char *b = NULL, *e = NULL;
        int got = next_line(r, &b, &e);
        if (got <= 0)
            return got;
        const char *p = skip_blanks(b, e);
        if (p == e || *p == '#')
            continue;
        if (r->format == TRACE_LACKEY && e - p >= 2 && p[0] == '=' && p[1] == '=')
            continue;   /* valgrind's own messages */
        if (r->format == TRACE_AUTO) {
            if (e - p >= 2 && p[0] == '=' && p[1] == '=') {
                r->format = TRACE_LACKEY;
                continue;
            }
            if (detect(r, p, e) < 0)
                return -1;
        }
        switch (r->format) {
        case TRACE_PAGES: return parse_pages(r, p, e, out, true);
        case TRACE_ADDRS: return parse_pages(r, p, e, out, false);
        case TRACE_RW: return parse_rw(r, p, e, out);
        default: return parse_lackey(r, p, e, out);
        }
    }
}

int trace_next_line(struct trace_reader *r, struct trace_ref *out)
{
    if (r->format == TRACE_PAGES && quick_line(r, out, page_line))
        return 1;
    if (r->format == TRACE_RW && quick_line(r, out, rw_line))
        return 1;
    if (r->format == TRACE_LACKEY && quick_line(r, out, lackey_line))
        return 1;
    return next_line_general(r, out);
}

uint32_t trace_next_refs(struct trace_reader *r, struct trace_ref *refs, uint32_t most)
{
    if (r->format == TRACE_RW)
        return quick_lines(r, refs, most, rw_line);
    if (r->format == TRACE_LACKEY)
        return quick_lines(r, refs, most, lackey_line);
    return 0;
}

bool trace_rewind(struct trace_reader *r)
{
    if (r->spool && r->in != r->spool) {
        while (!r->eof) {   /* copy the rest aside */
            r->pos = r->len;
            if (!refill(r))
                return false;
        }
        long size = ftell(r->spool);
        r->size = size > 0 ? (uint64_t)size : 0;
        if (fflush(r->spool) != 0)
            return io_failed(r, "cannot write the copy aside (the trace is read twice)");
        if (r->in != stdin)
            fclose(r->in);   /* the pipe: read to its end */
        r->in = r->spool;
    }
    if (r->in_place)
        r->at = r->start;
    else if (fseek(r->in, 0, SEEK_SET) != 0) {
        snprintf(r->error, sizeof r->error, "%s: cannot read the trace again: %s", r->shown,
                 strerror(errno));
        return false;
    }
    clearerr(r->in);
    r->len = r->pos = 0;
    r->eof = false;
    r->line = r->offset = 0;   /* the format found stays: the same lines decide it again */
    return true;
}
