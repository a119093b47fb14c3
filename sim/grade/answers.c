/*
 * answers.c - reading an answers file and scoring it against the quiz it
 * answers (answers.h).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "cli/args.h"
#include "mm.h"
#include "parse.h"


/* ---- Reading ---- */

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* The line [s, s + n) with blanks trimmed at both ends. */
static void trim(const char **s, size_t *n)
{
    while (*n && is_blank(**s))
        (*s)++, (*n)--;
    while (*n && (is_blank((*s)[*n - 1]) || (*s)[*n - 1] == '\r'))
        (*n)--;
}

/* A header line "seed 7": the word and its value. */
static bool header(const char *s, size_t n, const char *word, const char **value, size_t *vlen)
{
    size_t w = strlen(word);
    if (n <= w || strncmp(s, word, w) != 0 || !is_blank(s[w]))
        return false;
    *value = s + w;
    *vlen = n - w;
    trim(value, vlen);
    return true;
}

static bool header_line(struct answers *a, const char *s, size_t n, uint32_t line, struct grade_errors *errs)
{
    const char *v;
    size_t vlen;
    char value[ANSWERS_MAX_LINE + 1], why[200], shown[ARGS_SHOW_SIZE];
    static const char *const words[] = {"seed", "count", "kinds", "version"};
    for (unsigned w = 0; w < 4; w++) {
        if (!header(s, n, words[w], &v, &vlen))
            continue;
        memcpy(value, v, vlen);
        value[vlen] = '\0';
        bool *has = w == 0 ? &a->has_seed : w == 1 ? &a->has_count : w == 2 ? &a->has_kinds : &a->has_version;
        uint32_t *at = w == 0 ? &a->seed_line : w == 1 ? &a->count_line : w == 2 ? &a->kinds_line : &a->version_line;
        if (*has) {
            grade_error_at(errs, a->file, line, "a second '%s' line (the first is line %u)", words[w], *at);
            return true;
        }
        uint64_t number;
        if (w == 0 && !parse_number(value, UINT64_MAX, &number, why, sizeof why)) {
            grade_error_at(errs, a->file, line, "seed: %s", why);
            return true;
        }
        if (w == 1 && !parse_field(value, false, 1, QUIZ_MAX_COUNT, &number, why, sizeof why)) {
            grade_error_at(errs, a->file, line, "count: %s", why);
            return true;
        }
        if (w == 2 && !quiz_kinds_parse(value, &a->kinds, why, sizeof why)) {
            grade_error_at(errs, a->file, line, "kinds: %s", why);
            return true;
        }
        if (w == 3 && (vlen == 0 || vlen >= sizeof a->version)) {
            grade_error_at(errs, a->file, line, "version: expected a version like %s, found '%s'", MMSIM_VERSION,
                  args_show_n(value, vlen, shown, sizeof shown));
            return true;
        }
        if (w == 0)
            a->seed = number;
        else if (w == 1)
            a->count = (uint32_t)number;
        else if (w == 3)
            memcpy(a->version, value, vlen + 1);
        *has = true;
        *at = line;
        return true;
    }
    return false;
}

/* "QUESTION.PART = ANSWER"; false (nothing recorded) when the line is not
 * of that shape. */
static bool answer_line(struct answers *a, const char *s, size_t n, uint32_t line, struct grade_errors *errs)
{
    size_t i = 0;
    uint64_t q = 0;
    while (i < n && isdigit((unsigned char)s[i])) {   /* past QUIZ_MAX_COUNT the value is only "too large" */
        if (q <= QUIZ_MAX_COUNT)
            q = q * 10 + (uint64_t)(s[i] - '0');
        i++;
    }
    if (i == 0 || i >= n || s[i] != '.')
        return false;
    size_t part = ++i;
    while (i < n && (isalpha((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_'))
        i++;
    size_t plen = i - part;
    while (i < n && is_blank(s[i]))
        i++;
    if (plen == 0 || i >= n || s[i] != '=')
        return false;
    const char *v = s + i + 1;
    size_t vlen = n - i - 1;
    trim(&v, &vlen);
    char shown[ARGS_SHOW_SIZE];
    if (q < 1 || q > QUIZ_MAX_COUNT || (isdigit((unsigned char)s[0]) && s[0] == '0')) {
        grade_error_at(errs, a->file, line, "'%s' is not a question number (1 to %u)",
              args_show_n(s, part - 1, shown, sizeof shown), QUIZ_MAX_COUNT);
        return true;
    }
    if (plen >= QUIZ_PART_NAME) {
        grade_error_at(errs, a->file, line, "no question has a part named '%s'", args_show_n(s + part, plen, shown, sizeof shown));
        return true;
    }
    if (vlen >= QUIZ_ANSWER_SIZE) {
        grade_error_at(errs, a->file, line, "an answer of %llu characters; at most %u", (unsigned long long)vlen, QUIZ_ANSWER_SIZE - 1);
        return true;
    }
    if (a->nentries == ANSWERS_MAX_ENTRIES) {
        grade_error_at(errs, a->file, line, "more than %u answers; a quiz has at most %u parts", ANSWERS_MAX_ENTRIES,
              QUIZ_MAX_COUNT * QUIZ_MAX_PARTS);
        return true;
    }
    struct answer_entry *e = &a->entry[a->nentries++];
    e->question = (uint32_t)q;
    for (size_t k = 0; k < plen; k++)   /* part names are lower case: 1.PDE_PA is 1.pde_pa */
        e->part[k] = (char)tolower((unsigned char)s[part + k]);
    e->part[plen] = '\0';
    memcpy(e->value, v, vlen);
    e->value[vlen] = '\0';
    e->line = line;
    return true;
}

/* A byte a line may not hold: a control character other than tab (and the
 * carriage return of a CRLF ending). */
static bool bad_byte(const char *s, size_t n, size_t *at)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t' && !(c == '\r' && i == n - 1)) || c == 0x7F) {
            *at = i;
            return true;
        }
    }
    return false;
}

bool answers_read(const char *file, const char *text, size_t len, struct answers *a, struct grade_errors *errs)
{
    memset(a, 0, sizeof *a);
    memset(errs, 0, sizeof *errs);
    char shown[ARGS_SHOW_SIZE];
    snprintf(a->file, sizeof a->file, "%s", args_show(file, shown, sizeof shown));
    if (len > ANSWERS_MAX_BYTES) {
        grade_error_at(errs, a->file, 0, "larger than %u bytes; an answers file is a page of text", ANSWERS_MAX_BYTES);
        return false;
    }
    a->entry = calloc(ANSWERS_MAX_ENTRIES, sizeof *a->entry);
    if (!a->entry) {
        grade_error_at(errs, a->file, 0, "out of memory");
        return false;
    }
    size_t start = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        start = 3;   /* a byte-order mark, as Notepad writes */
    uint32_t line = 0;
    for (size_t pos = start; pos < len;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        const char *s = text + pos;
        pos += n + 1;
        line++;
        size_t bad;
        if (n > ANSWERS_MAX_LINE) {
            grade_error_at(errs, a->file, line, "a line of %llu bytes; at most %u", (unsigned long long)n, ANSWERS_MAX_LINE);
            continue;
        }
        if (bad_byte(s, n, &bad)) {
            grade_error_at(errs, a->file, line, "a control character (0x%02X) at column %llu; an answers file is text",
                  (unsigned char)s[bad], (unsigned long long)bad + 1);
            continue;
        }
        trim(&s, &n);
        if (n == 0 || s[0] == '#')
            continue;
        if (header_line(a, s, n, line, errs) || answer_line(a, s, n, line, errs))
            continue;
        grade_error_at(errs, a->file, line,
              "expected 'QUESTION.PART = ANSWER' (like '1.pde_pa = 0x1F004'), a header line (seed, "
              "count, kinds, version) or a '#' comment; found '%s'",
              args_show_n(s, n, shown, sizeof shown));
    }
    if (errs->count == 0 && a->nentries == 0 && !a->has_seed)
        grade_error_at(errs, a->file, 0, "holds no answers (an answers file has lines like '1.pde_pa = 0x1F004')");
    return errs->count == 0;
}

void answers_free(struct answers *a)
{
    free(a->entry);
    a->entry = NULL;
    a->nentries = 0;
}

/* ---- Matching the quiz ---- */

static void part_names(const struct quiz_question *q, char *buf, size_t size)
{
    size_t at = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i < q->nparts; i++) {
        int n = snprintf(buf + at, size - at, "%s%s", i ? ", " : "", q->part[i].name);
        if (n < 0 || (size_t)n >= size - at)
            return;
        at += (size_t)n;
    }
}

bool answers_match(const struct answers *a, const struct quiz *qz, struct grade_errors *errs)
{
    memset(errs, 0, sizeof *errs);
    char k1[96], k2[96];
    if (a->has_seed && a->seed != qz->seed)
        grade_error_at(errs, a->file, a->seed_line, "these are answers to the quiz of seed %llu; the quiz to grade is seed %llu",
              (unsigned long long)a->seed, (unsigned long long)qz->seed);
    if (a->has_count && a->count != qz->count)
        grade_error_at(errs, a->file, a->count_line, "these answers are to %u questions; the quiz to grade has %u", a->count,
              qz->count);
    if (a->has_kinds && a->kinds != qz->kinds)
        grade_error_at(errs, a->file, a->kinds_line, "these answers are to questions of kinds %s; the quiz to grade asks %s",
              quiz_kinds_text(a->kinds, k1, sizeof k1), quiz_kinds_text(qz->kinds, k2, sizeof k2));
    if (errs->count)
        return false;   /* another quiz: its parts would be checked against the wrong questions */
    for (uint32_t i = 0; i < a->nentries; i++) {
        const struct answer_entry *e = &a->entry[i];
        if (e->question > qz->count) {
            grade_error_at(errs, a->file, e->line, "there is no question %u (the quiz has %u)", e->question, qz->count);
            continue;
        }
        const struct quiz_question *q = &qz->q[e->question - 1];
        if (!quiz_find_part(q, e->part)) {
            const char *names[QUIZ_MAX_PARTS];
            for (uint32_t k = 0; k < q->nparts; k++)
                names[k] = q->part[k].name;
            const char *hint = parse_suggest(e->part, names, q->nparts);
            char list[200];
            part_names(q, list, sizeof list);
            grade_error_at(errs, a->file, e->line, "question %u (%s) has no part '%s'%s%s%s (its parts: %s)", e->question,
                  quiz_kind_name(q->kind), e->part, hint ? ", did you mean '" : "", hint ? hint : "",
                  hint ? "'?" : "", list);
            continue;
        }
        for (uint32_t j = 0; j < i; j++)
            if (a->entry[j].question == e->question && strcmp(a->entry[j].part, e->part) == 0) {
                grade_error_at(errs, a->file, e->line, "%u.%s is answered twice (first on line %u)", e->question, e->part,
                      a->entry[j].line);
                break;
            }
    }
    return errs->count == 0;
}

/* ---- Comparing one answer ---- */

/* Lower case without blanks, '-' and '_': "Demand Zero" -> "demandzero". */
static void squash(const char *s, char *out, size_t size)
{
    size_t o = 0;
    for (; *s && o + 1 < size; s++)
        if (*s != ' ' && *s != '-' && *s != '_' && *s != '\t')
            out[o++] = (char)tolower((unsigned char)*s);
    out[o] = '\0';
}

static bool is_none(const char *answer)
{
    char w[QUIZ_ANSWER_SIZE];
    squash(answer, w, sizeof w);
    return strcmp(w, "none") == 0 || strcmp(answer, "-") == 0 || strcmp(w, "n/a") == 0 || strcmp(w, "na") == 0;
}

static void say(char *why, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *why, size_t size, const char *fmt, ...)
{
    if (!why)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
}

/* Every number the quiz asks for (an i386 address without PAE, a PTE, a
 * count) fits in 32 bits. */
#define ANSWER_NUMBER_MAX 0xFFFFFFFFull
#define ANSWER_TOO_LARGE "too large: a number here is 0 to 4294967295 (0xFFFFFFFF)"

/* One number of an answer; false with the reason (too large, or not a
 * number) in why. */
static bool answer_number(const char *s, uint64_t *v, char *why, size_t size)
{
    char reason[160];
    uint64_t magnitude;
    if (s[0] == '-' && parse_number(s + 1, UINT64_MAX, &magnitude, reason, sizeof reason)) {
        say(why, size, "negative: a number here is 0 to 4294967295 (0xFFFFFFFF)");
        return false;
    }
    if (!parse_number(s, ANSWER_NUMBER_MAX, v, reason, sizeof reason)) {
        say(why, size, "%s", strstr(reason, "too large") ? ANSWER_TOO_LARGE : "not a number (decimal or 0x-hex)");
        return false;
    }
    return true;
}

static bool number_equal(uint64_t expected, const char *answer, char *why, size_t size)
{
    uint64_t v;
    if (!answer_number(answer, &v, why, size))
        return false;
    if (v != expected)
        say(why, size, "a different number");
    return v == expected;
}

static bool word_equal(const struct quiz_part *p, const char *answer, char *why, size_t size)
{
    char a[QUIZ_ANSWER_SIZE], e[QUIZ_ANSWER_SIZE], w[QUIZ_ANSWER_SIZE];
    squash(answer, a, sizeof a);
    squash(p->answer, e, sizeof e);
    if (strcmp(a, e) == 0)
        return true;
    bool known = false;
    for (const char *const *v = p->vocabulary; v && *v && !known; v++) {
        squash(*v, w, sizeof w);
        known = strcmp(a, w) == 0;
    }
    say(why, size, "%s", known || !p->vocabulary ? "a different answer" : "not one of the words the question offers");
    return false;
}

static bool yesno(const char *answer, bool *out)
{
    char a[QUIZ_ANSWER_SIZE];
    squash(answer, a, sizeof a);
    if (!strcmp(a, "yes") || !strcmp(a, "y") || !strcmp(a, "true") || !strcmp(a, "1"))
        *out = true;
    else if (!strcmp(a, "no") || !strcmp(a, "n") || !strcmp(a, "false") || !strcmp(a, "0"))
        *out = false;
    else
        return false;
    return true;
}

static bool has_page_prefix(const char *s)
{
    static const char prefix[] = "PAGE_";
    for (unsigned i = 0; i < 5; i++)
        if (toupper((unsigned char)s[i]) != prefix[i])
            return false;
    return true;
}

/* PAGE_* names in any case, the PAGE_ prefix optional, joined by '|'. */
static bool protection_of(const char *answer, uint32_t *flags)
{
    char buf[2 * QUIZ_ANSWER_SIZE], why[160];
    size_t o = 0;
    bool start = true;
    for (const char *s = answer; *s && o + 8 < sizeof buf; s++) {
        if (*s == ' ')
            continue;
        if (start && isalpha((unsigned char)*s) && !has_page_prefix(s)) {
            memcpy(buf + o, "PAGE_", 5);
            o += 5;
        }
        buf[o++] = (char)toupper((unsigned char)*s);
        start = *s == '|';
    }
    buf[o] = '\0';
    return parse_protection(buf, flags, why, sizeof why);
}

static bool set_of(const char *s, uint64_t *v, uint32_t *n, uint32_t max, char *why, size_t size)
{
    *n = 0;
    while (*s) {
        while (*s == ',' || *s == ' ' || *s == '{' || *s == '}' || *s == '[' || *s == ']')
            s++;
        if (!*s)
            break;
        char word[32];
        size_t len = 0;
        while (s[len] && s[len] != ',' && s[len] != ' ' && s[len] != '}' && s[len] != ']' && len < sizeof word - 1)
            len++;
        memcpy(word, s, len);
        word[len] = '\0';
        s += len;
        uint64_t x;
        if (!answer_number(word, &x, why, size))
            return false;
        if (*n == max) {
            say(why, size, "more numbers than the set can hold");
            return false;
        }
        bool dup = false;
        for (uint32_t i = 0; i < *n; i++)
            dup |= v[i] == x;
        if (!dup)
            v[(*n)++] = x;
    }
    return true;
}

static bool same_set(const char *expected, const char *answer, char *why, size_t size)
{
    uint64_t e[QUIZ_ANSWER_SIZE], a[QUIZ_ANSWER_SIZE];
    uint32_t ne, na;
    char reason[160];
    if (!set_of(answer, a, &na, QUIZ_ANSWER_SIZE, reason, sizeof reason)) {
        if (strstr(reason, "too large") || strstr(reason, "negative"))
            say(why, size, "%s", reason);
        else
            say(why, size, "not numbers separated by commas");
        return false;
    }
    if (!set_of(expected, e, &ne, QUIZ_ANSWER_SIZE, NULL, 0) || ne != na) {
        say(why, size, "a different set");
        return false;
    }
    for (uint32_t i = 0; i < ne; i++) {
        bool found = false;
        for (uint32_t j = 0; j < na; j++)
            found |= e[i] == a[j];
        if (!found) {
            say(why, size, "a different set");
            return false;
        }
    }
    return true;
}

/* Is `word` one of the words the part's answers may use? */
static bool in_vocabulary(const struct quiz_part *p, const char *word)
{
    for (const char *const *v = p->vocabulary; v && *v; v++)
        if (strcmp(*v, word) == 0)
            return true;
    return false;
}

bool answers_part_correct(const struct quiz_part *p, const char *answer, char *why, size_t why_size)
{
    if (!answer || !answer[0]) {
        say(why, why_size, "not answered");
        return false;
    }
    if (p->none) {
        if (!is_none(answer))
            say(why, why_size, "there is no such thing here");
        return is_none(answer);
    }
    if (is_none(answer) && !in_vocabulary(p, "none")) {
        say(why, why_size, "there is one");
        return false;
    }
    bool yes;
    uint32_t flags;
    switch (p->type) {
    case QV_NUMBER: return number_equal(p->number, answer, why, why_size);
    case QV_ADDR_OR_WORD:
        if (p->is_number) {
            char w[QUIZ_ANSWER_SIZE];
            squash(answer, w, sizeof w);
            if (!isdigit((unsigned char)w[0])) {
                say(why, why_size, "the access raises no fault: give the physical address");
                return false;
            }
            return number_equal(p->number, answer, why, why_size);
        }
        if (isdigit((unsigned char)answer[0])) {
            say(why, why_size, "the access faults: give the fault");
            return false;
        }
        return word_equal(p, answer, why, why_size);
    case QV_WORD: return word_equal(p, answer, why, why_size);
    case QV_YESNO:
        if (!yesno(answer, &yes)) {
            say(why, why_size, "not yes or no");
            return false;
        }
        if (yes != (strcmp(p->answer, "yes") == 0))
            say(why, why_size, "the other way round");
        return yes == (strcmp(p->answer, "yes") == 0);
    case QV_PROTECTION:
        if (!protection_of(answer, &flags)) {
            say(why, why_size, "not a protection (PAGE_* names joined by '|')");
            return false;
        }
        if (flags != p->protection)
            say(why, why_size, "a different protection");
        return flags == p->protection;
    case QV_SET: return same_set(p->answer, answer, why, why_size);
    }
    return false;
}

/* ---- Grading ---- */

void answers_grade(const struct answers *a, const struct quiz *qz, struct grade_report *r)
{
    for (uint32_t i = 0; i < qz->count; i++) {
        const struct quiz_question *q = &qz->q[i];
        struct {
            char s[2048];
            size_t n;
        } out = {.n = 0};
        unsigned score = 0;
        for (uint32_t k = 0; k < q->nparts; k++) {
            const struct quiz_part *p = &q->part[k];
            const char *given = NULL;
            for (uint32_t j = 0; j < a->nentries && !given; j++)
                if (a->entry[j].question == q->number && strcmp(a->entry[j].part, p->name) == 0)
                    given = a->entry[j].value;
            char why[160];
            if (answers_part_correct(p, given, why, sizeof why)) {
                score += p->points;
                continue;
            }
            char shown[ARGS_SHOW_SIZE];
            int n;
            if (given && given[0]) {
                /* "answered X: why; expected Y" */
                n = snprintf(out.s + out.n, sizeof out.s - out.n, "%s: answered %s: %s; expected %s (0/%u)\n", p->name,
                             args_show(given, shown, sizeof shown), why, p->answer, p->points);
            } else {
                n = snprintf(out.s + out.n, sizeof out.s - out.n, "%s: not answered; expected %s (0/%u)\n", p->name,
                             p->answer, p->points);
            }
            if (n > 0 && (size_t)n < sizeof out.s - out.n)
                out.n += (size_t)n;
        }
        char name[64];
        snprintf(name, sizeof name, "question %u (%s)", q->number, quiz_kind_name(q->kind));
        grade_report_add(r, name, score, quiz_question_points(q), out.s, NULL);
    }
}
