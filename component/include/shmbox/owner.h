// SPDX-License-Identifier: MIT
/**
 * @file owner.h
 * Who holds what in a region: the encoding of lock words and process
 * table entries, part of the region format (not of a port).
 *
 * A region is shared by Linux threads (of any architecture) and firmware
 * cores at once. Every lock word in the region is a 32-bit word that all
 * of them take by the same rules:
 *
 *   bit 31        SHMBOX_LOCK_WAITERS   a Linux thread sleeps in the kernel
 *                                       on the word (PI-futex protocol)
 *   bit 30        SHMBOX_LOCK_OWNER_DIED set by the Linux kernel
 *   bits 0..29    the owner: 0 (free),
 *                 1 .. SHMBOX_LOCK_LINUX_MAX  a Linux thread id (the kernel
 *                                       never hands out ids above 2^22),
 *                 SHMBOX_LOCK_FIRMWARE | id << 16 | thread
 *                                       a thread of firmware <id>
 *
 * Anyone takes a free word (owner 0) with one compare-and-swap, keeping
 * the flag bits, and gives it back with a compare-and-swap to 0 (Linux:
 * through the kernel when WAITERS is set). Only Linux threads ever sleep
 * in the kernel on a word, and only on a word a Linux thread owns: a word
 * a firmware owns is never handed to the kernel (it would read as a dead
 * thread), a Linux waiter polls it. A firmware owner is never taken for
 * dead by Linux; a firmware that reset repairs the words its earlier run
 * held when it attaches again. A dead Linux owner is repaired by the next
 * Linux locker, or by shmbox_reclaim() on any Linux process.
 */
#ifndef SHMBOX_OWNER_H
#define SHMBOX_OWNER_H

#include <stdint.h>

/** A Linux waiter sleeps in the kernel on the word. */
#define SHMBOX_LOCK_WAITERS 0x80000000u
/** The kernel saw the owner die (Linux PI-futex protocol). */
#define SHMBOX_LOCK_OWNER_DIED 0x40000000u
/** The owner bits of a lock word. */
#define SHMBOX_LOCK_TID_MASK 0x3fffffffu
/** Highest Linux thread id (PID_MAX_LIMIT - 1). */
#define SHMBOX_LOCK_LINUX_MAX 0x003fffffu
/** Owner bit of a firmware thread: FIRMWARE | id << 16 | thread (1..65535). */
#define SHMBOX_LOCK_FIRMWARE 0x20000000u
/** The owner value of thread @p t of firmware @p id. */
#define SHMBOX_LOCK_FW_OWNER(id, t) \
    (SHMBOX_LOCK_FIRMWARE | (((uint32_t)(id) & 0xffu) << 16) | ((uint32_t)(t) & 0xffffu))

/** 1 if lock word @p v is owned by a firmware thread: the firmware bit,
 *  bits 24..28 clear, an id and a thread number. Any other owner value
 *  above SHMBOX_LOCK_LINUX_MAX names no thread: garbage, taken over. */
static inline int shmbox_lock_by_firmware(uint32_t v)
{
    return (v & 0x3f000000u) == SHMBOX_LOCK_FIRMWARE && (v & 0x00ff0000u) != 0 && (v & 0xffffu) != 0;
}

/** The firmware id of a firmware-owned lock word. */
#define SHMBOX_LOCK_FW_ID(v) (((v) >> 16) & 0xffu)

/** Process table: an entry whose pid has this bit is a firmware's handle:
 *  FIRMWARE | id << 16 | n (n: 1..65535, per attach). */
#define SHMBOX_PROC_FIRMWARE 0x80000000u
/** 1 if process table pid @p pid is a firmware's: the firmware bit, bits
 *  24..30 clear, an id and a number (anything else with bit 31 is garbage). */
static inline int shmbox_proc_is_firmware(uint32_t pid)
{
    return (pid & 0xff000000u) == SHMBOX_PROC_FIRMWARE && (pid & 0x00ff0000u) != 0 && (pid & 0xffffu) != 0;
}
/** The firmware id of a process table pid (0: not a firmware's). */
#define SHMBOX_PROC_FW_ID(pid) (shmbox_proc_is_firmware(pid) ? ((uint32_t)(pid) >> 16) & 0xffu : 0u)

#endif /* SHMBOX_OWNER_H */
