/*
 * i18n.h - the kiosk's UI strings from assets/i18n/{fi,sv,en}.po (gettext format).
 *
 * Why not libintl: gettext binds translations to the process locale, while the kiosk
 * switches language per resident, instantly, many times an hour, and must not depend
 * on which system locales are generated.  A .po file is a simple text format; this
 * module reads the subset gettext writes (msgid/msgstr, multi-line strings, escapes,
 * comments, plural entries with msgid_plural, msgstr[0] and msgstr[1]; msgctxt is not
 * used by the kiosk and is rejected).
 *
 * Keys are the English source strings.  A missing or empty translation gives the
 * key itself, so a half-translated file still shows something readable.
 * The handle is read-only after loading; any thread may look up.
 */
#ifndef I18N_H
#define I18N_H

#include "catalog.h"
#include "kc.h"

typedef struct i18n i18n;

/* Loads DIR/fi.po, DIR/sv.po, DIR/en.po.  A missing file is an error; a malformed
 * one names the file and line. */
kc_err i18n_load(const char *dir, i18n **out, char *msg);
void i18n_free(i18n *t);
const char *i18n_tr(const i18n *t, cat_lang lang, const char *key);
/* gettext's ngettext(): the form of key / key_plural for the count n, by the plural
 * rule of lang (fi, sv and en: nplurals=2, plural=(n != 1)).  An entry missing, empty
 * or for another key_plural gives key (n == 1) or key_plural, like i18n_tr. */
const char *i18n_ntr(const i18n *t, cat_lang lang, const char *key, const char *key_plural,
                     unsigned long n);
/* Number of translated (non-empty) entries for lang; for tests and coverage. */
size_t i18n_count(const i18n *t, cat_lang lang);

#endif
