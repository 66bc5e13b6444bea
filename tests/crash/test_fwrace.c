// SPDX-License-Identifier: MIT
/*
 * Races between a Linux process and a firmware on the region's lock words
 * (<shmbox/owner.h>), the firmware played by this test:
 * - the kernel marks a firmware-owned word WAITERS when a Linux locker's
 *   FUTEX_LOCK_PI reads it after the word moved to the firmware (ESRCH);
 *   a firmware's first attach after a reset still gives that word back
 *   (else the earlier run holds it for ever under a listed id);
 * - a firmware's attach holds the process table's lock before its entry
 *   is listed: a Linux locker waits it out (for a grace), never takes it
 *   over as garbage at first sight (two processes would then write the
 *   table at once).
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <shmbox/owner.h>
#include <shmbox/port.h>

#include "access.h"
#include "crash.h"
#include "firmware.h"

#define FW_ID 9u
#define FW_SLOT (CONFIG_SHMBOX_MAX_PROCS - 1u)

static char region[SHMBOX_NAME_MAX + 1];
static shmbox_t sb;

static void setup(void)
{
    crash_setup();
    snprintf(region, sizeof(region), "%s", shmbox_test_name("fwrace"));
    ck_assert_int_eq(shmbox_create(&sb, region), 0);
}

static void teardown(void)
{
    if (sb.open_magic != 0)
        shmbox_close(&sb);
    shmbox_unlink(region);
}

static uint32_t recoveries(void)
{
    return atomic_load(&sbx_hdr_of(&sb)->recoveries);
}

START_TEST(boot_sweep_releases_a_word_the_kernel_marked)
{
    /* The earlier run of firmware FW_ID, listed, died holding mailbox 0's lock. */
    atomic_store(&sbx_hdr_of(&sb)->procs[FW_SLOT].pid, SHMBOX_PROC_FIRMWARE | FW_ID << 16 | 1u);
    struct shmbox_lock *l = &sbx_mbox_of(&sb, 0)->lock;
    l->dirty = 1;
    atomic_store(&l->word, SHMBOX_LOCK_FW_OWNER(FW_ID, 1));
    /* A Linux locker that read a Linux owner just before the word moved
     * to the firmware: the kernel marks the word, then says ESRCH. */
    long r = syscall(SYS_futex, (uint32_t *)(void *)&l->word, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
    ck_assert_int_eq(r, -1);
    ck_assert_int_eq(errno, ESRCH);
    ck_assert_uint_eq(atomic_load(&l->word), SHMBOX_LOCK_FW_OWNER(FW_ID, 1) | SHMBOX_LOCK_WAITERS);

    /* The firmware's first attach after its reset: the word goes back. */
    ck_assert_uint_eq(sbx_fw_boot_sweep(&sb, SHMBOX_PROC_FIRMWARE | FW_ID << 16 | 2u), FW_ID);
    ck_assert_uint_eq(atomic_load(&l->word) & SHMBOX_LOCK_TID_MASK, 0);
    /* ... and its next taker repairs the mailbox. */
    uint32_t before = recoveries();
    ck_assert_int_eq(shmbox_send(&sb, 0, "a", 1, 1000), 0);
    ck_assert_uint_eq(recoveries(), before + 1u);
}
END_TEST

struct attach_later {
    int hold_ms;
};

/* The firmware's attach: proc_lock taken (dirty), entry written after
 * hold_ms (drop_stale's scans, its table scan), then proc_lock given back. */
static void *firmware_attach(void *arg)
{
    struct attach_later *a = arg;
    struct shmbox_hdr *h = sbx_hdr_of(&sb);
    crash_sleep_ms(a->hold_ms);
    atomic_store(&h->procs[FW_SLOT].pid, SHMBOX_PROC_FIRMWARE | FW_ID << 16 | 1u);
    h->proc_lock.dirty = 0;
    uint32_t v = SHMBOX_LOCK_FW_OWNER(FW_ID, 1);
    (void)atomic_compare_exchange_strong(&h->proc_lock.word, &v, 0u);
    return NULL;
}

START_TEST(attaching_firmware_keeps_the_process_table_lock)
{
    struct shmbox_hdr *h = sbx_hdr_of(&sb);
    h->proc_lock.dirty = 1;
    atomic_store(&h->proc_lock.word, SHMBOX_LOCK_FW_OWNER(FW_ID, 1)); /* first attach: not listed yet */
    struct attach_later a = {300};
    pthread_t t;
    uint32_t before = recoveries();
    uint64_t t0 = shmbox_port_now_ns();
    ck_assert_int_eq(pthread_create(&t, NULL, firmware_attach, &a), 0);
    ck_assert_int_eq(shmbox_reclaim(&sb), 0); /* takes proc_lock */
    uint64_t waited_ms = (shmbox_port_now_ns() - t0) / 1000000u;
    pthread_join(t, NULL);
    /* Waited for the firmware (mutual exclusion), no repair. */
    ck_assert_uint_ge(waited_ms, 290);
    ck_assert_uint_eq(recoveries(), before);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fwrace");
    TCase *tc = tcase_create("fwrace");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, boot_sweep_releases_a_word_the_kernel_marked);
    tcase_add_test(tc, attaching_firmware_keeps_the_process_table_lock);
    suite_add_tcase(s, tc);
    return crash_run(s);
}
