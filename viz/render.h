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
#include "lines.h"
#include "model.h"

/* Colours are 0xRRGGBB, all from the palette of the theme in use
 * (palette.c): a dark one for screens, a light one for print. */
struct viz_palette {
    const char *name;
    uint32_t bg, panel;         /* between panels (the rules), inside them */
    uint32_t text, dim, hilite, title;
    uint32_t failure;           /* a failed expectation's words */
    uint32_t alarm, alarm_text; /* the invariant banner */
    uint32_t mark;              /* the page-table / directory edge of a cell */
    uint32_t changed;           /* behind bits a step changed */
    uint32_t tlb_full, tlb_empty;
    uint32_t label_on_dark, label_on_light;   /* frame numbers in cells */
    /* the grid: one colour per PageLocation, Standby per priority, Active
     * per owning process */
    uint32_t zeroed, free, standby[8], modified, modified_no_write, bad, in_io;
    uint32_t owner[8], system_active, unknown;
    uint32_t proto_pool;        /* paged pool holding prototype PTEs */
};

/* The palette in use (dark until viz_set_theme). */
const struct viz_palette *viz_palette(void);
/* Use the theme called `name` ("dark" or "light"); false if there is none. */
bool viz_set_theme(const char *name);
/* The theme names, for messages: "dark, light". */
const char *viz_theme_names(void);
/* The contrast ratio of two colours as WCAG 2 defines it: 1 (none) to 21
 * (black on white); 4.5 is its minimum for text. */
double viz_contrast(uint32_t a, uint32_t b);
/* The colour of a frame number on a cell of colour `cell`: the palette's
 * light or dark label colour, whichever contrasts more. */
uint32_t viz_label_color(uint32_t cell);

#define VIZ_BG        (viz_palette()->bg)
#define VIZ_PANEL     (viz_palette()->panel)
#define VIZ_TEXT      (viz_palette()->text)
#define VIZ_DIM       (viz_palette()->dim)
#define VIZ_HILITE    (viz_palette()->hilite)
#define VIZ_TITLE     (viz_palette()->title)
#define VIZ_ALARM     (viz_palette()->alarm)
#define VIZ_MARK      (viz_palette()->mark)
#define VIZ_TLB_FULL  (viz_palette()->tlb_full)
#define VIZ_TLB_EMPTY (viz_palette()->tlb_empty)

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
    char kd_text[8192];         /* its output, shown in the narration panel until
                                   the step changes or Esc; "" for none */
    size_t story_scroll;        /* the narration panel's first line shown */
};

/* A text box drawn (for the tests that no two overlap): the pixels its
 * ink spans, leading and trailing spaces left out. */
struct viz_text_box {
    SDL_Rect r;
    bool cut;                   /* cut short (drawn with the mark) */
    char text[96];              /* its start, for messages and tests */
};

struct viz_gfx {
    SDL_Renderer *ren;
    TTF_Font *font;
    SDL_Texture *glyphs;        /* ASCII 32..126 in one row, white on clear */
    int char_w, line_h, glyph_h;
    SDL_Texture *grid_tex;      /* streaming: one texel per grid pixel */
    int grid_tw, grid_th;
    uint32_t *pixels;
    /* when record_boxes is set, every piece of text drawn is added here
     * (viz_gfx_boxes_clear empties it); off in normal use */
    bool record_boxes;
    struct viz_text_box *boxes;
    size_t nboxes, boxes_cap;
};

/* No width limit for viz_text. */
#define VIZ_NO_LIMIT 0x7FFFFFFF

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
/* One line of text (up to a newline) in at most max_w pixels
 * (VIZ_NO_LIMIT: none; 0 or less: nothing is drawn). Text that does not
 * fit is cut and its last cell shows a small triangle, the mark of text
 * cut short. Returns the width drawn. */
int viz_text(struct viz_gfx *g, int x, int y, int max_w, uint32_t rgb, const char *s);
int viz_textf(struct viz_gfx *g, int x, int y, int max_w, uint32_t rgb, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Forget the recorded text boxes. */
void viz_gfx_boxes_clear(struct viz_gfx *g);

/* A panel: background and a title line; returns the y of the first line. */
int viz_panel(struct viz_gfx *g, const SDL_Rect *r, const char *title);

/* The whole picture (render.c). */
void viz_draw(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
              const struct viz_ui *ui);

/* frames.c: the physical-memory grid. */
uint32_t viz_location_color(enum mm_list loc, unsigned priority, int owner);
/* The colour a frame's cell has now at the point viz_frame_sample gives
 * (a cell split into stripes shows several; owner: the process whose page
 * it is). */
uint32_t viz_frame_color(const struct viz_layout *l, const struct viz_model *vm, mm_pfn frame);
/* Is the frame a page of a section (PFN PrototypePte) in memory? Its cell
 * carries the mark colour along its bottom. */
bool viz_frame_is_section_page(const struct viz_model *vm, mm_pfn frame);
/* Who maps the pages of sections: every valid PTE of a running process
 * (found through its working set) naming a PrototypePte frame, sorted by
 * frame, then process, then VA. */
struct viz_share {
    mm_pfn frame;
    int process;                /* index into sc->process_names */
    mm_va va;                   /* the page it maps there */
};
struct viz_shares {
    struct viz_share *s;
    size_t n, cap;
};
void viz_shares_build(const struct viz_model *vm, struct viz_shares *sh);
void viz_shares_free(struct viz_shares *sh);
/* The mappings of one frame: sh->s[*first .. *first + count). */
size_t viz_shares_of(const struct viz_shares *sh, mm_pfn frame, size_t *first);
/* Is the frame a page table or a page directory (marked in its cell)? */
bool viz_frame_is_table(const struct viz_model *vm, mm_pfn frame);
/* The process (index into sc->process_names) whose page an active frame
 * is, or -1. */
int viz_frame_owner(const struct viz_model *vm, mm_pfn frame);
void viz_draw_frames(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
                     const struct viz_ui *ui);

/* section.c: sections, their views and the segment panel. */
struct viz_view {
    uint32_t section;
    mm_va base;                 /* the view's first address */
    uint32_t first_page, pages; /* the section pages it maps */
    uint32_t page;              /* the section page the VA asked about is */
};
/* The view of a section holding va in process pid, if va is in one. */
bool viz_view_of(const struct viz_model *vm, uint32_t pid, mm_va va, struct viz_view *view);
/* The section the segment panel shows: that of the selected process's
 * view holding the walked VA (*walked), else of its first view
 * (*has_view), else the first live section; false when there is none. */
bool viz_shown_section(const struct viz_model *vm, const struct viz_ui *ui, uint32_t *section,
                       struct viz_view *view, bool *has_view, bool *walked);
/* A prototype PTE's value in words: valid (frame, ShareCount),
 * transition (frame, list), demand zero, paging file (file, slot), or in
 * the mapped file (a subsection PTE: the file and subsection; with
 * `fields`, also its protection and the subsection's address). */
void viz_proto_words(const struct viz_model *vm, mm_pte proto, bool fields, char *out, size_t size);
/* The VADs panel's part and the segment panel's below it when the
 * machine has a live section and the panel has room for both (the VADs
 * get their rows, the segment the rest); else false and the VADs have
 * the whole panel. */
bool viz_vads_split(const struct viz_layout *l, const struct viz_model *vm, const struct viz_ui *ui, SDL_Rect *vads,
                    SDL_Rect *segment);
void viz_draw_segment(struct viz_gfx *g, const SDL_Rect *r, const struct viz_model *vm, const struct viz_ui *ui);
/* The section and page of the segment panel's row under a point, if any
 * (a click there shows the page's frame and walks it in the view). */
bool viz_segment_page_at(const struct viz_layout *l, const struct viz_model *vm, const struct viz_ui *ui, int x, int y,
                         uint32_t *section, uint32_t *page);

/* panels.c */
void viz_draw_top(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
                  const struct viz_ui *ui);
void viz_draw_legend(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm);
/* The point of the legend row of a list (where animated frames travel). */
void viz_legend_point(const struct viz_layout *l, enum mm_list loc, int *x, int *y);
void viz_draw_pfn(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
                  const struct viz_ui *ui);
/* The top bar's second line: the step's op (process, thread), status,
 * and the faults this step raised (from its own events: none shown from
 * an earlier step). */
void viz_step_summary(const struct viz_model *vm, char *out, size_t size);

/* story.c: the narration panel. Its lines' tags: */
enum viz_story_tag {
    VIZ_STORY_NOTE = 1, VIZ_STORY_FAILURE, VIZ_STORY_SUMMARY, VIZ_STORY_HEADING, VIZ_STORY_DETAIL, VIZ_STORY_KD,
};
/* Is this narration line (len characters) one of the page-by-page
 * details (a frame, PTE, working-set entry, paging-file slot or TLB
 * lookup) rather than the step's summary? */
bool viz_narration_detail(const char *line, size_t len);
/* The panel's lines: the debugger output when shown, else the note, the
 * failed expectations, the narration's summary lines, then "page by
 * page:" and its details. Free with viz_lines_free. */
void viz_story_lines(const struct viz_layout *l, const struct viz_model *vm, const struct viz_ui *ui,
                     struct viz_lines *ls);
/* The largest scroll (first line shown) that still fills the panel. */
size_t viz_story_max_scroll(const struct viz_layout *l, const struct viz_model *vm, const struct viz_ui *ui);
/* The first line with a tag (VIZ_STORY_SUMMARY: the narration's first
 * line; VIZ_STORY_HEADING: "page by page:"), 0 when there is none. */
size_t viz_story_first(const struct viz_layout *l, const struct viz_model *vm, const struct viz_ui *ui,
                       enum viz_story_tag tag);
/* Lines one PgUp/PgDn moves. */
int viz_story_page(const struct viz_layout *l);
void viz_draw_story(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
                    const struct viz_ui *ui);
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
