/*
 * winapi.c - the Win32 and ntdll calls of the Windows backend (winapi.h).
 *
 * The ntdll functions are undocumented (NtQuerySystemInformation only
 * partly), so they are found with GetProcAddress when mmsim starts rather
 * than linked: the program runs on any Windows and can say what is
 * missing. Their prototypes are declared NTAPI: on 32-bit Windows they are
 * stdcall, and calling them as cdecl would corrupt the stack.
 */
#ifdef _WIN32

#include <windows.h>

#include <stdio.h>

#include "winapi.h"

/* privilege.h's copies of the Win32 values must agree with the SDK's */
_Static_assert(ERROR_NOT_ALL_ASSIGNED == NT_ERROR_NOT_ALL_ASSIGNED, "ERROR_NOT_ALL_ASSIGNED");
_Static_assert(ERROR_SUCCESS == NT_ERROR_SUCCESS, "ERROR_SUCCESS");

typedef LONG(NTAPI *query_fn)(ULONG info_class, PVOID info, ULONG length, PULONG return_length);
typedef LONG(NTAPI *set_fn)(ULONG info_class, PVOID info, ULONG length);
typedef ULONG(NTAPI *status_to_dos_fn)(LONG status);
typedef LONG(NTAPI *get_version_fn)(OSVERSIONINFOEXW *info);
typedef const char *(CDECL *wine_version_fn)(void);

static struct {
    query_fn query;
    set_fn set;
    status_to_dos_fn to_dos;
    get_version_fn get_version;
    wine_version_fn wine_version;
} ntdll;

/* GetProcAddress gives a FARPROC; void (*)(void) is the type compilers
 * accept as the go-between for function pointer conversions. */
typedef void (*any_fn)(void);
static any_fn resolve(HMODULE module, const char *name)
{
    return (any_fn)GetProcAddress(module, name);
}

bool winapi_open(char *why, size_t why_size)
{
    HMODULE module = GetModuleHandleA("ntdll.dll");
    if (!module) {
        snprintf(why, why_size, "ntdll.dll is not loaded");
        return false;
    }
    ntdll.query = (query_fn)resolve(module, "NtQuerySystemInformation");
    ntdll.set = (set_fn)resolve(module, "NtSetSystemInformation");
    ntdll.to_dos = (status_to_dos_fn)resolve(module, "RtlNtStatusToDosError");
    ntdll.get_version = (get_version_fn)resolve(module, "RtlGetVersion");
    ntdll.wine_version = (wine_version_fn)resolve(module, "wine_get_version");
    if (!ntdll.query || !ntdll.set) {
        snprintf(why, why_size, "ntdll.dll does not export NtQuerySystemInformation and NtSetSystemInformation");
        return false;
    }
    return true;
}

bool winapi_wine_version(char *buf, size_t size)
{
    if (!ntdll.wine_version)
        return false;
    snprintf(buf, size, "%s", ntdll.wine_version());
    return true;
}

bool winapi_version(uint32_t *major, uint32_t *minor, uint32_t *build, bool *server)
{
    OSVERSIONINFOEXW v;
    ZeroMemory(&v, sizeof v);
    v.dwOSVersionInfoSize = sizeof v;
    if (!ntdll.get_version || ntdll.get_version(&v) < 0)   /* NT_SUCCESS */
        return false;
    *major = v.dwMajorVersion;
    *minor = v.dwMinorVersion;
    *build = v.dwBuildNumber;
    *server = v.wProductType != VER_NT_WORKSTATION;
    return true;
}

bool winapi_is_wow64(void)
{
    BOOL wow64 = FALSE;
    return IsWow64Process(GetCurrentProcess(), &wow64) && wow64;
}

uint32_t winapi_query(uint32_t info_class, void *buf, uint32_t length, uint32_t *return_length)
{
    ULONG got = 0;
    LONG status = ntdll.query(info_class, buf, length, &got);
    *return_length = got;
    return (uint32_t)status;
}

uint32_t winapi_set(uint32_t info_class, void *buf, uint32_t length)
{
    return (uint32_t)ntdll.set(info_class, buf, length);
}

uint32_t winapi_win32_error(uint32_t status)
{
    return ntdll.to_dos ? (uint32_t)ntdll.to_dos((LONG)status) : 0;
}

void winapi_enable_privilege(const char *name, struct nt_priv_steps *steps)
{
    HANDLE token = NULL;
    TOKEN_PRIVILEGES tp;
    ZeroMemory(&tp, sizeof tp);
    *steps = (struct nt_priv_steps){0};
    steps->open_ok = OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, &token) != 0;
    if (!steps->open_ok) {
        steps->open_error = (uint32_t)GetLastError();
        return;
    }
    steps->lookup_ok = LookupPrivilegeValueA(NULL, name, &tp.Privileges[0].Luid) != 0;
    if (!steps->lookup_ok) {
        steps->lookup_error = (uint32_t)GetLastError();
    } else {
        tp.PrivilegeCount = 1;
        tp.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
        SetLastError(ERROR_SUCCESS);   /* a stale ERROR_NOT_ALL_ASSIGNED must not be read */
        steps->adjust_ok = AdjustTokenPrivileges(token, FALSE, &tp, sizeof tp, NULL, NULL) != 0;
        steps->adjust_error = (uint32_t)GetLastError();   /* ERROR_NOT_ALL_ASSIGNED: not granted */
    }
    CloseHandle(token);
}

uint64_t winapi_total_pages(void)
{
    MEMORYSTATUSEX ms = {.dwLength = sizeof ms};
    return GlobalMemoryStatusEx(&ms) ? ms.ullTotalPhys / 4096u : 0;
}

#endif
