// SPDX-License-Identifier: MIT
/*
 * A lock wait is timed on the monotonic clock: a step of the wall clock
 * (CLOCK_REALTIME) neither ends it early nor stretches it. The step is
 * simulated by this program's own clock_gettime(), which the library
 * linked into it calls: it reads the wall clock an hour behind, as if the
 * system clock had just been stepped forward by an hour.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "crash.h"
#include "lock.h"

static volatile int wall_clock_behind;

int clock_gettime(clockid_t clk, struct timespec *ts)
{
    long r = syscall(SYS_clock_gettime, clk, ts);
    if (r != 0)
        return -1;
    if (clk == CLOCK_REALTIME && wall_clock_behind)
        ts->tv_sec -= 3600;
    return 0;
}

struct shared_lock {
    struct shmbox_lock lock;
    struct shmbox_hdr hdr; /* recoveries, and a process table with no firmware */
};
static struct shared_lock *sl;
static shmbox_t view; /* a handle on sl->hdr (set up with sl) */

static int holder(void *arg)
{
    (void)arg;
    struct sbx_deadline never = sbx_deadline_never();
    CHILD_CHECK(sbx_lock_acquire(&sl->lock, &view, &never) == 0);
    crash_sh->ready = 1;
    crash_sleep_ms(3000);
    sbx_lock_release(&sl->lock);
    return 0;
}

START_TEST(lock_wait_survives_a_wall_clock_step)
{
    crash_setup();
    sl = mmap(NULL, sizeof(*sl), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    view.base = (unsigned char *)&sl->hdr;
    ck_assert_ptr_ne(sl, MAP_FAILED);
    memset(sl, 0, sizeof(*sl));
    pid_t h = crash_spawn(holder, NULL);
    ck_assert_int_eq(crash_wait_flag(&crash_sh->ready, 10000), 0);
    wall_clock_behind = 1;
    uint64_t t0 = shmbox_port_now_ns();
    struct sbx_deadline d = sbx_deadline_at(t0 + 500000000u);
    int rc = sbx_lock_acquire(&sl->lock, &view, &d);
    uint64_t took_ms = (shmbox_port_now_ns() - t0) / 1000000u;
    wall_clock_behind = 0;
    ck_assert_int_eq(rc, -ETIMEDOUT);
    ck_assert_msg(took_ms >= 450u, "the wait ended after %u ms of 500", (unsigned)took_ms);
    ck_assert_msg(took_ms < 2500u, "the wait took %u ms of 500", (unsigned)took_ms);
    ck_assert_int_eq(crash_join(h, 10000), 0);
    /* And once free, taken at once. */
    d = sbx_deadline_at(shmbox_port_now_ns() + 500000000u);
    ck_assert_int_eq(sbx_lock_acquire(&sl->lock, &view, &d), 0);
    sbx_lock_release(&sl->lock);
    munmap(sl, sizeof(*sl));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("clock");
    TCase *tc = tcase_create("clock");
    tcase_add_test(tc, lock_wait_survives_a_wall_clock_step);
    suite_add_tcase(s, tc);
    return crash_run(s);
}
