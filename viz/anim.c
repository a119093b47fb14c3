/*
 * anim.c - playing the step's events in order. Each frame that moved
 * flashes in the grid while a marker of its new colour travels from the
 * legend row of its old list to the row of its new one, labelled with the
 * move. (The PTE fields a step changed are highlighted by the walk panel,
 * which asks viz_pte_changed.)
 */
#include <stdio.h>
#include <string.h>

#include "render.h"

#define MOVE_SECONDS 0.45   /* one move at speed 1 */
#define MAX_SECONDS 6.0     /* a step with many moves plays them faster */
#define TAIL_SECONDS 0.3

static uint32_t move_count(const struct viz_model *vm)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < vm->nev; i++)
        n += vm->ev[i].kind == MM_EV_PAGE_MOVE;
    return n;
}

static double per_move(uint32_t n)
{
    return n * MOVE_SECONDS > MAX_SECONDS ? MAX_SECONDS / n : MOVE_SECONDS;
}

double viz_anim_length(const struct viz_model *vm)
{
    uint32_t n = move_count(vm);
    return n ? n * per_move(n) + TAIL_SECONDS : 0;
}

/* The k-th page-move event of the step. */
static const struct mm_event *nth_move(const struct viz_model *vm, uint32_t k)
{
    for (uint32_t i = 0; i < vm->nev; i++)
        if (vm->ev[i].kind == MM_EV_PAGE_MOVE && k-- == 0)
            return &vm->ev[i];
    return NULL;
}

static void flash_cell(struct viz_gfx *g, const struct viz_layout *l, mm_pfn frame, double u)
{
    SDL_Rect r;
    if (!viz_frame_rect(l, frame, &r))
        return;
    int grow = l->cell < 6 ? 3 : 1;
    SDL_Rect big = {r.x - grow, r.y - grow, r.w + 2 * grow, r.h + 2 * grow};
    viz_fill(g, &big, ((int)(u * 6)) % 2 ? VIZ_MARK : VIZ_HILITE);
}

void viz_draw_anim(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
                   const struct viz_ui *ui)
{
    uint32_t n = move_count(vm);
    double d = per_move(n);
    if (n == 0 || ui->anim_t >= n * d)
        return;
    uint32_t k = (uint32_t)(ui->anim_t / d);
    double u = (ui->anim_t - k * d) / d;
    const struct mm_event *e = nth_move(vm, k);
    if (!e)
        return;
    flash_cell(g, l, e->u.move.frame, u);
    int x0, y0, x1, y1;
    viz_legend_point(l, e->u.move.from, &x0, &y0);
    viz_legend_point(l, e->u.move.to, &x1, &y1);
    int size = g->line_h;
    SDL_Rect m = {x0 + (int)((x1 - x0) * u) - size / 2 + g->char_w * 26, y0 + (int)((y1 - y0) * u) - size / 2,
                  size, size};
    viz_fill(g, &m, viz_location_color(e->u.move.to, e->u.move.to_priority, 0));
    viz_outline(g, &m, VIZ_MARK);
    char label[160];
    snprintf(label, sizeof label, "frame 0x%X: %s -> %s (%s)  %u/%u", e->u.move.frame,
             pfn_list_name(e->u.move.from), pfn_list_name(e->u.move.to), pfn_move_reason_name(e->u.move.why),
             k + 1, n);
    SDL_Rect back = {m.x + size + 2, m.y - 1, (int)strlen(label) * g->char_w + 6, g->line_h + 2};
    viz_fill(g, &back, VIZ_BG);
    viz_outline(g, &back, VIZ_HILITE);
    viz_text(g, back.x + 3, m.y, VIZ_NO_LIMIT, VIZ_HILITE, label);
}

bool viz_pte_changed(const struct viz_model *vm, uint32_t pid, mm_va pte_va, mm_pte *old)
{
    for (uint32_t i = 0; i < vm->nev; i++) {
        const struct mm_event *e = &vm->ev[i];
        if (e->kind == MM_EV_PTE && e->pid == pid && e->u.pte.pte_va == pte_va) {
            *old = e->u.pte.old_value;
            return true;
        }
    }
    return false;
}
