/*
 * test_text.c - the visualizer's words: no two pieces of text overlap on
 * any step of any scenario, none crosses its panel's edge, the walk, PFN
 * and narration panels wrap instead of cutting; the top bar tells only
 * this step's faults and names the thread a run step runs; the narration
 * puts the summary before the page-by-page lines and scrolls; the legend
 * keeps list colours apart from owner colours and labels the Standby
 * priorities; frames carry their numbers when cells are large.
 *
 * The drawing layer records every piece of text it draws (viz_gfx's
 * record_boxes): the tests look at those boxes, not at pixels.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "viztest.h"

/* ---- the scenarios shipped ---- */

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The scenarios (every .json file in scenarios/), sorted; returns how many (at most max). */
static size_t scenario_files(char names[][300], size_t max)
{
    DIR *d = opendir("scenarios");
    char *list[128];
    size_t n = 0;
    if (!d)
        return 0;
    for (struct dirent *e; (e = readdir(d)) && n < max && n < 128;) {
        size_t len = strlen(e->d_name);
        if (len > 5 && !strcmp(e->d_name + len - 5, ".json"))
            list[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(list, n, sizeof list[0], by_name);
    for (size_t i = 0; i < n; i++) {
        snprintf(names[i], 300, "scenarios/%s", list[i]);
        free(list[i]);
    }
    return n;
}

/* ---- text boxes ---- */

static const char *const panel_names[] = {"top bar", "grid", "legend", "PFN", "narration", "working set", "VADs",
                                          "walk"};

/* The panel (index into panel_names) wholly holding a box; -1 if none. */
static int panel_of(const struct viz_layout *l, const SDL_Rect *b)
{
    const SDL_Rect *p[] = {&l->top, &l->grid, &l->legend, &l->pfn, &l->story, &l->ws, &l->vads, &l->walk};
    for (int i = 0; i < 8; i++)
        if (b->x >= p[i]->x && b->y >= p[i]->y && b->x + b->w <= p[i]->x + p[i]->w &&
            b->y + b->h <= p[i]->y + p[i]->h)
            return i;
    return -1;
}

static int by_top(const void *a, const void *b)
{
    const struct viz_text_box *x = a, *y = b;
    return x->r.y != y->r.y ? (x->r.y < y->r.y ? -1 : 1) : (x->r.x < y->r.x ? -1 : x->r.x > y->r.x);
}

/* The boxes of the picture just drawn: no two intersect; each lies in one
 * panel; in the walk, PFN and narration panels none is cut short (a
 * panel's title line may be, and the debugger's columns are). */
static bool check_boxes(struct viz_app *a, const char *what)
{
    struct viz_gfx *g = &a->gfx;
    const struct viz_layout *l = &a->lay;
    qsort(g->boxes, g->nboxes, sizeof g->boxes[0], by_top);
    for (size_t i = 0; i < g->nboxes; i++) {
        const struct viz_text_box *b = &g->boxes[i];
        for (size_t k = i + 1; k < g->nboxes && g->boxes[k].r.y < b->r.y + b->r.h; k++)
            CHECK(!SDL_HasIntersection(&b->r, &g->boxes[k].r),
                  "%s: '%s' at %d,%d (%dx%d) and '%s' at %d,%d (%dx%d) overlap", what, b->text, b->r.x, b->r.y,
                  b->r.w, b->r.h, g->boxes[k].text, g->boxes[k].r.x, g->boxes[k].r.y, g->boxes[k].r.w,
                  g->boxes[k].r.h);
        int p = panel_of(l, &b->r);
        CHECK(p >= 0, "%s: '%s' at %d,%d (%dx%d) crosses a panel's edge", what, b->text, b->r.x, b->r.y, b->r.w,
              b->r.h);
        const SDL_Rect *panel[] = {&l->top, &l->grid, &l->legend, &l->pfn, &l->story, &l->ws, &l->vads, &l->walk};
        bool title = b->r.y == panel[p]->y + 6;
        bool wraps = !strcmp(panel_names[p], "walk") || !strcmp(panel_names[p], "PFN") ||
                     (!strcmp(panel_names[p], "narration") && !a->ui.kd_text[0]);
        CHECK(!(b->cut && wraps && !title), "%s: a line of the %s panel is cut instead of wrapped: '%s'", what,
              panel_names[p], b->text);
    }
    return true;
}

bool text_boxes_ok(struct viz_app *a, const char *what)
{
    return check_boxes(a, what);
}

/* The checks catch what they are for: a line drawn on another's row, a
 * line running out of its panel, a walk line cut short. */
static bool test_checks_catch(void)
{
    struct viz_app a;
    if (!open_app(&a, "scenarios/tour.json", NULL))
        return false;
    bool ok = render(&a, 0, 1280, 800) != NULL;
    a.gfx.record_boxes = true;
    static const char *const names[] = {"overlap", "crossing", "cut"};
    static const char *const said[] = {"overlap", "crosses a panel", "cut instead of wrapped"};
    for (int k = 0; ok && k < 3; k++) {
        viz_gfx_boxes_clear(&a.gfx);
        ok = render(&a, 0, 1280, 800) && check_boxes(&a, "as drawn");
        const SDL_Rect *w = &a.lay.walk;
        if (k == 0)   /* over the walk's first line */
            viz_text(&a.gfx, w->x + 6 + 10 * a.lay.char_w, w->y + 6 + a.lay.line_h, 40 * a.lay.char_w, VIZ_TEXT,
                     "on top");
        else if (k == 1)   /* from the walk panel into the VADs panel */
            viz_text(&a.gfx, w->x + w->w - 14 * a.lay.char_w, w->y - a.lay.line_h / 2, VIZ_NO_LIMIT, VIZ_TEXT,
                     "straddling");
        else   /* a walk line too long for the panel, cut */
            viz_text(&a.gfx, w->x + 6, w->y + w->h - 6 - 4 * a.lay.line_h, 10 * a.lay.char_w, VIZ_TEXT,
                     "a line of the walk much longer than ten characters");
        if (ok && (check_boxes(&a, "with a fault added") || !strstr(why, said[k]))) {
            snprintf(why + strlen(why), sizeof why - strlen(why), " (the %s was not caught as one)", names[k]);
            ok = false;
        } else {
            why[0] = '\0';
        }
    }
    viz_app_free(&a);
    return ok;
}

/* Every step of a scenario at one size. */
static bool text_of_file(const char *file, int w, int h, uint32_t *steps, size_t *boxes)
{
    struct viz_app a;
    if (!open_app(&a, file, NULL))
        return false;
    bool ok = render(&a, 0, w, h) != NULL;
    a.gfx.record_boxes = true;
    for (uint32_t step = 0; ok && step <= a.vm.sc->nsteps; step++) {
        viz_gfx_boxes_clear(&a.gfx);
        char what[400];
        snprintf(what, sizeof what, "%s step %u at %dx%d", file, step, w, h);
        ok = render(&a, step, w, h) && check_boxes(&a, what);
        *boxes += a.gfx.nboxes;
        (*steps)++;
    }
    viz_app_free(&a);
    return ok;
}

static bool every_scenario(int w, int h)
{
    static char files[128][300];
    size_t n = scenario_files(files, 128);
    uint32_t steps = 0;
    size_t boxes = 0;
    CHECK(n >= 20, "only %zu scenarios found in scenarios/", n);
    for (size_t i = 0; i < n; i++)
        if (!text_of_file(files[i], w, h, &steps, &boxes))
            return false;
    printf("  (%zu scenarios, %u steps, %zu pieces of text at %dx%d)\n", n, steps, boxes, w, h);
    return true;
}

static bool test_no_overlap_1280(void)
{
    return every_scenario(1280, 800);
}

static bool test_no_overlap_640(void)
{
    return every_scenario(640, 400);
}

/* The walk stops at a zero PDE on every scenario's step 0: its two last
 * lines were drawn on the same row. Both are there now, one under the
 * other. */
static bool test_zero_pde_walk(void)
{
    struct viz_app a;
    if (!open_app(&a, "scenarios/tour.json", NULL))
        return false;
    bool ok = render(&a, 0, 1280, 800) != NULL;
    a.gfx.record_boxes = true;
    viz_gfx_boxes_clear(&a.gfx);
    ok = ok && render(&a, 0, 1280, 800);
    int y_table = -1, y_fault = -1;
    for (size_t i = 0; ok && i < a.gfx.nboxes; i++) {
        if (strstr(a.gfx.boxes[i].text, "no page table: the PDE is zero"))
            y_table = a.gfx.boxes[i].r.y;
        if (strstr(a.gfx.boxes[i].text, "not valid: a read now would raise"))
            y_fault = a.gfx.boxes[i].r.y;
    }
    if (ok && (y_table < 0 || y_fault != y_table + a.lay.line_h)) {
        snprintf(why, sizeof why, "the zero PDE's line at y %d, the fault's at %d (line height %d)", y_table, y_fault,
                 a.lay.line_h);
        ok = false;
    }
    viz_app_free(&a);
    return ok;
}

/* ---- the top bar ---- */

/* How many page faults (not page-table faults) the narration tells, and
 * the address of the last. */
static uint32_t told_faults(const char *narration, mm_va *va)
{
    uint32_t n = 0;
    for (const char *p = narration; (p = strstr(p, "page fault at 0x")); p++) {
        unsigned v;
        if (sscanf(p, "page fault at 0x%8X", &v) == 1 && strncmp(p + 24, ", the page table", 16) != 0) {
            n++;
            *va = v;
        }
    }
    return n;
}

/* Every step of every scenario: the top bar's faults agree with the
 * narrator's words for the same step. No fault: "no fault" and no
 * address; one: its address; a page table made first only when the
 * narrator says one was made. A run step names its thread. */
static bool test_top_bar(void)
{
    static char files[128][300];
    size_t n = scenario_files(files, 128);
    uint32_t none = 0, one = 0, made = 0, runs = 0, after_fault = 0;
    for (size_t i = 0; i < n; i++) {
        struct viz_app a;
        if (!open_app(&a, files[i], NULL))
            return false;
        bool ok = true, fault_before = false;
        for (uint32_t step = 1; ok && step <= a.vm.sc->nsteps; step++) {
            if (viz_model_goto(&a.vm, step) != step)
                break;
            const struct scn_step *st = &a.vm.sc->steps[step - 1];
            char bar[512], want[128];
            viz_step_summary(&a.vm, bar, sizeof bar);
            const char *said = a.vm.narration ? a.vm.narration : "";
            mm_va va = 0;
            uint32_t faults = told_faults(said, &va);
            bool access = st->op == OP_READ || st->op == OP_WRITE || st->op == OP_EXECUTE || st->op == OP_TOUCH;
            bool table = strstr(said, "no page table yet") != NULL;
            snprintf(why, sizeof why, "%.60s step %u: the top bar says '%.200s'; the narration:\n%.300s", files[i], step,
                     bar, said);
            if (access && faults == 0 && !strstr(said, "the page table for")) {
                ok = strstr(bar, "no fault") && !strstr(bar, " at 0x") && !strstr(bar, "page table made");
                none++;
                after_fault += fault_before;
            } else if (faults == 1) {
                snprintf(want, sizeof want, " at 0x%08X", va);
                ok = strstr(bar, want) != NULL;
                one++;
            } else if (faults > 1) {
                snprintf(want, sizeof want, "  %u faults, ", faults);
                ok = strstr(bar, want) != NULL;
            }
            if (ok && (table != (strstr(bar, "page table made first") != NULL)))
                ok = false;
            made += table;
            if (ok && st->op == OP_RUN) {
                snprintf(want, sizeof want, "op run %s", scenario_thread_names[st->thread]);
                ok = !strncmp(bar, want, strlen(want));
                runs++;
            }
            if (access)
                fault_before = faults > 0;
        }
        viz_app_free(&a);
        if (!ok)
            return false;
    }
    CHECK(none >= 10 && one >= 20 && made >= 10 && runs >= 5 && after_fault >= 3,
          "too few cases: %u without a fault (%u right after one), %u with one, %u making a table, %u runs", none,
          after_fault, one, made, runs);
    printf("  (%u access steps without a fault, %u right after one; %u with one fault; %u making a table; "
           "%u runs)\n", none, after_fault, one, made, runs);
    return true;
}

/* ---- the narration panel ---- */

static bool test_detail_lines(void)
{
    static const struct {
        const char *line;
        bool detail;
    } cases[] = {
        {"  frame 0x12: Active -> Modified (trim)", true},
        {"  PTE 0xC0000040 of notepad (maps 0x00010000): 0x00004067 -> 0x00004047 (valid)", true},
        {"  PDE 0xC0300000 of app (tables for 0x00000000): 0x00000000 -> 0x00003067 (valid)", true},
        {"  hardware: PTE 0xC0000040 of app (maps 0x00010000): 0x00004025 -> 0x00004065", true},
        {"  working set of alpha: 0x00018000 leaves entry 12 (trim)", true},
        {"  working set of notepad: 0x00010000 enters at entry 4", true},
        {"  paging file 0: frame 0x12 written to slot 29", true},
        {"  paging file 0: slot 3 read into frame 0x4", true},
        {"  paging file 0: slot 3 is free again (its copy is no longer needed)", true},
        {"  TLB miss for 0x00010000: the walk fills entry 16 (frame 0x4)", true},
        {"step 19: advance time by 1 tick", false},
        {"  working-set manager: trimmed 2 pages from alpha", false},
        {"  working-set manager wakes (its threshold was crossed)", false},
        {"  modified page writer: one write of 4 pages to paging file 0 from slot 29", false},
        {"  modified page writer done: 12 pages", false},
        {"  paging file 1 grows to 96 pages, and the commit limit with it (MiExtendPagingFiles)", false},
        {"  page fault at 0x00010000 (write by notepad): demand-zero, frame 0x4 becomes the page", false},
        {"  -> STATUS_ACCESS_VIOLATION", false},
        {"  zeroed 57, free 0, standby 0, modified 3, modified-no-write 0, bad 0; active 4; notepad ws 4", false},
        {"  process notepad (pid 1) created: page directory, hyperspace table and working-set list page", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK(viz_narration_detail(cases[i].line, strlen(cases[i].line)) == cases[i].detail, "'%s' taken for %s",
              cases[i].line, cases[i].detail ? "the summary" : "a detail");
    return true;
}

static size_t ink(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n && s[i]; i++)
        k += s[i] != ' ' && s[i] != '\n';
    return k;
}

/* On every step of several scenarios: every character of the narration is
 * in the panel's lines once, no summary line after a detail line, and the
 * "page by page:" heading exactly when there are details. */
static bool test_story_order(void)
{
    static const char *const files[] = {"scenarios/multi-process-contention.json", "scenarios/tour.json",
                                        "scenarios/purge-sequence.json", "scenarios/ws-manager-pressure.json"};
    uint32_t with_details = 0;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        struct viz_app a;
        if (!open_app(&a, files[f], NULL))
            return false;
        bool ok = render(&a, 0, 1280, 800) != NULL;
        for (uint32_t step = 1; ok && step <= a.vm.sc->nsteps; step++) {
            viz_app_goto(&a, step);
            struct viz_lines ls;
            viz_story_lines(&a.lay, &a.vm, &a.ui, &ls);
            size_t shown = 0, headings = 0, details = 0;
            bool detail_seen = false;
            for (size_t i = 0; i < ls.n; i++) {
                int tag = ls.line[i].tag;
                if (tag == VIZ_STORY_SUMMARY || tag == VIZ_STORY_DETAIL)
                    shown += ink(ls.text + ls.line[i].at, (size_t)ls.line[i].len);
                if (tag == VIZ_STORY_SUMMARY && detail_seen) {
                    snprintf(why, sizeof why, "%s step %u: summary line '%s' after a detail", files[f], step,
                             ls.text + ls.line[i].at);
                    ok = false;
                }
                detail_seen |= tag == VIZ_STORY_DETAIL;
                details += tag == VIZ_STORY_DETAIL;
                headings += tag == VIZ_STORY_HEADING;
            }
            size_t said = a.vm.narration ? ink(a.vm.narration, strlen(a.vm.narration)) : 0;
            if (ok && (shown != said || headings != (details > 0))) {
                snprintf(why, sizeof why, "%s step %u: %zu characters shown of %zu said; %zu headings, %zu details",
                         files[f], step, shown, said, headings, details);
                ok = false;
            }
            with_details += details > 0;
            viz_lines_free(&ls);
        }
        viz_app_free(&a);
        if (!ok)
            return false;
    }
    CHECK(with_details >= 20, "only %u steps with page-by-page lines", with_details);
    return true;
}

/* Is there a box whose text starts with `text`? Its y in *y. */
static bool drawn(const struct viz_app *a, const char *text, int *y)
{
    for (size_t i = 0; i < a->gfx.nboxes; i++)
        if (!strncmp(a->gfx.boxes[i].text, text, strlen(text))) {
            if (y)
                *y = a->gfx.boxes[i].r.y;
            return true;
        }
    return false;
}

static void redraw(struct viz_app *a)
{
    viz_gfx_boxes_clear(&a->gfx);
    viz_draw(&a->gfx, &a->lay, &a->vm, &a->ui);
    SDL_RenderPresent(a->ren);
}

/* The step in multi-process-contention where the working-set manager
 * trims all three sets and the writer writes 12 pages. */
static uint32_t busy_step(struct viz_app *a)
{
    for (uint32_t step = 1; step <= a->vm.sc->nsteps; step++) {
        viz_app_goto(a, step);
        if (a->vm.narration && strstr(a->vm.narration, "trimmed 2 pages from gamma"))
            return step;
    }
    return 0;
}

/* A busy step at 1280x800: the trims and the writer's clusters are on the
 * first screen, above a marker counting the hidden lines; scrolled to the
 * end, the last page's line shows under a marker for those above;
 * scrolling is kept between the first line and the last screenful. */
static bool test_story_scroll(void)
{
    struct viz_app a;
    if (!open_app(&a, "scenarios/multi-process-contention.json", NULL))
        return false;
    bool ok = render(&a, 0, 1280, 800) != NULL;
    uint32_t step = ok ? busy_step(&a) : 0;
    ok = ok && step > 0;
    if (!ok && !why[0])
        snprintf(why, sizeof why, "no step trims gamma");
    a.gfx.record_boxes = true;
    if (ok) {
        redraw(&a);
        int y_below = 0, y_trim = 0;
        /* the narration starts with the note; the summary from --narration summary */
        a.ui.story_scroll = viz_story_first(&a.lay, &a.vm, &a.ui, VIZ_STORY_SUMMARY);
        redraw(&a);
        if (!drawn(&a, "working-set manager: trimmed 2 pages from gamma", &y_trim)) {
            snprintf(why, sizeof why, "from the summary, the trim of gamma is not on the first screen");
            ok = false;
        } else if (!drawn(&a, "modified page writer: one write of 4 pages", NULL)) {
            snprintf(why, sizeof why, "from the summary, the writer's clusters are not on the first screen");
            ok = false;
        } else if (!drawn(&a, "v ", &y_below) || y_below < y_trim) {
            snprintf(why, sizeof why, "no marker of the lines below");
            ok = false;
        }
    }
    if (ok) {
        viz_app_scroll(&a, 1000000);
        size_t max = viz_story_max_scroll(&a.lay, &a.vm, &a.ui);
        redraw(&a);
        /* the narration's last line about one page */
        const char *last = "";
        for (const char *p = a.vm.narration; *p;) {
            size_t n = strcspn(p, "\n");
            if (viz_narration_detail(p, n))
                last = p;
            p += n + (p[n] ? 1 : 0);
        }
        while (*last == ' ')
            last++;
        char want[24];
        snprintf(want, sizeof want, "%.20s", last);
        if (a.ui.story_scroll != max || max == 0) {
            snprintf(why, sizeof why, "scrolled to %zu, the most is %zu", a.ui.story_scroll, max);
            ok = false;
        } else if (!drawn(&a, "^ ", NULL) || drawn(&a, "v ", NULL)) {
            snprintf(why, sizeof why, "at the end: no marker above, or one below");
            ok = false;
        } else if (!drawn(&a, want, NULL)) {
            snprintf(why, sizeof why, "at the end, the last line ('%s') is not shown", want);
            ok = false;
        }
        viz_app_scroll(&a, -1000000);
        if (ok && a.ui.story_scroll != 0) {
            snprintf(why, sizeof why, "scrolled up past the top: %zu", a.ui.story_scroll);
            ok = false;
        }
        viz_app_scroll(&a, 5);
        viz_app_goto(&a, step + 1);
        if (ok && a.ui.story_scroll != 0) {
            snprintf(why, sizeof why, "the next step kept the scroll (%zu)", a.ui.story_scroll);
            ok = false;
        }
    }
    viz_app_free(&a);
    return ok;
}

/* ---- the legend ---- */

/* List rows in list colours, Active with an empty swatch (its frames take
 * their process's colour), the owners on their own row, the Standby
 * priorities numbered 0 to 7 with their counts. */
static bool test_legend(void)
{
    struct viz_app a;
    if (!open_app(&a, "scenarios/multi-process-contention.json", NULL))
        return false;
    SDL_Surface *s = render(&a, 0, 1280, 800);
    bool ok = s != NULL;
    uint32_t step = ok ? busy_step(&a) : 0;
    a.gfx.record_boxes = true;
    if (ok) {
        viz_app_goto(&a, step);
        redraw(&a);
    }
    int y_active = -1, y_owner = -1;
    ok = ok && drawn(&a, "Active          ", &y_active) && drawn(&a, "Active by process:", &y_owner) &&
         drawn(&a, "Standby[p]", NULL);
    if (!ok && !why[0])
        snprintf(why, sizeof why, "the legend lacks its Active row, its owner row or its Standby[p] column");
    for (unsigned p = 0; ok && p < MM_STANDBY_PRIORITIES; p++) {
        char want[32];
        snprintf(want, sizeof want, "%u:%5u", p, mm_standby_head(a.vm.r.m, p)->total);
        if (!drawn(&a, want, NULL)) {
            snprintf(why, sizeof why, "no '%s' for Standby priority %u", want, p);
            ok = false;
        }
    }
    if (ok) {
        /* the Active row's swatch is empty: panel colour inside */
        int x = a.lay.legend.x + 6 + (a.lay.line_h - 4) / 2, y = y_active + a.lay.line_h / 2;
        uint32_t got = pixel(s, x, y);
        for (int o = 0; o < 8 && ok; o++)
            if (got == viz_location_color(ActiveAndValid, 0, o)) {
                snprintf(why, sizeof why, "the Active row's swatch has owner %d's colour", o);
                ok = false;
            }
        if (ok && got != VIZ_PANEL) {
            snprintf(why, sizeof why, "the Active row's swatch is #%06X, not empty", got);
            ok = false;
        }
        if (ok && y_owner <= y_active) {
            snprintf(why, sizeof why, "the owners are not below the lists");
            ok = false;
        }
    }
    viz_app_free(&a);
    return ok;
}

/* ---- frame numbers ---- */

/* Large cells carry their frame's number in hex, inside the cell; a
 * machine whose cells are small carries none. */
static bool test_frame_numbers(void)
{
    struct viz_app a;
    if (!open_app(&a, "scenarios/tour.json", NULL))
        return false;
    bool ok = render(&a, 0, 1280, 800) != NULL;
    a.gfx.record_boxes = true;
    redraw(&a);
    CHECK(viz_frame_label_fits(&a.lay), "64 frames at 1280x800 (cells of %d pixels) get no numbers", a.lay.cell);
    uint32_t found = 0;
    for (mm_pfn f = 0; ok && f < mm_frame_count(a.vm.r.m); f++) {
        SDL_Rect cell;
        char want[12];
        viz_frame_rect(&a.lay, f, &cell);
        snprintf(want, sizeof want, "%X", f);
        for (size_t i = 0; i < a.gfx.nboxes; i++) {
            const struct viz_text_box *b = &a.gfx.boxes[i];
            SDL_Rect in;
            if (!strcmp(b->text, want) && SDL_IntersectRect(&b->r, &cell, &in) && in.w == b->r.w && in.h == b->r.h)
                found++;
        }
    }
    viz_app_free(&a);
    CHECK(ok && found == 64, "%u of 64 frames carry their number in their cell", found);
    struct viz_layout l;
    viz_layout_compute(&l, 1280, 800, 1048576, 16, 8);
    CHECK(!viz_frame_label_fits(&l), "a 1,048,576-frame grid has room for numbers?");
    viz_layout_compute(&l, 1280, 800, 4096, 16, 8);
    CHECK(!viz_frame_label_fits(&l), "4096 frames in cells of %d pixels get numbers", l.cell);
    return true;
}

void text_tests(void (*run)(const char *name, bool (*fn)(void)))
{
    run("the walk stopping at a zero PDE draws its two lines one under the other", test_zero_pde_walk);
    run("the text checks catch an overlap, a line crossing panels, a walk line cut", test_checks_catch);
    run("no text overlaps or crosses a panel, walk/PFN/narration wrap: every step of every scenario, 1280x800",
        test_no_overlap_1280);
    run("the same at 640x400", test_no_overlap_640);
    run("the top bar tells only this step's faults and names a run step's thread", test_top_bar);
    run("narration lines about one page are details, the rest the summary", test_detail_lines);
    run("the narration panel: summary first, page by page after, nothing lost", test_story_order);
    run("the narration panel scrolls, with markers for the hidden lines", test_story_scroll);
    run("the legend: list colours, owners apart, Standby priorities labelled", test_legend);
    run("frame numbers in large cells only", test_frame_numbers);
}
