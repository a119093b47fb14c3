/*
 * LAB ws, part 5: trimming by age (ws.h has the contract). Walk the
 * dynamic entries in index order and take out (ws_remove_page with
 * MM_WS_TRIM) each removable entry whose age is at least min_age, until
 * `limit` pages have gone or the set is down to `floor` pages. A hard
 * minimum raises the floor to the set's minimum. Return how many went.
 */
uint32_t ws_trim_aged(struct mm_machine *m, struct mm_process *p, uint32_t min_age, uint32_t floor,
                      uint32_t limit)
{
    (void)m;
    (void)p;
    (void)min_age;
    (void)floor;
    (void)limit;
    return 0;   /* TODO: your code */
}
