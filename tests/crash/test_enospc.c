// SPDX-License-Identifier: MIT
/*
 * A full /dev/shm: create must fail with -ENOSPC (storage is reserved at
 * create, so a full tmpfs can never turn into SIGBUS later) and leave no
 * object behind. ctest runs this in a private mount namespace with a 1 MiB
 * tmpfs on /dev/shm (unshare -m, as root); the region needs more.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>

#include "crash.h"
#include "layout.h"

int main(void)
{
    struct statvfs vfs;
    if (statvfs("/dev/shm", &vfs) != 0 || (uint64_t)vfs.f_blocks * vfs.f_frsize > 64u * 1024u * 1024u ||
        (uint64_t)vfs.f_bavail * vfs.f_frsize >= SHMBOX_REGION_SIZE) {
        fprintf(stderr, "crash_enospc: FAIL: /dev/shm is not a small tmpfs; run it as ctest does: "
                        "unshare -m sh -c 'mount -t tmpfs -o size=1m tmpfs /dev/shm && exec ./crash_enospc'\n");
        return 1;
    }
    char name[SHMBOX_NAME_MAX + 1];
    snprintf(name, sizeof(name), "%s", shmbox_test_name("nospc"));
    shmbox_t sb;
    int rc = shmbox_create(&sb, name);
    if (rc != -ENOSPC) {
        fprintf(stderr, "crash_enospc: FAIL: create on a full /dev/shm: %d (%s)\n", rc, shmbox_strerror(rc));
        return 1;
    }
    rc = shmbox_open(&sb, name, 0);
    if (rc != -ENOENT) {
        fprintf(stderr, "crash_enospc: FAIL: a failed create left something behind (open: %d)\n", rc);
        return 1;
    }
    printf("crash_enospc: create on a %llu KiB /dev/shm (region %llu KiB): %s - ok\n",
           (unsigned long long)vfs.f_blocks * vfs.f_frsize / 1024u, (unsigned long long)SHMBOX_REGION_SIZE / 1024u,
           shmbox_strerror(-ENOSPC));
    return 0;
}
