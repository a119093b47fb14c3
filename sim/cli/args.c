/*
 * args.c - showing a command-line argument in a message (args.h), through
 * the scenario layer's escaping (show.h), and checking an output file's
 * path before the work that fills it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "mm.h"
#include "parse.h"
#include "path.h"
#include "show.h"

const char *args_show_n(const char *arg, size_t len, char *buf, size_t size)
{
    return show_text(arg, len, ARGS_SHOW_MAX, buf, size);
}

const char *args_show(const char *arg, char *buf, size_t size)
{
    return args_show_n(arg, strlen(arg), buf, size);
}

bool args_can_write(const char *path, char *why, size_t size)
{
    struct stat st;
    if (!*path) {
        snprintf(why, size, "an empty file name");
        return false;
    }
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            snprintf(why, size, "is a directory");
            return false;
        }
        if (access(path, W_OK) != 0) {
            snprintf(why, size, "%s", strerror(errno));
            return false;
        }
        return true;
    }
    if (errno != ENOENT) {
        snprintf(why, size, "%s", strerror(errno));
        return false;
    }
    /* a new file: its directory */
    char dir[4096];
    path_directory(path, dir, sizeof dir);
    if (stat(dir, &st) != 0 || (!S_ISDIR(st.st_mode) && (errno = ENOTDIR)) || access(dir, W_OK) != 0) {
        snprintf(why, size, "%s", strerror(errno));
        return false;
    }
    return true;
}

/* Which entry of takes the option word `a` starts with; *value is set to
 * its value when the word holds one ("--name=VALUE", "-xVALUE"), NULL
 * when the word is the option alone. -1 for a word no entry starts. */
static int taken_option(const char *a, const char *const *takes, size_t ntakes, char **value)
{
    for (size_t k = 0; k < ntakes; k++) {
        size_t len = strlen(takes[k]);
        if (strncmp(a, takes[k], len) != 0)
            continue;
        bool is_long = takes[k][1] == '-';
        if (!a[len] || (is_long && a[len] == '=' && a[len + 1]) || (!is_long && len == 2)) {
            *value = !a[len] ? NULL : (char *)a + len + (is_long ? 1 : 0);
            return (int)k;
        }
    }
    return -1;
}

char **args_split_values(int argc, char **argv, const char *const *takes, size_t ntakes, int *out_argc)
{
    char **out = calloc((size_t)argc * 2 + 1, sizeof *out);
    if (!out)
        return NULL;
    int n = 0;
    bool only_words = false;
    for (int i = 0; i < argc; i++) {
        char *a = argv[i], *value;
        int k = only_words || a[0] != '-' || !a[1] ? -1 : taken_option(a, takes, ntakes, &value);
        if (!only_words && strcmp(a, "--") == 0)
            only_words = true;
        if (k < 0) {
            out[n++] = a;   /* a word of its own, or "--name=" with nothing after it (refused whole) */
        } else if (value) {   /* --name=VALUE or -xVALUE */
            out[n++] = (char *)takes[k];
            out[n++] = value;
        } else {   /* --name VALUE: the next word is the value, whatever it looks like */
            out[n++] = a;
            if (i + 1 < argc)
                out[n++] = argv[++i];
        }
    }
    *out_argc = n;
    return out;
}

const char *args_suggest_option(const char *arg, const char *const *known, size_t n)
{
    char name[ARGS_SHOW_MAX + 1];
    snprintf(name, sizeof name, "%.*s", (int)strcspn(arg, "="), arg);
    return parse_suggest(name, known, n);
}

bool args_parse_split(int argc, char **argv, const char *const *takes, size_t ntakes,
                      bool (*parse)(int argc, char **argv, void *ctx), void *ctx)
{
    int n;
    char **words = args_split_values(argc, argv, takes, ntakes, &n);
    if (!words)
        mm_host_exhausted(__func__, "the command line");
    bool ok = parse(n, words, ctx);
    free(words);
    return ok;
}

bool args_once(const char *prog, const char *opt, const char *value, const char **seen)
{
    if (*seen) {
        char was[ARGS_SHOW_SIZE], now[ARGS_SHOW_SIZE];
        fprintf(stderr, "%s: %s is given twice (%s, then %s); give it once\n", prog, opt,
                args_show(*seen, was, sizeof was), args_show(value ? value : "", now, sizeof now));
        return false;
    }
    *seen = value ? value : "";
    return true;
}

unsigned args_stdin_count(const char *const *files, size_t n)
{
    unsigned count = 0;
    for (size_t i = 0; i < n; i++)
        count += strcmp(files[i], "-") == 0;
    return count;
}

void args_usage_hint(const char *command)
{
    if (command)
        fprintf(stderr, "run 'mmsim %s --help' for the options\n", command);
    else
        fprintf(stderr, "run 'mmsim --help' for the commands\n");
}
