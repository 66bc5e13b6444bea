// SPDX-License-Identifier: MIT
/*
 * A firmware that reset: its earlier run's locks and slots. Linux never
 * takes a firmware for dead (it cannot tell a firmware that runs from one
 * that stopped); the firmware itself knows, at its first attach after it
 * started, that whatever its id holds in the region was its earlier run's.
 */
#include "firmware.h"

#include <string.h>

#include <shmbox/owner.h>
#include <shmbox/port.h>

#include "access.h"
#include "pool.h"

/* BOOT_NONE until this firmware's first attach since it started;
 * BOOT_SWEEPING while that attach runs: an attach of another thread waits
 * for it to end, else the sweep would give back the locks that attach
 * holds and drop its entry (both carry this firmware's id, as the earlier
 * run's do); BOOT_DONE after. */
#define BOOT_NONE 0u
#define BOOT_SWEEPING 1u
#define BOOT_DONE 2u
static _Atomic uint32_t booted;

/* Give back (dirty, for the next taker to repair) lock word @p l if an
 * earlier run of firmware @p id holds it. */
static void release_stale(struct shmbox_lock *l, uint32_t id)
{
    uint32_t v = atomic_load_explicit(&l->word, memory_order_acquire);
    if (!shmbox_lock_by_firmware(v) || SHMBOX_LOCK_FW_ID(v) != id)
        return;
    l->dirty = 1;
    /* Until it is given back: a Linux locker's FUTEX_LOCK_PI may set
     * WAITERS on the word meanwhile (it read a Linux owner before the word
     * moved to the earlier run; the kernel marks, then says ESRCH). Nobody
     * else changes the owner of a word a dead run holds. */
    while (!atomic_compare_exchange_weak_explicit(&l->word, &v, 0u, memory_order_release, memory_order_relaxed))
        if (!shmbox_lock_by_firmware(v) || SHMBOX_LOCK_FW_ID(v) != id)
            return;
}

uint32_t sbx_fw_boot_sweep(shmbox_t *sb, uint32_t pid)
{
    if (!shmbox_proc_is_firmware(pid))
        return 0;
    for (;;) {
        uint32_t b = BOOT_NONE;
        if (atomic_compare_exchange_strong_explicit(&booted, &b, BOOT_SWEEPING, memory_order_acquire,
                                                    memory_order_acquire))
            break;
        if (b == BOOT_DONE)
            return 0;
        shmbox_port_yield(); /* another thread's first attach is at work */
    }
    uint32_t id = SHMBOX_PROC_FW_ID(pid);
    release_stale(&sbx_hdr_of(sb)->proc_lock, id);
    for (unsigned p = 0; p < sb->lay.pool_count; p++)
        release_stale(&sbx_pool_of(sb, p)->lock, id);
    for (unsigned m = 0; m < sb->lay.mbox_count; m++) {
        release_stale(&sbx_mbox_of(sb, m)->lock, id);
        release_stale(&sbx_mbox_of(sb, m)->recv_lock, id);
    }
    return id;
}

void sbx_fw_boot_retry(void)
{
    atomic_store_explicit(&booted, BOOT_NONE, memory_order_release);
}

void sbx_fw_boot_done(void)
{
    atomic_store_explicit(&booted, BOOT_DONE, memory_order_release);
}

void sbx_fw_drop_stale(shmbox_t *sb, uint32_t id)
{
    struct shmbox_hdr *h = sbx_hdr_of(sb);
    uint32_t dead[(SHMBOX_FMT_PROCS_MAX + 31u) / 32u]; /* any region's process table */
    uint32_t n = 0;
    memset(dead, 0, sizeof(dead));
    for (uint32_t i = 0; i < sb->lay.max_procs; i++)
        if (SHMBOX_PROC_FW_ID(atomic_load_explicit(&h->procs[i].pid, memory_order_relaxed)) == id) {
            dead[i / 32u] |= 1u << (i % 32u);
            n++;
        }
    if (n == 0)
        return;
    struct sbx_deadline never = sbx_deadline_never();
    (void)sbx_pool_reclaim(sb, dead, &never);
    for (uint32_t i = 0; i < sb->lay.max_procs; i++)
        if (dead[i / 32u] & (1u << (i % 32u)))
            atomic_store_explicit(&h->procs[i].pid, 0u, memory_order_release);
}
