// SPDX-License-Identifier: MIT
/*
 * The static port with several threads of one process (host only): each
 * thread opens its own handle (one "process" of the table) on the one
 * static region, as tasks or cores would in firmware. Messages are
 * delivered exactly once and in order per sender, slots are never handed
 * to two owners, a blocked receiver is woken by a sender, and a full
 * mailbox times out.
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include <shmbox/port.h>
#include <shmbox/shmbox.h>

#include "check_run.h"
#include "support.h"

/* Long enough for a descheduled peer on a loaded machine (the default
 * clock of the port counts polls, not wall time). */
#define LONG_MS 600000

static const char *region;
static shmbox_t owner;

static void setup(void)
{
    memset(&owner, 0, sizeof(owner));
    region = shmbox_test_name("thr");
    ck_assert_int_eq(shmbox_create(&owner, region), 0);
}

static void teardown(void)
{
    (void)shmbox_close(&owner);
    (void)shmbox_unlink(region);
}

struct worker {
    pthread_t th;
    unsigned id;
    unsigned count;
    int rc;               /* first failure, 0 if none */
    uint32_t tid;         /* shmbox_port_tid() seen by the thread */
    unsigned long got;    /* consumers: messages received */
};

static void fail_once(struct worker *w, int rc)
{
    if (w->rc == 0)
        w->rc = rc != 0 ? rc : -EPROTO;
}

/* ---- many producers, many consumers, one mailbox ----------------------- */

#define PRODUCERS 3
#define CONSUMERS 2
#define PER_PRODUCER 3000u

static _Atomic unsigned char seen[PRODUCERS][PER_PRODUCER];
static _Atomic unsigned long consumed;

static void *producer(void *arg)
{
    struct worker *w = arg;
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    w->tid = shmbox_port_tid();
    int rc = shmbox_open(&sb, region, LONG_MS);
    if (rc < 0) {
        fail_once(w, rc);
        return NULL;
    }
    for (uint32_t i = 0; i < w->count && w->rc == 0; i++) {
        uint32_t msg[2] = {w->id, i};
        rc = shmbox_send(&sb, 0, msg, sizeof(msg), LONG_MS);
        if (rc < 0)
            fail_once(w, rc);
    }
    (void)shmbox_close(&sb);
    return NULL;
}

static void *consumer(void *arg)
{
    struct worker *w = arg;
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    w->tid = shmbox_port_tid();
    int rc = shmbox_open(&sb, region, LONG_MS);
    if (rc < 0) {
        fail_once(w, rc);
        return NULL;
    }
    uint32_t last[PRODUCERS];
    memset(last, 0xff, sizeof(last));
    for (;;) {
        uint32_t msg[2];
        rc = shmbox_recv(&sb, 0, msg, sizeof(msg), LONG_MS);
        if (rc != (int)sizeof(msg)) {
            fail_once(w, rc);
            break;
        }
        if (msg[0] == UINT32_MAX)
            break; /* stop marker */
        if (msg[0] >= PRODUCERS || msg[1] >= PER_PRODUCER) {
            fail_once(w, -EBADMSG);
            break;
        }
        /* Per sender, one receiver sees increasing sequence numbers. */
        if (last[msg[0]] != UINT32_MAX && msg[1] <= last[msg[0]])
            fail_once(w, -EILSEQ);
        last[msg[0]] = msg[1];
        atomic_fetch_add(&seen[msg[0]][msg[1]], 1u);
        atomic_fetch_add(&consumed, 1u);
        w->got++;
    }
    (void)shmbox_close(&sb);
    return NULL;
}

START_TEST(many_senders_many_receivers_exactly_once)
{
    struct worker p[PRODUCERS], c[CONSUMERS];
    memset(p, 0, sizeof(p));
    memset(c, 0, sizeof(c));
    memset(seen, 0, sizeof(seen));
    atomic_store(&consumed, 0);
    for (unsigned i = 0; i < CONSUMERS; i++)
        ck_assert_int_eq(pthread_create(&c[i].th, NULL, consumer, &c[i]), 0);
    for (unsigned i = 0; i < PRODUCERS; i++) {
        p[i].id = i;
        p[i].count = PER_PRODUCER;
        ck_assert_int_eq(pthread_create(&p[i].th, NULL, producer, &p[i]), 0);
    }
    for (unsigned i = 0; i < PRODUCERS; i++) {
        pthread_join(p[i].th, NULL);
        ck_assert_msg(p[i].rc == 0, "producer %u: %s", i, shmbox_strerror(p[i].rc));
    }
    for (unsigned i = 0; i < CONSUMERS; i++) {
        uint32_t stop[2] = {UINT32_MAX, 0};
        ck_assert_int_eq(shmbox_send(&owner, 0, stop, sizeof(stop), LONG_MS), 0);
    }
    for (unsigned i = 0; i < CONSUMERS; i++) {
        pthread_join(c[i].th, NULL);
        ck_assert_msg(c[i].rc == 0, "consumer %u: %s", i, shmbox_strerror(c[i].rc));
    }
    ck_assert_uint_eq(atomic_load(&consumed), PRODUCERS * PER_PRODUCER);
    for (unsigned i = 0; i < PRODUCERS; i++)
        for (unsigned j = 0; j < PER_PRODUCER; j++)
            ck_assert_msg(atomic_load(&seen[i][j]) == 1, "message %u/%u delivered %u times", i, j,
                          (unsigned)atomic_load(&seen[i][j]));
    /* Threads are told apart by the port. */
    for (unsigned i = 0; i < PRODUCERS; i++)
        for (unsigned j = 0; j < CONSUMERS; j++)
            ck_assert_uint_ne(p[i].tid, c[j].tid);
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&owner, &st), 0);
    ck_assert_uint_eq(st.mbox[0].sent, PRODUCERS * PER_PRODUCER + CONSUMERS);
    ck_assert_uint_eq(st.mbox[0].received, PRODUCERS * PER_PRODUCER + CONSUMERS);
    ck_assert_uint_eq(st.mbox[0].count, 0);
    ck_assert_uint_eq(st.attached, 1);
}
END_TEST

/* ---- slots: one owner at a time ------------------------------------------ */

#define SLOT_ROUNDS 4000u

static void *slot_churn(void *arg)
{
    struct worker *w = arg;
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    int rc = shmbox_open(&sb, region, LONG_MS);
    if (rc < 0) {
        fail_once(w, rc);
        return NULL;
    }
    for (unsigned r = 0; r < SLOT_ROUNDS && w->rc == 0; r++) {
        shmbox_slot_t s = 0;
        rc = shmbox_slot_alloc(&sb, 8, &s, LONG_MS);
        if (rc < 0) {
            fail_once(w, rc);
            break;
        }
        volatile uint32_t *p = shmbox_slot_ptr(&sb, s);
        p[0] = w->id;
        p[1] = r;
        for (int k = 0; k < 20; k++)
            shmbox_port_relax();
        if (p[0] != w->id || p[1] != r) /* someone else got the same slot */
            fail_once(w, -EILSEQ);
        rc = shmbox_slot_free(&sb, s);
        if (rc < 0)
            fail_once(w, rc);
    }
    (void)shmbox_close(&sb);
    return NULL;
}

START_TEST(slots_have_one_owner_at_a_time)
{
    enum { N = 4 };
    struct worker w[N];
    memset(w, 0, sizeof(w));
    for (unsigned i = 0; i < N; i++) {
        w[i].id = i + 1u;
        ck_assert_int_eq(pthread_create(&w[i].th, NULL, slot_churn, &w[i]), 0);
    }
    for (unsigned i = 0; i < N; i++) {
        pthread_join(w[i].th, NULL);
        ck_assert_msg(w[i].rc == 0, "thread %u: %s", i, shmbox_strerror(w[i].rc));
    }
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&owner, &st), 0);
    for (unsigned p = 0; p < st.pool_count; p++)
        ck_assert_uint_eq(st.pool[p].used, 0);
    ck_assert_uint_ge(st.pool[0].peak, 1);
}
END_TEST

/* ---- blocking ------------------------------------------------------------ */

static _Atomic int receiver_waiting;

static void *blocking_receiver(void *arg)
{
    struct worker *w = arg;
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    int rc = shmbox_open(&sb, region, LONG_MS);
    if (rc < 0) {
        fail_once(w, rc);
        return NULL;
    }
    char buf[16];
    atomic_store(&receiver_waiting, 1);
    rc = shmbox_recv(&sb, 3, buf, sizeof(buf), SHMBOX_FOREVER);
    if (rc != 4 || memcmp(buf, "ping", 4) != 0)
        fail_once(w, rc < 0 ? rc : -EBADMSG);
    else
        w->got = 1;
    (void)shmbox_close(&sb);
    return NULL;
}

START_TEST(blocked_receiver_is_woken_by_a_sender)
{
    struct worker w;
    memset(&w, 0, sizeof(w));
    atomic_store(&receiver_waiting, 0);
    ck_assert_int_eq(pthread_create(&w.th, NULL, blocking_receiver, &w), 0);
    while (!atomic_load(&receiver_waiting))
        shmbox_port_relax();
    /* Let it get past its spin phase into the port's wait. */
    for (int i = 0; i < 200000; i++)
        shmbox_port_relax();
    ck_assert_int_eq(shmbox_send(&owner, 3, "ping", 4, LONG_MS), 0);
    pthread_join(w.th, NULL);
    ck_assert_msg(w.rc == 0, "receiver: %s", shmbox_strerror(w.rc));
    ck_assert_uint_eq(w.got, 1);
}
END_TEST

static void *full_sender(void *arg)
{
    struct worker *w = arg;
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    int rc = shmbox_open(&sb, region, LONG_MS);
    if (rc < 0) {
        fail_once(w, rc);
        return NULL;
    }
    uint64_t t0 = shmbox_port_now_ns();
    rc = shmbox_send(&sb, 1, "x", 1, 25);
    uint64_t dt = shmbox_port_now_ns() - t0;
    if (rc != -ETIMEDOUT)
        fail_once(w, rc == 0 ? -EPROTO : rc);
    if (dt < 25u * 1000000u)
        fail_once(w, -EILSEQ);
    (void)shmbox_close(&sb);
    return NULL;
}

START_TEST(full_mailbox_times_out_in_another_thread)
{
    for (unsigned i = 0; i < CONFIG_SHMBOX_MBOX_DEPTH; i++)
        ck_assert_int_eq(shmbox_send(&owner, 1, "f", 1, SHMBOX_NO_WAIT), 0);
    struct worker w;
    memset(&w, 0, sizeof(w));
    ck_assert_int_eq(pthread_create(&w.th, NULL, full_sender, &w), 0);
    pthread_join(w.th, NULL);
    ck_assert_msg(w.rc == 0, "sender: %s", shmbox_strerror(w.rc));
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&owner, &st), 0);
    ck_assert_uint_eq(st.mbox[1].count, CONFIG_SHMBOX_MBOX_DEPTH);
}
END_TEST

static Suite *threads_suite(void)
{
    Suite *s = suite_create("static port, threads");
    TCase *tc = tcase_create("threads");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, many_senders_many_receivers_exactly_once);
    tcase_add_test(tc, slots_have_one_owner_at_a_time);
    tcase_add_test(tc, blocked_receiver_is_woken_by_a_sender);
    tcase_add_test(tc, full_mailbox_times_out_in_another_thread);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return shmbox_check_run(threads_suite(), CK_NOFORK);
}
