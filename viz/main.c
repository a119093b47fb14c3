/*
 * main.c - mmviz: arguments, then either one headless picture or the
 * window loop (events, time, drawing, scripted input).
 *
 *   mmviz [--size WxH] [--step N] [--script FILE] [--theme dark|light] FILE
 *   mmviz --headless --step N --out FILE.png [--size WxH] [--theme dark|light]
 *         [--narration all|summary|details] [--scroll N] FILE
 *
 * Exit status: 0 fine; 1 a failure while running (a script check, a PNG
 * that cannot be written); 2 bad arguments (a --frame beyond the machine,
 * a --process it lacks), a bad scenario or script, no font (missing,
 * unreadable or not a font).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>

#include "app.h"
#include "args.h"
#include "parse.h"
#include "script.h"
#include "show.h"

#define EXIT_BAD_INPUT 2

static const char usage[] =
    "usage: mmviz [--size WxH] [--step N] [--script FILE] [--process NAME] [--va HEX]\n"
    "             [--theme dark|light] FILE\n"
    "       mmviz --headless --step N --out FILE.png [--size WxH] [--process NAME] [--va HEX]\n"
    "             [--frame N] [--theme dark|light] [--narration all|summary|details] [--scroll N]\n"
    "             FILE\n"
    "Plays a scenario step by step in a window; --headless renders the state after\n"
    "step N to a PNG without a display (--out -: to standard output). Keys: press ?\n"
    "in the window.\n"
    "--max-ticks N and --max-work N set the work budget as for mmsim run (mmsim help run).\n"
    "--check MODE: when the invariant checker runs, as mmsim run's --check (touched,\n"
    "the default; full; end).\n";

struct options {
    const char *file, *out, *script, *process;
    bool headless, has_va, has_frame;
    uint32_t step, frame, scroll;
    const char *narration;      /* --narration: where the panel starts */
    struct replay_budget budget;
    mm_va va;
    int w, h;
};

/* A whole number: decimal, or hexadecimal with 0x (always hexadecimal
 * when `hex`, as --va takes it); at most max. No sign, no junk, no
 * overflow. */
static bool number(const char *s, bool hex, unsigned long max, unsigned long *out)
{
    unsigned base = hex ? 16 : 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2, base = 16;
    if (!*s)
        return false;
    unsigned long v = 0;
    for (; *s; s++) {
        unsigned d = *s >= '0' && *s <= '9' ? (unsigned)(*s - '0')
                     : *s >= 'a' && *s <= 'f' ? (unsigned)(*s - 'a' + 10)
                     : *s >= 'A' && *s <= 'F' ? (unsigned)(*s - 'A' + 10) : 99;
        if (d >= base || v > (max - d) / base)
            return false;
        v = v * base + d;
    }
    *out = v;
    return true;
}

/* --size: WxH within the sizes mmviz takes. */
static bool size_arg(const char *s, int *w, int *h)
{
    int a, b;
    if (!viz_parse_size(s, VIZ_MAX_W > VIZ_MAX_H ? VIZ_MAX_W : VIZ_MAX_H, &a, &b))
        return false;
    int ca = a, cb = b;
    if (viz_clamp_size(&ca, &cb))
        return false;
    *w = a;
    *h = b;
    return true;
}

/* An argument as a message shows it: control and non-ASCII bytes as ?,
 * at most 64 bytes. */
/* An argument or a name as a message shows it: control characters and
 * bytes that are not UTF-8 as \xHH, cut after 64 bytes (show.h). Two
 * buffers, for two in one message. */
static const char *shown(const char *s)
{
    static char buf[2][64 * SHOW_EXPANSION + 8];
    static int next;
    next ^= 1;
    return show_text(s, strlen(s), 64, buf[next], sizeof buf[next]);
}

static bool bad(const char *what, const char *arg)
{
    fprintf(stderr, "mmviz: %s%s%s\n%s", what, arg ? ": " : "", arg ? shown(arg) : "", usage);
    return false;
}

/* --max-ticks, --max-work: 1 to REPLAY_BUDGET_LIMIT. */
static bool budget_value(const char *s, uint64_t *out)
{
    char why[160];
    return parse_number(s, REPLAY_BUDGET_LIMIT, out, why, sizeof why) && *out > 0;
}

/* The options that take a value. */
static const char *const valued[] = {"--step", "--size", "--out", "--script", "--process", "--va", "--frame",
                                     "--theme", "--scroll", "--narration", "--max-ticks", "--max-work",
                                     "--check"};

#define VALUED (sizeof valued / sizeof valued[0])

/* Which of them a is, or -1. */
static int takes_value(const char *a)
{
    for (size_t i = 0; i < VALUED; i++)
        if (!strcmp(a, valued[i]))
            return (int)i;
    return -1;
}

/* The words after the program's name, each option's value a word of its
 * own (args_split_values). */
static bool parse_words(int argc, char **argv, void *ctx)
{
    struct options *o = ctx;
    memset(o, 0, sizeof *o);
    o->w = 1280;
    o->h = 800;
    o->budget = (struct replay_budget){REPLAY_MAX_TICKS, REPLAY_MAX_WORK, REPLAY_CHECK_TOUCHED};
    bool has_step = false, only_files = false;   /* after "--": a file named like an option */
    const char *given[VALUED] = {0};             /* each option's value, taken once */
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long n;
        if (!only_files && !strcmp(a, "--")) {
            only_files = true;
            continue;
        }
        if (!only_files && !strcmp(a, "--headless")) {
            o->headless = true;
            continue;
        }
        if (!only_files && (!strcmp(a, "--help") || !strcmp(a, "-h"))) {
            fputs(usage, stdout);
            exit(0);
        }
        if (only_files || a[0] != '-') {
            if (o->file)
                return bad("one scenario at a time", a);
            if (!*a)
                return bad("an empty file name", NULL);
            o->file = a;
            continue;
        }
        int k = takes_value(a);
        if (k < 0) {
            fprintf(stderr, "mmviz: bad option or value: %s: no such option\n", shown(a));
            return bad("see the usage", NULL);
        }
        if (!v)
            return bad("missing value after", a);
        if (!args_once("mmviz", a, v, &given[k]))
            return false;
        i++;
        if (!strcmp(a, "--step") && number(v, false, SCN_MAX_STEPS, &n)) {
            o->step = (uint32_t)n;
            has_step = true;
        } else if (!strcmp(a, "--size") && size_arg(v, &o->w, &o->h)) {
        } else if (!strcmp(a, "--out") && *v) {
            o->out = v;
        } else if (!strcmp(a, "--script") && *v) {
            o->script = v;
        } else if (!strcmp(a, "--process") && *v) {
            o->process = v;
        } else if (!strcmp(a, "--va") && number(v, true, 0xFFFFFFFFul, &n)) {
            o->va = (mm_va)n;
            o->has_va = true;
        } else if (!strcmp(a, "--frame") && number(v, false, 0xFFFFFFFFul, &n)) {
            o->frame = (uint32_t)n;
            o->has_frame = true;
        } else if (!strcmp(a, "--check") && replay_check_parse(v) >= 0) {
            o->budget.check = (enum replay_check)replay_check_parse(v);
        } else if (!strcmp(a, "--theme") && viz_set_theme(v)) {
        } else if (!strcmp(a, "--scroll") && number(v, false, 1000000ul, &n)) {
            o->scroll = (uint32_t)n;
        } else if (!strcmp(a, "--narration") &&
                   (!strcmp(v, "all") || !strcmp(v, "summary") || !strcmp(v, "details"))) {
            o->narration = v;
        } else if (!strcmp(a, "--max-ticks") && budget_value(v, &o->budget.max_ticks)) {
        } else if (!strcmp(a, "--max-work") && budget_value(v, &o->budget.max_work)) {
        } else {
            fprintf(stderr, "mmviz: bad option or value: %s %s\n", a, shown(v));
            fprintf(stderr, "  (--step N: 0 to %u, --size WxH: %dx%d to %dx%d, --va: hex, --frame: a number,\n"
                            "   --theme: %s, --scroll: 0 to 1000000, --narration: all, summary or details;\n"
                            "   --max-ticks and --max-work: 1 to %llu; --check: touched, full or end;\n"
                            "   --out, --script and --process: not empty)\n",
                    SCN_MAX_STEPS, VIZ_MIN_W, VIZ_MIN_H, VIZ_MAX_W, VIZ_MAX_H, viz_theme_names(),
                    (unsigned long long)REPLAY_BUDGET_LIMIT);
            return bad("see the usage", NULL);
        }
    }
    if (!o->file)
        return bad("no scenario given", NULL);
    if (o->headless && (!o->out || !has_step))
        return bad("--headless needs --step N and --out FILE.png", NULL);
    if (!o->headless && o->out)
        return bad("--out is for --headless (in the window, the s key saves a picture)", NULL);
    if (o->headless && o->script)
        return bad("--script drives a window; it does nothing with --headless", NULL);
    if (!o->headless && (o->scroll || o->narration))
        return bad("--scroll and --narration are for --headless (in the window, the wheel and PgUp/PgDn scroll)",
                   NULL);
    return true;
}

static bool parse(int argc, char **argv, struct options *o)
{
    return args_parse_split(argc - 1, argv + 1, valued, sizeof valued / sizeof valued[0], parse_words, o);
}

/* A scenario that loads and stays within the budget; NULL, with every
 * error said, otherwise. */
static struct scenario *load(const char *file, const struct replay_budget *budget)
{
    return replay_load(file, budget, stderr);
}

/* Apply --process, --va and --frame over what the step suggests. */
static bool apply_choices(struct viz_app *a, const struct options *o)
{
    if (o->process) {
        uint32_t i = 0;
        while (i < a->vm.sc->nprocess_names && strcmp(a->vm.sc->process_names[i], o->process))
            i++;
        if (i == a->vm.sc->nprocess_names) {
            fprintf(stderr, "mmviz: %s has no process named '%s'\n", shown(o->file), shown(o->process));
            return false;
        }
        a->ui.process = (int)i;
    }
    if (o->has_va) {
        a->ui.walk_va = o->va;
        a->ui.walk_pinned = true;
    }
    if (o->has_frame && o->frame >= mm_frame_count(a->vm.r.m)) {
        fprintf(stderr, "mmviz: %s has no frame %" PRIu32 ": its machine has %" PRIu32 " frames (0 to %" PRIu32 ")\n",
                shown(o->file), o->frame, mm_frame_count(a->vm.r.m), mm_frame_count(a->vm.r.m) - 1);
        return false;
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
        fprintf(stderr, "mmviz: %s has %u steps; showing step %u\n", shown(o->file), a->vm.sc->nops, a->vm.step);
    viz_ui_follow(a);
    if (!apply_choices(a, o))
        return EXIT_BAD_INPUT;
    if (!viz_headless_render(a, a->vm.step, o->w, o->h, err, sizeof err)) {
        fprintf(stderr, "mmviz: %s\n", err);
        return 1;
    }
    apply_choices(a, o);   /* rendering followed the step again */
    /* the narration panel from the summary, or from the details, then
     * --scroll lines further */
    size_t from = 0;
    if (o->narration && strcmp(o->narration, "all"))
        from = viz_story_first(&a->lay, &a->vm, &a->ui,
                               !strcmp(o->narration, "summary") ? VIZ_STORY_SUMMARY : VIZ_STORY_HEADING);
    viz_app_scroll(a, (long)(from + o->scroll));
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
    /* With no display SDL falls back to a driver that shows nothing (its
     * window would wait for keys no one can press): refuse it unless
     * SDL_VIDEODRIVER asked for it. */
    const char *driver = SDL_GetCurrentVideoDriver(), *asked = SDL_getenv("SDL_VIDEODRIVER");
    if (driver && (!strcmp(driver, "offscreen") || !strcmp(driver, "dummy")) && !(asked && *asked)) {
        fprintf(stderr, "mmviz: no display (neither DISPLAY nor WAYLAND_DISPLAY leads to one); "
                        "use --headless to render a PNG\n");
        return 1;
    }
    char title[200];
    snprintf(title, sizeof title, "mmviz - %s", shown(a->vm.sc->name ? a->vm.sc->name : o->file));
    a->win = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, o->w, o->h,
                              SDL_WINDOW_RESIZABLE);
    if (a->win) {   /* the window manager keeps to the sizes --size takes */
        SDL_SetWindowMinimumSize(a->win, VIZ_MIN_W, VIZ_MIN_H);
        SDL_SetWindowMaximumSize(a->win, VIZ_MAX_W, VIZ_MAX_H);
    }
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

/* The font to draw with, or NULL after saying why there is none; a file
 * that cannot be read and one that is not a font are the same failure. */
static const char *find_font(char **owned)
{
    const char *path = viz_find_font(owned), *env = getenv("MMVIZ_FONT");
    if (!path && env && *env) {
        fprintf(stderr, "mmviz: no monospace font found: MMVIZ_FONT=%s cannot be read\n", shown(env));
        return NULL;
    }
    if (!path) {
        fprintf(stderr, "mmviz: no monospace font found: install DejaVu Sans Mono\n"
                        "  (Debian/Ubuntu: sudo apt-get install fonts-dejavu-core) or set MMVIZ_FONT=/path/to/font.ttf\n");
        return NULL;
    }
    return path;
}

/* Can SDL_ttf load the font? (After TTF_Init.) */
static bool font_loads(const char *path)
{
    TTF_Font *f = TTF_OpenFont(path, 12);
    if (!f) {
        fprintf(stderr, "mmviz: no monospace font found: %s is not a font SDL_ttf can load (%s)\n", shown(path),
                TTF_GetError());
        return false;
    }
    TTF_CloseFont(f);
    return true;
}

int main(int argc, char **argv)
{
    struct options o;
    if (!parse(argc, argv, &o))
        return EXIT_BAD_INPUT;
    struct scenario *sc = load(o.file, &o.budget);
    if (!sc)
        return EXIT_BAD_INPUT;
    struct viz_app a;
    memset(&a, 0, sizeof a);
    viz_ui_init(&a.ui);
    char err[300], *owned = NULL;
    a.font_path = find_font(&owned);
    if (!a.font_path || (o.script && !(a.script = viz_script_load(o.script)))) {
        scenario_free(sc);
        free(owned);
        return EXIT_BAD_INPUT;
    }
    if (!viz_model_open_checked(&a.vm, sc, o.budget.check, err, sizeof err)) {
        fprintf(stderr, "mmviz: %s: %s\n", shown(o.file), err);
        viz_model_close(&a.vm);
        viz_script_free(a.script);
        free(owned);
        return EXIT_BAD_INPUT;
    }
    if (o.headless)
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
    int status;
    if (SDL_Init(0) != 0 || TTF_Init() != 0) {
        fprintf(stderr, "mmviz: cannot start SDL: %s\n", SDL_GetError());
        status = 1;
    } else if (!font_loads(a.font_path)) {
        status = EXIT_BAD_INPUT;
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
