/*
 * script.c - synthetic input for a real window (see script.h). The whole
 * script is read and checked before the window opens: a bad line is an
 * error naming the file and line, never a command skipped or half done.
 * One command runs per loop turn, so the events it pushes are handled and
 * drawn before the next command checks anything.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/types.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "script.h"

#define MAX_LINES 1000
#define MAX_LINE 255   /* characters of one line, its end excluded */

/* What one line's argument is. */
enum arg_kind { ARG_NONE, ARG_TEXT, ARG_NUMBER, ARG_HEX, ARG_FLAG, ARG_SIZE };

static const struct command_info {
    const char *name;
    enum arg_kind arg;
} commands[] = {
    {"key", ARG_TEXT},          {"text", ARG_TEXT},          {"click-frame", ARG_NUMBER},
    {"click-ws", ARG_NUMBER},   {"wait", ARG_NUMBER},        {"idle", ARG_NONE},
    {"shot", ARG_TEXT},         {"expect-step", ARG_NUMBER}, {"expect-step-min", ARG_NUMBER},
    {"expect-frame", ARG_NUMBER}, {"expect-walk", ARG_HEX},  {"expect-help", ARG_FLAG},
    {"expect-animating", ARG_FLAG}, {"resize", ARG_SIZE},    {"expect-width", ARG_NUMBER},
    {"expect-kd", ARG_TEXT},    {"expect-kd-shown", ARG_FLAG}, {"quit", ARG_NONE},
    {"wheel-down", ARG_NUMBER}, {"wheel-up", ARG_NUMBER},    {"expect-scroll", ARG_NUMBER},
    {"expect-scroll-min", ARG_NUMBER},
};

struct line {
    int lineno;
    const struct command_info *cmd;
    char *arg;               /* ARG_TEXT: the text */
    unsigned long n;         /* ARG_NUMBER, ARG_HEX, ARG_FLAG */
    int w, h;                /* ARG_SIZE, clamped */
    bool clamped;
};

struct viz_script {
    char *file;
    struct line line[MAX_LINES];
    int nlines, next;
    Uint32 wait_until;
    bool idle;
};

/* A whole number: decimal, or hexadecimal with 0x (always hexadecimal
 * when `hex`); at most max. Signs, spaces, junk and overflow are refused. */
static bool whole(const char *s, bool hex, unsigned long max, unsigned long *out)
{
    unsigned base = hex ? 16 : 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2, base = 16;
    if (!*s)
        return false;
    unsigned long v = 0;
    for (; *s; s++) {
        const char *digits = "0123456789abcdef", *d = strchr(digits, *s >= 'A' && *s <= 'F' ? *s + 32 : *s);
        if (!d || (unsigned)(d - digits) >= base)
            return false;
        unsigned long digit = (unsigned long)(d - digits);
        if (v > (max - digit) / base)
            return false;
        v = v * base + digit;
    }
    *out = v;
    return true;
}

bool viz_parse_size(const char *s, unsigned long max, int *w, int *h)
{
    char a[24], b[24];
    const char *x = strpbrk(s, "xX");
    if (!x || (size_t)(x - s) >= sizeof a || strlen(x + 1) >= sizeof b)
        return false;
    memcpy(a, s, (size_t)(x - s));
    a[x - s] = '\0';
    strcpy(b, x + 1);
    unsigned long wv, hv;
    if (!whole(a, false, max, &wv) || !whole(b, false, max, &hv))
        return false;
    *w = (int)wv;
    *h = (int)hv;
    return true;
}

static bool fail_load(const char *file, int lineno, const char *what, const char *text)
{
    fprintf(stderr, "mmviz: %s:%d: %s%s%s%s\n", file, lineno, what, text ? " '" : "", text ? text : "",
            text ? "'" : "");
    return false;
}

/* Check one line ("cmd arg") into l; false after a message. */
static bool parse_line(const char *file, int lineno, char *text, struct line *l)
{
    char *arg = text + strcspn(text, " \t");
    if (*arg)
        *arg++ = '\0';
    arg += strspn(arg, " \t");
    l->lineno = lineno;
    l->cmd = NULL;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(text, commands[i].name))
            l->cmd = &commands[i];
    if (!l->cmd)
        return fail_load(file, lineno, "no such command", text);
    switch (l->cmd->arg) {
    case ARG_NONE:
        return *arg ? fail_load(file, lineno, "takes no argument, got", arg) : true;
    case ARG_TEXT:
        if (!*arg)
            return fail_load(file, lineno, "needs an argument:", text);
        /* SDL's text events hold 31 bytes; a longer text would be cut */
        if (!strcmp(text, "text") && strlen(arg) > 31)
            return fail_load(file, lineno, "text longer than 31 bytes:", arg);
        l->arg = strdup(arg);
        return l->arg != NULL || fail_load(file, lineno, "out of memory", NULL);
    case ARG_NUMBER:
    case ARG_HEX:
        if (!whole(arg, l->cmd->arg == ARG_HEX, 0xFFFFFFFFul, &l->n))
            return fail_load(file, lineno,
                             l->cmd->arg == ARG_HEX ? "expected a hexadecimal address, got"
                                                    : "expected a whole number (at most 4294967295), got",
                             arg);
        return true;
    case ARG_FLAG:
        if (strcmp(arg, "0") && strcmp(arg, "1"))
            return fail_load(file, lineno, "expected 0 or 1, got", arg);
        l->n = arg[0] == '1';
        return true;
    case ARG_SIZE:
        if (!viz_parse_size(arg, 1000000000ul, &l->w, &l->h))
            return fail_load(file, lineno, "expected a size WxH, got", arg);
        l->clamped = viz_clamp_size(&l->w, &l->h);
        return true;
    }
    return false;
}

struct viz_script *viz_script_load(const char *file)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        fprintf(stderr, "mmviz: cannot open the script %s: %s\n", file, strerror(errno));
        return NULL;
    }
    struct viz_script *s = calloc(1, sizeof *s);
    char *buf = NULL;
    size_t cap = 0;
    ssize_t len;
    bool ok = s && (s->file = strdup(file)) != NULL;
    if (!ok)
        fprintf(stderr, "mmviz: out of memory reading the script %s\n", file);
    errno = 0;
    for (int lineno = 1; ok && (len = getline(&buf, &cap, f)) >= 0; lineno++) {
        if (strlen(buf) != (size_t)len) {
            ok = fail_load(file, lineno, "a NUL byte in the line", NULL);
            break;
        }
        buf[strcspn(buf, "\r\n")] = '\0';
        if (strlen(buf) > MAX_LINE) {
            ok = fail_load(file, lineno, "line longer than 255 characters", NULL);
            break;
        }
        char *text = buf + strspn(buf, " \t");
        if (text[0] == '\0' || text[0] == '#')
            continue;
        if (s->nlines == MAX_LINES) {
            ok = fail_load(file, lineno, "more than 1000 commands", NULL);
            break;
        }
        ok = parse_line(file, lineno, text, &s->line[s->nlines]);
        s->nlines += ok;
    }
    if (ok && ferror(f)) {
        fprintf(stderr, "mmviz: cannot read the script %s: %s\n", file, strerror(errno ? errno : EIO));
        ok = false;
    }
    free(buf);
    fclose(f);
    if (!ok) {
        viz_script_free(s);
        return NULL;
    }
    return s;
}

void viz_script_free(struct viz_script *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nlines; i++)
        free(s->line[i].arg);
    free(s->file);
    free(s);
}

static void push_key(SDL_Keycode k)
{
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
    memcpy(e.text.text, text, strlen(text) + 1);   /* at most 31 bytes: checked on load */
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

/* The pointer moves over the narration panel, then the wheel turns
 * `notches` (positive: away from the user, scrolling up). */
static void push_wheel(const struct viz_app *a, int notches)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_MOUSEMOTION;
    e.motion.x = a->lay.story.x + a->lay.story.w / 2;
    e.motion.y = a->lay.story.y + a->lay.story.h / 2;
    SDL_PushEvent(&e);
    memset(&e, 0, sizeof e);
    e.type = SDL_MOUSEWHEEL;
    e.wheel.y = notches;
    e.wheel.direction = SDL_MOUSEWHEEL_NORMAL;
    SDL_PushEvent(&e);
}

/* A command that cannot be done here: the script fails and stops. */
static void cannot(struct viz_script *s, struct viz_app *a, const struct line *l, const char *why)
{
    fprintf(stderr, "mmviz: %s:%d: %s %s: %s\n", s->file, l->lineno, l->cmd->name, l->arg ? l->arg : "", why);
    a->exit_status = 1;
    a->quit = true;
}

static void fail(struct viz_script *s, struct viz_app *a, const struct line *l, const char *what, unsigned long want,
                 unsigned long got)
{
    fprintf(stderr, "mmviz: %s:%d: %s is %lu (0x%lX), expected %lu (0x%lX)\n", s->file, l->lineno, what, got, got,
            want, want);
    a->exit_status = 1;
}

/* The middle of working-set row i (rows as wspanel.c draws them). */
static void ws_row_point(const struct viz_app *a, int i, int *x, int *y)
{
    *x = a->lay.ws.x + 6 + 4 * a->lay.char_w;
    *y = a->lay.ws.y + 6 + (2 + i) * a->lay.line_h + a->lay.line_h / 2;
}

/* One command (waits only set the script's wait state). */
static void command(struct viz_script *s, struct viz_app *a, const struct line *l)
{
    const char *cmd = l->cmd->name;
    unsigned long n = l->n;
    SDL_Rect r;
    if (!strcmp(cmd, "key")) {
        SDL_Keycode k = SDL_GetKeyFromName(l->arg);
        if (k == SDLK_UNKNOWN)
            cannot(s, a, l, "SDL knows no key of that name");
        else
            push_key(k);
    } else if (!strcmp(cmd, "text")) {
        push_text(l->arg);
    } else if (!strcmp(cmd, "click-frame")) {
        if (viz_frame_rect(&a->lay, (uint32_t)n, &r))
            push_click(r.x + r.w / 2, r.y + r.h / 2);
        else
            cannot(s, a, l, "no such frame on the grid");
    } else if (!strcmp(cmd, "click-ws")) {
        int x, y;
        ws_row_point(a, (int)n, &x, &y);
        push_click(x, y);
    } else if (!strcmp(cmd, "wait")) {
        s->wait_until = SDL_GetTicks() + (Uint32)n;
    } else if (!strcmp(cmd, "idle")) {
        s->idle = true;
    } else if (!strcmp(cmd, "shot")) {
        a->shot_file = l->arg;
    } else if (!strcmp(cmd, "expect-step")) {
        if (a->vm.step != n)
            fail(s, a, l, "the step", n, a->vm.step);
    } else if (!strcmp(cmd, "expect-step-min")) {
        if (a->vm.step < n)
            fail(s, a, l, "the step (at least)", n, a->vm.step);
    } else if (!strcmp(cmd, "expect-frame")) {
        if (!a->ui.has_frame || a->ui.frame != n)
            fail(s, a, l, "the PFN panel's frame", n, a->ui.has_frame ? a->ui.frame : 0xFFFFFFFFul);
    } else if (!strcmp(cmd, "expect-walk")) {
        if (a->ui.walk_va != n)
            fail(s, a, l, "the walked VA", n, a->ui.walk_va);
    } else if (!strcmp(cmd, "resize")) {
        if (l->clamped)
            fprintf(stderr, "mmviz: %s:%d: resize: clamped to %dx%d (window sizes: %dx%d to %dx%d)\n", s->file,
                    l->lineno, l->w, l->h, VIZ_MIN_W, VIZ_MIN_H, VIZ_MAX_W, VIZ_MAX_H);
        if (a->win)
            SDL_SetWindowSize(a->win, l->w, l->h);
    } else if (!strcmp(cmd, "expect-width")) {
        if ((unsigned long)a->lay.w != n)
            fail(s, a, l, "the layout's width", n, (unsigned long)a->lay.w);
    } else if (!strcmp(cmd, "expect-animating")) {
        if ((a->ui.anim_t >= 0) != (n != 0))
            fail(s, a, l, "animating", n, a->ui.anim_t >= 0);
    } else if (!strcmp(cmd, "expect-help")) {
        if (a->ui.help != (n != 0))
            fail(s, a, l, "the help overlay", n, a->ui.help);
    } else if (!strcmp(cmd, "expect-kd")) {
        /* the debugger output shown holds this text */
        if (!strstr(a->ui.kd_text, l->arg)) {
            fprintf(stderr, "mmviz: %s:%d: the debugger output does not contain '%s'; it is:\n%s\n", s->file,
                    l->lineno, l->arg, a->ui.kd_text[0] ? a->ui.kd_text : "(none)");
            a->exit_status = 1;
        }
    } else if (!strcmp(cmd, "expect-kd-shown")) {
        if ((a->ui.kd_text[0] != '\0') != (n != 0))
            fail(s, a, l, "the debugger output shown", n, a->ui.kd_text[0] != '\0');
    } else if (!strcmp(cmd, "wheel-down") || !strcmp(cmd, "wheel-up")) {
        int notches = n > 1000 ? 1000 : (int)n;
        push_wheel(a, !strcmp(cmd, "wheel-up") ? notches : -notches);
    } else if (!strcmp(cmd, "expect-scroll")) {
        if (a->ui.story_scroll != n)
            fail(s, a, l, "the narration panel's first line", n, a->ui.story_scroll);
    } else if (!strcmp(cmd, "expect-scroll-min")) {
        if (a->ui.story_scroll < n)
            fail(s, a, l, "the narration panel's first line (at least)", n, a->ui.story_scroll);
    } else if (!strcmp(cmd, "quit")) {
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
    command(s, a, &s->line[s->next++]);
}

bool viz_clamp_size(int *w, int *h)
{
    int w0 = *w, h0 = *h;
    *w = *w < VIZ_MIN_W ? VIZ_MIN_W : *w > VIZ_MAX_W ? VIZ_MAX_W : *w;
    *h = *h < VIZ_MIN_H ? VIZ_MIN_H : *h > VIZ_MAX_H ? VIZ_MAX_H : *h;
    return *w != w0 || *h != h0;
}
