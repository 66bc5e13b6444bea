// SPDX-License-Identifier: MIT
/* Helpers of the multi-process tests (see mp.h). */
#define _GNU_SOURCE
#include "mp.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check_run.h"

shmbox_t mp_sb;

#define MP_NAMES 16
#define MP_PIDS 64
static char names[MP_NAMES][SHMBOX_NAME_MAX + 1];
static unsigned name_count;
static pid_t pids[MP_PIDS];

const char *mp_name(const char *tag)
{
    ck_assert_msg(name_count < MP_NAMES, "too many regions in one test");
    snprintf(names[name_count], sizeof(names[0]), "%s", shmbox_test_name(tag));
    return names[name_count++];
}

const char *mp_create(const char *tag)
{
    const char *name = mp_name(tag);
    MP_RC(shmbox_create(&mp_sb, name), 0);
    return name;
}

pid_t mp_spawn(int (*fn)(void *), void *arg)
{
    unsigned slot = 0;
    while (slot < MP_PIDS && pids[slot] != 0)
        slot++;
    ck_assert_msg(slot < MP_PIDS, "too many children in one test");
    pid_t parent = getpid();
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        /* Die with the test runner (killed by a ctest timeout, say). */
        (void)prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        _exit(fn(arg) & 0x7f);
    }
    pids[slot] = pid;
    return pid;
}

static void forget(pid_t pid)
{
    for (unsigned i = 0; i < MP_PIDS; i++)
        if (pids[i] == pid)
            pids[i] = 0;
}

int mp_wait(pid_t pid, int timeout_ms)
{
    uint64_t end = mp_now_ms() + (uint64_t)timeout_ms;
    for (;;) {
        int st;
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid) {
            forget(pid);
            return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        }
        if (r < 0 && errno != EINTR) {
            forget(pid);
            return -1;
        }
        if (mp_now_ms() >= end) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            forget(pid);
            return -2;
        }
        mp_sleep_ms(2);
    }
}

int mp_running(pid_t pid)
{
    int st;
    return waitpid(pid, &st, WNOHANG) == 0;
}

int mp_write(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int mp_read(int fd, void *buf, size_t len)
{
    char *p = buf;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

void mp_setup(void)
{
    memset(&mp_sb, 0, sizeof(mp_sb));
    memset(pids, 0, sizeof(pids));
    name_count = 0;
}

void mp_teardown(void)
{
    for (unsigned i = 0; i < MP_PIDS; i++) {
        if (pids[i] != 0) {
            int st;
            kill(pids[i], SIGKILL);
            waitpid(pids[i], &st, 0);
            pids[i] = 0;
        }
    }
    (void)shmbox_close(&mp_sb);
    for (unsigned i = 0; i < name_count; i++)
        (void)shmbox_unlink(names[i]);
    name_count = 0;
}

TCase *mp_tcase(const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, mp_setup, mp_teardown);
    return tc;
}

int mp_run(Suite *s)
{
    signal(SIGPIPE, SIG_IGN);
    return shmbox_check_run(s, CK_NOFORK);
}

uint64_t mp_now_ms(void)
{
    return shmbox_test_now_ms();
}

void mp_sleep_ms(unsigned ms)
{
    struct timespec ts = {(time_t)(ms / 1000u), (long)(ms % 1000u) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}
