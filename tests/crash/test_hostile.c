// SPDX-License-Identifier: MIT
/*
 * Hostile region bytes: a crashed or malicious peer may write anything in
 * the region. Every call must return an error (or succeed, repairing what
 * it can), never crash, never wait beyond its timeout, and never touch
 * memory outside the region.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <shmbox/port.h>

#include "crash.h"
#include "access.h"
#include "layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char region[SHMBOX_NAME_MAX + 1];
static shmbox_t sb;
static struct shmbox_hdr *hdr;

static void setup(void)
{
    crash_setup();
    snprintf(region, sizeof(region), "%s", shmbox_test_name("host"));
    ck_assert_int_eq(shmbox_create(&sb, region), 0);
    hdr = sbx_hdr_of(&sb);
}

static void teardown(void)
{
    if (sb.open_magic != 0)
        shmbox_close(&sb);
    shmbox_unlink(region);
}

/* Open a second handle; return its result (closing it on success). */
static int try_open(int32_t timeout_ms, char *detail)
{
    shmbox_t o;
    memset(&o, 0, sizeof(o));
    int rc = shmbox_open(&o, region, timeout_ms);
    if (detail != NULL)
        snprintf(detail, SHMBOX_DETAIL_MAX, "%s", shmbox_error_detail(&o));
    if (rc == 0)
        shmbox_close(&o);
    return rc;
}

static uint32_t dead_pid(void)
{
    pid_t p = fork();
    if (p == 0)
        _exit(0);
    waitpid(p, NULL, 0);
    return (uint32_t)p;
}

START_TEST(bad_headers)
{
    char detail[SHMBOX_DETAIL_MAX];
    uint64_t magic = hdr->magic;
    hdr->magic = 0x1234;
    ck_assert_int_eq(try_open(200, detail), -EBADMSG);
    hdr->magic = magic;

    atomic_store(&hdr->init_state, 9u);
    ck_assert_int_eq(try_open(200, NULL), -EBADMSG);
    atomic_store(&hdr->init_state, SHMBOX_INIT_READY);

    struct shmbox_cfg_rec cfg = hdr->cfg;
    uint64_t fp = hdr->fingerprint;
    hdr->cfg.msg_size += 8;
    ck_assert_int_eq(try_open(200, NULL), -EBADMSG); /* checksum no longer matches */
    hdr->fingerprint = sbx_layout_fingerprint(&hdr->cfg);
    ck_assert_int_eq(try_open(200, detail), -EPROTO); /* a consistent, different layout */
    ck_assert_ptr_nonnull(strstr(detail, "CONFIG_SHMBOX_MSG_SIZE"));
    hdr->cfg = cfg;
    hdr->fingerprint = fp;

    uint64_t rs = hdr->region_size;
    hdr->region_size = rs * 2;
    ck_assert_int_eq(try_open(200, NULL), -EBADMSG);
    hdr->region_size = rs;
    ck_assert_int_eq(try_open(200, NULL), 0);
}
END_TEST

START_TEST(half_built_headers)
{
    char detail[SHMBOX_DETAIL_MAX];
    uint32_t cpid = hdr->creator_pid;
    atomic_store(&hdr->init_state, SHMBOX_INIT_INITIALIZING);
    /* The creator is alive (this process): wait, bounded by the timeout. */
    uint64_t t0 = shmbox_test_now_ms();
    ck_assert_int_eq(try_open(300, NULL), -ETIMEDOUT);
    uint64_t took = shmbox_test_now_ms() - t0;
    ck_assert_uint_ge(took, 290);
    ck_assert_uint_lt(took, 3000);
    /* A dead creator, a pid no process can have, pid 0: -EBADMSG at once. */
    uint32_t pids[] = {dead_pid(), 0xffffffffu, 0u, 0x7fffffffu};
    for (unsigned i = 0; i < 4; i++) {
        hdr->creator_pid = pids[i];
        t0 = shmbox_test_now_ms();
        ck_assert_int_eq(try_open(SHMBOX_FOREVER, detail), -EBADMSG);
        ck_assert_uint_lt(shmbox_test_now_ms() - t0, 1000);
    }
    /* A live process that is not the creator (pid reuse): its token differs.
     * pid 1 started at boot. (Not our parent: the test runner may have
     * started in the same clock tick as this process, and the token is the
     * start time in ticks, so it could look like the creator.) */
    hdr->creator_pid = 1u;
    ck_assert_int_eq(try_open(SHMBOX_FOREVER, detail), -EBADMSG);
    ck_assert_ptr_nonnull(strstr(detail, "died"));
    /* EMPTY: the creator died before writing anything. -EBADMSG, never
     * an endless wait: at once where the port tells that no creator is at
     * work (POSIX: the object's creator lock is free); after the grace
     * period where it cannot (SysV: the segment's creator, this process,
     * lives), and -ETIMEDOUT before. */
    atomic_store(&hdr->init_state, SHMBOX_INIT_EMPTY);
    t0 = shmbox_test_now_ms();
    ck_assert_int_eq(try_open(SHMBOX_FOREVER, detail), -EBADMSG);
    ck_assert_uint_lt(shmbox_test_now_ms() - t0, 10000);
#ifdef CONFIG_SHMBOX_PORT_POSIX
    ck_assert_uint_lt(shmbox_test_now_ms() - t0, 1000);
    ck_assert_int_eq(try_open(100, NULL), -EBADMSG);
#else
    ck_assert_int_eq(try_open(100, NULL), -ETIMEDOUT);
#endif
    hdr->creator_pid = cpid;
    atomic_store(&hdr->init_state, SHMBOX_INIT_READY);
    ck_assert_int_eq(try_open(100, NULL), 0);
}
END_TEST

START_TEST(corrupt_pools_heal)
{
    struct shmbox_pool_ctl *c = sbx_pool_of(&sb, 0);
    struct shmbox_slot_desc *d = sbx_desc_of(&sb, 0);
    uint32_t n = SHMBOX_P_COUNT_0;
    shmbox_slot_t s;

    c->free_head = 0xffffffffu; /* out of range */
    ck_assert_int_eq(shmbox_slot_alloc(&sb, 1, &s, SHMBOX_NO_WAIT), 0);
    ck_assert_int_eq(shmbox_slot_free(&sb, s), 0);
    d[0].next = 0x7fffffffu; /* a wild next */
    d[1].next = 1;           /* a cycle */
    ck_assert_int_eq(shmbox_slot_alloc(&sb, 1, &s, SHMBOX_NO_WAIT), 0);
    ck_assert_int_eq(shmbox_slot_free(&sb, s), 0);
    c->free_head = 3; /* names a used slot */
    ck_assert_int_eq(shmbox_slot_alloc(&sb, 1, &s, SHMBOX_NO_WAIT), 0);
    c->free_head = 4;
    atomic_store(&d[3].state, SHMBOX_SLOT_WORD(SHMBOX_SLOT_USED, 0));
    shmbox_slot_t s2;
    ck_assert_int_eq(shmbox_slot_alloc(&sb, 1, &s2, SHMBOX_NO_WAIT), 0);
    ck_assert_uint_ne(s, s2);
    /* Garbage states and owners everywhere: reclaim frees what nobody
     * alive owns, and the pool works afterwards. */
    for (uint32_t i = 0; i < n; i++) {
        atomic_store(&d[i].state, 0xdead0000u | (i * 7u % 3u));
        atomic_store(&d[i].owner, i * 2654435761u);
    }
    c->used = 0xffffffffu;
    ck_assert_int_ge(shmbox_reclaim(&sb), 0);
    shmbox_slot_t all[2048];
    uint32_t got = 0;
    while (got < 2048 && shmbox_slot_alloc(&sb, 1, &all[got], SHMBOX_NO_WAIT) == 0 && SHMBOX_H_POOL(all[got]) == 0)
        got++;
    ck_assert_uint_le(got, n);
    ck_assert_uint_ge(got, 1);
}
END_TEST

/* Entry @p pos of mailbox @p m's ring. */
static struct shmbox_mbox_entry *entry(struct shmbox_mbox_ctl *m, uint32_t pos)
{
    return (struct shmbox_mbox_entry *)(void *)((unsigned char *)m + SHMBOX_MBOX_RING_OFF +
                                                 (uint64_t)(pos & (SHMBOX_MBOX_DEPTH - 1u)) * SHMBOX_ENTRY_SIZE);
}

START_TEST(corrupt_mailboxes_error)
{
    struct shmbox_mbox_ctl *m = sbx_mbox_of(&sb, 0);
    char buf[SHMBOX_MSG_SIZE];
    shmbox_slot_t s;
    struct shmbox_stat st;

    m->tail = m->head + SHMBOX_MBOX_DEPTH + 5u; /* more than the ring holds */
    ck_assert_int_eq(shmbox_send(&sb, 0, "x", 1, 100), -EBADMSG);
    ck_assert_int_eq(shmbox_recv(&sb, 0, buf, sizeof(buf), 100), -EBADMSG);
    ck_assert_int_eq(shmbox_stat(&sb, &st), 0);
    ck_assert_uint_eq(st.mbox[0].count, 0);
    m->head = 0xfffffffeu; /* wrap-around is fine */
    m->tail = 0xfffffffeu;
    ck_assert_int_eq(shmbox_send(&sb, 0, "abc", 3, 100), 0);
    ck_assert_int_eq(shmbox_send(&sb, 0, "defg", 4, 100), 0);
    ck_assert_int_eq(shmbox_send(&sb, 0, "h", 1, 100), 0);
    ck_assert_int_eq(shmbox_recv(&sb, 0, buf, sizeof(buf), 100), 3);
    /* A hostile length, a hostile slot handle: errors, the rest of the
     * region untouched. */
    entry(m, 0xffffffffu)->len = 0x7fffffffu;
    ck_assert_int_eq(shmbox_recv(&sb, 0, buf, sizeof(buf), 100), -EBADMSG);
    entry(m, 0xffffffffu)->len = 8;
    entry(m, 0xffffffffu)->slot = 0xffffffffu;
    ck_assert_int_eq(shmbox_recv(&sb, 0, buf, sizeof(buf), 100), -ENOMSG);
    ck_assert_int_eq(shmbox_recv_slot(&sb, 0, &s, NULL, 100), -EBADMSG);
    /* A queued slot whose entry claims more than the slot holds. */
    ck_assert_int_eq(shmbox_slot_alloc(&sb, 64, &s, 100), 0);
    ck_assert_int_eq(shmbox_send_slot(&sb, 1, s, 8, 100), 0);
    struct shmbox_mbox_ctl *m1 = sbx_mbox_of(&sb, 1);
    entry(m1, m1->head)->len = 1u << 30;
    shmbox_slot_t got;
    ck_assert_int_eq(shmbox_recv_slot(&sb, 1, &got, NULL, 100), -EBADMSG);
    entry(m1, m1->head)->len = 8;
    ck_assert_int_eq(shmbox_recv_slot(&sb, 1, &got, NULL, 100), 0);
    ck_assert_uint_eq(got, s);
    /* A dirty lock with a garbage hand-over record: repaired, not trusted. */
    m1->lock.dirty = 1;
    m1->pend_op = SHMBOX_PEND_SEND;
    m1->pend_pos = m1->tail;
    m1->pend_slot = 0xfffffff1u;
    ck_assert_int_eq(shmbox_send(&sb, 1, "z", 1, 100), 0);
    ck_assert_int_eq(shmbox_recv(&sb, 1, buf, sizeof(buf), 100), 1);
    ck_assert_int_eq(shmbox_slot_free(&sb, got), 0);
}
END_TEST

START_TEST(garbage_process_table)
{
    uint32_t me = (uint32_t)getpid();
    for (unsigned i = 1; i < CONFIG_SHMBOX_MAX_PROCS; i++) {
        static const uint32_t pids[] = {1u, 0xffffffffu, 0x80000000u, 0u, 4194305u};
        uint32_t pid = i % 6u == 5u ? me : pids[i % 5u];
        atomic_store(&hdr->procs[i].pid, pid);
        atomic_store(&hdr->procs[i].token_lo, i * 77u);
        atomic_store(&hdr->procs[i].token_hi, i);
    }
    /* Entries with the right pid but the wrong token are pid reuse: dead. */
    ck_assert_int_ge(shmbox_reclaim(&sb), 0);
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&sb, &st), 0);
    ck_assert_uint_eq(st.attached, 1);
    for (int i = 0; i < CONFIG_SHMBOX_MAX_PROCS + 2; i++)
        ck_assert_int_eq(try_open(1000, NULL), 0);
}
END_TEST

static int child_sleep(void *arg)
{
    (void)arg;
    crash_sh->value = (uint32_t)getpid();
    crash_sh->ready = 1;
    for (;;)
        pause();
    return 0;
}

START_TEST(hostile_lock_words)
{
    struct shmbox_mbox_ctl *m = sbx_mbox_of(&sb, 2);
    char buf[8];
    /* Owned by a thread that no longer exists: taken over. */
    atomic_store(&m->lock.word, dead_pid());
    ck_assert_int_eq(shmbox_send(&sb, 2, "a", 1, 1000), 0);
    /* Owned by a thread id above the kernel's limit, with flag bits. */
    atomic_store(&m->lock.word, 0xfffffff0u);
    ck_assert_int_eq(shmbox_recv(&sb, 2, buf, sizeof(buf), 1000), 1);
    /* Owned by a live process that never releases it: a held lock; the
     * call gives up at its timeout, not later. */
    pid_t c = crash_spawn(child_sleep, NULL);
    ck_assert_int_eq(crash_wait_flag(&crash_sh->ready, 10000), 0);
    atomic_store(&m->lock.word, crash_sh->value);
    uint64_t t0 = shmbox_test_now_ms();
    ck_assert_int_eq(shmbox_send(&sb, 2, "b", 1, 300), -ETIMEDOUT);
    uint64_t took = shmbox_test_now_ms() - t0;
    ck_assert_uint_lt(took, 2000);
    crash_kill(c); /* ... and once it dies, the lock is recovered */
    ck_assert_int_eq(shmbox_send(&sb, 2, "c", 1, 1000), 0);
    ck_assert_int_eq(shmbox_recv(&sb, 2, buf, sizeof(buf), 1000), 1);
    ck_assert_int_eq(buf[0], 'c');
}
END_TEST

/* Random bytes through the fuzz target, in a child with a watchdog. */
static int child_random(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;
    uint8_t in[300];
    alarm(100); /* a hang is a failure: SIGALRM kills the child */
    for (int i = 0; i < 1500; i++) {
        size_t n = 2u + (size_t)(rand_r(&seed) % (int)sizeof(in) - 2);
        for (size_t k = 0; k < n; k++)
            in[k] = (uint8_t)rand_r(&seed);
        in[0] = (uint8_t)(i % 9 == 0 ? 1 : 0); /* some raw, mostly patches */
        LLVMFuzzerTestOneInput(in, n);
    }
    exit(0); /* not _exit: the fuzz target removes its region at exit */
}

START_TEST(random_bytes)
{
    pid_t c = crash_spawn(child_random, (void *)(uintptr_t)12345u);
    int st;
    ck_assert_int_eq(waitpid(c, &st, 0), c);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "random region bytes: child died (status %d)", st);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("crash_hostile");
    TCase *t = tcase_create("hostile");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 110);
    tcase_add_test(t, bad_headers);
    tcase_add_test(t, half_built_headers);
    tcase_add_test(t, corrupt_pools_heal);
    tcase_add_test(t, corrupt_mailboxes_error);
    tcase_add_test(t, garbage_process_table);
    tcase_add_test(t, hostile_lock_words);
    tcase_add_test(t, random_bytes);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return crash_run(suite());
}
