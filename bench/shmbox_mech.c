// SPDX-License-Identifier: MIT
/* shmbox as a benchmark mechanism: mailbox 0 carries dir 0, mailbox 1 dir 1. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <shmbox/shmbox.h>

#include "bench.h"

struct sb_ctx {
    char name[SHMBOX_NAME_MAX + 1];
    pid_t creator;
    shmbox_t sb;
};

shmbox_t *bench_shmbox(void *ctx);
shmbox_t *bench_shmbox(void *ctx)
{
    return &((struct sb_ctx *)ctx)->sb;
}

static int sb_setup(void **ctx, unsigned nprod)
{
    (void)nprod;
    struct sb_ctx *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return -1;
    snprintf(c->name, sizeof(c->name), "bench-%d", (int)getpid());
    (void)shmbox_unlink(c->name);
    int rc = shmbox_create(&c->sb, c->name);
    if (rc < 0) {
        fprintf(stderr, "shmbox_create: %s\n", shmbox_strerror(rc));
        free(c);
        return -1;
    }
    c->creator = getpid();
    *ctx = c;
    return 0;
}

static int sb_attach(void *ctx)
{
    struct sb_ctx *c = ctx;
    if (getpid() == c->creator)
        return 0;
    memset(&c->sb, 0, sizeof(c->sb));
    int rc = shmbox_open(&c->sb, c->name, 5000);
    if (rc < 0)
        fprintf(stderr, "shmbox_open: %s\n", shmbox_strerror(rc));
    return rc;
}

static int sb_send(void *ctx, unsigned dir, const void *msg)
{
    return shmbox_send(&((struct sb_ctx *)ctx)->sb, dir, msg, BENCH_MSG, SHMBOX_FOREVER);
}

static int sb_recv(void *ctx, unsigned dir, void *buf)
{
    int rc = shmbox_recv(&((struct sb_ctx *)ctx)->sb, dir, buf, BENCH_MSG, SHMBOX_FOREVER);
    return rc == (int)BENCH_MSG ? 0 : -1;
}

static void sb_detach(void *ctx)
{
    struct sb_ctx *c = ctx;
    if (getpid() != c->creator)
        (void)shmbox_close(&c->sb);
}

static void sb_teardown(void *ctx)
{
    struct sb_ctx *c = ctx;
    (void)shmbox_close(&c->sb);
    (void)shmbox_unlink(c->name);
    free(c);
}

struct mech mech_shmbox = {"shmbox", CAP_RTT | CAP_STREAM | CAP_MPSC, sb_setup, sb_attach, sb_send, sb_recv,
                           sb_detach, sb_teardown};
