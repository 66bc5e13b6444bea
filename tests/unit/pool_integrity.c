// SPDX-License-Identifier: MIT
/*
 * Slot integrity (unit_pool, with test_pool.c): forged handles and
 * SHMBOX_SLOT_NONE, 64-byte alignment and slot_size without overlap,
 * freeing on close, reclaim of a dead owner's slots, and a corrupt pool.
 */
#include <stdlib.h>
#include <string.h>

#include "internals.h"
#include "pool_tests.h"
#include "unit.h"

static uint32_t xorshift(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

static int cmp_handle(const void *a, const void *b)
{
    shmbox_slot_t x = *(const shmbox_slot_t *)a, y = *(const shmbox_slot_t *)b;
    return x < y ? -1 : x > y;
}

START_TEST(forged_handles)
{
    ut_create(&ut_sb[0], "forge");
    shmbox_t *sb = &ut_sb[0];
    UT_RC(shmbox_slot_free(sb, SHMBOX_SLOT_NONE), -EINVAL);
    ck_assert_ptr_null(shmbox_slot_ptr(sb, SHMBOX_SLOT_NONE));
    ck_assert_uint_eq(shmbox_slot_size(sb, SHMBOX_SLOT_NONE), 0);
    UT_RC(shmbox_send_slot(sb, 0, SHMBOX_SLOT_NONE, 0, SHMBOX_NO_WAIT), -EINVAL);

    /* Nothing allocated: no value is a handle. */
    uint32_t x = 0x9e3779b9u;
    for (unsigned i = 0; i < 20000; i++) {
        shmbox_slot_t f = i < 32 ? (shmbox_slot_t)1u << i : i < 64 ? ~((shmbox_slot_t)1u << (i - 32)) : xorshift(&x);
        ck_assert_ptr_null(shmbox_slot_ptr(sb, f));
        ck_assert_uint_eq(shmbox_slot_size(sb, f), 0);
        int rc = shmbox_slot_free(sb, f);
        ck_assert_msg(rc == -EINVAL || rc == -EALREADY, "free(0x%08x) of nothing: %s", (unsigned)f, shmbox_strerror(rc));
    }
    struct shmbox_stat st;
    UT_RC(shmbox_stat(sb, &st), 0);
    for (unsigned p = 0; p < UT_POOLS; p++)
        ck_assert_uint_eq(st.pool[p].used, 0);

    /* Everything allocated: single-bit changes of real pool_handles never free
     * anything else (unless they hit another real handle). */
    pool_alloc_all(sb, 1);
    uint32_t total = ut_total_slots();
    shmbox_slot_t *sorted = calloc(total, sizeof(*sorted));
    ck_assert_ptr_nonnull(sorted);
    memcpy(sorted, pool_handles, total * sizeof(*sorted));
    qsort(sorted, total, sizeof(*sorted), cmp_handle);
    for (uint32_t k = 0; k < total; k += 1u + total / 64u) {
        for (unsigned b = 0; b < 32; b++) {
            shmbox_slot_t f = pool_handles[k] ^ ((shmbox_slot_t)1u << b);
            if (f == SHMBOX_SLOT_NONE || bsearch(&f, sorted, total, sizeof(f), cmp_handle) != NULL)
                continue;
            ck_assert_ptr_null(shmbox_slot_ptr(sb, f));
            ck_assert_uint_eq(shmbox_slot_size(sb, f), 0);
            int rc = shmbox_slot_free(sb, f);
            ck_assert_msg(rc == -EINVAL || rc == -EALREADY, "free(0x%08x), forged from 0x%08x: %s", (unsigned)f, (unsigned)pool_handles[k],
                          shmbox_strerror(rc));
            UT_RC(shmbox_send_slot(sb, 0, f, 0, SHMBOX_NO_WAIT), -EINVAL);
        }
    }
    free(sorted);
    UT_RC(shmbox_stat(sb, &st), 0);
    for (unsigned p = 0; p < UT_POOLS; p++)
        ck_assert_uint_eq(st.pool[p].used, ut_slot_count[p]);
    for (uint32_t k = 0; k < total; k++)
        ck_assert_ptr_nonnull(shmbox_slot_ptr(sb, pool_handles[k]));
}
END_TEST

START_TEST(alignment_and_size_no_overlap)
{
    ut_create(&ut_sb[0], "align");
    shmbox_t *sb = &ut_sb[0];
    pool_alloc_all(sb, 1);
    uint32_t total = ut_total_slots();
    /* Stamp the first and last bytes (whole slots when small) of every slot. */
    for (uint32_t k = 0; k < total; k++) {
        unsigned char *p = shmbox_slot_ptr(sb, pool_handles[k]);
        size_t n = shmbox_slot_size(sb, pool_handles[k]);
        ck_assert_ptr_nonnull(p);
        ck_assert_msg(((uintptr_t)p % 64u) == 0, "slot %u at %p is not 64-byte aligned", (unsigned)k, (void *)p);
        size_t edge = n <= 8192u ? n : 4096u;
        memset(p, (int)(k * 7u + 1u), edge);
        memset(p + n - edge, (int)(k * 7u + 1u), edge);
    }
    for (uint32_t k = 0; k < total; k++) {
        unsigned char *p = shmbox_slot_ptr(sb, pool_handles[k]);
        size_t n = shmbox_slot_size(sb, pool_handles[k]);
        size_t edge = n <= 8192u ? n : 4096u;
        for (size_t i = 0; i < edge; i++) {
            ck_assert_msg(p[i] == (unsigned char)(k * 7u + 1u) && p[n - 1u - i] == (unsigned char)(k * 7u + 1u),
                          "slot %u overwritten by a neighbour", (unsigned)k);
        }
    }
}
END_TEST

#ifndef CONFIG_SHMBOX_MINIMAL_CORE
START_TEST(close_frees_owned_slots)
{
    const char *name = ut_create(&ut_sb[0], "cfree");
    UT_RC(shmbox_open(&ut_sb[1], name, SHMBOX_NO_WAIT), 0);
    shmbox_slot_t mine[3], theirs;
    for (unsigned i = 0; i < 3; i++)
        UT_RC(shmbox_slot_alloc(&ut_sb[1], ut_slot_size[i % UT_POOLS], &mine[i], SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_slot_alloc(&ut_sb[0], 1, &theirs, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_close(&ut_sb[1]), 0);
    struct shmbox_stat st;
    UT_RC(shmbox_stat(&ut_sb[0], &st), 0);
    uint32_t used = 0;
    for (unsigned p = 0; p < UT_POOLS; p++)
        used += st.pool[p].used;
    ck_assert_uint_eq(used, 1);
    for (unsigned i = 0; i < 3; i++)
        ck_assert_ptr_null(shmbox_slot_ptr(&ut_sb[0], mine[i]));
    ck_assert_ptr_nonnull(shmbox_slot_ptr(&ut_sb[0], theirs));
}
END_TEST

START_TEST(reclaim_dead_owner)
{
    ut_create(&ut_sb[0], "recl");
    shmbox_t *sb = &ut_sb[0];
    struct shmbox_hdr *h = (struct shmbox_hdr *)(void *)sb->base;
    UT_RC(shmbox_reclaim(NULL), -EINVAL);
    UT_RC(shmbox_reclaim(&ut_sb[1]), -EINVAL);
    UT_RC(shmbox_reclaim(sb), 0); /* nobody dead */

    /* A process-table entry of a process that is gone (its token does not
     * match this process's), owning two slots; one more slot is queued. */
    uint32_t dead_i = sb->proc_index == 0 ? 1u : 0u;
    ck_assert_uint_lt(dead_i, CONFIG_SHMBOX_MAX_PROCS);
    uint64_t token = shmbox_port_proc_token(shmbox_port_pid()) + 1u;
    atomic_store(&h->procs[dead_i].token_lo, (uint32_t)token);
    atomic_store(&h->procs[dead_i].token_hi, (uint32_t)(token >> 32));
    atomic_store(&h->procs[dead_i].pid, shmbox_port_pid());
    shmbox_slot_t s[4];
    for (unsigned i = 0; i < 4; i++)
        UT_RC(shmbox_slot_alloc(sb, 1, &s[i], SHMBOX_NO_WAIT), 0);
    for (unsigned i = 0; i < 2; i++) {
        unsigned pool;
        uint32_t idx;
        UT_RC(sbx_slot_decode(sb, s[i], &pool, &idx), 0);
        atomic_store(&sbx_desc_of(sb, pool)[idx].owner, dead_i + 1u);
    }
    UT_RC(shmbox_send_slot(sb, 0, s[2], 1, SHMBOX_NO_WAIT), 0);

    UT_RC(shmbox_reclaim(sb), 2);
    UT_RC(shmbox_reclaim(sb), 0);
    ck_assert_ptr_null(shmbox_slot_ptr(sb, s[0]));
    ck_assert_ptr_null(shmbox_slot_ptr(sb, s[1]));
    ck_assert_ptr_nonnull(shmbox_slot_ptr(sb, s[3]));
    shmbox_slot_t r;
    size_t len = 0;
    UT_RC(shmbox_recv_slot(sb, 0, &r, &len, SHMBOX_NO_WAIT), 0); /* the queued one was left alone */
    ck_assert_uint_eq(r, s[2]);
    struct shmbox_stat st;
    UT_RC(shmbox_stat(sb, &st), 0);
    ck_assert_uint_eq(st.pool[0].used, 2);
    atomic_store(&h->procs[dead_i].pid, 0u);
}
END_TEST
#else
/* The minimal core: slots have no owner. A close frees none of the slots
 * its handle allocated (any handle may still use and free them), and a
 * reclaim has nothing to do. */
START_TEST(close_frees_owned_slots)
{
    const char *name = ut_create(&ut_sb[0], "cfree");
    UT_RC(shmbox_open(&ut_sb[1], name, SHMBOX_NO_WAIT), 0);
    shmbox_slot_t mine;
    UT_RC(shmbox_slot_alloc(&ut_sb[1], 1, &mine, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_close(&ut_sb[1]), 0);
    ck_assert_ptr_nonnull(shmbox_slot_ptr(&ut_sb[0], mine));
    struct shmbox_stat st;
    UT_RC(shmbox_stat(&ut_sb[0], &st), 0);
    ck_assert_uint_eq(st.pool[0].used, 1);
    UT_RC(shmbox_slot_free(&ut_sb[0], mine), 0);
}
END_TEST

/* A lock word left held (its holder reset inside the critical section: no
 * crash repair here) is waited for until the call's deadline only. */
START_TEST(held_lock_keeps_to_the_deadline)
{
    ut_create(&ut_sb[0], "held");
    shmbox_t *sb = &ut_sb[0];
    uint32_t other = SHMBOX_LOCK_FW_OWNER(7u, 1u);
    atomic_store(&ut_pool_ctl(sb, 0)->lock, other);
    atomic_store(&ut_mbox(sb, 0)->lock, other);
    shmbox_slot_t s = 3u;
    uint64_t t0 = ut_now_ms();
    UT_RC(shmbox_slot_alloc(sb, 1, &s, SHMBOX_NO_WAIT), -EAGAIN);
    UT_ELAPSED_OK(ut_now_ms() - t0, 1000u);
    t0 = ut_now_ms();
    UT_RC(shmbox_slot_alloc(sb, 1, &s, 30), -ETIMEDOUT);
    UT_ELAPSED_OK(ut_now_ms() - t0, 30u);
    ck_assert_uint_eq(s, 3u);
    char b[8];
    UT_RC(shmbox_send(sb, 0, "x", 1, 30), -ETIMEDOUT);
    UT_RC(shmbox_recv(sb, 0, b, sizeof(b), SHMBOX_NO_WAIT), -EAGAIN);
    struct shmbox_stat st;
    UT_RC(shmbox_stat(sb, &st), 0); /* the held parts read as zero */
    ck_assert_uint_eq(st.pool[0].slot_count, ut_slot_count[0]);
    atomic_store(&ut_pool_ctl(sb, 0)->lock, 0u);
    atomic_store(&ut_mbox(sb, 0)->lock, 0u);
    UT_RC(shmbox_slot_alloc(sb, 1, &s, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_send(sb, 0, "x", 1, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_recv(sb, 0, b, sizeof(b), SHMBOX_NO_WAIT), 1);
}
END_TEST

START_TEST(reclaim_dead_owner)
{
    ut_create(&ut_sb[0], "recl");
    UT_RC(shmbox_reclaim(NULL), -EINVAL);
    UT_RC(shmbox_reclaim(&ut_sb[1]), -EINVAL);
    shmbox_slot_t s;
    UT_RC(shmbox_slot_alloc(&ut_sb[0], 1, &s, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_reclaim(&ut_sb[0]), 0);
    ck_assert_ptr_nonnull(shmbox_slot_ptr(&ut_sb[0], s));
}
END_TEST
#endif

/* A corrupt free list (a broken or hostile peer) is refused (-EBADMSG) or
 * repaired from the descriptor states; it never hands out a slot twice. */
START_TEST(corrupt_pool_never_double_allocates)
{
    ut_create(&ut_sb[0], "cpool");
    shmbox_t *sb = &ut_sb[0];
    ut_pool_t *c = ut_pool_ctl(sb, 0);
    uint32_t count = ut_slot_count[0];
    shmbox_slot_t used;
    UT_RC(shmbox_slot_alloc(sb, 1, &used, SHMBOX_NO_WAIT), 0);
    unsigned char *used_p = shmbox_slot_ptr(sb, used);

    static const int corruption[] = {0, 1, 2};
    for (unsigned k = 0; k < 3; k++) {
        uint32_t head = c->free_head;
        if (corruption[k] == 0) {
            c->free_head = count + 5u; /* out of range */
        } else if (corruption[k] == 1) {
            c->free_head = (used & 0x1fffffu); /* the used slot (index + 1) */
        } else if (head != 0) {
            ut_desc(sb, 0)[head - 1u].next = 0xfffffff0u; /* a wild next link */
        }
        shmbox_slot_t s = 3u;
        int rc = shmbox_slot_alloc(sb, 1, &s, SHMBOX_NO_WAIT);
        ck_assert_msg(rc == 0 || rc == -EBADMSG, "corruption %d: %s", corruption[k], shmbox_strerror(rc));
        if (rc == 0) {
            ck_assert_ptr_ne(shmbox_slot_ptr(sb, s), used_p);
            UT_RC(shmbox_slot_free(sb, s), 0);
        } else {
            ck_assert_uint_eq(s, 3u);
            c->free_head = head;
        }
    }
    /* Whatever happened, every other slot can still be had exactly once. */
    pool_handles[0] = used;
    for (uint32_t i = 1; i < count; i++) {
        UT_RC(shmbox_slot_alloc(sb, ut_slot_size[0], &pool_handles[i], SHMBOX_NO_WAIT), 0);
        ck_assert_uint_eq(shmbox_slot_size(sb, pool_handles[i]), ut_slot_size[0]);
        ck_assert_ptr_ne(shmbox_slot_ptr(sb, pool_handles[i]), used_p);
    }
    shmbox_slot_t s;
#if CONFIG_SHMBOX_POOL_COUNT > 1
    UT_RC(shmbox_slot_alloc(sb, 1, &s, SHMBOX_NO_WAIT), 0);
    ck_assert_uint_eq(shmbox_slot_size(sb, s), ut_slot_size[1]); /* pool 0 is full */
#else
    UT_RC(shmbox_slot_alloc(sb, 1, &s, SHMBOX_NO_WAIT), -ENOMEM);
#endif
}
END_TEST

void pool_add_integrity_tests(TCase *tc)
{
    tcase_add_test(tc, forged_handles);
    tcase_add_test(tc, alignment_and_size_no_overlap);
    tcase_add_test(tc, close_frees_owned_slots);
    tcase_add_test(tc, reclaim_dead_owner);
#ifdef CONFIG_SHMBOX_MINIMAL_CORE
    tcase_add_test(tc, held_lock_keeps_to_the_deadline);
#endif
    tcase_add_test(tc, corrupt_pool_never_double_allocates);
}
