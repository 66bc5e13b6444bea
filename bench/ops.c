/*
 * shmbox-bench-ops: the hot operations in a loop, for callgrind to count.
 *   shmbox-bench-ops alloc N   N x (slot alloc + free), pool half full
 *   shmbox-bench-ops mbox N    N x (send + recv of 64 bytes), mailbox half full
 * `make bench-callgrind` runs it under valgrind --tool=callgrind with
 * --toggle-collect on the loop functions, so only the loops are counted,
 * and divides by N. Built in a small and a large configuration.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "alloc") != 0 && strcmp(argv[1], "mbox") != 0)) {
        fprintf(stderr, "usage: shmbox-bench-ops alloc|mbox N\n");
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
    if (strcmp(argv[1], "alloc") == 0) {
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
