// SPDX-License-Identifier: MIT
/* Shared by the component's sources: region accessors and small helpers. */
#ifndef SHMBOX_INTERNAL_H
#define SHMBOX_INTERNAL_H

#include <errno.h>

#include <shmbox/port.h>
#include <shmbox/shmbox.h>

#include "layout.h"
#include "lock.h"

#ifndef CONFIG_SHMBOX_SLOT_CACHE /* absent where the port has no threads' storage */
#define CONFIG_SHMBOX_SLOT_CACHE 0
#endif

#define SHMBOX_OPEN_MAGIC 0x5348424fu /* shmbox_t.open_magic while open */

static inline int sbx_is_open(const shmbox_t *sb)
{
    return sb != NULL && sb->open_magic == SHMBOX_OPEN_MAGIC && sb->base != NULL;
}

/* This process's fork generation (proc.c): moves on in every fork() child
 * (written there, in the child's one thread, before fork() returns). */
extern uint32_t sbx_fork_gen;

/*
 * Whether a call may use @p sb: 0; -EINVAL (not open); -ECHILD (inherited
 * across fork(): the handle, its process table entry and its slots belong
 * to the parent; a child opens the region itself). One load and compare.
 */
static inline int sbx_handle_check(const shmbox_t *sb)
{
    if (!sbx_is_open(sb))
        return -EINVAL;
    return sb->fork_gen == sbx_fork_gen ? 0 : -ECHILD;
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

/*
 * Turn timeout_ms into when the call gives up (see struct sbx_when):
 * 0 for SHMBOX_FOREVER, SHMBOX_DEADLINE_NOW for SHMBOX_NO_WAIT (a time
 * that has always passed: shmbox_port_now_ns() is never below 1), else
 * now + timeout, left for later so a call that never waits reads no clock.
 * @retval 0, -EINVAL (negative timeout other than SHMBOX_FOREVER)
 */
static inline int sbx_when_init(int32_t timeout_ms, struct sbx_when *w)
{
    w->timeout_ms = timeout_ms;
    if (timeout_ms == SHMBOX_FOREVER)
        w->at = 0;
    else if (timeout_ms < 0)
        return -EINVAL;
    else if (timeout_ms == SHMBOX_NO_WAIT)
        w->at = SHMBOX_DEADLINE_NOW;
    else
        w->at = SHMBOX_DEADLINE_LATER;
    return 0;
}

/* The same, computed at once (open, which waits anyway). */
static inline int sbx_deadline(int32_t timeout_ms, uint64_t *deadline)
{
    struct sbx_when w;
    if (sbx_when_init(timeout_ms, &w) < 0)
        return -EINVAL;
    *deadline = sbx_when_at(&w);
    return 0;
}

/*
 * Wait for *watch to move from @p seen: poll it CONFIG_SHMBOX_SPIN_COUNT
 * times, then sleep on the word itself, counted in *sleepers. The side
 * that changes *watch calls sbx_signal_change() after the store.
 * @retval 0 (moved, woken, or spurious), -ETIMEDOUT
 */
int sbx_wait_change(_Atomic uint32_t *watch, uint32_t seen, _Atomic uint32_t *sleepers, uint64_t deadline);

/* After storing a watched word: if anyone sleeps on it, wake one. */
void sbx_signal_change(_Atomic uint32_t *watch, _Atomic uint32_t *sleepers);

/*
 * The same wait for a caller that counted itself in the sleepers word
 * before it last looked at the guarded state (under the lock that guards
 * it), so that every change made after that look, under the same lock,
 * sees it and signals: then a change with no waiter need not touch seq.
 * @retval 0 (moved, or spurious), -ETIMEDOUT
 */
int sbx_wait_seq_registered(_Atomic uint32_t *seq, uint32_t seen, uint64_t deadline);

/* Bump *seq and wake one sleeper if there is one (no system call if none). */
void sbx_signal_seq(_Atomic uint32_t *seq, _Atomic uint32_t *sleepers);
/* The same, waking up to @p n sleepers (n >= 1): after n slots came back. */
void sbx_signal_seq_n(_Atomic uint32_t *seq, _Atomic uint32_t *sleepers, uint32_t n);

/* Forks (proc.c): 1 once the port calls us in fork() children (registers
 * on first use), 0 if the port could not. */
int sbx_fork_watched(void);

/* Process table (proc.c). */
/* Take a process table entry; deadline bounds the wait for proc_lock.
 * With @p alone: *alone = 1 if no other live process was attached (seen in
 * the same critical section as the entry is taken, so of several racing
 * attachers at most one sees it); the region is then re-initialised as a
 * fresh one of the same layout before the entry is taken. */
int sbx_proc_attach(shmbox_t *sb, uint64_t deadline, int *alone);
void sbx_proc_detach(shmbox_t *sb);
uint32_t sbx_proc_count_live(const shmbox_t *sb);
/* Free the slots of dead processes (see shmbox_reclaim), and ownerless
 * ones; with @p if_died only when an attached process died (the scan of
 * every slot is skipped otherwise). */
int sbx_proc_reclaim_dead(shmbox_t *sb, uint64_t deadline, int if_died);

/* Pools (pool.c). */
void sbx_pool_init(shmbox_t *sb);
/* Free every used slot whose owner o (process index + 1) has
 * dead[(o-1)/32] bit (o-1)%32 set: the number freed. */
int sbx_pool_reclaim(shmbox_t *sb, const uint32_t *dead, uint64_t deadline);
/* Make pool @p pool as new (every slot free) under its lock (a stale
 * region's replacement): a death part-way leaves the lock dirty, and its
 * next taker rebuilds the pool from the slot states. 0 or lock errors. */
int sbx_pool_reset(shmbox_t *sb, unsigned pool, uint64_t deadline);
/* Validate handle @p slot's pool and index (not the descriptor it names):
 * 0 and *pool, *idx, or -EINVAL. */
static inline int sbx_slot_decode(const shmbox_t *sb, shmbox_slot_t slot, unsigned *pool, uint32_t *idx)
{
    unsigned p = SHMBOX_H_POOL(slot);
    uint32_t i = slot & SHMBOX_H_INDEX_MASK;
    (void)sb;
    if (i == 0 || p >= CONFIG_SHMBOX_POOL_COUNT || i > sbx_layout_slot_count[p])
        return -EINVAL;
    *pool = p;
    *idx = i - 1u;
    return 0;
}
/* Change the owner of a used slot (mailbox hand-over); 0 or -EINVAL. */
int sbx_slot_set_owner(shmbox_t *sb, shmbox_slot_t slot, uint32_t from, uint32_t to);
/* 1 if @p slot names a used slot owned by the mailboxes (queued), else 0. */
int sbx_slot_queued(const shmbox_t *sb, shmbox_slot_t slot);
/* Repair of a hand-over cut by a death: if @p slot is used and owned by
 * the mailboxes, make it ownerless so that shmbox_reclaim() frees it.
 * Under the pool lock, so it cannot race a reclaim or a reuse of the slot.
 * 0, or -ETIMEDOUT (pool lock). */
int sbx_slot_orphan(shmbox_t *sb, shmbox_slot_t slot, uint64_t deadline);

/* Return a slot in @p state (USED or CACHED) with generation @p gen to its
 * pool: 0, -EALREADY, -EINVAL, lock errors (pool.c). */
int sbx_pool_release(shmbox_t *sb, unsigned pool, uint32_t idx, uint32_t state, uint32_t gen);

/* Per-thread slot cache: see slotcache.h (fast paths) and slotcache.c.
 * forget: drop the calling thread's cache of @p sb's region (at close). */
#if CONFIG_SHMBOX_SLOT_CACHE > 0
void sbx_cache_forget(const shmbox_t *sb);
/* In a fork() child: the inherited cache names the parent's slots. */
void sbx_cache_forked(void);
#else
#define sbx_cache_forget(sb) ((void)(sb))
#define sbx_cache_forked() ((void)0)
#endif

/* The pool path of shmbox_slot_alloc() (arguments checked; @p first: the
 * smallest fitting pool), out of line so the cached path stays short. */
int sbx_pool_alloc(shmbox_t *sb, unsigned first, shmbox_slot_t *slot, int32_t timeout_ms);

/* Take a pool's lock, repairing the pool if its last owner died in it. */
int sbx_pool_lock(shmbox_t *sb, unsigned pool, struct sbx_when *w);

/* Mailboxes (mailbox.c). */
/* Take a mailbox's send lock (recv = 0) or receive lock (recv = 1),
 * repairing that side if its last owner died in it. */
int sbx_mbox_lock(shmbox_t *sb, struct shmbox_mbox_ctl *m, int recv, struct sbx_when *w);
void sbx_mbox_init(shmbox_t *sb);
/* Repair every mailbox side whose last locker died inside it (each side
 * whose dirty word is set is locked briefly, at most 100 ms). */
void sbx_mbox_repair_all(shmbox_t *sb, uint64_t deadline);
/* Empty mailbox @p i under both its locks (a stale region's replacement):
 * a death part-way leaves them dirty, and their next takers repair.
 * 0 or lock errors. */
int sbx_mbox_reset(shmbox_t *sb, unsigned i, uint64_t deadline);

#endif /* SHMBOX_INTERNAL_H */
