/*
 * kc.h - the core library's error codes and allocation wrappers.
 *
 * Every core function that can fail returns a kc_err.  The code says what kind of
 * failure it was; the module handle it was called on keeps a human-readable message
 * naming the object (read it with store_errmsg(), content_errmsg(), ...).  Codes are
 * appended, never renumbered; kc_strerror() has a message for every one of them.
 *
 * All core allocations go through kc_malloc() and friends so that tests can make the
 * Nth allocation fail (kc_fault_after) and check that every error path frees what it
 * built and leaves its objects unchanged.  The counter is process-global on purpose:
 * it is a test hook, not state any module relies on.
 */
#ifndef KC_H
#define KC_H

#include <stddef.h>
#include <stdarg.h>

typedef enum kc_err {
    KC_OK = 0,
    KC_ENOMEM = 1,     /* an allocation failed */
    KC_EIO = 2,        /* a file could not be read or written */
    KC_EDB = 3,        /* the database reported an error */
    KC_ENEWER = 4,     /* the database was written by a newer version */
    KC_EJSON = 5,      /* text is not well-formed JSON */
    KC_EINVAL = 6,     /* input is well-formed but breaks a rule of its format */
    KC_ENOTFOUND = 7,  /* the thing asked for does not exist */
    KC_ETOOBIG = 8,    /* input is over a documented limit */
    KC_EUSAGE = 9,     /* the caller asked for something the API does not allow */
    KC_EBUSY = 10,     /* the resource is locked; try again later */
    KC_ECRYPTO = 11,   /* the crypto library failed */
    KC_ELOCKED = 12,   /* too many wrong attempts; wait before trying again */
    KC_EDENIED = 13,   /* a credential was wrong */
    KC_EEXIST = 14,    /* the thing to add is there already (a paper ballot's serial) */
} kc_err;

const char *kc_strerror(kc_err e);

/* Size of every module's message buffer.  Messages longer than this are cut at a
 * character boundary, never mid-UTF-8 sequence. */
#define KC_MSGMAX 512

/* Formats into buf (KC_MSGMAX bytes) and returns code, so error paths read
 * `return kc_fail(st->msg, KC_EDB, "store: %s", sqlite3_errmsg(db));`. */
kc_err kc_fail(char *buf, kc_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
kc_err kc_vfail(char *buf, kc_err code, const char *fmt, va_list ap);

void *kc_malloc(size_t n);
void *kc_calloc(size_t count, size_t size);
void *kc_realloc(void *p, size_t n);
char *kc_strdup(const char *s);
char *kc_strndup(const char *s, size_t n);
void kc_free(void *p);

/* Test hook: after `n` more successful allocations, every further one fails until
 * kc_fault_after(-1) turns faults off.  Returns how many allocations failed since the
 * previous call, so a test knows whether its run injected a fault at all. */
long kc_fault_after(long n);

#endif
