// SPDX-License-Identifier: MIT
/*
 * Reclaim: the slots of processes that died attached go back to their
 * pools. The mailboxes' repair comes first (a hand-over cut by a death
 * leaves an ownerless slot), then, under the process table's lock, the
 * dead are found and their slots freed, so that an entry cannot be
 * claimed by a new process while its predecessor's slots are reclaimed.
 */
#include "reclaim.h"

#include "fork.h"
#include "mailbox.h"
#include "pool.h"
#include "proc.h"

int sbx_reclaim_dead(shmbox_t *sb, struct sbx_deadline *d, int if_died)
{
    uint32_t dead[SBX_PROC_WORDS];
    /* First finish what dead senders and receivers left half done, so that
     * a slot they left ownerless is freed below (mailbox locks come
     * before pool locks, as in send and receive). */
    sbx_mbox_repair_all(sb, d);
    int rc = sbx_proc_lock(sb, d);
    if (rc < 0)
        return rc;
    /* The scan reads every slot descriptor: an alloc (if_died) skips it
     * when no attached process died, so that its path stays O(processes). */
    if (sbx_proc_mark_dead(sb, dead) == 0 && if_died) {
        sbx_proc_unlock(sb);
        return 0;
    }
    rc = sbx_pool_reclaim(sb, dead, d);
    sbx_proc_unlock(sb);
    return rc;
}

int shmbox_reclaim(shmbox_t *sb)
{
    int hc = sbx_handle_check(sb);
    if (hc < 0)
        return hc;
    struct sbx_deadline never = sbx_deadline_never();
    return sbx_reclaim_dead(sb, &never, 0);
}
