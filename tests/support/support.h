// SPDX-License-Identifier: MIT
/* Helpers shared by shmbox's tests. */
#ifndef SHMBOX_TEST_SUPPORT_H
#define SHMBOX_TEST_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include <shmbox/shmbox.h>

/* A region name unique to this process and call: "t-<tag>-<pid>-<n>". */
const char *shmbox_test_name(const char *tag);

/* Monotonic milliseconds. */
uint64_t shmbox_test_now_ms(void);

#endif
