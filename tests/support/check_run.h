// SPDX-License-Identifier: MIT
/* Running one Check suite: the main() of a test program that has one. */
#ifndef SHMBOX_CHECK_RUN_H
#define SHMBOX_CHECK_RUN_H

#include <check.h>

/* Run every test of @p s (each in a child process with CK_FORK, in this
 * one with CK_NOFORK); the exit status: 0 if all passed. */
static inline int shmbox_check_run(Suite *s, enum fork_status fork)
{
    SRunner *r = srunner_create(s);
    srunner_set_fork_status(r, fork);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed == 0 ? 0 : 1;
}

#endif /* SHMBOX_CHECK_RUN_H */
