// SPDX-License-Identifier: MIT
/*
 * A consumer of shmbox, built four ways by `make test` (step
 * test-consumers): with add_subdirectory() and its own Kconfig fragment,
 * with find_package() against an installed tree, with pkg-config and a
 * plain compiler command line, and cross-compiled for armhf (run under
 * qemu-arm). It only uses the public header.
 *
 *   consumer [TAG]       create a region, check that shmbox_stat() shows
 *                        exactly the expected pools and mailboxes, exchange
 *                        messages and a slot with a child process, remove it
 *   consumer hold NAME   create region NAME, print "ready", keep it until
 *                        standard input closes, then remove it
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <shmbox/shmbox.h>

#define MESSAGES 2000u

struct expect_pool {
    uint32_t slot_size, slot_count;
};

#ifdef CONSUMER_EXPECT_FRAGMENT
/* tests/consumer/subdir/consumer.config */
static const struct expect_pool want_pool[] = {{128, 40}, {2048, 8}};
#define WANT_MBOX_COUNT 3u
#define WANT_MBOX_DEPTH 16u
#define WANT_MSG_SIZE 128u
#else
/* config/defconfig */
static const struct expect_pool want_pool[] = {{64, 256}, {1024, 64}, {65536, 16}};
#define WANT_MBOX_COUNT 4u
#define WANT_MBOX_DEPTH 64u
#define WANT_MSG_SIZE 64u
#endif
#define WANT_POOLS (sizeof(want_pool) / sizeof(want_pool[0]))

static int fail(const char *what, int rc)
{
    fprintf(stderr, "consumer: %s: %s\n", what, shmbox_strerror(rc));
    return 1;
}

static int check_layout(const shmbox_t *sb)
{
    static struct shmbox_stat st;
    int rc = shmbox_stat(sb, &st);
    if (rc < 0)
        return fail("stat", rc);
    int bad = st.pool_count != WANT_POOLS || st.mbox_count != WANT_MBOX_COUNT;
    for (unsigned p = 0; !bad && p < WANT_POOLS; p++)
        bad = st.pool[p].slot_size != want_pool[p].slot_size || st.pool[p].slot_count != want_pool[p].slot_count;
    for (unsigned m = 0; !bad && m < WANT_MBOX_COUNT; m++)
        bad = st.mbox[m].depth != WANT_MBOX_DEPTH || st.mbox[m].msg_size != WANT_MSG_SIZE;
    printf("consumer: region has %u pools (", st.pool_count);
    for (unsigned p = 0; p < st.pool_count; p++)
        printf("%s%u x %u B", p ? ", " : "", st.pool[p].slot_count, st.pool[p].slot_size);
    printf("), %u mailboxes of %u x %u B\n", st.mbox_count, st.mbox[0].depth, st.mbox[0].msg_size);
    if (bad) {
        fprintf(stderr, "consumer: the region's layout is not the configured one\n");
        return 1;
    }
    return 0;
}

/* Child: send MESSAGES numbers on mailbox 0 and a slot on mailbox 1. */
static int producer(const char *name)
{
    static shmbox_t sb;
    int rc = shmbox_open(&sb, name, 5000);
    if (rc < 0)
        return fail("child open", rc);
    for (uint32_t i = 0; i < MESSAGES && rc >= 0; i++)
        rc = shmbox_send(&sb, 0, &i, sizeof(i), 5000);
    shmbox_slot_t s = SHMBOX_SLOT_NONE;
    if (rc >= 0)
        rc = shmbox_slot_alloc(&sb, 100, &s, 5000);
    if (rc >= 0) {
        memcpy(shmbox_slot_ptr(&sb, s), "zero-copy payload", 18);
        rc = shmbox_send_slot(&sb, 1, s, 18, 5000);
    }
    (void)shmbox_close(&sb);
    return rc < 0 ? fail("child send", rc) : 0;
}

static int exchange(shmbox_t *sb, const char *name)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return fail("fork", -1);
    if (pid == 0)
        _exit(producer(name));
    int rc = 0;
    for (uint32_t i = 0; i < MESSAGES && rc >= 0; i++) {
        uint32_t v = 0;
        rc = shmbox_recv(sb, 0, &v, sizeof(v), 10000);
        if (rc >= 0 && (rc != (int)sizeof(v) || v != i)) {
            fprintf(stderr, "consumer: message %u: got %u (length %d)\n", (unsigned)i, (unsigned)v, rc);
            rc = -1;
        }
    }
    shmbox_slot_t s;
    size_t len = 0;
    if (rc >= 0)
        rc = shmbox_recv_slot(sb, 1, &s, &len, 10000);
    if (rc >= 0) {
        const char *p = shmbox_slot_ptr(sb, s);
        if (p == NULL || len != 18 || strcmp(p, "zero-copy payload") != 0)
            rc = -1;
        (void)shmbox_slot_free(sb, s);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (rc < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "consumer: exchange failed (rc %d, child status 0x%x)\n", rc, (unsigned)status);
        return 1;
    }
    printf("consumer: %u messages and 1 slot received from a child process\n", MESSAGES);
    return 0;
}

static int hold(const char *name)
{
    static shmbox_t sb;
    int rc = shmbox_create(&sb, name);
    if (rc < 0)
        return fail("create", rc);
    rc = shmbox_send(&sb, 0, "held", 4, SHMBOX_NO_WAIT);
    printf("ready\n");
    fflush(stdout);
    while (getchar() != EOF)
        ;
    (void)shmbox_close(&sb);
    (void)shmbox_unlink(name);
    return rc < 0 ? fail("send", rc) : 0;
}

int main(int argc, char **argv)
{
    static shmbox_t sb;
    char name[SHMBOX_NAME_MAX + 1];
    if (argc == 3 && strcmp(argv[1], "hold") == 0)
        return hold(argv[2]);
    snprintf(name, sizeof(name), "consumer-%.8s-%ld", argc > 1 ? argv[1] : "x", (long)getpid());
    int rc = shmbox_create(&sb, name);
    if (rc < 0)
        return fail("create", rc);
    int bad = check_layout(&sb);
    if (!bad)
        bad = exchange(&sb, name);
    (void)shmbox_close(&sb);
    rc = shmbox_unlink(name);
    if (rc < 0)
        return fail("unlink", rc);
    if (!bad)
        printf("consumer: OK\n");
    return bad;
}
