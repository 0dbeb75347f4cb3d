/*
 * fuzzutil.h - shared by the libFuzzer targets (tests/fuzz/fuzz_*.c) and their replay
 * driver.
 *
 * Each target defines LLVMFuzzerTestOneInput() and nothing else global.  Built with
 * clang and -fsanitize=fuzzer (`make fuzz`) libFuzzer drives it; built normally
 * (gcc, `make test`, `make asan`) replay.c's main runs it over every seed in
 * tests/fuzz/corpus/NAME and every kept crash in tests/fuzz/regressions/NAME.
 *
 * A target reads the input only through the project's own readers and checks their
 * contract (a failed read leaves a message, a good one can be used); a broken
 * contract calls fz_fail(), which aborts so both drivers report the input.  Long-lived
 * state (an in-memory store) is made on first use and kept for the process.
 */
#ifndef FUZZUTIL_H
#define FUZZUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "srvdb.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a NUL-terminated string (kc_malloc'ed; NULL when out of memory). */
char *fz_cstr(const uint8_t *data, size_t size);

/* Reports a broken contract with the reader's message and aborts. */
void fz_fail(const char *what, const char *msg) __attribute__((noreturn));

/* A fresh database in a private temporary directory, removed at exit. */
store *fz_store(void);

/* A fresh server database in the same temporary directory with one device; *db
 * gets the database and the device's id is returned. */
long long fz_server_device(srvdb **db);

/* FUZZ_SOURCE_DIR/rel: a file of the source tree (sample content, ballots). */
const char *fz_source(const char *rel);

#endif
