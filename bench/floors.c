// SPDX-License-Identifier: MIT
/*
 * The floors shmbox is measured against: a raw futex ping-pong (the
 * sleep/wake floor), a busy-polled cache line (the round-trip floor) and a
 * busy-polled single-producer ring (the streaming floor); and the floor of
 * shmbox's design: a busy-polled two-lock queue that commits inside its
 * locks, with the memory traffic and barriers of shmbox's hot path and
 * nothing else.
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield" ::: "memory");
#endif
}

static void no_op(void *ctx)
{
    (void)ctx;
}

static int attach_none(void *ctx)
{
    (void)ctx;
    return 0;
}

/* ---- raw futex ping-pong: a sequence word per direction, always wake ---- */
struct fx_line {
    _Atomic uint32_t seq;
    uint32_t seen; /* receiver-private copy (only the receiver touches it) */
    unsigned char pad[56];
    unsigned char data[BENCH_MSG];
} __attribute__((aligned(64)));

static int fx_setup(void **ctx, unsigned nprod)
{
    (void)nprod;
    *ctx = shared_alloc(2 * sizeof(struct fx_line));
    return 0;
}

static long futex(_Atomic uint32_t *w, int op, uint32_t val)
{
    return syscall(SYS_futex, (uint32_t *)(void *)w, op, val, NULL, NULL, 0);
}

static int fx_send(void *ctx, unsigned dir, const void *msg)
{
    struct fx_line *l = (struct fx_line *)ctx + dir;
    memcpy(l->data, msg, BENCH_MSG);
    atomic_fetch_add_explicit(&l->seq, 1u, memory_order_release);
    futex(&l->seq, FUTEX_WAKE, 1);
    return 0;
}

static int fx_recv(void *ctx, unsigned dir, void *buf)
{
    struct fx_line *l = (struct fx_line *)ctx + dir;
    while (atomic_load_explicit(&l->seq, memory_order_acquire) == l->seen)
        futex(&l->seq, FUTEX_WAIT, l->seen);
    l->seen++;
    memcpy(buf, l->data, BENCH_MSG);
    return 0;
}

static void fx_teardown(void *ctx)
{
    shared_free(ctx, 2 * sizeof(struct fx_line));
}

const struct mech mech_futex = {"futex", CAP_RTT, fx_setup, attach_none, fx_send, fx_recv, no_op, fx_teardown};

/* ---- busy-polled cache line: one 64-byte line per direction, a sequence
 * number and 56 payload bytes; the receiver spins on it. The floor. ----- */
struct busy_line {
    _Atomic uint32_t seq;
    uint32_t seen;
    unsigned char data[56];
} __attribute__((aligned(64)));
_Static_assert(sizeof(struct busy_line) == 64, "one cache line");

static int bl_setup(void **ctx, unsigned nprod)
{
    (void)nprod;
    /* Each direction's line on its own 128-byte pair (adjacent-line prefetch). */
    *ctx = shared_alloc(4 * sizeof(struct busy_line));
    return 0;
}

static int bl_send(void *ctx, unsigned dir, const void *msg)
{
    struct busy_line *l = (struct busy_line *)ctx + 2u * dir;
    memcpy(l->data, msg, sizeof(l->data));
    atomic_store_explicit(&l->seq, atomic_load_explicit(&l->seq, memory_order_relaxed) + 1u, memory_order_release);
    return 0;
}

static int bl_recv(void *ctx, unsigned dir, void *buf)
{
    struct busy_line *l = (struct busy_line *)ctx + 2u * dir;
    uint32_t want = l->seen + 1u;
    while (atomic_load_explicit(&l->seq, memory_order_acquire) != want)
        cpu_relax();
    l->seen = want;
    memcpy(buf, l->data, sizeof(l->data));
    return 0;
}

static void bl_teardown(void *ctx)
{
    shared_free(ctx, 4 * sizeof(struct busy_line));
}

const struct mech mech_busy_line = {"busy", CAP_RTT, bl_setup, attach_none, bl_send, bl_recv, no_op, bl_teardown};

/* ---- busy-polled single-producer ring (the streaming floor) ------------ */
#define RING_DEPTH 64u
struct ring {
    _Atomic uint32_t tail; /* producer line */
    uint32_t head_cache;
    unsigned char pad0[120];
    _Atomic uint32_t head; /* consumer line */
    uint32_t tail_cache;
    unsigned char pad1[120];
    unsigned char buf[RING_DEPTH][BENCH_MSG];
} __attribute__((aligned(128)));

static int ring_setup(void **ctx, unsigned nprod)
{
    if (nprod > 1)
        return -1;
    *ctx = shared_alloc(2 * sizeof(struct ring));
    return 0;
}

static int ring_send(void *ctx, unsigned dir, const void *msg)
{
    struct ring *r = (struct ring *)ctx + dir;
    uint32_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
    while (t - r->head_cache == RING_DEPTH) {
        r->head_cache = atomic_load_explicit(&r->head, memory_order_acquire);
        if (t - r->head_cache == RING_DEPTH)
            cpu_relax();
    }
    memcpy(r->buf[t & (RING_DEPTH - 1u)], msg, BENCH_MSG);
    atomic_store_explicit(&r->tail, t + 1u, memory_order_release);
    return 0;
}

static int ring_recv(void *ctx, unsigned dir, void *buf)
{
    struct ring *r = (struct ring *)ctx + dir;
    uint32_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
    while (r->tail_cache == h) {
        r->tail_cache = atomic_load_explicit(&r->tail, memory_order_acquire);
        if (r->tail_cache == h)
            cpu_relax();
    }
    memcpy(buf, r->buf[h & (RING_DEPTH - 1u)], BENCH_MSG);
    atomic_store_explicit(&r->head, h + 1u, memory_order_release);
    return 0;
}

static void ring_teardown(void *ctx)
{
    shared_free(ctx, 2 * sizeof(struct ring));
}

const struct mech mech_busy_ring = {"busy", CAP_STREAM, ring_setup, attach_none, ring_send, ring_recv, no_op,
                                    ring_teardown};

/* ---- the floor of a queue that commits under a lock -------------------
 * Per direction, shmbox's lines: the senders' lock, tail with the count of
 * receivers asleep on it, the receivers' lock, head with the count of
 * senders asleep on it, and a ring of entries. A send takes the senders'
 * lock (compare-and-swap), writes the entry, publishes tail, releases the
 * lock (compare-and-swap), fences and reads the sleepers (none: no wake);
 * a receive polls tail, then does the same on its side. Locked
 * read-modify-writes and the fence are what a priority-inheritance lock
 * over the commit costs; no checks, no spin budget, no ownership. */
#define LQ_DEPTH 64u
struct lq {
    _Atomic uint32_t send_lock;
    unsigned char pad0[60];
    _Atomic uint32_t tail, not_empty_sleepers;
    unsigned char pad1[56];
    _Atomic uint32_t recv_lock;
    unsigned char pad2[60];
    _Atomic uint32_t head, not_full_sleepers;
    unsigned char pad3[56];
    struct {
        uint32_t len;
        unsigned char data[BENCH_MSG];
    } e[LQ_DEPTH];
} __attribute__((aligned(64)));

static int lq_setup(void **ctx, unsigned nprod)
{
    (void)nprod;
    *ctx = shared_alloc(2 * sizeof(struct lq));
    return 0;
}

static void lq_lock(_Atomic uint32_t *l)
{
    uint32_t free_ = 0;
    while (!atomic_compare_exchange_weak_explicit(l, &free_, 1u, memory_order_acquire, memory_order_relaxed)) {
        free_ = 0;
        cpu_relax();
    }
}

static void lq_unlock(_Atomic uint32_t *l)
{
    uint32_t held = 1;
    (void)atomic_compare_exchange_strong_explicit(l, &held, 0u, memory_order_release, memory_order_relaxed);
}

static int lq_send(void *ctx, unsigned dir, const void *msg)
{
    struct lq *q = (struct lq *)ctx + dir;
    lq_lock(&q->send_lock);
    uint32_t t = atomic_load_explicit(&q->tail, memory_order_relaxed);
    while (t - atomic_load_explicit(&q->head, memory_order_acquire) == LQ_DEPTH)
        cpu_relax();
    memcpy(q->e[t % LQ_DEPTH].data, msg, BENCH_MSG);
    q->e[t % LQ_DEPTH].len = BENCH_MSG;
    atomic_store_explicit(&q->tail, t + 1u, memory_order_release);
    lq_unlock(&q->send_lock);
    atomic_thread_fence(memory_order_seq_cst);
    return atomic_load_explicit(&q->not_empty_sleepers, memory_order_relaxed) == 0 ? 0 : -1;
}

static int lq_recv(void *ctx, unsigned dir, void *buf)
{
    struct lq *q = (struct lq *)ctx + dir;
    uint32_t h = atomic_load_explicit(&q->head, memory_order_relaxed);
    while (atomic_load_explicit(&q->tail, memory_order_acquire) == h)
        cpu_relax();
    lq_lock(&q->recv_lock);
    if (q->e[h % LQ_DEPTH].len != BENCH_MSG)
        return -1;
    memcpy(buf, q->e[h % LQ_DEPTH].data, BENCH_MSG);
    atomic_store_explicit(&q->head, h + 1u, memory_order_release);
    lq_unlock(&q->recv_lock);
    atomic_thread_fence(memory_order_seq_cst);
    return atomic_load_explicit(&q->not_full_sleepers, memory_order_relaxed) == 0 ? 0 : -1;
}

static void lq_teardown(void *ctx)
{
    shared_free(ctx, 2 * sizeof(struct lq));
}

const struct mech mech_busy_locked = {"busy-locked", CAP_RTT, lq_setup, attach_none, lq_send, lq_recv, no_op,
                                      lq_teardown};
