/* The region's locks: a 32-bit owner word over the port's slow paths. */
#ifndef SHMBOX_LOCK_H
#define SHMBOX_LOCK_H

#include "layout.h"

/* shmbox_lock_take() result: taken, and the previous owner died inside the
 * critical section: the caller repairs the structure before using it. */
#define SHMBOX_LOCK_REPAIR 1

/*
 * Take @p l, waiting at most until @p deadline_ns (0: no limit).
 * O(1) uncontended: one compare-and-swap, no system call.
 * @retval 0, SHMBOX_LOCK_REPAIR, -ETIMEDOUT, -EDEADLK (word names us)
 */
int shmbox_lock_take(struct shmbox_lock *l, _Atomic uint32_t *recoveries, uint64_t deadline_ns);

/* Release @p l. Uncontended: one compare-and-swap, no system call. */
void shmbox_lock_give(struct shmbox_lock *l);

/* Release @p l but leave it dirty: a repair that could not finish (it
 * timed out on another lock) is retried by the next locker. */
void shmbox_lock_abandon(struct shmbox_lock *l);

#endif /* SHMBOX_LOCK_H */
