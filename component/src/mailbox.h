// SPDX-License-Identifier: MIT
/* Mailboxes (mailbox.c): their locks, and the repair of their structure. */
#ifndef SHMBOX_MAILBOX_H
#define SHMBOX_MAILBOX_H

#include <shmbox/shmbox.h>

#include "deadline.h"
#include "layout.h"
#include "lock.h"

/* Empty every mailbox (a region being created). */
void sbx_mbox_init(shmbox_t *sb);

/* Take a mailbox's send lock (recv = 0) or receive lock (recv = 1),
 * repairing that side if its last owner died in it. */
int sbx_mbox_lock(shmbox_t *sb, struct shmbox_mbox_ctl *m, int recv, struct sbx_deadline *d);

/* Give back the lock sbx_mbox_lock() took. */
static inline void sbx_mbox_unlock(struct shmbox_mbox_ctl *m, int recv)
{
    if (recv)
        sbx_lock_give(&m->recv_lock, SBX_LOCK_MBOX_RECV);
    else
        sbx_lock_give(&m->lock, SBX_LOCK_MBOX_SEND);
}

/* Repair every mailbox side whose last locker died inside it (each side
 * whose dirty word is set is locked briefly, at most 100 ms, and never
 * past @p d). */
void sbx_mbox_repair_all(shmbox_t *sb, struct sbx_deadline *d);

/* Empty mailbox @p i under both its locks (a stale region's replacement):
 * a death part-way leaves them dirty, and their next takers repair.
 * 0 or lock errors. */
int sbx_mbox_reset(shmbox_t *sb, unsigned i, struct sbx_deadline *d);

#endif /* SHMBOX_MAILBOX_H */
