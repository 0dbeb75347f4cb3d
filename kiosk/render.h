/*
 * render.h - draws the UI layer's command list with SDL2 and SDL2_ttf.
 *
 * Owns the fonts and two caches: text widths (so wrapping long Finnish text does not
 * re-measure every frame) and rendered text textures (so unchanged text is not
 * rasterised again).  Both are direct-mapped tables: a collision just means one
 * more render, never a wrong picture, because entries are checked by full key.
 * Caches are flushed when the scale changes.  UI thread only.
 */
#ifndef RENDER_H
#define RENDER_H

#include <SDL.h>

#include "ui.h"

typedef struct render render;

/* regular and bold are TTF paths; on failure msg says which could not be opened. */
int render_init(render **out, SDL_Renderer *r, const char *regular, const char *bold,
                char *msg, size_t msglen);
void render_free(render *rd);
/* Pixel size of the fonts: layout scale times the resident's text size. */
int render_set_scale(render *rd, float scale);
ui_text_fns render_text_fns(render *rd);
void render_frame(render *rd, ui *u);
/* Texture cache statistics, for the benchmark. */
void render_stats(const render *rd, long *text_renders, long *text_hits);

#endif
