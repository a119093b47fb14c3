/*
 * palette.c - every colour mmviz draws, in one table per theme: the dark
 * theme for a screen, the light one for a projector and for paper. Code
 * names colours only through viz_palette() (render.h's VIZ_* macros), so
 * a theme is one row here and the pixel tests can run in each.
 */
#include <math.h>
#include <string.h>

#include "render.h"

static const struct viz_palette themes[] = {
    {
        .name = "dark",
        .bg = 0x15181Du, .panel = 0x1E2228u, .text = 0xE6E6E6u, .dim = 0x9AA0A6u, .hilite = 0xFFD54Fu,
        .title = 0x8AB4F8u, .failure = 0xFF6B6Bu, .alarm = 0xC62828u, .alarm_text = 0xFFFFFFu, .mark = 0xFFFFFFu,
        .changed = 0x6D5A00u, .tlb_full = 0x8AB4F8u, .tlb_empty = 0x2E343Du,
        .label_on_dark = 0xFFFFFFu, .label_on_light = 0x000000u,
        .zeroed = 0x39414Fu, .free = 0x737B8Cu,
        /* light (priority 0: repurposed first) to deep (7) */
        .standby = {0xA8CCFFu, 0x94BAF7u, 0x80A8EFu, 0x6C96E7u, 0x5884DFu, 0x4472D7u, 0x3060CFu, 0x1C4EC7u},
        .modified = 0xF39C12u, .modified_no_write = 0xE6D200u, .bad = 0xC0392Bu, .in_io = 0xF5F5DCu,
        /* none of these is blue (Standby), orange (Modified), red (Bad) or grey */
        .owner = {0x3CB44Bu, 0x9B59D0u, 0x2EC4B6u, 0xA4D65Eu, 0xD04ED6u, 0x8D6E3Fu, 0x98E2C6u, 0x6A3FA0u},
        .system_active = 0xB0B0B0u, .unknown = 0xFF00FFu, .proto_pool = 0xF4A6A6u,
    },
    {
        /* for print: white panels, dark text, thin grey rules; the list
         * and owner colours stay the dark theme's where they read on
         * white, so a handout and the screen agree */
        .name = "light",
        .bg = 0xB8BDC4u, .panel = 0xFFFFFFu, .text = 0x141414u, .dim = 0x5A5F66u, .hilite = 0xA84300u,
        .title = 0x1A4D99u, .failure = 0xC62828u, .alarm = 0xC62828u, .alarm_text = 0xFFFFFFu, .mark = 0x000000u,
        .changed = 0xFFE08Au, .tlb_full = 0x3C78D8u, .tlb_empty = 0xE1E4E8u,
        .label_on_dark = 0xFFFFFFu, .label_on_light = 0x000000u,
        .zeroed = 0xCFD6E0u, .free = 0x8A919Cu,
        .standby = {0xA8CCFFu, 0x94BAF7u, 0x80A8EFu, 0x6C96E7u, 0x5884DFu, 0x4472D7u, 0x3060CFu, 0x1C4EC7u},
        .modified = 0xF39C12u, .modified_no_write = 0xE6D200u, .bad = 0xC0392Bu, .in_io = 0xE2CF96u,
        .owner = {0x3CB44Bu, 0x9B59D0u, 0x2EC4B6u, 0xA4D65Eu, 0xD04ED6u, 0x8D6E3Fu, 0x98E2C6u, 0x6A3FA0u},
        .system_active = 0xB0B0B0u, .unknown = 0xFF00FFu, .proto_pool = 0xF4A6A6u,
    },
};

static const struct viz_palette *current = &themes[0];

const struct viz_palette *viz_palette(void)
{
    return current;
}

bool viz_set_theme(const char *name)
{
    for (size_t i = 0; i < sizeof themes / sizeof themes[0]; i++)
        if (!strcmp(themes[i].name, name)) {
            current = &themes[i];
            return true;
        }
    return false;
}

const char *viz_theme_names(void)
{
    return "dark, light";
}

/* WCAG 2's relative luminance of an sRGB colour, 0 (black) to 1 (white). */
static double luminance(uint32_t rgb)
{
    double sum = 0;
    static const double weight[3] = {0.2126, 0.7152, 0.0722};   /* R, G, B */
    for (int i = 0; i < 3; i++) {
        double c = (double)((rgb >> (16 - 8 * i)) & 0xFFu) / 255.0;
        sum += weight[i] * (c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4));
    }
    return sum;
}

double viz_contrast(uint32_t a, uint32_t b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

uint32_t viz_label_color(uint32_t cell)
{
    const struct viz_palette *p = viz_palette();
    return viz_contrast(p->label_on_dark, cell) >= viz_contrast(p->label_on_light, cell) ? p->label_on_dark
                                                                                           : p->label_on_light;
}
