// SPDX-License-Identifier: MIT
/*
 * shmbox calls from a signal handler that interrupts shmbox calls of the
 * same thread (shmbox.h: such a call may fail with -EDEADLK; it never
 * takes over a lock its own thread holds). A timer interrupts a loop of
 * sends, allocations and receives every 100 us; the handler sends and
 * allocates with SHMBOX_NO_WAIT. Every call returns (never a trap, an
 * abort or a hang, in any build type: the asan and tsan trees build the
 * library without NDEBUG), the handler's errors are those documented,
 * and every message sent is received once, in order per sender.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include <shmbox/shmbox.h>

#include "support.h"
#include "check_run.h"

struct msg {
    uint32_t who, seq;
};

static shmbox_t sb;
static volatile sig_atomic_t h_sent, h_unexpected;
static volatile sig_atomic_t h_calls, h_refused;

static void handler(int sig)
{
    (void)sig;
    h_calls++;
    struct msg m = {1u, (uint32_t)h_sent};
    int rc = shmbox_send(&sb, 0, &m, sizeof(m), SHMBOX_NO_WAIT);
    if (rc == 0)
        h_sent++;
    else if (rc == -EDEADLK || rc == -EAGAIN)
        h_refused++;
    else
        h_unexpected = rc;
    shmbox_slot_t s;
    rc = shmbox_slot_alloc(&sb, 64, &s, SHMBOX_NO_WAIT);
    if (rc == 0)
        rc = shmbox_slot_free(&sb, s);
    else if (rc == -EDEADLK || rc == -EAGAIN || rc == -ENOMEM)
        rc = 0;
    if (rc != 0)
        h_unexpected = rc;
}

/* Receive what is queued: once each, in order per sender. Returns how
 * many of them the handler sent. */
static uint32_t drain(uint32_t next[2])
{
    uint32_t from_handler = 0;
    for (;;) {
        struct msg m;
        int rc = shmbox_recv(&sb, 0, &m, sizeof(m), SHMBOX_NO_WAIT);
        if (rc == -EAGAIN)
            return from_handler;
        ck_assert_int_eq(rc, (int)sizeof(m));
        ck_assert_uint_le(m.who, 1);
        ck_assert_uint_eq(m.seq, next[m.who]);
        next[m.who]++;
        from_handler += m.who;
    }
}

START_TEST(calls_from_a_signal_handler)
{
    char name[SHMBOX_NAME_MAX + 1];
    snprintf(name, sizeof(name), "%s", shmbox_test_name("signal"));
    ck_assert_int_eq(shmbox_create(&sb, name), 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = handler; /* no SA_RESTART */
    ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
    struct itimerval on = {{0, 100}, {0, 100}}, off = {{0, 0}, {0, 0}};
    ck_assert_int_eq(setitimer(ITIMER_REAL, &on, NULL), 0);
    uint32_t next[2] = {0, 0}, got_handler = 0;
    uint64_t end = shmbox_test_now_ms() + 1500;
    for (uint32_t i = 0; shmbox_test_now_ms() < end; i++) {
        struct msg m = {0u, i};
        int rc;
        while ((rc = shmbox_send(&sb, 0, &m, sizeof(m), SHMBOX_NO_WAIT)) == -EAGAIN)
            got_handler += drain(next); /* full of the handler's messages */
        ck_assert_int_eq(rc, 0);
        shmbox_slot_t s;
        ck_assert_int_eq(shmbox_slot_alloc(&sb, 64, &s, 1000), 0);
        ck_assert_int_eq(shmbox_slot_free(&sb, s), 0);
        got_handler += drain(next);
    }
    ck_assert_int_eq(setitimer(ITIMER_REAL, &off, NULL), 0);
    signal(SIGALRM, SIG_IGN);
    got_handler += drain(next); /* what the last signals sent */
    ck_assert_msg(h_unexpected == 0, "a call from the handler returned %d", (int)h_unexpected);
    ck_assert_int_gt(h_calls, 0);
    ck_assert_uint_eq(got_handler, (uint32_t)h_sent);
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&sb, &st), 0);
    for (unsigned p = 0; p < st.pool_count; p++)
        ck_assert_uint_eq(st.pool[p].used, 0);
    ck_assert_int_eq(shmbox_close(&sb), 0);
    ck_assert_int_eq(shmbox_unlink(name), 0);
    printf("signal: %d handler calls, %d messages sent from it, %d refused\n", (int)h_calls, (int)h_sent,
           (int)h_refused);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("signal");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, calls_from_a_signal_handler);
    suite_add_tcase(s, tc);
    return shmbox_check_run(s, CK_NOFORK);
}
