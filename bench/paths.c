// SPDX-License-Identifier: MIT
/*
 * shmbox-bench-paths: the instructions of every single API call over a
 * randomized workload, for `make bench-callgrind` (valgrind --tool=callgrind
 * --combine-dumps=yes). Each measured call sits between
 * CALLGRIND_ZERO_STATS and CALLGRIND_DUMP_STATS_AT(name): one part of the
 * output per call, whose total is that call's path length.
 *
 *   shmbox-bench-paths SEED EPISODES
 *
 * An episode first brings the region, with calls that are not measured,
 * into a random state: pool 0 empty, full or half full; mailbox 0 empty,
 * full or half full; and possibly a process asleep in the region (a
 * receiver on mailbox 1, or an allocator on the empty pool) that the next
 * call must wake. Then it makes OPS random calls with SHMBOX_NO_WAIT, each
 * measured, whatever it returns: successes and refusals (full, empty,
 * wrong kind of message) alike. Built in a small and a large configuration;
 * an O(1) design has the same longest path in both.
 *
 * Not measured: the time a call waits for a lock another process holds
 * (that is bounded by the holder's critical section, itself one of these
 * paths) and blocking waits (time, not instructions).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <valgrind/callgrind.h>

#include <shmbox/shmbox.h>

#define SLOTS CONFIG_SHMBOX_POOL0_SLOT_COUNT
#define MSG 64u
#define OPS 100
#define SETTLE_MS 100 /* a woken or started process has gone (back) to sleep (under valgrind) */

static shmbox_t sb;
static char region[SHMBOX_NAME_MAX + 1];
static shmbox_slot_t held[SLOTS]; /* allocated slots in our hands */
static unsigned nheld;
static unsigned nqueued; /* slots in mailbox 0 */
static unsigned long long rng;
static int bad;

static unsigned rnd(unsigned n)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((rng >> 33) % n);
}

static void settle(void)
{
    struct timespec ts = {0, SETTLE_MS * 1000000L};
    nanosleep(&ts, NULL);
}

/* Any outcome is a path; a broken region is not. */
static void check(int rc)
{
    if (rc < 0 && rc != -ENOMEM && rc != -EAGAIN && rc != -ENOMSG)
        bad = rc;
}

#define MEASURE(name, call)                                                                                       \
    do {                                                                                                          \
        CALLGRIND_ZERO_STATS;                                                                                     \
        rc = (call);                                                                                              \
        CALLGRIND_DUMP_STATS_AT(name);                                                                            \
    } while (0)

/* ---- the calls, measured ------------------------------------------------- */
static void op_alloc(const char *name)
{
    shmbox_slot_t s;
    int rc;
    MEASURE(name, shmbox_slot_alloc(&sb, MSG, &s, SHMBOX_NO_WAIT));
    check(rc);
    if (rc == 0)
        held[nheld++] = s;
}

static void op_free(const char *name)
{
    if (nheld == 0)
        return;
    unsigned i = rnd(nheld);
    shmbox_slot_t s = held[i];
    held[i] = held[--nheld];
    int rc;
    MEASURE(name, shmbox_slot_free(&sb, s));
    check(rc);
}

static void op_send(unsigned mbox, const char *name)
{
    unsigned char m[MSG] = {1};
    int rc;
    MEASURE(name, shmbox_send(&sb, mbox, m, sizeof(m), SHMBOX_NO_WAIT));
    check(rc);
}

static void op_recv(void)
{
    unsigned char b[MSG];
    int rc;
    MEASURE("shmbox_recv", shmbox_recv(&sb, 0, b, sizeof(b), SHMBOX_NO_WAIT));
    check(rc);
}

static void op_send_slot(void)
{
    if (nheld == 0)
        return;
    shmbox_slot_t s = held[nheld - 1u];
    int rc;
    MEASURE("shmbox_send_slot", shmbox_send_slot(&sb, 0, s, MSG, SHMBOX_NO_WAIT));
    check(rc);
    if (rc == 0) {
        nheld--;
        nqueued++;
    }
}

static void op_recv_slot(void)
{
    shmbox_slot_t s;
    size_t len;
    int rc;
    MEASURE("shmbox_recv_slot", shmbox_recv_slot(&sb, 0, &s, &len, SHMBOX_NO_WAIT));
    check(rc);
    if (rc == 0) {
        held[nheld++] = s;
        nqueued--;
    }
}

/* ---- moving the region to a state, unmeasured ------------------------------ */
static void drain_mailbox(void)
{
    unsigned char b[MSG];
    for (;;) {
        int rc = shmbox_recv(&sb, 0, b, sizeof(b), SHMBOX_NO_WAIT);
        if (rc == -ENOMSG) {
            size_t len;
            rc = shmbox_recv_slot(&sb, 0, &held[nheld], &len, SHMBOX_NO_WAIT);
            if (rc == 0) {
                nheld++;
                nqueued--;
            }
        }
        if (rc == -EAGAIN)
            return;
        check(rc);
        if (bad)
            return;
    }
}

static void pool_to(unsigned target) /* slots allocated: 0 .. SLOTS */
{
    while (nheld > target)
        check(shmbox_slot_free(&sb, held[--nheld]));
    while (nheld < target && shmbox_slot_alloc(&sb, MSG, &held[nheld], SHMBOX_NO_WAIT) == 0)
        nheld++;
}

static void fill_mailbox(unsigned n)
{
    unsigned char m[MSG] = {2};
    for (unsigned i = 0; i < n && shmbox_send(&sb, 0, m, sizeof(m), SHMBOX_NO_WAIT) == 0; i++)
        ;
}

/* A process asleep in the region: 1 a receiver on mailbox 1 (until it
 * gets a 1-byte message), 2 an allocator on the empty pool (once). */
static pid_t sleeper(int kind)
{
    int ready[2];
    char k;
    if (pipe(ready) != 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid != 0) {
        /* It said it is about to sleep; the settle lets it get there. */
        close(ready[1]);
        if (pid < 0 || read(ready[0], &k, 1) != 1)
            bad = -ECHILD;
        close(ready[0]);
        settle();
        return pid;
    }
    shmbox_t c;
    memset(&c, 0, sizeof(c));
    if (shmbox_open(&c, region, 5000) != 0 || write(ready[1], "r", 1) != 1)
        _exit(3);
    if (kind == 1) {
        unsigned char b[MSG];
        while (shmbox_recv(&c, 1, b, sizeof(b), SHMBOX_FOREVER) == (int)MSG)
            ;
    } else {
        shmbox_slot_t s;
        if (shmbox_slot_alloc(&c, MSG, &s, SHMBOX_FOREVER) == 0)
            (void)shmbox_slot_free(&c, s);
    }
    (void)shmbox_close(&c);
    _exit(0);
}

static void episode(void)
{
    static const unsigned depth = SHMBOX_MBOX_DEPTH;
    unsigned pool = rnd(3), mbox = rnd(3), wait = rnd(3);
    drain_mailbox();
    pool_to(pool == 0 ? SLOTS : pool == 1 ? 0 : SLOTS / 2u);
    fill_mailbox(mbox == 0 ? 0 : mbox == 1 ? depth : depth / 2u);
    pid_t child = -1;
    if (wait == 1 || (wait == 2 && pool == 0)) {
        child = sleeper((int)wait);
        if (wait == 2) {
            op_free("shmbox_slot_free+wake"); /* wakes the allocator */
            /* It frees the slot and closes; its close scans the pools
             * under their locks: let it finish before the next call. */
            int st;
            if (waitpid(child, &st, 0) != child || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
                bad = -ECHILD;
            child = -1;
        }
    }
    for (int i = 0; i < OPS && !bad; i++) {
        switch (rnd(child > 0 ? 7 : 6)) {
        case 0:
            op_alloc(nheld + nqueued == SLOTS ? "shmbox_slot_alloc(exhausted)" : "shmbox_slot_alloc");
            break;
        case 1: op_free("shmbox_slot_free"); break;
        case 2: op_send(0, "shmbox_send"); break;
        case 3: op_recv(); break;
        case 4: op_send_slot(); break;
        case 5: op_recv_slot(); break;
        default:
            op_send(1, "shmbox_send+wake"); /* wakes the receiver */
            settle();
            break;
        }
    }
    if (child > 0) {
        if (shmbox_send(&sb, 1, "q", 1, SHMBOX_FOREVER) != 0)
            bad = -EIO;
        int st;
        if (waitpid(child, &st, 0) != child || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
            bad = -ECHILD;
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: shmbox-bench-paths SEED EPISODES\n");
        return 2;
    }
    rng = strtoull(argv[1], NULL, 10);
    int episodes = atoi(argv[2]);
    snprintf(region, sizeof(region), "bench-paths-%d", (int)getpid());
    int rc = shmbox_create(&sb, region);
    if (rc < 0) {
        fprintf(stderr, "shmbox_create: %s\n", shmbox_strerror(rc));
        return 2;
    }
    for (int e = 0; e < episodes && !bad; e++)
        episode();
    drain_mailbox();
    pool_to(0);
    (void)shmbox_close(&sb);
    (void)shmbox_unlink(region);
    if (bad) {
        fprintf(stderr, "shmbox-bench-paths: a call failed: %s\n", shmbox_strerror(bad));
        return 1;
    }
    return 0;
}
