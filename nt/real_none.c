/*
 * real_none.c - nt_real_open() on a system that is not Windows: there is
 * no real backend, and the reason says what can run instead.
 */
#ifndef _WIN32

#include <stdio.h>

#include "memlist.h"

struct nt_backend *nt_real_open(char *why, size_t why_size)
{
    snprintf(why, why_size,
             "this is not Windows: the real memory lists exist only on Windows (build mmsim.exe with "
             "'make windows'); only the simulated side can run here");
    return NULL;
}

#endif
