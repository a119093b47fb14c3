/*
 * query.c - step mode's questions about the machine as JSON objects (see
 * query.h). Every fact comes from the read-only inspection API.
 */
#include <stdio.h>
#include <stdlib.h>

#include "narrate.h"
#include "pagetable.h"
#include "query.h"

/* "0x0000CAFE": addresses and entry values as the narration writes them */
static void add_hex(cJSON *o, const char *key, uint32_t v)
{
    char text[16];
    snprintf(text, sizeof text, "0x%08X", v);
    cJSON_AddStringToObject(o, key, text);
}

/* An entry's value and what it means ("valid, frame 0x4, writable, ..."). */
static void add_entry(cJSON *o, const char *key, mm_pte v, mm_va va)
{
    char means[96], key2[48];
    add_hex(o, key, v);
    narrate_entry_value(means, sizeof means, v, va);
    snprintf(key2, sizeof key2, "%s_means", key);
    cJSON_AddStringToObject(o, key2, means);
}

static cJSON *typed(const char *type)
{
    cJSON *o = cJSON_CreateObject();
    if (o)
        cJSON_AddStringToObject(o, "type", type);
    return o;
}

static cJSON *no_process(cJSON *o, uint32_t pid)
{
    cJSON_AddNumberToObject(o, "pid", pid);
    cJSON_AddStringToObject(o, "error", "no such process");
    return o;
}

/* ---- lists ---- */

static cJSON *frame_array(const struct mm_machine *m, enum mm_list list, unsigned prio)
{
    cJSON *a = cJSON_CreateArray();
    uint32_t total = mm_list_frames(m, list, prio, NULL, 0);
    mm_pfn *f = total ? malloc(total * sizeof *f) : NULL;
    if (f)
        mm_list_frames(m, list, prio, f, total);
    for (uint32_t i = 0; f && i < total; i++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber(f[i]));
    free(f);
    return a;
}

/* The frames in a state on no list (Active, or in I/O), in frame order. */
static cJSON *state_array(const struct mm_machine *m, enum mm_list state)
{
    cJSON *a = cJSON_CreateArray();
    for (mm_pfn f = 0; f < mm_frame_count(m); f++)
        if (pfn_location(mm_pfn_entry(m, f)) == state)
            cJSON_AddItemToArray(a, cJSON_CreateNumber(f));
    return a;
}

cJSON *query_lists(const struct mm_machine *m, bool frames)
{
    cJSON *o = typed("lists");
    if (!o)
        return NULL;
    struct mm_memory_list_info info;
    mm_memory_list_query(m, &info);
    cJSON_AddNumberToObject(o, "zeroed", (double)info.zero_page_count);
    cJSON_AddNumberToObject(o, "free", (double)info.free_page_count);
    cJSON_AddNumberToObject(o, "standby", mm_list_head(m, StandbyPageList)->total);
    cJSON *prio = cJSON_AddArrayToObject(o, "standby_by_priority");
    for (unsigned p = 0; p < MM_STANDBY_PRIORITIES; p++)
        cJSON_AddItemToArray(prio, cJSON_CreateNumber((double)info.page_count_by_priority[p]));
    cJSON *rep = cJSON_AddArrayToObject(o, "repurposed_by_priority");
    for (unsigned p = 0; p < MM_STANDBY_PRIORITIES; p++)
        cJSON_AddItemToArray(rep, cJSON_CreateNumber((double)info.repurposed_pages_by_priority[p]));
    cJSON_AddNumberToObject(o, "modified", (double)info.modified_page_count);
    cJSON_AddNumberToObject(o, "modified_no_write", (double)info.modified_no_write_page_count);
    cJSON_AddNumberToObject(o, "bad", (double)info.bad_page_count);
    cJSON_AddNumberToObject(o, "active", mm_active_frames(m));
    cJSON_AddNumberToObject(o, "available", mm_available_pages(m));
    if (frames) {
        cJSON *f = cJSON_AddObjectToObject(o, "frames");
        cJSON_AddItemToObject(f, "zeroed", frame_array(m, ZeroedPageList, 0));
        cJSON_AddItemToObject(f, "free", frame_array(m, FreePageList, 0));
        cJSON *sb = cJSON_AddArrayToObject(f, "standby");
        for (unsigned p = 0; p < MM_STANDBY_PRIORITIES; p++)
            cJSON_AddItemToArray(sb, frame_array(m, StandbyPageList, p));
        cJSON_AddItemToObject(f, "modified", frame_array(m, ModifiedPageList, 0));
        cJSON_AddItemToObject(f, "modified_no_write", frame_array(m, ModifiedNoWritePageList, 0));
        cJSON_AddItemToObject(f, "bad", frame_array(m, BadPageList, 0));
        cJSON_AddItemToObject(f, "active", state_array(m, ActiveAndValid));
        cJSON_AddItemToObject(f, "transition", state_array(m, TransitionPage));
    }
    return o;
}

/* ---- a PFN entry ---- */

cJSON *query_pfn(const struct mm_machine *m, mm_pfn frame)
{
    cJSON *o = typed("pfn");
    if (!o)
        return NULL;
    cJSON_AddNumberToObject(o, "frame", frame);
    const struct mmpfn *p = mm_pfn_entry(m, frame);
    if (!p) {
        char why[80];
        snprintf(why, sizeof why, "no such frame (the machine has %u)", mm_frame_count(m));
        cJSON_AddStringToObject(o, "error", why);
        return o;
    }
    enum mm_list loc = pfn_location(p);
    cJSON_AddStringToObject(o, "list", pfn_list_name(loc));
    cJSON_AddNumberToObject(o, "priority", pfn_priority(p));
    if (loc <= BadPageList) {   /* on a list the fields hold its links */
        cJSON_AddNumberToObject(o, "flink", p->u1.flink);
        cJSON_AddNumberToObject(o, "blink", p->u2.blink);
    } else {
        cJSON_AddNumberToObject(o, "ws_index", p->u1.ws_index);
        cJSON_AddNumberToObject(o, "share_count", p->u2.share_count);
    }
    cJSON_AddNumberToObject(o, "reference_count", p->u3.reference_count);
    add_hex(o, "pte_address", p->pte_address);
    cJSON_AddNumberToObject(o, "pte_frame", pfn_pte_frame(p));
    cJSON *flags = cJSON_AddArrayToObject(o, "flags");
    static const struct { uint32_t bit; const char *name; } names[] = {
        {PFN_MODIFIED, "Modified"}, {PFN_READ_IN_PROGRESS, "ReadInProgress"},
        {PFN_WRITE_IN_PROGRESS, "WriteInProgress"}, {PFN_PARITY_ERROR, "ParityError"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (pfn_flag(p, names[i].bit))
            cJSON_AddItemToArray(flags, cJSON_CreateString(names[i].name));
    add_entry(o, "original_pte", p->original_pte, pte_mapped_va(p->pte_address));
    return o;
}

/* ---- a translation walk ---- */

static void walk_outcome(cJSON *o, const struct mm_walk *w)
{
    if (w->valid && w->refused) {
        cJSON_AddStringToObject(o, "outcome", "refused");
        cJSON_AddStringToObject(o, "av_reason", mm_av_reason_name(w->av));
    } else if (w->valid) {
        cJSON_AddStringToObject(o, "outcome", "translated");
        cJSON_AddNumberToObject(o, "frame", w->frame);
        add_hex(o, "physical", w->pa);
    } else if (w->fault == MM_FAULT_ACCESS_VIOLATION) {
        cJSON_AddStringToObject(o, "outcome", "access-violation");
        cJSON_AddStringToObject(o, "av_reason", mm_av_reason_name(w->av));
    } else {
        cJSON_AddStringToObject(o, "outcome", "fault");
        cJSON_AddStringToObject(o, "fault", mm_fault_kind_name(w->fault));
    }
}

cJSON *query_walk(const struct mm_machine *m, uint32_t pid, mm_va va, enum mm_access_kind access)
{
    cJSON *o = typed("walk");
    struct mm_walk w;
    if (!o)
        return NULL;
    add_hex(o, "va", va);
    cJSON_AddStringToObject(o, "access", mm_access_name(access));
    if (mm_walk_access(m, pid, va, access, &w) != STATUS_SUCCESS)
        return no_process(o, pid);
    cJSON_AddStringToObject(o, "process", mm_process_name(m, pid) ? mm_process_name(m, pid) : "?");
    cJSON_AddNumberToObject(o, "directory_index", w.pdi);
    cJSON_AddNumberToObject(o, "table_index", w.pti);
    cJSON_AddNumberToObject(o, "offset", w.offset);
    cJSON_AddNumberToObject(o, "directory_frame", w.directory);
    add_hex(o, "pde_address", w.pde_va);
    add_hex(o, "pde_physical", w.pde_pa);
    add_entry(o, "pde", w.pde, w.va);
    if (w.va <= MM_HIGHEST_USER_ADDRESS && (w.pde_valid || w.pde != 0)) {
        add_hex(o, "pte_address", w.pte_va);
        if (w.pde_valid)
            add_hex(o, "pte_physical", w.pte_pa);
        add_entry(o, "pte", w.pte, w.va);
    }
    cJSON_AddStringToObject(o, "table_fault", mm_fault_kind_name(w.table_fault));
    walk_outcome(o, &w);
    return o;
}

/* ---- a working set ---- */

cJSON *query_ws(const struct mm_machine *m, uint32_t pid)
{
    cJSON *o = typed("working_set");
    const struct mm_wsl *ws = mm_working_set(m, pid);
    if (!o)
        return NULL;
    if (!ws)
        return no_process(o, pid);
    struct mm_ws_breakdown b;
    mm_ws_breakdown(m, pid, &b);
    cJSON_AddStringToObject(o, "process", mm_process_name(m, pid) ? mm_process_name(m, pid) : "?");
    cJSON_AddNumberToObject(o, "size", ws->size);
    cJSON_AddNumberToObject(o, "locked", b.locked);
    cJSON_AddNumberToObject(o, "page_tables", b.page_tables);
    cJSON_AddNumberToObject(o, "data", b.data);
    cJSON_AddNumberToObject(o, "minimum", ws->minimum);
    cJSON_AddNumberToObject(o, "maximum", ws->maximum);
    cJSON_AddBoolToObject(o, "hard_minimum", ws->hard_minimum);
    cJSON_AddBoolToObject(o, "hard_maximum", ws->hard_maximum);
    cJSON_AddNumberToObject(o, "peak", ws->peak);
    cJSON_AddNumberToObject(o, "first_dynamic", ws->first_dynamic);
    cJSON_AddNumberToObject(o, "last_entry", ws->last_entry);
    cJSON_AddNumberToObject(o, "next_slot", ws->next_slot);
    cJSON *e = cJSON_AddArrayToObject(o, "entries");
    for (uint32_t i = 0; i <= ws->last_entry && i < ws->capacity; i++) {
        mm_wsle x = ws->wsle[i];
        if (!wsle_valid(x))
            continue;
        cJSON *j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "index", i);
        add_hex(j, "va", wsle_va(x));
        cJSON_AddNumberToObject(j, "age", wsle_age(x));
        cJSON_AddBoolToObject(j, "locked", wsle_locked(x));
        const char *role = narrate_ws_role(wsle_va(x));
        cJSON_AddStringToObject(j, "page", role ? role : "data");
        cJSON_AddItemToArray(e, j);
    }
    return o;
}

/* ---- the VADs ---- */

cJSON *query_vads(const struct mm_machine *m, uint32_t pid)
{
    cJSON *o = typed("vads");
    if (!o)
        return NULL;
    if (!mm_process_exists(m, pid))
        return no_process(o, pid);
    struct mm_commit_info ci;
    mm_commit(m, pid, &ci);
    cJSON_AddStringToObject(o, "process", mm_process_name(m, pid) ? mm_process_name(m, pid) : "?");
    cJSON_AddNumberToObject(o, "commit_charge", ci.process_charge);
    cJSON *a = cJSON_AddArrayToObject(o, "vads");
    for (const struct mm_vad *v = mm_vad_next(m, pid, NULL); v; v = mm_vad_next(m, pid, v)) {
        mm_va start, end;
        uint32_t prot, charge;
        bool mem_commit;
        char p[64];
        mm_vad_range(v, &start, &end, &prot, &mem_commit, &charge);
        cJSON *j = cJSON_CreateObject();
        add_hex(j, "start", start);
        add_hex(j, "end", end);
        cJSON_AddStringToObject(j, "protection", prot_name(prot, p, sizeof p));
        cJSON_AddBoolToObject(j, "committed_at_reservation", mem_commit);
        cJSON_AddNumberToObject(j, "committed_pages", charge);
        cJSON_AddItemToArray(a, j);
    }
    return o;
}

/* ---- the TLB ---- */

cJSON *query_tlb(const struct mm_machine *m)
{
    cJSON *o = typed("tlb");
    if (!o)
        return NULL;
    struct mm_counters c;
    mm_counters(m, 0, &c);
    cJSON_AddNumberToObject(o, "entries", mm_tlb_size(m));
    cJSON_AddNumberToObject(o, "hits", (double)c.tlb_hits);
    cJSON_AddNumberToObject(o, "misses", (double)c.tlb_misses);
    cJSON_AddNumberToObject(o, "flushes", (double)c.tlb_flushes);
    cJSON *a = cJSON_AddArrayToObject(o, "used");
    for (uint32_t i = 0; i < mm_tlb_size(m); i++) {
        mm_va va;
        mm_pfn f;
        mm_pte pte;
        if (!mm_tlb_entry(m, i, &va, &f, &pte))
            continue;
        cJSON *j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "entry", i);
        add_hex(j, "va", va);
        cJSON_AddNumberToObject(j, "frame", f);
        cJSON_AddBoolToObject(j, "writable", (pte & PTE_WRITE) != 0);
        cJSON_AddBoolToObject(j, "dirty", (pte & PTE_DIRTY) != 0);
        cJSON_AddItemToArray(a, j);
    }
    return o;
}
