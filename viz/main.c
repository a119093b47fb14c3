/*
 * main.c - mmviz: arguments, then either one headless picture or the
 * window loop (events, time, drawing, scripted input).
 *
 *   mmviz [--size WxH] [--step N] [--script FILE] FILE
 *   mmviz --headless --step N --out FILE.png [--size WxH] FILE
 *
 * Exit status: 0 fine; 1 a failure while running (a script check, a PNG
 * that cannot be written); 2 bad arguments, a bad scenario, no font.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>

#include "app.h"
#include "script.h"

#define EXIT_BAD_INPUT 2

static const char usage[] =
    "usage: mmviz [--size WxH] [--step N] [--script FILE] [--process NAME] [--va HEX] FILE\n"
    "       mmviz --headless --step N --out FILE.png [--size WxH] [--process NAME] [--va HEX]\n"
    "             [--frame N] FILE\n"
    "Plays a scenario step by step in a window; --headless renders the state after\n"
    "step N to a PNG without a display. Keys: press ? in the window.\n";

struct options {
    const char *file, *out, *script, *process;
    bool headless, has_va, has_frame;
    uint32_t step, frame;
    mm_va va;
    int w, h;
};

static bool number(const char *s, int base, unsigned long max, unsigned long *out)
{
    char *end;
    if (!s || !*s || *s == '-')
        return false;
    *out = strtoul(s, &end, base);
    return *end == '\0' && *out <= max;
}

static bool size_arg(const char *s, int *w, int *h)
{
    unsigned a, b;
    char x;
    if (!s || sscanf(s, "%u%c%u", &a, &x, &b) != 3 || (x != 'x' && x != 'X'))
        return false;
    if (a < 640 || b < 400 || a > 8192 || b > 8192)
        return false;
    *w = (int)a;
    *h = (int)b;
    return true;
}

static bool bad(const char *what, const char *arg)
{
    fprintf(stderr, "mmviz: %s%s%s\n%s", what, arg ? ": " : "", arg ? arg : "", usage);
    return false;
}

static bool parse(int argc, char **argv, struct options *o)
{
    memset(o, 0, sizeof *o);
    o->w = 1280;
    o->h = 800;
    bool has_step = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long n;
        if (!strcmp(a, "--headless")) {
            o->headless = true;
            continue;
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            exit(0);
        }
        if (a[0] != '-') {
            if (o->file)
                return bad("one scenario at a time", a);
            o->file = a;
            continue;
        }
        if (!v)
            return bad("missing value after", a);
        i++;
        if (!strcmp(a, "--step") && number(v, 10, SCN_MAX_STEPS, &n)) {
            o->step = (uint32_t)n;
            has_step = true;
        } else if (!strcmp(a, "--size") && size_arg(v, &o->w, &o->h)) {
        } else if (!strcmp(a, "--out")) {
            o->out = v;
        } else if (!strcmp(a, "--script")) {
            o->script = v;
        } else if (!strcmp(a, "--process")) {
            o->process = v;
        } else if (!strcmp(a, "--va") && number(v, 16, 0xFFFFFFFFul, &n)) {
            o->va = (mm_va)n;
            o->has_va = true;
        } else if (!strcmp(a, "--frame") && number(v, 0, 0xFFFFFFFFul, &n)) {
            o->frame = (uint32_t)n;
            o->has_frame = true;
        } else {
            fprintf(stderr, "mmviz: bad option or value: %s %s\n", a, v);
            fputs("  (--step N: 0.., --size WxH: 640x400 to 8192x8192, --va: hex, --frame: a number)\n", stderr);
            return bad("see the usage", NULL);
        }
    }
    if (!o->file)
        return bad("no scenario given", NULL);
    if (o->headless && (!o->out || !has_step))
        return bad("--headless needs --step N and --out FILE.png", NULL);
    return true;
}

static struct scenario *load(const char *file)
{
    struct scn_errors errs;
    struct scenario *sc = scenario_load(file, NULL, 0, &errs);
    if (sc)
        return sc;
    for (uint32_t k = 0; k < errs.count; k++) {
        char line[600];
        scenario_format_error(file, &errs.e[k], line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
    if (errs.truncated)
        fprintf(stderr, "%s: more errors follow; fix these first\n", file);
    return NULL;
}

/* Apply --process, --va and --frame over what the step suggests. */
static bool apply_choices(struct viz_app *a, const struct options *o)
{
    if (o->process) {
        uint32_t i = 0;
        while (i < a->vm.sc->nprocess_names && strcmp(a->vm.sc->process_names[i], o->process))
            i++;
        if (i == a->vm.sc->nprocess_names) {
            fprintf(stderr, "mmviz: %s has no process named '%s'\n", o->file, o->process);
            return false;
        }
        a->ui.process = (int)i;
    }
    if (o->has_va) {
        a->ui.walk_va = o->va;
        a->ui.walk_pinned = true;
    }
    if (o->has_frame) {
        a->pinned = true;
        a->pinned_frame = o->frame;
        a->ui.frame = o->frame;
        a->ui.has_frame = true;
    }
    return true;
}

static int headless(struct viz_app *a, const struct options *o)
{
    char err[300];
    viz_model_goto(&a->vm, o->step);
    if (a->vm.step != o->step)
        fprintf(stderr, "mmviz: %s has %u steps; showing step %u\n", o->file, a->vm.sc->nsteps, a->vm.step);
    viz_ui_follow(a);
    if (!apply_choices(a, o))
        return EXIT_BAD_INPUT;
    if (!viz_headless_render(a, a->vm.step, o->w, o->h, err, sizeof err)) {
        fprintf(stderr, "mmviz: %s\n", err);
        return 1;
    }
    apply_choices(a, o);   /* rendering followed the step again */
    viz_draw(&a->gfx, &a->lay, &a->vm, &a->ui);
    SDL_RenderPresent(a->ren);
    return viz_app_save_png(a, o->out) ? 0 : 1;
}

/* Is anything moving (so the picture must be redrawn without input)? */
static bool busy(const struct viz_app *a)
{
    return a->ui.anim_t >= 0 || a->ui.playing || a->script || a->shot_file;
}

static void loop(struct viz_app *a)
{
    Uint64 last = SDL_GetPerformanceCounter();
    bool redraw = true;
    while (!a->quit) {
        SDL_Event e;
        /* idle: sleep until the user does something */
        if (!busy(a) && !redraw && SDL_WaitEventTimeout(&e, 500)) {
            viz_app_event(a, &e);
            redraw = true;
        }
        while (SDL_PollEvent(&e)) {
            viz_app_event(a, &e);
            redraw = true;
        }
        Uint64 now = SDL_GetPerformanceCounter();
        viz_app_tick(a, (double)(now - last) / (double)SDL_GetPerformanceFrequency());
        last = now;
        if (!redraw && !busy(a))
            continue;
        redraw = false;
        viz_draw(&a->gfx, &a->lay, &a->vm, &a->ui);
        if (a->shot_file) {
            if (viz_app_save_png(a, a->shot_file))
                snprintf(a->ui.message, sizeof a->ui.message, "saved %s", a->shot_file);
            else
                a->exit_status = 1;
            a->shot_file = NULL;
            redraw = true;   /* show the message */
        }
        SDL_RenderPresent(a->ren);
        if (a->script)
            viz_script_run(a->script, a);
        SDL_Delay(8);
    }
}

static int windowed(struct viz_app *a, const struct options *o)
{
    char err[300];
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "mmviz: no display (%s); use --headless to render a PNG\n", SDL_GetError());
        return 1;
    }
    if (o->script && !(a->script = viz_script_load(o->script)))
        return EXIT_BAD_INPUT;
    char title[200];
    snprintf(title, sizeof title, "mmviz - %s", a->vm.sc->name ? a->vm.sc->name : o->file);
    a->win = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, o->w, o->h,
                              SDL_WINDOW_RESIZABLE);
    a->ren = a->win ? SDL_CreateRenderer(a->win, -1, SDL_RENDERER_PRESENTVSYNC) : NULL;
    if (a->win && !a->ren)
        a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
    if (!a->ren) {
        fprintf(stderr, "mmviz: cannot open a window: %s\n", SDL_GetError());
        return 1;
    }
    int w, h;
    SDL_GetRendererOutputSize(a->ren, &w, &h);
    if (!viz_app_resize(a, w, h, err, sizeof err)) {
        fprintf(stderr, "mmviz: %s\n", err);
        return 1;
    }
    viz_app_goto(a, o->step);
    a->ui.anim_t = -1;
    if (!apply_choices(a, o))
        return EXIT_BAD_INPUT;
    loop(a);
    return a->exit_status;
}

int main(int argc, char **argv)
{
    struct options o;
    if (!parse(argc, argv, &o))
        return EXIT_BAD_INPUT;
    struct scenario *sc = load(o.file);
    if (!sc)
        return EXIT_BAD_INPUT;
    struct viz_app a;
    memset(&a, 0, sizeof a);
    viz_ui_init(&a.ui);
    char err[300], *owned = NULL;
    a.font_path = viz_find_font(&owned);
    if (!a.font_path) {
        fprintf(stderr, "mmviz: no monospace font found: install DejaVu Sans Mono\n"
                        "  (Debian/Ubuntu: sudo apt-get install fonts-dejavu-core) or set MMVIZ_FONT=/path/to/font.ttf\n");
        scenario_free(sc);
        return EXIT_BAD_INPUT;
    }
    if (!viz_model_open(&a.vm, sc, err, sizeof err)) {
        fprintf(stderr, "mmviz: %s: %s\n", o.file, err);
        viz_model_close(&a.vm);
        free(owned);
        return EXIT_BAD_INPUT;
    }
    if (o.headless)
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
    int status;
    if (SDL_Init(0) != 0 || TTF_Init() != 0) {
        fprintf(stderr, "mmviz: cannot start SDL: %s\n", SDL_GetError());
        status = 1;
    } else {
        status = o.headless ? headless(&a, &o) : windowed(&a, &o);
    }
    viz_script_free(a.script);
    viz_app_free(&a);
    free(owned);
    TTF_Quit();
    IMG_Quit();
    SDL_Quit();
    return status;
}
