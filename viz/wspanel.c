/*
 * wspanel.c - the selected process's working-set list (index, VA, age,
 * locked; FirstDynamic, LastEntry and NextSlot marked; entries inserted
 * this step highlighted) and its VADs (a view names its section), with
 * the segment panel under them while there are sections (section.c).
 */
#include <stdio.h>

#include "render.h"

#define PAD 6

/* The first entry shown: from 0 when all fit, else a window that keeps
 * NextSlot in view. */
static uint32_t window_start(const struct mm_wsl *ws, int rows)
{
    uint32_t n = ws->last_entry + 1;
    if (rows <= 0 || n <= (uint32_t)rows)
        return 0;
    uint32_t start = ws->next_slot > (uint32_t)rows / 2 ? ws->next_slot - (uint32_t)rows / 2 : 0;
    if (start + (uint32_t)rows > n)
        start = n - (uint32_t)rows;
    return start;
}

static int ws_rows(const struct viz_layout *l)
{
    return viz_panel_lines(l, &l->ws) - 2;   /* less the title and the header */
}

static bool inserted_now(const struct viz_model *vm, uint32_t pid, uint32_t index)
{
    for (uint32_t i = 0; i < vm->nev; i++) {
        const struct mm_event *e = &vm->ev[i];
        if (e->kind == MM_EV_WSLE && e->pid == pid && e->u.wsle.index == index && e->u.wsle.inserted &&
            e->u.wsle.why != MM_WS_COMPACT)   /* a page moved down by compaction did not just come in */
            return true;
    }
    return false;
}

static void marks(const struct mm_wsl *ws, uint32_t i, char *out, size_t size)
{
    snprintf(out, size, "%s%s%s", i == ws->first_dynamic ? " <FirstDynamic" : "",
             i == ws->last_entry ? " <LastEntry" : "", i == ws->next_slot ? " <NextSlot" : "");
}

void viz_draw_ws(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
                 const struct viz_ui *ui)
{
    uint32_t pid = viz_ui_pid(vm, ui);
    const struct mm_wsl *ws = pid ? mm_working_set(vm->r.m, pid) : NULL;
    char title[160];
    if (!ws) {
        snprintf(title, sizeof title, "Working set: %s is not running (Tab)",
                 ui->process >= 0 && (uint32_t)ui->process < vm->sc->nprocess_names ?
                 vm->sc->process_names[ui->process] : "no process");
        viz_panel(g, &l->ws, title);
        return;
    }
    snprintf(title, sizeof title, "Working set of %s (pid %u): %u pages, min %u max %u peak %u", mm_process_name(vm->r.m, pid),
             pid, ws->size, ws->minimum, ws->maximum, ws->peak);
    int y = viz_panel(g, &l->ws, title), x = l->ws.x + PAD, w = l->ws.w - 2 * PAD;
    viz_text(g, x, y, w, VIZ_DIM, "index  VA          age locked");
    y += g->line_h;
    int rows = ws_rows(l);
    uint32_t start = window_start(ws, rows);
    for (uint32_t i = start; i <= ws->last_entry && (int)(i - start) < rows; i++, y += g->line_h) {
        mm_wsle e = ws->wsle[i];
        char mk[64];
        marks(ws, i, mk, sizeof mk);
        if (!wsle_valid(e)) {
            viz_textf(g, x, y, w, VIZ_DIM, "%5u  (free)%s", i, mk);
            continue;
        }
        bool fresh = inserted_now(vm, pid, i);
        bool walked = PAGE_ALIGN(ui->walk_va) == wsle_va(e);
        viz_textf(g, x, y, w, fresh ? VIZ_HILITE : walked ? VIZ_TITLE : VIZ_TEXT, "%5u  0x%08X  %u   %s%s", i,
                  wsle_va(e), wsle_age(e), wsle_locked(e) ? "yes" : "no ", mk);
    }
}

bool viz_ws_entry_at(const struct viz_layout *l, const struct viz_model *vm, const struct viz_ui *ui,
                     int x, int y, uint32_t *index)
{
    uint32_t pid = viz_ui_pid(vm, ui);
    const struct mm_wsl *ws = pid ? mm_working_set(vm->r.m, pid) : NULL;
    int top = l->ws.y + PAD + 2 * l->line_h;
    if (!ws || x < l->ws.x || x >= l->ws.x + l->ws.w || y < top)
        return false;
    uint32_t i = window_start(ws, ws_rows(l)) + (uint32_t)((y - top) / l->line_h);
    if ((y - top) / l->line_h >= ws_rows(l) || i > ws->last_entry || !wsle_valid(ws->wsle[i]))
        return false;
    *index = i;
    return true;
}

void viz_draw_vads(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
                   const struct viz_ui *ui)
{
    uint32_t pid = viz_ui_pid(vm, ui);
    SDL_Rect area, segment;
    if (viz_vads_split(l, vm, ui, &area, &segment))
        viz_draw_segment(g, &segment, vm, ui);
    int y = viz_panel(g, &area, "VADs (reserved ranges)"), x = area.x + PAD, w = area.w - 2 * PAD;
    if (!pid)
        return;
    viz_text(g, x, y, w, VIZ_DIM, "start       end         protection          committed charge");
    y += g->line_h;
    int bottom = area.y + area.h - 2;
    for (const struct mm_vad *v = mm_vad_next(vm->r.m, pid, NULL); v && y + g->line_h <= bottom;
         v = mm_vad_next(vm->r.m, pid, v)) {
        if (mm_vad_next(vm->r.m, pid, v) && y + 2 * g->line_h > bottom) {
            /* the last row says how many are not shown */
            uint32_t more = 0;
            for (const struct mm_vad *n = v; n; n = mm_vad_next(vm->r.m, pid, n))
                more++;
            viz_textf(g, x, y, w, VIZ_DIM, "... %u more", more);
            break;
        }
        mm_va start, end;
        uint32_t prot, charge;
        bool commit;
        char pn[48];
        mm_vad_range(v, &start, &end, &prot, &commit, &charge);
        bool here = ui->walk_va >= start && ui->walk_va <= end;
        char kind[64] = "";
        struct viz_view view;
        struct mm_section_info si;
        if (viz_view_of(vm, pid, start, &view) && mm_section_info(vm->r.m, view.section, &si))
            snprintf(kind, sizeof kind, "  view of %u '%s'%s", view.section, si.name ? si.name : "",
                     si.image ? " (image)" : "");
        viz_textf(g, x, y, w, here ? VIZ_TITLE : VIZ_TEXT, "0x%08X  0x%08X  %-20s%-9s %u%s", start, end,
                  prot_name(prot, pn, sizeof pn), commit ? "MEM_COMMIT" : "reserve", charge, kind);
        y += g->line_h;
    }
}
