// SPDX-License-Identifier: MIT
/* The region's locks: a 32-bit owner word over the port's slow paths. */
#ifndef SHMBOX_LOCK_H
#define SHMBOX_LOCK_H

#include <shmbox/port.h>

#include "deadline.h"
#include "layout.h"
#include "lock_order.h"

/* sbx_lock_take() result: taken, and the previous owner died inside the
 * critical section: the caller repairs the structure before using it. */
#define SHMBOX_LOCK_REPAIR 1

/*
 * Take @p l of @p sb's region (its header's recoveries count, and its
 * process table, which tells a firmware owner from garbage),
 * waiting at most until @p d; its clock time is computed only
 * if the lock is contended. O(1) uncontended: one compare-and-swap, no
 * system call. A no-wait deadline (SHMBOX_NO_WAIT) waits at most
 * SHMBOX_LOCK_NOWAIT_NS for a held lock and then fails with -EAGAIN.
 * No lock order record: the component takes locks with sbx_lock_take().
 * @retval 0, SHMBOX_LOCK_REPAIR, -ETIMEDOUT, -EAGAIN, -EDEADLK (word names us)
 */
int sbx_lock_acquire(struct shmbox_lock *l, const shmbox_t *sb, struct sbx_deadline *d);

/* Release @p l. Uncontended: one compare-and-swap, no system call. */
void sbx_lock_release(struct shmbox_lock *l);

/* Release @p l but leave it dirty: a repair that could not finish (it
 * timed out on another lock) is retried by the next locker. */
void sbx_lock_release_dirty(struct shmbox_lock *l);

/* sbx_lock_acquire() of a lock of class @p c, in the order of lock_order.h
 * (checked with SHMBOX_DEBUG_LOCK_ORDER; the same code as sbx_lock_acquire otherwise). */
static inline int sbx_lock_take(struct shmbox_lock *l, enum sbx_lock_class c, const shmbox_t *sb,
                                struct sbx_deadline *d)
{
    sbx_lock_order_check(c);
    int rc = sbx_lock_acquire(l, sb, d);
    if (rc >= 0)
        sbx_lock_order_taken(c);
    return rc;
}

/* Give back @p l, of class @p c, taken with sbx_lock_take(). */
static inline void sbx_lock_give(struct shmbox_lock *l, enum sbx_lock_class c)
{
    sbx_lock_order_given(c);
    sbx_lock_release(l);
}

/* The same, leaving it dirty (see sbx_lock_release_dirty()). */
static inline void sbx_lock_abandon(struct shmbox_lock *l, enum sbx_lock_class c)
{
    sbx_lock_order_given(c);
    sbx_lock_release_dirty(l);
}

#endif /* SHMBOX_LOCK_H */
