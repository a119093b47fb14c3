/*
 * viztest.h - what the visualizer's test files share: opening a scenario
 * as an app, rendering a step headless, reading a pixel, and the
 * pass/fail bookkeeping (test_viz.c runs them all).
 */
#ifndef MMVIZ_VIZTEST_H
#define MMVIZ_VIZTEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "app.h"

extern int passed, failed;
extern char why[700];           /* why the test that failed did */
extern const char *font_path;

#define CHECK(cond, ...)                                   \
    do {                                                   \
        if (!(cond)) {                                     \
            snprintf(why, sizeof why, __VA_ARGS__);        \
            return false;                                  \
        }                                                  \
    } while (0)

/* Load a scenario (from text when not NULL) into a fresh app; false with why. */
bool open_app(struct viz_app *a, const char *file, const char *text);
/* Render the state after `step` headless at w x h; NULL with why. */
SDL_Surface *render(struct viz_app *a, uint32_t step, int w, int h);
uint32_t pixel(const SDL_Surface *s, int x, int y);

/* test_text.c: text, words and the panels that hold them; each runs its
 * tests through `run`. */
void text_tests(void (*run)(const char *name, bool (*fn)(void)));
/* The text checks on the picture just drawn (with record_boxes on): no
 * two pieces overlap, each lies in one panel, no walk/PFN/narration line
 * is cut; false with why. */
bool text_boxes_ok(struct viz_app *a, const char *what);

/* test_section.c: sections drawn from a machine the engine's API built. */
void section_tests(void (*run)(const char *name, bool (*fn)(void)));
/* Write the picture of that machine to png (the light theme if asked). */
int section_shot(const char *png, bool light);

#endif
