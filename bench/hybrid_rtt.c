// SPDX-License-Identifier: MIT
/*
 * shmbox-bench-hybrid: round trips between a Linux process and a
 * Cortex-M33 firmware on one region (make bench-hybrid, part of make
 * bench). The firmware (tests/hybrid, scenario "echo") runs on qemu's
 * mps2-an521, its RAM a file in /dev/shm this process maps too; each
 * round trip is a 64-byte shmbox_send() to the firmware and the
 * shmbox_recv() of its copy, both blocking.
 *
 * Two ways for a sleeping Linux receiver to learn that the firmware
 * answered:
 *   polling    no doorbell: a Linux sleeper in a region with a firmware
 *              attached looks again every CONFIG_SHMBOX_HYBRID_POLL_US
 *   doorbell   the firmware's shmbox_static_doorbell() writes a byte to
 *              the board's UART0, which qemu connects to a host pipe; a
 *              thread here reads it and calls shmbox_doorbell(). This
 *              process rings the firmware (shmbox_set_doorbell()) with a
 *              byte the other way, which the firmware drains in its relax
 *              hook (it busy-polls: a real one could WFI there).
 * Figures only: never fails on timing.
 *
 *   shmbox-bench-hybrid --fw hybrid_fw.elf [--qemu PATH] [--trips N] [--check]
 * --check (make test-hybrid): also fail when the doorbell row saw no
 * doorbell from the firmware (the UART route works), never on timing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <shmbox/shmbox.h>

#include "hybrid.h"

static const char *fw_elf, *qemu = "qemu-system-arm";
static unsigned trips = 2000;
static int check; /* --check: fail when no doorbell came (a function test, not a timing one) */

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

struct bell {
    shmbox_t *sb;
    int from_fw; /* qemu's UART0 output */
    int to_fw;   /* qemu's UART0 input */
    unsigned long rung;
};

#ifdef HB_HAVE_DOORBELL
static void *listen_bells(void *arg)
{
    struct bell *b = arg;
    char buf[64];
    for (;;) {
        ssize_t n = read(b->from_fw, buf, sizeof(buf));
        if (n <= 0)
            return NULL;
        b->rung++;
        (void)shmbox_doorbell(b->sb);
    }
}

static void ring_fw(void *arg)
{
    struct bell *b = arg;
    char c = 'r';
    (void)!write(b->to_fw, &c, 1);
}
#endif

static pid_t boot(const char *mem, const char *fifo, int doorbell)
{
    char backend[512], chardev[512];
    snprintf(backend, sizeof(backend), "memory-backend-file,id=mem,size=16M,mem-path=%s,share=on", mem);
    snprintf(chardev, sizeof(chardev), "pipe,id=db,path=%s", fifo);
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1); /* the firmware's semihosting output */
        dup2(null, 2);
        execlp(qemu, qemu, "-M", "mps2-an521", "-smp", "2", "-accel", "tcg,thread=multi", "-object", backend,
               "-machine", "memory-backend=mem", "-display", "none", "-monitor", "none", "-chardev", chardev,
               "-serial", "chardev:db", "-semihosting", "-kernel", fw_elf, "-append",
               doorbell ? "echo doorbell" : "echo", (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* One run: trips round trips; prints p50 / p99 / max. 0 or -1. */
static int run(int doorbell)
{
    char dir[] = "/tmp/shmbox-bench-hybrid.XXXXXX", mem[] = "/dev/shm/hbb.XXXXXX";
    char fifo[300], in[310], out[310], region[64];
    int mfd = mkstemp(mem);
    if (mkdtemp(dir) == NULL || mfd < 0 || ftruncate(mfd, 16 << 20) != 0)
        return -1;
    close(mfd);
    snprintf(fifo, sizeof(fifo), "%s/uart0", dir);
    snprintf(in, sizeof(in), "%s.in", fifo);
    snprintf(out, sizeof(out), "%s.out", fifo);
    snprintf(region, sizeof(region), "%s@0x%x", mem, HB_REGION_OFFSET);
    int rc = -1;
    pid_t q = -1;
    if (mkfifo(in, 0600) != 0 || mkfifo(out, 0600) != 0)
        goto out;
    q = boot(mem, fifo, doorbell);
    struct bell b = {0};
    b.from_fw = open(out, O_RDWR);
    b.to_fw = open(in, O_RDWR);
    shmbox_t sb = {0};
    b.sb = &sb;
    (void)b;
    uint64_t t0 = now_ns();
    int orc;
    while ((orc = shmbox_open(&sb, region, 1000)) < 0 && now_ns() - t0 < 30000000000u)
        usleep(20000);
    struct hb_ctl c;
    if (orc < 0 || shmbox_recv(&sb, HB_MB_CTL_LX, &c, sizeof(c), 30000) != (int)sizeof(c)) {
        fprintf(stderr, "shmbox-bench-hybrid: the board did not come up (%s)\n", shmbox_strerror(orc));
        goto out;
    }
#ifdef HB_HAVE_DOORBELL
    pthread_t listener;
    if (doorbell) {
        (void)shmbox_set_doorbell(&sb, ring_fw, &b);
        pthread_create(&listener, NULL, listen_bells, &b);
    }
#endif
    static uint64_t rtt[100000];
    unsigned n = trips < 100000u ? trips : 100000u, warm = 50;
    unsigned char msg[64], back[64];
    uint64_t start = now_ns();
    int failed = 0;
    for (unsigned i = 0; i < warm + n && !failed; i++) {
        /* At most 20 s of round trips (slow wake-ups): the figures of those done. */
        if (i > warm && now_ns() - start > 20000000000u) {
            n = i - warm;
            break;
        }
        hb_fill(msg, sizeof(msg), 1, i);
        uint64_t s = now_ns();
        if (shmbox_send(&sb, HB_MB_TO_FW, msg, sizeof(msg), 10000) < 0 ||
            shmbox_recv(&sb, HB_MB_TO_LX, back, sizeof(back), 10000) != (int)sizeof(back) ||
            memcmp(msg, back, sizeof(msg)) != 0) {
            fprintf(stderr, "shmbox-bench-hybrid: round trip %u failed\n", i);
            failed = 1;
        } else if (i >= warm)
            rtt[i - warm] = now_ns() - s;
    }
    if (!failed) {
        struct hb_head end = {1, HB_END_SEQ};
        (void)shmbox_send(&sb, HB_MB_TO_FW, &end, sizeof(end), 10000);
        /* The firmware answers the end marker 50 ms late: this recv sleeps,
         * and with the doorbell on, a doorbell ends the sleep. */
        (void)shmbox_recv(&sb, HB_MB_TO_LX, back, sizeof(back), 10000);
        qsort(rtt, n, sizeof(rtt[0]), cmp_u64);
        printf("| %-34s | %6u | %8.1f | %8.1f | %8.1f |\n",
               doorbell ? "doorbell (a UART byte each way)" : "no doorbell (sleepers look again)", n,
               (double)rtt[n / 2] / 1000.0, (double)rtt[n * 99 / 100] / 1000.0, (double)rtt[n - 1] / 1000.0);
        rc = 0;
    }
#ifdef HB_HAVE_DOORBELL
    if (doorbell) {
        /* The listener uses sb and b: it ends before they do. */
        pthread_cancel(listener);
        pthread_join(listener, NULL);
        if (check && b.rung == 0) {
            fprintf(stderr, "shmbox-bench-hybrid: no doorbell came from the firmware's UART\n");
            rc = -1;
        } else if (check) {
            printf("doorbells from the firmware: %lu reads of its UART\n", b.rung);
        }
    }
#endif
    (void)shmbox_close(&sb);
out:
    if (q > 0) {
        for (int i = 0; i < 100 && waitpid(q, NULL, WNOHANG) == 0; i++)
            usleep(20000);
        kill(q, SIGKILL);
        waitpid(q, NULL, 0);
    }
    unlink(in);
    unlink(out);
    rmdir(dir);
    unlink(mem);
    return rc;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--check") == 0)
            check = 1;
        else if (strcmp(argv[i], "--fw") == 0 && val != NULL)
            fw_elf = argv[++i];
        else if (strcmp(argv[i], "--qemu") == 0 && val != NULL)
            qemu = argv[++i];
        else if (strcmp(argv[i], "--trips") == 0 && val != NULL)
            trips = (unsigned)strtoul(argv[++i], NULL, 0);
        else
            fw_elf = NULL, i = argc; /* unknown: usage */
    }
    if (fw_elf == NULL) {
        fprintf(stderr, "usage: shmbox-bench-hybrid --fw hybrid_fw.elf [--qemu PATH] [--trips N] [--check]\n");
        return 2;
    }
    printf("Linux <-> firmware round trips (64-byte messages; the firmware on qemu mps2-an521, Cortex-M33,\n"
           "multi-threaded TCG; %ld host CPUs); Linux spins %d polls before it sleeps\n"
           "(CONFIG_SHMBOX_SPIN_COUNT), a sleeper without doorbell looks again every %d us; microseconds:\n\n",
           sysconf(_SC_NPROCESSORS_ONLN), CONFIG_SHMBOX_SPIN_COUNT, CONFIG_SHMBOX_HYBRID_POLL_US);
    printf("| %-34s | %6s | %8s | %8s | %8s |\n| --- | ---: | ---: | ---: | ---: |\n", "wake-up", "trips", "p50",
           "p99", "max");
    int rc = run(0);
#ifdef HB_HAVE_DOORBELL
    rc |= run(1);
#else
    printf("\n(this build has no doorbell API: polling only)\n");
#endif
    return rc == 0 ? 0 : 1;
}
