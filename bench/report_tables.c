// SPDX-License-Identifier: MIT
/* shmbox-bench-report: the tables, one per scenario. */
#include <stdio.h>
#include <string.h>

#include "report.h"

/* CPU time per operation (us) and the CPUs it kept busy on average. */
static void cpu_cols(char *per_op, char *busy, size_t n, const struct row *r)
{
    if (r->cpu_n <= 0 || r->secs <= 0) {
        snprintf(per_op, n, "-");
        snprintf(busy, n, "-");
        return;
    }
    snprintf(per_op, n, "%.2f", r->cpu / r->cpu_n * 1e6);
    /* The operations of the CPU record are those of the timed runs. */
    snprintf(busy, n, "%.2f", r->cpu / r->secs);
}

void table_latency(const char *scen, const char *title, const char *what, const char *per)
{
    const struct row *floor_busy = find(scen, "busy", NULL), *floor_fx = find(scen, "futex", NULL);
    const struct row *sb = find(scen, "shmbox-spin", NULL);
    printf("\n### %s\n\n", title);
    printf("| mechanism | %s p50 (us) | p99 | p99.9 | max | %s |", what, per);
    if (strcmp(scen, "a") == 0)
        printf(" p50 / busy-poll | p50 / futex | CPU per round trip (us, both processes) | CPUs busy |\n"
               "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
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
            char h[32], k[32];
            cpu_cols(h, k, sizeof(h), r);
            printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", label(r), a, b, c, d, e, f, g, h, k);
        } else {
            ratio(f, sizeof(f), sb ? sb->rate : 0, r->rate);
            printf("| %s | %s | %s | %s | %s | %s | %s |\n", label(r), a, b, c, d, e, f);
        }
    }
}

void table_bulk(void)
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

void table_alloc(void)
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

/* Round trips under load: the tails, and each one against shmbox's. */
void table_load(const char *scen, const char *title)
{
    const struct row *sb = find(scen, "shmbox-spin", NULL);
    int any = 0;
    for (int i = 0; i < nrows; i++)
        any |= strcmp(rows[i].scen, scen) == 0;
    if (!any)
        return;
    printf("\n### %s\n\n", title);
    printf("| mechanism | p50 (us) | p99 | p99.9 | max | samples | CPU per round trip (us) | "
           "p99.9 / shmbox-spin p99.9 |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (int i = 0; i < nrows; i++) {
        const struct row *r = &rows[i];
        if (strcmp(r->scen, scen) != 0)
            continue;
        char a[32], b[32], c[32], d[32], f[32], h[32], k[32];
        us(a, sizeof(a), r->p50);
        us(b, sizeof(b), r->p99);
        us(c, sizeof(c), r->p999);
        us(d, sizeof(d), r->max);
        ratio(f, sizeof(f), r->p999, sb ? sb->p999 : 0);
        cpu_cols(h, k, sizeof(h), r);
        printf("| %s | %s | %s | %s | %s | %.0f | %s | %s |\n", label(r), a, b, c, d, r->n, h, f);
    }
}
