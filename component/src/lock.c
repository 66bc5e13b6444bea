// SPDX-License-Identifier: MIT
/*
 * The 32-bit lock over the port's primitives.
 *
 * Fast path: compare-and-swap 0 -> tid to take, tid -> 0 to give. The port
 * does the rest (on Linux the kernel PI-futex protocol: sleeping, priority
 * inheritance, and ESRCH for a dead owner). The dirty word, set for the
 * length of every critical section, tells the next owner that its
 * predecessor died inside one, however the death was reported.
 */
#include "lock.h"

#include <errno.h>

#include <shmbox/port.h>

#include "access.h"
#include "hooks.h"

#ifdef CONFIG_SHMBOX_TEST_HOOKS
void (*shmbox_test_hook)(int point);
#endif

#if defined(CONFIG_SHMBOX_LOCK_SPIN_COUNT) && CONFIG_SHMBOX_LOCK_SPIN_COUNT > 0
/*
 * Contended: a critical section lasts well under a microsecond, a sleep
 * and wake-up in the kernel ~20 us on a VM, so first wait it out on the
 * CPU for CONFIG_SHMBOX_LOCK_SPIN_COUNT polls (an adaptive lock). Only a
 * free word (0) is taken here; a word with flag bits or a dead owner goes
 * to the port's slow path, which alone handles them. Returns 1 if taken.
 */
#define LOCK_SPIN CONFIG_SHMBOX_LOCK_SPIN_COUNT
static int lock_spin(_Atomic uint32_t *w, uint32_t tid)
{
    for (uint32_t i = 0; i < (uint32_t)LOCK_SPIN; i++) {
        uint32_t v = atomic_load_explicit(w, memory_order_relaxed);
        if (v == 0) {
            if (atomic_compare_exchange_weak_explicit(w, &v, tid, memory_order_acquire, memory_order_relaxed))
                return 1;
        } else if (v & SHMBOX_LOCK_WAITERS) {
            return 0; /* sleepers queue in the kernel: join them (PI order) */
        }
        shmbox_port_relax();
    }
    return 0;
}
#else
#define lock_spin(w, tid) 0
#endif

/* Waiting out a firmware owner: look again after this long, then twice
 * as long each time, up to SBX_FW_POLL_NS (CONFIG_SHMBOX_HYBRID_POLL_US). */
#define FW_POLL_FIRST_NS 2000u

/* A firmware owner that names no listed firmware is taken over once it
 * has stayed so this long: a firmware holds the process table's lock
 * before its entry is written (its attach: the earlier run's entries
 * dropped, the table scanned) and after it is cleared (its detach). */
#define FW_UNLISTED_GRACE_NS SHMBOX_MS_NS(500)

/*
 * The port cannot wait for the word's owner (-EBUSY: a firmware holds it,
 * which cannot wake a sleeper in the kernel): wait it out here, sleeping
 * on the word in slices that grow to CONFIG_SHMBOX_HYBRID_POLL_US (a
 * release ends a slice at once where the port's wait can see it), then
 * try the port again. An owner value naming no listed firmware for
 * FW_UNLISTED_GRACE_NS is taken over as a dead owner's.
 */
static int lock_wait_foreign(_Atomic uint32_t *w, const shmbox_t *sb, uint32_t tid, uint64_t deadline_ns)
{
    uint64_t slice = FW_POLL_FIRST_NS;
    uint64_t unlisted_since = 0; /* when v, unlisted, was first seen */
    uint32_t unlisted_v = 0;
    for (;;) {
        int rc = shmbox_port_lock_slow(w, tid, deadline_ns);
        if (rc != -EBUSY)
            return rc;
        uint32_t v = atomic_load_explicit(w, memory_order_relaxed);
        if (!shmbox_lock_by_firmware(v))
            continue;
        uint64_t now = shmbox_port_now_ns();
        /* Credible while a firmware of its id is listed (one that reset
         * stays listed until it attaches again and repairs its words
         * itself), or for a grace while it attaches or detaches; else
         * garbage or a hostile peer's. */
        if (sbx_fw_listed(sb, SHMBOX_LOCK_FW_ID(v))) {
            unlisted_since = 0;
        } else if (unlisted_since == 0 || ((v ^ unlisted_v) & SHMBOX_LOCK_TID_MASK) != 0) {
            unlisted_since = now;
            unlisted_v = v;
        } else if (now - unlisted_since >= FW_UNLISTED_GRACE_NS) {
            if (atomic_compare_exchange_strong_explicit(w, &v, tid, memory_order_acquire, memory_order_relaxed))
                return SHMBOX_PORT_OWNER_DEAD;
            continue;
        }
        if (deadline_ns != 0 && now >= deadline_ns)
            return -ETIMEDOUT;
        uint64_t until = now + slice;
        (void)shmbox_port_wait(w, v, deadline_ns != 0 && deadline_ns < until ? deadline_ns : until);
        if (slice < SBX_FW_POLL_NS)
            slice *= 2u;
    }
}

int sbx_lock_acquire(struct shmbox_lock *l, const shmbox_t *sb, struct sbx_deadline *d)
{
    uint32_t tid = shmbox_port_tid();
    uint32_t expected = 0;
    int rc = 0;

    shmbox_port_critical_enter();
    if (!atomic_compare_exchange_strong_explicit(&l->word, &expected, tid, memory_order_acquire,
                                                 memory_order_relaxed) &&
        !lock_spin(&l->word, tid)) {
        uint64_t deadline_ns = sbx_deadline_ns(d);
        int nowait = sbx_deadline_nowait(d);
        if (nowait)
            deadline_ns = shmbox_port_now_ns() + SHMBOX_LOCK_NOWAIT_NS;
        rc = lock_wait_foreign(&l->word, sb, tid, deadline_ns);
        if (rc == -ETIMEDOUT && nowait)
            rc = -EAGAIN;
        if (rc < 0) {
            shmbox_port_critical_exit();
            return rc;
        }
    }
    if (rc == SHMBOX_PORT_OWNER_DEAD || l->dirty != 0) {
        atomic_fetch_add_explicit(&sbx_hdr_of(sb)->recoveries, 1u, memory_order_relaxed);
        l->dirty = 1;
        atomic_signal_fence(memory_order_seq_cst);
        return SHMBOX_LOCK_REPAIR;
    }
    l->dirty = 1;
    /* Program order is what a SIGKILL cuts: the compiler must not move
     * the critical section's stores above this one (nor below the
     * clearing store in release()). */
    atomic_signal_fence(memory_order_seq_cst);
    SHMBOX_HOOK(SHMBOX_HOOK_LOCKED);
    return 0;
}

static void release(struct shmbox_lock *l, uint32_t dirty)
{
    uint32_t tid = shmbox_port_tid();
    uint32_t expected = tid;

    atomic_signal_fence(memory_order_seq_cst);
    l->dirty = dirty;
    if (!atomic_compare_exchange_strong_explicit(&l->word, &expected, 0u, memory_order_release,
                                                 memory_order_relaxed))
        shmbox_port_unlock_slow(&l->word, tid);
    shmbox_port_critical_exit();
}

void sbx_lock_release(struct shmbox_lock *l)
{
    release(l, 0);
}

void sbx_lock_release_dirty(struct shmbox_lock *l)
{
    release(l, 1);
}
