/* Waiting for a sequence word to move: spin first, then sleep. */
#include <errno.h>

#include "internal.h"

int shmbox_wait_seq(_Atomic uint32_t *seq, _Atomic uint32_t *sleepers, uint32_t seen, uint64_t deadline)
{
#if CONFIG_SHMBOX_SPIN_COUNT > 0 /* 0: sleep at once (and no always-false loop test) */
    for (uint32_t i = 0; i < (uint32_t)CONFIG_SHMBOX_SPIN_COUNT; i++) {
        if (atomic_load_explicit(seq, memory_order_acquire) != seen)
            return 0;
        shmbox_port_relax();
    }
#endif
    if (deadline != 0 && shmbox_port_now_ns() >= deadline)
        return -ETIMEDOUT;
    /* Announce the sleep before checking the word (seq_cst on both sides,
     * see shmbox_signal_seq): either the waker sees us or we see it. */
    atomic_fetch_add_explicit(sleepers, 1u, memory_order_seq_cst);
    int rc = 0;
    if (atomic_load_explicit(seq, memory_order_seq_cst) == seen)
        rc = shmbox_port_wait(seq, seen, deadline);
    atomic_fetch_sub_explicit(sleepers, 1u, memory_order_relaxed);
    return rc;
}

int shmbox_wait_seq_registered(_Atomic uint32_t *seq, uint32_t seen, uint64_t deadline)
{
#if CONFIG_SHMBOX_SPIN_COUNT > 0
    for (uint32_t i = 0; i < (uint32_t)CONFIG_SHMBOX_SPIN_COUNT; i++) {
        if (atomic_load_explicit(seq, memory_order_acquire) != seen)
            return 0;
        shmbox_port_relax();
    }
#endif
    if (deadline != 0 && shmbox_port_now_ns() >= deadline)
        return -ETIMEDOUT;
    if (atomic_load_explicit(seq, memory_order_seq_cst) == seen)
        return shmbox_port_wait(seq, seen, deadline);
    return 0;
}

void shmbox_signal_seq(_Atomic uint32_t *seq, _Atomic uint32_t *sleepers)
{
    atomic_fetch_add_explicit(seq, 1u, memory_order_seq_cst);
    if (atomic_load_explicit(sleepers, memory_order_seq_cst) != 0)
        shmbox_port_wake(seq, 1);
}
