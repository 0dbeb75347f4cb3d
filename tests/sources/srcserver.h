/*
 * srcserver.h - a small open-data API on loopback (libmicrohttpd, a random port) for
 * the source-import tests and `make bench`.
 *
 * Files: GET /a/b/ (or /a/b) serves ROOT/a/b.json, with ?page=N ROOT/a/b.N.json;
 * "{BASE}" in a file becomes "http://127.0.0.1:PORT", so fixtures can carry the
 * absolute next links the real APIs send.  Files are read per request, so a test
 * may change them between runs.  Every answer has an ETag (a hash of the body) and a
 * matching If-None-Match gets 304.
 * Faults: /status/500 answers 500; /hang says nothing for 10 s (or until stop).
 * Generated: /gen/event/?page=N is page N of `events` Linked Events events over
 * `places` places, 100 per page, each with its place embedded; the same bytes
 * every time.  With ?plain=1 (also in its next links) no page has an ETag: an API
 * that sends no validators.
 *
 * Threads: one per connection inside libmicrohttpd; the counters are atomic.
 */
#ifndef SRCSERVER_H
#define SRCSERVER_H

typedef struct srcserver srcserver;

/* NULL when the daemon cannot start.  root may be NULL (generated pages only). */
srcserver *srcserver_start(const char *root, long events, long places);
int srcserver_port(const srcserver *s);
/* "http://127.0.0.1:PORT" */
const char *srcserver_base(const srcserver *s);
/* Requests answered 200 and 304 so far. */
long srcserver_count(const srcserver *s, int status);
void srcserver_stop(srcserver *s);

#endif
