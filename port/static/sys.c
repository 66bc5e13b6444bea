// SPDX-License-Identifier: MIT
/*
 * Static port, clock, identities and liveness, and the weak defaults of
 * the application hooks (declared in port.h). No operating system call.
 *
 * Identities: a "process" of the region's process table is one
 * shmbox_create/shmbox_open: shmbox_port_pid() hands out a new number on
 * every call (the component asks once per attach). Nobody can be seen to
 * die, so every recorded process is alive until its shmbox_close:
 * shmbox_port_proc_token() is 1 for any pid but 0, and shmbox_reclaim()
 * frees nothing on this port.
 */
#include <shmbox/port.h>

#if !defined(__GNUC__)
#error "the static port's weak hooks need GCC or Clang"
#endif
#define SHMBOX_WEAK __attribute__((weak))

/* Threads: hosted builds (Unix) may run shmbox on several threads, bare
 * metal runs one thread plus interrupt handlers. Override with
 * -DSHMBOX_STATIC_THREADS=0/1. */
#ifndef SHMBOX_STATIC_THREADS
#if defined(__unix__) || defined(__APPLE__)
#define SHMBOX_STATIC_THREADS 1
#else
#define SHMBOX_STATIC_THREADS 0
#endif
#endif

#if SHMBOX_STATIC_THREADS
/* initial-exec: no call to the dynamic TLS resolver from a PIC archive. */
#define PER_THREAD _Thread_local
#define PER_THREAD_MODEL __attribute__((tls_model("initial-exec")))
#else
#define PER_THREAD
#define PER_THREAD_MODEL
#endif

/* ---- weak defaults of the application hooks ---------------------------- */

static PER_THREAD uint64_t virtual_ns PER_THREAD_MODEL;

SHMBOX_WEAK uint64_t shmbox_static_clock_ns(void)
{
    virtual_ns += 1000u; /* 1 us per reading */
    return virtual_ns;
}

#if SHMBOX_STATIC_THREADS
static PER_THREAD uint32_t thread_id PER_THREAD_MODEL;
static _Atomic uint32_t next_thread_id;

SHMBOX_WEAK uint32_t shmbox_static_thread_id(void)
{
    if (thread_id == 0)
        thread_id = atomic_fetch_add_explicit(&next_thread_id, 1u, memory_order_relaxed) % 0xffffu + 1u;
    return thread_id;
}
#else
SHMBOX_WEAK uint32_t shmbox_static_thread_id(void)
{
    return 1u;
}
#endif

SHMBOX_WEAK void shmbox_static_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__) || (defined(__arm__) && __ARM_ARCH >= 7)
    __asm__ __volatile__("yield" ::: "memory");
#else
    atomic_signal_fence(memory_order_seq_cst);
#endif
}

SHMBOX_WEAK void shmbox_static_notify(void)
{
}

SHMBOX_WEAK void shmbox_static_doorbell(void)
{
}

SHMBOX_WEAK void shmbox_static_critical_enter(void)
{
}

SHMBOX_WEAK void shmbox_static_critical_exit(void)
{
}

/* ---- the contract --------------------------------------------------------- */

uint64_t shmbox_port_now_ns(void)
{
    uint64_t t = shmbox_static_clock_ns();
    return t != 0 ? t : 1u;
}

#ifndef CONFIG_SHMBOX_FIRMWARE_ID
#define CONFIG_SHMBOX_FIRMWARE_ID 1
#endif

/* Lock owner: thread t of this firmware (<shmbox/owner.h>). */
uint32_t shmbox_port_tid(void)
{
    uint32_t t = shmbox_static_thread_id() & 0xffffu;
    return SHMBOX_LOCK_FW_OWNER(CONFIG_SHMBOX_FIRMWARE_ID, t != 0 ? t : 1u);
}

/* The rest of the contract serves the full core only: the minimal core
 * (CONFIG_SHMBOX_MINIMAL_CORE) has no process table, no fork handling and
 * no page-size check, and leaves these out. */
#ifndef CONFIG_SHMBOX_MINIMAL_CORE
static _Atomic uint32_t next_pid;

/* Process table: FIRMWARE | id << 16 | n, a new n (1..65535) per attach. */
uint32_t shmbox_port_pid(void)
{
    uint32_t n;
    do
        n = (atomic_fetch_add_explicit(&next_pid, 1u, memory_order_relaxed) + 1u) & 0xffffu;
    while (n == 0);
    return SHMBOX_PROC_FIRMWARE | ((uint32_t)CONFIG_SHMBOX_FIRMWARE_ID & 0xffu) << 16 | n;
}

/* No fork() without an operating system. */
int shmbox_port_at_fork(void (*child)(void))
{
    (void)child;
    return 0;
}

/* A firmware's own entries carry token 1; a Linux process sharing the
 * region cannot be looked at from here: never proven dead. */
uint64_t shmbox_port_proc_token(uint32_t pid)
{
    if (pid == 0)
        return 0;
    return shmbox_proc_is_firmware(pid) ? 1u : SHMBOX_PORT_TOKEN_UNKNOWN;
}

/* No PID namespaces without an operating system. */
uint64_t shmbox_port_pid_ns(void)
{
    return 0;
}

uint32_t shmbox_port_page_size(void)
{
    return CONFIG_SHMBOX_PAGE_SIZE;
}
#endif /* !CONFIG_SHMBOX_MINIMAL_CORE */
