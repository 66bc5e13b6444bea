// SPDX-License-Identifier: MIT
/*
 * The pool suite (unit_pool) is built from several files, one concern each,
 * sharing one TCase "pool" and its fixture (test_pool.c).
 */
#ifndef POOL_TESTS_H
#define POOL_TESTS_H

#include <stddef.h>

#include "unit.h"

/* Every slot of every pool; allocated by the fixture. */
extern shmbox_slot_t *pool_handles;

/* Allocates every slot into pool_handles, from the smallest pool that fits
 * @p size, checking each comes from the right pool. */
void pool_alloc_all(shmbox_t *sb, size_t size);

/* pool_integrity.c: forged handles, alignment, freeing on close,
 * reclaim of a dead owner's slots, a corrupt pool. */
void pool_add_integrity_tests(TCase *tc);

#endif
