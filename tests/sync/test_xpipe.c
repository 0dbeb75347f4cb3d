/* The workbook exports' two threads (sync/xpipe.h): rows reach the writer in the order
 * they were made with their cells intact, across batches handed over by rows,
 * cells and bytes; the maker waits for a slow writer (memory bounded); a failure on
 * either side stops both and is reported. */
#include "synctest.h"
#include "testutil.h"
#include "xpipe.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BIG (XPIPE_BYTES + 5)  /* a text past a batch's size on its own */

typedef struct run {
    long rows;          /* rows fill makes */
    long fail_fill_at;  /* fill returns -1 here (-1: never) */
    long fail_put_at;   /* put returns -1 here (-1: never) */
    int wide;           /* 100 more cells a row */
    atomic_long made;   /* rows ended by fill */
    long put;           /* rows put */
    long ahead;         /* the most rows made and not yet put */
    int fill_saw_stop;
    int bad;            /* put found a row not as made */
    char *big;
} run;

static int fill(void *ctx, xpipe *p)
{
    run *r = ctx;
    for (long i = 0; i < r->rows; i++) {
        if (i == r->fail_fill_at)
            return -1;
        char s[32];
        snprintf(s, sizeof s, "rivi %ld ä", i);
        if (xpipe_num(p, 0, (double)i) || xpipe_str(p, 2, s) ||
            (i % 1000 == 999 && xpipe_strn(p, 5, r->big, BIG)) ||
            (i % 3 == 0 && xpipe_strn(p, 7, "abcdef", 3)))
            return -1;
        for (unsigned k = 0; r->wide && k < 100; k++)
            if (xpipe_num(p, 10 + k, k))
                return -1;
        if (xpipe_row(p)) {
            r->fill_saw_stop = 1;
            return -1;
        }
        atomic_fetch_add(&r->made, 1);
    }
    /* A row begun and not ended is left out. */
    return xpipe_num(p, 0, -1) ? -1 : 0;
}

static int put(void *ctx, const xpipe_cell *c, size_t n)
{
    run *r = ctx;
    long i = r->put;
    /* A slow writer: fill runs ahead while the first batch waits here, until it has
     * filled the second batch too (or 10 s, if it never can). */
    for (int w = 0; i == 0 && w < 1000 && atomic_load(&r->made) <= XPIPE_ROWS; w++)
        st_sleep_ms(10);
    long ahead = atomic_load(&r->made) - i;
    if (ahead > r->ahead)
        r->ahead = ahead;
    if (i == r->fail_put_at)
        return -1;
    char s[32];
    snprintf(s, sizeof s, "rivi %ld ä", i);
    size_t want = 2 + (i % 1000 == 999) + (i % 3 == 0) + (r->wide ? 100 : 0);
    int ok = n == want && c[0].col == 0 && !c[0].str && c[0].num == (double)i &&
             c[1].col == 2 && c[1].str && strcmp(c[1].str, s) == 0;
    size_t k = 2;
    if (ok && i % 1000 == 999) {
        ok = c[k].col == 5 && c[k].str && strlen(c[k].str) == BIG &&
             memcmp(c[k].str, r->big, BIG) == 0;
        k++;
    }
    if (ok && i % 3 == 0) {
        ok = c[k].col == 7 && c[k].str && strcmp(c[k].str, "abc") == 0;
        k++;
    }
    for (unsigned j = 0; ok && r->wide && j < 100; j++, k++)
        ok = c[k].col == 10 + j && !c[k].str && c[k].num == j;
    if (!ok)
        r->bad = 1;
    r->put++;
    return 0;
}

static run *new_run(long rows)
{
    run *r = calloc(1, sizeof *r);
    assert_non_null(r);
    r->rows = rows;
    r->fail_fill_at = r->fail_put_at = -1;
    r->big = malloc(BIG);
    assert_non_null(r->big);
    for (size_t i = 0; i < BIG; i++)
        r->big[i] = (char)('a' + i % 26);
    return r;
}

static void free_run(run *r)
{
    free(r->big);
    free(r);
}

/* Every row in order, over many batches, the maker never more than two batches and
 * a row ahead of the writer. */
static void test_order_and_bound(void **state)
{
    (void)state;
    run *r = new_run(5 * XPIPE_ROWS + 17);
    assert_int_equal(xpipe_run(fill, r, put, r), 0);
    assert_int_equal(r->put, r->rows);
    assert_int_equal(atomic_load(&r->made), r->rows);
    assert_false(r->bad);
    assert_true(r->ahead <= 2 * XPIPE_ROWS + 1);
    assert_true(r->ahead > XPIPE_ROWS);  /* it did run ahead while put waited */
    free_run(r);
}

/* Wide rows: a batch is handed over at XPIPE_CELLS cells, before XPIPE_ROWS rows. */
static void test_wide_rows(void **state)
{
    (void)state;
    run *r = new_run(3 * XPIPE_ROWS);
    r->wide = 1;
    assert_int_equal(xpipe_run(fill, r, put, r), 0);
    assert_int_equal(r->put, r->rows);
    assert_false(r->bad);
    assert_true(r->ahead <= 2 * (XPIPE_CELLS / 100 + 1) + 1);
    free_run(r);
}

static void test_empty(void **state)
{
    (void)state;
    run *r = new_run(0);
    assert_int_equal(xpipe_run(fill, r, put, r), 0);
    assert_int_equal(r->put, 0);
    free_run(r);
}

/* The writer fails: the maker is told at its next hand-over and stops. */
static void test_put_fails(void **state)
{
    (void)state;
    run *r = new_run(20 * XPIPE_ROWS);
    r->fail_put_at = XPIPE_ROWS + 5;
    assert_int_equal(xpipe_run(fill, r, put, r), -1);
    assert_int_equal(r->put, XPIPE_ROWS + 5);
    assert_true(r->fill_saw_stop);
    assert_true(atomic_load(&r->made) < r->fail_put_at + 2 * XPIPE_ROWS + 1);
    assert_false(r->bad);
    free_run(r);
}

/* The maker fails: the rows of its unfinished batch never reach the writer. */
static void test_fill_fails(void **state)
{
    (void)state;
    run *r = new_run(10 * XPIPE_ROWS);
    r->fail_fill_at = 2 * XPIPE_ROWS + 100;
    assert_int_equal(xpipe_run(fill, r, put, r), -1);
    assert_true(r->put <= 2 * XPIPE_ROWS);
    assert_false(r->bad);
    free_run(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_and_bound),
        cmocka_unit_test(test_wide_rows),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_put_fails),
        cmocka_unit_test(test_fill_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
