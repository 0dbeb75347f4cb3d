/*
 * qr.h - QR codes as a matrix of modules, for the kiosk's cards and printed code
 * sheets.  Encoding is libqrencode's; this module only hides its types and allocator
 * so callers deal in plain ints.  Error correction level M: readable when a corner is
 * scuffed, still small enough for a web address to fit a card.
 */
#ifndef QR_H
#define QR_H

#include "kc.h"

typedef struct qr_code qr_code;

/* Longest text encoded, bytes (a long sign-up URL fits; a novel does not). */
#define QR_TEXT_MAX 1024

kc_err qr_encode(const char *text, qr_code **out);
void qr_free(qr_code *q);
/* Modules per side, without the quiet zone (callers leave 4 modules blank around). */
int qr_size(const qr_code *q);
/* 1 when the module at column x, row y is dark. */
int qr_dark(const qr_code *q, int x, int y);

/* A MECARD contact ("add to contacts" on a phone) for a person or an office:
 * name (required), org, tel, email may be NULL.  Every field is escaped (\ ; , :
 * get a backslash): unescaped, "Coordinator, culture" became last name "Coordinator"
 * and first name "culture".  KC_ETOOBIG when it does not fit cap (out is then "");
 * KC_EINVAL without a name or with neither tel nor email. */
kc_err qr_mecard(const char *name, const char *org, const char *tel, const char *email,
                 char *out, size_t cap);

#endif
