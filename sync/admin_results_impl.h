/*
 * admin_results_impl.h - what the results pages' files share (admin_results.c,
 * admin_results_export.c).  Not for other modules.
 */
#ifndef ADMIN_RESULTS_IMPL_H
#define ADMIN_RESULTS_IMPL_H

#include "admin_impl.h"
#include "srvdb_results.h"

/* The kiosks a request may see (coordinators: theirs; `kiosk=`: that one). */
typedef struct dev {
    long long id;
    char name[SRVDB_NAME_MAX + 1];
} dev;

typedef struct devs {
    adm_ctx *x;
    const char *only;     /* the `kiosk` argument, NULL for all */
    dev *v;
    size_t n, cap;
    long long max_id;
    int limited;          /* the answer is limited to v */
} devs;

/* Reads the period (`from`, `to`) and `kiosk` arguments into f, with the kiosks the
 * account may see; *ids (kc_free it, and ds->v) backs f->devices.  -1 after a failure
 * reply. */
int adm_res_filter(adm_ctx *x, devs *ds, srvdb_fb_filter *f, long long **ids);
/* A device's name among ds, "" when it is not one of them. */
const char *adm_res_kiosk(const devs *ds, long long id);

#endif
