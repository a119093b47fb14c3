/*
 * privilege.h - enabling a privilege in the process token, as a decision
 * over the results of the three Win32 calls it takes. Kept apart from
 * marshal.h so that winapi.c (which includes windows.h) can use it without
 * the engine's headers, whose MEM_ and PAGE_ names windows.h also defines.
 * The decision is implemented in marshal.c with the other pure functions.
 */
#ifndef MMSIM_NT_PRIVILEGE_H
#define MMSIM_NT_PRIVILEGE_H

#include <stdbool.h>
#include <stdint.h>

/* Privilege LUIDs (low part) and names. */
#define NT_SE_INCREASE_QUOTA_LUID      5u
#define NT_SE_PROF_SINGLE_PROCESS_LUID 13u
#define NT_SE_INCREASE_QUOTA_NAME      "SeIncreaseQuotaPrivilege"
#define NT_SE_PROF_SINGLE_PROCESS_NAME "SeProfileSingleProcessPrivilege"

/* Win32 error codes the privilege logic looks at. */
#define NT_ERROR_SUCCESS            0u
#define NT_ERROR_NOT_ALL_ASSIGNED   1300u

/* The privilege dance.
 *
 * Enabling a privilege takes OpenProcessToken, LookupPrivilegeValue and
 * AdjustTokenPrivileges. AdjustTokenPrivileges returns TRUE even when it
 * could not enable the privilege (the token does not hold it: a prompt
 * that is not elevated): only GetLastError() == ERROR_NOT_ALL_ASSIGNED
 * tells. Each call's result and last error are kept, so a failure is
 * reported as the call that failed and its Win32 error. */
enum nt_priv_outcome {
    NT_PRIV_ENABLED,       /* enabled: the call may go ahead */
    NT_PRIV_NOT_HELD,      /* the token lacks it: not elevated */
    NT_PRIV_UNKNOWN_NAME,  /* LookupPrivilegeValue does not know it */
    NT_PRIV_NO_TOKEN,      /* OpenProcessToken failed */
    NT_PRIV_FAILED         /* AdjustTokenPrivileges failed outright */
};
struct nt_priv_steps {
    bool open_ok;            /* OpenProcessToken returned TRUE */
    uint32_t open_error;     /* GetLastError() after it failed */
    bool lookup_ok;          /* LookupPrivilegeValue returned TRUE */
    uint32_t lookup_error;   /* GetLastError() after it failed */
    bool adjust_ok;          /* AdjustTokenPrivileges returned TRUE */
    uint32_t adjust_error;   /* GetLastError() right after AdjustTokenPrivileges */
};
enum nt_priv_outcome nt_priv_decide(const struct nt_priv_steps *s);

#endif
