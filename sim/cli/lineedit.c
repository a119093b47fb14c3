/*
 * lineedit.c - step mode's command lines: libedit's editor and history
 * on a terminal (when built with MMSIM_LIBEDIT), plain lines otherwise.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lineedit.h"

#ifdef MMSIM_LIBEDIT
#include <histedit.h>
#endif

#define HISTORY_SIZE 500

struct line_reader {
    FILE *in, *out;
    bool interactive;
    char prompt[64];
#ifdef MMSIM_LIBEDIT
    EditLine *el;
    History *hist;
#endif
};

void line_strip_escapes(char *s)
{
    char *w = s;
    for (const char *r = s; *r;) {
        if (*r != '\033') {
            *w++ = *r++;
            continue;
        }
        r++;
        if (*r == '[') {          /* CSI: parameters and intermediates, then a final byte */
            r++;
            while (*r >= 0x20 && *r <= 0x3F)
                r++;
            if (*r >= 0x40 && *r <= 0x7E)
                r++;
        } else if (*r == 'O') {   /* SS3: the keypad and F1-F4 */
            r++;
            if (*r)
                r++;
        } else if (*r) {          /* ESC and one character (Alt-x) */
            r++;
        }
    }
    *w = '\0';
}

#ifdef MMSIM_LIBEDIT
static char *prompt_of(EditLine *el)
{
    struct line_reader *lr = NULL;
    el_get(el, EL_CLIENTDATA, &lr);
    return lr ? lr->prompt : "> ";
}

/* libedit on a terminal: emacs key bindings, history of this session. */
static bool open_editor(struct line_reader *lr, FILE *err)
{
    HistEvent ev;
    lr->el = el_init("mmsim", lr->in, lr->out, err);
    lr->hist = history_init();
    if (!lr->el || !lr->hist)
        return false;
    history(lr->hist, &ev, H_SETSIZE, HISTORY_SIZE);
    history(lr->hist, &ev, H_SETUNIQUE, 1);
    el_set(lr->el, EL_CLIENTDATA, lr);
    el_set(lr->el, EL_PROMPT, prompt_of);
    el_set(lr->el, EL_EDITOR, "emacs");
    el_set(lr->el, EL_HIST, history, lr->hist);
    el_set(lr->el, EL_SIGNAL, 1);
    el_source(lr->el, NULL);   /* the user's ~/.editrc, if any */
    return true;
}

static void close_editor(struct line_reader *lr)
{
    if (lr->el)
        el_end(lr->el);
    if (lr->hist)
        history_end(lr->hist);
    lr->el = NULL;
    lr->hist = NULL;
}

static bool edited_line(struct line_reader *lr, char *buf, size_t size, const char **why)
{
    int count = 0;
    const char *line = el_gets(lr->el, &count);
    if (!line || count <= 0)
        return false;
    size_t len = strcspn(line, "\n");
    if (len >= size) {
        *why = "line too long";
        return true;
    }
    memcpy(buf, line, len);
    buf[len] = '\0';
    line_strip_escapes(buf);
    if (buf[strspn(buf, " \t")]) {
        HistEvent ev;
        history(lr->hist, &ev, H_ENTER, buf);
    }
    return true;
}
#endif

struct line_reader *line_reader_open(FILE *in, FILE *out, FILE *err)
{
    struct line_reader *lr = calloc(1, sizeof *lr);
    if (!lr)
        return NULL;
    lr->in = in;
    lr->out = out;
    lr->interactive = isatty(fileno(in)) && isatty(fileno(out));
#ifdef MMSIM_LIBEDIT
    if (lr->interactive && !open_editor(lr, err))
        close_editor(lr);   /* plain lines, then */
#else
    (void)err;
#endif
    return lr;
}

bool line_reader_interactive(const struct line_reader *lr) { return lr->interactive; }

/* A line as it comes, byte by byte: a NUL byte refuses its own line and
 * nothing else. */
static bool plain_line(struct line_reader *lr, char *buf, size_t size, const char **why)
{
    size_t len = 0;
    bool nul = false, long_line = false;
    int c;
    if (lr->interactive) {
        fputs(lr->prompt, lr->out);
        fflush(lr->out);
    }
    while ((c = getc(lr->in)) != EOF && c != '\n') {
        if (c == '\0')
            nul = true;
        else if (len + 1 < size)
            buf[len++] = (char)c;
        else
            long_line = true;
    }
    buf[len] = '\0';
    if (c == EOF && len == 0 && !nul && !long_line)
        return false;
    if (nul)
        *why = "the line holds a NUL byte; it is ignored";
    else if (long_line)
        *why = "line too long";
    else
        line_strip_escapes(buf);
    return true;
}

bool line_reader_get(struct line_reader *lr, const char *prompt, char *buf, size_t size, const char **why)
{
    *why = NULL;
    buf[0] = '\0';
    snprintf(lr->prompt, sizeof lr->prompt, "%s", prompt);
    bool got;
#ifdef MMSIM_LIBEDIT
    if (lr->el)
        got = edited_line(lr, buf, size, why);
    else
#endif
        got = plain_line(lr, buf, size, why);
    if (*why)
        buf[0] = '\0';
    return got;
}

void line_reader_close(struct line_reader *lr)
{
    if (!lr)
        return;
#ifdef MMSIM_LIBEDIT
    close_editor(lr);
#endif
    free(lr);
}
