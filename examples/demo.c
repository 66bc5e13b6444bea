// SPDX-License-Identifier: MIT
/*
 * shmbox demo: a producer process and a consumer process share a region.
 * The producer sends small messages through mailbox 0 and hands 1 KiB
 * payloads over zero-copy as slots through mailbox 1; the consumer checks
 * every byte and answers on mailbox 2. Then the region's statistics are
 * printed and the region is removed.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <shmbox/shmbox.h>

#define MESSAGES 10000u
#define SLOTS 1000u
#define SLOT_BYTES 1000u

static int fail(const char *what, int rc)
{
    fprintf(stderr, "demo: %s: %s\n", what, shmbox_strerror(rc));
    return 1;
}

static int consumer(const char *name)
{
    shmbox_t sb;
    int rc = shmbox_open(&sb, name, 5000);
    if (rc < 0)
        return fail("open", rc);
    for (uint32_t i = 0; i < MESSAGES; i++) {
        uint32_t v;
        rc = shmbox_recv(&sb, 0, &v, sizeof(v), 5000);
        if (rc != (int)sizeof(v) || v != i)
            return fail("recv message", rc < 0 ? rc : -EBADMSG);
    }
    for (uint32_t i = 0; i < SLOTS; i++) {
        shmbox_slot_t s;
        size_t len;
        rc = shmbox_recv_slot(&sb, 1, &s, &len, 5000);
        if (rc < 0)
            return fail("recv slot", rc);
        const unsigned char *p = shmbox_slot_ptr(&sb, s);
        for (size_t b = 0; p != NULL && b < len; b++)
            if (p[b] != (unsigned char)(i + b))
                return fail("slot contents", -EBADMSG);
        if (p == NULL || len != SLOT_BYTES)
            return fail("slot", -EBADMSG);
        shmbox_slot_free(&sb, s);
    }
    const char ok[] = "all verified";
    rc = shmbox_send(&sb, 2, ok, sizeof(ok), 5000);
    shmbox_close(&sb);
    return rc < 0 ? fail("send reply", rc) : 0;
}

static void print_stat(const shmbox_t *sb)
{
    struct shmbox_stat st;
    if (shmbox_stat(sb, &st) < 0)
        return;
    printf("\nregion statistics: %u pools, %u mailboxes, %u attached, %u recoveries\n",
           st.pool_count, st.mbox_count, st.attached, st.recoveries);
    printf("  %-6s %10s %8s %6s %6s\n", "pool", "slot size", "slots", "used", "peak");
    for (uint32_t p = 0; p < st.pool_count; p++)
        printf("  %-6u %10u %8u %6u %6u\n", p, st.pool[p].slot_size, st.pool[p].slot_count, st.pool[p].used,
               st.pool[p].peak);
    printf("  %-6s %6s %8s %6s %6s %10s %10s\n", "mbox", "depth", "msg size", "count", "peak", "sent",
           "received");
    for (uint32_t m = 0; m < st.mbox_count; m++)
        printf("  %-6u %6u %8u %6u %6u %10llu %10llu\n", m, st.mbox[m].depth, st.mbox[m].msg_size,
               st.mbox[m].count, st.mbox[m].peak, (unsigned long long)st.mbox[m].sent,
               (unsigned long long)st.mbox[m].received);
}

int main(void)
{
    char name[32];
    snprintf(name, sizeof(name), "demo-%ld", (long)getpid());
    shmbox_t sb;
    int rc = shmbox_create(&sb, name);
    if (rc < 0)
        return fail("create", rc);
    printf("demo: region \"%s\" created; producer pid %ld\n", name, (long)getpid());

    pid_t child = fork();
    if (child == 0)
        _exit(consumer(name));

    for (uint32_t i = 0; i < MESSAGES && rc >= 0; i++)
        rc = shmbox_send(&sb, 0, &i, sizeof(i), 5000);
    for (uint32_t i = 0; i < SLOTS && rc >= 0; i++) {
        shmbox_slot_t s;
        rc = shmbox_slot_alloc(&sb, SLOT_BYTES, &s, 5000);
        if (rc < 0)
            break;
        unsigned char *p = shmbox_slot_ptr(&sb, s);
        for (size_t b = 0; b < SLOT_BYTES; b++)
            p[b] = (unsigned char)(i + b);
        rc = shmbox_send_slot(&sb, 1, s, SLOT_BYTES, 5000);
    }
    char reply[SHMBOX_MSG_SIZE];
    if (rc >= 0)
        rc = shmbox_recv(&sb, 2, reply, sizeof(reply), 10000);
    int status = 0;
    waitpid(child, &status, 0);
    if (rc < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        shmbox_close(&sb);
        shmbox_unlink(name);
        return rc < 0 ? fail("producer", rc) : 1;
    }
    printf("demo: consumer says \"%s\": %u messages and %u zero-copy slots of %u bytes\n", reply, MESSAGES,
           SLOTS, SLOT_BYTES);
    print_stat(&sb);
    shmbox_close(&sb);
    rc = shmbox_unlink(name);
    printf("\ndemo: region removed (%s)\n", shmbox_strerror(rc));
    return rc < 0;
}
