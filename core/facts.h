/*
 * facts.h - the one fact a list row leads with, per item kind, as a resident needs it:
 *   event        "Tänään klo 18 · Pääkirjasto", "ti 1.12. klo 18 · Gammelbacka"
 *   grant        "Haku päättyy 15.1. · max 5 000 €", "Haku päättynyt"
 *   venue        "Maksuton · 40 hlöä"
 *   opportunity  "Torstaisin klo 13–15" (its `when`, else `time_needed`)
 *   association  its meeting place;  contact  "role · unit"
 * followed by the area when the fact does not already say where.
 *
 * No SDL and no i18n file reading: the words come through `facts_words` (the kiosk
 * passes its .po lookups, so translators find them with every other UI string and
 * counts take gettext's plural forms); dates and times are core/when.c's.
 * Output is always NUL-terminated and cut to cap (never mid-character).
 */
#ifndef FACTS_H
#define FACTS_H

#include <stddef.h>

#include "catalog.h"

typedef struct facts_words {
    void *ud;
    /* The translation of an English key in lang; the key itself when there is none. */
    const char *(*tr)(void *ud, cat_lang lang, const char *key);
    /* gettext's ngettext: the form of one/many for n in lang. */
    const char *(*ntr)(void *ud, cat_lang lang, const char *one, const char *many,
                       unsigned long n);
} facts_words;

typedef struct facts_ctx {
    cat_lang lang;            /* the language shown */
    const cat_langs *pref;    /* for TEXT fields: lang first, then the fallbacks */
    const char *today;        /* "YYYY-MM-DD" */
    const facts_words *w;
} facts_ctx;

/* The row's fact for item it.  place: the name of the item's venue (events, tasks),
 * or NULL; area: the area's name, or NULL.  An item with nothing to say gives area,
 * or "". */
void facts_row(const facts_ctx *c, const cat_item *it, const char *place, const char *area,
               char *out, size_t cap);

/* A grant's deadline alone: "Haku päättyy 15.1." / "Haku päättyy tänään" /
 * "Haku päättynyt"; "" for a malformed date. */
void facts_deadline(const facts_ctx *c, const char *date, char *out, size_t cap);

/* A venue's price and capacity: "Maksuton · 40 hlöä"; either may be missing
 * (price NULL, capacity < 0). */
void facts_venue(const facts_ctx *c, const char *price, long long capacity, char *out,
                 size_t cap);

/* A date without weekday, as a deadline is said: "15.1." / "15.1.2028" (fi, sv),
 * "15 Jan" / "15 Jan 2028" (en); the year only when it is not today's. */
void facts_date(const char *date, const char *today, cat_lang lang, char *out, size_t cap);

#endif
