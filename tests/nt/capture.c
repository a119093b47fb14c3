/*
 * capture.c - see capture.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"

/* Point file descriptor fd at a fresh temporary file; the old one comes back. */
static int swap_to_tmp(int fd, FILE **tmp)
{
    *tmp = tmpfile();
    int saved = dup(fd);
    if (!*tmp || saved < 0 || dup2(fileno(*tmp), fd) < 0)
        abort();
    return saved;
}

static char *restore(int fd, int saved, FILE *tmp)
{
    if (dup2(saved, fd) < 0)
        abort();
    close(saved);
    long size = ftell(tmp) >= 0 ? (fseek(tmp, 0, SEEK_END), ftell(tmp)) : 0;
    char *text = calloc(1, (size_t)size + 1);
    rewind(tmp);
    if (!text || fread(text, 1, (size_t)size, tmp) != (size_t)size)
        abort();
    fclose(tmp);
    return text;
}

int capture(int (*fn)(int argc, char **argv), const char *const *argv, char **out, char **err)
{
    int argc = 0;
    while (argv[argc])
        argc++;
    FILE *o, *e;
    fflush(stdout);
    fflush(stderr);
    int so = swap_to_tmp(STDOUT_FILENO, &o), se = swap_to_tmp(STDERR_FILENO, &e);
    int rc = fn(argc, (char **)argv);
    fflush(stdout);
    fflush(stderr);
    *out = restore(STDOUT_FILENO, so, o);
    *err = restore(STDERR_FILENO, se, e);
    return rc;
}
