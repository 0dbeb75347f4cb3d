/*
 * kiosk.h - the program around the app: SDL window or offscreen surface, the frame
 * function shared by the event loop and script mode, screenshots.
 */
#ifndef KIOSK_H
#define KIOSK_H

#include <SDL.h>

#include "app.h"
#include "render.h"
#include "ui.h"

typedef struct kiosk {
    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Surface *surface;   /* offscreen target in headless mode */
    render *rd;
    ui *u;
    app a;
    int w, h;
    float scale;            /* layout scale from the short side of the window */
    uint64_t last_hash;
    int drawn;              /* a frame has been presented */
    int animating;
    long frames, renders;
    const char *shots;      /* directory for screenshots */
} kiosk;

/* Builds the UI for time now and presents it if the picture changed.  Returns 1 when
 * something animates. */
int kiosk_frame(kiosk *k, uint32_t now);
/* Saves the current picture as PNG; returns 0 on success. */
int kiosk_shot(kiosk *k, const char *name);

/* Script mode (script.c): runs FILE against k with a virtual clock; 0 = all passed. */
int script_run(kiosk *k, const char *path);

#endif
