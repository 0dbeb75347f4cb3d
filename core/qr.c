#include "qr.h"

#include <errno.h>
#include <qrencode.h>
#include <string.h>

struct qr_code {
    int size;
    unsigned char *dark;  /* size*size bytes, 1 = dark */
};

kc_err qr_encode(const char *text, qr_code **out)
{
    *out = NULL;
    size_t len = strlen(text);
    if (len == 0 || len > QR_TEXT_MAX)
        return KC_ETOOBIG;
    QRcode *c = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
    if (!c)
        return errno == ENOMEM ? KC_ENOMEM : KC_EINVAL;
    qr_code *q = kc_malloc(sizeof *q);
    unsigned char *d = kc_malloc((size_t)c->width * (size_t)c->width);
    if (!q || !d) {
        kc_free(q);
        kc_free(d);
        QRcode_free(c);
        return KC_ENOMEM;
    }
    for (int i = 0; i < c->width * c->width; i++)
        d[i] = c->data[i] & 1;  /* libqrencode: bit 0 is the module's colour */
    q->size = c->width;
    q->dark = d;
    QRcode_free(c);
    *out = q;
    return KC_OK;
}

void qr_free(qr_code *q)
{
    if (!q)
        return;
    kc_free(q->dark);
    kc_free(q);
}

int qr_size(const qr_code *q)
{
    return q->size;
}

int qr_dark(const qr_code *q, int x, int y)
{
    if (x < 0 || y < 0 || x >= q->size || y >= q->size)
        return 0;
    return q->dark[y * q->size + x];
}

/* Appends "TAG:value;" with MECARD's reserved characters escaped. */
static int mecard_field(char *out, size_t cap, size_t *n, const char *tag, const char *v)
{
    size_t tl = strlen(tag);
    if (*n + tl + 1 >= cap)
        return -1;
    memcpy(out + *n, tag, tl);
    *n += tl;
    for (; *v; v++) {
        int esc = *v == '\\' || *v == ';' || *v == ',' || *v == ':';
        if (*n + (size_t)esc + 2 >= cap)
            return -1;
        if (esc)
            out[(*n)++] = '\\';
        out[(*n)++] = *v == '\n' || *v == '\r' ? ' ' : *v;
    }
    out[(*n)++] = ';';
    out[*n] = '\0';
    return 0;
}

kc_err qr_mecard(const char *name, const char *org, const char *tel, const char *email,
                 char *out, size_t cap)
{
    if (!cap)
        return KC_ETOOBIG;
    out[0] = '\0';
    if (!name || !name[0] || ((!tel || !tel[0]) && (!email || !email[0])))
        return KC_EINVAL;
    size_t n = 0;
    if (mecard_field(out, cap, &n, "MECARD:N:", name) ||
        (org && org[0] && mecard_field(out, cap, &n, "ORG:", org)) ||
        (tel && tel[0] && mecard_field(out, cap, &n, "TEL:", tel)) ||
        (email && email[0] && mecard_field(out, cap, &n, "EMAIL:", email)) || n + 2 > cap) {
        out[0] = '\0';
        return KC_ETOOBIG;
    }
    out[n++] = ';';  /* MECARD ends with an empty field */
    out[n] = '\0';
    return KC_OK;
}

kc_err qr_item_mecard(const cat_item *it, const cat_langs *pref, char *out, size_t cap)
{
    if (cap)
        out[0] = '\0';
    const cat_value *ph = &it->v[CAT_F_PHONE], *em = &it->v[CAT_F_EMAIL];
    if (!ph->present && !em->present)
        return KC_EINVAL;
    const char *item = cat_text_pick(it->v[CAT_F_NAME].text, pref, NULL);
    const char *who = it->v[CAT_F_CONTACT_NAME].present ? it->v[CAT_F_CONTACT_NAME].str : item;
    /* A city contact belongs to its unit ("Porvoon kaupunki, hyvinvoinnin
     * edistäminen"); anything else with a named person is that person's organisation. */
    const char *org = NULL;
    if (it->kind == CAT_CONTACT && it->v[CAT_F_UNIT].present)
        org = cat_text_pick(it->v[CAT_F_UNIT].text, pref, NULL);
    if (!org && who != item)
        org = item;
    return qr_mecard(who, org, ph->present ? ph->str : NULL, em->present ? em->str : NULL,
                     out, cap);
}

kc_err qr_directions_url(const char *address, char *out, size_t cap)
{
    static const char base[] = "https://www.openstreetmap.org/search?query=";
    static const char hex[] = "0123456789ABCDEF";
    if (cap)
        out[0] = '\0';
    if (!address || !address[0])
        return KC_EINVAL;
    size_t n = sizeof base - 1;
    if (n + 1 > cap)
        return KC_ETOOBIG;
    memcpy(out, base, n);
    for (const unsigned char *p = (const unsigned char *)address; *p; p++) {
        int keep = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                   (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' ||
                   *p == '~';
        if (n + (keep ? 1 : 3) + 1 > cap) {
            out[0] = '\0';
            return KC_ETOOBIG;
        }
        if (keep) {
            out[n++] = (char)*p;
        } else {
            /* a line break in an address is a separator like a space */
            unsigned char c = *p == '\n' || *p == '\t' ? ' ' : *p;
            out[n++] = '%';
            out[n++] = hex[c >> 4];
            out[n++] = hex[c & 15];
        }
    }
    out[n] = '\0';
    return KC_OK;
}
