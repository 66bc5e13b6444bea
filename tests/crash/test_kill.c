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

#define N_MSGS 300u
#define LOST_ID 4000u  /* the killed sender's message */
#define WAITER_ID 4001u /* the message of a process blocked behind the killed one */

static char region[SHMBOX_NAME_MAX + 1];
static shmbox_t sb;

static void setup(void)
{
    crash_setup();
    snprintf(region, sizeof(region), "%s", shmbox_test_name("kill"));
    ck_assert_int_eq(shmbox_create(&sb, region), 0);
}

static void teardown(void)
{
    if (sb.open_magic != 0)
        shmbox_close(&sb);
    shmbox_unlink(region);
}

static uint32_t recoveries(void)
{
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&sb, &st), 0);
    return st.recoveries;
}

static uint32_t pool_used(void)
{
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&sb, &st), 0);
    uint32_t used = 0;
    for (unsigned p = 0; p < st.pool_count; p++)
        used += st.pool[p].used;
    return used;
}

static uint32_t total_slots(void)
{
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&sb, &st), 0);
    uint32_t n = 0;
    for (unsigned p = 0; p < st.pool_count; p++)
        n += st.pool[p].slot_count;
    return n;
}

/* ---- children ------------------------------------------------------------ */

struct job {
    int point;   /* hook point to stop at, 0: none */
    int skip;
    unsigned mbox;
    uint32_t id; /* message id to send */
    uint32_t n;  /* messages to receive */
};

static void child_open(shmbox_t *c)
{
    CHILD_CHECK(shmbox_open(c, region, 5000) == 0);
}

static int child_send(void *arg)
{
    struct job *j = arg;
    shmbox_t c;
    child_open(&c);
    struct crash_msg m = crash_msg_make(j->id);
    if (j->point)
        crash_arm(j->point, j->skip);
    crash_sh->ready = 1;
    CHILD_CHECK(shmbox_send(&c, j->mbox, &m, sizeof(m), 10000) == 0);
    CHILD_CHECK(shmbox_close(&c) == 0);
    return 0;
}

static int child_recv(void *arg)
{
    struct job *j = arg;
    shmbox_t c;
    child_open(&c);
    if (j->point)
        crash_arm(j->point, j->skip);
    crash_sh->ready = 1;
    for (uint32_t i = 0; i < j->n; i++) {
        struct crash_msg m;
        int rc = shmbox_recv(&c, j->mbox, &m, sizeof(m), 10000);
        CHILD_CHECK(rc == (int)sizeof(m));
        CHILD_CHECK(crash_msg_ok(&m));
        CHILD_CHECK(m.id < 4096u);
        crash_sh->seen[m.id]++;
        crash_sh->count++;
    }
    CHILD_CHECK(shmbox_close(&c) == 0);
    return 0;
}

static int child_send_slot(void *arg)
{
    struct job *j = arg;
    shmbox_t c;
    child_open(&c);
    shmbox_slot_t s;
    CHILD_CHECK(shmbox_slot_alloc(&c, 100, &s, 1000) == 0);
    struct crash_msg m = crash_msg_make(j->id);
    memcpy(shmbox_slot_ptr(&c, s), &m, sizeof(m));
    if (j->point)
        crash_arm(j->point, j->skip);
    crash_sh->ready = 1;
    CHILD_CHECK(shmbox_send_slot(&c, j->mbox, s, sizeof(m), 10000) == 0);
    CHILD_CHECK(shmbox_close(&c) == 0);
    return 0;
}

/* Receive j->n slots; with j->id == 1, stop (owning the last one) instead
 * of freeing it. */
static int child_recv_slot(void *arg)
{
    struct job *j = arg;
    shmbox_t c;
    child_open(&c);
    if (j->point)
        crash_arm(j->point, j->skip);
    crash_sh->ready = 1;
    for (uint32_t i = 0; i < j->n; i++) {
        shmbox_slot_t s;
        size_t len;
        CHILD_CHECK(shmbox_recv_slot(&c, j->mbox, &s, &len, 10000) == 0);
        CHILD_CHECK(len == sizeof(struct crash_msg));
        struct crash_msg m;
        memcpy(&m, shmbox_slot_ptr(&c, s), sizeof(m));
        CHILD_CHECK(crash_msg_ok(&m) && m.id < 4096u);
        crash_sh->seen[m.id]++;
        crash_sh->count++;
        if (j->id == 1 && i + 1 == j->n) {
            crash_sh->reached = 1;
            for (;;)
                pause();
        }
        CHILD_CHECK(shmbox_slot_free(&c, s) == 0);
    }
    CHILD_CHECK(shmbox_close(&c) == 0);
    return 0;
}

static int child_alloc(void *arg)
{
    struct job *j = arg;
    shmbox_t c;
    child_open(&c);
    shmbox_slot_t s[8];
    for (uint32_t i = 0; i < j->n; i++)
        CHILD_CHECK(shmbox_slot_alloc(&c, 64, &s[i], 1000) == 0);
    if (j->point)
        crash_arm(j->point, j->skip);
    crash_sh->ready = 1;
    if (j->point == SHMBOX_HOOK_POOL_PUSHED)
        CHILD_CHECK(shmbox_slot_free(&c, s[0]) == 0);
    else
        CHILD_CHECK(shmbox_slot_alloc(&c, 64, &s[j->n], 10000) == 0);
    CHILD_CHECK(shmbox_close(&c) == 0);
    return 0;
}

static int child_open_close(void *arg)
{
    struct job *j = arg;
    shmbox_t c;
    if (j->point)
        crash_arm(j->point, j->skip);
    crash_sh->ready = 1;
    CHILD_CHECK(shmbox_open(&c, region, 10000) == 0);
    CHILD_CHECK(shmbox_close(&c) == 0);
    return 0;
}

static int child_reclaim(void *arg)
{
    struct job *j = arg;
    shmbox_t c;
    child_open(&c);
    shmbox_slot_t s;
    CHILD_CHECK(shmbox_slot_alloc(&c, 64, &s, 1000) == 0);
    if (j->point)
        crash_arm(j->point, j->skip);
    CHILD_CHECK(shmbox_reclaim(&c) >= 0);
    CHILD_CHECK(shmbox_close(&c) == 0);
    return 0;
}

/* Start a child that will block behind the stopped one, then kill the
 * stopped one: the waiter gets the lock from the kernel (PI hand-off)
 * rather than by ESRCH take-over, and must still see the dirty flag. */
static pid_t start_waiter(int (*fn)(void *), struct job *j)
{
    crash_sh->ready = 0;
    pid_t w = crash_spawn(fn, j);
    ck_assert_int_eq(crash_wait_flag(&crash_sh->ready, 10000), 0);
    crash_sleep_ms(150); /* let it reach the futex */
    return w;
}

static pid_t stop_child(int (*fn)(void *), struct job *j)
{
    crash_sh->reached = 0;
    pid_t v = crash_spawn(fn, j);
    ck_assert_msg(crash_wait_flag(&crash_sh->reached, 20000) == 0, "victim never reached its hook point");
    return v;
}

/* Survivors: the parent sends ids 0..n-1 on @p mbox while a child receives
 * them plus @p extra more; every message must arrive exactly once. */
static void exchange(unsigned mbox, uint32_t extra)
{
    struct job r = {0, 0, mbox, 0, N_MSGS + extra};
    pid_t rc = crash_spawn(child_recv, &r);
    for (uint32_t i = 0; i < N_MSGS; i++) {
        struct crash_msg m = crash_msg_make(i);
        ck_assert_int_eq(shmbox_send(&sb, mbox, &m, sizeof(m), 10000), 0);
    }
    ck_assert_int_eq(crash_join(rc, 30000), 0);
    for (uint32_t i = 0; i < N_MSGS; i++)
        ck_assert_msg(crash_sh->seen[i] == 1, "message %u received %u times", i, crash_sh->seen[i]);
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
    ck_assert_int_eq(shmbox_stat(&sb, &st), 0);
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
    ck_assert_int_eq(shmbox_send(&sb, 1, &m, sizeof(m), 0), 0);
    struct job v = {SHMBOX_HOOK_RECV_COPIED, 0, 1, 0, 1};
    pid_t victim = stop_child(child_recv, &v);
    crash_kill(victim);
    ck_assert_uint_eq(crash_sh->count, 0);
    /* Copied out but not committed: still queued, nothing lost. */
    struct crash_msg got;
    ck_assert_int_eq(shmbox_recv(&sb, 1, &got, sizeof(got), 1000), (int)sizeof(got));
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
    ck_assert_int_ge(shmbox_reclaim(&sb), 0);
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
    ck_assert_int_eq(shmbox_recv_slot(&sb, 2, &got, NULL, SHMBOX_NO_WAIT), -EAGAIN);
    /* (no shmbox_stat before the reclaim: it would repair the side too) */
    ck_assert_int_eq(shmbox_reclaim(&sb), 1);
    ck_assert_uint_eq(pool_used(), 0);
    ck_assert_int_eq(shmbox_recv_slot(&sb, 2, &got, NULL, SHMBOX_NO_WAIT), -EAGAIN);
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
    ck_assert_int_eq(shmbox_reclaim(&sb), 1);
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
    ck_assert_int_eq(shmbox_reclaim(&sb), 1); /* the one the dead receiver took */
    /* Killed while owning a received slot (outside any lock). */
    struct job v2 = {0, 0, 3, 1, 1};
    victim = stop_child(child_recv_slot, &v2);
    crash_kill(victim);
    ck_assert_uint_eq(crash_sh->seen[1021], 1);
    ck_assert_uint_eq(crash_sh->seen[1020], 0); /* received by the first victim: lost with it */
    ck_assert_int_eq(shmbox_reclaim(&sb), 1);
    ck_assert_uint_eq(pool_used(), 0);
    exchange(3, 0);
}
END_TEST

/* ---- pool lock ---------------------------------------------------------------- */

static void alloc_everything(void)
{
    uint32_t total = total_slots(), got = 0;
    static shmbox_slot_t all[16384];
    ck_assert_uint_le(total, 16384);
    shmbox_slot_t s;
    while (shmbox_slot_alloc(&sb, 64, &s, SHMBOX_NO_WAIT) == 0)
        all[got++] = s;
    ck_assert_uint_eq(got, total); /* nothing leaked, nothing twice */
    ck_assert_uint_eq(pool_used(), total);
    for (uint32_t i = 0; i < got; i++)
        ck_assert_int_eq(shmbox_slot_free(&sb, all[i]), 0);
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
    ck_assert_int_eq(shmbox_reclaim(&sb), 2);
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
    ck_assert_int_eq(shmbox_stat(&sb, &st), 0);
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
    ck_assert_int_eq(shmbox_reclaim(&sb), 1); /* the victim's slot */
    ck_assert_uint_eq(pool_used(), 0);
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&sb, &st), 0);
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
    ck_assert_int_eq(shmbox_reclaim(&sb), 0);
    ck_assert_uint_eq(pool_used(), 5);
    crash_sh->ready = 1;
    ck_assert_int_eq(crash_join(c, 10000), 0);
    ck_assert_uint_eq(pool_used(), 0);
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
    tcase_add_test(t, kill_in_alloc);
    tcase_add_test(t, kill_in_free);
    tcase_add_test(t, kill_in_attach);
    tcase_add_test(t, kill_in_reclaim);
    tcase_add_test(t, reclaim_spares_the_living);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return crash_run(suite());
}
