// SPDX-License-Identifier: MIT
/*
 * Slot pools: fixed-size slots on a free list (a stack of indices), one
 * lock per pool, O(1) alloc and free.
 *
 * The descriptor state words are the truth; the free list is derived from
 * them. Every step that changes a descriptor happens before the list head
 * moves, so after an owner died in the critical section the list is
 * rebuilt from the states (O(slots), on recovery only).
 */
#include <string.h>

#include "pool.h"

#include <errno.h>

#include "fork.h"
#include "hooks.h"
#include "wait.h"

void sbx_pool_rebuild(shmbox_t *sb, unsigned pool)
{
    struct shmbox_pool_ctl *c = sbx_pool_of(sb, pool);
    struct shmbox_slot_desc *d = sbx_desc_of(sb, pool);
    uint32_t count = sb->lay.slot_count[pool];
    uint32_t head = 0, used = 0;

    for (uint32_t i = count; i-- > 0;) {
        uint32_t w = atomic_load_explicit(&d[i].state, memory_order_relaxed);
        if (SHMBOX_SLOT_STATE(w) == SHMBOX_SLOT_USED || SHMBOX_SLOT_STATE(w) == SHMBOX_SLOT_CACHED) {
            used++;
            continue;
        }
        if (SHMBOX_SLOT_STATE(w) != SHMBOX_SLOT_FREE) /* garbage: make it free */
            atomic_store_explicit(&d[i].state, SHMBOX_SLOT_WORD(SHMBOX_SLOT_FREE, SHMBOX_SLOT_GEN(w) + 1u),
                                  memory_order_relaxed);
        atomic_store_explicit(&d[i].owner, SHMBOX_OWNER_NONE, memory_order_relaxed);
        d[i].next = head;
        head = i + 1u;
    }
    c->free_head = head;
    c->used = used;
    if (c->peak < used || c->peak > count)
        c->peak = used;
}

/* Take the pool lock, repairing the pool if a previous owner died in it. */
int sbx_pool_lock(shmbox_t *sb, unsigned pool, struct sbx_deadline *d)
{
    struct shmbox_pool_ctl *c = sbx_pool_of(sb, pool);
    int rc = sbx_lock_take(&c->lock, SBX_LOCK_POOL, sb, d);
    if (rc == SHMBOX_LOCK_REPAIR) {
        sbx_pool_rebuild(sb, pool);
        rc = 0;
    }
    return rc;
}

void sbx_pool_init(shmbox_t *sb)
{
    for (unsigned p = 0; p < sb->lay.pool_count; p++) {
        struct shmbox_pool_ctl *c = sbx_pool_of(sb, p);
        struct shmbox_slot_desc *d = sbx_desc_of(sb, p);
        uint32_t count = sb->lay.slot_count[p];
        memset(c, 0, sizeof(*c));
        c->slot_size = sb->lay.slot_size[p];
        c->slot_count = count;
        for (uint32_t i = 0; i < count; i++) {
            d[i].next = i + 2u <= count ? i + 2u : 0u;
            atomic_store_explicit(&d[i].state, SHMBOX_SLOT_WORD(SHMBOX_SLOT_FREE, 1u), memory_order_relaxed);
            atomic_store_explicit(&d[i].owner, SHMBOX_OWNER_NONE, memory_order_relaxed);
            d[i].reserved0 = 0;
        }
        c->free_head = 1;
    }
}

/*
 * Push slot @p idx of @p pool back, pool lock held: its state word moves
 * from @p seen (as the caller checked it) to FREE(gen + 1) by a
 * compare-and-swap, since a thread's slot cache changes states without the
 * pool lock: of a free here and a racing free into a cache, one wins.
 * @retval 0 (pushed), -EALREADY (the state moved since it was checked)
 */
static int pool_push(shmbox_t *sb, unsigned pool, uint32_t idx, uint32_t seen, uint32_t gen)
{
    struct shmbox_pool_ctl *c = sbx_pool_of(sb, pool);
    struct shmbox_slot_desc *d = sbx_desc_of(sb, pool);

    d[idx].next = c->free_head; /* meaningful only once the slot is FREE */
    if (!atomic_compare_exchange_strong_explicit(&d[idx].state, &seen, SHMBOX_SLOT_WORD(SHMBOX_SLOT_FREE, gen + 1u),
                                                 memory_order_acq_rel, memory_order_relaxed))
        return -EALREADY;
    atomic_store_explicit(&d[idx].owner, SHMBOX_OWNER_NONE, memory_order_relaxed);
    SHMBOX_HOOK(SHMBOX_HOOK_POOL_PUSHED);
    atomic_signal_fence(memory_order_seq_cst); /* the state before the head (sbx_pool_rebuild) */
    c->free_head = idx + 1u;
    if (c->used > 0)
        c->used--;
    return 0;
}

/*
 * Return slot @p idx of @p pool, named with generation @p gen, to the pool
 * if its descriptor is in @p state (USED: a free; CACHED: a cache flush)
 * and not queued in a mailbox.
 * @retval 0, -EALREADY (freed through this handle already), -EINVAL, lock errors
 */
int sbx_pool_release(shmbox_t *sb, unsigned pool, uint32_t idx, uint32_t state, uint32_t gen)
{
    struct sbx_deadline never = sbx_deadline_never();
    int rc = sbx_pool_lock(sb, pool, &never);
    if (rc < 0)
        return rc;
    struct shmbox_pool_ctl *c = sbx_pool_of(sb, pool);
    struct shmbox_slot_desc *d = &sbx_desc_of(sb, pool)[idx];
    uint32_t w = atomic_load_explicit(&d->state, memory_order_relaxed);
    uint32_t o = atomic_load_explicit(&d->owner, memory_order_relaxed);
    int waiters = 0;
    /* The owner word is claimed by compare-and-swap: a send_slot racing
     * this free (it swaps the owner for the mailbox without this lock)
     * wins or loses as a whole, never both of them. */
    if (w == SHMBOX_SLOT_WORD(state, gen) && o != SHMBOX_OWNER_MBOX &&
        atomic_compare_exchange_strong_explicit(&d->owner, &o, SHMBOX_OWNER_NONE, memory_order_acq_rel,
                                                memory_order_relaxed)) {
        /* A cached slot's generation moved on when it was cached: it
         * stays, so a second free of the freed handle still says -EALREADY. */
        rc = pool_push(sb, pool, idx, w, state == SHMBOX_SLOT_CACHED ? gen - 1u : gen);
        if (rc < 0) /* its state moved meanwhile: the owner it had stays */
            atomic_store_explicit(&d->owner, o, memory_order_relaxed);
        /* Under the lock: an allocator that counted itself before its
         * last look is seen here (see shmbox_slot_alloc). */
        waiters = rc == 0 && atomic_load_explicit(&c->sleepers, memory_order_relaxed) != 0;
    } else if (SHMBOX_SLOT_GEN(w) == ((gen + 1u) & 0xffu) && SHMBOX_SLOT_STATE(w) != SHMBOX_SLOT_USED) {
        rc = -EALREADY; /* freed through this handle already (and not reallocated since: stale) */
    } else {
        rc = -EINVAL;
    }
    sbx_lock_give(&c->lock, SBX_LOCK_POOL);
    SHMBOX_HOOK(SHMBOX_HOOK_POOL_FREED);
    if (waiters) /* no waiter, no shared write beyond the lock */
        sbx_ring(sb, sbx_signal_seq(&c->seq, &c->sleepers));
    return rc;
}

/* Descriptor of a used, not queued slot named by a valid handle, or NULL. */
static struct shmbox_slot_desc *used_desc(const shmbox_t *sb, shmbox_slot_t slot, unsigned *pool, uint32_t *idx)
{
    if (sbx_handle_check(sb) < 0 || sbx_slot_decode(sb, slot, pool, idx) < 0)
        return NULL;
    struct shmbox_slot_desc *d = &sbx_desc_of(sb, *pool)[*idx];
    uint32_t w = atomic_load_explicit(&d->state, memory_order_acquire);
    if (SHMBOX_SLOT_STATE(w) != SHMBOX_SLOT_USED || SHMBOX_SLOT_GEN(w) != SHMBOX_H_GEN(slot) ||
        atomic_load_explicit(&d->owner, memory_order_relaxed) == SHMBOX_OWNER_MBOX)
        return NULL;
    return d;
}

void *shmbox_slot_ptr(const shmbox_t *sb, shmbox_slot_t slot)
{
    unsigned pool;
    uint32_t idx;
    if (used_desc(sb, slot, &pool, &idx) == NULL)
        return NULL;
    return sbx_slot_data(sb, pool, idx);
}

size_t shmbox_slot_size(const shmbox_t *sb, shmbox_slot_t slot)
{
    unsigned pool;
    uint32_t idx;
    if (used_desc(sb, slot, &pool, &idx) == NULL)
        return 0;
    return sb->lay.slot_size[pool];
}

int sbx_slot_set_owner(shmbox_t *sb, shmbox_slot_t slot, uint32_t from, uint32_t to)
{
    unsigned pool;
    uint32_t idx;
    if (sbx_slot_decode(sb, slot, &pool, &idx) < 0)
        return -EINVAL;
    struct shmbox_slot_desc *d = &sbx_desc_of(sb, pool)[idx];
    uint32_t w = atomic_load_explicit(&d->state, memory_order_acquire);
    if (SHMBOX_SLOT_STATE(w) != SHMBOX_SLOT_USED || SHMBOX_SLOT_GEN(w) != SHMBOX_H_GEN(slot))
        return -EINVAL;
    if (!atomic_compare_exchange_strong_explicit(&d->owner, &from, to, memory_order_seq_cst,
                                                 memory_order_relaxed))
        return -EINVAL;
    /* Still the slot it was (not freed, cached by a racing free, or
     * allocated again between the look and the swap): else the swap is
     * undone. seq_cst: see sbx_cache_put. */
    if (atomic_load_explicit(&d->state, memory_order_seq_cst) != w) {
        uint32_t mine = to;
        (void)atomic_compare_exchange_strong_explicit(&d->owner, &mine, from, memory_order_acq_rel,
                                                      memory_order_relaxed);
        return -EINVAL;
    }
    return 0;
}

int sbx_slot_orphan(shmbox_t *sb, shmbox_slot_t slot, struct sbx_deadline *d)
{
    unsigned pool;
    uint32_t idx;
    if (sbx_slot_decode(sb, slot, &pool, &idx) < 0)
        return 0; /* a hostile handle names no slot: nothing to do */
    int rc = sbx_pool_lock(sb, pool, d);
    if (rc < 0)
        return rc;
    struct shmbox_slot_desc *desc = &sbx_desc_of(sb, pool)[idx];
    uint32_t w = atomic_load_explicit(&desc->state, memory_order_relaxed);
    if (SHMBOX_SLOT_STATE(w) == SHMBOX_SLOT_USED && SHMBOX_SLOT_GEN(w) == SHMBOX_H_GEN(slot) &&
        atomic_load_explicit(&desc->owner, memory_order_relaxed) == SHMBOX_OWNER_MBOX)
        atomic_store_explicit(&desc->owner, SHMBOX_OWNER_NONE, memory_order_relaxed);
    sbx_pool_unlock(sb, pool);
    return 0;
}

int sbx_slot_queued(const shmbox_t *sb, shmbox_slot_t slot)
{
    unsigned pool;
    uint32_t idx;
    if (sbx_slot_decode(sb, slot, &pool, &idx) < 0)
        return 0;
    struct shmbox_slot_desc *d = &sbx_desc_of(sb, pool)[idx];
    uint32_t w = atomic_load_explicit(&d->state, memory_order_acquire);
    return SHMBOX_SLOT_STATE(w) == SHMBOX_SLOT_USED && SHMBOX_SLOT_GEN(w) == SHMBOX_H_GEN(slot) &&
           atomic_load_explicit(&d->owner, memory_order_relaxed) == SHMBOX_OWNER_MBOX;
}

int sbx_pool_reset(shmbox_t *sb, unsigned pool, struct sbx_deadline *deadline)
{
    struct shmbox_pool_ctl *c = sbx_pool_of(sb, pool);
    int rc = sbx_pool_lock(sb, pool, deadline);
    if (rc < 0)
        return rc;
    struct shmbox_slot_desc *d = sbx_desc_of(sb, pool);
    uint32_t count = sb->lay.slot_count[pool];
    for (uint32_t i = 0; i < count; i++) {
        uint32_t w = atomic_load_explicit(&d[i].state, memory_order_relaxed);
        if (SHMBOX_SLOT_STATE(w) != SHMBOX_SLOT_FREE) /* a stale handle stays stale */
            atomic_store_explicit(&d[i].state, SHMBOX_SLOT_WORD(SHMBOX_SLOT_FREE, SHMBOX_SLOT_GEN(w) + 1u),
                                  memory_order_relaxed);
        atomic_store_explicit(&d[i].owner, SHMBOX_OWNER_NONE, memory_order_relaxed);
        d[i].next = i + 2u <= count ? i + 2u : 0u;
        if (i == count / 2u)
            SHMBOX_HOOK(SHMBOX_HOOK_POOL_RESETTING);
    }
    atomic_signal_fence(memory_order_seq_cst); /* the states before the head (sbx_pool_rebuild) */
    c->free_head = count > 0 ? 1u : 0u;
    c->used = 0;
    c->peak = 0;
    atomic_store_explicit(&c->sleepers, 0u, memory_order_relaxed);
    sbx_lock_give(&c->lock, SBX_LOCK_POOL);
    return 0;
}

int sbx_pool_reclaim(shmbox_t *sb, const uint32_t *dead, struct sbx_deadline *deadline)
{
    int freed = 0;
    for (unsigned p = 0; p < sb->lay.pool_count; p++) {
        if (sbx_pool_lock(sb, p, deadline) < 0)
            continue; /* held past the deadline: that pool's turn comes later */
        struct shmbox_slot_desc *d = sbx_desc_of(sb, p);
        int before = freed;
        for (uint32_t i = 0; i < sb->lay.slot_count[p]; i++) {
            uint32_t w = atomic_load_explicit(&d[i].state, memory_order_relaxed);
            uint32_t o = atomic_load_explicit(&d[i].owner, memory_order_relaxed);
            if ((SHMBOX_SLOT_STATE(w) != SHMBOX_SLOT_USED && SHMBOX_SLOT_STATE(w) != SHMBOX_SLOT_CACHED) ||
                o == SHMBOX_OWNER_MBOX)
                continue;
            /* Owner 0 or out of range on a used slot: nobody can free it. */
            if (o == SHMBOX_OWNER_NONE || o > sb->lay.max_procs ||
                (dead[(o - 1u) / 32u] >> ((o - 1u) % 32u) & 1u)) {
                if (pool_push(sb, p, i, w, SHMBOX_SLOT_GEN(w)) == 0)
                    freed++;
            }
        }
        struct shmbox_pool_ctl *c = sbx_pool_of(sb, p);
        sbx_lock_give(&c->lock, SBX_LOCK_POOL);
        if (freed > before) /* k slots back: up to k waiters can be served */
            sbx_ring(sb, sbx_signal_seq_n(&c->seq, &c->sleepers, (uint32_t)(freed - before)));
    }
    return freed;
}
