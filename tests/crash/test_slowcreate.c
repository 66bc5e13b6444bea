// SPDX-License-Identifier: MIT
/*
 * A slow creator is not declared dead: a creator that takes longer than
 * the grace period to size its region (posix_fallocate of a large region)
 * is waited for while it lives, and an opener reports -EBADMSG only after
 * it died. The creator here is the port's create call, then a pause
 * longer than the grace period with the region still empty (what a slow
 * fallocate and layout look like to an opener), then death.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <shmbox/port.h>

#include "crash.h"
#include "layout.h"

#define CREATOR_MS 4500 /* longer than the 3 s grace period */

static char region[SHMBOX_NAME_MAX + 1];

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void setup(void)
{
    crash_setup();
    snprintf(region, sizeof(region), "%s", shmbox_test_name("slowc"));
}

static void teardown(void)
{
    shmbox_unlink(region);
}

static int slow_creator(void *arg)
{
    (void)arg;
    struct shmbox_port_map map;
    CHILD_CHECK(shmbox_port_region_create(region, SHMBOX_REGION_SIZE, 0600u, &map) == 0);
    crash_sh->ready = 1;
    crash_sleep_ms(CREATOR_MS);
    return 0; /* dies without initialising */
}

START_TEST(live_creator_is_waited_for)
{
    pid_t c = crash_spawn(slow_creator, NULL);
    ck_assert_int_eq(crash_wait_flag(&crash_sh->ready, 10000), 0);
    uint64_t t0 = now_ms();
    shmbox_t sb;
    int rc = shmbox_open(&sb, region, 30000);
    uint64_t took = now_ms() - t0;
    ck_assert_int_eq(crash_join(c, 30000), 0);
    ck_assert_msg(rc == -EBADMSG, "open: %s (%s)", shmbox_strerror(rc), shmbox_error_detail(&sb));
    /* Not before the creator died (it lived CREATOR_MS after ready). */
    ck_assert_msg(took >= CREATOR_MS - 200u, "declared dead after %u ms, while its creator lived %u ms",
                  (unsigned)took, (unsigned)CREATOR_MS);
    ck_assert_msg(took < 25000u, "open took %u ms", (unsigned)took);
}
END_TEST

START_TEST(live_creator_times_out_not_badmsg)
{
    pid_t c = crash_spawn(slow_creator, NULL);
    ck_assert_int_eq(crash_wait_flag(&crash_sh->ready, 10000), 0);
    shmbox_t sb;
    /* Within the creator's life: a timeout, not "corrupt". */
    int rc = shmbox_open(&sb, region, 3500);
    ck_assert_msg(rc == -ETIMEDOUT, "open: %s (%s)", shmbox_strerror(rc), shmbox_error_detail(&sb));
    ck_assert_int_eq(crash_join(c, 30000), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("slowcreate");
    TCase *tc = tcase_create("slowcreate");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, live_creator_is_waited_for);
    tcase_add_test(tc, live_creator_times_out_not_badmsg);
    suite_add_tcase(s, tc);
    return crash_run(s);
}
