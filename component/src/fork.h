// SPDX-License-Identifier: MIT
/*
 * Forks: a handle belongs to the process that attached it. This process's
 * fork generation moves on in every fork() child, and a handle records the
 * generation it was attached in, so a child can tell an inherited handle.
 */
#ifndef SHMBOX_FORK_H
#define SHMBOX_FORK_H

#include <errno.h>
#include <stdint.h>

#include <shmbox/shmbox.h>

#include "access.h"

/* This process's fork generation: moves on in every fork() child
 * (written there, in the child's one thread, before fork() returns). */
extern uint32_t sbx_fork_gen;

/* 1 once the port calls us in fork() children (registers on first use),
 * 0 if the port could not. */
int sbx_fork_watched(void);

#if CONFIG_SHMBOX_SLOT_CACHE > 0
/* Also run @p fn in every fork() child, after the generation moved on
 * (one function: the slot cache's; set before it relies on it). */
void sbx_fork_on_child(void (*fn)(void));
#endif

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

/* sbx_handle_check(), then -EINVAL if @p out (where a call writes its
 * result) is NULL. */
static inline int sbx_handle_check_out(const shmbox_t *sb, const void *out)
{
    int hc = sbx_handle_check(sb);
    return hc < 0 ? hc : out == NULL ? -EINVAL : 0;
}

#endif /* SHMBOX_FORK_H */
