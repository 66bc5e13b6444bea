// SPDX-License-Identifier: MIT
/*
 * Blocking across processes: a receiver blocked on an empty mailbox, a
 * sender blocked on a full one and an allocator blocked on empty pools are
 * woken by another process; open waits for a creator that has not
 * finished initialising, and reports one that died doing it (the
 * attached count: test_attached.c).
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <shmbox/port.h>

#include "access.h"
#include "mp.h"

static const char *region;

/* How long the parent waits before it unblocks a child: long enough for
 * the child to be asleep, short for the test. */
#define BLOCK_MS 300

struct child_io {
    int to_parent;   /* write end */
    int from_parent; /* read end */
};

static int open_child(shmbox_t *sb)
{
    memset(sb, 0, sizeof(*sb));
    return shmbox_open(sb, region, MP_CALL_MS);
}

/* ---- receiver blocked on an empty mailbox ---------------------------------- */

static int blocked_receiver(void *arg)
{
    int32_t timeout = (int32_t)(intptr_t)arg;
    shmbox_t sb;
    if (open_child(&sb) < 0)
        return MP_EOPEN;
    char buf[CONFIG_SHMBOX_MSG_SIZE];
    int rc = shmbox_recv(&sb, 0, buf, sizeof(buf), timeout);
    if (rc != 4)
        return MP_ECALL;
    if (memcmp(buf, "wake", 4) != 0)
        return MP_EDATA;
    shmbox_slot_t s;
    size_t len;
    if (shmbox_recv_slot(&sb, 0, &s, &len, timeout) < 0)
        return MP_ECALL;
    if (len != 5 || memcmp(shmbox_slot_ptr(&sb, s), "wake2", 5) != 0)
        return MP_EDATA;
    shmbox_slot_free(&sb, s);
    shmbox_close(&sb);
    return MP_OK;
}

START_TEST(receiver_blocks_until_a_send)
{
    static const int32_t timeouts[] = {SHMBOX_FOREVER, 60000};
    region = mp_create("brecv");
    for (unsigned k = 0; k < 2; k++) {
        pid_t pid = mp_spawn(blocked_receiver, (void *)(intptr_t)timeouts[k]);
        mp_sleep_ms(BLOCK_MS);
        ck_assert_msg(mp_running(pid), "the receiver did not block");
        MP_RC(shmbox_send(&mp_sb, 0, "wake", 4, SHMBOX_NO_WAIT), 0);
        mp_sleep_ms(BLOCK_MS);
        ck_assert_msg(mp_running(pid), "the receiver did not block for the slot");
        shmbox_slot_t s;
        MP_RC(shmbox_slot_alloc(&mp_sb, 5, &s, SHMBOX_NO_WAIT), 0);
        memcpy(shmbox_slot_ptr(&mp_sb, s), "wake2", 5);
        MP_RC(shmbox_send_slot(&mp_sb, 0, s, 5, SHMBOX_NO_WAIT), 0);
        MP_CHILD_OK(pid, 30000);
    }
}
END_TEST

/* ---- sender blocked on a full mailbox ---------------------------------------- */

static int blocked_sender(void *arg)
{
    (void)arg;
    shmbox_t sb;
    if (open_child(&sb) < 0)
        return MP_EOPEN;
    uint32_t v = 0xb10cu;
    if (shmbox_send(&sb, 1 % SHMBOX_MBOX_COUNT, &v, sizeof(v), SHMBOX_FOREVER) < 0)
        return MP_ECALL;
    shmbox_slot_t s;
    if (shmbox_slot_alloc(&sb, 1, &s, SHMBOX_NO_WAIT) < 0)
        return MP_ECALL;
    memcpy(shmbox_slot_ptr(&sb, s), &v, sizeof(v));
    if (shmbox_send_slot(&sb, 1 % SHMBOX_MBOX_COUNT, s, sizeof(v), 60000) < 0)
        return MP_ECALL;
    shmbox_close(&sb);
    return MP_OK;
}

START_TEST(sender_blocks_until_a_recv)
{
    const unsigned m = 1 % SHMBOX_MBOX_COUNT;
    region = mp_create("bsend");
    for (uint32_t i = 0; i < CONFIG_SHMBOX_MBOX_DEPTH; i++)
        MP_RC(shmbox_send(&mp_sb, m, &i, sizeof(i), SHMBOX_NO_WAIT), 0);
    pid_t pid = mp_spawn(blocked_sender, NULL);
    mp_sleep_ms(BLOCK_MS);
    ck_assert_msg(mp_running(pid), "the sender did not block");
    uint32_t v;
    MP_RC(shmbox_recv(&mp_sb, m, &v, sizeof(v), SHMBOX_NO_WAIT), (int)sizeof(v));
    ck_assert_uint_eq(v, 0);
    mp_sleep_ms(BLOCK_MS);
    ck_assert_msg(mp_running(pid), "the sender did not block for its slot");
    MP_RC(shmbox_recv(&mp_sb, m, &v, sizeof(v), SHMBOX_NO_WAIT), (int)sizeof(v));
    ck_assert_uint_eq(v, 1);
    MP_CHILD_OK(pid, 30000);
    /* FIFO: the blocked messages come last. */
    for (uint32_t i = 2; i < CONFIG_SHMBOX_MBOX_DEPTH; i++) {
        MP_RC(shmbox_recv(&mp_sb, m, &v, sizeof(v), SHMBOX_NO_WAIT), (int)sizeof(v));
        ck_assert_uint_eq(v, i);
    }
    MP_RC(shmbox_recv(&mp_sb, m, &v, sizeof(v), SHMBOX_NO_WAIT), (int)sizeof(v));
    ck_assert_uint_eq(v, 0xb10cu);
    shmbox_slot_t s;
    size_t len;
    MP_RC(shmbox_recv_slot(&mp_sb, m, &s, &len, SHMBOX_NO_WAIT), 0);
    ck_assert_uint_eq(len, sizeof(v));
    ck_assert_mem_eq(shmbox_slot_ptr(&mp_sb, s), &v, sizeof(v));
}
END_TEST

/* ---- allocator blocked on empty pools --------------------------------------- */

static int blocked_allocator(void *arg)
{
    struct child_io *io = arg;
    shmbox_t sb;
    if (open_child(&sb) < 0)
        return MP_EOPEN;
    for (unsigned k = 0; k < 2; k++) {
        shmbox_slot_t s;
        if (shmbox_slot_alloc(&sb, 1, &s, k == 0 ? SHMBOX_FOREVER : 60000) < 0)
            return MP_ECALL;
        uint32_t got = (uint32_t)shmbox_slot_size(&sb, s);
        if (mp_write(io->to_parent, &got, sizeof(got)) < 0) /* each as it comes */
            return MP_EPIPE;
    }
    shmbox_close(&sb);
    return MP_OK;
}

START_TEST(allocator_blocks_until_a_free)
{
    region = mp_create("balloc");
    static shmbox_slot_t all[1u << 16];
    uint32_t n = 0;
    shmbox_slot_t s;
    while (n < sizeof(all) / sizeof(all[0]) && shmbox_slot_alloc(&mp_sb, 1, &s, SHMBOX_NO_WAIT) == 0)
        all[n++] = s;
    MP_RC(shmbox_slot_alloc(&mp_sb, 1, &s, SHMBOX_NO_WAIT), -ENOMEM);
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    struct child_io io = {fds[1], -1};
    pid_t pid = mp_spawn(blocked_allocator, &io);
    close(fds[1]);
    mp_sleep_ms(BLOCK_MS);
    ck_assert_msg(mp_running(pid), "the allocator did not block");
    /* A slot of the largest pool wakes a waiter for the smallest size,
     * and so does one of the smallest pool. */
    uint32_t got[2];
    MP_RC(shmbox_slot_free(&mp_sb, all[n - 1u]), 0);
    ck_assert_int_eq(mp_read(fds[0], &got[0], sizeof(got[0])), 0); /* served: only then the next */
    MP_RC(shmbox_slot_free(&mp_sb, all[0]), 0);
    ck_assert_int_eq(mp_read(fds[0], &got[1], sizeof(got[1])), 0);
    close(fds[0]);
    MP_CHILD_OK(pid, 30000);
    struct shmbox_stat st;
    MP_RC(shmbox_stat(&mp_sb, &st), 0);
    ck_assert_uint_eq(got[0], st.pool[CONFIG_SHMBOX_POOL_COUNT - 1].slot_size);
    ck_assert_uint_eq(got[1], st.pool[0].slot_size);
}
END_TEST

/* ---- open waits for the creator ------------------------------------------ */

/* A creator that takes its time: the region exists but is not ready for
 * BLOCK_MS; then it finishes and waits for the parent to say goodbye. */
static int slow_creator(void *arg)
{
    struct child_io *io = arg;
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    if (shmbox_create(&sb, region) < 0)
        return MP_ECALL;
    struct shmbox_hdr *h = (struct shmbox_hdr *)(void *)sb.base;
    atomic_store(&h->init_state, SHMBOX_INIT_INITIALIZING);
    char c = 'c';
    if (mp_write(io->to_parent, &c, 1) < 0)
        return MP_EPIPE;
    mp_sleep_ms(BLOCK_MS);
    atomic_store(&h->init_state, SHMBOX_INIT_READY);
    shmbox_port_wake(&h->init_state, 0);
    if (mp_read(io->from_parent, &c, 1) < 0)
        return MP_EPIPE;
    shmbox_close(&sb);
    return MP_OK;
}

START_TEST(open_waits_for_the_creator)
{
    region = mp_name("slow");
    int up[2], down[2];
    ck_assert_int_eq(pipe(up), 0);
    ck_assert_int_eq(pipe(down), 0);
    struct child_io io = {up[1], down[0]};
    pid_t pid = mp_spawn(slow_creator, &io);
    char c;
    ck_assert_int_eq(mp_read(up[0], &c, 1), 0);
    uint64_t t0 = mp_now_ms();
    MP_RC(shmbox_open(&mp_sb, region, 30000), 0);
    uint64_t waited = mp_now_ms() - t0;
    ck_assert_msg(waited >= BLOCK_MS / 2, "open returned after %llu ms, before the creator was done",
                  (unsigned long long)waited);
    struct shmbox_stat st;
    MP_RC(shmbox_stat(&mp_sb, &st), 0);
    ck_assert_uint_eq(st.attached, 2);
    ck_assert_int_eq(mp_write(down[1], "x", 1), 0);
    MP_CHILD_OK(pid, 30000);
    MP_RC(shmbox_stat(&mp_sb, &st), 0);
    ck_assert_uint_eq(st.attached, 1);
    close(up[0]);
    close(up[1]);
    close(down[0]);
    close(down[1]);
}
END_TEST

/* A creator that dies before it finishes initialising. */
static int dying_creator(void *arg)
{
    (void)arg;
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    if (shmbox_create(&sb, region) < 0)
        return MP_ECALL;
    struct shmbox_hdr *h = (struct shmbox_hdr *)(void *)sb.base;
    atomic_store(&h->init_state, SHMBOX_INIT_INITIALIZING);
    raise(SIGKILL);
    return MP_ECALL;
}

START_TEST(open_reports_a_creator_that_died)
{
    region = mp_name("dead");
    pid_t pid = mp_spawn(dying_creator, NULL);
    ck_assert_int_eq(mp_wait(pid, 30000), -1); /* killed */
    uint64_t t0 = mp_now_ms();
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    MP_RC(shmbox_open(&sb, region, 20000), -EBADMSG);
    ck_assert_msg(mp_now_ms() - t0 < 15000, "open waited out its timeout");
    ck_assert_ptr_nonnull(strstr(shmbox_error_detail(&sb), "died"));
    /* The remedy the header gives: unlink, create anew. */
    MP_RC(shmbox_unlink(region), 0);
    MP_RC(shmbox_create(&mp_sb, region), 0);
}
END_TEST

/* Creator and opener race many times: the opener waits for the region to
 * appear and gets a ready one, never a half-made one. */
static int racing_creator(void *arg)
{
    struct child_io *io = arg;
    char c;
    if (mp_read(io->from_parent, &c, 1) < 0)
        return MP_EPIPE;
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    if (shmbox_create(&sb, region) < 0)
        return MP_ECALL;
    if (mp_read(io->from_parent, &c, 1) < 0)
        return MP_EPIPE;
    shmbox_close(&sb);
    return MP_OK;
}

START_TEST(open_racing_create)
{
    unsigned rounds = 60;
    for (unsigned r = 0; r < rounds; r++) {
        region = mp_name("race");
        int down[2];
        ck_assert_int_eq(pipe(down), 0);
        struct child_io io = {-1, down[0]};
        pid_t pid = mp_spawn(racing_creator, &io);
        ck_assert_int_eq(mp_write(down[1], "g", 1), 0);
        shmbox_t sb;
        memset(&sb, 0, sizeof(sb));
        /* Started with (or before) the creator: waits for the region to
         * appear, then for its creator to finish. */
        int rc = shmbox_open(&sb, region, 30000);
        ck_assert_msg(rc == 0, "round %u: open during create: %s (%s)", r, shmbox_strerror(rc),
                      shmbox_error_detail(&sb));
        struct shmbox_stat st;
        MP_RC(shmbox_stat(&sb, &st), 0);
        ck_assert_uint_eq(st.attached, 2);
        MP_RC(shmbox_close(&sb), 0);
        ck_assert_int_eq(mp_write(down[1], "q", 1), 0);
        MP_CHILD_OK(pid, 30000);
        close(down[0]);
        close(down[1]);
        MP_RC(shmbox_unlink(region), 0);
        mp_teardown(); /* names are per test: start afresh each round */
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("blocking");
    TCase *tc = mp_tcase("blocking");
    tcase_add_test(tc, receiver_blocks_until_a_send);
    tcase_add_test(tc, sender_blocks_until_a_recv);
    tcase_add_test(tc, allocator_blocks_until_a_free);
    suite_add_tcase(s, tc);
    tc = mp_tcase("open");
    tcase_add_test(tc, open_waits_for_the_creator);
    tcase_add_test(tc, open_reports_a_creator_that_died);
    tcase_add_test(tc, open_racing_create);
    suite_add_tcase(s, tc);
    return mp_run(s);
}
