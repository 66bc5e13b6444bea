/*
 * Per-thread slot cache (CONFIG_SHMBOX_SLOT_CACHE > 0), like malloc's
 * thread cache: a free keeps the slot in the freeing thread, still
 * allocated to its process, and that thread's next alloc of the same pool
 * takes it back without the pool lock.
 *
 * A cached slot's descriptor says CACHED, with the generation moved on as
 * by a free: the old handle is stale (slot_ptr NULL, a second free
 * -EALREADY, send_slot -EINVAL). Its owner stays this process, so
 * reclaim and detach free it like any slot of the process (its death,
 * shmbox_close()). Nothing but this thread moves a CACHED descriptor
 * while the process lives, so taking it back is two plain stores; putting
 * it in is one compare-and-swap (a racing second free of the same handle
 * by another thread of the process must not cache it twice).
 *
 * The cache belongs to one thread and serves one open handle (region
 * mapping and process entry) at a time: the first one that frees through
 * it while it is empty. With another handle the thread takes the pool's
 * path. A forked child inherits a copy naming its parent's slots: the
 * thread id tells, and the copy is dropped untouched. An entry that no
 * longer matches its descriptor (the handle was closed and its slots
 * reclaimed) is dropped when met.
 */
#include "internal.h"

#if CONFIG_SHMBOX_SLOT_CACHE > 0

struct slot_cache {
    const unsigned char *base; /* region of the cached slots */
    uint32_t tid;              /* thread that filled it */
    uint32_t owner;            /* process index + 1 the slots belong to */
    uint32_t n[CONFIG_SHMBOX_POOL_COUNT];
    shmbox_slot_t slot[CONFIG_SHMBOX_POOL_COUNT][CONFIG_SHMBOX_SLOT_CACHE];
};

static _Thread_local struct slot_cache tc;

static int cache_empty(void)
{
    for (unsigned p = 0; p < CONFIG_SHMBOX_POOL_COUNT; p++)
        if (tc.n[p] != 0)
            return 0;
    return 1;
}

/* 1 if the cache is this thread's and holds (or may hold) @p sb's slots. */
static int cache_ours(const shmbox_t *sb)
{
    uint32_t tid = shmbox_port_tid();
    if (tc.tid != tid) { /* empty, or a forked child's copy of its parent's */
        for (unsigned p = 0; p < CONFIG_SHMBOX_POOL_COUNT; p++)
            tc.n[p] = 0;
        tc.base = NULL;
        tc.tid = tid;
    }
    if (tc.base == sb->base && tc.owner == sb->proc_index + 1u)
        return 1;
    if (!cache_empty())
        return 0; /* another region's or handle's: left as it is */
    tc.base = sb->base;
    tc.owner = sb->proc_index + 1u;
    return 1;
}

int shmbox_cache_get(shmbox_t *sb, unsigned pool, shmbox_slot_t *slot)
{
    if (tc.n[pool] == 0 || !cache_ours(sb))
        return 0;
    while (tc.n[pool] > 0) {
        shmbox_slot_t h = tc.slot[pool][--tc.n[pool]];
        struct shmbox_slot_desc *d = &shmbox_desc_of(sb, pool)[(h & SHMBOX_H_INDEX_MASK) - 1u];
        uint32_t w = atomic_load_explicit(&d->state, memory_order_relaxed);
        /* Re-checked: the region is untrusted. A slot that changed is no
         * longer this cache's; the pool's rules apply to it. */
        if (w != SHMBOX_SLOT_WORD(SHMBOX_SLOT_CACHED, SHMBOX_H_GEN(h)) ||
            atomic_load_explicit(&d->owner, memory_order_relaxed) != tc.owner)
            continue;
        atomic_store_explicit(&d->state, SHMBOX_SLOT_WORD(SHMBOX_SLOT_USED, SHMBOX_H_GEN(h)), memory_order_release);
        *slot = h;
        return 1;
    }
    return 0;
}

int shmbox_cache_put(shmbox_t *sb, unsigned pool, uint32_t idx, shmbox_slot_t slot)
{
    if (!cache_ours(sb) || tc.n[pool] == CONFIG_SHMBOX_SLOT_CACHE)
        return 0;
    struct shmbox_slot_desc *d = &shmbox_desc_of(sb, pool)[idx];
    uint32_t gen = SHMBOX_H_GEN(slot);
    uint32_t w = SHMBOX_SLOT_WORD(SHMBOX_SLOT_USED, gen);
    /* Only this process's own slots (not queued, not a peer's). */
    if (atomic_load_explicit(&d->owner, memory_order_relaxed) != tc.owner ||
        !atomic_compare_exchange_strong_explicit(&d->state, &w, SHMBOX_SLOT_WORD(SHMBOX_SLOT_CACHED, gen + 1u),
                                                 memory_order_acq_rel, memory_order_relaxed))
        return 0; /* the pool's free decides, and reports */
    tc.slot[pool][tc.n[pool]++] = SHMBOX_HANDLE(pool, idx, gen + 1u);
    return 1;
}

void shmbox_cache_forget(const shmbox_t *sb)
{
    if (tc.base == sb->base && tc.tid == shmbox_port_tid())
        for (unsigned p = 0; p < CONFIG_SHMBOX_POOL_COUNT; p++)
            tc.n[p] = 0;
}

int shmbox_slot_cache_flush(shmbox_t *sb)
{
    if (!shmbox_is_open(sb))
        return -EINVAL;
    if (!cache_ours(sb))
        return 0;
    int n = 0;
    for (unsigned p = 0; p < CONFIG_SHMBOX_POOL_COUNT; p++) {
        while (tc.n[p] > 0) {
            shmbox_slot_t h = tc.slot[p][tc.n[p] - 1u];
            int rc = shmbox_pool_release(sb, p, (h & SHMBOX_H_INDEX_MASK) - 1u, SHMBOX_SLOT_CACHED, SHMBOX_H_GEN(h));
            if (rc != 0 && rc != -EINVAL && rc != -EALREADY)
                return rc; /* the pool's lock: the rest stays cached */
            tc.n[p]--;
            n += rc == 0;
        }
    }
    return n;
}

#else

int shmbox_slot_cache_flush(shmbox_t *sb)
{
    return shmbox_is_open(sb) ? 0 : -EINVAL;
}

#endif
