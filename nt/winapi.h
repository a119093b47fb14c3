/*
 * winapi.h - the Win32 and ntdll calls the Windows backend makes, behind
 * plain C types. winapi.c is the only file that includes windows.h (whose
 * MEM_ and PAGE_ macros would collide with the engine's) and is compiled
 * only for Windows; win_backend.c builds the backend on these functions,
 * and the tests build it on a stand-in (tests/nt/fake_winapi.c) that
 * plays each answer Windows can give.
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

/* Under Wine (ntdll exports wine_get_version): true, with "8.0" in buf. */
bool winapi_wine_version(char *buf, size_t size);

/* RtlGetVersion: major, minor, build, and whether wProductType says a
 * server. false when ntdll lacks it or it fails. */
bool winapi_version(uint32_t *major, uint32_t *minor, uint32_t *build, bool *server);

/* IsWow64Process on this process: a 32-bit program on 64-bit Windows. */
bool winapi_is_wow64(void);

/* NtQuerySystemInformation: the NTSTATUS; *return_length gets the bytes
 * the kernel reports it filled (0 if it reports nothing). */
uint32_t winapi_query(uint32_t info_class, void *buf, uint32_t length, uint32_t *return_length);
/* NtSetSystemInformation: the NTSTATUS. */
uint32_t winapi_set(uint32_t info_class, void *buf, uint32_t length);

/* RtlNtStatusToDosError, 0 when ntdll lacks it. */
uint32_t winapi_win32_error(uint32_t status);

/* Try to enable privilege `name` in this process's token, recording what
 * each of the three calls returned and its last error (privilege.h
 * decides what it means). */
void winapi_enable_privilege(const char *name, struct nt_priv_steps *steps);

/* Physical memory in 4 KiB pages (GlobalMemoryStatusEx); 0 if unknown. */
uint64_t winapi_total_pages(void);

#endif
