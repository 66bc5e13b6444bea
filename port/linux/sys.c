/*
 * Linux clock, identities, liveness and page size, shared by the POSIX and
 * SysV ports.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <shmbox/port.h>

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

/* Field 22 of /proc/<pid>/stat: the start time in clock ticks since boot. */
uint64_t shmbox_port_proc_token(uint32_t pid)
{
    char path[32], buf[512];
    snprintf(path, sizeof(path), "/proc/%u/stat", (unsigned)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof(buf) - 1u);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    /* The command name (field 2) may hold spaces and parentheses: skip to
     * the last ')'. Then field 3 is the state; a zombie counts as dead. */
    char *p = strrchr(buf, ')');
    if (p == NULL || p[1] != ' ')
        return 0;
    p += 2;
    if (*p == 'Z' || *p == 'X')
        return 0;
    for (int field = 3; field < 22; field++) {
        p = strchr(p, ' ');
        if (p == NULL)
            return 0;
        p++;
    }
    uint64_t start = 0;
    for (; *p >= '0' && *p <= '9'; p++)
        start = start * 10u + (uint64_t)(*p - '0');
    return start + 1u; /* never 0 for a live process */
}

uint32_t shmbox_port_page_size(void)
{
    long n = sysconf(_SC_PAGESIZE);
    return n > 0 ? (uint32_t)n : 0u;
}
