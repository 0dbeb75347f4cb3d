/* server_setup.c - what kiosk-server reads before it listens: the listening address
 * and the TLS certificate and key. */
#include "server_impl.h"

#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/* Largest certificate or key file read. */
#define SRV_PEM_MAX (1024 * 1024)

char *srv_read_pem(const char *path, char *msg)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        kc_fail(msg, KC_EIO, "cannot open %s", path);
        return NULL;
    }
    char *buf = kc_malloc(SRV_PEM_MAX + 1);
    size_t n = buf ? fread(buf, 1, SRV_PEM_MAX + 1, f) : 0;
    fclose(f);
    if (!buf || n == 0 || n > SRV_PEM_MAX) {
        kc_free(buf);
        kc_fail(msg, KC_EIO, "%s: empty, unreadable or over 1 MiB", path);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

/* "HOST:PORT" or "[V6]:PORT" -> address; *v6 set for IPv6. */
kc_err srv_parse_listen(const char *spec, struct sockaddr_storage *sa, int *v6, char *msg)
{
    char host[256];
    const char *port;
    if (spec[0] == '[') {
        const char *e = strchr(spec, ']');
        if (!e || e[1] != ':' || (size_t)(e - spec - 1) >= sizeof host)
            return kc_fail(msg, KC_EUSAGE, "--listen: expected [ADDRESS]:PORT");
        memcpy(host, spec + 1, (size_t)(e - spec - 1));
        host[e - spec - 1] = '\0';
        port = e + 2;
    } else {
        const char *e = strrchr(spec, ':');
        if (!e || (size_t)(e - spec) >= sizeof host)
            return kc_fail(msg, KC_EUSAGE, "--listen: expected HOST:PORT");
        memcpy(host, spec, (size_t)(e - spec));
        host[e - spec] = '\0';
        port = e + 1;
    }
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
    int g = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
    if (g || !res)
        return kc_fail(msg, KC_EUSAGE, "--listen %s: %s", spec, gai_strerror(g));
    memcpy(sa, res->ai_addr, res->ai_addrlen);
    *v6 = res->ai_family == AF_INET6;
    freeaddrinfo(res);
    return KC_OK;
}
