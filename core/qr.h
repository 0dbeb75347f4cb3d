/*
 * qr.h - QR codes as a matrix of modules, for the kiosk's cards and printed code
 * sheets.  Encoding is libqrencode's; this module only hides its types and allocator
 * so callers deal in plain ints.  Error correction level M: readable when a corner is
 * scuffed, still small enough for a web address to fit a card.
 */
#ifndef QR_H
#define QR_H

#include "catalog.h"
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

/* The contact card of a catalog item, in the first language of pref that has text:
 * N is the contact person (contact_name) or, without one, the item's name; ORG is the
 * city unit of a contact item, else the item itself when a person was named (the
 * association, the venue).  KC_EINVAL when the item has neither phone nor e-mail. */
kc_err qr_item_mecard(const cat_item *it, const cat_langs *pref, char *out, size_t cap);

/* A link that opens directions to a street address on a phone: OpenStreetMap's search
 * for the address, percent-encoded (UTF-8 bytes; letters, digits and -._~ kept).
 * KC_EINVAL for an empty address, KC_ETOOBIG when it does not fit cap (out is ""). */
kc_err qr_directions_url(const char *address, char *out, size_t cap);

#endif
