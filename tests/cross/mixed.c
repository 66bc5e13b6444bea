// SPDX-License-Identifier: MIT
/*
 * shmbox-mixed: several processes, possibly of different architectures,
 * share one region and exchange messages and slots in every direction.
 *
 *   shmbox-mixed create NAME [MSGS SLOTS]   participant 0: creates the
 *       region, waits for the 2 joiners, runs, checks the end state,
 *       removes the region
 *   shmbox-mixed join NAME ID [MSGS SLOTS]  participant ID (1 or 2)
 *   shmbox-mixed self [MSGS SLOTS]          create, then 2 joiners forked
 *       from this program (the ctest test of every build)
 *   shmbox-mixed unlink NAME                      remove a leftover region
 *
 * tests/cross/mixed.sh runs `create` natively and one `join` each under
 * qemu-arm and qemu-aarch64. Mailbox i is participant i's inbox; the last
 * mailbox carries the hello/done reports to participant 0. Every
 * participant sends MSGS copied messages (16..SHMBOX_MSG_SIZE bytes) and
 * SLOTS slots (one size from each pool in turn, filled to a varying
 * length) to every other participant. The receiver checks each message's
 * sender, destination, kind, sequence number (FIFO per sender), length,
 * the slot's size class, and every payload byte. Exit status 0 only if
 * everything arrived intact, the pools and mailboxes are empty at the end
 * and every process detached.
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

static struct state {
    shmbox_t sb;
    unsigned self, nparts, ctl_mbox;
    uint32_t msgs, slots;   /* per direction */
    struct shmbox_stat st0; /* pool sizes */
    struct peer_count sent[MAXP], got[MAXP];
    int go;
    uint64_t deadline_ms;
    pid_t *kids;            /* self mode, creator: the forked joiners */
    int kid_status[MAXP];   /* ... their wait status once reaped */
} S;

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static int fail(const char *what, int rc)
{
    fprintf(stderr, "[%s #%u pid %ld] FAILED: %s: %s\n", ARCH, S.self, (long)getpid(), what,
            rc < 0 ? shmbox_strerror(rc) : "wrong data");
    return 1;
}

/* Self mode: nonzero once a forked joiner has ended (it can only fail). */
static int kid_gone(void)
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
static int ctl_recv(unsigned char *buf, size_t cap)
{
    for (;;) {
        int rc = shmbox_recv(&S.sb, S.ctl_mbox, buf, cap, 200);
        if (rc != -ETIMEDOUT)
            return rc;
        if (kid_gone() || now_ms() > S.deadline_ms)
            return -ETIMEDOUT;
    }
}

static void put32(unsigned char *p, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8u * i));
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

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

static int control_send(unsigned dst_mbox, unsigned kind, const uint32_t *words, unsigned nwords)
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

/* The exchange itself: send to and receive from everybody until complete. */
static int exchange(void)
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

static void report(void)
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

static void identify(const char *name)
{
    struct shmbox_cfg_rec cfg;
    sbx_layout_cfg(&cfg);
    printf("[%s #%u] pid %ld, %u-bit, region \"%s\": layout fingerprint 0x%016" PRIx64 ", %" PRIu64 " bytes\n", ARCH,
           S.self, (long)getpid(), (unsigned)(sizeof(void *) * 8u), name, sbx_layout_fingerprint(&cfg),
           (uint64_t)SHMBOX_REGION_SIZE);
    fflush(stdout);
}

static int setup(unsigned self, unsigned nparts)
{
    S.self = self;
    S.nparts = nparts;
    S.ctl_mbox = SHMBOX_MBOX_COUNT - 1u;
    S.deadline_ms = now_ms() + RUN_MS;
    if (SHMBOX_MBOX_COUNT < MAXP + 1u || SHMBOX_MSG_SIZE < HDR + 16u)
        return fail("this test needs at least 4 mailboxes and 32-byte messages", -EINVAL);
    int rc = shmbox_stat(&S.sb, &S.st0);
    return rc < 0 ? fail("stat", rc) : 0;
}

static int run_joiner(const char *name, unsigned id)
{
    S.self = id;
    uint64_t until = now_ms() + OPEN_MS;
    int rc;
    while ((rc = shmbox_open(&S.sb, name, 5000)) == -ENOENT && now_ms() < until)
        sleep_ms(20);
    if (rc < 0)
        return fail("open", rc);
    identify(name);
    if (setup(id, MAXP))
        return 1;
    uint32_t hello = id;
    if (control_send(S.ctl_mbox, K_HELLO, &hello, 1) || exchange())
        return 1;
    uint32_t done[7] = {id, 0, 0, 0, 0, 0, 0};
    for (unsigned p = 0, i = 1; p < S.nparts; p++)
        if (p != id) {
            done[i++] = S.got[p].msgs;
            done[i++] = S.got[p].slots;
            done[i++] = (uint32_t)S.got[p].bytes;
        }
    if (control_send(S.ctl_mbox, K_DONE, done, 7))
        return 1;
    report();
    /* Stay attached until participant 0 has checked the end state. */
    unsigned char buf[SHMBOX_MSG_SIZE];
    rc = shmbox_recv(&S.sb, id, buf, sizeof(buf), 60000);
    if (rc < (int)HDR || buf[6] != K_BYE)
        return fail("waiting for the end", rc < 0 ? rc : 0);
    rc = shmbox_close(&S.sb);
    return rc < 0 ? fail("close", rc) : 0;
}

/* Participant 0 after the exchange: reports, end state, detach of all. */
static int creator_finish(const char *name)
{
    unsigned dones = 0;
    while (dones < S.nparts - 1u) {
        unsigned char buf[SHMBOX_MSG_SIZE];
        int rc = ctl_recv(buf, sizeof(buf));
        if (rc < 0)
            return fail("waiting for the joiners' reports", rc);
        if (rc != (int)SHMBOX_MSG_SIZE || get32(buf) != MAGIC || buf[6] != K_DONE)
            return fail("a joiner's report", 0);
        unsigned who = buf[4];
        uint64_t bytes = 0;
        for (unsigned p = 0, i = 1; p < S.nparts; p++)
            if (p != who) {
                uint32_t m = get32(buf + HDR + 4u * i), s = get32(buf + HDR + 4u * i + 4u);
                bytes += get32(buf + HDR + 4u * i + 8u);
                if (m != S.msgs || s != S.slots)
                    return fail("a joiner received too little", 0);
                i += 3;
            }
        printf("[%s #0] report from #%u: all %u messages and %u slots from each peer verified (%" PRIu64
               " bytes)\n", ARCH, who, S.msgs, S.slots, bytes);
        dones++;
    }
    struct shmbox_stat st;
    int rc = shmbox_stat(&S.sb, &st);
    if (rc < 0)
        return fail("stat", rc);
    if (st.attached != S.nparts)
        return fail("not every participant was attached at the end", 0);
    for (unsigned p = 0; p < st.pool_count; p++)
        if (st.pool[p].used != 0)
            return fail("slots still in use at the end", 0);
    for (unsigned m = 0; m < st.mbox_count; m++)
        if (st.mbox[m].count != 0)
            return fail("messages left in a mailbox at the end", 0);
    printf("[%s #0] end state: %u processes attached, every pool empty, every mailbox empty\n", ARCH, st.attached);
    for (unsigned p = 1; p < S.nparts; p++)
        if (control_send(p, K_BYE, NULL, 0))
            return 1;
    uint64_t until = now_ms() + 60000u;
    while ((rc = shmbox_stat(&S.sb, &st)) == 0 && st.attached > 1 && now_ms() < until)
        sleep_ms(10);
    if (rc < 0 || st.attached != 1)
        return fail("the joiners did not detach", rc);
    printf("[%s #0] the joiners detached; closing and removing \"%s\"\n", ARCH, name);
    rc = shmbox_close(&S.sb);
    if (rc < 0)
        return fail("close", rc);
    rc = shmbox_unlink(name);
    return rc < 0 ? fail("unlink", rc) : 0;
}

static int run_joiner(const char *name, unsigned id);

/* kids != NULL: fork the joiners once the region exists (self mode). */
static int run_creator(const char *name, unsigned peers, pid_t *kids)
{
    S.self = 0;
    int rc = shmbox_create(&S.sb, name);
    if (rc < 0)
        return fail("create", rc);
    identify(name);
    struct state fresh = S;
    memset(&fresh.sb, 0, sizeof(fresh.sb));
    S.kids = kids;
    for (unsigned k = 0; kids != NULL && k < peers; k++) {
        kids[k] = fork();
        if (kids[k] < 0) {
            kids[k] = 0;
            (void)shmbox_close(&S.sb);
            (void)shmbox_unlink(name);
            return fail("fork", -errno);
        }
        if (kids[k] == 0) { /* a joiner with a handle of its own */
            S = fresh;
            _exit(run_joiner(name, k + 1u));
        }
    }
    int bad = setup(0, peers + 1u);
    /* All participants attached at the same time before any data moves. */
    for (unsigned h = 0; !bad && h < peers; h++) {
        unsigned char buf[SHMBOX_MSG_SIZE];
        rc = ctl_recv(buf, sizeof(buf));
        if (rc < (int)HDR || get32(buf) != MAGIC || buf[6] != K_HELLO)
            bad = fail("waiting for the joiners", rc < 0 ? rc : 0);
    }
    struct shmbox_stat st;
    if (!bad && (shmbox_stat(&S.sb, &st) < 0 || st.attached != peers + 1u))
        bad = fail("attached count after every hello", 0);
    if (!bad) {
        printf("[%s #0] %u processes attached; exchanging %u messages and %u slots in each direction\n", ARCH,
               st.attached, S.msgs, S.slots);
        fflush(stdout);
    }
    for (unsigned p = 1; !bad && p <= peers; p++)
        bad = control_send(p, K_GO, NULL, 0);
    S.go = 1;
    if (!bad)
        bad = exchange();
    if (!bad) {
        report();
        bad = creator_finish(name);
    }
    if (bad) {
        for (unsigned k = 0; kids != NULL && k < peers; k++)
            if (kids[k] > 0)
                kill(kids[k], SIGKILL); /* reaped by run_self() */
        (void)shmbox_close(&S.sb);
        (void)shmbox_unlink(name);
    }
    return bad;
}

static int run_self(void)
{
    char name[SHMBOX_NAME_MAX + 1];
    snprintf(name, sizeof(name), "t-mixed-%ld", (long)getpid());
    (void)shmbox_unlink(name);
    pid_t kids[MAXP - 1u] = {0};
    int bad = run_creator(name, MAXP - 1u, kids);
    for (unsigned k = 0; k < MAXP - 1u && kids[k] != 0; k++) {
        int status = S.kid_status[k];
        if (kids[k] > 0 && waitpid(kids[k], &status, 0) != kids[k])
            status = -1;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "joiner #%u did not exit 0 (status 0x%x)\n", k + 1u, (unsigned)status);
            bad = 1;
        }
    }
    if (!bad)
        printf("shmbox-mixed: PASS (%s, 3 processes)\n", ARCH);
    return bad;
}

static uint32_t arg_u32(const char *s, const char *what)
{
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v > 1000000u) {
        fprintf(stderr, "shmbox-mixed: bad %s '%s'\n", what, s);
        exit(2);
    }
    return (uint32_t)v;
}

static void usage(void)
{
    fprintf(stderr, "usage: shmbox-mixed create NAME [MSGS SLOTS] | join NAME ID [MSGS SLOTS] |\n"
                    "                    self [MSGS SLOTS] | unlink NAME\n");
    exit(2);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    S.msgs = 2000;
    S.slots = 300;
    if (argc < 2)
        usage();
    const char *cmd = argv[1];
    if (strcmp(cmd, "self") == 0) {
        if (argc == 4) {
            S.msgs = arg_u32(argv[2], "MSGS");
            S.slots = arg_u32(argv[3], "SLOTS");
        } else if (argc != 2) {
            usage();
        }
        return run_self();
    }
    if (argc < 3)
        usage();
    const char *name = argv[2];
    if (strcmp(cmd, "unlink") == 0) {
        int rc = shmbox_unlink(name);
        return rc < 0 && rc != -ENOENT;
    }
    int first = strcmp(cmd, "join") == 0 ? 4 : 3; /* first optional argument */
    if (argc != first && argc != first + 2)
        usage();
    if (argc == first + 2) {
        S.msgs = arg_u32(argv[first], "MSGS");
        S.slots = arg_u32(argv[first + 1], "SLOTS");
    }
    if (strcmp(cmd, "create") == 0) {
        int bad = run_creator(name, MAXP - 1u, NULL);
        if (!bad)
            printf("shmbox-mixed: PASS (creator %s, 2 joiners)\n", ARCH);
        return bad;
    }
    if (strcmp(cmd, "join") == 0) {
        uint32_t id = arg_u32(argv[3], "ID");
        if (id < 1 || id > MAXP - 1u)
            usage();
        return run_joiner(name, id);
    }
    usage();
    return 2;
}
