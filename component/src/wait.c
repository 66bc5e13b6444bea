// SPDX-License-Identifier: MIT
/* Waiting for a sequence word to move: spin first, then sleep. */
#include "wait.h"

#include <errno.h>

#include <shmbox/port.h>
#include <shmbox/shmbox_config.h>

/*
 * Past this many polls a spin offers the CPU every YIELD_EVERY polls: a
 * peer that answers at all within the budget usually does within the
 * first few (sub-microsecond hand-offs), while with more runnable threads
 * than CPUs the peer we wait for may need this very CPU.
 */
#define YIELD_AFTER 256u
#define YIELD_EVERY 64u

/* Poll *seq (any 32-bit word) CONFIG_SHMBOX_SPIN_COUNT times: 1 as soon as it moved from seen. */
static int spin(_Atomic uint32_t *seq, uint32_t seen)
{
#if CONFIG_SHMBOX_SPIN_COUNT > 0 /* 0: sleep at once (and no always-false loop test) */
    for (uint32_t i = 0; i < (uint32_t)CONFIG_SHMBOX_SPIN_COUNT; i++) {
        if (atomic_load_explicit(seq, memory_order_acquire) != seen)
            return 1;
        if (i >= YIELD_AFTER && i % YIELD_EVERY == 0)
            shmbox_port_yield();
        else
            shmbox_port_relax();
    }
#else
    (void)seq;
    (void)seen;
#endif
    return 0;
}

/* After the spin: sleep in the port unless the deadline passed or the word moved. */
static int sleep_on(_Atomic uint32_t *seq, uint32_t seen, uint64_t deadline)
{
    if (deadline != 0 && shmbox_port_now_ns() >= deadline)
        return -ETIMEDOUT;
    if (atomic_load_explicit(seq, memory_order_seq_cst) == seen)
        return shmbox_port_wait(seq, seen, deadline);
    return 0;
}

int sbx_wait_seq_registered(_Atomic uint32_t *seq, uint32_t seen, struct sbx_deadline *d)
{
    return spin(seq, seen) ? 0 : sleep_on(seq, seen, sbx_deadline_ns(d));
}

int sbx_wait_change(_Atomic uint32_t *watch, uint32_t seen, _Atomic uint32_t *sleepers, struct sbx_deadline *d,
                    uint64_t slice_ns)
{
    uint64_t deadline = sbx_deadline_ns(d);
    if (spin(watch, seen))
        return 0;
    /* Announce the sleep, then look at the watched word once more (seq_cst;
     * the other side stores the word, fences, then reads the sleepers, see
     * sbx_signal_change): either it sees us and wakes the word, or we
     * see its store. The port's wait compares the word itself before it
     * sleeps, so a store that lands in between ends the sleep at once. */
    atomic_fetch_add_explicit(sleepers, 1u, memory_order_seq_cst);
    uint64_t slice = shmbox_port_now_ns() + slice_ns;
    int sliced = deadline == 0 || deadline > slice;
    int rc = sleep_on(watch, seen, sliced ? slice : deadline); /* looks once more (seq_cst) first */
    if (rc == -ETIMEDOUT && sliced)
        rc = 0; /* the slice, not the caller's deadline: look again */
    atomic_fetch_sub_explicit(sleepers, 1u, memory_order_relaxed);
    return rc;
}

int sbx_signal_change(_Atomic uint32_t *watch, _Atomic uint32_t *sleepers)
{
    atomic_thread_fence(memory_order_seq_cst); /* the watched store before the sleepers load */
    if (atomic_load_explicit(sleepers, memory_order_relaxed) == 0)
        return 0;
    shmbox_port_wake(watch, 1);
    return 1;
}

int sbx_signal_seq(_Atomic uint32_t *seq, _Atomic uint32_t *sleepers)
{
    return sbx_signal_seq_n(seq, sleepers, 1u);
}

int sbx_signal_seq_n(_Atomic uint32_t *seq, _Atomic uint32_t *sleepers, uint32_t n)
{
    atomic_fetch_add_explicit(seq, 1u, memory_order_seq_cst);
    if (n == 0 || atomic_load_explicit(sleepers, memory_order_seq_cst) == 0)
        return 0;
    shmbox_port_wake(seq, n);
    return 1;
}
