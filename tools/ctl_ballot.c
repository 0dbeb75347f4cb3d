/* kioskctl ballot: import, codes (printable sheet), tally, status, keygen, scrub. */
#include "ballot.h"
#include "ctl.h"
#include "qr.h"
#include "tally.h"
#include "votecode.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Codes a PNG sheet may hold: one image, so it is bounded. */
#define PNG_CODES_MAX 300

static void usage(FILE *f)
{
    fprintf(f,
            "usage: kioskctl ballot import FILE...\n"
            "       kioskctl ballot codes --ballot ID --count N --out SHEET.pdf|SHEET.png\n"
            "                             [--hashes CODES.json] [--txt CODES.txt]\n"
            "       kioskctl ballot hashes --ballot ID --out CODES.json\n"
            "       kioskctl ballot tally --ballot ID [--csv FILE] [--lang fi|sv|en]\n"
            "       kioskctl ballot status\n"
            "       kioskctl ballot receipt --ballot ID RECEIPT\n"
            "       kioskctl ballot keygen\n"
            "       kioskctl ballot scrub\n\n"
            "Participatory-budgeting ballots (docs/ballot-format.md, docs/voting.md).\n"
            "  import   store ballot files and codes files (kiosk-ballot-codes)\n"
            "  codes    make N single-use voter codes, store only their hashes, and print\n"
            "           them with QR codes on a sheet; --hashes writes the codes file for\n"
            "           other kiosks and the server, --txt the plain codes (for mail merge)\n"
            "  hashes   write the ballot's codes file\n"
            "  tally    counts per project and the winners by the ballot's rule\n"
            "  status   every stored ballot: period, codes used, votes\n"
            "  receipt  was a ballot with this receipt stored here?\n"
            "  keygen   a tally key pair: public half for the ballot file's tally_key,\n"
            "           secret half for the server only\n"
            "  scrub    rewrite the database so no page keeps the order of votes; run it\n"
            "           when voting has closed\n");
}

static int load_file(const char *path, char **buf, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "kioskctl ballot: %s: cannot open: %s\n", path, strerror(errno));
        return CTL_FAIL;
    }
    size_t cap = 64 * 1024 * 1024, n;
    *buf = malloc(cap + 1);
    if (!*buf) {
        fclose(f);
        return CTL_FAIL;
    }
    n = fread(*buf, 1, cap + 1, f);
    fclose(f);
    if (n > cap) {
        fprintf(stderr, "kioskctl ballot: %s: too large\n", path);
        free(*buf);
        return CTL_FAIL;
    }
    (*buf)[n] = '\0';
    *len = n;
    return CTL_OK;
}

static int do_import(int argc, char **argv, store *st)
{
    if (argc < 1) {
        fprintf(stderr, "kioskctl ballot import: which file?\n");
        return CTL_USAGE;
    }
    for (int i = 0; i < argc; i++) {
        char *buf;
        size_t len;
        char msg[KC_MSGMAX];
        if (load_file(argv[i], &buf, &len))
            return CTL_FAIL;
        int ret = CTL_OK;
        ballot_file_kind kind;
        if (ballot_file_kind_of(buf, len, argv[i], &kind, msg)) {
            fprintf(stderr, "kioskctl ballot import: %s\n", msg);
            ret = CTL_FAIL;
        } else if (kind == BALLOT_FILE_CODES) {
            long added;
            if (ballot_codes_import(st, buf, len, argv[i], &added)) {
                fprintf(stderr, "kioskctl ballot import: %s\n", store_errmsg(st));
                ret = CTL_FAIL;
            } else
                printf("%s: %ld new code hashes\n", argv[i], added);
        } else {
            ballot *b;
            int changed;
            if (ballot_parse(buf, len, argv[i], &b, msg)) {
                fprintf(stderr, "kioskctl ballot import: %s\n", msg);
                ret = CTL_FAIL;
            } else if (ballot_store_put(st, b, &changed)) {
                fprintf(stderr, "kioskctl ballot import: %s\n", store_errmsg(st));
                ret = CTL_FAIL;
            } else
                printf("%s: ballot \"%s\" %s\n", argv[i], ballot_id(b),
                       changed ? "stored" : "unchanged");
            ballot_free(b);
        }
        free(buf);
        if (ret)
            return ret;
    }
    return CTL_OK;
}

/* --- the code sheet ---------------------------------------------------------------- */

#define SHEET_COLS 3
#define SHEET_ROWS 5
#define PAGE_W 595.0  /* A4 in points */
#define PAGE_H 842.0
#define MARGIN 28.0

static void draw_cell(cairo_t *cr, double x, double y, double w, double h, const char *title,
                      const char *code, const qr_code *q)
{
    cairo_save(cr);
    static const double dash[] = { 3.0, 3.0 };
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_line_width(cr, 0.5);
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
    cairo_rectangle(cr, x, y, w, h);
    cairo_stroke(cr);
    cairo_restore(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    /* the title shrinks to fit the cell, then is clipped at its edge */
    cairo_text_extents_t ext;
    cairo_set_font_size(cr, 8);
    cairo_text_extents(cr, title, &ext);
    if (ext.x_advance > w - 16)
        cairo_set_font_size(cr, 8 * (w - 16) / ext.x_advance < 5 ? 5
                                                                  : 8 * (w - 16) / ext.x_advance);
    cairo_save(cr);
    cairo_rectangle(cr, x + 4, y, w - 8, h);
    cairo_clip(cr);
    cairo_move_to(cr, x + 8, y + 14);
    cairo_show_text(cr, title);
    cairo_restore(cr);
    int n = qr_size(q) + 8;  /* with the quiet zone */
    double side = h - 52, mod = side / n, qx = x + (w - side) / 2, qy = y + 20;
    for (int r = 0; r < qr_size(q); r++)
        for (int c = 0; c < qr_size(q); c++)
            if (qr_dark(q, c, r))
                cairo_rectangle(cr, qx + (c + 4) * mod, qy + (r + 4) * mod, mod, mod);
    cairo_fill(cr);
    cairo_select_font_face(cr, "DejaVu Sans Mono", CAIRO_FONT_SLANT_NORMAL,
                           CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, 14);
    cairo_text_extents(cr, code, &ext);
    cairo_move_to(cr, x + (w - ext.x_advance) / 2, y + h - 12);
    cairo_show_text(cr, code);
}

static int write_sheet(const char *out, const char *title, char (*codes)[VOTECODE_TEXT_LEN + 1],
                       size_t n)
{
    size_t len = strlen(out);
    int png = len > 4 && strcmp(out + len - 4, ".png") == 0;
    if (!png && !(len > 4 && strcmp(out + len - 4, ".pdf") == 0)) {
        fprintf(stderr, "kioskctl ballot codes: --out must end in .pdf or .png\n");
        return CTL_USAGE;
    }
    double cw = (PAGE_W - 2 * MARGIN) / SHEET_COLS, ch = (PAGE_H - 2 * MARGIN) / SHEET_ROWS;
    size_t rows = (n + SHEET_COLS - 1) / SHEET_COLS;
    double scale = 150.0 / 72.0;  /* PNG at 150 dpi */
    cairo_surface_t *sf = png ? cairo_image_surface_create(
                                    CAIRO_FORMAT_RGB24, (int)(PAGE_W * scale),
                                    (int)((2 * MARGIN + (double)rows * ch) * scale))
                              : cairo_pdf_surface_create(out, PAGE_W, PAGE_H);
    cairo_t *cr = cairo_create(sf);
    if (png) {
        cairo_scale(cr, scale, scale);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
    }
    int ret = CTL_OK;
    for (size_t i = 0; i < n && ret == CTL_OK; i++) {
        size_t slot = png ? i : i % (SHEET_COLS * SHEET_ROWS);
        if (!png && i && slot == 0)
            cairo_show_page(cr);
        qr_code *q;
        if (qr_encode(codes[i], &q)) {
            ret = CTL_FAIL;
            break;
        }
        draw_cell(cr, MARGIN + (double)(slot % SHEET_COLS) * cw,
                  MARGIN + (double)(slot / SHEET_COLS) * ch, cw, ch, title, codes[i], q);
        qr_free(q);
    }
    if (ret == CTL_OK && cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        ret = CTL_FAIL;
    cairo_destroy(cr);
    if (png && ret == CTL_OK && cairo_surface_write_to_png(sf, out) != CAIRO_STATUS_SUCCESS)
        ret = CTL_FAIL;
    cairo_surface_finish(sf);
    if (ret == CTL_OK && cairo_surface_status(sf) != CAIRO_STATUS_SUCCESS)
        ret = CTL_FAIL;
    cairo_surface_destroy(sf);
    /* cairo and fontconfig keep font caches for the process's life: free them so leak
     * checkers see a clean exit */
    cairo_debug_reset_static_data();
    FcFini();
    if (ret)
        fprintf(stderr, "kioskctl ballot codes: %s: could not write the sheet\n", out);
    return ret;
}

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "kioskctl ballot: %s: cannot write: %s\n", path, strerror(errno));
        return CTL_FAIL;
    }
    return CTL_OK;
}

static int write_hashes(store *st, const char *id, const char *path)
{
    char *json;
    if (ballot_codes_export(st, id, &json)) {
        fprintf(stderr, "kioskctl ballot: %s\n", store_errmsg(st));
        return CTL_FAIL;
    }
    int ret = write_text(path, json);
    kc_free(json);
    return ret;
}

static int do_codes(const char *id, long count, const char *out, const char *hashes,
                    const char *txt, store *st)
{
    ballot *b;
    if (!id || count <= 0 || !out) {
        fprintf(stderr, "kioskctl ballot codes: needs --ballot, --count and --out\n");
        return CTL_USAGE;
    }
    size_t len = strlen(out);
    if (len <= 4 || (strcmp(out + len - 4, ".png") != 0 && strcmp(out + len - 4, ".pdf") != 0)) {
        fprintf(stderr, "kioskctl ballot codes: --out must end in .pdf or .png\n");
        return CTL_USAGE;
    }
    if (strcmp(out + len - 4, ".png") == 0 && count > PNG_CODES_MAX) {
        fprintf(stderr, "kioskctl ballot codes: a PNG sheet holds at most %d codes; use .pdf\n",
                PNG_CODES_MAX);
        return CTL_USAGE;
    }
    if (ballot_store_get(st, id, &b)) {
        fprintf(stderr, "kioskctl ballot codes: %s\n", store_errmsg(st));
        return CTL_FAIL;
    }
    cat_langs fi = cat_langs_for(CAT_FI);
    char title[128];
    snprintf(title, sizeof title, "%s", ballot_title(b, &fi, NULL));
    ballot_free(b);
    /* guarded, unswappable memory for the only plain copies of the codes */
    char (*codes)[VOTECODE_TEXT_LEN + 1] =
        sodium_init() < 0 ? NULL : sodium_malloc((size_t)count * sizeof *codes);
    if (!codes)
        return CTL_FAIL;
    int ret = CTL_FAIL;
    if (ballot_codes_generate(st, id, (size_t)count, codes)) {
        fprintf(stderr, "kioskctl ballot codes: %s\n", store_errmsg(st));
        goto out;
    }
    if ((ret = write_sheet(out, title, codes, (size_t)count))) {
        fprintf(stderr, "kioskctl ballot codes: %ld codes were stored but not printed; nobody "
                        "knows them, so they can never be used\n", count);
        goto out;
    }
    if (txt) {
        FILE *f = fopen(txt, "w");
        for (long i = 0; f && i < count; i++)
            fprintf(f, "%s\n", codes[i]);
        if (!f || fclose(f) != 0) {
            fprintf(stderr, "kioskctl ballot codes: %s: cannot write\n", txt);
            ret = CTL_FAIL;
            goto out;
        }
    }
    if (hashes && (ret = write_hashes(st, id, hashes)))
        goto out;
    printf("%ld codes for \"%s\" stored (hashes only) and printed to %s\n", count, id, out);
out:
    sodium_free(codes);
    return ret;
}

static int do_tally(const char *id, const char *csv, const char *lang, store *st)
{
    ballot *b;
    tally *t = NULL;
    if (!id) {
        fprintf(stderr, "kioskctl ballot tally: needs --ballot\n");
        return CTL_USAGE;
    }
    int l = lang ? cat_lang_from_code(lang) : CAT_FI;
    if (l < 0) {
        fprintf(stderr, "kioskctl ballot tally: --lang fi, sv or en\n");
        return CTL_USAGE;
    }
    if (ballot_store_get(st, id, &b)) {
        fprintf(stderr, "kioskctl ballot tally: %s\n", store_errmsg(st));
        return CTL_FAIL;
    }
    int ret = CTL_FAIL;
    if (tally_new(b, &t) || tally_add_store(t, st)) {
        fprintf(stderr, "kioskctl ballot tally: %s\n", store_errmsg(st));
        goto out;
    }
    if (tally_compute(t)) {
        fprintf(stderr, "kioskctl ballot tally: out of memory\n");
        goto out;
    }
    tally_summary s;
    tally_get_summary(t, &s);
    cat_langs pref = cat_langs_for((cat_lang)l);
    printf("%s: %ld ballots (%ld with a code, %ld unlocked by staff), %ld invalid\n",
           ballot_title(b, &pref, NULL), s.ballots, s.ballots_code, s.ballots_staff, s.invalid);
    printf("%-4s %-24s %10s %6s %6s %6s  %s\n", "rank", "project", "cost", "votes", "code",
           "staff", "");
    for (size_t i = 0; i < tally_nrows(t); i++) {
        const tally_row *r = tally_row_at(t, i);
        char why[512];
        tally_explain(t, r, (cat_lang)l, why, sizeof why);
        printf("%-4d %-24.24s %10lld %6ld %6ld %6ld  %s%s\n     %s\n", r->rank, r->id, r->cost,
               r->votes, r->votes_code, r->votes_staff, r->winner ? "WINNER" : "",
               r->tied ? " (tie)" : "", why);
    }
    if (s.budget)
        printf("budget %lld, winners cost %lld, left %lld\n", s.budget, s.spent,
               s.budget - s.spent);
    char text[2048];
    tally_rule_text(b, (cat_lang)l, text, sizeof text);
    printf("\n%s\n", text);
    if (csv) {
        FILE *f = fopen(csv, "w");
        if (!f || tally_write_csv(t, f) || fclose(f) != 0) {
            fprintf(stderr, "kioskctl ballot tally: %s: cannot write\n", csv);
            goto out;
        }
    }
    ret = CTL_OK;
out:
    tally_free(t);
    ballot_free(b);
    return ret;
}

static int do_status(store *st)
{
    char **ids;
    size_t n;
    if (ballot_store_ids(st, &ids, &n)) {
        fprintf(stderr, "kioskctl ballot status: %s\n", store_errmsg(st));
        return CTL_FAIL;
    }
    char today[11];
    ballot_today(today);
    int ret = CTL_OK;
    for (size_t i = 0; i < n && ret == CTL_OK; i++) {
        ballot *b;
        ballot_counts c;
        if (ballot_store_get(st, ids[i], &b) || ballot_get_counts(st, ids[i], &c)) {
            fprintf(stderr, "kioskctl ballot status: %s\n", store_errmsg(st));
            ret = CTL_FAIL;
            break;
        }
        int when = ballot_period_cmp(b, today);
        printf("%s: %s %s..%s, %s; codes %ld (%ld used), votes %ld with code + %ld staff\n",
               ids[i], when < 0 ? "opens" : when > 0 ? "closed" : "OPEN", ballot_opens(b),
               ballot_closes(b), ballot_get_rule(b) == BALLOT_KNAPSACK ? "knapsack" : "approval",
               c.codes, c.codes_used, c.votes_code, c.votes_staff);
        ballot_free(b);
    }
    if (ret == CTL_OK && n == 0)
        printf("no ballots stored\n");
    store_free_ids(ids, n);
    return ret;
}

int cmd_ballot(int argc, char **argv, const ctl_opts *o)
{
    if (argc < 2 || ctl_is_help(argv[1])) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? CTL_USAGE : CTL_OK;
    }
    const char *sub = argv[1], *id = NULL, *out = NULL, *hashes = NULL, *txt = NULL,
               *csv = NULL, *lang = NULL, *countarg = NULL;
    char *rest[64];
    int nrest = 0;
    for (int i = 2; i < argc; i++) {
        if (ctl_is_help(argv[i])) {
            usage(stdout);
            return CTL_OK;
        }
        if (ctl_opt(argc, argv, &i, "--ballot", &id) || ctl_opt(argc, argv, &i, "--out", &out) ||
            ctl_opt(argc, argv, &i, "--hashes", &hashes) ||
            ctl_opt(argc, argv, &i, "--txt", &txt) || ctl_opt(argc, argv, &i, "--csv", &csv) ||
            ctl_opt(argc, argv, &i, "--lang", &lang) ||
            ctl_opt(argc, argv, &i, "--count", &countarg))
            continue;
        if (argv[i][0] == '-' || nrest == 64) {
            fprintf(stderr, "kioskctl ballot: unexpected argument %s\n", argv[i]);
            return CTL_USAGE;
        }
        rest[nrest++] = argv[i];
    }
    long count = 0;
    if (countarg && ctl_parse_long(countarg, 1, BALLOT_CODES_MAX, &count)) {
        fprintf(stderr, "kioskctl ballot: --count 1..%d\n", BALLOT_CODES_MAX);
        return CTL_USAGE;
    }
    if (strcmp(sub, "keygen") == 0) {
        unsigned char pk[VOTECODE_KEY_BYTES], sk[VOTECODE_KEY_BYTES];
        char hex[2 * VOTECODE_KEY_BYTES + 1];
        if (votecode_keypair(pk, sk))
            return CTL_FAIL;
        votecode_to_hex(pk, sizeof pk, hex);
        printf("tally_key (public, for the ballot file): %s\n", hex);
        votecode_to_hex(sk, sizeof sk, hex);
        printf("secret (for the server only):            %s\n", hex);
        sodium_memzero(sk, sizeof sk);
        sodium_memzero(hex, sizeof hex);
        return CTL_OK;
    }
    static const char *const known[] = { "import", "codes", "hashes", "tally", "status",
                                         "receipt", "scrub", NULL };
    int ok = 0;
    for (size_t k = 0; known[k] && !ok; k++)
        ok = strcmp(sub, known[k]) == 0;
    if (!ok) {
        fprintf(stderr, "kioskctl ballot: unknown subcommand \"%.40s\"\n", sub);
        usage(stderr);
        return CTL_USAGE;
    }
    store *st;
    int ret = ctl_open(o, &st);
    if (ret)
        return ret;
    if (ballot_init(st)) {
        fprintf(stderr, "kioskctl ballot: %s\n", store_errmsg(st));
        store_close(st);
        return CTL_FAIL;
    }
    if (strcmp(sub, "import") == 0)
        ret = do_import(nrest, rest, st);
    else if (strcmp(sub, "codes") == 0)
        ret = do_codes(id, count, out, hashes, txt, st);
    else if (strcmp(sub, "hashes") == 0)
        ret = id && out ? write_hashes(st, id, out) : CTL_USAGE;
    else if (strcmp(sub, "tally") == 0)
        ret = do_tally(id, csv, lang, st);
    else if (strcmp(sub, "status") == 0)
        ret = do_status(st);
    else if (strcmp(sub, "receipt") == 0) {
        int found = 0;
        if (!id || nrest != 1)
            ret = CTL_USAGE;
        else if (ballot_receipt_known(st, id, rest[0], &found))
            ret = CTL_FAIL;
        else {
            printf("receipt %s: %s\n", rest[0], found ? "a ballot with it is stored here"
                                                      : "not found here");
            ret = found ? CTL_OK : CTL_FAIL;
        }
    } else if (ballot_scrub(st)) {
        fprintf(stderr, "kioskctl ballot scrub: %s\n", store_errmsg(st));
        ret = CTL_FAIL;
    } else
        printf("database rewritten; the write-ahead log is empty\n");
    if (ret == CTL_USAGE)
        fprintf(stderr, "kioskctl ballot %s: missing arguments (kioskctl ballot --help)\n", sub);
    store_close(st);
    return ret;
}
