// SPDX-License-Identifier: MIT
/*
 * shmbox-mixed: the exchange. Every item (message or slot) carries its
 * sender, destination, kind, sequence number and length in a header and a
 * payload in which every byte depends on all of them; the receiver checks
 * each, the slot's size class, and the FIFO order per sender (mixed.h).
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


/* Payload byte b of item (src, dst, kind, seq): every byte depends on all. */
static unsigned char pattern(unsigned src, unsigned dst, unsigned kind, uint32_t seq, uint32_t b)
{
    uint32_t x = (seq + 1u) * 2654435761u ^ (uint32_t)(src << 24 | dst << 16 | kind << 8);
    x ^= b * 40503u;
    return (unsigned char)(x ^ (x >> 11) ^ (x >> 19));
}

static void fill(unsigned char *p, unsigned dst, unsigned kind, uint32_t seq, uint32_t len)
{
    put32(p, MAGIC);
    p[4] = (unsigned char)S.self;
    p[5] = (unsigned char)dst;
    p[6] = (unsigned char)kind;
    p[7] = 0;
    put32(p + 8, seq);
    put32(p + 12, len);
    for (uint32_t b = HDR; b < len; b++)
        p[b] = pattern(S.self, dst, kind, seq, b);
}

/* Length of message / slot number seq from this sender. */
static uint32_t msg_len(uint32_t seq)
{
    return HDR + seq % (SHMBOX_MSG_SIZE - HDR + 1u);
}

static uint32_t slot_len(uint32_t seq)
{
    uint32_t size = S.st0.pool[seq % S.st0.pool_count].slot_size;
    uint32_t len = size - seq % 61u;
    return len < HDR ? HDR : len;
}

/* The slot size a slot of len bytes must come from: the smallest that fits. */
static uint32_t class_of(uint32_t len)
{
    for (uint32_t p = 0; p < S.st0.pool_count; p++)
        if (S.st0.pool[p].slot_size >= len)
            return S.st0.pool[p].slot_size;
    return 0;
}

/* Check one received item (message or slot contents). */
static int check_item(const unsigned char *p, size_t len, unsigned kind)
{
    if (len < HDR || get32(p) != MAGIC || p[5] != S.self || p[6] != kind || get32(p + 12) != len)
        return fail("item header", 0);
    unsigned src = p[4];
    uint32_t seq = get32(p + 8);
    if (src >= S.nparts || src == S.self)
        return fail("item sender", 0);
    struct peer_count *g = &S.got[src];
    uint32_t expect = kind == K_MSG ? g->msgs : g->slots;
    uint32_t want_len = kind == K_MSG ? msg_len(seq) : slot_len(seq);
    if (seq != expect || len != want_len)
        return fail(seq != expect ? "item order (FIFO per sender)" : "item length", 0);
    for (uint32_t b = HDR; b < len; b++)
        if (p[b] != pattern(src, S.self, kind, seq, b)) {
            fprintf(stderr, "byte %" PRIu32 " of %s %" PRIu32 " from #%u\n", b, kind == K_MSG ? "message" : "slot",
                    seq, src);
            return fail("payload byte", 0);
        }
    if (kind == K_MSG)
        g->msgs++;
    else
        g->slots++;
    g->bytes += len;
    return 0;
}

/* Handle one item of this process's inbox; timeout_ms as shmbox_recv(). */
static int receive_one(int32_t timeout_ms, int *progress)
{
    unsigned char buf[SHMBOX_MSG_SIZE];
    int rc = shmbox_recv(&S.sb, S.self, buf, sizeof(buf), timeout_ms);
    if (rc == -EAGAIN || rc == -ETIMEDOUT)
        return 0;
    if (rc == -ENOMSG) {
        shmbox_slot_t s;
        size_t len = 0;
        rc = shmbox_recv_slot(&S.sb, S.self, &s, &len, SHMBOX_NO_WAIT);
        if (rc == -EAGAIN) /* NO_WAIT and the mailbox lock stayed busy: later */
            return 0;
        if (rc < 0)
            return fail("recv_slot", rc);
        const unsigned char *p = shmbox_slot_ptr(&S.sb, s);
        if (p == NULL || shmbox_slot_size(&S.sb, s) != class_of((uint32_t)len))
            return fail("received slot's size class", 0);
        if (check_item(p, len, K_SLOT))
            return 1;
        rc = shmbox_slot_free(&S.sb, s);
        if (rc < 0)
            return fail("slot_free", rc);
        *progress = 1;
        return 0;
    }
    if (rc < 0)
        return fail("recv", rc);
    if (rc >= (int)HDR && buf[6] == K_GO && get32(buf) == MAGIC && buf[4] == 0 && buf[5] == S.self) {
        S.go = 1;
        *progress = 1;
        return 0;
    }
    if (check_item(buf, (size_t)rc, K_MSG))
        return 1;
    *progress = 1;
    return 0;
}

/* Send the next item to dst unless its mailbox is full or pools are empty. */
static int send_one(unsigned dst, int *progress)
{
    struct peer_count *s = &S.sent[dst];
    int slot_turn = s->slots < S.slots &&
                    (s->msgs >= S.msgs || (uint64_t)s->slots * S.msgs <= (uint64_t)s->msgs * S.slots);
    int rc;
    if (slot_turn) {
        uint32_t len = slot_len(s->slots);
        shmbox_slot_t slot;
        rc = shmbox_slot_alloc(&S.sb, len, &slot, SHMBOX_NO_WAIT);
        if (rc == -ENOMEM || rc == -EAGAIN) /* pools empty (or lock busy): later */
            return 0;
        if (rc < 0)
            return fail("slot_alloc", rc);
        unsigned char *p = shmbox_slot_ptr(&S.sb, slot);
        if (p == NULL || shmbox_slot_size(&S.sb, slot) != class_of(len))
            return fail("allocated slot's size class", 0);
        fill(p, dst, K_SLOT, s->slots, len);
        rc = shmbox_send_slot(&S.sb, dst, slot, len, SHMBOX_NO_WAIT);
        if (rc == -EAGAIN) {
            rc = shmbox_slot_free(&S.sb, slot);
            return rc < 0 ? fail("slot_free after a full mailbox", rc) : 0;
        }
        if (rc < 0)
            return fail("send_slot", rc);
        s->slots++;
        s->bytes += len;
    } else if (s->msgs < S.msgs) {
        unsigned char buf[SHMBOX_MSG_SIZE];
        uint32_t len = msg_len(s->msgs);
        fill(buf, dst, K_MSG, s->msgs, len);
        rc = shmbox_send(&S.sb, dst, buf, len, SHMBOX_NO_WAIT);
        if (rc == -EAGAIN)
            return 0;
        if (rc < 0)
            return fail("send", rc);
        s->msgs++;
        s->bytes += len;
    } else {
        return 0;
    }
    *progress = 1;
    return 0;
}

static int finished(void)
{
    for (unsigned p = 0; p < S.nparts; p++) {
        if (p == S.self)
            continue;
        if (S.sent[p].msgs < S.msgs || S.sent[p].slots < S.slots || S.got[p].msgs < S.msgs ||
            S.got[p].slots < S.slots)
            return 0;
    }
    return 1;
}

/* The exchange itself: send to and receive from everybody until complete. */
int exchange(void)
{
    while (!finished()) {
        int progress = 0;
        if (now_ms() > S.deadline_ms) {
            for (unsigned p = 0; p < S.nparts; p++)
                if (p != S.self)
                    fprintf(stderr, "#%u <-> #%u: sent %u msgs %u slots, got %u msgs %u slots\n", S.self, p,
                            S.sent[p].msgs, S.sent[p].slots, S.got[p].msgs, S.got[p].slots);
            return fail("exchange did not complete in time", -ETIMEDOUT);
        }
        if (kid_gone())
            return fail("a joiner ended early", -ECHILD);
        for (unsigned d = 0; S.go && d < S.nparts; d++)
            if (d != S.self && send_one(d, &progress))
                return 1;
        for (unsigned i = 0; i < 2u * SHMBOX_MBOX_DEPTH; i++) {
            int got = 0;
            if (receive_one(SHMBOX_NO_WAIT, &got))
                return 1;
            if (!got)
                break;
            progress = 1;
        }
        if (!progress && receive_one(5, &progress)) /* nothing moved: wait a little for the inbox */
            return 1;
    }
    return 0;
}

void report(void)
{
    for (unsigned p = 0; p < S.nparts; p++) {
        if (p == S.self)
            continue;
        printf("[%s #%u] -> #%u: %u messages + %u slots, %" PRIu64 " bytes sent\n", ARCH, S.self, p, S.sent[p].msgs,
               S.sent[p].slots, S.sent[p].bytes);
        printf("[%s #%u] <- #%u: %u messages + %u slots, %" PRIu64 " bytes received, every byte verified\n", ARCH,
               S.self, p, S.got[p].msgs, S.got[p].slots, S.got[p].bytes);
    }
    fflush(stdout);
}
