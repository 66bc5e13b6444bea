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

#include "hooks.h"
#include "internal.h"
#include "slotcache.h"

static void pool_rebuild(shmbox_t *sb, unsigned pool)
{
    struct shmbox_pool_ctl *c = sbx_pool_of(sb, pool);
    struct shmbox_slot_desc *d = sbx_desc_of(sb, pool);
    uint32_t count = sbx_layout_slot_count[pool];
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
int sbx_pool_lock(shmbox_t *sb, unsigned pool, struct sbx_when *w)
{
    struct shmbox_pool_ctl *c = sbx_pool_of(sb, pool);
    int rc = sbx_lock_take_when(&c->lock, sbx_recoveries(sb), w);
    if (rc == SHMBOX_LOCK_REPAIR) {
        pool_rebuild(sb, pool);
        rc = 0;
    }
    return rc;
}

void sbx_pool_init(shmbox_t *sb)
{
    for (unsigned p = 0; p < CONFIG_SHMBOX_POOL_COUNT; p++) {
        struct shmbox_pool_ctl *c = sbx_pool_of(sb, p);
        struct shmbox_slot_desc *d = sbx_desc_of(sb, p);
        uint32_t count = sbx_layout_slot_count[p];
        memset(c, 0, sizeof(*c));
        c->slot_size = sbx_layout_slot_size[p];
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

/* Pop one slot of @p pool for owner @p owner, pool lock held. */
static int pool_pop(shmbox_t *sb, unsigned pool, uint32_t owner, shmbox_slot_t *slot)
{
    struct shmbox_pool_ctl *c = sbx_pool_of(sb, pool);
    struct shmbox_slot_desc *d = sbx_desc_of(sb, pool);
    uint32_t count = sbx_layout_slot_count[pool];
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
    atomic_store_explicit(&d[idx].owner, owner, memory_order_relaxed);
    atomic_store_explicit(&d[idx].state, SHMBOX_SLOT_WORD(SHMBOX_SLOT_USED, SHMBOX_SLOT_GEN(w)),
                          memory_order_release);
    SHMBOX_HOOK(SHMBOX_HOOK_POOL_POPPED);
    atomic_signal_fence(memory_order_seq_cst); /* the state before the head (pool_rebuild) */
    c->free_head = next;
    c->used++;
#ifdef CONFIG_SHMBOX_STATS
    if (c->used > c->peak)
        c->peak = c->used;
#endif
    *slot = SHMBOX_HANDLE(pool, idx, SHMBOX_SLOT_GEN(w));
    return 0;
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
    atomic_signal_fence(memory_order_seq_cst); /* the state before the head (pool_rebuild) */
    c->free_head = idx + 1u;
    if (c->used > 0)
        c->used--;
    return 0;
}

/*
 * Rate limit for the reclaim an exhausted alloc runs: it reads every
 * process's liveness (O(processes) system calls on Linux), so a caller
 * polling an empty pool with SHMBOX_NO_WAIT, or one blocked in a wait,
 * runs it at most every RECLAIM_EVERY_MS. Threads sharing the handle race
 * benignly on the field (relaxed atomics).
 */
#define RECLAIM_EVERY_MS 100u

/* Longest sleep of a blocked alloc between two looks at its pools: on the
 * smallest fitting pool's seq when no bigger pool fits, else shorter (a
 * free into a bigger pool signals only that pool). */
#define ALLOC_SLICE_NS 100000000u
#define ALLOC_BIGGER_SLICE_NS 10000000u

static int reclaim_due(shmbox_t *sb)
{
    uint32_t now = (uint32_t)(shmbox_port_now_ns() / 1000000u);
    uint32_t at = __atomic_load_n(&sb->reclaim_ms, __ATOMIC_RELAXED);
    if (at != 0 && (int32_t)(now - at) < 0)
        return 0;
    /* Due again one slice later: a sleep of ALLOC_SLICE_NS ends a little
     * past it, never before (-2: the |1 that keeps the field nonzero). */
    __atomic_store_n(&sb->reclaim_ms, (now + RECLAIM_EVERY_MS - 2u) | 1u, __ATOMIC_RELAXED);
    return 1;
}

/* The reclaim inside an alloc keeps to the alloc's deadline; a NO_WAIT
 * alloc's to the bound of a NO_WAIT lock wait, once for all its locks. */
static uint64_t reclaim_deadline(struct sbx_when *w)
{
    uint64_t d = sbx_when_at(w);
    return d == SHMBOX_DEADLINE_NOW ? shmbox_port_now_ns() + SHMBOX_LOCK_NOWAIT_NS : d;
}

int shmbox_slot_alloc(shmbox_t *sb, size_t size, shmbox_slot_t *slot, int32_t timeout_ms)
{
    int hc = sbx_handle_check(sb);
    if (hc < 0)
        return hc;
    if (slot == NULL || size == 0 || (timeout_ms < 0 && timeout_ms != SHMBOX_FOREVER))
        return -EINVAL;
    unsigned first = 0;
    while (first < CONFIG_SHMBOX_POOL_COUNT && sbx_layout_slot_size[first] < size)
        first++;
    if (first == CONFIG_SHMBOX_POOL_COUNT)
        return -EMSGSIZE;
    if (sbx_cache_get(sb, first, slot))
        return 0; /* no clock read, no lock */
    return sbx_pool_alloc(sb, first, slot, timeout_ms);
}

int sbx_pool_alloc(shmbox_t *sb, unsigned first, shmbox_slot_t *slot, int32_t timeout_ms)
{
    struct sbx_when w;
    if (sbx_when_init(timeout_ms, &w) < 0)
        return -EINVAL;
    uint32_t owner = sb->proc_index + 1u;
    int waiting = 0, rc;
    struct shmbox_pool_ctl *c0 = sbx_pool_of(sb, first);
    for (;;) {
        /* Sample the first fitting pool's sequence before looking, so a
         * free that happens after the look wakes us. Every fitting pool's
         * free bumps its own seq; we sleep on the smallest fitting one and
         * re-check all of them on every wake-up or spin timeout. */
        uint32_t seen = atomic_load_explicit(&c0->seq, memory_order_acquire);
        for (unsigned p = first; p < CONFIG_SHMBOX_POOL_COUNT; p++) {
            /* NO_WAIT: a bounded wait for the briefly held lock (sbx_lock_take). */
            rc = sbx_pool_lock(sb, p, &w);
            if (rc < 0)
                goto out;
            rc = pool_pop(sb, p, owner, slot);
            if (rc == -EBADMSG) {
                /* A corrupt free list (a hostile or broken peer): the
                 * descriptor states are the truth, rebuild from them. */
                pool_rebuild(sb, p);
                rc = pool_pop(sb, p, owner, slot);
            }
            sbx_lock_give(&sbx_pool_of(sb, p)->lock);
            if (rc != -ENOMEM)
                goto out;
        }
        /* Exhausted: slots of dead processes are the first place to look,
         * at once and then again every RECLAIM_EVERY_MS while waiting (a
         * process that dies while we wait frees nothing by itself). */
        if (reclaim_due(sb) && sbx_proc_reclaim_dead(sb, reclaim_deadline(&w), 1) > 0)
            continue;
        rc = -ENOMEM;
        if (timeout_ms == SHMBOX_NO_WAIT)
            goto out;
        rc = -ETIMEDOUT;
        uint64_t deadline = sbx_when_at(&w);
        if (deadline != 0 && shmbox_port_now_ns() >= deadline)
            goto out;
        if (!waiting) {
            /* Count ourselves as a waiter, then look once more: a free
             * that comes after that look (under the pool lock) sees the
             * count and bumps seq. Frees with no waiter skip the bump. */
            waiting = 1;
            atomic_fetch_add_explicit(&c0->sleepers, 1u, memory_order_relaxed);
            continue;
        }
        /* Never an unbounded sleep: a free in a bigger pool bumps only
         * that pool's seq (short slices see it), and a freer killed
         * between its free and its wake-up, or a holder that died, wakes
         * nobody (ALLOC_SLICE_NS bounds that, and the reclaim above). */
        uint64_t slice = shmbox_port_now_ns() +
                         (first + 1u == CONFIG_SHMBOX_POOL_COUNT ? ALLOC_SLICE_NS : ALLOC_BIGGER_SLICE_NS);
        if (deadline != 0 && deadline < slice)
            slice = deadline;
        (void)sbx_wait_seq_registered(&c0->seq, seen, slice);
    }
out:
    if (waiting)
        atomic_fetch_sub_explicit(&c0->sleepers, 1u, memory_order_relaxed);
    return rc;
}

/*
 * Return slot @p idx of @p pool, named with generation @p gen, to the pool
 * if its descriptor is in @p state (USED: a free; CACHED: a cache flush)
 * and not queued in a mailbox.
 * @retval 0, -EALREADY (freed through this handle already), -EINVAL, lock errors
 */
int sbx_pool_release(shmbox_t *sb, unsigned pool, uint32_t idx, uint32_t state, uint32_t gen)
{
    int rc = sbx_pool_lock(sb, pool, &(struct sbx_when){0, 0});
    if (rc < 0)
        return rc;
    struct shmbox_pool_ctl *c = sbx_pool_of(sb, pool);
    struct shmbox_slot_desc *d = &sbx_desc_of(sb, pool)[idx];
    uint32_t w = atomic_load_explicit(&d->state, memory_order_relaxed);
    int waiters = 0;
    if (w == SHMBOX_SLOT_WORD(state, gen) && atomic_load_explicit(&d->owner, memory_order_relaxed) != SHMBOX_OWNER_MBOX) {
        /* A cached slot's generation moved on when it was cached: it
         * stays, so a second free of the freed handle still says -EALREADY. */
        rc = pool_push(sb, pool, idx, w, state == SHMBOX_SLOT_CACHED ? gen - 1u : gen);
        /* Under the lock: an allocator that counted itself before its
         * last look is seen here (see shmbox_slot_alloc). */
        waiters = rc == 0 && atomic_load_explicit(&c->sleepers, memory_order_relaxed) != 0;
    } else if (SHMBOX_SLOT_GEN(w) == ((gen + 1u) & 0xffu)) {
        rc = -EALREADY; /* freed through this handle already */
    } else {
        rc = -EINVAL;
    }
    sbx_lock_give(&c->lock);
    SHMBOX_HOOK(SHMBOX_HOOK_POOL_FREED);
    if (waiters) /* no waiter, no shared write beyond the lock */
        sbx_signal_seq(&c->seq, &c->sleepers);
    return rc;
}

int shmbox_slot_free(shmbox_t *sb, shmbox_slot_t slot)
{
    unsigned pool;
    uint32_t idx;
    int hc = sbx_handle_check(sb);
    if (hc < 0)
        return hc;
    if (sbx_slot_decode(sb, slot, &pool, &idx) < 0)
        return -EINVAL;
    if (sbx_cache_put(sb, pool, idx, slot))
        return 0;
    return sbx_pool_release(sb, pool, idx, SHMBOX_SLOT_USED, SHMBOX_H_GEN(slot));
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
    return sbx_layout_slot_size[pool];
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
    if (!atomic_compare_exchange_strong_explicit(&d->owner, &from, to, memory_order_acq_rel,
                                                 memory_order_relaxed))
        return -EINVAL;
    return 0;
}

int sbx_slot_orphan(shmbox_t *sb, shmbox_slot_t slot, uint64_t deadline)
{
    unsigned pool;
    uint32_t idx;
    if (sbx_slot_decode(sb, slot, &pool, &idx) < 0)
        return 0; /* a hostile handle names no slot: nothing to do */
    int rc = sbx_pool_lock(sb, pool, &(struct sbx_when){deadline, 0});
    if (rc < 0)
        return rc;
    struct shmbox_slot_desc *d = &sbx_desc_of(sb, pool)[idx];
    uint32_t w = atomic_load_explicit(&d->state, memory_order_relaxed);
    if (SHMBOX_SLOT_STATE(w) == SHMBOX_SLOT_USED && SHMBOX_SLOT_GEN(w) == SHMBOX_H_GEN(slot) &&
        atomic_load_explicit(&d->owner, memory_order_relaxed) == SHMBOX_OWNER_MBOX)
        atomic_store_explicit(&d->owner, SHMBOX_OWNER_NONE, memory_order_relaxed);
    sbx_lock_give(&sbx_pool_of(sb, pool)->lock);
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

int sbx_pool_reset(shmbox_t *sb, unsigned pool, uint64_t deadline)
{
    struct shmbox_pool_ctl *c = sbx_pool_of(sb, pool);
    int rc = sbx_pool_lock(sb, pool, &(struct sbx_when){deadline, 0});
    if (rc < 0)
        return rc;
    struct shmbox_slot_desc *d = sbx_desc_of(sb, pool);
    uint32_t count = sbx_layout_slot_count[pool];
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
    atomic_signal_fence(memory_order_seq_cst); /* the states before the head (pool_rebuild) */
    c->free_head = count > 0 ? 1u : 0u;
    c->used = 0;
    c->peak = 0;
    atomic_store_explicit(&c->sleepers, 0u, memory_order_relaxed);
    sbx_lock_give(&c->lock);
    return 0;
}

int sbx_pool_reclaim(shmbox_t *sb, const uint32_t *dead, uint64_t deadline)
{
    int freed = 0;
    for (unsigned p = 0; p < CONFIG_SHMBOX_POOL_COUNT; p++) {
        if (sbx_pool_lock(sb, p, &(struct sbx_when){deadline, 0}) < 0)
            continue; /* held past the deadline: that pool's turn comes later */
        struct shmbox_slot_desc *d = sbx_desc_of(sb, p);
        int before = freed;
        for (uint32_t i = 0; i < sbx_layout_slot_count[p]; i++) {
            uint32_t w = atomic_load_explicit(&d[i].state, memory_order_relaxed);
            uint32_t o = atomic_load_explicit(&d[i].owner, memory_order_relaxed);
            if ((SHMBOX_SLOT_STATE(w) != SHMBOX_SLOT_USED && SHMBOX_SLOT_STATE(w) != SHMBOX_SLOT_CACHED) ||
                o == SHMBOX_OWNER_MBOX)
                continue;
            /* Owner 0 or out of range on a used slot: nobody can free it. */
            if (o == SHMBOX_OWNER_NONE || o > CONFIG_SHMBOX_MAX_PROCS ||
                (dead[(o - 1u) / 32u] >> ((o - 1u) % 32u) & 1u)) {
                if (pool_push(sb, p, i, w, SHMBOX_SLOT_GEN(w)) == 0)
                    freed++;
            }
        }
        struct shmbox_pool_ctl *c = sbx_pool_of(sb, p);
        sbx_lock_give(&c->lock);
        if (freed > before) /* k slots back: up to k waiters can be served */
            sbx_signal_seq_n(&c->seq, &c->sleepers, (uint32_t)(freed - before));
    }
    return freed;
}

int shmbox_reclaim(shmbox_t *sb)
{
    int hc = sbx_handle_check(sb);
    if (hc < 0)
        return hc;
    return sbx_proc_reclaim_dead(sb, 0, 0);
}
