/* Secrecy against a copy of the server's files (docs/voting.md, "What the server
 * keeps"): four kiosks push 48 batches in random turn, each batch ten ballots, their
 * ten code uses and a survey response (which keeps its kiosk, as responses do).  Then
 * an attacker with server.db and server.db-wal, who knows every response's kiosk and
 * every ballot's UUID, guesses each ballot's kiosk from the nearest record that names a
 * kiosk, by byte position in each file.  Before the mixing pool (ballots committed with
 * their code uses, which kept the device, and no checkpoint) this pairing was right for
 * nearly every ballot; it must now be no better than chance (1 in 4) within four
 * standard deviations. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outbox.h"
#include "srvdb.h"

#define KIOSKS 4
#define ROUNDS 12
#define PER 10
#define NB (KIOSKS * ROUNDS * PER)

typedef struct rec {
    char uuid[OUTBOX_UUID_LEN + 1];
    int kiosk;
    int ballot;  /* 1: a ballot, 0: a record that names its kiosk */
} rec;

static int cmp_rec(const void *a, const void *b)
{
    return strcmp(((const rec *)a)->uuid, ((const rec *)b)->uuid);
}

static int is_uuid_at(const unsigned char *p)
{
    for (int i = 0; i < 36; i++) {
        unsigned char c = p[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-')
                return 0;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return 0;
        }
    }
    return 1;
}

typedef struct hit {
    size_t off;
    const rec *r;
} hit;

/* Every known UUID in the file, by position; with `first`, only where each first
 * appears (in the log: the commit that wrote it). */
static size_t scan(const unsigned char *buf, size_t len, rec *recs, size_t nrec, int first,
                   hit **out)
{
    unsigned char *seen = calloc(nrec, 1);
    assert_non_null(seen);
    size_t n = 0, cap = 1024;
    hit *h = malloc(cap * sizeof *h);
    assert_non_null(h);
    for (size_t i = 0; len >= 36 && i + 36 <= len; i++) {
        if (buf[i + 8] != '-' || !is_uuid_at(buf + i))
            continue;
        rec key;
        memcpy(key.uuid, buf + i, 36);
        key.uuid[36] = '\0';
        const rec *r = bsearch(&key, recs, nrec, sizeof *recs, cmp_rec);
        if (!r || (first && seen[r - recs]))
            continue;
        seen[r - recs] = 1;
        if (n == cap) {
            cap *= 2;
            h = realloc(h, cap * sizeof *h);
            assert_non_null(h);
        }
        h[n++] = (hit){ i, r };
        i += 35;
    }
    free(seen);
    *out = h;
    return n;
}

/* The commit of each byte of a write-ahead log: frames (a 24-byte header and a page)
 * follow the order of commits, and a commit's last frame has a non-zero size field. */
static long *wal_commits(const unsigned char *buf, size_t len)
{
    long *c = calloc(len ? len : 1, sizeof *c);
    assert_non_null(c);
    if (len < 32)
        return c;
    size_t page = ((size_t)buf[8] << 24) | ((size_t)buf[9] << 16) | ((size_t)buf[10] << 8) |
                  buf[11];
    long commit = 0;
    for (size_t f = 32; page && f + 24 + page <= len; f += 24 + page) {
        for (size_t i = f; i < f + 24 + page; i++)
            c[i] = commit;
        if (buf[f + 4] | buf[f + 5] | buf[f + 6] | buf[f + 7])
            commit++;
    }
    return c;
}

/* The attacker: each ballot gets the kiosk of a kiosk-naming record first written in
 * the same commit of the log (each commit rewrites whole pages, so the first place a
 * record appears is its commit), else of the nearest such record by byte position. */
static void attack(const char *path, rec *recs, size_t nrec, int is_wal, int *guess)
{
    size_t len = 0;
    unsigned char *buf = (unsigned char *)tu_read(path, &len);
    if (!buf)
        return;  /* an absent -wal: nothing to learn from it */
    hit *h;
    size_t n = scan(buf, len, recs, nrec, is_wal, &h);
    long *commit = is_wal ? wal_commits(buf, len) : NULL;
    for (size_t i = 0; i < n; i++) {
        if (!h[i].r->ballot)
            continue;
        size_t idx = (size_t)(h[i].r - recs), best = (size_t)-1;
        int kiosk = -1;
        for (size_t k = 0; k < n; k++) {
            if (h[k].r->ballot)
                continue;
            size_t d = h[k].off > h[i].off ? h[k].off - h[i].off : h[i].off - h[k].off;
            if (commit && commit[h[k].off] == commit[h[i].off])
                d = 0;
            if (d < best) {
                best = d;
                kiosk = h[k].r->kiosk;
            }
        }
        if (kiosk >= 0 && guess[idx] < 0)
            guess[idx] = kiosk;
    }
    free(commit);
    free(h);
    free(buf);
}

static void test_linkage(void **state)
{
    (void)state;
    const char *db = tu_tmp("link.db");
    srvdb *s;
    assert_int_equal(srvdb_open(db, &s), KC_OK);
    long long dev[KIOSKS];
    for (int k = 0; k < KIOSKS; k++) {
        char name[16], tok[SRVDB_TOKEN_LEN + 1];
        unsigned char hash[SRVDB_HASH_LEN];
        srvdb_device d;
        snprintf(name, sizeof name, "kiosk-%d", k);
        assert_int_equal(srvdb_token_new(tok, hash), KC_OK);
        assert_int_equal(srvdb_device_add(s, name, hash), KC_OK);
        assert_int_equal(srvdb_device_auth(s, hash, &d), KC_OK);
        dev[k] = d.id;
    }
    rec *recs = calloc(NB * 3, sizeof *recs);
    assert_non_null(recs);
    size_t nrec = 0;
    int turns[KIOSKS * ROUNDS];
    for (int i = 0; i < KIOSKS * ROUNDS; i++)
        turns[i] = i % KIOSKS;
    srand(7);
    for (int i = KIOSKS * ROUNDS - 1; i > 0; i--) {
        int j = rand() % (i + 1), x = turns[i];
        turns[i] = turns[j];
        turns[j] = x;
    }
    for (int t = 0; t < KIOSKS * ROUNDS; t++) {
        int k = turns[t];
        proto_response v[2 * PER + 1];
        char payload[2 * PER + 1][200];
        for (int i = 0; i < 2 * PER + 1; i++) {
            rec *r = &recs[nrec];
            assert_int_equal(outbox_new_uuid(r->uuid), KC_OK);
            r->kiosk = k;
            memcpy(v[i].uuid, r->uuid, sizeof r->uuid);
            if (i < PER) {
                r->ballot = 1;
                snprintf(v[i].kind, sizeof v[i].kind, "ballot");
                snprintf(payload[i], sizeof payload[i],
                         "{\"ballot\":\"lk\",\"picks\":[\"p%d\"],\"eligibility\":\"code\"}",
                         i % 3);
                nrec++;
            } else if (i < 2 * PER) {
                unsigned char h[32];
                char hex[65];
                for (int b = 0; b < 32; b++)
                    h[b] = (unsigned char)rand();
                for (int b = 0; b < 32; b++)
                    snprintf(hex + 2 * b, 3, "%02x", h[b]);
                snprintf(v[i].kind, sizeof v[i].kind, "ballot-code");
                snprintf(payload[i], sizeof payload[i], "{\"ballot\":\"lk\",\"code\":\"%s\"}",
                         hex);
            } else {
                r->ballot = 0;  /* a survey response names its kiosk */
                snprintf(v[i].kind, sizeof v[i].kind, "feedback");
                snprintf(payload[i], sizeof payload[i], "{\"score\":%d}", t % 5);
                nrec++;
            }
            v[i].payload = payload[i];
        }
        proto_batch b = { v, 2 * PER + 1 };
        proto_ack ack;
        assert_int_equal(srvdb_store_batch(s, dev[k], &b, &ack), KC_OK);
        assert_int_equal(ack.stored, 2 * PER + 1);
        assert_int_equal(ack.nrefused, 0);
        proto_ack_free(&ack);
    }
    /* the attacker copies the files while the server runs */
    char wal[4096];
    snprintf(wal, sizeof wal, "%s-wal", db);
    qsort(recs, nrec, sizeof *recs, cmp_rec);
    int *guess = malloc(nrec * sizeof *guess);
    assert_non_null(guess);
    for (size_t i = 0; i < nrec; i++)
        guess[i] = -1;
    attack(wal, recs, nrec, 1, guess);
    attack(db, recs, nrec, 0, guess);
    long right = 0, seen = 0;
    for (size_t i = 0; i < nrec; i++) {
        if (!recs[i].ballot)
            continue;
        seen += guess[i] >= 0;
        right += guess[i] == recs[i].kiosk;
    }
    double chance = (double)NB / KIOSKS;
    double margin = 4 * sqrt((double)NB * (1.0 / KIOSKS) * (1 - 1.0 / KIOSKS));
    printf("linkage: %ld of %d ballots attributed to the right kiosk (%ld located in the "
           "files); chance %.0f, allowed up to %.0f\n", right, NB, seen, chance,
           chance + margin);
    assert_true(right <= chance + margin);
    assert_int_equal(seen, NB);  /* the ballots are there to be found */
    free(guess);
    free(recs);
    srvdb_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linkage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
