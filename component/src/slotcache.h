// SPDX-License-Identifier: MIT
/*
 * Per-thread slot cache, the fast paths (CONFIG_SHMBOX_SLOT_CACHE > 0):
 * inline in alloc and free. The rules are in slotcache.c.
 */
#ifndef SHMBOX_SLOTCACHE_H
#define SHMBOX_SLOTCACHE_H

#include <stdatomic.h>

#include <shmbox/shmbox.h>

#include "access.h"

#if CONFIG_SHMBOX_SLOT_CACHE > 0

/* Drop the calling thread's cache of @p sb's region (at close: the detach
 * frees cached slots with the rest). */
void sbx_cache_forget(const shmbox_t *sb);

struct shmbox_slot_cache {
    uint32_t handle;           /* shmbox_t.handle_id of the handle it serves, 0: none */
    uint32_t owner;            /* process index + 1 the slots belong to */
    uint32_t n[CONFIG_SHMBOX_POOL_COUNT];
    shmbox_slot_t slot[CONFIG_SHMBOX_POOL_COUNT][CONFIG_SHMBOX_SLOT_CACHE];
};

/* The calling thread's cache (defined in slotcache.c). */
extern _Thread_local struct shmbox_slot_cache shmbox_tc;

/* Bind the empty cache to @p sb: 1, or 0 if it holds another handle's
 * slots or forks cannot be watched (slotcache.c). */
int sbx_cache_bind(const shmbox_t *sb);

/* 1 if the cache is this thread's for @p sb (bound now if it was empty). */
static inline int cache_ours(const shmbox_t *sb)
{
    if (shmbox_tc.handle == sb->handle_id)
        return 1;
    return sbx_cache_bind(sb);
}

/* 1 and *slot if the calling thread had a slot of @p pool cached. */
static inline int sbx_cache_get(shmbox_t *sb, unsigned pool, shmbox_slot_t *slot)
{
    /* A pool beyond this build's: a handle of another layout (never bound). */
    if (pool >= CONFIG_SHMBOX_POOL_COUNT || shmbox_tc.n[pool] == 0 || !cache_ours(sb))
        return 0;
    while (shmbox_tc.n[pool] > 0) {
        shmbox_slot_t h = shmbox_tc.slot[pool][--shmbox_tc.n[pool]];
        struct shmbox_slot_desc *d = &sbx_desc_of(sb, pool)[(h & SHMBOX_H_INDEX_MASK) - 1u];
        uint32_t w = atomic_load_explicit(&d->state, memory_order_relaxed);
        /* Re-checked: the region is untrusted. A slot that changed is no
         * longer this cache's; the pool's rules apply to it. */
        if (w != SHMBOX_SLOT_WORD(SHMBOX_SLOT_CACHED, SHMBOX_H_GEN(h)) ||
            atomic_load_explicit(&d->owner, memory_order_relaxed) != shmbox_tc.owner)
            continue;
        atomic_store_explicit(&d->state, SHMBOX_SLOT_WORD(SHMBOX_SLOT_USED, SHMBOX_H_GEN(h)), memory_order_release);
        *slot = h;
        return 1;
    }
    return 0;
}

/* 1 if the slot, a valid handle's @p pool / @p idx, is now cached. */
static inline int sbx_cache_put(shmbox_t *sb, unsigned pool, uint32_t idx, shmbox_slot_t slot)
{
    if (!cache_ours(sb) || shmbox_tc.n[pool] == CONFIG_SHMBOX_SLOT_CACHE)
        return 0;
    struct shmbox_slot_desc *d = &sbx_desc_of(sb, pool)[idx];
    uint32_t gen = SHMBOX_H_GEN(slot);
    uint32_t w = SHMBOX_SLOT_WORD(SHMBOX_SLOT_USED, gen);
    /* Only this process's own slots (not queued, not a peer's). */
    if (atomic_load_explicit(&d->owner, memory_order_relaxed) != shmbox_tc.owner ||
        !atomic_compare_exchange_strong_explicit(&d->state, &w, SHMBOX_SLOT_WORD(SHMBOX_SLOT_CACHED, gen + 1u),
                                                 memory_order_seq_cst, memory_order_relaxed))
        return 0; /* the pool's free decides, and reports */
    /* A send_slot of the same handle racing this free swaps the owner for
     * the mailbox, then looks at the state (sbx_slot_set_owner): of the
     * two looks after the two swaps (seq_cst) one sees the other's; here
     * the send wins, this swap is undone and the pool's free reports. */
    if (atomic_load_explicit(&d->owner, memory_order_seq_cst) != shmbox_tc.owner) {
        uint32_t cached = SHMBOX_SLOT_WORD(SHMBOX_SLOT_CACHED, gen + 1u);
        (void)atomic_compare_exchange_strong_explicit(&d->state, &cached, SHMBOX_SLOT_WORD(SHMBOX_SLOT_USED, gen),
                                                      memory_order_seq_cst, memory_order_relaxed);
        return 0;
    }
    shmbox_tc.slot[pool][shmbox_tc.n[pool]++] = SHMBOX_HANDLE(pool, idx, gen + 1u);
    return 1;
}

#else

#define sbx_cache_forget(sb) ((void)(sb))
#define sbx_cache_get(sb, pool, slot) ((void)(sb), (void)(pool), (void)(slot), 0)
#define sbx_cache_put(sb, pool, idx, slot) ((void)(sb), (void)(pool), (void)(idx), (void)(slot), 0)

#endif

#endif /* SHMBOX_SLOTCACHE_H */
