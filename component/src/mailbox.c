// SPDX-License-Identifier: MIT
/*
 * Mailboxes: a bounded ring of fixed-size entries, a two-lock queue.
 *
 * Senders take the send lock and own tail; receivers take the receive
 * lock and own head. A sender reads head (and a receiver tail) without the
 * other lock: the index only moves forward, so a stale value just
 * understates the room (or the messages) and the caller looks again.
 * Senders and receivers thus never wait for each other's lock.
 *
 * Commit points: a message exists once `tail` moves past it (a release
 * store after the copy) and is gone once `head` moves past it (a release
 * store after the copy out). A process that dies before its store leaves
 * the mailbox as if it had never started. Slot hand-overs also change the
 * slot's owner; they record their intent (pend_* on the send side,
 * recv_pend_* on the receive side) first, so the next locker of that side
 * can finish or undo the owner change.
 *
 * Waiting: a receiver polls tail, a sender polls head, then they sleep on
 * that index itself (the port's wait compares it first); the other side
 * wakes it only when a sleeper is counted: no shared write beyond the
 * index and no system call when nobody sleeps.
 *
 * Indices are free-running 32-bit counters masked by DEPTH - 1 (a power of
 * two); tail - head is the count, checked against DEPTH on every use since
 * the region is untrusted.
 */
#include "mailbox.h"

#include <string.h>

#include "access.h"
#include "fork.h"
#include "hooks.h"
#include "pool.h"
#include "wait.h"

/* The ring's capacity (a power of two) of the open region. */
static inline uint32_t depth_of(const shmbox_t *sb)
{
    return sb->lay.mbox_mask + 1u;
}

/* The lock of one side: senders' (recv = 0) or receivers' (recv = 1). */
static struct shmbox_lock *side_lock(struct shmbox_mbox_ctl *m, int recv)
{
    return recv ? &m->recv_lock : &m->lock;
}

/* Its class in the lock order (lock_order.h). */
static enum sbx_lock_class side_class(int recv)
{
    return recv ? SBX_LOCK_MBOX_RECV : SBX_LOCK_MBOX_SEND;
}

/* How long a repair of every mailbox waits for one dirty side's lock:
 * a live holder is out in well under it; a dead one is taken over. */
#define REPAIR_WAIT_NS SHMBOX_MS_NS(100)

/*
 * Finish or undo a slot hand-over whose process died (that side's lock
 * held). The owner word moves at these points, each in a known order
 * relative to the commit (tail or head), so the index tells how far it got:
 *   send: pend_* recorded -> owner sender->MBOX -> entry filled -> tail++
 *   recv: recv_pend_* recorded -> head++ -> owner MBOX->receiver
 * Only the dead process's side moves its index, and that side was locked
 * since, so the index still says. A slot left owned by MBOX but not
 * queued (send not committed, or recv committed before the owner moved)
 * becomes ownerless, and reclaim frees it; one still owned by the dead
 * process is reclaimed as its own.
 */
static int mbox_repair(shmbox_t *sb, struct shmbox_mbox_ctl *m, int recv, struct sbx_deadline *w)
{
    uint32_t *op = recv ? &m->recv_pend_op : &m->pend_op;
    int cut = recv ? (*op == SHMBOX_PEND_RECV && atomic_load_explicit(&m->head, memory_order_relaxed) ==
                                                     m->recv_pend_pos + 1u)
                   : (*op == SHMBOX_PEND_SEND && atomic_load_explicit(&m->tail, memory_order_relaxed) == m->pend_pos);
    int rc = 0;
    if (cut)
        rc = sbx_slot_orphan(sb, recv ? m->recv_pend_slot : m->pend_slot, w);
    if (rc == 0)
        *op = SHMBOX_PEND_NONE;
    return rc;
}

int sbx_mbox_lock(shmbox_t *sb, struct shmbox_mbox_ctl *m, int recv, struct sbx_deadline *w)
{
    struct shmbox_lock *l = side_lock(m, recv);
    int rc = sbx_lock_take(l, side_class(recv), sb, w);
    if (rc == SHMBOX_LOCK_REPAIR) {
        rc = mbox_repair(sb, m, recv, w);
        if (rc < 0)
            sbx_lock_abandon(l, side_class(recv)); /* the next locker repairs */
    }
    return rc;
}

int sbx_mbox_reset(shmbox_t *sb, unsigned i, struct sbx_deadline *d)
{
    struct shmbox_mbox_ctl *m = sbx_mbox_of(sb, i);
    int rc = sbx_mbox_lock(sb, m, 0, d);
    if (rc < 0)
        return rc;
    rc = sbx_mbox_lock(sb, m, 1, d);
    if (rc < 0) {
        sbx_mbox_unlock(m, 0);
        return rc;
    }
    /* One store empties it (head = tail); the rest are counters and hints
     * that the dirty locks would have repaired anyway. */
    uint32_t t = atomic_load_explicit(&m->tail, memory_order_relaxed);
    atomic_store_explicit(&m->head, t, memory_order_release);
    m->head_seen = t;
    m->tail_seen = t;
    m->pend_op = SHMBOX_PEND_NONE;
    m->recv_pend_op = SHMBOX_PEND_NONE;
    m->peak = 0;
    m->sent = 0;
    m->received = 0;
    atomic_store_explicit(&m->not_empty_sleepers, 0u, memory_order_relaxed);
    atomic_store_explicit(&m->not_full_sleepers, 0u, memory_order_relaxed);
    sbx_mbox_unlock(m, 1);
    sbx_mbox_unlock(m, 0);
    return 0;
}

void sbx_mbox_repair_all(shmbox_t *sb, struct sbx_deadline *d)
{
    for (unsigned i = 0; i < sb->lay.mbox_count; i++) {
        struct shmbox_mbox_ctl *m = sbx_mbox_of(sb, i);
        for (int recv = 0; recv < 2; recv++) {
            struct shmbox_lock *l = side_lock(m, recv);
            /* Set while held and after a death inside. */
            if (l->dirty == 0)
                continue;
            struct sbx_deadline w = sbx_deadline_at(sbx_deadline_cap(d, shmbox_port_now_ns() + REPAIR_WAIT_NS));
            if (sbx_mbox_lock(sb, m, recv, &w) >= 0)
                sbx_mbox_unlock(m, recv);
        }
    }
}

void sbx_mbox_init(shmbox_t *sb)
{
    for (unsigned i = 0; i < sb->lay.mbox_count; i++)
        memset(sbx_mbox_of(sb, i), 0, sb->lay.mbox_stride);
}

/*
 * Take one side's lock of mailbox @p m and read both indices, checked: the
 * region is untrusted. The own index is exact (the lock guards it). The
 * other one comes from this side's hint (head_seen, tail_seen: the value
 * this side last read, never ahead of the index) while the hint shows
 * room (a sender) or a message (a receiver), so a streaming side reads
 * the line the other side writes once per batch, not per message; else,
 * or when the hint makes no sense, from the index itself (acquire; at
 * least as new as any this side saw before, since the lock orders this
 * side's callers). A sender keeping statistics also reads it before
 * raising the peak, so the peak is a count that really was.
 * NO_WAIT (sbx_deadline_nowait()) still waits a bounded while for
 * the briefly held lock, see sbx_lock_take().
 * @retval 0 (locked), -EBADMSG (corrupt indices; not locked), lock errors
 */
static int mbox_enter(shmbox_t *sb, struct shmbox_mbox_ctl *m, int recv, struct sbx_deadline *w, uint32_t *head,
                      uint32_t *tail)
{
    int rc = sbx_mbox_lock(sb, m, recv, w);
    if (rc < 0)
        return rc;
    if (recv) {
        *head = atomic_load_explicit(&m->head, memory_order_relaxed);
        *tail = m->tail_seen;
        if (*tail == *head || *tail - *head > depth_of(sb)) {
            *tail = atomic_load_explicit(&m->tail, memory_order_acquire);
            m->tail_seen = *tail;
        }
    } else {
        *tail = atomic_load_explicit(&m->tail, memory_order_relaxed);
        *head = m->head_seen;
        uint32_t count = *tail - *head;
#ifdef CONFIG_SHMBOX_STATS
        int fresh = count >= depth_of(sb) || count + 1u > m->peak;
#else
        int fresh = count >= depth_of(sb);
#endif
        if (fresh) {
            *head = atomic_load_explicit(&m->head, memory_order_acquire);
            m->head_seen = *head;
        }
    }
    if (*tail - *head > depth_of(sb)) {
        sbx_mbox_unlock(m, recv);
        return -EBADMSG;
    }
    return 0;
}

/*
 * The put half of send and send_slot: wait for room, then fill the entry
 * at tail and commit. slot != NONE: a slot hand-over.
 */
static int mbox_put(shmbox_t *sb, unsigned mbox, const void *msg, size_t len, shmbox_slot_t slot,
                    struct sbx_deadline *w)
{
    struct shmbox_mbox_ctl *m = sbx_mbox_of(sb, mbox);
    for (;;) {
        uint32_t head, tail, count;
        int rc = mbox_enter(sb, m, 0, w, &head, &tail);
        if (rc < 0)
            return rc;
        count = tail - head;
        if (count < depth_of(sb)) {
            struct shmbox_mbox_entry *e = sbx_entry_at(sb, m, tail);
            if (slot != SHMBOX_SLOT_NONE) {
                m->pend_slot = slot;
                m->pend_pos = tail;
                atomic_signal_fence(memory_order_seq_cst); /* slot and pos before op */
                m->pend_op = SHMBOX_PEND_SEND;
                rc = sbx_slot_set_owner(sb, slot, sb->proc_index + 1u, SHMBOX_OWNER_MBOX);
                if (rc < 0) {
                    m->pend_op = SHMBOX_PEND_NONE;
                    sbx_lock_give(&m->lock, SBX_LOCK_MBOX_SEND);
                    return rc;
                }
            } else if (len > 0) {
                memcpy(e->data, msg, len);
            }
            e->len = (uint32_t)len;
            e->slot = slot;
            SHMBOX_HOOK(SHMBOX_HOOK_MBOX_COPIED);
            atomic_store_explicit(&m->tail, tail + 1u, memory_order_release); /* commit */
            atomic_signal_fence(memory_order_seq_cst); /* commit before pend_op is cleared */
            m->pend_op = SHMBOX_PEND_NONE;
#ifdef CONFIG_SHMBOX_STATS
            m->sent++;
            if (count + 1u > m->peak)
                m->peak = count + 1u;
#endif
            sbx_lock_give(&m->lock, SBX_LOCK_MBOX_SEND);
            SHMBOX_HOOK(SHMBOX_HOOK_MBOX_COMMITTED);
            sbx_ring(sb, sbx_signal_change(&m->tail, &m->not_empty_sleepers));
            return 0;
        }
        sbx_lock_give(&m->lock, SBX_LOCK_MBOX_SEND);
        if (sbx_deadline_nowait(w))
            return -EAGAIN;
        if (sbx_wait_change(&m->head, head, &m->not_full_sleepers, w, sbx_sleep_slice(sb)) == -ETIMEDOUT)
            return -ETIMEDOUT;
    }
}

/* What taking the entry at head means for a caller of this kind. */
static int mbox_judge(shmbox_t *sb, const struct shmbox_mbox_entry *e, uint32_t len, shmbox_slot_t s, void *buf,
                      size_t cap, int want_slot)
{
    if (s == SHMBOX_SLOT_NONE) {
        if (len > sb->lay.msg_size)
            return -EBADMSG;
        if (want_slot)
            return -ENOMSG;
        if (len > cap)
            return -EMSGSIZE;
        if (len > 0)
            memcpy(buf, e->data, len);
        return (int)len;
    }
    if (!want_slot)
        return -ENOMSG;
    if (!sbx_slot_queued(sb, s) || len > sb->lay.slot_size[SHMBOX_H_POOL(s)])
        return -EBADMSG; /* not a queued slot, or a hostile length */
    return (int)len;
}

/*
 * The take half of recv and recv_slot. want_slot selects which kind of
 * message the caller takes; the other kind stays queued (-ENOMSG).
 * Returns the length, or a negative errno.
 */
static int mbox_take(shmbox_t *sb, unsigned mbox, void *buf, size_t cap, int want_slot, shmbox_slot_t *slot,
                     struct sbx_deadline *w)
{
    struct shmbox_mbox_ctl *m = sbx_mbox_of(sb, mbox);
    for (;;) {
        uint32_t head, tail;
        int rc = mbox_enter(sb, m, 1, w, &head, &tail);
        if (rc < 0)
            return rc;
        if (tail != head) {
            const struct shmbox_mbox_entry *e = sbx_entry_at(sb, m, head);
            uint32_t len = e->len;
            shmbox_slot_t s = e->slot;
            rc = mbox_judge(sb, e, len, s, buf, cap, want_slot);
            int consumed = rc >= 0;
            if (consumed) {
                if (s != SHMBOX_SLOT_NONE) {
                    m->recv_pend_slot = s;
                    m->recv_pend_pos = head;
                    atomic_signal_fence(memory_order_seq_cst); /* slot and pos before op */
                    m->recv_pend_op = SHMBOX_PEND_RECV;
                    atomic_signal_fence(memory_order_seq_cst); /* op before the commit */
                } else {
                    SHMBOX_HOOK(SHMBOX_HOOK_RECV_COPIED);
                }
                atomic_store_explicit(&m->head, head + 1u, memory_order_release); /* commit */
                atomic_signal_fence(memory_order_seq_cst);
                if (s != SHMBOX_SLOT_NONE) {
                    SHMBOX_HOOK(SHMBOX_HOOK_RECV_OWNED);
                    /* Queued and MBOX-owned: nobody else may move it (free
                     * refuses, reclaim skips), so this only fails on a
                     * hostile region; the entry is consumed. */
                    if (sbx_slot_set_owner(sb, s, SHMBOX_OWNER_MBOX, sb->proc_index + 1u) == 0)
                        *slot = s;
                    else
                        rc = -EBADMSG;
                    atomic_signal_fence(memory_order_seq_cst);
                }
                m->recv_pend_op = SHMBOX_PEND_NONE;
#ifdef CONFIG_SHMBOX_STATS
                m->received++;
#endif
            }
            sbx_lock_give(&m->recv_lock, SBX_LOCK_MBOX_RECV);
            if (consumed) {
                sbx_ring(sb, sbx_signal_change(&m->head, &m->not_full_sleepers));
            } else {
                /* We leave the message: let another receiver look at it
                 * (a wake-up without a change of tail: it looks again). */
                sbx_ring(sb, sbx_signal_change(&m->tail, &m->not_empty_sleepers));
            }
            return rc;
        }
        sbx_lock_give(&m->recv_lock, SBX_LOCK_MBOX_RECV);
        if (sbx_deadline_nowait(w))
            return -EAGAIN;
        if (sbx_wait_change(&m->tail, tail, &m->not_empty_sleepers, w, sbx_sleep_slice(sb)) == -ETIMEDOUT)
            return -ETIMEDOUT;
    }
}

int shmbox_send(shmbox_t *sb, unsigned mbox, const void *msg, size_t len, int32_t timeout_ms)
{
    struct sbx_deadline w;
    int hc = sbx_handle_check(sb);
    if (hc < 0)
        return hc;
    if (mbox >= sb->lay.mbox_count || (msg == NULL && len > 0) ||
        sbx_deadline_from_ms(timeout_ms, &w) < 0)
        return -EINVAL;
    if (len > sb->lay.msg_size)
        return -EMSGSIZE;
    return mbox_put(sb, mbox, msg, len, SHMBOX_SLOT_NONE, &w);
}

int shmbox_send_slot(shmbox_t *sb, unsigned mbox, shmbox_slot_t slot, size_t len, int32_t timeout_ms)
{
    struct sbx_deadline w;
    int hc = sbx_handle_check(sb);
    if (hc < 0)
        return hc;
    if (mbox >= sb->lay.mbox_count || sbx_deadline_from_ms(timeout_ms, &w) < 0)
        return -EINVAL;
    size_t size = shmbox_slot_size(sb, slot);
    if (size == 0)
        return -EINVAL;
    if (len > size)
        return -EMSGSIZE;
    return mbox_put(sb, mbox, NULL, len, slot, &w);
}

int shmbox_recv(shmbox_t *sb, unsigned mbox, void *buf, size_t cap, int32_t timeout_ms)
{
    struct sbx_deadline w;
    int hc = sbx_handle_check(sb);
    if (hc < 0)
        return hc;
    if (mbox >= sb->lay.mbox_count || (buf == NULL && cap > 0) ||
        sbx_deadline_from_ms(timeout_ms, &w) < 0)
        return -EINVAL;
    return mbox_take(sb, mbox, buf, cap, 0, NULL, &w);
}

int shmbox_recv_slot(shmbox_t *sb, unsigned mbox, shmbox_slot_t *slot, size_t *len, int32_t timeout_ms)
{
    struct sbx_deadline w;
    int hc = sbx_handle_check(sb);
    if (hc < 0)
        return hc;
    if (mbox >= sb->lay.mbox_count || slot == NULL ||
        sbx_deadline_from_ms(timeout_ms, &w) < 0)
        return -EINVAL;
    int rc = mbox_take(sb, mbox, NULL, 0, 1, slot, &w);
    if (rc < 0)
        return rc;
    if (len != NULL)
        *len = (size_t)rc;
    return 0;
}
