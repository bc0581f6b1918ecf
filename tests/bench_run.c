/* make bench: runs a command several times and prints one row of the
 * bench table: case, wall (best run), CPU (user + system of that run),
 * peak RSS (largest process), pages and bytes of the PDFs it left in a
 * folder, and the target. A benchmark, not a test: it never fails on time.
 *
 * Usage: bench_run CASE REPS OUTDIR TARGET -- COMMAND [ARGS...] [--vs PEER [ARGS...]]
 * OUTDIR is emptied before each run; "-" for none. With --vs the two
 * commands run interleaved (A B A B ..., REPS rounds: both see the same
 * load of a shared machine), a row each and the ratio A / B of the best
 * wall and CPU times. */
#define _GNU_SOURCE /* memmem */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Pages of a PDF: its page objects ("/Type /Page", not "/Pages"). */
static long pdf_pages(const char *path, long *bytes)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    fseek(f, 0, SEEK_END);
    long n = ftell(f), pages = 0;
    rewind(f);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) == (size_t)n) {
        b[n] = 0;
        for (char *p = b; (p = memmem(p, (size_t)(b + n - p), "/Type /Page", 11)); p += 11)
            pages += p[11] != 's';
        *bytes += n;
    }
    free(b);
    fclose(f);
    return pages;
}

static void count_pdfs(const char *dir, long *pages, long *bytes)
{
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            count_pdfs(path, pages, bytes);
        else if (strlen(e->d_name) > 4 && !strcmp(e->d_name + strlen(e->d_name) - 4, ".pdf"))
            *pages += pdf_pages(path, bytes);
    }
    if (d)
        closedir(d);
}

static int run(char **argv, const char *outdir, double *wall, double *cpu, long *rss)
{
    if (strcmp(outdir, "-")) {
        char cmd[4200];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", outdir);
        if (system(cmd) != 0)
            return -1;
    }
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) /* notes: not the bench's */
            _exit(127);
        execvp(argv[0], argv);
        _exit(127);
    }
    int st = 0;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &st, 0, &ru) < 0)
        return -1;
    *wall = now_ms() - t0;
    *cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
    *rss = ru.ru_maxrss;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

typedef struct {
    double best, best_cpu, min_cpu;
    long rss, pages, bytes;
} result;

static int measure(char **cmd, const char *outdir, result *r)
{
    double wall, cpu;
    long rss;
    if (run(cmd, outdir, &wall, &cpu, &rss) != 0)
        return -1;
    if (wall < r->best) {
        r->best = wall;
        r->best_cpu = cpu;
    }
    r->min_cpu = cpu < r->min_cpu ? cpu : r->min_cpu;
    r->rss = rss > r->rss ? rss : r->rss;
    if (strcmp(outdir, "-")) {
        r->pages = r->bytes = 0;
        count_pdfs(outdir, &r->pages, &r->bytes);
    }
    return 0;
}

static void row(const char *name, const result *r, const char *target)
{
    printf("%-34s %9.1f %9.1f %8.1f %6ld %10ld   %s\n", name, r->best, r->best_cpu, r->rss / 1024.0, r->pages,
           r->bytes, target);
}

int main(int argc, char **argv)
{
    if (argc < 7 || strcmp(argv[5], "--")) {
        fprintf(stderr, "usage: bench_run CASE REPS OUTDIR TARGET -- COMMAND [ARGS...] [--vs PEER [ARGS...]]\n");
        return 2;
    }
    char **peer = NULL;
    for (int i = 6; i < argc; i++)
        if (!strcmp(argv[i], "--vs")) {
            argv[i] = NULL; /* ends the first command */
            peer = argv + i + 1;
            break;
        }
    int reps = atoi(argv[2]);
    result a = {1e18, 0, 1e18, 0, 0, 0}, b = a;
    for (int i = 0; i < (reps > 0 ? reps : 1); i++) {
        if (measure(argv + 6, argv[3], &a) != 0 || (peer && measure(peer, argv[3], &b) != 0)) {
            fprintf(stderr, "bench: %s: the command failed\n", argv[1]);
            return 1;
        }
    }
    row(argv[1], &a, argv[4]);
    if (peer) {
        char name[64];
        const char *who = getenv("PEER_NAME") ? getenv("PEER_NAME") : peer[0];
        snprintf(name, sizeof name, "  the same in %s", who);
        row(name, &b, "");
        printf("  %-32s %9.3f %9.3f   (best wall / CPU of %d interleaved rounds; minimum CPU %.3f)\n", "ratio",
               a.best / b.best, a.best_cpu / b.best_cpu, reps, a.min_cpu / b.min_cpu);
    }
    return 0;
}
