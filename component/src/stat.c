// SPDX-License-Identifier: MIT
/* Statistics: a snapshot of pools, mailboxes and the process table. */
#include <string.h>

#include <shmbox/port.h>

#include "access.h"
#include "deadline.h"
#include "fork.h"
#include "mailbox.h"
#include "pool.h"
#include "proc.h"

/* How long a snapshot waits for each lock: its critical sections are
 * short and bounded. */
#define STAT_LOCK_WAIT_NS SHMBOX_MS_NS(100)

/* Pool @p p's figures (p < the layout's pool count). */
static void pool_stat(shmbox_t *w, unsigned p, struct shmbox_pool_stat *st)
{
    struct shmbox_pool_ctl *c = sbx_pool_of(w, p);
    memset(st, 0, sizeof(*st));
    st->slot_size = w->lay.slot_size[p];
    st->slot_count = w->lay.slot_count[p];
    /* Short, bounded critical sections; a failed lock leaves zeros. */
    struct sbx_deadline d = sbx_deadline_at(shmbox_port_now_ns() + STAT_LOCK_WAIT_NS);
    if (sbx_pool_lock(w, p, &d) < 0)
        return;
    st->used = c->used;
    st->peak = c->peak;
    sbx_pool_unlock(w, p);
}

/* Mailbox @p i's figures (i < the layout's mailbox count). */
static void mbox_stat(shmbox_t *w, unsigned i, struct shmbox_mbox_stat *st)
{
    struct shmbox_mbox_ctl *m = sbx_mbox_of(w, i);
    uint32_t depth = w->lay.mbox_mask + 1u;
    memset(st, 0, sizeof(*st));
    st->depth = depth;
    st->msg_size = w->lay.msg_size;
    /* Each side's lock in turn (which also repairs a side whose last
     * locker died in it), never both at once: a sender never waits for
     * a receiver's lock. head first: tail, read after it, is at least
     * as new, so the count is never below zero. */
    struct sbx_deadline when = sbx_deadline_at(shmbox_port_now_ns() + STAT_LOCK_WAIT_NS);
    uint32_t head = 0, tail = 0;
    int have = 0;
    if (sbx_mbox_lock(w, m, 1, &when) >= 0) {
        head = atomic_load_explicit(&m->head, memory_order_relaxed);
        st->received = m->received;
        sbx_mbox_unlock(m, 1);
        have |= 1;
    }
    if (sbx_mbox_lock(w, m, 0, &when) >= 0) {
        tail = atomic_load_explicit(&m->tail, memory_order_acquire);
        st->peak = m->peak;
        st->sent = m->sent;
        sbx_mbox_unlock(m, 0);
        have |= 2;
    }
    uint32_t count = tail - head;
    if (count > depth) /* receives in between: look at head again */
        count = tail - atomic_load_explicit(&m->head, memory_order_acquire);
    st->count = have == 3 && count <= depth ? count : 0; /* else corrupt */
}

int shmbox_stat(const shmbox_t *sb, struct shmbox_stat *st)
{
    int rc = sbx_handle_check_out(sb, st);
    if (rc < 0)
        return rc;
    if (sb->lay.pool_count > SHMBOX_POOL_COUNT || sb->lay.mbox_count > SHMBOX_MBOX_COUNT)
        return -EPROTO; /* a larger layout (shmbox_open_any): per pool and mailbox instead */
    shmbox_t *w = (shmbox_t *)(uintptr_t)sb; /* the locks live in the region */
    memset(st, 0, sizeof(*st));
    st->pool_count = sb->lay.pool_count;
    st->mbox_count = sb->lay.mbox_count;
    st->attached = sbx_proc_count_live(sb);
    for (unsigned p = 0; p < sb->lay.pool_count; p++)
        pool_stat(w, p, &st->pool[p]);
    for (unsigned i = 0; i < sb->lay.mbox_count; i++)
        mbox_stat(w, i, &st->mbox[i]);
    st->recoveries = atomic_load_explicit(sbx_recoveries(sb), memory_order_relaxed);
    return 0;
}

/* The checks of shmbox_stat_pool() and shmbox_stat_mbox(): @p index of
 * the handle's pools (@p mbox 0) or mailboxes (1). */
static int stat_index(const shmbox_t *sb, const void *st, unsigned index, int mbox)
{
    int rc = sbx_handle_check_out(sb, st);
    if (rc == 0 && index >= (mbox ? sb->lay.mbox_count : sb->lay.pool_count))
        rc = -EINVAL;
    return rc;
}

int shmbox_stat_pool(const shmbox_t *sb, unsigned pool, struct shmbox_pool_stat *st)
{
    int rc = stat_index(sb, st, pool, 0);
    if (rc == 0)
        pool_stat((shmbox_t *)(uintptr_t)sb, pool, st);
    return rc;
}

int shmbox_stat_mbox(const shmbox_t *sb, unsigned mbox, struct shmbox_mbox_stat *st)
{
    int rc = stat_index(sb, st, mbox, 1);
    if (rc == 0)
        mbox_stat((shmbox_t *)(uintptr_t)sb, mbox, st);
    return rc;
}
