// SPDX-License-Identifier: MIT
/*
 * Priority inversion, on one CPU under SCHED_FIFO, between real processes.
 *
 * All on one CPU (the first this process may use):
 *   L (priority 10) takes the lock and stays in its critical section until
 *       H asks for the lock, then works 20 ms of its own CPU time more;
 *   H (priority 30) wakes M and blocks on the lock;
 *   M (priority 20) is a CPU hog: it spins until H has the lock, at most
 *       HOG_MS of wall time (so the control ends by itself).
 *
 * With shmbox's lock (the kernel PI-futex protocol) L inherits H's
 * priority while H waits, so M cannot preempt it: L finishes, H takes the
 * lock, and only then does M run. With a plain futex lock (the control) M
 * preempts L, runs its whole bounded hog, and H gets the lock after it:
 * the inversion. Each process writes sequence numbers to shared memory at
 * its events; the test asserts their order, never a time.
 *
 * Needs SCHED_FIFO (root or CAP_SYS_NICE, and RT runtime for the cgroup):
 * without it the test fails and says so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include "lock.h"

#define PRIO_L 10
#define PRIO_M 20
#define PRIO_H 30
#define PRIO_PARENT 40 /* above all three: it only sleeps, and must fork them */
#define HOG_MS 1000      /* the hog's bound: the control waits this long */
#define CS_EXTRA_MS 20   /* L's work after H asked, in L's own CPU time */
#define WAIT_MS 10000    /* every other wait: a bound, never reached when it works */

enum { EV_L_LOCKED, EV_H_WANTS, EV_M_START, EV_L_RELEASE, EV_H_GOT, EV_M_END, EV_COUNT };
static const char *const ev_name[EV_COUNT] = {"L locked", "H wants", "M starts", "L releases", "H got it",
                                              "M ends"};

struct shared {
    _Atomic uint32_t seq;          /* next sequence number, from 1 */
    _Atomic uint32_t ev[EV_COUNT]; /* sequence number of each event, 0: not seen */
    _Atomic uint32_t h_wants;      /* H is about to block: L may finish */
    _Atomic uint32_t m_go;         /* futex word: M may start */
    _Atomic uint32_t h_got;        /* H holds the lock: M may stop */
    struct shmbox_hdr hdr; /* recoveries, and a process table with no firmware */
    struct shmbox_lock pi;         /* shmbox's lock */
    _Atomic uint32_t plain;        /* the control: 0 free, 1 held, 2 held with waiters */
};

static struct shared *sh;
static int use_pi;
static int the_cpu; /* the one CPU of the scenario: the first this process may use */

static uint64_t mono_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void event(int e)
{
    atomic_store(&sh->ev[e], atomic_fetch_add(&sh->seq, 1u) + 1u);
}

static long futex(_Atomic uint32_t *w, int op, uint32_t val, const struct timespec *ts)
{
    return syscall(SYS_futex, (uint32_t *)(void *)w, op, val, ts, NULL, 0);
}

/* ---- the control: a plain futex mutex (no priority inheritance) --------- */
static int plain_take(uint64_t deadline)
{
    uint32_t c = 0;
    if (atomic_compare_exchange_strong(&sh->plain, &c, 1u))
        return 0;
    if (c != 2)
        c = atomic_exchange(&sh->plain, 2u);
    while (c != 0) {
        if (mono_ns(CLOCK_MONOTONIC) >= deadline)
            return -ETIMEDOUT;
        struct timespec ts = {0, 50 * 1000000};
        (void)futex(&sh->plain, FUTEX_WAIT, 2u, &ts);
        c = atomic_exchange(&sh->plain, 2u);
    }
    return 0;
}

static void plain_give(void)
{
    if (atomic_exchange(&sh->plain, 0u) == 2u)
        (void)futex(&sh->plain, FUTEX_WAKE, 1u, NULL);
}

static int take(void)
{
    uint64_t deadline = mono_ns(CLOCK_MONOTONIC) + (uint64_t)WAIT_MS * 1000000u;
    if (!use_pi)
        return plain_take(deadline);
    struct sbx_deadline d = sbx_deadline_at(shmbox_port_now_ns() + (uint64_t)WAIT_MS * 1000000u);
    shmbox_t view = {.base = (unsigned char *)&sh->hdr}; /* a handle on the header */
    int rc = sbx_lock_acquire(&sh->pi, &view, &d);
    return rc == 0 ? 0 : -1;
}

static void give(void)
{
    if (use_pi)
        sbx_lock_release(&sh->pi);
    else
        plain_give();
}

/* ---- the three processes ------------------------------------------------ */
/* Every child: the_cpu only, SCHED_FIFO at @p prio. */
static void become(int prio)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET((size_t)the_cpu, &set);
    struct sched_param sp = {.sched_priority = prio};
    if (sched_setaffinity(0, sizeof(set), &set) != 0 || sched_setscheduler(0, SCHED_FIFO, &sp) != 0)
        _exit(90);
}

static void proc_low(int ready_fd)
{
    become(PRIO_L);
    if (take() != 0)
        _exit(91);
    event(EV_L_LOCKED);
    if (write(ready_fd, "L", 1) != 1)
        _exit(92);
    uint64_t until = mono_ns(CLOCK_MONOTONIC) + (uint64_t)WAIT_MS * 1000000u;
    while (!atomic_load(&sh->h_wants) && mono_ns(CLOCK_MONOTONIC) < until)
        ;
    /* The rest of the critical section: CPU time, so time spent preempted
     * does not count. */
    uint64_t t0 = mono_ns(CLOCK_THREAD_CPUTIME_ID);
    while (mono_ns(CLOCK_THREAD_CPUTIME_ID) - t0 < (uint64_t)CS_EXTRA_MS * 1000000u)
        ;
    event(EV_L_RELEASE);
    give();
    _exit(0);
}

static void proc_medium(void)
{
    become(PRIO_M);
    struct timespec ts = {0, 100 * 1000000};
    uint64_t until = mono_ns(CLOCK_MONOTONIC) + (uint64_t)WAIT_MS * 1000000u;
    while (!atomic_load(&sh->m_go) && mono_ns(CLOCK_MONOTONIC) < until)
        (void)futex(&sh->m_go, FUTEX_WAIT, 0u, &ts);
    event(EV_M_START);
    until = mono_ns(CLOCK_MONOTONIC) + (uint64_t)HOG_MS * 1000000u;
    while (!atomic_load(&sh->h_got) && mono_ns(CLOCK_MONOTONIC) < until)
        ;
    event(EV_M_END);
    _exit(0);
}

static void proc_high(void)
{
    become(PRIO_H);
    event(EV_H_WANTS);
    atomic_store(&sh->h_wants, 1u);
    atomic_store(&sh->m_go, 1u);
    (void)futex(&sh->m_go, FUTEX_WAKE, 1u, NULL); /* M is runnable now, below us */
    if (take() != 0)
        _exit(93);
    event(EV_H_GOT);
    atomic_store(&sh->h_got, 1u);
    give();
    _exit(0);
}

static pid_t spawn(void (*fn)(void))
{
    pid_t pid = fork();
    ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0)
        fn();
    return pid;
}

static void run_scenario(int pi)
{
    use_pi = pi;
    sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    ck_assert_msg(sh != MAP_FAILED, "mmap: %s", strerror(errno));
    memset(sh, 0, sizeof(*sh));

    /* The parent sleeps at a priority above the three, on their CPU, so
     * it forks each at the moment it chooses. */
    cpu_set_t set;
    ck_assert_msg(sched_getaffinity(0, sizeof(set), &set) == 0, "sched_getaffinity: %s", strerror(errno));
    the_cpu = 0;
    while (the_cpu < CPU_SETSIZE && !CPU_ISSET((size_t)the_cpu, &set))
        the_cpu++;
    ck_assert(the_cpu < CPU_SETSIZE);
    CPU_ZERO(&set);
    CPU_SET((size_t)the_cpu, &set);
    struct sched_param sp = {.sched_priority = PRIO_PARENT};
    ck_assert_msg(sched_setaffinity(0, sizeof(set), &set) == 0, "sched_setaffinity(CPU %d): %s", the_cpu,
                  strerror(errno));
    if (sched_setscheduler(0, SCHED_FIFO, &sp) != 0)
        ck_abort_msg("SCHED_FIFO not permitted (%s): this test needs root or CAP_SYS_NICE and real-time "
                     "runtime (/proc/sys/kernel/sched_rt_runtime_us); it cannot prove anything without it",
                     strerror(errno));

    int ready[2];
    ck_assert(pipe(ready) == 0);
    pid_t m = spawn(proc_medium);
    pid_t l = fork();
    ck_assert(l >= 0);
    if (l == 0)
        proc_low(ready[1]);
    char c;
    ck_assert_msg(read(ready[0], &c, 1) == 1, "L never took the lock");
    pid_t h = spawn(proc_high);

    const pid_t kids[3] = {l, m, h};
    const char *const names[3] = {"L", "M", "H"};
    for (int i = 0; i < 3; i++) {
        int st;
        ck_assert(waitpid(kids[i], &st, 0) == kids[i]);
        ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s failed (status 0x%x; 90: no SCHED_FIFO, "
                      "91/93: lock not taken within %d ms)", names[i], st, WAIT_MS);
    }
    sp.sched_priority = 0;
    (void)sched_setscheduler(0, SCHED_OTHER, &sp);
    close(ready[0]);
    close(ready[1]);

    printf("%s lock, order of events:", pi ? "shmbox (PI)" : "plain futex");
    for (uint32_t s = 1; s <= EV_COUNT; s++)
        for (int e = 0; e < EV_COUNT; e++)
            if (atomic_load(&sh->ev[e]) == s)
                printf(" %u.%s", s, ev_name[e]);
    printf("\n");
    fflush(stdout);
    for (int e = 0; e < EV_COUNT; e++)
        ck_assert_msg(atomic_load(&sh->ev[e]) != 0, "event '%s' never happened", ev_name[e]);
}

#define EV(e) atomic_load(&sh->ev[e])

START_TEST(pi_lock_holder_is_boosted_over_the_hog)
{
    run_scenario(1);
    ck_assert_msg(EV(EV_L_LOCKED) < EV(EV_H_WANTS), "H asked before L held the lock: no scenario");
    /* The point: the waiter got the lock before the hog ran at all. */
    ck_assert_msg(EV(EV_L_RELEASE) < EV(EV_M_START) && EV(EV_H_GOT) < EV(EV_M_START),
                  "priority inversion with shmbox's lock: the medium-priority hog ran (seq %u) before the "
                  "holder released (seq %u) and the high-priority waiter got the lock (seq %u)",
                  EV(EV_M_START), EV(EV_L_RELEASE), EV(EV_H_GOT));
    ck_assert_uint_eq(atomic_load(&sh->hdr.recoveries), 0);
    munmap(sh, sizeof(*sh));
}
END_TEST

START_TEST(plain_futex_control_shows_the_inversion)
{
    run_scenario(0);
    ck_assert_msg(EV(EV_L_LOCKED) < EV(EV_H_WANTS), "H asked before L held the lock: no scenario");
    /* Without inheritance the hog preempts the holder and runs to its
     * bound while the high-priority process waits: if this ever fails,
     * the scenario no longer provokes an inversion and proves nothing. */
    ck_assert_msg(EV(EV_M_START) < EV(EV_L_RELEASE) && EV(EV_M_END) < EV(EV_H_GOT),
                  "control: no inversion seen (hog start %u, end %u; holder release %u; waiter got %u): "
                  "the scenario does not provoke one",
                  EV(EV_M_START), EV(EV_M_END), EV(EV_L_RELEASE), EV(EV_H_GOT));
    munmap(sh, sizeof(*sh));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("prio");
    TCase *tc = tcase_create("inversion");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, pi_lock_holder_is_boosted_over_the_hog);
    tcase_add_test(tc, plain_futex_control_shows_the_inversion);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_VERBOSE);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
