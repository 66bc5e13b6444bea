// SPDX-License-Identifier: MIT
/*
 * The static port after a firmware reset, with several threads (host
 * only): the first attach after the reset gives back what the earlier run
 * held and drops its entries; another thread's attach that runs at the
 * same time must not be taken for the earlier run's (same firmware id)
 * and lose its entry.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include <shmbox/port.h>
#include <shmbox/shmbox.h>

#include "support.h"
#include "check_run.h"

/* Internal (component/src/firmware.h): the next attach is the first since
 * this firmware "started", as after a reset. */
void sbx_fw_boot_retry(void);

static const char *region;

static _Thread_local int is_first;     /* this thread makes the first attach */
static _Atomic int armed;              /* pause the first attach when it counts down to 0 */
static _Atomic int first_at_lock;      /* it reached that point */
static _Atomic int second_done;        /* the other thread's open returned */

static uint64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* The application hook: every lock word the component takes. The first
 * attach, after its sweep, lets the other thread's attach run first
 * (for at most 500 ms: with the other attach waiting for it, it must go on). */
void shmbox_static_critical_enter(void)
{
    /* The open's first critical section is the port's (region.c's state
     * lock); the second is the attach's proc_lock, after the sweep. */
    if (!is_first || atomic_load(&armed) == 0 || atomic_fetch_sub(&armed, 1) != 1)
        return;
    atomic_store(&first_at_lock, 1);
    uint64_t until = wall_ms() + 500u;
    while (!atomic_load(&second_done) && wall_ms() < until) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
}

struct opener {
    shmbox_t sb;
    int first;
    int rc;
};

static void *open_thread(void *arg)
{
    struct opener *o = arg;
    is_first = o->first;
    if (!o->first)
        while (!atomic_load(&first_at_lock)) {
            struct timespec ts = {0, 100000};
            nanosleep(&ts, NULL);
        }
    o->rc = shmbox_open(&o->sb, region, 600000);
    if (!o->first)
        atomic_store(&second_done, 1);
    return NULL;
}

START_TEST(concurrent_first_attaches_after_a_reset_keep_their_entries)
{
    region = shmbox_test_name("rst");
    static shmbox_t earlier; /* the run before the reset */
    memset(&earlier, 0, sizeof(earlier));
    ck_assert_int_eq(shmbox_create(&earlier, region), 0);
    sbx_fw_boot_retry(); /* "reset": the earlier run's entry stays in the region */

    struct opener a = {.first = 1}, b = {.first = 0};
    atomic_store(&armed, 2);
    pthread_t ta, tb;
    ck_assert_int_eq(pthread_create(&ta, NULL, open_thread, &a), 0);
    ck_assert_int_eq(pthread_create(&tb, NULL, open_thread, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    ck_assert_int_eq(a.rc, 0);
    ck_assert_int_eq(b.rc, 0);
    ck_assert_int_eq(atomic_load(&first_at_lock), 1);

    /* The earlier run's entry is gone; both threads' entries are there. */
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&a.sb, &st), 0);
    ck_assert_uint_eq(st.attached, 2);
    /* Both work: a message from one to the other. */
    ck_assert_int_eq(shmbox_send(&a.sb, 0, "x", 1, 1000), 0);
    char buf[8];
    ck_assert_int_eq(shmbox_recv(&b.sb, 0, buf, sizeof(buf), 1000), 1);
    ck_assert_int_eq(buf[0], 'x');
    ck_assert_int_eq(shmbox_close(&b.sb), 0);
    ck_assert_int_eq(shmbox_close(&a.sb), 0);
    (void)shmbox_unlink(region);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("static_reset");
    TCase *tc = tcase_create("reset");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, concurrent_first_attaches_after_a_reset_keep_their_entries);
    suite_add_tcase(s, tc);
    return shmbox_check_run(s, CK_FORK_GETENV);
}
