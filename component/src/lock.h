/* The region's locks: a 32-bit owner word over the port's slow paths. */
#ifndef SHMBOX_LOCK_H
#define SHMBOX_LOCK_H

#include "layout.h"

/* The deadline of a SHMBOX_NO_WAIT call: a time that has always passed
 * (shmbox_port_now_ns() is never below 1), so the hot path reads no clock. */
#define SHMBOX_DEADLINE_NOW 1u

/* How long a SHMBOX_NO_WAIT call waits for a held lock before it gives up
 * with -EAGAIN. Locks are held for O(1) work; only a stalled or hostile
 * holder keeps one this long. */
#define SHMBOX_LOCK_NOWAIT_NS 1000000000u

/* shmbox_lock_take() result: taken, and the previous owner died inside the
 * critical section: the caller repairs the structure before using it. */
#define SHMBOX_LOCK_REPAIR 1

/*
 * Take @p l, waiting at most until @p deadline_ns (0: no limit).
 * O(1) uncontended: one compare-and-swap, no system call.
 * With SHMBOX_DEADLINE_NOW it waits at most SHMBOX_LOCK_NOWAIT_NS for a
 * held lock and then fails with -EAGAIN.
 * @retval 0, SHMBOX_LOCK_REPAIR, -ETIMEDOUT, -EAGAIN, -EDEADLK (word names us)
 */
int shmbox_lock_take(struct shmbox_lock *l, _Atomic uint32_t *recoveries, uint64_t deadline_ns);

/* Release @p l. Uncontended: one compare-and-swap, no system call. */
void shmbox_lock_give(struct shmbox_lock *l);

/* Release @p l but leave it dirty: a repair that could not finish (it
 * timed out on another lock) is retried by the next locker. */
void shmbox_lock_abandon(struct shmbox_lock *l);

#endif /* SHMBOX_LOCK_H */
