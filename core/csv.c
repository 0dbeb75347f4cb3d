#include "csv.h"
#include "kc.h"
#include "safetext.h"

#include <string.h>

int csv_bom(FILE *f)
{
    return fputs("\xEF\xBB\xBF", f) < 0 ? -1 : 0;
}

int csv_sep(FILE *f)
{
    return fputc(';', f) == EOF ? -1 : 0;
}

int csv_eol(FILE *f)
{
    return fputs("\r\n", f) < 0 ? -1 : 0;
}

int csv_text(FILE *f, const char *s)
{
    if (fputc('"', f) == EOF)
        return -1;
    /* The formula check looks at the first character that is written, after any
     * invisible ones are dropped. */
    while (s && *s && safetext_unwanted_len(s))
        s += safetext_unwanted_len(s);
    if (s && strchr("=+-@\t\r", s[0]) && s[0] && fputc('\'', f) == EOF)
        return -1;
    /* Written in runs between the characters that need care: a byte at a time took a
     * tenth of a large export's time. */
    const char *run = s;
    while (s && *s) {
        size_t skip = safetext_unwanted_len(s);
        if (!skip && *s != '"') {
            s++;
            continue;
        }
        size_t n = (size_t)(s - run);
        if (n && fwrite(run, 1, n, f) != n)
            return -1;
        if (skip) {
            s += skip;
            run = s;
        } else {  /* a quote: doubled, the second one starting the next run */
            if (fputc('"', f) == EOF)
                return -1;
            run = s++;
        }
    }
    size_t n = s ? (size_t)(s - run) : 0;
    if (n && fwrite(run, 1, n, f) != n)
        return -1;
    return fputc('"', f) == EOF ? -1 : 0;
}

int csv_number(FILE *f, double v, int decimals)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.*f", decimals, v);
    char *dot = strchr(buf, '.');
    if (dot)
        *dot = ',';  /* Finnish decimal comma */
    return fputs(buf, f) < 0 ? -1 : 0;
}

int csv_int(FILE *f, long long v)
{
    return fprintf(f, "%lld", v) < 0 ? -1 : 0;
}

static int per_option(const survey_question *q)
{
    return q->type == SURVEY_MULTI || q->type == SURVEY_TOP;
}

size_t csv_answer_columns(const survey_question *q, const answer_options *o)
{
    return per_option(q) ? o->n : 1;
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

int csv_answer_heads(FILE *f, const survey_question *q, const answer_options *o,
                     const cat_langs *pref)
{
    const char *qt = or_empty(cat_text_pick(q->text, pref, NULL));
    char head[1024];
    if (!per_option(q)) {
        snprintf(head, sizeof head, "%s %s", q->id, qt);
        return csv_sep(f) || csv_text(f, head);
    }
    for (size_t i = 0; i < o->n; i++) {
        snprintf(head, sizeof head, "%s %s: %s", q->id, qt, or_empty(o->text(o->ctx, i, pref)));
        if (csv_sep(f) || csv_text(f, head))
            return -1;
    }
    return 0;
}

/* Free-text entries as lines of one cell. */
static int text_cell(FILE *f, const json_t *v)
{
    if (json_is_string(v))
        return csv_text(f, json_string_value(v));
    char *buf = answer_lines(v);
    if (!buf)
        return -1;
    int r = csv_text(f, buf);
    kc_free(buf);
    return r;
}

static long option_index(const answer_options *o, const char *id)
{
    for (size_t i = 0; id && i < o->n; i++) {
        const char *x = o->id(o->ctx, i);
        if (x && strcmp(x, id) == 0)
            return (long)i;
    }
    return -1;
}

/* The cell of column col (an option index for per-option questions). */
static int cell(FILE *f, const survey_question *q, const answer_options *o, const cat_langs *pref,
                const json_t *v, size_t col)
{
    switch (q->type) {
    case SURVEY_SINGLE: {
        long k = json_is_string(v) ? option_index(o, json_string_value(v)) : -1;
        return k < 0 ? 0 : csv_text(f, or_empty(o->text(o->ctx, (size_t)k, pref)));
    }
    case SURVEY_MULTI:
    case SURVEY_TOP: {
        const char *want = o->id(o->ctx, col);
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) {
            if (want && json_is_string(e) && strcmp(json_string_value(e), want) == 0)
                return csv_int(f, q->type == SURVEY_TOP && q->ranked ? (long long)i + 1 : 1);
        }
        return 0;
    }
    case SURVEY_SCALE:
    case SURVEY_NUMBER:
        return json_is_number(v) ? csv_number(f, json_number_value(v),
                                              q->type == SURVEY_NUMBER ? q->decimals : 0)
                                 : 0;
    case SURVEY_TEXT:
        return text_cell(f, v);
    case SURVEY_NQTYPE:
        break;
    }
    return 0;
}

int csv_answer_cells(FILE *f, const survey_question *q, const answer_options *o,
                     const cat_langs *pref, const json_t *v)
{
    size_t n = csv_answer_columns(q, o);
    for (size_t col = 0; col < n; col++)
        if (csv_sep(f) || (v && cell(f, q, o, pref, v, col)))
            return -1;
    return 0;
}
