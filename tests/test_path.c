/*
 * test_path.c - the parts of a path named on the command line (sim/path.h):
 * where its last component begins, and its directory. These run in the
 * POSIX build, where '\\' and a drive's ':' are ordinary characters; the
 * Windows build's separators are tested under Wine (tests/nt/nt_tests.sh).
 */
#include <string.h>

#include "path.h"
#include "support.h"

Test(path, the_last_component_begins_after_the_last_slash)
{
    static const struct {
        const char *path;
        size_t base;
    } cases[] = {
        {"t.txt", 0}, {"dir/t.txt", 4}, {"/t.txt", 1}, {"a/b/c", 4}, {"dir/", 4}, {"", 0},
        {"dir\\t.txt", 0}, {"C:t.txt", 0}, {"C:\\dir\\t.txt", 0}, {"a\\b/c", 4},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_assert_eq(path_base_offset(cases[i].path), cases[i].base, "%s", cases[i].path);
}

Test(path, the_directory_is_the_path_before_its_last_component)
{
    static const struct {
        const char *path, *dir;
    } cases[] = {
        {"plot.svg", "."}, {"out/plot.svg", "out"}, {"/plot.svg", "/"}, {"/a/b/plot.svg", "/a/b"},
        {"C:plot.svg", "."}, {"out\\plot.svg", "."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char dir[64];
        path_directory(cases[i].path, dir, sizeof dir);
        cr_assert_str_eq(dir, cases[i].dir, "%s", cases[i].path);
    }
    char small[4];
    path_directory("/abcdef/plot.svg", small, sizeof small);   /* cut short, still a string */
    cr_assert_str_eq(small, "/ab");
}
