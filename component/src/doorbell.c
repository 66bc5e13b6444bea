// SPDX-License-Identifier: MIT
/*
 * Doorbells between this process and a firmware on the same region: the
 * firmware cannot wake a thread asleep in the Linux kernel, nor Linux a
 * core that waits in WFI. Each side rings the other's interrupt; the
 * Linux handler of the firmware's calls shmbox_doorbell().
 */
#include <shmbox/port.h>
#include <shmbox/shmbox.h>

#include "access.h"
#include "fork.h"

/* Wake every sleeper of @p watch (no system call if none is recorded). */
static void wake_all(_Atomic uint32_t *watch, _Atomic uint32_t *sleepers)
{
    if (atomic_load_explicit(sleepers, memory_order_seq_cst) != 0)
        shmbox_port_wake(watch, 0);
}

int shmbox_doorbell(shmbox_t *sb)
{
    int rc = sbx_handle_check(sb);
    if (rc < 0)
        return rc;
    for (unsigned m = 0; m < sb->lay.mbox_count; m++) {
        struct shmbox_mbox_ctl *c = sbx_mbox_of(sb, m);
        wake_all(&c->tail, &c->not_empty_sleepers);
        wake_all(&c->head, &c->not_full_sleepers);
    }
    for (unsigned p = 0; p < sb->lay.pool_count; p++) {
        struct shmbox_pool_ctl *c = sbx_pool_of(sb, p);
        wake_all(&c->seq, &c->sleepers);
    }
    return 0;
}

int shmbox_set_doorbell(shmbox_t *sb, void (*ring)(void *arg), void *arg)
{
    int rc = sbx_handle_check(sb);
    if (rc < 0)
        return rc;
    sb->ring_arg = arg;
    sb->ring = ring;
    return 0;
}
