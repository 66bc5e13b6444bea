// SPDX-License-Identifier: MIT
/*
 * The region's layout, fixed at compile time by the generated config.
 *
 * Only fixed-width integers and byte arrays live in the region, every
 * 64-bit field is 8-byte aligned with explicit padding, every section
 * starts on a CONFIG_SHMBOX_PAGE_SIZE boundary, and the _Static_asserts
 * below prove the offsets, so the same config gives the same bytes on
 * x86_64, armhf and aarch64. References inside the region are indices,
 * never pointers.
 *
 *   offset 0                 header: identity, config record, process table
 *   SHMBOX_POOL_OFF(0..7)    pool n: control line, slot descriptors, slots
 *   SHMBOX_MBOX_OFF          mailbox 0..M-1: control lines, ring of entries
 *   SHMBOX_REGION_SIZE       end
 */
#ifndef SHMBOX_LAYOUT_H
#define SHMBOX_LAYOUT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <shmbox/shmbox_config.h>

#define SHMBOX_MAGIC 0x3158424d48534d53ull /* "SMSHMBX1" little-endian */
#define SHMBOX_LAYOUT_VERSION 2u
#define SHMBOX_CACHE_LINE 64u
#define SHMBOX_SLOT_ALIGN 64u
#define SHMBOX_MAX_POOLS 8u

#define SHMBOX_ALIGN_UP(x, a) ((((uint64_t)(x)) + ((uint64_t)(a)) - 1u) / ((uint64_t)(a)) * ((uint64_t)(a)))
#define SHMBOX_PAGE_UP(x) SHMBOX_ALIGN_UP((x), CONFIG_SHMBOX_PAGE_SIZE)

/* init_state values: EMPTY -> INITIALIZING -> READY */
/* Bytes of the region name in the header: SHMBOX_NAME_MAX + 1. */
#define SHMBOX_HDR_NAME_LEN 32u

#define SHMBOX_INIT_EMPTY 0u
#define SHMBOX_INIT_INITIALIZING 1u
#define SHMBOX_INIT_READY 2u

/* ---- locks ------------------------------------------------------------ */

/*
 * A lock: the 32-bit lock word (owner's thread id, PI-futex protocol on
 * Linux) and a dirty word, set while the lock is held and cleared just
 * before release. A locker that finds dirty set knows its predecessor died
 * inside the critical section, however the port reported the death.
 */
struct shmbox_lock {
    _Atomic uint32_t word;
    uint32_t dirty;
};

/* ---- header ----------------------------------------------------------- */

/* The layout-affecting config values, as recorded in the header. */
struct shmbox_cfg_rec {
    uint32_t layout_version;
    uint32_t page_size;
    uint32_t pool_count;
    uint32_t mbox_count;
    uint32_t mbox_depth;
    uint32_t msg_size;
    uint32_t max_procs;
    uint32_t reserved0;
    uint32_t slot_size[SHMBOX_MAX_POOLS];
    uint32_t slot_count[SHMBOX_MAX_POOLS];
};

/* One process table entry. pid 0: free. Written under proc_lock. */
struct shmbox_proc {
    _Atomic uint32_t pid;
    uint32_t reserved0;
    _Atomic uint32_t token_lo; /* shmbox_port_proc_token(pid) when it attached, */
    _Atomic uint32_t token_hi; /* in halves: no 64-bit atomics needed */
};

struct shmbox_hdr {
    uint64_t magic;                  /* written last by the creator */
    _Atomic uint32_t init_state;     /* SHMBOX_INIT_* */
    uint32_t layout_version;
    uint64_t fingerprint;
    uint64_t region_size;
    uint32_t creator_pid;
    uint32_t header_size;
    uint64_t creator_token;
    struct shmbox_cfg_rec cfg;       /* 96 bytes at offset 48 */
    uint64_t creator_pid_ns;         /* shmbox_port_pid_ns() of the creator, 0: unknown */
    char name[SHMBOX_HDR_NAME_LEN];  /* the region's name, NUL-terminated (for tools:
                                        a SysV segment has no name of its own) */
    uint8_t pad0[192 - 48 - 96 - 8 - SHMBOX_HDR_NAME_LEN];
    struct shmbox_lock proc_lock;    /* guards procs[] */
    _Atomic uint32_t recoveries;     /* locks taken over from dead owners */
    uint32_t reserved1;
    uint8_t pad1[256 - 192 - 16];
    struct shmbox_proc procs[CONFIG_SHMBOX_MAX_PROCS];
};

/* ---- pools -------------------------------------------------------------- */

/* Slot descriptor state word: low byte state, next byte generation. */
#define SHMBOX_SLOT_FREE 0u
#define SHMBOX_SLOT_USED 1u
#define SHMBOX_SLOT_CACHED 2u /* allocated to its owner, kept by one of its threads (CONFIG_SHMBOX_SLOT_CACHE) */
#define SHMBOX_SLOT_STATE(w) ((w) & 0xffu)
#define SHMBOX_SLOT_GEN(w) (((w) >> 8) & 0xffu)
#define SHMBOX_SLOT_WORD(state, gen) ((uint32_t)(state) | ((uint32_t)((gen) & 0xffu) << 8))

/* Owner of a used slot: a process table index + 1, or the mailboxes. */
#define SHMBOX_OWNER_NONE 0u
#define SHMBOX_OWNER_MBOX 0xffffffffu

struct shmbox_slot_desc {
    uint32_t next;             /* free list: index + 1 of the next free slot */
    _Atomic uint32_t state;    /* SHMBOX_SLOT_WORD(state, generation) */
    _Atomic uint32_t owner;    /* SHMBOX_OWNER_* or process index + 1 */
    uint32_t reserved0;
};

struct shmbox_pool_ctl {
    struct shmbox_lock lock;
    uint32_t free_head;        /* index + 1 of the first free slot, 0: none */
    uint32_t used;             /* slots not free */
    uint32_t peak;
    uint32_t slot_size;        /* informative copies of the config */
    uint32_t slot_count;
    uint32_t reserved0;
    uint8_t pad0[SHMBOX_CACHE_LINE - 32];
    _Atomic uint32_t seq;      /* bumped by every free */
    _Atomic uint32_t sleepers; /* allocators waiting on seq (spinning or asleep) */
    uint8_t pad1[SHMBOX_CACHE_LINE - 8];
};

/*
 * Slot handle: bits 0..20 slot index + 1, bits 21..23 pool, bits 24..31
 * generation. Index + 1 is never 0, so no handle is SHMBOX_SLOT_NONE.
 */
#define SHMBOX_H_INDEX_BITS 21u
#define SHMBOX_H_INDEX_MASK ((1u << SHMBOX_H_INDEX_BITS) - 1u)
#define SHMBOX_H_POOL(h) (((h) >> SHMBOX_H_INDEX_BITS) & 7u)
#define SHMBOX_H_GEN(h) ((h) >> 24)
#define SHMBOX_HANDLE(pool, idx, gen) \
    ((uint32_t)(((uint32_t)(idx) + 1u) | ((uint32_t)(pool) << SHMBOX_H_INDEX_BITS) | ((uint32_t)((gen) & 0xffu) << 24)))

/* ---- mailboxes ---------------------------------------------------------- */

/*
 * Senders and receivers have a lock each (a two-lock queue): they never
 * wait for one another, only for their own kind. Each side writes its own
 * lines; the other side only reads the index it publishes.
 */
struct shmbox_mbox_ctl {
    /* line 0: the send side, guarded by lock */
    struct shmbox_lock lock;   /* senders' lock */
    uint32_t peak;             /* highest count a sender saw */
    uint32_t pend_op;          /* send_slot in progress: SHMBOX_PEND_SEND */
    uint32_t pend_slot;        /* ... its slot handle */
    uint32_t pend_pos;         /* ... and the tail value it fills */
    uint64_t sent;
    uint32_t head_seen;        /* head as senders last read it: a hint, never ahead of head */
    uint8_t pad0[SHMBOX_CACHE_LINE - 36];
    /* line 1: written by senders, read by receivers, who sleep on it */
    _Atomic uint32_t tail;     /* next entry to fill (free-running); commit point of send */
    _Atomic uint32_t not_empty_sleepers; /* receivers asleep on tail (a futex on the index) */
    uint8_t pad1[SHMBOX_CACHE_LINE - 8];
    /* line 2: the receive side, guarded by recv_lock */
    struct shmbox_lock recv_lock; /* receivers' lock */
    uint32_t recv_pend_op;     /* recv_slot in progress: SHMBOX_PEND_RECV */
    uint32_t recv_pend_slot;   /* ... its slot handle */
    uint32_t recv_pend_pos;    /* ... and the head value it takes */
    uint32_t tail_seen;        /* tail as receivers last read it: a hint, never ahead of tail */
    uint64_t received;
    uint8_t pad2[SHMBOX_CACHE_LINE - 32];
    /* line 3: written by receivers, read by senders, who sleep on it */
    _Atomic uint32_t head;     /* next entry to receive (free-running); commit point of recv */
    _Atomic uint32_t not_full_sleepers; /* senders asleep on head */
    uint8_t pad3[SHMBOX_CACHE_LINE - 8];
};

/* pend_op: what a slot hand-over was doing when its process died. */
#define SHMBOX_PEND_NONE 0u
#define SHMBOX_PEND_SEND 1u
#define SHMBOX_PEND_RECV 2u

struct shmbox_mbox_entry {
    uint32_t len;
    uint32_t slot; /* SHMBOX_SLOT_NONE: a copied message in data[] */
    uint8_t data[CONFIG_SHMBOX_MSG_SIZE];
};

/* ---- config values of pools 1..7 that may be absent ---------------------- */

#define SHMBOX_P_SIZE_0 CONFIG_SHMBOX_POOL0_SLOT_SIZE
#define SHMBOX_P_COUNT_0 CONFIG_SHMBOX_POOL0_SLOT_COUNT
#ifdef CONFIG_SHMBOX_POOL1_SLOT_SIZE
#define SHMBOX_P_SIZE_1 CONFIG_SHMBOX_POOL1_SLOT_SIZE
#define SHMBOX_P_COUNT_1 CONFIG_SHMBOX_POOL1_SLOT_COUNT
#else
#define SHMBOX_P_SIZE_1 0
#define SHMBOX_P_COUNT_1 0
#endif
#ifdef CONFIG_SHMBOX_POOL2_SLOT_SIZE
#define SHMBOX_P_SIZE_2 CONFIG_SHMBOX_POOL2_SLOT_SIZE
#define SHMBOX_P_COUNT_2 CONFIG_SHMBOX_POOL2_SLOT_COUNT
#else
#define SHMBOX_P_SIZE_2 0
#define SHMBOX_P_COUNT_2 0
#endif
#ifdef CONFIG_SHMBOX_POOL3_SLOT_SIZE
#define SHMBOX_P_SIZE_3 CONFIG_SHMBOX_POOL3_SLOT_SIZE
#define SHMBOX_P_COUNT_3 CONFIG_SHMBOX_POOL3_SLOT_COUNT
#else
#define SHMBOX_P_SIZE_3 0
#define SHMBOX_P_COUNT_3 0
#endif
#ifdef CONFIG_SHMBOX_POOL4_SLOT_SIZE
#define SHMBOX_P_SIZE_4 CONFIG_SHMBOX_POOL4_SLOT_SIZE
#define SHMBOX_P_COUNT_4 CONFIG_SHMBOX_POOL4_SLOT_COUNT
#else
#define SHMBOX_P_SIZE_4 0
#define SHMBOX_P_COUNT_4 0
#endif
#ifdef CONFIG_SHMBOX_POOL5_SLOT_SIZE
#define SHMBOX_P_SIZE_5 CONFIG_SHMBOX_POOL5_SLOT_SIZE
#define SHMBOX_P_COUNT_5 CONFIG_SHMBOX_POOL5_SLOT_COUNT
#else
#define SHMBOX_P_SIZE_5 0
#define SHMBOX_P_COUNT_5 0
#endif
#ifdef CONFIG_SHMBOX_POOL6_SLOT_SIZE
#define SHMBOX_P_SIZE_6 CONFIG_SHMBOX_POOL6_SLOT_SIZE
#define SHMBOX_P_COUNT_6 CONFIG_SHMBOX_POOL6_SLOT_COUNT
#else
#define SHMBOX_P_SIZE_6 0
#define SHMBOX_P_COUNT_6 0
#endif
#ifdef CONFIG_SHMBOX_POOL7_SLOT_SIZE
#define SHMBOX_P_SIZE_7 CONFIG_SHMBOX_POOL7_SLOT_SIZE
#define SHMBOX_P_COUNT_7 CONFIG_SHMBOX_POOL7_SLOT_COUNT
#else
#define SHMBOX_P_SIZE_7 0
#define SHMBOX_P_COUNT_7 0
#endif

/* ---- offsets ------------------------------------------------------------- */

#define SHMBOX_HDR_BYTES SHMBOX_PAGE_UP(sizeof(struct shmbox_hdr))

/* Pool n: control line, descriptors, then the slots on a page boundary. */
#define SHMBOX_POOL_DESC_OFF ((uint64_t)sizeof(struct shmbox_pool_ctl))
#define SHMBOX_POOL_DATA_OFF(n) \
    SHMBOX_PAGE_UP(sizeof(struct shmbox_pool_ctl) + (uint64_t)SHMBOX_P_COUNT_##n * sizeof(struct shmbox_slot_desc))
#define SHMBOX_POOL_BYTES(n) \
    (SHMBOX_P_COUNT_##n == 0 ? (uint64_t)0 \
        : SHMBOX_POOL_DATA_OFF(n) + SHMBOX_PAGE_UP((uint64_t)SHMBOX_P_SIZE_##n * (uint64_t)SHMBOX_P_COUNT_##n))

#define SHMBOX_POOL_OFF_0 SHMBOX_HDR_BYTES
#define SHMBOX_POOL_OFF_1 (SHMBOX_POOL_OFF_0 + SHMBOX_POOL_BYTES(0))
#define SHMBOX_POOL_OFF_2 (SHMBOX_POOL_OFF_1 + SHMBOX_POOL_BYTES(1))
#define SHMBOX_POOL_OFF_3 (SHMBOX_POOL_OFF_2 + SHMBOX_POOL_BYTES(2))
#define SHMBOX_POOL_OFF_4 (SHMBOX_POOL_OFF_3 + SHMBOX_POOL_BYTES(3))
#define SHMBOX_POOL_OFF_5 (SHMBOX_POOL_OFF_4 + SHMBOX_POOL_BYTES(4))
#define SHMBOX_POOL_OFF_6 (SHMBOX_POOL_OFF_5 + SHMBOX_POOL_BYTES(5))
#define SHMBOX_POOL_OFF_7 (SHMBOX_POOL_OFF_6 + SHMBOX_POOL_BYTES(6))
#define SHMBOX_MBOX_OFF (SHMBOX_POOL_OFF_7 + SHMBOX_POOL_BYTES(7))

#define SHMBOX_MBOX_RING_OFF ((uint64_t)sizeof(struct shmbox_mbox_ctl))
#define SHMBOX_MBOX_STRIDE \
    SHMBOX_PAGE_UP(sizeof(struct shmbox_mbox_ctl) + (uint64_t)CONFIG_SHMBOX_MBOX_DEPTH * sizeof(struct shmbox_mbox_entry))

#define SHMBOX_REGION_SIZE (SHMBOX_MBOX_OFF + (uint64_t)CONFIG_SHMBOX_MBOX_COUNT * SHMBOX_MBOX_STRIDE)

/* ---- compile-time proofs ------------------------------------------------- */

_Static_assert(sizeof(_Atomic uint32_t) == 4, "atomic 32-bit words must be plain 32-bit words");
_Static_assert(sizeof(struct shmbox_lock) == 8, "lock layout");
_Static_assert(sizeof(struct shmbox_cfg_rec) == 96, "config record layout");
_Static_assert(offsetof(struct shmbox_hdr, cfg) == 48, "header layout");
_Static_assert(offsetof(struct shmbox_hdr, name) == 152, "header layout");
_Static_assert(offsetof(struct shmbox_hdr, proc_lock) == 192, "header layout");
_Static_assert(offsetof(struct shmbox_hdr, procs) == 256, "header layout");
_Static_assert(sizeof(struct shmbox_proc) == 16, "process entry layout");
_Static_assert(sizeof(struct shmbox_hdr) == 256 + 16 * CONFIG_SHMBOX_MAX_PROCS, "header layout");
_Static_assert(sizeof(struct shmbox_slot_desc) == 16, "slot descriptor layout");
_Static_assert(sizeof(struct shmbox_pool_ctl) == 2 * SHMBOX_CACHE_LINE, "pool control layout");
_Static_assert(offsetof(struct shmbox_pool_ctl, seq) == SHMBOX_CACHE_LINE, "pool control layout");
_Static_assert(sizeof(struct shmbox_mbox_ctl) == 4 * SHMBOX_CACHE_LINE, "mailbox control layout");
_Static_assert(offsetof(struct shmbox_mbox_ctl, sent) == 24, "mailbox control layout: 8-aligned counters");
_Static_assert(offsetof(struct shmbox_mbox_ctl, tail) == SHMBOX_CACHE_LINE, "mailbox control layout");
_Static_assert(offsetof(struct shmbox_mbox_ctl, recv_lock) == 2 * SHMBOX_CACHE_LINE, "mailbox control layout");
_Static_assert(offsetof(struct shmbox_mbox_ctl, received) == 2 * SHMBOX_CACHE_LINE + 24, "mailbox control layout");
_Static_assert(offsetof(struct shmbox_mbox_ctl, head) == 3 * SHMBOX_CACHE_LINE, "mailbox control layout");
_Static_assert(offsetof(struct shmbox_mbox_ctl, not_empty_sleepers) == SHMBOX_CACHE_LINE + 4, "mailbox control layout");
_Static_assert(offsetof(struct shmbox_mbox_ctl, not_full_sleepers) == 3 * SHMBOX_CACHE_LINE + 4, "mailbox control layout");
_Static_assert(sizeof(struct shmbox_mbox_entry) == 8 + CONFIG_SHMBOX_MSG_SIZE, "mailbox entry layout");

/* Config values, checked again here so a hand-edited config cannot slip by. */
/* 64 (a cache line, the slot alignment) is the floor for firmware-only
 * regions; where Linux maps the region, create/open check the OS page. */
_Static_assert((CONFIG_SHMBOX_PAGE_SIZE & (CONFIG_SHMBOX_PAGE_SIZE - 1)) == 0 &&
                   CONFIG_SHMBOX_PAGE_SIZE >= SHMBOX_CACHE_LINE,
               "CONFIG_SHMBOX_PAGE_SIZE must be a power of two >= 64");
_Static_assert(CONFIG_SHMBOX_POOL_COUNT >= 1 && CONFIG_SHMBOX_POOL_COUNT <= 8, "CONFIG_SHMBOX_POOL_COUNT must be 1..8");
_Static_assert(CONFIG_SHMBOX_MBOX_COUNT >= 1 && CONFIG_SHMBOX_MBOX_COUNT <= 256, "CONFIG_SHMBOX_MBOX_COUNT must be 1..256");
_Static_assert(CONFIG_SHMBOX_MBOX_DEPTH >= 2 && (CONFIG_SHMBOX_MBOX_DEPTH & (CONFIG_SHMBOX_MBOX_DEPTH - 1)) == 0 &&
                   CONFIG_SHMBOX_MBOX_DEPTH <= 65536,
               "CONFIG_SHMBOX_MBOX_DEPTH must be a power of two in 2..65536");
_Static_assert(CONFIG_SHMBOX_MSG_SIZE >= 8 && CONFIG_SHMBOX_MSG_SIZE <= 4096 && CONFIG_SHMBOX_MSG_SIZE % 8 == 0,
               "CONFIG_SHMBOX_MSG_SIZE must be a multiple of 8 in 8..4096");
_Static_assert(CONFIG_SHMBOX_MAX_PROCS >= 1 && CONFIG_SHMBOX_MAX_PROCS <= 1024, "CONFIG_SHMBOX_MAX_PROCS must be 1..1024");

#define SHMBOX_CHECK_POOL(n)                                                                                  \
    _Static_assert(SHMBOX_P_SIZE_##n % SHMBOX_SLOT_ALIGN == 0,                                               \
                   "CONFIG_SHMBOX_POOL" #n "_SLOT_SIZE must be a multiple of 64 (the slot alignment)");      \
    _Static_assert(SHMBOX_P_COUNT_##n <= SHMBOX_H_INDEX_MASK - 1u,                                          \
                   "CONFIG_SHMBOX_POOL" #n "_SLOT_COUNT must be at most 1048575");                           \
    _Static_assert((SHMBOX_P_COUNT_##n == 0) == (n >= CONFIG_SHMBOX_POOL_COUNT),                            \
                   "CONFIG_SHMBOX_POOL" #n "_SLOT_COUNT must be >= 1 for each of CONFIG_SHMBOX_POOL_COUNT pools")
SHMBOX_CHECK_POOL(0);
SHMBOX_CHECK_POOL(1);
SHMBOX_CHECK_POOL(2);
SHMBOX_CHECK_POOL(3);
SHMBOX_CHECK_POOL(4);
SHMBOX_CHECK_POOL(5);
SHMBOX_CHECK_POOL(6);
SHMBOX_CHECK_POOL(7);
_Static_assert(SHMBOX_P_SIZE_1 == 0 || SHMBOX_P_SIZE_1 > SHMBOX_P_SIZE_0, "CONFIG_SHMBOX_POOL1_SLOT_SIZE must exceed POOL0's");
_Static_assert(SHMBOX_P_SIZE_2 == 0 || SHMBOX_P_SIZE_2 > SHMBOX_P_SIZE_1, "CONFIG_SHMBOX_POOL2_SLOT_SIZE must exceed POOL1's");
_Static_assert(SHMBOX_P_SIZE_3 == 0 || SHMBOX_P_SIZE_3 > SHMBOX_P_SIZE_2, "CONFIG_SHMBOX_POOL3_SLOT_SIZE must exceed POOL2's");
_Static_assert(SHMBOX_P_SIZE_4 == 0 || SHMBOX_P_SIZE_4 > SHMBOX_P_SIZE_3, "CONFIG_SHMBOX_POOL4_SLOT_SIZE must exceed POOL3's");
_Static_assert(SHMBOX_P_SIZE_5 == 0 || SHMBOX_P_SIZE_5 > SHMBOX_P_SIZE_4, "CONFIG_SHMBOX_POOL5_SLOT_SIZE must exceed POOL4's");
_Static_assert(SHMBOX_P_SIZE_6 == 0 || SHMBOX_P_SIZE_6 > SHMBOX_P_SIZE_5, "CONFIG_SHMBOX_POOL6_SLOT_SIZE must exceed POOL5's");
_Static_assert(SHMBOX_P_SIZE_7 == 0 || SHMBOX_P_SIZE_7 > SHMBOX_P_SIZE_6, "CONFIG_SHMBOX_POOL7_SLOT_SIZE must exceed POOL6's");
_Static_assert(SHMBOX_REGION_SIZE <= (uint64_t)CONFIG_SHMBOX_REGION_MAX_MB * 1024u * 1024u,
               "the layout exceeds CONFIG_SHMBOX_REGION_MAX_MB: lower the SHMBOX_POOL<n>_SLOT_COUNT/SIZE values");
_Static_assert(SHMBOX_REGION_SIZE == SHMBOX_CONFIG_REGION_BYTES,
               "config/kconfig.py computes another region size than this layout: keep the two in step");
_Static_assert(SHMBOX_HDR_BYTES % CONFIG_SHMBOX_PAGE_SIZE == 0 && SHMBOX_MBOX_OFF % CONFIG_SHMBOX_PAGE_SIZE == 0 &&
                   SHMBOX_MBOX_STRIDE % CONFIG_SHMBOX_PAGE_SIZE == 0,
               "sections start on page boundaries");

/* ---- run-time view of the compiled layout (layout.c) ---------------------- */

/* Slot size / count / section offset of pool n (n < CONFIG_SHMBOX_POOL_COUNT). */
extern const uint32_t sbx_layout_slot_size[SHMBOX_MAX_POOLS];
extern const uint32_t sbx_layout_slot_count[SHMBOX_MAX_POOLS];
extern const uint64_t sbx_layout_pool_off[SHMBOX_MAX_POOLS];
extern const uint64_t sbx_layout_pool_data_off[SHMBOX_MAX_POOLS];

/* The config record this build writes and expects. */
void sbx_layout_cfg(struct shmbox_cfg_rec *rec);
/* FNV-1a 64 over the config record, field by field (endian-independent). */
uint64_t sbx_layout_fingerprint(const struct shmbox_cfg_rec *rec);

#endif /* SHMBOX_LAYOUT_H */
