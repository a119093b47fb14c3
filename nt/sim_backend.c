/*
 * sim_backend.c - the memory-list interface (memlist.h) on an mmsim
 * machine: the query is mm_memory_list_query, operations 0-5 are
 * mm_memory_list_command. The machine has no system file cache and does
 * not combine pages, so those two operations are not sent (NT_NOT_SENT)
 * and change nothing; the commands refuse them before anything runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memlist.h"

void nt_result_init(struct nt_result *r, const char *call)
{
    memset(r, 0, sizeof *r);
    r->outcome = NT_NOT_SENT;
    r->call = call;
}

static bool sim_query(struct nt_backend *b, struct nt_counts *out, struct nt_result *r)
{
    struct mm_machine *m = b->ctx;
    nt_result_init(r, "NtQuerySystemInformation(SystemMemoryListInformation)");
    mm_memory_list_query(m, &out->lists);
    out->total_pages = mm_frame_count(m);
    out->fields = NT_MEMLIST_FIELDS;
    r->outcome = NT_DONE;
    r->status = STATUS_SUCCESS;
    return true;
}

static bool sim_run(struct nt_backend *b, enum nt_op op, uint64_t *pages_combined, struct nt_result *r)
{
    nt_result_init(r, nt_op_call(op));
    if (pages_combined)
        *pages_combined = 0;
    if (!nt_op_simulated(op)) {   /* SIMPLIFIED: no file cache, no page combining */
        snprintf(r->why, sizeof r->why, "the simulator %s",
                 op == NT_OP_EMPTY_FILE_CACHE ? "has no system file cache" : "does not combine pages");
        return false;
    }
    r->status = mm_memory_list_command(b->ctx, (uint32_t)op);
    r->outcome = nt_success(r->status) ? NT_DONE : NT_FAILED;
    return r->outcome == NT_DONE;
}

static void sim_close(struct nt_backend *b)
{
    free(b);
}

struct nt_backend *nt_sim_open(struct mm_machine *m)
{
    struct nt_backend *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    strcpy(b->description, "simulated");
    b->query = sim_query;
    b->run = sim_run;
    b->close = sim_close;
    b->ctx = m;
    return b;
}

void nt_close(struct nt_backend *b)
{
    if (b)
        b->close(b);
}
