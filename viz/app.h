/*
 * app.h - one mmviz session: the model, what the user is doing, and the
 * drawing state, shared by the window loop (main.c), the controls
 * (input.c), synthetic input (script.c) and headless rendering.
 */
#ifndef MMVIZ_APP_H
#define MMVIZ_APP_H

#include "layout.h"
#include "model.h"
#include "render.h"

struct viz_script;

struct viz_app {
    struct viz_model vm;
    struct viz_ui ui;
    struct viz_gfx gfx;
    struct viz_layout lay;
    SDL_Window *win;            /* NULL when headless */
    SDL_Renderer *ren;
    SDL_Surface *target;        /* headless: what the software renderer draws on */
    const char *font_path;
    int font_px;
    mm_pfn pinned_frame;        /* the frame last clicked (hover shows others) */
    bool pinned;
    int mouse_x, mouse_y;       /* where the pointer last moved to */
    bool quit;
    double wait;                /* playing: seconds left before the next step */
    const char *shot_file;      /* save the next drawn picture here */
    int exit_status;
    struct viz_script *script;
};

/* input.c: the controls */
void viz_ui_init(struct viz_ui *ui);
/* Follow the step just reached: its process, VA and moved frame (unless
 * the user pinned another VA or frame). */
void viz_ui_follow(struct viz_app *a);
/* Go to step n; animate when it is the step after the current one. */
void viz_app_goto(struct viz_app *a, uint32_t n);
/* Handle one SDL event (keys, mouse, window). */
void viz_app_event(struct viz_app *a, const SDL_Event *e);
/* Run a kernel debugger command (kd.h: !pte, !pfn, !vad, !wsle,
 * !memusage, !process) on the machine as it is now, for the selected
 * process; its text goes to ui.kd_text (cut to fit, with a marker). */
void viz_app_kd(struct viz_app *a, const char *line);
/* Scroll the narration panel by `lines` (down when positive), kept
 * between the first line and the last screenful. */
void viz_app_scroll(struct viz_app *a, long lines);
/* Advance time by dt seconds: animation and play. */
void viz_app_tick(struct viz_app *a, double dt);
/* (Re)build the layout and, when the size calls for another font size,
 * the glyph atlas; false with a sentence in err. */
bool viz_app_resize(struct viz_app *a, int w, int h, char *err, size_t err_size);
/* Save what the renderer holds now as a PNG to `file` ("-": standard
 * output, left open); false with a message on standard error. */
bool viz_app_save_png(struct viz_app *a, const char *file);

/* headless.c: render the state after step `step` into a new w x h
 * surface (software renderer); NULL with a sentence in err. The app is
 * left set up (layout, model) so tests can look at both. */
SDL_Surface *viz_headless_render(struct viz_app *a, uint32_t step, int w, int h, char *err, size_t err_size);
/* The same for the machine as it is now, without going to a step: for a
 * machine the engine's API changed directly (viz_model_machine_changed). */
SDL_Surface *viz_headless_render_now(struct viz_app *a, int w, int h, char *err, size_t err_size);
void viz_app_free(struct viz_app *a);

#endif
