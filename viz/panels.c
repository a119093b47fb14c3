/*
 * panels.c - the text panels around the grid: the top bar, the legend with
 * the list heads' counts, the PFN entry of the chosen frame (every field,
 * decoded by PageLocation as NT overlays them), the step's note and
 * narration, and the help overlay.
 */
#include <stdio.h>
#include <string.h>

#include "render.h"

#define PAD 6

uint32_t viz_ui_pid(const struct viz_model *vm, const struct viz_ui *ui)
{
    if (ui->process < 0 || (uint32_t)ui->process >= vm->sc->nprocess_names)
        return 0;
    uint32_t pid = replay_pid(&vm->r, ui->process);
    return pid && mm_process_exists(vm->r.m, pid) ? pid : 0;
}

/* ---- top bar ---- */

static void step_summary(const struct viz_model *vm, char *out, size_t size)
{
    if (vm->step == 0) {
        snprintf(out, size, "before step 1: the declared processes have started");
        return;
    }
    const struct scn_step *st = viz_model_op(vm);
    const struct mm_fault_info *f = &vm->r.last_fault;
    int len = snprintf(out, size, "op %s", scenario_op_name(st->op));
    if (st->process >= 0 && len >= 0 && (size_t)len < size)
        len += snprintf(out + len, size - (size_t)len, " %s", vm->sc->process_names[st->process]);
    if (vm->res.returns_status && len >= 0 && (size_t)len < size)
        len += snprintf(out + len, size - (size_t)len, "  status %s",
                        mm_status_name(vm->res.status) ? mm_status_name(vm->res.status) : "?");
    bool access = st->op == OP_READ || st->op == OP_WRITE || st->op == OP_EXECUTE || st->op == OP_TOUCH;
    if (access && len >= 0 && (size_t)len < size)
        snprintf(out + len, size - (size_t)len, "  fault %s at 0x%08X%s", mm_fault_kind_name(f->kind), f->va,
                 f->page_table_made ? " (page table made first)" : "");
    else if (st->op == OP_EXPECT && len >= 0 && (size_t)len < size)
        snprintf(out + len, size - (size_t)len, "  %s", vm->res.nfailures ? "EXPECTATION FAILED" : "held");
}

void viz_draw_top(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
                  const struct viz_ui *ui)
{
    viz_fill(g, &l->top, VIZ_PANEL);
    int y = l->top.y + PAD, right = l->w - PAD;
    char buf[512];
    snprintf(buf, sizeof buf, "step %u/%u   %s x%.2g   Tab process   ? help", vm->step, vm->sc->nops,
             ui->playing ? "playing" : "paused", ui->speed);
    int bw = (int)strlen(buf) * g->char_w;
    viz_text(g, right - bw, y, 0, VIZ_DIM, buf);
    viz_textf(g, PAD, y, l->w - bw - 3 * PAD, VIZ_TITLE, "mmviz  %s: %s", vm->sc->name ? vm->sc->name : "",
              vm->sc->title ? vm->sc->title : "");
    y += g->line_h;
    if (ui->typing) {
        viz_textf(g, PAD, y, l->w - 2 * PAD, VIZ_HILITE, "walk which VA? 0x%s_   (hex, Enter to walk, Esc to cancel)",
                  ui->typed);
        return;
    }
    if (ui->kd_typing) {
        viz_textf(g, PAD, y, l->w - 2 * PAD, VIZ_HILITE,
                  "kd> %s_   (!pte VA, !pfn N, !vad, !wsle, !memusage, !process; Enter runs, Esc cancels)",
                  ui->kd_typed);
        return;
    }
    step_summary(vm, buf, sizeof buf);
    int w = viz_text(g, PAD, y, l->w - 2 * PAD, VIZ_TEXT, buf);
    if (ui->message[0])
        viz_text(g, PAD + w + 3 * g->char_w, y, l->w - w - 5 * PAD, VIZ_HILITE, ui->message);
}

/* ---- legend ---- */

/* The legend's rows, top to bottom. */
static const enum mm_list legend_rows[] = {
    ZeroedPageList, FreePageList, StandbyPageList, ModifiedPageList, ModifiedNoWritePageList,
    BadPageList, ActiveAndValid, TransitionPage,
};
#define LEGEND_ROWS (sizeof legend_rows / sizeof legend_rows[0])

static int legend_row_y(const struct viz_layout *l, size_t row)
{
    return l->legend.y + PAD + l->line_h * (int)(row + 1);
}

void viz_legend_point(const struct viz_layout *l, enum mm_list loc, int *x, int *y)
{
    size_t row = 0;
    while (row < LEGEND_ROWS && legend_rows[row] != loc)
        row++;
    *x = l->legend.x + PAD + l->line_h / 2;
    *y = legend_row_y(l, row) + l->line_h / 2;
}

static uint32_t list_count(const struct mm_machine *m, enum mm_list loc)
{
    if (loc == ActiveAndValid)
        return mm_active_frames(m);
    if (loc == TransitionPage) {
        uint32_t others = mm_active_frames(m);
        for (int k = ZeroedPageList; k <= BadPageList; k++)
            others += mm_list_head(m, (enum mm_list)k)->total;
        return mm_frame_count(m) - others;
    }
    return mm_list_head(m, loc)->total;
}

static void swatch(struct viz_gfx *g, int x, int y, uint32_t rgb)
{
    SDL_Rect r = {x, y + 2, g->line_h - 4, g->line_h - 4};
    viz_fill(g, &r, rgb);
}

static void standby_line(struct viz_gfx *g, const struct viz_layout *l, const struct mm_machine *m, int y)
{
    int x = l->legend.x + PAD + g->line_h;
    for (unsigned p = 0; p < MM_STANDBY_PRIORITIES; p++) {
        swatch(g, x, y, viz_location_color(StandbyPageList, p, -1));
        x += g->line_h - 2;
        x += viz_textf(g, x, y, 0, VIZ_TEXT, "%u", mm_standby_head(m, p)->total) + g->char_w;
    }
}

void viz_draw_legend(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm)
{
    viz_panel(g, &l->legend, "Page lists (PageLocation)");
    const struct mm_machine *m = vm->r.m;
    int x = l->legend.x + PAD, maxw = l->legend.w - 2 * PAD;
    for (size_t row = 0; row < LEGEND_ROWS; row++) {
        enum mm_list loc = legend_rows[row];
        int y = legend_row_y(l, row);
        swatch(g, x, y, viz_location_color(loc, MM_DEFAULT_PRIORITY, loc == ActiveAndValid ? 0 : -1));
        viz_textf(g, x + g->line_h, y, maxw - g->line_h, VIZ_TEXT, "%-16s %7u",
                  pfn_list_name(loc), list_count(m, loc));
    }
    int y = legend_row_y(l, LEGEND_ROWS);
    standby_line(g, l, m, y);
    y += g->line_h;
    int px = x;
    for (uint32_t i = 0; i < vm->sc->nprocess_names && px < x + maxw - 4 * g->char_w; i++) {
        swatch(g, px, y, viz_location_color(ActiveAndValid, 0, (int)i));
        px += g->line_h;
        px += viz_text(g, px, y, x + maxw - px, VIZ_TEXT, vm->sc->process_names[i]) + g->char_w;
    }
    y += g->line_h;
    viz_textf(g, x, y, maxw, VIZ_DIM, "white edge = page table  avail %u", mm_available_pages(m));
}

/* ---- PFN entry ---- */

static void flag_names(uint16_t flags, char *out, size_t size)
{
    static const struct { unsigned bit; const char *name; } names[] = {
        {PFN_MODIFIED, "Modified"}, {PFN_READ_IN_PROGRESS, "ReadInProgress"},
        {PFN_WRITE_IN_PROGRESS, "WriteInProgress"}, {PFN_PROTOTYPE_PTE, "PrototypePte"},
        {PFN_REMOVAL_REQUESTED, "RemovalRequested"}, {PFN_PARITY_ERROR, "ParityError"},
    };
    out[0] = '\0';
    size_t len = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if ((flags & names[i].bit) && len < size)
            len += (size_t)snprintf(out + len, size - len, "%s ", names[i].name);
    if (!out[0])
        snprintf(out, size, "none");
}

static bool on_a_list(enum mm_list loc)
{
    return loc <= BadPageList;
}

void viz_draw_pfn(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
                  const struct viz_ui *ui)
{
    mm_pfn f = ui->has_frame ? ui->frame : 0;
    char title[64];
    snprintf(title, sizeof title, "PFN entry of frame 0x%X (click a frame)", f);
    int y = viz_panel(g, &l->pfn, title);
    const struct mmpfn *p = mm_pfn_entry(vm->r.m, f);
    if (!p)
        return;
    int x = l->pfn.x + PAD, w = l->pfn.w - 2 * PAD, lh = g->line_h;
    enum mm_list loc = pfn_location(p);
    bool linked = on_a_list(loc);
    char buf[160], flags[128];
    viz_textf(g, x, y, w, VIZ_HILITE, "PageLocation  %s", pfn_list_name(loc));
    y += lh;
    if (linked)
        viz_textf(g, x, y, w, VIZ_TEXT, "u1 Flink      0x%X", p->u1.flink);
    else
        viz_textf(g, x, y, w, VIZ_TEXT, "u1 WsIndex    %u", p->u1.ws_index);
    y += lh;
    viz_textf(g, x, y, w, VIZ_TEXT, "PteAddress    0x%08X maps 0x%08X", p->pte_address,
              (p->pte_address - 0xC0000000u) << 10);
    y += lh;
    if (linked)
        viz_textf(g, x, y, w, VIZ_TEXT, "u2 Blink      0x%X", p->u2.blink);
    else
        viz_textf(g, x, y, w, VIZ_TEXT, "u2 ShareCount %u", p->u2.share_count);
    y += lh;
    viz_textf(g, x, y, w, VIZ_TEXT, "u3 ReferenceCount %u  PageColor %u", p->u3.reference_count,
              (p->u3.flags & PFN_COLOR_MASK) >> 4);
    y += lh;
    flag_names(p->u3.flags, flags, sizeof flags);
    viz_textf(g, x, y, w, VIZ_TEXT, "   flags %s", flags);
    y += lh;
    narrate_pte_value(buf, sizeof buf, p->original_pte);
    viz_textf(g, x, y, w, VIZ_TEXT, "OriginalPte   0x%08X", p->original_pte);
    y += lh;
    viz_textf(g, x, y, w, VIZ_DIM, "   %s", buf);
    y += lh;
    viz_textf(g, x, y, w, VIZ_TEXT, "u4 PteFrame 0x%X  Priority %u%s%s", pfn_pte_frame(p), pfn_priority(p),
              p->u4 & PFN_IN_PAGE_ERROR ? "  InPageError" : "", p->u4 & PFN_NO_WRITE ? "  NoWrite" : "");
    y += lh;
    int owner = loc == ActiveAndValid ? viz_frame_owner(vm, f) : -1;
    if (owner >= 0)
        viz_textf(g, x, y, w, VIZ_DIM, "page of %s%s", vm->sc->process_names[owner],
                  viz_frame_is_table(vm, f) ? " (page table or directory)" : "");
}

/* ---- the step in words ---- */

void viz_draw_story(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm)
{
    int y = viz_panel(g, &l->story, "The step: note and narration");
    const char *note = viz_model_note(vm);
    if (note[0]) {
        /* the note may take half the panel; the narration the rest */
        SDL_Rect half = l->story;
        half.h = (l->story.y + l->story.h - y) / 2 + (y - l->story.y);
        y = viz_text_wrap(g, &half, y, VIZ_DIM, note) + g->line_h / 2;
    }
    for (uint32_t i = 0; i < vm->res.nfailures && vm->step > 0; i++)
        y = viz_text_wrap(g, &l->story, y, VIZ_ALARM, vm->res.failure[i]);
    if (vm->narration)
        viz_text_wrap(g, &l->story, y, VIZ_TEXT, vm->narration);
}

/* ---- a debugger command's output, over the narration ---- */

void viz_draw_kd(struct viz_gfx *g, const struct viz_layout *l, const struct viz_ui *ui)
{
    char title[96];
    snprintf(title, sizeof title, "kd> %s   (Esc closes)", ui->kd_line);
    int y = viz_panel(g, &l->story, title);
    int bottom = l->story.y + l->story.h, w = l->story.w - 12;
    const char *s = ui->kd_text;
    /* the debugger's columns matter: lines are cut, never wrapped */
    while (*s) {
        const char *end = strchr(s, '\n');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        const char *next = end ? end + 1 : s + n;
        if (y + 2 * g->line_h > bottom && *next) {
            int more = 0;
            for (const char *t = s; *t; t++)
                more += *t == '\n';
            viz_textf(g, l->story.x + 6, y, w, VIZ_DIM, "... %d more line%s: a taller window shows them", more,
                      more == 1 ? "" : "s");
            return;
        }
        char line[256];
        snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), s);
        viz_text(g, l->story.x + 6, y, w, VIZ_TEXT, line);
        y += g->line_h;
        s = next;
    }
}

/* ---- help ---- */

static const char *const help_lines[] = {
    "Space        play / pause",
    "Right or n   next step",
    "Left or b    previous step (replayed from the start)",
    "Home / End   first / last step",
    "+ / -        animation faster / slower",
    "Tab          next process (working set, VADs, walk)",
    "click frame  its PFN entry",
    "click WS row walk that page",
    "click PTE    the PFN entry of the frame it names",
    "w            type a VA to walk (hex)",
    "k            a debugger command: !pte VA, !pfn N, !vad, ...",
    "Esc          close the debugger output (else quit)",
    "s            save a PNG screenshot",
    "?            this help;  Esc or q: quit",
};

void viz_draw_help(struct viz_gfx *g, const struct viz_layout *l)
{
    int n = (int)(sizeof help_lines / sizeof help_lines[0]);
    SDL_Rect box = {l->w / 2 - 30 * g->char_w, l->h / 2 - (n + 3) * g->line_h / 2, 60 * g->char_w,
                    (n + 3) * g->line_h};
    viz_fill(g, &box, VIZ_TITLE);
    SDL_Rect inner = {box.x + 2, box.y + 2, box.w - 4, box.h - 4};
    viz_fill(g, &inner, VIZ_BG);
    int y = box.y + PAD;
    viz_text(g, box.x + 2 * g->char_w, y, box.w, VIZ_TITLE, "mmviz keys");
    y += g->line_h * 3 / 2;
    for (int i = 0; i < n; i++, y += g->line_h)
        viz_text(g, box.x + 2 * g->char_w, y, box.w - 4 * g->char_w, VIZ_TEXT, help_lines[i]);
}
