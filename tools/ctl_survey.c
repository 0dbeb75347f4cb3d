/* kioskctl survey, responses and workshop commands. */
#include "ctl.h"
#include "feedback.h"
#include "results.h"
#include "survey.h"
#include "workshop.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Opens the store with every table these commands read. */
static int open_all(const ctl_opts *o, store **st)
{
    int ret = ctl_open(o, st);
    if (ret)
        return ret;
    kc_err rc = workshop_init(*st);
    if (!rc)
        rc = feedback_init(*st);
    if (!rc)
        return CTL_OK;
    fprintf(stderr, "kioskctl: %s\n", store_errmsg(*st));
    store_close(*st);
    *st = NULL;
    return rc == KC_ENEWER ? CTL_NEWER : CTL_FAIL;
}

static int parse_lang(const char *cmd, const char *v, cat_lang *out)
{
    int l = cat_lang_from_code(v);
    if (l < 0) {
        fprintf(stderr, "kioskctl %s: --lang must be fi, sv or en\n", cmd);
        return CTL_USAGE;
    }
    *out = (cat_lang)l;
    return CTL_OK;
}

/* --- survey ---------------------------------------------------------------------------- */

static int survey_import(int argc, char **argv, const ctl_opts *o)
{
    int check = 0, nfiles = 0, ret = CTL_OK;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--check") == 0)
            check = 1;
        else if (argv[i][0] == '-') {
            fprintf(stderr, "kioskctl survey import: unknown option %s\n", argv[i]);
            return CTL_USAGE;
        } else
            nfiles++;
    }
    if (!nfiles) {
        fprintf(stderr, "kioskctl survey import: which file? (kioskctl survey --help)\n");
        return CTL_USAGE;
    }
    store *st = NULL;
    if (!check && (ret = open_all(o, &st)))
        return ret;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-')
            continue;
        survey *s;
        char msg[KC_MSGMAX];
        survey_put_result r;
        if (survey_load_file(argv[i], &s, msg)) {
            fprintf(stderr, "kioskctl survey import: %s\n", msg);
            ret = CTL_FAIL;
            continue;
        }
        if (check) {
            printf("%s: valid %s \"%s\", %zu questions\n", argv[i],
                   survey_get_mode(s) == SURVEY_MODE_WORKSHOP ? "workshop" : "survey",
                   survey_id(s), survey_nquestions(s));
        } else if (survey_store_put(st, s, &r, msg)) {
            fprintf(stderr, "kioskctl survey import: %s: %s\n", argv[i], msg);
            ret = CTL_FAIL;
        } else {
            static const char *const what[] = { "added", "new version", "unchanged" };
            printf("%s: survey \"%s\" version %d (%s)\n", argv[i], survey_id(s),
                   survey_version(s), what[r]);
        }
        survey_free(s);
    }
    store_close(st);
    return ret;
}

static int survey_listcmd(int argc, char **argv, const ctl_opts *o)
{
    int flags = 0;
    const char *kiosk = NULL, *v;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--active") == 0)
            flags |= SURVEY_LIST_ACTIVE;
        else if (ctl_opt(argc, argv, &i, "--kiosk", &v))
            kiosk = v;
        else {
            fprintf(stderr, "kioskctl survey list: unexpected argument %s\n", argv[i]);
            return CTL_USAGE;
        }
    }
    store *st = NULL;
    int ret = open_all(o, &st);
    if (ret)
        return ret;
    survey_info *list;
    size_t n;
    char msg[KC_MSGMAX];
    if (survey_list(st, flags, kiosk, time(NULL), &list, &n, msg)) {
        fprintf(stderr, "kioskctl survey list: %s\n", msg);
        store_close(st);
        return CTL_FAIL;
    }
    cat_langs fi = cat_langs_for(CAT_FI);
    for (size_t i = 0; i < n; i++)
        printf("%-32s v%-3d %-8s %-8s %6ld responses  %s\n", list[i].id, list[i].version,
               list[i].mode == SURVEY_MODE_WORKSHOP ? "workshop" : "survey",
               list[i].active ? "active" : "-", list[i].responses,
               cat_text_pick(list[i].title, &fi, NULL));
    survey_info_free(list, n);
    store_close(st);
    return CTL_OK;
}

int cmd_survey(int argc, char **argv, const ctl_opts *o)
{
    if (argc < 2 || ctl_is_help(argv[1])) {
        printf("usage: kioskctl survey import [--check] FILE...\n"
               "       kioskctl survey list [--active] [--kiosk ID]\n\n"
               "import validates each survey or workshop file (docs/survey-format.md) and\n"
               "stores it as a new version when it changed; an error names the question\n"
               "and field and stores nothing from that file.  --check only validates.\n"
               "list shows every survey with its newest version; --active only those this\n"
               "kiosk (--kiosk, else the kiosk.id setting) shows now.\n");
        return argc < 2 ? CTL_USAGE : CTL_OK;
    }
    if (strcmp(argv[1], "import") == 0)
        return survey_import(argc - 1, argv + 1, o);
    if (strcmp(argv[1], "list") == 0)
        return survey_listcmd(argc - 1, argv + 1, o);
    fprintf(stderr, "kioskctl survey: unknown subcommand \"%s\"\n", argv[1]);
    return CTL_USAGE;
}

/* --- responses --------------------------------------------------------------------------- */

static void print_question(const results_question *rq, const cat_langs *pref)
{
    const survey_question *q = rq->q;
    printf("  %s: %s\n    answered %ld", q->id, cat_text_pick(q->text, pref, NULL),
           rq->answered);
    if ((q->type == SURVEY_SCALE || q->type == SURVEY_NUMBER) && rq->answered)
        printf(", mean %.2f, min %g, max %g", rq->mean, rq->min, rq->max);
    if (q->type == SURVEY_TEXT)
        printf(", %ld texts (export them to read)", rq->texts);
    printf("\n");
    for (size_t k = 0; k < rq->noptions; k++) {
        const results_option *op = &rq->options[rq->order[k]];
        const char *label = cat_text_pick(op->text, pref, NULL);
        printf("    %2d. %-40s %5ld %6.1f %%", op->rank, label ? label : op->id, op->count,
               op->percent);
        if (q->type == SURVEY_TOP)
            printf(" %6ld points", op->points);
        printf("\n");
    }
}

static int responses_stats(int argc, char **argv, const ctl_opts *o)
{
    const char *id = NULL, *v;
    cat_lang lang = CAT_FI;
    int ret;
    for (int i = 1; i < argc; i++) {
        if (ctl_opt(argc, argv, &i, "--survey", &v))
            id = v;
        else if (ctl_opt(argc, argv, &i, "--lang", &v)) {
            if ((ret = parse_lang("responses stats", v, &lang)))
                return ret;
        } else {
            fprintf(stderr, "kioskctl responses stats: unexpected argument %s\n", argv[i]);
            return CTL_USAGE;
        }
    }
    store *st = NULL;
    if ((ret = open_all(o, &st)))
        return ret;
    char msg[KC_MSGMAX];
    cat_langs pref = cat_langs_for(lang);
    ret = CTL_FAIL;
    if (id) {
        results *r;
        if (results_for_survey(st, id, &r, msg)) {
            fprintf(stderr, "kioskctl responses stats: %s\n", msg);
            goto out;
        }
        printf("survey %s: %ld responses (counted against version %d)\n", id,
               results_responses(r), survey_version(results_survey(r)));
        for (size_t i = 0; i < results_nquestions(r); i++)
            print_question(results_question_at(r, i), &pref);
        results_free(r);
        ret = CTL_OK;
        goto out;
    }
    survey_info *list;
    size_t n;
    if (survey_list(st, 0, NULL, time(NULL), &list, &n, msg)) {
        fprintf(stderr, "kioskctl responses stats: %s\n", msg);
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if (list[i].mode == SURVEY_MODE_SURVEY)
            printf("survey %-32s %6ld responses\n", list[i].id, list[i].responses);
    survey_info_free(list, n);
    feedback_stats fs;
    long pending;
    if (feedback_get_stats(st, &fs, msg) || outbox_depth(st, &pending)) {
        fprintf(stderr, "kioskctl responses stats: %s\n", msg);
        goto out;
    }
    printf("feedback %ld: ", fs.total);
    for (int s = 1; s <= 5; s++)
        printf("%s%d:%ld", s > 1 ? " " : "", s, fs.score[s]);
    printf(", %ld with a comment, %ld with contact details", fs.comments, fs.contacts);
    if (fs.merged > 0)  /* repeated taps of one person, counted once (feedback.h) */
        printf(", merged %ld %s", fs.merged, fs.merged == 1 ? "tap" : "taps");
    printf("\n");
    printf("outbox: %ld waiting to be sent\n", pending);
    ret = CTL_OK;
out:
    store_close(st);
    return ret;
}

static int responses_export(int argc, char **argv, const ctl_opts *o)
{
    const char *id = NULL, *fmt = NULL, *file = NULL, *v;
    int feedback = 0, ret;
    cat_lang lang = CAT_FI;
    for (int i = 1; i < argc; i++) {
        if (ctl_opt(argc, argv, &i, "--survey", &v))
            id = v;
        else if (strcmp(argv[i], "--feedback") == 0)
            feedback = 1;
        else if (ctl_opt(argc, argv, &i, "--format", &v))
            fmt = v;
        else if (ctl_opt(argc, argv, &i, "-o", &v))
            file = v;
        else if (ctl_opt(argc, argv, &i, "--lang", &v)) {
            if ((ret = parse_lang("responses export", v, &lang)))
                return ret;
        } else {
            fprintf(stderr, "kioskctl responses export: unexpected argument %s\n", argv[i]);
            return CTL_USAGE;
        }
    }
    if (!id == !feedback || !fmt || (strcmp(fmt, "csv") && strcmp(fmt, "json"))) {
        fprintf(stderr, "kioskctl responses export: give --survey ID or --feedback, and "
                        "--format csv|json\n");
        return CTL_USAGE;
    }
    store *st = NULL;
    if ((ret = open_all(o, &st)))
        return ret;
    FILE *f = file ? fopen(file, "wb") : stdout;
    if (!f) {
        fprintf(stderr, "kioskctl responses export: cannot write %s: %s\n", file,
                strerror(errno));
        store_close(st);
        return CTL_FAIL;
    }
    char msg[KC_MSGMAX] = "";
    int csv = strcmp(fmt, "csv") == 0;
    kc_err rc = feedback ? (csv ? results_feedback_csv(st, f, msg) : results_feedback_json(st, f, msg))
                         : (csv ? results_export_csv(st, id, lang, f, msg)
                                : results_export_json(st, id, f, msg));
    if (file && fclose(f) != 0 && !rc)
        rc = kc_fail(msg, KC_EIO, "closing %s failed", file);
    if (rc) {
        fprintf(stderr, "kioskctl responses export: %s\n", msg);
        if (file)
            remove(file);
    }
    store_close(st);
    return rc ? CTL_FAIL : CTL_OK;
}

int cmd_responses(int argc, char **argv, const ctl_opts *o)
{
    if (argc < 2 || ctl_is_help(argv[1])) {
        printf("usage: kioskctl responses export (--survey ID | --feedback) --format csv|json\n"
               "                                 [--lang fi|sv|en] [-o FILE]\n"
               "       kioskctl responses stats [--survey ID] [--lang fi|sv|en]\n\n"
               "export writes every stored response (CSV: UTF-8 with BOM, ';' separator,\n"
               "decimal comma, CRLF, as Finnish spreadsheet software expects; labels in\n"
               "--lang).  Free text and contact details are included: coordinator only.\n"
               "stats counts responses, feedback and the outbox, or with --survey shows\n"
               "totals per question (counts, percentages, top-N points).\n");
        return argc < 2 ? CTL_USAGE : CTL_OK;
    }
    if (strcmp(argv[1], "export") == 0)
        return responses_export(argc - 1, argv + 1, o);
    if (strcmp(argv[1], "stats") == 0)
        return responses_stats(argc - 1, argv + 1, o);
    fprintf(stderr, "kioskctl responses: unknown subcommand \"%s\"\n", argv[1]);
    return CTL_USAGE;
}

/* --- workshop ------------------------------------------------------------------------------ */

/* workshop answer WID GROUP QUESTION VALUE...: option ids, text entries or a number. */
static int ws_answer(store *st, workshop *w, int argc, char **argv)
{
    const survey *def = workshop_survey(w);
    long g = survey_group_index(def, argv[0]), q = survey_question_index(def, argv[1]);
    if (g < 0 || q < 0) {
        fprintf(stderr, "kioskctl workshop answer: unknown %s \"%s\"\n", g < 0 ? "group" : "question",
                g < 0 ? argv[0] : argv[1]);
        return CTL_USAGE;
    }
    const survey_question *sq = survey_question_at(def, (size_t)q);
    survey_answer a = { 0 };
    int n = argc - 2;
    if (n > SURVEY_MAX_OPTIONS) {
        fprintf(stderr, "kioskctl workshop answer: too many values\n");
        return CTL_USAGE;
    }
    for (int i = 0; i < n; i++) {
        const char *val = argv[2 + i];
        if (sq->type == SURVEY_TEXT) {
            if (a.ntext < SURVEY_MAX_ENTRIES)
                a.text[a.ntext++] = (char *)val;
        } else if (sq->type == SURVEY_SCALE || sq->type == SURVEY_NUMBER) {
            char *end;
            a.num = strtod(val, &end);
            if (*end) {
                fprintf(stderr, "kioskctl workshop answer: \"%s\" is not a number\n", val);
                return CTL_USAGE;
            }
            a.set = 1;
        } else {
            size_t k;
            for (k = 0; k < workshop_noptions(w, (size_t)q); k++)
                if (strcmp(workshop_option_id(w, (size_t)q, k), val) == 0)
                    break;
            if (k == workshop_noptions(w, (size_t)q)) {
                fprintf(stderr, "kioskctl workshop answer: \"%s\" is not an option of %s\n", val,
                        sq->id);
                return CTL_FAIL;
            }
            a.sel[a.nsel++] = (int)k;
        }
    }
    a.set |= a.nsel > 0 || a.ntext > 0;
    if (workshop_set_answer(w, st, (size_t)g, (size_t)q, &a, NULL)) {
        fprintf(stderr, "kioskctl workshop answer: %s\n", workshop_errmsg(w));
        return CTL_FAIL;
    }
    return CTL_OK;
}

int cmd_workshop(int argc, char **argv, const ctl_opts *o)
{
    if (argc < 2 || ctl_is_help(argv[1])) {
        printf("usage: kioskctl workshop list\n"
               "       kioskctl workshop start SURVEY [--label TEXT]\n"
               "       kioskctl workshop answer WORKSHOP GROUP QUESTION [VALUE...]\n"
               "       kioskctl workshop results WORKSHOP [--lang fi|sv|en]\n"
               "       kioskctl workshop end WORKSHOP\n"
               "       kioskctl workshop export WORKSHOP --format csv|json [--lang L] [-o FILE]\n\n"
               "Workshops as the coordinator runs them on the kiosk.  start prints the new\n"
               "workshop's id.  answer sets a group's answer: option ids, text entries or a\n"
               "number; no VALUE removes it.  end queues the answers for the server.\n");
        return argc < 2 ? CTL_USAGE : CTL_OK;
    }
    const char *sub = argv[1], *label = NULL, *fmt = NULL, *file = NULL, *v;
    cat_lang lang = CAT_FI;
    char *pos[SURVEY_MAX_OPTIONS + 4];
    int npos = 0, ret;
    for (int i = 2; i < argc; i++) {
        if (ctl_opt(argc, argv, &i, "--label", &v))
            label = v;
        else if (ctl_opt(argc, argv, &i, "--format", &v))
            fmt = v;
        else if (ctl_opt(argc, argv, &i, "-o", &v))
            file = v;
        else if (ctl_opt(argc, argv, &i, "--lang", &v)) {
            if ((ret = parse_lang("workshop", v, &lang)))
                return ret;
        } else if (npos < (int)(sizeof pos / sizeof pos[0]))
            pos[npos++] = argv[i];
        else {
            fprintf(stderr, "kioskctl workshop: too many arguments\n");
            return CTL_USAGE;
        }
    }
    int known = !strcmp(sub, "list") || !strcmp(sub, "start") || !strcmp(sub, "answer") ||
                !strcmp(sub, "results") || !strcmp(sub, "end") || !strcmp(sub, "export");
    int need = !strcmp(sub, "list") ? 0 : !strcmp(sub, "answer") ? 3 : 1;
    if (!known || npos < need || (strcmp(sub, "answer") && npos > need) ||
        (!strcmp(sub, "export") && (!fmt || (strcmp(fmt, "csv") && strcmp(fmt, "json"))))) {
        fprintf(stderr, "kioskctl workshop: bad arguments (kioskctl workshop --help)\n");
        return CTL_USAGE;
    }
    store *st = NULL;
    if ((ret = open_all(o, &st)))
        return ret;
    char msg[KC_MSGMAX] = "";
    workshop *w = NULL;
    ret = CTL_FAIL;
    if (!strcmp(sub, "list")) {
        workshop_info *list;
        size_t n;
        if (workshop_list(st, &list, &n, msg))
            goto fail;
        for (size_t i = 0; i < n; i++)
            printf("%s %-8s %s v%d started %s%s%s, %ld answers: %s\n", list[i].id,
                   list[i].ended[0] ? "ended" : "open", list[i].survey, list[i].version,
                   list[i].started, list[i].ended[0] ? " ended " : "", list[i].ended,
                   list[i].answers, list[i].label);
        workshop_info_free(list, n);
        ret = CTL_OK;
        goto out;
    }
    if (!strcmp(sub, "start")) {
        char id[OUTBOX_UUID_LEN + 1];
        if (workshop_start(st, pos[0], label, time(NULL), id, msg))
            goto fail;
        printf("%s\n", id);
        ret = CTL_OK;
        goto out;
    }
    if (workshop_open(st, pos[0], &w, msg))
        goto fail;
    if (!strcmp(sub, "answer")) {
        ret = ws_answer(st, w, npos - 1, pos + 1);
    } else if (!strcmp(sub, "results")) {
        results *r;
        if (workshop_results(w, &r)) {
            snprintf(msg, sizeof msg, "out of memory");
            goto fail;
        }
        cat_langs pref = cat_langs_for(lang);
        printf("workshop %s (%s)%s\n", workshop_id(w), workshop_label(w),
               workshop_ended(w) ? ", ended" : "");
        for (size_t i = 0; i < results_nquestions(r); i++)
            print_question(results_question_at(r, i), &pref);
        results_free(r);
        ret = CTL_OK;
    } else if (!strcmp(sub, "end")) {
        long rows;
        if (workshop_end(w, st, time(NULL), &rows)) {
            snprintf(msg, sizeof msg, "%s", workshop_errmsg(w));
            goto fail;
        }
        printf("workshop %s ended; %ld rows queued for the server\n", workshop_id(w), rows);
        ret = CTL_OK;
    } else {
        FILE *f = file ? fopen(file, "wb") : stdout;
        if (!f) {
            snprintf(msg, sizeof msg, "cannot write %s: %s", file, strerror(errno));
            goto fail;
        }
        kc_err rc = strcmp(fmt, "csv") == 0 ? workshop_export_csv(w, lang, f, msg)
                                            : workshop_export_json(w, f, msg);
        if (file && fclose(f) != 0 && !rc)
            rc = kc_fail(msg, KC_EIO, "closing %s failed", file);
        if (rc)
            goto fail;
        ret = CTL_OK;
    }
    goto out;
fail:
    fprintf(stderr, "kioskctl workshop %s: %s\n", sub, msg);
out:
    workshop_free(w);
    store_close(st);
    return ret;
}
