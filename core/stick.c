/* USB stick exports (stick.h). */
#define _GNU_SOURCE
#include "stick.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "feedback.h"
#include "results.h"
#include "survey.h"
#include "workshop.h"

#define STICK_NAME_MAX 160   /* bytes of a file name we make */
#define STICK_TRIES 99       /* folder names tried when one minute's name is taken */

const char *stick_problem_text(stick_problem p)
{
    switch (p) {
    case STICK_OK: return "Exported.";
    case STICK_NONE: return "No USB stick found. Plug one in and try again.";
    case STICK_READONLY: return "The USB stick is read-only. Nothing was written.";
    case STICK_FULL: return "The USB stick is full. Free some space and try again.";
    case STICK_REMOVED: return "The USB stick was removed or failed while writing. "
                               "Plug it in and try again.";
    case STICK_IO: return "Writing to the USB stick failed.";
    case STICK_DB: return "The results could not be read.";
    case STICK_NPROBLEMS: break;
    }
    return "?";
}

stick_problem stick_problem_of_errno(int err)
{
    switch (err) {
    case EROFS:
    case EACCES:
    case EPERM:
        return STICK_READONLY;
    case ENOSPC:
    case EDQUOT:
    case EFBIG:   /* a file over the file system's limit (FAT: 4 GiB) or RLIMIT_FSIZE */
        return STICK_FULL;
    case EIO:
    case ENODEV:
    case ENXIO:
    case ENOENT:
    case ENOTDIR:
    case ESTALE:
        return STICK_REMOVED;
    default:
        return STICK_IO;
    }
}

/* --- finding the stick ----------------------------------------------------------------- */

/* Decodes mountinfo's octal escapes (\040 space, \011 tab, \012, \134) in place. */
static void unescape(char *s)
{
    char *o = s;
    for (const char *p = s; *p; p++) {
        if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
            p[3] >= '0' && p[3] <= '7') {
            *o++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
            p += 3;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
}

/* 1 when path matches one of the comma-separated patterns (spaces around trimmed). */
static int matches(const char *roots, const char *path)
{
    const char *p = roots;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *e = p;
        while (*e && *e != ',')
            e++;
        size_t n = (size_t)(e - p);
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        if (n > 0 && n < STICK_PATH_MAX) {
            char pat[STICK_PATH_MAX];
            memcpy(pat, p, n);
            pat[n] = '\0';
            if (fnmatch(pat, path, FNM_PATHNAME) == 0)
                return 1;
        }
        p = e;
    }
    return 0;
}

int stick_find_in(const char *mountinfo, size_t len, const char *roots, char *out, size_t cap)
{
    if (!roots || !cap)
        return 0;
    size_t i = 0;
    while (i < len) {
        size_t e = i;
        while (e < len && mountinfo[e] != '\n')
            e++;
        /* Field 5 is the mount point: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS ...". */
        size_t f = i;
        for (int field = 1; field < 5 && f < e; field++) {
            while (f < e && mountinfo[f] != ' ')
                f++;
            while (f < e && mountinfo[f] == ' ')
                f++;
        }
        size_t fe = f;
        while (fe < e && mountinfo[fe] != ' ')
            fe++;
        if (fe > f && fe - f < STICK_PATH_MAX) {
            char mp[STICK_PATH_MAX];
            memcpy(mp, mountinfo + f, fe - f);
            mp[fe - f] = '\0';
            unescape(mp);
            if (mp[0] == '/' && matches(roots, mp) && strlen(mp) < cap) {
                memcpy(out, mp, strlen(mp) + 1);
                return 1;
            }
        }
        i = e + 1;
    }
    return 0;
}

kc_err stick_find(const char *mountinfo_path, const char *roots, char *out, size_t cap,
                  char *msg)
{
    FILE *f = fopen(mountinfo_path, "r");
    if (!f)
        return kc_fail(msg, KC_EIO, "usb: cannot read %s: %s", mountinfo_path, strerror(errno));
    char *buf = malloc(STICK_MOUNTINFO_MAX);
    if (!buf) {
        fclose(f);
        return kc_fail(msg, KC_ENOMEM, "usb: out of memory");
    }
    /* /proc files report size 0: read until the end, at most the bound. */
    size_t n = fread(buf, 1, STICK_MOUNTINFO_MAX, f);
    int bad = ferror(f);
    fclose(f);
    kc_err rc = KC_OK;
    if (bad)
        rc = kc_fail(msg, KC_EIO, "usb: reading %s failed", mountinfo_path);
    else if (!stick_find_in(buf, n, roots, out, cap))
        rc = kc_fail(msg, KC_ENOTFOUND, "usb: no mount point matches %s", roots);
    free(buf);
    return rc;
}

/* --- writing ----------------------------------------------------------------------------- */

long stick_csv_rows(const char *csv, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(csv, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    long records = 0;
    int quoted = 0, open = 0;  /* open: a record has started and not ended */
    for (; i < len; i++) {
        char c = csv[i];
        if (c == '"')
            quoted = !quoted;  /* "" inside a cell toggles twice */
        if (c == '\n' && !quoted) {
            records++;
            open = 0;
        } else if (c != '\r') {
            open = 1;
        }
    }
    records += open;
    return records > 0 ? records - 1 : 0;
}

typedef struct out {
    stick_report *rep;
    char *tmpdir;       /* the hidden folder being written */
    char *msg;
} out;

static kc_err io_fail(out *o, int err, const char *what, const char *path)
{
    o->rep->problem = stick_problem_of_errno(err);
    return kc_fail(o->msg, KC_EIO, "usb: %s %s: %s", what, path, strerror(err));
}

/* Writes all of buf to dir/name and fsyncs it. */
static kc_err write_file(out *o, const char *name, const char *buf, size_t len)
{
    char path[STICK_PATH_MAX + STICK_NAME_MAX];
    snprintf(path, sizeof path, "%s/%s", o->tmpdir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return io_fail(o, errno, "cannot create", path);
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, buf + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int err = w < 0 ? errno : ENOSPC;
            close(fd);
            unlink(path);
            return io_fail(o, err, "writing", path);
        }
        done += (size_t)w;
    }
    /* fsync reports what write-back found: a full or vanished stick may show only here. */
    if (fsync(fd) != 0) {
        int err = errno;
        close(fd);
        unlink(path);
        return io_fail(o, err, "writing", path);
    }
    if (close(fd) != 0) {
        int err = errno;
        unlink(path);
        return io_fail(o, err, "closing", path);
    }
    return KC_OK;
}

typedef kc_err (*fill_fn)(store *st, const void *arg, cat_lang lang, FILE *f, char *msg);

/* Builds one export in memory, writes it and lists it in the report. */
static kc_err add_file(out *o, store *st, const char *name, fill_fn fill, const void *arg,
                       cat_lang lang, int csv)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        o->rep->problem = STICK_IO;
        return kc_fail(o->msg, KC_ENOMEM, "usb: out of memory");
    }
    kc_err rc = fill(st, arg, lang, f, o->msg);
    if (fclose(f) != 0 && !rc)
        rc = kc_fail(o->msg, KC_ENOMEM, "usb: out of memory for %s", name);
    if (rc) {
        o->rep->problem = STICK_DB;
        free(buf);
        return rc;
    }
    stick_file *v = realloc(o->rep->files, (o->rep->nfiles + 1) * sizeof *v);
    char *nm = strdup(name);
    if (!v || !nm) {
        if (v)
            o->rep->files = v;
        free(nm);
        free(buf);
        o->rep->problem = STICK_IO;
        return kc_fail(o->msg, KC_ENOMEM, "usb: out of memory");
    }
    o->rep->files = v;
    rc = write_file(o, name, buf, len);
    if (rc) {
        free(nm);
        free(buf);
        return rc;
    }
    v[o->rep->nfiles++] = (stick_file){ nm, csv ? stick_csv_rows(buf, len) : -1, len };
    free(buf);
    return KC_OK;
}

static kc_err fill_feedback(store *st, const void *arg, cat_lang lang, FILE *f, char *msg)
{
    (void)lang;
    return arg ? results_feedback_csv(st, f, msg) : results_feedback_json(st, f, msg);
}

static kc_err fill_survey_csv(store *st, const void *arg, cat_lang lang, FILE *f, char *msg)
{
    return results_export_csv(st, arg, lang, f, msg);
}

static kc_err fill_survey_json(store *st, const void *arg, cat_lang lang, FILE *f, char *msg)
{
    (void)lang;
    return results_export_json(st, arg, f, msg);
}

static kc_err fill_ws_csv(store *st, const void *arg, cat_lang lang, FILE *f, char *msg)
{
    (void)st;
    return workshop_export_csv(arg, lang, f, msg);
}

static kc_err fill_ws_json(store *st, const void *arg, cat_lang lang, FILE *f, char *msg)
{
    (void)st;
    (void)lang;
    return workshop_export_json(arg, f, msg);
}

/* Every export in turn: feedback, surveys with responses, workshops. */
static kc_err add_all(out *o, store *st, cat_lang lang, time_t now)
{
    static const int csv_flag = 1;
    kc_err rc = add_file(o, st, "feedback.csv", fill_feedback, &csv_flag, lang, 1);
    if (!rc)
        rc = add_file(o, st, "feedback.json", fill_feedback, NULL, lang, 0);
    if (rc)
        return rc;
    survey_info *sv = NULL;
    size_t nsv = 0;
    if ((rc = survey_list(st, 0, NULL, now, &sv, &nsv, o->msg))) {
        o->rep->problem = STICK_DB;
        return rc;
    }
    char name[STICK_NAME_MAX];
    for (size_t i = 0; i < nsv && !rc; i++) {
        if (sv[i].mode != SURVEY_MODE_SURVEY || sv[i].responses <= 0)
            continue;
        snprintf(name, sizeof name, "survey-%s.csv", sv[i].id);
        rc = add_file(o, st, name, fill_survey_csv, sv[i].id, lang, 1);
        snprintf(name, sizeof name, "survey-%s.json", sv[i].id);
        if (!rc)
            rc = add_file(o, st, name, fill_survey_json, sv[i].id, lang, 0);
    }
    survey_info_free(sv, nsv);
    if (rc)
        return rc;
    workshop_info *ws = NULL;
    size_t nws = 0;
    if ((rc = workshop_list(st, &ws, &nws, o->msg))) {
        o->rep->problem = STICK_DB;
        return rc;
    }
    for (size_t i = 0; i < nws && !rc; i++) {
        workshop *w;
        if ((rc = workshop_open(st, ws[i].id, &w, o->msg))) {
            o->rep->problem = STICK_DB;
            break;
        }
        snprintf(name, sizeof name, "workshop-%s.csv", ws[i].id);
        rc = add_file(o, st, name, fill_ws_csv, w, lang, 1);
        snprintf(name, sizeof name, "workshop-%s.json", ws[i].id);
        if (!rc)
            rc = add_file(o, st, name, fill_ws_json, w, lang, 0);
        workshop_free(w);
    }
    workshop_info_free(ws, nws);
    return rc;
}

static int fsync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int r = fsync(fd);
    int err = errno;
    close(fd);
    errno = err;
    return r;
}

/* Best effort: the hidden folder and what is in it (a pulled stick refuses). */
static void remove_partial(const stick_report *rep, const char *dir)
{
    char path[STICK_PATH_MAX + STICK_NAME_MAX];
    for (size_t i = 0; i < rep->nfiles; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, rep->files[i].name);
        unlink(path);
    }
    rmdir(dir);
}

kc_err stick_export(store *st, const char *mount, cat_lang lang, time_t now, stick_report *rep,
                    char *msg)
{
    memset(rep, 0, sizeof *rep);
    struct stat sb;
    if (stat(mount, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        rep->problem = STICK_REMOVED;
        return kc_fail(msg, KC_EIO, "usb: %s is not there", mount);
    }
    struct statvfs vfs;
    if (statvfs(mount, &vfs) == 0 && (vfs.f_flag & ST_RDONLY)) {
        rep->problem = STICK_READONLY;
        return kc_fail(msg, KC_EIO, "usb: %s is mounted read-only", mount);
    }
    /* The tables exist on a kiosk that never showed a survey too (no-op otherwise). */
    if (feedback_init(st) || workshop_init(st)) {
        rep->problem = STICK_DB;
        return kc_fail(msg, KC_EDB, "usb: %s", store_errmsg(st));
    }
    struct tm tm;
    if (!localtime_r(&now, &tm))
        memset(&tm, 0, sizeof tm);
    char stamp[32], tmp[STICK_PATH_MAX];
    snprintf(stamp, sizeof stamp, "%04d%02d%02d-%02d%02d%02d", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    /* A free name: neither the folder nor its hidden draft exists. */
    int n = 1;
    for (; n <= STICK_TRIES; n++) {
        char sfx[8] = "";
        if (n > 1)
            snprintf(sfx, sizeof sfx, "-%d", n);
        int a = snprintf(rep->dir, sizeof rep->dir, "%s/kiosk-export-%s%s", mount, stamp, sfx);
        int b = snprintf(tmp, sizeof tmp, "%s/.kiosk-export-%s%s.part", mount, stamp, sfx);
        if (a < 0 || b < 0 || (size_t)b >= sizeof tmp) {
            rep->problem = STICK_IO;
            return kc_fail(msg, KC_ETOOBIG, "usb: the path %s is too long", mount);
        }
        if (lstat(rep->dir, &sb) != 0 && errno == ENOENT && lstat(tmp, &sb) != 0 &&
            errno == ENOENT)
            break;
    }
    out o = { rep, tmp, msg };
    if (n > STICK_TRIES) {
        rep->problem = STICK_IO;
        return kc_fail(msg, KC_EEXIST, "usb: %s exists", rep->dir);
    }
    if (mkdir(tmp, 0755) != 0)
        return io_fail(&o, errno, "cannot create", tmp);
    kc_err rc = add_all(&o, st, lang, now);
    if (!rc && fsync_dir(tmp) != 0)
        rc = io_fail(&o, errno, "writing", tmp);
    if (!rc && rename(tmp, rep->dir) != 0)
        rc = io_fail(&o, errno, "cannot rename", tmp);
    if (!rc && fsync_dir(mount) != 0)
        rc = io_fail(&o, errno, "writing", mount);
    /* The stick may have gone between the last write and the rename's fsync. */
    if (!rc && stat(rep->dir, &sb) != 0)
        rc = io_fail(&o, errno, "cannot find", rep->dir);
    if (rc) {
        if (rep->problem == STICK_OK)
            rep->problem = STICK_IO;
        remove_partial(rep, tmp);
        return rc;
    }
    rep->problem = STICK_OK;
    return KC_OK;
}

void stick_report_free(stick_report *rep)
{
    if (!rep)
        return;
    for (size_t i = 0; i < rep->nfiles; i++)
        free(rep->files[i].name);
    free(rep->files);
    rep->files = NULL;
    rep->nfiles = 0;
}
