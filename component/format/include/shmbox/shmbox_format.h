// SPDX-License-Identifier: MIT
/**
 * @file shmbox_format.h
 * @brief The byte format of a shmbox region: its structures, constants and
 *        the one computation of its offsets from a configuration record.
 *
 * Pure C11: no operating system, no heap, no generated config. The library,
 * the `shmbox` tool and the configure step (a host program that computes
 * the region size and checks a configuration's limits) all use it, so the
 * layout is written down once.
 *
 * Only fixed-width integers and byte arrays live in the region, every
 * 64-bit field is 8-byte aligned with explicit padding, every section
 * starts on a page_size boundary, and the _Static_asserts below prove the
 * structures, so one configuration record gives the same bytes on x86_64,
 * armhf and aarch64. References inside the region are indices, never
 * pointers.
 *
 *   offset 0             header: identity, config record, process table
 *   pool_off[0..P-1]     pool n: control lines, slot descriptors, slots
 *   mbox_off             mailbox 0..M-1: control lines, ring of entries
 *   region_size          end
 *
 * Values read from a region are untrusted: check a record with
 * shmbox_format_check() before computing its layout.
 *
 * Which library has which functions: the Linux ports' has all of them;
 * a static-port library has shmbox_format_layout() and
 * shmbox_format_fingerprint() (the full core), and the texts
 * (shmbox_format_text_*, _field_name, _problem_text, _diff) where it keeps
 * failure details (CONFIG_SHMBOX_ERROR_DETAIL); the minimal core's
 * (CONFIG_SHMBOX_MINIMAL_CORE) has its layout compiled in and none of
 * them unless it keeps failure details. A firmware that needs them
 * compiles the sources of component/format into its own image (pure C11).
 */
#ifndef SHMBOX_FORMAT_H
#define SHMBOX_FORMAT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#ifndef SHMBOX_API /* as <shmbox/shmbox.h> defines it: the public API's functions */
#if defined(__GNUC__) || defined(__clang__)
#define SHMBOX_API __attribute__((visibility("default")))
#else
#define SHMBOX_API
#endif
#endif

/* The region's shared words are C11 atomics. A C++ program that includes
 * this header (through <shmbox/shmbox.h>) sees them as plain 32-bit words
 * of the same size and place: only the library reads and writes them. */
#ifdef __cplusplus
#define SHMBOX_ATOMIC_U32 uint32_t
#define SHMBOX_STATIC_ASSERT static_assert
#else
#define SHMBOX_ATOMIC_U32 _Atomic uint32_t
#define SHMBOX_STATIC_ASSERT _Static_assert
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** @name Identity and fixed sizes */
/** @{ */
#define SHMBOX_MAGIC 0x3158424d48534d53ull /**< "SMSHMBX1" little-endian */
/** Version of the region format: of the bytes this header describes, and
 *  of the rules every party follows on them. 3: lock words may name a
 *  firmware owner and the process table may list firmware
 *  (<shmbox/owner.h>), which a version-2 peer would take for dead
 *  threads; no byte moved from version 2. */
#define SHMBOX_LAYOUT_VERSION 3u
#define SHMBOX_CACHE_LINE 64u
#define SHMBOX_SLOT_ALIGN 64u /**< slot sizes are multiples of this */
#define SHMBOX_MAX_POOLS 8u
#define SHMBOX_HDR_NAME_LEN 32u /**< bytes of the region name in the header (31 + NUL) */
/** @} */

/** @name Limits of the layout-affecting values (checked by shmbox_format_check()) */
/** @{ */
#define SHMBOX_FMT_PAGE_MIN 64u          /**< a region only firmware cores map */
#define SHMBOX_FMT_PAGE_MIN_LINUX 4096u  /**< a region a Linux process maps */
#define SHMBOX_FMT_PAGE_MAX 65536u
#define SHMBOX_FMT_MBOX_MAX 256u
#define SHMBOX_FMT_DEPTH_MIN 2u
#define SHMBOX_FMT_DEPTH_MAX 65536u
#define SHMBOX_FMT_MSG_MIN 8u
#define SHMBOX_FMT_MSG_MAX 4096u
#define SHMBOX_FMT_MSG_ALIGN 8u
#define SHMBOX_FMT_PROCS_MAX 1024u
#define SHMBOX_FMT_SLOT_SIZE_MAX 268435456u
#define SHMBOX_FMT_SLOT_COUNT_MAX 1048575u /**< slot handles hold index + 1 in 21 bits */
/** @} */

/* init_state values: EMPTY -> INITIALIZING -> READY */
/* The layout variants (shmbox_cfg_rec.variant). */
#define SHMBOX_VARIANT_CLASSIC 0u /**< page-aligned sections, cache-line control, process table */
#define SHMBOX_VARIANT_COMPACT 1u /**< a region only firmware cores share: <shmbox/format_compact.h> */

#define SHMBOX_INIT_EMPTY 0u
#define SHMBOX_INIT_INITIALIZING 1u
#define SHMBOX_INIT_READY 2u

/* ---- locks ------------------------------------------------------------ */

/**
 * A lock: the 32-bit lock word (owner's thread id, PI-futex protocol on
 * Linux) and a dirty word, set while the lock is held and cleared just
 * before release. A locker that finds dirty set knows its predecessor died
 * inside the critical section, however the port reported the death.
 */
struct shmbox_lock {
    SHMBOX_ATOMIC_U32 word;
    uint32_t dirty;
};

/* ---- header ----------------------------------------------------------- */

/** The layout-affecting config values, as recorded in the header. */
struct shmbox_cfg_rec {
    uint32_t layout_version;
    uint32_t page_size;
    uint32_t pool_count;
    uint32_t mbox_count;
    uint32_t mbox_depth;
    uint32_t msg_size;
    uint32_t max_procs;
    uint32_t variant;    /**< SHMBOX_VARIANT_*: 0 (classic) in every region before the compact one */
    uint32_t slot_size[SHMBOX_MAX_POOLS];  /**< 0 for pools >= pool_count */
    uint32_t slot_count[SHMBOX_MAX_POOLS]; /**< 0 for pools >= pool_count */
};

/** One process table entry. pid 0: free. Written under proc_lock. */
struct shmbox_proc {
    SHMBOX_ATOMIC_U32 pid;
    uint32_t reserved0;
    SHMBOX_ATOMIC_U32 token_lo; /* shmbox_port_proc_token(pid) when it attached, */
    SHMBOX_ATOMIC_U32 token_hi; /* in halves: no 64-bit atomics needed */
};

/** The header. Its process table has cfg.max_procs entries: the array is
 *  declared at the largest table any region has, so that the header can be
 *  an object of its own (a lock's header outside a region, in tests); in a
 *  region only the first cfg.max_procs exist (SHMBOX_FMT_HDR_SIZE). */
struct shmbox_hdr {
    uint64_t magic;                  /* written last by the creator */
    SHMBOX_ATOMIC_U32 init_state;     /* SHMBOX_INIT_* */
    uint32_t layout_version;
    uint64_t fingerprint;
    uint64_t region_size;
    uint32_t creator_pid;
    uint32_t header_size;            /* shmbox_format_hdr_size(max_procs) */
    uint64_t creator_token;
    struct shmbox_cfg_rec cfg;       /* 96 bytes at offset 48 */
    uint64_t creator_pid_ns;         /* shmbox_port_pid_ns() of the creator, 0: unknown */
    char name[SHMBOX_HDR_NAME_LEN];  /* the region's name, NUL-terminated (for tools:
                                        a SysV segment has no name of its own) */
    uint8_t pad0[192 - 48 - 96 - 8 - SHMBOX_HDR_NAME_LEN];
    struct shmbox_lock proc_lock;    /* guards procs[] */
    SHMBOX_ATOMIC_U32 recoveries;     /* locks taken over from dead owners */
    uint32_t reserved1;
    uint8_t pad1[256 - 192 - 16];
    struct shmbox_proc procs[SHMBOX_FMT_PROCS_MAX]; /* the first cfg.max_procs exist */
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
    SHMBOX_ATOMIC_U32 state;    /* SHMBOX_SLOT_WORD(state, generation) */
    SHMBOX_ATOMIC_U32 owner;    /* SHMBOX_OWNER_* or process index + 1 */
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
    SHMBOX_ATOMIC_U32 seq;      /* bumped by every free */
    SHMBOX_ATOMIC_U32 sleepers; /* allocators waiting on seq (spinning or asleep) */
    uint8_t pad1[SHMBOX_CACHE_LINE - 8];
};

/*
 * Slot handle: bits 0..20 slot index + 1, bits 21..23 pool, bits 24..31
 * generation. Index + 1 is never 0, so no handle is 0 (SHMBOX_SLOT_NONE).
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
    SHMBOX_ATOMIC_U32 tail;     /* next entry to fill (free-running); commit point of send */
    SHMBOX_ATOMIC_U32 not_empty_sleepers; /* receivers asleep on tail (a futex on the index) */
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
    SHMBOX_ATOMIC_U32 head;     /* next entry to receive (free-running); commit point of recv */
    SHMBOX_ATOMIC_U32 not_full_sleepers; /* senders asleep on head */
    uint8_t pad3[SHMBOX_CACHE_LINE - 8];
};

/* pend_op: what a slot hand-over was doing when its process died. */
#define SHMBOX_PEND_NONE 0u
#define SHMBOX_PEND_SEND 1u
#define SHMBOX_PEND_RECV 2u

/** A ring entry; entries are shmbox_format_entry_size(msg_size) bytes apart. */
struct shmbox_mbox_entry {
    uint32_t len;
    uint32_t slot;   /* 0 (SHMBOX_SLOT_NONE): a copied message in data[] */
#ifndef __cplusplus  /* C++ has no flexible array member: the header only */
    uint8_t data[];  /* msg_size bytes */
#endif
};

/* ---- the layout arithmetic: the one definition ----------------------------
 * Macros, so that the same text gives compile-time constants (a build's
 * own configuration) and run-time values (a record read from a region).
 * Arguments are evaluated in uint64_t; callers pass checked values. */

/** @p x rounded up to a multiple of @p a (a > 0). */
#define SHMBOX_FMT_ALIGN_UP(x, a) ((((uint64_t)(x)) + ((uint64_t)(a)) - 1u) / ((uint64_t)(a)) * ((uint64_t)(a)))
/** Bytes of the header structure with its process table. */
#define SHMBOX_FMT_HDR_SIZE(nprocs) \
    ((uint64_t)offsetof(struct shmbox_hdr, procs) + (uint64_t)(nprocs) * sizeof(struct shmbox_proc))
/** Bytes of the header section (page-aligned). */
#define SHMBOX_FMT_HDR_BYTES(page, nprocs) SHMBOX_FMT_ALIGN_UP(SHMBOX_FMT_HDR_SIZE(nprocs), (page))
/** Offset of the slot descriptors in a pool section. */
#define SHMBOX_FMT_POOL_DESC_OFF ((uint64_t)sizeof(struct shmbox_pool_ctl))
/** Offset of the first slot in a pool section (page-aligned). */
#define SHMBOX_FMT_POOL_DATA_OFF(page, count) \
    SHMBOX_FMT_ALIGN_UP(SHMBOX_FMT_POOL_DESC_OFF + (uint64_t)(count) * sizeof(struct shmbox_slot_desc), (page))
/** Bytes of a pool section; 0 for an absent pool (count 0). */
#define SHMBOX_FMT_POOL_BYTES(page, size, count)                                   \
    ((uint64_t)(count) == 0 ? (uint64_t)0                                           \
                            : SHMBOX_FMT_POOL_DATA_OFF((page), (count)) +           \
                                  SHMBOX_FMT_ALIGN_UP((uint64_t)(size) * (uint64_t)(count), (page)))
/** Bytes of one ring entry. */
#define SHMBOX_FMT_ENTRY_SIZE(msg) ((uint64_t)sizeof(struct shmbox_mbox_entry) + (uint64_t)(msg))
/** Offset of the ring in a mailbox section. */
#define SHMBOX_FMT_MBOX_RING_OFF ((uint64_t)sizeof(struct shmbox_mbox_ctl))
/** Bytes of one mailbox section (page-aligned): the distance between mailboxes. */
#define SHMBOX_FMT_MBOX_STRIDE(page, depth, msg) \
    SHMBOX_FMT_ALIGN_UP(SHMBOX_FMT_MBOX_RING_OFF + (uint64_t)(depth) * SHMBOX_FMT_ENTRY_SIZE(msg), (page))

/** Where everything is in a region of one configuration record. */
struct shmbox_format_layout {
    uint64_t hdr_size;                        /**< header structure with its process table */
    uint64_t hdr_bytes;                       /**< header section */
    uint64_t pool_off[SHMBOX_MAX_POOLS];      /**< pool section (control lines); absent pools: where the next starts */
    uint64_t pool_bytes[SHMBOX_MAX_POOLS];    /**< pool section size, 0 for absent pools */
    uint64_t pool_data_off[SHMBOX_MAX_POOLS]; /**< first slot, from pool_off[n] */
    uint64_t mbox_off;                        /**< mailbox 0 */
    uint64_t mbox_stride;                     /**< distance between mailboxes */
    uint64_t entry_size;                      /**< distance between ring entries */
    uint64_t ring_off;                        /**< compact variant: mailbox 0's ring (classic: 0,
                                                   each ring follows its control lines) */
    uint64_t region_size;                     /**< end */
};

/* ---- checks ----------------------------------------------------------------- */

/** Which value of a configuration record is wrong. */
enum shmbox_format_field {
    SHMBOX_FMT_F_LAYOUT_VERSION = 1,
    SHMBOX_FMT_F_PAGE_SIZE,
    SHMBOX_FMT_F_POOL_COUNT,
    SHMBOX_FMT_F_MBOX_COUNT,
    SHMBOX_FMT_F_MBOX_DEPTH,
    SHMBOX_FMT_F_MSG_SIZE,
    SHMBOX_FMT_F_MAX_PROCS,
    SHMBOX_FMT_F_SLOT_SIZE,  /**< of pool `pool` */
    SHMBOX_FMT_F_SLOT_COUNT, /**< of pool `pool` */
    SHMBOX_FMT_F_VARIANT,    /**< the layout variant (compact: firmware-only regions) */
};

/** Which rule the value breaks. */
enum shmbox_format_rule {
    SHMBOX_FMT_R_RANGE = 1, /**< outside low..high */
    SHMBOX_FMT_R_POW2,      /**< not a power of two */
    SHMBOX_FMT_R_MULTIPLE,  /**< not a multiple of low */
    SHMBOX_FMT_R_ORDER,     /**< slot size not above pool (pool - 1)'s, which is `low` */
    SHMBOX_FMT_R_ABSENT,    /**< nonzero for a pool >= pool_count */
};

/** One broken rule. */
struct shmbox_format_problem {
    enum shmbox_format_field field;
    enum shmbox_format_rule rule;
    uint32_t pool;        /**< for SLOT_SIZE / SLOT_COUNT */
    uint32_t value;       /**< the value found */
    uint32_t low, high;   /**< the rule's bounds (see enum shmbox_format_rule) */
};

/**
 * @brief Check every value of a configuration record against the format's
 *        rules.
 *
 * Layout version, page size (power of two in page_min..65536), pool count
 * (1..8), mailbox count (1..256) and depth (power of two, 2..65536),
 * message size (multiple of 8, 8..4096), process table (1..1024), slot
 * sizes (multiple of 64, up to 256 MiB, each above the last) and counts
 * (1..1048575) of present pools, zeroes for absent ones, and the layout
 * variant (classic, or compact where @p page_min is below
 * SHMBOX_FMT_PAGE_MIN_LINUX: no Linux process maps it). The region size
 * of a record that passes fits in 51 bits: no computation overflows.
 *
 * Complexity: O(SHMBOX_MAX_POOLS). Blocking: no.
 * @param rec      the record (untrusted: any bytes).
 * @param page_min smallest page size accepted (SHMBOX_FMT_PAGE_MIN, or
 *                 SHMBOX_FMT_PAGE_MIN_LINUX where a Linux process maps it).
 * @param out      where the first @p cap problems are written (NULL if cap is 0).
 * @param cap      capacity of @p out.
 * @retval 0   the record is valid.
 * @retval n>0 the number of problems found (all of them, even beyond cap).
 */
SHMBOX_API unsigned shmbox_format_check(const struct shmbox_cfg_rec *rec, uint32_t page_min,
                             struct shmbox_format_problem *out, unsigned cap);

/**
 * @brief Compute where everything is in a region of a valid record.
 *
 * Complexity: O(SHMBOX_MAX_POOLS). Blocking: no.
 * @param rec a record that shmbox_format_check() accepted (else the
 *            offsets are meaningless, but computed without overflow trap).
 * @param lay filled.
 */
SHMBOX_API void shmbox_format_layout(const struct shmbox_cfg_rec *rec, struct shmbox_format_layout *lay);

/**
 * @brief FNV-1a 64 of a record, field by field, least significant byte
 *        first: the same on every endianness. The header stores it.
 *
 * Complexity: O(size of the record). Blocking: no.
 * @return the fingerprint.
 */
SHMBOX_API uint64_t shmbox_format_fingerprint(const struct shmbox_cfg_rec *rec);

/* ---- where the Linux ports keep a region (format_locate.c) -----------------
 * In libshmbox built for a Linux port: the rules the POSIX and SysV ports
 * follow, which shmbox_region_locator() reports and the shmbox tool reads. */

/** Prefix of a region's POSIX shared memory object: "/shmbox.<name>". */
#define SHMBOX_POSIX_PREFIX "/shmbox."
/** CONFIG_SHMBOX_SYSV_KEY_BASE's default (a SysV segment's key is
 *  KEY_BASE ^ FNV-1a-32(name), 1 instead of 0). */
#define SHMBOX_SYSV_KEY_BASE_DEFAULT 0x53420000u
/** FNV-1a 32's offset basis and prime: the hash of a SysV key. */
#define SHMBOX_FMT_FNV32_BASIS 0x811c9dc5u
#define SHMBOX_FMT_FNV32_PRIME 0x01000193u

/**
 * @brief The POSIX port's shared memory object of a region name:
 *        SHMBOX_POSIX_PREFIX followed by the name ("/shmbox.<name>").
 *
 * Complexity: O(length of the name). Blocking: no. Cannot fail.
 * @param name a region name (shmbox_name_valid()); not checked here.
 * @param buf  receives the NUL-terminated object name, truncated to
 *             @p cap - 1 (sizeof(SHMBOX_POSIX_PREFIX) + SHMBOX_NAME_MAX
 *             bytes hold any valid name's).
 * @return the length written (without NUL).
 */
SHMBOX_API size_t shmbox_format_posix_object(const char *name, char *buf, size_t cap);

/**
 * @brief The SysV port's key of a region name: @p key_base XOR the 32-bit
 *        FNV-1a hash of the name's bytes, 1 where that is 0 (IPC_PRIVATE
 *        is never a region's key).
 *
 * Complexity: O(length of the name). Blocking: no. Cannot fail.
 * @param name     a region name (shmbox_name_valid()); not checked here.
 * @param key_base CONFIG_SHMBOX_SYSV_KEY_BASE of the build that keeps the
 *                 region (SHMBOX_SYSV_KEY_BASE_DEFAULT unless set).
 * @return the key, never 0.
 */
SHMBOX_API int32_t shmbox_format_sysv_key(const char *name, uint32_t key_base);

/**
 * @brief Split a device locator (the POSIX port's CONFIG_SHMBOX_DEVICE
 *        names), "/PATH" or "/PATH@OFFSET", OFFSET decimal or 0x hex; the
 *        last '@' starts the offset.
 *
 * Only the text is checked: whether the offset suits the memory (a
 * multiple of the page size, room for the region) is the caller's rule.
 *
 * Complexity: O(length of the locator). Blocking: no.
 * @param locator the locator.
 * @param path    receives the NUL-terminated path (also on -EINVAL for a
 *                bad offset).
 * @param cap     capacity of @p path.
 * @param offset  receives the offset if the locator has one, else is
 *                left as it is.
 * @retval 1       path and offset written.
 * @retval 0       path written; the locator has no offset.
 * @retval -EINVAL the path is not absolute, is "/" alone, or needs more
 *                 than @p cap bytes; or the offset is empty, not a
 *                 number or over 64 bits.
 */
SHMBOX_API int shmbox_format_device_locator(const char *locator, char *path, size_t cap, uint64_t *offset);

/** Bytes of a header's identity (magic, init state, version, fingerprint,
 *  size, creator): the bytes before its config record. */
#define SHMBOX_FMT_IDENTITY_BYTES 48u

/**
 * @brief Remove a region in place (a device region, whose memory stays):
 *        zero its header's identity, so that no one finds a region there
 *        and a later create works.
 *
 * Complexity: O(1). Blocking: no.
 * @param hdr the region's first SHMBOX_FMT_IDENTITY_BYTES bytes, writable.
 * @retval 0       zeroed.
 * @retval -ENOENT they were all zero already: no region there.
 */
SHMBOX_API int shmbox_format_invalidate(unsigned char *hdr);

/* ---- text (format_text.c) -------------------------------------------------
 * In libshmbox built for a Linux port, or with CONFIG_SHMBOX_ERROR_DETAIL;
 * a firmware without failure details has no use for these sentences. */

/** A NUL-terminated text built in a caller's buffer: start it as
 *  {buf, cap, 0}; appends stop at cap - 1 bytes (len counts what was
 *  written), and keep buf NUL-terminated when cap >= 1. */
struct shmbox_format_text {
    char *buf;
    size_t cap, len;
};

/**
 * @brief Append a string to a text, truncating.
 * Complexity: O(length of @p s). Blocking: no. Cannot fail.
 */
SHMBOX_API void shmbox_format_text_str(struct shmbox_format_text *t, const char *s);

/**
 * @brief Append a number, in decimal, to a text, truncating.
 * Complexity: O(1) (at most 20 digits). Blocking: no. Cannot fail.
 */
SHMBOX_API void shmbox_format_text_u64(struct shmbox_format_text *t, uint64_t v);

/**
 * @brief The name of a field: its Kconfig symbol ("CONFIG_SHMBOX_POOL2_SLOT_SIZE"),
 *        or "layout version".
 *
 * Complexity: O(1). Blocking: no.
 * @param buf receives the NUL-terminated name, truncated to @p cap - 1.
 * @return the length of the name (as written, without NUL).
 */
SHMBOX_API size_t shmbox_format_field_name(enum shmbox_format_field field, uint32_t pool, char *buf, size_t cap);

/**
 * @brief One problem as a sentence: "CONFIG_SHMBOX_MSG_SIZE=60: must be a
 *        multiple of 8".
 *
 * Complexity: O(length). Blocking: no.
 * @param buf receives the NUL-terminated text, truncated to @p cap - 1 (cap >= 1).
 * @return the length written.
 */
SHMBOX_API size_t shmbox_format_problem_text(const struct shmbox_format_problem *p, char *buf, size_t cap);

/**
 * @brief The differences between a region's record and another (this
 *        build's): "CONFIG_SHMBOX_MSG_SIZE: region has 128, this build 64",
 *        several joined by "; ", in the record's field order.
 *
 * Complexity: O(size of the record). Blocking: no.
 * @param region    the record found in a region.
 * @param build     the record to compare with.
 * @param max_items how many differences to name (0: all).
 * @param buf       receives the NUL-terminated text ("" if none differ),
 *                  truncated to @p cap - 1 with "..." at its end (cap >= 4).
 * @return the number of differing values (all of them, even beyond max_items).
 */
SHMBOX_API unsigned shmbox_format_diff(const struct shmbox_cfg_rec *region, const struct shmbox_cfg_rec *build,
                            unsigned max_items, char *buf, size_t cap);

/* ---- compile-time proofs ------------------------------------------------- */

SHMBOX_STATIC_ASSERT(sizeof(SHMBOX_ATOMIC_U32) == 4, "atomic 32-bit words must be plain 32-bit words");
SHMBOX_STATIC_ASSERT(sizeof(struct shmbox_lock) == 8, "lock layout");
SHMBOX_STATIC_ASSERT(sizeof(struct shmbox_cfg_rec) == 96, "config record layout");
SHMBOX_STATIC_ASSERT(offsetof(struct shmbox_hdr, cfg) == 48, "header layout");
SHMBOX_STATIC_ASSERT(offsetof(struct shmbox_hdr, cfg) == SHMBOX_FMT_IDENTITY_BYTES, "the header's identity");
SHMBOX_STATIC_ASSERT(offsetof(struct shmbox_hdr, name) == 152, "header layout");
SHMBOX_STATIC_ASSERT(offsetof(struct shmbox_hdr, proc_lock) == 192, "header layout");
SHMBOX_STATIC_ASSERT(offsetof(struct shmbox_hdr, procs) == 256, "header layout");
SHMBOX_STATIC_ASSERT(sizeof(struct shmbox_hdr) == 256 + 16 * SHMBOX_FMT_PROCS_MAX, "header layout");
SHMBOX_STATIC_ASSERT(sizeof(struct shmbox_proc) == 16, "process entry layout");
SHMBOX_STATIC_ASSERT(sizeof(struct shmbox_slot_desc) == 16, "slot descriptor layout");
SHMBOX_STATIC_ASSERT(sizeof(struct shmbox_pool_ctl) == 2 * SHMBOX_CACHE_LINE, "pool control layout");
SHMBOX_STATIC_ASSERT(offsetof(struct shmbox_pool_ctl, seq) == SHMBOX_CACHE_LINE, "pool control layout");
SHMBOX_STATIC_ASSERT(sizeof(struct shmbox_mbox_ctl) == 4 * SHMBOX_CACHE_LINE, "mailbox control layout");
SHMBOX_STATIC_ASSERT(offsetof(struct shmbox_mbox_ctl, sent) == 24, "mailbox control layout: 8-aligned counters");
SHMBOX_STATIC_ASSERT(offsetof(struct shmbox_mbox_ctl, tail) == SHMBOX_CACHE_LINE, "mailbox control layout");
SHMBOX_STATIC_ASSERT(offsetof(struct shmbox_mbox_ctl, recv_lock) == 2 * SHMBOX_CACHE_LINE, "mailbox control layout");
SHMBOX_STATIC_ASSERT(offsetof(struct shmbox_mbox_ctl, received) == 2 * SHMBOX_CACHE_LINE + 24, "mailbox control layout");
SHMBOX_STATIC_ASSERT(offsetof(struct shmbox_mbox_ctl, head) == 3 * SHMBOX_CACHE_LINE, "mailbox control layout");
SHMBOX_STATIC_ASSERT(offsetof(struct shmbox_mbox_ctl, not_empty_sleepers) == SHMBOX_CACHE_LINE + 4, "mailbox control layout");
SHMBOX_STATIC_ASSERT(offsetof(struct shmbox_mbox_ctl, not_full_sleepers) == 3 * SHMBOX_CACHE_LINE + 4, "mailbox control layout");
#ifndef __cplusplus
SHMBOX_STATIC_ASSERT(sizeof(struct shmbox_mbox_entry) == 8 && offsetof(struct shmbox_mbox_entry, data) == 8,
               "mailbox entry layout");
#else
SHMBOX_STATIC_ASSERT(sizeof(struct shmbox_mbox_entry) == 8, "mailbox entry layout");
#endif

#ifdef __cplusplus
}
#endif

#include <shmbox/format_compact.h>

#endif /* SHMBOX_FORMAT_H */
