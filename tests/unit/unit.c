// SPDX-License-Identifier: MIT
/* Helpers of the unit tests (see unit.h). */
#include "unit.h"

#include <stdio.h>
#include <string.h>

#include <shmbox/port.h>

#include "check_run.h"
#include "support.h"

shmbox_t ut_sb[UT_HANDLES];

const uint32_t ut_slot_size[UT_POOLS] = {
    CONFIG_SHMBOX_POOL0_SLOT_SIZE UT_P1(CONFIG_SHMBOX_POOL1_SLOT_SIZE) UT_P2(CONFIG_SHMBOX_POOL2_SLOT_SIZE)
        UT_P3(CONFIG_SHMBOX_POOL3_SLOT_SIZE) UT_P4(CONFIG_SHMBOX_POOL4_SLOT_SIZE)
            UT_P5(CONFIG_SHMBOX_POOL5_SLOT_SIZE) UT_P6(CONFIG_SHMBOX_POOL6_SLOT_SIZE)
                UT_P7(CONFIG_SHMBOX_POOL7_SLOT_SIZE)};
const uint32_t ut_slot_count[UT_POOLS] = {
    CONFIG_SHMBOX_POOL0_SLOT_COUNT UT_P1(CONFIG_SHMBOX_POOL1_SLOT_COUNT) UT_P2(CONFIG_SHMBOX_POOL2_SLOT_COUNT)
        UT_P3(CONFIG_SHMBOX_POOL3_SLOT_COUNT) UT_P4(CONFIG_SHMBOX_POOL4_SLOT_COUNT)
            UT_P5(CONFIG_SHMBOX_POOL5_SLOT_COUNT) UT_P6(CONFIG_SHMBOX_POOL6_SLOT_COUNT)
                UT_P7(CONFIG_SHMBOX_POOL7_SLOT_COUNT)};

uint32_t ut_total_slots(void)
{
    uint32_t n = 0;
    for (unsigned p = 0; p < UT_POOLS; p++)
        n += ut_slot_count[p];
    return n;
}

#define UT_NAMES 32
static char names[UT_NAMES][SHMBOX_NAME_MAX + 1];
static unsigned name_count;

void ut_track(const char *name)
{
    ck_assert_msg(name_count < UT_NAMES, "too many regions in one test");
    snprintf(names[name_count++], sizeof(names[0]), "%s", name);
}

const char *ut_name(const char *tag)
{
    ut_track(shmbox_test_name(tag));
    return names[name_count - 1u];
}

const char *ut_create(shmbox_t *sb, const char *tag)
{
    const char *name = ut_name(tag);
    UT_RC(shmbox_create(sb, name), 0);
    return name;
}

void ut_setup(void)
{
    memset(ut_sb, 0, sizeof(ut_sb));
    name_count = 0;
}

void ut_teardown(void)
{
    for (unsigned i = 0; i < UT_HANDLES; i++)
        (void)shmbox_close(&ut_sb[i]);
    for (unsigned i = 0; i < name_count; i++)
        (void)shmbox_unlink(names[i]);
    name_count = 0;
}

uint64_t ut_now_ms(void)
{
    return shmbox_port_now_ns() / 1000000u;
}

TCase *ut_tcase(const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, ut_setup, ut_teardown);
    return tc;
}

int ut_run(Suite *s)
{
    return shmbox_check_run(s, CK_NOFORK);
}
