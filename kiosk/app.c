#include "app.h"
#include "job.h"
#include "outbox.h"

#include <assert.h>
#include <jansson.h>
#include <malloc.h>
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

const char *trn(const app *a, const char *one, const char *many, unsigned long n)
{
    return i18n_ntr(a->tr, a->lang, one, many, n);
}

int app_pad(const ui *u) { return ui_dp(u, 20); }
int app_touch(const ui *u) { return ui_dp(u, 64); }

int app_min_target_px(const app *a)
{
    int dpi = a->cfg.dpi > 0 ? a->cfg.dpi : 96;
    return (9 * dpi * 10 + 253) / 254;  /* 9 mm = 9 / 25.4 in, rounded up */
}

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

kc_err app_load_areas(app *a)
{
    app_free_areas(a);
    return store_areas_each(a->st, area_cb, a);  /* in id order: bsearch-able */
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

/* One index build on the job runner: the worker fills s; the UI thread takes it. */
typedef struct build {
    app *a;
    int release;        /* release held feedback first (once per start) */
    search *s;
} build;

static kc_err build_job(store *st, void *ctx, char *msg)
{
    build *b = ctx;
    /* Quick feedback held when the kiosk last stopped (feedback.h): nobody can add to
     * it any more, so it is sent after all.  Here, off the UI thread, once per start. */
    long n = 0;
    if (b->release && (outbox_init(st) || outbox_release_all(st, &n)))
        fprintf(stderr, "kiosk: releasing held feedback: %s\n", store_errmsg(st));
    kc_err rc = search_build(st, &b->s, msg);
    /* Building peaks at about twice the finished index; give the scratch back to
     * the system rather than keep it as the kiosk's resident size. */
    malloc_trim(0);
    return rc;
}

static void build_done(void *ctx, kc_err rc, const char *msg)
{
    build *b = ctx;
    app *a = b->a;
    search *s = b->s;
    kc_free(b);
    a->building = 0;
    if (rc)
        fprintf(stderr, "kiosk: search index: %s\n", msg);
    if (s) {
        /* Item numbers change with a new index: drop everything that holds them. */
        search_free(a->idx);
        a->idx = s;
        a->idx_gen++;
        a->query_done = 0;
        a->browse_done = 0;
        a->nhits = 0;
    }
    if (a->rebuild && !a->closing && app_rebuild_index(a))
        fprintf(stderr, "kiosk: cannot start the index builder\n");
}

kc_err app_rebuild_index(app *a)
{
    if (a->building) {
        a->rebuild = 1;  /* after the one under way: it may have read the old catalog */
        return KC_OK;
    }
    build *b = kc_calloc(1, sizeof *b);
    if (!b)
        return KC_ENOMEM;
    b->a = a;
    b->release = a->release_held;
    kc_err rc = job_submit(a->jobs, build_job, build_done, b);
    if (rc) {
        kc_free(b);
        return rc;
    }
    a->release_held = 0;
    a->rebuild = 0;
    a->building = 1;
    return KC_OK;
}


void app_sync_kick(app *a)
{
    if (a->sync)
        syncc_kick(a->sync);
}

void app_free_areas(app *a)
{
    for (size_t i = 0; i < a->nareas; i++)
        for (int l = 0; l < CAT_NLANG; l++)
            free(a->areas[i].name[l]);
    free(a->areas);
    a->areas = NULL;
    a->nareas = 0;
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
    sc.allow_insecure_http = a->cfg.allow_insecure_http;
    kc_err rc = syncc_new(&sc, &a->sync, msg);
    memset(token, 0, sizeof token);
    if (rc)
        return rc;
    if ((rc = syncc_start(a->sync)))
        return kc_fail(msg, rc, "sync: cannot start the sync thread");
    return KC_OK;
}

kc_err app_screens_check(const app_screen *t, size_t n, char *msg)
{
    if (!t || n != SCR_NSCREENS)
        return kc_fail(msg, KC_EINVAL, "screen table: %zu rows for %d screens", t ? n : 0,
                       (int)SCR_NSCREENS);
    for (size_t i = 0; i < n; i++)
        if (!t[i].name || !t[i].draw)
            return kc_fail(msg, KC_EINVAL, "screen table: screen %zu (%s) has no %s", i,
                           t[i].name ? t[i].name : "unnamed", t[i].name ? "draw" : "row");
    return KC_OK;
}

kc_err app_init(app *a, const app_config *cfg, void (*wake)(void *), void *wake_ud,
                char *msg)
{
    memset(a, 0, sizeof *a);
    a->cfg = *cfg;
    snprintf(a->version, sizeof a->version, "%s", KIOSK_VERSION);
    kc_err rc = app_screens_check(cfg->screens, cfg->nscreens, msg);
    if (rc)
        return rc;
    a->screens = cfg->screens;
    /* Never an empty database by accident: a mistyped path would collect every
     * response where nobody looks. */
    rc = cfg->create_db ? store_open(cfg->db_path, &a->st)
                               : store_open_existing(cfg->db_path, &a->st);
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
    if ((rc = jobs_new(&a->jobs, cfg->db_path, JOBS_WORKERS, JOBS_QUEUE_MAX, wake, wake_ud)))
        return kc_fail(msg, rc, "cannot start the job runner");
    a->release_held = 1;
    if ((rc = app_rebuild_index(a)))
        return kc_fail(msg, rc, "cannot start the index builder");
    a->conf_idle_s = cfg->idle_s;
    a->conf_lang = cfg->default_lang;
    ksettings_init(&a->kset);
    char smsg[KC_MSGMAX];
    if (app_settings_apply(a, smsg))  /* kiosk.conf's values stay in force */
        fprintf(stderr, "kiosk: the server's settings: %s\n", smsg);
    if (cfg->server && (rc = start_sync(a, msg)))
        return rc;
    a->lang = a->cfg.default_lang;
    a->pref = cat_langs_with(a->lang, &a->cfg.fallback);
    a->nav[0].id = SCR_HOME;
    a->depth = 1;
    return KC_OK;
}

void app_detail_clear(app *a)
{
    cat_item_clear(&a->detail);
    qr_free(a->qr_link);
    qr_free(a->qr_contact);
    qr_free(a->qr_dir);
    a->qr_link = a->qr_contact = a->qr_dir = NULL;
    a->detail_ok = 0;
    a->detail_for[0] = '\0';
    a->nrel = 0;
}


/* --- navigation --------------------------------------------------------------------- */

const nav_entry *app_cur(const app *a)
{
    return &a->nav[a->depth - 1];
}

void app_go(app *a, scr_id id, int kind, const char *item)
{
    a->finish_since = 0;  /* a thank-you screen left: its countdown ends */
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
    if (id == SCR_SEARCH)
        a->search_kb_hidden = 0;  /* the keyboard first: the resident came to type */
}

void app_back(app *a)
{
    a->finish_since = 0;  /* a thank-you screen left: its countdown ends */
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
    a->finish_since = 0;  /* a thank-you screen left: its countdown ends */
    a->depth = 1;
}


/* --- text helpers -------------------------------------------------------------------- */

const char *app_kind_label(const app *a, cat_kind k, int plural)
{
    /* One row per item kind, indexed by cat_kind: one and many. */
    static const char *const labels[][2] = {
        [CAT_ASSOCIATION] = { N_("Association"), N_("Associations") },
        [CAT_OPPORTUNITY] = { N_("Volunteer opportunity"), N_("Volunteering") },
        [CAT_VENUE] = { N_("Venue"), N_("Venues") },
        [CAT_EVENT] = { N_("Event"), N_("Events") },
        [CAT_GRANT] = { N_("Grant"), N_("Grants") },
        [CAT_CONTACT] = { N_("City contact"), N_("City contacts") },
    };
    static_assert(sizeof labels / sizeof labels[0] == CAT_NKIND, "every item kind has labels");
    if ((unsigned)k >= CAT_NKIND || !labels[k][0] || !labels[k][1])
        return "";
    return tr(a, labels[k][plural != 0]);
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







