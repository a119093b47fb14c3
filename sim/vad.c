/*
 * vad.c - the VAD tree: an AVL tree of non-overlapping address ranges.
 * Recursion depth is bounded by the tree height (at most ~1.44 log2 n).
 */
#include <stdlib.h>

#include "vad.h"

static int height(const struct mm_vad *n) { return n ? n->height : 0; }

static void update(struct mm_vad *n)
{
    int l = height(n->left), r = height(n->right);
    n->height = 1 + (l > r ? l : r);
}

static struct mm_vad *rotate_right(struct mm_vad *n)
{
    struct mm_vad *l = n->left;
    n->left = l->right;
    l->right = n;
    update(n);
    update(l);
    return l;
}

static struct mm_vad *rotate_left(struct mm_vad *n)
{
    struct mm_vad *r = n->right;
    n->right = r->left;
    r->left = n;
    update(n);
    update(r);
    return r;
}

static struct mm_vad *rebalance(struct mm_vad *n)
{
    update(n);
    int balance = height(n->left) - height(n->right);
    if (balance > 1) {
        if (height(n->left->left) < height(n->left->right))
            n->left = rotate_left(n->left);
        return rotate_right(n);
    }
    if (balance < -1) {
        if (height(n->right->right) < height(n->right->left))
            n->right = rotate_right(n->right);
        return rotate_left(n);
    }
    return n;
}

struct mm_vad *vad_find(const struct mm_vad_tree *t, uint32_t vpn)
{
    struct mm_vad *n = t->root;
    while (n) {
        if (vpn < n->start_vpn)
            n = n->left;
        else if (vpn > n->end_vpn)
            n = n->right;
        else
            return n;
    }
    return NULL;
}

struct mm_vad *vad_find_overlap(const struct mm_vad_tree *t, uint32_t start, uint32_t end)
{
    /* the lowest VAD whose end is >= start, if it begins at or before end */
    struct mm_vad *n = t->root, *best = NULL;
    while (n) {
        if (n->end_vpn >= start) {
            best = n;
            n = n->left;
        } else {
            n = n->right;
        }
    }
    return best && best->start_vpn <= end ? best : NULL;
}

static struct mm_vad *insert(struct mm_vad *n, struct mm_vad *v)
{
    if (!n)
        return v;
    if (v->start_vpn < n->start_vpn)
        n->left = insert(n->left, v);
    else
        n->right = insert(n->right, v);
    return rebalance(n);
}

void vad_insert(struct mm_vad_tree *t, struct mm_vad *v)
{
    v->left = v->right = NULL;
    v->height = 1;
    t->root = insert(t->root, v);
    t->count++;
}

static struct mm_vad *remove_min(struct mm_vad *n, struct mm_vad **min)
{
    if (!n->left) {
        *min = n;
        return n->right;
    }
    n->left = remove_min(n->left, min);
    return rebalance(n);
}

static struct mm_vad *remove_node(struct mm_vad *n, const struct mm_vad *v)
{
    if (!n)
        return NULL;
    if (v->start_vpn < n->start_vpn) {
        n->left = remove_node(n->left, v);
    } else if (v->start_vpn > n->start_vpn) {
        n->right = remove_node(n->right, v);
    } else {
        if (!n->left || !n->right)
            return n->left ? n->left : n->right;
        struct mm_vad *successor;
        n->right = remove_min(n->right, &successor);
        successor->left = n->left;
        successor->right = n->right;
        return rebalance(successor);
    }
    return rebalance(n);
}

void vad_remove(struct mm_vad_tree *t, struct mm_vad *v)
{
    t->root = remove_node(t->root, v);
    t->count--;
    free(v);
}

const struct mm_vad *vad_next(const struct mm_vad_tree *t, const struct mm_vad *v)
{
    /* the lowest VAD starting after v (no parent links: search from the root) */
    const struct mm_vad *n = t->root, *best = NULL;
    while (n) {
        if (!v || n->start_vpn > v->start_vpn) {
            best = n;
            n = n->left;
        } else {
            n = n->right;
        }
    }
    return best;
}

bool vad_find_gap(const struct mm_vad_tree *t, uint32_t pages, uint32_t lo, uint32_t hi,
                  uint32_t *start)
{
    const uint32_t granule = 16;   /* 64 KiB in pages */
    uint32_t candidate = (lo + granule - 1) / granule * granule;
    for (const struct mm_vad *v = vad_next(t, NULL); v; v = vad_next(t, v)) {
        if (v->end_vpn < candidate)
            continue;
        if (v->start_vpn > candidate && v->start_vpn - candidate >= pages)
            break;
        candidate = (v->end_vpn / granule + 1) * granule;
    }
    if (candidate > hi || hi - candidate + 1 < pages)
        return false;
    *start = candidate;
    return true;
}

static void free_tree(struct mm_vad *n)
{
    /* iterative, by rotating left children up, so no deep recursion */
    while (n) {
        if (n->left) {
            struct mm_vad *l = n->left;
            n->left = l->right;
            l->right = n;
            n = l;
        } else {
            struct mm_vad *r = n->right;
            free(n);
            n = r;
        }
    }
}

void vad_free_all(struct mm_vad_tree *t)
{
    free_tree(t->root);
    t->root = NULL;
    t->count = 0;
}

int vad_check_balanced(const struct mm_vad *n)
{
    if (!n)
        return 0;
    int l = vad_check_balanced(n->left), r = vad_check_balanced(n->right);
    if (l < 0 || r < 0 || l - r > 1 || r - l > 1)
        return -1;
    if (n->left && n->left->end_vpn >= n->start_vpn)
        return -1;
    if (n->right && n->right->start_vpn <= n->end_vpn)
        return -1;
    int h = 1 + (l > r ? l : r);
    return h == n->height ? h : -1;
}
