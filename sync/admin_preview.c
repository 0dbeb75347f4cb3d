/* admin_preview.c - the item editor's preview: the card as the kiosk draws it.
 *
 * POST /v1/admin/catalog/preview {"item", "lang"?, "orientation"?} validates the item
 * as an import does, then runs the kiosk's own renderer (kiosk-card, kiosk/card_main.c,
 * `--card-renderer`) as a child process on a content file holding the item, every
 * area and the items it refers to, and answers its PNG.  The child runs in a private
 * temporary folder (its TMPDIR too, so nothing is left behind when it is killed), in a
 * process group of its own with the server's descriptors closed, under a deadline
 * (`--card-timeout`): past it the whole group is killed.  At most two renders run at
 * once (one with fewer than three console workers), so previews never take every
 * worker from the console. */
#define _GNU_SOURCE  /* posix_spawn_file_actions_addclosefrom_np (glibc 2.34) */
#include "admin_impl.h"
#include "catalog.h"
#include "content.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* A card PNG is a few hundred KiB; anything past this is not one. */
#define PREVIEW_PNG_MAX (32L * 1024 * 1024)
/* What the renderer says on stderr that is kept for the reply. */
#define PREVIEW_ERR_MAX 600

/* --- the render slots ------------------------------------------------------------ */

static int slot_take(adm_ctx *x)
{
    admin_srv *a = x->a;
    int max = a->ndb >= 3 ? 2 : 1;
    int n = atomic_fetch_add(&a->renders, 1);
    if (n < max)
        return 0;
    atomic_fetch_sub(&a->renders, 1);
    return -1;
}

static void slot_give(adm_ctx *x)
{
    atomic_fetch_sub(&x->a->renders, 1);
}

/* --- the work folder ---------------------------------------------------------------- */

/* Removes the folder with its files and the renderer's own folder inside (two levels:
 * nothing deeper is ever made there). */
static void rm_tree(const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char path[4200];
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            struct stat sb;
            if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode) && depth > 0)
                rm_tree(path, depth - 1);
            else
                unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int bad = fputs(text, f) < 0;
    return fclose(f) != 0 || bad ? -1 : 0;
}

/* The whole file if it is at most max bytes; NULL otherwise. */
static char *read_all(const char *path, long max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct stat sb;
    char *buf = NULL;
    *len = 0;
    if (!f)
        return NULL;
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size <= max &&
        (buf = malloc((size_t)sb.st_size + 1))) {
        *len = fread(buf, 1, (size_t)sb.st_size, f);
        buf[*len] = '\0';
    }
    fclose(f);
    return buf;
}

/* --- the child ------------------------------------------------------------------------ */

typedef enum run_end { RUN_EXITED, RUN_SIGNALED, RUN_TIMEOUT, RUN_NOSPAWN } run_end;

/* The environment with TMPDIR pointing into the work folder; NULL: out of memory. */
static char **child_env(const char *tmpdir)
{
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = calloc(n + 2, sizeof *env);
    if (!env)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "TMPDIR=", 7) != 0)
            env[k++] = environ[i];
    size_t len = strlen(tmpdir) + 8;
    if (!(env[k] = malloc(len))) {
        free(env);
        return NULL;
    }
    snprintf(env[k], len, "TMPDIR=%s", tmpdir);
    return env;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs argv with stderr into errpath, killing its process group after timeout_s. */
static run_end run(char *const argv[], const char *dir, const char *errpath, int timeout_s,
                   int *code, int *spawn_err)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    sigset_t none, dfl;
    pid_t pid = 0;
    char **env = child_env(dir);
    *code = 0;
    *spawn_err = ENOMEM;
    if (!env)
        return RUN_NOSPAWN;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&at);
    sigemptyset(&none);
    sigemptyset(&dfl);
    /* The server blocks SIGINT and SIGTERM in every thread and ignores SIGPIPE; the
     * child gets neither, and a process group of its own so a kill reaches its
     * children too. */
    sigaddset(&dfl, SIGPIPE);
    sigaddset(&dfl, SIGINT);
    sigaddset(&dfl, SIGTERM);
    int rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (!rc)
        rc = posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    if (!rc)
        rc = posix_spawn_file_actions_addopen(&fa, 2, errpath, O_WRONLY | O_CREAT | O_TRUNC,
                                              0600);
    if (!rc)  /* no socket or database of the server's goes with it */
        rc = posix_spawn_file_actions_addclosefrom_np(&fa, 3);
    if (!rc)
        rc = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
                                               POSIX_SPAWN_SETPGROUP);
    if (!rc)
        rc = posix_spawnattr_setsigmask(&at, &none);
    if (!rc)
        rc = posix_spawnattr_setsigdefault(&at, &dfl);
    if (!rc)
        rc = posix_spawnattr_setpgroup(&at, 0);
    if (!rc)
        rc = posix_spawn(&pid, argv[0], &fa, &at, argv, env);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    size_t last = 0;
    while (env[last + 1])
        last++;
    free(env[last]);  /* the TMPDIR entry, the only one that is ours */
    free(env);
    if (rc) {
        *spawn_err = rc;
        return RUN_NOSPAWN;
    }
    /* The child is waited for without being reaped (WNOWAIT): while it is a zombie
     * its pid, and so its process group's id, cannot be reused, so the group kill
     * below reaches only what it started. */
    double deadline = now_s() + timeout_s;
    int timed_out = 0, st = 0;
    for (;;) {
        siginfo_t si;
        memset(&si, 0, sizeof si);
        int w = waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT);
        if (w == 0 && si.si_pid == pid)
            break;
        if (w < 0 && errno != EINTR)
            break;
        if (now_s() >= deadline) {
            timed_out = 1;
            break;
        }
        struct timespec ts = { 0, 5 * 1000000L };
        nanosleep(&ts, NULL);
    }
    kill(-pid, SIGKILL);  /* at the deadline, or whatever it started and left behind */
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    if (timed_out)
        return RUN_TIMEOUT;
    if (WIFSIGNALED(st))
        return RUN_SIGNALED;
    *code = WEXITSTATUS(st);
    return RUN_EXITED;
}

/* --- the content the renderer gets ------------------------------------------------- */

static kc_err area_row(void *ctx, const char *id, const char *body)
{
    (void)id;
    json_t *a = json_loads(body, 0, NULL);
    return a && json_array_append_new(ctx, a) == 0 ? KC_OK : KC_ENOMEM;
}

/* Adds the stored items the card refers to, without their own references (the card
 * shows them only as related rows), so the renderer resolves every reference.  0, or
 * -1 after a reply. */
static int add_refs(adm_ctx *x, const cat_item *it, json_t *items)
{
    for (int f = 0; f < CAT_NFIELD; f++) {
        if (cat_fields[f].type != CAT_T_REF || !it->v[f].present ||
            strcmp(it->v[f].str, it->id) == 0)
            continue;
        int kind;
        long long rev;
        char *body = NULL;
        kc_err rc = srvdb_item_get(x->db, it->v[f].str, &kind, &rev, &body);
        if (rc == KC_ENOTFOUND) {
            adm_failc(x, MHD_HTTP_BAD_REQUEST, "content_invalid", cat_fields[f].key,
                      "item \"%s\" field \"%s\": refers to \"%s\", which does not exist",
                      it->id, cat_fields[f].key, it->v[f].str);
            return -1;
        }
        if (rc) {
            adm_db_fail(x, rc);
            return -1;
        }
        json_t *j = json_loads(body, 0, NULL);
        kc_free(body);
        for (int g = 0; j && g < CAT_NFIELD; g++)
            if (cat_fields[g].type == CAT_T_REF)
                json_object_del(j, cat_fields[g].key);
        if (!j || json_array_append_new(items, j) != 0) {
            adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
            return -1;
        }
    }
    return 0;
}

/* The renderer's input as text (the item, the items it refers to, every area); NULL
 * after a reply.  The item is checked exactly as an import checks it first. */
static char *render_input(adm_ctx *x, json_t *item)
{
    char *text = NULL, *one = NULL, *body = NULL, msg[KC_MSGMAX];
    json_t *doc = json_pack("{s:s, s:i, s:[O]}", "format", "kiosk-content", "version", 1,
                            "items", item);
    json_t *areas = json_array();
    content *ct = content_new();
    cat_item it;
    memset(&it, 0, sizeof it);
    if (!doc || !areas || !ct || !(one = json_dumps(doc, JSON_COMPACT)) ||
        !(body = json_dumps(item, JSON_COMPACT))) {
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
        goto done;
    }
    /* The checks of an import but the store's: references are resolved below. */
    kc_err rc = content_parse(ct, one, strlen(one), "item");
    if (rc) {
        adm_content_fail(x, rc, content_errmsg(ct));
        goto done;
    }
    if ((rc = content_item_from_json(body, strlen(body), &it, msg))) {
        adm_content_fail(x, rc, msg);
        goto done;
    }
    if (add_refs(x, &it, json_object_get(doc, "items")))
        goto done;
    if ((rc = srvdb_areas_each(x->db, area_row, areas))) {
        adm_db_fail(x, rc);
        goto done;
    }
    if (json_object_set(doc, "areas", areas) != 0 || !(text = json_dumps(doc, JSON_COMPACT)))
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
done:
    content_free(ct);
    free(one);
    free(body);
    json_decref(areas);
    json_decref(doc);
    cat_item_clear(&it);
    return text;
}

/* The renderer's refusal of the input (exit 3): a 400 naming the field its message
 * names, as the content module's own refusals are answered. */
static void refused(adm_ctx *x, const char *err)
{
    const char *m = strncmp(err, "kiosk-card: ", 12) == 0 ? err + 12 : err;
    adm_content_fail(x, KC_EINVAL, m);
}

void adm_catalog_preview(adm_ctx *x)
{
    json_t *item = json_object_get(x->body, "item");
    const char *lang = NULL, *orient = NULL;
    if (!json_is_object(item)) {
        adm_failc(x, MHD_HTTP_BAD_REQUEST, item ? "wrong_type" : "missing", "item",
                  "\"item\" must be an object");
        return;
    }
    if (adm_body_str(x, "lang", 2, 0, &lang) || adm_body_str(x, "orientation", 9, 0, &orient))
        return;
    if (lang && cat_lang_from_code(lang) < 0) {
        adm_failc(x, MHD_HTTP_BAD_REQUEST, "unknown_value", "lang",
                  "\"lang\" must be fi, sv or en");
        return;
    }
    if (orient && strcmp(orient, "portrait") != 0 && strcmp(orient, "landscape") != 0) {
        adm_failc(x, MHD_HTTP_BAD_REQUEST, "unknown_value", "orientation",
                  "\"orientation\" must be portrait or landscape");
        return;
    }
    const char *id = json_string_value(json_object_get(item, "id"));
    char *input = render_input(x, item);
    if (!input)
        return;
    if (!x->a->card_renderer || access(x->a->card_renderer, X_OK) != 0) {
        free(input);
        x->retry_after = 60;
        adm_failc(x, MHD_HTTP_SERVICE_UNAVAILABLE, "renderer_missing", NULL,
                  "no card renderer at %s (--card-renderer)",
                  x->a->card_renderer ? x->a->card_renderer : "(none)");
        return;
    }
    if (slot_take(x)) {
        free(input);
        x->retry_after = 2;
        adm_failc(x, MHD_HTTP_SERVICE_UNAVAILABLE, "busy",
                  NULL, "other previews are being drawn; retry in a moment");
        return;
    }
    const char *tmp = getenv("TMPDIR");
    char dir[4096], in[4200], out[4200], err[4200];
    snprintf(dir, sizeof dir, "%s/kiosk-preview-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        slot_give(x);
        free(input);
        fprintf(stderr, "kiosk-server: preview: cannot make a folder in %s\n",
                tmp && *tmp ? tmp : "/tmp");
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "cannot make a temporary folder");
        return;
    }
    snprintf(in, sizeof in, "%s/item.json", dir);
    snprintf(out, sizeof out, "%s/card.png", dir);
    snprintf(err, sizeof err, "%s/stderr.txt", dir);
    int wr = write_text(in, input);
    free(input);
    int code = 0, serr = 0;
    run_end end = RUN_NOSPAWN;
    if (!wr) {
        char *argv[] = { x->a->card_renderer, "--lang", (char *)(lang ? lang : "fi"),
                         "--size",
                         (char *)(orient && !strcmp(orient, "landscape") ? "1920x1080"
                                                                          : "1080x1920"),
                         "--item", (char *)id, "--out", out, in, NULL };
        end = run(argv, dir, err, x->a->card_timeout_s, &code, &serr);
    }
    slot_give(x);
    size_t len = 0, elen = 0;
    char *png = end == RUN_EXITED && code == 0 ? read_all(out, PREVIEW_PNG_MAX, &len) : NULL;
    char *etext = read_all(err, 1L << 20, &elen);
    if (etext) {
        etext[strcspn(etext, "\n")] = '\0';
        if (strlen(etext) > PREVIEW_ERR_MAX)
            etext[PREVIEW_ERR_MAX] = '\0';
    }
    rm_tree(dir, 1);
    if (wr) {
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "cannot write the renderer's input");
    } else if (end == RUN_NOSPAWN) {
        x->retry_after = 60;
        adm_failc(x, MHD_HTTP_SERVICE_UNAVAILABLE, "renderer_missing", NULL,
                  "the card renderer %s did not start: %s", x->a->card_renderer,
                  strerror(serr));
    } else if (end == RUN_TIMEOUT) {
        adm_failc(x, MHD_HTTP_SERVICE_UNAVAILABLE, "render_timeout", NULL,
                  "the card renderer did not finish within %d s", x->a->card_timeout_s);
    } else if (end == RUN_EXITED && code == 3) {
        refused(x, etext ? etext : "the card renderer refused the item");
    } else if (!png || len < 8 || memcmp(png, "\x89PNG\r\n\x1a\n", 8) != 0) {
        fprintf(stderr, "kiosk-server: preview: the card renderer failed (%s %d): %s\n",
                end == RUN_SIGNALED ? "signal" : "exit", code, etext ? etext : "");
        adm_failc(x, MHD_HTTP_INTERNAL_SERVER_ERROR, "render_failed", NULL,
                  "the card renderer failed");
    } else {
        x->raw_out = png;
        x->raw_out_len = len;
        x->raw_type = "image/png";
        x->raw_name = "card.png";
        x->status = MHD_HTTP_OK;
        png = NULL;
    }
    free(png);
    free(etext);
}
