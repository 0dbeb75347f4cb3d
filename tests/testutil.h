/*
 * testutil.h - helpers shared by the C tests: a fresh temporary directory per test
 * run, paths into tests/data, and file reading.  Each test program is its own process
 * so nothing here needs to be thread-safe.
 */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

/* A new empty directory under $TMPDIR, removed (with its files) at exit. */
const char *tu_tmpdir(void);
/* tu_tmpdir()/name into a static rotating buffer. */
const char *tu_tmp(const char *name);
/* TEST_DATA_DIR/name into a static rotating buffer. */
const char *tu_data(const char *name);
/* Whole file, NUL-terminated; *len may be NULL.  Fails the test when unreadable. */
char *tu_read(const char *path, size_t *len);
/* Runs a shell command, returns its exit status. */
int tu_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
