// SPDX-License-Identifier: MIT
/*
 * The lock order (component/src/lock_order.h), as the debug check sees it:
 * this program and shmbox_hooked, which every crash test links, are built
 * with SHMBOX_DEBUG_LOCK_ORDER, so every crash test of every tree runs
 * with the check on, and here it is shown to accept the stated order and
 * to stop a thread that takes a lock out of order or gives one back that
 * it does not hold. The locks are private words, not a region's.
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crash.h"
#include "lock.h"

#ifndef SHMBOX_DEBUG_LOCK_ORDER
#error "built without SHMBOX_DEBUG_LOCK_ORDER: nothing to test"
#endif

/* One lock of each class, in the stated order. */
static struct shmbox_lock locks[4];
static struct shmbox_hdr hdr; /* recoveries, and a process table with no firmware */
static shmbox_t view = {.base = (unsigned char *)&hdr}; /* a handle on it */
static const enum sbx_lock_class order[4] = {SBX_LOCK_PROC, SBX_LOCK_MBOX_SEND, SBX_LOCK_MBOX_RECV, SBX_LOCK_POOL};

static int take(unsigned i)
{
    struct sbx_deadline d = sbx_deadline_never();
    return sbx_lock_take(&locks[i], order[i], &view, &d);
}

/* Run @p fn in a child: 1 if a signal ended it, 0 if it returned. */
static int dies(void (*fn)(void))
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        fn();
        _exit(0);
    }
    int st = 0;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert_msg(WIFSIGNALED(st) || (WIFEXITED(st) && WEXITSTATUS(st) == 0), "child status %d", st);
    return WIFSIGNALED(st);
}

START_TEST(the_stated_order_is_accepted)
{
    memset(locks, 0, sizeof(locks));
    for (unsigned i = 0; i < 4; i++)
        ck_assert_int_eq(take(i), 0);
    ck_assert_uint_eq(sbx_lock_held, 0xfu);
    for (unsigned i = 4; i-- > 0;)
        sbx_lock_give(&locks[i], order[i]);
    ck_assert_uint_eq(sbx_lock_held, 0u);
    /* Any subset in order, too: the process table, then a pool. */
    ck_assert_int_eq(take(0), 0);
    ck_assert_int_eq(take(3), 0);
    sbx_lock_give(&locks[0], order[0]);
    sbx_lock_give(&locks[3], order[3]);
    ck_assert_uint_eq(sbx_lock_held, 0u);
}
END_TEST

static void pool_then_proc(void)
{
    (void)take(3);
    (void)take(0);
}

static void recv_then_send(void)
{
    (void)take(2);
    (void)take(1);
}

static void two_pools(void)
{
    struct shmbox_lock other;
    memset(&other, 0, sizeof(other));
    struct sbx_deadline d = sbx_deadline_never();
    (void)take(3);
    (void)sbx_lock_take(&other, SBX_LOCK_POOL, &view, &d);
}

static void give_unheld(void)
{
    sbx_lock_give(&locks[1], order[1]);
}

START_TEST(a_take_out_of_order_stops_the_thread)
{
    memset(locks, 0, sizeof(locks));
    ck_assert_int_eq(dies(pool_then_proc), 1);
    ck_assert_int_eq(dies(recv_then_send), 1);
    ck_assert_int_eq(dies(two_pools), 1);
}
END_TEST

START_TEST(a_give_of_a_lock_not_held_stops_the_thread)
{
    memset(locks, 0, sizeof(locks));
    ck_assert_int_eq(dies(give_unheld), 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lockorder");
    TCase *tc = tcase_create("order");
    tcase_add_test(tc, the_stated_order_is_accepted);
    tcase_add_test(tc, a_take_out_of_order_stops_the_thread);
    tcase_add_test(tc, a_give_of_a_lock_not_held_stops_the_thread);
    suite_add_tcase(s, tc);
    return crash_run(s);
}
