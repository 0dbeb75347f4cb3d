/*
 * synctest.h - helpers for the sync tests: the real kiosk-server as a child process
 * on a random loopback port, admin commands, outbox rows, and reading the server's
 * database for checks.  Test-only; failures fail the running cmocka test.
 */
#ifndef SYNCTEST_H
#define SYNCTEST_H

#include <sys/types.h>
#include "store.h"

typedef struct st_server {
    pid_t pid;
    int port;
    char url[64];
    char db[512];
} st_server;

/* The server database for a test: tu_tmp(name), or with KC_TEST_PG set (the suite's
 * PostgreSQL run) a fresh database on that cluster, named after name and this process.
 * The string stays valid for the next 31 calls. */
const char *st_server_db(const char *name);
/* Whether a server database spec is a PostgreSQL one. */
int st_is_pg(const char *db);

/* Starts kiosk-server on 127.0.0.1:0 with the database db; extra args (NULL ended)
 * are appended (e.g. "--cert", f, "--key", k).  Waits until the port is known. */
void st_server_start(st_server *s, const char *db, const char *const *extra);
/* Sends sig (SIGTERM for a clean stop, SIGKILL for a crash) and reaps. */
void st_server_stop(st_server *s, int sig);

/* kiosk-server --db db admin ARGS...; returns the exit status, stdout into out. */
int st_admin(const char *db, char *out, size_t cap, const char *const *args);
/* device-add name: writes the token into tok (65 bytes). */
void st_device_add(const char *db, const char *name, char *tok);
void st_write_file(const char *path, const char *text);

/* POSTs body to the server's path with the device token tok (NULL: none).  Returns
 * the status (0 when no answer came); the reply body into reply (cap bytes,
 * NUL-terminated, cut to fit; may be NULL). */
long st_post(const st_server *s, const char *path, const char *tok, const char *body,
             char *reply, size_t cap);
/* Adds one outbox row of this kind and payload; its UUID into uuid (37 bytes, may be
 * NULL). */
void st_add_row(const char *kiosk_db, const char *kind, const char *payload, char *uuid);

/* Adds n outbox rows with realistic feedback payloads, in one transaction. */
void st_add_responses(const char *kiosk_db, int n);
/* Number of responses on the server, of outbox rows that become responses there (all
 * but ballots and code uses, which the server keeps apart), and of distinct UUIDs that
 * are both in the kiosk outbox and among the server's responses. */
long st_server_count(const char *server_db);
long st_outbox_count(const char *kiosk_db);
long st_common_count(const char *kiosk_db, const char *server_db);
/* Asserts every pushed payload arrived equal as JSON. */
void st_assert_same_payloads(const char *kiosk_db, const char *server_db);
/* Asserts that the kiosk's live catalog and areas equal the server's. */
void st_assert_same_catalog(const char *kiosk_db, const char *server_db);
/* PRAGMA integrity_check is "ok". */
void st_assert_integrity(const char *db);

/* Monotonic seconds, and a sleep, for tests that time the server. */
double st_now_s(void);
void st_sleep_ms(long ms);
/* Seconds GET /v1/health took (curl timeout timeout_s); fails the test unless it
 * answered 200. */
double st_timed_health(const st_server *s, long timeout_s);

/* Path of the built programs (from the environment set by CMake). */
const char *st_server_bin(void);
const char *st_kioskctl_bin(void);

#endif
