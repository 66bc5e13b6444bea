// SPDX-License-Identifier: MIT
/* Helpers shared by shmbox's tests. */
#define _POSIX_C_SOURCE 200809L
#include "support.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

const char *shmbox_test_name(const char *tag)
{
    static char buf[SHMBOX_NAME_MAX + 1];
    static unsigned n;
    snprintf(buf, sizeof(buf), "t-%.8s-%ld-%u", tag, (long)getpid(), n++);
    return buf;
}

uint64_t shmbox_test_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}
