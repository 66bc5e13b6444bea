// SPDX-License-Identifier: MIT
/*
 * The processes of the kill tests (crash_kill): children stopped inside a
 * critical section by a test hook, waiters blocked behind them, and the
 * survivors' exchange that accounts for every message.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crash.h"
#include "kill.h"

char kill_region[SHMBOX_NAME_MAX + 1];
shmbox_t kill_sb;

uint32_t recoveries(void)
{
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&kill_sb, &st), 0);
    return st.recoveries;
}

uint32_t pool_used(void)
{
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&kill_sb, &st), 0);
    uint32_t used = 0;
    for (unsigned p = 0; p < st.pool_count; p++)
        used += st.pool[p].used;
    return used;
}

uint32_t total_slots(void)
{
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&kill_sb, &st), 0);
    uint32_t n = 0;
    for (unsigned p = 0; p < st.pool_count; p++)
        n += st.pool[p].slot_count;
    return n;
}

/* ---- children ------------------------------------------------------------ */

void child_open(shmbox_t *c)
{
    CHILD_CHECK(shmbox_open(c, kill_region, 5000) == 0);
}

int child_send(void *arg)
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

int child_recv(void *arg)
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

int child_send_slot(void *arg)
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
int child_recv_slot(void *arg)
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

int child_alloc(void *arg)
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

int child_open_close(void *arg)
{
    struct job *j = arg;
    shmbox_t c;
    if (j->point)
        crash_arm(j->point, j->skip);
    crash_sh->ready = 1;
    CHILD_CHECK(shmbox_open(&c, kill_region, 10000) == 0);
    CHILD_CHECK(shmbox_close(&c) == 0);
    return 0;
}

int child_reclaim(void *arg)
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
pid_t start_waiter(int (*fn)(void *), struct job *j)
{
    crash_sh->ready = 0;
    pid_t w = crash_spawn(fn, j);
    ck_assert_int_eq(crash_wait_flag(&crash_sh->ready, 10000), 0);
    crash_sleep_ms(150); /* let it reach the futex */
    return w;
}

pid_t stop_child(int (*fn)(void *), struct job *j)
{
    crash_sh->reached = 0;
    pid_t v = crash_spawn(fn, j);
    ck_assert_msg(crash_wait_flag(&crash_sh->reached, 20000) == 0, "victim never reached its hook point");
    return v;
}

/* Survivors: the parent sends ids 0..n-1 on @p mbox while a child receives
 * them plus @p extra more; every message must arrive exactly once. */
void exchange(unsigned mbox, uint32_t extra)
{
    struct job r = {0, 0, mbox, 0, N_MSGS + extra};
    pid_t rc = crash_spawn(child_recv, &r);
    for (uint32_t i = 0; i < N_MSGS; i++) {
        struct crash_msg m = crash_msg_make(i);
        ck_assert_int_eq(shmbox_send(&kill_sb, mbox, &m, sizeof(m), 10000), 0);
    }
    ck_assert_int_eq(crash_join(rc, 30000), 0);
    for (uint32_t i = 0; i < N_MSGS; i++)
        ck_assert_msg(crash_sh->seen[i] == 1, "message %u received %u times", i, crash_sh->seen[i]);
}
