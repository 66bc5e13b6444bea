// SPDX-License-Identifier: MIT
/*
 * The order in which a thread may take the region's locks, stated once.
 *
 * Every nesting in the component goes down this list, never up, and never
 * holds two locks of one class:
 *   PROC       the process table (attach, detach, reclaim) ...
 *   MBOX_SEND  ... then a mailbox's send lock (a stale region's reset takes
 *              it, then the receive lock of the same mailbox) ...
 *   MBOX_RECV  ... then that mailbox's receive lock ...
 *   POOL       ... then one pool's lock (reclaim, a reset, and the repair
 *              of a slot hand-over cut by a death, under a mailbox lock).
 * Several processes taking locks in this one order cannot deadlock.
 *
 * Builds with SHMBOX_DEBUG_LOCK_ORDER defined (the library copy every
 * crash test links, tests/crash) keep a per-thread record of the classes
 * held and trap on a take out of order or a give of a class not held;
 * other builds, a program's own debug build included, compile it away: a
 * shmbox call from a signal handler, which the API allows (-EDEADLK on a
 * lock its thread holds), takes locks out of this order by nature.
 */
#ifndef SHMBOX_LOCK_ORDER_H
#define SHMBOX_LOCK_ORDER_H

#include <stdint.h>

enum sbx_lock_class {
    SBX_LOCK_PROC = 0,
    SBX_LOCK_MBOX_SEND = 1,
    SBX_LOCK_MBOX_RECV = 2,
    SBX_LOCK_POOL = 3,
};

#if defined(SHMBOX_DEBUG_LOCK_ORDER)
#define SHMBOX_LOCK_ORDER_CHECK 1

/* Hosted builds may run the component on several threads; bare metal
 * runs one thread (plus interrupt handlers, which must not take locks
 * held by the code they interrupt anyway). */
#if defined(__unix__) || defined(__APPLE__)
/* initial-exec: no call to the dynamic TLS resolver from a PIC archive. */
#define SHMBOX_LOCK_ORDER_TLS _Thread_local __attribute__((tls_model("initial-exec")))
#else
#define SHMBOX_LOCK_ORDER_TLS
#endif

/* Bit c set: the calling thread holds a lock of class c (lock_order.c). */
extern SHMBOX_LOCK_ORDER_TLS uint32_t sbx_lock_held;

/* Out of order: stops the program (a debugger shows both arguments). */
void sbx_lock_order_violated(uint32_t held, enum sbx_lock_class c);

/* Before a take of class @p c: nothing of class c or later is held. */
static inline void sbx_lock_order_check(enum sbx_lock_class c)
{
    if ((sbx_lock_held >> c) != 0)
        sbx_lock_order_violated(sbx_lock_held, c);
}

/* A lock of class @p c was taken. */
static inline void sbx_lock_order_taken(enum sbx_lock_class c)
{
    sbx_lock_held |= 1u << c;
}

/* A lock of class @p c is given back: it must have been held. */
static inline void sbx_lock_order_given(enum sbx_lock_class c)
{
    if ((sbx_lock_held & (1u << c)) == 0)
        sbx_lock_order_violated(sbx_lock_held, c);
    sbx_lock_held &= ~(1u << c);
}
#else
#define SHMBOX_LOCK_ORDER_CHECK 0
#define sbx_lock_order_check(c) ((void)(c))
#define sbx_lock_order_taken(c) ((void)(c))
#define sbx_lock_order_given(c) ((void)(c))
#endif

#endif /* SHMBOX_LOCK_ORDER_H */
