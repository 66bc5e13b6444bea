// SPDX-License-Identifier: MIT
/*
 * demo: the Linux side of make demo-hybrid. The firmware (on the board,
 * tests/hybrid/fw/fw_demo.c) created the region; this process opens it
 * through the memory file, takes the firmware's messages and zero-copy
 * slots, sends its own, and shows the region's statistics (the shmbox
 * tool) with the firmware listed among the processes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "host.h"

static int demo(void)
{
    shmbox_t sb = {0};
    hx_open(&sb);
    printf("linux: opened %s (pid %d)\n", hx_region, (int)getpid());
    for (unsigned got = 0; got < 5; got++) {
        char msg[SHMBOX_MSG_SIZE];
        int n = shmbox_recv(&sb, HB_MB_TO_LX, msg, sizeof(msg), 10000);
        if (n == -ENOMSG) {
            shmbox_slot_t s;
            size_t len;
            n = shmbox_recv_slot(&sb, HB_MB_TO_LX, &s, &len, 0);
            if (n < 0)
                hx_fail("recv_slot", n);
            const char *p = shmbox_slot_ptr(&sb, s);
            printf("linux: got a zero-copy slot of %zu bytes from the firmware: \"%s\" + %zu x '%c'\n", len, p,
                   len - strlen(p) - 1u, p[len - 1u]);
            (void)shmbox_slot_free(&sb, s);
        } else if (n < 0) {
            hx_fail("recv", n);
        } else {
            msg[sizeof(msg) - 1u] = '\0';
            printf("linux: got a message from the firmware: \"%s\"\n", msg);
        }
    }
    for (unsigned i = 0; i < 2; i++) {
        char msg[SHMBOX_MSG_SIZE];
        int n = snprintf(msg, sizeof(msg), "hello from Linux pid %d #%u", (int)getpid(), i);
        int rc = shmbox_send(&sb, HB_MB_TO_FW, msg, (size_t)n + 1u, 10000);
        if (rc < 0)
            hx_fail("send", rc);
        shmbox_slot_t s;
        rc = shmbox_slot_alloc(&sb, 128, &s, 10000);
        if (rc < 0)
            hx_fail("alloc", rc);
        snprintf(shmbox_slot_ptr(&sb, s), 128, "camera frame %u from Linux, zero copy", i);
        rc = shmbox_send_slot(&sb, HB_MB_TO_FW, s, 128, 10000);
        if (rc < 0)
            hx_fail("send_slot", rc);
    }
    printf("linux: sent 2 messages and 2 slots to the firmware\n");
    struct hb_ctl c;
    hx_ctl_wait(&sb, &c, HB_CTL_READY, 30000);
    printf("linux: the region now (shmbox stat %s):\n", hx_region);
    if (hx_stat_lists_firmware(1, 1) < 0)
        hx_fail("`shmbox stat` does not list firmware 1", 0);
    hx_ctl(&sb, HB_CTL_DONE, 0, 0);
    return shmbox_close(&sb) == 0 ? 0 : 1;
}

int hx_role_demo(const char *role, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return strcmp(role, "demo") == 0 ? demo() : -2;
}
