// SPDX-License-Identifier: MIT
/*
 * The slot scenarios of shmbox-bench:
 *   (d) zero-copy slot hand-off 4 KiB .. 16 MiB vs copying through a pipe
 *   (e) slot alloc+free vs malloc+free of the same size
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <shmbox/shmbox.h>

#include "bench.h"

shmbox_t *bench_shmbox(void *ctx);

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
void scenario_alloc(const struct mech *m, int peers)
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

void scenario_bulk(const struct mech *m, int peers)
{
    for (size_t k = 0; k < sizeof(bulk_sizes) / sizeof(bulk_sizes[0]); k++) {
        if (peers)
            scenario_bulk_pipe(bulk_sizes[k]);
        scenario_bulk_shmbox(m, bulk_sizes[k]);
    }
}
