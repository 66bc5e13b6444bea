// SPDX-License-Identifier: MIT
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

double cpu_secs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void set_fifo(int prio)
{
    struct sched_param sp = {.sched_priority = prio};
    if (sched_setscheduler(0, prio > 0 ? SCHED_FIFO : SCHED_OTHER, &sp) != 0)
        die("sched_setscheduler(SCHED_FIFO) (needs root or CAP_SYS_NICE)");
}
