// SPDX-License-Identifier: MIT
/*
 * This build's instance of the region format (component/format, the one
 * definition of the bytes): the configuration record the generated config
 * gives, and the format's arithmetic evaluated on it at compile time.
 * SHMBOX_CONFIG_REGION_BYTES, generated at configure time by the format's
 * run-time computation (config/format_tool.c), must equal this instance's
 * region size: a _Static_assert below, in every build of every config.
 */
#ifndef SHMBOX_LAYOUT_H
#define SHMBOX_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include <shmbox/shmbox_config.h>
#include <shmbox/shmbox_format.h>

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

/* The layout variant: compact for the minimal core (format_compact.h). */
#ifdef CONFIG_SHMBOX_MINIMAL_CORE
#define SHMBOX_LAYOUT_VARIANT SHMBOX_VARIANT_COMPACT
#else
#define SHMBOX_LAYOUT_VARIANT SHMBOX_VARIANT_CLASSIC
#endif

/* ---- the format's arithmetic on this build's config ---------------------- */
#if SHMBOX_LAYOUT_VARIANT == SHMBOX_VARIANT_CLASSIC

#define SHMBOX_HDR_SIZE SHMBOX_FMT_HDR_SIZE(CONFIG_SHMBOX_MAX_PROCS)
#define SHMBOX_HDR_BYTES SHMBOX_FMT_HDR_BYTES(CONFIG_SHMBOX_PAGE_SIZE, CONFIG_SHMBOX_MAX_PROCS)
#define SHMBOX_POOL_DESC_OFF SHMBOX_FMT_POOL_DESC_OFF
#define SHMBOX_POOL_DATA_OFF(n) SHMBOX_FMT_POOL_DATA_OFF(CONFIG_SHMBOX_PAGE_SIZE, SHMBOX_P_COUNT_##n)
#define SHMBOX_POOL_BYTES(n) SHMBOX_FMT_POOL_BYTES(CONFIG_SHMBOX_PAGE_SIZE, SHMBOX_P_SIZE_##n, SHMBOX_P_COUNT_##n)

/* Sections follow one another: pool n starts where the one before ends. */
#define SHMBOX_POOL_OFF_0 SHMBOX_HDR_BYTES
#define SHMBOX_POOL_OFF_1 (SHMBOX_POOL_OFF_0 + SHMBOX_POOL_BYTES(0))
#define SHMBOX_POOL_OFF_2 (SHMBOX_POOL_OFF_1 + SHMBOX_POOL_BYTES(1))
#define SHMBOX_POOL_OFF_3 (SHMBOX_POOL_OFF_2 + SHMBOX_POOL_BYTES(2))
#define SHMBOX_POOL_OFF_4 (SHMBOX_POOL_OFF_3 + SHMBOX_POOL_BYTES(3))
#define SHMBOX_POOL_OFF_5 (SHMBOX_POOL_OFF_4 + SHMBOX_POOL_BYTES(4))
#define SHMBOX_POOL_OFF_6 (SHMBOX_POOL_OFF_5 + SHMBOX_POOL_BYTES(5))
#define SHMBOX_POOL_OFF_7 (SHMBOX_POOL_OFF_6 + SHMBOX_POOL_BYTES(6))
#define SHMBOX_MBOX_OFF (SHMBOX_POOL_OFF_7 + SHMBOX_POOL_BYTES(7))

#define SHMBOX_MBOX_RING_OFF SHMBOX_FMT_MBOX_RING_OFF
#define SHMBOX_ENTRY_SIZE SHMBOX_FMT_ENTRY_SIZE(CONFIG_SHMBOX_MSG_SIZE)
#define SHMBOX_MBOX_STRIDE SHMBOX_FMT_MBOX_STRIDE(CONFIG_SHMBOX_PAGE_SIZE, CONFIG_SHMBOX_MBOX_DEPTH, CONFIG_SHMBOX_MSG_SIZE)

#else /* the compact variant */
/* Slots and slot bytes of the pools before pool n. */
#define SHMBOX_C_SLOTS_0 0ull
#define SHMBOX_C_SLOTS_1 (SHMBOX_C_SLOTS_0 + SHMBOX_P_COUNT_0)
#define SHMBOX_C_SLOTS_2 (SHMBOX_C_SLOTS_1 + SHMBOX_P_COUNT_1)
#define SHMBOX_C_SLOTS_3 (SHMBOX_C_SLOTS_2 + SHMBOX_P_COUNT_2)
#define SHMBOX_C_SLOTS_4 (SHMBOX_C_SLOTS_3 + SHMBOX_P_COUNT_3)
#define SHMBOX_C_SLOTS_5 (SHMBOX_C_SLOTS_4 + SHMBOX_P_COUNT_4)
#define SHMBOX_C_SLOTS_6 (SHMBOX_C_SLOTS_5 + SHMBOX_P_COUNT_5)
#define SHMBOX_C_SLOTS_7 (SHMBOX_C_SLOTS_6 + SHMBOX_P_COUNT_6)
#define SHMBOX_C_SLOTS_8 (SHMBOX_C_SLOTS_7 + SHMBOX_P_COUNT_7)
#define SHMBOX_C_BYTES(n) ((uint64_t)SHMBOX_P_SIZE_##n * SHMBOX_P_COUNT_##n)
#define SHMBOX_C_BYTES_8 (SHMBOX_C_BYTES(0) + SHMBOX_C_BYTES(1) + SHMBOX_C_BYTES(2) + SHMBOX_C_BYTES(3) + \
                          SHMBOX_C_BYTES(4) + SHMBOX_C_BYTES(5) + SHMBOX_C_BYTES(6) + SHMBOX_C_BYTES(7))
#define SHMBOX_C_POOL_OFF(n) SHMBOX_FMT_C_POOL_OFF(n, SHMBOX_C_SLOTS_##n)
#define SHMBOX_C_MBOX_OFF SHMBOX_FMT_C_MBOX_OFF(CONFIG_SHMBOX_POOL_COUNT, SHMBOX_C_SLOTS_8)
#define SHMBOX_C_DATA_OFF \
    SHMBOX_FMT_C_DATA_OFF(CONFIG_SHMBOX_PAGE_SIZE, CONFIG_SHMBOX_POOL_COUNT, SHMBOX_C_SLOTS_8, CONFIG_SHMBOX_MBOX_COUNT)
#define SHMBOX_C_RING_OFF (SHMBOX_C_DATA_OFF + SHMBOX_C_BYTES_8)
#define SHMBOX_ENTRY_SIZE SHMBOX_FMT_ENTRY_SIZE(CONFIG_SHMBOX_MSG_SIZE)
#define SHMBOX_C_RING_BYTES SHMBOX_FMT_C_RING_BYTES(CONFIG_SHMBOX_MBOX_DEPTH, CONFIG_SHMBOX_MSG_SIZE)
#define SHMBOX_C_END (SHMBOX_C_RING_OFF + (uint64_t)CONFIG_SHMBOX_MBOX_COUNT * SHMBOX_C_RING_BYTES)
#endif

/* The region size the format's run-time computation gave at configure time. */
#define SHMBOX_REGION_SIZE ((uint64_t)SHMBOX_CONFIG_REGION_BYTES)

/* This build's configuration record. */
#define SHMBOX_CFG_REC_INIT                                                                                  \
    {SHMBOX_LAYOUT_VERSION, CONFIG_SHMBOX_PAGE_SIZE, CONFIG_SHMBOX_POOL_COUNT, CONFIG_SHMBOX_MBOX_COUNT,        \
     CONFIG_SHMBOX_MBOX_DEPTH, CONFIG_SHMBOX_MSG_SIZE, CONFIG_SHMBOX_MAX_PROCS, SHMBOX_LAYOUT_VARIANT,                          \
     {SHMBOX_P_SIZE_0, SHMBOX_P_SIZE_1, SHMBOX_P_SIZE_2, SHMBOX_P_SIZE_3, SHMBOX_P_SIZE_4, SHMBOX_P_SIZE_5,     \
      SHMBOX_P_SIZE_6, SHMBOX_P_SIZE_7},                                                                        \
     {SHMBOX_P_COUNT_0, SHMBOX_P_COUNT_1, SHMBOX_P_COUNT_2, SHMBOX_P_COUNT_3, SHMBOX_P_COUNT_4,                \
      SHMBOX_P_COUNT_5, SHMBOX_P_COUNT_6, SHMBOX_P_COUNT_7}}

/* ---- compile-time proofs ------------------------------------------------- */
/* (the structures' own proofs are in the format header) */

#if SHMBOX_LAYOUT_VARIANT == SHMBOX_VARIANT_CLASSIC
_Static_assert(SHMBOX_MBOX_OFF + (uint64_t)CONFIG_SHMBOX_MBOX_COUNT * SHMBOX_MBOX_STRIDE == SHMBOX_REGION_SIZE,
               "this compile-time instance of the format differs from its run-time computation "
               "(SHMBOX_CONFIG_REGION_BYTES, config/format_tool.c)");
#else
_Static_assert(SHMBOX_FMT_C_REGION(CONFIG_SHMBOX_PAGE_SIZE, SHMBOX_C_END) == SHMBOX_REGION_SIZE,
               "this compile-time instance of the compact format differs from its run-time computation "
               "(SHMBOX_CONFIG_REGION_BYTES, config/format_tool.c)");
#endif

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
               "the layout exceeds CONFIG_SHMBOX_REGION_MAX_MB: lower the pools' SHMBOX_POOL<n>_SLOT_COUNT/SIZE "
               "or the mailboxes' SHMBOX_MBOX_COUNT/MBOX_DEPTH/MSG_SIZE");
#if SHMBOX_LAYOUT_VARIANT == SHMBOX_VARIANT_CLASSIC
_Static_assert(SHMBOX_HDR_BYTES % CONFIG_SHMBOX_PAGE_SIZE == 0 && SHMBOX_MBOX_OFF % CONFIG_SHMBOX_PAGE_SIZE == 0 &&
                   SHMBOX_MBOX_STRIDE % CONFIG_SHMBOX_PAGE_SIZE == 0,
               "sections start on page boundaries");
#endif

/* ---- this build's record (layout.c) ------------------------------------ */

/* The config record this build writes and expects. */
void sbx_layout_cfg(struct shmbox_cfg_rec *rec);
#define sbx_layout_fingerprint(rec) shmbox_format_fingerprint(rec)

#endif /* SHMBOX_LAYOUT_H */
