// SPDX-License-Identifier: MIT
/*
 * The static port's own rules (one region at a time in one buffer, each
 * open is a process of the table, nobody is ever found dead, the
 * application hooks are called in balanced pairs), single-threaded. The
 * same source runs on the host (Check) and on the emulated Cortex-M4
 * (tests/firmware's Check-compatible runner).
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <shmbox/port.h>
#include <shmbox/shmbox.h>

#include "check_run.h"
#include "support.h"

/* ---- hooks overridden by this program: count and check the nesting ----- */

static unsigned crit_depth, crit_max, crit_enters, crit_exits, notifies;

void shmbox_static_critical_enter(void)
{
    crit_depth++;
    crit_enters++;
    if (crit_depth > crit_max)
        crit_max = crit_depth;
}

void shmbox_static_critical_exit(void)
{
    if (crit_depth > 0)
        crit_depth--;
    crit_exits++;
}

void shmbox_static_notify(void)
{
    notifies++;
}

/* ---- fixture: handles and names the teardown cleans up ----------------- */

#define HANDLES 4
static shmbox_t sb[HANDLES];
static char names[4][SHMBOX_NAME_MAX + 1];
static unsigned name_count;

static const char *new_name(const char *tag)
{
    const char *n = shmbox_test_name(tag);
    ck_assert_uint_lt(name_count, 4);
    memcpy(names[name_count], n, strlen(n) + 1u);
    return names[name_count++];
}

static void setup(void)
{
    memset(sb, 0, sizeof(sb));
    name_count = 0;
}

static void teardown(void)
{
    for (unsigned i = 0; i < HANDLES; i++)
        (void)shmbox_close(&sb[i]);
    for (unsigned i = 0; i < name_count; i++)
        (void)shmbox_unlink(names[i]);
}

#define RC(expr, want) ck_assert_int_eq((expr), (want))

/* ---- one region at a time ---------------------------------------------- */

START_TEST(one_region_at_a_time)
{
    const char *a = new_name("a");
    const char *b = new_name("b");
    RC(shmbox_open(&sb[0], a, SHMBOX_NO_WAIT), -ENOENT);
    RC(shmbox_create(&sb[0], a), 0);
    RC(shmbox_create(&sb[1], a), -EEXIST); /* same name */
    RC(shmbox_create(&sb[1], b), -ENOSPC); /* the one buffer is taken */
    RC(shmbox_open(&sb[1], b, SHMBOX_NO_WAIT), -ENOENT);
    RC(shmbox_unlink(b), -ENOENT);
    RC(shmbox_open(&sb[1], a, SHMBOX_NO_WAIT), 0);

    /* Unlink: the name goes at once, the memory stays for the open handles. */
    RC(shmbox_unlink(a), 0);
    RC(shmbox_unlink(a), -ENOENT);
    RC(shmbox_open(&sb[2], a, SHMBOX_NO_WAIT), -ENOENT);
    RC(shmbox_send(&sb[0], 0, "still", 5, SHMBOX_NO_WAIT), 0);
    char buf[8];
    RC(shmbox_recv(&sb[1], 0, buf, sizeof(buf), SHMBOX_NO_WAIT), 5);
    ck_assert_mem_eq(buf, "still", 5);
    /* ...and keeps the buffer until the last handle closes. */
    RC(shmbox_create(&sb[2], b), -ENOSPC);
    RC(shmbox_close(&sb[0]), 0);
    RC(shmbox_create(&sb[2], b), -ENOSPC);
    RC(shmbox_close(&sb[1]), 0);
    RC(shmbox_create(&sb[2], b), 0);
    RC(shmbox_close(&sb[2]), 0);
    RC(shmbox_unlink(b), 0);
}
END_TEST

START_TEST(create_starts_from_zeroed_memory)
{
    const char *a = new_name("zero");
    RC(shmbox_create(&sb[0], a), 0);
    shmbox_slot_t slot = 0;
    RC(shmbox_slot_alloc(&sb[0], 16, &slot, SHMBOX_NO_WAIT), 0);
    unsigned char *p = shmbox_slot_ptr(&sb[0], slot);
    ck_assert_ptr_nonnull(p);
    memset(p, 0xa5, shmbox_slot_size(&sb[0], slot));
    RC(shmbox_send(&sb[0], 1, "left", 4, SHMBOX_NO_WAIT), 0);
    RC(shmbox_close(&sb[0]), 0); /* frees the slot; the message stays */
    RC(shmbox_unlink(a), 0);

    RC(shmbox_create(&sb[0], a), 0);
    struct shmbox_stat st;
    RC(shmbox_stat(&sb[0], &st), 0);
    for (unsigned i = 0; i < st.pool_count; i++)
        ck_assert_uint_eq(st.pool[i].peak, 0);
    for (unsigned i = 0; i < st.mbox_count; i++)
        ck_assert_uint_eq(st.mbox[i].sent, 0);
    char buf[8];
    RC(shmbox_recv(&sb[0], 1, buf, sizeof(buf), SHMBOX_NO_WAIT), -EAGAIN);
    shmbox_slot_t again = 0;
    RC(shmbox_slot_alloc(&sb[0], 16, &again, SHMBOX_NO_WAIT), 0);
    ck_assert_uint_eq(again, slot); /* the same slot, now zeroed */
    p = shmbox_slot_ptr(&sb[0], again);
    for (size_t i = 0; i < shmbox_slot_size(&sb[0], again); i++)
        ck_assert_uint_eq(p[i], 0);
}
END_TEST

START_TEST(every_handle_maps_the_same_buffer)
{
    const char *a = new_name("same");
    RC(shmbox_create(&sb[0], a), 0);
    RC(shmbox_open(&sb[1], a, SHMBOX_NO_WAIT), 0);
    shmbox_slot_t slot = 0;
    RC(shmbox_slot_alloc(&sb[0], 1, &slot, SHMBOX_NO_WAIT), 0);
    /* Not just the same contents: the same address in both handles. */
    ck_assert_ptr_eq(shmbox_slot_ptr(&sb[0], slot), shmbox_slot_ptr(&sb[1], slot));
}
END_TEST

/* ---- the port contract, called directly ------------------------------- */

START_TEST(port_region_is_page_aligned_and_bounded)
{
    const char *a = new_name("port");
    struct shmbox_port_map m1, m2;
    RC(shmbox_port_region_create(a, SHMBOX_CONFIG_REGION_BYTES, SHMBOX_MODE_BITS, &m1), 0);
    ck_assert_uint_eq((uintptr_t)m1.base % CONFIG_SHMBOX_PAGE_SIZE, 0);
    ck_assert_uint_ge(m1.size, SHMBOX_CONFIG_REGION_BYTES);
    for (uint64_t i = 0; i < m1.size; i += 997u)
        ck_assert_uint_eq(m1.base[i], 0);
    RC(shmbox_port_region_open(a, m1.size + 1u, &m2), -EBADMSG); /* larger than the buffer */
    RC(shmbox_port_region_open(a, 64, &m2), 0);
    ck_assert_ptr_eq(m1.base, m2.base);
    RC(shmbox_port_region_close(&m2), 0);
    RC(shmbox_port_region_close(&m1), 0);
    RC(shmbox_port_region_unlink(a), 0);
    RC(shmbox_port_region_create(a, SHMBOX_CONFIG_REGION_BYTES + 1u, SHMBOX_MODE_BITS, &m1), -ENOSPC);
#ifndef CONFIG_SHMBOX_MINIMAL_CORE /* the full core's part of the contract */
    ck_assert_uint_eq(shmbox_port_page_size(), CONFIG_SHMBOX_PAGE_SIZE);
#endif
}
END_TEST

/* ---- identities --------------------------------------------------------- */

START_TEST(each_open_is_one_process)
{
    const char *a = new_name("proc");
    struct shmbox_stat st;
    RC(shmbox_create(&sb[0], a), 0);
    RC(shmbox_open(&sb[1], a, SHMBOX_NO_WAIT), 0);
    RC(shmbox_open(&sb[2], a, SHMBOX_NO_WAIT), 0);
    RC(shmbox_stat(&sb[0], &st), 0);
    ck_assert_uint_eq(st.attached, 3);

#ifndef CONFIG_SHMBOX_MINIMAL_CORE
    /* A slot belongs to the handle that allocated it: closing that handle
     * frees it; nobody is ever found dead, so reclaim frees nothing. */
    shmbox_slot_t s1 = 0, s2 = 0;
    RC(shmbox_slot_alloc(&sb[1], 1, &s1, SHMBOX_NO_WAIT), 0);
    RC(shmbox_slot_alloc(&sb[2], 1, &s2, SHMBOX_NO_WAIT), 0);
    RC(shmbox_reclaim(&sb[0]), 0);
    RC(shmbox_close(&sb[1]), 0);
    RC(shmbox_stat(&sb[0], &st), 0);
    ck_assert_uint_eq(st.attached, 2);
    ck_assert_uint_eq(st.pool[0].used, 1); /* s2 only */
    RC(shmbox_slot_free(&sb[2], s2), 0);

    /* Identities without an operating system. */
    uint32_t p1 = shmbox_port_pid(), p2 = shmbox_port_pid();
    ck_assert_uint_ne(p1, 0);
    ck_assert_uint_ne(p1, p2);
    ck_assert_uint_ne(shmbox_port_proc_token(p1), 0);
    ck_assert_uint_eq(shmbox_port_proc_token(0), 0);
#else
    /* The minimal core: slots have no owner; a close only counts down. */
    shmbox_slot_t s1 = 0;
    RC(shmbox_slot_alloc(&sb[1], 1, &s1, SHMBOX_NO_WAIT), 0);
    RC(shmbox_reclaim(&sb[0]), 0);
    RC(shmbox_close(&sb[1]), 0);
    RC(shmbox_stat(&sb[0], &st), 0);
    ck_assert_uint_eq(st.attached, 2);
    ck_assert_uint_eq(st.pool[0].used, 1);
    RC(shmbox_slot_free(&sb[2], s1), 0);
#endif
    ck_assert_uint_ne(shmbox_port_tid(), 0);
    ck_assert_uint_eq(shmbox_port_tid(), shmbox_port_tid());
    ck_assert_uint_eq(shmbox_port_tid() & ~SHMBOX_LOCK_TID_MASK, 0);
}
END_TEST

#ifndef CONFIG_SHMBOX_MINIMAL_CORE
START_TEST(process_table_full_is_eusers)
{
    const char *a = new_name("users");
    static shmbox_t more[CONFIG_SHMBOX_MAX_PROCS];
    memset(more, 0, sizeof(more));
    RC(shmbox_create(&sb[0], a), 0);
    for (unsigned i = 1; i < CONFIG_SHMBOX_MAX_PROCS; i++)
        RC(shmbox_open(&more[i], a, SHMBOX_NO_WAIT), 0);
    RC(shmbox_open(&sb[1], a, SHMBOX_NO_WAIT), -EUSERS);
    for (unsigned i = 1; i < CONFIG_SHMBOX_MAX_PROCS; i++)
        RC(shmbox_close(&more[i]), 0);
    RC(shmbox_open(&sb[1], a, SHMBOX_NO_WAIT), 0);
}
END_TEST
#else
/* The minimal core bounds no opens (no process table). */
START_TEST(process_table_full_is_eusers)
{
    const char *a = new_name("users");
    static shmbox_t more[CONFIG_SHMBOX_MAX_PROCS + 2];
    RC(shmbox_create(&sb[0], a), 0);
    for (unsigned i = 0; i < CONFIG_SHMBOX_MAX_PROCS + 2; i++)
        RC(shmbox_open(&more[i], a, SHMBOX_NO_WAIT), 0);
    struct shmbox_stat st;
    RC(shmbox_stat(&sb[0], &st), 0);
    ck_assert_uint_eq(st.attached, CONFIG_SHMBOX_MAX_PROCS + 3u);
    for (unsigned i = 0; i < CONFIG_SHMBOX_MAX_PROCS + 2; i++)
        RC(shmbox_close(&more[i]), 0);
}
END_TEST
#endif

/* ---- hooks and clock ------------------------------------------------------ */

START_TEST(critical_hooks_are_balanced_and_nest)
{
    const char *a = new_name("hooks");
    crit_depth = crit_max = crit_enters = crit_exits = notifies = 0;
    RC(shmbox_create(&sb[0], a), 0);
    RC(shmbox_open(&sb[1], a, SHMBOX_NO_WAIT), 0);
    ck_assert_uint_eq(crit_depth, 0);
    shmbox_slot_t slot = 0;
    RC(shmbox_slot_alloc(&sb[1], 1, &slot, SHMBOX_NO_WAIT), 0);
    RC(shmbox_send_slot(&sb[1], 0, slot, 1, SHMBOX_NO_WAIT), 0);
    ck_assert_uint_eq(crit_depth, 0);
    RC(shmbox_close(&sb[1]), 0); /* process lock, then the pool locks */
    ck_assert_uint_eq(crit_depth, 0);
#ifndef CONFIG_SHMBOX_MINIMAL_CORE
    ck_assert_uint_ge(crit_max, 2);
#else
    ck_assert_uint_eq(crit_max, 1); /* the minimal core never nests its locks */
#endif
    size_t len = 0;
    RC(shmbox_recv_slot(&sb[0], 0, &slot, &len, SHMBOX_NO_WAIT), 0);
    RC(shmbox_slot_free(&sb[0], slot), 0);
    ck_assert_uint_eq(crit_depth, 0);
    ck_assert_uint_gt(crit_enters, 5);
    ck_assert_uint_eq(crit_enters, crit_exits);
    ck_assert_uint_ge(notifies, crit_exits); /* every release notifies */
}
END_TEST

START_TEST(timeouts_expire_on_the_port_clock)
{
    const char *a = new_name("time");
    RC(shmbox_create(&sb[0], a), 0);
    char buf[8];
    uint64_t t0 = shmbox_port_now_ns();
    RC(shmbox_recv(&sb[0], 0, buf, sizeof(buf), 30), -ETIMEDOUT);
    uint64_t t1 = shmbox_port_now_ns();
    ck_assert_uint_ge(t1 - t0, 30u * 1000000u);
    ck_assert_uint_lt(t1 - t0, 30u * 1000000u + 5000000000u);
    ck_assert_uint_eq(crit_depth, 0);

    /* A full mailbox: send times out the same way. */
    unsigned n = 0;
    const unsigned last = CONFIG_SHMBOX_MBOX_COUNT - 1u;
    while (shmbox_send(&sb[0], last, "x", 1, SHMBOX_NO_WAIT) == 0)
        n++;
    ck_assert_uint_eq(n, CONFIG_SHMBOX_MBOX_DEPTH);
    t0 = shmbox_port_now_ns();
    RC(shmbox_send(&sb[0], last, "x", 1, 20), -ETIMEDOUT);
    ck_assert_uint_ge(shmbox_port_now_ns() - t0, 20u * 1000000u);
    RC(shmbox_send(&sb[0], last, "x", 1, SHMBOX_NO_WAIT), -EAGAIN);
}
END_TEST

static Suite *static_suite(void)
{
    Suite *s = suite_create("static port");
    TCase *tc = tcase_create("static");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, one_region_at_a_time);
    tcase_add_test(tc, create_starts_from_zeroed_memory);
    tcase_add_test(tc, every_handle_maps_the_same_buffer);
    tcase_add_test(tc, port_region_is_page_aligned_and_bounded);
    tcase_add_test(tc, each_open_is_one_process);
    tcase_add_test(tc, process_table_full_is_eusers);
    tcase_add_test(tc, critical_hooks_are_balanced_and_nest);
    tcase_add_test(tc, timeouts_expire_on_the_port_clock);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    /* One process: the region and the port's state must survive between
     * tests exactly as they would in firmware. */
    return shmbox_check_run(static_suite(), CK_NOFORK);
}
