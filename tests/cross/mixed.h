// SPDX-License-Identifier: MIT
/*
 * shmbox-mixed (see mixed.c) is built from several files, one purpose each:
 * mixed.c the participants' roles and main, mixed_exchange.c the exchange
 * of checked messages and slots, mixed_common.c the shared state and the
 * plumbing (time, failure reports, control messages).
 */
#ifndef SHMBOX_MIXED_H
#define SHMBOX_MIXED_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <shmbox/shmbox.h>

#if defined(__x86_64__)
#define ARCH "x86_64"
#elif defined(__aarch64__)
#define ARCH "aarch64"
#elif defined(__arm__) && defined(__ARM_PCS_VFP)
#define ARCH "armhf"
#elif defined(__arm__)
#define ARCH "armel"
#elif defined(__i386__)
#define ARCH "i386"
#else
#define ARCH "other"
#endif

#define MAXP 3u               /* participants: the creator and 2 joiners */
#define HDR 16u               /* message header bytes */
#define MAGIC 0x3144584du     /* "MXD1" */
#define RUN_MS 240000u        /* whole exchange, generous for qemu-user */
#define OPEN_MS 60000u        /* joiner: wait this long for the region */

enum kind { K_MSG = 1, K_SLOT = 2, K_HELLO = 3, K_GO = 4, K_DONE = 5, K_BYE = 6 };

struct peer_count {
    uint32_t msgs, slots;   /* items */
    uint64_t bytes;         /* payload bytes (header included) */
};

struct state {
    shmbox_t sb;
    unsigned self, nparts, ctl_mbox;
    uint32_t msgs, slots;   /* per direction */
    struct shmbox_stat st0; /* pool sizes */
    struct peer_count sent[MAXP], got[MAXP];
    int go;
    uint64_t deadline_ms;
    pid_t *kids;            /* self mode, creator: the forked joiners */
    int kid_status[MAXP];   /* ... their wait status once reaped */
};
extern struct state S;

/* mixed_common.c */
uint64_t now_ms(void);
void sleep_ms(long ms);
/* Report a failure (rc < 0: an error code, else wrong data); returns 1. */
int fail(const char *what, int rc);
/* Self mode: nonzero once a forked joiner has ended (it can only fail). */
int kid_gone(void);
/* Receive a control message for participant 0, in slices. */
int ctl_recv(unsigned char *buf, size_t cap);
/* Little-endian words of the message headers. */
void put32(unsigned char *p, uint32_t v);
uint32_t get32(const unsigned char *p);
/* Send a control message of @p kind with @p nwords words to @p dst_mbox. */
int control_send(unsigned dst_mbox, unsigned kind, const uint32_t *words, unsigned nwords);

/* mixed_exchange.c */
/* The exchange itself: send to and receive from everybody until complete. */
int exchange(void);
/* Print what was sent to and received from every other participant. */
void report(void);

#endif
