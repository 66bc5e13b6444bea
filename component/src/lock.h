// SPDX-License-Identifier: MIT
/* The region's locks: a 32-bit owner word over the port's slow paths. */
#ifndef SHMBOX_LOCK_H
#define SHMBOX_LOCK_H

#include <shmbox/port.h>

#include "layout.h"

/* The deadline of a SHMBOX_NO_WAIT call: a time that has always passed
 * (shmbox_port_now_ns() is never below 1), so the hot path reads no clock. */
#define SHMBOX_DEADLINE_NOW 1u

/* A deadline not computed yet: now + timeout_ms, taken on first need. */
#define SHMBOX_DEADLINE_LATER UINT64_MAX

/*
 * When a call gives up. at: 0 (never), SHMBOX_DEADLINE_NOW, a time on the
 * port clock, or SHMBOX_DEADLINE_LATER: the clock is read only when the
 * call first has to wait, so a call that does not wait reads no clock.
 */
struct sbx_when {
    uint64_t at;
    int32_t timeout_ms;
};

/* The deadline of @p w, computed now if it was left for later. */
static inline uint64_t sbx_when_at(struct sbx_when *w)
{
    if (w->at == SHMBOX_DEADLINE_LATER)
        w->at = shmbox_port_now_ns() + (uint64_t)w->timeout_ms * 1000000u;
    return w->at;
}

/* How long a SHMBOX_NO_WAIT call waits for a held lock before it gives up
 * with -EAGAIN. Locks are held for O(1) work; only a stalled or hostile
 * holder keeps one this long. */
#define SHMBOX_LOCK_NOWAIT_NS 1000000000u

/* sbx_lock_take() result: taken, and the previous owner died inside the
 * critical section: the caller repairs the structure before using it. */
#define SHMBOX_LOCK_REPAIR 1

/*
 * Take @p l, waiting at most until @p deadline_ns (0: no limit).
 * O(1) uncontended: one compare-and-swap, no system call.
 * With SHMBOX_DEADLINE_NOW it waits at most SHMBOX_LOCK_NOWAIT_NS for a
 * held lock and then fails with -EAGAIN.
 * @retval 0, SHMBOX_LOCK_REPAIR, -ETIMEDOUT, -EAGAIN, -EDEADLK (word names us)
 */
int sbx_lock_take(struct shmbox_lock *l, _Atomic uint32_t *recoveries, uint64_t deadline_ns);

/* The same, with a deadline computed only if the lock is contended. */
int sbx_lock_take_when(struct shmbox_lock *l, _Atomic uint32_t *recoveries, struct sbx_when *w);

/* Release @p l. Uncontended: one compare-and-swap, no system call. */
void sbx_lock_give(struct shmbox_lock *l);

/* Release @p l but leave it dirty: a repair that could not finish (it
 * timed out on another lock) is retried by the next locker. */
void sbx_lock_abandon(struct shmbox_lock *l);

#endif /* SHMBOX_LOCK_H */
