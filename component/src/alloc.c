// SPDX-License-Identifier: MIT
/*
 * shmbox_slot_alloc() and shmbox_slot_free(): the thread's slot cache
 * first, then the pools. An exhausted alloc reclaims the slots of dead
 * processes, then waits for a free into the smallest fitting pool.
 */
#include "alloc.h"

#include <errno.h>
#include <stdatomic.h>

#include <shmbox/port.h>

#include "fork.h"
#include "lock.h"
#include "pool.h"
#include "reclaim.h"
#include "slotcache.h"
#include "wait.h"

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
#define ALLOC_SLICE_NS SHMBOX_MS_NS(100)
#define ALLOC_BIGGER_SLICE_NS SHMBOX_MS_NS(10)

static int reclaim_due(shmbox_t *sb)
{
    uint32_t now = (uint32_t)(shmbox_port_now_ns() / SHMBOX_NS_PER_MS);
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
static struct sbx_deadline reclaim_deadline(struct sbx_deadline *d)
{
    if (sbx_deadline_nowait(d))
        return sbx_deadline_at(shmbox_port_now_ns() + SHMBOX_LOCK_NOWAIT_NS);
    return sbx_deadline_at(sbx_deadline_ns(d));
}

int shmbox_slot_alloc(shmbox_t *sb, size_t size, shmbox_slot_t *slot, int32_t timeout_ms)
{
    int hc = sbx_handle_check(sb);
    if (hc < 0)
        return hc;
    if (slot == NULL || size == 0 || !sbx_timeout_valid(timeout_ms))
        return -EINVAL;
    unsigned first = 0;
    while (first < sb->lay.pool_count && sb->lay.slot_size[first] < size)
        first++;
    if (first == sb->lay.pool_count)
        return -EMSGSIZE;
    if (sbx_cache_get(sb, first, slot))
        return 0; /* no clock read, no lock */
    return sbx_alloc_pools(sb, first, slot, sbx_deadline_of_valid(timeout_ms));
}

int sbx_alloc_pools(shmbox_t *sb, unsigned first, shmbox_slot_t *slot, struct sbx_deadline d)
{
    uint32_t owner = sb->proc_index + 1u;
    int waiting = 0, rc;
    struct shmbox_pool_ctl *c0 = sbx_pool_of(sb, first);
    for (;;) {
        /* Sample the first fitting pool's sequence before looking, so a
         * free that happens after the look wakes us. Every fitting pool's
         * free bumps its own seq; we sleep on the smallest fitting one and
         * re-check all of them on every wake-up or spin timeout. */
        uint32_t seen = atomic_load_explicit(&c0->seq, memory_order_acquire);
        for (unsigned p = first; p < sb->lay.pool_count; p++) {
            rc = sbx_pool_take(sb, p, owner, slot, &d);
            if (rc != -ENOMEM)
                goto out;
        }
        /* The pools fall short: a bigger slot this thread keeps cached
         * fits too (the first pool's cache was looked at before). */
        for (unsigned p = first + 1u; p < sb->lay.pool_count; p++)
            if (sbx_cache_get(sb, p, slot)) {
                rc = 0;
                goto out;
            }
        /* Exhausted: slots of dead processes are the first place to look,
         * at once and then again every RECLAIM_EVERY_MS while waiting (a
         * process that dies while we wait frees nothing by itself). */
        if (reclaim_due(sb)) {
            struct sbx_deadline rd = reclaim_deadline(&d);
            if (sbx_reclaim_dead(sb, &rd, 1) > 0)
                continue;
        }
        rc = -ENOMEM;
        if (sbx_deadline_nowait(&d))
            goto out;
        rc = -ETIMEDOUT;
        if (sbx_deadline_passed(&d))
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
        uint64_t step = first + 1u == sb->lay.pool_count ? ALLOC_SLICE_NS : ALLOC_BIGGER_SLICE_NS;
        uint64_t poll = sbx_sleep_slice(sb);
        uint64_t slice = shmbox_port_now_ns() + (poll < step ? poll : step);
        struct sbx_deadline until = sbx_deadline_at(sbx_deadline_cap(&d, slice));
        (void)sbx_wait_seq_registered(&c0->seq, seen, &until);
    }
out:
    if (waiting)
        atomic_fetch_sub_explicit(&c0->sleepers, 1u, memory_order_relaxed);
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
