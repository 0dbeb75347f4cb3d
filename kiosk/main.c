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

#include "kconf.h"
#include "kiosk.h"

#ifdef KIOSK_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

typedef struct options {
    app_config cfg;
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
            "  --db FILE            database (default kiosk.db); it must exist\n"
            "  --create-db          first run: create the database when it does not exist\n"
            "  --assets DIR         assets directory with i18n/ (default assets)\n"
            "  --config FILE        key = value settings (docs/deploy.md); flags given\n"
            "                       later override them\n"
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
            "  --first-frame FILE   write the time of the first presented frame (bench)\n"
            "systemd notify and watchdog (Type=notify, WatchdogSec): %s\n",
#ifdef KIOSK_SYSTEMD
            "yes"
#else
            "no (built without libsystemd)"
#endif
    );
}

/* Flags and --config files into c, in order: later ones override earlier ones. */
static int parse_args(kconf *c, int argc, char **argv, char *msg)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            exit(0);
        }
        if (strncmp(a, "--", 2) != 0) {
            kc_fail(msg, KC_EUSAGE, "unexpected argument %.100s", a);
            return -1;
        }
        const char *key = a + 2;
        if (!strcmp(key, "config")) {
            if (++i >= argc) {
                kc_fail(msg, KC_EUSAGE, "--config needs a file");
                return -1;
            }
            if (kconf_load(c, argv[i], msg))
                return -1;
            continue;
        }
        int k = kconf_key_of(key);
        if (k < 0) {
            kc_fail(msg, KC_EUSAGE, "unknown option %.100s", a);
            return -1;
        }
        const char *val = NULL;
        if (!kconf_is_flag((kconf_key)k)) {
            if (++i >= argc) {
                kc_fail(msg, KC_EUSAGE, "%s needs a value", a);
                return -1;
            }
            val = argv[i];
        }
        if (kconf_set(c, key, val, msg))
            return -1;
    }
    return 0;
}

/* The checked settings into the program's options (kconf refused bad values). */
static void apply_settings(const kconf *c, options *o)
{
    const char *v;
    if ((v = kconf_str(c, KCONF_DB)))
        o->cfg.db_path = v;
    o->cfg.create_db = kconf_flag(c, KCONF_CREATE_DB);
    if ((v = kconf_str(c, KCONF_ASSETS)))
        o->cfg.assets = v;
    if ((v = kconf_str(c, KCONF_LANG)))
        o->cfg.default_lang = (cat_lang)cat_lang_from_code(v);
    if ((v = kconf_str(c, KCONF_FALLBACK)))
        cat_langs_parse(v, &o->cfg.fallback);
    o->cfg.idle_s = (int)kconf_long(c, KCONF_IDLE, o->cfg.idle_s);
    o->cfg.sync_interval_s = (int)kconf_long(c, KCONF_SYNC_INTERVAL, o->cfg.sync_interval_s);
    o->cfg.server = kconf_str(c, KCONF_SERVER);
    o->cfg.token_file = kconf_str(c, KCONF_TOKEN_FILE);
    o->cfg.ca_file = kconf_str(c, KCONF_CA_FILE);
    o->cfg.today = kconf_str(c, KCONF_TODAY);
    kconf_size(c, &o->w, &o->h);
    if ((v = kconf_str(c, KCONF_RENDERER)))
        o->software = !strcmp(v, "software");
    o->fullscreen = kconf_flag(c, KCONF_FULLSCREEN);
    o->windowed = kconf_flag(c, KCONF_WINDOWED);
    o->headless = kconf_flag(c, KCONF_HEADLESS);
    o->cfg.allow_insecure_http = kconf_flag(c, KCONF_ALLOW_INSECURE_HTTP);
    o->script = kconf_str(c, KCONF_SCRIPT);
    o->shots = kconf_str(c, KCONF_SHOTS);
    o->first_frame_file = kconf_str(c, KCONF_FIRST_FRAME);
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

/* systemd (docs/deploy.md): READY=1 once the first frame is up, then WATCHDOG=1 from
 * the event loop at half the unit's WatchdogSec, so a UI thread that stops turning
 * (a deadlock, a call that never returns) gets the kiosk restarted.  Built without
 * libsystemd, or started outside systemd, nothing is sent and the loop sleeps until
 * the next event. */
typedef struct watchdog {
    uint32_t every_ms;      /* 0: no watchdog */
    uint32_t next;          /* SDL ticks of the next ping */
} watchdog;

static void watchdog_start(watchdog *w)
{
    memset(w, 0, sizeof *w);
#ifdef KIOSK_SYSTEMD
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        w->every_ms = usec / 2000 > 0 ? (uint32_t)(usec / 2000) : 1;
        w->next = SDL_GetTicks();
    }
    sd_notify(0, "READY=1");
#endif
}

/* How long the loop may sleep: `wait` (ms, -1 for no limit), cut to the next ping. */
static int watchdog_wait(const watchdog *w, uint32_t now, int wait)
{
    if (!w->every_ms)
        return wait;
    int left = (int32_t)(w->next - now) > 0 ? (int)(w->next - now) : 0;
    return wait < 0 || left < wait ? left : wait;
}

static void watchdog_feed(watchdog *w, uint32_t now)
{
    if (!w->every_ms || (int32_t)(now - w->next) < 0)
        return;
#ifdef KIOSK_SYSTEMD
    sd_notify(0, "WATCHDOG=1");
#endif
    w->next = now + w->every_ms;
}

/* The one screen of a kiosk that could not start: why, in the operator's words, and
 * nothing to touch.  Returns when the window is closed (windowed mode only); a kiosk
 * is stopped with SIGTERM (systemd). */
static void show_fatal(kiosk *k, const char *why, int windowed)
{
    const ui_theme *t = app_theme(&k->a);
    watchdog wd;  /* up and answering: systemd leaves the message on the screen */
    watchdog_start(&wd);
    for (;;) {
        k->scale = (float)(k->w < k->h ? k->w : k->h) / 1080.0f;
        if (k->scale < 0.8f)
            k->scale = 0.8f;
        render_set_scale(k->rd, k->scale);
        ui_begin(k->u, k->w, k->h, k->scale, t, SDL_GetTicks());
        ui_rect all = { 0, 0, k->w, k->h };
        ui_draw_rect(k->u, all, t->bg, 0);
        ui_rect col = ui_inset(all, ui_dp(k->u, 80));
        ui_rect head = ui_cut_top(&col, ui_dp(k->u, 80));
        ui_label(k->u, head, UI_FONT_TITLE, t->warn, UI_LEFT, "This kiosk cannot start");
        ui_text_wrap(k->u, col, UI_FONT_BODY, t->text, why, 0, 1);
        ui_end(k->u);
        render_frame(k->rd, k->u);
        SDL_RenderPresent(k->ren);
        SDL_Event e;
        int wait = watchdog_wait(&wd, SDL_GetTicks(), -1);
        int got = wait < 0 ? SDL_WaitEvent(&e) : SDL_WaitEventTimeout(&e, wait);
        watchdog_feed(&wd, SDL_GetTicks());
        if (!got && wait < 0)
            return;  /* SDL cannot wait for events: nothing more to do here */
        if (!got)
            continue;
        if (e.type == SDL_QUIT && windowed)
            return;
        if (e.type == SDL_WINDOWEVENT && k->win)
            SDL_GetRendererOutputSize(k->ren, &k->w, &k->h);
    }
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
    /* Owns every setting's text: o points into it until the end of main. */
    kconf *conf = kconf_new();
    if (!conf) {
        fprintf(stderr, "kiosk: out of memory\n");
        return 1;
    }
    if (parse_args(conf, argc, argv, msg)) {
        fprintf(stderr, "kiosk: %s\n(kiosk --help lists the options)\n", msg);
        kconf_free(conf);
        return 2;
    }
    apply_settings(conf, &o);
    for (size_t i = 0; !o.font_regular && i < sizeof font_candidates / sizeof font_candidates[0]; i++) {
        struct stat sb;
        if (stat(font_candidates[i][0], &sb) == 0 && stat(font_candidates[i][1], &sb) == 0) {
            o.font_regular = font_candidates[i][0];
            o.font_bold = font_candidates[i][1];
        }
    }
    if (!o.font_regular) {
        fprintf(stderr, "kiosk: no font found: install fonts-noto-core or fonts-dejavu-core\n");
        kconf_free(conf);
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
        kconf_free(conf);
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
    kc_err arc = app_init(&k.a, &o.cfg, o.script ? NULL : wake_loop, NULL, msg);
    if (arc) {
        struct stat sb;
        if (arc == KC_ENOTFOUND && stat(o.cfg.db_path, &sb) != 0) {
            size_t n = strlen(msg);
            snprintf(msg + n, sizeof msg - n,
                     ". Check db in the settings; on a first run start the kiosk once with "
                     "--create-db (or create-db = yes) to make a new, empty one.");
        }
        fprintf(stderr, "kiosk: %s\n", msg);
        /* On a kiosk nobody reads stderr: the screen says why, until it is stopped. */
        if (!o.headless && !o.script)
            show_fatal(&k, msg, o.windowed);
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
    watchdog wd;
    watchdog_start(&wd);
    while (!k.a.quit) {
        SDL_Event e;
        int got, wait = -1;  /* ms; -1 until an event */
        uint32_t now = SDL_GetTicks(), wake = ui_wake_ms(k.u);
        if (k.animating)
            wait = 8;
        else if (wake)
            wait = wake > now ? (int)(wake - now) : 0;
        wait = watchdog_wait(&wd, now, wait);
        got = wait < 0 ? SDL_WaitEvent(&e) : SDL_WaitEventTimeout(&e, wait);
        if (got) {
            handle_event(&k, &e, o.windowed);
            while (SDL_PollEvent(&e))
                handle_event(&k, &e, o.windowed);
        }
        kiosk_frame(&k, SDL_GetTicks());
        watchdog_feed(&wd, SDL_GetTicks());
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
    kconf_free(conf);
    return rc;
}
