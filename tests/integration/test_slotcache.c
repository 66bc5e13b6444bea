// SPDX-License-Identifier: MIT
/*
 * The per-thread slot cache (CONFIG_SHMBOX_SLOT_CACHE = 4 in this build):
 * a free keeps the slot in the thread, allocated to the process; the
 * thread's next alloc takes it back; the old handle is stale; other
 * processes cannot take cached slots until a flush, a close or the death
 * of the process; a forked child never reuses its parent's cache; threads
 * each have their own.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "access.h"
#include "check_run.h"
#include "support.h"

#define CACHE CONFIG_SHMBOX_SLOT_CACHE
#define LAST (CONFIG_SHMBOX_POOL_COUNT - 1u)

static char region[SHMBOX_NAME_MAX + 1];
static shmbox_t sb, peer;

static void setup(void)
{
    snprintf(region, sizeof(region), "%s", shmbox_test_name("cache"));
    ck_assert_int_eq(shmbox_create(&sb, region), 0);
}

static void teardown(void)
{
    if (peer.open_magic != 0)
        shmbox_close(&peer);
    if (sb.open_magic != 0)
        shmbox_close(&sb);
    shmbox_unlink(region);
}

static uint32_t used(unsigned pool)
{
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&sb, &st), 0);
    return st.pool[pool].used;
}

static uint32_t last_size(void)
{
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&sb, &st), 0);
    return st.pool[LAST].slot_size;
}

static uint32_t last_count(void)
{
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&sb, &st), 0);
    return st.pool[LAST].slot_count;
}

/* Child: exit status 0 if fn(arg) returned 0. */
static int run_child(int (*fn)(void *), void *arg)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0)
        _exit(fn(arg));
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

START_TEST(free_then_alloc_reuses)
{
    shmbox_slot_t s, t;
    ck_assert_int_eq(shmbox_slot_alloc(&sb, 1, &s, SHMBOX_NO_WAIT), 0);
    memset(shmbox_slot_ptr(&sb, s), 0x11, 8);
    ck_assert_int_eq(shmbox_slot_free(&sb, s), 0);
    ck_assert_uint_eq(used(0), 1); /* cached: still this process's */
    /* The old handle is stale like after any free. */
    ck_assert_ptr_null(shmbox_slot_ptr(&sb, s));
    ck_assert_uint_eq(shmbox_slot_size(&sb, s), 0);
    ck_assert_int_eq(shmbox_slot_free(&sb, s), -EALREADY);
    ck_assert_int_eq(shmbox_send_slot(&sb, 0, s, 1, SHMBOX_NO_WAIT), -EINVAL);
    /* The next alloc gets the same slot back under a new handle. */
    ck_assert_int_eq(shmbox_slot_alloc(&sb, 1, &t, SHMBOX_NO_WAIT), 0);
    ck_assert_uint_ne(t, s);
    ck_assert_uint_eq(t & SHMBOX_H_INDEX_MASK, s & SHMBOX_H_INDEX_MASK);
    ck_assert_ptr_nonnull(shmbox_slot_ptr(&sb, t));
    ck_assert_uint_eq(used(0), 1);
    ck_assert_int_eq(shmbox_slot_free(&sb, t), 0);
    ck_assert_int_eq(shmbox_slot_cache_flush(&sb), 1);
    ck_assert_uint_eq(used(0), 0);
    ck_assert_int_eq(shmbox_slot_cache_flush(&sb), 0);
    ck_assert_int_eq(shmbox_slot_free(&sb, t), -EALREADY);
}
END_TEST

START_TEST(capacity_and_flush)
{
    shmbox_slot_t s[CACHE + 3];
    for (unsigned i = 0; i < CACHE + 3u; i++)
        ck_assert_int_eq(shmbox_slot_alloc(&sb, 1, &s[i], SHMBOX_NO_WAIT), 0);
    for (unsigned i = 0; i < CACHE + 3u; i++)
        ck_assert_int_eq(shmbox_slot_free(&sb, s[i]), 0);
    ck_assert_uint_eq(used(0), CACHE); /* the rest went back to the pool */
    ck_assert_int_eq(shmbox_slot_cache_flush(&sb), CACHE);
    ck_assert_uint_eq(used(0), 0);
    ck_assert_int_eq(shmbox_slot_cache_flush(NULL), -EINVAL);
}
END_TEST

/* Every pool exhausted but for a bigger slot in this thread's cache: a
 * small allocation falls back to that cached slot, as to the bigger pool. */
START_TEST(fallback_takes_a_bigger_cached_slot)
{
    static shmbox_slot_t held[8192];
    unsigned n = 0;
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&sb, &st), 0);
    for (unsigned p = 0; p < st.pool_count; p++)
        for (uint32_t i = 0; i < st.pool[p].slot_count; i++) {
            ck_assert_uint_lt(n, sizeof(held) / sizeof(held[0]));
            ck_assert_int_eq(shmbox_slot_alloc(&sb, st.pool[p].slot_size, &held[n++], SHMBOX_NO_WAIT), 0);
        }
    shmbox_slot_t s;
    ck_assert_int_eq(shmbox_slot_alloc(&sb, 1, &s, SHMBOX_NO_WAIT), -ENOMEM);
    ck_assert_int_eq(shmbox_slot_free(&sb, held[--n]), 0); /* a slot of the last pool: cached */
    ck_assert_uint_eq(used(LAST), last_count());
    ck_assert_int_eq(shmbox_slot_alloc(&sb, 1, &s, SHMBOX_NO_WAIT), 0);
    ck_assert_uint_eq(shmbox_slot_size(&sb, s), last_size());
    ck_assert_int_eq(shmbox_slot_alloc(&sb, 1, &held[n++], 100), -ETIMEDOUT);
    n--;
    ck_assert_int_eq(shmbox_slot_free(&sb, s), 0);
    ck_assert_int_eq(shmbox_slot_alloc(&sb, 1, &s, 1000), 0); /* waiting too */
    ck_assert_int_eq(shmbox_slot_free(&sb, s), 0);
    while (n > 0)
        ck_assert_int_eq(shmbox_slot_free(&sb, held[--n]), 0);
}
END_TEST

/* Queued slots and slots of another process entry are never cached. */
START_TEST(only_own_slots)
{
    ck_assert_int_eq(shmbox_open(&peer, region, 1000), 0);
    shmbox_slot_t s, r;
    ck_assert_int_eq(shmbox_slot_alloc(&peer, 1, &s, SHMBOX_NO_WAIT), 0);
    ck_assert_int_eq(shmbox_slot_free(&sb, s), 0); /* peer's slot: back to the pool */
    ck_assert_uint_eq(used(0), 0);
    ck_assert_int_eq(shmbox_slot_alloc(&sb, 1, &s, SHMBOX_NO_WAIT), 0);
    ck_assert_int_eq(shmbox_send_slot(&sb, 1, s, 1, SHMBOX_NO_WAIT), 0);
    ck_assert_int_eq(shmbox_slot_free(&sb, s), -EINVAL); /* queued */
    ck_assert_int_eq(shmbox_recv_slot(&peer, 1, &r, NULL, SHMBOX_NO_WAIT), 0);
    ck_assert_int_eq(shmbox_slot_free(&peer, r), 0); /* peer's own now: cached by peer */
    ck_assert_uint_eq(used(0), 1);
    ck_assert_int_eq(shmbox_slot_cache_flush(&sb), 0); /* not sb's cache */
    ck_assert_int_eq(shmbox_slot_cache_flush(&peer), 1);
    ck_assert_uint_eq(used(0), 0);
}
END_TEST

/* Close returns the cached slots, with every other slot of the entry. */
START_TEST(close_returns_cached)
{
    ck_assert_int_eq(shmbox_open(&peer, region, 1000), 0);
    shmbox_slot_t s[3];
    for (unsigned i = 0; i < 3; i++)
        ck_assert_int_eq(shmbox_slot_alloc(&peer, 1, &s[i], SHMBOX_NO_WAIT), 0);
    for (unsigned i = 0; i < 3; i++)
        ck_assert_int_eq(shmbox_slot_free(&peer, s[i]), 0);
    ck_assert_uint_eq(used(0), 3);
    ck_assert_int_eq(shmbox_close(&peer), 0);
    ck_assert_uint_eq(used(0), 0);
    /* The thread's cache serves the next handle. */
    shmbox_slot_t t;
    ck_assert_int_eq(shmbox_slot_alloc(&sb, 1, &t, SHMBOX_NO_WAIT), 0);
    ck_assert_int_eq(shmbox_slot_free(&sb, t), 0);
    ck_assert_uint_eq(used(0), 1);
    ck_assert_int_eq(shmbox_slot_cache_flush(&sb), 1);
}
END_TEST

/* Other processes cannot take cached slots until the flush. */
static uint32_t big; /* the last pool's slot size: only that pool fits */

static int child_alloc_all(void *arg)
{
    uint32_t want = *(uint32_t *)arg;
    shmbox_t c;
    if (shmbox_open(&c, region, 1000) != 0)
        return 1;
    uint32_t got = 0;
    shmbox_slot_t s;
    while (shmbox_slot_alloc(&c, big, &s, SHMBOX_NO_WAIT) == 0)
        got++;
    shmbox_close(&c);
    return got == want ? 0 : 2;
}

START_TEST(cached_slots_are_out_of_reach)
{
    uint32_t n = last_count();
    big = last_size();
    shmbox_slot_t *s = calloc(n, sizeof(*s));
    ck_assert_ptr_nonnull(s);
    for (uint32_t i = 0; i < n; i++)
        ck_assert_int_eq(shmbox_slot_alloc(&sb, big, &s[i], SHMBOX_NO_WAIT), 0);
    for (uint32_t i = 0; i < n; i++)
        ck_assert_int_eq(shmbox_slot_free(&sb, s[i]), 0);
    uint32_t left = n > CACHE ? n - CACHE : 0;
    ck_assert_int_eq(run_child(child_alloc_all, &left), 0);
    ck_assert_int_eq(shmbox_slot_cache_flush(&sb), (int)(n - left));
    ck_assert_int_eq(run_child(child_alloc_all, &n), 0);
    free(s);
}
END_TEST

/* A forked child's copy of the cache names the parent's slots: unused. */
static shmbox_slot_t parent_cached;

static int child_fork_copy(void *arg)
{
    (void)arg;
    shmbox_t c;
    if (shmbox_open(&c, region, 1000) != 0)
        return 1;
    shmbox_slot_t s;
    int rc = shmbox_slot_alloc(&c, 1, &s, SHMBOX_NO_WAIT);
    int same = rc == 0 && (s & SHMBOX_H_INDEX_MASK) == (parent_cached & SHMBOX_H_INDEX_MASK);
    if (rc == 0 && shmbox_slot_free(&c, s) != 0)
        return 3;
    shmbox_close(&c);
    if (rc != 0)
        return 2;
    if (same)
        return 4;
    /* The inherited handle is refused: the parent's cached slot cannot
     * be handed out through it. */
    if (shmbox_slot_alloc(&sb, 1, &s, SHMBOX_NO_WAIT) != -ECHILD)
        return 5;
    return 0;
}

START_TEST(fork_does_not_share)
{
    ck_assert_int_eq(shmbox_slot_alloc(&sb, 1, &parent_cached, SHMBOX_NO_WAIT), 0);
    ck_assert_int_eq(shmbox_slot_free(&sb, parent_cached), 0);
    ck_assert_int_eq(run_child(child_fork_copy, NULL), 0);
    shmbox_slot_t t;
    ck_assert_int_eq(shmbox_slot_alloc(&sb, 1, &t, SHMBOX_NO_WAIT), 0);
    ck_assert_uint_eq(t & SHMBOX_H_INDEX_MASK, parent_cached & SHMBOX_H_INDEX_MASK);
    ck_assert_int_eq(shmbox_slot_free(&sb, t), 0);
}
END_TEST

/* A process that dies with cached slots: reclaim frees them. */
static int child_die_caching(void *arg)
{
    (void)arg;
    shmbox_t c;
    if (shmbox_open(&c, region, 1000) != 0)
        return 1;
    shmbox_slot_t s[2];
    for (unsigned i = 0; i < 2; i++)
        if (shmbox_slot_alloc(&c, 1, &s[i], SHMBOX_NO_WAIT) != 0)
            return 2;
    for (unsigned i = 0; i < 2; i++)
        if (shmbox_slot_free(&c, s[i]) != 0)
            return 3;
    raise(SIGKILL);
    return 4;
}

START_TEST(death_with_cached_slots)
{
    ck_assert_int_eq(run_child(child_die_caching, NULL), 128 + SIGKILL);
    ck_assert_uint_eq(used(0), 2);
    ck_assert_int_eq(shmbox_reclaim(&sb), 2);
    ck_assert_uint_eq(used(0), 0);
}
END_TEST

/* Threads sharing the handle each cache their own; a thread that exits
 * without a flush leaves its slots to the process until close. */
#define ROUNDS 20000

static void *thread_churn(void *arg)
{
    uintptr_t flush = (uintptr_t)arg;
    for (int i = 0; i < ROUNDS; i++) {
        shmbox_slot_t a, b;
        if (shmbox_slot_alloc(&sb, 1, &a, 1000) != 0 || shmbox_slot_alloc(&sb, 1, &b, 1000) != 0)
            return (void *)1;
        *(volatile uint32_t *)shmbox_slot_ptr(&sb, a) = (uint32_t)i;
        if (shmbox_slot_free(&sb, b) != 0 || shmbox_slot_free(&sb, a) != 0)
            return (void *)2;
    }
    if (flush && shmbox_slot_cache_flush(&sb) != 2)
        return (void *)3;
    return NULL;
}

START_TEST(threads_have_their_own)
{
    pthread_t th[4];
    for (uintptr_t i = 0; i < 4; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, thread_churn, (void *)(uintptr_t)(i != 3)), 0);
    for (int i = 0; i < 4; i++) {
        void *rv = NULL;
        ck_assert_int_eq(pthread_join(th[i], &rv), 0);
        ck_assert_msg(rv == NULL, "thread %d failed with %d", i, (int)(intptr_t)rv);
    }
    ck_assert_uint_eq(used(0), 2); /* the one that did not flush */
    ck_assert_int_eq(shmbox_open(&peer, region, 1000), 0);
    ck_assert_int_eq(shmbox_close(&sb), 0);
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&peer, &st), 0);
    ck_assert_uint_eq(st.pool[0].used, 0);
}
END_TEST

/* A free (through the cache) racing a send_slot of the same slot: never
 * both win (a slot both cached and queued would block the mailbox for
 * good); the slot ends in one place, and nothing is lost. */
#define RACE_ROUNDS 3000
static _Atomic int race_round, race_done;
static shmbox_slot_t race_slot;
static int race_rc[2];

static void *race(void *arg)
{
    int id = (int)(intptr_t)arg;
    for (int r = 1; r <= RACE_ROUNDS; r++) {
        while (atomic_load(&race_round) != r)
            sched_yield();
        race_rc[id] = id == 1 ? shmbox_send_slot(&sb, 0, race_slot, 1, SHMBOX_NO_WAIT) : shmbox_slot_free(&sb, race_slot);
        if (id == 0 && shmbox_slot_cache_flush(&sb) < 0) /* the next free goes to the cache again */
            race_rc[id] = -EIO;
        atomic_fetch_add(&race_done, 1);
    }
    /* cached slots go back to the pool with their thread's flush */
    return (void *)(intptr_t)shmbox_slot_cache_flush(&sb);
}

START_TEST(cached_free_and_send_slot_race)
{
    pthread_t th[2];
    for (intptr_t i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, race, (void *)i), 0);
    int both = 0, lost = 0;
    for (int r = 1; r <= RACE_ROUNDS && both == 0 && lost == 0; r++) {
        ck_assert_int_eq(shmbox_slot_alloc(&sb, 1, &race_slot, 1000), 0);
        atomic_store(&race_done, 0);
        atomic_store(&race_round, r);
        while (atomic_load(&race_done) != 2)
            sched_yield();
        if (race_rc[0] == 0 && race_rc[1] == 0)
            both = r;
        if (race_rc[1] == 0) { /* queued: received once, then freed */
            shmbox_slot_t got;
            if (shmbox_recv_slot(&sb, 0, &got, NULL, SHMBOX_NO_WAIT) != 0 || got != race_slot ||
                shmbox_slot_free(&sb, got) != 0)
                lost = r;
        } else if (race_rc[0] != 0 && shmbox_slot_free(&sb, race_slot) != 0) { /* neither won: still ours */
            lost = r;
        }
    }
    atomic_store(&race_round, RACE_ROUNDS + 1);
    for (int i = 0; i < 2 && both == 0 && lost == 0; i++)
        ck_assert_int_eq(pthread_join(th[i], NULL), 0);
    ck_assert_msg(both == 0, "round %d: the free and the send_slot both won", both);
    ck_assert_msg(lost == 0, "round %d: the slot went astray", lost);
    char b[8];
    ck_assert_int_eq(shmbox_recv(&sb, 0, b, sizeof(b), SHMBOX_NO_WAIT), -EAGAIN);
    ck_assert_int_ge(shmbox_slot_cache_flush(&sb), 0); /* this thread's frees: cached too */
    ck_assert_uint_eq(used(0), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("slotcache");
    TCase *tc = tcase_create("slotcache");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, free_then_alloc_reuses);
    tcase_add_test(tc, capacity_and_flush);
    tcase_add_test(tc, fallback_takes_a_bigger_cached_slot);
    tcase_add_test(tc, only_own_slots);
    tcase_add_test(tc, close_returns_cached);
    tcase_add_test(tc, cached_slots_are_out_of_reach);
    tcase_add_test(tc, fork_does_not_share);
    tcase_add_test(tc, death_with_cached_slots);
    tcase_add_test(tc, threads_have_their_own);
    tcase_add_test(tc, cached_free_and_send_slot_race);
    suite_add_tcase(s, tc);
    return shmbox_check_run(s, CK_FORK_GETENV);
}
