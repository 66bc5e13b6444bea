// SPDX-License-Identifier: MIT
/*
 * A handle belongs to the process that opened it: a forked child that
 * closes the copy it inherited only unmaps it (the parent's attachment and
 * slots stay), every other call on that copy fails with -ECHILD (nothing
 * a child did through it could be reclaimed after its death), and a
 * child's own handle works beside its parent's.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <shmbox/shmbox.h>

#include "mp.h"
#include "support.h"

static char region[SHMBOX_NAME_MAX + 1];
static shmbox_t sb;

static void setup(void)
{
    snprintf(region, sizeof(region), "%s", shmbox_test_name("fork"));
    ck_assert_int_eq(shmbox_create(&sb, region), 0);
}

static void teardown(void)
{
    if (sb.open_magic != 0)
        shmbox_close(&sb);
    shmbox_unlink(region);
}

static int wait_child(pid_t pid)
{
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

START_TEST(child_close_of_inherited_handle_only_unmaps)
{
    shmbox_slot_t s;
    ck_assert_int_eq(shmbox_slot_alloc(&sb, 1, &s, SHMBOX_NO_WAIT), 0);
    memset(shmbox_slot_ptr(&sb, s), 0x3c, 16);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0)
        _exit(shmbox_close(&sb) == 0 ? 0 : 1);
    ck_assert_int_eq(wait_child(pid), 0);
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&sb, &st), 0);
    ck_assert_uint_eq(st.attached, 1);  /* still attached */
    ck_assert_uint_eq(st.pool[0].used, 1); /* the slot is still ours */
    ck_assert_int_eq(shmbox_reclaim(&sb), 0);
    unsigned char *p = shmbox_slot_ptr(&sb, s);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(p[15], 0x3c);
    ck_assert_int_eq(shmbox_slot_free(&sb, s), 0);
}
END_TEST

/* Every call on the inherited copy, in the child: its result code + 1000
 * on the first that is not refused, else 0. */
static int use_inherited(shmbox_slot_t parents)
{
    shmbox_slot_t s = SHMBOX_SLOT_NONE;
    char buf[8];
    size_t len;
    struct shmbox_stat st;
    int rc;
    if ((rc = shmbox_slot_alloc(&sb, 1, &s, SHMBOX_NO_WAIT)) != -ECHILD)
        return 1000 + rc;
    if ((rc = shmbox_slot_free(&sb, parents)) != -ECHILD)
        return 1100 + rc;
    if (shmbox_slot_ptr(&sb, parents) != NULL || shmbox_slot_size(&sb, parents) != 0)
        return 1200;
    if ((rc = shmbox_send(&sb, 0, "x", 1, SHMBOX_NO_WAIT)) != -ECHILD)
        return 1300 + rc;
    if ((rc = shmbox_recv(&sb, 0, buf, sizeof(buf), SHMBOX_NO_WAIT)) != -ECHILD)
        return 1400 + rc;
    if ((rc = shmbox_send_slot(&sb, 0, parents, 1, SHMBOX_NO_WAIT)) != -ECHILD)
        return 1500 + rc;
    if ((rc = shmbox_recv_slot(&sb, 0, &s, &len, SHMBOX_NO_WAIT)) != -ECHILD)
        return 1600 + rc;
    if ((rc = shmbox_reclaim(&sb)) != -ECHILD)
        return 1700 + rc;
    if ((rc = shmbox_stat(&sb, &st)) != -ECHILD)
        return 1800 + rc;
    if ((rc = shmbox_slot_cache_flush(&sb)) != -ECHILD)
        return 1900 + rc;
    return shmbox_close(&sb) == 0 ? 0 : 2000;
}

START_TEST(calls_on_inherited_handle_are_refused)
{
    shmbox_slot_t s;
    ck_assert_int_eq(shmbox_slot_alloc(&sb, 1, &s, SHMBOX_NO_WAIT), 0);
    ck_assert_int_eq(shmbox_send(&sb, 1, "q", 1, SHMBOX_NO_WAIT), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0)
        _exit(use_inherited(s) == 0 ? 0 : 1);
    ck_assert_int_eq(wait_child(pid), 0);
    /* The parent's handle, slot and message are untouched. */
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&sb, &st), 0);
    ck_assert_uint_eq(st.attached, 1);
    ck_assert_uint_eq(st.pool[0].used, 1);
    ck_assert_uint_eq(st.mbox[1].count, 1);
    ck_assert_ptr_nonnull(shmbox_slot_ptr(&sb, s));
    ck_assert_int_eq(shmbox_slot_free(&sb, s), 0);
    char b[4];
    ck_assert_int_eq(shmbox_recv(&sb, 1, b, sizeof(b), SHMBOX_NO_WAIT), 1);
}
END_TEST

START_TEST(child_opens_its_own)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        shmbox_t c;
        shmbox_slot_t s;
        int ok = shmbox_open(&c, region, 1000) == 0 && shmbox_slot_alloc(&c, 1, &s, SHMBOX_NO_WAIT) == 0 &&
                 shmbox_send_slot(&c, 0, s, 1, SHMBOX_NO_WAIT) == 0 && shmbox_close(&c) == 0;
        _exit(ok ? 0 : 1);
    }
    ck_assert_int_eq(wait_child(pid), 0);
    shmbox_slot_t got;
    ck_assert_int_eq(shmbox_recv_slot(&sb, 0, &got, NULL, 1000), 0);
    ck_assert_int_eq(shmbox_slot_free(&sb, got), 0);
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&sb, &st), 0);
    ck_assert_uint_eq(st.attached, 1);
    ck_assert_uint_eq(st.pool[0].used, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fork");
    TCase *tc = tcase_create("fork");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, child_close_of_inherited_handle_only_unmaps);
    tcase_add_test(tc, calls_on_inherited_handle_are_refused);
    tcase_add_test(tc, child_opens_its_own);
    suite_add_tcase(s, tc);
    return mp_run(s);
}
