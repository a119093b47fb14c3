/*
 * palette.c - every colour mmviz draws, in one table per theme: the dark
 * theme for a screen, the light one for a projector and for paper. Code
 * names colours only through viz_palette() (render.h's VIZ_* macros), so
 * a theme is one row here and the pixel tests can run in each.
 */
#include <string.h>

#include "render.h"

static const struct viz_palette themes[] = {
    {
        .name = "dark",
        .bg = 0x15181Du, .panel = 0x1E2228u, .text = 0xE6E6E6u, .dim = 0x9AA0A6u, .hilite = 0xFFD54Fu,
        .title = 0x8AB4F8u, .alarm = 0xC62828u, .alarm_text = 0xFFFFFFu, .mark = 0xFFFFFFu,
        .changed = 0x6D5A00u, .tlb_full = 0x8AB4F8u, .tlb_empty = 0x2E343Du,
        .label_on_dark = 0xFFFFFFu, .label_on_light = 0x000000u,
        .zeroed = 0x39414Fu, .free = 0x737B8Cu,
        /* light (priority 0: repurposed first) to deep (7) */
        .standby = {0xA8CCFFu, 0x94BAF7u, 0x80A8EFu, 0x6C96E7u, 0x5884DFu, 0x4472D7u, 0x3060CFu, 0x1C4EC7u},
        .modified = 0xF39C12u, .modified_no_write = 0xE6D200u, .bad = 0xC0392Bu, .in_io = 0xF5F5DCu,
        /* none of these is blue (Standby), orange (Modified), red (Bad) or grey */
        .owner = {0x3CB44Bu, 0x9B59D0u, 0x2EC4B6u, 0xA4D65Eu, 0xD04ED6u, 0x8D6E3Fu, 0x98E2C6u, 0x6A3FA0u},
        .system_active = 0xB0B0B0u, .unknown = 0xFF00FFu,
    },
    {
        /* for print: white panels, dark text, thin grey rules; the list
         * and owner colours stay the dark theme's where they read on
         * white, so a handout and the screen agree */
        .name = "light",
        .bg = 0xB8BDC4u, .panel = 0xFFFFFFu, .text = 0x141414u, .dim = 0x5A5F66u, .hilite = 0xA84300u,
        .title = 0x1A4D99u, .alarm = 0xC62828u, .alarm_text = 0xFFFFFFu, .mark = 0x000000u,
        .changed = 0xFFE08Au, .tlb_full = 0x3C78D8u, .tlb_empty = 0xE1E4E8u,
        .label_on_dark = 0xFFFFFFu, .label_on_light = 0x000000u,
        .zeroed = 0xCFD6E0u, .free = 0x8A919Cu,
        .standby = {0xA8CCFFu, 0x94BAF7u, 0x80A8EFu, 0x6C96E7u, 0x5884DFu, 0x4472D7u, 0x3060CFu, 0x1C4EC7u},
        .modified = 0xF39C12u, .modified_no_write = 0xE6D200u, .bad = 0xC0392Bu, .in_io = 0xE2CF96u,
        .owner = {0x3CB44Bu, 0x9B59D0u, 0x2EC4B6u, 0xA4D65Eu, 0xD04ED6u, 0x8D6E3Fu, 0x98E2C6u, 0x6A3FA0u},
        .system_active = 0xB0B0B0u, .unknown = 0xFF00FFu,
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
