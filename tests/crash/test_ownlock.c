// SPDX-License-Identifier: MIT
/*
 * Lock words that name the caller's own thread (left by a dead process
 * whose thread id was handed to us, or written by a hostile peer): the
 * lock is taken over as from a dead owner and the structure repaired;
 * never -EDEADLK, never a hang. But a call that re-enters its thread's own
 * critical section (as from a signal handler) gets -EDEADLK and takes
 * nothing over.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <shmbox/port.h>

#include "crash.h"
#include "access.h"

static char region[SHMBOX_NAME_MAX + 1];
static shmbox_t sb;

static void setup(void)
{
    crash_setup();
    snprintf(region, sizeof(region), "%s", shmbox_test_name("ownlk"));
    ck_assert_int_eq(shmbox_create(&sb, region), 0);
}

static void teardown(void)
{
    if (sb.open_magic != 0)
        shmbox_close(&sb);
    shmbox_unlink(region);
}

/* Write our own thread id into every lock word of the region. */
static void poison_locks(void)
{
    uint32_t me = shmbox_port_tid();
    atomic_store(&sbx_hdr_of(&sb)->proc_lock.word, me);
    for (unsigned p = 0; p < CONFIG_SHMBOX_POOL_COUNT; p++)
        atomic_store(&sbx_pool_of(&sb, p)->lock.word, me);
    for (unsigned m = 0; m < CONFIG_SHMBOX_MBOX_COUNT; m++) {
        atomic_store(&sbx_mbox_of(&sb, m)->lock.word, me);
        atomic_store(&sbx_mbox_of(&sb, m)->recv_lock.word, me);
    }
}

START_TEST(open_and_use_with_our_id_in_every_lock)
{
    poison_locks();
    shmbox_t c;
    int rc = shmbox_open(&c, region, 2000);
    ck_assert_msg(rc == 0, "open: %s (%s)", shmbox_strerror(rc), shmbox_error_detail(&c));
    shmbox_slot_t s;
    ck_assert_int_eq(shmbox_slot_alloc(&c, 1, &s, 1000), 0);
    ck_assert_int_eq(shmbox_slot_free(&c, s), 0);
    ck_assert_int_eq(shmbox_send(&c, 0, "x", 1, 1000), 0);
    char b[8];
    ck_assert_int_eq(shmbox_recv(&c, 0, b, sizeof(b), 1000), 1);
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&c, &st), 0);
    ck_assert_uint_ge(st.recoveries, 1);
    ck_assert_int_eq(shmbox_close(&c), 0);
}
END_TEST

/* The hook runs inside the critical section that just took a lock: a
 * shmbox call from there re-enters this thread's own lock. */
static shmbox_t *inner_sb;
static int inner_rc = 1;

static void reenter(int point)
{
    if (point != SHMBOX_HOOK_LOCKED || inner_rc != 1)
        return;
    shmbox_slot_t s;
    inner_rc = shmbox_slot_alloc(inner_sb, 1, &s, SHMBOX_NO_WAIT);
}

START_TEST(reentered_call_takes_nothing_over)
{
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&sb, &st), 0);
    uint32_t before = st.recoveries;
    shmbox_slot_t s;
    inner_sb = &sb;
    shmbox_test_hook = reenter;
    int rc = shmbox_slot_alloc(&sb, 1, &s, SHMBOX_NO_WAIT); /* takes the pool lock: the hook re-enters */
    shmbox_test_hook = NULL;
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(inner_rc, -EDEADLK);
    ck_assert_int_eq(shmbox_slot_free(&sb, s), 0);
    ck_assert_int_eq(shmbox_stat(&sb, &st), 0);
    ck_assert_uint_eq(st.recoveries, before); /* nothing taken over */
    ck_assert_uint_eq(st.pool[0].used, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ownlock");
    TCase *tc = tcase_create("ownlock");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, open_and_use_with_our_id_in_every_lock);
    tcase_add_test(tc, reentered_call_takes_nothing_over);
    suite_add_tcase(s, tc);
    return crash_run(s);
}
