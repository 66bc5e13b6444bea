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

#define MAXROWS 256

struct row {
    char scen[8], mech[32], param[16];
    double count, secs;                /* summed over every run of the row */
    double n, p50, p99, p999, max, rate;
    double *s;                         /* sorted samples, ns */
};
static struct row rows[MAXROWS];
static int nrows;
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

static double quantile(const struct row *r, double q)
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
    r->p50 = quantile(r, 0.50);
    r->p99 = quantile(r, 0.99);
    r->p999 = quantile(r, 0.999);
    r->max = n ? r->s[n - 1u] : 0;
    r->rate = r->secs > 0 ? r->count / r->secs : 0;
}

static const char *label(const struct row *r)
{
    if (strcmp(r->scen, "b") == 0 && strcmp(r->mech, "busy") == 0)
        return "busy-poll SPSC ring (floor)";
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(names[i].key, r->mech) == 0)
            return names[i].label;
    return r->mech;
}

static const struct row *find(const char *scen, const char *mech, const char *param)
{
    for (int i = 0; i < nrows; i++)
        if (strcmp(rows[i].scen, scen) == 0 && strcmp(rows[i].mech, mech) == 0 &&
            (param == NULL || strcmp(rows[i].param, param) == 0))
            return &rows[i];
    return NULL;
}

static void us(char *b, size_t n, double ns)
{
    if (ns < 10000)
        snprintf(b, n, "%.2f", ns / 1000.0);
    else if (ns < 1e6)
        snprintf(b, n, "%.1f", ns / 1000.0);
    else
        snprintf(b, n, "%.0f", ns / 1000.0);
}

static void rate(char *b, size_t n, double v)
{
    if (v >= 1e6)
        snprintf(b, n, "%.2f M", v / 1e6);
    else if (v >= 1e3)
        snprintf(b, n, "%.1f k", v / 1e3);
    else
        snprintf(b, n, "%.0f", v);
}

static void ratio(char *b, size_t n, double num, double den)
{
    if (den <= 0 || num <= 0)
        snprintf(b, n, "-");
    else
        snprintf(b, n, "%.2fx", num / den);
}

static void table_latency(const char *scen, const char *title, const char *what, const char *per)
{
    const struct row *floor_busy = find(scen, "busy", NULL), *floor_fx = find(scen, "futex", NULL);
    const struct row *sb = find(scen, "shmbox-spin", NULL);
    printf("\n### %s\n\n", title);
    printf("| mechanism | %s p50 (us) | p99 | p99.9 | max | %s |", what, per);
    if (strcmp(scen, "a") == 0)
        printf(" p50 / busy-poll | p50 / futex |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    else
        printf(" shmbox-spin throughput / this |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (int i = 0; i < nrows; i++) {
        const struct row *r = &rows[i];
        if (strcmp(r->scen, scen) != 0)
            continue;
        char a[32], b[32], c[32], d[32], e[32], f[32], g[32];
        us(a, sizeof(a), r->p50);
        us(b, sizeof(b), r->p99);
        us(c, sizeof(c), r->p999);
        us(d, sizeof(d), r->max);
        rate(e, sizeof(e), r->rate);
        if (strcmp(scen, "a") == 0) {
            ratio(f, sizeof(f), r->p50, floor_busy ? floor_busy->p50 : 0);
            ratio(g, sizeof(g), r->p50, floor_fx ? floor_fx->p50 : 0);
            printf("| %s | %s | %s | %s | %s | %s | %s | %s |\n", label(r), a, b, c, d, e, f, g);
        } else {
            ratio(f, sizeof(f), sb ? sb->rate : 0, r->rate);
            printf("| %s | %s | %s | %s | %s | %s | %s |\n", label(r), a, b, c, d, e, f);
        }
    }
}

static void table_bulk(void)
{
    printf("\n### (d) Zero-copy slot hand-off vs copying the bytes through a pipe\n\n");
    printf("Time for the bytes to reach the other process and the acknowledgement to return\n"
           "(shmbox: send_slot, recv_slot, the receiver reads the first and last byte, sends the\n"
           "slot back; pipe: write all bytes, the receiver reads them all, writes 1 byte back).\n\n");
    printf("| size | mechanism | p50 (us) | p99 | p99.9 | max | samples | p50 / same mechanism at 4 KiB | pipe p50 / shmbox p50 |\n");
    printf("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (int i = 0; i < nrows; i++) {
        const struct row *r = &rows[i];
        if (strcmp(r->scen, "d") != 0)
            continue;
        const struct row *base = find("d", r->mech, "4KiB"), *pipe = find("d", "pipe", r->param);
        char a[32], b[32], c[32], d[32], f[32], g[32];
        us(a, sizeof(a), r->p50);
        us(b, sizeof(b), r->p99);
        us(c, sizeof(c), r->p999);
        us(d, sizeof(d), r->max);
        ratio(f, sizeof(f), r->p50, base ? base->p50 : 0);
        if (strncmp(r->mech, "shmbox", 6) == 0)
            ratio(g, sizeof(g), pipe ? pipe->p50 : 0, r->p50);
        else
            snprintf(g, sizeof(g), " ");
        printf("| %s | %s | %s | %s | %s | %s | %.0f | %s | %s |\n", r->param, label(r), a, b, c, d, r->n, f, g);
    }
}

static void table_alloc(void)
{
    printf("\n### (e) Slot alloc+free vs glibc malloc+free of the same size\n\n");
    printf("One process, no contention; each sample is a batch of 100 pairs, shown per pair.\n\n");
    printf("| size | mechanism | p50 (ns) | p99 | p99.9 | max | pairs/s | shmbox / malloc (p50) |\n");
    printf("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (int i = 0; i < nrows; i++) {
        const struct row *r = &rows[i];
        if (strcmp(r->scen, "e") != 0)
            continue;
        const struct row *m = find("e", "malloc", r->param);
        char e[32], f[32];
        rate(e, sizeof(e), r->rate);
        if (strncmp(r->mech, "shmbox", 6) == 0)
            ratio(f, sizeof(f), r->p50, m ? m->p50 : 0);
        else
            snprintf(f, sizeof(f), " ");
        printf("| %s | %s | %.1f | %.1f | %.1f | %.1f | %s | %s |\n", r->param, label(r), r->p50, r->p99, r->p999,
               r->max, e, f);
    }
}

static int verdict(const char *name, int ok, const char *fmt, double a, double b)
{
    printf("| %s | ", name);
    printf(fmt, a, b);
    printf(" | %s |\n", ok ? "met" : "**not met**");
    return ok;
}

static void targets(void)
{
    static const char *kernel[] = {"pipe", "unix", "mq", "msgq", "condvar"};
    const struct row *busy = find("a", "busy", NULL), *fx = find("a", "futex", NULL);
    const struct row *spin = find("a", "shmbox-spin", NULL), *nospin = find("a", "shmbox-nospin", NULL);
    printf("\n### Targets (ratios from this run)\n\n| target | measured | verdict |\n| --- | --- | --- |\n");
    if (busy && spin)
        verdict("1a. RTT p50, spin on <= 3x busy-poll floor", spin->p50 <= 3 * busy->p50,
                "%.2fx (floor p50 %.2f us)", spin->p50 / busy->p50, busy->p50 / 1000);
    if (fx && nospin)
        verdict("1b. RTT p50, spin off <= 1.2x raw futex floor", nospin->p50 <= 1.2 * fx->p50,
                "%.2fx (futex p50 %.1f us)", nospin->p50 / fx->p50, fx->p50 / 1000);
    const struct row *builds[] = {spin, nospin};
    for (int v = 0; v < 2; v++) {
        const struct row *s = builds[v];
        if (s == NULL)
            continue;
        double worst99 = 0, worstmax = 0, min99 = 1e300, minmax = 1e300;
        for (size_t k = 0; k < sizeof(kernel) / sizeof(kernel[0]); k++) {
            const struct row *p = find("a", kernel[k], NULL);
            if (p == NULL)
                continue;
            min99 = fmin(min99, p->p99);
            minmax = fmin(minmax, p->max);
        }
        worst99 = s->p99;
        worstmax = s->max;
        char name[96];
        snprintf(name, sizeof(name), "2. RTT p99 <= every kernel peer and condvar (%s)", s->mech);
        verdict(name, worst99 <= min99, "%.1f us vs best peer %.1f us", worst99 / 1000, min99 / 1000);
        snprintf(name, sizeof(name), "2. RTT max <= every kernel peer and condvar (%s)", s->mech);
        verdict(name, worstmax <= minmax, "%.1f us vs best peer %.1f us", worstmax / 1000, minmax / 1000);
    }
    const struct row *bs = find("b", "shmbox-spin", NULL), *bmq = find("b", "mq", NULL), *bp = find("b", "pipe", NULL);
    if (bs && bmq && bp) {
        double worst = fmax(bmq->rate, bp->rate);
        verdict("3. one-way throughput >= 5x POSIX mq and pipe", bs->rate >= 5 * worst,
                "%.1fx mq, %.1fx pipe", bs->rate / bmq->rate, bs->rate / bp->rate);
    }
    for (int i = 0; i < nrows; i++) {
        const struct row *r = &rows[i];
        if (strcmp(r->scen, "e") != 0 || strncmp(r->mech, "shmbox", 6) != 0)
            continue;
        const struct row *m = find("e", "malloc", r->param);
        if (m == NULL)
            continue;
        char name[96];
        snprintf(name, sizeof(name), "4. alloc+free <= malloc+free, %s (%s)", r->param, r->mech);
        verdict(name, r->p50 <= m->p50, "%.1f ns vs %.1f ns (p50)", r->p50, m->p50);
    }
    printf("| 5. callgrind instructions per op, small vs large config, < 2%% | `make bench-callgrind` | see there |\n");
    const struct row *d4 = find("d", "shmbox-spin", "4KiB"), *d16 = find("d", "shmbox-spin", "16MiB");
    if (d4 && d16)
        verdict("6. 16 MiB hand-off within 10% of 4 KiB (p50)", d16->p50 <= 1.10 * d4->p50, "%.2f us vs %.2f us",
                d16->p50 / 1000, d4->p50 / 1000);
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
            fprintf(o, "%.4f %.4f\n", q[k] > 0 ? -log10(1.0 - q[k]) : 0.0, quantile(r, q[k]) / 1000.0);
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
