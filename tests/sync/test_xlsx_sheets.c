/* A workbook export past one sheet's rows (sync/admin_export.h): the rows the reading
 * thread makes go on, in order, on a second sheet with its own heads, and the first
 * sheet holds exactly as many rows as a spreadsheet opens.  The workbook is read back
 * with python3's zipfile. */
#include "synctest.h"
#include "testutil.h"
#include "admin_export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXTRA 10

typedef struct src {
    int sheets;
    long rows;
} src;

static lxw_worksheet *sheet(void *ctx, lxw_workbook *wb, lxw_format *bold, int part)
{
    src *s = ctx;
    (void)bold;
    char name[16];
    snprintf(name, sizeof name, "S%d", part);
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    if (ws && worksheet_write_string(ws, 0, 0, "head", NULL))
        return NULL;
    s->sheets++;
    return ws;
}

static int rows(void *ctx, xpipe *p)
{
    src *s = ctx;
    for (long i = 1; i <= s->rows; i++)
        if (xpipe_num(p, 0, (double)i) || xpipe_row(p))
            return -1;
    return 0;
}

static const char PY[] =
    "import re, sys, zipfile\n"
    "z = zipfile.ZipFile(sys.argv[1])\n"
    "for n in ('xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml'):\n"
    "    x = z.read(n).decode()\n"
    "    r = re.findall(r'<row r=\"(\\d+)\"', x)\n"
    "    v = re.findall(r'<v>(\\d+)</v>', x)\n"
    "    h = x.count('>head<')\n"
    "    print(len(r), r[-1], v[0], v[-1], h)\n";

static void test_second_sheet(void **state)
{
    (void)state;
    const char *path = tu_tmp("sheets.xlsx");
    lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = (char *)tu_tmpdir() };
    src s = { .rows = ADM_EXP_XLSX_ROWS - 1 + EXTRA };
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    assert_non_null(wb);
    assert_int_equal(adm_exp_xlsx_rows(wb, NULL, rows, sheet, &s), 0);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    assert_int_equal(s.sheets, 2);

    char cmd[4200];
    snprintf(cmd, sizeof cmd, "python3 -c \"$KC_PY\" '%s'", path);
    setenv("KC_PY", PY, 1);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    char l1[128] = "", l2[128] = "";
    assert_non_null(fgets(l1, sizeof l1, f));
    assert_non_null(fgets(l2, sizeof l2, f));
    assert_int_equal(pclose(f), 0);
    /* rows, the last row's number, the first and last values, heads */
    char want[128];
    snprintf(want, sizeof want, "%d %d 1 %d 1\n", ADM_EXP_XLSX_ROWS, ADM_EXP_XLSX_ROWS,
             ADM_EXP_XLSX_ROWS - 1);
    assert_string_equal(l1, want);
    snprintf(want, sizeof want, "%d %d %d %ld 1\n", EXTRA + 1, EXTRA + 1, ADM_EXP_XLSX_ROWS,
             s.rows);
    assert_string_equal(l2, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_second_sheet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
