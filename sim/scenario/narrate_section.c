/*
 * narrate_section.c - sections in the narration (see narrate_section.h).
 */
#include <inttypes.h>
#include <string.h>

#include "files.h"
#include "narrate.h"
#include "narrate_section.h"
#include "view.h"

const char *narrate_section_name(const struct replay *r, uint32_t handle)
{
    /* the live section first: a handle the replay recorded may be a
     * deleted section's, reused by the one being created now */
    const char *name = r ? mm_section_name(r->m, handle) : NULL;
    int i = !name && r && r->sc ? files_section_of_handle(r, handle) : -1;
    if (i >= 0)
        name = r->sc->sections[i].name;
    return name ? name : "?";
}

static const char *pname(const struct mm_machine *m, uint32_t pid)
{
    const char *name = mm_process_name(m, pid);
    return name ? name : "?";
}

/* The view of pid holding va, or NULL. */
static const struct mm_vad *view_at(const struct mm_machine *m, uint32_t pid, mm_va va)
{
    for (const struct mm_vad *v = mm_vad_next(m, pid, NULL); v; v = mm_vad_next(m, pid, v))
        if (v->start_vpn <= VA_VPN(va) && VA_VPN(va) <= v->end_vpn)
            return view_is_mapped(v) ? v : NULL;
    return NULL;
}

bool narrate_section_fault(const struct replay *r, const struct mm_event *ev, char *out, size_t size)
{
    const struct mm_machine *m = r->m;
    const struct mm_vad *v = view_at(m, ev->pid, ev->u.fault.va);
    if (!v)
        return false;
    const char *s = narrate_section_name(r, v->section);
    uint32_t page = view_page(v, ev->u.fault.va);
    mm_pfn f = ev->u.fault.frame;
    /* A page of a view that a copy-on-write made private faults as any
     * private page does (its own transition or paging-file PTE), not
     * through the prototype PTE: its frame is not a prototype's. */
    bool through_proto = f < mm_frame_count(m) && pfn_flag(mm_pfn_entry(m, f), PFN_PROTOTYPE_PTE);
    switch (ev->u.fault.kind) {
    case MM_FAULT_DEMAND_ZERO:
        if (!through_proto) {   /* a copy-on-write view's page the section never filled */
            snprintf(out, size, "demand-zero in a copy-on-write view: page %u of section '%s' was never filled, "
                     "so there is nothing to share; frame 0x%X becomes this process's private read/write page "
                     "and the prototype PTE stays demand-zero (MiResolveProtoPteFault -> "
                     "MiResolveDemandZeroFault)", page, s, f);
            return true;
        }
        break;
    case MM_FAULT_TRANSITION:
    case MM_FAULT_PAGE_FILE:
        if (!through_proto)
            return false;
        break;
    default:
        break;
    }
    switch (ev->u.fault.kind) {
    case MM_FAULT_SHARED:
        snprintf(out, size, "page %u of section '%s' is valid in its prototype PTE already (another view brought "
                 "it in): only this process's PTE is filled, with frame 0x%X, and its ShareCount grows "
                 "(MiResolveProtoPteFault, shared)", page, s, f);
        return true;
    case MM_FAULT_MAPPED_FILE:
        snprintf(out, size, "hard fault through the prototype PTE of page %u of section '%s': the page is read "
                 "from the mapped file into frame 0x%X (MiResolveProtoPteFault -> MiResolveMappedFileFault)",
                 page, s, f);
        return true;
    case MM_FAULT_COPY_ON_WRITE:
        snprintf(out, size, "copy-on-write on page %u of section '%s': the write gets a private copy in frame "
                 "0x%X (its commit was charged when the view was mapped); its PTE no longer points at the "
                 "prototype PTE and the other views keep the original (MiCopyOnWrite)", page, s, f);
        return true;
    case MM_FAULT_DEMAND_ZERO:
        snprintf(out, size, "demand-zero through the prototype PTE of page %u of section '%s': frame 0x%X "
                 "becomes the page for every view (MiResolveProtoPteFault -> MiResolveDemandZeroFault)",
                 page, s, f);
        return true;
    case MM_FAULT_TRANSITION:
        snprintf(out, size, "soft fault through the prototype PTE of page %u of section '%s': frame 0x%X comes "
                 "back from the %s list (MiResolveProtoPteFault -> MiResolveTransitionFault)", page, s, f,
                 pfn_list_name(ev->u.fault.from));
        return true;
    case MM_FAULT_PAGE_FILE:
        snprintf(out, size, "hard fault through the prototype PTE of page %u of section '%s': the page is read "
                 "from the paging file into frame 0x%X (MiResolveProtoPteFault -> MiResolvePageFileFault)",
                 page, s, f);
        return true;
    default:
        return false;
    }
}

/* "file data.bin" or "file #3" */
static void file_name(const struct mm_machine *m, uint32_t file, char *out, size_t size)
{
    const char *name;
    uint32_t pages;
    uint64_t reads, writes;
    if (mm_file_info(m, file, &name, &pages, &reads, &writes))
        snprintf(out, size, "file %s", name);
    else
        snprintf(out, size, "file #%u", file);
}

static bool proto_pte_words(const struct replay *r, const struct mm_event *ev, bool verbose, char *out,
                            size_t size)
{
    uint32_t section, page;
    mm_pfn pool;
    char a[96], b[96];
    /* made with the section, cleared when it goes: told by the section's own line */
    if (!verbose && (ev->u.pte.old_value == 0 || ev->u.pte.new_value == 0))
        return false;
    if (!mm_proto_lookup(r->m, ev->u.pte.pte_va, &section, &page, &pool)) {
        if (!verbose)
            return false;
        snprintf(out, size, "prototype PTE 0x%08X: 0x%08X -> 0x%08X", ev->u.pte.pte_va, ev->u.pte.old_value,
                 ev->u.pte.new_value);
        return true;
    }
    narrate_pte_value(a, sizeof a, ev->u.pte.new_value);
    (void)b;
    snprintf(out, size, "prototype PTE 0x%08X (section '%s', page %u; paged-pool frame 0x%X): 0x%08X -> 0x%08X (%s)",
             ev->u.pte.pte_va, narrate_section_name(r, section), page, pool, ev->u.pte.old_value,
             ev->u.pte.new_value, a);
    return true;
}

bool narrate_section_event(const struct replay *r, const struct mm_event *ev, bool verbose, char *out, size_t size)
{
    const struct mm_machine *m = r->m;
    char f[80];
    struct mm_section_info info;
    switch (ev->kind) {
    case MM_EV_PTE:
        return ev->u.pte.proto && proto_pte_words(r, ev, verbose, out, size);
    case MM_EV_FILE_IO:
        file_name(m, ev->u.file_io.file, f, sizeof f);
        if (ev->u.file_io.write)
            snprintf(out, size, "%s: frame 0x%X written to its page %u (page of section '%s'); the frame is clean",
                     f, ev->u.file_io.frame, ev->u.file_io.file_page,
                     narrate_section_name(r, ev->u.file_io.section));
        else
            snprintf(out, size, "%s: page %u read into frame 0x%X (in-page for section '%s')", f,
                     ev->u.file_io.file_page, ev->u.file_io.frame, narrate_section_name(r, ev->u.file_io.section));
        return true;
    case MM_EV_SECTION:
        if (!ev->u.section.created) {
            snprintf(out, size, "section '%s' is deleted: its handle is closed and no view maps it; its frames, "
                     "paging-file slots, pool pages and commit charge are given back (MiSegmentDelete)",
                     narrate_section_name(r, ev->u.section.section));
            return true;
        }
        if (!mm_section_info(m, ev->u.section.section, &info))
            return false;
        if (info.file == MM_NO_FILE)
            snprintf(out, size, "section '%s' (handle %u): %u prototype PTE%s at 0x%08X in %u page%s of paged pool, "
                     "each demand-zero; %u page%s charged to commit now", narrate_section_name(r, ev->u.section.section),
                     ev->u.section.section, info.pages, info.pages == 1 ? "" : "s", info.proto, info.pool_pages,
                     info.pool_pages == 1 ? "" : "s", info.charge, info.charge == 1 ? "" : "s");
        else {
            file_name(m, info.file, f, sizeof f);
            snprintf(out, size, "section '%s' (handle %u) of %s%s: %u prototype PTE%s at 0x%08X in %u page%s of "
                     "paged pool, each a subsection PTE (the page is in the file)",
                     narrate_section_name(r, ev->u.section.section), ev->u.section.section, f,
                     info.image ? ", an image" : "", info.pages, info.pages == 1 ? "" : "s", info.proto,
                     info.pool_pages, info.pool_pages == 1 ? "" : "s");
        }
        return true;
    case MM_EV_VIEW:
        snprintf(out, size, "view of section '%s' %s 0x%08X-0x%08X of %s (section pages %u-%u)%s",
                 narrate_section_name(r, ev->u.view.section), ev->u.view.mapped ? "mapped at" : "unmapped from",
                 ev->u.view.base, ev->u.view.base + ev->u.view.pages * PAGE_SIZE - 1, pname(m, ev->pid),
                 ev->u.view.first_page, ev->u.view.first_page + ev->u.view.pages - 1,
                 ev->u.view.mapped ? ": a VAD marked as a mapped view; no PTE is written until a page is touched"
                                   : "");
        return true;
    default:
        return false;
    }
}

void narrate_section_json(FILE *o, const struct mm_event *ev)
{
    switch (ev->kind) {
    case MM_EV_FILE_IO:
        fprintf(o, ",\"op\":\"%s\",\"file\":%u,\"file_page\":%u,\"section\":%u,\"frame\":%u",
                ev->u.file_io.write ? "write" : "read", ev->u.file_io.file, ev->u.file_io.file_page,
                ev->u.file_io.section, ev->u.file_io.frame);
        break;
    case MM_EV_SECTION:
        fprintf(o, ",\"section\":%u,\"created\":%s", ev->u.section.section, ev->u.section.created ? "true" : "false");
        break;
    case MM_EV_VIEW:
        fprintf(o, ",\"section\":%u,\"base\":\"0x%08X\",\"pages\":%u,\"first_page\":%u,\"mapped\":%s",
                ev->u.view.section, ev->u.view.base, ev->u.view.pages, ev->u.view.first_page,
                ev->u.view.mapped ? "true" : "false");
        break;
    default:
        break;
    }
}

void narrate_section_walk(FILE *out, const struct mm_machine *m, uint32_t pid, mm_va va, mm_pte pte)
{
    mm_va proto_va;
    const struct mm_vad *v = view_at(m, pid, va);
    if (pte_proto_lookup_needed(pte) && v)
        proto_va = view_proto_va(m, v, va);
    else if (pte_classify(pte) == PTE_FORM_PROTOTYPE && !(pte & PTE_WHICH_POOL_SUBSECTION))
        proto_va = pte_proto_address(pte);
    else if (pte == 0 && v)
        proto_va = view_proto_va(m, v, va);
    else
        return;
    uint32_t section, page;
    mm_pfn pool;
    if (!mm_proto_lookup(m, proto_va, &section, &page, &pool)) {
        fprintf(out, "    prototype PTE at 0x%08X: no live section holds it\n", proto_va);
        return;
    }
    mm_va pva;
    mm_pte proto;
    char d[128];
    struct mm_section_info info;
    mm_proto_pte(m, section, page, &pva, &proto);
    mm_section_info(m, section, &info);
    narrate_pte_value(d, sizeof d, proto);
    if (pte == 0)
        fprintf(out, "    the PTE is zero, and the VAD says a view of section '%s': its prototype PTE is found "
                     "through the VAD (MiGetProtoPteAddress)\n", info.name);
    fprintf(out, "    prototype PTE at 0x%08X (paged pool, frame 0x%X; section '%s', page %u) = 0x%08X (%s)\n",
            proto_va, pool, info.name, page, proto, d);
}
