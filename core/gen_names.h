/*
 * gen_names.h - the word stock of the synthetic catalog (gen.c): village names, the
 * name patterns of a real association register that do not follow "place + activity"
 * (memorial foundations, acronyms, English-named clubs, Swedish-only names) and the
 * extra description sentences.
 *
 * Contract:
 * - Every function is pure: the same arguments give the same bytes on every machine.
 *   Randomness comes in as one 64-bit number x which the function stirs itself, so
 *   the caller's stream advances by exactly one draw per call.
 * - Outputs go into caller buffers of cap bytes, always NUL-terminated; a result that
 *   does not fit returns 0 and leaves out[0] = '\0' (the caller treats that as a bug
 *   and fails loudly, as gen.c does for its templates).
 * - Templates use gen.c's variables: {g} place genitive, {p} place, {s} Swedish place,
 *   {a} activity, {n}/{k} sports/culture nickname, {v}/{w} village (nominative /
 *   genitive), {b} Swedish village, {m} a Swedish nickname, {x} {y} numbers.
 */
#ifndef GEN_NAMES_H
#define GEN_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* One of several hundred Finnish village names ("Koivujärvi"): genitive ("Koivujärven")
 * when gen is set.  Returns the length written, 0 when it did not fit. */
size_t genn_village(uint64_t x, int gen, char *out, size_t cap);

/* A Swedish village name ("Västerby", "Ekenäsvik"). */
size_t genn_village_sv(uint64_t x, char *out, size_t cap);

/* A Swedish club nickname ("Framåt", "Kamraterna"). */
size_t genn_nick_sv(uint64_t x, char *out, size_t cap);

/* A memorial foundation named after a person or family: the registered Finnish name
 * into fi, and with some x a Swedish and an English one (empty otherwise). */
void genn_foundation(uint64_t x, char *fi, char *sv, char *en, size_t cap);

/* An acronym like clubs use ("KuPS", "HIFK"): from the place's genitive and the
 * activity word.  Both UTF-8; letters outside ASCII are kept whole. */
size_t genn_acronym(uint64_t x, const char *place_gen, const char *word, size_t wlen,
                    char *out, size_t cap);

/* A name pattern off the place + activity scheme.  *head is the start of the Finnish
 * activity (gen.c's heads[].fi) whose themes the association takes.  English patterns
 * are English-named clubs; Swedish ones are registered only in Swedish. */
const char *genn_english(uint64_t x, const char **head);
const char *genn_swedish(uint64_t x, const char **head);

/* A "fi|sv|en" description sentence for an association; sentences differ in length
 * and use {a} {g} {p} {s} {v} {x} {y}. */
const char *genn_assoc_sentence(uint64_t x);

#endif
