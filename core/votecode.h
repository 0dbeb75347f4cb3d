/*
 * votecode.h - single-use voter codes for participatory-budgeting ballots: making
 * them, reading what a voter typed, and turning a code into what is stored.
 *
 * A code is VOTECODE_LEN symbols from VOTECODE_ALPHABET (no look-alikes: no 0/O/Q,
 * 1/I/L, B, G, S, Z), printed as XXXX-XXXX-XXXX.  12 symbols of 26 are 56.4 bits.
 *
 * Nothing on a kiosk ever keeps a code in plain text.  votecode_derive() runs Argon2id
 * (libsodium crypto_pwhash) over the code with the ballot's salt and splits the 64-byte
 * output in two independent halves:
 *   - the code hash (hex), stored on kiosks and in code-use records: the kiosk looks
 *     up the hash of what was typed, so a check is one Argon2id run (~18 ms here);
 *   - the double-use tag, never stored in the clear: it goes into the ballot sealed
 *     (crypto_box_seal) to the tally key whose secret half only the server holds, so
 *     the server can drop the extra ballot of a code used on two offline kiosks.
 * The salt is per ballot, not per code: a per-code salt would make the kiosk try every
 * stored hash for each typed code.  Why Argon2id and not a keyed BLAKE2b: whoever
 * holds a kiosk's database holds the salt too, so only the cost per guess and the
 * code's entropy stand between them and the unused codes; see docs/voting.md for the
 * numbers.
 *
 * Pure functions, no state; safe from any thread once sodium_init() has run (each
 * function calls it).  Buffers holding a code are the caller's to wipe
 * (sodium_memzero); the functions here wipe their own copies.
 */
#ifndef VOTECODE_H
#define VOTECODE_H

#include <stddef.h>
#include "kc.h"

#define VOTECODE_ALPHABET "23456789ACDEFHJKMNPRTUVWXY"
#define VOTECODE_NSYM 26
#define VOTECODE_LEN 12
/* Printed form: groups of 4 joined by '-'. */
#define VOTECODE_TEXT_LEN (VOTECODE_LEN + VOTECODE_LEN / 4 - 1)
/* Longest text a voter may type (spaces and dashes included) before it is refused. */
#define VOTECODE_TYPED_MAX 64

#define VOTECODE_SALT_BYTES 16
#define VOTECODE_HASH_HEX 64
#define VOTECODE_TAG_BYTES 32
#define VOTECODE_KEY_BYTES 32
/* Base64 (URL-safe, no padding) of a sealed tag: 32 bytes + 48 of crypto_box_seal. */
#define VOTECODE_SEALED_B64 107

/* Argon2id cost.  Defaults measured at ~18 ms a check on the 2-core target; the
 * accepted range bounds what a codes file from outside can ask of a kiosk. */
#define VOTECODE_OPS_DEFAULT 2
#define VOTECODE_MEM_DEFAULT (16u << 20)
#define VOTECODE_OPS_MIN 1
#define VOTECODE_OPS_MAX 10
#define VOTECODE_MEM_MIN (8u << 20)
#define VOTECODE_MEM_MAX (256u << 20)

typedef struct votecode_params {
    unsigned char salt[VOTECODE_SALT_BYTES];
    unsigned long long opslimit;
    size_t memlimit;
} votecode_params;

/* Fresh random salt, default costs. */
kc_err votecode_params_new(votecode_params *p);
/* 1 when the costs are inside the accepted range. */
int votecode_params_ok(const votecode_params *p);

/* A new random code in printed form (VOTECODE_TEXT_LEN chars + NUL). */
kc_err votecode_generate(char out[VOTECODE_TEXT_LEN + 1]);

/* `len` random symbols of the alphabet, NUL-terminated (receipts use it). */
kc_err votecode_random_symbols(char *out, size_t len);

/* What a voter typed -> the bare code (VOTECODE_LEN symbols + NUL).  Accepts lower
 * case, spaces and dashes, and reads B, G, S, Z as 8, 6, 5, 2 (the symbols they are
 * mistaken for).  KC_EINVAL with a message (which never repeats the code) when the
 * text is not a code. */
kc_err votecode_normalize(const char *typed, char out[VOTECODE_LEN + 1], char *msg);

/* Bare code -> hash (hex + NUL) and tag.  tag may be NULL. */
kc_err votecode_derive(const votecode_params *p, const char code[VOTECODE_LEN + 1],
                       char hash_hex[VOTECODE_HASH_HEX + 1],
                       unsigned char tag[VOTECODE_TAG_BYTES]);

/* 1 when s is VOTECODE_HASH_HEX lower-case hex digits. */
int votecode_valid_hash(const char *s);

/* A tally key pair (X25519).  The public half goes into the ballot file, the secret
 * half to the server only. */
kc_err votecode_keypair(unsigned char pk[VOTECODE_KEY_BYTES],
                        unsigned char sk[VOTECODE_KEY_BYTES]);

/* Seals a tag to the tally key: randomised, so two seals of one tag differ. */
kc_err votecode_seal_tag(const unsigned char tag[VOTECODE_TAG_BYTES],
                         const unsigned char pk[VOTECODE_KEY_BYTES],
                         char out[VOTECODE_SEALED_B64 + 1]);
/* Server side: opens a sealed tag to hex.  KC_EDENIED when it was not sealed to pk. */
kc_err votecode_open_tag(const char *sealed_b64, const unsigned char pk[VOTECODE_KEY_BYTES],
                         const unsigned char sk[VOTECODE_KEY_BYTES],
                         char tag_hex[2 * VOTECODE_TAG_BYTES + 1]);

/* Hex <-> bytes helpers for keys and salts.  from_hex: exactly n bytes or KC_EINVAL. */
kc_err votecode_from_hex(const char *hex, unsigned char *out, size_t n);
void votecode_to_hex(const unsigned char *in, size_t n, char *out);

#endif
