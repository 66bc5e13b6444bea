// SPDX-License-Identifier: MIT
/*
 * Initialisation races: many processes create-or-open one name at once
 * (one creator, the rest openers, nobody sees a half-built region), and a
 * creator that dies while initialising (the next open says -EBADMSG, never
 * waits for ever; the name must be unlinked before it can be created again).
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

#include "crash.h"

#define RACERS 8
#define ROUNDS 10

static char region[SHMBOX_NAME_MAX + 1];

static void setup(void)
{
    crash_setup();
    snprintf(region, sizeof(region), "%s", shmbox_test_name("init"));
}

static void teardown(void)
{
    shmbox_unlink(region);
}

/* crash_sh->seen[0]: creators, [1]: openers, [2]: failures, [3]: go */
static int racer(void *arg)
{
    (void)arg;
    while (crash_sh->seen[3] == 0) {
    }
    shmbox_t sb;
    int rc = shmbox_create(&sb, region);
    int created = rc == 0;
    if (rc == -EEXIST)
        rc = shmbox_open(&sb, region, 10000);
    if (rc != 0) {
        fprintf(stderr, "racer: %s (%s)\n", shmbox_strerror(rc), shmbox_error_detail(&sb));
        __atomic_fetch_add(&crash_sh->seen[2], 1u, __ATOMIC_SEQ_CST);
        return 1;
    }
    __atomic_fetch_add(&crash_sh->seen[created ? 0 : 1], 1u, __ATOMIC_SEQ_CST);
    /* Fully built: every pool and mailbox usable. */
    struct shmbox_stat st;
    CHILD_CHECK(shmbox_stat(&sb, &st) == 0 && st.pool_count == SHMBOX_POOL_COUNT);
    shmbox_slot_t s;
    CHILD_CHECK(shmbox_slot_alloc(&sb, 1, &s, 1000) == 0);
    CHILD_CHECK(shmbox_slot_free(&sb, s) == 0);
    CHILD_CHECK(shmbox_send(&sb, 0, "m", 1, 5000) == 0);
    CHILD_CHECK(shmbox_close(&sb) == 0);
    return 0;
}

START_TEST(create_or_open_race)
{
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < 4; i++)
            crash_sh->seen[i] = 0;
        pid_t p[RACERS];
        for (int i = 0; i < RACERS; i++)
            p[i] = crash_spawn(racer, NULL);
        crash_sleep_ms(20);
        crash_sh->seen[3] = 1;
        for (int i = 0; i < RACERS; i++)
            ck_assert_int_eq(crash_join(p[i], 30000), 0);
        ck_assert_uint_eq(crash_sh->seen[0], 1);
        ck_assert_uint_eq(crash_sh->seen[1], RACERS - 1);
        ck_assert_uint_eq(crash_sh->seen[2], 0);
        shmbox_t sb;
        ck_assert_int_eq(shmbox_open(&sb, region, 1000), 0);
        struct shmbox_stat st;
        ck_assert_int_eq(shmbox_stat(&sb, &st), 0);
        ck_assert_uint_eq(st.mbox[0].count, RACERS);
        ck_assert_uint_eq(st.attached, 1);
        shmbox_close(&sb);
        ck_assert_int_eq(shmbox_unlink(region), 0);
    }
}
END_TEST

static int creator(void *arg)
{
    (void)arg;
    crash_arm(SHMBOX_HOOK_CREATE_INIT, 0);
    shmbox_t sb;
    CHILD_CHECK(shmbox_create(&sb, region) == 0);
    return 0;
}

START_TEST(creator_killed_mid_init)
{
    pid_t c = crash_spawn(creator, NULL);
    ck_assert_int_eq(crash_wait_flag(&crash_sh->reached, 20000), 0);
    shmbox_t sb;
    /* Alive but not finished: openers wait, bounded by their timeout. */
    ck_assert_int_eq(shmbox_open(&sb, region, 200), -ETIMEDOUT);
    crash_kill(c);
    uint64_t t0 = shmbox_test_now_ms();
    ck_assert_int_eq(shmbox_open(&sb, region, SHMBOX_FOREVER), -EBADMSG);
    ck_assert_uint_lt(shmbox_test_now_ms() - t0, 2000);
    ck_assert_ptr_nonnull(strstr(shmbox_error_detail(&sb), "died while initialising"));
    /* The documented way out: unlink, then create again. */
    ck_assert_int_eq(shmbox_create(&sb, region), -EEXIST);
    ck_assert_int_eq(shmbox_unlink(region), 0);
    ck_assert_int_eq(shmbox_create(&sb, region), 0);
    shmbox_close(&sb);
}
END_TEST

static void slow_hook(int point)
{
    if (point == SHMBOX_HOOK_CREATE_INIT) {
        crash_sh->reached = 1;
        crash_sleep_ms(400);
    }
}

static int slow_creator(void *arg)
{
    (void)arg;
    shmbox_test_hook = slow_hook;
    shmbox_t sb;
    CHILD_CHECK(shmbox_create(&sb, region) == 0);
    while (!crash_sh->ready)
        crash_sleep_ms(1);
    CHILD_CHECK(shmbox_close(&sb) == 0);
    return 0;
}

START_TEST(opener_waits_for_slow_creator)
{
    pid_t c = crash_spawn(slow_creator, NULL);
    ck_assert_int_eq(crash_wait_flag(&crash_sh->reached, 20000), 0);
    shmbox_t sb;
    uint64_t t0 = shmbox_test_now_ms();
    ck_assert_int_eq(shmbox_open(&sb, region, SHMBOX_FOREVER), 0);
    ck_assert_uint_ge(shmbox_test_now_ms() - t0, 100);
    ck_assert_int_eq(shmbox_send(&sb, 1, "x", 1, 1000), 0);
    crash_sh->ready = 1;
    ck_assert_int_eq(crash_join(c, 10000), 0);
    shmbox_close(&sb);
}
END_TEST

#ifdef CONFIG_SHMBOX_PORT_POSIX
/* What a creator killed between shm_open() and sizing leaves behind: an
 * empty object. And one killed before writing its identity: zeros. The
 * wait for a creator that may still come is counted from the object's
 * own change time, not from each opener's first look: once the object is
 * old, every open says -EBADMSG at once, whatever its timeout. */
START_TEST(creator_killed_before_init)
{
    char path[64];
    snprintf(path, sizeof(path), "/shmbox.%s", region);
    int fd = shm_open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
    ck_assert_int_ge(fd, 0);
    uint64_t made = shmbox_test_now_ms();
    shmbox_t sb;
    ck_assert_int_eq(shmbox_open(&sb, region, 300), -ETIMEDOUT); /* a creator may still size it */
    ck_assert_int_eq(shmbox_open(&sb, region, SHMBOX_FOREVER), -EBADMSG);
    uint64_t took = shmbox_test_now_ms() - made;
    ck_assert_uint_ge(took, 2500);
    ck_assert_uint_lt(took, 10000);
    ck_assert_ptr_nonnull(strstr(shmbox_error_detail(&sb), "too small"));
    for (int32_t t = 0; t <= 1000; t += 500) { /* old now: at once, any timeout */
        uint64_t t0 = shmbox_test_now_ms();
        ck_assert_int_eq(shmbox_open(&sb, region, t), -EBADMSG);
        ck_assert_int_eq(shmbox_open_or_create(&sb, region, t), -EBADMSG);
        ck_assert_uint_lt(shmbox_test_now_ms() - t0, 200);
    }
    /* Sized, all zeros, no creator's lock: never initialised, at once. */
    ck_assert_int_eq(ftruncate(fd, 1 << 20), 0);
    close(fd);
    for (int32_t t = 0; t <= 1000; t += 500) {
        uint64_t t0 = shmbox_test_now_ms();
        ck_assert_int_eq(shmbox_open(&sb, region, t), -EBADMSG);
        ck_assert_uint_lt(shmbox_test_now_ms() - t0, 200);
        ck_assert_ptr_nonnull(strstr(shmbox_error_detail(&sb), "never initialised"));
    }
    ck_assert_int_eq(shmbox_open(&sb, region, SHMBOX_FOREVER), -EBADMSG);
}
END_TEST
#endif

#ifdef CONFIG_SHMBOX_PORT_SYSV
/* A creator that made the segment and died before writing anything: the
 * kernel's record of the segment's creator says it is gone, so the
 * zeroed segment is never initialised, at once, whatever the timeout. */
static int segment_maker(void *arg)
{
    (void)arg;
    struct shmbox_locator loc;
    CHILD_CHECK(shmbox_region_locator(region, &loc) == 0);
    CHILD_CHECK(shmget((key_t)loc.sysv_key, 1 << 20, IPC_CREAT | IPC_EXCL | 0600) >= 0);
    return 0;
}

START_TEST(creator_killed_before_init)
{
    pid_t c = crash_spawn(segment_maker, NULL);
    ck_assert_int_eq(crash_join(c, 10000), 0); /* gone, and reaped */
    shmbox_t sb;
    for (int32_t t = 0; t <= 1000; t += 500) {
        uint64_t t0 = shmbox_test_now_ms();
        ck_assert_int_eq(shmbox_open(&sb, region, t), -EBADMSG);
        ck_assert_uint_lt(shmbox_test_now_ms() - t0, 200);
        ck_assert_ptr_nonnull(strstr(shmbox_error_detail(&sb), "never initialised"));
    }
}
END_TEST
#endif

static Suite *suite(void)
{
    Suite *s = suite_create("crash_init");
    TCase *t = tcase_create("init");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 100);
    tcase_add_test(t, create_or_open_race);
    tcase_add_test(t, creator_killed_mid_init);
    tcase_add_test(t, opener_waits_for_slow_creator);
#if defined(CONFIG_SHMBOX_PORT_POSIX) || defined(CONFIG_SHMBOX_PORT_SYSV)
    tcase_add_test(t, creator_killed_before_init);
#endif
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return crash_run(suite());
}
