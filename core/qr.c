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
