// SPDX-License-Identifier: MIT
/*
 * The region format module (<shmbox/shmbox_format.h>): the checks name the
 * value that is wrong and the rule, the layout of known records has the
 * offsets recorded in tests/format/expected/, the fingerprint is the one
 * regions carry, and the difference text names every differing value.
 * Pure: no region is made.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include <shmbox/shmbox.h>
#include <shmbox/shmbox_format.h>

#include "check_run.h"

/* config/defconfig's record. */
static struct shmbox_cfg_rec def(void)
{
    struct shmbox_cfg_rec r;
    memset(&r, 0, sizeof(r));
    r.layout_version = SHMBOX_LAYOUT_VERSION;
    r.page_size = 4096;
    r.pool_count = 3;
    r.mbox_count = 4;
    r.mbox_depth = 64;
    r.msg_size = 64;
    r.max_procs = 32;
    r.slot_size[0] = 64;
    r.slot_count[0] = 256;
    r.slot_size[1] = 1024;
    r.slot_count[1] = 64;
    r.slot_size[2] = 65536;
    r.slot_count[2] = 16;
    return r;
}

START_TEST(layout_of_the_defconfig)
{
    struct shmbox_cfg_rec r = def();
    struct shmbox_format_layout l;
    ck_assert_uint_eq(shmbox_format_check(&r, SHMBOX_FMT_PAGE_MIN_LINUX, NULL, 0), 0);
    shmbox_format_layout(&r, &l);
    /* tests/format/expected/defconfig.txt */
    ck_assert_uint_eq(l.hdr_size, 256 + 32 * 16);
    ck_assert_uint_eq(l.hdr_bytes, 0x1000);
    ck_assert_uint_eq(l.pool_off[0], 0x1000);
    ck_assert_uint_eq(l.pool_data_off[0], 0x2000);
    ck_assert_uint_eq(l.pool_bytes[0], 0x6000);
    ck_assert_uint_eq(l.pool_off[1], 0x7000);
    ck_assert_uint_eq(l.pool_off[2], 0x18000);
    ck_assert_uint_eq(l.pool_bytes[2], 0x101000);
    ck_assert_uint_eq(l.pool_bytes[3], 0);
    ck_assert_uint_eq(l.mbox_off, 0x119000);
    ck_assert_uint_eq(l.mbox_stride, 0x2000);
    ck_assert_uint_eq(l.entry_size, 72);
    ck_assert_uint_eq(l.region_size, 1183744);
    ck_assert(shmbox_format_fingerprint(&r) == 0x581a1f6c69f6fb2bull);
}
END_TEST

START_TEST(this_build_is_valid)
{
    struct shmbox_cfg_rec r;
    struct shmbox_format_layout l;
    shmbox_config_record(&r);
    ck_assert_uint_eq(shmbox_format_check(&r, SHMBOX_FMT_PAGE_MIN, NULL, 0), 0);
    shmbox_format_layout(&r, &l);
    ck_assert_uint_eq(l.region_size, SHMBOX_CONFIG_REGION_BYTES);
    ck_assert_uint_eq(l.region_size % r.page_size, 0);
}
END_TEST

/* The compact variant: firmware-only (refused where Linux maps a region),
 * its own fingerprint, its control packed before the payload. */
START_TEST(compact_variant_is_firmware_only)
{
    struct shmbox_cfg_rec r = def();
    uint64_t classic = shmbox_format_fingerprint(&r);
    r.page_size = 64;
    r.variant = SHMBOX_VARIANT_COMPACT;
    struct shmbox_format_problem p[4];
    ck_assert_uint_eq(shmbox_format_check(&r, SHMBOX_FMT_PAGE_MIN, NULL, 0), 0);
    ck_assert_uint_eq(shmbox_format_check(&r, SHMBOX_FMT_PAGE_MIN_LINUX, p, 4), 2); /* page size, variant */
    ck_assert_int_eq(p[1].field, SHMBOX_FMT_F_VARIANT);
    r.page_size = 4096;
    ck_assert_uint_eq(shmbox_format_check(&r, SHMBOX_FMT_PAGE_MIN_LINUX, p, 4), 1);
    ck_assert_int_eq(p[0].field, SHMBOX_FMT_F_VARIANT);
    ck_assert_uint_ne(shmbox_format_fingerprint(&r), classic);
    r.variant = 2;
    ck_assert_uint_eq(shmbox_format_check(&r, SHMBOX_FMT_PAGE_MIN, NULL, 0), 1);
    r.variant = SHMBOX_VARIANT_COMPACT;
    r.page_size = 64;
    struct shmbox_format_layout l;
    shmbox_format_layout(&r, &l);
    uint64_t slots = 256 + 64 + 16, ctl = 152 + 3 * 16 + slots * 8 + 4 * 32;
    uint64_t data = (ctl + 63) / 64 * 64;
    ck_assert_uint_eq(l.mbox_off, 152 + 3 * 16 + slots * 8);
    ck_assert_uint_eq(l.pool_off[0] + l.pool_data_off[0], data);
    ck_assert_uint_eq(l.pool_off[2] + l.pool_data_off[2], data + 64 * 256 + 1024 * 64);
    ck_assert_uint_eq(l.ring_off, data + 64 * 256 + 1024 * 64 + 65536 * 16);
    ck_assert_uint_eq(l.region_size, l.ring_off + 4 * 64 * (8 + 64));
    char text[120];
    shmbox_format_field_name(SHMBOX_FMT_F_VARIANT, 0, text, sizeof(text));
    ck_assert_ptr_nonnull(strstr(text, "SHMBOX_MINIMAL_CORE"));
}
END_TEST

static void want_text(const struct shmbox_format_problem *p, const char *want)
{
    char buf[200];
    shmbox_format_problem_text(p, buf, sizeof(buf));
    ck_assert_str_eq(buf, want);
}

START_TEST(check_names_each_wrong_value)
{
    struct shmbox_cfg_rec r = def();
    struct shmbox_format_problem p[16];
    r.page_size = 96;
    r.mbox_depth = 48;
    r.msg_size = 60;
    r.slot_size[0] = 100;
    r.slot_size[2] = 512;
    r.slot_count[1] = 0;
    r.slot_size[5] = 64; /* a pool beyond pool_count */
    unsigned n = shmbox_format_check(&r, SHMBOX_FMT_PAGE_MIN, p, 16);
    ck_assert_uint_eq(n, 7);
    ck_assert_int_eq(p[0].field, SHMBOX_FMT_F_PAGE_SIZE);
    want_text(&p[0], "CONFIG_SHMBOX_PAGE_SIZE=96: must be a power of two");
    want_text(&p[1], "CONFIG_SHMBOX_MBOX_DEPTH=48: must be a power of two");
    want_text(&p[2], "CONFIG_SHMBOX_MSG_SIZE=60: must be a multiple of 8");
    want_text(&p[3], "CONFIG_SHMBOX_POOL0_SLOT_SIZE=100: must be a multiple of 64 (the slot alignment)");
    want_text(&p[4], "CONFIG_SHMBOX_POOL1_SLOT_COUNT=0: must be in 1..1048575");
    want_text(&p[5], "CONFIG_SHMBOX_POOL2_SLOT_SIZE=512: must be larger than CONFIG_SHMBOX_POOL1_SLOT_SIZE=1024 "
                     "(pools are ordered by slot size)");
    ck_assert_int_eq(p[5].rule, SHMBOX_FMT_R_ORDER);
    ck_assert_uint_eq(p[5].pool, 2);
    want_text(&p[6], "CONFIG_SHMBOX_POOL5_SLOT_SIZE=64: must be 0: the pool is beyond CONFIG_SHMBOX_POOL_COUNT");
    /* Fewer slots than problems: the count is still all of them. */
    ck_assert_uint_eq(shmbox_format_check(&r, SHMBOX_FMT_PAGE_MIN, p, 2), 7);
}
END_TEST

START_TEST(check_refuses_hostile_records)
{
    struct shmbox_cfg_rec r;
    struct shmbox_format_problem p[1];
    memset(&r, 0xff, sizeof(r));
    ck_assert_uint_gt(shmbox_format_check(&r, SHMBOX_FMT_PAGE_MIN, NULL, 0), 0);
    memset(&r, 0, sizeof(r));
    ck_assert_uint_gt(shmbox_format_check(&r, SHMBOX_FMT_PAGE_MIN, NULL, 0), 0);
    r = def();
    r.layout_version = 1;
    ck_assert_uint_eq(shmbox_format_check(&r, SHMBOX_FMT_PAGE_MIN, p, 1), 1);
    want_text(&p[0], "layout version=1: must be in 3..3");
    r = def();
    r.page_size = 64; /* a firmware page: not where Linux maps it */
    ck_assert_uint_eq(shmbox_format_check(&r, SHMBOX_FMT_PAGE_MIN, NULL, 0), 0);
    ck_assert_uint_eq(shmbox_format_check(&r, SHMBOX_FMT_PAGE_MIN_LINUX, p, 1), 1);
    want_text(&p[0], "CONFIG_SHMBOX_PAGE_SIZE=64: must be in 4096..65536");
    r = def();
    r.max_procs = 1025;
    r.mbox_count = 257;
    ck_assert_uint_eq(shmbox_format_check(&r, SHMBOX_FMT_PAGE_MIN, NULL, 0), 2);
}
END_TEST

START_TEST(largest_valid_record_does_not_overflow)
{
    struct shmbox_cfg_rec r = def();
    struct shmbox_format_layout l;
    r.page_size = SHMBOX_FMT_PAGE_MAX;
    r.pool_count = SHMBOX_MAX_POOLS;
    r.mbox_count = SHMBOX_FMT_MBOX_MAX;
    r.mbox_depth = SHMBOX_FMT_DEPTH_MAX;
    r.msg_size = SHMBOX_FMT_MSG_MAX;
    r.max_procs = SHMBOX_FMT_PROCS_MAX;
    for (unsigned n = 0; n < SHMBOX_MAX_POOLS; n++) {
        r.slot_size[n] = SHMBOX_FMT_SLOT_SIZE_MAX - (SHMBOX_MAX_POOLS - 1u - n) * 64u;
        r.slot_count[n] = SHMBOX_FMT_SLOT_COUNT_MAX;
    }
    ck_assert_uint_eq(shmbox_format_check(&r, SHMBOX_FMT_PAGE_MIN, NULL, 0), 0);
    shmbox_format_layout(&r, &l);
    ck_assert(l.region_size > (uint64_t)8 * 268435000u * 1048575u);
    ck_assert(l.region_size < (uint64_t)1 << 52);
    ck_assert(l.mbox_off < l.region_size);
}
END_TEST

START_TEST(diff_names_the_differences)
{
    struct shmbox_cfg_rec a = def(), b = def();
    char buf[256];
    ck_assert_uint_eq(shmbox_format_diff(&a, &b, 0, buf, sizeof(buf)), 0);
    ck_assert_str_eq(buf, "");
    a.msg_size = 128;
    a.pool_count = 2;
    a.slot_size[2] = 0;
    a.slot_count[2] = 0;
    ck_assert_uint_eq(shmbox_format_diff(&a, &b, 0, buf, sizeof(buf)), 4);
    ck_assert_str_eq(buf, "CONFIG_SHMBOX_POOL_COUNT: region has 2, this build 3; "
                          "CONFIG_SHMBOX_MSG_SIZE: region has 128, this build 64; "
                          "CONFIG_SHMBOX_POOL2_SLOT_SIZE: region has 0, this build 65536; "
                          "CONFIG_SHMBOX_POOL2_SLOT_COUNT: region has 0, this build 16");
    ck_assert_uint_eq(shmbox_format_diff(&a, &b, 1, buf, sizeof(buf)), 4);
    ck_assert_str_eq(buf, "CONFIG_SHMBOX_POOL_COUNT: region has 2, this build 3");
    ck_assert_uint_eq(shmbox_format_diff(&a, &b, 0, buf, 20), 4);
    ck_assert_str_eq(buf, "CONFIG_SHMBOX_PO...");
}
END_TEST

START_TEST(names_and_locator)
{
    ck_assert_int_eq(shmbox_name_valid("ok.name-1_X"), 1);
    ck_assert_int_eq(shmbox_name_valid("1234567890123456789012345678901"), 1);
    ck_assert_int_eq(shmbox_name_valid("12345678901234567890123456789012"), 0);
    ck_assert_int_eq(shmbox_name_valid("a/b"), 0);
    ck_assert_int_eq(shmbox_name_valid("."), 0);
    ck_assert_int_eq(shmbox_name_valid(".."), 0);
    ck_assert_int_eq(shmbox_name_valid(""), 0);
    ck_assert_int_eq(shmbox_name_valid(NULL), 0);
#ifndef CONFIG_SHMBOX_PORT_STATIC /* the locator: Linux ports' names and keys */
    struct shmbox_locator loc;
    ck_assert_int_eq(shmbox_region_locator("a b", &loc), -EINVAL);
    ck_assert_int_eq(shmbox_region_locator(NULL, &loc), -EINVAL);
    ck_assert_int_eq(shmbox_region_locator("x", NULL), -EINVAL);
    ck_assert_int_eq(shmbox_region_locator("telemetry", &loc), 0);
    ck_assert_str_eq(loc.posix_object, "/shmbox.telemetry");
    /* KEY_BASE ^ FNV-1a-32(name), never 0 */
    uint32_t h = 0x811c9dc5u;
    for (const char *p = "telemetry"; *p != '\0'; p++)
        h = (h ^ (uint32_t)(unsigned char)*p) * 0x01000193u;
#ifdef CONFIG_SHMBOX_SYSV_KEY_BASE
    ck_assert_int_eq(loc.sysv_key, (int32_t)((uint32_t)CONFIG_SHMBOX_SYSV_KEY_BASE ^ h));
#else
    ck_assert_int_eq(loc.sysv_key, (int32_t)(SHMBOX_SYSV_KEY_BASE_DEFAULT ^ h));
#endif
#endif
}
END_TEST

#ifndef CONFIG_SHMBOX_PORT_STATIC /* format_locate.c: in the Linux ports' library */
START_TEST(device_locators_and_invalidate)
{
    char path[16];
    uint64_t off = 7;
    ck_assert_int_eq(shmbox_format_device_locator("/dev/mem", path, sizeof(path), &off), 0);
    ck_assert_str_eq(path, "/dev/mem");
    ck_assert_uint_eq(off, 7); /* no offset: left as it was */
    ck_assert_int_eq(shmbox_format_device_locator("/dev/mem@0x9F000000", path, sizeof(path), &off), 1);
    ck_assert_uint_eq(off, 0x9f000000u);
    ck_assert_int_eq(shmbox_format_device_locator("/a@b@4096", path, sizeof(path), &off), 1);
    ck_assert_str_eq(path, "/a@b"); /* the last '@' starts the offset */
    ck_assert_uint_eq(off, 4096);
    ck_assert_int_eq(shmbox_format_device_locator("/f@18446744073709551615", path, sizeof(path), &off), 1);
    ck_assert_uint_eq(off, UINT64_MAX);
    static const char *const bad[] = {"dev/mem", "/", "/@4096", "/f@", "/f@0x", "/f@12a", "/f@0xg",
                                      "/f@18446744073709551616", "/0123456789abcdef"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(shmbox_format_device_locator(bad[i], path, sizeof(path), &off) == -EINVAL, "%s", bad[i]);

    char obj[sizeof(SHMBOX_POSIX_PREFIX) + SHMBOX_NAME_MAX];
    ck_assert_uint_eq(shmbox_format_posix_object("x", obj, sizeof(obj)), 9);
    ck_assert_str_eq(obj, "/shmbox.x");
    ck_assert_uint_eq(shmbox_format_posix_object("x", obj, 4), 3); /* truncated */
    ck_assert_str_eq(obj, "/sh");
    ck_assert_int_eq(shmbox_format_sysv_key("", 0x811c9dc5u), 1); /* key 0 becomes 1 */

    unsigned char hdr[SHMBOX_FMT_IDENTITY_BYTES + 1];
    memset(hdr, 0, sizeof(hdr));
    hdr[SHMBOX_FMT_IDENTITY_BYTES] = 0xa5; /* beyond the identity: kept */
    ck_assert_int_eq(shmbox_format_invalidate(hdr), -ENOENT);
    hdr[SHMBOX_FMT_IDENTITY_BYTES - 1u] = 1;
    ck_assert_int_eq(shmbox_format_invalidate(hdr), 0);
    ck_assert_uint_eq(hdr[SHMBOX_FMT_IDENTITY_BYTES - 1u], 0);
    ck_assert_uint_eq(hdr[SHMBOX_FMT_IDENTITY_BYTES], 0xa5);
}
END_TEST
#endif

START_TEST(text_appends_truncate)
{
    char buf[8];
    struct shmbox_format_text t = {buf, sizeof(buf), 0};
    shmbox_format_text_str(&t, "n=");
    shmbox_format_text_u64(&t, 0);
    ck_assert_str_eq(buf, "n=0");
    shmbox_format_text_u64(&t, UINT64_MAX);
    ck_assert_str_eq(buf, "n=01844");
    ck_assert_uint_eq(t.len, 7);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("format");
    TCase *tc = tcase_create("format");
    tcase_add_test(tc, layout_of_the_defconfig);
    tcase_add_test(tc, this_build_is_valid);
    tcase_add_test(tc, compact_variant_is_firmware_only);
    tcase_add_test(tc, check_names_each_wrong_value);
    tcase_add_test(tc, check_refuses_hostile_records);
    tcase_add_test(tc, largest_valid_record_does_not_overflow);
    tcase_add_test(tc, diff_names_the_differences);
    tcase_add_test(tc, names_and_locator);
#ifndef CONFIG_SHMBOX_PORT_STATIC
    tcase_add_test(tc, device_locators_and_invalidate);
#endif
    tcase_add_test(tc, text_appends_truncate);
    suite_add_tcase(s, tc);
    return shmbox_check_run(s, CK_NOFORK);
}
