// SPDX-License-Identifier: MIT
/* Helpers of the crash tests: processes stopped at a hook and killed. */
#ifndef SHMBOX_CRASH_H
#define SHMBOX_CRASH_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <check.h>

#include <shmbox/shmbox.h>

#include "hooks.h"
#include "support.h"

/* Memory shared by a test and the processes it forks (MAP_SHARED). */
struct crash_shared {
    volatile int reached;        /* a child stopped at its hook point */
    volatile int ready;          /* a child is about to block */
    volatile uint32_t seen[4096]; /* per message id: times received */
    volatile uint32_t count;      /* messages received */
    volatile uint32_t value;      /* anything a child reports */
};
extern struct crash_shared *crash_sh;

/* Map crash_sh (zeroed). Call at the start of every test. */
/* Run suite @p s (Check, CK_NORMAL); EXIT_SUCCESS if no test failed. */
int crash_run(Suite *s);

void crash_setup(void);

/* In a child: stop forever at the (skip+1)-th time hook @p point runs,
 * after setting crash_sh->reached. */
void crash_arm(int point, int skip);

/* fork(); the child runs fn(arg) and exits with its return value. */
pid_t crash_spawn(int (*fn)(void *), void *arg);

/* Wait up to @p ms for *flag != 0: 0 when set, -1 on timeout. */
int crash_wait_flag(volatile int *flag, int ms);

/* SIGKILL @p pid and reap it. */
void crash_kill(pid_t pid);

/* Wait for @p pid to exit: its exit status, or -1 (killed/timeout). */
int crash_join(pid_t pid, int ms);

/* Sleep @p ms milliseconds. */
void crash_sleep_ms(int ms);

/* A message of the tests: id and a check word over it. */
struct crash_msg {
    uint32_t id;
    uint32_t check;
};
struct crash_msg crash_msg_make(uint32_t id);
int crash_msg_ok(const struct crash_msg *m);

/* Failure inside a forked child: report and exit 2 (the parent checks). */
#define CHILD_CHECK(cond)                                                             \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "%s:%d: child check failed: %s\n", __FILE__, __LINE__, #cond); \
            _exit(2);                                                                 \
        }                                                                             \
    } while (0)

#endif
