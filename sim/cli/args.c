/*
 * args.c - showing a command-line argument in a message (args.h), through
 * the scenario layer's escaping (show.h), and checking an output file's
 * path before the work that fills it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
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
    /* a new file: its directory, the path up to the last '/' */
    const char *slash = strrchr(path, '/');
    char dir[4096];
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    if (stat(dir, &st) != 0 || (!S_ISDIR(st.st_mode) && (errno = ENOTDIR)) || access(dir, W_OK) != 0) {
        snprintf(why, size, "%s", strerror(errno));
        return false;
    }
    return true;
}
