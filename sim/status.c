/* status.c - names of the NT status codes mmsim returns. */
#include <string.h>

#include "status.h"

static const struct {
    mm_status code;
    const char *name;
} statuses[] = {
    {STATUS_SUCCESS, "STATUS_SUCCESS"},
    {STATUS_PAGE_FAULT_GUARD_PAGE, "STATUS_PAGE_FAULT_GUARD_PAGE"},
    {STATUS_GUARD_PAGE_VIOLATION, "STATUS_GUARD_PAGE_VIOLATION"},
    {STATUS_INVALID_INFO_CLASS, "STATUS_INVALID_INFO_CLASS"},
    {STATUS_ACCESS_VIOLATION, "STATUS_ACCESS_VIOLATION"},
    {STATUS_IN_PAGE_ERROR, "STATUS_IN_PAGE_ERROR"},
    {STATUS_INVALID_CID, "STATUS_INVALID_CID"},
    {STATUS_INVALID_PARAMETER, "STATUS_INVALID_PARAMETER"},
    {STATUS_NO_MEMORY, "STATUS_NO_MEMORY"},
    {STATUS_CONFLICTING_ADDRESSES, "STATUS_CONFLICTING_ADDRESSES"},
    {STATUS_UNABLE_TO_FREE_VM, "STATUS_UNABLE_TO_FREE_VM"},
    {STATUS_ALREADY_COMMITTED, "STATUS_ALREADY_COMMITTED"},
    {STATUS_ACCESS_DENIED, "STATUS_ACCESS_DENIED"},
    {STATUS_NOT_COMMITTED, "STATUS_NOT_COMMITTED"},
    {STATUS_INVALID_PAGE_PROTECTION, "STATUS_INVALID_PAGE_PROTECTION"},
    {STATUS_BAD_WORKING_SET_LIMIT, "STATUS_BAD_WORKING_SET_LIMIT"},
    {STATUS_PRIVILEGE_NOT_HELD, "STATUS_PRIVILEGE_NOT_HELD"},
    {STATUS_FREE_VM_NOT_AT_BASE, "STATUS_FREE_VM_NOT_AT_BASE"},
    {STATUS_MEMORY_NOT_ALLOCATED, "STATUS_MEMORY_NOT_ALLOCATED"},
    {STATUS_INSUFFICIENT_RESOURCES, "STATUS_INSUFFICIENT_RESOURCES"},
    {STATUS_STACK_OVERFLOW, "STATUS_STACK_OVERFLOW"},
    {STATUS_COMMITMENT_LIMIT, "STATUS_COMMITMENT_LIMIT"},
};

const char *mm_status_name(mm_status s)
{
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
        if (statuses[i].code == s)
            return statuses[i].name;
    return NULL;
}

const char *mm_status_nth_name(uint32_t i)
{
    return i < sizeof statuses / sizeof statuses[0] ? statuses[i].name : NULL;
}

bool mm_status_from_name(const char *name, mm_status *out)
{
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        const char *full = statuses[i].name;
        if (strcmp(name, full) == 0 || strcmp(name, full + strlen("STATUS_")) == 0) {
            *out = statuses[i].code;
            return true;
        }
    }
    return false;
}
