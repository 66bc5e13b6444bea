/*
 * Test hooks: with CONFIG_SHMBOX_TEST_HOOKS a test can stop the process at
 * a named point inside a critical section (to SIGKILL it there). Without
 * it they compile to nothing.
 */
#ifndef SHMBOX_HOOKS_H
#define SHMBOX_HOOKS_H

#include <shmbox/shmbox_config.h>

#define SHMBOX_HOOK_LOCKED 1      /* any lock just taken */
#define SHMBOX_HOOK_MBOX_COPIED 2 /* send: message copied, not yet committed */
#define SHMBOX_HOOK_POOL_POPPED 3 /* alloc: slot marked used, head not moved */
#define SHMBOX_HOOK_RECV_OWNED 4  /* recv_slot: owner set, head not moved */

#ifdef CONFIG_SHMBOX_TEST_HOOKS
/* Set by a test; called with the point's number inside the critical section. */
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
