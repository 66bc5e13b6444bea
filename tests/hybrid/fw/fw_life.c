// SPDX-License-Identifier: MIT
/*
 * Firmware scenarios about ownership and failures: own (slots the
 * firmware holds survive Linux's reclaim), crash (a send blocked on a
 * lock whose Linux holder was killed), reattach (a board reset: the new
 * boot's attach frees the old boot's slots).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fw.h"
#include "stream.h"

static shmbox_t *held_sb;
static shmbox_slot_t held[HB_HELD_SLOTS];

/* Allocate and fill the held slots; tell Linux (READY a=count b=pool
 * used after, then one HB_CTL_SLOT per handle). */
static void hold_slots(shmbox_t *sb, uint32_t tag)
{
    held_sb = sb;
    for (uint32_t i = 0; i < HB_HELD_SLOTS; i++) {
        int rc = shmbox_slot_alloc(sb, HB_HELD_SIZE, &held[i], 1000);
        if (rc < 0)
            fw_fail("alloc of a held slot", rc);
        hb_fill(shmbox_slot_ptr(sb, held[i]), HB_HELD_SIZE, HB_HELD_SENDER, i);
    }
    struct shmbox_stat st;
    int rc = shmbox_stat(sb, &st);
    if (rc < 0)
        fw_fail("stat", rc);
    fw_ctl(sb, HB_CTL_READY, tag, st.pool[SHMBOX_POOL_COUNT - 1].used);
    for (uint32_t i = 0; i < HB_HELD_SLOTS; i++)
        fw_ctl(sb, HB_CTL_SLOT, held[i], i);
}

/* The held slots are still this firmware's, with their bytes; free them. */
static void check_and_free(shmbox_t *sb)
{
    for (uint32_t i = 0; i < HB_HELD_SLOTS; i++) {
        const unsigned char *p = shmbox_slot_ptr(sb, held[i]);
        struct hb_head h;
        if (p == NULL)
            fw_fail("a held slot is no longer allocated", (long)i);
        if (hb_check(p, HB_HELD_SIZE, &h) < 0 || h.sender != HB_HELD_SENDER || h.seq != i)
            fw_fail("a held slot's bytes changed", (long)i);
        int rc = shmbox_slot_free(sb, held[i]);
        if (rc < 0)
            fw_fail("free of a held slot", rc);
    }
}

/* own create|open: attach, hold slots, wait for Linux's CHECK, check them. */
int fw_own(shmbox_t *sb, int argc, char **argv)
{
    int create = argc > 0 && strcmp(argv[0], "create") == 0;
    fw_attach(sb, create);
    hold_slots(sb, 0);
    struct hb_ctl c;
    fw_ctl_wait(sb, &c, HB_CTL_CHECK, 60000);
    check_and_free(sb);
    printf("firmware: own: %u slots held across Linux's reclaim, bytes intact\n", HB_HELD_SLOTS);
    fw_ctl(sb, HB_CTL_DONE, 0, HB_HELD_SLOTS);
    return shmbox_close(sb) == 0 ? 0 : 1;
}

/* crash: wait for GO, then send to HB_MB_TO_LX (whose send lock a killed
 * Linux process holds); report how long the send took. */
int fw_crash(shmbox_t *sb, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fw_attach(sb, 1);
    fw_ctl(sb, HB_CTL_READY, 0, 0);
    struct hb_ctl c;
    fw_ctl_wait(sb, &c, HB_CTL_GO, 60000);
    unsigned char buf[SHMBOX_MSG_SIZE];
    size_t len = hb_msg_len(HB_SENDER_FW, 0);
    hb_fill(buf, len, HB_SENDER_FW, 0);
    uint64_t t0 = fw_now_us();
    int rc = shmbox_send(sb, HB_MB_TO_LX, buf, len, 60000);
    uint64_t us = fw_now_us() - t0;
    printf("firmware: crash: send returned %d after %lu us\n", rc, (unsigned long)us);
    fw_ctl(sb, HB_CTL_DONE, (uint32_t)-rc, (uint32_t)us);
    return rc == 0 ? 0 : 1;
}

/* reattach BOOT: attach (open or create; a reset if this firmware was
 * attached before), hold slots, READY (a = BOOT, b = pool used), then
 * send to Linux as sender BOOT until Linux's DONE (or forever: the board
 * is killed mid-traffic), then free and close. */
int fw_reattach(shmbox_t *sb, int argc, char **argv)
{
    uint32_t boot = fw_arg(argc, argv, 0, 1);
    fw_attach(sb, -1);
    hold_slots(sb, boot);
    struct hb_tx tx = {.mbox = HB_MB_TO_LX, .sender = boot, .total = 0xfffffff0u, .slots = 0x19999990u};
    for (;;) {
        int rc = hb_tx_step(sb, &tx, 10);
        if (rc < 0)
            fw_fail("send", rc);
        struct hb_ctl c;
        if (shmbox_recv(sb, HB_MB_CTL_FW, &c, sizeof(c), SHMBOX_NO_WAIT) == (int)sizeof(c) && c.kind == HB_CTL_DONE)
            break;
    }
    if (tx.held != SHMBOX_SLOT_NONE)
        (void)shmbox_slot_free(sb, tx.held);
    check_and_free(sb);
    printf("firmware: reattach: boot %lu sent %lu messages\n", (unsigned long)boot, (unsigned long)tx.seq);
    fw_ctl(sb, HB_CTL_DONE, 0, tx.seq);
    return shmbox_close(sb) == 0 ? 0 : 1;
}
