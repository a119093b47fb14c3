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
    free(g->boxes);
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

/* The mark of text cut short: a small triangle pointing right, in the
 * text's colour, in one character cell. */
static void cut_mark(struct viz_gfx *g, int x, int y)
{
    int half = g->glyph_h / 5 > 2 ? g->glyph_h / 5 : 2;
    int cy = y + g->glyph_h / 2, x0 = x + (g->char_w - half) / 2;
    for (int i = 0; i <= half; i++)
        SDL_RenderDrawLine(g->ren, x0 + i, cy - (half - i), x0 + i, cy + (half - i));
}

static void record_box(struct viz_gfx *g, int x, int y, int w, bool cut, const char *s, size_t n)
{
    if (g->nboxes == g->boxes_cap) {
        size_t cap = g->boxes_cap ? g->boxes_cap * 2 : 256;
        struct viz_text_box *p = realloc(g->boxes, cap * sizeof *p);
        if (!p)
            return;
        g->boxes = p;
        g->boxes_cap = cap;
    }
    while (n > 0 && *s == ' ')
        s++, n--;
    struct viz_text_box *b = &g->boxes[g->nboxes++];
    b->r = (SDL_Rect){x, y, w, g->glyph_h};
    b->cut = cut;
    snprintf(b->text, sizeof b->text, "%.*s", (int)n, s);
}

void viz_gfx_boxes_clear(struct viz_gfx *g)
{
    g->nboxes = 0;
}

int viz_text(struct viz_gfx *g, int x, int y, int max_w, uint32_t rgb, const char *s)
{
    if (max_w <= 0)
        return 0;
    SDL_SetTextureColorMod(g->glyphs, (Uint8)(rgb >> 16), (Uint8)(rgb >> 8), (Uint8)rgb);
    /* the characters of the line (a UTF-8 sequence draws one '?') */
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && *p != '\n'; p++)
        chars += (*p & 0xC0) != 0x80;
    size_t fit = (size_t)(max_w / g->char_w), draw = chars;
    bool cut = chars > fit;
    if (cut)
        draw = fit ? fit - 1 : 0;
    int ink0 = -1, ink1 = -1;   /* the first and last cell with ink */
    size_t k = 0;
    const unsigned char *p = (const unsigned char *)s;
    for (; *p && *p != '\n' && k < draw; p++) {
        if ((*p & 0xC0) == 0x80)
            continue;
        int c = *p >= FIRST_GLYPH && *p <= LAST_GLYPH ? *p : '?';
        if (*p == '\t')
            c = ' ';
        if (c != ' ') {
            SDL_Rect src = {(c - FIRST_GLYPH) * g->char_w, 0, g->char_w, g->glyph_h};
            SDL_Rect dst = {x + (int)k * g->char_w, y, g->char_w, g->glyph_h};
            SDL_RenderCopy(g->ren, g->glyphs, &src, &dst);
            if (ink0 < 0)
                ink0 = (int)k;
            ink1 = (int)k;
        }
        k++;
    }
    if (cut && fit) {
        set_color(g, rgb);
        cut_mark(g, x + (int)k * g->char_w, y);
        if (ink0 < 0)
            ink0 = (int)k;
        ink1 = (int)k;
        k++;
    }
    if (g->record_boxes && ink0 >= 0)
        record_box(g, x + ink0 * g->char_w, y, (ink1 - ink0 + 1) * g->char_w, cut && fit, s, (size_t)((const char *)p - s));
    return (int)k * g->char_w;
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
    viz_textf(g, 6, r.y + 2, l->w - 12, viz_palette()->alarm_text, "INVARIANT BROKEN: %s", vm->check_msg);
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
    viz_draw_story(g, l, vm, ui);
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
