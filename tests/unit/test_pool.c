// SPDX-License-Identifier: MIT
/*
 * Slot pools: allocation from the smallest fitting pool, fallback to larger
 * pools, exhaustion, timeouts, handle validation (forged, stale, double
 * free, queued, SHMBOX_SLOT_NONE), 64-byte alignment, slot_size, freeing
 * on close, reclaim of a dead owner's slots, and a corrupt pool.
 */
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "pool.h"
#include "unit.h"

static shmbox_slot_t *handles; /* every slot of every pool */

static void alloc_all(shmbox_t *sb, size_t size)
{
    /* Fills pools from the smallest one that fits, in order. */
    uint32_t k = 0;
    unsigned first = 0;
    while (ut_slot_size[first] < size)
        first++;
    for (unsigned p = first; p < UT_POOLS; p++) {
        for (uint32_t i = 0; i < ut_slot_count[p]; i++, k++) {
            UT_RC(shmbox_slot_alloc(sb, size, &handles[k], SHMBOX_NO_WAIT), 0);
            ck_assert_msg(shmbox_slot_size(sb, handles[k]) == ut_slot_size[p],
                          "slot %u of size %u came from the wrong pool", (unsigned)k, (unsigned)size);
        }
    }
}

static void pool_setup(void)
{
    ut_setup();
    handles = calloc(ut_total_slots(), sizeof(*handles));
    ck_assert_ptr_nonnull(handles);
}

static void pool_teardown(void)
{
    ut_teardown();
    free(handles);
    handles = NULL;
}

START_TEST(alloc_free_basic)
{
    ut_create(&ut_sb[0], "basic");
    shmbox_slot_t s = SHMBOX_SLOT_NONE;
    UT_RC(shmbox_slot_alloc(&ut_sb[0], 1, &s, SHMBOX_NO_WAIT), 0);
    ck_assert_uint_ne(s, SHMBOX_SLOT_NONE);
    unsigned char *p = shmbox_slot_ptr(&ut_sb[0], s);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(shmbox_slot_size(&ut_sb[0], s), ut_slot_size[0]);
    memset(p, 0x5a, ut_slot_size[0]);
    UT_RC(shmbox_slot_free(&ut_sb[0], s), 0);
    ck_assert_ptr_null(shmbox_slot_ptr(&ut_sb[0], s));
    ck_assert_uint_eq(shmbox_slot_size(&ut_sb[0], s), 0);
}
END_TEST

START_TEST(smallest_fitting_pool)
{
    ut_create(&ut_sb[0], "fit");
    for (unsigned p = 0; p < UT_POOLS; p++) {
        size_t sizes[3] = {p == 0 ? 1u : ut_slot_size[p - 1] + 1u, ut_slot_size[p] / 2u + 1u, ut_slot_size[p]};
        for (unsigned k = 0; k < 3; k++) {
            shmbox_slot_t s;
            UT_RC(shmbox_slot_alloc(&ut_sb[0], sizes[k], &s, SHMBOX_NO_WAIT), 0);
            ck_assert_msg(shmbox_slot_size(&ut_sb[0], s) == ut_slot_size[p], "size %zu: slot of %zu, want pool %u",
                          sizes[k], shmbox_slot_size(&ut_sb[0], s), p);
            UT_RC(shmbox_slot_free(&ut_sb[0], s), 0);
        }
    }
    shmbox_slot_t s = 12345u;
    UT_RC(shmbox_slot_alloc(&ut_sb[0], (size_t)ut_slot_size[UT_POOLS - 1] + 1u, &s, SHMBOX_NO_WAIT), -EMSGSIZE);
    UT_RC(shmbox_slot_alloc(&ut_sb[0], SIZE_MAX, &s, 100), -EMSGSIZE);
    ck_assert_uint_eq(s, 12345u); /* untouched on failure */
}
END_TEST

START_TEST(exhaustion_fallback_enomem)
{
    ut_create(&ut_sb[0], "exh");
    alloc_all(&ut_sb[0], 1);
    struct shmbox_stat st;
    UT_RC(shmbox_stat(&ut_sb[0], &st), 0);
    for (unsigned p = 0; p < UT_POOLS; p++)
        ck_assert_uint_eq(st.pool[p].used, ut_slot_count[p]);

    shmbox_slot_t s = 777u;
    UT_RC(shmbox_slot_alloc(&ut_sb[0], 1, &s, SHMBOX_NO_WAIT), -ENOMEM);
    UT_RC(shmbox_slot_alloc(&ut_sb[0], ut_slot_size[UT_POOLS - 1], &s, SHMBOX_NO_WAIT), -ENOMEM);
    UT_RC(shmbox_slot_alloc(&ut_sb[0], (size_t)ut_slot_size[UT_POOLS - 1] + 1u, &s, SHMBOX_NO_WAIT), -EMSGSIZE);
    ck_assert_uint_eq(s, 777u);

    /* A freed slot of the largest pool serves the smallest request. */
    uint32_t last = ut_total_slots() - 1u;
    UT_RC(shmbox_slot_free(&ut_sb[0], handles[last]), 0);
    UT_RC(shmbox_slot_alloc(&ut_sb[0], 1, &handles[last], SHMBOX_NO_WAIT), 0);
    ck_assert_uint_eq(shmbox_slot_size(&ut_sb[0], handles[last]), ut_slot_size[UT_POOLS - 1]);

    /* A freed slot of pool 0 does not serve a request larger than it. */
#if CONFIG_SHMBOX_POOL_COUNT > 1
    UT_RC(shmbox_slot_free(&ut_sb[0], handles[0]), 0);
    UT_RC(shmbox_slot_alloc(&ut_sb[0], (size_t)ut_slot_size[0] + 1u, &s, SHMBOX_NO_WAIT), -ENOMEM);
    UT_RC(shmbox_slot_alloc(&ut_sb[0], ut_slot_size[0], &handles[0], SHMBOX_NO_WAIT), 0);
    ck_assert_uint_eq(shmbox_slot_size(&ut_sb[0], handles[0]), ut_slot_size[0]);
#endif

    for (uint32_t k = 0; k < ut_total_slots(); k++)
        UT_RC(shmbox_slot_free(&ut_sb[0], handles[k]), 0);
    UT_RC(shmbox_stat(&ut_sb[0], &st), 0);
    for (unsigned p = 0; p < UT_POOLS; p++) {
        ck_assert_uint_eq(st.pool[p].used, 0);
#ifdef CONFIG_SHMBOX_STATS
        ck_assert_uint_eq(st.pool[p].peak, ut_slot_count[p]);
#endif
    }
    /* Everything can be had again. */
    alloc_all(&ut_sb[0], 1);
}
END_TEST

START_TEST(alloc_timeout)
{
    ut_create(&ut_sb[0], "atmo");
    alloc_all(&ut_sb[0], 1);
    const int32_t asked = 120;
    shmbox_slot_t s = 9u;
    uint64_t t0 = ut_now_ms();
    UT_RC(shmbox_slot_alloc(&ut_sb[0], 1, &s, asked), -ETIMEDOUT);
    UT_ELAPSED_OK(ut_now_ms() - t0, asked);
    t0 = ut_now_ms();
    UT_RC(shmbox_slot_alloc(&ut_sb[0], ut_slot_size[UT_POOLS - 1], &s, asked), -ETIMEDOUT);
    UT_ELAPSED_OK(ut_now_ms() - t0, asked);
    ck_assert_uint_eq(s, 9u);
    /* A free slot is taken at once, whatever the timeout. */
    UT_RC(shmbox_slot_free(&ut_sb[0], handles[0]), 0);
    t0 = ut_now_ms();
    UT_RC(shmbox_slot_alloc(&ut_sb[0], 1, &s, SHMBOX_FOREVER), 0);
    ck_assert_uint_lt(ut_now_ms() - t0, UT_SLACK_MS);
}
END_TEST

START_TEST(alloc_einval)
{
    const char *name = ut_create(&ut_sb[0], "ainv");
    shmbox_slot_t s = 5u;
    UT_RC(shmbox_slot_alloc(NULL, 1, &s, SHMBOX_NO_WAIT), -EINVAL);
    UT_RC(shmbox_slot_alloc(&ut_sb[0], 1, NULL, SHMBOX_NO_WAIT), -EINVAL);
    UT_RC(shmbox_slot_alloc(&ut_sb[0], 0, &s, SHMBOX_NO_WAIT), -EINVAL);
    UT_RC(shmbox_slot_alloc(&ut_sb[0], 1, &s, -2), -EINVAL);
    UT_RC(shmbox_slot_alloc(&ut_sb[0], 1, &s, INT32_MIN), -EINVAL);
    UT_RC(shmbox_slot_alloc(&ut_sb[1], 1, &s, SHMBOX_NO_WAIT), -EINVAL); /* never opened */
    ck_assert_uint_eq(s, 5u);
    UT_RC(shmbox_slot_alloc(&ut_sb[0], 1, &s, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_close(&ut_sb[0]), 0);
    shmbox_slot_t t = 6u;
    UT_RC(shmbox_slot_alloc(&ut_sb[0], 1, &t, SHMBOX_NO_WAIT), -EINVAL); /* closed */
    UT_RC(shmbox_slot_free(&ut_sb[0], s), -EINVAL);
    ck_assert_ptr_null(shmbox_slot_ptr(&ut_sb[0], s));
    ck_assert_uint_eq(shmbox_slot_size(&ut_sb[0], s), 0);
    UT_RC(shmbox_slot_free(NULL, s), -EINVAL);
    ck_assert_ptr_null(shmbox_slot_ptr(NULL, s));
    ck_assert_uint_eq(shmbox_slot_size(NULL, s), 0);
    ck_assert_uint_eq(t, 6u);
    (void)name;
}
END_TEST

START_TEST(double_free_ealready)
{
    ut_create(&ut_sb[0], "dbl");
    for (unsigned p = 0; p < UT_POOLS; p++) {
        shmbox_slot_t s;
        UT_RC(shmbox_slot_alloc(&ut_sb[0], ut_slot_size[p], &s, SHMBOX_NO_WAIT), 0);
        UT_RC(shmbox_slot_free(&ut_sb[0], s), 0);
        UT_RC(shmbox_slot_free(&ut_sb[0], s), -EALREADY);
        UT_RC(shmbox_slot_free(&ut_sb[0], s), -EALREADY);
        ck_assert_ptr_null(shmbox_slot_ptr(&ut_sb[0], s));
        ck_assert_uint_eq(shmbox_slot_size(&ut_sb[0], s), 0);
    }
    struct shmbox_stat st;
    UT_RC(shmbox_stat(&ut_sb[0], &st), 0);
    for (unsigned p = 0; p < UT_POOLS; p++)
        ck_assert_uint_eq(st.pool[p].used, 0);
}
END_TEST

START_TEST(stale_handle_does_not_touch_new_owner)
{
    ut_create(&ut_sb[0], "stale");
    shmbox_slot_t old, cur;
    UT_RC(shmbox_slot_alloc(&ut_sb[0], 1, &old, SHMBOX_NO_WAIT), 0);
    unsigned char *was = shmbox_slot_ptr(&ut_sb[0], old);
    ck_assert_ptr_nonnull(was);
    UT_RC(shmbox_slot_free(&ut_sb[0], old), 0);
    /* Reallocate until the same memory comes back under a new handle. */
    unsigned char *p = NULL;
    for (unsigned i = 0; i < ut_slot_count[0] && p == NULL; i++) {
        UT_RC(shmbox_slot_alloc(&ut_sb[0], 1, &cur, SHMBOX_NO_WAIT), 0);
        if (shmbox_slot_ptr(&ut_sb[0], cur) == was)
            p = was;
    }
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_ne(cur, old);
    ck_assert_ptr_null(shmbox_slot_ptr(&ut_sb[0], old));
    ck_assert_uint_eq(shmbox_slot_size(&ut_sb[0], old), 0);
    int rc = shmbox_slot_free(&ut_sb[0], old);
    ck_assert_msg(rc == -EALREADY || rc == -EINVAL, "stale free: %s", shmbox_strerror(rc));
    /* The new owner's slot is untouched. */
    ck_assert_ptr_eq(shmbox_slot_ptr(&ut_sb[0], cur), p);
    UT_RC(shmbox_slot_free(&ut_sb[0], cur), 0);
    /* Two generations later the old handle is plainly invalid. */
    UT_RC(shmbox_slot_alloc(&ut_sb[0], 1, &cur, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_slot_free(&ut_sb[0], cur), 0);
    rc = shmbox_slot_free(&ut_sb[0], old);
    ck_assert_msg(rc == -EALREADY || rc == -EINVAL, "stale free: %s", shmbox_strerror(rc));
}
END_TEST

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

    /* Everything allocated: single-bit changes of real handles never free
     * anything else (unless they hit another real handle). */
    alloc_all(sb, 1);
    uint32_t total = ut_total_slots();
    shmbox_slot_t *sorted = calloc(total, sizeof(*sorted));
    ck_assert_ptr_nonnull(sorted);
    memcpy(sorted, handles, total * sizeof(*sorted));
    qsort(sorted, total, sizeof(*sorted), cmp_handle);
    for (uint32_t k = 0; k < total; k += 1u + total / 64u) {
        for (unsigned b = 0; b < 32; b++) {
            shmbox_slot_t f = handles[k] ^ ((shmbox_slot_t)1u << b);
            if (f == SHMBOX_SLOT_NONE || bsearch(&f, sorted, total, sizeof(f), cmp_handle) != NULL)
                continue;
            ck_assert_ptr_null(shmbox_slot_ptr(sb, f));
            ck_assert_uint_eq(shmbox_slot_size(sb, f), 0);
            int rc = shmbox_slot_free(sb, f);
            ck_assert_msg(rc == -EINVAL || rc == -EALREADY, "free(0x%08x), forged from 0x%08x: %s", (unsigned)f, (unsigned)handles[k],
                          shmbox_strerror(rc));
            UT_RC(shmbox_send_slot(sb, 0, f, 0, SHMBOX_NO_WAIT), -EINVAL);
        }
    }
    free(sorted);
    UT_RC(shmbox_stat(sb, &st), 0);
    for (unsigned p = 0; p < UT_POOLS; p++)
        ck_assert_uint_eq(st.pool[p].used, ut_slot_count[p]);
    for (uint32_t k = 0; k < total; k++)
        ck_assert_ptr_nonnull(shmbox_slot_ptr(sb, handles[k]));
}
END_TEST

START_TEST(alignment_and_size_no_overlap)
{
    ut_create(&ut_sb[0], "align");
    shmbox_t *sb = &ut_sb[0];
    alloc_all(sb, 1);
    uint32_t total = ut_total_slots();
    /* Stamp the first and last bytes (whole slots when small) of every slot. */
    for (uint32_t k = 0; k < total; k++) {
        unsigned char *p = shmbox_slot_ptr(sb, handles[k]);
        size_t n = shmbox_slot_size(sb, handles[k]);
        ck_assert_ptr_nonnull(p);
        ck_assert_msg(((uintptr_t)p % 64u) == 0, "slot %u at %p is not 64-byte aligned", (unsigned)k, (void *)p);
        size_t edge = n <= 8192u ? n : 4096u;
        memset(p, (int)(k * 7u + 1u), edge);
        memset(p + n - edge, (int)(k * 7u + 1u), edge);
    }
    for (uint32_t k = 0; k < total; k++) {
        unsigned char *p = shmbox_slot_ptr(sb, handles[k]);
        size_t n = shmbox_slot_size(sb, handles[k]);
        size_t edge = n <= 8192u ? n : 4096u;
        for (size_t i = 0; i < edge; i++) {
            ck_assert_msg(p[i] == (unsigned char)(k * 7u + 1u) && p[n - 1u - i] == (unsigned char)(k * 7u + 1u),
                          "slot %u overwritten by a neighbour", (unsigned)k);
        }
    }
}
END_TEST

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

/* A corrupt free list (a broken or hostile peer) is refused (-EBADMSG) or
 * repaired from the descriptor states; it never hands out a slot twice. */
START_TEST(corrupt_pool_never_double_allocates)
{
    ut_create(&ut_sb[0], "cpool");
    shmbox_t *sb = &ut_sb[0];
    struct shmbox_pool_ctl *c = sbx_pool_of(sb, 0);
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
            sbx_desc_of(sb, 0)[head - 1u].next = 0xfffffff0u; /* a wild next link */
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
    handles[0] = used;
    for (uint32_t i = 1; i < count; i++) {
        UT_RC(shmbox_slot_alloc(sb, ut_slot_size[0], &handles[i], SHMBOX_NO_WAIT), 0);
        ck_assert_uint_eq(shmbox_slot_size(sb, handles[i]), ut_slot_size[0]);
        ck_assert_ptr_ne(shmbox_slot_ptr(sb, handles[i]), used_p);
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

int main(void)
{
    Suite *s = suite_create("pool");
    TCase *tc = tcase_create("pool");
    tcase_add_checked_fixture(tc, pool_setup, pool_teardown);
    tcase_add_test(tc, alloc_free_basic);
    tcase_add_test(tc, smallest_fitting_pool);
    tcase_add_test(tc, exhaustion_fallback_enomem);
    tcase_add_test(tc, alloc_timeout);
    tcase_add_test(tc, alloc_einval);
    tcase_add_test(tc, double_free_ealready);
    tcase_add_test(tc, stale_handle_does_not_touch_new_owner);
    tcase_add_test(tc, forged_handles);
    tcase_add_test(tc, alignment_and_size_no_overlap);
    tcase_add_test(tc, close_frees_owned_slots);
    tcase_add_test(tc, reclaim_dead_owner);
    tcase_add_test(tc, corrupt_pool_never_double_allocates);
    suite_add_tcase(s, tc);
    return ut_run(s);
}
