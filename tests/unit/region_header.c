// SPDX-License-Identifier: MIT
/*
 * Region open against a bad header, and the process table (unit_region,
 * with test_region.c). Header corruption is simulated by writing the
 * region through the component's own layout (the region is untrusted input).
 */
#include <stdio.h>
#include <string.h>

#include <shmbox/port.h>

#include "internals.h"
#include "region_tcases.h"
#include "unit.h"

/* ---- header validation on open ------------------------------------------ */

static ut_hdr_t *hdr(shmbox_t *sb)
{
    return ut_hdr(sb);
}

static void expect_open(const char *name, int want, const char *detail_part)
{
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    int rc = shmbox_open(&sb, name, SHMBOX_NO_WAIT);
    if (rc == 0)
        shmbox_close(&sb);
    ck_assert_msg(rc == want, "open: got %s, want %s (detail \"%s\")", shmbox_strerror(rc), shmbox_strerror(want),
                  shmbox_error_detail(&sb));
    if (detail_part != NULL)
        UT_DETAIL_HAS(shmbox_error_detail(&sb), detail_part);
    /* A failed open leaves the handle closed. */
    UT_RC(shmbox_close(&sb), -EINVAL);
}

START_TEST(open_bad_magic)
{
    const char *name = ut_create(&ut_sb[0], "magic");
    ut_hdr_t *h = hdr(&ut_sb[0]);
    uint64_t m = h->magic;
    h->magic = m ^ 1u;
    expect_open(name, -EBADMSG, "magic");
    h->magic = 0;
    expect_open(name, -EBADMSG, "magic");
    h->magic = m;
    expect_open(name, 0, NULL);
}
END_TEST

START_TEST(open_corrupt_header)
{
    const char *name = ut_create(&ut_sb[0], "corr");
    ut_hdr_t *h = hdr(&ut_sb[0]);
    /* A config record that does not match its own fingerprint. */
    h->cfg.msg_size += 8;
    expect_open(name, -EBADMSG, NULL);
    h->cfg.msg_size -= 8;
    h->fingerprint ^= 0x10;
    expect_open(name, -EBADMSG, NULL);
    h->fingerprint ^= 0x10;
    /* A recorded size that is not the layout's. */
    h->region_size += CONFIG_SHMBOX_PAGE_SIZE;
    expect_open(name, -EBADMSG, "size");
    h->region_size -= CONFIG_SHMBOX_PAGE_SIZE;
    /* An init state that is none of the three. */
    atomic_store(&h->init_state, 77u);
    expect_open(name, -EBADMSG, "init state");
    atomic_store(&h->init_state, SHMBOX_INIT_READY);
    expect_open(name, 0, NULL);
}
END_TEST

/* Each recorded layout value, changed consistently (fingerprint updated),
 * gives -EPROTO naming exactly that value. */
START_TEST(open_eproto_names_each_value)
{
    const char *name = ut_create(&ut_sb[0], "proto");
    ut_hdr_t *h = hdr(&ut_sb[0]);
    struct shmbox_cfg_rec saved = h->cfg;
    uint64_t saved_fp = h->fingerprint;
    struct {
        uint32_t *field;
        char label[48];
    } f[7 + 2 * SHMBOX_MAX_POOLS];
    unsigned n = 0;
#define FIELD(member, text)                                        \
    f[n].field = &h->cfg.member;                                   \
    snprintf(f[n].label, sizeof(f[n].label), "%s", text);           \
    n++;
    FIELD(layout_version, "layout version")
    FIELD(page_size, "CONFIG_SHMBOX_PAGE_SIZE")
    FIELD(pool_count, "CONFIG_SHMBOX_POOL_COUNT")
    FIELD(mbox_count, "CONFIG_SHMBOX_MBOX_COUNT")
    FIELD(mbox_depth, "CONFIG_SHMBOX_MBOX_DEPTH")
    FIELD(msg_size, "CONFIG_SHMBOX_MSG_SIZE")
    FIELD(max_procs, "CONFIG_SHMBOX_MAX_PROCS")
#undef FIELD
    for (unsigned p = 0; p < SHMBOX_MAX_POOLS; p++) {
        f[n].field = &h->cfg.slot_size[p];
        snprintf(f[n].label, sizeof(f[n].label), "CONFIG_SHMBOX_POOL%u_SLOT_SIZE", p);
        n++;
        f[n].field = &h->cfg.slot_count[p];
        snprintf(f[n].label, sizeof(f[n].label), "CONFIG_SHMBOX_POOL%u_SLOT_COUNT", p);
        n++;
    }
    for (unsigned i = 0; i < n; i++) {
        uint32_t ours = *f[i].field;
        uint32_t theirs = ours == 0 ? 64u : ours * 2u;
        *f[i].field = theirs;
        h->fingerprint = shmbox_format_fingerprint(&h->cfg);
        char want[SHMBOX_DETAIL_MAX];
        snprintf(want, sizeof(want), "%s: region has %u, this build %u", f[i].label, (unsigned)theirs, (unsigned)ours);
        shmbox_t sb;
        memset(&sb, 0, sizeof(sb));
        int rc = shmbox_open(&sb, name, SHMBOX_NO_WAIT);
        ck_assert_msg(rc == -EPROTO, "%s changed: open gave %s", f[i].label, shmbox_strerror(rc));
#ifdef CONFIG_SHMBOX_ERROR_DETAIL
        ck_assert_str_eq(shmbox_error_detail(&sb), want);
#else
        ck_assert_str_eq(shmbox_error_detail(&sb), "");
#endif
        h->cfg = saved;
        h->fingerprint = saved_fp;
    }
    /* The configured message size, spelled from the generated config. */
    h->cfg.msg_size = CONFIG_SHMBOX_MSG_SIZE + 8u;
    h->fingerprint = shmbox_format_fingerprint(&h->cfg);
    char want[SHMBOX_DETAIL_MAX];
    snprintf(want, sizeof(want), "CONFIG_SHMBOX_MSG_SIZE: region has %u, this build %u",
             (unsigned)CONFIG_SHMBOX_MSG_SIZE + 8u, (unsigned)CONFIG_SHMBOX_MSG_SIZE);
    expect_open(name, -EPROTO, want);
    h->cfg = saved;
    h->fingerprint = saved_fp;
    expect_open(name, 0, NULL);
    /* A later successful open clears the detail. */
    UT_RC(shmbox_open(&ut_sb[1], name, SHMBOX_NO_WAIT), 0);
    ck_assert_str_eq(shmbox_error_detail(&ut_sb[1]), "");
}
END_TEST

START_TEST(open_times_out_while_initialising)
{
    const char *name = ut_create(&ut_sb[0], "init");
    ut_hdr_t *h = hdr(&ut_sb[0]);
    /* As if the creator (alive: this process) were still initialising. */
    atomic_store(&h->init_state, SHMBOX_INIT_INITIALIZING);

    uint64_t t0 = ut_now_ms();
    UT_RC(shmbox_open(&ut_sb[1], name, SHMBOX_NO_WAIT), -ETIMEDOUT);
    ck_assert_uint_le(ut_now_ms() - t0, UT_SLACK_MS);

    const int32_t asked = 150;
    t0 = ut_now_ms();
    UT_RC(shmbox_open(&ut_sb[1], name, asked), -ETIMEDOUT);
    uint64_t took = ut_now_ms() - t0;
    UT_ELAPSED_OK(took, asked);
    UT_DETAIL_HAS(shmbox_error_detail(&ut_sb[1]), "in time");
    UT_RC(shmbox_close(&ut_sb[1]), -EINVAL);

    atomic_store(&h->init_state, SHMBOX_INIT_READY);
    UT_RC(shmbox_open(&ut_sb[1], name, asked), 0);
}
END_TEST

#ifndef CONFIG_SHMBOX_MINIMAL_CORE
START_TEST(open_creator_died_while_initialising)
{
    const char *name = ut_create(&ut_sb[0], "died");
    ut_hdr_t *h = hdr(&ut_sb[0]);
    atomic_store(&h->init_state, SHMBOX_INIT_INITIALIZING);
    /* The recorded creator is not the process now running under its id. */
    uint64_t token = h->creator_token;
    h->creator_token = token + 1u;
    uint64_t t0 = ut_now_ms();
    UT_RC(shmbox_open(&ut_sb[1], name, 10000), -EBADMSG);
    ck_assert_uint_lt(ut_now_ms() - t0, 5000); /* reported, not waited out */
    UT_DETAIL_HAS(shmbox_error_detail(&ut_sb[1]), "died");
    h->creator_token = token;
    atomic_store(&h->init_state, SHMBOX_INIT_READY);
    UT_RC(shmbox_open(&ut_sb[1], name, SHMBOX_NO_WAIT), 0);
}
END_TEST
#else
/* The minimal core keeps no creator identity: a region left INITIALIZING
 * is waited out (-ETIMEDOUT), never reported as a dead creator's. */
START_TEST(open_creator_died_while_initialising)
{
    const char *name = ut_create(&ut_sb[0], "died");
    ut_hdr_t *h = hdr(&ut_sb[0]);
    atomic_store(&h->init_state, SHMBOX_INIT_INITIALIZING);
    UT_RC(shmbox_open(&ut_sb[1], name, 20), -ETIMEDOUT);
    UT_RC(shmbox_close(&ut_sb[1]), -EINVAL);
    atomic_store(&h->init_state, SHMBOX_INIT_READY);
    UT_RC(shmbox_open(&ut_sb[1], name, SHMBOX_NO_WAIT), 0);
}
END_TEST
#endif

/* ---- the process table ------------------------------------------------------ */

#ifndef CONFIG_SHMBOX_MINIMAL_CORE
START_TEST(open_process_table_full_eusers)
{
    const char *name = ut_create(&ut_sb[0], "users");
    ut_hdr_t *h = hdr(&ut_sb[0]);
    uint32_t pid = shmbox_port_pid();
    uint64_t token = shmbox_port_proc_token(pid);
    ck_assert_uint_ne(token, 0);
    /* Fill every free entry with a live process (this one). */
    uint32_t filled = 0;
    for (uint32_t i = 0; i < CONFIG_SHMBOX_MAX_PROCS; i++) {
        if (atomic_load(&h->procs[i].pid) != 0)
            continue;
        atomic_store(&h->procs[i].token_lo, (uint32_t)token);
        atomic_store(&h->procs[i].token_hi, (uint32_t)(token >> 32));
        atomic_store(&h->procs[i].pid, pid);
        filled++;
    }
    ck_assert_uint_eq(filled, CONFIG_SHMBOX_MAX_PROCS - 1u);
    struct shmbox_stat st;
    UT_RC(shmbox_stat(&ut_sb[0], &st), 0);
    ck_assert_uint_eq(st.attached, CONFIG_SHMBOX_MAX_PROCS);
    UT_RC(shmbox_open(&ut_sb[1], name, SHMBOX_NO_WAIT), -EUSERS);
    UT_RC(shmbox_close(&ut_sb[1]), -EINVAL);

    /* A dead entry (its token no longer matches) is taken over. */
    uint32_t last = CONFIG_SHMBOX_MAX_PROCS - 1u;
    atomic_store(&h->procs[last].token_lo, (uint32_t)(token + 1u));
    atomic_store(&h->procs[last].token_hi, (uint32_t)((token + 1u) >> 32));
    UT_RC(shmbox_stat(&ut_sb[0], &st), 0);
    ck_assert_uint_eq(st.attached, CONFIG_SHMBOX_MAX_PROCS - 1u);
    UT_RC(shmbox_open(&ut_sb[1], name, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_stat(&ut_sb[0], &st), 0);
    ck_assert_uint_eq(st.attached, CONFIG_SHMBOX_MAX_PROCS);
    UT_RC(shmbox_open(&ut_sb[2], name, SHMBOX_NO_WAIT), -EUSERS);

    /* Give the fake entries back. */
    for (uint32_t i = 0; i < CONFIG_SHMBOX_MAX_PROCS; i++)
        if (i != ut_sb[0].proc_index && i != ut_sb[1].proc_index)
            atomic_store(&h->procs[i].pid, 0u);
    UT_RC(shmbox_open(&ut_sb[2], name, SHMBOX_NO_WAIT), 0);
}
END_TEST
#else
/* The minimal core has no process table: the header counts open handles
 * for shmbox_stat() and bounds none (a reset core's count stays). */
START_TEST(open_process_table_full_eusers)
{
    const char *name = ut_create(&ut_sb[0], "users");
    ut_hdr_t *h = hdr(&ut_sb[0]);
    atomic_store(&h->attached, (uint32_t)CONFIG_SHMBOX_MAX_PROCS + 5u); /* resets left counts behind */
    UT_RC(shmbox_open(&ut_sb[1], name, SHMBOX_NO_WAIT), 0);
    struct shmbox_stat st;
    UT_RC(shmbox_stat(&ut_sb[0], &st), 0);
    ck_assert_uint_eq(st.attached, CONFIG_SHMBOX_MAX_PROCS + 6u);
    UT_RC(shmbox_close(&ut_sb[1]), 0);
    atomic_store(&h->attached, 0u); /* a count gone wrong never goes below 0 */
    UT_RC(shmbox_open(&ut_sb[1], name, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_close(&ut_sb[1]), 0);
    UT_RC(shmbox_close(&ut_sb[0]), 0);
    UT_RC(shmbox_open(&ut_sb[0], name, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_stat(&ut_sb[0], &st), 0);
    ck_assert_uint_eq(st.attached, 1);
}
END_TEST
#endif

START_TEST(attached_counts_handles)
{
    const char *name = ut_create(&ut_sb[0], "att");
    struct shmbox_stat st;
    UT_RC(shmbox_stat(&ut_sb[0], &st), 0);
    ck_assert_uint_eq(st.attached, 1);
    for (unsigned i = 1; i < UT_HANDLES; i++) {
        UT_RC(shmbox_open(&ut_sb[i], name, SHMBOX_NO_WAIT), 0);
        UT_RC(shmbox_stat(&ut_sb[i], &st), 0);
        ck_assert_uint_eq(st.attached, i + 1u);
    }
    for (unsigned i = UT_HANDLES; i-- > 1;) {
        UT_RC(shmbox_close(&ut_sb[i]), 0);
        UT_RC(shmbox_stat(&ut_sb[0], &st), 0);
        ck_assert_uint_eq(st.attached, i);
    }
}
END_TEST

TCase *region_validation_tcase(void)
{
    TCase *tc = ut_tcase("validation");
    tcase_add_test(tc, open_bad_magic);
    tcase_add_test(tc, open_corrupt_header);
    tcase_add_test(tc, open_eproto_names_each_value);
    tcase_add_test(tc, open_times_out_while_initialising);
    tcase_add_test(tc, open_creator_died_while_initialising);
    return tc;
}

TCase *region_processes_tcase(void)
{
    TCase *tc = ut_tcase("processes");
    tcase_add_test(tc, open_process_table_full_eusers);
    tcase_add_test(tc, attached_counts_handles);
    return tc;
}
