/*
 * qutil.c - the generator, growing text, the question's machine, the
 * answer words and the part builders (qutil.h).
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qutil.h"

/* ---- The generator ---- */

uint64_t qrng_next(struct qrng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint32_t qrng_below(struct qrng *r, uint32_t n)
{
    return n <= 1 ? 0 : (uint32_t)(qrng_next(r) % n);
}

bool qrng_chance(struct qrng *r, uint32_t percent) { return qrng_below(r, 100) < percent; }

uint32_t qrng_weighted(struct qrng *r, const uint32_t *weight, uint32_t n)
{
    uint32_t total = 0;
    for (uint32_t i = 0; i < n; i++)
        total += weight[i];
    uint32_t pick = qrng_below(r, total);
    for (uint32_t i = 0; i < n; i++) {
        if (pick < weight[i])
            return i;
        pick -= weight[i];
    }
    return n - 1;
}

/* ---- Text ---- */

void qt_printf(struct qtext *t, const char *fmt, ...)
{
    if (t->oom)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        t->oom = true;
        return;
    }
    size_t need = t->len + (size_t)n + 1;
    if (need > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < need)
            cap *= 2;
        char *s = realloc(t->s, cap);
        if (!s) {
            t->oom = true;
            return;
        }
        t->s = s;
        t->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

char *qt_take(struct qtext *t)
{
    char *s = t->oom ? NULL : t->s;
    if (!s && !t->oom)
        s = calloc(1, 1);
    if (t->oom)
        free(t->s);
    memset(t, 0, sizeof *t);
    return s;
}

void qt_free(struct qtext *t)
{
    free(t->s);
    memset(t, 0, sizeof *t);
}

/* ---- The question's machine ---- */

static void record(void *ctx, const struct mm_event *ev)
{
    struct qmachine *q = ctx;
    if (!q->recording)
        return;
    if (q->nevents == QM_MAX_EVENTS) {
        q->overflow = true;
        return;
    }
    q->ev[q->nevents++] = *ev;
}

static bool start(struct qmachine *q, uint32_t frames, uint32_t pagefile, enum mm_policy policy, bool b,
                  uint32_t pages, char *err, size_t err_size);

bool qm_start(struct qmachine *q, uint32_t frames, uint32_t pagefile, enum mm_policy policy, char *err,
              size_t err_size)
{
    return start(q, frames, pagefile, policy, false, 0, err, err_size);
}

bool qm_start_after_b(struct qmachine *q, uint32_t frames, uint32_t pagefile, enum mm_policy policy, uint32_t pages,
                      char *err, size_t err_size)
{
    return start(q, frames, pagefile, policy, true, pages, err, err_size);
}

static bool start(struct qmachine *q, uint32_t frames, uint32_t pagefile, enum mm_policy policy, bool b,
                  uint32_t pages, char *err, size_t err_size)
{
    memset(q, 0, sizeof *q);
    struct mm_config cfg;
    mm_config_default(&cfg);
    mm_config_for_memory(&cfg, frames);
    cfg.pagefile_pages[0] = pagefile;
    cfg.policy = policy;
    cfg.read_cluster = 0;
    const char *why = NULL;
    q->ev = malloc(QM_MAX_EVENTS * sizeof *q->ev);
    q->m = q->ev ? mm_create(&cfg, &why) : NULL;
    if (!q->m) {
        snprintf(err, err_size, "cannot build the question's machine: %s", why ? why : "out of memory");
        free(q->ev);
        q->ev = NULL;
        return false;
    }
    mm_set_sink(q->m, record, q);
    if (b) {
        uint32_t pid;
        mm_va base = 0x00400000u;
        uint32_t size = pages ? pages * PAGE_SIZE : PAGE_SIZE;
        if (!qm_ok(mm_process_create(q->m, "B", &pid), "creating process B", err, err_size) ||
            !qm_ok(mm_allocate(q->m, pid, &base, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE), "allocating in B",
                   err, err_size))
            return false;
        for (uint32_t k = 0; k < pages; k++)
            if (!qm_ok(mm_write32(q->m, pid, base + k * PAGE_SIZE, k), "writing in B", err, err_size))
                return false;
    }
    return qm_ok(mm_process_create(q->m, "A", &q->pid), "creating process A", err, err_size);
}

void qm_stop(struct qmachine *q)
{
    mm_destroy(q->m);
    free(q->ev);
    memset(q, 0, sizeof *q);
}

void qm_record(struct qmachine *q)
{
    q->recording = true;
    q->nevents = 0;
    q->overflow = false;
}

void qm_stop_recording(struct qmachine *q) { q->recording = false; }

bool qm_ok(mm_status s, const char *what, char *err, size_t err_size)
{
    if (s == STATUS_SUCCESS)
        return true;
    const char *name = mm_status_name(s);
    snprintf(err, err_size, "a question's setup failed: %s: %s", what, name ? name : "an unknown status");
    return false;
}

/* ---- Words ---- */

const char *const quiz_fault_words[] = {"none",      "demand-zero",      "transition", "page-file", "page-table",
                                        "guard-page", "access-violation", "no-memory",  NULL};
const char *const quiz_av_words[] = {"none", "no-vad", "not-committed", "no-access", "write", "execute",
                                     "kernel-address", NULL};
const char *const quiz_form_words[] = {"zero",       "valid",     "demand-zero", "page-file",
                                       "transition", "prototype", "decommitted", NULL};
const char *const quiz_list_words[] = {"zeroed", "free", "standby", "modified", "modified-no-write", "bad",
                                       "active", "transition", "none", NULL};

const char *quiz_av_word(enum mm_av_reason r)
{
    return (unsigned)r < MM_AV_REASON_COUNT ? quiz_av_words[r] : "?";
}

const char *quiz_list_word(enum mm_list l)
{
    return (unsigned)l < MM_LIST_COUNT ? quiz_list_words[l] : "none";
}

const char *quiz_describe_pte(mm_pte v, char *buf, size_t size)
{
    char prot[48];
    enum pte_form form = pte_classify(v);
    switch (form) {
    case PTE_FORM_VALID:
        snprintf(buf, size, "valid: frame 0x%03X, W=%u U=%u A=%u D=%u", pte_frame(v), (v & PTE_WRITE) != 0,
                 (v & PTE_OWNER) != 0, (v & PTE_ACCESSED) != 0, (v & PTE_DIRTY) != 0);
        break;
    case PTE_FORM_TRANSITION:
        snprintf(buf, size, "transition: frame 0x%03X, %s", pte_frame(v),
                 prot_name(pte_protection(v), prot, sizeof prot));
        break;
    case PTE_FORM_PAGEFILE:
        snprintf(buf, size, "page-file: file %u, slot 0x%X, %s", pte_pagefile_number(v), pte_pagefile_offset(v),
                 prot_name(pte_protection(v), prot, sizeof prot));
        break;
    case PTE_FORM_DEMAND_ZERO:
        snprintf(buf, size, "demand-zero: %s", prot_name(pte_protection(v), prot, sizeof prot));
        break;
    case PTE_FORM_ZERO:
        snprintf(buf, size, "zero: nothing here yet, the VAD decides");
        break;
    case PTE_FORM_DECOMMITTED:
        snprintf(buf, size, "decommitted (MM_DECOMMIT protection)");
        break;
    default:
        snprintf(buf, size, "%s", pte_form_name(form));
        break;
    }
    return buf;
}

/* ---- Parts ---- */

struct quiz_part *quiz_add_part(struct quiz_question *q, const char *name, enum quiz_value type, unsigned points)
{
    assert(q->nparts < QUIZ_MAX_PARTS);
    struct quiz_part *p = &q->part[q->nparts++];
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "%s", name);
    p->type = type;
    p->points = points;
    return p;
}

void quiz_part_number(struct quiz_part *p, uint64_t value, bool hex)
{
    p->number = value;
    p->is_number = true;
    if (hex)
        snprintf(p->answer, sizeof p->answer, "0x%08llX", (unsigned long long)value);
    else
        snprintf(p->answer, sizeof p->answer, "%llu", (unsigned long long)value);
}

void quiz_part_word(struct quiz_part *p, const char *word, const char *const *vocabulary)
{
    p->is_number = false;
    p->vocabulary = vocabulary;
    snprintf(p->answer, sizeof p->answer, "%s", word);
}

void quiz_part_yesno(struct quiz_part *p, bool yes) { snprintf(p->answer, sizeof p->answer, "%s", yes ? "yes" : "no"); }

void quiz_part_protection(struct quiz_part *p, uint32_t protection_mask)
{
    p->protection = prot_to_win32(protection_mask);
    char buf[48];
    snprintf(p->answer, sizeof p->answer, "%s", prot_name(protection_mask, buf, sizeof buf));
}

void quiz_part_text(struct quiz_part *p, const char *text) { snprintf(p->answer, sizeof p->answer, "%s", text); }

void quiz_part_none(struct quiz_part *p)
{
    p->none = true;
    p->is_number = false;
    snprintf(p->answer, sizeof p->answer, "none");
}
