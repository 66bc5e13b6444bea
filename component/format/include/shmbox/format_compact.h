// SPDX-License-Identifier: MIT
/**
 * @file format_compact.h
 * @brief The compact layout variant (shmbox_cfg_rec.variant ==
 *        SHMBOX_VARIANT_COMPACT): a region only firmware cores share, run by
 *        the minimal core (CONFIG_SHMBOX_MINIMAL_CORE).
 *
 * Included by <shmbox/shmbox_format.h>. All control first, packed (no
 * cache-line padding: a Cortex-M has no cache to share lines in), then the
 * payload; page_size aligns the payload and the end only:
 *
 *   0                    header: the classic header's identity and config
 *                        record (the same 144 bytes), then the count of
 *                        open handles
 *   pool_off[n]          pool n: its control, then its slot descriptors
 *   mbox_off             mailbox 0..M-1 control, 32 bytes apart
 *   data (page-aligned)  pool 0..P-1 slots, then mailbox 0..M-1 rings
 *   region_size          end (page-aligned)
 *
 * No process table, no per-slot owner, no sleeper counts: a compact region
 * has no crash repair and no Linux peers. Fixed-width fields only, so the
 * bytes are the same on every architecture.
 */
#ifndef SHMBOX_FORMAT_COMPACT_H
#define SHMBOX_FORMAT_COMPACT_H

#include <shmbox/shmbox_format.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The header: struct shmbox_hdr's first 144 bytes, then the handle count. */
struct shmbox_chdr {
    uint64_t magic;               /* written last by the creator */
    SHMBOX_ATOMIC_U32 init_state; /* SHMBOX_INIT_* */
    uint32_t layout_version;
    uint64_t fingerprint;
    uint64_t region_size;
    uint32_t creator_pid;         /* 0: a firmware */
    uint32_t header_size;         /* sizeof(struct shmbox_chdr) */
    uint64_t creator_token;       /* 0 */
    struct shmbox_cfg_rec cfg;    /* at offset 48, as in the classic header */
    SHMBOX_ATOMIC_U32 attached;   /* handles open (shmbox_open/create not yet closed) */
    uint32_t reserved0;
};

/** A pool's control; its cfg.slot_count descriptors follow it. The lock
 *  word is taken as in the classic layout (<shmbox/owner.h>). */
struct shmbox_cpool {
    SHMBOX_ATOMIC_U32 lock;
    uint32_t free_head; /* index + 1 of the first free slot, 0: none */
    uint32_t used;      /* slots allocated */
    uint32_t peak;
};

/** A slot in a mailbox (sent with shmbox_send_slot, not yet received):
 *  nobody's to use or free. Compact layout only (the classic layout
 *  records the mailbox as the slot's owner instead). */
#define SHMBOX_SLOT_QUEUED 3u

/** A slot descriptor. */
struct shmbox_cdesc {
    uint32_t next;           /* free list: index + 1 of the next free slot */
    SHMBOX_ATOMIC_U32 state; /* SHMBOX_SLOT_WORD(SHMBOX_SLOT_FREE, _USED or _QUEUED, generation) */
};

/** A mailbox's control: one lock for senders and receivers. Its ring of
 *  cfg.mbox_depth entries (struct shmbox_mbox_entry, as in the classic
 *  layout) is in the payload part. */
struct shmbox_cmbox {
    SHMBOX_ATOMIC_U32 lock;
    uint32_t head;     /* next entry to receive (free-running) */
    uint32_t tail;     /* next entry to fill (free-running) */
    uint32_t peak;
    uint64_t sent;     /* CONFIG_SHMBOX_STATS */
    uint64_t received;
};

/* ---- the compact arithmetic (arguments evaluated in uint64_t) ---------- */

/** Pool n's control, given the slots of the pools before it. */
#define SHMBOX_FMT_C_POOL_OFF(n, slots_before) \
    ((uint64_t)sizeof(struct shmbox_chdr) + (uint64_t)(n) * sizeof(struct shmbox_cpool) + \
     (uint64_t)(slots_before) * sizeof(struct shmbox_cdesc))
/** Mailbox 0's control: after every pool's (@p pools pools, @p slots slots in all). */
#define SHMBOX_FMT_C_MBOX_OFF(pools, slots) SHMBOX_FMT_C_POOL_OFF((pools), (slots))
/** The payload: pool 0's first slot, page-aligned after @p mboxes mailboxes' control. */
#define SHMBOX_FMT_C_DATA_OFF(page, pools, slots, mboxes) \
    SHMBOX_FMT_ALIGN_UP(SHMBOX_FMT_C_MBOX_OFF((pools), (slots)) + (uint64_t)(mboxes) * sizeof(struct shmbox_cmbox), (page))
/** Bytes of one mailbox's ring. */
#define SHMBOX_FMT_C_RING_BYTES(depth, msg) ((uint64_t)(depth) * SHMBOX_FMT_ENTRY_SIZE(msg))
/** The region's size, rings ending at @p ring_end. */
#define SHMBOX_FMT_C_REGION(page, ring_end) SHMBOX_FMT_ALIGN_UP((ring_end), (page))

SHMBOX_STATIC_ASSERT(sizeof(struct shmbox_chdr) == 152, "compact header layout");
SHMBOX_STATIC_ASSERT(offsetof(struct shmbox_chdr, cfg) == SHMBOX_FMT_IDENTITY_BYTES, "the header's identity");
SHMBOX_STATIC_ASSERT(offsetof(struct shmbox_chdr, init_state) == offsetof(struct shmbox_hdr, init_state) &&
                         offsetof(struct shmbox_chdr, fingerprint) == offsetof(struct shmbox_hdr, fingerprint) &&
                         offsetof(struct shmbox_chdr, region_size) == offsetof(struct shmbox_hdr, region_size) &&
                         offsetof(struct shmbox_chdr, header_size) == offsetof(struct shmbox_hdr, header_size),
                     "the compact header's identity is the classic header's");
SHMBOX_STATIC_ASSERT(offsetof(struct shmbox_chdr, attached) == 144, "compact header layout");
SHMBOX_STATIC_ASSERT(sizeof(struct shmbox_cpool) == 16, "compact pool layout");
SHMBOX_STATIC_ASSERT(sizeof(struct shmbox_cdesc) == 8, "compact slot descriptor layout");
SHMBOX_STATIC_ASSERT(sizeof(struct shmbox_cmbox) == 32 && offsetof(struct shmbox_cmbox, sent) == 16,
                     "compact mailbox layout");

#ifdef __cplusplus
}
#endif

#endif /* SHMBOX_FORMAT_COMPACT_H */
