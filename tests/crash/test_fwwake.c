// SPDX-License-Identifier: MIT
/*
 * Wake-ups across the firmware boundary, the Linux side (the firmware is
 * played by this test: its process table entry, and commits written into
 * the ring the way a firmware makes them, which wake no futex):
 * - a Linux receiver asleep while a firmware is listed sees a firmware's
 *   message within CONFIG_SHMBOX_HYBRID_POLL_US (plus scheduling), not
 *   the 100 ms lost-wake-up slice;
 * - with the doorbell wired (shmbox_set_doorbell), shmbox_doorbell()
 *   wakes it at once;
 * - a Linux change that finds a sleeper recorded rings the doorbell.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include <shmbox/owner.h>
#include <shmbox/port.h>

#include "access.h"
#include "crash.h"

static char region[SHMBOX_NAME_MAX + 1];
static shmbox_t sb;

static void setup(void)
{
    crash_setup();
    snprintf(region, sizeof(region), "%s", shmbox_test_name("fwwake"));
    ck_assert_int_eq(shmbox_create(&sb, region), 0);
    atomic_store(&sbx_hdr_of(&sb)->procs[CONFIG_SHMBOX_MAX_PROCS - 1u].pid, SHMBOX_PROC_FIRMWARE | 3u << 16 | 1u);
}

static void teardown(void)
{
    if (sb.open_magic != 0)
        shmbox_close(&sb);
    shmbox_unlink(region);
}

/* A firmware's commit of a copied message: entry, then the tail (no wake). */
static void firmware_commit(unsigned mbox, char c)
{
    struct shmbox_mbox_ctl *m = sbx_mbox_of(&sb, mbox);
    struct shmbox_mbox_entry *ring = (struct shmbox_mbox_entry *)(void *)((unsigned char *)m + SHMBOX_MBOX_RING_OFF);
    uint32_t t = atomic_load(&m->tail);
    ring[t & (CONFIG_SHMBOX_MBOX_DEPTH - 1u)].len = 1;
    ring[t & (CONFIG_SHMBOX_MBOX_DEPTH - 1u)].slot = SHMBOX_SLOT_NONE;
    ring[t & (CONFIG_SHMBOX_MBOX_DEPTH - 1u)].data[0] = (uint8_t)c;
    atomic_store_explicit(&m->tail, t + 1u, memory_order_release);
}

struct commit_later {
    int after_ms;
    int ring; /* then call shmbox_doorbell() */
    uint64_t at;
};

static void *commit_later(void *arg)
{
    struct commit_later *c = arg;
    /* Wait for the receiver to be asleep (counted), then a little more. */
    while (atomic_load(&sbx_mbox_of(&sb, 0)->not_empty_sleepers) == 0)
        usleep(100);
    crash_sleep_ms(c->after_ms);
    c->at = shmbox_port_now_ns();
    firmware_commit(0, 'f');
    if (c->ring)
        ck_assert_int_eq(shmbox_doorbell(&sb), 0);
    return NULL;
}

/* Receive with a sleeper asleep before the commit: ms from commit to return. */
static uint64_t recv_latency_ms(int ring)
{
    struct commit_later c = {50, ring, 0};
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, commit_later, &c), 0);
    char b[8];
    ck_assert_int_eq(shmbox_recv(&sb, 0, b, sizeof(b), 5000), 1);
    uint64_t done = shmbox_port_now_ns();
    pthread_join(t, NULL);
    ck_assert_int_eq(b[0], 'f');
    return (done - c.at) / 1000000u;
}

START_TEST(firmware_commit_seen_within_the_poll_bound)
{
    uint64_t ms = recv_latency_ms(0);
    /* CONFIG_SHMBOX_HYBRID_POLL_US (1 ms by default) plus scheduling: far
     * below the 100 ms slice a Linux-only region sleeps. */
    ck_assert_uint_le(ms, (uint64_t)CONFIG_SHMBOX_HYBRID_POLL_US / 1000u + 40u);
}
END_TEST

static _Atomic int rung;
static void ring_counter(void *arg)
{
    ck_assert_ptr_eq(arg, &rung);
    atomic_fetch_add(&rung, 1);
}

START_TEST(doorbell_wakes_at_once)
{
    ck_assert_int_eq(shmbox_set_doorbell(&sb, ring_counter, &rung), 0);
    uint64_t ms = recv_latency_ms(1);
    ck_assert_uint_le(ms, 40u);
    ck_assert_int_eq(shmbox_set_doorbell(NULL, NULL, NULL), -EINVAL);
    ck_assert_int_eq(shmbox_doorbell(NULL), -EINVAL);
}
END_TEST

START_TEST(linux_change_rings_when_a_sleeper_is_recorded)
{
    ck_assert_int_eq(shmbox_set_doorbell(&sb, ring_counter, &rung), 0);
    atomic_store(&rung, 0);
    ck_assert_int_eq(shmbox_send(&sb, 1, "a", 1, 100), 0);
    ck_assert_int_eq(atomic_load(&rung), 0); /* nobody asleep: no ring */
    /* A firmware receiver asleep on mailbox 1 counts itself. */
    atomic_fetch_add(&sbx_mbox_of(&sb, 1)->not_empty_sleepers, 1u);
    ck_assert_int_eq(shmbox_send(&sb, 1, "b", 1, 100), 0);
    ck_assert_int_eq(atomic_load(&rung), 1);
    atomic_fetch_sub(&sbx_mbox_of(&sb, 1)->not_empty_sleepers, 1u);
    /* A firmware allocator waiting on pool 0: a free rings. */
    shmbox_slot_t s;
    ck_assert_int_eq(shmbox_slot_alloc(&sb, 1, &s, 100), 0);
    atomic_fetch_add(&sbx_pool_of(&sb, 0)->sleepers, 1u);
    ck_assert_int_eq(shmbox_slot_free(&sb, s), 0);
    ck_assert_int_eq(atomic_load(&rung), 2);
    atomic_fetch_sub(&sbx_pool_of(&sb, 0)->sleepers, 1u);
    ck_assert_int_eq(shmbox_set_doorbell(&sb, NULL, NULL), 0);
    atomic_fetch_add(&sbx_mbox_of(&sb, 1)->not_empty_sleepers, 1u);
    ck_assert_int_eq(shmbox_send(&sb, 1, "c", 1, 100), 0);
    ck_assert_int_eq(atomic_load(&rung), 2); /* unwired: no ring */
    atomic_fetch_sub(&sbx_mbox_of(&sb, 1)->not_empty_sleepers, 1u);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fwwake");
    TCase *tc = tcase_create("fwwake");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, firmware_commit_seen_within_the_poll_bound);
    tcase_add_test(tc, doorbell_wakes_at_once);
    tcase_add_test(tc, linux_change_rings_when_a_sleeper_is_recorded);
    suite_add_tcase(s, tc);
    return crash_run(s);
}
