/*
 * test_show.c - outside text escaped for a terminal (sim/scenario/show.c):
 * every C0 control, DEL, both bytes of a C1 control and every byte that is
 * not UTF-8 becomes \xHH; printable ASCII and well-formed UTF-8 from U+00A0
 * on stay as they are; a cut never splits an escape or a character.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "show.h"
#include "support.h"

static char *written(const char *s, size_t len)
{
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    cr_assert_not_null(f);
    size_t cols = show_write(f, s, len);
    cr_assert_eq(fclose(f), 0);
    cr_assert_eq(cols, show_columns(s, len), "show_columns agrees with show_write");
    return out;
}

Test(show, controls_and_bad_bytes_are_escaped)
{
    static const struct { const char *in; size_t len; const char *out; } cases[] = {
        {"plain text", 10, "plain text"},
        {"\033[2J", 4, "\\x1B[2J"},
        {"a\nb\tc\rd", 7, "a\\x0Ab\\x09c\\x0Dd"},
        {"nul\0x", 5, "nul\\x00x"},
        {"del\177", 4, "del\\x7F"},
        {"c1 \302\233 x", 7, "c1 \\xC2\\x9B x"},                 /* U+009B, CSI */
        {"nbsp \302\240 caf\303\251", 13, "nbsp \302\240 caf\303\251"},  /* U+00A0, U+00E9 */
        {"\342\202\254 \360\237\230\200", 8, "\342\202\254 \360\237\230\200"},  /* U+20AC, U+1F600 */
        {"\300\257", 2, "\\xC0\\xAF"},                            /* overlong '/' */
        {"\355\240\200", 3, "\\xED\\xA0\\x80"},                   /* a surrogate */
        {"\370\200\200", 3, "\\xF8\\x80\\x80"},                   /* F8 starts nothing */
        {"\365\200\200\200", 4, "\\xF5\\x80\\x80\\x80"},          /* past U+10FFFF */
        {"\342\202", 2, "\\xE2\\x82"},                            /* truncated */
        {"\200x", 2, "\\x80x"},                                   /* stray continuation */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cr_assert(cases[i].len == strlen(cases[i].in) || cases[i].in[strlen(cases[i].in) + 1] == 'x', "case %zu's length",
                  i);
        char *got = written(cases[i].in, cases[i].len);
        cr_expect_str_eq(got, cases[i].out, "case %zu", i);
        char buf[64];
        cr_expect_str_eq(show_text(cases[i].in, cases[i].len, cases[i].len, buf, sizeof buf), cases[i].out,
                         "show_text, case %zu", i);
        cr_expect_eq(show_is_plain(cases[i].in, cases[i].len), strcmp(cases[i].in, cases[i].out) == 0 &&
                                                                   cases[i].len == strlen(cases[i].out));
        free(got);
    }
}

Test(show, cuts_whole_characters_and_escapes)
{
    char buf[16];
    /* at most 4 bytes shown: the cut is marked */
    cr_assert_str_eq(show_text("abcdefgh", 8, 4, buf, sizeof buf), "abcd...");
    /* the buffer fills: 16 bytes hold three escapes, "..." and the NUL */
    cr_assert_str_eq(show_text("\033\033\033\033\033", 5, 5, buf, sizeof buf), "\\x1B\\x1B\\x1B...");
    /* a two-byte character is never split */
    cr_assert_str_eq(show_text("aaaaaaaaaa\303\251\303\251", 14, 14, buf, 14), "aaaaaaaaaa...");
    cr_assert_str_eq(show_text("", 0, 0, buf, sizeof buf), "");
}

Test(show, printf_escapes_all_but_the_last_newline)
{
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    cr_assert_not_null(f);
    cr_assert(show_printf(f, "unknown process '%s'\n", "a\nb\033"));
    static char big[3000];
    memset(big, 'x', sizeof big - 1);
    big[10] = '\033';
    cr_assert(show_printf(f, "%s", big));   /* longer than the stack buffer */
    cr_assert_eq(fclose(f), 0);
    cr_assert_eq(strncmp(out, "unknown process 'a\\x0Ab\\x1B'\nxxxxxxxxxx\\x1Bxx", 45), 0, "%s", out);
    cr_assert_eq(strlen(out), 29 + sizeof big - 1 + 3);
    free(out);
}
