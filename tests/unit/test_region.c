// SPDX-License-Identifier: MIT
/*
 * Region lifecycle: create, open, close, unlink, error_detail, names, and
 * every error the header lists for them that a single process can provoke
 * on any port. Header corruption is simulated by writing the region
 * through the component's own layout (the region is untrusted input).
 */
#include <stdio.h>
#include <string.h>

#include <shmbox/port.h>

#include "access.h"
#include "unit.h"

/* ---- names -------------------------------------------------------------- */

static const char *const bad_names[] = {
    "",        ".",      "..",     "/x",     "a/b",   "x/",    "a b",  "a\tb", "a\nb", "na*me",
    "n?me",    "a:b",    "a\\b",   "\xc3\xa9", "caf\xc3\xa9", "a%b", "a+b",  "~a",   "a,b",  "(a)",
};

START_TEST(name_invalid_everywhere)
{
    for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
        const char *n = bad_names[i];
#if defined(CONFIG_SHMBOX_DEVICE)
        if (n[0] == '/')
            continue; /* a device locator: tests/ports/posix/test_device.c */
#endif
        ck_assert_msg(shmbox_create(&ut_sb[0], n) == -EINVAL, "create accepted \"%s\"", n);
        ck_assert_msg(shmbox_open(&ut_sb[0], n, SHMBOX_NO_WAIT) == -EINVAL, "open accepted \"%s\"", n);
        ck_assert_msg(shmbox_unlink(n) == -EINVAL, "unlink accepted \"%s\"", n);
    }
    UT_RC(shmbox_create(&ut_sb[0], NULL), -EINVAL);
    UT_RC(shmbox_open(&ut_sb[0], NULL, SHMBOX_NO_WAIT), -EINVAL);
    UT_RC(shmbox_unlink(NULL), -EINVAL);
}
END_TEST

/* A unique name of exactly @p len characters (len >= 16). */
static const char *name_of_len(size_t len)
{
    static char buf[64];
    const char *base = shmbox_test_name("len");
    snprintf(buf, sizeof(buf), "%s", base);
    size_t n = strlen(buf);
    ck_assert_uint_le(n, len);
    for (; n < len; n++)
        buf[n] = (char)('a' + n % 26u);
    buf[len] = '\0';
    return buf;
}

START_TEST(name_length_31_ok_32_rejected)
{
    char n31[64], n32[64];
    snprintf(n31, sizeof(n31), "%s", name_of_len(31));
    snprintf(n32, sizeof(n32), "%s", name_of_len(32));
    ck_assert_uint_eq(strlen(n31), 31);
    ck_assert_uint_eq(strlen(n32), 32);
    ut_track(n31);

    UT_RC(shmbox_create(&ut_sb[0], n32), -EINVAL);
    UT_RC(shmbox_open(&ut_sb[0], n32, SHMBOX_NO_WAIT), -EINVAL);
    UT_RC(shmbox_unlink(n32), -EINVAL);

    UT_RC(shmbox_create(&ut_sb[0], n31), 0);
    UT_RC(shmbox_open(&ut_sb[1], n31, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_close(&ut_sb[1]), 0);
    UT_RC(shmbox_close(&ut_sb[0]), 0);
    UT_RC(shmbox_unlink(n31), 0);
}
END_TEST

START_TEST(name_length_1_and_all_valid_chars)
{
    /* A one-character name cannot be unique per process: try characters
     * until one is free. Every one must be accepted (0 or -EEXIST). */
    static const char chars[] = "QZqz0123456789._-ABCDEFGHIJKLMNOPRSTUVWXYabcdefghijklmnoprstuvwxy";
    int created = 0;
    for (size_t i = 0; chars[i] != '\0' && !created; i++) {
        char n[2] = {chars[i], '\0'};
        int rc = shmbox_create(&ut_sb[0], n);
        ck_assert_msg(rc == 0 || rc == -EEXIST, "create(\"%s\"): %s", n, shmbox_strerror(rc));
        if (rc == 0) {
            ut_track(n);
            created = 1;
            UT_RC(shmbox_close(&ut_sb[0]), 0);
            UT_RC(shmbox_unlink(n), 0);
        }
    }
    ck_assert_msg(created, "no one-character name was free");

    /* Every allowed character, dots included (only "." and ".." are out). */
    char n[SHMBOX_NAME_MAX + 1];
    snprintf(n, sizeof(n), "%.12s.-_..AZaz09", shmbox_test_name("chr"));
    ut_track(n);
    UT_RC(shmbox_create(&ut_sb[0], n), 0);
    UT_RC(shmbox_close(&ut_sb[0]), 0);
    UT_RC(shmbox_unlink(n), 0);
}
END_TEST

/* ---- create / open / close / unlink --------------------------------------- */

START_TEST(create_open_close_unlink)
{
    const char *name = ut_create(&ut_sb[0], "life");
    ck_assert_str_eq(shmbox_error_detail(&ut_sb[0]), "");
    UT_RC(shmbox_open(&ut_sb[1], name, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_open(&ut_sb[2], name, 1000), 0);
    UT_RC(shmbox_open(&ut_sb[3], name, SHMBOX_FOREVER), 0);
    ck_assert_str_eq(shmbox_error_detail(&ut_sb[1]), "");

    /* Every handle sees the same region. */
    UT_RC(shmbox_send(&ut_sb[1], 0, "hello", 5, SHMBOX_NO_WAIT), 0);
    char buf[8];
    UT_RC(shmbox_recv(&ut_sb[3], 0, buf, sizeof(buf), SHMBOX_NO_WAIT), 5);
    ck_assert_mem_eq(buf, "hello", 5);

    for (unsigned i = 0; i < 4; i++)
        UT_RC(shmbox_close(&ut_sb[i]), 0);
    /* Closing does not remove the region. */
    UT_RC(shmbox_open(&ut_sb[0], name, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_close(&ut_sb[0]), 0);
    UT_RC(shmbox_unlink(name), 0);
    UT_RC(shmbox_open(&ut_sb[0], name, SHMBOX_NO_WAIT), -ENOENT);
    UT_RC(shmbox_unlink(name), -ENOENT);
}
END_TEST

START_TEST(create_exclusive_eexist)
{
    const char *name = ut_create(&ut_sb[0], "excl");
    UT_RC(shmbox_send(&ut_sb[0], 0, "x", 1, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_create(&ut_sb[1], name), -EEXIST);
    /* The failed create neither touched the region nor opened the handle. */
    UT_RC(shmbox_close(&ut_sb[1]), -EINVAL);
    UT_RC(shmbox_open(&ut_sb[1], name, SHMBOX_NO_WAIT), 0);
    char c = 0;
    UT_RC(shmbox_recv(&ut_sb[1], 0, &c, 1, SHMBOX_NO_WAIT), 1);
    ck_assert_int_eq(c, 'x');
}
END_TEST

START_TEST(busy_handle)
{
    const char *name = ut_create(&ut_sb[0], "busy");
    const char *other = ut_name("busy2");
    UT_RC(shmbox_create(&ut_sb[0], other), -EBUSY);
    UT_RC(shmbox_open(&ut_sb[0], name, SHMBOX_NO_WAIT), -EBUSY);
    /* The handle is still the open one, and no region "other" was made. */
    UT_RC(shmbox_send(&ut_sb[0], 0, "y", 1, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_unlink(other), -ENOENT);
    UT_RC(shmbox_open(&ut_sb[1], name, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_open(&ut_sb[1], name, SHMBOX_NO_WAIT), -EBUSY);
}
END_TEST

START_TEST(null_and_closed_handles)
{
    const char *name = ut_name("null");
    UT_RC(shmbox_create(NULL, name), -EINVAL);
    UT_RC(shmbox_open(NULL, name, SHMBOX_NO_WAIT), -EINVAL);
    UT_RC(shmbox_close(NULL), -EINVAL);
    UT_RC(shmbox_close(&ut_sb[0]), -EINVAL); /* zeroed, never opened */
    ck_assert_str_eq(shmbox_error_detail(NULL), "");
    ck_assert_str_eq(shmbox_error_detail(&ut_sb[0]), "");

    /* Garbage in a handle that was never opened is not "open". */
    memset(&ut_sb[1], 0xa5, sizeof(ut_sb[1]));
    UT_RC(shmbox_close(&ut_sb[1]), -EINVAL);
    ck_assert_str_eq(shmbox_error_detail(&ut_sb[1]), "");
    UT_RC(shmbox_create(&ut_sb[1], name), 0);

    UT_RC(shmbox_close(&ut_sb[1]), 0);
    UT_RC(shmbox_close(&ut_sb[1]), -EINVAL); /* twice */
    /* A closed handle may be reused. */
    UT_RC(shmbox_open(&ut_sb[1], name, SHMBOX_NO_WAIT), 0);
}
END_TEST

START_TEST(open_missing_and_bad_timeout)
{
    const char *name = ut_name("miss");
    UT_RC(shmbox_open(&ut_sb[0], name, SHMBOX_NO_WAIT), -ENOENT);
    UT_RC(shmbox_open(&ut_sb[0], name, 100), -ENOENT); /* still none after waiting 100 ms */
    UT_RC(shmbox_close(&ut_sb[0]), -EINVAL);
    ut_create(&ut_sb[1], "miss2");
    UT_RC(shmbox_open(&ut_sb[0], name, -2), -EINVAL);
    UT_RC(shmbox_open(&ut_sb[0], name, INT32_MIN), -EINVAL);
}
END_TEST

START_TEST(unlink_then_recreate)
{
    const char *name = ut_create(&ut_sb[0], "recr");
    UT_RC(shmbox_send(&ut_sb[0], 0, "old", 3, SHMBOX_NO_WAIT), 0);
    UT_RC(shmbox_unlink(name), 0);
#if defined(CONFIG_SHMBOX_PORT_STATIC)
    /* One buffer, one region at a time: it is free again only when the
     * last handle of the unlinked region closes (README, "Ports"). */
    UT_RC(shmbox_create(&ut_sb[1], name), -ENOSPC);
    UT_RC(shmbox_open(&ut_sb[1], name, SHMBOX_NO_WAIT), -ENOENT);
    char old[4];
    UT_RC(shmbox_recv(&ut_sb[0], 0, old, sizeof(old), SHMBOX_NO_WAIT), 3);
    ck_assert_mem_eq(old, "old", 3);
    UT_RC(shmbox_close(&ut_sb[0]), 0);
    UT_RC(shmbox_create(&ut_sb[1], name), 0);
    UT_RC(shmbox_recv(&ut_sb[1], 0, old, sizeof(old), SHMBOX_NO_WAIT), -EAGAIN);
#else
    /* The old handle keeps working; the name is free for a new region. */
    UT_RC(shmbox_create(&ut_sb[1], name), 0);
    char buf[4];
    UT_RC(shmbox_recv(&ut_sb[1], 0, buf, sizeof(buf), SHMBOX_NO_WAIT), -EAGAIN);
    UT_RC(shmbox_recv(&ut_sb[0], 0, buf, sizeof(buf), SHMBOX_NO_WAIT), 3);
    ck_assert_mem_eq(buf, "old", 3);
#endif
}
END_TEST

/* ---- header validation on open ------------------------------------------ */

static struct shmbox_hdr *hdr(shmbox_t *sb)
{
    return (struct shmbox_hdr *)(void *)sb->base;
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
    struct shmbox_hdr *h = hdr(&ut_sb[0]);
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
    struct shmbox_hdr *h = hdr(&ut_sb[0]);
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
    struct shmbox_hdr *h = hdr(&ut_sb[0]);
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
        h->fingerprint = sbx_layout_fingerprint(&h->cfg);
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
    h->fingerprint = sbx_layout_fingerprint(&h->cfg);
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
    struct shmbox_hdr *h = hdr(&ut_sb[0]);
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

START_TEST(open_creator_died_while_initialising)
{
    const char *name = ut_create(&ut_sb[0], "died");
    struct shmbox_hdr *h = hdr(&ut_sb[0]);
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

/* ---- the process table ------------------------------------------------------ */

START_TEST(open_process_table_full_eusers)
{
    const char *name = ut_create(&ut_sb[0], "users");
    struct shmbox_hdr *h = hdr(&ut_sb[0]);
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

int main(void)
{
    Suite *s = suite_create("region");
    TCase *tc = ut_tcase("names");
    tcase_add_test(tc, name_invalid_everywhere);
    tcase_add_test(tc, name_length_31_ok_32_rejected);
    tcase_add_test(tc, name_length_1_and_all_valid_chars);
    suite_add_tcase(s, tc);
    tc = ut_tcase("lifecycle");
    tcase_add_test(tc, create_open_close_unlink);
    tcase_add_test(tc, create_exclusive_eexist);
    tcase_add_test(tc, busy_handle);
    tcase_add_test(tc, null_and_closed_handles);
    tcase_add_test(tc, open_missing_and_bad_timeout);
    tcase_add_test(tc, unlink_then_recreate);
    suite_add_tcase(s, tc);
    tc = ut_tcase("validation");
    tcase_add_test(tc, open_bad_magic);
    tcase_add_test(tc, open_corrupt_header);
    tcase_add_test(tc, open_eproto_names_each_value);
    tcase_add_test(tc, open_times_out_while_initialising);
    tcase_add_test(tc, open_creator_died_while_initialising);
    suite_add_tcase(s, tc);
    tc = ut_tcase("processes");
    tcase_add_test(tc, open_process_table_full_eusers);
    tcase_add_test(tc, attached_counts_handles);
    suite_add_tcase(s, tc);
    return ut_run(s);
}
