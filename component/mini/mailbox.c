// SPDX-License-Identifier: MIT
/*
 * Minimal core, mailboxes: a ring of cfg.mbox_depth entries per mailbox,
 * head and tail free-running, one lock for senders and receivers. A
 * message is copied (or a slot handle written) and the tail moved inside
 * the lock: O(1), a bounded critical section. Values read from the ring
 * (the fill level, an entry's length and slot) are checked before use: a
 * broken one is -EBADMSG and stays where it is.
 */
#include <string.h>

#include "core.h"

#define DEPTH CONFIG_SHMBOX_MBOX_DEPTH

static int args_ok(const shmbox_t *sb, unsigned mbox, int32_t timeout_ms)
{
    return sbx_mc_open(sb) && mbox < CONFIG_SHMBOX_MBOX_COUNT && timeout_ms >= SHMBOX_FOREVER;
}

/* Queue a copy of @p msg, or (@p slot != 0) a slot in state USED. */
static int put(shmbox_t *sb, unsigned mbox, const void *msg, uint32_t len, shmbox_slot_t slot, struct sbx_mc_wait *t)
{
    struct shmbox_cmbox *c = mc_mbox(sb, mbox);
    int rc = sbx_mc_lock(&c->lock, t);
    if (rc < 0)
        return rc;
    uint32_t n = c->tail - c->head;
    if (n >= DEPTH) {
        rc = n == DEPTH ? -EAGAIN : -EBADMSG;
    } else {
        if (slot != SHMBOX_SLOT_NONE) { /* a handle shmbox_send_slot checked */
            _Atomic uint32_t *state = &mc_desc(sb, SHMBOX_H_POOL(slot))[(slot & SHMBOX_H_INDEX_MASK) - 1u].state;
            uint32_t w = SHMBOX_SLOT_WORD(SHMBOX_SLOT_USED, SHMBOX_H_GEN(slot));
            if (!atomic_compare_exchange_strong_explicit(state, &w, SHMBOX_SLOT_WORD(SHMBOX_SLOT_QUEUED, SHMBOX_H_GEN(slot)),
                                                         memory_order_acq_rel, memory_order_relaxed))
                rc = -EINVAL; /* freed or queued meanwhile */
        }
        if (rc == 0) {
            struct shmbox_mbox_entry *e = mc_entry(sb, mbox, c->tail);
            e->len = len;
            e->slot = slot;
            if (slot == SHMBOX_SLOT_NONE && len != 0)
                memcpy(e->data, msg, len);
            c->tail++;
#ifdef CONFIG_SHMBOX_STATS
            if (n + 1u > c->peak)
                c->peak = n + 1u;
            c->sent++;
#endif
        }
    }
    sbx_mc_unlock(&c->lock);
    return rc;
}

/* Take the oldest entry: a copy into @p buf (slot NULL; returns its length)
 * or a slot (returns 0). -ENOMSG: the other kind is first. */
static int get(shmbox_t *sb, unsigned mbox, void *buf, size_t cap, shmbox_slot_t *slot, size_t *len,
               struct sbx_mc_wait *t)
{
    struct shmbox_cmbox *c = mc_mbox(sb, mbox);
    int rc = sbx_mc_lock(&c->lock, t);
    if (rc < 0)
        return rc;
    uint32_t n = c->tail - c->head;
    if (n == 0 || n > DEPTH) {
        rc = n == 0 ? -EAGAIN : -EBADMSG;
    } else {
        const struct shmbox_mbox_entry *e = mc_entry(sb, mbox, c->head);
        uint32_t elen = e->len;
        shmbox_slot_t s = e->slot;
        if ((s != SHMBOX_SLOT_NONE) != (slot != NULL)) {
            rc = -ENOMSG;
        } else if (slot == NULL) {
            rc = elen > CONFIG_SHMBOX_MSG_SIZE ? -EBADMSG : elen > cap ? -EMSGSIZE : (int)elen;
            if (rc > 0)
                memcpy(buf, e->data, elen);
        } else {
            unsigned p = SHMBOX_H_POOL(s);
            uint32_t i = (s & SHMBOX_H_INDEX_MASK) - 1u;
            uint32_t w = SHMBOX_SLOT_WORD(SHMBOX_SLOT_QUEUED, SHMBOX_H_GEN(s));
            if (p >= CONFIG_SHMBOX_POOL_COUNT || i >= sbx_mc_cfg.slot_count[p] || elen > sbx_mc_cfg.slot_size[p] ||
                !atomic_compare_exchange_strong_explicit(&mc_desc(sb, p)[i].state, &w,
                                                         SHMBOX_SLOT_WORD(SHMBOX_SLOT_USED, SHMBOX_H_GEN(s)),
                                                         memory_order_acq_rel, memory_order_relaxed)) {
                rc = -EBADMSG;
            } else {
                *slot = s;
                if (len != NULL)
                    *len = elen;
            }
        }
        if (rc >= 0) {
            c->head++;
#ifdef CONFIG_SHMBOX_STATS
            c->received++;
#endif
        }
    }
    sbx_mc_unlock(&c->lock);
    return rc;
}

/* put() until it finds room, or the timeout says no. */
static int send_any(shmbox_t *sb, unsigned mbox, const void *msg, size_t len, shmbox_slot_t slot, int32_t timeout_ms)
{
    struct sbx_mc_wait t = SBX_MC_WAIT(timeout_ms);
    for (;;) {
        int rc = put(sb, mbox, msg, (uint32_t)len, slot, &t);
        if (rc != -EAGAIN || (rc = sbx_mc_poll(&t)) < 0)
            return rc;
    }
}

static int recv_any(shmbox_t *sb, unsigned mbox, void *buf, size_t cap, shmbox_slot_t *slot, size_t *len,
                    int32_t timeout_ms)
{
    struct sbx_mc_wait t = SBX_MC_WAIT(timeout_ms);
    for (;;) {
        int rc = get(sb, mbox, buf, cap, slot, len, &t);
        if (rc != -EAGAIN || (rc = sbx_mc_poll(&t)) < 0)
            return rc;
    }
}

int shmbox_send(shmbox_t *sb, unsigned mbox, const void *msg, size_t len, int32_t timeout_ms)
{
    if (!args_ok(sb, mbox, timeout_ms) || (msg == NULL && len != 0))
        return -EINVAL;
    if (len > CONFIG_SHMBOX_MSG_SIZE)
        return -EMSGSIZE;
    return send_any(sb, mbox, msg, len, SHMBOX_SLOT_NONE, timeout_ms);
}

int shmbox_recv(shmbox_t *sb, unsigned mbox, void *buf, size_t cap, int32_t timeout_ms)
{
    if (!args_ok(sb, mbox, timeout_ms) || (buf == NULL && cap != 0))
        return -EINVAL;
    return recv_any(sb, mbox, buf, cap, NULL, NULL, timeout_ms);
}

int shmbox_send_slot(shmbox_t *sb, unsigned mbox, shmbox_slot_t slot, size_t len, int32_t timeout_ms)
{
    unsigned p;
    uint32_t i;
    if (!args_ok(sb, mbox, timeout_ms) || sbx_mc_slot(sb, slot, &p, &i) < 0)
        return -EINVAL;
    if (len > sbx_mc_cfg.slot_size[p])
        return -EMSGSIZE;
    return send_any(sb, mbox, NULL, len, slot, timeout_ms);
}

int shmbox_recv_slot(shmbox_t *sb, unsigned mbox, shmbox_slot_t *slot, size_t *len, int32_t timeout_ms)
{
    if (!args_ok(sb, mbox, timeout_ms) || slot == NULL)
        return -EINVAL;
    return recv_any(sb, mbox, NULL, 0, slot, len, timeout_ms);
}
