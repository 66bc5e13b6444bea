// SPDX-License-Identifier: MIT
/**
 * @file port_impl.h
 * The static port's part of the port contract (see <shmbox/port.h>): its
 * critical-section brackets, and the application hooks it calls.
 */
#ifndef SHMBOX_PORT_IMPL_H
#define SHMBOX_PORT_IMPL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Enter a critical section around a lock word (forwards to
 *  shmbox_static_critical_enter()); calls nest. */
void shmbox_port_critical_enter(void);
/** Leave the critical section entered by shmbox_port_critical_enter(). */
void shmbox_port_critical_exit(void);

/* ---- application hooks of the static port ---------------------------- */

/*
 * The static port calls these; each has a weak default in port/static/,
 * and an application (firmware, RTOS glue, a test) overrides any of them
 * by defining a function of the same name. None may call back into shmbox.
 */

/**
 * Monotonic time in nanoseconds, nonzero. Default: a virtual clock per
 * thread (per core on bare metal) that advances 1 us at every reading, so
 * a timeout of T ms lasts about T * 1000 polls. Override it with a real
 * clock (SysTick, a cycle counter, clock_gettime) for timeouts in real
 * time.
 */
uint64_t shmbox_static_clock_ns(void);

/**
 * The calling thread's number: 1..65535 (the low 16 bits of its lock
 * owner value, SHMBOX_LOCK_FW_OWNER(CONFIG_SHMBOX_FIRMWARE_ID, n)), distinct
 * for threads that may run shmbox calls concurrently. Default: hosted
 * (Unix) builds number threads from an atomic counter in a thread-local;
 * bare-metal builds return 1 (one thread plus interrupt handlers, which
 * must be excluded by shmbox_static_critical_enter). An RTOS returns its
 * task id.
 */
uint32_t shmbox_static_thread_id(void);

/** One pause in a spin loop. Default: the CPU's pause / yield hint. WFE
 *  is fine when shmbox_static_notify() sends an event (SEV). */
void shmbox_static_relax(void);

/** Called after a lock is released and after every wake-up. Default:
 *  nothing. Pairs with a WFE in shmbox_static_relax (then: SEV). */
void shmbox_static_notify(void);

/**
 * The doorbell to the other side: called after this firmware made a change
 * that a sleeper may wait for (a message committed, a slot freed, a lock
 * released with a waiter recorded), when the region records sleepers.
 * Default: nothing (Linux sleepers then notice within
 * CONFIG_SHMBOX_HYBRID_POLL_US). Wire it to the inter-processor interrupt
 * (IPCC, MU, mailbox peripheral) whose Linux handler calls shmbox_doorbell().
 * Runs inside or just after a critical section: it must not block.
 */
void shmbox_static_doorbell(void);

/** Brackets around every critical section (see shmbox_port_critical_enter;
 *  calls nest). Default: nothing. E.g. mask interrupts with a depth count. */
void shmbox_static_critical_enter(void);
void shmbox_static_critical_exit(void);

#ifdef __cplusplus
}
#endif

#endif /* SHMBOX_PORT_IMPL_H */
