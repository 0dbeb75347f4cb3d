/*
 * server_impl.h - pieces of the server split out of server.c (server_setup.c).
 * Not for other modules: they use server.h.
 */
#ifndef SERVER_IMPL_H
#define SERVER_IMPL_H

#include <sys/socket.h>
#include "kc.h"

/* A PEM file of at most 1 MiB, NUL-terminated (kc_free it); NULL with msg set. */
char *srv_read_pem(const char *path, char *msg);
/* "HOST:PORT" or "[V6]:PORT" -> address; *v6 set for IPv6. */
kc_err srv_parse_listen(const char *spec, struct sockaddr_storage *sa, int *v6, char *msg);

#endif
