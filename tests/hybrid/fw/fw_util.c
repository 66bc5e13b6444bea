// SPDX-License-Identifier: MIT
/* The hybrid firmware's helpers: attach, control messages, failures. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "fw.h"

_Noreturn void fw_fail(const char *what, long value)
{
    printf("firmware: FAIL: %s (%ld)\n", what, value);
    fflush(stdout);
    exit(1);
}

uint32_t fw_arg(int argc, char **argv, int i, uint32_t dflt)
{
    return i < argc ? (uint32_t)strtoul(argv[i], NULL, 0) : dflt;
}

void fw_attach(shmbox_t *sb, int create)
{
    int rc;
    if (create > 0)
        rc = shmbox_create(sb, FW_REGION);
    else if (create == 0)
        rc = shmbox_open(sb, FW_REGION, 10000);
    else
        rc = shmbox_open_or_create(sb, FW_REGION, 10000);
    if (rc < 0) {
        printf("firmware: attach: %s: %s\n", shmbox_strerror(rc), shmbox_error_detail(sb));
        fw_fail("attach", rc);
    }
    printf("firmware: attached (%s)\n", create > 0 ? "created" : rc == 1 ? "created or replaced" : "opened");
}

void fw_ctl(shmbox_t *sb, uint32_t kind, uint32_t a, uint32_t b)
{
    struct hb_ctl c = {kind, a, b, 0};
    int rc = shmbox_send(sb, HB_MB_CTL_LX, &c, sizeof(c), 10000);
    if (rc < 0)
        fw_fail("control send", rc);
}

void fw_ctl_wait(shmbox_t *sb, struct hb_ctl *c, uint32_t kind, uint32_t ms)
{
    int rc = shmbox_recv(sb, HB_MB_CTL_FW, c, sizeof(*c), (int32_t)ms);
    if (rc < 0)
        fw_fail("control receive", rc);
    if (rc != (int)sizeof(*c) || c->kind != kind)
        fw_fail("unexpected control message", (long)c->kind);
}
