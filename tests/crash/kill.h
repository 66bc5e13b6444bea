// SPDX-License-Identifier: MIT
/*
 * The kill tests (crash_kill) are built from several files, one concern
 * each, sharing one TCase "kill" and its fixture (test_kill.c): the
 * processes that are stopped and killed (kill_procs.c), the mailbox lock
 * (test_kill.c), the pool and process-table locks (test_kill_locks.c).
 */
#ifndef SHMBOX_KILL_H
#define SHMBOX_KILL_H

#include <stdint.h>
#include <sys/types.h>

#include <check.h>

#include <shmbox/shmbox.h>

#define N_MSGS 300u
#define LOST_ID 4000u  /* the killed sender's message */
#define WAITER_ID 4001u /* the message of a process blocked behind the killed one */

/* The test's region (created by the fixture) and the parent's handle. */
extern char kill_region[SHMBOX_NAME_MAX + 1];
extern shmbox_t kill_sb;

/* From shmbox_stat() on kill_sb: recoveries, slots in use, all slots. */
uint32_t recoveries(void);
uint32_t pool_used(void);
uint32_t total_slots(void);

/* What a child does (see kill_procs.c). */
struct job {
    int point;   /* hook point to stop at, 0: none */
    int skip;
    unsigned mbox;
    uint32_t id; /* message id to send */
    uint32_t n;  /* messages to receive */
};

/* Children: each opens kill_region, arms j->point, does its work. */
void child_open(shmbox_t *c);
int child_send(void *arg);
int child_recv(void *arg);
int child_send_slot(void *arg);
int child_recv_slot(void *arg);
int child_alloc(void *arg);
int child_open_close(void *arg);
int child_reclaim(void *arg);

/* A child blocked behind the stopped one (PI hand-off on its kill). */
pid_t start_waiter(int (*fn)(void *), struct job *j);
/* A child stopped at its hook point. */
pid_t stop_child(int (*fn)(void *), struct job *j);
/* Survivors exchange N_MSGS messages on @p mbox (+ @p extra received). */
void exchange(unsigned mbox, uint32_t extra);

/* test_kill_locks.c: the pool lock, the process-table lock, and slot
 * ownership without a crash. */
void kill_add_lock_tests(TCase *t);

#endif
