// SPDX-License-Identifier: MIT
/* Where things are in an open handle's region: accessors over the layout. */
#ifndef SHMBOX_ACCESS_H
#define SHMBOX_ACCESS_H

#include <shmbox/owner.h>
#include <shmbox/shmbox.h>

#include "handle.h"
#include "layout.h"

#ifndef CONFIG_SHMBOX_SLOT_CACHE /* absent where the port has no threads' storage */
#define CONFIG_SHMBOX_SLOT_CACHE 0
#endif


static inline struct shmbox_hdr *sbx_hdr_of(const shmbox_t *sb)
{
    return (struct shmbox_hdr *)(void *)sb->base;
}

/* 1 if a firmware of id @p id (0: any) is in the process table of @p sb's
 * region (<shmbox/owner.h>). O(processes). */
static inline int sbx_fw_listed(const shmbox_t *sb, uint32_t id)
{
    struct shmbox_hdr *q = sbx_hdr_of(sb);
    for (uint32_t i = 0; i < sb->lay.max_procs; i++) {
        uint32_t f = SHMBOX_PROC_FW_ID(atomic_load_explicit(&q->procs[i].pid, memory_order_relaxed));
        if (f != 0 && (id == 0 || f == id))
            return 1;
    }
    return 0;
}

#ifndef CONFIG_SHMBOX_HYBRID_POLL_US
#define CONFIG_SHMBOX_HYBRID_POLL_US 1000
#endif
/* A sleeper looks again at least this often: a waker killed between its
 * change and its wake-up wakes nobody (an idle waiter looks 10 times a
 * second)... */
#define SBX_LOST_WAKE_SLICE_NS UINT64_C(100000000)
/* ... and while a firmware, which cannot wake it, is attached, this often
 * (unless this process wired the firmware's doorbell). */
#define SBX_FW_POLL_NS ((uint64_t)CONFIG_SHMBOX_HYBRID_POLL_US * UINT64_C(1000))

/* 1 if @p sb was opened through a device locator (CONFIG_SHMBOX_DEVICE):
 * memory that exists before its region, and that a firmware may share. */
static inline int sbx_is_device(const shmbox_t *sb)
{
#if defined(CONFIG_SHMBOX_DEVICE)
    return sb->device != 0;
#else
    (void)sb;
    return 0;
#endif
}

/* How long a sleeper of @p sb sleeps before it looks again. O(processes):
 * on the way to sleep only. A device region (the only kind a firmware
 * shares with Linux) is polled at the firmware's rate even before a
 * firmware attaches: a sleeper never learns of that attach. */
static inline uint64_t sbx_sleep_slice(const shmbox_t *sb)
{
    if (sb->ring == NULL && (sbx_is_device(sb) || sbx_fw_listed(sb, 0)))
        return SBX_FW_POLL_NS;
    return SBX_LOST_WAKE_SLICE_NS;
}

/* After a change that woke a sleeper (@p woke): ring the firmware's
 * doorbell too, if this process wired one. */
static inline void sbx_ring(const shmbox_t *sb, int woke)
{
    if (woke && sb->ring != NULL)
        sb->ring(sb->ring_arg);
}

/* Where things are: from the layout in the handle (sb->lay), validated
 * and copied there at create/open; never from the region's own bytes. */
static inline struct shmbox_pool_ctl *sbx_pool_of(const shmbox_t *sb, unsigned pool)
{
    return (struct shmbox_pool_ctl *)(void *)(sb->base + sb->lay.pool_ctl[pool]);
}

static inline struct shmbox_slot_desc *sbx_desc_of(const shmbox_t *sb, unsigned pool)
{
    return (struct shmbox_slot_desc *)(void *)(sb->base + sb->lay.pool_ctl[pool] + SHMBOX_FMT_POOL_DESC_OFF);
}

static inline unsigned char *sbx_slot_data(const shmbox_t *sb, unsigned pool, uint32_t idx)
{
    return sb->base + sb->lay.pool_data[pool] + (size_t)idx * sb->lay.slot_size[pool];
}

static inline struct shmbox_mbox_ctl *sbx_mbox_of(const shmbox_t *sb, unsigned mbox)
{
    return (struct shmbox_mbox_ctl *)(void *)(sb->base + sb->lay.mbox_off + (size_t)mbox * sb->lay.mbox_stride);
}

/* Entry @p pos (free-running) of mailbox @p m's ring. */
static inline struct shmbox_mbox_entry *sbx_entry_at(const shmbox_t *sb, struct shmbox_mbox_ctl *m, uint32_t pos)
{
    return (struct shmbox_mbox_entry *)(void *)((unsigned char *)m + SHMBOX_FMT_MBOX_RING_OFF +
                                                 (size_t)(pos & sb->lay.mbox_mask) * sb->lay.entry_size);
}

static inline _Atomic uint32_t *sbx_recoveries(const shmbox_t *sb)
{
    return &sbx_hdr_of(sb)->recoveries;
}

#endif /* SHMBOX_ACCESS_H */
