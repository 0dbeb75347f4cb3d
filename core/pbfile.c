/* pbfile.c - pabulib .pb files in and out. */
#include "pbfile.h"

#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* --- writing --------------------------------------------------------------------------- */

/* A value as the format's CSV writes it: quoted when it holds ';', '"' or a line break. */
static int field(FILE *f, const char *s)
{
    if (!strpbrk(s, ";\"\n\r"))
        return fputs(s, f) < 0 ? -1 : 0;
    if (fputc('"', f) == EOF)
        return -1;
    for (; *s; s++) {
        char c = *s == '\n' || *s == '\r' ? ' ' : *s;  /* one row per line */
        if ((c == '"' && fputc('"', f) == EOF) || fputc(c, f) == EOF)
            return -1;
    }
    return fputc('"', f) == EOF ? -1 : 0;
}

static const char *rule_name(const ballot *b)
{
    switch (ballot_get_method(b)) {
    case BALLOT_GREEDY: return "greedy";
    case BALLOT_GREEDY_NO_SKIP: return "greedy-no-skip";
    case BALLOT_GREEDY_THRESHOLD: return "greedy-threshold";
    case BALLOT_EQUAL_SHARES: return ballot_mes_add_one(b) ? "equalshares/add1" : "equalshares";
    }
    return "unknown";
}

/* "2026-11-16" -> "16.11.2026", the format's date. */
static void pb_date(const char *iso, char out[11])
{
    snprintf(out, 11, "%.2s.%.2s.%.4s", iso + 8, iso + 5, iso);
}

static kc_err write_votes(const tally *t, FILE *f)
{
    size_t n = tally_nballots(t), paper = 0;
    size_t *perm = kc_malloc((n ? n : 1) * sizeof *perm);
    if (!perm)
        return KC_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *idx;
        tally_source src;
        tally_ballot_picks(t, i, &idx, &src);
        paper += src == TALLY_PAPER;
        perm[i] = i;
    }
    /* Fisher-Yates with the system's random numbers: the order of the rows says nothing
     * about the order of voting, and voter ids are given after shuffling */
    for (size_t i = n; i > 1; i--) {
        size_t k = randombytes_uniform((uint32_t)i), x = perm[i - 1];
        perm[i - 1] = perm[k];
        perm[k] = x;
    }
    const ballot *b = tally_ballot(t);
    int bad = fprintf(f, "VOTES\nvoter_id;vote%s\n", paper ? ";voting_method" : "") < 0;
    for (size_t i = 0; i < n && !bad; i++) {
        const unsigned char *idx;
        tally_source src;
        size_t k = tally_ballot_picks(t, perm[i], &idx, &src);
        bad = fprintf(f, "%zu;", i + 1) < 0;
        for (size_t j = 0; j < k && !bad; j++)
            bad = fprintf(f, "%s%s", j ? "," : "", ballot_project_id(b, idx[j])) < 0;
        if (!bad && paper)
            bad = fprintf(f, ";%s", src == TALLY_PAPER ? "paper" : "electronic") < 0;
        bad = bad || fputc('\n', f) == EOF;
    }
    kc_free(perm);
    return bad ? KC_EIO : KC_OK;
}

/* Appends "#n: text" to META's comment, the format's way of numbering remarks. */
static void note(char *buf, size_t cap, int *nc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void note(char *buf, size_t cap, int *nc, const char *fmt, ...)
{
    size_t o = strlen(buf);
    ++*nc;
    snprintf(buf + o, cap - o, "%s#%d: ", *nc > 1 ? " " : "", *nc);
    o = strlen(buf);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + o, cap - o, fmt, ap);
    va_end(ap);
}

kc_err pbfile_write(const tally *t, const pbfile_meta *m, FILE *f)
{
    const ballot *b = tally_ballot(t);
    tally_summary s;
    tally_get_summary(t, &s);
    cat_langs pref = cat_langs_for(CAT_FI);
    char d1[11], d2[11], comment[1024] = "";
    int nc = 0;
    pb_date(ballot_opens(b), d1);
    pb_date(ballot_closes(b), d2);
    note(comment, sizeof comment, &nc, "Ballot \"%s\", exported from the kiosk sync server; votes in random order.",
            ballot_id(b));
    if (m->dropped)
        note(comment, sizeof comment, &nc, "%ld ballots were left out: their voter code had been used on another kiosk "
                "while both were offline, and another ballot of that code counts.",
                m->dropped);
    if (m->invalid || s.invalid)
        note(comment, sizeof comment, &nc, "%ld stored ballots broke the ballot's rule and are not counted.",
                m->invalid + s.invalid);
    if (!ballot_budget(b))
        note(comment, sizeof comment, &nc, "No budget: the %d projects with the most votes win; budget is their cost.",
                ballot_winners(b));
    else if (ballot_winners(b))
        note(comment, sizeof comment, &nc, "At most %d projects may win.", ballot_winners(b));
    if (ballot_get_ties(b) != BALLOT_TIES_CHEAPER)
        note(comment, sizeof comment, &nc, "Equal votes: the %s project first.",
                ballot_get_ties(b) == BALLOT_TIES_DEARER ? "dearer" : "earlier listed");
    if (ballot_get_method(b) == BALLOT_EQUAL_SHARES && !ballot_mes_cost_utility(b))
        note(comment, sizeof comment, &nc, "Equal shares with approval utilities: every approved project is worth 1 to "
                "its voter, whatever its cost.");
    int bad = fputs("META\nkey;value\ndescription;", f) < 0 ||
              field(f, ballot_title(b, &pref, NULL)) ||
              fprintf(f, "\ncountry;%s\nunit;", m->country ? m->country : "Finland") < 0 ||
              field(f, m->unit ? m->unit : ballot_id(b)) ||
              fprintf(f, "\ninstance;%.4s\nnum_projects;%zu\nnum_votes;%zu\nbudget;%lld\n"
                         "vote_type;approval\nrule;%s\n",
                      ballot_opens(b), ballot_nprojects(b), tally_nballots(t),
                      ballot_budget(b) ? ballot_budget(b) : s.spent, rule_name(b)) < 0 ||
              fprintf(f, "date_begin;%s\ndate_end;%s\nmin_length;%d\n", d1, d2,
                      ballot_min_picks(b)) < 0;
    if (!bad && ballot_get_rule(b) == BALLOT_APPROVAL)
        bad = fprintf(f, "max_length;%d\n", ballot_max_picks(b)) < 0;
    else if (!bad)
        bad = fprintf(f, "max_sum_cost;%lld\n", ballot_budget(b)) < 0;
    if (!bad && (ballot_threshold_bp(b) || ballot_threshold_votes(b)) && tally_nrows(t))
        bad = fprintf(f, "min_project_score_threshold;%ld\n", tally_row_at(t, 0)->need) < 0;
    bad = bad || fputs("language;fi\ncurrency;EUR\ncomment;", f) < 0 || field(f, comment) ||
          fputs("\nPROJECTS\nproject_id;cost;votes;name;selected\n", f) < 0;
    /* in the ballot's order, which is also its last tie-break: a re-import counts alike */
    for (size_t i = 0; i < tally_nrows(t) && !bad; i++) {
        const tally_row *r = tally_row_of(t, i);
        ballot_project p;
        ballot_project_at(b, r->project, &pref, &p);
        bad = fprintf(f, "%s;%lld;%ld;", r->id, r->cost, r->votes) < 0 || field(f, p.title) ||
              fprintf(f, ";%d\n", r->winner) < 0;
    }
    if (bad)
        return KC_EIO;
    kc_err rc = write_votes(t, f);
    if (rc)
        return rc;
    return fflush(f) == 0 && !ferror(f) ? KC_OK : KC_EIO;
}

/* --- reading --------------------------------------------------------------------------- */

struct pbfile {
    ballot *b;
    unsigned char *picks;
    size_t npicks, cappicks;
    size_t *start;
    unsigned char *paper;
    size_t nvotes, capvotes;
    long skipped;
    signed char selected[BALLOT_MAX_PROJECTS];
};

/* The reader's state: the text, the line being read and where messages point. */
typedef struct rd {
    const char *p, *end;
    const char *file;
    long line;
    char *msg;
    char buf[PBFILE_MAX_LINE + 1];  /* the current row, unquoted fields NUL-separated */
    char *f[64];                    /* its fields */
    int nf;
} rd;

static kc_err rd_fail(rd *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static kc_err rd_fail(rd *r, const char *fmt, ...)
{
    char detail[KC_MSGMAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    return kc_fail(r->msg, KC_EINVAL, "%s: line %ld: %s", r->file, r->line, detail);
}

/* The next line split at ';' (fields may be quoted, "" inside quotes is a quote).
 * 0: a row, 1: end of file, -1: failed (message set). */
static int rd_row(rd *r)
{
    if (r->p >= r->end)
        return 1;
    r->line++;
    const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
    const char *e = nl ? nl : r->end;
    size_t n = (size_t)(e - r->p);
    if (n && e[-1] == '\r')
        n--;
    if (n > PBFILE_MAX_LINE) {
        rd_fail(r, "longer than %d bytes", PBFILE_MAX_LINE);
        return -1;
    }
    const char *s = r->p;
    r->p = nl ? nl + 1 : r->end;
    size_t o = 0;
    r->nf = 0;
    r->f[r->nf++] = r->buf;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"' && (i == 0 || s[i - 1] == ';')) {
            for (i++; i < n && !(s[i] == '"' && (i + 1 >= n || s[i + 1] != '"')); i++) {
                if (s[i] == '"')
                    i++;
                r->buf[o++] = s[i];
            }
            if (i >= n) {
                rd_fail(r, "a quoted value has no closing quote");
                return -1;
            }
            continue;
        }
        if (s[i] == ';') {
            r->buf[o++] = '\0';
            if (r->nf == (int)(sizeof r->f / sizeof r->f[0])) {
                rd_fail(r, "more than %zu columns", sizeof r->f / sizeof r->f[0]);
                return -1;
            }
            r->f[r->nf++] = r->buf + o;
            continue;
        }
        if (s[i] == '\0') {
            rd_fail(r, "contains a NUL byte");
            return -1;
        }
        r->buf[o++] = s[i];
    }
    r->buf[o] = '\0';
    return 0;
}

static int is_section(const rd *r, const char *name)
{
    return r->nf == 1 && strcmp(r->f[0], name) == 0;
}

static int column(const rd *r, const char *name)
{
    for (int i = 0; i < r->nf; i++)
        if (strcmp(r->f[i], name) == 0)
            return i;
    return -1;
}

/* A whole number, or one with only zeros after the point ("7200.0"). */
static int parse_whole(const char *s, long long lo, long long hi, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || errno)
        return -1;
    if (*end == '.') {
        for (end++; *end == '0'; end++)
            ;
    }
    if (*end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* "16.11.2026" or "2026" -> "2026-11-16" (a year alone: its first or last day). */
static int parse_date(const char *s, int last, char out[11])
{
    int d, m, y;
    char tail;
    if (strlen(s) == 4 && sscanf(s, "%4d%c", &y, &tail) == 1)
        snprintf(out, 11, "%04d-%s", y, last ? "12-31" : "01-01");
    else if (sscanf(s, "%2d.%2d.%4d%c", &d, &m, &y, &tail) == 3)
        snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    else
        return -1;
    return cat_valid_date(out) ? 0 : -1;
}

typedef struct meta {
    long long budget, min, max, max_sum_cost, threshold;
    char vote_type[32], rule[64], opens[11], closes[11], title[BALLOT_TITLE_MAX + 1];
    long budget_line, rule_line, type_line;
} meta;

/* Cuts s to at most max bytes on a UTF-8 character boundary. */
static void cut_utf8(char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return;
    n = max;
    while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    s[n] = '\0';
}

static kc_err read_meta(rd *r, meta *m)
{
    int rc;
    memset(m, 0, sizeof *m);
    m->min = m->max = m->max_sum_cost = m->threshold = -1;
    if ((rc = rd_row(r)) != 0 || !is_section(r, "META"))
        return rc < 0 ? KC_EINVAL : rd_fail(r, "expected \"META\", the first section");
    if ((rc = rd_row(r)) != 0 || r->nf != 2 || strcmp(r->f[0], "key") || strcmp(r->f[1], "value"))
        return rc < 0 ? KC_EINVAL : rd_fail(r, "expected \"key;value\" after META");
    while ((rc = rd_row(r)) == 0 && !is_section(r, "PROJECTS")) {
        if (r->nf != 2)
            return rd_fail(r, "a META row is \"key;value\"");
        const char *k = r->f[0], *v = r->f[1];
        long long x;
        if (strcmp(k, "budget") == 0) {
            if (parse_whole(v, 1, BALLOT_BUDGET_MAX, &m->budget))
                return rd_fail(r, "budget \"%.40s\": a whole number 1..%lld", v,
                               BALLOT_BUDGET_MAX);
            m->budget_line = r->line;
        } else if (strcmp(k, "vote_type") == 0) {
            snprintf(m->vote_type, sizeof m->vote_type, "%.31s", v);
            m->type_line = r->line;
        } else if (strcmp(k, "rule") == 0) {
            snprintf(m->rule, sizeof m->rule, "%.63s", v);
            m->rule_line = r->line;
        } else if (strcmp(k, "date_begin") == 0 || strcmp(k, "date_end") == 0) {
            int end = k[5] == 'e';
            if (parse_date(v, end, end ? m->closes : m->opens))
                return rd_fail(r, "%s \"%.40s\": use DD.MM.YYYY or YYYY", k, v);
        } else if (strcmp(k, "description") == 0) {
            snprintf(m->title, sizeof m->title, "%s", v);
            cut_utf8(m->title, BALLOT_TITLE_MAX);
        } else if (strcmp(k, "min_length") == 0 || strcmp(k, "max_length") == 0 ||
                   strcmp(k, "max_sum_cost") == 0 ||
                   strcmp(k, "min_project_score_threshold") == 0) {
            if (parse_whole(v, 0, BALLOT_BUDGET_MAX, &x))
                return rd_fail(r, "%s \"%.40s\": a whole number", k, v);
            if (strcmp(k, "min_length") == 0)
                m->min = x;
            else if (strcmp(k, "max_length") == 0)
                m->max = x;
            else if (strcmp(k, "max_sum_cost") == 0)
                m->max_sum_cost = x;
            else
                m->threshold = x;
        }
        /* other keys (country, unit, language, ...) describe the election, not the count */
    }
    if (rc)
        return rc < 0 ? KC_EINVAL : rd_fail(r, "no PROJECTS section");
    if (!m->budget_line)
        return rd_fail(r, "META has no budget");
    if (!m->opens[0] || !m->closes[0])
        return rd_fail(r, "META needs date_begin and date_end");
    return KC_OK;
}

/* The rule object for the ballot, from META. */
static kc_err make_rule(rd *r, const meta *m, size_t np, json_t *rule)
{
    long line = r->line;
    int knapsack = m->max_sum_cost >= 0;
    if (strcmp(m->vote_type, "approval") && strcmp(m->vote_type, "choose-1") &&
        strcmp(m->vote_type, "cumulative")) {
        r->line = m->type_line;
        return rd_fail(r, "vote_type \"%s\": only approval, choose-1 and cumulative (one point "
                       "per project) ballots can be counted here", m->vote_type);
    }
    if (knapsack && m->max_sum_cost != m->budget) {
        r->line = line;
        return rd_fail(r, "max_sum_cost %lld differs from the budget %lld: the kiosk's "
                       "knapsack ballot limits the picks by the budget itself",
                       m->max_sum_cost, m->budget);
    }
    json_object_set_new(rule, "type", json_string(knapsack ? "knapsack" : "approval"));
    json_object_set_new(rule, "budget", json_integer(m->budget));
    long long min = m->min > 0 ? m->min : 1;
    long long max = m->max > 0 ? m->max : (long long)np;
    if (!strcmp(m->vote_type, "choose-1"))
        min = max = 1;
    if (max > (long long)np)
        max = (long long)np;
    if (min > max)
        min = max;
    json_object_set_new(rule, "min", json_integer(min));
    if (!knapsack)
        json_object_set_new(rule, "max", json_integer(max));
    static const struct {
        const char *pb, *method;
        int add_one;
    } rules[] = {
        { "greedy", "greedy", 0 },
        { "greedy-no-skip", "greedy-no-skip", 0 },
        { "greedy-threshold", "greedy-threshold", 0 },
        { "equalshares", "equal-shares", 0 },
        { "equalshares/add1", "equal-shares", 1 },
    };
    size_t k = 0;
    for (; k < sizeof rules / sizeof rules[0] && strcmp(rules[k].pb, m->rule); k++)
        ;
    if (k == sizeof rules / sizeof rules[0]) {
        r->line = m->rule_line;
        return rd_fail(r, "rule \"%s\": use greedy, greedy-no-skip, greedy-threshold, "
                       "equalshares or equalshares/add1",
                       m->rule_line ? m->rule : "(none)");
    }
    json_object_set_new(rule, "method", json_string(rules[k].method));
    if (!strcmp(rules[k].method, "greedy-no-skip") && m->threshold > 0)
        json_object_set_new(rule, "threshold_votes", json_integer(m->threshold));
    if (!strcmp(rules[k].method, "greedy-threshold")) {
        if (m->threshold < 1) {
            r->line = m->rule_line;
            return rd_fail(r, "greedy-threshold needs min_project_score_threshold in META");
        }
        json_object_set_new(rule, "threshold_votes", json_integer(m->threshold));
    }
    if (!strcmp(rules[k].method, "equal-shares")) {
        /* pabulib's equal shares weighs a project by its cost for its supporters */
        json_object_set_new(rule, "utility", json_string("cost"));
        json_object_set_new(rule, "completion", json_string(rules[k].add_one ? "add-one"
                                                                              : "none"));
    }
    r->line = line;
    return KC_OK;
}

static kc_err text(json_t *o, const char *key, const char *s)
{
    json_t *t = json_object();
    if (!t || json_object_set_new(t, "en", json_string(s)) || json_object_set_new(o, key, t))
        return KC_ENOMEM;
    return KC_OK;
}

/* PROJECTS rows into the ballot's projects; pid[] keeps each project's id in the file. */
static kc_err read_projects(rd *r, json_t *projects, char ***pid, size_t *np, pbfile *p)
{
    int rc;
    if ((rc = rd_row(r)) != 0)
        return rc < 0 ? KC_EINVAL : rd_fail(r, "PROJECTS has no header");
    int cid = column(r, "project_id"), ccost = column(r, "cost"), cname = column(r, "name"),
        csel = column(r, "selected");
    if (cid < 0 || ccost < 0)
        return rd_fail(r, "the PROJECTS header needs project_id and cost");
    int ncol = r->nf;
    char **ids = kc_calloc(BALLOT_MAX_PROJECTS, sizeof *ids);
    *pid = ids;
    if (!ids)
        return KC_ENOMEM;
    while ((rc = rd_row(r)) == 0 && !is_section(r, "VOTES")) {
        if (r->nf != ncol)
            return rd_fail(r, "%d values, the header has %d", r->nf, ncol);
        if (*np == BALLOT_MAX_PROJECTS)
            return rd_fail(r, "more than %d projects", BALLOT_MAX_PROJECTS);
        const char *id = r->f[cid];
        for (size_t i = 0; i < *np; i++)
            if (strcmp(ids[i], id) == 0)
                return rd_fail(r, "project_id \"%.40s\" appears twice", id);
        /* kiosk ids are lower case a-z 0-9 . _ -; pabulib ids are usually numbers */
        char kid[BALLOT_ID_MAX + 1];
        size_t n = strlen(id);
        if (n == 0 || n > BALLOT_ID_MAX)
            return rd_fail(r, "project_id \"%.40s\": 1-%d characters", id, BALLOT_ID_MAX);
        for (size_t i = 0; i <= n; i++)
            kid[i] = (char)(id[i] >= 'A' && id[i] <= 'Z' ? id[i] - 'A' + 'a' : id[i]);
        if (!cat_valid_id(kid, BALLOT_ID_MAX))
            return rd_fail(r, "project_id \"%.40s\": only letters, digits, '.', '_' and '-'", id);
        long long cost;
        if (parse_whole(r->f[ccost], 0, BALLOT_COST_MAX, &cost))
            return rd_fail(r, "cost \"%.40s\": a whole number 0..%lld", r->f[ccost],
                           BALLOT_COST_MAX);
        char title[BALLOT_TITLE_MAX + 1];
        snprintf(title, sizeof title, "%s", cname >= 0 && r->f[cname][0] ? r->f[cname] : id);
        cut_utf8(title, BALLOT_TITLE_MAX);
        if (!cat_clean_text(title))
            return rd_fail(r, "name contains a control character");
        p->selected[*np] = -1;
        if (csel >= 0 && r->f[csel][0]) {
            long long sel;
            if (parse_whole(r->f[csel], 0, 3, &sel))
                return rd_fail(r, "selected \"%.10s\": 0 or 1", r->f[csel]);
            p->selected[*np] = (signed char)(sel == 1);
        }
        json_t *o = json_object();
        if (!o || json_array_append_new(projects, o) ||
            json_object_set_new(o, "id", json_string(kid)) ||
            json_object_set_new(o, "cost", json_integer(cost)) || text(o, "title", title) ||
            !(ids[*np] = kc_strdup(id)))
            return KC_ENOMEM;
        (*np)++;
    }
    if (rc)
        return rc < 0 ? KC_EINVAL : rd_fail(r, "no VOTES section");
    if (*np == 0)
        return rd_fail(r, "PROJECTS lists no project");
    return KC_OK;
}

static kc_err add_vote(pbfile *p, const unsigned char *idx, size_t n, int paper)
{
    if (p->npicks + n > p->cappicks) {
        size_t cap = p->cappicks ? p->cappicks * 2 : 4096;
        while (cap < p->npicks + n)
            cap *= 2;
        unsigned char *x = kc_realloc(p->picks, cap);
        if (!x)
            return KC_ENOMEM;
        p->picks = x;
        p->cappicks = cap;
    }
    if (p->nvotes + 1 >= p->capvotes) {
        size_t cap = p->capvotes ? p->capvotes * 2 : 1024;
        size_t *st = kc_realloc(p->start, (cap + 1) * sizeof *st);
        if (!st)
            return KC_ENOMEM;
        p->start = st;
        unsigned char *pp = kc_realloc(p->paper, cap);
        if (!pp)
            return KC_ENOMEM;
        p->paper = pp;
        p->capvotes = cap;
    }
    if (p->nvotes == 0)
        p->start[0] = 0;
    memcpy(p->picks + p->npicks, idx, n);
    p->npicks += n;
    p->paper[p->nvotes] = (unsigned char)paper;
    p->start[++p->nvotes] = p->npicks;
    return KC_OK;
}

static kc_err read_votes(rd *r, pbfile *p, char **pid, size_t np)
{
    int rc;
    if ((rc = rd_row(r)) != 0)
        return rc < 0 ? KC_EINVAL : rd_fail(r, "VOTES has no header");
    int cvote = column(r, "vote"), cpoints = column(r, "points"),
        cmethod = column(r, "voting_method"), ncol = r->nf;
    if (cvote < 0)
        return rd_fail(r, "the VOTES header needs a vote column");
    const ballot *b = p->b;
    while ((rc = rd_row(r)) == 0) {
        if (r->nf == 1 && r->f[0][0] == '\0')
            continue;  /* a blank line, as at the end of many files */
        if (r->nf != ncol)
            return rd_fail(r, "%d values, the header has %d", r->nf, ncol);
        if ((long)p->nvotes >= PBFILE_MAX_VOTES)
            return rd_fail(r, "more than %ld votes", PBFILE_MAX_VOTES);
        unsigned char seen[BALLOT_MAX_PROJECTS] = { 0 }, idx[BALLOT_MAX_PROJECTS];
        size_t n = 0;
        long long cost = 0;
        char *s = r->f[cvote], *pts = cpoints >= 0 ? r->f[cpoints] : NULL;
        while (*s) {
            char *comma = strchr(s, ',');
            if (comma)
                *comma = '\0';
            size_t k = 0;
            while (k < np && strcmp(pid[k], s))
                k++;
            if (k == np)
                return rd_fail(r, "vote for \"%.40s\", which PROJECTS does not list", s);
            if (seen[k])
                return rd_fail(r, "vote for \"%.40s\" twice", s);
            seen[k] = 1;
            cost += ballot_project_cost(b, k);
            if (pts) {  /* cumulative: only one point per project maps to approval */
                char *pc = strchr(pts, ',');
                if (pc)
                    *pc = '\0';
                if (strcmp(pts, "1") != 0)
                    return rd_fail(r, "%.20s points for one project: only one point per "
                                   "project can be counted as an approval", pts);
                pts = pc ? pc + 1 : pts + strlen(pts);
            }
            s = comma ? comma + 1 : s + strlen(s);
        }
        for (size_t k = 0; k < np; k++)
            if (seen[k])
                idx[n++] = (unsigned char)k;
        /* a vote outside the ballot's limits is not an error of the file: it is counted
         * as invalid, like a kiosk counts one */
        if ((long)n < ballot_min_picks(b) || (long)n > ballot_max_picks(b) ||
            (ballot_get_rule(b) == BALLOT_KNAPSACK && cost > ballot_budget(b))) {
            p->skipped++;
            continue;
        }
        int paper = cmethod >= 0 && strcmp(r->f[cmethod], "paper") == 0;
        if (add_vote(p, idx, n, paper))
            return KC_ENOMEM;
    }
    return rc < 0 ? KC_EINVAL : KC_OK;
}

kc_err pbfile_read(const char *buf, size_t len, const char *name, const char *id,
                   pbfile **out, char *msg)
{
    *out = NULL;
    const char *file = name ? name : "pb";
    if (len > (size_t)PBFILE_MAX_FILE)
        return kc_fail(msg, KC_ETOOBIG, "%s: %zu bytes, limit is %ld", file, len,
                       PBFILE_MAX_FILE);
    if (!cat_valid_id(id, BALLOT_ID_MAX))
        return kc_fail(msg, KC_EINVAL, "%s: ballot id \"%.64s\": 1-%d of a-z 0-9 . _ -", file,
                       id, BALLOT_ID_MAX);
    pbfile *p = kc_calloc(1, sizeof *p);
    rd *r = kc_calloc(1, sizeof *r);
    json_t *doc = json_object(), *rule = json_object(), *projects = json_array();
    char **pid = NULL, *body = NULL;
    size_t np = 0;
    kc_err rc = KC_ENOMEM;
    if (!p || !r || !doc || !rule || !projects)
        goto fail;
    *r = (rd){ .p = buf, .end = buf + len, .file = file, .msg = msg };
    meta m;
    if ((rc = read_meta(r, &m)) || (rc = read_projects(r, projects, &pid, &np, p)) ||
        (rc = make_rule(r, &m, np, rule)))
        goto fail;
    char elig[300];
    snprintf(elig, sizeof elig, "Imported from the pabulib file %.200s.", file);
    rc = KC_ENOMEM;
    if (json_object_set_new(doc, "format", json_string("kiosk-ballot")) ||
        json_object_set_new(doc, "version", json_integer(1)) ||
        json_object_set_new(doc, "id", json_string(id)) ||
        text(doc, "title", m.title[0] ? m.title : id) || text(doc, "eligibility", elig) ||
        json_object_set_new(doc, "opens", json_string(m.opens)) ||
        json_object_set_new(doc, "closes", json_string(m.closes)) ||
        json_object_set(doc, "rule", rule) || json_object_set(doc, "projects", projects) ||
        !(body = json_dumps(doc, JSON_COMPACT)))
        goto fail;
    if ((rc = ballot_parse(body, strlen(body), file, &p->b, msg)) ||
        (rc = read_votes(r, p, pid, np)))
        goto fail;
    *out = p;
    p = NULL;
fail:
    if (rc == KC_ENOMEM)
        kc_fail(msg, rc, "%s: out of memory", file);
    for (size_t i = 0; pid && i < BALLOT_MAX_PROJECTS; i++)
        kc_free(pid[i]);
    kc_free(pid);
    free(body);
    json_decref(doc);
    json_decref(rule);
    json_decref(projects);
    kc_free(r);
    pbfile_free(p);
    return rc;
}

kc_err pbfile_load(const char *path, const char *id, pbfile **out, char *msg)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return kc_fail(msg, KC_EIO, "%s: cannot open: %s", path, strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0;
    kc_err rc = KC_OK;
    for (;;) {
        if (len == cap) {
            if (cap > (size_t)PBFILE_MAX_FILE) {
                rc = kc_fail(msg, KC_ETOOBIG, "%s: larger than %ld bytes", path,
                             PBFILE_MAX_FILE);
                break;
            }
            size_t nc = cap ? cap * 2 : 1 << 16;
            char *nb = kc_realloc(buf, nc);
            if (!nb) {
                rc = kc_fail(msg, KC_ENOMEM, "%s: out of memory", path);
                break;
            }
            buf = nb;
            cap = nc;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f))
                rc = kc_fail(msg, KC_EIO, "%s: read error", path);
            break;
        }
    }
    fclose(f);
    if (!rc)
        rc = pbfile_read(buf, len, path, id, out, msg);
    kc_free(buf);
    return rc;
}

void pbfile_free(pbfile *p)
{
    if (!p)
        return;
    ballot_free(p->b);
    kc_free(p->picks);
    kc_free(p->start);
    kc_free(p->paper);
    kc_free(p);
}

const ballot *pbfile_ballot(const pbfile *p) { return p->b; }
size_t pbfile_nvotes(const pbfile *p) { return p->nvotes; }
long pbfile_skipped(const pbfile *p) { return p->skipped; }
int pbfile_selected(const pbfile *p, size_t i) { return p->selected[i]; }

size_t pbfile_vote(const pbfile *p, size_t i, const unsigned char **idx, int *paper)
{
    *idx = p->picks + p->start[i];
    if (paper)
        *paper = p->paper[i];
    return p->start[i + 1] - p->start[i];
}
