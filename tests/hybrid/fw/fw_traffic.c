// SPDX-License-Identifier: MIT
/*
 * Firmware scenarios that move data: traffic (both ways with Linux at
 * once), many (one of three senders into one mailbox, one of three
 * receivers of another), mesh (firmware, an x86_64 and an armhf process,
 * each sending to the two others).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fw.h"
#include "stream.h"

#define DEADLINE_MS 600000u

/* Run the streams until every tx is done and every rx has @p want
 * messages (or @p want_ends end markers). NO_WAIT steps, interleaved. */
static void pump(shmbox_t *sb, struct hb_tx *tx, unsigned ntx, struct hb_rx *rx, unsigned nrx, uint32_t want,
                 uint32_t want_ends)
{
    uint64_t t0 = fw_now_ms(), last = t0;
    for (;;) {
        int busy = 0, progress = 0;
        for (unsigned i = 0; i < ntx; i++) {
            int rc = hb_tx_step(sb, &tx[i], SHMBOX_NO_WAIT);
            if (rc < 0)
                fw_fail("send", rc);
            progress |= rc;
            busy |= !hb_tx_done(&tx[i]);
        }
        for (unsigned i = 0; i < nrx; i++) {
            if (want_ends ? rx[i].ends >= want_ends : rx[i].count >= want)
                continue; /* this receiver is done: it takes nothing more */
            int rc = hb_rx_step(sb, &rx[i], SHMBOX_NO_WAIT);
            if (rc < 0) {
                printf("firmware: receive check failed: %s\n", rx[i].why);
                fw_fail("receive", rc);
            }
            progress |= rc;
            busy |= want_ends ? rx[i].ends < want_ends : rx[i].count < want;
        }
        if (!busy)
            return;
        uint64_t now = fw_now_ms();
        if (progress)
            last = now;
        else
            shmbox_static_relax();
        if (now - last > 60000u || now - t0 > DEADLINE_MS) {
            for (unsigned i = 0; i < ntx; i++)
                printf("firmware: tx %u: %lu of %lu sent\n", i, (unsigned long)tx[i].seq, (unsigned long)tx[i].total);
            for (unsigned i = 0; i < nrx; i++)
                printf("firmware: rx %u: %lu received\n", i, (unsigned long)rx[i].count);
            fw_fail("stalled (no progress for 60 s)", (long)(now - last));
        }
    }
}

/* traffic N M [SENDER]: N copies and M slots to Linux (HB_MB_TO_LX), and
 * the same from Linux sender SENDER (HB_MB_TO_FW), at once. */
int fw_traffic(shmbox_t *sb, int argc, char **argv)
{
    uint32_t n = fw_arg(argc, argv, 0, 1000), m = fw_arg(argc, argv, 1, 100), from = fw_arg(argc, argv, 2, 1);
    fw_attach(sb, 1);
    struct hb_tx tx = {.mbox = HB_MB_TO_LX, .sender = HB_SENDER_FW, .total = n + m, .slots = m};
    struct hb_rx rx = {.mbox = HB_MB_TO_FW, .strict = 1};
    rx.total[from] = n + m;
    rx.slots[from] = m;
    uint64_t t0 = fw_now_us();
    pump(sb, &tx, 1, &rx, 1, n + m, 0);
    uint64_t us = fw_now_us() - t0;
    printf("firmware: traffic: sent %lu and received %lu messages (%lu slots each way) in %lu ms\n",
           (unsigned long)tx.seq, (unsigned long)rx.count, (unsigned long)m, (unsigned long)(us / 1000u));
    fw_ctl(sb, HB_CTL_DONE, 0, rx.count);
    return 0;
}

/* many N: sender 0 of N messages (N/10 slots) into HB_MB_MANY_IN, and a
 * receiver of HB_MB_MANY_OUT until an end marker; what it received is
 * recorded in the scratch RAM outside the region (Linux checks it). */
int fw_many(shmbox_t *sb, int argc, char **argv)
{
    uint32_t n = fw_arg(argc, argv, 0, 1000);
    unsigned char *record = (unsigned char *)(uintptr_t)(HB_RAM_BASE + HB_SCRATCH_OFFSET);
    memset(record, 0, HB_SENDERS_MAX * HB_SCRATCH_SEQS);
    fw_attach(sb, 0);
    struct hb_tx tx = {.mbox = HB_MB_MANY_IN, .sender = HB_SENDER_FW, .total = n, .slots = n / 10u};
    struct hb_rx rx = {.mbox = HB_MB_MANY_OUT, .record = record};
    for (unsigned s = 1; s < HB_SENDERS_MAX; s++) {
        rx.total[s] = n;
        rx.slots[s] = n / 10u;
    }
    fw_ctl(sb, HB_CTL_READY, 0, 0);
    uint64_t t0 = fw_now_ms();
    pump(sb, &tx, 1, &rx, 1, 0, 1);
    printf("firmware: many: sent %lu, received %lu in %lu ms\n", (unsigned long)tx.seq, (unsigned long)rx.count,
           (unsigned long)(fw_now_ms() - t0));
    fw_ctl(sb, HB_CTL_DONE, 0, rx.count);
    return 0;
}

/* mesh K: party 0 of three (1: x86_64 at HB_MB_TO_LX, 2: armhf at
 * HB_MB_LX; ours HB_MB_TO_FW): K messages (K/10 slots) to each of the
 * two others, K from each of them. */
int fw_mesh(shmbox_t *sb, int argc, char **argv)
{
    uint32_t k = fw_arg(argc, argv, 0, 1000);
    fw_attach(sb, 1);
    struct hb_tx tx[2] = {{.mbox = HB_MB_TO_LX, .sender = 0, .total = k, .slots = k / 10u},
                          {.mbox = HB_MB_LX, .sender = 0, .total = k, .slots = k / 10u}};
    struct hb_rx rx = {.mbox = HB_MB_TO_FW, .strict = 1};
    for (unsigned s = 1; s <= 2; s++) {
        rx.total[s] = k;
        rx.slots[s] = k / 10u;
    }
    pump(sb, tx, 2, &rx, 1, 2u * k, 0);
    printf("firmware: mesh: sent %lu + %lu, received %lu\n", (unsigned long)tx[0].seq, (unsigned long)tx[1].seq,
           (unsigned long)rx.count);
    fw_ctl(sb, HB_CTL_DONE, 0, rx.count);
    return 0;
}
