/*
 * snapshot.c - a whole copy of a machine, for seeking: the replayer keeps
 * copies every few steps so that going back to step N is "copy the nearest
 * earlier copy and run the few steps after it", not a replay from the start.
 * The engine is deterministic, so the copy run forward gives the state the
 * original had at the same step. Nothing is shared: the copy and the
 * original change independently and are freed independently.
 */
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "mm.h"

/* malloc + memcpy of n bytes of src; NULL for a NULL or empty src. */
static void *dup_bytes(const void *src, size_t n, bool *ok)
{
    if (!src || n == 0)
        return NULL;
    void *p = malloc(n);
    if (!p)
        *ok = false;
    else
        memcpy(p, src, n);
    return p;
}

/* Host pages: an array of `count` pointers, each NULL or 4 KiB. */
static uint8_t **dup_pages(uint8_t *const *src, uint32_t count, bool *ok)
{
    uint8_t **dst = calloc(count ? count : 1, sizeof *dst);
    if (!dst) {
        *ok = false;
        return NULL;
    }
    for (uint32_t i = 0; i < count && *ok; i++)
        if (src[i])
            dst[i] = dup_bytes(src[i], PAGE_SIZE, ok);
    return dst;
}

static struct mm_vad *dup_vads(const struct mm_vad *v, bool *ok)
{
    if (!v)
        return NULL;
    struct mm_vad *c = dup_bytes(v, sizeof *v, ok);
    if (!c)
        return NULL;
    c->left = dup_vads(v->left, ok);    /* depth: the AVL tree's height, about 1.44 log2 n */
    c->right = dup_vads(v->right, ok);
    return c;
}

static void dup_ws(struct mm_wsl *ws, const struct mm_wsl *from, bool *ok)
{
    size_t cap = from->capacity;
    ws->wsle = dup_bytes(from->wsle, cap * sizeof *ws->wsle, ok);
    ws->link = dup_bytes(from->link, cap * sizeof *ws->link, ok);
    ws->hash = dup_bytes(from->hash, (size_t)from->hash_size * sizeof *ws->hash, ok);
    if (from->opt) {
        struct ws_opt *o = ws->opt = dup_bytes(from->opt, sizeof *from->opt, ok);
        if (o) {
            o->heap = dup_bytes(from->opt->heap, cap * sizeof *o->heap, ok);
            o->pos = dup_bytes(from->opt->pos, cap * sizeof *o->pos, ok);
            o->next_use = dup_bytes(from->opt->next_use, cap * sizeof *o->next_use, ok);
            o->seq = dup_bytes(from->opt->seq, cap * sizeof *o->seq, ok);
        }
    }
}

struct mm_machine *mm_clone(const struct mm_machine *m)
{
    struct mm_machine *c = malloc(sizeof *c);
    if (!c)
        return NULL;
    *c = *m;
    bool ok = true;
    /* first every pointer is the copy's own or NULL, so mm_destroy can undo a partial copy */
    c->pfn = NULL;
    c->phys.page = NULL;
    c->tlb.entry = NULL;
    c->process = NULL;
    c->sink = NULL;
    c->sink_ctx = NULL;
    c->pagefile_count = 0;
    c->pool_frame = NULL;
    for (uint32_t i = 0; i < MM_MAX_FILES; i++)
        c->file[i].live = false;
    c->pfn = dup_bytes(m->pfn, (size_t)m->frames * sizeof *m->pfn, &ok);
    c->phys.page = dup_pages(m->phys.page, m->frames, &ok);
    c->tlb.entry = dup_bytes(m->tlb.entry, (size_t)m->tlb.size * sizeof *m->tlb.entry, &ok);
    c->process = calloc(m->process_slots, sizeof *c->process);
    if (!c->process) {
        mm_destroy(c);
        return NULL;
    }
    for (uint32_t i = 0; i < m->process_slots; i++) {
        const struct mm_process *from = &m->process[i];
        if (!from->live)
            continue;
        struct mm_process *p = &c->process[i];
        *p = *from;
        p->ws.wsle = NULL;
        p->ws.link = NULL;
        p->ws.hash = NULL;
        p->ws.opt = NULL;
        p->vads.root = NULL;
        dup_ws(&p->ws, &from->ws, &ok);
        p->vads.root = dup_vads(from->vads.root, &ok);
    }
    c->current = m->current ? &c->process[m->current - m->process] : NULL;
    for (uint32_t f = 0; f < m->pagefile_count; f++) {
        const struct mm_pagefile *from = &m->pagefile[f];
        struct mm_pagefile *pf = &c->pagefile[f];
        *pf = *from;
        pf->bitmap = dup_bytes(from->bitmap, (size_t)(from->size + 31) / 32 * sizeof *pf->bitmap, &ok);
        pf->data = dup_pages(from->data, from->size, &ok);
        if (!pf->data || !pf->bitmap) {
            free(pf->bitmap);
            ok = false;
            break;
        }
        c->pagefile_count = f + 1;
    }
    if (m->pool_frame)
        c->pool_frame = dup_bytes(m->pool_frame, MM_POOL_PAGES * sizeof *m->pool_frame, &ok);
    for (uint32_t i = 0; i < MM_MAX_FILES && ok; i++) {
        if (!m->file[i].live)
            continue;
        c->file[i].data = dup_pages(m->file[i].data, m->file[i].pages, &ok);
        c->file[i].live = c->file[i].data != NULL;
        ok = ok && c->file[i].live;
    }
    if (!ok || !c->pfn || !c->phys.page || !c->tlb.entry) {
        mm_destroy(c);
        return NULL;
    }
    return c;
}

/* The host memory a machine holds, roughly: what mm_clone would allocate. */
size_t mm_host_bytes(const struct mm_machine *m)
{
    size_t n = sizeof *m + (size_t)m->frames * (sizeof *m->pfn + sizeof *m->phys.page) +
               (size_t)m->phys.materialized * PAGE_SIZE + (size_t)m->tlb.size * sizeof *m->tlb.entry +
               (size_t)m->process_slots * sizeof *m->process;
    for (uint32_t i = 0; i < m->process_slots; i++) {
        const struct mm_process *p = &m->process[i];
        if (!p->live)
            continue;
        n += (size_t)p->ws.capacity * (sizeof *p->ws.wsle + sizeof *p->ws.link + (p->ws.opt ? 24 : 0)) +
             (size_t)p->ws.hash_size * sizeof *p->ws.hash + (size_t)p->vads.count * sizeof(struct mm_vad);
    }
    for (uint32_t f = 0; f < m->pagefile_count; f++) {
        const struct mm_pagefile *pf = &m->pagefile[f];
        n += (size_t)pf->size * sizeof *pf->data + (size_t)(pf->size + 31) / 32 * 4 + (size_t)pf->used * PAGE_SIZE;
    }
    if (m->pool_frame)
        n += MM_POOL_PAGES * sizeof *m->pool_frame;
    for (uint32_t i = 0; i < MM_MAX_FILES; i++) {
        if (!m->file[i].live)
            continue;
        n += (size_t)m->file[i].pages * sizeof *m->file[i].data;
        for (uint32_t k = 0; k < m->file[i].pages; k++)
            n += m->file[i].data[k] ? PAGE_SIZE : 0;
    }
    return n;
}
