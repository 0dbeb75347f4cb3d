/* kioskctl catalog commands: import, export, search, stats, gen. */
#include "content.h"
#include "ctl.h"
#include "gen.h"
#include "search.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int cmd_import(int argc, char **argv, const ctl_opts *o)
{
    const char *file = NULL;
    int replace = 0, check = 0;
    for (int i = 1; i < argc; i++) {
        if (ctl_is_help(argv[i])) {
            printf("usage: kioskctl import [--replace] [--check] FILE\n\n"
                   "Validates the whole content file (docs/content-format.md), then writes\n"
                   "it in one transaction.  Any error names the item and field, exits 1\n"
                   "and leaves the database unchanged.  Unchanged items keep their\n"
                   "revision.\n"
                   "  --replace  also delete stored items that are not in FILE\n"
                   "  --check    validate only (against the database too), write nothing\n");
            return CTL_OK;
        }
        if (strcmp(argv[i], "--replace") == 0)
            replace = 1;
        else if (strcmp(argv[i], "--check") == 0)
            check = 1;
        else if (argv[i][0] == '-' || file) {
            fprintf(stderr, "kioskctl import: unexpected argument %s\n", argv[i]);
            return CTL_USAGE;
        } else
            file = argv[i];
    }
    if (!file) {
        fprintf(stderr, "kioskctl import: which file? (kioskctl import --help)\n");
        return CTL_USAGE;
    }
    content *c = content_new();
    store *st = NULL;
    int ret = CTL_FAIL;
    if (!c) {
        fprintf(stderr, "kioskctl import: out of memory\n");
        return CTL_FAIL;
    }
    if (content_load_file(c, file)) {
        fprintf(stderr, "kioskctl import: %s\n", content_errmsg(c));
        goto out;
    }
    if ((ret = ctl_open(o, &st)))
        goto out;
    content_result r;
    ret = CTL_FAIL;
    if (content_apply(c, st, (replace ? CONTENT_REPLACE : 0) | (check ? CONTENT_DRY_RUN : 0),
                      &r)) {
        fprintf(stderr, "kioskctl import: %s\n", content_errmsg(c));
        goto out;
    }
    if (check)
        printf("%s: valid; importing it would add %ld, update %ld, delete %ld\n", file,
               r.added, r.updated, r.deleted);
    else
        printf("%s: %ld added, %ld updated, %ld unchanged, %ld deleted, %zu areas "
               "(%ld changed); catalog revision %lld\n",
               file, r.added, r.updated, r.unchanged, r.deleted, content_area_count(c),
               r.areas_changed, store_catalog_rev(st));
    ret = CTL_OK;
out:
    store_close(st);
    content_free(c);
    return ret;
}

int cmd_export(int argc, char **argv, const ctl_opts *o)
{
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (ctl_is_help(argv[i])) {
            printf("usage: kioskctl export [FILE]\n\n"
                   "Writes the live catalog as a content file (to stdout without FILE).\n"
                   "Importing the output into an empty database and exporting again\n"
                   "gives the same bytes.\n");
            return CTL_OK;
        }
        if (argv[i][0] == '-' || file) {
            fprintf(stderr, "kioskctl export: unexpected argument %s\n", argv[i]);
            return CTL_USAGE;
        }
        file = argv[i];
    }
    store *st = NULL;
    int ret = ctl_open(o, &st);
    if (ret)
        return ret;
    FILE *f = file ? fopen(file, "w") : stdout;
    char msg[KC_MSGMAX] = "";
    if (!f) {
        fprintf(stderr, "kioskctl export: cannot write %s: %s\n", file, strerror(errno));
        store_close(st);
        return CTL_FAIL;
    }
    kc_err rc = content_export(st, f, msg);
    if (file && fclose(f) != 0 && !rc)
        rc = kc_fail(msg, KC_EIO, "export: closing %s failed", file);
    if (rc)
        fprintf(stderr, "kioskctl %s\n", msg);
    store_close(st);
    return rc ? CTL_FAIL : CTL_OK;
}

static unsigned bit_of(const char *const *vals, const char *s)
{
    int i = cat_enum_index(vals, s);
    return i < 0 ? 0 : 1u << i;
}

int cmd_search(int argc, char **argv, const ctl_opts *o)
{
    const char *query = NULL, *v;
    search_filter f = SEARCH_ANY;
    cat_lang lang = CAT_FI;
    long limit = 20;
    for (int i = 1; i < argc; i++) {
        if (ctl_is_help(argv[i])) {
            printf("usage: kioskctl search [--kind K] [--theme T] [--area A] "
                   "[--language L]\n"
                   "                        [--lang fi|sv|en] [--limit N] QUERY\n\n"
                   "Searches as the kiosk does: names first (start of name, start of a\n"
                   "word, inside a word), then descriptions; case and accents do not\n"
                   "matter.  Prints rank, tier, kind, id and the name in --lang (with the\n"
                   "language used when it fell back).  An empty QUERY lists everything\n"
                   "that matches the filters.\n");
            return CTL_OK;
        }
        if (ctl_opt(argc, argv, &i, "--kind", &v)) {
            if ((f.kind = cat_kind_from_name(v)) < 0) {
                fprintf(stderr, "kioskctl search: unknown kind \"%s\"\n", v);
                return CTL_USAGE;
            }
        } else if (ctl_opt(argc, argv, &i, "--theme", &v)) {
            if (!bit_of(cat_themes, v)) {
                fprintf(stderr, "kioskctl search: unknown theme \"%s\"\n", v);
                return CTL_USAGE;
            }
            f.themes |= bit_of(cat_themes, v);
        } else if (ctl_opt(argc, argv, &i, "--language", &v)) {
            if (!bit_of(cat_languages, v)) {
                fprintf(stderr, "kioskctl search: unknown language \"%s\"\n", v);
                return CTL_USAGE;
            }
            f.languages |= bit_of(cat_languages, v);
        } else if (ctl_opt(argc, argv, &i, "--area", &v)) {
            f.area = v;
        } else if (ctl_opt(argc, argv, &i, "--lang", &v)) {
            int l = cat_lang_from_code(v);
            if (l < 0) {
                fprintf(stderr, "kioskctl search: --lang must be fi, sv or en\n");
                return CTL_USAGE;
            }
            lang = (cat_lang)l;
        } else if (ctl_opt(argc, argv, &i, "--limit", &v)) {
            if (ctl_parse_long(v, 1, 10000, &limit)) {
                fprintf(stderr, "kioskctl search: --limit must be 1..10000\n");
                return CTL_USAGE;
            }
        } else if (argv[i][0] == '-' && argv[i][1] == '-') {
            fprintf(stderr, "kioskctl search: unknown option %s\n", argv[i]);
            return CTL_USAGE;
        } else if (query) {
            fprintf(stderr, "kioskctl search: give the query as one argument (quote it)\n");
            return CTL_USAGE;
        } else {
            query = argv[i];
        }
    }
    if (!query)
        query = "";
    store *st = NULL;
    search *s = NULL;
    search_hit *hits = NULL;
    int *items = NULL;
    char msg[KC_MSGMAX] = "";
    int ret = ctl_open(o, &st);
    if (ret)
        return ret;
    ret = CTL_FAIL;
    if (search_build(st, &s, msg)) {
        fprintf(stderr, "kioskctl search: %s\n", msg);
        goto out;
    }
    if (f.area && !search_area_known(s, f.area)) {
        fprintf(stderr, "kioskctl search: unknown area \"%s\"\n", f.area);
        ret = CTL_USAGE;
        goto out;
    }
    hits = kc_calloc((size_t)limit, sizeof *hits);
    items = kc_calloc((size_t)limit, sizeof *items);
    if (!hits || !items) {
        fprintf(stderr, "kioskctl search: out of memory\n");
        goto out;
    }
    size_t n;
    if (*query) {
        if (search_query(s, st, query, &f, hits, (size_t)limit, &n, msg)) {
            fprintf(stderr, "kioskctl search: %s\n", msg);
            goto out;
        }
    } else {
        n = search_browse(s, &f, lang, items, (size_t)limit);
        if (n > (size_t)limit)
            n = (size_t)limit;
        for (size_t i = 0; i < n; i++) {
            hits[i].item = items[i];
            hits[i].tier = 0;
        }
    }
    cat_langs pref = cat_langs_for(lang);
    for (size_t i = 0; i < n; i++) {
        cat_lang used;
        const char *name = search_item_name(s, hits[i].item, &pref, &used);
        printf("%zu\t%d\t%s\t%s\t%s%s%s%s\n", i + 1, hits[i].tier,
               cat_kind_name(search_item_kind(s, hits[i].item)),
               search_item_id(s, hits[i].item), name, used != lang ? " (" : "",
               used != lang ? cat_lang_code(used) : "", used != lang ? ")" : "");
    }
    if (n == 0)
        fprintf(stderr, "kioskctl search: no matches\n");
    ret = CTL_OK;
out:
    kc_free(hits);
    kc_free(items);
    search_free(s);
    store_close(st);
    return ret;
}

int cmd_stats(int argc, char **argv, const ctl_opts *o)
{
    for (int i = 1; i < argc; i++) {
        if (ctl_is_help(argv[i])) {
            printf("usage: kioskctl stats\n\nPrints live items per kind, tombstones, areas,\n"
                   "the catalog revision, the schema version and the database size.\n");
            return CTL_OK;
        }
        fprintf(stderr, "kioskctl stats: unexpected argument %s\n", argv[i]);
        return CTL_USAGE;
    }
    store *st = NULL;
    int ret = ctl_open(o, &st);
    if (ret)
        return ret;
    store_stats ss;
    if (store_get_stats(st, &ss)) {
        fprintf(stderr, "kioskctl stats: %s\n", store_errmsg(st));
        store_close(st);
        return CTL_FAIL;
    }
    long total = 0;
    for (int k = 0; k < CAT_NKIND; k++) {
        printf("%-12s %ld\n", cat_kind_name((cat_kind)k), ss.live[k]);
        total += ss.live[k];
    }
    printf("%-12s %ld\n%-12s %ld\n%-12s %ld\n%-12s %lld\n%-12s %d\n", "total", total,
           "tombstones", ss.tombstones, "areas", ss.areas, "revision", ss.catalog_rev,
           "schema", ss.schema);
    struct stat sb;
    if (stat(o->db, &sb) == 0)
        printf("%-12s %lld bytes\n", "file", (long long)sb.st_size);
    store_close(st);
    return CTL_OK;
}

int cmd_gen(int argc, char **argv, const ctl_opts *o)
{
    (void)o;
    long items = 1000, seed = 1;
    const char *file = NULL, *v;
    for (int i = 1; i < argc; i++) {
        if (ctl_is_help(argv[i])) {
            printf("usage: kioskctl gen [--items N] [--seed S] [-o FILE]\n\n"
                   "Writes a synthetic catalog (content format) with realistic Finnish and\n"
                   "Swedish compound names.  The same seed gives the same bytes.\n"
                   "Defaults: 1000 items, seed 1, stdout.\n");
            return CTL_OK;
        }
        if (ctl_opt(argc, argv, &i, "--items", &v)) {
            if (ctl_parse_long(v, 1, GEN_MAX_ITEMS, &items)) {
                fprintf(stderr, "kioskctl gen: --items must be 1..%ld\n", GEN_MAX_ITEMS);
                return CTL_USAGE;
            }
        } else if (ctl_opt(argc, argv, &i, "--seed", &v)) {
            if (ctl_parse_long(v, 0, 2147483647L, &seed)) {
                fprintf(stderr, "kioskctl gen: --seed must be a non-negative integer\n");
                return CTL_USAGE;
            }
        } else if (ctl_opt(argc, argv, &i, "-o", &v)) {
            file = v;
        } else {
            fprintf(stderr, "kioskctl gen: unexpected argument %s\n", argv[i]);
            return CTL_USAGE;
        }
    }
    FILE *f = file ? fopen(file, "w") : stdout;
    if (!f) {
        fprintf(stderr, "kioskctl gen: cannot write %s: %s\n", file, strerror(errno));
        return CTL_FAIL;
    }
    char msg[KC_MSGMAX] = "";
    kc_err rc = gen_write(f, items, (unsigned long)seed, msg);
    if (file && fclose(f) != 0 && !rc)
        rc = kc_fail(msg, KC_EIO, "gen: closing %s failed", file);
    if (rc)
        fprintf(stderr, "kioskctl gen: %s\n", msg);
    return rc ? CTL_FAIL : CTL_OK;
}
