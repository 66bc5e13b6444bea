// SPDX-License-Identifier: MIT
/*
 * Slot pools: allocation from the smallest fitting pool, fallback to larger
 * pools, exhaustion, timeouts, argument and handle validation (double free,
 * stale handles). Forged handles, alignment, freeing on close, reclaim and a
 * corrupt pool: pool_integrity.c (same suite and TCase, pool_tests.h).
 */
#include <stdlib.h>
#include <string.h>

#include "internals.h"
#include "pool_tests.h"
#include "unit.h"

shmbox_slot_t *pool_handles; /* every slot of every pool */

void pool_alloc_all(shmbox_t *sb, size_t size)
{
    /* Fills pools from the smallest one that fits, in order. */
    uint32_t k = 0;
    unsigned first = 0;
    while (ut_slot_size[first] < size)
        first++;
    for (unsigned p = first; p < UT_POOLS; p++) {
        for (uint32_t i = 0; i < ut_slot_count[p]; i++, k++) {
            UT_RC(shmbox_slot_alloc(sb, size, &pool_handles[k], SHMBOX_NO_WAIT), 0);
            ck_assert_msg(shmbox_slot_size(sb, pool_handles[k]) == ut_slot_size[p],
                          "slot %u of size %u came from the wrong pool", (unsigned)k, (unsigned)size);
        }
    }
}

static void pool_setup(void)
{
    ut_setup();
    pool_handles = calloc(ut_total_slots(), sizeof(*pool_handles));
    ck_assert_ptr_nonnull(pool_handles);
}

static void pool_teardown(void)
{
    ut_teardown();
    free(pool_handles);
    pool_handles = NULL;
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
    pool_alloc_all(&ut_sb[0], 1);
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
    UT_RC(shmbox_slot_free(&ut_sb[0], pool_handles[last]), 0);
    UT_RC(shmbox_slot_alloc(&ut_sb[0], 1, &pool_handles[last], SHMBOX_NO_WAIT), 0);
    ck_assert_uint_eq(shmbox_slot_size(&ut_sb[0], pool_handles[last]), ut_slot_size[UT_POOLS - 1]);

    /* A freed slot of pool 0 does not serve a request larger than it. */
#if CONFIG_SHMBOX_POOL_COUNT > 1
    UT_RC(shmbox_slot_free(&ut_sb[0], pool_handles[0]), 0);
    UT_RC(shmbox_slot_alloc(&ut_sb[0], (size_t)ut_slot_size[0] + 1u, &s, SHMBOX_NO_WAIT), -ENOMEM);
    UT_RC(shmbox_slot_alloc(&ut_sb[0], ut_slot_size[0], &pool_handles[0], SHMBOX_NO_WAIT), 0);
    ck_assert_uint_eq(shmbox_slot_size(&ut_sb[0], pool_handles[0]), ut_slot_size[0]);
#endif

    for (uint32_t k = 0; k < ut_total_slots(); k++)
        UT_RC(shmbox_slot_free(&ut_sb[0], pool_handles[k]), 0);
    UT_RC(shmbox_stat(&ut_sb[0], &st), 0);
    for (unsigned p = 0; p < UT_POOLS; p++) {
        ck_assert_uint_eq(st.pool[p].used, 0);
#ifdef CONFIG_SHMBOX_STATS
        ck_assert_uint_eq(st.pool[p].peak, ut_slot_count[p]);
#endif
    }
    /* Everything can be had again. */
    pool_alloc_all(&ut_sb[0], 1);
}
END_TEST

START_TEST(alloc_timeout)
{
    ut_create(&ut_sb[0], "atmo");
    pool_alloc_all(&ut_sb[0], 1);
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
    UT_RC(shmbox_slot_free(&ut_sb[0], pool_handles[0]), 0);
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
    /* Stale (its slot is another handle's now), not a double free. */
    UT_RC(shmbox_slot_free(&ut_sb[0], old), -EINVAL);
    /* The new owner's slot is untouched. */
    ck_assert_ptr_eq(shmbox_slot_ptr(&ut_sb[0], cur), p);
    UT_RC(shmbox_slot_free(&ut_sb[0], cur), 0);
    /* Two generations later the old handle is plainly invalid. */
    UT_RC(shmbox_slot_alloc(&ut_sb[0], 1, &cur, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_slot_free(&ut_sb[0], cur), 0);
    int rc = shmbox_slot_free(&ut_sb[0], old);
    ck_assert_msg(rc == -EALREADY || rc == -EINVAL, "stale free: %s", shmbox_strerror(rc));
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
    pool_add_integrity_tests(tc);
    suite_add_tcase(s, tc);
    return ut_run(s);
}
