// SPDX-License-Identifier: MIT
/* Where things are in an open handle's region: accessors over the layout. */
#ifndef SHMBOX_ACCESS_H
#define SHMBOX_ACCESS_H

#include <shmbox/shmbox.h>

#include "layout.h"

#ifndef CONFIG_SHMBOX_SLOT_CACHE /* absent where the port has no threads' storage */
#define CONFIG_SHMBOX_SLOT_CACHE 0
#endif

#define SHMBOX_OPEN_MAGIC 0x5348424fu /* shmbox_t.open_magic while open */

static inline int sbx_is_open(const shmbox_t *sb)
{
    return sb != NULL && sb->open_magic == SHMBOX_OPEN_MAGIC && sb->base != NULL;
}

static inline struct shmbox_hdr *sbx_hdr_of(const shmbox_t *sb)
{
    return (struct shmbox_hdr *)(void *)sb->base;
}

static inline struct shmbox_pool_ctl *sbx_pool_of(const shmbox_t *sb, unsigned pool)
{
    return (struct shmbox_pool_ctl *)(void *)(sb->base + sbx_layout_pool_off[pool]);
}

static inline struct shmbox_slot_desc *sbx_desc_of(const shmbox_t *sb, unsigned pool)
{
    return (struct shmbox_slot_desc *)(void *)(sb->base + sbx_layout_pool_off[pool] + SHMBOX_POOL_DESC_OFF);
}

static inline unsigned char *sbx_slot_data(const shmbox_t *sb, unsigned pool, uint32_t idx)
{
    return sb->base + sbx_layout_pool_off[pool] + sbx_layout_pool_data_off[pool] +
           (uint64_t)idx * sbx_layout_slot_size[pool];
}

static inline struct shmbox_mbox_ctl *sbx_mbox_of(const shmbox_t *sb, unsigned mbox)
{
    return (struct shmbox_mbox_ctl *)(void *)(sb->base + SHMBOX_MBOX_OFF + (uint64_t)mbox * SHMBOX_MBOX_STRIDE);
}

static inline _Atomic uint32_t *sbx_recoveries(const shmbox_t *sb)
{
    return &sbx_hdr_of(sb)->recoveries;
}

#endif /* SHMBOX_ACCESS_H */
