// SPDX-License-Identifier: MIT
/* shmbox-bench-report: the performance targets, checked on one run's ratios. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

static void targets_peers(void);

int verdict(const char *name, int ok, const char *fmt, double a, double b)
{
    printf("| %s | ", name);
    printf(fmt, a, b);
    printf(" | %s |\n", ok ? "met" : "**not met**");
    return ok;
}

void targets(void)
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
    targets_peers();
}

/* Against the libraries that do the same job (same run, same method). */
static void targets_peers(void)
{
    const struct row *busy = find("a", "busy", NULL), *ib = find("a", "iox-busy", NULL);
    const struct row *iw = find("a", "iox-ws", NULL), *bq = find("a", "boost-mq", NULL);
    const struct row *spin = find("a", "shmbox-spin", NULL), *nospin = find("a", "shmbox-nospin", NULL);
    printf("\n### Targets against iceoryx and Boost.Interprocess (ratios from this run)\n\n"
           "| target | measured | verdict |\n| --- | --- | --- |\n");
    if (spin && ib)
        verdict("P1a. RTT p50, spin on <= 1/3 of iceoryx busy-poll p50", 3 * spin->p50 <= ib->p50,
                "%.2fx of iceoryx busy-poll (its p50 %.2f us)", spin->p50 / ib->p50, ib->p50 / 1000);
    else
        printf("| P1a. RTT p50, spin on <= 1/3 of iceoryx busy-poll p50 | no iceoryx rows (RouDi not run) | - |\n");
    if (spin && busy)
        verdict("P1b. RTT p50, spin on <= 2x busy-poll floor", spin->p50 <= 2 * busy->p50,
                "%.2fx (floor p50 %.2f us)", spin->p50 / busy->p50, busy->p50 / 1000);
    const struct row *peers[] = {iw, bq};
    for (int k = 0; k < 2 && nospin; k++) {
        const struct row *p = peers[k];
        if (p == NULL)
            continue;
        char name[128];
        snprintf(name, sizeof(name), "P2. RTT p50, spin off <= %s", label(p));
        verdict(name, nospin->p50 <= p->p50, "%.1f us vs %.1f us", nospin->p50 / 1000, p->p50 / 1000);
        snprintf(name, sizeof(name), "P2. RTT p99, spin off <= %s", label(p));
        verdict(name, nospin->p99 <= p->p99, "%.1f us vs %.1f us", nospin->p99 / 1000, p->p99 / 1000);
    }
    printf("| P3. under load with SCHED_FIFO: shmbox p99.9 <= every peer's | `make bench-load` | see there |\n");
    printf("| P4. priority inversion: shmbox's lock boosts the holder, a plain futex lock does not | "
           "`make test-native` (ctest -L rt) | see there |\n");
    printf("| P5. worst-case instructions per call flat (< 2%%) from small to large config | "
           "`make bench-callgrind` | see there |\n");
}

void targets_load(void)
{
    static const char *peers[] = {"iox-busy", "iox-ws", "boost-mq"};
    const struct row *sb = find("F", "shmbox-spin", NULL), *sn = find("F", "shmbox-nospin", NULL);
    printf("\n### Target under load (ratios from this run)\n\n| target | measured | verdict |\n| --- | --- | --- |\n");
    const struct row *builds[] = {sb, sn};
    for (int v = 0; v < 2; v++) {
        const struct row *s = builds[v];
        if (s == NULL)
            continue;
        for (size_t k = 0; k < sizeof(peers) / sizeof(peers[0]); k++) {
            const struct row *p = find("F", peers[k], NULL);
            if (p == NULL)
                continue;
            char name[160];
            snprintf(name, sizeof(name), "P3. SCHED_FIFO under load: %s p99.9 <= %s p99.9", s->mech, label(p));
            verdict(name, s->p999 <= p->p999, "%.1f us vs %.1f us", s->p999 / 1000, p->p999 / 1000);
        }
    }
}
