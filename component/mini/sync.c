// SPDX-License-Identifier: MIT
/*
 * Minimal core: its lock words and its polled waits (core.h). A lock word
 * holds its owner's value (<shmbox/owner.h>: this firmware and thread)
 * while held, 0 when free; only firmware cores take it (the compact
 * layout has no Linux peers). A held word is spun on
 * (shmbox_port_lock_slow) until the call's deadline: a critical section
 * is a few stores, but a core reset inside one leaves its word held.
 */
#include "core.h"

int sbx_mc_open(const shmbox_t *sb)
{
    return sbx_is_open(sb);
}

static uint64_t deadline(struct sbx_mc_wait *t)
{
    if (t->at == 0) {
        int32_t ms = t->timeout_ms == SHMBOX_NO_WAIT ? (int32_t)(SHMBOX_LOCK_NOWAIT_NS / SHMBOX_NS_PER_MS) : t->timeout_ms;
        t->at = ms < 0 ? UINT64_MAX : shmbox_port_now_ns() + SHMBOX_MS_NS(ms);
    }
    return t->at;
}

int sbx_mc_lock(_Atomic uint32_t *w, struct sbx_mc_wait *t)
{
    uint32_t tid = shmbox_port_tid();
    uint32_t free_word = 0;
    shmbox_port_critical_enter();
    if (atomic_compare_exchange_strong_explicit(w, &free_word, tid, memory_order_acquire, memory_order_relaxed))
        return 0;
    int rc = shmbox_port_lock_slow(w, tid, deadline(t));
    if (rc < 0) {
        shmbox_port_critical_exit();
        if (rc == -ETIMEDOUT && t->timeout_ms == SHMBOX_NO_WAIT)
            rc = -EAGAIN;
    }
    return rc;
}

void sbx_mc_unlock(_Atomic uint32_t *w)
{
    atomic_store_explicit(w, 0u, memory_order_release);
    shmbox_port_critical_exit();
}

int sbx_mc_poll(struct sbx_mc_wait *t)
{
    if (t->timeout_ms == SHMBOX_NO_WAIT)
        return -EAGAIN;
    if (shmbox_port_now_ns() >= deadline(t))
        return -ETIMEDOUT;
    shmbox_port_yield();
    return 0;
}
