// SPDX-License-Identifier: MIT
/*
 * shmbox-bench-ops: the hot operations in a loop, for callgrind to count.
 *   shmbox-bench-ops alloc N   N x (slot alloc + free), pool half full
 *   shmbox-bench-ops mbox N    N x (send + recv of 64 bytes), mailbox half full
 *   shmbox-bench-ops spinwait N  N receives that wait 2 ms for nothing: the
 *                              CPU time one wait costs (the spin budget)
 * `make bench-callgrind` runs it under valgrind --tool=callgrind with
 * --toggle-collect on the loop functions, so only the loops are counted,
 * and divides by N. Built in a small and a large configuration.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <shmbox/shmbox.h>

#define SLOTS CONFIG_SHMBOX_POOL0_SLOT_COUNT
static shmbox_slot_t held[SLOTS];

__attribute__((noinline)) int bench_loop_alloc_free(shmbox_t *sb, long n);
__attribute__((noinline)) int bench_loop_send_recv(shmbox_t *sb, long n);

__attribute__((noinline)) int bench_loop_alloc_free(shmbox_t *sb, long n)
{
    int bad = 0;
    for (long i = 0; i < n; i++) {
        shmbox_slot_t s;
        bad |= shmbox_slot_alloc(sb, 64, &s, SHMBOX_NO_WAIT);
        bad |= shmbox_slot_free(sb, s);
    }
    return bad;
}

__attribute__((noinline)) int bench_loop_send_recv(shmbox_t *sb, long n)
{
    unsigned char msg[64] = {1}, buf[64];
    int bad = 0;
    for (long i = 0; i < n; i++) {
        bad |= shmbox_send(sb, 0, msg, sizeof(msg), SHMBOX_NO_WAIT);
        bad |= shmbox_recv(sb, 0, buf, sizeof(buf), SHMBOX_NO_WAIT) != (int)sizeof(buf);
    }
    return bad;
}

static double cpu_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* What waiting costs in CPU when the answer does not come: the spin
 * budget, then a sleep in the kernel until the timeout. */
static int spin_wait(shmbox_t *sb, long n)
{
    unsigned char buf[64];
    double min = 1e300, sum = 0;
    for (long i = 0; i < n; i++) {
        double t0 = cpu_us();
        if (shmbox_recv(sb, 0, buf, sizeof(buf), 2) != -ETIMEDOUT)
            return 1;
        double d = cpu_us() - t0;
        sum += d;
        min = d < min ? d : min;
    }
    printf("CPU time of a receive that waits 2 ms on an empty mailbox (SHMBOX_SPIN_COUNT=%d): "
           "min %.1f us, mean %.1f us over %ld\n", CONFIG_SHMBOX_SPIN_COUNT, min, sum / (double)n, n);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3 ||
        (strcmp(argv[1], "alloc") != 0 && strcmp(argv[1], "mbox") != 0 && strcmp(argv[1], "spinwait") != 0)) {
        fprintf(stderr, "usage: shmbox-bench-ops alloc|mbox|spinwait N\n");
        return 2;
    }
    long n = atol(argv[2]);
    char name[SHMBOX_NAME_MAX + 1];
    shmbox_t sb;
    snprintf(name, sizeof(name), "bench-ops-%d", (int)getpid());
    memset(&sb, 0, sizeof(sb));
    int rc = shmbox_create(&sb, name);
    if (rc < 0) {
        fprintf(stderr, "shmbox_create: %s\n", shmbox_strerror(rc));
        return 2;
    }
    int bad = 0;
    if (strcmp(argv[1], "spinwait") == 0) {
        bad = spin_wait(&sb, n);
    } else if (strcmp(argv[1], "alloc") == 0) {
        for (unsigned i = 0; i < SLOTS / 2u; i++) /* half full: not a fresh pool */
            bad |= shmbox_slot_alloc(&sb, 64, &held[i], SHMBOX_NO_WAIT);
        bad |= bench_loop_alloc_free(&sb, n);
    } else {
        unsigned char msg[64] = {2};
        for (unsigned i = 0; i < SHMBOX_MBOX_DEPTH / 2u; i++)
            bad |= shmbox_send(&sb, 0, msg, sizeof(msg), SHMBOX_NO_WAIT);
        bad |= bench_loop_send_recv(&sb, n);
    }
    (void)shmbox_close(&sb);
    (void)shmbox_unlink(name);
    if (bad) {
        fprintf(stderr, "shmbox-bench-ops: an operation failed\n");
        return 1;
    }
    return 0;
}
