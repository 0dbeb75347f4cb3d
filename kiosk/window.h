/*
 * window.h - the kiosk's window and what it shows when it cannot start.
 *
 * kwin_open() covers the display: a borderless window the size of the display, which
 * works on a bare X server with no window manager (a kiosk PC); with `fullscreen` it
 * also asks a window manager for fullscreen when one is running (a desktop).  k->w and
 * k->h are then the picture's real size.  On failure msg says why and whatever was
 * created is left in k for the caller to free.
 *
 * kwin_fail_screen() shows a start-up failure on the screen (never a black screen)
 * and returns only when a development window is closed; SIGTERM ends the process.
 * UI thread only.
 */
#ifndef KWIN_H
#define KWIN_H

#include <stddef.h>

#include "kiosk.h"

typedef struct kwin_opts {
    int w, h;          /* requested size; 0 = the display's */
    int windowed;      /* a normal window for development */
    int fullscreen;    /* also ask the window manager for fullscreen */
    int software;      /* 1 software renderer, 0 accelerated, -1 choose */
} kwin_opts;

typedef struct kwin_fonts {
    char regular[1024], bold[1024];
} kwin_fonts;

/* Noto or DejaVu; otherwise any TrueType font installed.  -1 when there is none. */
int kwin_find_fonts(kwin_fonts *f);
int kwin_open(kiosk *k, const kwin_opts *o, char *msg, size_t mlen);
/* tick(ud), when given, runs about once a second while the message is shown (the
 * systemd watchdog). */
void kwin_fail_screen(kiosk *k, const char *msg, int windowed, void (*tick)(void *),
                      void *ud);
/* Saves the X server's picture of the whole screen (what a person sees, not what the
 * kiosk meant to draw) as PNG: 0, 1 when there is no X11 window, -1 on failure. */
int kwin_x11_shot(kiosk *k, const char *path);

#endif
