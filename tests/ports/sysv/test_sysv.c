// SPDX-License-Identifier: MIT
/*
 * The SysV port's own behaviour, seen from outside: the key rule, the
 * segment's mode and size, an undersized or foreign segment under a
 * shmbox key, and what util-linux's `ipcs -m` (a client nobody here
 * wrote) reports for a region attached by several processes.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include <shmbox/shmbox.h>

#include "layout.h" /* SHMBOX_REGION_SIZE */
#include "check_run.h"
#include "support.h"

#ifndef SHMBOX_IPCS
#error "SHMBOX_IPCS (path of util-linux ipcs) must be defined by the build"
#endif

/* The documented rule, written out again: KEY_BASE ^ FNV-1a-32(name), 0 -> 1. */
static key_t expected_key(const char *name)
{
    uint32_t h = 2166136261u;
    for (const char *p = name; *p != '\0'; p++)
        h = (h ^ (uint32_t)(unsigned char)*p) * 16777619u;
    uint32_t k = (uint32_t)CONFIG_SHMBOX_SYSV_KEY_BASE ^ h;
    return (key_t)(int32_t)(k == 0 ? 1u : k);
}

static const char *region;
static shmbox_t sb;

static void setup(void)
{
    memset(&sb, 0, sizeof(sb));
    region = shmbox_test_name("sysv");
}

static void teardown(void)
{
    (void)shmbox_close(&sb);
    (void)shmbox_unlink(region);
    int id = shmget(expected_key(region), 0, 0);
    if (id >= 0)
        (void)shmctl(id, IPC_RMID, NULL);
}

START_TEST(key_mode_and_size)
{
    ck_assert_int_eq(shmbox_create(&sb, region), 0);
    int id = shmget(expected_key(region), 0, 0);
    ck_assert_msg(id >= 0, "no segment under key 0x%08x: %s", (unsigned)expected_key(region), strerror(errno));
    struct shmid_ds ds;
    ck_assert_int_eq(shmctl(id, IPC_STAT, &ds), 0);
    ck_assert_uint_eq(ds.shm_perm.mode & 0777u, SHMBOX_MODE_BITS);
    ck_assert_uint_ge(ds.shm_segsz, SHMBOX_REGION_SIZE);
    ck_assert_uint_eq(ds.shm_nattch, 1);
    ck_assert_uint_eq(ds.shm_perm.uid, geteuid());
    /* What the library tells tools: the key the port used, and the port. */
    struct shmbox_locator loc;
    ck_assert_int_eq(shmbox_region_locator(region, &loc), 0);
    ck_assert_int_eq(loc.sysv_key, (int32_t)expected_key(region));
    ck_assert_int_eq(loc.port, SHMBOX_PORT_ID_SYSV);

    /* Exclusive: a second create of the name fails, the first stays intact. */
    shmbox_t other;
    memset(&other, 0, sizeof(other));
    ck_assert_int_eq(shmbox_create(&other, region), -EEXIST);

    /* unlink = IPC_RMID: the key is free at once, the segment lives while attached. */
    ck_assert_int_eq(shmbox_unlink(region), 0);
    ck_assert_int_eq(shmget(expected_key(region), 0, 0), -1);
    ck_assert_int_eq(errno, ENOENT);
    ck_assert_int_eq(shmbox_unlink(region), -ENOENT);
    ck_assert_int_eq(shmctl(id, IPC_STAT, &ds), 0);
    ck_assert_int_eq(shmbox_send(&sb, 0, "x", 1, SHMBOX_NO_WAIT), 0);
    /* ...and the same key can be created again meanwhile. */
    ck_assert_int_eq(shmbox_create(&other, region), 0);
    ck_assert_int_ne(shmget(expected_key(region), 0, 0), id);
    ck_assert_int_eq(shmbox_close(&other), 0);
    ck_assert_int_eq(shmbox_close(&sb), 0);
    ck_assert_int_eq(shmctl(id, IPC_STAT, &ds), -1); /* gone with its last detach */
}
END_TEST

START_TEST(undersized_segment_is_ebadmsg)
{
    /* Someone else's small segment under the region's key. */
    int id = shmget(expected_key(region), 100, IPC_CREAT | IPC_EXCL | 0600);
    ck_assert_int_ge(id, 0);
    /* The component gives a creator a grace period to size its region
     * (POSIX sizes after creating), so a short timeout may end first. */
    int rc = shmbox_open(&sb, region, SHMBOX_NO_WAIT);
    ck_assert_msg(rc == -EBADMSG || rc == -ETIMEDOUT, "open: %s", shmbox_strerror(rc));
    ck_assert_int_eq(shmbox_open(&sb, region, 10000), -EBADMSG);
    ck_assert_str_eq(shmbox_error_detail(&sb), "too small to be a shmbox region");
    struct shmid_ds ds;
    ck_assert_int_eq(shmctl(id, IPC_STAT, &ds), 0);
    ck_assert_uint_eq(ds.shm_nattch, 0); /* nothing stayed attached */
    ck_assert_int_eq(shmctl(id, IPC_RMID, NULL), 0);
}
END_TEST

START_TEST(foreign_segment_of_layout_size_is_ebadmsg)
{
    int id = shmget(expected_key(region), (size_t)SHMBOX_REGION_SIZE, IPC_CREAT | IPC_EXCL | 0600);
    ck_assert_int_ge(id, 0);
    unsigned char *p = shmat(id, NULL, 0);
    ck_assert_ptr_ne(p, (void *)-1);
    memset(p, 0xa5, (size_t)SHMBOX_REGION_SIZE);
    ck_assert_int_eq(shmdt(p), 0);
    ck_assert_int_eq(shmbox_open(&sb, region, SHMBOX_NO_WAIT), -EBADMSG);
    ck_assert_str_ne(shmbox_error_detail(&sb), "");
    ck_assert_int_eq(shmctl(id, IPC_RMID, NULL), 0);
}
END_TEST

/* ---- ipcs -m ---------------------------------------------------------------- */

struct ipcs_row {
    int found;
    unsigned perms;
    unsigned long long bytes;
    unsigned nattch;
};

/* The row of `ipcs -m` for shmid @p id (key checked if @p key != -1). */
static struct ipcs_row ipcs_find(int id, long long key)
{
    struct ipcs_row row = {0, 0, 0, 0};
    FILE *f = popen(SHMBOX_IPCS " -m", "r");
    ck_assert_ptr_nonnull(f);
    char line[512];
    while (fgets(line, sizeof(line), f) != NULL) {
        unsigned k, perms, nattch;
        int shmid;
        char owner[128];
        unsigned long long bytes;
        if (sscanf(line, "%x %d %127s %o %llu %u", &k, &shmid, owner, &perms, &bytes, &nattch) != 6)
            continue;
        if (shmid != id)
            continue;
        ck_assert_msg(key == -1 || (uint32_t)k == (uint32_t)key, "ipcs: key 0x%08x, want 0x%08x", k,
                      (unsigned)key);
        row.found = 1;
        row.perms = perms;
        row.bytes = bytes;
        row.nattch = nattch;
    }
    ck_assert_int_eq(pclose(f), 0);
    return row;
}

#define CHILDREN 2

START_TEST(ipcs_lists_mode_size_nattch_then_nothing)
{
    /* Children are forked before the region exists, so each holds exactly
     * the one attachment its shmbox_open makes (fork copies attachments). */
    int go[2], ready[2], done[2];
    ck_assert_int_eq(pipe(go), 0);
    ck_assert_int_eq(pipe(ready), 0);
    ck_assert_int_eq(pipe(done), 0);
    pid_t kids[CHILDREN];
    for (int i = 0; i < CHILDREN; i++) {
        kids[i] = fork();
        ck_assert_int_ge(kids[i], 0);
        if (kids[i] == 0) {
            char c;
            shmbox_t mine;
            memset(&mine, 0, sizeof(mine));
            int ok = read(go[0], &c, 1) == 1 && shmbox_open(&mine, region, 10000) == 0;
            c = ok ? 'y' : 'n';
            if (write(ready[1], &c, 1) != 1)
                _exit(3);
            if (read(done[0], &c, 1) != 1) /* stay attached until told */
                _exit(4);
            _exit(ok && shmbox_close(&mine) == 0 ? 0 : 5);
        }
    }
    ck_assert_int_eq(shmbox_create(&sb, region), 0);
    int id = shmget(expected_key(region), 0, 0);
    ck_assert_int_ge(id, 0);
    for (int i = 0; i < CHILDREN; i++)
        ck_assert_int_eq(write(go[1], "g", 1), 1);
    for (int i = 0; i < CHILDREN; i++) {
        char c = 0;
        ck_assert_int_eq(read(ready[0], &c, 1), 1);
        ck_assert_msg(c == 'y', "a child could not open the region");
    }

    struct ipcs_row row = ipcs_find(id, expected_key(region));
    ck_assert_msg(row.found, "ipcs -m does not list shmid %d", id);
    ck_assert_uint_eq(row.perms, SHMBOX_MODE_BITS);
    ck_assert_uint_ge(row.bytes, SHMBOX_REGION_SIZE);
    ck_assert_uint_eq(row.nattch, 1 + CHILDREN);
    struct shmbox_stat st;
    ck_assert_int_eq(shmbox_stat(&sb, &st), 0);
    ck_assert_uint_eq(st.attached, 1 + CHILDREN); /* the component agrees */

    /* The children close and exit: only this process stays attached. */
    for (int i = 0; i < CHILDREN; i++)
        ck_assert_int_eq(write(done[1], "d", 1), 1);
    for (int i = 0; i < CHILDREN; i++) {
        int status = 0;
        ck_assert_int_eq(waitpid(kids[i], &status, 0), kids[i]);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status 0x%x", status);
    }
    row = ipcs_find(id, expected_key(region));
    ck_assert(row.found);
    ck_assert_uint_eq(row.nattch, 1);

    /* unlink: the key goes at once (IPC_PRIVATE while still attached)... */
    ck_assert_int_eq(shmbox_unlink(region), 0);
    row = ipcs_find(id, 0);
    ck_assert(row.found);
    /* ...and after the close the segment is gone from ipcs. */
    ck_assert_int_eq(shmbox_close(&sb), 0);
    row = ipcs_find(id, -1);
    ck_assert_msg(!row.found, "ipcs -m still lists shmid %d", id);
}
END_TEST

static Suite *sysv_suite(void)
{
    Suite *s = suite_create("sysv port");
    TCase *tc = tcase_create("sysv");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, key_mode_and_size);
    tcase_add_test(tc, undersized_segment_is_ebadmsg);
    tcase_add_test(tc, foreign_segment_of_layout_size_is_ebadmsg);
    tcase_add_test(tc, ipcs_lists_mode_size_nattch_then_nothing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    /* No fork per test: a failed assertion returns here and the teardown
     * still removes the segments (a forked Check child would just exit). */
    return shmbox_check_run(sysv_suite(), CK_NOFORK);
}
