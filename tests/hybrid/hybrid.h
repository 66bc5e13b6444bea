// SPDX-License-Identifier: MIT
/*
 * What the firmware (fw/) and the Linux programs (host/) of the hybrid
 * tests agree on: mailbox roles, the message format, the bytes of every
 * message and slot (derived from its sender and sequence number, so a
 * receiver checks each byte), and the control messages that pace a run.
 * Header only: compiled into both sides.
 */
#ifndef SHMBOX_HYBRID_H
#define SHMBOX_HYBRID_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <shmbox/shmbox.h>

/* Mailboxes. */
#define HB_MB_CTL_FW 0u  /* control, Linux -> firmware */
#define HB_MB_CTL_LX 1u  /* control, firmware -> Linux */
#define HB_MB_TO_FW 2u   /* data, Linux -> firmware (copies and slots) */
#define HB_MB_TO_LX 3u   /* data, firmware -> Linux (copies and slots) */
#define HB_MB_MANY_IN 4u /* several senders (firmware among them) -> Linux */
#define HB_MB_MANY_OUT 5u /* Linux senders -> several receivers (firmware among them) */
#define HB_MB_LX 6u      /* Linux -> Linux (traffic that must go on meanwhile) */
#define HB_MB_SPARE 7u

/* Senders: the firmware is 0, Linux senders 1.. */
#define HB_SENDER_FW 0u
#define HB_SENDERS_MAX 8u

/* The firmware's scratch memory, outside the region in the same RAM: the
 * firmware's receive record of the many-receivers test (one byte per
 * (sender, seq), the count of times received), read by Linux after. */
#define HB_RAM_BASE 0x80000000u
#define HB_REGION_OFFSET 0x100000u
#define HB_SCRATCH_OFFSET 0x800000u
#define HB_SCRATCH_SEQS 65536u

/* Every data message starts with this; the rest of its bytes follow hb_byte(). */
struct hb_head {
    uint32_t sender;
    uint32_t seq;
};

#define HB_END_SEQ 0xffffffffu /* a receiver's end marker (no payload) */

static inline unsigned char hb_byte(uint32_t sender, uint32_t seq, size_t i)
{
    return (unsigned char)(sender * 131u + seq * 7u + (uint32_t)i * 13u + 1u);
}

/* Length of copied message @p seq of @p sender: 8 .. SHMBOX_MSG_SIZE. */
static inline size_t hb_msg_len(uint32_t sender, uint32_t seq)
{
    return sizeof(struct hb_head) + (size_t)((seq * 37u + sender) % (SHMBOX_MSG_SIZE - sizeof(struct hb_head) + 1u));
}

/* Payload length of slot message @p seq: 8 .. @p cap. */
static inline size_t hb_slot_len(uint32_t sender, uint32_t seq, size_t cap)
{
    return sizeof(struct hb_head) + (size_t)((seq * 53u + sender * 3u) % (cap - sizeof(struct hb_head) + 1u));
}

static inline void hb_fill(unsigned char *p, size_t len, uint32_t sender, uint32_t seq)
{
    struct hb_head h = {sender, seq};
    memcpy(p, &h, sizeof(h));
    for (size_t i = sizeof(h); i < len; i++)
        p[i] = hb_byte(sender, seq, i);
}

/* 0 when the @p len bytes at @p p are message (sender, seq) as hb_fill
 * wrote them (the head read into *h either way), -1 otherwise. */
static inline int hb_check(const unsigned char *p, size_t len, struct hb_head *h)
{
    if (len < sizeof(*h))
        return -1;
    memcpy(h, p, sizeof(*h));
    if (h->sender >= HB_SENDERS_MAX)
        return -1;
    for (size_t i = sizeof(*h); i < len; i++)
        if (p[i] != hb_byte(h->sender, h->seq, i))
            return -1;
    return 0;
}

/* Slot messages carry up to this many bytes (the largest pool's slots). */
#define HB_SLOT_CAP 256u

/* Whether message @p seq of a stream of @p total messages, @p slots of
 * them zero-copy slots, is a slot (spread evenly over the stream). */
static inline int hb_is_slot(uint32_t seq, uint32_t total, uint32_t slots)
{
    if (total == 0)
        return 0;
    return (uint64_t)(seq + 1u) * slots / total > (uint64_t)seq * slots / total;
}

/* Control messages (HB_MB_CTL_FW, HB_MB_CTL_LX). */
enum hb_ctl_kind {
    HB_CTL_READY = 1, /* the firmware is attached (a = its slots held, b = pool used after) */
    HB_CTL_GO,        /* Linux: start (a, b = counts) */
    HB_CTL_DONE,      /* the side is done (a = result: 0 ok, else a failure code; b = count) */
    HB_CTL_CHECK,     /* Linux: check your held slots now */
    HB_CTL_PING,      /* round trip: a = sequence */
    HB_CTL_PONG,
    HB_CTL_FAIL,      /* firmware failure: a = code, b = value */
    HB_CTL_SLOT,      /* a slot the firmware holds: a = its handle */
};

struct hb_ctl {
    uint32_t kind;
    uint32_t a;
    uint32_t b;
    uint32_t c;
};

/* The firmware's held slots in the ownership tests: count and size. */
#define HB_HELD_SLOTS 5u
#define HB_HELD_SIZE 200u
#define HB_HELD_SENDER 7u /* hb_fill()'s sender for the held slots' bytes */

#endif /* SHMBOX_HYBRID_H */
