// SPDX-License-Identifier: MIT
/*
 * shmbox-bench: the scenarios of the benchmark suite, run against shmbox
 * (this build's variant) and, with --peers, against the kernel's IPC, the
 * two floors and the libraries that do the same job (Boost.Interprocess
 * message_queue; iceoryx when SHMBOX_BENCH_ICEORYX=1 says RouDi runs).
 * Writes result rows for shmbox-bench-report.
 *
 *   (a) round trip between two processes, 64-byte messages (rtt.c)
 *   (b) one-way streaming, one producer and one consumer process
 *   (c) four producer processes into one consumer
 *   (d) zero-copy slot hand-off 4 KiB .. 16 MiB vs copying through a pipe
 *   (e) slot alloc+free vs malloc+free of the same size
 * With --load normal|fifo only (a) runs, as rows "L" / "F": `make
 * bench-load` runs it while stress-ng loads both CPUs; fifo puts both
 * processes at SCHED_FIFO.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <shmbox/shmbox.h>

#include "bench.h"

shmbox_t *bench_shmbox(void *ctx);

/* SCHED_FIFO priority of both processes under --load fifo: above every
 * normal task, below the kernel's own threaded interrupt handlers (50). */
#define BENCH_FIFO_PRIO 40

static FILE *out;
unsigned scale_div = 1; /* --quick divides iteration counts */
static char variant_key[32] = "shmbox";

uint64_t iters(uint64_t n)
{
    uint64_t v = n / scale_div;
    return v < 10 ? 10 : v;
}

void fill(unsigned char *m, uint64_t i)
{
    memset(m, 0x5a, BENCH_MSG);
    memcpy(m, &i, sizeof(i));
}

void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (p == NULL)
        die("malloc");
    return p;
}

/*
 * Append one run's samples (ns, divided by @p div) to DIR/scen.mech.param.f64
 * and its count and duration to the result file. shmbox-bench-report
 * merges every run of a row, so rows measured in several interleaved
 * rounds share the machine's noise fairly.
 */
static char sample_dir[512];

void record(const char *scen, const char *mech, const char *param, const uint64_t *s, uint64_t n, double div,
            double count, double secs)
{
    char path[700];
    snprintf(path, sizeof(path), "%s/%s.%s.%s.f64", sample_dir, scen, mech, param);
    FILE *f = fopen(path, "ab");
    if (f == NULL)
        die(path);
    for (uint64_t i = 0; i < n; i++) {
        double v = (double)s[i] / div;
        if (fwrite(&v, sizeof(v), 1, f) != 1)
            die(path);
    }
    fclose(f);
    fprintf(out, "run\t%s\t%s\t%s\t%.0f\t%.9f\n", scen, mech, param, count, secs);
    fflush(out);
}

void record_cpu(const char *scen, const char *mech, const char *param, double cpu, double count)
{
    fprintf(out, "cpu\t%s\t%s\t%s\t%.9f\t%.0f\n", scen, mech, param, cpu, count);
    fflush(out);
}

/* ---- (b), (c) streaming ---------------------------------------------- */
/* Every STREAM_SAMPLE-th send call is timed: two clock reads per message
 * (~50 ns) would be a quarter of a fast mechanism's cost per message and
 * throttle its producer, but 2% of a system call's. Throughput is counted
 * over all messages, the send-call percentiles over the timed ones. */
#define STREAM_SAMPLE 8u

static void scenario_stream(const struct mech *m, const char *scen, unsigned nprod, uint64_t total)
{
    total = iters(total);
    uint64_t per = total / nprod / STREAM_SAMPLE * STREAM_SAMPLE;
    if (per == 0)
        per = STREAM_SAMPLE;
    total = per * nprod;
    uint64_t nsamples = total / STREAM_SAMPLE;
    uint64_t *s = shared_alloc(nsamples * sizeof(*s));
    void *ctx;
    struct barrier b;
    unsigned char buf[BENCH_MSG];

    if (m->setup(&ctx, nprod) != 0)
        die(m->key);
    barrier_init(&b);
    for (unsigned p = 0; p < nprod; p++) {
        pid_t pid = fork();
        if (pid < 0)
            die("fork");
        if (pid == 0) {
            unsigned char msg[BENCH_MSG];
            if (nprod == 1)
                pin_cpu(1);
            if (m->attach(ctx) != 0)
                _exit(3);
            barrier_child(&b);
            for (uint64_t i = 0; i < per; i++) {
                fill(msg, i);
                if (i % STREAM_SAMPLE != 0) {
                    if (m->send(ctx, 0, msg) != 0)
                        _exit(4);
                    continue;
                }
                uint64_t t0 = now_ns();
                if (m->send(ctx, 0, msg) != 0)
                    _exit(4);
                s[(p * per + i) / STREAM_SAMPLE] = now_ns() - t0;
            }
            m->detach(ctx);
            _exit(0);
        }
    }
    if (nprod == 1)
        pin_cpu(0);
    if (m->attach(ctx) != 0)
        die("attach");
    uint64_t t0 = now_ns();
    barrier_parent(&b, nprod);
    for (uint64_t i = 0; i < total; i++)
        if (m->recv(ctx, 0, buf) != 0)
            die("recv");
    double secs = (double)(now_ns() - t0) / 1e9;
    m->detach(ctx);
    reap(nprod);
    m->teardown(ctx);
    barrier_close(&b);
    pin_cpu(-1);
    char param[16];
    snprintf(param, sizeof(param), "%up1c", nprod);
    record(scen, m->key, param, s, nsamples, 1, (double)total, secs);
    struct stats st = stats_of(s, nsamples);
    fprintf(stderr, "  (%s) %-14s %12.0f msg/s  send p50 %6.0f ns\n", scen, m->key, (double)total / secs, st.p50);
    shared_free(s, nsamples * sizeof(*s));
}

/* ---- main ----------------------------------------------------------------- */
static void usage(void)
{
    fprintf(stderr, "usage: shmbox-bench --variant NAME --out FILE [--peers] [--scenarios abcde]\n"
                    "                    [--quick | --rounds N]   (N: this is one of N rounds; 1/N of the work)\n"
                    "                    [--load normal|fifo]     (round trips only, under load)\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *outpath = NULL, *scen = "abcde";
    int peers = 0, load = 0; /* load: 1 normal scheduling, 2 SCHED_FIFO */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--variant") == 0 && i + 1 < argc)
            snprintf(variant_key, sizeof(variant_key), "shmbox-%s", argv[++i]);
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            outpath = argv[++i];
        else if (strcmp(argv[i], "--scenarios") == 0 && i + 1 < argc)
            scen = argv[++i];
        else if (strcmp(argv[i], "--peers") == 0)
            peers = 1;
        else if (strcmp(argv[i], "--load") == 0 && i + 1 < argc) {
            i++;
            load = strcmp(argv[i], "normal") == 0 ? 1 : strcmp(argv[i], "fifo") == 0 ? 2 : 0;
            if (load == 0)
                usage();
        }
        else if (strcmp(argv[i], "--quick") == 0)
            scale_div = 100;
        else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
            int r = atoi(argv[++i]);
            scale_div = r > 0 ? (unsigned)r : 1u;
        }
        else
            usage();
    }
    if (outpath == NULL)
        usage();
    out = fopen(outpath, "a");
    if (out == NULL)
        die(outpath);
    snprintf(sample_dir, sizeof(sample_dir), "%s.samples", outpath);
    if (mkdir(sample_dir, 0755) != 0 && errno != EEXIST)
        die(sample_dir);
    setvbuf(stdout, NULL, _IOLBF, 0);
    mech_shmbox.key = variant_key;

    /* Cost of one timestamp, included in every sample. */
    uint64_t t0 = now_ns();
    for (int i = 0; i < 100000; i++)
        (void)now_ns();
    fprintf(out, "meta\ttimer_ns\t%.1f\n", (double)(now_ns() - t0) / 100000.0);
#ifndef CONFIG_SHMBOX_SLOT_CACHE
#define CONFIG_SHMBOX_SLOT_CACHE 0
#endif
    fprintf(out, "meta\tvariant\t%s\tSHMBOX_SPIN_COUNT=%d SHMBOX_LOCK_SPIN_COUNT=%d SHMBOX_SLOT_CACHE=%d\n",
            variant_key, CONFIG_SHMBOX_SPIN_COUNT, CONFIG_SHMBOX_LOCK_SPIN_COUNT, CONFIG_SHMBOX_SLOT_CACHE);

    const char *iox = getenv("SHMBOX_BENCH_ICEORYX");
    const struct mech *rtt_peers[] = {&mech_pipe,      &mech_unix,     &mech_mq,       &mech_msgq,
                                      &mech_condvar,   &mech_futex,    &mech_busy_line, &mech_busy_locked,
                                      &mech_boost_mq,
                                      &mech_iox_busy,  &mech_iox_ws};
    size_t n_rtt_peers = sizeof(rtt_peers) / sizeof(rtt_peers[0]);
    if (iox == NULL || strcmp(iox, "1") != 0)
        n_rtt_peers -= 2; /* no RouDi: no iceoryx rows */
    const struct mech *stream_peers[] = {&mech_pipe, &mech_unix, &mech_mq, &mech_msgq, &mech_condvar,
                                         &mech_boost_mq, &mech_busy_ring};
    const struct mech *mpsc_peers[] = {&mech_pipe, &mech_unix, &mech_mq, &mech_msgq, &mech_condvar,
                                       &mech_boost_mq};

    if (load != 0) {
        const char *row = load == 2 ? "F" : "L";
        fprintf(stderr, "(%s) round trip under load, %s scheduling\n", row, load == 2 ? "SCHED_FIFO" : "normal");
        for (size_t i = 0; peers && i < n_rtt_peers; i++)
            scenario_rtt(rtt_peers[i], row, iters(5000), load == 2 ? BENCH_FIFO_PRIO : 0);
        scenario_rtt(&mech_shmbox, row, iters(5000), load == 2 ? BENCH_FIFO_PRIO : 0);
        fclose(out);
        return 0;
    }
    if (strchr(scen, 'a')) {
        fprintf(stderr, "(a) round trip, 64-byte messages\n");
        for (size_t i = 0; peers && i < n_rtt_peers; i++)
            scenario_rtt(rtt_peers[i], "a", iters(20000), 0);
        scenario_rtt(&mech_shmbox, "a", iters(20000), 0);
    }
    if (strchr(scen, 'b')) {
        fprintf(stderr, "(b) one-way streaming, 1 producer, 1 consumer\n");
        for (size_t i = 0; peers && i < sizeof(stream_peers) / sizeof(stream_peers[0]); i++)
            scenario_stream(stream_peers[i], "b", 1, 200000);
        scenario_stream(&mech_shmbox, "b", 1, 2000000);
    }
    if (strchr(scen, 'c')) {
        fprintf(stderr, "(c) 4 producers, 1 consumer\n");
        for (size_t i = 0; peers && i < sizeof(mpsc_peers) / sizeof(mpsc_peers[0]); i++)
            scenario_stream(mpsc_peers[i], "c", 4, 200000);
        scenario_stream(&mech_shmbox, "c", 4, 1000000);
    }
    if (strchr(scen, 'd')) {
        fprintf(stderr, "(d) slot hand-off vs copy through a pipe\n");
        scenario_bulk(&mech_shmbox, peers);
    }
    if (strchr(scen, 'e')) {
        fprintf(stderr, "(e) slot alloc+free vs malloc+free\n");
        scenario_alloc(&mech_shmbox, peers);
    }
    fclose(out);
    return 0;
}
