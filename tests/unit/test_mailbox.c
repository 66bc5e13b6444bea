// SPDX-License-Identifier: MIT
/*
 * Mailboxes: copy and slot messages, FIFO order across ring wrap-around,
 * full / empty / timeouts, -EMSGSIZE that keeps the message, -ENOMSG for
 * the wrong kind, slot ownership through a mailbox, argument errors and a
 * corrupt mailbox.
 */
#include <string.h>

#include "internals.h"
#include "unit.h"

#define DEPTH CONFIG_SHMBOX_MBOX_DEPTH
#define MSG CONFIG_SHMBOX_MSG_SIZE

/* Message i: its length and bytes are a function of i. */
static size_t msg_len(uint32_t i)
{
    return 4u + i % (MSG - 3u); /* 4 .. MSG */
}

static void msg_fill(uint32_t i, unsigned char *b)
{
    memcpy(b, &i, 4);
    for (size_t k = 4; k < msg_len(i); k++)
        b[k] = (unsigned char)(i * 31u + k);
}

static void send_i(shmbox_t *sb, unsigned mbox, uint32_t i)
{
    unsigned char b[MSG];
    msg_fill(i, b);
    UT_RC(shmbox_send(sb, mbox, b, msg_len(i), SHMBOX_NO_WAIT), (int)0);
}

static void recv_i(shmbox_t *sb, unsigned mbox, uint32_t i)
{
    unsigned char want[MSG], got[MSG];
    msg_fill(i, want);
    int rc = shmbox_recv(sb, mbox, got, sizeof(got), SHMBOX_NO_WAIT);
    ck_assert_msg(rc == (int)msg_len(i), "mailbox %u, message %u: %s (%d)", mbox, (unsigned)i, shmbox_strerror(rc),
                  rc);
    uint32_t seq;
    memcpy(&seq, got, 4);
    ck_assert_msg(seq == i, "mailbox %u: got message %u, want %u (FIFO)", mbox, (unsigned)seq, (unsigned)i);
    ck_assert_mem_eq(got, want, msg_len(i));
}

START_TEST(every_length_round_trip)
{
    ut_create(&ut_sb[0], "len");
    unsigned char out[MSG], in[MSG + 8];
    for (size_t len = 0; len <= MSG; len++) {
        for (size_t k = 0; k < len; k++)
            out[k] = (unsigned char)(len + k);
        UT_RC(shmbox_send(&ut_sb[0], 0, out, len, SHMBOX_NO_WAIT), 0);
        memset(in, 0xee, sizeof(in));
        UT_RC(shmbox_recv(&ut_sb[0], 0, in, sizeof(in), SHMBOX_NO_WAIT), (int)len);
        ck_assert_mem_eq(in, out, len);
        ck_assert_uint_eq(in[len], 0xee); /* nothing written past the message */
    }
    /* Zero length with NULL pointers. */
    UT_RC(shmbox_send(&ut_sb[0], 0, NULL, 0, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_recv(&ut_sb[0], 0, NULL, 0, SHMBOX_NO_WAIT), 0);
}
END_TEST

START_TEST(fifo_full_empty_wraparound)
{
    ut_create(&ut_sb[0], "fifo");
    shmbox_t *sb = &ut_sb[0];
    uint32_t sent = 0, got = 0;
    /* Fill to the brim, drain, several times: the ring wraps. */
    for (unsigned round = 0; round < 3; round++) {
        for (unsigned i = 0; i < DEPTH; i++)
            send_i(sb, 1 % SHMBOX_MBOX_COUNT, sent++);
        UT_RC(shmbox_send(sb, 1 % SHMBOX_MBOX_COUNT, "z", 1, SHMBOX_NO_WAIT), -EAGAIN);
        for (unsigned i = 0; i < DEPTH; i++)
            recv_i(sb, 1 % SHMBOX_MBOX_COUNT, got++);
        char b[MSG];
        UT_RC(shmbox_recv(sb, 1 % SHMBOX_MBOX_COUNT, b, sizeof(b), SHMBOX_NO_WAIT), -EAGAIN);
    }
    /* Interleaved, at a changing fill level, across many wraps. */
    for (uint32_t step = 0; step < 10u * DEPTH; step++) {
        unsigned burst = 1u + step % 3u;
        for (unsigned k = 0; k < burst && sent - got < DEPTH; k++)
            send_i(sb, 1 % SHMBOX_MBOX_COUNT, sent++);
        if (step % 2u == 0 || sent - got == DEPTH)
            recv_i(sb, 1 % SHMBOX_MBOX_COUNT, got++);
    }
    while (got < sent)
        recv_i(sb, 1 % SHMBOX_MBOX_COUNT, got++);
}
END_TEST

START_TEST(mailboxes_are_independent)
{
    ut_create(&ut_sb[0], "indep");
    shmbox_t *sb = &ut_sb[0];
    for (unsigned m = 0; m < SHMBOX_MBOX_COUNT; m++)
        send_i(sb, m, 1000u + m);
    for (unsigned m = SHMBOX_MBOX_COUNT; m-- > 0;) {
        recv_i(sb, m, 1000u + m);
        char b[MSG];
        UT_RC(shmbox_recv(sb, m, b, sizeof(b), SHMBOX_NO_WAIT), -EAGAIN);
    }
    /* A full mailbox does not make another one full. */
    for (unsigned i = 0; i < DEPTH; i++)
        send_i(sb, 0, i);
    UT_RC(shmbox_send(sb, 0, "a", 1, SHMBOX_NO_WAIT), -EAGAIN);
#if CONFIG_SHMBOX_MBOX_COUNT > 1
    send_i(sb, SHMBOX_MBOX_COUNT - 1u, 7);
    recv_i(sb, SHMBOX_MBOX_COUNT - 1u, 7);
#endif
    recv_i(sb, 0, 0);
}
END_TEST

START_TEST(timeouts)
{
    ut_create(&ut_sb[0], "tmo");
    shmbox_t *sb = &ut_sb[0];
    char b[MSG];
    static const int32_t asked[] = {1, 50, 200};
    for (unsigned k = 0; k < 3; k++) {
        uint64_t t0 = ut_now_ms();
        UT_RC(shmbox_recv(sb, 0, b, sizeof(b), asked[k]), -ETIMEDOUT);
        UT_ELAPSED_OK(ut_now_ms() - t0, asked[k]);
        shmbox_slot_t s = 4u;
        t0 = ut_now_ms();
        UT_RC(shmbox_recv_slot(sb, 0, &s, NULL, asked[k]), -ETIMEDOUT);
        UT_ELAPSED_OK(ut_now_ms() - t0, asked[k]);
        ck_assert_uint_eq(s, 4u);
    }
    for (unsigned i = 0; i < DEPTH; i++)
        send_i(sb, 0, i);
    shmbox_slot_t s;
    UT_RC(shmbox_slot_alloc(sb, 1, &s, SHMBOX_NO_WAIT), 0);
    for (unsigned k = 0; k < 3; k++) {
        uint64_t t0 = ut_now_ms();
        UT_RC(shmbox_send(sb, 0, "x", 1, asked[k]), -ETIMEDOUT);
        UT_ELAPSED_OK(ut_now_ms() - t0, asked[k]);
        t0 = ut_now_ms();
        UT_RC(shmbox_send_slot(sb, 0, s, 1, asked[k]), -ETIMEDOUT);
        UT_ELAPSED_OK(ut_now_ms() - t0, asked[k]);
        ck_assert_ptr_nonnull(shmbox_slot_ptr(sb, s)); /* still ours */
    }
    UT_RC(shmbox_send_slot(sb, 0, s, 1, SHMBOX_NO_WAIT), -EAGAIN);
    ck_assert_ptr_nonnull(shmbox_slot_ptr(sb, s));
    UT_RC(shmbox_slot_free(sb, s), 0);
    /* Available at once: no wait whatever the timeout. */
    uint64_t t0 = ut_now_ms();
    UT_RC(shmbox_recv(sb, 0, b, sizeof(b), SHMBOX_FOREVER), (int)msg_len(0));
    UT_RC(shmbox_send(sb, 0, "x", 1, SHMBOX_FOREVER), 0);
    ck_assert_uint_lt(ut_now_ms() - t0, UT_SLACK_MS);
}
END_TEST

START_TEST(emsgsize_send_and_small_buffer_keeps_message)
{
    ut_create(&ut_sb[0], "size");
    shmbox_t *sb = &ut_sb[0];
    unsigned char big[MSG + 1];
    memset(big, 1, sizeof(big));
    UT_RC(shmbox_send(sb, 0, big, MSG + 1u, SHMBOX_NO_WAIT), -EMSGSIZE);
    UT_RC(shmbox_send(sb, 0, big, SIZE_MAX, SHMBOX_NO_WAIT), -EMSGSIZE);
    char b[MSG];
    UT_RC(shmbox_recv(sb, 0, b, sizeof(b), SHMBOX_NO_WAIT), -EAGAIN); /* nothing was queued */

    send_i(sb, 0, 21);
    send_i(sb, 0, 22);
    size_t len = msg_len(21);
    unsigned char got[MSG];
    memset(got, 0xcc, sizeof(got));
    UT_RC(shmbox_recv(sb, 0, got, len - 1u, SHMBOX_NO_WAIT), -EMSGSIZE);
    UT_RC(shmbox_recv(sb, 0, got, 0, SHMBOX_NO_WAIT), -EMSGSIZE);
    UT_RC(shmbox_recv(sb, 0, NULL, 0, SHMBOX_NO_WAIT), -EMSGSIZE);
    for (size_t k = 0; k < sizeof(got); k++)
        ck_assert_uint_eq(got[k], 0xcc); /* the buffer was not written */
    struct shmbox_stat st;
    UT_RC(shmbox_stat(sb, &st), 0);
    ck_assert_uint_eq(st.mbox[0].count, 2);
    /* Nothing lost, order kept. */
    recv_i(sb, 0, 21);
    recv_i(sb, 0, 22);
    /* A buffer of exactly the message's length is enough. */
    send_i(sb, 0, 23);
    UT_RC(shmbox_recv(sb, 0, got, msg_len(23), SHMBOX_NO_WAIT), (int)msg_len(23));
}
END_TEST

START_TEST(enomsg_wrong_kind_stays_queued)
{
    ut_create(&ut_sb[0], "kind");
    shmbox_t *sb = &ut_sb[0];
    shmbox_slot_t s, r = 99u;
    UT_RC(shmbox_slot_alloc(sb, 1, &s, SHMBOX_NO_WAIT), 0);
    memcpy(shmbox_slot_ptr(sb, s), "slot!", 5);
    send_i(sb, 0, 1);
    UT_RC(shmbox_send_slot(sb, 0, s, 5, SHMBOX_NO_WAIT), 0);
    send_i(sb, 0, 3);

    size_t len = 77;
    UT_RC(shmbox_recv_slot(sb, 0, &r, &len, SHMBOX_NO_WAIT), -ENOMSG); /* a copy first */
    ck_assert_uint_eq(r, 99u);
    ck_assert_uint_eq(len, 77u);
    recv_i(sb, 0, 1);
    char b[MSG];
    UT_RC(shmbox_recv(sb, 0, b, sizeof(b), SHMBOX_NO_WAIT), -ENOMSG); /* a slot next */
    UT_RC(shmbox_recv(sb, 0, b, sizeof(b), 50), -ENOMSG);             /* not a wait */
    UT_RC(shmbox_recv_slot(sb, 0, &r, &len, SHMBOX_NO_WAIT), 0);
    ck_assert_uint_eq(r, s);
    ck_assert_uint_eq(len, 5);
    ck_assert_mem_eq(shmbox_slot_ptr(sb, r), "slot!", 5);
    recv_i(sb, 0, 3);
    UT_RC(shmbox_slot_free(sb, r), 0);
}
END_TEST

START_TEST(slot_ownership_through_mailbox)
{
    const char *name = ut_create(&ut_sb[0], "own");
    UT_RC(shmbox_open(&ut_sb[1], name, SHMBOX_NO_WAIT), 0);
    shmbox_t *a = &ut_sb[0], *b = &ut_sb[1];
    for (unsigned p = 0; p < UT_POOLS; p++) {
        shmbox_slot_t s, r;
        UT_RC(shmbox_slot_alloc(a, ut_slot_size[p], &s, SHMBOX_NO_WAIT), 0);
        unsigned char *ptr = shmbox_slot_ptr(a, s);
        size_t n = ut_slot_size[p];
        for (size_t k = 0; k < n; k++)
            ptr[k] = (unsigned char)(k * 13u + p);
        UT_RC(shmbox_send_slot(a, 0, s, n + 1u, SHMBOX_NO_WAIT), -EMSGSIZE);
#ifndef CONFIG_SHMBOX_MINIMAL_CORE /* the minimal core's slots have no owner */
        UT_RC(shmbox_send_slot(b, 0, s, n, SHMBOX_NO_WAIT), -EINVAL); /* not b's */
#endif
        UT_RC(shmbox_send_slot(a, SHMBOX_MBOX_COUNT, s, n, SHMBOX_NO_WAIT), -EINVAL);
        UT_RC(shmbox_send_slot(a, 0, s, n, -2), -EINVAL);
        ck_assert_ptr_eq(shmbox_slot_ptr(a, s), ptr); /* failures kept it a's */

        UT_RC(shmbox_send_slot(a, 0, s, n, SHMBOX_NO_WAIT), 0);
        /* Queued: owned by the mailbox, not usable by anyone. */
        ck_assert_ptr_null(shmbox_slot_ptr(a, s));
        ck_assert_uint_eq(shmbox_slot_size(a, s), 0);
        UT_RC(shmbox_slot_free(a, s), -EINVAL);
        UT_RC(shmbox_send_slot(a, 0, s, n, SHMBOX_NO_WAIT), -EINVAL);
        struct shmbox_stat st;
        UT_RC(shmbox_stat(a, &st), 0);
        ck_assert_uint_eq(st.pool[p].used, 1); /* queued slots count as used */

        size_t len = 0;
        UT_RC(shmbox_recv_slot(b, 0, &r, &len, SHMBOX_NO_WAIT), 0);
        ck_assert_uint_eq(r, s);
        ck_assert_uint_eq(len, n);
        unsigned char *q = shmbox_slot_ptr(b, r);
        /* zero copy: the same memory (each handle has its own mapping) */
        ck_assert_uint_eq((uintptr_t)(q - b->base), (uintptr_t)(ptr - a->base));
        ck_assert_uint_eq(shmbox_slot_size(b, r), n);
        for (size_t k = 0; k < n; k++)
            ck_assert_uint_eq(q[k], (unsigned char)(k * 13u + p));
        /* b owns it now: a cannot send it; b can, then frees it. */
#ifndef CONFIG_SHMBOX_MINIMAL_CORE
        UT_RC(shmbox_send_slot(a, 0, r, 1, SHMBOX_NO_WAIT), -EINVAL);
#endif
        UT_RC(shmbox_send_slot(b, 0, r, 0, SHMBOX_NO_WAIT), 0);
        UT_RC(shmbox_recv_slot(a, 0, &r, NULL, SHMBOX_NO_WAIT), 0);
        UT_RC(shmbox_slot_free(a, r), 0);
        UT_RC(shmbox_slot_free(a, r), -EALREADY);
        UT_RC(shmbox_send_slot(a, 0, r, 0, SHMBOX_NO_WAIT), -EINVAL); /* freed */
    }
    /* A queued slot survives its sender's close and is not reclaimed. */
    shmbox_slot_t s, r;
    UT_RC(shmbox_slot_alloc(b, 1, &s, SHMBOX_NO_WAIT), 0);
    memcpy(shmbox_slot_ptr(b, s), "kept", 4);
    UT_RC(shmbox_send_slot(b, 0, s, 4, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_close(b), 0);
    UT_RC(shmbox_reclaim(a), 0);
    UT_RC(shmbox_recv_slot(a, 0, &r, NULL, SHMBOX_NO_WAIT), 0);
    ck_assert_mem_eq(shmbox_slot_ptr(a, r), "kept", 4);
}
END_TEST

START_TEST(argument_errors)
{
    ut_create(&ut_sb[0], "args");
    shmbox_t *sb = &ut_sb[0];
    char b[MSG];
    shmbox_slot_t s, r = 5u;
    UT_RC(shmbox_slot_alloc(sb, 1, &s, SHMBOX_NO_WAIT), 0);
    static const unsigned bad_mbox[] = {SHMBOX_MBOX_COUNT, SHMBOX_MBOX_COUNT + 1u, 0x7fffffffu, ~0u};
    for (unsigned i = 0; i < 4; i++) {
        unsigned m = bad_mbox[i];
        UT_RC(shmbox_send(sb, m, "x", 1, SHMBOX_NO_WAIT), -EINVAL);
        UT_RC(shmbox_recv(sb, m, b, sizeof(b), SHMBOX_NO_WAIT), -EINVAL);
        UT_RC(shmbox_send_slot(sb, m, s, 1, SHMBOX_NO_WAIT), -EINVAL);
        UT_RC(shmbox_recv_slot(sb, m, &r, NULL, SHMBOX_NO_WAIT), -EINVAL);
    }
    UT_RC(shmbox_send(sb, 0, NULL, 1, SHMBOX_NO_WAIT), -EINVAL);
    UT_RC(shmbox_recv(sb, 0, NULL, 1, SHMBOX_NO_WAIT), -EINVAL);
    UT_RC(shmbox_recv_slot(sb, 0, NULL, NULL, SHMBOX_NO_WAIT), -EINVAL);
    static const int32_t bad_timeout[] = {-2, -1000, INT32_MIN};
    for (unsigned i = 0; i < 3; i++) {
        int32_t t = bad_timeout[i];
        UT_RC(shmbox_send(sb, 0, "x", 1, t), -EINVAL);
        UT_RC(shmbox_recv(sb, 0, b, sizeof(b), t), -EINVAL);
        UT_RC(shmbox_send_slot(sb, 0, s, 1, t), -EINVAL);
        UT_RC(shmbox_recv_slot(sb, 0, &r, NULL, t), -EINVAL);
    }
    /* Nothing was queued by any of those. */
    UT_RC(shmbox_recv(sb, 0, b, sizeof(b), SHMBOX_NO_WAIT), -EAGAIN);
    /* Not open: never opened, NULL, closed. */
    shmbox_t *none[2] = {NULL, &ut_sb[1]};
    for (unsigned i = 0; i < 3; i++) {
        shmbox_t *x = i < 2 ? none[i] : sb;
        if (i == 2)
            UT_RC(shmbox_close(sb), 0);
        UT_RC(shmbox_send(x, 0, "x", 1, SHMBOX_NO_WAIT), -EINVAL);
        UT_RC(shmbox_recv(x, 0, b, sizeof(b), SHMBOX_NO_WAIT), -EINVAL);
        UT_RC(shmbox_send_slot(x, 0, s, 1, SHMBOX_NO_WAIT), -EINVAL);
        UT_RC(shmbox_recv_slot(x, 0, &r, NULL, SHMBOX_NO_WAIT), -EINVAL);
    }
    ck_assert_uint_eq(r, 5u);
}
END_TEST

START_TEST(corrupt_mailbox_ebadmsg)
{
    ut_create(&ut_sb[0], "cmbox");
    shmbox_t *sb = &ut_sb[0];
    ut_mbox_t *m = ut_mbox(sb, 0);
    char b[MSG];
    shmbox_slot_t s = 8u;

    /* More messages than the depth. */
    uint32_t tail = m->tail;
    m->tail = m->head + DEPTH + 1u;
    UT_RC(shmbox_send(sb, 0, "x", 1, SHMBOX_NO_WAIT), -EBADMSG);
    UT_RC(shmbox_recv(sb, 0, b, sizeof(b), SHMBOX_NO_WAIT), -EBADMSG);
    UT_RC(shmbox_recv_slot(sb, 0, &s, NULL, SHMBOX_NO_WAIT), -EBADMSG);
    shmbox_slot_t mine;
    UT_RC(shmbox_slot_alloc(sb, 1, &mine, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_send_slot(sb, 0, mine, 1, SHMBOX_NO_WAIT), -EBADMSG);
    ck_assert_ptr_nonnull(shmbox_slot_ptr(sb, mine)); /* still ours */
    UT_RC(shmbox_slot_free(sb, mine), 0);
    m->tail = tail;

    /* A copied message longer than the configured size. */
    send_i(sb, 0, 5);
    struct shmbox_mbox_entry *e = ut_entry(sb, 0, m->head);
    uint32_t len = e->len;
    e->len = MSG + 1u;
    UT_RC(shmbox_recv(sb, 0, b, sizeof(b), SHMBOX_NO_WAIT), -EBADMSG);
    e->len = 0xffffffffu;
    UT_RC(shmbox_recv(sb, 0, b, sizeof(b), SHMBOX_NO_WAIT), -EBADMSG);
    e->len = len;
    recv_i(sb, 0, 5);

    /* A slot message longer than its slot, and one naming no slot. */
    shmbox_slot_t t;
    UT_RC(shmbox_slot_alloc(sb, 1, &t, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_send_slot(sb, 0, t, 1, SHMBOX_NO_WAIT), 0);
    e = ut_entry(sb, 0, m->head);
    e->len = ut_slot_size[0] + 1u;
    UT_RC(shmbox_recv_slot(sb, 0, &s, NULL, SHMBOX_NO_WAIT), -EBADMSG);
    ck_assert_uint_eq(s, 8u);
    ck_assert_ptr_null(shmbox_slot_ptr(sb, t)); /* still the mailbox's */
    e->len = 1;
    shmbox_slot_t real = e->slot;
    e->slot = 0x00ffffffu; /* index out of range */
    UT_RC(shmbox_recv_slot(sb, 0, &s, NULL, SHMBOX_NO_WAIT), -EBADMSG);
    e->slot = real;
    UT_RC(shmbox_recv_slot(sb, 0, &s, NULL, SHMBOX_NO_WAIT), 0);
    ck_assert_uint_eq(s, t);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("mailbox");
    TCase *tc = ut_tcase("mailbox");
    tcase_add_test(tc, every_length_round_trip);
    tcase_add_test(tc, fifo_full_empty_wraparound);
    tcase_add_test(tc, mailboxes_are_independent);
    tcase_add_test(tc, timeouts);
    tcase_add_test(tc, emsgsize_send_and_small_buffer_keeps_message);
    tcase_add_test(tc, enomsg_wrong_kind_stays_queued);
    tcase_add_test(tc, slot_ownership_through_mailbox);
    tcase_add_test(tc, argument_errors);
    tcase_add_test(tc, corrupt_mailbox_ebadmsg);
    suite_add_tcase(s, tc);
    return ut_run(s);
}
