/* srvtally.c - counting a ballot on the server, double uses reconciled. */
#include "srvtally.h"

#include "pbfile.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

typedef struct vote_in {
    char uuid[PROTO_UUID_LEN + 1];
    json_t *payload;
    char tag[2 * VOTECODE_TAG_BYTES + 1];
    int tagged;       /* tag opened */
} vote_in;

typedef struct use_in {
    char uuid[PROTO_UUID_LEN + 1];
    char hash[VOTECODE_HASH_HEX + 1];
    char *device;
} use_in;

typedef struct rows {
    vote_in *v;
    size_t nv, capv;
    use_in *u;
    size_t nu, capu;
} rows;

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 64;
    void *np = kc_realloc(*p, nc * size);
    if (!np)
        return -1;
    *p = np;
    *cap = nc;
    return 0;
}

static kc_err on_vote(void *ctx, const char *uuid, const char *payload)
{
    rows *r = ctx;
    if (grow((void **)&r->v, &r->capv, r->nv, sizeof *r->v))
        return KC_ENOMEM;
    vote_in *v = &r->v[r->nv];
    memset(v, 0, sizeof *v);
    snprintf(v->uuid, sizeof v->uuid, "%s", uuid);
    /* Checked when it was stored (srvdb_store_batch). */
    if (!(v->payload = json_loads(payload, 0, NULL)))
        return KC_ENOMEM;
    r->nv++;
    return KC_OK;
}

static kc_err on_use(void *ctx, const char *uuid, const char *hash, const char *device)
{
    rows *r = ctx;
    if (grow((void **)&r->u, &r->capu, r->nu, sizeof *r->u))
        return KC_ENOMEM;
    use_in *u = &r->u[r->nu];
    snprintf(u->uuid, sizeof u->uuid, "%s", uuid);
    snprintf(u->hash, sizeof u->hash, "%s", hash);
    if (!(u->device = kc_strdup(device)))
        return KC_ENOMEM;
    r->nu++;
    return KC_OK;
}

/* Earlier versions of the counted ballot, loaded once each: every ballot is judged by
 * the version it was cast under (docs/voting.md, "Versions").  The server numbers a
 * ballot's versions 1..newest, so a payload's version (from outside) outside that range
 * is judged by the counted one and costs nothing. */
typedef struct version_slot {
    long long version;
    ballot *b;    /* NULL: not stored */
} version_slot;

typedef struct versions {
    version_slot *v;
    size_t n;
} versions;

static kc_err version_get(srvdb *db, versions *vs, const ballot *counted, json_t *payload,
                          const ballot **judge, char *msg)
{
    json_int_t want = json_integer_value(json_object_get(payload, "version"));
    *judge = NULL;
    /* no version (an older kiosk, a pabulib import): the counted definition */
    if (want < 1 || want >= ballot_version(counted))
        return KC_OK;
    for (size_t i = 0; i < vs->n; i++)
        if (vs->v[i].version == want) {
            *judge = vs->v[i].b;
            return KC_OK;
        }
    version_slot *nv = kc_realloc(vs->v, (vs->n + 1) * sizeof *nv);
    if (!nv)
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    vs->v = nv;
    version_slot *slot = &vs->v[vs->n++];
    slot->version = want;
    slot->b = NULL;
    char *body = NULL;
    kc_err rc = srvdb_doc_get(db, PROTO_DOC_BALLOT, ballot_id(counted), want, &body, NULL);
    if (rc == KC_ENOTFOUND)
        return KC_OK;  /* a version this server never had: judged by the counted one */
    if (rc)
        return kc_fail(msg, rc, "%s", srvdb_errmsg(db));
    rc = ballot_parse(body, strlen(body), "stored ballot version", &slot->b, msg);
    kc_free(body);
    if (rc)
        return rc;
    ballot_set_version(slot->b, (int)want);
    *judge = slot->b;
    return KC_OK;
}

static void versions_free(versions *vs)
{
    for (size_t i = 0; i < vs->n; i++)
        ballot_free(vs->v[i].b);
    kc_free(vs->v);
}

static void rows_free(rows *r)
{
    for (size_t i = 0; i < r->nv; i++)
        json_decref(r->v[i].payload);
    for (size_t i = 0; i < r->nu; i++)
        kc_free(r->u[i].device);
    kc_free(r->v);
    kc_free(r->u);
}

static void write_text(const tally *t, const ballot *b, FILE *out)
{
    tally_summary s;
    tally_get_summary(t, &s);
    cat_langs pref = cat_langs_for(CAT_FI);
    fprintf(out, "%s: %ld ballots counted (%ld with a code, %ld unlocked by staff",
            ballot_title(b, &pref, NULL), s.ballots, s.ballots_code, s.ballots_staff);
    if (s.ballots_paper)
        fprintf(out, ", %ld on paper", s.ballots_paper);
    fprintf(out, "), %ld invalid\n", s.invalid);
    if (s.judged_earlier)
        fprintf(out, "%ld ballots were cast under an earlier version with another rule, "
                     "projects or costs (changed before voting opened) and were judged by "
                     "that version\n", s.judged_earlier);
    fprintf(out, "%-4s %-24s %10s %6s %6s %6s\n", "rank", "project", "cost", "votes", "code",
            "staff");
    for (size_t i = 0; i < tally_nrows(t); i++) {
        const tally_row *r = tally_row_at(t, i);
        char why[512];
        tally_explain(t, r, CAT_EN, why, sizeof why);
        fprintf(out, "%-4d %-24.24s %10lld %6ld %6ld %6ld  %s%s\n     %s\n", r->rank, r->id,
                r->cost, r->votes, r->votes_code, r->votes_staff, r->winner ? "WINNER" : "",
                r->tied ? " (tie)" : "", why);
    }
    if (s.budget)
        fprintf(out, "budget %lld, winners cost %lld, left %lld\n", s.budget, s.spent,
                s.budget - s.spent);
    char text[2048];
    tally_rule_text(b, CAT_EN, text, sizeof text);
    fprintf(out, "\n%s\n", text);
}

/* The count for the console: every number of the text table, each project's reason
 * and the rule in words, in lang. */
static int write_json(const tally *t, const ballot *b, cat_lang lang, FILE *out)
{
    tally_summary s;
    tally_get_summary(t, &s);
    cat_langs pref = cat_langs_for(lang);
    char text[2048];
    tally_rule_text(b, lang, text, sizeof text);
    json_t *list = json_array();
    json_t *o = json_pack("{s:s, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:i}, s:s, s:o}",
                          "title", ballot_title(b, &pref, NULL), "summary", "ballots",
                          (json_int_t)s.ballots, "ballots_code", (json_int_t)s.ballots_code,
                          "ballots_staff", (json_int_t)s.ballots_staff, "ballots_paper",
                          (json_int_t)s.ballots_paper, "invalid", (json_int_t)s.invalid,
                          "judged_earlier", (json_int_t)s.judged_earlier, "budget",
                          (json_int_t)s.budget, "spent", (json_int_t)s.spent, "winners",
                          s.winners, "rule", text, "projects", list);
    int e = !o;
    for (size_t i = 0; !e && i < tally_nrows(t); i++) {
        const tally_row *r = tally_row_at(t, i);
        ballot_project p;
        char why[512];
        ballot_project_at(b, r->project, &pref, &p);
        tally_explain(t, r, lang, why, sizeof why);
        e = json_array_append_new(
            list, json_pack("{s:i, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:b, s:b, s:s}", "rank",
                            r->rank, "id", r->id, "title", p.title, "cost", (json_int_t)r->cost,
                            "votes", (json_int_t)r->votes, "votes_code",
                            (json_int_t)r->votes_code, "votes_staff", (json_int_t)r->votes_staff,
                            "votes_paper", (json_int_t)r->votes_paper, "winner", r->winner,
                            "tied", r->tied, "why", why));
    }
    e = e || json_dumpf(o, out, JSON_COMPACT) != 0;
    json_decref(o);
    return e ? -1 : 0;
}

static void write_report(const tally_use *uses, size_t n, const srvtally_result *res,
                         int key_used, FILE *f)
{
    const tally_reconcile_report *r = &res->rec;
    fprintf(f, "double use: %ld codes used, %ld uses beyond the first, %ld duplicate "
               "ballots not counted, %ld duplicate uses without a ballot to drop\n",
            r->codes_used, r->duplicate_uses, r->duplicate_votes, r->unremovable);
    if (res->tags_unopened)
        fprintf(f, "note: %ld tagged ballots were counted without opening their tag (%s)\n",
                res->tags_unopened, key_used ? "not sealed to this key" : "no --key-file");
    if (r->unremovable)
        fprintf(f, "note: the count includes %ld ballots of codes used more than once\n",
                r->unremovable);
    /* The server keeps the kiosk only of a code's later uses (docs/voting.md): one
     * line per code used more than once, with the kiosks of its later uses. */
    for (size_t i = 0; i < n; i++) {
        int first = 1, uses_n = 0;
        for (size_t k = 0; k < n; k++)
            if (strcmp(uses[k].code_hash, uses[i].code_hash) == 0) {
                first &= k >= i;
                uses_n++;
            }
        if (!first || uses_n < 2)
            continue;
        fprintf(f, "flagged: code %.16s... used %d times; later uses on:", uses[i].code_hash,
                uses_n);
        for (size_t k = 0; k < n; k++)
            if (strcmp(uses[k].code_hash, uses[i].code_hash) == 0 && uses[k].kiosk[0])
                fprintf(f, " %s", uses[k].kiosk);
        fputc('\n', f);
    }
}

/* The stored ballot with its rule's method replaced, for a replay. */
static kc_err with_method(const char *body, const char *method, ballot **out, char *msg)
{
    json_t *doc = json_loads(body, 0, NULL), *rule = json_object_get(doc, "rule");
    kc_err rc;
    if (!json_is_object(rule)) {
        json_decref(doc);
        return kc_fail(msg, KC_EINVAL, "stored ballot: no rule");
    }
    int es = strcmp(method, "equal-shares") == 0, th = strcmp(method, "greedy-threshold") == 0,
        ns = strcmp(method, "greedy-no-skip") == 0;
    json_object_set_new(rule, "method", json_string(method));
    if (!es) {
        json_object_del(rule, "utility");
        json_object_del(rule, "completion");
    } else {
        json_object_del(rule, "winners");
    }
    if (!th && !ns) {
        json_object_del(rule, "threshold_percent");
        json_object_del(rule, "threshold_votes");
    }
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    if (!text)
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    char name[120];
    snprintf(name, sizeof name, "stored ballot counted by \"%.40s\"", method);
    rc = ballot_parse(text, strlen(text), name, out, msg);
    free(text);
    return rc;
}

kc_err srvtally_run(srvdb *db, const char *ballot_id, const unsigned char *sk,
                    const srvtally_opts *o, FILE *out, FILE *report, srvtally_result *res,
                    char *msg)
{
    memset(res, 0, sizeof *res);
    char *body = NULL;
    ballot *b = NULL;
    tally *t = NULL;
    tally_use *uses = NULL;
    tally_vote *votes = NULL;
    rows r;
    versions vs = { NULL, 0 };
    long long version = 0;
    memset(&r, 0, sizeof r);
    kc_err rc = srvdb_doc_get(db, PROTO_DOC_BALLOT, ballot_id, 0, &body, &version);
    if (rc) {
        kc_fail(msg, rc, "%s", srvdb_errmsg(db));
        goto out;
    }
    if ((rc = o->method ? with_method(body, o->method, &b, msg)
                        : ballot_parse(body, strlen(body), "stored ballot", &b, msg)))
        goto out;
    ballot_set_version(b, (int)version);
    const unsigned char *pk = ballot_tally_key(b);
    if (sk && pk) {
        unsigned char derived[VOTECODE_KEY_BYTES];
        if (crypto_scalarmult_base(derived, sk) != 0 ||
            sodium_memcmp(derived, pk, VOTECODE_KEY_BYTES) != 0) {
            rc = kc_fail(msg, KC_EDENIED, "ballot \"%s\": the secret key does not belong to "
                         "its tally_key", ballot_id);
            goto out;
        }
    }
    if ((rc = srvdb_ballot_rows(db, ballot_id, on_vote, on_use, &r))) {
        kc_fail(msg, rc, "%s", rc == KC_ENOMEM ? "out of memory" : srvdb_errmsg(db));
        goto out;
    }
    if ((r.nv && !(votes = kc_calloc(r.nv, sizeof *votes))) ||
        (r.nu && !(uses = kc_calloc(r.nu, sizeof *uses)))) {
        rc = kc_fail(msg, KC_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < r.nv; i++) {
        vote_in *v = &r.v[i];
        const char *sealed = json_string_value(json_object_get(v->payload, "tag"));
        if (sealed && sk && pk &&
            votecode_open_tag(sealed, pk, sk, v->tag) == KC_OK)
            v->tagged = 1;
        else if (sealed)
            res->tags_unopened++;
        votes[i] = (tally_vote){ v->uuid, v->tagged ? v->tag : NULL, 0, 0 };
    }
    for (size_t i = 0; i < r.nu; i++)
        uses[i] = (tally_use){ r.u[i].uuid, r.u[i].hash, r.u[i].device, 0 };
    if ((rc = tally_reconcile(uses, r.nu, votes, r.nv, &res->rec)) || (rc = tally_new(b, &t))) {
        kc_fail(msg, rc, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < r.nv; i++) {
        if (!votes[i].counts)
            continue;
        json_t *picks = json_object_get(r.v[i].payload, "picks"), *p;
        const char *ids[BALLOT_MAX_PROJECTS];
        size_t n = 0, k;
        json_array_foreach(picks, k, p) if (n < BALLOT_MAX_PROJECTS) ids[n++] =
            json_string_value(p);
        const char *el = json_string_value(json_object_get(r.v[i].payload, "eligibility"));
        int src = !el || strcmp(el, "code") == 0 ? TALLY_CODE
                  : strcmp(el, "staff") == 0   ? TALLY_STAFF
                  : strcmp(el, "paper") == 0   ? TALLY_PAPER
                                               : -1;  /* tally_add counts it invalid */
        const ballot *judge = NULL;
        if ((rc = version_get(db, &vs, b, r.v[i].payload, &judge, msg)))
            goto out;
        /* a replay under another method judges every ballot by the counted rule */
        kc_err ar = tally_add_judged(t, o->method ? NULL : judge, ids, n, src);
        if (ar && ar != KC_EINVAL) {  /* EINVAL: counted as invalid */
            rc = kc_fail(msg, ar, "out of memory");
            goto out;
        }
    }
    if ((rc = tally_compute(t))) {
        kc_fail(msg, rc, "out of memory");
        goto out;
    }
    tally_get_summary(t, &res->sum);
    if (o->format == SRVTALLY_CSV) {
        if ((rc = tally_write_csv(t, out))) {
            kc_fail(msg, rc, "writing the CSV failed");
            goto out;
        }
    } else if (o->format == SRVTALLY_PB) {
        pbfile_meta m = { NULL, NULL, res->rec.duplicate_votes, 0 };
        if ((rc = pbfile_write(t, &m, out))) {
            kc_fail(msg, rc, rc == KC_ENOMEM ? "out of memory" : "writing the file failed");
            goto out;
        }
    } else if (o->format == SRVTALLY_JSON) {
        if (write_json(t, b, o->lang, out)) {
            rc = kc_fail(msg, KC_ENOMEM, "out of memory");
            goto out;
        }
    } else {
        write_text(t, b, out);
    }
    write_report(uses, r.nu, res, sk != NULL, report);
out:
    tally_free(t);
    kc_free(uses);
    kc_free(votes);
    rows_free(&r);
    versions_free(&vs);
    ballot_free(b);
    kc_free(body);
    return rc;
}
