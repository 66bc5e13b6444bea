// SPDX-License-Identifier: MIT
/*
 * The process table: which processes have the region open.
 *
 * An entry holds a pid and the port's incarnation token for it (e.g. its
 * start time), so a reused pid is not mistaken for the process that
 * attached. Entries change only under the header's proc_lock, and slot
 * reclaim decides who is dead while holding it, so an entry cannot be
 * claimed by a new process while its predecessor's slots are reclaimed
 * (lock order: lock_order.h).
 */
#include "proc.h"

#include <string.h>

#include "firmware.h"
#include "fork.h"
#include "hooks.h"
#include "mailbox.h"
#include "pool.h"

#define DEAD_WORDS SBX_PROC_WORDS

/* Each attach of this process gets an id of its own (never 0). */
static _Atomic uint32_t last_handle_id;

static uint64_t entry_token(const struct shmbox_proc *p)
{
    struct shmbox_proc *q = (struct shmbox_proc *)(uintptr_t)p;
    return (uint64_t)atomic_load_explicit(&q->token_hi, memory_order_relaxed) << 32 |
           atomic_load_explicit(&q->token_lo, memory_order_relaxed);
}

/* Dead only when proven: the pid is gone, or it now names a process with
 * another token (pid reuse). A token the port cannot read (on either side)
 * counts as alive, so a live process's slots are never reclaimed. */
int sbx_proc_alive(uint32_t pid, uint64_t stored)
{
    if (pid == 0)
        return 0;
    /* A firmware is alive for Linux: only a firmware can tell a firmware
     * was reset (firmware.c, at its first attach); on a firmware the port
     * compares tokens (and cannot see Linux processes: unknown). */
    if (shmbox_proc_is_firmware(pid) && !shmbox_lock_by_firmware(shmbox_port_tid()))
        return 1;
    uint64_t token = shmbox_port_proc_token(pid);
    if (token == 0)
        return 0;
    return token == SHMBOX_PORT_TOKEN_UNKNOWN || stored == SHMBOX_PORT_TOKEN_UNKNOWN || token == stored;
}

static int entry_alive(const struct shmbox_proc *p)
{
    struct shmbox_proc *q = (struct shmbox_proc *)(uintptr_t)p;
    return sbx_proc_alive(atomic_load_explicit(&q->pid, memory_order_acquire), entry_token(p));
}

#ifndef CONFIG_SHMBOX_PORT_STATIC
/* For tools: the very rule the library applies to its process table. */
int shmbox_proc_alive(uint32_t pid, uint64_t token)
{
    return token != 0 && sbx_proc_alive(pid, token);
}
#endif

uint32_t sbx_proc_mark_dead(const shmbox_t *sb, uint32_t *dead)
{
    const struct shmbox_hdr *h = sbx_hdr_of(sb);
    uint32_t died = 0;
    memset(dead, 0, DEAD_WORDS * sizeof(uint32_t));
    for (uint32_t i = 0; i < sb->lay.max_procs; i++)
        if (!entry_alive(&h->procs[i])) {
            dead[i / 32u] |= 1u << (i % 32u);
            died += atomic_load_explicit(&((struct shmbox_hdr *)(uintptr_t)h)->procs[i].pid,
                                         memory_order_relaxed) != 0;
        }
    return died;
}

int sbx_proc_attach(shmbox_t *sb, struct sbx_deadline *d, int *alone)
{
    struct shmbox_hdr *h = sbx_hdr_of(sb);
    uint32_t pid = shmbox_port_pid();
    uint64_t token = shmbox_port_proc_token(pid);
    uint32_t fw_reset = sbx_fw_boot_sweep(sb, pid);
    int rc = sbx_proc_lock(sb, d);
    if (rc < 0) {
        if (fw_reset != 0)
            sbx_fw_boot_retry();
        return rc;
    }
    if (fw_reset != 0) {
        sbx_fw_drop_stale(sb, fw_reset);
        sbx_fw_boot_done();
    }
    /* No repair needed after a dead locker: an entry is trusted only
     * through its liveness check, and a half-written one fails it. */
    uint32_t free_i = UINT32_MAX, stale_i = UINT32_MAX;
    for (uint32_t i = 0; i < sb->lay.max_procs && free_i == UINT32_MAX; i++) {
        if (atomic_load_explicit(&h->procs[i].pid, memory_order_relaxed) == 0)
            free_i = i;
        else if (stale_i == UINT32_MAX && !entry_alive(&h->procs[i]))
            stale_i = i;
    }
    if (alone != NULL) {
        *alone = 1;
        for (uint32_t i = 0; i < sb->lay.max_procs && *alone; i++)
            if (atomic_load_explicit(&h->procs[i].pid, memory_order_relaxed) != 0 && entry_alive(&h->procs[i]))
                *alone = 0;
        if (*alone) {
            /* Stale (no live process attached): replaced, in place, by a
             * fresh region of the same layout before anyone else can
             * attach (proc_lock is ours): mailboxes emptied first (their
             * queued slots go with the pools), then every pool as new,
             * each under its own locks, so that a death part-way leaves
             * dirty locks whose next takers repair; then the dead entries
             * go, and this process is its creator (in the lock order:
             * process table, a mailbox's send and receive locks, pools). */
            for (unsigned m = 0; m < sb->lay.mbox_count; m++)
                (void)sbx_mbox_reset(sb, m, d);
            for (unsigned p = 0; p < sb->lay.pool_count; p++)
                (void)sbx_pool_reset(sb, p, d);
            for (uint32_t j = 0; j < sb->lay.max_procs; j++)
                atomic_store_explicit(&h->procs[j].pid, 0u, memory_order_relaxed);
            h->creator_pid = pid;
            h->creator_token = token;
            free_i = 0;
            stale_i = UINT32_MAX;
        }
    }
    uint32_t i = free_i != UINT32_MAX ? free_i : stale_i;
    if (i == UINT32_MAX) {
        sbx_proc_unlock(sb);
        return -EUSERS;
    }
    if (i == stale_i) {
        /* Its dead predecessor may still own slots: they go back first. */
        uint32_t dead[DEAD_WORDS];
        memset(dead, 0, sizeof(dead));
        dead[i / 32u] = 1u << (i % 32u);
        struct sbx_deadline never = sbx_deadline_never();
        (void)sbx_pool_reclaim(sb, dead, &never);
    }
    atomic_store_explicit(&h->procs[i].pid, 0u, memory_order_relaxed);
    atomic_store_explicit(&h->procs[i].token_lo, (uint32_t)token, memory_order_relaxed);
    SHMBOX_HOOK(SHMBOX_HOOK_PROC_WRITING);
    atomic_store_explicit(&h->procs[i].token_hi, (uint32_t)(token >> 32), memory_order_relaxed);
    atomic_store_explicit(&h->procs[i].pid, pid, memory_order_release);
    sbx_proc_unlock(sb);
    sb->proc_index = i;
    (void)sbx_fork_watched();
    sb->fork_gen = sbx_fork_gen;
    uint32_t id;
    do
        id = atomic_fetch_add_explicit(&last_handle_id, 1u, memory_order_relaxed) + 1u;
    while (id == 0);
    sb->handle_id = id;
    return 0;
}

void sbx_proc_detach(shmbox_t *sb)
{
    struct shmbox_hdr *h = sbx_hdr_of(sb);
    uint32_t i = sb->proc_index;
    if (i >= sb->lay.max_procs)
        return;
    /* A forked child closing the handle it inherited: the entry and its
     * slots are the parent's. Only the mapping goes. (Without the port's
     * fork hook, the pid tells where pids are real.) */
    if (sb->fork_gen != sbx_fork_gen ||
        (!sbx_fork_watched() && atomic_load_explicit(&h->procs[i].pid, memory_order_relaxed) != shmbox_port_pid()))
        return;
    struct sbx_deadline never = sbx_deadline_never();
    if (sbx_proc_lock(sb, &never) < 0)
        return;
    uint32_t mine[DEAD_WORDS];
    memset(mine, 0, sizeof(mine));
    mine[i / 32u] = 1u << (i % 32u);
    (void)sbx_pool_reclaim(sb, mine, &never);
    atomic_store_explicit(&h->procs[i].pid, 0u, memory_order_release);
    sbx_proc_unlock(sb);
}

uint32_t sbx_proc_count_live(const shmbox_t *sb)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < sb->lay.max_procs; i++)
        n += (uint32_t)entry_alive(&sbx_hdr_of(sb)->procs[i]);
    return n;
}
