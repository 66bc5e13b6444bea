// SPDX-License-Identifier: MIT
/*
 * Message streams of the hybrid tests, the same code on the firmware and
 * on Linux: a sender queues messages seq 0, 1, ... (copies, and slots
 * spread evenly among them, hb_is_slot()); a receiver takes whatever
 * arrives, checks every byte and each sender's order. Each step makes at
 * most one call, with the timeout given (SHMBOX_NO_WAIT on the firmware,
 * which interleaves several streams in one loop).
 */
#ifndef SHMBOX_HYBRID_STREAM_H
#define SHMBOX_HYBRID_STREAM_H

#include <stdint.h>

#include "hybrid.h"

struct hb_tx {
    unsigned mbox;
    uint32_t sender;
    uint32_t total;     /* messages to send */
    uint32_t slots;     /* of them, slots */
    uint32_t seq;       /* next to send */
    shmbox_slot_t held; /* a filled slot not queued yet */
    uint32_t held_len;
};

struct hb_rx {
    unsigned mbox;
    int strict;                       /* each sender's seqs arrive 0, 1, 2, ... (one receiver) */
    uint32_t next[HB_SENDERS_MAX];    /* per sender: the lowest seq still allowed */
    uint32_t total[HB_SENDERS_MAX];   /* per sender: its stream's length (kind check) */
    uint32_t slots[HB_SENDERS_MAX];   /* per sender: slots in it */
    uint32_t count;                   /* data messages received */
    uint32_t ends;                    /* end markers received */
    unsigned char *record;            /* optional: [sender * HB_SCRATCH_SEQS + seq]++ */
    int error;                        /* first failure (negative) */
    uint32_t bad_sender, bad_seq;     /* the message it concerns */
    const char *why;                  /* its description */
};

/* 1: a message went; 0: nothing to do now (full, or pool empty); <0 error. */
int hb_tx_step(shmbox_t *sb, struct hb_tx *tx, int32_t timeout_ms);
/* 1: a message (or an end marker) came, checked; 0: none; <0: an error
 * (rx->why says which check failed). */
int hb_rx_step(shmbox_t *sb, struct hb_rx *rx, int32_t timeout_ms);
/* Queue an end marker (a copied message with seq HB_END_SEQ). */
int hb_send_end(shmbox_t *sb, unsigned mbox, uint32_t sender, int32_t timeout_ms);

static inline int hb_tx_done(const struct hb_tx *tx)
{
    return tx->seq >= tx->total;
}

#endif /* SHMBOX_HYBRID_STREAM_H */
