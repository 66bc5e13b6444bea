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

int shmbox_stat(const shmbox_t *sb, struct shmbox_stat *st)
{
    int hc = sbx_handle_check(sb);
    if (hc < 0)
        return hc;
    if (st == NULL)
        return -EINVAL;
    shmbox_t *w = (shmbox_t *)(uintptr_t)sb; /* the locks live in the region */
    memset(st, 0, sizeof(*st));
    st->pool_count = CONFIG_SHMBOX_POOL_COUNT;
    st->mbox_count = CONFIG_SHMBOX_MBOX_COUNT;
    st->attached = sbx_proc_count_live(sb);
    for (unsigned p = 0; p < CONFIG_SHMBOX_POOL_COUNT; p++) {
        struct shmbox_pool_ctl *c = sbx_pool_of(sb, p);
        st->pool[p].slot_size = sbx_layout_slot_size[p];
        st->pool[p].slot_count = sbx_layout_slot_count[p];
        /* Short, bounded critical sections; a failed lock leaves zeros. */
        struct sbx_deadline d = sbx_deadline_at(shmbox_port_now_ns() + STAT_LOCK_WAIT_NS);
        if (sbx_pool_lock(w, p, &d) < 0)
            continue;
        st->pool[p].used = c->used;
        st->pool[p].peak = c->peak;
        sbx_pool_unlock(w, p);
    }
    for (unsigned i = 0; i < CONFIG_SHMBOX_MBOX_COUNT; i++) {
        struct shmbox_mbox_ctl *m = sbx_mbox_of(sb, i);
        st->mbox[i].depth = CONFIG_SHMBOX_MBOX_DEPTH;
        st->mbox[i].msg_size = CONFIG_SHMBOX_MSG_SIZE;
        /* Each side's lock in turn (which also repairs a side whose last
         * locker died in it), never both at once: a sender never waits for
         * a receiver's lock. head first: tail, read after it, is at least
         * as new, so the count is never below zero. */
        struct sbx_deadline when = sbx_deadline_at(shmbox_port_now_ns() + STAT_LOCK_WAIT_NS);
        uint32_t head = 0, tail = 0;
        int have = 0;
        if (sbx_mbox_lock(w, m, 1, &when) >= 0) {
            head = atomic_load_explicit(&m->head, memory_order_relaxed);
            st->mbox[i].received = m->received;
            sbx_mbox_unlock(m, 1);
            have |= 1;
        }
        if (sbx_mbox_lock(w, m, 0, &when) >= 0) {
            tail = atomic_load_explicit(&m->tail, memory_order_acquire);
            st->mbox[i].peak = m->peak;
            st->mbox[i].sent = m->sent;
            sbx_mbox_unlock(m, 0);
            have |= 2;
        }
        uint32_t count = tail - head;
        if (count > CONFIG_SHMBOX_MBOX_DEPTH) /* receives in between: look at head again */
            count = tail - atomic_load_explicit(&m->head, memory_order_acquire);
        st->mbox[i].count = have == 3 && count <= CONFIG_SHMBOX_MBOX_DEPTH ? count : 0; /* else corrupt */
    }
    st->recoveries = atomic_load_explicit(sbx_recoveries(sb), memory_order_relaxed);
    return 0;
}
