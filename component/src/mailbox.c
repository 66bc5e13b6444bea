/*
 * Mailboxes: a bounded ring of fixed-size entries under one lock.
 *
 * Commit points: a message exists once `tail` moves past it (after the
 * copy) and is gone once `head` moves past it. A process that dies before
 * the move leaves the mailbox as if it had never started. Slot hand-overs
 * also change the slot's owner; they record their intent in pend_* first
 * so the next locker can finish or undo the owner change.
 *
 * Indices are free-running 32-bit counters masked by DEPTH - 1 (a power of
 * two); tail - head is the count, checked against DEPTH on every use since
 * the region is untrusted.
 */
#include <string.h>

#include "hooks.h"
#include "internal.h"

#define MASK ((uint32_t)CONFIG_SHMBOX_MBOX_DEPTH - 1u)

static struct shmbox_mbox_entry *entry_at(struct shmbox_mbox_ctl *m, uint32_t pos)
{
    struct shmbox_mbox_entry *ring = (struct shmbox_mbox_entry *)(void *)((unsigned char *)m + SHMBOX_MBOX_RING_OFF);
    return &ring[pos & MASK];
}

/*
 * Finish or undo a slot hand-over whose process died (lock held). The
 * owner word moves at these points, each in a known order relative to the
 * commit (tail or head), so the counters tell how far it got:
 *   send: pend_* recorded -> owner sender->MBOX -> entry filled -> tail++
 *   recv: pend_* recorded -> head++ -> owner MBOX->receiver
 * A slot left owned by MBOX but not queued (send not committed, or recv
 * committed before the owner moved) becomes ownerless, and reclaim frees
 * it; one still owned by the dead process is reclaimed as its own.
 */
static int mbox_repair(shmbox_t *sb, struct shmbox_mbox_ctl *m, uint64_t deadline)
{
    int rc = 0;
    if ((m->pend_op == SHMBOX_PEND_SEND && m->tail == m->pend_pos) ||
        (m->pend_op == SHMBOX_PEND_RECV && m->head == m->pend_pos + 1u))
        rc = shmbox_slot_orphan(sb, m->pend_slot, deadline);
    if (rc == 0)
        m->pend_op = SHMBOX_PEND_NONE;
    return rc;
}

int shmbox_mbox_lock(shmbox_t *sb, struct shmbox_mbox_ctl *m, uint64_t deadline)
{
    int rc = shmbox_lock_take(&m->lock, shmbox_recoveries(sb), deadline);
    if (rc == SHMBOX_LOCK_REPAIR) {
        rc = mbox_repair(sb, m, deadline);
        if (rc < 0)
            shmbox_lock_abandon(&m->lock); /* the next locker repairs */
    }
    return rc;
}

void shmbox_mbox_init(shmbox_t *sb)
{
    for (unsigned i = 0; i < CONFIG_SHMBOX_MBOX_COUNT; i++)
        memset(shmbox_mbox_of(sb, i), 0, SHMBOX_MBOX_STRIDE);
}

/*
 * Lock mailbox @p m and read its indices, checked: the region is untrusted.
 * NO_WAIT (deadline SHMBOX_DEADLINE_NOW) still waits a bounded while for
 * the briefly held lock, see shmbox_lock_take().
 * @retval 0 (locked), -EBADMSG (corrupt indices; not locked), lock errors
 */
static int mbox_enter(shmbox_t *sb, struct shmbox_mbox_ctl *m, uint64_t deadline, uint32_t *head, uint32_t *tail)
{
    int rc = shmbox_mbox_lock(sb, m, deadline);
    if (rc < 0)
        return rc;
    *head = m->head;
    *tail = m->tail;
    if (*tail - *head > CONFIG_SHMBOX_MBOX_DEPTH) {
        shmbox_lock_give(&m->lock);
        return -EBADMSG;
    }
    return 0;
}

/*
 * The put half of send and send_slot: wait for room, then fill the entry
 * at tail and commit. slot != NONE: a slot hand-over.
 */
static int mbox_put(shmbox_t *sb, unsigned mbox, const void *msg, size_t len, shmbox_slot_t slot,
                    int32_t timeout_ms, uint64_t deadline)
{
    struct shmbox_mbox_ctl *m = shmbox_mbox_of(sb, mbox);
    for (;;) {
        uint32_t head, tail, count;
        int rc = mbox_enter(sb, m, deadline, &head, &tail);
        if (rc < 0)
            return rc;
        count = tail - head;
        if (count < CONFIG_SHMBOX_MBOX_DEPTH) {
            struct shmbox_mbox_entry *e = entry_at(m, tail);
            if (slot != SHMBOX_SLOT_NONE) {
                m->pend_slot = slot;
                m->pend_pos = tail;
                atomic_signal_fence(memory_order_seq_cst); /* slot and pos before op */
                m->pend_op = SHMBOX_PEND_SEND;
                rc = shmbox_slot_set_owner(sb, slot, sb->proc_index + 1u, SHMBOX_OWNER_MBOX);
                if (rc < 0) {
                    m->pend_op = SHMBOX_PEND_NONE;
                    shmbox_lock_give(&m->lock);
                    return rc;
                }
            } else if (len > 0) {
                memcpy(e->data, msg, len);
            }
            e->len = (uint32_t)len;
            e->slot = slot;
            SHMBOX_HOOK(SHMBOX_HOOK_MBOX_COPIED);
            atomic_thread_fence(memory_order_release);
            m->tail = tail + 1u; /* commit */
            atomic_signal_fence(memory_order_seq_cst); /* commit before pend_op is cleared */
            m->pend_op = SHMBOX_PEND_NONE;
#ifdef CONFIG_SHMBOX_STATS
            m->sent++;
            if (count + 1u > m->peak)
                m->peak = count + 1u;
#endif
            atomic_fetch_add_explicit(&m->not_empty_seq, 1u, memory_order_release);
            shmbox_lock_give(&m->lock);
            if (atomic_load_explicit(&m->not_empty_sleepers, memory_order_seq_cst) != 0)
                shmbox_port_wake(&m->not_empty_seq, 1);
            return 0;
        }
        uint32_t seen = atomic_load_explicit(&m->not_full_seq, memory_order_relaxed);
        shmbox_lock_give(&m->lock);
        if (timeout_ms == SHMBOX_NO_WAIT)
            return -EAGAIN;
        if (shmbox_wait_seq(&m->not_full_seq, &m->not_full_sleepers, seen, deadline) == -ETIMEDOUT)
            return -ETIMEDOUT;
    }
}

/*
 * The take half of recv and recv_slot. want_slot selects which kind of
 * message the caller takes; the other kind stays queued (-ENOMSG).
 * Returns the length, or a negative errno.
 */
static int mbox_take(shmbox_t *sb, unsigned mbox, void *buf, size_t cap, int want_slot, shmbox_slot_t *slot,
                     int32_t timeout_ms, uint64_t deadline)
{
    struct shmbox_mbox_ctl *m = shmbox_mbox_of(sb, mbox);
    for (;;) {
        uint32_t head, tail, count;
        int rc = mbox_enter(sb, m, deadline, &head, &tail);
        if (rc < 0)
            return rc;
        count = tail - head;
        if (count > 0) {
            struct shmbox_mbox_entry *e = entry_at(m, head);
            uint32_t len = e->len;
            shmbox_slot_t s = e->slot;
            if (s == SHMBOX_SLOT_NONE) {
                if (len > CONFIG_SHMBOX_MSG_SIZE)
                    rc = -EBADMSG;
                else if (want_slot)
                    rc = -ENOMSG;
                else if (len > cap)
                    rc = -EMSGSIZE;
                else {
                    if (len > 0)
                        memcpy(buf, e->data, len);
                    rc = (int)len;
                }
            } else if (!want_slot) {
                rc = -ENOMSG;
            } else if (!shmbox_slot_queued(sb, s) || len > shmbox_layout_slot_size[SHMBOX_H_POOL(s)]) {
                rc = -EBADMSG; /* not a queued slot, or a hostile length */
            } else {
                rc = (int)len;
            }
            int consumed = rc >= 0;
            if (consumed) {
                if (s != SHMBOX_SLOT_NONE) {
                    m->pend_slot = s;
                    m->pend_pos = head;
                    atomic_signal_fence(memory_order_seq_cst); /* slot and pos before op */
                    m->pend_op = SHMBOX_PEND_RECV;
                    atomic_signal_fence(memory_order_seq_cst); /* op before the commit */
                } else {
                    SHMBOX_HOOK(SHMBOX_HOOK_RECV_COPIED);
                }
                m->head = head + 1u; /* commit */
                atomic_signal_fence(memory_order_seq_cst);
                if (s != SHMBOX_SLOT_NONE) {
                    SHMBOX_HOOK(SHMBOX_HOOK_RECV_OWNED);
                    /* Queued and MBOX-owned under this lock: nobody else may
                     * move it (free refuses, reclaim skips), so this only
                     * fails on a hostile region; the entry is consumed. */
                    if (shmbox_slot_set_owner(sb, s, SHMBOX_OWNER_MBOX, sb->proc_index + 1u) == 0)
                        *slot = s;
                    else
                        rc = -EBADMSG;
                    atomic_signal_fence(memory_order_seq_cst);
                }
                m->pend_op = SHMBOX_PEND_NONE;
#ifdef CONFIG_SHMBOX_STATS
                m->received++;
#endif
                atomic_fetch_add_explicit(&m->not_full_seq, 1u, memory_order_release);
            }
            shmbox_lock_give(&m->lock);
            if (consumed) {
                if (atomic_load_explicit(&m->not_full_sleepers, memory_order_seq_cst) != 0)
                    shmbox_port_wake(&m->not_full_seq, 1);
            } else if (atomic_load_explicit(&m->not_empty_sleepers, memory_order_seq_cst) != 0) {
                /* We leave the message: let another receiver look at it. */
                shmbox_port_wake(&m->not_empty_seq, 1);
            }
            return rc;
        }
        uint32_t seen = atomic_load_explicit(&m->not_empty_seq, memory_order_relaxed);
        shmbox_lock_give(&m->lock);
        if (timeout_ms == SHMBOX_NO_WAIT)
            return -EAGAIN;
        if (shmbox_wait_seq(&m->not_empty_seq, &m->not_empty_sleepers, seen, deadline) == -ETIMEDOUT)
            return -ETIMEDOUT;
    }
}

int shmbox_send(shmbox_t *sb, unsigned mbox, const void *msg, size_t len, int32_t timeout_ms)
{
    uint64_t deadline;
    if (!shmbox_is_open(sb) || mbox >= CONFIG_SHMBOX_MBOX_COUNT || (msg == NULL && len > 0) ||
        shmbox_deadline(timeout_ms, &deadline) < 0)
        return -EINVAL;
    if (len > CONFIG_SHMBOX_MSG_SIZE)
        return -EMSGSIZE;
    return mbox_put(sb, mbox, msg, len, SHMBOX_SLOT_NONE, timeout_ms, deadline);
}

int shmbox_send_slot(shmbox_t *sb, unsigned mbox, shmbox_slot_t slot, size_t len, int32_t timeout_ms)
{
    uint64_t deadline;
    if (!shmbox_is_open(sb) || mbox >= CONFIG_SHMBOX_MBOX_COUNT || shmbox_deadline(timeout_ms, &deadline) < 0)
        return -EINVAL;
    size_t size = shmbox_slot_size(sb, slot);
    if (size == 0)
        return -EINVAL;
    if (len > size)
        return -EMSGSIZE;
    return mbox_put(sb, mbox, NULL, len, slot, timeout_ms, deadline);
}

int shmbox_recv(shmbox_t *sb, unsigned mbox, void *buf, size_t cap, int32_t timeout_ms)
{
    uint64_t deadline;
    if (!shmbox_is_open(sb) || mbox >= CONFIG_SHMBOX_MBOX_COUNT || (buf == NULL && cap > 0) ||
        shmbox_deadline(timeout_ms, &deadline) < 0)
        return -EINVAL;
    return mbox_take(sb, mbox, buf, cap, 0, NULL, timeout_ms, deadline);
}

int shmbox_recv_slot(shmbox_t *sb, unsigned mbox, shmbox_slot_t *slot, size_t *len, int32_t timeout_ms)
{
    uint64_t deadline;
    if (!shmbox_is_open(sb) || mbox >= CONFIG_SHMBOX_MBOX_COUNT || slot == NULL ||
        shmbox_deadline(timeout_ms, &deadline) < 0)
        return -EINVAL;
    int rc = mbox_take(sb, mbox, NULL, 0, 1, slot, timeout_ms, deadline);
    if (rc < 0)
        return rc;
    if (len != NULL)
        *len = (size_t)rc;
    return 0;
}
