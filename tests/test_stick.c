/* USB stick exports (core/stick.h): finding the stick in a mount table, the folder of
 * exports written and read back, and the stick that is read-only or full. */
#define _GNU_SOURCE
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "feedback.h"
#include "stick.h"
#include "survey.h"
#include "workshop.h"

#define NOW ((time_t)1795610000) /* 2026-11-25 12:33 UTC */
#define SURVEYS TEST_DATA_DIR "/../../assets/content/surveys/"

static const char *def =
    "{\"format\":\"kiosk-survey\",\"id\":\"lib\",\"title\":{\"fi\":\"Kirjasto\"},\"questions\":["
    "{\"id\":\"c\",\"type\":\"single\",\"text\":{\"fi\":\"Valitse\"},\"options\":["
    "{\"id\":\"a\",\"text\":{\"fi\":\"Aa\",\"sv\":\"Åå\"}},{\"id\":\"b\",\"text\":{\"fi\":\"Bee\"}}]},"
    "{\"id\":\"w\",\"type\":\"text\",\"text\":{\"fi\":\"Sana\"}}]}";

static void respond(store *st, int c, const char *w)
{
    survey_session *ss;
    char msg[KC_MSGMAX], uuid[OUTBOX_UUID_LEN + 1];
    assert_int_equal(survey_session_start(st, "lib", &ss, msg), KC_OK);
    assert_int_equal(survey_session_choose(ss, (size_t)c), KC_OK);
    assert_int_equal(survey_session_next(ss), KC_OK);
    if (w)
        assert_int_equal(survey_session_set_text(ss, 0, w), KC_OK);
    assert_int_equal(survey_session_next(ss), KC_OK);
    if (survey_session_submit(ss, st, NOW, uuid))
        fail_msg("%s", survey_session_errmsg(ss));
    survey_session_free(ss);
}

/* Feedback (nfb comments, one with a line break and quotes), three survey responses,
 * one workshop. */
static store *setup(const char *name, int nfb)
{
    store *st;
    char msg[KC_MSGMAX];
    remove(tu_tmp(name));
    assert_int_equal(store_open(tu_tmp(name), &st), KC_OK);
    assert_int_equal(workshop_init(st), KC_OK);
    assert_int_equal(feedback_init(st), KC_OK);
    survey *s;
    survey_put_result r;
    if (survey_parse(def, strlen(def), "lib", &s, msg) || survey_store_put(st, s, &r, msg))
        fail_msg("%s", msg);
    survey_free(s);
    if (survey_load_file(SURVEYS "ylojarvi-forum-workshop.json", &s, msg) ||
        survey_store_put(st, s, &r, msg))
        fail_msg("%s", msg);
    survey_free(s);
    respond(st, 0, "rivi 2 \"lainaus\"; puolipiste");
    respond(st, 1, NULL);
    respond(st, 0, "hyvä");
    for (int i = 0; i < nfb; i++) {
        char comment[200];
        snprintf(comment, sizeof comment, i == 0 ? "Kiitos!\nToinen rivi \"x\"" :
                 "Palaute numero %d: aika pitkä teksti, jotta tiedosto kasvaa nopeasti yli "
                 "pienen tikun koon, ja vielä vähän lisää tekstiä tähän loppuun", i);
        feedback_entry e = { .score = 1 + i % 5, .comment = comment };
        char uuid[OUTBOX_UUID_LEN + 1];
        feedback_problem p;
        if (feedback_submit(st, &e, NOW, uuid, &p, msg))
            fail_msg("%s", msg);
    }
    char wid[OUTBOX_UUID_LEN + 1];
    if (workshop_start(st, "ylojarvi-kumppanuusfoorumi", NULL, NOW, wid, msg))
        fail_msg("%s", msg);
    return st;
}

static void test_find(void **state)
{
    (void)state;
    size_t len;
    char *mi = tu_read(tu_data("mountinfo-usb.txt"), &len);
    char mp[STICK_PATH_MAX];
    /* The first matching mount point in mount order; "\040" is a space. */
    assert_int_equal(stick_find_in(mi, len, STICK_DEFAULT_ROOTS, mp, sizeof mp), 1);
    assert_string_equal(mp, "/media/anna/KIOSK USB");
    assert_int_equal(stick_find_in(mi, len, "/run/media/*/*", mp, sizeof mp), 1);
    assert_string_equal(mp, "/run/media/kiosk/3A1F-09BC");
    assert_int_equal(stick_find_in(mi, len, " /mnt/usb* , /srv/*", mp, sizeof mp), 1);
    assert_string_equal(mp, "/mnt/usb1");
    /* A star does not cross a slash: the stick two levels down is not under one level. */
    assert_int_equal(stick_find_in(mi, len, "/media/*", mp, sizeof mp), 0);
    /* Too small a buffer: no stick rather than a cut path. */
    assert_int_equal(stick_find_in(mi, len, STICK_DEFAULT_ROOTS, mp, 8), 0);
    /* A machine with no stick: the fixed disks match none of the defaults. */
    const char *plain = "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
                        "23 22 0:5 / /proc rw - proc proc rw\n"
                        "24 22 0:6 / /media rw - ext4 /dev/sda2 rw\n";
    assert_int_equal(stick_find_in(plain, strlen(plain), STICK_DEFAULT_ROOTS, mp, sizeof mp), 0);
    /* A truncated last line and garbage do not read past the end. */
    assert_int_equal(stick_find_in(mi, 40, STICK_DEFAULT_ROOTS, mp, sizeof mp), 0);
    assert_int_equal(stick_find_in("x", 1, STICK_DEFAULT_ROOTS, mp, sizeof mp), 0);
    char msg[KC_MSGMAX];
    assert_int_equal(stick_find(tu_data("mountinfo-usb.txt"), "/run/media/*/*", mp, sizeof mp,
                                msg), KC_OK);
    assert_string_equal(mp, "/run/media/kiosk/3A1F-09BC");
    assert_int_equal(stick_find(tu_data("mountinfo-usb.txt"), "/none/*", mp, sizeof mp, msg),
                     KC_ENOTFOUND);
    assert_int_equal(stick_find(tu_tmp("no-such-table"), "/*", mp, sizeof mp, msg), KC_EIO);
    /* The running system's table reads (whatever is mounted). */
    kc_err rc = stick_find("/proc/self/mountinfo", "/", mp, sizeof mp, msg);
    assert_int_equal(rc, KC_OK);
    assert_string_equal(mp, "/");
    free(mi);
}

static void test_csv_rows(void **state)
{
    (void)state;
    const char *c = "\xef\xbb\xbf\"a\";\"b\"\r\n\"1\";\"x\r\ny\"\r\n\"2\";\"\"\"q\"\"\"\r\n";
    assert_int_equal(stick_csv_rows(c, strlen(c)), 2);
    assert_int_equal(stick_csv_rows("\"h\"\r\n\"1\"", 9), 1);  /* no final line end */
    assert_int_equal(stick_csv_rows("\"h\"\r\n", 5), 0);
    assert_int_equal(stick_csv_rows("", 0), 0);
}

/* Entries of dir other than . and .. ; names into out (space-separated). */
static int list_dir(const char *dir, char *out, size_t cap)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    out[0] = '\0';
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        n++;
        size_t l = strlen(out);
        snprintf(out + l, cap - l, "%s ", e->d_name);
    }
    closedir(d);
    return n;
}

static void test_export(void **state)
{
    (void)state;
    store *st = setup("ok.db", 3);
    char msg[KC_MSGMAX];
    const char *stick = tu_tmp("stick");
    assert_int_equal(mkdir(stick, 0755), 0);
    stick_report rep;
    if (stick_export(st, stick, CAT_FI, NOW, &rep, msg))
        fail_msg("%s", msg);
    assert_int_equal(rep.problem, STICK_OK);
    /* One folder with the minute's stamp (local time), nothing hidden left over. */
    char names[4096];
    assert_int_equal(list_dir(stick, names, sizeof names), 1);
    assert_non_null(strstr(names, "kiosk-export-2026112"));
    assert_int_equal(strncmp(rep.dir, stick, strlen(stick)), 0);
    /* feedback.csv/json, survey-lib.csv/json, workshop-ID.csv/json. */
    assert_int_equal(rep.nfiles, 6);
    assert_int_equal(list_dir(rep.dir, names, sizeof names), 6);
    int seen = 0;
    for (size_t i = 0; i < rep.nfiles; i++) {
        const stick_file *f = &rep.files[i];
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", rep.dir, f->name);
        size_t len;
        char *buf = tu_read(path, &len);
        assert_int_equal(len, f->bytes);
        if (strstr(f->name, ".json")) {
            assert_int_equal(f->rows, -1);
            json_error_t je;
            json_t *j = json_loadb(buf, len, 0, &je);
            if (!j)
                fail_msg("%s: %s", f->name, je.text);
            json_decref(j);
        } else {
            assert_memory_equal(buf, "\xef\xbb\xbf", 3);
        }
        if (!strcmp(f->name, "feedback.csv")) {
            assert_int_equal(f->rows, 3);
            assert_non_null(strstr(buf, "Toinen rivi"));
            seen++;
        } else if (!strcmp(f->name, "survey-lib.csv")) {
            assert_int_equal(f->rows, 3);
            assert_non_null(strstr(buf, "\"rivi 2 \"\"lainaus\"\"; puolipiste\""));
            seen++;
        } else if (!strncmp(f->name, "workshop-", 9) && strstr(f->name, ".csv")) {
            assert_true(f->rows >= 0);
            seen++;
        }
        free(buf);
    }
    assert_int_equal(seen, 3);
    /* Python's csv module reads them back as a spreadsheet would (';', BOM). */
    assert_int_equal(tu_sh("python3 -c 'import csv,sys\n"
                           "r=list(csv.reader(open(sys.argv[1],encoding=\"utf-8-sig\",newline=\"\"),"
                           "delimiter=\";\"))\n"
                           "assert len(r)==4, r\n"
                           "assert any(\"lainaus\" in c for row in r for c in row), r' "
                           "'%s/survey-lib.csv'", rep.dir), 0);
    char first[STICK_PATH_MAX];
    snprintf(first, sizeof first, "%s", rep.dir);
    stick_report_free(&rep);
    /* Again in the same second: a second folder, the first untouched. */
    if (stick_export(st, stick, CAT_SV, NOW, &rep, msg))
        fail_msg("%s", msg);
    assert_string_not_equal(rep.dir, first);
    assert_int_equal(list_dir(stick, names, sizeof names), 2);
    stick_report_free(&rep);
    /* A stick that is not there (pulled out between finding and writing). */
    assert_int_equal(stick_export(st, tu_tmp("gone"), CAT_FI, NOW, &rep, msg), KC_EIO);
    assert_int_equal(rep.problem, STICK_REMOVED);
    stick_report_free(&rep);
    store_close(st);
}

static int mounted(const char *dir, const char *opts)
{
    if (geteuid() != 0)
        return 0;
    return mount("tmpfs", dir, "tmpfs", strstr(opts, "ro") == opts ? MS_RDONLY : 0,
                 strstr(opts, "size=") ? strstr(opts, "size=") : NULL) == 0;
}

static void test_readonly(void **state)
{
    (void)state;
    store *st = setup("ro.db", 1);
    char msg[KC_MSGMAX];
    const char *stick = tu_tmp("ro-stick");
    assert_int_equal(mkdir(stick, 0755), 0);
    int m = mounted(stick, "ro,size=64k");
    if (!m) {
        /* Unprivileged: a folder without write permission says the same to the kiosk. */
        assert_int_equal(chmod(stick, 0555), 0);
        if (access(stick, W_OK) == 0) {
            print_message("skipped: cannot make %s read-only (%s)\n", stick, strerror(errno));
            store_close(st);
            return;
        }
    }
    stick_report rep;
    assert_int_equal(stick_export(st, stick, CAT_FI, NOW, &rep, msg), KC_EIO);
    assert_int_equal(rep.problem, STICK_READONLY);
    assert_int_equal(rep.nfiles, 0);
    stick_report_free(&rep);
    char names[256];
    assert_int_equal(list_dir(stick, names, sizeof names), 0);
    if (m)
        assert_int_equal(umount(stick), 0);
    else
        chmod(stick, 0755);
    store_close(st);
}

/* Full: a 16 KiB tmpfs when root, else a file size limit (EFBIG, as FAT's 4 GiB). */
static void test_full(void **state)
{
    (void)state;
    store *st = setup("full.db", 120);
    char msg[KC_MSGMAX];
    const char *stick = tu_tmp("full-stick");
    assert_int_equal(mkdir(stick, 0755), 0);
    int m = mounted(stick, "size=16k");
    struct rlimit old;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    void (*oldsig)(int) = SIG_DFL;
    if (!m) {
        print_message("no tmpfs (not root): a file size limit of 8 KiB stands for a full stick\n");
        oldsig = signal(SIGXFSZ, SIG_IGN);
        struct rlimit lim = { 8192, old.rlim_max };
        assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    }
    stick_report rep;
    kc_err rc = stick_export(st, stick, CAT_FI, NOW, &rep, msg);
    if (!m) {
        assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
        signal(SIGXFSZ, oldsig);
    }
    assert_int_equal(rc, KC_EIO);
    assert_int_equal(rep.problem, STICK_FULL);
    assert_non_null(strstr(msg, "feedback.csv"));
    stick_report_free(&rep);
    /* The half-written folder is gone: nothing on the stick looks like an export. */
    char names[256];
    assert_int_equal(list_dir(stick, names, sizeof names), 0);
    if (m)
        assert_int_equal(umount(stick), 0);
    store_close(st);
}

static void test_errno(void **state)
{
    (void)state;
    assert_int_equal(stick_problem_of_errno(ENOSPC), STICK_FULL);
    assert_int_equal(stick_problem_of_errno(EFBIG), STICK_FULL);
    assert_int_equal(stick_problem_of_errno(EROFS), STICK_READONLY);
    assert_int_equal(stick_problem_of_errno(EIO), STICK_REMOVED);
    assert_int_equal(stick_problem_of_errno(ENODEV), STICK_REMOVED);
    assert_int_equal(stick_problem_of_errno(EINVAL), STICK_IO);
    for (int p = 0; p < STICK_NPROBLEMS; p++)
        assert_string_not_equal(stick_problem_text((stick_problem)p), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find),     cmocka_unit_test(test_csv_rows),
        cmocka_unit_test(test_export),   cmocka_unit_test(test_readonly),
        cmocka_unit_test(test_full),     cmocka_unit_test(test_errno),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
