// SPDX-License-Identifier: MIT
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
 * The cache belongs to one thread and serves one open handle at a time
 * (by its id, unique among the process's attaches): the first one that
 * frees through it while it is empty. With another handle the thread
 * takes the pool's path, so entries of a handle closed by another thread
 * are never used again. A forked child inherits a copy naming its
 * parent's slots: the port calls cache_forked() in the child (through the
 * fork module, sbx_fork_on_child()), which drops it untouched (without
 * that hook from the port there is no cache).
 * An entry that no longer matches its descriptor (the region is untrusted)
 * is dropped when met.
 */
#include "slotcache.h"

#include <errno.h>

#include "fork.h"
#include "pool.h"

#if CONFIG_SHMBOX_SLOT_CACHE > 0

_Thread_local struct shmbox_slot_cache shmbox_tc;

/* In a fork() child: the inherited cache names the parent's slots. */
static void cache_forked(void)
{
    for (unsigned p = 0; p < CONFIG_SHMBOX_POOL_COUNT; p++)
        shmbox_tc.n[p] = 0;
    shmbox_tc.handle = 0;
    shmbox_tc.owner = 0;
}

int sbx_cache_bind(const shmbox_t *sb)
{
    if (sb->lay.foreign)
        return 0; /* another build's layout: the cache is sized by this one's */
    for (unsigned p = 0; p < CONFIG_SHMBOX_POOL_COUNT; p++)
        if (shmbox_tc.n[p] != 0)
            return 0; /* another region's or handle's: left as it is */
    sbx_fork_on_child(cache_forked); /* before the first slot is cached */
    if (!sbx_fork_watched())
        return 0; /* a fork could not be seen: no cache at all */
    shmbox_tc.handle = sb->handle_id;
    shmbox_tc.owner = sb->proc_index + 1u;
    return 1;
}

void sbx_cache_forget(const shmbox_t *sb)
{
    if (shmbox_tc.handle == sb->handle_id)
        for (unsigned p = 0; p < CONFIG_SHMBOX_POOL_COUNT; p++)
            shmbox_tc.n[p] = 0;
}

int shmbox_slot_cache_flush(shmbox_t *sb)
{
    int hc = sbx_handle_check(sb);
    if (hc < 0)
        return hc;
    if (!cache_ours(sb))
        return 0;
    int n = 0;
    for (unsigned p = 0; p < CONFIG_SHMBOX_POOL_COUNT; p++) {
        while (shmbox_tc.n[p] > 0) {
            shmbox_slot_t h = shmbox_tc.slot[p][shmbox_tc.n[p] - 1u];
            int rc = sbx_pool_release(sb, p, (h & SHMBOX_H_INDEX_MASK) - 1u, SHMBOX_SLOT_CACHED, SHMBOX_H_GEN(h));
            if (rc != 0 && rc != -EINVAL && rc != -EALREADY)
                return rc; /* the pool's lock: the rest stays cached */
            shmbox_tc.n[p]--;
            n += rc == 0;
        }
    }
    return n;
}

#else

int shmbox_slot_cache_flush(shmbox_t *sb)
{
    int hc = sbx_handle_check(sb);
    return hc < 0 ? hc : 0;
}

#endif
