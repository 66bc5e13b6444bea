// SPDX-License-Identifier: MIT
/*
 * Minimal core: its lock words and its polled waits (core.h). A lock word
 * holds its owner's value (<shmbox/owner.h>: this firmware and thread)
 * while held, 0 when free; only firmware cores take it (the compact
 * layout has no Linux peers), and a critical section is a few stores, so
 * a held word is spun on (shmbox_port_lock_slow) without a deadline.
 */
#include "core.h"

int sbx_mc_open(const shmbox_t *sb)
{
    return sb != NULL && sb->open_magic == SHMBOX_OPEN_MAGIC && sb->base != NULL;
}

int sbx_mc_lock(_Atomic uint32_t *w)
{
    uint32_t tid = shmbox_port_tid();
    uint32_t free_word = 0;
    shmbox_port_critical_enter();
    if (atomic_compare_exchange_strong_explicit(w, &free_word, tid, memory_order_acquire, memory_order_relaxed))
        return 0;
    int rc = shmbox_port_lock_slow(w, tid, 0);
    if (rc < 0)
        shmbox_port_critical_exit();
    return rc;
}

void sbx_mc_unlock(_Atomic uint32_t *w)
{
    atomic_store_explicit(w, 0u, memory_order_release);
    shmbox_port_critical_exit();
}

int sbx_mc_poll(uint64_t *at, int32_t timeout_ms)
{
    if (timeout_ms == SHMBOX_NO_WAIT)
        return -EAGAIN;
    uint64_t now = shmbox_port_now_ns();
    if (*at == 0)
        *at = timeout_ms == SHMBOX_FOREVER ? UINT64_MAX : now + (uint64_t)timeout_ms * 1000000u;
    if (now >= *at)
        return -ETIMEDOUT;
    shmbox_port_yield();
    return 0;
}
