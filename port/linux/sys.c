// SPDX-License-Identifier: MIT
/*
 * Linux clock, identities, liveness and page size, shared by the POSIX and
 * SysV ports.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <shmbox/port.h>

#include "sys.h"

uint64_t shmbox_port_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec + 1u;
}

/* The kernel thread id, cached per thread (the lock fast path must not
 * make a system call); a fork() child starts with the cache cleared. */
static _Thread_local uint32_t cached_tid;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static void clear_tid(void)
{
    cached_tid = 0;
}

static void install_atfork(void)
{
    (void)pthread_atfork(NULL, NULL, clear_tid);
}

uint32_t shmbox_port_tid(void)
{
    if (__builtin_expect(cached_tid == 0, 0)) {
        (void)pthread_once(&atfork_once, install_atfork);
        cached_tid = (uint32_t)syscall(SYS_gettid) & SHMBOX_LOCK_TID_MASK;
    }
    return cached_tid;
}

uint32_t shmbox_port_pid(void)
{
    return (uint32_t)getpid();
}

int shmbox_port_at_fork(void (*child)(void))
{
    return pthread_atfork(NULL, NULL, child) == 0 ? 0 : -ENOMEM;
}

/* Linux never hands out a pid above PID_MAX_LIMIT (4194304). */
#define PID_LIMIT 4194304u

/* Whether pid exists by kill(pid, 0): 0 no, 1 yes (or not ours to signal). */
static int pid_exists(uint32_t pid)
{
    return kill((pid_t)pid, 0) == 0 || errno != ESRCH;
}

/*
 * Whether /proc shows this process's own PID namespace: a /proc mounted
 * for an ancestor namespace (a container started without its own /proc
 * mount) names other processes under the same numbers, so a token read
 * there would belong to a stranger. /proc/self names us by our number in
 * the namespace of that /proc.
 */
static int proc_is_ours(void)
{
    char link[24];
    ssize_t n = readlink("/proc/self", link, sizeof(link) - 1u);
    if (n <= 0)
        return 0;
    link[n] = '\0';
    unsigned long v = 0;
    for (ssize_t i = 0; i < n; i++) {
        if (link[i] < '0' || link[i] > '9')
            return 0;
        v = v * 10u + (unsigned long)(link[i] - '0');
    }
    return v == (unsigned long)getpid();
}

int sbx_linux_thread_gone(uint32_t tid)
{
    char path[32], buf[512];
    if (tid == 0 || tid > PID_LIMIT || !pid_exists(tid))
        return 1;
    if (!proc_is_ours())
        return 0; /* a stranger's /proc: existence is all that can be told */
    snprintf(path, sizeof(path), "/proc/%u/./stat", (unsigned)tid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT && !pid_exists(tid); /* reaped meanwhile */
    ssize_t n = read(fd, buf, sizeof(buf) - 1u);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    const char *p = strrchr(buf, ')'); /* the command name may hold ')' */
    if (p == NULL || p[1] != ' ')
        return 0;
    return p[2] == 'Z' || p[2] == 'X';
}

uint64_t shmbox_port_pid_ns(void)
{
    struct stat st;
    if (stat("/proc/self/ns/pid", &st) != 0)
        return 0;
    return (uint64_t)st.st_ino;
}

/* Field 22 of /proc/<pid>/stat: the start time in clock ticks since boot.
 * pid comes from the region (untrusted): 0 or anything above the kernel's
 * limit is no process (and must never reach kill(), where 0 and negative
 * values name groups). When /proc cannot tell (no descriptor left, /proc
 * hidden by hidepid= or not mounted) but the pid exists, the answer is
 * SHMBOX_PORT_TOKEN_UNKNOWN, never "dead": a wrong "dead" would let a
 * reclaim free the slots of a live process. */
uint64_t shmbox_port_proc_token(uint32_t pid)
{
    char path[32], buf[512];
    if (pid == 0 || pid > PID_LIMIT)
        return 0;
    /* kill() looks pids up in our own namespace, /proc maybe not: without
     * a /proc of our own, existence is all that can be told. */
    if (!proc_is_ours())
        return pid_exists(pid) ? SHMBOX_PORT_TOKEN_UNKNOWN : 0;
    /* "/proc/<pid>/./stat", not "/proc/<pid>/stat": qemu-user fakes the
     * latter (and /proc/self/stat) for its own process with a start time
     * that differs from what every other process reads in the real file,
     * which would make each process look dead to the others. */
    snprintf(path, sizeof(path), "/proc/%u/./stat", (unsigned)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return pid_exists(pid) ? SHMBOX_PORT_TOKEN_UNKNOWN : 0;
    ssize_t n = read(fd, buf, sizeof(buf) - 1u);
    close(fd);
    if (n <= 0)
        return pid_exists(pid) ? SHMBOX_PORT_TOKEN_UNKNOWN : 0;
    buf[n] = '\0';
    /* The command name (field 2) may hold spaces and parentheses: skip to
     * the last ')'. Then field 3 is the state: a zombie counts as dead,
     * unless it is a thread-group leader whose other threads still run
     * (field 20, num_threads, above 1). */
    char *p = strrchr(buf, ')');
    if (p == NULL || p[1] != ' ')
        return SHMBOX_PORT_TOKEN_UNKNOWN;
    p += 2;
    char state = *p;
    if (state == 'X')
        return 0;
    for (int field = 3; field < 22; field++) {
        p = strchr(p, ' ');
        if (p == NULL)
            return SHMBOX_PORT_TOKEN_UNKNOWN;
        p++;
        if (field + 1 == 20 && state == 'Z' && (p[0] == '0' || p[0] == '1') && p[1] == ' ')
            return 0;
    }
    uint64_t start = 0;
    for (; *p >= '0' && *p <= '9'; p++)
        start = start * 10u + (uint64_t)(*p - '0');
    start += 1u; /* never 0 for a live process */
    return start == SHMBOX_PORT_TOKEN_UNKNOWN ? start - 1u : start;
}

uint32_t shmbox_port_page_size(void)
{
    long n = sysconf(_SC_PAGESIZE);
    return n > 0 ? (uint32_t)n : 0u;
}
