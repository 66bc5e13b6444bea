// SPDX-License-Identifier: MIT
/*
 * The region lifecycle: restart after a crash (a creator SIGKILLed and
 * started again gets its region back with shmbox_open_or_create(), the
 * dead incarnation's slots reclaimed), start in any order (many processes
 * at once: one creator, all on one region; a consumer before its
 * producer), and a live region is never taken over.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <shmbox/shmbox.h>

#include "mp.h"

#define RESTARTS 100
#define RACERS 8
#define RACE_ROUNDS 100

/* Shared with the children (MAP_SHARED, zeroed per test). */
struct shared {
    volatile uint32_t ready;
    volatile uint32_t go;
    volatile uint32_t opened;
    volatile int32_t result[RACERS];
};
static struct shared *sh;
static const char *region;

static void setup(void)
{
    mp_setup();
    sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    ck_assert_ptr_ne(sh, MAP_FAILED);
    memset((void *)sh, 0, sizeof(*sh));
}

static void teardown(void)
{
    munmap((void *)sh, sizeof(*sh));
    mp_teardown();
}

static void wait_value(volatile uint32_t *v, uint32_t want)
{
    uint64_t end = mp_now_ms() + 30000;
    while (*v < want && mp_now_ms() < end)
        mp_sleep_ms(1);
    ck_assert_uint_ge(*v, want);
}

/* ---- restart after a crash --------------------------------------------- */

static int service(void *arg)
{
    (void)arg;
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    int rc = shmbox_open_or_create(&sb, region, 10000);
    if (rc != 1)
        return MP_EOPEN; /* nobody else is alive: it must be ours */
    struct shmbox_stat st;
    if (shmbox_stat(&sb, &st) != 0 || st.attached != 1)
        return MP_ECALL;
    for (unsigned p = 0; p < st.pool_count; p++)
        if (st.pool[p].used != 0)
            return MP_EDATA; /* the last incarnation's slots were not reclaimed */
    if (st.mbox[0].count != 0)
        return MP_EORDER; /* not a fresh region: the last incarnation's message is queued */
    if (shmbox_send(&sb, 0, "old", 3, SHMBOX_NO_WAIT) != 0)
        return MP_ECALL;
    shmbox_slot_t s[2];
    if (shmbox_slot_alloc(&sb, 1, &s[0], SHMBOX_NO_WAIT) != 0 ||
        shmbox_slot_alloc(&sb, 1, &s[1], SHMBOX_NO_WAIT) != 0)
        return MP_ECALL;
    sh->ready++;
    for (;;)
        pause();
}

START_TEST(killed_creator_gets_its_region_back)
{
    region = mp_name("restart");
    for (uint32_t i = 0; i < RESTARTS; i++) {
        pid_t pid = mp_spawn(service, NULL);
        uint64_t end = mp_now_ms() + 30000;
        while (sh->ready <= i && mp_running(pid) && mp_now_ms() < end)
            mp_sleep_ms(1);
        ck_assert_msg(sh->ready == i + 1u, "incarnation %u: ended with %d", (unsigned)i, mp_wait(pid, 1000));
        kill(pid, SIGKILL);
        ck_assert_int_eq(mp_wait(pid, 30000), -1);
    }
    /* The last incarnation's two slots and message: gone in the next one. */
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    MP_RC(shmbox_open_or_create(&sb, region, 1000), 1);
    struct shmbox_stat st;
    MP_RC(shmbox_stat(&sb, &st), 0);
    ck_assert_uint_eq(st.pool[0].used, 0);
    ck_assert_uint_eq(st.mbox[0].count, 0);
    MP_RC(shmbox_close(&sb), 0);
}
END_TEST

/* ---- a live region is never taken over ---------------------------------- */

static int joiner(void *arg)
{
    (void)arg;
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    int rc = shmbox_open_or_create(&sb, region, 5000);
    sh->result[0] = rc;
    if (rc == 0)
        shmbox_close(&sb);
    return MP_OK;
}

START_TEST(live_region_is_opened_not_taken)
{
    region = mp_create("live");
    shmbox_slot_t s;
    MP_RC(shmbox_slot_alloc(&mp_sb, 1, &s, SHMBOX_NO_WAIT), 0);
    MP_RC(shmbox_send(&mp_sb, 0, "keep", 4, SHMBOX_NO_WAIT), 0);
    MP_CHILD_OK(mp_spawn(joiner, NULL), 30000);
    ck_assert_int_eq(sh->result[0], 0);
    ck_assert_ptr_nonnull(shmbox_slot_ptr(&mp_sb, s));
    struct shmbox_stat st;
    MP_RC(shmbox_stat(&mp_sb, &st), 0);
    ck_assert_uint_eq(st.pool[0].used, 1);
    ck_assert_uint_eq(st.mbox[0].count, 1);
}
END_TEST

/* ---- start in any order -------------------------------------------------- */

static int racer(void *arg)
{
    unsigned id = (unsigned)(uintptr_t)arg;
    while (sh->go == 0)
        mp_sleep_ms(1);
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    int rc = shmbox_open_or_create(&sb, region, 20000);
    sh->result[id] = rc;
    if (rc < 0)
        return MP_EOPEN;
    /* Stay attached until all have opened: then none could find the
     * region stale. Leave a message naming us on the region we got. */
    __atomic_fetch_add(&sh->opened, 1u, __ATOMIC_SEQ_CST);
    uint64_t end = mp_now_ms() + 30000;
    while (sh->opened < RACERS && mp_now_ms() < end)
        mp_sleep_ms(1);
    if (shmbox_send(&sb, 0, &id, sizeof(id), 5000) != 0)
        return MP_ECALL;
    shmbox_close(&sb);
    return MP_OK;
}

START_TEST(many_at_once_one_creator_one_region)
{
    region = mp_name("race8");
    for (unsigned round = 0; round < RACE_ROUNDS; round++) {
        memset((void *)sh, 0, sizeof(*sh));
        pid_t pid[RACERS];
        for (unsigned i = 0; i < RACERS; i++)
            pid[i] = mp_spawn(racer, (void *)(uintptr_t)i);
        sh->go = 1;
        for (unsigned i = 0; i < RACERS; i++)
            MP_CHILD_OK(pid[i], 60000);
        unsigned creators = 0;
        for (unsigned i = 0; i < RACERS; i++) {
            ck_assert_msg(sh->result[i] == 0 || sh->result[i] == 1, "round %u: racer %u: %d", round, i,
                          (int)sh->result[i]);
            creators += sh->result[i] == 1;
        }
        ck_assert_msg(creators == 1, "round %u: %u creators", round, creators);
        /* All on one region: every racer's message is in it. */
        shmbox_t sb;
        memset(&sb, 0, sizeof(sb));
        MP_RC(shmbox_open(&sb, region, SHMBOX_NO_WAIT), 0);
        unsigned seen = 0;
        for (unsigned i = 0; i < RACERS; i++) {
            unsigned id = 0;
            MP_RC(shmbox_recv(&sb, 0, &id, sizeof(id), SHMBOX_NO_WAIT), (int)sizeof(id));
            ck_assert_uint_lt(id, RACERS);
            seen |= 1u << id;
        }
        ck_assert_uint_eq(seen, (1u << RACERS) - 1u);
        MP_RC(shmbox_close(&sb), 0);
        MP_RC(shmbox_unlink(region), 0);
    }
}
END_TEST

static int consumer(void *arg)
{
    (void)arg;
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    sh->ready = 1;
    int rc = shmbox_open(&sb, region, 1000);
    sh->result[0] = rc;
    if (rc == 0)
        shmbox_close(&sb);
    return MP_OK;
}

START_TEST(consumer_started_before_its_producer)
{
    region = mp_name("early");
    pid_t pid = mp_spawn(consumer, NULL);
    wait_value(&sh->ready, 1);
    mp_sleep_ms(500);
    MP_RC(shmbox_create(&mp_sb, region), 0);
    MP_CHILD_OK(pid, 30000);
    ck_assert_int_eq(sh->result[0], 0);
}
END_TEST

START_TEST(no_wait_open_of_a_missing_region)
{
    region = mp_name("none");
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    uint64_t t0 = mp_now_ms();
    MP_RC(shmbox_open(&sb, region, SHMBOX_NO_WAIT), -ENOENT);
    MP_RC(shmbox_open(&sb, region, 300), -ENOENT);
    ck_assert_uint_ge(mp_now_ms() - t0, 290);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lifecycle");
    TCase *tc = tcase_create("lifecycle");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, killed_creator_gets_its_region_back);
    tcase_add_test(tc, live_region_is_opened_not_taken);
    tcase_add_test(tc, many_at_once_one_creator_one_region);
    tcase_add_test(tc, consumer_started_before_its_producer);
    tcase_add_test(tc, no_wait_open_of_a_missing_region);
    suite_add_tcase(s, tc);
    return mp_run(s);
}
