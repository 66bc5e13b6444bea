// SPDX-License-Identifier: MIT
/*
 * Blocked allocators are served promptly: every process blocked in
 * shmbox_slot_alloc() that a release can serve gets its slot within
 * SERVE_MS of that release, whether the holder closes its handle, is
 * killed and reclaimed by someone, is killed and reclaimed by nobody (the
 * waiters reclaim while they wait), or is killed between its free and its
 * wake-up. The waiters ask for the last (largest) pool's size, so only
 * that pool fits: the case where a wait once had no sleep slice.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "crash.h"

#define WAITERS 3
#define WAIT_MS 20000 /* the waiters' timeout: far beyond SERVE_MS */
#define SERVE_MS 3000 /* release to slot, at most (qemu, loaded machine) */

static char region[SHMBOX_NAME_MAX + 1];
static shmbox_t sb;
static uint32_t last_size, last_count;

/* Shared with the children (in crash_sh->seen[]): */
#define T_RELEASE 0u /* ms when the release happened (parent) */
#define T_GOT 1u     /* ms when waiter i got its slot: [T_GOT + i] */
#define WAITING 8u   /* waiters about to block */
#define HELD 9u      /* the holder holds its slots */
#define GO 10u       /* the holder may release */

static uint32_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}

static void setup(void)
{
    crash_setup();
    snprintf(region, sizeof(region), "%s", shmbox_test_name("waiters"));
    ck_assert_int_eq(shmbox_create(&sb, region), 0);
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&sb, &st), 0);
    last_size = st.pool[st.pool_count - 1u].slot_size;
    last_count = st.pool[st.pool_count - 1u].slot_count;
}

static void teardown(void)
{
    if (sb.open_magic != 0)
        shmbox_close(&sb);
    shmbox_unlink(region);
}

static void wait_seen(uint32_t i, uint32_t want)
{
    for (int n = 0; n < 20000 && crash_sh->seen[i] < want; n++)
        crash_sleep_ms(1);
    ck_assert_uint_ge(crash_sh->seen[i], want);
}

/* Holder: takes @p n slots of the last pool, then waits for GO and
 * releases them by mode: 'c' close, 'f' free one (armed: stops after the
 * free, before the wake-up), anything else: holds until killed. */
struct holder_job {
    uint32_t n;
    int mode;
};

static int holder(void *arg)
{
    struct holder_job *j = arg;
    shmbox_t c;
    shmbox_slot_t s[256];
    CHILD_CHECK(j->n <= 256u);
    CHILD_CHECK(shmbox_open(&c, region, 5000) == 0);
    for (uint32_t i = 0; i < j->n; i++)
        CHILD_CHECK(shmbox_slot_alloc(&c, last_size, &s[i], SHMBOX_NO_WAIT) == 0);
    crash_sh->seen[HELD] = 1;
    while (crash_sh->seen[GO] == 0)
        crash_sleep_ms(1);
    if (j->mode == 'f') {
        crash_arm(SHMBOX_HOOK_POOL_FREED, 0);
        crash_sh->seen[T_RELEASE] = now_ms();
        (void)shmbox_slot_free(&c, s[0]); /* stops inside, after the free */
        return 3;
    }
    if (j->mode == 'c') {
        crash_sh->seen[T_RELEASE] = now_ms();
        CHILD_CHECK(shmbox_close(&c) == 0);
        return 0;
    }
    for (;;)
        pause();
}

static int waiter(void *arg)
{
    uint32_t i = (uint32_t)(uintptr_t)arg;
    shmbox_t c;
    shmbox_slot_t s;
    CHILD_CHECK(shmbox_open(&c, region, 5000) == 0);
    __atomic_fetch_add(&crash_sh->seen[WAITING], 1u, __ATOMIC_SEQ_CST);
    CHILD_CHECK(shmbox_slot_alloc(&c, last_size, &s, WAIT_MS) == 0);
    crash_sh->seen[T_GOT + i] = now_ms();
    CHILD_CHECK(shmbox_slot_ptr(&c, s) != NULL);
    /* Keep the slot (the next waiter must get another one): exit without
     * freeing; the test's checks come before any reclaim. */
    return 0;
}

/* Start @p n waiters and let them block. */
static void start_waiters(pid_t *w, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        w[i] = crash_spawn(waiter, (void *)(uintptr_t)i);
    wait_seen(WAITING, n);
    crash_sleep_ms(500); /* from counted to asleep in the pool */
}

/* Every waiter ended well and got its slot within SERVE_MS of the release. */
static void check_served(const pid_t *w, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        ck_assert_int_eq(crash_join(w[i], WAIT_MS + 10000), 0);
    uint32_t rel = crash_sh->seen[T_RELEASE];
    ck_assert_uint_ne(rel, 0);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t got = crash_sh->seen[T_GOT + i];
        ck_assert_msg(got != 0, "waiter %u got no slot", (unsigned)i);
        ck_assert_msg(got - rel < SERVE_MS, "waiter %u served %u ms after the release (at most %u)", (unsigned)i,
                      (unsigned)(got - rel), (unsigned)SERVE_MS);
    }
}

/* The holder takes the whole last pool, WAITERS block, then: */
static void run_holder_case(int mode, int reclaim)
{
    struct holder_job j = {last_count, mode};
    pid_t h = crash_spawn(holder, &j);
    wait_seen(HELD, 1);
    pid_t w[WAITERS];
    start_waiters(w, WAITERS);
    if (mode == 'k') {
        crash_sh->seen[T_RELEASE] = now_ms();
        crash_kill(h);
        if (reclaim)
            ck_assert_int_ge(shmbox_reclaim(&sb), 0); /* the waiters may reclaim first */
    } else {
        crash_sh->seen[GO] = 1;
        ck_assert_int_eq(crash_join(h, 10000), 0);
    }
    check_served(w, WAITERS);
}

START_TEST(close_serves_every_waiter)
{
    run_holder_case('c', 0);
}
END_TEST

START_TEST(reclaim_serves_every_waiter)
{
    run_holder_case('k', 1);
}
END_TEST

START_TEST(waiters_reclaim_a_dead_holder_themselves)
{
    run_holder_case('k', 0);
}
END_TEST

START_TEST(freer_killed_before_its_wakeup)
{
    /* We hold all but one slot, the holder the last one. */
    shmbox_slot_t mine[256];
    ck_assert_uint_le(last_count, 256u);
    for (uint32_t i = 0; i + 1u < last_count; i++)
        ck_assert_int_eq(shmbox_slot_alloc(&sb, last_size, &mine[i], SHMBOX_NO_WAIT), 0);
    struct holder_job j = {1, 'f'};
    pid_t h = crash_spawn(holder, &j);
    wait_seen(HELD, 1);
    pid_t w[1];
    start_waiters(w, 1);
    crash_sh->seen[GO] = 1;
    ck_assert_int_eq(crash_wait_flag(&crash_sh->reached, 10000), 0);
    crash_kill(h); /* dead between its free and its wake-up */
    check_served(w, 1);
    for (uint32_t i = 0; i + 1u < last_count; i++)
        ck_assert_int_eq(shmbox_slot_free(&sb, mine[i]), 0);
}
END_TEST

/* Stops inside shmbox_reclaim() holding the process table lock. */
static int stalled_reclaimer(void *arg)
{
    (void)arg;
    shmbox_t c;
    CHILD_CHECK(shmbox_open(&c, region, 5000) == 0);
    crash_arm(SHMBOX_HOOK_LOCKED, 0);
    (void)shmbox_reclaim(&c);
    return 3; /* not reached */
}

START_TEST(stalled_reclaim_does_not_stall_a_timed_alloc)
{
    shmbox_slot_t mine[256];
    ck_assert_uint_le(last_count, 256u);
    for (uint32_t i = 0; i < last_count; i++)
        ck_assert_int_eq(shmbox_slot_alloc(&sb, last_size, &mine[i], SHMBOX_NO_WAIT), 0);
    pid_t r = crash_spawn(stalled_reclaimer, NULL);
    ck_assert_int_eq(crash_wait_flag(&crash_sh->reached, 10000), 0);
    sb.reclaim_ms = 0; /* let this handle's exhausted alloc reclaim at once */
    uint32_t t0 = now_ms();
    shmbox_slot_t s;
    ck_assert_int_eq(shmbox_slot_alloc(&sb, last_size, &s, 300), -ETIMEDOUT);
    uint32_t took = now_ms() - t0;
    ck_assert_msg(took < 1500u, "a 300 ms alloc took %u ms", (unsigned)took);
    sb.reclaim_ms = 0;
    t0 = now_ms();
    int rc = shmbox_slot_alloc(&sb, last_size, &s, SHMBOX_NO_WAIT);
    took = now_ms() - t0;
    ck_assert_msg(rc == -ENOMEM || rc == -EAGAIN, "NO_WAIT alloc: %d", rc);
    ck_assert_msg(took < 2500u, "a NO_WAIT alloc took %u ms", (unsigned)took);
    crash_kill(r);
    for (uint32_t i = 0; i < last_count; i++)
        ck_assert_int_eq(shmbox_slot_free(&sb, mine[i]), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("waiters");
    TCase *tc = tcase_create("waiters");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, close_serves_every_waiter);
    tcase_add_test(tc, reclaim_serves_every_waiter);
    tcase_add_test(tc, waiters_reclaim_a_dead_holder_themselves);
    tcase_add_test(tc, freer_killed_before_its_wakeup);
    tcase_add_test(tc, stalled_reclaim_does_not_stall_a_timed_alloc);
    suite_add_tcase(s, tc);
    return crash_run(s);
}
