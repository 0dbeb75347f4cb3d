/* One frame of the kiosk and its screenshot: shared by the event loop (main.c) and
 * script mode (script.c). */
#include <SDL_image.h>
#include <stdio.h>

#include "kiosk.h"

/* Layout scale from the short side: 1.0 at 1080 px; never below 0.8, and never so
 * small that the smallest touch target (56 dp) is under 9 mm at the panel's density:
 * screens scroll rather than shrink. */
static float layout_scale(int w, int h, int min_target_px)
{
    float s = (float)(w < h ? w : h) / 1080.0f;
    float m = (float)min_target_px / 56.0f;
    if (s < m)
        s = m;
    return s < 0.8f ? 0.8f : s;
}

int kiosk_frame(kiosk *k, uint32_t now)
{
    if (k->win && !k->surface) {
        int w, h;
        SDL_GetRendererOutputSize(k->ren, &w, &h);
        if (w != k->w || h != k->h) {
            k->w = w;
            k->h = h;
            k->last_hash = 0;
        }
    }
    k->scale = layout_scale(k->w, k->h, app_min_target_px(&k->a));
    if (render_set_scale(k->rd, k->scale * app_text_scale(&k->a)) == 0)
        k->last_hash = 0;  /* new font sizes: whatever is on screen is stale */
    ui_begin(k->u, k->w, k->h, k->scale, app_theme(&k->a), now);
    app_frame(&k->a, k->u, now);
    k->animating = ui_end(k->u);
    if (ui_error(k->u))
        fprintf(stderr, "kiosk: UI error: %s\n", ui_error(k->u));
    k->frames++;
    uint64_t h = ui_frame_hash(k->u);
    if (h != k->last_hash || !k->drawn) {
        /* No clear: the first command paints the whole background. */
        render_frame(k->rd, k->u);
        SDL_RenderPresent(k->ren);
        k->last_hash = h;
        k->drawn = 1;
        k->renders++;
    }
    return k->animating;
}

int kiosk_shot(kiosk *k, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", k->shots ? k->shots : ".", name);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, k->w, k->h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return -1;
    /* Redraw so the shot is exactly the current UI, then read it back. */
    SDL_SetRenderDrawColor(k->ren, 0, 0, 0, 255);
    SDL_RenderClear(k->ren);
    render_frame(k->rd, k->u);
    int rc = SDL_RenderReadPixels(k->ren, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch);
    if (rc == 0)
        rc = IMG_SavePNG(s, path);
    SDL_FreeSurface(s);
    if (rc != 0)
        fprintf(stderr, "kiosk: screenshot %s: %s\n", path, SDL_GetError());
    return rc;
}

