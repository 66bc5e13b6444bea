// SPDX-License-Identifier: MIT
/*
 * The attached count across processes: it follows processes that open,
 * close, exit without closing and are killed; reclaim frees the slots of
 * the two gone ones.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "mp.h"

static const char *region;

struct child_io {
    int to_parent;   /* write end */
    int from_parent; /* read end */
};

static int open_child(shmbox_t *sb)
{
    memset(sb, 0, sizeof(*sb));
    return shmbox_open(sb, region, MP_CALL_MS);
}

static int attacher(void *arg)
{
    struct child_io *io = arg;
    shmbox_t sb;
    if (open_child(&sb) < 0)
        return MP_EOPEN;
    shmbox_slot_t s;
    if (shmbox_slot_alloc(&sb, 1, &s, SHMBOX_NO_WAIT) < 0)
        return MP_ECALL;
    char c = 'a';
    if (mp_write(io->to_parent, &c, 1) < 0 || mp_read(io->from_parent, &c, 1) < 0)
        return MP_EPIPE;
    if (c == 'c')
        shmbox_close(&sb); /* else: exit holding the region and a slot */
    return MP_OK;
}

START_TEST(attached_follows_processes)
{
    region = mp_create("att");
    enum { N = 4 };
    int up[2], down[N][2];
    ck_assert_int_eq(pipe(up), 0);
    pid_t pid[N];
    struct child_io io[N];
    for (unsigned i = 0; i < N; i++) {
        ck_assert_int_eq(pipe(down[i]), 0);
        io[i].to_parent = up[1];
        io[i].from_parent = down[i][0];
        pid[i] = mp_spawn(attacher, &io[i]);
    }
    for (unsigned i = 0; i < N; i++) {
        char c;
        ck_assert_int_eq(mp_read(up[0], &c, 1), 0);
    }
    struct shmbox_stat st;
    MP_RC(shmbox_stat(&mp_sb, &st), 0);
    ck_assert_uint_eq(st.attached, N + 1);
    ck_assert_uint_eq(st.pool[0].used, N);

    /* 0 closes; 1 exits without closing; 2 is killed; 3 stays. */
    ck_assert_int_eq(mp_write(down[0][1], "c", 1), 0);
    MP_CHILD_OK(pid[0], 30000);
    MP_RC(shmbox_stat(&mp_sb, &st), 0);
    ck_assert_uint_eq(st.attached, N);
    ck_assert_uint_eq(st.pool[0].used, N - 1); /* close freed its slot */

    ck_assert_int_eq(mp_write(down[1][1], "e", 1), 0);
    MP_CHILD_OK(pid[1], 30000);
    kill(pid[2], SIGKILL);
    ck_assert_int_eq(mp_wait(pid[2], 30000), -1);
    MP_RC(shmbox_stat(&mp_sb, &st), 0);
    ck_assert_uint_eq(st.attached, N - 2);
    /* The slots of the two gone processes go back on reclaim. */
    MP_RC(shmbox_reclaim(&mp_sb), 2);
    MP_RC(shmbox_stat(&mp_sb, &st), 0);
    ck_assert_uint_eq(st.pool[0].used, 1);

    ck_assert_int_eq(mp_write(down[3][1], "c", 1), 0);
    MP_CHILD_OK(pid[3], 30000);
    MP_RC(shmbox_stat(&mp_sb, &st), 0);
    ck_assert_uint_eq(st.attached, 1);
    ck_assert_uint_eq(st.pool[0].used, 0);
    close(up[0]);
    close(up[1]);
    for (unsigned i = 0; i < N; i++) {
        close(down[i][0]);
        close(down[i][1]);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("attached");
    TCase *tc = mp_tcase("attached");
    tcase_add_test(tc, attached_follows_processes);
    suite_add_tcase(s, tc);
    return mp_run(s);
}
