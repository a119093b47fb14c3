/*
 * k_decode.c - "decode this PTE": a value in one of the forms NT keeps in
 * an i386 PTE, built with pte.h's builders, and its answer read back with
 * the engine's own decoders (pte_classify, pte_frame, pte_protection,
 * pte_pagefile_number, pte_pagefile_offset).
 */
#include <stdio.h>

#include "qutil.h"

/* The protections a question draws from (NT's 5-bit masks). */
static const uint32_t protections[] = {
    MM_READONLY, MM_READWRITE, MM_EXECUTE_READ, MM_EXECUTE_READWRITE, MM_READWRITE | MM_GUARD_PAGE,
    MM_NOACCESS, MM_READONLY | MM_NOCACHE,
};
#define NPROT (sizeof protections / sizeof protections[0])

static uint32_t any_protection(struct qrng *rng) { return protections[qrng_below(rng, NPROT)]; }

/* A page in transition was in a working set a moment ago: an accessible
 * protection, no guard. */
static uint32_t resident_protection(struct qrng *rng)
{
    static const uint32_t p[] = {MM_READONLY, MM_READWRITE, MM_EXECUTE_READ, MM_EXECUTE_READWRITE,
                                 MM_READONLY | MM_NOCACHE};
    return p[qrng_below(rng, 5)];
}

/* A valid PTE as a fault leaves it, with Accessed and Dirty drawn. */
static mm_pte make_valid(struct qrng *rng)
{
    static const uint32_t hw[] = {MM_READONLY, MM_READWRITE, MM_EXECUTE_READ, MM_EXECUTE_READWRITE};
    mm_pfn frame = 0x010 + qrng_below(rng, 0xFF0);
    mm_pte v = (frame << PAGE_SHIFT) | prot_hardware_bits(hw[qrng_below(rng, 4)]);
    if (qrng_chance(rng, 70))
        v |= PTE_ACCESSED;
    if ((v & PTE_WRITE) && (v & PTE_ACCESSED) && qrng_chance(rng, 50))
        v |= PTE_DIRTY;
    return v;
}

static mm_pte draw(struct qrng *rng)
{
    static const uint32_t weight[] = {30, 20, 20, 15, 8, 7};
    switch (qrng_weighted(rng, weight, 6)) {
    case 0: return make_valid(rng);
    case 1: return pte_make_transition(0x010 + qrng_below(rng, 0xFF0), resident_protection(rng));
    case 2: return pte_make_software(any_protection(rng), qrng_below(rng, 3), 1 + qrng_below(rng, 0x3FF));
    case 3: return pte_make_demand_zero(any_protection(rng));
    case 4: return MM_DECOMMITTED_PTE;
    default: return MM_ZERO_PTE;
    }
}

static void explain_bits(struct qtext *w, mm_pte v)
{
    static const struct {
        mm_pte bit;
        const char *name, *meaning;
    } bits[] = {
        {PTE_VALID, "V", "valid: the processor uses this entry"},
        {PTE_WRITE, "W", "writable"},
        {PTE_OWNER, "U", "user mode may use the page"},
        {PTE_WRITE_THROUGH, "WT", "write-through"},
        {PTE_CACHE_DISABLE, "CD", "cache disabled"},
        {PTE_ACCESSED, "A", "accessed since the bit was last cleared"},
        {PTE_DIRTY, "D", "written since it was mapped"},
        {PTE_COPY_ON_WRITE, "CW", "copy-on-write (software bit 9)"},
    };
    for (unsigned i = 0; i < sizeof bits / sizeof bits[0]; i++)
        if (v & bits[i].bit)
            qt_printf(w, "    bit %-2s set: %s\n", bits[i].name, bits[i].meaning);
}

/* Every question has the same parts, in this order; a field the form
 * does not hold is answered "none". */
static const struct {
    const char *name;
    enum quiz_value type;
} fields[] = {
    {"form", QV_WORD},     {"frame", QV_NUMBER},  {"protection", QV_PROTECTION}, {"file", QV_NUMBER},
    {"offset", QV_NUMBER}, {"write", QV_YESNO}, {"accessed", QV_YESNO},         {"dirty", QV_YESNO},
};

static void add_missing(struct quiz_question *q)
{
    struct quiz_question sorted = *q;
    q->nparts = 0;
    for (unsigned i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const struct quiz_part *have = quiz_find_part(&sorted, fields[i].name);
        if (have) {
            q->part[q->nparts++] = *have;
        } else {
            struct quiz_part *p = quiz_add_part(q, fields[i].name, fields[i].type, 1);
            quiz_part_none(p);
        }
    }
}

bool quiz_make_decode(struct qrng *rng, struct quiz_question *q, char *err, size_t err_size)
{
    (void)err;
    (void)err_size;
    mm_pte v = draw(rng);
    enum pte_form form = pte_classify(v);
    struct qtext t = {0}, w = {0};
    char prot[48];

    qt_printf(&t, "An i386 (non-PAE) PTE of a user page holds 0x%08X.\n", v);
    qt_printf(&t, "Decode it: its form (zero, valid, demand-zero, page-file, transition,\n");
    qt_printf(&t, "prototype or decommitted) and the fields that form holds.\n");

    quiz_part_word(quiz_add_part(q, "form", QV_WORD, 2), pte_form_name(form), quiz_form_words);
    qt_printf(&w, "0x%08X in binary, low bits first: V(0)=%u, Prototype(10)=%u, Transition(11)=%u.\n", v,
              v & 1u, (v >> 10) & 1u, (v >> 11) & 1u);
    switch (form) {
    case PTE_FORM_VALID:
        qt_printf(&w, "V = 1: the hardware format. The frame is bits 31-12: 0x%05X.\n", pte_frame(v));
        explain_bits(&w, v);
        quiz_part_number(quiz_add_part(q, "frame", QV_NUMBER, 1), pte_frame(v), true);
        quiz_part_yesno(quiz_add_part(q, "write", QV_YESNO, 1), (v & PTE_WRITE) != 0);
        quiz_part_yesno(quiz_add_part(q, "accessed", QV_YESNO, 1), (v & PTE_ACCESSED) != 0);
        quiz_part_yesno(quiz_add_part(q, "dirty", QV_YESNO, 1), (v & PTE_DIRTY) != 0);
        break;
    case PTE_FORM_TRANSITION:
        qt_printf(&w, "V = 0, Prototype = 0, Transition = 1: a transition PTE. The page is still in\n");
        qt_printf(&w, "frame 0x%05X (bits 31-12), on the Standby or Modified list or in I/O;\n", pte_frame(v));
        qt_printf(&w, "the protection is bits 9-5: %u = %s.\n", pte_protection(v),
                  prot_name(pte_protection(v), prot, sizeof prot));
        quiz_part_number(quiz_add_part(q, "frame", QV_NUMBER, 1), pte_frame(v), true);
        quiz_part_protection(quiz_add_part(q, "protection", QV_PROTECTION, 1), pte_protection(v));
        break;
    case PTE_FORM_PAGEFILE:
        qt_printf(&w, "V = 0, Prototype = 0, Transition = 0 and PageFileHigh (bits 31-12) = 0x%X, not 0:\n",
                  pte_pagefile_offset(v));
        qt_printf(&w, "a page-file PTE. The page is in paging file %u (PageFileLow, bits 4-1) at\n",
                  pte_pagefile_number(v));
        qt_printf(&w, "slot 0x%X; the protection is bits 9-5: %u = %s.\n", pte_pagefile_offset(v),
                  pte_protection(v), prot_name(pte_protection(v), prot, sizeof prot));
        quiz_part_number(quiz_add_part(q, "file", QV_NUMBER, 1), pte_pagefile_number(v), false);
        quiz_part_number(quiz_add_part(q, "offset", QV_NUMBER, 1), pte_pagefile_offset(v), true);
        quiz_part_protection(quiz_add_part(q, "protection", QV_PROTECTION, 1), pte_protection(v));
        break;
    case PTE_FORM_DEMAND_ZERO:
        qt_printf(&w, "V = 0, Prototype = 0, Transition = 0 and PageFileHigh = 0: demand-zero. No copy\n");
        qt_printf(&w, "of the page exists yet; the first touch gets a zeroed frame. Protection (bits\n");
        qt_printf(&w, "9-5): %u = %s.\n", pte_protection(v), prot_name(pte_protection(v), prot, sizeof prot));
        quiz_part_protection(quiz_add_part(q, "protection", QV_PROTECTION, 1), pte_protection(v));
        break;
    case PTE_FORM_DECOMMITTED:
        qt_printf(&w, "Only the protection field is set, to MM_DECOMMIT (0x10, guard with no access):\n");
        qt_printf(&w, "the page was decommitted inside a region the VAD still calls committed.\n");
        break;
    default:
        qt_printf(&w, "Zero: no entry at all. The fault handler asks the VAD what the page is.\n");
        break;
    }
    qt_printf(&t, "Give each of: form, frame, protection, file, offset, write, accessed, dirty\n");
    qt_printf(&t, "(numbers in decimal or 0x-hex, protections as PAGE_* names, yes or no for\n");
    qt_printf(&t, "the bits), and none for a field this form of PTE does not hold.\n");
    add_missing(q);
    qt_printf(&w, "(pte_classify and the field accessors of sim/pte.h decode it so.)\n");
    q->text = qt_take(&t);
    q->worked = qt_take(&w);
    return true;
}
