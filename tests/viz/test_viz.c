/*
 * test_viz.c - the visualizer's pictures checked against the engine.
 *
 * Each test renders a scenario headless at a chosen step and samples the
 * centre pixel of frames' cells (found with viz_frame_rect, the layout the
 * drawing uses): the colour must be the one for the list the engine says
 * the frame is on. No whole-image comparison with a stored picture, except
 * that stepping forward then back must give back the identical picture.
 *
 *   test_viz                      run every test; one line each
 *   test_viz --check-shot PNG FILE STEP
 *                                 a window's screenshot (see run.sh) shows
 *                                 every frame of FILE at STEP in its colour
 *   test_viz --section-shot PNG [light]
 *                                 the picture of two processes sharing
 *                                 sections (test_section.c)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL_image.h>

#include "kd.h"
#include "viztest.h"

int passed, failed;
char why[700];
const char *font_path;

bool open_app(struct viz_app *a, const char *file, const char *text)
{
    memset(a, 0, sizeof *a);
    viz_ui_init(&a->ui);
    a->font_path = font_path;
    struct scn_errors errs;
    struct scenario *sc = scenario_load(file, text, text ? strlen(text) : 0, &errs);
    if (!sc) {
        char line[SCN_ERROR_TEXT];
        scenario_format_error(file, &errs.e[0], line, sizeof line);
        snprintf(why, sizeof why, "%.600s", line);   /* the start of the line: why is short */
        return false;
    }
    char err[256];
    if (!viz_model_open(&a->vm, sc, err, sizeof err)) {
        snprintf(why, sizeof why, "%s: %s", file, err);
        viz_model_close(&a->vm);
        return false;
    }
    return true;
}

SDL_Surface *render(struct viz_app *a, uint32_t step, int w, int h)
{
    char err[256];
    SDL_Surface *s = viz_headless_render(a, step, w, h, err, sizeof err);
    if (!s)
        snprintf(why, sizeof why, "render: %s", err);
    return s;
}

uint32_t pixel(const SDL_Surface *s, int x, int y)
{
    const uint32_t *row = (const uint32_t *)((const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch);
    return row[x] & 0xFFFFFFu;
}

/* The colour of a frame's cell, at the point clear of its number and its
 * page-table edge. */
static uint32_t cell_centre(const struct viz_app *a, const SDL_Surface *s, uint32_t frame)
{
    int x, y;
    if (!viz_frame_sample(&a->lay, frame, &x, &y))
        return 0xFFFFFFFFu;
    return pixel(s, x, y);
}

/* ---- a frame on a named list, in the picture and in the engine ---- */

struct point {
    const char *file;
    uint32_t step;
    mm_pfn frame;
    enum mm_list list;
    int priority;       /* Standby: the priority; Active: the owner's index */
};

static const struct point points[] = {
    {"scenarios/trim-soft-fault.json", 3, 4, ActiveAndValid, 0},
    {"scenarios/trim-soft-fault.json", 4, 4, ModifiedPageList, 0},          /* trimmed, dirty */
    {"scenarios/trim-soft-fault.json", 5, 4, ActiveAndValid, 0},            /* soft fault back */
    {"scenarios/trim-soft-fault.json", 7, 4, StandbyPageList, 5},           /* written, clean */
    {"scenarios/trim-soft-fault.json", 11, 5, ModifiedPageList, 0},
    {"scenarios/demand-zero.json", 2, 4, ActiveAndValid, 0},
    {"scenarios/demand-zero.json", 0, 10, ZeroedPageList, 0},
    {"scenarios/modified-writer-hard-fault.json", 4, 4, ModifiedPageList, 0},
    {"scenarios/modified-writer-hard-fault.json", 6, 4, StandbyPageList, 5},
    {"scenarios/modified-writer-hard-fault.json", 9, 4, ActiveAndValid, 0},  /* read back */
};

static bool check_point(const struct point *p, int w, int h)
{
    struct viz_app a;
    if (!open_app(&a, p->file, NULL))
        return false;
    bool ok = false;
    SDL_Surface *s = render(&a, p->step, w, h);
    if (s) {
        const struct mmpfn *e = mm_pfn_entry(a.vm.r.m, p->frame);
        enum mm_list loc = pfn_location(e);
        int extra = loc == StandbyPageList ? (int)pfn_priority(e) : loc == ActiveAndValid ?
                    viz_frame_owner(&a.vm, p->frame) : 0;
        uint32_t want = viz_location_color(p->list, (unsigned)p->priority, p->priority);
        uint32_t got = cell_centre(&a, s, p->frame);
        if (loc != p->list || extra != p->priority)
            snprintf(why, sizeof why, "%s step %u: the engine has frame %u on %s (%d), not %s (%d)", p->file,
                     p->step, p->frame, pfn_list_name(loc), extra, pfn_list_name(p->list), p->priority);
        else if (got != want)
            snprintf(why, sizeof why, "%s step %u %dx%d: frame %u's cell is #%06X, the %s colour is #%06X",
                     p->file, p->step, w, h, p->frame, got, pfn_list_name(p->list), want);
        else
            ok = true;
    }
    viz_app_free(&a);
    return ok;
}

static bool test_points(void)
{
    for (size_t i = 0; i < sizeof points / sizeof points[0]; i++)
        if (!check_point(&points[i], 1280, 800) || !check_point(&points[i], 1920, 1080))
            return false;
    return true;
}

/* ---- every frame's cell against the engine ---- */

static bool sweep(struct viz_app *a, const SDL_Surface *s, const char *what)
{
    for (mm_pfn f = 0; f < mm_frame_count(a->vm.r.m); f++) {
        uint32_t got = cell_centre(a, s, f), want = viz_frame_color(&a->lay, &a->vm, f);
        CHECK(got == want, "%s: frame %u's cell is #%06X, expected #%06X (%s)", what, f, got, want,
              pfn_list_name(pfn_location(mm_pfn_entry(a->vm.r.m, f))));
    }
    return true;
}

static bool sweep_file(const char *file, int w, int h)
{
    struct viz_app a;
    if (!open_app(&a, file, NULL))
        return false;
    bool ok = true;
    for (uint32_t step = 0; ok && step <= a.vm.sc->nops; step++) {
        SDL_Surface *s = render(&a, step, w, h);
        char what[256];
        snprintf(what, sizeof what, "%s step %u at %dx%d", file, step, w, h);
        ok = s && sweep(&a, s, what);
    }
    viz_app_free(&a);
    return ok;
}

static bool test_sweep(void)
{
    static const char *const files[] = {
        "scenarios/purge-sequence.json", "scenarios/multi-process-contention.json",
        "scenarios/low-priority-purge.json", "scenarios/modified-no-write.json",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (!sweep_file(files[i], 1280, 800))
            return false;
    return sweep_file("scenarios/purge-sequence.json", 1920, 1080);
}

/* After the purge nothing is on Standby: no cell has a Standby colour. */
static bool test_purge_empties_standby(void)
{
    struct viz_app a;
    if (!open_app(&a, "scenarios/purge-sequence.json", NULL))
        return false;
    bool ok = true;
    SDL_Surface *s = render(&a, 24, 1280, 800);
    uint32_t standby_before = 0;
    for (mm_pfn f = 0; s && f < mm_frame_count(a.vm.r.m); f++)
        for (unsigned p = 0; p < MM_STANDBY_PRIORITIES; p++)
            standby_before += cell_centre(&a, s, f) == viz_location_color(StandbyPageList, p, -1);
    s = s ? render(&a, 25, 1280, 800) : NULL;
    for (mm_pfn f = 0; s && ok && f < mm_frame_count(a.vm.r.m); f++)
        for (unsigned p = 0; p < MM_STANDBY_PRIORITIES && ok; p++)
            if (cell_centre(&a, s, f) == viz_location_color(StandbyPageList, p, -1)) {
                snprintf(why, sizeof why, "frame %u still looks Standby (priority %u) after the purge", f, p);
                ok = false;
            }
    if (ok && standby_before < 20) {
        snprintf(why, sizeof why, "only %u Standby cells before the purge (27 expected)", standby_before);
        ok = false;
    }
    viz_app_free(&a);
    return s && ok;
}

/* The TLB strip under the walk: one cell per entry, filled for an entry
 * that holds a translation. Two pages used in turn fill one cell of a
 * one-entry TLB and two cells (entries 0x10 and 0x11) of a 64-entry one. */
static bool tlb_cells(const char *file, uint32_t entries, const uint32_t *full, uint32_t nfull)
{
    struct viz_app a;
    if (!open_app(&a, file, NULL))
        return false;
    bool ok = true;
    SDL_Surface *s = render(&a, 14, 1280, 800);
    uint32_t shown = 0, filled = 0;
    SDL_Rect r;
    for (uint32_t i = 0; s && ok && viz_tlb_cell(&a.lay, &a.vm, i, &r); i++) {
        shown++;
        uint32_t got = pixel(s, r.x + r.w / 2, r.y + r.h / 2);
        bool want_full = false;
        for (uint32_t k = 0; k < nfull; k++)
            want_full |= full[k] == i;
        filled += got == VIZ_TLB_FULL;
        if (got != (want_full ? VIZ_TLB_FULL : VIZ_TLB_EMPTY)) {
            snprintf(why, sizeof why, "%s: TLB entry %u is #%06X, expected it %s", file, i, got,
                     want_full ? "full" : "empty");
            ok = false;
        }
    }
    if (ok && s && (shown != entries || filled != nfull)) {
        snprintf(why, sizeof why, "%s: %u TLB cells shown, %u full; expected %u and %u", file, shown, filled,
                 entries, nfull);
        ok = false;
    }
    viz_app_free(&a);
    return s && ok;
}

static bool test_tlb_strip(void)
{
    static const uint32_t one[] = {0}, many[] = {0x10, 0x11};
    return tlb_cells("scenarios/tlb-one-entry.json", 1, one, 1) &&
           tlb_cells("scenarios/tlb-64-entries.json", 64, many, 2);
}

/* Page tables and directories carry a white edge; data pages do not. */
static bool test_table_marks(void)
{
    struct viz_app a;
    if (!open_app(&a, "scenarios/trim-soft-fault.json", NULL))
        return false;
    SDL_Surface *s = render(&a, 3, 1280, 800);
    bool ok = s != NULL;
    for (mm_pfn f = 0; ok && f < 8; f++) {
        SDL_Rect r;
        viz_frame_rect(&a.lay, f, &r);
        bool table = viz_frame_is_table(&a.vm, f);
        bool marked = pixel(s, r.x, r.y + r.h / 2) == VIZ_MARK;
        if (table != marked) {
            snprintf(why, sizeof why, "frame %u: table %d but marked %d", f, table, marked);
            ok = false;
        }
    }
    /* frame 0 is the directory, 3 the page table for 0x00010000, 4 data */
    if (ok && (!viz_frame_is_table(&a.vm, 0) || !viz_frame_is_table(&a.vm, 3) || viz_frame_is_table(&a.vm, 4))) {
        snprintf(why, sizeof why, "frames 0 and 3 should be tables, frame 4 not");
        ok = false;
    }
    viz_app_free(&a);
    return ok;
}

/* ---- forward then back gives the identical picture ---- */

static bool same_after_round_trip(const char *file, uint32_t step)
{
    struct viz_app a;
    if (!open_app(&a, file, NULL))
        return false;
    SDL_Surface *s = render(&a, step, 1280, 800);
    size_t bytes = s ? (size_t)s->pitch * (size_t)s->h : 0;
    uint8_t *before = s ? malloc(bytes) : NULL;
    bool ok = false;
    if (before) {
        memcpy(before, s->pixels, bytes);
        render(&a, step + 1, 1280, 800);
        bool changed = memcmp(before, s->pixels, bytes) != 0;
        render(&a, step, 1280, 800);
        if (!changed)
            snprintf(why, sizeof why, "%s: step %u looks like step %u", file, step + 1, step);
        else if (memcmp(before, s->pixels, bytes) != 0)
            snprintf(why, sizeof why, "%s: step %u differs after going to %u and back", file, step, step + 1);
        else
            ok = true;
    }
    free(before);
    viz_app_free(&a);
    return ok;
}

static bool test_round_trip(void)
{
    return same_after_round_trip("scenarios/trim-soft-fault.json", 3) &&
           same_after_round_trip("scenarios/purge-sequence.json", 24) &&
           same_after_round_trip("scenarios/modified-writer-hard-fault.json", 6);
}

/* ---- the red banner ---- */

static bool test_banner(void)
{
    struct viz_app a;
    if (!open_app(&a, "scenarios/demand-zero.json", NULL))
        return false;
    SDL_Surface *s = render(&a, 3, 1280, 800);
    bool ok = s != NULL;
    int y = a.lay.top.y + a.lay.top.h - 2;
    if (ok && (!a.vm.check_ok || pixel(s, 1, y) == VIZ_ALARM)) {
        snprintf(why, sizeof why, "a banner without a broken invariant");
        ok = false;
    }
    if (ok) {
        a.vm.check_ok = false;   /* as if mm_check had failed */
        snprintf(a.vm.check_msg, sizeof a.vm.check_msg, "test: pretend");
        viz_draw(&a.gfx, &a.lay, &a.vm, &a.ui);
        SDL_RenderPresent(a.ren);
        if (pixel(s, 1, y) != VIZ_ALARM) {
            snprintf(why, sizeof why, "no red banner at y %d (#%06X)", y, pixel(s, 1, y));
            ok = false;
        }
    }
    viz_app_free(&a);
    return ok;
}

/* ---- debugger commands ---- */

/* Count the pixels of a rectangle that differ between two pictures. */
static long differing(const SDL_Surface *a, const SDL_Surface *b, const SDL_Rect *r)
{
    long n = 0;
    for (int y = r->y; y < r->y + r->h; y++)
        for (int x = r->x; x < r->x + r->w; x++)
            n += pixel(a, x, y) != pixel(b, x, y);
    return n;
}

/* 'k' commands: the text is the library's for the selected process; it
 * is drawn over the narration and nowhere else; the next step clears it. */
static bool test_kd(void)
{
    struct viz_app a;
    if (!open_app(&a, "scenarios/trim-soft-fault.json", NULL))
        return false;
    bool ok = true;
    SDL_Surface *s = render(&a, 4, 1280, 800);
    SDL_Surface *before = s ? SDL_DuplicateSurface(s) : NULL;
    ok = before != NULL;
    struct kd_out o;
    kd_out_buffer(&o);
    if (ok) {
        a.ui.process = 0;
        kd_execute(&o, a.vm.r.m, "!pte 10000", viz_ui_pid(&a.vm, &a.ui));
        viz_app_kd(&a, "!pte 10000");
        if (strcmp(a.ui.kd_text, kd_out_text(&o)) != 0 || !strstr(a.ui.kd_text, "Transition: 4")) {
            snprintf(why, sizeof why, "the panel's text differs from the library's:\n%.300s\n---\n%.300s",
                     a.ui.kd_text, kd_out_text(&o));
            ok = false;
        }
    }
    kd_out_free(&o);
    if (ok) {
        viz_draw(&a.gfx, &a.lay, &a.vm, &a.ui);
        SDL_RenderPresent(a.ren);
        long in_story = differing(before, s, &a.lay.story);
        SDL_Rect whole = {0, 0, a.lay.w, a.lay.h};
        long everywhere = differing(before, s, &whole);
        if (in_story < 100 || everywhere != in_story) {
            snprintf(why, sizeof why, "%ld pixels changed in the narration panel, %ld in all", in_story, everywhere);
            ok = false;
        }
    }
    if (ok) {
        viz_app_kd(&a, "!nonsense");
        if (!strstr(a.ui.kd_text, "unknown extension '!nonsense'")) {
            snprintf(why, sizeof why, "a bad command shows: %.300s", a.ui.kd_text);
            ok = false;
        }
    }
    if (ok) {
        /* a long view is cut with a marker, not drawn past the panel */
        viz_app_kd(&a, "!wsle 7");
        viz_draw(&a.gfx, &a.lay, &a.vm, &a.ui);
        SDL_RenderPresent(a.ren);
        SDL_Rect below = {0, a.lay.story.y + a.lay.story.h, a.lay.story.w, a.lay.h - a.lay.story.y - a.lay.story.h};
        if (below.h > 0 && differing(before, s, &below) != 0) {
            snprintf(why, sizeof why, "the debugger text runs past the narration panel");
            ok = false;
        }
    }
    if (ok) {
        viz_app_goto(&a, 5);
        if (a.ui.kd_text[0]) {
            snprintf(why, sizeof why, "the next step kept the debugger output");
            ok = false;
        }
    }
    SDL_FreeSurface(before);
    viz_app_free(&a);
    return ok;
}

/* ---- a 4 GiB machine ---- */

static const char big_machine[] =
    "{\"name\": \"big\", \"title\": \"4 GiB\", \"description\": \"a 4 GiB machine\", \"machine\": {\"frames\": 1048576, \"pagefiles\": [\"1M\"]},"
    " \"processes\": [{\"name\": \"p\"}],"
    " \"steps\": [{\"op\": \"allocate\", \"process\": \"p\", \"address\": \"0x00010000\", \"size\": \"64K\","
    "  \"protect\": \"PAGE_READWRITE\"},"
    " {\"op\": \"touch\", \"process\": \"p\", \"address\": \"0x00010000\", \"size\": \"64K\", \"access\": \"write\"}]}";

static bool test_big_machine(void)
{
    struct viz_app a;
    if (!open_app(&a, "big.json", big_machine))
        return false;
    clock_t t0 = clock();
    SDL_Surface *s = render(&a, 2, 1280, 800);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    bool ok = s != NULL;
    if (ok && a.lay.per_pixel < 2) {
        snprintf(why, sizeof why, "a 1,048,576-frame grid should group frames per pixel");
        ok = false;
    }
    /* the first pixel's group holds the process's frames: Active colour */
    uint32_t want = viz_location_color(ActiveAndValid, 0, 0);
    if (ok && cell_centre(&a, s, 0) != want) {
        snprintf(why, sizeof why, "first pixel #%06X, expected the Active colour #%06X", cell_centre(&a, s, 0), want);
        ok = false;
    }
    uint32_t last = mm_frame_count(a.vm.r.m) - 1;
    if (ok && cell_centre(&a, s, last) != viz_location_color(ZeroedPageList, 0, -1)) {
        snprintf(why, sizeof why, "the last frame's pixel is not Zeroed");
        ok = false;
    }
    viz_app_free(&a);
    printf("  (a 1,048,576-frame machine rendered in %.2f s of CPU)\n", secs);
    return ok;
}

/* ---- the palette: no two meanings share a colour ---- */

static bool test_palette(void)
{
    uint32_t c[64];
    const char *name[64];
    int n = 0;
    static const char *const prio[MM_STANDBY_PRIORITIES] = {"Standby 0", "Standby 1", "Standby 2", "Standby 3",
                                                            "Standby 4", "Standby 5", "Standby 6", "Standby 7"};
    static const char *const owner[8] = {"owner 0", "owner 1", "owner 2", "owner 3",
                                         "owner 4", "owner 5", "owner 6", "owner 7"};
    for (int loc = ZeroedPageList; loc < MM_LIST_COUNT; loc++)
        if (loc != StandbyPageList && loc != ActiveAndValid) {
            c[n] = viz_location_color((enum mm_list)loc, 0, -1);
            name[n++] = pfn_list_name((enum mm_list)loc);
        }
    for (unsigned p = 0; p < MM_STANDBY_PRIORITIES; p++) {
        c[n] = viz_location_color(StandbyPageList, p, -1);
        name[n++] = prio[p];
    }
    for (int o = 0; o < 8; o++) {
        c[n] = viz_location_color(ActiveAndValid, 0, o);
        name[n++] = owner[o];
    }
    c[n] = viz_location_color(ActiveAndValid, 0, -1);
    name[n++] = "Active, no owner";
    c[n] = viz_palette()->proto_pool;
    name[n++] = "paged pool (prototype PTEs)";
    c[n] = VIZ_PANEL;
    name[n++] = "the panel background";
    c[n] = VIZ_MARK;
    name[n++] = "the page-table mark";
    for (int i = 0; i < n; i++)
        for (int k = i + 1; k < n; k++)
            CHECK(c[i] != c[k], "%s and %s are both #%06X", name[i], name[k], c[i]);
    return true;
}

/* ---- readable in each theme ---- */

/* Text on a panel, the banner's words, and a frame number on every cell
 * colour reach WCAG's 4.5:1 for text. */
static bool test_contrast(void)
{
    const struct viz_palette *p = viz_palette();
    const struct { const char *name; uint32_t c; } text[] = {
        {"text", p->text}, {"dim text", p->dim}, {"highlighted text", p->hilite}, {"titles", p->title},
        {"failures", p->failure},
    };
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
        CHECK(viz_contrast(text[i].c, p->panel) >= 4.5, "%s #%06X on the panel #%06X: %.2f:1", text[i].name,
              text[i].c, p->panel, viz_contrast(text[i].c, p->panel));
    CHECK(viz_contrast(p->alarm_text, p->alarm) >= 4.5, "the banner's words: %.2f:1",
          viz_contrast(p->alarm_text, p->alarm));
    for (int loc = ZeroedPageList; loc < MM_LIST_COUNT; loc++)
        for (int k = 0; k < 8; k++) {
            uint32_t cell = viz_location_color((enum mm_list)loc, (unsigned)k, k);
            double c = viz_contrast(viz_label_color(cell), cell);
            CHECK(c >= 4.5, "a frame number on %s (%d) #%06X: %.2f:1", pfn_list_name((enum mm_list)loc), k, cell, c);
        }
    double c = viz_contrast(viz_label_color(p->proto_pool), p->proto_pool);
    CHECK(c >= 4.5, "a frame number on paged pool #%06X: %.2f:1", p->proto_pool, c);
    return true;
}

/* ---- geometry ---- */

static bool test_layout(void)
{
    static const uint32_t counts[] = {16, 64, 1000, 65536, 1048576};
    static const int sizes[][2] = {{640, 400}, {1280, 800}, {1920, 1080}};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
            struct viz_layout l;
            viz_layout_compute(&l, sizes[k][0], sizes[k][1], counts[i], 15, 8);
            for (uint32_t f = 0; f < counts[i]; f += counts[i] / 16 + 1) {
                SDL_Rect r;
                uint32_t back;
                CHECK(viz_frame_rect(&l, f, &r), "no rect for frame %u of %u", f, counts[i]);
                CHECK(r.x >= l.grid.x && r.y >= l.grid.y && r.x + r.w <= l.grid.x + l.grid.w &&
                      r.y + r.h <= l.grid.y + l.grid.h, "frame %u of %u at %dx%d is outside the grid", f,
                      counts[i], sizes[k][0], sizes[k][1]);
                CHECK(viz_frame_at(&l, r.x + r.w / 2, r.y + r.h / 2, &back) && back == f / l.per_pixel * l.per_pixel,
                      "frame %u of %u: the point back is frame %u", f, counts[i], back);
            }
            SDL_Rect r;
            CHECK(!viz_frame_rect(&l, counts[i], &r), "a rect for a frame past the end");
        }
    return true;
}

/* ---- a window's screenshot ---- */

static int check_shot(const char *png, const char *file, uint32_t step)
{
    SDL_Surface *raw = IMG_Load(png);
    if (!raw) {
        fprintf(stderr, "test_viz: cannot read %s: %s\n", png, IMG_GetError());
        return 1;
    }
    SDL_Surface *shot = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    struct viz_app a;
    int status = 1;
    if (shot && open_app(&a, file, NULL)) {
        SDL_Surface *s = render(&a, step, shot->w, shot->h);
        char what[300];
        snprintf(what, sizeof what, "%s (window screenshot) at step %u", png, step);
        if (s && sweep(&a, shot, what)) {
            printf("ok - the window's screenshot %s shows all %u frames of step %u in their colours\n", png,
                   mm_frame_count(a.vm.r.m), step);
            status = 0;
        } else {
            printf("FAIL - window screenshot: %s\n", why);
        }
        viz_app_free(&a);
    }
    SDL_FreeSurface(shot);
    return status;
}

/* The s key saves a picture named after the scenario, in the current
 * directory whatever the name holds: no '/' leads it elsewhere, no control
 * character reaches the file system. */
static bool test_screenshot_name(void)
{
    static const char *const names[][2] = {
        {"../../tmp/evil", "mmviz-.._.._tmp_evil-step0.png"},
        {"/etc/x\\u001b[2J", "mmviz-_etc_x__2J-step0.png"},
        {"demand-zero", "mmviz-demand-zero-step0.png"},
        {"caf\\u00e9", "mmviz-caf__-step0.png"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char text[300];
        snprintf(text, sizeof text, "{\"name\": \"%s\", \"description\": \"d\", \"steps\": [{\"op\": \"note\", "
                 "\"text\": \"n\"}]}", names[i][0]);
        struct viz_app a;
        if (!open_app(&a, "t.json", text))
            return false;
        SDL_Event e;
        memset(&e, 0, sizeof e);
        e.type = SDL_KEYDOWN;
        e.key.keysym.sym = SDLK_s;
        viz_app_event(&a, &e);
        bool same = a.shot_file && strcmp(a.shot_file, names[i][1]) == 0;
        char got[300];
        snprintf(got, sizeof got, "%s", a.shot_file ? a.shot_file : "(none)");
        viz_app_free(&a);
        CHECK(same, "name %s: picture file %s, expected %s", names[i][0], got, names[i][1]);
    }
    return true;
}

static const char *theme = "";

static void run(const char *name, bool (*fn)(void))
{
    why[0] = '\0';
    if (fn()) {
        passed++;
        printf("ok - %s%s\n", name, theme);
    } else {
        failed++;
        printf("FAIL - %s%s: %s\n", name, theme, why);
    }
    fflush(stdout);
}

/* The tests of pixels: in each theme, since every colour comes from the
 * theme's palette. */
static void pixel_tests(void)
{
    run("frames on named lists have their list's colour (1280x800, 1920x1080)", test_points);
    run("every frame's cell matches the engine, every third step", test_sweep);
    run("after the purge no cell is Standby", test_purge_empties_standby);
    run("page tables and directories are marked", test_table_marks);
    run("the TLB strip shows a one-entry and a 64-entry TLB as they are", test_tlb_strip);
    run("forward then back gives the identical picture", test_round_trip);
    run("the red banner shows only when the invariant check fails", test_banner);
    run("a 1,048,576-frame machine draws", test_big_machine);
    run("every list, priority, owner and the pool has its own colour", test_palette);
    run("text, the banner and frame numbers reach 4.5:1 contrast", test_contrast);
    run("debugger commands show the library's text in the narration panel, until the next step", test_kd);
}

int main(int argc, char **argv)
{
    char *owned = NULL;
    font_path = viz_find_font(&owned);
    if (!font_path) {
        fprintf(stderr, "test_viz: no DejaVu Sans Mono font\n");
        return 1;
    }
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
    if (SDL_Init(0) != 0 || TTF_Init() != 0) {
        fprintf(stderr, "test_viz: cannot start SDL: %s\n", SDL_GetError());
        return 1;
    }
    int status;
    if (argc == 5 && !strcmp(argv[1], "--check-shot")) {
        status = check_shot(argv[2], argv[3], (uint32_t)strtoul(argv[4], NULL, 10));
    } else if ((argc == 3 || argc == 4) && !strcmp(argv[1], "--section-shot")) {
        status = section_shot(argv[2], argc == 4 && !strcmp(argv[3], "light"));
    } else {
        static const char *const themes[] = {"dark", "light"};
        for (size_t t = 0; t < sizeof themes / sizeof themes[0]; t++) {
            static char label[32];
            viz_set_theme(themes[t]);
            snprintf(label, sizeof label, " [%s]", themes[t]);
            theme = label;
            pixel_tests();
        }
        viz_set_theme("dark");
        theme = "";
        run("frame <-> cell geometry for many sizes", test_layout);
        run("a picture's file name never leaves the current directory", test_screenshot_name);
        text_tests(run);
        section_tests(run);
        printf("test_viz: %d passed, %d failed\n", passed, failed);
        status = failed ? 1 : 0;
    }
    TTF_Quit();
    IMG_Quit();
    SDL_Quit();
    free(owned);
    return status;
}
