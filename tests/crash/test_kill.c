// SPDX-License-Identifier: MIT
/*
 * Kill tests: for every lock (mailbox, pool, process table) a process is
 * stopped inside the critical section by a test hook and SIGKILLed there;
 * the survivors must finish their work with every message accounted for,
 * no slot leaked, and the recovery counted in shmbox_stat().
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crash.h"
#include "kill.h"

static void setup(void)
{
    crash_setup();
    snprintf(kill_region, sizeof(kill_region), "%s", shmbox_test_name("kill"));
    ck_assert_int_eq(shmbox_create(&kill_sb, kill_region), 0);
}

static void teardown(void)
{
    if (kill_sb.open_magic != 0)
        shmbox_close(&kill_sb);
    shmbox_unlink(kill_region);
}

/* ---- mailbox lock --------------------------------------------------------- */

START_TEST(kill_in_send)
{
    uint32_t rec0 = recoveries();
    struct job v = {SHMBOX_HOOK_MBOX_COPIED, 0, 0, LOST_ID, 0};
    pid_t victim = stop_child(child_send, &v);
    struct job w = {0, 0, 0, WAITER_ID, 0};
    pid_t waiter = start_waiter(child_send, &w);
    crash_kill(victim);
    ck_assert_int_eq(crash_join(waiter, 20000), 0);
    exchange(0, 1);
    ck_assert_uint_eq(crash_sh->seen[WAITER_ID], 1);
    ck_assert_uint_eq(crash_sh->seen[LOST_ID], 0); /* never committed: the killed sender's own */
    ck_assert_uint_gt(recoveries(), rec0);
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&kill_sb, &st), 0);
    ck_assert_uint_eq(st.mbox[0].count, 0);
}
END_TEST

/* A sender killed after its commit, before it woke the receiver asleep on
 * the mailbox: the receiver still gets the message (within a sleep slice,
 * not at its timeout). */
START_TEST(kill_between_commit_and_wake)
{
    struct job r = {0, 0, 1, 0, 1};
    pid_t waiter = start_waiter(child_recv, &r);
    struct job v = {SHMBOX_HOOK_MBOX_COMMITTED, 0, 1, 77, 0};
    pid_t victim = stop_child(child_send, &v);
    crash_kill(victim);
    ck_assert_int_eq(crash_join(waiter, 2000), 0);
    ck_assert_uint_eq(crash_sh->seen[77], 1);
}
END_TEST

START_TEST(kill_in_recv)
{
    uint32_t rec0 = recoveries();
    struct crash_msg m = crash_msg_make(7);
    ck_assert_int_eq(shmbox_send(&kill_sb, 1, &m, sizeof(m), 0), 0);
    struct job v = {SHMBOX_HOOK_RECV_COPIED, 0, 1, 0, 1};
    pid_t victim = stop_child(child_recv, &v);
    crash_kill(victim);
    ck_assert_uint_eq(crash_sh->count, 0);
    /* Copied out but not committed: still queued, nothing lost. */
    struct crash_msg got;
    ck_assert_int_eq(shmbox_recv(&kill_sb, 1, &got, sizeof(got), 1000), (int)sizeof(got));
    ck_assert_uint_eq(got.id, 7);
    ck_assert_uint_gt(recoveries(), rec0);
    exchange(1, 0);
}
END_TEST

START_TEST(kill_in_send_slot)
{
    uint32_t rec0 = recoveries();
    struct job v = {SHMBOX_HOOK_MBOX_COPIED, 0, 2, LOST_ID, 0};
    pid_t victim = stop_child(child_send_slot, &v);
    crash_kill(victim);
    exchange(2, 0); /* locks mailbox 2: the repair makes the slot ownerless */
    ck_assert_uint_eq(crash_sh->seen[LOST_ID], 0);
    ck_assert_uint_gt(recoveries(), rec0);
    /* Ownerless now: freed by the receiver's close (detach frees orphans
     * too) or by this reclaim, whichever comes first. */
    ck_assert_int_ge(shmbox_reclaim(&kill_sb), 0);
    ck_assert_uint_eq(pool_used(), 0);
    /* Slot hand-over still works on that mailbox. */
    struct job s = {0, 0, 2, 1009, 0};
    ck_assert_int_eq(crash_join(crash_spawn(child_send_slot, &s), 10000), 0);
    struct job r = {0, 0, 2, 0, 1};
    ck_assert_int_eq(crash_join(crash_spawn(child_recv_slot, &r), 10000), 0);
    ck_assert_uint_eq(crash_sh->seen[1009], 1);
    ck_assert_uint_eq(pool_used(), 0);
}
END_TEST

/* A sender killed mid send_slot on a mailbox nobody sends to again: the
 * receivers alone never lock the send side, but a reclaim repairs it. */
START_TEST(kill_in_send_slot_then_only_reclaim)
{
    struct job v = {SHMBOX_HOOK_MBOX_COPIED, 0, 2, LOST_ID, 0};
    pid_t victim = stop_child(child_send_slot, &v);
    crash_kill(victim);
    shmbox_slot_t got;
    ck_assert_int_eq(shmbox_recv_slot(&kill_sb, 2, &got, NULL, SHMBOX_NO_WAIT), -EAGAIN);
    /* (no shmbox_stat before the reclaim: it would repair the side too) */
    ck_assert_int_eq(shmbox_reclaim(&kill_sb), 1);
    ck_assert_uint_eq(pool_used(), 0);
    ck_assert_int_eq(shmbox_recv_slot(&kill_sb, 2, &got, NULL, SHMBOX_NO_WAIT), -EAGAIN);
}
END_TEST

/* The same on the receive side: killed after committing the receive,
 * before taking the slot, with no receiver after it. */
START_TEST(kill_in_recv_slot_then_only_reclaim)
{
    struct job s = {0, 0, 3, 1030, 0};
    ck_assert_int_eq(crash_join(crash_spawn(child_send_slot, &s), 10000), 0);
    struct job v = {SHMBOX_HOOK_RECV_OWNED, 0, 3, 0, 1};
    pid_t victim = stop_child(child_recv_slot, &v);
    crash_kill(victim);
    ck_assert_int_eq(shmbox_reclaim(&kill_sb), 1);
    ck_assert_uint_eq(pool_used(), 0);
}
END_TEST

START_TEST(kill_in_recv_slot)
{
    uint32_t rec0 = recoveries();
    /* Two slots queued by a sender that then exits normally. */
    for (uint32_t id = 1020; id < 1022; id++) {
        struct job s = {0, 0, 3, id, 0};
        ck_assert_int_eq(crash_join(crash_spawn(child_send_slot, &s), 10000), 0);
    }
    ck_assert_uint_eq(pool_used(), 2);
    /* Killed after committing the receive, before taking ownership. */
    struct job v = {SHMBOX_HOOK_RECV_OWNED, 0, 3, 0, 1};
    pid_t victim = stop_child(child_recv_slot, &v);
    crash_kill(victim);
    ck_assert_uint_eq(pool_used(), 2); /* stat locks mailbox 3: repaired */
    ck_assert_uint_gt(recoveries(), rec0);
    ck_assert_int_eq(shmbox_reclaim(&kill_sb), 1); /* the one the dead receiver took */
    /* Killed while owning a received slot (outside any lock). */
    struct job v2 = {0, 0, 3, 1, 1};
    victim = stop_child(child_recv_slot, &v2);
    crash_kill(victim);
    ck_assert_uint_eq(crash_sh->seen[1021], 1);
    ck_assert_uint_eq(crash_sh->seen[1020], 0); /* received by the first victim: lost with it */
    ck_assert_int_eq(shmbox_reclaim(&kill_sb), 1);
    ck_assert_uint_eq(pool_used(), 0);
    exchange(3, 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("crash_kill");
    TCase *t = tcase_create("kill");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 60);
    tcase_add_test(t, kill_in_send);
    tcase_add_test(t, kill_in_recv);
    tcase_add_test(t, kill_between_commit_and_wake);
    tcase_add_test(t, kill_in_send_slot);
    tcase_add_test(t, kill_in_recv_slot);
    tcase_add_test(t, kill_in_send_slot_then_only_reclaim);
    tcase_add_test(t, kill_in_recv_slot_then_only_reclaim);
    kill_add_lock_tests(t);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return crash_run(suite());
}
