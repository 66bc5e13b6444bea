// SPDX-License-Identifier: MIT
/*
 * Helpers of the multi-process tests: real fork()ed processes on a real
 * region. A fixture kills and reaps the children and removes the regions
 * a test made, even when it fails (the runner does not fork, so a failed
 * assertion comes back to it and the teardown runs).
 *
 * Children never use Check: they return an exit code (0 = success, else
 * an MP_E* value) and report details through pipes.
 */
#ifndef SHMBOX_MP_H
#define SHMBOX_MP_H

#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <sys/types.h>

#include <shmbox/shmbox.h>

#include "support.h"

/* Child exit codes. */
#define MP_OK 0
#define MP_EOPEN 10   /* shmbox_open failed */
#define MP_ECALL 11   /* a shmbox call failed */
#define MP_EDATA 12   /* wrong data */
#define MP_EORDER 13  /* wrong order */
#define MP_EPIPE 14   /* pipe i/o failed */

/* Timeout of blocking calls in children: generous (qemu, loaded machine),
 * but bounded so a bug fails the test instead of hanging it. */
#define MP_CALL_MS 30000

extern shmbox_t mp_sb; /* the parent's handle, closed by the teardown */

const char *mp_name(const char *tag);     /* unique name, removed by the teardown */
const char *mp_create(const char *tag);   /* mp_name + shmbox_create(&mp_sb), asserted */

/* Run fn(arg) in a new process that dies with the test; returns its pid. */
pid_t mp_spawn(int (*fn)(void *), void *arg);
/* Wait up to timeout_ms for a child: its exit code, or -1 if it was
 * killed by a signal, -2 if it did not end in time (it is then killed). */
int mp_wait(pid_t pid, int timeout_ms);
/* Nonzero while the child is running (not reaped). */
int mp_running(pid_t pid);

/* Whole reads and writes on pipes; 0 or -1. */
int mp_write(int fd, const void *buf, size_t len);
int mp_read(int fd, void *buf, size_t len);

void mp_setup(void);
void mp_teardown(void);
TCase *mp_tcase(const char *name);
int mp_run(Suite *s);

uint64_t mp_now_ms(void);
void mp_sleep_ms(unsigned ms);

#define MP_RC(expr, want)                                                                           \
    do {                                                                                            \
        int mp_rc_ = (int)(expr);                                                                   \
        int mp_want_ = (int)(want);                                                                 \
        ck_assert_msg(mp_rc_ == mp_want_, "%s: got %d (%s), want %d (%s)", #expr, mp_rc_,           \
                      shmbox_strerror(mp_rc_), mp_want_, shmbox_strerror(mp_want_));               \
    } while (0)

#define MP_CHILD_OK(pid, timeout_ms)                                                                \
    do {                                                                                            \
        int mp_st_ = mp_wait((pid), (timeout_ms));                                                  \
        ck_assert_msg(mp_st_ == MP_OK, "child %ld ended with %d (-1 signal, -2 timeout)",           \
                      (long)(pid), mp_st_);                                                         \
    } while (0)

#endif
