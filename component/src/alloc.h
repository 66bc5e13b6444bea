// SPDX-License-Identifier: MIT
/* shmbox_slot_alloc()'s policy (alloc.c), out of line for its fast path. */
#ifndef SHMBOX_ALLOC_H
#define SHMBOX_ALLOC_H

#include <shmbox/shmbox.h>

#include "deadline.h"

/* The pool path of shmbox_slot_alloc() (arguments checked; @p first: the
 * smallest fitting pool): try the fitting pools, reclaim the slots of dead
 * processes when they are exhausted, wait until @p d. Out of line so the
 * cached path stays short (@p d by value: a tail call). */
int sbx_alloc_pools(shmbox_t *sb, unsigned first, shmbox_slot_t *slot, struct sbx_deadline d);

#endif /* SHMBOX_ALLOC_H */
