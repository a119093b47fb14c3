/*
 * headless.c - drawing without a display: SDL's software renderer on a
 * plain surface, saved with IMG_SavePNG. Also the pieces the window shares
 * with it: (re)layout for a size, saving what was drawn, tearing down.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <SDL_image.h>

#include "app.h"
#include "show.h"

bool viz_app_resize(struct viz_app *a, int w, int h, char *err, size_t err_size)
{
    int px = viz_font_px(h);
    if (!a->gfx.font || px != a->font_px) {
        viz_gfx_free(&a->gfx);
        if (!viz_gfx_init(&a->gfx, a->ren, a->font_path, px, err, err_size))
            return false;
        a->font_px = px;
    }
    viz_layout_compute(&a->lay, w, h, mm_frame_count(a->vm.r.m), a->gfx.line_h, a->gfx.char_w);
    return true;
}

bool viz_app_save_png(struct viz_app *a, const char *file)
{
    SDL_Surface *s = a->target;
    bool own = false;
    if (!s) {
        s = SDL_CreateRGBSurfaceWithFormat(0, a->lay.w, a->lay.h, 32, SDL_PIXELFORMAT_ARGB8888);
        if (!s || SDL_RenderReadPixels(a->ren, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch) != 0) {
            fprintf(stderr, "mmviz: cannot read the picture back: %s\n", SDL_GetError());
            SDL_FreeSurface(s);
            return false;
        }
        own = true;
    }
    /* through a FILE of our own: IMG_SavePNG does not report a write that
     * fails when the file is closed (a full disk) */
    bool to_stdout = strcmp(file, "-") == 0;   /* --out -: the picture is standard output */
    FILE *f = to_stdout ? stdout : fopen(file, "wb");
    int open_errno = errno;
    SDL_RWops *rw = f ? SDL_RWFromFP(f, SDL_FALSE) : NULL;
    errno = 0;
    bool ok = rw && IMG_SavePNG_RW(s, rw, 0) == 0;
    int e = errno;   /* a write that failed in the save: why, when the stream says it failed */
    const char *why = ok || !rw ? NULL : IMG_GetError();
    if (rw)
        SDL_RWclose(rw);
    if (f) {
        bool failed = ferror(f);
        errno = 0;
        ok = !failed && fflush(f) == 0 && ok;
        e = failed && e ? e : errno;
        ok = (to_stdout || fclose(f) == 0) && ok;
        e = e ? e : errno;
        if (!ok && !why)
            why = strerror(e ? e : EIO);
    } else {
        why = strerror(open_errno);
    }
    if (!ok) {
        char shown[64 * SHOW_EXPANSION + 8];
        fprintf(stderr, "mmviz: cannot write %s: %s\n",
                to_stdout ? "the picture to standard output" : show_text(file, strlen(file), 64, shown, sizeof shown),
                why);
    }
    if (own)
        SDL_FreeSurface(s);
    return ok;
}

/* The software renderer on a w x h surface, made once. */
static bool headless_target(struct viz_app *a, int w, int h, char *err, size_t err_size)
{
    if (a->target)
        return true;
    a->target = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    a->ren = a->target ? SDL_CreateSoftwareRenderer(a->target) : NULL;
    if (!a->ren) {
        snprintf(err, err_size, "cannot make a software renderer: %s", SDL_GetError());
        return false;
    }
    return viz_app_resize(a, w, h, err, err_size);
}

static SDL_Surface *draw_now(struct viz_app *a)
{
    a->ui.anim_t = -1;   /* a picture shows the state after the step */
    viz_draw(&a->gfx, &a->lay, &a->vm, &a->ui);
    SDL_RenderPresent(a->ren);
    return a->target;
}

SDL_Surface *viz_headless_render(struct viz_app *a, uint32_t step, int w, int h, char *err, size_t err_size)
{
    if (!headless_target(a, w, h, err, err_size))
        return NULL;
    viz_app_goto(a, step);
    return draw_now(a);
}

SDL_Surface *viz_headless_render_now(struct viz_app *a, int w, int h, char *err, size_t err_size)
{
    if (!headless_target(a, w, h, err, err_size))
        return NULL;
    return draw_now(a);
}

void viz_app_free(struct viz_app *a)
{
    viz_gfx_free(&a->gfx);
    if (a->ren)
        SDL_DestroyRenderer(a->ren);
    if (a->target)
        SDL_FreeSurface(a->target);
    if (a->win)
        SDL_DestroyWindow(a->win);
    viz_model_close(&a->vm);
    a->ren = NULL;
    a->target = NULL;
    a->win = NULL;
}
