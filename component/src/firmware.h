// SPDX-License-Identifier: MIT
/*
 * A firmware in the region (<shmbox/owner.h>): what its first attach
 * after a reset does with what its earlier run left.
 */
#ifndef SHMBOX_FIRMWARE_H
#define SHMBOX_FIRMWARE_H

#include <stdint.h>

#include <shmbox/shmbox.h>

/*
 * Before the first attach of this firmware (process table pid @p pid)
 * since it started: give back every lock word an earlier run of its id
 * holds, dirty, so their next takers repair the structures (proc_lock
 * included, which is why this runs before it is taken). Returns the
 * firmware id whose earlier run's entries sbx_fw_drop_stale() must drop
 * under proc_lock, or 0 (not a firmware, or not its first attach).
 * O(pools + mailboxes).
 */
uint32_t sbx_fw_boot_sweep(shmbox_t *sb, uint32_t pid);

/* The attach that began with sbx_fw_boot_sweep() failed: sweep again next time. */
void sbx_fw_boot_retry(void);

/* The attach that began with sbx_fw_boot_sweep() dropped the earlier
 * run's entries (sbx_fw_drop_stale()): other threads' attaches go on.
 * Until then (or sbx_fw_boot_retry()), sbx_fw_boot_sweep() of another
 * thread waits (yielding), so that no attach of this firmware's id runs
 * while the earlier run's locks and entries are given back. */
void sbx_fw_boot_done(void);

/*
 * Under proc_lock: free the slots held by the entries of firmware @p id's
 * earlier run and drop those entries (slots it had sent stay queued for
 * their receivers). O(processes + the slots of every pool).
 */
void sbx_fw_drop_stale(shmbox_t *sb, uint32_t id);

#endif /* SHMBOX_FIRMWARE_H */
