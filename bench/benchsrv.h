/*
 * benchsrv.h - a real kiosk-server for the benchmarks (bench_sync, bench_fleet): a
 * child process on 127.0.0.1 with a free port, found through a port file.
 * Bench-only: a failure ends the program with a message.
 */
#ifndef BENCHSRV_H
#define BENCHSRV_H

#include <sys/types.h>

typedef struct bench_server {
    pid_t pid;
    char url[64];
} bench_server;

/* Starts bin --db db quietly with 4 threads, the simulated kiosks all allowed from one
 * address (per_address connections each; real kiosks each have their own) and
 * max_connections (0: the server's default).  The port file is dir/port-TAG. */
void bench_server_start(bench_server *s, const char *bin, const char *db, const char *dir,
                        const char *tag, int per_address, int max_connections);
/* SIGTERM, and waits for it to end. */
void bench_server_stop(bench_server *s);

#endif
