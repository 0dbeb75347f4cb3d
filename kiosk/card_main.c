/*
 * kiosk-card: one item's detail card drawn by the kiosk's own code, without a display,
 * saved as PNG.  The city console's preview (docs/admin-api.md) runs it.
 *
 *   kiosk-card [--assets DIR] [--size WxH] [--lang fi|sv|en] [--item ID] --out FILE.png
 *              INPUT.json
 *
 * INPUT is a content file (docs/content-format.md) or one item alone.  It is validated
 * by the content module exactly as an import, written into a fresh database in a
 * private temporary folder, and then the kiosk's whole frame (top bar and detail
 * screen: frame.c, scr_detail.c, labels.c, widgets.c, render_sdl.c) is drawn once with
 * SDL's software renderer onto a memory surface, as `kiosk --headless` draws.  No
 * video driver is started, so no X display is needed.
 *
 * Exit status: 0 written, 2 wrong usage, 3 the input was refused (the message on
 * stderr names the item and field), 1 anything else.
 */
#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content.h"
#include "kiosk.h"
#include "screens.h"
#include "window.h"

/* An item with everything it may hold is well under this; the content file may also
 * carry the areas and the items the card refers to. */
#define CARD_INPUT_MAX (16L * 1024 * 1024)
#define CARD_SIDE_MAX 4096

enum { EX_OK = 0, EX_FAIL = 1, EX_USAGE = 2, EX_INPUT = 3 };

typedef struct card_opts {
    const char *assets, *lang, *item, *out, *in;
    int w, h;
} card_opts;

static void usage(FILE *f)
{
    fprintf(f, "usage: kiosk-card [--assets DIR] [--size WxH] [--lang fi|sv|en] [--item ID]\n"
               "                  --out FILE.png INPUT.json\n"
               "Draws an item's detail card as the kiosk does, without a display.  INPUT is a\n"
               "content file or one item; --item picks the card (default: the first item).\n"
               "--size defaults to 1080x1920, --lang to fi, --assets to the kiosk's own.\n");
}

static int parse_size(const char *s, int *w, int *h)
{
    char *end;
    long a = strtol(s, &end, 10);
    if (end == s || *end != 'x')
        return -1;
    const char *p = end + 1;
    long b = strtol(p, &end, 10);
    if (end == p || *end || a < 320 || b < 320 || a > CARD_SIDE_MAX || b > CARD_SIDE_MAX)
        return -1;
    *w = (int)a;
    *h = (int)b;
    return 0;
}

static int parse_args(int argc, char **argv, card_opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **dst = !strcmp(a, "--assets") ? &o->assets
                           : !strcmp(a, "--lang") ? &o->lang
                           : !strcmp(a, "--item") ? &o->item
                           : !strcmp(a, "--out")  ? &o->out
                                                  : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            exit(EX_OK);
        }
        if (!strcmp(a, "--size")) {
            if (++i >= argc || parse_size(argv[i], &o->w, &o->h)) {
                fprintf(stderr, "kiosk-card: --size takes WxH, each 320-%d\n", CARD_SIDE_MAX);
                return -1;
            }
        } else if (dst) {
            if (++i >= argc) {
                fprintf(stderr, "kiosk-card: %s needs a value\n", a);
                return -1;
            }
            *dst = argv[i];
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "kiosk-card: unknown option %.100s\n", a);
            return -1;
        } else if (o->in) {
            fprintf(stderr, "kiosk-card: one input file only\n");
            return -1;
        } else {
            o->in = a;
        }
    }
    if (!o->in || !o->out) {
        usage(stderr);
        return -1;
    }
    if (cat_lang_from_code(o->lang) < 0) {
        fprintf(stderr, "kiosk-card: --lang takes fi, sv or en\n");
        return -1;
    }
    return 0;
}

/* The input as content file text (one item alone is wrapped into one), and the id of
 * the card to draw.  EX_OK, or the exit status after saying why. */
static int read_input(const card_opts *o, char **text, char *id, size_t idcap)
{
    struct stat sb;
    if (stat(o->in, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fprintf(stderr, "kiosk-card: cannot read %s\n", o->in);
        return EX_FAIL;
    }
    if (sb.st_size > CARD_INPUT_MAX) {
        fprintf(stderr, "kiosk-card: %s is larger than %ld bytes\n", o->in, CARD_INPUT_MAX);
        return EX_INPUT;
    }
    json_error_t je;
    json_t *j = json_load_file(o->in, JSON_REJECT_DUPLICATES, &je);
    if (!j || !json_is_object(j)) {
        fprintf(stderr, "kiosk-card: %s: not a JSON object (%s, line %d)\n", o->in,
                j ? "another value" : je.text, j ? 0 : je.line);
        json_decref(j);
        return EX_INPUT;
    }
    if (!json_object_get(j, "format")) {
        json_t *doc = json_pack("{s:s, s:i, s:[o]}", "format", "kiosk-content", "version", 1,
                                "items", j);
        if (!doc) {
            fprintf(stderr, "kiosk-card: out of memory\n");
            return EX_FAIL;
        }
        j = doc;
    }
    json_t *first = json_array_get(json_object_get(j, "items"), 0);
    const char *want = o->item ? o->item : json_string_value(json_object_get(first, "id"));
    snprintf(id, idcap, "%s", want ? want : "");
    *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!*text) {
        fprintf(stderr, "kiosk-card: out of memory\n");
        return EX_FAIL;
    }
    if (!id[0]) {
        fprintf(stderr, "kiosk-card: %s holds no item to draw\n", o->in);
        return EX_INPUT;
    }
    return EX_OK;
}

/* Validates the content exactly as an import and writes it into a new database. */
static int fill_db(const char *db, const char *text, const char *id)
{
    store *st = NULL;
    content *ct = content_new();
    int ex = EX_FAIL, kind = -1;
    content_result res;
    if (!ct) {
        fprintf(stderr, "kiosk-card: out of memory\n");
        return EX_FAIL;
    }
    if (store_open(db, &st)) {
        fprintf(stderr, "kiosk-card: %s\n", store_errmsg(st));
    } else if (content_parse(ct, text, strlen(text), "item") ||
               content_apply(ct, st, 0, &res)) {
        fprintf(stderr, "kiosk-card: %s\n", content_errmsg(ct));
        ex = EX_INPUT;
    } else if (store_item_kind(st, id, &kind) || kind < 0) {
        fprintf(stderr, "kiosk-card: no item \"%.64s\" in the input\n", id);
        ex = EX_INPUT;
    } else {
        ex = EX_OK;
    }
    content_free(ct);
    store_close(st);
    return ex;
}

/* Draws the card with the kiosk's own frame and saves the surface. */
static int draw(const card_opts *o, const char *db, const char *id)
{
    kwin_fonts fonts;
    if (kwin_find_fonts(&fonts) != 0) {
        fprintf(stderr, "kiosk-card: no font found: install fonts-noto-core or "
                        "fonts-dejavu-core\n");
        return EX_FAIL;
    }
    app_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.db_path = db;
    cfg.screens = screens_table(&cfg.nscreens);
    cfg.assets = o->assets;
    cfg.default_lang = (cat_lang)cat_lang_from_code(o->lang);
    cfg.fallback = cat_langs_for(cfg.default_lang);
    cfg.idle_s = 24 * 3600;  /* one frame: never the "are you still there?" overlay */
    cfg.idle_warn_s = 15;
    kiosk k;
    memset(&k, 0, sizeof k);
    int ex = EX_FAIL;
    char msg[KC_MSGMAX] = "";
    if (TTF_Init() != 0) {
        fprintf(stderr, "kiosk-card: SDL_ttf: %s\n", TTF_GetError());
        return EX_FAIL;
    }
    k.w = o->w;
    k.h = o->h;
    k.surface = SDL_CreateRGBSurfaceWithFormat(0, k.w, k.h, 32, SDL_PIXELFORMAT_ARGB8888);
    k.ren = k.surface ? SDL_CreateSoftwareRenderer(k.surface) : NULL;
    if (!k.ren) {
        fprintf(stderr, "kiosk-card: cannot create a renderer: %s\n", SDL_GetError());
        goto out;
    }
    if (render_init(&k.rd, k.ren, fonts.regular, fonts.bold, msg, sizeof msg)) {
        fprintf(stderr, "kiosk-card: %s\n", msg);
        goto out;
    }
    ui_text_fns fns = render_text_fns(k.rd);
    if (!(k.u = ui_new(&fns))) {
        fprintf(stderr, "kiosk-card: out of memory\n");
        goto out;
    }
    if (app_init(&k.a, &cfg, NULL, NULL, msg)) {
        fprintf(stderr, "kiosk-card: %s\n", msg);
        goto out;
    }
    app_wait_index(&k.a);  /* the Related rows need the index */
    app_go(&k.a, SCR_DETAIL, 0, id);
    /* The first frame loads the card; the second draws it with every size known. */
    kiosk_frame(&k, 1000);
    k.drawn = 0;
    kiosk_frame(&k, 1016);
    if (IMG_SavePNG(k.surface, o->out) != 0) {
        fprintf(stderr, "kiosk-card: writing %s: %s\n", o->out, SDL_GetError());
        goto out;
    }
    ex = EX_OK;
out:
    app_free(&k.a);  /* also after a failed or missing app_init: k.a starts zeroed */
    ui_free(k.u);
    render_free(k.rd);
    if (k.ren)
        SDL_DestroyRenderer(k.ren);
    if (k.surface)
        SDL_FreeSurface(k.surface);
    TTF_Quit();
    return ex;
}

static void remove_db(const char *dir)
{
    static const char *const names[] = { "card.db", "card.db-wal", "card.db-shm",
                                         "card.db-journal" };
    char path[4200];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* The source tree's assets in a build, else the installed copy. */
static const char *default_assets(void)
{
    struct stat sb;
    return stat(KIOSK_CARD_ASSETS "/i18n", &sb) == 0 ? KIOSK_CARD_ASSETS
                                                     : KIOSK_CARD_ASSETS_INSTALLED;
}

int main(int argc, char **argv)
{
    card_opts o = { NULL, "fi", NULL, NULL, NULL, 1080, 1920 };
    if (parse_args(argc, argv, &o))
        return EX_USAGE;
    if (!o.assets)
        o.assets = default_assets();
    char id[CAT_ID_MAX + 2], *text = NULL;
    int ex = read_input(&o, &text, id, sizeof id);
    if (ex != EX_OK) {
        free(text);
        return ex;
    }
    const char *tmp = getenv("TMPDIR");
    char dir[4096], db[4200];
    snprintf(dir, sizeof dir, "%s/kiosk-card-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        fprintf(stderr, "kiosk-card: cannot make a temporary folder in %s\n",
                tmp && *tmp ? tmp : "/tmp");
        free(text);
        return EX_FAIL;
    }
    snprintf(db, sizeof db, "%s/card.db", dir);
    ex = fill_db(db, text, id);
    free(text);
    if (ex == EX_OK) {
        /* Only the events subsystem: the surface needs no video driver or display. */
        SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
        if (SDL_Init(SDL_INIT_EVENTS) != 0) {
            fprintf(stderr, "kiosk-card: SDL: %s\n", SDL_GetError());
            ex = EX_FAIL;
        } else {
            ex = draw(&o, db, id);
            SDL_Quit();
        }
    }
    remove_db(dir);
    return ex;
}
