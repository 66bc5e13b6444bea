// SPDX-License-Identifier: MIT
/*
 * Linux lock and wait/wake, shared by the POSIX and SysV ports: the kernel
 * PI-futex protocol on the lock word, FUTEX_WAIT_BITSET / FUTEX_WAKE on
 * sequence words. Never FUTEX_PRIVATE_FLAG: the words are shared between
 * processes. Works the same under qemu-user, where robust mutexes do not.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <shmbox/port.h>

#include "sys.h"

static long futex(_Atomic uint32_t *w, int op, uint32_t val, const struct timespec *ts, uint32_t val3)
{
    return syscall(SYS_futex, (uint32_t *)(void *)w, op, val, ts, NULL, val3);
}

/* Deadline on the monotonic clock -> absolute timespec on @p clock. */
static struct timespec abs_ts(uint64_t deadline_ns, clockid_t clock)
{
    struct timespec ts;
    uint64_t now_mono = shmbox_port_now_ns();
    uint64_t left = deadline_ns > now_mono ? deadline_ns - now_mono : 0;
    uint64_t base = 0;
    if (clock == CLOCK_MONOTONIC) {
        base = now_mono;
    } else {
        clock_gettime(clock, &ts);
        base = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    }
    uint64_t t = base + left;
    ts.tv_sec = (time_t)(t / 1000000000u);
    ts.tv_nsec = (long)(t % 1000000000u);
    return ts;
}

#ifndef FUTEX_LOCK_PI2
#define FUTEX_LOCK_PI2 13 /* Linux 5.14: FUTEX_LOCK_PI timed on CLOCK_MONOTONIC */
#endif

/* 1 while FUTEX_LOCK_PI2 may work, 0 once the kernel (or an emulator)
 * said ENOSYS: then FUTEX_LOCK_PI, whose timeout is on CLOCK_REALTIME. */
static _Atomic int have_lock_pi2 = 1;

/* A waiter in the kernel wakes at least this often, to look again: a step
 * of the system clock moves a realtime timeout (FUTEX_LOCK_PI, without
 * FUTEX_LOCK_PI2), and an owner whose unlock the kernel refused releases
 * the word in user space, which wakes nobody (shmbox_port_unlock_slow).
 * The monotonic deadline decides whenever the kernel says the time is up. */
#define PI_SLICE_NS 100000000u

/* FUTEX_LOCK_PI(2) until @p deadline_ns (0: none), for at most one slice:
 * 0 or -1 with errno (ETIMEDOUT at the slice's end too). */
static long lock_pi(_Atomic uint32_t *w, uint64_t deadline_ns)
{
    struct timespec ts;
    uint64_t until = shmbox_port_now_ns() + PI_SLICE_NS;
    if (deadline_ns != 0 && deadline_ns < until)
        until = deadline_ns;
    if (atomic_load_explicit(&have_lock_pi2, memory_order_relaxed)) {
        ts = abs_ts(until, CLOCK_MONOTONIC);
        long r = futex(w, FUTEX_LOCK_PI2, 0, &ts, 0);
        if (r == 0 || errno != ENOSYS)
            return r;
        atomic_store_explicit(&have_lock_pi2, 0, memory_order_relaxed);
    }
    ts = abs_ts(until, CLOCK_REALTIME);
    return futex(w, FUTEX_LOCK_PI, 0, &ts, 0);
}

_Thread_local uint32_t shmbox_port_lock_depth;

/* The kernel said ESRCH for the owner we saw in @p v: 1 if that thread is
 * really gone (the word could have passed to a firmware and back since),
 * a zombie included (its parent may be this very process, waiting here). */
static int linux_owner_gone(uint32_t v)
{
    return sbx_linux_thread_gone(v & SHMBOX_LOCK_TID_MASK);
}

/*
 * A word naming our own thread. Thread ids are unique among the live
 * threads of a PID namespace, and the component never takes a lock it
 * holds; so when this is the thread's only critical section (depth 1),
 * the owner was a thread of a dead process whose id was handed to us:
 * take it over. Deeper, the call may have re-entered the thread's own
 * critical section (a signal handler): -EDEADLK, never a take-over.
 */
int shmbox_port_lock_slow(_Atomic uint32_t *w, uint32_t tid, uint64_t deadline_ns)
{
    for (;;) {
        uint32_t v = atomic_load_explicit(w, memory_order_relaxed);
        if ((v & SHMBOX_LOCK_TID_MASK) == tid) {
            if (shmbox_port_lock_depth > 1)
                return -EDEADLK;
            if (atomic_compare_exchange_strong_explicit(w, &v, tid | (v & SHMBOX_LOCK_WAITERS),
                                                        memory_order_acquire, memory_order_relaxed))
                return SHMBOX_PORT_OWNER_DEAD;
            continue;
        }
        if ((v & SHMBOX_LOCK_TID_MASK) == 0) {
            /* Free (possibly with stale flag bits): take it directly. */
            if (atomic_compare_exchange_strong_explicit(w, &v, tid | (v & SHMBOX_LOCK_WAITERS),
                                                        memory_order_acquire, memory_order_relaxed))
                return (v & SHMBOX_LOCK_OWNER_DIED) ? SHMBOX_PORT_OWNER_DEAD : 0;
            continue;
        }
        if (deadline_ns != 0 && shmbox_port_now_ns() >= deadline_ns)
            return -ETIMEDOUT;
        if (shmbox_lock_by_firmware(v))
            return -EBUSY; /* never to the kernel: the component waits it out */
        long r = lock_pi(w, deadline_ns);
        if (r == 0) {
            v = atomic_load_explicit(w, memory_order_acquire);
            if (v & SHMBOX_LOCK_OWNER_DIED) {
                atomic_fetch_and_explicit(w, ~SHMBOX_LOCK_OWNER_DIED, memory_order_relaxed);
                return SHMBOX_PORT_OWNER_DEAD;
            }
            return 0;
        }
        switch (errno) {
        case EINTR:
        case EAGAIN: /* the owner is exiting: try again */
            continue;
        case ETIMEDOUT: /* the monotonic deadline decides (clock steps, slices) */
        case EDEADLK:   /* the word names us: decided above */
            continue;
        case EINVAL:
            /* The word and the kernel's state disagree (an owner died
             * mid-protocol, or a peer wrote garbage). Take it over only
             * if the thread it names is gone; otherwise wait a little. */
            if (!linux_owner_gone(v)) {
                usleep(100);
                continue;
            }
            /* fall through */
        case ESRCH: {
            /* No thread of the owner value the kernel read. That may have
             * been a firmware's (the word moved since we looked): only a
             * Linux owner still named and proven gone is dead. */
            uint32_t now = atomic_load_explicit(w, memory_order_relaxed);
            if (shmbox_lock_by_firmware(now))
                return -EBUSY;
            if (((now ^ v) & SHMBOX_LOCK_TID_MASK) != 0)
                continue;
            if (!linux_owner_gone(v)) {
                usleep(50);
                continue;
            }
            v = now;
        }
            /* fall through */
        case EPERM: { /* the word names a kernel thread: never an owner, garbage */
            uint32_t dead = v;
            if (atomic_compare_exchange_strong_explicit(w, &dead, tid | (v & SHMBOX_LOCK_WAITERS),
                                                        memory_order_acquire, memory_order_relaxed))
                return SHMBOX_PORT_OWNER_DEAD;
            continue;
        }
        default:
            /* ENOSYS (no PI futexes): poll the word. */
            if (atomic_compare_exchange_strong_explicit(w, &v, v, memory_order_relaxed, memory_order_relaxed))
                usleep(50);
            continue;
        }
    }
}

void shmbox_port_unlock_slow(_Atomic uint32_t *w, uint32_t tid)
{
    for (;;) {
        /* A release on the word itself (an RMW that changes nothing): the
         * kernel hands the lock to a waiter with FUTEX_UNLOCK_PI, which is
         * no C11 release, so without it the critical section's stores
         * would not formally happen-before the next owner's (ThreadSanitizer
         * reports exactly that). Contended path only. */
        uint32_t v = atomic_fetch_or_explicit(w, 0u, memory_order_release);
        if ((v & SHMBOX_LOCK_TID_MASK) != tid)
            return; /* not ours (taken over): nothing to release */
        if (!(v & SHMBOX_LOCK_WAITERS)) {
            if (atomic_compare_exchange_strong_explicit(w, &v, 0u, memory_order_release, memory_order_relaxed))
                return;
            continue;
        }
        if (futex(w, FUTEX_UNLOCK_PI, 0, NULL, 0) == 0)
            return;
        if (errno == EINTR)
            continue;
        /* The kernel refused (EINVAL: its PI state names another owner,
         * e.g. after a takeover in user space; EPERM: the word changed).
         * Never leave the word naming us: release it here, so the next
         * locker takes it with a compare-and-swap; a waiter queued in the
         * kernel looks again when its slice ends (lock_pi). */
        if (atomic_compare_exchange_strong_explicit(w, &v, 0u, memory_order_release, memory_order_relaxed))
            return;
    }
}

int shmbox_port_wait(_Atomic uint32_t *w, uint32_t expected, uint64_t deadline_ns)
{
    struct timespec ts;
    if (deadline_ns != 0) {
        if (shmbox_port_now_ns() >= deadline_ns)
            return -ETIMEDOUT;
        ts = abs_ts(deadline_ns, CLOCK_MONOTONIC);
    }
    long r = futex(w, FUTEX_WAIT_BITSET, expected, deadline_ns != 0 ? &ts : NULL, FUTEX_BITSET_MATCH_ANY);
    if (r != 0 && errno == ETIMEDOUT)
        return -ETIMEDOUT;
    return 0;
}

void shmbox_port_wake(_Atomic uint32_t *w, uint32_t n)
{
    (void)futex(w, FUTEX_WAKE, n == 0 ? (uint32_t)INT32_MAX : n, NULL, 0);
}

void shmbox_port_yield(void)
{
    (void)sched_yield();
}

void shmbox_port_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__) || (defined(__arm__) && __ARM_ARCH >= 7)
    __asm__ __volatile__("yield" ::: "memory");
#else
    atomic_signal_fence(memory_order_seq_cst);
#endif
}
