// SPDX-License-Identifier: MIT
/*
 * The unit tests' view of a region's insides, for the tests that corrupt
 * it on purpose: the full core's accessors (classic layout), or the
 * minimal core's (CONFIG_SHMBOX_MINIMAL_CORE, compact layout). The fields
 * the tests touch have the same names in both.
 */
#ifndef SHMBOX_UNIT_INTERNALS_H
#define SHMBOX_UNIT_INTERNALS_H

#include <shmbox/shmbox.h> /* the generated config: which core */

#ifdef CONFIG_SHMBOX_MINIMAL_CORE
#include "core.h"
typedef struct shmbox_chdr ut_hdr_t;
typedef struct shmbox_cmbox ut_mbox_t;
typedef struct shmbox_cpool ut_pool_t;
#define ut_pool_ctl(sb, p) mc_pool((sb), (p))
#define ut_desc(sb, p) mc_desc((sb), (p))
#define ut_mbox(sb, m) mc_mbox((sb), (m))
#define ut_entry(sb, m, pos) mc_entry((sb), (m), (pos))
#else
#include "access.h"
#include "mailbox.h"
#include "pool.h"
typedef struct shmbox_hdr ut_hdr_t;
typedef struct shmbox_mbox_ctl ut_mbox_t;
typedef struct shmbox_pool_ctl ut_pool_t;
#define ut_pool_ctl(sb, p) sbx_pool_of((sb), (p))
#define ut_desc(sb, p) sbx_desc_of((sb), (p))
#define ut_mbox(sb, m) sbx_mbox_of((sb), (m))
#define ut_entry(sb, m, pos)                                                                        \
    ((struct shmbox_mbox_entry *)(void *)((unsigned char *)sbx_mbox_of((sb), (m)) + SHMBOX_MBOX_RING_OFF + \
                                          ((pos) & (CONFIG_SHMBOX_MBOX_DEPTH - 1u)) * SHMBOX_ENTRY_SIZE))
#endif

static inline ut_hdr_t *ut_hdr(const shmbox_t *sb)
{
    return (ut_hdr_t *)(void *)sb->base;
}

#endif
