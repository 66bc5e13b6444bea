// SPDX-License-Identifier: MIT
/*
 * Fork tracking. The port calls forked() in a fork() child (registered
 * once per process, at the first attach or the first slot cache), which
 * moves this process's fork generation on, and drops the child's copy of
 * the forking thread's slot cache (CONFIG_SHMBOX_SLOT_CACHE > 0). Written only in the child's one thread.
 */
#include "fork.h"

#include <stdatomic.h>

#include <shmbox/port.h>

uint32_t sbx_fork_gen;
static _Atomic int fork_hook; /* 0: not yet, 1: registered, -1: the port could not */
#if CONFIG_SHMBOX_SLOT_CACHE > 0
static void (*_Atomic child_fn)(void);
#endif

static void forked(void)
{
    sbx_fork_gen++;
#if CONFIG_SHMBOX_SLOT_CACHE > 0
    void (*fn)(void) = atomic_load_explicit(&child_fn, memory_order_acquire);
    if (fn != NULL)
        fn();
#endif
}

int sbx_fork_watched(void)
{
    int st = atomic_load_explicit(&fork_hook, memory_order_acquire);
    if (st == 0) {
        int want = 0;
        st = shmbox_port_at_fork(forked) == 0 ? 1 : -1;
        if (!atomic_compare_exchange_strong_explicit(&fork_hook, &want, st, memory_order_acq_rel,
                                                     memory_order_acquire))
            st = want; /* raced: both registered, forked() runs twice, harmless */
    }
    return st > 0;
}

#if CONFIG_SHMBOX_SLOT_CACHE > 0
void sbx_fork_on_child(void (*fn)(void))
{
    atomic_store_explicit(&child_fn, fn, memory_order_release);
}
#endif
