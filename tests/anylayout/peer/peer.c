// SPDX-License-Identifier: MIT
/*
 * The peer of the any-layout test (test_anylayout.py), built with
 * peer.config. Public API only.
 *
 *   anylayout_peer NAME
 *     creates region NAME, queues three copied messages "peer-0".."peer-2"
 *     in mailbox 5 and a 3000-byte slot message (byte i = i % 251) in
 *     mailbox 4, prints "ready"; then for each line read on standard input:
 *       "recv M"  receives from mailbox M (1 s) and prints "got LEN TEXT"
 *                 or "none ERRNO-TEXT"
 *       "stat"    prints "used P0 P1 P2 P3 P4" (slots used per pool)
 *     and at the end of the input closes its handle (the region stays).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include <shmbox/shmbox.h>

static int fail(const char *what, int rc)
{
    fprintf(stderr, "anylayout_peer: %s: %s\n", what, shmbox_strerror(rc));
    return 1;
}

int main(int argc, char **argv)
{
    static shmbox_t sb;
    if (argc != 2) {
        fprintf(stderr, "usage: anylayout_peer NAME\n");
        return 2;
    }
    int rc = shmbox_create(&sb, argv[1]);
    if (rc < 0)
        return fail("create", rc);
    for (unsigned i = 0; i < 3; i++) {
        char text[16];
        int n = snprintf(text, sizeof(text), "peer-%u", i);
        if ((rc = shmbox_send(&sb, 5, text, (size_t)n, SHMBOX_NO_WAIT)) < 0)
            return fail("send", rc);
    }
    shmbox_slot_t slot;
    if ((rc = shmbox_slot_alloc(&sb, 3000, &slot, SHMBOX_NO_WAIT)) < 0)
        return fail("slot_alloc", rc);
    unsigned char *p = shmbox_slot_ptr(&sb, slot);
    for (unsigned i = 0; i < 3000; i++)
        p[i] = (unsigned char)(i % 251u);
    if ((rc = shmbox_send_slot(&sb, 4, slot, 3000, SHMBOX_NO_WAIT)) < 0)
        return fail("send_slot", rc);
    printf("ready\n");
    fflush(stdout);

    char line[64];
    while (fgets(line, sizeof(line), stdin) != NULL) {
        unsigned m;
        if (sscanf(line, "recv %u", &m) == 1) {
            static char buf[SHMBOX_MSG_SIZE + 1];
            rc = shmbox_recv(&sb, m, buf, SHMBOX_MSG_SIZE, 1000);
            if (rc >= 0) {
                buf[rc] = '\0';
                printf("got %d %s\n", rc, buf);
            } else {
                printf("none %s\n", shmbox_strerror(rc));
            }
        } else if (strncmp(line, "stat", 4) == 0) {
            struct shmbox_stat st;
            if ((rc = shmbox_stat(&sb, &st)) < 0)
                return fail("stat", rc);
            printf("used");
            for (unsigned i = 0; i < st.pool_count; i++)
                printf(" %u", (unsigned)st.pool[i].used);
            printf("\n");
        }
        fflush(stdout);
    }
    rc = shmbox_close(&sb);
    return rc < 0 ? fail("close", rc) : 0;
}
