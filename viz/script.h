/*
 * script.h - synthetic input for a real window (tests, demos): a file of
 * commands, one a line, fed to the event queue with SDL_PushEvent as if a
 * user typed them, and checks of what the window then shows.
 *
 *   key NAME          a key press (SDL key names: Right, Left, Space, Tab, n, w, Return)
 *   text CHARS        typed text (for the 'w' and 'k' prompts)
 *   click-frame N     a left click in the cell of frame N
 *   click-ws I        a left click on working-set row I
 *   wait MS           let time pass (animation, play)
 *   idle              wait until nothing is animating or playing
 *   shot FILE         save the next drawn picture
 *   expect-step N     fail unless the shown step is N
 *   expect-step-min N fail unless the shown step is N or later
 *   expect-frame N    fail unless the PFN panel shows frame N
 *   expect-walk VA    fail unless the walk panel walks VA (hex)
 *   expect-help 0|1   the help overlay is down/up
 *   expect-kd TEXT    the debugger output shown contains TEXT
 *   expect-kd-shown 0|1  the debugger output is hidden/shown
 *   expect-animating 0|1  a step's moves are being played
 *   wheel-down N      turn the mouse wheel N notches over the narration panel
 *   wheel-up N          (three lines a notch)
 *   expect-scroll N   fail unless the narration panel shows from line N
 *   expect-scroll-min N  ... from line N or later
 *   resize WxH        resize the window (clamped to the sizes --size takes)
 *   expect-width W    the layout is W pixels wide
 *   quit
 * Lines starting with # are comments. Numbers are decimal or 0x-hex. The
 * whole file is checked when it is read (command names, arguments, line
 * length): a bad line is an error with the file and line number.
 */
#ifndef MMVIZ_SCRIPT_H
#define MMVIZ_SCRIPT_H

#include <stdbool.h>

struct viz_app;
struct viz_script;

/* The window sizes mmviz takes, from --size and from a script. */
#define VIZ_MIN_W 640
#define VIZ_MIN_H 400
#define VIZ_MAX_W 8192
#define VIZ_MAX_H 8192

/* "WxH" (or "WXH"): two whole decimal numbers of at most `max`, nothing
 * else; false for anything else (overflow, junk, signs). */
bool viz_parse_size(const char *s, unsigned long max, int *w, int *h);
/* Clamp a size into VIZ_MIN_W..VIZ_MAX_W x VIZ_MIN_H..VIZ_MAX_H; true
 * when it changed. */
bool viz_clamp_size(int *w, int *h);

/* Read and check a script; NULL with a message printed. */
struct viz_script *viz_script_load(const char *file);
void viz_script_free(struct viz_script *s);
/* Run what the script says now (called once per loop turn after the
 * picture is drawn). Sets a->quit at the end; a failed check sets
 * a->exit_status to 1. */
void viz_script_run(struct viz_script *s, struct viz_app *a);

#endif
