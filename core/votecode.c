#include "votecode.h"

#include <sodium.h>
#include <string.h>

#define SEALED_BYTES (VOTECODE_TAG_BYTES + crypto_box_SEALBYTES)
#define B64_VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING

_Static_assert(sizeof VOTECODE_ALPHABET - 1 == VOTECODE_NSYM, "alphabet size");
_Static_assert(VOTECODE_LEN % 4 == 0, "codes print in groups of four");
_Static_assert(sodium_base64_ENCODED_LEN(SEALED_BYTES, B64_VARIANT) == VOTECODE_SEALED_B64 + 1,
               "sealed tag length");
_Static_assert(VOTECODE_KEY_BYTES == crypto_box_PUBLICKEYBYTES &&
                   VOTECODE_KEY_BYTES == crypto_box_SECRETKEYBYTES,
               "tally key size");
_Static_assert(VOTECODE_SALT_BYTES == crypto_pwhash_SALTBYTES, "salt size");

static int ready(void)
{
    return sodium_init() >= 0;
}

kc_err votecode_params_new(votecode_params *p)
{
    if (!ready())
        return KC_ECRYPTO;
    randombytes_buf(p->salt, sizeof p->salt);
    p->opslimit = VOTECODE_OPS_DEFAULT;
    p->memlimit = VOTECODE_MEM_DEFAULT;
    return KC_OK;
}

int votecode_params_ok(const votecode_params *p)
{
    return p->opslimit >= VOTECODE_OPS_MIN && p->opslimit <= VOTECODE_OPS_MAX &&
           p->memlimit >= VOTECODE_MEM_MIN && p->memlimit <= VOTECODE_MEM_MAX;
}

kc_err votecode_random_symbols(char *out, size_t len)
{
    if (!ready())
        return KC_ECRYPTO;
    for (size_t i = 0; i < len; i++)
        out[i] = VOTECODE_ALPHABET[randombytes_uniform(VOTECODE_NSYM)];
    out[len] = '\0';
    return KC_OK;
}

kc_err votecode_generate(char out[VOTECODE_TEXT_LEN + 1])
{
    char bare[VOTECODE_LEN + 1];
    kc_err rc = votecode_random_symbols(bare, VOTECODE_LEN);
    if (rc)
        return rc;
    size_t o = 0;
    for (size_t i = 0; i < VOTECODE_LEN; i++) {
        if (i && i % 4 == 0)
            out[o++] = '-';
        out[o++] = bare[i];
    }
    out[o] = '\0';
    sodium_memzero(bare, sizeof bare);
    return KC_OK;
}

/* Letters that were left out of the alphabet because they look like a digit in it. */
static char read_as(char c)
{
    if (c >= 'a' && c <= 'z')
        c = (char)(c - 'a' + 'A');
    switch (c) {
    case 'B': return '8';
    case 'G': return '6';
    case 'S': return '5';
    case 'Z': return '2';
    default: return c;
    }
}

kc_err votecode_normalize(const char *typed, char out[VOTECODE_LEN + 1], char *msg)
{
    size_t n = 0, len = strnlen(typed, VOTECODE_TYPED_MAX + 1);
    out[0] = '\0';
    if (len > VOTECODE_TYPED_MAX)
        return kc_fail(msg, KC_EINVAL, "code: longer than %d characters", VOTECODE_TYPED_MAX);
    for (size_t i = 0; i < len; i++) {
        char c = typed[i];
        if (c == ' ' || c == '-')
            continue;
        c = read_as(c);
        if (!strchr(VOTECODE_ALPHABET, c) || c == '\0') {
            sodium_memzero(out, VOTECODE_LEN + 1);
            return kc_fail(msg, KC_EINVAL, "code: character %zu is not used in codes",
                           i + 1);
        }
        if (n == VOTECODE_LEN) {
            sodium_memzero(out, VOTECODE_LEN + 1);
            return kc_fail(msg, KC_EINVAL, "code: more than %d symbols", VOTECODE_LEN);
        }
        out[n++] = c;
    }
    out[n] = '\0';
    if (n != VOTECODE_LEN) {
        sodium_memzero(out, VOTECODE_LEN + 1);
        return kc_fail(msg, KC_EINVAL, "code: %zu symbols, a code has %d", n, VOTECODE_LEN);
    }
    return KC_OK;
}

void votecode_to_hex(const unsigned char *in, size_t n, char *out)
{
    sodium_bin2hex(out, 2 * n + 1, in, n);
}

kc_err votecode_from_hex(const char *hex, unsigned char *out, size_t n)
{
    size_t got = 0;
    if (strlen(hex) != 2 * n)
        return KC_EINVAL;
    for (const char *p = hex; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return KC_EINVAL;
    if (sodium_hex2bin(out, n, hex, 2 * n, NULL, &got, NULL) != 0 || got != n)
        return KC_EINVAL;
    return KC_OK;
}

int votecode_valid_hash(const char *s)
{
    if (strnlen(s, VOTECODE_HASH_HEX + 1) != VOTECODE_HASH_HEX)
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    return 1;
}

kc_err votecode_derive(const votecode_params *p, const char code[VOTECODE_LEN + 1],
                       char hash_hex[VOTECODE_HASH_HEX + 1],
                       unsigned char tag[VOTECODE_TAG_BYTES])
{
    unsigned char out[VOTECODE_HASH_HEX / 2 + VOTECODE_TAG_BYTES];
    if (!ready() || !votecode_params_ok(p) || strlen(code) != VOTECODE_LEN)
        return KC_EUSAGE;
    if (crypto_pwhash(out, sizeof out, code, VOTECODE_LEN, p->salt, p->opslimit, p->memlimit,
                      crypto_pwhash_ALG_ARGON2ID13) != 0)
        return KC_ENOMEM;  /* libsodium's only failure here is the memory it asks for */
    votecode_to_hex(out, VOTECODE_HASH_HEX / 2, hash_hex);
    if (tag)
        memcpy(tag, out + VOTECODE_HASH_HEX / 2, VOTECODE_TAG_BYTES);
    sodium_memzero(out, sizeof out);
    return KC_OK;
}

kc_err votecode_keypair(unsigned char pk[VOTECODE_KEY_BYTES],
                        unsigned char sk[VOTECODE_KEY_BYTES])
{
    if (!ready() || crypto_box_keypair(pk, sk) != 0)
        return KC_ECRYPTO;
    return KC_OK;
}

kc_err votecode_seal_tag(const unsigned char tag[VOTECODE_TAG_BYTES],
                         const unsigned char pk[VOTECODE_KEY_BYTES],
                         char out[VOTECODE_SEALED_B64 + 1])
{
    unsigned char sealed[SEALED_BYTES];
    if (!ready() || crypto_box_seal(sealed, tag, VOTECODE_TAG_BYTES, pk) != 0)
        return KC_ECRYPTO;
    sodium_bin2base64(out, VOTECODE_SEALED_B64 + 1, sealed, sizeof sealed, B64_VARIANT);
    return KC_OK;
}

kc_err votecode_open_tag(const char *sealed_b64, const unsigned char pk[VOTECODE_KEY_BYTES],
                         const unsigned char sk[VOTECODE_KEY_BYTES],
                         char tag_hex[2 * VOTECODE_TAG_BYTES + 1])
{
    unsigned char sealed[SEALED_BYTES], tag[VOTECODE_TAG_BYTES];
    size_t got = 0;
    if (!ready())
        return KC_ECRYPTO;
    if (strnlen(sealed_b64, VOTECODE_SEALED_B64 + 1) != VOTECODE_SEALED_B64 ||
        sodium_base642bin(sealed, sizeof sealed, sealed_b64, VOTECODE_SEALED_B64, NULL, &got,
                          NULL, B64_VARIANT) != 0 ||
        got != sizeof sealed)
        return KC_EINVAL;
    if (crypto_box_seal_open(tag, sealed, sizeof sealed, pk, sk) != 0)
        return KC_EDENIED;
    votecode_to_hex(tag, sizeof tag, tag_hex);
    sodium_memzero(tag, sizeof tag);
    return KC_OK;
}
