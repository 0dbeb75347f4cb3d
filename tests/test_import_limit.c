/* Import memory: a content file over the item limit is refused as soon as the
 * limit is passed, holding little memory (it took 534 MB when the whole JSON tree
 * was built first), and a big valid file is read a piece at a time. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "content.h"

/* Sanitizers keep freed memory in quarantine and add shadow memory, so peak RSS
 * says nothing about the code there; the refusal itself is still checked. */
#if defined(__SANITIZE_ADDRESS__)
#define RSS_CHECKED 0
#else
#define RSS_CHECKED 1
#endif

/* Peak RSS allowed while refusing CONTENT_MAX_ITEMS + 1 items: what is kept per item
 * (id and kind, about 40 bytes) for 500 000 items plus slack, far below the file. */
#define REFUSE_RSS_MB 100

static void write_items(const char *path, long n)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"format\":\"kiosk-content\",\"version\":1,\"items\":[\n", f);
    for (long i = 0; i < n; i++)
        fprintf(f, "%s{\"id\":\"a%07ld\",\"kind\":\"association\",\"name\":{\"fi\":\"Yhdistys "
                   "%ld\"}}\n", i ? "," : "", i, i);
    fputs("]}\n", f);
    assert_int_equal(fclose(f), 0);
}

/* Loads path in a child process; returns its peak RSS in MB, *rc and msg from it. */
static long load_in_child(const char *path, int *rc, char *msg, size_t cap)
{
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fd[0]);
        content *c = content_new();
        kc_err r = c ? content_load_file(c, path) : KC_ENOMEM;
        const char *m = content_errmsg(c);
        if (write(fd[1], m, strlen(m)) < 0)
            _exit(100);
        _exit((int)r);
    }
    close(fd[1]);
    ssize_t n = read(fd[0], msg, cap - 1);
    msg[n > 0 ? n : 0] = '\0';
    close(fd[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    *rc = WEXITSTATUS(status);
    /* The largest of the children waited for: the first test's child is the big one. */
    struct rusage ru;
    assert_int_equal(getrusage(RUSAGE_CHILDREN, &ru), 0);
    return ru.ru_maxrss / 1024;
}

static void test_too_many_items_refused_early(void **state)
{
    (void)state;
    const char *path = tu_tmp("too-many.json");
    write_items(path, CONTENT_MAX_ITEMS + 1L);
    int rc;
    char msg[KC_MSGMAX];
    long mb = load_in_child(path, &rc, msg, sizeof msg);
    printf("# refusing %d items: peak RSS %ld MB\n", CONTENT_MAX_ITEMS + 1, mb);
    assert_int_equal(rc, KC_ETOOBIG);
    if (!strstr(msg, "more than 500000 items"))
        fail_msg("message: %s", msg);
    if (RSS_CHECKED && mb > REFUSE_RSS_MB)
        fail_msg("refusing took %ld MB, limit %d MB", mb, REFUSE_RSS_MB);
    remove(path);
}

static void test_same_items_fewer_load(void **state)
{
    (void)state;
    /* The same items, fewer of them, are valid: the refusal above is for the count. */
    const char *path = tu_tmp("fewer.json");
    write_items(path, 1000);
    int rc;
    char msg[KC_MSGMAX];
    load_in_child(path, &rc, msg, sizeof msg);
    assert_int_equal(rc, KC_OK);
    remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_too_many_items_refused_early),
        cmocka_unit_test(test_same_items_fewer_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
