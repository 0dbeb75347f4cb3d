#include "app.h"

#include <jansson.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KIOSK_VERSION "0.1.0"

/* Colours chosen for contrast: every text colour on every surface it is drawn on is
 * at least 7:1 (WCAG AAA) in both themes; tests/kiosk/test_theme.c checks it. */
static const ui_theme theme_normal = {
    .bg = { 0xEE, 0xEB, 0xE4, 255 },      .panel = { 0xFF, 0xFF, 0xFF, 255 },
    .text = { 0x1A, 0x1A, 0x1A, 255 },    .muted = { 0x45, 0x45, 0x45, 255 },
    .accent = { 0x0B, 0x4A, 0x7F, 255 },  .accent_text = { 0xFF, 0xFF, 0xFF, 255 },
    .button = { 0xFF, 0xFF, 0xFF, 255 },  .button_text = { 0x0B, 0x3A, 0x63, 255 },
    .pressed = { 0xC9, 0xDD, 0xF0, 255 }, .border = { 0x8A, 0x8A, 0x8A, 255 },
    .warn = { 0x85, 0x22, 0x00, 255 },    .ok = { 0x15, 0x55, 0x25, 255 },
};

static const ui_theme theme_contrast = {
    .bg = { 0, 0, 0, 255 },               .panel = { 0x10, 0x10, 0x10, 255 },
    .text = { 0xFF, 0xFF, 0xFF, 255 },    .muted = { 0xE0, 0xE0, 0xE0, 255 },
    .accent = { 0xFF, 0xE6, 0x00, 255 },  .accent_text = { 0, 0, 0, 255 },
    .button = { 0, 0, 0, 255 },           .button_text = { 0xFF, 0xFF, 0xFF, 255 },
    .pressed = { 0x33, 0x33, 0x00, 255 }, .border = { 0xFF, 0xFF, 0xFF, 255 },
    .warn = { 0xFF, 0x9E, 0x80, 255 },    .ok = { 0x9C, 0xF5, 0x9C, 255 },
};

const ui_theme *app_theme(const app *a)
{
    return a->high_contrast ? &theme_contrast : &theme_normal;
}

float app_text_scale(const app *a)
{
    return a->large_text ? 1.3f : 1.0f;
}

const char *tr(const app *a, const char *key)
{
    return i18n_tr(a->tr, a->lang, key);
}

int app_pad(const ui *u) { return ui_dp(u, 20); }
int app_touch(const ui *u) { return ui_dp(u, 64); }

/* --- areas ------------------------------------------------------------------- */

static kc_err area_cb(void *ctx, const char *id, const char *body)
{
    app *a = ctx;
    area_name *n = realloc(a->areas, (a->nareas + 1) * sizeof *n);
    if (!n)
        return KC_ENOMEM;
    a->areas = n;
    area_name *ar = &a->areas[a->nareas];
    memset(ar, 0, sizeof *ar);
    snprintf(ar->id, sizeof ar->id, "%s", id);
    json_t *j = json_loads(body, 0, NULL);
    if (j) {
        json_t *name = json_object_get(j, "name");
        for (int l = 0; l < CAT_NLANG; l++) {
            const char *s = json_string_value(json_object_get(name, cat_lang_code((cat_lang)l)));
            ar->name[l] = s ? strdup(s) : NULL;
        }
        const char *city = json_string_value(json_object_get(j, "city"));
        snprintf(ar->city, sizeof ar->city, "%s", city ? city : "");
        const char *type = json_string_value(json_object_get(j, "type"));
        ar->is_city = type && strcmp(type, "city") == 0;
        json_decref(j);
    }
    a->nareas++;
    return KC_OK;
}

static int cmp_area(const void *x, const void *y)
{
    return strcmp(((const area_name *)x)->id, ((const area_name *)y)->id);
}

const char *app_area_name(const app *a, const char *id)
{
    if (!id)
        return NULL;
    area_name key;
    snprintf(key.id, sizeof key.id, "%s", id);
    const area_name *ar = a->nareas ? bsearch(&key, a->areas, a->nareas, sizeof key, cmp_area)
                                    : NULL;
    if (!ar)
        return id;
    const char *n = cat_text_pick(ar->name, &a->pref, NULL);
    return n ? n : ar->id;
}

/* --- init ------------------------------------------------------------------------ */

static void *build_main(void *arg)
{
    app *a = arg;
    store *st = NULL;
    search *s = NULL;
    char msg[KC_MSGMAX] = "";
    kc_err rc = store_open(a->cfg.db_path, &st);
    if (rc)
        snprintf(msg, sizeof msg, "%s", store_errmsg(st));
    else
        rc = search_build(st, &s, msg);
    store_close(st);
    /* Building peaks at about twice the finished index; give the scratch back to
     * the system rather than keep it as the kiosk's resident size. */
    malloc_trim(0);
    pthread_mutex_lock(&a->mu);
    search_free(a->built);  /* an older result nobody took */
    a->built = s;
    a->build_rc = rc;
    snprintf(a->build_msg, sizeof a->build_msg, "%s", msg);
    pthread_mutex_unlock(&a->mu);
    if (a->wake)
        a->wake(a->wake_ud);
    return NULL;
}

kc_err app_rebuild_index(app *a)
{
    if (a->building) {
        pthread_join(a->builder, NULL);
        a->building = 0;
    }
    if (pthread_create(&a->builder, NULL, build_main, a) != 0)
        return KC_ENOMEM;
    a->building = 1;
    return KC_OK;
}

void app_wait_index(app *a)
{
    if (a->building) {
        pthread_join(a->builder, NULL);
        a->building = 0;
    }
    app_poll(a);
}

void app_sync_kick(app *a)
{
    if (a->sync)
        syncc_kick(a->sync);
}

static void free_areas(app *a)
{
    for (size_t i = 0; i < a->nareas; i++)
        for (int l = 0; l < CAT_NLANG; l++)
            free(a->areas[i].name[l]);
    free(a->areas);
    a->areas = NULL;
    a->nareas = 0;
}

/* The sync thread changed the catalog: areas are re-read here (a few hundred rows)
 * and the search index is rebuilt on the builder thread. */
static void catalog_changed(app *a)
{
    free_areas(a);
    if (store_areas_each(a->st, area_cb, a))
        fprintf(stderr, "kiosk: reading areas: %s\n", store_errmsg(a->st));
    a->cal_done = 0;
    if (strcmp(a->detail_for, "") != 0)
        a->detail_for[0] = '\0';  /* reload the open card from the new catalog */
    if (app_rebuild_index(a))
        fprintf(stderr, "kiosk: cannot start the index builder\n");
}

void app_poll(app *a)
{
    if (a->sync) {
        syncc_status_get(a->sync, &a->sst);
        if (a->sst.catalog_changes != a->sync_changes_seen) {
            a->sync_changes_seen = a->sst.catalog_changes;
            catalog_changed(a);
        }
        if (a->sst.docs_changes != a->docs_changes_seen) {
            /* New surveys or ballots: Home shows them without waiting for its timer. */
            a->docs_changes_seen = a->sst.docs_changes;
            station_relist(a);
            vote_relist(a);
        }
    }
    pthread_mutex_lock(&a->mu);
    search *s = a->built;
    a->built = NULL;
    kc_err rc = a->build_rc;
    a->build_rc = KC_OK;
    pthread_mutex_unlock(&a->mu);
    if (rc)
        fprintf(stderr, "kiosk: search index: %s\n", a->build_msg);
    if (!s)
        return;
    /* Item numbers change with a new index: drop everything that holds them. */
    search_free(a->idx);
    a->idx = s;
    a->query_done = 0;
    a->browse_done = 0;
    a->nhits = 0;
}

/* The token is read once into memory; it is never logged or stored elsewhere. */
static kc_err start_sync(app *a, char *msg)
{
    char token[512] = "";
    FILE *f = a->cfg.token_file ? fopen(a->cfg.token_file, "r") : NULL;
    if (!f)
        return kc_fail(msg, KC_EIO, "sync: cannot read the token file %s",
                       a->cfg.token_file ? a->cfg.token_file : "(token-file not set)");
    if (!fgets(token, sizeof token, f))
        token[0] = '\0';
    fclose(f);
    token[strcspn(token, "\r\n")] = '\0';
    if (!token[0])
        return kc_fail(msg, KC_EINVAL, "sync: the token file %s is empty", a->cfg.token_file);
    syncc_config sc;
    memset(&sc, 0, sizeof sc);
    sc.db_path = a->cfg.db_path;
    sc.server = a->cfg.server;
    sc.token = token;
    sc.ca_file = a->cfg.ca_file;
    sc.version = a->version;
    sc.interval_s = a->cfg.sync_interval_s;
    kc_err rc = syncc_new(&sc, &a->sync, msg);
    memset(token, 0, sizeof token);
    if (rc)
        return rc;
    if ((rc = syncc_start(a->sync)))
        return kc_fail(msg, rc, "sync: cannot start the sync thread");
    return KC_OK;
}

kc_err app_init(app *a, const app_config *cfg, void (*wake)(void *), void *wake_ud,
                char *msg)
{
    memset(a, 0, sizeof *a);
    a->cfg = *cfg;
    a->wake = wake;
    a->wake_ud = wake_ud;
    pthread_mutex_init(&a->mu, NULL);
    snprintf(a->version, sizeof a->version, "%s", KIOSK_VERSION);
    kc_err rc = store_open(cfg->db_path, &a->st);
    if (rc) {
        kc_fail(msg, rc, "%s", store_errmsg(a->st));
        store_close(a->st);
        a->st = NULL;
        return rc;
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/i18n", cfg->assets);
    if ((rc = i18n_load(path, &a->tr, msg)))
        return rc;
    if ((rc = store_areas_each(a->st, area_cb, a)))  /* in id order: bsearch-able */
        return kc_fail(msg, rc, "reading areas: %s", store_errmsg(a->st));
    if ((rc = app_rebuild_index(a)))
        return kc_fail(msg, rc, "cannot start the index builder");
    if (cfg->server && (rc = start_sync(a, msg)))
        return rc;
    a->lang = cfg->default_lang;
    a->pref = cat_langs_with(a->lang, &a->cfg.fallback);
    a->nav[0].id = SCR_HOME;
    a->depth = 1;
    return KC_OK;
}

static void detail_clear(app *a)
{
    cat_item_clear(&a->detail);
    qr_free(a->qr_link);
    qr_free(a->qr_contact);
    a->qr_link = a->qr_contact = NULL;
    a->detail_ok = 0;
    a->detail_for[0] = '\0';
    a->nrel = 0;
}

void app_free(app *a)
{
    syncc_free(a->sync);  /* stops the thread first */
    vote_free(a);         /* waits for a cast in progress */
    if (a->building)
        pthread_join(a->builder, NULL);
    search_free(a->built);
    station_free(a);  /* waits for a response being saved */
    if (a->cfg.db_path)
        pthread_mutex_destroy(&a->mu);
    detail_clear(a);
    free_areas(a);
    free(a->browse_items);
    search_free(a->idx);
    i18n_free(a->tr);
    store_close(a->st);
    memset(a, 0, sizeof *a);
}

/* --- navigation --------------------------------------------------------------------- */

const nav_entry *app_cur(const app *a)
{
    return &a->nav[a->depth - 1];
}

void app_go(app *a, scr_id id, int kind, const char *item)
{
    if (a->depth == APP_NAV_MAX) {  /* keep the newest: drop the oldest above Home */
        memmove(&a->nav[1], &a->nav[2], (APP_NAV_MAX - 2) * sizeof a->nav[0]);
        a->depth--;
    }
    nav_entry *n = &a->nav[a->depth++];
    n->id = id;
    n->kind = kind;
    snprintf(n->item, sizeof n->item, "%s", item ? item : "");
    if (id == SCR_BROWSE) {
        a->browse_kind = kind;
        a->browse_themes = 0;
        a->browse_area[0] = '\0';
        a->browse_done = 0;
    }
    if (id == SCR_CALENDAR)
        a->cal_done = 0;
}

void app_back(app *a)
{
    if (a->depth > 1)
        a->depth--;
    const nav_entry *n = app_cur(a);
    if (n->id == SCR_BROWSE && a->browse_kind != n->kind) {
        a->browse_kind = n->kind;
        a->browse_done = 0;
    }
}

void app_home(app *a)
{
    a->depth = 1;
}

void app_reset(app *a, ui *u)
{
    app_home(a);
    a->query[0] = '\0';
    a->nhits = 0;
    a->query_done = 0;
    a->browse_themes = 0;
    a->browse_area[0] = '\0';
    a->browse_done = 0;
    a->browse_show_themes = 0;
    memset(a->pin, 0, sizeof a->pin);
    a->pin_msg[0] = '\0';
    a->admin_open = 0;
    a->lang = a->cfg.default_lang;
    a->pref = cat_langs_with(a->lang, &a->cfg.fallback);
    a->large_text = 0;
    a->high_contrast = 0;
    a->warning = 0;
    detail_clear(a);
    vote_reset(a);  /* cancels an unconfirmed ballot */
    station_reset(a);  /* feedback, survey answers */
    static const char *const regions[] = { "browse", "search", "detail", "calendar", "home" };
    for (size_t i = 0; i < sizeof regions / sizeof regions[0]; i++)
        ui_scroll_reset(u, regions[i]);
}

/* --- text helpers -------------------------------------------------------------------- */

const char *app_kind_label(const app *a, cat_kind k, int plural)
{
    static const char *const one[CAT_NKIND] = { N_("Association"), N_("Volunteer opportunity"),
                                                N_("Venue"), N_("Event"), N_("Grant"), N_("City contact") };
    static const char *const many[CAT_NKIND] = { N_("Associations"), N_("Volunteering"), N_("Venues"),
                                                 N_("Events"), N_("Grants"), N_("City contacts") };
    if ((unsigned)k >= CAT_NKIND)
        return "";
    return tr(a, plural ? many[k] : one[k]);
}

const char *app_text(const app *a, const cat_value *v, int *fallback)
{
    cat_lang used = a->lang;
    const char *s = cat_text_pick(v->text, &a->pref, &used);
    if (fallback)
        *fallback = s && used != a->lang ? (int)used + 1 : 0;
    return s;
}

const char *app_in_lang(const app *a, cat_lang l)
{
    static const char *const keys[CAT_NLANG] = { N_("(in Finnish)"), N_("(in Swedish)"),
                                                 N_("(in English)") };
    return tr(a, keys[l]);
}

void app_today(const app *a, char out[11])
{
    if (a->cfg.today) {
        snprintf(out, 11, "%s", a->cfg.today);
        return;
    }
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* --- chrome ----------------------------------------------------------------------------- */

static void set_lang(app *a, cat_lang l)
{
    a->lang = l;
    a->pref = cat_langs_with(l, &a->cfg.fallback);
}

static void top_bar(app *a, ui *u, ui_rect bar)
{
    const ui_theme *t = ui_theme_get(u);
    ui_draw_rect(u, bar, t->accent, 0);
    ui_rect r = ui_inset(bar, ui_dp(u, 10));
    int bw = ui_dp(u, 150);
    int gap = ui_dp(u, 10);
    int home = app_cur(a)->id == SCR_HOME;

    /* Long press on the corner opens the coordinator PIN pad. */
    ui_rect corner = { bar.x, bar.y, ui_dp(u, 120), bar.h };
    if (ui_long_press(u, "corner", corner, 3000)) {
        memset(a->pin, 0, sizeof a->pin);
        a->pin_msg[0] = '\0';
        app_go(a, SCR_PIN, 0, NULL);
    }
    if (!home) {
        const char *back = tr(a, "Back"), *homel = tr(a, "Home");
        int pad = ui_dp(u, 40);
        int w1 = ui_text_width(u, UI_FONT_BOLD, back, -1) + pad;
        int w2 = ui_text_width(u, UI_FONT_BOLD, homel, -1) + pad;
        if (ui_button(u, "nav-back", ui_cut_left(&r, w1 > bw ? w1 : bw), back, UI_STYLE_BAR))
            app_back(a);
        ui_cut_left(&r, gap);
        if (ui_button(u, "nav-home", ui_cut_left(&r, w2 > bw ? w2 : bw), homel, UI_STYLE_BAR))
            app_home(a);
        ui_cut_left(&r, gap);
    }
    static const char *const names[CAT_NLANG] = { "suomi", "svenska", "English" };
    static const char *const ids[CAT_NLANG] = { "lang-fi", "lang-sv", "lang-en" };
    int lw = ui_dp(u, 150);
    int aw = ui_dp(u, 90);
    int cw = ui_text_width(u, UI_FONT_BOLD, tr(a, "Contrast"), -1) + ui_dp(u, 36);
    int need = 3 * lw + aw + cw + 4 * gap;
    if (need > r.w) {  /* narrow screens: smaller language buttons */
        lw = (r.w - aw - cw - 4 * gap) / 3;
        if (lw < ui_dp(u, 96))
            lw = ui_dp(u, 96);
    }
    ui_rect hc = ui_cut_right(&r, cw);
    ui_cut_right(&r, gap);
    ui_rect ap = ui_cut_right(&r, aw);
    ui_cut_right(&r, gap);
    if (ui_button(u, "contrast", hc, tr(a, "Contrast"),
                  a->high_contrast ? UI_STYLE_BAR_ON : UI_STYLE_BAR))
        a->high_contrast = !a->high_contrast;
    if (ui_button(u, "larger-text", ap, "A+", a->large_text ? UI_STYLE_BAR_ON : UI_STYLE_BAR))
        a->large_text = !a->large_text;
    for (int l = CAT_NLANG - 1; l >= 0; l--) {
        ui_rect b = ui_cut_right(&r, lw);
        ui_cut_right(&r, gap / 2);
        if (ui_button(u, ids[l], b, names[l],
                      a->lang == (cat_lang)l ? UI_STYLE_BAR_ON : UI_STYLE_BAR))
            set_lang(a, (cat_lang)l);
    }
    if (home && r.w > ui_dp(u, 200))
        ui_label(u, r, UI_FONT_TITLE, t->accent_text, UI_LEFT, tr(a, "Community kiosk"));
}

static void idle_overlay(app *a, ui *u, uint32_t now)
{
    const ui_theme *t = ui_theme_get(u);
    uint32_t idle = now - ui_last_input_ms(u);
    uint32_t warn_at = station_idle_ms(a, (uint32_t)a->cfg.idle_s * 1000);
    uint32_t reset_at = warn_at + (uint32_t)a->cfg.idle_warn_s * 1000;
    int worth = a->depth > 1 || a->query[0] || a->lang != a->cfg.default_lang ||
                a->large_text || a->high_contrast;
    if (!worth) {
        a->warning = 0;
        return;
    }
    if (idle >= reset_at) {
        app_reset(a, u);
        return;
    }
    if (idle < warn_at) {
        a->warning = 0;
        ui_wake_in(u, warn_at - idle);
        return;
    }
    a->warning = 1;
    uint32_t left_ms = reset_at - idle;
    ui_wake_in(u, left_ms % 1000 ? left_ms % 1000 : 1000);
    ui_rect all = { 0, 0, ui_w(u), ui_h(u) };
    ui_color dim = { 0, 0, 0, 170 };
    ui_draw_rect(u, all, dim, 0);
    int bw = ui_w(u) * 2 / 3, bh = ui_dp(u, 420);
    if (bw > ui_dp(u, 900))
        bw = ui_dp(u, 900);
    ui_rect box = { (ui_w(u) - bw) / 2, (ui_h(u) - bh) / 2, bw, bh };
    ui_draw_rect(u, box, t->panel, ui_dp(u, 16));
    ui_draw_frame(u, box, t->border, ui_dp(u, 3));
    ui_rect in = ui_inset(box, ui_dp(u, 32));
    ui_label(u, ui_cut_top(&in, ui_dp(u, 70)), UI_FONT_TITLE, t->text, UI_CENTER,
             tr(a, "Are you still there?"));
    char line[200];
    snprintf(line, sizeof line, tr(a, "Starting over in %u seconds."),
             (unsigned)((left_ms + 999) / 1000));
    ui_label(u, ui_cut_top(&in, ui_dp(u, 60)), UI_FONT_BODY, t->text, UI_CENTER, line);
    ui_cut_top(&in, ui_dp(u, 20));
    ui_rect b = ui_cut_top(&in, ui_dp(u, 110));
    if (ui_button(u, "idle-continue", ui_inset(b, ui_dp(u, 6)), tr(a, "Continue"),
                  UI_STYLE_PRIMARY))
        a->warning = 0;  /* the tap itself counted as input */
}

/* A quiet line at the bottom: is this kiosk in touch with the server?  The snapshot
 * is refreshed every few seconds; an unchanged picture costs nothing to "redraw". */
static void sync_strip(app *a, ui *u, ui_rect r)
{
    const ui_theme *t = ui_theme_get(u);
    char line[200], when[16] = "";
    long long since = a->sst.offline_since ? a->sst.offline_since : a->sst.last_ok;
    if (since) {
        time_t tt = (time_t)since;
        struct tm tm;
        localtime_r(&tt, &tm);
        strftime(when, sizeof when, a->lang == CAT_EN ? "%H:%M" : "%H.%M", &tm);
    }
    switch (a->sst.state) {
    case SYNCC_UP_TO_DATE:
        snprintf(line, sizeof line, tr(a, "Up to date (%s)"), when);
        break;
    case SYNCC_OFFLINE:
    case SYNCC_ERROR:
        snprintf(line, sizeof line, tr(a, "Offline since %s"), when[0] ? when : "\xe2\x80\x93");
        break;
    case SYNCC_NEVER:
    case SYNCC_SYNCING:
        snprintf(line, sizeof line, "%s", tr(a, "Connecting to the server\xe2\x80\xa6"));
        break;
    }
    if (a->sst.waiting > 0) {
        size_t n = strlen(line);
        snprintf(line + n, sizeof line - n, tr(a, " \xc2\xb7 %lld waiting to be sent"),
                 a->sst.waiting);
    }
    ui_label(u, ui_inset(r, ui_dp(u, 8)), UI_FONT_SMALL, t->muted, UI_RIGHT, line);
    ui_wake_in(u, 5000);
}

static int needs_index(scr_id id)
{
    return id == SCR_BROWSE || id == SCR_SEARCH || id == SCR_DETAIL || id == SCR_CALENDAR;
}

void app_frame(app *a, ui *u, uint32_t now)
{
    app_poll(a);
    ui_rect all = { 0, 0, ui_w(u), ui_h(u) };
    const ui_theme *t = ui_theme_get(u);
    ui_draw_rect(u, all, t->bg, 0);
    ui_rect body = all;
    ui_rect bar = ui_cut_top(&body, ui_dp(u, 96));
    /* While the overlay shows, the screen below is drawn but takes no taps: the
     * overlay's button is checked first and a tap elsewhere only counts as presence. */
    if (!a->warning)
        top_bar(a, u, bar);
    else
        ui_draw_rect(u, bar, t->accent, 0);
    if (a->sync)
        sync_strip(a, u, ui_cut_bottom(&body, ui_dp(u, 40)));
    body = ui_inset(body, app_pad(u));
    if (!a->warning && !a->idx && needs_index(app_cur(a)->id)) {
        ui_label(u, ui_cut_top(&body, ui_dp(u, 80)), UI_FONT_TITLE, t->text, UI_LEFT,
                 tr(a, "Loading, one moment\xe2\x80\xa6"));
    } else if (!a->warning) {
        switch (app_cur(a)->id) {
        case SCR_HOME: scr_home(a, u, body); break;
        case SCR_BROWSE: scr_browse(a, u, body); break;
        case SCR_SEARCH: scr_search(a, u, body); break;
        case SCR_DETAIL: scr_detail(a, u, body); break;
        case SCR_CALENDAR: scr_calendar(a, u, body); break;
        case SCR_FEEDBACK: scr_feedback(a, u, body); break;
        case SCR_PIN: scr_pin(a, u, body); break;
        case SCR_ADMIN: scr_admin(a, u, body); break;
        case SCR_SURVEY: scr_survey(a, u, body); break;
        case SCR_WORKSHOP: scr_workshop(a, u, body); break;
        case SCR_RESULTS: scr_results(a, u, body); break;
        case SCR_VOTE: scr_vote(a, u, body); break;
        case SCR_VOTE_RESULTS: scr_vote_results(a, u, body); break;
        case SCR_NSCREENS: break;
        }
    }
    idle_overlay(a, u, now);
}
