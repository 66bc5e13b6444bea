// SPDX-License-Identifier: MIT
/**
 * @file port_impl.h
 * The Linux ports' part of the port contract (see <shmbox/port.h>): the
 * critical-section brackets, inline on the hot path.
 */
#ifndef SHMBOX_PORT_IMPL_H
#define SHMBOX_PORT_IMPL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** How many critical sections the calling thread is in (held or being
 *  taken), so that the lock's slow path can tell a word left by a dead
 *  owner whose thread id was reused (depth 1) from a re-entered call,
 *  e.g. from a signal handler (deeper: never taken over). */
extern _Thread_local uint32_t shmbox_port_lock_depth;
/** Count the critical section (see shmbox_port_lock_depth). */
#define shmbox_port_critical_enter() ((void)shmbox_port_lock_depth++)
/** Uncount it. */
#define shmbox_port_critical_exit() ((void)shmbox_port_lock_depth--)

#ifdef __cplusplus
}
#endif

#endif /* SHMBOX_PORT_IMPL_H */
