// SPDX-License-Identifier: MIT
/*
 * Threads of one process sharing one handle (the header allows it for
 * send/recv/alloc/free/stat): producers and consumers on one mailbox,
 * slot hand-offs between threads, and allocators racing on one pool.
 * Exactly-once and per-producer order are checked as in the process test.
 * This is the test ThreadSanitizer checks the component's locking with.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "mp.h"

#define PRODUCERS 3
#define CONSUMERS 2
#define PER_PRODUCER 5000u
#define STOP 0xffffffffu
#define LONG_MS 120000

struct msg {
    uint32_t producer;
    uint32_t seq;
};

struct worker {
    pthread_t th;
    unsigned id;
    int rc;
    uint32_t got;
    uint32_t order;
};

static uint8_t seen[PRODUCERS][PER_PRODUCER];
static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;

static void *produce(void *arg)
{
    struct worker *w = arg;
    for (uint32_t i = 0; i < PER_PRODUCER && w->rc == 0; i++) {
        if (CONFIG_SHMBOX_MSG_SIZE >= sizeof(struct msg) && i % 4u != 3u) {
            struct msg m = {w->id, i};
            w->rc = shmbox_send(&mp_sb, 0, &m, sizeof(m), LONG_MS);
        } else { /* every fourth one as a slot */
            shmbox_slot_t s;
            w->rc = shmbox_slot_alloc(&mp_sb, sizeof(struct msg), &s, LONG_MS);
            if (w->rc == 0) {
                struct msg m = {w->id, i};
                memcpy(shmbox_slot_ptr(&mp_sb, s), &m, sizeof(m));
                w->rc = shmbox_send_slot(&mp_sb, 0, s, sizeof(m), LONG_MS);
            }
        }
    }
    return NULL;
}

static void *consume(void *arg)
{
    struct worker *w = arg;
    uint32_t last[PRODUCERS];
    memset(last, 0xff, sizeof(last));
    for (;;) {
        struct msg m;
        int rc = shmbox_recv(&mp_sb, 0, &m, sizeof(m), LONG_MS);
        if (rc == -ENOMSG) {
            shmbox_slot_t s;
            size_t len;
            rc = shmbox_recv_slot(&mp_sb, 0, &s, &len, SHMBOX_NO_WAIT);
            if (rc == -ENOMSG || rc == -EAGAIN) /* another consumer took it */
                continue;
            if (rc < 0 || len != sizeof(m)) {
                w->rc = rc < 0 ? rc : -EBADMSG;
                return NULL;
            }
            memcpy(&m, shmbox_slot_ptr(&mp_sb, s), sizeof(m));
            rc = shmbox_slot_free(&mp_sb, s);
            if (rc < 0) {
                w->rc = rc;
                return NULL;
            }
        } else if (rc != (int)sizeof(m)) {
            w->rc = rc < 0 ? rc : -EBADMSG;
            return NULL;
        }
        if (m.producer == STOP)
            return NULL;
        if (m.producer >= PRODUCERS || m.seq >= PER_PRODUCER) {
            w->rc = -EBADMSG;
            return NULL;
        }
        if (last[m.producer] != 0xffffffffu && m.seq <= last[m.producer])
            w->order++;
        last[m.producer] = m.seq;
        pthread_mutex_lock(&seen_lock);
        seen[m.producer][m.seq]++;
        pthread_mutex_unlock(&seen_lock);
        w->got++;
    }
}

START_TEST(threads_share_one_handle)
{
    mp_create("thr");
    memset(seen, 0, sizeof(seen));
    struct worker prod[PRODUCERS], cons[CONSUMERS];
    for (unsigned i = 0; i < CONSUMERS; i++) {
        cons[i] = (struct worker){.id = i};
        ck_assert_int_eq(pthread_create(&cons[i].th, NULL, consume, &cons[i]), 0);
    }
    for (unsigned i = 0; i < PRODUCERS; i++) {
        prod[i] = (struct worker){.id = i};
        ck_assert_int_eq(pthread_create(&prod[i].th, NULL, produce, &prod[i]), 0);
    }
    /* Statistics may be read while all that goes on. */
    for (unsigned k = 0; k < 20; k++) {
        struct shmbox_stat st;
        MP_RC(shmbox_stat(&mp_sb, &st), 0);
        ck_assert_uint_le(st.mbox[0].count, CONFIG_SHMBOX_MBOX_DEPTH);
    }
    for (unsigned i = 0; i < PRODUCERS; i++) {
        pthread_join(prod[i].th, NULL);
        ck_assert_msg(prod[i].rc == 0, "producer %u: %s", i, shmbox_strerror(prod[i].rc));
    }
    struct msg stop = {STOP, 0};
    for (unsigned i = 0; i < CONSUMERS; i++)
        MP_RC(shmbox_send(&mp_sb, 0, &stop, sizeof(stop), LONG_MS), 0);
    uint32_t total = 0;
    for (unsigned i = 0; i < CONSUMERS; i++) {
        pthread_join(cons[i].th, NULL);
        ck_assert_msg(cons[i].rc == 0, "consumer %u: %s", i, shmbox_strerror(cons[i].rc));
        ck_assert_msg(cons[i].order == 0, "consumer %u: %u out of order", i, cons[i].order);
        total += cons[i].got;
    }
    ck_assert_uint_eq(total, PRODUCERS * PER_PRODUCER);
    for (unsigned p = 0; p < PRODUCERS; p++)
        for (uint32_t i = 0; i < PER_PRODUCER; i++)
            ck_assert_msg(seen[p][i] == 1, "producer %u message %u delivered %u times", p, i, seen[p][i]);
    struct shmbox_stat st;
    MP_RC(shmbox_stat(&mp_sb, &st), 0);
    for (unsigned p = 0; p < SHMBOX_POOL_COUNT; p++)
        ck_assert_uint_eq(st.pool[p].used, 0);
}
END_TEST

#define ALLOCATORS 4
#define ROUNDS 3000u

static void *alloc_free(void *arg)
{
    struct worker *w = arg;
    shmbox_slot_t held[4];
    for (uint32_t r = 0; r < ROUNDS && w->rc == 0; r++) {
        unsigned n = 1u + r % 4u;
        for (unsigned k = 0; k < n && w->rc == 0; k++) {
            w->rc = shmbox_slot_alloc(&mp_sb, 1, &held[k], LONG_MS);
            if (w->rc == 0) {
                uint32_t *p = shmbox_slot_ptr(&mp_sb, held[k]);
                p[0] = w->id;
                p[1] = r;
            }
        }
        for (unsigned k = 0; k < n && w->rc == 0; k++) {
            uint32_t *p = shmbox_slot_ptr(&mp_sb, held[k]);
            if (p == NULL || p[0] != w->id || p[1] != r) /* a slot given twice */
                w->rc = -EBADMSG;
            else
                w->rc = shmbox_slot_free(&mp_sb, held[k]);
        }
    }
    return NULL;
}

START_TEST(threads_allocate_and_free)
{
    mp_create("thra");
    struct worker w[ALLOCATORS];
    for (unsigned i = 0; i < ALLOCATORS; i++) {
        w[i] = (struct worker){.id = i};
        ck_assert_int_eq(pthread_create(&w[i].th, NULL, alloc_free, &w[i]), 0);
    }
    for (unsigned i = 0; i < ALLOCATORS; i++) {
        pthread_join(w[i].th, NULL);
        ck_assert_msg(w[i].rc == 0, "thread %u: %s", i, shmbox_strerror(w[i].rc));
    }
    struct shmbox_stat st;
    MP_RC(shmbox_stat(&mp_sb, &st), 0);
    for (unsigned p = 0; p < SHMBOX_POOL_COUNT; p++)
        ck_assert_uint_eq(st.pool[p].used, 0);
}
END_TEST

/* Two threads misuse one slot at once: both free it, or one frees it while
 * the other sends it. Exactly one of the two wins; the slot ends up either
 * free or queued, never both. */
#define RACE_ROUNDS 4000
static _Atomic int race_round, race_done;
static shmbox_slot_t race_slot;
static int race_rc[2];

static void *race(void *arg)
{
    int id = (int)(intptr_t)arg;
    for (int r = 1; r <= RACE_ROUNDS; r++) {
        while (atomic_load(&race_round) != r)
            sched_yield();
        race_rc[id] = r % 2 == 1 && id == 1 ? shmbox_send_slot(&mp_sb, 0, race_slot, 1, SHMBOX_NO_WAIT)
                                            : shmbox_slot_free(&mp_sb, race_slot);
        atomic_fetch_add(&race_done, 1);
    }
    return NULL;
}

START_TEST(free_and_send_slot_race_one_wins)
{
    mp_create("thrr");
    pthread_t th[2];
    for (intptr_t i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, race, (void *)i), 0);
    int bad = 0;
    for (int r = 1; r <= RACE_ROUNDS && bad == 0; r++) {
        MP_RC(shmbox_slot_alloc(&mp_sb, 1, &race_slot, SHMBOX_NO_WAIT), 0);
        atomic_store(&race_done, 0);
        atomic_store(&race_round, r);
        while (atomic_load(&race_done) != 2)
            sched_yield();
        if ((race_rc[0] == 0) + (race_rc[1] == 0) != 1)
            bad = r;
        if (r % 2 == 1 && race_rc[1] == 0) { /* queued: received once, then freed */
            shmbox_slot_t got;
            MP_RC(shmbox_recv_slot(&mp_sb, 0, &got, NULL, SHMBOX_NO_WAIT), 0);
            ck_assert_uint_eq(got, race_slot);
            MP_RC(shmbox_slot_free(&mp_sb, got), 0);
        }
    }
    atomic_store(&race_round, RACE_ROUNDS + 1); /* let a thread left behind by a failure finish */
    for (int r = 0; r < 2 && bad == 0; r++)
        pthread_join(th[r], NULL);
    ck_assert_msg(bad == 0, "round %d: free %d, %s %d: both or neither won", bad, race_rc[0],
                  bad % 2 == 1 ? "send_slot" : "free", race_rc[1]);
    char b[8];
    MP_RC(shmbox_recv(&mp_sb, 0, b, sizeof(b), SHMBOX_NO_WAIT), -EAGAIN);
    struct shmbox_stat st;
    MP_RC(shmbox_stat(&mp_sb, &st), 0);
    for (unsigned p = 0; p < SHMBOX_POOL_COUNT; p++)
        ck_assert_uint_eq(st.pool[p].used, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("threads");
    TCase *tc = mp_tcase("threads");
    tcase_add_test(tc, threads_share_one_handle);
    tcase_add_test(tc, threads_allocate_and_free);
    tcase_add_test(tc, free_and_send_slot_race_one_wins);
    suite_add_tcase(s, tc);
    return mp_run(s);
}
