/*
 * test_grade.c - mmsim grade (sim/grade/) as course staff run it: quiz
 * answers files scored part by part (partial credit, "none", blanks),
 * malformed answers files refused with FILE:LINE and exit status 2, goals
 * files passing and failing on a scenario, and results.json in the shape
 * Gradescope reads (score, tests[] with name, score, max_score, output).
 * Each test runs the command itself (grade_main) with its standard output
 * and error captured.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

#include <cjson/cJSON.h>

#include "grade/answers.h"
#include "grade/grade_cli.h"
#include "grade/report.h"
#include "quiz/quiz.h"

#define OUT_MAX 65536

struct run {
    int status;
    char out[OUT_MAX];
    char err[OUT_MAX];
};

/* A file under build/tests named for this process and `name`. */
static const char *tmp_path(const char *name)
{
    static char path[8][160];
    static unsigned next;
    char *p = path[next++ % 8];
    snprintf(p, sizeof path[0], "build/tests/grade-%d-%s", (int)getpid(), name);
    return p;
}

static const char *write_file(const char *name, const char *text)
{
    const char *path = tmp_path(name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
    return path;
}

static void slurp_into(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
    remove(path);
}

/* mmsim grade ARGS... (NULL-terminated), its output and status. */
static struct run *grade(const char *first, ...)
{
    static struct run r;
    char *argv[24];
    int argc = 0;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && argc < 23; a = va_arg(ap, const char *))
        argv[argc++] = (char *)(uintptr_t)a;
    va_end(ap);
    argv[argc] = NULL;
    const char *out = tmp_path("stdout"), *err = tmp_path("stderr");
    fflush(stdout);
    fflush(stderr);
    int save_out = dup(1), save_err = dup(2);
    int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644), fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    cr_assert(save_out >= 0 && save_err >= 0 && fo >= 0 && fe >= 0);
    dup2(fo, 1);
    dup2(fe, 2);
    r.status = grade_main(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(save_out, 1);
    dup2(save_err, 2);
    close(fo);
    close(fe);
    close(save_out);
    close(save_err);
    slurp_into(out, r.out, sizeof r.out);
    slurp_into(err, r.err, sizeof r.err);
    return &r;
}

/* An answers file for the quiz of `seed` (count questions of every kind):
 * each part answered right, except that parts named in `wrong` (like
 * "1.pte_pa") get "0x1" and those in `blank` are left empty. */
static char *answers_text(uint64_t seed, uint32_t count, const char *wrong, const char *blank)
{
    struct quiz qz;
    char err[256];
    cr_assert(quiz_generate(&qz, seed, count, QUIZ_ALL_KINDS, err, sizeof err), "%s", err);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fprintf(f, "# answers\nseed %llu\ncount %u\n", (unsigned long long)seed, count);
    for (uint32_t i = 0; i < qz.count; i++)
        for (uint32_t k = 0; k < qz.q[i].nparts; k++) {
            char key[40];
            snprintf(key, sizeof key, "%u.%s", i + 1, qz.q[i].part[k].name);
            size_t kl = strlen(key);
            const char *w = wrong ? strstr(wrong, key) : NULL, *b = blank ? strstr(blank, key) : NULL;
            bool is_wrong = w && (w[kl] == '\0' || w[kl] == ' ');
            bool is_blank = b && (b[kl] == '\0' || b[kl] == ' ');
            fprintf(f, "%s = %s\n", key, is_blank ? "" : is_wrong ? "0x1" : qz.q[i].part[k].answer);
        }
    fclose(f);
    quiz_free(&qz);
    return buf;
}

/* The points of question `question` (from 1) of the quiz, or of its part
 * `part` when not NULL. */
static unsigned points_of(uint64_t seed, uint32_t count, uint32_t question, const char *part)
{
    struct quiz qz;
    char err[256];
    cr_assert(quiz_generate(&qz, seed, count, QUIZ_ALL_KINDS, err, sizeof err), "%s", err);
    const struct quiz_question *q = &qz.q[question - 1];
    unsigned pts = part ? quiz_find_part(q, part)->points : quiz_question_points(q);
    quiz_free(&qz);
    return pts;
}

/* ---- quiz answers ----------------------------------------------------------- */

Test(grade, the_quizs_own_answers_score_full_marks_and_exit_0)
{
    char *text = answers_text(11, 5, NULL, NULL);
    const char *path = write_file("full.txt", text);
    free(text);
    struct run *r = grade("quiz", "-s", "11", path, NULL);
    cr_assert_eq(r->status, 0, "%s%s", r->out, r->err);
    char want[64];
    unsigned total = 0;
    for (uint32_t q = 1; q <= 5; q++)
        total += points_of(11, 5, q, NULL);
    snprintf(want, sizeof want, "Score: %u/%u\n", total, total);
    cr_assert(strstr(r->out, want), "no '%s' in:\n%s", want, r->out);
    cr_assert(strstr(r->out, "question 1 (translate): OK ("));
    cr_assert_str_eq(r->err, "");
    remove(path);
}

/* A question of several parts earns the points of the parts answered
 * right: a wrong part and a blank one lose theirs, with the reason. */
Test(grade, a_multi_part_question_earns_partial_credit)
{
    char *text = answers_text(5, 2, "1.pte_pa", "2.dirty");
    const char *path = write_file("partial.txt", text);
    free(text);
    struct run *r = grade("quiz", "-s", "5", "-n", "2", path, NULL);
    cr_assert_eq(r->status, 1);
    unsigned q1 = points_of(5, 2, 1, NULL), q2 = points_of(5, 2, 2, NULL);
    unsigned lost1 = points_of(5, 2, 1, "pte_pa"), lost2 = points_of(5, 2, 2, "dirty");
    char want[200];
    snprintf(want, sizeof want, "question 1 (translate): PARTIAL (%u/%u)\n    pte_pa: answered 0x1: a different number; "
             "expected 0x0000D148 (0/%u)\n", q1 - lost1, q1, lost1);
    cr_assert(strstr(r->out, want), "no\n%s\nin:\n%s", want, r->out);
    snprintf(want, sizeof want, "question 2 (decode): PARTIAL (%u/%u)\n    dirty: not answered; expected none (0/%u)\n",
             q2 - lost2, q2, lost2);
    cr_assert(strstr(r->out, want), "no\n%s\nin:\n%s", want, r->out);
    snprintf(want, sizeof want, "Score: %u/%u\n", q1 + q2 - lost1 - lost2, q1 + q2);
    cr_assert(strstr(r->out, want), "no '%s' in:\n%s", want, r->out);
    remove(path);
}

Test(grade, answers_are_read_loosely_where_the_meaning_is_plain)
{
    struct quiz qz;
    char err[256], why[160];
    cr_assert(quiz_generate(&qz, 5, 2, QUIZ_ALL_KINDS, err, sizeof err), "%s", err);
    const struct quiz_part *pa = quiz_find_part(&qz.q[0], "pte_pa"), *dz = quiz_find_part(&qz.q[0], "result"),
                           *dirty = quiz_find_part(&qz.q[1], "dirty");
    cr_assert(answers_part_correct(pa, "0xd148", why, sizeof why), "%s", why);
    cr_assert(answers_part_correct(pa, "53576", why, sizeof why), "%s", why);   /* 0xD148 in decimal */
    cr_assert(answers_part_correct(dz, "Demand_Zero", why, sizeof why), "%s", why);
    cr_assert(answers_part_correct(dirty, "n/a", why, sizeof why), "%s", why);
    cr_assert(answers_part_correct(dirty, "-", why, sizeof why), "%s", why);
    cr_assert_not(answers_part_correct(dz, "transition", why, sizeof why));
    quiz_free(&qz);
}

struct bad_answers {
    const char *text, *args_n, *message;
};

/* Each malformed file: exit 2, nothing on standard output, and the exact
 * message naming the file and line (message: what follows the file's name). */
Test(grade, malformed_answers_files_are_refused_where_they_are_wrong)
{
    static const struct bad_answers bad[] = {
        {"seed 5\n1.pde_pa 3\n", "2",
         ":2: expected 'QUESTION.PART = ANSWER' (like '1.pde_pa = 0x1F004'), a header line (seed, count, kinds, "
         "version) or a '#' comment; found '1.pde_pa 3'\n"},
        {"seed 6\n1.pde_pa = 3\n", "2", ":1: these are answers to the quiz of seed 6; the quiz to grade is seed 5\n"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *path = write_file("bad.txt", bad[i].text);
        struct run *r = grade("quiz", "-s", "5", "-n", bad[i].args_n, path, NULL);
        char want[600];
        snprintf(want, sizeof want, "%s%s", path, bad[i].message);
        cr_assert_eq(r->status, 2, "case %zu: status %d", i, r->status);
        cr_assert_str_eq(r->err, want, "case %zu", i);
        cr_assert_str_eq(r->out, "");
        remove(path);
    }
}

/* Refusals found by matching against the quiz: a part that does not
 * exist, one given twice, a question past the count. Every error is
 * reported, each on its line. */
Test(grade, answers_that_do_not_fit_the_quiz_are_each_located)
{
    const char *path = write_file("mismatch.txt", "seed 5\ncount 2\n1.pde_pa = 1\n1.pde_pa = 2\n1.colour = red\n"
                                                  "3.form = zero\n");
    struct run *r = grade("quiz", "-s", "5", path, NULL);
    cr_assert_eq(r->status, 2);
    cr_assert_str_eq(r->out, "");
    char want[800];
    snprintf(want, sizeof want,
             "%s:4: 1.pde_pa is answered twice (first on line 3)\n"
             "%s:5: question 1 (translate) has no part 'colour' (its parts: pde_pa, pte_pa, result, reason)\n"
             "%s:6: there is no question 3 (the quiz has 2)\n",
             path, path, path);
    cr_assert_str_eq(r->err, want);
    remove(path);
}

Test(grade, the_command_line_is_checked_before_any_file_is_read)
{
    struct run *r = grade("quiz", "nosuchfile.txt", NULL);
    cr_assert_eq(r->status, 2);
    cr_assert_str_eq(r->err, "mmsim grade quiz: give the seed of the quiz with -s (the answers are checked against it)\n"
                             "run 'mmsim grade --help' for the options\n");
    r = grade("quiz", "-s", "5", "build/tests/no-such-answers.txt", NULL);
    cr_assert_eq(r->status, 2);
    cr_assert_str_eq(r->err, "build/tests/no-such-answers.txt: cannot open: No such file or directory\n");
    r = grade("quiz", "-s", "5", "--format", "xml", "a.txt", NULL);
    cr_assert_eq(r->status, 2);
    cr_assert_str_eq(r->err, "mmsim grade: --format xml: expected human, tap or gradescope\n"
                             "run 'mmsim grade --help' for the options\n");
}

/* ---- results.json ------------------------------------------------------------ */

/* The shape Gradescope's autograder reads: a numeric score equal to the
 * sum of the tests', and tests each with a name, a score, a max_score and
 * an output (a string). Returns the parsed document. */
static cJSON *gradescope_json(const char *text)
{
    cJSON *root = cJSON_Parse(text);
    cr_assert_not_null(root, "not JSON:\n%s", text);
    const cJSON *score = cJSON_GetObjectItem(root, "score"), *tests = cJSON_GetObjectItem(root, "tests");
    cr_assert(cJSON_IsNumber(score));
    cr_assert(cJSON_IsArray(tests) && cJSON_GetArraySize(tests) > 0);
    double sum = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, tests) {
        cr_assert(cJSON_IsString(cJSON_GetObjectItem(t, "name")));
        cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(t, "score")));
        cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(t, "max_score")));
        cr_assert(cJSON_IsString(cJSON_GetObjectItem(t, "output")));
        cr_assert_leq(cJSON_GetObjectItem(t, "score")->valuedouble, cJSON_GetObjectItem(t, "max_score")->valuedouble);
        sum += cJSON_GetObjectItem(t, "score")->valuedouble;
    }
    cr_assert_float_eq(score->valuedouble, sum, 1e-9);
    return root;
}

Test(grade, results_json_has_the_shape_gradescope_reads)
{
    char *text = answers_text(5, 2, "1.pte_pa", "2.dirty");
    const char *path = write_file("gs.txt", text), *results = tmp_path("results.json");
    free(text);
    struct run *r = grade("quiz", "-s", "5", "-n", "2", "--format", "gradescope", path, NULL);
    cr_assert_eq(r->status, 1);
    cJSON *root = gradescope_json(r->out);
    const cJSON *t1 = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "tests"), 0);
    cr_assert_str_eq(cJSON_GetObjectItem(t1, "name")->valuestring, "question 1 (translate)");
    cr_assert_float_eq(cJSON_GetObjectItem(t1, "max_score")->valuedouble, points_of(5, 2, 1, NULL), 1e-9);
    cr_assert(strstr(cJSON_GetObjectItem(t1, "output")->valuestring, "pte_pa: answered 0x1"));
    cJSON_Delete(root);

    /* --results writes the same document beside the human report */
    r = grade("quiz", "-s", "5", "-n", "2", "--results", results, path, NULL);
    cr_assert_eq(r->status, 1);
    cr_assert(strstr(r->out, "Score: "));
    static char file[OUT_MAX];
    slurp_into(results, file, sizeof file);
    root = gradescope_json(file);
    cJSON_Delete(root);
    remove(path);
}

Test(grade, tap_reports_each_question_as_a_test)
{
    char *text = answers_text(5, 2, "1.pte_pa", NULL);
    const char *path = write_file("tap.txt", text);
    free(text);
    struct run *r = grade("quiz", "-s", "5", "-n", "2", "--format", "tap", path, NULL);
    cr_assert_eq(r->status, 1);
    cr_assert(strncmp(r->out, "TAP version 13\n1..2\nnot ok 1 - question 1 (translate)\n", 54) == 0, "%s", r->out);
    cr_assert(strstr(r->out, "\nok 2 - question 2 (decode)\n"), "%s", r->out);
    remove(path);
}

/* ---- goals ----------------------------------------------------------------------- */

static const char goals_demand_zero[] =
    "{ \"title\": \"demand-zero goals\",\n"
    "  \"goals\": [\n"
    "    { \"name\": \"editor takes demand-zero faults\", \"points\": 5,\n"
    "      \"faults\": { \"process\": \"editor\", \"demand-zero\": { \"min\": 1 } } },\n"
    "    { \"name\": \"no page is written\", \"points\": 3, \"counters\": { \"pages_written\": 0 } },\n"
    "    { \"name\": \"between 1 and 3 hard faults\", \"points\": 2,\n"
    "      \"faults\": { \"page-file\": { \"min\": 1, \"max\": 3 } } },\n"
    "    { \"name\": \"every expectation holds\", \"points\": 4, \"expectations\": { \"hold\": true } }\n"
    "  ] }\n";

Test(grade, a_scenario_meets_some_goals_and_misses_others)
{
    const char *goals = write_file("goals.json", goals_demand_zero);
    struct run *r = grade("scenario", "--goals", goals, "scenarios/demand-zero.json", NULL);
    cr_assert_eq(r->status, 1, "%s%s", r->out, r->err);
    cr_assert(strstr(r->out, "editor takes demand-zero faults: OK (5/5)\n"), "%s", r->out);
    cr_assert(strstr(r->out, "no page is written: OK (3/3)\n"), "%s", r->out);
    cr_assert(strstr(r->out, "between 1 and 3 hard faults: FAIL (0/2)\n    page-file faults: expected 1..3, found 0\n"),
              "%s", r->out);
    cr_assert(strstr(r->out, "every expectation holds: OK (4/4)\n"), "%s", r->out);
    cr_assert(strstr(r->out, "Score: 12/14\n"), "%s", r->out);
    remove(goals);
}

Test(grade, a_scenario_that_meets_every_goal_exits_0)
{
    const char *goals = write_file("goals-pass.json",
                                   "{ \"goals\": [ { \"name\": \"no hard faults\", \"points\": 1,\n"
                                   "  \"faults\": { \"page-file\": 0 } } ] }\n");
    struct run *r = grade("scenario", "--goals", goals, "--format", "gradescope", "scenarios/demand-zero.json", NULL);
    cr_assert_eq(r->status, 0, "%s%s", r->out, r->err);
    cJSON *root = gradescope_json(r->out);
    cr_assert_float_eq(cJSON_GetObjectItem(root, "score")->valuedouble, 1, 1e-9);
    cJSON_Delete(root);
    remove(goals);
}

Test(grade, a_bad_goals_file_is_the_instructors_error_with_its_place)
{
    const char *goals = write_file("goals-bad.json",
                                   "{ \"goals\": [\n  { \"name\": \"x\", \"points\": 1,\n"
                                   "    \"faults\": { \"page-fle\": 0 } } ] }\n");
    struct run *r = grade("scenario", "--goals", goals, "scenarios/demand-zero.json", NULL);
    cr_assert_eq(r->status, 2);
    cr_assert_str_eq(r->out, "");
    char want[300];
    snprintf(want, sizeof want, "%s:3:17: $.goals[0].faults: unknown key 'page-fle', did you mean 'page-file'?\n",
             goals);
    cr_assert_str_eq(r->err, want);
    remove(goals);
}

/* ---- lab checks ------------------------------------------------------------------- */

Test(grade, lab_checks_score_each_test_in_its_own_process)
{
    const char *checks = write_file("checks.json",
        "{ \"lab\": \"x\", \"tests\": [\n"
        "  { \"name\": \"demand-zero replays\", \"points\": 3, \"scenarios\": [\"../../scenarios/demand-zero.json\"] },\n"
        "  { \"name\": \"a walk that expects the wrong fault\", \"points\": 2,\n"
        "    \"walks\": [ { \"scenario\": \"../../scenarios/demand-zero.json\", \"process\": \"editor\",\n"
        "                 \"address\": \"0x00017000\", \"expect\": { \"fault\": \"page-file\" } } ] } ] }\n");
    struct run *r = grade("lab", checks, NULL);
    cr_assert_eq(r->status, 1, "%s%s", r->out, r->err);
    cr_assert(strstr(r->out, "demand-zero replays: OK (3/3)\n"), "%s", r->out);
    cr_assert(strstr(r->out, "a walk that expects the wrong fault: FAIL (0/2)\n    walk of 0x00017000 (read) in editor "
                             "after build/tests/../../scenarios/demand-zero.json: fault: expected page-file, found none\n"),
              "%s", r->out);
    cr_assert(strstr(r->out, "Score: 3/5\n"), "%s", r->out);
    remove(checks);
}

Test(grade, a_bad_checks_file_runs_nothing_and_exits_2)
{
    const char *checks = write_file("checks-bad.json", "{ \"lab\": \"x\",\n  \"tests\": [ { \"name\": \"t\" } ] }\n");
    struct run *r = grade("lab", checks, NULL);
    cr_assert_eq(r->status, 2);
    cr_assert_str_eq(r->out, "");
    char want[300];
    snprintf(want, sizeof want, "%s:2:14: $.tests[0]: a test needs \"name\" and \"points\"\n", checks);
    cr_assert_str_eq(r->err, want);
    remove(checks);
}

/* A sections case runs on the engine itself: a file section, two views,
 * the faults and values of each access; a wrong expectation says which
 * step and what was found. */
Test(grade, sections_cases_check_faults_values_and_sharing)
{
    const char *checks = write_file("checks-sec.json",
        "{ \"tests\": [ { \"name\": \"cow\", \"points\": 4, \"sections\": [ {\n"
        "  \"file\": [\"0xF11E0000\"], \"protection\": \"PAGE_READONLY\",\n"
        "  \"views\": { \"A\": \"PAGE_WRITECOPY\", \"B\": \"PAGE_READONLY\" },\n"
        "  \"steps\": [\n"
        "    { \"process\": \"A\", \"page\": 0, \"access\": \"read\", \"value\": \"0xF11E0000\", \"fault\": \"mapped-file\" },\n"
        "    { \"process\": \"A\", \"page\": 0, \"access\": \"write\", \"value\": \"0xC0C0\", \"fault\": \"copy-on-write\",\n"
        "      \"shared\": false },\n"
        "    { \"process\": \"B\", \"page\": 0, \"access\": \"read\", \"value\": \"0xC0C0\", \"fault\": \"shared\" } ],\n"
        "  \"expect\": { \"file\": [\"0xF11E0000\"], \"file_writes\": 1 } } ] } ] }\n");
    struct run *r = grade("lab", checks, NULL);
    cr_assert_eq(r->status, 1, "%s%s", r->out, r->err);
    /* A's copy left the section's frame to no one: B finds it on Standby */
    cr_assert(strstr(r->out, "cow: FAIL (0/4)\n"
                             "    sections[0]: step 3 (B reads page 0): fault: expected shared, found transition\n"
                             "    sections[0]: step 3 (B reads page 0): read 0xF11E0000, expected 0x0000C0C0\n"
                             "    sections[0]: pages written to the file: expected 1, found 0\n"),
              "%s", r->out);
    remove(checks);
}

Test(grade, a_bad_sections_case_is_located)
{
    const char *checks = write_file("checks-sec-bad.json",
        "{ \"tests\": [ { \"name\": \"cow\", \"points\": 4, \"sections\": [ {\n"
        "  \"pages\": 2, \"views\": { \"A\": \"PAGE_WRITECOPY\" },\n"
        "  \"steps\": [ { \"process\": \"B\", \"page\": 0, \"access\": \"read\" } ] } ] } ] }\n");
    struct run *r = grade("lab", checks, NULL);
    cr_assert_eq(r->status, 2);
    char want[300];
    snprintf(want, sizeof want,
             "%s:3:27: $.tests[0].sections[0].steps[0].process: no view is mapped in a process 'B' (\"views\" names "
             "them)\n", checks);
    cr_assert_str_eq(r->err, want);
    remove(checks);
}

/* ---- control characters ------------------------------------------------------------ */

/* Text from a goals or checks file (a title, a test's name, what a test
 * printed) may hold an ESC, a BEL, a CR LF: the human and TAP forms show
 * them as \xHH, so nothing reaches the terminal and no line is forged;
 * results.json keeps the text, escaped as JSON. */
static char *report_text(const struct grade_report *r, enum grade_format f)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    cr_assert(grade_report_write(r, f, out));
    fclose(out);
    return buf;
}

Test(grade, report_escapes_control_characters_from_the_files)
{
    struct grade_report r;
    grade_report_init(&r, "T\x1b]0;pwned\a");
    grade_report_add(&r, "n\x1b[31m\r\nok 99 fake #SKIP", 0, 5, "found \x1b[2J\r\nnext\n", NULL);
    char *human = report_text(&r, GRADE_HUMAN);
    cr_assert_str_eq(human, "== T\\x1B]0;pwned\\x07 ==\n"
                            "n\\x1B[31m\\x0D\\x0Aok 99 fake #SKIP: FAIL (0/5)\n"
                            "    found \\x1B[2J\\x0D\n"
                            "    next\n"
                            "Score: 0/5\n");
    char *tap = report_text(&r, GRADE_TAP);
    cr_assert_str_eq(tap, "TAP version 13\n1..1\n"
                          "not ok 1 - n\\x1B[31m\\x0D\\x0Aok 99 fake  SKIP\n"
                          "  ---\n  score: 0\n  max_score: 5\n  output: |\n"
                          "    found \\x1B[2J\\x0D\n"
                          "    next\n"
                          "  ...\n"
                          "# T\\x1B]0;pwned\\x07\n# score 0/5\n");
    char *gs = report_text(&r, GRADE_GRADESCOPE);
    cJSON *root = gradescope_json(gs);
    const cJSON *t = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "tests"), 0);
    cr_assert_str_eq(cJSON_GetObjectItem(t, "name")->valuestring, "n\x1b[31m\r\nok 99 fake #SKIP");
    cJSON_Delete(root);
    free(human);
    free(tap);
    free(gs);
    grade_report_free(&r);
}

/* An error line quotes the file: it is escaped too. */
Test(grade, error_lines_escape_what_they_quote)
{
    const char *goals = write_file("goals-ctl.json", "{ \"goals\": [ { \"name\": \"a\", \"points\": 1,\n"
                                                     "  \"faults\": { \"x\\u001b[2J\": 0 } } ] }\n");
    struct run *r = grade("scenario", "--goals", goals, "scenarios/demand-zero.json", NULL);
    cr_assert_eq(r->status, 2);
    char want[300];
    snprintf(want, sizeof want, "%s:2:15: $.goals[0].faults: unknown key 'x\\x1B[2J'\n", goals);
    cr_assert_str_eq(r->err, want);
    remove(goals);
}
