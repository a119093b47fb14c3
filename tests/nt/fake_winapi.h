/*
 * fake_winapi.h - a stand-in for nt/winapi.h, so that the Windows backend
 * (nt/win_backend.c) runs in the unit tests on any host. The test sets
 * what "Windows" answers in `fake` (the version, Wine or not, WOW64, each
 * step of enabling a privilege, the query's status and ReturnLength, each
 * set call's status) and reads back what the backend sent.
 */
#ifndef MMSIM_TESTS_NT_FAKE_WINAPI_H
#define MMSIM_TESTS_NT_FAKE_WINAPI_H

#include <stdbool.h>
#include <stdint.h>

#include "privilege.h"

#define FAKE_MAX_CALLS 32

struct fake_windows {
    /* what this Windows answers */
    bool exports;                    /* ntdll has the two functions */
    const char *wine;                /* "8.0" under Wine, else NULL */
    uint32_t major, minor, build;
    bool server, version_fails;
    bool wow64;
    struct nt_priv_steps priv;       /* every attempt to enable a privilege */
    uint32_t query_status;
    uint32_t query_filled;           /* ReturnLength; 0: the whole structure */
    uint64_t query_values[22];       /* the fields written, as SIZE_T */
    uint32_t set_status[FAKE_MAX_CALLS];   /* per set call, in order */
    uint64_t pages_combined;
    uint64_t total_pages;
    /* what the backend did */
    int queries;
    bool query_buffer_was_zeroed;
    uint32_t query_length;
    int sets;
    uint32_t set_class[FAKE_MAX_CALLS], set_length[FAKE_MAX_CALLS], set_command[FAKE_MAX_CALLS];
    int privileges;
    const char *privilege[FAKE_MAX_CALLS];
};

extern struct fake_windows fake;

/* A Windows 10 22H2 machine of 16 GiB with busy lists, an elevated prompt
 * (every privilege enables) and every call succeeding. */
void fake_reset(void);

#endif
