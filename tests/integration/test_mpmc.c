// SPDX-License-Identifier: MIT
/*
 * Many producers, many consumers, one mailbox, real processes: 3 producer
 * and 2 consumer processes exchange 102,000 messages through mailbox 0.
 * Every message carries (producer, sequence) and a length and bytes that
 * are a function of both. Each consumer checks the bytes and that the
 * sequence of every producer only increases (FIFO per producer), marks
 * what it got in a bitmap and sends the bitmap to the parent through a
 * pipe; the parent checks that every message arrived exactly once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mp.h"

#define PRODUCERS 3
#define CONSUMERS 2
#define PER_PRODUCER 34000u /* 102,000 messages */
#define MSG CONFIG_SHMBOX_MSG_SIZE
#define STOP 0xffu
#define BITMAP_BYTES ((PRODUCERS * PER_PRODUCER + 7u) / 8u)

struct hdr {
    uint32_t seq;
    uint8_t producer;
    uint8_t len;  /* low byte of the length, a cheap self-check */
    uint8_t pad[2];
};

static size_t msg_len(unsigned p, uint32_t seq)
{
    return sizeof(struct hdr) + (seq * 7u + p) % (MSG - sizeof(struct hdr) + 1u);
}

static uint8_t msg_byte(unsigned p, uint32_t seq, size_t k)
{
    return (uint8_t)(seq * 131u + p * 17u + k);
}

static const char *region;

struct report {
    uint32_t received;
    uint32_t dup;
    uint32_t order;
    uint32_t corrupt;
    int32_t error; /* a failed shmbox call, or 0 */
};

struct consumer_arg {
    int fd; /* write end of the report pipe */
};

static int producer(void *arg)
{
    unsigned p = (unsigned)(uintptr_t)arg;
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    if (shmbox_open(&sb, region, MP_CALL_MS) < 0)
        return MP_EOPEN;
    unsigned char m[MSG];
    for (uint32_t seq = 0; seq < PER_PRODUCER; seq++) {
        size_t len = msg_len(p, seq);
        struct hdr h = {seq, (uint8_t)p, (uint8_t)len, {0, 0}};
        memcpy(m, &h, sizeof(h));
        for (size_t k = sizeof(h); k < len; k++)
            m[k] = msg_byte(p, seq, k);
        if (shmbox_send(&sb, 0, m, len, MP_CALL_MS) < 0)
            return MP_ECALL;
    }
    shmbox_close(&sb);
    return MP_OK;
}

static int consumer(void *arg)
{
    struct consumer_arg *a = arg;
    static uint8_t bitmap[BITMAP_BYTES];
    struct report r = {0, 0, 0, 0, 0};
    int64_t last[PRODUCERS];
    for (unsigned p = 0; p < PRODUCERS; p++)
        last[p] = -1;
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    int rc = shmbox_open(&sb, region, MP_CALL_MS);
    if (rc < 0) {
        r.error = rc;
    } else {
        unsigned char m[MSG];
        for (;;) {
            rc = shmbox_recv(&sb, 0, m, sizeof(m), MP_CALL_MS);
            if (rc < 0) {
                r.error = rc;
                break;
            }
            struct hdr h;
            if ((size_t)rc < sizeof(h)) {
                r.corrupt++;
                continue;
            }
            memcpy(&h, m, sizeof(h));
            if (h.producer == STOP)
                break;
            if (h.producer >= PRODUCERS || h.seq >= PER_PRODUCER || (size_t)rc != msg_len(h.producer, h.seq) ||
                h.len != (uint8_t)rc) {
                r.corrupt++;
                continue;
            }
            for (size_t k = sizeof(h); k < (size_t)rc; k++)
                if (m[k] != msg_byte(h.producer, h.seq, k)) {
                    r.corrupt++;
                    break;
                }
            if ((int64_t)h.seq <= last[h.producer])
                r.order++;
            last[h.producer] = h.seq;
            uint32_t bit = h.producer * PER_PRODUCER + h.seq;
            if (bitmap[bit / 8u] & (1u << (bit % 8u)))
                r.dup++;
            bitmap[bit / 8u] = (uint8_t)(bitmap[bit / 8u] | (1u << (bit % 8u)));
            r.received++;
        }
        shmbox_close(&sb);
    }
    if (mp_write(a->fd, &r, sizeof(r)) < 0 || mp_write(a->fd, bitmap, sizeof(bitmap)) < 0)
        return MP_EPIPE;
    return MP_OK;
}

START_TEST(three_producers_two_consumers_exactly_once_in_order)
{
    region = mp_create("mpmc");
    uint64_t t0 = mp_now_ms();
    int fds[CONSUMERS][2];
    struct consumer_arg ca[CONSUMERS];
    pid_t cons[CONSUMERS], prod[PRODUCERS];
    for (unsigned c = 0; c < CONSUMERS; c++) {
        ck_assert_int_eq(pipe(fds[c]), 0);
        ca[c].fd = fds[c][1];
        cons[c] = mp_spawn(consumer, &ca[c]);
        close(fds[c][1]);
    }
    for (unsigned p = 0; p < PRODUCERS; p++)
        prod[p] = mp_spawn(producer, (void *)(uintptr_t)p);
    for (unsigned p = 0; p < PRODUCERS; p++)
        MP_CHILD_OK(prod[p], 120000);
    /* Everything is queued before the stops: FIFO puts them last. */
    struct hdr stop = {0, STOP, sizeof(stop), {0, 0}};
    for (unsigned c = 0; c < CONSUMERS; c++)
        MP_RC(shmbox_send(&mp_sb, 0, &stop, sizeof(stop), MP_CALL_MS), 0);

    static uint8_t bitmap[CONSUMERS][BITMAP_BYTES];
    struct report r[CONSUMERS];
    uint32_t total = 0;
    for (unsigned c = 0; c < CONSUMERS; c++) {
        ck_assert_int_eq(mp_read(fds[c][0], &r[c], sizeof(r[c])), 0);
        ck_assert_int_eq(mp_read(fds[c][0], bitmap[c], BITMAP_BYTES), 0);
        close(fds[c][0]);
        MP_CHILD_OK(cons[c], 60000);
        ck_assert_msg(r[c].error == 0, "consumer %u: %s", c, shmbox_strerror(r[c].error));
        ck_assert_msg(r[c].corrupt == 0, "consumer %u: %u corrupt messages", c, r[c].corrupt);
        ck_assert_msg(r[c].order == 0, "consumer %u: %u messages out of producer order", c, r[c].order);
        ck_assert_msg(r[c].dup == 0, "consumer %u: %u duplicates", c, r[c].dup);
        total += r[c].received;
    }
    uint32_t missing = 0, twice = 0;
    for (uint32_t bit = 0; bit < PRODUCERS * PER_PRODUCER; bit++) {
        unsigned n = 0;
        for (unsigned c = 0; c < CONSUMERS; c++)
            n += (bitmap[c][bit / 8u] >> (bit % 8u)) & 1u;
        missing += n == 0;
        twice += n > 1;
    }
    ck_assert_msg(missing == 0 && twice == 0, "%u messages lost, %u delivered twice", missing, twice);
    ck_assert_uint_eq(total, PRODUCERS * PER_PRODUCER);

    struct shmbox_stat st;
    MP_RC(shmbox_stat(&mp_sb, &st), 0);
    ck_assert_uint_eq(st.mbox[0].count, 0);
#ifdef CONFIG_SHMBOX_STATS
    ck_assert_uint_eq(st.mbox[0].sent, PRODUCERS * PER_PRODUCER + CONSUMERS);
    ck_assert_uint_eq(st.mbox[0].received, PRODUCERS * PER_PRODUCER + CONSUMERS);
    ck_assert_uint_le(st.mbox[0].peak, CONFIG_SHMBOX_MBOX_DEPTH);
#endif
    ck_assert_uint_eq(st.attached, 1);
    /* No share per consumer is promised: on one CPU, or with one consumer
     * spinning while the other sleeps, one may take nearly everything. */
    printf("mpmc: %u messages, consumers got %u + %u, %llu ms\n", total, r[0].received, r[1].received,
           (unsigned long long)(mp_now_ms() - t0));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("mpmc");
    TCase *tc = mp_tcase("mpmc");
    tcase_add_test(tc, three_producers_two_consumers_exactly_once_in_order);
    suite_add_tcase(s, tc);
    return mp_run(s);
}
