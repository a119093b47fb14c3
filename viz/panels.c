/*
 * panels.c - the text panels around the grid: the top bar (what this step
 * did and the faults it raised), the legend (list colours with the list
 * heads' counts, the Standby priorities, the owners' colours apart), the
 * PFN entry of the chosen frame (every field, decoded by PageLocation as NT
 * overlays them), and the help overlay. The narration is story.c's.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "render.h"
#include "section.h"

#define PAD 6

uint32_t viz_ui_pid(const struct viz_model *vm, const struct viz_ui *ui)
{
    if (ui->process < 0 || (uint32_t)ui->process >= vm->sc->nprocess_names)
        return 0;
    uint32_t pid = replay_pid(&vm->r, ui->process);
    return pid && mm_process_exists(vm->r.m, pid) ? pid : 0;
}

/* ---- top bar ---- */

/* Append to a summary line being built (nothing once it is full). */
static void add(char *out, size_t size, size_t *len, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void add(char *out, size_t size, size_t *len, const char *fmt, ...)
{
    if (*len >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out + *len, size - *len, fmt, ap);
    va_end(ap);
    *len = n < 0 ? size : *len + (size_t)n;
}

/* A fault on a user page table itself, at the table's self-map address
 * (0xC0000000 + pdi * 4 KiB for pdi below 0x200): made, or brought back. */
static bool table_fault(const struct mm_event *e)
{
    return e->u.fault.va >= 0xC0000000u && e->u.fault.va < 0xC0200000u &&
           (e->u.fault.kind == MM_FAULT_PAGE_TABLE || e->u.fault.kind == MM_FAULT_TRANSITION ||
            e->u.fault.kind == MM_FAULT_PAGE_FILE);
}

/* The faults this step raised, from its own events: nothing from an
 * earlier step can show. One fault: its kind and address, and how its
 * page table was made present first; several: how many of each kind. */
static void fault_summary(const struct viz_model *vm, bool access, char *out, size_t size, size_t *len)
{
    uint32_t faults = 0, tables = 0, by_kind[MM_FAULT_KIND_COUNT] = {0};
    const struct mm_event *first = NULL, *last = NULL, *table = NULL;
    for (uint32_t i = 0; i < vm->nev; i++) {
        const struct mm_event *e = &vm->ev[i];
        if (e->kind != MM_EV_FAULT)
            continue;
        if (table_fault(e)) {
            tables++;
            table = e;
            continue;
        }
        faults++;
        if (e->u.fault.kind < MM_FAULT_KIND_COUNT)
            by_kind[e->u.fault.kind]++;
        first = first ? first : e;
        last = e;
    }
    if (faults == 0 && tables == 0) {
        if (access)
            add(out, size, len, "  no fault: the translation was valid");
        return;
    }
    if (faults == 1) {
        add(out, size, len, "  fault %s at 0x%08X", mm_fault_kind_name(last->u.fault.kind), last->u.fault.va);
        if (last->u.fault.kind == MM_FAULT_ACCESS_VIOLATION && last->u.fault.av != MM_AV_NONE)
            add(out, size, len, " (%s)", mm_av_reason_name(last->u.fault.av));
    } else if (faults > 1) {
        add(out, size, len, "  %u faults, 0x%08X to 0x%08X:", faults, first->u.fault.va, last->u.fault.va);
        const char *sep = " ";
        for (int k = 0; k < MM_FAULT_KIND_COUNT; k++)
            if (by_kind[k]) {
                add(out, size, len, "%s%u %s", sep, by_kind[k], mm_fault_kind_name((enum mm_fault_kind)k));
                sep = ", ";
            }
    }
    if (tables == 1 && table->u.fault.kind == MM_FAULT_PAGE_TABLE)
        add(out, size, len, "%s(page table made first)", faults ? " " : "  ");
    else if (tables == 1)
        add(out, size, len, "%s(page table brought back first: %s fault)", faults ? " " : "  ",
            mm_fault_kind_name(table->u.fault.kind));
    else if (tables > 1)
        add(out, size, len, "%s(%u page tables made or brought back first)", faults ? " " : "  ", tables);
}

void viz_step_summary(const struct viz_model *vm, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    if (vm->step == 0) {
        add(out, size, &len, "before step 1: the declared processes have started");
        return;
    }
    const struct scn_step *st = &vm->sc->steps[vm->step - 1];
    add(out, size, &len, "op %s", scenario_op_name(st->op));
    if (st->process >= 0 && (uint32_t)st->process < vm->sc->nprocess_names)
        add(out, size, &len, " %s", vm->sc->process_names[st->process]);
    if (st->op == OP_RUN && st->thread >= 0 && st->thread < MM_THREAD_COUNT)
        add(out, size, &len, " %s", scenario_thread_names[st->thread]);
    if (vm->res.returns_status)
        add(out, size, &len, "  status %s", mm_status_name(vm->res.status) ? mm_status_name(vm->res.status) : "?");
    if (st->op == OP_EXPECT)
        add(out, size, &len, "  %s", vm->res.nfailures ? "EXPECTATION FAILED" : "held");
    bool access = st->op == OP_READ || st->op == OP_WRITE || st->op == OP_EXECUTE || st->op == OP_TOUCH;
    fault_summary(vm, access, out, size, &len);
}

void viz_draw_top(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
                  const struct viz_ui *ui)
{
    viz_fill(g, &l->top, VIZ_PANEL);
    int y = l->top.y + PAD, right = l->w - PAD;
    char buf[512];
    snprintf(buf, sizeof buf, "step %u/%u   %s x%.2g   Tab process   ? help", vm->step, vm->sc->nsteps,
             ui->playing ? "playing" : "paused", ui->speed);
    int bw = (int)strlen(buf) * g->char_w;
    if (bw > l->w - 2 * PAD)
        bw = l->w - 2 * PAD;
    viz_text(g, right - bw, y, bw, VIZ_DIM, buf);
    const char *name = vm->sc->name ? vm->sc->name : "", *title = vm->sc->title ? vm->sc->title : "";
    viz_textf(g, PAD, y, l->w - bw - 3 * PAD, VIZ_TITLE, "mmviz  %s%s%s", name, *name && *title ? ": " : "", title);
    y += g->line_h;
    if (!vm->check_ok)
        return;   /* the invariant banner takes the second line */
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
    /* a message (a saved picture) keeps its room; the summary gets the rest */
    int mw = ui->message[0] ? ((int)strlen(ui->message) + 3) * g->char_w : 0;
    if (mw > (l->w - 2 * PAD) / 2)
        mw = (l->w - 2 * PAD) / 2;
    viz_step_summary(vm, buf, sizeof buf);
    viz_text(g, PAD, y, l->w - 2 * PAD - mw, VIZ_TEXT, buf);
    if (mw)
        viz_text(g, right - mw + 3 * g->char_w, y, mw - 3 * g->char_w, VIZ_HILITE, ui->message);
}

/* ---- legend ---- */

/* The legend's list rows, top to bottom: the lists in their colours, then
 * Active, whose frames take their process's colour (the owner rows below). */
static const enum mm_list legend_rows[] = {
    ZeroedPageList, FreePageList, StandbyPageList, ModifiedPageList, ModifiedNoWritePageList,
    BadPageList, TransitionPage, ActiveAndValid,
};
#define LEGEND_ROWS (sizeof legend_rows / sizeof legend_rows[0])
#define LEGEND_TITLE "Page lists (PageLocation)"

/* Characters of a list row: the longest name (ModifiedNoWrite), a space
 * and as many digits as the machine's frame count has. */
static int legend_cols(const struct mm_machine *m)
{
    int digits = 1;
    for (uint32_t n = mm_frame_count(m); n >= 10; n /= 10)
        digits++;
    return 16 + digits;
}

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

/* A colour swatch one line high at (x, y); returns its width with a gap. */
static int swatch(struct viz_gfx *g, int x, int y, uint32_t rgb)
{
    SDL_Rect r = {x, y + 2, g->line_h - 4, g->line_h - 4};
    viz_fill(g, &r, rgb);
    return g->line_h;
}

/* The Standby list per priority, in a column right of the list rows,
 * headed "Standby[p]" as the narration writes it: light (0, repurposed
 * first) to deep (7). Left out when the panel is too narrow for it. */
static void standby_column(struct viz_gfx *g, const struct viz_layout *l, const struct mm_machine *m)
{
    int rows_w = g->line_h + legend_cols(m) * g->char_w, title_w = (int)strlen(LEGEND_TITLE) * g->char_w;
    int x = l->legend.x + PAD + (rows_w > title_w ? rows_w : title_w) + g->char_w;
    int w = l->legend.x + l->legend.w - PAD - x;
    if (w < g->line_h + 8 * g->char_w)
        return;
    viz_text(g, x, l->legend.y + PAD, w, VIZ_TITLE, "Standby[p]");
    for (unsigned p = 0; p < MM_STANDBY_PRIORITIES; p++) {
        int y = legend_row_y(l, p);
        int sw = swatch(g, x, y, viz_location_color(StandbyPageList, p, -1));
        viz_textf(g, x + sw, y, w - sw, VIZ_TEXT, "%u:%5u", p, mm_standby_head(m, p)->total);
    }
}

/* The owners: each process's colour and name, flowing over rows from y;
 * returns the y after the last row used. */
static int owner_rows(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm, int y, int bottom)
{
    int x0 = l->legend.x + PAD, right = l->legend.x + l->legend.w - PAD;
    int x = x0 + viz_text(g, x0, y, right - x0, VIZ_DIM, "Active by process:") + g->char_w;
    for (uint32_t i = 0; i < vm->sc->nprocess_names; i++) {
        const char *name = vm->sc->process_names[i];
        int need = g->line_h + (int)strlen(name) * g->char_w;
        if (x + need > right && x > x0 + 2 * g->char_w) {
            if (y + 2 * g->line_h > bottom) {
                viz_textf(g, x, y, right - x, VIZ_DIM, "+%u", vm->sc->nprocess_names - i);
                break;
            }
            y += g->line_h;
            x = x0 + 2 * g->char_w;
        }
        x += swatch(g, x, y, viz_location_color(ActiveAndValid, 0, (int)i));
        x += viz_text(g, x, y, right - x, VIZ_TEXT, name) + g->char_w;
    }
    return y + g->line_h;
}

void viz_draw_legend(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm)
{
    const struct mm_machine *m = vm->r.m;
    int x = l->legend.x + PAD, maxw = l->legend.w - 2 * PAD, bottom = l->legend.y + l->legend.h - PAD;
    int cols = legend_cols(m), col = g->line_h + cols * g->char_w;   /* the list rows' width */
    int title_w = (int)strlen(LEGEND_TITLE) * g->char_w;
    viz_panel(g, &l->legend, "");
    viz_text(g, x, l->legend.y + PAD, title_w < maxw ? title_w : maxw, VIZ_TITLE, LEGEND_TITLE);
    for (size_t row = 0; row < LEGEND_ROWS; row++) {
        enum mm_list loc = legend_rows[row];
        int y = legend_row_y(l, row);
        if (loc == ActiveAndValid) {   /* no list colour: its process's */
            SDL_Rect r = {x, y + 2, g->line_h - 4, g->line_h - 4};
            viz_outline(g, &r, VIZ_DIM);
        } else {
            swatch(g, x, y, viz_location_color(loc, MM_DEFAULT_PRIORITY, -1));
        }
        viz_textf(g, x + g->line_h, y, (col < maxw ? col : maxw) - g->line_h, VIZ_TEXT, "%-15s%*u",
                  loc == TransitionPage ? "in I/O" : pfn_list_name(loc), cols - 15, list_count(m, loc));
    }
    standby_column(g, l, m);
    int y = owner_rows(g, l, vm, legend_row_y(l, LEGEND_ROWS), bottom);
    if (y + g->line_h <= bottom + PAD) {
        /* a page table: an edge on top and left; a page of a section: an
         * edge at the bottom, and a stripe for each process mapping it */
        int side = g->line_h - 4, sx = x;
        SDL_Rect r = {sx, y + 2, side, side};
        viz_fill(g, &r, VIZ_PANEL);
        viz_outline(g, &r, VIZ_DIM);
        SDL_Rect edge = {sx + 1, y + 3, side - 2, 2};
        viz_fill(g, &edge, VIZ_MARK);
        edge = (SDL_Rect){sx + 1, y + 3, 2, side - 2};
        viz_fill(g, &edge, VIZ_MARK);
        sx += g->line_h;
        sx += viz_text(g, sx, y, x + maxw - sx, VIZ_DIM, "page table") + g->char_w;
        if (sx + g->line_h <= x + maxw) {
            SDL_Rect half = {sx, y + 2, side / 2, side};
            viz_fill(g, &half, viz_location_color(ActiveAndValid, 0, 0));
            half = (SDL_Rect){sx + side / 2, y + 2, side - side / 2, side};
            viz_fill(g, &half, viz_location_color(ActiveAndValid, 0, 1));
            edge = (SDL_Rect){sx, y + side, side, 2};
            viz_fill(g, &edge, VIZ_MARK);
            sx += g->line_h;
            viz_text(g, sx, y, x + maxw - sx, VIZ_DIM, "section page");
        }
        y += g->line_h;
    }
    if (y + g->line_h <= bottom + PAD) {
        int sw = swatch(g, x, y, viz_palette()->proto_pool);
        viz_textf(g, x + sw, y, maxw - sw, VIZ_DIM, "prototype PTEs  available %u", mm_available_pages(m));
    }
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

/* Every process whose valid PTE names the frame (a page of a section),
 * with the VA it maps there. */
static void mapped_by(struct viz_lines *ls, const struct viz_model *vm, mm_pfn f)
{
    struct viz_shares sh;
    viz_shares_build(vm, &sh);
    size_t first, n = viz_shares_of(&sh, f, &first);
    char buf[400];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = first; i < first + n && len < sizeof buf; i++) {
        int w = snprintf(buf + len, sizeof buf - len, "%s%s at 0x%08X", i > first ? ", " : "",
                         vm->sc->process_names[sh.s[i].process], sh.s[i].va);
        len = w < 0 ? sizeof buf : len + (size_t)w;
    }
    if (n)
        viz_lines_addf(ls, 0, VIZ_HILITE, 0, 2, "mapped by %zu: %s", n, buf);
    else
        viz_lines_add(ls, 0, VIZ_DIM, 0, 2, "a page of a section no process maps valid now");
    viz_shares_free(&sh);
}

/* The sections whose prototype PTEs a paged-pool frame holds. */
static void pool_contents(struct viz_lines *ls, const struct viz_model *vm, mm_pfn f)
{
    const struct mm_machine *m = vm->r.m;
    for (uint32_t s = 0; s < MM_MAX_SECTIONS; s++) {
        struct mm_section_info si;
        if (!mm_section_info(m, s, &si))
            continue;
        uint32_t lo = UINT32_MAX, hi = 0;
        for (uint32_t page = 0; page < si.pages;) {
            mm_va va = si.proto + page * 4u;
            uint32_t sec, pg, next = page + (PAGE_SIZE - (va & 0xFFFu)) / 4u;
            mm_pfn pool;
            if (mm_proto_lookup(m, va, &sec, &pg, &pool) && pool == f) {
                lo = lo < page ? lo : page;
                hi = (next < si.pages ? next : si.pages) - 1;
            }
            page = next;
        }
        if (lo <= hi)
            viz_lines_addf(ls, 0, VIZ_DIM, 0, 2, "paged pool: prototype PTEs of section %u '%s', pages %u-%u", s,
                           si.name ? si.name : "", lo, hi);
    }
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
    int x = l->pfn.x + PAD, w = l->pfn.w - 2 * PAD;
    enum mm_list loc = pfn_location(p);
    bool linked = on_a_list(loc);
    char buf[160], flags[128];
    struct viz_lines ls;
    viz_lines_init(&ls, w, g->char_w);
    viz_lines_addf(&ls, 0, VIZ_HILITE, 0, 14, "PageLocation  %s", pfn_list_name(loc));
    if (linked)
        viz_lines_addf(&ls, 0, VIZ_TEXT, 0, 14, "u1 Flink      0x%X", p->u1.flink);
    else
        viz_lines_addf(&ls, 0, VIZ_TEXT, 0, 14, "u1 WsIndex    %u", p->u1.ws_index);
    uint32_t section, page;
    mm_pfn pool;
    struct mm_section_info si;
    bool proto = pfn_flag(p, PFN_PROTOTYPE_PTE) && mm_proto_lookup(vm->r.m, p->pte_address, &section, &page, &pool) &&
                 mm_section_info(vm->r.m, section, &si);
    if (proto)
        viz_lines_addf(&ls, 0, VIZ_TEXT, 0, 14, "PteAddress    0x%08X prototype PTE %u of '%s'", p->pte_address,
                       page, si.name ? si.name : "");
    else
        viz_lines_addf(&ls, 0, VIZ_TEXT, 0, 14, "PteAddress    0x%08X maps 0x%08X", p->pte_address,
                       (p->pte_address - 0xC0000000u) << 10);
    if (linked)
        viz_lines_addf(&ls, 0, VIZ_TEXT, 0, 14, "u2 Blink      0x%X", p->u2.blink);
    else
        viz_lines_addf(&ls, 0, VIZ_TEXT, 0, 14, "u2 ShareCount %u", p->u2.share_count);
    if (proto && loc == ActiveAndValid)
        mapped_by(&ls, vm, f);
    viz_lines_addf(&ls, 0, VIZ_TEXT, 0, 3, "u3 ReferenceCount %u  PageColor %u", p->u3.reference_count,
                   (p->u3.flags & PFN_COLOR_MASK) >> 4);
    flag_names(p->u3.flags, flags, sizeof flags);
    viz_lines_addf(&ls, 0, VIZ_TEXT, 3, 6, "flags %s", flags);
    viz_lines_addf(&ls, 0, VIZ_TEXT, 0, 14, "OriginalPte   0x%08X", p->original_pte);
    narrate_pte_value(buf, sizeof buf, p->original_pte);
    viz_lines_add(&ls, 0, VIZ_DIM, 3, 2, buf);
    viz_lines_addf(&ls, 0, VIZ_TEXT, 0, 3, "u4 PteFrame 0x%X  Priority %u%s%s", pfn_pte_frame(p), pfn_priority(p),
                   p->u4 & PFN_IN_PAGE_ERROR ? "  InPageError" : "", p->u4 & PFN_NO_WRITE ? "  NoWrite" : "");
    int owner = loc == ActiveAndValid ? viz_frame_owner(vm, f) : -1;
    if (loc == ActiveAndValid && mm_frame_is_pool(vm->r.m, f))
        pool_contents(&ls, vm, f);
    else if (owner >= 0)
        viz_lines_addf(&ls, 0, VIZ_DIM, 0, 2, "page of %s%s", vm->sc->process_names[owner],
                       viz_frame_is_table(vm, f) ? " (page table or directory)" : "");
    viz_lines_draw(g, &ls, x, y, w, l->pfn.y + l->pfn.h - PAD, 0, "(a larger window shows them)");
    viz_lines_free(&ls);
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
    "click segment row  its frame; walk that page in the view",
    "w            type a VA to walk (hex)",
    "k            a debugger command: !pte VA, !pfn N, !vad, ...",
    "Esc          close the debugger output (else quit)",
    "PgUp / PgDn  scroll the narration (or the wheel over it)",
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
