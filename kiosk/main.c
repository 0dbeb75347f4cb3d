/*
 * The kiosk program: configuration, SDL setup, and the event loop.
 *
 * The loop sleeps in SDL_WaitEventTimeout until input arrives or the UI asked to be
 * woken (idle countdown, long press, momentum scrolling); an unchanged picture is
 * not presented again.  Lock-down: closing the window, Alt+F4 and Escape do nothing
 * in kiosk mode; only the coordinator menu (long press + PIN) exits.
 */
#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "kiosk.h"

typedef struct options {
    app_config cfg;
    const char *config;
    const char *script;
    const char *shots;
    const char *font_regular, *font_bold;
    int w, h;
    int windowed, fullscreen, headless;
    int software;           /* 1 software renderer, 0 accelerated, -1 choose */
    const char *first_frame_file;
} options;

static const char *const font_candidates[][2] = {
    { "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
      "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf" },
    { "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
      "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf" },
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: kiosk [options]\n"
            "  --db FILE            database (default kiosk.db)\n"
            "  --assets DIR         assets directory with i18n/ (default assets)\n"
            "  --config FILE        key=value settings; flags given later override\n"
            "  --lang fi|sv|en      default language (default fi)\n"
            "  --fallback LIST      language fallback order, e.g. fi,sv,en\n"
            "  --idle SECONDS       idle time before \"are you still there?\" (default 60)\n"
            "  --size WxH           window size (default: the screen)\n"
            "  --fullscreen         ask the window manager for fullscreen (under a desktop);\n"
            "                       the default is a borderless window over the display\n"
            "  --windowed           a normal window that may be closed (development)\n"
            "  --renderer software|accelerated   (default: software, see README)\n"
            "  --headless           draw offscreen, no window (tests)\n"
            "  --script FILE        run a UI script (taps, typing, screenshots, checks)\n"
            "  --shots DIR          where script screenshots go (default .)\n"
            "  --today YYYY-MM-DD   pretend today's date (tests)\n"
            "  --server URL         central server to sync with (docs/protocol.md)\n"
            "  --token-file FILE    this kiosk's device token\n"
            "  --ca-file FILE       trust this CA instead of the system's\n"
            "  --allow-insecure-http  permit plain http:// to a server that is not this\n"
            "                       machine (the token travels in clear; shown on screen)\n"
            "  --sync-interval S    seconds between syncs (default 60)\n"
            "  --first-frame FILE   write the time of the first presented frame (bench)\n");
}

static int parse_size(const char *s, int *w, int *h)
{
    return sscanf(s, "%dx%d", w, h) == 2 && *w >= 320 && *h >= 240 && *w <= 8192 &&
                   *h <= 8192
               ? 0
               : -1;
}

/* One setting, from a flag or a config line.  Returns 0, or -1 with a message. */
static int set_opt(options *o, const char *key, const char *val, char *msg, size_t mlen)
{
    static char keep[32][512];  /* config values outlive the file buffer */
    static int nkeep;
    if (val && nkeep < 32) {
        snprintf(keep[nkeep], sizeof keep[nkeep], "%s", val);
        val = keep[nkeep++];
    }
    if (!strcmp(key, "db")) o->cfg.db_path = val;
    else if (!strcmp(key, "assets")) o->cfg.assets = val;
    else if (!strcmp(key, "shots")) o->shots = val;
    else if (!strcmp(key, "script")) o->script = val;
    else if (!strcmp(key, "today")) o->cfg.today = val;
    else if (!strcmp(key, "first-frame")) o->first_frame_file = val;
    else if (!strcmp(key, "server")) o->cfg.server = val;
    else if (!strcmp(key, "token-file")) o->cfg.token_file = val;
    else if (!strcmp(key, "ca-file")) o->cfg.ca_file = val;
    else if (!strcmp(key, "sync-interval")) {
        char *end;
        long v = strtol(val, &end, 10);
        if (*end || v < 5 || v > 86400) {
            snprintf(msg, mlen, "sync-interval must be 5..86400 seconds");
            return -1;
        }
        o->cfg.sync_interval_s = (int)v;
    }
    else if (!strcmp(key, "lang")) {
        int l = cat_lang_from_code(val);
        if (l < 0) {
            snprintf(msg, mlen, "lang must be fi, sv or en, not \"%s\"", val);
            return -1;
        }
        o->cfg.default_lang = (cat_lang)l;
    } else if (!strcmp(key, "fallback")) {
        if (cat_langs_parse(val, &o->cfg.fallback)) {
            snprintf(msg, mlen, "fallback must list fi, sv, en, e.g. fi,sv,en");
            return -1;
        }
    } else if (!strcmp(key, "idle")) {
        char *end;
        long v = strtol(val, &end, 10);
        if (*end || v < 5 || v > 86400) {
            snprintf(msg, mlen, "idle must be 5..86400 seconds");
            return -1;
        }
        o->cfg.idle_s = (int)v;
    } else if (!strcmp(key, "size")) {
        if (parse_size(val, &o->w, &o->h)) {
            snprintf(msg, mlen, "size must be WxH, e.g. 1920x1080");
            return -1;
        }
    } else if (!strcmp(key, "renderer")) {
        if (strcmp(val, "software") && strcmp(val, "accelerated")) {
            snprintf(msg, mlen, "renderer must be software or accelerated");
            return -1;
        }
        o->software = !strcmp(val, "software");
    } else if (!strcmp(key, "fullscreen")) o->fullscreen = 1, o->windowed = 0;
    else if (!strcmp(key, "windowed")) o->windowed = 1, o->fullscreen = 0;
    else if (!strcmp(key, "headless")) o->headless = 1;
    else if (!strcmp(key, "allow-insecure-http")) o->cfg.allow_insecure_http = 1;
    else {
        snprintf(msg, mlen, "unknown setting \"%s\"", key);
        return -1;
    }
    return 0;
}

static int is_flag(const char *k)
{
    return !strcmp(k, "fullscreen") || !strcmp(k, "windowed") || !strcmp(k, "headless") ||
           !strcmp(k, "allow-insecure-http");
}

static int load_config(options *o, const char *path, char *msg, size_t mlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(msg, mlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char line[600];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        n++;
        line[strcspn(line, "\r\n")] = '\0';
        char *p = line + strspn(line, " \t");
        if (!*p || *p == '#')
            continue;
        char *eq = strchr(p, '=');
        char *key = p, *val = NULL;
        if (eq) {
            *eq = '\0';
            val = eq + 1 + strspn(eq + 1, " \t");
        }
        key[strcspn(key, " \t")] = '\0';
        if ((!val && !is_flag(key)) || set_opt(o, key, val ? val : "", msg, mlen)) {
            char m2[300];
            snprintf(m2, sizeof m2, "%s:%d: %s", path, n, val ? msg : "expected key = value");
            snprintf(msg, mlen, "%s", m2);
            fclose(f);
            return -1;
        }
    }
    fclose(f);
    return 0;
}

static int parse_args(options *o, int argc, char **argv, char *msg, size_t mlen)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            exit(0);
        }
        if (strncmp(a, "--", 2) != 0) {
            snprintf(msg, mlen, "unexpected argument %s", a);
            return -1;
        }
        const char *key = a + 2;
        if (!strcmp(key, "config")) {
            if (++i >= argc || load_config(o, argv[i], msg, mlen))
                return i >= argc ? (snprintf(msg, mlen, "--config needs a file"), -1) : -1;
            continue;
        }
        if (is_flag(key)) {
            set_opt(o, key, NULL, msg, mlen);
            continue;
        }
        if (++i >= argc) {
            snprintf(msg, mlen, "%s needs a value", a);
            return -1;
        }
        if (set_opt(o, key, argv[i], msg, mlen))
            return -1;
    }
    return 0;
}

static void handle_event(kiosk *k, const SDL_Event *e, int windowed)
{
    ui *u = k->u;
    uint32_t now = SDL_GetTicks();
    switch (e->type) {
    case SDL_QUIT:
        if (windowed)
            k->a.quit = 1;  /* kiosk mode ignores it: no way out without the PIN */
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.which != SDL_TOUCH_MOUSEID && e->button.button == SDL_BUTTON_LEFT)
            ui_input_down(u, -1, e->button.x, e->button.y, now);
        break;
    case SDL_MOUSEMOTION:
        if (e->motion.which != SDL_TOUCH_MOUSEID && (e->motion.state & SDL_BUTTON_LMASK))
            ui_input_move(u, -1, e->motion.x, e->motion.y, now);
        break;
    case SDL_MOUSEBUTTONUP:
        if (e->button.which != SDL_TOUCH_MOUSEID && e->button.button == SDL_BUTTON_LEFT)
            ui_input_up(u, -1, e->button.x, e->button.y, now);
        break;
    case SDL_MOUSEWHEEL:
        /* A wheel scrolls like a short drag where the pointer is. */
        break;
    case SDL_FINGERDOWN:
    case SDL_FINGERMOTION:
    case SDL_FINGERUP: {
        int x = (int)(e->tfinger.x * (float)k->w), y = (int)(e->tfinger.y * (float)k->h);
        int id = (int)(e->tfinger.fingerId & 0x7fffffff);
        if (e->type == SDL_FINGERDOWN)
            ui_input_down(u, id, x, y, now);
        else if (e->type == SDL_FINGERMOTION)
            ui_input_move(u, id, x, y, now);
        else
            ui_input_up(u, id, x, y, now);
        break;
    }
    case SDL_TEXTINPUT:
        ui_input_text(u, e->text.text);
        break;
    case SDL_KEYDOWN:
        if (e->key.keysym.sym == SDLK_BACKSPACE)
            ui_input_key(u, UI_KEY_BACKSPACE);
        else if (e->key.keysym.sym == SDLK_RETURN || e->key.keysym.sym == SDLK_KP_ENTER)
            ui_input_key(u, UI_KEY_ENTER);
        break;
    default:
        break;
    }
}

/* Called from the index builder thread: SDL_PushEvent is safe from any thread. */
static void wake_loop(void *ud)
{
    (void)ud;
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_USEREVENT;
    SDL_PushEvent(&e);
}

static void write_first_frame(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    fprintf(f, "%lld.%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
    fclose(f);
}

int main(int argc, char **argv)
{
    options o;
    memset(&o, 0, sizeof o);
    o.cfg.db_path = "kiosk.db";
    o.cfg.assets = "assets";
    o.cfg.default_lang = CAT_FI;
    o.cfg.fallback = cat_langs_for(CAT_FI);  /* fi, sv, en */
    o.cfg.idle_s = 60;
    o.cfg.idle_warn_s = 15;
    o.software = -1;
    char msg[KC_MSGMAX] = "";
    if (parse_args(&o, argc, argv, msg, sizeof msg)) {
        fprintf(stderr, "kiosk: %s\n(kiosk --help lists the options)\n", msg);
        return 2;
    }
    for (size_t i = 0; !o.font_regular && i < sizeof font_candidates / sizeof font_candidates[0]; i++) {
        struct stat sb;
        if (stat(font_candidates[i][0], &sb) == 0 && stat(font_candidates[i][1], &sb) == 0) {
            o.font_regular = font_candidates[i][0];
            o.font_bold = font_candidates[i][1];
        }
    }
    if (!o.font_regular) {
        fprintf(stderr, "kiosk: no font found: install fonts-noto-core or fonts-dejavu-core\n");
        return 1;
    }

    kiosk k;
    memset(&k, 0, sizeof k);
    k.shots = o.shots;
    int rc = 1;
    /* llvmpipe costs ~100 MB and ~130 ms at start for nothing on a machine without a
     * GPU; the software path is chosen unless asked otherwise. */
    if (o.software != 0)
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    /* SIGTERM must stop the kiosk (systemd, shutdown); SDL would turn it into a quit
     * event that kiosk mode ignores. */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    if (SDL_Init(o.headless ? SDL_INIT_EVENTS : SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "kiosk: cannot start SDL video: %s\n"
                        "(no display? run under xvfb-run, or use --headless)\n",
                SDL_GetError());
        return 1;
    }
    if (o.cfg.server && syncc_global_init()) {
        fprintf(stderr, "kiosk: libcurl did not start\n");
        goto out;
    }
    if (TTF_Init() != 0) {
        fprintf(stderr, "kiosk: SDL_ttf: %s\n", TTF_GetError());
        goto out;
    }
    if (o.headless) {
        k.w = o.w ? o.w : 1920;
        k.h = o.h ? o.h : 1080;
        k.surface = SDL_CreateRGBSurfaceWithFormat(0, k.w, k.h, 32, SDL_PIXELFORMAT_ARGB8888);
        k.ren = k.surface ? SDL_CreateSoftwareRenderer(k.surface) : NULL;
    } else {
        /* Kiosk mode (the default): a borderless window covering the whole display.
         * On a dedicated kiosk there is no window manager to negotiate fullscreen
         * with, and SDL's X11 fullscreen waits ~100 ms for one; --fullscreen asks the
         * window manager instead, for kiosks that run under a desktop. */
        Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
        int x = SDL_WINDOWPOS_CENTERED, y = SDL_WINDOWPOS_CENTERED;
        int w = o.w ? o.w : 1280, h = o.h ? o.h : 800;
        SDL_DisplayMode dm;
        if (o.windowed) {
            flags |= SDL_WINDOW_RESIZABLE;
        } else if (o.fullscreen) {
            flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
        } else if (!o.w && SDL_GetDesktopDisplayMode(0, &dm) == 0) {
            flags |= SDL_WINDOW_BORDERLESS;
            x = y = 0;
            w = dm.w;
            h = dm.h;
        } else if (!o.w) {
            flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
        }
        k.win = SDL_CreateWindow("Community kiosk", x, y, w, h, flags);
        if (k.win) {
            SDL_RaiseWindow(k.win);
            if (!o.windowed)
                SDL_SetWindowKeyboardGrab(k.win, SDL_TRUE);  /* keeps Alt+Tab from the WM */
            k.ren = SDL_CreateRenderer(k.win, -1, o.software == 0 ? SDL_RENDERER_ACCELERATED
                                                                  : SDL_RENDERER_SOFTWARE);
        }
        if (k.ren)
            SDL_GetRendererOutputSize(k.ren, &k.w, &k.h);
    }
    if (!k.ren) {
        fprintf(stderr, "kiosk: cannot create a renderer: %s\n", SDL_GetError());
        goto out;
    }
    if (render_init(&k.rd, k.ren, o.font_regular, o.font_bold, msg, sizeof msg)) {
        fprintf(stderr, "kiosk: %s\n", msg);
        goto out;
    }
    ui_text_fns fns = render_text_fns(k.rd);
    if (!(k.u = ui_new(&fns))) {
        fprintf(stderr, "kiosk: out of memory\n");
        goto out;
    }
    if (app_init(&k.a, &o.cfg, o.script ? NULL : wake_loop, NULL, msg)) {
        fprintf(stderr, "kiosk: %s\n", msg);
        goto out;
    }
    if (o.script) {
        app_wait_index(&k.a);  /* scripts start from a ready kiosk: deterministic */
        rc = script_run(&k, o.script);
        goto out;
    }
    SDL_StartTextInput();
    kiosk_frame(&k, SDL_GetTicks());
    if (o.first_frame_file)
        write_first_frame(o.first_frame_file);
    while (!k.a.quit) {
        SDL_Event e;
        int got;
        uint32_t wake = ui_wake_ms(k.u);
        if (k.animating) {
            got = SDL_WaitEventTimeout(&e, 8);
        } else if (wake) {
            uint32_t now = SDL_GetTicks();
            got = SDL_WaitEventTimeout(&e, wake > now ? (int)(wake - now) : 0);
        } else {
            got = SDL_WaitEvent(&e);
        }
        if (got) {
            handle_event(&k, &e, o.windowed);
            while (SDL_PollEvent(&e))
                handle_event(&k, &e, o.windowed);
        }
        kiosk_frame(&k, SDL_GetTicks());
    }
    rc = 0;
out:
    app_free(&k.a);
    ui_free(k.u);
    render_free(k.rd);
    if (k.ren)
        SDL_DestroyRenderer(k.ren);
    if (k.surface)
        SDL_FreeSurface(k.surface);
    if (k.win)
        SDL_DestroyWindow(k.win);
    TTF_Quit();
    SDL_Quit();
    if (o.cfg.server)
        syncc_global_cleanup();
    return rc;
}
