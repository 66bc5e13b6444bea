// SPDX-License-Identifier: MIT
/*
 * The region's lock protocol as a Linux process sees a firmware in it
 * (<shmbox/owner.h>), with the firmware played by this test writing its
 * process table entry and lock words as a firmware would:
 * - a lock word a listed firmware holds is waited out (polled), never
 *   taken over, and the call completes soon after the firmware lets go;
 * - a firmware owner value that names no listed firmware is garbage:
 *   taken over and the structure repaired;
 * - shmbox_reclaim() never frees the slots of a listed firmware, while it
 *   frees those of a dead Linux process.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <shmbox/owner.h>
#include <shmbox/port.h>

#include "crash.h"
#include "access.h"
#include "pool.h"

#define FW_ID 7u
#define FW_SLOT (CONFIG_SHMBOX_MAX_PROCS - 1u) /* the table entry the firmware takes */

static char region[SHMBOX_NAME_MAX + 1];
static shmbox_t sb;

static void setup(void)
{
    crash_setup();
    snprintf(region, sizeof(region), "%s", shmbox_test_name("fwown"));
    ck_assert_int_eq(shmbox_create(&sb, region), 0);
}

static void teardown(void)
{
    if (sb.open_magic != 0)
        shmbox_close(&sb);
    shmbox_unlink(region);
}

static struct shmbox_proc *fw_entry(void)
{
    return &sbx_hdr_of(&sb)->procs[FW_SLOT];
}

static void firmware_attach(void)
{
    atomic_store(&fw_entry()->pid, SHMBOX_PROC_FIRMWARE | FW_ID << 16 | 1u);
}

static uint32_t recoveries(void)
{
    return atomic_load(&sbx_hdr_of(&sb)->recoveries);
}

struct holder {
    struct shmbox_lock *lock;
    int hold_ms;
};

/* The firmware's release after hold_ms: clear dirty, then the word. */
static void *release_later(void *arg)
{
    struct holder *h = arg;
    crash_sleep_ms(h->hold_ms);
    h->lock->dirty = 0;
    atomic_store_explicit(&h->lock->word, 0u, memory_order_release);
    return NULL;
}

START_TEST(listed_firmware_owner_is_waited_out)
{
    firmware_attach();
    struct shmbox_lock *l = &sbx_mbox_of(&sb, 0)->lock;
    l->dirty = 1; /* held: dirty for the length of the critical section */
    atomic_store(&l->word, SHMBOX_LOCK_FW_OWNER(FW_ID, 1));
    uint32_t before = recoveries();

    /* Shorter than the hold: times out, takes nothing over. */
    ck_assert_int_eq(shmbox_send(&sb, 0, "a", 1, 100), -ETIMEDOUT);
    ck_assert_uint_eq(atomic_load(&l->word) & SHMBOX_LOCK_TID_MASK, SHMBOX_LOCK_FW_OWNER(FW_ID, 1));

    struct holder h = {l, 300};
    pthread_t t;
    uint64_t t0 = shmbox_port_now_ns();
    ck_assert_int_eq(pthread_create(&t, NULL, release_later, &h), 0);
    ck_assert_int_eq(shmbox_send(&sb, 0, "b", 1, 5000), 0);
    uint64_t waited_ms = (shmbox_port_now_ns() - t0) / 1000000u;
    pthread_join(t, NULL);
    /* Waited for the release (not taken over early), seen within the
     * poll bound (CONFIG_SHMBOX_HYBRID_POLL_US) plus scheduling slack. */
    ck_assert_uint_ge(waited_ms, 290);
    ck_assert_uint_le(waited_ms, 300 + 200);
    ck_assert_uint_eq(recoveries(), before);
    char b[8];
    ck_assert_int_eq(shmbox_recv(&sb, 0, b, sizeof(b), 1000), 1);
    ck_assert_int_eq(b[0], 'b');
}
END_TEST

START_TEST(unlisted_firmware_owner_is_taken_over)
{
    struct shmbox_lock *l = &sbx_pool_of(&sb, 0)->lock;
    l->dirty = 1;
    atomic_store(&l->word, SHMBOX_LOCK_FW_OWNER(FW_ID + 1u, 3)); /* no such firmware listed */
    uint32_t before = recoveries();
    shmbox_slot_t s;
    ck_assert_int_eq(shmbox_slot_alloc(&sb, 1, &s, 2000), 0);
    ck_assert_int_eq(shmbox_slot_free(&sb, s), 0);
    ck_assert_uint_eq(recoveries(), before + 1u);
}
END_TEST

/* A child that attaches, allocates n slots, and exits without closing. */
static int leak_slots(void *arg)
{
    int n = *(int *)arg;
    shmbox_t c;
    if (shmbox_open(&c, region, 2000) != 0)
        return 1;
    for (int i = 0; i < n; i++) {
        shmbox_slot_t s;
        if (shmbox_slot_alloc(&c, 1, &s, 1000) != 0)
            return 2;
    }
    _exit(0);
}

START_TEST(reclaim_spares_a_listed_firmware)
{
    firmware_attach();
    /* Slots the firmware holds: allocated here, handed to its entry as a
     * firmware's own allocation would be recorded. */
    shmbox_slot_t s[3];
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(shmbox_slot_alloc(&sb, 1, &s[i], 1000), 0);
        ck_assert_int_eq(sbx_slot_set_owner(&sb, s[i], (uint32_t)sb.proc_index + 1u, FW_SLOT + 1u), 0);
        memset(shmbox_slot_ptr(&sb, s[i]), 0x5a, 8);
    }
    int n = 2;
    pid_t child = crash_spawn(leak_slots, &n);
    ck_assert_int_eq(crash_join(child, 5000), 0);
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&sb, &st), 0);
    ck_assert_uint_eq(st.pool[0].used, 5);

    ck_assert_int_eq(shmbox_reclaim(&sb), 2); /* the dead Linux process's two */
    ck_assert_int_eq(shmbox_reclaim(&sb), 0);
    ck_assert_int_eq(shmbox_stat(&sb, &st), 0);
    ck_assert_uint_eq(st.pool[0].used, 3);
    for (int i = 0; i < 3; i++) {
        unsigned char *p = shmbox_slot_ptr(&sb, s[i]);
        ck_assert_ptr_nonnull(p);
        ck_assert_uint_eq(p[0], 0x5a);
    }
    ck_assert_uint_eq(st.attached, 2); /* us and the firmware */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fwowner");
    TCase *tc = tcase_create("fwowner");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, listed_firmware_owner_is_waited_out);
    tcase_add_test(tc, unlisted_firmware_owner_is_taken_over);
    tcase_add_test(tc, reclaim_spares_a_listed_firmware);
    suite_add_tcase(s, tc);
    return crash_run(s);
}
