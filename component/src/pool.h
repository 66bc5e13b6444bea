// SPDX-License-Identifier: MIT
/* Slot pools (pool.c): the free lists, their locks and their repair. */
#ifndef SHMBOX_POOL_H
#define SHMBOX_POOL_H

#include <errno.h>
#include <stdatomic.h>

#include <shmbox/shmbox.h>

#include "access.h"
#include "deadline.h"
#include "hooks.h"
#include "lock.h"

/* Make every pool as new (a region being created). */
void sbx_pool_init(shmbox_t *sb);

/* Take a pool's lock, repairing the pool if its last owner died in it. */
int sbx_pool_lock(shmbox_t *sb, unsigned pool, struct sbx_deadline *d);

/* Give back the lock sbx_pool_lock() took. */
static inline void sbx_pool_unlock(shmbox_t *sb, unsigned pool)
{
    sbx_lock_give(&sbx_pool_of(sb, pool)->lock, SBX_LOCK_POOL);
}

/* Rebuild @p pool's free list from its descriptor states, the truth
 * (pool lock held): after a death inside, or a corrupt list. */
void sbx_pool_rebuild(shmbox_t *sb, unsigned pool);

/* Take the first free slot of @p pool for owner @p owner (process index
 * + 1) into *slot, pool lock held: 0, -ENOMEM (none free), -EBADMSG (a
 * corrupt free list). Inline: the alloc's hot path. */
static inline int sbx_pool_pop(shmbox_t *sb, unsigned pool, uint32_t owner, shmbox_slot_t *slot)
{
    struct shmbox_pool_ctl *c = sbx_pool_of(sb, pool);
    struct shmbox_slot_desc *d = sbx_desc_of(sb, pool);
    uint32_t count = sb->lay.slot_count[pool];
    uint32_t head = c->free_head;

    if (head == 0)
        return -ENOMEM;
    if (head > count)
        return -EBADMSG;
    uint32_t idx = head - 1u;
    uint32_t w = atomic_load_explicit(&d[idx].state, memory_order_relaxed);
    uint32_t next = d[idx].next;
    if (SHMBOX_SLOT_STATE(w) != SHMBOX_SLOT_FREE || next > count)
        return -EBADMSG;
    /* release: a send_slot's owner swap that reads this owner then sees
     * the state the slot had before (freed: not the generation it looked at). */
    atomic_store_explicit(&d[idx].owner, owner, memory_order_release);
    atomic_store_explicit(&d[idx].state, SHMBOX_SLOT_WORD(SHMBOX_SLOT_USED, SHMBOX_SLOT_GEN(w)),
                          memory_order_release);
    SHMBOX_HOOK(SHMBOX_HOOK_POOL_POPPED);
    atomic_signal_fence(memory_order_seq_cst); /* the state before the head (sbx_pool_rebuild) */
    c->free_head = next;
    c->used++;
#ifdef CONFIG_SHMBOX_STATS
    if (c->used > c->peak)
        c->peak = c->used;
#endif
    *slot = SHMBOX_HANDLE(pool, idx, SHMBOX_SLOT_GEN(w));
    return 0;
}

/* One try at @p pool: lock it, pop a slot (a corrupt free list is rebuilt
 * first), unlock. 0, -ENOMEM, -EBADMSG, or lock errors. Inline: the
 * alloc's path through the pools. */
static inline int sbx_pool_take(shmbox_t *sb, unsigned pool, uint32_t owner, shmbox_slot_t *slot,
                                struct sbx_deadline *d)
{
    /* NO_WAIT: a bounded wait for the briefly held lock (sbx_lock_take). */
    int rc = sbx_pool_lock(sb, pool, d);
    if (rc < 0)
        return rc;
    rc = sbx_pool_pop(sb, pool, owner, slot);
    if (rc == -EBADMSG) {
        /* A corrupt free list (a hostile or broken peer): the descriptor
         * states are the truth, rebuild from them. */
        sbx_pool_rebuild(sb, pool);
        rc = sbx_pool_pop(sb, pool, owner, slot);
    }
    sbx_pool_unlock(sb, pool);
    return rc;
}

/* Return a slot in @p state (USED or CACHED) with generation @p gen to its
 * pool, waking an allocator that waits for one: 0, -EALREADY, -EINVAL, or
 * lock errors. */
int sbx_pool_release(shmbox_t *sb, unsigned pool, uint32_t idx, uint32_t state, uint32_t gen);

/* Free every used slot whose owner o (process index + 1) has
 * dead[(o-1)/32] bit (o-1)%32 set, and every ownerless one: the number
 * freed. A pool whose lock is not had by @p d is left for later. */
int sbx_pool_reclaim(shmbox_t *sb, const uint32_t *dead, struct sbx_deadline *d);

/* Make pool @p pool as new (every slot free) under its lock (a stale
 * region's replacement): a death part-way leaves the lock dirty, and its
 * next taker rebuilds the pool from the slot states. 0 or lock errors. */
int sbx_pool_reset(shmbox_t *sb, unsigned pool, struct sbx_deadline *d);

/* Validate handle @p slot's pool and index (not the descriptor it names):
 * 0 and *pool, *idx, or -EINVAL. */
static inline int sbx_slot_decode(const shmbox_t *sb, shmbox_slot_t slot, unsigned *pool, uint32_t *idx)
{
    unsigned p = SHMBOX_H_POOL(slot);
    uint32_t i = slot & SHMBOX_H_INDEX_MASK;
    if (i == 0 || p >= sb->lay.pool_count || i > sb->lay.slot_count[p])
        return -EINVAL;
    *pool = p;
    *idx = i - 1u;
    return 0;
}

/* Change the owner of a used slot (mailbox hand-over); 0 or -EINVAL. */
int sbx_slot_set_owner(shmbox_t *sb, shmbox_slot_t slot, uint32_t from, uint32_t to);

/* 1 if @p slot names a used slot owned by the mailboxes (queued), else 0. */
int sbx_slot_queued(const shmbox_t *sb, shmbox_slot_t slot);

/* Repair of a hand-over cut by a death: if @p slot is used and owned by
 * the mailboxes, make it ownerless so that shmbox_reclaim() frees it.
 * Under the pool lock, so it cannot race a reclaim or a reuse of the slot.
 * 0, or lock errors. */
int sbx_slot_orphan(shmbox_t *sb, shmbox_slot_t slot, struct sbx_deadline *d);

#endif /* SHMBOX_POOL_H */
