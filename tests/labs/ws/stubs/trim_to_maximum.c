/*
 * LAB ws, part 6: when memory is no longer plentiful, every live process
 * whose set grew past its (soft) maximum is trimmed back to it, the oldest
 * pages first: ages WSLE_MAX_AGE, then WSLE_MAX_AGE - 1, ... down to 0,
 * with ws_trim_aged and the maximum as the floor. Tell the sink what was
 * trimmed from each process (ev_thread with MM_THREAD_WS_MANAGER,
 * MM_THREAD_TRIM, the pid and the count) and return the total.
 */
static uint32_t trim_to_maximum(struct mm_machine *m)
{
    (void)m;
    return 0;   /* TODO: your code */
}
