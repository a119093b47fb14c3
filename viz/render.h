/*
 * render.h - drawing the whole picture through an SDL_Renderer, so the
 * same code draws into a window and, headless, into a software surface.
 * Text comes from a glyph atlas of one monospace TTF font (ASCII only:
 * every string the engine and the narrator produce is ASCII).
 */
#ifndef MMVIZ_RENDER_H
#define MMVIZ_RENDER_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "layout.h"
#include "model.h"

/* Colours are 0xRRGGBB. */
#define VIZ_BG        0x15181Du
#define VIZ_PANEL     0x1E2228u
#define VIZ_TEXT      0xE6E6E6u
#define VIZ_DIM       0x9AA0A6u
#define VIZ_HILITE    0xFFD54Fu
#define VIZ_TITLE     0x8AB4F8u
#define VIZ_ALARM     0xC62828u
#define VIZ_MARK      0xFFFFFFu    /* the page-table / directory mark */
#define VIZ_TLB_FULL  0x8AB4F8u    /* a TLB entry holding a translation */
#define VIZ_TLB_EMPTY 0x2E343Du    /* an empty TLB entry */

/* What the user is doing (not part of the machine). */
struct viz_ui {
    int process;                /* selected process: index into sc->process_names */
    mm_va walk_va;              /* the VA of the walk panel */
    bool walk_pinned;           /* typed or clicked: do not follow the steps */
    mm_pfn frame;               /* the frame of the PFN panel */
    bool has_frame;
    bool help;                  /* the help overlay is up */
    bool typing;                /* 'w': a VA is being typed */
    char typed[16];
    bool playing;
    double speed;               /* animation speed factor */
    double anim_t;              /* seconds into the current step's animation; < 0: none */
    char message[160];          /* a transient line for the top bar */
    bool kd_typing;             /* 'k': a debugger command is being typed */
    char kd_typed[64];
    char kd_line[64];           /* the command whose text kd_text holds */
    char kd_text[8192];         /* its output, shown over the narration until the
                                   step changes or Esc; "" for none */
};

struct viz_gfx {
    SDL_Renderer *ren;
    TTF_Font *font;
    SDL_Texture *glyphs;        /* ASCII 32..126 in one row, white on clear */
    int char_w, line_h, glyph_h;
    SDL_Texture *grid_tex;      /* streaming: one texel per grid pixel */
    int grid_tw, grid_th;
    uint32_t *pixels;
};

/* Find the monospace font: $MMVIZ_FONT, Debian's DejaVu path, fc-match.
 * NULL when none is found. The string is static or malloc'd (*owned). */
const char *viz_find_font(char **owned);
/* Load the font at px and build the glyph atlas; false with a sentence. */
bool viz_gfx_init(struct viz_gfx *g, SDL_Renderer *ren, const char *font_path, int px,
                  char *err, size_t err_size);
void viz_gfx_free(struct viz_gfx *g);
/* The font size for a picture height: readable from 1280x800 up. */
int viz_font_px(int height);

/* Drawing primitives. */
void viz_fill(struct viz_gfx *g, const SDL_Rect *r, uint32_t rgb);
void viz_outline(struct viz_gfx *g, const SDL_Rect *r, uint32_t rgb);
/* One line of text, cut at max_w pixels (0: no limit); returns its width. */
int viz_text(struct viz_gfx *g, int x, int y, int max_w, uint32_t rgb, const char *s);
int viz_textf(struct viz_gfx *g, int x, int y, int max_w, uint32_t rgb, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Word-wrapped text inside a box from y; returns the y after it (stops
 * at the box's bottom). */
int viz_text_wrap(struct viz_gfx *g, const SDL_Rect *box, int y, uint32_t rgb, const char *s);
/* A panel: background and a title line; returns the y of the first line. */
int viz_panel(struct viz_gfx *g, const SDL_Rect *r, const char *title);

/* The whole picture (render.c). */
void viz_draw(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
              const struct viz_ui *ui);

/* frames.c: the physical-memory grid. */
uint32_t viz_location_color(enum mm_list loc, unsigned priority, int owner);
/* The colour a frame's cell has now (owner: the process whose page it is). */
uint32_t viz_frame_color(const struct viz_model *vm, mm_pfn frame);
/* Is the frame a page table or a page directory (marked in its cell)? */
bool viz_frame_is_table(const struct viz_model *vm, mm_pfn frame);
/* The process (index into sc->process_names) whose page an active frame
 * is, or -1. */
int viz_frame_owner(const struct viz_model *vm, mm_pfn frame);
void viz_draw_frames(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
                     const struct viz_ui *ui);

/* panels.c */
void viz_draw_top(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
                  const struct viz_ui *ui);
void viz_draw_legend(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm);
/* The point of the legend row of a list (where animated frames travel). */
void viz_legend_point(const struct viz_layout *l, enum mm_list loc, int *x, int *y);
void viz_draw_pfn(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
                  const struct viz_ui *ui);
void viz_draw_story(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm);
void viz_draw_ws(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
                 const struct viz_ui *ui);
/* The working-set entry index under a point of the ws panel, if any. */
bool viz_ws_entry_at(const struct viz_layout *l, const struct viz_model *vm, const struct viz_ui *ui,
                     int x, int y, uint32_t *index);
void viz_draw_vads(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
                   const struct viz_ui *ui);
void viz_draw_walk(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
                   const struct viz_ui *ui);
/* The frame the walk panel's PTE line names, if the point is on it. */
/* The cell of TLB entry i in the walk panel's TLB strip; false when the
 * panel has no room for the strip or for that entry. */
bool viz_tlb_cell(const struct viz_layout *l, const struct viz_model *vm, uint32_t i, SDL_Rect *cell);
bool viz_walk_frame_at(const struct viz_layout *l, const struct viz_model *vm, const struct viz_ui *ui,
                       int x, int y, mm_pfn *frame);
void viz_draw_help(struct viz_gfx *g, const struct viz_layout *l);
/* The output of the last debugger command (ui->kd_text) in the narration
 * panel, line by line, cut with a marker when it does not fit. */
void viz_draw_kd(struct viz_gfx *g, const struct viz_layout *l, const struct viz_ui *ui);
/* The pid of the selected process, 0 if it is not running. */
uint32_t viz_ui_pid(const struct viz_model *vm, const struct viz_ui *ui);

/* anim.c: the step's events played in order. */
/* Seconds the current step's animation lasts at speed 1. */
double viz_anim_length(const struct viz_model *vm);
void viz_draw_anim(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
                   const struct viz_ui *ui);
/* Did the step change the entry at pte_va (a self-map address) of process
 * pid? Its value before the step goes to *old. */
bool viz_pte_changed(const struct viz_model *vm, uint32_t pid, mm_va pte_va, mm_pte *old);

#endif
