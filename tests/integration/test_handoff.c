// SPDX-License-Identifier: MIT
/*
 * Zero-copy slot hand-off between processes. A producer process allocates
 * slots of every pool, fills each with bytes that are a function of the
 * slot's sequence number, and sends them (send_slot) to a consumer
 * process, which checks every byte, inverts them and sends the slot back
 * on another mailbox; the producer checks every byte again and frees the
 * slot. At the end no slot is in use.
 */
#include <stdio.h>
#include <string.h>

#include "mp.h"

#define HANDOFFS 2000u
#define TO_CONSUMER 0u
#define BACK (1u % SHMBOX_MBOX_COUNT)
/* With one mailbox the consumer frees the slots instead of returning them. */
#define TWO_WAY (SHMBOX_MBOX_COUNT > 1)

static const char *region;

static uint32_t slot_sizes[SHMBOX_POOL_COUNT];

/* Length of hand-off i: cycles through the pools, sizes within each. */
static size_t handoff_len(uint32_t i)
{
    unsigned p = i % SHMBOX_POOL_COUNT;
    uint32_t lo = p == 0 ? 1u : slot_sizes[p - 1] + 1u;
    uint32_t hi = slot_sizes[p];
    /* Cap the very large pools: the point is the hand-off, not memset. */
    if (hi > 262144u)
        hi = lo + 262144u > hi ? hi : lo + 262144u;
    return lo + (i * 2654435761u) % (hi - lo + 1u);
}

static uint8_t byte_at(uint32_t i, size_t k)
{
    return (uint8_t)((i * 2654435761u) >> 24 ^ k * 167u ^ k >> 8);
}

static int producer(void *arg)
{
    (void)arg;
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    if (shmbox_open(&sb, region, MP_CALL_MS) < 0)
        return MP_EOPEN;
    uint32_t sent = 0, back = 0;
    while (back < HANDOFFS) {
        /* Keep a few in flight (fewer than the smallest pool and depth). */
        if (sent < HANDOFFS && (sent - back < 4u || !TWO_WAY)) {
            size_t len = handoff_len(sent);
            shmbox_slot_t s;
            if (shmbox_slot_alloc(&sb, len, &s, MP_CALL_MS) < 0)
                return MP_ECALL;
            uint8_t *p = shmbox_slot_ptr(&sb, s);
            if (p == NULL || shmbox_slot_size(&sb, s) < len)
                return MP_ECALL;
            memcpy(p, &sent, sizeof(sent) <= len ? sizeof(sent) : len);
            for (size_t k = sizeof(sent); k < len; k++)
                p[k] = byte_at(sent, k);
            if (shmbox_send_slot(&sb, TO_CONSUMER, s, len, MP_CALL_MS) < 0)
                return MP_ECALL;
            sent++;
            if (!TWO_WAY)
                back++;
            continue;
        }
        shmbox_slot_t s;
        size_t len;
        if (shmbox_recv_slot(&sb, BACK, &s, &len, MP_CALL_MS) < 0)
            return MP_ECALL;
        if (len != handoff_len(back))
            return MP_EORDER;
        const uint8_t *p = shmbox_slot_ptr(&sb, s);
        if (p == NULL)
            return MP_ECALL;
        uint32_t seq = back;
        for (size_t k = sizeof(seq); k < len; k++) {
            uint8_t want = (uint8_t)(0xffu ^ byte_at(seq, k));
            if (p[k] != want)
                return MP_EDATA;
        }
        if (shmbox_slot_free(&sb, s) < 0)
            return MP_ECALL;
        back++;
    }
    shmbox_close(&sb);
    return MP_OK;
}

static int consumer(void *arg)
{
    (void)arg;
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    if (shmbox_open(&sb, region, MP_CALL_MS) < 0)
        return MP_EOPEN;
    for (uint32_t i = 0; i < HANDOFFS; i++) {
        shmbox_slot_t s;
        size_t len;
        if (shmbox_recv_slot(&sb, TO_CONSUMER, &s, &len, MP_CALL_MS) < 0)
            return MP_ECALL;
        uint8_t *p = shmbox_slot_ptr(&sb, s);
        if (p == NULL || len != handoff_len(i) || shmbox_slot_size(&sb, s) < len)
            return MP_ECALL;
        uint32_t seq = 0;
        memcpy(&seq, p, sizeof(seq) <= len ? sizeof(seq) : len);
        if (len >= sizeof(seq) && seq != i)
            return MP_EORDER;
        for (size_t k = sizeof(seq); k < len; k++) {
            if (p[k] != byte_at(i, k))
                return MP_EDATA;
            p[k] = (uint8_t)(0xffu ^ p[k]);
        }
        if (!TWO_WAY) {
            if (shmbox_slot_free(&sb, s) < 0)
                return MP_ECALL;
        } else if (shmbox_send_slot(&sb, BACK, s, len, MP_CALL_MS) < 0) {
            return MP_ECALL;
        }
    }
    shmbox_close(&sb);
    return MP_OK;
}

START_TEST(slots_handed_over_and_back_verified)
{
    region = mp_create("hand");
    struct shmbox_stat st;
    MP_RC(shmbox_stat(&mp_sb, &st), 0);
    for (unsigned p = 0; p < SHMBOX_POOL_COUNT; p++)
        slot_sizes[p] = st.pool[p].slot_size;
    uint64_t t0 = mp_now_ms();
    pid_t c = mp_spawn(consumer, NULL);
    pid_t p = mp_spawn(producer, NULL);
    MP_CHILD_OK(p, 120000);
    MP_CHILD_OK(c, 30000);
    MP_RC(shmbox_stat(&mp_sb, &st), 0);
    for (unsigned k = 0; k < SHMBOX_POOL_COUNT; k++) {
        ck_assert_uint_eq(st.pool[k].used, 0);
#ifdef CONFIG_SHMBOX_STATS
        ck_assert_uint_gt(st.pool[k].peak, 0); /* every pool took part */
#endif
    }
    ck_assert_uint_eq(st.mbox[TO_CONSUMER].count, 0);
    ck_assert_uint_eq(st.mbox[BACK].count, 0);
    printf("handoff: %u slots there and back, %llu ms\n", HANDOFFS, (unsigned long long)(mp_now_ms() - t0));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("handoff");
    TCase *tc = mp_tcase("handoff");
    tcase_add_test(tc, slots_handed_over_and_back_verified);
    suite_add_tcase(s, tc);
    return mp_run(s);
}
