/*
 * path.h - the parts of a path named on the command line that messages
 * and checks need: where its last component begins, and the directory
 * before it. On Windows '\\' parts components as '/' does, and a drive
 * ("C:") may begin a path; elsewhere both are ordinary characters of a
 * file's name.
 */
#ifndef MMSIM_PATH_H
#define MMSIM_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#ifdef _WIN32
#define PATH_WINDOWS 1
#else
#define PATH_WINDOWS 0
#endif

/* Whether c ends a component ('/', and on Windows '\\' too). */
static inline bool path_separator(char c)
{
    return c == '/' || (PATH_WINDOWS && c == '\\');
}

/* Where the last component of `path` begins: the byte after its last
 * separator, or after a Windows drive ("C:name"); 0 when the path is one
 * component. "dir/" gives 4: its last component is empty. */
static inline size_t path_base_offset(const char *path)
{
    size_t base = 0;
    for (size_t i = 0; path[i]; i++)
        if (path_separator(path[i]) || (PATH_WINDOWS && i == 1 && path[1] == ':'))
            base = i + 1;
    return base;
}

/* The directory `path` names its last component in, into out (size
 * bytes, at least 1; cut short if it must be): "." for a path of one
 * component, the root for a component in it ("/", "C:\\"), "C:." for
 * "C:name", else the path up to its last separator. */
static inline void path_directory(const char *path, char *out, size_t size)
{
    size_t base = path_base_offset(path), len = base;
    const char *from = path;
    bool dot = false;
    if (base == 0) {
        from = ".";
        len = 1;
    } else if (path[base - 1] == ':') {   /* "C:name": the drive's current directory */
        dot = true;
    } else if (!(base == 1 || (PATH_WINDOWS && base == 3 && path[1] == ':'))) {   /* not "/name", "C:\\name" */
        len = base - 1;
    }
    size_t n = len < size - 1 ? len : size - 1;
    memcpy(out, from, n);
    if (dot && n < size - 1)
        out[n++] = '.';
    out[n] = '\0';
}

#endif
