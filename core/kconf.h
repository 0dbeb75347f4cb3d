/*
 * kconf.h - the kiosk's settings: the config file (`kiosk --config FILE`) and the
 * command-line flags that override it, checked in one place.
 *
 * File format (docs/deploy.md): UTF-8 text, one `key = value` per line; blank lines
 * and lines starting with `#` are ignored; spaces and tabs around keys and values
 * are trimmed.  A flag (fullscreen, windowed, headless, create-db,
 * allow-insecure-http) is either its bare name or `name = yes|no`.  Everything else is
 * refused with "FILE:LINE: why": an unknown key, a key set twice in one file, a line
 * over KCONF_LINE_MAX bytes, a value out of range, control characters, invalid UTF-8,
 * a byte order mark, UTF-16, a file over KCONF_FILE_MAX bytes.  A refused file leaves the settings as they were before
 * it was read (nothing half-applied).
 *
 * Ownership: a kconf owns copies of every value; the strings kconf_str() returns live
 * until the value is set again or kconf_free().  No fixed pools: any number of files
 * and flags may be applied.  One thread at a time.  No SDL, no I/O except
 * kconf_load() reading the file.
 */
#ifndef KCONF_H
#define KCONF_H

#include <stddef.h>

#include "kc.h"

#define KCONF_LINE_MAX 1024             /* bytes per line, newline excluded */
#define KCONF_FILE_MAX (64 * 1024)      /* bytes per file */

/* Every setting; one row of the table in kconf.c each. */
typedef enum kconf_key {
    KCONF_DB,             /* database file */
    KCONF_CREATE_DB,      /* flag: create the database when it does not exist */
    KCONF_ASSETS,         /* directory with i18n/ */
    KCONF_LANG,           /* fi | sv | en */
    KCONF_FALLBACK,       /* language order, e.g. fi,sv,en */
    KCONF_IDLE,           /* seconds, 5..86400 */
    KCONF_SIZE,           /* WxH */
    KCONF_RENDERER,       /* software | accelerated */
    KCONF_FULLSCREEN,     /* flag */
    KCONF_WINDOWED,       /* flag */
    KCONF_HEADLESS,       /* flag */
    KCONF_SERVER,         /* sync server URL */
    KCONF_TOKEN_FILE,
    KCONF_CA_FILE,
    KCONF_SYNC_INTERVAL,  /* seconds, 5..86400 */
    KCONF_ALLOW_INSECURE_HTTP, /* flag: plain http:// to a server off this machine */
    KCONF_SCRIPT,         /* tests: UI script */
    KCONF_SHOTS,          /* tests: screenshot directory */
    KCONF_TODAY,          /* tests: YYYY-MM-DD */
    KCONF_FIRST_FRAME,    /* bench: file for the first frame's time */
    KCONF_DPI,            /* the panel's pixels per inch, 50..600 (touch targets >= 9 mm) */
    KCONF_AREA,           /* the kiosk's own area id: search ranks its items first at a tie */
    KCONF_PLACE,          /* the kiosk's place name, shown on the attract screen */
    KCONF_FEEDBACK_MERGE, /* seconds, 5..86400: one person's repeated face taps count once */
    KCONF_HOURS,          /* opening hours, e.g. mon-fri 08:00-20:00, sat 10:00-16:00 */
    KCONF_USB_ROOTS,      /* mount point patterns of USB sticks (core/stick.h) */
    KCONF_EXPORT_DIR,     /* a fixed folder for USB exports instead of looking for a stick */
    KCONF_NKEYS
} kconf_key;

typedef struct kconf kconf;

/* NULL when out of memory.  Nothing is set. */
kconf *kconf_new(void);
void kconf_free(kconf *c);

/* Applies a whole file's text; `name` is used in messages.  On error msg (KC_MSGMAX)
 * says "NAME:LINE: why" and nothing of the file was applied. */
kc_err kconf_parse(kconf *c, const char *buf, size_t len, const char *name, char *msg);
/* Reads and applies the file at path (KC_EIO when it cannot be read). */
kc_err kconf_load(kconf *c, const char *path, char *msg);

/* Sets one setting by name, as from a flag `--name value`; value is NULL for a bare
 * flag.  KC_EINVAL with a message naming the setting when the name is unknown or the
 * value is refused; the setting is then unchanged. */
kc_err kconf_set(kconf *c, const char *name, const char *value, char *msg);

/* The key for a name, or -1 when there is none; 1 when the key is a flag. */
int kconf_key_of(const char *name);
int kconf_is_flag(kconf_key k);
const char *kconf_name(kconf_key k);

/* The value as given (trimmed), or NULL when unset.  Flags read "yes" or "no". */
const char *kconf_str(const kconf *c, kconf_key k);
/* A number setting, or def when unset. */
long kconf_long(const kconf *c, kconf_key k, long def);
/* A flag: 1 set, 0 unset or "no". */
int kconf_flag(const kconf *c, kconf_key k);
/* KCONF_SIZE: 0 and *w, *h when set; -1 when unset. */
int kconf_size(const kconf *c, int *w, int *h);

#endif
