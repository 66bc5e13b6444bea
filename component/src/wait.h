// SPDX-License-Identifier: MIT
/* Waiting for a 32-bit word in the region to move, and waking its waiters. */
#ifndef SHMBOX_WAIT_H
#define SHMBOX_WAIT_H

#include <stdint.h>

#include "deadline.h"

/*
 * Wait for *watch to move from @p seen: poll it CONFIG_SHMBOX_SPIN_COUNT
 * times, then sleep on the word itself, counted in *sleepers. The side
 * that changes *watch calls sbx_signal_change() after the store.
 * @retval 0 (moved, woken, or spurious), -ETIMEDOUT
 */
int sbx_wait_change(_Atomic uint32_t *watch, uint32_t seen, _Atomic uint32_t *sleepers, struct sbx_deadline *d,
                    uint64_t slice_ns);

/* After storing a watched word: if anyone sleeps on it, wake one: 1 if
 * a sleeper was recorded (the caller rings a doorbell too), else 0. */
int sbx_signal_change(_Atomic uint32_t *watch, _Atomic uint32_t *sleepers);

/*
 * The same wait for a caller that counted itself in the sleepers word
 * before it last looked at the guarded state (under the lock that guards
 * it), so that every change made after that look, under the same lock,
 * sees it and signals: then a change with no waiter need not touch seq.
 * @retval 0 (moved, or spurious), -ETIMEDOUT
 */
int sbx_wait_seq_registered(_Atomic uint32_t *seq, uint32_t seen, struct sbx_deadline *d);

/* Bump *seq and wake one sleeper if there is one (no system call if none):
 * 1 if there was. */
int sbx_signal_seq(_Atomic uint32_t *seq, _Atomic uint32_t *sleepers);
/* The same, waking up to @p n sleepers (n >= 1): after n slots came back. */
int sbx_signal_seq_n(_Atomic uint32_t *seq, _Atomic uint32_t *sleepers, uint32_t n);

#endif /* SHMBOX_WAIT_H */
