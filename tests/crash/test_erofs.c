// SPDX-License-Identifier: MIT
/*
 * Errors the OS passes through the ports have a sentence of their own:
 * create on a read-only /dev/shm (run in a private mount namespace where
 * /dev/shm is bound read-only, see CMakeLists.txt) is -EROFS, and
 * shmbox_strerror() names it and every other errno a port can pass on.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crash.h"

START_TEST(create_on_read_only_shm)
{
    char region[SHMBOX_NAME_MAX + 1];
    snprintf(region, sizeof(region), "%s", shmbox_test_name("erofs"));
    shmbox_t sb;
    int rc = shmbox_create(&sb, region);
    ck_assert_msg(rc == -EROFS, "create: %d (%s)", rc, shmbox_strerror(rc));
    ck_assert_str_ne(shmbox_strerror(rc), shmbox_strerror(-99999));
}
END_TEST

/* What shm_open, fchmod, posix_fallocate, mmap, fstat, shmget, shmat and
 * shmctl may return, and the component's own codes. */
static const int codes[] = {
    EINVAL, EEXIST, ENOENT, ETIMEDOUT, EAGAIN, ENOMEM, EMSGSIZE, EALREADY, EPROTO, EBADMSG, ENOMSG,
    ENOSPC, EACCES, EPERM, EBUSY, EUSERS, EMFILE, ENFILE, EDEADLK, ENAMETOOLONG, ENOSYS, ECHILD,
    EXDEV, EROFS, EIO, EINTR, EFBIG, ENODEV, EOVERFLOW, EIDRM, ETXTBSY, EOPNOTSUPP, EBADF, ELOOP, EFAULT,
};

START_TEST(every_port_errno_has_a_sentence)
{
    const char *unknown = shmbox_strerror(-99999);
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        ck_assert_msg(strcmp(shmbox_strerror(-codes[i]), unknown) != 0, "errno %d has no sentence", codes[i]);
        for (size_t j = 0; j < i; j++)
            ck_assert_msg(strcmp(shmbox_strerror(-codes[i]), shmbox_strerror(-codes[j])) != 0,
                          "errno %d and %d share a sentence", codes[i], codes[j]);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("erofs");
    TCase *tc = tcase_create("erofs");
    tcase_add_test(tc, create_on_read_only_shm);
    tcase_add_test(tc, every_port_errno_has_a_sentence);
    suite_add_tcase(s, tc);
    return crash_run(s);
}
