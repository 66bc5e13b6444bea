// SPDX-License-Identifier: MIT
/* The process table (proc.c): which processes have the region open. */
#ifndef SHMBOX_PROC_H
#define SHMBOX_PROC_H

#include <stdint.h>

#include <shmbox/shmbox.h>

#include "access.h"
#include "deadline.h"
#include "lock.h"

/* Words of a bit set with one bit per process table entry. */
#define SBX_PROC_WORDS ((SHMBOX_FMT_PROCS_MAX + 31u) / 32u) /* any region's process table */

/* Take a process table entry; @p d bounds the wait for proc_lock.
 * With @p alone: *alone = 1 if no other live process was attached (seen in
 * the same critical section as the entry is taken, so of several racing
 * attachers at most one sees it); the region is then re-initialised as a
 * fresh one of the same layout before the entry is taken. */
int sbx_proc_attach(shmbox_t *sb, struct sbx_deadline *d, int *alone);

/* Give back this process's entry and every slot it owns (not for a handle
 * inherited across fork(): those are the parent's). */
void sbx_proc_detach(shmbox_t *sb);

/* 1 unless process @p pid, recorded with token @p stored, is proven dead
 * (gone, or its pid reused): a token the port cannot read counts as alive,
 * and so, for Linux, does a firmware (<shmbox/owner.h>). O(1). */
int sbx_proc_alive(uint32_t pid, uint64_t stored);

/* How many entries name a live process. */
uint32_t sbx_proc_count_live(const shmbox_t *sb);

/* Under the process table's lock: set bit i of dead[SBX_PROC_WORDS] for
 * every entry i that is not alive (free ones too); returns the number of
 * taken entries among them, processes that died attached. */
uint32_t sbx_proc_mark_dead(const shmbox_t *sb, uint32_t *dead);

/* The process table's lock: entries change only under it, and a reclaim
 * decides who is dead while holding it. First in the lock order. */
static inline int sbx_proc_lock(shmbox_t *sb, struct sbx_deadline *d)
{
    struct shmbox_hdr *h = sbx_hdr_of(sb);
    return sbx_lock_take(&h->proc_lock, SBX_LOCK_PROC, sb, d);
}

static inline void sbx_proc_unlock(shmbox_t *sb)
{
    sbx_lock_give(&sbx_hdr_of(sb)->proc_lock, SBX_LOCK_PROC);
}

#endif /* SHMBOX_PROC_H */
