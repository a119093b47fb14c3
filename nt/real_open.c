/*
 * real_open.c - nt_real_open(): the Windows backend on Windows; elsewhere
 * no real backend, and the reason says what can run instead. The unit
 * tests define MMSIM_WINAPI_STANDIN to get the Windows backend over their
 * stand-in for winapi.h on any host.
 */
#include <stdio.h>

#include "memlist.h"

struct nt_backend *nt_real_open(char *why, size_t why_size)
{
#if defined(_WIN32) || defined(MMSIM_WINAPI_STANDIN)
    return nt_win_open(why, why_size);
#else
    snprintf(why, why_size,
             "the real memory lists need Windows, and this is not Windows ('make windows' builds mmsim.exe)");
    return NULL;
#endif
}
