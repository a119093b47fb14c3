/*
 * LAB ws, part 4: one aging pass over the whole working set (ws.h has the
 * contract): every dynamic entry that could leave the set (removable)
 * takes one aging step. The working-set manager runs it on every set each
 * time it wakes.
 */
void ws_age(struct mm_machine *m, struct mm_process *p)
{
    (void)m;
    (void)p;
    /* TODO: your code */
}
