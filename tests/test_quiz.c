/*
 * test_quiz.c - mmsim quiz (sim/quiz/): the same seed gives the same
 * questions, a longer quiz begins with a shorter one's, kinds come in
 * turn; over hundreds of seeds every kind generates (each translate and
 * fault question also makes the access and checks that the engine does
 * what its walk predicted), its own answers grade as right, and its
 * answers agree with what a user can check another way: the 10/10/12
 * arithmetic for translations, the bits of a PTE for decoding, mmsim
 * trace's counts for reference strings, the list totals for commands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

#include <cjson/cJSON.h>

#include "driver.h"
#include "grade/answers.h"
#include "quiz/quiz.h"

#define SEEDS 200u

static void gen(struct quiz *qz, uint64_t seed, uint32_t count, unsigned kinds)
{
    char err[256];
    cr_assert(quiz_generate(qz, seed, count, kinds, err, sizeof err), "seed %llu: %s", (unsigned long long)seed, err);
}

static const char *part(const struct quiz_question *q, const char *name)
{
    const struct quiz_part *p = quiz_find_part(q, name);
    cr_assert_not_null(p, "question %u has no part %s", q->number, name);
    return p->answer;
}

static uint64_t hex_after(const char *text, const char *key)
{
    const char *at = strstr(text, key);
    cr_assert_not_null(at, "no '%s' in:\n%s", key, text);
    return strtoull(at + strlen(key), NULL, 16);
}

static void same_question(const struct quiz_question *a, const struct quiz_question *b)
{
    cr_assert_eq(a->kind, b->kind);
    cr_assert_str_eq(a->text, b->text);
    cr_assert_str_eq(a->worked, b->worked);
    cr_assert_eq(a->nparts, b->nparts);
    for (uint32_t k = 0; k < a->nparts; k++) {
        cr_assert_str_eq(a->part[k].name, b->part[k].name);
        cr_assert_str_eq(a->part[k].answer, b->part[k].answer);
        cr_assert_eq(a->part[k].points, b->part[k].points);
    }
}

Test(quiz, the_same_seed_gives_the_same_questions)
{
    struct quiz a, b;
    gen(&a, 42, 10, QUIZ_ALL_KINDS);
    gen(&b, 42, 10, QUIZ_ALL_KINDS);
    for (uint32_t i = 0; i < 10; i++)
        same_question(&a.q[i], &b.q[i]);
    quiz_free(&a);
    quiz_free(&b);
}

Test(quiz, a_longer_quiz_begins_with_the_shorter_ones_questions)
{
    struct quiz a, b;
    gen(&a, 7, 4, QUIZ_ALL_KINDS);
    gen(&b, 7, 9, QUIZ_ALL_KINDS);
    for (uint32_t i = 0; i < 4; i++)
        same_question(&a.q[i], &b.q[i]);
    quiz_free(&a);
    quiz_free(&b);
}

Test(quiz, other_seeds_give_other_questions)
{
    struct quiz a, b;
    gen(&a, 1, 5, QUIZ_ALL_KINDS);
    gen(&b, 2, 5, QUIZ_ALL_KINDS);
    uint32_t same = 0;
    for (uint32_t i = 0; i < 5; i++)
        same += strcmp(a.q[i].text, b.q[i].text) == 0;
    cr_assert_lt(same, 2, "seeds 1 and 2 share %u of 5 questions", same);
    quiz_free(&a);
    quiz_free(&b);
}

Test(quiz, kinds_come_in_turn_in_their_order)
{
    struct quiz qz;
    gen(&qz, 3, 5, (1u << QUIZ_LISTS) | (1u << QUIZ_DECODE));
    static const enum quiz_kind want[] = {QUIZ_DECODE, QUIZ_LISTS, QUIZ_DECODE, QUIZ_LISTS, QUIZ_DECODE};
    for (uint32_t i = 0; i < 5; i++)
        cr_assert_eq(qz.q[i].kind, want[i]);
    quiz_free(&qz);
}

Test(quiz, counts_and_kinds_out_of_range_are_refused)
{
    struct quiz qz;
    char err[256];
    cr_assert_not(quiz_generate(&qz, 1, 0, QUIZ_ALL_KINDS, err, sizeof err));
    cr_assert_not(quiz_generate(&qz, 1, QUIZ_MAX_COUNT + 1, QUIZ_ALL_KINDS, err, sizeof err));
    cr_assert_not(quiz_generate(&qz, 1, 1, 0, err, sizeof err));
    cr_assert_str_eq(err, "a quiz has 1 to 100 questions of at least one kind");
}

Test(quiz, kind_lists_are_read_with_hints)
{
    unsigned k;
    char why[200];
    cr_assert(quiz_kinds_parse("policy,translate", &k, why, sizeof why));
    cr_assert_eq(k, (1u << QUIZ_POLICY) | (1u << QUIZ_TRANSLATE));
    cr_assert_not(quiz_kinds_parse("polcy", &k, why, sizeof why));
    cr_assert_str_eq(why, "no kind of question 'polcy', did you mean 'policy'? (kinds: translate, decode, fault, "
                          "policy, lists)");
    cr_assert_not(quiz_kinds_parse("decode,,lists", &k, why, sizeof why));
    cr_assert_str_eq(why, "expected kinds separated by commas (translate,decode,fault,policy,lists), found ''");
    char names[96];
    cr_assert_str_eq(quiz_kinds_text(QUIZ_ALL_KINDS, names, sizeof names), "translate,decode,fault,policy,lists");
}

/* An answer other than p's: "none" for a part that has a thing to name,
 * "0x7" for one whose answer is the word "none" (a fault that does not
 * happen), and for a part with no such thing another of its words, or a
 * number when it has no words. */
static const char *wrong_answer(const struct quiz_part *p)
{
    if (!p->none)
        return strcmp(p->answer, "none") == 0 ? "0x7" : "none";
    for (const char *const *v = p->vocabulary; v && *v; v++)
        if (strcmp(*v, "none") != 0)
            return *v;
    return "0x7";
}

/* Every kind over many seeds: it generates (the engine agreeing with
 * itself), every part is worth points and has an answer, and the answers
 * grade as right, "none" included, while a wrong answer does not. */
Test(quiz, every_kind_generates_and_its_answers_grade_as_right, SLOW(120))
{
    for (unsigned kind = 0; kind < QUIZ_KIND_COUNT; kind++)
        for (uint64_t seed = 0; seed < SEEDS; seed++) {
            struct quiz qz;
            gen(&qz, seed, 1, 1u << kind);
            const struct quiz_question *q = &qz.q[0];
            cr_assert_eq(q->kind, (enum quiz_kind)kind);
            cr_assert_gt(q->nparts, 0);
            cr_assert(strlen(q->text) > 40 && strlen(q->worked) > 40);
            for (uint32_t k = 0; k < q->nparts; k++) {
                const struct quiz_part *p = &q->part[k];
                char why[160];
                cr_assert_gt(p->points, 0);
                cr_assert(p->answer[0]);
                cr_assert(answers_part_correct(p, p->answer, why, sizeof why), "kind %s seed %llu part %s = %s: %s",
                          quiz_kind_name(q->kind), (unsigned long long)seed, p->name, p->answer, why);
                const char *wrong = wrong_answer(p);
                cr_assert_not(answers_part_correct(p, wrong, why, sizeof why),
                              "kind %s seed %llu part %s = %s accepts %s", quiz_kind_name(q->kind),
                              (unsigned long long)seed, p->name, p->answer, wrong);
                cr_assert_not(answers_part_correct(p, "", why, sizeof why));
                cr_assert_str_eq(why, "not answered");
            }
            quiz_free(&qz);
        }
}

/* Translation: the answers are the 10/10/12 arithmetic on the values the
 * question shows. */
Test(quiz, translations_follow_the_arithmetic_of_the_walk)
{
    uint32_t valid = 0, faults = 0, no_table = 0;
    for (uint64_t seed = 0; seed < SEEDS; seed++) {
        struct quiz qz;
        gen(&qz, seed, 1, 1u << QUIZ_TRANSLATE);
        const struct quiz_question *q = &qz.q[0];
        uint32_t dir = (uint32_t)hex_after(q->text, "page directory is frame 0x");
        uint32_t va = (uint32_t)hex_after(q->text, "virtual address 0x");
        uint32_t pde = (uint32_t)hex_after(q->text, "The PDE for that address holds 0x");
        cr_assert_eq(quiz_find_part(q, "pde_pa")->number, dir * 4096u + (va >> 22) * 4u);
        const struct quiz_part *pte_pa = quiz_find_part(q, "pte_pa");
        if (pde & 1u) {
            uint32_t pte = (uint32_t)hex_after(q->text, "The PTE for that address holds 0x");
            cr_assert_eq(pte_pa->number, (pde >> 12) * 4096u + ((va >> 12) & 0x3FFu) * 4u);
            const struct quiz_part *r = quiz_find_part(q, "result");
            if (r->is_number) {
                cr_assert(pte & 1u);
                cr_assert_eq(r->number, (pte >> 12) * 4096u + (va & 0xFFFu));
                valid++;
            } else {
                faults++;
            }
        } else {
            cr_assert(pte_pa->none);
            no_table++;
        }
        quiz_free(&qz);
    }
    cr_assert(valid > 10 && faults > 10 && no_table > 5, "valid %u, faults %u, no table %u", valid, faults, no_table);
}

/* Decoding: the answers are the bits of the value, read here directly. */
Test(quiz, decoded_fields_are_the_bits_of_the_value)
{
    uint32_t forms[8] = {0};
    for (uint64_t seed = 0; seed < SEEDS; seed++) {
        struct quiz qz;
        gen(&qz, seed, 1, 1u << QUIZ_DECODE);
        const struct quiz_question *q = &qz.q[0];
        uint32_t v = (uint32_t)hex_after(q->text, "holds 0x");
        const char *form = v == 0                     ? "zero"
                           : (v & 1u)                 ? "valid"
                           : (v & 0x400u)             ? "prototype"
                           : (v & 0x800u)             ? "transition"
                           : v == 0x200u              ? "decommitted"
                           : (v >> 12)                ? "page-file"
                                                      : "demand-zero";
        cr_assert_str_eq(part(q, "form"), form, "0x%08X", v);
        forms[pte_classify(v)]++;
        const struct quiz_part *frame = quiz_find_part(q, "frame");
        if ((v & 1u) || (v & 0xC01u) == 0x800u)
            cr_assert_eq(frame->number, v >> 12);
        else
            cr_assert(frame->none);
        if (strcmp(form, "page-file") == 0) {
            cr_assert_eq(quiz_find_part(q, "file")->number, (v >> 1) & 0xFu);
            cr_assert_eq(quiz_find_part(q, "offset")->number, v >> 12);
        }
        if (v & 1u) {
            cr_assert_str_eq(part(q, "write"), v & 2u ? "yes" : "no");
            cr_assert_str_eq(part(q, "accessed"), v & 0x20u ? "yes" : "no");
            cr_assert_str_eq(part(q, "dirty"), v & 0x40u ? "yes" : "no");
        } else {
            cr_assert(quiz_find_part(q, "dirty")->none);
        }
        quiz_free(&qz);
    }
    for (unsigned f = 0; f < 7; f++)
        if (f != PTE_FORM_PROTOTYPE)
            cr_assert_gt(forms[f], 3, "form %s drawn %u times", pte_form_name((enum pte_form)f), forms[f]);
}

/* A reference string's counts are what mmsim trace gives for the same
 * string (written as a pages-format trace and run by the trace driver). */
static struct trace_result trace_of(const char *refs, enum mm_policy policy, uint32_t cache)
{
    char path[64];
    snprintf(path, sizeof path, "build/tests/quiz-refs-%d.txt", (int)getpid());
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    for (const char *p = refs; *p; p++)
        fputc(*p == ',' ? '\n' : *p, f);
    fputc('\n', f);
    fclose(f);
    struct trace_set set;
    struct trace_result res;
    char err[300];
    const char *paths[] = {path};
    cr_assert(trace_prepare(&set, paths, 1, TRACE_PAGES, policy == MM_POLICY_OPT, NULL, NULL, err, sizeof err), "%s", err);
    struct trace_options o = {.policy = policy, .cache = cache};
    cr_assert_eq(trace_run(&set, &o, &res, NULL, NULL, NULL, NULL, err, sizeof err), TRACE_OK, "%s", err);
    trace_set_free(&set);
    remove(path);
    return res;
}

Test(quiz, reference_strings_count_as_mmsim_trace_counts, SLOW(120))
{
    uint32_t belady = 0, anomalies = 0, single = 0;
    for (uint64_t seed = 0; seed < SEEDS / 2; seed++) {
        struct quiz qz;
        gen(&qz, seed, 1, 1u << QUIZ_POLICY);
        const struct quiz_question *q = &qz.q[0];
        char refs[128];
        const char *at = strstr(q->text, "in this order:\n  ");
        cr_assert_not_null(at);
        sscanf(at + strlen("in this order:\n  "), "%127[0-9,]", refs);
        if (quiz_find_part(q, "misses_3")) {
            belady++;
            struct trace_result r3 = trace_of(refs, MM_POLICY_FIFO, 3), r4 = trace_of(refs, MM_POLICY_FIFO, 4);
            cr_assert_eq(quiz_find_part(q, "misses_3")->number, r3.total.misses);
            cr_assert_eq(quiz_find_part(q, "misses_4")->number, r4.total.misses);
            cr_assert_str_eq(part(q, "anomaly"), r4.total.misses > r3.total.misses ? "yes" : "no");
            anomalies += r4.total.misses > r3.total.misses;
        } else {
            single++;
            static const struct {
                const char *title;
                enum mm_policy p;
            } names[] = {{"FIFO", MM_POLICY_FIFO}, {"LRU", MM_POLICY_LRU}, {"Clock", MM_POLICY_CLOCK}, {"OPT", MM_POLICY_OPT}};
            unsigned cache = 0;
            cr_assert_eq(sscanf(strstr(q->text, "The cache holds"), "The cache holds %u", &cache), 1);
            enum mm_policy policy = MM_POLICY_COUNT;
            for (unsigned k = 0; k < 4; k++) {
                char phrase[40];
                snprintf(phrase, sizeof phrase, "the policy is %s", names[k].title);
                if (strstr(q->text, phrase))
                    policy = names[k].p;
            }
            cr_assert_neq(policy, MM_POLICY_COUNT);
            struct trace_result r = trace_of(refs, policy, cache);
            cr_assert_eq(quiz_find_part(q, "hits")->number, r.total.hits, "seed %llu %s", (unsigned long long)seed, refs);
            cr_assert_eq(quiz_find_part(q, "misses")->number, r.total.misses);
        }
        quiz_free(&qz);
    }
    cr_assert(belady > 5 && single > 20 && anomalies > 2, "belady %u (anomalies %u), single %u", belady, anomalies,
              single);
}

/* Lists: the counts after the commands are what the worked answer's last
 * line says, and they fit in the machine. */
Test(quiz, list_counts_fit_the_machine_and_match_the_worked_answer)
{
    for (uint64_t seed = 0; seed < SEEDS; seed++) {
        struct quiz qz;
        gen(&qz, seed, 1, 1u << QUIZ_LISTS);
        const struct quiz_question *q = &qz.q[0];
        unsigned frames;
        cr_assert_eq(sscanf(q->text, "A machine of %u frames", &frames), 1);
        uint64_t z = quiz_find_part(q, "zeroed")->number, f = quiz_find_part(q, "free")->number,
                 s = quiz_find_part(q, "standby")->number, m = quiz_find_part(q, "modified")->number;
        cr_assert_leq(z + f + s + m, frames);
        char last[160];
        snprintf(last, sizeof last, "now Zeroed %llu, Free %llu, Standby %llu, Modified %llu\n", (unsigned long long)z,
                 (unsigned long long)f, (unsigned long long)s, (unsigned long long)m);
        size_t n = strlen(q->worked), l = strlen(last);
        cr_assert(n > l && strcmp(q->worked + n - l, last) == 0, "worked answer ends:\n%s", q->worked + n - l);
        quiz_free(&qz);
    }
}

/* Faults: the answer names a fault the question's PTE allows. */
Test(quiz, fault_answers_fit_the_pte_shown)
{
    uint32_t victims = 0;
    for (uint64_t seed = 0; seed < SEEDS; seed++) {
        struct quiz qz;
        gen(&qz, seed, 1, 1u << QUIZ_FAULT);
        const struct quiz_question *q = &qz.q[0];
        uint32_t pte = (uint32_t)hex_after(q->text, " holds 0x");
        const char *fault = part(q, "fault"), *from = part(q, "from");
        if (strcmp(fault, "access-violation") == 0) {
            /* only a write to a read-only page is refused here */
            cr_assert(strstr(q->text, "writes to"));
            cr_assert(pte_classify(pte) == PTE_FORM_VALID ? !(pte & PTE_WRITE)
                                                          : pte_protection(pte) == MM_READONLY, "0x%08X", pte);
            cr_assert(quiz_find_part(q, "from")->none);
            quiz_free(&qz);
            continue;
        }
        switch (pte_classify(pte)) {
        case PTE_FORM_TRANSITION:
            cr_assert_str_eq(fault, "transition");
            cr_assert(strstr(q->text, strcmp(from, "modified") == 0 ? "on the Modified list" : "on the Standby list"));
            break;
        case PTE_FORM_PAGEFILE: cr_assert_str_eq(fault, "page-file"); break;
        case PTE_FORM_ZERO: cr_assert_str_eq(fault, "demand-zero"); break;
        case PTE_FORM_VALID:
            cr_assert(strcmp(fault, "none") == 0 || strcmp(fault, "access-violation") == 0);
            cr_assert(quiz_find_part(q, "from")->none);
            break;
        default: cr_assert_fail("0x%08X", pte);
        }
        victims += !quiz_find_part(q, "victim")->none;
        quiz_free(&qz);
    }
    cr_assert_gt(victims, 5);
}

Test(quiz, json_holds_every_question_and_answers_only_when_asked)
{
    struct quiz qz;
    gen(&qz, 9, 5, QUIZ_ALL_KINDS);
    for (int answers = 0; answers < 2; answers++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        cr_assert(quiz_write_json(&qz, answers, f));
        fclose(f);
        cJSON *root = cJSON_Parse(buf);
        cr_assert_not_null(root, "not JSON:\n%s", buf);
        cr_assert_eq(cJSON_GetObjectItem(root, "seed")->valuedouble, 9);
        const cJSON *qs = cJSON_GetObjectItem(root, "questions");
        cr_assert_eq(cJSON_GetArraySize(qs), 5);
        const cJSON *q1 = cJSON_GetArrayItem(qs, 0);
        cr_assert_str_eq(cJSON_GetObjectItem(q1, "text")->valuestring, qz.q[0].text);
        const cJSON *p1 = cJSON_GetArrayItem(cJSON_GetObjectItem(q1, "parts"), 0);
        cr_assert_eq(cJSON_GetObjectItem(p1, "answer") != NULL, answers);
        cr_assert_eq(cJSON_GetObjectItem(q1, "worked") != NULL, answers);
        cJSON_Delete(root);
        free(buf);
    }
    quiz_free(&qz);
}
