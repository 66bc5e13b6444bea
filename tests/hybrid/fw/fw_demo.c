// SPDX-License-Identifier: MIT
/*
 * Firmware of make demo-hybrid and of the round-trip benchmark.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fw.h"

/* demo: create the region, greet Linux with copies and zero-copy slots,
 * print what Linux sends, hold a slot while Linux looks at the
 * statistics, end on Linux's DONE. */
int fw_demo(shmbox_t *sb, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fw_attach(sb, 1);
    struct shmbox_stat st;
    (void)shmbox_stat(sb, &st);
    printf("firmware: region at 0x%08lx: %lu pools, %lu mailboxes\n", (unsigned long)CONFIG_SHMBOX_STATIC_ADDRESS,
           (unsigned long)st.pool_count, (unsigned long)st.mbox_count);
    for (unsigned i = 0; i < 3; i++) {
        char msg[SHMBOX_MSG_SIZE];
        int n = snprintf(msg, sizeof(msg), "hello from the Cortex-M33 #%u", i);
        int rc = shmbox_send(sb, HB_MB_TO_LX, msg, (size_t)n + 1u, 10000);
        if (rc < 0)
            fw_fail("send", rc);
    }
    for (unsigned i = 0; i < 2; i++) {
        shmbox_slot_t s;
        int rc = shmbox_slot_alloc(sb, 200, &s, 10000);
        if (rc < 0)
            fw_fail("alloc", rc);
        char *p = shmbox_slot_ptr(sb, s);
        int n = snprintf(p, 200, "sensor frame %u, 200 bytes, zero copy from the firmware", i);
        memset(p + n + 1, 'A' + (int)i, (size_t)(200 - n - 1));
        rc = shmbox_send_slot(sb, HB_MB_TO_LX, s, 200, 10000);
        if (rc < 0)
            fw_fail("send_slot", rc);
    }
    printf("firmware: sent 3 messages and 2 slots to Linux\n");
    for (unsigned got = 0; got < 4;) {
        char msg[SHMBOX_MSG_SIZE];
        int n = shmbox_recv(sb, HB_MB_TO_FW, msg, sizeof(msg), 30000);
        if (n == -ENOMSG) {
            shmbox_slot_t s;
            size_t len;
            n = shmbox_recv_slot(sb, HB_MB_TO_FW, &s, &len, 0);
            if (n < 0)
                fw_fail("recv_slot", n);
            printf("firmware: got a slot of %u bytes from Linux: \"%s\"\n", (unsigned)len,
                   (const char *)shmbox_slot_ptr(sb, s));
            (void)shmbox_slot_free(sb, s);
        } else if (n < 0) {
            fw_fail("recv", n);
        } else {
            msg[sizeof(msg) - 1] = '\0';
            printf("firmware: got a message from Linux: \"%s\"\n", msg);
        }
        got++;
    }
    shmbox_slot_t keep;
    if (shmbox_slot_alloc(sb, 64, &keep, 1000) == 0)
        strcpy(shmbox_slot_ptr(sb, keep), "held by the firmware");
    fw_ctl(sb, HB_CTL_READY, 0, 0);
    struct hb_ctl c;
    fw_ctl_wait(sb, &c, HB_CTL_DONE, 60000);
    (void)shmbox_slot_free(sb, keep);
    printf("firmware: done\n");
    return shmbox_close(sb) == 0 ? 0 : 1;
}

/* echo [doorbell]: send back every message of HB_MB_TO_FW on HB_MB_TO_LX
 * until an end marker; with "doorbell", the UART doorbells are on. */
int fw_echo(shmbox_t *sb, int argc, char **argv)
{
    int doorbell = argc > 0 && strcmp(argv[0], "doorbell") == 0;
    fw_board_init(doorbell);
    fw_attach(sb, 1);
    fw_ctl(sb, HB_CTL_READY, (uint32_t)doorbell, 0);
    uint32_t n = 0;
    for (;;) {
        unsigned char msg[SHMBOX_MSG_SIZE];
        int len = shmbox_recv(sb, HB_MB_TO_FW, msg, sizeof(msg), 60000);
        if (len < 0)
            fw_fail("echo recv", len);
        struct hb_head h;
        memcpy(&h, msg, sizeof(h));
        if (h.seq == HB_END_SEQ) {
            /* The last answer comes late: Linux is asleep by then, and
             * the doorbell (if on) must wake it. */
            uint64_t t = fw_now_ms();
            while (fw_now_ms() - t < 50u)
                shmbox_static_relax();
        }
        int rc = shmbox_send(sb, HB_MB_TO_LX, msg, (size_t)len, 60000);
        if (rc < 0)
            fw_fail("echo send", rc);
        if (h.seq == HB_END_SEQ)
            break;
        n++;
    }
    printf("firmware: echo: %lu round trips, %lu doorbells from Linux\n", (unsigned long)n,
           (unsigned long)fw_doorbells());
    return 0;
}
