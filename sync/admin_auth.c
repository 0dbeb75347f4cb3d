/* admin_auth.c - logging in and out, accounts and the audit log of the console.
 *
 * Login throttling (docs/admin-api.md): each account and each client address has a
 * count of failed logins.  From the 3rd failure of an account (10th of an address) on,
 * the next try must wait 1 s, then 2, 4, ... up to 15 minutes; while it waits, a
 * login answers 429 without looking at the password.  The counts are in the database,
 * so a restart forgives nothing; they are forgotten a day after the last failure, and
 * an account's on a successful login. */
#include "admin_impl.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define PW_MIN 10
#define PW_MAX 1024
#define THROTTLE_USER_FREE 3
#define THROTTLE_ADDR_FREE 10
#define THROTTLE_MAX_WAIT (15 * 60)
#define THROTTLE_FORGET (24 * 60 * 60)

kc_err admin_password_hash(const char *password, char out[SRVDB_PWHASH_MAX + 1], char *msg)
{
    size_t n = strlen(password);
    if (n < PW_MIN || n > PW_MAX)
        return kc_fail(msg, KC_EINVAL, "\"password\": %d to %d characters", PW_MIN, PW_MAX);
    if (sodium_init() < 0)
        return kc_fail(msg, KC_ECRYPTO, "libsodium failed to start");
    char h[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(h, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return kc_fail(msg, KC_ENOMEM, "out of memory hashing the password");
    snprintf(out, SRVDB_PWHASH_MAX + 1, "%s", h);
    return KC_OK;
}

void adm_csrf_of(const char *token, char out[65])
{
    static const char label[] = "kiosk console csrf";
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)label, sizeof label - 1,
                       (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 65, h, sizeof h);
}

static json_t *user_json(const srvdb_user *u)
{
    return json_pack("{s:s, s:s, s:s, s:I, s:b}", "name", u->name, "role",
                     srvdb_role_name(u->role), "kiosks", u->kiosks, "created",
                     (json_int_t)u->created, "disabled", u->disabled);
}

/* --- throttling --------------------------------------------------------------------- */

static long long wait_after(long failures, long free_)
{
    if (failures < free_)
        return 0;
    long long w = 1;
    for (long i = free_; i < failures && w < THROTTLE_MAX_WAIT; i++)
        w *= 2;
    return w < THROTTLE_MAX_WAIT ? w : THROTTLE_MAX_WAIT;
}

/* Seconds the key must still wait (0 = may try); -1 after a failure reply. */
static long long throttle_wait(adm_ctx *x, const char *key, long long now)
{
    long f;
    long long until, last;
    kc_err rc = srvdb_throttle_get(x->db, key, &f, &until, &last);
    if (rc) {
        adm_db_fail(x, rc);
        return -1;
    }
    if (f && now - last > THROTTLE_FORGET)
        return 0;
    return until > now ? until - now : 0;
}

static int throttle_fail(adm_ctx *x, const char *key, long free_, long long now)
{
    long f;
    long long until, last;
    kc_err rc = srvdb_throttle_get(x->db, key, &f, &until, &last);
    if (!rc) {
        if (now - last > THROTTLE_FORGET)
            f = 0;
        f++;
        rc = srvdb_throttle_set(x->db, key, f, now + wait_after(f, free_), now);
    }
    if (rc)
        adm_db_fail(x, rc);
    return rc ? -1 : 0;
}

/* --- login ---------------------------------------------------------------------------- */

void adm_login(adm_ctx *x)
{
    const char *name, *pw;
    if (adm_body_str(x, "name", SRVDB_USER_MAX, 1, &name) ||
        adm_body_str(x, "password", PW_MAX, 1, &pw))
        return;
    long long now = (long long)time(NULL);
    char ukey[SRVDB_USER_MAX + 8], akey[80];
    snprintf(ukey, sizeof ukey, "user:%s", name);
    snprintf(akey, sizeof akey, "addr:%s", x->addr);
    long long wu = throttle_wait(x, ukey, now), wa = wu < 0 ? -1 : throttle_wait(x, akey, now);
    if (wu < 0 || wa < 0)
        return;
    if (wu || wa) {
        x->retry_after = wu > wa ? wu : wa;
        adm_fail(x, MHD_HTTP_TOO_MANY_REQUESTS, NULL,
                 "too many failed logins; try again in %ld seconds", x->retry_after);
        return;
    }
    srvdb_user u;
    char hash[SRVDB_PWHASH_MAX + 1];
    kc_err rc = srvdb_user_get(x->db, name, &u, hash);
    if (rc && rc != KC_ENOTFOUND) {
        adm_db_fail(x, rc);
        return;
    }
    int ok = !rc && !u.disabled &&
             crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
    sodium_memzero(hash, sizeof hash);
    if (!ok) {
        if (throttle_fail(x, ukey, THROTTLE_USER_FREE, now) ||
            throttle_fail(x, akey, THROTTLE_ADDR_FREE, now))
            return;
        /* The same answer for an unknown name and a wrong password. */
        adm_fail(x, MHD_HTTP_UNAUTHORIZED, "password", "wrong name or password");
        return;
    }
    if ((rc = srvdb_throttle_clear(x->db, ukey))) {
        adm_db_fail(x, rc);
        return;
    }
    char token[SRVDB_TOKEN_LEN + 1], csrf[65];
    unsigned char th[SRVDB_HASH_LEN];
    if ((rc = srvdb_token_new(token, th)) ||
        (rc = srvdb_session_add(x->db, th, u.id, now, now + ADM_SESSION_IDLE))) {
        adm_db_fail(x, rc);
        return;
    }
    adm_csrf_of(token, csrf);
    /* Secure: browsers keep it over https and on loopback (a secure context) only. */
    snprintf(x->cookie, sizeof x->cookie,
             ADM_COOKIE "=%s; Path=/; HttpOnly; Secure; SameSite=Strict", token);
    sodium_memzero(token, sizeof token);
    x->user = u;
    x->have_user = 1;
    if (adm_audit(x, "session.login", u.name, "from %s", x->addr))
        return;
    json_t *j = user_json(&u);
    if (j)
        json_object_set_new(j, "csrf", json_string(csrf));
    adm_ok(x, MHD_HTTP_OK, j);
}

void adm_logout(adm_ctx *x)
{
    kc_err rc = srvdb_session_del(x->db, x->session);
    if (rc) {
        adm_db_fail(x, rc);
        return;
    }
    snprintf(x->cookie, sizeof x->cookie,
             ADM_COOKIE "=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0");
    if (adm_audit(x, "session.logout", x->user.name, "%s", ""))
        return;
    adm_ok(x, MHD_HTTP_OK, json_object());
}

void adm_session_info(adm_ctx *x)
{
    const char *tok = MHD_lookup_connection_value(x->c, MHD_COOKIE_KIND, ADM_COOKIE);
    char csrf[65];
    adm_csrf_of(tok ? tok : "", csrf);
    json_t *j = user_json(&x->user);
    if (j)
        json_object_set_new(j, "csrf", json_string(csrf));
    adm_ok(x, MHD_HTTP_OK, j);
}

/* --- accounts -------------------------------------------------------------------------- */

static kc_err list_user(void *ctx, const srvdb_user *u)
{
    json_t *j = user_json(u);
    return j && json_array_append_new(ctx, j) == 0 ? KC_OK : KC_ENOMEM;
}

void adm_users_list(adm_ctx *x)
{
    json_t *arr = json_array();
    kc_err rc = arr ? srvdb_users_each(x->db, list_user, arr) : KC_ENOMEM;
    if (rc) {
        json_decref(arr);
        adm_db_fail(x, rc);
        return;
    }
    adm_ok(x, MHD_HTTP_OK, json_pack("{s:o}", "users", arr));
}

/* A kiosk list: comma-separated device names, each valid; 0 or -1 after a 400. */
static int check_kiosks(adm_ctx *x, const char *k)
{
    char one[SRVDB_NAME_MAX + 1];
    for (const char *p = k; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == 0 || len > SRVDB_NAME_MAX) {
            adm_fail(x, MHD_HTTP_BAD_REQUEST, "kiosks", "\"kiosks\": names separated by commas");
            return -1;
        }
        memcpy(one, p, len);
        one[len] = '\0';
        if (!srvdb_valid_name(one)) {
            adm_fail(x, MHD_HTTP_BAD_REQUEST, "kiosks", "\"kiosks\": \"%s\" is not a kiosk name",
                     one);
            return -1;
        }
        p += len + (e != NULL);
    }
    return 0;
}

static int read_role(adm_ctx *x, int required, int *role)
{
    const char *r;
    if (adm_body_str(x, "role", 32, required, &r))
        return -1;
    if (!r)
        return 0;
    if ((*role = srvdb_role_parse(r)) < 0) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "role",
                 "\"role\" must be administrator, editor, coordinator or viewer");
        return -1;
    }
    return 0;
}

void adm_user_add(adm_ctx *x)
{
    const char *name, *pw, *kiosks;
    srvdb_user u;
    memset(&u, 0, sizeof u);
    if (adm_body_str(x, "name", SRVDB_USER_MAX, 1, &name) || read_role(x, 1, &u.role) ||
        adm_body_str(x, "kiosks", SRVDB_KIOSKS_MAX, 0, &kiosks) ||
        adm_body_str(x, "password", PW_MAX, 1, &pw))
        return;
    if (!srvdb_valid_name(name)) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "name",
                 "\"name\": 1-64 letters, digits, '.', '_' or '-'");
        return;
    }
    if (kiosks && check_kiosks(x, kiosks))
        return;
    snprintf(u.name, sizeof u.name, "%s", name);
    snprintf(u.kiosks, sizeof u.kiosks, "%s", kiosks ? kiosks : "");
    u.created = (long long)time(NULL);
    char hash[SRVDB_PWHASH_MAX + 1], msg[KC_MSGMAX];
    kc_err rc = admin_password_hash(pw, hash, msg);
    if (rc == KC_EINVAL) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "password", "%s", msg);
        return;
    }
    if (rc) {
        adm_fail(x, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "%s", msg);
        return;
    }
    if ((rc = srvdb_user_add(x->db, &u, hash))) {
        adm_db_fail(x, rc);
        return;
    }
    if (adm_audit(x, "user.add", u.name, "role %s%s%s", srvdb_role_name(u.role),
                  u.kiosks[0] ? ", kiosks " : "", u.kiosks))
        return;
    adm_ok(x, MHD_HTTP_CREATED, user_json(&u));
}

void adm_user_change(adm_ctx *x)
{
    srvdb_user u;
    kc_err rc = srvdb_user_get(x->db, x->arg, &u, NULL);
    if (rc) {
        adm_db_fail(x, rc);
        return;
    }
    int role = u.role;
    const char *kiosks, *pw;
    json_t *dis = json_object_get(x->body, "disabled");
    if (read_role(x, 0, &role) || adm_body_str(x, "kiosks", SRVDB_KIOSKS_MAX, 0, &kiosks) ||
        adm_body_str(x, "password", PW_MAX, 0, &pw))
        return;
    if (dis && !json_is_boolean(dis)) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "disabled", "\"disabled\" must be true or false");
        return;
    }
    if (kiosks && check_kiosks(x, kiosks))
        return;
    int disabled = dis ? json_is_true(dis) : u.disabled;
    /* Someone must be left to run the console. */
    if (u.role == SRVDB_ROLE_ADMIN && !u.disabled &&
        (role != SRVDB_ROLE_ADMIN || disabled)) {
        long n = 0;
        if ((rc = srvdb_admin_count(x->db, &n))) {
            adm_db_fail(x, rc);
            return;
        }
        if (n <= 1) {
            adm_fail(x, MHD_HTTP_CONFLICT, dis ? "disabled" : "role",
                     "\"%s\" is the last administrator", u.name);
            return;
        }
    }
    char hash[SRVDB_PWHASH_MAX + 1], msg[KC_MSGMAX];
    if (pw && (rc = admin_password_hash(pw, hash, msg))) {
        adm_fail(x, rc == KC_EINVAL ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_INTERNAL_SERVER_ERROR,
                 rc == KC_EINVAL ? "password" : NULL, "%s", msg);
        return;
    }
    u.role = role;
    u.disabled = disabled;
    if (kiosks)
        snprintf(u.kiosks, sizeof u.kiosks, "%s", kiosks);
    if ((rc = srvdb_user_update(x->db, &u, pw ? hash : NULL))) {
        adm_db_fail(x, rc);
        return;
    }
    if (adm_audit(x, "user.change", u.name, "role %s%s%s%s%s", srvdb_role_name(u.role),
                  u.kiosks[0] ? ", kiosks " : "", u.kiosks, u.disabled ? ", disabled" : "",
                  pw ? ", new password" : ""))
        return;
    adm_ok(x, MHD_HTTP_OK, user_json(&u));
}

/* --- the audit log ---------------------------------------------------------------------- */

typedef struct audit_ctx {
    json_t *arr;
    long long last;
} audit_ctx;

static kc_err audit_row(void *ctx, const srvdb_audit *a)
{
    audit_ctx *ac = ctx;
    json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)a->id, "at",
                          (json_int_t)a->at, "user", a->user, "action", a->action, "target",
                          a->target, "detail", a->detail);
    ac->last = a->id;
    return j && json_array_append_new(ac->arr, j) == 0 ? KC_OK : KC_ENOMEM;
}

void adm_audit_list(adm_ctx *x)
{
    long long before, limit;
    const char *user = adm_query(x, "user"), *action = adm_query(x, "action");
    if (adm_query_num(x, "before", 1LL << 62, 0, &before) ||
        adm_query_num(x, "limit", 500, 50, &limit))
        return;
    if (limit < 1) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, "limit", "\"limit\" must be 1-500");
        return;
    }
    if ((user && strlen(user) > SRVDB_USER_MAX) || (action && strlen(action) > 47)) {
        adm_fail(x, MHD_HTTP_BAD_REQUEST, user && strlen(user) > SRVDB_USER_MAX ? "user" : "action",
                 "filter too long");
        return;
    }
    audit_ctx ac = { json_array(), 0 };
    kc_err rc = ac.arr ? srvdb_audit_each(x->db, user, action, before, (long)limit,
                                          audit_row, &ac)
                       : KC_ENOMEM;
    if (rc) {
        json_decref(ac.arr);
        adm_db_fail(x, rc);
        return;
    }
    json_t *j = json_pack("{s:o}", "entries", ac.arr);
    if (j && (long long)json_array_size(ac.arr) == limit)
        json_object_set_new(j, "next_before", json_integer(ac.last));
    adm_ok(x, MHD_HTTP_OK, j);
}
