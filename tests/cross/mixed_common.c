// SPDX-License-Identifier: MIT
/*
 * shmbox-mixed: the shared state and the plumbing of every participant:
 * time, failure reports, the control mailbox, header words (mixed.h).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <shmbox/shmbox.h>

#include "layout.h"
#include "mixed.h"

struct state S;

uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

int fail(const char *what, int rc)
{
    fprintf(stderr, "[%s #%u pid %ld] FAILED: %s: %s\n", ARCH, S.self, (long)getpid(), what,
            rc < 0 ? shmbox_strerror(rc) : "wrong data");
    return 1;
}

/* Self mode: nonzero once a forked joiner has ended (it can only fail). */
int kid_gone(void)
{
    for (unsigned k = 0; S.kids != NULL && k < MAXP - 1u; k++) {
        int status = 0;
        if (S.kids[k] > 0 && waitpid(S.kids[k], &status, WNOHANG) == S.kids[k]) {
            S.kids[k] = -S.kids[k];
            S.kid_status[k] = status;
            return 1;
        }
    }
    return 0;
}

/* Receive a control message for participant 0, in slices, so that a dead
 * joiner or the overall deadline ends the wait. */
int ctl_recv(unsigned char *buf, size_t cap)
{
    for (;;) {
        int rc = shmbox_recv(&S.sb, S.ctl_mbox, buf, cap, 200);
        if (rc != -ETIMEDOUT)
            return rc;
        if (kid_gone() || now_ms() > S.deadline_ms)
            return -ETIMEDOUT;
    }
}

void put32(unsigned char *p, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8u * i));
}

uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int control_send(unsigned dst_mbox, unsigned kind, const uint32_t *words, unsigned nwords)
{
    unsigned char buf[SHMBOX_MSG_SIZE];
    memset(buf, 0, sizeof(buf));
    put32(buf, MAGIC);
    buf[4] = (unsigned char)S.self;
    buf[5] = (unsigned char)(dst_mbox == S.ctl_mbox ? 0u : dst_mbox);
    buf[6] = (unsigned char)kind;
    for (unsigned i = 0; i < nwords && HDR + 4u * i + 4u <= SHMBOX_MSG_SIZE; i++)
        put32(buf + HDR + 4u * i, words[i]);
    int rc = shmbox_send(&S.sb, dst_mbox, buf, SHMBOX_MSG_SIZE, 10000);
    return rc < 0 ? fail("control send", rc) : 0;
}
