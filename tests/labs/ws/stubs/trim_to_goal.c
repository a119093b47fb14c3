/*
 * LAB ws, part 7: below the low mark, take `goal` pages from the sets
 * that are above their minimum, oldest first across all of them: for each
 * age from WSLE_MAX_AGE down to 0, each live process in turn gives up its
 * pages of at least that age (ws_trim_aged, never below its minimum) until
 * the goal is met. Report each process's trim as trim_to_maximum does and
 * return the pages taken.
 */
static uint32_t trim_to_goal(struct mm_machine *m, uint32_t goal)
{
    (void)m;
    (void)goal;
    return 0;   /* TODO: your code */
}
