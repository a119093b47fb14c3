/*
 * input.c - the controls: keys, mouse, play and animation time.
 *
 *   Space play/pause   Right, n next   Left, b back   Home/End
 *   + - speed   Tab process   w walk a VA   k a debugger command
 *   s screenshot   ? help   PgUp/PgDn, wheel: scroll the narration
 *   click a frame: its PFN entry; a working-set row: walk it;
 *   the walk panel's PDE/PTE: the PFN entry of the frame it names; a row
 *   of the segment panel: its frame, and that page walked in the view.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "kd.h"

#define PLAY_PAUSE 0.8   /* seconds between steps while playing, at speed 1 */

void viz_ui_init(struct viz_ui *ui)
{
    memset(ui, 0, sizeof *ui);
    ui->speed = 1.0;
    ui->anim_t = -1;
}

/* The first VA of the process's first VAD, for a walk with nothing to follow. */
static mm_va first_vad_va(const struct viz_model *vm, uint32_t pid)
{
    const struct mm_vad *v = pid ? mm_vad_next(vm->r.m, pid, NULL) : NULL;
    mm_va start = 0, end;
    uint32_t prot, charge;
    bool commit;
    if (v)
        mm_vad_range(v, &start, &end, &prot, &commit, &charge);
    return start;
}

void viz_ui_follow(struct viz_app *a)
{
    struct viz_ui *ui = &a->ui;
    mm_va va;
    int process;
    if (viz_model_step_va(&a->vm, &va, &process) && process >= 0) {
        ui->process = process;
        if (!ui->walk_pinned)
            ui->walk_va = va;
    } else if (!ui->walk_pinned && ui->walk_va == 0) {
        ui->walk_va = first_vad_va(&a->vm, viz_ui_pid(&a->vm, ui));
    }
    ui->has_frame = a->pinned;
    ui->frame = a->pinned_frame;
    for (uint32_t i = 0; i < a->vm.nev && !a->pinned; i++)
        if (a->vm.ev[i].kind == MM_EV_PAGE_MOVE) {
            ui->frame = a->vm.ev[i].u.move.frame;
            ui->has_frame = true;
            break;
        }
}

void viz_app_goto(struct viz_app *a, uint32_t n)
{
    uint32_t before = a->vm.step;
    viz_model_goto(&a->vm, n);
    a->ui.anim_t = a->vm.step == before + 1 ? 0 : -1;
    a->ui.message[0] = '\0';
    a->ui.kd_text[0] = '\0';   /* it showed the machine before this step */
    a->ui.story_scroll = 0;
    viz_ui_follow(a);
}

void viz_app_scroll(struct viz_app *a, long lines)
{
    size_t max = viz_story_max_scroll(&a->lay, &a->vm, &a->ui), now = a->ui.story_scroll;
    if (now > max)
        now = max;
    if (lines < 0)
        a->ui.story_scroll = (size_t)-lines > now ? 0 : now - (size_t)-lines;
    else
        a->ui.story_scroll = now + (size_t)lines > max ? max : now + (size_t)lines;
}

static void next_process(struct viz_app *a)
{
    uint32_t n = a->vm.sc->nprocess_names;
    if (n == 0)
        return;
    a->ui.process = (int)(((uint32_t)a->ui.process + 1) % n);
    if (!a->ui.walk_pinned)
        a->ui.walk_va = first_vad_va(&a->vm, viz_ui_pid(&a->vm, &a->ui));
}

/* The picture's file, in the current directory: the scenario's name with
 * anything but letters, digits, '-', '_' and '.' made '_' (a name is any
 * text: "../x" or "/tmp/x" must not lead the file elsewhere). */
static void screenshot(struct viz_app *a)
{
    static char name[256];
    char safe[96];
    const char *s = a->vm.sc->name && *a->vm.sc->name ? a->vm.sc->name : "scenario";
    size_t n = 0;
    for (; s[n] && n + 1 < sizeof safe; n++) {
        char c = s[n];
        safe[n] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                  c == '_' || c == '.' ? c : '_';
    }
    safe[n] = '\0';
    snprintf(name, sizeof name, "mmviz-%s-step%u.png", safe, a->vm.step);
    a->shot_file = name;
}

static void speed(struct viz_app *a, double factor)
{
    double s = a->ui.speed * factor;
    a->ui.speed = s < 0.125 ? 0.125 : s > 16 ? 16 : s;
}

/* Keys while a VA is being typed. */
static void typing_key(struct viz_app *a, SDL_Keycode k)
{
    struct viz_ui *ui = &a->ui;
    size_t len = strlen(ui->typed);
    if (k == SDLK_ESCAPE) {
        ui->typing = false;
    } else if (k == SDLK_BACKSPACE && len > 0) {
        ui->typed[len - 1] = '\0';
    } else if (k == SDLK_RETURN || k == SDLK_KP_ENTER) {
        ui->typing = false;
        if (len > 0) {
            ui->walk_va = (mm_va)strtoul(ui->typed, NULL, 16);
            ui->walk_pinned = true;
        }
    }
    if (!ui->typing)
        SDL_StopTextInput();
}

void viz_app_kd(struct viz_app *a, const char *line)
{
    struct viz_ui *ui = &a->ui;
    struct kd_out o;
    kd_out_buffer(&o);
    if (a->vm.r.m)
        kd_execute(&o, a->vm.r.m, line, viz_ui_pid(&a->vm, ui));
    else
        kd_printf(&o, "no machine\n");
    snprintf(ui->kd_line, sizeof ui->kd_line, "%s", line);
    const char *text = kd_out_text(&o);
    size_t n = strlen(text);
    if (n >= sizeof ui->kd_text || o.failed) {
        static const char cut[] = "\n... (cut: the rest does not fit)\n";
        size_t keep = sizeof ui->kd_text - sizeof cut;
        if (keep > n)
            keep = n;
        memcpy(ui->kd_text, text, keep);
        memcpy(ui->kd_text + keep, cut, sizeof cut);
    } else {
        memcpy(ui->kd_text, text, n + 1);
    }
    if (!ui->kd_text[0])
        snprintf(ui->kd_text, sizeof ui->kd_text, "(no output)\n");
    ui->story_scroll = 0;
    kd_out_free(&o);
}

/* Keys while a debugger command is being typed. */
static void kd_typing_key(struct viz_app *a, SDL_Keycode k)
{
    struct viz_ui *ui = &a->ui;
    size_t len = strlen(ui->kd_typed);
    if (k == SDLK_ESCAPE) {
        ui->kd_typing = false;
    } else if (k == SDLK_BACKSPACE && len > 0) {
        ui->kd_typed[len - 1] = '\0';
    } else if (k == SDLK_RETURN || k == SDLK_KP_ENTER) {
        ui->kd_typing = false;
        if (len > 0)
            viz_app_kd(a, ui->kd_typed);
    }
    if (!ui->kd_typing)
        SDL_StopTextInput();
}

static void kd_typed_text(struct viz_app *a, const char *text)
{
    struct viz_ui *ui = &a->ui;
    for (const char *c = text; *c; c++) {
        size_t len = strlen(ui->kd_typed);
        /* the 'k' that opened the prompt may arrive as text too: no
         * command starts with it */
        if (len == 0 && *c == 'k')
            continue;
        if (*c >= ' ' && *c <= '~' && len + 1 < sizeof ui->kd_typed) {
            ui->kd_typed[len] = *c;
            ui->kd_typed[len + 1] = '\0';
        }
    }
}

static void typed_text(struct viz_app *a, const char *text)
{
    struct viz_ui *ui = &a->ui;
    for (const char *c = text; *c; c++) {
        size_t len = strlen(ui->typed);
        bool hex = (*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f') || (*c >= 'A' && *c <= 'F');
        if (hex && len < 8) {
            ui->typed[len] = *c;
            ui->typed[len + 1] = '\0';
        }
    }
}

static void key(struct viz_app *a, const SDL_KeyboardEvent *k)
{
    SDL_Keycode sym = k->keysym.sym;
    bool shift = (k->keysym.mod & KMOD_SHIFT) != 0;
    struct viz_ui *ui = &a->ui;
    if (ui->typing) {
        typing_key(a, sym);
        return;
    }
    if (ui->kd_typing) {
        kd_typing_key(a, sym);
        return;
    }
    if (sym == SDLK_QUESTION || (sym == SDLK_SLASH && shift) || sym == SDLK_F1) {
        ui->help = !ui->help;
    } else if (sym == SDLK_ESCAPE && ui->help) {
        ui->help = false;
    } else if (sym == SDLK_ESCAPE && ui->kd_text[0]) {
        ui->kd_text[0] = '\0';
    } else if (sym == SDLK_ESCAPE || sym == SDLK_q) {
        a->quit = true;
    } else if (sym == SDLK_SPACE) {
        ui->playing = !ui->playing;
        a->wait = 0;
    } else if (sym == SDLK_RIGHT || sym == SDLK_n) {
        viz_app_goto(a, a->vm.step + 1);
    } else if (sym == SDLK_LEFT || sym == SDLK_b) {
        viz_app_goto(a, a->vm.step ? a->vm.step - 1 : 0);
    } else if (sym == SDLK_HOME) {
        viz_app_goto(a, 0);
    } else if (sym == SDLK_END) {
        viz_app_goto(a, a->vm.sc->nops);
    } else if (sym == SDLK_PLUS || sym == SDLK_EQUALS || sym == SDLK_KP_PLUS) {
        speed(a, 2);
    } else if (sym == SDLK_MINUS || sym == SDLK_KP_MINUS) {
        speed(a, 0.5);
    } else if (sym == SDLK_TAB) {
        next_process(a);
    } else if (sym == SDLK_w) {
        ui->typing = true;
        ui->typed[0] = '\0';
        SDL_StartTextInput();
    } else if (sym == SDLK_k) {
        ui->kd_typing = true;
        ui->kd_typed[0] = '\0';
        SDL_StartTextInput();
    } else if (sym == SDLK_s) {
        screenshot(a);
    } else if (sym == SDLK_PAGEDOWN || sym == SDLK_PAGEUP) {
        int page = viz_story_page(&a->lay);
        viz_app_scroll(a, sym == SDLK_PAGEDOWN ? page : -page);
    }
}

/* A row of the segment panel: its page's frame (when it has one) goes to
 * the PFN panel, and the selected process's view of that page is walked. */
static void segment_click(struct viz_app *a, int x, int y)
{
    uint32_t section, page;
    mm_va at;
    mm_pte proto;
    if (!viz_segment_page_at(&a->lay, &a->vm, &a->ui, x, y, &section, &page) ||
        !mm_proto_pte(a->vm.r.m, section, page, &at, &proto))
        return;
    if (pte_is_valid(proto) || pte_is_transition(proto)) {
        a->pinned = true;
        a->pinned_frame = pte_frame(proto);
        a->ui.frame = a->pinned_frame;
        a->ui.has_frame = true;
    }
    uint32_t shown;
    struct viz_view view;
    bool has_view, walked;
    if (viz_shown_section(&a->vm, &a->ui, &shown, &view, &has_view, &walked) && has_view && view.section == section &&
        page >= view.first_page && page < view.first_page + view.pages) {
        a->ui.walk_va = view.base + (page - view.first_page) * PAGE_SIZE;
        a->ui.walk_pinned = true;
    }
}

static void click(struct viz_app *a, int x, int y)
{
    uint32_t f, index;
    if (viz_frame_at(&a->lay, x, y, &f)) {
        a->pinned = true;
        a->pinned_frame = f;
        a->ui.frame = f;
        a->ui.has_frame = true;
    } else if (viz_ws_entry_at(&a->lay, &a->vm, &a->ui, x, y, &index)) {
        const struct mm_wsl *ws = mm_working_set(a->vm.r.m, viz_ui_pid(&a->vm, &a->ui));
        a->ui.walk_va = wsle_va(ws->wsle[index]);
        a->ui.walk_pinned = true;
    } else if (viz_walk_frame_at(&a->lay, &a->vm, &a->ui, x, y, &f)) {
        a->pinned = true;
        a->pinned_frame = f;
        a->ui.frame = f;
        a->ui.has_frame = true;
    } else {
        segment_click(a, x, y);
    }
}

/* Hovering over the grid shows that frame; elsewhere the clicked one. */
static void hover(struct viz_app *a, int x, int y)
{
    uint32_t f;
    a->mouse_x = x;
    a->mouse_y = y;
    if (viz_frame_at(&a->lay, x, y, &f)) {
        a->ui.frame = f;
        a->ui.has_frame = true;
    } else if (a->pinned) {
        a->ui.frame = a->pinned_frame;
    }
}

/* The wheel over the narration panel scrolls it, three lines a notch. */
static void wheel(struct viz_app *a, const SDL_MouseWheelEvent *w)
{
    SDL_Point p = {a->mouse_x, a->mouse_y};
    int notches = w->direction == SDL_MOUSEWHEEL_FLIPPED ? -w->y : w->y;
    if (SDL_PointInRect(&p, &a->lay.story))
        viz_app_scroll(a, -3L * notches);
}

/* A new window size: a new layout (sizes in pixels, which differ from the
 * window's points on a HiDPI screen). */
static void window_event(struct viz_app *a, const SDL_WindowEvent *w)
{
    char err[256];
    int pw, ph;
    if (w->event != SDL_WINDOWEVENT_SIZE_CHANGED || SDL_GetRendererOutputSize(a->ren, &pw, &ph) != 0)
        return;
    if (!viz_app_resize(a, pw, ph, err, sizeof err)) {
        fprintf(stderr, "mmviz: %s\n", err);
        a->quit = true;
        a->exit_status = 1;
    }
}

void viz_app_event(struct viz_app *a, const SDL_Event *e)
{
    switch (e->type) {
    case SDL_QUIT: a->quit = true; break;
    case SDL_KEYDOWN: key(a, &e->key); break;
    case SDL_TEXTINPUT:
        if (a->ui.typing)
            typed_text(a, e->text.text);
        else if (a->ui.kd_typing)
            kd_typed_text(a, e->text.text);
        break;
    case SDL_MOUSEBUTTONDOWN: if (e->button.button == SDL_BUTTON_LEFT) click(a, e->button.x, e->button.y); break;
    case SDL_MOUSEMOTION: hover(a, e->motion.x, e->motion.y); break;
    case SDL_MOUSEWHEEL: wheel(a, &e->wheel); break;
    case SDL_WINDOWEVENT: window_event(a, &e->window); break;
    default: break;
    }
}

void viz_app_tick(struct viz_app *a, double dt)
{
    struct viz_ui *ui = &a->ui;
    double length = viz_anim_length(&a->vm);
    if (ui->anim_t >= 0) {
        ui->anim_t += dt * ui->speed;
        if (ui->anim_t >= length)
            ui->anim_t = -1;
        return;
    }
    if (!ui->playing)
        return;
    if (a->vm.step >= a->vm.sc->nops || a->vm.r.broken) {
        ui->playing = false;
        return;
    }
    a->wait -= dt * ui->speed;
    if (a->wait <= 0) {
        viz_app_goto(a, a->vm.step + 1);
        a->wait = PLAY_PAUSE;
    }
}
