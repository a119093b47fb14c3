/*
 * sim_backend.c - the memory-list interface (memlist.h) on an mmsim
 * machine: the query is mm_memory_list_query, operations 0-5 are
 * mm_memory_list_command. The machine has no system file cache and does
 * not combine pages, so those two operations fail with
 * STATUS_NOT_IMPLEMENTED and change nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "memlist.h"

static mm_status sim_query(struct nt_backend *b, struct nt_counts *out)
{
    struct mm_machine *m = b->ctx;
    mm_memory_list_query(m, &out->lists);
    out->total_pages = mm_frame_count(m);
    return STATUS_SUCCESS;
}

static mm_status sim_run(struct nt_backend *b, enum nt_op op, uint64_t *pages_combined)
{
    if (pages_combined)
        *pages_combined = 0;
    if (op == NT_OP_EMPTY_FILE_CACHE || op == NT_OP_COMBINE_PAGES)
        return NT_STATUS_NOT_IMPLEMENTED;   /* SIMPLIFIED: no file cache, no page combining */
    return mm_memory_list_command(b->ctx, (uint32_t)op);
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
