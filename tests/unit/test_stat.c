// SPDX-License-Identifier: MIT
/*
 * Statistics (shmbox_stat) and error texts (shmbox_strerror).
 */
#include <limits.h>
#include <string.h>

#include "unit.h"

START_TEST(stat_layout_and_fresh_counters)
{
    ut_create(&ut_sb[0], "stat");
    struct shmbox_stat st;
    memset(&st, 0xff, sizeof(st));
    UT_RC(shmbox_stat(&ut_sb[0], &st), 0);
    ck_assert_uint_eq(st.pool_count, CONFIG_SHMBOX_POOL_COUNT);
    ck_assert_uint_eq(st.mbox_count, CONFIG_SHMBOX_MBOX_COUNT);
    ck_assert_uint_eq(st.attached, 1);
    ck_assert_uint_eq(st.recoveries, 0);
    for (unsigned p = 0; p < UT_POOLS; p++) {
        ck_assert_uint_eq(st.pool[p].slot_size, ut_slot_size[p]);
        ck_assert_uint_eq(st.pool[p].slot_count, ut_slot_count[p]);
        ck_assert_uint_eq(st.pool[p].used, 0);
        ck_assert_uint_eq(st.pool[p].peak, 0);
    }
    for (unsigned m = 0; m < SHMBOX_MBOX_COUNT; m++) {
        ck_assert_uint_eq(st.mbox[m].depth, CONFIG_SHMBOX_MBOX_DEPTH);
        ck_assert_uint_eq(st.mbox[m].msg_size, CONFIG_SHMBOX_MSG_SIZE);
        ck_assert_uint_eq(st.mbox[m].count, 0);
        ck_assert_uint_eq(st.mbox[m].peak, 0);
        ck_assert_uint_eq(st.mbox[m].sent, 0);
        ck_assert_uint_eq(st.mbox[m].received, 0);
    }
}
END_TEST

START_TEST(stat_counts_traffic)
{
    const char *name = ut_create(&ut_sb[0], "traf");
    shmbox_t *sb = &ut_sb[0];
    struct shmbox_stat st;
    unsigned m = SHMBOX_MBOX_COUNT - 1u;
    unsigned n = CONFIG_SHMBOX_MBOX_DEPTH < 5 ? CONFIG_SHMBOX_MBOX_DEPTH : 5u;
    for (unsigned i = 0; i < n; i++)
        UT_RC(shmbox_send(sb, m, &i, sizeof(i) < CONFIG_SHMBOX_MSG_SIZE ? sizeof(i) : 1u, SHMBOX_NO_WAIT), 0);
    char b[CONFIG_SHMBOX_MSG_SIZE];
    UT_RC(shmbox_recv(sb, m, b, sizeof(b), SHMBOX_NO_WAIT), (int)sizeof(unsigned));
    UT_RC(shmbox_recv(sb, m, b, sizeof(b), SHMBOX_NO_WAIT), (int)sizeof(unsigned));
    /* Failed calls count nothing. */
    UT_RC(shmbox_recv(sb, m, b, 1, SHMBOX_NO_WAIT), -EMSGSIZE);
    UT_RC(shmbox_send(sb, m, b, CONFIG_SHMBOX_MSG_SIZE + 1u, SHMBOX_NO_WAIT), -EMSGSIZE);
    UT_RC(shmbox_stat(sb, &st), 0);
    ck_assert_uint_eq(st.mbox[m].count, n - 2u);
#ifdef CONFIG_SHMBOX_STATS
    ck_assert_uint_eq(st.mbox[m].peak, n);
    ck_assert_uint_eq(st.mbox[m].sent, n);
    ck_assert_uint_eq(st.mbox[m].received, 2);
#else
    ck_assert_uint_eq(st.mbox[m].peak, 0);
    ck_assert_uint_eq(st.mbox[m].sent, 0);
    ck_assert_uint_eq(st.mbox[m].received, 0);
#endif
    for (unsigned o = 0; o + 1u < SHMBOX_MBOX_COUNT; o++) {
        ck_assert_uint_eq(st.mbox[o].count, 0);
        ck_assert_uint_eq(st.mbox[o].sent, 0);
    }

    /* Pools: used follows allocations, peak remembers the highest. */
    shmbox_slot_t s[3];
    for (unsigned i = 0; i < 3 && i < ut_slot_count[UT_POOLS - 1]; i++)
        UT_RC(shmbox_slot_alloc(sb, ut_slot_size[UT_POOLS - 1], &s[i], SHMBOX_NO_WAIT), 0);
    unsigned k = ut_slot_count[UT_POOLS - 1] < 3 ? ut_slot_count[UT_POOLS - 1] : 3u;
    UT_RC(shmbox_stat(sb, &st), 0);
    ck_assert_uint_eq(st.pool[UT_POOLS - 1].used, k);
    UT_RC(shmbox_slot_free(sb, s[0]), 0);
    UT_RC(shmbox_stat(sb, &st), 0);
    ck_assert_uint_eq(st.pool[UT_POOLS - 1].used, k - 1u);
#ifdef CONFIG_SHMBOX_STATS
    ck_assert_uint_eq(st.pool[UT_POOLS - 1].peak, k);
#endif
    /* Slot messages count in the mailbox and keep the slot used. */
    if (k > 1) {
        UT_RC(shmbox_send_slot(sb, 0, s[1], 1, SHMBOX_NO_WAIT), 0);
        UT_RC(shmbox_stat(sb, &st), 0);
        ck_assert_uint_eq(st.pool[UT_POOLS - 1].used, k - 1u);
        ck_assert_uint_ge(st.mbox[0].count, 1);
    }
    /* Every handle sees the same numbers; attached follows opens. */
    UT_RC(shmbox_open(&ut_sb[1], name, SHMBOX_NO_WAIT), 0);
    struct shmbox_stat st2;
    UT_RC(shmbox_stat(&ut_sb[1], &st2), 0);
    ck_assert_uint_eq(st2.attached, 2);
    st2.attached = st.attached;
    ck_assert_mem_eq(&st, &st2, sizeof(st));
}
END_TEST

START_TEST(stat_einval)
{
    struct shmbox_stat st;
    UT_RC(shmbox_stat(NULL, &st), -EINVAL);
    UT_RC(shmbox_stat(&ut_sb[0], &st), -EINVAL); /* never opened */
    ut_create(&ut_sb[0], "stinv");
    UT_RC(shmbox_stat(&ut_sb[0], NULL), -EINVAL);
    UT_RC(shmbox_close(&ut_sb[0]), 0);
    UT_RC(shmbox_stat(&ut_sb[0], &st), -EINVAL); /* closed */
}
END_TEST

/* Every error any public function documents. */
static const int codes[] = {
    EINVAL, EBUSY, EEXIST, ENOSPC, EACCES, EMFILE, ENFILE, ENOMEM, ENOENT,
    ETIMEDOUT, EPROTO, EBADMSG, EUSERS, EMSGSIZE, EAGAIN, EALREADY, ENOMSG,
};

#ifndef CONFIG_SHMBOX_ERROR_STRINGS
/* Built without the sentences: one short text for every error, never NULL. */
START_TEST(strerror_every_code)
{
    ck_assert_str_eq(shmbox_strerror(0), "success");
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        ck_assert_str_eq(shmbox_strerror(-codes[i]), "error");
        ck_assert_str_eq(shmbox_strerror(codes[i]), "error");
    }
    static const int odd[] = {INT_MIN, INT_MIN + 1, INT_MAX, -1000000, 1000000, -1, 1};
    for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
        ck_assert_str_eq(shmbox_strerror(odd[i]), "error");
}
END_TEST
#else
START_TEST(strerror_every_code)
{
    const char *unknown = shmbox_strerror(-99999);
    ck_assert_ptr_nonnull(unknown);
    ck_assert_uint_gt(strlen(unknown), 0);
    size_t n = sizeof(codes) / sizeof(codes[0]);
    for (size_t i = 0; i < n; i++) {
        const char *t = shmbox_strerror(-codes[i]);
        ck_assert_ptr_nonnull(t);
        ck_assert_msg(strlen(t) > 5, "errno %d: text \"%s\"", codes[i], t);
        ck_assert_msg(strcmp(t, unknown) != 0, "errno %d has no text of its own", codes[i]);
        ck_assert_str_eq(shmbox_strerror(codes[i]), t); /* positive: read as negative */
        for (size_t j = 0; j < i; j++)
            ck_assert_msg(strcmp(t, shmbox_strerror(-codes[j])) != 0, "errno %d and %d share \"%s\"", codes[i],
                          codes[j], t);
    }
    ck_assert_ptr_nonnull(shmbox_strerror(0));
    ck_assert_str_ne(shmbox_strerror(0), unknown);
    /* Never NULL, whatever the value. */
    static const int odd[] = {INT_MIN, INT_MIN + 1, INT_MAX, -1000000, 1000000, -1, 1};
    for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
        ck_assert_ptr_nonnull(shmbox_strerror(odd[i]));
    ck_assert_str_eq(shmbox_strerror(INT_MIN), unknown);
}
END_TEST
#endif /* CONFIG_SHMBOX_ERROR_STRINGS */

int main(void)
{
    Suite *s = suite_create("stat");
    TCase *tc = ut_tcase("stat");
    tcase_add_test(tc, stat_layout_and_fresh_counters);
    tcase_add_test(tc, stat_counts_traffic);
    tcase_add_test(tc, stat_einval);
    tcase_add_test(tc, strerror_every_code);
    suite_add_tcase(s, tc);
    return ut_run(s);
}
