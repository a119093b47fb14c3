/*
 * test_parse.c - the small languages of scenario files and command lines:
 * numbers, sizes, protections, near-miss names, and step-mode commands.
 */
#include <string.h>

#include "parse.h"
#include "step.h"
#include "support.h"

Test(parse, numbers_decimal_and_hex)
{
    uint64_t v;
    char why[128];
    cr_assert(parse_number("4096", 0xFFFFFFFFu, &v, why, sizeof why));
    cr_assert_eq(v, 4096u);
    cr_assert(parse_number("0x7FFEFFFF", 0xFFFFFFFFu, &v, why, sizeof why));
    cr_assert_eq(v, 0x7FFEFFFFu);
    cr_assert(parse_number("0XaBc", 0xFFFFFFFFu, &v, why, sizeof why));
    cr_assert_eq(v, 0xABCu);
    cr_assert_not(parse_number("0x", 100, &v, why, sizeof why));
    cr_assert_str_eq(why, "'0x' is not a number");
    cr_assert_not(parse_number("12a", 100, &v, why, sizeof why));
    cr_assert_str_eq(why, "'12a' is not a number (decimal, or hexadecimal with 0x)");
    cr_assert_not(parse_number("0x100000000", 0xFFFFFFFFu, &v, why, sizeof why));
    cr_assert_str_eq(why, "0x100000000 is too large (the limit is 0xFFFFFFFF)");
    cr_assert_not(parse_number("99999999999999999999999", UINT64_MAX, &v, why, sizeof why), "no overflow wrap");
    cr_assert_not(parse_number("-1", 100, &v, why, sizeof why));
}

Test(parse, sizes_with_units)
{
    uint64_t v;
    char why[128];
    cr_assert(parse_size("16K", 1ull << 32, &v, why, sizeof why));
    cr_assert_eq(v, 16384u);
    cr_assert(parse_size("4m", 1ull << 32, &v, why, sizeof why));
    cr_assert_eq(v, 4u << 20);
    cr_assert(parse_size("1G", 1ull << 32, &v, why, sizeof why));
    cr_assert_eq(v, 1u << 30);
    cr_assert(parse_size("0x2000", 1ull << 32, &v, why, sizeof why));
    cr_assert_eq(v, 0x2000u);
    cr_assert(parse_size("0xBK", 1ull << 32, &v, why, sizeof why) == false, "hex has no units: K is not a digit");
    cr_assert_not(parse_size("4Q", 1ull << 32, &v, why, sizeof why));
    cr_assert_str_eq(why, "'4Q' is not a size: the unit must be K, M or G");
    cr_assert_not(parse_size("5G", 1ull << 32, &v, why, sizeof why));
    cr_assert_str_eq(why, "5G is too large (the limit is 0x100000000 bytes)");
    cr_assert_not(parse_size("", 100, &v, why, sizeof why));
}

Test(parse, protections)
{
    uint32_t p;
    char why[160];
    cr_assert(parse_protection("PAGE_READWRITE", &p, why, sizeof why));
    cr_assert_eq(p, PAGE_READWRITE);
    cr_assert(parse_protection("PAGE_READONLY|PAGE_GUARD", &p, why, sizeof why));
    cr_assert_eq(p, PAGE_READONLY | PAGE_GUARD);
    cr_assert(parse_protection("0x40", &p, why, sizeof why));
    cr_assert_eq(p, PAGE_EXECUTE_READWRITE);
    cr_assert_not(parse_protection("PAGE_READWRTE", &p, why, sizeof why));
    cr_assert_str_eq(why, "unknown protection 'PAGE_READWRTE', did you mean 'PAGE_READWRITE'?");
    cr_assert_not(parse_protection("PAGE_READONLY|", &p, why, sizeof why));
    cr_assert_not(parse_protection("|", &p, why, sizeof why));
    cr_assert_not(parse_protection("banana", &p, why, sizeof why));
    cr_assert_str_eq(why, "unknown protection 'banana' (expected PAGE_READONLY, PAGE_READWRITE, ...)");
}

Test(parse, suggestions_catch_typos_only)
{
    static const char *const names[] = {"commit", "decommit", "reserve", "release", "read", "write"};
    cr_assert_str_eq(parse_suggest("comit", names, 6), "commit");
    cr_assert_str_eq(parse_suggest("relase", names, 6), "release");
    cr_assert_str_eq(parse_suggest("WRITE", names, 6), "write");
    cr_assert_null(parse_suggest("allocate-everything", names, 6));
    cr_assert_eq(parse_lookup("reserve", names, 6), 2);
    cr_assert_eq(parse_lookup("Reserve", names, 6), -1, "names are case-sensitive");
}

Test(step, commands_parse)
{
    struct step_cmd c;
    char why[160];
    cr_assert(step_parse("\n", &c, why, sizeof why));
    cr_assert_eq(c.verb, STEP_NEXT);
    cr_assert(step_parse("  n  \n", &c, why, sizeof why));
    cr_assert_eq(c.verb, STEP_NEXT);
    cr_assert(step_parse("g 12", &c, why, sizeof why));
    cr_assert_eq(c.verb, STEP_GOTO);
    cr_assert_eq(c.number, 12u);
    cr_assert(step_parse("walk 0x10000 notepad\n", &c, why, sizeof why));
    cr_assert_eq(c.verb, STEP_WALK);
    cr_assert_eq(c.number, 0x10000u);
    cr_assert_str_eq(c.process, "notepad");
    cr_assert(step_parse("ws", &c, why, sizeof why));
    cr_assert_eq(c.verb, STEP_WS);
    cr_assert_str_eq(c.process, "");
    cr_assert(step_parse("pfn 0x1F3", &c, why, sizeof why));
    cr_assert_eq(c.number, 0x1F3u);
    cr_assert(step_parse("quit", &c, why, sizeof why));
    cr_assert_eq(c.verb, STEP_QUIT);
}

Test(step, bad_commands_say_why)
{
    struct step_cmd c;
    char why[160];
    cr_assert_not(step_parse("nxt", &c, why, sizeof why));
    cr_assert_str_eq(why, "unknown command 'nxt', did you mean 'next'? (type 'help')");
    cr_assert_not(step_parse("goto", &c, why, sizeof why));
    cr_assert_str_eq(why, "'goto' needs a number");
    cr_assert_not(step_parse("pfn 12 13", &c, why, sizeof why));
    cr_assert_str_eq(why, "'pfn' takes only a number");
    cr_assert_not(step_parse("lists now", &c, why, sizeof why));
    cr_assert_str_eq(why, "'lists' takes no arguments");
    cr_assert_not(step_parse("walk 1 a b", &c, why, sizeof why));
    cr_assert_str_eq(why, "too many words; type 'help' for the commands");
    char longword[200];
    memset(longword, 'x', sizeof longword - 1);
    longword[sizeof longword - 1] = '\0';
    cr_assert_not(step_parse(longword, &c, why, sizeof why));
    cr_assert_str_eq(why, "a word is too long");
}
