/*
 * test_query.c - step mode's questions answered as JSON (query.h): the
 * same facts as the machine holds, every frame of every list in order.
 */
#include <stdio.h>
#include <string.h>

#include "query.h"
#include "support.h"

/* A machine with pages on Zeroed, Active (0x12000) and Modified (0x10000
 * and 0x11000), and one process. */
static struct mm_machine *small_machine(uint32_t *pid)
{
    struct mm_machine *m = t_machine(32, 16);
    cr_assert_eq(mm_process_create(m, "a", pid), STATUS_SUCCESS);
    mm_va base = 0x10000;
    uint32_t size = 0x3000;
    cr_assert_eq(mm_allocate(m, *pid, &base, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    for (mm_va va = 0x10000; va < 0x13000; va += PAGE_SIZE)
        cr_assert_eq(mm_write32(m, *pid, va, va), STATUS_SUCCESS);
    mm_trim(m, *pid, 0xFFFFFFFFu);   /* all three data pages to Modified */
    uint32_t v;
    cr_assert_eq(mm_read32(m, *pid, 0x12000, &v), STATUS_SUCCESS);   /* and one back */
    return m;
}

static int number(const cJSON *o, const char *key)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, key);
    cr_assert(cJSON_IsNumber(n), "no number \"%s\"", key);
    return (int)n->valuedouble;
}

Test(query, lists_and_their_frames_in_order)
{
    uint32_t pid;
    struct mm_machine *m = small_machine(&pid);
    cJSON *o = query_lists(m, true);
    cr_assert_not_null(o);
    cr_assert_eq(number(o, "modified"), 2);
    cr_assert_eq((uint32_t)number(o, "active"), mm_active_frames(m));
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, "frames");
    const cJSON *mod = cJSON_GetObjectItemCaseSensitive(f, "modified");
    mm_pfn want[2];
    cr_assert_eq(mm_list_frames(m, ModifiedPageList, 0, want, 2), 2u);
    cr_assert_eq(cJSON_GetArraySize(mod), 2);
    for (int i = 0; i < 2; i++)
        cr_assert_eq((mm_pfn)cJSON_GetArrayItem(mod, i)->valuedouble, want[i], "list order kept");
    cr_assert_eq((uint32_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(f, "zeroed")),
                 mm_list_head(m, ZeroedPageList)->total);
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(f, "standby")), MM_STANDBY_PRIORITIES);
    cJSON_Delete(o);
    o = query_lists(m, false);
    cr_assert_null(cJSON_GetObjectItemCaseSensitive(o, "frames"), "frames only when asked");
    cJSON_Delete(o);
    t_check(m);
    mm_destroy(m);
}

Test(query, a_pfn_entry_and_a_walk)
{
    uint32_t pid;
    struct mm_machine *m = small_machine(&pid);
    struct mm_walk w;
    cr_assert_eq(mm_walk(m, pid, 0x10000, &w), STATUS_SUCCESS);
    cr_assert_eq(w.form, PTE_FORM_TRANSITION, "the trim made it a transition PTE");
    cJSON *o = query_pfn(m, pte_frame(w.pte));
    cr_assert_str_eq(cJSON_GetObjectItemCaseSensitive(o, "list")->valuestring, "Modified");
    cr_assert_not_null(cJSON_GetObjectItemCaseSensitive(o, "flink"), "a listed frame shows its links");
    cr_assert_null(cJSON_GetObjectItemCaseSensitive(o, "share_count"));
    cJSON_Delete(o);
    o = query_walk(m, pid, 0x10000, MM_ACCESS_READ);
    cr_assert_str_eq(cJSON_GetObjectItemCaseSensitive(o, "outcome")->valuestring, "fault");
    cr_assert_str_eq(cJSON_GetObjectItemCaseSensitive(o, "fault")->valuestring, "transition");
    char pte[16];
    snprintf(pte, sizeof pte, "0x%08X", w.pte);
    cr_assert_str_eq(cJSON_GetObjectItemCaseSensitive(o, "pte")->valuestring, pte);
    cJSON_Delete(o);
    o = query_walk(m, pid, 0x12000, MM_ACCESS_WRITE);
    cr_assert_str_eq(cJSON_GetObjectItemCaseSensitive(o, "outcome")->valuestring, "translated");
    cJSON_Delete(o);
    o = query_pfn(m, 32);
    cr_assert_not_null(cJSON_GetObjectItemCaseSensitive(o, "error"), "a frame past the machine");
    cJSON_Delete(o);
    o = query_ws(m, 99);
    cr_assert_str_eq(cJSON_GetObjectItemCaseSensitive(o, "error")->valuestring, "no such process");
    cJSON_Delete(o);
    mm_destroy(m);
}
