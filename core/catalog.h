/*
 * catalog.h - what a catalog item is: kinds, languages, themes and the field table.
 *
 * The field table is the single description of the content format: the importer
 * validates against it, the exporter writes it, the store extracts its indexed
 * columns from it and the kiosk's detail card shows fields in its order.  Adding a
 * field means adding one row here (and a line in docs/content-format.md).
 *
 * A cat_item owns every string it points to; cat_item_clear() frees them and leaves
 * an empty item that can be filled again.  Nothing here touches the database or JSON.
 */
#ifndef CATALOG_H
#define CATALOG_H

#include <stddef.h>

typedef enum cat_kind {
    CAT_ASSOCIATION, CAT_OPPORTUNITY, CAT_VENUE, CAT_EVENT, CAT_GRANT, CAT_CONTACT,
    CAT_NKIND
} cat_kind;

typedef enum cat_lang { CAT_FI, CAT_SV, CAT_EN, CAT_NLANG } cat_lang;

typedef enum cat_type {
    CAT_T_TEXT,     /* object {"fi","sv","en"}, at least one present */
    CAT_T_STR,      /* plain string, not translated (a person's name) */
    CAT_T_URL,      /* http:// or https:// address */
    CAT_T_EMAIL,
    CAT_T_PHONE,
    CAT_T_INT,      /* integer in 0..max */
    CAT_T_DATE,     /* "YYYY-MM-DD" */
    CAT_T_DATETIME, /* "YYYY-MM-DDTHH:MM", Finnish local time */
    CAT_T_ENUM,     /* one of enum_vals */
    CAT_T_ENUMS,    /* array of distinct enum_vals, stored as a bit set */
    CAT_T_REF,      /* id of another item, of kind ref_kind */
    CAT_T_AREA,     /* id of an area */
} cat_type;

/* Field indexes: item->v[CAT_F_NAME] and so on.  Order is display order. */
typedef enum cat_fid {
    CAT_F_NAME, CAT_F_STATUS, CAT_F_DESCRIPTION, CAT_F_THEMES, CAT_F_TARGET_GROUPS, CAT_F_AREA,
    CAT_F_LANGUAGES, CAT_F_ORGANISER, CAT_F_VENUE, CAT_F_EVENT_TYPE, CAT_F_START,
    CAT_F_END, CAT_F_WHEN, CAT_F_TIME_NEEDED, CAT_F_SUITS, CAT_F_PRICE,
    CAT_F_CAPACITY, CAT_F_EQUIPMENT, CAT_F_BOOKING, CAT_F_GRANT_TYPE, CAT_F_DEADLINE,
    CAT_F_AMOUNT, CAT_F_WHO_CAN_APPLY, CAT_F_CRITERIA, CAT_F_ROLE, CAT_F_UNIT,
    CAT_F_MEETING_PLACE, CAT_F_ADDRESS, CAT_F_DIRECTIONS, CAT_F_OPENING_HOURS,
    CAT_F_ACCESSIBILITY, CAT_F_CONTACT_NAME, CAT_F_PHONE, CAT_F_EMAIL, CAT_F_WEB,
    CAT_F_SIGNUP_URL, CAT_F_SIGNUP_HOW, CAT_F_CONTACT_PERSON,
    CAT_NFIELD
} cat_fid;

#define CAT_KIND_BIT(k) (1u << (k))
#define CAT_ALL_KINDS ((1u << CAT_NKIND) - 1)

typedef struct cat_field {
    const char *key;                 /* JSON key */
    cat_type type;
    unsigned kinds;                  /* kinds that may have the field */
    unsigned required;               /* kinds that must have it */
    long long max;                   /* bytes per string, or largest INT */
    const char *const *enum_vals;    /* NULL-terminated, for ENUM and ENUMS */
    int ref_kind;                    /* for REF */
} cat_field;

extern const cat_field cat_fields[CAT_NFIELD];

/* Longest id of an item or area, in bytes; ids are [a-z0-9._-]. */
#define CAT_ID_MAX 64

typedef struct cat_value {
    int present;
    char *text[CAT_NLANG];  /* TEXT: per language, NULL when missing */
    char *str;              /* STR URL EMAIL PHONE DATE DATETIME ENUM REF AREA */
    long long num;          /* INT */
    unsigned bits;          /* ENUMS: bit i set = enum_vals[i] */
} cat_value;

typedef struct cat_item {
    char *id;
    cat_kind kind;
    long long rev;          /* 0 until stored */
    int deleted;            /* a tombstone has only id, kind and rev */
    cat_value v[CAT_NFIELD];
} cat_item;

void cat_item_clear(cat_item *it);

const char *cat_kind_name(cat_kind k);           /* "association", ... */
int cat_kind_from_name(const char *s);           /* -1 when unknown */
const char *cat_lang_code(cat_lang l);           /* "fi", "sv", "en" */
int cat_lang_from_code(const char *s);           /* -1 when unknown */
int cat_enum_index(const char *const *vals, const char *s);  /* -1 when unknown */

extern const char *const cat_themes[];       /* ids, NULL-terminated */
extern const char *const cat_languages[];    /* languages served: ISO 639-1 */

/* A language preference: the wanted language first, then the fallbacks. */
typedef struct cat_langs { cat_lang order[CAT_NLANG]; } cat_langs;

/* Wanted language first, then the rest in the default fallback order fi, sv, en. */
cat_langs cat_langs_for(cat_lang wanted);
/* Wanted language first, then the rest in the order of `fallback`. */
cat_langs cat_langs_with(cat_lang wanted, const cat_langs *fallback);

/* Parses "sv,fi,en" (any subset, any order; missing ones appended in fi,sv,en order).
 * Returns 0, or -1 on an unknown or repeated code. */
int cat_langs_parse(const char *s, cat_langs *out);

/* The text in the first language of `pref` that has one; *used (may be NULL) gets
 * that language, so the UI can say "in Finnish".  NULL when no language has text. */
const char *cat_text_pick(char *const text[CAT_NLANG], const cat_langs *pref,
                          cat_lang *used);

/* 1 when s is an id: 1..max bytes of [a-z0-9._-]. */
int cat_valid_id(const char *s, size_t max);
/* 1 when text holds no control characters but line feed and tab (no other C0, no
 * DEL, no C1): what every stored text of the kiosk's formats allows. */
int cat_clean_text(const char *s);

/* Checks "YYYY-MM-DD" (len 10) or "YYYY-MM-DDTHH:MM" (len 16) as a real calendar
 * date/time.  Returns 1 when valid. */
int cat_valid_date(const char *s);
int cat_valid_datetime(const char *s);

#endif
