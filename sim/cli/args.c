/*
 * args.c - showing a command-line argument in a message (args.h), through
 * the scenario layer's escaping (show.h).
 */
#include <string.h>

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
