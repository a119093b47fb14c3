/*
 * LAB cow, part 1: the protection a page of a copy-on-write view has once
 * it is the process's own copy. Keep every bit outside the access (the
 * MM_PROTECT_ACCESS bits: no-cache, guard stay as they were) and turn the
 * access into its writable form: MM_WRITECOPY becomes MM_READWRITE,
 * MM_EXECUTE_WRITECOPY becomes MM_EXECUTE_READWRITE.
 */
static uint32_t copied_protection(uint32_t protection)
{
    return protection;   /* TODO: your code */
}
