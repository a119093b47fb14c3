/*
 * LAB ws, part 3: NT's aging used as the replacement policy. The hand
 * sweeps from NextSlot like the clock's, but on each candidate it makes one
 * aging step (age_entry); the first candidate whose age reaches
 * WSLE_MAX_AGE is the victim (the hand stays just after it). Each entry
 * gets there within WSLE_MAX_AGE + 1 sweeps, so stop after
 * span * (WSLE_MAX_AGE + 2) entries with WSLE_NULL_INDEX.
 */
static uint32_t victim_aging(struct mm_machine *m, struct mm_process *p, bool data_only)
{
    (void)age_entry;   /* your part 1 */
    (void)m;
    (void)p;
    (void)data_only;
    return WSLE_NULL_INDEX;   /* TODO: your code */
}
