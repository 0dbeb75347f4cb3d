/* facts.c - the fact a list row leads with (facts.h). */
#include "facts.h"

#include <stdio.h>
#include <string.h>

#include "when.h"

#define SEP " \xc2\xb7 "
/* Marks a translation key in a table (scripts/po-check.py finds them, and the
 * tr(c, ...) / trn(c, ...) calls, in this file). */
#define N_(s) s

static const char *tr(const facts_ctx *c, const char *key)
{
    const char *s = c->w && c->w->tr ? c->w->tr(c->w->ud, c->lang, key) : NULL;
    return s && *s ? s : key;
}

static const char *trn(const facts_ctx *c, const char *one, const char *many,
                       unsigned long n)
{
    const char *s = c->w && c->w->ntr ? c->w->ntr(c->w->ud, c->lang, one, many, n) : NULL;
    return s && *s ? s : n == 1 ? one : many;
}

/* snprintf cuts bytes; a cut inside a UTF-8 sequence would leave half a letter. */
static void utf8_trim(char *out, size_t cap)
{
    size_t n = strlen(out);
    if (n + 1 < cap || n == 0)
        return;
    size_t i = n;
    while (i > 0 && ((unsigned char)out[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)out[i - 1];
    size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (n - (i - 1) < want)
        out[i - 1] = '\0';
}

/* Appends part after SEP (or alone when out is empty); a NULL or empty part is skipped. */
static void add(char *out, size_t cap, const char *part)
{
    if (!part || !*part || cap == 0)
        return;
    size_t n = strlen(out);
    if (n + 1 >= cap)
        return;
    snprintf(out + n, cap - n, "%s%s", n ? SEP : "", part);
    utf8_trim(out, cap);
}

static const char *text(const facts_ctx *c, const cat_item *it, cat_fid f)
{
    const cat_value *v = &it->v[f];
    if (!v->present)
        return NULL;
    if (cat_fields[f].type != CAT_T_TEXT)
        return v->str;
    cat_langs def = cat_langs_for(c->lang);
    return cat_text_pick(v->text, c->pref ? c->pref : &def, NULL);
}

void facts_date(const char *date, const char *today, cat_lang lang, char *out, size_t cap)
{
    when_date(date, today, lang, out, cap);
}

void facts_deadline(const facts_ctx *c, const char *date, char *out, size_t cap)
{
    if (cap == 0)
        return;
    out[0] = '\0';
    if (!date || !cat_valid_date(date))
        return;
    /* "YYYY-MM-DD" strings of one format compare as the dates do. */
    int cmp = c->today ? strncmp(date, c->today, 10) : 1;
    if (cmp < 0) {
        snprintf(out, cap, "%s", tr(c, "Applications closed"));
    } else if (cmp == 0) {
        snprintf(out, cap, "%s", tr(c, "Last day to apply: today"));
    } else {
        char d[40];
        when_date(date, c->today, c->lang, d, sizeof d);
        snprintf(out, cap, tr(c, "Apply by %s"), d);
    }
    utf8_trim(out, cap);
}

void facts_venue(const facts_ctx *c, const char *price, long long capacity, char *out,
                 size_t cap)
{
    if (cap == 0)
        return;
    out[0] = '\0';
    static const char *const price_keys[] = { N_("Free"), N_("Low cost"), N_("Rented") };
    int pi = price ? cat_enum_index(cat_fields[CAT_F_PRICE].enum_vals, price) : -1;
    if (pi >= 0 && pi < (int)(sizeof price_keys / sizeof price_keys[0]))
        add(out, cap, tr(c, price_keys[pi]));
    if (capacity >= 0) {
        char n[80];
        snprintf(n, sizeof n, trn(c, "max %lld person", "max %lld people",
                                  (unsigned long)capacity),
                 capacity);
        add(out, cap, n);
    }
}

/* An event: status when not as planned, day and time, and where. */
static void event_fact(const facts_ctx *c, const cat_item *it, const char *place,
                       const char *area, char *out, size_t cap)
{
    static const char *const status_keys[] = { N_("Cancelled"), N_("Postponed"),
                                                N_("Rescheduled") };
    const cat_value *st = &it->v[CAT_F_STATUS];
    int si = st->present ? cat_enum_index(cat_fields[CAT_F_STATUS].enum_vals, st->str) : -1;
    if (si >= 0 && si < (int)(sizeof status_keys / sizeof status_keys[0]))
        add(out, cap, tr(c, status_keys[si]));
    const cat_value *start = &it->v[CAT_F_START];
    const cat_value *end = &it->v[CAT_F_END];
    if (start->present) {
        char when[80];
        /* An event that began before today and runs on is on today. */
        if (c->today && end->present && strncmp(start->str, c->today, 10) < 0 &&
            strncmp(end->str, c->today, 10) >= 0) {
            char t[12];
            snprintf(t, sizeof t, "%.10s", c->today);
            when_day(t, c->today, c->lang, when, sizeof when);
        } else {
            when_format(start->str, c->today, c->lang, when, sizeof when);
        }
        add(out, cap, when);
    } else {
        add(out, cap, text(c, it, CAT_F_WHEN));
    }
    const char *where = place && *place ? place : text(c, it, CAT_F_ADDRESS);
    add(out, cap, where && *where ? where : area);
}

void facts_row(const facts_ctx *c, const cat_item *it, const char *place, const char *area,
               char *out, size_t cap)
{
    if (cap == 0)
        return;
    out[0] = '\0';
    char part[200];
    switch (it->kind) {
    case CAT_EVENT:
        event_fact(c, it, place, area, out, cap);
        return;
    case CAT_GRANT:
        if (it->v[CAT_F_DEADLINE].present) {
            facts_deadline(c, it->v[CAT_F_DEADLINE].str, part, sizeof part);
            add(out, cap, part);
        }
        add(out, cap, text(c, it, CAT_F_AMOUNT));
        break;
    case CAT_VENUE:
        facts_venue(c, it->v[CAT_F_PRICE].present ? it->v[CAT_F_PRICE].str : NULL,
                    it->v[CAT_F_CAPACITY].present ? it->v[CAT_F_CAPACITY].num : -1, part,
                    sizeof part);
        add(out, cap, part);
        break;
    case CAT_OPPORTUNITY: {
        const char *when = text(c, it, CAT_F_WHEN);
        add(out, cap, when ? when : text(c, it, CAT_F_TIME_NEEDED));
        if (place && *place) {
            add(out, cap, place);
            return;
        }
        break;
    }
    case CAT_ASSOCIATION: {
        const char *mp = text(c, it, CAT_F_MEETING_PLACE);
        if (mp) {
            add(out, cap, mp);
            return;  /* the meeting place says where */
        }
        break;
    }
    case CAT_CONTACT:
        add(out, cap, text(c, it, CAT_F_ROLE));
        add(out, cap, text(c, it, CAT_F_UNIT));
        if (!out[0])
            add(out, cap, area);
        return;  /* the unit says where */
    default:
        break;
    }
    add(out, cap, area);
}
