/*
 * ksettings.h - a kiosk's own settings as the city console sets them and the sync
 * server delivers them (docs/protocol.md, "Kiosk settings"), and opening hours.
 *
 * The settings document is one JSON object; every member is optional and null means
 * "not set here" (the kiosk then keeps its kiosk.conf value):
 *
 *   {"place": "Porvoon pääkirjasto",          1-100 bytes of clean text
 *    "hours": {"mon": "08:00-20:00", ..., "sun": "closed"},   all seven days
 *    "idle_s": 120,                            30..600 seconds
 *    "language": "fi",                         fi | sv | en
 *    "surveys": ["library-visit"], "ballots": []}   ids the kiosk shows, at most 200 each
 *
 * The same parser checks what the console sends (the server) and what a kiosk
 * receives, so both sides refuse the same things; the message names the member
 * (`"idle_s": must be 30..600 seconds`) and *field gets its name.
 *
 * Opening hours: per weekday one interval "HH:MM-HH:MM" (00:00..24:00, the close after
 * the open) or "closed".  kiosk.conf writes them in one line: `hours = mon-fri
 * 08:00-20:00, sat 10:00-16:00` (days not named are closed).
 *
 * Ownership: a ksettings owns its lists; ksettings_free releases them.  No I/O, no
 * globals; any thread.
 */
#ifndef KSETTINGS_H
#define KSETTINGS_H

#include <stddef.h>
#include <time.h>

#include "kc.h"

#define KSET_PLACE_MAX 100
#define KSET_IDLE_MIN 30
#define KSET_IDLE_MAX 600
#define KSET_IDS_MAX 200
#define KSET_ID_MAX 64
#define KSET_FIELD_MAX 32
#define KHOURS_SPEC_MAX 400

/* Days Monday first (0) to Sunday (6).  open[d] < 0: closed that day.  Minutes from
 * midnight, close in 1..1440 and after open. */
typedef struct khours {
    int open[7], close[7];
} khours;

typedef struct ksettings {
    char place[KSET_PLACE_MAX + 1];   /* "" = not set */
    int has_hours;
    khours hours;
    int idle_s;                       /* 0 = not set */
    int lang;                         /* cat_lang, -1 = not set */
    int has_lists;                    /* "surveys" and "ballots" were given */
    char **surveys, **ballots;
    size_t nsurveys, nballots;
} ksettings;

/* An empty (nothing set) value, safe to free. */
void ksettings_init(ksettings *s);
void ksettings_free(ksettings *s);
/* Parses a settings document.  with_lists 0 refuses "surveys"/"ballots" (they are
 * not kiosk settings in the console's store but publication, kept apart).  On error
 * *s is empty, field (KSET_FIELD_MAX + 1, may be NULL) names the member and msg says
 * why; KC_EJSON for text that is not a JSON object, KC_EINVAL otherwise. */
kc_err ksettings_parse(const char *json, size_t len, int with_lists, ksettings *s,
                       char *field, char *msg);
/* The settings as compact JSON without the lists, members in a fixed order and unset
 * ones left out (kc_free it); NULL when out of memory. */
char *ksettings_json(const ksettings *s);
/* 1 when the kiosk should show survey (ballot 0) or ballot (ballot 1) id: always when
 * no lists were given. */
int ksettings_shows(const ksettings *s, int ballot, const char *id);

/* One day's "HH:MM-HH:MM" or "closed"; -1 when malformed. */
int khours_parse_day(const char *s, int *open, int *close);
/* The kiosk.conf form; KC_EINVAL with msg (KC_MSGMAX) saying why. */
kc_err khours_parse(const char *spec, khours *h, char *msg);
/* "HH:MM-HH:MM" or "closed" for day d into out (12 bytes). */
void khours_day_text(const khours *h, int d, char out[12]);
/* 1 when open at local time t. */
int khours_open_at(const khours *h, const struct tm *t);
/* Seconds from local time t until the open/closed state next changes, 1..7 days;
 * 7 days when it never changes (open or closed all week). */
long khours_next_change(const khours *h, const struct tm *t);

#endif
