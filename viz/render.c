/*
 * render.c - the drawing primitives (fills, outlines, text from a glyph
 * atlas) and the top-level picture: every panel, then the animation, the
 * invariant banner and the help overlay on top.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

#define FIRST_GLYPH 32
#define LAST_GLYPH 126
#define DEBIAN_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"

static bool readable(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    fclose(f);
    return true;
}

const char *viz_find_font(char **owned)
{
    *owned = NULL;
    const char *env = getenv("MMVIZ_FONT");
    if (env && *env)
        return readable(env) ? env : NULL;
    if (readable(DEBIAN_FONT))
        return DEBIAN_FONT;
    FILE *p = popen("fc-match -f '%{file}' 'DejaVu Sans Mono:style=Book' 2>/dev/null", "r");
    if (!p)
        return NULL;
    char path[1024] = "";
    size_t n = fread(path, 1, sizeof path - 1, p);
    path[n] = '\0';
    pclose(p);
    if (n == 0 || !readable(path))
        return NULL;
    *owned = strdup(path);
    return *owned;
}

int viz_font_px(int height)
{
    int px = height / 60;
    return px < 11 ? 11 : px > 22 ? 22 : px;
}

/* Render every printable ASCII glyph once, side by side, into a texture. */
static bool build_atlas(struct viz_gfx *g, char *err, size_t err_size)
{
    int count = LAST_GLYPH - FIRST_GLYPH + 1;
    SDL_Surface *atlas = SDL_CreateRGBSurfaceWithFormat(0, g->char_w * count, g->glyph_h, 32,
                                                        SDL_PIXELFORMAT_ARGB8888);
    if (!atlas) {
        snprintf(err, err_size, "cannot make the glyph atlas: %s", SDL_GetError());
        return false;
    }
    SDL_FillRect(atlas, NULL, 0);
    SDL_Color white = {255, 255, 255, 255};
    for (int c = FIRST_GLYPH; c <= LAST_GLYPH; c++) {
        SDL_Surface *s = TTF_RenderGlyph_Blended(g->font, (Uint16)c, white);
        if (!s)
            continue;
        SDL_SetSurfaceBlendMode(s, SDL_BLENDMODE_NONE);
        SDL_Rect dst = {(c - FIRST_GLYPH) * g->char_w, 0, s->w, s->h};
        SDL_BlitSurface(s, NULL, atlas, &dst);
        SDL_FreeSurface(s);
    }
    g->glyphs = SDL_CreateTextureFromSurface(g->ren, atlas);
    SDL_FreeSurface(atlas);
    if (!g->glyphs) {
        snprintf(err, err_size, "cannot make the glyph texture: %s", SDL_GetError());
        return false;
    }
    SDL_SetTextureBlendMode(g->glyphs, SDL_BLENDMODE_BLEND);
    return true;
}

bool viz_gfx_init(struct viz_gfx *g, SDL_Renderer *ren, const char *font_path, int px,
                  char *err, size_t err_size)
{
    memset(g, 0, sizeof *g);
    g->ren = ren;
    g->font = TTF_OpenFont(font_path, px);
    if (!g->font) {
        snprintf(err, err_size, "cannot open the font %s: %s", font_path, TTF_GetError());
        return false;
    }
    int advance = 0;
    TTF_GlyphMetrics(g->font, 'M', NULL, NULL, NULL, NULL, &advance);
    g->char_w = advance > 0 ? advance : px / 2 + 1;
    g->glyph_h = TTF_FontHeight(g->font);
    g->line_h = TTF_FontLineSkip(g->font);
    if (g->line_h < g->glyph_h)
        g->line_h = g->glyph_h;
    if (!build_atlas(g, err, err_size)) {
        viz_gfx_free(g);
        return false;
    }
    return true;
}

void viz_gfx_free(struct viz_gfx *g)
{
    if (g->glyphs)
        SDL_DestroyTexture(g->glyphs);
    if (g->grid_tex)
        SDL_DestroyTexture(g->grid_tex);
    if (g->font)
        TTF_CloseFont(g->font);
    free(g->pixels);
    memset(g, 0, sizeof *g);
}

static void set_color(struct viz_gfx *g, uint32_t rgb)
{
    SDL_SetRenderDrawColor(g->ren, (Uint8)(rgb >> 16), (Uint8)(rgb >> 8), (Uint8)rgb, 255);
}

void viz_fill(struct viz_gfx *g, const SDL_Rect *r, uint32_t rgb)
{
    set_color(g, rgb);
    SDL_RenderFillRect(g->ren, r);
}

void viz_outline(struct viz_gfx *g, const SDL_Rect *r, uint32_t rgb)
{
    set_color(g, rgb);
    SDL_RenderDrawRect(g->ren, r);
}

int viz_text(struct viz_gfx *g, int x, int y, int max_w, uint32_t rgb, const char *s)
{
    SDL_SetTextureColorMod(g->glyphs, (Uint8)(rgb >> 16), (Uint8)(rgb >> 8), (Uint8)rgb);
    int x0 = x;
    for (const unsigned char *p = (const unsigned char *)s; *p && *p != '\n'; p++) {
        if ((*p & 0xC0) == 0x80)
            continue;   /* UTF-8 continuation: the lead byte drew a '?' */
        if (max_w > 0 && x - x0 + g->char_w > max_w)
            break;
        int c = *p >= FIRST_GLYPH && *p <= LAST_GLYPH ? *p : '?';
        if (*p == '\t')
            c = ' ';
        SDL_Rect src = {(c - FIRST_GLYPH) * g->char_w, 0, g->char_w, g->glyph_h};
        SDL_Rect dst = {x, y, g->char_w, g->glyph_h};
        if (c != ' ')
            SDL_RenderCopy(g->ren, g->glyphs, &src, &dst);
        x += g->char_w;
    }
    return x - x0;
}

int viz_textf(struct viz_gfx *g, int x, int y, int max_w, uint32_t rgb, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return viz_text(g, x, y, max_w, rgb, buf);
}

/* The length of the next line of at most `cols` characters, cut at a space. */
static size_t wrap_len(const char *s, size_t cols, size_t *skip)
{
    size_t n = 0, cut = 0;
    while (s[n] && s[n] != '\n' && n < cols) {
        if (s[n] == ' ')
            cut = n;
        n++;
    }
    if (s[n] == '\n' || !s[n]) {
        *skip = s[n] ? 1 : 0;
        return n;
    }
    if (cut == 0)
        cut = n;   /* a word longer than the line: break it */
    *skip = s[cut] == ' ' ? 1 : 0;
    return cut;
}

int viz_text_wrap(struct viz_gfx *g, const SDL_Rect *box, int y, uint32_t rgb, const char *s)
{
    size_t cols = (size_t)((box->w - 12) / g->char_w);
    if (cols < 8)
        cols = 8;
    char line[512];
    while (*s && y + g->line_h <= box->y + box->h) {
        size_t skip, n = wrap_len(s, cols < sizeof line ? cols : sizeof line - 1, &skip);
        memcpy(line, s, n);
        line[n] = '\0';
        viz_text(g, box->x + 6, y, box->w - 12, rgb, line);
        y += g->line_h;
        s += n + skip;
    }
    return y;
}

int viz_panel(struct viz_gfx *g, const SDL_Rect *r, const char *title)
{
    SDL_Rect inner = {r->x + 1, r->y + 1, r->w - 2, r->h - 2};
    viz_fill(g, r, VIZ_BG);
    viz_fill(g, &inner, VIZ_PANEL);
    viz_text(g, r->x + 6, r->y + 6, r->w - 12, VIZ_TITLE, title);
    return r->y + 6 + g->line_h;
}

/* The red banner across the top when the invariant checker failed. */
static void draw_banner(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm)
{
    SDL_Rect r = {0, l->top.y + l->top.h - g->line_h - 4, l->w, g->line_h + 4};
    viz_fill(g, &r, VIZ_ALARM);
    viz_textf(g, 6, r.y + 2, l->w - 12, 0xFFFFFFu, "INVARIANT BROKEN: %s", vm->check_msg);
}

void viz_draw(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
              const struct viz_ui *ui)
{
    set_color(g, VIZ_BG);
    SDL_RenderClear(g->ren);
    viz_draw_top(g, l, vm, ui);
    viz_draw_frames(g, l, vm, ui);
    viz_draw_legend(g, l, vm);
    viz_draw_pfn(g, l, vm, ui);
    viz_draw_story(g, l, vm);
    if (ui->kd_text[0])
        viz_draw_kd(g, l, ui);
    viz_draw_ws(g, l, vm, ui);
    viz_draw_vads(g, l, vm, ui);
    viz_draw_walk(g, l, vm, ui);
    if (ui->anim_t >= 0)
        viz_draw_anim(g, l, vm, ui);
    if (!vm->check_ok)
        draw_banner(g, l, vm);
    if (ui->help)
        viz_draw_help(g, l);
}
