/*
 * stick.h - the kiosk's results onto a USB stick, for a coordinator at a kiosk with
 * no network (docs/survey-format.md, "USB stick").
 *
 * Finding the stick: a stick is a mount point in /proc/self/mountinfo that matches
 * one of the kiosk.conf `usb-roots` patterns (fnmatch(3), '*' never crosses '/';
 * the default is STICK_DEFAULT_ROOTS: one or two levels under /media, two under
 * /run/media, as udisks and usbmount mount).  The first match in mount order wins.  kiosk.conf `export-dir` names a fixed folder instead (a stick an
 * automounter always puts at one place); then no mount table is read.
 *
 * Writing: stick_export() makes one new folder "kiosk-export-YYYYMMDD-HHMMSS" on the
 * stick with the existing export formats: feedback, every survey with responses and
 * every workshop, each as CSV (in the given language) and JSON.  It writes into a
 * hidden folder ".kiosk-export-….part", fsyncs every file and the folder, then
 * renames it to its final name and fsyncs the stick's root: a stick pulled out
 * mid-write shows no folder that looks complete.  On failure the hidden folder is
 * removed as far as the stick allows.
 *
 * Privacy (docs/privacy.md): the exports are those of `kioskctl responses export`
 * and `workshop export`, ordered by hour and random id, never by when an answer came;
 * anonymous answers carry no contact details.  Ballots are never exported: one
 * kiosk's ballots before the server mixes them with other kiosks' would say more
 * than the count (docs/voting.md); they are counted on the server.
 *
 * Memory: each file is built in memory before it is written, so an I/O error is
 * told apart from a database error and the row count is known; a kiosk's results are
 * a few megabytes at most.  Threads: stick_export reads the store and writes to a
 * removable disk, which can block for seconds: call it off the UI thread.
 */
#ifndef STICK_H
#define STICK_H

#include <stddef.h>
#include <time.h>

#include "catalog.h"
#include "kc.h"
#include "store.h"

#define STICK_PATH_MAX 1024          /* bytes of a mount point or folder path */
#define STICK_MOUNTINFO_MAX (1 << 20) /* bytes of the mount table read */
#define STICK_DEFAULT_ROOTS "/media/*,/media/*/*,/run/media/*/*"

/* Why an export did not happen; appended, never renumbered. */
typedef enum stick_problem {
    STICK_OK,
    STICK_NONE,      /* no stick is mounted (or export-dir does not exist) */
    STICK_READONLY,  /* the stick is read-only or not writable */
    STICK_FULL,      /* no space left on the stick */
    STICK_REMOVED,   /* the stick went away while being written */
    STICK_IO,        /* another write error */
    STICK_DB,        /* the results could not be read */
    STICK_NPROBLEMS
} stick_problem;

/* An English sentence for p (a translation key of the kiosk). */
const char *stick_problem_text(stick_problem p);
/* The problem a failed system call's errno means. */
stick_problem stick_problem_of_errno(int err);

/* The first mount point in a mount table's text (the format of
 * /proc/self/mountinfo; octal escapes decoded) that matches one of the
 * comma-separated patterns in roots.  1 and out filled when found; 0 when none or
 * when the match is longer than cap - 1. */
int stick_find_in(const char *mountinfo, size_t len, const char *roots, char *out, size_t cap);
/* The same for the table at path; KC_ENOTFOUND when no stick, KC_EIO when the table
 * cannot be read. */
kc_err stick_find(const char *mountinfo_path, const char *roots, char *out, size_t cap,
                  char *msg);

typedef struct stick_file {
    char *name;      /* file name in the folder */
    long rows;       /* CSV: data rows; JSON: -1 */
    size_t bytes;
} stick_file;

typedef struct stick_report {
    stick_problem problem;
    char dir[STICK_PATH_MAX];   /* the folder written (complete only when STICK_OK) */
    stick_file *files;          /* written so far */
    size_t nfiles;
} stick_report;

/* Writes the results into a new folder under mount (above).  KC_OK with the files
 * listed in rep; otherwise rep->problem says why and msg names the file and the
 * system's reason.  rep must be zeroed or freed before; free it with
 * stick_report_free() either way. */
kc_err stick_export(store *st, const char *mount, cat_lang lang, time_t now, stick_report *rep,
                    char *msg);
void stick_report_free(stick_report *rep);

/* Data rows of a CSV text in the export dialect (csv.h): records after the header;
 * line ends inside quoted cells do not count. */
long stick_csv_rows(const char *csv, size_t len);

#endif
