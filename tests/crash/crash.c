// SPDX-License-Identifier: MIT
/* Helpers of the crash tests (see crash.h). */
#define _GNU_SOURCE
#include "crash.h"

#include <errno.h>
#include <string.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check_run.h"

struct crash_shared *crash_sh;

static int armed_point;
static int armed_skip;

static void crash_hook(int point)
{
    if (point != armed_point)
        return;
    if (armed_skip-- > 0)
        return;
    crash_sh->reached = 1;
    for (;;)
        pause();
}

void crash_setup(void)
{
    if (crash_sh == NULL) {
        void *p = mmap(NULL, sizeof(*crash_sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            perror("mmap");
            exit(1);
        }
        crash_sh = p;
    }
    memset((void *)crash_sh, 0, sizeof(*crash_sh));
    shmbox_test_hook = NULL;
}

void crash_arm(int point, int skip)
{
    armed_point = point;
    armed_skip = skip;
    shmbox_test_hook = crash_hook;
}

pid_t crash_spawn(int (*fn)(void *), void *arg)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        shmbox_test_hook = NULL;
        _exit(fn(arg));
    }
    return pid;
}

void crash_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

int crash_wait_flag(volatile int *flag, int ms)
{
    for (int i = 0; i < ms; i++) {
        if (*flag)
            return 0;
        crash_sleep_ms(1);
    }
    return *flag ? 0 : -1;
}

void crash_kill(pid_t pid)
{
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
    }
}

int crash_join(pid_t pid, int ms)
{
    int st;
    for (int i = 0; i < ms; i++) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        crash_sleep_ms(1);
    }
    crash_kill(pid);
    fprintf(stderr, "child %d did not finish in %d ms: killed\n", (int)pid, ms);
    return -1;
}

struct crash_msg crash_msg_make(uint32_t id)
{
    struct crash_msg m = {id, id * 2654435761u ^ 0x5a5a1234u};
    return m;
}

int crash_msg_ok(const struct crash_msg *m)
{
    return m->check == (m->id * 2654435761u ^ 0x5a5a1234u);
}

int crash_run(Suite *s)
{
    return shmbox_check_run(s, CK_FORK_GETENV);
}
