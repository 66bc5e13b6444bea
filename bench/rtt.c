// SPDX-License-Identifier: MIT
/*
 * (a) Round trip between two processes, 64-byte messages: side A (CPU 0)
 * sends on dir 0 and waits for the echo on dir 1, side B (CPU 1) echoes.
 * Every sample is one round trip as side A sees it. Besides the latency,
 * each side's CPU time over the timed round trips (its whole process,
 * every thread) is recorded: the price of spinning.
 *
 * Normally side A is the benchmark process itself; a CAP_FRESH mechanism
 * gets a fresh child for side A too (same loop, samples in shared memory).
 * Under load (`make bench-load`) both sides may run at SCHED_FIFO.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

unsigned bench_side;

struct rtt_shared {
    double cpu[2]; /* CPU seconds of side A and side B over the timed part */
    double secs;   /* wall time of the timed part, side A */
};

static void exit_stuck(int sig)
{
    static const char msg[] = "bench: a library's exit handlers did not finish within 20 s; leaving without them\n";
    (void)sig;
    if (write(2, msg, sizeof(msg) - 1) < 0)
        _exit(0);
    _exit(0); /* the measurement is done; bench/run.sh removes what is left behind */
}

/* A child's end. A CAP_FRESH library's runtime cleans up after itself
 * in exit handlers (iceoryx removes its socket and lock files in /tmp and
 * signs off at RouDi), given 20 s; stdio was flushed before fork(), so
 * exit() writes nothing twice. */
static _Noreturn void leave(const struct mech *m)
{
    if (m->caps & CAP_FRESH) {
        signal(SIGALRM, exit_stuck);
        alarm(20);
        exit(0);
    }
    _exit(0);
}

static int child_fifo(int fifo)
{
    struct sched_param sp = {.sched_priority = fifo};
    return fifo > 0 ? sched_setscheduler(0, SCHED_FIFO, &sp) : 0;
}

static _Noreturn void side_b(const struct mech *m, void *ctx, struct barrier *b, uint64_t warm, uint64_t n,
                             int fifo, struct rtt_shared *sh)
{
    unsigned char buf[BENCH_MSG];
    pin_cpu(1);
    if (child_fifo(fifo) != 0)
        _exit(7);
    bench_side = 1;
    if (m->attach(ctx) != 0)
        _exit(3);
    barrier_child(b);
    double c0 = cpu_secs();
    for (uint64_t i = 0; i < warm + n; i++) {
        if (i == warm)
            c0 = cpu_secs();
        if (m->recv(ctx, 0, buf) != 0 || m->send(ctx, 1, buf) != 0)
            _exit(4);
    }
    sh->cpu[1] = cpu_secs() - c0;
    m->detach(ctx);
    leave(m);
}

/* The measuring side; returns 0, or what failed. */
static const char *side_a(const struct mech *m, void *ctx, uint64_t *s, uint64_t warm, uint64_t n,
                          struct rtt_shared *sh)
{
    unsigned char msg[BENCH_MSG], buf[BENCH_MSG];
    uint64_t start = 0;
    double c0 = 0;
    for (uint64_t i = 0; i < warm + n; i++) {
        uint64_t got;
        fill(msg, i);
        if (i == warm) {
            c0 = cpu_secs();
            start = now_ns();
        }
        uint64_t t0 = now_ns();
        if (m->send(ctx, 0, msg) != 0 || m->recv(ctx, 1, buf) != 0)
            return "round trip";
        uint64_t t1 = now_ns();
        memcpy(&got, buf, sizeof(got));
        if (got != i)
            return "echo of another message";
        if (i >= warm)
            s[i - warm] = t1 - t0;
    }
    sh->secs = (double)(now_ns() - start) / 1e9;
    sh->cpu[0] = cpu_secs() - c0;
    return NULL;
}

void scenario_rtt(const struct mech *m, const char *scen, uint64_t n, int fifo)
{
    const uint64_t warm = n / 10 + 10;
    uint64_t *s = shared_alloc(n * sizeof(*s));
    struct rtt_shared *sh = shared_alloc(sizeof(*sh));
    void *ctx;
    struct barrier b;
    const char *err = NULL;

    fflush(NULL); /* children exit with _exit, but flush nothing twice */
    if (m->setup(&ctx, 1) != 0)
        die(m->key);
    barrier_init(&b);
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0)
        side_b(m, ctx, &b, warm, n, fifo, sh);
    if (m->caps & CAP_FRESH) {
        pid_t a = fork();
        if (a < 0)
            die("fork");
        if (a == 0) {
            pin_cpu(0);
            if (child_fifo(fifo) != 0)
                _exit(7);
            bench_side = 0;
            if (m->attach(ctx) != 0)
                _exit(3);
            barrier_child(&b);
            err = side_a(m, ctx, s, warm, n, sh);
            if (err != NULL) {
                fprintf(stderr, "%s: %s\n", m->key, err);
                _exit(4);
            }
            m->detach(ctx);
            leave(m);
        }
        barrier_parent(&b, 2);
        reap(2);
    } else {
        pin_cpu(0);
        if (fifo > 0)
            set_fifo(fifo);
        bench_side = 0;
        if (m->attach(ctx) != 0)
            die("attach");
        barrier_parent(&b, 1);
        err = side_a(m, ctx, s, warm, n, sh);
        if (err != NULL) {
            fprintf(stderr, "%s: %s\n", m->key, err);
            exit(2);
        }
        m->detach(ctx);
        reap(1);
        if (fifo > 0)
            set_fifo(0);
    }
    m->teardown(ctx);
    barrier_close(&b);
    pin_cpu(-1);
    record(scen, m->key, "64B", s, n, 1, (double)n, sh->secs);
    record_cpu(scen, m->key, "64B", sh->cpu[0] + sh->cpu[1], (double)n);
    struct stats st = stats_of(s, n);
    fprintf(stderr, "  (%s) %-14s p50 %9.0f ns  p99 %9.0f ns  p99.9 %9.0f ns  max %9.0f ns  CPU %7.2f us/rt\n",
            scen, m->key, st.p50, st.p99, st.p999, st.max, (sh->cpu[0] + sh->cpu[1]) / (double)n * 1e6);
    shared_free(s, n * sizeof(*s));
    shared_free(sh, sizeof(*sh));
}
