// SPDX-License-Identifier: MIT
/*
 * Minimal core, slot pools: a free list per pool under the pool's lock.
 * A slot's state word (state and generation) changes by compare-and-swap
 * only: FREE -> USED (alloc, a new generation), USED -> FREE (free),
 * USED <-> QUEUED (a mailbox takes or gives it, mailbox.c). A free list
 * that a broken peer spoiled (a link out of range or to a slot not free)
 * is rebuilt from the state words: no slot is ever handed out twice.
 */
#include "core.h"

int sbx_mc_slot(const shmbox_t *sb, shmbox_slot_t h, unsigned *pool, uint32_t *idx)
{
    unsigned p = SHMBOX_H_POOL(h);
    uint32_t i = (h & SHMBOX_H_INDEX_MASK) - 1u;
    if (!sbx_mc_open(sb) || p >= CONFIG_SHMBOX_POOL_COUNT || i >= sbx_mc_cfg.slot_count[p])
        return -EINVAL;
    uint32_t w = atomic_load_explicit(&mc_desc(sb, p)[i].state, memory_order_acquire);
    if (SHMBOX_SLOT_GEN(w) != SHMBOX_H_GEN(h))
        return -EINVAL; /* stale: the slot went round again */
    *pool = p;
    *idx = i;
    return SHMBOX_SLOT_STATE(w) == SHMBOX_SLOT_USED ? 0 : SHMBOX_SLOT_STATE(w) == SHMBOX_SLOT_FREE ? -EALREADY : -EINVAL;
}

/* The free list again, from the slots whose state is FREE. O(slots). */
static uint32_t rebuild(struct shmbox_cdesc *d, uint32_t count)
{
    uint32_t head = 0;
    for (uint32_t i = count; i-- > 0;)
        if (SHMBOX_SLOT_STATE(atomic_load_explicit(&d[i].state, memory_order_relaxed)) == SHMBOX_SLOT_FREE) {
            d[i].next = head;
            head = i + 1u;
        }
    return head;
}

/* One slot of pool @p p, or -ENOMEM. */
static int take(shmbox_t *sb, unsigned p, shmbox_slot_t *slot, struct sbx_mc_wait *t)
{
    struct shmbox_cpool *c = mc_pool(sb, p);
    struct shmbox_cdesc *d = mc_desc(sb, p);
    uint32_t count = sbx_mc_cfg.slot_count[p];
    int rc = sbx_mc_lock(&c->lock, t);
    if (rc < 0)
        return rc;
    uint32_t head = c->free_head;
    if (head > count || (head != 0 && (d[head - 1u].next > count ||
                                       SHMBOX_SLOT_STATE(atomic_load_explicit(&d[head - 1u].state,
                                                                              memory_order_relaxed)) != SHMBOX_SLOT_FREE)))
        head = rebuild(d, count);
    rc = -ENOMEM;
    if (head != 0) {
        uint32_t i = head - 1u;
        uint32_t gen = SHMBOX_SLOT_GEN(atomic_load_explicit(&d[i].state, memory_order_relaxed)) + 1u;
        c->free_head = d[i].next;
        atomic_store_explicit(&d[i].state, SHMBOX_SLOT_WORD(SHMBOX_SLOT_USED, gen), memory_order_release);
        c->used++;
#ifdef CONFIG_SHMBOX_STATS
        if (c->used > c->peak)
            c->peak = c->used;
#endif
        *slot = SHMBOX_HANDLE(p, i, gen);
        rc = 0;
    }
    sbx_mc_unlock(&c->lock);
    return rc;
}

int shmbox_slot_alloc(shmbox_t *sb, size_t size, shmbox_slot_t *slot, int32_t timeout_ms)
{
    if (!sbx_mc_open(sb) || slot == NULL || size == 0 || timeout_ms < SHMBOX_FOREVER)
        return -EINVAL;
    unsigned first = 0;
    while (first < CONFIG_SHMBOX_POOL_COUNT && size > sbx_mc_cfg.slot_size[first])
        first++;
    if (first == CONFIG_SHMBOX_POOL_COUNT)
        return -EMSGSIZE;
    struct sbx_mc_wait t = SBX_MC_WAIT(timeout_ms);
    for (;;) {
        for (unsigned p = first; p < CONFIG_SHMBOX_POOL_COUNT; p++) {
            int rc = take(sb, p, slot, &t);
            if (rc != -ENOMEM)
                return rc; /* a slot, or a lock held past the deadline */
        }
        int rc = sbx_mc_poll(&t);
        if (rc < 0)
            return rc == -EAGAIN ? -ENOMEM : rc;
    }
}

int shmbox_slot_free(shmbox_t *sb, shmbox_slot_t slot)
{
    unsigned p;
    uint32_t i;
    int rc = sbx_mc_slot(sb, slot, &p, &i);
    if (rc < 0)
        return rc;
    struct shmbox_cpool *c = mc_pool(sb, p);
    struct shmbox_cdesc *d = mc_desc(sb, p);
    struct sbx_mc_wait t = SBX_MC_WAIT(SHMBOX_FOREVER); /* as the full core: a free never fails on its lock */
    rc = sbx_mc_lock(&c->lock, &t);
    if (rc < 0)
        return rc;
    uint32_t w = SHMBOX_SLOT_WORD(SHMBOX_SLOT_USED, SHMBOX_H_GEN(slot));
    if (atomic_compare_exchange_strong_explicit(&d[i].state, &w, SHMBOX_SLOT_WORD(SHMBOX_SLOT_FREE, SHMBOX_H_GEN(slot)),
                                                memory_order_acq_rel, memory_order_relaxed)) {
        d[i].next = c->free_head;
        c->free_head = i + 1u;
        if (c->used != 0)
            c->used--;
    } else {
        rc = w == SHMBOX_SLOT_WORD(SHMBOX_SLOT_FREE, SHMBOX_H_GEN(slot)) ? -EALREADY : -EINVAL; /* lost a race */
    }
    sbx_mc_unlock(&c->lock);
    return rc;
}

void *shmbox_slot_ptr(const shmbox_t *sb, shmbox_slot_t slot)
{
    unsigned p;
    uint32_t i;
    if (sbx_mc_slot(sb, slot, &p, &i) < 0)
        return NULL;
    return sb->base + sb->lay.pool_data[p] + (size_t)i * sbx_mc_cfg.slot_size[p];
}

size_t shmbox_slot_size(const shmbox_t *sb, shmbox_slot_t slot)
{
    unsigned p;
    uint32_t i;
    return sbx_mc_slot(sb, slot, &p, &i) < 0 ? 0 : sbx_mc_cfg.slot_size[p];
}

int shmbox_slot_cache_flush(shmbox_t *sb)
{
    return sbx_mc_open(sb) ? 0 : -EINVAL; /* no slot cache on the static port */
}
