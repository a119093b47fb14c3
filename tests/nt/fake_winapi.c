/*
 * fake_winapi.c - the stand-in for nt/winapi.h (see fake_winapi.h).
 */
#include <stdio.h>
#include <string.h>

#include "fake_winapi.h"
#include "winapi.h"

struct fake_windows fake;

void fake_reset(void)
{
    memset(&fake, 0, sizeof fake);
    fake.exports = true;
    fake.major = 10, fake.minor = 0, fake.build = 19045;
    fake.priv = (struct nt_priv_steps){.open_ok = true, .lookup_ok = true, .adjust_ok = true};
    fake.total_pages = 4194304;   /* 16 GiB */
    fake.query_values[0] = 300000;   /* ZeroPageCount */
    fake.query_values[1] = 20000;    /* FreePageCount */
    fake.query_values[2] = 60000;    /* ModifiedPageCount */
    fake.query_values[5 + 2] = 400000;
    fake.query_values[5 + 5] = 1200000;
    fake.query_values[21] = 55000;   /* ModifiedPageCountPageFile */
}

bool winapi_open(char *why, size_t why_size)
{
    if (!fake.exports)
        snprintf(why, why_size, "ntdll.dll does not export NtQuerySystemInformation and NtSetSystemInformation");
    return fake.exports;
}

bool winapi_wine_version(char *buf, size_t size)
{
    if (fake.wine)
        snprintf(buf, size, "%s", fake.wine);
    return fake.wine != NULL;
}

bool winapi_version(uint32_t *major, uint32_t *minor, uint32_t *build, bool *server)
{
    *major = fake.major, *minor = fake.minor, *build = fake.build, *server = fake.server;
    return !fake.version_fails;
}

bool winapi_is_wow64(void)
{
    return fake.wow64;
}

uint32_t winapi_query(uint32_t info_class, void *buf, uint32_t length, uint32_t *return_length)
{
    fake.queries++;
    fake.query_length = length;
    unsigned char *p = buf;
    fake.query_buffer_was_zeroed = true;
    for (uint32_t i = 0; i < length; i++)
        fake.query_buffer_was_zeroed &= p[i] == 0;
    *return_length = 0;
    if (info_class != 80 || fake.query_status >= 0x80000000u)
        return info_class != 80 ? 0xC0000003u : fake.query_status;
    uint32_t filled = fake.query_filled ? fake.query_filled : length;
    size_t fields = filled / sizeof(size_t);
    for (size_t i = 0; i < fields && i < 22 && (i + 1) * sizeof(size_t) <= length; i++) {
        size_t v = (size_t)fake.query_values[i];
        memcpy(p + i * sizeof(size_t), &v, sizeof v);
    }
    *return_length = filled;
    return fake.query_status;
}

uint32_t winapi_set(uint32_t info_class, void *buf, uint32_t length)
{
    int i = fake.sets++;
    if (i >= FAKE_MAX_CALLS)
        return 0xC000009Au;
    fake.set_class[i] = info_class;
    fake.set_length[i] = length;
    if (info_class == 80 && length == 4)
        memcpy(&fake.set_command[i], buf, 4);
    if (info_class == 130 && length >= 16 && fake.set_status[i] < 0x80000000u) {
        size_t v = (size_t)fake.pages_combined;
        memcpy((unsigned char *)buf + sizeof(void *), &v, sizeof v);
    }
    return fake.set_status[i];
}

uint32_t winapi_win32_error(uint32_t status)
{
    switch (status) {   /* what RtlNtStatusToDosError gives */
    case 0xC0000061u: return 1314;
    case 0xC0000022u: return 5;
    case 0xC0000003u: case 0xC000000Du: return 87;
    case 0xC0000004u: return 24;
    default: return 317;   /* ERROR_MR_MID_NOT_FOUND: no mapping */
    }
}

void winapi_enable_privilege(const char *name, struct nt_priv_steps *steps)
{
    if (fake.privileges < FAKE_MAX_CALLS)
        fake.privilege[fake.privileges] = name;
    fake.privileges++;
    *steps = fake.priv;
}

uint64_t winapi_total_pages(void)
{
    return fake.total_pages;
}
