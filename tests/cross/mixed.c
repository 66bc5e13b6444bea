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
#include "mixed.h"

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
