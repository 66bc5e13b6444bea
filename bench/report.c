// SPDX-License-Identifier: MIT
/*
 * shmbox-bench-report: turn the rows written by shmbox-bench into one
 * Markdown table per scenario with ratios against the peers of the same
 * run, check the performance targets, and write the plot data.
 *
 *   shmbox-bench-report RESULTS [--plot-data FILE]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

struct row rows[MAXROWS];
int nrows;
static double timer_ns;
static char variants[4][512];
static int nvariants;

static const struct {
    const char *key, *label;
} names[] = {
    {"pipe", "pipe"},
    {"unix", "unix socket (seqpacket)"},
    {"mq", "POSIX mq"},
    {"msgq", "SysV msgq"},
    {"condvar", "shm + pthread mutex/condvar"},
    {"futex", "raw futex ping-pong (sleep/wake floor)"},
    {"busy", "busy-poll (cache-line floor)"},
    {"busy-locked", "busy-poll, commit under a lock (design floor)"},
    {"boost-mq", "Boost.Interprocess message_queue"},
    {"iox-busy", "iceoryx, busy-poll (loan/publish/take)"},
    {"iox-ws", "iceoryx, WaitSet (loan/publish/take)"},
    {"malloc", "glibc malloc+free"},
    {"shmbox-spin", "**shmbox, spin then sleep**"},
    {"shmbox-nospin", "**shmbox, no spin before sleeping**"},
    {"shmbox-cache", "**shmbox, per-thread slot cache**"},
};

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double row_quantile(const struct row *r, double q)
{
    if (r->n < 1)
        return 0;
    double k = ceil(q * r->n);
    size_t i = k < 1 ? 0 : (size_t)k - 1u;
    if (i >= (size_t)r->n)
        i = (size_t)r->n - 1u;
    return r->s[i];
}

/* The samples of every run of @p r, from RESULTS.samples/. */
static void load_samples(const char *results, struct row *r)
{
    const char *fmt = "%s.samples/%s.%s.%s.f64";
    int len = snprintf(NULL, 0, fmt, results, r->scen, r->mech, r->param);
    char *path = malloc((size_t)len + 1u);
    if (path == NULL)
        exit(2);
    snprintf(path, (size_t)len + 1u, fmt, results, r->scen, r->mech, r->param);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long bytes = ftell(f);
    fseek(f, 0, SEEK_SET);
    size_t n = bytes > 0 ? (size_t)bytes / sizeof(double) : 0;
    r->s = malloc((n ? n : 1) * sizeof(double));
    if (r->s == NULL || fread(r->s, sizeof(double), n, f) != n) {
        perror(path);
        exit(2);
    }
    fclose(f);
    free(path);
    qsort(r->s, n, sizeof(double), cmp_d);
    r->n = (double)n;
    r->p50 = row_quantile(r, 0.50);
    r->p99 = row_quantile(r, 0.99);
    r->p999 = row_quantile(r, 0.999);
    r->max = n ? r->s[n - 1u] : 0;
    r->rate = r->secs > 0 ? r->count / r->secs : 0;
}

const char *label(const struct row *r)
{
    if (strcmp(r->scen, "b") == 0 && strcmp(r->mech, "busy") == 0)
        return "busy-poll SPSC ring (floor)";
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(names[i].key, r->mech) == 0)
            return names[i].label;
    return r->mech;
}

const struct row *find(const char *scen, const char *mech, const char *param)
{
    for (int i = 0; i < nrows; i++)
        if (strcmp(rows[i].scen, scen) == 0 && (mech == NULL || strcmp(rows[i].mech, mech) == 0) &&
            (param == NULL || strcmp(rows[i].param, param) == 0))
            return &rows[i];
    return NULL;
}

void us(char *b, size_t n, double ns)
{
    if (ns < 10000)
        snprintf(b, n, "%.2f", ns / 1000.0);
    else if (ns < 1e6)
        snprintf(b, n, "%.1f", ns / 1000.0);
    else
        snprintf(b, n, "%.0f", ns / 1000.0);
}

void rate(char *b, size_t n, double v)
{
    if (v >= 1e6)
        snprintf(b, n, "%.2f M", v / 1e6);
    else if (v >= 1e3)
        snprintf(b, n, "%.1f k", v / 1e3);
    else
        snprintf(b, n, "%.0f", v);
}

void ratio(char *b, size_t n, double num, double den)
{
    if (den <= 0 || num <= 0)
        snprintf(b, n, "-");
    else
        snprintf(b, n, "%.2fx", num / den);
}

static void plot_data(const char *path)
{
    static const double q[] = {0.0, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99, 0.995, 0.999, 0.9995, 0.9999};
    FILE *o = fopen(path, "w");
    if (o == NULL) {
        perror(path);
        exit(2);
    }
    /* One block per mechanism: x = nines of the percentile, y = us. */
    int blocks = 0;
    for (int i = 0; i < nrows; i++) {
        const struct row *r = &rows[i];
        if (strcmp(r->scen, "a") != 0)
            continue;
        char clean[64];
        size_t j = 0;
        for (const char *p = label(r); *p && j + 1 < sizeof(clean); p++)
            if (*p != '*')
                clean[j++] = *p;
        clean[j] = '\0';
        fprintf(o, "%s\"%s\"\n", blocks++ ? "\n\n" : "", clean);
        for (size_t k = 0; k < sizeof(q) / sizeof(q[0]) && q[k] < 1.0 - 1.0 / r->n; k++)
            fprintf(o, "%.4f %.4f\n", q[k] > 0 ? -log10(1.0 - q[k]) : 0.0, row_quantile(r, q[k]) / 1000.0);
        fprintf(o, "%.4f %.4f\n", log10(r->n), r->max / 1000.0);
    }
    fclose(o);
}

int main(int argc, char **argv)
{
    if (argc != 2 && !(argc == 4 && strcmp(argv[2], "--plot-data") == 0)) {
        fprintf(stderr, "usage: shmbox-bench-report RESULTS [--plot-data FILE]\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (f == NULL) {
        perror(argv[1]);
        return 2;
    }
    char line[512];
    while (fgets(line, sizeof(line), f)) {
        struct row r = {0};
        double count, secs, v;
        if (sscanf(line, "run\t%7s\t%31s\t%15s\t%lf\t%lf", r.scen, r.mech, r.param, &count, &secs) == 5) {
            struct row *x = (struct row *)find(r.scen, r.mech, r.param);
            if (x == NULL && nrows < MAXROWS) {
                x = &rows[nrows++];
                *x = r;
            }
            if (x != NULL) {
                x->count += count;
                x->secs += secs;
            }
        } else if (sscanf(line, "cpu\t%7s\t%31s\t%15s\t%lf\t%lf", r.scen, r.mech, r.param, &secs, &count) == 5) {
            struct row *x = (struct row *)find(r.scen, r.mech, r.param);
            if (x != NULL) {
                x->cpu += secs;
                x->cpu_n += count;
            }
        } else if (sscanf(line, "meta\ttimer_ns\t%lf", &v) == 1) {
            timer_ns = v;
        } else if (strncmp(line, "meta\tvariant\t", 13) == 0 && nvariants < 4) {
            int dup = 0;
            for (int i = 0; i < nvariants; i++)
                dup |= strcmp(variants[i], line + 13) == 0;
            if (!dup)
                snprintf(variants[nvariants++], sizeof(variants[0]), "%s", line + 13);
        }
    }
    for (int i = 0; i < nrows; i++)
        load_samples(argv[1], &rows[i]);
    fclose(f);

    printf("Each latency sample includes one clock read (%.0f ns on this machine). shmbox builds:", timer_ns);
    for (int i = 0; i < nvariants; i++) {
        char *p = strchr(variants[i], '\t');
        if (p != NULL)
            *p = ':';
        p = strchr(variants[i], '\n');
        if (p != NULL)
            *p = '\0';
        printf("%s `%s`", i ? ";" : "", variants[i]);
    }
    printf(".\n");
    if (find("L", NULL, NULL) != NULL || find("F", NULL, NULL) != NULL) {
        /* A `make bench-load` file. */
        table_load("L", "Round trip under load (stress-ng on both CPUs), normal scheduling");
        table_load("F", "Round trip under load (stress-ng on both CPUs), both processes SCHED_FIFO");
        targets_load();
        return 0;
    }
    table_latency("a", "(a) Round trip between two processes, 64-byte messages", "round trip", "round trips/s");
    table_latency("b", "(b) One-way streaming, 1 producer process, 1 consumer process, 64-byte messages",
                  "send call", "messages/s");
    table_latency("c", "(c) 4 producer processes into one consumer, 64-byte messages", "send call", "messages/s");
    table_bulk();
    table_alloc();
    targets();
    if (argc == 4)
        plot_data(argv[3]);
    return 0;
}
