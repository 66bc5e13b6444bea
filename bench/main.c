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

/* ---- (d) bulk hand-off ------------------------------------------------ */
static const size_t bulk_sizes[] = {4096, 65536, 1u << 20, 16u << 20};

static void size_label(char *l, size_t n, size_t sz)
{
    if (sz >= (1u << 20))
        snprintf(l, n, "%zuMiB", sz >> 20);
    else if (sz >= 1024)
        snprintf(l, n, "%zuKiB", sz >> 10);
    else
        snprintf(l, n, "%zuB", sz);
}

static void scenario_bulk_shmbox(const struct mech *m, size_t size)
{
    const uint64_t warm = iters(200), n = iters(5000);
    uint64_t *s = xmalloc(n * sizeof(*s));
    void *ctx;
    struct barrier b;

    if (m->setup(&ctx, 1) != 0)
        die(m->key);
    barrier_init(&b);
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        pin_cpu(1);
        if (m->attach(ctx) != 0)
            _exit(3);
        shmbox_t *sb = bench_shmbox(ctx);
        barrier_child(&b);
        for (uint64_t i = 0; i < warm + n; i++) {
            shmbox_slot_t slot;
            size_t len;
            if (shmbox_recv_slot(sb, 0, &slot, &len, SHMBOX_FOREVER) != 0)
                _exit(4);
            const unsigned char *p = shmbox_slot_ptr(sb, slot);
            if (p == NULL || len != size || p[0] != 0x5a || p[len - 1u] != 0x5a)
                _exit(5);
            if (shmbox_send_slot(sb, 1, slot, len, SHMBOX_FOREVER) != 0)
                _exit(6);
        }
        m->detach(ctx);
        _exit(0);
    }
    pin_cpu(0);
    shmbox_t *sb = bench_shmbox(ctx);
    shmbox_slot_t slot;
    if (shmbox_slot_alloc(sb, size, &slot, SHMBOX_NO_WAIT) != 0)
        die("slot_alloc (bench.conf pools)");
    memset(shmbox_slot_ptr(sb, slot), 0x5a, size);
    barrier_parent(&b, 1);
    for (uint64_t i = 0; i < warm + n; i++) {
        size_t len;
        uint64_t t0 = now_ns();
        if (shmbox_send_slot(sb, 0, slot, size, SHMBOX_FOREVER) != 0 ||
            shmbox_recv_slot(sb, 1, &slot, &len, SHMBOX_FOREVER) != 0)
            die("slot round trip");
        if (i >= warm)
            s[i - warm] = now_ns() - t0;
    }
    (void)shmbox_slot_free(sb, slot);
    reap(1);
    m->teardown(ctx);
    barrier_close(&b);
    pin_cpu(-1);
    char label[24];
    size_label(label, sizeof(label), size);
    double total_ns = 0;
    for (uint64_t i = 0; i < n; i++)
        total_ns += (double)s[i];
    record("d", m->key, label, s, n, 1, (double)n, total_ns / 1e9);
    struct stats st = stats_of(s, n);
    fprintf(stderr, "  (d) %-14s %-6s p50 %9.0f ns\n", m->key, label, st.p50);
    free(s);
}

static void scenario_bulk_pipe(size_t size)
{
    uint64_t n = (256u << 20) / size;
    n = n > 5000 ? 5000 : n < 50 ? 50 : n;
    n = iters(n);
    const uint64_t warm = n / 20 + 1;
    uint64_t *s = xmalloc(n * sizeof(*s));
    int p0[2], p1[2];
    struct barrier b;
    unsigned char *data = xmalloc(size);
    memset(data, 0x5a, size);

    if (pipe(p0) != 0 || pipe(p1) != 0)
        die("pipe");
    (void)fcntl(p0[1], F_SETPIPE_SZ, 1 << 20); /* as big as an unprivileged user may */
    barrier_init(&b);
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        pin_cpu(1);
        barrier_child(&b);
        for (uint64_t i = 0; i < warm + n; i++) {
            size_t got = 0;
            while (got < size) {
                ssize_t r = read(p0[0], data + got, size - got);
                if (r <= 0)
                    _exit(4);
                got += (size_t)r;
            }
            if (data[0] != 0x5a || data[size - 1u] != 0x5a || write(p1[1], "k", 1) != 1)
                _exit(5);
        }
        _exit(0);
    }
    pin_cpu(0);
    barrier_parent(&b, 1);
    for (uint64_t i = 0; i < warm + n; i++) {
        char k;
        uint64_t t0 = now_ns();
        size_t put = 0;
        while (put < size) {
            ssize_t r = write(p0[1], data + put, size - put);
            if (r <= 0)
                die("write");
            put += (size_t)r;
        }
        if (read(p1[0], &k, 1) != 1)
            die("read");
        if (i >= warm)
            s[i - warm] = now_ns() - t0;
    }
    reap(1);
    close(p0[0]);
    close(p0[1]);
    close(p1[0]);
    close(p1[1]);
    barrier_close(&b);
    pin_cpu(-1);
    char label[24];
    size_label(label, sizeof(label), size);
    double total_ns = 0;
    for (uint64_t i = 0; i < n; i++)
        total_ns += (double)s[i];
    record("d", "pipe", label, s, n, 1, (double)n, total_ns / 1e9);
    struct stats st = stats_of(s, n);
    fprintf(stderr, "  (d) %-14s %-6s p50 %9.0f ns\n", "pipe", label, st.p50);
    free(s);
    free(data);
}

/* ---- (e) alloc + free --------------------------------------------------- */
static const size_t alloc_sizes[] = {64, 4096, 65536, 1u << 20, 16u << 20};
#define ALLOC_BATCH 100u

static void alloc_row(const char *key, size_t size, uint64_t *s, uint64_t nb, double secs)
{
    char label[24];
    size_label(label, sizeof(label), size);
    record("e", key, label, s, nb, ALLOC_BATCH, (double)(nb * ALLOC_BATCH), secs);
    struct stats st = stats_of(s, nb);
    fprintf(stderr, "  (e) %-14s %-6s p50 %7.1f ns per alloc+free\n", key, label, st.p50 / ALLOC_BATCH);
}

/* One timed batch of ALLOC_BATCH malloc+free pairs of @p size. */
static uint64_t malloc_batch(size_t size)
{
    void *volatile sink;
    uint64_t t0 = now_ns();
    for (unsigned i = 0; i < ALLOC_BATCH; i++) {
        sink = malloc(size);
        if (sink == NULL)
            die("malloc");
        free(sink);
    }
    return now_ns() - t0;
}

/* One timed batch of ALLOC_BATCH slot alloc+free pairs of @p size. */
static uint64_t slot_batch(shmbox_t *sb, size_t size)
{
    shmbox_slot_t slot;
    uint64_t t0 = now_ns();
    for (unsigned i = 0; i < ALLOC_BATCH; i++) {
        if (shmbox_slot_alloc(sb, size, &slot, SHMBOX_NO_WAIT) != 0 || shmbox_slot_free(sb, slot) != 0)
            die("slot alloc+free");
    }
    return now_ns() - t0;
}

/*
 * Batches of malloc and of shmbox alternate, so both meet the same moments
 * of the machine (its speed moves by 2x within seconds here).
 */
static void scenario_alloc(const struct mech *m, int peers)
{
    const uint64_t nb = iters(2000);
    uint64_t *sm = xmalloc(nb * sizeof(*sm));
    uint64_t *ss = xmalloc(nb * sizeof(*ss));
    void *ctx;
    if (m->setup(&ctx, 1) != 0)
        die(m->key);
    shmbox_t *sb = bench_shmbox(ctx);
    pin_cpu(0);
    for (size_t k = 0; k < sizeof(alloc_sizes) / sizeof(alloc_sizes[0]); k++) {
        size_t size = alloc_sizes[k];
        for (unsigned i = 0; i < 10; i++) { /* warm up both */
            if (peers)
                (void)malloc_batch(size);
            (void)slot_batch(sb, size);
        }
        double msecs = 0, ssecs = 0;
        for (uint64_t j = 0; j < nb; j++) {
            if (peers) {
                sm[j] = malloc_batch(size);
                msecs += (double)sm[j] / 1e9;
            }
            ss[j] = slot_batch(sb, size);
            ssecs += (double)ss[j] / 1e9;
        }
        if (peers)
            alloc_row("malloc", size, sm, nb, msecs);
        alloc_row(m->key, size, ss, nb, ssecs);
    }
    pin_cpu(-1);
    m->teardown(ctx);
    free(sm);
    free(ss);
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
                                      &mech_condvar,   &mech_futex,    &mech_busy_line, &mech_boost_mq,
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
        for (size_t k = 0; k < sizeof(bulk_sizes) / sizeof(bulk_sizes[0]); k++) {
            if (peers)
                scenario_bulk_pipe(bulk_sizes[k]);
            scenario_bulk_shmbox(&mech_shmbox, bulk_sizes[k]);
        }
    }
    if (strchr(scen, 'e')) {
        fprintf(stderr, "(e) slot alloc+free vs malloc+free\n");
        scenario_alloc(&mech_shmbox, peers);
    }
    fclose(out);
    return 0;
}
