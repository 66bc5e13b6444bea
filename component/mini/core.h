// SPDX-License-Identifier: MIT
/*
 * The minimal core (CONFIG_SHMBOX_MINIMAL_CORE): the public API over a
 * compact region (<shmbox/format_compact.h>) that only firmware cores
 * share, in as little code as a small MCU needs. What it leaves out, and
 * what a caller sees instead (README "Firmware size", Kconfig help):
 *   - crash repair: a core reset inside a critical section leaves that
 *     lock held; slots have no owner, so shmbox_close() and
 *     shmbox_reclaim() free none (reclaim returns 0);
 *   - Linux peers: the compact layout is refused by the Linux ports;
 *   - sleeping: a call with a timeout polls (shmbox_port_yield() between
 *     looks, the deadline on shmbox_port_now_ns()); nothing sleeps, so
 *     nothing needs waking;
 *   - the run-time layout: the layout is this build's, compiled in;
 *   - the process table: the header counts open handles for
 *     shmbox_stat(), and bounds nothing (no -EUSERS; a core reset
 *     without a close leaves its count).
 * Everything else holds as in the full core: O(1) operations, the same
 * errors for bad arguments, bounds checks on every value read from the
 * region (-EBADMSG), the lock words' protocol (<shmbox/owner.h>).
 */
#ifndef SHMBOX_MINI_CORE_H
#define SHMBOX_MINI_CORE_H

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>

#include <shmbox/owner.h>
#include <shmbox/port.h>
#include <shmbox/shmbox.h>

#include "deadline.h"
#include "handle.h"
#include "layout.h"


/* This build's configuration record (the region's, once opened). */
extern const struct shmbox_cfg_rec sbx_mc_cfg;

/* sbx_is_open() (handle.h) out of line: one copy is smaller. */
int sbx_mc_open(const shmbox_t *sb);

static inline struct shmbox_chdr *mc_hdr(const shmbox_t *sb)
{
    return (struct shmbox_chdr *)(void *)sb->base;
}

static inline struct shmbox_cpool *mc_pool(const shmbox_t *sb, unsigned n)
{
    return (struct shmbox_cpool *)(void *)(sb->base + sb->lay.pool_ctl[n]);
}

static inline struct shmbox_cdesc *mc_desc(const shmbox_t *sb, unsigned n)
{
    return (struct shmbox_cdesc *)(void *)(sb->base + sb->lay.pool_ctl[n] + sizeof(struct shmbox_cpool));
}

static inline struct shmbox_cmbox *mc_mbox(const shmbox_t *sb, unsigned m)
{
    return (struct shmbox_cmbox *)(void *)(sb->base + sb->lay.mbox_off + m * sizeof(struct shmbox_cmbox));
}

/* Entry @p pos (free-running) of mailbox @p m's ring. */
static inline struct shmbox_mbox_entry *mc_entry(const shmbox_t *sb, unsigned m, uint32_t pos)
{
    return (struct shmbox_mbox_entry *)(void *)(sb->base + sb->lay.ring_off +
                                                 (m * CONFIG_SHMBOX_MBOX_DEPTH + (pos & (CONFIG_SHMBOX_MBOX_DEPTH - 1u))) *
                                                     SHMBOX_ENTRY_SIZE);
}

/* A call's wait: its timeout (checked: >= SHMBOX_FOREVER) and its
 * deadline, read from the clock when first needed (at 0 until then).
 * Not deadline.h's struct sbx_deadline: its conversion of a timeout (three
 * cases at every entry point) and its eager clock reads cost the minimal
 * core about 130 bytes, over its budget; this one is {0, timeout_ms}. */
struct sbx_mc_wait {
    uint64_t at;
    int32_t timeout_ms;
};
#define SBX_MC_WAIT(timeout_ms) {0u, (timeout_ms)}

/*
 * Take a lock word: the calling thread's owner value, compare-and-swap,
 * inside the port's critical section (left again by sbx_mc_unlock). A
 * held word is spun on until @p t's deadline (SHMBOX_NO_WAIT:
 * SHMBOX_LOCK_NOWAIT_NS, as in the full core: a word held longer, by a
 * core reset inside its critical section, gives -EAGAIN):
 * -ETIMEDOUT, -EAGAIN for SHMBOX_NO_WAIT; -EDEADLK if this thread holds
 * it (an interrupt handler calling into shmbox on top of its own thread).
 */
int sbx_mc_lock(_Atomic uint32_t *w, struct sbx_mc_wait *t);
void sbx_mc_unlock(_Atomic uint32_t *w);

/*
 * The wait between two attempts of a call: -EAGAIN for SHMBOX_NO_WAIT,
 * -ETIMEDOUT once @p t's deadline passed, else 0 after one
 * shmbox_port_yield().
 */
int sbx_mc_poll(struct sbx_mc_wait *t);

/* Pool @p *pool and slot @p *idx of a handle that names a slot allocated
 * in @p sb (generation included): 0, else -EINVAL (-EALREADY: free). */
int sbx_mc_slot(const shmbox_t *sb, shmbox_slot_t h, unsigned *pool, uint32_t *idx);

#endif /* SHMBOX_MINI_CORE_H */
