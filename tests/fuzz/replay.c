/* Replays inputs through a fuzz target without libFuzzer, so the seeds and every
 * kept crash run in `make test` and `make asan` with the normal compiler.
 *
 *   fuzz_NAME_replay CORPUS_DIR [REGRESSIONS_DIR]
 *
 * The corpus directory must exist and hold at least one file (a target without seeds
 * is a mistake); the regressions directory is optional (no crash kept yet). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzzutil.h"
#include "kc.h"

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int rc = 0;
    for (;;) {
        if (len == cap) {
            size_t nc = cap ? cap * 2 : 4096;
            char *nb = realloc(buf, nc);
            if (!nb) {
                rc = -1;
                break;
            }
            buf = nb;
            cap = nc;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            if (ferror(f))
                rc = -1;
            break;
        }
    }
    fclose(f);
    if (rc == 0)
        LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
    else
        fprintf(stderr, "replay: %s: read error\n", path);
    free(buf);
    return rc;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of dir in name order; returns how many or -1. */
static long replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    char **names = NULL;
    size_t n = 0, cap = 0;
    long done = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof *names);
            if (!nn) {
                done = -1;
                break;
            }
            names = nn;
        }
        if (!(names[n] = strdup(e->d_name))) {
            done = -1;
            break;
        }
        n++;
    }
    closedir(d);
    if (done == 0 && n)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (done >= 0 && stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
            if (replay_file(path))
                done = -1;
            else
                done++;
        }
        free(names[i]);
    }
    free(names);
    return done;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s CORPUS_DIR [REGRESSIONS_DIR]\n", argv[0]);
        return 2;
    }
    long seeds = replay_dir(argv[1]);
    if (seeds <= 0) {
        fprintf(stderr, "replay: %s: no seed inputs (every fuzz target keeps a few)\n",
                argv[1]);
        return 1;
    }
    long kept = 0;
    if (argc == 3) {
        struct stat sb;
        if (stat(argv[2], &sb) == 0 && (kept = replay_dir(argv[2])) < 0) {
            fprintf(stderr, "replay: %s: unreadable\n", argv[2]);
            return 1;
        }
    }
    printf("replayed %ld seeds and %ld kept crash inputs\n", seeds, kept);
    return 0;
}
