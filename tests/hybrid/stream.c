// SPDX-License-Identifier: MIT
/* Message streams of the hybrid tests (see stream.h). */
#include "stream.h"

#include <errno.h>

int hb_tx_step(shmbox_t *sb, struct hb_tx *tx, int32_t timeout_ms)
{
    if (hb_tx_done(tx))
        return 0;
    int rc;
    if (!hb_is_slot(tx->seq, tx->total, tx->slots)) {
        unsigned char buf[SHMBOX_MSG_SIZE];
        size_t len = hb_msg_len(tx->sender, tx->seq);
        hb_fill(buf, len, tx->sender, tx->seq);
        rc = shmbox_send(sb, tx->mbox, buf, len, timeout_ms);
    } else {
        if (tx->held == SHMBOX_SLOT_NONE) {
            size_t len = hb_slot_len(tx->sender, tx->seq, HB_SLOT_CAP);
            rc = shmbox_slot_alloc(sb, len, &tx->held, timeout_ms);
            if (rc == -ENOMEM || rc == -ETIMEDOUT || rc == -EAGAIN)
                return 0;
            if (rc < 0)
                return rc;
            hb_fill(shmbox_slot_ptr(sb, tx->held), len, tx->sender, tx->seq);
            tx->held_len = (uint32_t)len;
        }
        rc = shmbox_send_slot(sb, tx->mbox, tx->held, tx->held_len, timeout_ms);
        if (rc == 0)
            tx->held = SHMBOX_SLOT_NONE;
    }
    if (rc == -EAGAIN || rc == -ETIMEDOUT)
        return 0;
    if (rc < 0)
        return rc;
    tx->seq++;
    return 1;
}

int hb_send_end(shmbox_t *sb, unsigned mbox, uint32_t sender, int32_t timeout_ms)
{
    struct hb_head h = {sender, HB_END_SEQ};
    return shmbox_send(sb, mbox, &h, sizeof(h), timeout_ms);
}

static int fail(struct hb_rx *rx, int rc, const char *why)
{
    if (rx->error == 0) {
        rx->error = rc;
        rx->why = why;
    }
    return rc;
}

/* Order, kind and record of message (h) received as a slot or a copy. */
static int account(struct hb_rx *rx, const struct hb_head *h, int as_slot)
{
    rx->bad_sender = h->sender;
    rx->bad_seq = h->seq;
    if (h->seq == HB_END_SEQ) {
        rx->ends++;
        return 1;
    }
    uint32_t s = h->sender;
    if (rx->strict ? h->seq != rx->next[s] : h->seq < rx->next[s])
        return fail(rx, -EILSEQ, "out of order (lost, duplicated or reordered)");
    if (rx->total[s] != 0 && (h->seq >= rx->total[s] || hb_is_slot(h->seq, rx->total[s], rx->slots[s]) != as_slot))
        return fail(rx, -EILSEQ, "a copy where a slot was sent, or the reverse, or beyond the stream");
    rx->next[s] = h->seq + 1u;
    if (rx->record != 0 && h->seq < HB_SCRATCH_SEQS)
        rx->record[s * HB_SCRATCH_SEQS + h->seq]++;
    rx->count++;
    return 1;
}

int hb_rx_step(shmbox_t *sb, struct hb_rx *rx, int32_t timeout_ms)
{
    unsigned char buf[SHMBOX_MSG_SIZE];
    struct hb_head h;
    int n = shmbox_recv(sb, rx->mbox, buf, sizeof(buf), timeout_ms);
    if (n >= 0) {
        if (hb_check(buf, (size_t)n, &h) < 0)
            return fail(rx, -EBADMSG, "a copied message's bytes differ");
        if (h.seq != HB_END_SEQ && (size_t)n != hb_msg_len(h.sender, h.seq))
            return fail(rx, -EBADMSG, "a copied message's length differs");
        return account(rx, &h, 0);
    }
    if (n == -EAGAIN || n == -ETIMEDOUT)
        return 0;
    if (n != -ENOMSG)
        return fail(rx, n, "receive failed");
    shmbox_slot_t slot;
    size_t len = 0;
    int rc = shmbox_recv_slot(sb, rx->mbox, &slot, &len, SHMBOX_NO_WAIT);
    if (rc == -EAGAIN || rc == -ENOMSG)
        return 0; /* another receiver took it */
    if (rc < 0)
        return fail(rx, rc, "slot receive failed");
    const unsigned char *p = shmbox_slot_ptr(sb, slot);
    rc = p == 0 ? -EINVAL : hb_check(p, len, &h);
    if (rc == 0 && len != hb_slot_len(h.sender, h.seq, HB_SLOT_CAP))
        rc = -1;
    int freed = shmbox_slot_free(sb, slot);
    if (rc < 0)
        return fail(rx, -EBADMSG, "a slot's bytes or length differ");
    if (freed < 0)
        return fail(rx, freed, "slot free failed");
    return account(rx, &h, 1);
}
