/*
 * winapi.h - the Win32 and ntdll calls the Windows backend makes, behind
 * plain C types. winapi.c is the only file that includes windows.h (whose
 * MEM_ and PAGE_ macros would collide with the engine's); win_backend.c
 * builds the backend on these functions. Both are compiled only for Windows.
 */
#ifndef MMSIM_NT_WINAPI_H
#define MMSIM_NT_WINAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "privilege.h"

/* Resolve NtQuerySystemInformation, NtSetSystemInformation,
 * RtlNtStatusToDosError, RtlGetVersion and wine_get_version from ntdll at
 * run time. false (with the reason in why) when the first two are missing. */
bool winapi_open(char *why, size_t why_size);

/* "Wine 8.0" or "Windows 10.0.19045" into buf; true under Wine. */
bool winapi_describe(char *buf, size_t size);

/* NtQuerySystemInformation / NtSetSystemInformation: the NTSTATUS. */
uint32_t winapi_query(uint32_t info_class, void *buf, uint32_t length);
uint32_t winapi_set(uint32_t info_class, void *buf, uint32_t length);

/* RtlNtStatusToDosError, 0 when ntdll lacks it. */
uint32_t winapi_win32_error(uint32_t status);

/* Try to enable privilege `name` in this process's token, recording what
 * each of the three calls returned (privilege.h decides what it means). */
void winapi_enable_privilege(const char *name, struct nt_priv_steps *steps);

/* Physical memory in 4 KiB pages (GlobalMemoryStatusEx); 0 if unknown. */
uint64_t winapi_total_pages(void);

#endif
