// SPDX-License-Identifier: MIT
/*
 * Kill tests of the pool lock and the process-table lock, and slot
 * ownership without a crash (crash_kill, with test_kill.c; kill.h).
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crash.h"
#include "kill.h"

/* ---- pool lock ---------------------------------------------------------------- */

static void alloc_everything(void)
{
    uint32_t total = total_slots(), got = 0;
    static shmbox_slot_t all[16384];
    ck_assert_uint_le(total, 16384);
    shmbox_slot_t s;
    while (shmbox_slot_alloc(&kill_sb, 64, &s, SHMBOX_NO_WAIT) == 0)
        all[got++] = s;
    ck_assert_uint_eq(got, total); /* nothing leaked, nothing twice */
    ck_assert_uint_eq(pool_used(), total);
    for (uint32_t i = 0; i < got; i++)
        ck_assert_int_eq(shmbox_slot_free(&kill_sb, all[i]), 0);
    ck_assert_uint_eq(pool_used(), 0);
}

START_TEST(kill_in_alloc)
{
    uint32_t rec0 = recoveries();
    struct job v = {SHMBOX_HOOK_POOL_POPPED, 0, 0, 0, 2};
    pid_t victim = stop_child(child_alloc, &v);
    struct job w = {0, 0, 0, 0, 0};
    pid_t waiter = start_waiter(child_alloc, &w);
    crash_kill(victim);
    ck_assert_int_eq(crash_join(waiter, 20000), 0);
    ck_assert_uint_gt(recoveries(), rec0);
    ck_assert_uint_eq(pool_used(), 3); /* the victim's two + the popped one */
    /* alloc reclaims them when the pools run dry */
    alloc_everything();
    exchange(0, 0);
}
END_TEST

START_TEST(kill_in_free)
{
    uint32_t rec0 = recoveries();
    struct job v = {SHMBOX_HOOK_POOL_PUSHED, 0, 0, 0, 3};
    pid_t victim = stop_child(child_alloc, &v);
    crash_kill(victim);
    ck_assert_uint_eq(pool_used(), 2); /* the freed one is free after the rebuild */
    ck_assert_uint_gt(recoveries(), rec0);
    ck_assert_int_eq(shmbox_reclaim(&kill_sb), 2);
    ck_assert_uint_eq(pool_used(), 0);
    alloc_everything();
}
END_TEST

/* ---- process table lock ----------------------------------------------------------- */

START_TEST(kill_in_attach)
{
    uint32_t rec0 = recoveries();
    struct job v = {SHMBOX_HOOK_PROC_WRITING, 0, 0, 0, 0};
    pid_t victim = stop_child(child_open_close, &v);
    struct job w = {0, 0, 0, 0, 0};
    pid_t waiter = start_waiter(child_open_close, &w);
    crash_kill(victim);
    ck_assert_int_eq(crash_join(waiter, 20000), 0);
    ck_assert_uint_gt(recoveries(), rec0);
    /* More opens than table entries: entries of the dead are reused. */
    for (int i = 0; i < CONFIG_SHMBOX_MAX_PROCS + 3; i++)
        ck_assert_int_eq(crash_join(crash_spawn(child_open_close, &w), 10000), 0);
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&kill_sb, &st), 0);
    ck_assert_uint_eq(st.attached, 1);
    exchange(0, 0);
}
END_TEST

START_TEST(kill_in_reclaim)
{
    uint32_t rec0 = recoveries();
    /* The first lock reclaim takes is the process table's. */
    struct job v = {SHMBOX_HOOK_LOCKED, 0, 0, 0, 0};
    pid_t victim = stop_child(child_reclaim, &v);
    struct job w = {0, 0, 0, 0, 0};
    pid_t waiter = start_waiter(child_open_close, &w);
    crash_kill(victim);
    ck_assert_int_eq(crash_join(waiter, 20000), 0);
    ck_assert_uint_gt(recoveries(), rec0);
    ck_assert_int_eq(shmbox_reclaim(&kill_sb), 1); /* the victim's slot */
    ck_assert_uint_eq(pool_used(), 0);
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&kill_sb, &st), 0);
    ck_assert_uint_eq(st.attached, 1);
}
END_TEST

/* ---- slot ownership without a crash -------------------------------------------------- */

static int child_hold(void *arg)
{
    (void)arg;
    shmbox_t c;
    child_open(&c);
    shmbox_slot_t s[5];
    for (int i = 0; i < 5; i++)
        CHILD_CHECK(shmbox_slot_alloc(&c, 64, &s[i], 1000) == 0);
    crash_sh->reached = 1;
    while (!crash_sh->ready)
        crash_sleep_ms(1);
    CHILD_CHECK(shmbox_close(&c) == 0); /* frees the five */
    return 0;
}

START_TEST(reclaim_spares_the_living)
{
    pid_t c = crash_spawn(child_hold, NULL);
    ck_assert_int_eq(crash_wait_flag(&crash_sh->reached, 10000), 0);
    ck_assert_int_eq(shmbox_reclaim(&kill_sb), 0);
    ck_assert_uint_eq(pool_used(), 5);
    crash_sh->ready = 1;
    ck_assert_int_eq(crash_join(c, 10000), 0);
    ck_assert_uint_eq(pool_used(), 0);
}
END_TEST

void kill_add_lock_tests(TCase *t)
{
    tcase_add_test(t, kill_in_alloc);
    tcase_add_test(t, kill_in_free);
    tcase_add_test(t, kill_in_attach);
    tcase_add_test(t, kill_in_reclaim);
    tcase_add_test(t, reclaim_spares_the_living);
}
