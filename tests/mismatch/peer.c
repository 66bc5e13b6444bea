// SPDX-License-Identifier: MIT
/*
 * One side of the config-mismatch test. The same source is built twice,
 * with two configs that differ in CONFIG_SHMBOX_MSG_SIZE:
 *   peer create              create a region, print its name, leave it
 *   peer open NAME THEIRS    open must fail with -EPROTO and the detail
 *                            must name the value: "CONFIG_SHMBOX_MSG_SIZE:
 *                            region has THEIRS, this build <ours>"
 *   peer unlink NAME         remove the region (0 or -ENOENT)
 *   peer msg-size            print this build's CONFIG_SHMBOX_MSG_SIZE
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <shmbox/shmbox.h>

int main(int argc, char **argv)
{
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    if (argc == 2 && strcmp(argv[1], "create") == 0) {
        char name[SHMBOX_NAME_MAX + 1];
        snprintf(name, sizeof(name), "t-mism-%ld", (long)getpid());
        int rc = shmbox_create(&sb, name);
        if (rc < 0) {
            fprintf(stderr, "peer: create %s: %s\n", name, shmbox_strerror(rc));
            return 1;
        }
        shmbox_close(&sb);
        printf("%s\n", name);
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "open") == 0) {
        char want[SHMBOX_DETAIL_MAX];
        snprintf(want, sizeof(want), "CONFIG_SHMBOX_MSG_SIZE: region has %s, this build %u", argv[3],
                 (unsigned)CONFIG_SHMBOX_MSG_SIZE);
        int rc = shmbox_open(&sb, argv[2], 5000);
        if (rc == 0)
            shmbox_close(&sb);
        printf("peer (msg size %u): open %s: %s; detail \"%s\"\n", (unsigned)CONFIG_SHMBOX_MSG_SIZE, argv[2],
               shmbox_strerror(rc), shmbox_error_detail(&sb));
        if (rc != -EPROTO || strcmp(shmbox_error_detail(&sb), want) != 0) {
            fprintf(stderr, "peer: want -EPROTO and \"%s\"\n", want);
            return 1;
        }
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "unlink") == 0) {
        int rc = shmbox_unlink(argv[2]);
        return rc == 0 || rc == -ENOENT ? 0 : 1;
    }
    if (argc == 2 && strcmp(argv[1], "msg-size") == 0) {
        printf("%u\n", (unsigned)CONFIG_SHMBOX_MSG_SIZE);
        return 0;
    }
    fprintf(stderr, "usage: peer create | open NAME THEIRS | unlink NAME | msg-size\n");
    return 2;
}
