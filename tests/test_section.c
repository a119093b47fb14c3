/*
 * test_section.c - sections: prototype PTEs, shared pages, mapped files,
 * copy-on-write, image sections, the mapped page writer, and the errors of
 * NtCreateSection, NtMapViewOfSection and NtUnmapViewOfSection.
 */
#include "support.h"

static uint32_t file_with_pattern(struct mm_machine *m, const char *name, uint32_t pages)
{
    uint32_t file;
    cr_assert_eq(mm_file_create(m, name, pages, &file), STATUS_SUCCESS);
    for (uint32_t off = 0; off < pages * PAGE_SIZE; off += PAGE_SIZE)
        cr_assert_eq(mm_file_write32(m, file, off, 0xF11E0000u | off >> 12), STATUS_SUCCESS);
    return file;
}

static uint32_t section(struct mm_machine *m, uint32_t file, uint32_t pages, uint32_t protect)
{
    struct mm_section_params sp = {.name = "s", .pages = pages, .file = file, .protection = protect};
    uint32_t s;
    cr_assert_eq(mm_create_section(m, &sp, &s), STATUS_SUCCESS);
    return s;
}

static mm_va map(struct mm_machine *m, uint32_t pid, uint32_t s, uint32_t protect)
{
    mm_va base = 0;
    uint32_t pages = 0;
    cr_assert_eq(mm_map_view(m, pid, s, &base, 0, &pages, protect), STATUS_SUCCESS);
    return base;
}

static mm_va proto_of(const struct mm_machine *m, mm_pfn f) { return mm_pfn_entry(m, f)->pte_address; }

Test(section, prototype_pointer_and_subsection_encodings_round_trip)
{
    for (mm_va va = MM_PROTO_BASE; va < MM_PROTO_LIMIT; va += 0x1234 * 4u) {
        mm_pte p = pte_make_proto_pointer(va);
        cr_assert(pte_is_prototype(p), "0x%08X", p);
        cr_assert_eq(pte_classify(p), PTE_FORM_PROTOTYPE);
        cr_assert_eq(pte_proto_address(p), va, "0x%08X -> 0x%08X -> 0x%08X", va, p, pte_proto_address(p));
    }
    /* the field layout of NT's MMPTE_PROTOTYPE: offset bits 2-8 in bits 1-7, 9-29 in 11-31 */
    cr_assert_eq(pte_make_proto_pointer(MM_PROTO_BASE + 4), 0x00000402u);
    cr_assert_eq(pte_make_proto_pointer(MM_PROTO_BASE + 0x200), 0x00000C00u);
    mm_pte s = pte_make_subsection(MM_SUBSECTION_BASE + 0x88, MM_READWRITE);
    cr_assert_eq(s & 0x3E0u, (mm_pte)MM_READWRITE << 5);
    cr_assert(s & PTE_PROTOTYPE);
    cr_assert_eq(pte_subsection_address(s), MM_SUBSECTION_BASE + 0x88);
}

Test(section, two_processes_share_one_frame_through_the_prototype_pte)
{
    struct mm_machine *m = t_machine(128, 256);
    uint32_t a = t_process(m, "a"), b = t_process(m, "b");
    struct mm_commit_info ci;
    mm_commit(m, a, &ci);
    uint32_t before = ci.total;
    uint32_t s = section(m, MM_NO_FILE, 16, PAGE_READWRITE);
    mm_commit(m, a, &ci);
    cr_assert_eq(ci.total, before + 16, "a paging-file section charges all its pages at creation");
    mm_va va_a = map(m, a, s, PAGE_READWRITE), va_b = map(m, b, s, PAGE_READWRITE);
    cr_assert_eq(t_pte(m, a, va_a), 0u, "mapping writes no PTE");
    cr_assert_eq(mm_write32(m, a, va_a + 8, 0xABCD), STATUS_SUCCESS);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_DEMAND_ZERO);
    uint32_t v;
    cr_assert_eq(mm_read32(m, b, va_b + 8, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0xABCDu);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_SHARED, "b finds the page valid in its prototype PTE");
    mm_pfn f = t_valid_frame(m, a, va_a);
    cr_assert_eq(t_valid_frame(m, b, va_b), f);
    const struct mmpfn *pf = mm_pfn_entry(m, f);
    cr_assert(pfn_flag(pf, PFN_PROTOTYPE_PTE));
    cr_assert_eq(pf->u2.share_count, 2u);
    cr_assert(pte_is_proto_va(pf->pte_address));
    t_check(m);
    /* trim a: its PTE points back at the prototype PTE, the page stays */
    mm_trim(m, a, 1000);
    cr_assert_eq(t_pte(m, a, va_a), pte_make_proto_pointer(proto_of(m, f)));
    cr_assert_eq(pf->u2.share_count, 1u);
    cr_assert_eq(t_location(m, f), ActiveAndValid);
    t_check(m);
    /* trim b: the last share goes, the page (dirty) goes to Modified */
    mm_trim(m, b, 1000);
    cr_assert_eq(t_location(m, f), ModifiedPageList);
    t_check(m);
    /* a transition fault through the prototype pointer */
    cr_assert_eq(mm_read32(m, a, va_a + 8, &v), STATUS_SUCCESS);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_TRANSITION);
    cr_assert_eq(v, 0xABCDu);
    t_check(m);
    /* written, repurposed, read back from the paging file */
    mm_trim(m, a, 1000);
    t_flush(m);
    cr_assert_eq(t_location(m, f), StandbyPageList, "written to the paging file");
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    t_check(m);
    cr_assert_eq(mm_read32(m, b, va_b + 8, &v), STATUS_SUCCESS);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_PAGE_FILE);
    cr_assert_eq(v, 0xABCDu);
    t_check(m);
    mm_destroy(m);
}

Test(section, a_mapped_file_is_read_from_and_written_back_to_the_file)
{
    struct mm_machine *m = t_machine(128, 256);
    uint32_t a = t_process(m, "a");
    uint32_t file = file_with_pattern(m, "data.bin", 4);
    uint32_t s = section(m, file, 0, PAGE_READWRITE);
    mm_va va = map(m, a, s, PAGE_READWRITE);
    uint32_t v;
    cr_assert_eq(mm_read32(m, a, va + 2 * PAGE_SIZE, &v), STATUS_SUCCESS);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_MAPPED_FILE);
    cr_assert_eq(v, 0xF11E0002u);
    cr_assert_eq(mm_write32(m, a, va + 2 * PAGE_SIZE + 4, 0x5EED), STATUS_SUCCESS);
    cr_assert_eq(mm_file_read32(m, file, 2 * PAGE_SIZE + 4, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0u, "nothing reaches the file before a write-back");
    uint32_t written;
    cr_assert_eq(mm_flush_view(m, a, va, 4 * PAGE_SIZE, &written), STATUS_SUCCESS);
    cr_assert_eq(written, 1u);
    cr_assert_eq(mm_file_read32(m, file, 2 * PAGE_SIZE + 4, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x5EEDu);
    t_check(m);
    /* dirty again, then trimmed: the mapped page writer writes it to the file, not the paging file */
    cr_assert_eq(mm_write32(m, a, va + 2 * PAGE_SIZE + 4, 0x5EEE), STATUS_SUCCESS);
    mm_trim(m, a, 1000);
    struct mm_counters c;
    mm_counters(m, 0, &c);
    cr_assert_eq(mm_run_modified_writer(m), 1u);
    mm_counters(m, 0, &c);
    cr_assert_eq(c.pagefile_used, 0u, "no paging-file slot for a page of a mapped file");
    cr_assert_eq(mm_file_read32(m, file, 2 * PAGE_SIZE + 4, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0x5EEEu);
    t_check(m);
    mm_destroy(m);
}

Test(section, copy_on_write_gives_the_writer_a_private_copy)
{
    struct mm_machine *m = t_machine(128, 256);
    uint32_t a = t_process(m, "a"), b = t_process(m, "b");
    uint32_t file = file_with_pattern(m, "lib.dat", 2);
    uint32_t s = section(m, file, 0, PAGE_READONLY);
    struct mm_commit_info ci;
    mm_commit(m, a, &ci);
    uint32_t charged = ci.process_charge;
    mm_va va_a = map(m, a, s, PAGE_WRITECOPY), va_b = map(m, b, s, PAGE_READONLY);
    mm_commit(m, a, &ci);
    cr_assert_eq(ci.process_charge, charged + 2, "a copy-on-write view charges its pages when mapped");
    uint32_t v;
    cr_assert_eq(mm_read32(m, b, va_b, &v), STATUS_SUCCESS);
    cr_assert_eq(mm_read32(m, a, va_a, &v), STATUS_SUCCESS);
    mm_pfn shared = t_valid_frame(m, a, va_a);
    cr_assert(t_pte(m, a, va_a) & PTE_COPY_ON_WRITE);
    static struct t_events rec;
    t_record(m, &rec);
    cr_assert_eq(mm_write32(m, a, va_a, 0xC0C0), STATUS_SUCCESS);
    mm_set_sink(m, NULL, NULL);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_COPY_ON_WRITE);
    mm_pfn copy = t_valid_frame(m, a, va_a);
    /* the copy needs no I/O: its frame goes straight to Active, never Transition */
    uint32_t moves = 0;
    for (const struct mm_event *ev; (ev = t_find(&rec, MM_EV_PAGE_MOVE, moves)); moves++)
        if (ev->u.move.frame == copy) {
            cr_assert_eq(ev->u.move.to, ActiveAndValid);
            cr_assert_eq(ev->u.move.why, MOVE_COPY_ON_WRITE);
        }
    cr_assert_gt(moves, 0u);
    cr_assert_neq(copy, shared);
    cr_assert(!pfn_flag(mm_pfn_entry(m, copy), PFN_PROTOTYPE_PTE));
    cr_assert(t_pte(m, a, va_a) & PTE_WRITE);
    cr_assert_eq(mm_pfn_entry(m, shared)->u2.share_count, 1u);
    cr_assert_eq(mm_read32(m, b, va_b, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0xF11E0000u, "the other process keeps the original");
    cr_assert_eq(mm_file_read32(m, file, 0, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0xF11E0000u, "a private copy never reaches the file");
    /* b may not write its read-only view */
    cr_assert_eq(mm_write32(m, b, va_b, 1), STATUS_ACCESS_VIOLATION);
    /* a first touch that is a write takes two faults, as in NT: the page is
     * read from the file and mapped read-only (MiResolveMappedFileFault),
     * then the retried write copies it (MiCopyOnWrite); each is counted */
    struct mm_counters before, after, sys_before, sys_after;
    cr_assert_eq(mm_counters(m, a, &before), STATUS_SUCCESS);
    cr_assert_eq(mm_counters(m, 0, &sys_before), STATUS_SUCCESS);
    cr_assert_eq(mm_write32(m, a, va_a + PAGE_SIZE, 7), STATUS_SUCCESS);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_COPY_ON_WRITE);
    cr_assert_eq(mm_counters(m, a, &after), STATUS_SUCCESS);
    cr_assert_eq(mm_counters(m, 0, &sys_after), STATUS_SUCCESS);
    cr_assert_eq(after.faults[MM_FAULT_MAPPED_FILE] - before.faults[MM_FAULT_MAPPED_FILE], 1u);
    cr_assert_eq(after.faults[MM_FAULT_COPY_ON_WRITE] - before.faults[MM_FAULT_COPY_ON_WRITE], 1u);
    /* PageFaultCount counts the page entering the working set once: the
     * copy keeps its working-set entry (MiCopyOnWrite) */
    cr_assert_eq(after.page_fault_count - before.page_fault_count, 1u);
    cr_assert_eq(sys_after.faults[MM_FAULT_MAPPED_FILE] - sys_before.faults[MM_FAULT_MAPPED_FILE], 1u);
    cr_assert_eq(sys_after.faults[MM_FAULT_COPY_ON_WRITE] - sys_before.faults[MM_FAULT_COPY_ON_WRITE], 1u);
    cr_assert(!pfn_flag(mm_pfn_entry(m, t_valid_frame(m, a, va_a + PAGE_SIZE)), PFN_PROTOTYPE_PTE));
    cr_assert(t_pte(m, a, va_a + PAGE_SIZE) & PTE_DIRTY);
    t_check(m);
    /* the private copy pages like private memory */
    mm_trim(m, a, 1000);
    cr_assert_eq(pte_classify(t_pte(m, a, va_a)), PTE_FORM_TRANSITION);
    t_check(m);
    cr_assert_eq(mm_read32(m, a, va_a, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0xC0C0u);
    t_check(m);
    mm_destroy(m);
}

/* MiResolveProtoPteFault: a page of a copy-on-write view whose prototype
 * PTE is still demand-zero (a paging-file section no view has filled) is
 * not shared: the process gets a private zero page, read/write and dirty,
 * for a read as for a write; the prototype PTE stays demand-zero, and a
 * read/write view that touches the page later fills the section's own. */
Test(section, a_copy_on_write_view_of_an_unfilled_page_gets_a_private_zero_page)
{
    struct mm_machine *m = t_machine(128, 256);
    uint32_t a = t_process(m, "a"), b = t_process(m, "b");
    uint32_t s = section(m, MM_NO_FILE, 2, PAGE_READWRITE);
    mm_va va_a = map(m, a, s, PAGE_WRITECOPY), va_b = map(m, b, s, PAGE_READWRITE);
    struct mm_commit_info before, after;
    mm_commit(m, a, &before);
    uint32_t v = 1;
    cr_assert_eq(mm_read32(m, a, va_a, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0u);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_DEMAND_ZERO);
    mm_pfn own = t_valid_frame(m, a, va_a);
    cr_assert(!pfn_flag(mm_pfn_entry(m, own), PFN_PROTOTYPE_PTE), "the page is the process's own");
    mm_pte pte = t_pte(m, a, va_a);
    cr_assert((pte & (PTE_WRITE | PTE_DIRTY)) == (PTE_WRITE | PTE_DIRTY) && !(pte & PTE_COPY_ON_WRITE),
              "0x%08X", pte);
    mm_va proto_va;
    mm_pte proto;
    cr_assert(mm_proto_pte(m, s, 0, &proto_va, &proto));
    cr_assert_eq(pte_classify(proto), PTE_FORM_DEMAND_ZERO, "the prototype PTE stays demand-zero: 0x%08X", proto);
    /* a first write is one demand-zero fault too, no copy */
    cr_assert_eq(mm_write32(m, a, va_a + PAGE_SIZE, 0xA1), STATUS_SUCCESS);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_DEMAND_ZERO);
    mm_commit(m, a, &after);
    cr_assert_eq(after.process_charge, before.process_charge, "charged when the view was mapped");
    /* b fills the section's page; a keeps its own */
    cr_assert_eq(mm_write32(m, b, va_b, 0xB0B0), STATUS_SUCCESS);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_DEMAND_ZERO);
    cr_assert(pfn_flag(mm_pfn_entry(m, t_valid_frame(m, b, va_b)), PFN_PROTOTYPE_PTE));
    cr_assert_neq(t_valid_frame(m, b, va_b), own);
    cr_assert_eq(mm_read32(m, a, va_a, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0u, "a's page is private: b's write is not seen");
    /* trimmed, a's pages page as private memory and come back */
    mm_trim(m, a, 1000);
    t_check(m);
    cr_assert_eq(mm_read32(m, a, va_a + PAGE_SIZE, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0xA1u);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_TRANSITION);
    t_check(m);
    mm_destroy(m);
}

/* NtAllocateVirtualMemory(MEM_COMMIT) inside a mapped view: a file's or an
 * image's pages are in the file (STATUS_ALREADY_COMMITTED); a paging-file
 * section's are committed already, and the call succeeds without a new
 * charge (mmsim: for the protection they have); a range that leaves the
 * view is STATUS_CONFLICTING_ADDRESSES. */
Test(section, a_commit_inside_a_view_is_the_sections_business)
{
    struct mm_machine *m = t_machine(128, 256);
    uint32_t a = t_process(m, "a");
    uint32_t pf = section(m, MM_NO_FILE, 4, PAGE_READWRITE);
    uint32_t fs = section(m, file_with_pattern(m, "c.dat", 2), 0, PAGE_READWRITE);
    mm_va va_pf = map(m, a, pf, PAGE_READWRITE), va_f = map(m, a, fs, PAGE_READWRITE);
    struct mm_commit_info before, after;
    mm_commit(m, a, &before);
    mm_va base = va_pf + PAGE_SIZE + 12;
    uint32_t size = 8;
    cr_assert_eq(mm_allocate(m, a, &base, &size, MEM_COMMIT, PAGE_READWRITE), STATUS_SUCCESS);
    cr_assert_eq(base, va_pf + PAGE_SIZE);
    cr_assert_eq(size, PAGE_SIZE);
    mm_commit(m, a, &after);
    cr_assert_eq(after.process_charge, before.process_charge);
    cr_assert_eq(after.total, before.total);
    base = va_pf;
    size = PAGE_SIZE;
    cr_assert_eq(mm_allocate(m, a, &base, &size, MEM_COMMIT, PAGE_READONLY), STATUS_NOT_SUPPORTED);
    base = va_pf + 3 * PAGE_SIZE;
    size = 2 * PAGE_SIZE;
    cr_assert_eq(mm_allocate(m, a, &base, &size, MEM_COMMIT, PAGE_READWRITE), STATUS_CONFLICTING_ADDRESSES);
    base = va_f;
    size = PAGE_SIZE;
    cr_assert_eq(mm_allocate(m, a, &base, &size, MEM_COMMIT, PAGE_READWRITE), STATUS_ALREADY_COMMITTED);
    t_check(m);
    mm_destroy(m);
}

Test(section, an_image_shares_its_code_and_copies_its_data)
{
    struct mm_machine *m = t_machine(128, 256);
    uint32_t a = t_process(m, "a"), b = t_process(m, "b");
    uint32_t file = file_with_pattern(m, "app.exe", 4);
    struct mm_section_params sp = {.name = "app.exe", .file = file, .image = true, .code_pages = 2};
    uint32_t s;
    cr_assert_eq(mm_create_section(m, &sp, &s), STATUS_SUCCESS);
    mm_va va_a = map(m, a, s, 0), va_b = map(m, b, s, 0);
    cr_assert_eq(mm_execute(m, a, va_a), STATUS_SUCCESS);
    cr_assert_eq(mm_execute(m, b, va_b), STATUS_SUCCESS);
    cr_assert_eq(t_valid_frame(m, a, va_a), t_valid_frame(m, b, va_b), "code is shared");
    cr_assert_eq(mm_write32(m, a, va_a, 1), STATUS_ACCESS_VIOLATION, "code is read-only");
    cr_assert_eq(mm_write32(m, a, va_a + 3 * PAGE_SIZE, 1), STATUS_SUCCESS, "data is copy-on-write");
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_COPY_ON_WRITE);
    uint32_t v;
    cr_assert_eq(mm_read32(m, b, va_b + 3 * PAGE_SIZE, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0xF11E0003u);
    struct mm_basic_info info;
    cr_assert_eq(mm_query(m, a, va_a, &info), STATUS_SUCCESS);
    cr_assert_eq(info.type, MEM_IMAGE);
    t_check(m);
    mm_destroy(m);
}

Test(section, a_view_unmapped_while_dirty_still_reaches_its_file)
{
    struct mm_machine *m = t_machine(128, 256);
    uint32_t a = t_process(m, "a");
    uint32_t file = file_with_pattern(m, "log.txt", 2);
    uint32_t s = section(m, file, 0, PAGE_READWRITE);
    mm_va va = map(m, a, s, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, a, va + 16, 0xD1D1), STATUS_SUCCESS);
    mm_pfn f = t_valid_frame(m, a, va);
    cr_assert_eq(mm_unmap_view(m, a, va), STATUS_SUCCESS);
    cr_assert_eq(t_location(m, f), ModifiedPageList, "the Dirty bit went to the PFN");
    t_check(m);
    cr_assert_eq(mm_run_mapped_writer(m), 1u);
    uint32_t v;
    cr_assert_eq(mm_file_read32(m, file, 16, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0xD1D1u);
    cr_assert_eq(t_location(m, f), StandbyPageList);
    t_check(m);
    /* closing the handle with no view left deletes the section: its pages and pool go */
    struct mm_memory_list_info before, after;
    mm_memory_list_query(m, &before);
    cr_assert_eq(mm_close_section(m, s), STATUS_SUCCESS);
    mm_memory_list_query(m, &after);
    cr_assert_eq(t_location(m, f), FreePageList);
    cr_assert_eq(mm_close_section(m, s), STATUS_INVALID_HANDLE);
    t_check(m);
    mm_destroy(m);
}

Test(section, closing_a_section_that_is_mapped_keeps_it_until_the_last_view_goes)
{
    struct mm_machine *m = t_machine(128, 256);
    uint32_t a = t_process(m, "a");
    struct mm_commit_info ci;
    mm_commit(m, a, &ci);
    uint32_t before = ci.total;
    uint32_t s = section(m, MM_NO_FILE, 8, PAGE_READWRITE);
    mm_va va = map(m, a, s, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, a, va, 3), STATUS_SUCCESS);
    cr_assert_eq(mm_close_section(m, s), STATUS_SUCCESS);
    uint32_t v;
    cr_assert_eq(mm_read32(m, a, va, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 3u);
    mm_va other = 0;
    uint32_t pages = 0;
    cr_assert_eq(mm_map_view(m, a, s, &other, 0, &pages, PAGE_READWRITE), STATUS_INVALID_HANDLE);
    t_check(m);
    cr_assert_eq(mm_process_terminate(m, a), STATUS_SUCCESS);
    uint32_t b = t_process(m, "b");
    mm_commit(m, b, &ci);
    cr_assert_eq(ci.total, before, "the section's charge went with it");
    t_check(m);
    mm_destroy(m);
}

Test(section, a_section_that_must_not_be_written_uses_modified_no_write)
{
    struct mm_machine *m = t_machine(128, 256);
    uint32_t a = t_process(m, "a");
    uint32_t file = file_with_pattern(m, "$LogFile", 2);
    struct mm_section_params sp = {.name = "log", .file = file, .protection = PAGE_READWRITE, .no_write = true};
    uint32_t s;
    cr_assert_eq(mm_create_section(m, &sp, &s), STATUS_SUCCESS);
    mm_va va = map(m, a, s, PAGE_READWRITE);
    cr_assert_eq(mm_write32(m, a, va, 9), STATUS_SUCCESS);
    mm_pfn f = t_valid_frame(m, a, va);
    mm_trim(m, a, 1000);
    cr_assert_eq(t_location(m, f), ModifiedNoWritePageList);
    t_flush(m);
    cr_assert_eq(t_location(m, f), ModifiedNoWritePageList, "the writers pass it by");
    uint32_t v;
    cr_assert_eq(mm_file_read32(m, file, 0, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0xF11E0000u);
    t_check(m);
    /* NtFlushVirtualMemory writes it all the same (MiFlushSectionInternal
     * looks at the page's Modified bit, not at the section's flag) */
    uint32_t written = 0;
    cr_assert_eq(mm_flush_view(m, a, va, 2 * PAGE_SIZE, &written), STATUS_SUCCESS);
    cr_assert_eq(written, 1u);
    cr_assert_eq(t_location(m, f), StandbyPageList);
    cr_assert_eq(mm_file_read32(m, file, 0, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 9u);
    t_check(m);
    /* written again later: deleting the section writes a page dirtied since */
    cr_assert_eq(mm_write32(m, a, va, 10), STATUS_SUCCESS);
    cr_assert_eq(mm_unmap_view(m, a, va), STATUS_SUCCESS);
    cr_assert_eq(mm_close_section(m, s), STATUS_SUCCESS);
    cr_assert_eq(mm_file_read32(m, file, 0, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 10u, "MiCleanSection writes a modified page of the file");
    t_check(m);
    mm_destroy(m);
}

Test(section, the_writers_count_and_write_their_own_pages)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = 128;
    cfg.pagefile_pages[0] = 256;
    cfg.write_cluster = 4;
    struct mm_machine *m = t_machine_cfg(&cfg);
    uint32_t a = t_process(m, "a");
    uint32_t file = file_with_pattern(m, "f", 8);
    uint32_t s = section(m, file, 0, PAGE_READWRITE);
    mm_va view = map(m, a, s, PAGE_READWRITE);
    mm_va priv = t_alloc(m, a, 3 * PAGE_SIZE, PAGE_READWRITE);
    for (uint32_t i = 0; i < 3; i++) {
        cr_assert_eq(mm_write32(m, a, priv + i * PAGE_SIZE, i), STATUS_SUCCESS);
        cr_assert_eq(mm_write32(m, a, view + i * PAGE_SIZE, i), STATUS_SUCCESS);
    }
    mm_trim(m, a, 1000);
    struct mm_memory_list_info li;
    mm_memory_list_query(m, &li);
    cr_assert_eq(li.modified_page_count, 6u);
    cr_assert_eq(li.modified_page_count_page_file, 3u, "ModifiedPageCountPageFile counts only the paging file's");
    /* 3 pages for the paging file: less than a cluster of 4, so only the
     * mapped page writer writes (its 3 pages go to the file) */
    cr_assert_eq(mm_run_modified_writer(m), 3u);
    struct mm_counters c;
    mm_counters(m, 0, &c);
    cr_assert_eq(c.pagefile_used, 0u);
    mm_memory_list_query(m, &li);
    cr_assert_eq(li.modified_page_count, 3u);
    cr_assert_eq(t_flush(m), 3u);
    mm_counters(m, 0, &c);
    cr_assert_eq(c.pagefile_used, 3u);
    t_check(m);
    mm_destroy(m);
}

Test(section, purging_standby_puts_the_prototype_pte_back)
{
    struct mm_machine *m = t_machine(128, 256);
    uint32_t a = t_process(m, "a");
    uint32_t file = file_with_pattern(m, "f", 2);
    uint32_t s = section(m, file, 0, PAGE_READONLY);
    mm_va va = map(m, a, s, PAGE_READONLY);
    uint32_t v;
    cr_assert_eq(mm_read32(m, a, va, &v), STATUS_SUCCESS);
    mm_pfn f = t_valid_frame(m, a, va);
    mm_va proto = proto_of(m, f);
    mm_trim(m, a, 1000);
    cr_assert_eq(t_location(m, f), StandbyPageList, "a clean page of a file needs no write");
    cr_assert_eq(mm_memory_list_command(m, MemoryPurgeStandbyList), STATUS_SUCCESS);
    cr_assert_eq(t_location(m, f), FreePageList);
    t_check(m);
    cr_assert_eq(mm_read32(m, a, va, &v), STATUS_SUCCESS);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_MAPPED_FILE);
    cr_assert_eq(v, 0xF11E0000u);
    cr_assert_eq(proto_of(m, t_valid_frame(m, a, va)), proto);
    t_check(m);
    mm_destroy(m);
}

Test(section, bad_calls_fail_with_nt_statuses)
{
    struct mm_machine *m = t_machine(128, 256);
    uint32_t a = t_process(m, "a");
    uint32_t file = file_with_pattern(m, "f", 4), s, other;
    cr_assert_eq(mm_file_create(m, "f", 1, &other), STATUS_OBJECT_NAME_COLLISION);
    struct mm_section_params sp = {.name = "big", .file = file, .pages = 5, .protection = PAGE_READWRITE};
    cr_assert_eq(mm_create_section(m, &sp, &s), STATUS_SECTION_TOO_BIG);
    sp.pages = 0;
    sp.protection = PAGE_NOACCESS;
    cr_assert_eq(mm_create_section(m, &sp, &s), STATUS_INVALID_PAGE_PROTECTION);
    sp.protection = PAGE_READONLY;
    sp.file = 77;
    cr_assert_eq(mm_create_section(m, &sp, &s), STATUS_INVALID_HANDLE);
    s = section(m, file, 0, PAGE_READONLY);
    sp.file = file;
    cr_assert_eq(mm_create_section(m, &sp, &other), STATUS_NOT_SUPPORTED, "one live section per file");
    mm_va base = 0;
    uint32_t pages = 0;
    cr_assert_eq(mm_map_view(m, a, s, &base, 0, &pages, PAGE_READWRITE), STATUS_SECTION_PROTECTION);
    cr_assert_eq(mm_map_view(m, a, s, &base, 1, &pages, PAGE_READONLY), STATUS_MAPPED_ALIGNMENT);
    pages = 5;
    cr_assert_eq(mm_map_view(m, a, s, &base, 0, &pages, PAGE_READONLY), STATUS_INVALID_VIEW_SIZE);
    pages = 0;
    base = 0x12345000;
    cr_assert_eq(mm_map_view(m, a, s, &base, 0, &pages, PAGE_READONLY), STATUS_MAPPED_ALIGNMENT);
    cr_assert_eq(mm_map_view(m, a, 99, &base, 0, &pages, PAGE_READONLY), STATUS_INVALID_HANDLE);
    base = 0;
    mm_va va = map(m, a, s, PAGE_READONLY);
    mm_va priv = t_alloc(m, a, PAGE_SIZE, PAGE_READWRITE);
    cr_assert_eq(mm_unmap_view(m, a, priv), STATUS_NOT_MAPPED_VIEW);
    uint32_t size = 0;
    mm_va b = va;
    cr_assert_eq(mm_free(m, a, &b, &size, MEM_RELEASE), STATUS_UNABLE_TO_DELETE_SECTION);
    size = PAGE_SIZE;
    cr_assert_eq(mm_free(m, a, &b, &size, MEM_DECOMMIT), STATUS_UNABLE_TO_DELETE_SECTION);
    uint32_t old;
    cr_assert_eq(mm_protect(m, a, &b, &size, PAGE_READONLY, &old), STATUS_NOT_SUPPORTED);
    base = va;
    cr_assert_eq(mm_map_view(m, a, s, &base, 0, &pages, PAGE_READONLY), STATUS_CONFLICTING_ADDRESSES);
    cr_assert_eq(mm_unmap_view(m, a, va + PAGE_SIZE), STATUS_SUCCESS, "any address in the view unmaps it");
    t_check(m);
    mm_destroy(m);
}

/* The walk predicts the fault a touch of a view page raises from its
 * prototype PTE, whether the process PTE is zero or a prototype pointer:
 * never the access violation a prototype pointer's address bits would
 * give if read as a protection. */
Test(section, the_walk_predicts_faults_through_the_prototype_pte)
{
    struct mm_machine *m = t_machine(128, 256);
    uint32_t a = t_process(m, "a"), b = t_process(m, "b");
    uint32_t file = file_with_pattern(m, "walk.dat", 4);
    uint32_t fs = section(m, file, 0, PAGE_READWRITE), ps = section(m, MM_NO_FILE, 4, PAGE_READWRITE);
    mm_va fa = map(m, a, fs, PAGE_READWRITE), pa = map(m, a, ps, PAGE_READWRITE), pb = map(m, b, ps, PAGE_READWRITE);
    mm_va ca = map(m, b, fs, PAGE_WRITECOPY);
    struct mm_walk w;
    cr_assert_eq(mm_walk(m, a, fa + PAGE_SIZE, &w), STATUS_SUCCESS);
    cr_assert_eq(w.fault, MM_FAULT_MAPPED_FILE, "%s", mm_fault_kind_name(w.fault));
    cr_assert_eq(mm_walk(m, a, pa + PAGE_SIZE, &w), STATUS_SUCCESS);
    cr_assert_eq(w.fault, MM_FAULT_DEMAND_ZERO, "%s", mm_fault_kind_name(w.fault));
    cr_assert_eq(mm_write32(m, a, pa + PAGE_SIZE, 7), STATUS_SUCCESS);
    cr_assert_eq(mm_walk(m, b, pb + PAGE_SIZE, &w), STATUS_SUCCESS);
    cr_assert_eq(w.fault, MM_FAULT_SHARED, "%s", mm_fault_kind_name(w.fault));
    uint32_t v;
    cr_assert_eq(mm_read32(m, b, pb + PAGE_SIZE, &v), STATUS_SUCCESS);
    mm_trim(m, a, 1000);
    cr_assert_eq(mm_walk(m, a, pa + PAGE_SIZE, &w), STATUS_SUCCESS);
    cr_assert_eq(w.form, PTE_FORM_PROTOTYPE);
    cr_assert_eq(w.fault, MM_FAULT_SHARED, "a prototype pointer to a valid prototype PTE: %s (av %d)",
                 mm_fault_kind_name(w.fault), w.av);
    mm_trim(m, b, 1000);
    cr_assert_eq(mm_walk(m, a, pa + PAGE_SIZE, &w), STATUS_SUCCESS);
    cr_assert_eq(w.fault, MM_FAULT_TRANSITION, "%s", mm_fault_kind_name(w.fault));
    /* a write to a copy-on-write page not yet in: first the fault that
     * brings it in (the copy-on-write fault comes when the write is retried) */
    cr_assert_eq(mm_walk_access(m, b, ca, MM_ACCESS_WRITE, &w), STATUS_SUCCESS);
    cr_assert_eq(w.fault, MM_FAULT_MAPPED_FILE, "%s", mm_fault_kind_name(w.fault));
    cr_assert_eq(mm_read32(m, b, ca, &v), STATUS_SUCCESS);
    cr_assert_eq(mm_walk_access(m, b, ca, MM_ACCESS_WRITE, &w), STATUS_SUCCESS);
    cr_assert(w.valid && !w.refused, "a valid copy-on-write page is not refused a write");
    cr_assert_eq(w.fault, MM_FAULT_COPY_ON_WRITE, "%s", mm_fault_kind_name(w.fault));
    cr_assert_eq(mm_write32(m, b, ca, 9), STATUS_SUCCESS);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_COPY_ON_WRITE);
    t_check(m);
    mm_destroy(m);
}

/* The resolvers run on the prototype PTE itself, which lives in paged pool:
 * Owner clear; Dirty set by a demand-zero fill and by a soft fault off the
 * Modified list of a writable page, clear after a read from the file. */
Test(section, prototype_ptes_carry_the_resolvers_bits)
{
    struct mm_machine *m = t_machine(128, 256);
    uint32_t a = t_process(m, "a");
    uint32_t anon = section(m, MM_NO_FILE, 4, PAGE_READWRITE);
    uint32_t file = file_with_pattern(m, "f", 2);
    uint32_t mapped = section(m, file, 0, PAGE_READWRITE);
    mm_va base = map(m, a, anon, PAGE_READWRITE), fbase = map(m, a, mapped, PAGE_READWRITE);
    uint32_t v;
    mm_va pva;
    mm_pte proto;

    cr_assert_eq(mm_read32(m, a, base, &v), STATUS_SUCCESS);   /* demand-zero, read */
    cr_assert(mm_proto_pte(m, anon, 0, &pva, &proto));
    cr_assert_eq(proto & 0xFFFu, PTE_VALID | PTE_WRITE | PTE_ACCESSED | PTE_DIRTY, "0x%08X", proto);
    cr_assert_eq(t_pte(m, a, base) & 0xFFFu, PTE_VALID | PTE_WRITE | PTE_OWNER | PTE_ACCESSED,
                 "the process PTE is dirty only after a store");

    cr_assert_eq(mm_read32(m, a, fbase, &v), STATUS_SUCCESS);   /* read from the file */
    cr_assert_eq(v, 0xF11E0000u);
    cr_assert(mm_proto_pte(m, mapped, 0, &pva, &proto));
    cr_assert_eq(proto & 0xFFFu, PTE_VALID | PTE_WRITE | PTE_ACCESSED, "0x%08X", proto);

    /* written, trimmed to Modified, then read back: dirty again in the prototype */
    cr_assert_eq(mm_write32(m, a, fbase, 7), STATUS_SUCCESS);
    mm_trim(m, a, 64);
    cr_assert(mm_proto_pte(m, mapped, 0, &pva, &proto));
    cr_assert_eq(pte_classify(proto), PTE_FORM_TRANSITION, "0x%08X", proto);
    cr_assert(pfn_flag(mm_pfn_entry(m, pte_frame(proto)), PFN_MODIFIED));
    cr_assert_eq(mm_read32(m, a, fbase, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 7u);
    cr_assert(mm_proto_pte(m, mapped, 0, &pva, &proto));
    cr_assert_eq(proto & 0xFFFu, PTE_VALID | PTE_WRITE | PTE_ACCESSED | PTE_DIRTY, "0x%08X", proto);
    t_check(m);
    mm_destroy(m);
}

/* A view whose protection is not its section's (read-only or write-copy
 * over a read/write section) keeps it in the WSLE; trimmed, its PTE is the
 * "lookup needed" prototype form with that protection (0xFFFFF420,
 * 0xFFFFF4A0), and the next fault finds the prototype PTE through the VAD. */
Test(section, a_view_with_its_own_protection_trims_to_lookup_needed)
{
    struct mm_machine *m = t_machine(128, 256);
    uint32_t a = t_process(m, "a");
    uint32_t file = file_with_pattern(m, "f", 2);
    uint32_t s = section(m, file, 0, PAGE_READWRITE);
    mm_va ro = map(m, a, s, PAGE_READONLY), wc = map(m, a, s, PAGE_WRITECOPY), rw = map(m, a, s, PAGE_READWRITE);
    uint32_t v;
    cr_assert_eq(mm_read32(m, a, ro, &v), STATUS_SUCCESS);
    cr_assert_eq(mm_read32(m, a, wc + PAGE_SIZE, &v), STATUS_SUCCESS);
    cr_assert_eq(mm_read32(m, a, rw, &v), STATUS_SUCCESS);
    mm_trim(m, a, 64);
    cr_assert_eq(t_pte(m, a, ro), 0xFFFFF420u, "0x%08X", t_pte(m, a, ro));
    cr_assert_eq(t_pte(m, a, wc + PAGE_SIZE), 0xFFFFF4A0u, "0x%08X", t_pte(m, a, wc + PAGE_SIZE));
    cr_assert(pte_proto_lookup_needed(t_pte(m, a, ro)));
    cr_assert_eq(pte_classify(t_pte(m, a, ro)), PTE_FORM_PROTOTYPE);
    cr_assert_not(pte_proto_lookup_needed(t_pte(m, a, rw)), "the same protection: a plain prototype pointer");
    t_check(m);
    /* the faults go through the VAD and keep each view's protection */
    cr_assert_eq(mm_read32(m, a, ro, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0xF11E0000u);
    cr_assert_eq(mm_write32(m, a, ro, 1), STATUS_ACCESS_VIOLATION);
    cr_assert_eq(mm_write32(m, a, wc + PAGE_SIZE, 0x5A5A), STATUS_SUCCESS);
    cr_assert_eq(mm_last_fault(m)->kind, MM_FAULT_COPY_ON_WRITE);
    cr_assert_eq(mm_file_read32(m, file, PAGE_SIZE, &v), STATUS_SUCCESS);
    cr_assert_eq(v, 0xF11E0001u, "the copy never reaches the file");
    t_check(m);
    mm_trim(m, a, 64);
    cr_assert_eq(pte_classify(t_pte(m, a, wc + PAGE_SIZE)), PTE_FORM_TRANSITION, "the copy is private memory");
    t_check(m);
    mm_destroy(m);
}
