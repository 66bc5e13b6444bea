// SPDX-License-Identifier: MIT
/*
 * shmbox_open_any() (a region of whatever layout its header states, once
 * the region format accepts it), shmbox_layout() and the per-index
 * statistics. A region of another build's layout in use by real processes
 * is tested with the shmbox tool (tests/anylayout).
 */
#include <string.h>

#include "access.h"
#include "unit.h"

/* shmbox_open_any(): the layout the header states, once the region format
 * accepts it; a record it refuses is -EPROTO naming the value. */
START_TEST(open_any_checks_the_header_layout)
{
    const char *name = ut_create(&ut_sb[0], "any");
    struct shmbox_hdr *h = sbx_hdr_of(&ut_sb[0]);
    struct shmbox_cfg_rec mine, got, saved = h->cfg;
    uint64_t saved_fp = h->fingerprint, saved_size = h->region_size;
    shmbox_config_record(&mine);
    UT_RC(shmbox_open_any(&ut_sb[1], name, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_layout(&ut_sb[1], &got), 0);
    ck_assert_int_eq(memcmp(&got, &mine, sizeof(got)), 0);
    struct shmbox_pool_stat ps;
    struct shmbox_mbox_stat ms;
    UT_RC(shmbox_stat_pool(&ut_sb[1], 0, &ps), 0);
    ck_assert_uint_eq(ps.slot_size, mine.slot_size[0]);
    ck_assert_uint_eq(ps.slot_count, mine.slot_count[0]);
    UT_RC(shmbox_stat_pool(&ut_sb[1], mine.pool_count, &ps), -EINVAL);
    UT_RC(shmbox_stat_mbox(&ut_sb[1], mine.mbox_count - 1u, &ms), 0);
    ck_assert_uint_eq(ms.depth, mine.mbox_depth);
    ck_assert_uint_eq(ms.msg_size, mine.msg_size);
    UT_RC(shmbox_stat_mbox(&ut_sb[1], mine.mbox_count, &ms), -EINVAL);
    UT_RC(shmbox_close(&ut_sb[1]), 0);

    shmbox_t sb;
    /* A value the format refuses, with a right fingerprint. */
    h->cfg.msg_size = 60;
    h->fingerprint = shmbox_format_fingerprint(&h->cfg);
    memset(&sb, 0, sizeof(sb));
    UT_RC(shmbox_open_any(&sb, name, SHMBOX_NO_WAIT), -EPROTO);
    UT_DETAIL_HAS(shmbox_error_detail(&sb), "CONFIG_SHMBOX_MSG_SIZE=60: must be a multiple of 8");
    h->cfg.msg_size = saved.msg_size;
    h->cfg.pool_count = SHMBOX_MAX_POOLS + 1u;
    h->fingerprint = shmbox_format_fingerprint(&h->cfg);
    UT_RC(shmbox_open_any(&sb, name, SHMBOX_NO_WAIT), -EPROTO);
    UT_DETAIL_HAS(shmbox_error_detail(&sb), "CONFIG_SHMBOX_POOL_COUNT=9: must be in 1..8");
    /* The compact variant (the minimal core's: firmware cores only),
     * whatever its page size: never run by this core. */
    h->cfg = saved;
    h->cfg.variant = SHMBOX_VARIANT_COMPACT;
    for (unsigned k = 0; k < 2; k++) {
        h->cfg.page_size = k == 0 ? saved.page_size : 64u;
        h->fingerprint = shmbox_format_fingerprint(&h->cfg);
        UT_RC(shmbox_open_any(&sb, name, SHMBOX_NO_WAIT), -EPROTO);
        UT_DETAIL_HAS(shmbox_error_detail(&sb), "layout variant 1 (compact");
        UT_RC(shmbox_open(&sb, name, SHMBOX_NO_WAIT), -EPROTO);
    }
    /* A layout version this library does not know. */
    h->cfg = saved;
    h->layout_version = SHMBOX_LAYOUT_VERSION + 1u;
    h->cfg.layout_version = SHMBOX_LAYOUT_VERSION + 1u;
    h->fingerprint = shmbox_format_fingerprint(&h->cfg);
    UT_RC(shmbox_open_any(&sb, name, SHMBOX_NO_WAIT), -EPROTO);
    UT_DETAIL_HAS(shmbox_error_detail(&sb), "layout version=4");
    h->layout_version = SHMBOX_LAYOUT_VERSION;
    /* A corrupt record, and a recorded size the layout does not have. */
    h->cfg = saved;
    h->fingerprint = saved_fp ^ 1u;
    UT_RC(shmbox_open_any(&sb, name, SHMBOX_NO_WAIT), -EBADMSG);
    h->fingerprint = saved_fp;
    h->region_size = saved_size + CONFIG_SHMBOX_PAGE_SIZE;
    UT_RC(shmbox_open_any(&sb, name, SHMBOX_NO_WAIT), -EBADMSG);
    UT_DETAIL_HAS(shmbox_error_detail(&sb), "layout needs");
    h->region_size = saved_size;
    UT_RC(shmbox_open_any(&ut_sb[1], name, SHMBOX_NO_WAIT), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("open_any");
    TCase *tc = ut_tcase("open_any");
    tcase_add_test(tc, open_any_checks_the_header_layout);
    suite_add_tcase(s, tc);
    return ut_run(s);
}
