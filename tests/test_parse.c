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
    cr_assert_str_eq(why, "'0x' is not a number: hexadecimal digits must follow 0x");
    cr_assert_not(parse_number("", 100, &v, why, sizeof why));
    cr_assert_str_eq(why, "an empty string is not a number");
    cr_assert_not(parse_number("12a", 100, &v, why, sizeof why));
    cr_assert_str_eq(why, "'12a' is not a number (decimal, or hexadecimal with 0x)");
    cr_assert_not(parse_number("0x100000000", 0xFFFFFFFFu, &v, why, sizeof why));
    cr_assert_str_eq(why, "'0x100000000' is too large (at most 0xFFFFFFFF)");
    cr_assert_not(parse_number("4294967296", 0xFFFFFFFFu, &v, why, sizeof why));
    cr_assert_str_eq(why, "'4294967296' is too large (at most 4294967295)", "the limit in the base the text used");
    cr_assert_not(parse_number("99999999999999999999999", UINT64_MAX, &v, why, sizeof why), "no overflow wrap");
    cr_assert_str_eq(why, "'99999999999999999999999' is too large (at most 18446744073709551615)");
    cr_assert_not(parse_number("99999999999999999999x", UINT64_MAX, &v, why, sizeof why));
    cr_assert_str_eq(why, "'99999999999999999999x' is not a number (decimal, or hexadecimal with 0x)",
                     "a bad digit is the clearer message");
    cr_assert_not(parse_number("-1", 100, &v, why, sizeof why));
    cr_assert_str_eq(why, "'-1' is negative: give a number from 0 to 100", "a negative number is said as such");
    cr_assert_not(parse_number("-x", 100, &v, why, sizeof why));
    cr_assert_str_eq(why, "'-x' is not a number (decimal, or hexadecimal with 0x)");
    cr_assert_not(parse_number("9", 5, &v, why, sizeof why), "a digit above a small limit");
    cr_assert_str_eq(why, "'9' is too large (at most 5)");
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
    cr_assert_str_eq(why, "'5G' is too large (at most 4G)");
    cr_assert_not(parse_size("", 100, &v, why, sizeof why));
}

Test(parse, sizes_say_what_a_size_looks_like)
{
    static const struct {
        const char *text, *why;
    } bad[] = {
        {"K", "'K' is not a size: expected a size like \"64K\", \"16M\" or 4096"},
        {"", "an empty string is not a size: expected a size like \"64K\", \"16M\" or 4096"},
        {"1.5M", "'1.5M' is not a size: expected a size like \"64K\", \"16M\" or 4096"},
        {"-4K", "'-4K' is not a size: expected a size like \"64K\", \"16M\" or 4096"},
        {" 4K", "' 4K' is not a size: expected a size like \"64K\", \"16M\" or 4096"},
        {"4 K", "'4 K' is not a size: expected a size like \"64K\", \"16M\" or 4096"},
        {"4KB", "'4KB' is not a size: expected a size like \"64K\", \"16M\" or 4096"},
        {"4Q", "'4Q' is not a size: the unit must be K, M or G"},
        {"0xBK", "'0xBK' is not a size: a hexadecimal size takes no unit (K, M or G)"},
        {"0x1G000", "'0x1G000' is not a hexadecimal number"},
        {"0x", "'0x' is not a number: hexadecimal digits must follow 0x"},
        {"5000000000", "'5000000000' is too large (at most 4G)"},
        {"0x100000001", "'0x100000001' is too large (at most 4G)"},
        {"99999999999999999999999K", "'99999999999999999999999K' is too large (at most 4G)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t v;
        char why[160];
        cr_assert_not(parse_size(bad[i].text, 1ull << 32, &v, why, sizeof why), "accepted '%s'", bad[i].text);
        cr_assert_str_eq(why, bad[i].why);
    }
    uint64_t v;
    char why[160];
    cr_assert(parse_size("4096", 1ull << 32, &v, why, sizeof why) && v == 4096);
    cr_assert(parse_size("4194304K", 1ull << 32, &v, why, sizeof why) && v == 1ull << 32, "exactly the limit");
}

Test(parse, fields_name_their_own_range)
{
    uint64_t v;
    char why[200];
    cr_assert(parse_field("64", false, 16, 1048576, &v, why, sizeof why) && v == 64);
    cr_assert(parse_field("0x40", false, 16, 1048576, &v, why, sizeof why) && v == 64);
    cr_assert_not(parse_field("8", false, 16, 1048576, &v, why, sizeof why));
    cr_assert_str_eq(why, "8 (0x8) is out of range: expected 16 to 1048576");
    cr_assert_not(parse_field("2000000", false, 16, 1048576, &v, why, sizeof why));
    cr_assert_str_eq(why, "2000000 (0x1E8480) is out of range: expected 16 to 1048576");
    cr_assert_not(parse_field("99999999999999999999", false, 16, 1048576, &v, why, sizeof why));
    cr_assert_str_eq(why, "'99999999999999999999' is too large (at most 1048576)", "never an internal limit");
    cr_assert_not(parse_field("0xFFFFFFFFFFFFFFFFFF", false, 0, 0xFFFFFFFFu, &v, why, sizeof why));
    cr_assert_str_eq(why, "'0xFFFFFFFFFFFFFFFFFF' is too large (at most 0xFFFFFFFF)");
    cr_assert_not(parse_field("-56", false, 16, 1048576, &v, why, sizeof why));
    cr_assert_str_eq(why, "'-56' is negative: give a number from 16 to 1048576", "the field's range, not 0 to 2^64 - 1");
    cr_assert_not(parse_field("lots", false, 16, 1048576, &v, why, sizeof why));
    cr_assert_str_eq(why, "'lots' is not a number (decimal, or hexadecimal with 0x)");
    /* sizes: the range in sizes */
    cr_assert(parse_field("64K", true, 65536, 1ull << 32, &v, why, sizeof why) && v == 65536);
    cr_assert_not(parse_field("32K", true, 65536, 1ull << 32, &v, why, sizeof why));
    cr_assert_str_eq(why, "'32K' is out of range: expected 64K to 4G");
    cr_assert_not(parse_field("0x8000", true, 65536, 1ull << 32, &v, why, sizeof why));
    cr_assert_str_eq(why, "32768 (0x8000) is out of range: expected 64K to 4G");
    cr_assert_not(parse_field("99999999999999999999G", true, 65536, 1ull << 32, &v, why, sizeof why));
    cr_assert_str_eq(why, "'99999999999999999999G' is too large (at most 4G)");
    cr_assert_not(parse_field("K", true, 65536, 1ull << 32, &v, why, sizeof why));
    cr_assert_str_eq(why, "'K' is not a size: expected a size like \"64K\", \"16M\" or 4096");
}

Test(parse, json_numbers_name_their_own_range)
{
    uint64_t v;
    char why[200];
    cr_assert(parse_field_double(64.0, false, 16, 1048576, &v, why, sizeof why) && v == 64);
    cr_assert(parse_field_double(9007199254740992.0, false, 0, UINT64_MAX, &v, why, sizeof why) &&
              v == 9007199254740992u);
    static const struct {
        double d;
        const char *why;
    } bad[] = {
        {1e20, "1e+20 is too large (at most 1048576)"},
        {9007199254740994.0, "9.0072e+15 is too large (at most 1048576)"},
        {2000000, "2000000 (0x1E8480) is out of range: expected 16 to 1048576"},
        {8, "8 (0x8) is out of range: expected 16 to 1048576"},
        {-3, "-3 is out of range: expected 16 to 1048576"},
        {-1e300, "-1e+300 is out of range: expected 16 to 1048576"},
        {64.5, "expected a whole number, found 64.5"},
        {-0.5, "expected a whole number, found -0.5"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_not(parse_field_double(bad[i].d, false, 16, 1048576, &v, why, sizeof why), "accepted %g", bad[i].d);
        cr_assert_str_eq(why, bad[i].why);
    }
    cr_assert_not(parse_field_double(1e20, true, 65536, 1ull << 32, &v, why, sizeof why));
    cr_assert_str_eq(why, "1e+20 is too large (at most 4G)");
    cr_assert_not(parse_field_double(1024, true, 65536, 1ull << 32, &v, why, sizeof why));
    cr_assert_str_eq(why, "1024 (0x400) is out of range: expected 64K to 4G");
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
    cr_assert_not(parse_protection("0x10000", &p, why, sizeof why));
    cr_assert_str_eq(why, "'0x10000' is too large for a protection (at most 0xFFFF)");
    cr_assert_not(parse_protection("4abc", &p, why, sizeof why));
    cr_assert_str_eq(why, "'4abc' is not a protection (expected PAGE_* names joined by '|', or a number)");
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
    cr_assert_str_eq(parse_suggest("decomit", names, 6), "decommit", "one letter short");
    cr_assert_str_eq(parse_suggest("reserv", names, 6), "reserve");
    cr_assert_str_eq(parse_suggest("wrte", names, 6), "write");
    cr_assert_null(parse_suggest("wrx", names, 6));
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

Test(step, options_of_the_questions)
{
    struct step_cmd c;
    char why[160];
    cr_assert(step_parse("lists -v", &c, why, sizeof why));
    cr_assert_eq(c.verb, STEP_LISTS);
    cr_assert(c.verbose);
    cr_assert_not(c.json);
    cr_assert(step_parse("lists --json --verbose", &c, why, sizeof why));
    cr_assert(c.verbose && c.json);
    cr_assert(step_parse("walk --json 0x10000 notepad write", &c, why, sizeof why), "%s", why);
    cr_assert(c.json);
    cr_assert_eq(c.number, 0x10000u);
    cr_assert_str_eq(c.process, "notepad");
    cr_assert_eq(c.access, MM_ACCESS_WRITE);
    cr_assert(step_parse("pfn 4 --json", &c, why, sizeof why));
    cr_assert(c.json && !c.verbose);
    cr_assert_not(step_parse("pfn 4 -v", &c, why, sizeof why));
    cr_assert_str_eq(why, "'pfn' takes no option '-v' (only --json)");
    cr_assert_not(step_parse("lists -x", &c, why, sizeof why));
    cr_assert_str_eq(why, "'lists' takes no option '-x' (only -v and --json)");
    cr_assert_not(step_parse("next --json", &c, why, sizeof why));
    cr_assert_str_eq(why, "'next' takes no option '--json'");
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
    cr_assert_str_eq(why, "'walk' takes a number and a process");
    cr_assert_not(step_parse("walk 1 a write b", &c, why, sizeof why));
    cr_assert_str_eq(why, "'walk' takes a number and a process");
    cr_assert_not(step_parse("walk 1 a write --json b c", &c, why, sizeof why));
    cr_assert_str_eq(why, "too many words; type 'help' for the commands");
    cr_assert(step_parse("walk 0x10000 a write", &c, why, sizeof why), "%s", why);
    cr_assert_eq(c.access, MM_ACCESS_WRITE);
    cr_assert_str_eq(c.process, "a");
    cr_assert(step_parse("pte 0x10000 execute", &c, why, sizeof why), "%s", why);
    cr_assert_eq(c.access, MM_ACCESS_EXECUTE);
    cr_assert_str_eq(c.process, "");
    cr_assert(step_parse("tlb", &c, why, sizeof why), "%s", why);
    cr_assert_eq(c.verb, STEP_TLB);
    char longword[200];
    memset(longword, 'x', sizeof longword - 1);
    longword[sizeof longword - 1] = '\0';
    cr_assert_not(step_parse(longword, &c, why, sizeof why));
    cr_assert_str_eq(why, "a word is too long");
}
