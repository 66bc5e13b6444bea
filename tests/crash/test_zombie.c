// SPDX-License-Identifier: MIT
/*
 * A lock owner that died and is not reaped yet (a zombie: its parent has
 * not waited for it) is dead as an owner: the kernel says ESRCH for it,
 * while kill(pid, 0) still finds it. The next locker repairs, within its
 * timeout, even when it is that very parent (which reaps only later).
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <shmbox/owner.h>
#include <shmbox/port.h>

#include "access.h"
#include "crash.h"

static char region[SHMBOX_NAME_MAX + 1];
static shmbox_t sb;

static void setup(void)
{
    crash_setup();
    snprintf(region, sizeof(region), "%s", shmbox_test_name("zomb"));
    ck_assert_int_eq(shmbox_create(&sb, region), 0);
}

static void teardown(void)
{
    if (sb.open_magic != 0)
        shmbox_close(&sb);
    shmbox_unlink(region);
}

/* Open, then stop inside the send's critical section (mailbox 0's lock held). */
static int hold_mailbox_lock(void *arg)
{
    (void)arg;
    shmbox_t c;
    if (shmbox_open(&c, region, 2000) != 0)
        return 1;
    crash_arm(SHMBOX_HOOK_LOCKED, 0);
    (void)shmbox_send(&c, 0, "z", 1, 2000);
    return 2; /* not reached */
}

START_TEST(unreaped_dead_owner_is_repaired)
{
    pid_t child = crash_spawn(hold_mailbox_lock, NULL);
    ck_assert_int_eq(crash_wait_flag(&crash_sh->reached, 5000), 0);
    uint32_t owner = atomic_load(&sbx_mbox_of(&sb, 0)->lock.word) & SHMBOX_LOCK_TID_MASK;
    ck_assert_uint_eq(owner, (uint32_t)child);
    ck_assert_int_eq(kill(child, SIGKILL), 0);
    siginfo_t si;
    memset(&si, 0, sizeof(si));
    ck_assert_int_eq(waitid(P_PID, (id_t)child, &si, WEXITED | WNOWAIT), 0); /* dead, not reaped */
    ck_assert_int_eq(kill(child, 0), 0);                                     /* a zombie: still "there" */

    uint32_t before = atomic_load(&sbx_hdr_of(&sb)->recoveries);
    ck_assert_int_eq(shmbox_send(&sb, 0, "a", 1, 2000), 0);
    ck_assert_uint_eq(atomic_load(&sbx_hdr_of(&sb)->recoveries), before + 1u);
    char b[8];
    ck_assert_int_eq(shmbox_recv(&sb, 0, b, sizeof(b), 1000), 1);
    ck_assert_int_eq(b[0], 'a');
    int status;
    ck_assert_int_eq(waitpid(child, &status, 0), child);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("zombie");
    TCase *tc = tcase_create("zombie");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, unreaped_dead_owner_is_repaired);
    suite_add_tcase(s, tc);
    return crash_run(s);
}
