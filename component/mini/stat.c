// SPDX-License-Identifier: MIT
/*
 * Minimal core: statistics, the configuration record, and the calls that
 * have nothing to do in a compact region (no crash repair, no sleepers,
 * no slot cache).
 */
#include <string.h>

#include "core.h"

/* How long a snapshot waits for each lock (as the full core): a lock held
 * longer leaves that part's figures zero. */
#define STAT_LOCK_MS 100

static void pool_stat(const shmbox_t *sb, unsigned p, struct shmbox_pool_stat *st)
{
    struct shmbox_cpool *c = mc_pool(sb, p);
    memset(st, 0, sizeof(*st));
    st->slot_size = sbx_mc_cfg.slot_size[p];
    st->slot_count = sbx_mc_cfg.slot_count[p];
    struct sbx_mc_wait t = SBX_MC_WAIT(STAT_LOCK_MS);
    if (sbx_mc_lock(&c->lock, &t) < 0)
        return;
    st->used = c->used;
#ifdef CONFIG_SHMBOX_STATS /* else never written: zero */
    st->peak = c->peak;
#endif
    sbx_mc_unlock(&c->lock);
}

static void mbox_stat(const shmbox_t *sb, unsigned m, struct shmbox_mbox_stat *st)
{
    struct shmbox_cmbox *c = mc_mbox(sb, m);
    memset(st, 0, sizeof(*st));
    st->depth = CONFIG_SHMBOX_MBOX_DEPTH;
    st->msg_size = CONFIG_SHMBOX_MSG_SIZE;
    struct sbx_mc_wait t = SBX_MC_WAIT(STAT_LOCK_MS);
    if (sbx_mc_lock(&c->lock, &t) < 0)
        return;
    uint32_t n = c->tail - c->head;
    st->count = n <= CONFIG_SHMBOX_MBOX_DEPTH ? n : 0; /* else corrupt */
#ifdef CONFIG_SHMBOX_STATS /* else never written: zero */
    st->peak = c->peak;
    st->sent = c->sent;
    st->received = c->received;
#endif
    sbx_mc_unlock(&c->lock);
}

int shmbox_stat(const shmbox_t *sb, struct shmbox_stat *st)
{
    if (!sbx_mc_open(sb) || st == NULL)
        return -EINVAL;
    memset(st, 0, sizeof(*st));
    st->pool_count = CONFIG_SHMBOX_POOL_COUNT;
    st->mbox_count = CONFIG_SHMBOX_MBOX_COUNT;
    st->attached = atomic_load_explicit(&mc_hdr(sb)->attached, memory_order_relaxed);
    for (unsigned p = 0; p < CONFIG_SHMBOX_POOL_COUNT; p++)
        pool_stat(sb, p, &st->pool[p]);
    for (unsigned m = 0; m < CONFIG_SHMBOX_MBOX_COUNT; m++)
        mbox_stat(sb, m, &st->mbox[m]);
    return 0;
}

int shmbox_stat_pool(const shmbox_t *sb, unsigned pool, struct shmbox_pool_stat *st)
{
    if (!sbx_mc_open(sb) || st == NULL || pool >= CONFIG_SHMBOX_POOL_COUNT)
        return -EINVAL;
    pool_stat(sb, pool, st);
    return 0;
}

int shmbox_stat_mbox(const shmbox_t *sb, unsigned mbox, struct shmbox_mbox_stat *st)
{
    if (!sbx_mc_open(sb) || st == NULL || mbox >= CONFIG_SHMBOX_MBOX_COUNT)
        return -EINVAL;
    mbox_stat(sb, mbox, st);
    return 0;
}

void shmbox_config_record(struct shmbox_cfg_rec *rec)
{
    *rec = sbx_mc_cfg;
}

int shmbox_layout(const shmbox_t *sb, struct shmbox_cfg_rec *rec)
{
    if (!sbx_mc_open(sb) || rec == NULL)
        return -EINVAL;
    *rec = sbx_mc_cfg; /* the region's: open checked it is this build's */
    return 0;
}

/* No owners: nothing to reclaim. */
int shmbox_reclaim(shmbox_t *sb)
{
    return sbx_mc_open(sb) ? 0 : -EINVAL;
}

/* Nothing sleeps: a call with a timeout polls. */
int shmbox_doorbell(shmbox_t *sb)
{
    return sbx_mc_open(sb) ? 0 : -EINVAL;
}

/* Kept nowhere: nothing here ever rings it. */
int shmbox_set_doorbell(shmbox_t *sb, void (*ring)(void *arg), void *arg)
{
    (void)ring;
    (void)arg;
    return sbx_mc_open(sb) ? 0 : -EINVAL;
}
