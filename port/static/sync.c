// SPDX-License-Identifier: MIT
/*
 * Static port, lock and wait/wake: C11 atomics and bounded spinning, no
 * operating system. The lock word follows the region's protocol
 * (<shmbox/owner.h>): this firmware's owner value is
 * SHMBOX_LOCK_FW_OWNER(id, thread); a word owned by anyone else (a Linux
 * thread, another firmware) is waited out, never taken over: a death on
 * the Linux side is repaired by Linux (the next Linux locker, or
 * shmbox_reclaim()). Flag bits a Linux waiter left (WAITERS) are kept
 * while the lock is held and cleared by the release. A wait spins at most
 * WAIT_SPINS rounds of shmbox_static_relax() and then returns, as the
 * contract allows; the component re-checks its condition and its deadline.
 */
#include <errno.h>

#include <shmbox/port.h>

#define WAIT_SPINS 1024u

int shmbox_port_lock_slow(_Atomic uint32_t *w, uint32_t tid, uint64_t deadline_ns)
{
    for (;;) {
        uint32_t v = atomic_load_explicit(w, memory_order_relaxed);
        if ((v & SHMBOX_LOCK_TID_MASK) == tid)
            return -EDEADLK;
        if ((v & SHMBOX_LOCK_TID_MASK) == 0) {
            if (atomic_compare_exchange_weak_explicit(w, &v, tid, memory_order_acquire, memory_order_relaxed))
                return 0;
            continue;
        }
        if (deadline_ns != 0 && shmbox_port_now_ns() >= deadline_ns)
            return -ETIMEDOUT;
        shmbox_static_relax();
    }
}

/* Releases, waits and wakes serve the full core only: the minimal core
 * (CONFIG_SHMBOX_MINIMAL_CORE) releases with a store and polls. */
#ifndef CONFIG_SHMBOX_MINIMAL_CORE
void shmbox_port_unlock_slow(_Atomic uint32_t *w, uint32_t tid)
{
    /* Reached only if the word holds more than our id: flag bits a Linux
     * waiter set when the kernel refused to queue it behind a firmware
     * owner (it polls: nobody sleeps in the kernel on this word). */
    uint32_t v = atomic_load_explicit(w, memory_order_relaxed);
    while ((v & SHMBOX_LOCK_TID_MASK) == tid &&
           !atomic_compare_exchange_weak_explicit(w, &v, 0u, memory_order_release, memory_order_relaxed))
        ;
}

int shmbox_port_wait(_Atomic uint32_t *w, uint32_t expected, uint64_t deadline_ns)
{
    for (uint32_t i = 0; i < WAIT_SPINS; i++) {
        if (atomic_load_explicit(w, memory_order_acquire) != expected)
            return 0;
        if (deadline_ns != 0 && shmbox_port_now_ns() >= deadline_ns)
            return -ETIMEDOUT;
        shmbox_static_relax();
    }
    return 0; /* spurious: the caller checks again */
}

/* Sleepers are recorded: cores of this chip spin (notify: SEV), the
 * other side is told by the doorbell. */
void shmbox_port_wake(_Atomic uint32_t *w, uint32_t n)
{
    (void)w;
    (void)n;
    shmbox_static_notify();
    shmbox_static_doorbell();
}

#endif /* !CONFIG_SHMBOX_MINIMAL_CORE */

void shmbox_port_relax(void)
{
    shmbox_static_relax();
}

/* No scheduler here: an RTOS integration that has one overrides
 * shmbox_static_relax() (e.g. with its task yield). */
void shmbox_port_yield(void)
{
    shmbox_static_relax();
}

void shmbox_port_critical_enter(void)
{
    shmbox_static_critical_enter();
}

void shmbox_port_critical_exit(void)
{
    shmbox_static_critical_exit();
    shmbox_static_notify(); /* a lock was released: wake WFE spinners */
}
