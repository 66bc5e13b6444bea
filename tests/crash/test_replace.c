// SPDX-License-Identifier: MIT
/*
 * Replacing a stale region (shmbox_open_or_create) is crash-safe: a
 * replacer killed half-way through a pool's reset leaves a region that the
 * next process, opening it plainly or replacing it, finds whole (every
 * slot of every pool allocatable, every mailbox usable).
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crash.h"

static char region[SHMBOX_NAME_MAX + 1];

static void setup(void)
{
    crash_setup();
    snprintf(region, sizeof(region), "%s", shmbox_test_name("replace"));
}

static void teardown(void)
{
    shmbox_unlink(region);
}

/* Creates the region, fills pool 0 and mailbox 0, dies holding it all. */
static int user(void *arg)
{
    (void)arg;
    shmbox_t c;
    CHILD_CHECK(shmbox_open_or_create(&c, region, 5000) == 1);
    shmbox_slot_t s;
    while (shmbox_slot_alloc(&c, 1, &s, SHMBOX_NO_WAIT) == 0) {
    }
    while (shmbox_send(&c, 0, "m", 1, SHMBOX_NO_WAIT) == 0) {
    }
    crash_sh->ready = 1;
    for (;;)
        pause();
}

/* Replaces the stale region; stops half-way through resetting pool 0. */
static int replacer(void *arg)
{
    (void)arg;
    shmbox_t c;
    crash_arm(SHMBOX_HOOK_POOL_RESETTING, 0);
    (void)shmbox_open_or_create(&c, region, 5000);
    return 3; /* not reached: stopped at the hook */
}

/* Every slot of every pool comes out once, then goes back. */
static void check_whole(shmbox_t *c)
{
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(c, &st), 0);
    for (unsigned p = 0; p < st.pool_count; p++) {
        static shmbox_slot_t got[1u << 16];
        uint32_t n = st.pool[p].slot_count;
        ck_assert_uint_le(n, 1u << 16);
        for (uint32_t i = 0; i < n; i++)
            ck_assert_msg(shmbox_slot_alloc(c, st.pool[p].slot_size, &got[i], SHMBOX_NO_WAIT) == 0,
                          "pool %u: only %u of %u slots", p, (unsigned)i, (unsigned)n);
        for (uint32_t i = 0; i < n; i++)
            ck_assert_int_eq(shmbox_slot_free(c, got[i]), 0);
    }
    ck_assert_int_eq(shmbox_send(c, 0, "n", 1, SHMBOX_NO_WAIT), 0);
    char b[8];
    ck_assert_int_eq(shmbox_recv(c, 0, b, sizeof(b), SHMBOX_NO_WAIT), 1);
}

static void stale_then_half_replaced(void)
{
    pid_t u = crash_spawn(user, NULL);
    ck_assert_int_eq(crash_wait_flag(&crash_sh->ready, 10000), 0);
    crash_kill(u);
    pid_t r = crash_spawn(replacer, NULL);
    ck_assert_int_eq(crash_wait_flag(&crash_sh->reached, 10000), 0);
    crash_kill(r);
}

START_TEST(plain_open_after_a_half_replacement)
{
    stale_then_half_replaced();
    shmbox_t c;
    int rc = shmbox_open(&c, region, 5000);
    ck_assert_msg(rc == 0, "open: %s (%s)", shmbox_strerror(rc), shmbox_error_detail(&c));
    ck_assert_int_ge(shmbox_reclaim(&c), 0); /* the dead user's slots not reset yet */
    check_whole(&c);
    ck_assert_int_eq(shmbox_close(&c), 0);
}
END_TEST

START_TEST(replace_again_after_a_half_replacement)
{
    stale_then_half_replaced();
    shmbox_t c;
    ck_assert_int_eq(shmbox_open_or_create(&c, region, 5000), 1);
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&c, &st), 0);
    ck_assert_uint_eq(st.pool[0].used, 0);
    ck_assert_uint_eq(st.mbox[0].count, 0);
    check_whole(&c);
    ck_assert_int_eq(shmbox_close(&c), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("replace");
    TCase *tc = tcase_create("replace");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, plain_open_after_a_half_replacement);
    tcase_add_test(tc, replace_again_after_a_half_replacement);
    suite_add_tcase(s, tc);
    return crash_run(s);
}
