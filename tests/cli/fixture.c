// SPDX-License-Identifier: MIT
/*
 * Helper of the shmbox tool's tests.
 *
 *   cli-fixture hold NAME     create region NAME, put traffic in it (messages
 *                             queued and taken, slots held, one slot queued
 *                             last in the last mailbox), print "ready",
 *                             keep it until standard input closes, then
 *                             close and remove it
 *   cli-fixture closed NAME   create region NAME and close it at once (its
 *                             creator alive, nobody attached), print "ready",
 *                             wait until standard input closes, remove it
 *   cli-fixture statjson NAME attach to NAME and print shmbox_stat() as JSON
 *                             (the numbers `shmbox stat --json` must match)
 */
#include <stdio.h>
#include <string.h>

#include <shmbox/shmbox.h>

static int fail(const char *what, const char *name, int rc)
{
    fprintf(stderr, "cli-fixture: %s %s: %s\n", what, name, shmbox_strerror(rc));
    return 1;
}

/* Print "ready", wait until standard input closes. */
static void ready_until_eof(void)
{
    printf("ready\n");
    fflush(stdout);
    while (getchar() != EOF)
        ;
}

static int hold(const char *name)
{
    static shmbox_t sb;
    int rc = shmbox_create(&sb, name);
    if (rc < 0)
        return fail("create", name, rc);
    /* Traffic with distinct numbers: mailbox m gets m + 3 messages, one taken. */
    for (unsigned m = 0; m < SHMBOX_MBOX_COUNT && rc >= 0; m++) {
        for (unsigned i = 0; i < m + 3u && rc >= 0; i++)
            rc = shmbox_send(&sb, m, "fixture", 7, SHMBOX_NO_WAIT);
        if (rc >= 0) {
            char buf[SHMBOX_MSG_SIZE];
            rc = shmbox_recv(&sb, m, buf, sizeof(buf), SHMBOX_NO_WAIT);
        }
    }
    shmbox_slot_t s[3];
    for (unsigned i = 0; i < 3u && rc >= 0; i++)
        rc = shmbox_slot_alloc(&sb, 1u + i * 200u, &s[i], SHMBOX_NO_WAIT);
    if (rc >= 0)
        rc = shmbox_slot_free(&sb, s[1]);
    shmbox_slot_t q;
    if (rc >= 0)
        rc = shmbox_slot_alloc(&sb, 100, &q, SHMBOX_NO_WAIT);
    if (rc >= 0) {
        memcpy(shmbox_slot_ptr(&sb, q), "fixture slot", 12);
        rc = shmbox_send_slot(&sb, SHMBOX_MBOX_COUNT - 1u, q, 12, SHMBOX_NO_WAIT);
    }
    if (rc < 0) {
        (void)shmbox_close(&sb);
        (void)shmbox_unlink(name);
        return fail("traffic on", name, rc);
    }
    ready_until_eof();
    (void)shmbox_close(&sb);
    (void)shmbox_unlink(name);
    return 0;
}

static int closed(const char *name)
{
    static shmbox_t sb;
    int rc = shmbox_create(&sb, name);
    if (rc < 0)
        return fail("create", name, rc);
    (void)shmbox_close(&sb);
    ready_until_eof();
    (void)shmbox_unlink(name);
    return 0;
}

static int statjson(const char *name)
{
    static shmbox_t sb;
    static struct shmbox_stat st;
    int rc = shmbox_open(&sb, name, 1000);
    if (rc < 0)
        return fail("open", name, rc);
    rc = shmbox_stat(&sb, &st);
    (void)shmbox_close(&sb);
    if (rc < 0)
        return fail("stat", name, rc);
    printf("{\"pool_count\": %u, \"mbox_count\": %u, \"attached\": %u, \"recoveries\": %u, \"pools\": [",
           st.pool_count, st.mbox_count, st.attached, st.recoveries);
    for (unsigned p = 0; p < st.pool_count; p++)
        printf("%s{\"slot_size\": %u, \"slot_count\": %u, \"used\": %u, \"peak\": %u}", p ? ", " : "",
               st.pool[p].slot_size, st.pool[p].slot_count, st.pool[p].used, st.pool[p].peak);
    printf("], \"mailboxes\": [");
    for (unsigned m = 0; m < st.mbox_count; m++)
        printf("%s{\"depth\": %u, \"msg_size\": %u, \"count\": %u, \"peak\": %u, \"sent\": %llu, \"received\": %llu}",
               m ? ", " : "", st.mbox[m].depth, st.mbox[m].msg_size, st.mbox[m].count, st.mbox[m].peak,
               (unsigned long long)st.mbox[m].sent, (unsigned long long)st.mbox[m].received);
    printf("]}\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "hold") == 0)
        return hold(argv[2]);
    if (argc == 3 && strcmp(argv[1], "closed") == 0)
        return closed(argv[2]);
    if (argc == 3 && strcmp(argv[1], "statjson") == 0)
        return statjson(argv[2]);
    fprintf(stderr, "usage: cli-fixture hold|closed|statjson NAME\n");
    return 2;
}
