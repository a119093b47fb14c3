/*
 * quiz.c - generating a quiz: which kind each question is, its own seed,
 * and the table of kinds with their makers (one file per kind).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "qutil.h"

static const struct {
    const char *name;
    bool (*make)(struct qrng *rng, struct quiz_question *q, char *err, size_t err_size);
} kinds[QUIZ_KIND_COUNT] = {
    [QUIZ_TRANSLATE] = {"translate", quiz_make_translate},
    [QUIZ_DECODE] = {"decode", quiz_make_decode},
    [QUIZ_FAULT] = {"fault", quiz_make_fault},
    [QUIZ_POLICY] = {"policy", quiz_make_policy},
    [QUIZ_LISTS] = {"lists", quiz_make_lists},
};

const char *quiz_kind_name(enum quiz_kind k) { return (unsigned)k < QUIZ_KIND_COUNT ? kinds[k].name : "?"; }

bool quiz_kind_from_name(const char *name, enum quiz_kind *out)
{
    for (unsigned k = 0; k < QUIZ_KIND_COUNT; k++)
        if (strcmp(name, kinds[k].name) == 0) {
            *out = (enum quiz_kind)k;
            return true;
        }
    return false;
}

const char *quiz_kinds_text(unsigned set, char *buf, size_t size)
{
    size_t at = 0;
    buf[0] = '\0';
    for (unsigned k = 0; k < QUIZ_KIND_COUNT; k++)
        if (set & (1u << k)) {
            int n = snprintf(buf + at, size - at, "%s%s", at ? "," : "", kinds[k].name);
            if (n < 0 || (size_t)n >= size - at)
                break;
            at += (size_t)n;
        }
    return buf;
}

bool quiz_kinds_parse(const char *text, unsigned *set, char *why, size_t why_size)
{
    const char *names[QUIZ_KIND_COUNT];
    for (unsigned k = 0; k < QUIZ_KIND_COUNT; k++)
        names[k] = kinds[k].name;
    *set = 0;
    const char *p = text;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char word[32];
        if (len == 0 || len >= sizeof word) {
            snprintf(why, why_size, "expected kinds separated by commas (%s), found '%.*s'",
                     "translate,decode,fault,policy,lists", len >= sizeof word ? 24 : (int)len, p);
            return false;
        }
        memcpy(word, p, len);
        word[len] = '\0';
        enum quiz_kind k;
        if (!quiz_kind_from_name(word, &k)) {
            const char *hint = parse_suggest(word, names, QUIZ_KIND_COUNT);
            snprintf(why, why_size, "no kind of question '%s'%s%s%s (kinds: translate, decode, fault, policy, lists)",
                     word, hint ? ", did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
            return false;
        }
        *set |= 1u << k;
        if (!comma)
            return true;
        p = comma + 1;
    }
}

/* The kind of question `number` (from 1): the kinds asked, in turn. */
static enum quiz_kind kind_of(unsigned set, uint32_t number)
{
    unsigned n = 0, order[QUIZ_KIND_COUNT];
    for (unsigned k = 0; k < QUIZ_KIND_COUNT; k++)
        if (set & (1u << k))
            order[n++] = k;
    return (enum quiz_kind)order[(number - 1) % n];
}

bool quiz_generate(struct quiz *qz, uint64_t seed, uint32_t count, unsigned set, char *err, size_t err_size)
{
    memset(qz, 0, sizeof *qz);
    if (count < 1 || count > QUIZ_MAX_COUNT || (set & QUIZ_ALL_KINDS) == 0 || (set & ~QUIZ_ALL_KINDS)) {
        snprintf(err, err_size, "a quiz has 1 to %u questions of at least one kind", QUIZ_MAX_COUNT);
        return false;
    }
    qz->seed = seed;
    qz->count = count;
    qz->kinds = set;
    qz->q = calloc(count, sizeof *qz->q);
    if (!qz->q) {
        snprintf(err, err_size, "out of memory");
        return false;
    }
    for (uint32_t i = 0; i < count; i++) {
        struct quiz_question *q = &qz->q[i];
        q->number = i + 1;
        q->kind = kind_of(set, q->number);
        /* the question's own stream: the seed and its number only */
        struct qrng rng = {seed ^ (0xD1B54A32D192ED03ull * q->number)};
        qrng_next(&rng);
        if (!kinds[q->kind].make(&rng, q, err, err_size)) {
            quiz_free(qz);
            return false;
        }
        if (!q->text || !q->worked) {
            snprintf(err, err_size, "out of memory");
            quiz_free(qz);
            return false;
        }
    }
    return true;
}

void quiz_free(struct quiz *qz)
{
    for (uint32_t i = 0; qz->q && i < qz->count; i++) {
        free(qz->q[i].text);
        free(qz->q[i].worked);
    }
    free(qz->q);
    memset(qz, 0, sizeof *qz);
}

const struct quiz_part *quiz_find_part(const struct quiz_question *q, const char *name)
{
    for (uint32_t i = 0; i < q->nparts; i++)
        if (strcmp(q->part[i].name, name) == 0)
            return &q->part[i];
    return NULL;
}

unsigned quiz_question_points(const struct quiz_question *q)
{
    unsigned total = 0;
    for (uint32_t i = 0; i < q->nparts; i++)
        total += q->part[i].points;
    return total;
}
