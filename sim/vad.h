/*
 * vad.h - virtual address descriptors: one node per reserved region of a
 * process, kept in an AVL tree ordered by address (NT: MMVAD and the VAD
 * tree, which NT also keeps balanced).
 */
#ifndef MMSIM_VAD_H
#define MMSIM_VAD_H

#include <stdbool.h>
#include <stdint.h>

#include "pte.h"

#define MM_NO_SECTION 0xFFFFFFFFu

struct mm_vad {
    uint32_t start_vpn, end_vpn;   /* inclusive page numbers */
    uint32_t protection;           /* 5-bit mask given at reservation */
    bool mem_commit;               /* committed at creation: zero PTEs mean committed */
    uint32_t commit_charge;        /* committed pages charged to this region */
    /* A mapped view of a section (NT: the VAD's ControlArea, FirstPrototypePte;
     * u.VadFlags.PrivateMemory clear, ImageMap for an image): */
    uint32_t section;              /* MM_NO_SECTION for private memory */
    uint32_t first_page;           /* the section page its first page maps */
    struct mm_vad *left, *right;
    int height;
};

struct mm_vad_tree {
    struct mm_vad *root;
    uint32_t count;
};

/* The VAD containing vpn, or NULL (NT: MiLocateAddress). */
struct mm_vad *vad_find(const struct mm_vad_tree *t, uint32_t vpn);
/* The first VAD that overlaps [start, end], or NULL. */
struct mm_vad *vad_find_overlap(const struct mm_vad_tree *t, uint32_t start_vpn, uint32_t end_vpn);
/* Insert a node whose range overlaps no other (NT: MiInsertVad). */
void vad_insert(struct mm_vad_tree *t, struct mm_vad *v);
/* Unlink and free the node (NT: MiRemoveVad). */
void vad_remove(struct mm_vad_tree *t, struct mm_vad *v);
/* Lowest free gap of `pages` pages starting on a 64 KiB boundary in
 * [lo_vpn, hi_vpn]; false when none. */
bool vad_find_gap(const struct mm_vad_tree *t, uint32_t pages, uint32_t lo_vpn, uint32_t hi_vpn,
                  uint32_t *start_vpn);
/* In-order walk: the VAD after v (v NULL: the first). */
const struct mm_vad *vad_next(const struct mm_vad_tree *t, const struct mm_vad *v);
void vad_free_all(struct mm_vad_tree *t);
/* Height of the tree, for the balance check. */
int vad_check_balanced(const struct mm_vad *n);

#endif
