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
#include "screens.h"
#include "window.h"

#ifdef KIOSK_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

typedef struct options {
    app_config cfg;
    const char *script;
    const char *shots;
    int w, h;
    int windowed, fullscreen, headless;
    int software;           /* 1 software renderer, 0 accelerated, -1 choose */
    const char *first_frame_file;
} options;

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
            "  --hours \"mon-fri 08:00-20:00, sat 10:00-16:00\"  opening hours: black screen\n"
            "                       outside them (the server's settings win)\n"
            "  --size WxH           window size (default: the screen)\n"
            "  --dpi N              the panel's pixels per inch: touch targets are at least\n"
            "                       9 mm (default 96)\n"
            "  --area ID            the kiosk's own area: at equal relevance search lists\n"
            "                       its items, then its city's, first\n"
            "  --place TEXT         the kiosk's place name for the attract screen, e.g.\n"
            "                       \"Porvoon pääkirjasto\"\n"
            "  --feedback-merge S   face taps of one person this close count once (10)\n"
            "  --usb-roots LIST     mount point patterns of USB sticks for the coordinator's\n"
            "                       export (default /media/*,/media/*/*,/run/media/*/*)\n"
            "  --export-dir DIR     export to this folder instead of looking for a stick\n"
            "  --fullscreen         also ask a window manager for fullscreen when one runs\n"
            "                       (a desktop); the default is a borderless window over\n"
            "                       the display, which needs no window manager\n"
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
    o->cfg.dpi = (int)kconf_long(c, KCONF_DPI, o->cfg.dpi);
    o->cfg.area = kconf_str(c, KCONF_AREA);
    o->cfg.place = kconf_str(c, KCONF_PLACE);
    o->cfg.feedback_merge_s = (int)kconf_long(c, KCONF_FEEDBACK_MERGE, 10);
    o->cfg.hours = kconf_str(c, KCONF_HOURS);
    o->cfg.usb_roots = kconf_str(c, KCONF_USB_ROOTS);
    o->cfg.export_dir = kconf_str(c, KCONF_EXPORT_DIR);
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

/* Called from a job runner worker (job.h): SDL_PushEvent is safe from any thread. */
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
    int ready;              /* READY=1 sent */
} watchdog;

static void watchdog_start(watchdog *w)
{
    memset(w, 0, sizeof *w);
    w->ready = 1;
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

/* The failure screen's heartbeat: up and answering, so systemd leaves the message on
 * the screen instead of restarting into it again. */
static void fail_tick(void *ud)
{
    watchdog *w = ud;
    if (!w->ready)
        watchdog_start(w);
    watchdog_feed(w, SDL_GetTicks());
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
    kwin_fonts fonts;
    int have_fonts = kwin_find_fonts(&fonts) == 0;
    if (!have_fonts && o.headless) {
        fprintf(stderr, "kiosk: no font found: install fonts-noto-core or fonts-dejavu-core\n");
        kconf_free(conf);
        return 1;
    }

    kiosk k;
    memset(&k, 0, sizeof k);
    watchdog wd;
    memset(&wd, 0, sizeof wd);
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
        kwin_opts wo = { o.w, o.h, o.windowed, o.fullscreen, o.software };
        if (kwin_open(&k, &wo, msg, sizeof msg)) {
            fprintf(stderr, "kiosk: %s\n", msg);
            goto out;
        }
    }
    if (!k.ren) {
        fprintf(stderr, "kiosk: cannot create a renderer: %s\n", SDL_GetError());
        goto out;
    }
    /* From here on a failure is shown on the screen: a kiosk that exits leaves a
     * black display and nobody knows why. */
    if (!have_fonts) {
        snprintf(msg, sizeof msg, "no font found: install fonts-noto-core or fonts-dejavu-core");
        goto fail;
    }
    if (render_init(&k.rd, k.ren, fonts.regular, fonts.bold, msg, sizeof msg))
        goto fail;
    ui_text_fns fns = render_text_fns(k.rd);
    if (!(k.u = ui_new(&fns))) {
        snprintf(msg, sizeof msg, "out of memory");
        goto fail;
    }
    o.cfg.screens = screens_table(&o.cfg.nscreens);
    kc_err arc = app_init(&k.a, &o.cfg, o.script ? NULL : wake_loop, NULL, msg);
    if (arc) {
        struct stat sb;
        if (arc == KC_ENOTFOUND && stat(o.cfg.db_path, &sb) != 0) {
            size_t n = strlen(msg);
            snprintf(msg + n, sizeof msg - n,
                     ". Check db in the settings; on a first run start the kiosk once with "
                     "--create-db (or create-db = yes) to make a new, empty one.");
        }
        goto fail;
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
        int was_closed = k.a.closed;
        kiosk_frame(&k, SDL_GetTicks());
        watchdog_feed(&wd, SDL_GetTicks());
        /* Outside opening hours the picture is black and no longer drawn; SDL lets
         * the display's power saving (X screen saver and DPMS timeouts) take the
         * panel off while closed, and keeps it on while open. */
        if (k.a.closed != was_closed) {
            if (k.a.closed)
                SDL_EnableScreenSaver();
            else
                SDL_DisableScreenSaver();
        }
    }
    rc = 0;
    goto out;
fail:
    if (o.headless || o.script)
        fprintf(stderr, "kiosk: %s\n", msg);
    else
        kwin_fail_screen(&k, msg, o.windowed, fail_tick, &wd);
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
