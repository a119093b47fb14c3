/*
 * story.c - the narration panel: the scenario's latest note, any failed
 * expectation, then the narrator's words for the step, the summary first
 * and the page-by-page details after it, so the lines that say what the
 * step did ("trimmed 12 pages from editor", "one write of 4 pages") come
 * before the lines for each frame and PTE. The panel scrolls (the wheel,
 * PgUp/PgDn; --scroll headless) and says how many lines are hidden. A
 * debugger command's output takes the panel's place until the step
 * changes.
 */
#include <stdio.h>
#include <string.h>

#include "render.h"

#define PAD 6
#define HANG 4   /* a narration line wrapped onto the next is indented this much more */

static bool starts(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

/* Is a narration line about one page: a frame moving between lists, a
 * PTE or PDE written, a working-set entry, a paging-file slot, a TLB
 * lookup? (The narrator's event lines, narrate_event; everything else,
 * the step's header, its faults, the threads' lines, results and the
 * counts after it, is the summary.) */
bool viz_narration_detail(const char *line, size_t len)
{
    char s[96];
    size_t n = len < sizeof s - 1 ? len : sizeof s - 1;
    memcpy(s, line, n);
    s[n] = '\0';
    const char *t = s;
    while (*t == ' ')
        t++;
    if (t == s)
        return false;   /* the step's header is not indented */
    if (starts(t, "frame 0x") || starts(t, "PTE 0x") || starts(t, "PDE 0x") || starts(t, "hardware: ") ||
        starts(t, "TLB hit") || starts(t, "TLB miss") || starts(t, "address space of "))
        return true;
    unsigned file;
    char rest[8];
    if (sscanf(t, "paging file %u: %7s", &file, rest) == 2 && (!strcmp(rest, "frame") || !strcmp(rest, "slot")))
        return true;
    if (starts(t, "working set of ")) {
        const char *colon = strstr(t, ": 0x");
        return colon && (strstr(colon, " enters at entry ") || strstr(colon, " leaves entry "));
    }
    return false;
}

/* The narration's lines that match `detail`, in their order. */
static uint32_t add_narration(struct viz_lines *ls, const char *text, bool detail)
{
    uint32_t count = 0;
    while (*text) {
        const char *end = strchr(text, '\n');
        size_t n = end ? (size_t)(end - text) : strlen(text);
        if (n > 0 && viz_narration_detail(text, n) == detail) {
            char line[600];
            snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), text);
            const char *t = line;
            int indent = 0;
            while (*t == ' ')
                t++, indent++;
            viz_lines_add(ls, detail ? VIZ_STORY_DETAIL : VIZ_STORY_SUMMARY, VIZ_TEXT, indent, HANG, t);
            count++;
        }
        text += n + (end ? 1 : 0);
    }
    return count;
}

/* The width of the panel's text. */
static int text_width(const struct viz_layout *l)
{
    return l->story.w - 2 * PAD;
}

void viz_story_lines(const struct viz_layout *l, const struct viz_model *vm, const struct viz_ui *ui,
                     struct viz_lines *ls)
{
    viz_lines_init(ls, text_width(l), l->char_w);
    if (ui->kd_text[0]) {
        /* the debugger's columns matter: lines are cut, never wrapped */
        viz_lines_add_cut(ls, VIZ_STORY_KD, VIZ_TEXT, ui->kd_text);
        return;
    }
    const char *note = viz_model_note(vm);
    if (note[0])
        viz_lines_add(ls, VIZ_STORY_NOTE, VIZ_DIM, 0, 0, note);
    for (uint32_t i = 0; i < vm->res.nfailures && vm->step > 0; i++)
        viz_lines_add(ls, VIZ_STORY_FAILURE, viz_palette()->failure, 0, HANG, vm->res.failure[i]);
    if (!vm->narration)
        return;
    add_narration(ls, vm->narration, false);
    size_t heading = ls->n;
    viz_lines_add(ls, VIZ_STORY_HEADING, VIZ_DIM, 0, 0, "page by page:");
    if (add_narration(ls, vm->narration, true) == 0)
        ls->n = heading;   /* no details: no heading */
}

/* Rows of text under the panel's title. */
static int story_rows(const struct viz_layout *l)
{
    int top = l->story.y + PAD + l->line_h, bottom = l->story.y + l->story.h - PAD;
    return l->line_h > 0 ? (bottom - top) / l->line_h : 0;
}

size_t viz_story_max_scroll(const struct viz_layout *l, const struct viz_model *vm, const struct viz_ui *ui)
{
    struct viz_lines ls;
    viz_story_lines(l, vm, ui, &ls);
    size_t max = viz_lines_max_first(&ls, story_rows(l));
    viz_lines_free(&ls);
    return max;
}

size_t viz_story_first(const struct viz_layout *l, const struct viz_model *vm, const struct viz_ui *ui,
                       enum viz_story_tag tag)
{
    struct viz_lines ls;
    viz_story_lines(l, vm, ui, &ls);
    size_t i = 0;
    while (i < ls.n && ls.line[i].tag != (int)tag)
        i++;
    size_t first = i < ls.n ? i : 0;
    viz_lines_free(&ls);
    return first;
}

int viz_story_page(const struct viz_layout *l)
{
    int rows = story_rows(l) - 2;   /* less the markers */
    return rows > 1 ? rows : 1;
}

void viz_draw_story(struct viz_gfx *g, const struct viz_layout *l, const struct viz_model *vm,
                    const struct viz_ui *ui)
{
    char title[96];
    if (ui->kd_text[0])
        snprintf(title, sizeof title, "kd> %s   (Esc closes)", ui->kd_line);
    else
        snprintf(title, sizeof title, "The step: note and narration (summary first)");
    int y = viz_panel(g, &l->story, title);
    struct viz_lines ls;
    viz_story_lines(l, vm, ui, &ls);
    viz_lines_draw(g, &ls, l->story.x + PAD, y, text_width(l), l->story.y + l->story.h - PAD,
                   ui->story_scroll, "(wheel, PgUp/PgDn)");
    viz_lines_free(&ls);
}
