// SPDX-License-Identifier: MIT
/*
 * Test hooks: with CONFIG_SHMBOX_TEST_HOOKS a test can stop the process at
 * a named point inside a critical section (to SIGKILL it there). Without
 * it they compile to nothing. The default library never defines
 * CONFIG_SHMBOX_TEST_HOOKS; the crash tests build a second copy of the
 * library with -DCONFIG_SHMBOX_TEST_HOOKS=1 (tests/crash/CMakeLists.txt),
 * which changes no layout value.
 */
#ifndef SHMBOX_HOOKS_H
#define SHMBOX_HOOKS_H

#include <shmbox/shmbox_config.h>

#define SHMBOX_HOOK_LOCKED 1       /* any lock just taken (not after a repair) */
#define SHMBOX_HOOK_MBOX_COPIED 2  /* send: entry filled (slot owner moved), not committed */
#define SHMBOX_HOOK_POOL_POPPED 3  /* alloc: slot marked used, free list head not moved */
#define SHMBOX_HOOK_RECV_OWNED 4   /* recv_slot: head committed, owner not yet moved */
#define SHMBOX_HOOK_POOL_PUSHED 5  /* free: slot marked free, free list head not moved */
#define SHMBOX_HOOK_PROC_WRITING 6 /* attach: table entry half written (proc_lock held) */
#define SHMBOX_HOOK_CREATE_INIT 7  /* create: region mapped, INITIALIZING, not READY */
#define SHMBOX_HOOK_RECV_COPIED 8  /* recv: message copied out, head not moved */
#define SHMBOX_HOOK_MBOX_COMMITTED 9 /* send: committed and unlocked, sleepers not yet woken */
#define SHMBOX_HOOK_POOL_FREED 10  /* free: slot back in its pool and unlocked, waiters not yet woken */
#define SHMBOX_HOOK_POOL_RESETTING 11 /* a stale region's replacement: half of a pool reset */

#ifdef CONFIG_SHMBOX_TEST_HOOKS
/* Set by a test; called with the point's number (defined in lock.c). */
extern void (*shmbox_test_hook)(int point);
#define SHMBOX_HOOK(p)              \
    do {                            \
        if (shmbox_test_hook)       \
            shmbox_test_hook(p);    \
    } while (0)
#else
#define SHMBOX_HOOK(p) ((void)0)
#endif

#endif /* SHMBOX_HOOKS_H */
