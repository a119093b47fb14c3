/*
 * test_section.c - sections in the picture: shared frames split into one
 * stripe per process mapping them, paged-pool frames of prototype PTEs in
 * their own colour, the PFN panel naming every mapper, the segment panel
 * listing a section's prototype PTEs in each form, and walks that go
 * through a prototype PTE (resolved, refused, unresolved).
 *
 * Most tests open a small scenario with two processes and then drive the
 * engine's API directly, to reach every prototype-PTE form in one state
 * (files, sections, views, reads, writes, trims, the writer, a purge),
 * and draw the machine as it is (viz_headless_render_now). Every picture
 * also passes the text checks: no text over text, none across a panel.
 *
 *   test_viz --section-shot PNG [light]   writes the picture of that state
 */
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "viztest.h"

static const char two_processes[] =
    "{\"name\": \"sections\", \"title\": \"Two processes share sections\","
    " \"description\": \"the sections are made through the engine's API by the test\","
    " \"machine\": {\"frames\": 64, \"pagefiles\": [\"1M\"]},"
    " \"processes\": [{\"name\": \"a\"}, {\"name\": \"b\"}],"
    " \"steps\": [{\"op\": \"note\", \"text\": \"two processes, no section yet\"}]}";

/* What the state holds (see build). */
struct state {
    uint32_t a, b;              /* pids */
    uint32_t shm, map, file;    /* the paging-file section, the file section, its file */
    mm_va a_shm, b_shm, a_map, b_map, b_cow;
    mm_pfn shared, mapped;      /* shm page 0 (a and b), map page 1 (a and b) */
};

#define STEP(call)                                                                  \
    do {                                                                            \
        mm_status st_ = (call);                                                     \
        CHECK(st_ == STATUS_SUCCESS, "%s: %s", #call, mm_status_name(st_));         \
    } while (0)

/* shm (4 pages, paging file), in a and b read/write:
 *   page 0 valid, written by a, read by b: ShareCount 2
 *   page 1 written by b, trimmed, flushed to the paging file, purged: page-file form
 *   page 2 written by b, trimmed: transition on Modified
 *   page 3 never touched: demand zero
 * map (data.bin, 4 pages), in a read/write, in b read-only and again
 * copy-on-write (never touched there):
 *   page 1 read by a (from the file) and by b: ShareCount 2
 *   pages 0, 2, 3 in the file: subsection PTEs
 * b's PTEs of shm pages 1 and 2 are prototype pointers (trimmed). */
static bool build(struct viz_app *app, struct state *s)
{
    struct mm_machine *m = app->vm.r.m;
    memset(s, 0, sizeof *s);
    s->a = replay_pid(&app->vm.r, 0);
    s->b = replay_pid(&app->vm.r, 1);
    STEP(mm_file_create(m, "data.bin", 4, &s->file));
    for (uint32_t page = 0; page < 4; page++)
        STEP(mm_file_write32(m, s->file, page * PAGE_SIZE, 0xF11E0000u | page));
    struct mm_section_params shm = {.name = "shm", .pages = 4, .file = MM_NO_FILE, .protection = PAGE_READWRITE};
    struct mm_section_params map = {.name = "map", .pages = 0, .file = s->file, .protection = PAGE_READWRITE};
    STEP(mm_create_section(m, &shm, &s->shm));
    STEP(mm_create_section(m, &map, &s->map));
    uint32_t pages = 0;
    STEP(mm_map_view(m, s->a, s->shm, &s->a_shm, 0, &pages, PAGE_READWRITE));
    pages = 0;
    STEP(mm_map_view(m, s->b, s->shm, &s->b_shm, 0, &pages, PAGE_READWRITE));
    pages = 0;
    STEP(mm_map_view(m, s->a, s->map, &s->a_map, 0, &pages, PAGE_READWRITE));
    pages = 0;
    STEP(mm_map_view(m, s->b, s->map, &s->b_map, 0, &pages, PAGE_READONLY));
    pages = 0;
    STEP(mm_map_view(m, s->b, s->map, &s->b_cow, 0, &pages, PAGE_WRITECOPY));
    STEP(mm_write32(m, s->b, s->b_shm + PAGE_SIZE, 0x1111));
    mm_trim(m, s->b, 1000);
    STEP(mm_memory_list_command(m, MemoryFlushModifiedList));
    STEP(mm_memory_list_command(m, MemoryPurgeStandbyList));
    STEP(mm_write32(m, s->b, s->b_shm + 2 * PAGE_SIZE, 0x2222));
    mm_trim(m, s->b, 1000);
    uint32_t v;
    STEP(mm_write32(m, s->a, s->a_shm, 0xAAAA));
    STEP(mm_read32(m, s->b, s->b_shm, &v));
    CHECK(v == 0xAAAA, "b reads 0x%X from the shared page", v);
    STEP(mm_read32(m, s->a, s->a_map + PAGE_SIZE, &v));
    STEP(mm_read32(m, s->b, s->b_map + PAGE_SIZE, &v));
    CHECK(v == 0xF11E0001u, "b reads 0x%X from the file's page 1", v);
    struct mm_walk w;
    STEP(mm_walk(m, s->a, s->a_shm, &w));
    s->shared = w.frame;
    STEP(mm_walk(m, s->a, s->a_map + PAGE_SIZE, &w));
    s->mapped = w.frame;
    char msg[256];
    CHECK(mm_check(m, msg, sizeof msg), "invariant: %s", msg);
    viz_model_machine_changed(&app->vm);
    return true;
}

/* An app on the two-process scenario with the state built, drawn at w x h. */
static SDL_Surface *open_state(struct viz_app *a, struct state *s, int w, int h)
{
    if (!open_app(a, "sections.json", two_processes))
        return NULL;
    char err[256];
    if (!render(a, 0, w, h) || !build(a, s))
        return NULL;
    SDL_Surface *surface = viz_headless_render_now(a, w, h, err, sizeof err);
    if (!surface)
        snprintf(why, sizeof why, "render: %s", err);
    return surface;
}

static void redraw(struct viz_app *a)
{
    viz_gfx_boxes_clear(&a->gfx);
    viz_draw(&a->gfx, &a->lay, &a->vm, &a->ui);
    SDL_RenderPresent(a->ren);
}

/* Is there a piece of text containing `text`? */
static bool shows(const struct viz_app *a, const char *text)
{
    for (size_t i = 0; i < a->gfx.nboxes; i++)
        if (strstr(a->gfx.boxes[i].text, text))
            return true;
    return false;
}

/* Does the text drawn in a panel, its pieces joined by a space (so a
 * wrapped line reads whole again), contain `text`? */
static bool panel_says(const struct viz_app *a, const SDL_Rect *panel, const char *text)
{
    static char buf[8000];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < a->gfx.nboxes && len + 100 < sizeof buf; i++) {
        SDL_Rect in;
        if (SDL_IntersectRect(&a->gfx.boxes[i].r, panel, &in))
            len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", len ? " " : "", a->gfx.boxes[i].text);
    }
    return strstr(buf, text) != NULL;
}

/* All the text drawn, one piece a line, for messages. */
static const char *all_text(const struct viz_app *a, const SDL_Rect *panel)
{
    static char buf[4000];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < a->gfx.nboxes && len + 100 < sizeof buf; i++) {
        SDL_Rect in;
        if (panel && !SDL_IntersectRect(&a->gfx.boxes[i].r, panel, &in))
            continue;
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s\n", a->gfx.boxes[i].text);
    }
    return buf;
}

/* ---- the grid ---- */

/* The centre of stripe i of k of a frame's cell (the drawing's split). */
static uint32_t stripe_pixel(const struct viz_app *a, const SDL_Surface *s, mm_pfn f, int i, int k)
{
    SDL_Rect r;
    viz_frame_rect(&a->lay, f, &r);
    int x0 = i * r.w / k, x1 = (i + 1) * r.w / k;
    return pixel(s, r.x + (x0 + x1) / 2, r.y + r.h * 3 / 4);
}

/* The shared frames are split: a's colour on the left, b's on the right;
 * a bottom edge in the mark colour; the pool frame in the pool colour; a
 * page of shm on Modified keeps its list colour and the edge; every
 * cell's sample point has the colour viz_frame_color says. */
static bool test_grid(void)
{
    struct viz_app a;
    struct state st;
    SDL_Surface *s = open_state(&a, &st, 1280, 800);
    bool ok = s != NULL;
    uint32_t ca = viz_location_color(ActiveAndValid, 0, 0), cb = viz_location_color(ActiveAndValid, 0, 1);
    const struct mm_machine *m = s ? a.vm.r.m : NULL;
    for (int k = 0; ok && k < 2; k++) {
        mm_pfn f = k ? st.mapped : st.shared;
        const struct mmpfn *p = mm_pfn_entry(m, f);
        SDL_Rect r;
        viz_frame_rect(&a.lay, f, &r);
        uint32_t left = stripe_pixel(&a, s, f, 0, 2), right = stripe_pixel(&a, s, f, 1, 2);
        uint32_t foot = pixel(s, r.x + r.w / 2, r.y + r.h - 1);
        if (p->u2.share_count != 2 || !pfn_flag(p, PFN_PROTOTYPE_PTE))
            snprintf(why, sizeof why, "frame 0x%X: ShareCount %u, PrototypePte %d", f, p->u2.share_count,
                     pfn_flag(p, PFN_PROTOTYPE_PTE));
        else if (left != ca || right != cb)
            snprintf(why, sizeof why, "frame 0x%X: stripes #%06X | #%06X, a's and b's colours are #%06X | #%06X", f,
                     left, right, ca, cb);
        else if (foot != VIZ_MARK)
            snprintf(why, sizeof why, "frame 0x%X: no section edge at its bottom (#%06X)", f, foot);
        else
            continue;
        ok = false;
    }
    uint32_t pools = 0;
    for (mm_pfn f = 0; ok && f < mm_frame_count(m); f++) {
        uint32_t got, want = viz_frame_color(&a.lay, &a.vm, f);
        int x, y;
        viz_frame_sample(&a.lay, f, &x, &y);
        got = pixel(s, x, y);
        if (got != want) {
            snprintf(why, sizeof why, "frame 0x%X's cell is #%06X, expected #%06X", f, got, want);
            ok = false;
        }
        if (mm_frame_is_pool(m, f)) {
            pools++;
            if (ok && got != viz_palette()->proto_pool) {
                snprintf(why, sizeof why, "pool frame 0x%X is #%06X, not the pool colour", f, got);
                ok = false;
            }
        } else if (ok && got == viz_palette()->proto_pool) {
            snprintf(why, sizeof why, "frame 0x%X is not pool but has its colour", f);
            ok = false;
        }
    }
    if (ok && pools != 2) {
        snprintf(why, sizeof why, "%u pool frames (one per section expected)", pools);
        ok = false;
    }
    /* shm page 2 is on Modified: the list colour, with the section edge */
    struct mm_walk w;
    if (ok && mm_walk(m, st.b, st.b_shm + 2 * PAGE_SIZE, &w) == STATUS_SUCCESS) {
        uint32_t section, page;
        mm_pfn pool, f;
        mm_va at;
        mm_pte proto;
        ok = mm_proto_lookup(m, pte_proto_address(w.pte), &section, &page, &pool) &&
             mm_proto_pte(m, section, page, &at, &proto) && pte_is_transition(proto);
        f = pte_frame(proto);
        SDL_Rect r;
        viz_frame_rect(&a.lay, f, &r);
        if (!ok)
            snprintf(why, sizeof why, "b's PTE of shm page 2 (0x%08X) does not lead to a transition prototype PTE",
                     w.pte);
        else if (stripe_pixel(&a, s, f, 0, 1) != viz_location_color(ModifiedPageList, 0, -1) ||
                 pixel(s, r.x + r.w / 2, r.y + r.h - 1) != VIZ_MARK) {
            snprintf(why, sizeof why, "frame 0x%X (shm page 2, Modified) is not Modified with a section edge", f);
            ok = false;
        }
    }
    viz_app_free(&a);
    return ok;
}

/* The same in the light theme: every colour comes from the palette. */
static bool test_grid_light(void)
{
    viz_set_theme("light");
    bool ok = test_grid();
    viz_set_theme("dark");
    return ok;
}

/* ---- the PFN panel ---- */

static bool test_pfn_panel(void)
{
    struct viz_app a;
    struct state st;
    bool ok = open_state(&a, &st, 1280, 800) != NULL;
    char want[160];
    if (ok) {
        a.gfx.record_boxes = true;
        a.ui.has_frame = true;
        a.ui.frame = st.shared;
        redraw(&a);
        snprintf(want, sizeof want, "mapped by 2: a at 0x%08X, b at 0x%08X", st.a_shm, st.b_shm);
        const struct mmpfn *p = mm_pfn_entry(a.vm.r.m, st.shared);
        char proto[120];
        snprintf(proto, sizeof proto, "PteAddress    0x%08X prototype PTE 0 of 'shm'", p->pte_address);
        if (!panel_says(&a, &a.lay.pfn, want) || !panel_says(&a, &a.lay.pfn, proto) ||
            !panel_says(&a, &a.lay.pfn, "PrototypePte")) {
            snprintf(why, sizeof why, "the PFN panel of frame 0x%X lacks '%s' or '%s':\n%s", st.shared, want, proto,
                     all_text(&a, &a.lay.pfn));
            ok = false;
        }
    }
    for (mm_pfn f = 0; ok && f < mm_frame_count(a.vm.r.m); f++) {
        if (!mm_frame_is_pool(a.vm.r.m, f))
            continue;
        a.ui.frame = f;
        redraw(&a);
        if (!panel_says(&a, &a.lay.pfn, "paged pool: prototype PTEs of section ")) {
            snprintf(why, sizeof why, "pool frame 0x%X's PFN panel does not say whose prototype PTEs it holds:\n%s", f,
                     all_text(&a, &a.lay.pfn));
            ok = false;
        }
    }
    if (ok) {
        /* the legend names both marks and the pool colour */
        if (!shows(&a, "section page") || !shows(&a, "prototype PTEs  available")) {
            snprintf(why, sizeof why, "the legend lacks the section page or the pool:\n%s", all_text(&a, &a.lay.legend));
            ok = false;
        }
    }
    viz_app_free(&a);
    return ok;
}

/* ---- the segment panel ---- */

static bool test_segment_panel(void)
{
    struct viz_app a;
    struct state st;
    bool ok = open_state(&a, &st, 1280, 800) != NULL;
    if (ok) {
        a.gfx.record_boxes = true;
        a.ui.process = 1;   /* b */
        a.ui.walk_va = st.b_shm + 2 * PAGE_SIZE;
        redraw(&a);
        SDL_Rect vads, seg;
        char frame0[80], frame2[80];
        mm_va at;
        mm_pte proto;
        mm_proto_pte(a.vm.r.m, st.shm, 2, &at, &proto);
        snprintf(frame0, sizeof frame0, "valid: frame 0x%X, ShareCount 2: a b", st.shared);
        snprintf(frame2, sizeof frame2, "transition: frame 0x%X on Modified", pte_frame(proto));
        const char *want[] = {"Segment of section 0 'shm' (paging file, 4 pages, 2 views)", frame0,
                              "paging file 0, slot 0x", frame2, "demand zero: no page yet", "> "};
        ok = viz_vads_split(&a.lay, &a.vm, &a.ui, &vads, &seg);
        if (!ok)
            snprintf(why, sizeof why, "no segment panel with two live sections");
        for (size_t i = 0; ok && i < sizeof want / sizeof want[0]; i++)
            if (!shows(&a, want[i])) {
                snprintf(why, sizeof why, "the segment panel lacks '%s':\n%s", want[i], all_text(&a, &seg));
                ok = false;
            }
        /* the walked page's row is marked */
        char row[40];
        snprintf(row, sizeof row, ">    2 0x%08X", at);
        if (ok && !shows(&a, row)) {
            snprintf(why, sizeof why, "the walked page's row ('%s') is not marked:\n%s", row, all_text(&a, &seg));
            ok = false;
        }
        /* following a's view of the file section instead */
        a.ui.process = 0;
        a.ui.walk_va = st.a_map;
        redraw(&a);
        if (ok && (!shows(&a, "Segment of section 1 'map' (file data.bin, 4 pages, 3 views)") ||
                   !shows(&a, "in the file data.bin, subsection 0") || !shows(&a, "ShareCount 2: a b"))) {
            snprintf(why, sizeof why, "following a's view of map:\n%s", all_text(&a, &seg));
            ok = false;
        }
        /* the VADs panel names the views */
        if (ok && !shows(&a, "view of 1 'map'")) {
            snprintf(why, sizeof why, "the VADs panel does not name a's view of map:\n%s", all_text(&a, &a.lay.vads));
            ok = false;
        }
    }
    viz_app_free(&a);
    return ok;
}

/* A click on a segment row shows its frame and walks that page in the
 * selected process's view. */
static bool test_segment_click(void)
{
    struct viz_app a;
    struct state st;
    bool ok = open_state(&a, &st, 1280, 800) != NULL;
    if (ok) {
        a.ui.process = 1;   /* b, walking shm page 2 */
        a.ui.walk_va = st.b_shm + 2 * PAGE_SIZE;
        SDL_Rect vads, seg;
        uint32_t section, page = 99;
        ok = viz_vads_split(&a.lay, &a.vm, &a.ui, &vads, &seg);
        /* the rows start under the title and the column heads */
        int x = seg.x + 40, y0 = seg.y + 6 + 2 * a.lay.line_h + a.lay.line_h / 2;
        for (uint32_t want = 0; ok && want < 4; want++) {
            int y = y0 + (int)want * a.lay.line_h;
            if (!viz_segment_page_at(&a.lay, &a.vm, &a.ui, x, y, &section, &page) || section != st.shm ||
                page != want) {
                snprintf(why, sizeof why, "row %u of the segment panel is page %u of section %u", want, page, section);
                ok = false;
            }
        }
        if (ok && viz_segment_page_at(&a.lay, &a.vm, &a.ui, x, y0 - a.lay.line_h, &section, &page)) {
            snprintf(why, sizeof why, "the column heads are taken for a row");
            ok = false;
        }
        SDL_Event e = {0};
        e.type = SDL_MOUSEBUTTONDOWN;
        e.button.button = SDL_BUTTON_LEFT;
        e.button.x = x;
        e.button.y = y0;   /* page 0: valid, frame st.shared */
        if (ok) {
            viz_app_event(&a, &e);
            if (!a.ui.has_frame || a.ui.frame != st.shared || a.ui.walk_va != st.b_shm) {
                snprintf(why, sizeof why, "a click on page 0's row shows frame 0x%X and walks 0x%08X", a.ui.frame,
                         a.ui.walk_va);
                ok = false;
            }
        }
    }
    viz_app_free(&a);
    return ok;
}

/* ---- the walk ---- */

struct walk_case {
    int process;                /* 0 a, 1 b */
    int which;                  /* 0 shm, 1 map, 2 b's copy-on-write view of map */
    uint32_t page;
    const char *want[4];
};

static bool walk_shows(struct viz_app *a, const struct state *st, const struct walk_case *c)
{
    a->ui.process = c->process;
    mm_va base = c->which == 2 ? st->b_cow : c->which ? (c->process ? st->b_map : st->a_map) :
                 (c->process ? st->b_shm : st->a_shm);
    a->ui.walk_va = base + c->page * PAGE_SIZE;
    a->ui.walk_pinned = true;
    redraw(a);
    for (int i = 0; i < 4 && c->want[i]; i++)
        CHECK(panel_says(a, &a->lay.walk, c->want[i]), "the walk of %s's %s page %u lacks '%s':\n%s", c->process ? "b" : "a",
              c->which ? "map" : "shm", c->page, c->want[i], all_text(a, &a->lay.walk));
    return true;
}

static bool test_walk(void)
{
    struct viz_app a;
    struct state st;
    bool ok = open_state(&a, &st, 1280, 800) != NULL;
    a.gfx.record_boxes = true;
    const struct walk_case cases[] = {
        {1, 0, 2, {"Prototype=1: the PTE points at the prototype PTE at 0xE1", "Prototype PTE at 0xE1",
                   "section 0 'shm' page 2", "a read now would raise transition"}},
        {1, 0, 1, {"prototype pointer P=1", "paging file: PageFileHigh=", "a read now would raise page-file"}},
        {0, 0, 3, {"zero in a view: its VAD leads to section 0 page 3", "demand zero",
                   "a read now would raise demand-zero"}},
        {0, 1, 2, {"zero in a view: its VAD leads to section 1 page 2", "subsection PTE: P=1 Prot=0x4 (PAGE_READWRITE)",
                   "in the file data.bin",
                   "a read now would raise mapped-file"}},
        {0, 0, 0, {"a page of section 0 'shm' (page 0)", "ShareCount 2", "-> frame 0x",
                   "a write now: allowed, seen by every process mapping the page"}},
        {1, 1, 1, {"a page of section 1 'map' (page 1)", "refused: a write now raises access-violation"}},
        {1, 2, 2, {"zero in a view: its VAD leads to section 1 page 2", "a read now would raise mapped-file",
                   "a write now: mapped-file, then a private copy"}},
    };
    for (size_t i = 0; ok && i < sizeof cases / sizeof cases[0]; i++)
        ok = walk_shows(&a, &st, &cases[i]);
    /* a prototype pointer no section holds: unresolved (a broken machine:
     * the banner says so too) */
    if (ok) {
        struct mm_walk w;
        mm_va va = st.b_shm + 3 * PAGE_SIZE;
        mm_walk(a.vm.r.m, st.b, va, &w);
        if (w.pte != 0 || !w.pde_valid) {
            snprintf(why, sizeof why, "b's PTE of shm page 3 is 0x%08X (PDE valid %d), not zero", w.pte, w.pde_valid);
            ok = false;
        } else {
            mm_pte bogus = pte_make_proto_pointer(MM_PROTO_LIMIT - 4);
            phys_write32(&a.vm.r.m->phys, w.pte_pa >> PAGE_SHIFT, w.pte_pa & 0xFFFu, bogus);
            viz_model_machine_changed(&a.vm);
            a.ui.process = 1;
            a.ui.walk_va = va;
            redraw(&a);
            char want[80];
            snprintf(want, sizeof want, "unresolved: no live section has a prototype PTE at 0x%08X", MM_PROTO_LIMIT - 4);
            if (!panel_says(&a, &a.lay.walk, want)) {
                snprintf(why, sizeof why, "the walk of a bogus prototype pointer lacks '%s':\n%s", want,
                         all_text(&a, &a.lay.walk));
                ok = false;
            }
            phys_write32(&a.vm.r.m->phys, w.pte_pa >> PAGE_SHIFT, w.pte_pa & 0xFFFu, 0);
        }
    }
    viz_app_free(&a);
    return ok;
}

/* ---- no text over text ---- */

/* The state at 1280x800 and 640x400, every process and a walk of every
 * page of every view: no two pieces of text overlap, none crosses a
 * panel, no walk/PFN line is cut. */
static bool test_no_overlap(void)
{
    static const int sizes[][2] = {{1280, 800}, {640, 400}, {1920, 1080}};
    uint32_t pictures = 0;
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        struct viz_app a;
        struct state st;
        if (!open_state(&a, &st, sizes[k][0], sizes[k][1]))
            return false;
        a.gfx.record_boxes = true;
        bool ok = true;
        for (int p = 0; ok && p < 2; p++)
            for (int v = 0; ok && v < 2; v++)
                for (uint32_t page = 0; ok && page < 4; page++) {
                    mm_va base = v ? (p ? st.b_map : st.a_map) : (p ? st.b_shm : st.a_shm);
                    a.ui.process = p;
                    a.ui.walk_va = base + page * PAGE_SIZE;
                    a.ui.has_frame = true;
                    a.ui.frame = (page & 1) ? st.shared : st.mapped;
                    redraw(&a);
                    char what[120];
                    snprintf(what, sizeof what, "sections at %dx%d, %s walks 0x%08X", sizes[k][0], sizes[k][1],
                             p ? "b" : "a", a.ui.walk_va);
                    ok = text_boxes_ok(&a, what);
                    pictures++;
                }
        viz_app_free(&a);
        if (!ok)
            return false;
    }
    printf("  (%u pictures of sections checked)\n", pictures);
    return true;
}

/* A step of the scenario that maps, unmaps or flushes a view at an
 * address is about that address: the walk panel follows it. */
static bool test_view_steps_followed(void)
{
    static const char text[] =
        "{\"name\": \"views\", \"description\": \"d\", \"machine\": {\"frames\": 64, \"pagefiles\": [\"1M\"]},"
        " \"processes\": [{\"name\": \"a\"}, {\"name\": \"b\"}], \"steps\": ["
        "{\"op\": \"create_section\", \"name\": \"s\", \"size\": \"16K\"},"
        "{\"op\": \"map_view\", \"process\": \"b\", \"section\": \"s\", \"address\": \"0x00500000\"},"
        "{\"op\": \"map_view\", \"process\": \"a\", \"section\": \"s\"},"
        "{\"op\": \"flush_view\", \"process\": \"b\", \"address\": \"0x00501000\"},"
        "{\"op\": \"unmap_view\", \"process\": \"b\", \"address\": \"0x00500000\"}]}";
    struct viz_app a;
    if (!open_app(&a, "views.json", text))
        return false;               /* why says what failed */
    static const struct { uint32_t step; bool about; mm_va va; int process; } want[] = {
        {1, false, 0, 0}, {2, true, 0x00500000u, 1}, {3, false, 0, 0}, {4, true, 0x00501000u, 1},
        {5, true, 0x00500000u, 1},
    };
    bool ok = true;
    for (size_t i = 0; ok && i < sizeof want / sizeof want[0]; i++) {
        viz_model_goto(&a.vm, want[i].step);
        mm_va va = 0;
        int process = -1;
        bool about = viz_model_step_va(&a.vm, &va, &process);
        ok = about == want[i].about && (!about || (va == want[i].va && process == want[i].process));
        if (!ok)
            snprintf(why, sizeof why, "step %u: about %d va 0x%08X process %d", want[i].step, about, va, process);
    }
    viz_model_close(&a.vm);
    return ok;
}

void section_tests(void (*run)(const char *name, bool (*fn)(void)))
{
    run("sections: a shared frame is split between its processes, pool frames have their colour", test_grid);
    run("sections: the same in the light theme", test_grid_light);
    run("sections: the PFN panel lists every process mapping a shared frame; pool frames say whose", test_pfn_panel);
    run("sections: the segment panel lists the prototype PTEs in each form, following the process's view",
        test_segment_panel);
    run("sections: a click on a segment row shows its frame and walks the page in the view", test_segment_click);
    run("sections: walks through prototype PTEs, refused and unresolved ones said so", test_walk);
    run("sections: no text over text at 640x400, 1280x800, 1920x1080", test_no_overlap);
    run("sections: steps that map, flush or unmap a view at an address are followed by the walk",
        test_view_steps_followed);
}

int section_shot(const char *png, bool light)
{
    struct viz_app a;
    struct state st;
    if (light)
        viz_set_theme("light");
    if (!open_state(&a, &st, 1280, 800)) {
        fprintf(stderr, "test_viz: %s\n", why);
        return 1;
    }
    a.ui.process = 1;
    a.ui.walk_va = st.b_shm + 2 * PAGE_SIZE;
    a.ui.has_frame = true;
    a.ui.frame = st.shared;
    redraw(&a);
    int status = viz_app_save_png(&a, png) ? 0 : 1;
    viz_app_free(&a);
    return status;
}
