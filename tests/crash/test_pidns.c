// SPDX-License-Identifier: MIT
/*
 * PID namespaces (containers that share /dev/shm or an IPC namespace but
 * not a PID namespace): a region made in one namespace is refused in
 * another with -EXDEV (liveness and lock owners are pid numbers, which
 * mean nothing there), both ways; and inside a namespace whose /proc is
 * not its own (no /proc mounted for it), a live process is never taken
 * for dead. Needs root (CAP_SYS_ADMIN) for unshare(CLONE_NEWPID).
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crash.h"

static char region[SHMBOX_NAME_MAX + 1];
static char inner[SHMBOX_NAME_MAX + 1];
static shmbox_t sb;

/* crash_sh->seen[]: */
#define RESULT 0u   /* what the inner process saw (errno, positive) + 1 */
#define MADE 1u     /* the inner process created `inner` */
#define DONE 2u     /* the outer process is done with `inner` */
#define HOLDING 3u  /* the inner child holds a slot */

static void setup(void)
{
    crash_setup();
    snprintf(region, sizeof(region), "%s", shmbox_test_name("pidns"));
    snprintf(inner, sizeof(inner), "%s", shmbox_test_name("pidns-in"));
    ck_assert_int_eq(shmbox_create(&sb, region), 0);
}

static void teardown(void)
{
    if (sb.open_magic != 0)
        shmbox_close(&sb);
    shmbox_unlink(region);
    shmbox_unlink(inner);
}

/* Run @p fn as pid 1 of a new PID namespace; its exit code, or -1. */
static int in_new_pidns(int (*fn)(void *))
{
    if (unshare(CLONE_NEWPID) != 0) {
        fprintf(stderr, "unshare(CLONE_NEWPID): %s: this test needs root (CAP_SYS_ADMIN)\n", strerror(errno));
        return 90;
    }
    pid_t g = crash_spawn(fn, NULL);
    if (g < 0)
        return 91;
    return crash_join(g, 60000);
}

static int (*ns_fn)(void *);

static int start_in_new_pidns(void *arg)
{
    (void)arg;
    return in_new_pidns(ns_fn);
}

/* Run @p fn in a new PID namespace, from a child (this process keeps its
 * own namespace for what follows). */
static pid_t spawn_in_new_pidns(int (*fn)(void *))
{
    ns_fn = fn;
    return crash_spawn(start_in_new_pidns, NULL);
}

static int open_outer(void *arg)
{
    (void)arg;
    CHILD_CHECK(getpid() == 1);
    shmbox_t c;
    int rc = shmbox_open(&c, region, 2000);
    crash_sh->seen[RESULT] = (uint32_t)(-rc) + 1u;
    if (rc == 0)
        shmbox_close(&c);
    else
        fprintf(stderr, "inner open: %s (%s)\n", shmbox_strerror(rc), shmbox_error_detail(&c));
    return 0;
}

START_TEST(open_from_another_namespace_is_refused)
{
    pid_t p = spawn_in_new_pidns(open_outer);
    ck_assert_int_eq(crash_join(p, 60000), 0);
    ck_assert_uint_eq(crash_sh->seen[RESULT], (uint32_t)EXDEV + 1u);
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&sb, &st), 0);
    ck_assert_uint_eq(st.attached, 1); /* nobody else attached */
}
END_TEST

static int create_inner(void *arg)
{
    (void)arg;
    shmbox_t c;
    CHILD_CHECK(shmbox_create(&c, inner) == 0);
    crash_sh->seen[MADE] = 1;
    while (crash_sh->seen[DONE] == 0)
        crash_sleep_ms(1);
    CHILD_CHECK(shmbox_close(&c) == 0);
    return 0;
}

START_TEST(region_of_another_namespace_is_refused)
{
    pid_t p = spawn_in_new_pidns(create_inner);
    for (int i = 0; i < 30000 && crash_sh->seen[MADE] == 0; i++)
        crash_sleep_ms(1);
    ck_assert_uint_eq(crash_sh->seen[MADE], 1);
    shmbox_t c;
    int rc = shmbox_open(&c, inner, 2000);
    crash_sh->seen[DONE] = 1;
    ck_assert_msg(rc == -EXDEV, "open: %s (%s)", shmbox_strerror(rc), shmbox_error_detail(&c));
    ck_assert_ptr_nonnull(strstr(shmbox_error_detail(&c), "PID namespace"));
    ck_assert_int_eq(crash_join(p, 60000), 0);
}
END_TEST

static int hold_slot(void *arg)
{
    (void)arg;
    shmbox_t c;
    shmbox_slot_t s;
    CHILD_CHECK(shmbox_open(&c, inner, 5000) == 0);
    CHILD_CHECK(shmbox_slot_alloc(&c, 1, &s, SHMBOX_NO_WAIT) == 0);
    crash_sh->seen[HOLDING] = 1;
    for (;;)
        pause();
}

/* pid 1 of a namespace that sees the outer /proc: its pids name other
 * processes there. A live process must still count as alive. */
static int reclaim_inside(void *arg)
{
    (void)arg;
    shmbox_t c;
    CHILD_CHECK(shmbox_create(&c, inner) == 0);
    pid_t h = crash_spawn(hold_slot, NULL);
    for (int i = 0; i < 30000 && crash_sh->seen[HOLDING] == 0; i++)
        crash_sleep_ms(1);
    CHILD_CHECK(crash_sh->seen[HOLDING] == 1);
    struct shmbox_stat st;
    CHILD_CHECK(shmbox_reclaim(&c) == 0); /* the holder lives */
    CHILD_CHECK(shmbox_stat(&c, &st) == 0 && st.pool[0].used == 1 && st.attached == 2);
    crash_kill(h);
    CHILD_CHECK(shmbox_reclaim(&c) == 1); /* now it is dead */
    CHILD_CHECK(shmbox_stat(&c, &st) == 0 && st.pool[0].used == 0 && st.attached == 1);
    CHILD_CHECK(shmbox_close(&c) == 0);
    return 0;
}

START_TEST(liveness_without_a_proc_of_its_own)
{
    pid_t p = spawn_in_new_pidns(reclaim_inside);
    ck_assert_int_eq(crash_join(p, 60000), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pidns");
    TCase *tc = tcase_create("pidns");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, open_from_another_namespace_is_refused);
    tcase_add_test(tc, region_of_another_namespace_is_refused);
    tcase_add_test(tc, liveness_without_a_proc_of_its_own);
    suite_add_tcase(s, tc);
    return crash_run(s);
}
