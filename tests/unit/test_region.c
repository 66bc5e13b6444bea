// SPDX-License-Identifier: MIT
/*
 * Region lifecycle: create, open, close, unlink, error_detail, names, and
 * every error the header lists for them that a single process can provoke
 * on any port. Header validation and the process table are in
 * region_header.c (same suite, through region_tcases.h).
 */
#include <stdio.h>
#include <string.h>

#include <shmbox/port.h>

#include "internals.h"
#include "region_tcases.h"
#include "unit.h"

/* ---- names -------------------------------------------------------------- */

static const char *const bad_names[] = {
    "",        ".",      "..",     "/x",     "a/b",   "x/",    "a b",  "a\tb", "a\nb", "na*me",
    "n?me",    "a:b",    "a\\b",   "\xc3\xa9", "caf\xc3\xa9", "a%b", "a+b",  "~a",   "a,b",  "(a)",
};

START_TEST(name_invalid_everywhere)
{
    for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
        const char *n = bad_names[i];
#if defined(CONFIG_SHMBOX_DEVICE)
        if (n[0] == '/')
            continue; /* a device locator: tests/ports/posix/test_device.c */
#endif
        ck_assert_msg(shmbox_create(&ut_sb[0], n) == -EINVAL, "create accepted \"%s\"", n);
        ck_assert_msg(shmbox_open(&ut_sb[0], n, SHMBOX_NO_WAIT) == -EINVAL, "open accepted \"%s\"", n);
        ck_assert_msg(shmbox_unlink(n) == -EINVAL, "unlink accepted \"%s\"", n);
    }
    UT_RC(shmbox_create(&ut_sb[0], NULL), -EINVAL);
    UT_RC(shmbox_open(&ut_sb[0], NULL, SHMBOX_NO_WAIT), -EINVAL);
    UT_RC(shmbox_unlink(NULL), -EINVAL);
}
END_TEST

/* A unique name of exactly @p len characters (len >= 16). */
static const char *name_of_len(size_t len)
{
    static char buf[64];
    const char *base = shmbox_test_name("len");
    snprintf(buf, sizeof(buf), "%s", base);
    size_t n = strlen(buf);
    ck_assert_uint_le(n, len);
    for (; n < len; n++)
        buf[n] = (char)('a' + n % 26u);
    buf[len] = '\0';
    return buf;
}

START_TEST(name_length_31_ok_32_rejected)
{
    char n31[64], n32[64];
    snprintf(n31, sizeof(n31), "%s", name_of_len(31));
    snprintf(n32, sizeof(n32), "%s", name_of_len(32));
    ck_assert_uint_eq(strlen(n31), 31);
    ck_assert_uint_eq(strlen(n32), 32);
    ut_track(n31);

    UT_RC(shmbox_create(&ut_sb[0], n32), -EINVAL);
    UT_RC(shmbox_open(&ut_sb[0], n32, SHMBOX_NO_WAIT), -EINVAL);
    UT_RC(shmbox_unlink(n32), -EINVAL);

    UT_RC(shmbox_create(&ut_sb[0], n31), 0);
    UT_RC(shmbox_open(&ut_sb[1], n31, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_close(&ut_sb[1]), 0);
    UT_RC(shmbox_close(&ut_sb[0]), 0);
    UT_RC(shmbox_unlink(n31), 0);
}
END_TEST

START_TEST(name_length_1_and_all_valid_chars)
{
    /* A one-character name cannot be unique per process: try characters
     * until one is free. Every one must be accepted (0 or -EEXIST). */
    static const char chars[] = "QZqz0123456789._-ABCDEFGHIJKLMNOPRSTUVWXYabcdefghijklmnoprstuvwxy";
    int created = 0;
    for (size_t i = 0; chars[i] != '\0' && !created; i++) {
        char n[2] = {chars[i], '\0'};
        int rc = shmbox_create(&ut_sb[0], n);
        ck_assert_msg(rc == 0 || rc == -EEXIST, "create(\"%s\"): %s", n, shmbox_strerror(rc));
        if (rc == 0) {
            ut_track(n);
            created = 1;
            UT_RC(shmbox_close(&ut_sb[0]), 0);
            UT_RC(shmbox_unlink(n), 0);
        }
    }
    ck_assert_msg(created, "no one-character name was free");

    /* Every allowed character, dots included (only "." and ".." are out). */
    char n[SHMBOX_NAME_MAX + 1];
    snprintf(n, sizeof(n), "%.12s.-_..AZaz09", shmbox_test_name("chr"));
    ut_track(n);
    UT_RC(shmbox_create(&ut_sb[0], n), 0);
    UT_RC(shmbox_close(&ut_sb[0]), 0);
    UT_RC(shmbox_unlink(n), 0);
}
END_TEST

/* ---- create / open / close / unlink --------------------------------------- */

START_TEST(create_open_close_unlink)
{
    const char *name = ut_create(&ut_sb[0], "life");
    ck_assert_str_eq(shmbox_error_detail(&ut_sb[0]), "");
    UT_RC(shmbox_open(&ut_sb[1], name, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_open(&ut_sb[2], name, 1000), 0);
    UT_RC(shmbox_open(&ut_sb[3], name, SHMBOX_FOREVER), 0);
    ck_assert_str_eq(shmbox_error_detail(&ut_sb[1]), "");

    /* Every handle sees the same region. */
    UT_RC(shmbox_send(&ut_sb[1], 0, "hello", 5, SHMBOX_NO_WAIT), 0);
    char buf[8];
    UT_RC(shmbox_recv(&ut_sb[3], 0, buf, sizeof(buf), SHMBOX_NO_WAIT), 5);
    ck_assert_mem_eq(buf, "hello", 5);

    for (unsigned i = 0; i < 4; i++)
        UT_RC(shmbox_close(&ut_sb[i]), 0);
    /* Closing does not remove the region. */
    UT_RC(shmbox_open(&ut_sb[0], name, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_close(&ut_sb[0]), 0);
    UT_RC(shmbox_unlink(name), 0);
    UT_RC(shmbox_open(&ut_sb[0], name, SHMBOX_NO_WAIT), -ENOENT);
    UT_RC(shmbox_unlink(name), -ENOENT);
}
END_TEST

START_TEST(create_exclusive_eexist)
{
    const char *name = ut_create(&ut_sb[0], "excl");
    UT_RC(shmbox_send(&ut_sb[0], 0, "x", 1, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_create(&ut_sb[1], name), -EEXIST);
    /* The failed create neither touched the region nor opened the handle. */
    UT_RC(shmbox_close(&ut_sb[1]), -EINVAL);
    UT_RC(shmbox_open(&ut_sb[1], name, SHMBOX_NO_WAIT), 0);
    char c = 0;
    UT_RC(shmbox_recv(&ut_sb[1], 0, &c, 1, SHMBOX_NO_WAIT), 1);
    ck_assert_int_eq(c, 'x');
}
END_TEST

/* The handle's storage is never read by create/open: garbage, even the
 * bytes of an open handle, is as good as zeros. */
START_TEST(garbage_handle_storage)
{
    const char *name = ut_create(&ut_sb[0], "busy");
    shmbox_t junk;
    memset(&junk, 0xa5, sizeof(junk));
    junk.open_magic = ut_sb[0].open_magic;
    UT_RC(shmbox_open(&junk, name, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_send(&junk, 0, "y", 1, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_close(&junk), 0);
    memcpy(&junk, &ut_sb[0], sizeof(junk)); /* a copy of an open handle */
    UT_RC(shmbox_open(&junk, name, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_close(&junk), 0);
    char c = 0;
    UT_RC(shmbox_recv(&ut_sb[0], 0, &c, 1, SHMBOX_NO_WAIT), 1);
    ck_assert_int_eq(c, 'y');
}
END_TEST

START_TEST(null_and_closed_handles)
{
    const char *name = ut_name("null");
    UT_RC(shmbox_create(NULL, name), -EINVAL);
    UT_RC(shmbox_open(NULL, name, SHMBOX_NO_WAIT), -EINVAL);
    UT_RC(shmbox_close(NULL), -EINVAL);
    UT_RC(shmbox_close(&ut_sb[0]), -EINVAL); /* zeroed, never opened */
    ck_assert_str_eq(shmbox_error_detail(NULL), "");
    ck_assert_str_eq(shmbox_error_detail(&ut_sb[0]), "");

    /* Garbage in a handle that was never opened is not "open". */
    memset(&ut_sb[1], 0xa5, sizeof(ut_sb[1]));
    UT_RC(shmbox_close(&ut_sb[1]), -EINVAL);
    ck_assert_str_eq(shmbox_error_detail(&ut_sb[1]), "");
    UT_RC(shmbox_create(&ut_sb[1], name), 0);

    UT_RC(shmbox_close(&ut_sb[1]), 0);
    UT_RC(shmbox_close(&ut_sb[1]), -EINVAL); /* twice */
    /* A closed handle may be reused. */
    UT_RC(shmbox_open(&ut_sb[1], name, SHMBOX_NO_WAIT), 0);
}
END_TEST

START_TEST(open_missing_and_bad_timeout)
{
    const char *name = ut_name("miss");
    UT_RC(shmbox_open(&ut_sb[0], name, SHMBOX_NO_WAIT), -ENOENT);
    UT_RC(shmbox_open(&ut_sb[0], name, 100), -ENOENT); /* still none after waiting 100 ms */
    UT_RC(shmbox_close(&ut_sb[0]), -EINVAL);
    ut_create(&ut_sb[1], "miss2");
    UT_RC(shmbox_open(&ut_sb[0], name, -2), -EINVAL);
    UT_RC(shmbox_open(&ut_sb[0], name, INT32_MIN), -EINVAL);
}
END_TEST

START_TEST(unlink_then_recreate)
{
    const char *name = ut_create(&ut_sb[0], "recr");
    UT_RC(shmbox_send(&ut_sb[0], 0, "old", 3, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_unlink(name), 0);
#if defined(CONFIG_SHMBOX_PORT_STATIC)
    /* One buffer, one region at a time: it is free again only when the
     * last handle of the unlinked region closes (README, "Ports"). */
    UT_RC(shmbox_create(&ut_sb[1], name), -ENOSPC);
    UT_RC(shmbox_open(&ut_sb[1], name, SHMBOX_NO_WAIT), -ENOENT);
    char old[4];
    UT_RC(shmbox_recv(&ut_sb[0], 0, old, sizeof(old), SHMBOX_NO_WAIT), 3);
    ck_assert_mem_eq(old, "old", 3);
    UT_RC(shmbox_close(&ut_sb[0]), 0);
    UT_RC(shmbox_create(&ut_sb[1], name), 0);
    UT_RC(shmbox_recv(&ut_sb[1], 0, old, sizeof(old), SHMBOX_NO_WAIT), -EAGAIN);
#else
    /* The old handle keeps working; the name is free for a new region. */
    UT_RC(shmbox_create(&ut_sb[1], name), 0);
    char buf[4];
    UT_RC(shmbox_recv(&ut_sb[1], 0, buf, sizeof(buf), SHMBOX_NO_WAIT), -EAGAIN);
    UT_RC(shmbox_recv(&ut_sb[0], 0, buf, sizeof(buf), SHMBOX_NO_WAIT), 3);
    ck_assert_mem_eq(buf, "old", 3);
#endif
}
END_TEST

int main(void)
{
    Suite *s = suite_create("region");
    TCase *tc = ut_tcase("names");
    tcase_add_test(tc, name_invalid_everywhere);
    tcase_add_test(tc, name_length_31_ok_32_rejected);
    tcase_add_test(tc, name_length_1_and_all_valid_chars);
    suite_add_tcase(s, tc);
    tc = ut_tcase("lifecycle");
    tcase_add_test(tc, create_open_close_unlink);
    tcase_add_test(tc, create_exclusive_eexist);
    tcase_add_test(tc, garbage_handle_storage);
    tcase_add_test(tc, null_and_closed_handles);
    tcase_add_test(tc, open_missing_and_bad_timeout);
    tcase_add_test(tc, unlink_then_recreate);
    suite_add_tcase(s, tc);
    suite_add_tcase(s, region_validation_tcase());
    suite_add_tcase(s, region_processes_tcase());
    return ut_run(s);
}
