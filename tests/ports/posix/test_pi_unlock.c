// SPDX-License-Identifier: MIT
/*
 * The Linux port's lock word when the kernel and the word disagree: an
 * owner took the word over in user space (as from a dead owner) while a
 * waiter was queued in the kernel, whose priority-inheritance state still
 * names the previous owner. The new owner's unlock is refused by the
 * kernel; shmbox_port_unlock_slow() must release the word anyway (never
 * leave it naming a thread that let go), and the queued waiter must get
 * the lock within its wait slice (100 ms), not at its deadline.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include <shmbox/owner.h>
#include <shmbox/port.h>

#include "check_run.h"

static _Atomic uint32_t word;
static _Atomic int a_release; /* 1: thread A may return */

static void *holder(void *arg)
{
    (void)arg;
    ck_assert_int_eq(shmbox_port_lock_slow(&word, shmbox_port_tid(), 0), 0);
    while (!atomic_load(&a_release))
        usleep(1000);
    return NULL; /* never unlocks: the word was taken from it */
}

struct waiter {
    int rc;
    uint64_t got_ns;
};

static void *waiter(void *arg)
{
    struct waiter *w = arg;
    w->rc = shmbox_port_lock_slow(&word, shmbox_port_tid(), shmbox_port_now_ns() + UINT64_C(10000000000));
    w->got_ns = shmbox_port_now_ns();
    if (w->rc >= 0)
        atomic_store(&word, 0u); /* let go (no waiter left) */
    return NULL;
}

START_TEST(refused_unlock_releases_the_word)
{
    pthread_t a, b;
    struct waiter w = {-1, 0};
    ck_assert_int_eq(pthread_create(&a, NULL, holder, NULL), 0);
    while ((atomic_load(&word) & SHMBOX_LOCK_TID_MASK) == 0)
        usleep(1000);
    ck_assert_int_eq(pthread_create(&b, NULL, waiter, &w), 0);
    /* B queued in the kernel: the waiters bit is set. */
    while (!(atomic_load(&word) & SHMBOX_LOCK_WAITERS))
        usleep(1000);
    usleep(20000);
    /* Take the word over from A in user space, as from a dead owner. */
    uint32_t me = shmbox_port_tid();
    uint32_t v = atomic_load(&word);
    ck_assert(atomic_compare_exchange_strong(&word, &v, me | (v & SHMBOX_LOCK_WAITERS)));
    uint64_t released = shmbox_port_now_ns();
    shmbox_port_unlock_slow(&word, me);
    uint32_t owner = atomic_load(&word) & SHMBOX_LOCK_TID_MASK;
    ck_assert_msg(owner != me, "the released word still names its releaser (%u)", (unsigned)me);
    ck_assert_int_eq(pthread_join(b, NULL), 0);
    ck_assert_int_ge(w.rc, 0);
    ck_assert_msg(w.got_ns - released < UINT64_C(2000000000), "the waiter got the lock %llu ms after the release",
                  (unsigned long long)((w.got_ns - released) / 1000000u));
    atomic_store(&a_release, 1);
    ck_assert_int_eq(pthread_join(a, NULL), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pi_unlock");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, refused_unlock_releases_the_word);
    suite_add_tcase(s, tc);
    return shmbox_check_run(s, CK_FORK_GETENV);
}
