/*
 * ballot.h - participatory-budgeting ballots: the definition format
 * (docs/ballot-format.md), the voter codes kept for it, a voting session for the UI,
 * casting, and the stored votes.  Secrecy design and threat model: docs/voting.md.
 *
 * Definitions.  ballot_parse() validates a whole file before anything else happens; a
 * ballot handle only ever holds a fully valid, immutable definition, and errors name
 * the project and field.  Project views live as long as the handle.
 *
 * Sessions.  A session is one voter at the screen.  It lives in memory only: picks,
 * eligibility and the code's hash are never written anywhere until
 * ballot_session_cast(), so an idle reset (ballot_session_reset or _free) cancels an
 * unconfirmed ballot without a trace; the typed code itself is wiped as soon as it is
 * hashed.  Every rule is enforced at each toggle: a toggle that would break the
 * maximum number of picks or pass the budget is refused and says why, so the running
 * total can never exceed the budget.  A session may move between threads between
 * calls, never be used by two at once; the ballot must outlive it.  Checking a code
 * runs Argon2id once (~18 ms on the target, see votecode.h): acceptable on the UI
 * thread, as it happens once per voter.
 *
 * Casting.  One transaction stores the ballot, marks the code used, stores the receipt
 * and adds two unrelated outbox rows ("ballot": the choices, no code; "ballot-code":
 * the code hash, no ballot reference).  Success is returned only after the commit;
 * then show the receipt.  On any failure nothing is stored, the code stays unused and
 * the session is unchanged, so the UI may offer to try again.
 *
 * Secrecy in the schema.  Ballots, used codes and receipts are three WITHOUT ROWID
 * tables keyed by random values (ballot: the outbox UUID; code: its hash; receipt:
 * itself), with no timestamps and no counters, so no column joins one to another.
 * Nor does the file's layout: a cast rewrites its rows and their neighbours in random
 * order and cuts the WAL (store_anon_shuffle, store_anon_commit; docs/privacy.md).
 *
 * Refusals the voter should see return KC_EDENIED and set a ballot_why for the UI to
 * say in the voter's language; other codes are failures (database, memory) with a
 * message in the session or store handle.
 */
#ifndef BALLOT_H
#define BALLOT_H

#include <stddef.h>

#include "catalog.h"
#include "kc.h"
#include "store.h"
#include "votecode.h"

/* Limits of the format; docs/ballot-format.md lists them too. */
#define BALLOT_MAX_FILE (1024 * 1024)
#define BALLOT_ID_MAX 64             /* ballot and project ids: [a-z0-9._-] */
#define BALLOT_MAX_PROJECTS 100
#define BALLOT_TITLE_MAX 200         /* bytes per language */
#define BALLOT_DESC_MAX 2000
#define BALLOT_ELIGIBILITY_MAX 1000
#define BALLOT_AREA_MAX 100
#define BALLOT_IMAGE_MAX 200
#define BALLOT_COST_MAX 1000000000LL     /* whole euros per project */
#define BALLOT_BUDGET_MAX 100000000000LL /* whole euros */
/* A receipt: this many symbols of VOTECODE_ALPHABET, shown as XXX-XXX. */
#define BALLOT_RECEIPT_LEN 6
#define BALLOT_RECEIPT_TEXT (BALLOT_RECEIPT_LEN + 1)
/* Most codes made in one go. */
#define BALLOT_CODES_MAX 100000
#define BALLOT_CODES_FILE_MAX (16 * 1024 * 1024)  /* bytes of a codes file */
/* Pending ballot rows the sync client should wait for before pushing (docs/voting.md). */
#define BALLOT_SYNC_BATCH_MIN 10

typedef enum ballot_rule {
    BALLOT_APPROVAL,  /* pick min..max projects; costs are shown, not limited */
    BALLOT_KNAPSACK,  /* pick projects whose total cost fits the budget */
} ballot_rule;

/* How the winners are chosen (docs/ballot-format.md "Winners"); named in the file's
 * rule as "method". */
typedef enum ballot_method {
    BALLOT_GREEDY,            /* by votes; what does not fit is skipped */
    BALLOT_GREEDY_NO_SKIP,    /* by votes; counting stops at the first that does not fit */
    BALLOT_GREEDY_THRESHOLD,  /* greedy among projects with a minimum share or count */
    BALLOT_EQUAL_SHARES,      /* the Method of Equal Shares (needs a budget) */
} ballot_method;

/* Order of projects with equal votes (and of equal prices under equal shares). */
typedef enum ballot_ties {
    BALLOT_TIES_CHEAPER,      /* cheaper first, then listed order */
    BALLOT_TIES_DEARER,       /* dearer first, then listed order */
    BALLOT_TIES_LISTED,       /* the order of the ballot file */
} ballot_ties;

typedef struct ballot ballot;

/* A read-only view of one project in one language preference. */
typedef struct ballot_project {
    const char *id;
    const char *title;        /* never NULL */
    const char *description;  /* NULL when none in any language */
    const char *area;         /* NULL when none */
    const char *image;        /* path relative to the ballot file, NULL when none */
    long long cost;           /* whole euros */
    cat_lang title_lang;      /* language of title: differs from the wanted one on fallback */
} ballot_project;

kc_err ballot_parse(const char *buf, size_t len, const char *name, ballot **out, char *msg);
kc_err ballot_load_file(const char *path, ballot **out, char *msg);
void ballot_free(ballot *b);

const char *ballot_id(const ballot *b);
/* Canonical JSON: equal definitions give equal bytes. */
const char *ballot_body(const ballot *b);
/* The definition's version (docs/voting.md, "Versions"): 1 for a parsed file; a store
 * sets the version it keeps the definition under.  Not part of the body: the file's
 * own "version" is the format's.  Every cast ballot carries the version it was shown
 * under, and counting judges it by that version. */
int ballot_version(const ballot *b);
void ballot_set_version(ballot *b, int version);
#define BALLOT_VERSION_MAX 2147483647
ballot_rule ballot_get_rule(const ballot *b);
/* Picks per voter.  Knapsack: min from the file (default 1), max = the project count. */
int ballot_min_picks(const ballot *b);
int ballot_max_picks(const ballot *b);
/* Knapsack: the budget.  Approval: the optional funding budget for the tally, 0 when
 * none. */
long long ballot_budget(const ballot *b);
/* How many projects win at most, from the file's "winners"; 0 when the budget alone
 * decides (an approval ballot names one or the other, never neither). */
int ballot_winners(const ballot *b);
ballot_method ballot_get_method(const ballot *b);
ballot_ties ballot_get_ties(const ballot *b);
/* greedy-threshold (optional with greedy-no-skip): the minimum share of counted ballots
 * in hundredths of a per cent (1000 = 10 %), or 0; the minimum count of votes, or 0.
 * At most one is non-zero. */
long ballot_threshold_bp(const ballot *b);
long ballot_threshold_votes(const ballot *b);
/* equal-shares: 1 when a voter's gain from a project is its cost (not 1); 1 when the
 * add-one completion runs (docs/ballot-format.md). */
int ballot_mes_cost_utility(const ballot *b);
int ballot_mes_add_one(const ballot *b);
/* The method's name as the file writes it ("greedy", "equal-shares", ...). */
const char *ballot_method_name(ballot_method m);
/* Voting period, inclusive, "YYYY-MM-DD" (Finnish local date). */
const char *ballot_opens(const ballot *b);
const char *ballot_closes(const ballot *b);
/* -1 before the period, 0 within, 1 after; day is "YYYY-MM-DD". */
int ballot_period_cmp(const ballot *b, const char *day);
/* The tally key (public half), NULL when the ballot has none. */
const unsigned char *ballot_tally_key(const ballot *b);

const char *ballot_title(const ballot *b, const cat_langs *pref, cat_lang *used);
const char *ballot_description(const ballot *b, const cat_langs *pref, cat_lang *used);
const char *ballot_eligibility(const ballot *b, const cat_langs *pref, cat_lang *used);

size_t ballot_nprojects(const ballot *b);
void ballot_project_at(const ballot *b, size_t i, const cat_langs *pref, ballot_project *out);
long ballot_project_index(const ballot *b, const char *id);  /* -1 when none */
long long ballot_project_cost(const ballot *b, size_t i);
const char *ballot_project_id(const ballot *b, size_t i);

/* 1 when a and b have the same rule, projects (ids, order) and costs: a stored ballot
 * that has votes may change only in texts. */
int ballot_same_structure(const ballot *a, const ballot *b);
/* The freeze (docs/voting.md): KC_EINVAL with msg (BALLOT_FROZEN_MSG) when `next`
 * changes the rule, projects or costs of `old` and old's voting period has begun on
 * `day` ("YYYY-MM-DD", the deciding machine's date); KC_OK otherwise.  The kiosk, the
 * server and the console all refuse with these words. */
#define BALLOT_FROZEN_MSG                                                                   \
    "ballot \"%s\": voting opened on %s; from then only texts may change (titles, "       \
    "descriptions, eligibility, areas, images), not the rule, projects or costs. Keep "    \
    "them as they are, or publish the change as a new ballot with another id"
kc_err ballot_check_change(const ballot *old, const ballot *next, const char *day, char *msg);

/* The local date "YYYY-MM-DD" now, Finnish time is the kiosk's local time. */
void ballot_today(char day[11]);

/* --- sessions ------------------------------------------------------------------------ */

typedef enum ballot_why {
    BALLOT_WHY_NONE,
    BALLOT_WHY_MAX_PICKS,     /* already max picks: remove one first */
    BALLOT_WHY_BUDGET,        /* the project does not fit what is left of the budget */
    BALLOT_WHY_MIN_PICKS,     /* fewer than min picks */
    BALLOT_WHY_NOT_ELIGIBLE,  /* no code entered and no staff unlock yet */
    BALLOT_WHY_CODE_FORMAT,   /* not a code: wrong length or a symbol codes never use */
    BALLOT_WHY_CODE_UNKNOWN,  /* no such code for this ballot */
    BALLOT_WHY_CODE_USED,     /* the code has voted already */
    BALLOT_WHY_CLOSED,        /* outside the voting period */
    BALLOT_WHY_CAST,          /* this session has cast its ballot */
    BALLOT_WHY_NO_PROJECT,    /* no such project */
    BALLOT_WHY_CODE_VOTED,    /* the code voted here: ballot_session_recorded() has the
                               * receipt (a crash may have hidden it from the voter) */
} ballot_why;

/* English, for logs and tests; the UI translates the enum itself. */
const char *ballot_why_name(ballot_why w);

typedef enum ballot_eligibility_kind {
    BALLOT_ELIG_NONE,   /* not yet */
    BALLOT_ELIG_CODE,   /* a valid unused code */
    BALLOT_ELIG_STAFF,  /* unlocked by a staff member (the UI checked the PIN) */
} ballot_eligibility_kind;

typedef struct ballot_progress {
    int picks, min_picks, max_picks;
    long long total;      /* cost of the picks */
    long long budget;     /* 0 when the rule has none */
    long long remaining;  /* budget - total, 0 when no budget */
    ballot_why why;       /* NONE when the picks could be cast now */
    ballot_eligibility_kind eligibility;
    int cast;
} ballot_progress;

typedef struct ballot_session ballot_session;

/* day: the local date to check the period against; NULL means today. */
kc_err ballot_session_new(const ballot *b, const char *day, ballot_session **out);
/* Wipes picks and eligibility, then frees.  NULL is fine. */
void ballot_session_free(ballot_session *s);
/* Idle reset: back to a fresh session (no picks, not eligible, not cast). */
void ballot_session_reset(ballot_session *s);
const char *ballot_session_errmsg(const ballot_session *s);
const ballot *ballot_session_ballot(const ballot_session *s);

/* Picks or unpicks project i.  KC_EDENIED with *why (MAX_PICKS, BUDGET, CAST,
 * NO_PROJECT) when refused; the picks are then unchanged. */
kc_err ballot_session_toggle(ballot_session *s, size_t i, ballot_why *why);
int ballot_session_picked(const ballot_session *s, size_t i);
/* Why picking project i now would be refused; NONE when it would be allowed or it is
 * picked already (cards can be greyed out with this). */
ballot_why ballot_session_can_pick(const ballot_session *s, size_t i);
void ballot_session_progress(const ballot_session *s, ballot_progress *p);

/* Checks a typed code against the codes stored for the ballot (read only).  On
 * success the session is eligible; the code is consumed only by the cast.
 * KC_EDENIED with CODE_FORMAT, CODE_UNKNOWN, CODE_USED (used, on another kiosk or
 * before this kiosk kept receipts), CODE_VOTED (its vote is stored here; the receipt is
 * in ballot_session_recorded()) or CAST. */
kc_err ballot_session_enter_code(ballot_session *s, store *st, const char *typed,
                                 ballot_why *why);
/* After CODE_VOTED: the receipt of that code's stored vote ("XXX-XXX"); "" otherwise. */
const char *ballot_session_recorded(const ballot_session *s);
/* Staff unlock: the caller has checked the coordinator PIN.  Counted separately. */
kc_err ballot_session_unlock_staff(ballot_session *s, ballot_why *why);

/* Everything cast would check, without writing: KC_EDENIED with why when not castable. */
kc_err ballot_session_validate(const ballot_session *s, ballot_why *why);

/* Stores the ballot (see "Casting" above).  receipt gets "XXX-XXX".  KC_EDENIED with
 * why for MIN_PICKS, NOT_ELIGIBLE, CODE_USED (used elsewhere meanwhile), CLOSED, CAST. */
kc_err ballot_session_cast(ballot_session *s, store *st, char receipt[BALLOT_RECEIPT_TEXT + 1],
                           ballot_why *why);

/* Which kind of file buf is, read from its top-level "format" and nothing else (a
 * title that mentions a format does not count): BALLOT_FILE_DEFINITION for
 * "kiosk-ballot", BALLOT_FILE_CODES for "kiosk-ballot-codes".  Anything else is
 * KC_EINVAL naming the file; not JSON, a byte order mark, UTF-16 or an escaped NUL
 * get the messages of safetext_json_load(). */
typedef enum ballot_file_kind { BALLOT_FILE_DEFINITION, BALLOT_FILE_CODES } ballot_file_kind;
kc_err ballot_file_kind_of(const char *buf, size_t len, const char *name,
                           ballot_file_kind *kind, char *msg);

/* --- storage ---------------------------------------------------------------------------- */

/* Creates or migrates the ballot tables (and the outbox); call after store_open. */
kc_err ballot_init(store *st);

/* Stores a definition made here (kioskctl ballot import).  *changed is 0 when the
 * newest stored one was identical; otherwise it is kept as the next version (every
 * version stays, so votes cast under it are judged by it).  Once the stored ballot's
 * voting period has begun (today >= its opens, by this machine's clock), or it has
 * votes or used codes, only its texts may change (KC_EINVAL otherwise, the message
 * says what may still change): rule, projects and costs are frozen from the start
 * time.  Not inside a transaction; on failure nothing changed (message in the store). */
kc_err ballot_store_put(store *st, const ballot *b, int *changed);
/* Stores a version decided elsewhere (the sync server, whose clock decides the
 * freeze: docs/voting.md), as version `version` (>= 1), without the freeze check: a
 * kiosk that refused it would fail every sync.  The same version with other content
 * is replaced (the server's numbering wins).  The newest version is what
 * ballot_store_get returns.  *changed as above. */
kc_err ballot_store_put_version(store *st, const ballot *b, int version, int *changed);
/* The newest version; KC_ENOTFOUND when none. */
kc_err ballot_store_get(store *st, const char *id, ballot **out);
/* One version; KC_ENOTFOUND when that version is not stored here. */
kc_err ballot_store_get_version(store *st, const char *id, int version, ballot **out);
/* Ids of the stored ballots in id order; free with store_free_ids. */
kc_err ballot_store_ids(store *st, char ***ids, size_t *n);

/* Makes n new codes for a stored ballot and stores their hashes in one transaction
 * (first call makes the ballot's salt).  codes[i] gets the printed form; the caller
 * wipes and frees the array.  On failure nothing is stored. */
kc_err ballot_codes_generate(store *st, const char *ballot_id, size_t n,
                             char (*codes)[VOTECODE_TEXT_LEN + 1]);
/* The ballot's code hashes as a codes file (docs/ballot-format.md), for other kiosks
 * and the server; *json is kc_malloc'ed. */
kc_err ballot_codes_export(store *st, const char *ballot_id, char **json);
/* Reads a codes file and stores its hashes (used flags from the file are merged: a
 * code used anywhere stays used).  The ballot must be stored; a different salt is
 * refused.  *added (may be NULL) counts the hashes new to this kiosk, from either list
 * (a used hash the file does not list under "hashes" is stored as used).  One
 * transaction. */
kc_err ballot_codes_import(store *st, const char *buf, size_t len, const char *name,
                           long *added);
/* The sync client: a code-use record came from the server (another kiosk used it).
 * Unknown hashes are stored as used, so a code also can never vote here later. */
kc_err ballot_code_mark_used(store *st, const char *ballot_id, const char *hash_hex);
/* The ballot's salt and costs; KC_ENOTFOUND when no codes were made yet. */
kc_err ballot_code_params(store *st, const char *ballot_id, votecode_params *p);

typedef struct ballot_counts {
    long codes, codes_used;   /* used: here or reported by sync */
    long votes_code, votes_staff;
    long receipts;
} ballot_counts;
kc_err ballot_get_counts(store *st, const char *ballot_id, ballot_counts *c);

/* Was a ballot with this receipt stored here?  Lets staff answer "was my vote
 * counted?" without learning the choices. */
kc_err ballot_receipt_known(store *st, const char *ballot_id, const char *receipt, int *found);

/* Calls fn for every stored vote of a ballot, in random (UUID) order.  picks are the
 * project ids; staff is 1 for staff-unlocked ballots; version the definition version
 * the ballot was cast under. */
typedef kc_err (*ballot_vote_fn)(void *ctx, const char *const *picks, size_t npicks,
                                 int staff, int version);
kc_err ballot_votes_each(store *st, const char *ballot_id, ballot_vote_fn fn, void *ctx);

/* Rewrites and compacts the whole database file (VACUUM with secure_delete, then a
 * truncating WAL checkpoint).  Casting already leaves no order in the file; run it
 * after voting closes for a compact file.  Takes a few seconds on a big catalog. */
kc_err ballot_scrub(store *st);

/* Sync client: which "ballot" and "ballot-code" outbox rows may be pushed now.  Per
 * ballot: yes when at least BALLOT_SYNC_BATCH_MIN of its ballot rows are pending, or
 * its period does not include `day` (NULL: today).  Pushing a ballot on its own, or
 * with ten of another ballot, would let the server pair it with its code-use row by
 * arrival (docs/voting.md).  Decide once per sync, so a release sends every waiting row
 * of that ballot together. */
typedef struct ballot_release ballot_release;
kc_err ballot_release_new(store *st, const char *day, ballot_release **out);
void ballot_release_free(ballot_release *r);
/* 1 for rows of other kinds, and for rows of a released ballot. */
int ballot_release_allows(const ballot_release *r, const char *kind, const char *payload);
/* How many ballots are released. */
size_t ballot_release_count(const ballot_release *r);

#endif
