/* Timing, statistics, result files and process plumbing for the benchmarks. */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void die(const char *what)
{
    perror(what);
    exit(2);
}

void pin_cpu(int cpu)
{
    cpu_set_t set;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 2)
        return;
    CPU_ZERO(&set);
    if (cpu < 0) /* every CPU again */
        for (long i = 0; i < n && i < CPU_SETSIZE; i++)
            CPU_SET((size_t)i, &set);
    else
        CPU_SET((size_t)(cpu % n), &set);
    (void)sched_setaffinity(0, sizeof(set), &set);
}

void *shared_alloc(size_t bytes)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        die("mmap");
    return p;
}

void shared_free(void *p, size_t bytes)
{
    munmap(p, bytes);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

double quantile(const uint64_t *sorted, uint64_t n, double q)
{
    if (n == 0)
        return 0;
    /* nearest rank */
    double r = ceil(q * (double)n);
    uint64_t i = r < 1 ? 0 : (uint64_t)r - 1u;
    if (i >= n)
        i = n - 1u;
    return (double)sorted[i];
}

struct stats stats_of(uint64_t *s, uint64_t n)
{
    struct stats st = {0};
    qsort(s, n, sizeof(*s), cmp_u64);
    st.n = n;
    st.p50 = quantile(s, n, 0.50);
    st.p99 = quantile(s, n, 0.99);
    st.p999 = quantile(s, n, 0.999);
    st.max = n ? (double)s[n - 1u] : 0;
    return st;
}

void result_row(FILE *out, const char *scenario, const char *mech, const char *param, const struct stats *st,
                double per_sec)
{
    fprintf(out, "row\t%s\t%s\t%s\t%llu\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\n", scenario, mech, param,
            (unsigned long long)st->n, st->p50, st->p99, st->p999, st->max, per_sec);
    fflush(out);
}

void result_curve(FILE *out, const char *scenario, const char *mech, const uint64_t *sorted, uint64_t n)
{
    static const double q[] = {0.0, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99, 0.995, 0.999, 0.9995, 0.9999};
    for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
        if (q[i] >= 1.0 - 1.0 / (double)n) /* no claim beyond the data */
            break;
        fprintf(out, "curve\t%s\t%s\t%.4f\t%.1f\n", scenario, mech, q[i] * 100.0, quantile(sorted, n, q[i]));
    }
    fprintf(out, "curve\t%s\t%s\tmax\t%.1f\n", scenario, mech, n ? (double)sorted[n - 1u] : 0.0);
    fflush(out);
}

void barrier_init(struct barrier *b)
{
    if (pipe(b->ready) != 0 || pipe(b->go) != 0)
        die("pipe");
}

void barrier_child(struct barrier *b)
{
    char c = 'r';
    if (write(b->ready[1], &c, 1) != 1 || read(b->go[0], &c, 1) != 1)
        die("barrier");
}

void barrier_parent(struct barrier *b, unsigned n)
{
    char c;
    for (unsigned i = 0; i < n; i++)
        if (read(b->ready[0], &c, 1) != 1)
            die("barrier");
    for (unsigned i = 0; i < n; i++)
        if (write(b->go[1], "g", 1) != 1)
            die("barrier");
}

void barrier_close(struct barrier *b)
{
    close(b->ready[0]);
    close(b->ready[1]);
    close(b->go[0]);
    close(b->go[1]);
}

void reap(unsigned n)
{
    int bad = 0;
    for (unsigned i = 0; i < n; i++) {
        int st;
        if (wait(&st) < 0) {
            if (errno == EINTR) {
                i--;
                continue;
            }
            break;
        }
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            bad = 1;
    }
    if (bad) {
        fprintf(stderr, "bench: a child process failed\n");
        exit(2);
    }
}
