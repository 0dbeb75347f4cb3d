/*
 * app.h - the kiosk application's state and its screens, above the UI layer.
 *
 * One `app` holds everything a screen needs: the store, the search index, the
 * translations, the resident's choices (language, larger text, contrast), the
 * navigation stack and each screen's working state.  Screens are functions
 * `scr_NAME(app, ui, body)` in their own files; app.c draws the chrome (top bar with
 * Back, Home and the language buttons; the idle overlay) and dispatches.
 *
 * Thread rule: the app runs on the UI thread only.  Nothing here waits on the
 * network; queries are in-memory (search) or small indexed reads (one item, one
 * month of the calendar).
 *
 * Privacy: app_reset() returns to Home and wipes everything a resident typed or
 * chose; it runs on idle timeout and is the only way a session ends.
 */
#ifndef APP_H
#define APP_H

#include <stdint.h>

#include "catalog.h"
#include "facts.h"
#include "i18n.h"
#include "ksettings.h"
#include "qr.h"
#include "search.h"
#include "store.h"
#include "syncc.h"
#include "ui.h"

typedef enum scr_id {
    SCR_HOME, SCR_BROWSE, SCR_SEARCH, SCR_DETAIL, SCR_CALENDAR, SCR_FEEDBACK,
    SCR_PIN, SCR_ADMIN, SCR_SURVEY, SCR_WORKSHOP, SCR_RESULTS, SCR_VOTE, SCR_VOTE_RESULTS,
    SCR_NSCREENS
} scr_id;

#define APP_NAV_MAX 16
#define APP_QUERY_MAX 120       /* bytes the search field accepts */
#define APP_HITS 60
#define APP_RELATED_MAX 40
#define APP_CAL_MAX 400

typedef struct nav_entry {
    scr_id id;
    int kind;                     /* SCR_BROWSE: cat_kind */
    char item[CAT_ID_MAX + 1];    /* SCR_DETAIL: item id */
} nav_entry;

typedef struct area_name {
    char id[CAT_ID_MAX + 1];
    char *name[CAT_NLANG];
    char city[101];
    int is_city;
} area_name;

typedef struct related {
    char id[CAT_ID_MAX + 1];
    int kind;
    const char *field;            /* how it relates ("organiser", ...) */
} related;

typedef struct cal_entry {
    char id[CAT_ID_MAX + 1];
    int kind;
    char start[17], end[17];
    char venue[CAT_ID_MAX + 1];  /* venue item id, "" for none */
    int status;                  /* index in the status field's values, -1: as planned */
} cal_entry;

typedef struct app_config {
    const char *db_path;          /* must exist unless create_db */
    int create_db;                /* first run: create the database when missing */
    const char *assets;           /* directory with i18n/ */
    cat_lang default_lang;
    cat_langs fallback;           /* order after the wanted language */
    int idle_s;                   /* seconds before "are you still there?" */
    int idle_warn_s;              /* seconds of countdown before the reset */
    int dpi;                      /* the panel's pixels per inch; 0 = unknown (96) */
    int feedback_merge_s;         /* face taps this close count once; 0 = 10 s */
    const char *area;             /* the kiosk's own area id, or NULL: at equal relevance
                                     search lists its items, then its city's, first */
    const char *place;            /* the kiosk's place name for the attract screen, or NULL */
    const char *today;            /* "YYYY-MM-DD" override for tests; NULL = clock */
    const char *server;           /* sync server base URL; NULL = no sync */
    const char *token_file;       /* file holding this kiosk's device token */
    const char *ca_file;          /* CA bundle for a private certificate; NULL = system */
    int sync_interval_s;          /* between syncs; 0 = the engine's default */
    int allow_insecure_http;      /* plain http:// to a host that is not loopback */
    const char *hours;            /* kiosk.conf opening hours (ksettings.h form); NULL =
                                     always open */
    const char *usb_roots;        /* mount points that are USB sticks (core/stick.h); NULL =
                                     STICK_DEFAULT_ROOTS */
    const char *export_dir;       /* a fixed folder for USB exports instead; NULL = none */
    const struct app_screen *screens;  /* the screen table (screens.h), nscreens rows */
    size_t nscreens;
} app_config;

/* One row per screen (screens.c, indexed by scr_id): what the frame, Home, the idle
 * reset and the coordinator menu need of it.  They reach the screens only through
 * a->screens, so app.c, frame.c and the shared screens include no screen family's
 * header; a new screen is one new row (app_init refuses a table with a row missing).
 * A family of screens (the survey station, voting) hangs its hooks on one of its rows;
 * every hook may be NULL. */
typedef struct app app;
typedef struct app_screen {
    const char *name;                           /* for messages and tests */
    void (*draw)(app *a, ui *u, ui_rect r);
    int needs_index;                            /* shows "Loading" until the index is built */
    const char *scroll;                         /* its scroll region, wiped on reset */
    const char *admin_id, *admin_label;         /* a coordinator menu button opening it */
    void (*admin_open)(app *a, ui *u);          /* before the menu opens it */
    uint32_t (*idle_ms)(const app *a, uint32_t ms); /* its idle time while it shows */
    /* While it shows: the top bar's Back (home 0) or Home (1) was tapped; 1 when the
     * screen asks first (the bar then does nothing). */
    int (*ask_leave)(app *a, int home);
    /* The family's hooks. */
    void (*reset)(app *a);                      /* idle reset: wipe the resident's input */
    void (*free)(app *a);                       /* waits for its jobs */
    void (*relist)(app *a);                     /* a sync brought documents */
    void (*home_banner)(app *a, ui *u, ui_rect *r);
    int (*detail_button)(app *a, ui *u, ui_rect r, const char *item); /* extra height */
    /* Drawn in the coordinator menu below the screens' buttons (a panel, not a screen). */
    void (*admin_panel)(app *a, ui *u, ui_rect *r);
    /* The idle warning: 1 when the family draws its own question instead. */
    int (*idle_overlay)(app *a, ui *u, uint32_t left_ms);
    /* 1 while a finger holds the family's overlay (it stays for the tap to land). */
    int (*idle_held)(app *a, ui *u);
} app_screen;

typedef struct app {
    app_config cfg;
    const app_screen *screens;    /* cfg.screens: SCR_NSCREENS rows */
    store *st;
    search *idx;                  /* NULL until the first index is built */
    unsigned long idx_gen;        /* counts new indexes: item numbers changed */
    struct rowfacts *facts;       /* the list rows' items (rowfacts.c) */

    /* All work off the UI thread runs on this runner (job.h): hashing, fsync'd saves,
     * the search index (built with its own store handle, so the first frame does not
     * wait for 100 000 names).  Its wake tells the event loop. */
    struct jobs *jobs;
    int building;                 /* an index build is queued or running */
    int rebuild;                  /* the catalog changed during it: build again after */
    int release_held;             /* the first build releases held feedback */
    int closing;                  /* app_free runs: no new builds */

    /* Sync runs on its own thread (sync/syncc.h); the UI only reads snapshots. */
    syncc *sync;
    syncc_status sst;
    unsigned long sync_changes_seen;
    unsigned long docs_changes_seen;
    i18n *tr;
    area_name *areas;
    size_t nareas;
    char version[32];

    /* the resident's session: wiped by app_reset */
    cat_lang lang;
    cat_langs pref;
    int large_text;
    int high_contrast;
    nav_entry nav[APP_NAV_MAX];
    int depth;                    /* nav[depth-1] is the current screen */

    char query[APP_QUERY_MAX + 1];
    search_hit hits[APP_HITS];
    size_t nhits;
    int query_done;               /* hits match query */
    int search_kb_hidden;         /* "Show results" hid the search keyboard */

    int browse_kind;
    unsigned browse_themes;       /* bit set over cat_themes */
    char browse_area[CAT_ID_MAX + 1];
    int *browse_items;
    size_t nbrowse, browse_cap;
    int browse_done;
    cat_lang browse_lang;
    int browse_show_themes;       /* theme chips opened */

    cat_item detail;
    int detail_ok;                /* detail holds nav item */
    char detail_for[CAT_ID_MAX + 1];
    qr_code *qr_link, *qr_contact, *qr_dir;  /* web or sign-up, MECARD, directions */
    related rel[APP_RELATED_MAX];
    size_t nrel;

    cal_entry cal[APP_CAL_MAX];
    size_t ncal;
    int cal_done;

    char pin[16];
    char pin_msg[160];
    struct job *pin_job;          /* the PIN being checked off the UI thread (scr_admin.c) */
    char pin_try[16];             /* the job's copy of the digits */
    long pin_wait;                /* the job's answer: seconds until the next try */
    int admin_open;               /* admin_stats is loaded for this visit */
    int exit_confirm;             /* "Leave kiosk mode?" is asked */
    uint32_t finish_since;        /* ms a thank-you screen first showed; 0 = none */
    store_stats admin_stats;

    struct station *station;      /* feedback, surveys, workshops (station.h) */
    struct vote_state *vote;      /* ballots being voted on (scr_vote.h) */
    struct usb_state *usb;        /* the coordinator's USB export (usb.c) */

    int attract;                  /* the attract screen covers everything (after a reset) */
    /* The server's settings for this kiosk (settings.c): they win over kiosk.conf,
     * whose values stay the fallback; applied when a sync brings new ones. */
    ksettings kset;
    unsigned long settings_changes_seen;
    int conf_idle_s;
    cat_lang conf_lang;
    int has_hours;                /* opening hours in force (server's, else conf's) */
    khours hours;
    int closed;                   /* outside opening hours: the screen is black */
    uint32_t closed_input;        /* the last input when it closed: a later one is a touch */

    int warning;                  /* idle overlay showing */
    int quit;                     /* coordinator chose Exit */
    char err[KC_MSGMAX];
} app;

/* Opens the store and starts building the search index; on failure a message in msg.
 * wake (may be NULL) is called from the worker when the index is ready. */
kc_err app_init(app *a, const app_config *cfg, void (*wake)(void *), void *wake_ud,
                char *msg);
/* Pieces of the session for frame.c: (re)read the areas, free them, drop the open
 * detail card. */
kc_err app_load_areas(app *a);
void app_free_areas(app *a);
void app_detail_clear(app *a);
/* Rebuilds the search index in the background (after the catalog changed). */
kc_err app_rebuild_index(app *a);
/* Takes a finished index, if any; the UI thread calls it each frame. */
void app_poll(app *a);
/* Waits for the builder and takes its index (script mode, tests). */
void app_wait_index(app *a);
/* A response was stored: ask the sync thread to send it soon (no-op without sync). */
void app_sync_kick(app *a);
void app_free(app *a);

/* Settings (settings.c; frame.c draws the closed screen): (re)reads the server's settings and applies them over the
 * kiosk.conf values; app_init calls it, app_poll when a sync brought new ones. */
kc_err app_settings_apply(app *a, char *msg);
/* The place's name: the server's setting, else kiosk.conf `place`, else NULL. */
const char *app_place(const app *a);
/* 1 when the kiosk shows survey (ballot 0) or ballot (1) id. */
int app_shows(const app *a, int ballot, const char *id);
void app_settings_free(app *a);

/* One frame of the whole kiosk. */
void app_frame(app *a, ui *u, uint32_t now_ms);
void app_reset(app *a, ui *u);
const ui_theme *app_theme(const app *a);
/* Font scale factor for the backend: 1.0, or larger with A+. */
float app_text_scale(const app *a);

/* --- helpers for screens ----------------------------------------------------- */
/* Marks a string in a table as a translation key (the .po check finds them). */
#define N_(s) s
const char *tr(const app *a, const char *key);
/* A count's form (gettext's ngettext, kiosk/i18n.h): one for n == 1, many otherwise in
 * fi, sv and en; both are keys of one plural entry of the .po files. */
const char *trn(const app *a, const char *one, const char *many, unsigned long n);
void app_go(app *a, scr_id id, int kind, const char *item);
void app_back(app *a);
void app_home(app *a);
const nav_entry *app_cur(const app *a);
const char *app_area_name(const app *a, const char *area_id);
const char *app_kind_label(const app *a, cat_kind k, int plural);
/* Picks a TEXT value in the resident's language; *fallback set when another was used. */
const char *app_text(const app *a, const cat_value *v, int *fallback);
/* "(suomeksi)" etc. for text shown in another language. */
const char *app_in_lang(const app *a, cat_lang l);
void app_today(const app *a, char out[11]);

/* Labels (labels.c). */
const char *app_field_label(const app *a, cat_fid f);
const char *app_enum_label(const app *a, cat_fid f, int i);
const char *app_theme_label(const app *a, int i);
void app_format_date(const app *a, const char *iso, char *out, size_t cap);
/* A stored UTC hour "YYYY-MM-DDTHHZ" in local time as people say it ("1.12.2026 klo 9");
 * anything else is copied as it is. */
void app_format_hour(const app *a, const char *utc_hour, char *out, size_t cap);
const char *app_month_name(const app *a, int m);

/* Standard metrics, scaled. */
int app_pad(const ui *u);
int app_touch(const ui *u);   /* minimum touch target height */
/* 9 mm in pixels at the panel's density (cfg.dpi): no touch target is smaller. */
int app_min_target_px(const app *a);

/* Screens below the table (frame.c draws the attract screen itself). */
/* The attract screen (scr_attract.c): what a walk-up person sees after a reset.  Returns
 * the language chosen (a cat_lang), CAT_NLANG for a tap on "Touch", -1 for none. */
int scr_attract(app *a, ui *u, ui_rect r);
/* Waits for a PIN check in progress and wipes its digits (reset, exit). */
void app_pin_job_wait(app *a);
/* Checks a screen table: n == SCR_NSCREENS and every row named and drawn.  KC_EINVAL
 * with the row in msg otherwise. */
kc_err app_screens_check(const app_screen *t, size_t n, char *msg);

/* List rows' facts (rowfacts.c, core/facts.h): the key fact of item for its card
 * ("Tänään klo 18 · Pääkirjasto"), with its kind after it when with_kind. */
void app_item_fact(app *a, int item, int with_kind, char *out, size_t cap);
/* The words and today's date for core/facts.h in the resident's language. */
void app_facts_ctx(app *a, facts_words *w, facts_ctx *c, char today[11]);
void app_rowfacts_free(app *a);

/* Shared widgets (widgets.c). */
/* A result card for a catalog item: its key fact, then its name; returns 1 when
 * tapped. */
int w_item_card(app *a, ui *u, const char *id_prefix, int item, ui_rect r);
int w_item_card_h(ui *u);
/* On-screen keyboard editing buf (capacity cap bytes) at its cursor (ui_edit_*);
 * returns 1 when text changed.  The mode says which keys and which capitals: digits
 * only; letters with automatic capitals for a name's words or a sentence's start;
 * none for searches and e-mail addresses.  Shift: once, or locked by two quick taps. */
typedef enum w_kb_mode { W_KB_PLAIN, W_KB_DIGITS, W_KB_EMAIL, W_KB_NAME,
                         W_KB_SENTENCE } w_kb_mode;
int w_keyboard(app *a, ui *u, ui_rect r, char *buf, size_t cap, w_kb_mode mode);
/* Shift off, for the next person (app_reset). */
void w_keyboard_reset(void);
/* The one PIN pad (coordinator, staff unlock of a ballot): heading, optional
 * explanation, dots for the digits, a message line whose room is always kept (the
 * keys never move), digit keys and OK.  Returns 1 when OK or Enter was pressed. */
int w_pin_pad(app *a, ui *u, ui_rect r, const char *ok_id, const char *heading,
              const char *explain, char *pin, size_t cap, const char *msg);
/* Finish = done: the "Done" button of a thank-you or receipt screen with a visible
 * countdown under it.  Returns 1 when tapped or APP_FINISH_S after the screen first
 * showed; the caller then ends its session and calls app_reset(), so language, A+
 * and contrast are fresh for the next person. */
#define APP_FINISH_S 8
int w_finish(app *a, ui *u, ui_rect r, const char *id);
/* Heading text, and the height its line needs (at least 64 dp; more with A+). */
int w_heading_h(ui *u);
void w_heading(ui *u, ui_rect r, const char *text);

#endif
