// SPDX-License-Identifier: MIT
/*
 * Roles that move data: create, traffic, send, recv, ends, many-check,
 * mesh. Every message's bytes and each sender's order are checked
 * (stream.c); a role that sees no progress for 60 s fails (a stall).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host.h"
#include "stream.h"

#define STALL_US 60000000u

static void rx_fail(const struct hb_rx *rx, int rc)
{
    fprintf(stderr, "hybrid_host: receive check failed: %s (sender %u seq %u; expected seq %u; %u received)\n",
            rx->why != NULL ? rx->why : "?", (unsigned)rx->bad_sender, (unsigned)rx->bad_seq,
            rx->bad_sender < HB_SENDERS_MAX ? (unsigned)rx->next[rx->bad_sender] : 0u, (unsigned)rx->count);
    hx_fail("receive", rc);
}

/* Steps of @p tx and @p rx (either may be NULL) until tx is done and rx has
 * @p want messages (or @p want_ends end markers). @p pace_us between sends. */
static void run(shmbox_t *sb, struct hb_tx *tx, struct hb_rx *rx, uint32_t want, uint32_t want_ends, unsigned pace_us)
{
    int32_t step = hx_step_ms();
    if (tx != NULL && rx != NULL)
        step = 0; /* one loop for both: never sit in one of them */
    uint64_t last = hx_now_us();
    for (;;) {
        int busy = 0, progress = 0;
        if (tx != NULL && !hb_tx_done(tx)) {
            int rc = hb_tx_step(sb, tx, step);
            if (rc < 0)
                hx_fail("send", rc);
            progress |= rc;
            busy |= !hb_tx_done(tx);
            if (rc > 0 && pace_us)
                usleep(pace_us);
        }
        if (rx != NULL && (want_ends ? rx->ends < want_ends : rx->count < want)) {
            int rc = hb_rx_step(sb, rx, step);
            if (rc < 0)
                rx_fail(rx, rc);
            progress |= rc;
            if (rc > 0 && pace_us)
                usleep(pace_us);
            busy |= want_ends ? rx->ends < want_ends : rx->count < want;
        }
        if (!busy)
            return;
        uint64_t now = hx_now_us();
        if (progress)
            last = now;
        else if (step == 0)
            usleep(50);
        if (now - last > STALL_US) {
            if (tx != NULL)
                fprintf(stderr, "hybrid_host: sent %u of %u\n", (unsigned)tx->seq, (unsigned)tx->total);
            if (rx != NULL)
                fprintf(stderr, "hybrid_host: received %u\n", (unsigned)rx->count);
            hx_fail("stalled: no progress for 60 s", 0);
        }
    }
}

static uint32_t arg(int argc, char **argv, int i, uint32_t dflt)
{
    return i < argc ? (uint32_t)strtoul(argv[i], NULL, 0) : dflt;
}

/* traffic N M: sender 1 of N copies + M slots to the firmware (a child
 * process) while this process receives the firmware's N + M. */
static int traffic(int argc, char **argv)
{
    uint32_t n = arg(argc, argv, 0, 1000), m = arg(argc, argv, 1, 100);
    uint64_t t0 = hx_now_us();
    pid_t child = fork();
    if (child < 0)
        hx_fail("fork", -errno);
    shmbox_t sb = {0};
    hx_open(&sb);
    if (child == 0) {
        struct hb_tx tx = {.mbox = HB_MB_TO_FW, .sender = 1, .total = n + m, .slots = m};
        run(&sb, &tx, NULL, 0, 0, 0);
        _exit(shmbox_close(&sb) == 0 ? 0 : 1);
    }
    struct hb_rx rx = {.mbox = HB_MB_TO_LX, .strict = 1};
    rx.total[HB_SENDER_FW] = n + m;
    rx.slots[HB_SENDER_FW] = m;
    run(&sb, NULL, &rx, n + m, 0, 0);
    int st = 0;
    if (waitpid(child, &st, 0) != child || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        hx_fail("the sending child failed", st);
    struct hb_ctl c;
    hx_ctl_wait(&sb, &c, HB_CTL_DONE, 60000);
    if (c.a != 0 || c.b != n + m)
        hx_fail("the firmware received another count", (long)c.b);
    double s = (double)(hx_now_us() - t0) / 1e6;
    printf("traffic: %u copies + %u slots each way, every byte checked, in order, in %.1f s (%.0f messages/s each "
           "way)\n",
           (unsigned)n, (unsigned)m, s, (double)(n + m) / s);
    return shmbox_close(&sb) == 0 ? 0 : 1;
}

/* send MBOX SENDER N [PACE_US [SLOTS]]: N messages (SLOTS of them slots,
 * default N/10). */
static int send_role(int argc, char **argv)
{
    shmbox_t sb = {0};
    hx_open(&sb);
    uint32_t n = arg(argc, argv, 2, 1000);
    struct hb_tx tx = {.mbox = arg(argc, argv, 0, 0), .sender = arg(argc, argv, 1, 1), .total = n,
                       .slots = arg(argc, argv, 4, n / 10u)};
    run(&sb, &tx, NULL, 0, 0, arg(argc, argv, 3, 0));
    return shmbox_close(&sb) == 0 ? 0 : 1;
}

/* recv MBOX strict N S1,S2,... [SLOTS]   one receiver: N from each sender
 *                                listed (SLOTS of them slots, default N/10), in order
 * recv MBOX ends N RECFILE [PACE_US]   one of several: until an end marker
 *                                (PACE_US after each message: a consumer
 *                                at work); what came is written to RECFILE */
static int recv_role(int argc, char **argv)
{
    if (argc < 4)
        hx_fail("recv MBOX strict|ends N SENDERS|RECFILE", 0);
    shmbox_t sb = {0};
    hx_open(&sb);
    uint32_t n = arg(argc, argv, 2, 0);
    struct hb_rx rx = {.mbox = arg(argc, argv, 0, 0), .strict = strcmp(argv[1], "strict") == 0};
    for (unsigned s = 0; s < HB_SENDERS_MAX; s++) {
        rx.total[s] = n;
        rx.slots[s] = rx.strict ? arg(argc, argv, 4, n / 10u) : n / 10u;
    }
    if (rx.strict) {
        uint32_t senders = 1;
        for (const char *p = argv[3]; *p; p++)
            senders += *p == ',';
        uint64_t t0 = hx_now_us();
        run(&sb, NULL, &rx, n * senders, 0, 0);
        printf("recv: mailbox %u: %u messages from %u senders, each sender's in order, in %.1f s\n", rx.mbox,
               (unsigned)rx.count, (unsigned)senders, (double)(hx_now_us() - t0) / 1e6);
    } else {
        static unsigned char record[HB_SENDERS_MAX * HB_SCRATCH_SEQS];
        rx.record = record;
        run(&sb, NULL, &rx, 0, 1, arg(argc, argv, 4, 0));
        FILE *f = fopen(argv[3], "wb");
        if (f == NULL || fwrite(record, 1, sizeof(record), f) != sizeof(record) || fclose(f) != 0)
            hx_fail("writing the record", -errno);
        printf("recv: mailbox %u: %u messages, each sender's in increasing order\n", rx.mbox, (unsigned)rx.count);
    }
    return shmbox_close(&sb) == 0 ? 0 : 1;
}

/* ends MBOX COUNT: COUNT end markers. */
static int ends_role(int argc, char **argv)
{
    shmbox_t sb = {0};
    hx_open(&sb);
    for (uint32_t i = 0; i < arg(argc, argv, 1, 1); i++) {
        int rc = hb_send_end(&sb, arg(argc, argv, 0, 0), 0, 30000);
        if (rc < 0)
            hx_fail("end marker", rc);
    }
    return shmbox_close(&sb) == 0 ? 0 : 1;
}

/* many-check MEMFILE N S1,S2 REC...: every message seq < N of each sender
 * listed was received exactly once, by the firmware (its record in the
 * scratch RAM) or one of the Linux receivers (REC files). */
static int many_check(int argc, char **argv)
{
    if (argc < 4)
        hx_fail("many-check MEMFILE N SENDERS REC...", 0);
    static unsigned char total[HB_SENDERS_MAX * HB_SCRATCH_SEQS], part[HB_SENDERS_MAX * HB_SCRATCH_SEQS];
    unsigned long fw_got = 0;
    for (int i = 0; i < argc - 2; i++) {
        int fd = open(i == 0 ? argv[0] : argv[2 + i], O_RDONLY);
        off_t off = i == 0 ? (off_t)HB_SCRATCH_OFFSET : 0;
        if (fd < 0 || pread(fd, part, sizeof(part), off) != (ssize_t)sizeof(part))
            hx_fail("reading a record", -errno);
        close(fd);
        for (size_t k = 0; k < sizeof(part); k++) {
            total[k] = (unsigned char)(total[k] + part[k]);
            if (i == 0)
                fw_got += part[k];
        }
    }
    uint32_t n = arg(argc, argv, 1, 0);
    unsigned long ok = 0;
    for (const char *p = argv[2]; *p;) {
        uint32_t s = (uint32_t)strtoul(p, (char **)&p, 10);
        for (uint32_t q = 0; q < n; q++) {
            if (total[s * HB_SCRATCH_SEQS + q] != 1) {
                fprintf(stderr, "many-check: sender %u seq %u received %u times\n", (unsigned)s, (unsigned)q,
                        (unsigned)total[s * HB_SCRATCH_SEQS + q]);
                hx_fail("lost or duplicated", (long)q);
            }
            ok++;
        }
        if (*p == ',')
            p++;
    }
    printf("many-check: %lu messages each received exactly once (%lu by the firmware)\n", ok, fw_got);
    return fw_got > 0 ? 0 : 1;
}

/* mesh ID K: party ID (1: x86_64, 2: armhf) of three with the firmware
 * (0): K messages to each other party, 2K from them. */
static int mesh(int argc, char **argv)
{
    static const unsigned inbox[3] = {HB_MB_TO_FW, HB_MB_TO_LX, HB_MB_LX};
    uint32_t id = arg(argc, argv, 0, 1), k = arg(argc, argv, 1, 1000);
    if (id < 1 || id > 2)
        hx_fail("mesh: party 1 or 2", (long)id);
    shmbox_t sb = {0};
    hx_open(&sb);
    struct hb_tx tx[2];
    unsigned ntx = 0;
    for (uint32_t p = 0; p < 3; p++)
        if (p != id)
            tx[ntx++] = (struct hb_tx){.mbox = inbox[p], .sender = id, .total = k, .slots = k / 10u};
    struct hb_rx rx = {.mbox = inbox[id], .strict = 1};
    for (unsigned s = 0; s < 3; s++) {
        rx.total[s] = k;
        rx.slots[s] = k / 10u;
    }
    uint64_t t0 = hx_now_us(), last = t0;
    while (!hb_tx_done(&tx[0]) || !hb_tx_done(&tx[1]) || rx.count < 2u * k) {
        int progress = 0;
        for (unsigned i = 0; i < 2; i++) {
            int rc = hb_tx_step(&sb, &tx[i], SHMBOX_NO_WAIT);
            if (rc < 0)
                hx_fail("send", rc);
            progress |= rc;
        }
        int rc = hb_rx_step(&sb, &rx, SHMBOX_NO_WAIT);
        if (rc < 0)
            rx_fail(&rx, rc);
        progress |= rc;
        if (progress)
            last = hx_now_us();
        else if (hx_now_us() - last > STALL_US)
            hx_fail("mesh stalled", (long)rx.count);
        else
            usleep(20);
    }
    printf("mesh: party %u (%s): sent %u to each of 2 parties, received %u in order, %.1f s\n", (unsigned)id,
           sizeof(void *) == 8 ? "64-bit" : "32-bit", (unsigned)k, (unsigned)rx.count,
           (double)(hx_now_us() - t0) / 1e6);
    return shmbox_close(&sb) == 0 ? 0 : 1;
}

int hx_role_streams(const char *role, int argc, char **argv)
{
    if (strcmp(role, "create") == 0) {
        shmbox_t sb = {0};
        hx_create(&sb);
        printf("create: %s created\n", hx_region);
        return shmbox_close(&sb) == 0 ? 0 : 1;
    }
    if (strcmp(role, "traffic") == 0)
        return traffic(argc, argv);
    if (strcmp(role, "send") == 0)
        return send_role(argc, argv);
    if (strcmp(role, "recv") == 0)
        return recv_role(argc, argv);
    if (strcmp(role, "ends") == 0)
        return ends_role(argc, argv);
    if (strcmp(role, "many-check") == 0)
        return many_check(argc, argv);
    if (strcmp(role, "mesh") == 0)
        return mesh(argc, argv);
    return -2;
}
