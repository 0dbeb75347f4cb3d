/* The kiosk's window (window.h): covering the display with or without a window
 * manager, fonts, and the screen that says why the kiosk could not start. */
#include "window.h"

#include <SDL_image.h>
#include <SDL_syswm.h>
#include <SDL_ttf.h>
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char *const font_candidates[][2] = {
    { "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
      "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf" },
    { "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
      "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf" },
};

/* Depth-first search for any .ttf below dir (bounded depth: font trees are shallow). */
static int find_any_ttf(const char *dir, int depth, char *out, size_t cap)
{
    if (depth > 4)
        return -1;
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    int rc = -1;
    while (rc && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char p[1024];
        if ((size_t)snprintf(p, sizeof p, "%s/%s", dir, e->d_name) >= sizeof p)
            continue;
        struct stat sb;
        if (stat(p, &sb) != 0)
            continue;
        size_t n = strlen(e->d_name);
        if (S_ISDIR(sb.st_mode))
            rc = find_any_ttf(p, depth + 1, out, cap);
        else if (n > 4 && !strcasecmp(e->d_name + n - 4, ".ttf") && strlen(p) < cap) {
            memcpy(out, p, strlen(p) + 1);
            rc = 0;
        }
    }
    closedir(d);
    return rc;
}

int kwin_find_fonts(kwin_fonts *f)
{
    struct stat sb;
    for (size_t i = 0; i < sizeof font_candidates / sizeof font_candidates[0]; i++) {
        if (stat(font_candidates[i][0], &sb) == 0 && stat(font_candidates[i][1], &sb) == 0) {
            snprintf(f->regular, sizeof f->regular, "%s", font_candidates[i][0]);
            snprintf(f->bold, sizeof f->bold, "%s", font_candidates[i][1]);
            return 0;
        }
    }
    /* Any font at all is better than a black screen: the text is still readable. */
    if (find_any_ttf("/usr/share/fonts", 0, f->regular, sizeof f->regular) == 0) {
        snprintf(f->bold, sizeof f->bold, "%s", f->regular);
        return 0;
    }
    f->regular[0] = f->bold[0] = '\0';
    return -1;
}

/* Does a window manager run on this X display?  EWMH managers put
 * _NET_SUPPORTING_WM_CHECK on the root window; a bare X server has none, and a
 * fullscreen request would then never be answered. */
static int x11_has_wm(SDL_Window *w)
{
    SDL_SysWMinfo info;
    SDL_VERSION(&info.version);
    if (!SDL_GetWindowWMInfo(w, &info) || info.subsystem != SDL_SYSWM_X11)
        return 1;  /* not X11 (Wayland, KMS): the compositor answers */
    Display *d = info.info.x11.display;
    Atom check = XInternAtom(d, "_NET_SUPPORTING_WM_CHECK", True);
    if (check == None)
        return 0;
    Atom type;
    int format;
    unsigned long n, after;
    unsigned char *data = NULL;
    int ok = XGetWindowProperty(d, DefaultRootWindow(d), check, 0, 1, False, XA_WINDOW,
                                &type, &format, &n, &after, &data) == Success &&
             type == XA_WINDOW && n == 1;
    if (data)
        XFree(data);
    return ok;
}

int kwin_open(kiosk *k, const kwin_opts *o, char *msg, size_t mlen)
{
    Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
    int x = SDL_WINDOWPOS_CENTERED, y = SDL_WINDOWPOS_CENTERED;
    int w = o->w ? o->w : 1280, h = o->h ? o->h : 800;
    SDL_DisplayMode dm;
    int have_dm = SDL_GetDesktopDisplayMode(0, &dm) == 0;
    int want_fs = 0;
    if (o->windowed) {
        flags |= SDL_WINDOW_RESIZABLE;
    } else if (have_dm && (o->fullscreen || !o->w)) {
        /* Kiosk mode: a borderless window over the whole display, which needs no window
         * manager.  --fullscreen then also asks the window manager, when there is one,
         * so a desktop's panels go away; on a bare X server the borderless window
         * already covers everything (asking would leave a window of the requested
         * size in the middle, laid out for the whole screen). */
        flags |= SDL_WINDOW_BORDERLESS;
        x = y = 0;
        w = dm.w;
        h = dm.h;
        want_fs = o->fullscreen;
    } else if (!o->w || o->fullscreen) {
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;  /* no display size known: let SDL ask */
    }
    k->win = SDL_CreateWindow("Community kiosk", x, y, w, h, flags);
    if (!k->win) {
        snprintf(msg, mlen, "cannot open a window: %s", SDL_GetError());
        return -1;
    }
    if (want_fs && x11_has_wm(k->win) &&
        SDL_SetWindowFullscreen(k->win, SDL_WINDOW_FULLSCREEN_DESKTOP) != 0)
        fprintf(stderr, "kiosk: fullscreen: %s (staying borderless)\n", SDL_GetError());
    SDL_RaiseWindow(k->win);
    if (!o->windowed)
        SDL_SetWindowKeyboardGrab(k->win, SDL_TRUE);  /* keeps Alt+Tab from the WM */
    k->ren = SDL_CreateRenderer(k->win, -1, o->software == 0 ? SDL_RENDERER_ACCELERATED
                                                             : SDL_RENDERER_SOFTWARE);
    if (!k->ren) {
        snprintf(msg, mlen, "cannot create a renderer: %s", SDL_GetError());
        return -1;
    }
    /* The size the picture really has, whatever was asked for. */
    SDL_GetRendererOutputSize(k->ren, &k->w, &k->h);
    return 0;
}

/* Draws the failure: the UI layer when fonts work, otherwise a plain colour that
 * is not black, so a passer-by can tell the kiosk is on but broken. */
static void fail_draw(kiosk *k, const char *msg)
{
    SDL_GetRendererOutputSize(k->ren, &k->w, &k->h);
    if (!k->rd || !k->u) {
        SDL_SetRenderDrawColor(k->ren, 0x85, 0x22, 0x00, 255);
        SDL_RenderClear(k->ren);
        SDL_RenderPresent(k->ren);
        return;
    }
    static const ui_theme t = {
        .bg = { 0xEE, 0xEB, 0xE4, 255 },  .panel = { 0xFF, 0xFF, 0xFF, 255 },
        .text = { 0x1A, 0x1A, 0x1A, 255 }, .muted = { 0x45, 0x45, 0x45, 255 },
        .accent = { 0x85, 0x22, 0x00, 255 }, .accent_text = { 0xFF, 0xFF, 0xFF, 255 },
        .button = { 0xFF, 0xFF, 0xFF, 255 }, .button_text = { 0x0B, 0x3A, 0x63, 255 },
        .pressed = { 0xC9, 0xDD, 0xF0, 255 }, .border = { 0x8A, 0x8A, 0x8A, 255 },
        .warn = { 0x85, 0x22, 0x00, 255 }, .ok = { 0x15, 0x55, 0x25, 255 },
    };
    float s = (float)(k->w < k->h ? k->w : k->h) / 1080.0f;
    if (s < 0.8f)
        s = 0.8f;
    render_set_scale(k->rd, s);
    ui_begin(k->u, k->w, k->h, s, &t, SDL_GetTicks());
    ui_rect all = { 0, 0, k->w, k->h };
    ui_draw_rect(k->u, all, t.bg, 0);
    ui_rect bar = ui_cut_top(&all, ui_dp(k->u, 96));
    ui_draw_rect(k->u, bar, t.accent, 0);
    ui_label(k->u, ui_inset(bar, ui_dp(k->u, 20)), UI_FONT_TITLE, t.accent_text, UI_LEFT,
             "Kioski ei k\xc3\xa4ynnistynyt \xc2\xb7 Kiosken startade inte \xc2\xb7 "
             "The kiosk did not start");
    ui_rect body = ui_inset(all, ui_dp(k->u, 40));
    int used = ui_text_wrap(k->u, body, UI_FONT_BODY, t.text, msg, 0, 1);
    ui_cut_top(&body, used + ui_dp(k->u, 30));
    ui_text_wrap(k->u, body, UI_FONT_BODY, t.muted,
                 "Ilmoita henkil\xc3\xb6kunnalle \xc2\xb7 Meddela personalen \xc2\xb7 "
                 "Please tell the staff", 0, 1);
    ui_end(k->u);
    render_frame(k->rd, k->u);
    SDL_RenderPresent(k->ren);
}

void kwin_fail_screen(kiosk *k, const char *msg, int windowed, void (*tick)(void *),
                      void *ud)
{
    fprintf(stderr, "kiosk: %s\n", msg);
    if (!k->ren)
        return;
    fail_draw(k, msg);
    /* Stays until stopped (SIGTERM from systemd, or closing a development window):
     * a kiosk that exits leaves the bare display, black. */
    SDL_Event e;
    for (;;) {
        if (tick)
            tick(ud);
        if (!SDL_WaitEventTimeout(&e, 1000))
            continue;
        if (e.type == SDL_QUIT && windowed)
            break;
        if (e.type == SDL_WINDOWEVENT)
            fail_draw(k, msg);
    }
}

int kwin_x11_shot(kiosk *k, const char *path)
{
    SDL_SysWMinfo info;
    SDL_VERSION(&info.version);
    if (!k->win || !SDL_GetWindowWMInfo(k->win, &info) || info.subsystem != SDL_SYSWM_X11)
        return 1;
    Display *d = info.info.x11.display;
    XSync(d, False);  /* the last presented frame has reached the server */
    Window root = DefaultRootWindow(d);
    XWindowAttributes wa;
    if (!XGetWindowAttributes(d, root, &wa))
        return -1;
    XImage *im = XGetImage(d, root, 0, 0, (unsigned)wa.width, (unsigned)wa.height, AllPlanes,
                           ZPixmap);
    if (!im)
        return -1;
    int rc = -1;
    /* A 24-bit TrueColor screen (Xvfb, every kiosk PC): pixels are 0x00RRGGBB. */
    int rgb = im->red_mask == 0xff0000 && im->green_mask == 0xff00 && im->blue_mask == 0xff;
    SDL_Surface *s = rgb ? SDL_CreateRGBSurfaceWithFormat(0, wa.width, wa.height, 32,
                                                          SDL_PIXELFORMAT_RGB888)
                         : NULL;
    if (s) {
        for (int y = 0; y < wa.height; y++) {
            Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch);
            for (int x = 0; x < wa.width; x++) {
                row[x] = (Uint32)(XGetPixel(im, x, y) & 0xffffff);
            }
        }
        rc = IMG_SavePNG(s, path);
        SDL_FreeSurface(s);
    }
    XDestroyImage(im);
    return rc;
}
