/*
 * srvdb_impl.h - the srvdb handle, shared by srvdb.c (backend dispatch) and
 * srvdb_docs.c (document imports and ballot rows).  Not for other modules.
 */
#ifndef SRVDB_IMPL_H
#define SRVDB_IMPL_H

#include "srvdb.h"

struct srvdb {
    const srvdb_backend *be;
    void *impl;
    char msg[KC_MSGMAX];
};

/* The extracted form of every row of b (kc_free *rows); KC_EINVAL naming the row when
 * a ballot or ballot-code payload breaks docs/ballot-format.md. */
kc_err srvdb_rows_from_batch_(const proto_batch *b, srvdb_row **rows, char *msg);

#endif
