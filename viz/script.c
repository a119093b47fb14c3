/*
 * script.c - synthetic input for a real window (see script.h). One
 * command runs per loop turn, so the events it pushes are handled and
 * drawn before the next command checks anything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "script.h"

#define MAX_LINES 1000

struct viz_script {
    char *file;
    char *line[MAX_LINES];
    int nlines, next;
    Uint32 wait_until;
    bool idle;
};

struct viz_script *viz_script_load(const char *file)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        fprintf(stderr, "mmviz: cannot open the script %s\n", file);
        return NULL;
    }
    struct viz_script *s = calloc(1, sizeof *s);
    char buf[256];
    while (s && fgets(buf, sizeof buf, f)) {
        buf[strcspn(buf, "\r\n")] = '\0';
        if (buf[0] == '\0' || buf[0] == '#')
            continue;
        if (s->nlines == MAX_LINES) {
            fprintf(stderr, "mmviz: %s: more than %d commands\n", file, MAX_LINES);
            break;
        }
        s->line[s->nlines++] = strdup(buf);
    }
    fclose(f);
    if (s)
        s->file = strdup(file);
    return s;
}

void viz_script_free(struct viz_script *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nlines; i++)
        free(s->line[i]);
    free(s->file);
    free(s);
}

static void push_key(const char *name)
{
    SDL_Keycode k = SDL_GetKeyFromName(name);
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = k;
    e.key.keysym.scancode = SDL_GetScancodeFromKey(k);
    SDL_PushEvent(&e);
    e.type = SDL_KEYUP;
    e.key.state = SDL_RELEASED;
    SDL_PushEvent(&e);
}

static void push_text(const char *text)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_TEXTINPUT;
    size_t n = strlen(text);
    if (n >= sizeof e.text.text)
        n = sizeof e.text.text - 1;   /* SDL's text events hold 31 bytes */
    memcpy(e.text.text, text, n);
    SDL_PushEvent(&e);
}

static void push_click(int x, int y)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_MOUSEBUTTONDOWN;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.state = SDL_PRESSED;
    e.button.x = x;
    e.button.y = y;
    e.button.clicks = 1;
    SDL_PushEvent(&e);
    e.type = SDL_MOUSEBUTTONUP;
    e.button.state = SDL_RELEASED;
    SDL_PushEvent(&e);
}

static void fail(struct viz_script *s, struct viz_app *a, const char *what, unsigned long want, unsigned long got)
{
    fprintf(stderr, "mmviz: %s: line '%s': %s is %lu (0x%lX), expected %lu (0x%lX)\n", s->file,
            s->line[s->next - 1], what, got, got, want, want);
    a->exit_status = 1;
}

/* The middle of working-set row i (rows as wspanel.c draws them). */
static void ws_row_point(const struct viz_app *a, int i, int *x, int *y)
{
    *x = a->lay.ws.x + 6 + 4 * a->lay.char_w;
    *y = a->lay.ws.y + 6 + (2 + i) * a->lay.line_h + a->lay.line_h / 2;
}

/* One command (waits only set the script's wait state). */
static void command(struct viz_script *s, struct viz_app *a, const char *cmd, const char *arg)
{
    unsigned long n = strtoul(arg, NULL, 0);
    SDL_Rect r;
    if (!strcmp(cmd, "key")) {
        push_key(arg);
    } else if (!strcmp(cmd, "text")) {
        push_text(arg);
    } else if (!strcmp(cmd, "click-frame") && viz_frame_rect(&a->lay, (uint32_t)n, &r)) {
        push_click(r.x + r.w / 2, r.y + r.h / 2);
    } else if (!strcmp(cmd, "click-ws")) {
        int x, y;
        ws_row_point(a, (int)n, &x, &y);
        push_click(x, y);
    } else if (!strcmp(cmd, "wait")) {
        s->wait_until = SDL_GetTicks() + (Uint32)n;
    } else if (!strcmp(cmd, "idle")) {
        s->idle = true;
    } else if (!strcmp(cmd, "shot")) {
        static char name[256];
        snprintf(name, sizeof name, "%s", arg);
        a->shot_file = name;
    } else if (!strcmp(cmd, "expect-step")) {
        if (a->vm.step != n)
            fail(s, a, "the step", n, a->vm.step);
    } else if (!strcmp(cmd, "expect-step-min")) {
        if (a->vm.step < n)
            fail(s, a, "the step (at least)", n, a->vm.step);
    } else if (!strcmp(cmd, "expect-frame")) {
        if (!a->ui.has_frame || a->ui.frame != n)
            fail(s, a, "the PFN panel's frame", n, a->ui.has_frame ? a->ui.frame : 0xFFFFFFFFul);
    } else if (!strcmp(cmd, "expect-walk")) {
        n = strtoul(arg, NULL, 16);
        if (a->ui.walk_va != n)
            fail(s, a, "the walked VA", n, a->ui.walk_va);
    } else if (!strcmp(cmd, "resize")) {
        int w = 0, h = 0;
        sscanf(arg, "%dx%d", &w, &h);
        if (a->win && w > 0 && h > 0)
            SDL_SetWindowSize(a->win, w, h);
    } else if (!strcmp(cmd, "expect-width")) {
        if ((unsigned long)a->lay.w != n)
            fail(s, a, "the layout's width", n, (unsigned long)a->lay.w);
    } else if (!strcmp(cmd, "expect-animating")) {
        if ((a->ui.anim_t >= 0) != (n != 0))
            fail(s, a, "animating", n, a->ui.anim_t >= 0);
    } else if (!strcmp(cmd, "expect-help")) {
        if (a->ui.help != (n != 0))
            fail(s, a, "the help overlay", n, a->ui.help);
    } else if (!strcmp(cmd, "expect-kd")) {
        /* the debugger output shown holds this text */
        if (!strstr(a->ui.kd_text, arg)) {
            fprintf(stderr, "mmviz: %s: line '%s': the debugger output does not contain '%s'; it is:\n%s\n", s->file,
                    s->line[s->next - 1], arg, a->ui.kd_text[0] ? a->ui.kd_text : "(none)");
            a->exit_status = 1;
        }
    } else if (!strcmp(cmd, "expect-kd-shown")) {
        if ((a->ui.kd_text[0] != '\0') != (n != 0))
            fail(s, a, "the debugger output shown", n, a->ui.kd_text[0] != '\0');
    } else if (!strcmp(cmd, "quit")) {
        a->quit = true;
    } else {
        fprintf(stderr, "mmviz: %s: cannot do '%s %s'\n", s->file, cmd, arg);
        a->exit_status = 1;
        a->quit = true;
    }
}

void viz_script_run(struct viz_script *s, struct viz_app *a)
{
    if (s->wait_until && SDL_GetTicks() < s->wait_until)
        return;
    s->wait_until = 0;
    if (s->idle && (a->ui.anim_t >= 0 || a->ui.playing))
        return;
    s->idle = false;
    if (s->next >= s->nlines) {
        a->quit = true;
        return;
    }
    char cmd[32] = "", arg[200] = "";
    sscanf(s->line[s->next++], "%31s %199[^\n]", cmd, arg);
    command(s, a, cmd, arg);
}
