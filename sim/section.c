/*
 * section.c - files, section objects and their prototype PTEs (NT:
 * NtCreateSection / MmCreateSection, MiCreatePagingFileMap and
 * MiCreateDataFileMap for the segment, MiCheckControlArea and
 * MiSegmentDelete when the last reference goes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avail.h"
#include "mm.h"
#include "pfn.h"
#include "section.h"
#include "selfmap.h"
#include "virtual.h"

/* ---- Files ---- */

static struct mm_file *file_get(struct mm_machine *m, uint32_t file)
{
    return file < MM_MAX_FILES && m->file[file].live ? &m->file[file] : NULL;
}

mm_status mm_file_create(struct mm_machine *m, const char *name, uint32_t pages, uint32_t *file)
{
    if (!name || !*name || strlen(name) >= MM_FILE_NAME_MAX || pages == 0 || pages > m->frames * 16u)
        return STATUS_INVALID_PARAMETER;
    uint32_t slot = MM_MAX_FILES;
    for (uint32_t i = 0; i < MM_MAX_FILES; i++) {
        if (m->file[i].live && strcmp(m->file[i].name, name) == 0)
            return STATUS_OBJECT_NAME_COLLISION;
        if (!m->file[i].live && slot == MM_MAX_FILES)
            slot = i;
    }
    if (slot == MM_MAX_FILES)
        return STATUS_INSUFFICIENT_RESOURCES;
    struct mm_file *f = &m->file[slot];
    memset(f, 0, sizeof *f);
    f->data = calloc(pages, sizeof *f->data);
    if (!f->data)
        return STATUS_NO_MEMORY;
    f->live = true;
    f->pages = pages;
    memcpy(f->name, name, strlen(name) + 1);
    *file = slot;
    return STATUS_SUCCESS;
}

static bool file_word(struct mm_file *f, uint32_t offset, uint8_t **page, uint32_t *in_page)
{
    if (offset > f->pages * PAGE_SIZE - 4 || (offset & 3))
        return false;
    *page = f->data[offset / PAGE_SIZE];
    *in_page = offset % PAGE_SIZE;
    return true;
}

mm_status mm_file_write32(struct mm_machine *m, uint32_t file, uint32_t offset, uint32_t value)
{
    struct mm_file *f = file_get(m, file);
    uint8_t *page;
    uint32_t at;
    if (!f)
        return STATUS_INVALID_HANDLE;
    if (!file_word(f, offset, &page, &at))
        return STATUS_INVALID_PARAMETER;
    if (!page) {
        if (value == 0)
            return STATUS_SUCCESS;
        page = f->data[offset / PAGE_SIZE] = calloc(1, PAGE_SIZE);
        if (!page)
            return STATUS_NO_MEMORY;
    }
    memcpy(page + at, &value, 4);
    return STATUS_SUCCESS;
}

mm_status mm_file_read32(const struct mm_machine *m, uint32_t file, uint32_t offset, uint32_t *value)
{
    struct mm_file *f = file_get((struct mm_machine *)m, file);
    uint8_t *page;
    uint32_t at;
    if (!f)
        return STATUS_INVALID_HANDLE;
    if (!file_word(f, offset, &page, &at))
        return STATUS_INVALID_PARAMETER;
    *value = 0;
    if (page)
        memcpy(value, page + at, 4);
    return STATUS_SUCCESS;
}

bool mm_file_lookup(const struct mm_machine *m, const char *name, uint32_t *file)
{
    for (uint32_t i = 0; i < MM_MAX_FILES; i++)
        if (m->file[i].live && strcmp(m->file[i].name, name) == 0) {
            *file = i;
            return true;
        }
    return false;
}

void section_read_from_file(struct mm_machine *m, uint32_t file, uint32_t file_page, mm_pfn frame)
{
    struct mm_file *f = &m->file[file];
    MM_ASSERT(f->live && file_page < f->pages);
    if (!phys_copy_in(&m->phys, frame, f->data[file_page]))
        mm_host_exhausted(__func__, "a page read from a mapped file");
    f->reads++;
}

/* ---- Subsections and prototype PTEs ---- */

mm_va section_subsection_va(uint32_t section, uint32_t k)
{
    return MM_SUBSECTION_BASE + (section * MM_SUBSECTIONS + k) * MM_SUBSECTION_SIZE;
}

bool section_of_subsection(const struct mm_machine *m, mm_va sub_va, uint32_t *section, uint32_t *k)
{
    if (sub_va < MM_SUBSECTION_BASE || (sub_va - MM_SUBSECTION_BASE) % MM_SUBSECTION_SIZE)
        return false;
    uint32_t n = (sub_va - MM_SUBSECTION_BASE) / MM_SUBSECTION_SIZE;
    uint32_t s = n / MM_SUBSECTIONS, sub = n % MM_SUBSECTIONS;
    if (s >= MM_MAX_SECTIONS || !m->section[s].live || sub >= m->section[s].subsections)
        return false;
    *section = s;
    *k = sub;
    return true;
}

bool section_of_proto(const struct mm_machine *m, mm_va proto_va, uint32_t *section, uint32_t *page)
{
    if (!pte_is_proto_va(proto_va) || (proto_va & 3))
        return false;
    for (uint32_t s = 0; s < MM_MAX_SECTIONS; s++) {
        const struct mm_section *sc = &m->section[s];
        if (sc->live && proto_va >= sc->proto && proto_va < sc->proto + sc->pages * 4u) {
            *section = s;
            *page = (proto_va - sc->proto) / 4u;
            return true;
        }
    }
    return false;
}

mm_pfn section_pool_frame(const struct mm_machine *m, mm_va proto_va)
{
    MM_ASSERT(pte_is_proto_va(proto_va) && m->pool_frame);
    mm_pfn f = m->pool_frame[(proto_va - MM_PROTO_BASE) / PAGE_SIZE];
    MM_ASSERT(f != MM_EMPTY_LIST);
    return f;
}

bool section_is_pool_frame(const struct mm_machine *m, mm_pfn f)
{
    mm_va pte_va = m->pfn[f].pte_address;
    if (!m->pool_frame || pte_va < pte_address(MM_PROTO_BASE) || pte_va >= pte_address(MM_PROTO_LIMIT))
        return false;
    return m->pool_frame[(pte_va - pte_address(MM_PROTO_BASE)) / 4u] == f;
}

uint32_t section_file_page(const struct mm_section *s, uint32_t page)
{
    for (uint32_t k = 0; k < s->subsections; k++)
        if (page >= s->sub[k].first_page && page < s->sub[k].first_page + s->sub[k].pages)
            return s->sub[k].file_page + (page - s->sub[k].first_page);
    mm_panic(__func__, "page %u is outside every subsection", page);
}

uint32_t section_page_protection(const struct mm_section *s, uint32_t page)
{
    for (uint32_t k = 0; k < s->subsections; k++)
        if (page >= s->sub[k].first_page && page < s->sub[k].first_page + s->sub[k].pages)
            return s->sub[k].protection;
    return s->protection;
}

bool section_frame_is_file(const struct mm_machine *m, mm_pfn frame)
{
    const struct mmpfn *p = &m->pfn[frame];
    return pfn_flag(p, PFN_PROTOTYPE_PTE) && (p->original_pte & PTE_PROTOTYPE);
}

void section_write_to_file(struct mm_machine *m, mm_pfn frame)
{
    struct mmpfn *p = &m->pfn[frame];
    uint32_t s, page, sub, k;
    bool found = section_of_proto(m, p->pte_address, &s, &page);
    MM_ASSERT(found && section_of_subsection(m, pte_subsection_address(p->original_pte), &sub, &k) && sub == s);
    struct mm_section *sc = &m->section[s];
    struct mm_file *f = &m->file[sc->file];
    uint32_t fp = section_file_page(sc, page);
    pfn_set_flag(p, PFN_WRITE_IN_PROGRESS);
    if (phys_is_zero(&m->phys, frame)) {
        free(f->data[fp]);
        f->data[fp] = NULL;
    } else {
        if (!f->data[fp] && !(f->data[fp] = malloc(PAGE_SIZE)))
            mm_host_exhausted(__func__, "a page written to a mapped file");
        memcpy(f->data[fp], m->phys.page[frame], PAGE_SIZE);
    }
    f->writes++;
    m->pages_written++;
    if (ev_on(m)) {
        struct mm_event ev = {.kind = MM_EV_FILE_IO};
        ev.u.file_io.write = true;
        ev.u.file_io.file = sc->file;
        ev.u.file_io.file_page = fp;
        ev.u.file_io.section = s;
        ev.u.file_io.frame = frame;
        ev_emit(m, &ev);
    }
    pfn_clear_flag(p, PFN_WRITE_IN_PROGRESS | PFN_MODIFIED);
}

/* ---- Creating a section ---- */

static mm_status take_pool(struct mm_machine *m, uint32_t pages, uint32_t *first)
{
    if (!m->pool_frame) {
        m->pool_frame = malloc(MM_POOL_PAGES * sizeof *m->pool_frame);
        if (!m->pool_frame)
            return STATUS_NO_MEMORY;
        for (uint32_t i = 0; i < MM_POOL_PAGES; i++)
            m->pool_frame[i] = MM_EMPTY_LIST;
    }
    uint32_t run = 0;
    for (uint32_t i = 0; i < MM_POOL_PAGES; i++) {
        run = m->pool_frame[i] == MM_EMPTY_LIST ? run + 1 : 0;
        if (run == pages) {
            *first = i + 1 - pages;
            return STATUS_SUCCESS;
        }
    }
    return STATUS_INSUFFICIENT_RESOURCES;
}

/* The protections a section may be created with (NT: MiMakeProtectionMask
 * of SectionPageProtection; no guard, no-cache or no-access). */
static uint32_t section_protection(uint32_t win32)
{
    uint32_t prot = prot_from_win32(win32);
    if (prot == MM_INVALID_PROTECTION || (prot & MM_PROTECT_SPECIAL) || (prot & MM_PROTECT_ACCESS) == MM_ZERO_ACCESS ||
        (prot & MM_PROTECT_ACCESS) == MM_EXECUTE)
        return MM_INVALID_PROTECTION;
    return prot;
}

mm_status mm_create_section(struct mm_machine *m, const struct mm_section_params *sp, uint32_t *out)
{
    uint32_t prot = sp->image ? MM_EXECUTE_WRITECOPY : section_protection(sp->protection);
    if (prot == MM_INVALID_PROTECTION)
        return STATUS_INVALID_PAGE_PROTECTION;
    uint32_t pages = sp->pages;
    const struct mm_file *file = NULL;
    if (sp->file != MM_NO_FILE) {
        if (!(file = file_get(m, sp->file)))
            return STATUS_INVALID_HANDLE;
        if (pages == 0)
            pages = file->pages;
        if (pages > file->pages)
            return STATUS_SECTION_TOO_BIG;   /* SIMPLIFIED: NT may extend a file opened for writing */
        /* SIMPLIFIED: NT gives a file one control area and segment, which
         * every section of the file shares; here each section has its own
         * pages, so two at once would hold two different copies of a page */
        for (uint32_t i = 0; i < MM_MAX_SECTIONS; i++)
            if (m->section[i].live && m->section[i].file == sp->file)
                return STATUS_NOT_SUPPORTED;
    } else if (sp->image) {
        return STATUS_INVALID_FILE_FOR_SECTION;
    }
    if (pages == 0)
        return STATUS_INVALID_PARAMETER;
    if (pages > m->frames * 16u || pages > (MM_PROTO_LIMIT - MM_PROTO_BASE) / 4u)
        return STATUS_SECTION_TOO_BIG;
    if (sp->image && sp->code_pages > pages)
        return STATUS_INVALID_PARAMETER;
    uint32_t slot = 0;
    while (slot < MM_MAX_SECTIONS && m->section[slot].live)
        slot++;
    if (slot == MM_MAX_SECTIONS)
        return STATUS_INSUFFICIENT_RESOURCES;
    uint32_t pool_pages = (pages + PTES_PER_PAGE - 1) / PTES_PER_PAGE, pool_first;
    mm_status s = take_pool(m, pool_pages, &pool_first);
    if (s != STATUS_SUCCESS)
        return s;
    /* a paging-file section promises all its pages now (SEC_COMMIT) */
    uint32_t charge = file ? 0 : pages;
    if (charge && virtual_charge_system(m, charge) != STATUS_SUCCESS)
        return STATUS_COMMITMENT_LIMIT;
    if (avail_ensure(m, pool_pages) != STATUS_SUCCESS) {
        m->commit_total -= charge;
        return STATUS_NO_MEMORY;
    }

    struct mm_section *sc = &m->section[slot];
    memset(sc, 0, sizeof *sc);
    sc->live = sc->open = true;
    snprintf(sc->name, sizeof sc->name, "%s", sp->name && *sp->name ? sp->name : "section");
    sc->pages = pages;
    sc->file = file ? sp->file : MM_NO_FILE;
    sc->protection = prot;
    sc->image = sp->image;
    sc->no_write = sp->no_write;
    sc->charge = charge;
    sc->pool_first = pool_first;
    sc->pool_pages = pool_pages;
    sc->proto = MM_PROTO_BASE + pool_first * PAGE_SIZE;
    if (sp->image) {
        /* code, shared and read-only; then data, copy-on-write */
        uint32_t code = sp->code_pages;
        if (code)
            sc->sub[sc->subsections++] = (struct mm_subsection){0, code, 0, MM_EXECUTE_READ};
        if (pages > code)
            sc->sub[sc->subsections++] = (struct mm_subsection){code, pages - code, code, MM_EXECUTE_WRITECOPY};
    } else if (file) {
        sc->sub[sc->subsections++] = (struct mm_subsection){0, pages, 0, prot};
    }
    for (uint32_t i = 0; i < pool_pages; i++) {
        mm_pfn f = pfn_take_zeroed(m, MOVE_POOL);
        MM_ASSERT(f != MM_EMPTY_LIST);
        mm_va va = MM_PROTO_BASE + (pool_first + i) * PAGE_SIZE;
        pfn_make_active(m, f, pte_address(va), MM_SYSTEM_PTE_FRAME, 0);
        m->pool_frame[pool_first + i] = f;
    }
    if (ev_on(m)) {
        struct mm_event ev = {.kind = MM_EV_SECTION};
        ev.u.section.section = slot;
        ev.u.section.created = true;
        ev_emit(m, &ev);
    }
    for (uint32_t page = 0, k = 0; page < pages; page++) {
        mm_va va = sc->proto + page * 4u;
        struct pte_loc at = {section_pool_frame(m, va), va};
        mm_pte pte = pte_make_demand_zero(prot);
        if (file) {
            while (page >= sc->sub[k].first_page + sc->sub[k].pages)
                k++;
            pte = pte_make_subsection(section_subsection_va(slot, k), sc->sub[k].protection);
        }
        pt_write(m, at, pte, false);
    }
    *out = slot;
    return STATUS_SUCCESS;
}

/* ---- Deleting a section ---- */

void section_delete_if_unused(struct mm_machine *m, uint32_t section)
{
    struct mm_section *sc = &m->section[section];
    if (!sc->live || sc->open || sc->views)
        return;
    for (uint32_t page = 0; page < sc->pages; page++) {
        mm_va va = sc->proto + page * 4u;
        struct pte_loc at = {section_pool_frame(m, va), va};
        mm_pte pte = pt_read(m, at);
        MM_ASSERT(!pte_is_valid(pte));   /* no view maps it */
        if (pte_is_transition(pte)) {
            mm_pfn f = pte_frame(pte);
            struct mmpfn *p = &m->pfn[f];
            bool retired = false;
            if (sc->file != MM_NO_FILE && pfn_flag(p, PFN_MODIFIED)) {
                /* the file must get what was written to it */
                pfn_unlink(m, f, TransitionPage, MOVE_WRITTEN);
                section_write_to_file(m, f);
                pfn_insert(m, StandbyPageList, f, MOVE_WRITTEN);
                /* a frame with a parity error goes to Bad instead, which
                 * gives the pool page its share back: not freed again */
                retired = pfn_location(p) == BadPageList;
            }
            pt_write(m, at, 0, false);
            if (!retired) {
                pfn_delete(m, f, MOVE_DELETED);
                m->pfn[at.table].u2.share_count--;
            }
        } else {
            pfn_release_pagefile_space(m, pte);
            pt_write(m, at, 0, false);
        }
    }
    for (uint32_t i = 0; i < sc->pool_pages; i++) {
        mm_pfn f = m->pool_frame[sc->pool_first + i];
        pfn_delete(m, f, MOVE_DELETED);
        m->pool_frame[sc->pool_first + i] = MM_EMPTY_LIST;
    }
    MM_ASSERT(m->commit_total >= sc->charge);
    m->commit_total -= sc->charge;
    sc->live = false;
    if (ev_on(m)) {
        struct mm_event ev = {.kind = MM_EV_SECTION};
        ev.u.section.section = section;
        ev.u.section.created = false;
        ev_emit(m, &ev);
    }
}

mm_status mm_close_section(struct mm_machine *m, uint32_t section)
{
    if (section >= MM_MAX_SECTIONS || !m->section[section].live || !m->section[section].open)
        return STATUS_INVALID_HANDLE;
    m->section[section].open = false;
    section_delete_if_unused(m, section);
    return STATUS_SUCCESS;
}

void section_free_all(struct mm_machine *m)
{
    for (uint32_t i = 0; i < MM_MAX_FILES; i++)
        if (m->file[i].live) {
            for (uint32_t p = 0; p < m->file[i].pages; p++)
                free(m->file[i].data[p]);
            free(m->file[i].data);
            m->file[i].live = false;
        }
    free(m->pool_frame);
    m->pool_frame = NULL;
}

/* ---- Inspection ---- */

bool mm_section_info(const struct mm_machine *m, uint32_t section, struct mm_section_info *out)
{
    if (section >= MM_MAX_SECTIONS || !m->section[section].live)
        return false;
    const struct mm_section *sc = &m->section[section];
    *out = (struct mm_section_info){.name = sc->name, .pages = sc->pages, .file = sc->file,
                                    .protection = sc->protection, .image = sc->image, .no_write = sc->no_write,
                                    .open = sc->open, .views = sc->views, .charge = sc->charge,
                                    .proto = sc->proto, .pool_pages = sc->pool_pages};
    for (uint32_t page = 0; page < sc->pages; page++) {
        mm_va va = sc->proto + page * 4u;
        mm_pte pte = phys_read32(&m->phys, section_pool_frame(m, va), va & 0xFFFu);
        out->resident += pte_is_valid(pte) || pte_is_transition(pte);
    }
    return true;
}

const char *mm_section_name(const struct mm_machine *m, uint32_t section)
{
    return section < MM_MAX_SECTIONS && m->section[section].live ? m->section[section].name : NULL;
}

bool mm_proto_pte(const struct mm_machine *m, uint32_t section, uint32_t page, mm_va *va, mm_pte *value)
{
    if (section >= MM_MAX_SECTIONS || !m->section[section].live || page >= m->section[section].pages)
        return false;
    *va = m->section[section].proto + page * 4u;
    *value = phys_read32(&m->phys, section_pool_frame(m, *va), *va & 0xFFFu);
    return true;
}

bool mm_proto_lookup(const struct mm_machine *m, mm_va proto_va, uint32_t *section, uint32_t *page, mm_pfn *pool)
{
    if (!section_of_proto(m, proto_va, section, page))
        return false;
    *pool = section_pool_frame(m, proto_va);
    return true;
}

bool mm_frame_is_pool(const struct mm_machine *m, mm_pfn frame)
{
    return frame < m->frames && section_is_pool_frame(m, frame);
}

bool mm_file_info(const struct mm_machine *m, uint32_t file, const char **name, uint32_t *pages, uint64_t *reads,
                  uint64_t *writes)
{
    if (file >= MM_MAX_FILES || !m->file[file].live)
        return false;
    *name = m->file[file].name;
    *pages = m->file[file].pages;
    *reads = m->file[file].reads;
    *writes = m->file[file].writes;
    return true;
}
